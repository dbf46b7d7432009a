"""A known-good small register (corpora/good) against tables computed by hand.

good/2025/applications.csv (line: id, received, applicant, closed, result/ground):
  2 A24-02 2024-11-20 商业企业 2025-01-10 部分公开            (carried over)
  3 A24-03 2024-12-10 自然人   2025-01-15 不予公开 4          (carried over)
  4 A25-01 2025-01-05 自然人   2025-01-25 予以公开
  5 A25-02 2025-02-01 自然人   2025-02-20 不予公开 6 (by label)
  6 A25-03 2025-03-03 科研机构 2025-03-30 无法提供 1 (number and label)
  7 A25-04 2025-04-04 社会公益组织 2025-04-20 不予处理 2
  8 A25-05 2025-05-05 法律服务机构 2025-05-25 其他处理 2
  9 A25-06 2025-06-06 其他     2025-06-26 予以公开
 10 A25-07 2025-12-20 商业企业 (open)
 11 A25-08 2025-12-22 自然人   2026-01-05 予以公开 (closed after the year: carried forward)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from disclosure.report import format_for_year
from report_standins import build  # noqa: F401  (fixtures)

COLUMNS = ["natural_person", "business", "research", "public_interest", "legal_services", "other_org", "total"]


def row_values(table, key):
    return [table.cell(key, column).value for column in COLUMNS]


def test_table_three_by_hand(build):
    table = build("good").table("三")
    zero = [0] * 7
    expected = {
        "received": [3, 1, 1, 1, 1, 1, 8],
        "carried_over": [1, 1, 0, 0, 0, 0, 2],
        "results.disclosed": [1, 0, 0, 0, 0, 1, 2],
        "results.partial": [0, 1, 0, 0, 0, 0, 1],
        "results.withheld.third_party": [1, 0, 0, 0, 0, 0, 1],
        "results.withheld.process_info": [1, 0, 0, 0, 0, 0, 1],
        "results.unavailable.not_held": [0, 0, 1, 0, 0, 0, 1],
        "results.not_processed.repeated": [0, 0, 0, 1, 0, 0, 1],
        "results.other.no_fee": [0, 0, 0, 0, 1, 0, 1],
        "results.total": [3, 1, 1, 1, 1, 1, 8],
        "carried_forward": [1, 1, 0, 0, 0, 0, 2],
    }
    block = table.blocks[0]
    assert len(block.rows) == 2 + 21 + 1 + 1
    for row in block.rows:
        assert row_values(table, row.key) == expected.get(row.key, zero), row.key


def test_table_three_traces_name_the_applications(build):
    table = build("good").table("三")
    assert table.cell("received", "natural_person").ids == ("A25-01", "A25-02", "A25-08")
    assert table.cell("carried_over", "total").ids == ("A24-02", "A24-03")
    assert table.cell("carried_forward", "total").ids == ("A25-07", "A25-08")
    assert table.cell("results.withheld.third_party", "natural_person").ids == ("A24-03",)
    assert table.cell("results.partial", "business").source == "2025/applications.csv"


def test_table_three_official_labels(build):
    block = build("good").table("三").blocks[0]
    assert block.corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert [c.labels for c in block.columns] == [
        ("申请人情况", "自然人"),
        ("申请人情况", "法人或其他组织", "商业企业"),
        ("申请人情况", "法人或其他组织", "科研机构"),
        ("申请人情况", "法人或其他组织", "社会公益组织"),
        ("申请人情况", "法人或其他组织", "法律服务机构"),
        ("申请人情况", "法人或其他组织", "其他"),
        ("申请人情况", "总计"),
    ]
    labels = [r.labels for r in block.rows]
    assert labels[0] == ("一、本年新收政府信息公开申请数量",)
    assert labels[1] == ("二、上年结转政府信息公开申请数量",)
    assert labels[2] == ("三、本年度办理结果", "（一）予以公开")
    assert labels[3] == ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    assert labels[6] == ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”")
    assert labels[19] == ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息")
    assert labels[20:23] == [
        ("三、本年度办理结果", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        (
            "三、本年度办理结果",
            "（六）其他处理",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    ]
    assert labels[-2:] == [("三、本年度办理结果", "（七）总计"), ("四、结转下年度继续办理",)]


def test_table_four_by_hand(build):
    table = build("good").table("四")
    row = table.blocks[0].rows[0]
    values = [c.value for c in row.cells]
    #          复议: 维持 纠正 其他 未结 总计 | 直接起诉: …           | 复议后起诉: …
    assert values == [1, 1, 0, 1, 3, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1]
    assert table.cell("cases", "after_review.pending").ids == ("L2",)  # concluded 2026-01-10
    assert table.blocks[0].columns[0].labels == ("行政复议", "结果维持")
    assert table.blocks[0].columns[14].labels == ("行政诉讼", "复议后起诉", "总计")


def test_table_two_by_hand(build):
    table = build("good").table("二")
    first = table.blocks[0]
    assert first.heading == "第二十条第（一）项"
    assert [c.labels[0] for c in first.columns] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert [r.labels[0] for r in first.rows] == ["规章", "行政规范性文件"]
    regulation = [table.cell("regulation", m) for m in ("issued", "repealed", "in_force")]
    assert [(c.value, c.ids, c.non_public) for c in regulation] == [
        (1, ("reg-new",), 0),
        (1, ("reg-old",), 0),  # repealed 2025-05-01
        (1, ("reg-new",), 0),
    ]
    normative = [table.cell("normative", m) for m in ("issued", "repealed", "in_force")]
    assert [(c.value, c.ids, c.non_public) for c in normative] == [
        (2, ("norm-c",), 1),  # norm-a is not public: counted, not listed
        (1, ("norm-b",), 0),  # expired: no longer applies from 2025-01-01
        (2, ("norm-d",), 1),  # norm-a (effective) and norm-d (partially invalid); norm-c starts 2026
    ]
    assert table.cell("licensing", "decisions").value == 10
    assert table.cell("penalty", "decisions").value == 2
    assert table.cell("coercion", "decisions").value == 0  # an explicit 0 is fine
    fees = table.cell("fees", "amount")
    assert fees.value == Decimal("1.5") and fees.source == "2025/figures.yml: fees.amount"
    assert [b.heading for b in table.blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert table.blocks[3].columns[0].labels == ("本年收费金额（单位：万元）",)


def test_report_header_values_and_notes(build):
    report = build("good")
    assert report.format is format_for_year(2025)
    assert report.complete
    assert [t.number for t in report.tables] == ["二", "三", "四"]
    assert report.notes == (
        "normative: 1 document(s) not counted, issued by a body not in figures.yml issuers: norm-e",
    )
    assert [path for path, _ in report.sources] == [
        "2024/applications.csv",
        "2025/applications.csv",
        "2025/cases.csv",
        "2025/figures.yml",
    ]
    values = report.values
    assert values["applications"]["received"]["total"] == 8
    assert values["applications"]["received"]["organisations"] == 5
    assert values["applications"]["results"]["withheld"]["total"] == 2
    assert values["applications"]["results"]["withheld"]["process_info"]["natural_person"] == 1
    assert values["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3}
    assert values["litigation"]["total"] == 2
    assert values["litigation"]["direct"]["other"] == 1
    assert values["proactive"]["normative"]["issued"] == 2


def test_provisional_report_is_marked(build):
    report = build("good", as_of=date(2026, 1, 20))
    assert report.complete
    with_open_year = build("format_2019", year=2019, as_of=date(2019, 12, 30))
    assert not with_open_year.complete
    assert with_open_year.notes[0] == "provisional: 2019 was not over on the report date 2019-12-30"
