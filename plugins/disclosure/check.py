"""``publish.py check``: every problem in the content, and the last check remembered.

The check runs before every commit (``install-hook``), so it must be quick after one
edit.  On a 10,000-document site, loading the corpus and applying every rule across
documents again (unique numbers, references, cycles, citations, statuses, the ledger
and the registers) takes over a second even with the parse cache.  Yet most edits
change only a body's prose, which no rule across documents reads, or a title, which
the rules read of a few documents only.

So each whole check leaves a :class:`Snapshot`: each file's size and modification
time, its :func:`~disclosure.files.cross_signature` (a digest of all that the rules
across documents could read from it), its own problems and the lines of its body's
references, the problems found across documents, and which attributes of each file's
document the rules did read (:mod:`disclosure.reads`).  When the next check finds the
same files and every changed one is still free of errors, and either has the same
signature or differs from what the whole check read only in attributes the rules did
not read, the rules across documents would find what they found before: only the
changed files are read, and problems at the lines of their references follow the
references; the snapshot is kept as it is until enough files changed since it
(:data:`RESAVE_AFTER`).  Anything else (a file added, removed or broken, an attribute
the rules read, other settings, date, code, ledger or registers) runs the whole check.
Tests compare both ways on every kind of edit and on random ones.

One kind of rule reads an attribute of every document: a document number must be
unique, and a cited number is looked up among all of them.  Those rules are written
over plain values (:func:`~disclosure.corpus.number_problems`), which the snapshot
keeps for every document; after an edit they are applied again to the edited files'
values and the others' remembered ones (a few hundredths of a second for 10,000
documents), so a number edit that no other rule read is answered without the whole check.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, NamedTuple

from .config import SiteConfig, default_ledger_path
from .corpus import NumberedDocument, discover_files, load_corpus, number_problems
from .files import FileRecord, FileState, ParseCache, file_state, path_key, read_file
from .frontmatter import line_of
from .keyed_store import installed_stamp, replace_file, source_digest
from .problems import Problem, has_errors
from .reads import ALWAYS_READ, EVERYTHING, changed_by_file, recording_reads

SNAPSHOT_FORMAT = 4

RESAVE_AFTER = 32
"""How many changed files make a check answered from the snapshot save the snapshot
anew.  Fewer are read again by the next check (under a millisecond each), which is
cheaper than writing the snapshot (a tenth of a second for 10,000 documents, a
fifth of a pre-commit check): the snapshot stays the last whole check's, and the
edits since are what each check reads."""


class Snapshot(NamedTuple):
    key: str
    """Digest of the check's inputs other than the documents (:func:`inputs_key`)."""
    files: dict[str, FileState]
    """Every document file by its path, in the order :func:`~disclosure.corpus.discover_files` gives them."""
    across: tuple[Problem, ...]
    """Problems found across documents and in the records, in the order they were found."""
    numbers_span: tuple[int, int]
    """Where in ``across`` the problems of the rules on document numbers are (start, end)."""
    numbered: bytes
    """What those rules read, for each document (:func:`~disclosure.corpus.number_inputs`),
    pickled: only an edit that changes a file's signature has them read again (unpickled,
    they take longer than all the rest of the snapshot)."""
    reads: dict[str, tuple[str, frozenset[str]]]
    """For each file: its cross signature when the whole check ran, and the attributes of
    its document and version that the whole check read (:mod:`disclosure.reads`)."""


@dataclass
class CheckResult:
    problems: list[Problem]
    """Every problem, in the order a whole check finds them."""
    files: int
    """How many document files were checked."""
    changed: int | None = None
    """How many files changed since the remembered check; None when the whole check ran."""


def check_content(content_dir: Path, config: SiteConfig, as_of: date, cache_dir: Path | None = None) -> CheckResult:
    """Check every document under ``content_dir`` and the records that go with them.

    ``cache_dir`` keeps the parse cache and the snapshot between runs (None: read everything).
    """
    content_dir = Path(content_dir)
    if cache_dir is None or not content_dir.is_dir():
        return _whole_check(content_dir, config, as_of, None, None)[0]
    name = f"check-{path_key(content_dir)}"
    snapshot_path = Path(cache_dir) / f"{name}.snapshot"
    others: list[str] = []
    paths = discover_files(content_dir, others)
    key = inputs_key(content_dir, others, config, as_of)
    previous = _load(snapshot_path, key)
    cache_path = Path(cache_dir) / f"{name}.pickle"
    if previous is not None:
        outcome = _from_snapshot(previous, paths, cache_path)
        if outcome is not None:
            result, remembered = outcome
            if result.changed and result.changed >= RESAVE_AFTER:
                _save(snapshot_path, remembered())
            return result
    result, snapshot = _whole_check(content_dir, config, as_of, ParseCache(cache_path), paths, key,
                                    previous.files if previous is not None else {})
    if snapshot is not None:
        _save(snapshot_path, snapshot)
    return result


def inputs_key(content_dir: Path, others: list[str], config: SiteConfig, as_of: date) -> str:
    """What a check depends on besides the document files: the code that checks (this
    package's source, the installed YAML parsers, Python), the settings, the date, the ledger and
    the ``others`` files under the content folder (the registers the annual reports are
    computed from, task status files, anything else: a change to any of them is rare)."""
    inputs = [f"format={SNAPSHOT_FORMAT}", source_digest(("disclosure",)), sys.version, repr(config), as_of.isoformat(),
              f"ledger {_stat_text(default_ledger_path(content_dir))}"]
    inputs += [f"{path} {_stat_text(Path(path))}" for path in others]
    inputs.append(installed_stamp(("yaml", "ruamel.yaml")))  # front matter; the report's figures.yml
    return hashlib.sha256("\n".join(inputs).encode("utf-8")).hexdigest()


def _stat_text(path: Path) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return "absent"
    return f"{stat.st_mtime_ns} {stat.st_size}"


def _whole_check(content_dir: Path, config: SiteConfig, as_of: date, cache: ParseCache | None,
                 paths: list[str] | None, key: str = "", known: dict[str, FileState] | None = None,
                 ) -> tuple[CheckResult, Snapshot | None]:
    """The whole check; with ``cache`` and ``paths``, also the snapshot (under ``key``) it
    leaves, taking the states of unchanged files from ``known`` (the last snapshot's)."""
    from .records import load_records  # the ledger and report modules: only when the whole check runs

    files = None if paths is None else [Path(path) for path in paths]
    remembering = cache is not None and paths is not None
    with recording_reads() if remembering else nullcontext(defaultdict(set)) as reads:
        result = load_corpus(content_dir, config, as_of=as_of, cache=cache, need_bodies=False, paths=files)
        problems = list(result.problems)
        if not has_errors(problems):  # the registers and the ledger are checked against valid content only
            problems += load_records(content_dir, result.corpus, result.corpus.public(as_of), as_of, config=config,
                                     views=False)[1]
    if cache is None or paths is None or files is None:  # (files is None exactly when paths is)
        return CheckResult(problems, result.files), None
    known = known or {}
    remembered, read = {}, {}
    for path, file in zip(paths, files):
        display = file.as_posix()
        entry = cache.used[display]
        state = known.get(path)
        if state is None or state.mtime_ns != entry.mtime_ns or state.size != entry.size:
            state = file_state(entry.mtime_ns, entry.size, entry.record, entry.problems)
        remembered[path] = state  # (under the same key, the same file gives the same state)
        if state.signature is not None:
            read[path] = (state.signature, frozenset(reads.get(display, ())))
    own = result.own_problems
    start, end = result.numbers_span
    return CheckResult(problems, result.files), Snapshot(key, remembered, tuple(problems[own:]), (start - own, end - own),
                                                         _pickled(result.numbered), read)


def _from_snapshot(snapshot: Snapshot, paths: list[str], cache_path: Path,
                   ) -> tuple[CheckResult, Callable[[], Snapshot]] | None:
    """The check's result from the snapshot and the changed files, with what makes the
    snapshot that remembers it, or None when the whole check must run.  ``cache_path``
    is the parse cache the whole check left."""
    if paths != list(snapshot.files):
        return None
    files = dict(snapshot.files)
    moved: dict[str, dict[int, int]] = {}  # display path of each changed file: its references' old line -> new line
    records: dict[str, FileRecord] = {}  # display path of each changed file: what it holds now
    resigned = False  # whether a changed file's signature changed
    for path in paths:
        before = files[path]
        stat = os.stat(path)  # before reading: an edit made meanwhile shows as a change next time
        if stat.st_mtime_ns == before.mtime_ns and stat.st_size == before.size:
            continue
        display = Path(path).as_posix()  # as problems name the file
        record, problems = read_file(Path(path), display)
        now = file_state(stat.st_mtime_ns, stat.st_size, record, problems)
        if now.signature is None:
            return None
        if now.signature != before.signature:
            if not _only_unread_changed(snapshot, path, display, record, cache_path):
                return None
            resigned = True
        lines: dict[int, int] = {}
        for old, new in zip(before.ref_lines, now.ref_lines):
            if lines.setdefault(old, new) != new:
                return None  # references that shared a line no longer do: their problems cannot be told apart
        moved[display] = lines
        records[display] = record
        files[path] = now
    if not moved:
        return CheckResult([p for state in files.values() for p in state.problems] + list(snapshot.across), len(paths), 0), lambda: snapshot
    start, end = snapshot.numbers_span
    if resigned:
        numbered = _renumbered(_unpickled(snapshot.numbered), records)
        found = number_problems(numbered)
        kept = snapshot.across[:start] + snapshot.across[end:]
    else:
        # The same signatures: the same numbers and cited numbers, at other lines only
        # (followed below as the other problems are): the rules on numbers find what
        # they found.
        numbered, found, kept = None, [], snapshot.across
    across = []
    for problem in kept:
        lines = moved.get(problem.path)
        if lines is not None and problem.field == "body" and problem.line is not None:
            if problem.line not in lines:
                return None
            problem = replace(problem, line=lines[problem.line])
        across.append(problem)
    if resigned:
        across[start:start] = found
        end = start + len(found)
    problems = [problem for state in files.values() for problem in state.problems] + across

    def remembered() -> Snapshot:
        renumbered = numbered if numbered is not None else _renumbered(_unpickled(snapshot.numbered), records)
        return snapshot._replace(files=files, across=tuple(across), numbers_span=(start, end), numbered=_pickled(renumbered))

    return CheckResult(problems, len(paths), len(moved)), remembered


def _renumbered(numbered: tuple[NumberedDocument, ...], records: dict[str, FileRecord]) -> tuple[NumberedDocument, ...]:
    """``numbered`` with what the edited files (``records``, by the path problems name them by) hold now."""
    result = []
    for doc in numbered:
        if any(display in records for display, _ in doc.citations):
            current = records.get(doc.path)
            if current is not None:
                doc = doc._replace(line=line_of(current.key_lines, "doc_number"), number=current.values.get("doc_number"))
            doc = doc._replace(citations=tuple((display, records[display].refs.citations if display in records else citations)
                                               for display, citations in doc.citations))
        result.append(doc)
    return tuple(result)


def _only_unread_changed(snapshot: Snapshot, path: str, display: str, record: FileRecord | None, cache_path: Path) -> bool:
    """Whether the file at ``path`` now differs from what the whole check read only in
    attributes of its document that the whole check never read (a title no rule shows);
    of a version in a folder, while the folder's other files are as that check read them."""
    remembered = snapshot.reads.get(path)
    if record is None or remembered is None:
        return False
    signature, read = remembered
    then = ParseCache.record_of(cache_path, Path(path), display)
    if then is None or then.signature != signature:  # not the reading the whole check made
        return False
    others, reads_of = [], {display: read}
    if record.folder_id is not None:
        # A version in a folder: its document is made with the folder's other files, which
        # must be as the whole check read them; each changed attribute counts against the
        # reads of the file it belongs to.
        folder = os.path.dirname(path)
        for other in snapshot.files:
            if other == path or os.path.dirname(other) != folder:
                continue
            try:
                stat = os.stat(other)
            except OSError:  # (gone since the files were listed: the whole check says so)
                return False
            state, remembered_other = snapshot.files[other], snapshot.reads.get(other)
            other_display = Path(other).as_posix()
            record_then = ParseCache.record_of(cache_path, Path(other), other_display)
            if ((stat.st_mtime_ns, stat.st_size) != (state.mtime_ns, state.size) or remembered_other is None
                    or record_then is None or record_then.signature != remembered_other[0]):
                return False
            others.append(record_then)
            reads_of[other_display] = remembered_other[1]
    found = changed_by_file(then, record, others)
    return found is not None and found.keys() <= reads_of.keys() and all(
        EVERYTHING not in names and not (found.get(name, set()) & (names | ALWAYS_READ)) for name, names in reads_of.items())


def _pickled(numbered: tuple[NumberedDocument, ...]) -> bytes:
    return pickle.dumps(numbered, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickled(numbered: bytes) -> tuple[NumberedDocument, ...]:
    return pickle.loads(numbered)  # type: ignore[no-any-return]


def _load(path: Path, key: str) -> Snapshot | None:
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return None  # damaged or written by other code: the whole check runs and replaces it
    if not isinstance(stored, Snapshot) or stored.key != key:
        return None
    return stored


def _save(path: Path, snapshot: Snapshot) -> None:
    try:
        replace_file(path, lambda handle: pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a check without a cache is still a check
