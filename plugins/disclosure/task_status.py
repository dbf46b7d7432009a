"""Implementation status of a key points document's tasks (任务落实情况).

The status lives in a data file beside the document, ``<document file stem>.tasks.yml``
(for a versioned document, ``tasks.yml`` in its folder)::

    # 2025年政务公开工作要点落实情况
    3:
      status: done            # not_started | in_progress | done
      note: 已在门户网站开设专栏
      evidence: [sipo-2025-example]   # ids of published documents that show it
    7: {status: in_progress, note: 第三季度完成}

Tasks the file does not mention are ``not_started``.  Problems (an unknown task
number, status or document) are reported with the file's line.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .corpus import Corpus
from .document import Document
from .problems import Problem
from .tasks import Task, TaskBreakdown, parse_tasks


class TaskState(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label_zh(self) -> str:
        return {"not_started": "未启动", "in_progress": "推进中", "done": "已完成"}[self.value]

    @property
    def label_en(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}[self.value]


@dataclass(frozen=True)
class TaskProgress:
    state: TaskState = TaskState.NOT_STARTED
    note: str = ""
    evidence: tuple[str, ...] = ()
    """Ids of published documents that evidence the task."""


@dataclass
class TaskTable:
    """A key points document's tasks with their implementation status."""

    doc: Document
    breakdown: TaskBreakdown
    progress: dict[int, TaskProgress] = field(default_factory=dict)
    status_file: Path | None = None

    def rows(self) -> list[tuple[Task, TaskProgress]]:
        return [(task, self.progress.get(task.number, TaskProgress())) for task in self.breakdown.tasks]

    def counts(self) -> dict[str, int]:
        counts = {state.value: 0 for state in TaskState}
        for _, progress in self.rows():
            counts[progress.state.value] += 1
        return counts


def status_file_of(doc: Document) -> Path:
    path = doc.current.path
    if path.name.startswith("v") and path.parent.name == doc.id:
        return path.parent / "tasks.yml"
    return path.with_name(path.stem + ".tasks.yml")


def task_table(doc: Document, public: Corpus) -> tuple[TaskTable, list[Problem]]:
    """Parse the document's tasks and read its status file; every problem with its line."""
    version = doc.current
    display = version.path.as_posix()
    breakdown = version.tasks if version.tasks is not None else parse_tasks(version.body, first_line=version.body_line)
    problems = [Problem(display, p.line, "body", p.message, "each task ending with its responsible departments in parentheses")
                for p in breakdown.problems]
    table = TaskTable(doc, breakdown)
    status_path = status_file_of(doc)
    if status_path.exists():
        table.status_file = status_path
        progress, more = _read_status(status_path, {t.number for t in breakdown.tasks}, public)
        table.progress = progress
        problems += more
    return table, problems


def _read_status(path: Path, numbers: set[int], public: Corpus) -> tuple[dict[int, TaskProgress], list[Problem]]:
    display = path.as_posix()
    problems: list[Problem] = []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(display, mark.line + 1 if mark else 1, None, f"broken YAML: {getattr(error, 'problem', error)}",
                            "task number: {status: …, note: …, evidence: […]}")]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(display, node.start_mark.line + 1, None, "not a mapping", "task number: {status: …}")]
    progress: dict[int, TaskProgress] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        try:
            number = int(key_node.value)
        except ValueError:
            problems.append(Problem(display, line, str(key_node.value), "not a task number", "the number of a task"))
            continue
        if number not in numbers:
            problems.append(Problem(display, line, str(number), f"the document has no task {number}",
                                    f"one of 1–{max(numbers)}" if numbers else "a task of the document"))
            continue
        value: Any = yaml.SafeLoader(yaml.serialize(value_node)).get_single_data() if value_node else None
        if not isinstance(value, dict):
            problems.append(Problem(display, line, str(number), "expected a mapping", "{status: …, note: …, evidence: […]}"))
            continue
        unknown = set(value) - {"status", "note", "evidence"}
        if unknown:
            problems.append(Problem(display, line, f"{number}.{sorted(unknown)[0]}", "unknown key", "status, note, evidence"))
        try:
            state = TaskState(value.get("status", "not_started"))
        except ValueError:
            problems.append(Problem(display, line, f"{number}.status", f"got {value.get('status')!r}",
                                    "not_started, in_progress or done"))
            continue
        evidence = value.get("evidence") or []
        if isinstance(evidence, str):
            evidence = [evidence]
        for item in evidence:
            if public.get(str(item)) is None:
                problems.append(Problem(display, line, f"{number}.evidence", f"'{item}' is not a published document",
                                        "ids of published documents"))
        progress[number] = TaskProgress(state, str(value.get("note") or ""), tuple(str(i) for i in evidence))
    return progress, problems
