"""The embedded corpus (a copy of content/): its history records, reconciles and hides what is not public."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from disclosure.ledger import public_view, read_ledger
from ledger_support import LEDGER, Workspace

CONTENT = Path(__file__).resolve().parents[2] / "content"
STEPS = (date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31), date(2026, 11, 22))
NOTICE = "demo-notice-2025-holiday-service"


@pytest.fixture
def embedded(tmp_path, monkeypatch) -> Workspace:  # type: ignore[no-untyped-def]
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    return Workspace(tmp_path)


def test_embedded_history(embedded) -> None:
    for when in STEPS:
        result = embedded.record(when)
        assert result.ok, [p.format() for p in result.problems]
    events = {(e["event"], e["doc_id"], e["version"]): e["date"] for e in embedded.entries()}
    assert events[("repealed", "demo-2015-window-service-rules", 1)] == "2023-07-01"
    assert events[("expired", "demo-2019-fast-resolution-pilot", 1)] == "2024-01-01"
    assert events[("new_version", "demo-patent-agency-supervision-rule", 2)] == "2024-09-18"
    assert events[("withheld", "demo-internal-arrangement-notice", 1)] == "2025-09-02"

    notice = next(Path("content").rglob(f"{NOTICE}.md"))
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.rstrip("\n") + "\n\n（本公告于发布后更正了一处标点。）\n", encoding="utf-8")
    corrected = embedded.record(STEPS[-1], correction_notes={NOTICE: "更正标点"})
    assert [(e["event"], e["doc_id"]) for e in corrected.new_entries] == [("corrected", NOTICE)]

    report = embedded.verify(STEPS[-1])
    assert report.integrity_ok, report.format_text()
    assert report.counts["register"]["reconciled"]
    # the seeds' late interpretation (同步解读) is the auditor's one finding
    assert {f.code for f in report.findings} <= {"interpretation", "expiry"}


def test_embedded_public_view_hides_the_internal_notice(embedded) -> None:
    embedded.record(STEPS[-1])
    corpus = embedded.corpus(STEPS[-1])
    secret = corpus.get("demo-internal-arrangement-notice")
    assert secret is not None and not secret.is_public
    view = public_view(corpus, corpus.public(STEPS[-1]), read_ledger(LEDGER).entries, STEPS[-1])
    text = json.dumps(view, ensure_ascii=False)
    for canary in (secret.id, secret.title, secret.index_number, secret.current.sha256):
        assert canary not in text
    assert view["counts"]["by_disclosure"]["not_public"] == 1
