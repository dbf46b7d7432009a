"""The static export's token cache and kept inverted index: the files are the same as an
export without them, records are tokenised only when their searched text is new, and
the cache follows the tokeniser's code."""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

import pytest

from disclosure_search import analysis, inversion, token_cache
from disclosure_search.static_export import export_from_records
from disclosure_search.token_cache import Postings, TokenCache, decode_counts, encode_counts, record_counts

from search_fixtures import changed, synthetic_records


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def same_as_without_cache(records, tmp_path: Path, cache: TokenCache, name: str) -> bool:  # type: ignore[no-untyped-def]
    export_from_records(records, tmp_path / f"{name}-cached", token_cache=cache)
    export_from_records(records, tmp_path / f"{name}-plain")
    return read_tree(tmp_path / f"{name}-cached") == read_tree(tmp_path / f"{name}-plain")


def exported_once(records, tmp_path: Path) -> tuple[TokenCache, Postings]:  # type: ignore[no-untyped-def]
    """A token cache after one export of ``records``, and the index it kept."""
    cache = TokenCache(tmp_path / "tokens")
    export_from_records(records, tmp_path / "first", token_cache=cache)
    kept = cache.load_postings()
    assert kept is not None
    return cache, kept


@pytest.fixture
def computed_texts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per posting text computed from here on."""
    from disclosure_search import static_export

    computed: list[int] = []
    real = static_export.posting_texts

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        texts = real(*args, **kwargs)
        computed.extend([1] * len(texts))
        return texts

    monkeypatch.setattr(static_export, "posting_texts", counting)
    return computed


@pytest.fixture
def tokenised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the records tokenised from here on (cache misses)."""
    seen: list[str] = []
    real = inversion.record_counts

    def counting(record):  # type: ignore[no-untyped-def]
        seen.append(record.id)
        return real(record)

    monkeypatch.setattr(inversion, "record_counts", counting)
    return seen


def test_counts_survive_encoding() -> None:
    record = synthetic_records(1)[0]
    counts = record_counts(record)
    decoded = decode_counts(encode_counts(counts))
    assert decoded == {field: dict(found) for field, found in counts.items()}
    assert [list(found) for found in decoded.values()] == [list(found) for found in counts.values()]  # same order


def test_an_edit_is_patched_into_the_kept_index_with_the_same_files(tmp_path: Path, tokenised: list[str]) -> None:
    records = synthetic_records(120)
    cache = TokenCache(tmp_path / "cache" / "tokens")
    assert same_as_without_cache(records, tmp_path, cache, "cold")
    assert cache.load_postings() is not None

    tokenised.clear()
    # a body edit, a title edit that removes words, a record whose text is emptied
    records[5] = changed(records[5], text=records[5].text + "新增的段落讨论专利审查与数据安全。")
    records[17] = changed(records[17], title="改")
    records[30] = changed(records[30], text="")
    records[31] = changed(records[31], status="repealed", in_force=False)  # not a token change
    export_from_records(records, tmp_path / "edited-cached", token_cache=cache)
    # the cached export tokenised the three edited records only (the plain one tokenises all)
    assert sorted(tokenised) == sorted({records[5].id, records[17].id, records[30].id})
    export_from_records(records, tmp_path / "edited-plain")
    assert read_tree(tmp_path / "edited-cached") == read_tree(tmp_path / "edited-plain")


def test_texts_of_untouched_terms_are_kept_when_the_scale_is_the_same(tmp_path: Path, computed_texts: list[int]) -> None:
    records = synthetic_records(120)
    records[7] = changed(records[7], title="zzqx")
    cache, kept = exported_once(records, tmp_path)
    computed_texts.clear()
    # two records exchange their bodies: the mean lengths, hence every other term's scores, stay
    records[5], records[6] = changed(records[5], text=records[6].text), changed(records[6], text=records[5].text)
    records[7] = changed(records[7], title="wwpy")  # a term goes, another comes, the length stays
    export_from_records(records, tmp_path / "swapped-cached", token_cache=cache)
    assert 0 < len(computed_texts) < len(kept.texts) / 2
    export_from_records(records, tmp_path / "swapped-plain")
    assert read_tree(tmp_path / "swapped-cached") == read_tree(tmp_path / "swapped-plain")


@pytest.fixture
def inverted_whole(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per run of records inverted from their counts (not patched) from here on."""
    runs: list[int] = []
    real = inversion._flat

    def counting(tokens, bounds):  # type: ignore[no-untyped-def]
        runs.append(bounds[1] - bounds[0])
        return real(tokens, bounds)

    monkeypatch.setattr(inversion, "_flat", counting)
    return runs


@pytest.mark.parametrize("what", ["newest", "middle", "removed", "added and removed", "added, removed and edited"])
def test_records_added_or_removed_renumber_the_kept_index(tmp_path: Path, tokenised: list[str], inverted_whole: list[int],
                                                          what: str) -> None:
    """A new document is a record before all others (every ordinal moves by one): the kept
    index is renumbered and the new record put in, not every record inverted again; the
    files are those of an export without the cache, and so is the next patched export."""
    records = synthetic_records(60)
    cache, _ = exported_once(records, tmp_path)
    new = synthetic_records(61, seed=99)[60]
    if what in ("newest", "added, removed and edited"):  # published after every other record
        new = changed(new, published="2027-01-01")
    tokenised.clear()
    inverted_whole.clear()
    moved = {
        "newest": [new, *records],
        "middle": [*records[:10], new, *records[10:]],
        "removed": [*records[:10], *records[11:]],
        "added and removed": [*records[:10], new, *records[12:]],
        "added, removed and edited": [new, *records[:10], changed(records[10], text="改写后的正文"), *records[12:]],
    }[what]
    export_from_records(moved, tmp_path / "moved-cached", token_cache=cache)
    # the new record (and the edited one) tokenised, nothing inverted again
    assert sorted(tokenised) == sorted({r.id for r in moved} & {new.id, *(["syn-00010"] if "edited" in what else [])})
    assert inverted_whole == []
    kept = cache.load_postings()
    assert kept is not None and sorted(kept.ids) == sorted(r.id for r in moved)
    assert (kept.ids[0] == new.id) is (what in ("newest", "added, removed and edited"))  # (ordinals: newest first)
    export_from_records(moved, tmp_path / "moved-plain")
    assert read_tree(tmp_path / "moved-cached") == read_tree(tmp_path / "moved-plain")
    tokenised.clear()  # the renumbered index kept is one the next edit patches
    inverted_whole.clear()
    moved[3] = changed(moved[3], title="再次修改的标题")
    export_from_records(moved, tmp_path / "edited-cached", token_cache=cache)
    assert tokenised == [moved[3].id] and inverted_whole == []
    export_from_records(moved, tmp_path / "edited-plain")
    assert read_tree(tmp_path / "edited-cached") == read_tree(tmp_path / "edited-plain")


@pytest.mark.parametrize("published", ["1999-01-01", "2030-01-01"])
def test_records_in_another_order_renumber_the_kept_index(tmp_path: Path, tokenised: list[str],
                                                          inverted_whole: list[int], computed_texts: list[int],
                                                          published: str) -> None:
    """A date of publication corrected moves the record among the others (ordinals go
    newest first): the kept index is renumbered, nothing tokenised or inverted again, and
    only the posting texts of the moved records' terms computed again; the files are those
    of an export without the cache, and so are the next patched export's."""
    records = synthetic_records(60)
    cache, kept = exported_once(records, tmp_path)
    order = kept.ids
    tokenised.clear()
    inverted_whole.clear()
    computed_texts.clear()
    moving = next(r for r in records if r.id == order[len(order) // 2])
    moved = [changed(r, published=published) if r is moving else r for r in records]
    export_from_records(moved, tmp_path / "moved-cached", token_cache=cache)
    assert tokenised == [] and inverted_whole == []
    assert 0 < len(computed_texts) < len(kept.texts)
    now = cache.load_postings()
    assert now is not None and now.ids != order and sorted(now.ids) == sorted(order)
    assert now.ids.index(moving.id) == (0 if published > "2027" else len(now.ids) - 1)
    export_from_records(moved, tmp_path / "moved-plain")
    assert read_tree(tmp_path / "moved-cached") == read_tree(tmp_path / "moved-plain")
    moved[3] = changed(moved[3], title="再次修改的标题")  # the renumbered index kept is one the next edit patches
    tokenised.clear()
    inverted_whole.clear()
    export_from_records(moved, tmp_path / "edited-cached", token_cache=cache)
    assert tokenised == [moved[3].id] and inverted_whole == []
    export_from_records(moved, tmp_path / "edited-plain")
    assert read_tree(tmp_path / "edited-cached") == read_tree(tmp_path / "edited-plain")


def test_many_changes_are_inverted_again_and_give_the_same_files(tmp_path: Path) -> None:
    records = synthetic_records(64)
    cache, _ = exported_once(records, tmp_path)
    edited = [changed(r, text=r.text + "修订") if i % 3 == 0 else r for i, r in enumerate(records)]
    assert same_as_without_cache(edited, tmp_path, cache, "many")


def test_a_cache_on_every_core_gives_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inversion, "PARALLEL_MIN", 1)
    monkeypatch.setattr(inversion.os, "cpu_count", lambda: 2)
    records = synthetic_records(80)
    cache = TokenCache(tmp_path / "tokens")
    assert same_as_without_cache(records, tmp_path, cache, "cold")
    cache.postings_file.unlink()  # from the cached counts, in the workers
    records[3] = changed(records[3], title="新的标题")
    assert same_as_without_cache(records, tmp_path, cache, "warm")


def test_a_damaged_cache_is_ignored(tmp_path: Path, tokenised: list[str]) -> None:
    records = synthetic_records(40)
    cache, _ = exported_once(records, tmp_path)
    cache.postings_file.write_bytes(b"not a pickle")
    cache.store.path.write_bytes(b"not a database either")
    tokenised.clear()
    assert same_as_without_cache(records, tmp_path, cache, "damaged")
    assert len(tokenised) == 2 * len(records)  # both exports tokenised everything


def test_a_kept_index_that_does_not_match_its_counts_is_not_patched(tmp_path: Path) -> None:
    records = synthetic_records(40)
    cache, kept = exported_once(records, tmp_path)
    kept.inverted["text"].clear()  # the index lost its postings; the counts say they are there
    cache.save_postings(kept)
    records[0] = changed(records[0], text="完全不同的正文")
    assert same_as_without_cache(records, tmp_path, cache, "mismatch")


def test_keys_follow_the_searched_text_and_the_tokeniser_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = synthetic_records(1)[0]
    key = TokenCache(tmp_path / "tokens").key(record)
    assert TokenCache(tmp_path / "tokens").key(changed(record, status="repealed", url="/x/")) == key
    for field, value in (("title", "别的"), ("text", record.text + "。"), ("issuers", ("甲", "乙")),
                         ("keywords", ("专利",)), ("doc_number", "另号"), ("topic", "t"), ("title_en", "e")):
        assert TokenCache(tmp_path / "tokens").key(changed(record, **{field: value})) != key, field
    # a change in the analysis code (here: one byte more in a copy of the module) changes every key
    copy = tmp_path / "analysis.py"
    shutil.copyfile(analysis.__file__, copy)
    copy.write_bytes(copy.read_bytes() + b"\n")
    monkeypatch.setattr(analysis, "__file__", str(copy))
    with_new_code = TokenCache(tmp_path / "tokens").key(record)
    assert with_new_code != key
    # and so does another version of the segmenter or of the Traditional→Simplified tables
    real_version = metadata.version
    seen = {key, with_new_code}
    for package in ("rjieba", "OpenCC"):
        monkeypatch.setattr(metadata, "version",
                            lambda name, changed=package: "0.0-another" if name == changed else real_version(name))
        other = TokenCache(tmp_path / "tokens").key(record)
        assert other not in seen, package
        seen.add(other)


def test_kept_texts_follow_the_scoring_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            computed_texts: list[int]) -> None:
    from disclosure_search import scoring

    records = synthetic_records(60)
    cache, kept = exported_once(records, tmp_path)
    copy = tmp_path / "scoring.py"
    shutil.copyfile(scoring.__file__, copy)
    copy.write_bytes(copy.read_bytes() + b"\n")
    monkeypatch.setattr(scoring, "__file__", str(copy))
    computed_texts.clear()
    records[5], records[6] = changed(records[5], text=records[6].text), changed(records[6], text=records[5].text)
    export_from_records(records, tmp_path / "second", token_cache=cache)
    assert len(computed_texts) == len(kept.texts)  # every text computed again


def test_a_kept_index_of_another_format_is_ignored(tmp_path: Path) -> None:
    import pickle

    cache, kept = exported_once(synthetic_records(20), tmp_path)
    cache.postings_file.write_bytes(pickle.dumps((token_cache.POSTINGS_FORMAT - 1, kept)))
    assert cache.load_postings() is None


def test_an_edit_touches_only_the_terms_whose_scores_it_moves() -> None:
    """A title edit that keeps the title's length touches the title terms it changes, not the
    body's; one that changes the length as scores see it touches every title term."""
    from disclosure_search.scoring import norm_length

    record = synthetic_records(1)[0]
    old = record_counts(record)
    same_length = changed(record, title=record.title[:-1] + ("甲" if record.title[-1] != "甲" else "乙"))
    longer = changed(record, title=record.title + "关于进一步加强和改进知识产权公共服务工作的补充通知" * 3)
    for edited, norm_moves in ((same_length, False), (longer, True)):
        new = record_counts(edited)
        assert (norm_length(sum(old["title"].values())) != norm_length(sum(new["title"].values()))) is norm_moves
        kept = inversion.invert_records([record], None)
        touched = inversion.swap_counts(kept.inverted, kept.lengths, 0, old, new)
        title_terms = set(old["title"]) | set(new["title"])
        if norm_moves:
            assert touched == title_terms
        else:
            assert touched == {t for t in title_terms if old["title"].get(t) != new["title"].get(t)}
            assert 0 < len(touched) < len(title_terms)
        assert not touched & (set(old["text"]) - title_terms)  # the body's terms keep their scores
        assert kept.inverted == inversion.invert_records([edited], None).inverted


def test_a_title_edit_recomputes_the_title_s_texts_only(tmp_path: Path, computed_texts: list[int]) -> None:
    records = synthetic_records(120)
    records[9] = changed(records[9], title="zzqx")
    cache, kept = exported_once(records, tmp_path)
    computed_texts.clear()
    records[9] = changed(records[9], title="wwpy")  # one term for another: the lengths stay
    export_from_records(records, tmp_path / "cached", token_cache=cache)
    assert len(computed_texts) == 1  # the new term's (the old one is gone), not every term of the record
    export_from_records(records, tmp_path / "plain")
    assert read_tree(tmp_path / "cached") == read_tree(tmp_path / "plain")
