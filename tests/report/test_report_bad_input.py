"""Bad input: one corpora folder per case, each a copy of ``good`` with one thing broken.

Every message names the file, the 1-based line in the CSV and the column; all problems
of a run are reported together, and nothing is built.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from disclosure.report import ReportError, build_annual_report

from report_standins import CORPORA, small_corpus, stand_in_status_on
from report_standins import problems_of  # noqa: F401  (fixtures)

APPS = "2025/applications.csv"
AS_OF = date(2026, 1, 20)

CASES = {
    "closed_before_received": [f"{APPS}:6: closed: closed 2025-02-28 is before received 2025-03-03"],
    "unknown_result": [
        f'{APPS}:4: result: unknown result "公开"; expected one of 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理'
    ],
    "unknown_applicant_type": [
        f'{APPS}:9: applicant_type: unknown applicant type "个体工商户"; '
        "expected one of 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他"
    ],
    "unknown_ground": [
        f'{APPS}:7: ground: unknown ground "6" for 不予处理; expected one of 1.信访举报投诉类申请, 2.重复申请, '
        "3.要求提供公开出版物, 4.无正当理由大量反复申请, 5.要求行政机关确认或重新出具已获取信息"
    ],
    "closed_outside_year": [
        f"{APPS}:3: closed: closed 2023-06-01, before 2025: the application was not open in 2025 "
        "and does not belong in the 2025 register"
    ],
    "received_after_year": [
        f"{APPS}:10: received: received 2026-01-02, after 2025: the application belongs in the 2026 register"
    ],
    "missing_field": [f"{APPS}:7: applicant_type: missing value (required)"],
    "malformed_date": [f'{APPS}:8: received: malformed date "2025-13-05"; expected YYYY-MM-DD'],
    "partial_with_ground": [
        f'{APPS}:2: ground: 部分公开 takes no ground, got "4"; a partial disclosure counts only as 部分公开 '
        "(区分处理的，只计这一情形，不计其他情形): put the withheld part's ground in note"
    ],
    "duplicate_id": [f'{APPS}:5: id: duplicate id "A25-01" (first on line 4); an application is counted once'],
    "open_with_result": [
        f'{APPS}:10: result: result "予以公开" given but closed is empty; an application still open has no result'
    ],
    "closed_without_result": [f"{APPS}:9: result: missing value: closed 2025-06-26 needs a result"],
    "missing_column": [
        f'{APPS}:1: applicant_type: missing column "applicant_type"; '
        "the header must name id, received, applicant_type, closed, result, ground"
    ],
    "not_utf8": [f"{APPS}:2: not UTF-8 text; save the spreadsheet as “CSV UTF-8” (a GBK/ANSI export garbles Chinese)"],
    "blank_figure": [
        "2025/figures.yml:4: licensing.decisions: 本年处理决定数量 is blank; blank is not zero: write 0 when there were none",
        "2025/figures.yml: penalty: missing; blank is not zero: give decisions (write 0 when there were none)",
    ],
    "cases_bad": [
        "2025/cases.csv:3: closed: closed 2025-02-01 is before filed 2025-03-01",
        '2025/cases.csv:5: kind: unknown kind "直接起诉"; expected one of 行政复议, 未经复议直接起诉, 复议后起诉',
    ],
    "many_problems": [
        '2025/figures.yml:8: licencing: unknown key "licencing" for the 2021 format; '
        "expected one of format, issuers, licensing, penalty, coercion, fees",
        '2025/figures.yml:7: fees.amount: 本年收费金额（单位：万元）: expected an amount in 万元 (e.g. 18.42), got "1,50"',
        f'{APPS}:4: result: unknown result "公开"; expected one of 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理',
        f"{APPS}:5: ground: missing value: 不予公开 needs a ground, one of 1.属于国家秘密, 2.其他法律行政法规禁止公开, "
        "3.危及“三安全一稳定”, 4.保护第三方合法权益, 5.属于三类内部事务信息, 6.属于四类过程性信息, 7.属于行政执法案卷, 8.属于行政查询事项",
        f'{APPS}:8: received: malformed date "5/5/2025"; expected YYYY-MM-DD',
        '2025/cases.csv:4: result: result "结果维持" given but closed is empty; a pending case has no result',
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_exactly(name, problems_of):
    assert problems_of(name) == CASES[name]


def test_problems_carry_file_row_and_column():
    with pytest.raises(ReportError) as caught:
        build_annual_report(
            2025, small_corpus(), CORPORA / "closed_before_received", AS_OF, status_on=stand_in_status_on
        )
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.field) == (APPS, 6, "closed")
    assert problem.cell is None
    assert str(caught.value) == problem.format()


def test_nothing_is_written_on_problems():
    """The builder raises before any writer can run, and writes nothing itself."""
    with pytest.raises(ReportError):
        build_annual_report(2025, small_corpus(), CORPORA / "many_problems", AS_OF, status_on=stand_in_status_on)
    assert not any((CORPORA / "many_problems").rglob("*.json"))
    assert sorted(p.name for p in (CORPORA / "many_problems" / "2025").iterdir()) == [
        "applications.csv",
        "cases.csv",
        "figures.yml",
    ]


def test_dates_after_the_report_date_are_refused(problems_of):
    problems = problems_of("good", as_of=date(2026, 1, 4))
    assert problems == [
        f"{APPS}:11: closed: 2026-01-05 is after the report date 2026-01-04",
        "2025/cases.csv:6: closed: 2026-01-10 is after the report date 2026-01-04",
    ]


def test_missing_files_are_problems_not_zeros(tmp_path):
    (tmp_path / "2025").mkdir()
    with pytest.raises(ReportError) as caught:
        build_annual_report(2025, small_corpus(), tmp_path, AS_OF, status_on=stand_in_status_on)
    assert [p.format() for p in caught.value.problems] == [
        "2025/figures.yml: file not found; blank is not zero: the figures of table 二 must be given",
        "2025/applications.csv: file not found; expected a CSV register with columns id, received, applicant_type, closed, result, ground",
        "2025/cases.csv: file not found; expected a CSV register with columns id, kind, filed, closed, result",
    ]


def test_an_empty_register_is_zero_applications(tmp_path):
    shutil.copytree(CORPORA / "good" / "2025", tmp_path / "2025")
    (tmp_path / "2025" / "applications.csv").write_text(
        "id,received,applicant_type,closed,result,ground\n,,,,,\n", encoding="utf-8"
    )
    report = build_annual_report(2025, small_corpus(), tmp_path, AS_OF, status_on=stand_in_status_on)
    assert report.table("三").cell("received", "total").value == 0


def test_line_numbers_follow_crlf_and_multiline_notes(tmp_path):
    """Excel's “CSV UTF-8”: BOM, CRLF, and a quoted note spanning two lines before the bad row."""
    shutil.copytree(CORPORA / "good" / "2025", tmp_path / "2025")
    rows = [
        "id,received,applicant_type,closed,result,ground,note",
        'A25-01,2025-01-05,自然人,2025-01-25,予以公开,,"first line',
        'second line"',
        "A25-02,2025-02-01,自然人,2025-02-20,不予公开,9,",
    ]
    (tmp_path / "2025" / "applications.csv").write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    with pytest.raises(ReportError) as caught:
        build_annual_report(2025, small_corpus(), tmp_path, AS_OF, status_on=stand_in_status_on)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (4, "ground")
    assert problem.message.startswith('unknown ground "9" for 不予公开; expected one of 1.属于国家秘密, ')
