"""Every database a test gets is on the back end the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BACKEND, ROOT, make_built


def _on_postgresql(target) -> bool:
    return "://" in str(target)


@pytest.fixture
def prepared_db(db_templates, new_db):
    """A database fixture as a test module would write one, on the suite's helpers."""
    target = new_db("prepared")
    db_templates.clone("built", make_built, target)
    return target


def test_every_database_fixture_follows_the_suite_back_end(
    db_path, built_db, seeded_db, new_db, prepared_db, run
):
    expected = BACKEND == "postgresql"
    for target in (db_path, built_db, seeded_db, new_db("other"), prepared_db):
        assert _on_postgresql(target) == expected, target
    assert run("--db", prepared_db, "sources", "--json").output.count('"slug"') == 17


@pytest.mark.sqlite_only
def test_sqlite_only_tests_get_sqlite_files(db_path, new_db):
    assert not _on_postgresql(db_path) and not _on_postgresql(new_db("other"))


# A test module as a newcomer might write it: a fixture that makes its own SQLite file.
OWN_FILE_TESTS = """
import pytest
from conftest import invoke


@pytest.fixture
def own_db(tmp_path):
    path = tmp_path / "own.db"
    invoke("init", db=path)
    return path


def test_on_its_own_file(own_db):
    invoke("sources", db=own_db)


@pytest.mark.sqlite_only
def test_about_a_sqlite_file(own_db):
    invoke("sources", db=own_db)
"""

MARKERS = """[pytest]
markers =
    postgres: needs a PostgreSQL server
    sqlite_only: about SQLite files
"""


def _run_tests(folder: Path, backend: str) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "tests" / "conftest.py", folder / "conftest.py")
    (folder / "test_own_file.py").write_text(OWN_FILE_TESTS, encoding="utf-8")
    (folder / "pytest.ini").write_text(MARKERS, encoding="utf-8")
    env = {**os.environ, "PROVENANCE_TEST_BACKEND": backend}
    env.pop("PROVENANCE_TEST_PG_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_fixture_with_its_own_sqlite_file_cannot_stay_on_sqlite_unseen(tmp_path, backend):
    result = _run_tests(tmp_path, backend)
    report = result.stdout
    if backend == "sqlite":
        assert result.returncode == 0, report
        assert "2 passed" in report, report
    else:
        assert result.returncode == 1, report
        assert "ERROR test_own_file.py::test_on_its_own_file" in report, report
        assert "opened the SQLite database" in report and "own.db" in report, report
        assert "SKIPPED" in report and "1 skipped" in report, report
