"""dedup by completeness and patent family: PMCID on publications, DOCDB family and priority
claims on patents, their priority keys, own identifiers, completeness and fills on
fingerprints

Revision ID: c3d7e1f9a2b6
Revises: d8b3f1a6c2e9
Create Date: 2026-12-04 14:00:00

Dedup keeps the most complete copy of a duplicate group as canonical and gives it the union
of the group's identifiers (DOI, PMID, PMCID); patents group by family, never by text. The
fingerprint keeps what dedup needs to decide that whatever order records arrive in: each
document's own identifiers, a completeness bit mask, a title-and-first-author key, patent
priorities (patent_priorities, looked up by key across the whole warehouse), and which
identifiers it was given by a twin (`filled`), to take them back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c3d7e1f9a2b6"
down_revision: str | Sequence[str] | None = "d8b3f1a6c2e9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
INDEXED = (
    ("publications", "pmcid"),
    ("patents", "family_id"),
    ("document_fingerprints", "pmid"),
    ("document_fingerprints", "pmcid"),
    ("document_fingerprints", "title_key"),
)
COLUMNS = (
    ("publications", sa.Column("pmcid", sa.String(length=32), nullable=True)),
    ("patents", sa.Column("family_id", sa.String(length=32), nullable=True)),
    ("patents", sa.Column("priority_claims", JSON, nullable=True)),
    ("document_fingerprints", sa.Column("pmid", sa.String(length=32), nullable=True)),
    ("document_fingerprints", sa.Column("pmcid", sa.String(length=32), nullable=True)),
    ("document_fingerprints", sa.Column("title_key", sa.String(length=64), nullable=True)),
    (
        "document_fingerprints",
        sa.Column("completeness", sa.Integer(), server_default=sa.text("0"), nullable=False),
    ),
    ("document_fingerprints", sa.Column("filled", JSON, nullable=True)),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)
    for table, column in INDEXED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
    op.create_table(
        "patent_priorities",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("office", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_patent_priorities_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "key", name=op.f("pk_patent_priorities")),
    )
    op.create_index(op.f("ix_patent_priorities_key"), "patent_priorities", ["key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_patent_priorities_key"), table_name="patent_priorities")
    op.drop_table("patent_priorities")
    for table, column in INDEXED:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the views on it.
    for table, column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")
