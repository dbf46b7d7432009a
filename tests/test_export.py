"""The data export's texts, put together from each record's line and row (and kept
between builds by record), are the texts of the whole-list encoders."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from disclosure.corpus import load_corpus
from disclosure.export import KeptLines, export_records, export_texts, inert_json, to_csv, to_json

from support import CONTENT

AS_OF = date(2026, 11, 22)


def _records() -> list[dict]:
    public = load_corpus(CONTENT).corpus.public(AS_OF)
    records = export_records(public, AS_OF)
    # cells a spreadsheet would run, characters the JSON text makes inert, a line break
    odd = dict(records[0], id="odd", title="=SUM(A1)<b>&</b>", title_en="-x\r\ny", doc_number="+1", topic="@t")
    return records + [odd]


def test_the_texts_from_lines_are_those_of_the_whole_list() -> None:
    records = _records()
    expected = inert_json(to_json(records, AS_OF)), to_csv(records)
    assert export_texts(records, AS_OF) == expected
    assert export_texts([], AS_OF) == (inert_json(to_json([], AS_OF)), to_csv([]))


def test_kept_lines_give_the_same_texts_and_encode_only_changed_records(tmp_path: Path, monkeypatch) -> None:
    from disclosure import export

    file = tmp_path / "export.marshal"
    records = _records()
    first = KeptLines(file)
    assert export_texts(records, AS_OF, first) == export_texts(records, AS_OF)
    first.save()
    encoded: list[str] = []
    json_line = export.json_line
    monkeypatch.setattr(export, "json_line", lambda record: encoded.append(record["id"]) or json_line(record))
    changed = [dict(records[1], status_reason="another reason"), *records[:1], *records[2:]]
    assert export_texts(changed, AS_OF, KeptLines(file)) == export_texts(changed, AS_OF)
    assert encoded.count(records[1]["id"]) == 2 and len(encoded) == 1 + len(changed), \
        "only the changed record encoded with kept lines (then every record without)"


def test_lines_kept_by_other_code_or_an_unreadable_file_are_not_used(tmp_path: Path, monkeypatch) -> None:
    from disclosure import export

    file = tmp_path / "export.marshal"
    records = _records()
    kept = KeptLines(file)
    export_texts(records, AS_OF, kept)
    kept.save()
    monkeypatch.setattr(export, "code_digest", lambda *args, **kwargs: "other code")
    assert KeptLines(file)._kept == {}
    monkeypatch.undo()
    assert KeptLines(file)._kept
    file.write_bytes(b"not marshal data")
    assert KeptLines(file)._kept == {} and export_texts(records, AS_OF, KeptLines(file)) == export_texts(records, AS_OF)
