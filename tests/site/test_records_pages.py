"""The ledger page and the annual report pages of the embedded site."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from disclosure.ledger import read_ledger

from site_kit import ROOT

HIDDEN_TITLE_FRAGMENT = "内部工作安排"  # part of the not-public notice's title


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_ledger_page_shows_the_head_hash_and_counts(embedded_site: Path) -> None:
    head = read_ledger(ROOT / "ledger" / "ledger.jsonl").head
    html = read(embedded_site, "ledger/index.html")
    assert head and head in html
    view = json.loads(read(embedded_site, "ledger/ledger.json"))
    assert view["head"] == head
    assert view["counts"]["by_disclosure"]["not_public"] == 1
    assert view["counts"]["withheld_by_basis"] == {"《政府信息公开条例》第十六条第一款": 1}
    assert "《政府信息公开条例》第十六条第一款" in html


def test_ledger_never_names_the_not_public_document(embedded_site: Path) -> None:
    for name in ("ledger/index.html", "ledger/ledger.json", "ledger/ledger.csv"):
        text = read(embedded_site, name)
        assert "demo-internal-arrangement-notice" not in text and HIDDEN_TITLE_FRAGMENT not in text, name


def test_ledger_csv_opens_in_excel(embedded_site: Path) -> None:
    raw = (embedded_site / "ledger" / "ledger.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["序号", "索引号", "标题", "发文字号"]
    assert len(rows) - 1 == json.loads(read(embedded_site, "ledger/ledger.json"))["counts"]["listed"]


def test_ledger_page_lists_the_late_interpretation(embedded_site: Path) -> None:
    html = read(embedded_site, "ledger/index.html")
    assert "政策解读晚于文件 20 天发布" in html


def test_annual_report_tables_and_filled_narrative(embedded_site: Path) -> None:
    html = read(embedded_site, "annual-report/2025/index.html")
    for label in ("一、本年新收政府信息公开申请数量", "结转下年度继续办理", "行政复议", "本年制发件数"):
        assert label in html
    report = json.loads(read(embedded_site, "annual-report/2025/annual-report-2025.json"))
    narrative = read(embedded_site, "documents/sipo-annual-report-2025/index.html")
    assert "{{" not in narrative
    received = report["values"]["applications"]["received"]["total"]
    assert f"本年度新收政府信息公开申请 {received} 件" in narrative
    assert 'href="../../annual-report/2025/index.html"' in narrative
    for name in ("annual-report-2025-table2.csv", "annual-report-2025-table3.csv", "annual-report-2025-table4.csv"):
        assert (embedded_site / "annual-report" / "2025" / name).read_bytes().startswith(b"\xef\xbb\xbf")


def test_task_breakdown_page_csv_and_report(embedded_site: Path) -> None:
    html = read(embedded_site, "documents/sipo-2025-disclosure-keypoints/tasks/index.html")
    assert 'id="task-6"' in html and "条法司" in html and "6月底前" in html
    assert "按部门查看" in html
    rows = list(csv.reader(io.StringIO((embedded_site / "documents/sipo-2025-disclosure-keypoints/tasks/tasks.csv")
                                       .read_bytes().decode("utf-8-sig"))))
    assert rows[0][:2] == ["序号", "部分"] and rows[0][-3:] == ["落实情况", "说明", "佐证文件"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert rows[5][4] == "办公室" and rows[5][5] == "公共服务司" and rows[5][-3] == "推进中"
    report = read(embedded_site, "annual-report/2025/index.html")
    assert "年度政务公开工作要点落实情况" in report and "documents/sipo-2025-disclosure-keypoints/tasks/index.html" in report
    keypoints_2019 = read(embedded_site, "documents/sipo-2019-disclosure-keypoints/tasks/index.html")
    assert keypoints_2019.count('<tr id="task-') == 30
