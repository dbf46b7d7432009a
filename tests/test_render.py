"""Bodies render with a quicker inline step (disclosure.render._QuickInlineProcessor):
the HTML must be exactly what Markdown's own inline processor gives."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure import render
from disclosure.frontmatter import split_front_matter

from support import CONTENT, CORPORA, ROOT, SEEDS

EDGE_CASES = [
    "普通的一段文字，没有任何标记。",
    "含`代码`与\\*转义\\*的文字。",
    "[链接](https://example.org/) 与 ![图](x.png) 和 [引用][1]\n\n[1]: https://example.org/ref",
    "自动链接 <https://www.cnipa.gov.cn/> 与邮件 <info@example.org>。",
    "硬换行在此  \n下一行。",
    "实体 &amp; &#21326; &copy; 与单独的 & 符号。",
    "**加粗**、*强调*、__下划线加粗__、_下划线强调_、a_b_c 与 * 孤星 *。",
    "<span>行内 HTML</span> 与 <!-- 注释 --> 之后。",
    "<div>\n块级 HTML\n</div>\n\n其后的段落。",
    "| 表头 | 说明 |\n| --- | --- |\n| *甲* | 依据国知发管字〔2017〕42号 |\n| 乙 | 普通 |",
    "1. 第一项\n2. 第二项，含 `code`\n   - 子项 _强调_\n\n> 引用段落，含 [链接](doc:gf-2016-55)。",
    "## 第一章 总则\n\n第一条 为了规范……\n\n### 第二节\n\n```\n代码块 *不处理*\n```",
    "行尾一个空格 \n行尾两个空格  \n行尾制表\t\n结束",
]


def _slow_renderer() -> render.BodyRenderer:
    """A renderer with Markdown's own inline processor put back."""
    renderer = render.BodyRenderer()
    md = renderer._md  # noqa: SLF001 - the renderer's Markdown instance
    md.treeprocessors.register(markdown.treeprocessors.InlineProcessor(md), "inline", 20)
    return renderer


QUICK, SLOW = render.BodyRenderer(), _slow_renderer()


def _bodies(folder: Path) -> list[str]:
    bodies = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        parts = split_front_matter(text)
        bodies.append(parts[1] if parts is not None else text)
    return bodies


def test_the_quick_inline_step_is_used() -> None:
    """With Markdown's default inline patterns (a new version with other patterns turns it
    off, and this test says so: check that the trigger characters still cover them)."""
    assert type(QUICK._md.treeprocessors["inline"]) is render._QuickInlineProcessor  # noqa: SLF001
    assert type(SLOW._md.treeprocessors["inline"]) is markdown.treeprocessors.InlineProcessor  # noqa: SLF001


def test_quick_inline_renders_every_body_as_markdown_does(tmp_path: Path) -> None:
    bodies = EDGE_CASES + _bodies(CONTENT) + _bodies(CORPORA)
    if SEEDS.is_dir():  # real State Council and SIPO texts, when the shared folder is beside the project
        bodies += [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate_corpus.generate(150, 7, tmp_path / "corpus")
    bodies += _bodies(tmp_path / "corpus")
    assert len(bodies) > 200
    for body in bodies:
        assert QUICK.render(body) == SLOW.render(body), body[:200]


MARKUP = st.sampled_from(["`", "\\", "[", "]", "(", ")", "<", ">", "&", "*", "_", "!", "  \n", "\n", "\n\n", " ", "#",
                          "-", "|", ":", "doc:a", "https://x.org", "@", ";", "#1", "amp"])
TEXT = st.sampled_from(["知识产权", "专利", "。", "，", "国知发管字〔2017〕42号", "a", "b1"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARKUP, TEXT), max_size=40))
def test_quick_inline_matches_markdown_on_any_mix_of_markup(pieces: list[str]) -> None:
    body = "".join(pieces)
    assert QUICK.render(body) == SLOW.render(body)


def test_a_body_cache_key_from_the_files_citations_is_the_key_from_its_text() -> None:
    """The page model passes each body's citations as the parse cache found them, instead
    of scanning the body again: the cache key (which says which cited numbers are links)
    must be the one the scan gives, for every body of the embedded content and the seeds."""
    from disclosure.files import scan_body
    from disclosure.render_cache import BodyCache

    bodies = _bodies(CONTENT) + (_bodies(SEEDS) if SEEDS.is_dir() else [])
    numbers = {"国发〔2016〕55号": "gf-2016-55", "国知办发办字〔2017〕42号": "sipo-2017-42", "国知发管字〔2017〕42号": "demo"}
    scanned, given = BodyCache(numbers), BodyCache(numbers)
    with_citations = 0
    for body in bodies:
        found = tuple(raw for _, raw in scan_body(body, 1).citations)
        with_citations += bool(found)
        assert given.key(body, found) == scanned.key(body)
    assert with_citations > 5
    citing = "依据国发〔2016〕55号执行。"
    found = tuple(raw for _, raw in scan_body(citing, 1).citations)
    assert BodyCache({}).key(citing, found) != BodyCache(numbers).key(citing, found), "a number that became a link"


def test_a_page_body_is_the_same_with_the_shortcut_for_bodies_without_document_links() -> None:
    """``page_body_html`` returns a body with no ``doc:`` link and no link into documents/
    as it is: the same as resolving its links would give, for every embedded body."""
    from disclosure_pelican import page_text

    def exists(doc_id: str, version: int | None) -> bool:
        return doc_id != "sipo-2017-42"

    bodies = [QUICK.render(body) for body in _bodies(CONTENT)] + ['<p>见<a href="documents/x/">x</a>与<a href="doc:gf-2016-55">y</a></p>']
    plain = 0
    for html in bodies:
        for root in ("", "../../"):
            slow = page_text._DOC_DIR_HREF.sub(r'href="\1index.html"', render.resolve_links(html, root, exists))
            assert str(page_text.page_body_html(html, root, exists)) == slow
        plain += 'href="doc:' not in html and "documents/" not in html
    assert 0 < plain < len(bodies), "bodies both with and without document links"


LINKING = ["见[原文](doc:gf-2016-55)与[第二版](doc:demo-notice#v2)。", "无链接的正文。", "## 标题\n\n再见[它](doc:gf-2016-55)。"]


def test_a_cached_body_is_read_only_when_a_page_asks_for_it(tmp_path: Path) -> None:
    """A build that finds its bodies in the cache file reads their ``doc:`` links, not their
    HTML: each is read when a page asks, the same as rendered, with the links it holds."""
    from disclosure.render_cache import BodyCache, doc_links

    file = tmp_path / "bodies.sqlite"
    first = BodyCache({}, file)
    first.render_all((body, None) for body in LINKING)
    assert first.misses == len(LINKING)
    rendered = [first.html(body) for body in LINKING]
    assert [first.links(body) for body in LINKING] == [
        (("gf-2016-55", None), ("demo-notice", "2")), (), (("gf-2016-55", None),)]
    again = BodyCache({}, file)
    again.render_all((body, None) for body in LINKING)
    assert (again.hits, again.misses) == (len(LINKING), 0)
    assert again._html == {}, "no HTML read before a page asks"
    assert [again.links(body) for body in LINKING] == [doc_links(html) for html in rendered]
    assert again._html == {}
    assert [again.html(body) for body in LINKING] == rendered


def test_a_cached_body_gone_from_the_file_is_rendered_again(tmp_path: Path) -> None:
    import sqlite3

    from disclosure.render_cache import BodyCache

    file = tmp_path / "bodies.sqlite"
    first = BodyCache({}, file)
    first.render_all((body, None) for body in LINKING)
    rendered = first.html(LINKING[0])
    again = BodyCache({}, file)
    again.render_all((body, None) for body in LINKING)
    with sqlite3.connect(file) as connection:  # (another build pruned it meanwhile)
        connection.execute("DELETE FROM bodies")
    assert again.html(LINKING[0]) == rendered


def test_a_cache_file_without_links_gives_them_from_its_bodies_without_rendering(tmp_path: Path) -> None:
    """A cache file written before the links were kept beside each body: the bodies are
    read once to find their links (kept from then on), not rendered again."""
    import sqlite3

    from disclosure.render_cache import BodyCache

    file = tmp_path / "bodies.sqlite"
    first = BodyCache({}, file)
    first.render_all((body, None) for body in LINKING)
    expected = [first.links(body) for body in LINKING]
    with sqlite3.connect(file) as connection:
        connection.execute("DROP TABLE body_links")
    older = BodyCache({}, file)
    older.render_all((body, None) for body in LINKING)
    assert (older.hits, older.misses) == (len(LINKING), 0)
    assert [older.links(body) for body in LINKING] == expected
    newer = BodyCache({}, file)
    newer.render_all((body, None) for body in LINKING)
    assert newer._html == {} and [newer.links(body) for body in LINKING] == expected


def test_a_pruned_cache_keeps_the_bodies_and_links_a_build_used(tmp_path: Path, monkeypatch) -> None:
    """Unused bodies are deleted once there are more than the slack allows (a few: the file
    is not rewritten after each edit), and then all of them."""
    import sqlite3

    from disclosure import render_cache
    from disclosure.render_cache import BodyCache

    def counts() -> list[int]:
        with sqlite3.connect(file) as connection:
            return [connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("bodies", "body_links")]

    file = tmp_path / "bodies.sqlite"
    first = BodyCache({}, file)
    first.render_all((body, None) for body in LINKING)
    monkeypatch.setattr(render_cache, "PRUNE_SLACK_MIN", 2)
    second = BodyCache({}, file)
    second.render_all([(LINKING[0], None)])
    second.html(LINKING[0])
    second.prune()
    assert counts() == [3, 3], "two unused bodies: within the slack"
    third = BodyCache({}, file)
    third.render_all([("又一篇正文。", None)])
    assert counts() == [4, 4]
    third.prune()
    assert counts() == [1, 1], "three unused: all deleted"
    assert BodyCache({}, file).html(LINKING[0]) == first.html(LINKING[0])


def test_reading_bodies_one_by_one_leaves_no_lock_a_writer_waits_for(tmp_path: Path) -> None:
    import sqlite3

    from disclosure.keyed_store import KeyedStore

    file = tmp_path / "values.sqlite"
    store = KeyedStore(file, "entries")
    store.store({"a": "1", "b": "2"})
    assert store.get("a") == "1" and store.get("missing") is None
    with sqlite3.connect(file, timeout=0.2) as writer:  # fails at once ("database is locked") if a read is open
        writer.execute("INSERT OR REPLACE INTO entries VALUES ('c', '3')")
    assert store.get("c") == "3"
    store.close()
