"""Stand-ins for the core's documents and corpus, and fixtures, for the annual-report tests.

There is deliberately no ``conftest.py`` here: other test folders import their
``conftest`` by name, and a second module of that name would shadow theirs.  Test
modules import the fixtures they use from this module instead.

The stand-ins have the attributes of the core's ``Document``/``Version``/``Corpus``
that the report reads, and a status function with ``status_on``'s signature driven
by an explicit timeline, so table 二 can be tested without the core.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "plugins") not in sys.path:  # pyproject's pythonpath normally does this
    sys.path.insert(0, str(ROOT / "plugins"))

CORPORA = Path(__file__).parent / "corpora"
ANNUAL = ROOT / "content" / "data" / "annual"


@dataclass(frozen=True)
class StandInVersion:
    number: int
    written: date | None
    published: date
    public: bool = True


@dataclass(frozen=True)
class StandInDocument:
    """A document with a status timeline: ``(from_date, status)`` pairs in date order."""

    id: str
    type: Any
    versions: tuple[StandInVersion, ...]
    timeline: tuple[tuple[date, str], ...]
    issuers: tuple[str, ...] = ("演示局",)
    report_year: int | None = None

    @property
    def written(self) -> date | None:
        return self.versions[0].written

    @property
    def published(self) -> date:
        return self.versions[0].published


@dataclass(frozen=True)
class StandInCorpus:
    documents: tuple[StandInDocument, ...] = field(default_factory=tuple)

    def public(self) -> "StandInCorpus":
        kept = []
        for doc in self.documents:
            versions = tuple(v for v in doc.versions if v.public)
            if versions:
                kept.append(StandInDocument(doc.id, doc.type, versions, doc.timeline, doc.issuers))
        return StandInCorpus(tuple(kept))


def stand_in_status_on(corpus: Any, doc: StandInDocument, as_of: date) -> SimpleNamespace:
    """``status_on`` for stand-ins: the last timeline entry on or before ``as_of``."""
    status = "not_yet_effective"
    for start, value in doc.timeline:
        if start <= as_of:
            status = value
    return SimpleNamespace(status=SimpleNamespace(value=status), reason="", since=None, by=None)


def document(
    ident: str,
    doc_type: str,
    versions: list[tuple[date | None, date, bool]],
    timeline: list[tuple[date, str]],
    issuers: tuple[str, ...] = ("演示局",),
) -> StandInDocument:
    """A stand-in document; ``versions`` are (written, published, public) triples."""
    return StandInDocument(
        ident,
        SimpleNamespace(value=doc_type),
        tuple(StandInVersion(i + 1, w, p, pub) for i, (w, p, pub) in enumerate(versions)),
        tuple(timeline),
        issuers,
    )


D = date


def small_corpus() -> StandInCorpus:
    """The documents behind the hand-computed table 二 of the ``good`` corpus (year 2025)."""
    return StandInCorpus(
        (
            document("reg-new", "regulation", [(D(2025, 2, 20), D(2025, 3, 1), True)], [(D(2025, 5, 1), "effective")]),
            document(
                "reg-old",
                "regulation",
                [(D(2019, 5, 20), D(2019, 6, 1), True)],
                [(D(2019, 7, 1), "effective"), (D(2025, 5, 1), "repealed")],
            ),
            document("norm-a", "normative", [(D(2025, 1, 20), D(2025, 2, 1), False)], [(D(2025, 2, 1), "effective")]),
            document(
                "norm-b",
                "normative",
                [(D(2020, 3, 1), D(2020, 3, 5), True)],
                [(D(2020, 4, 1), "effective"), (D(2025, 1, 1), "expired")],
            ),
            document("norm-c", "normative", [(D(2025, 12, 10), D(2025, 12, 15), True)], [(D(2026, 1, 1), "effective")]),
            document(
                "norm-d", "normative", [(D(2018, 4, 2), D(2018, 4, 9), True)], [(D(2018, 5, 1), "partially_invalid")]
            ),
            document(
                "norm-e",
                "normative",
                [(D(2016, 9, 25), D(2016, 9, 29), True)],
                [(D(2016, 9, 29), "effective")],
                issuers=("国务院",),
            ),
            document("notice-x", "notice", [(D(2025, 3, 1), D(2025, 3, 1), True)], [(D(2025, 3, 1), "effective")]),
        )
    )


@pytest.fixture
def build() -> Callable[..., Any]:
    """``build(name, year=2025, as_of=2026-01-20, corpus=small_corpus())`` on a corpora folder."""
    from disclosure.report import build_annual_report

    def run(name: str, year: int = 2025, as_of: date = D(2026, 1, 20), corpus: Any = None) -> Any:
        data_dir = CORPORA / name if name else ANNUAL
        return build_annual_report(
            year, corpus if corpus is not None else small_corpus(), data_dir, as_of, status_on=stand_in_status_on
        )

    return run


@pytest.fixture
def problems_of() -> Callable[..., list[str]]:
    """``problems_of(name, ...)``: the formatted problems that stop the report of a corpora folder."""
    from disclosure.report import ReportError, build_annual_report

    def run(name: str, year: int = 2025, as_of: date = D(2026, 1, 20)) -> list[str]:
        with pytest.raises(ReportError) as caught:
            build_annual_report(year, small_corpus(), CORPORA / name, as_of, status_on=stand_in_status_on)
        return [p.format() for p in caught.value.problems]

    return run
