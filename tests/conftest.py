"""Tests never touch a user's db/: every test gets its own database under tmp_path.

With ``PROVENANCE_TEST_BACKEND=postgresql`` (and ``PROVENANCE_TEST_PG_URL``) the whole
suite runs on PostgreSQL instead: each test gets a fresh PostgreSQL database, and tests
marked ``sqlite_only`` (about SQLite files: bytes, pragmas, backups, kills) are skipped.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CTC = "000_f54a66cae721dd6b.txt"


BACKEND = os.environ.get("PROVENANCE_TEST_BACKEND", "sqlite")


def pytest_collection_modifyitems(config, items):
    if BACKEND != "postgresql":
        return
    skip = pytest.mark.skip(
        reason="about SQLite files; this run is on PostgreSQL (PROVENANCE_TEST_BACKEND=postgresql)"
    )
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch, request):
    """The test's database: a SQLite file in tmp_path, or a fresh PostgreSQL database URL."""
    monkeypatch.setenv("PROVENANCE_ACTOR", "tester")
    uses_db = {
        "run",
        "runner",
        "db_path",
        "built_db",
        "seeded_db",
        "bad_db",
        "documents_db",
        "scenario",
    } & set(request.fixturenames)
    if BACKEND == "postgresql" and uses_db and "sqlite_only" not in request.keywords:
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("PROVENANCE_DB", url)
        return url
    path = tmp_path / "test.db"
    monkeypatch.setenv("PROVENANCE_DB", str(path))
    return path


@pytest.fixture
def db_path(isolated_db):
    return isolated_db


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def run(runner):
    """Run the real CLI; ``run(*args, code=0)`` asserts the exit code with the output in the
    message."""

    def _run(*args, code=0, input=None):
        result = runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        assert result.exit_code == code, f"exit {result.exit_code} for {args}:\n{result.output}"
        return result

    return _run


@pytest.fixture
def seeds_copy(tmp_path):
    """A copy of seeds/ that a test may edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def documents_only(target: Path) -> Path:
    """A copy of seeds/ without the curated claims: the five documents and their manifest."""
    target.mkdir(parents=True, exist_ok=True)
    for path in [SEEDS / "sources.yaml", *SEEDS.glob("*.txt")]:
        shutil.copy(path, target / path.name)
    return target


def _build(target: str, seeds: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", target, "build", "--seeds", str(seeds)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def _built_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    path = folder / "built.db"
    _build(str(path), documents_only(folder / "documents"))
    return path


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    _build(str(path), SEEDS)
    return path


def _pg_template(pg_server_url: str, seeds: Path):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"provenance_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    _build(make_url(pg_server_url).set(database=name).render_as_string(hide_password=False), seeds)
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _built_pg_template(pg_server_url, tmp_path_factory):
    yield from _pg_template(
        pg_server_url, documents_only(tmp_path_factory.mktemp("pg-documents") / "seeds")
    )


@pytest.fixture(scope="session")
def _seeded_pg_template(pg_server_url):
    yield from _pg_template(pg_server_url, SEEDS)


def _clone(request, db_path, sqlite_template: str, pg_template: str):
    if isinstance(db_path, str):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        template = request.getfixturevalue(pg_template)
        admin = create_engine(
            request.getfixturevalue("pg_server_url"), isolation_level="AUTOCOMMIT"
        )
        name = make_url(db_path).database
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()
        return db_path
    shutil.copy(request.getfixturevalue(sqlite_template), db_path)
    return db_path


@pytest.fixture
def built_db(request, db_path):
    """The five seed documents built, with no claims: private to the test."""
    return _clone(request, db_path, "_built_template", "_built_pg_template")


@pytest.fixture
def seeded_db(request, db_path):
    """The whole seed corpus built, documents and curated claims: private to the test."""
    return _clone(request, db_path, "_seeded_template", "_seeded_pg_template")


def file_bytes(target) -> bytes:
    """Everything a database holds: a SQLite file with its WAL, or every row of a
    PostgreSQL database, so "the database is unchanged" is one comparison on both."""
    if isinstance(target, str) and "://" in target:
        return _pg_dump(target)
    path = Path(target)
    data = path.read_bytes() if path.exists() else b""
    wal = Path(str(path) + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


def _pg_dump(url: str) -> bytes:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            parts = []
            for table in sorted(inspect(connection).get_table_names()):
                rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).all()
                parts.append(repr((table, [tuple(r) for r in rows])))
        return "\n".join(parts).encode()
    finally:
        engine.dispose()


# ---------------------------------------------------------------- PostgreSQL

PG_ENV = "PROVENANCE_TEST_PG_URL"


@pytest.fixture(scope="session")
def pg_server_url():
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip(
            f"no PostgreSQL server: set {PG_ENV} (e.g."
            " postgresql+psycopg://postgres@localhost:5433/postgres)"
        )
    return url


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"provenance_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
