"""The report as plain data for templates and JSON: ``AnnualReport.as_context()``.

Shape (all keys always present; lists keep the official order)::

    {
      "year": 2025, "complete": true,          # complete: the year was over on as_of
      "format": {"code": "2021", "name": "…年度报告格式", "reference": "国办公开办函〔2021〕30号"},
      "sections": [{"number": "一", "title": "总体情况", "table": null},
                   {"number": "二", "title": "主动公开政府信息情况", "table": "二"}, …],   # six, in order
      "tables": {"二": TABLE, "三": TABLE, "四": TABLE},
      "values": {…},                            # the placeholder values (values.py)
      "notes": ["…"],                           # remarks for auditors
      "sources": {"2025/applications.csv": "<sha256>", …}
    }

    TABLE = {"number": "三", "title": "收到和处理政府信息公开申请情况", "blocks": [BLOCK, …]}
    BLOCK = {
      "heading": "第二十条第（一）项" | null,
      "corner": "信息内容" | null,
      "label_depth": 3,                         # how many row-label columns the block has
      "header_rows": [[{"label", "colspan", "rowspan"}, …], …],   # ready for <thead>, corner included
      "columns": [{"key": "natural_person", "labels": ["申请人情况", "自然人"]}, …],
      "rows": [ROW, …]
    }
    ROW = {
      "key": "results.withheld.state_secret",
      "labels": ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"],
      "label_cells": [{"label", "colspan", "rowspan"}, …],   # only the cells this <tr> starts
      "cells": [{"value": 1, "ids": ["2025-0007"], "non_public": 0, "source": "2025/applications.csv"}, …]
    }

``header_rows`` and ``label_cells`` reproduce the official table's merged cells: a
template writes each listed cell with its colspan/rowspan and nothing for the cells
they cover.  Amounts are ``decimal.Decimal`` in the context and numbers in the JSON.
"""

from __future__ import annotations

from typing import Any, Sequence

from .formats import SECTIONS
from .model import AnnualReport, Block, Cell, Table


def _span_cells(paths: Sequence[Sequence[str]], depth: int, level: int) -> list[dict[str, Any] | None]:
    """For each path, the merged cell it starts at ``level`` (None when covered by another)."""
    out: list[dict[str, Any] | None] = []
    for index, path in enumerate(paths):
        if len(path) <= level:
            out.append(None)
            continue
        prefix = tuple(path[: level + 1])
        if index > 0 and len(paths[index - 1]) > level and tuple(paths[index - 1][: level + 1]) == prefix:
            out.append(None)
            continue
        span = 1
        while (
            index + span < len(paths)
            and len(paths[index + span]) > level
            and tuple(paths[index + span][: level + 1]) == prefix
        ):
            span += 1
        deep = depth - level if len(path) == level + 1 else 1
        out.append({"label": path[level], "along": span, "across": deep})
    return out


def header_rows(block: Block) -> list[list[dict[str, Any]]]:
    """The ``<thead>`` rows of ``block``: merged column headings, corner cell first."""
    depth = max((len(c.labels) for c in block.columns), default=0)
    label_depth = label_depth_of(block)
    rows: list[list[dict[str, Any]]] = [[] for _ in range(depth)]
    if label_depth and depth:
        rows[0].append({"label": block.corner or "", "colspan": label_depth, "rowspan": depth})
    paths = [c.labels for c in block.columns]
    for level in range(depth):
        for cell in _span_cells(paths, depth, level):
            if cell is not None:
                rows[level].append({"label": cell["label"], "colspan": cell["along"], "rowspan": cell["across"]})
    return rows


def label_depth_of(block: Block) -> int:
    """How many row-label columns ``block`` needs."""
    return max((len(r.labels) for r in block.rows), default=0)


def row_label_cells(block: Block) -> list[list[dict[str, Any]]]:
    """For each row of ``block``, the merged row-label cells that row starts."""
    depth = label_depth_of(block)
    paths = [r.labels for r in block.rows]
    result: list[list[dict[str, Any]]] = [[] for _ in block.rows]
    for level in range(depth):
        for index, cell in enumerate(_span_cells(paths, depth, level)):
            if cell is not None:
                result[index].append({"label": cell["label"], "colspan": cell["across"], "rowspan": cell["along"]})
    return result


def cell_context(cell: Cell) -> dict[str, Any]:
    return {"value": cell.value, "ids": list(cell.ids), "non_public": cell.non_public, "source": cell.source}


def table_context(table: Table) -> dict[str, Any]:
    """One table as plain data (see the module docstring)."""
    blocks = []
    for block in table.blocks:
        labels = row_label_cells(block)
        blocks.append(
            {
                "heading": block.heading,
                "corner": block.corner,
                "label_depth": label_depth_of(block),
                "header_rows": header_rows(block),
                "columns": [{"key": c.key, "labels": list(c.labels)} for c in block.columns],
                "rows": [
                    {
                        "key": r.key,
                        "labels": list(r.labels),
                        "label_cells": labels[i],
                        "cells": [cell_context(c) for c in r.cells],
                    }
                    for i, r in enumerate(block.rows)
                ],
            }
        )
    return {"number": table.number, "title": table.title, "blocks": blocks}


def report_context(report: AnnualReport) -> dict[str, Any]:
    """The whole report as plain data (see the module docstring)."""
    tables = {t.number: table_context(t) for t in report.tables}
    return {
        "year": report.year,
        "complete": report.complete,
        "format": {"code": report.format.code, "name": report.format.name, "reference": report.format.reference},
        "sections": [
            {"number": number, "title": title, "table": number if number in tables else None}
            for number, title in SECTIONS
        ],
        "tables": tables,
        "values": report.values,
        "notes": list(report.notes),
        "sources": dict(report.sources),
    }
