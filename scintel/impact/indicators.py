"""Impact indicators read from the views (v_project_impact), for the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from scintel.impact.corpus import in_programmes
from scintel.profile import Profile

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
