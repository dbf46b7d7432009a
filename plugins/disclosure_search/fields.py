"""What the search takes from each record: the tokens of its searched fields and its
stored payload.

Imports no whoosh: the static export and the quick rebuild's patch of it need these,
and a rebuild after one edit should not spend a tenth of a second importing the
indexer it does not use (:mod:`.index` re-exports them).
"""

from __future__ import annotations

from typing import Any

from .analysis import document_tokens
from .records import SearchRecord
from .scoring import FIELD_BOOSTS
from .snippets import excerpt

#: Fields that queries search (the keys of the scoring boosts).
SEARCH_FIELDS: tuple[str, ...] = tuple(FIELD_BOOSTS)
#: Searched fields whose short values also index whole runs of Chinese (see analysis).
WHOLE_RUN_FIELDS = frozenset({"title", "doc_number", "issuer", "topic", "keywords"})


def payload_of(record: SearchRecord) -> dict[str, Any]:
    """What is stored (and exported) per document: everything a result needs, and an excerpt."""
    return {
        "id": record.id,
        "document": record.document,
        "version": record.version,
        "url": record.url,
        "title": record.title,
        "title_en": record.title_en,
        "doc_number": record.doc_number,
        "issuers": list(record.issuers),
        "type": record.type,
        "topic": record.topic,
        "year": record.year,
        "published": record.published,
        "status": record.status,
        "in_force": record.in_force,
        "excerpt": excerpt(record.text),
    }


def field_tokens(record: SearchRecord) -> dict[str, list[str]]:
    """The tokens of each searched field of a record (with repetitions)."""
    texts = {
        "title": record.title,
        "title_en": record.title_en,
        "text": record.text,
        "doc_number": record.doc_number,
        "issuer": "\n".join(record.issuers),
        "topic": record.topic,
        "keywords": "\n".join(record.keywords),
    }
    return {name: document_tokens(texts[name], whole_runs=name in WHOLE_RUN_FIELDS) for name in SEARCH_FIELDS}
