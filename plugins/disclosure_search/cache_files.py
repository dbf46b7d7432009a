"""Where the command line's search files of a content folder are kept in a cache folder.

A module of its own, importing neither whoosh nor the word segmenter: the build's
process needs these paths, and the search export (in a forked child on a large site)
is what needs the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SearchFiles:
    """Where the command line's search files of a content folder live in a cache folder."""

    records: Path
    """The records of the last build (JSON lines, :func:`~.index.save_records`)."""
    index: Path
    """The whoosh index made from them (:func:`~.index.sync_index`)."""

    @property
    def pending(self) -> Path:
        """Where a build writes the records; they replace :attr:`records` once its output is published."""
        return self.records.with_name(self.records.name + ".pending")


def search_files(cache_dir: Path, content_dir: Path) -> SearchFiles:
    """The :class:`SearchFiles` of ``content_dir`` under ``cache_dir`` (one set per content folder)."""
    from disclosure.files import path_key

    stem = f"search-{path_key(content_dir)}"
    return SearchFiles(Path(cache_dir) / f"{stem}.records.jsonl", Path(cache_dir) / stem)
