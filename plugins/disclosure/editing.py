"""Editor commands that change front matter without wrecking its formatting.

Edits go through ruamel.yaml's round-trip parser to locate keys, and only the lines
of the changed key are rewritten: comments, key order, quoting and indentation of
every other line stay byte-identical.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .document import DocType, Document
from .frontmatter import split_front_matter
from .schema import FIELDS, ID_PATTERN, required_fields


class EditError(Exception):
    """An edit cannot be made; the message says why and what to do."""


@dataclass
class FileText:
    """A document file split for editing."""

    yaml_text: str
    body: str

    @classmethod
    def read(cls, path: Path) -> "FileText":
        text = path.read_text(encoding="utf-8")
        parts = split_front_matter(text)
        if parts is None:
            raise EditError(f"{path}: no front matter to edit (expected '---' lines around the YAML)")
        return cls(parts[0], parts[1])

    def render(self) -> str:
        return f"---\n{self.yaml_text}---\n{self.body}"


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long title
    return yaml


def _load(yaml_text: str, path: Path) -> CommentedMap:
    try:
        data = _round_trip().load(yaml_text)
    except YAMLError as error:
        raise EditError(f"{path}: broken YAML, fix it first (run `python publish.py check`): {error}") from None
    if not isinstance(data, CommentedMap):
        raise EditError(f"{path}: front matter is not a mapping of field: value lines")
    return data


def _fragment(key: str, value: Any) -> str:
    out = io.StringIO()
    fragment = CommentedMap()
    fragment[key] = value
    _round_trip().dump(fragment, out)
    return out.getvalue()


def set_field(yaml_text: str, key: str, value: Any, *, path: Path = Path("?"), after: str | None = None) -> str:
    """Return ``yaml_text`` with top-level ``key`` set to ``value``.

    An existing key's lines are replaced in place; a new key goes after ``after``
    (when present) or at the end.  All other lines are kept byte for byte.
    """
    data = _load(yaml_text, path)
    lines = yaml_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    keys = list(data.keys())
    if key in data:
        start = data.lc.key(key)[0]
        index = keys.index(key)
        end = data.lc.key(keys[index + 1])[0] if index + 1 < len(keys) else len(lines)
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # keep blank lines and comments that precede the next key
        replacement = _fragment(key, value)
        return "".join(lines[:start]) + replacement + "".join(lines[end:])
    if after is not None and after in data:
        index = keys.index(after)
        insert_at = data.lc.key(keys[index + 1])[0] if index + 1 < len(keys) else len(lines)
        while insert_at - 1 > data.lc.key(after)[0] and (not lines[insert_at - 1].strip() or lines[insert_at - 1].lstrip().startswith("#")):
            insert_at -= 1
    else:
        insert_at = len(lines)
    return "".join(lines[:insert_at]) + _fragment(key, value) + "".join(lines[insert_at:])


def get_field(yaml_text: str, key: str, path: Path = Path("?")) -> Any:
    return _load(yaml_text, path).get(key)


def add_to_list(yaml_text: str, key: str, item: str, *, path: Path = Path("?"), after: str | None = None) -> str:
    """Add ``item`` to the list field ``key`` (turning a single value into a list), keeping its style."""
    current = get_field(yaml_text, key, path)
    if current is None:
        return set_field(yaml_text, key, [item], path=path, after=after)
    if isinstance(current, CommentedSeq):
        if item in current:
            return yaml_text
        current.append(item)
        return set_field(yaml_text, key, current, path=path)
    if current == item:
        return yaml_text
    return set_field(yaml_text, key, [current, item], path=path)


# --- commands -------------------------------------------------------------

def scaffold(doc_type: DocType, doc_id: str, today: date) -> str:
    """A new document's text: every field its type requires, each with a comment saying what it means."""
    if not ID_PATTERN.match(doc_id):
        raise EditError(f"--id: expected lower-case letters, digits and single hyphens, got {doc_id!r}")
    values: dict[str, str] = {
        "id": doc_id, "type": doc_type.value, "title": "（标题）", "issuer": "国家知识产权局",
        "published": today.isoformat(), "disclosure": "proactive", "written": today.isoformat(),
        "effective": today.isoformat(), "topic": "（主题分类）", "doc_number": "（发文字号）",
        "interprets": "[]  # id(s) of the interpreted document(s)", "report_year": str(today.year - 1),
    }
    lines = ["---"]
    # New documents default to proactive disclosure, which needs a review record.
    wanted = required_fields(doc_type) + ["review"]
    for name in wanted:
        description = FIELDS[name].description.replace("\n", " ")
        if name == "review":
            lines.append(f"# {description}")
            lines.append("review:")
            lines.append("  by: （审查人）")
            lines.append(f"  date: {today.isoformat()}")
            lines.append("  result: passed")
            continue
        if name == "comment_period":
            lines.append(f"# {description}")
            lines.append("comment_period:")
            lines.append(f"  start: {today.isoformat()}")
            lines.append(f"  end: {today.isoformat()}")
            continue
        lines.append(f"# {description}")
        lines.append(f"{name}: {values.get(name, '')}".rstrip())
    lines.append("---")
    lines.append("")
    lines.append("（正文）")
    lines.append("")
    return "\n".join(lines)


def revise(doc: Document, today: date) -> Path:
    """Start a new version of ``doc`` from its latest one; return the new file's path.

    A single-file document first becomes a folder ``<id>/v1.md`` (its text unchanged
    but for ``version: 1``), so every version keeps a permanent address.
    """
    current_path = doc.current.path
    if len(doc.versions) == 1 and not re.fullmatch(r"v\d+\.md", current_path.name):
        folder = current_path.parent / doc.id
        if folder.exists():
            raise EditError(f"{folder}: already exists; move it away before revising {doc.id}")
        original = FileText.read(current_path)
        original.yaml_text = set_field(original.yaml_text, "version", 1, path=current_path, after="id")
        folder.mkdir()
        first = folder / "v1.md"
        first.write_text(original.render(), encoding="utf-8")
        current_path.unlink()
        current_path = first
    number = doc.versions[-1].number + 1
    source = FileText.read(current_path)
    text = set_field(source.yaml_text, "version", number, path=current_path, after="id")
    for key in ("published", "effective"):
        if key in FIELDS and get_field(text, key, current_path) is not None:
            text = set_field(text, key, today, path=current_path)
    text = set_field(text, "change_note", "（请说明本版本的修改内容）", path=current_path, after="version")
    new_path = current_path.parent / f"v{number}.md"
    if new_path.exists():
        raise EditError(f"{new_path}: already exists")
    new_path.write_text(FileText(text, source.body).render(), encoding="utf-8")
    return new_path


def record_repeal(repealing: Document, target_id: str) -> Path:
    """Add ``target_id`` to the repealing document's ``repeals`` list; the repealed file is not touched."""
    path = repealing.current.path
    source = FileText.read(path)
    existing = _load(source.yaml_text, path)
    after = next((key for key in ("expires", "effective", "published") if key in existing), None)
    source.yaml_text = add_to_list(source.yaml_text, "repeals", target_id, path=path, after=after)
    path.write_text(source.render(), encoding="utf-8")
    return path


def write_index_number(doc: Document) -> list[Path]:
    """Write the document's (provisional) index number into each of its version files."""
    written = []
    for version in doc.versions:
        source = FileText.read(version.path)
        if get_field(source.yaml_text, "index_number", version.path) == doc.index_number:
            continue
        existing = _load(source.yaml_text, version.path)
        source.yaml_text = set_field(source.yaml_text, "index_number", doc.index_number, path=version.path,
                                     after="doc_number" if "doc_number" in existing else "title")
        version.path.write_text(source.render(), encoding="utf-8")
        written.append(version.path)
    return written
