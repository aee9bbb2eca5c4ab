"""Each footnote's own reading of a cited work: title, citation text and collection.

A cited work is one row shared by every footnote that cites it, across sources. Its
title, citation and collection used to be whatever the first (or, for the collection,
the latest) footnote said, so a confidential note could describe a work that public
articles cite — the informant's words in ``works.citation``, a confidential collection
as the public work's parent. Each ``footnote_works`` row now keeps how its own note
reads the work (``title``, ``citation``, ``collection`` as the note names it), and the
shared row is described from public notes only whenever any public note cites it
(``sources.describe_works``).

Upgrade fills the new columns from the work each row points to (the description the
row had until now; ``provenance check`` reports a public work whose description is not
in a public note, and re-ingesting the documents re-reads every note). Downgrade drops
the three columns; the works keep their description.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("footnote_works", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("citation", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("collection", sa.Text(), nullable=True))
    op.execute(
        """
        UPDATE footnote_works SET
          title = (SELECT w.title FROM works w WHERE w.id = footnote_works.work_id),
          citation = (SELECT w.citation FROM works w WHERE w.id = footnote_works.work_id),
          collection = (
            SELECT c.title FROM works w JOIN works c ON c.id = w.collection_id
            WHERE w.id = footnote_works.work_id
          )
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("footnote_works", schema=None) as batch_op:
        batch_op.drop_column("collection")
        batch_op.drop_column("citation")
        batch_op.drop_column("title")
