"""Helpers for the ledger tests: a working folder with a copy of a fixture corpus.

Every test works in ``tmp_path`` (outside any git repository unless the test makes
one), with the content at ``content/`` and the ledger at ``ledger/ledger.jsonl``,
so entry paths read ``content/...`` as they do in the project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from disclosure.corpus import Corpus, load_corpus
from disclosure.ledger import record, verify
from disclosure.problems import Severity

CORPORA = Path(__file__).resolve().parent / "corpora"
LEDGER = Path("ledger/ledger.jsonl")
CONTENT = Path("content")


@dataclass
class Workspace:
    root: Path

    def corpus(self, as_of: date | None = None) -> Corpus:
        result = load_corpus(CONTENT, as_of=as_of)
        errors = [p.format() for p in result.problems if p.severity is Severity.ERROR]
        assert not errors, errors
        return result.corpus

    def record(self, as_of: date, **options):  # type: ignore[no-untyped-def]
        options.setdefault("git", False)
        return record(self.corpus(as_of), LEDGER, as_of, **options)

    def verify(self, as_of: date, **options):  # type: ignore[no-untyped-def]
        return verify(self.corpus(as_of), LEDGER, as_of, **options)

    def ledger_bytes(self) -> bytes:
        return LEDGER.read_bytes() if LEDGER.exists() else b""

    def lines(self) -> list[str]:
        return LEDGER.read_text(encoding="utf-8").splitlines()

    def entries(self) -> list[dict]:
        return [json.loads(line) for line in self.lines()]

    def write_lines(self, lines: list[str]) -> None:
        LEDGER.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    def replace_in(self, relative: str, old: str, new: str) -> None:
        path = CONTENT / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")


def make_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: str = "basic") -> Workspace:
    shutil.copytree(CORPORA / corpus, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    # never let a git look-up climb out of the temporary folder into the project's repository
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    return Workspace(tmp_path)


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    return make_workspace(tmp_path, monkeypatch)


HISTORY = (date(2020, 12, 31), date(2021, 12, 31), date(2022, 12, 31), date(2023, 12, 31))
"""Record dates that give the basic corpus a publication, a revision, a repeal and an expiry."""


def record_history(workspace: Workspace, dates: tuple[date, ...] = HISTORY) -> None:
    for when in dates:
        result = workspace.record(when)
        assert result.ok, [p.format() for p in result.problems]


def summary(entries: list[dict]) -> list[tuple]:
    return [(e["seq"], e["event"], e["date"], e["doc_id"], e["version"]) for e in entries]


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "张编辑", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "张编辑", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()
