"""The disclosure ledger (公开台账): an append-only, hash-chained record of every
disclosure event, kept in ``ledger/ledger.jsonl`` next to the content.

API (no Pelican import)::

    from disclosure.ledger import record, verify, read_ledger, public_view, public_rows
    result = record(corpus, Path("ledger/ledger.jsonl"), as_of, correction_notes={"gf-2016-55#v1": "..."})
    result.new_entries, result.problems           # nothing is written when problems has an error
    report = verify(corpus, Path("ledger/ledger.jsonl"), as_of, git=True)
    report.ok, report.findings, report.counts, report.head, report.to_json(), report.format_text()

Events: ``published`` (first public version), ``new_version``, ``corrected`` (a
published text changed, with the editor's note), ``withdrawn`` (removed from the
site, with its reason), ``repealed`` / ``expired`` (dated the day they take effect),
and ``withheld`` (internal record of a version that is not disclosed proactively).
See ``ledger_chain`` for the file format, ``ledger_verify`` for the auditor's checks
and ``ledger_views`` for what the site shows.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping, TextIO

from .corpus import Corpus
from .document import Disclosure, Document, ReviewResult, Version
from .effectiveness import Status, status_on
from .ledger_chain import (EVENTS, LedgerFile, canonical, chain, entries_bytes, entry_hash, read_ledger, replay,
                           resolve_stored, stored_path, write_atomic)
from .ledger_git import GitRepo
from .ledger_verify import Finding, VerifyReport, verify
from .ledger_views import public_rows, public_view, write_ledger_csv, write_ledger_json
from .problems import Problem, Severity

__all__ = [
    "EVENTS", "Finding", "LedgerFile", "RecordResult", "VerifyReport", "canonical", "entry_hash", "public_rows",
    "public_view", "read_ledger", "record", "run_record", "run_verify", "verify", "write_ledger_csv", "write_ledger_json",
]

KEY_PATTERN = re.compile(r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#v(?P<version>[1-9]\d*))?$")
_RANK = {"withheld": 0, "published": 0, "new_version": 1, "corrected": 2, "withdrawn": 3, "repealed": 4, "expired": 4}


@dataclass
class RecordResult:
    new_entries: list[dict[str, Any]] = field(default_factory=list)
    """Entries appended (empty when nothing changed or when ``record`` refused)."""
    problems: list[Problem] = field(default_factory=list)
    """Why ``record`` refused (errors; then nothing was written), and warnings."""

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def head(self) -> str | None:
        return self.new_entries[-1]["hash"] if self.new_entries else None


def withheld_reason(version: Version) -> str:
    """Why a version is not on the site (the internal note of a ``withheld`` entry)."""
    if version.disclosure is not Disclosure.PROACTIVE:
        return version.disclosure.label_zh
    if version.review is None:
        return "未经保密审查，暂不公开"
    return "保密审查未通过，暂不公开"


def version_entry(doc: Document, version: Version, event: str, when: date, note: str | None, path: str) -> dict[str, Any]:
    """An entry's fields (without seq, prev, hash, commit, author) for one version."""
    meta = version.meta or {}
    review = version.review
    return {
        "event": event,
        "date": when.isoformat(),
        "doc_id": doc.id,
        "version": version.number,
        "index_number": doc.index_number,
        "doc_number": meta.get("doc_number") if meta else doc.doc_number,
        "title": version.title,
        "type": doc.type.value,
        "disclosure": version.disclosure.value,
        "disclosure_basis": meta.get("disclosure_basis") if meta else doc.disclosure_basis,
        "review": {"by": review.by, "date": review.date.isoformat(), "result": review.result.value} if review else None,
        "sha256": version.sha256,
        "path": path,
        "note": note,
    }


def _lookup(mapping: Mapping[str, str], doc_id: str, number: int) -> tuple[str, str] | None:
    for key in (f"{doc_id}#v{number}", doc_id):
        if key in mapping and str(mapping[key]).strip():
            return key, str(mapping[key]).strip()
    return None


def record(corpus: Corpus, ledger_path: Path, as_of: date, *, correction_notes: Mapping[str, str] | None = None,
           withdrawals: Mapping[str, str] | None = None, git: bool = True, base: Path | None = None) -> RecordResult:
    """Append the disclosure events the corpus shows and the ledger lacks.

    Refuses (returns error problems and writes nothing) when the ledger has been
    altered, when a published text changed without a correction note, when a
    published version left the site without a withdrawal reason, or when a note or
    reason names nothing that needs one.  ``git=False`` skips the commit look-up;
    ``base`` is the folder entry paths are relative to (default: the working folder).
    """
    notes = dict(correction_notes or {})
    reasons = dict(withdrawals or {})
    ledger = read_ledger(ledger_path)
    display = ledger.path.as_posix()
    if ledger.problems:
        return RecordResult([], list(ledger.problems))
    states, replay_problems = replay(ledger)
    if replay_problems:
        return RecordResult([], replay_problems)
    problems: list[Problem] = []

    def refuse(path: str, message: str, expected: str | None = None, line: int | None = None, key: str | None = None) -> None:
        problems.append(Problem(path, line, key, message, expected))

    latest = max(((e["date"], n) for e, n in zip(ledger.entries, ledger.lines)), default=None)
    if latest is not None and as_of.isoformat() < latest[0]:
        refuse(display, f"--as-of {as_of} is before the latest date in the ledger ({latest[0]}, line {latest[1]})",
               "an as-of date on or after the ledger's latest entry", latest[1], "date")
    for option, mapping in (("--correction", notes), ("--withdraw", reasons)):
        for key, text in mapping.items():
            if not KEY_PATTERN.match(key):
                refuse(display, f"{option} {key!r}: not a document id or ID#vN", f'{option} ID="..." or {option} ID#vN="..."')
            elif not str(text).strip():
                refuse(display, f"{option} {key}: empty text", "a note saying what was corrected or why it was withdrawn")
    used: set[str] = set()
    planned: list[tuple[str, date, Document | None, Version | None, str | None, dict[str, Any] | None]] = []
    gate = {(doc.id, v.number) for doc in corpus.public(as_of) for v in doc.versions}

    def withdraw_or_refuse(doc_id: str, number: int, vs_seq: int, why: str, path: str, doc: Document | None,
                           version: Version | None) -> None:
        found = _lookup(reasons, doc_id, number)
        if found:
            used.add(found[0])
            planned.append(("withdrawn", as_of, doc, version, found[1], ledger.entries[vs_seq - 1]))
        else:
            refuse(path, f"{doc_id} v{number}: published (entry {vs_seq}) but {why}; nothing written",
                   f'--withdraw {doc_id}#v{number}="reason" to record a withdrawal, or the document restored')

    for doc in corpus.documents:
        state = states.get(doc.id)
        live = state.live if state else False
        touched = state is not None
        for version in doc.versions:
            vs = state.versions.get(version.number) if state else None
            path = version.path.as_posix()
            if vs is not None and vs.live:
                if not version.is_public:
                    why = (f"is no longer public (disclosure: {version.disclosure.value})"
                           if version.disclosure is not Disclosure.PROACTIVE else "is held back by its review now")
                    withdraw_or_refuse(doc.id, version.number, vs.seq, why, path, doc, version)
                elif vs.sha256 != version.sha256:
                    found = _lookup(notes, doc.id, version.number)
                    if found:
                        used.add(found[0])
                        planned.append(("corrected", as_of, doc, version, found[1], None))
                    else:
                        moved = stored_path(version.path, base)
                        moved = f" (the file moved here from {vs.path}, as `publish.py revise` does)" if moved != vs.path else ""
                        refuse(path, f"{doc.id} v{version.number}: text changed since it was recorded (entry {vs.seq}){moved}; nothing written",
                               f'--correction {doc.id}#v{version.number}="what was corrected" to record a correction, or the recorded text restored')
                continue
            if version.published > as_of:
                continue
            if version.is_public:
                if (doc.id, version.number) not in gate or not _cleared(version):
                    refuse(path, f"{doc.id} v{version.number}: refusing to record a publication without a passed confidentiality review",
                           "review: {by, date, result: passed} on a proactive document")
                    continue
                event = "new_version" if live else "published"
                again = vs is not None and vs.withdrawn is not None
                note = "重新发布" if again else (version.change_note if event == "new_version" else None)
                planned.append((event, as_of if again else version.published, doc, version, note, None))
                live = touched = True
            elif vs is None:
                planned.append(("withheld", version.published, doc, version, withheld_reason(version), None))
                touched = True
        if state is not None:
            for number, vs in sorted(state.versions.items()):
                if doc.version(number) is None and vs.live:
                    withdraw_or_refuse(doc.id, number, vs.seq, "its file is no longer in the corpus", vs.path, doc, None)
        if touched and (state is None or state.terminal is None):
            effect = status_on(corpus, doc, as_of)
            if effect.status in (Status.REPEALED, Status.EXPIRED) and effect.since is not None:
                numbers = list(state.versions) if state else []
                numbers += [v.number for v in doc.versions if v.published <= as_of]
                version = doc.version(max(numbers)) if numbers else doc.current
                planned.append((effect.status.value, effect.since, doc, version or doc.current, effect.reason, None))
    for doc_id, state in sorted(states.items()):
        if corpus.get(doc_id) is None:
            for number, vs in sorted(state.versions.items()):
                if vs.live:
                    withdraw_or_refuse(doc_id, number, vs.seq, "the document is no longer in the corpus", vs.path, None, None)
    for option, mapping in (("--correction", notes), ("--withdraw", reasons)):
        for key in sorted(set(mapping) - used):
            if not KEY_PATTERN.match(key):
                continue
            doc_id = KEY_PATTERN.match(key)["id"]  # type: ignore[index]
            doc = corpus.get(doc_id)
            if option == "--correction":
                refuse(display, f"{option} {key}: no published version of '{doc_id}' has a changed text",
                       "a correction note only for a published version whose file changed")
            elif doc is not None and doc.is_public:
                refuse(display, f"{option} {key}: '{doc_id}' is still public in the corpus",
                       "remove it from the site first (delete the file, or change disclosure), then record the withdrawal")
            else:
                refuse(display, f"{option} {key}: '{doc_id}' has no published version to withdraw",
                       "the id of a published document that left the site")
    if any(p.severity is Severity.ERROR for p in problems):
        return RecordResult([], problems)
    if not planned:
        return RecordResult([], problems)

    entries: list[dict[str, Any]] = []
    for event, when, doc, version, note, recorded in planned:
        if recorded is not None:  # a withdrawal: what was published, as the ledger has it
            entry = {key: recorded[key] for key in ("doc_id", "version", "index_number", "doc_number", "title", "type",
                                                    "disclosure", "disclosure_basis", "review", "sha256", "path")}
            entry.update(event=event, date=when.isoformat(), note=note)
        else:
            assert doc is not None and version is not None
            entry = version_entry(doc, version, event, when, note, stored_path(version.path, base))
        entries.append(entry)
    problems += _add_git(entries, git, base)
    provisional = sorted({e["doc_id"] for e, p in zip(entries, planned) if p[2] is not None and not p[2].index_number_assigned})
    if provisional:
        problems.append(Problem(display, None, "index_number",
                                f"{len(provisional)} recorded document(s) have a provisional index number (first: {provisional[0]})",
                                "index numbers written into the files (`publish.py number`) before recording", Severity.WARNING))
    entries.sort(key=lambda e: (e["date"], _RANK[e["event"]], e["doc_id"], e["version"]))
    for entry in entries:
        if entry["event"] in ("published", "new_version") and not _entry_cleared(entry):
            return RecordResult([], problems + [Problem(display, None, None,
                                f"{entry['doc_id']} v{entry['version']}: refusing to record a publication without a passed confidentiality review")])
    new_entries = chain(entries, ledger.last)
    data = ledger.raw
    if data and not data.endswith(b"\n"):
        data += b"\n"
    try:
        write_atomic(ledger.path, data + entries_bytes(new_entries), expected_old=ledger.raw if ledger.exists else b"")
    except ValueError as error:
        return RecordResult([], problems + [Problem(display, None, None, str(error))])
    return RecordResult(new_entries, problems)


def _cleared(version: Version) -> bool:
    return (version.disclosure is Disclosure.PROACTIVE and version.review is not None
            and version.review.result is ReviewResult.PASSED)


def _entry_cleared(entry: dict[str, Any]) -> bool:
    review = entry.get("review") or {}
    return entry.get("disclosure") == "proactive" and review.get("result") == "passed"


def _add_git(entries: list[dict[str, Any]], enabled: bool, base: Path | None) -> list[Problem]:
    """Fill ``commit`` and ``author`` from the file's last commit (one git log for all)."""
    for entry in entries:
        entry["commit"] = entry["author"] = None
    if not enabled or not entries:
        return []
    files = {entry["path"]: resolve_stored(entry["path"], base) for entry in entries}
    repo = GitRepo.find(next(iter(files.values())).parent)
    if repo is None:
        return []
    relative = {stored: repo.relative(path) for stored, path in files.items()}
    inside = {r for r in relative.values() if r is not None}
    if not inside:
        return []
    folder = os.path.commonpath(sorted(inside)) if len(inside) > 1 else os.path.dirname(next(iter(inside)))
    dirty = repo.dirty(folder)
    changes = repo.last_changes(inside - dirty)
    warned: set[str] = set()
    problems = []
    for entry in entries:
        rel = relative.get(entry["path"])
        if rel is None:
            continue
        if rel in dirty:
            if rel not in warned:
                warned.add(rel)
                problems.append(Problem(entry["path"], None, None, "uncommitted changes: the entry records no commit",
                                        "the content committed before `ledger record`, so auditors can replay its history",
                                        Severity.WARNING))
            continue
        if rel in changes:
            entry["commit"], entry["author"] = changes[rel]
    return problems


# --------------------------------------------------------------------------- command line


def parse_assignments(values: Iterable[str], option: str) -> tuple[dict[str, str], list[str]]:
    """``ID[#vN]=text`` arguments into a mapping, with messages for malformed ones."""
    result: dict[str, str] = {}
    errors: list[str] = []
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip()
        if not sep or not KEY_PATTERN.match(key) or not text.strip():
            errors.append(f'{option} {value!r}: expected ID="text" or ID#vN="text"')
        elif key in result:
            errors.append(f"{option} {key}: given twice")
        else:
            result[key] = text.strip()
    return result, errors


def run_record(content: Path, ledger: Path, as_of: date, *, config: Any = None, corrections: Iterable[str] = (),
               withdrawals: Iterable[str] = (), git: bool = True, out: TextIO | None = None) -> int:
    """``ledger record``: load the content, append what is missing, print what was done; the exit code."""
    from .corpus import load_corpus

    out = out or sys.stdout
    notes, errors = parse_assignments(corrections, "--correction")
    reasons, more = parse_assignments(withdrawals, "--withdraw")
    for message in errors + more:
        print(message, file=out)
    if errors or more:
        return 2
    loaded = load_corpus(Path(content), config, as_of=as_of)
    content_errors = [p for p in loaded.problems if p.severity is Severity.ERROR]
    if content_errors:
        for problem in content_errors:
            print(problem.format(), file=out)
        print(f"{len(content_errors)} content error(s): fix them (publish.py check) before recording; nothing written", file=out)
        return 1
    result = record(loaded.corpus, Path(ledger), as_of, correction_notes=notes, withdrawals=reasons, git=git)
    for problem in result.problems:
        print(problem.format(), file=out)
    if not result.ok:
        print(f"{Path(ledger).as_posix()}: nothing written", file=out)
        return 1
    for entry in result.new_entries:
        print(f"{entry['seq']:>5} {entry['date']} {entry['event']:<11} {entry['doc_id']} v{entry['version']}", file=out)
    head = result.head or read_ledger(Path(ledger)).head
    count = len(result.new_entries)
    print(f"{count} entr{'y' if count == 1 else 'ies'} appended; head {head or '(empty)'}", file=out)
    return 0


def run_verify(content: Path, ledger: Path, as_of: date, *, config: Any = None, git: bool = False, fmt: str = "text",
               head: str | None = None, strict: bool = False, out: TextIO | None = None) -> int:
    """``ledger verify``: print the report (text or JSON); exit 0 only when everything holds."""
    from .corpus import load_corpus

    out = out or sys.stdout
    loaded = load_corpus(Path(content), config, as_of=as_of)
    content_errors = [p for p in loaded.problems if p.severity is Severity.ERROR]
    report = verify(loaded.corpus, Path(ledger), as_of, git=git, config=config, expected_head=head,
                    content_problems=content_errors, data_dir=Path(content) / "data" / "annual")
    print(report.to_json() if fmt == "json" else report.format_text(), file=out)
    return 0 if (report.strict_ok if strict else report.ok) else 1
