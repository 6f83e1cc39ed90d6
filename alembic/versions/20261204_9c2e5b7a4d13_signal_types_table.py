"""signal types as data: a signal_types table that the uptake view reads

Revision ID: 9c2e5b7a4d13
Revises: f7a3c2d1e9b8
Create Date: 2026-12-04 11:00:00

The uptake types were a list fixed inside v_impact_events (migration b7e41c09d2a1), so a new
uptake type needed a migration. The enrich step now writes the registry
(scintel/nlp/signal_types.py) into signal_types, and the view reads its `uptake` flag.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c2e5b7a4d13"
down_revision: str | Sequence[str] | None = "f7a3c2d1e9b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTICIPANT_ROLES = "('coordinator', 'participant')"
OLD_UPTAKE = "('funding_round', 'partnership', 'acquisition', 'regulatory_approval')"
NEW_UPTAKE = "(SELECT t.key FROM signal_types t WHERE t.uptake)"
# The registry as of this revision; the enrich step keeps the table in step afterwards.
SEED = [
    ("funding_round", "Funding rounds", True, True),
    ("partnership", "Partnerships", True, True),
    ("acquisition", "Acquisitions", True, True),
    ("regulatory_approval", "Regulatory approvals", True, True),
    ("facility_opening", "Facility openings", True, False),
    ("funding_call", "Funding calls", False, False),
    ("patent_publication", "Patents", False, False),
    ("project_output", "Project outputs", False, False),
]


def _year(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _impact_events(uptake: str) -> str:
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
        JOIN signals sg ON sg.document_id = om.document_id AND sg.signal_type IN {uptake}
        JOIN documents sd ON sd.id = sg.document_id
        WHERE op.role IN {PARTICIPANT_ROLES}
          AND (p.start_date IS NULL OR sd.published IS NULL OR sd.published >= p.start_date)
        UNION ALL
        SELECT l.from_document_id, 'uptake', COALESCE(sd.canonical_id, sd.id), {_year("sd.published")}
        FROM document_links l
        JOIN signals sg ON sg.document_id = l.to_document_id AND sg.signal_type IN {uptake}
        JOIN documents sd ON sd.id = sg.document_id
        WHERE l.link_type = 'project_output'
        """


def _replace_view(sql: str) -> None:
    if op.get_bind().dialect.name == "postgresql":  # same columns: the dependent views stay
        op.execute(f"CREATE OR REPLACE VIEW v_impact_events AS {sql}")
    else:  # SQLite resolves views by name when queried: v_project_impact keeps working
        op.execute("DROP VIEW IF EXISTS v_impact_events")
        op.execute(f"CREATE VIEW v_impact_events AS {sql}")


def upgrade() -> None:
    table = op.create_table(
        "signal_types",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("market", sa.Boolean(), nullable=False),
        sa.Column("uptake", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_signal_types")),
    )
    op.bulk_insert(
        table, [{"key": k, "label": lb, "market": mk, "uptake": up} for k, lb, mk, up in SEED]
    )
    _replace_view(_impact_events(NEW_UPTAKE))


def downgrade() -> None:
    _replace_view(_impact_events(OLD_UPTAKE))
    op.drop_table("signal_types")
