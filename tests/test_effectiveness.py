"""Effectiveness rules, by example on the embedded corpus and by property over random graphs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.corpus import Corpus, load_corpus
from disclosure.document import Disclosure, DocType, Document, Review, ReviewResult, Version
from disclosure.effectiveness import Status, status_on, version_in_force, version_status_on

EPOCH = date(2015, 1, 1)


def make_version(doc_id: str, number: int, effective: date) -> Version:
    return Version(number=number, path=Path(f"{doc_id}/v{number}.md"), title=doc_id, body="", body_line=1,
                   written=None, published=effective, effective=effective, change_note=None,
                   disclosure=Disclosure.PROACTIVE, review=Review("r", effective, ReviewResult.PASSED),
                   sha256="0", doc_id=doc_id)


def make_doc(doc_id: str, effective: date, *, expires: date | None = None, repeals: tuple[str, ...] = (),
             version_dates: tuple[date, ...] = (), partially_invalid: bool = False) -> Document:
    dates = (effective, *version_dates)
    versions = tuple(make_version(doc_id, n, d) for n, d in enumerate(dates, start=1))
    return Document(id=doc_id, type=DocType.NORMATIVE, title=doc_id, issuers=("机关",), versions=versions,
                    published=effective, effective=effective, expires=expires, repeals=repeals,
                    explicit_status="partially_invalid" if partially_invalid else None,
                    status_note="第三条" if partially_invalid else None)


# --- the embedded corpus: every status appears, with its reason ---------------------------------

@pytest.fixture(scope="module")
def embedded() -> Corpus:
    result = load_corpus(Path(__file__).resolve().parent.parent / "content")
    return result.corpus


@pytest.mark.parametrize("doc_id, as_of, expected", [
    ("demo-2015-window-service-rules", date(2023, 6, 30), Status.EFFECTIVE),
    ("demo-2015-window-service-rules", date(2023, 7, 1), Status.REPEALED),
    ("demo-2026-agency-credit-rules", date(2026, 11, 22), Status.NOT_YET_EFFECTIVE),
    ("demo-2026-agency-credit-rules", date(2027, 1, 1), Status.EFFECTIVE),
    ("demo-2019-fast-resolution-pilot", date(2023, 12, 31), Status.EFFECTIVE),
    ("demo-2019-fast-resolution-pilot", date(2024, 1, 1), Status.EXPIRED),
    ("demo-2018-fee-reduction-procedure", date(2026, 11, 22), Status.PARTIALLY_INVALID),
    ("gf-2016-55", date(2016, 9, 28), Status.NOT_YET_EFFECTIVE),
    ("gf-2016-55", date(2026, 11, 22), Status.EFFECTIVE),
])
def test_embedded_statuses(embedded: Corpus, doc_id: str, as_of: date, expected: Status) -> None:
    doc = embedded.get(doc_id)
    assert doc is not None
    assert status_on(embedded, doc, as_of).status is expected


def test_repeal_reason_names_the_repealing_document(embedded: Corpus) -> None:
    doc = embedded.get("demo-2015-window-service-rules")
    result = status_on(embedded, doc, date(2026, 11, 22))
    assert result.by == "demo-2023-window-service-rules"
    assert result.since == date(2023, 7, 1)
    assert "废止" in result.reason and "2023-07-01" in result.reason


def test_amended_document_stays_in_force_and_says_so(embedded: Corpus) -> None:
    doc = embedded.get("demo-2020-info-service-outlets")
    result = status_on(embedded, doc, date(2026, 11, 22))
    assert result.status is Status.EFFECTIVE
    assert "修改" in result.reason


def test_revised_regulation_versions(embedded: Corpus) -> None:
    doc = embedded.get("demo-patent-agency-supervision-rule")
    v1, v2 = doc.versions
    before, after = v2.takes_effect - timedelta(days=1), v2.takes_effect
    assert version_status_on(embedded, doc, v1, before).status is Status.EFFECTIVE
    assert version_status_on(embedded, doc, v2, before).status is Status.NOT_YET_EFFECTIVE
    assert version_status_on(embedded, doc, v1, after).status is Status.AMENDED
    assert version_status_on(embedded, doc, v1, after).by == f"{doc.id}#v2"
    assert version_status_on(embedded, doc, v2, after).status is Status.EFFECTIVE
    assert version_in_force(doc, before) is v1 and version_in_force(doc, after) is v2


# --- properties over random documents and relation graphs -------------------------------------

@st.composite
def corpora(draw: st.DrawFn) -> tuple[Corpus, date]:
    count = draw(st.integers(min_value=1, max_value=6))
    offsets = draw(st.lists(st.integers(0, 3000), min_size=count, max_size=count))
    documents = []
    for index, offset in enumerate(offsets):
        effective = EPOCH + timedelta(days=offset)
        # repeal only earlier-listed documents: the graph stays acyclic, as check enforces
        repeals = tuple(f"d{j}" for j in range(index) if draw(st.booleans()) and draw(st.booleans()))
        expires = effective + timedelta(days=draw(st.integers(0, 2000))) if draw(st.booleans()) else None
        extra = tuple(effective + timedelta(days=d) for d in sorted(set(draw(st.lists(st.integers(1, 900), max_size=2)))))
        documents.append(make_doc(f"d{index}", effective, expires=expires, repeals=repeals, version_dates=extra,
                                  partially_invalid=draw(st.booleans())))
    as_of = EPOCH + timedelta(days=draw(st.integers(-10, 4000)))
    return Corpus(documents), as_of


@settings(max_examples=300, deadline=None)
@given(corpora())
def test_status_follows_the_rules(case: tuple[Corpus, date]) -> None:
    corpus, as_of = case
    for doc in corpus:
        result = status_on(corpus, doc, as_of)
        in_effect_repealers = [r for r in corpus.repealed_by(doc.id) if r.takes_effect <= as_of]
        if in_effect_repealers:
            assert result.status is Status.REPEALED
            assert result.since == min(r.takes_effect for r in in_effect_repealers) and result.since <= as_of
            assert result.by in {r.id for r in in_effect_repealers}
        elif doc.expires is not None and as_of > doc.expires:
            assert result.status is Status.EXPIRED and result.since <= as_of
        elif as_of < doc.takes_effect:
            assert result.status is Status.NOT_YET_EFFECTIVE and result.since > as_of
        elif doc.explicit_status == "partially_invalid":
            assert result.status is Status.PARTIALLY_INVALID
        else:
            assert result.status is Status.EFFECTIVE
        assert result.reason


@settings(max_examples=200, deadline=None)
@given(corpora(), st.integers(1, 2000))
def test_repeal_is_permanent(case: tuple[Corpus, date], later_days: int) -> None:
    corpus, as_of = case
    for doc in corpus:
        if status_on(corpus, doc, as_of).status is Status.REPEALED:
            assert status_on(corpus, doc, as_of + timedelta(days=later_days)).status is Status.REPEALED


@settings(max_examples=200, deadline=None)
@given(corpora())
def test_exactly_the_versions_before_the_one_in_force_are_amended(case: tuple[Corpus, date]) -> None:
    corpus, as_of = case
    for doc in corpus:
        current = version_in_force(doc, as_of)
        for version in doc.versions:
            status = version_status_on(corpus, doc, version, as_of).status
            if version.number < current.number:
                assert status is Status.AMENDED
            else:
                assert status is not Status.AMENDED
            if version.number > current.number:
                assert status in (Status.NOT_YET_EFFECTIVE, Status.REPEALED, Status.EXPIRED)


@settings(max_examples=200, deadline=None)
@given(corpora())
def test_a_version_status_given_the_documents_status_is_the_same(case: tuple[Corpus, date]) -> None:
    """The site passes each document's status, computed once, to its versions' statuses."""
    corpus, as_of = case
    for doc in corpus:
        document_status = status_on(corpus, doc, as_of)
        for version in doc.versions:
            assert version_status_on(corpus, doc, version, as_of, document_status) == \
                version_status_on(corpus, doc, version, as_of)


def test_statuses_do_not_depend_on_document_order() -> None:
    a = make_doc("a", date(2020, 1, 1))
    b = make_doc("b", date(2021, 1, 1), repeals=("a",))
    c = make_doc("c", date(2022, 1, 1), repeals=("a",))
    for order in ([a, b, c], [c, b, a], [b, a, c]):
        result = status_on(Corpus(order), a, date(2023, 1, 1))
        assert (result.status, result.by) == (Status.REPEALED, "b")
