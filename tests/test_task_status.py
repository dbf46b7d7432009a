"""The task status file beside a key points document: read, validated, line-precise."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from disclosure.corpus import load_corpus
from disclosure.records import load_records
from disclosure.task_status import TaskState

from support import CONTENT


def records_of(content: Path):  # type: ignore[no-untyped-def]
    result = load_corpus(content)
    return load_records(content, result.corpus, result.corpus.public(date(2026, 11, 22)), date(2026, 11, 22))


def test_embedded_status_files() -> None:
    records, problems = records_of(CONTENT)
    assert problems == []
    table = records.tasks["sipo-2025-disclosure-keypoints"]
    assert table.counts() == {"not_started": 0, "in_progress": 2, "done": 4}
    assert table.progress[6].evidence == ("sipo-annual-report-2025",)
    assert records.tasks["sipo-2019-disclosure-keypoints"].counts()["not_started"] == 30


def test_bad_status_file_is_reported_with_lines(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "keypoints" / "sipo-2025-disclosure-keypoints.tasks.yml").write_text(
        "1: {status: finished}\n9: {status: done}\n2: {status: done, evidence: [no-such-doc]}\n", encoding="utf-8")
    _, problems = records_of(content)
    path = (content / "keypoints" / "sipo-2025-disclosure-keypoints.tasks.yml").as_posix()
    assert [p.format() for p in problems] == [
        f"{path}:1: 1.status: got 'finished' (expected not_started, in_progress or done)",
        f"{path}:2: 9: the document has no task 9 (expected one of 1–6)",
        f"{path}:3: 2.evidence: 'no-such-doc' is not a published document (expected ids of published documents)",
    ]


def test_unparsable_task_is_reported_not_dropped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    doc = content / "keypoints" / "sipo-2025-disclosure-keypoints.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("（办公室负责）\n\n## 二", "\n\n## 二"), encoding="utf-8")
    records, problems = records_of(content)
    task_line = next(n for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("3. "))
    assert len(records.tasks["sipo-2025-disclosure-keypoints"].breakdown.tasks) == 6
    assert len(problems) == 1 and problems[0].line == task_line and "task 3" in problems[0].message
    assert TaskState("done") is TaskState.DONE
