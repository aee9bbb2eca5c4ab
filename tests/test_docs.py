"""Every command and option is documented: help text, an example, and a README mention."""

from __future__ import annotations

import click
import pytest
from conftest import ROOT

from provenance.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield " ".join(path), command


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name, command):
    assert command.help and command.help.strip(), name
    assert "Example:" in command.help, f"`{name}` --help shows no example"


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_has_help(name, command):
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"`{name} {param.opts[0]}` has no help"


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_in_the_readme(name, command):
    assert f"`{name}" in README, f"`{name}` is not documented in README.md"


def test_help_runs(run):
    for name, _ in COMMANDS:
        result = run(*name.split(), "--help")
        assert "Usage:" in result.output
