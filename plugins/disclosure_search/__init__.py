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

Typical build::

    records = records_from_corpus(corpus.public(), as_of)
    build_index(records, Path("cache/search-index"))
    export_static(Path("cache/search-index"), Path("output/search"))

This package never imports Pelican.
"""

from __future__ import annotations

from .cli import cli_search
from .index import BuildStats, Hit, SearchIndexError, build_index, search
from .records import SearchRecord, records_from_corpus
from .static_export import ExportStats, export_static

__all__ = [
    "BuildStats",
    "ExportStats",
    "Hit",
    "SearchIndexError",
    "SearchRecord",
    "build_index",
    "cli_search",
    "export_static",
    "records_from_corpus",
    "search",
]
