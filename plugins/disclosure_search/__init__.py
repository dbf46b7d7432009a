"""Full-text search for the disclosure site: whoosh index, CLI and static browser search.

Modules, by concept:

* :mod:`.script` – character normalisation (width, case, Traditional→Simplified, regional terms)
* :mod:`.docnumber` – document numbers in any written form → canonical tokens
* :mod:`.segmentation` – Chinese word segmentation (rjieba)
* :mod:`.analysis` – index and query tokenisation, whoosh tokenizer
* :mod:`.records` – :class:`SearchRecord` and :func:`records_from_corpus`
* :mod:`.scoring` – the integer ranking model shared by Python and the browser
* :mod:`.snippets` – snippets with ``<mark>``
* :mod:`.index` – incremental whoosh index, :func:`search`, :class:`Hit`
* :mod:`.static_export` – sharded static files for ``static/search.js``
* :mod:`.static_lookup` – the browser's lookup, in Python (tests, debugging)
* :mod:`.cli` – :func:`cli_search` for ``publish.py search``

Typical use::

    records = records_from_corpus(corpus.public(), as_of)
    export_from_records(records, Path("output/search"))     # the site build
    save_records(records, Path("cache/search.records.jsonl"))
    sync_index(Path("cache/search.records.jsonl"), Path("cache/search-index"))  # before a CLI search
    search(Path("cache/search-index"), "495号")

This package never imports Pelican.
"""

from __future__ import annotations

from .cli import cli_search
from .index import BuildStats, Hit, SearchIndexError, build_index, save_records, search, sync_index
from .records import SearchRecord, records_from_corpus
from .static_export import ExportStats, export_from_records, export_static

__all__ = [
    "BuildStats",
    "ExportStats",
    "Hit",
    "SearchIndexError",
    "SearchRecord",
    "build_index",
    "cli_search",
    "export_from_records",
    "export_static",
    "records_from_corpus",
    "save_records",
    "search",
    "sync_index",
]
