"""Where each page shows each document's title, so a title edit can be patched in.

A title is shown on many pages: the document's own, every list and register page that
lists it, the pages of the documents it relates to, the ledger.  A whole build notes
where (:class:`TitleMarker`): while a page renders, a document's title prints as itself
between private-use characters that name the document; the marks are then taken out
and their places kept (:func:`take_marks`).  The quick rebuild
(:mod:`disclosure_pelican.quick`) replaces those places after a title edit, byte for byte
as a whole render would print the new title.

Themes print titles and never compute with them (as with ``body_html``): a title
printed through ``|safe`` or cut with ``|truncate`` would be noted, or missed, wrongly.
Ours prints them (a test renders every page with and without the marks and compares).
"""

from __future__ import annotations

from array import array
from typing import Any, Callable, NamedTuple

from markupsafe import Markup, escape

from disclosure.document import Document, Version

OPEN, NAMED, CLOSE = "\ue002", "\ue003", "\ue004"
"""A marked title: ``OPEN id NAMED escaped title CLOSE``.  Private-use characters."""
MARK_CHARS = frozenset(OPEN + NAMED + CLOSE)
LEDGER_TITLE, LEDGER_LINK = "标题", "链接"
"""The ledger view's title and link columns (:mod:`disclosure.ledger_views`): its rows
are dicts of plain values, printed by the ledger page as ``row['标题']``."""
DOCUMENT_LINK = "documents/"


class TitleHole(NamedTuple):
    """Where a page shows a document's title (in characters of the page)."""

    doc_id: str
    start: int
    length: int


class MarkedTitle(str):
    """A title that prints (through :func:`markupsafe.escape`, as templates print) between
    marks naming its document; as a string it is the title."""

    __slots__ = ("doc_id",)
    doc_id: str

    def __new__(cls, title: str, doc_id: str) -> "MarkedTitle":
        marked = super().__new__(cls, title)
        marked.doc_id = doc_id
        return marked

    def __html__(self) -> Markup:
        return Markup(f"{OPEN}{self.doc_id}{NAMED}{escape(str(self))}{CLOSE}")


def title_text(title: str) -> str:
    """A title as a page shows it (what a hole holds)."""
    return str(escape(title))


class TitleMarker:
    """Marks titles in the templates of ``env`` while :attr:`on` (a whole build with the
    cache: the quick rebuild needs the places; otherwise nothing is marked).

    Templates reach titles as ``doc.title`` and ``version.title`` (attribute lookups,
    which Jinja makes through ``environment.getattr``) and as the ledger rows'
    ``row['标题']`` (``environment.getitem``); the ``fmt`` filter formats labels
    around marked titles as Markup, so they stay marked."""

    def __init__(self, env: Any) -> None:
        self.on = False
        self.unmarkable = False
        """Set when a title holds a mark's character itself: its places cannot be noted."""
        plain_getattr, plain_getitem = env.getattr, env.getitem

        # Every lookup of every template passes here: Jinja's own first step is inlined (a
        # second Python call per lookup would slow the page writing down), its fallbacks
        # (an item for an attribute and the reverse, Undefined) are left to it.
        def getattr_(obj: Any, attribute: str) -> Any:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return plain_getattr(obj, attribute)
            if attribute == "title" and self.on and type(obj) in (Document, Version) and type(value) is str:
                return self._mark(value, obj.id if type(obj) is Document else obj.doc_id)
            return value

        def getitem(obj: Any, argument: Any) -> Any:
            try:
                value = obj[argument]
            except (AttributeError, TypeError, LookupError):
                return plain_getitem(obj, argument)
            if argument == LEDGER_TITLE and self.on and type(obj) is dict and type(value) is str:
                link = obj.get(LEDGER_LINK)
                if isinstance(link, str) and link.startswith(DOCUMENT_LINK) and link.endswith("/"):
                    return self._mark(value, link[len(DOCUMENT_LINK):-1])
            return value

        env.getattr, env.getitem = getattr_, getitem

    def _mark(self, title: str, doc_id: str) -> str:
        if MARK_CHARS.intersection(title) or MARK_CHARS.intersection(doc_id):
            self.unmarkable = True
            return title
        return MarkedTitle(title, doc_id)

    @staticmethod
    def fmt(pattern: str, **values: Any) -> str:
        """The ``fmt`` filter: ``pattern.format(**values)``; Markup (the pattern escaped, each
        value escaped as printed) when a value is a marked title, the same characters once
        printed."""
        if any(isinstance(value, MarkedTitle) for value in values.values()):
            return escape(pattern).format(**values)
        return pattern.format(**values)


PackedHoles = tuple[tuple[str, ...], bytes]
"""A page's holes as the snapshot keeps them: the documents' ids, and starts and lengths
as an ``array('i')``'s bytes (pickled and loaded ten times faster than the tuples)."""


def pack(holes: tuple[TitleHole, ...]) -> PackedHoles:
    return tuple(hole.doc_id for hole in holes), array("i", [n for hole in holes for n in hole[1:]]).tobytes()


def unpack(packed: PackedHoles) -> tuple[TitleHole, ...]:
    ids, places = packed
    numbers = array("i")
    numbers.frombytes(places)
    return tuple(TitleHole(doc_id, numbers[2 * i], numbers[2 * i + 1]) for i, doc_id in enumerate(ids))


def take_marks(text: str) -> tuple[str, tuple[TitleHole, ...]] | None:
    """``text`` without its title marks, and where the marked titles are; None when the
    marks are not well formed (content holding a mark's character)."""
    if OPEN not in text:
        return (text, ()) if NAMED not in text and CLOSE not in text else None
    parts = text.split(OPEN)
    if NAMED in parts[0] or CLOSE in parts[0]:
        return None
    out = [parts[0]]
    at = len(parts[0])
    holes = []
    for part in parts[1:]:
        doc_id, named, rest = part.partition(NAMED)
        title, closed, tail = rest.partition(CLOSE)
        if not named or not closed or NAMED in title or NAMED in tail or CLOSE in tail:
            return None
        holes.append(TitleHole(doc_id, at, len(title)))
        out += (title, tail)
        at += len(title) + len(tail)
    return "".join(out), tuple(holes)


def shift_holes(holes: tuple[TitleHole, ...], after: int, by: int) -> tuple[TitleHole, ...]:
    """``holes`` once ``by`` characters are added (or taken, if negative) at ``after``:
    those starting at or after it move."""
    if not by:
        return holes
    return tuple(hole._replace(start=hole.start + by) if hole.start >= after else hole for hole in holes)


def replace_titles(page: str, holes: tuple[TitleHole, ...], new_text: Callable[[str], str | None]
                   ) -> tuple[str, tuple[TitleHole, ...]]:
    """``page`` with the holes whose document ``new_text`` gives a new text (else None)
    filled with it, and where every hole is then."""
    out, moved, at, shift = [], [], 0, 0
    for hole in sorted(holes, key=lambda h: h.start):
        text = new_text(hole.doc_id)
        if text is None:
            moved.append(hole._replace(start=hole.start + shift))
            continue
        out += (page[at:hole.start], text)
        at = hole.start + hole.length
        moved.append(TitleHole(hole.doc_id, hole.start + shift, len(text)))
        shift += len(text) - hole.length
    out.append(page[at:])
    return "".join(out), tuple(moved)


class MarkedTemplate:
    """A page's template whose render notes where titles are (in ``holes``, by page name;
    None for a page whose marks could not be taken out: it is then rendered unmarked)."""

    def __init__(self, template: Any, name: str, marker: TitleMarker,
                 holes: dict[str, tuple[TitleHole, ...] | None]) -> None:
        self.template, self.name, self.marker, self.holes = template, name, marker, holes

    def render(self, context: dict[str, Any]) -> str:
        if not self.marker.on:
            return self.template.render(context)
        taken = take_marks(self.template.render(context))
        if taken is not None:
            text, self.holes[self.name] = taken
            return text
        self.holes[self.name] = None
        self.marker.on = False
        try:
            return self.template.render(context)
        finally:
            self.marker.on = True
