"""load runs: `duplicates` renamed `repeats` (a key that came again in the same file)

Revision ID: 5e8b1d4c7a20
Revises: 9c2e5b7a4d13
Create Date: 2026-12-04 11:10:00

"Duplicates" named two things: repeated keys in a loaded file and near-duplicate documents
found by enrichment. The load count is now `repeats`; duplicates are only the latter.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e8b1d4c7a20"
down_revision: str | Sequence[str] | None = "9c2e5b7a4d13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE load_runs RENAME COLUMN duplicates TO repeats")


def downgrade() -> None:
    op.execute("ALTER TABLE load_runs RENAME COLUMN repeats TO duplicates")
