"""impact events from evidence-bearing links; outputs shown above a confidence threshold

Revision ID: d8b3f1a6c2e9
Revises: 5e8b1d4c7a20
Create Date: 2026-12-04 14:00:00

Follow-on funding counted any later project sharing any key-equal organisation (projects of
one call starting a month apart counted), and uptake counted any mention of a participant
in a story with an uptake signal. The impact step now writes both as document_links
('follow_on', 'uptake') with their evidence and confidence (scintel/impact/events.py), and
v_impact_events reads them from there.

Links carry a calibrated confidence (scintel/impact/confidence.py). v_project_outputs keeps
the links at or above SHOW_THRESHOLD (0.8), v_project_output_candidates the others, and
the impact counts (v_project_impact, v_cluster_impact) count only events at or above it.

project_output signals, written by enrichment from whatever projects were loaded at the
time (so the counts depended on load order), are gone: outputs are links only.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d8b3f1a6c2e9"
down_revision: str | Sequence[str] | None = "5e8b1d4c7a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHOW_THRESHOLD = 0.8  # scintel.impact.confidence.SHOW_THRESHOLD (a test keeps them equal)
PARTICIPANT_ROLES = "('coordinator', 'participant')"
UPTAKE = "(SELECT t.key FROM signal_types t WHERE t.uptake)"

OUTPUTS = """
        SELECT pr.project_id, pr.acronym, pr.programme_code, pd.title AS project_title,
               od.id AS document_id, od.kind, od.title, od.published, od.url,
               l.method, l.confidence, l.found_at,
               pr.document_id AS project_document_id, s.name AS source, l.evidence
        FROM document_links l
        JOIN projects pr ON pr.document_id = l.from_document_id
        JOIN documents pd ON pd.id = pr.document_id
        JOIN documents od ON od.id = l.to_document_id
        JOIN sources s ON s.id = od.source_id
        WHERE l.link_type = 'project_output'
"""


def _year(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _counts(alias: str, shown_only: bool = True) -> str:
    """The five counts of the impact views; this revision counts only shown events."""
    kinds = {
        "publications": "'publication'",
        "patents": "'patent'",
        "news": "'news'",
        "follow_on_projects": "'follow_on'",
        "uptake_signals": "'uptake'",
    }
    shown = f" AND {alias}.confidence >= {SHOW_THRESHOLD}" if shown_only else ""
    return ",".join(
        f"\n               COUNT(DISTINCT CASE WHEN {alias}.event = {event}{shown}"
        f" THEN {alias}.event_document_id END) AS {name}"
        for name, event in kinds.items()
    )


def _new_events() -> str:
    return f"""
        SELECT l.from_document_id AS project_document_id, od.kind AS event,
               COALESCE(od.canonical_id, od.id) AS event_document_id,
               {_year("od.published")} AS year, l.method, l.confidence
        FROM document_links l
        JOIN documents od ON od.id = l.to_document_id
        WHERE l.link_type = 'project_output'
        UNION ALL
        SELECT l.from_document_id, 'follow_on', l.to_document_id, {_year("lp.start_date")},
               l.method, l.confidence
        FROM document_links l
        JOIN projects lp ON lp.document_id = l.to_document_id
        WHERE l.link_type = 'follow_on'
        UNION ALL
        SELECT l.from_document_id, 'uptake', COALESCE(sd.canonical_id, sd.id),
               {_year("sd.published")}, l.method, l.confidence
        FROM document_links l
        JOIN documents sd ON sd.id = l.to_document_id
        WHERE l.link_type = 'uptake'
        """


def _old_events() -> str:
    """v_impact_events as revision 9c2e5b7a4d13 left it."""
    return f"""
        SELECT l.from_document_id AS project_document_id, od.kind AS event,
               COALESCE(od.canonical_id, od.id) AS event_document_id,
               {_year("od.published")} AS year
        FROM document_links l
        JOIN documents od ON od.id = l.to_document_id
        WHERE l.link_type = 'project_output'
        UNION ALL
        SELECT op.document_id, 'follow_on', lp.document_id, {_year("lp.start_date")}
        FROM organisation_documents op
        JOIN projects p ON p.document_id = op.document_id
        JOIN organisation_documents ol
          ON ol.organisation_id = op.organisation_id AND ol.document_id <> op.document_id
         AND ol.role IN {PARTICIPANT_ROLES}
        JOIN projects lp ON lp.document_id = ol.document_id
        WHERE op.role IN {PARTICIPANT_ROLES} AND lp.start_date > p.start_date
        UNION ALL
        SELECT op.document_id, 'uptake', COALESCE(sd.canonical_id, sd.id), {_year("sd.published")}
        FROM organisation_documents op
        JOIN projects p ON p.document_id = op.document_id
        JOIN organisation_documents om
          ON om.organisation_id = op.organisation_id AND om.document_id <> op.document_id
         AND om.role NOT IN {PARTICIPANT_ROLES}
        JOIN signals sg ON sg.document_id = om.document_id AND sg.signal_type IN {UPTAKE}
        JOIN documents sd ON sd.id = sg.document_id
        WHERE op.role IN {PARTICIPANT_ROLES}
          AND (p.start_date IS NULL OR sd.published IS NULL OR sd.published >= p.start_date)
        UNION ALL
        SELECT l.from_document_id, 'uptake', COALESCE(sd.canonical_id, sd.id), {_year("sd.published")}
        FROM document_links l
        JOIN signals sg ON sg.document_id = l.to_document_id AND sg.signal_type IN {UPTAKE}
        JOIN documents sd ON sd.id = sg.document_id
        WHERE l.link_type = 'project_output'
        """


def _impact_views(events: str, counts: str) -> dict[str, str]:
    return {
        "v_impact_events": events,
        "v_project_impact": f"""
        SELECT pr.document_id AS project_document_id, pr.project_id, pr.acronym,
               pr.programme_code, 'year' AS scope, e.year, {counts}
        FROM projects pr
        JOIN v_impact_events e ON e.project_document_id = pr.document_id
        WHERE e.year IS NOT NULL
        GROUP BY pr.document_id, pr.project_id, pr.acronym, pr.programme_code, e.year
        UNION ALL
        SELECT pr.document_id, pr.project_id, pr.acronym, pr.programme_code,
               'overall', CAST(NULL AS INTEGER), {counts}
        FROM projects pr
        LEFT JOIN v_impact_events e ON e.project_document_id = pr.document_id
        GROUP BY pr.document_id, pr.project_id, pr.acronym, pr.programme_code
        """,
        "v_cluster_impact": f"""
        SELECT c.id AS cluster_id, c.profile, c.number AS cluster_number, c.label AS cluster_label,
               'year' AS scope, e.year, {counts}
        FROM clusters c
        JOIN cluster_members cm ON cm.cluster_id = c.id
        JOIN v_impact_events e ON e.project_document_id = cm.document_id
        WHERE e.year IS NOT NULL
        GROUP BY c.id, c.profile, c.number, c.label, e.year
        UNION ALL
        SELECT c.id, c.profile, c.number, c.label, 'overall', CAST(NULL AS INTEGER), {counts}
        FROM clusters c
        JOIN cluster_members cm ON cm.cluster_id = c.id
        LEFT JOIN v_impact_events e ON e.project_document_id = cm.document_id
        GROUP BY c.id, c.profile, c.number, c.label
        """,
    }


def _replace(views: dict[str, str]) -> None:
    for name in reversed(list(views)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    for name, sql in views.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def _field(name: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"l.evidence ->> '{name}'"
    return f"json_extract(l.evidence, '$.{name}')"


def _event_views() -> dict[str, str]:
    """Follow-on and uptake events with their evidence as columns, for analysts."""
    return {
        "v_follow_on": f"""
        SELECT p.project_id, p.acronym, lp.project_id AS later_project_id,
               lp.acronym AS later_acronym, lp.start_date AS later_start_date,
               {_field("organisation")} AS organisation, {_field("role")} AS role,
               {_field("later_role")} AS later_role,
               {_field("months_after_start")} AS months_after_start, l.confidence,
               l.from_document_id AS project_document_id,
               l.to_document_id AS later_document_id
        FROM document_links l
        JOIN projects p ON p.document_id = l.from_document_id
        JOIN projects lp ON lp.document_id = l.to_document_id
        WHERE l.link_type = 'follow_on'
        """,
        "v_uptake": f"""
        SELECT p.project_id, p.acronym, d.id AS document_id, d.kind, d.title, d.published,
               d.url, {_field("signal_type")} AS signal_type,
               {_field("organisation")} AS organisation, {_field("named_as")} AS named_as,
               {_field("role")} AS role, {_field("snippet")} AS snippet, l.confidence,
               l.from_document_id AS project_document_id
        FROM document_links l
        JOIN projects p ON p.document_id = l.from_document_id
        JOIN documents d ON d.id = l.to_document_id
        WHERE l.link_type = 'uptake'
        """,
    }


def upgrade() -> None:
    op.execute("DELETE FROM signals WHERE signal_type = 'project_output'")
    op.execute("DELETE FROM signal_types WHERE key = 'project_output'")
    _replace(_impact_views(_new_events(), _counts("e")))
    op.execute("DROP VIEW IF EXISTS v_project_outputs")
    op.execute(f"CREATE VIEW v_project_outputs AS {OUTPUTS} AND l.confidence >= {SHOW_THRESHOLD}")
    op.execute(
        f"CREATE VIEW v_project_output_candidates AS {OUTPUTS} AND l.confidence < {SHOW_THRESHOLD}"
    )
    for name, sql in _event_views().items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    for name in _event_views():
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.execute("DROP VIEW IF EXISTS v_project_output_candidates")
    op.execute("DROP VIEW IF EXISTS v_project_outputs")
    op.execute(f"CREATE VIEW v_project_outputs AS {OUTPUTS}")
    _replace(_impact_views(_old_events(), _counts("e", shown_only=False)))
    op.execute(
        "INSERT INTO signal_types (key, label, market, uptake)"
        " VALUES ('project_output', 'Project outputs', FALSE, FALSE)"
    )
