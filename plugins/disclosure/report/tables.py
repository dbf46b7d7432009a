"""Computing tables 二, 三 and 四 from records.

Every count is the set of record ids that satisfy the cell's rule, taken directly
from the register rows; totals (总计 column, （七）总计 row) are computed from the
rows too, never by adding other cells, so that ``checks.py`` can compare them with
the sums and catch a row counted twice or not at all.

Table 三's rules for the year Y, for one register row:

* 一、本年新收: received in Y;
* 二、上年结转: received before Y (the register of Y lists it because it was open on 1 January);
* 三、本年度办理结果: closed in Y, in the row of its result (and ground);
* 四、结转下年度继续办理: not closed, or closed after 31 December Y.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, TypeVar

from .applications import Application
from .cases import Case
from .formats import (
    APPLICANT_TYPES,
    CARRIED_FORWARD_LABEL,
    CARRIED_OVER_LABEL,
    CASE_KINDS,
    CASE_OUTCOMES,
    CASE_TOTAL,
    PENDING,
    RECEIVED_LABEL,
    RESULTS_LABEL,
    RESULTS_TOTAL_LABEL,
    TABLE3_CORNER,
    TOTAL_CODE,
    TOTAL_COLUMN,
    ReportFormat,
    result_rows,
    section_title,
)
from .model import Block, Cell, Column, Row, Table, Value

T = TypeVar("T", Application, Case)


def _cell(records: Iterable[T], rule: Callable[[T], bool], source: str) -> Cell:
    ids = tuple(sorted(record.id for record in records if rule(record)))
    return Cell(len(ids), ids, 0, source)


ApplicationRule = Callable[[Application], bool]
CaseRule = Callable[[Case], bool]


def _in_result_row(key: str, fmt: ReportFormat, start: date, end: date) -> ApplicationRule:
    """Closed within [start, end] with the result (and ground) of row ``key``."""

    def rule(a: Application) -> bool:
        return a.closed is not None and start <= a.closed <= end and result_key(a, fmt) == key

    return rule


def _of_applicant(code: str, rule: ApplicationRule) -> ApplicationRule:
    """``rule``, restricted to one applicant type."""

    def restricted(a: Application) -> bool:
        return a.applicant.code == code and rule(a)

    return restricted


def _concluded_as(outcome: str, end: date) -> CaseRule:
    """Concluded on or before ``end`` with ``outcome``."""

    def rule(c: Case) -> bool:
        return c.closed is not None and c.closed <= end and c.outcome == outcome

    return rule


def result_key(application: Application, fmt: ReportFormat) -> str:
    """The table 三 row key an application closed in the year is counted in."""
    group = application.result
    assert group is not None
    if group.grounds and (group.code != "other" or fmt.split_other):
        assert application.ground is not None
        return f"results.{group.code}.{application.ground.code}"
    return f"results.{group.code}"


def applications_columns() -> tuple[Column, ...]:
    """Table 三's columns: the six applicant types and 总计."""
    return tuple(Column(a.code, a.column) for a in APPLICANT_TYPES) + (Column(TOTAL_CODE, TOTAL_COLUMN),)


def compute_applications_table(fmt: ReportFormat, year: int, rows: list[Application], source: str) -> Table:
    """Table 三 of ``year`` from the register rows of ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rules: list[tuple[str, tuple[str, ...], ApplicationRule]] = [
        ("received", (RECEIVED_LABEL,), lambda a: start <= a.received <= end),
        ("carried_over", (CARRIED_OVER_LABEL,), lambda a: a.received < start),
    ]
    for key, labels in result_rows(fmt):
        rules.append((key, labels, _in_result_row(key, fmt, start, end)))
    rules.append(
        (
            "results.total",
            (RESULTS_LABEL, RESULTS_TOTAL_LABEL),
            lambda a: a.closed is not None and start <= a.closed <= end,
        )
    )
    rules.append(("carried_forward", (CARRIED_FORWARD_LABEL,), lambda a: a.closed is None or a.closed > end))

    columns = applications_columns()
    table_rows = []
    for key, labels, rule in rules:
        cells = [_cell(rows, _of_applicant(applicant.code, rule), source) for applicant in APPLICANT_TYPES]
        cells.append(_cell(rows, rule, source))
        table_rows.append(Row(key, labels, tuple(cells)))
    block = Block(None, TABLE3_CORNER, columns, tuple(table_rows))
    return Table("三", section_title("三"), (block,))


def cases_columns() -> tuple[Column, ...]:
    """Table 四's fifteen columns: for each kind, the three outcomes, 尚未审结 and 总计."""
    columns = []
    for kind in CASE_KINDS:
        for code, label in CASE_OUTCOMES + (PENDING, CASE_TOTAL):
            columns.append(Column(f"{kind.code}.{code}", kind.heading + (label,)))
    return tuple(columns)


def compute_cases_table(year: int, cases: list[Case], source: str) -> Table:
    """Table 四 of ``year`` from the cases register of ``year``."""
    end = date(year, 12, 31)
    cells = []
    for kind in CASE_KINDS:
        of_kind = [c for c in cases if c.kind.code == kind.code]
        for code, _ in CASE_OUTCOMES:
            cells.append(_cell(of_kind, _concluded_as(code, end), source))
        cells.append(_cell(of_kind, lambda c: c.closed is None or c.closed > end, source))
        cells.append(_cell(of_kind, lambda c: True, source))
    block = Block(None, None, cases_columns(), (Row("cases", (), tuple(cells)),))
    return Table("四", section_title("四"), (block,))


def compute_proactive_table(
    fmt: ReportFormat,
    document_cells: dict[str, dict[str, Cell]],
    figures: dict[tuple[str, str], Value],
    figures_source: str,
) -> Table:
    """Table 二 from the document counts (type → measure → cell) and figures.yml values."""
    blocks = []
    for spec in fmt.proactive:
        columns = tuple(Column(m.key, (m.label,)) for m in spec.measures)
        rows = []
        for item in spec.items:
            if item.from_documents:
                cells = tuple(document_cells[item.key][m.key] for m in spec.measures)
            else:
                cells = tuple(
                    Cell(figures[(item.key, m.key)], (), 0, f"{figures_source}: {item.key}.{m.key}", traced=False)
                    for m in spec.measures
                )
            rows.append(Row(item.key, (item.label,), cells))
        blocks.append(Block(spec.heading, spec.corner, columns, tuple(rows)))
    return Table("二", section_title("二"), tuple(blocks))
