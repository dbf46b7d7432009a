"""Reading document files: one file on its own, and a cache of what was read.

What a file says (its parsed, validated front matter, its own problems and the
references in its body) depends only on its bytes, so it is cached by file.  The
pre-commit ``check`` trusts a file's size and modification time, as make does, and
reads only files that changed; a build reads every file (it needs the text) and
skips the YAML parse of those whose SHA-256 is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from .citations import DOC_LINK_PATTERN, RawCitation, line_at, raw_citations
from .collector import collector_paused
from .frontmatter import read_front_matter
from .keyed_store import replace_file
from .problems import Problem, Severity
from .schema import validate_fields
from .tasks import TaskBreakdown, parse_tasks

VERSION_FILE = re.compile(r"^v(\d+)\.md$")
BODY_RECORD_TYPES = frozenset({"annual_report"})
"""Types whose body feeds records (report placeholders): always read.  Key points feed
them too, but through their task breakdown, which is parsed once and cached with the file."""
TASK_TYPES = frozenset({"keypoints"})
CACHE_FORMAT = 4


@dataclass(frozen=True)
class BodyRefs:
    """References written in a body, with their file lines."""

    links: tuple[tuple[int, str, int | None], ...] = ()
    """``(line, document id, version or None)`` of each ``doc:`` link."""
    citations: tuple[tuple[int, RawCitation], ...] = ()
    """``(line, candidate)`` of each document number written in the text."""


NO_REFS = BodyRefs()


def scan_body(body: str, body_line: int) -> BodyRefs:
    links = tuple((body_line + line_at(body, m.start()), m["id"], int(m["version"]) if m["version"] else None)
                  for m in DOC_LINK_PATTERN.finditer(body))
    cites = tuple((body_line + line_at(body, raw.start), raw) for raw in raw_citations(body))
    return BodyRefs(links, cites) if links or cites else NO_REFS


@dataclass
class FileRecord:
    """One document file, read and checked on its own."""

    path: Path
    display: str
    values: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    """The Markdown body; empty when the file was taken from the cache without reading it."""
    body_line: int
    sha256: str
    refs: BodyRefs = field(default_factory=lambda: NO_REFS)
    folder_id: str | None = None
    """For a version file (``<id>/vN.md``), the id given by its folder."""
    folder_version: int | None = None
    tasks: TaskBreakdown | None = None
    """The numbered tasks of a key points document, parsed from its body."""
    signature: str = ""
    """Digest of what checks across documents read from this file (:func:`cross_signature`)."""


def cross_signature(record: FileRecord) -> str:
    """A digest of everything checks across documents and the records read from a file.

    That is the front matter with its key lines, where the body starts, the version
    folder, the targets of the body's links and the numbers it cites, the task breakdown,
    and the whole body of a type whose body feeds the records (annual reports).  Not the
    rest of the text, its SHA-256, nor the lines of links and citations: those reach only
    problems in the file itself (:mod:`disclosure.check` carries their lines along).
    Two files with the same signature are the same to every rule across documents.
    """
    feeds_records = record.values.get("type") in BODY_RECORD_TYPES
    parts = (record.values, record.key_lines, record.body_line, record.folder_id, record.folder_version,
             [(target, version) for _, target, version in record.refs.links],
             [(raw.code, raw.tail, raw.text) for _, raw in record.refs.citations],
             record.tasks, record.body if feeds_records else None)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def ref_lines(refs: BodyRefs) -> tuple[int, ...]:
    """The file lines of a body's links, then of its citations, in order."""
    return tuple(line for line, _, _ in refs.links) + tuple(line for line, _ in refs.citations)


class _Stored(NamedTuple):
    """A record as the cache keeps it: without its path (known when it is read) and body."""

    values: dict[str, Any]
    key_lines: dict[str, int]
    body_line: int
    sha256: str
    refs: BodyRefs | None
    folder_id: str | None
    folder_version: int | None
    tasks: TaskBreakdown | None
    signature: str
    body_bytes: int
    """Bytes of the body at the end of the file: the same bytes (the same SHA-256) give it
    without splitting the front matter off again (a tenth of a 10,000-document rebuild's
    corpus load)."""


class _Entry(NamedTuple):
    """What the cache keeps of one file.  Tuples, dicts and strings rather than paths and
    dataclasses: unpickling ten thousand of those took twice as long."""

    mtime_ns: int
    size: int
    record: _Stored | None
    problems: tuple[Problem, ...]


class FileState(NamedTuple):
    """What the pre-commit check remembers of one file (see :mod:`disclosure.check`)."""

    mtime_ns: int
    size: int
    signature: str | None
    """Its :func:`cross_signature`; None when it has errors (it is then left out of the corpus)."""
    problems: tuple[Problem, ...]
    ref_lines: tuple[int, ...]


def file_state(mtime_ns: int, size: int, record: FileRecord | _Stored | None, problems: Iterable[Problem]) -> FileState:
    problems = tuple(problems)
    usable = record is not None and not any(p.severity is Severity.ERROR for p in problems)
    return FileState(mtime_ns, size, record.signature if usable else None, problems,
                     ref_lines(record.refs or NO_REFS) if record is not None else ())


def _stored(record: FileRecord) -> _Stored:
    refs = record.refs if record.refs.links or record.refs.citations else None
    return _Stored(record.values, record.key_lines, record.body_line, record.sha256, refs,
                   record.folder_id, record.folder_version, record.tasks, record.signature,
                   len(record.body.encode("utf-8")))


def _restored(path: Path, display: str, stored: _Stored, body: str) -> FileRecord:
    return FileRecord(path, display, stored.values, stored.key_lines, body, stored.body_line, stored.sha256,
                      stored.refs or NO_REFS, stored.folder_id, stored.folder_version, stored.tasks, stored.signature)


def path_key(path: Path) -> str:
    """A short stable name for a folder, so each content or output folder gets its own cache files."""
    return hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]


class ParseCache:
    """Per-file results of earlier reads (None: no cache).

    Stored as ``SHARDS`` pickle files in the folder ``<path without suffix>.d/``,
    each holding the files whose display name hashes to it: a save rewrites only
    the shards whose entries changed, so the pre-commit check after one edit does
    not rewrite the whole cache of a 10,000-document site.
    """

    SHARDS = 32

    def __init__(self, path: Path | None, *, load: bool = True) -> None:
        self.folder = path.with_suffix(".d") if path is not None else None
        self.entries: dict[str, _Entry] = {}
        self.used: dict[str, _Entry] = {}
        self.parsed = 0
        """How many files this run parsed (the cache held nothing for them as they are)."""
        if self.folder is None or not load:
            return
        with collector_paused():  # the loaded entries hold no cycles: collections during the load only cost time
            self._load()

    def _load(self) -> None:
        for shard in range(self.SHARDS):
            self.entries.update(self._shard(shard))

    def _shard(self, shard: int) -> dict[str, _Entry]:
        assert self.folder is not None
        try:
            with open(self.folder / f"{shard:02d}.pickle", "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("format") == CACHE_FORMAT:
                return stored["entries"]
        except FileNotFoundError:
            pass
        except (OSError, pickle.PickleError, EOFError, AttributeError, KeyError, TypeError, ValueError):
            pass  # a damaged or old shard is just a cold part of the cache
        return {}

    @classmethod
    def record_of(cls, path: Path, file: Path, display: str) -> FileRecord | None:
        """What the cache at ``path`` holds for one file (its shard alone is read), without
        its body; None when it holds nothing usable (no entry, or one with errors)."""
        entry = cls(path, load=False)._shard(cls.shard_of(display)).get(display)
        if entry is None or entry.record is None or any(p.severity is Severity.ERROR for p in entry.problems):
            return None
        return _restored(file, display, entry.record, "")

    @classmethod
    def shard_of(cls, display: str) -> int:
        return zlib.crc32(display.encode("utf-8")) % cls.SHARDS

    def save(self) -> None:
        if self.folder is None:
            return
        changed = {self.shard_of(key) for key, entry in self.used.items() if self.entries.get(key) is not entry}
        changed |= {self.shard_of(key) for key in self.entries.keys() - self.used.keys()}
        by_shard: dict[int, dict[str, _Entry]] = {shard: {} for shard in changed}
        for key, entry in self.used.items():
            shard = self.shard_of(key)
            if shard in by_shard:
                by_shard[shard][key] = entry
        try:
            for shard, entries in sorted(by_shard.items()):
                stored = {"format": CACHE_FORMAT, "entries": entries}
                replace_file(self.folder / f"{shard:02d}.pickle",
                             lambda handle: pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


def read_file(path: Path, display: str, cache: ParseCache | None = None, *, need_body: bool = True) -> tuple[FileRecord | None, list[Problem]]:
    """Read and validate one file on its own; never raises for bad content."""
    stat = os.stat(path)
    entry = cache.entries.get(display) if cache is not None else None
    stored = entry.record if entry is not None else None
    feeds_records = stored is not None and stored.values.get("type") in BODY_RECORD_TYPES
    if (entry is not None and not need_body and not feeds_records
            and entry.mtime_ns == stat.st_mtime_ns and entry.size == stat.st_size):
        if cache is not None:
            cache.used[display] = entry  # kept as it was: its cache shard is not rewritten
        return (_restored(path, display, stored, "") if stored is not None else None), list(entry.problems)
    raw = read_bytes(path)
    sha = hashlib.sha256(raw).hexdigest()
    if entry is not None and stored is not None and stored.sha256 == sha:
        if cache is not None:
            same_stat = entry.mtime_ns == stat.st_mtime_ns and entry.size == stat.st_size
            cache.used[display] = entry if same_stat else entry._replace(mtime_ns=stat.st_mtime_ns, size=stat.st_size)
        return _restored(path, display, stored, raw[len(raw) - stored.body_bytes:].decode("utf-8")), list(entry.problems)
    record, problems = _parse(path, display, raw, sha)
    if cache is not None:
        cache.parsed += 1
        cache.used[display] = _Entry(stat.st_mtime_ns, stat.st_size, _stored(record) if record else None, tuple(problems))
    return record, problems


def read_bytes(path: Path | str) -> bytes:
    """The file's bytes, read without Python's buffered file objects: a build reads every
    document file, and ``Path.read_bytes`` took 2–4 times as long (measured on 10,000 files:
    0.19–0.39 s against 0.1 s)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = [os.read(handle, os.fstat(handle).st_size + 1)]
        while parts[-1]:  # (until the end: a file written meanwhile may have grown)
            parts.append(os.read(handle, 1 << 16))
    finally:
        os.close(handle)
    return b"".join(parts)


PARALLEL_PARSE_MIN = 500
"""From this many files the cache knows nothing of, they are parsed on every core."""


def read_files(files: list[tuple[Path, str]], cache: ParseCache | None = None, *,
               need_body: bool = True) -> list[tuple[FileRecord | None, list[Problem]]]:
    """:func:`read_file` of each ``(path, display)``, in order.  Files the cache does not
    know (a first build or check: YAML parsing is most of its time) are read in forked
    processes when there are many; the results and the cache are the same either way."""
    unknown = [i for i, (_, display) in enumerate(files) if cache is None or display not in cache.entries]
    workers = min(os.cpu_count() or 1, 4)
    parsed: dict[int, tuple[FileRecord | None, list[Problem]]] = {}
    if workers > 1 and len(unknown) >= PARALLEL_PARSE_MIN:
        import multiprocessing  # here: the pre-commit check, which parses one file, starts quicker without it
        from concurrent.futures import ProcessPoolExecutor
    if workers > 1 and len(unknown) >= PARALLEL_PARSE_MIN and "fork" in multiprocessing.get_all_start_methods():
        chunks = [[files[i] for i in unknown[start:start + 250]] for start in range(0, len(unknown), 250)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = [result for chunk in pool.map(_read_chunk, chunks) for result in chunk]
        if cache is not None:
            cache.parsed += len(unknown)
        for i, (stat, stored, body, problems) in zip(unknown, results):
            path, display = files[i]
            parsed[i] = (_restored(path, display, stored, body) if stored is not None else None), problems
            if cache is not None:
                cache.used[display] = _Entry(stat[0], stat[1], stored, tuple(problems))
    return [parsed[i] if i in parsed else read_file(path, display, cache, need_body=need_body)
            for i, (path, display) in enumerate(files)]


def _read_chunk(files: list[tuple[Path, str]]) -> list[tuple[tuple[int, int], _Stored | None, str, list[Problem]]]:
    """Read files in a worker; sent back as the cache stores them (tuples: quicker to unpickle)."""
    results = []
    for path, display in files:
        stat = os.stat(path)  # before reading, as read_file does
        record, problems = read_file(path, display)
        results.append(((stat.st_mtime_ns, stat.st_size), _stored(record) if record is not None else None,
                        record.body if record is not None else "", problems))
    return results


def _parse(path: Path, display: str, raw: bytes, sha: str) -> tuple[FileRecord | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(display, line, None, "not valid UTF-8 text", "a file saved as UTF-8")]
    fm, problems = read_front_matter(text, display)
    if fm is None:
        return None, problems
    values, problems = validate_fields(fm, display)
    record = FileRecord(path, display, values, fm.key_lines, fm.body, fm.body_line, sha, scan_body(fm.body, fm.body_line))
    if values.get("type") in TASK_TYPES:
        record.tasks = parse_tasks(fm.body, first_line=fm.body_line)
    match = VERSION_FILE.match(path.name)
    if match:
        record.folder_id = path.parent.name
        record.folder_version = int(match.group(1))
    record.signature = cross_signature(record)
    return record, problems
