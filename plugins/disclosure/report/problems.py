"""Problems found while building an annual report: structured, collected, fatal.

A :class:`ReportProblem` has the same shape as the core's ``disclosure.problems.Problem``
(``path``, ``line``, ``field``, ``message``, ``severity``, ``format()``) so ``publish.py``
can render both alike, plus an optional :class:`CellRef` naming the table cell a
consistency rule failed on.  Every loader and check *returns* problems; only
:func:`disclosure.report.build.build_annual_report` raises, once, with all of them
(:class:`ReportError`), and then nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class CellRef:
    """A cell of a report table, named by its official labels."""

    table: str
    """The section number of the table: ``"二"``, ``"三"`` or ``"四"``."""
    row: tuple[str, ...]
    """Official row labels from the outermost to the innermost (empty for table 四)."""
    column: tuple[str, ...]
    """Official column labels from the outermost to the innermost."""

    def describe(self) -> str:
        """``table 三, row "…", column "…"`` with nested labels joined by `` / ``."""
        row = " / ".join(self.row) if self.row else "(single row)"
        return f'table {self.table}, row "{row}", column "{" / ".join(self.column)}"'


@dataclass(frozen=True)
class ReportProblem:
    """One thing wrong with one input file, one row of it, or one cell of a table."""

    path: str | None
    """Input file relative to the annual data folder (e.g. ``2025/applications.csv``)."""
    line: int | None
    """1-based physical line in the file (for CSV: the line the record starts on)."""
    field: str | None
    """CSV column or dotted YAML key, when the problem is in one."""
    message: str
    """What is wrong, with what was found and what was expected."""
    cell: CellRef | None = None
    """The table cell a consistency rule failed on."""
    severity: str = "error"
    """``"error"`` (stops the report) or ``"info"`` (reported, never fatal)."""

    def format(self) -> str:
        """Render as ``path:line: field: message`` or ``table …, row …, column …: message``."""
        if self.cell is not None:
            place = self.cell.describe()
        elif self.path is None:
            place = "annual report"
        else:
            place = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{place}: "
        if self.field and self.cell is None:
            text += f"{self.field}: "
        text += self.message
        if self.severity != "error":
            text += f" [{self.severity}]"
        return text

    def __str__(self) -> str:
        return self.format()

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path or "", self.line or 0, self.field or "", self.message)


def errors(problems: Iterable[ReportProblem]) -> list[ReportProblem]:
    """The fatal problems among ``problems``, in their original order."""
    return [p for p in problems if p.severity == "error"]


class ReportError(Exception):
    """The report cannot be built; ``problems`` holds every reason found in the run."""

    def __init__(self, problems: Iterable[ReportProblem]) -> None:
        self.problems: list[ReportProblem] = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
