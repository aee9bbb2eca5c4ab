"""Tests never touch a user's db/: every test gets its own database under tmp_path."""

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


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch):
    path = tmp_path / "test.db"
    monkeypatch.setenv("PROVENANCE_DB", str(path))
    monkeypatch.setenv("PROVENANCE_ACTOR", "tester")
    return path


@pytest.fixture
def db_path(isolated_db):
    return isolated_db


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def run(runner):
    """Run the real CLI; ``run(*args, code=0)`` asserts the exit code with the output in the message."""

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


@pytest.fixture(scope="session")
def _built_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "built.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "build", "--seeds", str(SEEDS)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def built_db(_built_template, db_path):
    """A database built from the seeds, private to the test."""
    shutil.copy(_built_template, db_path)
    return db_path


def file_bytes(path: Path) -> bytes:
    """Everything a database holds, including an uncheckpointed WAL."""
    data = path.read_bytes() if path.exists() else b""
    wal = Path(str(path) + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


# ---------------------------------------------------------------- PostgreSQL

PG_ENV = "PROVENANCE_TEST_PG_URL"


@pytest.fixture(scope="session")
def pg_server_url():
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (e.g. postgresql+psycopg://postgres@localhost:5433/postgres)")
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
