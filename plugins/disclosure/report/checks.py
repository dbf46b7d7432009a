"""Consistency rules (勾稽关系), checked independently of the computation.

Each rule is stated once here and takes the computed table *and* the register rows:
sums are compared cell against cell, and counts are recounted straight from the rows
with rules written separately from ``tables.py``.  A cell computed wrongly — a row
counted twice, a total that misses a row, a trace that lists the wrong ids — shows up
as a problem naming the cell by its official labels.

Rules:

1. every cell's value equals the number of ids it traces (plus non-public documents);
2. table 三, every row: 总计 = the sum of the six applicant columns;
3. table 三, every column: （七）总计 = the sum of the result rows;
4. table 三, every column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理;
5. table 三, rows 一, 二, （七）, 四 equal a recount of the register;
6. table 三: an application closed in the year is counted in exactly one result row;
7. table 三: 二、上年结转 of Y equals 四、结转下年度继续办理 of Y-1, application by
   application, when the register of Y-1 exists;
8. table 四, every kind: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, and 总计 and
   尚未审结 equal a recount of the register.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Callable, Iterable

from .applications import Application
from .cases import Case
from .formats import (
    APPLICANT_TYPES,
    CARRIED_FORWARD_LABEL,
    CARRIED_OVER_LABEL,
    CASE_KINDS,
    CASE_OUTCOMES,
    PENDING,
    RECEIVED_LABEL,
    RESULTS_LABEL,
    RESULTS_TOTAL_LABEL,
    TOTAL_CODE,
)
from .model import Table
from .problems import ReportProblem

_RESULTS_TOTAL = f"{RESULTS_LABEL} / {RESULTS_TOTAL_LABEL}"


def _ids(ids: Iterable[str], limit: int = 12) -> str:
    ordered = sorted(ids)
    text = ", ".join(ordered[:limit])
    return text + (f" and {len(ordered) - limit} more" if len(ordered) > limit else "")


def check_traces(table: Table) -> list[ReportProblem]:
    """Rule 1: each cell's value equals its traced ids plus its non-public count."""
    problems = []
    for block in table.blocks:
        for row in block.rows:
            for column, cell in zip(block.columns, row.cells):
                if cell.value is None:
                    problems.append(
                        ReportProblem(None, None, None, "blank; blank is not zero", table.ref(row.key, column.key))
                    )
                    continue
                if not cell.traced:
                    continue  # a figure copied from figures.yml traces no records
                if cell.value != len(cell.ids) + cell.non_public or len(set(cell.ids)) != len(cell.ids):
                    problems.append(
                        ReportProblem(
                            None,
                            None,
                            None,
                            f"value {cell.value} but the trace lists {len(set(cell.ids))} distinct id(s) "
                            f"and {cell.non_public} non-public document(s)",
                            table.ref(row.key, column.key),
                        )
                    )
    return problems


def check_applications(table: Table, rows: list[Application], year: int) -> list[ReportProblem]:
    """Rules 2–6 for table 三 of ``year`` against the register rows of ``year``."""
    problems = check_traces(table)
    block = table.blocks[0]
    applicant_codes = [a.code for a in APPLICANT_TYPES]
    result_keys = [row.key for row in block.rows if row.key.startswith("results.") and row.key != "results.total"]

    def value(row_key: str, column: str) -> int:
        return int(block.cell(row_key, column).value)

    # Rule 2: 总计 column.
    for row in block.rows:
        parts = [value(row.key, code) for code in applicant_codes]
        if value(row.key, TOTAL_CODE) != sum(parts):
            detail = " + ".join(f"{a.name} {n}" for a, n in zip(APPLICANT_TYPES, parts))
            problems.append(
                ReportProblem(
                    None,
                    None,
                    None,
                    f"总计 is {value(row.key, TOTAL_CODE)} but the applicant columns add up to {sum(parts)} ({detail})",
                    table.ref(row.key, TOTAL_CODE),
                )
            )
    for column in applicant_codes + [TOTAL_CODE]:
        # Rule 3: （七）总计 row.
        results = sum(value(key, column) for key in result_keys)
        if value("results.total", column) != results:
            problems.append(
                ReportProblem(
                    None,
                    None,
                    None,
                    f"（七）总计 is {value('results.total', column)} but the result rows （一）–（六） add up to {results}",
                    table.ref("results.total", column),
                )
            )
        # Rule 4: 一 + 二 = 三 + 四.
        left = value("received", column) + value("carried_over", column)
        right = value("results.total", column) + value("carried_forward", column)
        if left != right:
            problems.append(
                ReportProblem(
                    None,
                    None,
                    None,
                    f"the column does not balance: {RECEIVED_LABEL} {value('received', column)} + {CARRIED_OVER_LABEL} "
                    f"{value('carried_over', column)} = {left}, but {_RESULTS_TOTAL} {value('results.total', column)} + "
                    f"{CARRIED_FORWARD_LABEL} {value('carried_forward', column)} = {right}",
                    table.ref("carried_forward", column),
                )
            )
    problems += _recount_applications(table, rows, year)
    problems += _counted_once(table, rows, year, result_keys)
    return problems


def _applicant_named(name: str) -> Callable[[Application], bool]:
    def test(r: Application) -> bool:
        return r.applicant.name == name

    return test


def _recount_applications(table: Table, rows: list[Application], year: int) -> list[ReportProblem]:
    """Rule 5: rows 一, 二, （七）, 四 recounted from the register, column by column."""
    rules: dict[str, tuple[str, Callable[[Application], bool]]] = {
        "received": (f"received in {year}", lambda a: a.received.year == year),
        "carried_over": (f"received before {year}", lambda a: a.received.year < year),
        "results.total": (f"closed in {year}", lambda a: a.closed is not None and a.closed.year == year),
        "carried_forward": (f"still open at the end of {year}", lambda a: a.closed is None or a.closed.year > year),
    }
    problems = []
    columns: list[tuple[str, Callable[[Application], bool]]] = [
        (a.name, _applicant_named(a.name)) for a in APPLICANT_TYPES
    ]
    columns.append(("", lambda r: True))
    codes = [a.code for a in APPLICANT_TYPES] + [TOTAL_CODE]
    source = rows[0].path if rows else "the register"
    for row_key, (what, rule) in rules.items():
        for code, (name, in_column) in zip(codes, columns):
            expected = {r.id for r in rows if in_column(r) and rule(r)}
            cell = table.cell(row_key, code)
            counted = set(cell.ids)
            if cell.value != len(expected) or counted != expected:
                differences = []
                if expected - counted:
                    differences.append(f"not counted: {_ids(expected - counted)}")
                if counted - expected:
                    differences.append(f"counted but not {what}: {_ids(counted - expected)}")
                detail = f" ({'; '.join(differences)})" if differences else ""
                problems.append(
                    ReportProblem(
                        None,
                        None,
                        None,
                        f"is {cell.value} but {source} has {len(expected)} {name + ' ' if name else ''}"
                        f"application(s) {what}{detail}",
                        table.ref(row_key, code),
                    )
                )
    return problems


def _counted_once(table: Table, rows: list[Application], year: int, result_keys: list[str]) -> list[ReportProblem]:
    """Rule 6: each application closed in the year is in exactly one result row (per column)."""
    problems = []
    block = table.blocks[0]
    for code in [a.code for a in APPLICANT_TYPES] + [TOTAL_CODE]:
        seen: dict[str, str] = {}
        for key in result_keys:
            for ident in block.cell(key, code).ids:
                if ident in seen:
                    problems.append(
                        ReportProblem(
                            None,
                            None,
                            None,
                            f'application {ident} is counted twice: also in row "{" / ".join(block.row(seen[ident]).labels)}"; '
                            "an application is counted once (a partial disclosure only as 部分公开)",
                            table.ref(key, code),
                        )
                    )
                else:
                    seen[ident] = key
        closed = {
            r.id
            for r in rows
            if r.closed is not None and r.closed.year == year and (code == TOTAL_CODE or r.applicant.code == code)
        }
        missing = closed - set(seen)
        if missing:
            problems.append(
                ReportProblem(
                    None,
                    None,
                    None,
                    f"application(s) closed in {year} but counted in no result row: {_ids(missing)}",
                    table.ref("results.total", code),
                )
            )
    return problems


def check_carry_forward(
    table: Table,
    previous_rows: list[Application],
    previous_display: str,
    rows: list[Application],
    display: str,
    year: int,
) -> list[ReportProblem]:
    """Rule 7: this year's 上年结转 against last year's 结转下年度继续办理, row by row and per column."""
    problems: list[ReportProblem] = []
    previous_end = date(year - 1, 12, 31)
    previous_by_id = {r.id: r for r in previous_rows}
    open_at_end = {r.id: r for r in previous_rows if r.closed is None or r.closed > previous_end}
    carried = {r.id: r for r in rows if r.received.year < year}
    for ident, left_open in sorted(open_at_end.items()):
        if ident not in carried:
            problems.append(
                ReportProblem(
                    previous_display,
                    left_open.line,
                    "id",
                    f"application {ident} was still open at the end of {year - 1} ({CARRIED_FORWARD_LABEL}) "
                    f"but is not among the applications received before {year} in {display}; "
                    "carry it over with its original received date",
                )
            )
    for ident, new in sorted(carried.items()):
        old = previous_by_id.get(ident)
        if old is None:
            problems.append(
                ReportProblem(
                    display,
                    new.line,
                    "received",
                    f"received {new.received.isoformat()}, before {year}, but application {ident} is not in {previous_display}",
                )
            )
            continue
        if ident not in open_at_end:
            assert old.closed is not None
            problems.append(
                ReportProblem(
                    display,
                    new.line,
                    "received",
                    f"received {new.received.isoformat()}, before {year}, but {previous_display} line {old.line} "
                    f"closed application {ident} on {old.closed.isoformat()}",
                )
            )
            continue
        for field, now, then in (
            ("received", new.received.isoformat(), old.received.isoformat()),
            ("applicant_type", new.applicant.name, old.applicant.name),
        ):
            if now != then:
                problems.append(
                    ReportProblem(
                        display, new.line, field, f'"{now}" differs from "{then}" in {previous_display} line {old.line}'
                    )
                )
        if old.closed is not None and old.closed != new.closed:
            problems.append(
                ReportProblem(
                    display,
                    new.line,
                    "closed",
                    f'"{new.closed.isoformat() if new.closed else ""}" differs from "{old.closed.isoformat()}" '
                    f"in {previous_display} line {old.line}",
                )
            )
    # The cell rule, per column: recount last year's carry-forward and compare values.
    by_column: dict[str, set[str]] = defaultdict(set)
    for r in open_at_end.values():
        by_column[r.applicant.code].add(r.id)
        by_column[TOTAL_CODE].add(r.id)
    for code in [a.code for a in APPLICANT_TYPES] + [TOTAL_CODE]:
        cell = table.cell("carried_over", code)
        before = by_column[code]
        if cell.value != len(before):
            disagree = set(cell.ids) ^ before
            problems.append(
                ReportProblem(
                    None,
                    None,
                    None,
                    f"is {cell.value} but {len(before)} carried forward from {year - 1} ({CARRIED_FORWARD_LABEL} by "
                    f"{previous_display}); applications that disagree: {_ids(disagree)}",
                    table.ref("carried_over", code),
                )
            )
    return problems


def check_cases(table: Table, cases: list[Case], year: int) -> list[ReportProblem]:
    """Rule 8 for table 四 of ``year`` against the cases register of ``year``."""
    problems = check_traces(table)
    for kind in CASE_KINDS:
        parts = [table.cell("cases", f"{kind.code}.{code}").value for code, _ in CASE_OUTCOMES + (PENDING,)]
        total = table.cell("cases", f"{kind.code}.total")
        if total.value != sum(parts):
            problems.append(
                ReportProblem(
                    None,
                    None,
                    None,
                    f"总计 is {total.value} but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {' + '.join(map(str, parts))} = {sum(parts)}",
                    table.ref("cases", f"{kind.code}.total"),
                )
            )
        of_kind = [c for c in cases if c.kind.name == kind.name]
        recounts = (
            ("total", {c.id for c in of_kind}, f"{kind.name} case(s)"),
            (
                "pending",
                {c.id for c in of_kind if c.closed is None or c.closed.year > year},
                f"{kind.name} case(s) pending at the end of {year}",
            ),
        )
        for code, expected, what in recounts:
            cell = table.cell("cases", f"{kind.code}.{code}")
            if cell.value != len(expected) or set(cell.ids) != expected:
                problems.append(
                    ReportProblem(
                        None,
                        None,
                        None,
                        f"is {cell.value} but the register has {len(expected)} {what}"
                        + (f" (disagreeing: {_ids(set(cell.ids) ^ expected)})" if set(cell.ids) ^ expected else ""),
                        table.ref("cases", f"{kind.code}.{code}"),
                    )
                )
    return problems


def check_proactive(table: Table) -> list[ReportProblem]:
    """Rule 1 for table 二 (figures from figures.yml have no trace; blank never reaches here)."""
    return check_traces(table)
