"""Fixtures of the site tests: the embedded corpus built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_kit import AS_OF, CONTENT, build


@pytest.fixture(scope="session")
def embedded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ built as of 2026-11-22 into a temporary folder (read only: do not modify)."""
    return build(CONTENT, tmp_path_factory.mktemp("embedded") / "site", AS_OF)


@pytest.fixture(scope="session")
def site_model():  # type: ignore[no-untyped-def]
    """The page model of content/ (no Pelican), as of 2026-11-22."""
    from disclosure.config import SiteConfig
    from disclosure_pelican.pages import SiteModel
    from disclosure_pelican.state import BuildState

    return SiteModel(BuildState.load(CONTENT, AS_OF, SiteConfig()))
