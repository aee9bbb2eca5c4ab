"""Drop two indexes on claim_id that a unique constraint's index already covers.

Each dropped index is the leading column of a unique constraint on the same table,
and both SQLite and PostgreSQL answer a lookup by claim from the unique index:

- ``ix_citations_claim_id`` (claim_id) — ``uq_citations_claim_id_fingerprint``
  (claim_id, fingerprint);
- ``ix_claim_qualifiers_claim_id`` (claim_id) — ``uq_claim_qualifiers_claim_id_key``
  (claim_id, key).

Every citation and qualifier written paid for the extra index and its pages; no query
was served by it alone. ``ix_claims_subject_property`` looks covered the same way
(by the unique ``(subject_id, property_id, value_key, scope_key)``) but is kept:
conflict detection searches a claim's group as ``(subject_id, property_id, id > ?)``,
which only the two-column index serves; without it SQLite picks the property index
and detection on 100,000 claims takes 34 s instead of 0.1 s. Downgrade builds the
two indexes again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = (
    ("ix_citations_claim_id", "citations", ["claim_id"]),
    ("ix_claim_qualifiers_claim_id", "claim_qualifiers", ["claim_id"]),
)


def upgrade() -> None:
    for name, table, _columns in DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in DROPPED:
        op.create_index(name, table, columns, unique=False)
