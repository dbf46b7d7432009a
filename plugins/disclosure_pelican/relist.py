"""A rebuild after an edit that moves a document from some lists to others: its topic, or
its issuers (:data:`~.printed.LISTED_FIELDS`).

Such an edit changes more than the places that print the document's topic or issuers:
the list pages of each topic or issuer it leaves or joins (every page prints the list's
count, and the rows after the document's place move; a list may gain or lose a page, a
value may be new or left with no document), the counts of the catalogue and of the
register's filters (and their order), the sitemap, and the search export.  :mod:`.quick`
hands such an edit here when those fields are all that changed of what checks across
documents read (:func:`listed_changes`).

Everything about the document itself is the quick rebuild's patch (:func:`~.quick._patch`):
its topic and issuers where pages print them (a whole build notes those places as it
notes titles), its body, the data export's and the ledger's lines, the feeds' entries, the
search export.  Meanwhile, in a forked process on two cores, the pages whose contexts
hold lists are rendered again with the whole build's own code
(:meth:`~.generator.DisclosureGenerator.render_page`): the changed lists' pages from the
document's place on and the pages that show listings (catalogue, guide, search, 404),
half of them by a third process when there are many.  A changed list's pages before the
document's place show the same documents as before: while the list keeps its number of
pages, their count of the list's documents is replaced where the build noted it, and
they are not rendered (an issuer edit of the benchmark's probe, published in 2014, at
10,000 documents: 97 pages rendered rather than some 350).  The pages are made from the
public corpus without bodies that the last whole build kept (:class:`KeptLists`), with
the documents of files edited since made again.  The register, whose filters count the
documents in force by topic, issuer and year, gets its changed counts replaced where the
build noted them (:class:`~.printed.MarkedCount`) while its choices keep their order,
else is rendered again.  The sitemap's lines of those pages follow, and list pages that
are gone are deleted.  A new value whose name would change another's address (two names with one
slug), and an issuer edit that moves the document in or out of the issuers an annual
report counts, take the whole build.

Tests compare the result with a whole build of the same content, byte for byte.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import shutil
import tempfile
from array import array
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeVar

from disclosure.config import SiteConfig
from disclosure.corpus import Corpus, assemble_together
from disclosure.document import Document
from disclosure.files import VERSION_FILE, FileRecord, path_key, read_file
from disclosure.keyed_store import replace_file
from disclosure.problems import ContentError, has_errors

from .printed import (LIST_FIELDS, LIST_TOTAL_KEY, LISTED_FIELDS, MARK_CHARS, PackedHoles, PrintedHole, facet_key,
                      pack, replace_values, unpack)
from .quick import (REMOVED, SEARCH_FILES, BuildRecorder, BuildSnapshot, DocEntry, SearchApart, _manifest, _no, _patch,
                    _printed_changes, _read, _text, listed_counts, publish_edit)
from .reprint import Changes

log = logging.getLogger(__name__)
T = TypeVar("T")
LIST_CONTEXT_KEYS = ("listings", "facets")
"""What the context of a page that shows lists or the register's filters holds."""
KEPT_FORMAT = 2
SPLIT_RENDERING_MIN = 40
"""Pages to render from which the rendering of the lists is shared by two processes."""
PAGE_WEIGHT = 20
"""A page's own work in :func:`_halves`, in documents listed."""


class KeptLists(NamedTuple):
    """What the lists are made from, as a whole build with the cache leaves it: loaded in a
    tenth of the time the corpus takes (0.12 against 0.63 s at 10,000 documents).  Files
    changed since (edits the quick rebuilds took) are read again and their documents put
    in place of the kept ones (:func:`_kept_public`)."""

    format: int
    key: str
    """The snapshot's key (:func:`~.quick.snapshot_key`) of the build that kept it."""
    files: dict[str, tuple[int, int]]
    """Every document file (normalised path) → modification time and size, as it read them."""
    documents: tuple[Document, ...]
    """The public documents, without their versions' bodies (nor references, task tables,
    front-matter values or lines)."""
    file_names: frozenset[str]
    """Every file the build wrote (:attr:`~.pages.SiteModel.file_names`)."""
    paths: dict[str, str]
    """Each public document's files (normalised paths) → its id."""


def kept_path(cache_dir: Path, output: Path) -> Path:
    return cache_dir / f"lists-{path_key(output)}.pickle"


class ListsKeeping:
    """:func:`keep_lists` in a forked process (0.26 s at 10,000 documents) while the whole
    build publishes its output and saves its snapshot; in this process at :meth:`wait`
    when it cannot fork."""

    def __init__(self, cache_dir: Path, output: Path, key: str, files: dict[str, tuple[int, int]], public: Corpus,
                 file_names: frozenset[str]) -> None:
        from .forked import Forked, can_fork

        self.path = kept_path(cache_dir, output)
        self._keep = lambda: keep_lists(cache_dir, output, key, files, public, file_names)
        self._process = Forked(self._keep, "keeping the lists") if can_fork() else None

    def wait(self) -> None:
        """Once the build's snapshot is saved: the lists kept (or, failing that, none)."""
        if self._process is None:
            self._keep()
            return
        try:
            self._process.result()
        except RuntimeError as error:
            log.debug("%s", error)
            self.path.unlink(missing_ok=True)

    def cancel(self) -> None:
        """The build failed: the lists it would keep are no output's."""
        if self._process is not None:
            self._process.cancel()
            # (a child stopped while writing leaves its temporary file: replace_file's name)
            self.path.with_name(f".{self.path.name}.{self._process.pid}.tmp").unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)


def keep_lists(cache_dir: Path, output: Path, key: str, files: dict[str, tuple[int, int]], public: Corpus,
               file_names: frozenset[str]) -> None:
    """Keep what a later topic edit makes the lists from (after a whole build)."""
    documents = tuple(replace(doc, key_lines={}, versions=tuple(replace(version, body="", refs=None, tasks=None, meta={})
                                                                for version in doc.versions)) for doc in public)
    paths = {os.path.normpath(version.path.as_posix()): doc.id for doc in public for version in doc.versions}
    kept = KeptLists(KEPT_FORMAT, key, files, documents, file_names, paths)
    try:
        replace_file(kept_path(cache_dir, output),
                     lambda handle: pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        kept_path(cache_dir, output).unlink(missing_ok=True)


def _kept_public(cache_dir: Path, output: Path, snapshot: BuildSnapshot, files: dict[str, tuple[int, int]], as_of: date,
                 reread: frozenset[str] = frozenset()) -> tuple[Corpus, frozenset[str]] | None:
    """The public corpus (the bodies of files unchanged since it was kept left out) and the
    files the last whole build wrote, from the :class:`KeptLists` of the snapshot's build;
    None when there is none to use.  ``files``: every document file as it is now;
    ``reread``: documents read again from their files all the same (their pages are
    rendered: :mod:`.restatus`)."""
    try:
        with open(kept_path(cache_dir, output), "rb") as handle:
            kept = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
        return None
    if not isinstance(kept, KeptLists) or kept.format != KEPT_FORMAT or kept.key != snapshot.key:
        return None
    changed = {path for path in files.keys() | kept.files.keys() if files.get(path) != kept.files.get(path)}
    changed |= {path for path, doc_id in kept.paths.items() if doc_id in reread}
    by_id = {doc.id: doc for doc in kept.documents}
    if changed:
        # Each changed file's document is made again from its files, as a whole load makes it.
        path_of = kept.paths
        groups = {os.path.dirname(path) if VERSION_FILE.match(os.path.basename(path)) else path for path in changed}
        for group in sorted(groups):
            paths = sorted(path for path in files if path == group or os.path.dirname(path) == group
                           and VERSION_FILE.match(os.path.basename(path)))
            records = []
            for path in paths:
                record, problems = read_file(Path(path), Path(path).as_posix())
                if record is None or has_errors(problems):
                    return None
                records.append(record)
            gone = [path for path in changed if path not in files and (path == group or os.path.dirname(path) == group)]
            old = {doc_id: by_id.pop(doc_id) for doc_id in {path_of[path] for path in paths + gone if path in path_of}
                   if doc_id in by_id}
            doc = assemble_together(records) if records else None
            if records and doc is None:
                return None
            public = Corpus([doc]).public(as_of).documents if doc is not None else ()
            for new in public:
                if not new.index_number_assigned:  # (provisional: numbered with the others of its year)
                    previous = old.get(new.id)
                    if previous is None or previous.index_number_assigned or previous.published.year != new.published.year:
                        return None
                    new = replace(new, index_number=previous.index_number)
                by_id[new.id] = new
    return Corpus(by_id.values()), kept.file_names


def listed_values(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """The lists a value of one of :data:`~.printed.LISTED_FIELDS` puts a document in (a
    topic's, or each issuer's)."""
    return value if isinstance(value, tuple) else (value,)


def moved_lists(changes: Changes) -> list[tuple[str, str]]:
    """``(field, value)`` of each list the document joins or leaves by ``changes``."""
    return sorted((name, value) for name, (old, new) in changes.items()
                  for value in set(listed_values(old)) ^ set(listed_values(new)))


def _list_page_names(name: str, slug: str, count: int, per_page: int) -> list[str]:
    """The pages of the list of a ``name`` (a field) value with ``count`` documents."""
    from .pages import KIND_DIRS, paged_names

    return paged_names(f"{KIND_DIRS[name]}/{slug}/", count, per_page) if count else []


def listed_changes(record: FileRecord, entry: DocEntry) -> dict[str, tuple[Any, Any]] | None:
    """The file's changed :data:`~.printed.LISTED_FIELDS` when they are all that changed of
    what checks across documents read, else None: :func:`~.quick._printed_changes` of those
    fields (each had a value and still has one)."""
    return _printed_changes(record, entry, LISTED_FIELDS, ())


class _Lists(NamedTuple):
    """What the pages that show lists became (:func:`_lists`)."""

    pages: dict[str, bytes]
    """The pages rendered again (or new) and the sitemap, by name."""
    removed: tuple[str, ...]
    """The list pages gone (a topic left by its last document, or by the last of a page's)."""
    printed: dict[str, PackedHoles]
    """Where the pages rendered again print titles, numbers and counts."""
    fields_used: frozenset[str]
    recounts: dict[str, dict[str, tuple[str, str]]]
    """Pages with the register's filters left as they were but for counts: each count's
    place key → its text before and after."""
    kept: bool
    """Whether the lists were made from the kept corpus."""


def relist(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot,
           manifest_file: Path, path: str, stat: os.stat_result, record: FileRecord,
           changes: Changes, files: list[str], settings_file: Path, values: dict[str, Any],
           config: SiteConfig, as_of: date) -> tuple[BuildSnapshot, dict[str, Any], list[str]] | None:
    """Publish the edit of the file at ``path`` (read as ``record``) whose ``changes`` move
    its document between lists; the new snapshot and fingerprints and the files written,
    or None when the whole build must run (nothing written).  ``files``: every document
    file; ``values``: the settings file's.

    The document's own patch (mostly the search export's) and the pages that show lists
    are independent: on two cores the lists are made in a forked process meanwhile
    (at 10,000 documents, 0.5 and 0.8 s).  ``manifest_file``: the page fingerprints,
    read once that process runs."""
    from .forked import Forked, can_fork
    from .labels import labels_for
    from .pages import unique_slugs

    entry = snapshot.documents[path]
    if snapshot.printed is None or snapshot.listed is None:
        return _no("where pages print titles, numbers, topics and issuers is not known")
    if any(name in LIST_FIELDS and (snapshot.fields_used is None or name in snapshot.fields_used) for name in changes):
        return _no("a page uses the issuers otherwise than joined or as JSON (the theme does), or that is not known")
    if "issuer" in changes:
        old, new = (set(value) for value in changes["issuer"])
        if snapshot.counted_issuers is None or any(bool(old & counted) != bool(new & counted)
                                                   for counted in snapshot.counted_issuers):
            return _no("an annual report counts the documents of some issuers only, and this one's issuers "
                       "move it in or out")
    listed = {name: dict(counts) for name, counts in snapshot.listed.items()}
    slugs: dict[str, dict[str, str]] = {}
    for name, (old, new) in changes.items():
        if any(len(set(listed_values(value))) != len(listed_values(value)) for value in (old, new)):
            return _no(f"a {name} is given twice")
        counts = listed[name]
        for value in set(listed_values(old)) - set(listed_values(new)):
            counts[value] -= 1
            if not counts[value]:
                del counts[value]
        for value in set(listed_values(new)) - set(listed_values(old)):
            counts[value] = counts.get(value, 0) + 1
        before, after = unique_slugs(snapshot.listed[name]), unique_slugs(counts)
        if any(before[value] != after[value] for value in before.keys() & after.keys()):
            return _no(f"a {name}'s list moves to another address (two names make the same slug)")
        slugs[name] = {**before, **after}
    now = {**snapshot.files, path: (stat.st_mtime_ns, stat.st_size)}

    def lists() -> _Lists | str:
        return _lists(output, content, cache_dir, snapshot, now, files, settings_file, values, config, as_of, changes,
                      entry.doc_id, slugs)

    helper = Forked(lists, "the list pages") if can_fork() else None
    # The search export's patch (0.3–0.6 s at 10,000 documents, with the word segmenter's
    # import) in a process of its own too: the three share the two cores.
    searching = SearchApart(output, content, cache_dir, snapshot, entry, record.body, changes) \
        if helper is not None and snapshot.search_size is not None else None
    helpers = [process for process in (helper, searching) if process is not None]
    try:
        manifest = _manifest(manifest_file, snapshot)
        patch = None if manifest is None else _patch(
            output, content, cache_dir, snapshot, entry, record.body, record.sha256, changes, snapshot.numbers, set(),
            labels_for(values.get("SITE_LANGUAGE", "zh")), {path: record.body}, search=searching is None)
        if patch is None:
            for process in helpers:
                process.cancel()
            return _no("no page fingerprints of this output") if manifest is None else None
        # The patched search index kept now, while the lists' process runs
        patch[4].keep_early()
        if searching is not None:
            why = searching.take(patch[0], patch[4])
            if why is not None:
                if helper is not None:
                    helper.cancel()
                return _no(why)
            searching.keep(patch[4])
        made = helper.result() if helper is not None else lists()
    except Exception as error:  # (a template's, say: the whole build meets it again, and reports it)
        for process in helpers:
            process.cancel()  # (still running when this process failed: it would wait to be read)
        return _no(f"making the list pages failed: {error}")
    except BaseException:
        for process in helpers:
            process.cancel()
        raise
    if isinstance(made, str):
        return _no(made)
    if made.kept:
        log.debug("relist: the lists made from the kept corpus")
    updates, holes, compares, printed, finish = patch
    if not recount(output, snapshot, made.recounts, updates, printed):
        return None
    updates.update(made.pages)
    printed.update(made.printed)
    updates = {name: data for name, data in updates.items()
               if name.startswith(SEARCH_FILES) or _read(output / name) != data}  # (the search's: left out already)
    fields: dict[str, Any] = {"listed": listed, "holes": holes, "compares": compares, "printed": printed}
    if made.removed:
        fields[REMOVED] = {"printed": list(made.removed)}
    if snapshot.fields_used is not None and not made.fields_used <= snapshot.fields_used:
        fields["fields_used"] = snapshot.fields_used | made.fields_used
    return publish_edit(output, cache_dir, snapshot, manifest, manifest_file, path, stat, record, changes, updates,
                        finish, fields, made.removed)


def _lists(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, now: dict[str, tuple[int, int]],
           files: list[str], settings_file: Path, values: dict[str, Any], config: SiteConfig, as_of: date,
           changes: Changes, doc_id: str, slugs: dict[str, dict[str, str]]) -> _Lists | str:
    """The pages that show the changed lists, made again; or why they cannot be.  ``now``:
    every document file as it is; ``slugs``: each changed field's, each value's slug
    before and after the edit."""
    from .pages import DEFAULT_PER_PAGE, SITEMAP
    from .state import BuildState

    kept = _kept_public(cache_dir, output, snapshot, now, as_of)
    file_names = None
    if kept is not None:
        state = BuildState(kept[0], kept[0], as_of, config, content, cache_dir=cache_dir)
        file_names = _file_names(kept[1], kept[0], snapshot.listed or {}, changes,
                                 values.get("DISCLOSURE_PER_PAGE", DEFAULT_PER_PAGE), slugs)
    else:
        try:  # (only the lists need the other documents: their bodies are not read)
            state = BuildState.load(content, as_of, config, cache_dir=cache_dir, paths=[Path(name) for name in files],
                                    need_bodies=False)
        except ContentError:
            return "the content has errors"
    doc = state.public.get(doc_id)
    if doc is None or any(getattr(doc, LIST_FIELDS.get(name, name)) != new for name, (_, new) in changes.items()):
        return f"{doc_id} is not the public document the snapshot describes"
    made = with_settings(output, content, settings_file, state, lambda settings, scratch: _render(
        settings, scratch, changes, _text(_read(output / SITEMAP)), snapshot.listed or {}, file_names, doc_id, slugs))
    return made if isinstance(made, str) else made._replace(kept=kept is not None)


def with_settings(output: Path, content: Path, settings_file: Path, state: Any,
                  make: Callable[[dict[str, Any], Path], T]) -> T | str:
    """``make(settings, scratch)``: the settings file's settings for a build of ``state``
    into a scratch folder beside ``output`` (removed afterwards), where a rebuild renders a
    few pages; or why the settings cannot be read."""
    from .build import read_settings

    scratch = Path(tempfile.mkdtemp(prefix=f".{output.name}-rendering-", dir=output.parent))
    try:
        try:
            settings = read_settings(settings_file, {"PATH": str(content), "OUTPUT_PATH": str(scratch),
                                                     "DISCLOSURE_STATE": state, "DELETE_OUTPUT_DIRECTORY": False})
        except ValueError as error:
            return f"{settings_file}: {error}"
        state.search = bool(settings.get("DISCLOSURE_SEARCH", True))
        return make(settings, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def recount(output: Path, snapshot: BuildSnapshot, recounts: dict[str, dict[str, tuple[str, str]]],
            updates: dict[str, bytes], printed: dict[str, PackedHoles]) -> bool:
    """Put into ``updates`` (and their places into ``printed``) the pages whose counts
    only change, ``recounts`` (:attr:`_Lists.recounts`); False when one is not as the
    snapshot describes it."""
    for name, texts in recounts.items():
        page = _text(updates[name] if name in updates else _read(output / name))
        counted = _recounted(page, printed.get(name, (snapshot.printed or {}).get(name)), texts)
        if counted is None:
            return bool(_no(f"{name} is not the page the snapshot describes"))
        log.debug("relist: %s: the filter counts replaced", name)
        updates[name], printed[name] = counted[0].encode("utf-8"), counted[1]
    return True


def _render(settings: dict[str, Any], scratch: Path, changes: Changes, sitemap: str,
            counts: dict[str, dict[str, int]], file_names: frozenset[str] | None, doc_id: str,
            slugs: dict[str, dict[str, str]]) -> _Lists | str:
    """The pages that show the changed lists as a whole build writes them, with the
    sitemap (``sitemap``: as published) updated for them; or why they cannot be.
    ``counts``: each listed field's values' documents before the edit; ``file_names``:
    every file of the site once it is published, when known.  A page with the register's
    filters whose choices keep their order is not rendered: its counts' new texts are
    given instead."""
    from .pages import SITEMAP
    from .sitemap import sitemap_with

    generator = page_generator(settings, file_names)
    model = generator.model
    if model.extra_pages:
        return "other plugins add pages (DISCLOSURE_EXTRA_PAGES)"
    chosen = [page for page in model.site_pages() if any(key in page.context for key in LIST_CONTEXT_KEYS)]
    chosen.append(model.not_found())
    removed: list[str] = []
    recounts = {}
    for name, value in moved_lists(changes):
        listing = model.listing(name, value)
        if listing is None and value in listed_values(changes[name][1]):
            return f"the document is not in the list of its {name} {value}"
        pages_now = list(model.list_pages(listing)) if listing is not None else []
        before = _list_page_names(name, slugs[name][value], counts[name].get(value, 0), model.per_page)
        if listing is not None and listing.slug != slugs[name][value]:
            return f"the {name} {value}'s list moves to another address"
        if len(before) == len(pages_now):
            # Its pages before the document's place show the same documents and pages: only
            # their count changes (the main issuer's list has 450 pages at 10,000 documents).
            unchanged = _pages_before(listing.documents, model.public.get(doc_id), model.per_page) \
                if listing is not None else 0
            for page in pages_now[:unchanged]:
                recounts[page.name] = {LIST_TOTAL_KEY: (str(counts[name][value]), str(len(listing.documents)))}
            pages_now = pages_now[unchanged:]
        chosen += pages_now
        removed += sorted(set(before) - {page.name for page in pages_now} - recounts.keys())
    for page in [page for page in chosen if "facets" in page.context]:
        texts = _recount(page.context, doc_id, changes)
        if texts is not None:
            chosen.remove(page)
            recounts[page.name] = texts
    rendered = render_pages(generator, scratch, chosen)
    if isinstance(rendered, str):
        return rendered
    pages, printed, used, _ = rendered
    # (the register's line has no date: as it was)
    patched = sitemap_with(sitemap, [(page.url, page.lastmod) for page in chosen if page.in_sitemap],
                           [name[:-len("index.html")] for name in removed], model.siteurl)
    if patched is None:
        return f"{SITEMAP} is not the sitemap a build writes"
    pages[SITEMAP] = patched.encode("utf-8")
    return _Lists(pages, tuple(removed), printed, used, recounts, False)


def page_generator(settings: dict[str, Any], file_names: frozenset[str] | None) -> Any:
    """The whole build's generator, its page model made from the settings' state, for
    rendering a few pages (``file_names``: every file of the site, when known)."""
    from pelican import Pelican

    from .generator import DisclosureGenerator

    pelican = Pelican(settings)
    context = {**pelican.settings, "generated_content": {}, "static_links": set(), "static_content": {},
               "localsiteurl": pelican.settings["SITEURL"]}  # (as Pelican.run shares it)
    generator = DisclosureGenerator(context=context, settings=pelican.settings, path=pelican.path, theme=pelican.theme,
                                    output_path=pelican.output_path)
    generator.bodies_up_front = False  # (few are shown)
    generator.file_names = file_names
    generator.generate_context()
    return generator


Rendered = tuple[dict[str, bytes], dict[str, PackedHoles], frozenset[str], dict[str, Any]]
"""Pages rendered by :func:`render_pages`: their bytes, where they print titles, numbers
and counts, the fields their templates used otherwise than printing them, and where
document pages hold their bodies (:class:`~.quick.PageHole`)."""


def render_pages(generator: Any, scratch: Path, chosen: list[Any]) -> Rendered | str:
    """``chosen`` pages as a whole build renders them (half of them in another process when
    there are many), or why their printed places could not be noted."""
    from .forked import Forked, can_fork

    # The other half in another process: in a rebuild after an edit of the main issuer's
    # documents, about 380 pages (0.4 s at 10,000 documents), while the build's process
    # waits, its own patch done.
    mine, theirs = _halves(chosen) if can_fork() and len(chosen) >= SPLIT_RENDERING_MIN else (chosen, [])
    helper = Forked(lambda: render_here(generator, scratch, theirs), "half the list pages") if theirs else None
    try:
        pages, places, used, holes = render_here(generator, scratch, mine)
        if helper is not None:
            other = helper.result()
            pages, places, used, holes = ({**pages, **other[0]}, {**places, **other[1]}, used | other[2],
                                          {**holes, **other[3]})
    except BaseException:
        if helper is not None:
            helper.cancel()
        raise
    if any(found is None for found in places.values()):
        return "a page's printed places could not be noted"
    return pages, {name: found for name, found in places.items() if found is not None}, used, holes


def render_here(generator: Any, scratch: Path, pages: list[Any]
                ) -> tuple[dict[str, bytes], dict[str, PackedHoles | None], frozenset[str], dict[str, Any]]:
    """:func:`render_pages` in this process: each page's places None when they could not be noted."""
    state = generator.state
    css = Path(generator.theme, "static", "css", "site.css").read_text(encoding="utf-8")
    recorder = state.recorder = BuildRecorder(page_names=[page.name for page in pages])
    generator.printed.on = recorder.printed_known = True
    generator.printed.used = recorder.fields_used
    writer = _text_writer(str(scratch), generator.settings)
    for page in pages:
        generator.render_page(page, generator.page_context(page, css), writer)
    return ({page.name: writer.texts[page.name].encode("utf-8") for page in pages},
            {name: None if places is None else pack(places) for name, places in recorder.printed.items()},
            frozenset(recorder.fields_used), dict(recorder.holes))


def _halves(pages: list[Any]) -> tuple[list[Any], list[Any]]:
    """``pages`` in two parts of about the same work: a page's is counted by the documents
    it lists (the register of 3,000 documents in force at 10,000 takes as long as 150
    list pages), each page going to the lighter part, the heaviest first."""
    weights = [PAGE_WEIGHT + len(page.context.get("documents", ())) for page in pages]
    parts: tuple[list[int], list[int]] = ([], [])
    loads = [0, 0]
    for index in sorted(range(len(pages)), key=lambda i: (-weights[i], i)):
        lighter = loads[1] < loads[0]
        parts[lighter].append(index)
        loads[lighter] += weights[index]
    return [pages[i] for i in sorted(parts[0])], [pages[i] for i in sorted(parts[1])]


def _text_writer(output_path: str, settings: dict[str, Any]) -> Any:
    """Pelican's writer, keeping each page's text by its name (its ``texts``) rather than
    writing it: the build's process stages the pages that changed into the output."""
    from pelican.writers import Writer

    class TextWriter(Writer):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(output_path, settings=settings)
            self.texts: dict[str, str] = {}

        def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
            return _KeptText(self.texts, Path(filename).relative_to(output_path).as_posix())

    return TextWriter()


class _KeptText(io.StringIO):
    def __init__(self, texts: dict[str, str], name: str) -> None:
        super().__init__()
        self.texts, self.name = texts, name

    def close(self) -> None:
        self.texts[self.name] = self.getvalue()
        super().close()


def _recount(context: dict[str, Any], doc_id: str, changes: Changes
             ) -> dict[str, tuple[str, str]] | None:
    """The counts of the register's filter choices (of a page made from ``context``) that
    the document's new ``changes`` change: their place keys → the texts before and after;
    None when a choice comes, goes or moves (the page is rendered again)."""
    from .pages import SiteModel

    documents = context["documents"]
    before = SiteModel._facets([replace(doc, **{LIST_FIELDS.get(name, name): old for name, (old, _) in changes.items()})
                                if doc.id == doc_id else doc for doc in documents])
    now = context["facets"]
    if any(MARK_CHARS.intersection(value) for choices in now.values() for value, _ in choices):
        return None  # (a choice printed without marks: its places are unknown)
    texts = {}
    for kind, choices in now.items():
        if [value for value, _ in choices] != [value for value, _ in before[kind]]:
            return None
        texts.update({facet_key(kind, value): (str(old), str(count))
                      for (value, count), (_, old) in zip(choices, before[kind]) if count != old})
    return texts


def _pages_before(documents: tuple[Document, ...], doc: Document | None, per_page: int) -> int:
    """How many first pages of a list of ``documents`` (newest first, :func:`~.pages.newest_first`)
    show only documents before ``doc``'s place in it (whether it is in the list or not);
    none when the list is not in that order."""
    if doc is None:
        return 0
    keys = [(other.published, other.id) for other in documents if other.id != doc.id]
    if any(newer <= older for newer, older in zip(keys, keys[1:])):
        return 0
    return sum(key > (doc.published, doc.id) for key in keys) // per_page


def _recounted(page: str, places: PackedHoles | None, texts: dict[str, tuple[str, str]]
               ) -> tuple[str, PackedHoles] | None:
    """``page`` with the counts :func:`_recount` (or a list's count) gives replaced where it
    noted them, and its places then; None when a count is not noted, or a place does not
    hold the count before."""
    if places is None:
        return None
    keys, numbers = places[0], array("i")
    numbers.frombytes(places[1])
    counted = sorted((numbers[2 * i], numbers[2 * i + 1], key) for i, key in enumerate(keys) if key in texts)
    if {key for _, _, key in counted} != texts.keys() \
            or any(page[start:start + length] != texts[key][0] for start, length, key in counted):
        return None
    if any(len(new) != len(old) for old, new in texts.values()):
        text, moved = replace_values(page, unpack(places), lambda key: texts[key][1] if key in texts else None)
        return text, pack(moved)
    # (mostly, the count keeps its number of digits: every place stays where it is, and only
    # the counts' places are needed)
    text, _ = replace_values(page, tuple(PrintedHole(key, start, length) for start, length, key in counted),
                             lambda key: texts[key][1])
    return text, places


def _file_names(names: frozenset[str], public: Corpus, before: dict[str, dict[str, int]], changes: Changes,
                per_page: int, slugs: dict[str, dict[str, str]]) -> frozenset[str]:
    """The files a build writes once the documents ``before`` counted by each listed
    field's values are ``public``: ``names`` (the last whole build's), with the changed
    values' list pages as they now are (``slugs``: each value's)."""
    now = listed_counts(public)
    for name, value in moved_lists(changes):
        slug = slugs[name][value]
        names = names - frozenset(_list_page_names(name, slug, before[name].get(value, 0), per_page))
        names = names | frozenset(_list_page_names(name, slug, now[name].get(value, 0), per_page))
    return names
