"""Funding calls: those closing soon, then those new this week (a call is shown once)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select

from scintel.digest.queries import SG, D, Entry, canonical, format_eur, to_entry, with_source
from scintel.digest.registry import Section
from scintel.digest.weeks import IsoWeek
from scintel.storage import models as m

FC = m.FundingCall.__table__
NEW_CALL_SIGNALS = ("funding_call",)
CALL_HORIZON_DAYS = 30


def _call_entry(row: Any, reference: date) -> Entry:
    """A call is dated by its deadline and opening, not by when it was published."""
    entry = to_entry(row, _call_details(row, reference))
    entry.published = None
    return entry


def _call_details(row: Any, reference: date) -> list[str | None]:
    details: list[str | None] = [row.identifier]
    if row.deadline:
        days = (row.deadline - reference).days
        left = f" ({days} days left)" if days >= 0 else ""
        details.append(f"deadline {row.deadline.isoformat()}{left}")
    if row.opening_date:
        details.append(f"opens {row.opening_date.isoformat()}")
    if row.budget_eur:
        details.append(f"budget {format_eur(row.budget_eur)}")
    if row.programme:
        details.append(row.programme)
    return details


def calls(conn: Connection, week: IsoWeek, limit: int = 15) -> tuple[list[Entry], list[Entry]]:
    """Calls whose deadline falls within 30 days of the week's end, and calls new this week."""
    reference = week.sunday + timedelta(days=1)
    base = (
        with_source(
            FC.c.identifier,
            FC.c.programme,
            FC.c.status,
            FC.c.opening_date,
            FC.c.deadline,
            FC.c.budget_eur,
        )
        .join(FC, FC.c.document_id == D.c.id)
        .where(canonical(), func.lower(func.coalesce(FC.c.status, "")) != "closed")
    )
    closing_rows = conn.execute(
        base.where(FC.c.deadline.between(reference, reference + timedelta(days=CALL_HORIZON_DAYS)))
        .order_by(FC.c.deadline, FC.c.identifier)
        .limit(limit)
    ).all()
    closing = [_call_entry(r, reference) for r in closing_rows]
    for entry, row in zip(closing, closing_rows, strict=True):
        days = (row.deadline - reference).days
        entry.reason = (
            "closes today" if days == 0 else f"closes in {days} day{'s' if days != 1 else ''}"
        )
    shown = {e.document_id for e in closing}
    new_signal = select(SG.c.document_id).where(
        SG.c.iso_week == str(week), SG.c.signal_type.in_(NEW_CALL_SIGNALS)
    )
    new_rows = conn.execute(
        base.where(
            or_(
                FC.c.opening_date.between(week.monday, week.sunday),
                D.c.iso_week == str(week),
                D.c.id.in_(new_signal),
            ),
            or_(FC.c.deadline.is_(None), FC.c.deadline >= reference),
        )
        .order_by(FC.c.deadline.is_(None), FC.c.deadline, FC.c.identifier)
        .limit(limit + len(shown))
    ).all()
    new: list[Entry] = []
    for row in new_rows:
        if row.id in shown or len(new) >= limit:
            continue
        entry = _call_entry(row, reference)
        opened = row.opening_date and week.monday <= row.opening_date <= week.sunday
        entry.reason = "opened this week" if opened else "announced this week"
        new.append(entry)
    return closing, new


SECTIONS = (
    Section(
        anchor="calls-closing",
        title=f"Calls closing within {CALL_HORIZON_DAYS} days",
        order=20,
        partials="calls.j2",
        query=lambda context: context.once(calls)[0],
        entries=list,
        counted_as="calls_closing",
    ),
    Section(
        anchor="calls-new",
        title="Newly opened calls",
        order=30,
        partials="calls.j2",
        query=lambda context: context.once(calls)[1],
        entries=list,
        counted_as="calls_new",
    ),
)
