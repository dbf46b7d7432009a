"""cli_search: what `python publish.py search` prints and returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosure_search.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, cli_search
from disclosure_search.index import build_index

from search_fixtures import RECORDS


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-ix")
    build_index(RECORDS, path)
    return path


def test_text_output(ix: Path) -> None:
    code, text = cli_search(ix, "495号", None, None, None, False)
    assert code == EXIT_OK
    lines = text.splitlines()
    assert lines[0].startswith("找到 1 条结果")
    assert " 1. 示例知识产权局办公室关于印发《2022年政务公开工作要点》的通知" in lines
    assert "    示知办函字〔2022〕495号 · 2022-05-30 · 现行有效 · 政务公开工作要点" in lines
    assert "    documents/kp-2022/" in lines


def test_marks_become_guillemets(ix: Path) -> None:
    code, text = cli_search(ix, "一窗通办", None, None, None, False)
    assert code == EXIT_OK and "«一窗通办»" in text and "<mark>" not in text


def test_json_output(ix: Path) -> None:
    code, text = cli_search(ix, "规范", "normative", "repealed", None, True)
    assert code == EXIT_OK
    data = json.loads(text)
    assert data["count"] == 1 and data["hits"][0]["id"] == "window-2015"
    assert data["filters"]["type"] == "normative" and data["filters"]["status"] == "repealed"
    assert "<mark>规范</mark>" in data["hits"][0]["snippet"] or data["hits"][0]["snippet"].startswith("窗口")


def test_year_filter_and_no_results(ix: Path) -> None:
    code, text = cli_search(ix, "政务公开", None, None, 2019, False)
    assert code == EXIT_OK and "kp-2019" in text
    code, text = cli_search(ix, "没有这样的文件", None, None, None, False)
    assert code == EXIT_OK and "没有找到" in text
    code, text = cli_search(ix, "没有这样的文件", None, None, None, True)
    assert json.loads(text)["hits"] == []


def test_filters_alone(ix: Path) -> None:
    code, text = cli_search(ix, "", "keypoints", None, None, True)
    assert code == EXIT_OK
    assert [h["id"] for h in json.loads(text)["hits"]] == ["kp-2022", "kp-2019"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("q", "memo", None, None), "Invalid value for '--type': expected one of normative,"),
        (("q", None, "valid", None), "Invalid value for '--status': expected one of not_yet_effective,"),
        (("q", None, None, "22"), "Invalid value for '--year': expected a year such as 2022, got '22'."),
        (("  ", None, None, None), "nothing to search for"),
    ],
)
def test_usage_errors(ix: Path, args: tuple, message: str) -> None:  # type: ignore[type-arg]
    code, text = cli_search(ix, *args, False)
    assert code == EXIT_USAGE
    assert message in text


def test_missing_index(tmp_path: Path) -> None:
    code, text = cli_search(tmp_path / "none", "知识产权", None, None, None, False)
    assert code == EXIT_ERROR
    assert text.startswith("Error: ") and "no search index" in text
