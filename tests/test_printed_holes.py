"""Where a whole build's pages print each document's title and numbers
(``disclosure_pelican.printed``): the places the quick rebuild after an edit of one fills in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import escape

from disclosure_pelican import quick
from disclosure_pelican.printed import (CLOSE, LISTED_FIELDS, NAMED, OPEN, PRINTED_FIELDS, ROW_FIELDS, MarkedValue, PrintedHole,
                                        PrintedMarker, pack, place_key, place_of, printed_texts, replace_values,
                                        shift_holes, take_marks, unpack)

from test_incremental import workspace  # noqa: F401 (a fixture)
from test_quick_rebuild import build, swap_last_paragraphs, with_ledger  # noqa: F401 (a fixture)


def values_of(output: Path) -> dict[str, str]:
    """Every document's printed fields as the data export gives them, by place key, as
    pages print them (a list of issuers joined, or as JSON)."""
    records = json.loads((output / "data" / "documents.json").read_text(encoding="utf-8"))["documents"]
    return {key: text for record in records for name in PRINTED_FIELDS + LISTED_FIELDS if record.get(name)
            for key, text in printed_texts(record["id"], name, tuple(record[name]) if isinstance(record[name], list)
                                           else record[name]).items()}


def titles_of(output: Path) -> dict[str, str]:
    records = json.loads((output / "data" / "documents.json").read_text(encoding="utf-8"))["documents"]
    return {record["id"]: record["title"] for record in records}


def test_a_whole_build_notes_where_every_page_prints_each_title_and_number(with_ledger: dict[str, Path]) -> None:  # noqa: F811
    ws = with_ledger
    build(ws)
    snapshot = quick.load_snapshot(ws["cache"], ws["out"])
    assert snapshot is not None and snapshot.printed is not None
    titles = values_of(ws["out"])
    # the ledger's rows' statuses with their reasons too (escaped, as the page prints them)
    rows = json.loads((ws["out"] / "ledger" / "ledger.json").read_text(encoding="utf-8"))["rows"]
    statuses = {place_key(row["链接"][len("documents/"):-1], "ledger_status"): str(escape(row["有效性"]))
                for row in rows if row["链接"]}
    titles.update(statuses)
    # and their numbers and dates published (a new date moves a row: the rows it passes are numbered again)
    titles.update({place_key(row["链接"][len("documents/"):-1], field): str(row[column])
                   for row in rows if row["链接"] for column, field in (("序号", "ledger_no"), ("发布日期", "published"))})
    # (a version's date written is its own: the quick rebuild takes documents in one file,
    # whose version is the document)
    one_file = {entry.doc_id for entry in snapshot.documents.values() if not entry.versioned}
    pages = {p.relative_to(ws["out"]).as_posix() for p in ws["out"].rglob("*.html")}
    assert set(snapshot.printed) == pages
    shown: dict[str, set[str]] = {}
    for name, packed in snapshot.printed.items():
        holes = unpack(packed)
        text = (ws["out"] / name).read_text(encoding="utf-8")
        for hole in holes:
            doc_id, field = place_of(hole.key)
            if field in ROW_FIELDS:  # (places of no text: where a row starts and ends)
                assert hole.length == 0, (name, hole)
            elif field == "title" or doc_id in one_file:
                assert text[hole.start:hole.start + hole.length] == titles[hole.key], (name, hole)
            shown.setdefault(hole.key, set()).add(name)
        assert not {OPEN, NAMED, CLOSE} & set(text), name
    doc_id = "interp-gf-2016-55"
    own = f"documents/{doc_id}/index.html"
    # its own page: the window title, the breadcrumb, the heading and the metadata
    assert sum(hole.key == doc_id for hole in unpack(snapshot.printed[own])) == 4
    assert f"documents/{doc_id}/v1/index.html" in shown[doc_id]
    assert "ledger/index.html" in shown[doc_id] and "types/interpretation/index.html" in shown[doc_id]
    interpreted = next(name for name in shown[doc_id] if name.startswith("documents/") and doc_id not in name)
    assert interpreted.endswith("/index.html")
    # every row of the register shows its title once, and its number (a dash when it has none)
    register = (ws["out"] / "register" / "index.html").read_text(encoding="utf-8")
    fields = [place_of(hole.key)[1] for hole in unpack(snapshot.printed["register/index.html"])]
    assert fields.count("title") == register.count('<td class="cell-title">')
    assert 0 < fields.count("doc_number") <= fields.count("title")
    # and its topic in the column, and in the filter script's data (the register's own rows)
    assert fields.count("topic") == fields.count("title") + register.count(' data-topic="') > fields.count("title")
    assert (doc_id, "topic") in {place_of(hole.key) for hole in unpack(snapshot.printed[own])}
    # its issuers joined in their column, and as JSON in the filter data
    assert fields.count("issuer") == fields.count("title")
    assert fields.count("issuer.json") == register.count(' data-issuers="') == fields.count("topic") - fields.count("title")
    ledger = [hole.key for hole in unpack(snapshot.printed["ledger/index.html"])]
    assert sorted(key for key in ledger if key.endswith("#ledger_status")) == sorted(statuses)
    assert sum(key.startswith("#ledger_status#") for key in ledger) == len(json.loads(
        (ws["out"] / "ledger" / "ledger.json").read_text(encoding="utf-8"))["counts"]["by_status"])
    # each of its rows, from where it starts to where it ends, one after the other (the
    # documents in force, then those not yet in force: two tables)
    marks = [hole for hole in unpack(snapshot.printed["register/index.html"]) if place_of(hole.key)[1] in ROW_FIELDS]
    assert len(marks) == 2 * register.count('<td class="cell-title">')
    for start, end in zip(marks[::2], marks[1::2]):
        row_id = place_of(start.key)[0]
        assert start.key == f"{row_id}#row" and end.key == f"{row_id}#row_end", (start, end)
        row = register[start.start:end.start]
        assert row.count('<td class="cell-title">') == 1 and f"documents/{row_id}/index.html" in row, row
    # on its page: in the description and in the metadata
    assert [place_of(hole.key) for hole in unpack(snapshot.printed[own])].count((doc_id, "issuer")) == 2
    # the document's number and index number on its page, and in the ledger's rows
    numbered = next(record for record in json.loads((ws["out"] / "data" / "documents.json").read_text(encoding="utf-8"))
                    ["documents"] if record["doc_number"] and record["type"] == "normative")
    page = {place_of(hole.key) for hole in unpack(snapshot.printed[f"documents/{numbered['id']}/index.html"])}
    assert {(numbered["id"], "doc_number"), (numbered["id"], "index_number")} <= page
    ledger = {place_of(hole.key) for hole in unpack(snapshot.printed["ledger/index.html"])}
    assert {(numbered["id"], "doc_number"), (numbered["id"], "index_number"), (numbered["id"], "issuer")} <= ledger


def test_pages_rendered_without_noting_titles_are_the_same(workspace: dict[str, Path]) -> None:  # noqa: F811
    """A build with the cache notes the places, one without it does not: the same bytes
    (and a page whose content holds a mark's character is rendered unmarked)."""
    from test_incremental import assert_same_as_full_build

    # a notice (in lists, whose counts are marked) and a normative document (in the register,
    # whose filters' counts are marked): their pages rendered again unmarked print them plain
    for name in ("notice/demo-notice-2025-holiday-service.md", "normative/gf-2016-55.md"):
        document = workspace["content"] / name
        document.write_text(document.read_text(encoding="utf-8").replace("title: ", f"title: {OPEN}", 1),
                            encoding="utf-8")
    build(workspace)
    assert_same_as_full_build(workspace)
    snapshot = quick.load_snapshot(workspace["cache"], workspace["out"])
    assert snapshot is not None and snapshot.printed is None  # not known of every page


def test_taking_marks_out() -> None:
    marked = f"a{OPEN}x{NAMED}T&amp;{CLOSE}b{OPEN}y{NAMED}U{CLOSE}"
    text, holes = take_marks(marked)
    assert text == "aT&amp;bU"
    assert holes == (PrintedHole("x", 1, 6), PrintedHole("y", 8, 1))
    assert take_marks("plain") == ("plain", ())
    for broken in (f"a{NAMED}b", f"{OPEN}x{NAMED}t", f"{OPEN}x{CLOSE}", f"{OPEN}x{NAMED}t{CLOSE}{CLOSE}"):
        assert take_marks(broken) is None, broken
    assert replace_values(text, holes, lambda doc_id: "NEW" if doc_id == "x" else None) == (
        "aNEWbU", (PrintedHole("x", 1, 3), PrintedHole("y", 5, 1)))
    assert shift_holes(holes, 8, 3) == (PrintedHole("x", 1, 6), PrintedHole("y", 11, 1))
    assert unpack(pack(holes)) == holes and unpack(pack(())) == ()


def test_labels_formatted_around_a_title_keep_it_marked() -> None:
    title = MarkedValue("甲<乙>", "doc-a")
    formatted = PrintedMarker.fmt("{title} & 任务", title=title)
    assert take_marks(str(escape(formatted))) == ("甲&lt;乙&gt; &amp; 任务", (PrintedHole("doc-a", 0, len("甲&lt;乙&gt;")),))
    assert PrintedMarker.fmt("{n} & 件", n=3) == "3 & 件"


def test_lookups_through_the_marker_give_what_jinja_gives() -> None:
    """The marker takes every ``a.b`` of every template: on plain dicts (labels, rows) it
    looks the item up directly, and must give what Jinja's own lookup gives."""
    from collections import OrderedDict

    from jinja2 import Environment, StrictUndefined

    template = ("{{ d.title }}|{{ d.items is callable }}|{{ d.keys is callable }}|{{ d.missing is defined }}|"
                "{{ o.title }}|{{ o.items is callable }}|{{ n.real }}")
    context = {"d": {"title": "标题", "items": "不是方法"}, "o": OrderedDict(title="有序"), "n": 3}
    plain = Environment().from_string(template).render(context)
    env = Environment()
    PrintedMarker(env)
    assert env.from_string(template).render(context) == plain == "标题|True|True|False|有序|True|3"
    strict = Environment(undefined=StrictUndefined)
    PrintedMarker(strict)
    with pytest.raises(Exception, match="missing"):
        strict.from_string("{{ d.missing }}").render(d={})


def test_issuers_print_marked_joined_or_as_json_and_any_other_use_is_noted() -> None:
    """A document's issuers print between marks through ``|join('、')`` and ``|json_text``
    (the same characters as unmarked once the marks are taken out); joined otherwise,
    counted, iterated or taken one by one, they print as Jinja prints them and the build
    notes that a page uses them otherwise (their edits then take the whole build)."""
    from datetime import date as day

    from jinja2 import Environment

    from disclosure.document import Disclosure, DocType, Document, Version

    version = Version(number=1, path=Path("x.md"), title="标题", body="", body_line=1, written=None,
                      published=day(2024, 1, 2), effective=None, change_note=None, disclosure=Disclosure.PROACTIVE,
                      review=None, sha256="0" * 64, doc_id="doc-a")
    doc = Document(id="doc-a", type=DocType.NOTICE, title="标题", issuers=("甲<局>", "乙局"), versions=(version,))
    printed_as = {
        "{{ d.issuers|join('、') }}": ("甲&lt;局&gt;、乙局", ["doc-a#issuer"], set()),
        "{{ d.issuers|json_text }}": ("[&#34;甲&lt;局&gt;&#34;, &#34;乙局&#34;]", ["doc-a#issuer.json"], set()),
        "{{ d.issuers|join(', ') }}": ("甲&lt;局&gt;, 乙局", [], {"issuer"}),
        "{{ d.issuers|length }}": ("2", [], {"issuer"}),
        "{% for i in d.issuers %}[{{ i }}]{% endfor %}": ("[甲&lt;局&gt;][乙局]", [], {"issuer"}),
        "{{ d.issuers|first }}": ("甲&lt;局&gt;", [], {"issuer"}),
        "{{ d.issuers[1] }}": ("乙局", [], {"issuer"}),
        "{{ d.issuers|tojson }}": (Environment(autoescape=True).from_string("{{ x|tojson }}").render(x=doc.issuers),
                                   [], {"issuer"}),
    }
    for template, (text, keys, used) in printed_as.items():
        env = Environment(autoescape=True)
        marker = PrintedMarker(env)
        unmarked = env.from_string(template).render(d=doc)
        marker.on = True
        taken = take_marks(env.from_string(template).render(d=doc))
        assert taken is not None and taken[0] == unmarked == text, template
        assert [hole.key for hole in taken[1]] == keys and marker.used == used, template


@pytest.mark.parametrize("title", ["普通标题", "含<尖括号>与&符号", "引号\"'"])
def test_a_marked_title_prints_as_the_title(title: str) -> None:
    assert take_marks(str(escape(MarkedValue(title, "d"))))[0] == str(escape(title))


def retitle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    line = next(line for line in head.split("\n") if line.startswith("title: "))
    assert old in line, line
    path.write_text(head.replace(line, line.replace(old, new), 1) + sep + body, encoding="utf-8")


NORMATIVE = Path("normative") / "gf-2016-55.md"


@pytest.mark.parametrize("path, old, new", [
    (Path("notice") / "demo-notice-2025-holiday-service.md", "的公告", "的通告"),  # in a feed, lists, the ledger
    (Path("interpretation") / "interp-gf-2016-55.md", "解读", "说明"),  # listed by the document it interprets
    (NORMATIVE, "加快", "加速"),  # in the register; its interpretation's page lists it
])
def test_a_title_edit_patches_the_output_as_a_whole_build_writes_it(with_ledger: dict[str, Path], path: Path, old: str,  # noqa: F811
                                                                   new: str, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    build(ws)
    retitle(ws["content"] / path, old, new)
    result = build(ws)
    assert result.quick is not None, [r.getMessage() for r in caplog.records if r.name == quick.__name__]
    assert result.quick.reprinted == {(ws["content"] / path).as_posix(): ("title",)}
    assert {f"documents/{path.stem}/index.html", "data/documents.json", "data/documents.csv", "ledger/ledger.json",
            "ledger/ledger.csv", "ledger/index.html"} <= set(result.quick.written)
    assert_same_as_full_build(ws)
    # and back, with a body edit in the same save; then a body edit alone
    retitle(ws["content"] / path, new, old)
    swap_last_paragraphs(ws["content"] / path)
    assert build(ws).quick is not None
    assert_same_as_full_build(ws)
    swap_last_paragraphs(ws["content"] / path)
    assert build(ws).quick is not None
    assert_same_as_full_build(ws)


@pytest.mark.parametrize("path, edit, why", [
    (Path("normative") / "demo-2023-window-service-rules.md", ("服务规范", "服务准则"), "repeals or amends quote its title"),
    (Path("normative") / "demo-2022-info-service-outlets-amendment.md", ("修改", "修订"), "repeals or amends quote its title"),
    (Path("notice") / "demo-notice-2025-holiday-service.md", None, "front matter (besides titles, numbers, the topic, issuers, dates of effect, expiry and publication and the stated status)"),
])
def test_title_edits_the_quick_rebuild_cannot_take_run_the_whole_build(
        with_ledger: dict[str, Path], path: Path, edit: tuple[str, str] | None, why: str,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    """A document that repeals or amends another (its title is in their status), and a
    title edited with another field: the whole build, as exact as ever."""
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    build(ws)
    file = ws["content"] / path
    if edit is None:
        retitle(file, "的公告", "的通告")
        file.write_text(file.read_text(encoding="utf-8").replace("topic: 政务服务", "topic: 服务", 1), encoding="utf-8")
    else:
        head = file.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        title = next(line for line in head.split("\n") if line.startswith("title: "))
        assert edit[0] in title, title
        retitle(file, *edit)
    assert build(ws).quick is None
    assert any(why in r.getMessage() for r in caplog.records if r.name == quick.__name__)
    assert_same_as_full_build(ws)


@pytest.mark.parametrize("old, new", [("、", "&"), ("（演示）", "<演示>"), ("的公告", '的"公告",')])
def test_a_title_with_characters_each_format_escapes(with_ledger: dict[str, Path], old: str, new: str) -> None:  # noqa: F811
    """HTML, XML, JSON (with ``<>&`` as escapes) and CSV (a quoted cell) each print the new
    title their own way.  (Edits that keep the title's count of search tokens: with 31
    documents, another count moves the mean title length every score uses, and the quick
    rebuild rightly gives way.)"""
    from test_incremental import assert_same_as_full_build

    ws = with_ledger
    build(ws)
    retitle(ws["content"] / "notice" / "demo-notice-2025-holiday-service.md", old, new)
    assert build(ws).quick is not None
    assert_same_as_full_build(ws)
    export = (ws["out"] / "data" / "documents.json").read_text(encoding="utf-8")
    shown = {"&": "\\u0026", "<演示>": "\\u003c演示\\u003e", '的"公告",': '的\\"公告\\",'}[new]
    assert shown in export
    quoted = new.replace('"', '""')  # a CSV cell with quotes or commas is quoted, its quotes doubled
    assert quoted in (ws["out"] / "data" / "documents.csv").read_text(encoding="utf-8-sig")


def test_a_title_edit_and_a_body_edit_of_a_page_that_shows_the_title_in_one_save(with_ledger: dict[str, Path]) -> None:  # noqa: F811
    """The interpretation's page lists the document it interprets: the first step writes
    the new title into it (moving its body's hole), the second its new body."""
    from test_incremental import assert_same_as_full_build

    ws = with_ledger
    build(ws)
    retitle(ws["content"] / NORMATIVE, "加快", "加速")
    swap_last_paragraphs(ws["content"] / "interpretation" / "interp-gf-2016-55.md")
    result = build(ws)
    assert result.quick is not None and len(result.quick.paths) == 2
    assert result.quick.reprinted == {(ws["content"] / NORMATIVE).as_posix(): ("title",)}
    assert_same_as_full_build(ws)


def test_a_site_with_other_plugins_pages_gets_no_quick_title_edits(with_ledger: dict[str, Path],  # noqa: F811
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """Pages other plugins write (``DISCLOSURE_EXTRA_PAGES``) may show titles where no build
    noted them: a title edit takes the whole build; a body edit is still patched."""
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    settings = ws["settings"]
    settings.write_text(settings.read_text(encoding="utf-8") + '\nDISCLOSURE_EXTRA_PAGES = ("extra/index.html",)\n',
                        encoding="utf-8")
    build(ws)
    snapshot = quick.load_snapshot(ws["cache"], ws["out"])
    assert snapshot is not None and snapshot.printed is None
    retitle(ws["content"] / NORMATIVE, "加快", "加速")
    assert build(ws).quick is None
    assert any("where pages print titles and numbers is not known" in r.getMessage() for r in caplog.records if r.name == quick.__name__)
    assert_same_as_full_build(ws)
    swap_last_paragraphs(ws["content"] / NORMATIVE)
    assert build(ws).quick is not None
    assert_same_as_full_build(ws)


def edit_field(path: Path, name: str, old: str, new: str | None) -> None:
    """Change the front matter's ``name: old`` line to ``name: new`` (None: take it out)."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    head += "\n"  # (its last line ends here)
    line = f"{name}: {old}"
    assert f"\n{line}\n" in head, (name, head)
    head = head.replace(f"\n{line}\n", "\n" if new is None else f"\n{name}: {new}\n", 1)
    path.write_text(head[:-1] + sep + body, encoding="utf-8")


PILOT = Path("normative") / "demo-2019-fast-resolution-pilot.md"
"""A normative document with a number no body cites (an expired pilot): in the feeds, lists, the register of expired
documents, its interpretation's page, the ledger."""


@pytest.mark.parametrize("edits", [
    [("doc_number", "国知发演字〔2019〕903号", "国知发演字〔2019〕913号")],
    [("index_number", "SIPO-DEMO/2019-00002", "SIPO-DEMO/2019-00012")],
    [("title_en", "Measures for the Pilot of Fast Resolution of Intellectual Property Disputes (demonstration)",
      "Measures for the Pilot of Rapid Resolution of Intellectual Property Disputes (demonstration)")],
    [("doc_number", "国知发演字〔2019〕903号", "国知发演字〔2019〕<9>号"), ("index_number", "SIPO-DEMO/2019-00002", "=SIPO/2019-2")],
    # the year and serial of a number bodies cite (国发〔2016〕55号), with an issuer code none of them ends with
    [("doc_number", "国知发演字〔2019〕903号", "国知发演字〔2016〕55号")],
])
def test_a_number_edit_patches_the_output_as_a_whole_build_writes_it(with_ledger: dict[str, Path],  # noqa: F811
                                                                    edits: list[tuple[str, str, str]],
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Document and index numbers and the English title are printed like titles: their
    places are patched, and the feeds (a number is in each entry's summary), the data
    export, the ledger's files and the search export where their writers print them;
    byte for byte as a whole build writes them (the last case with characters HTML, XML,
    JSON and a spreadsheet each escape)."""
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    build(ws)
    path = ws["content"] / PILOT
    for name, old, new in edits:
        edit_field(path, name, old, new)
    result = build(ws)
    assert result.quick is not None, [r.getMessage() for r in caplog.records if r.name == quick.__name__]
    assert result.quick.reprinted == {path.as_posix(): tuple(name for name, _, _ in edits)}
    written = set(result.quick.written)
    assert {"data/documents.json", "data/documents.csv"} <= written
    if any(name == "doc_number" for name, _, _ in edits):
        assert {f"documents/{PILOT.stem}/index.html", f"documents/interp-{PILOT.stem}/index.html", "register/expired/index.html",
                "feeds/normative.atom.xml", "ledger/ledger.json", "ledger/ledger.csv", "ledger/index.html"} <= written
    assert_same_as_full_build(ws)
    # and back, with a body edit in the same save
    for name, old, new in edits:
        edit_field(path, name, new, old)
    swap_last_paragraphs(path)
    assert build(ws).quick is not None
    assert_same_as_full_build(ws)


@pytest.mark.parametrize("path, old, new, citing", [
    # cited as 国发〔2016〕55号 by its interpretation and by sipo-2017-42 ("根据国发〔2016〕55号"): their
    # links to it go (the number is no one's now); interp-sipo-2017-42 writes it as a link of its own
    # (rendered again, the same)
    (NORMATIVE, "国发〔2016〕55号", "国发〔2016〕56号", ["interp-gf-2016-55", "sipo-2017-42"]),
    # an issuer code a citation ends with: "根据国发〔2016〕55号" now names this number (its longest
    # ending that is one) and links here, not to NORMATIVE.  (Without the search export: with 31
    # documents, a number of other length moves the mean length every score uses, and the
    # quick rebuild rightly gives way.)
    (PILOT, "国知发演字〔2019〕903号", "据国发〔2016〕55号", ["sipo-2017-42"]),
])
def test_a_cited_number_edit_renders_the_citing_bodies_again(with_ledger: dict[str, Path], path: Path, old: str,  # noqa: F811
                                                             new: str, citing: list[str],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    if path == PILOT:
        ws["settings"].write_text(ws["settings"].read_text(encoding="utf-8") + "\nDISCLOSURE_SEARCH = False\n", encoding="utf-8")
    build(ws)
    before = {doc_id: (ws["out"] / "documents" / doc_id / "index.html").read_text(encoding="utf-8") for doc_id in citing}
    edit_field(ws["content"] / path, "doc_number", old, new)
    result = build(ws)
    assert result.quick is not None, [r.getMessage() for r in caplog.records if r.name == quick.__name__]
    for doc_id in citing:
        page = f"documents/{doc_id}/index.html"
        assert page in result.quick.written and f"documents/{doc_id}/v1/index.html" in result.quick.written
        assert (ws["out"] / page).read_text(encoding="utf-8") != before[doc_id]
    assert_same_as_full_build(ws)
    edit_field(ws["content"] / path, "doc_number", new, old)
    assert build(ws).quick is not None
    assert_same_as_full_build(ws)


@pytest.mark.parametrize("path, edits, setup, why", [
    # a number another document has: the whole build, which reports it
    (PILOT, [("doc_number", "国知发演字〔2019〕903号", "国知发演字〔2018〕902号")], None, "another document's number"),
    (PILOT, [("index_number", "SIPO-DEMO/2019-00002", "SIPO-DEMO/2018-00001")], None, "index number is another document's"),
    # a provisional index number of the same year continues from the year's largest serial
    (PILOT, [("index_number", "SIPO-DEMO/2019-00002", "SIPO-DEMO/2019-00012")],
     (Path("keypoints") / "sipo-2019-disclosure-keypoints.md", "index_number", "SIPO-DEMO/2019-00001"), "provisional index numbers"),
    # a value that goes (an English title: numbers are required of normative documents): what is around it goes too
    (PILOT, [("title_en", "Measures for the Pilot of Fast Resolution of Intellectual Property Disputes (demonstration)", None)],
     None, "front matter (besides titles, numbers, the topic, issuers, dates of effect, expiry and publication and the stated status)"),
])
def test_number_edits_the_quick_rebuild_cannot_take_run_the_whole_build(
        with_ledger: dict[str, Path], path: Path, edits: list[tuple[str, str, str | None]],  # noqa: F811
        setup: tuple[Path, str, str] | None, why: str, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from disclosure_pelican.state import ContentError
    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    if setup is not None:  # a document without its index number: it gets a provisional one
        other, name, value = setup
        text = (ws["content"] / other).read_text(encoding="utf-8")
        (ws["content"] / other).write_text(text.replace(f"\n{name}: {value}\n", "\n", 1), encoding="utf-8")
    build(ws)
    for name, old, new in edits:
        edit_field(ws["content"] / path, name, old, new)
    try:
        result = build(ws)
    except ContentError as error:
        assert "already used by" in str([p.message for p in error.problems])
    else:
        assert result.quick is None
        assert_same_as_full_build(ws)
    assert any(why in r.getMessage() for r in caplog.records if r.name == quick.__name__), \
        [r.getMessage() for r in caplog.records if r.name == quick.__name__]


def test_an_english_title_edit_on_an_english_site(with_ledger: dict[str, Path],  # noqa: F811
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """An English site prints the English title on the document's page: patched there too."""
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    settings = ws["settings"]
    settings.write_text(settings.read_text(encoding="utf-8") + '\nSITE_LANGUAGE = "en"\n', encoding="utf-8")
    build(ws)
    page = ws["out"] / "documents" / PILOT.stem / "index.html"
    assert "Measures for the Pilot of Fast Resolution" in page.read_text(encoding="utf-8")
    edit_field(ws["content"] / PILOT, "title_en",
               "Measures for the Pilot of Fast Resolution of Intellectual Property Disputes (demonstration)",
               "Measures for the Pilot of Rapid Resolution of Intellectual Property Disputes (demonstration)")
    result = build(ws)
    assert result.quick is not None, [r.getMessage() for r in caplog.records if r.name == quick.__name__]
    assert f"documents/{PILOT.stem}/index.html" in result.quick.written
    assert "Pilot of Rapid Resolution" in page.read_text(encoding="utf-8")
    assert_same_as_full_build(ws)


def test_an_index_number_edit_keeps_provisional_numbers_only_when_the_years_largest_serial_stays() -> None:
    """Documents without an index number get the year's largest serial plus one, two, …:
    an edit may not raise that serial, nor take away its only holder."""
    from disclosure.config import SiteConfig

    config = SiteConfig(organ_code="SIPO-DEMO")
    prefix = "SIPO-DEMO/2019-"
    taken = quick.TakenValues(frozenset(), frozenset(), {2019: (7, 1)}, {})
    assert quick._moved_top(taken, 2020, (f"{prefix}00007", f"{prefix}00009"), config) == {2019: (7, 1)}  # another year
    assert quick._moved_top(taken, 2019, (f"{prefix}00003", f"{prefix}00004"), config) == {2019: (7, 1)}
    assert quick._moved_top(taken, 2019, (f"{prefix}00003", f"{prefix}00007"), config) == {2019: (7, 2)}
    assert quick._moved_top(taken, 2019, (f"{prefix}00003", f"{prefix}00008"), config) is None  # raised
    assert quick._moved_top(taken, 2019, (f"{prefix}00007", f"{prefix}00006"), config) is None  # its only holder
    assert quick._moved_top(taken, 2019, (f"{prefix}00007", "OTHER/2019-9"), config) is None
    two = taken._replace(serial_tops={2019: (7, 2)})
    assert quick._moved_top(two, 2019, (f"{prefix}00007", f"{prefix}00006"), config) == {2019: (7, 1)}


def test_a_keywords_edit_patches_only_the_search_export(with_ledger: dict[str, Path],  # noqa: F811
                                                         caplog: pytest.LogCaptureFixture) -> None:
    """Keywords feed the search and no page: an edit of them changes the search export
    (and the file's hash where it is shown), as a whole build would."""
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    build(ws)
    snapshot = quick.load_snapshot(ws["cache"], ws["out"])
    assert snapshot is not None and snapshot.fields_used == frozenset()
    path = ws["content"] / "normative" / "demo-2023-window-service-rules.md"
    edit_field(path, "keywords", "[一窗通办, 受理窗口]", "[一窗通办, 服务窗口]")  # (as many tokens: see above)
    result = build(ws)
    assert result.quick is not None, [r.getMessage() for r in caplog.records if r.name == quick.__name__]
    assert result.quick.reprinted == {path.as_posix(): ("keywords",)}
    # the search export, and where the file's SHA-256 is shown: no page, feed or data file shows keywords
    assert result.quick.written and set(result.quick.written) - set(quick.SHA_FILES) == \
        {name for name in result.quick.written if name.startswith("search/")}
    assert_same_as_full_build(ws)
    # a keywords line where there was none (its own line: the lines after it move, so the whole build)
    notice = ws["content"] / "notice" / "demo-notice-2025-holiday-service.md"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("\n---\n", "\nkeywords: [节假日]\n---\n", 1), encoding="utf-8")
    assert build(ws).quick is None
    assert_same_as_full_build(ws)


def test_a_theme_that_shows_keywords_gets_whole_builds_after_a_keywords_edit(with_ledger: dict[str, Path],  # noqa: F811
                                                                             caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    template = ws["theme"] / "templates" / "document.html"
    source = template.read_text(encoding="utf-8")
    assert "{{ doc.doc_number }}</p>" in source
    template.write_text(source.replace("{{ doc.doc_number }}</p>", "{{ doc.doc_number }}</p><p>{{ doc.keywords|join('、') }}</p>", 1),
                        encoding="utf-8")
    build(ws)
    snapshot = quick.load_snapshot(ws["cache"], ws["out"])
    assert snapshot is not None and snapshot.fields_used == frozenset({"keywords"})
    path = ws["content"] / "normative" / "demo-2023-window-service-rules.md"
    edit_field(path, "keywords", "[一窗通办, 受理窗口]", "[一窗通办, 受理窗口, 政务服务]")
    assert build(ws).quick is None
    assert any("a page shows the keywords or computes with the date" in r.getMessage() for r in caplog.records if r.name == quick.__name__)
    assert "政务服务</p>" in (ws["out"] / "documents" / path.stem / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(ws)


def test_a_date_written_edit_patches_the_output_as_a_whole_build_writes_it(with_ledger: dict[str, Path],  # noqa: F811
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    """The date written is printed (the document's page, the ledger, the data export) and
    counted by its year (the annual report): an edit within the year is patched, one to
    another year takes the whole build."""
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    build(ws)
    path = ws["content"] / PILOT
    edit_field(path, "written", "2019-12-16", "2019-12-12")
    result = build(ws)
    assert result.quick is not None, [r.getMessage() for r in caplog.records if r.name == quick.__name__]
    assert result.quick.reprinted == {path.as_posix(): ("written",)}
    assert {f"documents/{PILOT.stem}/index.html", "ledger/index.html", "ledger/ledger.json", "ledger/ledger.csv",
            "data/documents.json", "data/documents.csv"} <= set(result.quick.written)
    assert '<time datetime="2019-12-12">2019-12-12</time>' in \
        (ws["out"] / "documents" / PILOT.stem / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(ws)
    edit_field(path, "written", "2019-12-12", "2018-12-12")
    assert build(ws).quick is None
    assert any("the year written changes" in r.getMessage() for r in caplog.records if r.name == quick.__name__)
    assert_same_as_full_build(ws)


@pytest.mark.parametrize("use", ["{{ version.written.year }}", "{{ version.written|string }}",
                                 "{% if version.written and version.written < doc.published %}早{% endif %}"])
def test_a_theme_that_computes_with_the_date_written_gets_whole_builds_after_editing_it(
        with_ledger: dict[str, Path], use: str, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    import logging

    from test_incremental import assert_same_as_full_build

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    ws = with_ledger
    template = ws["theme"] / "templates" / "document.html"
    source = template.read_text(encoding="utf-8")
    template.write_text(source.replace("{{ doc.doc_number }}</p>", "{{ doc.doc_number }}</p><p>" + use + "</p>", 1),
                        encoding="utf-8")
    build(ws)
    snapshot = quick.load_snapshot(ws["cache"], ws["out"])
    assert snapshot is not None and snapshot.fields_used == frozenset({"written"})
    edit_field(ws["content"] / PILOT, "written", "2019-12-16", "2019-12-12")
    assert build(ws).quick is None
    assert any("computes with the date" in r.getMessage() for r in caplog.records if r.name == quick.__name__)
    assert_same_as_full_build(ws)
