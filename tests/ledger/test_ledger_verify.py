"""`verify`: counts that reconcile, findings the auditor needs, the report's forms, the command line."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from disclosure.config import SiteConfig
from disclosure.problems import Severity
from ledger_support import HISTORY, LEDGER, make_workspace, record_history, ws  # noqa: F401

PATH = "ledger/ledger.jsonl"


def formatted(report, severity: Severity | None = Severity.ERROR) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.format() for f in report.findings if severity is None or f.severity is severity]


def test_counts_reconcile_after_the_history(ws) -> None:
    record_history(ws)
    report = ws.verify(HISTORY[-1])
    assert report.ok and report.findings == []
    assert report.counts["register"] == {
        "corpus": {"not_yet_effective": 0, "effective": 2, "partially_invalid": 0, "repealed": 1, "expired": 1,
                   "in_force": 2, "total": 4},
        "ledger": {"current": 2, "repealed": 1, "expired": 1, "withdrawn": 0, "total": 4},
        "reconciled": True,
    }
    assert report.counts["disclosed"] == {
        "corpus": 9, "ledger": 9,
        "by_type": {"interpretation": 4, "normative": 3, "notice": 1, "regulation": 1},
        "by_year": {"2019": 2, "2020": 2, "2021": 3, "2022": 2},
    }
    assert report.counts["withheld"] == {"corpus": {"on_request": 1, "not_public": 1, "held_back": 0}, "ledger": 2}
    assert report.counts["entries"] == {"total": 14, "by_event": {"expired": 1, "new_version": 1, "published": 9,
                                                                  "repealed": 1, "withheld": 2}}
    assert report.head == ws.entries()[-1]["hash"]


def test_counts_for_an_earlier_date_use_the_ledger_as_it_stood(ws) -> None:
    record_history(ws)
    report = ws.verify(date(2022, 6, 30))
    assert report.ok, report.format_text()
    assert report.counts["register"]["ledger"] == {"current": 3, "repealed": 0, "expired": 0, "withdrawn": 0, "total": 3}
    assert report.counts["register"]["corpus"]["in_force"] == 3


def test_a_ledger_left_behind_is_found_document_by_document(ws) -> None:
    ws.record(date(2022, 6, 30))
    report = ws.verify(HISTORY[-1])
    assert formatted(report) == [
        "content/interpretation/interp-rules-c.md: interp-rules-c v1: published 2022-08-02 but not recorded in the ledger "
        "(expected `ledger record` run for every publication)",
        "content/normative/rules-c.md: rules-c v1: published 2022-08-01 but not recorded in the ledger "
        "(expected `ledger record` run for every publication)",
        "content/normative/rules-a.md: rules-a: repealed since 2022-09-01 (已由《丙规则（测试）》（测发〔2022〕3号）废止，自2022-09-01起) "
        "but the ledger has no repealed entry (expected `ledger record` run once a repeal or expiry takes effect)",
        "content/regulation/reg-d.md: reg-d: expired since 2023-07-01 (有效期至2023-06-30，已失效) but the ledger has no expired entry "
        "(expected `ledger record` run once a repeal or expiry takes effect)",
        f"{PATH}: register counts differ on 2023-12-31: ledger 3 current / 0 repealed / 0 expired; corpus 2 current / 1 repealed / "
        "1 expired (expected the same counts (底数清晰); the findings above name the documents)",
    ]
    assert not report.counts["register"]["reconciled"]
    ws.record(HISTORY[-1])
    assert ws.verify(HISTORY[-1]).ok


def test_a_repeal_the_corpus_no_longer_shows(ws) -> None:
    record_history(ws)
    ws.replace_in("normative/rules-c.md", "repeals: [rules-a]\n", "")
    assert ws.record(date(2024, 1, 2), correction_notes={"rules-c": "删除误列的废止关系"}).ok
    report = ws.verify(date(2024, 1, 2))
    assert formatted(report) == [
        "content/normative/rules-a.md: rules-a: the ledger records repealed on 2022-09-01 (entry 13, line 13) but the corpus says "
        "effective (自2020-04-01起施行) (expected the repeal or expiry the ledger recorded to stand)",
        f"{PATH}: register counts differ on 2024-01-02: ledger 2 current / 1 repealed / 1 expired; corpus 3 current / 0 repealed / "
        "1 expired (expected the same counts (底数清晰); the findings above name the documents)",
    ]


def test_published_document_deleted_without_withdrawal(ws) -> None:
    record_history(ws)
    Path("content/notice/notice-e.md").unlink()
    assert formatted(ws.verify(HISTORY[-1])) == [
        "content/notice/notice-e.md: notice-e v1: published (entry 7) but the document is gone and no withdrawal recorded "
        '(expected `ledger record --withdraw notice-e="reason"`, or the document restored)']


def test_removed_last_entry_is_caught_by_the_head_the_site_showed(ws) -> None:
    record_history(ws)
    head = ws.entries()[-1]["hash"]
    ws.write_lines(ws.lines()[:-1])
    report = ws.verify(HISTORY[-1], expected_head=head)
    assert formatted(report)[0] == (
        f"{PATH}: head is '{ws.entries()[-1]['hash']}', not the head the site showed ('{head}') "
        "(expected the ledger the site was built from (entries removed from the end, or the ledger replaced))")
    assert ws.verify(HISTORY[-1], expected_head=ws.entries()[-1]["hash"]).findings[0].code != "head"


def test_auditor_checks(tmp_path, monkeypatch) -> None:
    ws = make_workspace(tmp_path, monkeypatch, "auditor")
    assert ws.record(date(2026, 3, 1)).ok
    report = ws.verify(date(2026, 3, 1))
    assert formatted(report, None) == [
        "content/normative/late-interp.md:10: late-interp: first interpretation interp-late published 2024-03-15, 10 days after "
        "the document (2024-03-05) (expected at most 3 days (同步解读)) [warning]",
        "content/normative/no-interp.md:10: no-interp: no published interpretation (政策解读) "
        "(expected an interpretation published within 3 days of 2024-01-10) [warning]",
        "content/normative/late-interp.md:12: expires: late-interp: validity ends 2026-08-31, 183 days after 2026-03-01: "
        "due for review (清理) (expected a decision to extend, revise or let it expire (window 183 days)) [info]",
    ]
    # findings about the content: shown, fatal only in strict mode
    assert report.ok and not report.strict_ok and report.integrity_ok
    assert report.counts["withheld"]["corpus"] == {"on_request": 0, "not_public": 0, "held_back": 1}
    wider = ws.verify(date(2026, 3, 1), config=SiteConfig(interpretation_max_lag_days=10, expiry_window_days=182))
    assert [f.message for f in wider.findings] == ["no-interp: no published interpretation (政策解读)"]


def test_no_finding_says_a_document_was_disclosed_without_review(tmp_path, monkeypatch) -> None:
    ws = make_workspace(tmp_path, monkeypatch, "auditor")
    ws.record(date(2026, 3, 1))
    assert [f for f in ws.verify(date(2026, 3, 1)).findings if f.code == "review"] == []


def test_unrecorded_withheld_document_is_a_warning(ws) -> None:
    ws.record(date(2021, 6, 30))
    report = ws.verify(date(2021, 12, 31), )
    withheld = [f.format() for f in report.findings if f.code == "withheld"]
    assert withheld == [
        "content/notice/canary-on-request.md: canary-on-request v1: not disclosed (on_request) and not recorded as withheld "
        "(expected `ledger record` to keep the internal record complete) [warning]",
        "content/notice/canary-secret-notice.md: canary-secret-notice v1: not disclosed (not_public) and not recorded as withheld "
        "(expected `ledger record` to keep the internal record complete) [warning]",
    ]


def test_report_forms(ws) -> None:
    record_history(ws)
    report = ws.verify(HISTORY[-1])
    assert report.to_json() == ws.verify(HISTORY[-1]).to_json()
    data = json.loads(report.to_json())
    assert (data["ok"], data["head"], data["entries"], data["findings"]) == (True, report.head, 14, [])
    text = report.format_text()
    assert text.splitlines()[0] == f"Ledger {PATH}: 14 entries, head {report.head}"
    assert text.splitlines()[-1] == "OK: 0 error(s), 0 warning(s), 0 note(s)"
    assert "reconciled" in text


def test_no_ledger_yet(ws) -> None:
    report = ws.verify(date(2020, 12, 31))
    assert not report.ok
    assert [f.code for f in report.findings] == ["chain", "unrecorded", "unrecorded", "unrecorded", "unrecorded", "counts"]


def cli(argv: list[str], *, out: io.StringIO) -> int:
    """`publish.py ledger …` in-process, with the global options moved after the subcommand."""
    from contextlib import redirect_stdout

    import publish

    options, command, rest = argv[:2], argv[2], argv[3:]
    with redirect_stdout(out):
        try:
            return publish.main(["ledger", command, *options, *rest])
        except SystemExit as exit_:
            return int(exit_.code or 0)


def test_command_line(ws) -> None:
    out = io.StringIO()
    assert cli(["--as-of", "2021-12-31", "record", "--no-git"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "    1 2019-05-01 published   reg-d v1"
    assert lines[-1] == f"9 entries appended; head {ws.entries()[-1]['hash']}"
    out = io.StringIO()
    assert cli(["--as-of", "2021-12-31", "verify"], out=out) == 0
    assert out.getvalue().splitlines()[-1] == "OK: 0 error(s), 0 warning(s), 0 note(s)"
    out = io.StringIO()
    assert cli(["--as-of", "2021-12-31", "verify", "--format", "json"], out=out) == 0
    assert json.loads(out.getvalue())["ok"] is True
    ws.replace_in("notice/notice-e.md", "戊公告正文。", "戊公告正文！")
    out = io.StringIO()
    assert cli(["--as-of", "2022-01-05", "record", "--no-git"], out=out) == 1
    assert out.getvalue().splitlines()[-1] == f"{PATH}: nothing written"
    out = io.StringIO()
    assert cli(["--as-of", "2022-01-05", "verify"], out=out) == 1
    out = io.StringIO()
    assert cli(["--as-of", "2022-01-05", "record", "--no-git", "--correction", "notice-e"], out=out) == 2
    assert out.getvalue() == "--correction 'notice-e': expected ID=\"text\" or ID#vN=\"text\"\n"
    out = io.StringIO()
    assert cli(["--as-of", "2022-01-05", "record", "--no-git", "--correction", "notice-e=标点更正"], out=out) == 0
    assert cli(["--as-of", "2022-01-05", "verify"], out=io.StringIO()) == 0


def test_command_line_refuses_content_with_errors(ws) -> None:
    ws.replace_in("notice/notice-e.md", "published: 2021-06-01", "published: 2021-13-01")
    out = io.StringIO()
    assert cli(["--as-of", "2021-12-31", "record", "--no-git"], out=out) == 1
    assert out.getvalue().splitlines()[-1] == "1 content error(s): fix them (publish.py check) before recording; nothing written"
    assert not LEDGER.exists()
