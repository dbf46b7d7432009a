#!/usr/bin/env python3
"""Command line of the disclosure publisher: check, build, serve and edit content.

Every command takes --content, --output and --as-of; see `python publish.py --help`.
Exit codes: 0 success, 1 content or build errors, 2 wrong command-line usage.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure.config import ConfigurationError, SiteConfig, read_settings_file, resolve_as_of  # noqa: E402
from disclosure.corpus import load_corpus  # noqa: E402
from disclosure.document import DocType  # noqa: E402
from disclosure.problems import Severity, has_errors, problems_to_json, sorted_problems  # noqa: E402


class UserError(Exception):
    """A mistake the user can fix; printed without a traceback, exit 1."""


def _config(args: argparse.Namespace) -> SiteConfig:
    try:
        return SiteConfig.from_settings(read_settings_file(args.settings))
    except ConfigurationError as error:
        raise UserError(str(error)) from None


def _as_of(args: argparse.Namespace) -> date:
    try:
        return resolve_as_of(args.as_of)
    except ValueError as error:
        raise UserError(str(error)) from None


def _cache_dir(args: argparse.Namespace) -> Path:
    """Caches live beside the settings file, in .cache/ (git-ignored), or where
    ``DISCLOSURE_CACHE_DIR`` says (a CI job's kept folder; the tests' temporary one)."""
    chosen = os.environ.get("DISCLOSURE_CACHE_DIR")
    return Path(chosen).resolve() if chosen else Path(args.settings).resolve().parent / ".cache"


def _print_problems(problems, fmt: str = "text") -> None:  # type: ignore[no-untyped-def]
    if fmt == "json":
        print(problems_to_json(problems))
        return
    for problem in sorted_problems(problems):
        print(problem.format())


def _summary(problems) -> str:  # type: ignore[no-untyped-def]
    counts = {s: sum(p.severity is s for p in problems) for s in Severity}
    return f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} note(s)"


def cmd_check(args: argparse.Namespace) -> int:
    from disclosure.check import check_content

    result = check_content(Path(args.content), _config(args), _as_of(args), None if args.no_cache else _cache_dir(args))
    problems = result.problems
    shown = [p for p in problems if args.verbose or p.severity is not Severity.INFO]
    _print_problems(shown, args.format)
    if args.format == "text":
        print(f"{result.files} file(s) checked: {_summary(problems)}", file=sys.stderr)
    return 1 if has_errors(problems, strict=args.strict) else 0


def cmd_build(args: argparse.Namespace) -> int:
    if args.verbose:
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        quick_log = logging.getLogger("disclosure_pelican.quick")
        quick_log.addHandler(handler)
        quick_log.setLevel(logging.DEBUG)
    status = _build(args, use_cache=not args.no_cache)
    if status == 0:
        print(f"Preview: python publish.py serve --output {args.output}  (then open http://127.0.0.1:8000/)")
    return status


def _build(args: argparse.Namespace, *, use_cache: bool) -> int:
    """Build and say what happened (or what is wrong); the exit status."""
    from disclosure_pelican.build import BuildError, ContentError, build_site
    from disclosure_pelican.printed import LISTED_FIELDS, PRINTED_FIELDS, UNPRINTED_FIELDS
    from disclosure_pelican.quick import RESTATED_FIELDS

    as_of = _as_of(args)
    try:
        cache = _cache_dir(args) if use_cache else None
        result = build_site(Path(args.content), Path(args.output), as_of, Path(args.settings), cache)
    except ContentError as error:
        _print_problems([p for p in error.problems if p.severity is not Severity.INFO])
        print(f"Build refused: {_summary(error.problems)}; nothing was written.", file=sys.stderr)
        return 1
    except (BuildError, ConfigurationError) as error:
        state = ("The output was partly updated: the next build makes it whole again." if getattr(error, "partial", False)
                 else "The previous output is unchanged.")
        print(f"Build failed: {error}\n{state}", file=sys.stderr)
        return 1
    if result.quick is not None and not result.quick.paths:
        print(f"Nothing changed since the last build of {args.output}/ ({result.quick.public} public document(s) "
              f"as of {as_of}, {result.files} files).", flush=True)
        return 0
    if result.quick is not None:
        edited = result.quick.paths
        fields = {name for names in result.quick.reprinted.values() for name in names}
        kind = " and ".join(name for name in (*PRINTED_FIELDS, *UNPRINTED_FIELDS, *LISTED_FIELDS, *RESTATED_FIELDS) if name in fields) or "body"
        article = "an" if kind[0] in "aeiou" else "a"
        what = f"{article} {kind} edit of {edited[0]}" if len(edited) == 1 else f"{kind} edits of {len(edited)} files ({', '.join(edited)})"
        print(f"Rebuilt {args.output}/ after {what}: {len(result.quick.written)} file(s) "
              f"updated, the other pages left as they were ({result.quick.public} public document(s) as of {as_of}).",
              flush=True)
        return 0
    public = len(result.state.public)
    reuse = result.state.page_reuse
    reused = f"; {reuse.reused} unchanged page(s) reused" if reuse is not None and reuse.reused else ""
    print(f"Built {public} public document(s) as of {as_of} into {args.output}/ ({result.files} files{reused}).", flush=True)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *values: object) -> None:  # noqa: A002 - the base class's name
            pass  # no line per request: the watcher's messages stay readable

    output = Path(args.output)
    watcher = None
    if args.watch:
        from disclosure_pelican.watch import Watcher, build_sources

        def rebuild() -> None:
            print("Change seen: building…", flush=True)
            _build(args, use_cache=True)

        # The first look is before the first build, so a save made during it is built next.
        watcher = Watcher(lambda: build_sources(Path(args.content), Path(args.settings)), rebuild, args.interval)
        _build(args, use_cache=True)  # problems are printed; the previous site (if any) is served meanwhile
    elif not (output / "index.html").exists():
        raise UserError(f"{output}/index.html not found: run `python publish.py build` first")
    handler = functools.partial(QuietHandler if args.watch else http.server.SimpleHTTPRequestHandler, directory=str(output))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        raise UserError(f"port {args.port}: {error.strerror or error}; choose another with --port") from None
    with server:
        print(f"Serving {output}/ at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
        if watcher is None:
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            return 0
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Watching {args.content}/, its ledger, {args.settings} and the theme: each change is built.", flush=True)
        try:
            watcher.run(threading.Event())
        except KeyboardInterrupt:
            pass
        server.shutdown()
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from disclosure.editing import EditError, scaffold

    doc_type = DocType(args.type)
    doc_id = args.id or f"{doc_type.value.replace('_', '-')}-{_as_of(args).isoformat()}"
    path = Path(args.content) / doc_type.value / f"{doc_id}.md"
    if path.exists():
        raise UserError(f"{path}: already exists (choose another --id)")
    try:
        text = scaffold(doc_type, doc_id, _as_of(args))
    except EditError as error:
        raise UserError(str(error)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path}: fill in the fields, then run `python publish.py check`.")
    return 0


def _document(args: argparse.Namespace, doc_id: str):  # type: ignore[no-untyped-def]
    result = load_corpus(Path(args.content), _config(args))
    doc = result.corpus.get(doc_id)
    if doc is None:
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        hint = f" ({len(errors)} file(s) have errors and were skipped: run `python publish.py check`)" if errors else ""
        raise UserError(f"no document with id '{doc_id}' in {args.content}/{hint}")
    return doc


def cmd_revise(args: argparse.Namespace) -> int:
    from disclosure.editing import EditError, revise

    doc = _document(args, args.id)
    try:
        path = revise(doc, _as_of(args))
    except EditError as error:
        raise UserError(str(error)) from None
    print(f"Created {path}: edit the text, its dates and change_note, then run `python publish.py check`.")
    return 0


def cmd_repeal(args: argparse.Namespace) -> int:
    from disclosure.editing import EditError, record_repeal

    _document(args, args.id)
    repealing = _document(args, args.by)
    try:
        path = record_repeal(repealing, args.id)
    except EditError as error:
        raise UserError(str(error)) from None
    print(f"Recorded in {path}: repeals {args.id} from {repealing.takes_effect}. {args.id}'s own file is unchanged.")
    return 0


def cmd_number(args: argparse.Namespace) -> int:
    from disclosure.editing import write_index_number

    result = load_corpus(Path(args.content), _config(args))
    if has_errors(result.problems):
        _print_problems([p for p in result.problems if p.severity is Severity.ERROR])
        raise UserError("fix the errors above first: index numbers depend on every document")
    written = []
    for doc in result.corpus:
        if not doc.index_number_assigned:
            written += write_index_number(doc)
            print(f"{doc.id}: {doc.index_number}")
    print(f"{len(written)} file(s) updated.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from disclosure_search import cli_search
    from disclosure_search.cache_files import search_files
    from disclosure_search.index import SearchIndexError, index_is_current, sync_index

    files = search_files(_cache_dir(args), Path(args.content))
    records, index = files.records, files.index
    if not records.exists():
        raise UserError(f"nothing to search for {args.content}/ yet: run `python publish.py build` first")
    # The build leaves the whoosh index to its first use: only what changed is indexed.
    from disclosure.progress import Progress

    if not index_is_current(records, index):
        print("Updating the search index from the last build…", file=sys.stderr, flush=True)
    with Progress("documents indexed", 0) as progress:
        try:
            stats = sync_index(records, index, progress)
        except SearchIndexError as error:
            raise UserError(str(error)) from error
    if stats is not None:
        print(f"  {stats.written} indexed, {stats.removed} removed, {stats.unchanged} unchanged.",
              file=sys.stderr, flush=True)
    code, text = cli_search(index, " ".join(args.query), args.type, args.status, args.year, args.json,
                            issuer=args.issuer, in_force_only=args.in_force, sort=args.sort, limit=args.limit)
    print(text)
    return code


def cmd_ledger(args: argparse.Namespace) -> int:
    from disclosure import ledger

    if args.ledger_command == "record":
        return ledger.run_record(Path(args.content), Path(args.ledger), _as_of(args), config=_config(args),
                                 corrections=args.correction, withdrawals=args.withdraw, git=not args.no_git)
    return ledger.run_verify(Path(args.content), Path(args.ledger), _as_of(args), config=_config(args),
                             git=args.git, fmt=args.format, head=args.head, strict=args.strict)


def cmd_report(args: argparse.Namespace) -> int:
    from disclosure.report.__main__ import main as report_main

    argv = [str(args.year), "--content", args.content]
    if args.as_of:
        argv += ["--as-of", args.as_of]
    argv += ["--out", args.out or str(Path(args.output) / "annual-report" / str(args.year))]
    return report_main(argv)


HOOK = """#!/bin/sh
# Installed by `python publish.py install-hook`: check the content before each commit.
exec "{python}" "{publish}" check --content "{content}"
"""


def cmd_install_hook(args: argparse.Namespace) -> int:
    import subprocess

    content = Path(args.content).resolve()
    try:
        git_dir = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=content, check=True,
                                 capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise UserError(f"{content} is not inside a git repository") from None
    hooks = (content / git_dir).resolve()
    hooks.mkdir(parents=True, exist_ok=True)
    hook = hooks / "pre-commit"
    if hook.exists() and "publish.py" not in hook.read_text(errors="replace"):
        raise UserError(f"{hook} exists and is not ours: merge it by hand")
    hook.write_text(HOOK.format(python=sys.executable, publish=ROOT / "publish.py", content=content))
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(f"Installed {hook}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", default="content", help="content folder (default: content)")
    common.add_argument("--output", default="output", help="output folder (default: output)")
    common.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                        help="date for effectiveness (default: SOURCE_DATE_EPOCH, else today)")
    common.add_argument("--settings", default=str(ROOT / "pelicanconf.py"), help="settings file (default: pelicanconf.py)")

    parser = argparse.ArgumentParser(prog="publish.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", parents=[common], help="report every problem in the content")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--verbose", action="store_true", help="also list notes (e.g. citations of numbers not in the corpus)")
    check.add_argument("--no-cache", action="store_true", help="read every file again (ignore .cache/)")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", parents=[common], help="check, then build the site into --output")
    build.add_argument("--no-cache", action="store_true", help="ignore and do not write .cache/ (the output is the same)")
    build.add_argument("--verbose", action="store_true",
                       help="say why a rebuild is not the quick one after a body edit (see README, Build outputs)")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", parents=[common], help="preview the built site on http://127.0.0.1:8000/")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--watch", action="store_true", help="build first, then build again whenever a source file changes")
    serve.add_argument("--interval", type=float, default=1.0, help="seconds between looks for changes (with --watch)")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", parents=[common], help="scaffold a document of TYPE")
    new.add_argument("type", choices=[t.value for t in DocType])
    new.add_argument("--id", help="the new document's id (default: TYPE-DATE)")
    new.set_defaults(func=cmd_new)

    rev = sub.add_parser("revise", parents=[common], help="start a new version of document ID")
    rev.add_argument("id")
    rev.set_defaults(func=cmd_revise)

    rep = sub.add_parser("repeal", parents=[common], help="record that document --by repeals ID")
    rep.add_argument("id")
    rep.add_argument("--by", required=True, metavar="OTHER", help="id of the repealing document")
    rep.set_defaults(func=cmd_repeal)

    sub.add_parser("number", parents=[common], help="write generated index numbers into the files").set_defaults(func=cmd_number)
    search = sub.add_parser("search", parents=[common], help="search the documents (the same ranking as the site)")
    search.add_argument("query", nargs="+")
    search.add_argument("--type", choices=[t.value for t in DocType])
    search.add_argument("--status", choices=["not_yet_effective", "effective", "amended", "partially_invalid", "repealed", "expired"])
    search.add_argument("--year", type=int)
    search.add_argument("--issuer")
    search.add_argument("--in-force", action="store_true", help="only documents in force")
    search.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--json", action="store_true", help="machine-readable results")
    search.set_defaults(func=cmd_search)

    ledger = sub.add_parser("ledger", help="the disclosure ledger: `ledger record` (editors), `ledger verify` (auditors)")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True, metavar="record|verify")
    ledger_options = argparse.ArgumentParser(add_help=False, parents=[common])
    ledger_options.add_argument("--ledger", default="ledger/ledger.jsonl", help="ledger file (default: ledger/ledger.jsonl)")
    rec = ledger_sub.add_parser("record", parents=[ledger_options], help="append the events the content shows and the ledger lacks")
    rec.add_argument("--correction", action="append", default=[], metavar='ID[#vN]="note"',
                     help="record a change of a published text, with the editor's note")
    rec.add_argument("--withdraw", action="append", default=[], metavar='ID[#vN]="reason"',
                     help="record the removal of a published document from the site")
    rec.add_argument("--no-git", action="store_true", help="do not look up commits")
    ver = ledger_sub.add_parser("verify", parents=[ledger_options], help="the auditor's check (exit 0 only when everything holds)")
    ver.add_argument("--git", action="store_true", help="also replay the content's git history")
    ver.add_argument("--format", choices=("text", "json"), default="text")
    ver.add_argument("--head", help="the head hash shown on the site, to detect removed trailing entries")
    ver.add_argument("--strict", action="store_true", help="the auditor's findings (late interpretations, expiring documents) fail too")
    ledger.set_defaults(func=cmd_ledger)

    report = sub.add_parser("report", parents=[common], help="compute the annual disclosure report of YEAR (tables, JSON, narrative)")
    report.add_argument("year", type=int)
    report.add_argument("--out", help="folder for the CSV/JSON/Markdown (default: OUTPUT/annual-report/YEAR)")
    report.set_defaults(func=cmd_report)

    sub.add_parser("install-hook", parents=[common], help="run `check` as a git pre-commit hook").set_defaults(func=cmd_install_hook)
    return parser


def main(argv: list[str] | None = None, *, process_ends: bool = False) -> int:
    """Run one command; ``process_ends``: the process ends with it (:func:`exit_at_once`)."""
    args = build_parser().parse_args(argv)
    if process_ends and args.command != "serve":
        import gc

        # A command keeps what it allocates until it ends, and its objects are never freed
        # one by one (:func:`exit_at_once`): the cyclic collector would only walk them
        # again and again (a third of a 10,000-document check; after a build, which
        # pauses it while it runs, everything the build made, once more).  ``serve``
        # runs builds for as long as it is left running: it collects.
        gc.disable()
    try:
        return args.func(args)
    except UserError as error:
        print(f"publish.py {args.command}: {error}", file=sys.stderr)
        return 1


def exit_at_once(status: int) -> None:
    """End the process with ``status`` as soon as what it printed is flushed.

    Python would otherwise free the command's objects one by one on the way out: a
    quarter to a third of a second of each pre-commit check on a 10,000-document site
    (measured), spent after the answer is known.  Nothing is lost: every file a command
    writes is complete before it returns (caches through ``keyed_store.replace_file``,
    the site through the build's swap), and no command leaves threads or processes
    that need waiting for."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a reader that went away (``| head``): nothing more can reach it
    os._exit(status)


if __name__ == "__main__":
    try:
        status = main(process_ends=True)
    except BrokenPipeError:  # the reader went away (`check | head`): not worth a traceback
        status = 1
    exit_at_once(status)
