"""Table 二, 第二十条第（一）项: counting 规章 and 行政规范性文件 from the corpus.

Which documents: every document of type ``regulation`` (规章) or ``normative``
(行政规范性文件) in the *whole* corpus, public or not — the table is a count of what
the body issued, not a disclosure.  When figures.yml names ``issuers``, only
documents with one of them among ``doc.issuers`` count (a site also reproduces the
State Council's documents, which are not the body's own).  Cell traces list the ids
of public documents only (``corpus.public()``, the disclosure gate) and give the
others as a count.

Date rules (Y is the report year; "status" is ``disclosure.effectiveness.status_on``):

2021 format
    本年制发件数  the original text or a revision (a new version) was *published* in Y;
                  a document counts once however many of its versions were published in Y.
                  (A revision of a 规章 or 规范性文件 is issued by a formal decision.)
    本年废止件数  the document ceased to apply during Y: status on 31 December Y is
                  ``repealed`` (a repealing document took effect in Y, its ``effective``
                  date, else its ``published`` date) or ``expired`` (the first day after its
                  ``expires`` date fell in Y), and status on 31 December Y-1 was neither.
                  Expiry counts because it removes the document from force exactly as
                  repeal does; this keeps 现行有效 of Y-1 + what took effect −
                  废止 = 现行有效 of Y.
    现行有效件数  status on 31 December Y is ``effective`` or ``partially_invalid``
                  (a document published in Y that takes effect in Y+1 is not yet in force).
2019 trial format
    本年新制作数量  a version was *written* (成文日期; its publication date when it has none) in Y.
    本年新公开数量  a public version was published in Y (public documents only).
    对外公开总数量  a public version was published on or before 31 December Y (public only;
                  repealed documents remain disclosed and count).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, Protocol

from .formats import ReportFormat
from .model import Cell

IN_FORCE = frozenset({"effective", "partially_invalid"})
CEASED = frozenset({"repealed", "expired"})


def counted_as(status: str) -> tuple[bool, bool]:
    """What the figures read of a status (its code): whether it is in force, whether it has ceased."""
    return status in IN_FORCE, status in CEASED


class DocumentLike(Protocol):
    """What is read of a ``disclosure.document.Document``."""

    id: str
    type: Any
    issuers: tuple[str, ...]
    written: date | None
    published: date
    versions: tuple[Any, ...]


class CorpusLike(Protocol):
    """What is read of a ``disclosure.corpus.Corpus``."""

    documents: tuple[Any, ...]

    def public(self) -> Any: ...


StatusOn = Callable[[Any, Any, date], Any]
"""``status_on(corpus, doc, as_of)`` returning an object with ``.status.value``."""


def type_code(doc: DocumentLike) -> str:
    """The document type's code (``doc.type.value``, or ``doc.type`` when it is a string)."""
    return str(getattr(doc.type, "value", doc.type))


def _versions(doc: DocumentLike) -> Iterable[Any]:
    return doc.versions or (doc,)


def _status(status_on: StatusOn, corpus: Any, doc: Any, day: date) -> str:
    return str(status_on(corpus, doc, day).status.value)


def _meets(
    measure: str, doc: DocumentLike, public: DocumentLike | None, corpus: Any, year: int, status_on: StatusOn
) -> bool:
    """Whether ``doc`` counts in ``measure`` for ``year`` (the rules of the module docstring).

    ``public`` is the document as the public corpus has it (public versions only), or None.
    """
    end = date(year, 12, 31)
    if measure == "issued":
        return any(v.published.year == year for v in _versions(doc))
    if measure == "repealed":
        return (
            _status(status_on, corpus, doc, end) in CEASED
            and _status(status_on, corpus, doc, date(year - 1, 12, 31)) not in CEASED
        )
    if measure == "in_force":
        return _status(status_on, corpus, doc, end) in IN_FORCE
    if measure == "made":
        return any((v.written or v.published).year == year for v in _versions(doc))
    if measure == "published":
        return public is not None and any(v.published.year == year for v in _versions(public))
    if measure == "public_total":
        return public is not None and any(v.published <= end for v in _versions(public))
    raise ValueError(f"unknown measure {measure!r}")


def measure_documents(
    corpus: CorpusLike,
    doc_type: str,
    year: int,
    fmt: ReportFormat,
    status_on: StatusOn,
    issuers: tuple[str, ...] | None,
) -> tuple[dict[str, Cell], list[str]]:
    """The table 二 cells of ``doc_type`` (keyed by measure) and notes on documents left out.

    Notes name the documents of the type that were not counted because another body
    issued them (public ids listed, the others counted).
    """
    public_corpus = corpus.public()
    public_docs = {doc.id: doc for doc in public_corpus.documents}
    measures = [m.key for m in fmt.proactive[0].measures]
    counted: dict[str, list[str]] = {m: [] for m in measures}
    foreign: list[str] = []
    for doc in corpus.documents:
        if type_code(doc) != doc_type:
            continue
        if issuers is not None and not set(doc.issuers) & set(issuers):
            foreign.append(doc.id)
            continue
        for measure in measures:
            if _meets(measure, doc, public_docs.get(doc.id), corpus, year, status_on):
                counted[measure].append(doc.id)
    cells = {}
    for measure, ids in counted.items():
        listed = tuple(sorted(i for i in ids if i in public_docs))
        cells[measure] = Cell(len(ids), listed, len(ids) - len(listed), "corpus")
    notes = []
    if foreign:
        shown = sorted(i for i in foreign if i in public_docs)
        hidden = len(foreign) - len(shown)
        text = f"{doc_type}: {len(foreign)} document(s) not counted, issued by a body not in figures.yml issuers"
        if shown:
            text += f": {', '.join(shown)}"
        if hidden:
            text += f" (and {hidden} non-public)"
        notes.append(text)
    return cells, notes
