"""What spiders yield: plain dicts in the landing-zone item format, or `Rejected`.

The schema lives in scintel.storage.items (docs/items.md); this module only
validates against it and describes entries that could not become items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from scintel.storage.items import ITEM_ADAPTER, Item, ItemError


@dataclass
class Rejected:
    """A page or entry that could not be parsed; kept with the reason and its raw body."""

    source: str
    reason: str
    url: str | None = None
    raw_ref: str | None = None
    entry: Any = None

    def as_record(self) -> dict[str, Any]:
        record = {
            "source": self.source,
            "reason": self.reason,
            "url": self.url,
            "raw_ref": self.raw_ref,
        }
        if self.entry is not None:
            record["entry"] = self.entry
        return record


def validate(data: dict[str, Any]) -> Item:
    """Validate one item dict against the shared schema, or raise ItemError with a reason."""
    try:
        return ITEM_ADAPTER.validate_python(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            raise ItemError(f"unknown or missing kind: {data.get('kind')!r}") from None
        reasons = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'item'}: {e['msg']}" for e in errors[:5]
        ]
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ItemError("; ".join(reasons) + more) from None
