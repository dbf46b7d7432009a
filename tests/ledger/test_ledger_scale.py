"""10,000 documents: record, verify and the public view stay correct at scale.

How fast they are is measured by bench/ledger_scale.py, not asserted here."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from disclosure.corpus import Corpus
from disclosure.document import Disclosure, DocType, Document, Review, ReviewResult, Version
from disclosure.ledger import public_view, read_ledger, record, verify

REVIEW = Review("办公室", date(2000, 1, 1), ReviewResult.PASSED)


def _doc(doc_id: str, doc_type: DocType, published: date, **links) -> Document:  # type: ignore[no-untyped-def]
    meta = {"doc_number": f"测发〔{published.year}〕{doc_id}号" if doc_type.is_register_type else None}
    version = Version(number=1, path=Path(f"content/{doc_type.value}/{doc_id}.md"), title=f"文件{doc_id}", body="", body_line=1,
                      written=published, published=published, effective=published, change_note=None,
                      disclosure=Disclosure.PROACTIVE, review=REVIEW, sha256=f"{hash(doc_id) & (2**64 - 1):064x}",
                      doc_id=doc_id, meta=meta)
    return Document(id=doc_id, type=doc_type, title=version.title, issuers=("测试局",), versions=(version,),
                    doc_number=meta["doc_number"], index_number=f"TEST/{doc_id}", published=published, effective=published,
                    review=REVIEW, **links)


def big_corpus(pairs: int = 5000) -> Corpus:
    start = date(2000, 1, 1)
    docs = []
    for n in range(pairs):
        day = start + timedelta(days=n)
        repeals = (f"n{n - 1}",) if n % 10 == 9 else ()
        docs.append(_doc(f"n{n}", DocType.NORMATIVE, day, repeals=repeals))
        docs.append(_doc(f"i{n}", DocType.INTERPRETATION, day, interprets=(f"n{n}",)))
    return Corpus(docs)


def test_ten_thousand_documents(tmp_path) -> None:
    corpus = big_corpus()
    as_of = date(2020, 1, 1)
    ledger = tmp_path / "ledger.jsonl"
    result = record(corpus, ledger, as_of, git=False)
    assert result.ok and len(result.new_entries) == 10000 + 500
    report = verify(corpus, ledger, as_of)
    assert report.ok, report.format_text()[:2000]
    assert report.counts["register"]["ledger"] == {"current": 4500, "repealed": 500, "expired": 0, "withdrawn": 0, "total": 5000}
    view = public_view(corpus, corpus.public(as_of), read_ledger(ledger).entries, as_of)
    assert len(view["rows"]) == 10000
    assert record(corpus, ledger, as_of, git=False).new_entries == []
