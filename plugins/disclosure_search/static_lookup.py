"""A Python implementation of the browser client's lookup over the exported files.

It reads only what ``static/search.js`` reads (``meta.json``, ``norm.json``
when the query has Chinese characters, the posting shards of the query's terms
and filters, ``h.json`` when an older version matches, and ``d/<n>.json``
of the results returned) and counts the
bytes, so tests can check that the static files alone reproduce
:func:`disclosure_search.index.search` and that a query downloads little.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analysis import QueryTerms, query_terms
from .index import SORTS, Filters
from .scoring import collapse, final_score, keeps
from .script import CJK_RANGES
from .snippets import make_snippet
from .static_export import filter_term, payload_file, shard_of


def has_cjk(text: str) -> bool:
    """True if NFKC(``text``) contains a Chinese character: only then is ``norm.json`` needed."""
    return any(any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES) for c in unicodedata.normalize("NFKC", text))


@dataclass
class StaticSearch:
    """Client-side search over an export, fetching files through ``fetch(relative_path) -> bytes``."""

    fetch: Callable[[str], bytes]
    fetched: dict[str, int] = field(default_factory=dict)
    """Bytes of each distinct file fetched (a browser caches repeated fetches)."""

    @classmethod
    def from_folder(cls, folder: Path) -> StaticSearch:
        """A client reading an export folder on disk."""
        return cls(lambda name: (Path(folder) / name).read_bytes())

    def _json(self, name: str) -> Any:
        data = self.fetch(name)
        self.fetched[name] = len(data)
        return json.loads(data)

    @property
    def bytes_fetched(self) -> int:
        """Total bytes of the distinct files fetched so far."""
        return sum(self.fetched.values())

    def _postings(self, terms: list[str], shards: int) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for k in sorted({shard_of(t, shards) for t in terms}):
            shard = self._json(f"t/{k}.json")
            found.update({t: shard[t] for t in terms if t in shard})
        return found

    def search(
        self,
        query: str,
        *,
        type: str | None = None,  # noqa: A002 - same keywords as index.search
        status: str | None = None,
        year: int | str | None = None,
        issuer: str | None = None,
        in_force_only: bool = False,
        sort: str = "relevance",
        limit: int | None = 20,
    ) -> list[dict[str, Any]]:
        """Same contract as :func:`disclosure_search.index.search`, returning dicts like ``Hit.to_json()``."""
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
        meta = self._json("meta.json")
        table: dict[str, str] = {}
        if has_cjk(query):
            table = self._json("norm.json")["chars"]
        terms = query_terms(query, table=table)
        filters = [filter_term(n, v) for n, v in Filters(type, status, year, issuer, in_force_only).terms()]
        if not terms and not filters:
            return []
        postings = self._postings(list(terms.all) + filters, meta["shards"])
        matching = _matching(terms, filters, postings)
        heads = meta["heads"]
        older: list[int] = self._json("h.json") if any(item[0] >= heads for item in matching) else []
        ranked = collapse(matching, lambda o: o if o < heads else older[o - heads])
        if sort == "relevance":
            ranked.sort(key=lambda item: -item[1])
        chosen = ranked if limit is None else ranked[:limit]
        hits = []
        for ordinal, score in chosen:
            doc = self._json(payload_file(ordinal, meta["docs"]))
            snippet = make_snippet(doc["excerpt"], terms.all, table)
            hits.append({**{k: v for k, v in doc.items() if k != "excerpt"}, "score": score, "snippet": snippet})
        return hits


def _decode(values: list[int], scored: bool) -> list[tuple[int, int]]:
    step = 2 if scored else 1
    out: list[tuple[int, int]] = []
    ordinal = 0
    for i in range(0, len(values), step):
        ordinal += values[i]
        out.append((ordinal, values[i + 1] if scored else 0))
    return out


def _matching(terms: QueryTerms, filters: list[str], postings: dict[str, list[int]]) -> list[tuple[int, float, int]]:
    """``(ordinal, score, core terms matched)`` of every record kept by the query and filters, by ordinal."""
    allowed: set[int] | None = None
    for name in filters:
        members = {o for o, _ in _decode(postings.get(name, []), scored=False)}
        allowed = members if allowed is None else allowed & members
    if not terms:
        return [(o, 0.0, 0) for o in sorted(allowed or ())]
    totals: dict[int, int] = {}
    matched: dict[int, int] = {}
    core = set(terms.core)
    for term in terms.all:
        for ordinal, score in _decode(postings.get(term, []), scored=True):
            if allowed is not None and ordinal not in allowed:
                continue
            totals[ordinal] = totals.get(ordinal, 0) + score
            if term in core:
                matched[ordinal] = matched.get(ordinal, 0) + 1
    best = max(matched.values(), default=0)
    return [
        (o, final_score(totals[o], matched.get(o, 0), len(terms.core)), matched.get(o, 0))
        for o in sorted(totals) if keeps(matched.get(o, 0), best)
    ]
