"""Reading registers exported from spreadsheets: UTF-8 (optional BOM), header row, line numbers.

Each record keeps the 1-based physical line it starts on, so every message can point
an editor at the row to fix.  Fully blank records (the trailing ``,,,,`` rows
spreadsheets like to export) are skipped.  Columns not named by the reader are
ignored, so an office may keep its own working columns.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .problems import ReportProblem

BOM = "\ufeff"
_DATE = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$")


@dataclass(frozen=True)
class Record:
    """One data row of a register."""

    line: int
    """1-based line the record starts on (the header is line 1)."""
    values: dict[str, str]
    """Column name → value with surrounding whitespace removed ("" when empty)."""


@dataclass(frozen=True)
class Register:
    """A register file as read: its records, and the digest of its bytes."""

    records: tuple[Record, ...]
    sha256: str


def read_register(path: Path, display: str, columns: tuple[str, ...]) -> tuple[Register | None, list[ReportProblem]]:
    """Read the CSV file ``path``, which must have every column in ``columns``.

    Returns ``(None, problems)`` when the file cannot be read at all (missing, not
    UTF-8, missing columns); otherwise the register and any problems with its shape
    (a row with more fields than the header).  ``display`` names the file in messages.
    """
    if not path.is_file():
        return None, [
            ReportProblem(
                display, None, None, f"file not found; expected a CSV register with columns {', '.join(columns)}"
            )
        ]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            ReportProblem(
                display,
                line,
                None,
                "not UTF-8 text; save the spreadsheet as “CSV UTF-8” (a GBK/ANSI export garbles Chinese)",
            )
        ]
    text = text.removeprefix(BOM)
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[ReportProblem] = []
    try:
        header = next(reader)
    except StopIteration:
        return None, [ReportProblem(display, 1, None, f"empty file; expected a header row: {','.join(columns)}")]
    names = [name.strip() for name in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.append(ReportProblem(display, 1, name, f'column "{name}" appears twice in the header'))
        seen.add(name)
    for column in columns:
        if column not in names:
            problems.append(
                ReportProblem(
                    display, 1, column, f'missing column "{column}"; the header must name {", ".join(columns)}'
                )
            )
    if problems:
        return None, problems
    records: list[Record] = []
    end = reader.line_num
    for fields in reader:
        start, end = end + 1, reader.line_num
        if not any(value.strip() for value in fields):
            continue
        if len(fields) > len(names) and any(value.strip() for value in fields[len(names) :]):
            problems.append(
                ReportProblem(
                    display,
                    start,
                    None,
                    f"{len(fields)} fields but the header has {len(names)}; is a comma missing quotes?",
                )
            )
            continue
        values = {name: (fields[i].strip() if i < len(fields) else "") for i, name in enumerate(names) if name}
        records.append(Record(start, values))
    return Register(tuple(records), digest), problems


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` (or ``YYYY/M/D`` as spreadsheets write it) as a date; None if malformed."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return None


def date_problem(display: str, line: int, column: str, text: str) -> ReportProblem:
    """The problem for a malformed date."""
    return ReportProblem(display, line, column, f'malformed date "{text}"; expected YYYY-MM-DD')


def read_dates(
    values: dict[str, str],
    columns: tuple[str, ...],
    as_of: date,
    display: str,
    line: int,
    problem: Callable[[str, str], None],
    add: Callable[[ReportProblem], None],
) -> dict[str, date | None]:
    """The date columns of one register row; a malformed date, or one after the report
    date, is reported (``add`` takes the ready problem, ``problem`` a column and message)."""
    dates: dict[str, date | None] = {}
    for column in columns:
        text = values[column]
        parsed = dates[column] = parse_date(text) if text else None
        if text and parsed is None:
            add(date_problem(display, line, column, text))
        elif parsed is not None and parsed > as_of:
            problem(column, f"{text} is after the report date {as_of.isoformat()}")
    return dates
