"""The static export's inversion and posting texts as array operations.

Inverting the records of a large site one posting at a time is a Python loop over
every (record, field, term): 12 million postings at 10,000 documents, about 13 CPU
seconds, and computing each term's posting text from them another 13.  Here each
worker lays its records' counts out flat (:func:`flatten`: list and array extends, all
in C), and the export sorts the flat arrays by term (:func:`group`) and computes every
score and delta at once (:func:`posting_texts`) with numpy: about 12 CPU seconds in
all.  The results are those of :func:`~.inversion.invert_records`' per-posting loop and
:func:`~.static_export._term_text`, value for value (tests compare them): the scores'
floating-point operations are the same, in the same order, and per-term logarithms
are still computed by :mod:`math`.

numpy is imported only by the export of a whole build (never by a quick rebuild or check).
"""

from __future__ import annotations

from array import array
from itertools import count
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from .fields import SEARCH_FIELDS
from .scoring import contributions_of_postings
from .token_cache import Counts

if TYPE_CHECKING:  # pragma: no cover
    import numpy

PART_POSTINGS = 500_000
"""Posting texts are computed for the terms of one part at a time, parts of about this
many postings: the arrays that sum a term's scores over fields then take ~25 MB, not
500 MB at 10,000 documents (12 million postings).  Inverted indexes are made in blocks
of as many."""
TABLE_LIMIT = 1 << 18
"""Numbers up to this are written by looking their text up in a table made once."""


class Flat(NamedTuple):
    """One field's postings of a run of records, in ordinal order: the ``terms`` in order of
    first occurrence; per record, how many terms it has (``sizes``); per posting, the
    term's place among ``terms`` and its frequency in the record's field."""

    terms: list[str]
    sizes: "array[int]"
    ids: "array[int]"
    tfs: "array[int]"


class Grouped(NamedTuple):
    """One field's postings of all records, by term: term ``i`` of ``terms`` (in order of
    first occurrence) has the postings ``starts[i]`` to ``starts[i + 1] - 1`` of
    ``ordinals`` and ``tfs``, in ordinal order."""

    terms: list[str]
    starts: "numpy.ndarray"
    ordinals: "numpy.ndarray"
    tfs: "numpy.ndarray"


def flatten(counts_of: Callable[[int], Counts], bounds: tuple[int, int]) -> tuple[dict[str, Flat], dict[str, list[int]]]:
    """The flat postings and field lengths of the records of ordinals ``bounds[0]`` to
    ``bounds[1] - 1`` (``counts_of(ordinal)``: a record's token counts)."""
    terms: dict[str, list[str]] = {field: [] for field in SEARCH_FIELDS}
    sizes = {field: array("i") for field in SEARCH_FIELDS}
    tfs = {field: array("i") for field in SEARCH_FIELDS}
    lengths: dict[str, list[int]] = {field: [] for field in SEARCH_FIELDS}
    for ordinal in range(*bounds):
        counts = counts_of(ordinal)
        for field in SEARCH_FIELDS:
            found = counts[field]
            lengths[field].append(sum(found.values()))
            terms[field].extend(found)
            tfs[field].extend(found.values())
            sizes[field].append(len(found))
    flat: dict[str, Flat] = {}
    for field in SEARCH_FIELDS:
        place = dict(zip(dict.fromkeys(terms[field]), count()))
        flat[field] = Flat(list(place), sizes[field], array("i", map(place.__getitem__, terms[field])), tfs[field])
    return flat, lengths


def group(parts: list[dict[str, Flat]]) -> dict[str, Grouped]:
    """The postings of consecutive runs of records (``parts``, in ordinal order), by term.
    Each field is taken out of ``parts`` as it is grouped (its memory goes as it is done)."""
    np = _numpy()
    grouped: dict[str, Grouped] = {}
    for field in SEARCH_FIELDS:
        flats = [part.pop(field) for part in parts]
        place: dict[str, int] = {}
        renumbered = []
        for flat in flats:
            renumber = np.fromiter((place.setdefault(term, len(place)) for term in flat.terms), np.int32,
                                   len(flat.terms))
            renumbered.append(renumber[_ints(flat.ids)])
        ids = _joined(np, renumbered)
        sizes = _joined(np, [_ints(flat.sizes) for flat in flats])
        tfs = _joined(np, [_ints(flat.tfs) for flat in flats])
        del flats, renumbered  # (each step frees what it was made from: 12 million postings at 10,000 documents)
        df = np.bincount(ids, minlength=len(place))
        order = np.argsort(ids, kind="stable")  # stable: each term's postings stay in ordinal order
        del ids
        tfs = tfs[order]
        ordinals = np.repeat(np.arange(len(sizes), dtype=np.intc), sizes)[order]
        del order
        starts = np.zeros(len(place) + 1, np.int64)
        np.cumsum(df, out=starts[1:])
        grouped[field] = Grouped(list(place), starts, ordinals, tfs)
    return grouped


def inverted_of(grouped: dict[str, Grouped]) -> dict[str, dict[str, "array[int]"]]:
    """Per field and term, flat ``[ordinal, tf, …]``: what the per-posting loop makes."""
    np = _numpy()
    inverted: dict[str, dict[str, array[int]]] = {}
    for field, found in grouped.items():
        postings: dict[str, array[int]] = {}
        starts = found.starts.tolist()
        first = 0  # the first term of the next block: blocks of about PART_POSTINGS postings
        while first < len(found.terms):
            last = int(np.searchsorted(found.starts, starts[first] + PART_POSTINGS, "right")) - 1
            last = min(max(last, first + 1), len(found.terms))
            low, high = starts[first], starts[last]
            pairs = np.empty(2 * (high - low), np.intc)
            pairs[0::2] = found.ordinals[low:high]
            pairs[1::2] = found.tfs[low:high]
            raw = memoryview(pairs).cast("B")
            size = pairs.itemsize * 2
            for term, start, end in zip(found.terms[first:last], starts[first:last], starts[first + 1:last + 1]):
                postings[term] = posting = array("i")
                posting.frombytes(raw[size * (start - low):size * (end - low)])
            first = last
        inverted[field] = postings
    return inverted


def grouped_of(inverted: dict[str, dict[str, "array[int]"]], only: frozenset[str] | None = None) -> dict[str, Grouped]:
    """The arrays of an inverted index (the kept one, patched), of the terms in ``only`` if
    given (after an edit: a few of its lists, not a copy of all 12 million postings)."""
    np = _numpy()
    grouped: dict[str, Grouped] = {}
    for field, postings in inverted.items():
        if only is not None:
            postings = {term: found for term, found in postings.items() if term in only}
        pairs = np.frombuffer(b"".join(map(bytes, postings.values())), np.intc) if postings else np.zeros(0, np.intc)
        starts = np.zeros(len(postings) + 1, np.int64)
        np.cumsum(np.fromiter(map(len, postings.values()), np.int64, len(postings)) // 2, out=starts[1:])
        grouped[field] = Grouped(list(postings), starts, pairs[0::2], pairs[1::2])
    return grouped


def posting_texts(grouped: dict[str, Grouped], k1_norms: dict[str, list[float]], records: int) -> dict[str, str]:
    """The posting text of every term of ``grouped``, ``[Δordinal, score, …]`` with its scores
    summed over the fields that hold it (:func:`~.static_export._term_text`'s)."""
    np = _numpy()
    number: dict[str, int] = {}  # every term of every field
    fields = []
    for field, found in grouped.items():
        ids = np.fromiter((number.setdefault(term, len(number)) for term in found.terms), np.int64, len(found.terms))
        fields.append((field, ids, np.diff(found.starts), found))
    terms = list(number)
    total = sum(len(found.ordinals) for _, _, _, found in fields)
    parts = max(1, -(-total // PART_POSTINGS))
    texts: dict[str, str] = {}
    for part in range(parts):
        ids, ordinals, scores = [], [], []
        for field, field_ids, df, found in fields:
            mine = field_ids % parts == part
            postings = np.repeat(mine, df)
            ids.append(np.repeat(field_ids[mine], df[mine]))
            ordinals.append(found.ordinals[postings])
            scores.append(contributions_of_postings(field, df[mine], ordinals[-1], found.tfs[postings], k1_norms[field]))
        _part_texts(np, terms, _joined(np, ids, np.int64), _joined(np, ordinals), _joined(np, scores, np.int64),
                    records, texts)
    return texts


def _part_texts(np: Any, terms: list[str], ids: "numpy.ndarray", ordinals: "numpy.ndarray", scores: "numpy.ndarray",
                records: int, texts: dict[str, str]) -> None:
    """Add the posting texts of the terms of one part (its postings of every field) to ``texts``."""
    if not len(ids):
        return
    key = ids * records + ordinals  # a term's postings together, in ordinal order
    # (equal keys are one term and document in two fields: summed below).  The keys are
    # runs already sorted (each field's postings of a term): a stable sort, which finds
    # them, is a third quicker than the default on 10,000 documents (2.2 -> 1.6 s).
    order = np.argsort(key, kind="stable")
    key = key[order]
    firsts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    scores = np.add.reduceat(scores[order], firsts)  # integer sums: their order does not matter
    del order
    ids, ordinals = np.divmod(key[firsts], records)
    del key, firsts
    starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    previous = np.concatenate(([0], ordinals[:-1]))
    previous[starts] = 0
    flat = np.empty(2 * len(ids), np.int64)
    flat[0::2] = ordinals - previous
    flat[1::2] = scores
    decimal = _decimal(np, flat)
    bounds = (2 * starts).tolist() + [len(flat)]
    for term_id, start, end in zip(ids[starts].tolist(), bounds, bounds[1:]):
        texts[terms[term_id]] = "[" + ",".join(map(decimal, flat[start:end].tolist())) + "]"


def _decimal(np: Any, values: "numpy.ndarray") -> Callable[[int], str]:
    """``str`` for ``values``: small non-negative ones (ordinals, scores) looked up in a table,
    four times quicker than ``str`` on 25 million of them."""
    if not len(values) or int(values.min()) < 0:
        return str
    top = int(values.max())
    table = list(map(str, range(min(top, TABLE_LIMIT) + 1)))
    if top <= TABLE_LIMIT:
        return table.__getitem__
    return lambda number: table[number] if number <= TABLE_LIMIT else str(number)


def _joined(np: Any, arrays: list[Any], dtype: Any = None) -> Any:
    """``numpy.concatenate(arrays)``, also of none."""
    if not arrays:
        return np.zeros(0, dtype or np.intc)
    return np.concatenate(arrays)


def _ints(values: "array[int]") -> Any:
    np = _numpy()
    return np.frombuffer(values, np.intc) if len(values) else np.zeros(0, np.intc)


def _numpy() -> Any:
    import numpy

    return numpy
