"""`publish.py build`: validates first, publishes atomically, passes only public documents."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from disclosure.corpus import load_corpus
from disclosure.effectiveness import status_on

from support import CONTENT, ROOT

CANARY = "CANARY-7f3e9c"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from disclosure_pelican.build import build_site

    output = tmp_path_factory.mktemp("site") / "output"
    build_site(CONTENT, output, date(2026, 11, 22), ROOT / "pelicanconf.py")
    return output


def test_core_does_not_import_pelican() -> None:
    code = ("import sys; sys.path.insert(0, 'plugins'); "
            "import disclosure.corpus, disclosure.effectiveness, disclosure.schema, disclosure.editing, "
            "disclosure.export, disclosure.render, disclosure.diff, disclosure.tasks; "
            "assert not any(m == 'pelican' or m.startswith('pelican.') for m in sys.modules), 'pelican imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_one_page_per_public_version_and_one_list_per_type(built_site: Path) -> None:
    public = load_corpus(CONTENT).corpus.public(date(2026, 11, 22))
    for doc in public:
        assert (built_site / doc.url / "index.html").exists()
        for version in doc.versions:
            assert (built_site / version.url / "index.html").exists()
    for doc_type in ("normative", "regulation", "interpretation", "keypoints", "annual_report", "draft", "notice"):
        assert (built_site / "types" / doc_type / "index.html").exists()


def test_partially_invalid_document_is_not_dropped_by_pelican(built_site: Path) -> None:
    # Pelican reserves `status`; ours must never reach it.
    page = (built_site / "documents" / "demo-2018-fee-reduction-procedure" / "index.html").read_text(encoding="utf-8")
    assert "部分失效" in page


def test_every_output_file_has_the_mode_of_a_new_file(built_site: Path) -> None:
    """A static host's server reads the site as another user: no file is left readable by
    its owner only (as files written through ``mkstemp`` are, unless their mode is set)."""
    from disclosure.ledger_chain import new_file_mode

    modes = {path.relative_to(built_site).as_posix(): path.stat().st_mode & 0o777
             for path in built_site.rglob("*") if path.is_file()}
    assert "ledger/ledger.json" in modes and "ledger/ledger.csv" in modes
    assert {name: oct(mode) for name, mode in modes.items() if mode != new_file_mode()} == {}


def test_not_public_document_is_absent(built_site: Path) -> None:
    for name, data in tree_bytes(built_site).items():
        assert b"demo-internal-arrangement-notice" not in data, name


@pytest.mark.parametrize("as_of", ["2016-09-28", "2020-06-01", "2023-07-01", "2024-11-01", "2026-11-22", "2027-01-01"])
def test_export_statuses_match_the_model_on_any_date(as_of: str, tmp_path: Path, run_cli) -> None:
    output = tmp_path / "out"
    result = run_cli("build", "--output", str(output), "--as-of", as_of)
    assert result.exit_code == 0, result.stdout + result.stderr
    export = json.loads((output / "data" / "documents.json").read_text(encoding="utf-8"))
    day = date.fromisoformat(as_of)
    public = load_corpus(CONTENT).corpus.public(day)
    assert export["as_of"] == as_of
    assert [record["id"] for record in export["documents"]] == [doc.id for doc in public]
    for record in export["documents"]:
        expected = status_on(public, public.get(record["id"]), day)
        assert (record["status"], record["status_reason"]) == (expected.status.value, expected.reason)
        assert {"id", "type", "title", "doc_number", "status", "status_reason"} <= record.keys()
    csv_text = (output / "data" / "documents.csv").read_bytes()
    assert csv_text.startswith(b"\xef\xbb\xbf") and len(csv_text.decode("utf-8-sig").splitlines()) == len(public) + 1


def test_documents_not_yet_published_on_the_date_are_left_out(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "out"
    assert run_cli("build", "--output", str(output), "--as-of", "2019-01-01").exit_code == 0
    assert not (output / "documents" / "sipo-2022-disclosure-keypoints").exists()
    assert (output / "documents" / "gf-2016-55" / "index.html").exists()


def _corpus_with(tmp_path: Path, extra: dict[str, str]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for name, text in extra.items():
        (content / name).write_text(text, encoding="utf-8")
    return content


def test_content_error_writes_nothing_and_keeps_previous_output(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "site" / "out"
    assert run_cli("build", "--output", str(output), "--as-of", "2026-11-22").exit_code == 0
    before = tree_bytes(output)
    content = _corpus_with(tmp_path, {"notice/broken.md": "---\nid: broken\ntype: notice\ntitle: x\npublished: 2026-13-01\n---\n"})
    result = run_cli("build", "--content", str(content), "--output", str(output), "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert "notice/broken.md:5: published: '2026-13-01' is not a valid date" in result.stdout
    assert "nothing was written" in result.stderr
    assert tree_bytes(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["out"]


def test_a_refused_first_build_makes_no_folder(tmp_path: Path, run_cli) -> None:
    """Into a folder that does not exist yet, a build refused for its content leaves no
    folder behind (not even the one its lock would live in)."""
    content = _corpus_with(tmp_path, {"notice/broken.md": "---\nid: broken\ntype: notice\ntitle: x\npublished: 2026-13-01\n---\n"})
    output = tmp_path / "new" / "site" / "out"
    result = run_cli("build", "--content", str(content), "--output", str(output), "--as-of", "2026-11-22")
    assert result.exit_code == 1 and "nothing was written" in result.stderr
    assert not (tmp_path / "new").exists()


def test_failure_midway_keeps_previous_output(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import pages

    output = tmp_path / "out"
    assert run_cli("build", "--output", str(output), "--as-of", "2026-11-22").exit_code == 0
    before = tree_bytes(output)

    def explode(self, doc, old, new):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(pages.SiteModel, "compare_page", explode)
    result = run_cli("build", "--output", str(output), "--as-of", "2026-11-21")
    assert result.exit_code == 1
    assert "RuntimeError: disk full (simulated)" in result.stderr
    assert tree_bytes(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["out"]


def test_the_cyclic_collector_is_paused_during_a_build_and_restored_after(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus and page model live until the build ends: the collector would only walk
    them again and again.  It runs again once the build returns, refused or not."""
    import gc

    from disclosure_pelican import pages

    seen = []
    making = pages.SiteModel.__init__

    def noting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        making(self, *args, **kwargs)

    monkeypatch.setattr(pages.SiteModel, "__init__", noting)
    assert gc.isenabled()
    assert run_cli("build", "--output", str(tmp_path / "out"), "--as-of", "2026-11-22").exit_code == 0
    assert seen == [False] and gc.isenabled()
    content = _corpus_with(tmp_path, {"notice/broken.md": "---\nid: broken\ntype: notice\ntitle: x\npublished: 2026-13-01\n---\n"})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"), "--as-of", "2026-11-22")
    assert result.exit_code == 1 and gc.isenabled()


def test_settings_pelican_refuses_are_reported_without_a_traceback(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "out"
    assert run_cli("build", "--output", str(output), "--as-of", "2026-11-22").exit_code == 0
    before = tree_bytes(output)
    settings = tmp_path / "conf" / "conf.py"
    settings.parent.mkdir()
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    settings.write_text(text.replace('THEME = "themes/disclosure"', 'THEME = "themes/no-such-theme"'), encoding="utf-8")
    result = run_cli("build", "--settings", str(settings), "--content", str(CONTENT), "--output", str(output),
                     "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert "Could not find the theme themes/no-such-theme" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_bytes(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["conf", "out"]


def test_the_replaced_site_is_deleted_after_the_build_returns(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "out"
    assert run_cli("build", "--output", str(output), "--as-of", "2026-11-22").exit_code == 0
    stale = tmp_path / ".out-retired-left-by-an-interrupted-build"
    (stale / "out").mkdir(parents=True)
    (stale / "out" / "index.html").write_text("old", encoding="utf-8")
    assert run_cli("build", "--output", str(output), "--as-of", "2026-11-21").exit_code == 0
    assert (output / "index.html").is_file()
    # deleted by a detached process: wait for it (a bound on waiting, not on its speed)
    for _ in range(600):
        if sorted(p.name for p in tmp_path.iterdir()) == ["out"]:
            break
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_canary_of_non_public_documents_reaches_no_output_byte(tmp_path: Path, run_cli) -> None:
    hidden = f"""---
id: canary-hidden-{CANARY.lower()}
type: notice
title: 机密标题{CANARY}
title_en: {CANARY} title
issuer: {CANARY}机关
topic: {CANARY}
keywords: [{CANARY}]
published: 2026-01-10
disclosure: not_public
disclosure_basis: 《政府信息公开条例》第十四条 {CANARY}
review: {{by: {CANARY}, date: 2026-01-09, result: passed}}
---

正文含有{CANARY}。
"""
    failed = hidden.replace("canary-hidden", "canary-failed").replace("disclosure: not_public", "disclosure: proactive") \
        .replace("result: passed", "result: failed")
    content = _corpus_with(tmp_path, {"notice/canary-hidden.md": hidden, "notice/canary-failed.md": failed})
    output = tmp_path / "out"
    result = run_cli("build", "--content", str(content), "--output", str(output), "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.stdout + result.stderr
    files = tree_bytes(output)
    assert len(files) > 50
    for name, data in files.items():
        assert CANARY.encode() not in data and CANARY.lower().encode() not in data, name
    # the command line's search files too: the records the build left and the whoosh index made from them
    searched = run_cli("search", "--content", str(content), "政府信息公开", "--json")
    assert searched.exit_code == 0 and json.loads(searched.stdout)["count"] > 0, searched.stderr
    from disclosure.files import path_key

    key = path_key(content)
    search_files = [p for p in run_cli.cache_dir.glob(f"search-{key}*") if p.is_file()]
    search_files += [p for p in (run_cli.cache_dir / f"search-{key}").rglob("*") if p.is_file()]
    assert len(search_files) > 2
    for path in search_files:
        data = path.read_bytes()
        assert CANARY.encode() not in data and CANARY.lower().encode() not in data, path


def test_two_builds_are_byte_identical(tmp_path: Path, run_cli) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli("build", "--output", str(first), "--as-of", "2026-11-22").exit_code == 0
    assert run_cli("build", "--output", str(second), "--as-of", "2026-11-22").exit_code == 0
    assert tree_bytes(first) == tree_bytes(second)


def test_readme_field_table_is_generated_from_the_schema() -> None:
    from disclosure.fieldtable import field_table

    assert field_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_search_export_beside_the_pages_is_the_same_as_inline(tmp_path: Path, run_cli,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import forked, search_export

    inline, beside = tmp_path / "inline", tmp_path / "beside"
    monkeypatch.setattr(search_export, "CONCURRENT_SEARCH_MIN", 10**9)
    assert run_cli("build", "--output", str(inline), "--as-of", "2026-11-22").exit_code == 0
    monkeypatch.setattr(search_export, "CONCURRENT_SEARCH_MIN", 0)
    started = []
    monkeypatch.setattr(search_export.SearchExport, "__init__", _recording(search_export.SearchExport.__init__, started))
    assert run_cli("build", "--output", str(beside), "--as-of", "2026-11-22").exit_code == 0
    assert started == [True] or not forked.can_fork(), "the export ran in a child process"
    assert tree_bytes(inline) == tree_bytes(beside)


def _recording(init, started: list):  # type: ignore[no-untyped-def]
    def wrapper(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        init(self, *args, **kwargs)
        started.append(self.child is not None)
    return wrapper


def test_search_export_failing_beside_the_pages_fails_the_build(tmp_path: Path, run_cli,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import search_export
    from disclosure_search import static_export

    output = tmp_path / "out"
    assert run_cli("build", "--output", str(output), "--as-of", "2026-11-22").exit_code == 0
    before = tree_bytes(output)

    def explode(records, out_dir, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("no space left on device (simulated)")

    monkeypatch.setattr(search_export, "CONCURRENT_SEARCH_MIN", 0)
    monkeypatch.setattr(static_export, "export_from_records", explode)
    result = run_cli("build", "--output", str(output), "--as-of", "2026-11-21")
    assert result.exit_code == 1
    assert "search export failed: OSError: no space left on device (simulated)" in result.stderr
    assert tree_bytes(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["out"]



@pytest.fixture
def started_in_order(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a build starts, in order: the search export (in a child, as on a large site:
    "search") and the page model ("model")."""
    from disclosure_pelican import pages, search_export

    events: list[str] = []
    monkeypatch.setattr(search_export, "CONCURRENT_SEARCH_MIN", 0)
    search_init, model_init = search_export.SearchExport.__init__, pages.SiteModel.__init__

    def search(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        search_init(self, *args, **kwargs)
        events.append("search" if self.child is not None else "search inline")

    def model(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        events.append("model")
        model_init(self, *args, **kwargs)

    monkeypatch.setattr(search_export.SearchExport, "__init__", search)
    monkeypatch.setattr(pages.SiteModel, "__init__", model)
    return events


def test_a_rebuild_reading_few_files_anew_starts_the_search_export_before_the_page_model(
        tmp_path: Path, run_cli, started_in_order: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit that takes the whole rebuild (its review's department), the bodies are
    rendered already, so the export starts beside the page model; the output is a plain
    build's.  A first build, or one that reads more files anew, starts it after the model."""
    from disclosure_pelican import build, forked

    if not forked.can_fork():
        pytest.skip("one core or no fork: the search export runs in the build's process")
    content = _corpus_with(tmp_path, {})
    output, plain = tmp_path / "out", tmp_path / "plain"
    args = ("--content", str(content), "--as-of", "2026-11-22")
    assert run_cli("build", "--output", str(output), *args).exit_code == 0
    assert started_in_order == ["model", "search"]
    edited = content / "normative" / "gf-2016-55.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("  by: 办公室", "  by: 政策法规司"), encoding="utf-8")
    started_in_order.clear()
    assert run_cli("build", "--output", str(output), *args).exit_code == 0
    assert started_in_order == ["search", "model"]
    assert run_cli("build", "--no-cache", "--output", str(plain), *args).exit_code == 0
    assert tree_bytes(output) == tree_bytes(plain)

    monkeypatch.setattr(build, "EARLY_START_MAX_PARSED", 0)
    edited.write_text(edited.read_text(encoding="utf-8").replace("  by: 政策法规司", "  by: 办公室"), encoding="utf-8")
    started_in_order.clear()
    assert run_cli("build", "--output", str(output), *args).exit_code == 0
    assert started_in_order == ["model", "search"]


def test_a_build_failing_after_the_search_export_started_early_stops_it(
        tmp_path: Path, run_cli, started_in_order: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import forked, generator
    from disclosure_search import static_export

    if not forked.can_fork():
        pytest.skip("one core or no fork: the search export runs in the build's process")
    content = _corpus_with(tmp_path, {})
    output = tmp_path / "site" / "out"
    args = ("--content", str(content), "--output", str(output), "--as-of", "2026-11-22")
    assert run_cli("build", *args).exit_code == 0
    before = tree_bytes(output)
    children: list[forked.Forked] = []
    forked_init = forked.Forked.__init__

    def recorded(self, work, what, **options):  # type: ignore[no-untyped-def]
        forked_init(self, work, what, **options)
        children.append(self)

    def explode(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("theme failure (simulated)")

    def slow_export(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(60)  # still running when the build fails, unless it is stopped
        raise OSError("not stopped")

    monkeypatch.setattr(static_export, "export_from_records", slow_export)
    monkeypatch.setattr(forked.Forked, "__init__", recorded)
    monkeypatch.setattr(generator.DisclosureGenerator, "generate_context", explode)
    edited = content / "normative" / "gf-2016-55.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("issuer: 国务院", "issuer: 国务院办公厅"), encoding="utf-8")
    started_in_order.clear()
    result = run_cli("build", *args)
    assert result.exit_code == 1 and "theme failure (simulated)" in result.stderr
    assert started_in_order == ["search"] and children
    assert not any(child._process.is_alive() for child in children)
    assert tree_bytes(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["out"]


def test_the_build_process_leaves_the_search_libraries_to_the_search_export(tmp_path: Path) -> None:
    """whoosh and the word segmenter (0.18 s to import) are imported by the search export,
    which runs in a forked child on a large site, not by the build's own process."""
    from disclosure_pelican import forked

    if not forked.can_fork():
        pytest.skip("one core or no fork: the search export runs in the build's process")
    code = (
        "import sys\n"
        "import publish\n"
        "from disclosure_pelican import search_export\n"
        "search_export.CONCURRENT_SEARCH_MIN = 0\n"
        f"assert publish.main(['build', '--output', {str(tmp_path / 'out')!r}, '--as-of', '2026-11-22']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'rjieba')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "plugins")]),
                               "DISCLOSURE_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "search" / "meta.json").is_file()


def test_forked_work_reports_its_error_once_without_a_traceback() -> None:
    code = (
        "from disclosure_pelican.forked import Forked\n"
        "def boom():\n    raise OSError('simulated')\n"
        "try:\n    Forked(boom, 'demo').result()\nexcept RuntimeError as error:\n    print(error)\n"
        "print(Forked(lambda: 41 + 1, 'demo').result())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert done.stdout.splitlines() == ["demo failed: OSError: simulated", "42"], done.stderr
    assert "Traceback" not in done.stderr
