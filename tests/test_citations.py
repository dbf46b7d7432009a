"""Document numbers in running text, in every bracket form."""

from __future__ import annotations

import pytest

from disclosure.citations import canonical_number, find_citations


@pytest.mark.parametrize("written", ["国知办函办字〔2022〕495号", "国知办函办字[2022]495号", "国知办函办字（2022）495号",
                                     "国知办函办字(2022)495号", "国知办函办字【2022】495号", "国知办函办字 〔2022〕 0495 号"])
def test_bracket_forms_have_one_canonical_form(written: str) -> None:
    assert canonical_number(written) == "国知办函办字〔2022〕495号"


def test_citations_in_running_text() -> None:
    found = find_citations("根据国发〔2016〕55号和国知办函办字(2022)495号，贯彻国办发[2019] 3号精神")
    assert [c.canonical for c in found] == ["国发〔2016〕55号", "国知办函办字〔2022〕495号", "国办发〔2019〕3号"]
    assert [c.text for c in found] == ["国发〔2016〕55号", "国知办函办字(2022)495号", "国办发[2019] 3号"]


def test_known_numbers_decide_where_the_code_starts() -> None:
    text = "贯彻执行知发〔2020〕7号"
    assert find_citations(text)[0].canonical == "知发〔2020〕7号"
    assert find_citations("国家知发〔2020〕7号", {"知发〔2020〕7号"})[0].canonical == "知发〔2020〕7号"


def test_a_bare_year_and_serial_is_not_a_citation() -> None:
    assert find_citations("见〔2016〕55号") == []
    assert find_citations("2016年55号文") == []
