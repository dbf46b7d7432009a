"""Atom feeds (RFC 4287) of the public documents: one per type and one for all.

Hand-written XML so the output is byte-for-byte reproducible: every date comes from
the documents (an entry's ``updated`` is its latest version's publication date, the
feed's ``updated`` that of its newest entry), never from the clock.  Ids are
``urn:uuid:`` values derived from the organ code and document id, so they do not
change when the site moves to another address.  Without ``SITEURL`` the links are
relative to the feed file (``../documents/<id>/index.html``), which feed readers
resolve against the feed's own address.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from disclosure.document import Document
from disclosure.effectiveness import Effectiveness
from disclosure.render import plain_text

SUMMARY_CHARS = 160
MAX_ENTRIES = 50
"""Entries per feed: the newest; readers poll feeds for news, not for the archive."""
_NAMESPACE = uuid.UUID("6f6a2d3e-6c1b-5d0e-9a51-8c2f0f5d7b11")


@dataclass(frozen=True)
class FeedSpec:
    name: str
    """Output path, e.g. ``feeds/all.atom.xml``."""
    title: str
    html_page: str
    """Site-relative path of the matching HTML list."""
    documents: tuple[Document, ...]


def stable_id(*parts: str) -> str:
    """A ``urn:uuid:`` that depends only on ``parts``."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(parts))}"


def timestamp(day: date, zone: str) -> str:
    """Midnight of ``day`` in ``zone`` as an RFC 3339 date-time."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).isoformat()


def _href(path: str, siteurl: str, feed_name: str) -> str:
    if siteurl:
        return f"{siteurl.rstrip('/')}/{path}"
    return "../" * feed_name.count("/") + path


def _summary(doc: Document, status: Effectiveness, language: str, type_label: str, status_label: str) -> str:
    return summary_head(doc, status, language, type_label, status_label) + "\n" + summary_text(doc.current.body)


def summary_head(doc: Document, status: Effectiveness, language: str, type_label: str, status_label: str) -> str:
    """An entry's summary's first line: the type, the document number (when there is one),
    the issuers, the status with its reason."""
    reason = status.reason_en if language == "en" else status.reason
    status_text = f"{status_label} ({reason})" if language == "en" else f"{status_label}（{reason}）"
    return " · ".join([type_label, *([doc.doc_number] if doc.doc_number else []), "、".join(doc.issuers), status_text])


def summary_text(body: str) -> str:
    """The part of an entry's summary taken from the body: the start of its plain text.
    It follows the summary's first line break; the line before it is metadata, which
    holds none (so a rebuild after a body edit can replace this part alone)."""
    text = plain_text(body)
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rstrip() + "…"
    return text


def feed_entries(spec: FeedSpec, max_entries: int = MAX_ENTRIES) -> list[Document]:
    """The documents a feed lists: the newest."""
    return sorted(spec.documents, key=lambda d: (d.current.published, d.id), reverse=True)[:max_entries]


def entry_id(organ: str, doc_id: str) -> str:
    return stable_id(organ, "documents", doc_id)


def atom_feed(spec: FeedSpec, *, site_name: str, organ: str, siteurl: str, zone: str, fallback_date: date,
              statuses: dict[str, Effectiveness], language: str, type_label, status_label,  # type: ignore[no-untyped-def]
              max_entries: int = MAX_ENTRIES) -> str:
    """The feed as text.  ``fallback_date`` (the build's as-of date) dates an empty feed."""
    entries = feed_entries(spec, max_entries)
    updated = entries[0].current.published if entries else fallback_date
    lang = "en" if language == "en" else "zh-CN"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <title>{escape(spec.title)} - {escape(site_name)}</title>",
        f"  <id>{stable_id(organ, spec.name)}</id>",
        f"  <updated>{timestamp(updated, zone)}</updated>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(_href(spec.name, siteurl, spec.name))}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(_href(spec.html_page, siteurl, spec.name))}/>",
        f"  <author><name>{escape(site_name)}</name></author>",
    ]
    for doc in entries:
        status = statuses[doc.id]
        lines += [
            "  <entry>",
            f"    <title type=\"text\" xml:lang=\"zh-CN\">{escape(doc.title)}</title>",
            f"    <id>{entry_id(organ, doc.id)}</id>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(_href(f'documents/{doc.id}/index.html', siteurl, spec.name))}/>",
            f"    <published>{timestamp(doc.published, zone)}</published>",
            f"    <updated>{timestamp(doc.current.published, zone)}</updated>",
            f"    <category term={quoteattr(doc.type.value)} label={quoteattr(type_label(doc.type))}/>",
            "".join(f"    <author><name>{escape(issuer)}</name></author>" for issuer in doc.issuers[:1]),
            f"    <summary type=\"text\">{escape(_summary(doc, status, language, type_label(doc.type), status_label(status.status)))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def feed_specs(listings_by_type: Iterable, all_documents: tuple[Document, ...], all_title: str) -> list[FeedSpec]:  # type: ignore[no-untyped-def]
    specs = [FeedSpec("feeds/all.atom.xml", all_title, "catalogue/index.html", all_documents)]
    for listing in listings_by_type:
        specs.append(FeedSpec(f"feeds/{listing.key}.atom.xml", listing.label, f"{listing.url}index.html", listing.documents))
    return specs
