"""The rebuild after an edit of a document's date of effect or of expiry, or of the status
its file states (``disclosure_pelican.restatus``): its status on the build date moves (in
force → expired, partially invalid or not yet in force, and back), the document moves
between the lists of the two statuses and in or out of the register, every page that shows
its status or its dates follows, and so do the ledger's view and counts; the output is
byte for byte a whole build's. An edit that an annual report's figures would show, a
stated status the check reports, or a date of effect of a document that repeals others,
runs the whole build."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from disclosure.files import read_file
from disclosure_pelican import quick, restatus
from disclosure_pelican.quick import DocEntry

from test_incremental import assert_same_as_full_build, workspace  # noqa: F401 (a fixture)
from test_quick_rebuild import NOTICE, _replace_in, build, why_not
from test_quick_rebuild import with_ledger  # noqa: F401 (a fixture)

NORMATIVE = Path("normative") / "gf-2016-55.md"
"""A normative document of the State Council (no annual report counts its issuer), in
the register, which an interpretation interprets (its page shows the status)."""
INTERPRETATION_PAGE = "documents/interp-gf-2016-55/index.html"
STATED = "status: partially_invalid\nstatus_note: 第三部分不再适用\n"
"""A status the file states, and which part (after ``expires``, where ``publish.py`` puts them)."""
PARTIAL = Path("normative") / "demo-2018-fee-reduction-procedure.md"
"""The document of the content that states a status: partially invalid, 国家知识产权局's."""
PILOT = Path("normative") / "demo-2019-fast-resolution-pilot.md"
"""The one document of the content that has expired."""


def quick_rebuild(workspace: dict[str, Path], caplog: pytest.LogCaptureFixture, path: Path,
                  fields: tuple[str, ...] = ("expires",)) -> list[str]:
    caplog.clear()
    result = build(workspace)
    assert result.quick is not None, why_not(caplog)
    assert result.quick.reprinted == {(workspace["content"] / path).as_posix(): fields}
    assert_same_as_full_build(workspace)
    return result.quick.written


def test_an_expiry_edit_moves_the_document_between_statuses_as_a_whole_build_does(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    content = workspace["content"]
    _replace_in(content / PILOT, "expires: 2023-12-31\n", "")
    build(workspace)
    assert not (workspace["out"] / "status" / "expired").exists()
    file = content / NORMATIVE
    # given: expired since June (the build date is 2026-11-22); no document had expired
    _replace_in(file, "effective: 2016-09-29\n", "effective: 2016-09-29\nexpires: 2026-06-30\n")
    caplog.set_level(logging.DEBUG, logger=restatus.__name__)
    written = quick_rebuild(workspace, caplog, NORMATIVE)
    # the register put together from its rows (the edited document's rendered alone); its
    # list of expired documents, empty before, rendered
    messages = [record.getMessage() for record in caplog.records]
    assert "restatus: register/index.html: put together from its rows" in messages
    assert "restatus: register/expired/index.html: put together from its rows" not in messages
    assert {"documents/gf-2016-55/index.html", INTERPRETATION_PAGE, "register/index.html",
            "register/expired/index.html", "status/expired/index.html", "catalogue/index.html",
            "data/documents.json", "sitemap.xml"} <= set(written), written
    assert any(name.startswith("search/") for name in written), written
    page = (workspace["out"] / "documents/gf-2016-55/index.html").read_text(encoding="utf-8")
    assert "有效期至2026-06-30，已失效" in page
    # changed: expired still, from another day (its reason changes, not its lists)
    _replace_in(file, "expires: 2026-06-30", "expires: 2026-07-31")
    written = quick_rebuild(workspace, caplog, NORMATIVE)
    assert "documents/gf-2016-55/index.html" in written and "data/documents.json" in written
    assert not [name for name in written if name.startswith(("status/", "register/", "search/"))], written
    assert INTERPRETATION_PAGE not in written
    # taken away: in force again, and no document is expired (the list goes)
    _replace_in(file, "expires: 2026-07-31\n", "")
    written = quick_rebuild(workspace, caplog, NORMATIVE)
    assert "restatus: register/index.html: put together from its rows" in [r.getMessage() for r in caplog.records]
    assert not (workspace["out"] / "status" / "expired").exists()
    assert INTERPRETATION_PAGE in written


def test_an_expiry_edit_of_a_notice_in_the_feeds(workspace: dict[str, Path],  # noqa: F811
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A notice (not in the register: its lists show a status only when it is not in force)
    that the feeds list: their entry's first line shows the status."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    # (after 2025, which an annual report counts its issuer's documents' statuses at the end of)
    _replace_in(workspace["content"] / NOTICE, "published: 2025-09-22\n", "published: 2025-09-22\nexpires: 2026-01-31\n")
    written = quick_rebuild(workspace, caplog, NOTICE)
    assert any(name.startswith("feeds/") for name in written), written
    assert "register/index.html" not in written


def test_without_a_second_core_the_pages_are_made_in_the_same_process(
        workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    from disclosure_pelican import forked

    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    build(workspace)
    _replace_in(workspace["content"] / NORMATIVE, "effective: 2016-09-29\n", "effective: 2016-09-29\nexpires: 2026-06-30\n")
    quick_rebuild(workspace, caplog, NORMATIVE)


def test_an_expiry_an_annual_report_counts_takes_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """The reports of 2024 and 2025 count the documents of 国家知识产权局 that ceased to
    apply during the year: a notice of 2025 expiring in October changes the 2025 report."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    _replace_in(workspace["content"] / NOTICE, "published: 2025-09-22\n", "published: 2025-09-22\nexpires: 2025-10-31\n")
    assert build(workspace).quick is None
    assert any("the annual report of 2025 counts documents by their status" in message for message in why_not(caplog))
    assert_same_as_full_build(workspace)


def test_with_the_ledgers_view_its_row_and_counts_follow(with_ledger: dict[str, Path],  # noqa: F811
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """The ledger's view shows each document's status with its reason, and counts them by
    status: its files and page get the row's status and the two counts replaced."""
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    file = workspace["content"] / NORMATIVE
    _replace_in(file, "effective: 2016-09-29\n", "effective: 2016-09-29\nexpires: 2026-06-30\n")
    written = quick_rebuild(workspace, caplog, NORMATIVE)
    assert {"ledger/ledger.json", "ledger/ledger.csv", "ledger/index.html"} <= set(written), written
    assert "有效期至2026-06-30，已失效" in (workspace["out"] / "ledger" / "ledger.csv").read_text(encoding="utf-8")
    _replace_in(file, "expires: 2026-06-30", "expires: 2026-07-31")  # (the reason alone)
    quick_rebuild(workspace, caplog, NORMATIVE)
    _replace_in(file, "effective: 2016-09-29", "effective: 2016-10-01")  # (expired still: the reason as it was)
    quick_rebuild(workspace, caplog, NORMATIVE, ("effective",))


def test_with_the_ledgers_view_an_expiry_the_auditor_finds_takes_the_whole_build(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """The ledger's page lists the auditor's findings: a validity ending within the window
    (183 days) is one of them, which the rebuild of the statuses does not make; it ran,
    and left the page without the finding, until this was found."""
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    file = workspace["content"] / NORMATIVE
    _replace_in(file, "effective: 2016-09-29\n", "effective: 2016-09-29\nexpires: 2027-01-31\n")  # (70 days on)
    caplog.clear()
    assert build(workspace).quick is None
    assert any("the auditor's findings on the ledger's page" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)
    assert "有效期将于 70 天后届满" in (workspace["out"] / "ledger" / "index.html").read_text(encoding="utf-8")
    _replace_in(file, "expires: 2027-01-31", "expires: 2028-01-31")  # (out of the window: the finding goes)
    caplog.clear()
    assert build(workspace).quick is None
    assert_same_as_full_build(workspace)
    _replace_in(file, "expires: 2028-01-31", "expires: 2028-03-31")  # (no finding before or after: quick)
    quick_rebuild(workspace, caplog, NORMATIVE)


def _entry(record: object, printed: dict[str, str]) -> DocEntry:
    return DocEntry("gf-2016-55", record.signature, "", (), 0, printed)  # type: ignore[attr-defined]


@pytest.mark.parametrize("before, after, effective, found", [
    ("", "expires: 2026-06-30\n", None, {"expires": (None, "2026-06-30")}),
    ("expires: 2026-06-30\n", "expires: 2027-01-01\n", None, {"expires": ("2026-06-30", "2027-01-01")}),
    ("expires: 2026-06-30\n", "", None, {"expires": ("2026-06-30", None)}),
    ("", "", "2016-10-01", {"effective": ("2016-09-29", "2016-10-01")}),
    ("expires: 2026-06-30\n", "expires: 2027-01-01\n", "2016-10-01",
     {"effective": ("2016-09-29", "2016-10-01"), "expires": ("2026-06-30", "2027-01-01")}),
    ("", "expires: 2026-06-30\n", "2016-10-01", {"effective": ("2016-09-29", "2016-10-01"), "expires": (None, "2026-06-30")}),
    ("", "expires: 2026-06-30\ndisclosure_basis: 部分\n", None, None),
    ("", "# a comment\nexpires: 2026-06-30\n", None, None),
    ("expires: 2026-06-30\n", "expires: 2026-06-30\n", None, None),
    ("", STATED, None, {"status": (None, "partially_invalid"), "status_note": (None, "第三部分不再适用")}),
    (STATED, "", None, {"status": ("partially_invalid", None), "status_note": ("第三部分不再适用", None)}),
    (STATED, STATED.replace("第三", "第四"), None, {"status_note": ("第三部分不再适用", "第四部分不再适用")}),
    ("expires: 2026-06-30\n", "expires: 2026-06-30\n" + STATED, "2016-10-01",
     {"effective": ("2016-09-29", "2016-10-01"), "status": (None, "partially_invalid"),
      "status_note": (None, "第三部分不再适用")}),
    ("", "expires: 2026-06-30\n" + STATED, None, None),
    ("expires: 2026-06-30\n", STATED, None, None),
], ids=["given", "changed", "taken away", "effect changed", "both changed", "effect changed, expiry given",
        "with another field", "with another line", "unchanged", "status given", "status taken away", "note changed",
        "effect changed, status given", "three lines given", "one given, one taken away"])
def test_date_changes_are_told_from_other_edits(tmp_path: Path, before: str, after: str, effective: str | None,
                                                found: dict[str, tuple[str | None, str | None]] | None) -> None:
    text = (Path(__file__).parent.parent / "content" / NORMATIVE).read_text(encoding="utf-8")
    file = tmp_path / "gf-2016-55.md"
    old = text.replace("effective: 2016-09-29\n", f"effective: 2016-09-29\n{before}")
    new = text.replace("effective: 2016-09-29\n", f"effective: {effective or '2016-09-29'}\n{after}")
    file.write_text(old, encoding="utf-8")
    record, _ = read_file(file, file.as_posix())
    printed = {"effective": "2016-09-29", "published": "2016-09-29",
               **dict(line.split(": ") for line in before.splitlines())}
    file.write_text(new, encoding="utf-8")
    edited, _ = read_file(file, file.as_posix())
    assert restatus.restated_changes(edited, _entry(record, printed)) == found


@pytest.mark.parametrize("new, found", [
    ("published: 2016-09-30\n", {"published": ("2016-09-29", "2016-09-30")}),
    ("published: 2016-09-30\neffective: 2016-10-01\n",
     {"published": ("2016-09-29", "2016-09-30"), "effective": ("2016-09-29", "2016-10-01")}),
    ("published: 2016-09-30\ndisclosure_basis: 部分\neffective: 2016-09-29\n", None),
], ids=["published", "published and effective", "with another field"])
def test_a_date_of_publication_is_told_from_other_edits(tmp_path: Path, new: str,
                                                       found: dict[str, tuple[str, str]] | None) -> None:
    text = (Path(__file__).parent.parent / "content" / NORMATIVE).read_text(encoding="utf-8")
    dates = "published: 2016-09-29\neffective: 2016-09-29\n"
    assert dates in text
    file = tmp_path / "gf-2016-55.md"
    file.write_text(text, encoding="utf-8")
    record, _ = read_file(file, file.as_posix())
    file.write_text(text.replace(dates, new if "effective" in new else new + "effective: 2016-09-29\n"),
                    encoding="utf-8")
    edited, _ = read_file(file, file.as_posix())
    assert restatus.restated_changes(edited, _entry(record, {"effective": "2016-09-29", "published": "2016-09-29"})) \
        == found


def test_a_date_of_effect_edit(workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """Put off to next month, the document is not yet in force: it moves from the register's
    documents in force to those to come, on the same page; brought forward, back again."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    file = workspace["content"] / NORMATIVE
    _replace_in(file, "effective: 2016-09-29", "effective: 2026-12-01")
    written = quick_rebuild(workspace, caplog, NORMATIVE, ("effective",))
    assert {"register/index.html", "status/not_yet_effective/index.html", INTERPRETATION_PAGE} <= set(written), written
    assert "自2026-12-01起施行" in (workspace["out"] / "documents/gf-2016-55/index.html").read_text(encoding="utf-8")
    _replace_in(file, "effective: 2026-12-01", "effective: 2016-10-01")
    quick_rebuild(workspace, caplog, NORMATIVE, ("effective",))


def test_a_stated_status_given_changed_and_taken_away(workspace: dict[str, Path],  # noqa: F811
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """A document stated partially invalid (with its note) changes status as a whole build
    says; then its note alone changes its status's reason; its date of effect changes
    while it states one (the check of the stated status holds); the status goes."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    file = workspace["content"] / NORMATIVE
    _replace_in(file, "effective: 2016-09-29\n", "effective: 2016-09-29\n" + STATED)
    written = quick_rebuild(workspace, caplog, NORMATIVE, ("status", "status_note"))
    assert {"documents/gf-2016-55/index.html", INTERPRETATION_PAGE, "register/index.html",
            "status/partially_invalid/index.html", "status/effective/index.html"} <= set(written), written
    page = workspace["out"] / "documents/gf-2016-55/index.html"
    assert "部分失效：第三部分不再适用" in page.read_text(encoding="utf-8")
    _replace_in(file, "第三部分", "第四部分")
    written = quick_rebuild(workspace, caplog, NORMATIVE, ("status_note",))
    assert not [name for name in written if name.startswith(("status/", "search/"))], written
    assert "部分失效：第四部分不再适用" in page.read_text(encoding="utf-8")
    _replace_in(file, "effective: 2016-09-29", "effective: 2016-10-01")
    quick_rebuild(workspace, caplog, NORMATIVE, ("effective",))
    _replace_in(file, STATED.replace("第三", "第四"), "")
    quick_rebuild(workspace, caplog, NORMATIVE, ("status", "status_note"))
    assert "部分失效" not in page.read_text(encoding="utf-8")


def test_a_stated_status_the_annual_reports_count_alike(with_ledger: dict[str, Path],  # noqa: F811
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """The reports of 2024 and 2025 count 国家知识产权局's documents in force, partially
    invalid or not: one of its rules stated partially invalid, then its partially invalid
    procedure's status taken away and given back, change no figure (the ledger's view
    counts them by status: its two counts change)."""
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    content = workspace["content"]
    rules = Path("normative") / "sipo-2017-42.md"
    line = next(line for line in (content / rules).read_text(encoding="utf-8").splitlines() if line.startswith("effective:"))
    _replace_in(content / rules, line + "\n", line + "\n" + STATED)
    written = quick_rebuild(workspace, caplog, rules, ("status", "status_note"))
    assert {"ledger/ledger.json", "ledger/index.html", "register/index.html"} <= set(written), written
    file = content / PARTIAL
    text = file.read_text(encoding="utf-8")
    stated = "".join(line + "\n" for line in text.splitlines() if line.startswith(("status:", "status_note:")))
    _replace_in(file, stated, "")
    quick_rebuild(workspace, caplog, PARTIAL, ("status", "status_note"))
    file.write_text(text, encoding="utf-8")
    quick_rebuild(workspace, caplog, PARTIAL, ("status", "status_note"))


def test_a_stated_status_the_check_reports_or_a_repealing_documents_date_takes_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """A stated status the dates say already (the check warns), and the date of effect of a
    document that repeals another (whose status follows it)."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    content = workspace["content"]
    build(workspace)
    stated = content / NORMATIVE
    _replace_in(stated, "effective: 2016-09-29\n", "effective: 2016-09-29\nstatus: effective\n")
    caplog.clear()
    assert build(workspace).quick is None
    assert any("states a status other than partially invalid" in message for message in why_not(caplog)), \
        why_not(caplog)
    assert_same_as_full_build(workspace)
    repealing = next(path for path in sorted(content.rglob("*.md")) if "\nrepeals: " in path.read_text(encoding="utf-8"))
    text = repealing.read_text(encoding="utf-8")
    line = next((line for line in text.splitlines() if line.startswith("effective: ")), None)
    assert line is not None, repealing
    later = date.fromisoformat(line.split(": ")[1]) + timedelta(days=1)
    repealing.write_text(text.replace(line, f"effective: {later.isoformat()}", 1), encoding="utf-8")
    caplog.clear()
    assert build(workspace).quick is None
    assert any("the statuses of the documents it repeals or amends" in message for message in why_not(caplog)), \
        why_not(caplog)
    assert_same_as_full_build(workspace)


def test_documents_whose_relations_differ_in_the_whole_corpus_are_held_related() -> None:
    """A document repealed by one held back by its review, or with a version not public yet:
    the whole corpus (which the check and the reports read) says more of its status than
    the public one."""
    from dataclasses import replace

    from disclosure.corpus import Corpus
    from disclosure.document import Review, ReviewResult

    from test_effectiveness import make_doc

    day = date(2020, 1, 1)
    held = make_doc("held", day, repeals=("repealed",))
    held = replace(held, versions=tuple(replace(v, review=Review("r", day, ReviewResult.FAILED)) for v in held.versions))
    others = [make_doc("repealed", day), make_doc("alone", day), held]
    later = make_doc("later", day, version_dates=(date(2030, 1, 1),))  # (its second version, held)
    public = Corpus([*Corpus(others).public(date(2026, 11, 22)), replace(later, versions=later.versions[:1])])
    assert {doc.id for doc in public} == {"repealed", "alone", "later"}
    assert quick.held_related(Corpus([*others, later]), public) == {"repealed", "later"}


def test_a_feed_not_as_its_build_wrote_it_takes_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """Found once the search export's patch is made (in its own process, which is let go:
    the build ends, and the output is a whole build's)."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    feed = workspace["out"] / "feeds" / "all.atom.xml"
    text = feed.read_text(encoding="utf-8")
    at = text.index('<summary type="text">', text.index("documents/demo-notice-2025-holiday-service/"))
    feed.write_text(text[:at] + text[at:].replace("现行有效", "现行有效 ", 1), encoding="utf-8")
    _replace_in(workspace["content"] / NOTICE, "published: 2025-09-22\n", "published: 2025-09-22\nexpires: 2026-01-31\n")
    assert build(workspace).quick is None
    assert any("the entry is not where the snapshot says" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


INTERPRETED = Path("interpretation") / "interp-demo-2018-fee-reduction-procedure.md"
"""An interpretation published the day after the document it interprets (:data:`PARTIAL`, 2018-04-09)."""


def test_a_date_of_publication_moves_the_document_in_its_lists_as_a_whole_build_does(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """Moved after its interpretation, a document changes places in its lists, its feeds
    and the search's order; the interpretation's page (which lists it) and the register
    follow; then back."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    out, file = workspace["out"], workspace["content"] / PARTIAL

    def places(page: str) -> tuple[int, int]:
        text = (out / page).read_text(encoding="utf-8")
        return text.index(">《专利费用减缴请求办理规程》解读（演示）<"), text.index(">专利费用减缴请求办理规程（演示）<")

    before = places("years/2018/index.html")
    _replace_in(file, "published: 2018-04-09", "published: 2018-04-11")
    written = quick_rebuild(workspace, caplog, PARTIAL, ("published",))
    assert {"documents/demo-2018-fee-reduction-procedure/index.html",
            "documents/interp-demo-2018-fee-reduction-procedure/index.html", "years/2018/index.html",
            "register/index.html", "feeds/all.atom.xml", "feeds/normative.atom.xml", "data/documents.json",
            "sitemap.xml"} <= set(written), written
    assert any(name.startswith("search/t/") for name in written), written
    after = places("years/2018/index.html")
    assert (before[0] < before[1]) != (after[0] < after[1])  # (newest first: now before its interpretation)
    _replace_in(file, "published: 2018-04-11", "published: 2018-04-09")
    quick_rebuild(workspace, caplog, PARTIAL, ("published",))
    assert places("years/2018/index.html") == before


def test_a_date_of_publication_that_makes_a_notice_the_newest(workspace: dict[str, Path],  # noqa: F811
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """The home page's latest notices and the notices' feed (its date is its newest
    entry's) follow."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    path = Path("notice") / "demo-notice-2026-application-channels.md"
    _replace_in(workspace["content"] / path, "published: 2026-02-10", "published: 2026-05-20")
    written = quick_rebuild(workspace, caplog, path, ("published",))
    assert {"index.html", "feeds/notice.atom.xml", "feeds/all.atom.xml"} <= set(written), written
    feed = (workspace["out"] / "feeds" / "notice.atom.xml").read_text(encoding="utf-8")
    assert "<updated>2026-05-20T00:00:00+08:00</updated>" in feed.split("<entry>")[0]


@pytest.mark.parametrize("path, old, new, why", [
    (PARTIAL, "published: 2018-04-09", "published: 2019-01-05", "the year published changes"),
    (Path("normative") / "demo-2022-info-service-outlets-amendment.md", "published: 2022-09-09",
     "published: 2022-09-12", "it repeals or amends another document"),
    (Path("normative") / "demo-2023-window-service-rules.md", "published: 2023-06-20", "published: 2023-06-22",
     "it repeals or amends another document"),
], ids=["another year", "an amending document", "a repealing document"])
def test_a_date_of_publication_that_reaches_further_takes_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture, path: Path, old: str, new: str,
        why: str) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    _replace_in(workspace["content"] / path, old, new)
    caplog.clear()
    assert build(workspace).quick is None
    assert any(why in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def test_a_date_of_publication_of_a_document_whose_index_number_is_made_up_takes_the_whole_build(
        workspace: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """Index numbers made up for the documents of a year follow their dates of publication."""
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    file = workspace["content"] / PARTIAL
    text = file.read_text(encoding="utf-8")
    file.write_text("\n".join(line for line in text.split("\n") if not line.startswith("index_number:")),
                    encoding="utf-8")
    build(workspace)
    _replace_in(file, "published: 2018-04-09", "published: 2018-04-11")
    caplog.clear()
    assert build(workspace).quick is None
    assert any("its index number is made up" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def _ledger_rows(workspace: dict[str, Path]) -> list[tuple[str, str, str]]:
    """The ledger view's rows as its CSV file has them: (number, date published, link)."""
    import csv

    text = (workspace["out"] / "ledger" / "ledger.csv").read_text(encoding="utf-8-sig")
    return [(row[0], row[7], row[-1]) for row in list(csv.reader(text.splitlines()))[1:]]


def test_with_the_ledgers_view_a_date_of_publication_moves_its_row(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """The ledger's view lists the documents by date (then id), numbered: the row moves in
    its files and on its page, the rows it passes are numbered again; then back. A notice
    moved further (past four rows), a draft past it, the notice back (past three)."""
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    before = _ledger_rows(workspace)
    link = "documents/demo-2018-fee-reduction-procedure/"
    _replace_in(workspace["content"] / PARTIAL, "published: 2018-04-09", "published: 2018-04-11")
    written = quick_rebuild(workspace, caplog, PARTIAL, ("published",))
    assert {"ledger/ledger.json", "ledger/ledger.csv", "ledger/index.html"} <= set(written), written
    after = _ledger_rows(workspace)
    at = next(i for i, row in enumerate(before) if row[2] == link)
    assert after[at + 1] == (str(at + 2), "2018-04-11", link), "after its interpretation (2018-04-10)"
    assert after[at] == (str(at + 1), *before[at + 1][1:])
    _replace_in(workspace["content"] / PARTIAL, "published: 2018-04-11", "published: 2018-04-09")
    quick_rebuild(workspace, caplog, PARTIAL, ("published",))
    assert _ledger_rows(workspace) == before
    notice = Path("notice") / "demo-notice-2026-application-channels.md"
    _replace_in(workspace["content"] / notice, "published: 2026-02-10", "published: 2026-11-20")
    quick_rebuild(workspace, caplog, notice, ("published",))
    assert _ledger_rows(workspace)[-1][1:] == ("2026-11-20", "documents/demo-notice-2026-application-channels/")
    draft = Path("draft") / "demo-2026-agency-credit-draft.md"
    _replace_in(workspace["content"] / draft, "published: 2026-03-10", "published: 2026-11-21")
    quick_rebuild(workspace, caplog, draft, ("published",))
    _replace_in(workspace["content"] / notice, "published: 2026-11-20", "published: 2026-02-10")  # (back, past three)
    quick_rebuild(workspace, caplog, notice, ("published",))
    rows = [row[1:] for row in _ledger_rows(workspace)]
    assert rows.index(("2026-02-10", "documents/demo-notice-2026-application-channels/")) \
        == [date[:4] for date, _ in rows].index("2026") + 1, "after the annual report of 2026-01-20"


def test_with_the_ledgers_view_an_interpretations_date_follows_in_its_documents_row(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    """The row of the document it interprets lists it with its date; a date that would
    change the auditor's findings (published more than three days after the document)
    takes the whole build."""
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    _replace_in(workspace["content"] / INTERPRETED, "published: 2018-04-10", "published: 2018-04-12")
    quick_rebuild(workspace, caplog, INTERPRETED, ("published",))
    assert "《专利费用减缴请求办理规程》解读（演示）（2018-04-12）" in \
        (workspace["out"] / "ledger" / "ledger.csv").read_text(encoding="utf-8")
    _replace_in(workspace["content"] / INTERPRETED, "published: 2018-04-12", "published: 2018-04-20")
    caplog.clear()
    assert build(workspace).quick is None
    assert any("the auditor's findings on the ledger's page" in message for message in why_not(caplog)), why_not(caplog)
    assert_same_as_full_build(workspace)


def _view_files(tmp_path: Path, rows: list[dict[str, object]]) -> tuple[bytes, bytes]:
    """The ledger view's two files, as the build writes them, of ``rows`` put in order."""
    from disclosure.ledger_views import write_ledger_csv, write_ledger_json

    ordered = sorted(rows, key=lambda row: (row["发布日期"], str(row["链接"]).split("/")[1]))
    numbered = [{"序号": number, **row} for number, row in enumerate(ordered, start=1)]
    write_ledger_json({"as_of": "2026-11-22", "counts": {}, "entries": 0, "head": "", "rows": numbered}, tmp_path / "v.json")
    write_ledger_csv(numbered, tmp_path / "v.csv")
    return (tmp_path / "v.json").read_bytes(), (tmp_path / "v.csv").read_bytes()


def test_a_moved_ledger_row_is_the_row_a_view_written_anew_has(tmp_path: Path) -> None:
    """``reprint_ledger`` then ``move_ledger_row``, for a row given another date at random
    (a title with a comma, an interpretation listed by another row): the files the writers
    write for the rows in their new order, byte for byte, and the rows that change places."""
    import random

    from disclosure_pelican.reprint import move_ledger_row, reprint_ledger

    rng = random.Random(20261125)
    for case in range(150):
        count = rng.randint(1, 12)
        days = [f"2024-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}" for _ in range(count)]
        rows = [{"索引号": f"X/{i}", "标题": f"文件{i}" + ("，附件" if i % 3 == 0 else ""), "发文字号": "", "发文机关": "机关",
                 "类型": "通知公告", "类型代码": "notice", "成文日期": "", "发布日期": day, "公开方式": "主动公开",
                 "有效性": "现行有效", "有效性代码": "effective", "解读": [], "审查": {}, "内容哈希": f"{i:064x}",
                 "链接": f"documents/d{i:02d}/"} for i, day in enumerate(days)]
        moved = rng.randrange(count)
        if count > 1:  # another row lists it as an interpretation
            lister = rng.choice([i for i in range(count) if i != moved])
            rows[lister]["解读"] = [{"发布日期": days[moved], "标题": rows[moved]["标题"], "链接": rows[moved]["链接"]}]
        json_data, csv_data = _view_files(tmp_path, rows)
        new_day = f"2024-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
        if new_day == days[moved]:
            continue
        link = str(rows[moved]["链接"])
        reprinted = reprint_ledger(json_data, csv_data, link, {"published": (days[moved], new_day)})
        assert reprinted is not None, case
        found = move_ledger_row(*reprinted, link, new_day)
        assert found is not None, case
        rows[moved]["发布日期"] = new_day
        for row in rows:
            for item in row["解读"]:  # type: ignore[attr-defined]
                item["发布日期"] = new_day
        assert found[:2] == _view_files(tmp_path, rows), case
        ids = [str(row["链接"]).split("/")[1] for row in sorted(rows, key=lambda row: (row["发布日期"], row["链接"]))]
        move = found[2]
        assert ids[move.first:move.first + len(move.after)] == list(move.after), case
        assert sorted(move.before) == sorted(move.after) and f"d{moved:02d}" in move.after, case


def test_a_row_next_to_a_withdrawn_item_is_not_moved(tmp_path: Path) -> None:
    """A withdrawn item's row has no link (nor marks on the page), and its id, which orders
    the rows of a day, is not shown: a move that would pass it, or put the row on its day,
    is declined (the whole build runs); a move that stops beside it on another day is made."""
    from disclosure_pelican.reprint import LedgerMove, move_ledger_row, reprint_ledger

    def row(day: str, link: str) -> dict[str, object]:
        return {"索引号": "", "标题": f"文件{day}", "发文字号": "", "发文机关": "", "类型": "通知公告", "类型代码": "notice",
                "成文日期": "", "发布日期": day, "公开方式": "主动公开", "有效性": "现行有效", "有效性代码": "effective",
                "解读": [], "审查": {}, "内容哈希": "", "链接": link}

    rows = [row("2024-01-05", "documents/a/"), row("2024-01-06", "documents/b/"), row("2024-01-10", ""),
            row("2024-01-20", "documents/c/")]
    numbered = [{"序号": number, **item} for number, item in enumerate(rows, start=1)]
    json_data, csv_data = _view_files_as_written(tmp_path, numbered)

    def moved(link: str, old: str, new: str) -> object:
        reprinted = reprint_ledger(json_data, csv_data, link, {"published": (old, new)})
        assert reprinted is not None
        return move_ledger_row(*reprinted, link, new)

    assert moved("documents/a/", "2024-01-05", "2024-01-15") is None, "past the withdrawn item"
    assert moved("documents/c/", "2024-01-20", "2024-01-08") is None, "past it, the other way"
    assert moved("documents/b/", "2024-01-06", "2024-01-10") is None, "on its day"
    found = moved("documents/a/", "2024-01-05", "2024-01-07")  # (past b, beside it)
    assert found is not None and found[2].after == ("b", "a")  # type: ignore[index]
    found = moved("documents/c/", "2024-01-20", "2024-01-12")  # (beside it, from the other side)
    assert found is not None and found[2] == LedgerMove(3, ("c",), ("c",))  # type: ignore[index]


def _view_files_as_written(tmp_path: Path, rows: list[dict[str, object]]) -> tuple[bytes, bytes]:
    """The ledger view's two files of ``rows`` (numbered, in order) as the writers write them."""
    from disclosure.ledger_views import write_ledger_csv, write_ledger_json

    write_ledger_json({"as_of": "2026-11-22", "counts": {}, "entries": 0, "head": "", "rows": rows}, tmp_path / "w.json")
    write_ledger_csv(rows, tmp_path / "w.csv")
    return (tmp_path / "w.json").read_bytes(), (tmp_path / "w.csv").read_bytes()
