"""Result snippets with matched terms in ``<mark>``.

Snippets are cut from a record's *excerpt* (the first :data:`EXCERPT_CHARS`
characters of its plain text, whitespace collapsed), which is what the static
export ships per document; ``static/search.js`` implements the same algorithm
so the CLI and the browser show the same snippet. Matching happens on the
normalised text; marks are put around the corresponding original characters
(so a Traditional-script query marks the Simplified text it matched).
"""

from __future__ import annotations

import re

from .docnumber import find_doc_numbers
from .script import normalise_with_offsets

EXCERPT_CHARS = 600
SNIPPET_WIDTH = 120
SNIPPET_CONTEXT = 20
_SPACES = re.compile(r"\s+")


def excerpt(text: str) -> str:
    """The first :data:`EXCERPT_CHARS` characters of ``text`` with runs of whitespace made one space."""
    # From the beginning of the text only (a build takes the excerpt of every record):
    # collapsing a prefix gives a prefix of the collapsed text, and once it holds
    # EXCERPT_CHARS characters up to a non-space one, those are the excerpt's.
    head = _SPACES.sub(" ", text[:EXCERPT_CHARS * 2]).strip()
    if len(head) >= EXCERPT_CHARS:
        return head[:EXCERPT_CHARS]
    return _SPACES.sub(" ", text).strip()[:EXCERPT_CHARS]


def escape_html(text: str) -> str:
    """Escape ``& < > "`` (the same four characters as ``escapeHtml`` in search.js)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def is_number_token(term: str) -> bool:
    """True for canonical document-number tokens (``2022-495``, ``no:495``), which never occur literally."""
    return ":" in term or "-" in term


def match_spans(text: str, terms: tuple[str, ...], table: dict[str, str] | None = None) -> list[tuple[int, int]]:
    """Merged, sorted ``[start, end)`` ranges of ``text`` whose normalised form matches one of ``terms``.

    Literal terms match as substrings of the normalised text; document-number
    tokens match the written numbers (``〔2022〕495号``) that produce them.
    """
    norm = normalise_with_offsets(text, table)
    spans: list[tuple[int, int]] = []
    numbers = {t for t in terms if is_number_token(t)}
    if numbers:
        for found in find_doc_numbers(norm.text):
            if numbers.intersection(found.tokens):
                spans.append((norm.starts[found.start], norm.ends[found.end - 1]))
    for term in terms:
        if not term or term in numbers:
            continue
        at = norm.text.find(term)
        while at >= 0:
            spans.append((norm.starts[at], norm.ends[at + len(term) - 1]))
            at = norm.text.find(term, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """HTML of ``text[start:end]`` with each span (clipped to the window) wrapped in ``<mark>``."""
    stop = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, stop)
        if s >= e:
            continue
        out.append(escape_html(text[pos:s]))
        out.append("<mark>" + escape_html(text[s:e]) + "</mark>")
        pos = e
    out.append(escape_html(text[pos:stop]))
    return "".join(out)


def make_snippet(text: str, terms: tuple[str, ...], table: dict[str, str] | None = None) -> str:
    """An HTML snippet of at most :data:`SNIPPET_WIDTH` characters of ``text`` around the densest matches.

    The window starts :data:`SNIPPET_CONTEXT` characters before the match
    span that has the most match spans starting within the next
    :data:`SNIPPET_WIDTH` characters (the first such span on ties); ``…``
    marks a cut. Without matches, the start of the text.
    """
    spans = match_spans(text, terms, table)
    length = len(text)
    start = 0
    if spans:
        best, best_count = 0, -1
        for i, (s, _e) in enumerate(spans):
            count = sum(1 for t, _ in spans[i:] if t < s + SNIPPET_WIDTH)
            if count > best_count:
                best, best_count = i, count
        start = max(0, spans[best][0] - SNIPPET_CONTEXT)
    end = min(length, start + SNIPPET_WIDTH)
    if end - start < SNIPPET_WIDTH:
        start = max(0, end - SNIPPET_WIDTH)
    body = mark(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < length else "")
