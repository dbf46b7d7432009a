"""Which attributes of which document files a computation reads.

``check`` runs its rules across documents inside :func:`recording_reads` and remembers,
for each file, the names of the :class:`~disclosure.document.Document` and
:class:`~disclosure.document.Version` attributes that were read from what the file
holds (``doc.title``, ``version.review``, …).  Rules are deterministic: when a later
edit changes only attributes nobody read, every rule takes the same path and finds the
same problems, so the edited file alone needs reading again (:mod:`disclosure.check`).
Build systems record dependencies the same way (Shake, Salsa): the rules need no
second statement of what they depend on.

Every read made through Python's attribute access is seen: plain reads, properties
(through the fields they read), ``getattr``, comparisons and hashes of dataclasses,
``dataclasses.replace``.  Reads that take the whole object (``__dict__``, pickling,
copying) count as reading everything (:data:`EVERYTHING`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields

from .corpus import assemble_together
from .document import Document, Version
from .files import FileRecord

EVERYTHING = "*"
"""Recorded for a file when a whole document or version was taken (pickled, copied, its ``__dict__``)."""

_WHOLE_OBJECT = frozenset({"__dict__", "__reduce__", "__reduce_ex__", "__getstate__", "__copy__", "__deepcopy__"})

_ALWAYS = {
    "doc.": frozenset({"id", "type", "versions", "published", "index_number", "index_number_assigned",
                       "repeals", "amends", "interprets", "result_of", "relations", "explicit_status", "is_public"}),
    "version.": frozenset({"number", "path", "published", "disclosure", "review", "is_public", "refs"}),
}
"""What the checks read of every document and version (indexing, numbering, the disclosure
gate, relations, references): taken as read for every file without being noted, which
keeps the noting to a quarter of a second in a 10,000-document check.  Not ``doc_number``:
the rules that read every number take it from plain values and ``check`` applies them
again after an edit (:func:`disclosure.corpus.number_problems`)."""
ALWAYS_READ = frozenset(prefix + name for prefix, names in _ALWAYS.items() for name in names)


@contextmanager
def recording_reads() -> Iterator[dict[str, set[str]]]:
    """Within the block, note each attribute read of every document and version: the
    yielded mapping gets, for each file (its path as problems name it), ``doc.<name>``
    for reads of a document it is part of and ``version.<name>`` for reads of its version
    (except :data:`ALWAYS_READ`, read of every file).

    Not reentrant and not for threads: it replaces the two classes' attribute lookup
    while the block runs (outside it they are as fast as ever)."""
    reads: dict[str, set[str]] = defaultdict(set)
    get = object.__getattribute__
    # Per object: the object (kept alive, so that its id is not reused), the names already
    # noted for it, and the read sets of its files.  Every read of every document passes
    # here (740,000 in a 10,000-document check): the usual case is two lookups.
    noted: dict[int, tuple[object, set[str], tuple[set[str], ...]]] = {}

    def noting(prefix: str):  # type: ignore[no-untyped-def]
        keys: dict[str, str | None] = {}
        always = _ALWAYS[prefix]

        def __getattribute__(self: object, name: str) -> object:
            if name in always:
                return get(self, name)
            entry = noted.get(id(self))
            if entry is None or entry[0] is not self:
                versions = get(self, "versions") if type(self) is Document else (self,)
                entry = noted[id(self)] = (self, set(), tuple(reads[get(v, "path").as_posix()] for v in versions))
            if name not in entry[1]:
                entry[1].add(name)
                key = keys.get(name, "")
                if key == "":
                    key = keys[name] = (prefix + name if not name.startswith("__")
                                        else EVERYTHING if name in _WHOLE_OBJECT else None)
                if key is not None:
                    for names in entry[2]:
                        names.add(key)
            return get(self, name)
        return __getattribute__

    Document.__getattribute__ = noting("doc.")  # type: ignore[method-assign]
    Version.__getattribute__ = noting("version.")  # type: ignore[method-assign]
    try:
        yield reads
    finally:
        del Document.__getattribute__
        del Version.__getattribute__


def changed_by_file(old: FileRecord, new: FileRecord, others: list[FileRecord]) -> dict[str, set[str]] | None:
    """The attributes (``doc.<name>``, ``version.<name>``) whose values differ between the
    document a file makes read as ``old`` and the one it makes read as ``new``, with the
    files it makes it with (``others``: a version folder's other files, as they were), by
    the display path of the file each counts against: a version's own attributes against
    its file, the document's against every file (its reads are noted for each of its
    versions).  A version's ``meta`` holds version 1's values, so an edit of version 1
    changes every version's.  None when either reading does not make one document
    without a problem.

    ``doc.versions`` is not compared as a whole: its versions are, attribute by attribute
    (a rule that reads a version's field is noted as reading ``version.<field>``)."""
    before, after = assemble_together([old, *others]), assemble_together([new, *others])
    if before is None or after is None or len(before.versions) != len(after.versions):
        return None
    document = {f"doc.{f.name}" for f in fields(Document)
                if f.name != "versions" and getattr(before, f.name) != getattr(after, f.name)}
    return {then.path.as_posix(): document | {f"version.{f.name}" for f in fields(Version)
                                              if getattr(then, f.name) != getattr(now, f.name)}
            for then, now in zip(before.versions, after.versions)}


def changed_attributes(old: FileRecord, new: FileRecord) -> set[str] | None:
    """:func:`changed_by_file` of a file that makes its document alone, as one set; None
    when either reading is not a document on its own (a version folder's file, or one
    that does not assemble alone)."""
    if old.folder_id is not None or new.folder_id is not None:
        return None
    changed = changed_by_file(old, new, [])
    return None if changed is None else set().union(*changed.values())
