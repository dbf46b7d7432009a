"""Load a content folder into a :class:`Corpus`, and check it as a whole.

``load_corpus`` never raises for a user mistake: every problem, in every file, is
returned with its place, and documents with errors are left out of the corpus.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from .citations import RawCitation, resolve_citation
from .config import SiteConfig
from .document import Disclosure, DocType, Document, Version
from .files import VERSION_FILE, FileRecord, ParseCache, read_files, scan_body
from .frontmatter import line_of
from .problems import Problem, Severity

SKIPPED_TOP_LEVEL = {"data"}
"""Folders of ``content/`` that hold data files, not documents."""


class Corpus:
    """All documents of one content folder, with their relations indexed both ways."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents: tuple[Document, ...] = tuple(sorted(documents, key=lambda d: d.id))
        self._by_id = {doc.id: doc for doc in self.documents}
        incoming: dict[str, dict[str, list[Document]]] = defaultdict(lambda: defaultdict(list))
        for doc in self.documents:
            for relation, target in doc.relations:
                incoming[relation][target].append(doc)
        self._incoming = incoming

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.documents)

    def get(self, doc_id: str) -> Document | None:
        return self._by_id.get(doc_id)

    @cached_property
    def _by_number(self) -> dict[str, Document]:
        # Made when first asked for: an index of every document's number would count, for
        # ``check``, as every rule reading every number (disclosure.reads).
        return {doc.doc_number: doc for doc in self.documents if doc.doc_number}

    def by_number(self, doc_number: str) -> Document | None:
        return self._by_number.get(doc_number)

    @property
    def doc_numbers(self) -> frozenset[str]:
        """Every document number of the corpus (for citation matching)."""
        return frozenset(self._by_number)

    def _from(self, relation: str, doc_id: str) -> tuple[Document, ...]:
        return tuple(self._incoming[relation].get(doc_id, ()))

    def repealed_by(self, doc_id: str) -> tuple[Document, ...]:
        """Documents whose ``repeals`` names ``doc_id``."""
        return self._from("repeals", doc_id)

    def amended_by(self, doc_id: str) -> tuple[Document, ...]:
        return self._from("amends", doc_id)

    def interpretations_of(self, doc_id: str) -> tuple[Document, ...]:
        return self._from("interprets", doc_id)

    def results_of(self, draft_id: str) -> tuple[Document, ...]:
        """Notices publishing the consultation result of a draft."""
        return self._from("result_of", draft_id)

    def of_type(self, doc_type: DocType) -> tuple[Document, ...]:
        return tuple(doc for doc in self.documents if doc.type is doc_type)

    def public(self, as_of: date | None = None) -> "Corpus":
        """The disclosure gate: only versions that are proactive and passed review.

        With ``as_of``, versions published after that date are left out too.  Every
        output of the site is made from this view and nothing else.
        """
        kept = []
        for doc in self.documents:
            versions = [v for v in doc.versions if v.is_public and (as_of is None or v.published <= as_of)]
            if versions:
                kept.append(doc if len(versions) == len(doc.versions) else _rebuild(doc, versions))
        return Corpus(kept)


def _rebuild(doc: Document, versions: list[Version]) -> Document:
    """The document as its latest remaining version describes it."""
    rebuilt = _document_from(versions[-1].meta, tuple(versions))
    return replace(rebuilt, index_number=doc.index_number, index_number_assigned=doc.index_number_assigned)


@dataclass
class LoadResult:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    own_problems: int = 0
    """How many of ``problems``, the first ones, are files' own (found reading each file alone)."""
    numbered: tuple[NumberedDocument, ...] = ()
    """What the rules on document numbers read (:func:`number_problems`)."""
    numbers_span: tuple[int, int] = (0, 0)
    """Where the problems those rules found are in ``problems`` (start, end)."""


def discover(content_dir: Path) -> list[Path]:
    """Markdown files that are documents, in a stable order (by their path under ``content_dir``)."""
    return [Path(path) for path in discover_files(content_dir)]


def discover_files(content_dir: Path, others: list[str] | None = None) -> list[str]:
    """:func:`discover` as operating-system paths (strings: quicker to compare than paths).

    ``others``, when given, receives every other file that documents' checks may read:
    those under the data folders and beside documents (task status files), not hidden ones.
    """
    found: list[tuple[str, str]] = []
    for folder, subfolders, names in os.walk(content_dir):
        relative = os.path.relpath(folder, content_dir)
        parts = [] if relative == "." else relative.split(os.sep)
        in_data = bool(parts) and parts[0] in SKIPPED_TOP_LEVEL
        # hidden and underscored folders are not content, the top-level data folders hold no documents
        subfolders[:] = sorted(d for d in subfolders
                               if not d.startswith((".", "_")) and (parts or d not in SKIPPED_TOP_LEVEL or others is not None))
        for name in names:
            if (in_data or not name.endswith(".md") or name.startswith((".", "_")) or name.lower() == "readme.md"
                    or (not parts and name in SKIPPED_TOP_LEVEL)):
                if others is not None and not name.startswith("."):
                    others.append(os.path.join(folder, name))
                continue
            found.append(("/".join([*parts, name]), os.path.join(folder, name)))
    if others is not None:
        others.sort()
    return [path for _, path in sorted(found)]


def load_corpus(content_dir: Path, config: SiteConfig | None = None, *, as_of: date | None = None,
                cache: ParseCache | None = None, need_bodies: bool = True, paths: list[Path] | None = None) -> LoadResult:
    """Read every document under ``content_dir`` and check it.

    ``as_of`` is the date for checks that depend on it (an explicit ``status`` is
    compared with the status computed for that date); without it those checks are
    skipped.  Documents with errors in their own file are left out of the corpus.
    ``cache`` keeps per-file results between runs (saved here); with ``need_bodies=False``
    (``check``) unchanged files are not even read, and their bodies are left empty.
    ``paths`` are the files :func:`discover` found, when the caller already has them.
    """
    config = config or SiteConfig()
    problems: list[Problem] = []
    if not content_dir.is_dir():
        return LoadResult(Corpus([]), [Problem(str(content_dir), None, None, "content folder not found", "a folder of Markdown documents")])
    records: list[FileRecord] = []
    broken_ids: set[str] = set()
    paths = discover(content_dir) if paths is None else paths
    read = read_files([(path, path.as_posix()) for path in paths], cache, need_body=need_bodies)
    for path, (record, file_problems) in zip(paths, read):
        problems += file_problems
        if record is not None and not any(p.severity is Severity.ERROR for p in file_problems):
            records.append(record)
        elif record is not None and isinstance(record.values.get("id"), str):
            broken_ids.add(record.values["id"])
        elif record is None:
            # Front matter that cannot be read names no id: take the one its place gives (a
            # document's file name, a version's folder), so that links to it are not
            # reported as links to unknown documents on top of the file's own error.
            broken_ids.add(path.parent.name if VERSION_FILE.match(path.name) else path.stem)
    own_problems = len(problems)
    documents, group_problems = _assemble(records)
    problems += group_problems
    documents, index_problems = _assign_index_numbers(documents, config)
    problems += index_problems
    corpus = Corpus(documents)
    problems += check_corpus(corpus, as_of=as_of, broken_ids=frozenset(broken_ids))
    numbered = number_inputs(corpus, records)
    start = len(problems)
    problems += number_problems(numbered)
    if cache is not None:
        cache.save()
    return LoadResult(corpus, problems, len(paths), own_problems, numbered, (start, len(problems)))


def _assemble(records: list[FileRecord]) -> tuple[list[Document], list[Problem]]:
    """Group version files into documents and build the model."""
    problems: list[Problem] = []
    groups: dict[str, list[FileRecord]] = defaultdict(list)
    for record in records:
        doc_id = record.values.get("id")
        if record.folder_id is not None:
            if doc_id != record.folder_id:
                problems.append(Problem(record.display, record.key_lines.get("id"), "id",
                                        f"'{doc_id}' differs from its folder '{record.folder_id}'",
                                        f"id: {record.folder_id} (a versioned document's folder is named by its id)"))
                continue
            declared = record.values.get("version")
            if declared != record.folder_version:
                problems.append(Problem(record.display, record.key_lines.get("version", record.key_lines.get("id")), "version",
                                        f"got {declared!r} in file v{record.folder_version}.md" if declared is not None else "missing in a version file",
                                        f"version: {record.folder_version}"))
                continue
            groups["folder:" + record.display.rpartition("/")[0]].append(record)
        else:
            if record.values.get("version", 1) != 1:
                problems.append(Problem(record.display, record.key_lines.get("version"), "version",
                                        f"version {record.values['version']} outside a version folder",
                                        "versions as <id>/v1.md, <id>/v2.md, …"))
                continue
            groups["file:" + record.display].append(record)
    documents: list[Document] = []
    seen: dict[str, FileRecord] = {}
    for key in sorted(groups):
        members = groups[key]
        if len(members) > 1:
            members.sort(key=lambda r: r.folder_version or 1)
        numbers = [m.folder_version or 1 for m in members]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(Problem(members[-1].display, None, "version",
                                    f"versions {numbers} are not numbered 1, 2, … without gaps", "v1.md, v2.md, … in the folder"))
            continue
        first = members[0]
        doc_id = first.values["id"]
        if doc_id in seen:
            problems.append(Problem(first.display, first.key_lines.get("id"), "id",
                                    f"'{doc_id}' is already used by {seen[doc_id].display}", "a unique id"))
            continue
        seen[doc_id] = first
        for earlier, later in zip(members, members[1:]):
            if later.values.get("type") != first.values.get("type"):
                problems.append(Problem(later.display, later.key_lines.get("type"), "type",
                                        f"'{later.values.get('type')}' differs from version 1's '{first.values.get('type')}'", "the same type in every version"))
            if _takes_effect(later.values) <= _takes_effect(earlier.values):
                problems.append(Problem(later.display, later.key_lines.get("effective", later.key_lines.get("published")), "effective",
                                        f"version {later.folder_version} takes effect {_takes_effect(later.values)}, not after version {earlier.folder_version} ({_takes_effect(earlier.values)})",
                                        "each version to take effect after the one before"))
        metas = [_meta_of(m, first) for m in members]
        versions = tuple(_version_from(m, meta) for m, meta in zip(members, metas))
        # From the records, not the versions just made: what the checks read of those is noted (disclosure.reads).
        documents.append(_document_from(metas[-1], versions))
    return documents, problems


def _meta_of(record: FileRecord, first: FileRecord) -> dict[str, Any]:
    """A version's ``meta``: its file's values, their lines, and version 1's values."""
    return {**record.values, "_key_lines": record.key_lines, "_first": first.values}


def assemble_together(records: list[FileRecord]) -> Document | None:
    """The one document ``records`` make together (a version folder's files), as a whole
    load would make it (before any provisional index number); None when they make none or
    several, or with a problem."""
    documents, problems = _assemble(records)
    return documents[0] if len(documents) == 1 and not problems else None


def _takes_effect(values: dict[str, Any]) -> date:
    return values.get("effective") or values["published"]


def _version_from(record: FileRecord, meta: dict[str, Any]) -> Version:
    values = record.values
    return Version(
        number=record.folder_version or 1,
        path=record.path,
        title=values["title"],
        body=record.body,
        body_line=record.body_line,
        written=values.get("written"),
        published=values["published"],
        effective=values.get("effective"),
        change_note=values.get("change_note"),
        disclosure=Disclosure(values["disclosure"]),
        review=values.get("review"),
        sha256=record.sha256,
        refs=record.refs,
        tasks=record.tasks,
        doc_id=values["id"],
        meta=meta,
    )


def _document_from(meta: dict[str, Any], versions: tuple[Version, ...]) -> Document:
    first = meta["_first"]
    return Document(
        id=meta["id"],
        type=DocType(meta["type"]),
        title=meta["title"],
        issuers=meta["issuer"],
        versions=versions,
        title_en=meta.get("title_en"),
        doc_number=meta.get("doc_number"),
        index_number=meta.get("index_number", ""),
        index_number_assigned="index_number" in meta,
        topic=meta.get("topic"),
        written=first.get("written"),
        published=first["published"],
        effective=first.get("effective"),
        expires=meta.get("expires"),
        repeals=meta.get("repeals", ()),
        amends=meta.get("amends", ()),
        interprets=meta.get("interprets", ()),
        result_of=meta.get("result_of"),
        explicit_status=meta.get("status"),
        status_note=meta.get("status_note"),
        disclosure=Disclosure(meta["disclosure"]),
        disclosure_basis=meta.get("disclosure_basis"),
        review=meta.get("review"),
        comment_period=meta.get("comment_period"),
        report_year=meta.get("report_year"),
        keywords=meta.get("keywords", ()),
        demo=meta.get("demo", False),
        key_lines=meta["_key_lines"],
    )


def _assign_index_numbers(documents: list[Document], config: SiteConfig) -> tuple[list[Document], list[Problem]]:
    """Give documents without an index number a provisional one for this build.

    The number continues the serials already assigned for the same organ and year,
    in order of publication then id, so a build is deterministic; ``publish.py
    number`` writes it into the file, after which it never changes.
    """
    problems: list[Problem] = []
    used_serials: dict[int, int] = defaultdict(int)
    prefixes: dict[int, str] = {}
    for doc in documents:
        if doc.index_number_assigned:
            year = doc.published.year
            prefix = prefixes.get(year)
            if prefix is None:
                prefix = prefixes[year] = serial_prefix(year, config)
            serial = serial_of(doc.index_number, prefix)
            if serial is not None:
                used_serials[doc.published.year] = max(used_serials[doc.published.year], serial)
    result = []
    for doc in sorted(documents, key=lambda d: (d.published, d.id)):
        if not doc.index_number_assigned:
            used_serials[doc.published.year] += 1
            number = config.index_number_pattern.format(organ=config.organ_code, year=doc.published.year,
                                                        serial=used_serials[doc.published.year])
            doc = replace(doc, index_number=number)
            problems.append(Problem(doc.path.as_posix(), doc.line_of("id"), "index_number",
                                    f"not assigned yet; this build uses '{number}'",
                                    "an index number in the file: run `python publish.py number` to write it", Severity.WARNING))
        result.append(doc)
    return result, problems


def serial_prefix(year: int, config: SiteConfig) -> str:
    """What the index numbers of ``year`` start with, before their serial."""
    return config.index_number_pattern.split("{serial")[0].format(organ=config.organ_code, year=year)


def serial_of(index_number: str, prefix: str) -> int | None:
    if index_number.startswith(prefix):
        digits = re.match(r"\d+", index_number[len(prefix):])
        if digits:
            return int(digits.group(0))
    return None


def check_corpus(corpus: Corpus, *, as_of: date | None = None, broken_ids: frozenset[str] = frozenset()) -> list[Problem]:
    """Checks across documents: unique index numbers, references, cycles, order,
    disclosure, links, stated statuses (document numbers: :func:`number_problems`).

    ``broken_ids`` are documents left out for errors of their own: references to
    them are not reported again.
    """
    from .effectiveness import Status, status_on  # effectiveness imports Corpus for typing

    problems: list[Problem] = []

    def report(doc: Document, key: str, message: str, expected: str | None = None,
               severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(doc.path.as_posix(), doc.line_of(key), key, message, expected, severity))

    owners: dict[str, Document] = {}
    for doc in corpus:
        if not (doc.index_number and doc.index_number_assigned):
            continue
        if doc.index_number in owners:
            report(doc, "index_number", f"'{doc.index_number}' is already used by {owners[doc.index_number].path.as_posix()}",
                   "a unique index_number")
        else:
            owners[doc.index_number] = doc

    ids = [doc.id for doc in corpus]
    for doc in corpus:
        for relation, target_id in doc.relations:
            target = corpus.get(target_id)
            if target_id == doc.id:
                report(doc, relation, f"'{target_id}' refers to the document itself", "the id of another document")
                continue
            if target is None and target_id in broken_ids:
                continue
            if target is None:
                near = difflib.get_close_matches(target_id, ids, n=1)
                report(doc, relation, f"'{target_id}' is not a known document id",
                       f"'{near[0]}'" if near else "the id of a document under the content folder")
                continue
            if relation in ("repeals", "amends") and target.published > doc.published:
                report(doc, relation, f"'{target_id}' was issued {target.published}, after this document ({doc.published})",
                       f"a document can only {relation[:-1]} one issued on or before it")
            if relation == "result_of" and target.type is not DocType.DRAFT:
                report(doc, relation, f"'{target_id}' is a {target.type.value}, not a draft", "the id of a draft")
            if doc.is_public and not target.is_public and relation != "result_of":
                held = target.disclosure is Disclosure.PROACTIVE
                report(doc, relation,
                       f"'{target_id}' is {'held back by a failed review' if held else 'not public'}; the site cannot show this relation",
                       "relations between published documents only", Severity.WARNING if held else Severity.ERROR)
            if target.is_public and not doc.is_public and relation in ("repeals", "amends"):
                held = doc.disclosure is Disclosure.PROACTIVE
                report(doc, relation,
                       f"this document {'is held back by a failed review' if held else 'is not public'} but {relation} the published '{target_id}'",
                       f"the {relation[:-1]}ing document to be published too", Severity.WARNING if held else Severity.ERROR)
    problems += _cycles(corpus)

    for doc in corpus:
        for version in doc.versions:
            problems += _check_body(corpus, doc, version, broken_ids)

    if as_of is not None:
        for doc in corpus:
            if doc.explicit_status is None or doc.published > as_of:
                continue  # a status is a statement about a published document
            computed = status_on(corpus, doc, as_of, ignore_explicit=True)
            stated = doc.explicit_status
            if stated == Status.PARTIALLY_INVALID.value:
                # Before it takes effect the statement has nothing to qualify yet.
                if computed.status in (Status.REPEALED, Status.EXPIRED):
                    report(doc, "status", f"partially_invalid contradicts the computed status '{computed.status.value}' on {as_of} ({computed.reason})",
                           "no status on a repealed or expired document")
            elif stated != computed.status.value:
                report(doc, "status", f"'{stated}' contradicts the computed status '{computed.status.value}' on {as_of} ({computed.reason})",
                       "no status field: dates and relations decide it")
            else:
                report(doc, "status", f"'{stated}' is what dates and relations already say", "no status field", Severity.WARNING)
    return problems


def _check_body(corpus: Corpus, doc: Document, version: Version, broken_ids: frozenset[str]) -> list[Problem]:
    refs = version.refs if version.refs is not None else scan_body(version.body, version.body_line)
    if not refs.links:
        return []  # most bodies
    problems = []
    display = version.path.as_posix()
    for line, target_id, number in refs.links:
        target = corpus.get(target_id)
        if target is None and target_id in broken_ids:
            continue
        if target is None:
            problems.append(Problem(display, line, "body", f"link to unknown document 'doc:{target_id}'", "doc:ID of an existing document"))
        elif number is not None and target.version(number) is None:
            problems.append(Problem(display, line, "body", f"link to version {number} of '{target_id}', which has {len(target.versions)}",
                                    "an existing version number"))
        elif version.is_public and not target.is_public:
            problems.append(Problem(display, line, "body", f"link to 'doc:{target_id}', which is not published", "links to published documents only"))
    return problems


class NumberedDocument(NamedTuple):
    """What the rules on document numbers read of one document: its number, and the numbers its versions cite."""

    path: str
    """Its current version's file, as problems name it."""
    line: int | None
    """The line of ``doc_number`` there."""
    number: str | None
    citations: tuple[tuple[str, tuple[tuple[int, RawCitation], ...]], ...]
    """For each version's file (as problems name it): ``(line, candidate)`` of each number its body cites."""


def number_inputs(corpus: Corpus, records: list[FileRecord]) -> tuple[NumberedDocument, ...]:
    """What :func:`number_problems` reads of each document of ``corpus``, taken from the
    ``records`` it was assembled from.

    Plain values, not documents: ``check`` applies these rules again after an edit from
    what it remembers of the other documents, and reading numbers through the documents
    would count as every rule reading every number (:mod:`disclosure.reads`)."""
    by_file = {record.display: record for record in records}
    numbered = []
    for doc in corpus:
        files = [by_file[version.path.as_posix()] for version in doc.versions]
        current = files[-1]
        numbered.append(NumberedDocument(current.display, line_of(current.key_lines, "doc_number"), current.values.get("doc_number"),
                                         tuple((record.display, record.refs.citations) for record in files)))
    return tuple(numbered)


def number_problems(numbered: Iterable[NumberedDocument]) -> list[Problem]:
    """The rules on document numbers: each is used once, and a cited number the corpus lacks is noted."""
    numbered = tuple(numbered)
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    for doc in numbered:
        if not doc.number:
            continue
        if doc.number in owners:
            problems.append(Problem(doc.path, doc.line, "doc_number", f"'{doc.number}' is already used by {owners[doc.number]}",
                                    "a unique doc_number"))
        else:
            owners[doc.number] = doc.path
    known = frozenset(owners)
    for doc in numbered:
        for display, citations in doc.citations:
            for line, raw in citations:
                citation = resolve_citation(raw, known)
                if citation is not None and citation.canonical not in known:
                    problems.append(Problem(display, line, "body", f"cites {citation.text}, which is not in the corpus",
                                            "nothing: shown as plain text", Severity.INFO))
    return problems


def _cycles(corpus: Corpus) -> list[Problem]:
    """Reference cycles (A repeals B repeals A; an interpretation interpreting itself in a loop)."""
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(doc_id: str, stack: list[str]) -> None:
        state[doc_id] = 1
        stack.append(doc_id)
        doc = corpus.get(doc_id)
        for relation, target in (doc.relations if doc else ()):
            if target == doc_id or corpus.get(target) is None:
                continue
            if state.get(target) == 1:
                cycle = stack[stack.index(target):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    assert doc is not None
                    chain = " → ".join(cycle + [target])
                    problems.append(Problem(doc.path.as_posix(), doc.line_of(relation), relation,
                                            f"reference cycle: {chain}", "references that do not lead back to the same document"))
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[doc_id] = 2

    for doc in corpus:
        if doc.id not in state:
            visit(doc.id, [])
    return problems
