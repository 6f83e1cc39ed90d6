"""Runtime settings: CLI option, else environment variable, else default.

Settings are an explicit value passed to every step; nothing here is global state.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from scintel.errors import ScintelError

ENV_DATABASE_URL = "SCINTEL_DATABASE_URL"
ENV_DATA_DIR = "SCINTEL_DATA_DIR"
ENV_PROFILE = "SCINTEL_PROFILE"
ENV_SQLITE_BUSY_TIMEOUT = "SCINTEL_SQLITE_BUSY_TIMEOUT"
ENV_BASE_URL = (
    "SCINTEL_BASE_URL"  # one mirror for every spider (per spider: SCINTEL_<NAME>_BASE_URL)
)
ENV_SCRAPY_SETTINGS = "SCINTEL_SCRAPY_SETTINGS"  # JSON object: Scrapy settings for every crawl
DEFAULT_DATA_DIR = Path("var")
DEFAULT_PROFILE = "ket-biotech"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Settings:
    """Where the warehouse, the landing zone and the watch profile live."""

    database_url: URL
    data_dir: Path
    profile: str

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    def safe_database_url(self) -> str:
        return self.database_url.render_as_string(hide_password=True)


def parse_database_url(value: str) -> URL:
    """Parse and check a SQLAlchemy URL, naming the setting on failure."""
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ScintelError(f"not a database URL: {value!r} ({exc})", ENV_DATABASE_URL) from None
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ScintelError(
            f"unsupported database {url.get_backend_name()!r}; use sqlite:/// or postgresql+psycopg://",
            ENV_DATABASE_URL,
        )
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the installed driver
    return url


def load_settings(
    database_url: str | None = None,
    data_dir: str | Path | None = None,
    profile: str | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Resolve settings from explicit values, then the environment, then defaults."""
    env = os.environ if environ is None else environ
    resolved_dir = Path(data_dir or env.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR).expanduser()
    if resolved_dir.exists() and not resolved_dir.is_dir():
        raise ScintelError(f"{resolved_dir} exists and is not a directory", ENV_DATA_DIR)
    raw_url = database_url or env.get(ENV_DATABASE_URL)
    url = (
        parse_database_url(raw_url)
        if raw_url
        else URL.create("sqlite", database=str(resolved_dir / "scintel.db"))
    )
    return Settings(
        database_url=url,
        data_dir=resolved_dir,
        profile=profile or env.get(ENV_PROFILE) or DEFAULT_PROFILE,
    )


def scrapy_overrides(raw: str | None) -> dict[str, str]:
    """Scrapy settings for every crawl from a JSON object (e.g. no delays for a local mirror)."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ScintelError(
            f"must be a JSON object of Scrapy settings, got {raw!r}", ENV_SCRAPY_SETTINGS
        )
    return {str(k): str(v) for k, v in value.items()}
