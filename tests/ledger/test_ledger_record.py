"""`record`: which events it appends, with which dates, and when it refuses."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.corpus import Corpus
from disclosure.document import Disclosure, DocType, Document, Review, ReviewResult, Version
from disclosure.ledger import canonical, record
from disclosure.ledger_chain import ENTRY_KEYS
from disclosure.problems import Severity
from ledger_support import HISTORY, LEDGER, make_workspace, record_history, summary, ws  # noqa: F401

PATH = "ledger/ledger.jsonl"


def test_first_record(ws) -> None:
    result = ws.record(date(2020, 12, 31))
    assert result.problems == []
    assert summary(result.new_entries) == [
        (1, "published", "2019-05-01", "reg-d", 1),
        (2, "published", "2019-05-02", "interp-reg-d", 1),
        (3, "published", "2020-03-01", "interp-rules-a", 1),
        (4, "published", "2020-03-01", "rules-a", 1),
    ]
    assert ws.entries() == result.new_entries


def test_entry_format(ws) -> None:
    ws.record(date(2020, 12, 31))
    raw = LEDGER.read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw
    line = raw.decode("utf-8").splitlines()[3]
    assert "甲规则（测试）" in line  # ensure_ascii=False
    entry = json.loads(line)
    assert list(entry) == sorted(entry) == sorted(ENTRY_KEYS)
    assert line == canonical(entry)
    source = Path("content/normative/rules-a.md")
    assert entry == {
        "author": None,
        "commit": None,
        "date": "2020-03-01",
        "disclosure": "proactive",
        "disclosure_basis": None,
        "doc_id": "rules-a",
        "doc_number": "测发〔2020〕1号",
        "event": "published",
        "hash": entry["hash"],
        "index_number": "TEST/2020-00001",
        "note": None,
        "path": "content/normative/rules-a.md",
        "prev": ws.entries()[2]["hash"],
        "review": {"by": "办公室", "date": "2020-02-28", "result": "passed"},
        "seq": 4,
        "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "title": "甲规则（测试）",
        "type": "normative",
        "version": 1,
    }
    body = {k: v for k, v in entry.items() if k != "hash"}
    assert entry["hash"] == hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def test_recording_twice_appends_nothing(ws) -> None:
    record_history(ws)
    before = ws.ledger_bytes()
    again = ws.record(HISTORY[-1])
    assert again.new_entries == [] and again.problems == []
    assert ws.ledger_bytes() == before


def test_history_revision_repeal_expiry_and_withheld(ws) -> None:
    record_history(ws)
    entries = ws.entries()
    assert summary(entries[4:]) == [
        (5, "published", "2021-01-10", "rules-b", 1),
        (6, "published", "2021-01-11", "interp-rules-b", 1),
        (7, "published", "2021-06-01", "notice-e", 1),
        (8, "withheld", "2021-07-01", "canary-secret-notice", 1),
        (9, "withheld", "2021-08-01", "canary-on-request", 1),
        (10, "new_version", "2022-05-10", "rules-b", 2),
        (11, "published", "2022-08-01", "rules-c", 1),
        (12, "published", "2022-08-02", "interp-rules-c", 1),
        (13, "repealed", "2022-09-01", "rules-a", 1),
        (14, "expired", "2023-07-01", "reg-d", 1),
    ]
    by_seq = {e["seq"]: e for e in entries}
    assert by_seq[10]["note"] == "修改第一条。"
    assert by_seq[10]["path"] == "content/normative/rules-b/v2.md"
    assert by_seq[13]["note"] == "已由《丙规则（测试）》（测发〔2022〕3号）废止，自2022-09-01起"
    assert by_seq[14]["note"] == "有效期至2023-06-30，已失效"
    assert by_seq[8]["note"] == "不予公开"
    assert by_seq[8]["disclosure_basis"] == "《中华人民共和国政府信息公开条例》第十六条第一款（内部事务信息）"
    assert by_seq[9]["note"] == "依申请公开"
    assert ws.verify(HISTORY[-1]).ok


def test_repeal_is_recorded_only_once_its_date_is_reached(ws) -> None:
    ws.record(date(2022, 8, 31))
    assert "repealed" not in [e["event"] for e in ws.entries()]
    result = ws.record(date(2022, 9, 1))
    assert summary(result.new_entries) == [(13, "repealed", "2022-09-01", "rules-a", 1)]


def test_one_run_for_the_whole_history_gives_the_same_events(ws) -> None:
    ws.record(HISTORY[-1])
    assert sorted((e["event"], e["date"], e["doc_id"], e["version"]) for e in ws.entries()) == sorted(
        [("published", "2019-05-01", "reg-d", 1), ("published", "2019-05-02", "interp-reg-d", 1),
         ("published", "2020-03-01", "interp-rules-a", 1), ("published", "2020-03-01", "rules-a", 1),
         ("published", "2021-01-10", "rules-b", 1), ("published", "2021-01-11", "interp-rules-b", 1),
         ("published", "2021-06-01", "notice-e", 1), ("withheld", "2021-07-01", "canary-secret-notice", 1),
         ("withheld", "2021-08-01", "canary-on-request", 1), ("new_version", "2022-05-10", "rules-b", 2),
         ("published", "2022-08-01", "rules-c", 1), ("published", "2022-08-02", "interp-rules-c", 1),
         ("repealed", "2022-09-01", "rules-a", 1), ("expired", "2023-07-01", "reg-d", 1)])


def test_correction_with_a_note(ws) -> None:
    record_history(ws)
    ws.replace_in("notice/notice-e.md", "戊公告正文。", "戊公告正文（更正错字）。")
    when = date(2024, 3, 1)
    result = ws.record(when, correction_notes={"notice-e": "更正第一段错字"})
    assert result.problems == []
    assert summary(result.new_entries) == [(15, "corrected", "2024-03-01", "notice-e", 1)]
    entry = result.new_entries[0]
    assert entry["note"] == "更正第一段错字"
    assert entry["sha256"] == hashlib.sha256(Path("content/notice/notice-e.md").read_bytes()).hexdigest()
    report = ws.verify(when)
    assert report.ok, report.format_text()
    assert ws.record(when).new_entries == []


def test_correction_note_may_name_the_version(ws) -> None:
    record_history(ws)
    ws.replace_in("normative/rules-b/v1.md", "乙办法原文。", "乙办法原文（更正）。")
    result = ws.record(date(2024, 3, 1), correction_notes={"rules-b#v1": "更正标点"})
    assert summary(result.new_entries) == [(15, "corrected", "2024-03-01", "rules-b", 1)]


def test_correction_note_without_a_changed_text_is_refused(ws) -> None:
    record_history(ws)
    before = ws.ledger_bytes()
    result = ws.record(date(2024, 3, 1), correction_notes={"notice-e": "没有改动"})
    assert [p.format() for p in result.problems] == [
        f"{PATH}: --correction notice-e: no published version of 'notice-e' has a changed text "
        "(expected a correction note only for a published version whose file changed)"]
    assert ws.ledger_bytes() == before


def test_revise_moves_the_first_version_and_needs_a_note(ws) -> None:
    """What `publish.py revise` does to a single-file document: v1 moves and gains `version: 1`."""
    record_history(ws)
    source = Path("content/notice/notice-e.md")
    folder = Path("content/notice/notice-e")
    folder.mkdir()
    text = source.read_text(encoding="utf-8").replace("id: notice-e\n", "id: notice-e\nversion: 1\n")
    (folder / "v1.md").write_text(text, encoding="utf-8")
    source.unlink()
    result = ws.record(date(2024, 3, 1))
    assert [p.format() for p in result.problems] == [
        "content/notice/notice-e/v1.md: notice-e v1: text changed since it was recorded (entry 7) "
        "(the file moved here from content/notice/notice-e.md, as `publish.py revise` does); nothing written "
        '(expected --correction notice-e#v1="what was corrected" to record a correction, or the recorded text restored)']
    result = ws.record(date(2024, 3, 1), correction_notes={"notice-e#v1": "转为分版本存放，正文未改"})
    assert summary(result.new_entries) == [(15, "corrected", "2024-03-01", "notice-e", 1)]
    assert result.new_entries[0]["path"] == "content/notice/notice-e/v1.md"


def test_withdrawal_needs_a_reason(ws) -> None:
    record_history(ws)
    Path("content/notice/notice-e.md").unlink()
    before = ws.ledger_bytes()
    result = ws.record(date(2024, 3, 1))
    assert [p.format() for p in result.problems] == [
        "content/notice/notice-e.md: notice-e v1: published (entry 7) but the document is no longer in the corpus; nothing written "
        '(expected --withdraw notice-e#v1="reason" to record a withdrawal, or the document restored)']
    assert ws.ledger_bytes() == before
    result = ws.record(date(2024, 3, 1), withdrawals={"notice-e": "公告事项已结束"})
    assert summary(result.new_entries) == [(15, "withdrawn", "2024-03-01", "notice-e", 1)]
    entry = result.new_entries[0]
    assert (entry["note"], entry["title"], entry["sha256"]) == ("公告事项已结束", "戊公告（测试）", ws.entries()[6]["sha256"])
    assert ws.verify(date(2024, 3, 1)).ok


def test_document_turned_not_public_needs_a_withdrawal(ws) -> None:
    record_history(ws)
    ws.replace_in("notice/notice-e.md", "disclosure: proactive", "disclosure: not_public\ndisclosure_basis: 《条例》第十四条")
    result = ws.record(date(2024, 3, 1))
    assert [p.format() for p in result.problems] == [
        "content/notice/notice-e.md: notice-e v1: published (entry 7) but is no longer public (disclosure: not_public); nothing written "
        '(expected --withdraw notice-e#v1="reason" to record a withdrawal, or the document restored)']
    result = ws.record(date(2024, 3, 1), withdrawals={"notice-e#v1": "经复核不宜公开"})
    assert summary(result.new_entries) == [(15, "withdrawn", "2024-03-01", "notice-e", 1)]


def test_withdrawing_a_document_still_public_is_refused(ws) -> None:
    record_history(ws)
    result = ws.record(date(2024, 3, 1), withdrawals={"notice-e": "想撤回"})
    assert [p.format() for p in result.problems] == [
        f"{PATH}: --withdraw notice-e: 'notice-e' is still public in the corpus "
        "(expected remove it from the site first (delete the file, or change disclosure), then record the withdrawal)"]


def test_malformed_note_key_is_refused(ws) -> None:
    result = ws.record(date(2020, 12, 31), correction_notes={"Rules A": "x"})
    assert [p.format() for p in result.problems] == [
        f"{PATH}: --correction 'Rules A': not a document id or ID#vN "
        '(expected --correction ID="..." or --correction ID#vN="...")']
    assert not LEDGER.exists()


def test_as_of_before_the_ledger_is_refused(ws) -> None:
    record_history(ws)
    before = ws.ledger_bytes()
    result = ws.record(date(2023, 1, 1))
    assert [p.format() for p in result.problems] == [
        f"{PATH}:14: date: --as-of 2023-01-01 is before the latest date in the ledger (2023-07-01, line 14) "
        "(expected an as-of date on or after the ledger's latest entry)"]
    assert ws.ledger_bytes() == before


def test_documents_published_after_as_of_wait(ws) -> None:
    result = ws.record(date(2019, 5, 1))
    assert summary(result.new_entries) == [(1, "published", "2019-05-01", "reg-d", 1)]


def test_written_atomically_without_leftovers(ws) -> None:
    record_history(ws)
    assert sorted(p.name for p in LEDGER.parent.iterdir()) == ["ledger.jsonl"]


# ---------------------------------------------------------------- the disclosure gate


def test_held_back_document_is_withheld_not_published(tmp_path, monkeypatch) -> None:
    ws = make_workspace(tmp_path, monkeypatch, "auditor")
    result = ws.record(date(2024, 12, 31))
    held = [e for e in result.new_entries if e["doc_id"] == "held-back"]
    assert [(e["event"], e["note"], e["review"]["result"]) for e in held] == [("withheld", "保密审查未通过，暂不公开", "failed")]
    assert all(e["review"]["result"] == "passed" for e in result.new_entries if e["event"] == "published")


def test_record_refuses_a_publication_without_a_passed_review_even_if_the_gate_breaks(tmp_path, monkeypatch) -> None:
    ws = make_workspace(tmp_path, monkeypatch, "auditor")
    corpus = ws.corpus(date(2024, 12, 31))
    monkeypatch.setattr(Version, "is_public", property(lambda self: True))
    monkeypatch.setattr(Corpus, "public", lambda self, as_of=None: self)
    result = record(corpus, LEDGER, date(2024, 12, 31), git=False)
    assert [p.format() for p in result.problems] == [
        "content/normative/held-back.md: held-back v1: refusing to record a publication without a passed confidentiality review "
        "(expected review: {by, date, result: passed} on a proactive document)"]
    assert result.new_entries == [] and not LEDGER.exists()


def _version(doc_id: str, number: int, disclosure: Disclosure, review: ReviewResult | None) -> Version:
    record = Review("办公室", date(2020, 1, 1), review) if review else None
    meta = {"id": doc_id, "type": "notice", "title": "标题", "issuer": ("机关",), "published": date(2020, 1, number),
            "disclosure": disclosure.value, "_key_lines": {}, "_first": {"published": date(2020, 1, 1)}}
    if record:
        meta["review"] = record
    return Version(number=number, path=Path(f"content/{doc_id}/v{number}.md"), title="标题", body="", body_line=1, written=None,
                   published=date(2020, 1, number), effective=None, change_note=None, disclosure=disclosure,
                   review=record, sha256=f"{number:064x}", doc_id=doc_id, meta=meta)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(list(Disclosure)), st.sampled_from([None, *ReviewResult])),
                         min_size=1, max_size=3), min_size=1, max_size=6),
       st.one_of(st.none(), st.dates(date(2019, 12, 1), date(2020, 2, 1))))
def test_the_corpus_gate_never_yields_a_version_without_a_passed_review(shapes, as_of) -> None:
    docs = []
    for index, shape in enumerate(shapes):
        versions = tuple(_version(f"d{index}", n, disclosure, review) for n, (disclosure, review) in enumerate(shape, start=1))
        docs.append(Document(id=f"d{index}", type=DocType.NOTICE, title="标题", issuers=("机关",), versions=versions,
                             published=versions[0].published, disclosure=versions[-1].disclosure, review=versions[-1].review))
    public = Corpus(docs).public(as_of)
    for doc in public:
        for version in doc.versions:
            assert version.disclosure is Disclosure.PROACTIVE
            assert version.review is not None and version.review.result is ReviewResult.PASSED
            assert as_of is None or version.published <= as_of
    expected = {(f"d{i}", n) for i, shape in enumerate(shapes) for n, (d, r) in enumerate(shape, start=1)
                if d is Disclosure.PROACTIVE and r is ReviewResult.PASSED and (as_of is None or date(2020, 1, n) <= as_of)}
    assert {(doc.id, v.number) for doc in public for v in doc.versions} == expected


def test_uncommitted_state_is_not_required(ws) -> None:
    """Outside git, commit and author are null and record says nothing about it."""
    result = ws.record(date(2020, 12, 31), git=True)
    assert result.problems == []
    assert {(e["commit"], e["author"]) for e in result.new_entries} == {(None, None)}


def test_warning_for_provisional_index_numbers(ws) -> None:
    ws.replace_in("notice/notice-e.md", "index_number: TEST/2021-00003\n", "")
    result = ws.record(date(2021, 12, 31))
    assert [p.format() for p in result.problems if p.severity is Severity.WARNING] == [
        f"{PATH}: index_number: 1 recorded document(s) have a provisional index number (first: notice-e) "
        "(expected index numbers written into the files (`publish.py number`) before recording) [warning]"]
    assert result.ok and len(result.new_entries) == 9


def test_republication_after_withdrawal(ws) -> None:
    record_history(ws)
    saved = Path("content/notice/notice-e.md").read_bytes()
    Path("content/notice/notice-e.md").unlink()
    ws.record(date(2024, 3, 1), withdrawals={"notice-e": "暂时撤回"})
    Path("content/notice/notice-e.md").write_bytes(saved)
    result = ws.record(date(2024, 4, 1))
    assert [(e["event"], e["note"]) for e in result.new_entries] == [("published", "重新发布")]
    assert result.new_entries[0]["date"] == "2024-04-01"
