"""`publish.py serve --watch`: the editor's preview builds again on every save."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from disclosure_pelican.watch import Watcher, build_sources

from support import CONTENT, ROOT


def test_the_watcher_builds_only_when_something_changed() -> None:
    sources = {"a.md": (1, 10)}
    builds: list[int] = []
    watcher = Watcher(lambda: dict(sources), lambda: builds.append(1))
    assert not watcher.look() and builds == [], "the first look only takes note"
    sources["a.md"] = (2, 10)
    assert watcher.look() and builds == [1]
    assert not watcher.look() and builds == [1]
    sources["b.md"] = (1, 1)
    assert watcher.look() and len(builds) == 2


def _site(tmp_path: Path) -> dict[str, Path]:
    """The embedded content, its ledger, the theme and settings naming them, in ``tmp_path``."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(ROOT / "ledger", tmp_path / "ledger")
    shutil.copytree(ROOT / "themes" / "disclosure", tmp_path / "theme")
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    settings = settings.replace('THEME = "themes/disclosure"', 'THEME = "theme"')
    settings = settings.replace('PLUGIN_PATHS = ["plugins"]', f'PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]')
    assert 'THEME = "theme"' in settings and str(ROOT / "plugins") in settings
    (tmp_path / "pelicanconf.py").write_text(settings, encoding="utf-8")
    return {"content": tmp_path / "content", "settings": tmp_path / "pelicanconf.py", "root": tmp_path}


def _touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_sources_are_every_file_a_build_reads(tmp_path: Path) -> None:
    site = _site(tmp_path)
    content, root = site["content"], site["root"]

    def sources():  # type: ignore[no-untyped-def]
        return build_sources(content, site["settings"])

    before = sources()
    for changed in (content / "normative" / "gf-2016-55.md", content / "data" / "annual" / "2025" / "figures.yml",
                    content / "keypoints" / "sipo-2025-disclosure-keypoints.tasks.yml", root / "ledger" / "ledger.jsonl",
                    site["settings"], root / "theme" / "templates" / "document.html"):
        assert changed.is_file(), changed
        _touch(changed)
        now = sources()
        assert now != before, f"{changed} is not watched"
        before = now
    settings_text = site["settings"].read_text(encoding="utf-8")
    site["settings"].write_text(settings_text + "\nthis is not python (\n", encoding="utf-8")
    assert sources() != before, "a broken settings file is a change, not a crash (the build reports it)"
    site["settings"].write_text(settings_text, encoding="utf-8")
    before = sources()
    (content / "notice" / "new.md").write_text("---\nid: new\n---\n", encoding="utf-8")
    assert sources() != before, "a new file is seen"
    before = sources()
    (content / "notice" / ".new.md.swp").write_bytes(b"editor's swap file")
    assert sources() == before, "hidden files are not sources"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(condition, what: str, timeout: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_watch_builds_each_save_and_keeps_the_site_when_a_save_is_broken(tmp_path: Path) -> None:
    site = _site(tmp_path)
    port = _free_port()
    log = tmp_path / "serve.log"
    page = f"http://127.0.0.1:{port}/documents/gf-2016-55/index.html"
    doc = site["content"] / "normative" / "gf-2016-55.md"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "publish.py"), "serve", "--watch", "--interval", "0.2", "--port", str(port),
             "--content", str(site["content"]), "--output", str(tmp_path / "output"), "--settings", str(site["settings"]),
             "--as-of", "2026-11-22"], cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: "gf-2016-55" in _get(page), "the first build to be served")
        doc.write_text(doc.read_text(encoding="utf-8") + "\n监视模式测试新增的一句。\n", encoding="utf-8")
        _wait_for(lambda: "监视模式测试新增的一句" in _get(page), "the saved sentence on the page")
        good = doc.read_text(encoding="utf-8")
        doc.write_text(good.replace("published: ", "published: 2026-02-30 #", 1), encoding="utf-8")
        _wait_for(lambda: "is not a valid date" in log.read_text(encoding="utf-8"), "the problem to be reported")
        text = log.read_text(encoding="utf-8")
        assert f"{doc}:" in text and "Build refused" in text, text
        assert "监视模式测试新增的一句" in _get(page), "the previous site is still served"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_port_in_use_is_a_message_not_a_traceback(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--output", str(tmp_path), "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"publish.py serve: port {port}: ") and "choose another with --port" in result.stderr
