"""The bulk-insert engine (bulk.py): many rows in one statement, stored exactly as the ORM
would store them, with their ids in order and the command's change on each row.

An import's claims, citations, entities and aliases are all written through it, so a row
it writes must read back the same as a row written one at a time: defaults filled in,
None kept as NULL, text kept as text (never turned into SQL), datetimes as datetimes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select

from provenance import db as dbmod
from provenance import history
from provenance.bulk import RowFormat, bulk_insert, insert_ids, rows_with_keys
from provenance.models import Alias, Change, Entity

NOW = dt.datetime(2026, 12, 4, 12, 30, 15)


@pytest.fixture
def engine(run, db_path):
    run("init")
    return dbmod.make_engine(str(db_path))


def _entities(engine, ids):
    with dbmod.reading_session(engine) as session:
        rows = session.scalars(select(Entity).where(Entity.id.in_(ids)).order_by(Entity.id))
        return [(e.id, e.name, e.kind, e.description, e.created_at, e.change_id) for e in rows]


def test_insert_ids_gives_the_new_ids_in_order_and_stamps_the_commands_change(engine):
    names = [f"Commander {i}" for i in range(7)]
    with dbmod.session_scope(engine) as session:
        history.begin_change(session, "desk", "entity add", {"name": "many"})
        ids = insert_ids(
            session, Entity, [{"name": n, "kind": "person", "created_at": NOW} for n in names]
        )
        change = history.change_id(session)
    assert len(set(ids)) == len(names) and list(ids) == sorted(ids)
    stored = _entities(engine, ids)
    assert [(row[0], row[1]) for row in stored] == list(zip(ids, names, strict=True))
    assert {row[5] for row in stored} == {change}
    with dbmod.reading_session(engine) as session:
        made = session.get_one(Change, change)
        assert (made.actor, made.command) == ("desk", "entity add")


def test_bulk_insert_fills_defaults_keeps_none_and_converts_datetimes(engine):
    with dbmod.session_scope(engine) as session:
        bulk_insert(
            session,
            Entity,
            [
                {"name": "Kataib Hezbollah", "description": None},
                {"name": "Asaib Ahl al-Haq", "description": "a militia"},
            ],
        )
    with dbmod.reading_session(engine) as session:
        rows = session.execute(
            select(Entity.name, Entity.kind, Entity.description, Entity.created_at).order_by(
                Entity.id
            )
        ).all()
    assert [(r.name, r.kind, r.description) for r in rows] == [
        ("Kataib Hezbollah", "other", None),
        ("Asaib Ahl al-Haq", "other", "a militia"),
    ]
    assert all(isinstance(r.created_at, dt.datetime) for r in rows)


@pytest.mark.sqlite_only
def test_bulk_insert_refuses_rows_that_differ_in_their_columns(engine):
    with dbmod.session_scope(engine) as session, pytest.raises(ValueError, match="differ"):
        bulk_insert(session, Entity, [{"name": "A", "kind": "person"}, {"name": "B"}])


def test_rows_with_keys_finds_exactly_the_rows_of_the_given_keys(engine):
    with dbmod.session_scope(engine) as session:
        first, second = insert_ids(
            session, Entity, [{"name": "Qais al-Khazali"}, {"name": "Badr Organization"}]
        )
        bulk_insert(
            session,
            Alias,
            [
                {"entity_id": first, "name": "Qais al-Khazali", "normalised": "qais al khazali"},
                {"entity_id": first, "name": "Qays al-Khazali", "normalised": "qays al khazali"},
                {"entity_id": second, "name": "Badr", "normalised": "badr"},
            ],
        )
        found = rows_with_keys(
            session,
            Alias,
            ("name", "entity_id"),
            ("entity_id", "normalised"),
            [(first, "qays al khazali"), (second, "badr"), (second, "qais al khazali")],
        )
        assert sorted(tuple(r) for r in found) == [
            ("Badr", second),
            ("Qays al-Khazali", first),
        ]
        assert rows_with_keys(session, Alias, ("id",), ("entity_id", "normalised"), []) == []


def test_a_row_format_writes_values_shared_by_every_row_as_they_are(engine):
    """Values every row shares may go into the statement itself: text that looks like SQL
    or NULL stays text, and a shared None stays NULL."""
    columns = ("name", "kind", "description", "created_at")
    names = ["O'Brien", "Robert'); DROP TABLE entities; --", "Ali"]
    with dbmod.session_scope(engine) as session:
        row_format = RowFormat(session, Entity, columns, inline=True)
        shared_text = [row_format.ready(columns, (name, "person", "NULL", NOW)) for name in names]
        shared_none = [
            row_format.ready(columns, (f"{name} II", "person", None, NOW)) for name in names
        ]
        ids = [
            *row_format.insert(session, shared_text, ids=True),
            *row_format.insert(session, shared_none, ids=True),
        ]
    stored = _entities(engine, ids)
    assert [row[0] for row in stored] == ids
    assert [(row[1], row[2], row[3], row[4]) for row in stored] == [
        *((name, "person", "NULL", NOW) for name in names),
        *((f"{name} II", "person", None, NOW) for name in names),
    ]


def _statement_runs(session) -> list[str]:
    """Every run of a statement on the session's SQLite connection from now on (a statement
    run once per row counts once per row)."""
    runs: list[str] = []
    session.connection().connection.dbapi_connection.set_trace_callback(runs.append)
    return runs


@pytest.mark.sqlite_only
def test_a_batch_goes_to_sqlite_many_rows_a_statement_with_its_ids_in_row_order(engine):
    """An import hands SQLite its rows a few hundred to a statement, not one statement a row
    (which cost as much as the insert itself), and still knows each new row's id."""
    columns = ("name", "kind", "description", "created_at")
    names = [f"Brigade {i}" for i in range(1234)]
    with dbmod.session_scope(engine) as session:
        history.begin_change(session, "desk", "import", {"file": "brigades.csv"})
        row_format = RowFormat(session, Entity, columns, inline=True)
        rows = [
            row_format.ready(columns, (name, "organisation", f"note {i % 7}", NOW))
            for i, name in enumerate(names)
        ]
        runs = _statement_runs(session)
        ids = row_format.insert(session, rows, ids=True)
        inserts = [sql for sql in runs if sql.startswith("INSERT")]
        aliases = [
            {"entity_id": i, "name": n, "normalised": n.lower()}
            for i, n in zip(ids, names, strict=True)
        ]
        bulk_insert(session, Alias, aliases)
        inserts_of_aliases = [sql for sql in runs if sql.startswith("INSERT INTO aliases")]
        session.connection().connection.dbapi_connection.set_trace_callback(None)
    # 500 + 500 rows, and the 234 left as 128 + 64 + 32 + 8 + 2 (texts compiled once)
    assert len(inserts) == 7, len(inserts)
    assert len(inserts_of_aliases) == 7, len(inserts_of_aliases)
    stored = _entities(engine, ids)
    assert [(row[0], row[1], row[2], row[3], row[4]) for row in stored] == [
        (entity_id, name, "organisation", f"note {i % 7}", NOW)
        for i, (entity_id, name) in enumerate(zip(ids, names, strict=True))
    ]
    with dbmod.reading_session(engine) as session:
        got = session.execute(select(Alias.entity_id, Alias.name).order_by(Alias.id)).all()
    assert [tuple(row) for row in got][-len(names) :] == list(zip(ids, names, strict=True))


@pytest.mark.sqlite_only
def test_a_batch_fits_the_connections_limit_on_parameters(engine):
    """SQLite caps the parameters of one statement (999 before 3.32): a batch is cut into
    statements under the cap, whatever it is."""
    with dbmod.session_scope(engine) as session:
        driver = session.connection().connection.dbapi_connection
        if not hasattr(driver, "setlimit"):
            pytest.skip("the driver cannot set SQLite's limits (Python 3.10)")
        driver.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 90)
        try:
            ids = insert_ids(
                session,
                Entity,
                [
                    {"name": f"Unit {i}", "kind": "other", "description": str(i)}
                    for i in range(1000)
                ],
            )
        finally:
            driver.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
    stored = _entities(engine, ids)
    assert [(row[1], row[3]) for row in stored] == [(f"Unit {i}", str(i)) for i in range(1000)]
