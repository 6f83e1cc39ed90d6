"""money mentions: the amount, its currency and its EUR value on each MONEY mention

Revision ID: a1c5d9e2f3b4
Revises: e4f2b8a6c1d0
Create Date: 2026-12-04 08:40:00

MONEY is stored as a mention like every label of the annotation guide; an analyst sums or
compares amounts in SQL without parsing the text, in the original currency and in EUR at
the rate of the document's date.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c5d9e2f3b4"
down_revision: str | Sequence[str] | None = "e4f2b8a6c1d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mentions", sa.Column("currency", sa.String(length=3), nullable=True))
    op.add_column("mentions", sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=True))
    op.add_column(
        "mentions", sa.Column("amount_eur", sa.Numeric(precision=20, scale=2), nullable=True)
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the views on it.
    for column in ("amount_eur", "amount", "currency"):
        op.execute(f"ALTER TABLE mentions DROP COLUMN {column}")
