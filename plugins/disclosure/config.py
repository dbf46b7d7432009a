"""Site configuration the core needs, validated from ``pelicanconf.py`` settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Mapping


class ConfigurationError(Exception):
    """A setting has a value the core cannot use."""


@dataclass(frozen=True)
class SiteConfig:
    """Settings of the core, with their defaults."""

    organ_code: str = "SIPO-DEMO"
    """Organ code (机构代码) used in generated index numbers."""
    index_number_pattern: str = "{organ}/{year}-{serial:05d}"
    """Pattern of generated index numbers: ``organ``, ``year`` (of publication) and ``serial``."""
    interpretation_max_lag_days: int = 3
    """An interpretation published more days than this after its policy is flagged (同步解读)."""
    expiry_window_days: int = 183
    """Documents whose validity ends within this many days are listed for review (清理)."""

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "SiteConfig":
        """Build from Pelican-style upper-case settings; unknown values raise ConfigurationError."""
        config = cls(
            organ_code=str(settings.get("ORGAN_CODE", cls.organ_code)),
            index_number_pattern=str(settings.get("INDEX_NUMBER_PATTERN", cls.index_number_pattern)),
            interpretation_max_lag_days=settings.get("INTERPRETATION_MAX_LAG_DAYS", cls.interpretation_max_lag_days),
            expiry_window_days=settings.get("EXPIRY_WINDOW_DAYS", cls.expiry_window_days),
        )
        for name in ("interpretation_max_lag_days", "expiry_window_days"):
            value = getattr(config, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigurationError(f"{name.upper()}: expected a whole number of days (0 or more), got {value!r}")
        try:
            config.index_number_pattern.format(organ="X", year=2000, serial=1)
        except (KeyError, IndexError, ValueError) as error:
            raise ConfigurationError(
                f"INDEX_NUMBER_PATTERN: {error} in {config.index_number_pattern!r}; "
                "expected a pattern using {organ}, {year} and {serial}, e.g. '{organ}/{year}-{serial:05d}'"
            ) from None
        return config


def read_settings_file(path: "os.PathLike[str] | str") -> dict[str, Any]:
    """Upper-case names of a Python settings file such as ``pelicanconf.py``.

    Read without Pelican, so ``check`` (the pre-commit hook) stays fast.  Raises
    ConfigurationError when the file is missing or fails to run.
    """
    import runpy

    try:
        namespace = runpy.run_path(str(path))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: settings file not found") from None
    except Exception as error:  # a settings file is user code: report, don't crash
        raise ConfigurationError(f"{path}: cannot be read: {type(error).__name__}: {error}") from None
    return {key: value for key, value in namespace.items() if key.isupper()}


def resolve_as_of(value: str | None, environ: Mapping[str, str] = os.environ) -> date:
    """The date every computation is made for.

    Precedence: an explicit ``--as-of YYYY-MM-DD``; else ``SOURCE_DATE_EPOCH`` (for
    reproducible builds); else today's date in UTC.  Raises ValueError with a message
    for the user on a malformed value.
    """
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"--as-of: expected a date YYYY-MM-DD, got {value!r}") from None
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError):
            raise ValueError(f"SOURCE_DATE_EPOCH: expected seconds since 1970, got {epoch!r}") from None
    return datetime.now(tz=timezone.utc).date()


def default_ledger_path(content_dir: "os.PathLike[str] | str") -> Path:
    """The ledger belongs to its content: ``<content>/../ledger/ledger.jsonl``."""
    return Path(content_dir).parent / "ledger" / "ledger.jsonl"
