"""Small text clean-ups shared by the parsers."""

from __future__ import annotations

import html
import re

# Inline markup joins its neighbours ("k<sub>cat</sub>"); any other tag separates words.
_INLINE = re.compile(r"</?(?:i|b|u|em|strong|sub|sup|sc|span|a|small|tt|inf)(?:\s[^<>]*)?>", re.I)
_TAG = re.compile(r"<[^<>]*>")


def squash(text: str | None) -> str | None:
    """Collapse runs of whitespace (hard-wrapped feeds); None for blank text."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def strip_markup(text: str | None) -> str | None:
    """Inline markup (<i>, <sub>, <h4>...) removed, entities decoded, whitespace collapsed."""
    if text is None:
        return None
    if "<" in text:
        text = _TAG.sub(" ", _INLINE.sub("", text))
    if "&" in text:
        text = html.unescape(text)
    return squash(text)
