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
* :mod:`.cache_files` – where the command line's records and whoosh index are kept

Typical use::

    records = records_from_corpus(corpus.public(), as_of)
    export_from_records(records, Path("output/search"))     # the site build
    save_records(records, Path("cache/search.records.jsonl"))
    sync_index(Path("cache/search.records.jsonl"), Path("cache/search-index"))  # before a CLI search
    search(Path("cache/search-index"), "495号")

This package never imports Pelican.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Each name is imported from its module when first used: the build's process needs only
# a path helper (:mod:`.cache_files`), and importing everything (whoosh, the word
# segmenter's dictionary) cost it 0.18 s; the search export imports what it uses.
_MODULES = {
    "cli_search": "cli",
    "BuildStats": "index", "Hit": "index", "SearchIndexError": "index", "build_index": "index",
    "save_records": "index", "search": "index", "sync_index": "index",
    "SearchRecord": "records", "records_from_corpus": "records",
    "ExportStats": "static_export", "export_from_records": "static_export", "export_static": "static_export",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)


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
