"""The register of applications (依申请公开登记): ``<year>/applications.csv``.

One row per application handled in the year: every application *received* in the
year, and every application received earlier that was still open on 1 January
(carried over, with its original ``received`` date).  Columns (header names exact,
any order, extra columns ignored):

=============== ============================================================
id              unique id of the application, e.g. ``2025-0007`` (no personal data)
received        date received, ``YYYY-MM-DD``
applicant_type  自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构 or 其他
closed          date the reply was made; empty while the application is open
result          empty while open; else 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理
ground          the numbered sub-row for 不予公开 (1–8), 无法提供 (1–3), 不予处理 (1–5) and
                其他处理 (1–3; optional in 2019-format years): the number, the label, or both
                (``6``, ``属于四类过程性信息``, ``6.属于四类过程性信息``); empty otherwise
note            free text, never published (optional column)
=============== ============================================================

A partial disclosure is 部分公开 with an empty ground: it counts only as 部分公开
(区分处理的，只计这一情形，不计其他情形); the withheld part's ground goes in ``note``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .csvio import Record, Register, read_dates, read_register
from .formats import (
    APPLICANT_BY_NAME,
    APPLICANT_TYPES,
    RESULT_BY_NAME,
    RESULT_GROUPS,
    ApplicantType,
    Ground,
    ReportFormat,
    ResultGroup,
)
from .problems import ReportProblem

COLUMNS = ("id", "received", "applicant_type", "closed", "result", "ground")
"""Required header columns (``note`` is optional)."""

_GROUND = re.compile(r"^(\d+)\s*[.．、]?\s*(.*)$")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」 \u3000")


@dataclass(frozen=True)
class Application:
    """One valid register row."""

    id: str
    received: date
    applicant: ApplicantType
    closed: date | None
    result: ResultGroup | None
    ground: Ground | None
    path: str
    """The register it was read from (relative to the data folder)."""
    line: int


def _norm(text: str) -> str:
    return text.translate(_QUOTES)


def parse_ground(group: ResultGroup, text: str) -> Ground | None:
    """The ground of ``group`` that ``text`` names by number, label or both; None if none."""
    match = _GROUND.match(text)
    number, label = (int(match.group(1)), match.group(2)) if match else (None, text)
    for ground in group.grounds:
        if number is not None and ground.number != number:
            continue
        if label and _norm(label) != _norm(ground.label):
            continue
        return ground
    return None


def read_applications(
    path: Path, display: str, year: int, as_of: date, fmt: ReportFormat
) -> tuple[list[Application], Register | None, list[ReportProblem]]:
    """Read and check the register of ``year``.

    Returns the valid rows, the register as read (None when it could not be read),
    and every problem found, each naming the file, the 1-based line and the column.
    """
    register, problems = read_register(path, display, COLUMNS)
    if register is None:
        return [], None, problems
    rows: list[Application] = []
    first_line: dict[str, int] = {}
    for record in register.records:
        row, row_problems = _check_row(record, display, year, as_of, fmt)
        ident = record.values["id"]
        if ident:
            if ident in first_line:
                row_problems.append(
                    ReportProblem(
                        display,
                        record.line,
                        "id",
                        f'duplicate id "{ident}" (first on line {first_line[ident]}); an application is counted once',
                    )
                )
            else:
                first_line[ident] = record.line
        problems += row_problems
        if row is not None and not row_problems:
            rows.append(row)
    return rows, register, problems


def _check_row(
    record: Record, display: str, year: int, as_of: date, fmt: ReportFormat
) -> tuple[Application | None, list[ReportProblem]]:
    values, line = record.values, record.line
    problems: list[ReportProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(ReportProblem(display, line, column, message))

    for column in ("id", "received", "applicant_type"):
        if not values[column]:
            problem(column, "missing value (required)")

    applicant = APPLICANT_BY_NAME.get(values["applicant_type"])
    if values["applicant_type"] and applicant is None:
        expected = ", ".join(a.name for a in APPLICANT_TYPES)
        problem("applicant_type", f'unknown applicant type "{values["applicant_type"]}"; expected one of {expected}')

    dates = read_dates(values, ("received", "closed"), as_of, display, line, problem, problems.append)
    received, closed = dates["received"], dates["closed"]

    if received is not None and received > date(year, 12, 31):
        problem(
            "received",
            f"received {received.isoformat()}, after {year}: the application belongs in the {received.year} register",
        )
    if closed is not None:
        if received is not None and closed < received:
            problem("closed", f"closed {closed.isoformat()} is before received {received.isoformat()}")
        elif closed < date(year, 1, 1):
            problem(
                "closed",
                f"closed {closed.isoformat()}, before {year}: the application was not open in {year} "
                f"and does not belong in the {year} register",
            )

    result, ground = _check_result(values, closed, fmt, problem)
    if problems or received is None or applicant is None:
        return None, problems
    return Application(values["id"], received, applicant, closed, result, ground, display, line), problems


def _check_result(
    values: dict[str, str], closed: date | None, fmt: ReportFormat, problem: Callable[[str, str], None]
) -> tuple[ResultGroup | None, Ground | None]:
    """Check ``result`` and ``ground`` against each other and against ``closed``."""
    text, ground_text = values["result"], values["ground"]
    if not text:
        if closed is not None:
            problem("result", f"missing value: closed {closed.isoformat()} needs a result")
        elif ground_text:
            problem(
                "ground",
                f'ground "{ground_text}" given but the application is still open (closed and result are empty)',
            )
        return None, None
    group = RESULT_BY_NAME.get(text)
    if group is None:
        expected = ", ".join(g.name for g in RESULT_GROUPS)
        problem("result", f'unknown result "{text}"; expected one of {expected}')
        return None, None
    if closed is None:
        problem("result", f'result "{text}" given but closed is empty; an application still open has no result')
    if not group.grounds:
        if ground_text:
            extra = ""
            if group.code == "partial":
                extra = "; a partial disclosure counts only as 部分公开 (区分处理的，只计这一情形，不计其他情形): put the withheld part's ground in note"
            problem("ground", f'{group.name} takes no ground, got "{ground_text}"{extra}')
        return group, None
    expected = ", ".join(g.official for g in group.grounds)
    if not ground_text:
        if group.code == "other" and not fmt.split_other:
            return group, None
        problem("ground", f"missing value: {group.name} needs a ground, one of {expected}")
        return group, None
    ground = parse_ground(group, ground_text)
    if ground is None:
        problem("ground", f'unknown ground "{ground_text}" for {group.name}; expected one of {expected}')
    return group, ground
