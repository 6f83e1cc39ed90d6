"""one organisation identity: organisations keyed by PIC, ROR or a country-aware name, with
their merges explained; participants keep their PIC; view v_organisations

Revision ID: e5a9c4b1d7f3
Revises: c3d7e1f9a2b6
Create Date: 2026-12-04 16:00:00

Organisation keys were the normalised name alone (no country, empty for a name in Chinese
script). scintel.impact.identity now keys an organisation `pic:<PIC>`, `ror:<ROR id>` or
`name:<normalised>|<CC>`, records each join of spellings and ids in organisation_merges
(rule, member, evidence) and its curated group in group_key. Existing rows keep their old
keys until the next `scintel impact` run replaces them (ids change; cluster candidates are
rebuilt by the same run).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e5a9c4b1d7f3"
down_revision: str | Sequence[str] | None = "c3d7e1f9a2b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
ORGANISATION_COLUMNS = ("key_rule", "pic", "ror", "names", "group_key")
INDEXED = ("pic", "ror", "group_key")

V_ORGANISATIONS = """
CREATE VIEW v_organisations AS
SELECT o.id AS organisation_id, o.key, o.key_rule, o.pic, o.ror, o.name, o.names, o.country,
       o.group_key, g.name AS group_name, o.entity_id, e.canonical_name AS entity_name,
       COALESCE(a.projects, 0) AS projects, COALESCE(a.patents, 0) AS patents,
       COALESCE(a.publications, 0) AS publications, COALESCE(a.news, 0) AS news,
       COALESCE(mg.merges, 0) AS merges,
       o.degree, o.strength, o.betweenness, o.pagerank
FROM organisations o
LEFT JOIN organisations g ON g.key = o.group_key
LEFT JOIN entities e ON e.id = o.entity_id
LEFT JOIN (
    SELECT od.organisation_id,
           COUNT(DISTINCT CASE WHEN od.role IN ('coordinator', 'participant')
                 THEN od.document_id END) AS projects,
           COUNT(DISTINCT CASE WHEN od.role = 'applicant' THEN od.document_id END) AS patents,
           COUNT(DISTINCT CASE WHEN od.role = 'affiliation'
                 THEN od.document_id END) AS publications,
           COUNT(DISTINCT CASE WHEN d.kind = 'news' THEN od.document_id END) AS news
    FROM organisation_documents od
    JOIN documents d ON d.id = od.document_id
    GROUP BY od.organisation_id
) a ON a.organisation_id = o.id
LEFT JOIN (
    SELECT organisation_id, COUNT(*) AS merges FROM organisation_merges GROUP BY organisation_id
) mg ON mg.organisation_id = o.id
"""


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("key_rule", sa.String(length=16), nullable=False, server_default="name"),
    )
    op.add_column("organisations", sa.Column("pic", sa.String(length=16), nullable=True))
    op.add_column("organisations", sa.Column("ror", sa.String(length=16), nullable=True))
    op.add_column("organisations", sa.Column("names", JSON, nullable=True))
    # A plain indexed column, no foreign key: SQLite cannot add one without copying the
    # table, which would break the views that read organisations.
    op.add_column("organisations", sa.Column("group_key", sa.String(length=255), nullable=True))
    for column in INDEXED:
        op.create_index(op.f(f"ix_organisations_{column}"), "organisations", [column])
    op.add_column("project_participants", sa.Column("pic", sa.String(length=16), nullable=True))
    op.create_table(
        "organisation_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("member", sa.String(length=255), nullable=False),
        sa.Column("evidence", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_merges_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_merges")),
        sa.UniqueConstraint(
            "organisation_id",
            "rule",
            "member",
            name=op.f("uq_organisation_merges_organisation_id_rule_member"),
        ),
    )
    op.execute(V_ORGANISATIONS)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_organisations")
    op.drop_table("organisation_merges")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the views on it.
    op.execute("ALTER TABLE project_participants DROP COLUMN pic")
    for column in INDEXED:
        op.drop_index(op.f(f"ix_organisations_{column}"), table_name="organisations")
    for column in ORGANISATION_COLUMNS:
        op.execute(f"ALTER TABLE organisations DROP COLUMN {column}")
