"""Safety of the output: XSS payloads stay inert, and nothing non-public reaches any file.

XSS: payloads go through the title, English title, issuer, topic, keywords, change
note and body of a fixture corpus.  In HTML no payload may become markup (no
script/iframe/svg/object element, no ``on*`` attribute, no ``javascript:`` URL);
Atom and sitemap must be well-formed XML holding the payload as text; the JSON
export holds no raw ``<``.  The CSV export is data for spreadsheets (text/csv, never
rendered as HTML): it keeps the text as written, checked to be confined to its cells.

Canary: a unique string is planted in every field of a ``not_public`` document, of a
document whose review failed and of a failed-review second version of a public
document; it must appear in no byte (and no file name) of the output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from site_kit import REVIEW_FAILED, build, files, normative, parse, write_doc

PAYLOADS = [
    "<script>alert('t')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "<iframe src=\"javascript:alert(3)\"></iframe>",
    "javascript:alert(4)",
    "'><body onload=alert(5)>",
    "<a href=\"javascript:alert(6)\">x</a>",
    "</title><script>alert(7)</script>",
    "{{ 7*7 }}{% raw %}",
]
P = "".join(PAYLOADS)
BODY = f"""正文{P}

## 标题{P}

1. 任务{P}

[链接](javascript:alert(8)) [数据](data:text/html;base64,PHNjcmlwdD4=)

<a href="javascript:alert(9)" onclick="alert(10)">x</a> <object data="x"></object> <embed src="x">

<form action="https://evil.example/"><input name="x"></form> <style>body{{display:none}}</style>

<math><mi xlink:href="javascript:alert(11)">x</mi></math>
"""

OWN_SCRIPTS = re.compile(r"^(\.\./)*(theme/js/register\.js|search/search\.js)$")
BAD_TAGS = {"script", "iframe", "svg", "object", "embed", "math", "base", "frame", "frameset", "applet", "meta-refresh"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def xss_corpus(content: Path) -> None:
    fields = {"title": f"标题{P}", "title_en": f"Title{P}", "issuer": [f"局{P}", "国家知识产权局"], "topic": f"主题{P}",
              "keywords": [f"词{P}"]}
    base = "normative/xss-rule"
    normative(content, "xss-rule", "国知发〔2025〕1号", relative=f"{base}/v1.md", version=1, body=BODY, **fields)
    normative(content, "xss-rule", "国知发〔2025〕1号", relative=f"{base}/v2.md", version=2, body=BODY + "\n新增。",
              published=date(2025, 6, 1), change_note=f"修改{P}", **fields)
    normative(content, "xss-repealer", "国知发〔2025〕2号", published=date(2025, 8, 1), repeals=["xss-rule"],
              body=f"根据国知发〔2025〕1号{P}", **fields)
    write_doc(content, "interpretation/xss-interp.md", BODY, id="xss-interp", type="interpretation", title=f"解读{P}",
              issuer=f"司{P}", topic=f"主题{P}", published=date(2025, 1, 10), interprets=["xss-rule"])
    write_doc(content, "draft/xss-draft.md", BODY, id="xss-draft", type="draft", title=f"草案{P}", issuer="国家知识产权局",
              published=date(2025, 2, 1), comment_period={"start": date(2025, 2, 1), "end": date(2025, 3, 1)})


FORM_FIELDS = ("q", "issuer", "topic", "year", "type", "status", "inforce", "sort")
"""The fields of our own forms: the search box and page, and the register filter."""


def check_html(path: Path) -> list[str]:
    problems = []
    html = path.read_text(encoding="utf-8")
    for tag, attrs in parse(path).tags:
        where = f"{path.name}: <{tag} {attrs}>"
        if tag in BAD_TAGS and not (tag == "script" and OWN_SCRIPTS.match(attrs.get("src", ""))):
            problems.append(f"{where}: element")
        if tag == "style" and path.name != "404.html":
            problems.append(f"{where}: inline style element")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            problems.append(f"{where}: refresh")
        if tag == "form" and not (attrs.get("action", "").endswith("search/index.html") or attrs.get("id") == "register-filter"):
            problems.append(f"{where}: foreign form")
        if tag in ("input", "button", "select") and not (attrs.get("name") in FORM_FIELDS or tag == "button"):
            problems.append(f"{where}: foreign form field")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{where}: event handler {name}")
            if name in URL_ATTRS and re.match(r"^\s*(javascript|data|vbscript):", value, flags=re.I):
                problems.append(f"{where}: {name}={value}")
    for raw in ("<script>alert", "<svg", "<iframe", "<img", "onerror=alert(1)>", "<object", "<embed"):
        if raw in html:
            problems.append(f"{path.name}: raw {raw!r}")
    if "49" in re.sub(r"<[^>]+>", "", html).split("{{ 7*7 }}")[0][-3:]:
        problems.append(f"{path.name}: template expression evaluated")
    return problems


def test_xss_payloads_stay_inert(tmp_path: Path) -> None:
    content = tmp_path / "content"
    xss_corpus(content)
    site = build(content, tmp_path / "site")
    outputs = files(site)
    assert any(p.name == "index.html" and "xss-rule" in p.parts for p in outputs), "the fixture was published"
    problems: list[str] = []
    seen_text = False
    for path in outputs:
        data = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            problems += check_html(path)
            seen_text = seen_text or "&lt;script&gt;alert(" in data
        elif path.suffix == ".xml":
            root = ET.fromstring(data.encode("utf-8"))  # well-formed: payloads are text
            for element in root.iter():
                if element.tag.rsplit("}", 1)[-1] in BAD_TAGS:
                    problems.append(f"{path.name}: XML element {element.tag}")
            if "<script" in data or "<svg" in data:
                problems.append(f"{path.name}: raw markup in XML")
        elif path.suffix == ".json":
            json.loads(data)
            if "<" in data:
                problems.append(f"{path.name}: raw '<' in JSON")
        elif path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff"))))
            assert all(len(row) == len(rows[0]) for row in rows), "payload broke out of its cell"
            assert any(PAYLOADS[0] in cell for row in rows for cell in row)
        elif path.suffix in (".css", ".js", ".svg"):
            assert "alert(" not in data, path
        else:
            problems.append(f"{path}: unexpected file type")
    assert seen_text, "payloads are shown as text"
    assert "{{ 7*7 }}" in (site / "documents" / "xss-rule" / "index.html").read_text(encoding="utf-8")
    assert not problems, "\n".join(problems[:40])


CANARY = "CanaryQ7x3ZkSecret"
CANARY_ZH = "金丝雀机密甲乙丙"


def canary_corpus(content: Path) -> None:
    secret = {"title": f"{CANARY_ZH}{CANARY}", "title_en": CANARY, "issuer": [f"{CANARY_ZH}司", CANARY],
              "topic": f"{CANARY_ZH}{CANARY}", "keywords": [CANARY, CANARY_ZH]}
    body = f"{CANARY} {CANARY_ZH}\n\n## {CANARY}\n\n1. {CANARY}\n"
    normative(content, "public-rule", "国知发〔2025〕1号", title="公开的办法")
    # not public, withheld on a legal ground
    write_doc(content, "notice/canary-q7x3zk-withheld.md", body, id="canary-q7x3zk-withheld", type="notice",
              published=date(2025, 3, 1), disclosure="not_public", disclosure_basis=f"条例第十六条{CANARY}",
              doc_number=f"国知发〔2025〕77号", **secret)
    # proactive, but the confidentiality review failed
    normative(content, "canary-q7x3zk-failed", "国知发〔2025〕78号", published=date(2025, 4, 1), body=body,
              review=REVIEW_FAILED, **secret)
    # a public document whose second version failed review
    base = "normative/versioned-rule"
    normative(content, "versioned-rule", "国知发〔2025〕3号", relative=f"{base}/v1.md", version=1, title="有两个版本的办法")
    normative(content, "versioned-rule", "国知发〔2025〕3号", relative=f"{base}/v2.md", version=2, published=date(2025, 5, 1),
              review=REVIEW_FAILED, change_note=f"修改{CANARY}", body=body, title=f"有两个版本的办法{CANARY}",
              keywords=[CANARY])


def test_canary_never_reaches_the_output(tmp_path: Path) -> None:
    content = tmp_path / "content"
    canary_corpus(content)
    site = build(content, tmp_path / "site")
    outputs = files(site)
    assert (site / "documents" / "public-rule" / "index.html").is_file()
    assert (site / "documents" / "versioned-rule" / "v1" / "index.html").is_file()
    assert not (site / "documents" / "versioned-rule" / "v2").exists()
    needles = [CANARY.encode(), CANARY.lower().encode(), CANARY_ZH.encode("utf-8"), b"canary-q7x3zk", b"q7x3zk"]
    for path in outputs:
        data = path.read_bytes()
        relative = path.relative_to(site).as_posix().encode()
        for needle in needles:
            assert needle not in data.lower() if needle.isascii() else needle not in data, (path, needle)
            assert needle.lower() not in relative.lower(), path
    assert len(outputs) > 20
