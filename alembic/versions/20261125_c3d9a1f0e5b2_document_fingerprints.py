"""document fingerprints for exact and near-duplicate detection by scintel enrich

Revision ID: c3d9a1f0e5b2
Revises: b7e41c09d2a1
Create Date: 2026-11-25 16:45:00

One row per enriched document: a hash of its normalised text, its canonical URL and
its MinHash signature, so later runs find duplicates without re-reading old texts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d9a1f0e5b2"
down_revision: str | Sequence[str] | None = "b7e41c09d2a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_fingerprints",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("url_key", sa.String(length=512), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_fingerprints_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_fingerprints")),
    )
    with op.batch_alter_table("document_fingerprints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_fingerprints_text_hash"), ["text_hash"])
        batch_op.create_index(batch_op.f("ix_document_fingerprints_url_key"), ["url_key"])
        batch_op.create_index(batch_op.f("ix_document_fingerprints_doi"), ["doi"])
        batch_op.create_index(batch_op.f("ix_document_fingerprints_published"), ["published"])


def downgrade() -> None:
    with op.batch_alter_table("document_fingerprints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_published"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_doi"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_url_key"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_text_hash"))
    op.drop_table("document_fingerprints")
