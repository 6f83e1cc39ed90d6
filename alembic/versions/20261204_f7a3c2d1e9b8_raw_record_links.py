"""raw record links: each document points at the raw response its content came from

Revision ID: f7a3c2d1e9b8
Revises: a1c5d9e2f3b4
Create Date: 2026-12-04 10:40:00

The loader now fills raw_records from the landing zone's raw index (one row per body that
items name) and sets documents.raw_record_id, so an analyst can go from a document to the
response it was parsed from in SQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f7a3c2d1e9b8"
down_revision: str | Sequence[str] | None = "a1c5d9e2f3b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain indexed column, no foreign key: SQLite cannot add one without copying the
    # table, which would break the views on documents (raw records are never deleted).
    op.add_column("documents", sa.Column("raw_record_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_documents_raw_record_id"), "documents", ["raw_record_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_raw_record_id"), table_name="documents")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the views on it.
    op.execute("ALTER TABLE documents DROP COLUMN raw_record_id")
