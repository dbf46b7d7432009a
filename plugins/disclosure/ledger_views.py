"""What the site shows of the ledger: the public register of disclosed items (公开目录台账).

Rows are made only from the public corpus and from ledger entries of documents that
were published.  Non-public documents appear only as counts by disclosure attribute
and legal basis: never their titles, ids, numbers or hashes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .corpus import Corpus
from .document import Disclosure, DocType
from .effectiveness import status_on
from .ledger_chain import LedgerFile, replay, write_atomic
from .spreadsheet import csv_text, safe_cell

COLUMNS = ("序号", "索引号", "标题", "发文字号", "发文机关", "类型", "成文日期", "发布日期", "公开方式", "有效性", "解读",
           "审查", "内容哈希", "链接")
FORM = "主动公开（门户网站）"
WITHDRAWN_FORM = "主动公开（已从网站撤回）"
REVIEW_RESULT = {"passed": "通过", "failed": "未通过"}
HELD_BACK_BASIS = "保密审查未通过，暂不公开"


_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?(?:第[（(]?[一二三四五六七八九十\d]+[）)]?项)?")
_KNOWN_LAWS = (("政府信息公开条例", "《政府信息公开条例》"), ("保守国家秘密法", "《保守国家秘密法》"))


def basis_category(basis: str | None) -> str:
    """The legal ground reduced to law and article, for counts.

    Only this category is shown publicly: the free text an editor wrote for a
    non-public document may describe it, so it never reaches the site.
    """
    if not basis:
        return "未注明依据"
    law = next((label for key, label in _KNOWN_LAWS if key in basis), "其他法律法规")
    article = _ARTICLE.search(basis)
    return law + (article.group(0) if article else "")


def _published_states(entries: Iterable[dict[str, Any]], as_of: date):  # type: ignore[no-untyped-def]
    """Replay the entries dated on or before ``as_of``; keep only documents that were published."""
    kept = [e for e in entries if str(e.get("date", "")) <= as_of.isoformat()]
    ledger = LedgerFile(Path("ledger"), entries=kept, lines=list(range(1, len(kept) + 1)))
    states, _ = replay(ledger)
    return {doc_id: state for doc_id, state in states.items() if state.ever_public}


def public_rows(corpus: Corpus, public_corpus: Corpus, entries: Iterable[dict[str, Any]], as_of: date,
                *, _states: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per disclosed item, as of ``as_of``: on the site, or withdrawn (still listed).

    ``corpus`` is accepted for symmetry with :func:`public_view`; rows never read it.
    """
    visible = public_corpus.public(as_of)
    states = _published_states(entries, as_of) if _states is None else _states
    rows: list[tuple[tuple[str, str], dict[str, Any]]] = []
    for doc in visible:
        effect = status_on(visible, doc, as_of)
        current = doc.current
        review = current.review
        interpretations = sorted(visible.interpretations_of(doc.id), key=lambda d: (d.published, d.id))
        rows.append(((doc.published.isoformat(), doc.id), {
            "索引号": doc.index_number,
            "标题": doc.title,
            "发文字号": doc.doc_number or "",
            "发文机关": "、".join(doc.issuers),
            "类型": doc.type.label_zh,
            "类型代码": doc.type.value,
            "成文日期": doc.written.isoformat() if doc.written else "",
            "发布日期": doc.published.isoformat(),
            "公开方式": FORM,
            "有效性": f"{effect.status.label_zh}（{effect.reason}）",
            "有效性代码": effect.status.value,
            "解读": [{"标题": i.title, "发布日期": i.published.isoformat(), "链接": i.url} for i in interpretations],
            "审查": {"审查机构": review.by, "审查日期": review.date.isoformat(), "审查结论": REVIEW_RESULT[review.result.value]}
            if review else {},
            "内容哈希": current.sha256,
            "链接": doc.url,
        }))
    for doc_id, state in sorted(states.items()):
        if state.live or visible.get(doc_id) is not None or state.last_publication is None:
            continue
        entry = state.last_publication
        review = entry.get("review") or {}
        try:
            type_label = DocType(entry.get("type")).label_zh
        except ValueError:
            type_label = str(entry.get("type"))
        rows.append(((str(state.first_published), doc_id), {
            "索引号": entry.get("index_number") or "",
            "标题": entry.get("title") or "",
            "发文字号": entry.get("doc_number") or "",
            "发文机关": "",
            "类型": type_label,
            "类型代码": str(entry.get("type")),
            "成文日期": "",
            "发布日期": str(state.first_published),
            "公开方式": WITHDRAWN_FORM,
            "有效性": f"已撤回（{state.withdrawn_note}）" if state.withdrawn_note else "已撤回",
            "有效性代码": "withdrawn",
            "解读": [],
            "审查": {"审查机构": review.get("by", ""), "审查日期": review.get("date", ""),
                   "审查结论": REVIEW_RESULT.get(review.get("result", ""), "")} if review else {},
            "内容哈希": entry.get("sha256") or "",
            "链接": "",
        }))
    rows.sort(key=lambda item: item[0])
    result = []
    for number, (_, row) in enumerate(rows, start=1):
        result.append({"序号": number, **row})
    return result


def public_counts(corpus: Corpus, public_corpus: Corpus, rows: list[dict[str, Any]], as_of: date,
                  withdrawn_ids: Iterable[str] = ()) -> dict[str, Any]:
    """Counts by type, year, status and disclosure attribute; non-public items only as counts."""
    visible = public_corpus.public(as_of)
    by_type: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    listed = set()
    for row in rows:
        by_type[row["类型代码"]] += 1
        by_year[row["发布日期"][:4]] += 1
        by_status[row["有效性代码"]] += 1
    for doc in visible:
        listed.add(doc.id)
    withdrawn = sum(1 for row in rows if row["有效性代码"] == "withdrawn")
    by_disclosure = {"proactive": len(rows) - withdrawn, "withdrawn": withdrawn, "on_request": 0, "not_public": 0, "held_back": 0}
    by_basis: Counter[str] = Counter()
    listed |= set(withdrawn_ids)
    for doc in corpus.documents:
        if doc.id in listed or doc.published > as_of:
            continue
        if doc.disclosure is Disclosure.PROACTIVE:
            by_disclosure["held_back"] += 1
            by_basis[HELD_BACK_BASIS] += 1
        else:
            by_disclosure[doc.disclosure.value] += 1
            by_basis[basis_category(doc.disclosure_basis)] += 1
    return {
        "by_type": dict(sorted(by_type.items())),
        "by_year": dict(sorted(by_year.items())),
        "by_status": dict(sorted(by_status.items())),
        "by_disclosure": by_disclosure,
        "withheld_by_basis": dict(sorted(by_basis.items())),
        "listed": len(rows),
    }


def public_view(corpus: Corpus, public_corpus: Corpus, entries: list[dict[str, Any]], as_of: date) -> dict[str, Any]:
    """Everything the site's ledger page needs: rows, counts, and the head hash of the ledger."""
    states = _published_states(entries, as_of)
    rows = public_rows(corpus, public_corpus, entries, as_of, _states=states)
    visible = public_corpus.public(as_of)
    withdrawn = [doc_id for doc_id, state in states.items() if not state.live and visible.get(doc_id) is None]
    return {
        "as_of": as_of.isoformat(),
        "head": entries[-1]["hash"] if entries else "",
        "entries": len(entries),
        "rows": rows,
        "counts": public_counts(corpus, public_corpus, rows, as_of, withdrawn),
    }


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "；".join(f"{item['标题']}（{item['发布日期']}）" if isinstance(item, dict) else str(item) for item in value)
    if isinstance(value, dict):
        return "，".join(str(v) for v in value.values() if v)
    return "" if value is None else str(value)


def write_ledger_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """The rows as CSV for Excel: UTF-8 with a BOM, CRLF line ends, fixed columns."""
    text = csv_text([COLUMNS, *([_cell(row.get(column)) for column in COLUMNS] for row in rows)])
    write_atomic(Path(path), text.encode("utf-8"))


def ledger_csv_cell(value: Any) -> str:
    """A row's value as a cell of :func:`write_ledger_csv`'s file (before CSV quoting)."""
    return safe_cell(_cell(value))


def write_ledger_json(view: dict[str, Any], path: Path) -> None:
    """The view as deterministic JSON (sorted keys, UTF-8, trailing newline)."""
    write_atomic(Path(path), (json.dumps(view, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8"))
