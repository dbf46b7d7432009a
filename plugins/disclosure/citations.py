"""Document numbers (发文字号) as people write them, and links between documents.

A number such as ``国发〔2016〕55号`` is written with many bracket forms:
〔〕, [], ［］, （）, (), 【】.  ``canonical_number`` maps them all to the form with
〔〕 so that citations can be matched to documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

OPEN_BRACKETS = "〔[［（(【"
CLOSE_BRACKETS = "〕]］）)】"

# An issuer code of CJK characters, a bracketed year and a serial, then 号.
NUMBER_PATTERN = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,12})\s*[" + re.escape(OPEN_BRACKETS) + r"]\s*(?P<year>\d{4})\s*["
    + re.escape(CLOSE_BRACKETS) + r"]\s*(?P<serial>\d{1,5})\s*号"
)

# The bracketed year and serial, which is cheap to find; the issuer code is then read
# backwards from the bracket (a leading CJK run in the pattern is slow on long texts).
_YEAR_AND_SERIAL = re.compile(
    r"\s*[" + re.escape(OPEN_BRACKETS) + r"]\s*(?P<year>\d{4})\s*[" + re.escape(CLOSE_BRACKETS)
    + r"]\s*(?P<serial>\d{1,5})\s*号"
)
_MAX_CODE = 12


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


# Markdown links to other documents: [text](doc:ID) or [text](doc:ID#v2)
DOC_LINK_PATTERN = re.compile(r"\]\(doc:(?P<id>[^)#\s]*)(?:#v(?P<version>\d+))?\)")


@dataclass(frozen=True)
class Citation:
    """A document number found in text."""

    text: str
    """As written."""
    canonical: str
    start: int
    end: int


def canonical_number(number: str) -> str:
    """``国知办函办字(2022)495号`` → ``国知办函办字〔2022〕495号``; unchanged if not a number."""
    match = NUMBER_PATTERN.fullmatch(number.strip())
    if not match:
        return number.strip()
    return f"{match['code']}〔{match['year']}〕{int(match['serial'])}号"


# Words that run into an issuer code in running text ("根据国发〔2016〕55号").
_LEADING_WORDS = re.compile(r"^.*(?:根据|依据|按照|参照|贯彻|落实|执行|印发|以及|和|及|与|见|即|的|是|在|对|将|为)")


@dataclass(frozen=True)
class RawCitation:
    """A year-and-serial found in text with up to 12 CJK characters before it: where
    the issuer code starts is decided later, against the known numbers."""

    code: str
    tail: str
    """``〔year〕serial号`` in canonical form."""
    start: int
    """Offset of ``code``'s first character."""
    end: int
    text: str


def raw_citations(text: str) -> list[RawCitation]:
    """Candidates for document numbers in ``text``, in order."""
    found = []
    for match in _YEAR_AND_SERIAL.finditer(text):
        start = match.start()
        while start > 0 and match.start() - start < _MAX_CODE and _is_cjk(text[start - 1]):
            start -= 1
        if start < match.start():
            found.append(RawCitation(text[start:match.start()], f"〔{match['year']}〕{int(match['serial'])}号",
                                     start, match.end(), text[start:match.end()]))
    return found


def resolve_citation(raw: RawCitation, known: frozenset[str] | set[str] | Iterable[str] = frozenset()) -> Citation | None:
    """The citation ``raw`` stands for: the longest suffix of its code forming a ``known``
    number wins; failing that, common words before the code are trimmed."""
    code = raw.code
    chosen = next((cut for cut in range(len(code)) if code[cut:] + raw.tail in known), None)
    if chosen is None:
        trimmed = _LEADING_WORDS.sub("", code)
        if not trimmed:
            return None  # "见〔2016〕55号": no issuer code left
        chosen = len(code) - len(trimmed)
    return Citation(raw.text[chosen:], code[chosen:] + raw.tail, raw.start + chosen, raw.end)


def find_citations(text: str, known: frozenset[str] | set[str] | Iterable[str] = frozenset()) -> list[Citation]:
    """Every document number written in ``text``, in order."""
    citations = []
    for raw in raw_citations(text):
        citation = resolve_citation(raw, known)
        if citation is not None:
            citations.append(citation)
    return citations


def line_at(text: str, offset: int) -> int:
    """0-based line index of ``offset`` in ``text``."""
    return text.count("\n", 0, offset)
