#!/usr/bin/env python3
"""Generate a realistic benchmark corpus in our document format (or in plain-Pelican format).

    python bench/generate_corpus.py --count 10000 --seed 1 --out bench/out/corpus-10000
    python bench/generate_corpus.py --count 10000 --seed 1 --out bench/out/pelican-10000 --pelican

Deterministic: the same arguments (and the same seed texts, see ``sentences.py``)
give byte-identical files.  ``--pelican`` writes the SAME published text as plain
Pelican articles (``Title:``/``Date:`` header, one article per public document
version, ``doc:`` links turned into Pelican ``{filename}`` links), so both builds
render the same bodies.

What a corpus of N documents holds (proportions are approximate):

* normative documents (~33%) and regulations (~4%), written ≤ published ≤ effective,
  2010–2026, several issuer codes (国知发〔2019〕123号 forms; 国家知识产权局令第N号);
* an interpretation for ~82% of the published ones (most within 3 days, a few late);
* notices (~22%), drafts with comment periods (~5%) and consultation-result notices
  (``result_of``) for most closed drafts, key points (~1%), a few annual reports;
* ~3% of documents with 2–3 versions (``<id>/v1.md`` …), repeals (single and batch
  "cleanup" decisions) and amendments of earlier documents only (no cycles),
  expired and not-yet-effective documents, a few ``partially_invalid`` ones;
* ~2% not public (``not_public``/``on_request`` with ``disclosure_basis``) and ~1%
  whose confidentiality review failed; no relation or link touches them;
* Chinese bodies of 2–8 KB with headings, numbered lists, articles, ``doc:`` links
  and cited document numbers.

Every corpus passes ``python publish.py check --content DIR --as-of 2026-11-22``
with 0 errors (warnings: a few failed reviews and unwritten index numbers).
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sentences import SentenceBank  # noqa: E402

AS_OF = date(2026, 11, 22)
START = date(2010, 1, 4)
LAST_PUBLISHED = date(2026, 11, 15)
ORGAN = "SIPO-DEMO"

# --------------------------------------------------------------------------- vocabularies
# (issuer code, id prefix, issuer, weight)
CODES = [
    ("国知发保字", "gzfbz", "国家知识产权局", 10), ("国知发运字", "gzfyz", "国家知识产权局", 9),
    ("国知发管字", "gzfgz", "国家知识产权局", 7), ("国知发服字", "gzffz", "国家知识产权局", 6),
    ("国知发法字", "gzffa", "国家知识产权局", 4), ("国知发", "gzf", "国家知识产权局", 8),
    ("国知办发", "gzbf", "国家知识产权局办公室", 9), ("国知办函", "gzbh", "国家知识产权局办公室", 8),
    ("国知办发办字", "gzbfbz", "国家知识产权局办公室", 5), ("国知办函办字", "gzbhbz", "国家知识产权局办公室", 4),
]
PARTNERS = ["国家市场监督管理总局", "财政部", "商务部", "司法部", "中国人民银行", "国家发展和改革委员会", "教育部"]
DEPARTMENTS = ["办公室", "条法司", "战略规划司", "知识产权保护司", "知识产权运用促进司", "公共服务司", "人事司",
               "国际合作司", "专利局审查业务管理部", "专利局初审及流程管理部", "商标局", "专利局复审和无效审理部"]
REVIEWERS = ["办公室", "条法司", "保护司", "运用促进司", "公共服务司", "战略规划司", "人事司", "商标局"]
# (area, English, topic)
AREAS = [
    ("专利代理行业监管", "Supervision of the Patent Agency Sector", "专利代理"),
    ("商标注册申请审查", "Examination of Trademark Applications", "商标管理"),
    ("知识产权信息公共服务", "Public Services for IP Information", "知识产权公共服务"),
    ("专利优先审查", "Prioritized Patent Examination", "专利管理"),
    ("地理标志产品保护", "Protection of Geographical Indication Products", "地理标志"),
    ("知识产权纠纷快速处理", "Fast Resolution of IP Disputes", "知识产权保护"),
    ("专利开放许可", "Open Licensing of Patents", "知识产权运用"),
    ("知识产权质押融资", "IP Pledge Financing", "知识产权运用"),
    ("商标代理机构信用管理", "Credit Management of Trademark Agencies", "商标管理"),
    ("专利导航服务", "Patent Navigation Services", "知识产权运用"),
    ("知识产权维权援助", "IP Rights Protection Assistance", "知识产权保护"),
    ("集成电路布图设计登记", "Registration of Layout-Designs of Integrated Circuits", "集成电路布图设计"),
    ("知识产权统计监测", "IP Statistics and Monitoring", "统计"),
    ("专利转化运用", "Commercialization of Patents", "知识产权运用"),
    ("知识产权保护中心建设", "Building IP Protection Centers", "知识产权保护"),
    ("海外知识产权纠纷应对指导", "Guidance on Overseas IP Disputes", "国际合作"),
    ("专利审查质量保障", "Quality Assurance of Patent Examination", "专利管理"),
    ("商标恶意注册治理", "Curbing Bad-Faith Trademark Filings", "商标管理"),
    ("知识产权公共服务网点", "IP Public Service Outlets", "知识产权公共服务"),
    ("政务公开", "Government Affairs Disclosure", "政务公开"),
    ("网上政务服务", "Online Government Services", "政务服务"),
    ("专利费用减缴", "Reduction of Patent Fees", "专利管理"),
    ("知识产权人才培养", "Training of IP Professionals", "人才队伍"),
    ("数据知识产权登记", "Registration of Data IP", "知识产权运用"),
    ("专利代办处业务管理", "Management of Patent Agency Offices", "政务服务"),
    ("知识产权信用体系建设", "IP Credit System", "知识产权保护"),
]
KEYWORDS = ["专利", "商标", "知识产权保护", "政务公开", "信用监管", "公共服务", "放管服", "营商环境", "数据共享",
            "一网通办", "质押融资", "地理标志", "专利代理", "审查质量", "维权援助", "统计数据", "窗口服务", "保密审查"]
SECTION_HEADINGS = ["总体要求", "主要任务", "重点工作", "工作措施", "保障措施", "组织实施", "基本原则", "工作目标",
                    "加强监督管理", "强化服务保障", "深化改革创新", "提升服务质量", "完善工作机制", "加强组织领导",
                    "推进信息共享", "规范办理流程", "加强宣传引导"]
CHAPTERS = ["申请与受理", "审查与决定", "监督管理", "服务保障", "信息公开", "法律责任"]
NOTICE_SUBJECTS = ["专利代理师资格考试有关事项", "知识产权保护中心备案工作", "专利代办处业务调整", "春节期间业务办理安排",
                   "窗口服务时间调整", "知识产权强市建设试点示范评定", "政务公开专栏栏目调整", "年度统计数据发布有关事项",
                   "专利收费有关事项", "商标业务受理渠道调整", "知识产权优势示范企业复核", "专利信息服务培训班",
                   "国家知识产权局公众开放日活动", "政府信息公开申请渠道", "知识产权领域专项整治行动", "电子申请系统升级"]
NOTICE_VERBS = ["做好", "开展", "公布", "调整", "举办", "组织开展", "进一步做好"]
BASES = [
    "《中华人民共和国政府信息公开条例》第十六条第一款（内部事务信息）",
    "《中华人民共和国政府信息公开条例》第十六条第二款（过程性信息）",
    "《中华人民共和国政府信息公开条例》第十四条（依法确定为国家秘密的政府信息）",
    "《中华人民共和国政府信息公开条例》第十五条（涉及商业秘密、个人隐私）",
]
CN_DIGITS = "零一二三四五六七八九"
TYPE_LABELS = {"normative": "行政规范性文件", "regulation": "规章", "interpretation": "政策解读", "keypoints": "政务公开工作要点",
               "annual_report": "政府信息公开工作年度报告", "draft": "征求意见稿", "notice": "通知公告"}
ARTICLE_KINDS = ("办法", "规定", "实施细则", "工作规程", "暂行办法")
SECTION_KINDS = ("通知", "意见", "指导意见", "实施意见", "若干意见")


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    return CN_DIGITS[n // 100] + "百" + ("" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else cn_number(rest) if rest >= 20 else "一" + cn_number(rest)))


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def nested(title: str) -> str:
    """A title inside 《》: inner 《》 become 〈〉."""
    return title.replace("《", "〈").replace("》", "〉")


# --------------------------------------------------------------------------- model
@dataclass
class Ver:
    number: int
    title: str
    published: date
    written: date | None = None
    effective: date | None = None
    doc_number: str | None = None
    change_note: str | None = None
    review: tuple[str, date, str] | None = None
    blocks: list[str] = field(default_factory=list)

    @property
    def takes_effect(self) -> date:
        return self.effective or self.published


@dataclass
class Doc:
    type: str
    versions: list[Ver]
    issuer: str | list[str]
    id: str = ""
    kind: str = ""
    """Body style: a title kind (办法, 通知, …) or a special role (cleanup, amend)."""
    area: int = 0
    topic: str | None = None
    title_en: str | None = None
    code: tuple[str, str] | None = None
    index_number: str | None = None
    expires: date | None = None
    repeals: list["Doc"] = field(default_factory=list)
    amends: list["Doc"] = field(default_factory=list)
    interprets: "Doc | None" = None
    interprets_version: int | None = None
    result_of: "Doc | None" = None
    status_note: str | None = None
    disclosure: str = "proactive"
    disclosure_basis: str | None = None
    failed: bool = False
    comment_period: tuple[date, date] | None = None
    report_year: int | None = None
    keywords: list[str] = field(default_factory=list)
    repealed: bool = False
    cites: list["Doc"] = field(default_factory=list)

    @property
    def first(self) -> Ver:
        return self.versions[0]

    @property
    def current(self) -> Ver:
        return self.versions[-1]

    @property
    def published(self) -> date:
        return self.first.published

    @property
    def public(self) -> bool:
        return self.disclosure == "proactive" and not self.failed

    @property
    def doc_number(self) -> str | None:
        return self.current.doc_number

    def cite(self) -> str:
        return f"《{nested(self.current.title)}》" + (f"（{self.doc_number}）" if self.doc_number else "")


# --------------------------------------------------------------------------- generator
class Generator:
    def __init__(self, count: int, seed: int, bank: SentenceBank) -> None:
        if count < 20:
            raise SystemExit("--count: at least 20 documents")
        self.n = count
        self.rng = random.Random(f"disclosure-bench:{seed}:{count}")
        self.bank = bank
        self.docs: list[Doc] = []
        self.serials: dict[tuple[str, int], int] = {}
        self.order_number = 59

    # ---------------------------------------------------------------- helpers
    def day(self, lo: date = START, hi: date = LAST_PUBLISHED) -> date:
        return date.fromordinal(self.rng.randint(lo.toordinal(), hi.toordinal()))

    def review(self, written: date | None, published: date, failed: bool = False) -> tuple[str, date, str]:
        when = published - timedelta(days=self.rng.randint(0, 4))
        if written is not None and when < written:
            when = written
        return (self.rng.choice(REVIEWERS), when, "failed" if failed else "passed")

    def keywords(self, area: int) -> list[str]:
        if self.rng.random() > 0.6:
            return []
        picked = self.rng.sample(KEYWORDS, self.rng.randint(1, 3))
        return [AREAS[area][0]] + [k for k in picked if k != AREAS[area][0]]

    def size_target(self) -> int:
        return int(self.rng.triangular(2100, 7600, 3600))

    # ---------------------------------------------------------------- plan
    def generate(self) -> list[Doc]:
        rng = self.rng
        n = self.n
        n_policy = max(3, round(0.37 * n))
        n_regulation = max(1, round(0.11 * n_policy))
        n_draft = max(1, round(0.05 * n))
        n_keypoints = max(1, round(0.01 * n))
        n_annual = min(16, max(1 if n < 100 else 2, round(n / 700)))

        policies = [self.new_policy("regulation" if i < n_regulation else "normative") for i in range(n_policy)]
        not_yet = rng.sample(range(n_policy), max(1, round(0.015 * n_policy)))
        for i in not_yet:
            ver = policies[i].first
            ver.published = AS_OF - timedelta(days=rng.randint(3, 60))
            ver.written = ver.published - timedelta(days=rng.randint(2, 15))
            ver.effective = rng.choice([date(2026, 12, 1), date(2027, 1, 1), date(2027, 3, 1)])
            ver.review = self.review(ver.written, ver.published)
        policies.sort(key=lambda d: (d.published, d.type, d.area, d.first.title))

        drafts = [self.new_draft() for _ in range(n_draft)]
        keypoints = [self.new_keypoints(i, n_keypoints) for i in range(n_keypoints)]
        annual = [self.new_annual(2025 - i) for i in range(n_annual)]

        # Not public / failed review: normative documents and notices never involved in relations.
        pool_size = n_policy - n_regulation + round(0.22 * n)
        p_hidden, p_failed = min(0.5, 0.02 * n / pool_size), min(0.5, 0.01 * n / pool_size)
        for doc in policies:
            if doc.type == "normative":
                self.maybe_hide(doc, p_hidden, p_failed)

        self.make_versions(policies, round(0.03 * n))
        self.make_relations(policies)
        self.make_expiry_and_partial(policies)

        public_policies = [d for d in policies if d.public]
        interps = self.make_interpretations(public_policies)
        results = self.make_results(drafts)
        n_notice = n - (len(policies) + len(drafts) + len(keypoints) + len(annual) + len(interps) + len(results))
        if n_notice < 0:  # only for tiny counts: drop interpretations
            interps = interps[:len(interps) + n_notice]
            n_notice = 0
        notices = [self.new_notice() for _ in range(n_notice)]
        for doc in notices:
            self.maybe_hide(doc, p_hidden, p_failed)

        self.docs = policies + interps + drafts + results + keypoints + annual + notices
        self.assign_ids()
        self.assign_numbers()
        self.assign_index_numbers()
        self.public_sorted = sorted((d for d in policies if d.public and d.doc_number), key=lambda d: (d.published, d.id))
        self.public_dates = [d.published for d in self.public_sorted]
        for doc in sorted(self.docs, key=lambda d: d.id):
            self.write_bodies(doc)
        self.annual_figures()
        return self.docs

    def new_policy(self, doc_type: str) -> Doc:
        rng = self.rng
        area = rng.randrange(len(AREAS))
        published = self.day()
        written = max(START - timedelta(days=10), published - timedelta(days=rng.randint(2, 20)))
        if doc_type == "regulation":
            effective = published + timedelta(days=rng.randint(20, 90))
            kind = rng.choice(("办法", "规定", "实施办法"))
            title = f"{AREAS[area][0]}{kind}"
            issuer: str | list[str] = "国家知识产权局" if rng.random() < 0.85 else ["国家知识产权局", rng.choice(PARTNERS)]
            code = None
        else:
            effective = published + timedelta(days=rng.choice([0, 0, 0, 7, 15, 30, 30, 60]))
            code_row = rng.choices(CODES, weights=[c[3] for c in CODES])[0]
            code = (code_row[0], code_row[1])
            issuer = code_row[2] if rng.random() < 0.9 else [code_row[2], rng.choice(PARTNERS)]
            if rng.random() < 0.45:
                kind = rng.choice(ARTICLE_KINDS)
                title = f"{AREAS[area][0]}{kind}"
                if rng.random() < 0.4:
                    title = f"{issuer if isinstance(issuer, str) else '国家知识产权局'}关于印发《{title}》的通知"
            else:
                kind = rng.choice(SECTION_KINDS)
                verb = rng.choice(["进一步加强", "深入推进", "规范", "做好", "加快推进", "全面加强", "进一步优化", "持续推进"])
                title = f"{code_row[2]}关于{verb}{AREAS[area][0]}工作的{kind}"
        ver = Ver(1, title, published, written, effective)
        ver.review = self.review(written, published)
        doc = Doc(doc_type, [ver], issuer, kind=kind, area=area, topic=AREAS[area][2], code=code)
        doc.keywords = self.keywords(area)
        if rng.random() < 0.25:
            doc.title_en = ("Measures on " if kind in ARTICLE_KINDS or doc_type == "regulation" else "Notice on ") + AREAS[area][1]
        return doc

    def maybe_hide(self, doc: Doc, p_hidden: float, p_failed: float) -> None:
        roll = self.rng.random()
        if roll < p_hidden:
            doc.disclosure = "not_public" if self.rng.random() < 0.7 else "on_request"
            doc.disclosure_basis = self.rng.choice(BASES)
            doc.kind = doc.kind or "internal"
            if self.rng.random() < 0.5:
                doc.first.review = None
            else:
                doc.first.review = self.review(doc.first.written, doc.published, failed=True)
        elif roll < p_hidden + p_failed:
            doc.failed = True
            doc.first.review = self.review(doc.first.written, doc.published, failed=True)

    def make_versions(self, policies: list[Doc], wanted: int) -> None:
        rng = self.rng
        candidates = [d for d in policies if d.public and d.first.takes_effect < AS_OF - timedelta(days=400)]
        for doc in rng.sample(candidates, min(wanted, len(candidates))):
            versions = 3 if rng.random() < 0.25 else 2
            for number in range(2, versions + 1):
                prev = doc.versions[-1]
                published = prev.published + timedelta(days=rng.randint(180, 1400))
                if published > AS_OF - timedelta(days=3):
                    published = AS_OF - timedelta(days=rng.randint(3, 30))
                if published <= prev.published + timedelta(days=30):
                    break
                written = published - timedelta(days=rng.randint(3, 15))
                effective = max(published + timedelta(days=rng.choice([0, 15, 30, 60])), prev.takes_effect + timedelta(days=1))
                ver = Ver(number, prev.title, published, written, effective)
                ver.review = self.review(written, published)
                ver.change_note = rng.choice([
                    "根据工作实际修改部分条款，调整办理时限和材料要求。",
                    "增加信用监管和信息共享有关内容，删除纸质材料报送要求。",
                    "根据上位法修改情况作相应修改，调整监督检查有关规定。",
                    "精简申请材料，明确网上办理要求，修改公开时限。",
                ])
                doc.versions.append(ver)

    def make_relations(self, policies: list[Doc]) -> None:
        """Repeals and amendments, always of documents earlier in ``policies`` (no cycles)."""
        rng = self.rng
        eligible = [d for d in policies if d.public and len(d.versions) == 1]
        position = {id(d): i for i, d in enumerate(eligible)}
        for doc in eligible:
            i = position[id(doc)]
            if i < 10:
                continue
            earlier = eligible[max(0, i - 2000):i]

            def pick(same_type: bool) -> Doc | None:
                for _ in range(8):
                    target = rng.choice(earlier)
                    if target.repealed or target is doc or target.amends or target.repeals:
                        continue
                    if same_type and target.type != doc.type:
                        continue
                    if target.first.takes_effect > doc.first.takes_effect or target.published > doc.published:
                        continue
                    return target
                return None

            roll = rng.random()
            if doc.type == "normative" and roll < 0.006 and i > 50:
                doc.kind = "cleanup"
                for _ in range(rng.randint(3, 8)):
                    target = pick(False)
                    if target is not None and target not in doc.repeals:
                        target.repealed = True
                        doc.repeals.append(target)
                if not doc.repeals:
                    doc.kind = "通知"
                else:
                    doc.first.title = f"国家知识产权局关于废止部分规章和规范性文件的决定（{doc.published.year}年）"
            elif roll < 0.05:
                target = pick(True)
                if target is not None:
                    target.repealed = True
                    doc.repeals.append(target)
                    if rng.random() < 0.5 and target.kind in ARTICLE_KINDS + ("规定", "实施办法"):
                        doc.first.title = target.current.title
                        doc.kind = target.kind
                        doc.area = target.area
                        doc.topic = target.topic
            elif roll < 0.09:
                target = pick(True)
                if target is not None:
                    doc.amends.append(target)
                    doc.kind = "amend"
                    doc.first.title = f"国家知识产权局关于修改《{nested(target.current.title)}》的决定"
                    doc.area, doc.topic = target.area, target.topic

    def make_expiry_and_partial(self, policies: list[Doc]) -> None:
        rng = self.rng
        for doc in policies:
            if doc.type != "normative" or len(doc.versions) > 1 or not doc.public and doc.disclosure != "proactive":
                continue
            if rng.random() < 0.10:
                years = rng.choice([2, 3, 3, 5, 5])
                eff = doc.first.takes_effect
                doc.expires = date(eff.year + years, eff.month, min(eff.day, 28)) - timedelta(days=1)
        for doc in policies:
            if (doc.public and len(doc.versions) == 1 and doc.expires is None and not doc.repealed
                    and doc.first.takes_effect <= AS_OF and rng.random() < 0.012):
                doc.status_note = rng.choice([
                    f"第{cn_number(rng.randint(3, 12))}条第{cn_number(rng.randint(1, 3))}款有关纸质材料报送的规定停止执行",
                    f"第{cn_number(rng.randint(3, 12))}条有关收费标准的规定已按新标准执行",
                    f"第{cn_number(rng.randint(2, 9))}条中有关审批事项的规定因该事项取消而失效",
                ])

    def make_interpretations(self, public_policies: list[Doc]) -> list[Doc]:
        rng = self.rng
        result = []
        for target in public_policies:
            if rng.random() >= 0.82 or target.kind == "cleanup":
                continue
            result.append(self.new_interpretation(target, 1))
            if len(target.versions) > 1 and rng.random() < 0.5:
                result.append(self.new_interpretation(target, target.current.number))
            elif rng.random() < 0.04:
                result.append(self.new_interpretation(target, 1, extra=True))
        return result

    def new_interpretation(self, target: Doc, version: int, extra: bool = False) -> Doc:
        rng = self.rng
        tv = target.versions[version - 1]
        roll = rng.random()
        lag = 0 if roll < 0.6 else rng.randint(1, 3) if roll < 0.95 else rng.randint(4, 25)
        published = min(AS_OF, tv.published + timedelta(days=lag))
        inner = nested(tv.title)
        title = rng.choice([f"《{inner}》政策解读", f"关于《{inner}》的解读", f"《{inner}》答记者问"])
        if extra:
            title = f"一图读懂《{inner}》"
        if version > 1:
            title = f"关于修订后的《{inner}》的解读"
        ver = Ver(1, title, published, published if rng.random() < 0.5 else None)
        ver.review = self.review(ver.written, published)
        issuer = "国家知识产权局" + rng.choice(DEPARTMENTS) if rng.random() < 0.6 else "国家知识产权局"
        doc = Doc("interpretation", [ver], issuer, kind="interp", area=target.area, topic=target.topic,
                  interprets=target, interprets_version=version if len(target.versions) > 1 else None)
        return doc

    def new_draft(self) -> Doc:
        rng = self.rng
        area = rng.randrange(len(AREAS))
        published = self.day()
        start = published + timedelta(days=rng.choice([0, 0, 1]))
        end = start + timedelta(days=rng.choice([14, 29, 30, 30, 44]))
        ver = Ver(1, f"{AREAS[area][0]}{rng.choice(('办法', '规定', '实施细则'))}（征求意见稿）", published,
                  published - timedelta(days=rng.randint(1, 6)))
        ver.review = self.review(ver.written, published)
        return Doc("draft", [ver], "国家知识产权局" if rng.random() < 0.6 else "国家知识产权局" + rng.choice(DEPARTMENTS),
                   kind="draft", area=area, topic=AREAS[area][2], comment_period=(start, end), keywords=["征求意见"] + self.keywords(area)[:2])

    def make_results(self, drafts: list[Doc]) -> list[Doc]:
        rng = self.rng
        result = []
        for draft in drafts:
            end = draft.comment_period[1]
            if end + timedelta(days=10) > AS_OF or rng.random() >= 0.65:
                continue
            published = min(AS_OF, end + timedelta(days=rng.randint(10, 60)))
            ver = Ver(1, f"关于《{nested(draft.current.title)}》公开征求意见情况的说明", published, published - timedelta(days=rng.randint(1, 5)))
            ver.review = self.review(ver.written, published)
            result.append(Doc("notice", [ver], draft.issuer, kind="result", area=draft.area, topic=draft.topic, result_of=draft))
        return result

    def new_keypoints(self, index: int, total: int) -> Doc:
        rng = self.rng
        year = 2010 + index % 17
        main = index < 17
        published = min(date(year, 1, 1) + timedelta(days=rng.randint(59, 180)), AS_OF - timedelta(days=5))
        if main:
            title = f"国家知识产权局办公室关于印发《国家知识产权局{year}年政务公开工作要点》的通知"
            issuer = "国家知识产权局办公室"
        else:
            unit = rng.choice(["专利局", "商标局", "专利局复审和无效审理部", "知识产权出版社", "中国专利信息中心"])
            title = f"{unit}{year}年政务公开工作要点"
            issuer = f"国家知识产权局{unit}" if not unit.startswith("专利局") else unit
        ver = Ver(1, title, published, published - timedelta(days=rng.randint(2, 8)))
        ver.review = self.review(ver.written, published)
        doc = Doc("keypoints", [ver], issuer, kind="keypoints", area=AREAS.index(next(a for a in AREAS if a[0] == "政务公开")),
                  topic="政务公开", keywords=["政务公开", "工作要点"])
        if main and rng.random() < 0.7:
            doc.code = rng.choice([("国知办函办字", "gzbhbz"), ("国知办发办字", "gzbfbz")])
        return doc

    def new_annual(self, year: int) -> Doc:
        rng = self.rng
        published = date(year + 1, 1, rng.randint(10, 31)) + timedelta(days=rng.randint(0, 45))
        ver = Ver(1, f"国家知识产权局{year}年政府信息公开工作年度报告", published, published - timedelta(days=rng.randint(2, 9)))
        ver.review = self.review(ver.written, published)
        return Doc("annual_report", [ver], "国家知识产权局", kind="annual", topic="政务公开", report_year=year)

    def new_notice(self) -> Doc:
        rng = self.rng
        published = self.day()
        subject = rng.choice(NOTICE_SUBJECTS)
        if rng.random() < 0.3:
            subject = f"{published.year}年度{subject}"
        verb = rng.choice(NOTICE_VERBS)
        kind = rng.choice(["通知", "通知", "公告", "通告"])
        title = f"关于{verb}{subject}的{kind}"
        ver = Ver(1, title, published, published - timedelta(days=rng.randint(0, 6)) if rng.random() < 0.7 else None)
        ver.review = self.review(ver.written, published)
        issuer = rng.choice(["国家知识产权局", "国家知识产权局办公室", "国家知识产权局" + rng.choice(DEPARTMENTS)])
        area = rng.randrange(len(AREAS))
        return Doc("notice", [ver], issuer, kind="notice", area=area, topic=AREAS[area][2] if rng.random() < 0.5 else None,
                   keywords=self.keywords(area))

    # ---------------------------------------------------------------- identifiers and numbers
    def assign_numbers(self) -> None:
        """Document numbers, in order of publication so serials grow through each year."""
        wanted = []
        for doc in self.docs:
            if doc.type == "regulation":
                wanted += [(v.published, 0, doc.id, v) for v in doc.versions]
            elif doc.code is not None:
                wanted += [(v.published, 1, doc.id, v) for v in doc.versions]
        wanted.sort(key=lambda item: (item[0], item[1], item[2], item[3].number))
        by_id = {d.id: d for d in self.docs}
        for _, _, doc_id, ver in wanted:
            doc = by_id[doc_id]
            if doc.type == "regulation":
                self.order_number += self.rng.randint(1, 2)
                ver.doc_number = f"国家知识产权局令第{self.order_number}号"
            else:
                key = (doc.code[0], ver.published.year)
                self.serials[key] = self.serials.get(key, 0) + self.rng.randint(1, 7)
                ver.doc_number = f"{doc.code[0]}〔{ver.published.year}〕{self.serials[key]}号"

    def assign_ids(self) -> None:
        used: set[str] = set()
        counters: dict[str, int] = {}

        def unique(base: str) -> str:
            if base not in used:
                used.add(base)
                return base
            k = 2
            while f"{base}-{k}" in used:
                k += 1
            used.add(f"{base}-{k}")
            return f"{base}-{k}"

        def seq(prefix: str) -> str:
            counters[prefix] = counters.get(prefix, 0) + 1
            return unique(f"{prefix}-{counters[prefix]:04d}")

        # Stable order: by kind of document, then date, then title.
        order = sorted(self.docs, key=lambda d: (d.type, d.published, d.first.title, d.area))
        for doc in order:
            if doc.type in ("normative", "regulation"):
                prefix = doc.code[1] if doc.code else "ling"
                doc.id = seq(f"{prefix}-{doc.published.year}")
            elif doc.type == "draft":
                doc.id = seq(f"draft-{doc.published.year}")
            elif doc.type == "keypoints":
                doc.id = seq(f"keypoints-{doc.published.year}")
            elif doc.type == "annual_report":
                doc.id = unique(f"annual-report-{doc.report_year}")
            elif doc.type == "notice" and doc.kind != "result":
                doc.id = seq(f"notice-{doc.published.year}")
        for doc in order:  # ids derived from other documents' ids
            if doc.type == "interpretation":
                suffix = f"-v{doc.interprets_version}" if doc.interprets_version and doc.interprets_version > 1 else ""
                doc.id = unique(f"interp-{doc.interprets.id}{suffix}")
            elif doc.kind == "result":
                doc.id = unique(f"result-{doc.result_of.id}")

    def assign_index_numbers(self) -> None:
        serial: dict[int, int] = {}
        for doc in sorted(self.docs, key=lambda d: (d.published, d.id)):
            year = doc.published.year
            serial[year] = serial.get(year, 0) + 1
            if self.rng.random() < 0.005:
                continue  # left for `publish.py number` (a warning; the build generates one)
            doc.index_number = f"{ORGAN}/{year}-{serial[year]:05d}"

    # ---------------------------------------------------------------- bodies
    def earlier_public(self, before: date, exclude: Doc) -> Doc | None:
        k = bisect.bisect_right(self.public_dates, before)
        if k == 0:
            return None
        target = self.public_sorted[self.rng.randrange(max(0, k - 3000), k)]
        return None if target is exclude else target

    def link(self, doc: Doc, version: int | None = None) -> str:
        """A Markdown link to ``doc`` (with its number when it has one)."""
        anchor = f"#v{version}" if version else ""
        title = nested(doc.versions[(version or len(doc.versions)) - 1].title)
        number = doc.versions[(version or len(doc.versions)) - 1].doc_number
        return f"《[{title}](doc:{doc.id}{anchor})》" + (f"（{number}）" if number else "")

    def reference(self, source: Doc) -> str:
        """A reference to an earlier public document: a doc: link, a bare cited number, or nothing."""
        if not source.public or self.rng.random() >= 0.45:
            return ""
        target = self.earlier_public(source.published, source)
        if target is None:
            return ""
        if self.rng.random() < 0.5:
            return self.link(target)
        return f"《{nested(target.current.title)}》（{target.doc_number}）"

    def paragraph(self, low: int = 2, high: int = 4) -> str:
        return self.bank.sentences(self.rng, self.rng.randint(low, high))

    def numbered(self, start: int = 1, low: int = 2, high: int = 5) -> str:
        items = [f"{start + k}. {self.paragraph(1, 2)}" for k in range(self.rng.randint(low, high))]
        return "\n".join(items)

    def write_bodies(self, doc: Doc) -> None:
        target = self.size_target()
        if doc.kind == "result":
            writer = self.body_result
        elif doc.kind == "cleanup":
            writer = self.body_cleanup
        elif doc.kind == "amend":
            writer = self.body_amend
        elif doc.type in ("interpretation", "draft", "keypoints", "annual_report", "regulation"):
            writer = {"interpretation": self.body_interpretation, "draft": self.body_draft, "keypoints": self.body_keypoints,
                      "annual_report": self.body_annual, "regulation": self.body_articles}[doc.type]
        elif doc.type == "normative":
            writer = self.body_articles if doc.kind in ARTICLE_KINDS + ("规定", "实施办法") else self.body_sections
        else:
            writer = self.body_notice
        doc.first.blocks = writer(doc, target)
        for ver in doc.versions[1:]:
            ver.blocks = self.revise_blocks(doc.versions[ver.number - 2].blocks, ver)

    @staticmethod
    def size(blocks: list[str]) -> int:
        return sum(len(b.encode("utf-8")) + 2 for b in blocks)

    def closing(self, doc: Doc, word: str) -> str:
        ver = doc.first
        text = f"本{word}自{cn_date(ver.takes_effect)}起施行。" if ver.effective else f"本{word}自发布之日起施行。"
        if doc.expires:
            text = text[:-1] + f"，有效期至{cn_date(doc.expires)}。"
        for old in doc.repeals:
            text += f"{self.link(old)}同时废止。"
        return text

    def body_sections(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        blocks = []
        if rng.random() < 0.6:
            blocks.append(rng.choice(["各省、自治区、直辖市及新疆生产建设兵团知识产权局，局机关各部门，专利局各部门，局各直属单位：",
                                      "局机关各部门，专利局各部门，商标局，局各直属单位：", "各有关单位："]))
        ref = self.reference(doc)
        intro = f"为{rng.choice(['深入贯彻落实党中央、国务院决策部署', '进一步提升工作质量和效率', '回应社会关切、优化营商环境'])}，"
        intro += f"根据{ref}等有关规定，" if ref else ""
        intro += f"现就{AREAS[doc.area][0]}工作提出如下{doc.kind if doc.kind in SECTION_KINDS else '意见'}。"
        blocks.append(intro + self.paragraph(1, 2))
        headings = rng.sample(SECTION_HEADINGS, len(SECTION_HEADINGS))
        section = 0
        while self.size(blocks) < target - 400 and section < len(headings):
            section += 1
            blocks.append(f"## {cn_number(section)}、{headings[section - 1]}")
            if rng.random() < 0.55:
                blocks.append(self.numbered())
            else:
                blocks += [self.paragraph() for _ in range(rng.randint(1, 2))]
        blocks.append(self.closing(doc, "通知" if doc.kind == "通知" else "意见" if "意见" in doc.kind else "文件"))
        return blocks

    def body_articles(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        word = doc.kind if doc.kind in ARTICLE_KINDS + ("规定", "实施办法") else "办法"
        word = {"实施细则": "细则", "工作规程": "规程", "暂行办法": "办法", "实施办法": "办法"}.get(word, word)
        blocks: list[str] = []
        article = 0

        def add_article(text: str) -> None:
            nonlocal article
            article += 1
            blocks.append(f"**第{cn_number(article)}条** {text}")

        chapters = rng.random() < 0.6
        if chapters:
            blocks.append("## 第一章 总则")
        ref = self.reference(doc)
        add_article(f"为{rng.choice(['规范', '加强', '推进'])}{AREAS[doc.area][0]}工作，" + (f"根据{ref}，" if ref else "") + f"制定本{word}。")
        add_article(f"本{word}适用于{AREAS[doc.area][0]}有关工作。" + self.paragraph(1, 1))
        names = rng.sample(CHAPTERS, len(CHAPTERS))
        chapter = 1
        while self.size(blocks) < target - 300:
            if chapters and (article % rng.randint(4, 7) == 0) and chapter <= len(names):
                chapter += 1
                blocks.append(f"## 第{cn_number(chapter)}章 {names[chapter - 2]}")
            if rng.random() < 0.2:
                add_article(f"{self.bank.sentence(rng)[:-1]}，包括：")
                blocks.append("\n".join(f"（{cn_number(k + 1)}）{self.bank.clause(rng)}；" for k in range(rng.randint(2, 5))))
            else:
                add_article(self.paragraph(1, 3))
        if chapters:
            blocks.append(f"## 第{cn_number(chapter + 1)}章 附则")
        add_article(f"本{word}由国家知识产权局负责解释。")
        add_article(self.closing(doc, word))
        return blocks

    def body_amend(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        old = doc.amends[0]
        blocks = [f"为{rng.choice(['适应工作需要', '落实“放管服”改革要求', '与上位法相衔接'])}，国家知识产权局决定对{self.link(old)}作如下修改："]
        k = 0
        while self.size(blocks) < target - 200:
            k += 1
            blocks.append(f"{cn_number(k)}、第{cn_number(rng.randint(2, 30))}条修改为：“{self.bank.sentence(rng)}”")
            if rng.random() < 0.3:
                blocks.append(self.paragraph(1, 2))
        blocks.append(f"本决定自{cn_date(doc.first.takes_effect)}起施行。{self.link(old)}根据本决定作相应修改，重新公布。")
        return blocks

    def body_cleanup(self, doc: Doc, target: int) -> list[str]:
        blocks = ["为维护法制统一，根据有关法律、行政法规和国务院部署，国家知识产权局对现行有效的规章和规范性文件进行了清理。经清理，决定废止以下文件：",
                  "\n".join(f"{k + 1}. {self.link(old)}" for k, old in enumerate(doc.repeals))]
        blocks.append(self.paragraph(2, 3))
        while self.size(blocks) < target - 200:
            blocks.append(self.paragraph(2, 4))
        blocks.append(f"本决定自{cn_date(doc.first.takes_effect)}起施行。")
        return blocks

    def body_interpretation(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        policy = doc.interprets
        version = doc.interprets_version
        tv = policy.versions[(version or 1) - 1]
        blocks = [f"{cn_date(tv.published)}，{policy.issuer if isinstance(policy.issuer, str) else '、'.join(policy.issuer)}印发了{self.link(policy, version)}。"
                  "为便于社会公众全面准确理解，现就有关问题解读如下。"]
        questions = ["出台的背景是什么？", "主要内容有哪些？", "对企业和群众有什么影响？", "如何抓好贯彻落实？",
                     "与原有规定相比有哪些变化？", "适用范围是什么？", "有哪些创新举措？"]
        rng.shuffle(questions)
        q = 0
        while self.size(blocks) < target - 200 and q < len(questions):
            if rng.random() < 0.5:
                blocks.append(f"## {cn_number(q + 1)}、{questions[q].rstrip('？')}")
            else:
                blocks.append(f"**问：{questions[q]}**")
            blocks.append(self.paragraph() if rng.random() < 0.6 else self.numbered())
            q += 1
        while self.size(blocks) < target - 200:
            blocks.append(self.paragraph())
        return blocks

    def body_draft(self, doc: Doc, target: int) -> list[str]:
        start, end = doc.comment_period
        blocks = [f"为{self.bank.clause(self.rng)}，我局起草了《{nested(doc.first.title)}》，现向社会公开征求意见。"
                  f"征求意见时间为{cn_date(start)}至{cn_date(end)}，意见可发送电子邮件至 comments@example.org（示例地址）。"]
        blocks += self.body_articles(doc, target - self.size(blocks))
        blocks[-1] = "**附** 本办法施行日期将在正式印发时确定。"
        return blocks

    def body_result(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        draft = doc.result_of
        start, end = draft.comment_period
        blocks = [f"{cn_date(start)}至{cn_date(end)}，国家知识产权局就{self.link(draft)}公开征求意见，共收到有效意见{rng.randint(8, 240)}条。",
                  "**已采纳的主要意见**",
                  "\n".join(f"- {self.bank.sentence(rng)}" for _ in range(rng.randint(2, 4))),
                  "**未采纳的意见及理由**",
                  "\n".join(f"- {self.bank.sentence(rng)}" for _ in range(rng.randint(1, 3)))]
        while self.size(blocks) < target - 100:
            blocks.append(self.paragraph())
        blocks.append("办法定稿后将按程序印发。")
        return blocks

    def body_keypoints(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        year = doc.published.year
        blocks = [f"{year}年政务公开工作要坚持以公开促落实、强监督、优服务，{self.paragraph(1, 2)}"]
        parts = rng.sample(["加强政策解读和回应关切", "深化重点领域信息公开", "完善政务公开制度规范", "提升政务服务水平",
                            "加强公开平台建设", "强化组织保障"], rng.randint(3, 5))
        task = 0
        part = 0
        while self.size(blocks) < target - 200 or part < 2:
            if part >= len(parts):
                parts.append(rng.choice(["推进决策公开", "做好依申请公开", "加强监督考核"]))
            blocks.append(f"## {cn_number(part + 1)}、{parts[part]}")
            part += 1
            items = []
            for _ in range(rng.randint(2, 5)):
                task += 1
                lead = rng.sample(DEPARTMENTS, rng.randint(1, 3))
                clause = f"（{'、'.join(lead)}负责）" if rng.random() < 0.6 else f"（{lead[0]}牵头，{rng.choice(DEPARTMENTS)}配合）"
                items.append(f"{task}. {self.bank.sentence(rng)[:-1]}。{clause}")
            blocks.append("\n".join(items))
        return blocks

    def body_annual(self, doc: Doc, target: int) -> list[str]:
        # Figures are filled in by annual_figures() once every document exists.
        return []

    def annual_figures(self) -> None:
        counts: dict[tuple[int, str], int] = {}
        for doc in self.docs:
            if doc.public:
                counts[(doc.published.year, doc.type)] = counts.get((doc.published.year, doc.type), 0) + 1
        for doc in self.docs:
            if doc.type != "annual_report":
                continue
            rng, year = self.rng, doc.report_year
            received = rng.randint(80, 900)
            blocks = [
                "## 一、总体情况", f"{year}年，国家知识产权局认真贯彻落实《中华人民共和国政府信息公开条例》，{self.paragraph(2, 3)}",
                "## 二、主动公开政府信息情况",
                f"本年度制发规章{counts.get((year, 'regulation'), 0)}件，制发行政规范性文件{counts.get((year, 'normative'), 0)}件，"
                f"发布政策解读{counts.get((year, 'interpretation'), 0)}篇，通知公告{counts.get((year, 'notice'), 0)}件。",
                "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| --- | --- | --- | --- |\n"
                f"| 规章 | {counts.get((year, 'regulation'), 0)} | {rng.randint(0, 3)} | {rng.randint(20, 60)} |\n"
                f"| 行政规范性文件 | {counts.get((year, 'normative'), 0)} | {rng.randint(0, 20)} | {rng.randint(100, 900)} |",
                "## 三、收到和处理政府信息公开申请情况",
                f"本年度新收政府信息公开申请{received}件，上年结转{rng.randint(0, 30)}件，办结{received - rng.randint(0, 20)}件。{self.paragraph(1, 2)}",
                "## 四、政府信息公开行政复议、行政诉讼情况",
                f"本年度因政府信息公开被申请行政复议{rng.randint(0, 12)}件，被提起行政诉讼{rng.randint(0, 6)}件。",
                "## 五、存在的主要问题及改进情况", self.paragraph(2, 4), self.numbered(2, 4, 6),
                "## 六、其他需要报告的事项", "本年度未收取信息处理费。" + self.paragraph(1, 2),
            ]
            doc.first.blocks = blocks

    def body_notice(self, doc: Doc, target: int) -> list[str]:
        rng = self.rng
        target = min(target, rng.randint(2000, 4500))
        blocks = [rng.choice(["各有关单位：", "各省、自治区、直辖市知识产权局，局机关各部门：", "社会各界："])]
        ref = self.reference(doc)
        blocks.append((f"根据{ref}有关要求，" if ref else "") + f"现将{doc.first.title.removeprefix('关于').rsplit('的', 1)[0]}有关事项{doc.kind[:2]}如下。")
        k = 0
        while self.size(blocks) < target - 150:
            k += 1
            blocks.append(f"**{cn_number(k)}、{rng.choice(['工作内容', '时间安排', '办理方式', '有关要求', '联系方式', '适用范围'])}**")
            blocks.append(self.paragraph() if rng.random() < 0.6 else self.numbered())
        issuer = doc.issuer if isinstance(doc.issuer, str) else doc.issuer[0]
        blocks.append(f"{issuer}\n{cn_date(doc.published)}" if rng.random() < 0.5 else "特此通知。")
        return blocks

    def revise_blocks(self, blocks: list[str], ver: Ver) -> list[str]:
        """A later version: some text blocks rewritten, one added, headings kept."""
        rng = self.rng
        new = list(blocks)
        text_blocks = [i for i, b in enumerate(new) if not b.startswith(("## ", "**问")) and 0 < i < len(new) - 1]
        for i in rng.sample(text_blocks, max(1, len(text_blocks) // 6)):
            head = new[i].split(" ", 1)[0] + " " if new[i].startswith("**第") else ""
            new[i] = head + self.paragraph(1, 3)
        new.insert(max(1, len(new) - 2), self.paragraph(1, 2))
        new[-1] += f"{cn_date(ver.published)}修订的条款自{cn_date(ver.takes_effect)}起施行。"
        return new


# --------------------------------------------------------------------------- output
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^#]*$")


def yaml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and ": " not in text and not text.endswith(":") and not re.fullmatch(r"[\d.\-+eE:]+|true|false|null|yes|no|on|off|~", text, re.I):
        return text
    return json.dumps(text, ensure_ascii=False)


def front_matter(doc: Doc, ver: Ver, versioned: bool) -> str:
    lines = ["---", f"id: {doc.id}", f"type: {doc.type}"]
    if versioned:
        lines.append(f"version: {ver.number}")

    def put(key: str, value: object) -> None:
        if value is None or value == [] or value == "":
            return
        lines.append(f"{key}: {yaml_value(value)}")

    put("title", ver.title)
    put("title_en", doc.title_en)
    put("doc_number", ver.doc_number)
    put("index_number", doc.index_number)
    put("issuer", doc.issuer)
    put("topic", doc.topic)
    put("written", ver.written)
    put("published", ver.published)
    put("effective", ver.effective)
    put("expires", doc.expires)
    put("change_note", ver.change_note)
    put("repeals", [d.id for d in doc.repeals])
    put("amends", [d.id for d in doc.amends])
    put("interprets", [doc.interprets.id] if doc.interprets else None)
    put("result_of", doc.result_of.id if doc.result_of else None)
    if doc.status_note:
        put("status", "partially_invalid")
        put("status_note", doc.status_note)
    if doc.comment_period:
        lines += ["comment_period:", f"  start: {doc.comment_period[0].isoformat()}", f"  end: {doc.comment_period[1].isoformat()}"]
    put("report_year", doc.report_year)
    put("disclosure", doc.disclosure)
    put("disclosure_basis", doc.disclosure_basis)
    if ver.review:
        by, when, result = ver.review
        lines += ["review:", f"  by: {yaml_value(by)}", f"  date: {when.isoformat()}", f"  result: {result}"]
    lines.append("demo: true")
    put("keywords", doc.keywords)
    lines.append("---")
    return "\n".join(lines) + "\n"


def body_text(ver: Ver) -> str:
    return "\n" + "\n\n".join(ver.blocks) + "\n"


def relative_path(doc: Doc, ver: Ver) -> str:
    if len(doc.versions) > 1:
        return f"{doc.type}/{doc.id}/v{ver.number}.md"
    return f"{doc.type}/{doc.id}.md"


_DOC_LINK = re.compile(r"\]\(doc:([a-z0-9-]+)(?:#v(\d+))?\)")


def pelican_text(doc: Doc, ver: Ver, by_id: dict[str, Doc]) -> str:
    def replace(match: re.Match[str]) -> str:
        target = by_id[match.group(1)]
        number = int(match.group(2)) if match.group(2) else len(target.versions)
        return f"]({{filename}}/{relative_path(target, target.versions[number - 1])})"

    issuers = doc.issuer if isinstance(doc.issuer, list) else [doc.issuer]
    slug = doc.id if len(doc.versions) == 1 else f"{doc.id}-v{ver.number}"
    header = [f"Title: {ver.title}", f"Date: {ver.published.isoformat()}", f"Slug: {slug}",
              f"Category: {TYPE_LABELS[doc.type]}", f"Author: {issuers[0]}"]
    tags = ([doc.topic] if doc.topic else []) + [k for k in doc.keywords if k != doc.topic]
    if tags:
        header.append("Tags: " + ", ".join(tags))
    return "\n".join(header) + "\n" + _DOC_LINK.sub(replace, body_text(ver))


def write_corpus(docs: list[Doc], out: Path, pelican: bool, manifest: dict) -> tuple[int, int]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    by_id = {d.id: d for d in docs}
    files = size = 0
    for doc in sorted(docs, key=lambda d: d.id):
        if pelican and not doc.public:
            continue  # plain Pelican gets what our site publishes
        for ver in doc.versions:
            path = out / relative_path(doc, ver)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = pelican_text(doc, ver, by_id) if pelican else front_matter(doc, ver, len(doc.versions) > 1) + body_text(ver)
            data = text.encode("utf-8")
            path.write_bytes(data)
            files += 1
            size += len(data)
    manifest["files"], manifest["bytes"] = files, size
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return files, size


def summary(docs: list[Doc]) -> dict:
    types: dict[str, int] = {}
    for doc in docs:
        types[doc.type] = types.get(doc.type, 0) + 1
    probe = sorted((d for d in docs if d.type == "normative" and d.public and len(d.versions) == 1 and not d.repeals
                    and not d.amends and d.kind in SECTION_KINDS), key=lambda d: d.id)
    # a revised document whose versions are all public: its first version's text is edited
    revised = sorted((d for d in docs if d.type == "normative" and d.public and len(d.versions) > 1 and not d.repeals
                      and not d.amends and d.kind in SECTION_KINDS
                      and all(v.review is None or v.review[2] == "passed" for v in d.versions)), key=lambda d: d.id)
    return {
        "documents": len(docs),
        "types": dict(sorted(types.items())),
        "versioned": sum(len(d.versions) > 1 for d in docs),
        "versions": sum(len(d.versions) for d in docs),
        "not_public": sum(d.disclosure != "proactive" for d in docs),
        "review_failed": sum(d.failed for d in docs),
        "repeals": sum(len(d.repeals) for d in docs),
        "amends": sum(len(d.amends) for d in docs),
        "expires": sum(d.expires is not None for d in docs),
        "expired_as_of": sum(d.expires is not None and d.expires < AS_OF for d in docs),
        "not_yet_effective_as_of": sum(d.first.takes_effect > AS_OF for d in docs),
        "partially_invalid": sum(d.status_note is not None for d in docs),
        "public_versions": sum(len(d.versions) for d in docs if d.public),
        # A typical document for edit-and-rebuild measurements (bench/run.py).
        "probe": relative_path(probe[len(probe) // 2], probe[len(probe) // 2].first) if probe else None,
        "revised_probe": relative_path(revised[len(revised) // 2], revised[len(revised) // 2].first) if revised else None,
    }


def generate(count: int, seed: int, out: Path, pelican: bool = False, use_seeds: bool = True) -> dict:
    bank = SentenceBank(use_seeds=use_seeds)
    docs = Generator(count, seed, bank).generate()
    manifest = {"count": count, "seed": seed, "format": "pelican" if pelican else "disclosure", "as_of": AS_OF.isoformat(),
                "sentences": bank.source, "sentences_digest": bank.digest, **summary(docs)}
    write_corpus(docs, out, pelican, manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True, help="number of documents (not files: versions add files)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--pelican", action="store_true", help="plain-Pelican Markdown of the public versions instead")
    parser.add_argument("--no-seeds", action="store_true", help="ignore /work/shared/seeds: built-in sentences only")
    args = parser.parse_args(argv)
    manifest = generate(args.count, args.seed, args.out, args.pelican, not args.no_seeds)
    print(f"{args.out}: {manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB, {manifest['documents']} documents "
          f"({', '.join(f'{k} {v}' for k, v in manifest['types'].items())}); sentences: {manifest['sentences']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
