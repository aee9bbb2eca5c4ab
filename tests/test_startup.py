"""Start-up: a command loads only what it uses, so `provenance --help` answers at once.

The CPU time is measured by benchmarks/startup_bench.py (docs/benchmarks.md), not here:
a timed test fails on a busy machine. What can regress silently is a module-level
import of something heavy, in cli.py or any command module (cli_*.py), and that is what
these tests catch.
"""

from __future__ import annotations

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


def _loaded(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(args=list(args), heavy=HEAVY)],
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
