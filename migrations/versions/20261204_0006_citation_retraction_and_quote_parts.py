"""A citation is corrected on its own: retraction columns, and quotes in parts.

``retracted_at``, ``retracted_by`` and ``retraction_reason`` record that a citation was
withdrawn (``provenance citation retract``): the row is kept, shown struck in ``show``,
and takes no part in support, conflicts, trust, the published copy or exports
(``Citation.live``). ``quote_parts`` holds the parts of a quote typed with ``…`` or
``...`` between passages of one paragraph, each anchored (``[[start, end], ...]`` in the
source's text); it is empty for a quote in one piece, whose span is
``quote_start``/``quote_end`` as before.

Upgrade adds the four columns (nullable: every existing citation is live and in one
piece). Downgrade drops them after writing each retraction to history, so stepping down
loses no reason a desk gave; a retracted citation then counts again, as it did before.

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retracted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("retracted_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("retraction_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("quote_parts", sa.JSON(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    retracted = bind.execute(
        sa.text(
            "SELECT id, retracted_by, retraction_reason FROM citations"
            " WHERE retracted_at IS NOT NULL ORDER BY id"
        )
    ).all()
    if retracted:
        # one change (history is kept as changesets since 0008) holding every reason
        bind.execute(
            sa.text("INSERT INTO changes (actor, at, command) VALUES (:actor, :at, :command)"),
            {
                "actor": "migration 0006 downgrade",
                "at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                "command": "downgrade 0006",
            },
        )
        change = bind.execute(sa.text("SELECT max(id) FROM changes")).scalar()
    for row in retracted:
        bind.execute(
            sa.text(
                "INSERT INTO history (change_id, table_name, row_id, action, changes, summary)"
                " VALUES (:change, 'citations', :row_id, 'update', :changes, :summary)"
            ),
            {
                "change": change,
                "row_id": row.id,
                "changes": json.dumps(
                    {"retracted": [True, None], "retracted_by": row.retracted_by}
                ),
                "summary": f"retraction dropped by downgrade (it was: {row.retraction_reason})",
            },
        )
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_column("quote_parts")
        batch_op.drop_column("retraction_reason")
        batch_op.drop_column("retracted_by")
        batch_op.drop_column("retracted_at")
