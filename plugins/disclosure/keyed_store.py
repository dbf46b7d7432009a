"""A cache file of values by content key, kept across builds (one SQLite table).

Used for what is expensive to compute and determined by its inputs: rendered bodies
(:mod:`.render_cache`), the search export's token counts
(:mod:`disclosure_search.token_cache`).  Keys are digests of everything the value
depends on, so an entry is never stale, only unused; :meth:`KeyedStore.keep_only`
drops those.  A cache is an optimisation: when the file cannot be read or written,
every method behaves as for an empty cache and the caller computes the values.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import BinaryIO, Callable, Iterable


def code_digest(modules: Iterable[ModuleType], packages: Iterable[str] = (), extra: str = "") -> str:
    """A digest of what cached values were computed with: the source of ``modules`` (whole
    files, so any change counts), the installed versions of ``packages``, and ``extra``.
    Part of every cache key, so that new code never meets an old value."""
    from importlib import metadata  # here: importing it is a tenth of the pre-commit check's start

    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__ or "").read_bytes())
    for package in packages:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover - installed with the requirements
            version = "?"
        digest.update(f"\0{package}={version}".encode())
    digest.update(f"\0{extra}".encode())
    return digest.hexdigest()


def installed_stamp(modules: Iterable[str]) -> str:
    """Where each of ``modules`` is installed, with that file's size and modification time.

    For keys that must change when a package is upgraded, cheaper than
    :func:`code_digest`'s versions: the file (a package's ``__init__.py``) names the
    version and an upgrade rewrites it, while ``importlib.metadata`` took a tenth of each
    pre-commit check to import and search."""
    from importlib.util import find_spec

    parts = []
    for name in modules:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        try:
            stat = os.stat(origin) if origin else None
        except OSError:
            stat = None
        parts.append(f"{name} {origin} {stat.st_size if stat else '-'} {stat.st_mtime_ns if stat else '-'}")
    return "\n".join(parts)


def source_digest(packages: Iterable[str]) -> str:
    """A digest of every Python file of the plugin ``packages`` (names and contents): for
    results that any module of them may change (page fingerprints, a whole check)."""
    digest = hashlib.sha256()
    plugins = Path(__file__).resolve().parent.parent
    for package in packages:
        for path in sorted((plugins / package).rglob("*.py")):
            digest.update(path.relative_to(plugins).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def replace_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` whole or not at all: ``write`` fills a temporary file beside it (named
    for this process, as several may write the same cache), which is then renamed over it,
    so a reader meets the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class KeyedStore:
    """``key → value`` in the table ``table`` of the SQLite file ``path`` (``None``: no file)."""

    BATCH = 500
    """Keys per ``SELECT … IN (…)`` (SQLite limits the number of parameters)."""

    def __init__(self, path: Path | None, table: str, value_column: str = "value") -> None:
        self.path, self.table, self.value_column = path, table, value_column
        self._reader: tuple[int, sqlite3.Connection | None] | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # several processes may write at once (the export's workers): wait for the lock
            connection = sqlite3.connect(self.path, timeout=120)
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, {self.value_column} NOT NULL)")
            return connection
        except (OSError, sqlite3.Error):
            return None

    def load(self, keys: list[str]) -> dict:
        """The stored values of those ``keys`` that have one."""
        connection = self._connect()
        if connection is None:
            return {}
        found: dict = {}
        try:
            for start in range(0, len(keys), self.BATCH):
                batch = keys[start:start + self.BATCH]
                marks = ",".join("?" * len(batch))
                found.update(connection.execute(
                    f"SELECT key, {self.value_column} FROM {self.table} WHERE key IN ({marks})", batch).fetchall())
        except sqlite3.Error:
            return {}
        finally:
            connection.close()
        return found

    def get(self, key: str) -> object | None:
        """The stored value of ``key``, or None: one of many lookups made one at a time, on
        a connection kept open for them (one per process: a forked child opens its own)."""
        if self._reader is None or self._reader[0] != os.getpid():
            self._reader = (os.getpid(), self._connect())
        connection = self._reader[1]
        if connection is None:
            return None
        try:  # (every row fetched: the statement ends, and holds no lock a writer would wait for)
            found = connection.execute(f"SELECT {self.value_column} FROM {self.table} WHERE key = ?", (key,)).fetchall()
        except sqlite3.Error:
            return None
        return found[0][0] if found else None

    def close(self) -> None:
        """Close the connection :meth:`get` keeps (this process's)."""
        if self._reader is not None and self._reader[0] == os.getpid() and self._reader[1] is not None:
            self._reader[1].close()
        self._reader = None

    def store(self, values: dict) -> None:
        """Add (or replace) ``key → value`` entries, in one transaction."""
        if not values:
            return
        self._run(lambda c: c.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", values.items()))

    def keep_only(self, keys: Iterable[str], *, slack: int = 0) -> None:
        """Forget the entries whose key is not in ``keys``, so the file does not grow forever;
        unless the file holds at most ``slack`` entries more than ``keys`` (a rebuild after one
        edit leaves one body unused: pruning it took a tenth of a second at 10,000 documents)."""
        wanted = set(keys)

        def prune(connection: sqlite3.Connection) -> None:
            if slack and connection.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0] - len(wanted) <= slack:
                return
            connection.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in wanted))
            connection.execute(f"DELETE FROM {self.table} WHERE key NOT IN (SELECT key FROM used)")
        self._run(prune)

    def _run(self, change) -> None:  # type: ignore[no-untyped-def]
        connection = self._connect()
        if connection is None:
            return
        try:
            with connection:
                change(connection)
        except sqlite3.Error:
            pass
        finally:
            connection.close()
