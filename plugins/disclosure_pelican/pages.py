"""The site's pages as data: which files exist and what each template receives.

Pure: no Pelican import, so the page model is tested without a build.  Every page
is made from the public corpus only (``BuildState.public``): the full corpus is
never read here.

URLs (all relative to the site root; every page links with ``root`` + URL, so the
site works from any folder of any static host):

=============================================  =======================================
``index.html``                                 home
``register/index.html``                        register of documents in force
``register/repealed/index.html``               repealed normative documents and regulations
``register/expired/index.html``                expired ones
``catalogue/index.html``                       主动公开目录: every category with counts
``guide/index.html``                           disclosure guide
``search/index.html``                          search page (no-JS fallback: lists)
``types/<type>/[page/N/]index.html``           list per type, 20 per page, newest first
``years/<year>/[page/N/]index.html``           list per year of publication
``issuers/<slug>/[page/N/]index.html``         list per issuer
``topics/<slug>/[page/N/]index.html``          list per topic
``status/<status>/[page/N/]index.html``        list per status on the build date
``documents/<id>/index.html``                  the version in force
``documents/<id>/vN/index.html``               each version
``documents/<id>/vN/compare/index.html``       version N compared with N-1
``404.html``                                   not found
=============================================  =======================================
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from markupsafe import Markup
from unidecode import unidecode

from disclosure.citations import RawCitation
from disclosure.corpus import Corpus
from disclosure.diff import diff_html, diff_ops, diff_stats
from disclosure.document import DocType, Document, Version
from disclosure.effectiveness import Effectiveness, Status, status_on, version_in_force, version_status_on
from disclosure.files import path_key
from disclosure.render import plain_text
from disclosure.records import task_tables_of_year
from disclosure.render_cache import BodyCache
from disclosure.task_status import TaskState
from disclosure.tasks import department_view

from .labels import labels_for
from .page_text import DATA_FILES, LEDGER_FILES, LEDGER_PAGE, page_body_html, table_of_contents
from .state import BuildState

DEFAULT_PER_PAGE = 20
LATEST_ON_HOME = 5

KIND_DIRS = {"type": "types", "year": "years", "issuer": "issuers", "topic": "topics", "status": "status"}
"""Folder of each kind of list."""

REGISTER_TYPES = tuple(t for t in DocType if t.is_register_type)


def tasks_files(doc_id: str) -> tuple[str, ...]:
    return (f"documents/{doc_id}/tasks/tasks.csv",)


def report_files(year: int) -> tuple[str, ...]:
    """Data files of one annual report, beside its page."""
    folder = f"annual-report/{year}"
    return (*(f"{folder}/annual-report-{year}-table{n}.csv" for n in (2, 3, 4)), f"{folder}/annual-report-{year}.json")
SITEMAP = "sitemap.xml"


@dataclass
class Page:
    """One HTML file to write."""

    name: str
    """Output path relative to the output folder, e.g. ``documents/x/index.html``."""
    template: str
    given: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict, repr=False)
    """The template's context, or what makes it when first asked for (:attr:`context`)."""
    root_override: str | None = None
    """For pages served at unknown depths (404): the root to use instead of a relative one."""
    lastmod: date | None = None
    """For the sitemap: when the page's content last changed (None when unknown)."""
    in_sitemap: bool = True
    doc_id: str | None = None
    """The document a document page shows."""
    inputs: Callable[[Callable[[Any], str]], tuple[Any, ...]] | None = field(default=None, repr=False)
    """For a document's pages and list pages: everything its context is made from, as
    digests (:meth:`SiteModel.document_inputs`, :meth:`SiteModel.list_inputs`, given the
    digest function), so that a rebuild can tell the page unchanged without making or
    digesting its context."""

    @property
    def context(self) -> dict[str, Any]:
        """What the template gets.  A document's pages make theirs when first asked: in a
        rebuild, each of the two processes that share the pages then makes the contexts
        of its own half, and the pages found unchanged in the other half never need one."""
        given = self.given
        if not isinstance(given, dict):
            given = self.given = given()
        return given

    @property
    def root(self) -> str:
        """Relative path from this page to the site root ("" or "../…/")."""
        if self.root_override is not None:
            return self.root_override
        return "../" * self.name.count("/")

    @property
    def url(self) -> str:
        """The page's site-relative URL as a folder (``documents/x/``) or file name."""
        return self.name[: -len("index.html")] if self.name.endswith("index.html") else self.name


@dataclass(frozen=True)
class ListingHead:
    """A listing without its documents: what a page that links to it, or shows one of its
    pages, needs.  Such a page then depends on the documents it shows, not on every
    document of the listing (its fingerprint would change with any of their titles)."""

    kind: str
    """``type``, ``year``, ``issuer``, ``topic`` or ``status``."""
    key: str
    """The type or status code, the year, or the issuer's or topic's name."""
    slug: str
    label: str

    @property
    def url(self) -> str:
        return f"{KIND_DIRS[self.kind]}/{self.slug}/"

    @property
    def feed(self) -> str | None:
        return f"feeds/{self.key}.atom.xml" if self.kind == "type" else None


@dataclass(frozen=True)
class Listing(ListingHead):
    """A list of documents with its own pages: one type, year, issuer, topic or status."""

    documents: tuple[Document, ...]

    @cached_property  # one object, so a fingerprint digests it once (every document page shows its type's)
    def head(self) -> ListingHead:
        return ListingHead(self.kind, self.key, self.slug, self.label)


def newest_first(documents: Iterable[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (d.published, d.id), reverse=True)


def slugify(text: str) -> str:
    """An ASCII slug for a name (Chinese via its transliteration): ``国家知识产权局`` → ``guo-jia-zhi-shi-chan-quan-ju``."""
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
    return slug[:60].rstrip("-") or hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Slugs for ``names``; names whose slugs collide each get a short hash suffix."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        by_slug[slugify(name)].append(name)
    slugs = {}
    for slug, owners in by_slug.items():
        for name in owners:
            slugs[name] = slug if len(owners) == 1 else f"{slug}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
    return slugs


PAGE_LINK_WINDOW = 2
"""Pages linked on each side of the current one (besides the first and the last)."""


def page_links(names: list[str], current: int) -> list[tuple[int, str] | None]:
    """The pagination links of page ``current`` (1-based): the first and last pages and
    ``PAGE_LINK_WINDOW`` pages either side of the current one, ``None`` for each gap.

    A list of 6,000 documents has 300 pages; linking all of them from each one would
    put 300 links in every page's navigation (and 90,000 into the build).
    """
    shown = {1, len(names)} | set(range(current - PAGE_LINK_WINDOW, current + PAGE_LINK_WINDOW + 1))
    links: list[tuple[int, str] | None] = []
    for number in sorted(n for n in shown if 1 <= n <= len(names)):
        if links and links[-1] is not None and number > links[-1][0] + 1:
            links.append(None)
        links.append((number, names[number - 1]))
    return links


def paged_names(base: str, count: int, per_page: int) -> list[str]:
    """File names of the pages of a list of ``count`` items under ``base`` (``types/x/``)."""
    pages = max(1, -(-count // per_page))
    return [f"{base}index.html" if n == 1 else f"{base}page/{n}/index.html" for n in range(1, pages + 1)]


class SiteModel:
    """Computes the pages of one build."""

    def __init__(self, state: BuildState, *, language: str = "zh", per_page: int = DEFAULT_PER_PAGE,
                 extra_pages: Iterable[str] = (), siteurl: str = "", bodies_up_front: bool = True,
                 file_names: frozenset[str] | None = None) -> None:
        if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
            raise ValueError(f"DISCLOSURE_PER_PAGE: expected a whole number of 1 or more, got {per_page!r}")
        self.state = state
        self.public: Corpus = state.public
        self.as_of = state.as_of
        self.language = language
        self.labels = labels_for(language)
        self.per_page = per_page
        self.extra_pages = frozenset(extra_pages)
        self.siteurl = siteurl.rstrip("/")
        numbers = {number: doc.id for doc in self.public for number in [doc.doc_number] if number}
        # one file per content folder, like the other caches: a build prunes what it did not use
        bodies_file = state.cache_dir / f"bodies-{path_key(state.content_dir)}.sqlite" if state.cache_dir else None
        self.bodies = BodyCache(numbers, bodies_file)
        # Every public body is rendered once, up front (in parallel when there are many);
        # else (``bodies_up_front`` False: a rebuild that renders few pages) when a page asks.
        if bodies_up_front:
            self.bodies.render_all(self._source_and_citations(v) for doc in self.public for v in doc.versions)
        self.statuses: dict[str, Effectiveness] = {doc.id: status_on(self.public, doc, self.as_of) for doc in self.public}
        self._version_statuses: dict[tuple[str, int], Effectiveness] = {}
        self._contents: dict[Path, list[tuple[str, str]]] = {}
        self._inputs: dict[str, tuple[Any, ...]] = {}
        self.listings: dict[str, list[Listing]] = self._listings()
        self._listing_of = {(kind, item.key): item for kind, items in self.listings.items() for item in items}
        self._pages: list[Page] | None = None
        self._file_names = file_names  # (given: a rebuild that knows them without making every page)

    # ------------------------------------------------------------------ helpers
    def type_label(self, doc_type: DocType) -> str:
        return doc_type.label_en if self.language == "en" else doc_type.label_zh

    def status_label(self, status: Status) -> str:
        return status.label_en if self.language == "en" else status.label_zh

    def _resolve_number(self, number: str) -> str | None:
        doc = self.public.by_number(number)
        return doc.id if doc else None

    def _exists(self, doc_id: str, version: int | None) -> bool:
        doc = self.public.get(doc_id)
        return doc is not None and (version is None or doc.version(version) is not None)

    def _source(self, version: Version) -> str:
        """The Markdown a version shows: annual reports get their figures filled in."""
        return self.state.records.narratives.get(version.path, version.body)

    def _source_and_citations(self, version: Version) -> tuple[str, tuple[RawCitation, ...] | None]:
        """:meth:`_source`, with the numbers its file cites when the source is the file's body."""
        source = self._source(version)
        if version.refs is None or source is not version.body:
            return source, None
        return source, tuple(raw for _, raw in version.refs.citations)

    def body_html(self, version: Version, root: str) -> Markup:
        """The sanitized body with ``doc:`` links resolved for a page at ``root``."""
        return page_body_html(self.bodies.html(self._source(version)), root, self._exists)

    def table_of_contents(self, version: Version) -> list[tuple[str, str]]:
        """The version's headings, found once for all of its pages."""
        found = self._contents.get(version.path)
        if found is None:
            found = self._contents[version.path] = table_of_contents(self.bodies.html(self._source(version)))
        return found

    def listing(self, kind: str, key: str) -> Listing | None:
        return self._listing_of.get((kind, key))

    def _listings(self) -> dict[str, list[Listing]]:
        docs = list(self.public)
        result: dict[str, list[Listing]] = {}
        result["type"] = [Listing("type", t.value, t.value, self.type_label(t), tuple(newest_first(self.public.of_type(t))))
                          for t in DocType]
        years: dict[int, list[Document]] = defaultdict(list)
        for doc in docs:
            years[doc.published.year].append(doc)
        result["year"] = [Listing("year", str(y), str(y), self.labels["year_fmt"].format(year=y), tuple(newest_first(years[y])))
                          for y in sorted(years, reverse=True)]
        for kind, values_of in (("issuer", lambda d: d.issuers), ("topic", lambda d: (d.topic,) if d.topic else ())):
            groups: dict[str, list[Document]] = defaultdict(list)
            for doc in docs:
                for value in values_of(doc):
                    groups[value].append(doc)
            slugs = unique_slugs(groups)
            ordered = sorted(groups, key=lambda name: (-len(groups[name]), slugs[name], name))
            result[kind] = [Listing(kind, name, slugs[name], name, tuple(newest_first(groups[name]))) for name in ordered]
        by_status: dict[Status, list[Document]] = defaultdict(list)
        for doc in docs:
            by_status[self.statuses[doc.id].status].append(doc)
        result["status"] = [Listing("status", s.value, s.value, self.status_label(s), tuple(newest_first(by_status[s])))
                            for s in Status if by_status[s]]
        return result

    # ------------------------------------------------------------------ the page set
    @property
    def pages(self) -> list[Page]:
        if self._pages is None:
            self._pages = list(self._all_pages())
        return self._pages

    def feed_names(self) -> list[str]:
        return ["feeds/all.atom.xml"] + [f"feeds/{t.value}.atom.xml" for t in DocType]

    @property
    def file_names(self) -> frozenset[str]:
        """Every file this build writes (pages, feeds, sitemap, data), plus pages other plugins declare."""
        if self._file_names is None:
            names = {page.name for page in self.pages} | set(self.feed_names()) | set(DATA_FILES) | {SITEMAP}
            if self.state.records.ledger_view is not None:
                names |= set(LEDGER_FILES)
            for year in self.state.records.reports:
                names |= set(report_files(year))
            for doc_id in self.state.records.tasks:
                names |= set(tasks_files(doc_id))
            if self.state.search:
                names |= {"search/search.js", "search/meta.json"}
            self._file_names = frozenset(names | self.extra_pages)
        return self._file_names

    def know_file_names(self, names: frozenset[str]) -> None:
        """Every file of the site, when a rebuild that renders a few pages knows them
        (:mod:`.restatus`) without making every page."""
        self._file_names = names

    def has_page(self, name: str) -> bool:
        """True when ``name`` will exist in the output: templates link to optional pages only then."""
        return name in self.file_names

    def site_pages(self) -> Iterator[Page]:
        """The pages that are neither a list's nor a document's, but the 404 page."""
        yield self.home()
        yield from self.register_pages()
        yield self.catalogue()
        yield self.guide()
        if self.state.records.ledger_view is not None:
            yield self.ledger_page()
        for year in sorted(self.state.records.reports):
            yield self.report_page(year)
        for doc_id in sorted(self.state.records.tasks):
            yield self.tasks_page(doc_id)
        if "search/index.html" not in self.extra_pages:
            yield self.search()

    def _all_pages(self) -> Iterator[Page]:
        yield from self.site_pages()
        for kind in KIND_DIRS:
            for listing in self.listings[kind]:
                yield from self.list_pages(listing)
        for doc in self.public:
            yield from self.pages_of(doc)
        yield self.not_found()

    def pages_of(self, doc: Document) -> Iterator[Page]:
        """A document's pages: the version in force, each version, each comparison."""
        current = version_in_force(doc, self.as_of)
        yield self.document_page(doc, current, f"documents/{doc.id}/index.html", canonical=True)
        for version in doc.versions:
            yield self.document_page(doc, version, f"documents/{doc.id}/v{version.number}/index.html")
            if version.number > 1:
                previous = doc.version(version.number - 1)
                if previous is not None:
                    yield self.compare_page(doc, previous, version)

    # ------------------------------------------------------------------ pages
    def home(self) -> Page:
        latest = [(listing, list(listing.documents[:LATEST_ON_HOME])) for listing in self.listings["type"]]
        reports = sorted(self.public.of_type(DocType.ANNUAL_REPORT), key=lambda d: (d.report_year or 0, d.published, d.id))
        in_force = self.register_documents()["in_force"]
        return Page("index.html", "index", {
            "latest": latest, "statuses": self.statuses, "latest_report": reports[-1] if reports else None,
            "register_count": len(in_force), "total": len(self.public), "page_kind": "home",
        }, lastmod=max((d.current.published for d in self.public), default=None))

    def register_documents(self) -> dict[str, list[Document]]:
        """Normative documents and regulations by their status on the build date."""
        groups: dict[str, list[Document]] = {"in_force": [], "upcoming": [], "repealed": [], "expired": []}
        for doc in self.public:
            if not doc.type.is_register_type:
                continue
            status = self.statuses[doc.id].status
            if status.in_force:
                groups["in_force"].append(doc)
            elif status is Status.NOT_YET_EFFECTIVE:
                groups["upcoming"].append(doc)
            elif status is Status.REPEALED:
                groups["repealed"].append(doc)
            elif status is Status.EXPIRED:
                groups["expired"].append(doc)
        return {key: newest_first(value) for key, value in groups.items()}

    @staticmethod
    def _facets(documents: list[Document]) -> dict[str, list[tuple[str, int]]]:
        """Filter choices with counts: issuers and topics by count, years newest first."""
        counts: dict[str, dict[str, int]] = {"issuer": defaultdict(int), "topic": defaultdict(int), "year": defaultdict(int)}
        for doc in documents:
            for issuer in doc.issuers:
                counts["issuer"][issuer] += 1
            if doc.topic:
                counts["topic"][doc.topic] += 1
            counts["year"][str(doc.published.year)] += 1
        return {
            "issuer": sorted(counts["issuer"].items(), key=lambda kv: (-kv[1], kv[0])),
            "topic": sorted(counts["topic"].items(), key=lambda kv: (-kv[1], kv[0])),
            "year": sorted(counts["year"].items(), reverse=True),
        }

    @staticmethod
    def row_data(doc: Document) -> dict[str, str]:
        """``data-*`` values the register's filter script reads (and the row's ``d.topic`` and
        ``d.issuers|json_text``, printed as the document's fields so that a build notes
        where: :mod:`.printed`)."""
        return {"year": str(doc.published.year)}

    def register_pages(self) -> Iterator[Page]:
        groups = self.register_documents()
        common = {"statuses": self.statuses, "page_kind": "register", "row_data": self.row_data}
        yield Page("register/index.html", "register", {
            **common, "documents": groups["in_force"], "upcoming": groups["upcoming"],
            "facets": self._facets(groups["in_force"]), "counts": {k: len(v) for k, v in groups.items()},
            "facet_listings": {kind: {item.key: item for item in self.listings[kind]} for kind in ("issuer", "topic", "year")},
        })
        for key in ("repealed", "expired"):
            yield Page(f"register/{key}/index.html", "register_archive", {
                **common, "documents": groups[key], "archive": key, "counts": {k: len(v) for k, v in groups.items()},
            })

    def catalogue(self) -> Page:
        counts = {k: len(v) for k, v in self.register_documents().items()}
        return Page("catalogue/index.html", "catalogue", {
            "listings": self.listings, "total": len(self.public), "register_counts": counts, "page_kind": "catalogue",
        })

    def ledger_page(self) -> Page:
        view = self.state.records.ledger_view
        assert view is not None
        return Page(LEDGER_PAGE, "ledger", {
            "view": view, "audit": self.state.records.audit, "config": self.state.config, "page_kind": "ledger",
        })

    def report_page(self, year: int) -> Page:
        report = self.state.records.reports[year]
        narrative = next((d for d in self.public.of_type(DocType.ANNUAL_REPORT) if d.report_year == year), None)
        return Page(f"annual-report/{year}/index.html", "annual_report", {
            "report": report.as_context(), "narrative": narrative, "files": [f.rsplit("/", 1)[1] for f in report_files(year)],
            "task_tables": task_tables_of_year(self.state.records, year), "page_kind": "annual_report",
        })

    def tasks_page(self, doc_id: str) -> Page:
        table = self.state.records.tasks[doc_id]
        return Page(f"documents/{doc_id}/tasks/index.html", "tasks", {
            "table": table, "doc": table.doc, "rows": table.rows(),
            "counts": [(TaskState(state), n) for state, n in table.counts().items()],
            "departments": sorted(department_view(table.breakdown.tasks).items()),
            "progress": {task.number: progress for task, progress in table.rows()}, "page_kind": "tasks",
        })

    def guide(self) -> Page:
        return Page("guide/index.html", "guide", {"listings": self.listings, "statuses_all": list(Status), "page_kind": "guide"})

    def search(self) -> Page:
        return Page("search/index.html", "search", {"listings": self.listings, "page_kind": "search"}, in_sitemap=False)

    def not_found(self) -> Page:
        root = f"{self.siteurl}/" if self.siteurl else ""
        return Page("404.html", "404", {"listings": self.listings, "page_kind": "404"}, root_override=root, in_sitemap=False)

    def list_pages(self, listing: Listing) -> Iterator[Page]:
        documents = list(listing.documents)
        names = paged_names(listing.url, len(documents), self.per_page)
        for number, name in enumerate(names, start=1):
            chunk = documents[(number - 1) * self.per_page: number * self.per_page]
            yield Page(name, "doc_list", {
                "listing": listing.head, "documents": chunk, "statuses": self.statuses_of(chunk), "total": len(documents),
                "show_type": listing.kind != "type", "page_kind": f"list-{listing.kind}",
                "pagination": {
                    "page": number, "pages": len(names), "links": page_links(names, number),
                    "prev": names[number - 2] if number > 1 else None,
                    "next": names[number] if number < len(names) else None,
                },
            }, lastmod=max((d.current.published for d in chunk), default=None),
                inputs=lambda digest, chunk=chunk, number=number, total=len(documents): self.list_inputs(
                    listing.head, chunk, total, number, digest))

    def list_inputs(self, head: ListingHead, chunk: list[Document], total: int, number: int,
                    digest: Callable[[Any], str]) -> tuple[Any, ...]:
        """What a list page's context (:meth:`list_pages`) is made from, as digests: its
        listing, its documents with their statuses, how many the listing has and which of
        its pages it is (the settings give how many a page shows).  About 2,000 pages at
        10,000 documents, each fingerprinted by its context took 0.46 s of CPU per rebuild."""
        return (digest(head), tuple(map(digest, chunk)), tuple(digest(self.statuses[d.id]) for d in chunk), total, number)

    def relations(self, doc: Document) -> dict[str, list[Document]]:
        public = self.public
        return {
            "interpretations": newest_first(public.interpretations_of(doc.id)),
            "interprets": [d for d in (public.get(i) for i in doc.interprets) if d],
            "repeals": [d for d in (public.get(i) for i in doc.repeals) if d],
            "repealed_by": newest_first(public.repealed_by(doc.id)),
            "amends": [d for d in (public.get(i) for i in doc.amends) if d],
            "amended_by": newest_first(public.amended_by(doc.id)),
            "results": newest_first(public.results_of(doc.id)),
            "result_of": [d for d in [public.get(doc.result_of)] if d] if doc.result_of else [],
        }

    def version_status(self, doc: Document, version: Version) -> Effectiveness:
        """:func:`version_status_on` for the build date, computed once per version (every page
        of a document shows the status of each of its versions)."""
        key = (doc.id, version.number)
        found = self._version_statuses.get(key)
        if found is None:
            found = self._version_statuses[key] = version_status_on(self.public, doc, version, self.as_of,
                                                                     self.statuses[doc.id])
        return found

    def statuses_of(self, documents: Iterable[Document]) -> dict[str, Effectiveness]:
        """The statuses of the documents a page shows (rather than all of them: a page's
        fingerprint then changes only when one of its own documents changes status)."""
        return {d.id: self.statuses[d.id] for d in documents}

    def comment_state(self, doc: Document) -> str | None:
        """``pending``, ``open`` or ``closed`` for a document with a comment period."""
        period = doc.comment_period
        if period is None:
            return None
        if self.as_of < period.start:
            return "pending"
        return "open" if self.as_of <= period.end else "closed"

    def document_page(self, doc: Document, version: Version, name: str, *, canonical: bool = False) -> Page:
        page = Page(name, "document", lastmod=version.published, doc_id=doc.id,
                    inputs=lambda digest: self.document_inputs(doc, digest))
        page.given = lambda: self._document_context(page, doc, version, canonical)
        return page

    def document_inputs(self, doc: Document, digest: Callable[[Any], str]) -> tuple[Any, ...]:
        """What the contexts of ``doc``'s pages (each version's, the comparisons) are made
        from, with ``digest`` giving each document's, version's and status's digest: the
        document and its versions (by their files: :meth:`~.incremental.Fingerprinter.token`),
        each rendered body's key (which also holds what its citations link to), every
        status they show and the documents those name, the related documents with their
        statuses, whether each document a body links to exists, the comment period's state
        and the type's list.  Besides the page's name, the build's global inputs and the
        ``has_page`` answers, nothing else reaches those pages (in verifying builds,
        :mod:`.incremental` checks that against the fingerprint)."""
        found = self._inputs.get(doc.id)
        if found is not None:
            return found
        statuses = [self.statuses[doc.id], *(self.version_status(doc, v) for v in doc.versions)]
        acting = [self.public.get(s.by.split("#", 1)[0]) if s.by else None for s in statuses]
        links = [(doc_id, number, self._exists(doc_id, int(number) if number else None))
                 for version in doc.versions for doc_id, number in self.bodies.links(self._source(version))]
        found = self._inputs[doc.id] = (
            digest(doc), tuple(digest(v) for v in doc.versions),
            tuple(self.bodies.key(self._source(v)) for v in doc.versions),
            tuple(digest(s) for s in statuses), tuple(None if d is None else digest(d) for d in acting),
            tuple((name, tuple((d.id, digest(d), digest(self.statuses[d.id])) for d in shown))
                  for name, shown in self.relations(doc).items() if shown),
            tuple(links), self.comment_state(doc), digest(self.listing("type", doc.type.value).head),
        )
        return found

    def _document_context(self, page: Page, doc: Document, version: Version, canonical: bool) -> dict[str, Any]:
        in_force = version_in_force(doc, self.as_of)
        status = self.version_status(doc, version)
        acting = None
        if status.by and status.status is Status.REPEALED:
            acting = self.public.get(status.by)
        pending = [v for v in doc.versions if v.number > version.number and v.takes_effect > self.as_of]
        body = self.body_html(version, page.root)
        related = self.relations(doc)
        return {
            "doc": doc,
            "version": version,
            "canonical": canonical,
            "status": status,
            "doc_status": self.statuses[doc.id],
            "in_force": in_force,
            "acting": acting,
            "pending": pending[0] if pending and version.number == in_force.number else None,
            "version_statuses": {v.number: self.version_status(doc, v) for v in doc.versions},
            "related": related,
            "statuses": self.statuses_of(d for shown in related.values() for d in shown),
            "body_html": body,
            "toc": self.table_of_contents(version),
            "comment_state": self.comment_state(doc),
            "type_listing": self.listing("type", doc.type.value).head,
            "show_status": doc.type.is_register_type or status.status is not Status.EFFECTIVE or doc.expires is not None,
            "canonical_url": f"documents/{doc.id}/index.html",
            "page_kind": "document",
        }

    def compare_page(self, doc: Document, old: Version, new: Version) -> Page:
        """Version ``new`` against ``old``, compared as the text reads (Markdown marks removed)."""
        return Page(f"documents/{doc.id}/v{new.number}/compare/index.html", "compare",
                    lambda: self._compare_context(doc, old, new), lastmod=new.published, in_sitemap=False, doc_id=doc.id,
                    inputs=lambda digest: self.document_inputs(doc, digest))

    def _compare_context(self, doc: Document, old: Version, new: Version) -> dict[str, Any]:
        ops = diff_ops(plain_text(old.body), plain_text(new.body))
        return {
            "doc": doc, "old": old, "new": new, "stats": diff_stats(ops),
            "diff_html": Markup(diff_html(ops, inserted_label=self.labels["inserted"], deleted_label=self.labels["deleted"])),
            "changed": any(op != "=" for op, _ in ops),
            "doc_status": self.statuses[doc.id],
            "version_statuses": {v.number: self.version_status(doc, v) for v in (old, new)},
            "type_listing": self.listing("type", doc.type.value).head,
            "page_kind": "compare",
        }
