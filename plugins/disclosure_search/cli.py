"""``python publish.py search QUERY [--type T] [--status S] [--year Y] [--json]``.

:func:`cli_search` does the work and returns ``(exit_code, text)``; printing
and argument parsing belong to ``publish.py``. Exit codes follow Click: 0 for
a search that ran (even with no result), 1 when the index is missing or
unusable, 2 for a usage error (unknown type or status, bad year, nothing to
search for).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .index import SORTS, Hit, SearchIndexError, search

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _codes() -> tuple[dict[str, str], dict[str, str]]:
    """Known type and status codes with their Chinese labels (from the core model)."""
    from disclosure.document import DocType
    from disclosure.effectiveness import Status

    return ({t.value: t.label_zh for t in DocType}, {s.value: s.label_zh for s in Status})


def _invalid(option: str, expected: str, got: object) -> tuple[int, str]:
    return EXIT_USAGE, f"Error: Invalid value for '{option}': expected {expected}, got {got!r}."


def _plain(snippet: str) -> str:
    """A snippet for the terminal: ``<mark>`` becomes «…», entities are decoded."""
    return html.unescape(re.sub(r"</?mark>", lambda m: "»" if m.group(0) == "</mark>" else "«", snippet))


def _format(query: str, hits: list[Hit], type_labels: dict[str, str], status_labels: dict[str, str]) -> str:
    if not hits:
        return f"没有找到与“{query}”相关的文件。(no results)"
    lines = [f"找到 {len(hits)} 条结果 ({len(hits)} results) — “{query}”", ""]
    for rank, hit in enumerate(hits, 1):
        details = [d for d in (hit.doc_number, hit.published, status_labels.get(hit.status, hit.status),
                               type_labels.get(hit.type, hit.type)) if d]
        lines.append(f"{rank:>2}. {hit.title}")
        lines.append("    " + " · ".join(details))
        lines.append(f"    {hit.url}")
        lines.append(f"    {_plain(hit.snippet)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def cli_search(
    index_dir: Path,
    query: str,
    type: str | None = None,  # noqa: A002 - mirrors the --type option
    status: str | None = None,
    year: int | str | None = None,
    json_output: bool = False,
    *,
    issuer: str | None = None,
    in_force_only: bool = False,
    sort: str = "relevance",
    limit: int = 20,
) -> tuple[int, str]:
    """Run a search for the command line; return ``(exit_code, text)`` to print.

    ``text`` is a readable list (title, number, date, status, type, URL and a
    snippet with matches between «»), or with ``json_output`` a JSON object
    ``{"query", "filters", "count", "hits": [Hit.to_json(), ...]}``.
    """
    type_labels, status_labels = _codes()
    if type and type not in type_labels:
        return _invalid("--type", "one of " + ", ".join(type_labels), type)
    if status and status not in status_labels:
        return _invalid("--status", "one of " + ", ".join(status_labels), status)
    if year not in (None, "") and not re.fullmatch(r"(19|20)\d\d", str(year)):
        return _invalid("--year", "a year such as 2022", year)
    if sort not in SORTS:
        return _invalid("--sort", "one of " + ", ".join(SORTS), sort)
    if not query.strip() and not (type or status or year or issuer or in_force_only):
        return EXIT_USAGE, "Error: nothing to search for: give a query, or a filter such as --type normative."
    try:
        hits = search(
            Path(index_dir), query, type=type, status=status, year=year, issuer=issuer,
            in_force_only=in_force_only, sort=sort, limit=limit,
        )
    except SearchIndexError as err:
        return EXIT_ERROR, f"Error: {err}"
    if json_output:
        payload = {
            "query": query,
            "filters": {"type": type, "status": status, "year": str(year) if year else None,
                        "issuer": issuer, "in_force_only": in_force_only, "sort": sort},
            "count": len(hits),
            "hits": [hit.to_json() for hit in hits],
        }
        return EXIT_OK, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
    return EXIT_OK, _format(query, hits, type_labels, status_labels)
