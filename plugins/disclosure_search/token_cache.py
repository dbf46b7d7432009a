"""Token counts of search records, kept across builds by content.

Tokenising (normalising, segmenting, counting) is most of the static export's work:
on a 10,000-document site about 24 s of the export's wall time on two cores, in
every build, though one edit changes the tokens of one record.  This cache keeps
each record's token counts per searched field under a key made of the texts of
those fields and of everything that decides their tokens (the analysis code, the
segmenter's version, Python's Unicode tables); a record whose key is found is not
tokenised again.  The export's output is the same with or without the cache (a
test compares them).
"""

from __future__ import annotations

import hashlib
import marshal
import pickle
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from disclosure.keyed_store import KeyedStore, code_digest, replace_file

from . import analysis, docnumber, index, script, segmentation
from .records import SearchRecord

POSTINGS_FORMAT = 2
"""Version of the kept index's file: another version's file is ignored."""

Counts = dict[str, dict[str, int]]
"""Per searched field: term → number of occurrences (in order of first occurrence)."""

_TOKENISER_MODULES = (analysis, docnumber, index, script, segmentation)


def tokeniser_digest() -> str:
    """What the tokens of a text depend on besides the text: our analysis code, the
    segmenter, the Traditional→Simplified tables and the Unicode version of Python's tables."""
    return code_digest(_TOKENISER_MODULES, ("rjieba", "OpenCC"), f"unicode={unicodedata.unidata_version}")


def record_counts(record: SearchRecord) -> Counts:
    """The token counts of each searched field of ``record`` (tokenised now)."""
    return {field: Counter(tokens) for field, tokens in index.field_tokens(record).items()}


def encode_counts(counts: Counts) -> bytes:
    """Compact bytes for :func:`decode_counts`: per field, the terms joined by newlines (no term
    contains one) and their counts as an array."""
    return marshal.dumps({field: ("\n".join(found), array("I", found.values()).tobytes())
                          for field, found in counts.items()})


def decode_counts(blob: bytes) -> Counts:
    counts: Counts = {}
    for field, (terms, numbers) in marshal.loads(blob).items():
        tfs = array("I")
        tfs.frombytes(numbers)
        counts[field] = dict(zip(terms.split("\n"), tfs)) if terms else {}
    return counts


@dataclass
class Postings:
    """The inverted index an export made (:mod:`.inversion`), kept for the next one: for
    the records ``ids`` in ordinal order, whose token cache keys were ``keys``; with the
    posting texts it wrote, valid for exports of the same ``scale`` (what every score
    depends on besides the postings: the scoring code, the number of records and the
    mean field lengths)."""

    ids: list[str]
    keys: list[str]
    inverted: dict[str, dict[str, "array[int]"]]
    lengths: dict[str, list[int]]
    texts: dict[str, str]
    scale: tuple


class TokenCache:
    """Token counts by record content, and the last export's inverted index, in the files
    ``<prefix>.sqlite`` and ``<prefix>.postings``."""

    def __init__(self, prefix: Path) -> None:
        self.store = KeyedStore(prefix.with_name(prefix.name + ".sqlite"), "tokens")
        self.postings_file = prefix.with_name(prefix.name + ".postings")
        self._code = tokeniser_digest().encode()

    def load_postings(self) -> Postings | None:
        try:
            with open(self.postings_file, "rb") as handle:
                found = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return None
        if not (isinstance(found, tuple) and len(found) == 2 and found[0] == POSTINGS_FORMAT):
            return None  # written by another version of this code
        return found[1] if isinstance(found[1], Postings) else None

    def save_postings(self, postings: Postings) -> None:
        """Keep ``postings`` for the next export (the file is replaced atomically)."""
        try:
            replace_file(self.postings_file,
                         lambda handle: pickle.dump((POSTINGS_FORMAT, postings), handle, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the previous file, if any, still describes its own records
            pass

    def key(self, record: SearchRecord) -> str:
        digest = hashlib.sha256(self._code)
        for text in (record.title, record.title_en, record.text, record.doc_number, "\n".join(record.issuers),
                     record.topic, "\n".join(record.keywords)):
            encoded = text.encode("utf-8")
            digest.update(b"%d:" % len(encoded))
            digest.update(encoded)
        return digest.hexdigest()
