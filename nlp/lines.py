"""The line a span stands in: titles, headlines and headings are read a line at a time."""

from __future__ import annotations


def line_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Where the line holding text[start:end] starts and ends, its line breaks left out."""
    line_end = text.find("\n", start if end is None else end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end
