"""Market signals: funding rounds, partnerships, acquisitions and approvals found this week."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func

from scintel.digest.queries import (
    SG,
    D,
    Group,
    canonical,
    format_eur,
    group_entries,
    to_entry,
    with_source,
)
from scintel.digest.registry import Section
from scintel.digest.weeks import IsoWeek
from scintel.nlp.signal_types import MARKET_SIGNALS


def _quote(evidence: Any, title: str) -> str | None:
    """The passage a signal was found in, if the enricher kept it, without a repeated title."""
    if not isinstance(evidence, dict):
        return None
    for key in ("sentence", "snippet", "text", "quote", "context"):
        value = evidence.get(key)
        if isinstance(value, str) and value.strip():
            quote = value.strip()
            if quote.startswith(title.strip()) and len(quote) > len(title.strip()) + 20:
                quote = quote[len(title.strip()) :].lstrip(" .:-–—")
            return quote
    return None


def market_signals(conn: Connection, week: IsoWeek, per_type: int = 8) -> list[Group]:
    """Funding rounds, partnerships, acquisitions and approvals found this week, best first."""
    rows = conn.execute(
        with_source(SG.c.signal_type, SG.c.score, SG.c.amount_eur, SG.c.evidence)
        .join(SG, SG.c.document_id == D.c.id)
        .where(SG.c.iso_week == str(week), SG.c.signal_type.in_(list(MARKET_SIGNALS)), canonical())
        .order_by(
            SG.c.signal_type, SG.c.score.desc(), func.coalesce(SG.c.amount_eur, 0).desc(), D.c.id
        )
    ).all()
    groups: dict[str, Group] = {}
    for row in rows:
        group = groups.setdefault(row.signal_type, Group(MARKET_SIGNALS[row.signal_type], []))
        group.total += 1
        if len(group.entries) >= per_type or any(e.document_id == row.id for e in group.entries):
            continue
        entry = to_entry(
            row,
            [
                format_eur(row.amount_eur) if row.amount_eur else None,
                f"signal score {row.score:.2f}",
            ],
        )
        entry.quote = _quote(row.evidence, row.title)
        entry.reason = f"{row.signal_type.replace('_', ' ')} signal"
        group.entries.append(entry)
    for group in groups.values():
        more = group.total - len(group.entries)
        group.note = f"and {more} more" if more > 0 else None
    return [groups[t] for t in MARKET_SIGNALS if t in groups]


SECTIONS = (
    Section(
        anchor="market",
        title="Market signals",
        order=40,
        partials="market.j2",
        query=lambda context: market_signals(context.conn, context.week),
        entries=group_entries,
        counted_as="market_signals",
    ),
)
