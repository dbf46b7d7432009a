"""CSV cells that a spreadsheet would run as formulas are defused; everything else is kept."""

from __future__ import annotations

import csv
import io

import pytest

from disclosure.spreadsheet import csv_text, safe_cell


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x","点此")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_get_an_apostrophe(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "-3", "+4.5", "42", "国知发保字〔2019〕12号", "2024-03-01", "现行有效", "a=b"])
def test_other_cells_are_kept(cell: str) -> None:
    assert safe_cell(cell) == cell


def test_csv_text_is_utf8_bom_crlf_and_quotes_as_csv_does() -> None:
    text = csv_text([["标题", "说明"], ["=1+1", '含"引号",逗号']])
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["标题", "说明"], ["'=1+1", '含"引号",逗号']]
    assert not csv_text([["a"]], bom=False).startswith("\ufeff")


def test_the_documents_export_defuses_a_formula_title() -> None:
    from disclosure.export import EXPORT_FIELDS, to_csv

    record = {name: "" for name in EXPORT_FIELDS}
    record.update(id="x", title='=HYPERLINK("http://evil.example","点此")')
    rows = list(csv.reader(io.StringIO(to_csv([record])[1:])))
    assert rows[1][EXPORT_FIELDS.index("title")] == '\'=HYPERLINK("http://evil.example","点此")'
