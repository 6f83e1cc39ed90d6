"""The profile's keyword filter for sources that return more than the watched field."""

from __future__ import annotations

import re
from collections.abc import Iterable


class KeywordFilter:
    """Matches text holding any keyword at a word start, case-insensitively.

    A keyword is a word prefix, so `enzym` matches "enzyme" and "enzymatic"; spaces
    in a keyword match any run of spaces or hyphens ("bio based" = "bio-based").
    No keywords: everything matches.
    """

    def __init__(self, keywords: Iterable[str]) -> None:
        terms = [k.strip() for k in keywords if k and k.strip()]
        self.keywords = terms
        patterns = [
            r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", t)) for t in terms
        ]
        self._each = [re.compile(r"\b" + p, re.I) for p in patterns]
        self._regex = re.compile(r"\b(?:" + "|".join(patterns) + ")", re.I) if patterns else None

    def matches(self, *texts: str | None) -> bool:
        if self._regex is None:
            return True
        return any(self._regex.search(text) for text in texts if text)

    def matched(self, *texts: str | None) -> list[str]:
        """The profile keywords found in the texts, in profile order."""
        return [
            keyword
            for keyword, regex in zip(self.keywords, self._each, strict=True)
            if any(regex.search(text) for text in texts if text)
        ]
