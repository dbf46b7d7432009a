"""What pages print that the quick rebuild patches without the page model (:mod:`.pages`,
whose imports alone take a tenth of a second of every rebuild): a body as a page shows it,
its table of contents, and the names of the data export's and the ledger's files."""

from __future__ import annotations

import re
from typing import Callable

from markupsafe import Markup

from disclosure.render import resolve_links

DATA_FILES = ("data/documents.json", "data/documents.csv")
LEDGER_FILES = ("ledger/ledger.csv", "ledger/ledger.json")
LEDGER_PAGE = "ledger/index.html"

_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
_DOC_DIR_HREF = re.compile(r'href="((?:\.\./)*documents/[a-z0-9-]+/(?:v\d+/)?)"')


def page_body_html(html: str, root: str, exists: Callable[[str, int | None], bool]) -> Markup:
    """A rendered body as a page at ``root`` shows it: ``doc:`` links resolved (``exists``
    says which documents and versions the site has)."""
    if 'href="doc:' not in html and "documents/" not in html:
        return Markup(html)  # most bodies: neither pattern below can match (a second of a 10,000-document build)
    html = resolve_links(html, root, exists)
    # Links to documents name the file, so the site also works opened from disk.
    return Markup(_DOC_DIR_HREF.sub(r'href="\1index.html"', html))


def table_of_contents(html: str) -> list[tuple[str, str]]:
    """``(id, text)`` of each second-level heading of a rendered body (the same before and
    after :func:`page_body_html`, which changes only attributes)."""
    return [(anchor, Markup(inner).striptags()) for anchor, inner in _H2.findall(html)]
