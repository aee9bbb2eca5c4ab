"""How the public copy is built (``public_copy``): inside SQLite from a working SQLite
file, from one snapshot, never half-committed. What it may contain is tested in
test_publish.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import invoke
from sqlalchemy.orm import Session
from test_publish import build_site_data, published_content

from provenance import cli_publish, public_copy, public_rows
from provenance import db as dbmod

pytestmark = pytest.mark.sqlite_only

LARGE_TABLES = {"claims", "citations", "claim_qualifiers", "footnotes"}


@pytest.fixture(scope="module")
def working(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("working")
    return Path(build_site_data(folder))


def test_the_large_tables_are_copied_by_sqlite_not_through_python(working, tmp_path, monkeypatch):
    written: list[str] = []
    write = public_rows.Filler.write

    def recording(self, name, rows):
        written.append(name)
        return write(self, name, rows)

    monkeypatch.setattr(public_rows.Filler, "write", recording)
    out = tmp_path / "public.db"
    invoke("publish", out, db=working)
    assert written, "no table was written from Python at all"
    assert not LARGE_TABLES & set(written), written
    copy = sqlite3.connect(out)
    for table in LARGE_TABLES - {"claim_qualifiers"}:
        assert copy.execute(f"select count(*) from [{table}]").fetchone()[0] > 0, table
    copy.close()


def test_the_copy_is_read_from_one_snapshot_while_an_editor_writes(working, tmp_path, monkeypatch):
    db = tmp_path / "working.db"
    db.write_bytes(working.read_bytes())
    before = tmp_path / "before.db"
    invoke("publish", before, db=db)
    public_source = (
        sqlite3.connect(before)
        .execute("select id from sources where id in (select source_id from citations) order by id")
        .fetchone()[0]
    )

    def progress():
        done: list[str] = []

        def show(step: str, count: int, total: int) -> None:
            if step == "sources" and not done:
                # another editor marks a cited public source confidential, and commits,
                # once the copy has begun: it was public in the snapshot being copied
                editor = sqlite3.connect(db, isolation_level=None)
                editor.execute("update sources set confidential = 1 where id = ?", (public_source,))
                editor.close()
                done.append(step)

        return show

    monkeypatch.setattr(cli_publish, "_publish_progress", progress)
    during = tmp_path / "during.db"
    invoke("publish", during, db=db)
    expected, got = published_content(before), published_content(during)
    # the same copy as before the edit: every table read before the edit was committed
    for name in expected:
        assert got[name] == expected[name], name
    after = tmp_path / "after.db"
    monkeypatch.undo()
    invoke("publish", after, db=db)
    withheld = sqlite3.connect(after)
    assert withheld.execute(
        "select count(*) from sources where id = ?", (public_source,)
    ).fetchone() == (0,)
    assert withheld.execute(
        "select count(*) from citations where source_id = ?", (public_source,)
    ).fetchone() == (0,)


def test_rows_that_were_never_committed_are_never_published(working, tmp_path):
    out = tmp_path / "public.db"
    out.write_bytes(b"")
    engine = dbmod.make_engine(str(working))
    try:
        with (
            pytest.raises(AssertionError, match="rows in the copy"),
            public_copy.PublicCopy(out) as copy,
        ):
            with dbmod.reading(engine.connect()) as connection:
                transaction = connection.begin()
                copy.fill(Session(bind=connection))
                transaction.rollback()  # the rows written into the attached copy with it
            copy.complete("working")
    finally:
        engine.dispose()
    assert out.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public.db"]


def test_foreign_keys_hold_in_a_writing_transaction_after_a_reading_one(working, tmp_path):
    db = tmp_path / "working.db"
    db.write_bytes(working.read_bytes())
    engine = dbmod.make_engine(str(db))
    try:
        with dbmod.reading_session(engine) as session:
            session.connection().exec_driver_sql("select count(*) from claims").scalar()
        with dbmod.writing(engine.connect()) as connection, connection.begin():
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            with pytest.raises(Exception, match="FOREIGN KEY"):
                connection.exec_driver_sql(
                    "insert into aliases (entity_id, name, normalised, created_at)"
                    " values (999999, 'x', 'x', '2026-01-01')"
                )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("as_of", "valid_from", "valid_to", "qualifiers"),
    [
        (None, None, None, {}),
        ("", "", "", {}),
        ("2019", None, None, {}),
        (None, "2018", None, {}),
        (None, None, "2020-05", {}),
        ("2019", "2018", "2020", {"election": "2018 Iraqi parliamentary election"}),
        (None, "", "2020", {"b": "2", "a": "1; x=y"}),
        (" 2019", ";2018", None, {"unit": "…"}),
    ],
)
def test_the_scope_made_in_the_copy_reads_as_the_listings_write_it(
    as_of, valid_from, valid_to, qualifiers
):
    from provenance.listings import scope_text
    from provenance.public_tables import PUBLIC_TABLES

    connection = sqlite3.connect(":memory:")
    for name in ("claims", "claim_qualifiers"):
        connection.execute(public_copy._table_sql(name, PUBLIC_TABLES[name]))
    connection.execute(
        "insert into claims (id, as_of, valid_from, valid_to) values (7, ?, ?, ?)",
        (as_of, valid_from, valid_to),
    )
    connection.executemany(  # stored in this order: the scope keeps it
        "insert into claim_qualifiers (id, claim_id, key, value) values (?, 7, ?, ?)",
        [(10 - n, key, value) for n, (key, value) in enumerate(qualifiers.items())][::-1],
    )
    for statement in public_rows.SCOPE_SQL:
        connection.execute(statement)
    (scope,) = connection.execute("select scope from claims").fetchone()
    stored = dict(
        connection.execute("select key, value from claim_qualifiers order by id").fetchall()
    )
    expected = scope_text(
        {"as_of": as_of, "valid_from": valid_from, "valid_to": valid_to, "qualifiers": stored}
    )
    assert scope == (expected or None)
