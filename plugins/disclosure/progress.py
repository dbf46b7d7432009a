"""A progress line for long builds on a terminal: count, rate, time left.

Quiet when the stream is not a terminal or when ``CI`` is set, so logs and
captured output stay clean.  Time is only read for display, never for output.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """``with Progress("pages", total) as progress: progress.advance()``"""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, *, every: float = 0.2,
                 enabled: bool | None = None, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not os.environ.get("CI")
        self.enabled = enabled
        self.every = every
        self.clock = clock
        self.done = 0
        self._start = clock()
        self._last = float("-inf")

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled and self.done:
            self._draw(self.clock(), final=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.enabled:
            now = self.clock()
            if now - self._last >= self.every:
                self._draw(now)

    def line(self, now: float) -> str:
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        return f"{self.label}: {self.done}/{self.total} ({rate:.0f}/s, {left:.0f} s left)"

    def _draw(self, now: float, final: bool = False) -> None:
        self._last = now
        self.stream.write("\r" + self.line(now) + ("\n" if final else ""))
        self.stream.flush()
