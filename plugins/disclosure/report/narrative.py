"""Filling the editor-written narrative (the ``annual_report`` document) with computed values.

The narrative is Markdown with placeholders ``{{ dotted.name }}`` (spaces inside the
braces optional); the names are listed in ``values.py``.  Nothing else in the text is
touched.  A placeholder that names nothing, or names a group rather than a value, is
left as written and reported with its line, so a typo can never publish a blank.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .model import AnnualReport
from .problems import ReportProblem
from .values import lookup

PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")


def format_value(value: Any) -> str:
    """How a value is written into the text: whole numbers plainly, amounts as given."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def fill_narrative(
    markdown: str, report: AnnualReport, *, path: str | None = None, first_line: int = 1
) -> tuple[str, list[ReportProblem]]:
    """Replace every placeholder in ``markdown`` with its value from ``report``.

    Returns the filled text and the problems (unknown or malformed placeholders), each
    with its line: ``first_line`` is the line of ``markdown``'s first line in ``path``
    (e.g. ``version.body_line`` for a document body).
    """
    problems: list[ReportProblem] = []
    lines = markdown.split("\n")
    for index, text in enumerate(lines):
        line = first_line + index

        def replace(match: re.Match[str], line: int = line) -> str:
            name = match.group(1)
            if not NAME.match(name):
                problems.append(
                    ReportProblem(
                        path, line, None, f'malformed placeholder "{match.group(0)}"; expected {{{{ dotted.name }}}}'
                    )
                )
                return match.group(0)
            found, value = lookup(report.values, name)
            if found:
                return format_value(value)
            if isinstance(value, dict):
                choices = ", ".join(f"{name}.{key}" for key in sorted(value))
                problems.append(
                    ReportProblem(
                        path, line, None, f'placeholder "{name}" names a group, not a value; use one of {choices}'
                    )
                )
            else:
                problems.append(
                    ReportProblem(path, line, None, f'unknown placeholder "{name}"{_suggest(report.values, name)}')
                )
            return match.group(0)

        lines[index] = PLACEHOLDER.sub(replace, text)
    return "\n".join(lines), problems


def _suggest(values: dict[str, Any], name: str) -> str:
    """``; did you mean …`` naming the longest known prefix's children, if any."""
    parts = name.split(".")
    node: Any = values
    known: list[str] = []
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            break
        node = node[part]
        known.append(part)
    if isinstance(node, dict):
        prefix = ".".join(known) + "." if known else ""
        return f"; expected one of {', '.join(prefix + key for key in sorted(node))}"
    return ""


def narrative_document(corpus: Any, year: int) -> Any | None:
    """The corpus's ``annual_report`` document for ``year`` (``report_year``), if there is one."""
    for doc in corpus.documents:
        if str(getattr(doc.type, "value", doc.type)) == "annual_report" and doc.report_year == year:
            return doc
    return None
