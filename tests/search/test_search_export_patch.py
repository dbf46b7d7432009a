"""The static export patched for one record's new text (what a quick rebuild after a body
edit does) is byte for byte the whole export of the new records; when it cannot be, no
patch is given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure_search.export_patch import patch_export
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
