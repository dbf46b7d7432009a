"""The year's figures not kept as records here: ``<year>/figures.yml``.

Table 二's rows on 行政许可, 行政处罚, 行政强制 and 行政事业性收费 (and, in the 2019
trial format, 其他对外管理服务事项 and 政府集中采购) are reported by the business
departments; the office copies them into this file.  2021 format::

    format: 2021            # optional: override the format chosen by the year
    issuers: [国家知识产权局]  # optional: count only documents issued by these bodies
    licensing: {decisions: 1286}   # 行政许可 本年处理决定数量
    penalty: {decisions: 47}       # 行政处罚
    coercion: {decisions: 3}       # 行政强制
    fees: {amount: 18.42}          # 行政事业性收费 本年收费金额（万元）

2019 trial format: ``licensing``, ``other_services``, ``penalty`` and ``coercion`` each
take ``previous_items`` (上一年项目数量), ``change`` (本年增/减, may be negative) and
``decisions`` (处理决定数量); ``fees`` takes ``previous_items`` and ``change``;
``procurement`` takes ``items`` (采购项目数量) and ``amount`` (采购总金额, 万元).

Blank is not zero: a missing or empty figure is a problem; write ``0`` when there
were none.  Unknown keys are problems too (they are usually typos).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .formats import FORMATS, ReportFormat
from .model import Value
from .problems import ReportProblem

GENERAL_KEYS = ("format", "issuers")


@dataclass(frozen=True)
class Figures:
    """The parsed figures.yml, before it is checked against a format."""

    data: Any
    """The round-trip mapping (keeps line numbers)."""
    format_code: str | None
    issuers: tuple[str, ...] | None
    sha256: str


def _line(mapping: Any, key: str) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def read_figures(path: Path, display: str) -> tuple[Figures | None, list[ReportProblem]]:
    """Parse figures.yml and its general keys (``format``, ``issuers``)."""
    if not path.is_file():
        return None, [
            ReportProblem(
                display, None, None, "file not found; blank is not zero: the figures of table 二 must be given"
            )
        ]
    raw = path.read_bytes()
    try:
        data = YAML(typ="rt").load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [ReportProblem(display, None, None, "not UTF-8 text")]
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return None, [ReportProblem(display, line, None, f"not valid YAML: {getattr(error, 'problem', None) or error}")]
    if not isinstance(data, dict):
        return None, [ReportProblem(display, None, None, "expected a mapping of sections (licensing, penalty, …)")]
    problems: list[ReportProblem] = []
    format_code: str | None = None
    if "format" in data:
        format_code = str(data["format"])
        if format_code not in FORMATS:
            problems.append(
                ReportProblem(
                    display,
                    _line(data, "format"),
                    "format",
                    f'unknown format "{format_code}"; expected one of {", ".join(sorted(FORMATS))}',
                )
            )
            format_code = None
    issuers: tuple[str, ...] | None = None
    if "issuers" in data:
        value = data["issuers"]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(
                ReportProblem(display, _line(data, "issuers"), "issuers", "expected a list of issuing bodies' names")
            )
        else:
            issuers = tuple(v.strip() for v in value)
    return Figures(data, format_code, issuers, hashlib.sha256(raw).hexdigest()), problems


def figure_values(
    figures: Figures, fmt: ReportFormat, display: str
) -> tuple[dict[tuple[str, str], Value], list[ReportProblem]]:
    """The figures ``fmt`` needs, keyed by (section, measure), and every problem with them."""
    data = figures.data
    sections = fmt.figure_sections
    problems: list[ReportProblem] = []
    values: dict[tuple[str, str], Value] = {}
    for key in data:
        if key not in GENERAL_KEYS and key not in sections:
            expected = ", ".join(GENERAL_KEYS + tuple(sections))
            problems.append(
                ReportProblem(
                    display,
                    _line(data, key),
                    str(key),
                    f'unknown key "{key}" for the {fmt.code} format; expected one of {expected}',
                )
            )
    for section, measures in sections.items():
        if section not in data or data[section] is None:
            problems.append(
                ReportProblem(
                    display,
                    _line(data, section),
                    section,
                    f"missing; blank is not zero: give {', '.join(m.key for m in measures)} (write 0 when there were none)",
                )
            )
            continue
        mapping = data[section]
        if not isinstance(mapping, dict):
            problems.append(
                ReportProblem(
                    display,
                    _line(data, section),
                    section,
                    f"expected a mapping with {', '.join(m.key for m in measures)}",
                )
            )
            continue
        known = {m.key for m in measures}
        for key in mapping:
            if key not in known:
                problems.append(
                    ReportProblem(
                        display,
                        _line(mapping, key),
                        f"{section}.{key}",
                        f'unknown key "{key}"; expected one of {", ".join(sorted(known))}',
                    )
                )
        for measure in measures:
            field = f"{section}.{measure.key}"
            line = _line(mapping, measure.key) or _line(data, section)
            if measure.key not in mapping or mapping[measure.key] is None or mapping[measure.key] == "":
                problems.append(
                    ReportProblem(
                        display,
                        line,
                        field,
                        f"{measure.label} is blank; blank is not zero: write 0 when there were none",
                    )
                )
                continue
            value, message = _convert(mapping[measure.key], measure.kind)
            if message or value is None:
                problems.append(ReportProblem(display, line, field, f"{measure.label}: {message}"))
            else:
                values[(section, measure.key)] = value
    return values, problems


def _convert(raw: Any, kind: str) -> tuple[Value | None, str | None]:
    """The value of one figure, or a message saying what was expected and found."""
    if isinstance(raw, bool):
        return None, f"expected a number, got {raw!r}"
    if kind == "amount":
        try:
            amount = Decimal(str(raw).strip()) if not isinstance(raw, float) else Decimal(repr(float(raw)))
        except InvalidOperation:
            return None, f'expected an amount in 万元 (e.g. 18.42), got "{raw}"'
        if not amount.is_finite() or amount < 0:
            return None, f'expected an amount of 0 or more, got "{raw}"'
        return amount, None
    if not isinstance(raw, int):
        return None, f'expected a whole number, got "{raw}"'
    if kind == "count" and raw < 0:
        return None, f"expected a whole number of 0 or more, got {raw}"
    return int(raw), None
