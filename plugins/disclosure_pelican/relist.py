"""A rebuild after an edit that moves a document from one list to another: its topic.

A topic edit changes more than the places that print the document: both topics' list
pages (every page prints the list's count, and the rows after the document's place
move), the counts of the catalogue and of the register's filters (and their order),
the register's row, the sitemap's dates of the lists' pages, the data export and the
search export.  :mod:`.quick` hands such an edit here when the topic is all that
changed of what checks across documents read (:func:`listed_changes`).

The corpus is loaded as a whole build loads it, the site model made from it, and then
only the pages whose context can hold the document or a listing are rendered, with the
whole build's own code (:meth:`~.generator.DisclosureGenerator.render_page`): its own
pages, those of the documents it relates to, every list page that lists it or lists
either topic, and every page that is neither a document's nor a list's (the home page,
registers, catalogue, guide, ledger, reports, task tables, search, 404).  The feeds, sitemap and data export are made again whole, as a
whole build makes them.  What differs from the published output replaces it, with the
search export patched for the document's new terms (:func:`~.quick._patch_search`).
Where those pages print titles and numbers and hold bodies is noted again for the
snapshot.  A topic new to the site, or left by its last document, adds or removes a
list (and a slug, a line of every page's ``has_page`` answers): the whole build.

Measured at 10,000 documents this takes about two thirds of the whole rebuild it
replaces: the load of the corpus and the model are most of it (see the README).  Tests
compare the result with a whole build of the same content, byte for byte.
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

from .quick import (LISTED_FIELDS, BuildRecorder, BuildSnapshot, DocEntry, _Finish, _no, _patch_search, _read, pack,
                    publish_edit)

SHA_PAGES = ("ledger/ledger.json", "ledger/ledger.csv", "ledger/index.html")
"""Files besides the data export that show a document's SHA-256 (:data:`.quick.SHA_FILES`)."""


def listed_changes(record: FileRecord, entry: DocEntry) -> dict[str, tuple[str, str]] | None:
    """The file's changed :data:`LISTED_FIELDS` when they are all that changed of what checks
    across documents read (its signature is the old one's with their old values put back);
    else None.  Each had a value and still has one (a topic that goes or comes changes
    what the document's page shows around it)."""
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
           as_of: date) -> tuple[BuildSnapshot, dict[str, Any], list[str]] | None:
    """Publish the edit of the file at ``path`` (read as ``record``) whose ``changes`` move
    its document between lists; the new snapshot and fingerprints and the files written,
    or None when the whole build must run (nothing written).  ``files``: every document file."""
    from .build import BuildError, read_settings
    from .state import BuildState

    entry = snapshot.documents[path]
    if snapshot.printed is None or snapshot.topics is None:
        return _no("where pages print titles and numbers is not known")
    old_topic, new_topic = changes["topic"]
    if snapshot.topics.get(old_topic, 0) < 2 or new_topic not in snapshot.topics:
        gone = snapshot.topics.get(old_topic, 0) < 2
        return _no(f"the topic {old_topic if gone else new_topic} is new to the site or gone from it")
    try:
        state = BuildState.load(content, as_of, config, cache_dir=cache_dir, paths=[Path(name) for name in files])
    except ContentError:
        return _no("the content has errors")
    doc = state.public.get(entry.doc_id)
    if doc is None or len(doc.versions) != 1 or any(getattr(doc, name) != new for name, (_, new) in changes.items()):
        return _no(f"{path} is not the public document the snapshot describes")
    scratch = Path(tempfile.mkdtemp(prefix=f".{output.name}-relisting-", dir=output.parent))
    try:
        try:
            settings = read_settings(settings_file, {"PATH": str(content), "OUTPUT_PATH": str(scratch),
                                                     "DISCLOSURE_STATE": state, "DELETE_OUTPUT_DIRECTORY": False})
        except ValueError as error:
            raise BuildError(f"{settings_file}: {error}") from error
        state.search = bool(settings.get("DISCLOSURE_SEARCH", True))
        rendered = _render(state, settings, scratch, doc.id, changes)
        if rendered is None:
            return None
        updates, recorder = rendered
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # (its file's hash: the ledger's files show it, and the data export, made again, does)
    old_sha, new_sha = entry.sha256.encode("ascii"), record.sha256.encode("ascii")
    for name in SHA_PAGES:
        data = updates.get(name) or _read(output / name)
        if data is not None and old_sha in data:
            updates[name] = data.replace(old_sha, new_sha)
    finish = _Finish(snapshot.search_size, snapshot.search_generation)
    if snapshot.search_size is not None and not _patch_search(output, content, cache_dir, snapshot, entry, record.body,
                                                              changes, updates, finish):
        return None
    updates = {name: data for name, data in updates.items() if _read(output / name) != data}
    topics = dict(snapshot.topics)
    topics[old_topic] -= 1
    topics[new_topic] += 1
    fields: dict[str, Any] = {
        "topics": topics, "holes": recorder.holes, "compares": recorder.compares,
        "printed": {name: pack(places) for name, places in recorder.printed.items() if places is not None},
        "feeds": {doc_id: tuple(names) for doc_id, names in recorder.feeds.items()},
    }
    if any(places is None for places in recorder.printed.values()):
        return _no("a page's printed places could not be noted")
    if snapshot.fields_used is not None and not recorder.fields_used <= snapshot.fields_used:
        fields["fields_used"] = snapshot.fields_used | frozenset(recorder.fields_used)
    return publish_edit(output, cache_dir, snapshot, manifest, manifest_file, path, stat, record, changes, updates,
                        finish, fields)


def _render(state: Any, settings: dict[str, Any], scratch: Path, doc_id: str, changes: dict[str, tuple[str, str]]
            ) -> tuple[dict[str, bytes], BuildRecorder] | None:
    """The pages, feeds, sitemap and data files the edit can change, as a whole build would
    write them (by name), and what their rendering noted."""
    from pelican import Pelican
    from pelican.writers import Writer

    from .generator import DisclosureGenerator
    from .pages import SITEMAP

    pelican = Pelican(settings)
    context = {**pelican.settings, "generated_content": {}, "static_links": set(), "static_content": {},
               "localsiteurl": pelican.settings["SITEURL"]}  # (as Pelican.run shares it)
    generator = DisclosureGenerator(context=context, settings=pelican.settings, path=pelican.path, theme=pelican.theme,
                                    output_path=pelican.output_path)
    generator.bodies_up_front = False
    generator.generate_context()
    model = generator.model
    if model.extra_pages:
        return _no("other plugins add pages (DISCLOSURE_EXTRA_PAGES)")
    for name, (old, new) in changes.items():
        if model.listing(name, old) is None or len(model.listing(name, new).documents) < 2:
            return _no(f"the {name} {old if model.listing(name, old) is None else new} is new to the site or gone from it")
    public = state.public
    doc = public.get(doc_id)
    related = {d.id for shown in model.relations(doc).values() for d in shown}
    topics = {(name, value) for name, change in changes.items() for value in change}
    chosen = []
    for page in model.pages:
        if page.doc_id is not None:
            take = page.doc_id == doc_id or page.doc_id in related
        elif page.template == "doc_list":
            head = page.context["listing"]
            take = (head.kind, head.key) in topics or any(d.id == doc_id for d in page.context["documents"])
        else:  # (the site's pages: the home page, registers, catalogue, guide, ledger, reports, …)
            take = True
        if take:
            chosen.append(page)
    recorder = state.recorder = BuildRecorder(page_names=[page.name for page in chosen])
    generator.printed.on = recorder.printed_known = True
    generator.printed.used = recorder.fields_used
    writer = Writer(str(scratch), settings=pelican.settings)
    css = Path(generator.theme, "static", "css", "site.css").read_text(encoding="utf-8")
    for page in chosen:
        generator.render_page(page, generator.page_context(page, css), writer)
    updates = {page.name: (scratch / page.name).read_bytes() for page in chosen}
    texts = [*generator.feed_texts(recorder.feeds), (SITEMAP, generator.sitemap_text()), *generator.data_texts()]
    updates.update({name.replace(os.sep, "/"): text.encode("utf-8") for name, text in texts})
    return updates, recorder
