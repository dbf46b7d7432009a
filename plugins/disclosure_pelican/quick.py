"""A rebuild after edits of documents' prose, titles, numbers, dates written or keywords: only the files that show them change.

Editors mostly change the text of a document, not its metadata, and preview on every
save.  A whole rebuild (loading the corpus, the page model, every page's fingerprint,
the search export) is proportional to the site; this one is proportional to the
document.  Each build with the cache leaves a :class:`BuildSnapshot` beside the page
fingerprints; the next build first tries :func:`quick_rebuild`, which applies only
when everything it would not look at is as the snapshot says:

* the same code, theme, settings, date, ledger and other content files (a key, as the
  pre-commit check's), and the same output folder the snapshot describes;
* the same document files, of which a few changed (size or modification time), each
  a public document's file (of one version, or of one of its public versions, whose
  comparison pages then show a new difference), not an annual report's (its figures
  fill its text in; key points reach other pages through their task breakdown, which
  the signature below holds);
* each such file still free of errors, with the same :func:`~disclosure.files.cross_signature`
  (front matter, references, cited numbers): every rule across documents, every page
  but its own and every list finds what it found before;
* the same table of contents.

Several edited files are patched one after another, each as if it were the only edit.

A quick rebuild, and a whole one that keeps the set of document files, appends what it
changed of the snapshot to the snapshot's log (:class:`SnapshotChange`) rather than
saving it whole again.

Then its pages are patched where the body goes: document pages are rendered with the
body as a hole (:class:`HoledTemplate`) whose place each build records, so the new body
replaces the old one byte for byte as a whole render would place it.  Comparison pages
hold their counts of characters inserted and deleted, and the difference, as holes the
same way (:class:`ComparedTemplate`).  Its feed entries' summaries (of a document's
latest version), the file's SHA-256 in the data export and the ledger view, and the
search export (:mod:`disclosure_search.export_patch`) follow.  Of a document with
several versions, only the text may change this way: its printed fields take the whole
build.

A file whose signature differs only by fields that pages only print (its title, English
title, document number, index number, date written: the same signature with their old
values put back)
is taken the same way, when the change moves nothing else (:func:`_reprintable`: a
number no other document has, no index number made up for another document from it,
no status quoting it, a date written in the same year): every page prints the new
value where the build noted the old one (:mod:`.printed`), and the feeds, the data
export and the ledger's files where their writers print it (:mod:`.reprint`); after a
number edit, the bodies citing the old or the new number are rendered again.  Keywords, which no page of
our theme shows, are taken the same way (the search export changes) unless a template
looked them up in the last whole build.  A topic edit is handed to :mod:`.relist`
(the document moves between lists: those are rendered again), an edit of its dates of
effect or expiry to :mod:`.restatus` (its status may move).  Everything is computed before
anything is written; any doubt returns None and the whole build runs.  Tests compare
the result with a whole build of the same content, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, NamedTuple
from xml.sax.saxutils import escape

from markupsafe import Markup

from disclosure.check import inputs_key
from disclosure.config import SiteConfig
from disclosure.corpus import discover_files
from disclosure.document import DocType
from disclosure.files import FileRecord, cross_signature, path_key, read_file
from disclosure.keyed_store import installed_stamp, replace_file, source_digest
from disclosure.problems import has_errors

from .build import BuildError
from .printed import (DATE_FIELDS, LIST_FIELDS, LISTED_FIELDS, PRINTED_FIELDS, UNPRINTED_FIELDS, PackedHoles,
                      PrintedHole, pack, printed_texts, shift_holes, unpack)
from .reprint import (FEED_SUMMARY, Changes, reprint_documents, reprint_feed_entry, reprint_ledger,
                      reprint_page)

SNAPSHOT_FORMAT = 14
SNAPSHOT_LOG_LIMIT = 32
"""Changes a quick rebuild appends to the snapshot's log before the snapshot is saved whole
again (saving it whole, 15 MB at 10,000 documents, took a seventh of a quick rebuild)."""
log = logging.getLogger(__name__)
BODY_HOLE = Markup("\ue000body\ue001")
"""What a document page's template is given as ``body_html``: private-use characters, never in a page."""
COMPARE_HOLES = {"inserted": Markup("\ue000inserted\ue001"), "deleted": Markup("\ue000deleted\ue001"),
                 "diff": Markup("\ue000diff\ue001")}
"""What a comparison page's template is given as the two counts of its ``stats`` and as
``diff_html`` (:class:`ComparedTemplate`)."""
MAX_EDITED_FILES = 8
"""The most edited files a quick rebuild takes, one after another (each costs about a
second and a half at 10,000 documents: beyond this, the whole rebuild is as quick)."""
SEARCH_FILES = "search/"
"""Where the search export's files are; its patch gives only those it changes (:func:`_patch_search`)."""
SHA_FILES = ("data/documents.json", "ledger/ledger.json", "ledger/ledger.csv", "ledger/index.html")
"""Files that show a document's SHA-256 (and nothing else of its text); the first always does."""
PUBLISHED = "published"
SEARCH_RECORD_FIELDS = {"title": "title", "title_en": "title_en", "doc_number": "doc_number", "topic": "topic",
                        "issuer": "issuers", PUBLISHED: "published"}
"""The fields an edit taken here may change that a search record holds
(:class:`disclosure_search.records.SearchRecord`), with the record's name of each:
printed ones, the listed ones (:mod:`.relist`) and the date published (:mod:`.restatus`)."""
DATED_FIELDS = ("effective", "expires", PUBLISHED)
"""The dates whose edit may move a document's status (:mod:`.restatus`); the date published
its place in every list too (newest first)."""
STATED_FIELDS = ("status", "status_note")
"""What a file states of its status (partially invalid, and which part), which
:mod:`.restatus` takes too."""
STATED_ATTRIBUTES = {"status": "explicit_status"}
"""Those whose document attribute has another name."""
RESTATED_FIELDS = DATED_FIELDS + STATED_FIELDS
STATUS = "status"
"""What names a document's status code in the changes a search record is patched with."""
_BODY_TYPES = frozenset({DocType.ANNUAL_REPORT})
"""Types whose bodies reach other pages (an annual report's figures fill its text in).  Key
points reach them through their task breakdown, which the signature holds: an edit of
their prose that leaves the tasks as they were is an edit of their text alone."""


class PageHole(NamedTuple):
    """Where a document page holds its body."""

    doc_id: str
    root: str
    start: int
    """Where the body starts in the page (in characters: a build counts no bytes)."""
    length: int
    """Characters of the body."""
    size: int
    """Characters of the page."""
    toc: str
    """Digest of the page's table of contents."""
    version: int
    """The version whose body it holds."""


class CompareHole(NamedTuple):
    """Where a comparison page holds what its two versions' texts make."""

    doc_id: str
    old: int
    new: int
    """The versions compared."""
    paths: tuple[str, str]
    """Their files (display paths)."""
    spans: tuple[tuple[str, int, int], ...]
    """Each of :data:`COMPARE_HOLES` (its name, start and length in characters), in page order."""
    size: int
    """Characters of the page."""


def toc_digest(toc: Any) -> str:
    return hashlib.sha256(repr([(str(anchor), str(text)) for anchor, text in toc]).encode("utf-8")).hexdigest()


class HoledTemplate:
    """A document page's template with the body as a hole: rendered with :data:`BODY_HOLE`,
    which is then replaced by the body, and where it went recorded in ``holes``.  The body
    is thus only ever printed, never computed with: a template cannot make the rest of the
    page depend on it (the table of contents, ``toc``, is a value of its own)."""

    def __init__(self, template: Any, name: str, context: dict[str, Any], holes: dict[str, PageHole],
                 printed: dict[str, tuple[PrintedHole, ...] | None] | None = None) -> None:
        self.template, self.name, self.holes, self.printed = template, name, holes, printed
        self.body = str(context["body_html"])
        self.hole = (context["doc"].id, context["root"], toc_digest(context["toc"]), context["version"].number)

    def render(self, context: dict[str, Any]) -> str:
        parts = self.template.render({**context, "body_html": BODY_HOLE}).split(BODY_HOLE)
        if len(parts) == 2:
            start, length = len(parts[0]), len(self.body)
            doc_id, root, toc, version = self.hole
            self.holes[self.name] = PageHole(doc_id, root, start, length, start + length + len(parts[1]), toc, version)
            if self.printed is not None and self.printed.get(self.name):  # (noted with the hole in the page)
                self.printed[self.name] = shift_holes(self.printed[self.name], start, length - len(BODY_HOLE))
            return self.body.join(parts)
        # A theme that shows the body twice or not at all (or a page that holds the hole's
        # characters already): rendered as it is, and no quick rebuild of this page.
        self.holes.pop(self.name, None)
        return self.template.render(context)


class ComparedTemplate:
    """A comparison page's template with its counts (``stats.inserted``, ``stats.deleted``)
    and its difference (``diff_html``) as holes (:data:`COMPARE_HOLES`), filled after
    rendering with what they print and their places recorded in ``compares``: as the body
    of a document page, these are only ever printed (a template that computes with a
    count fails on the hole, and the page is rendered as it is, without holes).  A page
    of two versions without a difference shows other text: no holes."""

    def __init__(self, template: Any, name: str, context: dict[str, Any], compares: dict[str, CompareHole],
                 printed: dict[str, tuple[PrintedHole, ...] | None] | None = None) -> None:
        self.template, self.name, self.compares, self.printed = template, name, compares, printed
        stats = context["stats"]
        self.values = {"inserted": str(stats.inserted), "deleted": str(stats.deleted), "diff": str(context["diff_html"])}
        old, new = context["old"], context["new"]
        self.versions = (context["doc"].id, old.number, new.number, (old.path.as_posix(), new.path.as_posix()))

    def render(self, context: dict[str, Any]) -> str:
        self.compares.pop(self.name, None)
        if not context.get("changed"):
            return self.template.render(context)
        try:
            text = self.template.render({**context, "diff_html": COMPARE_HOLES["diff"], "stats": replace(
                context["stats"], inserted=COMPARE_HOLES["inserted"], deleted=COMPARE_HOLES["deleted"])})
        except Exception:  # (a template that computes with a count)
            return self.template.render(context)
        found = sorted((text.find(hole), name) for name, hole in COMPARE_HOLES.items())
        if any(at < 0 or text.count(COMPARE_HOLES[name]) != 1 for at, name in found):
            return self.template.render(context)
        places = self.printed.get(self.name) if self.printed is not None else None
        # (the printed places were noted in the page with the holes in it)
        page, spans, places = fill_spans(text, [(name, at, len(COMPARE_HOLES[name])) for at, name in found],
                                         self.values, places)
        if places:
            self.printed[self.name] = places  # type: ignore[index]
        doc_id, old, new, paths = self.versions
        self.compares[self.name] = CompareHole(doc_id, old, new, paths, tuple(spans), len(page))
        return page


Spans = tuple[tuple[str, int, int], ...]
"""Named places in a page: each name, start and length (in characters)."""


def fill_spans(text: str, spans: Spans | list[tuple[str, int, int]], values: dict[str, str],
               places: tuple[PrintedHole, ...] | None) -> tuple[str, Spans, tuple[PrintedHole, ...] | None]:
    """``text`` with each of ``spans`` (name, start, length; in order) replaced by
    ``values[name]``: the new text, where the spans then are, and the printed ``places``
    after them moved along."""
    parts, filled, at, shift = [], [], 0, 0
    for name, start, length in spans:
        value = values[name]
        parts += [text[at:start], value]
        filled.append((name, start + shift, len(value)))
        at, shift = start + length, shift + len(value) - length
    parts.append(text[at:])
    if places:
        for name, start, length in reversed(spans):  # (the later spans first: the earlier starts stay valid)
            places = shift_holes(places, start + length, len(values[name]) - length)
    return "".join(parts), tuple(filled), places


@dataclass
class BuildRecorder:
    """What a whole build notes for the snapshot as it writes the site."""

    page_names: list[str] = field(default_factory=list)
    """Every page of the site."""
    holes: dict[str, PageHole] = field(default_factory=dict)
    """Document pages rendered by this build (kept pages: the previous snapshot's)."""
    printed: dict[str, tuple[PrintedHole, ...] | None] = field(default_factory=dict)
    """Where each page rendered by this build prints titles and numbers (:mod:`.printed`; None: unknown)."""
    printed_known: bool = False
    """Whether this build noted where they are (every page it rendered is in ``printed``)."""
    fields_used: set[str] = field(default_factory=set)
    """Fields a page rendered by this build used otherwise than printing them where noted."""
    document_pages: dict[str, list[str]] = field(default_factory=dict)
    """Every document page of each document, by id."""
    compares: dict[str, CompareHole] = field(default_factory=dict)
    """Comparison pages rendered by this build (kept pages: the previous snapshot's)."""
    compare_pages: dict[str, list[str]] = field(default_factory=dict)
    """Every comparison page of each document, by id."""
    feeds: dict[str, list[str]] = field(default_factory=dict)
    """The feeds listing each document, by id."""
    search_size: int | None = None
    search_generation: str = ""
    file_names: frozenset[str] = frozenset()
    """Every file the build writes (:attr:`~.pages.SiteModel.file_names`)."""


class DocEntry(NamedTuple):
    doc_id: str
    signature: str
    sha256: str
    pages: tuple[str, ...]
    record_line: int
    """Line of its record in the command line's search records (sorted by id)."""
    printed: dict[str, Any]
    """Its fields of :data:`~.printed.PRINTED_FIELDS` (as pages print them),
    :data:`~.printed.UNPRINTED_FIELDS` and :data:`~.printed.LISTED_FIELDS` that its file
    gives, its dates of effect, expiry and publication (:data:`DATED_FIELDS`, ``YYYY-MM-DD``) and the
    status it states (:data:`STATED_FIELDS`: :mod:`.restatus`); none
    for a document of several versions: only its text is patched."""
    version: int = 1
    latest: bool = True
    """Whether it is the document's latest version (its search record has the document's
    id, its feed entries' summaries its text)."""
    versioned: bool = False
    """Whether the document has other public versions."""
    compares: tuple[str, ...] = ()
    """The comparison pages of its version with the one before or after."""

    @property
    def record_id(self) -> str:
        return self.doc_id if self.latest else f"{self.doc_id}@v{self.version}"


class Citer(NamedTuple):
    """A public version whose body cites a number."""

    path: str
    """Its file ("" when its pages show another text: an annual report's figures filled in)."""
    doc_id: str
    version: int


class TakenValues(NamedTuple):
    """What the whole corpus (not only its public part) has taken, that an edited number
    must not collide with or move."""

    doc_numbers: frozenset[str]
    """Every document's number (each is used once)."""
    index_numbers: frozenset[str]
    """Every index number a file gives (each is used once)."""
    serial_tops: dict[int, tuple[int, int]]
    """For each year of publication with documents given a provisional index number (they
    continue the largest serial of the year's index numbers): that serial, and how many
    index numbers have it.  An edit that moves it moves them."""
    cited: dict[str, dict[str, tuple[Citer, ...]]]
    """What the pages' bodies cite as numbers (:func:`~disclosure.citations.raw_citations`):
    ``〔year〕serial号`` → the characters before it → the versions citing it.  A citation
    links the longest ending of those characters that makes a known number: a number with
    the same year and serial and an issuer code they end with changes where it links."""


class BuildSnapshot(NamedTuple):
    key: str
    output: Any
    """The output folder's identity (:func:`~.incremental.folder_identity`) when it was saved."""
    files: dict[str, tuple[int, int]]
    """Every document file (its normalised path, in order) → modification time and size."""
    documents: dict[str, DocEntry]
    """The files a quick rebuild may take: public documents in one file."""
    numbers: dict[str, str]
    """Document number → id, as bodies cite them."""
    targets: frozenset[tuple[str, int | None]]
    """``(id, None)`` and ``(id, version)`` of every public document: what ``doc:`` links may name."""
    holes: dict[str, PageHole]
    feeds: dict[str, tuple[str, ...]]
    search_size: int | None
    search_generation: str
    """The kept search index that describes the published export (:mod:`disclosure_search.token_cache`)."""
    organ: str
    public: int
    files_written: int
    printed: dict[str, PackedHoles] | None = None
    """Where each page prints titles and numbers (:mod:`.printed`); None when that is not known of every page."""
    taken: "TakenValues | None" = None
    """What an edit of a printed field must not collide with or move (:func:`_reprintable`)."""
    fields_used: frozenset[str] | None = None
    """Fields some page uses otherwise than printing them where noted (keywords looked up,
    the date written computed with: :attr:`~.printed.PrintedMarker.used`); None: not known."""
    generation: str = ""
    """Names the snapshot file saved whole; the changes logged since carry it (:class:`SnapshotChange`)."""
    logged: int = 0
    """How many changes were logged since it was saved whole."""
    log_size: int = 0
    """The size of the log this snapshot was read with (and appended to): a log of another
    size was written by someone else meanwhile, and is not appended to."""
    compares: dict[str, CompareHole] | None = None
    """Where each comparison page holds its counts and difference (:class:`ComparedTemplate`)."""
    listed: dict[str, dict[str, int]] | None = None
    """For each of :data:`~.printed.LISTED_FIELDS`, how many public documents each value
    has (for :mod:`.relist`: which list pages exist, and whether a new value moves
    another's list to another address)."""
    counted_issuers: tuple[frozenset[str], ...] | None = None
    """The issuers of the annual reports that count some issuers' documents only (figures.yml
    ``issuers``): an issuer edit that moves a document in or out of one changes its figures."""
    report_scopes: tuple[tuple[int, frozenset[str] | None], ...] | None = None
    """Each annual report's year and the issuers it counts (None: all): an edit that changes
    a counted document's status at the end of that year or the year before changes its
    figures (:mod:`.restatus`)."""
    held_related: frozenset[str] | None = None
    """Public documents whose repealing or amending documents differ in the whole corpus
    (one not public, or a version of it not public yet), or with a version not public yet:
    the checks and the annual reports read the whole corpus, :mod:`.restatus` the public one."""


class SnapshotChange(NamedTuple):
    """What one rebuild (a quick one, or a whole one: :func:`save_snapshot`) changed of the
    snapshot, appended to its log (``quick-….log``) instead of saving the whole snapshot
    again.  ``fields`` None: the output is being changed (written before the first file is
    replaced, so an interruption leaves a log ending there, which describes no output: the
    next build is a whole one)."""

    generation: str
    """The :attr:`BuildSnapshot.generation` of the snapshot file it follows."""
    fields: dict[str, Any] | None
    """New values of the snapshot's fields; those of :data:`MERGED_FIELDS` only the entries that changed."""


MERGED_FIELDS = ("files", "documents", "holes", "printed", "compares")
"""Snapshot fields (dicts) that a change gives only the changed entries of (and, under
``REMOVED``, the keys it removes)."""
REMOVED = "removed"


@dataclass
class QuickResult:
    paths: tuple[str, ...]
    """The edited files (none: nothing changed since the last build)."""
    written: list[str]
    """The output files updated."""
    reprinted: dict[str, tuple[str, ...]]
    """Those of ``paths`` whose printed fields (title, numbers, date written) or keywords changed, and which."""
    public: int
    files: int


def snapshot_path(cache_dir: Path, output: Path) -> Path:
    return cache_dir / f"quick-{path_key(output)}.pickle"


def _log_path(cache_dir: Path, output: Path) -> Path:
    return snapshot_path(cache_dir, output).with_suffix(".log")


def drop_snapshot(cache_dir: Path, output: Path) -> None:
    """Forget the snapshot of ``output`` (it is about to change)."""
    snapshot_path(cache_dir, output).unlink(missing_ok=True)
    _log_path(cache_dir, output).unlink(missing_ok=True)


def snapshot_key(content: Path, others: list[str], config: SiteConfig, as_of: date, settings_file: Path,
                 settings: dict[str, Any]) -> str:
    """Everything the site depends on besides the document files."""
    theme = Path(str(settings.get("THEME", "")))
    if not theme.is_absolute() and (Path(settings_file).parent / theme).is_dir():
        theme = Path(settings_file).parent / theme
    digest = hashlib.sha256(f"format={SNAPSHOT_FORMAT}\n{inputs_key(content, others, config, as_of)}".encode())
    digest.update(source_digest(("disclosure_pelican", "disclosure_search")).encode())
    digest.update(installed_stamp(("pelican", "jinja2", "markupsafe", "markdown", "nh3", "rjieba", "opencc")).encode())
    digest.update(repr(sorted((k, repr(v)) for k, v in settings.items())).encode())
    if theme.is_dir():
        for path in sorted(theme.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def held_related(corpus: Any, public: Any) -> frozenset[str]:
    """:attr:`BuildSnapshot.held_related` of the whole ``corpus`` and its ``public`` part."""
    def relating(documents: Any, doc_id: str) -> tuple[Any, ...]:
        return tuple(sorted((relation, other.id, other.takes_effect, other.title, other.doc_number or "")
                            for relation, found in (("repeals", documents.repealed_by(doc_id)),
                                                    ("amends", documents.amended_by(doc_id)))
                            for other in found))

    return frozenset(doc.id for doc in public if relating(corpus, doc.id) != relating(public, doc.id)
                     or len(corpus.get(doc.id).versions) != len(doc.versions))


def save_snapshot(cache_dir: Path, output: Path, key: str, state: Any, files: dict[str, tuple[int, int]],
                  previous: BuildSnapshot | None, output_identity: Any, files_written: int,
                  logged_to: BuildSnapshot | None = None) -> None:
    """Keep the snapshot of a whole build that just published ``output``: its changes
    appended to the log of ``logged_to`` (:func:`mark_changing`'s) when it can be, else
    whole.  ``files``: :func:`files_read_by` the build."""
    cache, recorder = state.parse_cache, state.recorder
    # pages the build left as they were keep their recorded holes
    holes = _with_kept(recorder.holes, recorder.document_pages, previous.holes if previous else None)
    compares = _with_kept(recorder.compares, recorder.compare_pages, previous.compares if previous else None)
    public = state.public
    record_ids = sorted([doc.id for doc in public] + [f"{doc.id}@v{v.number}" for doc in public for v in doc.versions[:-1]])
    line_of = {record_id: line for line, record_id in enumerate(record_ids)}
    hashes: dict[str, int] = {}
    for doc in public:
        for version in doc.versions:
            hashes[version.sha256] = hashes.get(version.sha256, 0) + 1
    documents: dict[str, DocEntry] = {}
    for doc in public:
        pages = recorder.document_pages.get(doc.id, ())
        compare_pages = recorder.compare_pages.get(doc.id, ())
        if (doc.type in _BODY_TYPES or not pages or any(name not in holes for name in pages)
                or any(name not in compares for name in compare_pages)):
            continue
        for version in doc.versions:
            path = version.path.as_posix()
            entry = cache.used.get(path)
            if path not in files or entry is None or entry.record is None or hashes[version.sha256] != 1:
                continue
            latest = version is doc.versions[-1]
            shown = tuple(name for name in pages if holes[name].version == version.number)
            compared = tuple(name for name in compare_pages if version.number in compares[name][1:3])
            if len(doc.versions) > 1:
                documents[path] = DocEntry(doc.id, entry.record.signature, version.sha256, shown,
                                           line_of[doc.id if latest else f"{doc.id}@v{version.number}"], {},
                                           version.number, latest, True, compared)
                continue
            printed = {name: _printed_value(name, value) for name in PRINTED_FIELDS
                       for value in [entry.record.values.get(name)]
                       if isinstance(value, date if name in DATE_FIELDS else str) and value == getattr(doc, name)}
            printed.update({name: value for name in (*UNPRINTED_FIELDS, *LISTED_FIELDS)
                            for value in [entry.record.values.get(name)]
                            if value is not None and value == getattr(doc, LIST_FIELDS.get(name, name))})
            printed.update({name: value.isoformat() for name in DATED_FIELDS for value in [entry.record.values.get(name)]
                            if isinstance(value, date) and value == getattr(doc, name)})
            printed.update({name: value for name in STATED_FIELDS for value in [entry.record.values.get(name)]
                            if isinstance(value, str) and value == getattr(doc, STATED_ATTRIBUTES.get(name, name))})
            documents[path] = DocEntry(doc.id, entry.record.signature, version.sha256, shown, line_of[doc.id], printed,
                                       version.number)
    places = _printed_holes(recorder, previous)
    snapshot = BuildSnapshot(
        key, output_identity, files, documents,
        {number: doc.id for doc in public for number in [doc.doc_number] if number},
        frozenset([(doc.id, None) for doc in public] + [(doc.id, v.number) for doc in public for v in doc.versions]),
        holes, {doc_id: tuple(names) for doc_id, names in recorder.feeds.items()}, recorder.search_size,
        recorder.search_generation, state.config.organ_code, len(public), files_written,
        places, _taken_values(state), _fields_used(recorder, previous, places), compares=compares,
        listed=listed_counts(public),
        counted_issuers=tuple(frozenset(report.issuers) for _, report in sorted(state.records.reports.items())
                              if report.issuers is not None),
        report_scopes=tuple((year, None if report.issuers is None else frozenset(report.issuers))
                            for year, report in sorted(state.records.reports.items())),
        held_related=held_related(state.corpus, public))
    _keep(cache_dir, output, snapshot, _changes(logged_to, snapshot) if logged_to is not None else None, logged_to)


def files_read_by(state: Any) -> dict[str, tuple[int, int]] | None:
    """Every document file as the build read it (by its display path: normalised, posix) →
    its modification time and size; None without the parse cache (which notes them)."""
    cache = state.parse_cache
    if cache is None:
        return None
    return {display: (entry.mtime_ns, entry.size) for display, entry in sorted(cache.used.items())}


def _with_kept(rendered: dict[str, Any], pages_of: dict[str, list[str]], kept: dict[str, Any] | None) -> dict[str, Any]:
    """The holes of the pages ``rendered`` by this build, and of the other pages of
    ``pages_of`` as ``kept`` (the previous snapshot's) recorded them."""
    holes = dict(rendered)
    for pages in pages_of.values() if kept else ():
        for name in pages:
            if name not in holes and name in kept:  # type: ignore[operator]
                holes[name] = kept[name]  # type: ignore[index]
    return holes


def _printed_holes(recorder: BuildRecorder, previous: BuildSnapshot | None) -> dict[str, PackedHoles] | None:
    """Where every page prints titles and numbers: as this build rendered it, or (a page it
    left as it was) as the previous snapshot says; None when some page's are not known."""
    if not recorder.printed_known:
        return None
    known = previous.printed if previous is not None and previous.printed is not None else {}
    printed: dict[str, PackedHoles] = {}
    for name in recorder.page_names:
        if name in recorder.printed:
            holes = recorder.printed[name]
            if holes is None:
                return None
            printed[name] = pack(holes)
        elif name in known:
            printed[name] = known[name]
        else:
            return None
    return printed


def listed_counts(public: Any) -> dict[str, dict[str, int]]:
    """How many of the ``public`` documents have each value of each of :data:`~.printed.LISTED_FIELDS`."""
    return {"topic": dict(Counter(doc.topic for doc in public if doc.topic)),
            "issuer": dict(Counter(issuer for doc in public for issuer in doc.issuers))}


def _printed_value(name: str, value: Any) -> str | tuple[str, ...] | None:
    """A printed field's value from a file, as pages print it (a date: ``YYYY-MM-DD``; a
    list field's: its texts)."""
    if name in DATE_FIELDS:
        return value.isoformat() if isinstance(value, date) else None
    if name in LIST_FIELDS:
        return value if isinstance(value, tuple) and all(isinstance(item, str) for item in value) else None
    return value if isinstance(value, str) else None


def _fields_used(recorder: BuildRecorder, previous: BuildSnapshot | None,
                 places: dict[str, PackedHoles] | None) -> frozenset[str] | None:
    """What :attr:`BuildSnapshot.fields_used` says: as this build's pages used them, with
    the previous snapshot's when some pages were left as they were."""
    if places is None:
        return None
    if all(name in recorder.printed for name in recorder.page_names):
        return frozenset(recorder.fields_used)
    if previous is None or previous.fields_used is None:
        return None
    return frozenset(recorder.fields_used) | previous.fields_used


def _taken_values(state: Any) -> TakenValues:
    corpus, narratives = state.corpus, state.records.narratives
    cited: dict[str, dict[str, list[Citer]]] = {}
    for doc in state.public:
        for version in doc.versions:
            if version.refs is None:
                continue
            citer = Citer("" if version.path in narratives else version.path.as_posix(), doc.id, version.number)
            for _, raw in version.refs.citations:
                cited.setdefault(raw.tail, {}).setdefault(raw.code, []).append(citer)
    return TakenValues(
        frozenset(doc.doc_number for doc in corpus if doc.doc_number),
        frozenset(doc.index_number for doc in corpus if doc.index_number and doc.index_number_assigned),
        _serial_tops(corpus, state.config),
        {tail: {code: tuple(citers) for code, citers in codes.items()} for tail, codes in cited.items()})


def _serial_tops(corpus: Any, config: SiteConfig) -> dict[int, tuple[int, int]]:
    from disclosure.corpus import serial_of, serial_prefix

    years = {doc.published.year for doc in corpus if not doc.index_number_assigned}
    serials: dict[int, list[int]] = {year: [] for year in years}
    for doc in corpus:
        year = doc.published.year
        if doc.index_number_assigned and year in serials:
            serial = serial_of(doc.index_number, serial_prefix(year, config))
            if serial is not None:
                serials[year].append(serial)
    return {year: (max(found, default=0), found.count(max(found, default=0))) for year, found in serials.items()}


def _citing(number: str, cited: dict[str, dict[str, tuple[Citer, ...]]]) -> set[Citer]:
    """The versions with a citation that could name ``number`` (and so link to it, or to
    another document without it: :func:`~disclosure.citations.resolve_citation`)."""
    from disclosure.citations import raw_citations

    found: set[Citer] = set()
    for raw in raw_citations(number):
        exact = raw.code + raw.tail == number  # else not a number as citations name one: any of its year and serial
        for code, citers in cited.get(raw.tail, {}).items():
            if not exact or code.endswith(raw.code):
                found.update(citers)
    return found


def load_snapshot(cache_dir: Path, output: Path) -> BuildSnapshot | None:
    """The snapshot of ``output``, with the changes logged since it was saved whole; None
    when there is none or the log ends with an output being changed."""
    try:
        with open(snapshot_path(cache_dir, output), "rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return None
    if not isinstance(found, BuildSnapshot):
        return None
    try:
        log = open(_log_path(cache_dir, output), "rb")
    except OSError:
        return found
    described: BuildSnapshot | None = found
    with log:
        size = os.fstat(log.fileno()).st_size
        found = described = found._replace(log_size=size)
        while log.tell() < size:
            try:
                change = pickle.load(log)
            except (EOFError, pickle.PickleError, AttributeError, TypeError, ValueError, ImportError):
                change = None
            if not isinstance(change, SnapshotChange):
                # A change whose writing stopped half way: what was appended after it
                # cannot be read, so the log describes no output.
                return None
            if change.generation != found.generation:
                continue  # (left by an earlier snapshot file, when the log could not be deleted)
            if change.fields is None:
                described = None
                continue
            try:  # (its dicts are this load's own: updated in place)
                found = described = _changed(found, change.fields, in_place=True)
            except (ValueError, TypeError, AttributeError):
                return None  # (a change of another version's snapshot: fields it no longer has)
    return described


def _changed(snapshot: BuildSnapshot, fields: dict[str, Any], *, in_place: bool = False) -> BuildSnapshot:
    """``snapshot`` with a change's fields (:class:`SnapshotChange`); ``in_place``: its
    dicts are updated rather than copied."""
    merged: dict[str, Any] = {}
    removed = fields.get(REMOVED, {})
    for name in MERGED_FIELDS:
        if name in fields or name in removed:
            kept = getattr(snapshot, name)
            if kept is None:  # (printed None: not known of every page, and still not)
                merged[name] = None
                continue
            kept = kept if in_place else dict(kept)
            kept.update(fields.get(name, {}))
            for key in removed.get(name, ()):
                kept.pop(key, None)
            merged[name] = kept
    replaced = {name: value for name, value in fields.items() if name != REMOVED and name not in MERGED_FIELDS}
    return snapshot._replace(**replaced, **merged, logged=snapshot.logged + 1)


def _save(cache_dir: Path, output: Path, snapshot: BuildSnapshot) -> BuildSnapshot:
    """Save ``snapshot`` whole, as a new generation (an older log no longer applies to it);
    the snapshot as saved (with no generation if it could not be: nothing is logged to it)."""
    saved = snapshot._replace(generation=os.urandom(16).hex(), logged=0, log_size=0)
    try:
        replace_file(snapshot_path(cache_dir, output),
                     lambda handle: pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return snapshot._replace(generation="")  # the next build is a whole one
    _log_path(cache_dir, output).unlink(missing_ok=True)
    return saved


def _log(cache_dir: Path, output: Path, snapshot: BuildSnapshot, fields: dict[str, Any] | None) -> BuildSnapshot | None:
    """Append a change to the log of ``snapshot`` (as loaded or saved, with the changes
    logged since); the snapshot with the log's new size, or None when it cannot be
    appended (then the snapshot is dropped or saved whole)."""
    if not snapshot.generation or not snapshot_path(cache_dir, output).is_file():
        return None
    data = pickle.dumps(SnapshotChange(snapshot.generation, fields), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with open(_log_path(cache_dir, output), "ab") as handle:
            if handle.tell() != snapshot.log_size:
                return None  # (appended to since this snapshot was read: it is not the log's)
            handle.write(data)
    except OSError:
        return None
    return snapshot._replace(log_size=snapshot.log_size + len(data))


def mark_changing(cache_dir: Path, output: Path, snapshot: BuildSnapshot | None) -> BuildSnapshot | None:
    """Before ``output`` changes: log that it is changing (an interruption then leaves a log
    describing no output), or drop the snapshot when that cannot be; the snapshot to log
    the build's changes to, or None."""
    marked = _log(cache_dir, output, snapshot, None) if snapshot is not None else None
    if marked is None:
        drop_snapshot(cache_dir, output)
    return marked


def _keep(cache_dir: Path, output: Path, snapshot: BuildSnapshot, fields: dict[str, Any] | None,
          logged_to: BuildSnapshot | None) -> BuildSnapshot:
    """Keep ``snapshot``: ``fields`` (its changes since ``logged_to``) appended to the log,
    or (no changes given, no log to append to, or a long log) saved whole."""
    if fields is not None and logged_to is not None and logged_to.logged + 1 < SNAPSHOT_LOG_LIMIT:
        logged = _log(cache_dir, output, logged_to, fields)
        if logged is not None:
            return snapshot._replace(generation=logged.generation, logged=logged.logged + 1, log_size=logged.log_size)
    return _save(cache_dir, output, snapshot)


def _changes(old: BuildSnapshot, new: BuildSnapshot) -> dict[str, Any] | None:
    """The fields of a :class:`SnapshotChange` that make ``old`` ``new``; None when the
    change is better saved whole: another set of document files (their order is their
    sorted order, which a merge would not keep), or more than a quarter of the entries
    changed."""
    fields: dict[str, Any] = {}
    removed: dict[str, list[str]] = {}
    changed = total = 0
    for name in MERGED_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before is None or after is None:
            if before is not after:
                return None
            continue
        if name == "files" and before.keys() != after.keys():
            return None
        entries = {key: value for key, value in after.items() if key not in before or before[key] != value}
        gone = [key for key in before if key not in after]
        if entries:
            fields[name] = entries
        if gone:
            removed[name] = gone
        changed, total = changed + len(entries) + len(gone), total + len(after)
    if changed * 4 > total:
        return None
    if removed:
        fields[REMOVED] = removed
    for name in BuildSnapshot._fields:
        if name not in MERGED_FIELDS and name not in ("generation", "logged", "log_size") \
                and getattr(old, name) != getattr(new, name):
            fields[name] = getattr(new, name)
    return fields


def quick_rebuild(content: Path, output: Path, as_of: date, settings_file: Path, settings: dict[str, Any],
                  config: SiteConfig, cache_dir: Path, snapshot: BuildSnapshot | None,
                  found: tuple[list[str], list[str]] | None = None) -> QuickResult | None:
    """Patch ``output`` for edits of documents' bodies, or None when a whole build must
    run.  ``snapshot`` is :func:`load_snapshot`'s for ``output``; ``found``, the document
    files and the others as :func:`~disclosure.corpus.discover_files` gives them, when the
    caller has them.

    Several edited files (saved together, or a ``git pull``) are patched one after the
    other, each from the output and the snapshot the one before left, as if it were the
    only edit since: each step is the one-file patch.  Every edited file is read and
    checked before anything is written; if a later step cannot be taken (its headings
    changed), the files patched so far stay published and described, and the whole
    build takes it from there."""
    from .incremental import folder_identity, manifest_path

    if snapshot is None or snapshot.output is None or snapshot.output != folder_identity(output):
        return _no("no snapshot of this output")
    if found is None:
        listed: list[str] = []
        found = (discover_files(content, listed), listed)
    files, others = found
    paths = sorted(os.path.normpath(path) for path in files)
    if paths != list(snapshot.files):
        return _no("document files added, removed or renamed")
    changed = []
    for path in paths:
        try:
            stat = os.stat(path)  # before reading: an edit made meanwhile shows as a change next time
        except OSError:
            return _no(f"{path} is gone")
        if (stat.st_mtime_ns, stat.st_size) != snapshot.files[path]:
            changed.append((path, stat))
    if len(changed) > MAX_EDITED_FILES:
        return _no(f"{len(changed)} files changed")
    for path, _ in changed:
        if path not in snapshot.documents:
            return _no(f"{path} is not a public document's file whose pages the last build noted holes in "
                       "(not public, an annual report, a comparison without a difference, a text two files share)")
    if snapshot.key != snapshot_key(content, others, config, as_of, settings_file, settings):
        return _no("code, theme, settings, date, ledger or other content files changed")
    manifest_file = manifest_path(cache_dir, output)
    if not manifest_file.is_file():  # (read once needed: after a topic or issuer edit, beside the lists' process)
        return _no("no page fingerprints of this output")
    if not changed:  # the output is what this build would write
        if _manifest(manifest_file, snapshot) is None:
            return _no("no page fingerprints of this output")
        return QuickResult((), [], (), snapshot.public, snapshot.files_written)
    edits = []
    for path, stat in changed:
        record, problems = read_file(Path(path), Path(path).as_posix())
        entry = snapshot.documents[path]
        if record is None or has_errors(problems):
            return _no(f"{path} has errors")
        if entry.versioned and record.signature != entry.signature:
            return _no(f"{path}: a version's front matter, references or cited numbers changed")
        changes = {} if record.signature == entry.signature else _printed_changes(record, entry)
        if changes is None:
            from .relist import listed_changes, relist

            from .restatus import restated_changes, restatus

            moved = listed_changes(record, entry)
            restated = restated_changes(record, entry) if moved is None else None
            if moved is None and restated is None:
                return _no(f"{path}: front matter (besides titles, numbers, the topic, issuers, dates of effect, "
                           "expiry and publication and the stated status), references or cited numbers changed")
            if len(changed) > 1:
                return _no(f"{path}: a topic, issuer, date or status edit is taken alone")
            if restated is not None:
                moved = restated
                applied = restatus(output, content, cache_dir, snapshot, manifest_file, path, stat, record, restated,
                                   files, settings_file, settings, config, as_of)
            else:
                applied = relist(output, content, cache_dir, snapshot, manifest_file, path, stat, record, moved,
                                 files, settings_file, settings, config, as_of)
            if applied is None:
                return None
            posix = Path(path).as_posix()
            return QuickResult((posix,), applied[2], {posix: tuple(moved)}, applied[0].public,
                               applied[0].files_written)
        edits.append((path, stat, record, changes))
    manifest = _manifest(manifest_file, snapshot)
    if manifest is None:
        return _no("no page fingerprints of this output")
    from .labels import labels_for

    labels = labels_for(settings.get("SITE_LANGUAGE", "zh"))
    # (a comparison of two edited versions: the step of the first compares it with the
    # other's new text already, which the step of the other then leaves as it is)
    edited = {path: record.body for path, _, record, _ in edits}
    written: set[str] = set()
    for path, stat, record, changes in edits:
        applied = _apply_edit(output, content, cache_dir, snapshot, manifest, manifest_file, path, stat, record, changes,
                              config, labels, edited)
        if applied is None:
            return None
        snapshot, manifest, names = applied
        written.update(names)
    return QuickResult(tuple(Path(path).as_posix() for path, _, _, _ in edits), sorted(written),
                       {Path(path).as_posix(): tuple(changes) for path, _, _, changes in edits if changes},
                       snapshot.public, snapshot.files_written)


def _printed_changes(record: FileRecord, entry: DocEntry, printed: tuple[str, ...] = PRINTED_FIELDS,
                     unprinted: tuple[str, ...] = UNPRINTED_FIELDS) -> Changes | None:
    """The file's changed ``printed`` fields (:data:`~.printed.PRINTED_FIELDS`) and
    ``unprinted`` ones (keywords), when they are all that changed of what checks across
    documents read (its signature is the old one's with their old values put back), else
    None.  Each printed field had a value and still has one: a value that appears or goes
    changes what a page shows around it (a dash, a line)."""
    changes: Changes = {}
    for name in printed:
        old, new = entry.printed.get(name), _printed_value(name, record.values.get(name))
        if new == old:
            continue
        if not (old and new and isinstance(old, (str, tuple)) and type(new) is type(old)):
            return None
        changes[name] = (old, new)
    for name in unprinted:  # (no page shows them: they may come or go)
        old, new = entry.printed.get(name), record.values.get(name)
        if new != old:
            changes[name] = (old, new)
    if not changes:
        return None
    values = {**record.values, **{name: date.fromisoformat(old) if name in DATE_FIELDS else old
                                  for name, (old, _) in changes.items()}}
    values = {name: value for name, value in values.items()
              if value is not None or name in entry.printed or name not in changes}
    # A list's items have lines of their own: on the key's line when it was written as a
    # flow list (``[a, b]``), none when as one text; either may have been the old value's.
    listed = [name for name in changes if name in unprinted or name in LIST_FIELDS]
    for flow in (True, False) if any(name in LIST_FIELDS for name in listed) else (True,):
        key_lines = record.key_lines
        for name in listed:
            if name in key_lines:
                items = len(changes[name][0] or ()) if flow or name not in LIST_FIELDS else 0
                key_lines = _with_items(key_lines, name, items)
        if cross_signature(replace(record, key_lines=key_lines, values=values)) == entry.signature:
            return changes
    return None


def _with_items(key_lines: dict[str, int], name: str, items: int) -> dict[str, int]:
    """``key_lines`` with the list ``name`` given ``items`` items on its key's line (as a
    flow list's are), in the order the front matter's reader gives them: after the key."""
    lines: dict[str, int] = {}
    for key, line in key_lines.items():
        if not key.startswith(f"{name}["):
            lines[key] = line
        if key == name:
            lines.update({f"{name}[{i}]": line for i in range(items)})
    return lines


def _reprintable(snapshot: BuildSnapshot, doc_id: str, record: FileRecord, changes: Changes,
                 config: SiteConfig) -> set[Citer] | None:
    """The other versions whose bodies link differently once the changed printed fields are
    published (a document number they cite), when that and where the fields are printed is
    all that changes; else None."""
    taken = snapshot.taken
    citing: set[Citer] = set()
    if not changes:
        return citing
    if snapshot.printed is None or taken is None:
        return _no("where pages print titles and numbers is not known")
    used = snapshot.fields_used
    if any(name in changes and (used is None or name in used) for name in (*UNPRINTED_FIELDS, *sorted(DATE_FIELDS))):
        return _no("a page shows the keywords or computes with the date (the theme does), or that is not known")
    if "written" in changes and changes["written"][0][:4] != changes["written"][1][:4]:
        return _no("the year written changes: the annual report counts documents by it")
    if changes.keys() & {"title", "doc_number"} and (record.values.get("repeals") or record.values.get("amends")):
        return _no("the statuses of the documents it repeals or amends quote its title and number")
    if "doc_number" in changes:
        old, new = changes["doc_number"]
        if new in taken.doc_numbers:
            return _no(f"{new} is another document's number")
        citing = {citer for citer in _citing(old, taken.cited) | _citing(new, taken.cited) if citer.doc_id != doc_id}
        if any(not citer.path for citer in citing):
            return _no("an annual report cites the old or the new number")
    if "index_number" in changes:
        published = record.values.get("published")
        if changes["index_number"][1] in taken.index_numbers:
            return _no("the new index number is another document's")
        if not isinstance(published, date) or _moved_top(taken, published.year, changes["index_number"], config) is None:
            return _no("provisional index numbers of its year continue from the year's largest serial, which this moves")
    return citing


def _moved_top(taken: TakenValues, year: int, change: tuple[str, str], config: SiteConfig
               ) -> dict[int, tuple[int, int]] | None:
    """The years' largest serials once an index number of ``year`` changes, if that keeps
    them (else None: provisional numbers of the year would change)."""
    from disclosure.corpus import serial_of, serial_prefix

    if year not in taken.serial_tops:
        return taken.serial_tops
    top, count = taken.serial_tops[year]
    prefix = serial_prefix(year, config)
    old, new = (serial_of(number, prefix) for number in change)
    count += (new == top) - (old == top)
    if (new is not None and new > top) or (old == top and count < 1):
        return None
    return {**taken.serial_tops, year: (top, count)}


def _after(snapshot: BuildSnapshot, doc_id: str, changes: Changes, year: int | None,
           config: SiteConfig) -> tuple[dict[str, str], TakenValues | None]:
    """The snapshot's document numbers (public ones, as bodies link them) and taken values
    once ``changes`` are published."""
    numbers, taken = snapshot.numbers, snapshot.taken
    if "doc_number" in changes:
        old, new = changes["doc_number"]
        numbers = {**{number: owner for number, owner in numbers.items() if number != old}, new: doc_id}
        if taken is not None:
            taken = taken._replace(doc_numbers=taken.doc_numbers - {old} | {new})
    if "index_number" in changes and taken is not None and year is not None:
        old, new = changes["index_number"]
        taken = taken._replace(index_numbers=taken.index_numbers - {old} | {new},
                               serial_tops=_moved_top(taken, year, changes["index_number"], config) or taken.serial_tops)
    return numbers, taken


def _apply_edit(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, manifest: dict[str, Any],
                manifest_file: Path, path: str, stat: os.stat_result, record: FileRecord, changes: Changes,
                config: SiteConfig, labels: dict[str, str], edited: dict[str, str],
                ) -> tuple[BuildSnapshot, dict[str, Any], list[str]] | None:
    """Patch the output for the body and the ``changes`` of printed fields of the file at ``path``
    (read as ``record``), and save what describes it then; the new snapshot and
    fingerprints, and the files written.  None when the edit reaches further than that
    (nothing written)."""
    entry = snapshot.documents[path]
    citing = _reprintable(snapshot, entry.doc_id, record, changes, config)
    if citing is None:
        return None
    published = record.values.get("published")
    numbers, taken = _after(snapshot, entry.doc_id, changes, published.year if isinstance(published, date) else None, config)
    from .forked import can_fork

    # (beside the pages' patch, on two cores: a body edit at 10,000 documents takes a tenth less time)
    searching = SearchApart(output, content, cache_dir, snapshot, entry, record.body, changes) \
        if can_fork() and snapshot.search_size is not None else None
    try:
        patch = _patch(output, content, cache_dir, snapshot, entry, record.body, record.sha256, changes, numbers,
                       citing, labels, edited, search=searching is None)
        if patch is None:
            if searching is not None:
                searching.drop()
            return None
        updates, holes, compares, printed, finish = patch
        if searching is not None:
            why = searching.take(updates, finish)
            if why is not None:
                return _no(why)
            finish.early.append(lambda: searching.keep(finish))  # (once the output is written)
        fields: dict[str, Any] = {"holes": holes, "compares": compares, "printed": printed}
        if numbers is not snapshot.numbers or taken is not snapshot.taken:  # (a number edit)
            fields.update(numbers=numbers, taken=taken)
        return publish_edit(output, cache_dir, snapshot, manifest, manifest_file, path, stat, record, changes, updates,
                            finish, fields)
    except BaseException:
        if searching is not None:
            searching.drop()
        raise


def publish_edit(output: Path, cache_dir: Path, snapshot: BuildSnapshot, manifest: dict[str, Any], manifest_file: Path,
                 path: str, stat: os.stat_result, record: FileRecord, changes: Changes, updates: dict[str, bytes],
                 finish: "_Finish", fields: dict[str, Any], removed: tuple[str, ...] = ()
                 ) -> tuple[BuildSnapshot, dict[str, Any], list[str]]:
    """Write ``updates`` into ``output`` for the edit of the file at ``path`` (read as
    ``record``, whose ``changes`` of kept fields they publish), delete the pages
    ``removed``, then ``finish``, and save what describes the output then: the snapshot
    with ``fields`` (its other changes) and the edited file's entry, and the page
    fingerprints less the updated and removed pages.  The new snapshot and fingerprints,
    and the files written."""
    from .incremental import folder_identity, manifest_without, save_manifest

    entry = snapshot.documents[path]
    try:
        staged = _stage(output, updates)
    except OSError as error:  # (a full disk) nothing replaced yet
        raise BuildError(f"writing {output}: {error}") from error
    # From here on the output changes: what describes it is marked as changing (or
    # dropped) first, so an interruption costs the next build a whole new output, never
    # a stale page.
    logged_to = mark_changing(cache_dir, output, snapshot)
    manifest_file.unlink(missing_ok=True)
    added = sum(not (output / name).exists() for name in updates)
    try:
        for scratch, name in staged:
            _move(scratch, output / name)
        for name in removed:
            _remove(output, name)
        finish()
    except OSError as error:
        for scratch, _ in staged:
            Path(scratch).unlink(missing_ok=True)
        raise BuildError(f"updating {output}: {error}", partial=True) from error
    identity = folder_identity(output)
    manifest = manifest_without(manifest, [*updates, *removed], identity)
    save_manifest(manifest_file, manifest)
    fields = {
        **fields, "output": identity, "files": {path: (stat.st_mtime_ns, stat.st_size)},
        "documents": {path: entry._replace(
            sha256=record.sha256, signature=record.signature,
            printed={name: value for name, value in {**entry.printed, **{name: new for name, (_, new) in changes.items()}}.items()
                     if value is not None})},
        "search_size": finish.search_size, "search_generation": finish.search_generation}
    if added or removed:
        fields["files_written"] = snapshot.files_written + added - len(removed)
    snapshot = _keep(cache_dir, output, _changed(snapshot, fields), fields, logged_to)
    return snapshot, manifest, sorted(updates)


class _Finish:
    """What is kept besides the output once it is written (search records, the kept index)."""

    def __init__(self, search_size: int | None, search_generation: str) -> None:
        self.search_size, self.search_generation = search_size, search_generation
        self.steps: list[Callable[[], None]] = []
        self.early: list[Callable[[], None]] = []
        """Steps that may run before the output is written (:meth:`keep_early`)."""
        self.records_line: tuple[Path, int, int, bytes] | None = None
        """The search records file, and its edited record's line's range and new bytes."""

    def keep_early(self) -> None:
        """Keep the search index patched now, before the output is written, while this
        process waits for another (:mod:`.relist`): if the output is then not written, the
        snapshot still names the index's previous generation, and the next build exports
        the search whole."""
        while self.early:
            self.early.pop(0)()

    def __call__(self) -> None:
        self.keep_early()
        if self.records_line is not None:
            _replace_range(*self.records_line)
        for step in self.steps:
            step()


def _patch(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, entry: DocEntry, body: str,
           sha256: str, changes: Changes, numbers: dict[str, str], citing: set[Citer], labels: dict[str, str],
           edited: dict[str, str], *, search: bool = True,
           ) -> tuple[dict[str, bytes], dict[str, PageHole], dict[str, CompareHole], dict[str, PackedHoles], _Finish] | None:
    """The new bytes of every output file the edit changes, the pages' new body and
    comparison holes and printed places, and what to keep once they are written; None
    when the edit reaches further.  ``numbers``: the public documents' numbers once it is
    published; ``citing``: other versions whose bodies then link differently (rendered
    again, as they are); ``labels``: the site's (a comparison's difference shows two);
    ``edited``: the new texts of the files this rebuild patches (by normalised path);
    ``search`` False: the search export is patched apart (:class:`SearchApart`)."""
    from disclosure.render_cache import BodyCache

    from .feeds import entry_id, summary_text
    from .page_text import page_body_html, table_of_contents

    updates: dict[str, bytes] = {}
    holes: dict[str, PageHole] = {}
    printed: dict[str, PackedHoles] = {}

    def current(name: str) -> bytes | None:
        return updates[name] if name in updates else _read(output / name)

    if changes and not _reprint(output, snapshot, entry, changes, updates, holes, printed):
        return None
    bodies = BodyCache(numbers, cache_dir / f"bodies-{path_key(content)}.sqlite")
    targets = snapshot.targets

    def fill(pages: Any, html: str) -> bool:
        """Put ``html`` in the body holes of ``pages``."""
        for name in pages:
            hole = holes.get(name, snapshot.holes.get(name))
            if hole is None:
                return bool(_no(f"{name}: no recorded body"))
            page_body = str(page_body_html(html, hole.root, lambda doc_id, version: (doc_id, version) in targets))
            if toc_digest(table_of_contents(page_body)) != hole.toc:
                return bool(_no("headings changed: the table of contents with them"))
            page = _text(current(name))
            if len(page) != hole.size:
                return bool(_no(f"{name} is not the page the snapshot describes"))
            updates[name] = (page[:hole.start] + page_body + page[hole.start + hole.length:]).encode("utf-8")
            holes[name] = hole._replace(length=len(page_body), size=hole.size - hole.length + len(page_body))
            places = printed.get(name, snapshot.printed.get(name) if snapshot.printed is not None else None)
            if places is not None:  # the titles and numbers after the body move with it
                printed[name] = pack(shift_holes(unpack(places), hole.start, len(page_body) - hole.length))
        return True

    if not fill(entry.pages, bodies.html(body)):
        return None
    compares: dict[str, CompareHole] = {}
    for name in entry.compares:
        if not _compare_again(name, snapshot, entry, body, labels, edited, current(name), updates, compares, printed):
            return None
    for citer in sorted(citing):
        cited_body = _unchanged_body(citer.path, snapshot)
        pages = [name for name, hole in snapshot.holes.items() if (hole.doc_id, hole.version) == citer[1:]]
        if cited_body is None or not pages:
            return _no(f"{citer.path}: cites the number, and is not as the snapshot describes")
        if not fill(pages, bodies.html(cited_body)):
            return None
    summary = escape(summary_text(body)).encode("utf-8")
    marker = f"<id>{entry_id(snapshot.organ, entry.doc_id)}</id>".encode("utf-8")
    for name in snapshot.feeds.get(entry.doc_id, ()) if entry.latest else ():  # (the latest version's summary)
        data = _read(output / name)
        at = data.find(marker) if data is not None else -1
        if changes.keys() & {"title", "doc_number", "issuer"} and data is not None and at >= 0:
            data = reprint_feed_entry(data, at, changes)
            if data is None:
                return _no(f"{name}: the entry's title or number is not where the snapshot says")
            at = data.find(marker)
        start = data.find(FEED_SUMMARY, at) if at >= 0 else -1
        text = data.find(b"\n", start) if start >= 0 else -1
        end = data.find(b"</summary>", start) if start >= 0 else -1
        if data is None or min(at, start, text, end) < 0 or not (start < text < end) or data.find(b"</entry>", at) < end:
            return _no(f"{name}: the entry is not where the snapshot says")
        updates[name] = data[:text + 1] + summary + data[end:]
    old, new = entry.sha256.encode("ascii"), sha256.encode("ascii")
    for name in SHA_FILES:
        data = current(name)
        if data is not None and old in data:
            updates[name] = data.replace(old, new)
        elif name == SHA_FILES[0]:
            return _no(f"{name} does not show the file's hash")
    finish = _Finish(snapshot.search_size, snapshot.search_generation)
    if search and snapshot.search_size is not None:
        why = _patch_search(output, content, cache_dir, snapshot, entry, body, changes, updates, finish)
        if why is not None:
            return _no(why)
    for name in [name for name, data in updates.items() if _read(output / name) == data]:
        del updates[name]  # (a body edit that changes nothing a reader sees: whitespace)
    return updates, holes, compares, printed, finish


def _compare_again(name: str, snapshot: BuildSnapshot, entry: DocEntry, body: str, labels: dict[str, str],
                   edited: dict[str, str], page_bytes: bytes | None, updates: dict[str, bytes],
                   compares: dict[str, CompareHole], printed: dict[str, PackedHoles]) -> bool:
    """Add to ``updates`` the comparison page ``name`` with the edited version's new
    ``body`` compared (its holes, :class:`ComparedTemplate`, filled as
    :meth:`~.pages.SiteModel.compare_page` makes their values); False when only a whole
    build will do (the other version's file is neither as the snapshot describes it nor
    edited too, or the two texts no longer differ: the page then shows other text)."""
    from disclosure.diff import diff_html, diff_ops, diff_stats
    from disclosure.render import plain_text

    hole = (snapshot.compares or {}).get(name)
    if hole is None or hole.doc_id != entry.doc_id or entry.version not in (hole.old, hole.new):
        return bool(_no(f"{name}: no recorded difference"))
    edited_is_old = hole.old == entry.version
    other_path = hole.paths[1] if edited_is_old else hole.paths[0]
    key = os.path.normpath(other_path)
    other = edited[key] if key in edited else _unchanged_body(other_path, snapshot)
    if other is None:
        return bool(_no(f"{name}: the other version's file is not as the snapshot describes"))
    ops = diff_ops(plain_text(body), plain_text(other)) if edited_is_old else diff_ops(plain_text(other), plain_text(body))
    if not any(op != "=" for op, _ in ops):
        return bool(_no(f"{name}: the versions compared no longer differ"))
    stats = diff_stats(ops)
    values = {"inserted": str(stats.inserted), "deleted": str(stats.deleted),
              "diff": diff_html(ops, inserted_label=labels["inserted"], deleted_label=labels["deleted"])}
    page = _text(page_bytes)
    if len(page) != hole.size:
        return bool(_no(f"{name} is not the page the snapshot describes"))
    places = printed.get(name, snapshot.printed.get(name) if snapshot.printed is not None else None)
    # (the titles after the difference move with it)
    text, spans, moved = fill_spans(page, hole.spans, values, unpack(places) if places is not None else None)
    updates[name] = text.encode("utf-8")
    compares[name] = hole._replace(spans=spans, size=len(text))
    if moved is not None:
        printed[name] = pack(moved)
    return True


def _reprint(output: Path, snapshot: BuildSnapshot, entry: DocEntry, changes: Changes, updates: dict[str, bytes],
             holes: dict[str, PageHole], printed: dict[str, PackedHoles]) -> bool:
    """Add to ``updates`` every page and data file with the document's changed fields, and
    the pages' holes as they then are; False when only a whole build will do."""
    from .page_text import DATA_FILES, LEDGER_FILES

    changes = {name: change for name, change in changes.items() if name in PRINTED_FIELDS or name in LISTED_FIELDS}
    if not changes:
        return True  # (nothing a page, a feed or a data file shows)
    if snapshot.printed is None:
        return bool(_no("where pages print titles and numbers is not known"))
    doc_id = entry.doc_id
    keys = [key for name, (_, new) in changes.items() for key in printed_texts(doc_id, name, new)]
    for name, packed in snapshot.printed.items():
        if not any(key in packed[0] for key in keys):
            continue
        page = _text(_read(output / name))
        body_hole = snapshot.holes.get(name)
        reprinted = reprint_page(page, unpack(packed), doc_id, changes)
        if reprinted is None or (body_hole is not None and len(page) != body_hole.size):
            return bool(_no(f"{name} is not the page the snapshot describes"))
        text, page_holes, moved = reprinted
        printed[name] = pack(page_holes)
        updates[name] = text.encode("utf-8")
        if body_hole is not None:
            holes[name] = body_hole._replace(start=moved(body_hole.start), size=len(text))
    documents = _read(output / DATA_FILES[0]), _read(output / DATA_FILES[1])
    ledger = _read(output / LEDGER_FILES[1]), _read(output / LEDGER_FILES[0])
    reprinted_data = reprint_documents(*documents, doc_id, changes) if None not in documents else None
    if reprinted_data is None:
        return bool(_no("the data export does not show the fields where the snapshot says"))
    updates[DATA_FILES[0]], updates[DATA_FILES[1]] = reprinted_data
    if ledger != (None, None):
        reprinted_data = reprint_ledger(*ledger, f"documents/{doc_id}/", changes) if None not in ledger else None
        if reprinted_data is None:
            return bool(_no("the ledger's files do not show the fields where the snapshot says"))
        updates[LEDGER_FILES[1]], updates[LEDGER_FILES[0]] = reprinted_data
    return True


def _patch_search(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, entry: DocEntry, body: str,
                  changes: Changes, updates: dict[str, bytes], finish: _Finish) -> str | None:
    """Add the search export's changed files to ``updates`` and the keeping of its records
    and index to ``finish``; else why only a whole export will do."""
    from disclosure_search.export_patch import move_export, patch_export
    from disclosure_search.cache_files import search_files
    from disclosure_search.records import SearchRecord, markdown_to_text
    from disclosure_search.token_cache import TokenCache

    records_file = search_files(cache_dir, content).records
    line = _line_of(records_file, entry.record_line)  # (the file is 50 MB at 10,000 documents: not read whole)
    try:
        old = SearchRecord.from_json(json.loads(line[2])) if line is not None else None
    except (ValueError, TypeError):
        old = None
    if old is None or old.id != entry.record_id or not snapshot.search_generation:
        return "the search records or index kept are not the published ones"
    record = replace(old, text=markdown_to_text(body),
                     **{SEARCH_RECORD_FIELDS[name]: new for name, (_, new) in changes.items() if name in SEARCH_RECORD_FIELDS})
    if "keywords" in changes:
        record = replace(record, keywords=tuple(changes["keywords"][1] or ()))
    if STATUS in changes:  # (:mod:`.restatus`)
        from disclosure.effectiveness import Status

        status = Status(changes[STATUS][1])
        record = replace(record, status=status.value, in_force=status.in_force)
    # (a new date of publication: the record takes another place among the others)
    patch = (move_export if PUBLISHED in changes else patch_export)(
        output / "search", record, TokenCache(cache_dir / f"search-tokens-{path_key(content)}"), snapshot.search_size,
        generation=snapshot.search_generation)
    if isinstance(patch, str):
        return f"the search export cannot be patched: {patch}"
    updates.update({f"{SEARCH_FILES}{name}": data for name, data in patch.files.items()})
    start, end, _ = line
    new_line = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    tokens = patch.cache

    def keep_index() -> None:
        patch.save()
        finish.search_generation = tokens.generation  # ("" if it could not be kept: no quick rebuild next)

    finish.records_line = (records_file, start, end, new_line)
    finish.early.append(keep_index)
    finish.search_size = patch.postings_size
    return None


class SearchApart:
    """:func:`_patch_search` in a forked process, beside the rest of the document's patch
    (at 10,000 documents, 0.3–0.6 s with the word segmenter's import): :meth:`take` its
    changed files, then :meth:`keep` the patched index (after a body edit once the output
    is written; after a topic edit while the lists are made: if writing the output then
    fails, the snapshot still names the index before, and the next build exports the
    search whole) or :meth:`drop` it."""

    def __init__(self, output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, entry: DocEntry,
                 body: str, changes: Changes) -> None:
        from .forked import Forked

        def work(channel: Any) -> str:
            updates: dict[str, bytes] = {}
            finish = _Finish(snapshot.search_size, snapshot.search_generation)
            why = _patch_search(output, content, cache_dir, snapshot, entry, body, changes, updates, finish)
            channel.send(why if why is not None else (updates, finish.search_size, finish.records_line))
            try:
                if why is None and channel.recv():
                    finish.keep_early()
            except EOFError:
                pass
            return finish.search_generation

        self._process = Forked(work, "the search export's patch", talk=True)

    def take(self, updates: dict[str, bytes], finish: _Finish) -> str | None:
        """Add its changed files to ``updates`` and its size and records' line to ``finish``;
        or why the search export cannot be patched (nothing added)."""
        try:
            found = self._process.channel.recv()
        except EOFError:
            try:
                self._process.result()
                found = "the search export's patch ended without a word"
            except RuntimeError as error:
                found = str(error)
        if isinstance(found, str):
            self.drop()
            return found
        files, finish.search_size, finish.records_line = found
        updates.update(files)  # (the patch leaves out the files it does not change: :func:`_patch_search`)
        return None

    def keep(self, finish: _Finish) -> None:
        """Keep the patched index: its generation to ``finish`` ("" if it could not be kept)."""
        try:
            self._process.channel.send(True)
            finish.search_generation = self._process.result()
        except (OSError, RuntimeError) as error:  # (the published files hold the patch; the kept index is unsure)
            log.debug("the patched search index could not be kept: %s", error)
            finish.search_generation = ""

    def drop(self) -> None:
        """Keep nothing; the process ends."""
        self._process.channel.close()
        self._process.cancel()

    cancel = drop


def _manifest(path: Path, snapshot: BuildSnapshot) -> dict[str, Any] | None:
    """The page fingerprints at ``path``, if they describe the output the snapshot does."""
    from .incremental import load_manifest

    manifest = load_manifest(path)
    return manifest if manifest is not None and manifest.get("output") == snapshot.output else None


def _unchanged_body(path: str, snapshot: BuildSnapshot) -> str | None:
    """The body of the file at ``path`` (a document file's display path), if the snapshot
    describes the file as it is."""
    local = os.path.normpath(path)
    try:
        stat = os.stat(local)
    except OSError:
        return None
    if snapshot.files.get(local) != (stat.st_mtime_ns, stat.st_size):
        return None
    record, problems = read_file(Path(local), path)
    return record.body if record is not None and not has_errors(problems) else None


def _no(why: str) -> None:
    """No quick rebuild (logged for ``--verbose`` and the tests): the whole build runs."""
    log.debug("no quick rebuild: %s", why)
    return None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _text(data: bytes | None) -> str:
    """A page's text; "" when it is missing or not UTF-8 (then no snapshot describes it)."""
    try:
        return (data or b"").decode("utf-8")
    except UnicodeDecodeError:
        return ""


def _stage(output: Path, updates: dict[str, bytes]) -> list[tuple[str, str]]:
    """Write each update beside the file it replaces (or in its new folder, for a new
    file); ``(scratch file, name)`` of each.  All are written before any replaces its file:
    a failure leaves the output as it was (but for new empty folders)."""
    staged: list[tuple[str, str]] = []
    try:
        for name, data in sorted(updates.items()):
            path = output / name
            exists = path.exists()
            if not exists:
                path.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
            staged.append((scratch, name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            # as the file it replaces; a new one as the build writes them (the home page's)
            os.chmod(scratch, os.stat(path if exists else output / "index.html").st_mode & 0o7777)
    except BaseException:
        for scratch, _ in staged:
            Path(scratch).unlink(missing_ok=True)
        raise
    return staged


def _remove(output: Path, name: str) -> None:
    """Delete the page ``name`` of ``output``, and its folders left empty (as a whole build
    would not have them)."""
    (output / name).unlink(missing_ok=True)
    folder = (output / name).parent
    while folder != output:
        try:
            folder.rmdir()
        except OSError:  # (not empty)
            return
        folder = folder.parent


def _move(scratch: str, path: Path) -> None:
    """Replace ``path`` by a rename: no reader sees half a file."""
    os.replace(scratch, path)


def _line_of(path: Path, number: int) -> tuple[int, int, bytes] | None:
    """Where line ``number`` (from 0) of the file is, in bytes, and the line; None if it has no such line."""
    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            start = 0
            for _ in range(number):
                start = mapped.find(b"\n", start) + 1
                if start == 0:
                    return None
            end = mapped.find(b"\n", start)
            end = len(mapped) if end < 0 else end
            return start, end, mapped[start:end]
    except (OSError, ValueError):  # (ValueError: an empty file cannot be mapped)
        return None


def _replace_range(path: Path, start: int, end: int, data: bytes) -> None:
    """Replace bytes ``start:end`` of the file at ``path`` by ``data``, by a rename (the
    search records: the rest is copied by the system, not through this process)."""
    target, scratch = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        try:
            source = os.open(path, os.O_RDONLY)
            try:
                size = os.fstat(source).st_size
                _copy_range(source, target, 0, start)
                _write_all(target, data)
                _copy_range(source, target, end, size - end)
            finally:
                os.close(source)
        finally:
            os.close(target)  # (also when the source cannot be opened)
        os.chmod(scratch, os.stat(path).st_mode & 0o7777)
        _move(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def _copy_range(source: int, target: int, offset: int, count: int) -> None:
    """Copy ``count`` bytes from ``offset`` in ``source`` to where ``target`` is (file descriptors)."""
    copy = getattr(os, "copy_file_range", None)
    while count > 0:
        done = 0
        if copy is not None:
            try:
                done = copy(source, target, count, offset)
            except OSError:  # (file systems or kernels without it)
                copy = None
        if not done:
            os.lseek(source, offset, os.SEEK_SET)  # (not os.pread: Windows has none)
            chunk = os.read(source, min(count, 1 << 20))
            if not chunk:
                raise OSError(f"{source}: shorter than expected")
            _write_all(target, chunk)
            done = len(chunk)
        offset, count = offset + done, count - done


def _write_all(target: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view):]
