"""The rebuild after an edit of a document's date of expiry (``disclosure_pelican.restatus``):
its status on the build date moves (in force → expired and back), the document moves
between the lists of the two statuses and in or out of the register, every page that
shows its status follows, and the output is byte for byte a whole build's; an edit that
an annual report's figures or the ledger's view would show runs the whole build."""

from __future__ import annotations

import logging
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
PILOT = Path("normative") / "demo-2019-fast-resolution-pilot.md"
"""The one document of the content that has expired."""


def quick_rebuild(workspace: dict[str, Path], caplog: pytest.LogCaptureFixture, path: Path) -> list[str]:
    caplog.clear()
    result = build(workspace)
    assert result.quick is not None, why_not(caplog)
    assert result.quick.reprinted == {(workspace["content"] / path).as_posix(): ("expires",)}
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


def test_with_the_ledgers_view_an_expiry_edit_takes_the_whole_build(
        with_ledger: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    workspace = with_ledger
    caplog.set_level(logging.DEBUG, logger=quick.__name__)
    build(workspace)
    _replace_in(workspace["content"] / NORMATIVE, "effective: 2016-09-29\n", "effective: 2016-09-29\nexpires: 2026-06-30\n")
    assert build(workspace).quick is None
    assert any("the ledger's view shows the documents' statuses" in message for message in why_not(caplog))
    assert_same_as_full_build(workspace)


def _entry(record: object, expires: str | None) -> DocEntry:
    return DocEntry("gf-2016-55", record.signature, "", (), 0, {} if expires is None else {"expires": expires})  # type: ignore[attr-defined]


@pytest.mark.parametrize("before, after, found", [
    ("", "expires: 2026-06-30\n", (None, "2026-06-30")),
    ("expires: 2026-06-30\n", "expires: 2027-01-01\n", ("2026-06-30", "2027-01-01")),
    ("expires: 2026-06-30\n", "", ("2026-06-30", None)),
    ("", "expires: 2026-06-30\nstatus_note: 部分\n", None),
    ("", "# a comment\nexpires: 2026-06-30\n", None),
    ("expires: 2026-06-30\n", "expires: 2026-06-30\n", None),
], ids=["given", "changed", "taken away", "with another field", "with another line", "unchanged"])
def test_expiry_changes_are_told_from_other_edits(tmp_path: Path, before: str, after: str,
                                                  found: tuple[str | None, str | None] | None) -> None:
    text = (Path(__file__).parent.parent / "content" / NORMATIVE).read_text(encoding="utf-8")
    file = tmp_path / "gf-2016-55.md"
    old, new = (text.replace("effective: 2016-09-29\n", f"effective: 2016-09-29\n{part}") for part in (before, after))
    file.write_text(old, encoding="utf-8")
    record, _ = read_file(file, file.as_posix())
    entry = _entry(record, before.split(": ")[1].strip() if before else None)
    file.write_text(new, encoding="utf-8")
    edited, _ = read_file(file, file.as_posix())
    changes = restatus.expiry_changes(edited, entry)
    assert changes == (None if found is None else {"expires": found})
