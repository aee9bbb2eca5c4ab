"""Editors sharing one PostgreSQL database race each other: several processes create the
same new entity, detect conflicts or import one file at the same moment. Every run
succeeds, and the database holds exactly what one run alone leaves: nothing twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, inspect, text

pytestmark = pytest.mark.postgres

PYTHON = sys.executable
# Each worker imports everything first, then waits for the start file, so the runs hit
# the database within a few milliseconds of each other rather than one import apart.
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from provenance.cli import cli
    start = Path(sys.argv[1])
    while not start.exists():
        time.sleep(0.002)
    cli.main(sys.argv[2:], prog_name="provenance")
    """
)
HEADER = {
    "sources": [
        {"slug": "wire-a", "title": "Wire A", "kind": "website", "reliability": "B"},
        {"slug": "wire-b", "title": "Wire B", "kind": "website", "reliability": "C"},
    ],
    "properties": [{"name": "killed", "type": "quantity", "unit": "people"}],
}
# One file that makes every kind of row an import can create: a source, a property,
# entities with aliases, entity values, qualifiers, claims and citations.
SHARED_FILE = {
    "sources": [{"slug": "wire-c", "title": "Wire C", "kind": "website"}],
    "properties": [
        {"name": "led_by", "type": "entity", "time_varying": True},
        {"name": "wounded", "type": "quantity", "unit": "people"},
    ],
    "entities": [
        {"name": "Popular Mobilization Forces", "kind": "organisation", "aliases": ["PMF"]},
    ],
    "claims": [
        *[
            {
                "source": source,
                "subject": f"Checkpoint attack {i}",
                "property": "wounded",
                "value": str(i + offset),
                "qualifiers": {"district": f"District {i % 3}"},
            }
            for i in range(40)
            for source, offset in (("wire-a", 0), ("wire-c", 1))
        ],
        {"source": "wire-a", "subject": "PMF", "property": "led_by", "value": "Falih al-Fayyadh"},
        {"source": "wire-c", "subject": "PMF", "property": "led_by", "value": "Abu Fadak"},
    ],
}


@pytest.fixture(autouse=True)
def postgresql_db(pg_url, monkeypatch):
    """The CLI runs of a test go to its PostgreSQL database, whatever the suite's back end."""
    monkeypatch.setenv("PROVENANCE_DB", pg_url)


def _prepare(run, tmp_path: Path) -> None:
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    run("init")
    run("import", header)


def _at_once(
    db: str, tmp_path: Path, commands: list[list[str]]
) -> list[subprocess.CompletedProcess]:
    """Run each command of the real CLI in its own process, all released at one moment."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    start = tmp_path / f"start-{time.monotonic_ns()}"
    env = {**os.environ, "PROVENANCE_DB": db, "PROVENANCE_ACTOR": "tester"}
    processes = [
        subprocess.Popen(
            [PYTHON, str(script), str(start), *command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    time.sleep(3)  # every worker has imported the CLI and is polling for the start file
    start.touch()
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def _all_succeeded(results: list[subprocess.CompletedProcess]) -> None:
    for result in results:
        assert result.returncode == 0, f"{result.args} exited {result.returncode}:\n{result.stderr}"
        assert "duplicate key" not in result.stderr, result.stderr
        assert "Traceback" not in result.stderr, result.stderr


def _rows(db: str) -> dict[str, list[tuple]]:
    """Every table's rows without ids or times: what two databases hold alike when they
    hold the same things (ids differ: a run that lost a race used up sequence numbers)."""
    engine = create_engine(db)
    try:
        with engine.connect() as connection:
            tables = {}
            for table in sorted(inspect(connection).get_table_names()):
                if table == "alembic_version":
                    continue
                columns = [
                    c["name"]
                    for c in inspect(connection).get_columns(table)
                    if c["name"] not in ("id", "at") and not c["name"].endswith(("_id", "_at"))
                ]
                listed = ", ".join(f'"{c}"' for c in columns)
                rows = connection.execute(text(f'SELECT {listed} FROM "{table}"')).all()
                tables[table] = sorted(tuple(str(v) for v in row) for row in rows)
            return tables
    finally:
        engine.dispose()


def _counts(db: str) -> dict[str, int]:
    return {table: len(rows) for table, rows in _rows(db).items()}


@pytest.fixture
def second_db(pg_server_url):
    """Another fresh PostgreSQL database: where one run alone shows what to expect."""
    import uuid

    from sqlalchemy.engine import make_url

    name = f"provenance_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


WRITERS = 6


def test_writers_creating_the_same_new_entity_at_once_all_succeed_and_make_it_once(
    run, pg_url, tmp_path
):
    _prepare(run, tmp_path)
    add = ["add", "--subject", "Camp Speicher massacre", "--property", "killed"]
    commands = [
        [*add, "--source", source, "--value", value]
        for source, value in [("wire-a", "1700"), ("wire-b", "1095")] * (WRITERS // 2)
    ]
    _all_succeeded(_at_once(pg_url, tmp_path, commands))
    rows = _rows(pg_url)
    assert [r for r in rows["aliases"] if "Camp Speicher" in " ".join(r)] == [
        ("Camp Speicher massacre", "camp speicher massacre")
    ]
    assert sum("Camp Speicher" in " ".join(r) for r in rows["entities"]) == 1
    assert len(rows["claims"]) == 2 and len(rows["citations"]) == 2
    # the entity was added once, by the change of one `add` (runs that lost the race
    # wrote nothing, not even a change)
    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            made = connection.execute(
                text(
                    "SELECT c.command FROM entities e JOIN changes c ON c.id = e.change_id"
                    " WHERE e.name = 'Camp Speicher massacre'"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in made] == [("add",)]


@pytest.mark.parametrize(
    "command",
    [
        ["entity", "add", "Asa'ib Ahl al-Haq", "--kind", "organisation", "--alias", "AAH"],
        ["alias", "add", "wire-a-owner", "Wire Owner"],
        ["property", "add", "seats_won", "--type", "quantity", "--unit", "seats"],
        ["source", "add", "iraqi-mod", "--title", "Iraqi Ministry of Defence"],
    ],
    ids=["entity add", "alias add", "property add", "source add"],
)
def test_the_same_addition_run_at_once_is_made_once(run, pg_url, second_db, tmp_path, command):
    for db in (pg_url, second_db):
        run("--db", db, "init")
        header = tmp_path / "header.yaml"
        header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
        run("--db", db, "import", header)
        run("--db", db, "entity", "add", "wire-a-owner")
    run("--db", second_db, *command)
    _all_succeeded(_at_once(pg_url, tmp_path, [command] * WRITERS))
    assert _counts(pg_url) == _counts(second_db)


def test_parallel_conflicts_runs_all_succeed_and_record_each_conflict_once(
    run, pg_url, second_db, tmp_path
):
    shared = tmp_path / "shared.yaml"
    shared.write_text(yaml.safe_dump(SHARED_FILE), encoding="utf-8")
    for db in (pg_url, second_db):
        run("--db", db, "init")
        header = tmp_path / "header.yaml"
        header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
        run("--db", db, "import", header)
        run("--db", db, "import", shared)
    run("--db", second_db, "conflicts", "--json")
    results = _at_once(pg_url, tmp_path, [["conflicts", "--json"]] * WRITERS)
    _all_succeeded(results)
    expected = _rows(second_db)
    assert len(expected["conflicts"]) >= 40
    assert _rows(pg_url)["conflicts"] == expected["conflicts"]
    assert _counts(pg_url) == _counts(second_db)
    alone = json.loads(run("--db", second_db, "conflicts", "--json").output)
    for result in results:
        assert len(json.loads(result.stdout)) == len(alone), result.stdout[-2000:]
    # trust was learned and stored once: every run lists the same leading answers
    leaders = [
        [(r["id"], r["leading_value"], r["leading_margin"]) for r in json.loads(result.stdout)]
        for result in results
    ]
    assert all(listed == leaders[0] for listed in leaders), leaders
    assert [r["leading_value"] for r in alone] == [value for _, value, _ in leaders[0]]
    learned = "SELECT evidence, COUNT(*) FROM learned_answers GROUP BY evidence"
    assert _query(pg_url, learned) == _query(second_db, learned) != []


def _query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_parallel_imports_of_one_file_all_succeed_and_add_it_once(run, pg_url, second_db, tmp_path):
    shared = tmp_path / "shared.yaml"
    shared.write_text(yaml.safe_dump(SHARED_FILE), encoding="utf-8")
    for db in (pg_url, second_db):
        run("--db", db, "init")
        header = tmp_path / "header.yaml"
        header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
        run("--db", db, "import", header)
    run("--db", second_db, "import", shared)
    _all_succeeded(_at_once(pg_url, tmp_path, [["import", str(shared)]] * 4))
    assert _rows(pg_url) == _rows(second_db)


def test_parallel_ingests_of_one_document_all_succeed_and_store_it_once(
    run, pg_url, second_db, tmp_path
):
    from conftest import CTC, SEEDS

    for db in (pg_url, second_db):
        run("--db", db, "init")
    manifest = ["--manifest", str(SEEDS / "sources.yaml")]
    run("--db", second_db, "ingest", SEEDS / CTC, *manifest)
    _all_succeeded(_at_once(pg_url, tmp_path, [["ingest", str(SEEDS / CTC), *manifest]] * 4))
    assert _counts(pg_url) == _counts(second_db)


def test_a_reading_transaction_on_postgresql_cannot_write(run, pg_url, tmp_path):
    from sqlalchemy.exc import InternalError

    from provenance import db as dbmod

    _prepare(run, tmp_path)
    engine = dbmod.make_engine(pg_url)
    try:
        with (
            pytest.raises(InternalError, match="read-only transaction"),
            dbmod.reading_session(engine) as session,
        ):
            session.execute(text("UPDATE sources SET title = 'Changed' WHERE slug = 'wire-a'"))
        with dbmod.session_scope(engine) as session:
            session.execute(text("UPDATE sources SET title = 'Wire A.' WHERE slug = 'wire-a'"))
    finally:
        engine.dispose()
    assert "Wire A." in run("sources").output
