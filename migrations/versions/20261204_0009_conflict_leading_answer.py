"""Each question remembers its leading answer, so a run that finds another one says so.

Adds ``conflicts.leading_claim_id`` and ``conflicts.leading_stance`` (``asserts``,
``denies``, or ``none`` on a tie), both empty until the next ``conflicts`` run stores
them: a question never listed since has no stored leader, and its first one is not a
change. Downgrade drops them (they are recomputed on every run: nothing a user entered).

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain columns, no table rebuild: on SQLite a batch rebuild of conflicts would drop
    # a table conflict_answers refers to. The stored leader is a memory of what a run
    # computed, not a relation the desk edits, so it carries no foreign key.
    op.add_column("conflicts", sa.Column("leading_claim_id", sa.Integer(), nullable=True))
    op.add_column("conflicts", sa.Column("leading_stance", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column("conflicts", "leading_stance")
    op.drop_column("conflicts", "leading_claim_id")
