"""Impact indicators read from the views, and the digest's project-impact section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, Float, bindparam, text
from sqlalchemy.orm import Session

from scintel.impact.corpus import in_programmes
from scintel.profile import Profile
from scintel.storage.base import JSONType

COUNTS = ("publications", "patents", "news", "follow_on_projects", "uptake_signals")


@dataclass(frozen=True)
class Indicators:
    """One row of v_project_impact or v_cluster_impact; year None is the overall row."""

    name: str
    year: int | None
    publications: int
    patents: int
    news: int
    follow_on_projects: int
    uptake_signals: int

    @property
    def outputs(self) -> int:
        return self.publications + self.patents + self.news


def project_indicators(
    session: Session, profile: Profile, year: int | None = None
) -> list[Indicators]:
    """Per monitored project: overall (year None) or for one year, most outputs first."""
    scope = "overall" if year is None else "year"
    rows = session.execute(
        text(
            "SELECT acronym, project_id, programme_code, year, "
            + ", ".join(COUNTS)
            + " FROM v_project_impact WHERE scope = :scope"
            + ("" if year is None else " AND year = :year")
        ),
        {"scope": scope, "year": year},
    )
    found = [
        Indicators(acronym or project_id, y, *counts)
        for acronym, project_id, code, y, *counts in rows
        if in_programmes(code, profile.impact.programmes)
    ]
    return sorted(found, key=lambda r: (-r.outputs, -r.follow_on_projects, r.name))


def cluster_indicators(session: Session, profile: Profile) -> list[Indicators]:
    """Per cluster of the profile, overall and per year (distinct outputs, not sums)."""
    rows = session.execute(
        text(
            "SELECT cluster_label, year, "
            + ", ".join(COUNTS)
            + " FROM v_cluster_impact WHERE profile = :profile ORDER BY cluster_number, year"
        ),
        {"profile": profile.name},
    )
    return [Indicators(label, year, *counts) for label, year, *counts in rows]


@dataclass(frozen=True)
class ImpactItem:
    """A new output of a monitored project, as the digest shows it."""

    project_id: str
    acronym: str | None
    project_title: str
    cluster: str | None
    kind: str
    title: str
    url: str | None
    published: date | None
    source: str
    method: str
    confidence: float
    found_at: datetime
    why: str


def week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written '2026-W47'."""
    year, _, number = week.partition("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + timedelta(days=6)


def explain(method: str, kind: str, evidence: dict[str, Any] | None) -> str:
    """One line saying why an output is linked to its project."""
    ev = evidence or {}
    if method == "harvested":
        return f"acknowledges grant {ev.get('grant_id', '')}".strip() + " in its funding record"
    if method == "manual":
        return f"linked by an analyst: {ev.get('reason', '')}".rstrip(": ")
    if kind == "patent":
        terms = ", ".join(ev.get("shared_terms", [])[:3])
        when = "during the project" if ev.get("within_project") else "after the project"
        return (
            f"applicant {ev.get('applicant')} is a project partner; filed {ev.get('filed')} "
            f"({when})" + (f"; shared terms: {terms}" if terms else "")
        )
    if "coordinator" in ev:
        return f"names coordinator {ev.get('named_as')} with '{ev.get('context')}'"
    if "grant_number" in ev and "acronym" in ev:
        return f"names {ev['acronym']} and grant {ev['grant_number']}"
    if "grant_number" in ev:
        return f"cites grant agreement {ev['grant_number']}"
    return f"names {ev.get('acronym')} with '{ev.get('context')}'"


def impact_section(
    session: Session, week: str, profile: Profile | None = None, limit: int = 20
) -> list[ImpactItem]:
    """New outputs of monitored projects in an ISO week, for the digest.

    'New' means published in that week, or linked in that week (a paper found today for
    a project that ended last year is news to the officers). Best-evidenced first.
    """
    monday, sunday = week_bounds(week)
    start = datetime.combine(monday, time.min, tzinfo=UTC)
    end = datetime.combine(sunday + timedelta(days=1), time.min, tzinfo=UTC)
    rows = session.execute(
        text(
            """
            SELECT o.project_id, o.acronym, o.project_title, o.programme_code, c.label,
                   o.kind, o.title, o.url, o.published, o.source, o.method, o.confidence,
                   o.found_at, o.evidence
            FROM v_project_outputs o
            JOIN documents d ON d.id = o.document_id
            LEFT JOIN cluster_members cm ON cm.document_id = o.project_document_id
            LEFT JOIN clusters c ON c.id = cm.cluster_id AND c.profile = :profile
            WHERE d.canonical_id IS NULL
              AND ((o.published >= :monday AND o.published <= :sunday)
                   OR (o.found_at >= :start AND o.found_at < :end))
            """
        )
        .bindparams(
            bindparam("monday", type_=Date()),
            bindparam("sunday", type_=Date()),
            bindparam("start", type_=DateTime(timezone=True)),
            bindparam("end", type_=DateTime(timezone=True)),
        )
        .columns(
            published=Date(),
            confidence=Float(),
            found_at=DateTime(timezone=True),
            evidence=JSONType,
        ),
        {
            "monday": monday,
            "sunday": sunday,
            "start": start,
            "end": end,
            "profile": profile.name if profile else "",
        },
    )
    best: dict[tuple[str, str], ImpactItem] = {}
    for (
        project_id,
        acronym,
        project_title,
        code,
        cluster,
        kind,
        title,
        url,
        published,
        source,
        method,
        confidence,
        found_at,
        evidence,
    ) in rows:
        if profile is not None and not in_programmes(code, profile.impact.programmes):
            continue
        item = ImpactItem(
            project_id=project_id,
            acronym=acronym,
            project_title=project_title,
            cluster=cluster,
            kind=kind,
            title=title,
            url=url,
            published=_as_date(published),
            source=source,
            method=method,
            confidence=float(confidence),
            found_at=_as_datetime(found_at),
            why=explain(method, kind, evidence if isinstance(evidence, dict) else None),
        )
        key = (project_id, title)
        if key not in best or item.confidence > best[key].confidence:
            best[key] = item
    items = sorted(
        best.values(),
        key=lambda i: (
            -i.confidence,
            -(i.published or date.min).toordinal(),
            i.project_id,
            i.title,
        ),
    )
    return items[:limit]


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
