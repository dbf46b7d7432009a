"""Writing a built report: one CSV per table, and one JSON file with every trace.

CSV (``annual-report-<year>-table<N>.csv``, N = 2, 3, 4): UTF-8 with a BOM so Excel
shows Chinese, CRLF line ends, official labels.  Each block of the table is written
as: its heading on a line of its own (table 二), one line per level of column
headings (a merged heading is repeated over every column it spans, and a heading
that spans several levels is repeated down them, so the last heading line always
names each column), then one line per row: its labels, outermost first, padded
with empty cells, then its values.  Blocks are separated by an empty line.

JSON: ``report.as_context()`` with sorted keys, two-space indentation, amounts as
numbers and no timestamps, so the same inputs give byte-identical files.

Both writers write to a temporary file and rename it, so a failed run never leaves
half a file behind; they are only ever given a report that was built without problems.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

from ..spreadsheet import csv_text
from typing import Any

from .context import label_depth_of
from .model import AnnualReport, Block, Table, Value

TABLE_FILES = {"二": "table2", "三": "table3", "四": "table4"}


def _text(value: Value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _block_lines(block: Block) -> list[list[str]]:
    label_depth = label_depth_of(block)
    depth = max(len(c.labels) for c in block.columns)
    lines: list[list[str]] = []
    if block.heading:
        lines.append([block.heading])
    for level in range(depth):
        labels = ["" for _ in range(label_depth)]
        if level == 0 and label_depth:
            labels[0] = block.corner or ""
        lines.append(labels + [c.labels[min(level, len(c.labels) - 1)] for c in block.columns])
    for row in block.rows:
        padded = list(row.labels) + ["" for _ in range(label_depth - len(row.labels))]
        lines.append(padded + [_text(cell.value) for cell in row.cells])
    return lines


def table_csv(table: Table) -> str:
    """The CSV text of one table (without the BOM)."""
    lines: list[list[str]] = []
    for index, block in enumerate(table.blocks):
        if index:
            lines.append([])
        lines.extend(_block_lines(block))
    return csv_text(lines, bom=False)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def write_csv(report: AnnualReport, folder: Path) -> list[Path]:
    """Write one CSV per table into ``folder`` (created if needed); return the paths written."""
    paths = []
    for table in report.tables:
        path = Path(folder) / f"annual-report-{report.year}-{TABLE_FILES[table.number]}.csv"
        _write_atomic(path, ("\ufeff" + table_csv(table)).encode("utf-8"))
        paths.append(path)
    return paths


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def report_json(report: AnnualReport) -> str:
    """The deterministic JSON text of the report."""
    return json.dumps(report.as_context(), ensure_ascii=False, sort_keys=True, indent=2, default=_plain) + "\n"


def write_json(report: AnnualReport, path: Path) -> Path:
    """Write the report's JSON (see :func:`report_json`) to ``path``; return it."""
    path = Path(path)
    _write_atomic(path, report_json(report).encode("utf-8"))
    return path
