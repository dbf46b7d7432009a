"""The report as data: tables of traced cells, placeholder values, and notes.

A table is one or more :class:`Block` s (table 二 has one per article of the
Regulations; tables 三 and 四 have one).  Every :class:`Cell` carries, besides its
value, the ids of the records it counts, so an auditor can trace any figure back to
register rows or documents.  Nothing here computes anything; see ``tables.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Union

from .formats import ReportFormat
from .problems import CellRef

Value = Union[int, Decimal]
"""A cell's value: a whole number, or a decimal amount (万元)."""


@dataclass(frozen=True)
class Cell:
    """One figure of a table with its trace."""

    value: Value
    ids: tuple[str, ...] = ()
    """Sorted ids of the records counted: application or case ids from a register, or
    ids of *public* documents.  Empty for figures taken from figures.yml."""
    non_public: int = 0
    """How many counted documents are not public (counted, but their ids are not listed)."""
    source: str = ""
    """Where the value comes from: a register path, ``corpus``, or ``<path>: <key>``."""
    traced: bool = True
    """False for a figure copied from figures.yml, which counts no records here."""


@dataclass(frozen=True)
class Column:
    """A column, with its official labels outermost first."""

    key: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """A row, with its official labels outermost first and one cell per column."""

    key: str
    labels: tuple[str, ...]
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Block:
    """A rectangular part of a table under an optional heading (e.g. 第二十条第（一）项)."""

    heading: str | None
    corner: str | None
    """Text of the top-left header cell (e.g. 信息内容), if the official table has one."""
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def column_index(self, key: str) -> int:
        """Index of the column ``key``; raises KeyError when there is none."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def row(self, key: str) -> Row:
        """The row ``key``; raises KeyError when there is none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def has_row(self, key: str) -> bool:
        return any(row.key == key for row in self.rows)

    def cell(self, row_key: str, column_key: str) -> Cell:
        """The cell at row ``row_key``, column ``column_key``."""
        return self.row(row_key).cells[self.column_index(column_key)]


@dataclass(frozen=True)
class Table:
    """The table of one section of the report."""

    number: str
    """Section number: 二, 三 or 四."""
    title: str
    """Section title, e.g. 收到和处理政府信息公开申请情况."""
    blocks: tuple[Block, ...]

    def block_of(self, row_key: str) -> Block:
        """The block holding row ``row_key``."""
        for block in self.blocks:
            if block.has_row(row_key):
                return block
        raise KeyError(row_key)

    def cell(self, row_key: str, column_key: str) -> Cell:
        """The cell at ``row_key``/``column_key`` (searching every block)."""
        return self.block_of(row_key).cell(row_key, column_key)

    def ref(self, row_key: str, column_key: str) -> CellRef:
        """The official name of a cell, for messages."""
        block = self.block_of(row_key)
        return CellRef(self.number, block.row(row_key).labels, block.columns[block.column_index(column_key)].labels)

    def with_cell(self, row_key: str, column_key: str, cell: Cell) -> "Table":
        """A copy with one cell replaced (used to show that the checks catch a wrong cell)."""
        blocks = []
        for block in self.blocks:
            if block.has_row(row_key):
                index = block.column_index(column_key)
                rows = tuple(
                    replace(row, cells=row.cells[:index] + (cell,) + row.cells[index + 1 :])
                    if row.key == row_key
                    else row
                    for row in block.rows
                )
                block = replace(block, rows=rows)
            blocks.append(block)
        return replace(self, blocks=tuple(blocks))


@dataclass(frozen=True)
class AnnualReport:
    """The computed report of one year: tables 二, 三 and 四 and the narrative's values."""

    year: int
    format: ReportFormat
    as_of: date
    """The date the report was built for (not written to the JSON, which stays stable)."""
    tables: tuple[Table, ...]
    values: dict[str, Any] = field(default_factory=dict)
    """Nested values for ``{{ dotted.name }}`` placeholders (see ``values.py``)."""
    notes: tuple[str, ...] = ()
    """Informational remarks for auditors (e.g. a previous register that was not found)."""
    sources: tuple[tuple[str, str], ...] = ()
    """(path relative to the data folder, SHA-256 of its bytes) of every input file read."""
    issuers: tuple[str, ...] | None = None
    """The issuing bodies whose documents the tables count (figures.yml ``issuers``); None: every body's."""

    @property
    def complete(self) -> bool:
        """True when the year was over on ``as_of`` (otherwise the figures are provisional)."""
        return self.as_of > date(self.year, 12, 31)

    def table(self, number: str) -> Table:
        """The table of section ``number`` (二, 三 or 四)."""
        for table in self.tables:
            if table.number == number:
                return table
        raise KeyError(number)

    def as_context(self) -> dict[str, Any]:
        """The report as plain dicts and lists for templates; documented in ``context.py``."""
        from .context import report_context

        return report_context(self)
