"""The front-matter schema: one table, ``FIELDS``, that the validator, the error
messages, the ``new`` scaffolds and the README's field table all read from.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from .document import CommentPeriod, Disclosure, DocType, Review, ReviewResult
from .frontmatter import FrontMatter
from .problems import Problem, Severity

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS_CODES = ("not_yet_effective", "effective", "amended", "partially_invalid", "repealed", "expired")


class FieldError(Exception):
    """A value does not fit its field: ``message`` says what was found."""

    def __init__(self, message: str, expected: str, subfield: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.subfield = subfield


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # numbers are fine as text (e.g. a topic "2022")
    if not isinstance(value, str) or not value.strip():
        raise FieldError(f"got {_show(value)}", "non-empty text")
    return value.strip()


def identifier(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise FieldError(f"got {_show(value)}", "an id of lower-case letters, digits and single hyphens, like 'gf-2016-55'")
    return value


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not DATE_PATTERN.match(value.strip()):
        raise FieldError(f"got {_show(value)}", "a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(f"'{value}' is not a valid date", "a real calendar date YYYY-MM-DD") from None


def id_list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise FieldError("got an empty list", "one id or a list of ids")
    result = []
    for index, item in enumerate(items):
        try:
            result.append(identifier(item))
        except FieldError as error:
            sub = f"[{index}]" if isinstance(value, list) else None
            raise FieldError(error.message, error.expected, sub) from None
    return tuple(result)


def text_list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise FieldError("got an empty list", "text or a list of texts")
    result = []
    for index, item in enumerate(items):
        try:
            result.append(text(item))
        except FieldError as error:
            raise FieldError(error.message, error.expected, f"[{index}]" if isinstance(value, list) else None) from None
    return tuple(result)


def one_of(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in choices:
            raise FieldError(f"got {_show(value)}", "one of " + ", ".join(choices))
        return str(value)

    return parse


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError(f"got {_show(value)}", "a whole number from 1")
    return value


def year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2999:
        raise FieldError(f"got {_show(value)}", "a year such as 2025")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"got {_show(value)}", "true or false")
    return value


def _mapping(value: Any, keys: dict[str, Callable[[Any], Any]], expected: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError(f"got {_show(value)}", expected)
    for key in value:
        if key not in keys:
            raise FieldError(f"unknown key '{key}'", f"only {', '.join(keys)}", str(key))
    result = {}
    for key, parse in keys.items():
        if key not in value:
            raise FieldError("is missing", expected, key)
        try:
            result[key] = parse(value[key])
        except FieldError as error:
            raise FieldError(error.message, error.expected, key) from None
    return result


def review(value: Any) -> Review:
    parts = _mapping(value, {"by": text, "date": parse_date, "result": one_of("passed", "failed")},
                     "a mapping with by, date and result (passed or failed)")
    return Review(parts["by"], parts["date"], ReviewResult(parts["result"]))


def comment_period(value: Any) -> CommentPeriod:
    parts = _mapping(value, {"start": parse_date, "end": parse_date}, "a mapping with start and end dates")
    if parts["end"] < parts["start"]:
        raise FieldError(f"end {parts['end']} is before start {parts['start']}", "end on or after start", "end")
    return CommentPeriod(parts["start"], parts["end"])


ALL = frozenset(DocType)
REGISTER = frozenset({DocType.NORMATIVE, DocType.REGULATION})


@dataclass(frozen=True)
class Field:
    """One front-matter field: how to parse it, when it is required, what it means."""

    name: str
    parse: Callable[[Any], Any]
    description: str
    required_for: frozenset[DocType] = frozenset()
    example: str = ""


FIELDS: dict[str, Field] = {f.name: f for f in [
    Field("id", identifier, "Stable identifier, unique, `[a-z0-9-]+`; URLs derive from it.", ALL, "sipo-2022-example"),
    Field("type", one_of(*(t.value for t in DocType)), "Document type: " + ", ".join(f"`{t.value}` ({t.label_zh})" for t in DocType) + ".", ALL, "normative"),
    Field("title", text, "Title (标题).", ALL, "关于……的通知"),
    Field("title_en", text, "English title, optional."),
    Field("doc_number", text, "Document number (发文字号), e.g. `国知办函办字〔2022〕495号`; unique when present.", REGISTER, "国知发〔2026〕1号"),
    Field("index_number", text, "Index number (索引号); unique; generated from `INDEX_NUMBER_PATTERN` when absent and written into the file by `publish.py number`."),
    Field("issuer", text_list, "Issuing organ(s) (发文机关): text or a list.", ALL, "国家知识产权局"),
    Field("topic", text, "Subject category (主题分类).", REGISTER, "知识产权保护"),
    Field("written", parse_date, "Date written (成文日期), YYYY-MM-DD.", REGISTER, "2026-01-10"),
    Field("published", parse_date, "Date published (发布日期), YYYY-MM-DD.", ALL, "2026-01-15"),
    Field("effective", parse_date, "Date it takes effect (施行日期); for a version, the date that version takes effect.", REGISTER, "2026-02-01"),
    Field("expires", parse_date, "End of validity (有效期至), optional."),
    Field("repeals", id_list, "Id(s) of documents this one repeals (废止), effective on this document's `effective` date."),
    Field("amends", id_list, "Id(s) of documents this one amends (修改), effective on this document's `effective` date."),
    Field("interprets", id_list, "For an interpretation: id(s) of the document(s) it interprets.", frozenset({DocType.INTERPRETATION}), "[gf-2016-55]"),
    Field("status", one_of(*STATUS_CODES), "Only for what dates and relations cannot say: `partially_invalid` (部分失效) with `status_note`. Any other value is checked against the computed status."),
    Field("status_note", text, "Which part is invalid, and why (with `status: partially_invalid`)."),
    Field("disclosure", one_of(*(d.value for d in Disclosure)), "Disclosure attribute: `proactive` (主动公开), `on_request` (依申请公开), `not_public` (不予公开).", ALL, "proactive"),
    Field("disclosure_basis", text, "Legal ground for not disclosing proactively; required unless `proactive`."),
    Field("review", review, "Confidentiality review (保密审查): `by`, `date`, `result` (`passed`/`failed`); required for proactive documents."),
    Field("comment_period", comment_period, "For a draft: `start`, `end` of the comment period.", frozenset({DocType.DRAFT}), "{start: 2026-03-01, end: 2026-03-31}"),
    Field("result_of", identifier, "On the notice publishing a consultation result: the draft's id."),
    Field("version", positive_int, "Version number, in a versioned document's folder (`<id>/v<N>.md`)."),
    Field("change_note", text, "What changed in this version; required from version 2 on."),
    Field("report_year", year, "For an annual report: the year it reports on.", frozenset({DocType.ANNUAL_REPORT}), "2025"),
    Field("keywords", text_list, "Extra search keywords, optional."),
    Field("demo", boolean, "True on demonstration content written for this project."),
]}


def required_fields(doc_type: DocType) -> list[str]:
    return [name for name, spec in FIELDS.items() if doc_type in spec.required_for]


def suggest(name: str) -> str | None:
    """Nearest known field name, for 'unknown field' messages."""
    matches = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def validate_fields(fm: FrontMatter, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Parse every field of one file; return the parsed values and the problems.

    Checks made here need only the file itself: unknown fields, types, required
    fields for the type, date order and the rules tying fields together.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []

    def report(field: str, message: str, expected: str | None = None, severity: Severity = Severity.ERROR,
               at: str | None = None) -> None:
        """Record a problem on ``field``, placed on the line of ``at`` (default: the field)."""
        problems.append(Problem(path, fm.line_of(at or field), field, message, expected, severity))

    for name, raw in fm.data.items():
        key = str(name)
        spec = FIELDS.get(key)
        if spec is None:
            near = suggest(key)
            report(key, "unknown field", f"'{near}'" if near else "one of the fields listed in the README")
            continue
        try:
            values[key] = spec.parse(raw)
        except FieldError as error:
            where = key if error.subfield is None else (f"{key}{error.subfield}" if error.subfield.startswith("[") else f"{key}.{error.subfield}")
            report(where, error.message, error.expected)

    doc_type = DocType(values["type"]) if "type" in values else None
    if doc_type is not None:
        for name in required_fields(doc_type):
            if name not in fm.data:
                problems.append(Problem(path, fm.line_of("type"), name, f"missing, required for type '{doc_type.value}'",
                                        f"a line '{name}: {FIELDS[name].example}'"))
    for name in ("id", "type", "title", "published", "disclosure"):
        if doc_type is None and name not in fm.data:
            problems.append(Problem(path, 2, name, "missing, required for every document", f"a line '{name}: {FIELDS[name].example}'"))

    _check_dates(values, report)
    _check_disclosure(values, fm, report)
    if "status" in values and values["status"] == "partially_invalid" and "status_note" not in values:
        report("status", "partially_invalid needs a status_note", "status_note saying which part is invalid")
    if "status_note" in values and "status" not in values:
        report("status_note", "status_note without status", "status: partially_invalid")
    if values.get("version", 1) > 1 and "change_note" not in values and "change_note" not in fm.data:
        report("change_note", f"missing for version {values['version']}", "change_note saying what changed", at="version")
    return values, problems


def _check_dates(values: dict[str, Any], report: Callable[..., None]) -> None:
    order = [("written", "published"), ("written", "effective")]
    for earlier, later in order:
        if earlier in values and later in values and values[earlier] > values[later]:
            report(earlier, f"{earlier} {values[earlier]} is after {later} {values[later]}", f"{earlier} on or before {later}")
    if "effective" in values and "expires" in values and values["expires"] < values["effective"]:
        report("expires", f"expires {values['expires']} is before effective {values['effective']}", "expires on or after effective")
    if "review" in values and "published" in values and values["review"].date > values["published"]:
        report("review.date", f"review on {values['review'].date} is after publication on {values['published']}", "the review on or before published")


def _check_disclosure(values: dict[str, Any], fm: FrontMatter, report: Callable[..., None]) -> None:
    attribute = values.get("disclosure")
    if attribute is None:
        return
    if attribute != "proactive" and "disclosure_basis" not in fm.data:
        report("disclosure", f"'{attribute}' without disclosure_basis", "disclosure_basis giving the legal ground")
    if attribute == "proactive" and "review" not in fm.data:
        report("review", "proactive document has no confidentiality review record",
               "review: {by: ..., date: YYYY-MM-DD, result: passed}", at="disclosure")
    review_value = values.get("review")
    if attribute == "proactive" and isinstance(review_value, Review) and review_value.result is ReviewResult.FAILED:
        report("review.result", "review failed: the document is held back from publication until a later review passes",
               None, Severity.WARNING)
