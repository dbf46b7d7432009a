"""Helpers for the site tests: building, fixture corpora, reading the output.

Imported by the tests of this folder (pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"
AS_OF = date(2026, 11, 22)


def settings_file(folder: Path, **overrides: Any) -> Path:
    """A copy of pelicanconf.py with ``overrides`` (and absolute paths, so it works from ``folder``)."""
    text = SETTINGS.read_text(encoding="utf-8")
    text += "\n# test overrides\n"
    text += f"THEME = {str(ROOT / 'themes' / 'disclosure')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
    for key, value in overrides.items():
        text += f"{key} = {value!r}\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "testconf.py"
    path.write_text(text, encoding="utf-8")
    return path


def build(content: Path, output: Path, as_of: date = AS_OF, **overrides: Any) -> Path:
    """Build ``content`` into ``output`` with optional setting overrides; returns ``output``."""
    from disclosure_pelican.build import build_site

    settings = settings_file(output.parent / f".settings-{output.name}", **overrides) if overrides else SETTINGS
    build_site(content, output, as_of, settings)
    return output


def yaml_value(value: Any) -> str:
    """A YAML scalar or flow collection (JSON is valid YAML, and quotes any payload safely)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


REVIEW_PASSED = {"by": "办公室", "date": date(2025, 1, 2), "result": "passed"}
REVIEW_FAILED = {"by": "办公室", "date": date(2025, 1, 2), "result": "failed"}


def write_doc(folder: Path, relative: str, body: str = "正文。", **fields: Any) -> Path:
    """Write a document file with front matter ``fields`` (dates as ``date``)."""
    fields.setdefault("disclosure", "proactive")
    if fields["disclosure"] == "proactive":
        fields.setdefault("review", REVIEW_PASSED)
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["---"] + [f"{key}: {yaml_value(value)}" for key, value in fields.items()] + ["---", "", body, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def normative(folder: Path, doc_id: str, number: str, *, published: date = date(2025, 1, 10), body: str = "**第一条** 正文。",
              relative: str | None = None, **fields: Any) -> Path:
    """A minimal valid normative document."""
    values: dict[str, Any] = {
        "id": doc_id, "type": "normative", "title": f"{doc_id} 办法", "doc_number": number, "issuer": "国家知识产权局",
        "topic": "专利", "written": published, "published": published, "effective": published,
    }
    values.update(fields)
    return write_doc(folder, relative or f"normative/{doc_id}.md", body, **values)


def files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def html_files(site: Path) -> list[Path]:
    return [p for p in files(site) if p.suffix == ".html"]


def tree_hash(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files(site)}


class Elements(HTMLParser):
    """Every start tag of a page as ``(tag, attrs dict)``, plus the ids it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_text(path: Path) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", "".join(parse(path).text))


def links(path: Path) -> Iterator[tuple[str, str, str]]:
    """``(tag, attribute, url)`` of every URL-valued attribute of a page."""
    for tag, attrs in parse(path).tags:
        for attr in ("href", "src", "action"):
            if attr in attrs:
                yield tag, attr, attrs[attr]


def resolve(page: Path, url: str, site: Path) -> tuple[Path, str] | None:
    """Target file and fragment of a relative ``url`` on ``page``; None for other schemes."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    target = Path(os.path.normpath(page.parent / unquote(parts.path)))
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)
