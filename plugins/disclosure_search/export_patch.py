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
from dataclasses import dataclass, replace
from pathlib import Path

from .index import SEARCH_FIELDS, payload_of
from .inversion import swap_counts
from .records import SearchRecord
from .scoring import field_k1_norms, mean_length
from .script import REGIONAL_TERMS
from .static_export import (DEFAULT_SHARD_BYTES, _entry_size, _norm_table, _scoring_digest, _shard_bytes,
                            _shard_count, _term_text, dumps, shard_of)
from .token_cache import Postings, TokenCache, decode_counts, encode_counts, record_counts


@dataclass
class ExportPatch:
    """The files of the export that change (``name under search/ → bytes``), and what
    :meth:`save` keeps for the next export once they are published."""

    files: dict[str, bytes]
    postings_size: int
    _cache: TokenCache
    _postings: Postings
    _key: str
    _counts: bytes

    def save(self) -> None:
        self._cache.store.store({self._key: self._counts})
        self._cache.save_postings(self._postings)


def patch_export(published: Path, record: SearchRecord, cache: TokenCache, postings_size: int,
                 shard_bytes: int = DEFAULT_SHARD_BYTES) -> ExportPatch | None:
    """The patch that makes the export published in ``published`` hold ``record`` (a record
    it has, with another text), or None when only a whole export can.  ``postings_size``
    is the measure the published export's shard count came from."""
    previous = cache.load_postings()
    if previous is None:
        return None
    try:
        ordinal = previous.ids.index(record.id)
        meta = json.loads((published / "meta.json").read_bytes())
        shards = int(meta["shards"])
    except (ValueError, OSError, KeyError, TypeError):
        return None
    old_key, new_key = previous.keys[ordinal], cache.key(record)
    stored = cache.store.load([old_key])
    if old_key not in stored:
        return None
    new_counts = record_counts(record)
    inverted, lengths = previous.inverted, previous.lengths
    try:
        touched = swap_counts(inverted, lengths, ordinal, decode_counts(stored[old_key]), new_counts)
    except (KeyError, IndexError, ValueError):  # a kept index that does not match its counts
        return None
    count = len(previous.ids)
    scale = (_scoring_digest(), count, tuple(mean_length(sum(lengths[field]), count) for field in SEARCH_FIELDS))
    if scale != previous.scale:
        return None  # every score moves: the whole export
    k1_norms = {field: field_k1_norms(field, lengths[field]) for field in SEARCH_FIELDS}
    texts = dict(previous.texts)
    size = postings_size
    for term in touched:
        old_text = texts.pop(term, None)
        if old_text is not None:
            size -= _entry_size(term, old_text)
        found = [(field, inverted[field][term]) for field in SEARCH_FIELDS if term in inverted[field]]
        if found:  # (the first field that has it first, as the whole export takes them)
            texts[term] = _term_text(found, k1_norms)
            size += _entry_size(term, texts[term])
    if _shard_count(size, shard_bytes) != shards:
        return None
    files: dict[str, bytes] = {}
    for k in sorted({shard_of(term, shards) for term in touched}):
        name = f"t/{k}.json"
        try:
            shard = json.loads((published / name).read_bytes())
        except (OSError, ValueError):
            return None
        entries: dict[str, str] = {}
        for term, values in shard.items():
            text = "[" + ",".join(map(str, values)) + "]"  # the published list as its text (integers)
            if previous.texts.get(term, text) != text or (term in touched and term not in previous.texts):
                return None  # not the export the kept index describes
            entries[term] = text
        for term in touched:
            if shard_of(term, shards) == k:
                entries.pop(term, None)
                if term in texts:
                    entries[term] = texts[term]
        files[name] = _shard_bytes(sorted(entries), entries)
    files[f"d/{ordinal}.json"] = dumps(payload_of(record))
    terms = set().union(*(inverted[field].keys() for field in SEARCH_FIELDS))
    files["norm.json"] = dumps({"chars": _norm_table(terms), "phrases": REGIONAL_TERMS})
    for name in list(files):
        try:
            if (published / name).read_bytes() == files[name]:
                del files[name]
        except OSError:
            return None  # a file the published export should have
    keys = list(previous.keys)
    keys[ordinal] = new_key
    postings = replace(previous, keys=keys, inverted=inverted, lengths=lengths, texts=texts)
    return ExportPatch(files, size, cache, postings, new_key, encode_counts(new_counts))
