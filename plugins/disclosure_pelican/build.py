"""A whole build: check, render with Pelican into a fresh folder, then swap it in
(or, when the previous output's page fingerprints are kept, move the changed files
into it).

The previous output stays untouched until the new site is complete: a failed build
leaves it as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

try:
    import fcntl
except ImportError:  # not POSIX: builds are not serialised
    fcntl = None  # type: ignore[assignment]

from disclosure.collector import collector_paused
from disclosure.config import SiteConfig, read_settings_file
from disclosure.corpus import discover_files
from disclosure.problems import ContentError

from .incremental import folder_identity, manifest_path

if TYPE_CHECKING:
    from .state import BuildState

EARLY_START_MAX_PARSED = 32
"""A rebuild that read at most this many files anew starts its search export before the
page model is made (:mod:`.search_export`): it renders at most as many bodies."""


class BuildError(Exception):
    """The build failed for a reason other than the content (theme, plugin, settings)."""

    def __init__(self, message: str, *, partial: bool = False) -> None:
        super().__init__(message)
        self.partial = partial
        """Whether the output was partly updated (the next build makes it whole again)."""


class ErrorCounter(logging.Handler):
    """Pelican logs errors and carries on; we collect them and fail the build (also in forked work)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class BuildResult:
    output: Path
    state: BuildState | None
    """The build's state (None after a quick rebuild, which loads none)."""
    files: int
    quick: Any = None
    """What a quick rebuild after a body edit did (:class:`~.quick.QuickResult`), if it ran."""


def read_settings(settings_file: Path, overrides: dict[str, Any]) -> dict[str, Any]:
    from pelican.settings import read_settings as pelican_read_settings

    return pelican_read_settings(str(settings_file), override=overrides)


def build_site(content: Path, output: Path, as_of: date, settings_file: Path = Path("pelicanconf.py"),
               cache_dir: Path | None = None, *, quick: bool = True) -> BuildResult:
    """Check ``content``, build the site and publish it atomically at ``output``.

    ``cache_dir`` keeps what can be reused by the next build (rendered bodies, page
    fingerprints, the snapshot a quick rebuild after a body edit starts from: ``quick``);
    the output is byte-identical with or without it.  Raises ContentError (nothing
    written) or BuildError (previous output intact).
    """
    values = read_settings_file(settings_file)
    config = SiteConfig.from_settings(values)
    output = output.resolve()
    # No cyclic garbage collection during the build (:mod:`disclosure.collector`): at
    # 10,000 documents it took half a second of a rebuild after a topic edit and a third
    # of the corpus load, for the same peak memory (measured).  Forked children (the
    # search export, the page reuse helper) inherit the pause, so they do not touch the
    # parent's pages to walk them; a caller that builds again (``serve --watch``, tests)
    # collects as before once the build returns.
    with one_build_at_a_time(output), collector_paused():
        snapshot = quick_key = None
        # The files, found once for the quick rebuild, the key of what the output is built
        # from and the corpus (taken before: an edit made during the build is seen by the next one).
        others: list[str] = []
        found = discover_files(content, others)
        if cache_dir is not None and quick:
            from . import quick as quick_path

            snapshot = quick_path.load_snapshot(cache_dir, output)  # (also: the holes of the pages a build keeps)
            done = quick_path.quick_rebuild(Path(content), output, as_of, Path(settings_file), values, config, cache_dir,
                                            snapshot, (found, others))
            if done is not None:
                return BuildResult(output, None, done.files, done)
            quick_key = quick_path.snapshot_key(Path(content), others, config, as_of, Path(settings_file), values)
        # (an update in place needs the previous output's fingerprints)
        with _output_listing(output, cache_dir is not None and manifest_path(cache_dir, output).is_file()) as listing:
            from .state import BuildState  # (here: a quick rebuild needs none of what it imports)

            # ContentError: nothing written
            state = BuildState.load(content, as_of, config, cache_dir=cache_dir, paths=[Path(path) for path in found])
            state.output_files = listing.files if listing is not None else None
            state.search = bool(values.get("DISCLOSURE_SEARCH", True))
            output.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-building-", dir=output.parent))
            search_records = None
            if cache_dir is not None and state.search:
                from disclosure_search.cache_files import search_files

                search_records = search_files(cache_dir, content)
            counter = ErrorCounter()
            keeping = None
            pelican_logger = logging.getLogger("pelican")
            pelican_logger.addHandler(counter)
            try:
                if quick_key is not None and snapshot is not None and snapshot.key == quick_key \
                        and state.parse_cache is not None and state.parse_cache.parsed <= EARLY_START_MAX_PARSED:
                    # The code and settings of the last build, and next to no file read anew:
                    # their bodies are rendered already, so the search export starts now,
                    # beside the page model, not after it (a rebuild after a topic edit at
                    # 10,000 documents, interleaved: 4.57–4.79 → 4.38–4.67 s).
                    from .search_export import start_output

                    state.output_start = start_output(state, output, staging)
                from pelican import Pelican

                try:
                    settings = read_settings(settings_file, {
                        "PATH": str(content), "OUTPUT_PATH": str(staging), "DISCLOSURE_STATE": state,
                        "DISCLOSURE_PREVIOUS_OUTPUT": str(output) if cache_dir is not None else None,
                        # a fresh folder, where the search export may be writing already
                        "DELETE_OUTPUT_DIRECTORY": False,
                    })
                except ValueError as error:  # Pelican's own checks of the settings (a theme not found, …)
                    raise BuildError(f"{settings_file}: {error}") from error
                try:
                    Pelican(settings).run()
                except (ContentError, BuildError):
                    raise
                except Exception as error:  # a theme or plugin failure: report it, keep the old site
                    raise BuildError(f"{type(error).__name__}: {error}") from error
                if counter.messages:
                    raise BuildError("Pelican reported errors:\n" + "\n".join(f"  {m}" for m in counter.messages))
                reuse = state.page_reuse
                files_read = None  # (what the snapshot and the kept lists are made from)
                if quick and cache_dir is not None and reuse is not None and reuse.manifest_path is not None \
                        and state.recorder is not None and quick_key is not None:
                    from .quick import files_read_by
                    from .relist import ListsKeeping

                    files_read = files_read_by(state)
                    if files_read is not None:  # (beside the publishing and the snapshot's saving)
                        keeping = ListsKeeping(cache_dir, output, quick_key, files_read, state.public,
                                               state.recorder.file_names)
                logged_to = None
                if cache_dir is not None:
                    from . import quick as quick_path

                    # it describes the old output: marked as changing (or dropped) first
                    logged_to = quick_path.mark_changing(cache_dir, output, snapshot)
                if reuse is not None and reuse.manifest_path is not None:
                    # The old fingerprints describe the old output: drop them before it changes, so
                    # an interruption before the save costs a full build, never a stale page.
                    reuse.manifest_path.unlink(missing_ok=True)
                if reuse is not None and reuse.in_place:
                    files = _update_in_place(staging, output, reuse.kept | set(state.unchanged_files), listing)
                else:
                    _swap_in(staging, output)
                    files = sum(len(names) for _, _, names in os.walk(output))
                if reuse is not None:
                    reuse.save()
                if search_records is not None and search_records.pending.exists():
                    # the CLI searches what the published site shows, never a failed build's records
                    os.replace(search_records.pending, search_records.records)
                if files_read is not None:
                    quick_path.save_snapshot(cache_dir, output, quick_key, state, files_read, snapshot,
                                             folder_identity(output), files, logged_to)
                if keeping is not None:
                    keeping.wait()
            except BaseException:
                if keeping is not None:
                    keeping.cancel()
                if state.output_start is not None and state.output_start.search is not None:
                    state.output_start.search.cancel()
                shutil.rmtree(staging, ignore_errors=True)
                if search_records is not None:
                    search_records.pending.unlink(missing_ok=True)
                raise
            finally:
                pelican_logger.removeHandler(counter)
            return BuildResult(output, state, files)


@contextmanager
def one_build_at_a_time(output: Path) -> Iterator[None]:
    """Hold a lock on building ``output``, waiting for a build that holds it: ``serve
    --watch`` and a build started by hand must not both update the same output in place,
    nor save fingerprints of each other's pages, and a build without the cache must not
    swap in a whole folder while another updates the old one.

    The lock is a hidden file beside ``output`` (where the build makes its new folder, so
    it can write there; a build with and one without the cache find the same file),
    there only while a build runs: the holder removes it before letting go, so a waiting
    build that then holds a removed file tries again with the one there now.  The lock
    is the operating system's (``flock``): it goes with the process, so a killed build
    leaves no lock behind, at most the empty file."""
    if fcntl is None or not output.parent.is_dir():
        # Without the folder there is no output to update in place (a build refused for
        # its content must not leave the folder made for the lock behind): a first build
        # swaps in a whole new folder, as any concurrent one would.
        yield
        return
    lock_path = output.parent / f".{output.name}.lock"
    said = False
    while True:
        handle = open(lock_path, "a+b")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not said:
                    print(f"Waiting for another build of {output} to finish…", file=sys.stderr, flush=True)
                    said = True
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                held = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                held = False
        except BaseException:
            handle.close()
            raise
        if held:
            break
        handle.close()  # the build before removed this file: lock the one there now
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)  # still held: whoever opens the path next gets a new file
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _swap_in(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` with renames, so readers never see a half site.

    The replaced site is deleted by a detached process: on a 10,000-document site that
    is 36,000 files and 4 s the build would otherwise wait for (measured).  Its folder
    has a name of its own, so a build started meanwhile neither waits for it nor meets
    it; folders left by an interrupted deletion are taken along by the next build."""
    os.chmod(staging, 0o755)
    if not output.exists():
        os.replace(staging, output)
        return
    leftovers = sorted(output.parent.glob(f".{output.name}-retired-*"))
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}-retired-", dir=output.parent))
    os.replace(output, retired / output.name)
    os.replace(staging, output)
    _delete_in_background([retired, *leftovers])


Listing = list[tuple[str, list[str], list[str]]]
"""A folder's contents, deepest folders first: each folder (relative, "" for the root) with
the names of its subfolders and of its files, as :func:`os.walk` gives them bottom-up."""


def list_folder(folder: Path) -> Listing:
    # Paths as strings: pathlib on the 47,000 entries of a 10,000-document site took 1 s.
    root = str(folder)
    return [(path[len(root) + 1:], folders, names) for path, folders, names in os.walk(root, topdown=False)]


class _ListingChild:
    """:func:`list_folder` of the output, made by a forked child while the build loads and
    renders: walking a 10,000-document output (11,000 folders) took 0.44 s of every rebuild
    in the build's own process.  The listing is taken before the build writes anything;
    only this build updates the output meanwhile (:func:`one_build_at_a_time`)."""

    def __init__(self, output: Path) -> None:
        from .forked import Forked

        self.output = output
        self.child = Forked(lambda: list_folder(output), "listing the output")
        self._listing: Listing | None = None

    def result(self) -> Listing:
        if self._listing is None:
            try:
                self._listing = self.child.result()
            except RuntimeError:  # (the child could not list it: walked here, where an error is the build's)
                self._listing = list_folder(self.output)
        return self._listing

    def files(self) -> frozenset[str]:
        """The names of the files the output holds (what a reused page is looked up in:
        asking the file system for each of 20,000 pages took 0.15 s)."""
        return frozenset(f"{relative}/{name}" if relative else name for relative, _, names in self.result()
                         for name in names)


@contextmanager
def _output_listing(output: Path, wanted: bool) -> Iterator[_ListingChild | None]:
    """A :class:`_ListingChild` when the build may update ``output`` in place (``wanted``)
    and there is a core to spare; stopped when the build ends without having used it."""
    from .forked import can_fork

    child = _ListingChild(output) if wanted and output.is_dir() and can_fork() else None
    try:
        yield child
    finally:
        if child is not None:
            child.child.cancel()  # (waited for already, unless the build failed or swapped in a new folder)


def _update_in_place(staging: Path, output: Path, kept: set[str], listing: _ListingChild | None = None) -> int:
    """Make ``output`` the new site: ``staging`` holds the files that changed, ``kept``
    names the files ``output`` already holds as the new site has them; ``listing``, if
    given, lists ``output`` as it was when the build started (else it is walked here).
    Returns how many files the site has.

    A rebuild after one edit changes a few files of a large site: moving those in, and
    deleting what the new site no longer has, spares it making a whole new tree of
    11,000 folders and 36,000 links (and deleting the old one).  Every file is replaced
    by a rename, so no reader sees a half-written file; for the fraction of a second the
    moves take, a reader may see some pages new and some old.  A build without the
    previous fingerprints (a first build, one after an interrupted update, ``--no-cache``)
    swaps in a whole new folder instead (:func:`_swap_in`)."""
    root = str(output)
    written: list[str] = []
    folders_written: set[str] = set()  # with the empty ones a full build would have
    for relative, _, names in list_folder(staging):
        folders_written.add(relative)
        written.extend(f"{relative}/{name}" if relative else name for name in names)
    wanted = kept.union(written)
    emptied: set[str] = set()
    for relative, folders, names in (listing.result() if listing is not None else list_folder(output)):
        # what the new site no longer has
        folder = os.path.join(root, relative) if relative else root
        prefix = f"{relative}/" if relative else ""
        left = sum(1 for name in folders if prefix + name not in emptied)
        for name in names:
            if prefix + name in wanted:
                left += 1
            else:
                try:
                    os.unlink(os.path.join(folder, name))
                except FileNotFoundError:
                    pass
        if not left and relative and relative not in folders_written:
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                pass
            except OSError:  # something put there since it was listed: left as it is
                continue
            emptied.add(relative)
    for relative in folders_written:  # every written file's folder among them
        os.makedirs(os.path.join(root, relative), exist_ok=True)
    fresh = str(staging)
    for name in written:
        source, target = os.path.join(fresh, name), os.path.join(root, name)
        # A file rendered again with the same bytes (the theme's files, a list after a body
        # edit) is left as it is: its time stays, so a deployment that copies what changed
        # since (by time and size) copies only what did.
        if not _same_bytes(source, target):
            os.replace(source, target)
    shutil.rmtree(staging, ignore_errors=True)
    leftovers = sorted(output.parent.glob(f".{output.name}-retired-*"))
    if leftovers:
        _delete_in_background(leftovers)
    return len(wanted)


def _same_bytes(a: str, b: str) -> bool:
    try:
        if os.path.getsize(a) != os.path.getsize(b):
            return False
        with open(a, "rb") as first, open(b, "rb") as second:
            return first.read() == second.read()
    except OSError:
        return False


def _delete_in_background(folders: list[Path]) -> None:
    """``shutil.rmtree`` of ``folders`` in a detached process (here, if one cannot be started)."""
    script = "import shutil, sys\nfor folder in sys.argv[1:]:\n    shutil.rmtree(folder, ignore_errors=True)\n"
    try:
        subprocess.Popen([sys.executable, "-c", script, *map(str, folders)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


__all__ = ["BuildError", "BuildResult", "ContentError", "build_site"]
