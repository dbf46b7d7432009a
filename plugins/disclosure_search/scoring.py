"""The ranking model, shared by the whoosh search and the static export.

Ranking must be *identical* in Python (:func:`disclosure_search.index.search`)
and in the browser (``static/search.js``), so it is built from integers:

1. For a term ``t``, a field ``f`` and a document ``d``, the *contribution*
   is BM25 with a per-field boost, quantised to an integer
   (:func:`contribution`): ``round(1000 · boost_f · idf_f(t) · tf·(k1+1) /
   (tf + k1·(1 − b_f + b_f·len/avglen)))``. Statistics are per field, from
   the whoosh index; ``len`` keeps four significant bits (:func:`norm_length`),
   ``avglen`` six (:func:`mean_length`).
2. The *term score* of ``t`` in ``d`` is the sum over fields. Both the
   search and the export get the per-field integers from :func:`term_scores`
   (whoosh postings and statistics of live documents); the export writes the
   sums, the browser adds them up: integers agree bit for bit.
3. A document's *total* is the sum of its term scores over the query's core
   and bonus terms; ``matched`` is how many *core* terms it contains. Its
   score is ``total · matched² / core²`` (:func:`final_score`): a document
   containing all the query's bigrams comes before one that contains half of
   them many times. Integer products and one IEEE division: the same double
   in Python and JavaScript.
4. A document is kept only if ``2 · matched ≥ best`` where ``best`` is the
   largest ``matched`` among candidates (:func:`keeps`): unknown words in a
   query (e.g. a pinyin issuer code) lower the bar for every document alike.
5. Every public version of a document is indexed, but a document appears
   once in the results (:func:`collapse`): its score is the best of its kept
   versions', and it is shown by its current version unless an older version
   contains more of the query's core terms.
6. Ties, and the "date" sort, follow the *ordinal* of the document's current
   version: documents ordered by publication date, newest first, then id
   (:func:`ordinal_order`). Older versions get ordinals after all current ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence


#: Fields searched, with their boost: a match in the number or the title outranks the body.
FIELD_BOOSTS: dict[str, float] = {
    "doc_number": 8.0,
    "title": 5.0,
    "title_en": 3.0,
    "keywords": 2.0,
    "issuer": 1.5,
    "topic": 1.5,
    "text": 1.0,
}
#: BM25 length normalisation per field (short fields are normalised less).
FIELD_B: dict[str, float] = {"text": 0.75, "title": 0.5, "title_en": 0.5}
DEFAULT_B = 0.3
K1 = 1.2
SCALE = 1000


def contribution(field: str, tf: float, length: float, avg_length: float, df: int, n_docs: int) -> int:
    """The integer score contribution of one term in one field of one document.

    ``tf`` is the term's frequency in the field, ``length`` the field's length
    in tokens, ``avg_length`` its mean over the index, ``df`` the number of
    documents whose field holds the term and ``n_docs`` the number of documents.
    """
    if tf <= 0:
        return 0
    idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
    b = FIELD_B.get(field, DEFAULT_B)
    norm = 1.0 - b + b * (norm_length(int(length)) / avg_length if avg_length > 0 else 1.0)
    value = FIELD_BOOSTS[field] * idf * tf * (K1 + 1.0) / (tf + K1 * norm)
    return int(math.floor(value * SCALE + 0.5))


#: Significant bits of a field's mean length in the scores (:func:`mean_length`).
MEAN_LENGTH_BITS = 6

#: Significant bits of a document's field length in its scores (:func:`norm_length`).
LENGTH_BITS = 4


def norm_length(length: int) -> int:
    """A field's length in tokens as it enters the scores: exact up to 15, then rounded
    down to its four leading bits (within 6–12%), as Lucene keeps a document's length in
    one byte.  BM25's length normalisation does not need more, and a sentence added to a
    long body then seldom changes that body's own score in every term it holds (which
    would change every posting list it is in: hundreds of files of the static export)."""
    length = length or 1
    shift = max(length.bit_length() - LENGTH_BITS, 0)
    return (length >> shift) << shift


def mean_length(total: int, count: int) -> float:
    """A field's mean length in tokens over ``count`` documents, rounded to six significant
    bits (within 1.6%; half to even).

    Rounded so that an edit almost never changes it: every score depends on it, and the
    export then recomputes only the posting lists of the terms an edit touched.  Rounded
    relative to its size, as a document's own length is (:func:`norm_length`, four bits):
    with a step of a sixteenth of a token, one sentence added to one body moved the mean
    body length of a 1,000-document site out of its step about one edit in eight, and
    every score with it; a mean body of 1,500 tokens moves in steps of 32.  BM25
    needs no more precision of the mean than of the lengths.  A binary fraction: the same
    double everywhere."""
    mean = total / count if count else 0.0
    if mean <= 0:
        return 0.0
    exponent = math.frexp(mean)[1] - MEAN_LENGTH_BITS
    return math.ldexp(round(math.ldexp(mean, -exponent)), exponent)


def field_k1_norms(field: str, lengths: Sequence[int]) -> list[float]:
    """``K1 · norm`` of every document for ``field`` (``lengths`` per ordinal, all documents):
    the per-document part of :func:`contribution`, computed once per field."""
    average = mean_length(sum(lengths), len(lengths))
    b = FIELD_B.get(field, DEFAULT_B)
    # k1_norm()'s arithmetic, inline: this runs for every document of every field
    return [K1 * (1.0 - b + b * (norm_length(length) / average if average > 0 else 1.0)) for length in lengths]


def k1_norm(field: str, length: int, average: float) -> float:
    """One document's value of :func:`field_k1_norms` (``average``: the field's :func:`mean_length`)."""
    b = FIELD_B.get(field, DEFAULT_B)
    return K1 * (1.0 - b + b * (norm_length(length) / average if average > 0 else 1.0))


def term_contributions(field: str, postings: Sequence[int], k1_norms: list[float]) -> tuple[list[int], list[int]]:
    """:func:`contribution` of one term for all its postings in ``field`` at once.

    ``postings`` is flat, ``[ordinal, tf, ordinal, tf, …]``; ``k1_norms`` comes
    from :func:`field_k1_norms`. Returns the ordinals and their contributions.
    The arithmetic is :func:`contribution`'s, in the same order (a test compares
    them bit for bit), with the per-term and per-document parts hoisted out of the
    loop: this is the hot loop of the static export.
    """
    boost_idf = _boost_idf(field, len(k1_norms), len(postings) // 2)
    ordinals = list(postings[0::2])
    floor, k1p1 = math.floor, K1 + 1.0
    values = [  # math.floor of a float is already an int
        floor(boost_idf * tf * k1p1 / (tf + k1_norms[o]) * SCALE + 0.5)
        for o, tf in zip(ordinals, postings[1::2])
    ]
    return ordinals, values


def contributions_of_postings(field: str, df: Any, ordinals: Any, tfs: Any, k1_norms: list[float]) -> Any:
    """:func:`term_contributions` of every term of ``field`` at once, as numpy arrays:
    term ``i`` has the next ``df[i]`` of ``ordinals`` and ``tfs``.  The same floating-point
    operations in the same order (numpy's are IEEE doubles too, none fused), and each
    term's IDF from :mod:`math`: the same integers, bit for bit (a test compares them)."""
    import numpy as np

    boost_idf = np.array([_boost_idf(field, len(k1_norms), d) for d in df.tolist()], np.float64)
    tf = tfs.astype(np.float64)
    norms = np.asarray(k1_norms, np.float64)[ordinals] if len(ordinals) else np.zeros(0, np.float64)
    values = np.repeat(boost_idf, df) * tf * (K1 + 1.0) / (tf + norms) * float(SCALE) + 0.5
    return np.floor(values).astype(np.int64)


def record_contribution(field: str, tf: int, k1_norm: float, df: int, n_docs: int) -> int:
    """:func:`term_contributions`' value for one document (the same arithmetic, bit for bit):
    what a term's posting list changes by when one document's text changes and the
    term's document frequency does not."""
    return math.floor(_boost_idf(field, n_docs, df) * tf * (K1 + 1.0) / (tf + k1_norm) * SCALE + 0.5)


def _boost_idf(field: str, n_docs: int, df: int) -> float:
    return FIELD_BOOSTS[field] * math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def final_score(total: int, matched: int, n_core: int) -> float:
    """A document's score from its summed term scores and its core-term coverage."""
    if n_core == 0:
        return 0.0
    return (total * matched * matched) / (n_core * n_core)


def keeps(matched: int, best_matched: int) -> bool:
    """Whether a document covering ``matched`` core terms stays among the results."""
    return 2 * matched >= best_matched


def collapse(kept: list[tuple[int, float, int]], head_of: Callable[[int], int]) -> list[tuple[int, float]]:
    """One result per document, in the order of the documents' head ordinals.

    ``kept`` holds ``(ordinal, score, matched)`` of matching records (``matched``:
    core terms found), ``head_of`` maps an ordinal to that of its document's
    current version. A document's score is the highest of its records'. It is
    shown by its current version unless an older version contains more of the
    query's core terms (words or a number that the revision removed); then by
    the older version with the most, highest score first, lowest ordinal on
    ties. search.js has the same function.
    """
    groups: dict[int, list[tuple[int, float, int]]] = {}
    for item in kept:
        groups.setdefault(head_of(item[0]), []).append(item)
    out: list[tuple[int, float]] = []
    for head in sorted(groups):
        members = groups[head]
        best_score = max(score for _, score, _ in members)
        most = max(matched for _, _, matched in members)
        eligible = [(o, score) for o, score, matched in members if matched == most]
        if any(o == head for o, _ in eligible):
            shown = head
        else:
            top = max(score for _, score in eligible)
            shown = min(o for o, score in eligible if score == top)
        out.append((shown, best_score))
    return out


def record_order(items: list[tuple[str, str, str, int]]) -> tuple[list[int], int]:
    """Ordinal order of records given as ``(published, id, document, version)``.

    Returns the indices of ``items`` in ordinal order and the number of heads
    (current versions, ``id == document``): heads come first, in
    :func:`ordinal_order`, then older versions grouped by their head's place,
    newest version first. Raises :class:`ValueError` for an older version
    whose document has no head among ``items``.
    """
    heads = [i for i, item in enumerate(items) if item[1] == item[2]]
    head_order = [heads[k] for k in ordinal_order([(items[i][0], items[i][1]) for i in heads])]
    place = {items[i][1]: n for n, i in enumerate(head_order)}
    older = [i for i, item in enumerate(items) if item[1] != item[2]]
    for i in older:
        if items[i][2] not in place:
            raise ValueError(f"search record {items[i][1]!r} is a version of {items[i][2]!r}, which has no record")
    older.sort(key=lambda i: (place[items[i][2]], -items[i][3], items[i][1]))
    return head_order + older, len(head_order)


def ordinal_order(items: list[tuple[str, str]]) -> list[int]:
    """Indices of ``(published, id)`` pairs in ordinal order (newest first, then id ascending)."""
    by_id = sorted(range(len(items)), key=lambda i: items[i][1])
    return sorted(by_id, key=lambda i: items[i][0], reverse=True)


#: Suffix of the column holding a searched field's exact length in tokens (written by the index).
LENGTH_SUFFIX = "__len"


@dataclass(frozen=True)
class FieldStats:
    """Exact per-document field lengths and their means over the live documents.

    Lengths come from the index's own length columns (token counts recorded at
    indexing time), not from whoosh's running totals, which keep counting
    deleted documents until a merge: the averages, hence the scores, depend
    only on the documents indexed, not on the history of builds.
    ``lengths[field][docnum]`` is 0 for a deleted document.
    """

    n_docs: int
    lengths: dict[str, list[int]]
    averages: dict[str, float]


def field_stats(searcher: Any) -> FieldStats:
    """The :class:`FieldStats` of the index behind ``searcher`` (compute once per search)."""
    reader = searcher.reader()
    live = list(reader.all_doc_ids())
    lengths: dict[str, list[int]] = {}
    averages: dict[str, float] = {}
    for field in FIELD_BOOSTS:
        column = list(reader.column_reader(field + LENGTH_SUFFIX))
        kept = [0] * len(column)
        for docnum in live:
            kept[docnum] = column[docnum]
        lengths[field] = kept
        averages[field] = mean_length(sum(kept), len(live))
    return FieldStats(len(live), lengths, averages)


def term_scores(searcher: Any, stats: FieldStats, field: str, term: str) -> dict[int, int]:
    """The integer contribution of ``term`` in ``field`` for every live document containing it.

    Keys are the searcher's document numbers. Statistics come from live
    documents only (``stats``; ``df`` counts the postings left after
    deletions), so an index updated incrementally scores exactly like one
    built afresh. This one function feeds both
    :func:`disclosure_search.index.search` and the static export.
    """
    from whoosh.reading import TermNotFound  # (the static export and its patch import this module without whoosh)

    try:
        postings = list(searcher.reader().postings(field, term).items_as("weight"))
    except TermNotFound:
        return {}
    lengths, avg_length, df = stats.lengths[field], stats.averages[field], len(postings)
    return {
        docnum: contribution(field, weight, lengths[docnum] or 1, avg_length, df, stats.n_docs)
        for docnum, weight in postings
    }
