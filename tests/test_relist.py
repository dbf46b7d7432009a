"""The rebuild after a topic or issuer edit (``disclosure_pelican.relist``): the document
moves from one topic's or issuer's list to another's (a new one, or one it leaves empty)
without the whole build, and the output is byte for byte a whole build's; another field
edited with it, an issuer edit that changes what an annual report counts, or a failure
while making the lists, runs the whole build."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from disclosure_pelican import quick, relist
from disclosure_pelican.pages import unique_slugs

from test_incremental import assert_same_as_full_build, workspace  # noqa: F401 (a fixture)
from test_quick_rebuild import INTERPRETATION, NOTICE, _replace_in, build, swap_last_paragraphs, why_not
from test_quick_rebuild import with_ledger  # noqa: F401 (a fixture)

NORMATIVE = Path("normative") / "gf-2016-55.md"
"""A normative document (in the register) that an interpretation interprets (its page lists it)."""
FEE_RULE = Path("normative") / "demo-2018-fee-reduction-procedure.md"
FEE_INTERPRETATION = Path("interpretation") / "interp-demo-2018-fee-reduction-procedure.md"
"""The two documents of the topic 专利."""
CONSULTATION_RESULT = Path("notice") / "demo-2026-agency-credit-consultation-result.md"
"""One of the seven documents of the topic 专利代理."""


def topic_pages(topic: str, written: list[str]) -> list[str]:
    slug = unique_slugs([topic])[topic]
    return [name for name in written if name.startswith(f"topics/{slug}/")]


def test_a_topic_edit_moves_the_document_between_lists_as_a_whole_build_does(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    content = workspace["content"]
    # (topics of as many characters: on a site this small, another length moves the
    # search export's mean topic length, and with it every score: its whole build)
    for path, old, new in ((NORMATIVE, "政务服务", "政务公开"), (NOTICE, "政务服务", "专利代理"),
                           (NORMATIVE, "政务公开", "政务服务")):
        caplog.clear()
        _replace_in(content / path, f"topic: {old}", f"topic: {new}")
        result = build(workspace)
        assert result.quick is not None, (path, why_not(caplog))
        assert result.quick.reprinted == {(content / path).as_posix(): ("topic",)}
        written = result.quick.written
        assert topic_pages(old, written) and topic_pages(new, written), written
        doc_id = path.stem
        assert {f"documents/{doc_id}/index.html", f"documents/{doc_id}/v1/index.html", "catalogue/index.html",
                "data/documents.json"} <= set(written), written
        if path == NORMATIVE:
            assert "register/index.html" in written
        assert any(name.startswith("search/d/") for name in written)
        # no other document's page: the interpretation's lists the document, not its topic
        assert not [name for name in written if name.startswith("documents/") and f"/{doc_id}/" not in name], written
        assert_same_as_full_build(workspace)
    # the kept snapshot, holes and search index serve the next quick rebuilds
    swap_last_paragraphs(content / INTERPRETATION)
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)
    _replace_in(content / NOTICE, "title: 关于2025年国庆节", "title: 关于2025年春节")
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)


def test_topics_whose_counts_cross_change_places_in_the_catalogue(workspace: dict[str, Path]) -> None:  # noqa: F811
    """专利代理 has seven documents and 政务公开 six; one moved from the first to the
    second puts the second first."""
    build(workspace)
    catalogue = workspace["out"] / "catalogue" / "index.html"
    before = catalogue.read_text(encoding="utf-8")
    assert before.index(">专利代理<") < before.index(">政务公开<")
    _replace_in(workspace["content"] / CONSULTATION_RESULT, "topic: 专利代理", "topic: 政务公开")
    result = build(workspace)
    assert result.quick is not None
    after = catalogue.read_text(encoding="utf-8")
    assert after.index(">专利代理<") > after.index(">政务公开<")
    assert_same_as_full_build(workspace)


def without_search(workspace: dict[str, Path], **settings: object) -> None:
    """No search export (on a site this small, a topic of another length moves its mean
    topic length, and with it every score: its whole build), and other ``settings``."""
    file = workspace["settings"]
    extra = "".join(f"{name} = {value!r}\n" for name, value in {"DISCLOSURE_SEARCH": False, **settings}.items())
    file.write_text(file.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")


def test_a_topic_that_appears_or_goes_adds_or_removes_its_list(workspace: dict[str, Path],  # noqa: F811
                                                               caplog: pytest.LogCaptureFixture) -> None:
    without_search(workspace)
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    content, out = workspace["content"], workspace["out"]
    gone = topic_pages("专利", [p.relative_to(out).as_posix() for p in out.rglob("*.html")])
    assert gone
    for path, old, new in ((FEE_RULE, "专利", "知识产权保护"), (FEE_INTERPRETATION, "专利", "知识产权保护"),  # 专利 gone
                           (FEE_INTERPRETATION, "知识产权保护", "专利审查"),  # a topic no document had
                           (FEE_INTERPRETATION, "专利审查", "专利")):  # and 专利 back
        caplog.clear()
        _replace_in(content / path, f"topic: {old}", f"topic: {new}")
        result = build(workspace)
        assert result.quick is not None, (new, why_not(caplog))
        assert_same_as_full_build(workspace)
        if new == "知识产权保护" and path == FEE_INTERPRETATION:
            assert not any((out / name).exists() for name in gone)
        if new == "专利审查":
            assert topic_pages("专利审查", result.quick.written)


def test_a_list_that_gains_or_loses_a_page(workspace: dict[str, Path]) -> None:  # noqa: F811
    """Two documents a page: 政务公开's six make three pages, one more a fourth."""
    without_search(workspace, DISCLOSURE_PER_PAGE=2)
    build(workspace)
    fourth = workspace["out"] / "topics" / unique_slugs(["政务公开"])["政务公开"] / "page" / "4" / "index.html"
    for old, new, pages in (("政务服务", "政务公开", 4), ("政务公开", "政务服务", 3)):
        _replace_in(workspace["content"] / NOTICE, f"topic: {old}", f"topic: {new}")
        result = build(workspace)
        assert result.quick is not None
        assert fourth.is_file() is (pages == 4)
        assert_same_as_full_build(workspace)


def test_the_pages_before_the_documents_place_have_their_count_replaced(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """Two documents a page: 专利代理's seven and eight make four pages; the notice, fifth
    of the eight (newest first), leaves the first two pages as they were but for their
    count, which is replaced where the whole build noted it; the later pages are rendered."""
    without_search(workspace, DISCLOSURE_PER_PAGE=2)
    caplog.set_level(logging.DEBUG, logger=relist.__name__)
    build(workspace)
    folder = f"topics/{unique_slugs(['专利代理'])['专利代理']}/"
    recounted = [f"{folder}index.html", f"{folder}page/2/index.html"]
    for old, new, count in (("政务服务", "专利代理", "8"), ("专利代理", "政务服务", "7")):
        caplog.clear()
        _replace_in(workspace["content"] / NOTICE, f"topic: {old}", f"topic: {new}")
        result = build(workspace)
        assert result.quick is not None
        replaced = [message.split(": ")[1] for message in (r.getMessage() for r in caplog.records)
                    if message.endswith(": the filter counts replaced")]
        assert set(recounted) <= set(replaced), replaced
        assert f"{folder}page/3/index.html" not in replaced
        assert set(recounted) <= set(result.quick.written)
        assert f"共 {count} 件" in (workspace["out"] / recounted[1]).read_text(encoding="utf-8")
        assert_same_as_full_build(workspace)


def test_a_topic_edited_with_the_text_is_taken_and_with_a_date_is_not(workspace: dict[str, Path],  # noqa: F811
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    notice = workspace["content"] / NOTICE
    swap_last_paragraphs(notice)
    _replace_in(notice, "topic: 政务服务", "topic: 专利代理")
    result = build(workspace)
    assert result.quick is not None, why_not(caplog)
    assert any(name.startswith("feeds/") for name in result.quick.written), "the feeds show the text's start"
    assert_same_as_full_build(workspace)
    caplog.clear()
    text = notice.read_text(encoding="utf-8")
    published = next(line for line in text.splitlines() if line.startswith("published: "))
    notice.write_text(text.replace("topic: 专利代理", "topic: 政务服务", 1)
                      .replace(published, published[:-1] + str((int(published[-1]) + 1) % 10), 1), encoding="utf-8")
    assert build(workspace).quick is None
    assert any("besides titles, numbers, the topic, issuers, dates of effect, expiry and publication and the stated status" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def test_two_files_edited_with_a_topic_edit_among_them_take_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    _replace_in(workspace["content"] / NOTICE, "topic: 政务服务", "topic: 专利代理")
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    assert build(workspace).quick is None
    assert any("a topic, issuer, date or status edit is taken alone" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def test_the_lists_are_made_from_the_kept_corpus_with_the_files_edited_since(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """A whole build keeps the public corpus without bodies; a topic edit makes the lists from
    it, with the documents of files the quick rebuilds took since made again: here a title
    shown in the list the document leaves, and a body."""
    caplog.set_level(logging.DEBUG, logger=relist.__name__)
    build(workspace)
    content = workspace["content"]
    _replace_in(content / NORMATIVE, "title: 国务院关于加快推进", "title: 国务院关于加速推进")  # (in 政务服务)
    swap_last_paragraphs(content / INTERPRETATION)
    assert build(workspace).quick is not None

    def kept_used() -> bool:
        return "relist: the lists made from the kept corpus" in [r.getMessage() for r in caplog.records]

    for old, new in (("政务服务", "专利代理"), ("专利代理", "政务服务")):
        caplog.clear()
        _replace_in(content / NOTICE, f"topic: {old}", f"topic: {new}")
        assert build(workspace).quick is not None
        assert kept_used(), new
        assert_same_as_full_build(workspace)
    relist.kept_path(workspace["cache"], workspace["out"]).write_bytes(b"not a pickle")  # (damaged: the corpus is loaded)
    caplog.clear()
    _replace_in(content / NOTICE, "topic: 政务服务", "topic: 专利代理")
    assert build(workspace).quick is not None
    assert not kept_used()
    assert_same_as_full_build(workspace)


def test_the_registers_filter_counts_are_replaced_when_the_choices_keep_their_order(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """With two more documents in force under 政务服务 (five), one moved to 知识产权公共服务
    (two) leaves the register's topic choices in their order: their two counts are replaced
    in the register instead of rendering it again.  Moved back to a choice one count away,
    the order changes: the register is rendered again.  (No search export: the topics'
    lengths differ, which moves its mean topic length on a site this small.)"""
    without_search(workspace)
    content = workspace["content"]
    rule = (content / "normative" / "sipo-2017-42.md").read_text(encoding="utf-8")
    for n in (1, 2):
        (content / "normative" / f"sipo-2017-42-copy{n}.md").write_text(
            rule.replace("id: sipo-2017-42", f"id: sipo-2017-42-copy{n}").replace("〔2017〕42号", f"〔2017〕{90 + n}号")
            .replace("SIPO-DEMO/2017-00002", f"SIPO-DEMO/2017-0009{n}"), encoding="utf-8")
    caplog.set_level(logging.DEBUG, logger=relist.__name__)
    build(workspace)
    register = workspace["out"] / "register" / "index.html"
    assert "政务服务（5）" in register.read_text(encoding="utf-8")

    def replaced() -> bool:
        return "relist: register/index.html: the filter counts replaced" in [r.getMessage() for r in caplog.records]

    for old, new, counts_replaced in (("政务服务", "知识产权公共服务", True), ("知识产权公共服务", "政务服务", True)):
        caplog.clear()
        _replace_in(content / NORMATIVE, f"topic: {old}", f"topic: {new}")
        assert build(workspace).quick is not None
        assert replaced() is counts_replaced
        assert_same_as_full_build(workspace)
    text = register.read_text(encoding="utf-8")
    assert "政务服务（5）" in text and "知识产权公共服务（2）" in text
    # 专利代理 (one) and 知识产权公共服务 (two) trade places once a document moves between them
    caplog.clear()
    _replace_in(content / NORMATIVE, "topic: 政务服务", "topic: 专利代理")
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)
    _replace_in(content / NORMATIVE, "topic: 专利代理", "topic: 知识产权公共服务")
    caplog.clear()
    assert build(workspace).quick is not None
    assert not replaced()
    assert_same_as_full_build(workspace)


def test_without_a_second_core_the_lists_are_kept_and_made_in_the_same_process(
        workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    from disclosure_pelican import forked

    caplog.set_level(logging.DEBUG, logger=relist.__name__)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    build(workspace)
    assert relist.kept_path(workspace["cache"], workspace["out"]).is_file()
    _replace_in(workspace["content"] / NOTICE, "topic: 政务服务", "topic: 专利代理")
    assert build(workspace).quick is not None
    assert "relist: the lists made from the kept corpus" in [r.getMessage() for r in caplog.records]
    assert_same_as_full_build(workspace)


def test_a_whole_build_that_fails_once_its_lists_are_being_kept_keeps_none(
        workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The lists are kept by another process while the whole build publishes and saves its
    snapshot; when that fails, what the lists process wrote, or was writing, is removed:
    it describes no output."""
    build(workspace)
    kept = relist.kept_path(workspace["cache"], workspace["out"])
    assert kept.is_file()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(quick, "save_snapshot", full_disk)
    notice = (workspace["content"] / NOTICE).read_text(encoding="utf-8")  # (a document added: a whole build)
    (workspace["content"] / "notice" / "demo-notice-added.md").write_text(
        notice.replace("id: demo-notice-2025-holiday-service", "id: demo-notice-added")
        .replace("SIPO-DEMO/2025-00003", "SIPO-DEMO/2025-09999"), encoding="utf-8")
    with pytest.raises(OSError):
        build(workspace)
    assert not kept.exists()
    assert not list(kept.parent.glob(f".{kept.name}.*.tmp"))
    monkeypatch.undo()
    build(workspace)
    assert kept.is_file()
    assert_same_as_full_build(workspace)


def test_lists_shared_by_two_processes_are_rendered_as_a_whole_build_renders_them(
        workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: F811
    """On a large site the lists' process gives half of its pages to another
    (``SPLIT_RENDERING_MIN``; here from one page on): the same bytes, and the places
    each half noted serve the next edit."""
    from disclosure_pelican import forked

    if not forked.can_fork():
        pytest.skip("one core or no fork: the pages are rendered in one process")
    started = tmp_path / "started"
    start = forked.Forked.__init__

    def noted(self, work, what, **options):  # type: ignore[no-untyped-def]
        with started.open("a", encoding="utf-8") as handle:  # (from the lists' process too)
            handle.write(what + "\n")
        start(self, work, what, **options)

    monkeypatch.setattr(forked.Forked, "__init__", noted)
    monkeypatch.setattr(relist, "SPLIT_RENDERING_MIN", 1)
    without_search(workspace)
    build(workspace)
    for path, old, new in ((NOTICE, "topic: 政务服务", "topic: 专利代理"),
                           (FEE_RULE, "issuer: 国家知识产权局", "issuer: [国家知识产权局, 国务院办公厅]")):
        started.unlink(missing_ok=True)
        _replace_in(workspace["content"] / path, old, new)
        assert build(workspace).quick is not None
        assert started.read_text(encoding="utf-8").splitlines() == ["the list pages", "half the list pages"]
        assert_same_as_full_build(workspace)
    _replace_in(workspace["content"] / FEE_RULE, "title: 专利费用减缴请求办理规程", "title: 专利费用减缴请求处理规程")
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "in this process"])
def test_a_failure_making_the_lists_leaves_the_edit_to_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        fork: bool) -> None:
    from disclosure_pelican import forked

    if not fork:
        monkeypatch.setattr(forked, "can_fork", lambda: False)
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)

    def failing(*args: object, **kwargs: object) -> object:
        raise ValueError("a template failed")

    monkeypatch.setattr(relist, "_render", failing)
    _replace_in(workspace["content"] / NOTICE, "topic: 政务服务", "topic: 专利代理")
    assert build(workspace).quick is None
    assert any("making the list pages failed" in message and "a template failed" in message
               for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def test_a_failure_of_the_documents_own_patch_stops_the_list_pages_process(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The forked process making the lists is stopped, not left waiting to be read."""
    from disclosure_pelican import forked

    if not forked.can_fork():
        pytest.skip("one core or no fork: the lists are made in the build's process")
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    children: list[forked.Forked] = []
    forked_init = forked.Forked.__init__

    def recorded(self, work, what, **options):  # type: ignore[no-untyped-def]
        forked_init(self, work, what, **options)
        children.append(self)

    def failing(*args: object, **kwargs: object) -> object:
        raise OSError("the search files could not be read")

    monkeypatch.setattr(forked.Forked, "__init__", recorded)
    monkeypatch.setattr(relist, "_patch", failing)
    _replace_in(workspace["content"] / NOTICE, "topic: 政务服务", "topic: 专利代理")
    try:
        assert build(workspace).quick is None
        assert children and not any(child._process.is_alive() for child in children)
    finally:
        for child in children:  # (else a child left waiting would keep this process from ending)
            child.cancel()
    assert any("the search files could not be read" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def issuer_pages(issuer: str, names: list[str]) -> list[str]:
    slug = unique_slugs([issuer])[issuer]
    return [name for name in names if name.startswith(f"issuers/{slug}/")]


def test_an_issuer_edit_moves_the_document_between_lists_as_a_whole_build_does(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """A document given another issuer: the lists it leaves and joins, one left empty
    (gone) and then new again.  Its issuers are printed on its pages, in the register (a
    column, and JSON for the filter script), the ledger and its files, the feeds (the
    summary, the author) and the data export.  The annual reports count the documents of
    two issuers only: an edit that moves a document in among them changes their figures,
    and takes the whole build."""
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    content, out = workspace["content"], workspace["out"]
    # (issuers of as many words: on a site this small, another length moves the search
    # export's mean issuer length, and with it every score: its whole build)
    protection, law, office = "国家知识产权局保护司", "国家知识产权局条法司", "国家知识产权局办公室"
    _replace_in(content / NORMATIVE, "issuer: 国务院", f"issuer: {protection}")
    build(workspace)
    pilot = Path("interpretation") / "interp-demo-2019-fast-resolution-pilot.md"
    for path, old, new in ((pilot, protection, law), (NORMATIVE, protection, law), (NORMATIVE, law, protection)):
        caplog.clear()
        _replace_in(content / path, f"issuer: {old}", f"issuer: {new}")
        result = build(workspace)
        assert result.quick is not None, (path, new, why_not(caplog))
        assert result.quick.reprinted == {(content / path).as_posix(): ("issuer",)}
        written = result.quick.written
        assert issuer_pages(new, written), written
        doc_id = path.stem
        assert {f"documents/{doc_id}/index.html", "catalogue/index.html", "ledger/index.html", "ledger/ledger.csv",
                "data/documents.json", "feeds/all.atom.xml"} <= set(written), written
        if path == NORMATIVE:
            assert "register/index.html" in written
        # no other document's page: those listing it show its title, not its issuers
        assert not [name for name in written if name.startswith("documents/") and f"/{doc_id}/" not in name], written
        assert f'<dd lang="zh-CN">{new}</dd>' in (out / "documents" / doc_id / "index.html").read_text(encoding="utf-8")
        assert_same_as_full_build(workspace)
        if (path, old) == (NORMATIVE, protection):  # (the last of its list)
            assert not (out / "issuers" / unique_slugs([old])[old]).exists()
    caplog.clear()
    _replace_in(content / NORMATIVE, f"issuer: {protection}", f"issuer: {office}")
    assert build(workspace).quick is None
    assert any("an annual report counts the documents of some issuers only" in message for message in why_not(caplog))
    assert_same_as_full_build(workspace)
    swap_last_paragraphs(content / NORMATIVE)
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)


def test_issuers_added_reordered_and_taken_away(workspace: dict[str, Path],  # noqa: F811
                                                caplog: pytest.LogCaptureFixture) -> None:
    """Joint issuers as a flow list, in another order, one of them new to the site, and one
    again; a block list (its lines move the lines of the keys after it) takes the whole
    build.  (Each keeps 国家知识产权局, whose documents the annual reports count.)"""
    without_search(workspace)
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    content, out = workspace["content"], workspace["out"]
    path = content / FEE_RULE
    for old, new in (("国家知识产权局", "[国家知识产权局, 国务院办公厅]"), ("[国家知识产权局, 国务院办公厅]", "[国务院办公厅, 国家知识产权局]"),
                     ("[国务院办公厅, 国家知识产权局]", "[示例新设机关, 国家知识产权局]"), ("[示例新设机关, 国家知识产权局]", "国家知识产权局")):
        caplog.clear()
        _replace_in(path, f"issuer: {old}", f"issuer: {new}")
        result = build(workspace)
        assert result.quick is not None, (old, new, why_not(caplog))
        assert result.quick.reprinted == {path.as_posix(): ("issuer",)}
        assert_same_as_full_build(workspace)
        if "示例新设机关" in new:
            assert issuer_pages("示例新设机关", result.quick.written)
    assert not (out / "issuers" / unique_slugs(["示例新设机关"])["示例新设机关"]).exists()
    row = re.search(rf'<tr data-issuers="([^"]*)"[^>]*>\s*<td class="cell-title"><a href="[^"]*/{FEE_RULE.stem}/',
                    (out / "register" / "index.html").read_text(encoding="utf-8"))
    assert row is not None and row.group(1) == "[&#34;国家知识产权局&#34;]"
    caplog.clear()
    _replace_in(path, "issuer: 国家知识产权局", "issuer:\n  - 国家知识产权局\n  - 国务院办公厅")
    assert build(workspace).quick is None
    assert any("front matter (besides titles, numbers, the topic, issuers, dates of effect, expiry and publication and the stated status)" in message for message in why_not(caplog))
    assert_same_as_full_build(workspace)


def test_a_theme_that_uses_the_issuers_otherwise_gets_whole_builds_after_an_issuer_edit(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """A template that counts them (or takes the first, or iterates them) prints what the
    places noted cannot patch: the build notes it, and issuer edits take the whole build."""
    without_search(workspace)
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    template = workspace["theme"] / "templates" / "document.html"
    source = template.read_text(encoding="utf-8")
    assert "{{ doc.issuers|join('、') }}</dd>" in source
    template.write_text(source.replace("{{ doc.issuers|join('、') }}</dd>",
                                       "{{ doc.issuers|join('、') }}（{{ doc.issuers|length }}）</dd>", 1), encoding="utf-8")
    build(workspace)
    snapshot = quick.load_snapshot(workspace["cache"], workspace["out"])
    assert snapshot is not None and snapshot.fields_used == frozenset({"issuer"})
    path = workspace["content"] / FEE_RULE
    _replace_in(path, "issuer: 国家知识产权局", "issuer: [国家知识产权局, 国务院办公厅]")
    assert build(workspace).quick is None
    assert any("a page uses the issuers otherwise" in message for message in why_not(caplog))
    assert "国务院办公厅（2）" in (workspace["out"] / "documents" / FEE_RULE.stem / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_the_search_index_kept_before_an_output_that_could_not_be_written_costs_a_whole_build(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While the lists are made, the patched search index is kept already; when writing
    the output then fails, the snapshot still names the index before: the next build
    takes the whole build, and its output is right."""
    from disclosure_pelican.build import BuildError

    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    stage = quick._stage

    def full_disk(output: Path, updates: dict[str, bytes]) -> list[tuple[str, str]]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(quick, "_stage", full_disk)
    _replace_in(workspace["content"] / NORMATIVE, "topic: 政务服务", "topic: 政务公开")
    with pytest.raises(BuildError):
        build(workspace)
    monkeypatch.setattr(quick, "_stage", stage)
    caplog.clear()
    assert build(workspace).quick is None
    # (the kept index is a generation ahead of the one the snapshot names: no patch of it)
    assert any(message.endswith("the search export cannot be patched: the search index kept is not the one the "
                                "published export was made from") for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)
    # the same edit, back and again, with nothing failing: the rebuild of the lists
    for old, new in (("政务公开", "政务服务"), ("政务服务", "政务公开")):
        _replace_in(workspace["content"] / NORMATIVE, f"topic: {old}", f"topic: {new}")
        assert build(workspace).quick is not None
        assert_same_as_full_build(workspace)


def test_counts_replaced_where_noted() -> None:
    """A count of the same number of digits leaves every place where it was; another moves
    the places after it; a count not noted, or not as noted, gives no page."""
    from disclosure_pelican.printed import PrintedHole, pack, take_marks, unpack

    text, holes = take_marks("共 \ue002#list#\ue0039\ue004 件：\ue002doc-a\ue003甲\ue004")
    places = pack(holes)
    assert relist._recounted(text, places, {"#list#": ("9", "8")}) == ("共 8 件：甲", places)
    page, moved = relist._recounted(text, places, {"#list#": ("9", "10")})
    assert page == "共 10 件：甲"
    assert unpack(moved) == (PrintedHole("#list#", 2, 2), PrintedHole("doc-a", 7, 1))
    assert relist._recounted(text, places, {"#list#": ("8", "7")}) is None
    assert relist._recounted(text, places, {"#topic#专利": ("1", "2")}) is None
    assert relist._recounted(text, None, {"#list#": ("9", "8")}) is None
