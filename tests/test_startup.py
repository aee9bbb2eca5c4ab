"""Start-up: a command loads only what it uses, so `provenance --help` answers at once.

The CPU time is measured by benchmarks/startup_bench.py (docs/benchmarks.md), not here:
a timed test fails on a busy machine. What can regress silently is a module-level
import of something heavy, in cli.py or any command module (cli_*.py), and that is what
these tests catch.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest

import provenance
from provenance import db as dbmod
from provenance.cli import cli

HEAVY = ("datasette", "alembic", "sqlalchemy", "edtf", "rapidfuzz", "rich")

SCRIPT = """
import sys
from provenance.cli import cli
try:
    cli.main({args!r}, prog_name="provenance")
except SystemExit:
    pass
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded(*args: str, watch: tuple[str, ...] = HEAVY) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(args=list(args), heavy=watch)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()[-1].split()


@pytest.mark.parametrize(
    "args", [["--help"], ["add", "--help"], ["claims", "--help"], ["import", "--help"]]
)
def test_help_loads_no_heavy_module(args):
    assert _loaded(*args) == []


COMMAND_MODULES = sorted(path.stem for path in Path(provenance.__file__).parent.glob("cli_*.py"))

EVERY_HELP = """
import sys
import click
from provenance.cli import cli

def paths(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from paths(command, (*prefix, name))

count = 0
for path in paths(cli):
    try:
        cli.main([*path, "--help"], prog_name="provenance")
    except SystemExit as exit:
        assert exit.code == 0, path
    count += 1
print(count, " ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def test_no_command_help_loads_a_heavy_module():
    """Every command module is imported by `provenance --help`: all of them stay light."""
    result = subprocess.run(
        [sys.executable, "-c", EVERY_HELP.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    count, *loaded = result.stdout.splitlines()[-1].split()
    assert int(count) > 40 and loaded == []


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_each_command_module_is_light_and_registered(module):
    """Imported first, a command module brings the whole CLI with it, and nothing heavy."""
    script = (
        f"import sys, provenance.{module}\n"
        "from provenance.cli import cli\n"
        f"print(len(cli.commands), sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split(maxsplit=1) == [str(len(cli.commands)), "[]\n"]
    registered = {command.callback.__module__ for command in _every_command(cli)}
    assert f"provenance.{module}" in registered


def _every_command(group: click.Group) -> list[click.Command]:
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found += _every_command(command)
    return found


def test_a_listing_loads_neither_alembic_nor_datasette(seeded_db):
    loaded = _loaded("--db", str(seeded_db), "claims", "--limit", "1")
    assert "sqlalchemy" in loaded
    assert "alembic" not in loaded and "datasette" not in loaded


@pytest.mark.sqlite_only
def test_a_command_on_sqlite_loads_no_postgresql_dialect(seeded_db):
    """The PostgreSQL dialect is 0.05 s of CPU: a SQLite database never needs it."""
    watch = ("sqlalchemy.dialects.postgresql", "psycopg")
    assert _loaded("--db", str(seeded_db), "claims", "--limit", "1", watch=watch) == []
    assert _loaded("--db", str(seeded_db), "source", "add", "bench", watch=watch) == []


@pytest.mark.sqlite_only
def test_the_partial_index_of_the_models_is_the_migrated_one(seeded_db):
    """The models state a partial index without a dialect's own argument; its DDL is the
    migration's on both back ends."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from provenance.models import Citation

    (index,) = [i for i in Citation.__table__.indexes if i.name == "ix_citations_denied_claim"]
    expected = (
        "CREATE INDEX ix_citations_denied_claim ON citations (claim_id) WHERE stance = 'denies'"
    )
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        assert str(CreateIndex(index).compile(dialect=dialect)) == expected
    with sqlite3.connect(seeded_db) as connection:
        (migrated,) = connection.execute(
            "select sql from sqlite_master where name = 'ix_citations_denied_claim'"
        ).fetchone()
    assert " ".join(migrated.split()) == expected


def test_a_command_runs_the_garbage_collector_rarely(run, seeded_db):
    """Collections among the objects a command keeps to its end free next to nothing and
    cost CPU (docs/benchmarks.md, "Start-up"): a listing needs at most a few."""
    import gc

    gc.collect()
    before = gc.get_stats()[0]["collections"]
    run("claims", "--limit", "10")
    run("show", "1")
    assert gc.get_stats()[0]["collections"] - before <= 5


def test_a_command_leaves_the_garbage_collector_as_it_found_it(run):
    """Commands run with fewer collections (gc_pause); a process that runs several, as the
    tests and `serve` do, gets Python's own pace back after each, also after an error."""
    import gc

    thresholds = gc.get_threshold()
    run("init")
    run("sources", "--limit", "1")
    run("claims", "--rank", "nonsense", code=2)
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_the_head_read_from_the_files_is_alembics():
    assert dbmod.head_revision_fast() == dbmod.head_revision()


def test_a_module_loaded_on_first_use_is_safe_from_many_threads(tmp_path, monkeypatch):
    """`serve` answers requests on several threads: the first use may come from many."""
    from concurrent.futures import ThreadPoolExecutor

    from provenance.lazy import lazy_module

    (tmp_path / "slow_to_import.py").write_text(
        "import time\ntime.sleep(0.2)\nANSWER = 42\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    module = lazy_module("slow_to_import")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: module.ANSWER, range(8)))
    assert answers == [42] * 8
