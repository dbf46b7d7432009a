"""The static export after one record's text changed, as a patch of the published one.

A rebuild after a body edit (:mod:`disclosure_pelican.quick`) changes one record: its
postings, the posting lists of the terms it had or has, its ``d/`` file and perhaps the
Traditional→Simplified table.  With the inverted index the last export kept
(:class:`~.token_cache.Postings`) and the published files, only those are computed: the
shards that hold a touched term are rewritten from the published shard, the kept texts
of its other terms and the new texts of the touched ones.  Whenever the export would
change beyond that (another shard count, other mean field lengths: every score moves)
or the published files are not the ones the kept index describes, there is no patch
and the caller builds the whole export.  A test compares patched exports with whole
ones, byte for byte.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from .fields import SEARCH_FIELDS, payload_of
from .inversion import pair_index, swap_counts
from .records import SearchRecord
from .scoring import k1_norm, mean_length, record_contribution
from .script import REGIONAL_TERMS
from .static_export import (DEFAULT_SHARD_BYTES, _entry_size, _norm_table, _posting_text, _scoring_digest,
                            _shard_count, _term_text, dumps, filter_pairs, filter_term, payload_file, shard_of)
from .token_cache import Postings, PostingsPatch, TokenCache, decode_counts, encode_counts, record_counts


@dataclass
class ExportPatch:
    """The files of the export that change (``name under search/ → bytes``), and what
    :meth:`save` keeps for the next export once they are published."""

    files: dict[str, bytes]
    postings_size: int
    cache: TokenCache
    """Where the kept index is: its ``generation`` names it once :meth:`save` has kept it."""
    _postings: Postings
    _patch: PostingsPatch

    def save(self) -> None:
        self.cache.store.store({self._patch.new_key: self._patch.new_counts})
        self.cache.patch_postings(self._postings, self._patch)


def patch_export(published: Path, record: SearchRecord, cache: TokenCache, postings_size: int,
                 shard_bytes: int = DEFAULT_SHARD_BYTES, generation: str | None = None) -> ExportPatch | str:
    """The patch that makes the export published in ``published`` hold ``record`` (a record
    it has, with another text), or why only a whole export can.  ``postings_size``
    is the measure the published export's shard count came from; ``generation``, when
    given, the kept index's that describes it (another, older or newer, is not used)."""
    previous = cache.load_postings(lazy=True)  # (the arrays and texts of the record's terms are what it reads)
    if previous is None:
        return "no search index is kept"
    if generation is not None and previous.generation != generation:
        return "the search index kept is not the one the published export was made from"
    try:
        ordinal = previous.ids.index(record.id)
        meta_bytes = (published / "meta.json").read_bytes()
        meta = json.loads(meta_bytes)
        shards = int(meta["shards"])
    except (ValueError, OSError, KeyError, TypeError):
        return "the published export does not hold the record, or its meta.json cannot be read"
    if dumps(meta) != meta_bytes:  # (written again with the filters' counts: as the whole export writes it)
        return "the published meta.json is not as the export writes it"
    old_key, new_key = previous.keys[ordinal], cache.key(record)
    stored = cache.store.load([old_key])
    if old_key not in stored:
        return "the record's kept term counts are gone"
    old, new_counts = decode_counts(stored[old_key]), record_counts(record)
    inverted, lengths = previous.inverted, previous.lengths
    try:
        touched = swap_counts(inverted, lengths, ordinal, old, new_counts)
    except (KeyError, IndexError, ValueError):
        return "the search index kept does not match its term counts"
    count = len(previous.ids)
    scale = (_scoring_digest(), count, tuple(mean_length(sum(lengths[field]), count) for field in SEARCH_FIELDS))
    if scale != previous.scale:
        return "the edit moves a mean field length out of its step (six significant bits), which moves every score"
    averages = dict(zip(SEARCH_FIELDS, scale[2]))
    texts = previous.texts  # (changed in place: the kept index is patched, then kept)
    changed: dict[str, str | None] = {}
    size = postings_size
    k1_norms = {field: _Norms(field, lengths[field], averages[field]) for field in SEARCH_FIELDS}
    by_shard: dict[int, dict[bytes, tuple[str | None, str | None]]] = {}
    try:
        for term in touched:  # (only the terms whose score in the record may have moved)
            old_text = texts.pop(term, None)
            fields = [field for field in SEARCH_FIELDS if term in inverted[field]]
            if not fields:
                new_text = None
            elif old_text is not None and all((term in old[field]) == (term in new_counts[field]) for field in SEARCH_FIELDS):
                # In the same fields of the record as before: every other record's score for
                # the term is as it was (the same document frequency, the same mean lengths).
                new_text = _with_score(old_text, _rank(inverted, fields, term, ordinal), sum(
                    record_contribution(field, new_counts[field][term], k1_norms[field][ordinal],
                                        len(inverted[field][term]) // 2, count) for field in fields))
            else:
                new_text = _term_text([(field, inverted[field][term]) for field in fields], k1_norms)
            if old_text is not None:
                size -= _entry_size(term, old_text)
            if new_text is not None:
                texts[term] = new_text
                size += _entry_size(term, new_text)
            changed[term] = new_text
            by_shard.setdefault(shard_of(term, shards), {})[dumps(term)] = (old_text, new_text)
    except ValueError:  # a kept text without the record's posting
        return "the search index kept is not the published export's"
    moved = _moved_filters(published, meta, ordinal, count, record, shards)
    if moved is None:
        return "the published filter postings or counts are not as the export writes them"
    for term, (old_text, new_text) in moved.items():
        size += (_entry_size(term, new_text) if new_text is not None else 0) \
            - (_entry_size(term, old_text) if old_text is not None else 0)
        by_shard.setdefault(shard_of(term, shards), {})[dumps(term)] = (old_text, new_text)
    if _shard_count(size, shard_bytes) != shards:
        return "the export's number of shards changes"
    files: dict[str, bytes] = {}
    for k, changes in sorted(by_shard.items()):
        name = f"t/{k}.json"
        try:
            patched = _patch_shard((published / name).read_bytes(), changes)
        except OSError:
            return f"the published {name} cannot be read"
        if patched is None:
            return f"the published {name} is not the one the search index kept describes"
        files[name] = patched
    files[payload_file(ordinal, count)] = dumps(payload_of(record))
    terms = set().union(*(inverted[field].keys() for field in SEARCH_FIELDS))
    files["norm.json"] = dumps({"chars": _norm_table(terms), "phrases": REGIONAL_TERMS})
    files["meta.json"] = dumps(meta)  # (its filters' counts moved with the record's filters)
    for name in list(files):
        try:
            if (published / name).read_bytes() == files[name]:
                del files[name]
        except OSError:
            return f"the published export has no {name}"
    patch = PostingsPatch(previous.generation, os.urandom(16).hex(), ordinal, old_key, new_key, stored[old_key],
                          encode_counts(new_counts), changed)
    previous.keys[ordinal] = new_key
    return ExportPatch(files, size, cache, previous, patch)


def _moved_filters(published: Path, meta: dict, ordinal: int, count: int, record: SearchRecord, shards: int
                   ) -> dict[str, tuple[str | None, str | None]] | None:
    """The posting texts (old, new; None: absent) of the filter pseudo-terms the record
    leaves or joins (another issuer, say), with ``meta``'s filter counts moved in place;
    None when the published files are not as the whole export writes them."""
    try:
        old = json.loads((published / payload_file(ordinal, count)).read_bytes())
        old_pairs, new_pairs = set(filter_pairs(old)), set(filter_pairs(payload_of(record)))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    moved: dict[str, tuple[str | None, str | None]] = {}
    filters = meta.get("filters")
    for name, value in sorted(old_pairs ^ new_pairs):
        term = filter_term(name, value)
        try:
            data = (published / f"t/{shard_of(term, shards)}.json").read_bytes()
            counts = filters[name]
        except (OSError, KeyError, TypeError):
            return None
        found = _value_span(data, dumps(term))
        old_text = data[found[0]:found[1]].decode("ascii") if found is not None else None
        ordinals: list[int] = []
        for delta in json.loads(old_text) if old_text is not None else ():
            ordinals.append((ordinals[-1] if ordinals else 0) + delta)
        joins = (name, value) in new_pairs
        if (ordinal in ordinals) == joins or len(ordinals) != counts.get(value, 0):
            return None
        if joins:
            ordinals.insert(bisect_left(ordinals, ordinal), ordinal)
            counts[value] = len(ordinals)
        else:
            ordinals.remove(ordinal)
            if ordinals:
                counts[value] = len(ordinals)
            else:
                del counts[value]
        moved[term] = (old_text, _posting_text(ordinals, None) if ordinals else None)
    return moved


class _Norms:
    """:func:`~.scoring.field_k1_norms` of one field, computed for the records asked for only
    (a patch needs the norms of the few records holding a new term, not of all)."""

    def __init__(self, field: str, lengths: list[int], average: float) -> None:
        self.field, self.lengths, self.average = field, lengths, average

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, ordinal: int) -> float:
        return k1_norm(self.field, self.lengths[ordinal], self.average)


def _rank(inverted: dict, fields: list[str], term: str, ordinal: int) -> int:
    """Where ``ordinal`` is among the records holding ``term``: its place in the posting
    text, which holds the union of the fields' records in order."""
    if len(fields) == 1:
        return pair_index(inverted[fields[0]][term], ordinal) // 2
    before = [postings[0::2] for postings in (inverted[field][term] for field in fields)]
    return len(set().union(*(ordinals[:bisect_left(ordinals, ordinal)] for ordinals in before)))


_COMMAS = 256
_SKIP = re.compile("(?:[^,]*,){%d}" % _COMMAS)
_PAST: dict[int, re.Pattern[str]] = {}


def _with_score(text: str, at: int, value: int) -> str:
    """A posting text (``[Δordinal, score, …]``) with the score of its ``at``-th record
    replaced.  The texts of common terms hold thousands of numbers: the score's place is
    found by skipping commas with a regular expression (in C), not by splitting them all."""
    commas, position = 2 * at + 1, 1
    for _ in range(commas // _COMMAS):
        found = _SKIP.match(text, position)
        if found is None:
            raise ValueError(f"no posting at {at}")
        position = found.end()
    rest = commas % _COMMAS
    if rest:
        past = _PAST.get(rest)
        if past is None:
            past = _PAST[rest] = re.compile("(?:[^,]*,){%d}" % rest)
        found = past.match(text, position)
        if found is None:
            raise ValueError(f"no posting at {at}")
        position = found.end()
    end = position
    while text[end].isdigit():
        end += 1
    if end == position or text[end] not in ",]":
        raise ValueError(f"no posting at {at}")
    return f"{text[:position]}{value}{text[end:]}"


_ENTRY = re.compile(rb'("(?:[^"\\]|\\.)*"):(\[[0-9,]*\])')


def _patch_shard(data: bytes, changes: dict[bytes, tuple[str | None, str | None]]) -> bytes | None:
    """A published shard with the posting texts of some terms (by their JSON key) changed
    from ``old`` to ``new`` (None: absent); None when a term's old text is not the one there.

    A key is found by its bytes: ``,"term":[`` cannot occur inside another entry (a quote
    in a key is escaped, a list holds digits and commas only).  Only a shard gaining or
    losing a term is split into its entries, to keep them in order."""
    edits: list[tuple[int, int, bytes]] = []
    for key, (old, new) in changes.items():
        found = _value_span(data, key)
        if (data[found[0]:found[1]].decode("ascii") if found is not None else None) != old:
            return None
        if found is not None and new is not None:
            edits.append((found[0], found[1], new.encode("ascii")))
    if len(edits) < len(changes):  # a term gained or lost
        return _rebuilt_shard(data, changes)
    for start, end, text in sorted(edits, reverse=True):
        data = data[:start] + text + data[end:]
    return data


def _value_span(data: bytes, key: bytes) -> tuple[int, int] | None:
    pattern = key + b":["
    at = 1 if data.startswith(b"{" + pattern) else data.find(b"," + pattern) + 1
    if at <= 0:
        return None
    start = at + len(key) + 1
    return start, data.index(b"]", start) + 1


def _rebuilt_shard(data: bytes, changes: dict[bytes, tuple[str | None, str | None]]) -> bytes:
    entries = {key: value for key, value in _ENTRY.findall(data)}
    for key, (_, new) in changes.items():
        if new is None:
            entries.pop(key, None)
        else:
            entries[key] = new.encode("ascii")
    ordered = sorted(entries, key=json.loads)  # by the term, as the whole export orders them
    return b"{" + b",".join(key + b":" + entries[key] for key in ordered) + b"}"
