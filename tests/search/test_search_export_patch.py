"""The static export patched for one record's new text (what a quick rebuild after a body
edit does) is byte for byte the whole export of the new records; when it cannot be, no
patch is given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure_search.export_patch import MAX_MOVED, move_export, patch_export
from disclosure_search.static_export import export_from_records
from disclosure_search.token_cache import TokenCache

from search_fixtures import changed, synthetic_records
from test_search_token_cache import read_tree


def patched_export(records, edited, tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    """Export ``records`` with a token cache, patch in ``edited`` (a record of them with
    another text); the patched folder, or why there was no patch."""
    cache = TokenCache(tmp_path / f"{name}-tokens")
    published = tmp_path / f"{name}-published"
    stats = export_from_records(records, published, token_cache=cache)
    patch = patch_export(published, edited, cache, stats.postings_size)
    if isinstance(patch, str):
        return patch
    for file, data in patch.files.items():
        (published / file).write_bytes(data)
    patch.save()
    return published


def whole_export(records, tmp_path: Path, name: str) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    export_from_records(records, tmp_path / name)
    return read_tree(tmp_path / name)


# Edits small enough not to move these records' mean text length out of its step (six
# significant bits: every score depends on it; beyond, there is no patch, see the last tests).
EDITS = {
    "a new word": lambda text: text + "鲲。",
    "words removed": lambda text: text[3:],
    "words replaced by a new one": lambda text: "鲲鹏" + text[4:],
    "the same words, in another order": lambda text: "。".join(reversed(text.split("。"))),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_a_patched_export_is_the_whole_export_of_the_new_records(tmp_path: Path, what: str) -> None:
    records = synthetic_records(400)
    for index in (3, 150, 398):
        edited = changed(records[index], text=EDITS[what](records[index].text))
        assert edited.text != records[index].text
        new_records = records[:index] + [edited] + records[index + 1:]
        folder = patched_export(records, edited, tmp_path, f"r{index}")
        assert isinstance(folder, Path), (what, index, folder)
        assert read_tree(folder) == whole_export(new_records, tmp_path, f"whole{index}"), (what, index)
        # the kept index now describes the patched export: the next export reuses it
        cache = TokenCache(tmp_path / f"r{index}-tokens")
        export_from_records(new_records, tmp_path / f"again{index}", token_cache=cache)
        assert read_tree(tmp_path / f"again{index}") == read_tree(folder)


def test_no_patch_when_the_mean_text_length_moves(tmp_path: Path) -> None:
    records = synthetic_records(400)
    edited = changed(records[3], text=records[3].text + "专利代理机构应当配合检查，如实提供业务档案。" * 100)
    assert patched_export(records, edited, tmp_path, "long") \
        == "the edit moves a mean field length out of its step (six significant bits), which moves every score"


def test_no_patch_when_a_shard_it_touches_is_not_the_one_the_kept_index_describes(tmp_path: Path) -> None:
    """The published shards are checked where the patch changes them (the edited terms'
    old texts): another export's shards there decline the patch.  Shards it does not touch
    are not read (50 MB at 10,000 documents)."""
    records = synthetic_records(400)
    cache = TokenCache(tmp_path / "tokens")
    published = tmp_path / "published"
    stats = export_from_records(records, published, token_cache=cache)
    other = tmp_path / "other"
    export_from_records(records[:-1], other)  # another export (another record set) put in its place
    shutil.rmtree(published / "t")
    shutil.copytree(other / "t", published / "t")
    # (words removed, not so many that the mean text length moves: the shards' check declines it)
    edited = changed(records[3], text=records[3].text[3:])
    why = patch_export(published, edited, cache, stats.postings_size)
    assert isinstance(why, str) and why.startswith("the published t/") and why.endswith(
        " is not the one the search index kept describes"), why


def test_no_patch_for_a_record_the_export_does_not_have(tmp_path: Path) -> None:
    records = synthetic_records(50)
    cache = TokenCache(tmp_path / "tokens")
    stats = export_from_records(records, tmp_path / "published", token_cache=cache)
    stranger = changed(records[3], id="not-there", document="not-there", text="别的正文。")
    assert patch_export(tmp_path / "published", stranger, cache, stats.postings_size) \
        == "the published export does not hold the record, or its meta.json cannot be read"


def test_a_score_is_replaced_at_its_place_in_long_posting_texts() -> None:
    import random

    from disclosure_search.export_patch import _with_score

    rng = random.Random(5)
    for size in (1, 2, 127, 128, 129, 300, 5000):
        flat = [rng.randrange(1, 3000) if i % 2 else rng.randrange(1, 40) for i in range(2 * size)]
        text = "[" + ",".join(map(str, flat)) + "]"
        for at in {0, size // 2, size - 1}:
            expected = flat[:]
            expected[2 * at + 1] = 77
            assert _with_score(text, at, 77) == "[" + ",".join(map(str, expected)) + "]", (size, at)
        with pytest.raises(ValueError):
            _with_score(text, size, 77)


def test_a_patch_is_logged_and_replayed_and_names_its_generation(tmp_path: Path) -> None:
    records = synthetic_records(400)
    cache = TokenCache(tmp_path / "tokens")
    published = tmp_path / "published"
    stats = export_from_records(records, published, token_cache=cache)
    saved = cache.generation
    base = cache.postings_file.stat()
    edited = changed(records[3], text=records[3].text + "鲲。")
    assert patch_export(published, edited, cache, stats.postings_size, generation="another") \
        == "the search index kept is not the one the published export was made from"
    patch = patch_export(published, edited, cache, stats.postings_size, generation=saved)
    assert not isinstance(patch, str), patch
    patch.save()
    assert cache.postings_file.stat().st_mtime_ns == base.st_mtime_ns, "the kept index is not written again"
    assert cache.log_file.stat().st_size > 0
    kept = TokenCache(tmp_path / "tokens").load_postings()
    assert kept is not None and kept.generation == cache.generation != saved
    assert kept.keys[kept.ids.index(edited.id)] == cache.key(edited)
    patched = cache.generation
    # a whole export saves the index again and starts a new log
    export_from_records(records, tmp_path / "whole", token_cache=cache)
    assert not cache.log_file.exists() and cache.generation not in (saved, patched)


def test_a_long_log_is_folded_into_the_kept_index(tmp_path: Path) -> None:
    from disclosure_search.token_cache import LOG_LIMIT

    records = synthetic_records(400)
    cache = TokenCache(tmp_path / "tokens")
    published = tmp_path / "published"
    size = export_from_records(records, published, token_cache=cache).postings_size
    logged, text = [], records[3].text
    for n in range(LOG_LIMIT + 1):
        records[3] = changed(records[3], text=text + "鲲鹏"[n % 2] + "。")
        patch = patch_export(published, records[3], TokenCache(tmp_path / "tokens"), size, generation=cache.generation)
        assert not isinstance(patch, str), (n, patch)
        for file, data in patch.files.items():
            (published / file).write_bytes(data)
        patch.save()
        cache, size = patch.cache, patch.postings_size
        logged.append(cache.log_file.exists())
    assert logged == [True] * (LOG_LIMIT - 1) + [False, True]
    assert read_tree(published) == whole_export(records, tmp_path, "whole")


def test_the_kept_index_read_lazily_is_the_index_read_whole(tmp_path: Path) -> None:
    """A quick rebuild reads the kept index's arrays and texts as it uses them: the same
    values as a whole read, with the logged patches replayed on both, and its changes seen
    as a dict's would be."""
    from array import array

    records = synthetic_records(200)
    cache = TokenCache(tmp_path / "tokens")
    published = tmp_path / "published"
    stats = export_from_records(records, published, token_cache=cache)
    patch = patch_export(published, changed(records[5], text=records[5].text + "鲲鹏。"), cache, stats.postings_size)
    assert not isinstance(patch, str), patch
    patch.save()
    whole = TokenCache(tmp_path / "tokens").load_postings()
    lazy = TokenCache(tmp_path / "tokens").load_postings(lazy=True)
    assert whole is not None and lazy is not None and lazy.generation == whole.generation
    assert (lazy.ids, lazy.keys, lazy.lengths, lazy.scale) == (whole.ids, whole.keys, whole.lengths, whole.scale)
    assert dict(lazy.texts.items()) == whole.texts
    for field, terms in whole.inverted.items():
        assert set(lazy.inverted[field]) == set(terms) and all(lazy.inverted[field][t] == terms[t] for t in terms)
    title = lazy.inverted["title"]
    term = next(iter(whole.inverted["title"]))
    del title[term]
    assert term not in title and term not in set(title) and len(title) == len(whole.inverted["title"]) - 1
    with pytest.raises(KeyError):
        title[term]
    title[term] = array("i", [1, 1])
    assert term in title and title[term] == array("i", [1, 1]) and title.get("无此词") is None


def exported_with_cache(records, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``records`` exported with a token cache into ``published``: the cache, the folder,
    the export's figures and the index it kept."""
    cache = TokenCache(tmp_path / "tokens")
    published = tmp_path / "published"
    stats = export_from_records(records, published, token_cache=cache)
    kept = cache.load_postings()
    assert kept is not None
    return cache, published, stats, kept


def with_versions(records):  # type: ignore[no-untyped-def]
    """``records`` and an older version of every third (their heads' ordinals are in ``h.json``)."""
    older = [changed(r, id=f"{r.id}-v1", document=r.id, version=1, url=f"{r.url}v1/", text=r.text[5:])
             for r in records[::3]]
    return [*records, *older]


def redated(records, kept_ids: list[str], moves: int, first: int = 0):  # type: ignore[no-untyped-def]
    """The first record from ordinal ``first`` on whose year holds ``abs(moves)`` records
    more on its side ``moves`` points to (negative: newer), given the date of the last of
    them; and the records with it."""
    by_id = {r.id: r for r in records}
    year = [by_id[record_id].published[:4] for record_id in kept_ids]
    step = 1 if moves > 0 else -1
    place = next(n for n in range(max(first, -moves), len(kept_ids) - max(moves, 0))
                 if len({year[n + k * step] for k in range(abs(moves) + 1)}) == 1
                 and by_id[kept_ids[n + moves]].published != by_id[kept_ids[n]].published)
    moving, target = by_id[kept_ids[place]], by_id[kept_ids[place + moves]]
    edited = changed(moving, published=target.published)
    return place, edited, [edited if r is moving else r for r in records]


@pytest.mark.parametrize("moves, first", [(-4, 100), (5, 100), (-3, 0), (12, 150)])
def test_a_record_moved_by_its_date_is_patched_as_the_whole_export_writes_it(tmp_path: Path, moves: int,
                                                                              first: int) -> None:
    """A date of publication corrected: the record takes another place among the current
    versions (newest first), those it passes move one place; the patched export is the
    whole export, the kept index then describes it (the next cached export and the next
    body edit's patch give the whole export's files too)."""
    records = with_versions(synthetic_records(300))
    cache, published, stats, kept = exported_with_cache(records, tmp_path)
    place, edited, new_records = redated(records, kept.ids, moves, first)
    patch = move_export(published, edited, cache, stats.postings_size, generation=cache.generation)
    assert not isinstance(patch, str), patch
    assert any(name.startswith("t/") for name in patch.files)
    for file, data in patch.files.items():
        (published / file).write_bytes(data)
    patch.save()
    assert read_tree(published) == whole_export(new_records, tmp_path, "whole")
    now = TokenCache(tmp_path / "tokens").load_postings()  # (the move replayed from the log)
    assert now is not None and now.generation == cache.generation
    assert abs(now.ids.index(edited.id) - place) >= 2
    passed = set(kept.ids[min(place, place + moves):max(place, place + moves) + 1])
    versioned = {r.document for r in records if r.id != r.document}
    assert ("h.json" in patch.files) is bool(passed & versioned)  # (heads of older versions moved)
    assert passed & versioned or abs(moves) < 10
    # the kept index patches the next body edit, and the next cached export reuses it
    body = changed(edited, text=edited.text + "鲲。")
    new_records = [body if r is edited else r for r in new_records]
    again = patch_export(published, body, TokenCache(tmp_path / "tokens"), patch.postings_size,
                         generation=now.generation)
    assert not isinstance(again, str), again
    for file, data in again.files.items():
        (published / file).write_bytes(data)
    again.save()
    assert read_tree(published) == whole_export(new_records, tmp_path, "whole2")
    export_from_records(new_records, tmp_path / "again", token_cache=TokenCache(tmp_path / "tokens"))
    assert read_tree(tmp_path / "again") == read_tree(published)


def test_a_record_redated_in_its_place_changes_its_d_file_alone(tmp_path: Path) -> None:
    records = synthetic_records(200)
    cache, published, stats, kept = exported_with_cache(records, tmp_path)
    moving = next(r for r in records if r.id == kept.ids[50])
    before, after = (next(r for r in records if r.id == kept.ids[n]).published for n in (49, 51))
    day = next(d for d in (moving.published[:8] + f"{n:02d}" for n in range(1, 29))
               if after < d < before and d != moving.published and (d, moving.id) != (after, ""))
    edited = changed(moving, published=day)
    patch = move_export(published, edited, cache, stats.postings_size)
    assert not isinstance(patch, str), patch
    assert list(patch.files) == [next(name for name in read_tree(published) if name.startswith("d/")
                                      and b'"id":"%s"' % moving.id.encode() in (published / name).read_bytes())]
    for file, data in patch.files.items():
        (published / file).write_bytes(data)
    assert read_tree(published) == whole_export([edited if r is moving else r for r in records], tmp_path, "whole")


def test_no_move_patch_past_many_records_or_into_another_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_search import export_patch

    records = synthetic_records(300)
    cache, published, stats, kept = exported_with_cache(records, tmp_path)
    _, far, _ = redated(records, kept.ids, 4, 100)
    monkeypatch.setattr(export_patch, "MAX_MOVED", 3)
    assert move_export(published, far, cache, stats.postings_size) == "the record moves past more than 3 others"
    monkeypatch.setattr(export_patch, "MAX_MOVED", MAX_MOVED)
    newest = next(r for r in records if r.id == kept.ids[0])
    assert move_export(published, changed(far, published=f"{newest.year + 1}-01-01", year=newest.year + 1), cache,
                       stats.postings_size) == "the record's filter values (its year, status…) change too"
    assert move_export(published, changed(far, text="改"), cache, stats.postings_size) \
        == "the record's searched text changed too"
    assert not isinstance(move_export(published, far, cache, stats.postings_size), str)


def test_a_moved_text_is_the_text_of_the_postings_renumbered() -> None:
    """:func:`moved_splice` rewrites a posting text where the moved records are only (found
    by counting commas, or by reading the whole text); the text it makes is the text of the
    postings with their ordinals renumbered, whatever their place, scored or not."""
    import random

    from disclosure_search.export_patch import moved_splice
    from disclosure_search.inversion import moved_ordinals
    from disclosure_search.static_export import _posting_text
    from disclosure_search.token_cache import spliced

    rng = random.Random(5)
    for _ in range(3000):
        ordinals = sorted(rng.sample(range(700), rng.randrange(1, 600)))
        scored = rng.random() < 0.5
        values = [rng.randrange(0, 5000) for _ in ordinals] if scored else None
        old = rng.choice(ordinals)
        new = max(0, min(699, old + rng.randrange(-70, 70)))
        mapping = moved_ordinals(old, new)
        first, last = min(old, new), max(old, new)
        moved = sorted((mapping.get(o, o), values[i] if values else 0) for i, o in enumerate(ordinals))
        expected = _posting_text([o for o, _ in moved], [v for _, v in moved] if scored else None)
        text = _posting_text(ordinals, values)
        assert spliced(text, moved_splice(text, mapping, first, last, scored=scored)) == expected
        at = sum(o < first for o in ordinals)
        before = max((o for o in ordinals if o < first), default=0)
        assert spliced(text, moved_splice(text, mapping, first, last, scored=scored, at=at, before=before)) == expected
