"""disclosure.reads: which attributes of which files a computation reads."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest

from disclosure.corpus import load_corpus
from disclosure.document import Document, Version
from disclosure.files import read_file
from disclosure.reads import ALWAYS_READ, EVERYTHING, changed_attributes, recording_reads

from support import CONTENT

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus(CONTENT, as_of=AS_OF).corpus


def test_reads_are_noted_by_file_and_kind(corpus) -> None:  # type: ignore[no-untyped-def]
    versioned = next(doc for doc in corpus if len(doc.versions) > 1)
    single = next(doc for doc in corpus if len(doc.versions) == 1)
    with recording_reads() as reads:
        versioned.title
        single.versions[0].change_note
        single.id  # read of every document: not noted
    for version in versioned.versions:  # a document's field comes from its files: each is noted
        assert "doc.title" in reads[version.path.as_posix()]
    assert reads[single.path.as_posix()] == {"version.change_note"}
    assert "doc.id" in ALWAYS_READ


def test_taking_a_whole_object_reads_everything(corpus) -> None:  # type: ignore[no-untyped-def]
    doc = corpus.documents[0]
    with recording_reads() as reads:
        pickle.dumps(doc)
    assert EVERYTHING in reads[doc.path.as_posix()]


def test_the_classes_are_restored_even_after_an_error(corpus) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), recording_reads():
        raise RuntimeError("a rule failed")
    assert "__getattribute__" not in vars(Document) and "__getattribute__" not in vars(Version)
    assert corpus.documents[0].title  # and reading is plain again


def test_changed_attributes_of_two_readings(tmp_path: Path) -> None:
    source = CONTENT / "notice" / "demo-notice-2025-holiday-service.md"
    text = source.read_text(encoding="utf-8")
    path = tmp_path / "notice.md"
    path.write_text(text, encoding="utf-8")
    before, _ = read_file(path, path.as_posix())
    path.write_text(text.replace("业务受理窗口服务安排", "业务受理窗口服务时间安排"), encoding="utf-8")
    after, _ = read_file(path, path.as_posix())
    assert before is not None and after is not None
    assert changed_attributes(before, after) == {"doc.title", "version.title", "version.meta", "version.sha256"}
    folder = tmp_path / "x" / "v1.md"
    folder.parent.mkdir()
    folder.write_text(text.replace("id: demo-notice-2025-holiday-service", "id: x"), encoding="utf-8")
    in_folder, _ = read_file(folder, folder.as_posix())
    assert in_folder is not None and changed_attributes(in_folder, in_folder) is None  # a version folder's file: not alone
