"""The national annual-report format (年度报告格式): official labels and vocabularies.

Two versions are implemented, chosen per year by :func:`format_for_year` (a
``format`` key in the year's ``figures.yml`` overrides it):

* **2021** — 《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号,
  used from the 2021 report on (the fee rules it reflects, 国办函〔2020〕109号,
  apply from 1 January 2021).
* **2019** — the trial format (试行), 国办公开办函〔2019〕60号, used for the 2019 and
  2020 reports (and, for want of anything else here, earlier years).

Differences implemented (2019 trial → 2021):

* Table 二 第二十条第（一）项: trial columns 本年新制作数量 / 本年新公开数量 / 对外公开总数量,
  row 规范性文件 → 2021 columns 本年制发件数 / 本年废止件数 / 现行有效件数, row 行政规范性文件.
* Table 二 第二十条第（五）项: trial rows 行政许可 and 其他对外管理服务事项, columns
  上一年项目数量 / 本年增/减 / 处理决定数量 → 2021 row 行政许可 only, column 本年处理决定数量.
* Table 二 第二十条第（六）项 (行政处罚, 行政强制): trial columns 上一年项目数量 / 本年增/减 /
  处理决定数量 → 2021 column 本年处理决定数量.
* Table 二 第二十条第（八）项 (行政事业性收费): trial columns 上一年项目数量 / 本年增/减 →
  2021 column 本年收费金额（单位：万元）.
* Table 二 第二十条第（九）项 政府集中采购 (采购项目数量 / 采购总金额): trial only.
* Table 三: the trial's （六）其他处理 is one row; 2021 splits it into 1.申请人无正当理由逾期不补正…,
  2.申请人逾期未按收费通知要求缴纳费用…, 3.其他.  All other labels of table 三 are the same.
* Table 四 and the six section headings are the same in both.

Everything else in this package reads labels from here, never from literals.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"

SECTIONS: tuple[tuple[str, str], ...] = (
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
)
"""The six sections of the report, in the national order: (number, title)."""


def section_title(number: str) -> str:
    """The title of section ``number`` (e.g. ``"三"`` → ``"收到和处理政府信息公开申请情况"``)."""
    return dict(SECTIONS)[number]


# --- Table 三: applicants -------------------------------------------------------------

APPLICANTS_HEADING = "申请人情况"
ORGANISATIONS_HEADING = "法人或其他组织"


@dataclass(frozen=True)
class ApplicantType:
    """A column of table 三: one kind of applicant."""

    code: str
    """Stable key used in placeholders, e.g. ``natural_person``."""
    name: str
    """The value written in the register's ``applicant_type`` column."""
    column: tuple[str, ...]
    """Official column labels, outermost first."""


APPLICANT_TYPES: tuple[ApplicantType, ...] = (
    ApplicantType("natural_person", "自然人", (APPLICANTS_HEADING, "自然人")),
    ApplicantType("business", "商业企业", (APPLICANTS_HEADING, ORGANISATIONS_HEADING, "商业企业")),
    ApplicantType("research", "科研机构", (APPLICANTS_HEADING, ORGANISATIONS_HEADING, "科研机构")),
    ApplicantType("public_interest", "社会公益组织", (APPLICANTS_HEADING, ORGANISATIONS_HEADING, "社会公益组织")),
    ApplicantType("legal_services", "法律服务机构", (APPLICANTS_HEADING, ORGANISATIONS_HEADING, "法律服务机构")),
    ApplicantType("other_org", "其他", (APPLICANTS_HEADING, ORGANISATIONS_HEADING, "其他")),
)
"""Applicant columns of table 三 in official order (总计 follows)."""

APPLICANT_BY_NAME = {a.name: a for a in APPLICANT_TYPES}
TOTAL_CODE = "total"
TOTAL_COLUMN = (APPLICANTS_HEADING, "总计")

TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RECEIVED_LABEL = "一、本年新收政府信息公开申请数量"
CARRIED_OVER_LABEL = "二、上年结转政府信息公开申请数量"
RESULTS_LABEL = "三、本年度办理结果"
RESULTS_TOTAL_LABEL = "（七）总计"
CARRIED_FORWARD_LABEL = "四、结转下年度继续办理"


# --- Table 三: results ----------------------------------------------------------------


@dataclass(frozen=True)
class Ground:
    """A numbered sub-row of a result (具体情形), e.g. 不予公开 1.属于国家秘密."""

    code: str
    number: int
    label: str
    """The label without its number, as the register may give it."""

    @property
    def official(self) -> str:
        """The official row label, number included: ``1.属于国家秘密``."""
        return f"{self.number}.{self.label}"


@dataclass(frozen=True)
class ResultGroup:
    """One of the six results (办理结果) of table 三."""

    code: str
    name: str
    """The value written in the register's ``result`` column."""
    label: str
    """The official row label, e.g. ``（三）不予公开``."""
    grounds: tuple[Ground, ...] = ()


RESULT_GROUPS: tuple[ResultGroup, ...] = (
    ResultGroup("disclosed", "予以公开", "（一）予以公开"),
    ResultGroup("partial", "部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ResultGroup(
        "withheld",
        "不予公开",
        "（三）不予公开",
        (
            Ground("state_secret", 1, "属于国家秘密"),
            Ground("prohibited_by_law", 2, "其他法律行政法规禁止公开"),
            Ground("three_safeties", 3, "危及“三安全一稳定”"),
            Ground("third_party", 4, "保护第三方合法权益"),
            Ground("internal_affairs", 5, "属于三类内部事务信息"),
            Ground("process_info", 6, "属于四类过程性信息"),
            Ground("enforcement_file", 7, "属于行政执法案卷"),
            Ground("inquiry", 8, "属于行政查询事项"),
        ),
    ),
    ResultGroup(
        "unavailable",
        "无法提供",
        "（四）无法提供",
        (
            Ground("not_held", 1, "本机关不掌握相关政府信息"),
            Ground("needs_creation", 2, "没有现成信息需要另行制作"),
            Ground("still_unclear", 3, "补正后申请内容仍不明确"),
        ),
    ),
    ResultGroup(
        "not_processed",
        "不予处理",
        "（五）不予处理",
        (
            Ground("petition", 1, "信访举报投诉类申请"),
            Ground("repeated", 2, "重复申请"),
            Ground("publication", 3, "要求提供公开出版物"),
            Ground("mass_repeated", 4, "无正当理由大量反复申请"),
            Ground("confirmation", 5, "要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    ResultGroup(
        "other",
        "其他处理",
        "（六）其他处理",
        (
            Ground("no_correction", 1, "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Ground("no_fee", 2, "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            Ground("other", 3, "其他"),
        ),
    ),
)
"""Results in official order.  The 2019 trial format shows （六）其他处理 as one row."""

RESULT_BY_NAME = {g.name: g for g in RESULT_GROUPS}
RESULT_BY_NAME[RESULT_GROUPS[1].label.removeprefix("（二）")] = RESULT_GROUPS[1]
"""Register values: the short names, plus 部分公开's full official wording."""


# --- Table 四 -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseKind:
    """A group of columns of table 四: 行政复议 or one of the two kinds of 行政诉讼."""

    code: str
    name: str
    """The value written in the register's ``kind`` column."""
    heading: tuple[str, ...]


CASE_KINDS: tuple[CaseKind, ...] = (
    CaseKind("reconsideration", "行政复议", ("行政复议",)),
    CaseKind("direct", "未经复议直接起诉", ("行政诉讼", "未经复议直接起诉")),
    CaseKind("after_review", "复议后起诉", ("行政诉讼", "复议后起诉")),
)
CASE_KIND_BY_NAME = {k.name: k for k in CASE_KINDS}

CASE_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
)
"""Concluded outcomes: (code, official label = register value)."""
CASE_OUTCOME_BY_NAME = {label: code for code, label in CASE_OUTCOMES}
PENDING = ("pending", "尚未审结")
CASE_TOTAL = ("total", "总计")


# --- Table 二 -------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A column of a block of table 二."""

    key: str
    """For document rows: the measure computed from the corpus; for figure rows: the key in figures.yml."""
    label: str
    kind: str = "count"
    """``count`` (whole number ≥ 0), ``change`` (whole number, may be negative) or ``amount`` (decimal ≥ 0)."""


@dataclass(frozen=True)
class Item:
    """A row of a block of table 二."""

    key: str
    """For document rows the document type code; for figure rows the section key in figures.yml."""
    label: str
    from_documents: bool = False


@dataclass(frozen=True)
class ProactiveBlock:
    """A block of table 二 headed by the article of the Regulations it reports on."""

    heading: str
    measures: tuple[Measure, ...]
    items: tuple[Item, ...]
    corner: str = "信息内容"


_DECISIONS_2021 = (Measure("decisions", "本年处理决定数量"),)
_PROJECTS_2019 = (
    Measure("previous_items", "上一年项目数量"),
    Measure("change", "本年增/减", "change"),
    Measure("decisions", "处理决定数量"),
)


@dataclass(frozen=True)
class ReportFormat:
    """One version of the national format."""

    code: str
    """``"2021"`` or ``"2019"``."""
    name: str
    reference: str
    """The notice that issued it."""
    split_other: bool
    """True when table 三 splits （六）其他处理 into its three grounds."""
    proactive: tuple[ProactiveBlock, ...]
    """The blocks of table 二."""

    @property
    def figure_sections(self) -> dict[str, tuple[Measure, ...]]:
        """figures.yml section → the measures it must give (every figure row of table 二)."""
        return {item.key: block.measures for block in self.proactive for item in block.items if not item.from_documents}


FORMATS: dict[str, ReportFormat] = {
    FORMAT_2021: ReportFormat(
        FORMAT_2021,
        "中华人民共和国政府信息公开工作年度报告格式",
        "国办公开办函〔2021〕30号",
        True,
        (
            ProactiveBlock(
                "第二十条第（一）项",
                (
                    Measure("issued", "本年制发件数"),
                    Measure("repealed", "本年废止件数"),
                    Measure("in_force", "现行有效件数"),
                ),
                (Item("regulation", "规章", True), Item("normative", "行政规范性文件", True)),
            ),
            ProactiveBlock("第二十条第（五）项", _DECISIONS_2021, (Item("licensing", "行政许可"),)),
            ProactiveBlock(
                "第二十条第（六）项", _DECISIONS_2021, (Item("penalty", "行政处罚"), Item("coercion", "行政强制"))
            ),
            ProactiveBlock(
                "第二十条第（八）项",
                (Measure("amount", "本年收费金额（单位：万元）", "amount"),),
                (Item("fees", "行政事业性收费"),),
            ),
        ),
    ),
    FORMAT_2019: ReportFormat(
        FORMAT_2019,
        "中华人民共和国政府信息公开工作年度报告格式（试行）",
        "国办公开办函〔2019〕60号",
        False,
        (
            ProactiveBlock(
                "第二十条第（一）项",
                (
                    Measure("made", "本年新制作数量"),
                    Measure("published", "本年新公开数量"),
                    Measure("public_total", "对外公开总数量"),
                ),
                (Item("regulation", "规章", True), Item("normative", "规范性文件", True)),
            ),
            ProactiveBlock(
                "第二十条第（五）项",
                _PROJECTS_2019,
                (Item("licensing", "行政许可"), Item("other_services", "其他对外管理服务事项")),
            ),
            ProactiveBlock(
                "第二十条第（六）项", _PROJECTS_2019, (Item("penalty", "行政处罚"), Item("coercion", "行政强制"))
            ),
            ProactiveBlock("第二十条第（八）项", _PROJECTS_2019[:2], (Item("fees", "行政事业性收费"),)),
            ProactiveBlock(
                "第二十条第（九）项",
                (Measure("items", "采购项目数量"), Measure("amount", "采购总金额", "amount")),
                (Item("procurement", "政府集中采购"),),
            ),
        ),
    ),
}

FIRST_2021_YEAR = 2021


def format_for_year(year: int) -> ReportFormat:
    """The format a report on ``year`` must follow: 2021 from 2021 on, the 2019 trial before."""
    return FORMATS[FORMAT_2021 if year >= FIRST_2021_YEAR else FORMAT_2019]


def result_rows(fmt: ReportFormat) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The result rows of table 三 for ``fmt``: (row key, official labels), （七）总计 excluded.

    Row keys are ``results.<group>`` for a result without sub-rows and
    ``results.<group>.<ground>`` for a sub-row.
    """
    rows: list[tuple[str, tuple[str, ...]]] = []
    for group in RESULT_GROUPS:
        if group.grounds and (group.code != "other" or fmt.split_other):
            for ground in group.grounds:
                rows.append((f"results.{group.code}.{ground.code}", (RESULTS_LABEL, group.label, ground.official)))
        else:
            rows.append((f"results.{group.code}", (RESULTS_LABEL, group.label)))
    return tuple(rows)
