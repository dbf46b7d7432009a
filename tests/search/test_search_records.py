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


def test_one_record_per_public_version(corpus) -> None:  # type: ignore[no-untyped-def]
    public = corpus.public()
    records = records_from_corpus(public, AS_OF)
    expected = {doc.id for doc in public.documents} | {
        f"{doc.id}@v{v.number}" for doc in public.documents for v in doc.versions[:-1]
    }
    assert [r.id for r in records] == sorted(expected) and len(expected) > len(public.documents)
    assert {r.document for r in records} == {doc.id for doc in public.documents}
    hidden = {doc.id for doc in corpus.documents} - {doc.id for doc in public.documents}
    assert hidden and not hidden & {r.document for r in records}  # the gate is the caller's, and it held
    current_only = records_from_corpus(public, AS_OF, all_versions=False)
    assert [r.id for r in current_only] == sorted(doc.id for doc in public.documents)


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
    rule = public.get("demo-patent-agency-supervision-rule")
    records = {r.id: r for r in records_from_corpus(public, AS_OF)}
    current, old = records[rule.id], records[f"{rule.id}@v1"]
    assert current.is_head and current.version == 2 and current.url == rule.url
    assert not old.is_head and old.document == rule.id and old.url == rule.versions[0].url
    assert old.status == "amended" and not old.in_force
    # an older version is described by its own front matter, not the current one's
    assert (old.doc_number, current.doc_number) == ("国家知识产权局令第901号", "国家知识产权局令第902号")
    assert "信用监管" in current.keywords and "信用监管" not in old.keywords
    assert old.published == current.published  # the document's date: its records sort together


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


def test_the_excerpt_is_the_whole_texts_collapsed_beginning(corpus) -> None:  # type: ignore[no-untyped-def]
    """excerpt() collapses only the beginning of a text: it must give what collapsing the
    whole text gives, however the whitespace falls around the part it looks at."""
    import random
    import re

    from disclosure_search.snippets import EXCERPT_CHARS, excerpt

    def whole(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()[:EXCERPT_CHARS]

    texts = [r.text for r in records_from_corpus(corpus.public(), AS_OF)]
    rng = random.Random(7)
    pieces = ["字", "ab", " ", "\n\n", "\t", "\u3000", "\xa0", " " * 50, "\n" * 300, "词" * 40]
    dense = ["字" * 30, "ab", " ", "\n", "\u3000"]  # mostly words: the part looked at is long enough
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 400))) for _ in range(1000)]
    texts += ["".join(rng.choice(dense) for _ in range(rng.randrange(1, 200))) for _ in range(1000)]
    n = EXCERPT_CHARS
    texts += [" " * (2 * n), "x" * (2 * n - 1) + " " * 5 + "y", "x" * (n - 1) + " " * (n + 5) + "yz",
              "\n" * (2 * n + 3) + "正文", "x" * n, "x" * (n + 1), " " + "x" * (2 * n), "\n\t " + "字" * n,
              "x" * (n - 1) + " " + "y" * n, ""]
    for text in texts:
        assert excerpt(text) == whole(text), repr(text[:80])


def test_kept_texts_give_the_same_records_and_follow_the_bodies(corpus, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A text cache kept between builds: the records are those made without it; once kept,
    no body is stripped again; a changed body is; a file written by other code is ignored."""
    import dataclasses
    import marshal

    from disclosure_search import records as records_module
    from disclosure_search.records import TextCache

    public = corpus.public()
    path = tmp_path / "texts.marshal"
    fresh = records_from_corpus(public, AS_OF)
    kept = TextCache(path)
    assert records_from_corpus(public, AS_OF, texts=kept) == fresh and kept.added > 0
    kept.save()
    stripped: list[str] = []
    strip = records_module.markdown_to_text
    monkeypatch.setattr(records_module, "markdown_to_text", lambda body: stripped.append(body) or strip(body))
    again = TextCache(path)
    assert records_from_corpus(public, AS_OF, texts=again) == fresh and stripped == [] and again.added == 0
    before = path.stat().st_mtime_ns
    again.save()
    assert path.stat().st_mtime_ns == before  # nothing added, nothing left unused: not written
    doc = public.documents[0]
    edited = dataclasses.replace(doc.versions[-1], body=doc.versions[-1].body + "\n\n增补的一段。")
    text = TextCache(path).text(edited.body)
    assert text.endswith("增补的一段。") and stripped == [edited.body]
    path.write_bytes(marshal.dumps({"code": "other code", "texts": marshal.loads(path.read_bytes())["texts"]}))
    stripped.clear()
    TextCache(path).text(doc.versions[-1].body)
    assert stripped == [doc.versions[-1].body]
