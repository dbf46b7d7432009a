"""Shared fixtures: golden-file updates, the embedded corpus, a CLI runner."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest

# Every build the tests run checks that a document page reused by its inputs has the
# fingerprint it was kept with (incremental.PageReuse.reuse_by_inputs): a page whose
# inputs leave out something it shows fails the build instead of going stale.
os.environ.setdefault("DISCLOSURE_VERIFY_REUSE", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Run publish.py's main() in-process and capture what it prints.  A command run with
    the repository's settings keeps its caches in a temporary folder (``run.cache_dir``),
    not in the repository's ``.cache/``; one given ``--settings`` keeps them beside those."""
    import publish

    cache_dir = tmp_path_factory.mktemp("cache")

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with monkeypatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
            if "--settings" not in args:
                patch.setenv("DISCLOSURE_CACHE_DIR", str(cache_dir))
            try:
                code = publish.main(list(args))
            except SystemExit as exit_:  # argparse usage errors
                code = int(exit_.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    run.cache_dir = cache_dir  # type: ignore[attr-defined]
    return run


