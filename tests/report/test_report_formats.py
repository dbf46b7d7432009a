"""The 2019 trial format and the 2021 format, and how a year chooses between them.

corpora/format_2019/2019/applications.csv:
  B19-01 自然人 予以公开 · B19-02 商业企业 其他处理 (no ground) · B19-03 自然人 其他处理 1
  B19-04 法律服务机构 不予公开 3 · B19-05 自然人 open at the end of 2019
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.report import FORMATS, ReportError, build_annual_report, format_for_year

from report_standins import CORPORA, small_corpus, stand_in_status_on
from report_standins import build  # noqa: F401  (fixtures)


@pytest.mark.parametrize(
    ("year", "code"), [(2018, "2019"), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")]
)
def test_format_for_year(year, code):
    assert format_for_year(year).code == code


def test_format_references():
    assert FORMATS["2021"].reference == "国办公开办函〔2021〕30号"
    assert FORMATS["2019"].reference == "国办公开办函〔2019〕60号"


def test_2019_table_three_has_one_other_row(build):
    report = build("format_2019", year=2019, as_of=date(2020, 1, 20))
    assert report.format.code == "2019"
    table = report.table("三")
    keys = [r.key for r in table.blocks[0].rows]
    assert "results.other" in keys and not any(k.startswith("results.other.") for k in keys)
    assert len(keys) == 2 + 19 + 1 + 1
    other = table.blocks[0].row("results.other")
    assert other.labels == ("三、本年度办理结果", "（六）其他处理")
    assert [c.value for c in other.cells] == [1, 1, 0, 0, 0, 0, 2]
    assert other.cells[-1].ids == ("B19-02", "B19-03")
    assert [table.cell(k, "total").value for k in ("received", "carried_over", "results.total", "carried_forward")] == [
        5,
        0,
        4,
        1,
    ]
    assert table.cell("results.withheld.three_safeties", "legal_services").ids == ("B19-04",)
    assert report.values["applications"]["results"]["other"]["total"] == 2


def test_2019_table_two_labels_and_values(build):
    table = build("format_2019", year=2019, as_of=date(2020, 1, 20)).table("二")
    assert [b.heading for b in table.blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "第二十条第（九）项",
    ]
    first = table.blocks[0]
    assert [c.labels[0] for c in first.columns] == ["本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert [r.labels[0] for r in first.rows] == ["规章", "规范性文件"]
    # reg-old was written and published in 2019; norm-d (2018) and norm-e (2016) were public
    # before the end of 2019 (no issuers filter in this figures.yml, so norm-e counts).
    assert [table.cell("regulation", m).value for m in ("made", "published", "public_total")] == [1, 1, 1]
    assert [table.cell("normative", m).value for m in ("made", "published", "public_total")] == [0, 0, 2]
    assert table.cell("normative", "public_total").ids == ("norm-d", "norm-e")
    assert [c.labels[0] for c in table.blocks[1].columns] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert [r.labels[0] for r in table.blocks[1].rows] == ["行政许可", "其他对外管理服务事项"]
    assert table.cell("licensing", "change").value == -2
    assert [c.labels[0] for c in table.blocks[3].columns] == ["上一年项目数量", "本年增/减"]
    assert table.cell("procurement", "amount").value == Decimal("120.5")
    assert [c.labels[0] for c in table.blocks[4].columns] == ["采购项目数量", "采购总金额"]


def problems(data_dir: Path, year: int, as_of: date) -> list[str]:
    with pytest.raises(ReportError) as caught:
        build_annual_report(year, small_corpus(), data_dir, as_of, status_on=stand_in_status_on)
    return [p.format() for p in caught.value.problems]


def test_2019_register_may_omit_the_other_ground_but_2021_may_not(build, tmp_path):
    build("format_2019", year=2019, as_of=date(2020, 1, 20))  # B19-02 has no ground: fine in 2019
    target = tmp_path / "2021"
    shutil.copytree(CORPORA / "format_2019" / "2019", target)
    for name in ("applications.csv", "cases.csv"):
        text = (target / name).read_text(encoding="utf-8-sig").replace("2019-", "2021-")
        (target / name).write_text(text, encoding="utf-8")
    (target / "figures.yml").write_text(
        "licensing: {decisions: 1}\npenalty: {decisions: 1}\ncoercion: {decisions: 1}\nfees: {amount: 0}\n",
        encoding="utf-8",
    )
    assert problems(tmp_path, 2021, date(2022, 1, 20)) == [
        "2021/applications.csv:3: ground: missing value: 其他处理 needs a ground, one of "
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请, "
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请, 3.其他"
    ]


def test_figures_can_override_the_format(build):
    report = build("format_override")
    assert report.year == 2025 and report.format.code == "2019"
    assert report.table("三").cell("results.other", "total").value == 1
    assert report.table("二").blocks[0].columns[0].labels == ("本年新制作数量",)


def test_2019_figures_keys_are_refused_in_a_2021_year(tmp_path):
    shutil.copytree(CORPORA / "format_override", tmp_path / "annual")
    figures = tmp_path / "annual" / "2025" / "figures.yml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("format: 2019\n", ""), encoding="utf-8")
    messages = problems(tmp_path / "annual", 2025, date(2026, 1, 20))
    assert messages[0] == (
        '2025/figures.yml:2: other_services: unknown key "other_services" for the 2021 format; '
        "expected one of format, issuers, licensing, penalty, coercion, fees"
    )
    assert (
        '2025/figures.yml:1: licensing.previous_items: unknown key "previous_items"; expected one of decisions'
        in messages
    )
    assert (
        "2025/figures.yml:5: fees.amount: 本年收费金额（单位：万元） is blank; blank is not zero: write 0 when there were none"
        in messages
    )


def test_unknown_format_is_a_problem(tmp_path):
    shutil.copytree(CORPORA / "good", tmp_path / "annual")
    figures = tmp_path / "annual" / "2025" / "figures.yml"
    figures.write_text("format: 2020\n" + figures.read_text(encoding="utf-8"), encoding="utf-8")
    assert problems(tmp_path / "annual", 2025, date(2026, 1, 20)) == [
        '2025/figures.yml:1: format: unknown format "2020"; expected one of 2019, 2021'
    ]
