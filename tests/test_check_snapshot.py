"""The remembered check (disclosure.check): after any edit, the problems it reports are
exactly those of a whole check without a cache, in the same order; it answers from the
snapshot only when no rule across documents can see the edit."""

from __future__ import annotations

import os
import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from disclosure import check
from disclosure.check import CheckResult, check_content
from disclosure.config import SiteConfig

from support import CONTENT, ROOT

AS_OF = date(2026, 11, 22)
CONFIG = SiteConfig(organ_code="SIPO-DEMO")

REFS_DOC = """---
id: demo-refs
type: notice
title: 引用测试（演示）
issuer: 测试机关
published: 2024-03-01
disclosure: proactive
review:
  by: 审查员
  date: 2024-02-25
  result: passed
---

第一段，没有引用。

见[不存在的文件](doc:no-such-document)。

依据国知发管字〔2099〕1号办理。

[甲](doc:missing-one)与[乙](doc:missing-two)同在一行。

末段。
"""


@pytest.fixture
def site(tmp_path: Path) -> dict[str, Path]:
    """A copy of the embedded content and its ledger, plus a document whose body has
    problems at the lines of its references (unknown links, a cited number the corpus lacks)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copytree(ROOT / "ledger", tmp_path / "ledger")
    (content / "notice" / "demo-refs.md").write_text(REFS_DOC, encoding="utf-8")
    return {"content": content, "cache": tmp_path / ".cache"}


def remembered(site: dict[str, Path], config: SiteConfig = CONFIG, as_of: date = AS_OF) -> CheckResult:
    """A check with the cache, asserted equal to a whole check without one."""
    result = check_content(site["content"], config, as_of, site["cache"])
    whole = check_content(site["content"], config, as_of, None)
    assert result.problems == whole.problems
    assert result.files == whole.files
    return result


def edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite ``path`` with ``change(text)``; its modification time surely moves."""
    before = path.stat().st_mtime_ns
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the edit must change the file"
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def lines_of(result: CheckResult, name: str) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in result.problems if p.path.endswith(name)]


def test_a_body_edit_is_answered_from_the_snapshot(site: dict[str, Path]) -> None:
    assert remembered(site).changed is None  # the first check is whole
    assert remembered(site).changed == 0
    edit(site["content"] / "notice" / "demo-notice-2025-holiday-service.md", lambda t: t + "\n增补一句。\n")
    assert remembered(site).changed == 1


def test_problems_at_reference_lines_follow_the_edit(site: dict[str, Path]) -> None:
    doc = site["content"] / "notice" / "demo-refs.md"
    before = remembered(site)
    edit(doc, lambda t: t.replace("第一段，没有引用。", "第一段，没有引用。\n\n新增的两行。"))
    after = remembered(site)
    assert after.changed == 1
    moved = [(line + 2 if line is not None and line > 14 else line, message) for line, message in lines_of(before, "demo-refs.md")]
    assert lines_of(after, "demo-refs.md") == moved
    assert any("no-such-document" in message for _, message in moved), "the document has problems at its links"

def test_the_snapshot_is_kept_until_enough_files_changed(site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A check answered from the snapshot does not write it again (the next check reads
    the edited files again) until ``RESAVE_AFTER`` files changed since it."""
    monkeypatch.setattr(check, "RESAVE_AFTER", 2)
    remembered(site)
    (snapshot,) = site["cache"].glob("check-*.snapshot")
    saved = snapshot.read_bytes()
    edit(site["content"] / "notice" / "demo-notice-2025-holiday-service.md", lambda t: t + "\n增补一句。\n")
    assert remembered(site).changed == 1
    assert remembered(site).changed == 1, "the same file read again"
    assert snapshot.read_bytes() == saved
    edit(site["content"] / "notice" / "demo-refs.md", lambda t: t + "\n再补一句。\n")
    assert remembered(site).changed == 2
    assert snapshot.read_bytes() != saved
    assert remembered(site).changed == 0, "the snapshot saved remembers both edits"


def test_a_body_edit_leaves_the_rules_on_numbers_unread(site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """With every changed file's signature the same, the numbers and the cited numbers are
    the same: the problems those rules found only follow the lines (a cited number the
    corpus lacks, two lines lower), without unpickling what they read."""
    remembered(site)

    def not_read(numbered: bytes) -> None:
        raise AssertionError("the rules on numbers read again")

    monkeypatch.setattr(check, "_unpickled", not_read)
    doc = site["content"] / "notice" / "demo-refs.md"
    before = [line for line, message in lines_of(remembered(site), "demo-refs.md") if "〔2099〕1号" in message]
    edit(doc, lambda t: t.replace("第一段，没有引用。", "第一段，没有引用。\n\n新增的两行。"))
    after = remembered(site)
    assert after.changed == 1
    assert [line for line, message in lines_of(after, "demo-refs.md") if "〔2099〕1号" in message] == [before[0] + 2]


def test_a_saved_snapshot_holds_the_lines_of_the_numbers_its_edits_moved(site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Body edits answered without the rules on numbers, then saved (``RESAVE_AFTER`` 1):
    what those rules read is updated with the lines, so a number edit after them, which
    applies the rules again, places the cited number's problem at its new line."""
    monkeypatch.setattr(check, "RESAVE_AFTER", 1)
    remembered(site)
    edit(site["content"] / "notice" / "demo-refs.md", lambda t: t.replace("第一段，没有引用。", "第一段，没有引用。\n\n新增的两行。"))
    assert remembered(site).changed == 1
    edit(site["content"] / NUMBERED, _renumber("国知发演字〔2020〕914号"))
    after = remembered(site)  # (equal to the whole check's problems: asserted there)
    assert after.changed == 1
    assert any("〔2099〕1号" in message for _, message in lines_of(after, "demo-refs.md"))



@pytest.mark.parametrize("name, path, change", [
    # its index number is provisional: giving it one (dataclasses.replace) reads every field
    ("a title a rule reads", "notice/demo-refs.md", lambda t: t.replace("title: 引用测试", "title: 引用测验")),
    ("a front-matter line added", "notice/demo-refs.md", lambda t: t.replace("type: notice", "type: notice\ntopic: 测试")),
    ("a link's target", "notice/demo-refs.md", lambda t: t.replace("doc:no-such-document", "doc:sipo-2017-42")),
    ("a cited number", "notice/demo-refs.md", lambda t: t.replace("〔2099〕1号", "〔2099〕2号")),
    ("a reference added", "notice/demo-refs.md", lambda t: t + "\n又见[另一件](doc:missing-three)。\n"),
    ("references sharing a line split", "notice/demo-refs.md", lambda t: t.replace("与[乙]", "\n\n与[乙]")),
    ("disclosure", "notice/demo-refs.md", lambda t: t.replace("disclosure: proactive", "disclosure: on_request")),
    ("a relation", "notice/demo-refs.md", lambda t: t.replace("disclosure: proactive", "interprets: [nothing-here]\ndisclosure: proactive")),
    ("broken YAML", "notice/demo-refs.md", lambda t: t.replace("title: 引用测试", "title: [引用测试")),
])
def test_edits_other_documents_can_see_run_the_whole_check(site: dict[str, Path], name: str, path: str, change) -> None:  # type: ignore[no-untyped-def]
    remembered(site)
    edit(site["content"] / path, change)
    assert remembered(site).changed is None, name
    assert remembered(site).changed == 0, "and the next check answers from the new snapshot"


RECORD_EDITS = [
    ("an annual report's narrative", "annual_report/sipo-annual-report-2025.md", lambda t: t + "\n补充说明。\n"),
    ("a key points task", "keypoints/sipo-2025-disclosure-keypoints.md", lambda t: t.replace("（办公室负责）\n\n## 二", "\n\n## 二")),
]


@pytest.mark.parametrize("name, path, change", RECORD_EDITS)
def test_edits_the_records_read_run_the_whole_check(site: dict[str, Path], name: str, path: str, change) -> None:  # type: ignore[no-untyped-def]
    """The records (reports, task tables) are checked when the documents are valid: then they read these bodies."""
    (site["content"] / "notice" / "demo-refs.md").unlink()  # its unknown links are errors
    remembered(site)
    edit(site["content"] / path, change)
    assert remembered(site).changed is None, name
    assert remembered(site).changed == 0


@pytest.mark.parametrize("name, path, change", RECORD_EDITS)
def test_with_errors_elsewhere_the_records_are_not_read(site: dict[str, Path], name: str, path: str, change) -> None:  # type: ignore[no-untyped-def]
    """Content with errors is not checked against its records, so nothing reads these bodies: answered from the snapshot."""
    remembered(site)
    edit(site["content"] / path, change)
    assert remembered(site).changed == 1, name


def test_a_broken_file_that_is_fixed_runs_the_whole_check(site: dict[str, Path]) -> None:
    doc = site["content"] / "notice" / "demo-refs.md"
    remembered(site)
    edit(doc, lambda t: t.replace("published: 2024-03-01", "published: 2024-02-30"))
    assert remembered(site).changed is None
    edit(doc, lambda t: t.replace("published: 2024-02-30", "published: 2024-03-01"))
    assert remembered(site).changed is None


def test_files_added_or_removed_run_the_whole_check(site: dict[str, Path]) -> None:
    remembered(site)
    added = site["content"] / "notice" / "demo-refs-copy.md"
    added.write_text(REFS_DOC.replace("id: demo-refs", "id: demo-refs-copy"), encoding="utf-8")
    assert remembered(site).changed is None
    added.unlink()
    assert remembered(site).changed is None


@pytest.mark.parametrize("path", ["../ledger/ledger.jsonl", "data/annual/2025/figures.yml",
                                  "keypoints/sipo-2025-disclosure-keypoints.tasks.yml"])
def test_a_changed_record_file_runs_the_whole_check(site: dict[str, Path], path: str) -> None:
    remembered(site)
    target = site["content"] / path
    assert target.is_file()
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert remembered(site).changed is None


def test_other_settings_dates_and_code_run_the_whole_check(site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    remembered(site)
    assert remembered(site, as_of=date(2026, 11, 23)).changed is None
    assert remembered(site, config=SiteConfig(organ_code="OTHER")).changed is None
    remembered(site)
    monkeypatch.setattr(check, "source_digest", lambda packages: "another version of the checks")
    assert remembered(site).changed is None


def test_an_upgraded_yaml_parser_runs_the_whole_check(site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    remembered(site)
    assert remembered(site).changed == 0
    monkeypatch.setattr(check, "installed_stamp", lambda names: "another release of the parsers")
    assert remembered(site).changed is None


def test_the_installed_stamp_changes_when_a_package_is_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade rewrites the package's ``__init__.py`` (which names its version)."""
    from disclosure.keyed_store import installed_stamp

    package = tmp_path / "fake_parser" / "__init__.py"
    package.parent.mkdir()
    package.write_text("__version__ = '1.0'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = installed_stamp(["fake_parser"])
    assert str(package) in before
    package.write_text("__version__ = '1.0.1'\n", encoding="utf-8")
    assert installed_stamp(["fake_parser"]) != before
    assert installed_stamp(["no_such_parser", "no_such.module"]).count("-") >= 4  # absent: a stamp, not an error


def test_a_damaged_snapshot_is_a_whole_check(site: dict[str, Path]) -> None:
    remembered(site)
    (snapshot,) = site["cache"].glob("check-*.snapshot")
    snapshot.write_bytes(b"not a snapshot")
    assert remembered(site).changed is None
    assert remembered(site).changed == 0


def test_random_body_edits_match_the_whole_check(site: dict[str, Path]) -> None:
    """Lines put into or taken out of bodies anywhere, over every document: whichever way
    the check answers, its problems are those of a whole check."""
    rng = random.Random(20261123)
    documents = sorted(site["content"].rglob("*.md"))
    documents = [d for d in documents if "data" not in d.relative_to(site["content"]).parts and d.name != "README.md"]
    remembered(site)
    answered = 0
    for step in range(40):
        doc = rng.choice(documents)
        text = doc.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        lines = body.split("\n")
        at = rng.randrange(len(lines) + 1)
        if rng.random() < 0.3 and len(lines) > 3 and lines[min(at, len(lines) - 1)].strip() == "":
            del lines[min(at, len(lines) - 1)]
        else:
            lines[at:at] = ["", f"随机插入的第{step}段。"]
        edit(doc, lambda _: head + "\n---\n" + "\n".join(lines))
        answered += remembered(site).changed is not None
    assert answered > 10, "most body edits are answered from the snapshot"


HOLIDAY = "notice/demo-notice-2025-holiday-service.md"


@pytest.mark.parametrize("name, change", [
    ("title", lambda t: t.replace("业务受理窗口服务安排", "业务受理窗口服务时间安排")),
    ("topic added on the title's line", lambda t: t.replace("\ntitle: ", "\ntopic: 政务服务\ntitle: ", 1).replace(
        "\ntype: notice\n", "\ntype: notice\n", 1)),
])
def test_a_front_matter_edit_no_rule_reads_is_answered_from_the_snapshot(site: dict[str, Path], name: str, change) -> None:  # type: ignore[no-untyped-def]
    remembered(site)
    doc = site["content"] / HOLIDAY
    edit(doc, change)
    result = remembered(site)
    if name == "title":
        assert result.changed == 1
    else:  # a line added above the body moves every line after it: the whole check reads the references' lines
        assert result.changed is None


@pytest.mark.parametrize("name, path, change", [
    ("disclosure", HOLIDAY, lambda t: t.replace("disclosure: proactive", "disclosure: on_request\ndisclosure_basis: 测试")),
    # the repealed document (2015) becomes the later one: an error at the repealing document
    ("a publication date", "normative/demo-2023-window-service-rules.md",
     lambda t: t.replace("published: 2023-06-20", "published: 2014-06-20")),
    ("a status", HOLIDAY, lambda t: t.replace("\ntitle: ", "\nstatus: repealed\ntitle: ", 1)),
])
def test_a_front_matter_edit_a_rule_reads_runs_the_whole_check(site: dict[str, Path], name: str, path: str, change) -> None:  # type: ignore[no-untyped-def]
    remembered(site)
    edit(site["content"] / path, change)
    assert remembered(site).changed is None, name


REVISED = "regulation/demo-patent-agency-supervision-rule"


@pytest.mark.parametrize("name, path, change", [
    ("the latest version's change note", "v2.md", lambda t: t.replace("change_note: 根据", "change_note: 依据")),
    ("the latest version's title (the document's)", "v2.md",
     lambda t: t.replace("title: 专利代理监督检查规定（演示）", "title: 专利代理监督检查规定（演示稿）")),
    ("the first version's title (every version's meta holds its values)", "v1.md",
     lambda t: re.sub(r"(?m)^title: (.*)$", r"title: \1甲", t, count=1)),
])
def test_a_versions_front_matter_edit_no_rule_reads_is_answered_from_the_snapshot(site: dict[str, Path], name: str, path: str,
                                                                                 change) -> None:  # type: ignore[no-untyped-def]
    """A version in a folder makes its document with the folder's other files: the document
    is made again with them as the whole check read them, and each changed attribute is
    looked up in the reads of the file it belongs to."""
    remembered(site)
    edit(site["content"] / REVISED / path, change)
    assert remembered(site).changed == 1, name


@pytest.mark.parametrize("name, path, change", [
    ("the latest version's publication date (read of every version)", "v2.md",
     lambda t: t.replace("published: 2024-09-18", "published: 2024-09-19")),
    ("the first version's disclosure", "v1.md",
     lambda t: t.replace("disclosure: proactive", "disclosure: on_request\ndisclosure_basis: 测试")),
])
def test_a_versions_front_matter_edit_a_rule_reads_runs_the_whole_check(site: dict[str, Path], name: str, path: str,
                                                                        change) -> None:  # type: ignore[no-untyped-def]
    remembered(site)
    edit(site["content"] / REVISED / path, change)
    assert remembered(site).changed is None, name


def test_both_versions_edited_run_the_whole_check(site: dict[str, Path]) -> None:
    """The other version's file is no longer what the whole check read."""
    remembered(site)
    edit(site["content"] / REVISED / "v2.md", lambda t: t.replace("change_note: 根据", "change_note: 依据"))
    edit(site["content"] / REVISED / "v1.md", lambda t: re.sub(r"(?m)^title: (.*)$", r"title: \1甲", t, count=1))
    assert remembered(site).changed is None


def test_without_the_reads_an_edit_a_rule_reads_would_be_answered_wrongly(site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast answer rests on the reads noted: with none noted, an edit a rule does read
    (a repealed document no longer public, which its public repealer names) would be
    answered from the snapshot, and wrongly."""
    from contextlib import contextmanager
    from collections import defaultdict

    @contextmanager
    def noting_nothing():  # type: ignore[no-untyped-def]
        yield defaultdict(set)

    monkeypatch.setattr(check, "recording_reads", noting_nothing)
    monkeypatch.setattr(check, "ALWAYS_READ", frozenset())
    check_content(site["content"], CONFIG, AS_OF, site["cache"])
    edit(site["content"] / "normative" / "demo-2015-window-service-rules.md",
         lambda t: t.replace("disclosure: proactive", "disclosure: on_request\ndisclosure_basis: 测试"))
    fast = check_content(site["content"], CONFIG, AS_OF, site["cache"])
    whole = check_content(site["content"], CONFIG, AS_OF, None)
    assert fast.changed == 1 and fast.problems != whole.problems


NUMBERED = "normative/demo-2020-info-service-outlets.md"


def _renumber(number: str):  # type: ignore[no-untyped-def]
    return lambda t: re.sub(r"(?m)^doc_number: .*$", f"doc_number: {number}", t, count=1)


@pytest.mark.parametrize("name, number, appears", [
    ("a new number", "国知发演字〔2020〕914号", None),
    ("another document's number", "国知发演字〔2015〕901号", "is already used by"),
    ("a number another document cites", "国知发管字〔2099〕1号", None),
])
def test_a_number_edit_is_answered_from_the_snapshot(site: dict[str, Path], name: str, number: str, appears: str | None) -> None:
    """Every document's number is read by two rules (each number once; a cited number is
    looked up): they are applied again to the remembered numbers and the edited one."""
    before = remembered(site)
    assert any("cites 国知发管字〔2099〕1号" in p.message for p in before.problems)
    edit(site["content"] / NUMBERED, _renumber(number))
    after = remembered(site)
    assert after.changed == 1, name
    messages = [p.message for p in after.problems if p.path.endswith(NUMBERED)]
    assert any(appears in m for m in messages) if appears else not any("already used" in m for m in messages)
    cited = any("cites 国知发管字〔2099〕1号" in p.message for p in after.problems)
    assert cited == (number != "国知发管字〔2099〕1号")
    edit(site["content"] / NUMBERED, _renumber("国知发演字〔2020〕904号"))
    assert remembered(site).changed == 1, "and back"
    assert remembered(site).problems == before.problems


def test_numbers_removed_added_and_moved_down_match_the_whole_check(site: dict[str, Path]) -> None:
    remembered(site)
    doc = site["content"] / NUMBERED
    edit(doc, lambda t: re.sub(r"(?m)^doc_number: .*\n", "", t, count=1))
    remembered(site)
    edit(doc, lambda t: t.replace("\ntitle: ", "\ndoc_number: 国知发演字〔2015〕901号\ntitle: ", 1))
    assert any(p.message.endswith("is already used by " + (site["content"] / "normative" / "demo-2015-window-service-rules.md").as_posix())
               for p in remembered(site).problems)


def test_a_number_a_stated_status_quotes_runs_the_whole_check(site: dict[str, Path]) -> None:
    """A repealed document stated to be in force: the error quotes the repealing document's
    number, so that number is read by a rule beyond the two on numbers."""
    repealed = site["content"] / "normative" / "demo-2015-window-service-rules.md"
    edit(repealed, lambda t: t.replace("\ntitle: ", "\nstatus: effective\ntitle: ", 1))
    result = remembered(site)
    assert any("国知发演字〔2023〕906号" in p.message for p in result.problems if p.field == "status")
    edit(site["content"] / "normative" / "demo-2023-window-service-rules.md", _renumber("国知发演字〔2023〕916号"))
    result = remembered(site)
    assert result.changed is None
    assert any("国知发演字〔2023〕916号" in p.message for p in result.problems if p.field == "status")


def test_random_front_matter_edits_match_the_whole_check(site: dict[str, Path]) -> None:
    """Fields changed at random in random documents (titles, keywords, notes, dates,
    statuses, numbers, disclosure, relations): whichever way the check answers, its
    problems are those of a whole check."""
    rng = random.Random(20261124)
    documents = sorted(site["content"].rglob("*.md"))
    documents = [d for d in documents if "data" not in d.relative_to(site["content"]).parts and d.name != "README.md"]
    changes = [
        lambda t, n: re.sub(r"(?m)^(title: .*?)(（演示）)?$", lambda m: f"{m.group(1)}第{n}稿{m.group(2) or ''}", t, count=1),
        lambda t, n: re.sub(r"(?m)^title_en: .*$", f"title_en: Draft {n}", t, count=1),
        lambda t, n: re.sub(r"(?m)^topic: .*$", f"topic: 专题{n % 3}", t, count=1),
        lambda t, n: re.sub(r"(?m)^(published: \d{4}-\d{2}-)(\d{2})$", lambda m: f"{m.group(1)}{1 + n % 28:02d}", t, count=1),
        lambda t, n: re.sub(r"(?m)^(effective: \d{4}-\d{2}-)(\d{2})$", lambda m: f"{m.group(1)}{1 + n % 28:02d}", t, count=1),
        lambda t, n: re.sub(r"(?m)^doc_number: (.*?)(\d+)号$", lambda m: f"doc_number: {m.group(1)}{int(m.group(2)) + 1}号", t, count=1),
        lambda t, n: re.sub(r"(?m)^status_note: .*$", f"status_note: 说明{n}", t, count=1),
        lambda t, n: re.sub(r"(?m)^disclosure: proactive$", "disclosure: on_request\ndisclosure_basis: 测试", t, count=1),
        lambda t, n: re.sub(r"(?m)^  result: passed$", "  result: failed", t, count=1),
        lambda t, n: re.sub(r"(?m)^(type: .*)$", lambda m: f"{m.group(1)}\nrepeals: [sipo-2017-42]", t, count=1),
        lambda t, n: re.sub(r"(?m)^(type: .*)$", lambda m: f"{m.group(1)}\nstatus: effective", t, count=1),
        lambda t, n: re.sub(r"(?m)^(  - )(.*)$", lambda m: f"{m.group(1)}{m.group(2)}{n}", t, count=1),  # a list item: issuer, keyword
    ]
    remembered(site)
    answered = tried = 0
    for step in range(60):
        doc = rng.choice(documents)
        change = rng.choice(changes)
        text = doc.read_text(encoding="utf-8")
        if change(text, step) == text:
            continue
        tried += 1
        edit(doc, lambda t: change(t, step))
        answered += remembered(site).changed is not None
    assert tried > 30
    assert answered > 3, "some edits touch only fields no rule read"


def test_random_number_edits_in_a_generated_corpus_match_the_whole_check(tmp_path: Path) -> None:
    """Document numbers changed at random in a generated corpus, whose bodies cite many
    numbers (bench/generate_corpus.py): to another document's, to one a body cites, to a
    new one, or removed. Whichever way the check answers, its problems are those of a
    whole check; most are answered from the snapshot."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    content = tmp_path / "corpus"
    generate_corpus.generate(150, 11, content)
    site = {"content": content, "cache": tmp_path / ".cache"}
    documents = [p for p in sorted(content.rglob("*.md")) if not re.fullmatch(r"v\d+\.md", p.name)
                 and re.search(r"(?m)^doc_number: ", p.read_text(encoding="utf-8"))]
    numbers = sorted({m for p in documents for m in re.findall(r"(?m)^doc_number: (.*)$", p.read_text(encoding="utf-8"))})
    cited = sorted({m for p in sorted(content.rglob("*.md")) for m in re.findall(r"[\u4e00-\u9fff]{2,8}〔\d{4}〕\d+号",
                                                                                   p.read_text(encoding="utf-8").split("\n---\n", 1)[-1])})
    assert len(documents) > 40 and len(cited) > 10
    rng = random.Random(20261123)
    remembered(site)
    answered = 0
    for step in range(30):
        doc = rng.choice(documents)
        choice = rng.random()
        if choice < 0.3:
            number = rng.choice(numbers)
        elif choice < 0.6:
            number = rng.choice(cited)
        elif choice < 0.9:
            number = f"国知发测字〔2030〕{step + 1}号"
        else:
            number = None
        text = doc.read_text(encoding="utf-8")
        changed = (re.sub(r"(?m)^doc_number: .*$", f"doc_number: {number}", text, count=1) if number
                   else re.sub(r"(?m)^doc_number: .*\n", "", text, count=1))
        if changed == text:
            continue
        edit(doc, lambda _: changed)
        answered += remembered(site).changed is not None
    assert answered > 10, "most number edits are answered from the snapshot"
