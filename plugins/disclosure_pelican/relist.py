"""A rebuild after an edit that moves a document from one list to another: its topic.

A topic edit changes more than the places that print the document's topic: both topics'
list pages (every page prints the list's count, and the rows after the document's place
move), the counts of the catalogue and of the register's filters (and their order), the
sitemap's dates of the lists' pages, and the search export.  :mod:`.quick` hands such an
edit here when the topic is all that changed of what checks across documents read
(:func:`listed_changes`).

Everything about the document itself is the quick rebuild's patch (:func:`~.quick._patch`):
its topic where pages print it (a whole build notes those places as it notes titles:
:data:`~.printed.LISTED_FIELDS`), its body, the data export's line, the feeds'
summaries, the search export.  Then the pages whose contexts hold the lists are rendered
again, with the whole build's own code (:meth:`~.generator.DisclosureGenerator.render_page`)
and a page model made from the corpus loaded without the bodies of unchanged files: the
two topics' list pages, and the pages that show listings or the register's filters
(catalogue, guide, search, 404, register).  Their lines of the sitemap follow; where the
pages and their order change (a topic's page count), the whole sitemap.  A topic new to
the site, or left by its last document, adds or removes a list (and a slug): the whole
build.

Tests compare the result with a whole build of the same content, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from disclosure.config import SiteConfig
from disclosure.files import FileRecord, cross_signature
from disclosure.problems import ContentError

from .printed import LISTED_FIELDS, pack
from .quick import BuildRecorder, BuildSnapshot, DocEntry, _no, _patch, _read, _text, publish_edit

LIST_CONTEXT_KEYS = ("listings", "facets")
"""What the context of a page that shows lists or the register's filters holds."""


def listed_changes(record: FileRecord, entry: DocEntry) -> dict[str, tuple[str, str]] | None:
    """The file's changed :data:`~.printed.LISTED_FIELDS` when they are all that changed of
    what checks across documents read (its signature is the old one's with their old values
    put back); else None.  Each had a value and still has one (a topic that goes or comes
    changes what the document's page shows around it)."""
    changes = {}
    for name in LISTED_FIELDS:
        old, new = entry.printed.get(name), record.values.get(name)
        if new != old:
            if not (isinstance(old, str) and old and isinstance(new, str) and new):
                return None
            changes[name] = (old, new)
    if not changes:
        return None
    as_before = replace(record, values={**record.values, **{name: old for name, (old, _) in changes.items()}})
    return changes if cross_signature(as_before) == entry.signature else None


def relist(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, manifest: dict[str, Any],
           manifest_file: Path, path: str, stat: os.stat_result, record: FileRecord,
           changes: dict[str, tuple[str, str]], files: list[str], settings_file: Path, config: SiteConfig,
           as_of: date, labels: dict[str, str]) -> tuple[BuildSnapshot, dict[str, Any], list[str]] | None:
    """Publish the edit of the file at ``path`` (read as ``record``) whose ``changes`` move
    its document between lists; the new snapshot and fingerprints and the files written,
    or None when the whole build must run (nothing written).  ``files``: every document
    file; ``labels``: the site's."""
    from .build import BuildError, read_settings
    from .pages import SITEMAP
    from .state import BuildState

    entry = snapshot.documents[path]
    if snapshot.printed is None or snapshot.topics is None:
        return _no("where pages print titles, numbers and topics is not known")
    old_topic, new_topic = changes["topic"]
    if snapshot.topics.get(old_topic, 0) < 2 or new_topic not in snapshot.topics:
        gone = snapshot.topics.get(old_topic, 0) < 2
        return _no(f"the topic {old_topic if gone else new_topic} is new to the site or gone from it")
    patch = _patch(output, content, cache_dir, snapshot, entry, record.body, record.sha256, changes, snapshot.numbers,
                   set(), labels, {path: record.body})
    if patch is None:
        return None
    updates, holes, compares, printed, finish = patch
    try:  # (only the lists need the other documents: their bodies are not read)
        state = BuildState.load(content, as_of, config, cache_dir=cache_dir, paths=[Path(name) for name in files],
                                need_bodies=False)
    except ContentError:
        return _no("the content has errors")
    doc = state.public.get(entry.doc_id)
    if doc is None or any(getattr(doc, name) != new for name, (_, new) in changes.items()):
        return _no(f"{path} is not the public document the snapshot describes")
    scratch = Path(tempfile.mkdtemp(prefix=f".{output.name}-relisting-", dir=output.parent))
    try:
        try:
            settings = read_settings(settings_file, {"PATH": str(content), "OUTPUT_PATH": str(scratch),
                                                     "DISCLOSURE_STATE": state, "DELETE_OUTPUT_DIRECTORY": False})
        except ValueError as error:
            raise BuildError(f"{settings_file}: {error}") from error
        state.search = bool(settings.get("DISCLOSURE_SEARCH", True))
        rendered = _render(state, settings, scratch, changes, _text(_read(output / SITEMAP)), snapshot.topics)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if rendered is None:
        return None
    pages, recorder = rendered
    if any(places is None for places in recorder.printed.values()):
        return _no("a page's printed places could not be noted")
    updates.update(pages)
    printed.update({name: pack(places) for name, places in recorder.printed.items() if places is not None})
    updates = {name: data for name, data in updates.items() if _read(output / name) != data}
    topics = dict(snapshot.topics)
    topics[old_topic] -= 1
    topics[new_topic] += 1
    fields: dict[str, Any] = {"topics": topics, "holes": holes, "compares": compares, "printed": printed}
    if snapshot.fields_used is not None and not recorder.fields_used <= snapshot.fields_used:
        fields["fields_used"] = snapshot.fields_used | frozenset(recorder.fields_used)
    return publish_edit(output, cache_dir, snapshot, manifest, manifest_file, path, stat, record, changes, updates,
                        finish, fields)


def _render(state: Any, settings: dict[str, Any], scratch: Path, changes: dict[str, tuple[str, str]], sitemap: str,
            counts: dict[str, int]) -> tuple[dict[str, bytes], BuildRecorder] | None:
    """The pages that show the changed lists as a whole build writes them, with the
    sitemap (``sitemap``: as published) updated for them (by name), and what their
    rendering noted; None when a list is new or gone.  ``counts``: each topic's documents
    before the edit."""
    from pelican import Pelican
    from pelican.writers import Writer

    from .generator import DisclosureGenerator
    from .pages import SITEMAP, paged_names
    from .sitemap import sitemap_line, sitemap_loc

    pelican = Pelican(settings)
    context = {**pelican.settings, "generated_content": {}, "static_links": set(), "static_content": {},
               "localsiteurl": pelican.settings["SITEURL"]}  # (as Pelican.run shares it)
    generator = DisclosureGenerator(context=context, settings=pelican.settings, path=pelican.path, theme=pelican.theme,
                                    output_path=pelican.output_path)
    generator.bodies_up_front = False  # (none is shown)
    generator.generate_context()
    model = generator.model
    if model.extra_pages:
        return _no("other plugins add pages (DISCLOSURE_EXTRA_PAGES)")
    chosen = [page for page in model.site_pages() if any(key in page.context for key in LIST_CONTEXT_KEYS)]
    chosen.append(model.not_found())
    for name, (old, new) in changes.items():
        for value in (old, new):
            listing = model.listing(name, value)
            if listing is None:
                return _no(f"the {name} {value} is new to the site or gone from it")
            chosen += model.list_pages(listing)
    recorder = state.recorder = BuildRecorder(page_names=[page.name for page in chosen])
    generator.printed.on = recorder.printed_known = True
    generator.printed.used = recorder.fields_used
    writer = Writer(str(scratch), settings=pelican.settings)
    css = Path(generator.theme, "static", "css", "site.css").read_text(encoding="utf-8")
    for page in chosen:
        generator.render_page(page, generator.page_context(page, css), writer)
    pages = {page.name: (scratch / page.name).read_bytes() for page in chosen}
    lines = sitemap.split("\n")
    at = {line[:line.index("</loc>") + len("</loc>")]: i for i, line in enumerate(lines) if "</loc>" in line}
    listed = [page for page in chosen if page.in_sitemap]
    same_pages = all(len(paged_names("", counts[value], model.per_page))
                     == len(paged_names("", len(model.listing(name, value).documents), model.per_page))
                     for name, change in changes.items() for value in change)
    if same_pages and all(sitemap_loc(page.url, model.siteurl) in at for page in listed):
        for page in listed:  # (the same pages: their lines, in their places)
            lines[at[sitemap_loc(page.url, model.siteurl)]] = sitemap_line(page.url, page.lastmod, model.siteurl)
        pages[SITEMAP] = "\n".join(lines).encode("utf-8")
    else:  # a topic's pages come or go: the sitemap of every page
        pages[SITEMAP] = generator.sitemap_text().encode("utf-8")
    return pages, recorder
