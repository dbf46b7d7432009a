"""Building the annual report: read everything, check everything, then compute and check again.

The pipeline, top to bottom:

1. read ``<data_dir>/<year>/figures.yml`` (it may override the format), the year's
   ``applications.csv`` and ``cases.csv``, and the previous year's ``applications.csv``
   when it exists; count the corpus's documents for table 二;
2. stop if any input has a problem (all problems of all files are collected first);
3. compute tables 二, 三 and 四 (``tables.py``);
4. check them against the records with the independent rules of ``checks.py``,
   including last year's carry-forward; stop on any violation;
5. derive the narrative's placeholder values.

Nothing is written here: writers take the returned report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from . import checks, tables
from .applications import Application, read_applications
from .cases import read_cases
from .documents import StatusOn, measure_documents
from .figures import figure_values, read_figures
from .formats import FORMATS, ReportFormat, format_for_year
from .model import AnnualReport, Cell, Value
from .problems import ReportError, ReportProblem, errors
from .values import placeholder_values


def _default_status_on() -> StatusOn:
    from disclosure.effectiveness import status_on  # the core; imported late so stand-ins need no core

    return status_on


def _format_of(data_dir: Path, year: int) -> ReportFormat:
    """The format of ``year``: figures.yml's ``format`` when it has a valid one, else by year."""
    figures, _ = read_figures(data_dir / str(year) / "figures.yml", f"{year}/figures.yml")
    if figures is not None and figures.format_code:
        return FORMATS[figures.format_code]
    return format_for_year(year)


def collect_annual_report(
    year: int,
    corpus: Any,
    data_dir: Path,
    as_of: date,
    *,
    status_on: StatusOn | None = None,
) -> tuple[AnnualReport | None, list[ReportProblem]]:
    """Build the report of ``year`` without raising: ``(report, problems)``.

    ``report`` is None when any problem is an error.  ``corpus`` is the *whole* corpus
    (``load_corpus(...).corpus``, not ``.public()``); ``status_on`` defaults to
    ``disclosure.effectiveness.status_on``.  ``as_of`` is the day the report is made:
    no register date may be later.
    """
    data_dir = Path(data_dir)
    problems: list[ReportProblem] = []
    notes: list[str] = []
    sources: dict[str, str] = {}
    if as_of < date(year, 1, 1):
        problems.append(ReportProblem(None, None, None, f"the report date {as_of.isoformat()} is before {year} began"))
    elif as_of <= date(year, 12, 31):
        notes.append(f"provisional: {year} was not over on the report date {as_of.isoformat()}")

    figures_display = f"{year}/figures.yml"
    figures, found = read_figures(data_dir / str(year) / "figures.yml", figures_display)
    problems += found
    fmt = FORMATS[figures.format_code] if figures is not None and figures.format_code else format_for_year(year)
    figures_by_key: dict[tuple[str, str], Value] = {}
    if figures is not None:
        sources[figures_display] = figures.sha256
        figures_by_key, found = figure_values(figures, fmt, figures_display)
        problems += found

    display = f"{year}/applications.csv"
    rows, register, found = read_applications(data_dir / str(year) / "applications.csv", display, year, as_of, fmt)
    problems += found
    if register is not None:
        sources[display] = register.sha256

    previous_display = f"{year - 1}/applications.csv"
    previous_path = data_dir / str(year - 1) / "applications.csv"
    previous_rows: list[Application] | None = None
    if previous_path.is_file():
        previous_rows, previous_register, found = read_applications(
            previous_path, previous_display, year - 1, as_of, _format_of(data_dir, year - 1)
        )
        problems += found
        if previous_register is not None:
            sources[previous_display] = previous_register.sha256

    cases_display = f"{year}/cases.csv"
    cases, cases_register, found = read_cases(data_dir / str(year) / "cases.csv", cases_display, year, as_of)
    problems += found
    if cases_register is not None:
        sources[cases_display] = cases_register.sha256

    status = status_on or _default_status_on()
    issuers = figures.issuers if figures is not None else None
    document_cells: dict[str, dict[str, Cell]] = {}
    for item in fmt.proactive[0].items:
        document_cells[item.key], found_notes = measure_documents(corpus, item.key, year, fmt, status, issuers)
        notes += found_notes

    if errors(problems):
        return None, problems

    proactive = tables.compute_proactive_table(fmt, document_cells, figures_by_key, figures_display)
    applications = tables.compute_applications_table(fmt, year, rows, display)
    case_table = tables.compute_cases_table(year, cases, cases_display)

    problems += checks.check_proactive(proactive)
    problems += checks.check_applications(applications, rows, year)
    problems += checks.check_cases(case_table, cases, year)
    if previous_rows is not None:
        problems += checks.check_carry_forward(applications, previous_rows, previous_display, rows, display, year)
    else:
        carried = applications.cell("carried_over", "total").value
        notes.append(
            f"{previous_display} not found: {carried} application(s) carried over are taken from {display} "
            "alone, not checked against the previous year's carry-forward"
        )
    if errors(problems):
        return None, problems

    report = AnnualReport(
        year=year,
        format=fmt,
        as_of=as_of,
        tables=(proactive, applications, case_table),
        values=placeholder_values(year, fmt, proactive, applications, case_table),
        notes=tuple(notes),
        sources=tuple(sorted(sources.items())),
        issuers=issuers,
    )
    return report, problems


def build_annual_report(
    year: int,
    corpus: Any,
    data_dir: Path,
    as_of: date,
    *,
    status_on: StatusOn | None = None,
) -> AnnualReport:
    """Build the report of ``year`` from the corpus and ``data_dir`` (``content/data/annual``).

    Raises :class:`ReportError` with every problem found when any input is wrong or
    any consistency rule fails; see :func:`collect_annual_report` for the arguments.
    """
    report, problems = collect_annual_report(year, corpus, data_dir, as_of, status_on=status_on)
    if report is None:
        raise ReportError(errors(problems))
    return report
