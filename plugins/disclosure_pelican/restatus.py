"""A rebuild after an edit of a document's date of effect, of expiry or of publication
(``effective``, ``expires``, ``published``), or of the status its file states (``status:
partially_invalid`` and its ``status_note``): given, changed or taken away.  Its status on
the build date may change.

Nothing else about the document changes, nor any other document's status: the rules of
:mod:`disclosure.effectiveness` read a document's expiry for its own status only, and its
date of effect for the documents it repeals or amends too (such an edit takes the whole
build).  What shows its status changes:

* its own pages (the status, its reason, the dates), rendered again;
* every page that prints the document (the pages of its lists, of the documents it relates
  to, the register, the home page: where a whole build noted its title, :mod:`.printed`),
  which may print its status or its dates; when its status changes (in force → expired,
  say), the pages that count documents by status (catalogue, guide, search, 404; the
  register's pages, for a normative document or regulation), and the lists of the two
  statuses (their pages from its place on; those before it get their count replaced, as
  :mod:`.relist` does for a topic);
* its record in the data export, its feed entries' first line, its search record (and the
  status filter's terms), the sitemap's lines of those pages, and when the site publishes
  the ledger's view, its row's status and the counts by status in the ledger's files and
  page (:func:`_ledger`).

A new date of publication in the same year moves the document in every list (newest
first): the pages of its lists between its old and its new place are rendered again, with
the home page (its latest documents); its feed entries move among the others, its search
record takes its new place among the others
(:func:`~disclosure_search.export_patch.move_export`).  Another year (lists, filters and
reports by year, index numbers made up), an entry that comes into a feed or leaves it, a
document whose index number is made up (those of its year are numbered by date), one that
repeals or amends another or is repealed or amended (checks compare their dates), a status
that changes with it, or a site that publishes the ledger's view (its rows go by date),
take the whole build.

The register's pages are not rendered whole: a whole build notes where each of their rows
starts and ends, and such a page is rendered with the edited document's row alone (or
another's, when it leaves the page), the other rows put in from the published page
(:func:`_spliced`; 3,000 rows at 10,000 documents took 0.8 s to render).

The pages are rendered in a forked process from the public corpus the last whole build
kept (:class:`~.relist.KeptLists`), the documents whose pages are rendered read again from
their files; that process first tells the document's status before and after, and the
search export's patch starts then.

A stated status is checked as the whole build checks it (:func:`_stated_status_unchecked`):
what the check would report takes the whole build, which reports it.  It takes the whole
build too when an annual report counts the document and what its figures read of its
status (:func:`~disclosure.report.documents.counted_as`) at the end of the report's year or
the year before changes, when a document or version that is not public relates to it
(:attr:`~.quick.BuildSnapshot.held_related`), or when the document has several versions.
Tests compare the result with a whole build of the same content, byte for byte.
"""

from __future__ import annotations

import logging
import os
import sys
from bisect import bisect_right
from dataclasses import replace
from datetime import date
from itertools import combinations, permutations
from pathlib import Path
from typing import Any, Callable, NamedTuple
from xml.sax.saxutils import escape

from disclosure.config import SiteConfig
from disclosure.document import Document
from disclosure.effectiveness import Effectiveness, Status, status_on
from disclosure.files import FileRecord, cross_signature
from disclosure.report.documents import counted_as

from .page_text import LEDGER_FILES, LEDGER_PAGE
from .printed import (DOCUMENT_LINK, LEDGER_NUMBER, LEDGER_STATUS, LEDGER_STATUS_KIND, LIST_TOTAL_KEY, ROW_FIELDS, PackedHoles,
                      PrintedHole, facet_key, pack, place_key, place_of, replace_values, unpack)
from .quick import (DATED_FIELDS, PUBLISHED, REMOVED, RESTATED_FIELDS, SEARCH_FILES, STATED_ATTRIBUTES, STATUS, BuildSnapshot,
                    DocEntry, SearchApart, _Finish, _manifest, _no,
                    _patch_search, _read, _text, publish_edit)
from .relist import (_Lists, _kept_public, _list_page_names, _pages_before, page_generator, recount, render_pages,
                     with_settings)
from .reprint import FEED_SUMMARY, Changes, LedgerMove, move_ledger_row, reprint_documents, reprint_ledger, restate_ledger

log = logging.getLogger(__name__)
SITE_TEMPLATES = frozenset({"index", "register", "register_archive", "catalogue", "guide", "search", "404"})
"""Pages besides lists and documents that show statuses or count documents by them (the
ledger's page gets its places replaced, :func:`_ledger`; annual reports and task tables
show none)."""
REGISTER_TEMPLATES = frozenset({"index", "register", "register_archive"})
"""Those that count the register's documents (normative documents and regulations) by status."""


def restated_changes(record: FileRecord, entry: DocEntry) -> Changes | None:
    """``{field: (old, new)}`` of the file's changed dates of effect and expiry
    (:data:`~.quick.DATED_FIELDS`, ``YYYY-MM-DD``) and stated status
    (:data:`~.quick.STATED_FIELDS`; None for a field not given) when they are all that
    changed of what checks across documents read, else None.  A field given or taken away is a line of
    its own: the lines after it move (up to two given, or two taken away, at a time: a
    status and its note)."""
    changes: Changes = {}
    for name in RESTATED_FIELDS:
        old, value = entry.printed.get(name), record.values.get(name)
        new = value.isoformat() if isinstance(value, date) and name in DATED_FIELDS else value
        if value is not None and not isinstance(new, str):
            return None
        if old != new:
            changes[name] = (old, new)
    if not changes:
        return None
    for values, key_lines, body_line in _before(record, changes):
        if cross_signature(replace(record, values=values, key_lines=key_lines, body_line=body_line)) == entry.signature:
            return changes
    return None


def _value_of(name: str, text: str | None) -> Any:
    """The value of a field of :data:`~.quick.RESTATED_FIELDS` as a change gives it (a date as text)."""
    return date.fromisoformat(text) if name in DATED_FIELDS and text is not None else text


def _attributes(changes: Changes, side: int) -> dict[str, Any]:
    """The document's attributes that ``changes`` change, as they were (``side`` 0) or are (1)."""
    return {STATED_ATTRIBUTES.get(name, name): _value_of(name, change[side]) for name, change in changes.items()}


def _before(record: FileRecord, changes: Changes) -> Any:
    """What the file's front matter may have been before ``changes``: values, key lines and
    the body's line."""
    values = {key: _value_of(key, changes[key][0]) if key in changes and changes[key][0] else value
              for key, value in record.values.items()}
    lines, body_line = record.key_lines, record.body_line
    given = [name for name, (old, new) in changes.items() if old is None]
    taken = [name for name, (old, new) in changes.items() if new is None]
    if given and taken or len(given) > 2 or len(taken) > 2:
        return
    if given:  # their lines go, the lines after them move up
        gone = [lines.get(name) for name in given]
        if None in gone:
            return
        yield ({key: value for key, value in values.items() if key not in given},
               {key: line - sum(line > at for at in gone) for key, line in lines.items() if key not in given},
               body_line - len(given))
        return
    if not taken:  # (on the same lines)
        yield values, lines, body_line
        return
    # Taken away: they stood on some of the front matter's lines, in some order.
    for places in combinations(range(1, body_line + len(taken)), len(taken)):
        kept_lines = [line for line in range(1, body_line + len(taken) + 1) if line not in places]
        moved = {key: kept_lines[line - 1] for key, line in lines.items()}
        for order in permutations(taken):
            key_lines, before = dict(moved), dict(values)
            for name, at in zip(order, places):
                key_lines, before = _put_back(key_lines, before, name, at, _value_of(name, changes[name][0]))
            yield before, key_lines, kept_lines[body_line - 1]


def _put_back(key_lines: dict[str, int], values: dict[str, Any], name: str, at: int, old: Any
              ) -> tuple[dict[str, int], dict[str, Any]]:
    """``key_lines`` and ``values`` with the key ``name`` (value ``old``) on line ``at``, in the
    place the front matter's reader gives it: before the key of the next line."""
    first = next((key for key, line in key_lines.items() if line > at), None)
    lines: dict[str, int] = {}
    for key, line in key_lines.items():
        if key == first:
            lines[name] = at
        lines[key] = line
    lines.setdefault(name, at)
    before: dict[str, Any] = {}
    for key, value in values.items():
        if first is not None and key == first.split(".")[0].split("[")[0] and name not in before:
            before[name] = old
        before[key] = value
    before.setdefault(name, old)
    return lines, before


class _Told(NamedTuple):
    """What the pages' process tells first: the document and its status before and after."""

    old_doc: Document
    new_doc: Document
    old: Effectiveness
    new: Effectiveness


class _Restated(NamedTuple):
    lists: _Lists
    holes: dict[str, Any]
    """Where the document pages rendered again hold their bodies."""
    feed_heads: tuple[str, str]
    """The first line of the document's feed entries' summary, before and after."""
    spliced: tuple[str, ...] = ()
    """The pages put together from their rows (:func:`_spliced`)."""
    feed_moves: dict[str, "_FeedMove"] = {}
    """After a new date of publication, the feeds whose entries it reorders."""


class _FeedMove(NamedTuple):
    """A feed's entries (their documents' ids) in order before and after a document's new
    date of publication, and its entry's and the feed's dates before and after."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    entry: tuple[str, str]
    updated: tuple[str, str]


def restatus(output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot, manifest_file: Path, path: str,
             stat: os.stat_result, record: FileRecord, changes: Changes, files: list[str], settings_file: Path,
             values: dict[str, Any], config: SiteConfig, as_of: date
             ) -> tuple[BuildSnapshot, dict[str, Any], list[str]] | None:
    """Publish the edit of the file at ``path`` (read as ``record``) whose ``changes`` are its
    dates of effect or expiry; the new snapshot and fingerprints and the files written, or None when
    the whole build must run (nothing written).  ``files``: every document file;
    ``values``: the settings file's."""
    from .forked import Forked, can_fork

    entry = snapshot.documents[path]
    if snapshot.printed is None or snapshot.report_scopes is None:
        return _no("where pages print the documents, or what the annual reports count, is not known")
    doc_id = entry.doc_id
    showing = frozenset(name for name, places in snapshot.printed.items() if doc_id in places[0])
    related = frozenset(snapshot.holes[name].doc_id for name in showing if name in snapshot.holes) - {doc_id}
    now = {**snapshot.files, path: (stat.st_mtime_ns, stat.st_size)}

    def work(tell: Callable[[Any], None]) -> _Restated | str:
        return _restated(tell, output, content, cache_dir, snapshot, now, settings_file, values, config, as_of,
                         doc_id, showing, related, changes)

    told: list[Any] = []
    helper = Forked(lambda channel: work(channel.send), "the pages that show the status", talk=True) \
        if can_fork() else None
    searching: SearchApart | None = None
    try:
        if helper is not None and PUBLISHED in changes and snapshot.search_size is not None:
            # (its status must stay, else the whole build runs: the search's patch starts now)
            searching = SearchApart(output, content, cache_dir, snapshot, entry, record.body,
                                    {PUBLISHED: changes[PUBLISHED]})
        if helper is not None:
            try:
                told.append(helper.channel.recv())
            except EOFError:
                told.append(helper.result())  # (raises what it failed with)
            made = None
        else:
            made = work(told.append)
        first = told[0] if told else made
        if not isinstance(first, str) and PUBLISHED in changes and first.old.status != first.new.status:
            first = "its status changes with its date of publication"
        if isinstance(first, str):
            if helper is not None:
                helper.cancel()
            if searching is not None:
                searching.drop()
            return _no(first)
        old, new = first.old, first.new
        searched = {STATUS: (old.status.value, new.status.value)} if old.status != new.status else {}
        if PUBLISHED in changes:
            searched[PUBLISHED] = changes[PUBLISHED]
        if not searched or snapshot.search_size is None:
            searched = None
        updates: dict[str, bytes] = {}
        finish = _Finish(snapshot.search_size, snapshot.search_generation)
        if searched is not None and helper is not None:
            searching = searching or SearchApart(output, content, cache_dir, snapshot, entry, record.body, searched)
        elif searched is not None:
            why = _patch_search(output, content, cache_dir, snapshot, entry, record.body, searched, updates, finish)
            if why is not None:
                return _no(why)
        manifest = _manifest(manifest_file, snapshot)
        exported = _export(output, entry, record, first)
        ledgered = _ledger(output, snapshot, entry, record, first)
        why = "no page fingerprints of this output" if manifest is None else next(
            (found for found in (exported, ledgered) if isinstance(found, str)), None)
        if why is not None:
            if helper is not None:
                helper.cancel()
            if searching is not None:
                searching.drop()
            return _no(why)
        assert not isinstance(exported, str) and not isinstance(ledgered, str)
        updates.update(exported)
        updates.update(ledgered[0])
        if searching is not None:
            why = searching.take(updates, finish)
            if why is not None:
                searching = None  # (let go by take)
                if helper is not None:
                    helper.cancel()
                return _no(why)
        made = helper.result() if helper is not None else made
    except Exception as error:  # (a template's, say: the whole build meets it again, and reports it)
        if helper is not None:
            helper.cancel()
        if searching is not None:
            searching.drop()
        return _no(f"making the pages that show the status failed: {error}")
    except BaseException:
        if helper is not None:
            helper.cancel()
        if searching is not None:
            searching.drop()
        raise
    printed: dict[str, Any] = dict(ledgered[1])
    why = made if isinstance(made, str) else _patched(output, snapshot, doc_id, made, updates, printed)
    if why is not None:
        if searching is not None:
            searching.drop()  # (now, rather than when its channel is collected)
        return _no(why)
    if searching is not None:
        finish.early.append(lambda: searching.keep(finish))  # (once the output is written)
    lists = made.lists
    for name in made.spliced:
        log.debug("restatus: %s: put together from its rows", name)
    updates.update(lists.pages)
    printed.update(lists.printed)
    updates = {name: data for name, data in updates.items()
               if name.startswith(SEARCH_FILES) or _read(output / name) != data}  # (the search's: left out already)
    fields: dict[str, Any] = {"holes": made.holes, "printed": printed}
    if lists.removed:
        fields[REMOVED] = {"printed": list(lists.removed)}
    if snapshot.fields_used is not None and not lists.fields_used <= snapshot.fields_used:
        fields["fields_used"] = snapshot.fields_used | lists.fields_used
    try:
        return publish_edit(output, cache_dir, snapshot, manifest, manifest_file, path, stat, record, changes, updates,
                            finish, fields, lists.removed)
    except BaseException:
        if searching is not None:
            searching.drop()
        raise


def _patched(output: Path, snapshot: BuildSnapshot, doc_id: str, made: _Restated, updates: dict[str, bytes],
             printed: dict[str, Any]) -> str | None:
    """Put the document's feed entries' first line and the pages whose counts only change
    into ``updates`` (their places into ``printed``); or why they cannot be."""
    for name in snapshot.feeds.get(doc_id, ()):
        data = _feed_restated(updates.get(name, _read(output / name)), snapshot, doc_id, made.feed_heads)
        if data is not None and name in made.feed_moves:
            data = _feed_moved(data, snapshot.organ, doc_id, made.feed_moves[name])
        if data is None:
            return f"{name}: the entry is not where the snapshot says"
        updates[name] = data
    if made.feed_moves.keys() - set(snapshot.feeds.get(doc_id, ())):
        return "the feeds that list the document are not the ones the snapshot says"
    if not recount(output, snapshot, made.lists.recounts, updates, printed):
        return "a page whose counts change is not the page the snapshot describes"
    return None


def _ledger(output: Path, snapshot: BuildSnapshot, entry: DocEntry, record: FileRecord, told: _Told
            ) -> tuple[dict[str, bytes], dict[str, PackedHoles]] | str:
    """The ledger's files, when the site publishes its view, with the document's row's
    status, date of publication (and place, :func:`_rows_moved`) and file's SHA-256 and the
    counts by status as they are now, and the places of its page then; or why not."""
    import json

    from markupsafe import escape

    names = (*(next(name for name in LEDGER_FILES if name.endswith(suffix)) for suffix in (".json", ".csv")), LEDGER_PAGE)
    found = [_read(output / name) for name in names]
    if all(data is None for data in found):
        return {}, {}
    sha = entry.sha256.encode("ascii"), record.sha256.encode("ascii")
    if any(data is None or sha[0] not in data for data in found):
        return "the ledger's files are not the ones the snapshot describes"
    json_data, csv_data, page_data = (data.replace(*sha) for data in found)  # type: ignore[union-attr]
    old, new = told.old, told.new
    texts = {"有效性": tuple(f"{status.status.label_zh}（{status.reason}）" for status in (old, new)),
             "有效性代码": (old.status.value, new.status.value)}
    columns = {column: (before, after) for column, (before, after) in texts.items() if before != after}
    counts: dict[str, tuple[int, int]] = {}
    if old.status != new.status:
        try:
            by_status = json.loads(json_data)["counts"]["by_status"]
            counts = {old.status.value: (by_status[old.status.value], by_status[old.status.value] - 1),
                      new.status.value: (by_status[new.status.value], by_status[new.status.value] + 1)}
        except (ValueError, KeyError, TypeError):
            return "the ledger's view counts no document of its new status"
    link = f"{DOCUMENT_LINK}{entry.doc_id}/"
    restated = restate_ledger(json_data, csv_data, link, columns, counts)
    if restated is None:
        return "the ledger's files are not as their build wrote them, or a count by status comes or goes"
    dates = told.old_doc.published.isoformat(), told.new_doc.published.isoformat()
    row_move = None
    if dates[0] != dates[1]:
        reprinted = reprint_ledger(*restated, link, {PUBLISHED: dates})
        moved_files = move_ledger_row(*reprinted, link, dates[1]) if reprinted is not None else None
        if moved_files is None:
            return "the ledger's files are not as their build wrote them, or the document's row would pass a " \
                   "withdrawn item's or take its day"
        restated, row_move = moved_files[:2], moved_files[2]
    packed = (snapshot.printed or {}).get(names[2])
    if packed is None:
        return f"where {names[2]} prints the statuses is not known"
    page = _text(page_data)
    changed = {place_key(entry.doc_id, LEDGER_STATUS["有效性"]): tuple(str(escape(text)) for text in texts["有效性"]),
               **{facet_key(LEDGER_STATUS_KIND, code): (str(before), str(after)) for code, (before, after) in counts.items()}}
    places = unpack(packed)
    mine = [place for place in places if place.key in changed]
    if {place.key for place in mine} != changed.keys() or len(mine) != len(changed) \
            or any(page[place.start:place.start + place.length] != changed[place.key][0] for place in mine):
        return f"{names[2]} is not the page the snapshot describes"
    if any(before != after for before, after in changed.values()):
        page, places = replace_values(page, places, lambda key: changed[key][1] if key in changed else None)
    if row_move is not None:
        redated = _rows_moved(page, places, entry.doc_id, dates, row_move)
        if redated is None:
            return f"{names[2]} does not show the rows the snapshot describes"
        page, places = redated
    return dict(zip(names, (*restated, page.encode("utf-8")))), {names[2]: pack(places)}


def _rows_moved(page: str, places: tuple[PrintedHole, ...], doc_id: str, dates: tuple[str, str], move: LedgerMove
                ) -> tuple[str, tuple[PrintedHole, ...]] | None:
    """The ledger's page with the document's date of publication (``dates``: before, after)
    replaced wherever it is printed (its row, the rows that list it as an interpretation),
    its row moved (:class:`~.reprint.LedgerMove`) and the rows it passes numbered again;
    None when the page is not as its places say."""
    published = place_key(doc_id, PUBLISHED)
    mine = [place for place in places if place.key == published]
    if not mine or any(page[place.start:place.start + place.length] != dates[0] for place in mine):
        return None
    rows = _rows(places, set(move.before))
    if rows is None or tuple(rows) != move.before:
        return None
    by_row, holes, after = _by_row(places, rows)
    first, last = rows[move.before[0]][0], rows[move.before[-1]][1]
    parts, at = [page[:first]], first
    for row in move.after:
        start, end = rows[row]
        parts.append(page[start:end])
        holes += [hole._replace(start=hole.start - start + at) for hole in by_row[row]]
        at += end - start
    parts.append(page[last:])
    was = {row: place for place, row in enumerate(move.before)}
    numbers = {place_key(row, LEDGER_NUMBER["序号"]): (str(move.first + was[row] + 1), str(move.first + place + 1))
               for place, row in enumerate(move.after)}
    page = "".join(parts)
    mine = [hole for hole in holes + after if hole.key in numbers]
    if len(mine) != len(numbers) or any(page[hole.start:hole.start + hole.length] != numbers[hole.key][0] for hole in mine):
        return None
    numbers[published] = dates
    return replace_values(page, tuple(holes + after), lambda key: numbers[key][1] if key in numbers else None)


def _export(output: Path, entry: DocEntry, record: FileRecord, told: _Told) -> dict[str, bytes] | str:
    """The data export with the document's record's dates, status and file's SHA-256 as
    they are now; or why not."""
    from disclosure.export import status_fields, version_records

    from .page_text import DATA_FILES

    before, after = ({**status_fields(doc, status), PUBLISHED: doc.published.isoformat(), "versions": version_records(doc)}
                     for doc, status in ((told.old_doc, told.old), (told.new_doc, told.new)))
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    json_data, csv_data = (_read(output / name) for name in DATA_FILES)
    sha = entry.sha256.encode("ascii"), record.sha256.encode("ascii")
    if json_data is None or csv_data is None or sha[0] not in json_data:
        return "the data export is not the one the snapshot describes"
    reprinted = reprint_documents(json_data.replace(*sha), csv_data.replace(*sha), entry.doc_id, changed)
    if reprinted is None:
        return "the data export's record of the document is not as its last build wrote it"
    return dict(zip(DATA_FILES, reprinted))


def _feed_restated(data: bytes | None, snapshot: BuildSnapshot, doc_id: str, heads: tuple[str, str]) -> bytes | None:
    """The feed ``data`` with the document's entry's summary's first line ``heads[1]`` (it
    was ``heads[0]``); None when the entry is not as a build writes it."""
    from .feeds import entry_id

    if data is None:
        return None
    at = data.find(f"<id>{entry_id(snapshot.organ, doc_id)}</id>".encode("utf-8"))
    start = data.find(FEED_SUMMARY, at) if at >= 0 else -1
    old, new = (FEED_SUMMARY + escape(head).encode("utf-8") + b"\n" for head in heads)
    if start < 0 or data[start:start + len(old)] != old or data.find(b"</entry>", at) < start:
        return None
    return data[:start] + new + data[start + len(old):]


def _feed_moved(data: bytes, organ: str, doc_id: str, move: _FeedMove) -> bytes | None:
    """The feed ``data`` with its entries in their new order, the document's entry and the
    feed dated anew; None when it is not as a build writes it."""
    from .feeds import entry_id

    start, end = data.find(b"  <entry>\n"), data.rfind(b"</feed>\n")
    if start < 0 or end < start:
        return None
    head, tail = data[:start], data[end:]
    blocks = [b"  <entry>\n" + block for block in data[start:end].split(b"  <entry>\n")[1:]]
    if len(blocks) != len(move.before) or any(
            f"\n    <id>{entry_id(organ, listed)}</id>\n".encode("utf-8") not in block
            for listed, block in zip(move.before, blocks)):
        return None
    by_id = dict(zip(move.before, blocks))
    mine = by_id[doc_id]
    for element in ("published", "updated"):
        old, new = (f"    <{element}>{stamp}</{element}>\n".encode("utf-8") for stamp in move.entry)
        if mine.count(old) != 1:
            return None
        mine = mine.replace(old, new)
    by_id[doc_id] = mine
    old, new = (f"\n  <updated>{stamp}</updated>\n".encode("utf-8") for stamp in move.updated)
    if head.count(old) != 1:
        return None
    return head.replace(old, new) + b"".join(by_id[listed] for listed in move.after) + tail


def _restated(tell: Callable[[Any], None], output: Path, content: Path, cache_dir: Path, snapshot: BuildSnapshot,
              now: dict[str, tuple[int, int]], settings_file: Path, values: dict[str, Any], config: SiteConfig,
              as_of: date, doc_id: str, showing: frozenset[str], related: frozenset[str], changes: Changes
              ) -> _Restated | str:
    """The pages that show the document's status, made again (``tell`` is given the
    document's status before and after first, or why not); or why they cannot be.
    ``now``: every document file as it is; ``showing``: the pages that print the
    document; ``related``: the other documents among them."""
    told = _statuses(cache_dir, output, snapshot, now, as_of, config, doc_id, related, changes)
    tell(told[0] if isinstance(told, tuple) else told)
    if isinstance(told, str):
        return told
    first, public, file_names = told
    from .pages import SITEMAP
    from .state import BuildState

    state = BuildState(public, public, as_of, config, content, cache_dir=cache_dir)
    return with_settings(output, content, settings_file, state, lambda settings, scratch: _render(
        settings, scratch, first, file_names, showing, related, _text(_read(output / SITEMAP)),
        lambda name: (_read(output / name), (snapshot.printed or {}).get(name))))


def _statuses(cache_dir: Path, output: Path, snapshot: BuildSnapshot, now: dict[str, tuple[int, int]], as_of: date,
              config: SiteConfig, doc_id: str, related: frozenset[str], changes: Changes
              ) -> tuple[_Told, Any, frozenset[str]] | str:
    """The document and its status before and after, the public corpus (the document and
    ``related`` ones read again) and the files of the last whole build; or why not."""
    kept = _kept_public(cache_dir, output, snapshot, now, as_of, related | {doc_id})
    if kept is None:
        return "the last whole build kept no lists for this output"
    public, file_names = kept
    new_doc = public.get(doc_id)
    before, after = _attributes(changes, 0), _attributes(changes, 1)
    if new_doc is None or len(new_doc.versions) != 1 or any(getattr(new_doc, name) != value
                                                           for name, value in after.items()):
        return f"{doc_id} is not the public document of one version the snapshot describes"
    if snapshot.held_related is None or doc_id in snapshot.held_related:
        return "a document or version that is not public relates to it (or that is not known): the checks " \
               "and the annual reports read the whole corpus"
    if "effective" in changes and (new_doc.repeals or new_doc.amends):
        return "the statuses of the documents it repeals or amends follow its date of effect"
    if PUBLISHED in changes:
        why = _redating_unchecked(public, new_doc, changes[PUBLISHED], as_of)
        if why is not None:
            return why
    why = _stated_status_unchecked(public, new_doc, as_of, snapshot)
    if why is not None:
        return why
    # (the kept document may be older than the snapshot: these fields are all that changed since)
    old_doc = replace(new_doc, **before, versions=tuple(replace(version, **{name: value for name, value in before.items()
                                                                          if name in ("effective", PUBLISHED)})
                                                       for version in new_doc.versions))
    for year, issuers in snapshot.report_scopes or ():
        if issuers is not None and not issuers & set(new_doc.issuers):
            continue
        for day in (date(year - 1, 12, 31), date(year, 12, 31)):
            if counted_as(status_on(public, old_doc, day).status.value) \
                    != counted_as(status_on(public, new_doc, day).status.value):
                return f"the annual report of {year} counts documents by their status at the end of {day.year}, " \
                       "which this edit changes"
    if (output / LEDGER_PAGE).exists():
        if _findings(public, old_doc, as_of, config) != _findings(public, new_doc, as_of, config):
            return "the auditor's findings on the ledger's page (an interpretation's lag, a validity ending soon) change"
        if any(_interpretations(public, policy, old_doc) != _interpretations(public, policy, new_doc)
               for policy in new_doc.interprets):
            return "it takes another place among the interpretations that the ledger's view lists with a document"
    return _Told(old_doc, new_doc, status_on(public, old_doc, as_of), status_on(public, new_doc, as_of)), public, \
        file_names


def _findings(public: Any, doc: Document, as_of: date, config: SiteConfig) -> list[tuple[Any, ...]]:
    """The auditor's findings (:func:`~disclosure.ledger_verify.audit_items`) about ``doc``
    and the policies it interprets, with ``doc`` in the place of the public document of its id."""
    from disclosure.corpus import Corpus
    from disclosure.ledger_verify import audit_items

    corpus = Corpus(doc if other.id == doc.id else other for other in public)
    about = [found for found in map(corpus.get, (doc.id, *doc.interprets)) if found is not None]
    return [(item.kind, item.doc.id, item.interpretation.id if item.interpretation else None, item.days)
            for item in audit_items(corpus, corpus, as_of, config, about)]


def _interpretations(public: Any, policy: str, doc: Document) -> list[str]:
    """The interpretations of ``policy`` in the order the ledger's view lists them, with
    ``doc`` as it is given."""
    found = [doc if other.id == doc.id else other for other in public.interpretations_of(policy)]
    return [other.id for other in sorted(found, key=lambda other: (other.published, other.id))]


def _redating_unchecked(public: Any, doc: Document, change: tuple[str, str], as_of: date) -> str | None:
    """Why a new date of publication (``change``: before, after) reaches further than the
    document's place in its lists; None when it does not."""
    if change[0][:4] != change[1][:4]:
        return "the year published changes: lists, filters and annual reports by year count it"
    if max(change) > as_of.isoformat():
        return "it is published after the build date, or was: it comes or goes"
    if not doc.index_number_assigned:
        return "its index number is made up: those of its year are numbered by their dates of publication"
    if doc.repeals or doc.amends or public.repealed_by(doc.id) or public.amended_by(doc.id):
        return "it repeals or amends another document or is repealed or amended: checks compare their dates"
    return None


def _stated_status_unchecked(public: Any, doc: Document, as_of: date, snapshot: BuildSnapshot) -> str | None:
    """Why the whole build's check of the status the file states (:func:`disclosure.corpus.check`)
    reports something; None when it finds nothing.  (It reads the whole corpus: for a
    document not in :attr:`~.quick.BuildSnapshot.held_related`, what the public one says.)"""
    if doc.explicit_status is None or doc.published > as_of:
        return None  # (not checked)
    if doc.explicit_status != Status.PARTIALLY_INVALID.value:
        return "its file states a status other than partially invalid: the check reports it"
    if status_on(public, doc, as_of, ignore_explicit=True).status in (Status.REPEALED, Status.EXPIRED):
        return "its file states partially invalid of a repealed or expired document: the check reports it"
    return None


def _render(settings: dict[str, Any], scratch: Path, told: _Told, file_names: frozenset[str], showing: frozenset[str],
            related: frozenset[str], sitemap: str, published: Callable[[str], tuple[bytes | None, PackedHoles | None]]
            ) -> _Restated | str:
    """The document's pages, and when its status changes the pages that show it, as a whole
    build writes them, with the sitemap (``sitemap``: as published) updated for them.
    ``published``: a page's bytes and places as published.  A page of a table whose rows
    were noted is put together from its rows rather than rendered (:func:`_spliced`)."""
    from .feeds import summary_head
    from .pages import SITEMAP
    from .sitemap import sitemap_with

    generator = page_generator(settings, None)
    model = generator.model
    if model.extra_pages:
        return "other plugins add pages (DISCLOSURE_EXTRA_PAGES)"
    doc, old, new = told.new_doc, told.old.status, told.new.status
    redated = told.old_doc.published != doc.published
    feed_moves: dict[str, _FeedMove] = {}
    if redated:  # (its status stays: :func:`restatus` sees to it)
        moved = _feed_moves(model, told, settings.get("TIMEZONE") or "UTC")
        if isinstance(moved, str):
            return moved
        feed_moves = moved
    chosen = list(model.pages_of(doc))
    removed: list[str] = []
    recounts: dict[str, dict[str, tuple[str, str]]] = {}
    # Every page that prints the document (its dates, its status, in a row of a table),
    # then, when its status changes, the pages that count documents by status.
    for other in sorted(related):
        found = model.public.get(other)
        chosen += [page for page in model.pages_of(found) if page.name in showing] if found is not None else []
    for kind, key in [("type", doc.type.value), ("year", str(doc.published.year)),
                      *([("topic", doc.topic)] if doc.topic else []), *(("issuer", name) for name in doc.issuers),
                      *([("status", new.value)] if redated else [])]:
        listing = model.listing(kind, key)
        if listing is None:
            continue
        pages = list(model.list_pages(listing))
        chosen += [page for page in pages if page.name in showing]
        if redated:  # (the pages from its old place to its new one show other documents)
            places = _places(listing.documents, told)
            chosen += pages[min(places) // model.per_page:max(places) // model.per_page + 1]
    register = doc.type.is_register_type and old != new
    chosen += [page for page in model.site_pages() if page.template in SITE_TEMPLATES and (
        page.name in showing or old != new and (page.template not in REGISTER_TEMPLATES or register)
        or redated and page.template == "index")]
    if old != new:
        chosen.append(model.not_found())
        for status, step in ((old, 1), (new, -1)):  # (it leaves the list of the one, joins the other's)
            listing = model.listing("status", status.value)
            count = len(listing.documents) if listing is not None else 0
            before = _list_page_names("status", status.value, count + step, model.per_page)
            pages_now = list(model.list_pages(listing)) if listing is not None else []
            file_names = file_names - frozenset(before) | frozenset(page.name for page in pages_now)
            removed += sorted(set(before) - {page.name for page in pages_now})
            if listing is not None and len(before) == len(pages_now):
                unchanged = _pages_before(listing.documents, doc, model.per_page)
                for page in pages_now[:unchanged]:
                    recounts[page.name] = {LIST_TOTAL_KEY: (str(count + step), str(count))}
                pages_now = pages_now[unchanged:]
            chosen += pages_now
    model.know_file_names(file_names)
    unique = list({page.name: page for page in chosen}.values())
    spliced = {}
    for page in unique:
        if "documents" in page.context and page.template != "doc_list":
            found = _spliced(generator, scratch, page, doc.id, *published(page.name))
            if found is not None:
                spliced[page.name] = found
    rendered = render_pages(generator, scratch, [page for page in unique if page.name not in spliced])
    if isinstance(rendered, str):
        return rendered
    pages, printed, used, holes = rendered
    for name, (text, places) in spliced.items():
        pages[name], printed[name] = text.encode("utf-8"), pack(places)
    patched = sitemap_with(sitemap, [(page.url, page.lastmod) for page in unique if page.in_sitemap],
                           [name[:-len("index.html")] for name in removed], model.siteurl)
    if patched is None:
        return f"{SITEMAP} is not the sitemap a build writes"
    pages[SITEMAP] = patched.encode("utf-8")
    head_before, head_after = (summary_head(document, status, model.language, model.type_label(document.type),
                               model.status_label(status.status))
                  for document, status in ((told.old_doc, told.old), (told.new_doc, told.new)))
    return _Restated(_Lists(pages, tuple(removed), printed, used, recounts, True), holes, (head_before, head_after),
                     tuple(spliced), feed_moves)


def _places(documents: tuple[Document, ...], told: _Told) -> tuple[int, int]:
    """The document's place in a list (newest first) before and after its new date of publication."""
    doc_id = told.new_doc.id
    now = next(place for place, doc in enumerate(documents) if doc.id == doc_id)
    key = (told.old_doc.published, doc_id)
    return sum((doc.published, doc.id) > key for doc in documents if doc.id != doc_id), now


def _feed_moves(model: Any, told: _Told, zone: str) -> dict[str, _FeedMove] | str:
    """The feeds that list the document, with their entries' order before and after its new
    date of publication (:class:`_FeedMove`); or why not (it comes into one or leaves it)."""
    from .feeds import feed_entries, feed_specs, timestamp

    doc_id, moves = told.new_doc.id, {}
    for spec in feed_specs(model.listings["type"], model.public.documents, ""):
        if not any(doc.id == doc_id for doc in spec.documents):
            continue
        after = feed_entries(spec)
        before = feed_entries(replace(spec, documents=tuple(told.old_doc if doc.id == doc_id else doc
                                                            for doc in spec.documents)))
        ids = tuple(doc.id for doc in before), tuple(doc.id for doc in after)
        if (doc_id in ids[0]) != (doc_id in ids[1]):
            return f"its entry comes into {spec.name} or leaves it"
        if doc_id in ids[1]:
            moves[spec.name] = _FeedMove(*ids, tuple(timestamp(doc.published, zone) for doc in (told.old_doc, told.new_doc)),
                                         tuple(timestamp(entries[0].current.published, zone) for entries in (before, after)))
    return moves


def _rows(places: tuple[PrintedHole, ...], ids: set[str]) -> dict[str, tuple[int, int]] | None:
    """Each row of the documents ``ids`` (another table of the page may list others) →
    where it starts and ends (:meth:`~.printed.PrintedMarker.row`), in order; None when a
    row lacks an end or the rows do not follow one another."""
    starts, ends = {}, {}
    for hole in places:
        doc_id, field = place_of(hole.key)
        if field in ROW_FIELDS and doc_id in ids:
            (ends if field == ROW_FIELDS[1] else starts)[doc_id] = hole.start
    if starts.keys() != ends.keys():
        return None
    rows = sorted(((start, ends[doc_id], doc_id) for doc_id, start in starts.items()))
    if any(end < start for start, end, _ in rows) or any(a[1] != b[0] for a, b in zip(rows, rows[1:])):
        return None
    return {doc_id: (start, end) for start, end, doc_id in rows}


def _by_row(places: tuple[PrintedHole, ...], rows: dict[str, tuple[int, int]]
            ) -> tuple[dict[str, list[PrintedHole]], list[PrintedHole], list[PrintedHole]]:
    """``places`` of each row (its marks by their key, other places by where they are), and
    those before the rows and after them."""
    starts = sorted((start, end, doc_id) for doc_id, (start, end) in rows.items())
    first, last = (starts[0][0], starts[-1][1]) if starts else (0, 0)
    by_row: dict[str, list[PrintedHole]] = {doc_id: [] for doc_id in rows}
    before, after = [], []
    for hole in places:
        doc_id, field = place_of(hole.key)
        if field in ROW_FIELDS and doc_id in by_row:
            by_row[doc_id].append(hole)
        elif hole.start < first:
            before.append(hole)
        elif hole.start >= last:
            after.append(hole)
        else:
            by_row[starts[bisect_right(starts, (hole.start, sys.maxsize, "")) - 1][2]].append(hole)
    return by_row, before, after


def _spliced(generator: Any, scratch: Path, page: Any, doc_id: str, data: bytes | None, packed: PackedHoles | None
             ) -> tuple[str, tuple[PrintedHole, ...]] | None:
    """``page``'s text and places put together from the published page's rows (``data``, its
    places ``packed``) and a page rendered with one row: the edited document's if it is
    listed, else another's; None when the rows are not known or not as described.

    A second page rendered with two rows checks that nothing outside the rows depends on
    the documents listed (their number, the first of them), that a row prints the same
    wherever it is, and that the published rows print as the new page would print them."""
    from .relist import render_here

    documents = list(page.context["documents"] or ())
    if data is None or packed is None or len(documents) < 2:
        return None
    old_text, old_places = _text(data), unpack(packed)
    ids = {doc.id for doc in documents}
    old = _rows(old_places, ids | {doc_id})
    if not old or set(old) - {doc_id} != ids - {doc_id}:
        return None
    first = next((doc for doc in documents if doc.id == doc_id), documents[0])
    other = next(doc for doc in documents if doc.id != first.id)
    frames = []
    for listed in ([first], [other, first]):
        texts, places, _, _ = render_here(generator, scratch, [replace(page, given={**page.context, "documents": listed})])
        found = places.get(page.name)
        if found is None:
            return None
        frame = unpack(found)
        rows = _rows(frame, {doc.id for doc in listed})
        if rows is None or set(rows) != {doc.id for doc in listed}:
            return None
        frames.append((_text(texts[page.name]), frame, rows))
    (one, one_places, one_rows), (two, _, two_rows) = frames
    start, end = one_rows[first.id]
    (other_start, other_end), (first_start, first_end) = two_rows[other.id], two_rows[first.id]
    other_old = old[other.id]
    if (two[:other_start] != one[:start] or two[first_end:] != one[end:] or two[first_start:first_end] != one[start:end]
            or two[other_start:other_end] != old_text[other_old[0]:other_old[1]]
            or first.id != doc_id and one[start:end] != old_text[old[first.id][0]:old[first.id][1]]):
        return None
    old_rows, _, _ = _by_row(old_places, old)
    mine, places, after = _by_row(one_places, one_rows)
    parts, at = [one[:start]], start
    for doc in documents:
        if doc.id == doc_id:
            text, origin, holes = one[start:end], start, mine[doc_id]
        else:
            origin, stop = old[doc.id]
            text, holes = old_text[origin:stop], old_rows[doc.id]
        places += [hole._replace(start=hole.start - origin + at) for hole in holes]
        parts.append(text)
        at += len(text)
    parts.append(one[end:])
    places += [hole._replace(start=hole.start - end + at) for hole in after]
    return "".join(parts), tuple(places)
