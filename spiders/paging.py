"""Paging helpers shared by spiders of capped search APIs."""

from __future__ import annotations

from datetime import timedelta

from scintel.spiders.window import Window


def halves(window: Window) -> tuple[Window, Window]:
    """Split a window of two or more days in two: for APIs that cap the hits of one query."""
    middle = window.since + timedelta(days=(window.until - window.since).days // 2)
    return Window(window.since, middle), Window(middle + timedelta(days=1), window.until)
