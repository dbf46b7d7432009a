"""The annual report's count of documents in force, reconciled with the ledger.

For every finished year that has registers, the report's 现行有效件数 (规章 and
行政规范性文件, on 31 December) must equal what the ledger says: the documents it
records as published and not repealed, expired or withdrawn by that day, less those
not yet in effect and those another body issued (the report counts the body's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .corpus import Corpus
from .effectiveness import status_on
from .ledger_chain import LedgerFile, replay
from .report import collect_annual_report
from .report.figures import read_figures

ROWS = {"regulation": "规章", "normative": "行政规范性文件"}


@dataclass(frozen=True)
class ReportMismatch:
    year: int
    doc_type: str
    in_report: int
    in_ledger: int
    only_in_ledger: tuple[str, ...]
    only_in_report: tuple[str, ...]

    def message(self) -> str:
        text = (f"annual report {self.year}, table 二, {ROWS[self.doc_type]}, 现行有效件数: {self.in_report} in the report, "
                f"{self.in_ledger} by the ledger on {self.year}-12-31")
        if self.only_in_ledger:
            text += f"; only the ledger has {', '.join(self.only_in_ledger)}"
        if self.only_in_report:
            text += f"; only the report has {', '.join(self.only_in_report)}"
        return text


def report_years(data_dir: Path, as_of: date) -> list[int]:
    """Finished years (before ``as_of``'s year) that have a register folder."""
    if not data_dir.is_dir():
        return []
    return sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and p.name.isdigit() and int(p.name) < as_of.year)


def reconcile_reports(corpus: Corpus, ledger: LedgerFile, data_dir: Path, as_of: date) -> tuple[dict[int, dict[str, Any]], list[ReportMismatch]]:
    """Counts per year and type, and every mismatch between report and ledger."""
    counts: dict[int, dict[str, Any]] = {}
    mismatches: list[ReportMismatch] = []
    for year in report_years(data_dir, as_of):
        report, _ = collect_annual_report(year, corpus, data_dir, as_of)
        if report is None:
            continue  # its problems are reported by check and by the report command
        figures, _ = read_figures(data_dir / str(year) / "figures.yml", f"{year}/figures.yml")
        issuers = set(figures.issuers) if figures is not None and figures.issuers else None
        end = date(year, 12, 31)
        dated = [(e, n) for e, n in zip(ledger.entries, ledger.lines) if str(e.get("date", "")) <= end.isoformat()]
        states, _ = replay(LedgerFile(ledger.path, entries=[e for e, _ in dated], lines=[n for _, n in dated]))
        table = next(t for t in report.tables if t.number == "二")
        for doc_type in ROWS:
            cell = table.cell(doc_type, "in_force")
            ledger_ids = set()
            for doc_id, state in states.items():
                doc = corpus.get(doc_id)
                if (state.type != doc_type or not state.ever_public or not state.live or state.terminal is not None
                        or doc is None or (issuers is not None and not set(doc.issuers) & issuers)):
                    continue
                if status_on(corpus, doc, end).status.in_force:
                    ledger_ids.add(doc_id)
            report_ids = set(cell.ids)
            counts.setdefault(year, {})[doc_type] = {"report": cell.value, "ledger": len(ledger_ids)}
            if cell.value != len(ledger_ids) or not report_ids <= ledger_ids:
                mismatches.append(ReportMismatch(year, doc_type, int(cell.value or 0), len(ledger_ids),
                                                 tuple(sorted(ledger_ids - report_ids)), tuple(sorted(report_ids - ledger_ids))))
    return counts, mismatches
