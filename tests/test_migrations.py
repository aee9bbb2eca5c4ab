"""Migrations are code: single head, upgrade, downgrade and up again, models match DDL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from provenance import db as dbmod
from provenance.models import Base

TABLES = {
    "sources",
    "works",
    "footnotes",
    "footnote_markers",
    "footnote_works",
    "entities",
    "aliases",
    "properties",
    "claims",
    "claim_qualifiers",
    "citations",
    "conflicts",
    "history",
}


def test_single_head():
    script = ScriptDirectory.from_config(dbmod.alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()


def _backends(request):
    return request.param


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = dbmod.make_engine(str(tmp_path / "migrate.db"), create=True)
    else:
        engine = dbmod.make_engine(request.getfixturevalue("pg_url"))
    yield engine
    engine.dispose()


def test_upgrade_from_empty_creates_every_table(engine):
    dbmod.migrate(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    assert dbmod.current_revision(engine) == dbmod.head_revision()


def test_models_match_migrated_schema(engine):
    dbmod.migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], differences


def test_downgrade_to_base_and_up_again(engine):
    dbmod.migrate(engine)
    dbmod.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    dbmod.migrate(engine)
    assert TABLES <= set(inspect(engine).get_table_names())


def test_every_revision_steps_down_and_up(engine):
    script = ScriptDirectory.from_config(dbmod.alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    for revision in revisions:
        dbmod.migrate(engine, revision.revision)
        dbmod.downgrade(engine, revision.down_revision or "base")
        dbmod.migrate(engine, revision.revision)
    assert dbmod.current_revision(engine) == dbmod.head_revision()


def test_sqlite_connections_enforce_the_documented_settings(tmp_path):
    engine = dbmod.make_engine(str(tmp_path / "settings.db"), create=True)
    dbmod.migrate(engine)
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == dbmod.BUSY_TIMEOUT_MS
        assert pragma("cache_size") == -dbmod.CACHE_KIB
    engine.dispose()
