"""A document's new title in the files a whole build wrote, for the quick rebuild.

Pages get it where the build noted titles (:mod:`.titles`); the feeds, the data export and
the ledger's files are made by our own writers in fixed layouts, so the title is found
there by the document's id or link, checked to be the old title as that writer prints it,
and replaced as it prints the new one.  Each function returns None when the file is not
as described: the caller then runs the whole build.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Callable
from xml.sax.saxutils import escape as xml_escape

from disclosure.export import csv_row, json_line
from disclosure.ledger_views import COLUMNS, ledger_csv_cell
from disclosure.spreadsheet import csv_text

from .titles import LEDGER_LINK, LEDGER_TITLE, TitleHole, replace_titles, title_text

FEED_TITLE = b'    <title type="text" xml:lang="zh-CN">'
"""How :func:`~.feeds.atom_feed` opens an entry's title line (right after ``<entry>``)."""


def retitle_page(page: str, holes: tuple[TitleHole, ...], doc_id: str, old: str, new: str,
                 ) -> tuple[str, tuple[TitleHole, ...], Callable[[int], int]] | None:
    """The page with the document's title replaced where the build noted it, the holes then,
    and how a place in the page moves (for the body's hole); None when a noted place does
    not hold the old title."""
    old_text, new_text = title_text(old), title_text(new)
    mine = [hole for hole in holes if hole.doc_id == doc_id]
    if any(page[hole.start:hole.start + hole.length] != old_text for hole in mine):
        return None
    text, moved = replace_titles(page, holes, lambda found: new_text if found == doc_id else None)
    step = len(new_text) - len(old_text)
    return text, moved, lambda at: at + step * sum(hole.start < at for hole in mine)


def retitle_feed_entry(data: bytes, entry_at: int, old: str, new: str) -> bytes | None:
    """The feed with the title of the entry whose ``<id>`` is at ``entry_at`` replaced."""
    start = data.rfind(b"  <entry>\n" + FEED_TITLE, 0, entry_at)
    if start < 0:
        return None
    start += len(b"  <entry>\n" + FEED_TITLE)
    line_end = data.find(b"\n", start)
    old_line = xml_escape(old).encode("utf-8") + b"</title>"
    if line_end < 0 or line_end > entry_at or data[start:line_end] != old_line:
        return None
    return data[:start] + xml_escape(new).encode("utf-8") + b"</title>" + data[line_end:]


def retitle_documents(json_data: bytes, csv_data: bytes, doc_id: str, old: str, new: str) -> tuple[bytes, bytes] | None:
    """``data/documents.json`` and ``.csv`` (one record per line and row, :mod:`disclosure.export`)
    with the document's title replaced."""
    text = json_data.decode("utf-8")
    key = json_line({"id": doc_id})[1:-1]  # '"id": "<id>"', as the writer prints it
    lines = text.split("\n")
    found = [i for i, line in enumerate(lines) if key + "," in line]  # ("id" is never a record's last key)
    if len(found) != 1:
        return None
    line = lines[found[0]]
    comma = "," if line.endswith(",") else ""
    try:
        record = json.loads(line[:len(line) - len(comma)])
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("id") != doc_id or record.get("title") != old \
            or json_line(record) + comma != line:
        return None
    old_row = csv_row(record).encode("utf-8")
    record["title"] = new
    lines[found[0]] = json_line(record) + comma
    new_row = csv_row(record).encode("utf-8")
    if csv_data.count(b"\r\n" + old_row) != 1:
        return None
    return "\n".join(lines).encode("utf-8"), csv_data.replace(b"\r\n" + old_row, b"\r\n" + new_row)


def retitle_ledger(json_data: bytes, csv_data: bytes, link: str, old: str, new: str) -> tuple[bytes, bytes] | None:
    """``ledger/ledger.json`` (indented, sorted keys) and ``ledger/ledger.csv`` with the
    title of the document at ``link`` replaced: in its row and in the interpretations
    listed by the rows of the documents it interprets."""
    try:
        rows = json.loads(json_data)["rows"]
    except (ValueError, KeyError, TypeError):
        return None
    lines = csv_data.decode("utf-8").split("\r\n")
    at = {line.rsplit(",", 1)[-1]: i for i, line in enumerate(lines)}  # each row's link is its last cell
    title_column, listed_column = COLUMNS.index(LEDGER_TITLE), COLUMNS.index("解读")
    for row in rows:
        listed = [item for item in row.get("解读") or [] if isinstance(item, dict) and item.get(LEDGER_LINK) == link]
        own = row.get(LEDGER_LINK) == link
        if not (own or listed):
            continue
        line = at.get(row.get(LEDGER_LINK) or "\0")
        cells = next(csv.reader([lines[line]])) if line is not None else []
        if len(cells) != len(COLUMNS) or csv_text([cells], bom=False) != lines[line] + "\r\n" \
                or (own and (row.get(LEDGER_TITLE) != old or cells[title_column] != ledger_csv_cell(old))) \
                or any(item.get(LEDGER_TITLE) != old for item in listed) \
                or cells[listed_column] != ledger_csv_cell(row.get("解读")):
            return None
        for item in listed:
            item[LEDGER_TITLE] = new
        if own:
            cells[title_column] = new
        cells[listed_column] = ledger_csv_cell(row.get("解读"))
        lines[line] = csv_text([cells], bom=False)[:-2]
    patched = _retitle_indented(json_data.decode("utf-8"), link, old, new)
    return (patched.encode("utf-8"), "\r\n".join(lines).encode("utf-8")) if patched is not None else None


def _retitle_indented(text: str, link: str, old: str, new: str) -> str | None:
    """In JSON indented with sorted keys, the title beside each ``"链接": link`` (the key
    sorts before it, at the same depth)."""
    link_line = f"{_key(LEDGER_LINK)}{_value(link)}"
    title_key = _key(LEDGER_TITLE)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.rstrip(",") != link_line:
            continue
        depth = len(line) - len(stripped)
        j = i - 1
        while j >= 0:
            other = lines[j].lstrip(" ")
            other_depth = len(lines[j]) - len(other)
            if other_depth < depth:
                return None  # the object's start, and no title in it
            if other_depth == depth and other.startswith(title_key):
                break
            j -= 1
        if j < 0:
            return None
        value = lines[j].lstrip(" ")[len(title_key):]
        comma = "," if value.endswith(",") else ""
        if value != _value(old) + comma:
            return None
        lines[j] = " " * depth + title_key + _value(new) + comma
    return "\n".join(lines)


def _key(name: str) -> str:
    return f"{_value(name)}: "


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
