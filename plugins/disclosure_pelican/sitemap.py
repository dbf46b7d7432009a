"""``sitemap.xml`` (sitemaps.org 0.9) of the site's HTML pages.

The protocol wants absolute URLs, so ``SITEURL`` must be set for a sitemap search
engines accept.  Without it (a site that must work from any folder) each ``<loc>``
is the page's path relative to the site root, e.g. ``documents/gf-2016-55/`` (``./`` for the home page): useful
to tools that know where the site lives, ignored by search engines.  ``lastmod``
comes from the documents' publication dates, never from the clock.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable
from xml.sax.saxutils import escape


def sitemap_xml(entries: Iterable[tuple[str, date | None]], siteurl: str) -> str:
    """``entries`` are ``(site-relative URL, lastmod)`` pairs; output sorted by URL."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [sitemap_line(url, lastmod, siteurl) for url, lastmod in sorted(set(entries))]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_line(url: str, lastmod: date | None, siteurl: str) -> str:
    """One page's line (without its line break)."""
    return sitemap_loc(url, siteurl) + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "") + "</url>"


def sitemap_loc(url: str, siteurl: str) -> str:
    """How a page's line starts: what finds it in the file."""
    base = f"{siteurl.rstrip('/')}/" if siteurl else ""
    loc = base + url if base or url else "./"
    return f"  <url><loc>{escape(loc)}</loc>"
