"""The Pelican generator: renders the site model with the theme's templates.

Writes every HTML page of :class:`~.pages.SiteModel`, the Atom feeds, ``sitemap.xml``
and the JSON/CSV export.  Everything comes from ``BuildState.public``.

Settings read (all optional): ``SITE_LANGUAGE`` ("zh"/"en"), ``SITEURL`` (absolute
URLs in feeds, sitemap and the 404 page), ``TIMEZONE`` (feed timestamps),
``DISCLOSURE_PER_PAGE`` (list page size, 20), ``DISCLOSURE_EXTRA_PAGES`` (files other
plugins write, e.g. ``ledger/index.html``, ``search/index.html``, ``search/search.js``:
templates link to optional pages only when they are listed or generated here).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from pelican.generators import Generator

from disclosure.document import DocType
from disclosure.effectiveness import Status
from disclosure.export import KeptLines, export_records, export_texts
from disclosure.files import path_key

from .feeds import atom_feed, feed_entries, feed_specs
from .forked import Forked, can_fork
from .incremental import Answers, PageQuestions, PageReuse, global_digest, templates_digest
from disclosure.progress import Progress
from .tasks_csv import tasks_csv
from .labels import labels_for
from .pages import DEFAULT_PER_PAGE, SITEMAP, SiteModel
from .quick import BuildRecorder, ComparedTemplate, HoledTemplate
from .printed import MarkedTemplate, PrintedMarker, iso
from .sitemap import sitemap_xml
from .search_export import start_output
from .state import BuildState


#: From this many pages, a rebuild fingerprints and links half of them in a forked process.
PARALLEL_REUSE_MIN = 2000


def _write_text(output_path: str, name: str, text: str) -> None:
    path = Path(output_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


class _Memo:
    """``memo(key, macro, *args)`` in a template: ``macro(*args)``, rendered once per build
    for each ``key``.  For parts of many pages whose output the key (with the build's
    globals) decides: the header and footer (``_chrome.html``).  (Rows of document
    tables were tried too: no faster, since a row is about as cheap as the call.)
    What the macro asked (``has_page``) counts as asked by every page that uses it."""

    def __init__(self, questions: PageQuestions) -> None:
        self._done: dict[tuple, tuple[Markup, Answers]] = {}
        self._questions = questions

    def __call__(self, key: tuple, macro: Callable[..., Markup], *args: object) -> Markup:
        done = self._done.get(key)
        if done is None:
            done = self._done[key] = self._questions.apart(lambda: macro(*args))
        html, asked = done
        self._questions.note(asked)
        return html


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates, kept in the cache between builds: compiling the theme's
    took 0.1–0.2 s of every build.  Jinja compiles a template again when its source
    changed; a folder of its own for each :func:`~.incremental.templates_digest` covers
    what else the compiled code depends on.  Folders unused for a week are deleted; a
    compiled template that cannot be written is compiled again next time."""

    UNUSED_DAYS = 7

    @classmethod
    def for_settings(cls, cache_dir: Path, settings: dict) -> "CompiledTemplates":
        folder = cache_dir / f"templates-{templates_digest(settings)[:16]}"
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # (in use: not deleted by another build)
        old = time.time() - cls.UNUSED_DAYS * 86400
        for other in cache_dir.glob("templates-*"):
            try:
                if other != folder and other.stat().st_mtime < old:
                    shutil.rmtree(other, ignore_errors=True)
            except OSError:
                pass
        return cls(str(folder))

    def dump_bytecode(self, bucket) -> None:  # type: ignore[no-untyped-def]
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class DisclosureGenerator(Generator):
    """Loads (or receives) the checked corpus and writes every page of the site."""

    bodies_up_front = True
    """Whether the model renders every body before the pages (False: as pages ask, for a
    rebuild that renders a few: :mod:`.relist`)."""
    file_names: frozenset[str] | None = None
    """Every file of the site, when the caller knows them (:mod:`.relist`)."""

    def generate_context(self) -> None:
        # Raises ContentError before anything is written when the content has errors.
        self.state = BuildState.from_settings(self.settings)
        language = self.settings.get("SITE_LANGUAGE", "zh")
        self.model = SiteModel(
            self.state,
            language=language,
            per_page=self.settings.get("DISCLOSURE_PER_PAGE", DEFAULT_PER_PAGE),
            extra_pages=self.settings.get("DISCLOSURE_EXTRA_PAGES", ()),
            siteurl=self.settings.get("SITEURL", "") or "",
            bodies_up_front=self.bodies_up_front, file_names=self.file_names,
        )
        # Every value a template prints is escaped unless it is Markup (sanitized
        # bodies, diffs).  Pelican's default environment does not autoescape, so we
        # switch it on here, before any template is compiled, whatever the settings say.
        self.env.autoescape = True
        # A build renders each template thousands of times and the theme does not change
        # while it runs: no modification time asked for each one at every page (with
        # ``extends`` and ``import``, three per page: half a second at 10,000 documents).
        self.env.auto_reload = False
        if self.state.cache_dir is not None:
            self.env.bytecode_cache = CompiledTemplates.for_settings(self.state.cache_dir, self.settings)
        self.context["DISCLOSURE"] = self.state
        model = self.model
        self.questions = PageQuestions(model.has_page)  # what each page asks is kept with its fingerprint
        self.env.globals.update({
            "L": labels_for(language),
            "as_of": self.state.as_of,
            "DocType": DocType,
            "Status": Status,
            "has_page": self.questions,
            "type_label": model.type_label,
            "status_label": model.status_label,
            "site_url": model.siteurl,
            "feed_names": model.feed_names(),
            "memo": _Memo(self.questions),
        })
        self.env.filters["iso"] = iso
        self.printed = PrintedMarker(self.env)
        self.env.filters["fmt"] = PrintedMarker.fmt
        self.env.globals["row_place"] = self.printed.row

    def generate_output(self, writer) -> None:  # type: ignore[no-untyped-def]
        model = self.model
        # The search export needs only the public corpus: on a large site it runs in a
        # forked process while this one writes the pages (in a rebuild it is what the build
        # waits for last).  Started by the build already when it renders next to no body.
        started = self.state.output_start
        if started is not None and started.reuse.staging != Path(self.output_path):
            if started.search is not None:  # (not this generator's output)
                started.search.cancel()
            started = None
        if started is None:
            previous = self.settings.get("DISCLOSURE_PREVIOUS_OUTPUT")
            started = start_output(self.state, Path(previous) if previous else None, Path(self.output_path))
        reuse, search = started
        try:
            reuse.global_key = global_digest(Path(self.theme), self.settings, labels_for(model.language), self.state.as_of)
            reuse.exists = model.has_page
            css = Path(self.theme, "static", "css", "site.css").read_text(encoding="utf-8")
            recorder = self.state.recorder = BuildRecorder(page_names=[page.name for page in model.pages],
                                                           file_names=model.file_names)
            # Where titles, numbers, … are printed: for the quick rebuild after an edit of one,
            # which only a build with the cache (that leaves its snapshot) can make, and only
            # when every page is ours (another plugin's pages, DISCLOSURE_EXTRA_PAGES, may print them).
            self.printed.on = recorder.printed_known = self.state.parse_cache is not None and not model.extra_pages
            self.printed.used = recorder.fields_used
            for page in model.pages:
                if page.template == "document":
                    recorder.document_pages.setdefault(page.doc_id, []).append(page.name)
                elif page.template == "compare":
                    recorder.compare_pages.setdefault(page.doc_id, []).append(page.name)
            with Progress("pages", len(model.pages)) as progress:
                self._write_pages(model.pages, writer, reuse, css, progress.advance)
            self.state.page_reuse = reuse  # saved by the build once the new output is in place
            for name, text in self.feed_texts(recorder.feeds):
                _write_text(self.output_path, name, text)
            _write_text(self.output_path, SITEMAP, self.sitemap_text())
            self.model.bodies.prune()
            self._write_records()
            # Before waiting for the search export: in a rebuild it is what the build waits for last.
            for name, text in self.data_texts():
                _write_text(self.output_path, name, text)
            if search is not None:
                written = search.finish()
                self.state.unchanged_files, recorder.search_size = written.unchanged, written.postings_size
                recorder.search_generation = written.generation
                reuse.files = written.digests or {}
        except BaseException:
            if search is not None:
                search.cancel()
            raise

    def _write_pages(self, pages: list, writer, reuse: PageReuse, css: str,  # type: ignore[no-untyped-def]
                     advance: Callable[[], None]) -> None:
        """Write ``pages``, or link them from the previous output when nothing they show changed.

        Pages are rendered in this process: on two cores the other one is busy with the
        search export during a full build (measured: writing every other page in a second
        process made 1,000- and 5,000-document builds 17–23% slower).  When there is a
        previous output, a forked process fingerprints and links the second half of the
        pages meanwhile (after one edit, nearly every page is reused and the export is
        short): it leaves this process only the pages that changed."""
        def context_of(page) -> dict:  # type: ignore[no-untyped-def]
            return self.page_context(page, css)

        def fingerprinted(page, local: dict) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
            return page.name, {"template": page.template, **local}  # what the page's fingerprint covers

        def render(page, local: dict) -> None:  # type: ignore[no-untyped-def]
            reuse.rendered_page(page.name, self.questions.render(lambda: self.render_page(page, local, writer)))

        if reuse.fingerprinting:
            # A document's pages whose inputs are the previous build's are reused at once:
            # neither their contexts nor their fingerprints are made (most of a rebuild's).
            verifying = bool(os.environ.get("DISCLOSURE_VERIFY_REUSE"))
            digest = reuse.fingerprinter.input_digest
            remaining = []
            for page in pages:
                if page.inputs is not None and reuse.reuse_by_inputs(
                        page.name, page.template, page.inputs(digest),
                        (lambda p=page: reuse.key(*fingerprinted(p, context_of(p)))) if verifying else None):
                    advance()
                else:
                    remaining.append(page)
            pages = remaining
        mine, theirs, helper = pages, [], None
        if reuse.has_previous and len(pages) >= PARALLEL_REUSE_MIN and can_fork():
            half = len(pages) // 2
            mine, theirs = pages[:half], pages[half:]
            helper = Forked(lambda: reuse.reuse_all(fingerprinted(p, context_of(p)) for p in theirs), "page reuse")
        try:
            for page in mine:
                advance()
                local = context_of(page)
                if not reuse.try_reuse(*fingerprinted(page, local)):
                    render(page, local)
            if helper is not None:
                to_render = reuse.merge(helper.result())
                for page in theirs:
                    advance()
                    if page.name in to_render:
                        render(page, context_of(page))
        except BaseException:
            if helper is not None:
                helper.cancel()
            raise

    @staticmethod
    def page_context(page, css: str) -> dict:  # type: ignore[no-untyped-def]
        """What ``page``'s template gets besides Pelican's context (``css``: the theme's stylesheet,
        inlined in pages served at unknown depths)."""
        extra = {"inline_css": Markup(css)} if page.root_override is not None else {}
        return {"root": page.root, "page_name": page.name, **page.context, **extra}

    def render_page(self, page, local: dict, writer) -> None:  # type: ignore[no-untyped-def]
        """Write ``page`` with its context ``local`` (:meth:`page_context`), noting in the
        state's recorder where it prints titles, numbers and bodies (see .quick)."""
        recorder = self.state.recorder
        if "facets" in local:  # (their counts noted too: a topic edit changes two of them, :mod:`.relist`)
            local = {**local, "facets": self.printed.facets(local["facets"])}
        elif page.template == "doc_list":  # (so is the list's: all an edit changes on the pages before its place)
            local = {**local, "total": self.printed.list_total(local["total"])}
        elif page.template == "ledger":  # (and the ledger's by status: an edit of a document's dates changes two)
            local = {**local, "view": self.printed.ledger_counts(local["view"])}
        template = MarkedTemplate(self.get_template(page.template), page.name, self.printed, recorder.printed)
        if page.template == "document":  # its body is a hole, filled after rendering (see .quick)
            template = HoledTemplate(template, page.name, local, recorder.holes, recorder.printed)
        elif page.template == "compare":  # so are its difference and counts
            template = ComparedTemplate(template, page.name, local, recorder.compares, recorder.printed)
        writer.write_file(page.name, template, self.context, relative_urls=True, **local)

    def feed_texts(self, entries: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
        """Each Atom feed's name and text; the feeds listing each document noted in ``entries``."""
        model = self.model
        labels = labels_for(model.language)
        for spec in feed_specs(model.listings["type"], self.state.public.documents, labels["all_documents"]):
            for doc in feed_entries(spec):
                entries.setdefault(doc.id, []).append(spec.name)
            yield spec.name, atom_feed(
                spec, site_name=self.settings.get("SITENAME", ""), organ=self.state.config.organ_code,
                siteurl=model.siteurl, zone=self.settings.get("TIMEZONE") or "UTC", fallback_date=self.state.as_of,
                statuses=model.statuses, language=model.language, type_label=model.type_label,
                status_label=model.status_label)

    def sitemap_text(self) -> str:
        model = self.model
        return sitemap_xml(((p.url, p.lastmod) for p in model.pages if p.in_sitemap), model.siteurl)

    def data_texts(self) -> list[tuple[str, str]]:
        """The data export's files (name, text); the lines kept for the next build saved."""
        records = export_records(self.state.public, self.state.as_of, self.model.statuses)
        cache_dir = self.state.cache_dir
        kept = KeptLines(cache_dir / f"export-{path_key(self.state.content_dir)}.marshal") if cache_dir else None
        documents_json, documents_csv = export_texts(records, self.state.as_of, kept)
        if kept is not None:
            kept.save()
        return [(os.path.join("data", "documents.json"), documents_json),
                (os.path.join("data", "documents.csv"), documents_csv)]

    def _write_records(self) -> None:
        """The ledger's public view and the annual reports' tables, beside their pages."""
        from disclosure.ledger import write_ledger_csv, write_ledger_json
        from disclosure.report import write_csv, write_json

        records = self.state.records
        out = Path(self.output_path)
        if records.ledger_view is not None:
            write_ledger_csv(records.ledger_view["rows"], out / "ledger" / "ledger.csv")
            write_ledger_json(records.ledger_view, out / "ledger" / "ledger.json")
        for doc_id, table in sorted(records.tasks.items()):
            _write_text(self.output_path, f"documents/{doc_id}/tasks/tasks.csv", tasks_csv(table))
        for year, report in sorted(records.reports.items()):
            folder = out / "annual-report" / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            write_csv(report, folder)
            write_json(report, folder / f"annual-report-{year}.json")
