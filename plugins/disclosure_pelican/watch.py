"""Rebuilding on every save: ``publish.py serve --watch``, the editor's preview.

Once a second the watcher takes the size and modification time of every file a build
reads (the content folder with its data and task status files, the ledger, the settings
file and the theme), the way ``check`` and make decide what changed, and runs the
build when any of them differs from the last look.  A build refused for errors leaves
the previous site in place (the build never touches it then): the problems are
printed, and the next save is tried again.

Polling rather than file system events: no extra dependency, the same on every system
and on network drives, and one look at a 10,000-document site costs about 0.1 s.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from disclosure.config import ConfigurationError, default_ledger_path, read_settings_file
from disclosure.corpus import discover_files

Sources = dict[str, tuple[int, int]]


def theme_folder(settings_file: Path) -> Path | None:
    """The ``THEME`` of a settings file, relative paths taken from the settings file's folder
    (None when the file cannot be read: the build that follows says why)."""
    try:
        theme = read_settings_file(settings_file).get("THEME")
    except ConfigurationError:
        return None
    if not isinstance(theme, str):
        return None
    path = Path(theme)
    return path if path.is_absolute() else Path(settings_file).resolve().parent / path


def build_sources(content_dir: Path, settings_file: Path) -> Sources:
    """``path → (modification time, size)`` of every file a build of ``content_dir`` reads."""
    others: list[str] = []
    paths = discover_files(content_dir, others) + others
    paths += [str(default_ledger_path(content_dir)), str(settings_file)]
    theme = theme_folder(settings_file)
    if theme is not None:
        paths += sorted(str(path) for path in theme.rglob("*") if path.is_file())
    sources: Sources = {}
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            continue  # absent (no ledger yet) or gone since the listing: absent either way
        sources[path] = (stat.st_mtime_ns, stat.st_size)
    return sources


class Watcher:
    """Calls ``rebuild()`` whenever ``sources()`` (see :func:`build_sources`) gives
    something other than at the last look; the first look only takes note."""

    def __init__(self, sources: Callable[[], Sources], rebuild: Callable[[], object], interval: float = 1.0) -> None:
        self.sources, self.rebuild, self.interval = sources, rebuild, interval
        self.seen = sources()
        self.rebuilds = 0

    def look(self) -> bool:
        """Rebuild if anything changed since the last look; whether it did."""
        now = self.sources()
        if now == self.seen:
            return False
        self.seen = now
        self.rebuild()
        self.rebuilds += 1
        return True

    def run(self, stop: threading.Event) -> None:
        """Look every ``interval`` seconds until ``stop`` is set."""
        while not stop.wait(self.interval):
            self.look()
