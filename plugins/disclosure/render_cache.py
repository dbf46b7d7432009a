"""Render many bodies: each once, both cores when there are many, and a cache by content.

The cache key is the SHA-256 of the renderer's code and library versions, the
Markdown source, and how the document numbers it cites resolve: a changed body, a
newly resolvable citation or a changed renderer gives a new key, so nothing stale
is ever served.  The cache is one SQLite file (:class:`~.keyed_store.KeyedStore`);
entries unused by a build are pruned.
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

PARALLEL_THRESHOLD = 400
"""Below this many bodies, starting worker processes costs more than it saves."""


def _code_fingerprint() -> str:
    return code_digest((render, citations), ("Markdown", "nh3"))


_worker: render.BodyRenderer | None = None


def _init_worker(numbers: dict[str, str]) -> None:
    global _worker
    _worker = render.BodyRenderer(numbers.get, frozenset(numbers))


def _render_chunk(sources: list[str]) -> list[str]:
    assert _worker is not None
    return [_worker.render(source) for source in sources]


class BodyCache:
    """Rendered bodies of one build, keyed by content; ``render_all`` fills it."""

    def __init__(self, numbers: dict[str, str], cache_file: Path | None = None, workers: int | None = None) -> None:
        self.numbers = numbers
        """Canonical document number → document id, for citation links."""
        self._stored = KeyedStore(cache_file, "bodies", "html")
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._code = _code_fingerprint()
        self._html: dict[str, str] = {}
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
        """Render every source not rendered yet: from the cache file, else in parallel.
        Each comes with the candidates for numbers in it, when known (see :meth:`key`)."""
        pending: dict[str, str] = {}
        for source, found in sources:
            key = self.key(source, found)
            if key not in self._html:
                pending[key] = source
        if not pending:
            return
        stored = self._stored.load(list(pending))
        self.hits += len(stored)
        self._html.update(stored)
        missing = [(key, source) for key, source in pending.items() if key not in stored]
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
        self._stored.store(fresh)

    def html(self, source: str) -> str:
        """The sanitized HTML of ``source`` (rendered now if ``render_all`` did not see it)."""
        key = self.key(source)
        if key not in self._html:
            self.render_all([(source, None)])
        return self._html[key]

    def _local(self) -> render.BodyRenderer:
        if self._renderer is None:
            self._renderer = render.BodyRenderer(self.numbers.get, frozenset(self.numbers))
        return self._renderer

    def prune(self) -> None:
        """Forget cached bodies this build did not use, so the file does not grow forever."""
        self._stored.keep_only(self._html)
