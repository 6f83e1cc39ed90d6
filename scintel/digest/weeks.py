"""ISO weeks as the digest sees them: 'YYYY-Www', the same strings documents.iso_week holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from scintel.errors import ScintelError

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """Parse '2026-W47', naming the option on a bad value."""
        match = WEEK_PATTERN.match(text.strip())
        if not match:
            raise ScintelError(f"not an ISO week: {text!r} (expected e.g. 2026-W47)", "--week")
        year, week = int(match[1]), int(match[2])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ScintelError(f"{year} has no ISO week {week}", "--week") from None
        return cls.of(monday)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def last_complete(cls, today: date) -> IsoWeek:
        """The latest week that has fully ended before `today`."""
        return cls.of(today - timedelta(days=7))

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def trailing(self, count: int) -> list[IsoWeek]:
        """The `count` weeks ending with this one, oldest first."""
        return [self.shift(-n) for n in range(count - 1, -1, -1)]

    def span(self) -> str:
        """Human date range, e.g. '16–22 Nov 2026'."""
        first, last = self.monday, self.sunday
        if first.month == last.month:
            return f"{first.day}–{last.day} {last:%b %Y}"
        if first.year == last.year:
            return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
        return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"
