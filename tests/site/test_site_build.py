"""The built embedded site: pages, their content, and settings that change the output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_kit import AS_OF, CONTENT, build, html_files, links, page_text, parse

DOC = "documents/{}/index.html"


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_every_page_has_landmarks_skip_link_and_search(embedded_site: Path) -> None:
    for path in html_files(embedded_site):
        html = path.read_text(encoding="utf-8")
        tags = [tag for tag, _ in parse(path).tags]
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in tags, (path, landmark)
        assert re.search(r'<a class="skip-link" href="#main">', html), path
        assert 'role="search"' in html and 'name="q"' in html, path
        assert 'rel="alternate" type="application/atom+xml"' in html, path
        assert '<html lang="zh-CN">' in html


def test_no_external_resources(embedded_site: Path) -> None:
    """Relative URLs only for the site's own resources: no CDNs, fonts or scripts from elsewhere."""
    for path in html_files(embedded_site):
        for tag, attr, url in links(path):
            if tag in ("link", "script", "img", "form", "iframe"):
                assert not re.match(r"^[a-z]+:|^//", url), (path, tag, url)
            if tag == "a":
                assert not url.startswith("/"), (path, url)
    css = read(embedded_site, "theme/css/site.css")
    assert "url(" not in css and "@import" not in css


def test_document_metadata_box_and_status(embedded_site: Path) -> None:
    text = page_text(embedded_site / DOC.format("gf-2016-55"))
    for label in ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "施行日期", "有效性"):
        assert label in text
    assert "国发〔2016〕55号" in text and "现行有效" in text and "有效性计算日期：2026-11-22" in text


@pytest.mark.parametrize(("doc_id", "expected"), [
    ("demo-2015-window-service-rules", ["本文件已废止", "已废止", "国知发演字〔2023〕906号", "2023-07-01"]),
    ("demo-2019-fast-resolution-pilot", ["本文件已失效", "失效", "2023-12-31"]),
    ("demo-2026-agency-credit-rules", ["本文件尚未生效", "尚未生效", "2027-01-01"]),
    ("demo-2018-fee-reduction-procedure", ["本文件部分失效", "部分失效"]),
])
def test_banner_on_documents_not_in_force(embedded_site: Path, doc_id: str, expected: list[str]) -> None:
    html = read(embedded_site, DOC.format(doc_id))
    banner = re.search(r'<div class="banner banner-[a-z_]+" role="note".*?</div>', html, flags=re.S)
    assert banner, doc_id
    text = re.sub(r"<[^>]+>", "", banner.group(0))
    for item in expected:
        assert item in text, (doc_id, item)


def test_repealed_banner_links_to_the_repealing_document(embedded_site: Path) -> None:
    html = read(embedded_site, DOC.format("demo-2015-window-service-rules"))
    banner = re.search(r'<div class="banner.*?</div>', html, flags=re.S)
    assert banner and 'href="../../documents/demo-2023-window-service-rules/index.html"' in banner.group(0)


def test_amended_version_links_to_the_version_in_force(embedded_site: Path) -> None:
    html = read(embedded_site, "documents/demo-patent-agency-supervision-rule/v1/index.html")
    assert "本版本已被修改" in html and "已修改" in html
    assert 'href="../../../documents/demo-patent-agency-supervision-rule/index.html">查看现行版本' in html
    current = read(embedded_site, DOC.format("demo-patent-agency-supervision-rule"))
    assert 'class="banner' not in current
    assert "版本历史" in current and "与上一版比较" in current and "第2版（共2版）" in current


def test_no_banner_on_documents_in_force(embedded_site: Path) -> None:
    for doc_id in ("gf-2016-55", "demo-2023-window-service-rules"):
        assert 'class="banner' not in read(embedded_site, DOC.format(doc_id))


def test_amended_document_names_its_amendment(embedded_site: Path) -> None:
    html = read(embedded_site, DOC.format("demo-2020-info-service-outlets"))
    assert "修改本文件的文件" in html and "demo-2022-info-service-outlets-amendment/index.html" in html
    amendment = read(embedded_site, DOC.format("demo-2022-info-service-outlets-amendment"))
    assert "本文件修改的文件" in amendment and "demo-2020-info-service-outlets/index.html" in amendment


def test_interpretations_linked_both_ways(embedded_site: Path) -> None:
    policy = read(embedded_site, DOC.format("gf-2016-55"))
    assert '<h2 id="rel_interpretations">政策解读</h2>' in policy
    assert "documents/interp-gf-2016-55/index.html" in policy
    interpretation = read(embedded_site, DOC.format("interp-gf-2016-55"))
    assert '<h2 id="rel_interprets">解读对象</h2>' in interpretation
    assert "documents/gf-2016-55/index.html" in interpretation


def test_draft_shows_comment_period_and_result(embedded_site: Path) -> None:
    draft = page_text(embedded_site / DOC.format("demo-2026-agency-credit-draft"))
    assert "征求意见期" in draft and "2026-03-10 至 2026-04-09" in draft and "征求意见已结束" in draft
    html = read(embedded_site, DOC.format("demo-2026-agency-credit-draft"))
    assert "意见采纳情况" in html and "documents/demo-2026-agency-credit-consultation-result/index.html" in html
    result = read(embedded_site, DOC.format("demo-2026-agency-credit-consultation-result"))
    assert "征求意见稿" in result and "documents/demo-2026-agency-credit-draft/index.html" in result


def test_citation_links_on_pages(embedded_site: Path) -> None:
    """sipo-2017-42 cites 国发〔2016〕55号 in its text: the number links to that document's page."""
    html = read(embedded_site, DOC.format("sipo-2017-42"))
    assert re.search(r'<a class="citation" href="\.\./\.\./documents/gf-2016-55/index\.html">国发〔2016〕55号</a>', html)


def test_body_headings_have_anchors_and_contents(embedded_site: Path) -> None:
    html = read(embedded_site, DOC.format("sipo-2019-disclosure-keypoints"))
    ids = re.findall(r'<h2 id="([^"]+)">', html.split('<section class="body"', 1)[1])
    assert len(ids) >= 3
    toc = re.search(r'<nav class="toc".*?</nav>', html, flags=re.S)
    assert toc and all(f'href="#{anchor}"' in toc.group(0) for anchor in ids)


def test_task_numbers_shown_as_in_source(embedded_site: Path) -> None:
    html = read(embedded_site, DOC.format("sipo-2019-disclosure-keypoints"))
    starts = re.findall(r"<ol(?: start=\"(\d+)\")?>", html.split('<section class="body"', 1)[1])
    assert starts[:3] == ["", "3", "6"]


def test_comparison_marks_insertions_and_deletions(embedded_site: Path) -> None:
    html = read(embedded_site, "documents/demo-patent-agency-supervision-rule/v2/compare/index.html")
    diff = html.split('<div class="diff"', 1)[1]
    assert '<ins><span class="visually-hidden">插入：</span>' in diff
    assert '<del><span class="visually-hidden">删除：</span>' in diff
    assert "**" not in diff, "Markdown marks are not part of the compared text"
    assert "第1版 → 第2版" in html and "修改说明" in html


def test_register_page(embedded_site: Path) -> None:
    html = read(embedded_site, "register/index.html")
    assert '<form id="register-filter" class="filters" hidden' in html, "filters stay hidden without JavaScript"
    assert '<script src="../theme/js/register.js" defer></script>' in html
    table = html.split('id="register-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr data-issuers=\"([^\"]*)\" data-topic=\"([^\"]*)\" data-year=\"(\d{4})\">", table)
    assert len(rows) == 7
    assert all(json.loads(issuers.replace("&#34;", '"')) for issuers, _, _ in rows)
    assert "demo-2015-window-service-rules" not in table and "demo-2019-fast-resolution-pilot" not in table
    assert "现行有效的规章和行政规范性文件共 7 件" in page_text(embedded_site / "register/index.html").replace("（含部分失效）", "")
    for option in ("发文机关", "主题分类", "发布年份"):
        assert option in html
    repealed = read(embedded_site, "register/repealed/index.html")
    assert "demo-2015-window-service-rules" in repealed
    assert "demo-2019-fast-resolution-pilot" in read(embedded_site, "register/expired/index.html")


def test_list_pages_have_rel_prev_next(tmp_path: Path) -> None:
    site = build(CONTENT, tmp_path / "site", AS_OF, DISCLOSURE_PER_PAGE=5)
    first = read(site, "types/interpretation/index.html")
    second = read(site, "types/interpretation/page/2/index.html")
    assert '<link rel="next" href="../../types/interpretation/page/2/index.html">' in first
    assert 'rel="prev"' not in first.split("</head>")[0]
    assert '<link rel="prev" href="../../../../types/interpretation/index.html">' in second
    assert '<link rel="next" href="../../../../types/interpretation/page/3/index.html">' in second
    assert 'aria-current="page">2</a>' in second


def test_home_page(embedded_site: Path) -> None:
    html = read(embedded_site, "index.html")
    for target in ("register/index.html", "catalogue/index.html", "guide/index.html",
                   "documents/sipo-annual-report-2025/index.html", "types/normative/index.html"):
        assert f'href="{target}"' in html, target
    assert 'href="ledger/index.html"' in html  # content/ has a ledger beside it


def test_catalogue_counts_every_category(embedded_site: Path, site_model) -> None:  # type: ignore[no-untyped-def]
    text = page_text(embedded_site / "catalogue/index.html")
    for listing in site_model.listings["type"]:
        assert f"{listing.label}{len(listing.documents)} 件" in text
    assert f"共 {len(site_model.public)} 件" in text


def test_footer_links_data_and_feeds(embedded_site: Path) -> None:
    html = read(embedded_site, "documents/gf-2016-55/v1/index.html")
    for target in ("data/documents.json", "data/documents.csv", "feeds/all.atom.xml", "sitemap.xml"):
        assert f'href="../../../{target}"' in html


def test_data_export(embedded_site: Path, site_model) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(read(embedded_site, "data/documents.json"))
    assert data["count"] == len(site_model.public) and data["as_of"] == "2026-11-22"
    assert "<" not in read(embedded_site, "data/documents.json")
    # one document per line, so that two exports can be compared line by line
    lines = read(embedded_site, "data/documents.json").splitlines()
    per_line = [json.loads(line.rstrip(",")) for line in lines[1:-1] if line]
    assert per_line == data["documents"] and len(lines) == len(per_line) + 2
    assert read(embedded_site, "data/documents.csv").startswith("\ufeffid,type,title")


def test_404_page_is_self_contained(embedded_site: Path) -> None:
    html = read(embedded_site, "404.html")
    assert "<style>" in html and 'rel="stylesheet"' not in html, "styled wherever the host serves it"
    assert "页面不存在" in html


def test_search_fallback_lists_types(embedded_site: Path) -> None:
    html = read(embedded_site, "search/index.html")
    assert 'id="search-results"' in html and "types/normative/index.html" in html, "without JavaScript: the lists"
    assert '<script src="../search/search.js" defer></script>' in html
    assert (embedded_site / "search" / "search.js").is_file() and (embedded_site / "search" / "meta.json").is_file()


def test_print_stylesheet_keeps_metadata_and_banner(embedded_site: Path) -> None:
    css = read(embedded_site, "theme/css/site.css")
    print_rules = css.split("@media print", 1)[1]
    assert ".site-nav" in print_rules and "display: none" in print_rules
    hidden = print_rules.split("{ display: none !important; }")[0]
    assert ".metadata" not in hidden and ".banner" not in hidden


def test_english_labels(tmp_path: Path) -> None:
    site = build(CONTENT, tmp_path / "en", AS_OF, SITE_LANGUAGE="en")
    html = read(site, DOC.format("demo-2015-window-service-rules"))
    assert '<html lang="en">' in html
    assert "This document has been repealed" in html and "Repealed" in html and "Document number" in html
    assert "Service Rules for Patent Filing Windows" in html, "title_en shown in the English interface"
    assert "Register of normative documents and regulations in force" in read(site, "register/index.html")
    assert "本文件已废止" not in html and "有效性" not in html


def test_extra_pages_and_siteurl(tmp_path: Path) -> None:
    site = build(CONTENT, tmp_path / "site", AS_OF, DISCLOSURE_EXTRA_PAGES=["ledger/index.html"],
                 SITEURL="https://example.org/disclosure")
    assert 'href="ledger/index.html"' in read(site, "index.html")
    sitemap = read(site, "sitemap.xml")
    assert "<loc>https://example.org/disclosure/documents/gf-2016-55/</loc>" in sitemap
    feed = read(site, "feeds/all.atom.xml")
    assert 'href="https://example.org/disclosure/documents/gf-2016-55/index.html"' in feed
    assert '<link rel="canonical" href="https://example.org/disclosure/documents/gf-2016-55/index.html">' in read(site, DOC.format("gf-2016-55"))
    assert 'href="https://example.org/disclosure/index.html"' in read(site, "404.html")


def test_autoescape_is_on(embedded_site: Path) -> None:
    # The titles use typographic quotes only; check the environment through a rendered attribute.
    from disclosure.export import inert_json as safe_json

    assert safe_json('{"a": "<b>&"}') == '{"a": "\\u003cb\\u003e\\u0026"}'
    assert json.loads(safe_json('{"a": "<b>&"}')) == {"a": "<b>&"}
