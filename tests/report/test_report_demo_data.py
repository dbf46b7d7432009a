"""The demonstration registers shipped in content/data/annual/2024 and 2025."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from disclosure.report import fill_narrative

from report_standins import ANNUAL, ROOT, StandInCorpus
from report_standins import build  # noqa: F401  (fixtures)

COLUMNS = ["natural_person", "business", "research", "public_interest", "legal_services", "other_org", "total"]


@pytest.fixture
def reports(build):
    """Both demo years, with no documents (table 二's documents are tested with the real core)."""
    empty = StandInCorpus()
    return {
        2024: build("", year=2024, as_of=date(2025, 1, 20), corpus=empty),
        2025: build("", year=2025, as_of=date(2026, 1, 20), corpus=empty),
    }


def test_demo_years_build_without_problems(reports):
    assert reports[2024].notes == (
        "2023/applications.csv not found: 2 application(s) carried over are taken from 2024/applications.csv alone, "
        "not checked against the previous year's carry-forward",
    )
    assert reports[2025].notes == ()


def test_2024_carry_forward_is_2025_carry_over(reports):
    forward = reports[2024].table("三")
    over = reports[2025].table("三")
    for column in COLUMNS:
        assert forward.cell("carried_forward", column).value == over.cell("carried_over", column).value
        assert forward.cell("carried_forward", column).ids == over.cell("carried_over", column).ids
    assert over.cell("carried_over", "total").value == 4
    assert reports[2025].table("三").cell("carried_forward", "total").value == 3  # still open at the end of 2025


def test_demo_registers_are_realistic(reports):
    for year, report in reports.items():
        rows = list(
            csv.DictReader((ANNUAL / str(year) / "applications.csv").read_text(encoding="utf-8-sig").splitlines())
        )
        assert 30 <= len(rows) <= 60
        table = report.table("三")
        assert all(table.cell("received", c).value > 0 for c in COLUMNS), year
        block = table.blocks[0]
        result_rows = [r for r in block.rows if r.key.startswith("results.") and r.key != "results.total"]
        assert sum(1 for r in result_rows if r.cells[-1].value) >= 14, year
        cases = report.table("四")
        assert cases.cell("cases", "reconsideration.total").value >= 3
        assert cases.cell("cases", "direct.total").value + cases.cell("cases", "after_review.total").value >= 2


def test_demo_data_is_labelled_as_such():
    readme = (ANNUAL / "README.md").read_text(encoding="utf-8")
    assert "演示数据" in readme and "demonstration" in readme
    for year in (2024, 2025):
        assert (
            (ANNUAL / str(year) / "figures.yml")
            .read_text(encoding="utf-8")
            .startswith("# 演示数据 (demonstration data)")
        )


@pytest.mark.parametrize("year", [2024, 2025])
def test_demo_narratives_fill_without_problems(reports, year):
    path = ROOT / "content" / "annual_report" / f"sipo-annual-report-{year}.md"
    if not path.is_file():
        pytest.skip(f"{path} not in the content")
    text = path.read_text(encoding="utf-8")
    body = re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)[2]
    filled, problems = fill_narrative(body, reports[year])
    assert problems == []
    assert "{{" not in filled
