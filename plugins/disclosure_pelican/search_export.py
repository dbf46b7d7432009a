"""The static search export, written beside the pages.

It needs only the public corpus.  On a large site it runs in a forked process while
the pages are written (one core); on a small site, or one core, it runs in the build's
process at the end.  It starts once the bodies are rendered: started before the body
rendering (which uses every core) it made a 10,000-document build slower, 121 s against
105 s (measured).  A rebuild that renders next to no body (:func:`start_output` from
the build, as soon as the corpus is loaded) starts it before the page model is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .forked import Forked, can_fork
from .incremental import PageReuse
from .state import BuildState

#: From this many public documents the search export runs beside the page writing.
CONCURRENT_SEARCH_MIN = 300
SEARCH = "search/"


class SearchWritten(NamedTuple):
    unchanged: list[str]
    """Files (``search/…``) the updated output already held as they are."""
    postings_size: int
    """What the export's shard count came from (a rebuild after a body edit patches it)."""
    generation: str
    """The generation of the kept index that describes the export ("": none kept)."""
    digests: dict[str, bytes] | None = None
    """Each file's digest (``search/…``), when the build keeps them for the next one."""


class PublishedFiles(NamedTuple):
    """What the build knows of the output it updates without reading it: the digests of
    files as the build that wrote them noted (names in the output), and the output's files."""

    digests: dict[str, bytes]
    files: frozenset[str]


def write_search(state: BuildState, output_path: Path, updated_output: Path | None = None,
                 published: PublishedFiles | None = None) -> SearchWritten:
    """The static search export under ``search/``, from the public corpus only, and the
    records the command line's whoosh index is updated from (kept in the cache).
    Records tokenised by an earlier build are not tokenised again (the token cache).
    When the build updates ``updated_output`` in place, files it already holds are not
    written: their names (``search/…``) are returned, with the postings' size; those
    ``published`` has digests of are known without being read.

    Its tokenising uses every core even beside the page writing: keeping it in one
    process made the export the last thing a 10,000-document build waited for (measured:
    110 s against 95 s)."""
    from disclosure.files import path_key
    from disclosure_search.cache_files import search_files
    from disclosure_search.index import save_records
    from disclosure_search.records import TextCache, records_from_corpus
    from disclosure_search.static_export import KnownExport, export_from_records
    from disclosure_search.token_cache import TokenCache

    # one file per content folder: each build prunes what it did not use
    texts = TextCache(state.cache_dir / f"search-texts-{path_key(state.content_dir)}.marshal") \
        if state.cache_dir is not None else None
    # Every public version; results are collapsed to one per document (scoring.collapse).
    records = records_from_corpus(state.public, state.as_of, texts=texts)
    tokens = None
    if state.cache_dir is not None and texts is not None:
        texts.save()
        tokens = TokenCache(state.cache_dir / f"search-tokens-{path_key(state.content_dir)}")
    unchanged_in = updated_output / "search" if updated_output is not None else None
    known = None
    if published is not None and unchanged_in is not None:
        known = KnownExport({name[len(SEARCH):]: digest for name, digest in published.digests.items() if name.startswith(SEARCH)},
                            frozenset(name[len(SEARCH):] for name in published.files if name.startswith(SEARCH)))
    stats = export_from_records(records, output_path / "search", token_cache=tokens, unchanged_in=unchanged_in,
                                known=known, digests=state.cache_dir is not None)
    if state.cache_dir is not None:
        # whoosh is not written here: at ~25 ms a document it would cost a 10,000-document
        # build minutes (bench/). `publish.py search` indexes what changed when it is used.
        save_records(records, search_files(state.cache_dir, state.content_dir).pending)  # published by build.py
    return SearchWritten([SEARCH + name for name in stats.unchanged], stats.postings_size,
                         tokens.generation if tokens is not None else "",
                         {SEARCH + name: digest for name, digest in stats.digests.items()} if stats.digests is not None else None)


class SearchExport:
    """:func:`write_search`, in a forked process when the site is large and there are cores to
    spare (started at once; :meth:`finish` waits for it), else in this process at :meth:`finish`.
    The output is the same either way; a failure in the child fails the build with its message."""

    def __init__(self, state: BuildState, output_path: Path, updated_output: Path | None = None,
                 published: PublishedFiles | None = None) -> None:
        self.state, self.output_path, self.updated_output, self.published = state, output_path, updated_output, published
        self.child: Forked | None = None
        if len(state.public.documents) >= CONCURRENT_SEARCH_MIN and can_fork():
            self.child = Forked(lambda: write_search(state, output_path, updated_output, published), "search export")

    def cancel(self) -> None:
        if self.child is not None:
            self.child.cancel()

    def finish(self) -> SearchWritten:
        """Wait for the export; what it wrote (:class:`SearchWritten`)."""
        if self.child is None:
            return write_search(self.state, self.output_path, self.updated_output, self.published)
        return self.child.result()


class OutputStart(NamedTuple):
    """How a build writes its output: the pages it reuses, and its search export, started."""

    reuse: PageReuse
    search: SearchExport | None


def start_output(state: BuildState, previous_output: Path | None, staging: Path) -> OutputStart:
    """The :class:`~.incremental.PageReuse` of a build writing into ``staging`` (updating
    ``previous_output`` in place when the fingerprints of it are kept), and its search
    export (:class:`SearchExport`), started."""
    reuse = PageReuse(state.cache_dir, previous_output, staging)
    if reuse.has_previous and state.output_files is not None:
        reuse.previous_files = state.output_files()
    published = PublishedFiles(reuse.old_files, reuse.previous_files) \
        if reuse.in_place and reuse.previous_files is not None else None
    search = SearchExport(state, staging, reuse.previous if reuse.in_place else None, published) \
        if state.search else None
    return OutputStart(reuse, search)
