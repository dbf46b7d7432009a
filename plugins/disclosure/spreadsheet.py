"""CSV for spreadsheet programs: UTF-8 with a BOM, CRLF line ends, no formulas.

Every CSV the site publishes (documents, ledger, annual report tables, task
tables) is written here, so that all of them are opened the same way by Excel
and none can run as a formula: a text cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe (the usual defence
against CSV formula injection), numbers such as ``-3`` stay as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value: str) -> str:
    """``value``, with an apostrophe in front if a spreadsheet would read it as a formula."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[str]], *, bom: bool = True) -> str:
    """The CSV text of ``rows`` (cells are strings), each cell passed through :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()
