"""Our static search against Pagefind, on the same built site (a benchmark, not a test).

One run:

1. generates a corpus of ``--count`` documents (``bench/generate_corpus.py``, seed 1)
   and builds the site (``publish.py build``, as of 2026-11-22) in a child process
   that times the search part of the build (``write_search``: records and
   ``export_from_records``, run in the build process instead of beside it) next
   to the whole build; the CLI's whoosh index is
   written by the first ``publish.py search`` after it, timed in step 5;
2. runs Pagefind 1.5.2 (the *extended* binary: the plain one does not segment
   Chinese) over the document pages of the built HTML, timing it: by default the
   pages we have records for (``documents/<id>/`` for the current version,
   ``documents/<id>/v<N>/`` for older ones), given to ``pagefind --site`` as a
   mirror of hard links so that the current version is not indexed twice
   (``--pagefind-pages all``: ``--site OUT --glob 'documents/*/{index.html,v*/index.html}'``);
   ``--root-selector main``, breadcrumb and table of contents excluded;
3. measures both static indexes on disk (ours: ``search/`` less ``index.html``;
   Pagefind: ``pagefind/``, with the part its JS API needs, without the UI bundles);
4. in headless Chromium, per query with an empty cache, loads our search page
   ``search/index.html?q=…`` and a generated page ``pagefind-test.html?q=…``
   (``pagefind.search(q)`` then the data of the first 10 results, rendered), and
   records the bytes fetched under ``/search/`` or ``/pagefind/`` (counted by the
   server: Pagefind fetches from a web worker, which the page's Resource Timing does
   not see; the server does not compress, so a gzip estimate of the same files is
   given too) and the time from the request of the engine's script to the first
   results on screen;
5. times ``publish.py search QUERY --json`` as a process (warm: one run first) and
   in-process (the same ``publish.main`` call, no interpreter start-up);
6. computes recall@5 and MRR of both engines over the relevance set of the embedded
   corpus (``tests/search/test_search_relevance.py``): ``content/`` is copied, built
   as of 2026-11-22 (not the test's 2026-06-01: a build leaves out documents
   published after its date, and one relevant document is) and indexed by Pagefind; our ranking
   comes from ``publish.py search --json``, Pagefind's from the browser, its URLs
   mapped back to document ids (``documents/<id>/v<N>/`` of an older version is
   ``<id>@v<N>``, as in our records; a page already seen is skipped);
7. prints a Markdown table (and a per-query one) and saves it to
   ``bench/out/search-vs-pagefind.md`` (one section per count; raw numbers in
   ``search-vs-pagefind-<count>.json``).

Everything it builds goes to ``bench/out/pagefind/`` (its own settings file there,
so the build cache is ``bench/out/pagefind/.cache``, separate from the project's).

Usage::

    python3 -m venv /tmp/pfvenv && /tmp/pfvenv/bin/pip install 'pagefind[extended]==1.5.2'
    .venv/bin/python bench/search/pagefind_compare.py --count 1000           # a few minutes
    .venv/bin/python bench/search/pagefind_compare.py                        # 10,000 documents (long)

Options: ``--count`` (default 10000), ``--queries N`` (the first N typical queries),
``--pagefind PATH`` (default: ``pagefind_extended`` in /tmp/pfvenv, else on PATH),
``--chromium``/``--chromedriver``, ``--reuse`` (keep an existing built site and its
Pagefind index instead of building again: timings then come from the saved JSON).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import glob
import gzip
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
WORK = OUT / "pagefind"
PY = sys.executable
AS_OF = "2026-11-22"
AS_OF_RELEVANCE = AS_OF  # not the test's 2026-06-01: the build leaves out what is published later (〔2026〕907号)

CHROME_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--no-first-run",
               "--disable-sync")

# Typical queries; the generated corpus's own document number and English word are added at run time.
BASE_QUERIES = [
    ("phrase", "知识产权公共服务"),
    ("phrase", "政务公开工作要点"),
    ("phrase", "专利开放许可"),
    ("phrase", "政策解读"),
    ("partial", "公共服"),
    ("partial", "知识产"),
    ("word", "舆情"),
    ("char", "公"),
    ("number", "495号"),
    ("traditional", "知識產權"),
]

SETTINGS = """# written by bench/search/pagefind_compare.py: the project's settings, absolute paths,
# so that the build cache (.cache/ beside this file) is the benchmark's own.
import runpy as _runpy
globals().update({{k: v for k, v in _runpy.run_path({conf!r}).items() if k.isupper()}})
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
"""

# Runs `publish.py build` in a child process and times the search part of it.
BUILD_CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {plugins!r})
import publish
import disclosure_search.static_export
from disclosure_pelican import search_export
timings = {{"write_search": 0.0, "export": 0.0, "calls": 0}}
def timed(name, fn):
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            timings[name] += time.perf_counter() - t
            if name == "write_search":
                timings["calls"] += 1
    return wrapper
disclosure_search.static_export.export_from_records = timed("export", disclosure_search.static_export.export_from_records)
search_export.write_search = timed("write_search", search_export.write_search)
search_export.CONCURRENT_SEARCH_MIN = 10 ** 9  # run the export in this process, where it can be timed
t0 = time.perf_counter()
code = publish.main(sys.argv[2:])
timings["build"] = time.perf_counter() - t0
open(sys.argv[1], "w").write(json.dumps(timings))
sys.exit(code)
"""

PAGEFIND_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind test</title></head>
<body><main><ol id="results"></ol><p id="total"></p></main>
<script type="module">
const params = new URLSearchParams(location.search);
const q = params.get('q') || '';
const n = parseInt(params.get('n') || '10', 10);
window.__bench = window.__bench || {};
try {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.options({});
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, n).map(r => r.data()));
  const ol = document.getElementById('results');
  for (const d of data) {
    const li = document.createElement('li');
    li.className = 'pf-hit';
    const a = document.createElement('a');
    a.href = d.url; a.textContent = (d.meta && d.meta.title) || d.url;
    const p = document.createElement('p');
    p.innerHTML = d.excerpt;
    li.append(a, p); ol.appendChild(li);
  }
  document.getElementById('total').textContent = search.results.length;
  window.__bench.total = search.results.length;
  window.__bench.urls = data.map(d => d.url);
  window.__bench.titles = data.map(d => (d.meta && d.meta.title) || '');
} catch (e) {
  window.__bench.error = String(e && e.stack || e);
}
window.__bench.first = window.__bench.first || performance.now();
window.__bench.done = performance.now();
</script></body></html>
"""

# Installed before any page script: records when our results appear and when the search is done.
OBSERVER = """
window.__bench = {};
try { performance.setResourceTimingBufferSize(2000); } catch (e) {}
new MutationObserver(function () {
  var out = document.getElementById('search-results');
  if (!out) return;
  if (!window.__bench.first && out.querySelector('.search-hit')) window.__bench.first = performance.now();
  if (!window.__bench.done && out.querySelector('.search-summary') && out.getAttribute('aria-busy') !== 'true') {
    window.__bench.done = performance.now();
    if (!window.__bench.first) window.__bench.first = window.__bench.done;
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def log(*args: Any) -> None:
    print(f"[{time.strftime('%H:%M:%S')}]", *args, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ building
def settings_file(name: str) -> Path:
    """A settings file per built site, so that each has its own cache (``.cache/`` beside it)."""
    path = WORK / f"settings-{name}" / "pelicanconf.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SETTINGS.format(conf=str(ROOT / "pelicanconf.py"), theme=str(ROOT / "themes" / "disclosure"),
                                    plugins=str(ROOT / "plugins")), encoding="utf-8")
    return path


def generate(count: int) -> Path:
    corpus = WORK / f"corpus-{count}"
    if not (corpus / "MANIFEST.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        log(f"generating {count} documents into {corpus}")
        subprocess.run([PY, str(ROOT / "bench" / "generate_corpus.py"), "--count", str(count), "--seed", "1",
                        "--out", str(corpus)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return corpus


def build(content: Path, site: Path, as_of: str, settings: Path) -> dict[str, float]:
    """A cold build (no cache of ours) of ``content`` into ``site``; the timings of its search part."""
    cache = settings.parent / ".cache"
    shutil.rmtree(cache, ignore_errors=True)  # cold: no rendered bodies, page fingerprints or whoosh index
    shutil.rmtree(site, ignore_errors=True)
    timings = site.with_name(site.name + "-build.json")
    code = BUILD_CHILD.format(root=str(ROOT), plugins=str(ROOT / "plugins"))
    cmd = [PY, "-c", code, str(timings), "build", "--content", str(content), "--output", str(site),
           "--as-of", as_of, "--settings", str(settings)]
    log(f"building {content.name} -> {site}")
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    result = json.loads(timings.read_text())
    result["process_wall"] = wall
    log(f"built in {wall:.1f} s (search part {result['write_search']:.1f} s)")
    return result


def find_pagefind(option: str | None) -> str:
    candidates = [option] if option else [
        *glob.glob("/tmp/pfvenv/lib/python3*/site-packages/pagefind_bin_extended/pagefind_extended"),
        shutil.which("pagefind_extended") or "",
        *glob.glob("/tmp/pfvenv/lib/python3*/site-packages/pagefind_bin/pagefind"),
        shutil.which("pagefind") or "",
    ]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    sys.exit("no Pagefind binary: python3 -m venv /tmp/pfvenv && "
             "/tmp/pfvenv/bin/pip install 'pagefind[extended]==1.5.2' (or pass --pagefind)")


def record_pages(site: Path) -> Path:
    """A mirror (hard links) of the pages our search has records for: ``documents/<id>/`` (the current
    version) and ``documents/<id>/v<N>/`` of the older versions; not the current version's ``v<N>/``,
    which repeats ``documents/<id>/``. Pagefind computes URLs from --site, so they are the site's."""
    mirror = site.with_name(site.name + "-pagefind-src")
    shutil.rmtree(mirror, ignore_errors=True)
    for page in sorted((site / "documents").glob("*/index.html")):
        versions = sorted(int(p.name[1:]) for p in page.parent.glob("v*") if p.name[1:].isdigit())
        chosen = [page] + [page.parent / f"v{n}" / "index.html" for n in versions[:-1]]
        for file in chosen:
            if file.exists():
                target = mirror / file.relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(file, target)
    return mirror


def run_pagefind(binary: str, site: Path, pages: str = "records") -> dict[str, Any]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    common = ["--root-selector", "main", "--exclude-selectors", ".breadcrumb, nav.toc"]
    if pages == "records":
        source = record_pages(site)
        cmd = [binary, "--site", str(source), "--output-path", str(site / "pagefind"), *common]
    else:
        cmd = [binary, "--site", str(site), "--output-subdir", "pagefind",
               "--glob", "documents/*/{index.html,v*/index.html}", *common]
    log("pagefind:", " ".join(cmd[1:]))
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"pagefind failed:\n{proc.stdout}\n{proc.stderr}")
    output = proc.stdout + proc.stderr
    stats = {k: int(v) for v, k in re.findall(r"Indexed (\d+) (pages|words)", output)}
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    log(f"pagefind in {wall:.1f} s: {stats}")
    return {"wall": wall, "version": version, "binary": os.path.basename(binary), "selection": pages,
            "extended": "extended" in os.path.basename(binary), **stats,
            "warnings": [line for line in output.splitlines() if "⚠" in line or "non-extended" in line]}


def tree_size(folder: Path, skip: set[str] = frozenset()) -> tuple[int, int]:
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and path.relative_to(folder).as_posix() not in skip:
            total += path.stat().st_size
            files += 1
    return total, files


def index_sizes(site: Path) -> dict[str, Any]:
    ours, ours_files = tree_size(site / "search", {"index.html"})
    pf, pf_files = tree_size(site / "pagefind")
    ui = sum(p.stat().st_size for p in (site / "pagefind").glob("pagefind-*ui*"))
    ui += sum(p.stat().st_size for p in (site / "pagefind").glob("pagefind-highlight.js"))
    shards = len(list((site / "search" / "t").glob("*.json")))
    return {"ours": ours, "ours_files": ours_files, "ours_shards": shards,
            "pagefind": pf, "pagefind_files": pf_files, "pagefind_ui": ui}


def write_pagefind_page(site: Path) -> None:
    (site / "pagefind-test.html").write_text(PAGEFIND_PAGE, encoding="utf-8")


# ------------------------------------------------------------------ serving
class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".wasm": "application/wasm"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_header(self, keyword: str, value: str) -> None:
        # every body served, counted by the server: Pagefind fetches from a web worker, which the
        # page's Resource Timing does not see
        if keyword.lower() == "content-length":
            self.server.served.append((unquote(urlparse(self.path).path), int(value)))  # type: ignore[attr-defined]
        super().send_header(keyword, value)


@contextlib.contextmanager
def serve(folder: Path):  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    server.served = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------ browser
class Browser:
    def __init__(self, chromium: str, chromedriver: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="pagefind-compare-chrome-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in CHROME_ARGS:
            options.add_argument(arg)
        options.add_argument(f"--user-data-dir={self.profile}")
        self.driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        self.driver.set_page_load_timeout(120)
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVER})

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def load(self, server: Any, path: str, prefix: str, timeout: float = 120) -> dict[str, Any]:
        """Open ``path`` with an empty cache; wait for the search to finish; what it fetched under ``prefix``."""
        d = self.driver
        d.get("about:blank")
        d.execute_cdp_cmd("Network.clearBrowserCache", {})
        time.sleep(0.05)
        server.served.clear()
        d.get(f"http://127.0.0.1:{server.server_address[1]}{path}")
        deadline = time.monotonic() + timeout
        while True:
            state = d.execute_script("return window.__bench || null")
            if state and state.get("done"):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"no results after {timeout} s: {path}")
            time.sleep(0.02)
        time.sleep(0.3)  # let late fetches (prefetches) land in the resource timeline
        data = d.execute_script("""
          const out = document.getElementById('search-results');
          const summary = out && out.querySelector('.search-summary');
          return {
            bench: window.__bench,
            hits: out ? Array.from(out.querySelectorAll('.search-hit-title a')).map(a => a.getAttribute('href')) : null,
            summary: summary ? summary.textContent : null,
            error: out && out.querySelector('.search-error') ? out.textContent : null,
            resources: performance.getEntriesByType('resource').map(e => ({
              name: e.name, start: e.startTime, end: e.responseEnd, enc: e.encodedBodySize,
              dec: e.decodedBodySize, tr: e.transferSize})),
          };""")
        path_of = lambda name: urlparse(name).path  # noqa: E731
        mine = [r for r in data["resources"] if path_of(r["name"]).startswith(prefix)]
        served = [(p, n) for p, n in list(server.served) if p.startswith(prefix)]
        bench = data["bench"]
        first_fetch = min((r["start"] for r in mine), default=0.0)
        return {
            "bytes": sum(n for _, n in served),
            "requests": len(served),
            "rt_bytes": sum(r["enc"] for r in mine),  # the page's own fetches only (not a worker's)
            "rt_requests": len(mine),
            "cached": sum(1 for r in mine if r["tr"] == 0),
            "paths": [p for p, _ in served],
            "ms_nav": bench.get("first"),
            "ms_engine": (bench.get("first") or 0) - first_fetch,
            "ms_done": bench.get("done"),
            "hits": data["hits"], "summary": data["summary"], "error": data["error"] or bench.get("error"),
            "total": bench.get("total"), "urls": bench.get("urls"),
        }


def gzip_size(site: Path, paths: list[str]) -> int:
    total = 0
    for path in paths:
        file = site / path.lstrip("/")
        if file.is_file():
            total += len(gzip.compress(file.read_bytes(), 6))
    return total


def browser_queries(browser: Browser, server: Any, site: Path, queries: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = []
    for category, query in queries:
        ours = browser.load(server, f"/search/index.html?q={quote(query)}", "/search/")
        pf = browser.load(server, f"/pagefind-test.html?q={quote(query)}", "/pagefind/")
        for r in (ours, pf):
            r["gzip"] = gzip_size(site, r["paths"])
        match = re.search(r"\d+", ours["summary"] or "")
        ours["total"] = int(match.group(0)) if match else 0
        rows.append({"category": category, "query": query, "ours": ours, "pagefind": pf})
        log(f"  {query!r}: ours {ours['total']} hits {ours['bytes']/1024:.0f} KB {ours['ms_engine']:.0f} ms | "
            f"pagefind {pf['total']} hits {pf['bytes']/1024:.0f} KB {pf['ms_engine']:.0f} ms"
            + (f" | ERROR {ours['error'] or pf['error']}" if ours["error"] or pf["error"] else ""))
    return rows


# ------------------------------------------------------------------ CLI
def cli_inprocess(argv: list[str]) -> tuple[float, str]:
    sys.path.insert(0, str(ROOT))
    import publish  # noqa: PLC0415

    buffer = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(buffer):
        code = publish.main(argv)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"publish.py {' '.join(argv)} exited {code}: {buffer.getvalue()[:500]}")
    return elapsed, buffer.getvalue()


def search_argv(query: str, content: Path, settings: Path, as_of: str, limit: int = 10) -> list[str]:
    return ["search", query, "--content", str(content), "--settings", str(settings), "--as-of", as_of,
            "--json", "--limit", str(limit)]


def cli_latency(queries: list[str], content: Path, settings: Path) -> dict[str, Any]:
    process, inproc = [], []
    cmd = [PY, str(ROOT / "publish.py")]
    started = time.perf_counter()  # the first search after the build writes the whoosh index
    subprocess.run(cmd + search_argv(queries[0], content, settings, AS_OF), cwd=ROOT, capture_output=True, check=True)
    first = time.perf_counter() - started
    cli_inprocess(search_argv(queries[0], content, settings, AS_OF))  # warm: imports, page cache
    for query in queries:
        started = time.perf_counter()
        subprocess.run(cmd + search_argv(query, content, settings, AS_OF), cwd=ROOT, capture_output=True, check=True)
        process.append(time.perf_counter() - started)
        inproc.append(cli_inprocess(search_argv(query, content, settings, AS_OF))[0])
    return {"process": process, "inprocess": inproc, "queries": queries, "first": first}


# ------------------------------------------------------------------ relevance
def relevance_set() -> list[tuple[str, str, list[str]]]:
    """RELEVANCE from tests/search/test_search_relevance.py, read without importing pytest."""
    import ast

    source = (ROOT / "tests" / "search" / "test_search_relevance.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    names: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(Exception):
                names[node.targets[0].id] = eval(compile(ast.Expression(node.value), "<rel>", "eval"), {}, dict(names))  # noqa: S307
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "RELEVANCE":
            return eval(compile(ast.Expression(node.value), "<rel>", "eval"), {}, dict(names))  # noqa: S307
    raise SystemExit("RELEVANCE not found in tests/search/test_search_relevance.py")


def metrics(ranked: list[str], relevant: list[str]) -> tuple[float, float]:
    """As in the relevance test: recall in the first 5 (out of at most 5), reciprocal rank of the first relevant."""
    recall = len(set(ranked[:5]) & set(relevant)) / min(5, len(relevant))
    rank = next((i + 1 for i, doc in enumerate(ranked) if doc in relevant), None)
    return recall, (1.0 / rank if rank else 0.0)


def url_to_id(site: Path, url: str) -> str | None:
    match = re.match(r"^/?documents/([^/]+)/(?:v(\d+)/)?(?:index\.html)?$", urlparse(url).path)
    if not match:
        return None
    doc, version = match.group(1), match.group(2)
    if version is None:
        return doc
    versions = [int(p.name[1:]) for p in (site / "documents" / doc).glob("v*") if p.name[1:].isdigit()]
    return doc if versions and int(version) == max(versions) else f"{doc}@v{version}"


def relevance(browser: Browser, pagefind: str, pages: str, depth: int = 20) -> dict[str, Any]:
    settings = settings_file("embedded")
    content = WORK / "embedded-content"
    site = WORK / "site-embedded"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(ROOT / "content", content)
    build(content, site, AS_OF_RELEVANCE, settings)
    run_pagefind(pagefind, site, pages)
    write_pagefind_page(site)
    rows = []
    with serve(site) as server:
        for category, query, relevant in relevance_set():
            _, text = cli_inprocess(search_argv(query, content, settings, AS_OF_RELEVANCE, depth))
            ours = [hit["id"] for hit in json.loads(text)["hits"]]
            got = browser.load(server, f"/pagefind-test.html?q={quote(query)}&n={depth}", "/pagefind/")
            pf: list[str] = []
            for url in got["urls"] or []:
                doc = url_to_id(site, url)
                if doc and doc not in pf:
                    pf.append(doc)
            r_ours, rr_ours = metrics(ours, relevant)
            r_pf, rr_pf = metrics(pf, relevant)
            rows.append({"category": category, "query": query, "relevant": relevant, "ours": ours[:5], "pagefind": pf[:5],
                         "recall_ours": r_ours, "rr_ours": rr_ours, "recall_pf": r_pf, "rr_pf": rr_pf,
                         "pf_total": got["total"], "pf_error": got["error"]})
    n = len(rows)
    return {
        "queries": n, "rows": rows,
        "ours": {"recall5": sum(r["recall_ours"] for r in rows) / n, "mrr": sum(r["rr_ours"] for r in rows) / n},
        "pagefind": {"recall5": sum(r["recall_pf"] for r in rows) / n, "mrr": sum(r["rr_pf"] for r in rows) / n},
        "by_category": {
            c: {"n": sum(1 for r in rows if r["category"] == c),
                "ours": statistics.mean(r["rr_ours"] for r in rows if r["category"] == c),
                "pagefind": statistics.mean(r["rr_pf"] for r in rows if r["category"] == c)}
            for c in dict.fromkeys(r["category"] for r in rows)},
    }


# ------------------------------------------------------------------ corpus-specific queries
def corpus_queries(corpus: Path) -> list[tuple[str, str]]:
    """A document number and an English title word taken from the generated corpus (deterministic)."""
    manifest = json.loads((corpus / "MANIFEST.json").read_text(encoding="utf-8"))
    probe = (corpus / manifest["probe"]).read_text(encoding="utf-8")
    extra = []
    number = re.search(r"^doc_number:\s*(.+)$", probe, re.M)
    if number:
        full = number.group(1).strip().strip("'\"")
        extra.append(("number", full))
        short = re.search(r"〔\d{4}〕\d+号", full)
        if short:
            extra.append(("number", short.group(0)))
    words: dict[str, int] = {}
    for path in sorted(corpus.rglob("*.md"))[:2000]:
        match = re.search(r"^title_en:\s*(.+)$", path.read_text(encoding="utf-8"), re.M)
        if match:
            for word in re.findall(r"[A-Za-z]{6,}", match.group(1)):
                words[word.lower()] = words.get(word.lower(), 0) + 1
    if words:
        extra.append(("english", sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[min(3, len(words) - 1)][0]))
    return extra


# ------------------------------------------------------------------ report
def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(r: dict[str, Any]) -> str:
    b, pf, sizes, rows, cli, rel = r["build"], r["pagefind"], r["sizes"], r["browser"], r["cli"], r["relevance"]
    col = lambda key, eng: [row[eng][key] for row in rows if not row[eng]["error"]]  # noqa: E731
    lines = [
        f"## Our search vs Pagefind {pf['version'].split()[-1]} ({pf['binary']}) — {r['count']:,} generated documents",
        "",
        f"Site: {r['pages']:,} document pages indexed by Pagefind, {r['records']:,} search records of ours; "
        f"as of {AS_OF}; {len(rows)} typical queries; machine load {r['load']:.2f}. "
        + ("Pagefind indexed the same pages as our records (current version at `documents/<id>/`, older "
           "versions at `v<N>/`)" if pf.get("selection", "records") == "records" else
           "Pagefind indexed every `documents/<id>/` and `documents/<id>/v<N>/` page (the current version twice)")
        + ", `main` less breadcrumb and table of contents. "
        "Bytes: response bodies under `/search/` or `/pagefind/` counted by the server, per query with an empty "
        "cache (scripts included; the page HTML and site CSS not), uncompressed (`http.server`); the gzip row "
        "compresses the same files (Pagefind's index files are gzip already). Browser time: from the request "
        "of the engine's script (`search.js`, `pagefind.js`) to 10 results on screen.",
        "",
        "| | ours | Pagefind |",
        "| --- | ---: | ---: |",
        f"| index build time | {b['write_search']:.1f} s in the build (export {b['export']:.1f} s; whole build "
        f"{b['build']:.1f} s); the CLI's whoosh index, on its first search: {cli.get('first', 0.0):.1f} s | {pf['wall']:.1f} s |",
        f"| total index size on disk | {kb(sizes['ours'])} ({sizes['ours_files']:,} files) | {kb(sizes['pagefind'])} "
        f"({sizes['pagefind_files']:,} files; {kb(sizes['pagefind_ui'])} of it UI bundles) |",
        f"| bytes per query, median / max | {kb(med(col('bytes', 'ours')))} / {kb(max(col('bytes', 'ours')))} | "
        f"{kb(med(col('bytes', 'pagefind')))} / {kb(max(col('bytes', 'pagefind')))} |",
        f"| bytes per query gzip (est.), median / max | {kb(med(col('gzip', 'ours')))} / {kb(max(col('gzip', 'ours')))} | "
        f"{kb(med(col('gzip', 'pagefind')))} / {kb(max(col('gzip', 'pagefind')))} |",
        f"| requests per query, median / max | {med(col('requests', 'ours')):.0f} / {max(col('requests', 'ours'))} | "
        f"{med(col('requests', 'pagefind')):.0f} / {max(col('requests', 'pagefind'))} |",
        f"| browser: engine script → first 10 results, median / max | {med(col('ms_engine', 'ours')):.0f} / "
        f"{max(col('ms_engine', 'ours')):.0f} ms | {med(col('ms_engine', 'pagefind')):.0f} / {max(col('ms_engine', 'pagefind')):.0f} ms |",
        f"| browser: navigation → first results, median | {med(col('ms_nav', 'ours')):.0f} ms (site page) | "
        f"{med(col('ms_nav', 'pagefind')):.0f} ms (bare page) |",
        f"| CLI `publish.py search --json`, median (warm) | {med(cli['process']) * 1000:.0f} ms per process; "
        f"{med(cli['inprocess']) * 1000:.0f} ms in-process | — |",
        f"| recall@5 (embedded corpus, {rel['queries']} queries) | {rel['ours']['recall5']:.3f} | {rel['pagefind']['recall5']:.3f} |",
        f"| MRR (same) | {rel['ours']['mrr']:.3f} | {rel['pagefind']['mrr']:.3f} |",
        "",
        "Per query (hits found · KB fetched · requests · ms from engine script to results):",
        "",
        "| query | ours | Pagefind |",
        "| --- | --- | --- |",
    ]
    for row in rows:
        cells = []
        for eng in ("ours", "pagefind"):
            x = row[eng]
            cells.append("error: " + str(x["error"])[:80] if x["error"] else
                         f"{x['total']} · {x['bytes'] / 1024:.0f} KB · {x['requests']} · {x['ms_engine']:.0f} ms")
        lines.append(f"| {row['query']} ({row['category']}) | {cells[0]} | {cells[1]} |")
    lines += ["", "MRR by category of the relevance set:", "", "| category | n | ours | Pagefind |", "| --- | ---: | ---: | ---: |"]
    for cat, v in rel["by_category"].items():
        lines.append(f"| {cat} | {v['n']} | {v['ours']:.2f} | {v['pagefind']:.2f} |")
    misses = [x for x in rel["rows"] if x["rr_ours"] < 1]
    if misses:
        lines += ["", "Relevance queries where our first result is not relevant:", ""]
        lines += [f"- `{x['query']}`: rr {x['rr_ours']:.2f}, top {x['ours'][:3]} (expected {x['relevant'][:2]})" for x in misses]
    lines += ["", f"Command: `{r['command']}`", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=None, help="use the first N typical queries")
    parser.add_argument("--pagefind", help="the Pagefind binary (default: pagefind_extended in /tmp/pfvenv)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    parser.add_argument("--reuse", action="store_true", help="reuse the built site and Pagefind index of a previous run")
    parser.add_argument("--skip-relevance", action="store_true")
    parser.add_argument("--pagefind-pages", choices=["records", "all"], default="records",
                        help="records: the pages our search has records for (default); all: every "
                             "documents/<id>/ and documents/<id>/v<N>/ page (the current version twice)")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    pagefind = find_pagefind(args.pagefind)
    settings = settings_file(str(args.count))
    corpus = generate(args.count)
    site = WORK / f"site-{args.count}"
    saved = WORK / f"site-{args.count}-timings.json"
    load = os.getloadavg()[0]
    if args.reuse and saved.exists() and (site / "pagefind").exists() and (settings.parent / ".cache").exists():
        timings = json.loads(saved.read_text())
        if timings["pagefind"].get("selection") != args.pagefind_pages:
            timings["pagefind"] = run_pagefind(pagefind, site, args.pagefind_pages)
            saved.write_text(json.dumps(timings))
        build_t, pf = timings["build"], timings["pagefind"]
    else:
        build_t = build(corpus, site, AS_OF, settings)
        pf = run_pagefind(pagefind, site, args.pagefind_pages)
        saved.write_text(json.dumps({"build": build_t, "pagefind": pf}))
    write_pagefind_page(site)
    sizes = index_sizes(site)
    records = len(list((site / "search" / "d").glob("*.json")))

    queries = BASE_QUERIES + corpus_queries(corpus)
    if args.queries:
        queries = queries[: args.queries]
    log(f"{len(queries)} queries: {[q for _, q in queries]}")

    browser = Browser(args.chromium, args.chromedriver)
    try:
        with serve(site) as server:
            rows = browser_queries(browser, server, site, queries)
        log("CLI latency")
        cli = cli_latency([q for _, q in queries], corpus, settings)
        if args.skip_relevance:
            rel = {"queries": 0, "rows": [], "ours": {"recall5": float("nan"), "mrr": float("nan")},
                   "pagefind": {"recall5": float("nan"), "mrr": float("nan")}, "by_category": {}}
        else:
            log("relevance over the embedded corpus")
            rel = relevance(browser, pagefind, args.pagefind_pages)
    finally:
        browser.close()

    command = "bench/search/pagefind_compare.py " + " ".join(sys.argv[1:])
    result = {"count": args.count, "build": build_t, "pagefind": pf, "sizes": sizes, "browser": rows, "cli": cli,
              "relevance": rel, "load": load, "pages": pf.get("pages", 0), "records": records,
              "command": f".venv/bin/python {command.strip()}"}
    text = report(result)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    md = OUT / "search-vs-pagefind.md"
    previous = md.read_text(encoding="utf-8") if md.exists() else ""
    # one section per count: replace this count's section, keep the others
    sections = [s for s in re.split(r"(?m)^(?=## Our search vs Pagefind)", previous) if s.strip()]
    sections = [s for s in sections if f"— {args.count:,} generated documents" not in s.splitlines()[0]]
    md.write_text("\n".join(s.rstrip() + "\n" for s in [*sections, text]), encoding="utf-8")
    (OUT / f"search-vs-pagefind-{args.count}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1),
                                                                encoding="utf-8")
    log(f"saved {md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
