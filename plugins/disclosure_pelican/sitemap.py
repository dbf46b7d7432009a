"""``sitemap.xml`` (sitemaps.org 0.9) of the site's HTML pages.

The protocol wants absolute URLs, so ``SITEURL`` must be set for a sitemap search
engines accept.  Without it (a site that must work from any folder) each ``<loc>``
is the page's path relative to the site root, e.g. ``documents/gf-2016-55/`` (``./`` for the home page): useful
to tools that know where the site lives, ignored by search engines.  ``lastmod``
comes from the documents' publication dates, never from the clock.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable
from xml.sax.saxutils import escape, unescape


HEAD = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
TAIL = ["</urlset>", ""]
_LOC = re.compile(r"  <url><loc>([^<]*)</loc>")


def sitemap_xml(entries: Iterable[tuple[str, date | None]], siteurl: str) -> str:
    """``entries`` are ``(site-relative URL, lastmod)`` pairs; output sorted by URL."""
    return "\n".join([*HEAD, *(_line(url, lastmod, siteurl) for url, lastmod in sorted(set(entries))), *TAIL])


def sitemap_with(text: str, entries: Iterable[tuple[str, date | None]], removed: Iterable[str], siteurl: str
                 ) -> str | None:
    """The sitemap ``text`` (as :func:`sitemap_xml` wrote it) with the pages ``entries``
    (added, or with another date) and without the URLs ``removed``; None when ``text`` is
    not such a sitemap."""
    lines = text.split("\n")
    if lines[:len(HEAD)] != HEAD or lines[-len(TAIL):] != TAIL:
        return None
    base = _base(siteurl)
    by_url = {}
    for line in lines[len(HEAD):-len(TAIL)]:
        found = _LOC.match(line)
        if found is None:
            return None
        loc = unescape(found.group(1))
        by_url["" if loc == (base or "./") else loc[len(base):]] = line
    for url in removed:
        by_url.pop(url, None)
    by_url.update({url: _line(url, lastmod, siteurl) for url, lastmod in entries})
    return "\n".join([*HEAD, *(by_url[url] for url in sorted(by_url)), *TAIL])


def _line(url: str, lastmod: date | None, siteurl: str) -> str:
    base = _base(siteurl)
    loc = base + url if base or url else "./"
    return f"  <url><loc>{escape(loc)}</loc>" + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "") + "</url>"


def _base(siteurl: str) -> str:
    return f"{siteurl.rstrip('/')}/" if siteurl else ""
