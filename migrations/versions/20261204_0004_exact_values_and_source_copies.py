"""Exact figures stay exact, % and percent are one unit, and copies of a source are recorded.

- ``claims.quantity_approximate``: whether a quantity was written as approximate (``~``,
  about, nearly, hundreds …). Only those intervals carry the property's tolerance;
  conflict detection no longer widens exact figures. Every stored quantity claim is
  parsed again from its ``value`` with its property's tolerance, so its interval,
  flag, unit (``percent`` → ``%``) and key follow the rules of ``provenance.values``.
  A claim whose new key would be the key of another claim of the same subject,
  property and scope keeps its old key (two claims of one value, as before; nothing
  is merged or deleted). Properties' ``percent`` units become ``%``. Each changed row
  gets a history row by ``migration 0004``.
- ``source_copies``: that a document is a copy of an earlier one (identical or
  near-identical text), with the similarity and the desk's confirmation or undoing.

Downgrade drops the table and the column. The recomputed intervals and units stay:
they are values the earlier code reads and writes the same way (it widened
approximate input when parsing, as this code does).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0004"


def _history(bind, table: str, row_id: int, changes: dict, summary: str, at: dt.datetime) -> None:
    bind.execute(
        sa.text(
            "INSERT INTO history (table_name, row_id, action, actor, at, changes, summary) "
            "VALUES (:table, :row_id, 'update', :actor, :at, :changes, :summary)"
        ),
        {
            "table": table,
            "row_id": row_id,
            "actor": ACTOR,
            "at": at,
            "changes": json.dumps(changes),
            "summary": summary,
        },
    )


def _recompute_quantities(bind) -> None:
    from provenance.errors import ProvenanceError
    from provenance.values import canonical_unit, parse_quantity

    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    properties = bind.execute(
        sa.text("SELECT id, name, unit FROM properties WHERE datatype = 'quantity'")
    ).all()
    for prop in properties:
        unit = canonical_unit(prop.unit)
        if unit != prop.unit:
            bind.execute(
                sa.text("UPDATE properties SET unit = :unit WHERE id = :id"),
                {"unit": unit, "id": prop.id},
            )
            _history(
                bind,
                "properties",
                prop.id,
                {"unit": [prop.unit, unit]},
                f"property {prop.name!r}: % and percent are one unit",
                now,
            )
    rows = bind.execute(
        sa.text(
            "SELECT c.id, c.subject_id, c.property_id, c.scope_key, c.value, c.value_key, "
            "c.unit, c.quantity_low, c.quantity_high, p.tolerance "
            "FROM claims c JOIN properties p ON p.id = c.property_id "
            "WHERE p.datatype = 'quantity' ORDER BY c.id"
        )
    ).all()
    taken = {(r.subject_id, r.property_id, r.value_key, r.scope_key) for r in rows}
    for row in rows:
        try:
            value = parse_quantity(row.value, unit=row.unit, tolerance=row.tolerance)
        except ProvenanceError:
            continue  # a value this code cannot read stays as it was stored
        new = {
            "quantity_low": value.quantity_low,
            "quantity_high": value.quantity_high,
            "quantity_approximate": value.quantity_approximate,
            "unit": value.unit,
            "value_key": value.key,
        }
        if value.key != row.value_key:
            wanted = (row.subject_id, row.property_id, value.key, row.scope_key)
            if wanted in taken:
                new["value_key"] = row.value_key
            else:
                taken.discard((row.subject_id, row.property_id, row.value_key, row.scope_key))
                taken.add(wanted)
        old = {
            "quantity_low": row.quantity_low,
            "quantity_high": row.quantity_high,
            "quantity_approximate": False,
            "unit": row.unit,
            "value_key": row.value_key,
        }
        changes = {k: [old[k], v] for k, v in new.items() if old[k] != v}
        if not changes:
            continue
        bind.execute(
            sa.text(
                "UPDATE claims SET quantity_low = :quantity_low, quantity_high = :quantity_high, "
                "quantity_approximate = :quantity_approximate, unit = :unit, "
                "value_key = :value_key WHERE id = :id"
            ),
            {**new, "id": row.id},
        )
        if set(changes) == {"quantity_approximate"}:
            continue  # the flag is new, not a change: upgrading again writes no history
        _history(
            bind,
            "claims",
            row.id,
            changes,
            f"{row.value!r}: exact is exact, only approximate input carries the tolerance",
            now,
        )


def upgrade() -> None:
    op.add_column(
        "claims",
        sa.Column("quantity_approximate", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "source_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('detected', 'confirmed', 'rejected')",
            name=op.f("ck_source_copies_status"),
        ),
        sa.CheckConstraint("source_id <> original_id", name=op.f("ck_source_copies_not_itself")),
        sa.ForeignKeyConstraint(
            ["original_id"],
            ["sources.id"],
            name=op.f("fk_source_copies_original_id_sources"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_copies_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_copies")),
        sa.UniqueConstraint("source_id", name=op.f("uq_source_copies_source_id")),
    )
    op.create_index(
        op.f("ix_source_copies_original_id"), "source_copies", ["original_id"], unique=False
    )
    _recompute_quantities(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_source_copies_original_id"), table_name="source_copies")
    op.drop_table("source_copies")
    # a plain ALTER on both back ends: rebuilding claims on SQLite (batch mode) would
    # drop a table that citations and conflicts refer to while foreign keys are enforced
    op.execute("ALTER TABLE claims DROP COLUMN quantity_approximate")
