"""`extract`: candidate claims found in a source's text, written in the import format
or reviewed one by one on the terminal (`--interactive`) and imported.

The recognisers are the `extract` package; this module is only the command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli import Context, UserError, cli, pass_context, say
from .files import AtomicOutput
from .inputs import terminal_safe
from .lazy import lazy_module

if TYPE_CHECKING:
    from . import sources
else:  # loaded when a command first uses it: `provenance --help` stays light
    sources = lazy_module("provenance.sources")


@cli.command("extract")
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help=(
        "Write the candidates to this YAML file (complete or not at all) instead of standard"
        " output."
    ),
)
@click.option(
    "--kinds",
    default="quantity,date,leadership,relation",
    show_default=True,
    help="Comma-separated kinds: quantity, date, leadership, relation, statement (quoted words).",
)
@click.option(
    "-i",
    "--interactive",
    is_flag=True,
    help=(
        "Review each candidate on the terminal (accept, edit or skip it) and import what was"
        " accepted at the end, all or nothing; quitting writes nothing."
    ),
)
@pass_context
def extract_command(
    obj: Context, source: str, output: Path | None, kinds: str, interactive: bool
) -> None:
    """Write candidate claims found in a source's text, for an editor to accept.

    SOURCE is an id, a slug or the file name the source was ingested from. The
    output is the import format: edit it (delete, correct, set confidence), then
    `provenance import` it. Figures a citation of the source already covers are
    left out; properties the vocabulary lacks are declared as new. With
    --interactive, each candidate is shown in turn instead: a accepts it, e edits a
    field (subject, property, value, unit, attributed_to, stance, quote), s skips it,
    q quits; what was accepted is imported when the last one is decided.

    \b
    Example:
        provenance extract ctc-khazali-interrogations-2018 -o ctc-candidates.yaml
        provenance extract 004_b040a4527846fc2c.txt --kinds quantity,date
        provenance import ctc-candidates.yaml
        provenance extract ctc-khazali-interrogations-2018 --interactive
    """
    from . import extract as extractmod
    from . import interchange
    from .extract import review as extract_review

    chosen = extractmod.parse_kinds(kinds)
    if interactive and output is not None:
        raise UserError("--interactive imports what is accepted: it cannot go with -o FILE")
    if output is not None:
        interchange.check_output_path(output, "-o")
    with obj.reading() as session:
        found = extractmod.extract(session, sources.find_source(session, source), chosen)
        if interactive:
            vocabulary = extract_review.Vocabulary.of(session, found)
        elif output is None:
            count = extractmod.write_yaml(found, sys.stdout)
            sys.stdout.flush()
        else:
            with AtomicOutput(output) as stream:
                count = extractmod.write_yaml(found, stream)
    if interactive:
        _review(obj, found, vocabulary)
        return
    summary = f"{count} candidate(s) from {found.source.slug}"
    if found.already_recorded:
        summary += f"; {found.already_recorded} already recorded, left out"
    if found.new_properties:
        summary += f"; new properties: {', '.join(p.name for p in found.new_properties)}"
    if output is not None:
        say(f"wrote {summary} to {output}")
    else:
        say(summary, err=True)


def _review(obj: Context, found: Any, vocabulary: Any) -> None:
    """extract --interactive: the terminal side of ``extract.review.review``."""
    from .cli_claims import report_import
    from .extract import review as extract_review

    def ask(prompt: str, default: str | None) -> str:
        if default:
            prompt = f"{prompt} [{terminal_safe(default)}]"
        return str(click.prompt(prompt, default=default, show_default=False))

    outcome = extract_review.review(found, vocabulary, ask, say)
    slug = found.source.slug
    if outcome.quit:
        say(f"quit: nothing written ({len(outcome.accepted)} accepted candidate(s) dropped)")
    elif not outcome.accepted:
        say(f"no candidate of {slug} accepted: nothing written")
    else:
        engine = obj.engine()
        try:
            report = extract_review.save(engine, outcome, obj.actor)
        finally:
            engine.dispose()
        report_import(report, f"{slug}.accepted.yaml")
