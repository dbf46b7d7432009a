"""The document model: what an official document *is*, independent of any file format."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .frontmatter import line_of


class DocType(enum.Enum):
    """Kinds of official information the body publishes."""

    NORMATIVE = "normative"
    """行政规范性文件: administrative normative document."""
    REGULATION = "regulation"
    """规章: departmental regulation."""
    INTERPRETATION = "interpretation"
    """政策解读: interpretation of a policy, published with it."""
    KEYPOINTS = "keypoints"
    """政务公开工作要点: the year's key points of disclosure work."""
    ANNUAL_REPORT = "annual_report"
    """政府信息公开工作年度报告: the yearly disclosure report."""
    DRAFT = "draft"
    """征求意见稿: draft for public comment."""
    NOTICE = "notice"
    """Other notices."""

    @property
    def label_zh(self) -> str:
        return _TYPE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _TYPE_LABELS[self][1]

    @property
    def is_register_type(self) -> bool:
        """Types kept in the register of documents in force (规范性文件和规章库)."""
        return self in (DocType.NORMATIVE, DocType.REGULATION)


_TYPE_LABELS = {
    DocType.NORMATIVE: ("行政规范性文件", "Normative documents"),
    DocType.REGULATION: ("规章", "Regulations"),
    DocType.INTERPRETATION: ("政策解读", "Policy interpretations"),
    DocType.KEYPOINTS: ("政务公开工作要点", "Key points of disclosure work"),
    DocType.ANNUAL_REPORT: ("政府信息公开工作年度报告", "Annual reports on disclosure"),
    DocType.DRAFT: ("征求意见稿", "Drafts for public comment"),
    DocType.NOTICE: ("通知公告", "Notices"),
}


class Disclosure(enum.Enum):
    """Disclosure attribute (公开属性)."""

    PROACTIVE = "proactive"
    """主动公开: published on the site."""
    ON_REQUEST = "on_request"
    """依申请公开: released only on application; never on the site."""
    NOT_PUBLIC = "not_public"
    """不予公开: withheld on a legal ground; never on the site."""

    @property
    def label_zh(self) -> str:
        return {"proactive": "主动公开", "on_request": "依申请公开", "not_public": "不予公开"}[self.value]


class ReviewResult(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"


@dataclass(frozen=True)
class Review:
    """Confidentiality review record (保密审查) made before disclosure."""

    by: str
    date: date
    result: ReviewResult


@dataclass(frozen=True)
class CommentPeriod:
    """Public comment period of a draft (征求意见期)."""

    start: date
    end: date


@dataclass(frozen=True)
class Version:
    """One version of a document: the original text or a revision, from one file."""

    number: int
    """1 for the original text; each revision adds one."""
    path: Path
    """Source file."""
    title: str
    body: str
    """Markdown body after the front matter."""
    body_line: int
    """1-based line of the body's first line in the file."""
    written: date | None
    published: date
    effective: date | None
    """The date this version takes effect (施行日期)."""
    change_note: str | None
    disclosure: Disclosure
    review: Review | None
    sha256: str
    """Hex SHA-256 of the source file's bytes: what the ledger records."""
    doc_id: str = ""
    refs: Any = field(default=None, compare=False, repr=False)
    """References in the body (``files.BodyRefs``): links and cited numbers, with lines."""
    tasks: Any = field(default=None, compare=False, repr=False)
    """A key points version's numbered tasks (``tasks.TaskBreakdown``), parsed when its file was read."""
    meta: dict = field(default_factory=dict, compare=False, repr=False)
    """The file's parsed front matter (with ``_key_lines`` and ``_first``, version 1's values)."""

    @property
    def is_public(self) -> bool:
        """The disclosure gate: proactive and cleared by a passed review."""
        return (
            self.disclosure is Disclosure.PROACTIVE
            and self.review is not None
            and self.review.result is ReviewResult.PASSED
        )

    @property
    def url(self) -> str:
        return f"documents/{self.doc_id}/v{self.number}/"

    @property
    def takes_effect(self) -> date:
        """The date the version applies from: its ``effective`` date, else its publication."""
        return self.effective or self.published


@dataclass(frozen=True)
class Document:
    """An official document with all its versions.

    Document-level metadata is that of the latest version's file; the dates
    ``written``, ``published`` and ``effective`` are those of the original (version 1),
    because they date the document itself.
    """

    id: str
    type: DocType
    title: str
    issuers: tuple[str, ...]
    versions: tuple[Version, ...]
    title_en: str | None = None
    doc_number: str | None = None
    index_number: str = ""
    index_number_assigned: bool = True
    """False when the index number was generated for this build only (not yet in the file)."""
    topic: str | None = None
    written: date | None = None
    published: date = date.min
    effective: date | None = None
    expires: date | None = None
    repeals: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()
    interprets: tuple[str, ...] = ()
    result_of: str | None = None
    explicit_status: str | None = None
    status_note: str | None = None
    disclosure: Disclosure = Disclosure.PROACTIVE
    disclosure_basis: str | None = None
    review: Review | None = None
    comment_period: CommentPeriod | None = None
    report_year: int | None = None
    keywords: tuple[str, ...] = ()
    demo: bool = False
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each front-matter key in the current version's file (for messages)."""

    @property
    def current(self) -> Version:
        """The latest version."""
        return self.versions[-1]

    @property
    def path(self) -> Path:
        return self.current.path

    @property
    def url(self) -> str:
        return f"documents/{self.id}/"

    @property
    def takes_effect(self) -> date:
        """When the document first applies: its ``effective`` date, else its publication."""
        return self.effective or self.published

    @property
    def is_public(self) -> bool:
        """True when at least one version passes the disclosure gate."""
        return any(version.is_public for version in self.versions)

    def version(self, number: int) -> Version | None:
        for version in self.versions:
            if version.number == number:
                return version
        return None

    def line_of(self, key: str) -> int | None:
        """Line of ``key`` in the current version's file (or of its parent key)."""
        return line_of(self.key_lines, key)

    @property
    def relations(self) -> tuple[tuple[str, str], ...]:
        """Outgoing references as ``(field, target id)`` pairs."""
        if not (self.repeals or self.amends or self.interprets or self.result_of):
            return ()  # most documents: read for each of them by every rule across documents
        pairs = [("repeals", t) for t in self.repeals] + [("amends", t) for t in self.amends]
        pairs += [("interprets", t) for t in self.interprets]
        if self.result_of:
            pairs.append(("result_of", self.result_of))
        return tuple(pairs)
