"""One result per document: scoring.collapse, and search.js's copy of it."""

from __future__ import annotations

import random

import pytest

from disclosure_search.scoring import collapse, record_order

from search_fixtures import NODE, node_eval

# ordinals 0-2 are heads; 3 and 4 are older versions of head 1, 5 of head 2
HEADS = 3
OLDER = [1, 1, 2]


def head_of(ordinal: int) -> int:
    return ordinal if ordinal < HEADS else OLDER[ordinal - HEADS]


def test_a_document_is_shown_once_by_its_current_version() -> None:
    kept = [(0, 5.0, 2), (1, 3.0, 2), (3, 9.0, 2), (4, 1.0, 1)]
    # document 1 takes the best score of its versions but is shown by its head
    assert collapse(kept, head_of) == [(0, 5.0), (1, 9.0)]


def test_an_older_version_with_more_query_terms_stands_for_its_document() -> None:
    kept = [(1, 3.0, 1), (3, 2.0, 2), (4, 2.5, 2)]
    assert collapse(kept, head_of) == [(4, 3.0)]
    assert collapse([(3, 2.0, 2), (4, 2.0, 2)], head_of) == [(3, 2.0)]  # ties: lowest ordinal


def test_documents_keep_the_order_of_their_heads() -> None:
    assert collapse([(5, 1.0, 1), (0, 1.0, 1)], head_of) == [(0, 1.0), (5, 1.0)]


def test_record_order_puts_heads_first_then_versions_by_head() -> None:
    items = [
        ("2020-01-01", "b@v1", "b", 1), ("2024-01-01", "a", "a", 3), ("2020-01-01", "b", "b", 2),
        ("2024-01-01", "a@v1", "a", 1), ("2024-01-01", "a@v2", "a", 2),
    ]
    order, heads = record_order(items)
    assert [items[i][1] for i in order] == ["a", "b", "a@v2", "a@v1", "b@v1"] and heads == 2
    with pytest.raises(ValueError, match="'c@v1' is a version of 'c'"):
        record_order([("2020-01-01", "c@v1", "c", 1)])


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_search_js_collapses_like_python() -> None:
    rng = random.Random(7)
    cases = []
    for _ in range(200):
        ordinals = sorted(rng.sample(range(HEADS + len(OLDER)), rng.randint(1, HEADS + len(OLDER))))
        cases.append([[o, float(rng.choice([0, 1, 2, 2.5, 7])), rng.randint(0, 3)] for o in ordinals])
    got = node_eval(
        "return input.cases.map(function (k) {"
        " return search.collapse(k, function (o) { return o < input.heads ? o : input.older[o - input.heads]; }); });",
        {"cases": cases, "heads": HEADS, "older": OLDER},
    )
    for kept, js in zip(cases, got):
        assert [tuple(x) for x in js] == collapse([tuple(x) for x in kept], head_of), kept
