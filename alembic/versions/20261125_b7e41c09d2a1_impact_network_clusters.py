"""project impact: organisations, partner network, clusters, impact runs, impact views

Revision ID: b7e41c09d2a1
Revises: 0001
Create Date: 2026-11-25 16:30:00

Views are written per dialect only where the year of a date is taken
(SQLite has strftime, PostgreSQL EXTRACT); everything else is shared SQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b7e41c09d2a1"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UPTAKE_TYPES = "('funding_round', 'partnership', 'acquisition', 'regulatory_approval')"
PARTICIPANT_ROLES = "('coordinator', 'participant')"

OLD_PROJECT_OUTPUTS = """
        SELECT pr.project_id, pr.acronym, pr.programme_code, pd.title AS project_title,
               od.id AS document_id, od.kind, od.title, od.published, od.url,
               l.method, l.confidence, l.found_at
        FROM document_links l
        JOIN projects pr ON pr.document_id = l.from_document_id
        JOIN documents pd ON pd.id = pr.document_id
        JOIN documents od ON od.id = l.to_document_id
        WHERE l.link_type = 'project_output'
"""
PROJECT_OUTPUTS = """
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


def _counts(alias: str) -> str:
    return f"""
               COUNT(DISTINCT CASE WHEN {alias}.event = 'publication' THEN {alias}.event_document_id END) AS publications,
               COUNT(DISTINCT CASE WHEN {alias}.event = 'patent' THEN {alias}.event_document_id END) AS patents,
               COUNT(DISTINCT CASE WHEN {alias}.event = 'news' THEN {alias}.event_document_id END) AS news,
               COUNT(DISTINCT CASE WHEN {alias}.event = 'follow_on' THEN {alias}.event_document_id END) AS follow_on_projects,
               COUNT(DISTINCT CASE WHEN {alias}.event = 'uptake' THEN {alias}.event_document_id END) AS uptake_signals"""


def _views() -> dict[str, str]:
    return {
        # One row per impact event of a project: a linked output, a later project of one of
        # its participants (follow-on funding), or an uptake signal involving a participant.
        "v_impact_events": f"""
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
        JOIN signals sg ON sg.document_id = om.document_id AND sg.signal_type IN {UPTAKE_TYPES}
        JOIN documents sd ON sd.id = sg.document_id
        WHERE op.role IN {PARTICIPANT_ROLES}
          AND (p.start_date IS NULL OR sd.published IS NULL OR sd.published >= p.start_date)
        UNION ALL
        SELECT l.from_document_id, 'uptake', COALESCE(sd.canonical_id, sd.id), {_year("sd.published")}
        FROM document_links l
        JOIN signals sg ON sg.document_id = l.to_document_id AND sg.signal_type IN {UPTAKE_TYPES}
        JOIN documents sd ON sd.id = sg.document_id
        WHERE l.link_type = 'project_output'
        """,
        "v_project_impact": f"""
        SELECT pr.document_id AS project_document_id, pr.project_id, pr.acronym,
               pr.programme_code, 'year' AS scope, e.year, {_counts("e")}
        FROM projects pr
        JOIN v_impact_events e ON e.project_document_id = pr.document_id
        WHERE e.year IS NOT NULL
        GROUP BY pr.document_id, pr.project_id, pr.acronym, pr.programme_code, e.year
        UNION ALL
        SELECT pr.document_id, pr.project_id, pr.acronym, pr.programme_code,
               'overall', CAST(NULL AS INTEGER), {_counts("e")}
        FROM projects pr
        LEFT JOIN v_impact_events e ON e.project_document_id = pr.document_id
        GROUP BY pr.document_id, pr.project_id, pr.acronym, pr.programme_code
        """,
        "v_cluster_members": """
        SELECT c.id AS cluster_id, c.profile, c.number AS cluster_number, c.label AS cluster_label,
               c.size AS cluster_size, cm.document_id AS project_document_id, pr.project_id,
               pr.acronym, d.title, pr.start_date, pr.end_date, cm.score
        FROM clusters c
        JOIN cluster_members cm ON cm.cluster_id = c.id
        JOIN projects pr ON pr.document_id = cm.document_id
        JOIN documents d ON d.id = cm.document_id
        """,
        "v_cluster_impact": f"""
        SELECT c.id AS cluster_id, c.profile, c.number AS cluster_number, c.label AS cluster_label,
               'year' AS scope, e.year, {_counts("e")}
        FROM clusters c
        JOIN cluster_members cm ON cm.cluster_id = c.id
        JOIN v_impact_events e ON e.project_document_id = cm.document_id
        WHERE e.year IS NOT NULL
        GROUP BY c.id, c.profile, c.number, c.label, e.year
        UNION ALL
        SELECT c.id, c.profile, c.number, c.label, 'overall', CAST(NULL AS INTEGER), {_counts("e")}
        FROM clusters c
        JOIN cluster_members cm ON cm.cluster_id = c.id
        LEFT JOIN v_impact_events e ON e.project_document_id = cm.document_id
        GROUP BY c.id, c.profile, c.number, c.label
        """,
        "v_candidate_partners": """
        SELECT c.id AS cluster_id, c.profile, c.number AS cluster_number, c.label AS cluster_label,
               o.id AS organisation_id, o.name AS organisation, o.country, cc.score,
               o.pagerank, o.degree, cc.evidence
        FROM cluster_candidates cc
        JOIN clusters c ON c.id = cc.cluster_id
        JOIN organisations o ON o.id = cc.organisation_id
        """,
    }


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("patents", sa.Integer(), nullable=False),
        sa.Column("publications", sa.Integer(), nullable=False),
        sa.Column("degree", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("betweenness", sa.Float(), nullable=False),
        sa.Column("pagerank", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_organisations_entity_id_entities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("key", name=op.f("uq_organisations_key")),
    )
    op.create_index(op.f("ix_organisations_entity_id"), "organisations", ["entity_id"])
    op.create_table(
        "organisation_documents",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_organisation_documents_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_documents_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "document_id", "role", name=op.f("pk_organisation_documents")
        ),
    )
    op.create_index(
        "ix_organisation_documents_document_id", "organisation_documents", ["document_id"]
    )
    op.create_table(
        "organisation_edges",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("patents", sa.Integer(), nullable=False),
        sa.Column("publications", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_edges_source_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_edges_target_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "target_id", name=op.f("pk_organisation_edges")),
    )
    op.create_index(op.f("ix_organisation_edges_target_id"), "organisation_edges", ["target_id"])
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("top_terms", JSON, nullable=True),
        sa.Column("topics", JSON, nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
        sa.UniqueConstraint("profile", "number", name=op.f("uq_clusters_profile_number")),
    )
    op.create_table(
        "cluster_members",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_members_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_cluster_members_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cluster_id", "document_id", name=op.f("pk_cluster_members")),
    )
    op.create_index(op.f("ix_cluster_members_document_id"), "cluster_members", ["document_id"])
    op.create_table(
        "cluster_candidates",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_candidates_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_cluster_candidates_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cluster_id", "organisation_id", name=op.f("pk_cluster_candidates")
        ),
    )
    op.create_index(
        op.f("ix_cluster_candidates_organisation_id"), "cluster_candidates", ["organisation_id"]
    )
    op.create_table(
        "impact_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_runs")),
    )
    op.execute("DROP VIEW IF EXISTS v_project_outputs")
    op.execute(f"CREATE VIEW v_project_outputs AS {PROJECT_OUTPUTS}")
    for name, sql in _views().items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    for name in reversed(list(_views())):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.execute("DROP VIEW IF EXISTS v_project_outputs")
    op.execute(f"CREATE VIEW v_project_outputs AS {OLD_PROJECT_OUTPUTS}")
    op.drop_table("impact_runs")
    op.drop_index(op.f("ix_cluster_candidates_organisation_id"), table_name="cluster_candidates")
    op.drop_table("cluster_candidates")
    op.drop_index(op.f("ix_cluster_members_document_id"), table_name="cluster_members")
    op.drop_table("cluster_members")
    op.drop_table("clusters")
    op.drop_index(op.f("ix_organisation_edges_target_id"), table_name="organisation_edges")
    op.drop_table("organisation_edges")
    op.drop_index("ix_organisation_documents_document_id", table_name="organisation_documents")
    op.drop_table("organisation_documents")
    op.drop_index(op.f("ix_organisations_entity_id"), table_name="organisations")
    op.drop_table("organisations")
