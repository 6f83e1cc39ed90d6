"""Crawl windows: the inclusive date range a step processes (a DAG run's data interval)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from scintel.errors import ScintelError

DEFAULT_DAYS = 7


def parse_day(value: str, name: str = "date") -> date:
    """Parse YYYY-MM-DD with an error that names the option."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ScintelError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True)
class Window:
    """Inclusive first and last day."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise ScintelError(f"window starts after it ends: {self.since} > {self.until}")

    def __contains__(self, day: date) -> bool:
        return self.since <= day <= self.until

    def __str__(self) -> str:
        return f"{self.since.isoformat()}..{self.until.isoformat()}"

    @classmethod
    def resolve(
        cls,
        since: str | date | None = None,
        until: str | date | None = None,
        today: date | None = None,
    ) -> Window:
        """A window from optional bounds; the default is the last DEFAULT_DAYS days up to today."""
        end = until if isinstance(until, date) else parse_day(until, "until") if until else None
        start = since if isinstance(since, date) else parse_day(since, "since") if since else None
        end = end or (today or datetime.now(UTC).date())
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        return cls(start, end)
