"""The README's field table, generated from ``schema.FIELDS`` (tests keep them equal)."""

from __future__ import annotations

from .document import DocType
from .schema import ALL, FIELDS


def field_table() -> str:
    rows = ["| field | required for | meaning |", "| --- | --- | --- |"]
    for name, spec in FIELDS.items():
        if spec.required_for == ALL:
            required = "every type"
        elif spec.required_for:
            required = ", ".join(t.value for t in DocType if t in spec.required_for)
        else:
            required = ""
        rows.append(f"| `{name}` | {required} | {spec.description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(field_table(), end="")
