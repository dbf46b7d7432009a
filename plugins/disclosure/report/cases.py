"""The register of review and litigation cases (行政复议、行政诉讼): ``<year>/cases.csv``.

One row per case about the body's information disclosure that was pending at some
time in the year: cases filed in the year, and cases filed earlier and not yet
concluded on 1 January.  Columns (header names exact, any order, extra columns ignored):

======== ===================================================================
id       unique id of the case, e.g. ``FY-2025-01`` (复议) or ``SS-2025-01`` (诉讼)
kind     行政复议, 未经复议直接起诉 or 复议后起诉
filed    date the case was filed (受理/立案), ``YYYY-MM-DD``
closed   date of the decision or judgment; empty while pending
result   empty while pending; else 结果维持, 结果纠正 or 其他结果
note     free text, never published (optional column)
======== ===================================================================

A case concluded after 31 December counts as 尚未审结 in the year's table.  A
litigation after review is a second case (复议后起诉) next to its 行政复议 case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .csvio import Register, read_dates, read_register
from .formats import CASE_KIND_BY_NAME, CASE_KINDS, CASE_OUTCOME_BY_NAME, CASE_OUTCOMES, CaseKind
from .problems import ReportProblem

COLUMNS = ("id", "kind", "filed", "closed", "result")
"""Required header columns (``note`` is optional)."""


@dataclass(frozen=True)
class Case:
    """One valid row of the cases register."""

    id: str
    kind: CaseKind
    filed: date
    closed: date | None
    outcome: str | None
    """Outcome code (upheld, corrected, other), None while pending."""
    path: str
    line: int


def read_cases(
    path: Path, display: str, year: int, as_of: date
) -> tuple[list[Case], Register | None, list[ReportProblem]]:
    """Read and check the cases register of ``year``: valid rows, the register, problems."""
    register, problems = read_register(path, display, COLUMNS)
    if register is None:
        return [], None, problems
    cases: list[Case] = []
    first_line: dict[str, int] = {}
    for record in register.records:
        values, line = record.values, record.line
        found: list[ReportProblem] = []

        def problem(column: str, message: str) -> None:
            found.append(ReportProblem(display, line, column, message))

        for column in ("id", "kind", "filed"):
            if not values[column]:
                problem(column, "missing value (required)")
        if values["id"] in first_line:
            problem(
                "id",
                f'duplicate id "{values["id"]}" (first on line {first_line[values["id"]]}); a case is counted once',
            )
        elif values["id"]:
            first_line[values["id"]] = line
        kind = CASE_KIND_BY_NAME.get(values["kind"])
        if values["kind"] and kind is None:
            problem("kind", f'unknown kind "{values["kind"]}"; expected one of {", ".join(k.name for k in CASE_KINDS)}')
        dates = read_dates(values, ("filed", "closed"), as_of, display, line, problem, found.append)
        filed, closed = dates["filed"], dates["closed"]
        if filed is not None and filed > date(year, 12, 31):
            problem("filed", f"filed {filed.isoformat()}, after {year}: the case belongs in the {filed.year} register")
        if closed is not None:
            if filed is not None and closed < filed:
                problem("closed", f"closed {closed.isoformat()} is before filed {filed.isoformat()}")
            elif closed < date(year, 1, 1):
                problem(
                    "closed",
                    f"closed {closed.isoformat()}, before {year}: the case was not pending in {year} "
                    f"and does not belong in the {year} register",
                )
        outcome = CASE_OUTCOME_BY_NAME.get(values["result"])
        if values["result"] and outcome is None:
            problem(
                "result",
                f'unknown result "{values["result"]}"; expected one of {", ".join(label for _, label in CASE_OUTCOMES)}',
            )
        elif values["result"] and closed is None:
            problem("result", f'result "{values["result"]}" given but closed is empty; a pending case has no result')
        elif not values["result"] and closed is not None:
            problem("result", f"missing value: closed {closed.isoformat()} needs a result")
        problems += found
        if not found and kind is not None and filed is not None:
            cases.append(Case(values["id"], kind, filed, closed, outcome, display, line))
    return cases, register, problems
