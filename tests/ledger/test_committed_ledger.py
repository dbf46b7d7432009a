"""The committed ledger of the embedded corpus: verify accepts it, and its history has
a publication, a revision, a repeal, an expiry and a correction."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from disclosure.ledger import read_ledger, run_verify

ROOT = Path(__file__).resolve().parents[2]


def test_committed_ledger_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    code = run_verify(Path("content"), Path("ledger/ledger.jsonl"), date(2026, 11, 22), fmt="json", out=out)
    report = json.loads(out.getvalue())
    assert code == 0, out.getvalue()
    assert report["integrity_ok"] and report["counts"]["register"]["reconciled"]


def test_committed_history_has_every_kind_of_event() -> None:
    ledger = read_ledger(ROOT / "ledger" / "ledger.jsonl")
    assert ledger.problems == []
    events = {entry["event"] for entry in ledger.entries}
    assert {"published", "new_version", "repealed", "expired", "corrected", "withheld"} <= events


def test_committed_ledger_replays_against_git(monkeypatch: pytest.MonkeyPatch) -> None:
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        pytest.skip("needs the full git history of this repository")
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    assert run_verify(Path("content"), Path("ledger/ledger.jsonl"), date(2026, 11, 22), git=True, out=out) == 0, out.getvalue()
