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


def test_annual_report_counts_reconcile_with_the_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "ledger", tmp_path / "ledger")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert run_verify(Path("content"), Path("ledger/ledger.jsonl"), date(2026, 11, 22), fmt="json", out=out) == 0
    counts = json.loads(out.getvalue())["counts"]["annual_reports"]
    assert counts["2025"]["normative"] == {"report": 5, "ledger": 5}
    # a normative document in the content that the ledger never recorded: the report counts it, the ledger does not
    source = Path("content/normative/sipo-2017-42.md").read_text(encoding="utf-8")
    extra = (source.replace("id: sipo-2017-42", "id: unrecorded-2024").replace("国知办发办字〔2017〕42号", "国知发〔2024〕99号")
             .replace("index_number: SIPO-DEMO/2017-00002\n", ""))
    Path("content/normative/unrecorded-2024.md").write_text(extra, encoding="utf-8")
    out = io.StringIO()
    assert run_verify(Path("content"), Path("ledger/ledger.jsonl"), date(2026, 11, 22), out=out) == 1
    assert ("annual report 2024, table 二, 行政规范性文件, 现行有效件数: 6 in the report, 5 by the ledger on 2024-12-31; "
            "only the report has unrecorded-2024") in out.getvalue()
