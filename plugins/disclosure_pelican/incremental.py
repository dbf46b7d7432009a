"""Reuse unchanged pages of the previous build.

Each page gets a fingerprint: the SHA-256 of everything that can change its bytes —
the theme's templates, the labels and settings, our code, and the page's own context
(documents by their source files' hashes, statuses, relations, …).  Templates also ask
which files the site has (``has_page``, to link optional pages only when they exist):
each rendered page keeps the answers it was given.  A page whose fingerprint is the
same as in the previous build, and whose questions get the same answers, is not
rendered again: a rebuild leaves it where it is in the previous output, which it
updates in place, and a build into a new folder hard-links it from there; so a rebuild
after one edit renders only the pages that edit touches.  A document's pages are first
compared by their inputs (:attr:`~.pages.Page.inputs`: what their contexts are made
from, as digests): when those are the previous build's, the page keeps its fingerprint
without its context being made or digested, most of a rebuild's work otherwise.  A
build with ``DISCLOSURE_VERIFY_REUSE`` set (the tests) fingerprints those pages too and
fails when a fingerprint differs: inputs that miss something are found, not published.
Fingerprints are kept in the cache folder, never in the output; the output is
byte-identical either way.
"""

from __future__ import annotations

import copyreg
import dataclasses
import enum
import hashlib
import io
import json
import marshal
import operator
import os
import pickle
import shutil
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, TypeVar

from disclosure.document import Document, Version
from disclosure.effectiveness import Effectiveness
from disclosure.files import path_key
from disclosure.keyed_store import installed_stamp, replace_file, source_digest

PACKAGES = ("disclosure", "disclosure_pelican")


def global_digest(theme: Path, settings: dict[str, Any], labels: dict[str, str], as_of: date) -> str:
    """What every page depends on besides its own context and the files it asks about
    (not the whole set of files: then adding a document would render every page again)."""
    digest = hashlib.sha256(source_digest(PACKAGES).encode())
    for path in sorted(Path(theme).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(theme).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(_settings_text(settings).encode())
    digest.update(json.dumps(labels, sort_keys=True, ensure_ascii=False).encode())
    digest.update(as_of.isoformat().encode())
    return digest.hexdigest()


def templates_digest(settings: dict[str, Any]) -> str:
    """What Jinja's compiled templates depend on besides their sources (which Jinja checks
    itself): the code that sets the environment up, the settings (``JINJA_ENVIRONMENT``,
    filters, …) and the installed Jinja, MarkupSafe and Pelican."""
    digest = hashlib.sha256(source_digest(PACKAGES).encode())
    digest.update(_settings_text(settings).encode())
    digest.update(installed_stamp(("jinja2", "markupsafe", "pelican")).encode())
    return digest.hexdigest()


def _settings_text(settings: dict[str, Any]) -> str:
    """The settings a build's pages can depend on, as text (not the build's own paths and state)."""
    chosen = {key: repr(value) for key, value in sorted(settings.items())
              if key.isupper() and key not in ("DISCLOSURE_STATE", "OUTPUT_PATH", "PATH", "DISCLOSURE_PREVIOUS_OUTPUT")}
    return json.dumps(chosen, sort_keys=True, ensure_ascii=False)


_CONTAINERS = (dict, list, tuple, set, frozenset)
_STATUS_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Effectiveness)))


def _token(*parts: Any) -> None:
    """Stands in for an object digested on its own; referenced by name in fingerprints, never called."""


class _ContextPickler(pickle.Pickler):
    """Pickles a page context for its fingerprint (C speed), with documents, versions and
    large shared containers replaced by digests computed once, and functions by name."""

    def __init__(self, file: io.BytesIO, fingerprinter: "Fingerprinter") -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        # The memo stays on (without it every reference to a class or to _token is written
        # out again: slower).  Its back-references make the bytes depend on which objects a
        # context shares; the same content gives the same sharing, cold or from the parse
        # cache (a pickle round trip keeps it): tests compare fingerprints across builds.
        self.fast = False
        # How each class is pickled, looked up by the pickler itself (in C): a hook called
        # for every date, enum and class of every context cost more than the pickling.
        self.dispatch_table = fingerprinter.reducers


class _Reducers(dict):  # type: ignore[type-arg]
    """``class → reduce function`` for the fingerprint pickler, decided once per class."""

    def __init__(self, fingerprinter: "Fingerprinter") -> None:
        super().__init__()
        self.fingerprinter = fingerprinter

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        reducer = self[cls] = self._decide(cls)
        return reducer

    def _decide(self, cls: type) -> Callable[[Any], Any]:
        fingerprinter = self.fingerprinter
        if issubclass(cls, (Document, Version)):
            return lambda obj: (_token, ("document", fingerprinter.token(obj)))
        if issubclass(cls, Effectiveness):
            # A status object is shared by every page listing its document (115,000
            # reductions in a 10,000-document rebuild, 10 per object): digested once.
            return lambda obj: (_token, ("status", fingerprinter.status(obj)))
        if issubclass(cls, type):  # a class of a metaclass (an enum class): by name, as pickle does
            return operator.attrgetter("__qualname__")
        if issubclass(cls, enum.Enum):  # members as pickle gives them, looked up in C
            return {member: (cls, (member._value_,)) for member in cls}.__getitem__
        if dataclasses.is_dataclass(cls):
            names = tuple(f.name for f in dataclasses.fields(cls))
            if len(names) > 1:
                values_of = operator.attrgetter(*names)  # a tuple, read in C
            else:
                values_of = lambda obj: tuple(getattr(obj, name) for name in names)  # noqa: E731
            shared, large = fingerprinter.shared, fingerprinter.SHARED
            qualname = cls.__qualname__

            def reduce_dataclass(obj: Any) -> tuple[Any, ...]:
                # Statuses and listing heads are reduced 150,000 times in a 10,000-document
                # rebuild: values are read in C, and only large containers go to shared().
                values = values_of(obj)
                for value in values:
                    if isinstance(value, _CONTAINERS) and len(value) > large:
                        values = tuple(map(shared, values))
                        break
                return (_token, (qualname, names, values))
            return reduce_dataclass
        if any("__call__" in vars(k) for k in cls.__mro__):  # what callable() asks of an instance
            return lambda obj: (_token, ("callable", getattr(obj, "__qualname__", type(obj).__qualname__)))
        if cls in copyreg.dispatch_table:  # what pickle would use (compiled patterns, …)
            return copyreg.dispatch_table[cls]
        return operator.methodcaller("__reduce_ex__", pickle.HIGHEST_PROTOCOL)  # as pickle does


class Fingerprinter:
    """Stable digests of template contexts.

    The context is pickled (in C) rather than walked in Python: at 10,000 documents
    walking every context took about as long as rendering the lists.  Documents and
    versions count by their source files (:meth:`token`); each is digested once per
    build, as are containers of more than ``SHARED`` items that many pages share
    (``statuses``, long listings).  A set would be pickled in an order that changes
    between runs (a test builds with two hash seeds and compares the fingerprints), so
    contexts hold none.
    """

    SHARED = 64

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}
        self.reducers = _Reducers(self)

    def digest(self, value: Any) -> str:
        if type(value) is dict:  # a page's context: its large containers are digested once
            shared, large = self.shared, self.SHARED
            value = {key: shared(item) if isinstance(item, _CONTAINERS) and len(item) > large else item
                     for key, item in value.items()}
        buffer = io.BytesIO()
        try:
            _ContextPickler(buffer, self).dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            # Something that cannot be pickled: a fingerprint that never matches, so the
            # page is always rendered (correct, only slower).
            return "unreusable:" + os.urandom(16).hex()
        return hashlib.sha256(buffer.getvalue()).hexdigest()

    def token(self, value: Document | Version) -> str:
        """A document's or version's digest, by the source it was made from.

        Every field of a version comes from its file: its path and the SHA-256 of its
        bytes stand for them.  A document is its versions, with the index number a build
        may assign it and version 1's dates (the public view may leave version 1 out and
        keep its dates).  Digesting the fields themselves, once per object, took 0.6 s of a
        10,000-document rebuild; a body edit now changes its document's token too, so a
        whole build renders the lists showing it again (the same bytes)."""
        return self._once(value, lambda: self._source_token(value))

    def _source_token(self, value: Document | Version) -> str:
        if isinstance(value, Version):
            parts: tuple[Any, ...] = ("version", value.doc_id, value.number, value.path.as_posix(), value.sha256)
        else:
            parts = ("document", value.id, value.index_number, value.written, value.published, value.effective,
                     tuple(map(self.token, value.versions)))
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def input_digest(self, value: Any) -> str:
        """A page input's digest (:attr:`~.pages.Page.inputs`): a document's or version's
        token, a status's digest, else the value's."""
        if isinstance(value, (Document, Version)):
            return self.token(value)
        if isinstance(value, Effectiveness):
            return self.status(value)
        # Else a listing's head, shown by every page of its type's documents: digested once
        # (page inputs are objects the build makes once and never changes).
        return self.digest_once(value)

    def status(self, value: Effectiveness) -> str:
        """A status's digest, once per object: its fields are an enum member, strings and a
        date, whose ``repr`` is stable (pickling 30,000 statuses one by one took a quarter
        of a 10,000-document rebuild's deciding which pages to render)."""
        return self._once(value, lambda: hashlib.sha256(repr(_STATUS_FIELDS(value)).encode("utf-8")).hexdigest())

    def digest_once(self, value: Any) -> str:
        """:meth:`digest` of an object the build never changes, computed once per object."""
        return self._once(value, lambda: self.digest(value))

    def shared(self, value: Any) -> Any:
        """A large container as the digest of its contents, computed once per object."""
        if not isinstance(value, _CONTAINERS) or len(value) <= self.SHARED:
            return value
        return _Shared(self._once(value, lambda: self.digest(
            value if not isinstance(value, dict) else ("dict", tuple(value.items()))
        )))

    def _once(self, value: Any, compute: Callable[[], str]) -> str:
        """``compute()`` for this very object, remembered for the build (the memo keeps the
        object alive, so its id cannot be reused by another)."""
        cached = self._memo.get(id(value))
        if cached is None or cached[0] is not value:
            cached = self._memo[id(value)] = (value, compute())
        return cached[1]


@dataclasses.dataclass(frozen=True)
class _Shared:
    """A shared container in a fingerprint: the digest of its contents."""

    digest: str


T = TypeVar("T")
Answers = tuple[tuple[str, bool], ...]
"""The files a page asked about while rendered (``has_page``), with the answers it got."""


class PageQuestions:
    """``has_page`` for templates, noting what the page being rendered asks."""

    def __init__(self, exists: Callable[[str], bool]) -> None:
        self.exists = exists
        self.asked: dict[str, bool] | None = None
        """The current page's questions and answers (None between pages)."""

    def __call__(self, name: str) -> bool:
        answer = self.exists(name)
        if self.asked is not None:
            self.asked[name] = answer
        return answer

    def render(self, write: Callable[[], None]) -> Answers:
        """``write()`` a page; what it asked."""
        return self.apart(write)[1]

    def apart(self, compute: Callable[[], T]) -> tuple[T, Answers]:
        """``compute()``, and what it asked (not noted for the page being rendered: a
        part rendered once for many pages notes it for each with :meth:`note`)."""
        outer, self.asked = self.asked, {}
        try:
            return compute(), tuple(sorted(self.asked.items()))
        finally:
            self.asked = outer

    def note(self, answers: Answers) -> None:
        """Count ``answers`` as asked by the page being rendered."""
        if self.asked is not None:
            self.asked.update(answers)


class ReuseResult(NamedTuple):
    keys: dict[str, str]
    """The fingerprint of each page looked at."""
    to_render: list[str]
    """The pages that could not be reused."""
    reused: int
    kept: list[str]
    """The pages left as they are in the previous output (:attr:`PageReuse.in_place`)."""


class PageReuse:
    """Decides, page by page, whether the previous output's file can be reused.

    With fingerprints of a previous output, the build updates that output in place
    (:attr:`in_place`): a reusable page is simply left where it is (:attr:`kept`) and
    only the others are rendered.  Otherwise (a first build, a build after an
    interrupted one) the whole site is written to a new folder, reusable pages hard-linked
    into it."""

    def __init__(self, cache_dir: Path | None, previous_output: Path | None, staging: Path, global_key: str = "") -> None:
        self.staging = staging
        self.previous = previous_output if previous_output and previous_output.is_dir() else None
        self._previous = str(self.previous)
        self.global_key = global_key
        """What every page depends on (:func:`global_digest`); set before the first page is looked at."""
        self.exists: Callable[[str], bool] | None = None
        """Whether the new site has a file (what pages asked is asked again); set with :attr:`global_key`."""
        self.fingerprinter = Fingerprinter()
        self.output = previous_output
        """Where the site is published (the previous output, if any, is there)."""
        self.manifest_path = None
        self.previous_files: frozenset[str] | None = None
        """The files of the previous output, when listed already (else each is looked up)."""
        self.old: dict[str, str] = {}
        self.old_answers: dict[str, Answers] = {}
        self.old_inputs: dict[str, str] = {}
        self.old_files: dict[str, bytes] = {}
        if cache_dir is not None and previous_output is not None:
            self.manifest_path = manifest_path(cache_dir, previous_output)
            manifest = load_manifest(self.manifest_path)
            # Fingerprints describe the output the build that saved them left: not one put
            # there since (by a build without the cache, or by hand), whose pages may differ.
            if isinstance(manifest, dict) and self.previous is not None \
                    and manifest.get("output") == folder_identity(self.previous):
                self.old = manifest.get("pages") or {}
                self.old_answers = manifest.get("answers") or {}
                self.old_inputs = manifest.get("inputs") or {}
                self.old_files = manifest.get("files") or {}
        self.new: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        """The digest of each document page's inputs (:meth:`reuse_by_inputs`)."""
        self.answers: dict[str, Answers] = {}
        """What each page of the new output asked (:class:`PageQuestions`), for those that asked."""
        self.files: dict[str, bytes] = {}
        """Digests of other files of the new output (the search export's), so that the next
        build can tell whether it holds them as they are without reading them."""
        self.reused = 0
        self.by_inputs: set[str] = set()
        """The pages reused by their inputs (:meth:`reuse_by_inputs`), of those :attr:`reused`."""
        self.rendered = 0
        self.in_place = self.has_previous
        self.kept: set[str] = set()

    def key(self, name: str, context: dict[str, Any]) -> str:
        if not self.global_key:
            raise RuntimeError("PageReuse.global_key must be set before pages are fingerprinted")
        return hashlib.sha256(f"{self.global_key}\0{name}\0{self.fingerprinter.digest(context)}".encode()).hexdigest()

    @property
    def fingerprinting(self) -> bool:
        """Whether pages get fingerprints: there is a previous output to reuse pages from, or
        somewhere to keep them.  A build without a cache (as in CI) has neither: computing
        them cost a 5,000-document build 2.2 s (measured)."""
        return self.previous is not None or self.manifest_path is not None

    @property
    def has_previous(self) -> bool:
        """Whether there is a previous output with fingerprints to reuse pages from."""
        return self.previous is not None and bool(self.old)

    def reuse_all(self, pages: Iterable[tuple[str, dict[str, Any]]]) -> ReuseResult:
        """:meth:`try_reuse` for each ``(name, context)``, for another process's part of the
        pages (:meth:`merge` takes the result back)."""
        keys_before, reused_before, kept_before = dict(self.new), self.reused, set(self.kept)
        to_render = [name for name, context in pages if not self.try_reuse(name, context)]
        return ReuseResult({k: v for k, v in self.new.items() if keys_before.get(k) != v}, to_render,
                           self.reused - reused_before, sorted(self.kept - kept_before))

    def merge(self, result: ReuseResult) -> set[str]:
        """Take in another process's :meth:`reuse_all`; the names of the pages it left to render."""
        self.new.update(result.keys)
        self.reused += result.reused
        self.rendered += len(result.to_render)
        self.kept.update(result.kept)
        to_render = set(result.to_render)
        self.answers.update((name, self.old_answers[name]) for name in result.keys
                            if name not in to_render and name in self.old_answers)
        return to_render

    def try_reuse(self, name: str, context: dict[str, Any]) -> bool:
        """Link the previous file into the new output when nothing it depends on changed."""
        if not self.fingerprinting:
            self.rendered += 1
            return False
        key = self.key(name, context)
        self.new[name] = key
        if self.previous is None or self.old.get(name) != key or not self._same_answers(name) \
                or not self._previous_has(name):
            self.rendered += 1
            return False
        self._keep(name)
        return True

    def reuse_by_inputs(self, name: str, template: str, inputs: tuple[Any, ...],
                        verify: Callable[[], str] | None = None) -> bool:
        """Like :meth:`try_reuse` for a page whose context is made from ``inputs`` only
        (:attr:`~.pages.Page.inputs`): when they are the previous build's, the page is
        reused with its kept fingerprint, without making its context.  Else False: the
        caller fingerprints it (:meth:`try_reuse`).  With ``verify`` (a build with
        ``DISCLOSURE_VERIFY_REUSE`` set, as the tests run), a page so reused is
        fingerprinted too, and a fingerprint other than the kept one fails the build: the
        inputs missed something the page shows."""
        if not self.fingerprinting:
            return False
        # (the inputs are one object for all of a document's pages: digested once)
        of_inputs = self.fingerprinter.digest_once(inputs)
        digest = hashlib.sha256(f"{self.global_key}\0{name}\0{template}\0{of_inputs}".encode()).hexdigest()
        self.inputs[name] = digest
        kept = self.old.get(name)
        if self.previous is None or kept is None or self.old_inputs.get(name) != digest \
                or not self._same_answers(name) or not self._previous_has(name):
            return False
        if verify is not None and verify() != kept:
            raise RuntimeError(f"{name}: its inputs are those of the previous build but not its fingerprint: "
                               "Page.inputs misses something the page shows")
        self.new[name] = kept
        self.by_inputs.add(name)
        self._keep(name)
        return True

    def _previous_has(self, name: str) -> bool:
        if self.previous_files is not None:
            return name in self.previous_files
        # (a string path: pathlib's joining took 0.25 s of 20,000 pages)
        return os.path.isfile(os.path.join(self._previous, name))

    def _keep(self, name: str) -> None:
        """Reuse the previous output's ``name``: leave it there, or link it into the new folder."""
        self.reused += 1
        if name in self.old_answers:
            self.answers[name] = self.old_answers[name]
        if self.in_place:
            self.kept.add(name)
            return
        source, target = self.previous / name, self.staging / name  # type: ignore[operator]
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def _same_answers(self, name: str) -> bool:
        asked = self.old_answers.get(name, ())
        if asked and self.exists is None:
            raise RuntimeError("PageReuse.exists must be set before pages are fingerprinted")
        return all(self.exists(file) is answer for file, answer in asked)  # type: ignore[misc]

    def rendered_page(self, name: str, answers: Answers) -> None:
        """Note what a page rendered by this build asked."""
        if answers:
            self.answers[name] = answers
        else:
            self.answers.pop(name, None)

    def save(self) -> None:
        if self.manifest_path is None or self.output is None:
            return
        save_manifest(self.manifest_path, {
            "output": folder_identity(self.output), "pages": self.new, "answers": self.answers,
            "inputs": {name: digest for name, digest in self.inputs.items() if name in self.new},
            "files": self.files})
        self.manifest_path.with_suffix(".json").unlink(missing_ok=True)  # (its format before marshal: unread)


def manifest_path(cache_dir: Path, output: Path) -> Path:
    """Where the page fingerprints of ``output`` are kept."""
    return cache_dir / f"pages-{path_key(output)}.marshal"


def load_manifest(path: Path) -> dict[str, Any] | None:
    """The page fingerprints saved at ``path`` (``output``: the folder they describe,
    ``pages``: name → fingerprint, ``answers``: name → what it asked, ``inputs``: name →
    the digest of a document page's inputs, ``files``: name → digest of another file's
    bytes), or None."""
    try:
        found = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return found if isinstance(found, dict) and all(isinstance(found.get(key), dict) for key in PAGE_MAPS) else None


PAGE_MAPS = ("pages", "answers", "inputs", "files")
"""The fingerprint file's maps from a file's name (see :func:`load_manifest`)."""


def save_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Keep the fingerprints of the pages of an output (``output``: its :func:`folder_identity`),
    what they asked and the digests of the document pages' inputs.  With marshal: as JSON,
    22,000 pages' took 0.4 s of every build with the cache."""
    data = marshal.dumps(manifest)
    replace_file(path, lambda handle: handle.write(data))


def manifest_without(manifest: dict[str, Any], names: Iterable[str], output: Any) -> dict[str, Any]:
    """The fingerprint file once the pages ``names`` were changed otherwise than by a whole
    build (the quick rebuild patched them): it knows nothing of them, and describes
    ``output`` (its :func:`folder_identity` now)."""
    result: dict[str, Any] = {"output": output}
    for key in PAGE_MAPS:
        kept = dict(manifest.get(key) or {})  # (a copy, less the names: a comprehension took 0.1 s)
        for name in names:
            kept.pop(name, None)
        result[key] = kept
    return result


def folder_identity(folder: Path) -> list[int] | None:
    """Device, inode and change time of ``folder``: a folder put in its place since (a swap,
    a copy) has another inode or, if the file system reused the inode, another time."""
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    return [stat.st_dev, stat.st_ino, stat.st_ctime_ns]
