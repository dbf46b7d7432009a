"""Render many bodies: each once, both cores when there are many, and a cache by content.

The cache key is the SHA-256 of the renderer's code and library versions, the
Markdown source, and how the document numbers it cites resolve: a changed body, a
newly resolvable citation or a changed renderer gives a new key, so nothing stale
is ever served.  The cache is one SQLite file (:class:`~.keyed_store.KeyedStore`);
entries unused by a build are pruned.

Beside each body's HTML the file keeps the ``doc:`` links it holds (:func:`doc_links`):
what a rebuild needs of every body to decide which pages to render again.  The HTML of
a cached body is then read only for the pages rendered (a rebuild after one edit: a few
dozen of 10,000 bodies, 45 MiB not loaded).
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Sequence

from . import citations, render
from .citations import RawCitation, raw_citations, resolve_citation
from .keyed_store import KeyedStore, code_digest

DocLinks = tuple[tuple[str, "str | None"], ...]
"""The ``doc:`` links of a rendered body, in order: each document id with the version it
names (``None``: the document)."""

PARALLEL_THRESHOLD = 400
"""Below this many bodies, starting worker processes costs more than it saves."""
PRUNE_SLACK_MIN = 64
"""Unused bodies a cache file may keep between prunings (:meth:`BodyCache.prune`)."""


def _code_fingerprint() -> str:
    return code_digest((render, citations), ("Markdown", "nh3"))


_worker: render.BodyRenderer | None = None


def _init_worker(numbers: dict[str, str]) -> None:
    global _worker
    _worker = render.BodyRenderer(numbers.get, frozenset(numbers))


def _render_chunk(sources: list[str]) -> list[str]:
    assert _worker is not None
    return [_worker.render(source) for source in sources]


def doc_links(html: str) -> DocLinks:
    """The ``doc:`` links of a rendered body (:data:`~.render.DOC_HREF`)."""
    if 'href="doc:' not in html:
        return ()
    return tuple((match.group(1), match.group(2)) for match in render.DOC_HREF.finditer(html))


class BodyCache:
    """Rendered bodies of one build, keyed by content; ``render_all`` makes sure each is
    rendered (now or by an earlier build) and knows its ``doc:`` links."""

    def __init__(self, numbers: dict[str, str], cache_file: Path | None = None, workers: int | None = None) -> None:
        self.numbers = numbers
        """Canonical document number → document id, for citation links."""
        self._stored = KeyedStore(cache_file, "bodies", "html")
        self._stored_links = KeyedStore(cache_file, "body_links", "links")
        """Each stored body's :func:`doc_links` (JSON); stored with the body, pruned with it."""
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._code = _code_fingerprint()
        self._html: dict[str, str] = {}
        """Bodies rendered by this build or read from the file (as pages ask for them)."""
        self._links: dict[str, DocLinks] = {}
        """The links of every body this build uses: the key of each is in the file or in :attr:`_html`."""
        self._keys: dict[str, str] = {}
        self._renderer: render.BodyRenderer | None = None
        self.hits = 0
        self.misses = 0

    def key(self, source: str, found: Sequence[RawCitation] | None = None) -> str:
        """``found``: the candidates for numbers in ``source`` (:func:`~.citations.raw_citations`),
        when the caller has them (the parse cache keeps each file's): scanning every body
        for them again took a second of each 10,000-document build."""
        # Remembered: every page of a body asks again (a third of making the page model).
        key = self._keys.get(source)
        if key is None:
            known = self.numbers.keys()
            resolved = (resolve_citation(raw, known) for raw in (raw_citations(source) if found is None else found))
            cited = sorted({c.canonical for c in resolved if c is not None} & known)
            links = json.dumps([[n, self.numbers[n]] for n in cited], ensure_ascii=False)
            key = self._keys[source] = hashlib.sha256(f"{self._code}\0{links}\0{source}".encode()).hexdigest()
        return key

    def render_all(self, sources: Iterable[tuple[str, Sequence[RawCitation] | None]]) -> None:
        """Render every source not rendered yet, in parallel when there are many; of those
        the cache file holds, only their links are read (their HTML when a page asks).
        Each comes with the candidates for numbers in it, when known (see :meth:`key`)."""
        pending: dict[str, str] = {}
        for source, found in sources:
            key = self.key(source, found)
            if key not in self._links:
                pending[key] = source
        if not pending:
            return
        stored_links = self._stored_links.load(list(pending))
        for key, links in stored_links.items():
            self._links[key] = tuple((doc_id, version) for doc_id, version in json.loads(links))
        unlinked = [key for key in pending if key not in stored_links]
        stored = self._stored.load(unlinked) if unlinked else {}  # (a file written before links were kept)
        if stored:
            self._html.update(stored)
            self._links.update((key, doc_links(html)) for key, html in stored.items())
            self._stored_links.store({key: _links_json(self._links[key]) for key in stored})
        self.hits += len(stored_links) + len(stored)
        missing = [(key, source) for key, source in pending.items() if key not in self._links]
        self.misses += len(missing)
        if not missing:
            return
        texts = [source for _, source in missing]
        if self.workers > 1 and len(texts) >= PARALLEL_THRESHOLD:
            size = max(1, len(texts) // (self.workers * 8))
            chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
            with ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(self.numbers,)) as pool:
                rendered = [html for chunk in pool.map(_render_chunk, chunks) for html in chunk]
        else:
            rendered = [self._local().render(text) for text in texts]
        fresh = {key: html for (key, _), html in zip(missing, rendered)}
        self._html.update(fresh)
        self._links.update((key, doc_links(html)) for key, html in fresh.items())
        self._stored.store(fresh)
        self._stored_links.store({key: _links_json(self._links[key]) for key in fresh})

    def html(self, source: str) -> str:
        """The sanitized HTML of ``source`` (rendered now if ``render_all`` did not see it)."""
        key = self.key(source)
        found = self._html.get(key)
        if found is None:
            if key not in self._links:
                self.render_all([(source, None)])
            found = self._html.get(key)
            if found is None:
                stored = self._stored.get(key)
                if isinstance(stored, str):
                    found = stored
                else:  # gone from the file since its links were read: rendered again
                    found = self._local().render(source)
                    self._stored.store({key: found})
                self._html[key] = found
        return found

    def links(self, source: str) -> DocLinks:
        """The ``doc:`` links of ``source``'s HTML (:func:`doc_links`), without reading it."""
        key = self.key(source)
        if key not in self._links:
            self.render_all([(source, None)])
        return self._links[key]

    def _local(self) -> render.BodyRenderer:
        if self._renderer is None:
            self._renderer = render.BodyRenderer(self.numbers.get, frozenset(self.numbers))
        return self._renderer

    def prune(self) -> None:
        """Forget cached bodies this build did not use, so the file does not grow forever:
        when they are more than a twentieth of those it used (or 64)."""
        slack = max(PRUNE_SLACK_MIN, len(self._links) // 20)
        self._stored.close()
        self._stored.keep_only(self._links, slack=slack)
        self._stored_links.keep_only(self._links, slack=slack)


def _links_json(links: DocLinks) -> str:
    return json.dumps(links, ensure_ascii=False)
