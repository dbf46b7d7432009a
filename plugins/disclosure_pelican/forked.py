"""Work done in a forked child process while the build goes on (a 2-core machine has a
core to spare while Pelican writes pages one by one).

The child inherits everything already computed (fork: nothing is pickled on the way
in) and sends back a small picklable result. Errors come back as text and fail the
build like errors in this process; so do errors the child logs on Pelican's logger,
which the build counts.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Any

from .build import ErrorCounter


def can_fork() -> bool:
    """More than one core, and the ``fork`` start method (POSIX)."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class Forked:
    """Start ``work()`` in a forked child now; :meth:`result` waits for what it returned.
    With ``talk``, ``work(channel)`` and this side's :attr:`channel` exchange messages
    (a two-way pipe) before that."""

    def __init__(self, work: Callable[..., Any], what: str, *, talk: bool = False) -> None:
        self.what = what
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self.channel, theirs = context.Pipe() if talk else (None, None)
        self._process = context.Process(target=_child, args=(work, sender, theirs, self.channel), daemon=False)
        self._process.start()
        self.pid = self._process.pid
        sender.close()
        if theirs is not None:
            theirs.close()

    def result(self) -> Any:
        """Wait for the child; raise :class:`RuntimeError` with its error if it failed."""
        try:
            ok, value, logged = self._receiver.recv()
        except EOFError:
            ok, value, logged = False, "the process ended without a word", []
        self._process.join()
        for message in logged:  # counted by the build's error handler in this process
            logging.getLogger("pelican").error("%s: %s", self.what, message)
        if ok and self._process.exitcode != 0:
            ok, value = False, f"the process exited with code {self._process.exitcode}"
        if not ok:
            raise RuntimeError(f"{self.what} failed: {value}")
        return value

    def cancel(self) -> None:
        """Stop the child (the build failed elsewhere and its output is thrown away)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _child(work: Callable[..., Any], sender: Any, channel: Any, parents: Any) -> None:
    if parents is not None:
        parents.close()  # (this process's copy: the parent's end closing is then its end)
    collect = ErrorCounter()
    logging.getLogger("pelican").addHandler(collect)
    try:
        value = work() if channel is None else work(channel)
    except BaseException as error:  # reported by the parent, which fails the build with it
        sender.send((False, f"{type(error).__name__}: {error}", collect.messages))
        sys.exit(1)  # without a second report (a traceback) from the child
    sender.send((True, value, collect.messages))
