"""Reuse unchanged pages of the previous build.

Each page gets a fingerprint: the SHA-256 of everything that can change its bytes —
the theme's templates, the labels and settings, our code, the set of files the site
has, and the page's own context (documents by their source files' hashes, statuses,
relations, …).  A page whose fingerprint is the same as in the previous build is
hard-linked from the previous output instead of being rendered again, so a rebuild
after one edit renders only the pages that edit touches.  Fingerprints are kept in
the cache folder, never in the output; the output is byte-identical either way.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from disclosure.document import Document, Version
from disclosure.files import path_key

PACKAGES = ("disclosure", "disclosure_pelican")
TEXT_FIELDS = frozenset({"body", "sha256", "meta", "key_lines", "path", "body_line"})
"""Fields of documents and versions that templates never print (text, hashes, source positions)."""


def _code_digest() -> str:
    digest = hashlib.sha256()
    plugins = Path(__file__).resolve().parent.parent
    for package in PACKAGES:
        for path in sorted((plugins / package).rglob("*.py")):
            digest.update(path.relative_to(plugins).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def global_digest(theme: Path, settings: dict[str, Any], labels: dict[str, str], file_names: Iterable[str],
                  as_of: date) -> str:
    """What every page depends on besides its own context."""
    digest = hashlib.sha256(_code_digest().encode())
    for path in sorted(Path(theme).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(theme).as_posix().encode())
            digest.update(path.read_bytes())
    chosen = {key: repr(value) for key, value in sorted(settings.items())
              if key.isupper() and key not in ("DISCLOSURE_STATE", "OUTPUT_PATH", "PATH", "DISCLOSURE_PREVIOUS_OUTPUT")}
    digest.update(json.dumps(chosen, sort_keys=True, ensure_ascii=False).encode())
    digest.update(json.dumps(labels, sort_keys=True, ensure_ascii=False).encode())
    digest.update("\n".join(sorted(file_names)).encode())
    digest.update(as_of.isoformat().encode())
    return digest.hexdigest()


class Fingerprinter:
    """Stable digests of template contexts; large shared objects are digested once."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}

    def digest(self, value: Any) -> str:
        return hashlib.sha256(self._encode(value).encode()).hexdigest()

    def _encode(self, value: Any) -> str:
        if value is None or isinstance(value, (bool, int, float, str, Decimal)):
            return f"{type(value).__name__}:{value}"
        if isinstance(value, date):
            return f"date:{value.isoformat()}"
        if isinstance(value, enum.Enum):
            return f"{type(value).__name__}.{value.name}"
        if isinstance(value, Path):
            return f"path:{value.as_posix()}"
        if isinstance(value, (Document, Version)):
            # Its metadata, not its text: a body reaches a page only as ``body_html`` or
            # ``diff_html`` in the context, so a list showing a document whose text
            # changed need not be rendered again.
            cached = self._memo.get(id(value))
            if cached is not None and cached[0] is value:
                return cached[1]
            fields = ",".join(f"{f.name}={self._encode(getattr(value, f.name))}" for f in dataclasses.fields(value)
                              if f.name not in TEXT_FIELDS)
            encoded = f"{type(value).__name__}({fields})"
            self._memo[id(value)] = (value, encoded)
            return encoded
        if isinstance(value, (dict, list, tuple, set, frozenset)) and len(value) > 64:
            cached = self._memo.get(id(value))
            if cached is not None and cached[0] is value:
                return cached[1]
            encoded = "memo:" + hashlib.sha256(self._encode_container(value).encode()).hexdigest()
            self._memo[id(value)] = (value, encoded)
            return encoded
        if isinstance(value, (dict, list, tuple, set, frozenset)):
            return self._encode_container(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = ",".join(f"{f.name}={self._encode(getattr(value, f.name))}" for f in dataclasses.fields(value))
            return f"{type(value).__name__}({fields})"
        if callable(value):
            return f"callable:{getattr(value, '__qualname__', type(value).__name__)}"
        # Unknown objects: their repr may hold an address, which only costs a re-render.
        return f"{type(value).__name__}:{value!r}"

    def _encode_container(self, value: Any) -> str:
        if isinstance(value, dict):
            items = sorted((self._encode(k), self._encode(v)) for k, v in value.items())
            return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
        if isinstance(value, (set, frozenset)):
            return "set[" + ",".join(sorted(self._encode(v) for v in value)) + "]"
        return "[" + ",".join(self._encode(v) for v in value) + "]"


class PageReuse:
    """Decides, page by page, whether the previous output's file can be reused."""

    def __init__(self, cache_dir: Path | None, previous_output: Path | None, staging: Path, global_key: str) -> None:
        self.staging = staging
        self.previous = previous_output if previous_output and previous_output.is_dir() else None
        self.global_key = global_key
        self.fingerprinter = Fingerprinter()
        self.manifest_path = None
        self.old: dict[str, str] = {}
        if cache_dir is not None and previous_output is not None:
            self.manifest_path = cache_dir / f"pages-{path_key(previous_output)}.json"
            try:
                self.old = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.old = {}
        self.new: dict[str, str] = {}
        self.reused = 0
        self.rendered = 0

    def key(self, name: str, context: dict[str, Any]) -> str:
        return hashlib.sha256(f"{self.global_key}\0{name}\0{self.fingerprinter.digest(context)}".encode()).hexdigest()

    def try_reuse(self, name: str, context: dict[str, Any]) -> bool:
        """Link the previous file into the new output when nothing it depends on changed."""
        key = self.key(name, context)
        self.new[name] = key
        if self.previous is None or self.old.get(name) != key:
            self.rendered += 1
            return False
        source = self.previous / name
        if not source.is_file():
            self.rendered += 1
            return False
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        self.reused += 1
        return True

    def save(self) -> None:
        if self.manifest_path is None:
            return
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.manifest_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.new, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.manifest_path)
