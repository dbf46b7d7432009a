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
import os
import pickle
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from disclosure.keyed_store import KeyedStore, code_digest, replace_file

from . import analysis, docnumber, index, script, segmentation
from .records import SearchRecord

POSTINGS_FORMAT = 3
"""Version of the kept index's file: another version's file is ignored."""
LOG_LIMIT = 8
"""From this many logged patches on, a patch saves the whole kept index instead (each
load replays every logged patch)."""

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
    generation: str = ""
    """New with every save and patch: a build snapshot names the kept index that describes
    the export it published (:mod:`disclosure_pelican.quick`)."""


@dataclass
class PostingsPatch:
    """One record's new text in a kept index (a quick rebuild's), appended to its log
    rather than saving 180 MB again: :meth:`TokenCache.load_postings` replays it."""

    before: str
    """The generation it applies to."""
    after: str
    ordinal: int
    old_key: str
    new_key: str
    old_counts: bytes
    new_counts: bytes
    texts: dict[str, str | None]
    """The posting texts that changed (None: the term is gone)."""


class TokenCache:
    """Token counts by record content, and the last export's inverted index, in the files
    ``<prefix>.sqlite`` and ``<prefix>.postings``."""

    def __init__(self, prefix: Path) -> None:
        self.store = KeyedStore(prefix.with_name(prefix.name + ".sqlite"), "tokens")
        self.postings_file = prefix.with_name(prefix.name + ".postings")
        self.log_file = prefix.with_name(prefix.name + ".postings-log")
        self._code = tokeniser_digest().encode()
        self.generation = ""
        """The generation of the kept index last saved or patched here ("": none)."""
        self._replayed = 0

    def load_postings(self) -> Postings | None:
        try:
            with open(self.postings_file, "rb") as handle:
                found = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return None
        if not (isinstance(found, tuple) and len(found) == 2 and found[0] == POSTINGS_FORMAT):
            return None  # written by another version of this code
        postings = found[1] if isinstance(found[1], Postings) else None
        if postings is not None:
            try:
                self._replay(postings)
            except ValueError:
                return None  # a damaged log: the next export inverts every record again
            self.generation = postings.generation
        return postings

    def _replay(self, postings: Postings) -> None:
        """Apply the patches logged since ``postings`` was saved, in order; a patch of
        another generation (or half written) ends the replay: what is returned is then an
        older kept index, still whole (exports patch it by the records' keys)."""
        from .inversion import swap_counts  # (inversion imports this module)

        self._replayed = 0
        try:
            handle = open(self.log_file, "rb")
        except OSError:
            return
        with handle:
            while True:
                try:
                    patch = pickle.load(handle)
                except (EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
                    return
                if not isinstance(patch, PostingsPatch) or patch.before != postings.generation:
                    return
                try:
                    swap_counts(postings.inverted, postings.lengths, patch.ordinal, decode_counts(patch.old_counts),
                                decode_counts(patch.new_counts))
                except (KeyError, IndexError, ValueError):
                    raise ValueError(f"{self.log_file}: a patch that does not fit its kept index") from None
                postings.keys[patch.ordinal] = patch.new_key
                for term, text in patch.texts.items():
                    if text is None:
                        postings.texts.pop(term, None)
                    else:
                        postings.texts[term] = text
                postings.generation = patch.after
                self._replayed += 1

    def save_postings(self, postings: Postings) -> None:
        """Keep ``postings`` for the next export (the file is replaced atomically), as a new generation."""
        postings.generation = os.urandom(16).hex()
        try:
            replace_file(self.postings_file,
                         lambda handle: pickle.dump((POSTINGS_FORMAT, postings), handle, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the previous file, if any, still describes its own records
            self.generation = ""
            return
        self.log_file.unlink(missing_ok=True)
        self.generation = postings.generation

    def patch_postings(self, postings: Postings, patch: PostingsPatch) -> None:
        """Keep ``postings`` (loaded here, then changed by ``patch``) for the next export:
        the patch is appended to the log, or the whole index saved when the log is long."""
        if self._replayed + 1 >= LOG_LIMIT:
            self.save_postings(postings)
            return
        try:
            with open(self.log_file, "ab") as handle:
                pickle.dump(patch, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            self.generation = ""
            return
        postings.generation = self.generation = patch.after

    def key(self, record: SearchRecord) -> str:
        digest = hashlib.sha256(self._code)
        for text in (record.title, record.title_en, record.text, record.doc_number, "\n".join(record.issuers),
                     record.topic, "\n".join(record.keywords)):
            encoded = text.encode("utf-8")
            digest.update(b"%d:" % len(encoded))
            digest.update(encoded)
        return digest.hexdigest()
