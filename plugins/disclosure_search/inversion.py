"""The inverted index of the static export: for each searched field and term, the
ordinals of the records that hold the term and how often.

Made from the records (:func:`invert_records`: tokenised on every core for a large
export, then sorted by term as arrays, :mod:`.flat_postings`), or, with a
:class:`~.token_cache.TokenCache`, patched from the previous export's: when the
records are the same, in the same order, except a few whose searched text changed,
only those few are removed and added again.  On a 10,000-document site that is the
difference between inverting 12 million postings (about 4 CPU s with every record's
tokens cached) and a few thousand.  Records added or removed (a new document, one
withdrawn), or in another order (a date of publication corrected), move the others'
ordinals: the kept index is then renumbered, about 12,000 array operations, and the
new records put in.  Either way the result is the same (tests compare them).
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from bisect import bisect_left
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from disclosure.keyed_store import KeyedStore

from .flat_postings import Flat, Grouped, flatten, group, inverted_of
from .fields import SEARCH_FIELDS
from .records import SearchRecord
from .scoring import norm_length
from .token_cache import Counts, Postings, TokenCache, change_when_read, decode_counts, encode_counts, record_counts

#: From this many records, the export tokenises them in several processes.
PARALLEL_MIN = 400

Inverted = dict[str, dict[str, "array[int]"]]
"""Per field, per term: flat ``[ordinal, tf, ordinal, tf, …]`` in ordinal order."""

Lengths = dict[str, list[int]]
"""Per field, the length in tokens of each record's field, by ordinal."""

PATCH_SHARE = 16
"""Patch the previous inverted index when at most one record in this many changed;
beyond that, inverting from the token cache is about as fast."""


def workers_for(records: int) -> int:
    """Processes for a large export's tokenising and scoring: every core (up to 4), or 1."""
    if records < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 4)


_SHARED: Any = None
"""What the workers of :func:`forked_map` read: inherited through fork, never pickled."""


def forked_map(function: Callable[[Any, Any], Any], shared: Any, items: list[Any], workers: int) -> list[Any]:
    """``[function(shared, item) for item in items]`` in ``workers`` forked processes that
    inherit ``shared`` (the records, or the inverted index: too big to send)."""
    global _SHARED
    _SHARED = shared
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_call_with_shared, [function] * len(items), items))
    finally:
        _SHARED = None


def _call_with_shared(function: Callable[[Any, Any], Any], item: Any) -> Any:
    return function(_SHARED, item)


@dataclass(frozen=True)
class _Tokens:
    """What the inverting workers read (inherited through fork): the records in ordinal
    order, their token cache keys and the cached counts found (empty without a cache)."""

    records: list[SearchRecord]
    keys: list[str] | None
    cached: dict[str, bytes]
    store: KeyedStore | None = None
    """Where the counts of records not in the cache go (each worker adds its own: sending
    them back would hold 140 MB more in the export's process at 10,000 documents)."""

    def counts(self, ordinal: int, fresh: dict[str, bytes]) -> Counts:
        """The record's counts, from the cache or tokenised now (and then added to ``fresh``)."""
        key = self.keys[ordinal] if self.keys is not None else None
        blob = self.cached.get(key) if key is not None else None
        if blob is not None:
            return decode_counts(blob)
        counts = record_counts(self.records[ordinal])
        if key is not None:
            fresh[key] = encode_counts(counts)
        return counts


def _flat(tokens: _Tokens, bounds: tuple[int, int]) -> tuple[dict[str, Flat], Lengths]:
    """The flat postings and field lengths of the records of ordinals ``bounds[0]`` to
    ``bounds[1] - 1``; the counts of the records that were not in the cache are added to it."""
    fresh: dict[str, bytes] = {}
    flat, lengths = flatten(lambda ordinal: tokens.counts(ordinal, fresh), bounds)
    if tokens.store is not None:
        tokens.store.store(fresh)
    return flat, lengths


@dataclass
class Inversion:
    """What :func:`invert_records` made, and what the previous export it patched had."""

    inverted: Inverted
    lengths: Lengths
    keys: list[str] | None
    """The records' token cache keys (without a cache: ``None``)."""
    previous: Postings | None = None
    """The previous export's kept index, when it was patched into this one."""
    touched: frozenset[str] = frozenset()
    """With :attr:`previous`: the terms whose posting texts may differ from its (those whose
    scores in the changed records moved: :func:`swap_counts`)."""
    grouped: dict[str, Grouped] | None = None
    """After a whole inversion: the postings by term as arrays (:func:`~.flat_postings.posting_texts`)."""


def invert_records(records: list[SearchRecord], cache: TokenCache | None) -> Inversion:
    """The inverted index and field lengths of ``records`` (in ordinal order).

    Without a cache, or when many records changed, every record is inverted, on every
    core for a large export (segmenting is most of the time); the chunks are merged in
    ordinal order, so the result is the same.  With ``cache``, records tokenised before
    are not tokenised again, the previous index is patched when it can be, and the
    cache is left holding this export's counts only (the caller keeps the index:
    :meth:`~.token_cache.TokenCache.save_postings`)."""
    keys = [cache.key(record) for record in records] if cache is not None else None
    if cache is not None and keys is not None:
        patched = _patch(cache, records, keys)
        if patched is not None:
            return patched
    tokens = _Tokens(records, keys, cache.store.load(keys) if cache is not None and keys else {},
                     cache.store if cache is not None else None)
    workers = workers_for(len(records))
    if workers < 2:
        parts = [_flat(tokens, (0, len(records)))]
    else:
        step = -(-len(records) // (workers * 4))
        bounds = [(i, min(i + step, len(records))) for i in range(0, len(records), step)]
        parts = forked_map(_flat, tokens, bounds, workers)
    lengths: Lengths = {field: [n for _, part_lengths in parts for n in part_lengths[field]] for field in SEARCH_FIELDS}
    grouped = group([flat for flat, _ in parts])
    del parts
    if cache is not None and keys is not None:
        cache.store.keep_only(keys)
    return Inversion(inverted_of(grouped), lengths, keys, grouped=grouped)


def _patch(cache: TokenCache, records: list[SearchRecord], keys: list[str]) -> Inversion | None:
    """The previous export's inverted index with the records whose key changed taken out
    and put back, those added or removed since put in or taken out (a new document is a
    record before all others, which moves every ordinal), and the others renumbered when
    their order changed; ``None`` when it cannot be used (none kept, too many changes, an
    old record's counts missing)."""
    previous = cache.load_postings()
    if previous is None:
        return None
    old_of_new: dict[int, int] | None = None  # (None: the same records in the same places)
    ids = [r.id for r in records]
    if previous.ids != ids:
        new_of_old = _renumbering(previous.ids, ids)
        old_of_new = {new: old for old, new in enumerate(new_of_old) if new >= 0}
        changed = [new for new in range(len(records))
                   if new not in old_of_new or previous.keys[old_of_new[new]] != keys[new]]
        removed = len(previous.ids) - len(old_of_new)
    else:
        changed, removed = [o for o, (old, new) in enumerate(zip(previous.keys, keys)) if old != new], 0
    if (len(changed) + removed) * PATCH_SHARE > len(records):
        return None

    def old_key(ordinal: int) -> str | None:
        """The key the record at ``ordinal`` had in the previous export (None: it is new)."""
        if old_of_new is None:
            return previous.keys[ordinal]
        return previous.keys[old_of_new[ordinal]] if ordinal in old_of_new else None

    olds = {ordinal: key for ordinal in changed for key in [old_key(ordinal)] if key is not None}
    stored = cache.store.load([*olds.values(), *(keys[o] for o in changed)])
    if any(key not in stored for key in olds.values()):
        return None
    tokens, fresh = _Tokens(records, keys, stored), {}
    inverted, lengths = previous.inverted, previous.lengths
    touched: set[str] = set()
    try:
        if old_of_new is not None:
            inverted, lengths, moved = _renumbered(inverted, lengths, new_of_old, len(records))
            touched |= moved
        for ordinal in changed:
            old = decode_counts(stored[olds[ordinal]]) if ordinal in olds else _NO_COUNTS
            touched |= swap_counts(inverted, lengths, ordinal, old, tokens.counts(ordinal, fresh))
    except (KeyError, IndexError, ValueError):  # a kept index that does not match its counts
        return None
    if changed or removed:
        cache.store.store(fresh)
        cache.store.keep_only(keys)
    if removed or len(records) != len(previous.ids):  # another scale: every posting text is made again
        return Inversion(inverted, lengths, keys)
    # (the same records, perhaps in another order: the texts of the terms of records that
    # moved or changed are made again, the others' kept)
    return Inversion(inverted, lengths, keys, previous, frozenset(touched))


_NO_COUNTS: Counts = {field: {} for field in SEARCH_FIELDS}
"""A record added since the previous export had no postings in it."""


def _renumbering(old: list[str], new: list[str]) -> list[int]:
    """For each of the ``old`` record ids, its ordinal among the ``new`` ones (-1: removed)."""
    place = {record_id: ordinal for ordinal, record_id in enumerate(new)}
    return [place.get(record_id, -1) for record_id in old]


def _renumbered(inverted: Inverted, lengths: Lengths, new_of_old: list[int], count: int
                ) -> tuple[Inverted, Lengths, set[str]]:
    """The index with each old ordinal's postings under its new ordinal (``new_of_old``, -1:
    dropped), and ``count`` field lengths (0 for the records added, until they are put in);
    with the terms that a record whose ordinal moved holds.  About 12,000 terms at 10,000
    documents, each an array operation; a term's postings are sorted again only when
    records kept changed places among its own."""
    from .flat_postings import _numpy

    np = _numpy()
    mapping = np.asarray(new_of_old, dtype=np.intc)
    renumbered: Inverted = {}
    moved_terms: set[str] = set()
    for field, terms in inverted.items():
        postings: dict[str, array[int]] = {}
        for term, found in terms.items():
            pairs = np.frombuffer(found, np.intc).reshape(-1, 2)
            ordinals = mapping[pairs[:, 0]]
            if np.array_equal(ordinals, pairs[:, 0]):
                postings[term] = found  # (no record of the term moved)
                continue
            moved_terms.add(term)
            kept = ordinals >= 0
            if not kept.all():
                pairs, ordinals = pairs[kept], ordinals[kept]
                if not len(ordinals):
                    continue  # (only removed records held the term)
            moved = np.empty_like(pairs)
            moved[:, 0], moved[:, 1] = ordinals, pairs[:, 1]
            if len(ordinals) > 1 and not (ordinals[1:] > ordinals[:-1]).all():
                moved = moved[np.argsort(ordinals, kind="stable")]
            postings[term] = array("i")
            postings[term].frombytes(moved.tobytes())
        renumbered[field] = postings
    new_lengths: Lengths = {}
    for field, found in lengths.items():
        new_lengths[field] = [0] * count
        for old, new in enumerate(new_of_old):
            if new >= 0:
                new_lengths[field][new] = found[old]
    return renumbered, new_lengths, moved_terms


def swap_counts(inverted: Inverted, lengths: Lengths, ordinal: int, old: Counts, new: Counts) -> set[str]:
    """Replace record ``ordinal``'s postings (``old`` counts) by ``new`` ones in place; the
    terms touched: those whose score in the record may have moved (the mean lengths
    staying the same), in a field whose count of them changed, or that the record holds
    in a field whose length, as scores see it (:func:`~.scoring.norm_length`), changed.
    A title edit then touches the title's terms, not every term of the body.  Raises
    KeyError, IndexError or ValueError when ``old`` is not what the index holds for it."""
    touched: set[str] = set()
    for field in SEARCH_FIELDS:
        before, after = old[field], new[field]
        if norm_length(sum(before.values())) != norm_length(sum(after.values())):
            touched.update(before)
            touched.update(after)
        else:
            touched.update(term for term in before.keys() | after.keys() if before.get(term) != after.get(term))
        postings = inverted[field]
        for term in old[field]:
            _remove(postings, term, ordinal)
        for term, tf in new[field].items():
            _insert(postings, term, ordinal, tf)
        lengths[field][ordinal] = sum(new[field].values())
    return touched


def moved_ordinals(old: int, new: int) -> dict[int, int]:
    """Where the ordinals from ``old`` to ``new`` go when the record at ``old`` moves to
    ``new``: those between move one place towards ``old``."""
    step = 1 if new < old else -1
    return {old: new, **{ordinal: ordinal + step for ordinal in range(new, old, step)}}


Segments = dict[str, dict[str, tuple[int, bytes]]]
"""Per field and term, where a move changed its flat postings and the pairs there now."""


def move_postings(postings: Postings, old: int, new: int, terms: dict[str, tuple[str, ...]]) -> Segments:
    """Move the record at ``old`` to ``new`` in a kept index, in place: the records, their keys
    and lengths, and the postings of ``terms`` (per field: every term the records between
    hold, else the index no longer matches its records); what changed of those postings (a
    log keeps it: :func:`replay_move`).  Raises KeyError or ValueError when a term has no
    posting among them."""
    mapping = _move_records(postings, old, new)
    low, high = min(old, new), max(old, new)
    segments: Segments = {}
    for field, names in terms.items():
        arrays, moved = postings.inverted[field], segments.setdefault(field, {})
        for term in names:
            found = arrays[term]
            start, end = pair_index(found, low), pair_index(found, high + 1)
            if start == end:
                raise ValueError(f"{term!r}: no posting between {low} and {high}")
            pairs = sorted((mapping[found[at]], found[at + 1]) for at in range(start, end, 2))
            found[start:end] = array("i", [number for pair in pairs for number in pair])
            moved[term] = (start, found[start:end].tobytes())
    return segments


def replay_move(postings: Postings, old: int, new: int, segments: Segments) -> None:
    """:func:`move_postings` again from what it changed.  The postings of a kept index read
    when used (:class:`~.token_cache.Postings` loaded lazily) are changed when they are
    read, if ever: a move changes thousands of terms, the next edit reads a few."""
    _move_records(postings, old, new)
    for field, moved in segments.items():
        arrays = postings.inverted[field]
        for term, (start, data) in moved.items():
            change_when_read(arrays, term, partial(_put_pairs, start=start, data=data))


def _move_records(postings: Postings, old: int, new: int) -> dict[int, int]:
    mapping = moved_ordinals(old, new)
    low, high = min(old, new), max(old, new)
    for listed in (postings.ids, postings.keys, *postings.lengths.values()):
        listed[low:high + 1] = [listed[ordinal] for ordinal in sorted(mapping, key=mapping.__getitem__)]
    return mapping


def _put_pairs(found: "array[int]", *, start: int, data: bytes) -> "array[int]":
    pairs = array("i")
    pairs.frombytes(data)
    if start + len(pairs) > len(found):
        raise ValueError("a logged move beyond its postings")
    found[start:start + len(pairs)] = pairs
    return found


def pair_index(found: "array[int]", ordinal: int) -> int:
    """Where ``ordinal`` is, or goes, in flat ``[ordinal, tf, …]``: a binary search (in C)
    over the pairs' ordinals, seen through a strided view (slicing them out copied the
    whole list of a common term every time)."""
    return 2 * bisect_left(memoryview(found)[::2], ordinal)


def _remove(postings: dict[str, "array[int]"], term: str, ordinal: int) -> None:
    found = postings[term]
    at = pair_index(found, ordinal)
    if at >= len(found) or found[at] != ordinal:
        raise ValueError(f"{term!r}: no posting for {ordinal}")
    del found[at:at + 2]
    if not found:
        del postings[term]


def _insert(postings: dict[str, "array[int]"], term: str, ordinal: int, tf: int) -> None:
    found = postings.get(term)
    if found is None:
        postings[term] = array("i", (ordinal, tf))
        return
    at = pair_index(found, ordinal)
    found[at:at] = array("i", (ordinal, tf))
