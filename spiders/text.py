"""Text clean-ups shared by the parsers: inline markup in titles and abstracts, and the HTML
fragments services put in descriptions and feed summaries."""

from __future__ import annotations

import html
import re

from w3lib.html import remove_comments, remove_tags, remove_tags_with_content

# Inline markup joins its neighbours ("k<sub>cat</sub>"); any other tag separates words.
_INLINE = re.compile(r"</?(?:i|b|u|em|strong|sub|sup|sc|span|a|small|tt|inf)(?:\s[^<>]*)?>", re.I)
_TAG = re.compile(r"<[^<>]*>")
BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/li|/h[1-6]|/div|/tr|/ul|/ol|/blockquote)\s*>", re.I)
SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


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


def html_to_text(fragment: str | None) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, one line per block."""
    if not fragment:
        return ""
    text = remove_tags_with_content(remove_comments(fragment), which_ones=("script", "style"))
    text = BLOCK_END.sub("\n", text)
    # Entities are decoded twice: feeds often escape markup that itself holds entities.
    text = html.unescape(remove_tags(html.unescape(remove_tags(text))))
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def inline_text(fragment: str | None) -> str:
    """Text of an inline fragment (a title) on one line."""
    return " ".join(html_to_text(fragment).split())
