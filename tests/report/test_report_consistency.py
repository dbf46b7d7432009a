"""Every consistency rule, broken on purpose.

Register-level rules are broken by fixture folders (carry-forward); the rules on the
computed tables are broken by tampering with one cell of a computed table, which the
checks — recounting from the register rows, not from the cells — must catch.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from disclosure.report import Cell, ReportError, build_annual_report
from disclosure.report import tables as report_tables

from report_standins import CORPORA, small_corpus, stand_in_status_on
from report_standins import build, problems_of  # noqa: F401  (fixtures)

AS_OF = date(2026, 1, 20)
T3 = 'table 三, row "{row}", column "申请人情况 / {column}"'
RECEIVED = "一、本年新收政府信息公开申请数量"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"
RESULTS_TOTAL = "三、本年度办理结果 / （七）总计"
CARRIED_FORWARD = "四、结转下年度继续办理"


def problems(data_dir=CORPORA / "good") -> list[str]:
    with pytest.raises(ReportError) as caught:
        build_annual_report(2025, small_corpus(), data_dir, AS_OF, status_on=stand_in_status_on)
    return [p.format() for p in caught.value.problems]


def tamper(monkeypatch, name: str, row: str, column: str, make) -> None:
    """Make ``tables.<name>`` return its table with one cell replaced by ``make(old_cell)``."""
    original = getattr(report_tables, name)

    def wrong(*args, **kwargs):
        table = original(*args, **kwargs)
        return table.with_cell(row, column, make(table.cell(row, column)))

    monkeypatch.setattr(report_tables, name, wrong)


def test_an_extra_application_in_a_total_is_caught(monkeypatch):
    tamper(
        monkeypatch,
        "compute_applications_table",
        "received",
        "total",
        lambda c: Cell(c.value + 1, c.ids + ("A25-99",), 0, c.source),
    )
    assert problems() == [
        T3.format(row=RECEIVED, column="总计")
        + ": 总计 is 9 but the applicant columns add up to 8 (自然人 3 + 商业企业 1 + 科研机构 1 + 社会公益组织 1 + 法律服务机构 1 + 其他 1)",
        T3.format(row=CARRIED_FORWARD, column="总计")
        + f": the column does not balance: {RECEIVED} 9 + {CARRIED_OVER} 2 = 11, but {RESULTS_TOTAL} 8 + {CARRIED_FORWARD} 2 = 10",
        T3.format(row=RECEIVED, column="总计")
        + ": is 9 but 2025/applications.csv has 8 application(s) received in 2025 (counted but not received in 2025: A25-99)",
    ]


def test_an_application_counted_twice_is_caught(monkeypatch):
    tamper(
        monkeypatch,
        "compute_applications_table",
        "results.withheld.third_party",
        "natural_person",
        lambda c: Cell(2, ("A24-03", "A25-01"), 0, c.source),
    )
    third_party = "三、本年度办理结果 / （三）不予公开 / 4.保护第三方合法权益"
    assert problems() == [
        T3.format(row=third_party, column="总计")
        + ": 总计 is 1 but the applicant columns add up to 2 (自然人 2 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 0 + 其他 0)",
        T3.format(row=RESULTS_TOTAL, column="自然人")
        + ": （七）总计 is 3 but the result rows （一）–（六） add up to 4",
        T3.format(row=third_party, column="自然人")
        + ': application A25-01 is counted twice: also in row "三、本年度办理结果 / （一）予以公开"; '
        "an application is counted once (a partial disclosure only as 部分公开)",
    ]


def test_a_result_missing_from_the_total_is_caught(monkeypatch):
    tamper(
        monkeypatch,
        "compute_applications_table",
        "results.total",
        "total",
        lambda c: Cell(7, tuple(i for i in c.ids if i != "A25-06"), 0, c.source),
    )
    assert problems() == [
        T3.format(row=RESULTS_TOTAL, column="总计")
        + ": 总计 is 7 but the applicant columns add up to 8 (自然人 3 + 商业企业 1 + 科研机构 1 + 社会公益组织 1 + 法律服务机构 1 + 其他 1)",
        T3.format(row=RESULTS_TOTAL, column="总计") + ": （七）总计 is 7 but the result rows （一）–（六） add up to 8",
        T3.format(row=CARRIED_FORWARD, column="总计")
        + f": the column does not balance: {RECEIVED} 8 + {CARRIED_OVER} 2 = 10, but {RESULTS_TOTAL} 7 + {CARRIED_FORWARD} 2 = 9",
        T3.format(row=RESULTS_TOTAL, column="总计")
        + ": is 7 but 2025/applications.csv has 8 application(s) closed in 2025 (not counted: A25-06)",
    ]


def test_a_result_row_missing_an_application_is_caught(monkeypatch):
    tamper(
        monkeypatch, "compute_applications_table", "results.disclosed", "other_org", lambda c: Cell(0, (), 0, c.source)
    )
    disclosed = "三、本年度办理结果 / （一）予以公开"
    assert problems() == [
        T3.format(row=disclosed, column="总计")
        + ": 总计 is 2 but the applicant columns add up to 1 (自然人 1 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 0 + 其他 0)",
        'table 三, row "三、本年度办理结果 / （七）总计", column "申请人情况 / 法人或其他组织 / 其他": '
        "（七）总计 is 1 but the result rows （一）–（六） add up to 0",
        'table 三, row "三、本年度办理结果 / （七）总计", column "申请人情况 / 法人或其他组织 / 其他": '
        "application(s) closed in 2025 but counted in no result row: A25-06",
    ]


def test_a_value_that_disagrees_with_its_trace_is_caught(monkeypatch):
    tamper(monkeypatch, "compute_applications_table", "received", "business", lambda c: Cell(1, (), 0, c.source))
    column = 'column "申请人情况 / 法人或其他组织 / 商业企业"'
    assert problems() == [
        f'table 三, row "{RECEIVED}", {column}: value 1 but the trace lists 0 distinct id(s) and 0 non-public document(s)',
        f'table 三, row "{RECEIVED}", {column}: is 1 but 2025/applications.csv has 1 商业企业 application(s) received in 2025 '
        "(not counted: A25-07)",
    ]


def test_table_four_totals_are_checked(monkeypatch):
    tamper(
        monkeypatch,
        "compute_cases_table",
        "cases",
        "reconsideration.total",
        lambda c: Cell(4, c.ids + ("R9",), 0, c.source),
    )
    cell = 'table 四, row "(single row)", column "行政复议 / 总计"'
    assert problems() == [
        f"{cell}: 总计 is 4 but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 1 + 1 + 0 + 1 = 3",
        f"{cell}: is 4 but the register has 3 行政复议 case(s) (disagreeing: R9)",
    ]


def test_table_four_pending_is_recounted(monkeypatch):
    tamper(monkeypatch, "compute_cases_table", "cases", "after_review.pending", lambda c: Cell(0, (), 0, c.source))
    assert problems() == [
        'table 四, row "(single row)", column "行政诉讼 / 复议后起诉 / 总计": 总计 is 1 but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 0 + 0 + 0 + 0 = 0',
        'table 四, row "(single row)", column "行政诉讼 / 复议后起诉 / 尚未审结": is 0 but the register has 1 复议后起诉 case(s) '
        "pending at the end of 2025 (disagreeing: L2)",
    ]


def test_table_two_traces_are_checked(monkeypatch):
    tamper(monkeypatch, "compute_proactive_table", "normative", "issued", lambda c: Cell(c.value, c.ids, 0, c.source))
    assert problems() == [
        'table 二, row "行政规范性文件", column "本年制发件数": value 2 but the trace lists 1 distinct id(s) and 0 non-public document(s)'
    ]


def test_carry_forward_mismatch(problems_of):
    assert problems_of("carry_forward_mismatch") == [
        "2024/applications.csv:5: id: application A24-04 was still open at the end of 2024 (四、结转下年度继续办理) but is not "
        "among the applications received before 2025 in 2025/applications.csv; carry it over with its original received date",
        T3.format(row=CARRIED_OVER, column="自然人")
        + ": is 1 but 2 carried forward from 2024 (四、结转下年度继续办理 by 2024/applications.csv); applications that disagree: A24-04",
        T3.format(row=CARRIED_OVER, column="总计")
        + ": is 2 but 3 carried forward from 2024 (四、结转下年度继续办理 by 2024/applications.csv); applications that disagree: A24-04",
    ]


def test_carried_over_but_closed_last_year(problems_of):
    assert problems_of("carried_but_closed") == [
        "2025/applications.csv:3: received: received 2024-12-10, before 2025, but 2024/applications.csv line 4 closed "
        "application A24-03 on 2024-12-30",
        T3.format(row=CARRIED_OVER, column="自然人")
        + ": is 1 but 0 carried forward from 2024 (四、结转下年度继续办理 by 2024/applications.csv); applications that disagree: A24-03",
        T3.format(row=CARRIED_OVER, column="总计")
        + ": is 2 but 1 carried forward from 2024 (四、结转下年度继续办理 by 2024/applications.csv); applications that disagree: A24-03",
    ]


def test_carried_over_with_another_applicant_type(tmp_path):
    shutil.copytree(CORPORA / "good", tmp_path / "annual")
    register = tmp_path / "annual" / "2024" / "applications.csv"
    register.write_text(
        register.read_text(encoding="utf-8").replace("A24-02,2024-11-20,商业企业", "A24-02,2024-11-20,科研机构"),
        encoding="utf-8",
    )
    assert problems(tmp_path / "annual") == [
        '2025/applications.csv:2: applicant_type: "商业企业" differs from "科研机构" in 2024/applications.csv line 3',
        'table 三, row "二、上年结转政府信息公开申请数量", column "申请人情况 / 法人或其他组织 / 商业企业": is 1 but 0 carried forward '
        "from 2024 (四、结转下年度继续办理 by 2024/applications.csv); applications that disagree: A24-02",
        'table 三, row "二、上年结转政府信息公开申请数量", column "申请人情况 / 法人或其他组织 / 科研机构": is 0 but 1 carried forward '
        "from 2024 (四、结转下年度继续办理 by 2024/applications.csv); applications that disagree: A24-02",
    ]


def test_carried_over_application_unknown_last_year(tmp_path):
    shutil.copytree(CORPORA / "good", tmp_path / "annual")
    register = tmp_path / "annual" / "2024" / "applications.csv"
    register.write_text(
        register.read_text(encoding="utf-8").replace("A24-03,2024-12-10,自然人,,,,\n", ""), encoding="utf-8"
    )
    assert problems(tmp_path / "annual")[0] == (
        "2025/applications.csv:3: received: received 2024-12-10, before 2025, but application A24-03 is not in 2024/applications.csv"
    )


def test_without_last_years_register_the_carry_over_is_noted(build):
    report = build("format_override")
    assert report.notes[-1] == (
        "2024/applications.csv not found: 2 application(s) carried over are taken from 2025/applications.csv alone, "
        "not checked against the previous year's carry-forward"
    )


def test_each_closed_application_is_in_exactly_one_result_row(build):
    table = build("good").table("三")
    block = table.blocks[0]
    result_rows = [r for r in block.rows if r.key.startswith("results.") and r.key != "results.total"]
    counted = [i for r in result_rows for i in r.cells[-1].ids]
    assert sorted(counted) == sorted(set(counted)) == sorted(table.cell("results.total", "total").ids)
