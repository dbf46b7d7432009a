"""The page model (no Pelican): which pages exist, registers, lists, pagination, labels."""

from __future__ import annotations

from pathlib import Path

from disclosure.document import DocType
from disclosure.effectiveness import Status
from disclosure_pelican.labels import LABELS
from disclosure_pelican.pages import SiteModel, paged_names, slugify, unique_slugs

from site_kit import AS_OF, CONTENT


def test_labels_complete_in_both_languages() -> None:
    assert set(LABELS["zh"]) == set(LABELS["en"])
    for language, labels in LABELS.items():
        for key, value in labels.items():
            assert value or key == "count_fmt", (language, key)


def test_pages_come_from_the_public_corpus_only(site_model: SiteModel) -> None:
    names = [page.name for page in site_model.pages]
    assert len(names) == len(set(names)), "two pages with the same file name"
    assert not any("demo-internal-arrangement-notice" in name for name in names)
    public_ids = {doc.id for doc in site_model.public}
    assert "demo-internal-arrangement-notice" not in public_ids
    documents = {name.split("/")[1] for name in names if name.startswith("documents/")}
    assert documents == public_ids


def test_expected_urls(site_model: SiteModel) -> None:
    names = {page.name for page in site_model.pages}
    for name in [
        "index.html", "register/index.html", "register/repealed/index.html", "register/expired/index.html",
        "catalogue/index.html", "guide/index.html", "search/index.html", "404.html",
        "types/normative/index.html", "years/2026/index.html", "status/repealed/index.html",
        "issuers/guo-jia-zhi-shi-chan-quan-ju/index.html", "topics/zhuan-li-dai-li/index.html",
        "documents/gf-2016-55/index.html", "documents/gf-2016-55/v1/index.html",
        "documents/demo-patent-agency-supervision-rule/v2/compare/index.html",
    ]:
        assert name in names, name
    for doc_type in DocType:
        assert f"types/{doc_type.value}/index.html" in names


def test_register_groups(site_model: SiteModel) -> None:
    groups = {key: [d.id for d in docs] for key, docs in site_model.register_documents().items()}
    assert "demo-2015-window-service-rules" in groups["repealed"]
    assert "demo-2019-fast-resolution-pilot" in groups["expired"]
    assert "demo-2026-agency-credit-rules" in groups["upcoming"]
    assert "demo-2018-fee-reduction-procedure" in groups["in_force"]  # partially invalid still applies
    assert "demo-2023-window-service-rules" in groups["in_force"]
    for doc_id in groups["in_force"]:
        doc = site_model.public.get(doc_id)
        assert doc is not None and doc.type.is_register_type
        assert site_model.statuses[doc_id].status in (Status.EFFECTIVE, Status.PARTIALLY_INVALID)
    every = sum(groups.values(), [])
    register_docs = [d.id for d in site_model.public if d.type.is_register_type]
    assert sorted(every) == sorted(register_docs), "a register document was dropped"


def test_register_rows_carry_filter_data(site_model: SiteModel) -> None:
    """The year from ``row_data``; the row prints the issuers (as JSON: ``|json_text``)
    and the topic from the document, so that a build notes where (``printed``)."""
    import json

    from disclosure_pelican.printed import json_text

    doc = site_model.public.get("sipo-2017-42")
    assert doc is not None
    assert SiteModel.row_data(doc) == {"year": "2017"}
    assert json.loads(json_text(doc.issuers)) == list(doc.issuers) and "国家知识产权局办公室" in doc.issuers


def test_lists_newest_first_and_paginated() -> None:
    from disclosure.config import SiteConfig
    from disclosure_pelican.state import BuildState

    model = SiteModel(BuildState.load(CONTENT, AS_OF, SiteConfig()), per_page=4)
    pages = [p for p in model.pages if p.name.startswith("types/interpretation/")]
    assert [p.name for p in pages] == ["types/interpretation/index.html", "types/interpretation/page/2/index.html",
                                        "types/interpretation/page/3/index.html"]
    first, second, last = (p.context for p in pages)
    assert first["pagination"]["prev"] is None and first["pagination"]["next"] == "types/interpretation/page/2/index.html"
    assert second["pagination"]["prev"] == "types/interpretation/index.html"
    assert last["pagination"]["next"] is None
    shown = [d for p in pages for d in p.context["documents"]]
    assert len(shown) == 11 == len(set(d.id for d in shown))
    assert [(d.published, d.id) for d in shown] == sorted(((d.published, d.id) for d in shown), reverse=True)


def test_page_links_show_the_ends_and_a_window_around_the_current_page() -> None:
    from disclosure_pelican.pages import page_links

    names = paged_names("x/", 20 * 300, 20)
    assert len(names) == 300
    links = page_links(names, 150)
    assert [link[0] if link else None for link in links] == [1, None, 148, 149, 150, 151, 152, None, 300]
    assert links[4] == (150, "x/page/150/index.html")
    assert [link[0] if link else None for link in page_links(names, 1)] == [1, 2, 3, None, 300]
    assert [link[0] if link else None for link in page_links(names[:5], 3)] == [1, 2, 3, 4, 5]
    assert [link[0] if link else None for link in page_links(names[:1], 1)] == [1]


def test_paged_names_and_slugs() -> None:
    assert paged_names("x/", 0, 20) == ["x/index.html"]
    assert paged_names("x/", 41, 20) == ["x/index.html", "x/page/2/index.html", "x/page/3/index.html"]
    assert slugify("国家知识产权局") == "guo-jia-zhi-shi-chan-quan-ju"
    assert slugify("!!!") and slugify("!!!") != slugify("???")
    slugs = unique_slugs(["专利", "专利!", "商标"])
    assert len(set(slugs.values())) == 3


def test_optional_pages_are_linked_only_when_they_exist(site_model: SiteModel, tmp_path: Path) -> None:
    assert site_model.has_page("ledger/index.html"), "content/ has a ledger beside it"
    assert site_model.has_page("feeds/all.atom.xml") and site_model.has_page("data/documents.csv")
    from disclosure.config import SiteConfig
    from disclosure_pelican.state import BuildState

    without_ledger = SiteModel(BuildState.load(CONTENT, AS_OF, SiteConfig(), ledger_path=tmp_path / "none.jsonl"))
    assert not without_ledger.has_page("ledger/index.html")
    model = SiteModel(BuildState.load(CONTENT, AS_OF, SiteConfig()), extra_pages=["search/index.html"])
    assert all(p.name != "search/index.html" for p in model.pages), "another plugin writes the search page"


def test_ordered_lists_keep_source_numbers(site_model: SiteModel) -> None:
    """Numbered tasks restart under each heading in Markdown; the page must show the source's numbers."""
    import re

    for doc_id in ("sipo-2019-disclosure-keypoints", "sipo-2022-disclosure-keypoints", "sipo-2021-public-service-plan"):
        doc = site_model.public.get(doc_id)
        assert doc is not None
        source = [int(n) for n in re.findall(r"^(\d+)\. ", doc.current.body, flags=re.M)]
        html = str(site_model.body_html(doc.current, "../../"))
        shown: list[int] = []
        for start, items in re.findall(r'<ol(?: start="(\d+)")?>(.*?)</ol>', html, flags=re.S):
            count = items.count("<li>")
            first = int(start or 1)
            shown += list(range(first, first + count))
        assert shown == source, doc_id
        assert len(source) > 10


def test_the_data_export_takes_the_models_statuses_as_they_are(site_model) -> None:  # type: ignore[no-untyped-def]
    """The build gives the data export the statuses the page model computed: the same records."""
    from disclosure.export import export_records

    records = export_records(site_model.public, AS_OF, site_model.statuses)
    assert records == export_records(site_model.public, AS_OF)
    assert {record["status"] for record in records} >= {"effective", "repealed"}
