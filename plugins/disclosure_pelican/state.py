"""One build's state: the checked corpus, its public view and the date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from disclosure.config import SiteConfig
from disclosure.corpus import Corpus, load_corpus
from disclosure.files import ParseCache, path_key
from disclosure.problems import ContentError, Problem, Severity
from disclosure.records import Records, load_records


@dataclass
class BuildState:
    """Everything one build computes before writing; created once per run."""

    corpus: Corpus
    """Every document (internal: never rendered)."""
    public: Corpus
    """The disclosure gate's output: the only corpus pages are made from."""
    as_of: date
    config: SiteConfig
    content_dir: Path
    problems: list[Problem] = field(default_factory=list)
    records: Records = field(default_factory=Records)
    """The ledger's public view and the annual reports."""
    cache_dir: Path | None = None
    """Where caches between builds live (rendered bodies, page fingerprints); None: no cache."""
    search: bool = True
    """Build the search index and its static export (``DISCLOSURE_SEARCH`` setting)."""
    page_reuse: Any = None
    """The generator's :class:`~.incremental.PageReuse`, saved once the output is swapped in."""
    unchanged_files: list[str] = field(default_factory=list)
    """Files besides pages that a build updating its output in place left as they were."""
    parse_cache: ParseCache | None = None
    """The parse cache the corpus was read through (each file's size and time: :mod:`.quick`)."""
    recorder: Any = None
    """What the generator noted for the next build's quick path (:class:`~.quick.BuildRecorder`)."""
    output_files: Any = None
    """A function giving the names of the files the output held when the build started, when
    it was listed beside the build (else None: pages are looked up there one by one)."""
    output_start: Any = None
    """The page reuse and search export the build started before the generator ran
    (:class:`~.search_export.OutputStart`), or None: the generator starts them."""

    @classmethod
    def load(cls, content_dir: Path, as_of: date, config: SiteConfig, ledger_path: Path | None = None,
             cache_dir: Path | None = None, paths: list[Path] | None = None, need_bodies: bool = True) -> "BuildState":
        """Load and check the content and its records; raise ContentError when any error is found.
        ``paths``: the document files, when the caller found them already; ``need_bodies``
        False: the bodies of files the cache knows as they are are left empty
        (:func:`~disclosure.corpus.load_corpus`)."""
        cache = ParseCache(cache_dir / f"parse-{path_key(content_dir)}.pickle") if cache_dir is not None else None
        result = load_corpus(content_dir, config, as_of=as_of, cache=cache, paths=paths, need_bodies=need_bodies)
        if any(p.severity is Severity.ERROR for p in result.problems):
            raise ContentError(result.problems)
        public = result.corpus.public(as_of)
        records, record_problems = load_records(content_dir, result.corpus, public, as_of, ledger_path, config)
        problems = result.problems + record_problems
        if any(p.severity is Severity.ERROR for p in record_problems):
            raise ContentError(problems)
        return cls(result.corpus, public, as_of, config, content_dir, problems, records, cache_dir, parse_cache=cache)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "BuildState":
        """The state publish.py prepared, or a fresh one for a plain ``pelican`` run."""
        state = settings.get("DISCLOSURE_STATE")
        if isinstance(state, cls):
            return state
        from disclosure.config import resolve_as_of

        return cls.load(Path(settings["PATH"]), resolve_as_of(settings.get("DISCLOSURE_AS_OF")),
                        SiteConfig.from_settings(settings))
