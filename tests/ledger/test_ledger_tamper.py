"""Tampering with the ledger, or with a published text, is found with its line, and nothing is written."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from disclosure.ledger import canonical, entry_hash, read_ledger
from disclosure.problems import Problem
from ledger_support import LEDGER, record_history, ws  # noqa: F401  (ws is a fixture)

AFTER = date(2024, 6, 30)
PATH = "ledger/ledger.jsonl"


def refused(ws, as_of: date = AFTER, **options) -> list[str]:  # type: ignore[no-untyped-def]
    """Run record on a tampered ledger: it must refuse and leave the file's bytes as they were."""
    before = ws.ledger_bytes()
    result = ws.record(as_of, **options)
    assert result.new_entries == []
    assert not result.ok
    assert ws.ledger_bytes() == before
    return [p.format() for p in result.problems]


def chain_findings(ws) -> list[str]:  # type: ignore[no-untyped-def]
    report = ws.verify(AFTER)
    assert not report.ok
    return [f.format() for f in report.findings if f.code == "chain"]


def test_an_untouched_ledger_reads_clean(ws) -> None:
    record_history(ws)
    ledger = read_ledger(LEDGER)
    assert ledger.problems == []
    assert [e["seq"] for e in ledger.entries] == list(range(1, 15))
    assert ledger.entries[0]["prev"] == ""
    for before, entry in zip(ledger.entries, ledger.entries[1:]):
        assert entry["prev"] == before["hash"]
    for entry, line in zip(ledger.entries, ws.lines()):
        assert entry["hash"] == hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"}).encode()).hexdigest()
        assert line == canonical(entry)


def test_edited_entry(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    entry = json.loads(lines[2])
    entry["title"] = "改过的标题"
    lines[2] = canonical(entry)
    ws.write_lines(lines)
    expected = [f"{PATH}:3: hash: does not match the entry's content: the entry was edited or forged "
                "(expected the SHA-256 of the entry without 'hash', as `ledger record` wrote it)"]
    assert refused(ws) == expected
    assert chain_findings(ws) == expected


def test_edited_entry_with_its_hash_recomputed_breaks_the_next_link(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    entry = json.loads(lines[2])
    entry["date"] = "2020-02-01"
    entry["hash"] = entry_hash(entry)
    lines[2] = canonical(entry)
    ws.write_lines(lines)
    expected = [f"{PATH}:4: prev: does not match the hash of entry 3 (line 3): the chain is broken "
                "(expected the hash of the entry before (entries are never edited or replaced))"]
    assert refused(ws) == expected
    assert chain_findings(ws) == expected


def test_removed_entry(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    del lines[4]
    ws.write_lines(lines)
    expected = [f"{PATH}:5: seq: is 6, expected 5: entry 5 was removed (expected no entry ever removed from the ledger)"]
    assert refused(ws) == expected
    assert chain_findings(ws) == expected


def test_two_removed_entries(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    del lines[4:6]
    ws.write_lines(lines)
    assert refused(ws) == [f"{PATH}:5: seq: is 7, expected 5: entries 5–6 were removed (expected no entry ever removed from the ledger)"]


def test_reordered_entries(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    lines[5], lines[6] = lines[6], lines[5]
    ws.write_lines(lines)
    expected = [
        f"{PATH}:6: seq: is 7, expected 6: entry 6 is on line 7 (entries reordered) (expected entries in the order they were recorded)",
        f"{PATH}:7: seq: is 6, expected 8: entry out of order (entries reordered) (expected entries in the order they were recorded)",
    ]
    assert refused(ws) == expected
    assert chain_findings(ws) == expected


def test_forged_appended_entry(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    last = json.loads(lines[-1])
    forged = {**last, "seq": last["seq"] + 1, "prev": last["hash"], "event": "withdrawn", "date": "2024-01-02",
              "note": "伪造", "hash": "0" * 64}
    lines.append(canonical(forged))
    ws.write_lines(lines)
    expected = [f"{PATH}:15: hash: does not match the entry's content: the entry was edited or forged "
                "(expected the SHA-256 of the entry without 'hash', as `ledger record` wrote it)"]
    assert refused(ws) == expected
    assert chain_findings(ws) == expected


def test_duplicated_entry(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    lines.insert(3, lines[2])
    ws.write_lines(lines)
    assert refused(ws) == [f"{PATH}:4: seq: is 3, expected 4: entry 3 is duplicated (also on line 3) (expected each entry once)"]


def test_line_that_is_not_json(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    lines[1] = '{"seq": 2,'
    ws.write_lines(lines)
    problems = refused(ws)
    assert problems[0] == (f"{PATH}:2: not valid JSON (Expecting property name enclosed in double quotes, column 11) "
                           "(expected one JSON object per line)")
    # the next entry now follows entry 1 and names entry 2, which cannot be read
    assert problems[1:] == [f"{PATH}:3: seq: is 3, expected 2: entry 2 was removed (expected no entry ever removed from the ledger)"]


def test_reformatted_line(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    lines[0] = json.dumps(json.loads(lines[0]), ensure_ascii=False, sort_keys=True)  # spaces after separators
    ws.write_lines(lines)
    assert refused(ws) == [f"{PATH}:1: not in canonical form: the line was re-written by hand "
                           "(expected the line exactly as `ledger record` wrote it (keys sorted, compact JSON))"]


def test_published_text_changed_without_correction(ws) -> None:
    record_history(ws)
    ws.replace_in("notice/notice-e.md", "戊公告正文。", "戊公告正文（悄悄改过）。")
    expected = ["content/notice/notice-e.md: notice-e v1: text changed since it was recorded (entry 7); nothing written "
                '(expected --correction notice-e#v1="what was corrected" to record a correction, or the recorded text restored)']
    assert refused(ws) == expected
    report = ws.verify(AFTER)
    changed = [f for f in report.findings if f.code == "changed"]
    assert [f.format() for f in changed] == [
        "content/notice/notice-e.md: notice-e v1: text changed since it was recorded (entry 7, line 7) without a recorded correction "
        '(expected `ledger record --correction notice-e#v1="what was corrected"`, or the recorded text restored)']
    assert changed[0].detail == "diff unavailable: the content is not in a git repository (the ledger keeps hashes, not texts)"
    assert not report.ok and not report.integrity_ok


def test_changed_metadata_of_a_published_version_is_a_change_too(ws) -> None:
    record_history(ws)
    ws.replace_in("normative/rules-b/v1.md", "title: 乙办法（测试）", "title: 乙办法（测试，改名）")
    assert refused(ws) == [
        "content/normative/rules-b/v1.md: rules-b v1: text changed since it was recorded (entry 5); nothing written "
        '(expected --correction rules-b#v1="what was corrected" to record a correction, or the recorded text restored)']


def test_problem_objects_carry_place_and_field(ws) -> None:
    record_history(ws)
    lines = ws.lines()
    del lines[4]
    ws.write_lines(lines)
    result = ws.record(AFTER)
    assert result.problems == [Problem(PATH, 5, "seq", "is 6, expected 5: entry 5 was removed", "no entry ever removed from the ledger")]
