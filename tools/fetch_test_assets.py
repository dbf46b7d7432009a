"""Fetch what the browser tests need besides Python packages: axe-core's script.

axe-core comes from the npm registry with `npm pack` (no install scripts run),
pinned below, and is unpacked into .test-assets/axe/.  Without npm the accessibility
tests skip with a reason (and fail when CI=true).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.10.2"
TARGET = Path(__file__).resolve().parent.parent / ".test-assets" / "axe" / "axe.min.js"


def main() -> int:
    if TARGET.exists() and TARGET.with_suffix(".version").read_text().strip() == AXE_VERSION:
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: accessibility tests will skip (install Node.js/npm to run them)", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=tmp,
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(f"npm pack axe-core@{AXE_VERSION} failed: {result.stderr.strip()}", file=sys.stderr)
            return 0
        tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None
            TARGET.parent.mkdir(parents=True, exist_ok=True)
            TARGET.write_bytes(member.read())
    TARGET.with_suffix(".version").write_text(AXE_VERSION + "\n")
    print(f"axe-core {AXE_VERSION} ready at {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
