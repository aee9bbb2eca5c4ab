"""The likely copies the trust model found, stored with the rest of what it learned.

``learned_dependence`` holds, for each stored result (``evidence``: ``all`` or
``public``), every pair of sources (document and speaker each) whose copy probability
soft copy detection put at ``DEPENDENCE_FLOOR`` or more, both ways: what ``conflicts
--explain`` reads to show a vote shared with likely copies. Derived only: the upgrade
creates it empty and marks every stored result stale (the next ``conflicts`` learns and
fills it), the downgrade drops it with nothing a user entered.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learned_dependence",
        sa.Column("evidence", sa.String(length=10), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attributed_to_id", sa.Integer(), nullable=False),
        sa.Column("other_document_id", sa.Integer(), nullable=False),
        sa.Column("other_attributed_to_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "evidence",
            "document_id",
            "attributed_to_id",
            "other_document_id",
            "other_attributed_to_id",
            name=op.f("pk_learned_dependence"),
        ),
    )
    # a result stored before has no pairs: stale, so the next `conflicts` learns again
    op.execute("DELETE FROM learned_trust")


def downgrade() -> None:
    op.drop_table("learned_dependence")
