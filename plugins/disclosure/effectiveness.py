"""Effectiveness (有效性): which documents are in force on a given day, and why.

Every function takes the date explicitly; nothing here reads the clock, so the same
content and the same date always give the same answer.

Rules, in order of precedence for a document on date D:

1. **repealed** (已废止) when a document that ``repeals`` it has taken effect on or
   before D (the earliest such document is named);
2. **expired** (失效) when D is after its ``expires`` date;
3. **not_yet_effective** (尚未生效) when D is before it takes effect (``effective``,
   or ``published`` for types without an effective date);
4. **partially_invalid** (部分失效) when the file says so (``status_note`` is the reason);
5. **effective** (现行有效) otherwise.

A version is **amended** (已修改) when a later version of the same document has
taken effect on or before D; otherwise it has the document's status, except that a
version that has not taken effect yet is not_yet_effective.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .document import Document, Version

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus


class Status(enum.Enum):
    """Effectiveness of a document or version on a date."""

    NOT_YET_EFFECTIVE = "not_yet_effective"
    EFFECTIVE = "effective"
    AMENDED = "amended"
    PARTIALLY_INVALID = "partially_invalid"
    REPEALED = "repealed"
    EXPIRED = "expired"

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    @property
    def in_force(self) -> bool:
        """Effective or partially invalid: the document still applies."""
        return self in (Status.EFFECTIVE, Status.PARTIALLY_INVALID)


_LABELS = {
    Status.NOT_YET_EFFECTIVE: ("尚未生效", "Not yet effective"),
    Status.EFFECTIVE: ("现行有效", "In force"),
    Status.AMENDED: ("已修改", "Amended"),
    Status.PARTIALLY_INVALID: ("部分失效", "Partially invalid"),
    Status.REPEALED: ("已废止", "Repealed"),
    Status.EXPIRED: ("失效", "Expired"),
}


@dataclass(frozen=True)
class Effectiveness:
    """A status with its reason."""

    status: Status
    reason: str
    """Why, in Chinese, naming the acting document and date."""
    since: date | None = None
    """The date the status began (or begins, for not_yet_effective)."""
    by: str | None = None
    """Id of the document (or ``id#vN`` of the version) that caused it, if any."""
    reason_en: str = ""


def cite(doc: Document) -> str:
    """How a reason names a document: 《title》 with its number when it has one."""
    return f"《{doc.title}》（{doc.doc_number}）" if doc.doc_number else f"《{doc.title}》"


def status_on(corpus: "Corpus", doc: Document, as_of: date, *, ignore_explicit: bool = False) -> Effectiveness:
    """The document's effectiveness on ``as_of``.

    ``ignore_explicit`` skips the file's own ``status`` (used to check that an
    explicit status agrees with what dates and relations say).
    """
    repealers = sorted(
        (r for r in corpus.repealed_by(doc.id) if r.takes_effect <= as_of),
        key=lambda r: (r.takes_effect, r.id),
    )
    if repealers:
        first = repealers[0]
        return Effectiveness(
            Status.REPEALED,
            f"已由{cite(first)}废止，自{first.takes_effect.isoformat()}起",
            first.takes_effect,
            first.id,
            f"Repealed by {first.doc_number or first.title} from {first.takes_effect.isoformat()}",
        )
    if doc.expires is not None and as_of > doc.expires:
        return Effectiveness(
            Status.EXPIRED,
            f"有效期至{doc.expires.isoformat()}，已失效",
            doc.expires + timedelta(days=1),
            None,
            f"Valid until {doc.expires.isoformat()}",
        )
    start = doc.versions[0].takes_effect if doc.versions else doc.takes_effect
    if as_of < start:
        return Effectiveness(
            Status.NOT_YET_EFFECTIVE,
            f"自{start.isoformat()}起施行",
            start,
            None,
            f"Takes effect on {start.isoformat()}",
        )
    if doc.explicit_status == Status.PARTIALLY_INVALID.value and not ignore_explicit:
        return Effectiveness(
            Status.PARTIALLY_INVALID,
            f"部分失效：{doc.status_note}" if doc.status_note else "部分失效",
            None,
            None,
            "Partially invalid",
        )
    amenders = sorted((a for a in corpus.amended_by(doc.id) if a.takes_effect <= as_of), key=lambda a: (a.takes_effect, a.id))
    reason = f"自{start.isoformat()}起施行"
    reason_en = f"In force since {start.isoformat()}"
    if amenders:
        last = amenders[-1]
        reason += f"；经{cite(last)}修改，自{last.takes_effect.isoformat()}起"
        reason_en += f"; amended by {last.doc_number or last.title} from {last.takes_effect.isoformat()}"
    return Effectiveness(Status.EFFECTIVE, reason, start, None, reason_en)


def version_in_force(doc: Document, as_of: date) -> Version:
    """The version that applies on ``as_of``: the last one already in effect, else the first."""
    applying = [v for v in doc.versions if v.takes_effect <= as_of]
    return applying[-1] if applying else doc.versions[0]


def version_status_on(corpus: "Corpus", doc: Document, version: Version, as_of: date,
                      document_status: Effectiveness | None = None) -> Effectiveness:
    """The effectiveness of one version on ``as_of``; ``document_status``: the document's
    (:func:`status_on`), when the caller has it."""
    later = [v for v in doc.versions if v.number > version.number and v.takes_effect <= as_of]
    if later:
        replacing = later[-1]
        return Effectiveness(
            Status.AMENDED,
            f"已被第{replacing.number}版替代，自{replacing.takes_effect.isoformat()}起",
            replacing.takes_effect,
            f"{doc.id}#v{replacing.number}",
            f"Replaced by version {replacing.number} from {replacing.takes_effect.isoformat()}",
        )
    if document_status is None:
        document_status = status_on(corpus, doc, as_of)
    if document_status.status in (Status.REPEALED, Status.EXPIRED):
        return document_status
    if as_of < version.takes_effect:
        return Effectiveness(
            Status.NOT_YET_EFFECTIVE,
            f"自{version.takes_effect.isoformat()}起施行",
            version.takes_effect,
            None,
            f"Takes effect on {version.takes_effect.isoformat()}",
        )
    return document_status
