"""Spider tests: each crawls tests/fixtures/<spider>/ through the real downloader."""

from __future__ import annotations

from pathlib import Path

from scintel.testing import replay  # noqa: F401  (fixture)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
