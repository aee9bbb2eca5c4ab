"""Waiting for the write lock: a command queues behind another's write, and when the wait
runs out it says so in one line, writes nothing, and exits with a code a script can retry on."""

import sqlite3
import threading
import time

import pytest
import yaml
from conftest import file_bytes

pytestmark = pytest.mark.sqlite_only

HEADER = {
    "sources": [{"slug": "wire-a", "title": "Wire A", "kind": "website"}],
    "properties": [{"name": "killed", "type": "quantity", "unit": "people"}],
}
ADD = [
    "add",
    "--source",
    "wire-a",
    "--subject",
    "Karbala attack",
    "--property",
    "killed",
    "--value",
    "5",
]


@pytest.fixture
def prepared(run, db_path, tmp_path):
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    run("init")
    run("import", header)
    return db_path


def test_the_default_wait_outlasts_a_large_import(prepared):
    from provenance import db as dbmod

    engine = dbmod.make_engine(str(prepared))
    with engine.connect() as connection:
        # a million-claim import holds the lock for minutes on a slow machine
        assert (
            connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            == dbmod.BUSY_TIMEOUT_MS
            >= 300_000
        )
    engine.dispose()


def test_a_writer_waits_for_the_lock_and_then_writes(run, prepared, monkeypatch):
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", "10")
    holder = sqlite3.connect(prepared, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        run(*ADD)
    finally:
        release.join()
        holder.close()
    assert time.monotonic() - started >= 0.4  # it waited, then wrote
    count = sqlite3.connect(prepared).execute("select count(*) from claims").fetchone()[0]
    assert count == 1


def test_a_wait_that_runs_out_is_one_line_exit_75_and_nothing_written(run, prepared, monkeypatch):
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", "0.2")
    before = file_bytes(prepared)
    holder = sqlite3.connect(prepared, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(*ADD, code=75)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(
        "Error: database is busy: another command held the write lock longer than 0.2 s"
    )
    assert "PROVENANCE_BUSY_TIMEOUT" in lines[0] and "Traceback" not in result.output
    assert file_bytes(prepared) == before


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_a_bad_busy_timeout_is_named(run, prepared, monkeypatch, value):
    before = file_bytes(prepared)
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", value)
    result = run(*ADD, code=2)
    assert (
        result.output.strip()
        == f"Error: PROVENANCE_BUSY_TIMEOUT={value!r}: expected a number of seconds from 0 to 86400"
    )
    assert file_bytes(prepared) == before


# ---------------------------------------------------------------- reading and writing transactions


@pytest.fixture
def with_a_claim(run, prepared, tmp_path):
    run(*ADD)
    return prepared


def _hold_the_write_lock(db, *, then_write: bool = False) -> sqlite3.Connection:
    """Another editor's connection in the middle of a write: the write lock is taken."""
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    if then_write:
        holder.execute("UPDATE sources SET title = title || ' (corrected)' WHERE slug = 'wire-a'")
    return holder


@pytest.mark.parametrize(
    "command",
    [
        ["show", "1"],
        ["show", "1", "--json"],
        ["claims"],
        ["claims", "--subject", "Karbala attack", "--json"],
        ["sources"],
        ["entities"],
        ["properties"],
        ["log"],
        ["alias", "suggest"],
        ["export", "--format", "jsonl"],
    ],
    ids=" ".join,
)
def test_a_read_succeeds_at_once_while_another_editor_holds_the_write_lock(
    run, with_a_claim, monkeypatch, command
):
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", "0.2")
    holder = _hold_the_write_lock(with_a_claim, then_write=True)
    started = time.monotonic()
    try:
        result = run(*command)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert time.monotonic() - started < 5, "a read waited for the write lock"
    assert "busy" not in result.output


def test_show_reads_the_last_committed_state_not_a_write_in_progress(
    run, with_a_claim, monkeypatch
):
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", "0.2")
    holder = _hold_the_write_lock(with_a_claim, then_write=True)
    try:
        shown = run("show", "1").output
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "source: Wire A [wire-a]" in shown and "corrected" not in shown


def test_a_reading_transaction_cannot_write(with_a_claim):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from provenance import db as dbmod

    engine = dbmod.make_engine(str(with_a_claim))
    try:
        with (
            pytest.raises(OperationalError, match="readonly"),
            dbmod.reading_session(engine) as session,
        ):
            session.execute(text("UPDATE sources SET title = 'Changed' WHERE slug = 'wire-a'"))
        # the connection it used writes again in a writing transaction
        with dbmod.session_scope(engine) as session:
            session.execute(text("UPDATE sources SET title = 'Wire A.' WHERE slug = 'wire-a'"))
    finally:
        engine.dispose()
    titles = sqlite3.connect(with_a_claim).execute("select title from sources").fetchall()
    assert titles == [("Wire A.",)]


def _document(tmp_path):
    path = tmp_path / "dispatch.txt"
    path.write_text(
        "Karbala, March 3. Five people were killed when a car bomb exploded near the shrine, "
        "police said.\n",
        encoding="utf-8",
    )
    return path


def test_ingest_waits_for_another_editors_write_and_then_stores_the_document(
    run, prepared, tmp_path, monkeypatch
):
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", "10")
    document = _document(tmp_path)
    holder = _hold_the_write_lock(prepared, then_write=True)
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        result = run("ingest", document)
    finally:
        release.join()
        holder.close()
    assert time.monotonic() - started >= 0.4  # it waited for the lock, then wrote
    assert "busy" not in result.output
    assert result.output.startswith("new")
    connection = sqlite3.connect(prepared)
    assert connection.execute(
        "select file_name from sources where file_name is not null"
    ).fetchall() == [("dispatch.txt",)]
    # the other editor's write stands beside it
    assert connection.execute("select title from sources where slug = 'wire-a'").fetchone() == (
        "Wire A (corrected)",
    )


def test_ingest_that_cannot_get_the_lock_says_so_and_writes_nothing(
    run, prepared, tmp_path, monkeypatch
):
    monkeypatch.setenv("PROVENANCE_BUSY_TIMEOUT", "0.2")
    document = _document(tmp_path)
    before = file_bytes(prepared)
    holder = _hold_the_write_lock(prepared)
    try:
        result = run("ingest", document, code=75)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.output.startswith(
        "Error: database is busy: another command held the write lock longer than 0.2 s"
    )
    assert file_bytes(prepared) == before


# ---------------------------------------------------------------- commands that lose a race


def _losing(monkeypatch, sqlstate_error):
    """Make every `add` lose its race the way PostgreSQL reports it; count the runs."""
    from sqlalchemy.exc import IntegrityError

    from provenance import claims

    runs = []

    def add_claim(session, record, actor, **options):
        runs.append(actor)
        raise IntegrityError("INSERT INTO aliases …", {}, sqlstate_error)

    monkeypatch.setattr(claims, "add_claim", add_claim)
    monkeypatch.setattr("provenance.cli.time.sleep", lambda seconds: None)
    return runs


def test_a_command_that_keeps_losing_a_race_runs_again_then_says_busy(run, prepared, monkeypatch):
    import psycopg.errors

    from provenance.cli import RACE_ATTEMPTS

    before = file_bytes(prepared)
    runs = _losing(
        monkeypatch,
        psycopg.errors.UniqueViolation(
            'duplicate key value violates unique constraint "uq_aliases_normalised"'
        ),
    )
    result = run(*ADD, code=75)
    assert len(runs) == RACE_ATTEMPTS == 8
    assert result.output.strip() == (
        "Error: database is busy: other editors wrote the same rows first 8 times over; "
        "nothing was written, run the command again"
    )
    assert file_bytes(prepared) == before


def test_a_unique_key_violated_on_sqlite_is_not_a_race_and_runs_once(run, prepared, monkeypatch):
    runs = _losing(
        monkeypatch, sqlite3.IntegrityError("UNIQUE constraint failed: aliases.normalised")
    )
    result = run(*ADD, code=2)
    assert len(runs) == 1
    assert result.output.strip() == (
        "Error: database error: UNIQUE constraint failed: aliases.normalised"
    )
