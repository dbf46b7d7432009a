"""Index build (incremental), search, filters, ranking and records."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_search import index as index_module
from disclosure_search.index import DuplicateRecordError, SearchIndexError, build_index, search
from disclosure_search.records import SearchRecord, markdown_to_text

from search_fixtures import RECORDS, by_id, changed


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ix")
    build_index(RECORDS, path)
    return path


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.id for h in hits]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("495号", "kp-2022"),
        ("〔2022〕495", "kp-2022"),
        ("[2022] No. 495", "kp-2022"),
        ("示知办函字(2022)495号", "kp-2022"),
        ("示發〔2016〕55號", "council-55"),
        ("知識產權公共服務", "plan-2021"),
        ("智慧財產權公共服務能力提升", "plan-2021"),
        ("印发政务公开工作要点", "kp-2022"),
        ("能力提升", "plan-2021"),
        ("Key Points Disclosure 2019", "kp-2019"),
        ("internet plus government services", "internet-plus"),
        ("互联网+政务服务", "internet-plus"),
        ("专利费用减缴", "fee-rules"),
        ("IPv6", "report-2024"),
        ("知识产权信息服务", "tw-note"),
        ("征求意见稿", "draft-credit"),
        ("公共服务司", "plan-2021"),
    ],
)
def test_the_expected_document_comes_first(ix: Path, query: str, first: str) -> None:
    hits = search(ix, query)
    assert hits, query
    assert hits[0].id == first, (query, ids(hits))


def test_number_match_outranks_a_citation_in_the_text(ix: Path) -> None:
    hits = search(ix, "902号")
    assert set(ids(hits)[:2]) == {"fee-rules", "agency-rule"}


def test_two_character_substring_inside_a_word_is_found(ix: Path) -> None:
    # "产权" sits inside the word "知识产权": found through bigrams
    assert "plan-2021" in ids(search(ix, "产权", limit=None))


def test_single_character_query(ix: Path) -> None:
    assert "holiday" in ids(search(ix, "节", limit=None))


def test_snippet_marks_the_matches_and_escapes(ix: Path) -> None:
    hit = search(ix, "一窗通办")[0]
    assert "<mark>一窗通办</mark>" in hit.snippet
    tw = search(ix, "知识产权信息服务")[0]
    assert "<mark>智慧財產權資訊服務</mark>" in tw.snippet


def test_snippet_window_moves_to_the_match(ix: Path) -> None:
    hit = search(ix, "服务热线")[0]
    assert hit.id == "holiday"
    assert hit.snippet.startswith("…") and "<mark>服务热线</mark>" in hit.snippet


def test_filters(ix: Path) -> None:
    assert set(ids(search(ix, "规范", type="normative", limit=None))) == {"window-2023", "window-2015"}
    assert ids(search(ix, "规范", status="repealed")) == ["window-2015"]
    assert ids(search(ix, "规范", in_force_only=True, type="normative")) == ["window-2023"]
    assert ids(search(ix, "政务公开", year=2019)) == ["kp-2019"]
    assert ids(search(ix, "政务公开", year="2019")) == ["kp-2019"]
    assert "plan-2021" in ids(search(ix, "方案", issuer="示例知识产权局公共服务司"))
    assert search(ix, "方案", issuer="没有这个机关") == []


def test_filters_without_query_list_by_date(ix: Path) -> None:
    assert ids(search(ix, "", type="keypoints")) == ["kp-2022", "kp-2019"]
    assert search(ix, "") == []


def test_sort_by_date(ix: Path) -> None:
    hits = search(ix, "窗口", sort="date", limit=None)
    dates = [h.published for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert set(ids(hits)) == set(ids(search(ix, "窗口", limit=None)))
    with pytest.raises(ValueError, match="sort must be one of"):
        search(ix, "窗口", sort="title")


def test_scores_are_descending_and_ties_follow_date(ix: Path) -> None:
    hits = search(ix, "知识产权", limit=None)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_hit_fields(ix: Path) -> None:
    hit = search(ix, "495号")[0]
    assert (hit.url, hit.doc_number, hit.published, hit.status, hit.version) == (
        "documents/kp-2022/", "示知办函字〔2022〕495号", "2022-05-30", "effective", 1
    )
    assert hit.to_json()["issuers"] == ["示例知识产权局办公室"]


def test_missing_index_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no search index"):
        search(tmp_path / "nothing", "知识产权")


# --- Incremental builds ------------------------------------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.count = 0


@pytest.fixture()
def written(monkeypatch: pytest.MonkeyPatch) -> _Counter:
    """Counts the documents handed to the whoosh writer."""
    counter = _Counter()
    original = index_module._fields_of

    def counting(record: SearchRecord, content_hash: str):  # type: ignore[no-untyped-def]
        counter.count += 1
        return original(record, content_hash)

    monkeypatch.setattr(index_module, "_fields_of", counting)
    return counter


def test_unchanged_rebuild_writes_nothing(tmp_path: Path, written: _Counter) -> None:
    first = build_index(RECORDS, tmp_path)
    assert first.rebuilt and first.added == len(RECORDS) and written.count == len(RECORDS)
    files = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    written.count = 0
    again = build_index(RECORDS, tmp_path)
    assert (again.written, again.removed, again.unchanged, again.rebuilt) == (0, 0, len(RECORDS), False)
    assert written.count == 0
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == files


def test_one_changed_record_is_reindexed_alone(tmp_path: Path, written: _Counter) -> None:
    build_index(RECORDS, tmp_path)
    written.count = 0
    records = [changed(r, title=r.title + "（修订）") if r.id == "fee-rules" else r for r in RECORDS]
    stats = build_index(records, tmp_path)
    assert (stats.added, stats.updated, stats.removed) == (0, 1, 0)
    assert written.count == 1
    assert search(tmp_path, "专利费用减缴")[0].title.endswith("（修订）")
    assert len(search(tmp_path, "专利费用减缴", limit=None)) == len(search(tmp_path, "专利费用减缴", limit=None))


def test_added_and_removed_records(tmp_path: Path, written: _Counter) -> None:
    build_index(RECORDS, tmp_path)
    written.count = 0
    extra = changed(
        by_id("holiday"), id="holiday-2", url="documents/holiday-2/", title="关于春节期间窗口服务安排的公告"
    )
    records = [r for r in RECORDS if r.id != "tw-note"] + [extra]
    stats = build_index(records, tmp_path)
    assert (stats.added, stats.updated, stats.removed) == (1, 0, 1)
    assert written.count == 1
    assert "tw-note" not in ids(search(tmp_path, "知识产权信息服务", limit=None))
    assert search(tmp_path, "春节")[0].id == "holiday-2"


def test_incremental_index_ranks_like_a_fresh_one(tmp_path: Path) -> None:
    fresh, incremental = tmp_path / "fresh", tmp_path / "incremental"
    build_index(RECORDS, fresh)
    build_index([changed(r, text=r.text + "临时") for r in RECORDS[:5]] + RECORDS[5:-1], incremental)
    build_index(RECORDS, incremental)
    for query in ["知识产权", "政务公开工作要点", "902号", "窗口服务"]:
        a = [(h.id, h.score) for h in search(fresh, query, limit=None)]
        b = [(h.id, h.score) for h in search(incremental, query, limit=None)]
        assert a == b, query


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DuplicateRecordError, match="kp-2022"):
        build_index([RECORDS[0], RECORDS[0]], tmp_path)


def test_changing_the_analysis_version_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_index(RECORDS, tmp_path)
    monkeypatch.setattr(index_module, "ANALYSIS_VERSION", "something-else")
    stats = build_index(RECORDS, tmp_path)
    assert stats.rebuilt and stats.added == len(RECORDS)


# --- Records ----------------------------------------------------------------------------


def test_markdown_is_reduced_to_text() -> None:
    md = (
        "> 演示内容：摘要。\n\n## 一、总体要求\n\n1. **加强**[政策解读](doc:gf-2016-55)；\n"
        "2. 见 <em>附件</em>\n\n| 项目 | 数量 |\n| --- | --- |\n| 申请 | {{ applications.total }} |\n"
    )
    text = markdown_to_text(md)
    assert text.splitlines()[:4] == ["演示内容：摘要。", "一、总体要求", "加强政策解读；", "见 附件"]
    for gone in ("#", "**", "](", "<em>", "{{", "---", ">"):
        assert gone not in text
    for kept in ("演示内容", "一、总体要求", "加强政策解读", "附件", "申请"):
        assert kept in text


def _every_step(markdown: str) -> str:
    """markdown_to_text without skipping any step."""
    from disclosure_search.records import _BLANKS, _TEXT_STEPS

    text = markdown
    for pattern, replacement, _ in _TEXT_STEPS:
        text = pattern.sub(replacement, text)
    return _BLANKS.sub("\n", text.replace("|", " ")).strip()


MARKDOWN_PIECES = st.sampled_from([
    "#", "## ", "\n", "\n\n", " ", "  ", "-", "---", "- - -", "*", "**", "_", "__", "~~", "`", "```", "~~~", ">", "> ",
    "[", "]", "(", ")", "![", "](", "][", "]:", "<", ">", "<em>", "{{", "}}", "{%", "%}", "{#", "#}", "{:", "}", "|",
    "1.", "2)", "+", "文字", "知识产权", "x", "。"])


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=40))
def test_markdown_to_text_skips_only_steps_that_cannot_match(pieces: list[str]) -> None:
    markdown = "".join(pieces)
    assert markdown_to_text(markdown) == _every_step(markdown)


def test_markdown_to_text_skips_only_steps_that_cannot_match_on_the_content() -> None:
    from support import CONTENT, CORPORA

    for folder in (CONTENT, CORPORA):
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            assert markdown_to_text(text) == _every_step(text), path


def test_record_hash_changes_with_content() -> None:
    record = by_id("kp-2022")
    assert record.content_hash() == SearchRecord.from_json(record.to_json()).content_hash()
    assert record.content_hash() != changed(record, status="repealed").content_hash()
