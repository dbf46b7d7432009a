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
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from .fields import SEARCH_FIELDS, payload_of
from .inversion import move_postings, moved_ordinals, pair_index, swap_counts
from .records import SearchRecord
from .scoring import k1_norm, mean_length, record_contribution
from .script import REGIONAL_TERMS
from .static_export import (DEFAULT_SHARD_BYTES, _entry_size, _norm_table, _posting_text, _scoring_digest,
                            _shard_count, _term_text, dumps, filter_pairs, filter_term, payload_file, shard_of)
from .token_cache import (Postings, PostingsMove, PostingsPatch, Splice, TokenCache, decode_counts, encode_counts,
                          record_counts, spliced)

MAX_MOVED = 64
"""The most records a record may move past (:func:`move_export`): the posting texts of
every term of each are rewritten; beyond, the whole export (which renumbers its kept index)."""


@dataclass
class ExportPatch:
    """The files of the export that change (``name under search/ → bytes``), and what
    :meth:`save` keeps for the next export once they are published."""

    files: dict[str, bytes]
    postings_size: int
    cache: TokenCache
    """Where the kept index is: its ``generation`` names it once :meth:`save` has kept it."""
    _postings: Postings
    _patch: PostingsPatch | PostingsMove

    def save(self) -> None:
        if isinstance(self._patch, PostingsPatch):
            self.cache.store.store({self._patch.new_key: self._patch.new_counts})
        self.cache.patch_postings(self._postings, self._patch)


def patch_export(published: Path, record: SearchRecord, cache: TokenCache, postings_size: int,
                 shard_bytes: int = DEFAULT_SHARD_BYTES, generation: str | None = None) -> ExportPatch | str:
    """The patch that makes the export published in ``published`` hold ``record`` (a record
    it has, with another text), or why only a whole export can.  ``postings_size``
    is the measure the published export's shard count came from; ``generation``, when
    given, the kept index's that describes it (another, older or newer, is not used)."""
    found = _kept(published, record, cache, generation)
    if isinstance(found, str):
        return found
    previous, ordinal, meta_bytes, meta = found
    shards = meta["shards"]
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
    files = _patched_shards(published, by_shard)
    if isinstance(files, str):
        return files
    files[payload_file(ordinal, count)] = dumps(payload_of(record))
    terms = set().union(*(inverted[field].keys() for field in SEARCH_FIELDS))
    files["norm.json"] = dumps({"chars": _norm_table(terms), "phrases": REGIONAL_TERMS})
    files["meta.json"] = dumps(meta)  # (its filters' counts moved with the record's filters)
    files = _changed_only(published, files)
    if isinstance(files, str):
        return files
    patch = PostingsPatch(previous.generation, os.urandom(16).hex(), ordinal, old_key, new_key, stored[old_key],
                          encode_counts(new_counts), changed)
    previous.keys[ordinal] = new_key
    return ExportPatch(files, size, cache, previous, patch)


def move_export(published: Path, record: SearchRecord, cache: TokenCache, postings_size: int,
                shard_bytes: int = DEFAULT_SHARD_BYTES, generation: str | None = None) -> ExportPatch | str:
    """The patch that makes the export published in ``published`` hold ``record``, a current
    version it has with the same searched text and filter values but another date of
    publication; or why only a whole export can.  Ordinals go newest first: the record
    may take another place among the current versions, and those it moves past one place
    towards its old one.  Their posting lists keep their terms and scores (the same
    records, lengths and counts) and change between the two places only; so do their
    ``d/`` files and the older versions' heads (``h.json``)."""
    found = _kept(published, record, cache, generation)
    if isinstance(found, str):
        return found
    previous, old, _, meta = found
    shards, heads, count = meta["shards"], meta["heads"], meta["docs"]
    if count != len(previous.ids) or old >= heads or record.id != record.document:
        return "the published export is not the kept index's, or the record is not a current version"
    if previous.keys[old] != cache.key(record):
        return "the record's searched text changed too"
    payloads: dict[int, dict] = {}

    def payload(ordinal: int) -> dict:
        if ordinal not in payloads:
            found = json.loads((published / payload_file(ordinal, count)).read_bytes())
            if found.get("id") != previous.ids[ordinal]:
                raise ValueError(f"d/ of {ordinal} is not the kept index's record")
            payloads[ordinal] = found
        return payloads[ordinal]

    mine = payload_of(record)
    key = (mine["published"], record.id)
    try:
        if set(filter_pairs(payload(old))) != set(filter_pairs(mine)):
            return "the record's filter values (its year, status…) change too"
        low, high = 0, heads - 1  # (its place among the other current versions, newest first)
        while low < high:
            middle = (low + high) // 2
            other = payload(middle if middle < old else middle + 1)
            if key[0] > other["published"] or key[0] == other["published"] and key[1] < other["id"]:
                high = middle
            else:
                low = middle + 1
    except (OSError, ValueError, KeyError, TypeError):
        return "the published d/ files are not the kept index's records"
    new = low
    first, last = min(old, new), max(old, new)
    if last - first > MAX_MOVED:
        return f"the record moves past more than {MAX_MOVED} others"
    mapping = moved_ordinals(old, new)
    files: dict[str, bytes] = {payload_file(new, count): dumps(mine)}
    terms: dict[str, set[str]] = {field: set() for field in SEARCH_FIELDS}
    filters: set[str] = set()
    try:
        stored = cache.store.load([previous.keys[ordinal] for ordinal in mapping]) if new != old else {}
        for ordinal, to in mapping.items() if new != old else ():  # (in its place: its d/ file alone changes)
            counts = decode_counts(stored[previous.keys[ordinal]])
            for field in SEARCH_FIELDS:
                terms[field].update(counts[field])
            moved = mine if ordinal == old else payload(ordinal)
            filters.update(filter_term(name, value) for name, value in filter_pairs(moved))
            files[payload_file(to, count)] = dumps(moved)
        heads_of = json.loads((published / "h.json").read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return "the moved records' kept term counts, d/ or h.json files are gone or not the kept index's"
    files["h.json"] = dumps([mapping.get(head, head) for head in heads_of])
    texts = previous.texts
    changed: dict[str, Splice] = {}
    by_shard: dict[int, dict[bytes, tuple[str | None, str | None]]] = {}
    size = postings_size
    inverted = previous.inverted
    try:
        for term in sorted(set().union(*terms.values())):
            at, before = _place([inverted[field][term] for field in SEARCH_FIELDS if term in inverted[field]], first)
            changed[term] = moved_splice(texts[term], mapping, first, last, scored=True, at=at, before=before)
        for term in sorted(filters):
            data = (published / f"t/{shard_of(term, shards)}.json").read_bytes()
            found = _value_span(data, dumps(term))
            if found is None:
                return f"the published export has no postings of {term}"
            old_text = data[found[0]:found[1]].decode("ascii")
            by_shard.setdefault(shard_of(term, shards), {})[dumps(term)] = (
                old_text, spliced(old_text, moved_splice(old_text, mapping, first, last, scored=False)))
    except (KeyError, ValueError, OSError):
        return "the kept posting texts or published shards do not hold the moved records"
    new_texts = {term: spliced(texts[term], splice) for term, splice in changed.items()}
    for term, new_text in new_texts.items():
        by_shard.setdefault(shard_of(term, shards), {})[dumps(term)] = (texts[term], new_text)
    size += sum(len(after or "") - len(before or "") for changes in by_shard.values()
                for before, after in changes.values())  # (:func:`~.static_export._entry_size`: the same keys)
    if _shard_count(size, shard_bytes) != shards:
        return "the export's number of shards changes"
    shards_patched = _patched_shards(published, by_shard)
    if isinstance(shards_patched, str):
        return shards_patched
    files = _changed_only(published, {**files, **shards_patched})
    if isinstance(files, str):
        return files
    moved_terms = {field: tuple(sorted(names)) for field, names in terms.items() if names}
    try:
        segments = move_postings(previous, old, new, moved_terms)
    except (KeyError, ValueError):
        return "the search index kept does not match its term counts"
    texts.update(new_texts)
    patch = PostingsMove(previous.generation, os.urandom(16).hex(), old, new, segments, changed)
    return ExportPatch(files, size, cache, previous, patch)


def _kept(published: Path, record: SearchRecord, cache: TokenCache, generation: str | None
          ) -> tuple[Postings, int, bytes, dict] | str:
    """The kept index (its arrays and texts read when used: a patch reads those of a few
    terms), the record's ordinal in it, and the published ``meta.json`` (its bytes and
    data); or why a patch cannot be made from them."""
    previous = cache.load_postings(lazy=True)
    if previous is None:
        return "no search index is kept"
    if generation is not None and previous.generation != generation:
        return "the search index kept is not the one the published export was made from"
    try:
        ordinal = previous.ids.index(record.id)
        meta_bytes = (published / "meta.json").read_bytes()
        meta = json.loads(meta_bytes)
        if not all(isinstance(meta[name], int) for name in ("shards", "heads", "docs")):
            raise TypeError("meta.json's counts are not numbers")
    except (ValueError, OSError, KeyError, TypeError):
        return "the published export does not hold the record, or its meta.json cannot be read"
    return previous, ordinal, meta_bytes, meta


def _patched_shards(published: Path, by_shard: dict[int, dict[bytes, tuple[str | None, str | None]]]
                    ) -> dict[str, bytes] | str:
    """The published shards with the posting texts ``by_shard`` gives changed (:func:`_patch_shard`),
    by name; or why not."""
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
    return files


def _changed_only(published: Path, files: dict[str, bytes]) -> dict[str, bytes] | str:
    """``files`` without those the published export holds as they are; or why not (one is missing)."""
    changed = {}
    for name, data in files.items():
        try:
            if (published / name).read_bytes() != data:
                changed[name] = data
        except OSError:
            return f"the published export has no {name}"
    return changed


def _place(arrays: list["array[int]"], first: int) -> tuple[int, int]:
    """Where the records from ordinal ``first`` on start in a term's posting text, which
    holds the union of its fields' records (``arrays``: their postings): how many records
    come before, and the ordinal of the last of them (0: none)."""
    found = [(postings, pair_index(postings, first)) for postings in arrays]
    before = max((postings[at - 2] for postings, at in found if at), default=0)
    from .flat_postings import _numpy

    np = _numpy()  # (a mask: the fields of common terms hold thousands of the same records)
    held = np.zeros(first, dtype=bool)
    for postings, at in found:
        held[np.frombuffer(postings, np.intc)[0:at:2]] = True
    return int(np.count_nonzero(held)), before


_NUMBER = re.compile(r"[0-9]+")


def moved_splice(text: str, mapping: dict[int, int], first: int, last: int, *, scored: bool,
                 at: int | None = None, before: int = 0) -> Splice:
    """What changes of a posting text (``[Δordinal, score, …]``, or ``[Δordinal, …]`` without
    ``scored``) once the records from ``first`` to ``last`` take the ordinals ``mapping``
    gives (:func:`spliced` makes the new text).  Given where they start (``at`` records
    come before them, the last of ordinal ``before``), the text is read there only: the
    texts of common terms hold thousands of numbers, and a kept index's log holds the
    splice, not the text."""
    step = 2 if scored else 1
    if at is None:
        numbers = list(map(int, text[1:-1].split(",")))
        ordinals = list(accumulate(numbers[::step]))
        at = bisect_left(ordinals, first)
        before = ordinals[at - 1] if at else 0
    start = _past_commas(text, step * at)
    position, ordinal, entries = start, before, []
    while True:
        found = _NUMBER.match(text, position)
        if found is None:
            raise ValueError("a posting text that is not a list of numbers")
        if ordinal + int(found.group()) > last:
            break
        ordinal += int(found.group())
        position = found.end() + 1
        score = 0
        if scored:
            found = _NUMBER.match(text, position)
            if found is None:
                raise ValueError("a posting without its score")
            score, position = int(found.group()), found.end() + 1
        entries.append((ordinal, score))
        if text[position - 1] == "]":
            break
    if not entries or any(ordinal not in mapping for ordinal, _ in entries):
        raise ValueError("no posting of the moved records")
    parts, previous = [], before
    for moved, score in sorted((mapping[at], score) for at, score in entries):
        parts += [str(moved - previous), str(score)] if scored else [str(moved - previous)]
        previous = moved
    segment = ",".join(parts)
    if text[position - 1] == "]":  # (the moved records were the last)
        return start, position - 1, segment
    after = _NUMBER.match(text, position)
    assert after is not None
    return start, after.end(), f"{segment},{ordinal + int(after.group()) - previous}"


def _past_commas(text: str, commas: int) -> int:
    """Where the number after the first ``commas`` commas of a posting text starts.  Counting
    commas is quick (in C): the place is guessed in proportion, the commas before it
    counted, and the rest of the way walked (by a regular expression skipping commas)."""
    if commas <= 0:
        return 1
    guess = len(text) * commas // (text.count(",") + 1)
    counted = text.count(",", 0, guess)
    if counted >= commas:  # (the comma is before the guess: back from there)
        position = guess
        for _ in range(counted - commas + 1):
            position = text.rfind(",", 0, position)
        return position + 1
    return _skip_commas(text, guess, commas - counted)


def _skip_commas(text: str, position: int, commas: int) -> int:
    """Where the text after the next ``commas`` commas from ``position`` on starts."""
    for _ in range(commas // _COMMAS):
        found = _SKIP.match(text, position)
        if found is None:
            raise ValueError(f"no {commas} commas")
        position = found.end()
    rest = commas % _COMMAS
    if rest:
        past = _PAST.get(rest)
        if past is None:
            past = _PAST[rest] = re.compile("(?:[^,]*,){%d}" % rest)
        found = past.match(text, position)
        if found is None:
            raise ValueError(f"no {commas} commas")
        position = found.end()
    return position


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
    return _place([inverted[field][term] for field in fields], ordinal)[0]


_COMMAS = 256
_SKIP = re.compile("(?:[^,]*,){%d}" % _COMMAS)
_PAST: dict[int, re.Pattern[str]] = {}


def _with_score(text: str, at: int, value: int) -> str:
    """A posting text (``[Δordinal, score, …]``) with the score of its ``at``-th record
    replaced.  The texts of common terms hold thousands of numbers: the score's place is
    found by counting commas (:func:`_past_commas`), not by splitting them all."""
    position = _past_commas(text, 2 * at + 1)
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
