"""Split a Markdown file into YAML front matter and body, keeping positions.

Reading uses PyYAML's C parser (measured about 15x faster than ruamel.yaml's
round-trip parser on 10,000 files) and keeps each key's line from the parser's
node marks, so error messages can point at the offending line without a second
parse.  Editing (``disclosure.editing``) uses ruamel.yaml's round trip, which keeps
comments and formatting.

Dates are *not* resolved by the YAML parser: an impossible date such as
``2024-13-01`` must reach the schema as text and get a precise message, instead of
failing inside the parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

FENCE = "---"

try:  # the C extension ships in PyYAML's wheels; fall back quietly where it does not
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the wheel
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that leaves timestamps as strings (the schema parses them)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class FrontMatter:
    """Parsed front matter of one file."""

    data: dict[str, Any]
    """Plain Python values (str, int, bool, list, dict); dates stay strings."""
    key_lines: dict[str, int] = field(default_factory=dict)
    """1-based file line of each key, dotted for nested keys (``review.date``)."""
    body: str = ""
    """The Markdown after the closing fence."""
    body_line: int = 1
    """1-based file line where the body starts."""

    def line_of(self, key: str) -> int | None:
        return line_of(self.key_lines, key)


def line_of(key_lines: dict[str, int], key: str) -> int | None:
    """Line of ``key`` or of its nearest parent key (``review.date`` → ``review``); None when absent."""
    while key:
        if key in key_lines:
            return key_lines[key]
        key = key.rpartition(".")[0]
    return None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return ``(yaml_text, body, body_line)`` or None when there is no front matter.

    ``yaml_text`` starts on file line 2 (after the opening fence).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return yaml_text, body, index + 2
    return None


def read_front_matter(text: str, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse a document's text; return the front matter, or None and the problems."""
    parts = split_front_matter(text)
    if parts is None:
        opened = text.lstrip("\ufeff").startswith(FENCE)
        message = "front matter is not closed" if opened else "no front matter"
        expected = "a closing '---' line after the YAML" if opened else "the file to start with a '---' line, YAML metadata, and another '---' line"
        return None, [Problem(path, 1, None, message, expected)]
    yaml_text, body, body_line = parts
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        problems = _duplicate_keys(node, path)
        if problems:
            return None, problems
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 1
        what = (error.problem or "invalid YAML").strip()
        if error.context:
            what = f"{error.context.strip()}: {what}"
        return None, [Problem(path, line, None, f"broken YAML: {what}", "valid YAML front matter")]
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        return None, [Problem(path, 2, None, f"broken YAML: {error}", "valid YAML front matter")]
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path, 2, None, f"front matter is a {type(data).__name__}", "a mapping of field: value lines")]
    key_lines: dict[str, int] = {}
    _collect_lines(node, "", key_lines)
    return FrontMatter(data=data, key_lines=key_lines, body=body, body_line=body_line), []


def _collect_lines(node: yaml.Node | None, prefix: str, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}"
            out[name] = key_node.start_mark.line + 2
            _collect_lines(value_node, name + ".", out)
    elif isinstance(node, yaml.SequenceNode):
        base = prefix.rstrip(".")
        for index, item in enumerate(node.value):
            out[f"{base}[{index}]"] = item.start_mark.line + 2
            _collect_lines(item, f"{base}[{index}].", out)


def _duplicate_keys(node: yaml.Node | None, path: str, prefix: str = "") -> list[Problem]:
    """YAML silently keeps the last of two equal keys; an editor wants to know."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}"
            line = key_node.start_mark.line + 2
            if name in seen:
                problems.append(Problem(path, line, name, f"duplicate key (first given on line {seen[name]})", "each field once"))
            else:
                seen[name] = line
            problems += _duplicate_keys(value_node, path, name + ".")
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicate_keys(item, path, prefix)
    return problems
