"""The vote the desk's verdicts chose for a stored trust result.

``learned_trust.vote_choice`` holds, for a result learned where the desk had settled
enough disputed items, which vote the model ran (``trust/choice.py``) and the counts it
was chosen on: `conflicts --explain` and `trust` say it while the result is reused.
Derived only: the upgrade adds it empty (NULL: no choice recorded; the next refresh of a
stale result fills it), the downgrade drops it with nothing a user entered.

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("learned_trust", sa.Column("vote_choice", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("learned_trust", "vote_choice")
