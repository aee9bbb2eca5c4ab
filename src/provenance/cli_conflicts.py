"""Commands about conflicts: `conflicts` (detect and list), `resolve` (a verdict), and
`trust` (each source's learned trust, which weighs the answers).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from .choices import CONFLICT_STATUSES
from .cli import Context, cli, pass_context
from .inputs import terminal_safe
from .lazy import lazy_module
from .output import emit, limit_option, output_options, value_text

if TYPE_CHECKING:
    from . import listings
else:  # loaded when a command first uses it: `provenance --help` stays light
    listings = lazy_module("provenance.listings")


LISTING_WIDTH = 100  # a conflict listing reads at 100 columns when not on a terminal


def _conflict_lines(row: dict) -> list[tuple[str, str]]:
    """A question as (indent, text) lines: its header, leading answer and every answer."""
    from .conflicts import answer_label
    from .leading import answer_marks, leading_lines

    n = len(row["answers"])
    lines = [
        (
            "",
            f"conflict {row['id']} · {row['status']} · {row['severity']} · {row['kind']}"
            f" · {row['subject']} · {row['property']} · {n} answers",
        )
    ]
    if row["settled"]:
        lines.append(("  ", f"settled: {row['settled']}"))
    elif not row["active"]:
        lines.append(("  ", "no longer detected"))
    lines += [("  ", line) for line in leading_lines(row)]
    if row["note"]:
        lines.append(
            ("  ", f"verdict note ({row['status_by']}, {row['status_at']}): {row['note']}")
        )
    for number, answer in enumerate(row["answers"], 1):
        value = value_text(answer["value"], answer.get("unit"))
        scope = listings.scope_text(answer)
        marks = [f"claim {answer['claim']}", f"support {answer['support']}"]
        marks += answer_marks(answer)
        contradicts = ", ".join(
            answer_label(c["claim"], c["stance"]) for c in answer["contradicts"]
        )
        lines.append(("", ""))
        lines.append(
            (
                "  ",
                f"{number}. {value}" + (f" ({scope})" if scope else "") + f" — {', '.join(marks)}",
            )
        )
        lines.append(("     ", f"contradicts: {contradicts}"))
        for c in answer["citations"]:
            where = c["source"] + (f" [{c['footnote']}]" if c["footnote"] else "")
            who = f" — {c['attributed_to']}" if c["attributed_to"] else ""
            denies = ", denies" if c["stance"] == "denies" else ""
            lines.append(
                ("     ", f"• {where}{who} ({c['reliability']}/{c['confidence']}{denies})")
            )
            if c["quote"]:
                lines.append(("       ", f"“{c['quote']}”"))
        for piece in answer.get("trust_pieces", answer.get("support_pieces", [])):
            lines.append(("     ", f"+ {piece['text']}"))
    return lines


def _print_conflicts(rows: Iterable[dict]) -> None:
    """Each question as it comes: a long listing prints progressively."""
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else LISTING_WIDTH
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007 (printed after the loop)
        lines = [
            textwrap.fill(
                terminal_safe(text),
                width=width,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_long_words=True,
                break_on_hyphens=False,
            )
            if text
            else ""
            for indent, text in _conflict_lines(row)
        ]
        click.echo("\n".join(lines) + "\n")  # one write per question, a blank line after it
    click.echo(f"{count} conflict(s)" if count else "no conflicts")


@cli.command("conflicts")
@click.option(
    "--status",
    type=click.Choice([*CONFLICT_STATUSES, "all"]),
    default="open",
    show_default=True,
    help="Which verdicts to list; open leaves out questions settled by ranks, all lists "
    "every question, also settled and no longer detected ones.",
)
@click.option("--subject", help="Only conflicts about this entity (any of its names).")
@click.option("--property", "property_name", help="Only conflicts of this property.")
@click.option(
    "--explain",
    is_flag=True,
    help="Show each independent source behind each answer: source [footnote], grade, "
    "learned trust with its track record × confidence = weight.",
)
@click.option(
    "--overturned",
    is_flag=True,
    help="Only questions whose leading answer goes against the head count: learned trust "
    "leads with an answer that has less support than one it contradicts. Settle these "
    "first: there a verdict teaches the most.",
)
@click.option("--fail", is_flag=True, help="Exit 1 when an open conflict is listed (for scripts).")
@limit_option
@output_options
@pass_context
def conflicts_command(
    obj: Context,
    status,
    subject,
    property_name,
    explain,
    overturned,
    fail,
    limit: int | None,
    fmt: str,
) -> None:
    """Detect and list conflicts: the questions on which sources contradict each other.

    Detection runs first (set-based, in the database) when the evidence changed
    since the last run; verdicts set with `resolve` are kept. A conflict is one
    question (a subject and property in overlapping scope) with all its competing
    answers: each answer's value, every citation
    behind it, its support, its probability from the sources' learned trust and
    which answers it contradicts, a severity, and the leading answer with its margin;
    a changed leader is marked (see "Conflicts" in the README). CSV: a line per answer.
    Trust is learned once and stored; it is learned anew only when the evidence it
    rests on changed (docs/trust.md). The listing is printed as it is made.

    \b
    Example:
        provenance conflicts
        provenance conflicts --subject Khazali --explain
        provenance conflicts --status all --json --limit 10
        provenance conflicts --overturned   # where a verdict teaches the most
        provenance conflicts --fail   # exit 1 if anything is open
    """
    from . import conflicts as conflictsmod
    from . import leading as leadingmod

    with obj.writing() as session:  # bad --subject or --property: nothing detected or written
        scope = conflictsmod.listing_scope(
            session, status=status, subject=subject, property_name=property_name
        )
        detection = conflictsmod.detect(session, obj.actor, reuse=True)
        # the stored trust result, recomputed only if its evidence changed (then leaders too)
        leaders = leadingmod.refresh_leaders(session, obj.actor)
    with obj.reading() as session:  # after the write: streamed, a chunk of questions at a time
        weigh = leadingmod.weigher(
            session, public_only=False, explain=explain, changed=leaders.changed
        )
        keep = (lambda row: row["against_head_count"]) if overturned else None
        rows = conflictsmod.Listing(session, scope, explain=explain, weigh=weigh, keep=keep)
        listed = itertools.islice(rows, limit)
        if fmt == "table":
            _print_conflicts(listed)
        else:
            emit(
                (x for r in listed for x in conflictsmod.flat_rows(r)) if fmt == "csv" else listed,
                fmt,
            )
    if fmt == "table" and rows.against_seen and not overturned:
        # where learned trust leads against more support: the desk's first verdicts
        click.echo(
            f"({rows.against_seen} of these {'leads' if rows.against_seen == 1 else 'lead'}"
            " against the head count: "
            "`provenance conflicts --overturned` lists them; settle those first)",
            err=True,
        )
    if fmt == "table" and (detection.new or detection.gone):
        click.echo(
            f"({detection.new} new since the last run, {detection.gone} no longer detected)",
            err=True,
        )
    if explain and fmt == "table":  # whether trust was learned now or reused
        click.echo(leaders.line(), err=True)
    if fail and rows.open_seen:
        sys.exit(1)


@cli.command("resolve")
@click.argument("conflict_id")
@click.option(
    "--status",
    required=True,
    type=click.Choice(CONFLICT_STATUSES),
    help=(
        "The verdict: confirmed (a real contradiction), dismissed (not one), resolved (settled),"
        " open (reopen)."
    ),
)
@click.option(
    "--answer",
    help="With --status resolved: the accepted answer, a claim id of the conflict "
    "(or 'not ID' for its denial). It then leads.",
)
@click.option("--note", required=True, help="What was checked and found.")
@pass_context
def resolve_command(
    obj: Context, conflict_id: str, status: str, answer: str | None, note: str
) -> None:
    """Record a fact-checker's verdict on a conflict (a question).

    The verdict, note, accepted answer, who and when are kept, and survive
    re-detection. `--answer` names the claim the desk accepts; it must be one of
    the conflict's answers, and only with `--status resolved`.

    \b
    Example:
        provenance resolve 3 --status resolved --answer 20 --note "CENTCOM release: January 2010"
        provenance resolve 5 --status confirmed --note "CTC and LWJ disagree"
    """
    from . import conflicts as conflictsmod

    with obj.writing() as session:
        conflict = conflictsmod.get_conflict(session, conflict_id)
        conflictsmod.resolve(session, conflict, status, note, obj.actor, answer=answer)
    accepted = (
        conflictsmod.answer_label(conflict.answer_claim_id, conflict.answer_stance or "asserts")
        if conflict.answer_claim_id is not None
        else None
    )
    click.echo(f"conflict {conflict.id}: {status}" + (f", answer {accepted}" if accepted else ""))


@cli.command("trust")
@click.option(
    "--property",
    "property_name",
    help="Trust and track record on this property (the model still learns from all).",
)
@click.option(
    "--public",
    "public_only",
    is_flag=True,
    help="Learn from public evidence only, as the published copy does.",
)
@limit_option
@output_options
@pass_context
def trust_command(
    obj: Context, property_name: str | None, public_only: bool, limit: int | None, fmt: str
) -> None:
    """Each source's grade, learned trust, track record and likely copies.

    A source is a document with the speaker it quotes. Trust starts from the A–F
    grade and is learned from how often the source's claims agree with the most
    likely answers, and above all from the desk's verdicts (preferred claims,
    resolved conflicts). Agreements and disagreements count disputed items only;
    sources that repeat one feed are suggested as a copy group and vote once.
    Sources that copy more loosely (they agree too often on answers the model
    holds false) are listed under likely_copies with the probability that the
    two copy one another; on an answer both give, they share their votes.
    Where the desk has settled enough disputed items, its verdicts choose the
    vote the model runs; a line under the table says which, and why.

    \b
    Example:
        provenance trust
        provenance trust --property killed --limit 10
        provenance trust --public --json
    """
    from . import leading as leadingmod
    from . import trust as trustmod

    with obj.reading() as session:
        if property_name is None:  # the stored result while it is fresh (stored_trust.py)
            result = leadingmod.trust_for(session, public_only=public_only)
        else:
            result = trustmod.compute_trust(
                session, public_only=public_only, property=property_name
            )
    rows = result.rows()
    if fmt in ("table", "csv"):  # a cell: "site-009 (1.00); copy-001 (.70)"
        rows = [{**r, "likely_copies": trustmod.copies_text(r["likely_copies"])} for r in rows]
    emit(
        rows,
        fmt,
        limit=limit,
        columns=[
            "source",
            "attributed_to",
            "grade",
            "prior",
            "trust",
            "answers",
            "agreements",
            "disagreements",
            "verdicts",
            "verdicts_upheld",
            "copy_group",
            "likely_copies",
        ],
    )
    if fmt == "table" and result.vote is not None:  # the vote the desk's verdicts chose
        click.echo(result.vote.line(), err=True)
