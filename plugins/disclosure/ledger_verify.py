"""``verify``: the auditor's check of the ledger against the content (and its git history)."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .config import SiteConfig
from .corpus import Corpus
from .document import Disclosure, Document, ReviewResult
from .effectiveness import Status, status_on
from .ledger_chain import TEXT_EVENTS, DocState, LedgerFile, read_ledger, replay, resolve_stored
from .ledger_git import GitRepo
from .problems import Problem, Severity

CODES = ("content", "chain", "replay", "head", "review", "changed", "removed", "unrecorded", "status", "counts",
         "withheld", "git", "interpretation", "expiry")
"""Kinds of findings, in the order reports list them."""


@dataclass(frozen=True)
class Finding(Problem):
    """A :class:`Problem` with its kind (one of ``CODES``) and optional detail (a diff)."""

    code: str = ""
    detail: str = ""


AUDIT_CODES = frozenset({"interpretation", "expiry"})
"""Findings about the content itself, shown to the auditor; fatal only with --strict."""


@dataclass
class VerifyReport:
    ledger: str
    as_of: date
    head: str
    entries: int
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    git: bool = False

    @property
    def ok(self) -> bool:
        """Everything the ledger answers for holds: no error and no warning outside the
        auditor's findings about the content (同步解读, 清理), which fail only ``strict_ok``."""
        return not any(f.severity in (Severity.ERROR, Severity.WARNING) and f.code not in AUDIT_CODES
                       for f in self.findings)

    @property
    def strict_ok(self) -> bool:
        """Everything holds, the auditor's findings included (``verify --strict``)."""
        return not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in self.findings)

    @property
    def integrity_ok(self) -> bool:
        """The ledger and the published texts agree (no error; auditor warnings allowed)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def by_severity(self) -> dict[str, int]:
        counter = Counter(f.severity.value for f in self.findings)
        return {level.value: counter.get(level.value, 0) for level in Severity}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "as_of": self.as_of.isoformat(),
            "ok": self.ok,
            "strict_ok": self.strict_ok,
            "integrity_ok": self.integrity_ok,
            "head": self.head,
            "entries": self.entries,
            "git": self.git,
            "counts": self.counts,
            "summary": self.by_severity(),
            "findings": [f.as_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2)

    def format_text(self) -> str:
        register = self.counts.get("register", {})
        in_corpus, in_ledger = register.get("corpus", {}), register.get("ledger", {})
        lines = [
            f"Ledger {self.ledger}: {self.entries} entries, head {self.head or '(empty)'}",
            f"As of {self.as_of}: register (normative + regulation): ledger {in_ledger.get('current', 0)} current, "
            f"{in_ledger.get('repealed', 0)} repealed, {in_ledger.get('expired', 0)} expired, {in_ledger.get('withdrawn', 0)} withdrawn; "
            f"corpus {in_corpus.get('in_force', 0)} in force, {in_corpus.get('not_yet_effective', 0)} not yet effective, "
            f"{in_corpus.get('repealed', 0)} repealed, {in_corpus.get('expired', 0)} expired — "
            + ("reconciled" if register.get("reconciled") else "NOT reconciled"),
        ]
        for finding in self.findings:
            lines.append(finding.format())
            if finding.detail:
                lines += ["    " + line for line in finding.detail.rstrip("\n").split("\n")]
        summary = self.by_severity()
        verdict = "OK" if self.ok else "FAILED"
        lines.append(f"{verdict}: {summary['error']} error(s), {summary['warning']} warning(s), {summary['info']} note(s)")
        return "\n".join(lines)


def verify(corpus: Corpus, ledger_path: Path, as_of: date, *, git: bool = False, config: SiteConfig | None = None,
           base: Path | None = None, expected_head: str | None = None,
           content_problems: Iterable[Problem] = (), data_dir: Path | None = None) -> VerifyReport:
    """Check the ledger's chain, the published texts, the register counts and the auditor's rules.

    ``git=True`` also replays the content's git history.  ``expected_head`` is the
    head hash the site showed (detects entries removed from the end).  ``content_problems``
    are load errors to report alongside (documents with errors are not in the corpus).
    ``data_dir`` (the annual registers) adds the annual reports' in-force counts to the reconciliation.
    """
    config = config or SiteConfig()
    ledger = read_ledger(ledger_path)
    display = ledger.path.as_posix()
    findings: list[Finding] = []

    def add(code: str, path: str, line: int | None, key: str | None, message: str, expected: str | None = None,
            severity: Severity = Severity.ERROR, detail: str = "") -> None:
        findings.append(Finding(path, line, key, message, expected, severity, code, detail))

    for problem in content_problems:
        add("content", problem.path, problem.line, problem.field, problem.message, problem.expected, problem.severity)
    for problem in ledger.problems:
        add("chain", problem.path, problem.line, problem.field, problem.message, problem.expected)
    states, replay_problems = replay(ledger)
    for problem in replay_problems:
        add("replay", problem.path, problem.line, problem.field, problem.message, problem.expected)
    # the register as the ledger stood on as_of (entries dated later are ignored for counts and statuses)
    dated = [(e, n) for e, n in zip(ledger.entries, ledger.lines) if str(e.get("date", "")) <= as_of.isoformat()]
    states_then, _ = replay(LedgerFile(ledger.path, entries=[e for e, _ in dated], lines=[n for _, n in dated]))
    if expected_head is not None and expected_head != ledger.head:
        add("head", display, None, None, f"head is '{ledger.head or '(empty)'}', not the head the site showed ('{expected_head}')",
            "the ledger the site was built from (entries removed from the end, or the ledger replaced)")
    if not ledger.exists:
        add("chain", display, None, None, "no ledger file", "`ledger record` run before publishing", Severity.WARNING)

    public = corpus.public(as_of)
    for doc in public:
        for version in doc.versions:
            if not (version.disclosure is Disclosure.PROACTIVE and version.review is not None
                    and version.review.result is ReviewResult.PASSED):
                add("review", version.path.as_posix(), doc.line_of("review"), "review",
                    f"{doc.id} v{version.number}: on the site without a passed confidentiality review", "the disclosure gate to hold")
    for entry, line in zip(ledger.entries, ledger.lines):
        if entry.get("event") in TEXT_EVENTS:
            review = entry.get("review") or {}
            if entry.get("disclosure") != "proactive" or review.get("result") != "passed":
                add("review", display, line, "review",
                    f"{entry.get('event')} of {entry.get('doc_id')} v{entry.get('version')} recorded without a passed confidentiality review",
                    "publication events only after a passed review")

    gate = {(doc.id, v.number) for doc in public for v in doc.versions}
    changed: list[tuple[Document, Any, Any]] = []
    for doc in corpus.documents:
        state = states.get(doc.id)
        for version in doc.versions:
            vs = state.versions.get(version.number) if state else None
            path = version.path.as_posix()
            if vs is not None and vs.live:
                if not version.is_public:
                    why = f"disclosure: {version.disclosure.value}" if version.disclosure is not Disclosure.PROACTIVE else "review not passed"
                    add("removed", path, None, None,
                        f"{doc.id} v{version.number}: published (entry {vs.seq}) but no longer public ({why}) and no withdrawal recorded",
                        f'`ledger record --withdraw {doc.id}#v{version.number}="reason"`, or the document restored')
                elif vs.sha256 != version.sha256:
                    changed.append((doc, version, vs))
            elif (doc.id, version.number) in gate:
                if vs is not None and vs.withdrawn is not None:
                    add("unrecorded", path, None, None,
                        f"{doc.id} v{version.number}: withdrawn (entry {vs.seq}) but on the site again, not recorded",
                        "`ledger record` to record the republication")
                else:
                    add("unrecorded", path, None, None,
                        f"{doc.id} v{version.number}: published {version.published} but not recorded in the ledger",
                        "`ledger record` run for every publication")
            elif vs is None and not version.is_public and version.published <= as_of:
                add("withheld", path, None, None,
                    f"{doc.id} v{version.number}: not disclosed ({version.disclosure.value}) and not recorded as withheld",
                    "`ledger record` to keep the internal record complete", Severity.WARNING)
        if state is not None:
            for number, vs in sorted(state.versions.items()):
                if doc.version(number) is None and vs.live:
                    add("removed", vs.path, None, None,
                        f"{doc.id} v{number}: published (entry {vs.seq}) but its file is gone and no withdrawal recorded",
                        f'`ledger record --withdraw {doc.id}#v{number}="reason"`, or the file restored')
        if doc.id in states_then:
            _check_status(corpus, doc, states_then[doc.id], as_of, ledger, add)
    for doc_id, state in sorted(states.items()):
        if corpus.get(doc_id) is None:
            for number, vs in sorted(state.versions.items()):
                if vs.live:
                    add("removed", vs.path, None, None,
                        f"{doc_id} v{number}: published (entry {vs.seq}) but the document is gone and no withdrawal recorded",
                        f'`ledger record --withdraw {doc_id}="reason"`, or the document restored')
    if changed:
        _report_changes(changed, ledger, base, add)

    counts = _counts(corpus, public, states_then, ledger, as_of)
    register = counts["register"]
    if not register["reconciled"]:
        add("counts", display, None, None,
            f"register counts differ on {as_of}: ledger {register['ledger']['current']} current / {register['ledger']['repealed']} repealed / "
            f"{register['ledger']['expired']} expired; corpus {register['corpus']['in_force'] + register['corpus']['not_yet_effective']} current / "
            f"{register['corpus']['repealed']} repealed / {register['corpus']['expired']} expired",
            "the same counts (底数清晰); the findings above name the documents")
    if data_dir is not None:
        from .reconcile import reconcile_reports

        counts["annual_reports"], mismatches = reconcile_reports(corpus, ledger, data_dir, as_of)
        for mismatch in mismatches:
            add("counts", display, None, None, mismatch.message(), "the same documents in force in the report and the ledger")
    _auditor_checks(public, corpus, as_of, config, add)
    if git:
        _check_git(ledger, corpus, states, base, add)

    order = {code: index for index, code in enumerate(CODES)}
    findings.sort(key=lambda f: (order.get(f.code, len(order)), f.sort_key))
    return VerifyReport(display, as_of, ledger.head, len(ledger.entries), findings, counts, git)


def _check_status(corpus: Corpus, doc: Document, state: DocState, as_of: date, ledger: LedgerFile, add: Any) -> None:
    if not state.ever_public and state.terminal is None:
        return
    effect = status_on(corpus, doc, as_of)
    terminal = state.terminal
    path = doc.path.as_posix()
    if terminal is None:
        if effect.status in (Status.REPEALED, Status.EXPIRED):
            add("status", path, None, None,
                f"{doc.id}: {effect.status.value} since {effect.since} ({effect.reason}) but the ledger has no {effect.status.value} entry",
                "`ledger record` run once a repeal or expiry takes effect")
        return
    line = ledger.line_of(terminal["seq"])
    if effect.status.value != terminal["event"] or (effect.since and effect.since.isoformat() != terminal["date"]):
        add("status", path, None, None,
            f"{doc.id}: the ledger records {terminal['event']} on {terminal['date']} (entry {terminal['seq']}, line {line}) "
            f"but the corpus says {effect.status.value} ({effect.reason})",
            "the repeal or expiry the ledger recorded to stand")


def _report_changes(changed: list[tuple[Document, Any, Any]], ledger: LedgerFile, base: Path | None, add: Any) -> None:
    """Published texts that differ from their last recorded hash, each with a diff when git has the old text."""
    first_path = changed[0][1].path
    repo = GitRepo.find(Path(first_path).parent)
    requests: dict[tuple[str, str], tuple[str, str] | None] = {}
    for doc, version, vs in changed:
        key = (doc.id, str(version.number))
        if repo is not None and vs.commit:
            relative = repo.relative(resolve_stored(vs.path, base))
            requests[key] = (vs.commit, relative) if relative else None
        else:
            requests[key] = None
    blobs = repo.blobs([r for r in requests.values() if r]) if repo is not None else {}
    for doc, version, vs in changed:
        request = requests[(doc.id, str(version.number))]
        path = version.path.as_posix()
        if repo is None:
            detail = "diff unavailable: the content is not in a git repository (the ledger keeps hashes, not texts)"
        elif not vs.commit:
            detail = "diff unavailable: no commit was recorded for this version (it was not committed when recorded)"
        elif request is None or blobs.get(request) is None:
            detail = f"diff unavailable: commit {vs.commit[:12]} does not hold {vs.path}"
        else:
            old = blobs[request] or b""
            if hashlib.sha256(old).hexdigest() != vs.sha256:
                detail = f"diff unavailable: the file at commit {vs.commit[:12]} is not the recorded text"
            else:
                new = Path(version.path).read_bytes()
                diff = difflib.unified_diff(old.decode("utf-8", "replace").splitlines(keepends=True),
                                            new.decode("utf-8", "replace").splitlines(keepends=True),
                                            fromfile=f"{vs.path} (recorded, {vs.commit[:12]})", tofile=f"{path} (now)")
                detail = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
        add("changed", path, None, None,
            f"{doc.id} v{version.number}: text changed since it was recorded (entry {vs.seq}, line {ledger.line_of(vs.seq)}) "
            "without a recorded correction",
            f'`ledger record --correction {doc.id}#v{version.number}="what was corrected"`, or the recorded text restored',
            Severity.ERROR, detail)


def _counts(corpus: Corpus, public: Corpus, states: dict[str, DocState], ledger: LedgerFile, as_of: date) -> dict[str, Any]:
    statuses = [s.value for s in Status if s is not Status.AMENDED]
    in_corpus = {status: 0 for status in statuses}
    by_type: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    for doc in public:
        by_type[doc.type.value] += 1
        by_year[str(doc.published.year)] += 1
        if doc.type.is_register_type:
            full = corpus.get(doc.id) or doc
            in_corpus[status_on(corpus, full, as_of).status.value] += 1
    in_corpus["in_force"] = in_corpus["effective"] + in_corpus["partially_invalid"]
    in_corpus["total"] = sum(in_corpus[s] for s in statuses)
    in_ledger = {"current": 0, "repealed": 0, "expired": 0, "withdrawn": 0, "total": 0}
    withheld_docs = 0
    for state in states.values():
        if not state.ever_public:
            withheld_docs += 1
            continue
        if state.type not in ("normative", "regulation"):
            continue
        in_ledger["total"] += 1
        if not state.live:
            in_ledger["withdrawn"] += 1
        elif state.terminal is not None:
            in_ledger[state.terminal["event"]] += 1
        else:
            in_ledger["current"] += 1
    reconciled = (in_ledger["current"] == in_corpus["in_force"] + in_corpus["not_yet_effective"]
                  and in_ledger["repealed"] == in_corpus["repealed"] and in_ledger["expired"] == in_corpus["expired"]
                  and in_ledger["total"] - in_ledger["withdrawn"] == in_corpus["total"])
    withheld: Counter[str] = Counter()
    for doc in corpus.documents:
        if public.get(doc.id) is None and doc.published <= as_of:
            withheld["held_back" if doc.disclosure is Disclosure.PROACTIVE else doc.disclosure.value] += 1
    events = Counter(str(entry.get("event")) for entry in ledger.entries)
    return {
        "as_of": as_of.isoformat(),
        "entries": {"total": len(ledger.entries), "by_event": dict(sorted(events.items()))},
        "register": {"corpus": in_corpus, "ledger": in_ledger, "reconciled": reconciled},
        "disclosed": {"corpus": len(public), "ledger": sum(1 for s in states.values() if s.live),
                      "by_type": dict(sorted(by_type.items())), "by_year": dict(sorted(by_year.items()))},
        "withheld": {"corpus": {key: withheld.get(key, 0) for key in ("on_request", "not_public", "held_back")},
                     "ledger": withheld_docs},
    }


@dataclass(frozen=True)
class AuditItem:
    """One of the auditor's findings about the content (shown on the ledger page and by verify)."""

    kind: str
    """``no_interpretation``, ``late_interpretation`` or ``expiring``."""
    doc: Document
    interpretation: Document | None = None
    days: int = 0
    """Days late (interpretations) or days left (expiring)."""


def audit_items(public: Corpus, corpus: Corpus, as_of: date, config: SiteConfig,
                about: Iterable[Document] | None = None) -> list[AuditItem]:
    """同步解读 (an interpretation with its policy) and 清理 (validity ending soon), over public
    documents (``about``: only the findings about those of them, in their order)."""
    items: list[AuditItem] = []
    for doc in public if about is None else about:
        if doc.type.is_register_type:
            interpretations = sorted(public.interpretations_of(doc.id), key=lambda i: (i.published, i.id))
            if not interpretations:
                items.append(AuditItem("no_interpretation", doc))
            else:
                lag = (interpretations[0].published - doc.published).days
                if lag > config.interpretation_max_lag_days:
                    items.append(AuditItem("late_interpretation", doc, interpretations[0], lag))
        if doc.expires is not None:
            left = (doc.expires - as_of).days
            effect = status_on(corpus, corpus.get(doc.id) or doc, as_of)
            if 0 <= left <= config.expiry_window_days and effect.status in (Status.EFFECTIVE, Status.PARTIALLY_INVALID, Status.NOT_YET_EFFECTIVE):
                items.append(AuditItem("expiring", doc, days=left))
    return items


def _auditor_checks(public: Corpus, corpus: Corpus, as_of: date, config: SiteConfig, add: Any) -> None:
    for item in audit_items(public, corpus, as_of, config):
        doc = item.doc
        path = doc.path.as_posix()
        if item.kind == "no_interpretation":
            add("interpretation", path, doc.line_of("published"), None,
                f"{doc.id}: no published interpretation (政策解读)",
                f"an interpretation published within {config.interpretation_max_lag_days} days of {doc.published}",
                Severity.WARNING)
        elif item.kind == "late_interpretation":
            assert item.interpretation is not None
            add("interpretation", path, doc.line_of("published"), None,
                f"{doc.id}: first interpretation {item.interpretation.id} published {item.interpretation.published}, "
                f"{item.days} days after the document ({doc.published})",
                f"at most {config.interpretation_max_lag_days} days (同步解读)", Severity.WARNING)
        else:
            add("expiry", path, doc.line_of("expires"), "expires",
                f"{doc.id}: validity ends {doc.expires}, {item.days} days after {as_of}: due for review (清理)",
                f"a decision to extend, revise or let it expire (window {config.expiry_window_days} days)", Severity.INFO)


def _check_git(ledger: LedgerFile, corpus: Corpus, states: dict[str, DocState], base: Path | None, add: Any) -> None:
    """Replay the content's history: each text event's commit exists, touched the file and holds the recorded text;
    no commit after publication gave a published file a text the ledger never recorded."""
    display = ledger.path.as_posix()
    start = corpus.documents[0].path.parent if corpus.documents else ledger.path.parent
    repo = GitRepo.find(Path(os.path.abspath(start)))
    if repo is None:
        add("git", display, None, None, "--git: the content is not in a git repository; its history was not replayed",
            "content kept in git", Severity.WARNING)
        return
    relative: dict[str, str | None] = {}
    for entry in ledger.entries:
        stored = str(entry.get("path"))
        if stored not in relative:
            relative[stored] = repo.relative(resolve_stored(stored, base))
    inside = sorted({r for r in relative.values() if r})
    if not inside:
        return
    folder = os.path.commonpath(inside) if len(inside) > 1 else os.path.dirname(inside[0])
    history = repo.history(folder)
    order = {commit: index for index, commit in enumerate(history)}  # 0 = newest
    unknown = {str(e.get("commit")) for e in ledger.entries if e.get("commit") and e.get("commit") not in history}
    existing = repo.existing(unknown)
    blob_requests: list[tuple[str, str]] = []
    checks: list[tuple[dict[str, Any], int, str]] = []
    recorded: dict[tuple[str, int], set[str]] = defaultdict(set)
    first_commit: dict[tuple[str, int], str] = {}
    for entry, line in zip(ledger.entries, ledger.lines):
        if entry.get("event") not in TEXT_EVENTS:
            continue
        key = (str(entry.get("doc_id")), int(entry.get("version") or 0))
        recorded[key].add(str(entry.get("sha256")))
        what = f"{entry.get('event')} of {key[0]} v{key[1]}"
        commit = entry.get("commit")
        rel = relative.get(str(entry.get("path")))
        if not commit:
            add("git", display, line, "commit", f"{what}: no commit recorded (the file was not committed when recorded)",
                "the content committed before `ledger record`", Severity.WARNING)
            continue
        if rel is None:
            add("git", display, line, "path", f"{what}: {entry.get('path')} is outside the repository", "a path in the content's repository")
            continue
        if commit not in history:
            if commit in existing:
                add("git", display, line, "commit", f"{what}: commit {commit[:12]} did not touch {rel}", "the commit that last changed the file")
            else:
                add("git", display, line, "commit", f"{what}: commit {commit[:12]} does not exist in the content's history",
                    "a commit of the repository")
            continue
        if rel not in history[commit][1]:
            add("git", display, line, "commit", f"{what}: commit {commit[:12]} did not touch {rel}", "the commit that last changed the file")
            continue
        first_commit.setdefault(key, commit)
        blob_requests.append((commit, rel))
        checks.append((entry, line, rel))
    touching: dict[str, list[str]] = defaultdict(list)
    for commit, (_, files) in history.items():
        for name in files:
            touching[name].append(commit)
    later: list[tuple[tuple[str, int], str, str]] = []
    for (doc_id, number), commit in first_commit.items():
        state = states.get(doc_id)
        vs = state.versions.get(number) if state else None
        if vs is None or not vs.live:
            continue
        rel = relative.get(vs.path)
        if not rel:
            continue
        for other in touching.get(rel, ()):
            if order[other] < order[commit]:
                later.append(((doc_id, number), other, rel))
                blob_requests.append((other, rel))
    blobs = repo.blobs(sorted(set(blob_requests)))
    for entry, line, rel in checks:
        data = blobs.get((entry["commit"], rel))
        if data is not None and hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            add("git", display, line, "sha256",
                f"{entry.get('event')} of {entry.get('doc_id')} v{entry.get('version')}: {rel} at commit {entry['commit'][:12]} "
                "is not the recorded text", "the recorded sha256 to be the file's hash at its commit")
    for key, commit, rel in later:
        data = blobs.get((commit, rel))
        if data is not None and hashlib.sha256(data).hexdigest() not in recorded[key]:
            author = history[commit][0]
            add("git", rel, None, None,
                f"{key[0]} v{key[1]}: commit {commit[:12]} by {author} gave the published file a text the ledger never recorded",
                "every change of a published text recorded as a correction")
