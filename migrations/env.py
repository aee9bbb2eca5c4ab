"""Alembic environment: runs on a connection handed in by ``provenance.db.migrate``,
or on ``sqlalchemy.url`` / ``PROVENANCE_DB`` when Alembic's own command line is used."""

from __future__ import annotations

import re

from alembic import context
from sqlalchemy import engine_from_config, pool

from provenance.db import default_db, to_url
from provenance.models import Base

config = context.config
target_metadata = Base.metadata

# Full-text search tables made by `publish` (and their shadow tables) are not schema drift.
_FTS = re.compile(r".*_fts(_.*)?$")


def include_name(name, type_, parent_names):
    if type_ == "table":
        return not _FTS.match(name or "")
    return True


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or to_url(default_db())
    engine = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.begin() as conn:
        run_migrations(conn)
