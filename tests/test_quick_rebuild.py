"""The quick rebuild after a body edit (``disclosure_pelican.quick``): it patches only the
files that show the edited text, and the output is byte for byte a whole build's; every
edit it cannot prove harmless runs the whole build."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure_pelican import quick
from disclosure_pelican.build import ContentError, build_site

from support import ROOT
from test_incremental import AS_OF, assert_same_as_full_build, tree, workspace  # noqa: F401 (a fixture)
from test_incremental import build as whole_or_quick

INTERPRETATION = Path("interpretation") / "interp-gf-2016-55.md"
NOTICE = Path("notice") / "demo-notice-2025-holiday-service.md"
VERSIONED = Path("regulation") / "demo-patent-agency-supervision-rule"
KEY_POINTS = Path("keypoints") / "sipo-2025-disclosure-keypoints.md"


@pytest.fixture
def with_ledger(workspace: dict[str, Path]) -> dict[str, Path]:  # noqa: F811
    """The workspace with the ledger beside its content: the ledger view shows each file's hash."""
    shutil.copytree(ROOT / "ledger", workspace["content"].parent / "ledger")
    return workspace


def swap_last_paragraphs(path: Path) -> None:
    """Exchange the body's last two paragraphs: other text, the same words (so the search
    export's mean field lengths, which every score depends on, stay as they are)."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    paragraphs = body.rstrip("\n").split("\n\n")
    assert len(paragraphs) >= 3 and not any(p.startswith("#") for p in paragraphs[-2:]), paragraphs
    paragraphs[-2], paragraphs[-1] = paragraphs[-1], paragraphs[-2]
    path.write_text(head + "\n---\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def build(ws: dict[str, Path], **options: object):  # type: ignore[no-untyped-def]
    """A build as ``publish.py build`` makes it: quick when it can be."""
    return whole_or_quick(ws, quick=True, **options)


def why_not(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == quick.__name__]


def test_a_body_edit_patches_the_output_as_a_whole_build_writes_it(with_ledger: dict[str, Path]) -> None:
    workspace = with_ledger
    build(workspace)
    for path in (INTERPRETATION, NOTICE, INTERPRETATION):
        swap_last_paragraphs(workspace["content"] / path)
        result = build(workspace)
        assert result.quick is not None, f"{path}: the quick rebuild should apply"
        doc_id = path.stem
        assert f"documents/{doc_id}/index.html" in result.quick.written
        assert f"documents/{doc_id}/v1/index.html" in result.quick.written
        assert "data/documents.json" in result.quick.written and "ledger/index.html" in result.quick.written
        assert any(name.startswith("search/d/") for name in result.quick.written)
        assert len(result.quick.written) < 20, result.quick.written
        assert_same_as_full_build(workspace)
    # The next whole build starts from what the quick ones left (their pages are no longer
    # fingerprinted as the old text): a review edit, then the texts restored.
    edit_taking_the_whole_rebuild(workspace["content"] / NOTICE)
    assert build(workspace).quick is None
    assert_same_as_full_build(workspace)
    for path in (NOTICE, INTERPRETATION):
        swap_last_paragraphs(workspace["content"] / path)
        build(workspace)
        assert_same_as_full_build(workspace)


def test_the_search_records_kept_are_a_whole_builds_after_quick_rebuilds(workspace: dict[str, Path]) -> None:  # noqa: F811
    """The command line's search records (one JSON line per record, 50 MB at 10,000
    documents) get the edited record's line in place of the old one, the rest copied as it
    is: the file is the one a whole build with an empty cache writes."""
    from disclosure_search.cache_files import search_files

    build(workspace)
    for path in (INTERPRETATION, NOTICE):
        swap_last_paragraphs(workspace["content"] / path)
        assert build(workspace).quick is not None
    other_cache = workspace["cache"].parent / "other-cache"
    build_site(workspace["content"], workspace["fresh"], AS_OF, workspace["settings"], other_cache, quick=False)
    kept = search_files(workspace["cache"], workspace["content"]).records.read_bytes()
    assert kept == search_files(other_cache, workspace["content"]).records.read_bytes()
    assert kept.count(b"\n") > 20


@pytest.mark.parametrize("cores", [1, 2])
def test_a_quick_rebuild_does_not_import_whoosh(tmp_path: Path, cores: int) -> None:
    """The quick rebuild patches the static search export with the word segmenter alone:
    whoosh (the command line's index, a tenth of a second to import) stays unimported.  On
    two cores the search export is patched in a process of its own: this one imports
    neither."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "plugins")]),
           "DISCLOSURE_CACHE_DIR": str(tmp_path / "cache")}
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    code = (
        "import sys\n"
        "import publish\n"
        + ("from disclosure_pelican import forked\nforked.can_fork = lambda: False\n" if cores == 1 else "")
        + f"assert publish.main(['build', '--content', {str(content)!r}, '--output', {str(tmp_path / 'out')!r},"
        " '--as-of', '2026-11-22']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'rjieba', 'pelican'}))\n"
    )

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    run()
    swap_last_paragraphs(content / INTERPRETATION)
    said = run()
    assert said[0].startswith("Rebuilt ") and "a body edit" in said[0], said
    assert said[-1] == ("['rjieba']" if cores == 1 else "[]")


def test_an_index_written_before_the_tokenizer_moved_still_opens() -> None:
    """whoosh keeps its schema pickled in the index: the tokenizer's old place still names it."""
    from disclosure_search.index import DisclosureTokenizer

    assert pickle.loads(b"cdisclosure_search.analysis\nDisclosureTokenizer\n.") is DisclosureTokenizer


@pytest.mark.parametrize("copy_file_range", [True, False], ids=["system copy", "read and write"])
def test_a_range_of_a_file_is_replaced_with_the_rest_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          copy_file_range: bool) -> None:
    path = tmp_path / "records.jsonl"
    lines = [f"第{n}行：{'文' * (n * 37 % 500)}".encode() for n in range(3000)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    path.chmod(0o640)
    if not copy_file_range:
        monkeypatch.delattr(quick.os, "copy_file_range", raising=False)
    for number in (0, 1234, 2999):
        start, end, line = quick._line_of(path, number)
        assert line == lines[number]
        lines[number] = f"新的第{number}行".encode()
        quick._replace_range(path, start, end, lines[number])
        assert path.read_bytes() == b"\n".join(lines) + b"\n"
    assert quick._line_of(path, 3000) == (path.stat().st_size, path.stat().st_size, b"")
    assert quick._line_of(path, 3001) is None and quick._line_of(tmp_path / "missing", 0) is None
    assert path.stat().st_mode & 0o777 == 0o640 and [p.name for p in tmp_path.iterdir()] == ["records.jsonl"]


def test_several_body_edits_are_patched_one_after_another(with_ledger: dict[str, Path]) -> None:
    """Two files saved together (a ``git pull``): each is patched as if it were the only
    edit, and the output is a whole build's."""
    workspace = with_ledger
    build(workspace)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    swap_last_paragraphs(workspace["content"] / NOTICE)
    result = build(workspace)
    assert result.quick is not None
    assert result.quick.paths == tuple((workspace["content"] / path).as_posix() for path in (INTERPRETATION, NOTICE))
    for path in (INTERPRETATION, NOTICE):
        assert f"documents/{path.stem}/index.html" in result.quick.written
    assert_same_as_full_build(workspace)
    swap_last_paragraphs(workspace["content"] / NOTICE)  # and a next edit starts from what they left
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)


def test_when_a_later_edit_cannot_be_patched_the_whole_build_takes_over(workspace: dict[str, Path],  # noqa: F811
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    """The first file is patched and published; the second changes its headings: the
    whole build starts from the output and fingerprints the first step left."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    _append(workspace["content"] / NOTICE, "\n## 新的小标题\n\n一句。\n")
    assert build(workspace).quick is None
    assert any("headings changed" in reason for reason in why_not(caplog))
    assert_same_as_full_build(workspace)
    # the second step's search export patch (a process of its own) was let go, its index not kept
    import multiprocessing

    assert not multiprocessing.active_children()
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)


def test_more_edited_files_than_the_quick_rebuild_takes_run_the_whole_build(workspace: dict[str, Path],  # noqa: F811
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    build(workspace)
    monkeypatch.setattr(quick, "MAX_EDITED_FILES", 1)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    swap_last_paragraphs(workspace["content"] / NOTICE)
    assert build(workspace).quick is None
    assert_same_as_full_build(workspace)


def test_edits_a_quick_rebuild_cannot_take_run_the_whole_build(workspace: dict[str, Path],  # noqa: F811
                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    content = workspace["content"]
    edits = {
        "a version's front matter": lambda: _replace_in(content / VERSIONED / "v2.md", "change_note: 根据", "change_note: 依据"),
        "the theme": lambda: (swap_last_paragraphs(content / NOTICE),
                              _append(workspace["theme"] / "templates" / "document.html", "\n")),
        "a new reference": lambda: _append(content / NOTICE, "\n参见[另一文件](doc:interp-gf-2016-55)。\n"),
        "a heading": lambda: _append(content / INTERPRETATION, "\n## 新的小标题\n\n一句。\n"),
    }
    for what, edit in edits.items():
        caplog.clear()
        edit()
        result = build(workspace)
        assert result.quick is None, what
        assert why_not(caplog), f"{what}: the reason is logged"
        assert_same_as_full_build(workspace)


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_taking_the_whole_rebuild(path: Path) -> None:
    """An edit of ``path`` that no quick rebuild takes: the department that reviewed it
    (the disclosure gate reads every document's review), changed, or changed back."""
    text = path.read_text(encoding="utf-8")
    for old, new in (("  by: 办公室\n", "  by: 政策法规司\n"), ("  by: 政策法规司\n", "  by: 办公室\n")):
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            return
    raise AssertionError(f"{path}: no review by 办公室 or 政策法规司")


def test_a_versions_text_edit_patches_its_pages_and_comparisons(with_ledger: dict[str, Path]) -> None:
    """A revised document's versions are patched one at a time: the pages showing the
    edited version's text, the comparisons with the version before and after it (their
    counts and difference), its search record (the document's, or an older version's);
    byte for byte a whole build's."""
    workspace = with_ledger
    build(workspace)
    folder, doc_id = workspace["content"] / VERSIONED, VERSIONED.name
    for version in (2, 1, 2, 1):
        swap_last_paragraphs(folder / f"v{version}.md")
        result = build(workspace)
        assert result.quick is not None, f"v{version}: the quick rebuild should apply"
        assert f"documents/{doc_id}/v{version}/index.html" in result.quick.written
        assert f"documents/{doc_id}/v2/compare/index.html" in result.quick.written
        assert "data/documents.json" in result.quick.written
        assert any(name.startswith("search/d/") for name in result.quick.written)
        # the document's page shows the version in force, the latest
        assert (f"documents/{doc_id}/index.html" in result.quick.written) == (version == 2)
        assert_same_as_full_build(workspace)
    for version in (1, 2):  # saved together: each compared with the other's new text
        swap_last_paragraphs(folder / f"v{version}.md")
    result = build(workspace)
    assert result.quick is not None and len(result.quick.paths) == 2
    assert_same_as_full_build(workspace)
    # the start of the text, which the latest version's feed entries summarise (and an
    # older version's do not)
    for version, words in ((2, "演示用假设规章"), (1, "演示用旧版规章")):
        _replace_in(folder / f"v{version}.md", "演示用虚构规章", words)
        result = build(workspace)
        assert result.quick is not None, f"v{version}"
        assert any(name.startswith("feeds/") for name in result.quick.written) == (version == 2), result.quick.written
        assert_same_as_full_build(workspace)
    # a whole rebuild between (a review edit elsewhere: its snapshot's changes logged), then
    # the comparisons as it kept them
    edit_taking_the_whole_rebuild(workspace["content"] / NOTICE)
    assert build(workspace).quick is None
    swap_last_paragraphs(folder / "v1.md")
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)


def test_a_key_points_prose_edit_is_patched_and_a_task_edit_is_not(workspace: dict[str, Path],  # noqa: F811
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """Key points reach other pages (their task table, the annual report's) through their
    task breakdown only: an edit of their prose patches their pages; an edit of a task
    takes the whole build."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    path = workspace["content"] / KEY_POINTS
    _replace_in(path, "本文为本项目编写的演示文件", "本文为本项目编写的示例文件")
    result = build(workspace)
    assert result.quick is not None
    assert f"documents/{KEY_POINTS.stem}/index.html" in result.quick.written
    assert not any("/tasks/" in name for name in result.quick.written)
    assert_same_as_full_build(workspace)
    _replace_in(path, "严格在法定期限内答复", "严格在法定期限内及时答复")
    assert build(workspace).quick is None
    assert any("references or cited numbers changed" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def test_a_version_made_the_same_as_the_one_before_takes_the_whole_build(workspace: dict[str, Path],  # noqa: F811
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    """Two versions without a difference have a comparison page that says so, in other words
    than the difference's: the whole build writes it."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    folder = workspace["content"] / VERSIONED
    head, _, _ = (folder / "v2.md").read_text(encoding="utf-8").partition("\n---\n")
    _, _, older_body = (folder / "v1.md").read_text(encoding="utf-8").partition("\n---\n")
    (folder / "v2.md").write_text(head + "\n---\n" + older_body, encoding="utf-8")
    assert build(workspace).quick is None
    assert any("no longer differ" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def test_a_broken_body_is_refused_as_by_a_whole_build(workspace: dict[str, Path]) -> None:  # noqa: F811
    build(workspace)
    before = tree(workspace["out"])
    _append(workspace["content"] / NOTICE, "\n参见[不存在的文件](doc:no-such-document)。\n")
    with pytest.raises(ContentError) as refused:
        build(workspace)
    assert any("no-such-document" in p.message for p in refused.value.problems)
    assert tree(workspace["out"]) == before


def test_an_interrupted_quick_rebuild_is_repaired_by_the_next_build(workspace: dict[str, Path],  # noqa: F811
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    build(workspace)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)  # (a change logged to the snapshot first)
    assert build(workspace).quick is not None
    swap_last_paragraphs(workspace["content"] / NOTICE)
    written: list[Path] = []
    move = quick._move

    def fail_after_two(scratch: str, path: Path) -> None:
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(path)
        move(scratch, path)

    monkeypatch.setattr(quick, "_move", fail_after_two)
    with pytest.raises(KeyboardInterrupt):
        build(workspace)
    monkeypatch.undo()
    assert len(written) == 2
    assert quick.load_snapshot(workspace["cache"], workspace["out"]) is None, "its log ends with an output being changed"
    result = build(workspace)
    assert result.quick is None and result.state.page_reuse.reused == 0, "nothing describes the output: a whole new one"
    assert_same_as_full_build(workspace)


def test_quick_rebuilds_log_their_changes_to_the_snapshot(workspace: dict[str, Path],  # noqa: F811
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A quick rebuild appends what it changed to the snapshot's log instead of saving the
    whole snapshot again; the snapshot loaded is the one saved whole with the log's changes,
    which is saved whole again after ``SNAPSHOT_LOG_LIMIT`` changes.  A log of an earlier
    snapshot is not applied to a newer one."""
    monkeypatch.setattr(quick, "SNAPSHOT_LOG_LIMIT", 3)
    build(workspace)
    base = quick.snapshot_path(workspace["cache"], workspace["out"])
    log = base.with_suffix(".log")
    saved = base.read_bytes()
    for step in range(1, 4):
        swap_last_paragraphs(workspace["content"] / (NOTICE if step % 2 else INTERPRETATION))
        assert build(workspace).quick is not None
        loaded = quick.load_snapshot(workspace["cache"], workspace["out"])
        assert loaded is not None and loaded.logged == step % 3
        if step < 3:
            assert base.read_bytes() == saved and log.stat().st_size > 0
            whole = quick._save(workspace["cache"] / "other", workspace["out"], loaded)  # (another place)
            assert quick.load_snapshot(workspace["cache"] / "other", workspace["out"]) == whole
        else:  # the third change: saved whole, the log gone
            assert base.read_bytes() != saved and not log.exists()
    assert_same_as_full_build(workspace)
    # A change logged for an older snapshot file (its writer stopped before deleting the log):
    current = quick.load_snapshot(workspace["cache"], workspace["out"])
    log.write_bytes(pickle.dumps(quick.SnapshotChange("an older generation", {"search_size": -1})))
    assert quick.load_snapshot(workspace["cache"], workspace["out"])._replace(log_size=0) == current
    for path in (NOTICE, INTERPRETATION):  # (the changes logged after it are applied)
        swap_last_paragraphs(workspace["content"] / path)
        assert build(workspace).quick is not None
        assert_same_as_full_build(workspace)
    assert quick.load_snapshot(workspace["cache"], workspace["out"]).logged == 2
    # A change whose writing stopped half way (the machine stopped): nothing appended after
    # it could be read, so the snapshot describes no output and the next build is whole.
    whole = log.read_bytes()
    log.write_bytes(whole[:-7])
    assert quick.load_snapshot(workspace["cache"], workspace["out"]) is None
    swap_last_paragraphs(workspace["content"] / NOTICE)
    assert build(workspace).quick is None
    assert_same_as_full_build(workspace)
    # A change logged by another version of the code, with a field this one's snapshot
    # has not: no snapshot (its next build is whole), not a failure.
    current = quick.load_snapshot(workspace["cache"], workspace["out"])
    assert current is not None
    with log.open("ab") as handle:
        pickle.dump(quick.SnapshotChange(current.generation, {"a_field_of_another_version": 1}), handle)
    assert quick.load_snapshot(workspace["cache"], workspace["out"]) is None


def test_a_whole_rebuild_logs_its_changes_to_the_snapshot_when_it_can(workspace: dict[str, Path],  # noqa: F811
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole rebuild that keeps the set of document files (a topic edit: to a new topic,
    which adds a list page, and back, which removes it) logs the entries that changed; the
    snapshot loaded then is the one the build made.  One that changes that set (a new
    document) saves it whole; a log appended to by someone else since the build read it
    is not appended to."""
    made: list[quick.BuildSnapshot] = []
    keep = quick._keep

    def noting(cache_dir, output, snapshot, fields, logged_to):  # type: ignore[no-untyped-def]
        made.append(snapshot)
        return keep(cache_dir, output, snapshot, fields, logged_to)

    monkeypatch.setattr(quick, "_keep", noting)
    build(workspace)
    base = quick.snapshot_path(workspace["cache"], workspace["out"])
    saved = base.read_bytes()
    notice = workspace["content"] / NOTICE
    for _ in range(2):  # (a review edit, and back)
        edit_taking_the_whole_rebuild(notice)
        assert build(workspace).quick is None
        assert base.read_bytes() == saved, "logged, not saved whole"
        loaded = quick.load_snapshot(workspace["cache"], workspace["out"])
        assert loaded == made[-1]._replace(generation=loaded.generation, logged=loaded.logged, log_size=loaded.log_size)
        assert_same_as_full_build(workspace)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)  # (and a quick rebuild starts from it)
    assert build(workspace).quick is not None
    assert_same_as_full_build(workspace)
    added = workspace["content"] / "notice" / "demo-notice-added.md"
    added.write_text(notice.read_text(encoding="utf-8").replace("id: demo-notice-2025-holiday-service",
                                                                "id: demo-notice-added", 1)
                     .replace("index_number: SIPO-DEMO/2025-00003\n", ""), encoding="utf-8")
    assert build(workspace).quick is None
    assert base.read_bytes() != saved and not base.with_suffix(".log").exists(), "a new document: saved whole"
    assert quick.load_snapshot(workspace["cache"], workspace["out"]) == made[-1]._replace(
        generation=quick.load_snapshot(workspace["cache"], workspace["out"]).generation)
    # Someone else appended to the log after this build read it: the build saves whole.
    edit_taking_the_whole_rebuild(notice)
    load = quick.load_snapshot

    def then_appended(cache_dir, output):  # type: ignore[no-untyped-def]
        found = load(cache_dir, output)
        with open(quick._log_path(cache_dir, output), "ab") as handle:
            handle.write(pickle.dumps(quick.SnapshotChange(found.generation, {"search_size": found.search_size})))
        return found

    monkeypatch.setattr(quick, "load_snapshot", then_appended)
    saved = base.read_bytes()
    assert build(workspace).quick is None
    monkeypatch.setattr(quick, "load_snapshot", load)
    assert base.read_bytes() != saved and not base.with_suffix(".log").exists()
    assert_same_as_full_build(workspace)


def test_a_theme_that_prints_the_body_twice_gets_whole_builds(workspace: dict[str, Path]) -> None:  # noqa: F811
    template = workspace["theme"] / "templates" / "document.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{{ body_html }}", "{{ body_html }}{{ body_html }}"), encoding="utf-8")
    build(workspace)
    swap_last_paragraphs(workspace["content"] / NOTICE)
    assert build(workspace).quick is None
    assert_same_as_full_build(workspace)
    body = (workspace["out"] / "documents" / NOTICE.stem / "index.html").read_text(encoding="utf-8")
    last = (workspace["content"] / NOTICE).read_text(encoding="utf-8").rstrip("\n").split("\n\n")[-1]
    assert body.count(last[-12:]) == 2


def test_without_a_cache_there_is_no_quick_rebuild(workspace: dict[str, Path]) -> None:  # noqa: F811
    build_site(workspace["content"], workspace["out"], AS_OF, workspace["settings"], None)
    swap_last_paragraphs(workspace["content"] / NOTICE)
    assert build_site(workspace["content"], workspace["out"], AS_OF, workspace["settings"], None).quick is None


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_failed_build_that_kept_a_newer_search_index_gets_no_quick_rebuild(
        workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    """A build that fails after its search export kept its index leaves the published site
    and the snapshot as they were, but a kept index that describes another export: the next
    build does not patch the published export from it (the snapshot names the kept index it
    was made with) and is a whole build's."""
    from disclosure_pelican import generator
    from disclosure_pelican.build import BuildError

    build(workspace)
    swap_last_paragraphs(workspace["content"] / NOTICE)

    def failing(*args: object) -> list:
        logging.getLogger("pelican").error("a failure after the search export")
        return []

    monkeypatch.setattr(generator, "export_records", failing)
    with pytest.raises(BuildError):
        build_site(workspace["content"], workspace["out"], AS_OF, workspace["settings"], workspace["cache"], quick=False)
    monkeypatch.undo()
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    swap_last_paragraphs(workspace["content"] / NOTICE)  # back: one file differs from the published site
    assert build(workspace).quick is None
    assert_same_as_full_build(workspace)


def test_a_site_without_search_gets_quick_rebuilds_too(workspace: dict[str, Path]) -> None:  # noqa: F811
    settings = workspace["settings"]
    settings.write_text(settings.read_text(encoding="utf-8") + "\nDISCLOSURE_SEARCH = False\n", encoding="utf-8")
    build(workspace)
    swap_last_paragraphs(workspace["content"] / NOTICE)
    result = build(workspace)
    assert result.quick is not None and not any(name.startswith("search/") for name in result.quick.written)
    assert_same_as_full_build(workspace)


def test_a_quick_rebuild_that_cannot_write_leaves_the_output_as_it_was(workspace: dict[str, Path],  # noqa: F811
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican.build import BuildError

    build(workspace)
    before = tree(workspace["out"])
    swap_last_paragraphs(workspace["content"] / NOTICE)
    real = quick.os.fdopen
    opened: list[int] = []

    def disk_full(handle: int, mode: str):  # type: ignore[no-untyped-def]
        opened.append(handle)
        if len(opened) == 3:
            raise OSError(28, "No space left on device")
        return real(handle, mode)

    monkeypatch.setattr(quick.os, "fdopen", disk_full)
    with pytest.raises(BuildError) as failed:
        build(workspace)
    monkeypatch.undo()
    assert not failed.value.partial and "No space left" in str(failed.value)
    assert tree(workspace["out"]) == before, "nothing replaced, no scratch file left"
    assert build(workspace).quick is not None, "the snapshot still describes the output"
    assert_same_as_full_build(workspace)


def test_the_command_says_which_rebuild_ran_and_why(workspace: dict[str, Path]) -> None:  # noqa: F811
    import subprocess
    import sys

    def publish(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "publish.py"), "build", "--content", str(workspace["content"]),
                               "--output", str(workspace["out"]), "--settings", str(workspace["settings"]),
                               "--as-of", AS_OF.isoformat(), *extra], text=True, capture_output=True, check=True)

    publish()
    swap_last_paragraphs(workspace["content"] / NOTICE)
    done = publish()
    assert f"after a body edit of {(workspace['content'] / NOTICE).as_posix()}" in done.stdout
    swap_last_paragraphs(workspace["content"] / NOTICE)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    done = publish()
    assert f"after body edits of 2 files ({(workspace['content'] / INTERPRETATION).as_posix()}, " in done.stdout
    # (a long paragraph added: its words move the mean body length of a site this small by
    # more than a step, and every search score with it)
    _append(workspace["content"] / NOTICE, "\n" + "专利代理机构应当配合检查，如实提供业务档案。" * 150 + "\n")
    done = publish("--verbose")
    assert "no quick rebuild: the search export cannot be patched: the edit moves a mean field length out of its " \
        "step (six significant bits), which moves every score" in done.stderr
    assert "Built " in done.stdout


def test_a_build_with_nothing_changed_leaves_the_output_alone(workspace: dict[str, Path]) -> None:  # noqa: F811
    build(workspace)
    before = {path: path.stat().st_mtime_ns for path in workspace["out"].rglob("*")}
    again = build(workspace)
    assert again.quick is not None and again.quick.paths == () and again.quick.written == []
    assert {path: path.stat().st_mtime_ns for path in workspace["out"].rglob("*")} == before
    (workspace["theme"] / "templates" / "base.html").write_text(
        (workspace["theme"] / "templates" / "base.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(workspace).quick is None, "a theme change is a change"
    assert_same_as_full_build(workspace)


def test_a_quick_rebuild_of_an_english_site_with_an_address(with_ledger: dict[str, Path]) -> None:
    """Feeds with absolute links and English labels, pages with a canonical address."""
    workspace = with_ledger
    settings = workspace["settings"]
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\nSITE_LANGUAGE = "en"\nSITEURL = "https://example.org/disclosure"\n', encoding="utf-8")
    build(workspace)
    swap_last_paragraphs(workspace["content"] / INTERPRETATION)
    result = build(workspace)
    assert result.quick is not None and any(name.startswith("feeds/") for name in result.quick.written)
    assert_same_as_full_build(workspace)
    # a comparison's difference in English words ("Inserted:", "Deleted:")
    swap_last_paragraphs(workspace["content"] / VERSIONED / "v1.md")
    result = build(workspace)
    assert result.quick is not None and f"documents/{VERSIONED.name}/v2/compare/index.html" in result.quick.written
    assert_same_as_full_build(workspace)


def test_a_page_is_rendered_as_it_is_when_its_body_is_not_one_hole() -> None:
    from jinja2 import Environment
    from markupsafe import Markup

    from disclosure_pelican.quick import BODY_HOLE, HoledTemplate

    class Doc:
        id = "d"

    class Version:
        number = 1

    env = Environment(autoescape=True)
    context = {"body_html": Markup("<p>正文</p>"), "doc": Doc(), "version": Version(), "root": "../", "toc": []}
    cases = {
        "<main>{{ body_html }}</main>": True,
        "<main>{{ body_html }}{{ body_html }}</main>": False,
        "<main>{{ body_html|striptags if title else body_html }}</main>": True,
        "<h1>{{ title }}</h1><main>{{ body_html }}</main>": False,  # the title holds the hole's characters
    }
    for source, holed in cases.items():
        holes: dict = {}
        template = env.from_string(source)
        local = {**context, "title": str(BODY_HOLE) if "title }}" in source else ""}
        page = HoledTemplate(template, "p.html", context, holes).render(local)
        assert page == template.render(local), source
        assert ("p.html" in holes) is holed, source


def test_a_comparison_page_is_rendered_as_it_is_when_its_counts_or_difference_are_not_holes() -> None:
    """Holes only where the template prints the counts and the difference once each; a
    template that computes with a count, or shows the difference twice, or a comparison
    without a difference, renders the page as it is, without holes."""
    from types import SimpleNamespace

    from jinja2 import Environment
    from markupsafe import Markup

    from disclosure.diff import DiffStats
    from disclosure_pelican.quick import ComparedTemplate

    env = Environment(autoescape=True)
    version = SimpleNamespace(number=1, path=Path("x/v1.md"))
    context = {"doc": SimpleNamespace(id="x"), "old": version, "new": SimpleNamespace(number=2, path=Path("x/v2.md")),
               "stats": DiffStats(12, 3), "diff_html": Markup("<ins>新</ins>旧&amp;"), "changed": True}
    cases = {
        "<p>新增 {{ stats.inserted }} 字，删除 {{ stats.deleted }} 字</p><div>{{ diff_html }}</div>": True,
        "<div>{{ diff_html }}</div><p>{{ stats.deleted }}/{{ stats.inserted }}</p>": True,
        "<p>{% if stats.inserted > 10 %}多{% endif %}{{ stats.inserted }}{{ stats.deleted }}</p>{{ diff_html }}": False,
        "<p>{{ stats.inserted }}{{ stats.deleted }}</p>{{ diff_html }}{{ diff_html }}": False,
        "<p>{{ stats.inserted }}</p>{{ diff_html }}": False,  # (a count not shown: nothing to put it in)
    }
    for source, holed in cases.items():
        compares: dict = {}
        template = env.from_string(source)
        page = ComparedTemplate(template, "c.html", context, compares).render(context)
        assert page == template.render(context), source
        assert ("c.html" in compares) is holed, source
        if holed:
            spans = {name: page[start:start + length] for name, start, length in compares["c.html"].spans}
            assert spans == {"inserted": "12", "deleted": "3", "diff": "<ins>新</ins>旧&amp;"}, source
    unchanged = {**context, "changed": False}
    compares = {}
    template = env.from_string("<p>{{ stats.inserted }}{{ stats.deleted }}</p>{{ diff_html }}")
    assert ComparedTemplate(template, "c.html", unchanged, compares).render(unchanged) == template.render(unchanged)
    assert compares == {}
