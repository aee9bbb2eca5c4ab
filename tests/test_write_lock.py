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
