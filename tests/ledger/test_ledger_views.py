"""Public views of the ledger: rows, counts, CSV and JSON; non-public items only as counts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

from disclosure.ledger import public_rows, public_view, read_ledger, write_ledger_csv, write_ledger_json
from disclosure.ledger_views import COLUMNS
from ledger_support import HISTORY, LEDGER, record_history, ws  # noqa: F401

AS_OF = HISTORY[-1]
CANARIES = ("CANARY", "canary-secret-notice", "canary-on-request", "TEST/2021-00099", "TEST/2021-00098", "测试局办公室")


def view_of(ws, as_of: date = AS_OF) -> dict:  # type: ignore[no-untyped-def]
    corpus = ws.corpus(as_of)
    return public_view(corpus, corpus.public(as_of), read_ledger(LEDGER).entries, as_of)


def test_rows(ws) -> None:
    record_history(ws)
    corpus = ws.corpus(AS_OF)
    rows = public_rows(corpus, corpus.public(AS_OF), read_ledger(LEDGER).entries, AS_OF)
    assert [(r["序号"], r["索引号"], r["发布日期"]) for r in rows] == [
        (1, "TEST/2019-00001", "2019-05-01"), (2, "TEST/2019-00002", "2019-05-02"), (3, "TEST/2020-00002", "2020-03-01"),
        (4, "TEST/2020-00001", "2020-03-01"), (5, "TEST/2021-00001", "2021-01-10"), (6, "TEST/2021-00002", "2021-01-11"),
        (7, "TEST/2021-00003", "2021-06-01"), (8, "TEST/2022-00001", "2022-08-01"), (9, "TEST/2022-00002", "2022-08-02"),
    ]
    rules_a = rows[3]
    assert rules_a == {
        "序号": 4,
        "索引号": "TEST/2020-00001",
        "标题": "甲规则（测试）",
        "发文字号": "测发〔2020〕1号",
        "发文机关": "测试局",
        "类型": "行政规范性文件",
        "类型代码": "normative",
        "成文日期": "2020-02-25",
        "发布日期": "2020-03-01",
        "公开方式": "主动公开（门户网站）",
        "有效性": "已废止（已由《丙规则（测试）》（测发〔2022〕3号）废止，自2022-09-01起）",
        "有效性代码": "repealed",
        "解读": [{"标题": "《甲规则》解读（测试）", "发布日期": "2020-03-01", "链接": "documents/interp-rules-a/"}],
        "审查": {"审查机构": "办公室", "审查日期": "2020-02-28", "审查结论": "通过"},
        "内容哈希": hashlib.sha256(Path("content/normative/rules-a.md").read_bytes()).hexdigest(),
        "链接": "documents/rules-a/",
    }
    assert rows[4]["内容哈希"] == hashlib.sha256(Path("content/normative/rules-b/v2.md").read_bytes()).hexdigest()
    assert rows[0]["有效性"] == "失效（有效期至2023-06-30，已失效）"


def test_counts(ws) -> None:
    record_history(ws)
    view = view_of(ws)
    assert view["head"] == read_ledger(LEDGER).head and view["entries"] == 14
    assert view["counts"] == {
        "by_type": {"interpretation": 4, "normative": 3, "notice": 1, "regulation": 1},
        "by_year": {"2019": 2, "2020": 2, "2021": 3, "2022": 2},
        "by_status": {"effective": 7, "expired": 1, "repealed": 1},
        "by_disclosure": {"proactive": 9, "withdrawn": 0, "on_request": 1, "not_public": 1, "held_back": 0},
        # the ground reduced to law and article: an editor's free text never reaches the site
        "withheld_by_basis": {"《政府信息公开条例》第二十七条": 1, "《政府信息公开条例》第十六条第一款": 1},
        "listed": 9,
    }


def test_canary_never_in_public_views(ws, tmp_path) -> None:
    record_history(ws)
    ledger_text = LEDGER.read_text(encoding="utf-8")
    assert "CANARY" in ledger_text  # the internal ledger does record withheld items...
    view = view_of(ws)
    write_ledger_csv(view["rows"], tmp_path / "out" / "ledger.csv")
    write_ledger_json(view, tmp_path / "out" / "ledger.json")
    secret_hashes = [hashlib.sha256(Path(p).read_bytes()).hexdigest()
                     for p in ("content/notice/canary-secret-notice.md", "content/notice/canary-on-request.md")]
    for text in (json.dumps(view["rows"], ensure_ascii=False), json.dumps(view, ensure_ascii=False),
                 (tmp_path / "out" / "ledger.csv").read_text(encoding="utf-8-sig"),
                 (tmp_path / "out" / "ledger.json").read_text(encoding="utf-8")):
        for canary in CANARIES + tuple(secret_hashes):
            assert canary not in text  # ...the public views never do


def test_withdrawn_item_stays_listed(ws) -> None:
    record_history(ws)
    Path("content/notice/notice-e.md").unlink()
    ws.record(date(2024, 3, 1), withdrawals={"notice-e": "公告事项已结束"})
    view = view_of(ws, date(2024, 3, 1))
    row = next(r for r in view["rows"] if r["索引号"] == "TEST/2021-00003")
    assert (row["标题"], row["公开方式"], row["有效性"], row["有效性代码"]) == (
        "戊公告（测试）", "主动公开（已从网站撤回）", "已撤回（公告事项已结束）", "withdrawn")
    assert view["counts"]["by_disclosure"]["withdrawn"] == 1
    assert view["counts"]["by_disclosure"]["proactive"] == 8


def test_csv_for_excel(ws, tmp_path) -> None:
    record_history(ws)
    view = view_of(ws)
    path = tmp_path / "ledger.csv"
    write_ledger_csv(view["rows"], path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(view["rows"]) + 1 and raw.replace(b"\r\n", b"").count(b"\n") == 0
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(table[0]) == COLUMNS
    assert table[4] == ["4", "TEST/2020-00001", "甲规则（测试）", "测发〔2020〕1号", "测试局", "行政规范性文件", "2020-02-25", "2020-03-01",
                        "主动公开（门户网站）", "已废止（已由《丙规则（测试）》（测发〔2022〕3号）废止，自2022-09-01起）",
                        "《甲规则》解读（测试）（2020-03-01）", "办公室，2020-02-28，通过", view["rows"][3]["内容哈希"],
                        "documents/rules-a/"]


def test_json_is_deterministic(ws, tmp_path) -> None:
    record_history(ws)
    write_ledger_json(view_of(ws), tmp_path / "a.json")
    write_ledger_json(view_of(ws), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["head"] == read_ledger(LEDGER).head and data["counts"]["listed"] == 9


def test_rows_follow_the_date(ws) -> None:
    record_history(ws)
    view = view_of(ws, date(2021, 12, 31))
    assert [r["索引号"] for r in view["rows"]] == ["TEST/2019-00001", "TEST/2019-00002", "TEST/2020-00002", "TEST/2020-00001",
                                                   "TEST/2021-00001", "TEST/2021-00002", "TEST/2021-00003"]
    assert view["rows"][4]["内容哈希"] == hashlib.sha256(Path("content/normative/rules-b/v1.md").read_bytes()).hexdigest()
