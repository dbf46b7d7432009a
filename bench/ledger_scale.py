"""Time the ledger at 10,000 documents: record, verify, public view, and a no-op record.

Prints seconds per step (medians of --repeat runs). Run: .venv/bin/python bench/ledger_scale.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests" / "ledger")]

from disclosure.ledger import public_view, read_ledger, record, verify  # noqa: E402
from test_ledger_scale import big_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5000, help="normative+interpretation pairs (default 5000 = 10,000 documents)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus, as_of = big_corpus(args.pairs), date(2020, 1, 1)
    times: dict[str, list[float]] = {"record": [], "verify": [], "public view": [], "record (nothing new)": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            ledger = Path(tmp) / "ledger.jsonl"
            for name, step in [("record", lambda: record(corpus, ledger, as_of, git=False)),
                               ("verify", lambda: verify(corpus, ledger, as_of)),
                               ("public view", lambda: public_view(corpus, corpus.public(as_of), read_ledger(ledger).entries, as_of)),
                               ("record (nothing new)", lambda: record(corpus, ledger, as_of, git=False))]:
                started = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - started)
    print(f"| step ({len(corpus)} documents) | median seconds |\n| --- | --- |")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} |")


if __name__ == "__main__":
    main()
