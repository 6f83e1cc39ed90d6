"""digest indexes: canonical documents by week; the duplicate index made partial

Revision ID: e4f2b8a6c1d0
Revises: c3d9a1f0e5b2
Create Date: 2026-11-25 16:30:00

Almost every document is canonical, so a full index on documents.canonical_id made
`canonical_id IS NULL` look selective to SQLite's planner, which then read nearly the
whole table. The index now covers duplicates only (what foreign-key lookups need), and
canonical documents get their own partial index by (iso_week, kind, id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4f2b8a6c1d0"
down_revision: str | Sequence[str] | None = "c3d9a1f0e5b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUPLICATES = sa.text("canonical_id IS NOT NULL")
CANONICAL = sa.text("canonical_id IS NULL")


def upgrade() -> None:
    op.drop_index("ix_documents_canonical_id", table_name="documents")
    op.create_index(
        "ix_documents_canonical_id",
        "documents",
        ["canonical_id"],
        sqlite_where=DUPLICATES,
        postgresql_where=DUPLICATES,
    )
    op.create_index(
        "ix_documents_canonical_week",
        "documents",
        ["iso_week", "kind", "id"],
        sqlite_where=CANONICAL,
        postgresql_where=CANONICAL,
    )


def downgrade() -> None:
    op.drop_index("ix_documents_canonical_week", table_name="documents")
    op.drop_index("ix_documents_canonical_id", table_name="documents")
    op.create_index("ix_documents_canonical_id", "documents", ["canonical_id"])
