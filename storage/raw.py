"""Raw responses named by items (`raw_ref`) as raw_records rows, read from the landing zone.

A crawl keeps each response body beside an `index.jsonl` (file, URL, status, type, sha256,
time) in its raw folder. The loader registers the bodies its items name, once per source
and content hash, and points each document at its row: a document is traceable to the
response it was parsed from in SQL. A body whose folder or index is gone is left out.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
INDEX = "index.jsonl"


class RawIndex:
    """The raw folders' index entries by body path, read once per folder."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[str, dict[str, Any]]] = {}

    def entry(self, raw_ref: str) -> dict[str, Any] | None:
        """The index entry of a body, as a raw_records row without its source and run."""
        path = Path(raw_ref)
        entries = self._folders.get(path.parent)
        if entries is None:
            entries = self._folders[path.parent] = _read_index(path.parent / INDEX)
        found = entries.get(path.name)
        if found is None or not found.get("sha256"):
            return None
        return {
            "url": found.get("url"),
            "fetched_at": _when(found.get("fetched_at")),
            "content_hash": found["sha256"],
            "content_type": (found.get("content_type") or None),
            "landing_path": str(path),
            "status": "ok" if found.get("status", 200) < 400 else f"http {found['status']}",
        }


def _read_index(index: Path) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    try:
        lines = index.read_text(encoding="utf-8").splitlines()
    except OSError:
        return entries
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            log.warning("%s: an unreadable line skipped", index)
            continue
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            entries[entry["file"]] = entry
    return entries


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
