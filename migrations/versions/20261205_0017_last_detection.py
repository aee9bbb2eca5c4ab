"""What the last conflict detection saw, so that `conflicts` detects again only when the
evidence changed.

``last_detection`` holds one row: the newest change that touched the evidence detection
reads, how many changes up to it were committed, and a fingerprint of the detection rules
and schema revision. Derived only: the upgrade creates it empty (the next ``conflicts``
detects and fills it), the downgrade drops it with nothing a user entered.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "last_detection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_change_id", sa.Integer(), nullable=False),
        sa.Column("changes_seen", sa.Integer(), nullable=False),
        sa.Column("rules", sa.String(length=64), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_last_detection")),
    )


def downgrade() -> None:
    op.drop_table("last_detection")
