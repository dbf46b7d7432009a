"""Command line: ``python -m disclosure.report YEAR [--content content] [--out DIR] [--as-of DATE]``.

Loads the corpus with the core, builds the report of YEAR from
``<content>/data/annual``, fills the year's ``annual_report`` narrative, and writes
the CSV tables, the JSON and the filled narrative (``annual-report-<year>.md``) into
``--out``.  Every problem is printed as ``path:line: column: message``; with any
problem nothing is written and the exit code is 1 (2 for a usage error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code."""
    from disclosure.config import SiteConfig, resolve_as_of
    from disclosure.corpus import load_corpus

    from . import ReportError, build_annual_report, fill_narrative, narrative_document, write_csv, write_json

    parser = argparse.ArgumentParser(
        prog="python -m disclosure.report", description="Build the annual disclosure report."
    )
    parser.add_argument("year", type=int)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: output/annual-report/<year>)")
    parser.add_argument("--as-of", default=None, help="report date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)")
    args = parser.parse_args(argv)
    try:
        as_of = resolve_as_of(args.as_of)
    except ValueError as error:
        parser.error(str(error))
    corpus = load_corpus(args.content, SiteConfig()).corpus
    data_dir = args.content / "data" / "annual"
    try:
        report = build_annual_report(args.year, corpus, data_dir, as_of)
    except ReportError as error:
        for problem in error.problems:
            where = f"{data_dir.as_posix()}/" if problem.path and problem.cell is None else ""
            print(f"{where}{problem.format()}", file=sys.stderr)
        return 1
    narrative = narrative_document(corpus, args.year)
    text = None
    if narrative is not None:
        version = narrative.current
        text, problems = fill_narrative(
            version.body, report, path=version.path.as_posix(), first_line=version.body_line
        )
        if problems:
            for problem in problems:
                print(problem.format(), file=sys.stderr)
            return 1
    out = args.out or Path("output") / "annual-report" / str(args.year)
    written = write_csv(report, out) + [write_json(report, out / f"annual-report-{args.year}.json")]
    if text is not None:
        path = out / f"annual-report-{args.year}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for note in report.notes:
        print(f"note: {note}")
    for path in written:
        print(path.as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
