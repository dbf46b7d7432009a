"""Markdown bodies to safe HTML.

The pipeline is: Python-Markdown (with heading anchors and the citation linker
below) → nh3 sanitizer (scripts, event handlers, ``javascript:`` URLs and iframes
go) → ``doc:`` links resolved to site-relative URLs for the page being written.
Every body reaches a page through :func:`render_body` and :func:`resolve_links`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Callable

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .citations import find_citations

ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"} | {"section"}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "hreflang", "title", "class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
}
URL_SCHEMES = {"http", "https", "mailto", "doc"}

DOC_HREF = re.compile(r'href="doc:([a-z0-9-]+)(?:#v(\d+))?"')

# Resolves a canonical document number to a document id, or None.
NumberResolver = Callable[[str], "str | None"]


class _CitationLinker(Treeprocessor):
    """Turn document numbers cited in running text into ``doc:`` links."""

    SKIP = {"a", "code", "pre"}

    def __init__(self, md: markdown.Markdown, resolver: NumberResolver, known: frozenset[str]) -> None:
        super().__init__(md)
        self.resolver = resolver
        self.known = known

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in self.SKIP:
            return
        children = list(element)
        if element.text:
            nodes = self._split(element.text)
            if nodes:
                element.text = nodes[0] if isinstance(nodes[0], str) else ""
                self._insert(element, 0, nodes[1:] if isinstance(nodes[0], str) else nodes)
        for child in children:
            self._walk(child)
            if child.tail:
                nodes = self._split(child.tail)
                if nodes:
                    child.tail = nodes[0] if isinstance(nodes[0], str) else ""
                    index = list(element).index(child) + 1
                    self._insert(element, index, nodes[1:] if isinstance(nodes[0], str) else nodes)

    def _insert(self, parent: etree.Element, index: int, nodes: list) -> None:
        previous: etree.Element | None = parent[index - 1] if index > 0 else None
        for node in nodes:
            if isinstance(node, str):
                if previous is None:
                    parent.text = (parent.text or "") + node
                else:
                    previous.tail = (previous.tail or "") + node
            else:
                parent.insert(index, node)
                previous = node
                index += 1

    def _split(self, text: str) -> list:
        """Text split into strings and <a> elements; empty when nothing is cited."""
        citations = [c for c in find_citations(text, self.known) if self.resolver(c.canonical)]
        if not citations:
            return []
        nodes: list = []
        position = 0
        for citation in citations:
            nodes.append(text[position:citation.start])
            link = etree.Element("a", {"href": f"doc:{self.resolver(citation.canonical)}", "class": "citation"})
            link.text = citation.text
            nodes.append(link)
            position = citation.end
        nodes.append(text[position:])
        return nodes


class CitationExtension(Extension):
    def __init__(self, resolver: NumberResolver, known: frozenset[str]) -> None:
        super().__init__()
        self.resolver = resolver
        self.known = known

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_CitationLinker(md, self.resolver, self.known), "citations", 5)


class _QuickInlineProcessor(InlineProcessor):
    """Markdown's inline processor, which hands over at once a text that no inline pattern
    can match.  It tries each of its 14 patterns on every text of the tree; most paragraphs
    of an official document have none of the characters they start with, and those tries
    were a fifth of rendering a body.  Used only with exactly the patterns of
    :data:`QUICK_PATTERNS` (see :func:`_quick_inline`); a test renders with and without it."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803 - overrides Markdown's private method
        if _INLINE_TRIGGER.search(data) is None:
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)  # type: ignore[attr-defined]


QUICK_PATTERNS = frozenset({"backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                            "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong"})
"""Markdown's default inline patterns; each needs one of :data:`_INLINE_TRIGGER` to match."""
# The characters those patterns begin with (`, backslash, [, <, &, *, _), the hard line
# break (two spaces, newline) and the placeholders of stashed HTML (\x02, \x03).
_INLINE_TRIGGER = re.compile(r"[`\\\[<&*_\x02\x03]|  \n")


def _quick_inline(md: markdown.Markdown) -> None:
    """Put :class:`_QuickInlineProcessor` in place of Markdown's when the patterns are the known ones."""
    inline = md.treeprocessors["inline"]
    registered = md.treeprocessors._priority  # noqa: SLF001 - the registry's names and priorities
    names = {item.name for item in md.inlinePatterns._priority}  # noqa: SLF001
    if (type(inline) is InlineProcessor and names == QUICK_PATTERNS
            and hasattr(InlineProcessor, "_InlineProcessor__handleInline")):
        priority = next(item.priority for item in registered if item.name == "inline")
        md.treeprocessors.register(_QuickInlineProcessor(md), "inline", priority)


class BodyRenderer:
    """Renders bodies of one corpus; reuse one instance for all documents."""

    def __init__(self, resolver: NumberResolver = lambda number: None, known: frozenset[str] = frozenset()) -> None:
        self._md = markdown.Markdown(
            extensions=["toc", "tables", "sane_lists", CitationExtension(resolver, known)],
            extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
            output_format="html",
        )
        _quick_inline(self._md)

    def render(self, source: str) -> str:
        """Sanitized HTML of a Markdown body; ``doc:`` links are left for :func:`resolve_links`."""
        self._md.reset()
        html = self._md.convert(source)
        return sanitize(html)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def resolve_links(html: str, root: str, exists: Callable[[str, int | None], bool]) -> str:
    """Replace ``doc:ID`` hrefs by URLs relative to the page (``root`` leads to the site root).

    Links whose target is not published (``exists`` says no) lose their href and
    keep their text, so nothing points at a page that does not exist.
    """

    def replace(match: re.Match[str]) -> str:
        doc_id, version = match.group(1), match.group(2)
        number = int(version) if version else None
        if not exists(doc_id, number):
            return 'data-unpublished="true"'
        target = f"documents/{doc_id}/" + (f"v{number}/" if number else "")
        return f'href="{root}{target}"'

    return DOC_HREF.sub(replace, html)


def plain_text(source: str) -> str:
    """Markdown reduced to text (for search, feeds' summaries and comparisons)."""
    text = re.sub(r"```.*?```", " ", source, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^[#>\-*+\s]+", "", text, flags=re.M)
    text = re.sub(r"[*_`|]", "", text)
    return re.sub(r"[ \t]+", " ", text).strip()
