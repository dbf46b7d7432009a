"""Fixture records for the search tests, written for these tests (not taken from any real document)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

from disclosure_search.records import SearchRecord

ROOT = Path(__file__).resolve().parents[2]
SEARCH_JS = ROOT / "plugins" / "disclosure_search" / "static" / "search.js"
HARNESS = Path(__file__).with_name("client_harness.js")
NODE = shutil.which("node")


def rec(doc_id: str, title: str, text: str, **kw: Any) -> SearchRecord:
    """A record with sensible defaults for the fields a test does not care about."""
    published = kw.pop("published", "2020-01-01")
    values: dict[str, Any] = {
        "id": doc_id,
        "version": 1,
        "url": f"documents/{doc_id}/",
        "title": title,
        "title_en": "",
        "text": text,
        "doc_number": "",
        "issuers": ("示例知识产权局",),
        "type": "notice",
        "topic": "",
        "year": int(published[:4]),
        "published": published,
        "status": "effective",
        "in_force": True,
    }
    values.update(kw)
    return SearchRecord(**values)


RECORDS: list[SearchRecord] = [
    rec(
        "kp-2022",
        "示例知识产权局办公室关于印发《2022年政务公开工作要点》的通知",
        "各部门：现将本年度政务公开工作要点印发给你们，请结合职责抓好落实。"
        "要点共十二项任务，涵盖政策解读、依申请公开、平台建设和监督评议。"
        "各部门应在印发后五个工作日内报送联系人。",
        doc_number="示知办函字〔2022〕495号",
        title_en="Key Points of Government Information Disclosure Work in 2022",
        type="keypoints",
        topic="政务公开",
        issuers=("示例知识产权局办公室",),
        published="2022-05-30",
    ),
    rec(
        "kp-2019",
        "示例知识产权局2019年政务公开工作要点",
        "本年度要点围绕中心工作，提升政务公开质量，加强政策解读和舆情回应，"
        "推进专利审查信息和商标注册信息公开，完善依申请公开答复规范。",
        title_en="Key Points of Government Information Disclosure Work in 2019",
        type="keypoints",
        topic="政务公开",
        published="2019-06-12",
    ),
    rec(
        "plan-2021",
        "示例知识产权局关于印发知识产权公共服务能力提升工程工作方案的通知",
        "为建设便民利民的知识产权公共服务体系，制定本方案。"
        "主要任务包括：建设省级公共服务平台，培育信息服务网点，开展专利信息利用培训，"
        "推动公共服务事项网上办理。到年底，地市级综合服务网点覆盖率明显提高。",
        title_en="Work Plan for Enhancing Intellectual Property Public Service Capability",
        type="notice",
        topic="公共服务",
        issuers=("示例知识产权局", "示例知识产权局公共服务司"),
        published="2021-06-10",
    ),
    rec(
        "internet-plus",
        "示例知识产权局加快推进互联网+政务服务工作方案",
        "推动专利、商标业务网上办理，实现办事指南在线公开、申请材料电子化提交。"
        "建设统一身份认证和电子证照共享，优化网上缴费流程。",
        doc_number="示知办发字〔2017〕42号",
        title_en="Work Plan for Accelerating Internet plus Government Services",
        type="normative",
        topic="政务服务",
        published="2017-09-28",
    ),
    rec(
        "council-55",
        "示例国务院关于加快推进互联网+政务服务工作的指导意见",
        "各地区各部门要优化再造政务服务流程，推进实体政务大厅与网上服务平台融合发展，"
        "夯实支撑基础，加强组织保障。",
        doc_number="示发〔2016〕55号",
        title_en="Guiding Opinions on Accelerating Internet + Government Services",
        type="normative",
        issuers=("示例国务院",),
        published="2016-09-29",
    ),
    rec(
        "fee-rules",
        "专利费用减缴办理规程",
        "第一条 为方便申请人办理专利费用减缴，制定本规程。第二条 个人和小微企业可以请求减缴年费。"
        "第三条 请求人应当如实提交收入证明。",
        doc_number="示知发字〔2018〕902号",
        type="normative",
        status="partially_invalid",
        in_force=True,
        published="2018-04-09",
    ),
    rec(
        "agency-rule",
        "专利代理监督检查规定",
        "第一条 为规范专利代理监督检查，维护专利代理市场秩序，制定本规定。"
        "第二条 监督检查可以采取书面检查、实地检查和网络监测等方式。",
        doc_number="示例局令第902号",
        type="regulation",
        version=2,
        published="2021-06-25",
    ),
    rec(
        "window-2015",
        "专利业务受理窗口服务规范",
        "窗口工作人员应当佩戴工作牌，使用文明用语，一次性告知需要补正的材料。",
        doc_number="示知发字〔2015〕901号",
        type="normative",
        status="repealed",
        in_force=False,
        published="2015-03-16",
    ),
    rec(
        "window-2023",
        "知识产权业务受理窗口服务规范",
        "窗口实行一窗通办，专利、商标业务在同一窗口受理；推行预约服务和延时服务。",
        doc_number="示知发字〔2023〕906号",
        type="normative",
        published="2023-06-20",
    ),
    rec(
        "interp-window",
        "《知识产权业务受理窗口服务规范》解读",
        "本解读说明窗口服务规范修订的背景：群众反映多头跑、多次跑，修订后实行一窗通办。",
        type="interpretation",
        published="2023-06-21",
    ),
    rec(
        "draft-credit",
        "专利代理机构信用评价管理办法（征求意见稿）",
        "现就专利代理机构信用评价指标、评价等级和结果运用公开征求意见，意见反馈截止日期为三月底。",
        type="draft",
        status="not_yet_effective",
        in_force=False,
        published="2026-03-10",
    ),
    rec(
        "report-2024",
        "示例知识产权局2024年政府信息公开工作年度报告",
        "本年度主动公开政府信息，办理政府信息公开申请，未发生因政府信息公开被申请行政复议的情况。"
        "网站全面支持IPv6访问。",
        title_en="Annual Report on Government Information Disclosure 2024",
        type="annual_report",
        published="2025-01-20",
    ),
    rec(
        "tw-note",
        "關於智慧財產權資訊服務的說明",
        "本說明以繁體字撰寫，介紹智慧財產權資訊服務網點的申請流程與軟體系統。",
        type="notice",
        published="2020-08-14",
    ),
    rec(
        "holiday",
        "关于国庆节期间业务受理窗口服务安排的公告",
        "国庆节期间窗口暂停现场受理，网上业务正常办理。" + "节后恢复正常受理。" * 30
        + "如需咨询请拨打服务热线。",
        type="notice",
        published="2025-09-22",
    ),
]


def by_id(doc_id: str) -> SearchRecord:
    """The fixture record with this id."""
    return next(r for r in RECORDS if r.id == doc_id)


def changed(record: SearchRecord, **kw: Any) -> SearchRecord:
    """A copy of ``record`` with some fields changed."""
    return replace(record, **kw)


_PHRASES = [text for r in RECORDS for text in r.text.replace("。", "。\n").split("\n") if text]
_TITLES = [r.title for r in RECORDS]


def synthetic_records(count: int, seed: int = 7) -> list[SearchRecord]:
    """``count`` deterministic records recombining fixture sentences (for size and speed tests)."""
    rng = random.Random(seed)
    types = ["normative", "notice", "interpretation", "keypoints", "draft"]
    out = []
    for i in range(count):
        year = 2010 + rng.randrange(16)
        body = "".join(rng.choice(_PHRASES) for _ in range(rng.randrange(3, 12)))
        title = rng.choice(_TITLES)[: rng.randrange(8, 20)] + f"（第{i}号）"
        out.append(
            rec(
                f"syn-{i:05d}",
                title,
                body,
                doc_number=f"示合字〔{year}〕{i}号",
                type=rng.choice(types),
                published=f"{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
            )
        )
    return out


def run_client(export_dir: Path, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run ``static/search.js`` under node for each request (fresh client each), return its output."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(HARNESS), str(SEARCH_JS), str(export_dir)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def node_eval(script: str, payload: Any) -> Any:
    """Evaluate a node snippet with ``search`` (the client module) and ``input`` (payload) in scope."""
    assert NODE is not None
    code = (
        f"const search = require({json.dumps(str(SEARCH_JS))});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"process.stdout.write(JSON.stringify((function () {{ {script} }})()));"
    )
    done = subprocess.run([NODE, "-e", code], input=json.dumps(payload), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
