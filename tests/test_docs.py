"""Every command and option is documented: help text, an example, the CLI reference
(docs/cli.md, generated from --help) and the README's command list."""

from __future__ import annotations

import re

import click
import pytest
from conftest import ROOT

from provenance.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_REFERENCE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
# the shared listing options, described once at the head of the README's command list
OUTPUT_OPTIONS = {"--json", "--nl", "--csv", "--limit"}


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield " ".join(path), command


COMMANDS = list(_commands(cli))
IDS = [n for n, _ in COMMANDS]


def _options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and not p.hidden]


def _section(text: str, heading: str) -> str:
    """The text under a Markdown heading line, up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"no heading {heading!r}"
    return match.group(1)


README_COMMANDS = _section(README, "Commands")


def _readme_rows(name: str) -> list[str]:
    """The rows of the README's command table that name the command."""
    mention = re.compile(rf"`{re.escape(name)}[ `]")
    return [
        line
        for line in README_COMMANDS.splitlines()
        if line.startswith("|") and mention.search(line)
    ]


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_every_command_has_help_with_an_example(name, command):
    assert command.help and command.help.strip(), name
    assert "Example:" in command.help, f"`{name}` --help shows no example"


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_every_option_has_help(name, command):
    for param in _options(command):
        assert param.help, f"`{name} {param.opts[0]}` has no help"


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_every_command_and_option_is_in_the_cli_reference(name, command):
    section = _section(CLI_REFERENCE, f"provenance {name}")
    assert f"Usage: provenance {name} " in section, f"docs/cli.md: `{name}` shows no usage"
    for param in _options(command):
        for opt in param.opts:
            assert re.search(rf"(?<![\w-]){re.escape(opt)}\b", section), (
                f"`{name} {opt}` is not in docs/cli.md: run `cog -r docs/cli.md`"
            )


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_every_command_and_option_is_in_the_readme_command_list(name, command):
    rows = _readme_rows(name)
    assert rows, f"`{name}` is not in the README's command list"
    for param in _options(command):
        if set(param.opts) <= OUTPUT_OPTIONS:
            assert all(o in README_COMMANDS for o in param.opts), param.opts
            continue
        assert any(o in row for row in rows for o in param.opts), (
            f"`{name} {param.opts[-1]}` is not in the README's command list"
        )


def test_help_runs(run):
    for name, _ in COMMANDS:
        result = run(*name.split(), "--help")
        assert "Usage:" in result.output


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_readme_sections_a_help_text_cites_exist(name, command):
    """A help text that sends the reader to the README names a part of it that is there."""
    for sentence in re.split(r"(?<=[.;])\s", command.help or ""):
        if "README" not in sentence:
            continue
        for title in re.findall(r'"([^"]+)"', sentence):
            assert re.search(
                rf"^#+ {re.escape(title)}$|\*\*{re.escape(title)}\.?\*\*", README, re.M
            ), f"`{name}` --help cites {title!r}, which is no section of the README"


def test_the_readme_publish_example_is_the_seed_corpus(run, seeded_db, tmp_path):
    block = re.search(r"^\$ provenance publish (\S+)\n((?:[^$`].*\n)+)", README, re.M)
    assert block, "no `$ provenance publish` example in the README"
    out = tmp_path / "public.db"
    printed = run("publish", out).output.replace(str(out), block.group(1))
    assert printed == block.group(2)


def test_ci_makes_the_checks_before_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"^python3 -m venv \.venv .*pytest$", README, re.M)
    assert command and command.group() in ci, "the README's test command is not in .ci/run"
    for check in ("ruff format --check", "ruff check", "mypy src", "cog --check docs/cli.md"):
        assert check in ci and ci.index(check) < ci.index(command.group()), check


CLAIMS_DOC = (ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
# what differs from run to run: the time of a history row, the day of a retraction
_WHEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|(?<=RETRACTED by maria on )\d{4}-\d\d-\d\d")


def _session_steps(text: str) -> list[tuple[str, str]]:
    """(command, output) of every `$ provenance …` line of the code blocks of ``text``."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```\n(.*?)^```$", text, re.M | re.S):
        for line in block.splitlines():
            if line.startswith("$ provenance "):
                steps.append((line[len("$ provenance ") :], []))
            elif steps:
                steps[-1][1].append(line)
    return [(command, "\n".join(lines).strip()) for command, lines in steps]


def test_the_first_sessions_mistakes_and_corrections_run_as_shown(run, db_path, monkeypatch):
    import shlex

    from conftest import SEEDS

    monkeypatch.setenv("PROVENANCE_ACTOR", "maria")
    run("build", "--seeds", SEEDS)
    steps = _session_steps(_section(CLAIMS_DOC, "Mistakes at entry, corrections without loss"))
    assert len(steps) >= 13, steps
    for command, shown in steps:
        result = run(*shlex.split(command), code=None)
        printed = _WHEN.sub("…", result.output.strip())
        assert printed == _WHEN.sub("…", shown), f"$ provenance {command}\n{result.output}"


def test_a_benchmark_script_rewrites_only_its_own_section_of_the_figures():
    """A benchmark script replaces the text between its begin and end markers in
    docs/benchmarks.md (``import_bench.py`` and the others): the markers enclose the one
    section the script writes, its ``## `` heading first, so that a re-run can never wipe
    what other passes wrote by hand."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    regions = re.findall(r"<!-- ([\w-]+):begin.*?-->\n(.*?)<!-- \1:end -->", text, re.S)
    assert len(regions) >= 4, [name for name, _ in regions]
    for name, body in regions:
        headings = re.findall(r"^## .*", body, re.M)
        assert len(headings) <= 1, (name, headings)
        if headings:
            assert body.startswith(headings[0]), (name, body[:200])
