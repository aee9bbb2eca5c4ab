"""Names the desk has said are different entities (``alias distinct A B``).

- ``distinct_names``: a pair of names, each with its normalised form, the smaller
  normalised form first (so a pair is stored once whichever way it was given). `alias
  suggest` never proposes the two as one entity, and a new name is never refused as
  close to the other.

Downgrade drops the table (the pairs are in history too).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "distinct_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("normalised", sa.String(length=500), nullable=False),
        sa.Column("other_name", sa.String(length=500), nullable=False),
        sa.Column("other_normalised", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("normalised < other_normalised", name=op.f("ck_distinct_names_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distinct_names")),
        sa.UniqueConstraint(
            "normalised",
            "other_normalised",
            name=op.f("uq_distinct_names_normalised_other_normalised"),
        ),
    )
    op.create_index(
        op.f("ix_distinct_names_other_normalised"),
        "distinct_names",
        ["other_normalised"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_distinct_names_other_normalised"), table_name="distinct_names")
    op.drop_table("distinct_names")
