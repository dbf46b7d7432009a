"""Comparison of two versions of a text, at character level for Chinese.

Lines are aligned first (cheap), then changed lines are compared character by
character, so long documents stay fast and a changed phrase is marked exactly.
The HTML marks insertions with <ins> and deletions with <del>, each with a
visually hidden label, so the change is readable without colour and by a screen reader.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class DiffStats:
    inserted: int
    """Characters inserted."""
    deleted: int
    """Characters deleted."""


def _char_ops(old: str, new: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", old[i1:i2]))
        else:
            if i2 > i1:
                ops.append(("-", old[i1:i2]))
            if j2 > j1:
                ops.append(("+", new[j1:j2]))
    return ops


def diff_ops(old: str, new: str) -> list[tuple[str, str]]:
    """The change from ``old`` to ``new`` as ``(op, text)`` runs: ``=``, ``-`` or ``+``."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(old_lines[i1:i2])))
        elif tag == "replace":
            ops += _char_ops("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]))
        elif tag == "delete":
            ops.append(("-", "".join(old_lines[i1:i2])))
        else:
            ops.append(("+", "".join(new_lines[j1:j2])))
    merged: list[tuple[str, str]] = []
    for op, text in ops:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


def diff_stats(ops: list[tuple[str, str]]) -> DiffStats:
    return DiffStats(sum(len(t) for o, t in ops if o == "+"), sum(len(t) for o, t in ops if o == "-"))


def diff_html(ops: list[tuple[str, str]], *, inserted_label: str = "插入：", deleted_label: str = "删除：") -> str:
    """HTML for a ``<pre>``-like block: equal text escaped, changes in <ins>/<del>."""
    parts = []
    for op, text in ops:
        if op == "=":
            parts.append(escape(text))
        elif op == "+":
            parts.append(f'<ins><span class="visually-hidden">{inserted_label}</span>{escape(text)}</ins>')
        else:
            parts.append(f'<del><span class="visually-hidden">{deleted_label}</span>{escape(text)}</del>')
    return "".join(parts)
