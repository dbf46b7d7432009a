"""The report against the real core (skipped while ``disclosure.corpus`` is not importable).

Table 二 is recounted here with the core's own API, written independently of
``documents.py``; the content's annual_report narratives must fill without problems;
and the command line writes the outputs.
"""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("disclosure.corpus")

from disclosure.config import SiteConfig  # noqa: E402
from disclosure.corpus import load_corpus  # noqa: E402
from disclosure.effectiveness import status_on  # noqa: E402

from disclosure.report import build_annual_report, fill_narrative, narrative_document  # noqa: E402
from disclosure.report.__main__ import main  # noqa: E402

from report_standins import ANNUAL, ROOT  # noqa: E402

ISSUERS = {"国家知识产权局", "国家知识产权局办公室"}  # as in the demo figures.yml
AS_OF = {2024: date(2025, 1, 20), 2025: date(2026, 1, 20)}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "content", SiteConfig()).corpus


def expected_table_two(corpus, doc_type, year):
    public = {d.id for d in corpus.public().documents}
    end, before = date(year, 12, 31), date(year - 1, 12, 31)
    counts = {"issued": set(), "repealed": set(), "in_force": set()}
    for doc in corpus.documents:
        if doc.type.value != doc_type or not ISSUERS & set(doc.issuers):
            continue
        if any(v.published.year == year for v in doc.versions):
            counts["issued"].add(doc.id)
        now, then = status_on(corpus, doc, end).status.value, status_on(corpus, doc, before).status.value
        if now in ("repealed", "expired") and then not in ("repealed", "expired"):
            counts["repealed"].add(doc.id)
        if now in ("effective", "partially_invalid"):
            counts["in_force"].add(doc.id)
    return {m: (len(ids), tuple(sorted(ids & public)), len(ids - public)) for m, ids in counts.items()}


@pytest.mark.parametrize("year", [2024, 2025])
def test_table_two_from_the_real_core(corpus, year):
    report = build_annual_report(year, corpus, ANNUAL, AS_OF[year])
    table = report.table("二")
    for doc_type in ("regulation", "normative"):
        expected = expected_table_two(corpus, doc_type, year)
        for measure, (value, ids, hidden) in expected.items():
            cell = table.cell(doc_type, measure)
            assert (cell.value, cell.ids, cell.non_public) == (value, ids, hidden), (doc_type, measure)
    mentioned = {i for block in table.blocks for row in block.rows for cell in row.cells for i in cell.ids}
    assert "gf-2016-55" not in mentioned  # the State Council's document is not the body's own


def test_known_demo_documents_are_counted(corpus):
    table = build_annual_report(2024, corpus, ANNUAL, AS_OF[2024]).table("二")
    if corpus.get("demo-patent-agency-supervision-rule") is not None:
        # its revision (version 2, 令第902号) was published on 2024-09-18
        assert "demo-patent-agency-supervision-rule" in table.cell("regulation", "issued").ids
    if corpus.get("demo-2019-fast-resolution-pilot") is not None:
        # valid until 2023-12-31: it no longer applies from 2024-01-01
        assert "demo-2019-fast-resolution-pilot" in table.cell("normative", "repealed").ids


@pytest.mark.parametrize("year", [2024, 2025])
def test_content_narratives_fill(corpus, year):
    doc = narrative_document(corpus, year)
    if doc is None:
        pytest.skip(f"no annual_report document for {year} in the content")
    report = build_annual_report(year, corpus, ANNUAL, AS_OF[year])
    text, problems = fill_narrative(
        doc.current.body, report, path=doc.path.as_posix(), first_line=doc.current.body_line
    )
    assert [p.format() for p in problems] == []
    assert f"新收政府信息公开申请 {report.values['applications']['received']['total']} 件" in text


def test_command_line_writes_the_outputs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["2025", "--out", str(tmp_path), "--as-of", "2026-01-20"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[:4] == [
        "annual-report-2025-table2.csv",
        "annual-report-2025-table3.csv",
        "annual-report-2025-table4.csv",
        "annual-report-2025.json",
    ]
    if narrative_document(load_corpus(ROOT / "content", SiteConfig()).corpus, 2025) is not None:
        assert "annual-report-2025.md" in names
