"""A document's new title, numbers, English title or date written in the files a whole
build wrote, for the quick rebuild.

Pages get them where the build noted them (:mod:`.printed`); the feeds, the data export
and the ledger's files are made by our own writers in fixed layouts, so each value is
found there by the document's id or link, checked to be the old value as that writer
prints it, and replaced as it prints the new one.  Each function returns None when the
file is not as described: the caller then runs the whole build.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Callable, NamedTuple
from xml.sax.saxutils import escape as xml_escape

from disclosure.export import csv_row, json_line
from disclosure.ledger_views import COLUMNS, ledger_csv_cell
from disclosure.spreadsheet import csv_text

from .printed import (DOCUMENT_LINK, LEDGER_COLUMNS, LEDGER_LINK, LIST_SEPARATOR, PrintedHole, ledger_doc_id, printed_texts,
                      replace_values)

FEED_TITLE = b'    <title type="text" xml:lang="zh-CN">'
"""How :func:`~.feeds.atom_feed` opens an entry's title line (right after ``<entry>``)."""
FEED_SUMMARY = b'<summary type="text">'
FEED_AUTHOR = b"    <author><name>"
FEED_SEPARATOR = " · "
"""Between the fields of a feed summary's first line (:func:`~.feeds._summary`): the type,
the document number (when there is one), the issuers, the status."""
LEDGER_TITLE = next(column for column, field in LEDGER_COLUMNS.items() if field == "title")
LEDGER_PUBLISHED = next(column for column, field in LEDGER_COLUMNS.items() if field == "published")
LISTED_COLUMNS = (LEDGER_TITLE, LEDGER_PUBLISHED)
"""The columns an interpretation shows where the rows of the documents it interprets list it (``解读``)."""
Changes = dict[str, tuple[Any, Any]]
"""``field → (old value, new value)`` of one document (text; keywords: a tuple or None)."""


def reprint_page(page: str, holes: tuple[PrintedHole, ...], doc_id: str, changes: Changes,
                 ) -> tuple[str, tuple[PrintedHole, ...], Callable[[int], int]] | None:
    """The page with the document's changed fields replaced where the build noted them,
    the holes then, and how a place in the page moves (for the body's hole); None when a
    noted place does not hold the old value."""
    texts = {key: (old_text, new_text) for field, (old, new) in changes.items()
             for (key, old_text), new_text in zip(printed_texts(doc_id, field, old).items(),
                                                   printed_texts(doc_id, field, new).values())}
    mine = [hole for hole in holes if hole.key in texts]
    if any(page[hole.start:hole.start + hole.length] != texts[hole.key][0] for hole in mine):
        return None
    text, moved = replace_values(page, holes, lambda key: texts[key][1] if key in texts else None)
    steps = [(hole.start, len(texts[hole.key][1]) - len(texts[hole.key][0])) for hole in mine]
    return text, moved, lambda at: at + sum(step for start, step in steps if start < at)


def reprint_feed_entry(data: bytes, entry_at: int, changes: Changes) -> bytes | None:
    """The feed with the changed title, document number and issuers of the entry whose
    ``<id>`` is at ``entry_at`` replaced (its title line is the entry's first, its number
    the second field of its summary's first line and its issuers the one before the last,
    its first issuer its author)."""
    if "title" in changes:
        old, new = changes["title"]
        start = data.rfind(b"  <entry>\n" + FEED_TITLE, 0, entry_at)
        if start < 0:
            return None
        start += len(b"  <entry>\n" + FEED_TITLE)
        line_end = data.find(b"\n", start)
        old_line = xml_escape(old).encode("utf-8") + b"</title>"
        if line_end < 0 or line_end > entry_at or data[start:line_end] != old_line:
            return None
        new_line = xml_escape(new).encode("utf-8") + b"</title>"
        data, entry_at = data[:start] + new_line + data[line_end:], entry_at + len(new_line) - len(old_line)
    if "issuer" in changes:
        old, new = changes["issuer"]
        start = data.find(FEED_AUTHOR, entry_at)
        line_end = data.find(b"\n", start)
        old_line = _author_line(old[0])
        if start < 0 or data.find(FEED_SUMMARY, entry_at) < start or data[start:line_end + 1] != old_line:
            return None
        data = data[:start] + _author_line(new[0]) + data[line_end + 1:]
    fields_changed = {name: change for name, change in changes.items() if name in ("doc_number", "issuer")}
    if fields_changed:
        start = data.find(FEED_SUMMARY, entry_at)
        line_end = data.find(b"\n", start)
        if start < 0 or line_end < 0 or data.find(b"</entry>", entry_at) < line_end:
            return None
        start += len(FEED_SUMMARY)
        fields = data[start:line_end].decode("utf-8").split(FEED_SEPARATOR)
        # type · number · issuers · status, the number only when there is one
        at = {"doc_number": 1, "issuer": len(fields) - 2}
        for name, (old, new) in fields_changed.items():
            old_text, new_text = (LIST_SEPARATOR.join(value) if name == "issuer" else value for value in (old, new))
            if FEED_SEPARATOR in old_text or FEED_SEPARATOR in new_text or len(fields) < 3 + ("doc_number" in changes) \
                    or fields[at[name]] != xml_escape(old_text):
                return None
            fields[at[name]] = xml_escape(new_text)
        data = data[:start] + FEED_SEPARATOR.join(fields).encode("utf-8") + data[line_end:]
    return data


def _author_line(issuer: str) -> bytes:
    """An entry's author line (:func:`~.feeds.atom_feed`: its first issuer)."""
    return FEED_AUTHOR + xml_escape(issuer).encode("utf-8") + b"</name></author>\n"


def reprint_documents(json_data: bytes, csv_data: bytes, doc_id: str, changes: Changes) -> tuple[bytes, bytes] | None:
    """``data/documents.json`` and ``.csv`` (one record per line and row, :mod:`disclosure.export`)
    with the document's changed fields replaced."""
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
    changes = {field: tuple(list(value) if isinstance(value, tuple) else value for value in change)  # (JSON's lists)
               for field, change in changes.items()}
    if not isinstance(record, dict) or record.get("id") != doc_id or json_line(record) + comma != line \
            or any(record.get(field) != old for field, (old, _) in changes.items()):
        return None
    old_row = csv_row(record).encode("utf-8")
    record.update({field: new for field, (_, new) in changes.items()})
    lines[found[0]] = json_line(record) + comma
    new_row = csv_row(record).encode("utf-8")
    if csv_data.count(b"\r\n" + old_row) != 1:
        return None
    return "\n".join(lines).encode("utf-8"), csv_data.replace(b"\r\n" + old_row, b"\r\n" + new_row)


def reprint_ledger(json_data: bytes, csv_data: bytes, link: str, changes: Changes) -> tuple[bytes, bytes] | None:
    """``ledger/ledger.json`` (indented, sorted keys) and ``ledger/ledger.csv`` with the
    changed fields of the document at ``link`` replaced: in its row, and its title and date
    of publication where the rows of the documents it interprets list it (the caller sees
    that their order there stays)."""
    columns = {column: tuple(LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value for value in changes[field])
               for column, field in LEDGER_COLUMNS.items() if field in changes}
    if not columns:
        return json_data, csv_data
    text = json_data.decode("utf-8")
    spans = _rows_naming(text, link)  # (parsing these rows alone: the whole file takes a third of a second at 10,000)
    try:
        rows = [json.loads(text[start:end]) for start, end in spans] if spans is not None else None
    except ValueError:
        rows = None
    if spans is None or rows is None or not all(isinstance(row, dict) for row in rows):
        return None
    lines = csv_data.decode("utf-8").split("\r\n")
    at = {line.rsplit(",", 1)[-1]: i for i, line in enumerate(lines)}  # each row's link is its last cell
    listed_column = COLUMNS.index("解读")
    shown = {column: values for column, values in columns.items() if column in LISTED_COLUMNS}
    owned = listings = 0  # the document's rows (one, or none before it is published), the times it is listed
    for row in rows:
        listed = [item for item in row.get("解读") or [] if isinstance(item, dict) and item.get(LEDGER_LINK) == link] \
            if shown else []
        own = row.get(LEDGER_LINK) == link
        if not (own or listed):
            continue
        line = at.get(row.get(LEDGER_LINK) or "\0")
        cells = _ledger_cells(lines[line]) if line is not None else None
        if cells is None \
                or (own and any(row.get(column) != old or cells[COLUMNS.index(column)] != ledger_csv_cell(old)
                                for column, (old, _) in columns.items())) \
                or any(item.get(column) != old for item in listed for column, (old, _) in shown.items()) \
                or cells[listed_column] != ledger_csv_cell(row.get("解读")):
            return None
        for item in listed:
            item.update({column: new for column, (_, new) in shown.items()})
        if own:
            for column, (_, new) in columns.items():
                cells[COLUMNS.index(column)] = new
        cells[listed_column] = ledger_csv_cell(row.get("解读"))
        lines[line] = csv_text([cells], bom=False)[:-2]
        owned, listings = owned + own, listings + len(listed)
    parts, at_end = [], 0
    counted = dict.fromkeys(columns, 0)
    for start, end in spans:
        block = text[start:end]
        for column, (old, new) in columns.items():
            patched = _reprint_indented(block, link, column, old, new)
            if patched is None:
                return None
            block, count = patched
            counted[column] += count
        parts += [text[at_end:start], block]
        at_end = end
    if any(count != owned + (listings if column in LISTED_COLUMNS else 0) for column, count in counted.items()):
        return None
    return "".join([*parts, text[at_end:]]).encode("utf-8"), "\r\n".join(lines).encode("utf-8")


def _rows_naming(text: str, link: str) -> list[tuple[int, int]] | None:
    """Where the rows of ``ledger/ledger.json`` (indented) that name ``link`` (as their own
    or an interpretation's they list) start and end, in order; None when a row's bounds are
    not found."""
    named = f"{_key(LEDGER_LINK)}{_value(link)}"
    spans: list[tuple[int, int]] = []
    at = text.find(named)
    while at >= 0:
        start, end = text.rfind("\n    {\n", 0, at) + 1, text.find("\n    }", at)
        if start <= 0 or end < 0:
            return None
        spans.append((start, end + len("\n    }")))
        at = text.find(named, spans[-1][1])
    return spans


def _reprint_indented(text: str, link: str, column: str, old: str, new: str) -> tuple[str, int] | None:
    """In JSON indented with sorted keys, the value of ``column`` beside each ``"链接": link``
    (the key sorts before it, at the same depth) replaced, and how many were; an object with
    the link but not the column (an interpretation listed by a row) is left alone."""
    link_line = f"{_key(LEDGER_LINK)}{_value(link)}"
    column_key = _key(column)
    lines = text.split("\n")
    count = 0
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.rstrip(",") != link_line:
            continue
        depth = len(line) - len(stripped)
        j = i - 1
        while j >= 0:
            other = lines[j].lstrip(" ")
            other_depth = len(lines[j]) - len(other)
            if other_depth < depth or (other_depth == depth and other.startswith(column_key)):
                break
            j -= 1
        if j < 0:
            return None
        if len(lines[j]) - len(lines[j].lstrip(" ")) < depth:
            continue  # the object's start, and no such column in it
        value = lines[j].lstrip(" ")[len(column_key):]
        comma = "," if value.endswith(",") else ""
        if value != _value(old) + comma:
            return None
        lines[j] = " " * depth + column_key + _value(new) + comma
        count += 1
    return "\n".join(lines), count


class LedgerMove(NamedTuple):
    """The rows of the ledger's view that a document's new date of publication reorders."""

    first: int
    """The place (from 0) of the first of them."""
    before: tuple[str, ...]
    """Their documents' ids in order, before."""
    after: tuple[str, ...]
    """And after: the document's row taken out and put in at its new place."""


def move_ledger_row(json_data: bytes, csv_data: bytes, link: str, published: str) -> tuple[bytes, bytes, LedgerMove] | None:
    """``ledger/ledger.json`` and ``ledger/ledger.csv`` with the row of the document at
    ``link``, which shows its new date of publication ``published`` already
    (:func:`reprint_ledger`), moved to its place among the rows, which go by date and then
    id (:func:`~disclosure.ledger_views.public_rows`), and every row it passes numbered
    again; None when the files are not as their writers write them, or it would pass a
    withdrawn item's row (no link, nor marks on the page) or meet one of its new day (whose
    id, which orders the rows of a day, is not shown)."""
    lines = csv_data.decode("utf-8").split("\r\n")
    rows = lines[1:-1]
    found = [i for i, line in enumerate(rows) if line.rsplit(",", 1)[-1] == link]  # (each row's link is its last cell)
    doc_id = ledger_doc_id({LEDGER_LINK: link})
    if lines[-1] != "" or len(found) != 1 or doc_id is None:
        return None
    at = to = found[0]
    date_column = COLUMNS.index(LEDGER_PUBLISHED)

    def goes_after(i: int) -> tuple[bool, str | None] | None:
        """Whether row ``i`` goes after the document's now, and its document's id (None: a
        withdrawn item's); None when that is not known."""
        cells = _ledger_cells(rows[i])
        if cells is None:
            return None
        other = ledger_doc_id({LEDGER_LINK: cells[-1]})
        if cells[date_column] != published:
            return cells[date_column] > published, other
        return (other > doc_id, other) if other is not None else None

    for step in (1, -1):  # later rows it now comes after, else earlier ones it now comes before
        while 0 <= to + step < len(rows):
            found_after = goes_after(to + step)
            if found_after is None:
                return None
            if found_after[0] == (step == 1):
                break
            if found_after[1] is None:
                return None  # (passing a withdrawn item's row, which its page does not mark)
            to += step
        if to != at:
            break
    if to == at:
        return json_data, csv_data, LedgerMove(at, (doc_id,), (doc_id,))
    first, last = min(at, to), max(at, to)
    ids = [ledger_doc_id({LEDGER_LINK: line.rsplit(",", 1)[-1]}) or "" for line in rows[first:last + 1]]
    moved = rows[first:last + 1]
    order = list(range(len(moved)))
    order.insert(to - first, order.pop(at - first))
    renumbered = []
    for place, old in enumerate(order):
        number, comma, rest = moved[old].partition(",")
        if number != str(first + old + 1) or not comma:
            return None
        renumbered.append(f"{first + place + 1},{rest}")
    rows[first:last + 1] = renumbered
    blocks = _json_rows(json_data.decode("utf-8"), first, last)
    if blocks is None:
        return None
    text, starts, ends = blocks
    new_blocks = []
    for place, old in enumerate(order):
        block = text[starts[old]:ends[old]]
        numbered = f'\n      {_key("序号")}{first + old + 1},\n'
        if not block.endswith(f"      {_key(LEDGER_LINK)}{_value(f'{DOCUMENT_LINK}{ids[old]}/')}\n    }}") \
                or block.count(numbered) != 1:
            return None
        new_blocks.append(block.replace(numbered, f'\n      {_key("序号")}{first + place + 1},\n'))
    if any(text[ends[i]:starts[i + 1]] != ",\n" for i in range(len(order) - 1)):
        return None
    text = text[:starts[0]] + ",\n".join(new_blocks) + text[ends[-1]:]
    return (text.encode("utf-8"), "\r\n".join([lines[0], *rows, ""]).encode("utf-8"),
            LedgerMove(first, tuple(ids), tuple(ids[old] for old in order)))


def _json_rows(text: str, first: int, last: int) -> tuple[str, list[int], list[int]] | None:
    """Where the rows ``first`` to ``last`` (from 0) of ``ledger/ledger.json`` start and end."""
    at = text.find('\n  "rows": [\n')
    if at < 0:
        return None
    starts, ends = [], []
    for i in range(last + 1):
        at = text.find("\n    {\n", at)
        if at < 0:
            return None
        at += 1
        if i >= first:
            end = text.find("\n    }", at)
            if end < 0:
                return None
            starts.append(at)
            ends.append(end + len("\n    }"))
    return text, starts, ends


def _key(name: str) -> str:
    return f"{_value(name)}: "


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def restate_ledger(json_data: bytes, csv_data: bytes, link: str, columns: dict[str, tuple[str, str]],
                   counts: dict[str, tuple[int, int]]) -> tuple[bytes, bytes] | None:
    """``ledger/ledger.json`` and ``ledger/ledger.csv`` with the status columns of the
    document at ``link`` (``columns``: each one's old and new text) and the view's counts
    by status (``counts``: a status code's old and new count, none of them 0) replaced;
    None when they are not as described, or a count comes or goes."""
    if not columns and not counts:
        return json_data, csv_data
    text = json_data.decode("utf-8")
    for column, (old, new) in columns.items():
        patched = _reprint_indented(text, link, column, old, new)
        if patched is None or patched[1] != 1:
            return None
        text = patched[0]
    recounted = _recount_indented(text, "by_status", counts)
    if recounted is None:
        return None
    lines = csv_data.decode("utf-8").split("\r\n")
    found = [i for i, line in enumerate(lines) if line.rsplit(",", 1)[-1] == link]  # (each row's link is its last cell)
    if len(found) != 1:
        return None
    cells = _ledger_cells(lines[found[0]])
    if cells is None:
        return None
    for column, (old, new) in columns.items():
        if column in COLUMNS:
            if cells[COLUMNS.index(column)] != ledger_csv_cell(old):
                return None
            cells[COLUMNS.index(column)] = ledger_csv_cell(new)
    lines[found[0]] = csv_text([cells], bom=False)[:-2]
    return recounted.encode("utf-8"), "\r\n".join(lines).encode("utf-8")


def _ledger_cells(line: str) -> list[str] | None:
    """The cells of a row of ``ledger/ledger.csv`` (without its line end), when the ledger's
    writer writes them as that line; else None."""
    cells = next(csv.reader([line]), [])
    return cells if len(cells) == len(COLUMNS) and csv_text([cells], bom=False) == line + "\r\n" else None


def _recount_indented(text: str, name: str, counts: dict[str, tuple[int, int]]) -> str | None:
    """In JSON indented with sorted keys, the counts of the one object ``name`` replaced."""
    lines = text.split("\n")
    opened = f"{_key(name)}{{"
    opening = [i for i, line in enumerate(lines) if line.lstrip(" ") == opened]
    if len(opening) != 1:
        return None
    depth = len(lines[opening[0]]) - len(lines[opening[0]].lstrip(" "))
    found = 0
    for i in range(opening[0] + 1, len(lines)):
        stripped = lines[i].lstrip(" ")
        if len(lines[i]) - len(stripped) <= depth:
            break
        key, _, value = stripped.partition(": ")
        code = json.loads(key) if key.startswith('"') else None
        if code in counts:
            comma = "," if value.endswith(",") else ""
            old, new = counts[code]
            if value != f"{old}{comma}" or new < 1:
                return None
            lines[i] = lines[i][:len(lines[i]) - len(stripped)] + f"{key}: {new}{comma}"
            found += 1
    return "\n".join(lines) if found == len(counts) else None
