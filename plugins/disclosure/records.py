"""The records a site publishes beside the documents: the ledger's public view and
the annual reports, each checked as part of ``check`` and ``build``.

One function, :func:`load_records`, so that what ``check`` reports is exactly what
would stop a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .config import SiteConfig, default_ledger_path
from .corpus import Corpus
from .document import DocType
from .ledger_chain import read_ledger
from .ledger_verify import AuditItem, audit_items
from .ledger_views import public_view
from .problems import Problem, Severity
from .report import AnnualReport, ReportProblem, collect_annual_report, fill_narrative
from .task_status import TaskTable, task_table

PLACEHOLDER_MARK = "{{"


@dataclass
class Records:
    ledger_view: dict[str, Any] | None = None
    """The ledger's public view (rows, counts, head), when the content has a ledger."""
    reports: dict[int, AnnualReport] = field(default_factory=dict)
    """The annual report of each year that has a published narrative and registers."""
    narratives: dict[Path, str] = field(default_factory=dict)
    """Filled narrative text of each annual-report version file."""
    tasks: dict[str, TaskTable] = field(default_factory=dict)
    """The task breakdown of each published key points document, by id."""
    audit: list[AuditItem] = field(default_factory=list)
    """The auditor's findings over public documents (同步解读, 清理), for the ledger page."""


def _as_problem(problem: ReportProblem, data_dir: Path) -> Problem:
    """A report problem as a core Problem: register paths made whole, the cell named in ``field``."""
    if problem.path is None:
        path = data_dir.as_posix()
    elif problem.path.endswith(".md"):
        path = problem.path  # narrative placeholders: already the document's path
    else:
        path = f"{data_dir.as_posix()}/{problem.path}"
    field_name = problem.cell.describe() if problem.cell is not None else problem.field
    severity = {"error": Severity.ERROR, "warning": Severity.WARNING}.get(problem.severity, Severity.INFO)
    return Problem(path, problem.line, field_name, problem.message, None, severity)


def load_records(content_dir: Path, corpus: Corpus, public: Corpus, as_of: date,
                 ledger_path: Path | None = None, config: SiteConfig | None = None, *,
                 views: bool = True) -> tuple[Records, list[Problem]]:
    """Read the ledger and compute the annual reports; return them with every problem found.

    ``views=False`` (``check``, which wants the problems only) leaves out the ledger's
    public view and the auditor's findings: they report no problems, and they read every
    public document's title, which would make every title edit a whole check."""
    records = Records(audit=audit_items(public, corpus, as_of, config or SiteConfig()) if views else [])
    problems: list[Problem] = []
    ledger_file = read_ledger(ledger_path or default_ledger_path(content_dir))
    if ledger_file.problems:
        problems += ledger_file.problems
    elif ledger_file.exists and views:
        records.ledger_view = public_view(corpus, public, ledger_file.entries, as_of)
    for doc in public.of_type(DocType.KEYPOINTS):
        table, task_problems = task_table(doc, public)
        problems += task_problems
        if table.breakdown.tasks:
            records.tasks[doc.id] = table
    data_dir = Path(content_dir) / "data" / "annual"
    for doc in public.of_type(DocType.ANNUAL_REPORT):
        year = doc.report_year
        has_placeholders = any(PLACEHOLDER_MARK in version.body for version in doc.versions)
        if year is None or not (data_dir / str(year)).is_dir():
            if has_placeholders:
                problems.append(Problem(doc.path.as_posix(), doc.line_of("report_year"), "report_year",
                                        f"the narrative has placeholders but {data_dir.as_posix()}/{year}/ does not exist",
                                        "the year's registers (applications.csv, cases.csv, figures.yml)"))
            continue
        report, report_problems = collect_annual_report(year, corpus, data_dir, as_of)
        problems += [_as_problem(p, data_dir) for p in report_problems]
        if report is None:
            continue
        records.reports[year] = report
        for version in doc.versions:
            text, fill_problems = fill_narrative(version.body, report, path=version.path.as_posix(),
                                                 first_line=version.body_line)
            problems += [_as_problem(p, data_dir) for p in fill_problems]
            records.narratives[version.path] = text
    return records, problems


def task_tables_of_year(records: Records, year: int) -> list[TaskTable]:
    """The key points published in ``year``: the annual report of that year shows how they were carried out."""
    return [t for t in records.tasks.values() if t.doc.published.year == year]
