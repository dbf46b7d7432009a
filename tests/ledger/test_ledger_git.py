"""The ledger with content in git: commits recorded, diffs of silent changes, history replayed."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from disclosure import ledger_git
from disclosure.ledger import canonical
from disclosure.ledger_chain import chain
from ledger_support import HISTORY, LEDGER, git, make_workspace

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
NOTICE = "content/notice/notice-e.md"


@pytest.fixture
def repo(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path, monkeypatch)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "内容")
    ws.content_commit = git(tmp_path, "rev-parse", "HEAD")
    result = ws.record(HISTORY[-1], git=True)
    assert result.problems == []
    git(tmp_path, "add", "ledger")
    git(tmp_path, "commit", "-q", "-m", "台账")
    ws.ledger_commit = git(tmp_path, "rev-parse", "HEAD")
    return ws


def test_entries_carry_the_commit_and_author(repo) -> None:
    entries = repo.entries()
    assert {(e["commit"], e["author"]) for e in entries} == {(repo.content_commit, "张编辑")}
    report = repo.verify(HISTORY[-1], git=True)
    assert report.ok, report.format_text()


def test_record_asks_git_once_for_all_files(repo, monkeypatch) -> None:
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args, *a, **k):  # type: ignore[no-untyped-def]
        calls.append(list(args))
        return real_popen(args, *a, **k)

    monkeypatch.setattr(ledger_git.subprocess, "Popen", popen)  # subprocess.run goes through Popen too
    LEDGER.unlink()
    assert len(repo.record(HISTORY[-1], git=True).new_entries) == 14
    assert [c[3] for c in calls] == ["rev-parse", "status", "log"], calls


def test_silent_change_is_shown_as_a_diff_and_found_in_history(repo) -> None:
    repo.replace_in("notice/notice-e.md", "戊公告正文。", "戊公告正文（悄悄改过）。")
    git(repo.root, "commit", "-q", "-am", "悄悄修改")
    edit = git(repo.root, "rev-parse", "HEAD")
    report = repo.verify(date(2024, 3, 1), git=True)
    changed = [f for f in report.findings if f.code == "changed"]
    assert len(changed) == 1
    assert changed[0].detail.splitlines() == [
        f"--- {NOTICE} (recorded, {repo.content_commit[:12]})",
        f"+++ {NOTICE} (now)",
        "@@ -12,4 +12,4 @@",
        "   result: passed",
        " ---",
        " ",
        "-戊公告正文。",
        "+戊公告正文（悄悄改过）。",
    ]
    assert [f.format() for f in report.findings if f.code == "git"] == [
        f"{NOTICE}: notice-e v1: commit {edit[:12]} by 张编辑 gave the published file a text the ledger never recorded "
        "(expected every change of a published text recorded as a correction)"]
    text = report.format_text()
    assert "    -戊公告正文。" in text and "    +戊公告正文（悄悄改过）。" in text

    result = repo.record(date(2024, 3, 1), git=True, correction_notes={"notice-e": "补充说明"})
    assert [(e["event"], e["commit"], e["author"]) for e in result.new_entries] == [("corrected", edit, "张编辑")]
    git(repo.root, "commit", "-q", "-am", "台账：更正")
    assert repo.verify(date(2024, 3, 1), git=True).ok


def test_uncommitted_change_is_recorded_without_a_commit(repo) -> None:
    repo.replace_in("notice/notice-e.md", "戊公告正文。", "戊公告正文（未提交）。")
    result = repo.record(date(2024, 3, 1), git=True, correction_notes={"notice-e": "更正"})
    assert [p.format() for p in result.problems] == [
        f"{NOTICE}: uncommitted changes: the entry records no commit "
        "(expected the content committed before `ledger record`, so auditors can replay its history) [warning]"]
    assert result.new_entries[0]["commit"] is None
    report = repo.verify(date(2024, 3, 1), git=True)
    assert [f.format() for f in report.findings] == [
        "ledger/ledger.jsonl:15: commit: corrected of notice-e v1: no commit recorded (the file was not committed when recorded) "
        "(expected the content committed before `ledger record`) [warning]"]


def test_diff_unavailable_when_the_recorded_commit_is_unknown(repo) -> None:
    entries = repo.entries()
    entries[6]["commit"] = None
    rechained = chain([{k: v for k, v in e.items() if k not in ("seq", "prev", "hash")} for e in entries], None)
    repo.write_lines([canonical(e) for e in rechained])
    repo.replace_in("notice/notice-e.md", "戊公告正文。", "戊公告正文！")
    changed = [f for f in repo.verify(date(2024, 3, 1)).findings if f.code == "changed"]
    assert changed[0].detail == "diff unavailable: no commit was recorded for this version (it was not committed when recorded)"


def forge(ws, seq: int, commit: str) -> None:  # type: ignore[no-untyped-def]
    """Rewrite one entry's commit and recompute the whole chain, as a careful forger would."""
    entries = ws.entries()
    entries[seq - 1]["commit"] = commit
    rechained = chain([{k: v for k, v in e.items() if k not in ("seq", "prev", "hash")} for e in entries], None)
    ws.write_lines([canonical(e) for e in rechained])


def test_history_replay_finds_forged_commits(repo) -> None:
    forge(repo, 7, "0123456789abcdef0123456789abcdef01234567")
    forge(repo, 5, repo.ledger_commit)
    report = repo.verify(HISTORY[-1], git=True)
    assert report.findings and [f.code for f in report.findings] == ["git", "git"]
    assert [f.format() for f in report.findings] == [
        f"ledger/ledger.jsonl:5: commit: published of rules-b v1: commit {repo.ledger_commit[:12]} did not touch "
        "content/normative/rules-b/v1.md (expected the commit that last changed the file)",
        "ledger/ledger.jsonl:7: commit: published of notice-e v1: commit 0123456789ab does not exist in the content's history "
        "(expected a commit of the repository)",
    ]
    assert repo.verify(HISTORY[-1]).ok  # without --git the chain itself holds: only history shows the forgery


def test_recorded_hash_must_match_the_file_at_its_commit(repo) -> None:
    entries = repo.entries()
    entries[6]["sha256"] = "f" * 64
    rechained = chain([{k: v for k, v in e.items() if k not in ("seq", "prev", "hash")} for e in entries], None)
    repo.write_lines([canonical(e) for e in rechained])
    report = repo.verify(HISTORY[-1], git=True)
    assert "ledger/ledger.jsonl:7: sha256: published of notice-e v1: content/notice/notice-e.md at commit " \
           f"{repo.content_commit[:12]} is not the recorded text (expected the recorded sha256 to be the file's hash at its commit)" \
           in [f.format() for f in report.findings]


def test_git_replay_outside_a_repository(tmp_path, monkeypatch) -> None:
    ws = make_workspace(tmp_path, monkeypatch)
    ws.record(HISTORY[-1])
    report = ws.verify(HISTORY[-1], git=True)
    assert [f.format() for f in report.findings] == [
        "ledger/ledger.jsonl: --git: the content is not in a git repository; its history was not replayed "
        "(expected content kept in git) [warning]"]
    assert json.loads(report.to_json())["git"] is True
