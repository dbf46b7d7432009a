"""Git look-ups for the ledger: optional, read-only, and a handful of calls per run.

Everything here degrades to "unknown" (``None``) when git is missing or the content
is not in a repository.  Commands run with ``GIT_OPTIONAL_LOCKS=0`` so that they never
write to the repository (``git status`` would otherwise refresh the index).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_HEADER = "\x01"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"})
    return env


def _run(args: list[str], cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=data, capture_output=True,
                              env=_env(), check=False)
    except (OSError, ValueError):
        return None


@dataclass
class GitRepo:
    """The repository holding the content, addressed by its top-level folder."""

    root: Path
    _dirty: set[str] | None = field(default=None, repr=False)

    @classmethod
    def find(cls, folder: Path) -> "GitRepo | None":
        """The repository containing ``folder``, or None (no git, or not in a repository)."""
        folder = Path(folder)
        while not folder.is_dir():
            if folder.parent == folder:
                return None
            folder = folder.parent
        done = _run(["rev-parse", "--show-toplevel"], folder)
        if done is None or done.returncode != 0:
            return None
        return cls(Path(done.stdout.decode("utf-8").strip()).resolve())

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the repository root (posix), or None when outside it."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def dirty(self, folder: str) -> set[str]:
        """Files under ``folder`` (repository-relative) with uncommitted changes or untracked."""
        if self._dirty is None:
            done = _run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", folder or "."], self.root)
            found: set[str] = set()
            if done is not None and done.returncode == 0:
                items = done.stdout.decode("utf-8", "replace").split("\0")
                skip = False
                for item in items:
                    if skip:
                        skip = False
                        continue
                    if len(item) < 4:
                        continue
                    found.add(item[3:])
                    if "R" in item[:2] or "C" in item[:2]:
                        skip = True
            self._dirty = found
        return self._dirty

    def last_changes(self, wanted: set[str]) -> dict[str, tuple[str, str]]:
        """``{path: (commit, author)}`` of the last commit that changed each wanted file.

        One ``git log --name-only`` over the files' common folder, read newest first
        and stopped as soon as every file has been seen.
        """
        result: dict[str, tuple[str, str]] = {}
        if not wanted:
            return result
        folder = os.path.commonpath(list(wanted)) if len(wanted) > 1 else os.path.dirname(next(iter(wanted)))
        try:
            process = subprocess.Popen(
                ["git", "-c", "core.quotepath=off", "log", f"--format={_HEADER}%H%x00%an", "--name-only", "--", folder or "."],
                cwd=self.root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
        except OSError:
            return result
        assert process.stdout is not None
        current: tuple[str, str] | None = None
        try:
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if line.startswith(_HEADER):
                    commit, _, author = line[1:].partition("\0")
                    current = (commit, author)
                elif line and current is not None and line in wanted and line not in result:
                    result[line] = current
                    if len(result) == len(wanted):
                        break
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
            process.wait()
        return result

    def history(self, folder: str) -> dict[str, tuple[str, set[str]]]:
        """Every commit that touched ``folder``: ``{commit: (author, files)}``."""
        done = _run(["log", f"--format={_HEADER}%H%x00%an", "--name-only", "--", folder or "."], self.root)
        commits: dict[str, tuple[str, set[str]]] = {}
        if done is None or done.returncode != 0:
            return commits
        files: set[str] = set()
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith(_HEADER):
                commit, _, author = line[1:].partition("\0")
                files = set()
                commits[commit] = (author, files)
            elif line:
                files.add(line)
        return commits

    def existing(self, commits: set[str]) -> set[str]:
        """Which of ``commits`` exist in the repository (one ``cat-file --batch-check``)."""
        ordered = sorted(commits)
        if not ordered:
            return set()
        done = _run(["cat-file", "--batch-check"], self.root, "".join(f"{c}^{{commit}}\n" for c in ordered).encode())
        if done is None:
            return set()
        found = set()
        for commit, line in zip(ordered, done.stdout.decode("utf-8", "replace").splitlines()):
            if not line.endswith("missing") and " commit " in line:
                found.add(commit)
        return found

    def blobs(self, requests: list[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
        """The bytes of ``path`` at ``commit`` for each request (one ``cat-file --batch``)."""
        result: dict[tuple[str, str], bytes | None] = {request: None for request in requests}
        if not requests:
            return result
        text = "".join(f"{commit}:{path}\n" for commit, path in requests)
        done = _run(["cat-file", "--batch"], self.root, text.encode("utf-8"))
        if done is None:
            return result
        out = done.stdout
        position = 0
        for request in requests:
            end = out.find(b"\n", position)
            if end < 0:
                break
            header = out[position:end].decode("utf-8", "replace").split()
            position = end + 1
            if len(header) == 3 and header[1] == "blob":
                size = int(header[2])
                result[request] = out[position:position + size]
                position += size + 1
            elif len(header) == 3:
                position += int(header[2]) + 1
        return result
