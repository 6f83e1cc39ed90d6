"""Landing-zone layout: where crawls write items, raw bodies and rejects.

    <data_dir>/landing/<source>/<YYYY-MM-DD>/<run>.items.jsonl     items (docs/items.md)
    <data_dir>/landing/<source>/<YYYY-MM-DD>/<run>.rejected.jsonl  rejected entries + reason
    <data_dir>/landing/<source>/<YYYY-MM-DD>/raw/<run>/            raw response bodies + index

The date partition is the last day of the crawl window, so a rerun of a window
writes next to the earlier run of the same window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path


def run_stamp(now: datetime | None = None) -> str:
    """A sortable, filesystem-safe id for one crawl run."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class Partition:
    """The landing-zone files of one crawl run of one source."""

    root: Path
    source: str
    day: date
    run: str

    @property
    def folder(self) -> Path:
        return self.root / self.source / self.day.isoformat()

    @property
    def items(self) -> Path:
        return self.folder / f"{self.run}.items.jsonl"

    @property
    def rejected(self) -> Path:
        return self.folder / f"{self.run}.rejected.jsonl"

    @property
    def raw_dir(self) -> Path:
        return self.folder / "raw" / self.run


def item_files(root: Path, source: str | None = None) -> list[Path]:
    """All item files in the landing zone (optionally of one source), oldest first."""
    pattern = f"{source or '*'}/*/*.items.jsonl"
    return sorted(root.glob(pattern), key=lambda p: (p.parent.name, p.name))
