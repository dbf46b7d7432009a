"""The ledger file: entry format, canonical JSON, the hash chain, and replay.

``ledger/ledger.jsonl`` holds one JSON object per line (UTF-8, keys sorted, compact
separators, ``ensure_ascii=False``).  Each entry carries ``prev``, the hash of the
entry before it (``""`` for the first), and ``hash``, the SHA-256 of the canonical
JSON of the entry without ``hash``.  Reading never raises for a damaged file: every
break is returned as a :class:`~disclosure.problems.Problem` naming its line.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem

EVENTS = ("published", "new_version", "corrected", "withdrawn", "repealed", "expired", "withheld")
PUBLICATION_EVENTS = ("published", "new_version")
TERMINAL_EVENTS = ("repealed", "expired")
TEXT_EVENTS = ("published", "new_version", "corrected")
"""Events that record the text of a version (their commit must hold that text)."""

ENTRY_KEYS = (
    "author", "commit", "date", "disclosure", "disclosure_basis", "doc_id", "doc_number", "event", "hash",
    "index_number", "note", "path", "prev", "review", "seq", "sha256", "title", "type", "version",
)


def canonical(data: dict[str, Any]) -> str:
    """The canonical JSON text of a mapping: what is hashed and what is written."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the entry without its ``hash``."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def chain(entries: list[dict[str, Any]], after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Give new entries their ``seq``, ``prev`` and ``hash``, continuing after ``after``."""
    seq = after["seq"] if after else 0
    prev = after["hash"] if after else ""
    chained = []
    for entry in entries:
        seq += 1
        item = {**entry, "seq": seq, "prev": prev}
        item.pop("hash", None)
        item["hash"] = entry_hash(item)
        prev = item["hash"]
        chained.append(item)
    return chained


@dataclass
class LedgerFile:
    """A ledger as read: its entries (with their line numbers) and what is wrong with it."""

    path: Path
    raw: bytes = b""
    entries: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    """Line of each entry in ``entries``."""
    problems: list[Problem] = field(default_factory=list)
    exists: bool = False

    @property
    def head(self) -> str:
        """Hash of the last entry: what the site shows ("" for an empty ledger)."""
        return self.entries[-1]["hash"] if self.entries else ""

    @property
    def last(self) -> dict[str, Any] | None:
        return self.entries[-1] if self.entries else None

    def line_of(self, seq: int) -> int | None:
        index = seq - 1
        if 0 <= index < len(self.entries) and self.entries[index].get("seq") == seq:
            return self.lines[index]
        for entry, line in zip(self.entries, self.lines):
            if entry.get("seq") == seq:
                return line
        return None


def read_ledger(path: Path) -> LedgerFile:
    """Read and check the ledger file; a missing file is an empty ledger."""
    ledger = LedgerFile(Path(path))
    if not ledger.path.exists():
        return ledger
    ledger.exists = True
    ledger.raw = ledger.path.read_bytes()
    display = ledger.path.as_posix()
    problems = ledger.problems

    def report(line: int, key: str | None, message: str, expected: str | None = None) -> None:
        problems.append(Problem(display, line, key, message, expected))

    raw_lines = ledger.raw.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    parsed: list[tuple[int, dict[str, Any], str]] = []
    for number, raw_line in enumerate(raw_lines, start=1):
        try:
            text = raw_line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            report(number, None, "not valid UTF-8 text", "a UTF-8 line as `ledger record` writes it")
            continue
        if not text.strip():
            report(number, None, "empty line", "one JSON entry on every line")
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            report(number, None, f"not valid JSON ({error.msg}, column {error.colno})", "one JSON object per line")
            continue
        if not isinstance(data, dict):
            report(number, None, "not a JSON object", "one JSON object per line")
            continue
        missing = [key for key in ENTRY_KEYS if key not in data]
        unknown = sorted(key for key in data if key not in ENTRY_KEYS)
        if missing:
            report(number, None, f"missing keys: {', '.join(missing)}", "every key of a ledger entry")
        if unknown:
            report(number, None, f"unknown keys: {', '.join(unknown)}", "only the keys of a ledger entry")
        type_problem = _type_problem(data)
        if type_problem:
            report(number, type_problem[0], type_problem[1], type_problem[2])
        if not isinstance(data.get("seq"), int) or isinstance(data.get("seq"), bool) or not isinstance(data.get("hash"), str):
            continue
        parsed.append((number, data, text))

    by_seq: dict[int, tuple[int, str]] = {}
    for number, data, _ in parsed:
        by_seq.setdefault(data["seq"], (number, data["hash"]))
    expected_seq = 1
    for number, data, text in parsed:
        seq = data["seq"]
        line_problems = len(problems)
        if seq != expected_seq:
            if seq > expected_seq:
                where = by_seq.get(expected_seq)
                if where is not None and where[0] != number:
                    report(number, "seq", f"is {seq}, expected {expected_seq}: entry {expected_seq} is on line {where[0]} (entries reordered)",
                           "entries in the order they were recorded")
                elif seq - expected_seq == 1:
                    report(number, "seq", f"is {seq}, expected {expected_seq}: entry {expected_seq} was removed",
                           "no entry ever removed from the ledger")
                else:
                    report(number, "seq", f"is {seq}, expected {expected_seq}: entries {expected_seq}–{seq - 1} were removed",
                           "no entry ever removed from the ledger")
            else:
                first = by_seq.get(seq)
                if first is not None and first[0] < number:
                    report(number, "seq", f"is {seq}, expected {expected_seq}: entry {seq} is duplicated (also on line {first[0]})",
                           "each entry once")
                else:
                    report(number, "seq", f"is {seq}, expected {expected_seq}: entry out of order (entries reordered)",
                           "entries in the order they were recorded")
        expected_seq = max(expected_seq, seq + 1)
        prev = data.get("prev")
        if seq == 1:
            if prev != "":
                report(number, "prev", f"is '{_short(prev)}' on the first entry", "'' (the chain starts here)")
        elif seq - 1 in by_seq:
            before_line, before_hash = by_seq[seq - 1]
            if prev != before_hash:
                report(number, "prev", f"does not match the hash of entry {seq - 1} (line {before_line}): the chain is broken",
                       "the hash of the entry before (entries are never edited or replaced)")
        full = canonical(data)
        marker = f'"hash":{json.dumps(data["hash"])},'
        if full.count(marker) == 1 and not full.endswith(marker[:-1] + "}"):
            # the canonical text without "hash" is the full one with that key removed (keys are sorted)
            computed = hashlib.sha256(full.replace(marker, "", 1).encode("utf-8")).hexdigest()
        else:
            computed = entry_hash(data)
        if data["hash"] != computed:
            report(number, "hash", "does not match the entry's content: the entry was edited or forged",
                   "the SHA-256 of the entry without 'hash', as `ledger record` wrote it")
        elif len(problems) == line_problems and text != full:
            report(number, None, "not in canonical form: the line was re-written by hand",
                   "the line exactly as `ledger record` wrote it (keys sorted, compact JSON)")
        ledger.entries.append(data)
        ledger.lines.append(number)
    return ledger


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 16 else text[:12] + "…"


def _type_problem(data: dict[str, Any]) -> tuple[str, str, str] | None:
    def is_int(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    checks: list[tuple[str, bool, str]] = [
        ("seq", is_int(data.get("seq")) and data.get("seq", 0) >= 1, "a whole number from 1"),
        ("event", data.get("event") in EVENTS, "one of " + ", ".join(EVENTS)),
        ("version", is_int(data.get("version")) and data.get("version", 0) >= 1, "a version number from 1"),
        ("doc_id", isinstance(data.get("doc_id"), str) and bool(data.get("doc_id")), "a document id"),
        ("date", isinstance(data.get("date"), str) and len(data.get("date", "")) == 10, "a date YYYY-MM-DD"),
        ("sha256", isinstance(data.get("sha256"), str), "a hex SHA-256"),
        ("prev", isinstance(data.get("prev"), str), "a hash or ''"),
        ("hash", isinstance(data.get("hash"), str), "a hex SHA-256"),
        ("review", data.get("review") is None or isinstance(data.get("review"), dict), "a mapping by, date, result, or null"),
    ]
    for key, good, expected in checks:
        if key in data and not good:
            return key, f"got {json.dumps(data[key], ensure_ascii=False)}", expected
    return None


def entries_bytes(entries: list[dict[str, Any]]) -> bytes:
    return "".join(canonical(entry) + "\n" for entry in entries).encode("utf-8")


def write_atomic(path: Path, data: bytes, *, expected_old: bytes | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    With ``expected_old``, refuse (ValueError) when the file no longer holds those
    bytes: someone changed it while we were working.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file readable by its owner only: give it the mode of the file it
        # replaces, or of any new file (a static host's server must read the site's copies)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else new_file_mode())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if expected_old is not None:
            current = path.read_bytes() if path.exists() else b""
            if current != expected_old:
                raise ValueError(f"{path.as_posix()}: changed by someone else while recording; nothing written")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def new_file_mode() -> int:
    """The permissions ``open`` gives a new file in this process (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


# --------------------------------------------------------------------------- replay


@dataclass
class VersionState:
    """What the ledger says about one version of a document."""

    number: int
    public: bool
    """True once published (published/new_version), False while only withheld."""
    sha256: str
    path: str
    commit: str | None
    seq: int
    """Entry that recorded the current hash."""
    withdrawn: str | None = None
    """The reason, when the version has been withdrawn from the site."""

    @property
    def live(self) -> bool:
        """Published and not withdrawn: it must be on the site, unchanged."""
        return self.public and self.withdrawn is None


@dataclass
class DocState:
    doc_id: str
    type: str
    versions: dict[int, VersionState] = field(default_factory=dict)
    terminal: dict[str, Any] | None = None
    """The repealed/expired entry, once recorded."""
    last_publication: dict[str, Any] | None = None
    """The latest published/new_version/corrected entry: how the item is listed."""
    first_published: str | None = None
    withdrawn_note: str | None = None

    @property
    def ever_public(self) -> bool:
        return any(v.public for v in self.versions.values())

    @property
    def live(self) -> bool:
        return any(v.live for v in self.versions.values())


def replay(ledger: LedgerFile) -> tuple[dict[str, DocState], list[Problem]]:
    """The state the ledger describes, with entries that do not fit it."""
    states: dict[str, DocState] = {}
    problems: list[Problem] = []
    display = ledger.path.as_posix()
    for entry, line in zip(ledger.entries, ledger.lines):
        event = entry.get("event")
        doc_id = entry.get("doc_id")
        number = entry.get("version")
        if event not in EVENTS or not isinstance(doc_id, str) or not isinstance(number, int):
            continue
        state = states.setdefault(doc_id, DocState(doc_id, str(entry.get("type"))))
        version = state.versions.get(number)

        def wrong(message: str) -> None:
            problems.append(Problem(display, line, "event", f"{event} of {doc_id} v{number}: {message}",
                                    "events in a possible order"))

        if event in PUBLICATION_EVENTS or event == "withheld":
            if version is not None and version.live:
                wrong(f"already published (entry {version.seq})")
            elif event in PUBLICATION_EVENTS and event == "published" and state.live:
                wrong("the document already has a published version")
            elif event == "new_version" and not state.live:
                wrong("no earlier version is published")
            public = event in PUBLICATION_EVENTS
            state.versions[number] = VersionState(number, public, str(entry.get("sha256")), str(entry.get("path")),
                                                  entry.get("commit"), entry["seq"])
            if public:
                state.last_publication = entry
                state.first_published = state.first_published or entry.get("date")
                state.withdrawn_note = None
        elif event == "corrected":
            if version is None or not version.live:
                wrong("not a published version")
            else:
                version.sha256 = str(entry.get("sha256"))
                version.path = str(entry.get("path"))
                version.commit = entry.get("commit")
                version.seq = entry["seq"]
                state.last_publication = entry
        elif event == "withdrawn":
            if version is None or not version.live:
                wrong("not a published version")
            else:
                version.withdrawn = entry.get("note") or ""
                if not state.live:
                    state.withdrawn_note = version.withdrawn
        elif event in TERMINAL_EVENTS:
            if state.terminal is not None:
                wrong(f"already {state.terminal.get('event')} (entry {state.terminal.get('seq')})")
            elif not state.versions:
                wrong("the document has no earlier entry")
            else:
                state.terminal = entry
    return states, problems


# --------------------------------------------------------------------------- paths


def stored_path(path: Path, base: Path | None) -> str:
    """How an entry names a source file: relative to ``base`` (default: the working folder), posix style."""
    absolute = os.path.abspath(path)
    root = os.path.abspath(base or os.getcwd())
    prefix = root if root.endswith(os.sep) else root + os.sep
    if absolute.startswith(prefix):
        absolute = absolute[len(prefix):]
    return absolute.replace(os.sep, "/")


def resolve_stored(stored: str, base: Path | None) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else Path(base or Path.cwd()) / path
