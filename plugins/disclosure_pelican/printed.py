"""Where each page prints each document's title and other printed fields, so that an
edit of one of them can be patched in.

A title is shown on many pages: the document's own, every list and register page that
lists it, the pages of the documents it relates to, the ledger; its document number and
index number on fewer, its date written on its page and in the ledger, its English title
on the document's page of an English site; its topic and issuers on its page, in the
register and (the issuers) in the ledger, whose edits also move it between lists
(:mod:`.relist`).  A whole build notes where
(:class:`PrintedMarker`): while a page renders, each such value prints as itself
between private-use characters that name the document and the field; the marks are
then taken out and their places kept (:func:`take_marks`).  The quick rebuild
(:mod:`disclosure_pelican.quick`) replaces those places after an edit of one of these
fields, byte for byte as a whole render would print the new value.

Themes print these values and never compute with them (as with ``body_html``): a title
printed through ``|safe`` or cut with ``|truncate`` would be noted, or missed, wrongly.
Ours prints them (a test renders every page with and without the marks and compares).
A date that a template computes with, issuers used otherwise than joined with 、 or
printed as JSON (``|json_text``), and keywords (which our theme does not show) that a
template looks up, are noted as used otherwise (:attr:`PrintedMarker.used`): their edits
then take the whole build.
"""

from __future__ import annotations

import json
import sys
from array import array
from datetime import date
from typing import Any, Callable, NamedTuple

from markupsafe import Markup, escape

from disclosure.document import Document, Version

OPEN, NAMED, CLOSE = "\ue002", "\ue003", "\ue004"
"""A marked value: ``OPEN key NAMED escaped value CLOSE``.  Private-use characters."""
MARK_CHARS = frozenset(OPEN + NAMED + CLOSE)
PRINTED_FIELDS = ("title", "title_en", "doc_number", "index_number", "written")
"""The documents' fields whose places are noted (a version's: its title and date written).
``written`` is a date: a page prints it through the ``iso`` filter (or as it is); a
template that computes with it (its year, a comparison, ``strftime``) is noted in
:attr:`PrintedMarker.used`."""
DATE_FIELDS = frozenset({"written"})
VERSION_FIELDS = frozenset({"title", "written"})
"""The printed fields a version has of its own."""
LISTED_FIELDS = ("topic", "issuer")
"""Fields that decide which lists show a document, noted where printed as the printed
fields are; their edit moves the document between lists (:mod:`.relist`), which are
rendered again, and their places elsewhere are patched.  The issuers are a list
(:data:`LIST_FIELDS`)."""
LIST_FIELDS = {"issuer": "issuers"}
"""Printed fields whose value is a list of texts → the documents' attribute.  Pages print
one joined with :data:`LIST_SEPARATOR` (``|join``), or as JSON for a script (``|json_text``);
a template that uses it otherwise (iterates it, takes its first item…) is noted in
:attr:`PrintedMarker.used`, and its edits then take the whole build."""
LIST_SEPARATOR = "、"
"""How the site joins a list of issuers (pages, the ledger's 发文机关, feed summaries)."""
JSON_FORM = ".json"
"""A list field's place key's suffix where it is printed as JSON."""
UNPRINTED_FIELDS = ("keywords",)
"""Fields our theme shows on no page (keywords only feed the search): a build notes
whether a template looked one up (:attr:`PrintedMarker.used`)."""
LEDGER_COLUMNS = {"标题": "title", "发文字号": "doc_number", "索引号": "index_number", "成文日期": "written",
                  "发文机关": "issuer", "发布日期": "published"}
"""The ledger view's columns of those fields (:mod:`disclosure.ledger_views`): its rows are
dicts of plain values, printed by the ledger page as ``row['标题']``; a row names its
document by its link column (empty for a withdrawn item, whose values are the ledger's).
Its issuers are joined with :data:`LIST_SEPARATOR`, as ``|join`` prints them."""
LEDGER_STATUS = {"有效性": "ledger_status"}
"""The ledger view's column of a document's status with its reason, and the field its
place is noted as (an edit of its dates changes it: :mod:`.restatus`)."""
LEDGER_LINK = "链接"
DOCUMENT_LINK = "documents/"
LEDGER_NUMBER = {"序号": "ledger_no"}
"""The ledger view's column of a row's number (its place in the rows, by date of
publication), and the field its place is noted as: a new date moves the document's row
and renumbers those it passes (:mod:`.restatus`)."""
ROW_FIELDS = ("row", "row_end")
"""The fields of the places of no text that open and close each row of a table of documents
(the register's, the ledger view's: :meth:`PrintedMarker.row`): the row is all its loop
prints for the document, and a page's rows follow one another, so that a rebuild can take
them apart and put them together (:mod:`.restatus`)."""


def ledger_doc_id(row: Any) -> str | None:
    """The id of the document a row of the ledger's view (or an interpretation it lists)
    links to; None for a withdrawn item (no link) or anything else."""
    link = row.get(LEDGER_LINK) if type(row) is dict else None
    if isinstance(link, str) and link.startswith(DOCUMENT_LINK) and link.endswith("/"):
        return link[len(DOCUMENT_LINK):-1]
    return None


_FIELD_MARK = "#"
"""Between a document's id and a field in a place's key (ids are ``[a-z0-9-]+``)."""
_DICT_ATTRIBUTES = frozenset(dir(dict))
"""What ``getattr`` finds on a plain dict: Jinja's ``d.name`` is one of these, else ``d["name"]``."""


def place_key(doc_id: str, field: str) -> str:
    """What names a document's field in the noted places: its id alone for its title
    (most places), ``id#field`` for another field."""
    return doc_id if field == "title" else sys.intern(f"{doc_id}{_FIELD_MARK}{field}")


def place_of(key: str) -> tuple[str, str]:
    """``(doc_id, field)`` of a place's key."""
    doc_id, _, field = key.partition(_FIELD_MARK)
    return doc_id, field or "title"


class PrintedHole(NamedTuple):
    """Where a page prints a document's field (in characters of the page)."""

    key: str
    """:func:`place_key` of the document and field."""
    start: int
    length: int


class MarkedValue(str):
    """A value that prints (through :func:`markupsafe.escape`, as templates print) between
    marks naming its document and field; as a string it is the value."""

    __slots__ = ("key",)
    key: str

    def __new__(cls, value: str, key: str) -> "MarkedValue":
        marked = super().__new__(cls, value)
        marked.key = key
        return marked

    def __html__(self) -> Markup:
        return _marked(self.key, str(escape(str(self))))


class MarkedCount(int):
    """A count that prints between marks naming what it counts (a filter choice of the
    register: :func:`facet_key`; a list's documents: :data:`LIST_TOTAL_KEY`; a row's number
    in the ledger's view: :data:`LEDGER_NUMBER`) while its
    marker is :attr:`~PrintedMarker.on` (a page rendered again unmarked prints it plain);
    as a number it is the count."""

    key: str
    marker: "PrintedMarker"

    def __new__(cls, value: int, key: str, marker: "PrintedMarker") -> "MarkedCount":
        marked = super().__new__(cls, value)
        marked.key, marked.marker = key, marker
        return marked

    def __html__(self) -> Markup:
        return _marked(self.key, str(int(self))) if self.marker.on else Markup(str(int(self)))


def _marked(key: str, printed: str) -> Markup:
    """``printed`` (as a page prints it) between the marks naming ``key``."""
    return Markup(f"{OPEN}{key}{NAMED}{printed}{CLOSE}")


def facet_key(kind: str, value: str) -> str:
    """What names the count of a filter choice in the noted places (no document's id starts
    with the field mark)."""
    return f"{_FIELD_MARK}{kind}{_FIELD_MARK}{value}"


LIST_TOTAL_KEY = facet_key("list", "")
"""What names a list page's count of the list's documents (its ``total``) in the noted places."""
LEDGER_STATUS_KIND = "ledger_status"
"""What names the ledger's counts by status in the noted places (:func:`facet_key` of it and a status code)."""


class MarkedDate(date):
    """A date that prints (``|iso``, or as it is) between marks naming its document and
    field, and notes in ``used`` when a template computes with it instead."""

    key: str
    used: set[str]

    def __new__(cls, value: date, key: str, used: set[str]) -> "MarkedDate":
        marked = super().__new__(cls, value.year, value.month, value.day)
        marked.key, marked.used = key, used
        return marked

    def marked_iso(self) -> "MarkedValue":
        return MarkedValue(date.isoformat(self), self.key)

    def __html__(self) -> Markup:
        return self.marked_iso().__html__()

    def _computed(self) -> None:
        self.used.add(place_of(self.key)[1])


class MarkedList(tuple):
    """A document's list field (:data:`LIST_FIELDS`) as templates get it: printed joined
    with :data:`LIST_SEPARATOR` (``|join``) or as JSON (``|json_text``) between marks
    naming its document and field; anything else a template does with it (iterates it,
    takes an item or its length, prints it as it is) is noted in ``used``."""

    key: str
    used: set[str]

    def __new__(cls, items: tuple[str, ...], key: str, used: set[str]) -> "MarkedList":
        marked = super().__new__(cls, items)
        marked.key, marked.used = key, used
        return marked

    def items(self) -> tuple[str, ...]:
        """The plain items (not noted: for the filters that print them marked)."""
        return tuple(tuple.__iter__(self))

    def marked_join(self) -> Markup:
        return _marked(self.key, printed_text(self.items()))

    def marked_json(self) -> Markup:
        return _marked(self.key + JSON_FORM, printed_text(self.items(), JSON_FORM))

    def _computed(self) -> None:
        self.used.add(place_of(self.key)[1])


def _noting(kind: type, name: str) -> Callable[..., Any]:
    """``kind``'s method ``name``, which notes first that a template computes with the value."""
    plain = getattr(kind, name)

    def method(self: Any, *args: Any) -> Any:
        self._computed()
        return plain(self, *args)

    method.__name__ = method.__qualname__ = name
    return method


# As text otherwise than marked (``|string``, ``format``) and compared: computed with.
for _name in ("__str__", "__format__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
    setattr(MarkedDate, _name, _noting(date, _name))
# Iterated, measured, indexed, looked in, printed or compared: used otherwise than printed.
for _name in ("__iter__", "__len__", "__getitem__", "__contains__", "__str__", "__repr__", "__format__",
              "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__mul__", "__rmul__", "count", "index"):
    setattr(MarkedList, _name, _noting(tuple, _name))
MarkedList.__hash__ = tuple.__hash__  # type: ignore[assignment]  # (kept: __eq__ set above would drop it)


def iso(value: Any) -> str:
    """The ``iso`` filter: a date as ``YYYY-MM-DD`` (a marked date stays marked), else ""."""
    if isinstance(value, MarkedDate):
        return value.marked_iso()
    return value.isoformat() if isinstance(value, date) else ""


def printed_text(value: str | tuple[str, ...], form: str = "") -> str:
    """A value as a page prints it (what a hole holds): a list joined, or as JSON
    (``form``: :data:`JSON_FORM`)."""
    if isinstance(value, tuple):
        value = json_text(value) if form == JSON_FORM else LIST_SEPARATOR.join(value)
    return str(escape(value))


def printed_texts(doc_id: str, field: str, value: str | tuple[str, ...]) -> dict[str, str]:
    """Each place key of the document's ``field`` → its text as pages print ``value``."""
    texts = {place_key(doc_id, field): printed_text(value)}
    if field in LIST_FIELDS:
        texts[place_key(doc_id, field + JSON_FORM)] = printed_text(value, JSON_FORM)
    return texts


def json_text(items: Any) -> str:
    """The ``json_text`` filter: a list as JSON text (not escaped: the page escapes it)."""
    return json.dumps(list(tuple.__iter__(items) if isinstance(items, tuple) else items), ensure_ascii=False)


class PrintedMarker:
    """Marks the printed fields in the templates of ``env`` while :attr:`on` (a whole build
    with the cache: the quick rebuild needs the places; otherwise nothing is marked).

    Templates reach them as ``doc.title``, ``doc.doc_number``, … and ``version.title``
    (attribute lookups, which Jinja makes through ``environment.getattr``) and as the
    ledger rows' ``row['标题']``, … (``environment.getitem``); the ``fmt`` filter formats
    labels around marked values as Markup, so they stay marked.  Only strings are marked:
    an absent number (None) prints nothing, or a dash, in every build alike."""

    def __init__(self, env: Any) -> None:
        self.on = False
        self.used: set[str] = set()
        """Fields whose values pages use otherwise than printing them where noted: those of
        :data:`UNPRINTED_FIELDS` a template looked up, dates a template computed with."""
        plain_getattr, plain_getitem = env.getattr, env.getitem
        printed, unprinted = frozenset(PRINTED_FIELDS + LISTED_FIELDS), frozenset(UNPRINTED_FIELDS)
        list_attributes = {attribute: field for field, attribute in LIST_FIELDS.items()}

        # Every lookup of every template passes here: Jinja's own first step is inlined (a
        # second Python call per lookup would slow the page writing down), its fallbacks
        # (an item for an attribute and the reverse, Undefined) are left to it.
        def getattr_(obj: Any, attribute: str) -> Any:
            if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
                # ``labels.title``, ``row.status``: what Jinja gives, an item, without the
                # two exceptions its getattr first raises (700,000 lookups in a
                # 10,000-document build).  A dict's own attributes (``items``, …) still win.
                try:
                    return obj[attribute]
                except KeyError:
                    return plain_getattr(obj, attribute)  # (Undefined)
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return plain_getattr(obj, attribute)
            if attribute in printed and self.on:
                kind = type(obj)
                if kind is Document or (kind is Version and attribute in VERSION_FIELDS):
                    doc_id = obj.id if kind is Document else obj.doc_id
                    if type(value) is str:
                        return self._mark(value, doc_id, attribute)
                    if type(value) is date and attribute in DATE_FIELDS:
                        return MarkedDate(value, place_key(doc_id, attribute), self.used)
            elif attribute in list_attributes and self.on:
                if type(obj) is Document and type(value) is tuple and self._markable(obj.id, value):
                    return MarkedList(value, place_key(obj.id, list_attributes[attribute]), self.used)
            elif attribute in unprinted and self.on:
                self.used.add(attribute)
            elif type(obj) is MarkedDate:  # its year, strftime, …: computed with
                obj._computed()
            return value

        def getitem(obj: Any, argument: Any) -> Any:
            try:
                value = obj[argument]
            except (AttributeError, TypeError, LookupError):
                return plain_getitem(obj, argument)
            if self.on and type(obj) is dict:
                if type(value) is str and (argument in LEDGER_COLUMNS or argument in LEDGER_STATUS):
                    doc_id = ledger_doc_id(obj)
                    if doc_id is not None:
                        return self._mark(value, doc_id, LEDGER_COLUMNS.get(argument) or LEDGER_STATUS[argument])
                elif type(value) is int and argument in LEDGER_NUMBER:
                    doc_id = ledger_doc_id(obj)
                    if doc_id is not None and not MARK_CHARS.intersection(doc_id):
                        return MarkedCount(value, place_key(doc_id, LEDGER_NUMBER[argument]), self)
            return value

        env.getattr, env.getitem = getattr_, getitem
        self._list_filters(env)

    def _mark(self, value: str, doc_id: str, field: str) -> str:
        if MARK_CHARS.intersection(value) or MARK_CHARS.intersection(doc_id):
            return value  # (printed as it is: take_marks finds the page's marks ill-formed, its places unknown)
        return MarkedValue(value, place_key(doc_id, field))

    @staticmethod
    def _markable(doc_id: str, items: tuple[Any, ...]) -> bool:
        return all(type(item) is str and not MARK_CHARS.intersection(item) for item in items) \
            and not MARK_CHARS.intersection(doc_id)

    def _list_filters(self, env: Any) -> None:
        """``join`` and ``tojson`` that know a :class:`MarkedList`, and ``json_text``."""
        from jinja2 import pass_eval_context

        plain_join, plain_tojson = env.filters["join"], env.filters["tojson"]

        @pass_eval_context
        def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
            if type(value) is MarkedList:
                if d == LIST_SEPARATOR and attribute is None:
                    return value.marked_join()
                value._computed()
                value = value.items()
            return plain_join(eval_ctx, value, d, attribute)

        @pass_eval_context
        def tojson(eval_ctx: Any, value: Any, indent: Any = None) -> Any:
            if type(value) is MarkedList:
                value._computed()
            return plain_tojson(eval_ctx, value, indent)

        def json_filter(value: Any) -> str:
            return value.marked_json() if type(value) is MarkedList else json_text(value)

        env.filters.update(join=join, tojson=tojson, json_text=json_filter)

    def row(self, doc: Any, end: bool = False) -> str:
        """Where a table's row of ``doc`` (a document, or a row of the ledger's view that links
        to one) starts (``end``: ends), as a place of no text, while :attr:`on` (the
        ``row_place`` global: a theme prints it first and last in its loop)."""
        doc_id = doc.id if type(doc) is Document else ledger_doc_id(doc)
        if not self.on or doc_id is None or MARK_CHARS.intersection(doc_id):
            return ""
        return _marked(place_key(doc_id, ROW_FIELDS[end]), "")

    def list_total(self, total: int) -> int:
        """A list page's count of the list's documents, marked (while :attr:`on`): after an
        edit that moves a document in or out of the list, the pages before its place differ
        only by it (:mod:`.relist`)."""
        return MarkedCount(total, LIST_TOTAL_KEY, self) if self.on else total

    def ledger_counts(self, view: dict[str, Any]) -> dict[str, Any]:
        """The ledger's view with its counts by status marked (while :attr:`on`)."""
        counts = view.get("counts") if self.on and isinstance(view, dict) else None
        if not isinstance(counts, dict) or not isinstance(counts.get("by_status"), dict):
            return view
        marked = {code: MarkedCount(count, facet_key(LEDGER_STATUS_KIND, code), self) if type(count) is int else count
                  for code, count in counts["by_status"].items()}
        return {**view, "counts": {**counts, "by_status": marked}}

    def facets(self, facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, int]]]:
        """The register's filter choices with their counts marked (while :attr:`on`)."""
        if not self.on:
            return facets
        return {kind: [(value, count if MARK_CHARS.intersection(value)
                        else MarkedCount(count, facet_key(kind, value), self))
                       for value, count in choices] for kind, choices in facets.items()}

    @staticmethod
    def fmt(pattern: str, **values: Any) -> str:
        """The ``fmt`` filter: ``pattern.format(**values)``; Markup (the pattern escaped, each
        value escaped as printed) when a value is marked, the same characters once printed."""
        if any(isinstance(value, (MarkedValue, MarkedCount)) for value in values.values()):
            return escape(pattern).format(**values)
        return pattern.format(**values)


PackedHoles = tuple[tuple[str, ...], bytes]
"""A page's holes as the snapshot keeps them: their keys, and starts and lengths
as an ``array('i')``'s bytes (pickled and loaded ten times faster than the tuples)."""


def pack(holes: tuple[PrintedHole, ...]) -> PackedHoles:
    return tuple(hole.key for hole in holes), array("i", [n for hole in holes for n in hole[1:]]).tobytes()


def unpack(packed: PackedHoles) -> tuple[PrintedHole, ...]:
    ids, places = packed
    numbers = array("i")
    numbers.frombytes(places)
    return tuple(PrintedHole(key, numbers[2 * i], numbers[2 * i + 1]) for i, key in enumerate(ids))


def take_marks(text: str) -> tuple[str, tuple[PrintedHole, ...]] | None:
    """``text`` without its marks, and where the marked values are; None when the
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
        key, named, rest = part.partition(NAMED)
        value, closed, tail = rest.partition(CLOSE)
        if not named or not closed or NAMED in value or NAMED in tail or CLOSE in tail:
            return None
        holes.append(PrintedHole(key, at, len(value)))
        out += (value, tail)
        at += len(value) + len(tail)
    return "".join(out), tuple(holes)


def shift_holes(holes: tuple[PrintedHole, ...], after: int, by: int) -> tuple[PrintedHole, ...]:
    """``holes`` once ``by`` characters are added (or taken, if negative) at ``after``:
    those starting at or after it move."""
    if not by:
        return holes
    return tuple(hole._replace(start=hole.start + by) if hole.start >= after else hole for hole in holes)


def replace_values(page: str, holes: tuple[PrintedHole, ...], new_text: Callable[[str], str | None]
                   ) -> tuple[str, tuple[PrintedHole, ...]]:
    """``page`` with the holes whose key ``new_text`` gives a new text (else None) filled
    with it, and where every hole is then."""
    out, moved, at, shift = [], [], 0, 0
    for hole in sorted(holes, key=lambda h: h.start):
        text = new_text(hole.key)
        if text is None:
            moved.append(hole._replace(start=hole.start + shift) if shift else hole)
            continue
        out += (page[at:hole.start], text)
        at = hole.start + hole.length
        moved.append(PrintedHole(hole.key, hole.start + shift, len(text)))
        shift += len(text) - hole.length
    out.append(page[at:])
    return "".join(out), tuple(moved)


class MarkedTemplate:
    """A page's template whose render notes where printed values are (in ``holes``, by page name;
    None for a page whose marks could not be taken out: it is then rendered unmarked)."""

    def __init__(self, template: Any, name: str, marker: PrintedMarker,
                 holes: dict[str, tuple[PrintedHole, ...] | None]) -> None:
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
