"""The site's pages as data: which files exist and what each template receives.

Pure: no Pelican import, so the page model is tested without a build.  Every page
is made from the public corpus only (``BuildState.public``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from disclosure.corpus import Corpus
from disclosure.diff import diff_html, diff_ops, diff_stats
from disclosure.document import DocType, Document, Version
from disclosure.effectiveness import status_on, version_in_force, version_status_on
from disclosure.render import BodyRenderer, resolve_links

from .state import BuildState


@dataclass
class Page:
    """One HTML file to write."""

    name: str
    """Output path relative to the output folder, e.g. ``documents/x/index.html``."""
    template: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        """Relative path from this page to the site root ("" or "../…/")."""
        return "../" * self.name.count("/")


def newest_first(documents: tuple[Document, ...] | list[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (d.published, d.id), reverse=True)


class SiteModel:
    """Computes the pages of one build."""

    def __init__(self, state: BuildState) -> None:
        self.state = state
        self.public: Corpus = state.public
        self.as_of = state.as_of
        self.renderer = BodyRenderer(self._resolve_number, self.public.doc_numbers)
        self.statuses = {doc.id: status_on(self.public, doc, self.as_of) for doc in self.public}

    def _resolve_number(self, number: str) -> str | None:
        doc = self.public.by_number(number)
        return doc.id if doc else None

    def _exists(self, doc_id: str, version: int | None) -> bool:
        doc = self.public.get(doc_id)
        return doc is not None and (version is None or doc.version(version) is not None)

    def body_html(self, version: Version, root: str) -> str:
        return resolve_links(self.renderer.render(version.body), root, self._exists)

    def pages(self) -> Iterator[Page]:
        yield self.home()
        for doc_type in DocType:
            yield self.type_list(doc_type)
        for doc in self.public:
            current = version_in_force(doc, self.as_of)
            yield self.document_page(doc, current, f"documents/{doc.id}/index.html", canonical=True)
            for version in doc.versions:
                yield self.document_page(doc, version, f"documents/{doc.id}/v{version.number}/index.html")
                if version.number > 1:
                    previous = doc.version(version.number - 1)
                    if previous is not None:
                        yield self.compare_page(doc, previous, version)

    def home(self) -> Page:
        latest = {t: newest_first(self.public.of_type(t))[:5] for t in DocType}
        return Page("index.html", "index", {"latest": latest, "statuses": self.statuses})

    def type_list(self, doc_type: DocType) -> Page:
        documents = newest_first(self.public.of_type(doc_type))
        return Page(f"types/{doc_type.value}/index.html", "doc_list",
                    {"doc_type": doc_type, "documents": documents, "statuses": self.statuses})

    def relations(self, doc: Document) -> dict[str, list[Document]]:
        public = self.public
        related = {
            "interpretations": newest_first(public.interpretations_of(doc.id)),
            "interprets": [d for d in (public.get(i) for i in doc.interprets) if d],
            "repeals": [d for d in (public.get(i) for i in doc.repeals) if d],
            "repealed_by": newest_first(public.repealed_by(doc.id)),
            "amends": [d for d in (public.get(i) for i in doc.amends) if d],
            "amended_by": newest_first(public.amended_by(doc.id)),
            "results": newest_first(public.results_of(doc.id)),
            "result_of": [d for d in [public.get(doc.result_of)] if d] if doc.result_of else [],
        }
        return related

    def document_page(self, doc: Document, version: Version, name: str, *, canonical: bool = False) -> Page:
        page = Page(name, "document")
        page.context.update({
            "doc": doc,
            "version": version,
            "canonical": canonical,
            "status": version_status_on(self.public, doc, version, self.as_of),
            "doc_status": self.statuses[doc.id],
            "in_force": version_in_force(doc, self.as_of),
            "version_statuses": {v.number: version_status_on(self.public, doc, v, self.as_of) for v in doc.versions},
            "related": self.relations(doc),
            "statuses": self.statuses,
            "body_html": self.body_html(version, page.root),
        })
        return page

    def compare_page(self, doc: Document, old: Version, new: Version) -> Page:
        ops = diff_ops(old.body, new.body)
        page = Page(f"documents/{doc.id}/v{new.number}/compare/index.html", "compare")
        page.context.update({
            "doc": doc, "old": old, "new": new, "diff_html": diff_html(ops), "stats": diff_stats(ops),
            "doc_status": self.statuses[doc.id],
        })
        return page
