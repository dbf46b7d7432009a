"""Paths and helpers shared by the test modules (import from here, not from conftest:
several conftest.py files exist and pytest imports each as `conftest`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
CORPORA = Path(__file__).resolve().parent / "corpora"
SEEDS = ROOT.parent / "shared" / "seeds"


def browser_or_skip() -> tuple[str, str]:
    """Paths of Chromium and chromedriver; skip (or fail in CI) when absent."""
    chromium = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
    driver = next((p for p in ("/usr/bin/chromedriver",) if os.path.exists(p)), None)
    if chromium and driver:
        return chromium, driver
    reason = "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + ": required in CI")
    pytest.skip(reason)
    raise AssertionError  # unreachable
