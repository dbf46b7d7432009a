"""The export's array inversion and posting texts equal the per-posting reference.

:mod:`disclosure_search.flat_postings` computes what a Python loop over every posting
computes (the inverted index, each term's scores, its posting text), with numpy; these
tests hold it to that loop, value for value, on synthetic records and on the embedded
content's records and the seeds' texts.
"""

from __future__ import annotations

from array import array
from datetime import date

import pytest

from disclosure_search import flat_postings
from disclosure_search.flat_postings import flatten, group, grouped_of, inverted_of, posting_texts
from disclosure_search.index import SEARCH_FIELDS
from disclosure_search.records import SearchRecord
from disclosure_search.scoring import contributions_of_postings, field_k1_norms, term_contributions
from disclosure_search.static_export import _term_text
from disclosure_search.token_cache import record_counts

from search_fixtures import synthetic_records

def per_posting_inversion(counts: list) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """The reference: every posting appended in ordinal order (what the export did before)."""
    inverted: dict[str, dict[str, array[int]]] = {field: {} for field in SEARCH_FIELDS}
    lengths: dict[str, list[int]] = {field: [] for field in SEARCH_FIELDS}
    for ordinal, record_counts_ in enumerate(counts):
        for field in SEARCH_FIELDS:
            lengths[field].append(sum(record_counts_[field].values()))
            for term, tf in record_counts_[field].items():
                inverted[field].setdefault(term, array("i")).extend((ordinal, tf))
    return inverted, lengths


def flat_inversion(counts: list, runs: int) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """The arrays' inversion, the records split into ``runs`` consecutive runs (as workers do)."""
    step = -(-len(counts) // runs)
    parts = [flatten(counts.__getitem__, (start, min(start + step, len(counts))))
             for start in range(0, len(counts), step)]
    lengths = {field: [n for _, part in parts for n in part[field]] for field in SEARCH_FIELDS}
    return group([flat for flat, _ in parts]), lengths


def real_records() -> list[SearchRecord]:
    """The embedded content's search records, and as many again with the seeds' texts as
    their bodies when the seeds are beside the project."""
    from dataclasses import replace

    from disclosure.corpus import load_corpus
    from disclosure_search.records import records_from_corpus

    from support import CONTENT, SEEDS

    loaded = load_corpus(CONTENT)
    assert loaded.corpus is not None
    records = records_from_corpus(loaded.corpus.public(), date(2026, 11, 22))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    return records + [replace(records[i % len(records)], text=text) for i, text in enumerate(texts)]


@pytest.fixture(scope="module", params=["synthetic", "real"])
def counts(request: pytest.FixtureRequest) -> list:  # type: ignore[type-arg]
    records = synthetic_records(150) if request.param == "synthetic" else real_records()
    return [record_counts(record) for record in records]


@pytest.mark.parametrize("runs", [1, 3, 8])
def test_the_inverted_index_is_the_per_posting_one(counts: list, runs: int) -> None:  # type: ignore[type-arg]
    expected, expected_lengths = per_posting_inversion(counts)
    grouped, lengths = flat_inversion(counts, runs)
    inverted = inverted_of(grouped)
    assert lengths == expected_lengths
    for field in SEARCH_FIELDS:
        assert list(inverted[field]) == list(expected[field])  # terms in order of first occurrence
        assert inverted[field] == expected[field]


def test_arrays_made_again_from_an_inverted_index_are_the_same(counts: list) -> None:  # type: ignore[type-arg]
    grouped, _ = flat_inversion(counts, 2)
    again = grouped_of(inverted_of(grouped))
    for field in SEARCH_FIELDS:
        assert again[field].terms == grouped[field].terms
        assert again[field].starts.tolist() == grouped[field].starts.tolist()
        assert again[field].ordinals.tolist() == grouped[field].ordinals.tolist()
        assert again[field].tfs.tolist() == grouped[field].tfs.tolist()


def test_scores_are_the_per_term_loop_s_bit_for_bit(counts: list) -> None:  # type: ignore[type-arg]
    inverted, lengths = per_posting_inversion(counts)
    grouped, _ = flat_inversion(counts, 2)
    for field in SEARCH_FIELDS:
        norms = field_k1_norms(field, lengths[field])
        found = grouped[field]
        df = found.starts[1:] - found.starts[:-1]
        scores = contributions_of_postings(field, df, found.ordinals, found.tfs, norms).tolist()
        starts = found.starts.tolist()
        for term, start, end in zip(found.terms, starts, starts[1:]):
            assert scores[start:end] == term_contributions(field, inverted[field][term], norms)[1], (field, term)


@pytest.mark.parametrize("part_postings", [2_000, 10**9])
def test_posting_texts_are_the_per_term_ones(counts: list, part_postings: int,  # type: ignore[type-arg]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the parts the terms are taken in, every text is :func:`_term_text`'s."""
    monkeypatch.setattr(flat_postings, "PART_POSTINGS", part_postings)
    inverted, lengths = per_posting_inversion(counts)
    norms = {field: field_k1_norms(field, lengths[field]) for field in SEARCH_FIELDS}
    expected = {}
    for field in SEARCH_FIELDS:
        for term in inverted[field]:
            if term not in expected:
                expected[term] = _term_text([(f, inverted[f][term]) for f in SEARCH_FIELDS if term in inverted[f]], norms)
    grouped, _ = flat_inversion(counts, 2)
    assert posting_texts(grouped, norms, len(counts)) == expected
    some = frozenset(list(expected)[::5])
    assert posting_texts(grouped_of(inverted, some), norms, len(counts)) == {term: expected[term] for term in some}
    assert posting_texts(grouped_of(inverted, frozenset()), norms, len(counts)) == {}


def test_numbers_beyond_the_lookup_table_are_written_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy

    monkeypatch.setattr(flat_postings, "TABLE_LIMIT", 10)
    values = numpy.array([0, 3, 10, 11, 12345], numpy.int64)
    decimal = flat_postings._decimal(numpy, values)
    assert [decimal(v) for v in values.tolist()] == ["0", "3", "10", "11", "12345"]
    assert flat_postings._decimal(numpy, numpy.array([-1, 2], numpy.int64)) is str


def test_no_records_make_no_postings() -> None:
    grouped = group([])
    assert all(not found.terms for found in grouped.values())
    assert inverted_of(grouped) == {field: {} for field in SEARCH_FIELDS}
    assert posting_texts(grouped, {field: [] for field in SEARCH_FIELDS}, 0) == {}
