"""Document numbers (发文字号) written in any of their usual forms.

A document number such as ``国知办函办字〔2022〕495号`` has an issuer-code
prefix (``国知办函办字``), a year and a sequence number. People write it with
other brackets (``[2022]``, ``(2022)``, ``（2022）``, ``【2022】``), leave out
the prefix or the year (``495号``), or use the English form
``Guozhiban Hanbanzi [2022] No. 495``.

In *normalised* text (see :mod:`disclosure_search.script`) each occurrence is
replaced by canonical tokens:

* ``2022-495``  year and sequence, when the year is written;
* ``no:495``    sequence alone, always.

The prefix stays in the text and is matched like any other Chinese word. The
same pattern, applied in the same way, lives in ``static/search.js``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .script import is_cjk, normalise

# Keep in sync with DOCNUM_RE in static/search.js. Only ASCII space is allowed
# between parts: NFKC has already turned the ideographic space into one.
DOCNUM_RE = re.compile(
    r"[〔\[(【〖] *((?:19|20)[0-9]{2}) *[〕\])】〗] *(?:第 *)?(?:no\.? *)?([0-9]{1,6})(?: *号)?"
    r"|(?:第 *)?([0-9]{1,6}) *号"
    r"|no\.? *([0-9]{1,6})"
)

_DIGITS = "0123456789"
_ASCII_ALNUM = _DIGITS + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class DocNumberMatch:
    """One document number found in normalised text."""

    start: int
    end: int
    year: int | None
    seq: int

    @property
    def tokens(self) -> tuple[str, ...]:
        """Canonical index/query tokens for this number (year-seq first when known)."""
        if self.year is None:
            return (f"no:{self.seq}",)
        return (f"{self.year}-{self.seq}", f"no:{self.seq}")


def find_doc_numbers(norm: str) -> list[DocNumberMatch]:
    """Return the document numbers in already-normalised text, left to right.

    A match is rejected when digits run on before or after it (``123456号``
    inside a longer digit string) or when ``no`` is the end of a longer word.
    """
    found: list[DocNumberMatch] = []
    pos = 0
    while True:
        m = DOCNUM_RE.search(norm, pos)
        if m is None:
            return found
        start, end = m.start(), m.end()
        before = norm[start - 1] if start > 0 else ""
        after = norm[end] if end < len(norm) else ""
        glued_before = before != "" and before in _ASCII_ALNUM and m.group(1) is None
        glued_after = after != "" and after in _DIGITS and norm[end - 1] in _DIGITS
        if glued_before or glued_after:
            pos = start + 1
            continue
        if m.group(1) is not None:
            found.append(DocNumberMatch(start, end, int(m.group(1)), int(m.group(2))))
        else:
            seq = m.group(3) if m.group(3) is not None else m.group(4)
            found.append(DocNumberMatch(start, end, None, int(seq)))
        pos = end


@dataclass(frozen=True)
class DocNumber:
    """A document number reduced to its parts.

    ``prefix`` is the issuer code (``国知办函办字``) in normalised script, or
    ``""`` when none was written; ``year`` is ``None`` when absent.
    """

    prefix: str
    year: int | None
    seq: int

    @property
    def canonical(self) -> str:
        """The official written form, e.g. ``国知办函办字〔2022〕495号``."""
        year = f"〔{self.year}〕" if self.year is not None else ""
        return f"{self.prefix}{year}{self.seq}号"

    @property
    def key(self) -> str:
        """A compact comparable key, e.g. ``国知办函办字:2022-495``."""
        year = f"{self.year}-" if self.year is not None else ""
        return f"{self.prefix}:{year}{self.seq}"

    @property
    def tokens(self) -> tuple[str, ...]:
        """The canonical tokens (``2022-495``, ``no:495``) that index and query share."""
        return DocNumberMatch(0, 0, self.year, self.seq).tokens


def canonical_doc_number(text: str) -> DocNumber | None:
    """Parse the first document number in ``text`` (any written form), or return None.

    >>> canonical_doc_number("国知办函办字(2022)495号").key
    '国知办函办字:2022-495'
    >>> canonical_doc_number("[2022] No. 495").tokens
    ('2022-495', 'no:495')
    """
    norm = normalise(text)
    matches = find_doc_numbers(norm)
    if not matches:
        return None
    first = matches[0]
    i = first.start
    while i > 0 and is_cjk(norm[i - 1]):
        i -= 1
    return DocNumber(prefix=norm[i : first.start], year=first.year, seq=first.seq)
