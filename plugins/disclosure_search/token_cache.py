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
import mmap
import os
import pickle
import struct
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable

from disclosure.keyed_store import KeyedStore, code_digest, replace_file

from . import analysis, docnumber, fields, script, segmentation
from .records import SearchRecord

POSTINGS_FORMAT = 6
"""Version of the kept index's file: another version's file is ignored."""
LOG_LIMIT = 12
"""From this many logged patches on, a patch saves the whole kept index instead (each
load replays every logged patch).  Forty quick rebuilds in a row at 10,000 documents
took 0.81–0.82 s each on average with 12, 0.83 s with 8, 0.89–0.93 s with 32 (whose
whole save, after 31 replays, took 1.7–1.8 s against 1.3 s)."""
_HEAD = struct.Struct("<QQQ")
"""The kept index's file starts with its format, and where its table (a pickle) is and
its size; the posting arrays' and texts' bytes are where the table says."""

Counts = dict[str, dict[str, int]]
"""Per searched field: term → number of occurrences (in order of first occurrence)."""

_TOKENISER_MODULES = (analysis, docnumber, fields, script, segmentation)


def tokeniser_digest() -> str:
    """What the tokens of a text depend on besides the text: our analysis code, the
    segmenter, the Traditional→Simplified tables and the Unicode version of Python's tables."""
    return code_digest(_TOKENISER_MODULES, ("rjieba", "OpenCC"), f"unicode={unicodedata.unidata_version}")


def record_counts(record: SearchRecord) -> Counts:
    """The token counts of each searched field of ``record`` (tokenised now)."""
    return {field: Counter(tokens) for field, tokens in fields.field_tokens(record).items()}


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
    inverted: dict[str, MutableMapping[str, "array[int]"]]
    lengths: dict[str, list[int]]
    texts: MutableMapping[str, str]
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


Splice = tuple[int, int, str]
"""A change of a text: the characters from the first place to the second become the text given."""


def spliced(text: str, splice: Splice) -> str:
    """``text`` with ``splice`` made."""
    start, end, segment = splice
    return text[:start] + segment + text[end:]


@dataclass
class PostingsMove:
    """One record moved to another ordinal in a kept index (a date of publication
    corrected: :func:`~.export_patch.move_export`), logged as :class:`PostingsPatch` is."""

    before: str
    after: str
    old: int
    """The record's ordinal before; the records up to ``new`` move one place towards it."""
    new: int
    arrays: dict[str, dict[str, tuple[int, bytes]]]
    """Per field and term of the records that moved, where its postings changed and the
    pairs there now (:data:`~.inversion.Segments`)."""
    texts: dict[str, Splice]
    """The posting texts that changed, as changes of their text before (a move changes
    thousands of long texts between two places: kept whole, each log entry took 80 MB)."""


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

    def load_postings(self, lazy: bool = False) -> Postings | None:
        """The kept index, with the logged patches replayed; ``lazy``: its posting arrays and
        texts read from the file when first used (a quick rebuild uses those of one record's
        terms: reading all 180 MB took a third of a second of its second and a half)."""
        try:
            found = _read_postings(self.postings_file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, struct.error):
            return None
        if found is None:
            return None  # written by another version of this code
        postings = found if lazy else _materialised(found)
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
        from .inversion import replay_move, swap_counts  # (inversion imports this module)

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
                if not isinstance(patch, (PostingsPatch, PostingsMove)) or patch.before != postings.generation:
                    return
                try:
                    if isinstance(patch, PostingsMove):
                        replay_move(postings, patch.old, patch.new, patch.arrays)
                        for term, splice in patch.texts.items():
                            change_when_read(postings.texts, term, lambda text, splice=splice: spliced(text, splice))
                        postings.generation = patch.after
                        self._replayed += 1
                        continue
                    swap_counts(postings.inverted, postings.lengths, patch.ordinal,
                                decode_counts(patch.old_counts), decode_counts(patch.new_counts))
                    postings.keys[patch.ordinal] = patch.new_key
                except (KeyError, IndexError, ValueError):
                    raise ValueError(f"{self.log_file}: a patch that does not fit its kept index") from None
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
            replace_file(self.postings_file, lambda handle: _write_postings(handle, postings))
        except OSError:  # the previous file, if any, still describes its own records
            self.generation = ""
            return
        self.log_file.unlink(missing_ok=True)
        self.generation = postings.generation

    def patch_postings(self, postings: Postings, patch: PostingsPatch | PostingsMove) -> None:
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


def change_when_read(values: MutableMapping[str, Any], key: str, change: Callable[[Any], Any]) -> None:
    """``values[key] = change(values[key])``: now in a mapping in memory, when the value is
    first read in a kept index loaded lazily (:meth:`_Stored.defer`)."""
    if isinstance(values, _Stored):
        values.defer(key, change)
    else:
        values[key] = change(values[key])


class _Stored(MutableMapping):  # type: ignore[type-arg]
    """A mapping of a kept index's file: each value read (``read(offset, size)``) when first
    asked for, then held here with the changes made to it."""

    def __init__(self, places: dict[str, tuple[int, int]], read: Callable[[int, int], Any]) -> None:
        self._places, self._read = places, read
        self._held: dict[str, Any] = {}
        self._gone: set[str] = set()
        self._deferred: dict[str, list[Callable[[Any], Any]]] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._held[key]
        except KeyError:
            if key in self._gone or key not in self._places:
                raise
        value = self._read(*self._places[key])
        for change in self._deferred.pop(key, ()):
            value = change(value)
        self._held[key] = value
        return value

    def defer(self, key: str, change: Callable[[Any], Any]) -> None:
        """``self[key] = change(self[key])``, made when the value is read (now, if it was);
        raises KeyError when there is no such key."""
        if key in self._held:
            self._held[key] = change(self._held[key])
        elif key in self:
            self._deferred.setdefault(key, []).append(change)
        else:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self._held or (key in self._places and key not in self._gone)

    def __setitem__(self, key: str, value: Any) -> None:
        self._held[key] = value
        self._gone.discard(key)
        self._deferred.pop(key, None)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._held.pop(key, None)
        self._deferred.pop(key, None)
        self._gone.add(key)

    def __iter__(self) -> Iterator[str]:
        yield from (key for key in self._places if key not in self._gone and key not in self._held)
        yield from self._held

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _write_postings(handle: BinaryIO, postings: Postings) -> None:
    """The kept index's file: the posting arrays' and texts' bytes, written as they come,
    then a table of everything else and of where those are; its place at the start."""
    handle.write(_HEAD.pack(POSTINGS_FORMAT, 0, 0))
    arrays: dict[str, dict[str, tuple[int, int]]] = {}
    texts: dict[str, tuple[int, int]] = {}
    at = _HEAD.size
    for field, terms in postings.inverted.items():
        places = arrays[field] = {}
        for term, found in terms.items():
            size = len(found) * found.itemsize
            places[term] = (at, size)
            found.tofile(handle)
            at += size
    for term, text in postings.texts.items():
        data = text.encode("utf-8")
        texts[term] = (at, len(data))
        handle.write(data)
        at += len(data)
    table = pickle.dumps((postings.ids, postings.keys, postings.lengths, postings.scale, postings.generation, arrays, texts),
                         protocol=pickle.HIGHEST_PROTOCOL)
    handle.write(table)
    handle.seek(0)
    handle.write(_HEAD.pack(POSTINGS_FORMAT, at, len(table)))


def _read_postings(path: Path) -> Postings | None:
    """The kept index at ``path``, its arrays and texts read when used (the file mapped in
    memory: a replaced file stays readable while mapped); None when it is of another format."""
    with open(path, "rb") as handle:
        form, table_at, size = _HEAD.unpack(handle.read(_HEAD.size))
        if form != POSTINGS_FORMAT or not table_at:
            return None  # (another format, or a file whose writing stopped half way)
        handle.seek(table_at)
        ids, keys, lengths, scale, generation, arrays, texts = pickle.loads(handle.read(size))
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def read_array(at: int, length: int) -> "array[int]":
        found = array("i")
        found.frombytes(data[at:at + length])
        return found

    def read_text(at: int, length: int) -> str:
        return data[at:at + length].decode("utf-8")

    return Postings(ids, keys, {field: _Stored(places, read_array) for field, places in arrays.items()}, lengths,
                    _Stored(texts, read_text), scale, generation)


def _materialised(postings: Postings) -> Postings:
    """``postings`` with every array and text read (plain dicts: a whole export uses them all)."""
    postings.inverted = {field: dict(terms.items()) for field, terms in postings.inverted.items()}
    postings.texts = dict(postings.texts.items())
    return postings
