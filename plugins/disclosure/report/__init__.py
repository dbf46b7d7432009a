"""The annual report on government information disclosure (政府信息公开工作年度报告).

Every figure of the nationally prescribed tables is computed from records — the
corpus's documents (table 二), the register of applications (table 三) and the
register of review and litigation cases (table 四) — and every cell carries the ids
of the records it counts.  Independent consistency rules (``checks.py``) stop the
report, naming the cell and the rows, before anything is written.

Public API::

    from disclosure.report import build_annual_report, write_csv, write_json, fill_narrative
    report = build_annual_report(2025, corpus, Path("content/data/annual"), as_of)  # raises ReportError
    write_csv(report, out_dir); write_json(report, out_dir / "annual-report-2025.json")
    text, problems = fill_narrative(doc.current.body, report, path=str(doc.path), first_line=doc.current.body_line)
    report.as_context()   # plain dicts for templates

This package never imports Pelican; it imports the core only for ``status_on``.
"""

from .build import build_annual_report, collect_annual_report
from .formats import FORMATS, ReportFormat, format_for_year
from .model import AnnualReport, Block, Cell, Column, Row, Table
from .narrative import fill_narrative, narrative_document
from .problems import CellRef, ReportError, ReportProblem
from .writers import report_json, write_csv, write_json

__all__ = [
    "AnnualReport",
    "Block",
    "Cell",
    "CellRef",
    "Column",
    "FORMATS",
    "ReportError",
    "ReportFormat",
    "ReportProblem",
    "Row",
    "Table",
    "build_annual_report",
    "collect_annual_report",
    "fill_narrative",
    "format_for_year",
    "narrative_document",
    "report_json",
    "write_csv",
    "write_json",
]
