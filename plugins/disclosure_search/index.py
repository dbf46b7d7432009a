"""The whoosh index: incremental builds and searches.

``build_index(records, index_dir)`` keeps a content hash per record and only
re-analyses records that were added or changed (and deletes removed ones); an
unchanged rebuild opens no writer at all. Commits use whoosh's default merge
policy (small segments merge), not a full optimisation, so a small change
stays cheap; the ranking statistics are computed from live documents only
(:func:`~disclosure_search.scoring.term_scores`), so an index updated this way
ranks, and exports, exactly like one built from scratch.

``search(index_dir, query, ...)`` reads the postings of the query's terms,
ranks with :mod:`disclosure_search.scoring` and returns :class:`Hit` objects;
stored records are read only for the hits returned.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, Query, Term

from .analysis import ANALYSIS_VERSION, QueryTerms, document_tokens, query_terms
from .fields import SEARCH_FIELDS, WHOLE_RUN_FIELDS, field_tokens, payload_of  # noqa: F401 (re-exported)
from .records import SearchRecord
from .scoring import LENGTH_SUFFIX, collapse, field_stats, final_score, keeps, record_order, term_scores
from .snippets import make_snippet

SCHEMA_VERSION = 4
MARKER_FILE = "disclosure_search.json"
SORTS = ("relevance", "date")


PARALLEL_WRITE_MIN = 500
"""From this many documents to write, the index is written by two processes."""


class SearchIndexError(Exception):
    """The index folder is missing, unreadable or was built by another version."""


class DuplicateRecordError(ValueError):
    """Two records given to :func:`build_index` share an id."""


class DisclosureTokenizer(Tokenizer):  # type: ignore[misc]
    """A whoosh tokenizer (usable as an analyzer) producing :func:`document_tokens`.

    ``whole_runs`` is set for short fields (title, document number, issuer,
    topic, keywords) so that a query equal to a whole run gets a bonus term.
    A list of strings is taken as already tokenised (the indexer tokenises
    once to record exact field lengths).
    """

    def __init__(self, whole_runs: bool = False) -> None:
        self.whole_runs = whole_runs

    def __call__(  # noqa: PLR0913 - whoosh's tokenizer protocol
        self,
        value: str | list[str] | tuple[str, ...],
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if isinstance(value, (list, tuple)):
            texts = list(value)  # already tokenised by the indexer (see _fields_of)
        elif tokenize:
            texts = document_tokens(value, whole_runs=self.whole_runs)
        else:
            texts = [value]
        for i, text in enumerate(texts):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + i
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token


def make_schema() -> Schema:
    """The index schema: searchable text fields, their exact lengths, filter fields, stored payload."""
    analysers = {True: DisclosureTokenizer(whole_runs=True), False: DisclosureTokenizer()}
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True, sortable=True),
        "document": ID(sortable=True),
        "version": COLUMN(NumericColumn("I", default=0)),
        "content_hash": STORED(),
        "payload": STORED(),
        "type": ID(),
        "status": ID(),
        "year": ID(),
        "in_force": ID(),
        "published": ID(sortable=True),
        "issuer_exact": KEYWORD(commas=True),
    }
    for name in SEARCH_FIELDS:
        fields[name] = TEXT(analyzer=analysers[name in WHOLE_RUN_FIELDS], phrase=False)
        # exact token count: whoosh's own lengths are rounded to one byte
        fields[name + LENGTH_SUFFIX] = COLUMN(NumericColumn("I", default=0))
    return Schema(**fields)




def _fields_of(record: SearchRecord, content_hash: str) -> dict[str, Any]:
    """The whoosh fields of a record; searched fields are tokenised here, once."""
    fields: dict[str, Any] = {
        "id": record.id,
        "document": record.document,
        "version": record.version,
        "content_hash": content_hash,
        "payload": payload_of(record),
        "type": record.type,
        "status": record.status,
        "year": str(record.year) if record.year is not None else "",
        "in_force": "1" if record.in_force else "0",
        "published": record.published,
        "issuer_exact": ",".join(i.replace(",", "，") for i in record.issuers),
    }
    for name, tokens in field_tokens(record).items():
        fields[name] = tokens
        fields[name + LENGTH_SUFFIX] = len(tokens)
    return fields


@dataclass(frozen=True)
class BuildStats:
    """What :func:`build_index` did."""

    added: int
    updated: int
    removed: int
    unchanged: int
    rebuilt: bool
    """True when the index was (re)created from nothing (new folder or new analysis version)."""

    @property
    def written(self) -> int:
        """Documents analysed and written."""
        return self.added + self.updated


def _marker() -> dict[str, Any]:
    return {"analysis": ANALYSIS_VERSION, "schema": SCHEMA_VERSION}


def _read_marker(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _marker_matches(index_dir: Path) -> bool:
    """The index was written by this analysis and schema version."""
    marker = _read_marker(index_dir)
    return marker is not None and {k: marker.get(k) for k in _marker()} == _marker()


def build_index(records: Iterable[SearchRecord], index_dir: Path, progress: Any = None) -> BuildStats:
    """Create or update the index in ``index_dir`` so that it holds exactly ``records``.

    Only added or changed records (by content hash) are analysed; removed ones
    are deleted. The index is recreated from scratch when the folder holds no
    index or one built with another analysis/schema version.

    ``progress``, if given, is told the number of records to write (its ``total``)
    and ``advance()``-d after each (:class:`disclosure.progress.Progress`).

    Raises :class:`DuplicateRecordError` if two records share an id.
    """
    wanted: dict[str, SearchRecord] = {}
    for record in records:
        if record.id in wanted:
            raise DuplicateRecordError(f"two search records have the id {record.id!r}")
        wanted[record.id] = record
    # every older version needs its document's head record (raises ValueError otherwise)
    record_order([(r.published, r.id, r.document, r.version) for r in wanted.values()])
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    fresh = not _marker_matches(index_dir) or not whoosh_index.exists_in(str(index_dir))
    if fresh:
        ix = whoosh_index.create_in(str(index_dir), make_schema())
        existing: dict[str, str] = {}
    else:
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.searcher() as searcher:
            existing = {f["id"]: f["content_hash"] for f in searcher.all_stored_fields()}
    hashes = {doc_id: rec.content_hash() for doc_id, rec in wanted.items()}
    removed = sorted(set(existing) - set(wanted))
    added = sorted(set(wanted) - set(existing))
    updated = sorted(i for i in set(wanted) & set(existing) if existing[i] != hashes[i])
    stats = BuildStats(len(added), len(updated), len(removed), len(wanted) - len(added) - len(updated), fresh)
    if fresh or removed or added or updated:
        # saved ordinals describe the index as it was: a new generation may reuse the number
        (index_dir / ORDINALS_FILE).unlink(missing_ok=True)
    if not (removed or added or updated):
        if fresh:
            (index_dir / MARKER_FILE).write_text(json.dumps(_marker(), sort_keys=True), encoding="utf-8")
        return stats
    # whoosh's posting writer is the cost of a cold build (about 35 ms a document of
    # 2–8 KB here); with many documents to add, both cores write segments in parallel
    # (measured 37.6 s → 26.2 s for 1,015 documents). Ranking never depends on the
    # segment layout: scores come from term statistics, ties from the ordinal.
    parallel = len(added) + len(updated) >= PARALLEL_WRITE_MIN and (os.cpu_count() or 1) > 1
    writer = ix.writer(procs=min(2, os.cpu_count() or 1), multisegment=True) if parallel else ix.writer()
    try:
        for doc_id in removed:
            writer.delete_by_term("id", doc_id)
        if progress is not None:
            progress.total = len(updated) + len(added)
        for doc_id in updated:
            writer.update_document(**_fields_of(wanted[doc_id], hashes[doc_id]))
            if progress is not None:
                progress.advance()
        for doc_id in added:
            writer.add_document(**_fields_of(wanted[doc_id], hashes[doc_id]))
            if progress is not None:
                progress.advance()
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    (index_dir / MARKER_FILE).write_text(json.dumps(_marker(), sort_keys=True), encoding="utf-8")
    return stats


def save_records(records: Iterable[SearchRecord], path: Path) -> None:
    """Write ``records`` as JSON lines (atomically): what :func:`sync_index` indexes later."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for r in records]
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text("".join(lines), encoding="utf-8")
    os.replace(scratch, path)


def _file_stamp(path: Path) -> list[int]:
    # The build replaces the records file (os.replace), so a new file has a new stamp;
    # reading and hashing 50 MB on every search would cost more than the search.
    stat = Path(path).stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def index_is_current(records_file: Path, index_dir: Path) -> bool:
    """True when ``index_dir`` was last synchronised with this very ``records_file``."""
    index_dir = Path(index_dir)
    return (
        _marker_matches(index_dir) and whoosh_index.exists_in(str(index_dir))
        and (_read_marker(index_dir) or {}).get("records") == _file_stamp(records_file)
    )


def sync_index(records_file: Path, index_dir: Path, progress: Any = None) -> BuildStats | None:
    """Bring the index in ``index_dir`` up to date with a file of :func:`save_records`.

    Returns ``None`` when nothing had to be done (the file is the one last
    indexed: same size, modification time and inode), else what :func:`build_index`
    did; raises :class:`SearchIndexError` when the file cannot be read back. The
    site build writes the records; the command line calls this before searching,
    so the whoosh index costs nothing to a build and is updated incrementally when
    it is used.
    """
    if index_is_current(records_file, index_dir):
        if not (Path(index_dir) / ORDINALS_FILE).exists():
            _save_ordinals(index_dir)
        return None
    stamp = _file_stamp(records_file)
    try:
        with open(records_file, encoding="utf-8") as handle:
            records = [SearchRecord.from_json(json.loads(line)) for line in handle if line.strip()]
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError) as error:
        raise SearchIndexError(f"{records_file}: damaged ({error}); build the site again") from error
    stats = build_index(records, index_dir, progress)
    _save_ordinals(index_dir)
    (Path(index_dir) / MARKER_FILE).write_text(json.dumps({**_marker(), "records": stamp}, sort_keys=True),
                                              encoding="utf-8")
    return stats


def open_index(index_dir: Path) -> Any:
    """Open an index built by :func:`build_index`; raises :class:`SearchIndexError` otherwise."""
    index_dir = Path(index_dir)
    if not whoosh_index.exists_in(str(index_dir)):
        raise SearchIndexError(f"{index_dir}: no search index here (build the site first)")
    if not _marker_matches(index_dir):
        raise SearchIndexError(f"{index_dir}: the index was built by another version; rebuild it")
    return whoosh_index.open_dir(str(index_dir))


# --- Searching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result. ``snippet`` is HTML with matched terms in ``<mark>``."""

    id: str
    version: int
    url: str
    title: str
    doc_number: str
    published: str
    status: str
    score: float
    snippet: str
    type: str = ""
    issuers: tuple[str, ...] = ()
    in_force: bool = False
    document: str = ""
    """The id of the document this version belongs to (``id`` itself for a current version)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "id": self.id,
            "version": self.version,
            "url": self.url,
            "title": self.title,
            "doc_number": self.doc_number,
            "published": self.published,
            "status": self.status,
            "score": self.score,
            "snippet": self.snippet,
            "type": self.type,
            "issuers": list(self.issuers),
            "in_force": self.in_force,
            "document": self.document or self.id,
        }


@dataclass(frozen=True)
class Filters:
    """Exact-value filters of a search (``None`` = no filter)."""

    type: str | None = None
    status: str | None = None
    year: int | str | None = None
    issuer: str | None = None
    in_force_only: bool = False

    def terms(self) -> list[tuple[str, str]]:
        """``(field, value)`` pairs; the static export writes them as ``~field:value`` terms."""
        pairs: list[tuple[str, str]] = []
        if self.type:
            pairs.append(("type", self.type))
        if self.status:
            pairs.append(("status", self.status))
        if self.year not in (None, ""):
            pairs.append(("year", str(self.year)))
        if self.issuer:
            pairs.append(("issuer", self.issuer))
        if self.in_force_only:
            pairs.append(("inforce", "1"))
        return pairs


_FILTER_FIELDS = {"type": "type", "status": "status", "year": "year", "issuer": "issuer_exact", "inforce": "in_force"}


def _filter_query(filters: Filters) -> Query | None:
    terms = [Term(_FILTER_FIELDS[name], value) for name, value in filters.terms()]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)


@dataclass(frozen=True)
class _Scored:
    docnum: int
    score: float


ORDINALS_FILE = "ordinals.json"


@dataclass(frozen=True)
class _Ordinals:
    """The static export's ordinals of the index's live documents (see ``record_order``)."""

    docnum_at: list[int]
    """Document number of each ordinal."""
    head_at: list[int]
    """For each older-version ordinal (from ``heads`` on), its document's head ordinal."""
    heads: int

    @classmethod
    def compute(cls, reader: Any) -> _Ordinals:
        live = list(reader.all_doc_ids())
        # whole columns at once: indexing a column per document costs ~10 µs a value
        columns = [list(reader.column_reader(name)) for name in ("published", "id", "document", "version")]
        order, heads = record_order([tuple(column[d] for column in columns) for d in live])  # type: ignore[misc]
        docnum_at = [live[i] for i in order]
        ids, documents = columns[1], columns[2]
        head_ordinal = {ids[docnum_at[o]]: o for o in range(heads)}
        return cls(docnum_at, [head_ordinal[documents[d]] for d in docnum_at[heads:]], heads)

    @classmethod
    def of(cls, ix: Any, reader: Any) -> _Ordinals:
        """Read from the index folder when :func:`sync_index` saved them for this very
        generation of the index (saves ~150 ms a search at 10,000 documents), else compute."""
        try:
            saved = json.loads((Path(ix.storage.folder) / ORDINALS_FILE).read_text(encoding="utf-8"))
            if saved["generation"] == ix.latest_generation():
                return cls(saved["docnum_at"], saved["head_at"], saved["heads"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        return cls.compute(reader)

    def save(self, ix: Any) -> None:
        data = {"generation": ix.latest_generation(), "docnum_at": self.docnum_at, "head_at": self.head_at,
                "heads": self.heads}
        (Path(ix.storage.folder) / ORDINALS_FILE).write_text(json.dumps(data), encoding="utf-8")


def _save_ordinals(index_dir: Path) -> None:
    ix = open_index(index_dir)
    with ix.reader() as reader:
        _Ordinals.compute(reader).save(ix)


def _rank(ordinals: _Ordinals, candidates: dict[int, tuple[int, int]], n_core: int, sort: str) -> list[_Scored]:
    """Order ``{docnum: (total, matched)}`` exactly as the static client does: the same
    ordinals, one result per document."""
    best = max((matched for _, matched in candidates.values()), default=0)
    docnum_at, heads, head_at = ordinals.docnum_at, ordinals.heads, ordinals.head_at
    ordinal_of = {docnum: ordinal for ordinal, docnum in enumerate(docnum_at)}
    kept = sorted(
        (ordinal_of[d], final_score(total, matched, n_core), matched)
        for d, (total, matched) in candidates.items() if keeps(matched, best)
    )
    ranked = collapse(kept, lambda o: o if o < heads else head_at[o - heads])
    if sort == "relevance":
        ranked.sort(key=lambda item: -item[1])
    return [_Scored(docnum_at[o], score) for o, score in ranked]


def search(
    index_dir: Path,
    query: str,
    *,
    type: str | None = None,  # noqa: A002 - the public keyword the brief and the CLI use
    status: str | None = None,
    year: int | str | None = None,
    issuer: str | None = None,
    in_force_only: bool = False,
    sort: str = "relevance",
    limit: int | None = 20,
) -> list[Hit]:
    """Search the index; return at most ``limit`` hits (all with ``None``).

    Query terms are those of :func:`~disclosure_search.analysis.query_terms`;
    ranking is described in :mod:`disclosure_search.scoring`. ``sort="date"``
    orders the same matching documents newest first. A query without terms
    but with filters lists the filtered documents by date; with neither, the
    result is empty.

    Raises :class:`SearchIndexError` if there is no usable index and
    :class:`ValueError` for an unknown ``sort``.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    filters = Filters(type, status, year, issuer, in_force_only)
    terms = query_terms(query)
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        ranked = _run(searcher, _Ordinals.of(ix, searcher.reader()), terms, filters, sort)
        chosen = ranked if limit is None else ranked[:limit]
        payloads = [searcher.stored_fields(item.docnum)["payload"] for item in chosen]
    return [_hit(payload, item.score, terms.all) for payload, item in zip(payloads, chosen)]


def _run(searcher: Any, ordinals: _Ordinals, terms: QueryTerms, filters: Filters, sort: str) -> list[_Scored]:
    filter_query = _filter_query(filters)
    allowed = set(searcher.docs_for_query(filter_query)) if filter_query is not None else None
    if not terms:
        if allowed is None:
            return []
        return _rank(ordinals, {d: (0, 0) for d in allowed}, 0, "date")
    core = set(terms.core)
    stats = field_stats(searcher)
    candidates: dict[int, tuple[int, int]] = {}
    for term in terms.all:
        per_doc: dict[int, int] = {}
        for field in SEARCH_FIELDS:
            for docnum, value in term_scores(searcher, stats, field, term).items():
                per_doc[docnum] = per_doc.get(docnum, 0) + value
        for docnum, value in per_doc.items():
            if allowed is not None and docnum not in allowed:
                continue
            total, matched = candidates.get(docnum, (0, 0))
            candidates[docnum] = (total + value, matched + (term in core))
    return _rank(ordinals, candidates, len(terms.core), sort)


def _hit(p: dict[str, Any], score: float, marks: tuple[str, ...]) -> Hit:
    return Hit(
        id=p["id"],
        version=p["version"],
        url=p["url"],
        title=p["title"],
        doc_number=p["doc_number"],
        published=p["published"],
        status=p["status"],
        score=score,
        snippet=make_snippet(p["excerpt"], marks),
        type=p["type"],
        issuers=tuple(p["issuers"]),
        in_force=p["in_force"],
        document=p["document"],
    )
