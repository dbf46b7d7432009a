"""A rebuild after edits of documents' prose or titles: only the files that show them change.

Editors mostly change the text of a document, not its metadata, and preview on every
save.  A whole rebuild (loading the corpus, the page model, every page's fingerprint,
the search export) is proportional to the site; this one is proportional to the
document.  Each build with the cache leaves a :class:`BuildSnapshot` beside the page
fingerprints; the next build first tries :func:`quick_rebuild`, which applies only
when everything it would not look at is as the snapshot says:

* the same code, theme, settings, date, ledger and other content files (a key, as the
  pre-commit check's), and the same output folder the snapshot describes;
* the same document files, of which a few changed (size or modification time), each
  a public document in one file (no versions: their comparison pages show the text),
  not an annual report nor key points (their bodies feed other pages);
* each such file still free of errors, with the same :func:`~disclosure.files.cross_signature`
  (front matter, references, cited numbers): every rule across documents, every page
  but its own and every list finds what it found before;
* the same table of contents.

Several edited files are patched one after another, each as if it were the only edit.

Then its pages are patched where the body goes: document pages are rendered with the
body as a hole (:class:`HoledTemplate`) whose place each build records, so the new body
replaces the old one byte for byte as a whole render would place it.  Its feed entries'
summaries, the file's SHA-256 in the data export and the ledger view, and the search
export (:mod:`disclosure_search.export_patch`) follow.

A file whose signature differs only by its title (the same with the old title put back)
is a title edit, taken the same way unless the document repeals or amends another (the
statuses it gives name it by its title): every page shows the new title where the build
noted the old one (:mod:`.titles`), and the feeds, the data export and the ledger's files
where their writers print it (:mod:`.retitle`).  Everything is computed before
anything is written; any doubt returns None and the whole build runs.  Tests compare
the result with a whole build of the same content, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
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
from .titles import PackedHoles, TitleHole, pack, shift_holes, unpack

SNAPSHOT_FORMAT = 4
log = logging.getLogger(__name__)
BODY_HOLE = Markup("\ue000body\ue001")
"""What a document page's template is given as ``body_html``: private-use characters, never in a page."""
MAX_EDITED_FILES = 8
"""The most edited files a quick rebuild takes, one after another (each costs about a
second and a half at 10,000 documents: beyond this, the whole rebuild is as quick)."""
SHA_FILES = ("data/documents.json", "ledger/ledger.json", "ledger/ledger.csv", "ledger/index.html")
"""Files that show a document's SHA-256 (and nothing else of its text); the first always does."""
_BODY_TYPES = frozenset({DocType.ANNUAL_REPORT, DocType.KEYPOINTS})
"""Types whose bodies reach other pages (report figures, task tables)."""


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


def toc_digest(toc: Any) -> str:
    return hashlib.sha256(repr([(str(anchor), str(text)) for anchor, text in toc]).encode("utf-8")).hexdigest()


class HoledTemplate:
    """A document page's template with the body as a hole: rendered with :data:`BODY_HOLE`,
    which is then replaced by the body, and where it went recorded in ``holes``.  The body
    is thus only ever printed, never computed with: a template cannot make the rest of the
    page depend on it (the table of contents, ``toc``, is a value of its own)."""

    def __init__(self, template: Any, name: str, context: dict[str, Any], holes: dict[str, PageHole],
                 titles: dict[str, tuple[TitleHole, ...] | None] | None = None) -> None:
        self.template, self.name, self.holes, self.titles = template, name, holes, titles
        self.body = str(context["body_html"])
        self.hole = (context["doc"].id, context["root"], toc_digest(context["toc"]))

    def render(self, context: dict[str, Any]) -> str:
        parts = self.template.render({**context, "body_html": BODY_HOLE}).split(BODY_HOLE)
        if len(parts) == 2:
            start, length = len(parts[0]), len(self.body)
            doc_id, root, toc = self.hole
            self.holes[self.name] = PageHole(doc_id, root, start, length, start + length + len(parts[1]), toc)
            if self.titles is not None and self.titles.get(self.name):  # (noted with the hole in the page)
                self.titles[self.name] = shift_holes(self.titles[self.name], start, length - len(BODY_HOLE))
            return self.body.join(parts)
        # A theme that shows the body twice or not at all (or a page that holds the hole's
        # characters already): rendered as it is, and no quick rebuild of this page.
        self.holes.pop(self.name, None)
        return self.template.render(context)


@dataclass
class BuildRecorder:
    """What a whole build notes for the snapshot as it writes the site."""

    page_names: list[str] = field(default_factory=list)
    """Every page of the site."""
    holes: dict[str, PageHole] = field(default_factory=dict)
    """Document pages rendered by this build (kept pages: the previous snapshot's)."""
    titles: dict[str, tuple[TitleHole, ...] | None] = field(default_factory=dict)
    """Where each page rendered by this build shows titles (:mod:`.titles`; None: unknown)."""
    titles_known: bool = False
    """Whether this build noted where titles are (every page it rendered is in ``titles``)."""
    document_pages: dict[str, list[str]] = field(default_factory=dict)
    """Every document page of each document, by id."""
    feeds: dict[str, list[str]] = field(default_factory=dict)
    """The feeds listing each document, by id."""
    search_size: int | None = None
    search_generation: str = ""


class DocEntry(NamedTuple):
    doc_id: str
    signature: str
    sha256: str
    pages: tuple[str, ...]
    record_line: int
    """Line of its record in the command line's search records (sorted by id)."""
    title: str


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
    titles: dict[str, PackedHoles] | None = None
    """Where each page shows titles (:mod:`.titles`); None when that is not known of every page."""


@dataclass
class QuickResult:
    paths: tuple[str, ...]
    """The edited files (none: nothing changed since the last build)."""
    written: list[str]
    """The output files updated."""
    titled: tuple[str, ...]
    """Those of ``paths`` whose title changed."""
    public: int
    files: int


def snapshot_path(cache_dir: Path, output: Path) -> Path:
    return cache_dir / f"quick-{path_key(output)}.pickle"


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


def save_snapshot(cache_dir: Path, output: Path, key: str, state: Any, recorder: BuildRecorder,
                  previous: BuildSnapshot | None, output_identity: Any, files_written: int) -> None:
    """The snapshot of a whole build that just published ``output``."""
    cache = state.parse_cache
    if cache is None:
        return
    # every document file, as the build read it (by its display path: normalised, posix)
    files = {display: (entry.mtime_ns, entry.size) for display, entry in sorted(cache.used.items())}
    holes = dict(recorder.holes)
    if previous is not None:  # pages the build left as they were keep their recorded holes
        for pages in recorder.document_pages.values():
            for name in pages:
                if name not in holes and name in previous.holes:
                    holes[name] = previous.holes[name]
    public = state.public
    record_ids = sorted([doc.id for doc in public] + [f"{doc.id}@v{v.number}" for doc in public for v in doc.versions[:-1]])
    line_of = {record_id: line for line, record_id in enumerate(record_ids)}
    hashes: dict[str, int] = {}
    for doc in public:
        for version in doc.versions:
            hashes[version.sha256] = hashes.get(version.sha256, 0) + 1
    documents: dict[str, DocEntry] = {}
    for doc in public:
        version = doc.versions[0]
        pages = tuple(recorder.document_pages.get(doc.id, ()))
        path = version.path.as_posix()
        entry = cache.used.get(path)
        if (len(doc.versions) != 1 or doc.type in _BODY_TYPES or path not in files or entry is None
                or entry.record is None or hashes[version.sha256] != 1 or not pages
                or any(name not in holes for name in pages)):
            continue
        documents[path] = DocEntry(doc.id, entry.record.signature, version.sha256, pages, line_of[doc.id], doc.title)
    snapshot = BuildSnapshot(
        key, output_identity, files, documents,
        {number: doc.id for doc in public for number in [doc.doc_number] if number},
        frozenset([(doc.id, None) for doc in public] + [(doc.id, v.number) for doc in public for v in doc.versions]),
        holes, {doc_id: tuple(names) for doc_id, names in recorder.feeds.items()}, recorder.search_size,
        recorder.search_generation, state.config.organ_code, len(public), files_written,
        _title_holes(recorder, previous))
    _save(snapshot_path(cache_dir, output), snapshot)


def _title_holes(recorder: BuildRecorder, previous: BuildSnapshot | None) -> dict[str, PackedHoles] | None:
    """Where every page shows titles: as this build rendered it, or (a page it left as it
    was) as the previous snapshot says; None when some page's are not known."""
    if not recorder.titles_known:
        return None
    known = previous.titles if previous is not None and previous.titles is not None else {}
    titles: dict[str, PackedHoles] = {}
    for name in recorder.page_names:
        if name in recorder.titles:
            holes = recorder.titles[name]
            if holes is None:
                return None
            titles[name] = pack(holes)
        elif name in known:
            titles[name] = known[name]
        else:
            return None
    return titles


def load_snapshot(cache_dir: Path, output: Path) -> BuildSnapshot | None:
    try:
        with open(snapshot_path(cache_dir, output), "rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return None
    return found if isinstance(found, BuildSnapshot) else None


def _save(path: Path, snapshot: BuildSnapshot) -> None:
    try:
        replace_file(path, lambda handle: pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # the next build is a whole one


def quick_rebuild(content: Path, output: Path, as_of: date, settings_file: Path, settings: dict[str, Any],
                  config: SiteConfig, cache_dir: Path, snapshot: BuildSnapshot | None) -> QuickResult | None:
    """Patch ``output`` for edits of documents' bodies, or None when a whole build must
    run.  ``snapshot`` is :func:`load_snapshot`'s for ``output``.

    Several edited files (saved together, or a ``git pull``) are patched one after the
    other, each from the output and the snapshot the one before left, as if it were the
    only edit since: each step is the one-file patch.  Every edited file is read and
    checked before anything is written; if a later step cannot be taken (its headings
    changed), the files patched so far stay published and described, and the whole
    build takes it from there."""
    from .incremental import folder_identity, manifest_path

    if snapshot is None or snapshot.output is None or snapshot.output != folder_identity(output):
        return _no("no snapshot of this output")
    others: list[str] = []
    paths = sorted(os.path.normpath(path) for path in discover_files(content, others))
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
            return _no(f"{path} is not a one-file public document")
    if snapshot.key != snapshot_key(content, others, config, as_of, settings_file, settings):
        return _no("code, theme, settings, date, ledger or other content files changed")
    manifest_file = manifest_path(cache_dir, output)
    manifest = _manifest(manifest_file, snapshot)
    if manifest is None:
        return _no("no page fingerprints of this output")
    if not changed:  # the output is what this build would write
        return QuickResult((), [], (), snapshot.public, snapshot.files_written)
    edits = []
    for path, stat in changed:
        record, problems = read_file(Path(path), Path(path).as_posix())
        entry = snapshot.documents[path]
        if record is None or has_errors(problems):
            return _no(f"{path} has errors")
        title = None if record.signature == entry.signature else _new_title(record, entry)
        if record.signature != entry.signature and title is None:
            return _no(f"{path}: front matter (besides the title), references or cited numbers changed")
        edits.append((path, stat, record, title))
    written: set[str] = set()
    for path, stat, record, title in edits:
        applied = _apply_edit(output, content, cache_dir, snapshot, manifest, manifest_file, path, stat, record, title)
        if applied is None:
            return None
        snapshot, manifest, names = applied
        written.update(names)
    return QuickResult(tuple(Path(path).as_posix() for path, _, _, _ in edits), sorted(written),
                       tuple(Path(path).as_posix() for path, _, _, title in edits if title is not None), snapshot.public,
                       snapshot.files_written)


def _new_title(record: FileRecord, entry: DocEntry) -> str | None:
    """The file's new title when that is all that changed of what checks across documents
    read (its signature is the old one's with the old title), else None.  Not for a document
    that repeals or amends others: their statuses give its title as their reason."""
    title = record.values.get("title")
    if not isinstance(title, str) or title == entry.title or record.values.get("repeals") or record.values.get("amends"):
        return None
    as_before = replace(record, values={**record.values, "title": entry.title})
    return title if cross_signature(as_before) == entry.signature else None


def _apply_edit(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, manifest: dict[str, Any],
                manifest_file: Path, path: str, stat: os.stat_result, record: FileRecord, title: str | None,
                ) -> tuple[BuildSnapshot, dict[str, Any], list[str]] | None:
    """Patch the output for the body and ``title`` (if it changed) of the file at ``path``
    (read as ``record``), and save what describes it then; the new snapshot and
    fingerprints, and the files written.  None when the edit reaches further than that
    (nothing written)."""
    from .incremental import folder_identity

    entry = snapshot.documents[path]
    patch = _patch(output, content, cache_dir, snapshot, entry, record.body, record.sha256, title)
    if patch is None:
        return None
    updates, holes, titles, finish = patch
    try:
        staged = _stage(output, updates)
    except OSError as error:  # (a full disk) nothing replaced yet
        raise BuildError(f"writing {output}: {error}") from error
    # From here on the output changes: what describes it is dropped first, so an
    # interruption costs the next build a whole new output, never a stale page.
    snapshot_path(cache_dir, output).unlink(missing_ok=True)
    manifest_file.unlink(missing_ok=True)
    try:
        for scratch, name in staged:
            _move(scratch, output / name)
        finish()
    except OSError as error:
        for scratch, _ in staged:
            Path(scratch).unlink(missing_ok=True)
        raise BuildError(f"updating {output}: {error}", partial=True) from error
    identity = folder_identity(output)
    pages = {name: key for name, key in (manifest.get("pages") or {}).items() if name not in updates}
    manifest = {"output": identity, "pages": pages}
    replace_file(manifest_file, lambda handle: handle.write(json.dumps(manifest, sort_keys=True).encode("utf-8")))
    snapshot = snapshot._replace(
        output=identity, files={**snapshot.files, path: (stat.st_mtime_ns, stat.st_size)},
        documents={**snapshot.documents, path: entry._replace(sha256=record.sha256, signature=record.signature,
                                                              title=title if title is not None else entry.title)},
        holes={**snapshot.holes, **holes}, search_size=finish.search_size, search_generation=finish.search_generation,
        titles={**snapshot.titles, **titles} if snapshot.titles is not None else None)
    _save(snapshot_path(cache_dir, output), snapshot)
    return snapshot, manifest, sorted(updates)


class _Finish:
    """What is kept besides the output once it is written (search records, the kept index)."""

    def __init__(self, search_size: int | None, search_generation: str) -> None:
        self.search_size, self.search_generation = search_size, search_generation
        self.steps: list[Callable[[], None]] = []

    def __call__(self) -> None:
        for step in self.steps:
            step()


def _patch(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, entry: DocEntry, body: str,
           sha256: str, title: str | None = None,
           ) -> tuple[dict[str, bytes], dict[str, PageHole], dict[str, PackedHoles], _Finish] | None:
    """The new bytes of every output file the edit changes, the pages' new body and title
    holes, and what to keep once they are written; None when the edit reaches further."""
    from disclosure.render_cache import BodyCache

    from .feeds import entry_id, summary_text
    from .pages import page_body_html, table_of_contents
    from .retitle import retitle_feed_entry

    updates: dict[str, bytes] = {}
    holes: dict[str, PageHole] = {}
    titles: dict[str, PackedHoles] = {}

    def current(name: str) -> bytes | None:
        return updates[name] if name in updates else _read(output / name)

    if title is not None and not _retitle(output, snapshot, entry, title, updates, holes, titles):
        return None
    bodies = BodyCache(snapshot.numbers, cache_dir / f"bodies-{path_key(content)}.sqlite")
    html = bodies.html(body)
    targets = snapshot.targets
    for name in entry.pages:
        hole = holes.get(name, snapshot.holes.get(name))
        if hole is None:
            return _no(f"{name}: no recorded body")
        page_body = str(page_body_html(html, hole.root, lambda doc_id, version: (doc_id, version) in targets))
        if toc_digest(table_of_contents(page_body)) != hole.toc:
            return _no("headings changed: the table of contents with them")
        page = _text(current(name))
        if len(page) != hole.size:
            return _no(f"{name} is not the page the snapshot describes")
        updates[name] = (page[:hole.start] + page_body + page[hole.start + hole.length:]).encode("utf-8")
        holes[name] = hole._replace(length=len(page_body), size=hole.size - hole.length + len(page_body))
        page_titles = titles.get(name, snapshot.titles.get(name) if snapshot.titles is not None else None)
        if page_titles is not None:  # the titles after the body move with it
            titles[name] = pack(shift_holes(unpack(page_titles), hole.start, len(page_body) - hole.length))
    summary = escape(summary_text(body)).encode("utf-8")
    marker = f"<id>{entry_id(snapshot.organ, entry.doc_id)}</id>".encode("utf-8")
    for name in snapshot.feeds.get(entry.doc_id, ()):
        data = _read(output / name)
        at = data.find(marker) if data is not None else -1
        if title is not None and data is not None and at >= 0:
            retitled = retitle_feed_entry(data, at, entry.title, title)
            if retitled is None:
                return _no(f"{name}: the entry's title is not where the snapshot says")
            at += len(retitled) - len(data)
            data = retitled
        start = data.find(b'<summary type="text">', at) if at >= 0 else -1
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
    if snapshot.search_size is not None and not _patch_search(output, content, cache_dir, snapshot, entry, body,
                                                              title, updates, finish):
        return None
    for name in [name for name, data in updates.items() if _read(output / name) == data]:
        del updates[name]  # (a body edit that changes nothing a reader sees: whitespace)
    return updates, holes, titles, finish


def _retitle(output: Path, snapshot: BuildSnapshot, entry: DocEntry, title: str, updates: dict[str, bytes],
             holes: dict[str, PageHole], titles: dict[str, PackedHoles]) -> bool:
    """Add to ``updates`` every page and data file with the document's new title, and the
    pages' holes as they then are; False when only a whole build will do."""
    from .pages import DATA_FILES, LEDGER_FILES
    from .retitle import retitle_documents, retitle_ledger, retitle_page

    if snapshot.titles is None:
        return bool(_no("where pages show titles is not known"))
    doc_id = entry.doc_id
    for name, packed in snapshot.titles.items():
        if doc_id not in packed[0]:
            continue
        page = _text(_read(output / name))
        body_hole = snapshot.holes.get(name)
        retitled = retitle_page(page, unpack(packed), doc_id, entry.title, title)
        if retitled is None or (body_hole is not None and len(page) != body_hole.size):
            return bool(_no(f"{name} is not the page the snapshot describes"))
        text, page_holes, moved = retitled
        titles[name] = pack(page_holes)
        updates[name] = text.encode("utf-8")
        if body_hole is not None:
            holes[name] = body_hole._replace(start=moved(body_hole.start), size=len(text))
    documents = _read(output / DATA_FILES[0]), _read(output / DATA_FILES[1])
    ledger = _read(output / LEDGER_FILES[1]), _read(output / LEDGER_FILES[0])
    retitled = retitle_documents(*documents, doc_id, entry.title, title) if None not in documents else None
    if retitled is None:
        return bool(_no("the data export does not show the title where the snapshot says"))
    updates[DATA_FILES[0]], updates[DATA_FILES[1]] = retitled
    if ledger != (None, None):
        retitled = retitle_ledger(*ledger, f"documents/{doc_id}/", entry.title, title) if None not in ledger else None
        if retitled is None:
            return bool(_no("the ledger's files do not show the title where the snapshot says"))
        updates[LEDGER_FILES[1]], updates[LEDGER_FILES[0]] = retitled
    return True


def _patch_search(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, entry: DocEntry, body: str,
                  title: str | None, updates: dict[str, bytes], finish: _Finish) -> bool:
    """Add the search export's changed files to ``updates`` and the keeping of its records
    and index to ``finish``; False when only a whole export will do."""
    from disclosure_search.export_patch import patch_export
    from disclosure_search.index import search_files
    from disclosure_search.records import SearchRecord, markdown_to_text
    from disclosure_search.token_cache import TokenCache

    records_file = search_files(cache_dir, content).records
    split = (_read(records_file) or b"").split(b"\n")
    try:
        old = SearchRecord.from_json(json.loads(split[entry.record_line]))
    except (IndexError, ValueError, TypeError):
        old = None
    if old is None or old.id != entry.doc_id or not snapshot.search_generation:
        return bool(_no("the search records or index kept are not the published ones"))
    record = replace(old, text=markdown_to_text(body), title=old.title if title is None else title)
    patch = patch_export(output / "search", record, TokenCache(cache_dir / f"search-tokens-{path_key(content)}"),
                         snapshot.search_size, generation=snapshot.search_generation)
    if patch is None:  # (mostly: the mean body length moved a 1/16 token step, which moves every score)
        return bool(_no("the search export changes beyond the edited document's terms"))
    updates.update({f"search/{name}": data for name, data in patch.files.items()})
    split[entry.record_line] = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    tokens = patch.cache

    def keep_index() -> None:
        patch.save()
        finish.search_generation = tokens.generation  # ("" if it could not be kept: no quick rebuild next)

    finish.steps += [lambda: _replace(records_file, b"\n".join(split)), keep_index]
    finish.search_size = patch.postings_size
    return True


def _manifest(path: Path, snapshot: BuildSnapshot) -> dict[str, Any] | None:
    """The page fingerprints at ``path``, if they describe the output the snapshot does."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("output") == snapshot.output else None


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
    """Write each update beside the file it replaces; ``(scratch file, name)`` of each.
    All are written before any replaces its file: a failure leaves the output as it was."""
    staged: list[tuple[str, str]] = []
    try:
        for name, data in sorted(updates.items()):
            path = output / name
            handle, scratch = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
            staged.append((scratch, name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(scratch, os.stat(path).st_mode & 0o7777)  # as the file it replaces
    except BaseException:
        for scratch, _ in staged:
            Path(scratch).unlink(missing_ok=True)
        raise
    return staged


def _move(scratch: str, path: Path) -> None:
    """Replace ``path`` by a rename: no reader sees half a file."""
    os.replace(scratch, path)


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` by a rename (the search records)."""
    [(scratch, _)] = _stage(path.parent, {path.name: data})
    _move(scratch, path)
