"""The static search export, written beside the pages.

It needs only the public corpus.  On a large site the generator starts it in a forked
process once the bodies are rendered, so that it runs while the page model is made and
the pages are written (one core); on a small site, or one core, it runs in the build's
process at the end.  Started before the body rendering (which uses every core) it made
a 10,000-document build slower: 121 s against 105 s (measured).
"""

from __future__ import annotations

from pathlib import Path

from .forked import Forked, can_fork
from .state import BuildState

#: From this many public documents the search export runs beside the page writing.
CONCURRENT_SEARCH_MIN = 300


def write_search(state: BuildState, output_path: Path) -> None:
    """The static search export under ``search/``, from the public corpus only, and the
    records the command line's whoosh index is updated from (kept in the cache).
    Records tokenised by an earlier build are not tokenised again (the token cache).

    Its tokenising uses every core even beside the page writing: keeping it in one
    process made the export the last thing a 10,000-document build waited for (measured:
    110 s against 95 s)."""
    from disclosure.files import path_key
    from disclosure_search.index import save_records, search_files
    from disclosure_search.records import records_from_corpus
    from disclosure_search.static_export import export_from_records
    from disclosure_search.token_cache import TokenCache

    # Every public version; results are collapsed to one per document (scoring.collapse).
    records = records_from_corpus(state.public, state.as_of)
    tokens = None
    if state.cache_dir is not None:  # one file per content folder: each build prunes what it did not use
        tokens = TokenCache(state.cache_dir / f"search-tokens-{path_key(state.content_dir)}")
    export_from_records(records, output_path / "search", token_cache=tokens)
    if state.cache_dir is not None:
        # whoosh is not written here: at ~25 ms a document it would cost a 10,000-document
        # build minutes (bench/). `publish.py search` indexes what changed when it is used.
        save_records(records, search_files(state.cache_dir, state.content_dir).pending)  # published by build.py


class SearchExport:
    """:func:`write_search`, in a forked process when the site is large and there are cores to
    spare (started at once; :meth:`finish` waits for it), else in this process at :meth:`finish`.
    The output is the same either way; a failure in the child fails the build with its message."""

    def __init__(self, state: BuildState, output_path: Path) -> None:
        self.state, self.output_path = state, output_path
        self.child: Forked | None = None
        if len(state.public.documents) >= CONCURRENT_SEARCH_MIN and can_fork():
            self.child = Forked(lambda: write_search(state, output_path), "search export")

    def cancel(self) -> None:
        if self.child is not None:
            self.child.cancel()

    def finish(self) -> None:
        if self.child is None:
            write_search(self.state, self.output_path)
        else:
            self.child.result()
