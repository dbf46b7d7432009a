"""Relevance over the embedded corpus (content/), through the CLI and the static client.

Each query lists the documents a person typing it is looking for, judged by
reading the corpus (not by looking at what the engine returns). Metrics:

* recall@5: the share of the relevant documents found in the first five
  results (out of at most five);
* MRR: the mean of 1/rank of the first relevant result.

Thresholds (see ``RECALL_AT_5_MIN`` and ``MRR_MIN``): the corpus is small
(~30 documents) and most queries have one obvious answer, so a working
engine should put it first nearly every time; MRR ≥ 0.9 allows a handful of
queries whose answer comes second behind a closely related document (an
interpretation ahead of the document it interprets, the 2019 key points
ahead of 2022's). recall@5 ≥ 0.85 leaves room for the few multi-document
queries whose relevant set is larger than what the first five can hold
next to equally plausible neighbours. On top of the averages, every
document-number query must put its document first: a number is an exact
reference and anything else is a bug.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from disclosure_search.cli import cli_search
from disclosure_search.index import build_index
from disclosure_search.static_export import export_static
from disclosure_search.static_lookup import StaticSearch

from search_fixtures import NODE, ROOT, run_client

CONTENT = ROOT / "content"
AS_OF = date(2026, 6, 1)
RECALL_AT_5_MIN = 0.85
MRR_MIN = 0.9

KP22 = "sipo-2022-disclosure-keypoints"
KP19 = "sipo-2019-disclosure-keypoints"
PLAN21 = "sipo-2021-public-service-plan"
GF55 = "gf-2016-55"
S42 = "sipo-2017-42"
RULE = "demo-patent-agency-supervision-rule"
OUTLETS = "demo-2020-info-service-outlets"
OUTLETS_AMEND = "demo-2022-info-service-outlets-amendment"
CREDIT = "demo-2026-agency-credit-rules"
CREDIT_DRAFT = "demo-2026-agency-credit-draft"
CREDIT_RESULT = "demo-2026-agency-credit-consultation-result"

# (category, query, relevant ids in order of preference)
RELEVANCE: list[tuple[str, str, list[str]]] = [
    # titles, whole or in part
    ("title", "国务院关于加快推进互联网+政务服务工作的指导意见", [GF55, "interp-gf-2016-55"]),
    ("title", "加快推进“互联网+政务服务”工作方案", [S42, "interp-sipo-2017-42"]),
    ("title", "2022年政务公开工作要点", [KP22]),
    ("title", "2019年政务公开工作要点", [KP19]),
    ("title", "政务公开工作要点", [KP22, KP19]),
    ("title", "知识产权公共服务能力提升工程工作方案", [PLAN21]),
    ("title", "专利代理监督检查规定", [RULE, "interp-demo-patent-agency-supervision-rule",
                                   "interp-demo-patent-agency-supervision-rule-2024"]),
    ("title", "信息公共服务网点管理办法", [OUTLETS, OUTLETS_AMEND, "interp-demo-2020-info-service-outlets"]),
    ("title", "受理窗口服务规范", ["demo-2023-window-service-rules", "demo-2015-window-service-rules"]),
    ("title", "专利代理机构信用评价管理办法", [CREDIT, CREDIT_DRAFT, "interp-demo-2026-agency-credit-rules"]),
    ("title", "征求意见情况的说明", [CREDIT_RESULT]),
    ("title", "2024年政府信息公开工作年度报告", ["sipo-annual-report-2024"]),
    ("title", "政府信息公开申请渠道", ["demo-notice-2026-application-channels"]),
    # partial phrases, half-remembered
    ("phrase", "公共服务能力提升", [PLAN21]),
    ("phrase", "专利费用减缴", ["demo-2018-fee-reduction-procedure", "interp-demo-2018-fee-reduction-procedure"]),
    ("phrase", "纠纷快速处理试点", ["demo-2019-fast-resolution-pilot", "interp-demo-2019-fast-resolution-pilot"]),
    ("phrase", "国庆节窗口服务安排", ["demo-notice-2025-holiday-service"]),
    ("phrase", "双随机一公开", [RULE]),
    ("phrase", "便民利民", [PLAN21]),
    ("phrase", "网点备案", [OUTLETS, OUTLETS_AMEND]),
    ("phrase", "征求意见稿", [CREDIT_DRAFT]),
    ("phrase", "互联网政务服务指导意见", [GF55]),
    ("phrase", "知识产权局2022政务公开要点", [KP22]),
    ("phrase", "互联网加政务服务", [GF55, S42, "interp-gf-2016-55", "interp-sipo-2017-42"]),
    ("phrase", "专利代理监督检查规定修改", ["interp-demo-patent-agency-supervision-rule-2024", RULE]),
    # document numbers in every written form
    ("number", "495号", [KP22]),
    ("number", "〔2022〕495", [KP22]),
    ("number", "[2022] No. 495", [KP22]),
    ("number", "国知办函办字(2022)495号", [KP22]),
    ("number", "国知办函办字【2022】495号", [KP22]),
    ("number", "Guozhiban Hanbanzi [2022] No. 495", [KP22]),
    ("number", "国发〔2016〕55号", [GF55]),
    ("number", "国发[2016]55号", [GF55]),
    ("number", "国知办发办字〔2017〕42号", [S42]),
    ("number", "（2017）42号", [S42]),
    ("number", "904号", [OUTLETS]),
    ("number", "国知发演字〔2020〕904号", [OUTLETS]),
    ("number", "〔2026〕907号", [CREDIT]),
    # Traditional script and Taiwan terms
    ("traditional", "知識產權公共服務能力提升工程", [PLAN21]),
    ("traditional", "智慧財產權公共服務能力提升", [PLAN21]),
    ("traditional", "專利代理監督檢查規定", [RULE]),
    ("traditional", "政務公開工作要點", [KP22, KP19]),
    ("traditional", "國發〔2016〕55號", [GF55]),
    ("traditional", "政府資訊公開申請管道", ["demo-notice-2026-application-channels"]),
    ("traditional", "智慧財產權資訊公共服務網點", [OUTLETS, OUTLETS_AMEND, "interp-demo-2020-info-service-outlets"]),
    # departments
    ("issuer", "条法司", [
        "interp-demo-patent-agency-supervision-rule", "interp-demo-patent-agency-supervision-rule-2024",
    ]),
    ("issuer", "运用促进司", [CREDIT_RESULT, "interp-demo-2026-agency-credit-rules"]),
    ("issuer", "国务院办公厅", ["interp-gf-2016-55"]),
    ("issuer", "保护司", ["interp-demo-2019-fast-resolution-pilot"]),
    # English titles
    ("english", "Key Points of Government Affairs Disclosure Work in 2022", [KP22]),
    ("english", "Guiding Opinions Internet + Government Services", [GF55]),
    ("english", "Intellectual Property Public Service Capability Enhancement Project", [PLAN21]),
    ("english", "Credit Evaluation of Patent Agencies", [CREDIT, CREDIT_DRAFT]),
    ("english", "IP information public service outlets", [OUTLETS, OUTLETS_AMEND]),
    ("english", "annual report on government information disclosure 2024", ["sipo-annual-report-2024"]),
    # words and numbers of an amended text only: the document is found through its older version
    ("version", "国家知识产权局令第901号", [RULE + "@v1"]),
    ("version", "经营情况纸质报告一式两份", [RULE + "@v1"]),
    ("version", "二十个工作日内通过局门户网站向社会公开", [RULE + "@v1"]),
]


def test_the_relevance_set_is_big_enough() -> None:
    assert len(RELEVANCE) >= 40
    assert {c for c, _, _ in RELEVANCE} == {"title", "phrase", "number", "traditional", "issuer", "english", "version"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from disclosure.corpus import load_corpus
    from disclosure_search.records import records_from_corpus

    result = load_corpus(CONTENT)
    records = records_from_corpus(result.corpus.public(), AS_OF)
    known = {r.id for r in records}
    missing = sorted({i for _, _, ids in RELEVANCE for i in ids} - known)
    assert not missing, f"relevance set names documents not in the public corpus: {missing}"
    base = tmp_path_factory.mktemp("relevance")
    build_index(records, base / "ix")
    export_static(base / "ix", base / "search")
    return base / "ix", base / "search"


def cli_ids(index_dir: Path, query: str) -> list[str]:
    code, text = cli_search(index_dir, query, None, None, None, True)
    assert code == 0, text
    return [hit["id"] for hit in json.loads(text)["hits"]]


def metrics(ranked: list[str], relevant: list[str]) -> tuple[float, float]:
    top = ranked[:5]
    recall = len(set(top) & set(relevant)) / min(5, len(relevant))
    rank = next((i + 1 for i, doc in enumerate(ranked) if doc in relevant), None)
    return recall, (1.0 / rank if rank else 0.0)


def test_relevance(built: tuple[Path, Path]) -> None:
    ix, export = built
    recalls, rrs, report, failures = [], [], [], []
    for category, query, relevant in RELEVANCE:
        ranked = cli_ids(ix, query)
        recall, rr = metrics(ranked, relevant)
        recalls.append(recall)
        rrs.append(rr)
        if recall < 1 or rr < 1:
            report.append(f"  {category:<11} {query!r}: recall@5={recall:.2f} rr={rr:.2f} top={ranked[:5]}")
        if category == "number" and ranked[:1] != relevant[:1]:
            failures.append(f"number query {query!r} ranked {ranked[:3]}")
    recall_at_5 = sum(recalls) / len(recalls)
    mrr = sum(rrs) / len(rrs)
    print(f"\nrelevance over {len(RELEVANCE)} queries: recall@5 = {recall_at_5:.3f}, MRR = {mrr:.3f}")
    print("\n".join(report))
    assert not failures, failures
    assert recall_at_5 >= RECALL_AT_5_MIN
    assert mrr >= MRR_MIN


def test_static_client_gives_the_same_top_results(built: tuple[Path, Path]) -> None:
    ix, export = built
    for _, query, _ in RELEVANCE:
        client = StaticSearch.from_folder(export)
        assert [h["id"] for h in client.search(query, limit=10)] == cli_ids(ix, query)[:10], query


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_search_js_gives_the_same_top_results(built: tuple[Path, Path]) -> None:
    ix, export = built
    results = run_client(export, [{"q": q, "limit": 10} for _, q, _ in RELEVANCE])
    for (_, query, _), got in zip(RELEVANCE, results):
        assert [h["id"] for h in got["hits"]] == cli_ids(ix, query)[:10], query


def test_one_result_per_document_shown_by_its_current_version(built: tuple[Path, Path]) -> None:
    ix, export = built
    for _, query, _ in RELEVANCE:
        code, text = cli_search(ix, query, None, None, None, True)
        documents = [hit["document"] for hit in json.loads(text)["hits"]]
        assert len(documents) == len(set(documents)), query
    # both versions match the title; the current one stands for the document
    for engine in (lambda q: cli_ids(ix, q), lambda q: [h["id"] for h in StaticSearch.from_folder(export).search(q)]):
        ranked = engine("专利代理监督检查规定")
        assert ranked[0] == RULE and RULE + "@v1" not in ranked
    # filtered to amended texts, only the older version is left to stand for it
    client = StaticSearch.from_folder(export)
    assert [h["id"] for h in client.search("专利代理监督检查规定", status="amended")] == [RULE + "@v1"]
    assert "h.json" in client.fetched
