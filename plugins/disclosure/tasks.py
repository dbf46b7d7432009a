"""Parse the task breakdown of a "key points of government affairs disclosure work".

A 政务公开工作要点 (or a work plan written the same way) lists numbered tasks, each
ending with a parenthesised responsibility clause::

    一、着眼稳定预期，加强政策解读和回应关切
    （一）深入解读重要政策措施
    1. 按照……同步部署。（政策牵头起草部门负责，办公室督促落实）

:func:`parse_tasks` turns such a text (a raw page, or the Markdown body of a corpus
document) into :class:`Task` records and reports what it could not understand as
:class:`TaskProblem` records.  Only the standard library is used.

Structure (how lines are recognised)
------------------------------------
Markdown decoration is removed first: leading blanks, ``>``, ``#`` heading marks and
``*``/``_`` emphasis around the line.  A line is then a *marker line* of one of four
kinds, from outermost to innermost:

* ``一、…`` (Chinese numeral + ``、``/``．``/``.``) — part;
* ``（一）…`` / ``(一)…`` — section;
* ``1.`` / ``1．`` / ``1、`` / ``1\\.`` followed by text — numbered item;
* ``（1）…`` / ``(1)…`` — parenthesised numbered item (the English 2022 translation
  numbers its tasks this way and its parts ``1.``, ``2.``).

The *task kind* is the kind under which most tasks (marker line plus continuation
lines, see below) end with a responsibility clause, the innermost on a tie: ``1.`` in
the 2019/2021 texts, ``(1)`` in the English 2022 text, ``（一）`` in a Chinese text that
numbers its tasks ``（一）``.  The *part kind* is ``一、`` when the
text has such lines; otherwise ``1.`` when the tasks are ``(1)``; otherwise there are no
parts (``part`` is ``""``, ``part_number`` 0).  ``（一）`` is the *section kind* when it
sits between the part kind and the task kind.  Marker lines of kinds inside the task
kind (sub-items) are task text, never tasks.

Where the body starts (site chrome)
-----------------------------------
Pages copied from web sites carry navigation and footers around the document.  The
body starts at a part heading: the last part heading numbered 1 (``一、`` / ``1.``)
before the first marker line that ends with a responsibility clause (falling back to
the first part heading).  Everything before it is ignored, so numbered lines in a
header never become tasks.  After the body, only lines of the task kind become
tasks; other lines (closing paragraphs, footers) are ignored.

A task is its marker line plus the following non-blank lines that carry no marker,
until the text ends with a responsibility clause (wrapped Markdown paragraphs).  A
blank line ends the task unless the task line is a Markdown heading or the next
non-blank line is indented (a list item's continuation).

Responsibility clause grammar
-----------------------------
The clause is the last balanced parenthesised group (full- or half-width, nested
groups allowed) at the end of the task, optionally followed by ``。``/``.``/``；``.  It
must contain a responsibility keyword (负责, 牵头, 责任部门, 督促, 配合, 参与, or in
English "responsible", "take(s) the lead", "supervise").  Traditional characters in
the clause are first mapped to Simplified with :data:`TRADITIONAL_TO_SIMPLIFIED`.

The clause is split into segments at top-level ``；``/``;``/``，``/``,`` and each segment
is classified:

* ``责任部门：A、B`` / ``责任单位：`` / ``配合部门：`` → responsible; ``牵头部门：``
  / ``牵头单位：`` → lead; ``督促部门：`` → supervising.  Following segments without a
  keyword continue the same list (``责任部门：A，B``).
* ``…督促落实`` / ``…督促`` / ``…督办`` / ``…监督落实`` (also ``A负责督促落实``) →
  supervising.
* ``A、B[按职责分工|按职责|分工|分别|共同|各自][牵头]负责[scope]`` → lead when 牵头
  stands right before 负责, else responsible.  Text after 负责 (``负责新录入人员培训
  工作``) is the scope and ignored.  牵头 inside a name (``政策牵头起草部门负责``) is
  part of the name.
* ``A牵头`` → lead.
* ``A[按职责分工](配合|参与|协助)…`` → responsible.
* a segment without a keyword (``办公室，条法司按职责分工负责``) is carried over to the
  next segment's role; left over at the end it is reported.

Names are split at top-level ``、`` (so ``办公室（宣传处、新闻处）`` stays one name) and
at 和/及/以及/与 when the left side ends in a department word (司, 部, 局, 室, 中心,
部门 …), so ``人教部和商标局`` is two names but ``复审和无效审理部`` is one.  A prefix up
to ``由`` (``专利受理相关事务由审业部牵头负责``) and a trailing ``等`` are dropped;
``智慧财产权`` (Taiwan wording) becomes ``知识产权``.

English clauses (the 2022 translation): ``X takes the lead, and A, B and C are
responsible according to the division of responsibilities`` → lead [X],
responsible [A, B, C]; ``X is responsible for this`` / ``X responsible`` →
responsible [X]; ``X supervises …`` → supervising.  Names are split at commas and at
"and" (unless the left side lacks a head noun such as Department/Office/Center, so
"Treaty and Law Department" stays whole; the multi-word names in
:data:`ENGLISH_DEPARTMENTS` are protected).  A leading article is dropped; the names
are otherwise kept as written.  :func:`normalise_department` maps them to Chinese.

Lead / responsible rule
-----------------------
``lead`` holds the departments the clause marks with 牵头 (or "takes the lead");
``responsible`` holds every *other* department named as responsible — all of them
when the clause does not single out a lead (``（责任部门：A、B）`` → responsible
[A, B]).  The two lists never share a name: a department that leads one sub-clause
and is responsible in another (2019 task 23, 审业部) is listed as lead only.
``supervising`` holds those that supervise (``办公室督促落实``).  Order is the order
of first mention; duplicates are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Final, Iterable, Sequence, TypeVar

_T = TypeVar("_T")

__all__ = [
    "CSV_HEADER",
    "ENGLISH_DEPARTMENTS",
    "TRADITIONAL_TO_SIMPLIFIED",
    "Task",
    "TaskBreakdown",
    "TaskProblem",
    "department_view",
    "find_deadline",
    "normalise_department",
    "parse_responsibility",
    "parse_tasks",
    "to_csv_rows",
    "to_simplified",
]

# --------------------------------------------------------------------------- tables

#: Traditional → Simplified characters, only those needed for department names and
#: clause keywords in the seed documents (plus a few common department characters).
#: This is deliberately small and explicit; it is not a general converter.
TRADITIONAL_TO_SIMPLIFIED: Final[dict[str, str]] = {
    "責": "责", "門": "门", "務": "务", "識": "识", "產": "产", "權": "权",
    "財": "财", "負": "负", "牽": "牵", "頭": "头", "實": "实", "職": "职",
    "劃": "划", "動": "动", "協": "协", "單": "单", "國": "国", "審": "审",
    "專": "专", "戰": "战", "業": "业", "標": "标", "機": "机", "無": "无",
    "獻": "献", "複": "复", "規": "规", "護": "护", "進": "进", "運": "运",
    "關": "关", "際": "际", "黨": "党", "辦": "办", "處": "处", "傳": "传",
    "條": "条", "發": "发", "會": "会", "設": "设", "統": "统", "數": "数",
    "據": "据", "網": "网", "絡": "络", "聯": "联", "總": "总", "體": "体",
    "報": "报", "導": "导", "監": "监", "屬": "属", "們": "们", "應": "应",
    "個": "个", "內": "内", "議": "议", "資": "资", "訊": "讯", "學": "学",
    "員": "员", "廳": "厅", "組": "组", "織": "织", "與": "与", "構": "构",
    "將": "将", "屆": "届", "區": "区", "縣": "县", "市": "市", "級": "级",
}

#: English department names used in seed 001 (the rough English translation of the
#: 2022 key points) → the Chinese department names used in the corpus.  Used by
#: :func:`normalise_department` (and ``department_view(..., normalise=True)``) to
#: normalise; :func:`parse_tasks` itself keeps English names as written.  Lookup is
#: case-insensitive and ignores a leading article.  The entries follow the
#: translation, so "Legal Affairs Department" and "Treaty and Law Department" both
#: mean 条法司.
ENGLISH_DEPARTMENTS: Final[dict[str, str]] = {
    "Office": "办公室",
    "Offices": "办公室",
    "Policy drafting department": "政策起草部门",
    "Application Promotion Department": "运用促进司",
    "Training Center": "培训中心",
    "Treaty and Law Department": "条法司",
    "Treaty and law departments": "条法司",
    "Legal Affairs Department": "条法司",
    "Public Service Department": "公共服务司",
    "Human Resources Department": "人事司",
    "Protection Department": "保护司",
    "Examination Department": "审业部",
    "Preliminary Examination Process Department": "初审流程部",
    "Review and Invalidation Department": "复审无效部",
    "Automation Department": "自动化部",
    "Trademark Office": "商标局",
    "Publishing House": "出版社",
    "Government information development departments": "政府信息制作部门",
    "Relevant departments and units": "各有关部门单位",
}

#: Header row of :func:`to_csv_rows`.
CSV_HEADER: Final[tuple[str, ...]] = (
    "序号", "部分", "小节", "任务", "牵头部门", "责任部门", "督促部门", "时限",
)

_T2S: Final[dict[int, str]] = str.maketrans(TRADITIONAL_TO_SIMPLIFIED)
_EN_INDEX: Final[dict[str, str]] = {k.lower(): v for k, v in ENGLISH_DEPARTMENTS.items()}

# --------------------------------------------------------------------------- records


@dataclass
class Task:
    """One numbered task of a key-points document."""

    number: int
    part: str
    part_number: int
    section: str | None
    section_number: int | None
    text: str
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    supervising: list[str] = field(default_factory=list)
    deadline: str | None = None
    line: int = 0

    @property
    def departments(self) -> list[str]:
        """Lead then responsible departments, without duplicates."""
        return _dedupe([*self.lead, *self.responsible])


@dataclass(frozen=True)
class TaskProblem:
    """Something :func:`parse_tasks` could not understand, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class TaskBreakdown:
    """The tasks found in a text and the problems met while parsing it."""

    tasks: list[Task] = field(default_factory=list)
    problems: list[TaskProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was reported."""
        return not self.problems

    @property
    def parts(self) -> list[tuple[int, str]]:
        """Distinct ``(part_number, part)`` pairs of the tasks, in order."""
        return _dedupe([(t.part_number, t.part) for t in self.tasks])

    @property
    def sections(self) -> list[tuple[int, int, str]]:
        """Distinct ``(part_number, section_number, section)`` of sectioned tasks."""
        return _dedupe(
            [
                (t.part_number, t.section_number, t.section)
                for t in self.tasks
                if t.section is not None and t.section_number is not None
            ]
        )


# --------------------------------------------------------------------------- helpers

_CN_DIGITS: Final[dict[str, int]] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_NUM: Final[str] = "[一二三四五六七八九十百零〇两]+"

_PART, _SECTION, _ITEM, _PITEM = 0, 1, 2, 3  # marker kinds, outermost first

_MARKERS: Final[tuple[tuple[int, re.Pattern[str]], ...]] = (
    (_SECTION, re.compile(rf"^[（(]\s*(?P<num>{_CN_NUM})\s*[）)]\s*[、.．]?\s*(?P<rest>.*)$")),
    (_PITEM, re.compile(r"^[（(]\s*(?P<num>\d{1,3})\s*[）)]\s*(?P<rest>.*)$")),
    (_PART, re.compile(rf"^(?P<num>{_CN_NUM})\s*[、．.]\s*(?P<rest>.*)$")),
    (_ITEM, re.compile(r"^(?P<num>\d{1,3})(?!\d)\s*(?:\\?[.．]|、)(?!\d)\s*(?P<rest>.*)$")),
)

_DECORATION = re.compile(r"^(?:[\s\u3000\ufeff]|>)*(?P<hashes>#{1,6}(?=\s|$))?[\s\u3000]*")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_EMPHASIS = "*_"


def _cn_to_int(numeral: str) -> int:
    """Convert a Chinese numeral below 1000 (一, 十二, 二十, 一百零五) to an int."""
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS.get(ch, 0)
    return total + current


def _dedupe(items: Iterable[_T]) -> list[_T]:
    seen: list[_T] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def to_simplified(text: str) -> str:
    """Map the Traditional characters of :data:`TRADITIONAL_TO_SIMPLIFIED` and
    replace 智慧财产权 (Taiwan wording of 知识产权) by 知识产权."""
    return text.translate(_T2S).replace("智慧财产权", "知识产权")


def normalise_department(name: str) -> str:
    """Return the canonical Chinese name of a department.

    Traditional characters are mapped to Simplified (:func:`to_simplified`), and an
    English name from :data:`ENGLISH_DEPARTMENTS` is replaced by its Chinese name
    (case-insensitive, leading article ignored).  Other names are returned stripped.
    """
    cleaned = to_simplified(name.strip())
    key = re.sub(r"^the\s+", "", cleaned, flags=re.IGNORECASE).strip().lower()
    return _EN_INDEX.get(key, cleaned)


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separator characters that are outside any bracket pair."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "（(《〈【[“":
            depth += 1
        elif ch in "）)》〉】]”" and depth > 0:
            depth -= 1
        elif ch in separators and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _split_clause(text: str) -> tuple[str, str] | None:
    """Split ``text`` into (text before, inside) of its final parenthesised group."""
    s = text.rstrip(" \t\u3000。.；;" + _EMPHASIS + "\\")
    if not s or s[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        ch = s[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth -= 1
            if depth == 0:
                return s[:i], s[i + 1 : -1]
    return None


_CN_KEYWORDS = re.compile(r"负责|牵头|责任部门|责任单位|督促|督办|配合|参与|协助|承办|主办")
_EN_KEYWORDS = re.compile(
    r"\bresponsib|\btakes?\s+the\s+lead\b|\bin\s+charge\b|\bsupervis", re.IGNORECASE
)


def _is_clause(inner: str) -> bool:
    return bool(_CN_KEYWORDS.search(to_simplified(inner)) or _EN_KEYWORDS.search(inner))


def _clause_of(text: str) -> tuple[str, str] | None:
    split = _split_clause(text)
    if split is None or not _is_clause(split[1]):
        return None
    return split


# --------------------------------------------------------------------------- names

_CN_DEPT_END = re.compile(
    r"(?:司|部|局|室|处|科|中心|社|会|委|厅|所|院|办|组|队|站|馆|部门|单位)$"
)
_CN_CONJ = re.compile(r"(以及|及|和|与)")


def _split_cn_names(text: str) -> list[str]:
    names: list[str] = []
    pieces = re.split(r"(?<!自)由", text)
    if len(pieces) > 1 and pieces[-1].strip():
        text = pieces[-1]
    for piece in _split_top(text, "、/"):
        parts = _CN_CONJ.split(piece)
        buf = parts[0]
        for conj, right in zip(parts[1::2], parts[2::2]):
            if _CN_DEPT_END.search(buf.strip()) and right.strip():
                names.append(buf)
                buf = right
            else:
                buf = buf + conj + right
        names.append(buf)
    cleaned: list[str] = []
    for name in names:
        name = name.strip(" \t\u3000\"'“”‘’。.")
        if len(name) > 1 and name.endswith("等"):
            name = name[:-1]
        if name:
            cleaned.append(to_simplified(name))
    return cleaned


_EN_HEAD = re.compile(
    r"(?:\b(?:departments?|offices?|cent(?:er|re)s?|house|bureaus?|units?|divisions?|"
    r"committees?|ministry|ministries|administrations?|agency|agencies|secretariat|"
    r"teams?|groups?|halls?)|\x00\d+\x00)$",
    re.IGNORECASE,
)
_EN_PROTECTED: Final[tuple[str, ...]] = tuple(
    sorted((k for k in ENGLISH_DEPARTMENTS if " and " in k), key=len, reverse=True)
)


def _split_en_names(text: str) -> list[str]:
    protected: list[str] = []

    def protect(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    for phrase in _EN_PROTECTED:
        text = re.sub(re.escape(phrase), protect, text, flags=re.IGNORECASE)
    names: list[str] = []
    for piece in re.split(r"\s*,\s*", text):
        piece = re.sub(r"^(?:and|as well as)\s+", "", piece.strip(), flags=re.IGNORECASE)
        buf = ""
        for word in re.split(r"\s+and\s+", piece):
            buf = f"{buf} and {word}" if buf else word
            if _EN_HEAD.search(buf):
                names.append(buf)
                buf = ""
        if buf:
            names.append(buf)
    out: list[str] = []
    for name in names:
        name = re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], name)
        name = re.sub(r"^(?:the)\s+", "", name.strip(" ."), flags=re.IGNORECASE).strip()
        if name:
            out.append(name)
    return out


# --------------------------------------------------------------------------- clauses


@dataclass
class _Roles:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    supervising: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)

    def add(self, role: str, names: Sequence[str]) -> None:
        target: list[str] = getattr(self, role)
        for name in names:
            if name not in target:
                target.append(name)

    def finish(self) -> _Roles:
        self.responsible = [n for n in self.responsible if n not in self.lead]
        return self


_CN_PREFIX = re.compile(
    r"^(?P<label>牵头部门|牵头单位|主责部门|责任部门|责任单位|责任司局|负责部门|负责单位|"
    r"配合部门|配合单位|参与部门|协办部门|督促部门|督办部门)\s*[:：]\s*(?P<names>.*)$"
)
_CN_SUPERVISE = re.compile(r"^(?P<names>.+?)(?:负责)?(?:督促|督办|监督)")
_CN_RESPONSIBLE = re.compile(
    r"^(?P<names>.+?)(?:按照?职责分工|按职责|分工|分别|共同|各自)?(?P<lead>牵头)?负责(?P<scope>.*)$"
)
_CN_LEAD = re.compile(r"^(?P<names>.+)牵头$")
_CN_ASSIST = re.compile(r"^(?P<names>.+?)(?:按照?职责分工)?(?:配合|参与|协助)")


def _prefix_role(label: str) -> str:
    if label.startswith(("牵头", "主责")):
        return "lead"
    if label.startswith("督"):
        return "supervising"
    return "responsible"


def _parse_cn_clause(inner: str) -> _Roles:
    roles = _Roles()
    pending: list[str] = []
    carry: str | None = None  # role of a "责任部门：" list continued after a comma
    for raw in _split_top(to_simplified(inner), "；;，,"):
        seg = raw.strip(" \t\u3000。.")
        if not seg:
            continue
        role: str | None = None
        names_text = ""
        is_prefix = False
        if m := _CN_PREFIX.match(seg):
            role, names_text, is_prefix = _prefix_role(m["label"]), m["names"], True
        elif re.search("督促|督办|监督", seg) and (m := _CN_SUPERVISE.match(seg)):
            role, names_text = "supervising", m["names"]
        elif m := _CN_RESPONSIBLE.match(seg):
            role, names_text = ("lead" if m["lead"] else "responsible"), m["names"]
        elif m := _CN_LEAD.match(seg):
            role, names_text = "lead", m["names"]
        elif m := _CN_ASSIST.match(seg):
            role, names_text = "responsible", m["names"]
        if role is None:
            if carry is not None:
                roles.add(carry, _split_cn_names(seg))
            else:
                pending.append(seg)
            continue
        names = [n for p in pending for n in _split_cn_names(p)] + _split_cn_names(names_text)
        pending = []
        roles.add(role, names)
        carry = role if is_prefix else None
    roles.unparsed.extend(pending)
    return roles.finish()


_EN_PREFIX = re.compile(
    r"^(?P<label>responsible|lead(?:ing)?|supervising)\s+(?:departments?|units?)\s*:\s*(?P<names>.+)$",
    re.IGNORECASE,
)
# "<names> <verb> <tail>[, [and] <more>]": names are matched lazily, so the first verb
# ends them; the tail (", according to the division of responsibilities") runs to the
# next comma, and what follows is the next statement.
_EN_STATEMENT = re.compile(
    r"^(?P<names>.+?)\s+(?:"
    r"(?P<lead>(?:takes?|taking)\s+the\s+lead)"
    r"|(?P<sup>supervises?|oversees?|urges?|(?:is|are)\s+in\s+charge\s+of\s+supervis\w*)"
    r"|(?P<resp>(?:(?:is|are)\s+)?(?:(?:jointly|mainly|both|all|each|also)\s+)?"
    r"(?:responsible|in\s+charge))"
    r")\b(?P<tail>[^,;]*)(?:[,;]\s*(?:(?:and|with|while)\s+)?(?P<more>.*))?$",
    re.IGNORECASE,
)


def _parse_en_clause(inner: str) -> _Roles:
    roles = _Roles()
    for raw in re.split(r"\s*;\s*", inner.strip()):
        rest = raw.strip(" .")
        while rest:
            if m := _EN_PREFIX.match(rest):
                label = m["label"].lower()
                role = {"responsible": "responsible", "supervising": "supervising"}.get(label, "lead")
                roles.add(role, _split_en_names(m["names"]))
                break
            m = _EN_STATEMENT.match(rest)
            if m is None:
                roles.unparsed.append(rest)
                break
            role = "lead" if m["lead"] else "supervising" if m["sup"] else "responsible"
            roles.add(role, _split_en_names(m["names"]))
            rest = (m["more"] or "").strip(" .")
    return roles.finish()


def _is_english(text: str) -> bool:
    return not re.search(r"[\u3400-\u9fff]", text) and bool(re.search(r"[A-Za-z]", text))


def parse_responsibility(clause: str) -> tuple[list[str], list[str], list[str]]:
    """Parse the inside of a responsibility clause (without its parentheses).

    Returns ``(lead, responsible, supervising)``; see the module docstring for the
    grammar.  Segments that cannot be classified are left out (``parse_tasks``
    reports them).
    """
    roles = _parse_en_clause(clause) if _is_english(clause) else _parse_cn_clause(clause)
    return roles.lead, roles.responsible, roles.supervising


# --------------------------------------------------------------------------- deadlines

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DEADLINE = re.compile(
    r"(?:\d{4}|今|明|本)?年(?:\d{1,2}月)?[底末](?:之?前)?"
    r"|\d{1,2}月[底末](?:之?前)?"
    r"|(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:之?前)"
    r"|[\d一二三四五六七八九十]+[个個]工作日[内內]"
    rf"|(?i:(?:before|by|until|no\s+later\s+than)\s+the\s+end\s+of\s+"
    rf"(?:\d{{4}}|this\s+year|the\s+year|(?:{_MONTHS})(?:\s+\d{{4}})?))"
    r"|(?i:within\s+\d+\s+(?:working\s+|business\s+)?days)"
    rf"|(?i:(?:before|by)\s+(?:{_MONTHS})\s+\d{{1,2}},\s*\d{{4}})"
)


def find_deadline(text: str) -> str | None:
    """Return the first deadline phrase in ``text`` (年底前, 2022年底前, 6月底前,
    5个工作日内, "before the end of 2022", "within 5 working days" …) or None."""
    m = _DEADLINE.search(text)
    return m.group(0) if m else None


# --------------------------------------------------------------------------- lines


@dataclass
class _Line:
    text: str  # without Markdown decoration
    kind: int | None = None
    number: int = 0
    rest: str = ""
    heading: bool = False
    indent: int = 0
    blank: bool = False
    rule: bool = False


def _strip_emphasis(text: str) -> str:
    """Drop strong-emphasis marks (``**``/``__``), outer ``*``/``_`` and a hard break."""
    text = re.sub(r"\*\*|__", "", text)
    return text.strip(" \t\u3000" + _EMPHASIS).rstrip("\\").strip()


def _classify(raw: str) -> _Line:
    expanded = raw.replace("\t", "    ")
    indent = len(expanded) - len(expanded.lstrip(" "))
    if not raw.strip(" \t\u3000\ufeff"):
        return _Line(text="", blank=True)
    if _RULE.match(raw):
        return _Line(text="", rule=True)
    m = _DECORATION.match(raw)
    heading = bool(m and m["hashes"])
    body = _strip_emphasis(raw[m.end() if m else 0 :]).rstrip()
    line = _Line(text=body, heading=heading, indent=indent)
    for kind, pattern in _MARKERS:
        mm = pattern.match(body)
        if mm:
            num = mm["num"]
            line.kind = kind
            line.number = int(num) if num.isdigit() else _cn_to_int(num)
            line.rest = _strip_emphasis(mm["rest"]).rstrip()
            break
    return line


def _choose_kinds(lines: Sequence[_Line]) -> tuple[int | None, int | None, int | None, int]:
    """Return (part kind, section kind, task kind, body start index)."""
    marked = [(i, ln) for i, ln in enumerate(lines) if ln.kind is not None]
    with_clause = {i for i, ln in marked if _clause_of(ln.rest)}
    part_kind: int | None = None
    if any(ln.kind == _PART for _, ln in marked):
        part_kind = _PART
    else:
        first_pclause = min((i for i in with_clause if lines[i].kind == _PITEM), default=None)
        item_clauses = any(lines[i].kind == _ITEM for i in with_clause)
        if (
            first_pclause is not None
            and not item_clauses
            and any(ln.kind == _ITEM and i < first_pclause for i, ln in marked)
        ):
            part_kind = _ITEM

    start = 0
    if part_kind is not None:
        heads = [i for i, ln in marked if ln.kind == part_kind]
        anchor = min((i for i in with_clause if lines[i].kind != part_kind), default=None)
        ones = [i for i in heads if lines[i].number == 1]
        if anchor is not None:
            before = [i for i in ones if i < anchor] or [i for i in heads if i < anchor]
            start = before[-1] if before else heads[0]
        else:
            start = ones[0] if ones else heads[0]

    present = sorted({ln.kind for i, ln in marked if i >= start and ln.kind is not None})
    inner = [k for k in present if part_kind is None or k > part_kind]
    # The task kind is the one under which most tasks end with a clause (ties: the
    # innermost), so "1." wins over the "（一）" sections above it and over "（1）"
    # sub-items inside it.
    best: tuple[int, int] | None = None
    task_kind: int | None = None
    for kind in inner:

        def stops(ln: _Line, kind: int = kind) -> bool:
            return ln.heading or ln.rule or (ln.kind is not None and ln.kind <= kind)

        complete = sum(
            1
            for i, ln in marked
            if i >= start and ln.kind == kind and _clause_of(_collect(lines, i, stops)[0])
        )
        if best is None or (complete, kind) > best:
            best, task_kind = (complete, kind), kind
    section_kind: int | None = None
    if (
        task_kind is not None
        and _SECTION in present
        and _SECTION < task_kind
        and (part_kind is None or part_kind < _SECTION)
    ):
        section_kind = _SECTION
    return part_kind, section_kind, task_kind, start


def _collect(lines: Sequence[_Line], i: int, stops: Callable[[_Line], bool]) -> tuple[str, int]:
    """Return the text of the task starting at line ``i`` and the index after it.

    Following non-blank lines for which ``stops`` is false are appended until the
    text ends with a responsibility clause.  A blank line ends the task unless the
    task line is a heading or the next non-blank line is indented.
    """
    ln = lines[i]
    pieces = [ln.rest] if ln.rest else []
    j = i + 1
    while j < len(lines) and _clause_of(_join(pieces, ln.heading)) is None:
        nxt = lines[j]
        if nxt.blank:
            k = j + 1
            while k < len(lines) and lines[k].blank:
                k += 1
            if k < len(lines) and not stops(lines[k]) and (ln.heading or lines[k].indent >= 2):
                j = k
                continue
            break
        if stops(nxt):
            break
        pieces.append(nxt.text)
        j += 1
    return _join(pieces, ln.heading), j


def _join(pieces: Sequence[str], heading: bool) -> str:
    out = ""
    for idx, piece in enumerate(pieces):
        if not out:
            out = piece
        elif (heading and idx == 1) or (
            re.search(r"[\x21-\x7e]$", out) and re.match(r"[\x21-\x7e]", piece)
        ):
            out = f"{out} {piece}"
        else:
            out += piece
    return out


def _cite(clause: str) -> str:
    return clause if len(clause) <= 60 else clause[:57] + "…"


# --------------------------------------------------------------------------- API


def parse_tasks(text: str, *, first_line: int = 1) -> TaskBreakdown:
    """Parse the numbered tasks of a key-points document.

    ``text`` is a raw page or a Markdown body; ``first_line`` is the 1-based line
    number of its first line inside the file, so that ``Task.line`` and
    ``TaskProblem.line`` cite file lines.  Every numbered task is returned, also when
    its responsibility clause cannot be parsed (then with empty department lists and
    a problem).  Task numbers must run 1, 2, 3 …; gaps, duplicates and numbers going
    back are reported.  See the module docstring for the grammar.
    """
    lines = [_classify(raw.rstrip("\r")) for raw in text.split("\n")]
    part_kind, section_kind, task_kind, start = _choose_kinds(lines)
    result = TaskBreakdown()
    if task_kind is None:
        return result
    stoppers = {k for k in (part_kind, section_kind, task_kind) if k is not None}

    def stops(ln: _Line) -> bool:
        return ln.heading or ln.rule or ln.kind in stoppers

    part, part_number = "", 0
    section: str | None = None
    section_number: int | None = None
    seen: dict[int, int] = {}
    previous: Task | None = None
    i = start
    while i < len(lines):
        ln = lines[i]
        if ln.kind is not None and ln.kind == part_kind:
            part, part_number = ln.rest.rstrip("。."), ln.number
            section, section_number = None, None
            i += 1
            continue
        if ln.kind is not None and ln.kind == section_kind:
            section, section_number = ln.rest.rstrip("。."), ln.number
            i += 1
            continue
        if ln.kind != task_kind:
            i += 1
            continue

        full, j = _collect(lines, i, stops)

        line_no = first_line + i
        task = Task(
            number=ln.number,
            part=part,
            part_number=part_number,
            section=section,
            section_number=section_number,
            text=full,
            line=line_no,
        )
        clause = _clause_of(full)
        if clause is None:
            result.problems.append(
                TaskProblem(
                    line_no,
                    f"task {ln.number}: cannot find the responsible departments "
                    "(expected a closing parenthesis like （办公室负责）)",
                )
            )
        else:
            before, inner = clause
            task.text = _strip_emphasis(before).rstrip()
            roles = _parse_en_clause(inner) if _is_english(inner) else _parse_cn_clause(inner)
            task.lead, task.responsible, task.supervising = (
                roles.lead, roles.responsible, roles.supervising,
            )
            for seg in roles.unparsed:
                result.problems.append(
                    TaskProblem(
                        line_no,
                        f"task {ln.number}: cannot tell the role of “{seg}” in the "
                        f"responsibility clause （{_cite(inner)}）",
                    )
                )
            if not (task.lead or task.responsible):
                result.problems.append(
                    TaskProblem(
                        line_no,
                        f"task {ln.number}: the responsibility clause （{_cite(inner)}） "
                        "names no lead or responsible department",
                    )
                )
        task.deadline = find_deadline(task.text)

        # numbering
        if ln.number in seen:
            result.problems.append(
                TaskProblem(
                    line_no,
                    f"task {ln.number}: duplicate task number (first at line {seen[ln.number]})",
                )
            )
        else:
            expected = previous.number + 1 if previous is not None else 1
            if ln.number > expected:
                missing = (
                    str(expected) if ln.number - expected == 1 else f"{expected}–{ln.number - 1}"
                )
                after = f"task {previous.number}" if previous is not None else "the start"
                result.problems.append(
                    TaskProblem(
                        line_no,
                        f"task {ln.number}: task numbers jump from {after} to {ln.number} "
                        f"(missing {missing})",
                    )
                )
            elif ln.number < expected:
                result.problems.append(
                    TaskProblem(
                        line_no,
                        f"task {ln.number}: out of sequence (follows task "
                        f"{previous.number if previous is not None else 0})",
                    )
                )
            seen[ln.number] = line_no
        previous = task
        result.tasks.append(task)
        i = j
    result.problems.sort(key=lambda p: p.line)
    return result


def department_view(tasks: Iterable[Task], *, normalise: bool = False) -> dict[str, list[Task]]:
    """Group tasks by department (lead or responsible; supervisors are not counted).

    Keys are sorted, and each list is sorted by task number.  With ``normalise``
    department names go through :func:`normalise_department` first (English names
    of the 2022 translation become Chinese), so several spellings share one key.
    """
    view: dict[str, list[Task]] = {}
    for task in tasks:
        names = task.departments
        if normalise:
            names = _dedupe(normalise_department(n) for n in names)
        for name in names:
            view.setdefault(name, []).append(task)
    return {name: sorted(view[name], key=lambda t: (t.number, t.line)) for name in sorted(view)}


def to_csv_rows(tasks: Iterable[Task]) -> list[list[str]]:
    """Return rows for a CSV task table, header first (序号, 部分, 小节, 任务,
    牵头部门, 责任部门, 督促部门, 时限).  Department lists are joined with 、;
    missing values are empty strings."""
    rows: list[list[str]] = [list(CSV_HEADER)]
    for t in tasks:
        rows.append(
            [
                str(t.number),
                t.part,
                t.section or "",
                t.text,
                "、".join(t.lead),
                "、".join(t.responsible),
                "、".join(t.supervising),
                t.deadline or "",
            ]
        )
    return rows
