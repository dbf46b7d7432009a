"""The values the narrative's ``{{ dotted.name }}`` placeholders can name.

=========================================== ==============================================
``year``, ``previous_year``, ``format``      the report year, Y-1, ``2021`` or ``2019``
``proactive.<item>.<measure>``              table 二: items ``regulation``, ``normative``,
                                            ``licensing``, ``penalty``, ``coercion``, ``fees``
                                            (2019 also ``other_services``, ``procurement``);
                                            measures ``issued``, ``repealed``, ``in_force``
                                            (2019: ``made``, ``published``, ``public_total``),
                                            ``decisions``, ``amount`` (2019 also
                                            ``previous_items``, ``change``, ``items``)
``applications.<row>.<column>``             table 三: rows ``received``, ``carried_over``,
                                            ``results.<result>``, ``results.<result>.<ground>``,
                                            ``results.total``, ``carried_forward``; columns
                                            ``natural_person``, ``business``, ``research``,
                                            ``public_interest``, ``legal_services``,
                                            ``other_org``, ``organisations`` (the five
                                            法人或其他组织 columns together), ``total``
``reconsideration.<outcome>``               table 四 行政复议: ``upheld``, ``corrected``,
                                            ``other``, ``pending``, ``total``
``litigation.<outcome>``,                   行政诉讼 together, and by kind (未经复议直接起诉,
``litigation.direct.<outcome>``,            复议后起诉)
``litigation.after_review.<outcome>``
=========================================== ==============================================

Results are ``disclosed``, ``partial``, ``withheld``, ``unavailable``,
``not_processed``, ``other``; ``applications.results.withheld.total`` adds up its
grounds (``state_secret``, ``prohibited_by_law``, ``three_safeties``, ``third_party``,
``internal_affairs``, ``process_info``, ``enforcement_file``, ``inquiry``);
``unavailable``: ``not_held``, ``needs_creation``, ``still_unclear``;
``not_processed``: ``petition``, ``repeated``, ``publication``, ``mass_repeated``,
``confirmation``; ``other`` (2021 only): ``no_correction``, ``no_fee``, ``other``.
"""

from __future__ import annotations

from typing import Any

from .formats import APPLICANT_TYPES, CASE_OUTCOMES, PENDING, RESULT_GROUPS, TOTAL_CODE, ReportFormat
from .model import Table, Value

_ORGANISATIONS = [a.code for a in APPLICANT_TYPES if a.code != "natural_person"]


def _set(tree: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


def placeholder_values(
    year: int, fmt: ReportFormat, proactive: Table, applications: Table, cases: Table
) -> dict[str, Any]:
    """The nested mapping of placeholder values (see the module docstring for the names)."""
    values: dict[str, Any] = {"year": year, "previous_year": year - 1, "format": fmt.code}
    for block in proactive.blocks:
        for row in block.rows:
            for column, cell in zip(block.columns, row.cells):
                _set(values, ["proactive", row.key, column.key], cell.value)
    block = applications.blocks[0]
    for row in block.rows:
        by_column = {column.key: cell.value for column, cell in zip(block.columns, row.cells)}
        by_column["organisations"] = sum(int(by_column[code]) for code in _ORGANISATIONS)
        for code, value in by_column.items():
            _set(values, ["applications", *row.key.split("."), code], value)
    for group in RESULT_GROUPS:
        node = values["applications"]["results"][group.code]
        sub_rows = [node[g.code] for g in group.grounds if g.code in node]
        if sub_rows:
            for code in [a.code for a in APPLICANT_TYPES] + ["organisations", TOTAL_CODE]:
                node[code] = sum(int(sub[code]) for sub in sub_rows)
    outcomes = [code for code, _ in CASE_OUTCOMES] + [PENDING[0], "total"]
    row = cases.blocks[0].rows[0]
    case_values: dict[str, Value] = {column.key: cell.value for column, cell in zip(cases.blocks[0].columns, row.cells)}
    for outcome in outcomes:
        _set(values, ["reconsideration", outcome], case_values[f"reconsideration.{outcome}"])
        for kind in ("direct", "after_review"):
            _set(values, ["litigation", kind, outcome], case_values[f"{kind}.{outcome}"])
        _set(
            values,
            ["litigation", outcome],
            int(case_values[f"direct.{outcome}"]) + int(case_values[f"after_review.{outcome}"]),
        )
    return values


def lookup(values: dict[str, Any], name: str) -> tuple[bool, Any]:
    """``(True, value)`` for a dotted ``name`` naming a value; ``(False, node)`` otherwise
    (``node`` is the mapping reached when the name stops at a group, else None)."""
    node: Any = values
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    if isinstance(node, dict):
        return False, node
    return True, node
