"""Character-level normalisation: width, case and Traditional→Simplified script.

Normalisation is defined *per character* (NFKC, then lower-case, then a
Traditional→Simplified character table derived from OpenCC ``t2s``), followed
by a greedy longest-match replacement of regional terms (Taiwan/Hong Kong
vocabulary such as 智慧财产权 for 知识产权).

Why per character and not OpenCC's phrase-level conversion: the browser client
(``static/search.js``) must normalise queries exactly as Python does, and it
can only be given a character table plus a short phrase table (exported by
:mod:`disclosure_search.static_export`). Using the same definition at index
time and query time, in Python and in JavaScript, keeps matching identical.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

#: Regional terms, keyed by their form *after* per-character Traditional→Simplified
#: conversion, mapped to the mainland term used in our documents. Only terms that
#: cannot mean something else in mainland usage are listed.
REGIONAL_TERMS: dict[str, str] = {
    "智慧财产权": "知识产权",
    "智慧财产局": "知识产权局",
    "智慧财产": "知识产权",
    "智财权": "知识产权",
    "资讯公开": "信息公开",
    "政府资讯": "政府信息",
    "资讯": "信息",
    "网际网路": "互联网",
    "网路": "网络",
    "软体": "软件",
    "资料库": "数据库",
    "视窗": "窗口",
    "数位": "数字",
    "伺服器": "服务器",
}

#: CJK code point ranges treated as "Chinese characters" by the tokeniser
#: (kept in sync with ``CJK_RE`` in ``static/search.js``).
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3007, 0x3007),  # 〇
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs (NFKC maps most of them)
    (0x20000, 0x2FA1F),  # Extensions B–F and supplement
)


def is_cjk(char: str) -> bool:
    """Return True if the single character ``char`` is a Chinese character."""
    cp = ord(char)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


@functools.lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Return the Traditional→Simplified character table (only differing characters).

    Built once by converting every CJK code point with OpenCC ``t2s``, one
    character per line so that OpenCC's phrase dictionary cannot apply.
    """
    import opencc  # imported lazily: only index builds and Python queries need it

    converter = opencc.OpenCC("t2s")
    chars = [chr(cp) for lo, hi in CJK_RANGES for cp in range(lo, hi + 1)]
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - defensive: OpenCC changed line handling
        raise RuntimeError("OpenCC t2s did not preserve one character per line")
    return {src: dst for src, dst in zip(chars, converted) if src != dst}


@dataclass(frozen=True)
class Normalised:
    """A normalised string with, for each of its characters, the source span.

    ``starts[i]``/``ends[i]`` give the half-open range of the original string
    that produced character ``i`` of ``text``; used to put ``<mark>`` around
    the original (un-normalised) characters in snippets.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _char_norm(char: str, table: dict[str, str]) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return "".join(table.get(c, c) for c in folded)


class _Translation(dict):  # type: ignore[type-arg]
    """Code point -> normalised string, for ``str.translate``: each character is normalised
    the first time a text has it (``__missing__``), then looked up in C."""

    def __missing__(self, code: int) -> str:
        normalised = self[code] = _char_norm(chr(code), t2s_table())
        return normalised


_TRANSLATION = _Translation()


# Alternatives longest first: at each position the regex takes the longest key,
# scanning left to right, as _apply_regional_terms and search.js do.
_REGIONAL_RE = re.compile("|".join(re.escape(k) for k in sorted(REGIONAL_TERMS, key=lambda k: (-len(k), k))))


def normalise_with_offsets(text: str, table: dict[str, str] | None = None) -> Normalised:
    """Normalise ``text`` and keep the mapping back to the original characters.

    ``table`` defaults to the full OpenCC-derived table; the static client uses
    the exported subset, which yields the same tokens for every indexed term.
    """
    if table is None:
        folded = [_TRANSLATION[ord(char)] for char in text]
    else:
        folded = [_char_norm(char, table) for char in text]
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, out in enumerate(folded):
        if len(out) == 1:
            chars.append(out)
            starts.append(i)
            ends.append(i + 1)
        else:
            chars.extend(out)
            starts.extend([i] * len(out))
            ends.extend([i + 1] * len(out))
    return _apply_regional_terms("".join(chars), starts, ends)


def _apply_regional_terms(text: str, starts: list[int], ends: list[int]) -> Normalised:
    """Greedy left-to-right longest-match replacement of :data:`REGIONAL_TERMS`.

    At each position the longest key wins, then scanning resumes after it
    (the same loop as ``normalise`` in search.js).
    """
    if not any(key in text for key in REGIONAL_TERMS):
        return Normalised(text, tuple(starts), tuple(ends))
    out: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    last = 0
    for match in _REGIONAL_RE.finditer(text):
        i, j = match.span()
        out.append(text[last:i])
        out_starts.extend(starts[last:i])
        out_ends.extend(ends[last:i])
        repl = REGIONAL_TERMS[match.group(0)]
        out.append(repl)
        out_starts.extend([starts[i]] * len(repl))
        out_ends.extend([ends[j - 1]] * len(repl))
        last = j
    out.append(text[last:])
    out_starts.extend(starts[last:])
    out_ends.extend(ends[last:])
    return Normalised("".join(out), tuple(out_starts), tuple(out_ends))


def normalise(text: str) -> str:
    """Return ``text`` normalised: NFKC width folding, lower case, Simplified script, mainland terms.

    Same result as ``normalise_with_offsets(text).text``, computed with a
    growing per-character translation table (fast for whole documents).

    >>> normalise("知識產權 ＡＢＣ１２３")
    '知识产权 abc123'
    >>> normalise("智慧財產權")
    '知识产权'
    """
    folded = text.translate(_TRANSLATION)
    if not any(key in folded for key in REGIONAL_TERMS):
        return folded
    return _REGIONAL_RE.sub(lambda m: REGIONAL_TERMS[m.group(0)], folded)
