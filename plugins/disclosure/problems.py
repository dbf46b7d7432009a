"""Problems found in content: structured, collected, and formatted only at the edge.

Every check in the core returns :class:`Problem` objects instead of raising, so that
one run reports everything that is wrong.  ``publish.py`` renders them; tests assert
on the objects or on their exact text.
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass
from typing import Iterable


class Severity(enum.Enum):
    """How much a problem matters."""

    ERROR = "error"
    """The content is wrong: ``check`` exits 1 and ``build`` writes nothing."""
    WARNING = "warning"
    """Worth an editor's look; fatal only with ``--strict``."""
    INFO = "info"
    """Information, never fatal (for example a citation of a number the corpus lacks)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the content."""

    path: str
    """Path of the file, as given to the loader (relative to the working directory)."""
    line: int | None
    """1-based line of the offending key or value, when known."""
    field: str | None
    """Front-matter field (dotted for nested keys), or None for file-level problems."""
    message: str
    """What is wrong, including what was found."""
    expected: str | None = None
    """What was expected instead."""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """Render as ``path:line: field: message (expected ...)``."""
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{place}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.expected:
            text += f" (expected {self.expected})"
        if self.severity is not Severity.ERROR:
            text += f" [{self.severity.value}]"
        return text

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.field or "", self.message)


class ContentError(Exception):
    """The content has errors: nothing may be written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{sum(p.severity is Severity.ERROR for p in problems)} error(s) in content")
        self.problems = problems


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file and line order, duplicates removed."""
    return sorted(set(problems), key=lambda p: p.sort_key)


def has_errors(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    """True when any problem is fatal (warnings count too in strict mode)."""
    fatal = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(p.severity in fatal for p in problems)


def problems_to_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in sorted_problems(problems)], ensure_ascii=False, indent=2)
