"""Regenerate the small fixture corpora of tests/test_check.py (one folder per case).

Run `python tests/corpora/make_corpora.py` after changing a case here, then
`python -m pytest tests/test_check.py --update-golden` and review the diff of the
`expected.txt` files: they are the contract of the error messages.
"""

from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).parent


def doc(doc_id, type="normative", extra="", number=None, published="2024-03-01", body="正文。\n",
        review=True, disclosure="proactive"):
    day = date.fromisoformat(published)
    lines = ["---", f"id: {doc_id}", f"type: {type}", f"title: 测试文件{doc_id}"]
    if type in ("normative", "regulation"):
        lines += [f"doc_number: {number or '测试发〔2024〕1号'}", "topic: 测试",
                  f"written: {day - timedelta(days=10)}", f"effective: {published}"]
    lines += ["issuer: 测试机关", f"published: {published}", f"disclosure: {disclosure}"]
    if review:
        lines += ["review:", "  by: 审查员", f"  date: {day - timedelta(days=5)}", "  result: passed"]
    if extra:
        lines += extra.strip("\n").split("\n")
    lines += ["---", "", body]
    return "\n".join(lines)


N1, N2 = "测试发〔2024〕1号", "测试发〔2024〕2号"
CASES = {
    "minimal": {"a.md": doc("a", number=N1)},
    "broken_yaml": {"a.md": "---\nid: a\ntype: notice\ntitle: [未闭合\nissuer: 机关\npublished: 2024-03-01\ndisclosure: proactive\n---\n正文\n"},
    "no_front_matter": {"a.md": "# 只有正文\n"},
    "unclosed_front_matter": {"a.md": "---\nid: a\ntype: notice\n"},
    "missing_required_field": {"a.md": doc("a", number=N1).replace(f"doc_number: {N1}\n", "")},
    "unknown_field": {"a.md": doc("a", number=N1, extra="efective: 2024-03-01")},
    "wrong_type": {"a.md": doc("a", type="notice", extra="repeals: 5\ndemo: 'yes'\nissuer_extra: x")},
    "impossible_date": {"a.md": doc("a", number=N1).replace("effective: 2024-03-01", "effective: 2024-13-01")},
    "written_after_published": {"a.md": doc("a", number=N1).replace("written: 2024-02-20", "written: 2024-04-20")},
    "expires_before_effective": {"a.md": doc("a", number=N1, extra="expires: 2023-12-31")},
    "duplicate_id": {"a.md": doc("a", number=N1), "b.md": doc("a", number=N2)},
    "duplicate_doc_number": {"a.md": doc("a", number=N1), "b.md": doc("b", number=N1)},
    "duplicate_index_number": {"a.md": doc("a", number=N1, extra="index_number: T/2024-00001"),
                               "b.md": doc("b", number=N2, extra="index_number: T/2024-00001")},
    "unknown_reference": {"a.md": doc("a", number=N1, extra="repeals: [b-old]"),
                          "b.md": doc("b-odl", number=N2, published="2024-01-01")},
    "reference_cycle": {"a.md": doc("a", number=N1, extra="amends: b"), "b.md": doc("b", number=N2, extra="amends: a")},
    "interpretation_without_target": {"a.md": doc("a", type="interpretation")},
    "repeal_of_later_document": {"a.md": doc("a", number=N1, extra="repeals: [b]"),
                                 "b.md": doc("b", number=N2, published="2024-05-01")},
    "not_public_without_basis": {"a.md": doc("a", type="notice", disclosure="not_public")},
    "proactive_without_review": {"a.md": doc("a", type="notice", review=False)},
    "status_contradiction": {"a.md": doc("a", number=N1, extra="status: effective"),
                             "b.md": doc("b", number=N2, published="2024-06-01", extra="repeals: a")},
    "partially_invalid_contradiction": {"a.md": doc("a", number=N1, extra="expires: 2024-06-30\nstatus: partially_invalid\nstatus_note: 第三条失效")},
    "body_link_to_missing_document": {"a.md": doc("a", type="notice", body="见[另一文件](doc:nope)。\n\n另见[本文件第二版](doc:a#v2)。\n")},
    "review_failed": {"a.md": doc("a", type="notice").replace("result: passed", "result: failed")},
    "duplicate_key": {"a.md": doc("a", type="notice", extra="title: 又一个标题")},
    "version_folder_mismatch": {"x/v1.md": doc("y", type="notice", extra="version: 1"),
                                "z/v1.md": doc("z", type="notice", extra="version: 2\nchange_note: 改")},
    "versions_out_of_order": {"r/v1.md": doc("r", type="notice", extra="version: 1", published="2024-03-01"),
                              "r/v2.md": doc("r", type="notice", extra="version: 2\nchange_note: 修改", published="2024-02-01")},
    "public_repealed_by_not_public": {"a.md": doc("a", number=N1, published="2024-01-01"),
                                      "b.md": doc("b", number=N2, extra="repeals: a\ndisclosure_basis: 第十六条", disclosure="not_public")},
    "public_link_to_not_public": {"a.md": doc("a", type="notice", body="见[内部文件](doc:b)。\n"),
                                  "b.md": doc("b", type="notice", disclosure="on_request", extra="disclosure_basis: 依申请")},
    "many_errors_in_one_run": {
        "a.md": doc("a", number=N1).replace("effective: 2024-03-01", "effective: 2024-02-30"),
        "b.md": doc("b", number=N1, extra="interprets: a"),
        "c.md": "---\nid: C\ntype: memo\n---\n",
    },
}


def main() -> None:
    for case, files in CASES.items():
        for name, text in files.items():
            path = ROOT / case / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
