"""What the search index holds about one published document.

:class:`SearchRecord` is a flat, JSON-friendly view of a document version,
built by :func:`records_from_corpus` from the core model
(:mod:`disclosure.corpus`). The caller applies the disclosure gate: pass the
*public* corpus (``corpus.public()``); every record given to the index is
published in the static export.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import sys
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from disclosure.corpus import Corpus
    from disclosure.document import Document, Version


@dataclass(frozen=True)
class SearchRecord:
    """One searchable version of a document.

    ``text`` is the plain text of the body (Markdown removed); ``published``
    is an ISO date (``YYYY-MM-DD``); ``status`` is an effectiveness code
    (``effective``, ``repealed``…) computed for the build date, and
    ``in_force`` says whether the document still applies on that date.
    ``document`` is the id of the document the version belongs to: the record
    whose ``id`` equals it is the document's current version (its *head*);
    searches return one result per document (see :mod:`.scoring`).
    """

    id: str
    version: int
    url: str
    title: str
    title_en: str
    text: str
    doc_number: str
    issuers: tuple[str, ...]
    type: str
    topic: str
    year: int | None
    published: str
    status: str
    in_force: bool
    keywords: tuple[str, ...] = field(default=())
    document: str = ""

    def __post_init__(self) -> None:
        if not self.document:
            object.__setattr__(self, "document", self.id)

    @property
    def is_head(self) -> bool:
        """True for the record of a document's current version."""
        return self.id == self.document

    def content_hash(self) -> str:
        """SHA-256 of the record's canonical JSON: what incremental indexing compares."""
        payload = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (tuples become lists)."""
        # Every field is a string, number, bool or tuple of strings: a shallow copy is
        # what ``asdict`` gives, at a tenth of its cost (it deep-copies every value).
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["issuers"] = list(self.issuers)
        data["keywords"] = list(self.keywords)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchRecord:
        """Inverse of :meth:`to_json`."""
        values = dict(data)
        values["issuers"] = tuple(values.get("issuers", ()))
        values["keywords"] = tuple(values.get("keywords", ()))
        return cls(**values)


_FIELD_NAMES = tuple(f.name for f in fields(SearchRecord))


# --- Markdown to plain text -------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_LINK_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_HTML_TAG = re.compile(r"<[^>\n]+>")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_BLOCKQUOTE = re.compile(r"^\s*(>\s?)+", re.MULTILINE)
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.MULTILINE)
_HRULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)")
_ATTR_LIST = re.compile(r"\{:[^}]*\}")
_BLANKS = re.compile(r"[ \t]*\n[ \t\n]*")


def markdown_to_text(markdown: str) -> str:
    """Strip Markdown syntax simply, keeping the words.

    Template placeholders (``{{ figures }}`` of annual reports) go, then
    headings, emphasis, links (``[text](doc:ID)`` keeps ``text``), images
    (alt text), HTML tags, block quotes, list markers, table pipes and rules;
    paragraphs are joined by single newlines. Numbered list items keep their
    numbers (``1.`` is stripped only as a list marker, which loses the number;
    the numbers of government "tasks" matter less than their words).

    >>> markdown_to_text("## 一、总体要求\\n\\n**加强**[政策解读](doc:x)。")
    '一、总体要求\\n加强政策解读。'
    """
    text = markdown
    for pattern, replacement, needs in _TEXT_STEPS:
        if needs is None or any(literal in text for literal in needs):
            text = pattern.sub(replacement, text)
    text = text.replace("|", " ")
    return _BLANKS.sub("\n", text).strip()


_TEXT_STEPS: tuple[tuple[re.Pattern[str], str, tuple[str, ...] | None], ...] = (
    # (pattern, replacement, literals one of which any match contains: the pattern is
    # skipped when the text has none of them, a regular expression scan saved; None: always)
    (_TEMPLATE, "", ("{",)),
    (_FENCE, "", ("```", "~~~")),
    (_LINK_DEF, "", ("]:",)),
    (_IMAGE, r"\1", ("![",)),
    (_LINK, r"\1", ("](",)),
    (_REF_LINK, r"\1", ("][",)),
    (_HTML_TAG, "", ("<",)),
    (_ATTR_LIST, "", ("{:",)),
    (_TABLE_RULE, "", ("---",)),
    (_HRULE, "", ("-", "*", "_")),
    (_HEADING, "", ("#",)),
    (_BLOCKQUOTE, "", (">",)),
    (_LIST_MARK, "", None),
    (_EMPHASIS, "", ("*", "_", "~~", "`")),
)
"""The steps of :func:`markdown_to_text`, in order."""


class TextCache:
    """:func:`markdown_to_text` of each body, kept across builds in one file.

    Stripping the Markdown of a 10,000-document site's bodies took 0.8 s of every
    rebuild's search export, though an edit changes one body.  Texts are kept under a
    digest of the body (nothing else decides its text), in a file that also names this
    module's code and the Python it ran on (its regular expressions' idea of a space):
    a file written by other code is ignored.  Saved only when a text was added or one is
    no longer used; a cache that cannot be read or written is empty."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.code = hashlib.sha256(Path(__file__).read_bytes() + sys.version.encode()).hexdigest()
        self.kept: dict[bytes, str] = {}
        if path is not None:
            try:
                found = marshal.loads(path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                found = None
            if isinstance(found, dict) and found.get("code") == self.code and isinstance(found.get("texts"), dict):
                self.kept = found["texts"]
        self.used: dict[bytes, str] = {}
        self.added = 0

    def text(self, body: str) -> str:
        key = hashlib.blake2b(body.encode("utf-8"), digest_size=16).digest()
        found = self.used.get(key)
        if found is None:
            found = self.kept.get(key)
            if found is None:
                found = markdown_to_text(body)
                self.added += 1
            self.used[key] = found
        return found

    def save(self) -> None:
        """Keep the texts used since this cache was loaded (only those)."""
        if self.path is None or (not self.added and len(self.used) == len(self.kept)):
            return
        from disclosure.keyed_store import replace_file

        data = marshal.dumps({"code": self.code, "texts": self.used})
        try:
            replace_file(self.path, lambda handle: handle.write(data))
        except OSError:
            pass  # the next export strips them again


# --- From the core model ------------------------------------------------------


def _record(corpus: Corpus, doc: Document, version: Version, as_of: date, *, record_id: str, url: str,
            texts: TextCache | None) -> SearchRecord:
    from disclosure.effectiveness import status_on, version_status_on

    current = version is doc.current
    eff = status_on(corpus, doc, as_of) if current else version_status_on(corpus, doc, version, as_of)
    # An older version is described by its own front matter (a revision may change the
    # title, the number, the issuers…); the document's values fill what it leaves out.
    own = {} if current else version.meta

    def value(key: str, fallback: Any) -> Any:
        found = own.get(key)
        return fallback if found in (None, "", ()) else found

    issuers = value("issuer", doc.issuers)
    return SearchRecord(
        id=record_id,
        version=version.number,
        url=url,
        title=version.title or doc.title,
        title_en=value("title_en", doc.title_en) or "",
        text=texts.text(version.body) if texts is not None else markdown_to_text(version.body),
        doc_number=value("doc_number", doc.doc_number) or "",
        issuers=(issuers,) if isinstance(issuers, str) else tuple(issuers),
        type=doc.type.value,
        topic=value("topic", doc.topic) or "",
        year=doc.published.year if doc.published != date.min else None,
        published=doc.published.isoformat() if doc.published != date.min else "",
        status=eff.status.value,
        in_force=eff.status.in_force,
        keywords=tuple(value("keywords", doc.keywords)),
        document=doc.id,
    )


def records_from_corpus(public_corpus: Corpus, as_of: date, *, all_versions: bool = True,
                        texts: TextCache | None = None) -> list[SearchRecord]:
    """Build the search records of a (public) corpus, sorted by id.

    Each document's current version has the document's id and URL; its older
    versions have ids ``<id>@v<N>``, their version URL, their own title,
    number, issuers and keywords, and their own status (``amended`` when a
    later version is in force). ``all_versions=False`` leaves older versions
    out. Dates and years are the document's (its first publication), so that
    all records of a document sort together. The disclosure gate is the
    caller's: pass ``corpus.public()``. ``texts`` keeps the bodies' texts between
    builds (the caller saves it).
    """
    records: list[SearchRecord] = []
    for doc in public_corpus.documents:
        records.append(_record(public_corpus, doc, doc.current, as_of, record_id=doc.id, url=doc.url, texts=texts))
        if all_versions:
            for version in doc.versions[:-1]:
                record_id = f"{doc.id}@v{version.number}"
                records.append(_record(public_corpus, doc, version, as_of, record_id=record_id, url=version.url,
                                       texts=texts))
    return sorted(records, key=lambda r: r.id)
