"""Reproducible builds: the same content and --as-of give the same bytes, wherever the output goes."""

from __future__ import annotations

from pathlib import Path

from site_kit import AS_OF, CONTENT, build, tree_hash


def test_same_content_same_bytes(tmp_path: Path) -> None:
    first = tree_hash(build(CONTENT, tmp_path / "one" / "site", AS_OF))
    second = tree_hash(build(CONTENT, tmp_path / "two" / "other-name", AS_OF))
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, differing[:20]
    assert len(first) > 100


def test_output_depends_on_as_of(tmp_path: Path) -> None:
    """The date is the only time input: another date changes statuses (2015 rules were in force in 2020)."""
    early = build(CONTENT, tmp_path / "early", AS_OF.replace(year=2022))
    page = (early / "documents" / "demo-2015-window-service-rules" / "index.html").read_text(encoding="utf-8")
    assert "本文件已废止" not in page and "现行有效" in page
    assert not (early / "documents" / "demo-2026-agency-credit-rules").exists(), "not yet published in 2022"
