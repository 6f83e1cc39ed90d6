"""Document kinds: the one list every layer reads (item schema checks, DAGs, CLI, digest,
corpus). A new kind is one entry here plus its item class and detail table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    key: str  # the item and warehouse value
    group: str  # the name of its sources' group: DAG, asset and `scintel run --kinds`
    singular: str
    plural: str
    colour: str  # in the digest's charts


# In the digest's reading (and charts' stacking) order.
KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("publication", "publications", "Publication", "Publications", "#1f6feb"),
    DocumentKind("patent", "patents", "Patent", "Patents", "#8250df"),
    DocumentKind("funding_call", "funding", "Funding call", "Funding calls", "#1a7f37"),
    DocumentKind("news", "news", "News", "News", "#bf8700"),
    DocumentKind("project", "projects", "Project", "Projects", "#6e7781"),
)
KIND_KEYS: tuple[str, ...] = tuple(k.key for k in KINDS)
BY_KEY: dict[str, DocumentKind] = {k.key: k for k in KINDS}
BY_GROUP: dict[str, DocumentKind] = {k.group: k for k in KINDS}
# Other names texts' kinds go by in corpora and exports ("press release", "abstract"): read
# as the kind they are, so an outside file need not use scintel's keys.
KIND_ALIASES: dict[str, str] = {
    "publications": "publication", "paper": "publication", "article": "publication",
    "abstract": "publication", "journal_article": "publication", "patents": "patent",
    "patent_abstract": "patent", "patent_application": "patent", "call": "funding_call",
    "calls": "funding_call", "funding": "funding_call", "funding_calls": "funding_call",
    "call_for_proposals": "funding_call", "topic": "funding_call", "press_release": "news",
    "press": "news", "news_item": "news", "article_news": "news", "projects": "project",
    "project_summary": "project", "cordis_project": "project", "cordis": "project",
}  # fmt: skip


def kind_key(value: object) -> str | None:
    """The kind key a written kind names ("Press release" -> "news"), or None."""
    if not isinstance(value, str):
        return None
    folded = "_".join(value.strip().lower().replace("-", " ").split())
    if folded in BY_KEY:
        return folded
    return KIND_ALIASES.get(folded)
