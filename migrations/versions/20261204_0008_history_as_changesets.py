"""History as changesets: one ``changes`` row per command, ``change_id`` on inserted rows.

Upgrade:

- ``changes`` (actor, at, command, arguments, file_name, file_sha256): one row per
  writing command from now on.
- ``change_id`` on sources, works, footnotes, entities, aliases, properties, claims,
  citations and conflicts: the change that inserted the row. A plain integer column
  (no foreign key): SQLite adds it without copying the table, and drops it again on
  the way down; changes rows are never deleted, so it cannot dangle.
- The history kept so far becomes changes: its rows with one actor and one time are
  one change (a command of an earlier release wrote its rows with one time per batch
  or per row; the command itself was not recorded, so ``command`` stays empty). Each
  history row points to its change (``history.change_id``, which replaces its
  ``actor`` and ``at``). A row's insert history row becomes the row's ``change_id``
  and leaves ``history``: who added the row and when are the change's actor and time.
  Its summary and value snapshot were the row's own values in words, which the row
  and its later history rows (old → new) still hold. Insert rows of other tables, or
  of rows that are not there, stay in ``history``.

Downgrade writes an insert history row (actor, time, ``changes`` empty, the change's
command as summary) for every row with a ``change_id``, puts each change's actor and
time back on its history rows, renumbers history in the order of events (by change,
inserts first, as the earlier release wrote them), and drops the columns and the
``changes`` table.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = (
    "sources",
    "works",
    "footnotes",
    "entities",
    "aliases",
    "properties",
    "claims",
    "citations",
    "conflicts",
)


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("command", sa.String(length=100), nullable=True),
        sa.Column("arguments", sa.JSON(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    for table in TRACKED:
        op.add_column(table, sa.Column("change_id", sa.Integer(), nullable=True))
    op.add_column("history", sa.Column("change_id", sa.Integer(), nullable=True))

    # one change per (actor, time) of the history so far, numbered in the order of events
    op.create_index("ix_tmp_history_actor_at", "history", ["actor", "at"])
    bind.execute(
        sa.text(
            "INSERT INTO changes (actor, at) SELECT actor, at FROM history"
            " GROUP BY actor, at ORDER BY min(id)"
        )
    )
    op.create_index("ix_tmp_changes_actor_at", "changes", ["actor", "at"])
    bind.execute(
        sa.text(
            "UPDATE history SET change_id = (SELECT c.id FROM changes c"
            " WHERE c.actor = history.actor AND c.at = history.at)"
        )
    )
    op.drop_index("ix_tmp_changes_actor_at", "changes")
    op.drop_index("ix_tmp_history_actor_at", "history")
    for table in TRACKED:
        first_insert = (
            "SELECT min(h.id) FROM history h WHERE h.table_name = :table"
            f" AND h.action = 'insert' AND h.row_id = {table}.id"
        )
        bind.execute(
            sa.text(
                f"UPDATE {table} SET change_id = (SELECT h.change_id FROM history h"
                f" WHERE h.id = ({first_insert}))"
            ),
            {"table": table},
        )
        bind.execute(
            sa.text(
                "DELETE FROM history WHERE table_name = :table AND action = 'insert' AND id ="
                " (SELECT min(h.id) FROM history h WHERE h.table_name = :table"
                " AND h.action = 'insert' AND h.row_id = history.row_id)"
                f" AND EXISTS (SELECT 1 FROM {table} t WHERE t.id = history.row_id)"
            ),
            {"table": table},
        )

    with op.batch_alter_table("history") as batch:
        batch.alter_column("change_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_history_change_id_changes"), "changes", ["change_id"], ["id"]
        )
        batch.create_index(op.f("ix_history_change_id"), ["change_id"])
        batch.drop_column("actor")
        batch.drop_column("at")


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("actor", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("at", sa.DateTime(), nullable=True))
        batch.alter_column("change_id", existing_type=sa.Integer(), nullable=True)

    last = bind.execute(sa.text("SELECT max(id) FROM history")).scalar() or 0
    inserts = " UNION ALL ".join(
        f"SELECT t.change_id, 0, 0, '{table}', t.id, 'insert', NULL, c.command"
        f" FROM {table} t JOIN changes c ON c.id = t.change_id"
        for table in TRACKED
    )
    bind.execute(
        sa.text(
            "INSERT INTO history (table_name, row_id, action, actor, at, changes, summary)"
            " SELECT e.table_name, e.row_id, e.action, c.actor, c.at, e.changes, e.summary"
            # history's own rows first: their column types are the union's on PostgreSQL
            " FROM (SELECT h.change_id AS change_id, 1 AS kind, h.id AS seq, h.table_name AS"
            " table_name, h.row_id AS row_id, h.action AS action, h.changes AS changes,"
            f" h.summary AS summary FROM history h WHERE h.id <= :last UNION ALL {inserts}) AS e"
            " JOIN changes c ON c.id = e.change_id"
            " ORDER BY e.change_id, e.kind, e.seq, e.table_name, e.row_id"
        ),
        {"last": last},
    )
    bind.execute(sa.text("DELETE FROM history WHERE id <= :last"), {"last": last})

    with op.batch_alter_table("history") as batch:
        batch.drop_index(op.f("ix_history_change_id"))
        batch.drop_constraint(op.f("fk_history_change_id_changes"), type_="foreignkey")
        batch.drop_column("change_id")
        batch.alter_column("actor", existing_type=sa.String(length=200), nullable=False)
        batch.alter_column("at", existing_type=sa.DateTime(), nullable=False)
    for table in TRACKED:
        op.drop_column(table, "change_id")
    op.drop_table("changes")
