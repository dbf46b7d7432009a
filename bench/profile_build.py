#!/usr/bin/env python3
"""Profile our full build of a generated corpus: where the time goes.

    .venv/bin/python bench/profile_build.py --count 1000            # top 25 by cumulative and by own time
    .venv/bin/python bench/profile_build.py --count 1000 --top 40 --command check

Generates ``bench/out/corpus-<N>-s<S>/content`` and its ledger (unless ``--reuse`` and it exists), runs
``python -m cProfile -o bench/out/profile-<command>-<N>.pstats publish.py <command> …``
in a subprocess and prints the two tables.  Open the ``.pstats`` file with
``python -m pstats`` or snakeviz for more.
"""

from __future__ import annotations

import argparse
import io
import pstats
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate_corpus  # noqa: E402
from run import python, record_ledger  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--command", choices=["build", "check"], default="build")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--reuse", action="store_true", help="reuse an existing generated corpus")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    corpus = out / f"corpus-{args.count}-s{args.seed}" / "content"  # (as run.py lays it out: the ledger beside)
    if not (args.reuse and (corpus / "MANIFEST.json").exists()):
        generate_corpus.generate(args.count, args.seed, corpus)
        record_ledger(corpus, generate_corpus.AS_OF.isoformat(), out / "profile-ledger.log")
    stats_file = out / f"profile-{args.command}-{args.count}.pstats"
    cmd = [python(), "-m", "cProfile", "-o", str(stats_file), "publish.py", args.command, "--content", str(corpus),
           "--as-of", generate_corpus.AS_OF.isoformat()]
    if args.command == "build":
        cmd += ["--output", str(out / f"site-profile-{args.count}")]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        print(f"{' '.join(cmd)}: exit {result.returncode}", file=sys.stderr)
        return 1
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own (total) time")):
        buffer = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=buffer)
        stats.strip_dirs().sort_stats(key).print_stats(args.top)
        text = buffer.getvalue()
        print(f"## Top {args.top} by {title}\n")
        print(text[text.index("   ncalls"):] if "   ncalls" in text else text)
    print(f"Profile data: {stats_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
