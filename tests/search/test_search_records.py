"""records_from_corpus over the embedded corpus, and snippets."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure_search.records import records_from_corpus
from disclosure_search.snippets import make_snippet, match_spans

from search_fixtures import ROOT

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    from disclosure.corpus import load_corpus

    return load_corpus(ROOT / "content").corpus


def test_one_record_per_public_document(corpus) -> None:  # type: ignore[no-untyped-def]
    public = corpus.public()
    records = records_from_corpus(public, AS_OF)
    assert [r.id for r in records] == sorted(doc.id for doc in public.documents)
    hidden = {doc.id for doc in corpus.documents} - {doc.id for doc in public.documents}
    assert hidden and not hidden & {r.id for r in records}  # the gate is the caller's, and it held


def test_record_fields(corpus) -> None:  # type: ignore[no-untyped-def]
    record = next(r for r in records_from_corpus(corpus.public(), AS_OF) if r.id == "sipo-2022-disclosure-keypoints")
    assert record.doc_number == "国知办函办字〔2022〕495号"
    assert (record.published, record.year, record.type, record.url) == (
        "2022-05-30", 2022, "keypoints", "documents/sipo-2022-disclosure-keypoints/"
    )
    assert record.status == "effective" and record.in_force
    assert "#" not in record.text and "政务公开" in record.text


def test_versions(corpus) -> None:  # type: ignore[no-untyped-def]
    public = corpus.public()
    multi = next(doc for doc in public.documents if len(doc.versions) > 1)
    current = next(r for r in records_from_corpus(public, AS_OF) if r.id == multi.id)
    assert current.version == multi.current.number and current.url == multi.url
    everything = records_from_corpus(public, AS_OF, all_versions=True)
    old = next(r for r in everything if r.id == f"{multi.id}@v1")
    assert old.version == 1 and old.url == multi.versions[0].url and old.status == "amended"


def test_snippet_marks_written_document_numbers() -> None:
    text = "根据国发〔2016〕55号的部署，制定本方案。"
    assert match_spans(text, ("2016-55", "no:55")) == [(4, 13)]  # 〔2016〕55号
    assert "<mark>国发〔2016〕55号</mark>" not in make_snippet(text, ("no:55",))
    assert "国发<mark>〔2016〕55号</mark>" in make_snippet(text, ("no:55",))


def test_snippet_escapes_html() -> None:
    assert make_snippet('<b>"专利"</b> & 商标', ("专利",)) == '&lt;b&gt;&quot;<mark>专利</mark>&quot;&lt;/b&gt; &amp; 商标'


def test_the_package_does_not_import_pelican() -> None:
    import subprocess
    import sys

    code = "import sys, disclosure_search, disclosure_search.static_lookup; print('pelican' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT / "plugins")},
    )
    assert done.stdout.strip() == "False"
