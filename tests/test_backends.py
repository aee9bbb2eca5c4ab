"""Every database a test gets is on the back end the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from conftest import BACKEND, make_built


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
