"""`publish.py check`: every rule has a fixture corpus and an exact expected report.

Each folder under tests/corpora/ (except tasks/) is one case; its expected.txt
holds the exact messages.  Regenerate deliberately with --update-golden.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from disclosure.corpus import load_corpus
from disclosure.problems import sorted_problems

from support import CORPORA

AS_OF = date(2026, 11, 22)
CASES = sorted(p.name for p in CORPORA.iterdir() if p.is_dir() and p.name != "tasks")


def report(case: str) -> str:
    result = load_corpus(Path("tests/corpora") / case, as_of=AS_OF)
    return "".join(p.format() + "\n" for p in sorted_problems(result.problems))


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exactly(case: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPORA.parent.parent)
    expected_file = CORPORA / case / "expected.txt"
    actual = report(case)
    if update_golden:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_error_case_reports_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPORA.parent.parent)
    quiet = {"minimal", "review_failed"}
    for case in CASES:
        text = report(case)
        has_error = any(line and not line.endswith("]") for line in text.splitlines())
        assert has_error == (case not in quiet), case


def test_all_problems_of_all_files_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPORA.parent.parent)
    lines = report("many_errors_in_one_run").splitlines()
    files = {line.split(":")[0] for line in lines}
    assert files == {f"tests/corpora/many_errors_in_one_run/{n}.md" for n in "abc"}


def test_check_exit_codes_and_json(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPORA.parent.parent)
    ok = run_cli("check", "--content", "tests/corpora/minimal", "--as-of", "2026-11-22")
    assert ok.exit_code == 0
    bad = run_cli("check", "--content", "tests/corpora/impossible_date", "--as-of", "2026-11-22", "--format", "json")
    assert bad.exit_code == 1
    problems = json.loads(bad.stdout)
    assert problems[0]["field"] == "effective" and problems[0]["line"] == 8 and problems[0]["severity"] == "error"


def test_warnings_fail_only_in_strict_mode(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPORA.parent.parent)
    assert run_cli("check", "--content", "tests/corpora/review_failed", "--as-of", "2026-11-22").exit_code == 0
    assert run_cli("check", "--content", "tests/corpora/review_failed", "--as-of", "2026-11-22", "--strict").exit_code == 1


def test_embedded_corpus_checks_clean(run_cli) -> None:
    result = run_cli("check", "--content", "content", "--as-of", "2026-11-22", "--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_bad_as_of_is_a_message_not_a_traceback(run_cli) -> None:
    result = run_cli("check", "--as-of", "2026-02-30")
    assert result.exit_code == 1
    assert result.stderr.strip() == "publish.py check: --as-of: expected a date YYYY-MM-DD, got '2026-02-30'"


def test_missing_content_folder_is_reported(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", "--content", str(tmp_path / "nope"), "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert "content folder not found" in result.stdout


def test_as_of_precedence() -> None:
    from disclosure.config import resolve_as_of

    assert resolve_as_of("2024-05-06", {"SOURCE_DATE_EPOCH": "0"}) == date(2024, 5, 6)
    assert resolve_as_of(None, {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2023, 11, 14)
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH: expected seconds since 1970, got 'soon'"):
        resolve_as_of(None, {"SOURCE_DATE_EPOCH": "soon"})


def test_bad_settings_value_is_reported(run_cli, tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text("EXPIRY_WINDOW_DAYS = 'six months'\n")
    result = run_cli("check", "--settings", str(settings), "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert result.stderr.strip() == "publish.py check: EXPIRY_WINDOW_DAYS: expected a whole number of days (0 or more), got 'six months'"


def _cached_check_of_a_content_copy(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """A copy of the embedded content and the `check` arguments for it (caches beside the settings)."""
    import shutil

    from support import CONTENT

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    settings = tmp_path / "conf.py"
    settings.write_text("ORGAN_CODE = 'SIPO-DEMO'\n")
    return content, ("check", "--content", str(content), "--settings", str(settings), "--as-of", "2026-11-22")


def test_check_after_one_edit_rewrites_little_of_the_cache(run_cli, tmp_path: Path) -> None:
    content, args = _cached_check_of_a_content_copy(tmp_path)
    assert run_cli(*args).exit_code == 0
    shards = {p: p.stat().st_mtime_ns for p in (tmp_path / ".cache").glob("check-*.d/*.pickle")}
    assert len(shards) > 10
    assert run_cli(*args).exit_code == 0
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in shards.items()), "nothing changed: nothing written"
    notice = content / "notice" / "demo-notice-2025-holiday-service.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n增补一句。\n", encoding="utf-8")
    assert run_cli(*args).exit_code == 0
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in shards.items()), "a body edit: the remembered check answers"
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: 关于", "title: 有关", 1), encoding="utf-8")
    assert run_cli(*args).exit_code == 0
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in shards.items()), "a title no rule reads: answered too"
    notice.write_text(notice.read_text(encoding="utf-8").replace("disclosure: proactive", "disclosure: on_request\ndisclosure_basis: 测试", 1),
                      encoding="utf-8")
    assert run_cli(*args).exit_code == 0
    assert len([p for p, mtime in shards.items() if p.stat().st_mtime_ns != mtime]) == 1, "a whole check: one shard rewritten"


def test_check_cache_sees_every_change(run_cli, tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CORPORA / "minimal", content, ignore=shutil.ignore_patterns("expected.txt"))
    settings = tmp_path / "conf.py"  # caches live beside the settings file
    settings.write_text("ORGAN_CODE = 'SIPO-DEMO'\n")
    args = ("check", "--content", str(content), "--settings", str(settings), "--as-of", "2026-11-22")
    assert run_cli(*args).exit_code == 0
    assert list((tmp_path / ".cache").glob("check-*.d/*.pickle")), "the first run fills the cache"
    doc = content / "a.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("effective: 2024-03-01", "effective: 2024-13-01"), encoding="utf-8")
    cached = run_cli(*args)
    fresh = run_cli(*args, "--no-cache")
    assert cached.exit_code == fresh.exit_code == 1
    assert cached.stdout == fresh.stdout
    assert "a.md:8: effective: '2024-13-01' is not a valid date" in cached.stdout


def test_check_cache_sees_a_task_breakdown_change(run_cli, tmp_path: Path) -> None:
    """Key points bodies are not re-read by a cached check: their parsed tasks are cached
    with the file, so an edit that breaks a task (or fixes it) must still be seen."""
    content, args = _cached_check_of_a_content_copy(tmp_path)
    assert run_cli(*args).exit_code == 0
    doc = content / "keypoints" / "sipo-2025-disclosure-keypoints.md"
    good = doc.read_text(encoding="utf-8")
    doc.write_text(good.replace("（办公室负责）\n\n## 二", "\n\n## 二"), encoding="utf-8")
    broken = run_cli(*args)
    assert broken.stdout == run_cli(*args, "--no-cache").stdout
    assert "sipo-2025-disclosure-keypoints.md" in broken.stdout and "task 3" in broken.stdout
    doc.write_text(good, encoding="utf-8")
    assert "task 3" not in run_cli(*args).stdout


def test_files_parsed_in_forked_processes_load_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first load parses on every core when the cache knows few files: same corpus, same
    problems (a broken file among them), same cache entries as parsing in this process."""
    import shutil

    from disclosure import files
    from disclosure.files import ParseCache
    from support import CONTENT

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copytree(CORPORA / "broken_yaml", content / "notice" / "broken", ignore=shutil.ignore_patterns("expected.txt"))

    def load(name: str, parallel_from: int):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(files, "PARALLEL_PARSE_MIN", parallel_from)
        cache = ParseCache(tmp_path / f"{name}.pickle")
        result = load_corpus(content, as_of=AS_OF, cache=cache)
        return result, cache.used

    forked, forked_states = load("forked", 1)
    here, here_states = load("here", 10**9)
    assert list(forked.corpus) == list(here.corpus)
    assert forked.problems == here.problems and any(p.path.endswith("broken/a.md") for p in here.problems)
    assert forked_states == here_states
    again, _ = load("forked", 1)  # from the cache the forked load filled
    assert again.problems == here.problems


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_body_read_through_the_cache_is_the_body_a_fresh_read_gives(tmp_path: Path, newline: str) -> None:
    """The cache keeps how many bytes the body is at the end of the file: a file with the
    same bytes gives its body from there, whatever its line ends, its byte order mark or
    its closing fence; a file changed since is read again."""
    from disclosure.files import ParseCache, read_file

    head = ["---", "id: x", "type: notice", "title: 通知", "issuer: 国家知识产权局", "published: 2026-01-02",
            "disclosure: proactive",
            "review:", "  by: 办公室", "  date: 2026-01-02", "  result: passed"]
    for name, text in {
        "plain": "\n".join([*head, "---", "", "正文第一段。", "", "## 二、标题", "全角字符与 ASCII 混排。"]) + "\n",
        "bom-and-dots": "\ufeff" + "\n".join([*head, "...", "正文"]),
        "empty-body": "\n".join([*head, "---"]),
        "separator-in-body": "\n".join([*head, "---", "行\u2028分隔\x85符号", "末行"]),
    }.items():
        path = tmp_path / f"{name}-{len(newline)}.md"
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        display = path.as_posix()
        fresh, problems = read_file(path, display)
        assert fresh is not None and not problems, (name, problems)
        cache = ParseCache(tmp_path / "cache.pickle")
        read_file(path, display, cache)
        cache.save()
        cached, _ = read_file(path, display, ParseCache(tmp_path / "cache.pickle"))
        assert cached is not None and cached.body == fresh.body and cached.body_line == fresh.body_line, name
    path.write_bytes(path.read_bytes().replace("末行".encode(), "改过的末行".encode()))
    again, _ = read_file(path, path.as_posix(), ParseCache(tmp_path / "cache.pickle"))
    assert again is not None and again.body.endswith("改过的末行")


def _publish(*args: str, **kwargs) -> "subprocess.CompletedProcess[str]":  # type: ignore[no-untyped-def]
    """``publish.py`` as a shell runs it (its ``__main__`` block, which leaves without tearing down)."""
    import subprocess
    import sys

    root = CORPORA.parent.parent
    return subprocess.run([sys.executable, str(root / "publish.py"), *args], cwd=root, text=True,
                          capture_output=True, timeout=120, **kwargs)


def test_the_command_prints_everything_and_exits_with_its_status(tmp_path: Path) -> None:
    """The process ends without freeing its objects: what it printed and its exit status must survive that."""
    bad = _publish("check", "--content", "tests/corpora/many_errors_in_one_run", "--as-of", "2026-11-22",
                   "--no-cache")
    expected = report("many_errors_in_one_run")
    assert bad.returncode == 1
    assert bad.stdout == "".join(line + "\n" for line in expected.splitlines() if not line.endswith("[note]"))
    assert bad.stderr == "3 file(s) checked: 6 error(s), 1 warning(s), 0 note(s)\n"
    as_json = _publish("check", "--content", "tests/corpora/impossible_date", "--as-of", "2026-11-22", "--format", "json",
                       "--no-cache")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)[0]["field"] == "effective"
    assert _publish("check", "--content", "tests/corpora/minimal", "--as-of", "2026-11-22", "--no-cache").returncode == 0


def test_a_reader_that_goes_away_is_not_a_traceback() -> None:
    """``publish.py check | head -1``: when the reader has gone, the command stops quietly (exit 1)."""
    import os
    import subprocess
    import sys

    root = CORPORA.parent.parent
    read_end, write_end = os.pipe()
    os.close(read_end)  # gone before the first line is written: every write fails
    try:
        done = subprocess.run([sys.executable, "publish.py", "check", "--content", "tests/corpora/many_errors_in_one_run",
                               "--as-of", "2026-11-22", "--no-cache"], cwd=root, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
    assert done.returncode == 1


def test_links_to_a_file_whose_front_matter_cannot_be_read_are_not_reported_again(tmp_path: Path) -> None:
    """Its own error is the mistake; the documents linking to it are not wrong as well."""
    import shutil

    from support import CONTENT

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    broken = content / "notice" / "demo-2026-agency-credit-consultation-result.md"
    linking = [p for p in content.rglob("*.md") if "doc:demo-2026-agency-credit-consultation-result" in p.read_text(encoding="utf-8")]
    assert linking, "some document links to it"
    broken.write_text(broken.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: [", 1), encoding="utf-8")
    problems = [p for p in load_corpus(content, as_of=AS_OF).problems if p.severity.value == "error"]
    assert [(Path(p.path).name, p.message.split(":")[0]) for p in problems] == [(broken.name, "broken YAML")]


def test_a_file_is_read_whole_whatever_its_size(tmp_path: Path) -> None:
    from disclosure.files import read_bytes

    for size in (0, 1, 4096, 65536, 65537, 3 * 1024 * 1024 + 5):
        path = tmp_path / f"file-{size}"
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        path.write_bytes(data)
        assert read_bytes(path) == data and read_bytes(str(path)) == data
    with pytest.raises(FileNotFoundError):
        read_bytes(tmp_path / "missing")
