"""Export the whoosh index as static files for the browser client.

Layout of the output folder (``search/`` on the site)::

    meta.json        format, shard count, tokeniser constants, filter values with counts
    norm.json        Traditional→Simplified table for the characters the index uses,
                     and the regional-term table (fetched only for queries with Chinese)
    h.json           for each older-version ordinal (from ``meta.heads`` on), the ordinal
                     of its document's current version (fetched only when one matches)
    t/<k>.json       shard k of the term postings, k = fnv1a32(utf-8 term) mod shards
    d/<n>.json       one small record per document: title, url, number, date, status,
                     type, issuers, in-force flag, and the excerpt snippets are cut from;
                     n counts from the other end (:func:`payload_file`)
    search.js        the client (copied from ``static/search.js``)

A posting list maps a term to a flat array ``[Δordinal, score, Δordinal, score, …]``
where ``score`` is the integer term score of :mod:`disclosure_search.scoring`
(summed over fields) and ordinals are delta-encoded. Filter values are terms
too (``~type:normative``, ``~status:effective``, ``~year:2022``,
``~issuer:国家知识产权局``, ``~inforce:1``) whose arrays hold only the deltas, so
filtering downloads one shard per filter, never the metadata of the corpus.

Ordinals number the current versions newest first (then by id), then the older
versions (:func:`~disclosure_search.scoring.record_order`): sorting documents by
date is sorting their heads by ordinal, and ties in relevance fall back to it,
as in Python.

The output is deterministic: JSON with sorted keys and no whitespace, no
timestamps, shard count and assignment derived from the content only. The
folder's previous ``t/``, ``d/``, ``meta.json``, ``norm.json`` and
``search.js`` are replaced.
"""

from __future__ import annotations

import hashlib
import json
import operator
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, Container, Iterable, Mapping, NamedTuple, Sequence

from disclosure.export import inert_json
from disclosure.keyed_store import code_digest

from . import scoring
from .analysis import MAX_WHOLE_RUN, MIN_WHOLE_RUN, STOPWORDS
from .fields import SEARCH_FIELDS, payload_of
from .flat_postings import grouped_of, posting_texts
from .inversion import invert_records
from .records import SearchRecord
from .scoring import field_k1_norms, field_stats, mean_length, record_order, term_contributions, term_scores
from .script import REGIONAL_TERMS, is_cjk, t2s_table
from .snippets import EXCERPT_CHARS, SNIPPET_CONTEXT, SNIPPET_WIDTH
from .token_cache import Postings, TokenCache

FORMAT = 3
DEFAULT_SHARD_BYTES = 4 * 1024
MAX_SHARDS = 4096
CLIENT_JS = Path(__file__).parent / "static" / "search.js"
#: Characters the query tokeniser needs even if no indexed term contains them.
_ALWAYS_MAPPED = "号第"
FILTER_NAMES = ("type", "status", "year", "issuer", "inforce")


def fnv1a32(text: str) -> int:
    """32-bit FNV-1a hash of the UTF-8 bytes of ``text`` (``fnv1a32`` in search.js)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(term: str, shards: int) -> int:
    """The shard holding ``term``'s postings."""
    return fnv1a32(term) % shards


def dumps(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return inert_json(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))).encode("utf-8")


def filter_term(name: str, value: str) -> str:
    """The pseudo-term carrying a filter value's posting list."""
    return f"~{name}:{value}"


@dataclass(frozen=True)
class ExportStats:
    """What :func:`export_static` wrote."""

    documents: int
    terms: int
    shards: int
    files: int
    total_bytes: int
    postings_bytes: int
    unchanged: tuple[str, ...] = ()
    """Files not written because ``unchanged_in`` already held them (:func:`export_from_records`)."""
    postings_size: int = 0
    """The measure of the posting lists that decides the shard count (:func:`_postings_size`)."""
    digests: dict[str, bytes] | None = None
    """Each file's :func:`file_digest`, when asked for (kept for the next export's ``known``)."""


class KnownExport(NamedTuple):
    """What an export about to be updated in place (``unchanged_in``) holds, known without
    reading its files: each file's :func:`file_digest` as the build that wrote it noted, and
    the names of the files there now.  Reading the 14,000 files of a 10,000-document export
    to compare them took 0.25 s alone and 0.8 s beside a rebuild's page writing."""

    digests: Mapping[str, bytes]
    files: Container[str]


def payload_file(ordinal: int, count: int) -> str:
    """The file of the record at ``ordinal`` among ``count``: numbered from the last
    ordinal, the oldest document's older versions.  Ordinals count from the newest
    document, so a document published after all others moves every ordinal by one; its
    records' files keep their names (and the build writes one new file, not 10,000)."""
    return f"d/{count - 1 - ordinal}.json"


def file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _term_scores(searcher: Any, ordinal_of: dict[int, int]) -> dict[str, dict[int, int]]:
    """Integer term scores per ordinal, summed over the searched fields (live documents only)."""
    reader = searcher.reader()
    stats = field_stats(searcher)
    scores: dict[str, dict[int, int]] = {}
    for field in SEARCH_FIELDS:
        for raw in reader.lexicon(field):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            found = term_scores(searcher, stats, field, term)
            if not found:
                continue  # only deleted documents held it
            per_doc = scores.setdefault(term, {})
            for docnum, value in found.items():
                ordinal = ordinal_of[docnum]
                per_doc[ordinal] = per_doc.get(ordinal, 0) + value
    return scores


def _postings_from_records(records: list[SearchRecord], cache: TokenCache | None = None) -> dict[str, str]:
    """Each term's posting list as JSON text (:func:`_posting_text`), computed from the records
    the index would hold (in ordinal order) instead of read back from whoosh: the index
    stores each field's tokens with their counts and the field's length, which is all the
    model uses.  With a ``cache`` whose kept index was patched (one edit), only the texts
    of the terms the edit touched are computed again, when the scale is unchanged."""
    inversion = invert_records(records, cache)
    inverted, lengths = inversion.inverted, inversion.lengths
    k1_norms = {field: field_k1_norms(field, lengths[field]) for field in SEARCH_FIELDS}
    scale = (_scoring_digest(), len(records),
             tuple(mean_length(sum(lengths[field]), len(records)) for field in SEARCH_FIELDS))
    previous, grouped = inversion.previous, inversion.grouped
    inversion.grouped = None  # (its memory goes before the index is kept)
    if previous is not None and previous.scale == scale:
        texts = {term: text for term, text in previous.texts.items() if term not in inversion.touched}
        texts.update(posting_texts(grouped_of(inverted, inversion.touched), k1_norms, len(records)))
    else:
        texts = posting_texts(grouped if grouped is not None else grouped_of(inverted), k1_norms, len(records))
    del grouped
    if cache is not None and inversion.keys is not None:
        cache.save_postings(Postings([r.id for r in records], inversion.keys, inverted, lengths, texts, scale))
    return texts


def _scoring_digest() -> str:
    """The code that decides posting texts from postings (kept texts are reused only with it)."""
    return code_digest((scoring, sys.modules[__name__]))


def _term_text(found: list[tuple[str, Sequence[int]]], k1_norms: dict[str, list[float]]) -> str:
    """The posting text of one term from its postings in each field that has it."""
    parts = [term_contributions(field, postings, k1_norms[field]) for field, postings in found]
    if len(parts) == 1:
        ordinals, values = parts[0]
    else:
        summed: dict[int, int] = {}
        for part_ordinals, part_values in parts:
            for ordinal, value in zip(part_ordinals, part_values):
                summed[ordinal] = summed.get(ordinal, 0) + value
        ordinals = sorted(summed)
        values = [summed[o] for o in ordinals]
    return _posting_text(ordinals, values)


def _posting_text(ordinals: list[int], values: list[int] | None) -> str:
    """``[Δordinal, value, …]`` (or ``[Δordinal, …]`` without values) as compact JSON.
    Zero values are kept: the posting still counts towards a document's coverage."""
    deltas = map(operator.sub, ordinals, [0, *ordinals])
    flat = deltas if values is None else chain.from_iterable(zip(deltas, values))
    return "[" + ",".join(map(str, flat)) + "]"


def _filters(payloads: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """Posting lists of the filter pseudo-terms, and each filter's values with their counts."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTER_NAMES}
    members: dict[str, list[int]] = defaultdict(list)
    for ordinal, p in enumerate(payloads):
        for name, value in filter_pairs(p):
            members[filter_term(name, value)].append(ordinal)
            counts[name][value] = counts[name].get(value, 0) + 1
    return {term: _posting_text(ordinals, None) for term, ordinals in members.items()}, counts


def filter_pairs(p: dict[str, Any]) -> list[tuple[str, str]]:
    """The filters (name, value) a record's payload is found by."""
    pairs = [("type", p["type"]), ("status", p["status"]), ("inforce", "1" if p["in_force"] else "0")]
    if p["year"] is not None:
        pairs.append(("year", str(p["year"])))
    pairs.extend(("issuer", issuer) for issuer in p["issuers"])
    return pairs


def _norm_table(terms: Iterable[str]) -> dict[str, str]:
    """The part of the T→S table whose targets occur in indexed terms or regional terms."""
    targets = {ch for ch in set("".join(terms)) if is_cjk(ch)}  # the distinct characters first: set() is C
    targets.update(ch for key in REGIONAL_TERMS for ch in key)
    targets.update(_ALWAYS_MAPPED)
    return {src: dst for src, dst in t2s_table().items() if all(c in targets for c in dst)}


def _postings_size(postings: dict[str, str]) -> int:
    return sum(_entry_size(term, values) for term, values in postings.items())


def _entry_size(term: str, values: str) -> int:
    return len(dumps(term)) + len(values) + 1


def _shard_count(size: int, target: int) -> int:
    """The smallest power of two (up to ``MAX_SHARDS``) that keeps the mean shard under ``target``."""
    shards = 1
    while shards * target < size and shards < MAX_SHARDS:
        shards *= 2
    return shards


def export_static(
    index_dir: Path, out_dir: Path, *, shard_bytes: int = DEFAULT_SHARD_BYTES, copy_client: bool = True,
) -> ExportStats:
    """Write the static search files for the whoosh index in ``index_dir`` into ``out_dir``.

    ``shard_bytes`` is the target size of a posting shard before compression;
    the number of shards is the smallest power of two that keeps the average
    shard under it. Raises :class:`~disclosure_search.index.SearchIndexError`
    when there is no usable index. The site build uses :func:`export_from_records`,
    which writes the same bytes from the records, without an index.
    """
    from .index import open_index  # (the site's build exports from records, without whoosh)

    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        stored = [(docnum, fields["payload"]) for docnum, fields in searcher.reader().iter_docs()]
        order, heads = record_order([(p["published"], p["id"], p["document"], p["version"]) for _, p in stored])
        ordinal_of = {stored[i][0]: ordinal for ordinal, i in enumerate(order)}
        payloads = [stored[i][1] for i in order]
        scores = _term_scores(searcher, ordinal_of)
    postings = {}
    for term, per_doc in scores.items():
        ordinals = sorted(per_doc)
        postings[term] = _posting_text(ordinals, [per_doc[o] for o in ordinals])
    return _export(payloads, heads, postings, Path(out_dir), shard_bytes, copy_client)


def export_from_records(
    records: Iterable[SearchRecord], out_dir: Path, *, shard_bytes: int = DEFAULT_SHARD_BYTES, copy_client: bool = True,
    token_cache: TokenCache | None = None, unchanged_in: Path | None = None, known: KnownExport | None = None,
    digests: bool = False,
) -> ExportStats:
    """Write the static search files for ``records`` into ``out_dir``, without a whoosh index.

    The files are those :func:`export_static` writes for an index holding exactly
    ``records`` (a test keeps them byte-identical): the index stores each field's
    tokens with their counts and the field's length, which is all the scoring
    model uses, so the scores are computed here from the same tokens.  With a
    ``token_cache``, records tokenised by an earlier export are not tokenised again.
    With ``unchanged_in`` (the export a build is about to update in place), files that
    folder already holds byte for byte are not written (:attr:`ExportStats.unchanged`):
    after one edit, nearly all of a large export's 14,000 files; ``known`` tells which
    without reading them.  With ``digests``, each file's digest is returned.
    """
    listed = list(records)
    order, heads = record_order([(r.published, r.id, r.document, r.version) for r in listed])
    ordered = [listed[i] for i in order]
    return _export([payload_of(r) for r in ordered], heads, _postings_from_records(ordered, token_cache),
                   Path(out_dir), shard_bytes, copy_client, unchanged_in, known, digests)


def _export(
    payloads: list[dict[str, Any]], heads: int, postings: dict[str, str], out_dir: Path,
    shard_bytes: int, copy_client: bool, unchanged_in: Path | None = None, known: KnownExport | None = None,
    digests: bool = False,
) -> ExportStats:
    """Write the export from the payloads in ordinal order and the terms' posting texts."""
    terms = sorted(postings)
    filter_postings, filters = _filters(payloads)
    postings.update(filter_postings)

    size = _postings_size(postings)
    shards = _shard_count(size, shard_bytes)
    files: dict[str, bytes] = {}
    grouped: dict[int, list[str]] = {k: [] for k in range(shards)}
    for term in sorted(postings):
        grouped[shard_of(term, shards)].append(term)
    for k, group in grouped.items():
        files[f"t/{k}.json"] = _shard_bytes(group, postings)
    postings_bytes = sum(len(b) for b in files.values())
    for ordinal, p in enumerate(payloads):
        files[payload_file(ordinal, len(payloads))] = dumps(p)
    # The head (current version) of each older version, for one result per document.
    ordinal_of = {p["id"]: ordinal for ordinal, p in enumerate(payloads)}
    files["h.json"] = dumps([ordinal_of[p["document"]] for p in payloads[heads:]])
    files["norm.json"] = dumps({"chars": _norm_table(terms), "phrases": REGIONAL_TERMS})
    files["meta.json"] = dumps(
        {
            "format": FORMAT,
            "docs": len(payloads),
            "heads": heads,
            "shards": shards,
            "filters": filters,
            "tokeniser": {
                "stopwords": sorted(STOPWORDS),
                "min_whole_run": MIN_WHOLE_RUN,
                "max_whole_run": MAX_WHOLE_RUN,
            },
            "snippet": {"excerpt": EXCERPT_CHARS, "width": SNIPPET_WIDTH, "context": SNIPPET_CONTEXT},
        }
    )
    if copy_client:
        files["search.js"] = CLIENT_JS.read_bytes()
    digested = {name: file_digest(data) for name, data in files.items()} if digests or known is not None else None
    unchanged = _write(out_dir, files, unchanged_in, known, digested)
    return ExportStats(
        documents=len(payloads),
        terms=len(postings),
        shards=shards,
        files=len(files),
        total_bytes=sum(len(b) for b in files.values()),
        postings_bytes=postings_bytes,
        unchanged=unchanged,
        postings_size=size,
        digests=digested if digests else None,
    )


def _shard_bytes(terms: Iterable[str], postings: dict[str, str]) -> bytes:
    """What dumps() of the shard's ``{term: postings}`` dict gives, from the texts (``terms`` sorted)."""
    return b"{" + b",".join(dumps(t) + b":" + postings[t].encode("ascii") for t in terms) + b"}"


def _write(out_dir: Path, files: dict[str, bytes], unchanged_in: Path | None = None, known: KnownExport | None = None,
           digests: dict[str, bytes] | None = None) -> tuple[str, ...]:
    """Write ``files`` into ``out_dir`` (replacing an earlier export there), except those
    ``unchanged_in`` holds with the same bytes: their names are returned.  A file ``known``
    has a digest of is compared by its ``digests`` entry; any other is read."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in ("t", "d"):
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    for name in ("meta.json", "norm.json", "h.json", "search.js"):
        (out_dir / name).unlink(missing_ok=True)
    unchanged = []
    made: set[Path] = set()
    for name in sorted(files):
        if unchanged_in is not None:
            if known is not None and digests is not None and name in known.digests:
                same = name in known.files and known.digests[name] == digests[name]
            else:
                same = _holds(unchanged_in / name, files[name])
            if same:
                unchanged.append(name)
                continue
        path = out_dir / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(files[name])
    return tuple(unchanged)


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
