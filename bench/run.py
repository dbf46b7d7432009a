#!/usr/bin/env python3
"""Benchmark: plain Pelican vs our build, rebuilds and checks, side by side.

    .venv/bin/python bench/run.py                                  # 1,000, 5,000 and 10,000 documents, 3 repeats
    .venv/bin/python bench/run.py --counts 200 --repeat 1          # quick run (under a minute)

For each count it generates the corpus twice from the same plan (our format, and
the same published text as plain-Pelican articles) and records our corpus's ledger
(``publish.py ledger record``: every public document published, so that our build
publishes the ledger's view as a real site does), then measures, interleaved in
each repeat: (a) plain Pelican with its default theme and caching off, (b) our
full ``publish.py build``, (c) our rebuild after editing one document's body, after
editing the text of a revised document's first version (its pages and its comparison
with the next version change), after editing the first document's title, after editing its document number (the quick rebuild, when it
applies), after moving it to the topic most other documents have (an edit that changes
which lists show the document: the rebuild of those lists, ``disclosure_pelican.relist``)
and after moving it to a topic no document has (a new list, which the same rebuild adds
when it applies), then after moving it to the issuer most other documents have (its own
being the site's main issuer: the two longest lists change), (d) ``publish.py check`` of the whole corpus, cold,
(e) the same command after each of the two edits and after a third, of its document
number (what the pre-commit hook runs; it answers all three from the check it remembers
when no rule but those on numbers reads what changed), and (f) the peak RSS of each
process (``os.wait4`` rusage of the child).  It prints medians and ratios as
Markdown and saves them to ``bench/out/results.md`` (raw numbers in
``results.json``).  Performance goals live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate_corpus  # noqa: E402
from sentences import SentenceBank  # noqa: E402

PLAIN_SETTINGS = '''# Plain Pelican: default theme (notmyidea), default outputs (feeds, tags,
# categories, authors, archives), no pagination; only caching is switched off.
SITENAME = "Plain Pelican benchmark"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
'''

TOPIC_EDIT = "基准测试主题"
"""The probe's new topic (with the repeat's number): a topic no other document has."""
NEW_DOCUMENT = "bench-new-document"
"""The id (with the repeat's number) of the document published after the edits."""


def most_common_other(corpus: Path, key: str, current: str, others: tuple[str, ...] = ()) -> str:
    """The value the probe's ``key`` (its topic, its issuer) is moved to: the one most
    documents have besides its own, of as many characters when there is one (another
    length moves the search export's mean length of the field, which every score depends
    on: on a small corpus that can take the whole export).  Lists (joint issuers) are not
    counted; ``others`` (the document's other issuers) are not chosen."""
    counts: dict[str, int] = {}
    for path in corpus.rglob("*.md"):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if line.startswith(f"{key}: "):
                    value = line[len(key) + 2:].strip()
                    if value and not value.startswith("["):
                        counts[value] = counts.get(value, 0) + 1
                    break
                if number and line.strip() == "---":  # (the front matter's end)
                    break
    candidates = sorted((value for value in counts if value != current and value not in others),
                        key=lambda value: (len(value) != len(current), -counts[value], value))
    return candidates[0]


def new_document(probe: str, repeat: int, as_of: str) -> str:
    """The probe's file as another document published on the build date (the newest of the
    corpus, as a new publication is): another id and document number, no index number yet
    (a build gives it a provisional one), no relation to another document."""
    year = as_of[:4]
    lines = []
    for line in probe.split("\n"):
        if re.match(r"(index_number|result_of|interprets|amends|repeals):", line):
            continue
        line = re.sub(r"^id: .*$", f"id: {NEW_DOCUMENT}-{repeat}", line)
        if line.startswith("doc_number:"):  # a serial no generated document has
            line = re.sub(r"〔\d{4}〕\d+号", f"〔{year}〕{90000 + repeat}号", line)
        line = re.sub(r"^(written|published|effective): .*$", rf"\1: {as_of}", line)
        line = re.sub(r"^  date: .*$", f"  date: {as_of}", line)  # the confidentiality review's
        lines.append(line)
    return "\n".join(lines)

GOALS = {
    "ratio": 1.0,          # our full build / plain Pelican
    "rebuild": 0.05,       # rebuild after one edit / our full build
    "rss_mib": 1024,       # peak RSS of the full build of the largest corpus
    "check": 0.2,          # full check / our full build
    "check_one_s": 1.0,    # check after one changed file, seconds
    "growth": 1.0,         # (t_large / t_small) / (n_large / n_small): 1.0 is linear
}


@dataclass
class Run:
    """One measured process."""

    wall: float
    cpu: float
    rss_mib: float
    code: int
    load: float
    """1-minute load average when the run started (other work on the machine)."""
    quick: bool = False
    """A build that said it was the quick rebuild after an edit (README, "Build outputs")."""


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def record_ledger(content: Path, as_of: str, log: Path) -> float:
    """Record the ledger of the generated ``content`` where the build reads it (beside the
    content folder: ``disclosure.config.default_ledger_path``), anew; seconds taken."""
    ledger = content.parent / "ledger" / "ledger.jsonl"
    ledger.unlink(missing_ok=True)
    start = time.perf_counter()
    with open(log, "a", encoding="utf-8") as handle:
        subprocess.run([python(), "publish.py", "ledger", "record", "--content", str(content), "--ledger", str(ledger),
                        "--no-git", "--as-of", as_of], cwd=ROOT, check=True, stdout=handle, stderr=subprocess.STDOUT)
    return time.perf_counter() - start


def clear_build_cache() -> None:
    """Forget what `publish.py build` keeps between builds (ROOT/.cache: bodies, parsed front
    matter, page fingerprints, the search export's token counts and index)."""
    cache = ROOT / ".cache"
    for pattern in ("bodies*.sqlite", "pages-*.marshal", "parse-*", "search-tokens-*"):
        for path in cache.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def measure(cmd: list[str], log: Path) -> Run:
    """Run ``cmd`` with its output in ``log``; wall time, CPU time and peak RSS of the child."""
    load = os.getloadavg()[0]
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        start_of_output = out.tell()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(log, "rb") as written:
        written.seek(start_of_output)
        said = written.read().decode("utf-8", errors="replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, load,
               quick=re.search(r"(?m)^Rebuilt ", said) is not None)


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out: Path = args.out.resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        self.py = python()
        pelican = ROOT / ".venv" / "bin" / "pelican"
        self.pelican = [str(pelican)] if pelican.exists() else [self.py, "-m", "pelican"]
        self.settings = self.out / "pelicanconf-plain.py"
        self.settings.write_text(PLAIN_SETTINGS, encoding="utf-8")
        self.plugins = subprocess.run([self.py, "-c", "import runpy; print(runpy.run_path('pelicanconf.py').get('PLUGINS'))"],
                                      cwd=ROOT, capture_output=True, text=True).stdout.strip() or "?"
        self.results: dict[int, dict] = {}
        self.log = self.out / "run.log"
        self.log.write_text("", encoding="utf-8")

    # ------------------------------------------------------------ corpora
    def corpora(self, count: int) -> tuple[Path, Path, dict]:
        folder = self.out / f"corpus-{count}-s{self.args.seed}"  # the content, and its ledger beside it
        shutil.rmtree(folder, ignore_errors=True)
        ours = folder / "content"
        plain = self.out / f"pelican-{count}-s{self.args.seed}"
        start = time.perf_counter()
        bank = SentenceBank(use_seeds=not self.args.no_seeds)
        docs = generate_corpus.Generator(count, self.args.seed, bank).generate()
        manifest = {"count": count, "seed": self.args.seed, "as_of": generate_corpus.AS_OF.isoformat(),
                    "sentences": bank.source, "sentences_digest": bank.digest, **generate_corpus.summary(docs)}
        files, size = generate_corpus.write_corpus(docs, ours, False, {**manifest, "format": "disclosure"})
        plain_files, plain_size = generate_corpus.write_corpus(docs, plain, True, {**manifest, "format": "pelican"})
        manifest.update(files=files, bytes=size, plain_files=plain_files, plain_bytes=plain_size,
                        generate_s=time.perf_counter() - start, ledger_s=record_ledger(ours, self.args.as_of, self.log))
        print(f"[{count}] generated {files} files ({size / 1e6:.1f} MB) and {plain_files} plain-Pelican articles "
              f"in {manifest['generate_s']:.1f} s, the ledger recorded in {manifest['ledger_s']:.1f} s; "
              f"sentences: {bank.source}", flush=True)
        return ours, plain, manifest

    # ------------------------------------------------------------ commands
    def ours(self, *args: str) -> list[str]:
        return [self.py, "publish.py", *args, "--as-of", self.args.as_of]

    def settle(self) -> None:
        """With ``--drop-caches``: the same page cache (none) before each full build."""
        if not self.args.drop_caches:
            return
        os.sync()
        try:
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
        except OSError as error:
            print(f"    (--drop-caches: {error}; measuring without)", flush=True)
            self.args.drop_caches = False

    def run_one(self, label: str, cmd: list[str], expect_ok: bool = True) -> Run:
        run = measure(cmd, self.log)
        status = ("" if run.code == 0 else f"  EXIT {run.code}") + ("  (quick rebuild)" if run.quick else "")
        print(f"    {label:<22} {run.wall:7.2f} s wall {run.cpu:7.2f} s CPU {run.rss_mib:7.0f} MiB  (load {run.load:.1f}){status}",
              flush=True)
        if expect_ok and run.code != 0:
            print(f"      last lines of {self.log}:\n" + "\n".join("      " + line for line in tail(self.log).splitlines()), flush=True)
        return run

    def bench_count(self, count: int) -> dict:
        corpus, plain_corpus, manifest = self.corpora(count)
        site_plain = self.out / f"site-plain-{count}"
        site_ours = self.out / f"site-ours-{count}"
        probe = corpus / manifest["probe"]
        original = probe.read_bytes()
        revised = corpus / manifest["revised_probe"] if manifest.get("revised_probe") else None
        revised_original = revised.read_bytes() if revised is not None else b""
        runs: dict[str, list[Run]] = {k: [] for k in ("plain", "full", "rebuild_body", "rebuild_version", "rebuild_meta",
                                                     "rebuild_number", "rebuild_moved", "rebuild_topic", "rebuild_issuer", "rebuild_expiry", "rebuild_status",
                                                     "rebuild_published", "rebuild_new", "check", "check_one",
                                                     "check_version", "check_meta", "check_number")}
        try:
            for r in range(self.args.repeat):
                print(f"[{count}] repeat {r + 1}/{self.args.repeat}", flush=True)
                if not self.args.skip_plain:
                    shutil.rmtree(site_plain, ignore_errors=True)
                    self.settle()
                    runs["plain"].append(self.run_one("plain Pelican", [*self.pelican, str(plain_corpus), "-o", str(site_plain),
                                                                         "-s", str(self.settings), "--ignore-cache", "-q"]))
                shutil.rmtree(site_ours, ignore_errors=True)
                clear_build_cache()  # the full build is a cold build: no rendered bodies, no page fingerprints
                self.settle()
                runs["full"].append(self.run_one("our full build", self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                for stale in (ROOT / ".cache").glob("check-*"):
                    # "check (all)" is a cold check; "check, 1 file changed" then uses the cache
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
                runs["check"].append(self.run_one("check (all)", self.ours("check", "--content", str(corpus))))

                text = original.decode("utf-8")
                edited = text.rstrip("\n") + f"\n\n基准测试修改正文，第{r + 1}次。\n"
                probe.write_bytes(edited.encode("utf-8"))
                runs["rebuild_body"].append(self.run_one("rebuild, body edit", self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                runs["check_one"].append(self.run_one("check, body edit", self.ours("check", "--content", str(corpus))))
                if revised is not None:
                    # the text of a revised document's first version: its pages and its comparison with the next
                    # version; then put back, with a build and a check not measured, so that the edits below
                    # start from the state they always started from (the body edit alone)
                    revised.write_bytes(revised_original.rstrip(b"\n") + f"\n\n基准测试修改旧版正文，第{r + 1}次。\n".encode("utf-8"))
                    runs["rebuild_version"].append(self.run_one("rebuild, older version's text edit",
                                                                self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                    runs["check_version"].append(self.run_one("check, older version's text edit", self.ours("check", "--content", str(corpus))))
                    revised.write_bytes(revised_original)
                    self.run_one("rebuild, older version put back (not measured)",
                                 self.ours("build", "--content", str(corpus), "--output", str(site_ours)))
                    self.run_one("check, older version put back (not measured)", self.ours("check", "--content", str(corpus)))

                # Lines that change the probe's status, after its date of effect (or publication); each
                # edit measured, then taken away again with a build not measured:
                # - its date of expiry, the day before the build date: from in force to expired (lists,
                #   register, counts);
                # - stated partially invalid, with its note (two lines): from in force to partially invalid.
                day_before = (date.fromisoformat(self.args.as_of) - timedelta(days=1)).isoformat()
                for key, what, field, lines in (
                        ("rebuild_expiry", "expiry", "expires", f"expires: {day_before}"),
                        ("rebuild_status", "stated status", "status",
                         f"status: partially_invalid\nstatus_note: 第{r + 1}条不再适用（基准测试）")):
                    if f"\n{field}:" in edited:
                        continue
                    probe.write_bytes(re.sub(r"(?m)^(effective: .*|published: .*)$", lambda m: f"{m.group(1)}\n{lines}",
                                             edited, count=1).encode("utf-8"))
                    runs[key].append(self.run_one(f"rebuild, {what} edit",
                                                  self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                    probe.write_bytes(edited.encode("utf-8"))
                    self.run_one(f"rebuild, {what} taken away (not measured)",
                                 self.ours("build", "--content", str(corpus), "--output", str(site_ours)))
                # its date of publication three days later, in the same year: it moves past the documents
                # published meanwhile in every list, feed and the search's order; then put back
                found = re.search(r"(?m)^published: (\d{4}-\d{2}-\d{2})$", edited)
                day = date.fromisoformat(found.group(1)) if found else None
                if day is not None and (day + timedelta(days=3)).year == day.year:
                    probe.write_bytes(edited.replace(found.group(0), f"published: {day + timedelta(days=3)}", 1).encode("utf-8"))
                    runs["rebuild_published"].append(self.run_one("rebuild, date published edit",
                                                                  self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                    probe.write_bytes(edited.encode("utf-8"))
                    self.run_one("rebuild, date published put back (not measured)",
                                 self.ours("build", "--content", str(corpus), "--output", str(site_ours)))

                titled = re.sub(r'(?m)^(title: .*?)("?)$', lambda m: f"{m.group(1)}（修订{r + 1}）{m.group(2)}", text, count=1)
                probe.write_bytes(titled.encode("utf-8"))
                runs["rebuild_meta"].append(self.run_one("rebuild, title edit", self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                runs["check_meta"].append(self.run_one("check, title edit", self.ours("check", "--content", str(corpus))))
                # a field two rules read of every document (uniqueness, citations): they run again over remembered numbers
                probe.write_bytes(re.sub(r"(?m)^(doc_number: .*?\d+)号$", lambda m: f"{m.group(1)}0{r + 1}号", titled,
                                         count=1).encode("utf-8"))
                runs["rebuild_number"].append(self.run_one("rebuild, number edit", self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                runs["check_number"].append(self.run_one("check, number edit", self.ours("check", "--content", str(corpus))))
                # a field that decides which lists show the document: moved to a topic other documents have
                numbered = probe.read_text(encoding="utf-8")
                current = re.search(r"(?m)^topic: (.*)$", numbered)
                if current is not None:
                    moved_to = most_common_other(corpus, "topic", current.group(1).strip())
                    probe.write_text(numbered[:current.start(1)] + moved_to + numbered[current.end(1):], encoding="utf-8")
                    runs["rebuild_moved"].append(self.run_one("rebuild, topic edit (another topic)",
                                                              self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                # then to a topic no document has: a new list
                probe.write_text(re.sub(r"(?m)^topic: .*$", f"topic: {TOPIC_EDIT}{r + 1}", numbered, count=1), encoding="utf-8")
                runs["rebuild_topic"].append(self.run_one("rebuild, topic edit", self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                # another field that decides lists: its issuer moved to the one most others have (the
                # probe's is the main issuer: the two longest lists of the site, every page of each)
                topical = probe.read_text(encoding="utf-8")
                issuer = re.search(r"(?m)^issuer: (.+)$", topical)
                if issuer is not None:  # (of joint issuers, the first: the main one)
                    value = issuer.group(1).strip()
                    issuers = [item.strip() for item in value.strip("[]").split(",")] if value.startswith("[") else [value]
                    issuers[0] = most_common_other(corpus, "issuer", issuers[0], tuple(issuers[1:]))
                    moved_to = f"[{', '.join(issuers)}]" if value.startswith("[") else issuers[0]
                    probe.write_text(topical[:issuer.start(1)] + moved_to + topical[issuer.end(1):], encoding="utf-8")
                    runs["rebuild_issuer"].append(self.run_one("rebuild, issuer edit (another issuer)",
                                                               self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                probe.write_bytes(original)
                # the usual commit of a disclosure office: a new document, the newest (not an edit: no goal)
                added = probe.with_name(f"{NEW_DOCUMENT}-{r + 1}.md")
                added.write_text(new_document(text, r + 1, self.args.as_of), encoding="utf-8")
                try:
                    runs["rebuild_new"].append(self.run_one("rebuild, new document", self.ours("build", "--content", str(corpus), "--output", str(site_ours))))
                finally:
                    added.unlink()
        finally:
            probe.write_bytes(original)
            if revised is not None:
                revised.write_bytes(revised_original)
        if not self.args.keep:
            for path in (site_plain, site_ours):
                shutil.rmtree(path, ignore_errors=True)
        return {"manifest": manifest, "runs": {k: [asdict(x) for x in v] for k, v in runs.items()}}

    # ------------------------------------------------------------ report
    def report(self) -> str:
        def med(count: int, key: str, field: str) -> float | None:
            values = [run[field] for run in self.results[count]["runs"].get(key, []) if run["code"] == 0]
            return statistics.median(values) if values else None

        def peak(count: int, key: str) -> float | None:
            values = [run["rss_mib"] for run in self.results[count]["runs"][key]]
            return max(values) if values else None

        def fmt(value: float | None, digits: int = 2) -> str:
            return "—" if value is None else f"{value:.{digits}f}"

        def ratio(a: float | None, b: float | None) -> str:
            return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}"

        counts = sorted(self.results)
        failed = {c: [k for k, v in self.results[c]["runs"].items() if any(run["code"] != 0 for run in v)] for c in counts}
        lines = []
        loads = [run["load"] for c in counts for v in self.results[c]["runs"].values() for run in v]
        lines.append("# Benchmark results\n")
        lines.append(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
                     f"seed {self.args.seed}, as of {self.args.as_of}, {self.args.repeat} repeat(s), medians; "
                     f"1-min load average at the start of each run {min(loads, default=0):.1f}–{max(loads, default=0):.1f} "
                     "(other work on the machine inflates wall time; CPU time is less sensitive to it). "
                     f"Our build's plugins (pelicanconf.py): {self.plugins}."
                     + (" Page cache dropped before each full build (--drop-caches)." if self.args.drop_caches else "") + "\n")
        for field, title in (("wall", "Wall-clock seconds"), ("cpu", "CPU seconds (user + system)")):
            lines.append(f"## {title}\n")
            lines.append("| documents | files (ours / plain) | plain Pelican | our full build | **ours / plain** | rebuild, body edit | **rebuild / full** "
                         "| rebuild, older version's text edit | **rebuild / full** "
                         "| rebuild, title edit | **rebuild / full** | rebuild, number edit | **rebuild / full** "
                         "| rebuild, topic moved to another | **rebuild / full** "
                         "| rebuild, topic new to the site | **rebuild / full** "
                         "| rebuild, issuer moved to another | **rebuild / full** | check (all) | **check / full** "
                         "| check after the body edit | check after the title edit | check after a number edit |")
            lines.append("|" + " ---: |" * 24)
            for c in counts:
                m = self.results[c]["manifest"]
                full = med(c, "full", field)
                row = [f"{c:,}", f"{m['files']:,} / {m['plain_files']:,}", fmt(med(c, "plain", field)), fmt(full),
                       ratio(full, med(c, "plain", field)), fmt(med(c, "rebuild_body", field)), ratio(med(c, "rebuild_body", field), full),
                       fmt(med(c, "rebuild_version", field)), ratio(med(c, "rebuild_version", field), full),
                       fmt(med(c, "rebuild_meta", field)), ratio(med(c, "rebuild_meta", field), full),
                       fmt(med(c, "rebuild_number", field)), ratio(med(c, "rebuild_number", field), full),
                       fmt(med(c, "rebuild_moved", field)), ratio(med(c, "rebuild_moved", field), full),
                       fmt(med(c, "rebuild_topic", field)), ratio(med(c, "rebuild_topic", field), full),
                       fmt(med(c, "rebuild_issuer", field)), ratio(med(c, "rebuild_issuer", field), full), fmt(med(c, "check", field)),
                       ratio(med(c, "check", field), full), fmt(med(c, "check_one", field)),
                       fmt(med(c, "check_meta", field)), fmt(med(c, "check_number", field))]
                lines.append("| " + " | ".join(row) + " |")
            lines.append("")
        lines.append("## Publishing a new document (the newest; the whole rebuild; not an edit, so no goal)\n")
        lines.append("| documents | wall-clock seconds | **/ full build** | CPU seconds | **/ full build** |")
        lines.append("| ---: | ---: | ---: | ---: | ---: |")
        for c in counts:
            wall, cpu = med(c, "rebuild_new", "wall"), med(c, "rebuild_new", "cpu")
            lines.append(f"| {c:,} | {fmt(wall)} | {ratio(wall, med(c, 'full', 'wall'))} | {fmt(cpu)} | {ratio(cpu, med(c, 'full', 'cpu'))} |")
        lines.append("")
        lines.append("## Peak RSS (MiB, highest of the repeats)\n")
        lines.append("| documents | plain Pelican | our full build | our rebuild | check (all) |")
        lines.append("| ---: | ---: | ---: | ---: | ---: |")
        for c in counts:
            rebuild = max(filter(None, [peak(c, key) for key in ("rebuild_body", "rebuild_version", "rebuild_meta", "rebuild_number",
                                                                                      "rebuild_moved", "rebuild_topic", "rebuild_issuer",
                                                                                      "rebuild_new")]),
                          default=None)
            lines.append(f"| {c:,} | {fmt(peak(c, 'plain'), 0)} | {fmt(peak(c, 'full'), 0)} | {fmt(rebuild, 0)} | {fmt(peak(c, 'check'), 0)} |")
        lines.append("")
        if len(counts) > 1:
            lines.append("## Growth (1.0 = linear; above 1.0 grows faster than the corpus)\n")
            lines.append("| from → to | plain Pelican (wall / CPU) | our full build (wall / CPU) | check (wall / CPU) |")
            lines.append("| --- | ---: | ---: | ---: |")
            small = counts[0]
            for c in counts[1:]:
                cells = []
                for key in ("plain", "full", "check"):
                    parts = []
                    for field in ("wall", "cpu"):
                        a, b = med(small, key, field), med(c, key, field)
                        parts.append("—" if a is None or b is None or a == 0 else f"{(b / a) / (c / small):.2f}")
                    cells.append(" / ".join(parts))
                lines.append(f"| {small:,} → {c:,} | " + " | ".join(cells) + " |")
            lines.append("")
        lines.append(self.goals(counts, med, peak))
        lines.append(self.paired(counts))
        bad = {c: k for c, k in failed.items() if k}
        if bad:
            lines.append("**Failed runs** (excluded from medians; see `bench/out/run.log`): "
                         + "; ".join(f"{c:,} documents: {', '.join(k)}" for c, k in bad.items()) + "\n")
        return "\n".join(lines)

    def goals(self, counts: list[int], med, peak) -> str:  # type: ignore[no-untyped-def]
        big = counts[-1]
        rows = ["## Goals (largest corpus: {:,} documents; CPU-time ratios, wall-time in brackets)\n".format(big),
                "| goal | target | measured | met |", "| --- | ---: | ---: | :---: |"]

        def row(name: str, target: str, cpu: float | None, wall: float | None, limit: float) -> None:
            if cpu is None:
                rows.append(f"| {name} | {target} | — | — |")
                return
            ok_cpu, ok_wall = cpu <= limit, wall is not None and wall <= limit
            met = "yes" if ok_cpu and ok_wall else "no" if not ok_cpu and not ok_wall else "CPU only" if ok_cpu else "wall only"
            rows.append(f"| {name} | {target} | {cpu:.2f} ({'—' if wall is None else f'{wall:.2f}'}) | {met} |")

        def both(a: str, b: str) -> tuple[float | None, float | None]:
            res = []
            for field in ("cpu", "wall"):
                x, y = med(big, a, field), med(big, b, field)
                res.append(None if x is None or y is None or y == 0 else x / y)
            return res[0], res[1]

        row("full build: ours / plain Pelican", f"≤ {GOALS['ratio']}", *both("full", "plain"), GOALS["ratio"])
        row("rebuild after a body edit / full build", f"≤ {GOALS['rebuild']}", *both("rebuild_body", "full"), GOALS["rebuild"])
        row("rebuild after an edit of an older version's text / full build", f"≤ {GOALS['rebuild']}",
            *both("rebuild_version", "full"), GOALS["rebuild"])
        row("rebuild after a title edit / full build", f"≤ {GOALS['rebuild']}", *both("rebuild_meta", "full"), GOALS["rebuild"])
        row("rebuild after a number edit / full build", f"≤ {GOALS['rebuild']}", *both("rebuild_number", "full"), GOALS["rebuild"])
        row("rebuild after a topic edit (to another topic) / full build", f"≤ {GOALS['rebuild']}", *both("rebuild_moved", "full"),
            GOALS["rebuild"])
        row("rebuild after a topic edit (to a new topic) / full build", f"≤ {GOALS['rebuild']}",
            *both("rebuild_topic", "full"), GOALS["rebuild"])
        row("rebuild after an issuer edit (to another issuer) / full build", f"≤ {GOALS['rebuild']}",
            *both("rebuild_issuer", "full"), GOALS["rebuild"])
        row("rebuild after an expiry edit (in force → expired) / full build", f"≤ {GOALS['rebuild']}",
            *both("rebuild_expiry", "full"), GOALS["rebuild"])
        row("rebuild after a stated status edit (in force → partially invalid) / full build", f"≤ {GOALS['rebuild']}",
            *both("rebuild_status", "full"), GOALS["rebuild"])
        row("rebuild after a date published edit (three days later) / full build", f"≤ {GOALS['rebuild']}",
            *both("rebuild_published", "full"), GOALS["rebuild"])
        row("check (all) / full build", f"< {GOALS['check']}", *both("check", "full"), GOALS["check"])
        for run, edit in (("check_one", "body"), ("check_meta", "title"), ("check_number", "document number")):
            row(f"check after one {edit} edit, seconds", f"< {GOALS['check_one_s']}",
                med(big, run, "cpu"), med(big, run, "wall"), GOALS["check_one_s"])
        rss = peak(big, "full")
        rows.append(f"| peak RSS of the full build, MiB | < {GOALS['rss_mib']} | {rss:.0f} | {'yes' if rss < GOALS['rss_mib'] else 'no'} |"
                    if rss is not None else f"| peak RSS of the full build, MiB | < {GOALS['rss_mib']} | — | — |")
        if len(counts) > 1:
            small = counts[0]
            g = [None if med(small, "full", f) is None or med(big, "full", f) is None else
                 (med(big, "full", f) / med(small, "full", f)) / (big / small) for f in ("cpu", "wall")]
            row(f"growth of the full build {small:,} → {big:,}", f"≤ {GOALS['growth']} (linear)", g[0], g[1], GOALS["growth"])
        return "\n".join(rows) + "\n"

    def paired(self, counts: list[int]) -> str:
        """Each repeat's own ratios: the two builds of a ratio ran minutes apart, so a drift
        of the machine's speed moves both; the ratio of medians can pair a fast run with a slow one."""
        rows = ["## Ratios per repeat (wall-clock; each repeat's two runs side by side)\n",
                "| documents | ratio | per repeat | median |", "| ---: | --- | --- | ---: |"]
        for count in counts:
            runs = {key: [] for key in ("rebuild_new", "rebuild_version", "rebuild_moved", "rebuild_issuer", "rebuild_expiry",
                                            "rebuild_status", "rebuild_published")} \
                | self.results[count]["runs"]  # (results saved before they existed)
            for name, a, b in (("ours / plain Pelican", "full", "plain"), ("rebuild, body edit / full", "rebuild_body", "full"),
                               ("rebuild, older version's text edit / full", "rebuild_version", "full"),
                               ("rebuild, title edit / full", "rebuild_meta", "full"),
                               ("rebuild, number edit / full", "rebuild_number", "full"),
                               ("rebuild, topic moved to another / full", "rebuild_moved", "full"),
                               ("rebuild, topic new to the site / full", "rebuild_topic", "full"),
                               ("rebuild, issuer moved to another / full", "rebuild_issuer", "full"),
                               ("rebuild, expiry edit / full", "rebuild_expiry", "full"),
                               ("rebuild, stated status edit / full", "rebuild_status", "full"),
                               ("rebuild, date published edit / full", "rebuild_published", "full"),
                               ("rebuild, new document / full", "rebuild_new", "full")):
                pairs = [x["wall"] / y["wall"] for x, y in zip(runs[a], runs[b])
                         if x["code"] == 0 and y["code"] == 0 and y["wall"] > 0]
                if pairs:
                    rows.append(f"| {count:,} | {name} | {', '.join(f'{r:.2f}' for r in pairs)} | {statistics.median(pairs):.2f} |")
        for edit, key in (("body", "rebuild_body"), ("older version's text", "rebuild_version"), ("title", "rebuild_meta"),
                          ("number", "rebuild_number"), ("topic (to another)", "rebuild_moved"),
                          ("topic (to a new one)", "rebuild_topic"), ("issuer (to another)", "rebuild_issuer"),
                          ("expiry", "rebuild_expiry"), ("stated status", "rebuild_status"),
                          ("date published", "rebuild_published")):
            quick = [f"{count:,}: {sum(bool(run.get('quick')) for run in self.results[count]['runs'].get(key, []))} of "
                     f"{len(self.results[count]['runs'].get(key, []))}" for count in counts]
            rows.append(f"\nRebuilds after the {edit} edit that were the quick rebuild (the rest: the whole rebuild): {'; '.join(quick)}.")
        return "\n".join(rows) + "\n"

    def main(self) -> int:
        print(f"Benchmark: counts {self.args.counts}, {self.args.repeat} repeat(s), seed {self.args.seed}; output in {self.out}", flush=True)
        for count in self.args.counts:
            self.results[count] = self.bench_count(count)
            self.save()
        print()
        print(self.save())
        return 0

    def save(self) -> str:
        text = self.report()
        (self.out / "results.md").write_text(text, encoding="utf-8")
        (self.out / "results.json").write_text(json.dumps({str(k): v for k, v in self.results.items()}, indent=1, ensure_ascii=False),
                                               encoding="utf-8")
        return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,5000,10000", type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                        help="corpus sizes, comma-separated (default: 1000,5000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats per measurement; medians are reported (default: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", dest="as_of", default=generate_corpus.AS_OF.isoformat())
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="work folder (default: bench/out)")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    parser.add_argument("--skip-plain", action="store_true", help="do not run plain Pelican")
    parser.add_argument("--no-seeds", action="store_true", help="built-in sentences only")
    parser.add_argument("--drop-caches", action="store_true",
                        help="before each full build (plain and ours): sync and drop the kernel's page cache (Linux, root); "
                             "on some virtual machines system time grows with the page cache, build after build")
    args = parser.parse_args(argv)
    args.counts = sorted(set(args.counts))
    return Bench(args).main()


if __name__ == "__main__":
    sys.exit(main())
