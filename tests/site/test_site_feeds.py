"""Atom feeds and sitemap: well-formed, complete, dated by the documents, not by the clock."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from disclosure.document import DocType

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_feed_per_type_and_one_for_all(embedded_site: Path, site_model) -> None:  # type: ignore[no-untyped-def]
    names = ["all"] + [t.value for t in DocType]
    for name in names:
        path = embedded_site / "feeds" / f"{name}.atom.xml"
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        expected = len(site_model.public) if name == "all" else len(site_model.public.of_type(DocType(name)))
        assert len(entries) == expected, name
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert len(set(ids)) == len(ids) and all(i and i.startswith("urn:uuid:") for i in ids)
        updated = [e.findtext(f"{ATOM}updated") for e in entries]
        assert updated == sorted(updated, reverse=True), "newest first"
        if entries:
            assert root.findtext(f"{ATOM}updated") == updated[0], "feed updated = newest entry"
        for entry in entries:
            href = entry.find(f"{ATOM}link").get("href")
            assert (path.parent / href).resolve().is_file(), href
            assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")


def test_feed_dates_come_from_documents(embedded_site: Path) -> None:
    root = ET.parse(embedded_site / "feeds" / "regulation.atom.xml").getroot()
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == "2021-06-25T00:00:00+08:00"
    assert entry.findtext(f"{ATOM}updated") == "2024-09-18T00:00:00+08:00"  # version 2


def test_empty_feed_is_dated_by_as_of(tmp_path: Path) -> None:
    from site_kit import build, normative

    content = tmp_path / "content"
    normative(content, "only-one", "国知发〔2025〕1号")
    site = build(content, tmp_path / "site")
    root = ET.parse(site / "feeds" / "draft.atom.xml").getroot()
    assert root.findall(f"{ATOM}entry") == [] and root.findtext(f"{ATOM}updated") == "2026-11-22T00:00:00+08:00"


def test_pages_link_to_feeds(embedded_site: Path) -> None:
    html = (embedded_site / "types" / "normative" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="行政规范性文件" href="../../feeds/normative.atom.xml">' in html


def test_sitemap_lists_pages_that_exist(embedded_site: Path, site_model) -> None:  # type: ignore[no-untyped-def]
    root = ET.parse(embedded_site / "sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert "documents/gf-2016-55/" in locs and "./" in locs  # the home page is the site root itself
    assert "404.html" not in locs
    for loc in locs:
        target = embedded_site / loc
        assert (target / "index.html").is_file() if loc.endswith("/") else target.is_file(), loc
    lastmods = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    assert lastmods["documents/demo-patent-agency-supervision-rule/"] == "2024-09-18"
