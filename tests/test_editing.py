"""Editor commands edit YAML in place: every line outside the changed keys stays byte-identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.editing import add_to_list, set_field

EDGY_FRONT_MATTER = """# 编辑的注释：保留
id: demo-doc   # 行内注释
type: normative
title: '带单引号的标题'
title_en: "Double-quoted: title"
doc_number: 国知发〔2024〕1号
issuer:
    - 国家知识产权局
    - "办公室"
topic: 测试
written: 2024-02-20
published: 2024-03-01   # 发布
effective: 2024-03-01
repeals: [old-a, old-b]

# 审查记录
review: {by: 审查员, date: 2024-02-25, result: passed}
disclosure: proactive
"""


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_adding_a_key_changes_nothing_else() -> None:
    after = set_field(EDGY_FRONT_MATTER, "index_number", "SIPO/2024-00001", after="doc_number")
    removed, added = changed_lines(EDGY_FRONT_MATTER, after)
    assert removed == [] and added == ["index_number: SIPO/2024-00001"]
    assert after.splitlines().index("index_number: SIPO/2024-00001") == 6


def test_replacing_a_key_keeps_comments_quotes_and_order_elsewhere() -> None:
    from datetime import date

    after = set_field(EDGY_FRONT_MATTER, "effective", date(2024, 4, 1))
    removed, added = changed_lines(EDGY_FRONT_MATTER, after)
    assert removed == ["effective: 2024-03-01"] and added == ["effective: 2024-04-01"]


def test_appending_to_a_flow_list_keeps_its_style() -> None:
    after = add_to_list(EDGY_FRONT_MATTER, "repeals", "old-c")
    removed, added = changed_lines(EDGY_FRONT_MATTER, after)
    assert removed == ["repeals: [old-a, old-b]"] and added == ["repeals: [old-a, old-b, old-c]"]


def test_new_list_goes_after_the_anchor_key() -> None:
    text = EDGY_FRONT_MATTER.replace("repeals: [old-a, old-b]\n", "")
    after = add_to_list(text, "repeals", "old-z", after="effective")
    removed, added = changed_lines(text, after)
    assert removed == [] and added == ["repeals:", "- old-z"]


def _copy_corpus(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "corpora" / "minimal", target, ignore=shutil.ignore_patterns("expected.txt"))
    return target


def test_new_scaffolds_every_required_field(run_cli, tmp_path: Path) -> None:
    content = _copy_corpus(tmp_path)
    result = run_cli("new", "interpretation", "--id", "interp-x", "--content", str(content), "--as-of", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    text = (content / "interpretation" / "interp-x.md").read_text(encoding="utf-8")
    for field in ("id: interp-x", "type: interpretation", "title:", "issuer:", "published: 2026-01-05", "interprets:", "disclosure: proactive", "review:"):
        assert field in text
    assert "# For an interpretation: id(s) of the document(s) it interprets." in text


def test_revise_moves_to_a_version_folder_and_keeps_the_original_text(run_cli, tmp_path: Path) -> None:
    content = _copy_corpus(tmp_path)
    original = (content / "a.md").read_text(encoding="utf-8")
    result = run_cli("revise", "a", "--content", str(content), "--as-of", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    v1 = (content / "a" / "v1.md").read_text(encoding="utf-8")
    removed, added = changed_lines(original, v1)
    assert removed == [] and added == ["version: 1"]
    v2 = (content / "a" / "v2.md").read_text(encoding="utf-8")
    assert "version: 2" in v2 and "change_note:" in v2 and "published: 2026-01-05" in v2
    assert not (content / "a.md").exists()


def test_repeal_edits_only_the_repealing_document(run_cli, tmp_path: Path) -> None:
    content = _copy_corpus(tmp_path)
    other = (content / "a.md").read_text(encoding="utf-8").replace("id: a", "id: b").replace("〔2024〕1号", "〔2024〕2号").replace("2024-03-01", "2024-05-01")
    (content / "b.md").write_text(other, encoding="utf-8")
    before_a = (content / "a.md").read_bytes()
    result = run_cli("repeal", "a", "--by", "b", "--content", str(content))
    assert result.exit_code == 0, result.stderr
    assert (content / "a.md").read_bytes() == before_a
    removed, added = changed_lines(other, (content / "b.md").read_text(encoding="utf-8"))
    assert removed == [] and added == ["repeals:", "- a"]
    check = run_cli("check", "--content", str(content), "--as-of", "2026-01-01")
    assert check.exit_code == 0, check.stdout


def test_repeal_of_unknown_document_is_a_message(run_cli, tmp_path: Path) -> None:
    content = _copy_corpus(tmp_path)
    result = run_cli("repeal", "nope", "--by", "a", "--content", str(content))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"publish.py repeal: no document with id 'nope' in {content}/"


def test_number_writes_index_numbers_once(run_cli, tmp_path: Path) -> None:
    content = _copy_corpus(tmp_path)
    assert run_cli("number", "--content", str(content)).exit_code == 0
    text = (content / "a.md").read_text(encoding="utf-8")
    assert "index_number: SIPO-DEMO/2024-00001" in text
    assert run_cli("number", "--content", str(content)).stdout.strip().endswith("0 file(s) updated.")
    assert run_cli("check", "--content", str(content), "--as-of", "2026-01-01", "--strict").exit_code == 0


@pytest.mark.parametrize("args", [["new", "memo"], ["repeal", "a"], ["frobnicate"]])
def test_usage_errors_exit_2(run_cli, args: list[str]) -> None:
    assert run_cli(*args).exit_code == 2


def test_install_hook(run_cli, tmp_path: Path) -> None:
    import subprocess

    content = _copy_corpus(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run_cli("install-hook", "--content", str(content))
    assert result.exit_code == 0, result.stderr
    hook = tmp_path / ".git" / "hooks" / "pre-commit"
    assert "publish.py" in hook.read_text() and hook.stat().st_mode & 0o100
