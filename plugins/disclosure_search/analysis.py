"""Text analysis shared by the index, the Python query path and the browser client.

Pipeline (identical for documents and queries up to the last step):

1. :func:`~disclosure_search.script.normalise`: NFKC width folding, lower
   case, Traditional→Simplified per character, regional terms
   (智慧財產權 → 知识产权).
2. Document numbers in any written form become canonical tokens
   (``2022-495``, ``no:495``; see :mod:`disclosure_search.docnumber`) and are
   blanked out of the text.
3. The rest splits into runs of Chinese characters and runs of ``[a-z0-9]``.

Then documents and queries differ, on purpose:

* **Documents** emit, for each Chinese run, every character (unigram), every
  character bigram, and the words of the segmenter (:mod:`segmentation`) that
  are two characters or longer; short fields (number, issuer, topic,
  keywords) also emit the whole run when it has 3–12 characters.
* **Queries** emit *core* terms: the bigrams of each Chinese run (the single
  character for a one-character run), the Latin/digit words and the document
  number tokens; and *bonus* terms: each whole Chinese run of 3–12
  characters, which matches a segmenter word or a short field exactly.

So a two-character substring inside a longer word is always found (bigrams),
a two-character query that is a real word in the document scores a little
more (the word and the bigram are the same term, counted twice), and a query
that is exactly a word or a short field value gets a bonus. Queries need no
dictionary, so ``static/search.js`` reproduces :func:`query_terms` exactly.

Latin words: English stop words (:data:`STOPWORDS`) are dropped and a plural
``-s`` is stripped (``points`` → ``point``, not after ``ss``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docnumber import find_doc_numbers
from .script import normalise, normalise_with_offsets
from .segmentation import SEGMENTER, segment

#: Bump whenever the tokens produced for a text change: the index is then rebuilt.
ANALYSIS_VERSION = f"3/{SEGMENTER}"

STOPWORDS = frozenset({"a", "an", "the", "of", "in", "on", "and", "for", "to", "by", "is"})
MIN_WHOLE_RUN = 3
MAX_WHOLE_RUN = 12

# Keep in sync with RUN_RE in static/search.js.
_RUN_RE = re.compile(
    "([\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+)|([a-z0-9]+)"
)


@dataclass(frozen=True)
class QueryTerms:
    """The terms of a query.

    ``core`` terms decide coverage (the fraction of them a document contains);
    ``bonus`` terms only add to the score. Both are de-duplicated, in order of
    first appearance.
    """

    core: tuple[str, ...]
    bonus: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Core then bonus terms."""
        return self.core + self.bonus

    def __bool__(self) -> bool:
        return bool(self.core)


def latin_term(word: str) -> str | None:
    """Return the index/query form of a lower-case ``[a-z0-9]+`` word, or None for a stop word."""
    if word in STOPWORDS:
        return None
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _split(norm: str) -> tuple[list[str], list[tuple[str, bool]]]:
    """Return (document-number tokens, runs) of normalised text; a run is (text, is_chinese)."""
    numbers = find_doc_numbers(norm)
    doc_tokens: list[str] = []
    if numbers:
        pieces: list[str] = []
        last = 0
        for found in numbers:
            doc_tokens.extend(found.tokens)
            pieces.append(norm[last : found.start])
            pieces.append(" ")
            last = found.end
        pieces.append(norm[last:])
        norm = "".join(pieces)
    runs = [(chinese or latin, bool(chinese)) for chinese, latin in _RUN_RE.findall(norm)]
    return doc_tokens, runs


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def query_terms(query: str, table: dict[str, str] | None = None) -> QueryTerms:
    """Tokenise a search query (see the module docstring).

    ``table`` is an alternative Traditional→Simplified table (the static
    client's subset); by default the full OpenCC-derived table is used.

    >>> query_terms("知識產權 公共服务").core
    ('知识', '识产', '产权', '公共', '共服', '服务')
    """
    norm = normalise(query) if table is None else normalise_with_offsets(query, table).text
    numbers, runs = _split(norm)
    core: list[str] = list(numbers)
    bonus: list[str] = []
    for run, chinese in runs:
        if chinese:
            if len(run) == 1:
                core.append(run)
            else:
                core.extend(run[i : i + 2] for i in range(len(run) - 1))
                if MIN_WHOLE_RUN <= len(run) <= MAX_WHOLE_RUN:
                    bonus.append(run)
        else:
            term = latin_term(run)
            if term is not None:
                core.append(term)
    return QueryTerms(_dedupe(core), _dedupe(bonus))


def document_tokens(text: str, *, whole_runs: bool = False) -> list[str]:
    """Tokenise document text for the index (with repetitions: counts are term frequencies).

    The order of the tokens carries no meaning (fields keep no positions).  Bigrams and
    words are taken from the Chinese runs joined by newlines, in one call each: the
    segmenter treats a newline as a boundary, so the words are those of each run on its
    own (a property test compares with run-by-run segmentation), at a fifth less time.
    """
    numbers, runs = _split(normalise(text))
    tokens: list[str] = list(numbers)
    chinese_runs = []
    for run, chinese in runs:
        if chinese:
            chinese_runs.append(run)
            if whole_runs and MIN_WHOLE_RUN <= len(run) <= MAX_WHOLE_RUN:
                tokens.append(run)
        else:
            term = latin_term(run)
            if term is not None:
                tokens.append(term)
    if chinese_runs:
        joined = "\n".join(chinese_runs)
        tokens.extend(joined.replace("\n", ""))  # every character
        tokens.extend(_BIGRAM_RE.findall(joined))
        tokens.extend([word for word in segment(joined) if len(word) > 1 and "\n" not in word])
    return tokens


# Every two adjacent characters of a run (overlapping), none across the newline between runs.
_BIGRAM_RE = re.compile(r"(?=([^\n]{2}))")


def __getattr__(name: str) -> object:
    """``DisclosureTokenizer``, whoosh's tokenizer class, lives in :mod:`.index` (this module
    imports no whoosh); indexes written before keep its old name in their pickled schema."""
    if name == "DisclosureTokenizer":
        from .index import DisclosureTokenizer

        return DisclosureTokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
