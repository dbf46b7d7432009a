"""The task breakdown table as CSV (UTF-8 with BOM, for spreadsheet programs)."""

from __future__ import annotations

from disclosure.spreadsheet import csv_text
from disclosure.task_status import TaskTable
from disclosure.tasks import to_csv_rows


def tasks_csv(table: TaskTable) -> str:
    rows = to_csv_rows(table.breakdown.tasks)
    header, body = rows[0], rows[1:]
    lines = [[*header, "落实情况", "说明", "佐证文件"]]
    for (task, progress), row in zip(table.rows(), body):
        lines.append([*row, progress.state.label_zh, progress.note, "、".join(progress.evidence)])
    return csv_text(lines)
