"""Tests for disclosure.tasks: the task breakdown of 政务公开工作要点 documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.tasks import (
    CSV_HEADER,
    ENGLISH_DEPARTMENTS,
    Task,
    TaskBreakdown,
    TaskProblem,
    department_view,
    find_deadline,
    normalise_department,
    parse_responsibility,
    parse_tasks,
    to_csv_rows,
    to_simplified,
)

CORPUS = Path(__file__).parent / "corpora" / "tasks"
SEEDS = Path("/work/shared/seeds")


def _read_body(path: Path) -> tuple[str, int]:
    """Return (body, file line of the body's first line) of a front-matter file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---"
    close = lines.index("---", 1)
    return "\n".join(lines[close + 1 :]), close + 2


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not available ({SEEDS} does not exist)")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return found[0].read_text(encoding="utf-8")


def _one(clause: str) -> Task:
    result = parse_tasks(f"1. 一项任务。{clause}")
    assert result.problems == []
    assert len(result.tasks) == 1
    return result.tasks[0]


# --------------------------------------------------------------------------- grammar

GRAMMAR = [
    # (clause, lead, responsible, supervising)
    ("（办公室负责）", [], ["办公室"], []),
    ("(办公室负责)", [], ["办公室"], []),
    ("（办公室牵头负责）", ["办公室"], [], []),
    ("（政策牵头起草部门负责，办公室督促落实）", [], ["政策牵头起草部门"], ["办公室"]),
    ("(政策牵头起草部门负责,办公室督促落实)", [], ["政策牵头起草部门"], ["办公室"]),
    ("（办公室负责督促落实，条法司负责）", [], ["条法司"], ["办公室"]),
    (
        "（办公室、条法司、保护司、运用促进司、复审和无效审理部、商标局按职责分工负责）",
        [],
        ["办公室", "条法司", "保护司", "运用促进司", "复审和无效审理部", "商标局"],
        [],
    ),
    ("（公共服务司牵头，办公室、保护司按职责分工负责）", ["公共服务司"], ["办公室", "保护司"], []),
    ("（办公室牵头负责，公共服务司、商标局按职责分工负责）", ["办公室"], ["公共服务司", "商标局"], []),
    ("（责任部门：公共服务司、人事司）", [], ["公共服务司", "人事司"], []),
    ("(责任部门:公共服务司、人事司)", [], ["公共服务司", "人事司"], []),
    ("（责任部门：公共服务司，人事司）", [], ["公共服务司", "人事司"], []),
    ("(責任部門:公共服務司、複審無效部、地方知識產權局)", [], ["公共服务司", "复审无效部", "地方知识产权局"], []),
    ("(責任部門:智慧財產權發展研究中心)", [], ["知识产权发展研究中心"], []),
    ("（牵头部门：办公室；责任部门：条法司）", ["办公室"], ["条法司"], []),
    ("（办公室（宣传处）、条法司按职责分工负责）", [], ["办公室（宣传处）", "条法司"], []),
    ("（办公室（宣传处、新闻处）负责）", [], ["办公室（宣传处、新闻处）"], []),
    ("（办公室牵头负责，人事司、人教部和商标局负责新录用人员培训）", ["办公室"], ["人事司", "人教部", "商标局"], []),
    ("（办公室，条法司按职责分工负责）", [], ["办公室", "条法司"], []),
    ("（各有关部门单位按职责分工负责）", [], ["各有关部门单位"], []),
    (
        "（甲事务由审业部牵头负责，文献部、自动化部按职责分工负责；乙事务由商标局负责；"
        "丙事项由办公室牵头负责，公共服务司、审业部按职责分工负责）",
        ["审业部", "办公室"],
        ["文献部", "自动化部", "商标局", "公共服务司"],
        [],
    ),
    ("（条法司、办公室按职责分工负责）。", [], ["条法司", "办公室"], []),
    # English forms of the 2022 translation
    ("(The policy drafting department is responsible for this)", [], ["policy drafting department"], []),
    ("(Office responsible)", [], ["Office"], []),
    (
        "(The Application Promotion Department and the Training Center are responsible "
        "according to the division of responsibilities)",
        [],
        ["Application Promotion Department", "Training Center"],
        [],
    ),
    (
        "(The Treaty and Law Department and the Office are responsible according to the "
        "division of responsibilities)",
        [],
        ["Treaty and Law Department", "Office"],
        [],
    ),
    (
        "(The office takes the lead, and the Legal Affairs Department, the Public Service "
        "Department, and the Human Resources Department are responsible according to the "
        "division of responsibilities)",
        ["office"],
        ["Legal Affairs Department", "Public Service Department", "Human Resources Department"],
        [],
    ),
    (
        "(The Public Service Department takes the lead, and the Office, Review and "
        "Invalidation Department, and Trademark Office are responsible according to the "
        "division of responsibilities)",
        ["Public Service Department"],
        ["Office", "Review and Invalidation Department", "Trademark Office"],
        [],
    ),
    (
        "(Government information development departments, offices, and treaty and law "
        "departments are responsible according to the division of responsibilities)",
        [],
        ["Government information development departments", "offices", "treaty and law departments"],
        [],
    ),
    (
        "(The office takes the lead, and relevant departments and units are responsible "
        "according to the division of responsibilities)",
        ["office"],
        ["relevant departments and units"],
        [],
    ),
    ("(The Office is responsible, and the Office supervises the implementation)", [], ["Office"], ["Office"]),
]


@pytest.mark.parametrize(("clause", "lead", "responsible", "supervising"), GRAMMAR)
def test_clause_grammar(clause: str, lead: list[str], responsible: list[str], supervising: list[str]) -> None:
    task = _one(clause)
    assert (task.lead, task.responsible, task.supervising) == (lead, responsible, supervising)
    assert task.text == "一项任务。"


@pytest.mark.parametrize(("clause", "lead", "responsible", "supervising"), GRAMMAR[:6])
def test_parse_responsibility_matches_parse_tasks(
    clause: str, lead: list[str], responsible: list[str], supervising: list[str]
) -> None:
    inner = clause.strip("。")[1:-1]
    assert parse_responsibility(inner) == (lead, responsible, supervising)


def test_lead_and_responsible_never_overlap() -> None:
    task = _one("（甲事项由审业部牵头负责；乙事项由办公室牵头负责，审业部、文献部按职责分工负责）")
    assert task.lead == ["审业部", "办公室"]
    assert task.responsible == ["文献部"]
    assert task.departments == ["审业部", "办公室", "文献部"]


@pytest.mark.parametrize(
    "line",
    [
        "1. 任务。（办公室负责）",
        "1．任务。（办公室负责）",
        "1、任务。（办公室负责）",
        "1.任务。（办公室负责）",
        "1\\. 任务。（办公室负责）",
        "**1.** 任务。（办公室负责）",
        "  1. 任务。（办公室负责）",
    ],
)
def test_task_markers(line: str) -> None:
    result = parse_tasks(f"## 一、部分\n\n{line}\n")
    assert [(t.number, t.text, t.responsible, t.line) for t in result.tasks] == [(1, "任务。", ["办公室"], 3)]
    assert result.tasks[0].part == "部分"
    assert result.problems == []


@pytest.mark.parametrize(
    ("heading", "number", "text"),
    [
        ("## 一、着眼稳定预期", 1, "着眼稳定预期"),
        ("一、着眼稳定预期", 1, "着眼稳定预期"),
        ("**十二、第十二部分**", 12, "第十二部分"),
        ("# 二十一．二十一部分", 21, "二十一部分"),
    ],
)
def test_part_headings(heading: str, number: int, text: str) -> None:
    result = parse_tasks(f"{heading}\n### （十四）小节\n1. 任务（办公室负责）")
    task = result.tasks[0]
    assert (task.part_number, task.part, task.section_number, task.section) == (number, text, 14, "小节")


# --------------------------------------------------------------------------- Markdown fixture


def test_markdown_fixture() -> None:
    body, first = _read_body(CORPUS / "keypoints_markdown.md")
    assert first == 7
    result = parse_tasks(body, first_line=first)
    assert result.problems == []
    assert [t.number for t in result.tasks] == [1, 2, 3, 4, 5, 6]
    assert [t.line for t in result.tasks] == [17, 19, 22, 26, 30, 32]
    assert result.parts == [(1, "第一部分标题"), (2, "第二部分标题")]
    assert result.sections == [(1, 1, "第一小节"), (1, 2, "第二小节")]
    t1, t2, t3, t4, t5, t6 = result.tasks
    assert (t1.responsible, t1.deadline) == (["办公室"], "年底前")
    assert t2.text == "第二项任务的正文，在下一行继续，6月底前完成。"
    assert (t2.lead, t2.responsible, t2.deadline) == (["公共服务司"], ["办公室", "保护司"], "6月底前")
    assert t3.text == "第三项任务，自印发之日起5个工作日内报送。"
    assert (t3.responsible, t3.supervising, t3.deadline) == (["政策牵头起草部门"], ["办公室"], "5个工作日内")
    assert t4.responsible == ["办公室（宣传处）", "条法司"]
    assert (t4.section, t4.section_number) == ("第二小节", 2)
    assert (t5.section, t5.section_number, t5.part_number) == (None, None, 2)
    assert t5.responsible == ["公共服务司", "知识产权发展研究中心", "地方知识产权局"]
    assert t5.deadline == "2022年底前"
    assert (t6.lead, t6.responsible) == (["审业部"], ["初审流程部", "复审和无效审理部", "商标局"])


# --------------------------------------------------------------------------- problems


def test_broken_clauses_reported_with_file_lines() -> None:
    body, first = _read_body(CORPUS / "broken_clause.md")
    result = parse_tasks(body, first_line=first)
    assert [t.number for t in result.tasks] == [1, 2, 3, 5, 5, 6]
    assert result.problems == [
        TaskProblem(
            12,
            "task 2: cannot find the responsible departments "
            "(expected a closing parenthesis like （办公室负责）)",
        ),
        TaskProblem(
            14,
            "task 3: cannot find the responsible departments "
            "(expected a closing parenthesis like （办公室负责）)",
        ),
        TaskProblem(16, "task 5: task numbers jump from task 3 to 5 (missing 4)"),
        TaskProblem(18, "task 5: duplicate task number (first at line 16)"),
        TaskProblem(20, "task 6: cannot tell the role of “详见附件” in the responsibility clause （办公室负责，详见附件）"),
    ]
    broken = result.tasks[1]
    assert (broken.lead, broken.responsible, broken.supervising) == ([], [], [])
    assert broken.text == "这项任务没有责任部门括号。"
    assert result.tasks[2].text == "这项任务的括号不是责任分工。（2020版）"
    assert result.tasks[5].responsible == ["办公室"]
    assert not result.ok


def test_problem_line_uses_first_line_offset() -> None:
    text = "一、部分\n1. 好任务（办公室负责）\n2. 坏任务\n"
    assert parse_tasks(text).problems[0].line == 3
    assert parse_tasks(text, first_line=41).problems[0].line == 43
    assert str(parse_tasks(text, first_line=41).problems[0]).startswith("line 43: task 2:")


@pytest.mark.parametrize(
    ("numbers", "messages"),
    [
        ([1, 2, 3], []),
        ([2, 3], ["task 2: task numbers jump from the start to 2 (missing 1)"]),
        ([1, 2, 5], ["task 5: task numbers jump from task 2 to 5 (missing 3–4)"]),
        ([1, 2, 2, 3], ["task 2: duplicate task number (first at line 4)"]),
        ([1, 3, 2], ["task 3: task numbers jump from task 1 to 3 (missing 2)", "task 2: out of sequence (follows task 3)"]),
    ],
)
def test_sequence_problems(numbers: list[int], messages: list[str]) -> None:
    text = "一、部分\n" + "\n".join(f"{n}. 任务{n}（办公室负责）" for n in numbers)
    result = parse_tasks(text, first_line=2)
    assert [p.message for p in result.problems] == messages
    assert [t.number for t in result.tasks] == numbers


def test_clause_without_department_reported() -> None:
    result = parse_tasks("1. 任务。（办公室督促落实）")
    assert result.tasks[0].supervising == ["办公室"]
    assert [p.message for p in result.problems] == [
        "task 1: the responsibility clause （办公室督促落实） names no lead or responsible department"
    ]


# --------------------------------------------------------------------------- structure


def test_chrome_before_first_part_and_after_body_ignored() -> None:
    text = "\n".join(
        [
            "首页 | 登录",
            "1. 网站导航",
            "2. 联系我们（办公室负责）",
            "一、部分一",
            "1. 任务一（办公室负责）",
            "各部门要抓好落实。",
            "版权所有",
            "3. 页脚里的编号",
        ]
    )
    result = parse_tasks(text)
    assert [(t.number, t.line) for t in result.tasks] == [(1, 5), (3, 8)]
    # a numbered footer line after the body is not silently dropped: it is reported
    assert [p.line for p in result.problems] == [8, 8]


def test_english_scheme_parts_numbered_and_tasks_in_parentheses() -> None:
    text = "\n".join(
        [
            "Home",
            "1. Navigation",
            "Intro paragraph.",
            "1. First part",
            "(1) Do the first thing before the end of 2022. (Office responsible)",
            "(2) Do the second thing. (The Office takes the lead, and the Trademark Office is responsible)",
            "2. Second part",
            "(3) Do the third thing within 5 working days. (The Publishing House is responsible for this)",
            "Closing line.",
        ]
    )
    result = parse_tasks(text)
    assert result.problems == []
    assert [(t.number, t.part_number, t.part, t.line) for t in result.tasks] == [
        (1, 1, "First part", 5),
        (2, 1, "First part", 6),
        (3, 2, "Second part", 8),
    ]
    assert result.tasks[0].deadline == "before the end of 2022"
    assert result.tasks[1].lead == ["Office"]
    assert result.tasks[1].responsible == ["Trademark Office"]
    assert result.tasks[2].deadline == "within 5 working days"


def test_tasks_numbered_with_chinese_parentheses() -> None:
    text = "一、部分\n（一）加强公开。具体内容。（办公室负责）\n（二）加强解读。（条法司负责）\n二、部分二\n（三）第三项。（保护司负责）"
    result = parse_tasks(text)
    assert result.problems == []
    assert [(t.number, t.part_number, t.section) for t in result.tasks] == [(1, 1, None), (2, 1, None), (3, 2, None)]


def test_sub_items_inside_tasks_are_text() -> None:
    text = "一、部分\n1. 任务包括：\n（1）第一点；\n（2）第二点。（办公室负责）\n2. 第二项（条法司负责）"
    result = parse_tasks(text)
    assert result.problems == []
    assert [t.number for t in result.tasks] == [1, 2]
    assert result.tasks[0].text == "任务包括：（1）第一点；（2）第二点。"


def test_heading_task_with_paragraph() -> None:
    text = "## 一、部分\n\n### 1. 任务标题\n\n任务正文，年底前完成。（办公室负责）\n\n### 2. 第二项\n\n正文。（条法司负责）\n"
    result = parse_tasks(text)
    assert result.problems == []
    assert [t.text for t in result.tasks] == ["任务标题 任务正文，年底前完成。", "第二项 正文。"]
    assert result.tasks[0].deadline == "年底前"


def test_text_without_tasks() -> None:
    assert parse_tasks("") == TaskBreakdown([], [])
    assert parse_tasks("只是一段文字。\n没有编号。") == TaskBreakdown([], [])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二、（）()1234.．\n办公室负责牵头 ，,；ab#*-", max_size=200), st.integers(1, 500))
def test_never_raises_and_lines_in_range(text: str, first: int) -> None:
    result = parse_tasks(text, first_line=first)
    last = first + text.count("\n")
    assert all(first <= t.line <= last for t in result.tasks)
    assert all(first <= p.line <= last for p in result.problems)
    for task in result.tasks:
        assert not set(task.lead) & set(task.responsible)


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("年底前完成。", "年底前"),
        ("确保2020年底前实现目标。", "2020年底前"),
        ("2022年底前全面支持IPv6。", "2022年底前"),
        ("到8月底前新增10种数据。", "8月底前"),
        ("6月底前报送。", "6月底前"),
        ("到2021年底，实现全覆盖。", "2021年底"),
        ("于2020年1月5日前报送总结。", "2020年1月5日前"),
        ("印发之日起5个工作日内报送。", "5个工作日内"),
        ("五个工作日内答复。", "五个工作日内"),
        ("印發之日起5個工作日內報送。", "5個工作日內"),
        ("It will be completed by the end of 2022.", "by the end of 2022"),
        ("Before the end of 2022, the site must support IPv6.", "Before the end of 2022"),
        ("Submit within 5 working days from issuance.", "within 5 working days"),
        ("Submit a summary before January 5, 2023.", "before January 5, 2023"),
        ("持续推进相关工作。", None),
        ("2019年经济社会发展总体要求。", None),
    ],
)
def test_deadlines(text: str, deadline: str | None) -> None:
    assert find_deadline(text) == deadline
    result = parse_tasks(f"1. {text}（办公室负责）")
    assert result.tasks[0].deadline == deadline


def test_deadline_not_taken_from_clause() -> None:
    assert _one("（年底前由办公室负责）").deadline is None


# --------------------------------------------------------------------------- views


def _sample() -> list[Task]:
    text = "\n".join(
        [
            "一、部分一",
            "（一）小节一",
            "2. 任务二（条法司负责）",
            "1. 任务一，年底前完成。（办公室牵头，条法司按职责分工负责，保护司督促落实）",
            "3. 任务三（The Office is responsible for this）",
        ]
    )
    return parse_tasks(text).tasks


def test_department_view() -> None:
    view = department_view(_sample())
    assert list(view) == sorted(view)
    assert {k: [t.number for t in v] for k, v in view.items()} == {
        "Office": [3],
        "办公室": [1],
        "条法司": [1, 2],
    }
    normalised = department_view(_sample(), normalise=True)
    assert {k: [t.number for t in v] for k, v in normalised.items()} == {"办公室": [1, 3], "条法司": [1, 2]}


def test_to_csv_rows() -> None:
    rows = to_csv_rows(_sample())
    assert rows[0] == ["序号", "部分", "小节", "任务", "牵头部门", "责任部门", "督促部门", "时限"]
    assert list(CSV_HEADER) == rows[0]
    assert rows[2] == ["1", "部分一", "小节一", "任务一，年底前完成。", "办公室", "条法司", "保护司", "年底前"]
    assert rows[1][4:8] == ["", "条法司", "", ""]
    assert all(len(r) == 8 for r in rows)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("the Office", "办公室"),
        ("offices", "办公室"),
        ("Legal Affairs Department", "条法司"),
        ("treaty and law departments", "条法司"),
        ("Trademark Office", "商标局"),
        ("地方知識產權局", "地方知识产权局"),
        ("智慧財產權公共服務司", "知识产权公共服务司"),
        ("Unknown Department", "Unknown Department"),
    ],
)
def test_normalise_department(name: str, expected: str) -> None:
    assert normalise_department(name) == expected


def test_to_simplified_table() -> None:
    assert to_simplified("責任部門：公共服務司、運用促進司") == "责任部门：公共服务司、运用促进司"


# --------------------------------------------------------------------------- seeds


def test_seed_003_2019_key_points() -> None:
    result = parse_tasks(_seed("003"))
    assert result.problems == []
    assert [t.number for t in result.tasks] == list(range(1, 31))
    assert len(result.parts) == 5
    assert len(result.sections) == 14
    assert [s[1] for s in result.sections] == list(range(1, 15))
    by_number = {t.number: t for t in result.tasks}
    assert by_number[1].responsible == ["政策牵头起草部门"]
    assert by_number[1].supervising == ["办公室"]
    # six names: 复审和无效审理部 is one department, not 复审 + 无效审理部
    assert by_number[5].responsible == ["办公室", "条法司", "保护司", "运用促进司", "复审和无效审理部", "商标局"]
    assert (by_number[5].part_number, by_number[5].section_number) == (1, 2)
    assert by_number[22].deadline == "2020年底前"
    assert by_number[23].lead == ["审业部", "办公室"]
    assert by_number[23].responsible == [
        "专利局办公室", "初审流程部", "文献部", "自动化部", "复审和无效审理部", "检索咨询中心", "商标局", "公共服务司",
    ]
    assert (by_number[24].lead, by_number[24].responsible) == (["办公室"], ["公共服务司", "商标局", "检索咨询中心"])
    assert (by_number[26].lead, by_number[26].responsible) == (["办公室"], ["人事司", "人教部", "商标局"])
    assert by_number[30].part_number == 5 and by_number[30].section_number == 14
    assert all(t.lead or t.responsible for t in result.tasks)


def test_seed_002_2021_public_service_plan() -> None:
    result = parse_tasks(_seed("002"))
    assert result.problems == []
    assert [t.number for t in result.tasks] == list(range(1, 40))
    assert [s[1] for s in result.sections] == [1, 2, 3, 4, 5]
    by_number = {t.number: t for t in result.tasks}
    assert by_number[1].responsible == ["公共服务司", "人事司", "人教部", "商标局", "地方知识产权局"]
    assert by_number[26].responsible == ["公共服务司", "审业部", "复审无效部", "初审流程部", "自动化部", "商标局", "出版社"]
    assert by_number[36].responsible == ["公共服务司", "商标局", "各专利审查协作中心", "地方知识产权局"]
    assert by_number[10].deadline == "2021年底"
    assert by_number[24].deadline == "8月底前"
    assert all(t.responsible and not t.lead for t in result.tasks)
    # department names are Simplified; the task text is kept as written
    assert all(not re.search("[責門務識產權]", d) for t in result.tasks for d in t.responsible)
    assert "智慧財產權" in by_number[1].text


def test_seed_001_2022_key_points_english() -> None:
    result = parse_tasks(_seed("001"))
    assert result.problems == []
    assert [t.number for t in result.tasks] == list(range(1, 13))
    assert [p[0] for p in result.parts] == [1, 2, 3, 4]
    assert result.sections == []
    by_number = {t.number: t for t in result.tasks}
    assert by_number[1].responsible == ["policy drafting department"]
    assert by_number[3].responsible == ["Treaty and Law Department", "Office"]
    assert by_number[3].deadline == "by the end of 2022"
    assert by_number[4].lead == ["office"]
    assert by_number[6].lead == ["Public Service Department"]
    assert len(by_number[6].responsible) == 8
    assert "Review and Invalidation Department" in by_number[6].responsible
    assert by_number[9].deadline == "Before the end of 2022"
    assert (by_number[11].lead, by_number[11].responsible) == (["office"], ["relevant departments and units"])
    assert by_number[12].responsible == ["Office"]
    # every English name of the seed is in ENGLISH_DEPARTMENTS
    names = {n for t in result.tasks for n in t.departments}
    assert {normalise_department(n) for n in names} <= set(ENGLISH_DEPARTMENTS.values())


def test_seed_side_by_side_documents_do_not_crash() -> None:
    for prefix in ("000", "004"):
        result = parse_tasks(_seed(prefix))
        assert isinstance(result, TaskBreakdown)
