"""Render the digest as an e-mail-safe HTML page and a Markdown/plain-text twin.

Scraped text is untrusted: templates autoescape everything, links are rendered only for
http(s) URLs, and the little inline markup sources use in titles (italic species names,
sub/superscripts) passes through nh3 with a tiny allow-list.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from scintel.digest import sections
from scintel.digest.charts import Chart
from scintel.digest.collect import DigestData
from scintel.digest.queries import Entry

INLINE_TAGS = {"i", "em", "b", "strong", "sub", "sup"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MD_SPECIAL = re.compile(r"([\\`*|\[\]<>])")
_SPACE = re.compile(r"\s+")
# Longest text shown for one title or phrase: a source can send a megabyte as a "title".
TEXT_MAX = 400


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (so no link is rendered)."""
    if not url:
        return None
    candidate = url.strip().replace(" ", "%20")
    if _CONTROL.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def clip(text: str, limit: int = TEXT_MAX) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis when longer."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def inline_html(text: str | None) -> Markup:
    """Source text with only harmless inline markup kept; everything else escaped or dropped."""
    cleaned = nh3.clean((text or "")[: 4 * TEXT_MAX], tags=INLINE_TAGS, attributes={})
    collapsed = _SPACE.sub(" ", cleaned).strip()
    if len(collapsed) > TEXT_MAX:  # cut, then clean again so no tag is left open
        collapsed = nh3.clean(clip(collapsed), tags=INLINE_TAGS, attributes={})
    return Markup(collapsed)


def plain(text: str | None) -> str:
    """Source text as plain text: markup removed, entities decoded, whitespace collapsed."""
    stripped = nh3.clean((text or "")[: 4 * TEXT_MAX], tags=set(), attributes={})
    return clip(_SPACE.sub(" ", html.unescape(stripped)).strip())


def md(text: str | None) -> str:
    """Plain text made inert in Markdown (no links, emphasis or raw HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text))


def md_url(url: str | None) -> str | None:
    safe = safe_url(url)
    return quote(safe, safe=":/?#@!$&'*+,;=%~-._") if safe else None


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


def why(entry: Entry) -> str:
    """Why the entry is in the digest, in one line."""
    parts = [entry.reason] if entry.reason else []
    if entry.topics:
        parts.append("topic " + "; ".join(entry.topics))
    if entry.entities:
        parts.append("mentions " + ", ".join(entry.entities))
    return " · ".join(parts)


def _environment(autoescape: bool) -> Environment:
    """Templates for one format: the page escapes everything, the Markdown twin nothing
    (a section's partials, shared by both, are compiled once for each)."""
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("scintel.digest", "templates"),
                FileSystemLoader(list(sections.__path__)),
            ]
        ),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        safe_url=safe_url,
        inline_html=inline_html,
        plain=plain,
        md=md,
        md_url=md_url,
        signed=signed,
        why=why,
    )
    return env


@dataclass(frozen=True)
class Rendered:
    page_html: str
    email_html: str
    text: str


def render(
    data: DigestData,
    charts: list[Chart],
    title: str,
    generated_at: datetime,
    page_images: Mapping[str, str],
    email_images: Mapping[str, str],
) -> Rendered:
    """The page (images as `page_images` sources), the e-mail HTML (cid:) and the text twin."""
    context = {
        "title": title,
        "week": data.week,
        "charts": charts,
        "sections": data.shown(),
        "generated_at": generated_at,
    }
    page = _environment(autoescape=True).get_template("digest.html.j2")
    return Rendered(
        page_html=page.render(context, images=page_images),
        email_html=page.render(context, images=email_images),
        text=_environment(autoescape=False).get_template("digest.md.j2").render(context),
    )
