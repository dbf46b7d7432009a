"""Static export: determinism, same results as search(), small downloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from disclosure_search.index import build_index, search
from disclosure_search.static_export import export_from_records, export_static, fnv1a32
from disclosure_search.static_lookup import StaticSearch

from search_fixtures import NODE, RECORDS, changed, node_eval, run_client, synthetic_records

REQUESTS: list[dict[str, Any]] = [
    {"q": q}
    for q in [
        "495号", "〔2022〕495", "[2022] No. 495", "示知办函字(2022)495号", "902号", "知識產權公共服務",
        "智慧財產權", "政务公开工作要点", "公开", "产权", "节", "Key Points Disclosure", "IPv6",
        "窗口服务规范", "一窗通办", "互联网+政务服务", "专利代理", "没有这样的词", "服务热线",
        "constructor toString __proto__",
    ]
] + [
    {"q": "规范", "type": "normative"},
    {"q": "规范", "status": "repealed"},
    {"q": "规范", "inforce": True},
    {"q": "政务公开", "year": "2019"},
    {"q": "方案", "issuer": "示例知识产权局公共服务司"},
    {"q": "窗口", "sort": "date"},
    {"q": "知识产权", "sort": "date", "type": "normative", "inforce": True},
    {"q": "", "type": "keypoints"},
    {"q": ""},
]


def python_search(index_dir: Path, req: dict[str, Any]) -> list[tuple[str, float, str]]:
    hits = search(
        index_dir, req["q"], type=req.get("type"), status=req.get("status"), year=req.get("year"),
        issuer=req.get("issuer"), in_force_only=req.get("inforce", False), sort=req.get("sort", "relevance"),
    )
    return [(h.id, h.score, h.snippet) for h in hits]


def static_search(client: StaticSearch, req: dict[str, Any]) -> list[tuple[str, float, str]]:
    hits = client.search(
        req["q"], type=req.get("type"), status=req.get("status"), year=req.get("year"),
        issuer=req.get("issuer"), in_force_only=req.get("inforce", False), sort=req.get("sort", "relevance"),
    )
    return [(h["id"], h["score"], h["snippet"]) for h in hits]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("export")
    build_index(RECORDS, base / "ix")
    export_static(base / "ix", base / "site" / "search")
    return base / "ix", base / "site" / "search"


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_layout(exported: tuple[Path, Path]) -> None:
    _, out = exported
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == len(RECORDS)
    assert sorted(p.name for p in (out / "t").iterdir()) == sorted(f"{k}.json" for k in range(meta["shards"]))
    assert len(list((out / "d").iterdir())) == len(RECORDS)
    assert meta["filters"]["type"]["keypoints"] == 2
    assert (out / "search.js").is_file()
    doc = json.loads((out / "d" / f"{len(RECORDS) - 1}.json").read_text(encoding="utf-8"))
    assert doc["id"] == "draft-credit"  # ordinal 0 is the newest document, its file the last
    assert set(doc) >= {"title", "url", "doc_number", "published", "status", "type", "issuers", "excerpt"}
    norm = json.loads((out / "norm.json").read_text(encoding="utf-8"))
    assert norm["chars"]["權"] == "权" and norm["phrases"]["智慧财产权"] == "知识产权"


def test_python_static_lookup_equals_search(exported: tuple[Path, Path]) -> None:
    ix, out = exported
    for req in REQUESTS:
        client = StaticSearch.from_folder(out)
        assert static_search(client, req) == python_search(ix, req), req


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_search_js_equals_search(exported: tuple[Path, Path]) -> None:
    ix, out = exported
    results = run_client(out, REQUESTS)
    for req, got in zip(REQUESTS, results):
        js = [(h["id"], h["score"], h["snippet"]) for h in got["hits"]]
        assert js == python_search(ix, req), req


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    build_index(RECORDS, tmp_path / "a")
    build_index(list(reversed(RECORDS)), tmp_path / "b")
    export_static(tmp_path / "a", tmp_path / "out-a")
    export_static(tmp_path / "b", tmp_path / "out-b")
    assert read_tree(tmp_path / "out-a") == read_tree(tmp_path / "out-b")
    export_static(tmp_path / "a", tmp_path / "out-a")  # re-export over the old files
    assert read_tree(tmp_path / "out-a") == read_tree(tmp_path / "out-b")


def test_incremental_index_exports_like_a_fresh_one(tmp_path: Path) -> None:
    build_index(RECORDS, tmp_path / "fresh")
    build_index([changed(r, text=r.text + "临时改动") for r in RECORDS[:6]] + RECORDS[7:], tmp_path / "inc")
    build_index(RECORDS, tmp_path / "inc")
    with whoosh_index.open_dir(str(tmp_path / "inc")).searcher() as searcher:
        assert searcher.doc_count_all() > searcher.doc_count()  # deleted documents are still there
    export_static(tmp_path / "fresh", tmp_path / "out-a")
    export_static(tmp_path / "inc", tmp_path / "out-b")
    assert read_tree(tmp_path / "out-a") == read_tree(tmp_path / "out-b")


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("big")
    build_index(synthetic_records(400), base / "ix")
    stats = export_static(base / "ix", base / "search")
    assert stats.shards >= 16
    return base / "ix", base / "search"


BIG_QUERIES = ["知识产权公共服务", "〔2013〕17号", "专利费用减缴", "一窗通办", "窗口"]


def test_a_query_downloads_a_small_part_of_the_export(big_export: tuple[Path, Path]) -> None:
    ix, out = big_export
    total = sum(len(b) for b in read_tree(out).values())
    for query in BIG_QUERIES:
        client = StaticSearch.from_folder(out)
        hits = client.search(query, limit=10)
        assert [h["id"] for h in hits] == [h.id for h in search(ix, query, limit=10)]
        shards = [name for name in client.fetched if name.startswith("t/")]
        docs = [name for name in client.fetched if name.startswith("d/")]
        assert len(docs) == len(hits) <= 10  # records only of the results shown
        assert client.bytes_fetched < total / 10, (query, client.bytes_fetched, total)
        assert len(shards) <= len(client.fetched)


def test_filters_download_no_corpus_metadata(big_export: tuple[Path, Path]) -> None:
    _, out = big_export
    client = StaticSearch.from_folder(out)
    hits = client.search("", type="keypoints", limit=5)
    assert len(hits) == 5
    fetched = sorted(client.fetched)
    assert [n for n in fetched if n.startswith("t/")] and len([n for n in fetched if n.startswith("d/")]) == 5
    assert "norm.json" not in fetched  # no Chinese in the query


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_search_js_on_a_multi_shard_export(big_export: tuple[Path, Path]) -> None:
    ix, out = big_export
    requests = [{"q": q, "limit": 10} for q in BIG_QUERIES] + [{"q": "窗口", "sort": "date", "limit": 10}]
    results = run_client(out, requests)
    for req, got in zip(requests, results):
        expected = [(h.id, h.score) for h in search(ix, req["q"], sort=req.get("sort", "relevance"), limit=10)]
        assert [(h["id"], h["score"]) for h in got["hits"]] == expected, req
        python_client = StaticSearch.from_folder(out)
        python_client.search(req["q"], sort=req.get("sort", "relevance"), limit=10)
        assert got["bytes"] == python_client.bytes_fetched
        assert sorted(got["files"]) == sorted(python_client.fetched)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_fnv_hash_is_the_same_in_javascript() -> None:
    terms = ["知识", "no:495", "2022-495", "~type:normative", "~issuer:国家知识产权局", "𠀀字", "ipv6"]
    assert node_eval("return input.map(search.fnv1a32);", terms) == [fnv1a32(t) for t in terms]


@pytest.mark.parametrize("records", [RECORDS, synthetic_records(120)], ids=["fixture", "synthetic"])
def test_export_from_records_equals_export_from_the_index(tmp_path: Path, records) -> None:  # type: ignore[no-untyped-def]
    """The build computes the export from the records, without an index; it must be the
    very export that reading a whoosh index of them gives (and so rank like search())."""
    build_index(records, tmp_path / "ix")
    export_static(tmp_path / "ix", tmp_path / "from-index")
    export_from_records(records, tmp_path / "from-records")
    assert read_tree(tmp_path / "from-records") == read_tree(tmp_path / "from-index")


def test_export_on_every_core_equals_the_export_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large export tokenises and scores in forked workers; the files must be those one
    process writes (the test lowers the threshold so that 120 records count as large)."""
    from disclosure_search import inversion

    records = synthetic_records(120)
    monkeypatch.setattr(inversion, "PARALLEL_MIN", 10**9)
    export_from_records(records, tmp_path / "one")
    monkeypatch.setattr(inversion, "PARALLEL_MIN", 1)
    monkeypatch.setattr(inversion.os, "cpu_count", lambda: 2)
    export_from_records(records, tmp_path / "every")
    assert inversion.workers_for(len(records)) == 2
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "every")


def test_parallel_index_writing_ranks_and_exports_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_search import index as index_module

    records = synthetic_records(120)
    build_index(records, tmp_path / "serial")
    monkeypatch.setattr(index_module, "PARALLEL_WRITE_MIN", 1)
    build_index(records, tmp_path / "parallel")
    export_static(tmp_path / "serial", tmp_path / "out-serial")
    export_static(tmp_path / "parallel", tmp_path / "out-parallel")
    assert read_tree(tmp_path / "out-serial") == read_tree(tmp_path / "out-parallel")
    for query in ("政务公开", "知识产权", "2022"):
        assert [(h.id, h.score) for h in search(tmp_path / "serial", query)] == \
               [(h.id, h.score) for h in search(tmp_path / "parallel", query)]


def test_sync_index_follows_the_records_file(tmp_path: Path) -> None:
    from disclosure_search.index import index_is_current, save_records, sync_index

    records_file, ix = tmp_path / "records.jsonl", tmp_path / "ix"
    save_records(RECORDS, records_file)
    assert not index_is_current(records_file, ix)
    class Counting:
        total, done = 0, 0

        def advance(self) -> None:
            self.done += 1

    progress = Counting()
    first = sync_index(records_file, ix, progress)
    assert first is not None and first.added == len(RECORDS) and index_is_current(records_file, ix)
    assert progress.total == progress.done == len(RECORDS)
    assert sync_index(records_file, ix) is None  # the same file: nothing to do, no writer opened
    save_records(RECORDS[1:], records_file)
    again = sync_index(records_file, ix)
    assert again is not None and (again.removed, again.written) == (1, 0)
    assert RECORDS[0].id not in {h.id for h in search(ix, RECORDS[0].title, limit=None)}


def test_saved_ordinals_rank_exactly_like_computed_ones(tmp_path: Path) -> None:
    from disclosure_search.index import ORDINALS_FILE, save_records, sync_index

    records_file, ix = tmp_path / "records.jsonl", tmp_path / "ix"
    save_records(RECORDS, records_file)
    sync_index(records_file, ix)
    assert (ix / ORDINALS_FILE).is_file()
    queries = ("政务公开", "知识产权", "2022", "495号")
    saved = [[(h.id, h.score) for h in search(ix, q, limit=None)] for q in queries]
    saved += [[h.id for h in search(ix, "", type="keypoints", sort="date", limit=None)]]
    (ix / ORDINALS_FILE).unlink()
    computed = [[(h.id, h.score) for h in search(ix, q, limit=None)] for q in queries]
    computed += [[h.id for h in search(ix, "", type="keypoints", sort="date", limit=None)]]
    assert saved == computed and any(saved)
    # a later write to the index drops them (a new generation could reuse the number)
    sync_index(records_file, ix)
    build_index(RECORDS[1:], ix)
    assert not (ix / ORDINALS_FILE).exists()
    assert [h.id for h in search(ix, RECORDS[0].title, limit=None)].count(RECORDS[0].id) == 0


def test_a_record_as_json_is_what_asdict_gives() -> None:
    from dataclasses import asdict

    for record in [*RECORDS, *synthetic_records(5)]:
        expected = {**asdict(record), "issuers": list(record.issuers), "keywords": list(record.keywords)}
        assert json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False) == \
            json.dumps(expected, sort_keys=True, ensure_ascii=False)


def test_files_the_updated_export_already_holds_are_not_written(tmp_path: Path) -> None:
    """A build updating its output in place writes only the files that changed; the
    others are named, and together they are the export written from scratch."""
    records = synthetic_records(40)
    export_from_records(records, tmp_path / "site")
    records[3] = changed(records[3], text=records[3].text + "新增一段关于数据安全的说明。")
    stats = export_from_records(records, tmp_path / "changes", unchanged_in=tmp_path / "site")
    export_from_records(records, tmp_path / "plain")
    written, plain = read_tree(tmp_path / "changes"), read_tree(tmp_path / "plain")
    assert written and stats.unchanged and not set(written) & set(stats.unchanged)
    assert {name: data for name, data in read_tree(tmp_path / "site").items() if name in stats.unchanged} | written == plain
    assert any(name.startswith("d/") for name in written)  # the edited record's excerpt


def test_files_known_by_their_digests_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the digests the previous export noted (and the names the folder holds), files
    are compared without being read; a file the folder no longer holds, or whose noted
    digest differs, is written; a file without a noted digest is read as before."""
    from disclosure_search import static_export
    from disclosure_search.static_export import KnownExport

    records = synthetic_records(40)
    first = export_from_records(records, tmp_path / "site", digests=True)
    site = read_tree(tmp_path / "site")
    assert first.digests is not None and set(first.digests) == set(site)
    records[3] = changed(records[3], text=records[3].text + "新增一段关于数据安全的说明。")
    export_from_records(records, tmp_path / "plain")
    plain = read_tree(tmp_path / "plain")
    gone = next(name for name in sorted(site) if name != "meta.json" and plain[name] == site[name])
    (tmp_path / "site" / gone).unlink()  # (deleted by hand since: not listed)
    listed = set(read_tree(tmp_path / "site"))
    unknown = "meta.json"
    digests = {name: digest for name, digest in first.digests.items() if name != unknown}
    read: list[str] = []
    holds = static_export._holds
    monkeypatch.setattr(static_export, "_holds", lambda path, data: read.append(path.name) or holds(path, data))
    stats = export_from_records(records, tmp_path / "changes", unchanged_in=tmp_path / "site",
                                known=KnownExport(digests, listed), digests=True)
    assert read == [unknown]
    written = read_tree(tmp_path / "changes")
    assert gone in written and not set(written) & set(stats.unchanged)
    assert {name: data for name, data in read_tree(tmp_path / "site").items() if name in stats.unchanged} | written == plain
    assert stats.digests == {name: static_export.file_digest(data) for name, data in plain.items()}


def test_the_client_reads_the_format_the_export_writes() -> None:
    import re

    from disclosure_search.static_export import FORMAT
    from search_fixtures import SEARCH_JS

    assert re.findall(r"const FORMAT = (\d+);", SEARCH_JS.read_text(encoding="utf-8")) == [str(FORMAT)]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_client_refuses_files_of_another_format(exported: tuple[Path, Path]) -> None:
    """A cached client meeting files of another layout would pair results with the wrong
    records: it refuses them (the page then says search is unavailable)."""
    import subprocess

    from search_fixtures import SEARCH_JS

    _, out = exported
    script = (
        f"const search = require({json.dumps(str(SEARCH_JS))});"
        "const fs = require('fs'); const path = require('path');"
        f"const base = {json.dumps(str(out))};"
        "function load(name, format) { const data = JSON.parse(fs.readFileSync(path.join(base, name), 'utf8'));"
        "  if (name === 'meta.json' && format !== undefined) data.format = format; return Promise.resolve(data); }"
        "async function attempt(format) { const client = search.createClient({ load: function (n) { return load(n, format); } });"
        "  try { const found = await client.search({ q: '专利' }); return 'found ' + found.results.length; }"
        "  catch (err) { return 'refused: ' + err.message; } }"
        "Promise.all([attempt(undefined), attempt(search.format - 1)]).then(function (r) { process.stdout.write(JSON.stringify(r)); });"
    )
    done = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    same, other = json.loads(done.stdout)
    assert same.startswith("found ") and same != "found 0"
    assert other.startswith("refused: search files of format")
