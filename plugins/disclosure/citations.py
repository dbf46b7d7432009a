"""Document numbers (发文字号) as people write them, and links between documents.

A number such as ``国发〔2016〕55号`` is written with many bracket forms:
〔〕, [], ［］, （）, (), 【】.  ``canonical_number`` maps them all to the form with
〔〕 so that citations can be matched to documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_BRACKETS = "〔[［（(【"
CLOSE_BRACKETS = "〕]］）)】"

# An issuer code of CJK characters, a bracketed year and a serial, then 号.
NUMBER_PATTERN = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,12})\s*[" + re.escape(OPEN_BRACKETS) + r"]\s*(?P<year>\d{4})\s*["
    + re.escape(CLOSE_BRACKETS) + r"]\s*(?P<serial>\d{1,5})\s*号"
)

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


def find_citations(text: str, known: frozenset[str] | set[str] = frozenset()) -> list[Citation]:
    """Every document number written in ``text``, in order.

    The regular expression cannot tell where an issuer code starts in running
    text, so the longest suffix of the matched code that forms a ``known`` number
    wins; failing that, common words before the code are trimmed.
    """
    citations = []
    for match in NUMBER_PATTERN.finditer(text):
        code, tail = match["code"], f"〔{match['year']}〕{int(match['serial'])}号"
        start = match.start("code")
        chosen = None
        for cut in range(len(code)):
            if code[cut:] + tail in known:
                chosen = cut
                break
        if chosen is None:
            trimmed = _LEADING_WORDS.sub("", code) or code
            chosen = len(code) - len(trimmed)
        citations.append(Citation(text[start + chosen:match.end()], code[chosen:] + tail, start + chosen, match.end()))
    return citations


def line_at(text: str, offset: int) -> int:
    """0-based line index of ``offset`` in ``text``."""
    return text.count("\n", 0, offset)
