"""Outputs: CSV with BOM and official labels, deterministic JSON, template context, narrative."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from disclosure.report import fill_narrative, narrative_document, write_csv, write_json

from report_standins import StandInCorpus, StandInDocument, small_corpus
from report_standins import build  # noqa: F401  (fixtures)


def read_csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_has_bom_and_official_labels(build, tmp_path):
    paths = write_csv(build("good"), tmp_path)
    assert [p.name for p in paths] == [
        "annual-report-2025-table2.csv",
        "annual-report-2025-table3.csv",
        "annual-report-2025-table4.csv",
    ]
    three = read_csv(paths[1])
    assert (
        three[0]
        == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", ""] + ["申请人情况"] * 7
    )
    assert three[1] == ["", "", "", "自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert three[2] == ["", "", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert three[3] == ["一、本年新收政府信息公开申请数量", "", "", "3", "1", "1", "1", "1", "1", "8"]
    assert three[10] == [
        "三、本年度办理结果",
        "（三）不予公开",
        "4.保护第三方合法权益",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
    ]
    assert three[-1] == ["四、结转下年度继续办理", "", "", "1", "1", "0", "0", "0", "0", "2"]
    two = read_csv(paths[0])
    assert two[:4] == [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "1", "1", "1"],
        ["行政规范性文件", "2", "1", "2"],
    ]
    assert two[-2:] == [["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "1.5"]]
    four = read_csv(paths[2])
    assert four[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert four[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert four[2][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert four[3] == ["1", "1", "0", "1", "3", "0", "0", "1", "0", "1", "0", "0", "0", "1", "1"]
    assert paths[1].read_bytes().count(b"\r\n") == len(three)


def test_json_is_byte_identical_across_runs(build, tmp_path):
    first = write_json(build("good"), tmp_path / "a.json").read_bytes()
    second = write_json(build("good", as_of=date(2026, 3, 1)), tmp_path / "b.json").read_bytes()
    assert first == second
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert "2026-01-20" not in first.decode("utf-8") and "as_of" not in data


def test_json_traces_list_only_public_documents(build, tmp_path):
    data = json.loads(write_json(build("good"), tmp_path / "r.json").read_text(encoding="utf-8"))
    first = data["tables"]["二"]["blocks"][0]
    normative = first["rows"][1]
    assert normative["labels"] == ["行政规范性文件"]
    assert normative["cells"][0] == {"ids": ["norm-c"], "non_public": 1, "source": "corpus", "value": 2}
    assert "norm-a" not in json.dumps(data)
    assert data["tables"]["二"]["blocks"][3]["rows"][0]["cells"][0]["value"] == 1.5
    cell = data["tables"]["三"]["blocks"][0]["rows"][0]["cells"][0]
    assert cell == {
        "ids": ["A25-01", "A25-02", "A25-08"],
        "non_public": 0,
        "source": "2025/applications.csv",
        "value": 3,
    }


def test_context_sections_and_merged_cells(build):
    context = build("good").as_context()
    assert [(s["number"], s["title"], s["table"]) for s in context["sections"]] == [
        ("一", "总体情况", None),
        ("二", "主动公开政府信息情况", "二"),
        ("三", "收到和处理政府信息公开申请情况", "三"),
        ("四", "政府信息公开行政复议、行政诉讼情况", "四"),
        ("五", "存在的主要问题及改进情况", None),
        ("六", "其他需要报告的事项", None),
    ]
    assert context["format"] == {
        "code": "2021",
        "name": "中华人民共和国政府信息公开工作年度报告格式",
        "reference": "国办公开办函〔2021〕30号",
    }
    block = context["tables"]["三"]["blocks"][0]
    header = block["header_rows"]
    assert header[0][0]["colspan"] == 3 and header[0][0]["rowspan"] == 3
    assert header[0][1] == {"label": "申请人情况", "colspan": 7, "rowspan": 1}
    assert header[1] == [
        {"label": "自然人", "colspan": 1, "rowspan": 2},
        {"label": "法人或其他组织", "colspan": 5, "rowspan": 1},
        {"label": "总计", "colspan": 1, "rowspan": 2},
    ]
    rows = block["rows"]
    assert rows[0]["label_cells"] == [{"label": "一、本年新收政府信息公开申请数量", "colspan": 3, "rowspan": 1}]
    assert rows[2]["label_cells"] == [
        {"label": "三、本年度办理结果", "colspan": 1, "rowspan": 22},
        {"label": "（一）予以公开", "colspan": 2, "rowspan": 1},
    ]
    assert rows[4]["label_cells"] == [
        {"label": "（三）不予公开", "colspan": 1, "rowspan": 8},
        {"label": "1.属于国家秘密", "colspan": 1, "rowspan": 1},
    ]
    assert rows[5]["label_cells"] == [{"label": "2.其他法律行政法规禁止公开", "colspan": 1, "rowspan": 1}]
    four = context["tables"]["四"]["blocks"][0]["header_rows"]
    assert four[0] == [
        {"label": "行政复议", "colspan": 5, "rowspan": 1},
        {"label": "行政诉讼", "colspan": 10, "rowspan": 1},
    ]
    assert four[1][0] == {"label": "结果维持", "colspan": 1, "rowspan": 2}


def test_fill_narrative(build):
    report = build("good")
    text = (
        "## 三\n本年度新收申请 {{ applications.received.total }} 件，{{applications.results.withheld.total}} 件不予公开。\n"
        "收费 {{ proactive.fees.amount }} 万元；复议 {{ reconsideration.total }} 件，诉讼 {{ litigation.total }} 件。"
    )
    filled, problems = fill_narrative(text, report)
    assert problems == []
    assert filled == "## 三\n本年度新收申请 8 件，2 件不予公开。\n收费 1.5 万元；复议 3 件，诉讼 2 件。"


def test_fill_narrative_reports_unknown_placeholders_with_their_line(build):
    report = build("good")
    text = "第一行\n共 {{ applications.recieved.total }} 件\n{{ applications.received }}\n{{ not a name }}"
    filled, problems = fill_narrative(text, report, path="content/annual_report/x.md", first_line=20)
    assert filled == text
    assert [p.format() for p in problems] == [
        'content/annual_report/x.md:21: unknown placeholder "applications.recieved.total"; expected one of '
        "applications.carried_forward, applications.carried_over, applications.received, applications.results",
        'content/annual_report/x.md:22: placeholder "applications.received" names a group, not a value; use one of '
        "applications.received.business, applications.received.legal_services, applications.received.natural_person, "
        "applications.received.organisations, applications.received.other_org, applications.received.public_interest, "
        "applications.received.research, applications.received.total",
        'content/annual_report/x.md:23: malformed placeholder "{{ not a name }}"; expected {{ dotted.name }}',
    ]


def test_narrative_document_is_found_by_report_year():
    docs = small_corpus().documents + (
        StandInDocument("ar-2025", type("T", (), {"value": "annual_report"})(), (), (), report_year=2025),
    )
    assert narrative_document(StandInCorpus(docs), 2025).id == "ar-2025"
    assert narrative_document(StandInCorpus(docs), 2024) is None
