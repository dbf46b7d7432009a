"""The build's progress line: shown on a terminal, silent elsewhere."""

from __future__ import annotations

import io

import pytest

from disclosure.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_shows_count_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    ticks = iter(range(100))
    stream = FakeTerminal()
    with Progress("pages", 4, stream, every=0, clock=lambda: float(next(ticks))) as progress:
        for _ in range(4):
            progress.advance()
    lines = stream.getvalue().split("\r")
    assert "pages: 1/4 (1/s, 3 s left)" in lines[1]
    assert stream.getvalue().endswith("pages: 4/4 (1/s, 0 s left)\n")


def test_progress_is_silent_when_not_a_terminal_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    piped = io.StringIO()
    with Progress("pages", 3, piped) as progress:
        progress.advance(3)
    assert piped.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    terminal = FakeTerminal()
    with Progress("pages", 3, terminal) as progress:
        progress.advance(3)
    assert terminal.getvalue() == ""
