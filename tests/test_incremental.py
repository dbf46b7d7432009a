"""Caches between builds: a rebuild reuses what did not change, and is byte-identical
to a full build; content, configuration, template and code changes invalidate."""

from __future__ import annotations

import dataclasses
import marshal
import shutil
from datetime import date
from pathlib import Path

import pytest

from disclosure.document import Document
from disclosure_pelican import incremental
from disclosure_pelican.build import _update_in_place, build_site, list_folder

from support import CONTENT, ROOT

AS_OF = date(2026, 11, 22)


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes, and every folder (``None``): an update in place must leave no
    folder a full build would not have."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


@pytest.fixture
def workspace(tmp_path: Path) -> dict[str, Path]:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "disclosure", theme)
    settings = tmp_path / "conf.py"
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    text = text.replace('THEME = "themes/disclosure"', f'THEME = {str(theme)!r}')
    text = text.replace('PLUGIN_PATHS = ["plugins"]', f'PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]')
    settings.write_text(text, encoding="utf-8")
    return {"content": content, "theme": theme, "settings": settings, "cache": tmp_path / "cache",
            "out": tmp_path / "site" / "out", "fresh": tmp_path / "fresh" / "out"}


def build(ws: dict[str, Path], *, cached: bool = True, output: Path | None = None, quick: bool = False):  # type: ignore[no-untyped-def]
    """A build of the workspace; the whole build unless ``quick`` (these tests are about
    reusing pages: the quick rebuild after a body edit has tests of its own)."""
    return build_site(ws["content"], output or ws["out"], AS_OF, ws["settings"], ws["cache"] if cached else None,
                      quick=quick)


def assert_same_as_full_build(ws: dict[str, Path]) -> None:
    build(ws, cached=False, output=ws["fresh"])
    assert tree(ws["out"]) == tree(ws["fresh"])


def test_rebuild_after_a_body_edit(workspace: dict[str, Path]) -> None:
    first = build(workspace)
    assert first.state.page_reuse.reused == 0
    again = build(workspace)
    assert again.state.page_reuse.rendered == 0, "nothing changed: every page is reused"
    notice = workspace["content"] / "notice" / "demo-notice-2025-holiday-service.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n增补一句正文。\n", encoding="utf-8")
    edited = build(workspace)
    reuse = edited.state.page_reuse
    # Its pages, and the lists and overview pages showing it (documents count by their
    # files' hashes): no other document's page.
    rendered = set(reuse.new) - reuse.kept
    own = "documents/demo-notice-2025-holiday-service/"
    assert {own + "index.html", own + "v1/index.html"} <= rendered, sorted(rendered)
    assert not [name for name in rendered if name.startswith("documents/") and not name.startswith(own)]
    assert reuse.rendered == len(rendered) and reuse.reused > 100, (reuse.rendered, reuse.reused)
    assert "增补一句正文。" in (workspace["out"] / "documents" / "demo-notice-2025-holiday-service" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_an_update_in_place_deletes_what_the_listing_taken_before_names(tmp_path: Path) -> None:
    """The output is listed (by a forked child) while the build runs; a file deleted since
    is no error, and a folder left empty goes, as when the output is walked at the end."""
    output, staging = tmp_path / "out", tmp_path / "staging"
    (output / "old").mkdir(parents=True)
    for name in ("old/page.html", "gone.html", "kept.html"):
        (output / name).write_text(name, encoding="utf-8")
    (staging / "new").mkdir(parents=True)
    (staging / "new" / "page.html").write_text("new", encoding="utf-8")
    listing = list_folder(output)
    (output / "gone.html").unlink()

    class Listed:
        def result(self) -> list[tuple[str, list[str], list[str]]]:
            return listing

    assert _update_in_place(staging, output, {"kept.html"}, Listed()) == 2  # type: ignore[arg-type]
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == ["kept.html", "new", "new/page.html"]
    assert not staging.exists()


@pytest.fixture
def forked_reuse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Rebuilds of the small content fingerprint and link half of their pages in a forked
    process, as large sites do; lists the helpers started."""
    from disclosure_pelican import forked, generator

    started: list[str] = []

    class Recorded(forked.Forked):
        def __init__(self, work, what: str) -> None:  # type: ignore[no-untyped-def]
            started.append(what)
            super().__init__(work, what)

    monkeypatch.setattr(generator, "PARALLEL_REUSE_MIN", 0)
    monkeypatch.setattr(generator, "can_fork", lambda: True)
    monkeypatch.setattr(generator, "Forked", Recorded)
    return started


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_updates_the_previous_output_in_place(workspace: dict[str, Path]) -> None:
    """With the previous fingerprints, unchanged files are left where they are (same
    inode: neither rewritten nor linked into a new tree), changed ones are replaced, and
    no retired copy of the site is made; the result is the full build's."""
    build(workspace)
    out = workspace["out"]
    before = inodes(out)
    notice = workspace["content"] / "notice" / "demo-notice-2025-holiday-service.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n增补一句正文。\n", encoding="utf-8")
    build(workspace)
    after = inodes(out)
    page = "documents/demo-notice-2025-holiday-service/index.html"
    assert after[page] != before[page]
    untouched = "documents/gf-2016-55/index.html"
    assert after[untouched] == before[untouched]
    searched = {name for name in after if name.startswith("search/d/")}
    assert searched and sum(after[n] == before.get(n) for n in searched) >= len(searched) - 2, \
        "the search export rewrote records that did not change"
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
    assert_same_as_full_build(workspace)


def test_files_rendered_again_with_the_same_bytes_keep_their_time(workspace: dict[str, Path]) -> None:
    """A whole rebuild writes the theme's files, the feeds and the sitemap again, and renders
    again the lists showing an edited document: those whose bytes did not change are left
    as they were (same inode and time), so that a deployment copying what changed by time
    and size copies only the files that did."""
    build(workspace)
    out = workspace["out"]
    times = {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    again = build(workspace)  # nothing changed: every page is reused, the other files are written again
    assert again.state.page_reuse.rendered == 0
    for name in ("theme/css/site.css", "sitemap.xml", "feeds/all.atom.xml", "data/documents.json"):
        path = out / name
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == times[name], name
    notice = workspace["content"] / "notice" / "demo-notice-2025-holiday-service.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n增补一句正文。\n", encoding="utf-8")
    edited = build(workspace)
    rendered = set(edited.state.page_reuse.new) - edited.state.page_reuse.kept
    same = [name for name in rendered if (out / name).stat().st_ino == times[name][0]]
    assert "documents/demo-notice-2025-holiday-service/index.html" not in same
    assert "types/notice/index.html" in rendered and "types/notice/index.html" in same  # its list: the same bytes
    assert_same_as_full_build(workspace)


def test_the_fingerprints_in_their_old_format_are_removed(workspace: dict[str, Path]) -> None:
    """Fingerprint files were JSON before they were marshal: a build removes the old one, unread."""
    build(workspace)
    [kept] = workspace["cache"].glob("pages-*.marshal")
    old = kept.with_suffix(".json")
    old.write_text("{}", encoding="utf-8")
    build(workspace)
    assert kept.is_file() and not old.exists()


def test_an_update_in_place_removes_what_the_site_no_longer_has(workspace: dict[str, Path]) -> None:
    build(workspace)
    removed = workspace["content"] / "notice" / "demo-notice-2026-application-channels.md"
    # a document no other one names (the content's README describes it, as it does every one)
    text_of_all = "\n".join(p.read_text(encoding="utf-8") for p in workspace["content"].rglob("*.md")
                            if p != removed and p.name != "README.md")
    assert removed.stem not in text_of_all
    removed.unlink()
    folder = workspace["out"] / "documents" / removed.stem
    (folder / "v1" / "stray.txt").write_text("left by hand", encoding="utf-8")
    build(workspace)
    assert not folder.exists()
    assert_same_as_full_build(workspace)


def test_an_update_in_place_without_a_core_to_spare_walks_the_output_itself(workspace: dict[str, Path],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """On one core the output is not listed beside the build: it is walked at the end and
    reused pages are looked up one by one, with the same result."""
    from disclosure_pelican import forked

    build(workspace)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    page = workspace["out"] / "documents" / "demo-notice-2025-holiday-service" / "index.html"
    page.unlink()
    removed = workspace["content"] / "notice" / "demo-notice-2026-application-channels.md"  # (named by no other)
    removed.unlink()
    again = build(workspace)
    assert page.is_file() and again.state.output_files is None
    assert not (workspace["out"] / "documents" / removed.stem).exists()
    assert_same_as_full_build(workspace)


def test_a_page_deleted_from_the_output_by_hand_is_rendered_again(workspace: dict[str, Path]) -> None:
    """A page is reused only if the output still holds it (as listed when the build started)."""
    build(workspace)
    page = workspace["out"] / "documents" / "demo-notice-2025-holiday-service" / "index.html"
    page.unlink()
    again = build(workspace)
    assert page.is_file() and again.state.page_reuse.rendered == 1
    assert_same_as_full_build(workspace)


def test_an_interrupted_update_in_place_is_repaired_by_the_next_build(workspace: dict[str, Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import build as build_module

    build(workspace)
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: 【改】", 1), encoding="utf-8")
    moved: list[str] = []
    real_replace = build_module.os.replace

    def interrupted(source, target):  # type: ignore[no-untyped-def]
        if "-building-" in str(source) and "-building-" not in str(target):  # moved into the site
            if len(moved) == 3:
                raise KeyboardInterrupt
            moved.append(str(target))
        real_replace(source, target)

    monkeypatch.setattr(build_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(workspace)
    monkeypatch.undo()
    assert len(moved) == 3
    assert not list(workspace["cache"].glob("pages-*.marshal")), "the fingerprints of the half-updated site are gone"
    again = build(workspace)
    assert not again.state.page_reuse.in_place, "without fingerprints the next build makes a whole new site"
    assert_same_as_full_build(workspace)


def test_a_template_error_leaves_the_site_being_updated_untouched(workspace: dict[str, Path]) -> None:
    from disclosure_pelican.build import BuildError

    build(workspace)
    before = tree(workspace["out"])
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: 【改】", 1), encoding="utf-8")
    template = workspace["theme"] / "templates" / "document.html"
    text = template.read_text(encoding="utf-8")
    assert "{{ body_html }}" in text
    template.write_text(text.replace("{{ body_html }}", "{{ body_html }}{{ no_such_macro() }}"), encoding="utf-8")
    with pytest.raises(BuildError):
        build(workspace)
    assert tree(workspace["out"]) == before


def test_half_the_pages_reused_in_a_forked_process(workspace: dict[str, Path], forked_reuse: list[str]) -> None:
    build(workspace)
    assert forked_reuse == [], "a cold build renders every page in this process"
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: 【改】", 1), encoding="utf-8")
    edited = build(workspace)
    assert forked_reuse == ["page reuse"]
    reuse = edited.state.page_reuse
    assert 0 < reuse.rendered < 20 and reuse.reused > 100, (reuse.rendered, reuse.reused)
    assert len(reuse.new) == reuse.rendered + reuse.reused
    again = build(workspace)
    assert again.state.page_reuse.rendered == 0, "the forked half's fingerprints were kept too"
    assert_same_as_full_build(workspace)
    # and what its pages asked: the ledger comes, every page's menu links it
    ledger = workspace["content"].parent / "ledger" / "ledger.jsonl"
    ledger.parent.mkdir()
    shutil.copyfile(ROOT / "ledger" / "ledger.jsonl", ledger)
    with_ledger = build(workspace)
    assert with_ledger.state.page_reuse.reused == 0, "every page asked whether the ledger's page exists"
    assert_same_as_full_build(workspace)


def test_a_failure_in_the_forked_half_fails_the_build(workspace: dict[str, Path], forked_reuse: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican.build import BuildError

    build(workspace)
    before = tree(workspace["out"])

    def explode(self, pages):  # type: ignore[no-untyped-def]
        raise OSError("no space left on device (simulated)")

    monkeypatch.setattr(incremental.PageReuse, "reuse_all", explode)
    with pytest.raises(BuildError, match="page reuse failed: OSError: no space left on device"):
        build(workspace)
    assert tree(workspace["out"]) == before


def test_page_fingerprints_do_not_depend_on_the_process(workspace: dict[str, Path]) -> None:
    """Fingerprints are compared across builds, so across processes: nothing in them may
    depend on string hashing (set order) or on which objects happen to be shared."""
    import os
    import subprocess
    import sys

    manifests = []
    cache = workspace["settings"].parent / ".cache"  # the command line's: beside the settings
    for seed in ("1", "2"):
        shutil.rmtree(cache, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "publish.py"), "build", "--content", str(workspace["content"]),
                        "--output", str(workspace["out"]), "--settings", str(workspace["settings"]),
                        "--as-of", AS_OF.isoformat()],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        [manifest] = cache.glob("pages-*.marshal")
        manifests.append(marshal.loads(manifest.read_bytes())["pages"])
    assert len(manifests[0]) > 100
    assert manifests[0] == manifests[1]


def test_title_edit_rerenders_the_pages_that_show_it(workspace: dict[str, Path]) -> None:
    build(workspace)
    # a document of the same type that does not show the edited one: its page is linked, not rendered
    unrelated = workspace["out"] / "documents" / "demo-2019-fast-resolution-pilot" / "index.html"
    before = unrelated.stat().st_ino
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: 【改】", 1), encoding="utf-8")
    build(workspace)
    interpretation = (workspace["out"] / "documents" / "interp-gf-2016-55" / "index.html").read_text(encoding="utf-8")
    assert "【改】" in interpretation, "a related document's page shows the new title"
    assert unrelated.stat().st_ino == before
    assert_same_as_full_build(workspace)


def test_document_pages_whose_inputs_did_not_change_are_reused_without_a_context(workspace: dict[str, Path]) -> None:
    build(workspace)
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: 【改】", 1), encoding="utf-8")
    reuse = build(workspace).state.page_reuse
    by_inputs = reuse.by_inputs
    assert "documents/demo-2019-fast-resolution-pilot/index.html" in by_inputs, "an unrelated document's page"
    assert "documents/gf-2016-55/index.html" not in by_inputs, "the edited document's page"
    assert "documents/interp-gf-2016-55/index.html" not in by_inputs, "its interpretation shows its title"
    lists = [page for page in workspace["out"].rglob("index.html")
             if page.relative_to(workspace["out"]).parts[0] in ("types", "years", "issuers", "topics", "status")]
    showing = {page.relative_to(workspace["out"]).as_posix() for page in lists
               if "documents/gf-2016-55/" in page.read_text(encoding="utf-8")}
    assert showing and not showing & by_inputs, "the list pages showing the edited document"
    assert len(lists) > len(showing) and {page.relative_to(workspace["out"]).as_posix() for page in lists} - showing \
        <= by_inputs, "every other list page"
    assert len(by_inputs) > 30 and reuse.reused > len(by_inputs)


def test_a_new_document_rerenders_the_pages_that_show_it_not_every_page(workspace: dict[str, Path]) -> None:
    """Publishing a document adds files to the site; pages that do not show it, nor ask
    whether those files exist, are left as they were (not the whole site again)."""
    build(workspace)
    # a page of another type that does not list the new notice
    unrelated = workspace["out"] / "documents" / "demo-patent-agency-supervision-rule" / "index.html"
    before = unrelated.stat().st_ino
    source = (workspace["content"] / "notice" / "demo-notice-2025-holiday-service.md").read_text(encoding="utf-8")
    added = workspace["content"] / "notice" / "demo-notice-2025-new-year-service.md"
    added.write_text(source.replace("id: demo-notice-2025-holiday-service", "id: demo-notice-2025-new-year-service")
                     .replace("SIPO-DEMO/2025-00003", "SIPO-DEMO/2025-00099")
                     .replace("国庆节、中秋节", "元旦"), encoding="utf-8")
    result = build(workspace)
    assert (workspace["out"] / "documents" / "demo-notice-2025-new-year-service" / "index.html").is_file()
    assert result.state.page_reuse.reused > result.state.page_reuse.rendered
    assert unrelated.stat().st_ino == before
    assert_same_as_full_build(workspace)
    added.unlink()  # and withdrawn again: its files go, the rest follows
    result = build(workspace)
    assert not (workspace["out"] / "documents" / "demo-notice-2025-new-year-service").exists()
    assert unrelated.stat().st_ino == before
    assert_same_as_full_build(workspace)


def test_a_document_repealed_by_a_new_one_shows_its_new_status_on_every_page(workspace: dict[str, Path]) -> None:
    """Publishing a document that repeals another changes no file of the repealed one, only
    its status: every page listing it (its topic's, where the new document is not) shows
    the new status, as a full build would (the builds also check each page reused by its
    inputs against its fingerprint)."""
    build(workspace)
    source = (workspace["content"] / "normative" / "demo-2023-window-service-rules.md").read_text(encoding="utf-8")
    repealing = source.replace("id: demo-2023-window-service-rules", "id: demo-2026-info-service-rules") \
        .replace("国知发演字〔2023〕906号", "国知发演字〔2026〕931号").replace("SIPO-DEMO/2023-00001", "SIPO-DEMO/2026-00931") \
        .replace("repeals: [demo-2015-window-service-rules]", "repeals: [demo-2020-info-service-outlets]") \
        .replace("written: 2023-06-12", "written: 2026-03-02").replace("published: 2023-06-20", "published: 2026-03-09") \
        .replace("effective: 2023-07-01", "effective: 2026-04-01").replace("date: 2023-06-16", "date: 2026-03-05")
    assert "repeals: [demo-2020-info-service-outlets]" in repealing and "topic: 政务服务" in repealing
    (workspace["content"] / "normative" / "demo-2026-info-service-rules.md").write_text(repealing, encoding="utf-8")
    reuse = build(workspace).state.page_reuse
    topic_lists = [name for name in reuse.new if name.startswith("topics/") and "demo-2020-info-service-outlets"
                   in (workspace["out"] / name).read_text(encoding="utf-8")]
    assert topic_lists and not set(topic_lists) & reuse.kept, "its topic's list shows its new status"
    assert_same_as_full_build(workspace)


def test_a_page_is_rendered_again_when_a_file_it_asked_about_comes_or_goes(workspace: dict[str, Path]) -> None:
    """Every page's menu links the ledger only when the ledger's page exists (``has_page``).
    The ledger is not part of a document page's context: only the answer the page kept
    tells that it must change when the ledger comes or goes."""
    build(workspace)  # the workspace's content has no ledger beside it
    page = workspace["out"] / "documents" / "demo-patent-agency-supervision-rule" / "index.html"
    assert "ledger/index.html" not in page.read_text(encoding="utf-8")
    ledger = workspace["content"].parent / "ledger" / "ledger.jsonl"
    ledger.parent.mkdir()
    shutil.copyfile(ROOT / "ledger" / "ledger.jsonl", ledger)
    build(workspace)
    assert "ledger/index.html" in page.read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)
    ledger.unlink()
    build(workspace)
    assert "ledger/index.html" not in page.read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_template_change_rerenders_every_page(workspace: dict[str, Path]) -> None:
    build(workspace)
    base = workspace["theme"] / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- template-marker --></body>"), encoding="utf-8")
    result = build(workspace)
    assert result.state.page_reuse.reused == 0
    assert "template-marker" in (workspace["out"] / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_compiled_templates_are_kept_between_builds(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A build compiles the theme's templates; the next loads them compiled from the cache,
    and compiles again only a template whose source changed."""
    import jinja2

    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if filename and Path(filename).is_relative_to(workspace["theme"]):  # (not Pelican's own generators')
            compiled.append(name)
        return compile_template(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    build(workspace)
    assert {"document.html", "doc_list.html", "base.html"} <= set(compiled)
    compiled.clear()
    build(workspace)
    assert compiled == []
    base = workspace["theme"] / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- template-marker --></body>"), encoding="utf-8")
    build(workspace)
    assert compiled == ["base.html"]
    assert "template-marker" in (workspace["out"] / "documents" / "gf-2016-55" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_compiled_templates_follow_the_jinja_settings(workspace: dict[str, Path]) -> None:
    """Jinja's options change the compiled code, not the templates' sources: templates
    compiled with others are not used."""
    build(workspace)
    settings = workspace["settings"]
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\nJINJA_ENVIRONMENT = {"trim_blocks": False, "lstrip_blocks": False, "extensions": []}\n',
                        encoding="utf-8")
    before = (workspace["out"] / "index.html").read_bytes()
    build(workspace)
    assert (workspace["out"] / "index.html").read_bytes() != before, "the whitespace the blocks leave"
    assert_same_as_full_build(workspace)


def test_configuration_change_rerenders_every_page(workspace: dict[str, Path]) -> None:
    build(workspace)
    settings = workspace["settings"]
    settings.write_text(settings.read_text(encoding="utf-8").replace('SITENAME = "', 'SITENAME = "新名称', 1), encoding="utf-8")
    result = build(workspace)
    assert result.state.page_reuse.reused == 0
    assert "新名称" in (workspace["out"] / "documents" / "gf-2016-55" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_code_change_invalidates_pages_and_bodies(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure import render_cache

    build(workspace)
    monkeypatch.setattr(incremental, "source_digest", lambda packages: "another version of the code")
    monkeypatch.setattr(render_cache, "_code_fingerprint", lambda: "another renderer")
    result = build(workspace)
    assert result.state.page_reuse.reused == 0
    assert_same_as_full_build(workspace)


def test_as_of_change_rerenders_every_page(workspace: dict[str, Path]) -> None:
    build(workspace)
    result = build_site(workspace["content"], workspace["out"], date(2026, 11, 23), workspace["settings"], workspace["cache"])
    assert result.state.page_reuse.reused == 0


def test_a_failed_build_leaves_no_stale_fingerprints(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import pages
    from disclosure_pelican.build import BuildError

    build(workspace)
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8") + "\n新增段落。\n", encoding="utf-8")

    def explode(self, doc, old, new):  # type: ignore[no-untyped-def]
        raise RuntimeError("interrupted")

    monkeypatch.setattr(pages.SiteModel, "compare_page", explode)
    with pytest.raises(BuildError):
        build(workspace)
    monkeypatch.undo()
    build(workspace)
    assert_same_as_full_build(workspace)


def test_the_command_line_search_index_follows_the_builds(workspace: dict[str, Path]) -> None:
    """The build leaves whoosh alone; `publish.py search` indexes what the last build changed."""
    import json
    import subprocess
    import sys

    def publish(*args: str) -> subprocess.CompletedProcess[str]:
        common = ["--content", str(workspace["content"]), "--settings", str(workspace["settings"])]
        return subprocess.run([sys.executable, str(ROOT / "publish.py"), args[0], *common, *args[1:]],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)

    built = publish("build", "--output", str(workspace["out"]), "--as-of", AS_OF.isoformat())
    assert built.returncode == 0, built.stderr
    assert not list((workspace["settings"].parent / ".cache").glob("search-*/_MAIN_*.toc")), "no whoosh at build time"
    first = publish("search", "网上报送年度经营情况", "--json")
    assert first.returncode == 0 and "Updating the search index" in first.stderr, first.stderr
    assert "demo-patent-agency-supervision-rule" in [h["id"] for h in json.loads(first.stdout)["hits"][:3]]
    again = publish("search", "网上报送年度经营情况", "--json")
    assert again.returncode == 0 and "Updating" not in again.stderr
    notice = workspace["content"] / "notice" / "demo-notice-2025-holiday-service.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n蓝鲸座头鲸观测点。\n", encoding="utf-8")
    assert publish("build", "--output", str(workspace["out"]), "--as-of", AS_OF.isoformat()).returncode == 0
    edited = publish("search", "座头鲸观测点", "--json")
    assert "1 indexed, 0 removed" in edited.stderr, edited.stderr
    assert [h["id"] for h in json.loads(edited.stdout)["hits"]] == ["demo-notice-2025-holiday-service"]
    # a damaged records file is a message, not a traceback
    from disclosure_search.cache_files import search_files

    records = search_files(workspace["settings"].parent / ".cache", workspace["content"]).records
    records.write_text('{"id": "half a line', encoding="utf-8")
    damaged = publish("search", "座头鲸观测点")
    assert damaged.returncode == 1 and "damaged" in damaged.stderr and "Traceback" not in damaged.stderr, damaged.stderr


def test_a_failed_build_leaves_the_command_lines_search_records_alone(workspace: dict[str, Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_pelican import generator
    from disclosure_pelican.build import BuildError
    from disclosure_search.cache_files import search_files

    build(workspace)
    files = search_files(workspace["cache"], workspace["content"])
    published = files.records.read_bytes()
    assert b"demo-notice-2025-holiday-service" in published and not files.pending.exists()
    notice = workspace["content"] / "notice" / "demo-notice-2025-holiday-service.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n失败构建才有的一句。\n", encoding="utf-8")

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(generator, "export_records", fail)  # after the search export has run
    with pytest.raises(BuildError):
        build(workspace)
    assert files.records.read_bytes() == published and not files.pending.exists()
    monkeypatch.undo()
    build(workspace)
    assert "失败构建才有的一句".encode() in files.records.read_bytes()


def test_a_build_without_a_cache_computes_no_fingerprints(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing to reuse and nowhere to keep them (`build --no-cache`, as in CI): fingerprints would be wasted work."""
    build(workspace)  # a previous output exists, but a build without a cache does not look at it

    def no_fingerprints(self, value):  # type: ignore[no-untyped-def]
        raise AssertionError("a fingerprint was computed")

    monkeypatch.setattr(incremental.Fingerprinter, "digest", no_fingerprints)
    result = build(workspace, cached=False)
    assert result.state.page_reuse.reused == 0 and result.state.page_reuse.rendered > 100
    monkeypatch.undo()
    assert tree(workspace["out"]) == tree(build(workspace, cached=False, output=workspace["fresh"]).output)


# ---------------------------------------------------------------- fingerprints of contexts


@dataclasses.dataclass(frozen=True)
class _Row:
    label: str
    items: tuple[str, ...] = ()


def _a_document(body: str = "正文", **changes: object) -> Document:
    from disclosure.document import Disclosure, DocType, Version

    version = Version(number=1, path=Path("x.md"), sha256=body.encode().hex(), title="标题", body=body, body_line=9,
                      written=None, published=date(2024, 1, 2), effective=None, change_note=None,
                      disclosure=Disclosure.PROACTIVE, review=None, doc_id="x")
    doc = Document(id="x", type=DocType.NORMATIVE, title="标题", issuers=("国家知识产权局",), versions=(version,),
                   published=date(2024, 1, 2))
    return dataclasses.replace(doc, **changes)


def test_fingerprints_follow_every_value_of_a_context() -> None:
    """Same content, same digest (whatever the objects); any value that differs, in a
    dataclass, in a container large enough to be digested once, or in a document's
    source, gives another.  A document counts by its files (each version's path and
    SHA-256: every field of a version comes from its file), its index number (a build
    may assign it) and version 1's dates (kept when the public view leaves version 1 out)."""
    digest = lambda context: incremental.Fingerprinter().digest(context)  # noqa: E731
    many = tuple(f"item {n}" for n in range(incremental.Fingerprinter.SHARED * 2))
    base = {"row": _Row("a", many), "rows": [_Row(str(n)) for n in range(100)], "doc": _a_document(), "n": 1}
    assert digest(base) == digest({**base, "row": _Row("a", tuple(many)), "doc": _a_document()})
    assert digest(base) != digest({**base, "row": _Row("b", many)})
    assert digest(base) != digest({**base, "row": _Row("a", many[:-1] + ("changed",))})
    assert digest(base) != digest({**base, "rows": [_Row(str(n)) for n in range(99)] + [_Row("x")]})
    assert digest(base) != digest({**base, "doc": _a_document(body="另一段正文")})  # another file
    version = _a_document().versions[0]
    assert digest(base) != digest({**base, "doc": _a_document(versions=(dataclasses.replace(version, path=Path("y.md")),))})
    assert digest(base) != digest({**base, "doc": _a_document(index_number="SIPO/2024-00002")})
    assert digest(base) != digest({**base, "doc": _a_document(written=date(2023, 12, 30))})
    assert digest(base) == digest({**base, "doc": _a_document(key_lines={"title": 3})})


@pytest.mark.parametrize("cached", [True, False])
def test_a_build_waits_for_another_build_of_the_same_output(workspace: dict[str, Path], cached: bool,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`serve --watch` and a build started by hand must not update one output at the same
    time, nor a build without the cache swap in a whole folder while another updates it in
    place: the second waits for the first (here the test holds the lock)."""
    import fcntl
    import threading

    from disclosure_pelican.build import one_build_at_a_time

    build(workspace)
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    target.write_text(target.read_text(encoding="utf-8") + "\n新增段落。\n", encoding="utf-8")
    done: list[object] = []
    with one_build_at_a_time(workspace["out"].resolve()):
        waiting = threading.Thread(target=lambda: done.append(build(workspace, cached=cached)))
        waiting.start()
        for _ in range(600):  # a bound on waiting for the message, not on any speed
            if "Waiting for another build" in capsys.readouterr().err or not waiting.is_alive():
                break
            waiting.join(0.1)
        assert waiting.is_alive() and not done, "the second build went ahead while the first held the lock"
        lock = workspace["out"].parent / ".out.lock"
        with open(lock, "rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    waiting.join(120)
    assert done and not waiting.is_alive()
    assert not lock.exists(), "the lock file is there only while a build runs"
    assert "新增段落。" in (workspace["out"] / "documents" / "gf-2016-55" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)


def test_a_build_that_waited_holds_the_lock_file_that_is_there(tmp_path: Path) -> None:
    """The build that held the lock removes its file before letting go; the one that
    waited on that file must lock a file at the path again, or a third build could go
    ahead beside it."""
    import fcntl
    import threading

    from disclosure_pelican.build import one_build_at_a_time

    out = tmp_path / "out"
    lock = tmp_path / ".out.lock"
    seen: list[bool] = []

    def second() -> None:
        with one_build_at_a_time(out):
            with open(lock, "rb") as third:  # a third build opening the path now finds it locked
                try:
                    fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    seen.append(False)
                except BlockingIOError:
                    seen.append(True)

    with one_build_at_a_time(out):
        assert lock.exists()
        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and not seen
    waiting.join(60)
    assert seen == [True]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_fingerprints_of_an_output_replaced_since_are_not_trusted(workspace: dict[str, Path]) -> None:
    """The fingerprints describe the output the cached build left.  Replaced since (here by
    a build without the cache, of other content, as a CI job might), it is not reused:
    a page that was the same in the fingerprints would be the other build's."""
    build(workspace)
    target = workspace["content"] / "normative" / "gf-2016-55.md"
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("title: ", "title: 【另一次构建】", 1), encoding="utf-8")
    build(workspace, cached=False)
    assert "【另一次构建】" in (workspace["out"] / "documents" / "gf-2016-55" / "index.html").read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    again = build(workspace)
    assert not again.state.page_reuse.in_place
    assert "【另一次构建】" not in (workspace["out"] / "documents" / "gf-2016-55" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(workspace)
