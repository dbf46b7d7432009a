"""Normalisation, document numbers and tokenisation (Python, and the same in search.js)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure_search.analysis import document_tokens, query_terms
from disclosure_search.docnumber import canonical_doc_number, find_doc_numbers
from disclosure_search.script import REGIONAL_TERMS, normalise, normalise_with_offsets, t2s_table

from search_fixtures import NODE, node_eval

NUMBER_FORMS = [
    "国知办函办字〔2022〕495号",
    "国知办函办字[2022]495号",
    "国知办函办字(2022)495号",
    "国知办函办字（2022）495号",
    "国知办函办字【2022】495号",
    "國知辦函辦字〔2022〕495號",
    "〔2022〕495",
    "[2022] No. 495",
    "Guozhiban Hanbanzi [2022] No. 495",
    "（２０２２）４９５号",
    "［２０２２］第４９５号",
]


@pytest.mark.parametrize("form", NUMBER_FORMS)
def test_every_written_form_gives_the_same_canonical_tokens(form: str) -> None:
    number = canonical_doc_number(form)
    assert number is not None
    assert (number.year, number.seq) == (2022, 495)
    assert number.tokens == ("2022-495", "no:495")
    assert query_terms(form).core[:2] == ("2022-495", "no:495")


@pytest.mark.parametrize("form", ["495号", "第495号", "No. 495", "no.495", "４９５号"])
def test_sequence_only_forms_give_the_sequence_token(form: str) -> None:
    assert query_terms(form).core == ("no:495",)
    number = canonical_doc_number(form)
    assert number is not None and number.year is None and number.seq == 495


def test_issuer_prefix_is_kept_and_normalised() -> None:
    simplified = canonical_doc_number("国知办函办字(2022)495号")
    traditional = canonical_doc_number("國知辦函辦字〔2022〕495號")
    assert simplified is not None and traditional is not None
    assert simplified.prefix == traditional.prefix == "国知办函办字"
    assert simplified.key == traditional.key == "国知办函办字:2022-495"
    assert simplified.canonical == "国知办函办字〔2022〕495号"


def test_the_prefix_is_matched_like_text() -> None:
    terms = query_terms("国知办函办字(2022)495号")
    assert "国知办函办字" in terms.bonus
    assert "办字" in terms.core
    assert "国知办函办字" in document_tokens("国知办函办字〔2022〕495号", whole_runs=True)


@pytest.mark.parametrize(
    "text",
    ["1234567号", "casino 5", "电话 82566227", "2022年5月30日", "no5000000"],
)
def test_things_that_are_not_document_numbers(text: str) -> None:
    assert not any(t.startswith("no:") for t in query_terms(text).core)


def test_numbers_in_running_text_are_found() -> None:
    norm = normalise("根据国发〔2016〕55号和国知办发办字〔2017〕42号的部署")
    assert [f.tokens for f in find_doc_numbers(norm)] == [("2016-55", "no:55"), ("2017-42", "no:42")]


@pytest.mark.parametrize("text", ["知識產權", "智慧財產權", "智慧财产权", "知识产权"])
def test_traditional_and_regional_terms_become_mainland_simplified(text: str) -> None:
    assert normalise(text) == "知识产权"


def test_full_width_letters_and_digits_fold_and_lower() -> None:
    assert normalise("ＩＰｖ６　２０２２年") == "ipv6 2022年"


def test_offsets_map_back_to_the_original_characters() -> None:
    norm = normalise_with_offsets("關於智慧財產權的說明")
    assert norm.text == "关于知识产权的说明"
    i = norm.text.index("知识产权")
    assert (norm.starts[i], norm.ends[i + 3]) == (2, 7)


def test_fast_and_offset_normalisation_agree() -> None:
    text = "國家智慧財產權局ＡＢＣ　（2022）資訊公開，软体與網路"
    assert normalise(text) == normalise_with_offsets(text).text


def test_query_terms_are_bigrams_runs_and_latin_words() -> None:
    terms = query_terms("知識產權 公共服务 Key Points of Disclosure 2022")
    assert terms.core == ("知识", "识产", "产权", "公共", "共服", "服务", "key", "point", "disclosure", "2022")
    assert terms.bonus == ("知识产权", "公共服务")
    assert query_terms("政").core == ("政",)


def test_document_tokens_have_unigrams_bigrams_and_words() -> None:
    tokens = document_tokens("国家知识产权局")
    assert {"国", "知", "知识", "识产", "国家知识产权局"} <= set(tokens)
    # a two-character substring inside a longer word is still indexed
    assert "产权" in tokens


# --- The client (search.js) tokenises queries exactly like Python -------------------------

_ALPHABET = (
    "知識识產产權权智慧財财政务務公开開服务務國国家局办辦函字号號第年的 "
    "〔〕[]()（）【】〖〗. ０１２３4567890 NoNO.no Key Points ss's abc ＡＢＣ\u3000-+、，。《》"
)


def _random_queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = [*NUMBER_FORMS, "智慧財產權資訊服務網路", "政府資訊公開", "𠀀𠀁字", "Ⅻ ﬁle ㈱ ①"]
    for _ in range(count):
        out.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(1, 24))))
    return out


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_client_query_terms_equal_python_query_terms() -> None:
    queries = _random_queries(400)
    norm = {"chars": t2s_table(), "phrases": REGIONAL_TERMS}
    got = node_eval(
        "const t = search.makeTable(input.norm);"
        "return input.queries.map(function (q) { return search.queryTerms(q, t); });",
        {"queries": queries, "norm": norm},
    )
    for query, js in zip(queries, got):
        py = query_terms(query)
        assert (tuple(js["core"]), tuple(js["bonus"])) == (py.core, py.bonus), query


@given(st.text(alphabet=st.sampled_from(sorted(set(_ALPHABET))), max_size=30))
def test_query_terms_never_fail_and_are_unique(query: str) -> None:
    terms = query_terms(query)
    assert len(set(terms.core)) == len(terms.core)
    assert len(set(terms.bonus)) == len(terms.bonus)


# --- Document tokens: the joined-runs implementation equals the definition -----------------

def _tokens_run_by_run(text: str, whole_runs: bool) -> list[str]:
    """The definition (module docstring), one Chinese run at a time."""
    from disclosure_search.analysis import MAX_WHOLE_RUN, MIN_WHOLE_RUN, _split, latin_term
    from disclosure_search.segmentation import segment

    numbers, runs = _split(normalise(text))
    tokens = list(numbers)
    for run, chinese in runs:
        if chinese:
            tokens.extend(run)
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
            if len(run) > 1:
                tokens.extend(word for word in segment(run) if len(word) > 1)
            if whole_runs and MIN_WHOLE_RUN <= len(run) <= MAX_WHOLE_RUN:
                tokens.append(run)
        elif (term := latin_term(run)) is not None:
            tokens.append(term)
    return tokens


# Common and rare characters (extension A and B, compatibility ideographs, 〇), which the
# segmenter's own character classes do not all cover, with punctuation, digits and Latin.
_DOC_ALPHABET = sorted(set(_ALPHABET + "专利商标审查局部门规章规范性文件解读废止修改的了是在一二三〇㐀㑇䶵鿕鿫豈𠀀𪚥\n\t"))


@given(st.text(alphabet=st.sampled_from(_DOC_ALPHABET), max_size=80), st.booleans())
def test_document_tokens_equal_run_by_run_segmentation(text: str, whole_runs: bool) -> None:
    from collections import Counter

    assert Counter(document_tokens(text, whole_runs=whole_runs)) == Counter(_tokens_run_by_run(text, whole_runs))


def test_document_tokens_equal_run_by_run_segmentation_on_the_seeds() -> None:
    from collections import Counter

    from support import CONTENT, ROOT

    texts = [p.read_text(encoding="utf-8") for p in sorted(CONTENT.rglob("*.md"))]
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():  # extra real input where it is present
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*.txt"))]
    assert len(texts) > 20
    for text in texts:
        assert Counter(document_tokens(text)) == Counter(_tokens_run_by_run(text, False))
