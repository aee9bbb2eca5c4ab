"""The stored trust result: what the trust model learned, kept until its evidence changes.

``learned_trust`` holds, per evidence scope ("all", "public"), the key the result was
computed from (the newest change that touched its evidence, and the model's settings);
``learned_sources``, ``learned_source_properties``, ``learned_answers`` and
``learned_compatible`` hold the result itself. Two indexes on ``change_id`` of claims
and citations let the key be read at once. Derived rows only: the upgrade creates them
empty (the next ``conflicts`` computes them), the downgrade drops them with nothing of
what a user entered.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("answers", "agreements", "disagreements", "verdicts", "verdicts_upheld")


def _counts() -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS]


def upgrade() -> None:
    op.create_index("ix_claims_change_id", "claims", ["change_id"], unique=False)
    op.create_index("ix_citations_change_id", "citations", ["change_id"], unique=False)
    op.create_table(
        "learned_trust",
        sa.Column("evidence", sa.String(length=10), nullable=False),
        sa.Column("evidence_change_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("cpu_seconds", sa.Float(), nullable=False),
        sa.CheckConstraint("evidence IN ('all', 'public')", name=op.f("ck_learned_trust_evidence")),
        sa.PrimaryKeyConstraint("evidence", name=op.f("pk_learned_trust")),
    )
    op.create_table(
        "learned_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attributed_to_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=500), nullable=False),
        sa.Column("attributed_to", sa.String(length=500), nullable=True),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("prior", sa.Float(), nullable=False),
        sa.Column("trust", sa.Float(), nullable=False),
        *_counts(),
        sa.Column("vote_unit", sa.Integer(), nullable=True),
        sa.Column("copy_group", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_sources")),
    )
    op.create_index(
        "ix_learned_sources_evidence",
        "learned_sources",
        ["evidence", "document_id", "attributed_to_id"],
        unique=False,
    )
    op.create_table(
        "learned_source_properties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.String(length=10), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attributed_to_id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("trust", sa.Float(), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_source_properties")),
    )
    op.create_index(
        "ix_learned_source_properties_evidence",
        "learned_source_properties",
        ["evidence", "document_id", "attributed_to_id", "property_id"],
        unique=False,
    )
    op.create_table(
        "learned_answers",
        sa.Column("evidence", sa.String(length=10), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("leads", sa.Boolean(), nullable=False),
        sa.Column("margin", sa.Float(), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("evidence", "claim_id", name=op.f("pk_learned_answers")),
    )
    op.create_table(
        "learned_compatible",
        sa.Column("evidence", sa.String(length=10), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "evidence", "claim_id", "other_id", name=op.f("pk_learned_compatible")
        ),
    )


def downgrade() -> None:
    op.drop_table("learned_compatible")
    op.drop_table("learned_answers")
    op.drop_index("ix_learned_source_properties_evidence", table_name="learned_source_properties")
    op.drop_table("learned_source_properties")
    op.drop_index("ix_learned_sources_evidence", table_name="learned_sources")
    op.drop_table("learned_sources")
    op.drop_table("learned_trust")
    op.drop_index("ix_citations_change_id", table_name="citations")
    op.drop_index("ix_claims_change_id", table_name="claims")
