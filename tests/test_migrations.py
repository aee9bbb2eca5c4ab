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
    assert set(inspect(engine).get_table_names()) >= TABLES
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
    assert set(inspect(engine).get_table_names()) >= TABLES


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


# table: (index dropped by 0002, the unique constraint whose leading columns cover it)
COVERED_INDEXES = {
    "citations": ("ix_citations_claim_id", ("claim_id", "fingerprint")),
    "claim_qualifiers": ("ix_claim_qualifiers_claim_id", ("claim_id", "key")),
}


def _index_names(engine, table):
    return {index["name"] for index in inspect(engine).get_indexes(table)}


def _row_counts(engine):
    from sqlalchemy import text

    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in sorted(TABLES)
        }


def test_0002_drops_only_indexes_a_unique_one_covers_and_keeps_every_row(seeded_db, run):
    """Lookups by claim keep an index (the unique one), rows and conflicts are unchanged."""
    engine = dbmod.make_engine(str(seeded_db))
    listed = run("conflicts", "--json").output  # detection stores what it finds: count after it
    counts = _row_counts(engine)
    assert counts["claims"] and counts["citations"] and counts["claim_qualifiers"], counts
    for table, (index, covering) in COVERED_INDEXES.items():
        assert index not in _index_names(engine, table)
        unique = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints(table)}
        assert covering in unique, unique

    dbmod.downgrade(engine, "0001")
    for table, (index, _covering) in COVERED_INDEXES.items():
        assert index in _index_names(engine, table)
    assert _row_counts(engine) == counts

    dbmod.migrate(engine)
    for table, (index, _covering) in COVERED_INDEXES.items():
        assert index not in _index_names(engine, table)
    assert _row_counts(engine) == counts
    assert run("conflicts", "--json").output == listed
    engine.dispose()


@pytest.mark.sqlite_only
def test_lookups_by_claim_use_the_unique_indexes_on_sqlite(seeded_db):
    import sqlite3

    connection = sqlite3.connect(seeded_db)
    plans = {
        sql: " ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, (1,)))
        for sql in (
            "SELECT * FROM citations WHERE claim_id = ?",
            "SELECT * FROM claim_qualifiers WHERE claim_id = ?",
        )
    }
    connection.close()
    assert (
        "USING INDEX sqlite_autoindex_citations_1 (claim_id=?)"
        in plans["SELECT * FROM citations WHERE claim_id = ?"]
    ), plans
    assert (
        "USING INDEX sqlite_autoindex_claim_qualifiers_1 (claim_id=?)"
        in plans["SELECT * FROM claim_qualifiers WHERE claim_id = ?"]
    ), plans


def _readings(engine):
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT fw.id, fw.title, fw.citation, fw.collection FROM footnote_works fw"
                " ORDER BY fw.id"
            )
        ).all()


def _work_descriptions(engine):
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT fw.id, w.title, w.citation, c.title FROM footnote_works fw"
                " JOIN works w ON w.id = fw.work_id LEFT JOIN works c ON c.id = w.collection_id"
                " ORDER BY fw.id"
            )
        ).all()


def test_0003_keeps_each_notes_reading_and_steps_down_with_every_row(seeded_db):
    """Each cited work keeps its note's reading; down to 0002 and up again loses no row."""
    engine = dbmod.make_engine(str(seeded_db))
    readings = _readings(engine)
    assert readings and all(r.citation for r in readings)
    assert any(r.collection == "The Qays al-Khazali Papers" for r in readings)
    counts = _row_counts(engine)
    works = _work_descriptions(engine)

    dbmod.downgrade(engine, "0002")
    columns = {c["name"] for c in inspect(engine).get_columns("footnote_works")}
    assert not {"title", "citation", "collection"} & columns
    assert _row_counts(engine) == counts

    dbmod.migrate(engine)
    assert _row_counts(engine) == counts
    # filled from the works the rows point to: the description they had before 0003
    assert [tuple(r) for r in _readings(engine)] == [tuple(r) for r in works]
    engine.dispose()
