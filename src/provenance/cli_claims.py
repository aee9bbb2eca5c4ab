"""Commands about claims: `add`, `import`, `claims`, `show`, `claim prefer`,
`claim deprecate`, and `log` (the history of every change).

`add` and `import` write claims with their citations; `claims` and `show` read them;
`claim prefer` and `claim deprecate` set a claim's rank. The corrections of one citation
are in cli_corrections.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .choices import CONFIDENCES, RANKS
from .cli import Context, RowId, UserError, claim_group, cli, pass_context, say
from .inputs import terminal_safe
from .lazy import lazy_module
from .output import dumps, emit, limit_option, output_options, value_text

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from . import claims as claimsmod
    from . import db as dbmod
    from . import history, importer, listings
else:  # loaded when a command first uses them: `provenance --help` stays light
    claimsmod = lazy_module("provenance.claims")
    dbmod = lazy_module("provenance.db")
    history = lazy_module("provenance.history")
    importer = lazy_module("provenance.importer")
    listings = lazy_module("provenance.listings")


def report_import(report: importer.ImportReport, name: str, *, dry_run: bool = False) -> None:
    """What an import did; for a dry run, what it would create (and that nothing changed)."""
    r = report.result
    counts = [
        (r.claims_new, "claim"),
        (r.citations_new, "citation"),
        (report.sources_added, "source"),
        (report.properties_added, "property"),
        (report.entities_added, "entity name"),
    ]
    if dry_run:
        created = [f"{n} {label}(s)" for n, label in counts if n or label in ("claim", "citation")]
        parts = [f"{report.records} record(s)", "would create " + ", ".join(created)]
        parts.append(f"{r.claims_existing} claim(s) already known")
    else:
        parts = [
            f"{report.records} record(s)",
            f"{r.claims_new} new claim(s)",
            f"{r.claims_existing} already known",
            f"{r.citations_new} new citation(s)",
        ]
        parts += [f"{n} new {label}(s)" for n, label in counts[2:] if n]
    if r.citations_updated:
        parts.append(f"{r.citations_updated} citation(s) {'would be ' if dry_run else ''}updated")
    if r.citations_unchanged:
        parts.append(f"{r.citations_unchanged} unchanged")
    say(f"{'would import' if dry_run else 'imported'} {name}: " + ", ".join(parts))
    if r.entities_created_count:
        count = r.entities_created_count
        shown = ", ".join(r.entities_created[:10]) + (" …" if count > 10 else "")
        verb = "would create" if dry_run else "created"
        say(f"  {verb} {count} entit{'y' if count == 1 else 'ies'}: {shown}")
    for warning in r.deprecated_warnings[:10]:
        say(f"  warning: {warning}")


@cli.command("add")
@click.option("--source", required=True, help="Source id, slug or file name.")
@click.option(
    "--subject",
    required=True,
    help="Who or what the claim is about (a name or alias; a new name creates the entity).",
)
@click.option(
    "--property",
    "property_name",
    required=True,
    help="A property of the vocabulary (see `provenance properties`).",
)
@click.option(
    "--value",
    required=True,
    help="The value: 15, 750000..1000000, >=70, ~2000, 2007-03, a name, text, true/false.",
)
@click.option("--unit", help="Unit of a quantity (USD, people …) when the property has none.")
@click.option("--quote", help="The exact words of the source (required when the source has text).")
@click.option("--occurrence", help="Which place of a quote that occurs more than once (1 = first).")
@click.option(
    "--footnote", help="Footnote number (default: the marker ending the quote's sentence, if any)."
)
@click.option(
    "--attributed-to",
    help="The speaker the source quotes (empty when the source asserts it itself).",
)
@click.option("--denies", is_flag=True, help="The source (or speaker) denies the claim.")
@click.option(
    "--confidence",
    type=click.Choice(CONFIDENCES),
    default="medium",
    show_default=True,
    help="How far the citation supports the claim.",
)
@click.option("--as-of", help="EDTF date the claim holds at (for time-varying facts).")
@click.option("--valid-from", help="EDTF start of validity.")
@click.option("--valid-to", help="EDTF end of validity.")
@click.option(
    "--qualifier",
    "qualifiers",
    multiple=True,
    metavar="KEY=VALUE",
    help="A scope such as election=2018 Iraqi parliamentary election (repeatable).",
)
@click.option("--note", help="An editor's note on the citation.")
@click.option(
    "--new-entity",
    is_flag=True,
    help="Create a subject, speaker or value that is close to an entity's name anyway.",
)
@pass_context
def add_command(obj: Context, **options) -> None:
    """Add one claim with its citation.

    The quote is found in the source text (whitespace and quote marks do not
    matter; "…" joins parts of one paragraph); a quote found more than once needs
    --occurrence N. When no --footnote is given and the quote's sentence ends in a
    footnote marker, that footnote is attached. Two sources stating the same thing
    share one claim. A name that is no entity's creates one; a name close to an
    entity's (a typo, a spelling variant) is refused naming it, unless --new-entity.

    \b
    Example:
        provenance add --source ctc-khazali-interrogations-2018 \\
          --subject "Qais al-Khazali" --property seats_won --value 15 \\
          --qualifier "election=2018 Iraqi parliamentary election" \\
          --quote "garnered 15 of the 48 seats" --confidence high
        provenance add --source ctc-khazali-interrogations-2018 \\
          --subject "Laith al-Khazali" --property sibling --value "Qais al-Khazali" \\
          --quote "his brother" --new-entity
    """
    qualifiers = {}
    for item in options.pop("qualifiers"):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UserError(
                f"--qualifier {item!r}: expected KEY=VALUE, e.g. election=2018 Iraqi parliamentary"
                " election"
            )
        if key.strip() in qualifiers:
            raise UserError(f"--qualifier {key.strip()!r} given twice")
        qualifiers[key.strip()] = value.strip()
    record = {
        "source": options["source"],
        "subject": options["subject"],
        "property": options["property_name"],
        "value": options["value"],
        "unit": options["unit"],
        "quote": options["quote"],
        "occurrence": options["occurrence"],
        "footnote": options["footnote"],
        "attributed_to": options["attributed_to"],
        "stance": "denies" if options["denies"] else "asserts",
        "confidence": options["confidence"],
        "as_of": options["as_of"],
        "valid_from": options["valid_from"],
        "valid_to": options["valid_to"],
        "qualifiers": qualifiers,
        "note": options["note"],
    }
    with obj.writing() as session:
        claim, citation, result = claimsmod.add_claim(
            session, record, obj.actor, new_entity=options["new_entity"]
        )
        lines = [f"created entity {name!r}" for name in result.entities_created]
        lines += [f"warning: {warning}" for warning in result.deprecated_warnings]
        state = "new claim" if result.claims_new else "existing claim"
        cite = (
            "citation added"
            if result.citations_new
            else ("citation updated" if result.citations_updated else "citation already recorded")
        )
        footnote = f", footnote {citation.footnote.number}" if citation.footnote else ""
        lines.append(
            f"{state} {claim.id}: {claim.subject.name} · {claim.property.name} = {claim.value}; "
            f"{cite} {citation.id}{footnote}"
        )
    for line in lines:  # after the commit: a run repeated after a lost race prints once
        say(line)


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every record and report, then change nothing.")
@click.option(
    "--new-entities",
    is_flag=True,
    help="Create new names that are close to an entity's name anyway.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that check records while the import writes, for a CSV or JSON Lines"
    " file of 1 MB or more (worth it when records are costly to check: long quotes).",
)
@pass_context
def import_command(
    obj: Context, file: Path, dry_run: bool, new_entities: bool, workers: int
) -> None:
    """Import claims from YAML, JSON Lines or CSV, all or nothing.

    Keys: source, footnote, subject, property, value, unit, quote, attributed_to,
    stance, confidence, as_of, valid_from, valid_to, qualifiers, note. A YAML file
    may carry sources:, properties: and entities: sections, applied first. One bad
    record rejects the file with every error listed; re-importing adds nothing twice.
    A key given twice, a NUL character, a byte that is not UTF-8 or an empty file is
    an error, never kept silently. A new name close to an entity's (a typo, a spelling
    variant) is a bad record unless the entities: section declares it or --new-entities.
    FILE - reads standard input. A CSV file may be separated by commas, semicolons (as
    spreadsheets write where the comma is the decimal mark) or tabs; it must be UTF-8.
    With --workers N a large file is checked by N processes while this one writes;
    the database ends the same as without them.

    \b
    Example:
        provenance import seeds/claims.yaml --dry-run
        provenance import claims.csv
        provenance import --workers 3 million-claims.csv
        provenance export --format jsonl --subject Khazali | provenance --db copy.db import -
    """
    name = file.name
    shown_as = None
    if str(file) == "-":
        ctx = click.get_current_context()
        if "stdin_copy" not in ctx.meta:  # a command run again after a lost race reads it once
            folder = ctx.with_resource(tempfile.TemporaryDirectory(prefix="provenance-"))
            ctx.meta["stdin_copy"] = importer.copy_stream(sys.stdin.buffer, folder)
        file, name, shown_as = ctx.meta["stdin_copy"], "standard input", "<stdin>"
    importer.detect_format(file)
    bar: ProgressBar[int] | None = None
    if sys.stderr.isatty():
        bar = click.progressbar(
            length=1000,
            label="Importing",
            file=sys.stderr,
            show_eta=True,
            item_show_func=lambda n: f"{n:,} records" if n else None,
        )

    def tick(count: int, fraction: float) -> None:
        if bar is not None:
            bar.current_item = count
            bar.update(int(fraction * 1000) - bar.pos)

    from sqlalchemy.orm import Session

    engine = obj.engine()
    try:
        with dbmod.writing(engine.connect()) as connection:
            transaction = connection.begin()
            with Session(bind=connection, expire_on_commit=False) as session:
                obj.begin_change(session, file)
                try:
                    report = importer.import_file(
                        session,
                        file,
                        obj.actor,
                        progress=tick,
                        new_entities=new_entities,
                        shown_as=shown_as,
                        workers=workers,
                    )
                    session.flush()
                except BaseException:
                    if transaction.is_active:
                        transaction.rollback()
                    raise
                if dry_run:
                    transaction.rollback()
                else:
                    transaction.commit()
    finally:
        if bar is not None:
            click.echo("", err=True)
        engine.dispose()
    report_import(report, name, dry_run=dry_run)
    if dry_run:
        click.echo("dry run: nothing was written")


@cli.command("claims")
@click.option("--subject", help="Only claims about this entity (any of its names).")
@click.option("--property", "property_name", help="Only claims of this property.")
@click.option("--source", help="Only claims this source makes.")
@click.option(
    "--rank",
    type=click.Choice(RANKS),
    help="Only claims of this rank.",
)
@limit_option
@output_options
@pass_context
def claims_list(
    obj: Context, subject, property_name, source, rank, limit: int | None, fmt: str
) -> None:
    """List claims with their sources.

    --csv gives one row per citation (the claim's columns repeated; see docs/claims.md);
    --json and --nl give each claim with a list of its citations. Claims are read and
    written a chunk at a time, however many there are.

    \b
    Example:
        provenance claims --subject Qayis --property seats_won
        provenance claims --source ctc-khazali-interrogations-2018 --json
        provenance claims --csv --limit 10 > claims.csv
    """
    with obj.reading() as session:
        rows = listings.iter_claim_rows(
            session,
            subject=subject,
            property_name=property_name,
            source=source,
            rank=rank,
            limit=limit,
        )
        if fmt == "csv":
            columns = listings.FLAT_CLAIM_COLUMNS + listings.FLAT_CITATION_COLUMNS
            emit(listings.flat_claim_rows(rows), fmt, columns=columns)
            return
        if fmt != "table":
            emit(rows, fmt)
            return
        table = [
            {
                "id": r["id"],
                "subject": r["subject"],
                "property": r["property"],
                "value": value_text(r["value"], r["unit"]),
                "scope": listings.scope_text(r),
                "rank": r["rank"],
                "sources": sorted(
                    {
                        c["source"]
                        + (f" [{c['footnote']}]" if c["footnote"] else "")
                        + (" (retracted)" if c["retracted"] else "")
                        for c in r["citations"]
                    }
                ),
            }
            for r in rows
        ]
    emit(table, fmt)


@cli.command("show")
@click.argument("claim_id")
@click.option("--json", "as_json", is_flag=True, help="The whole chain as one JSON object.")
@pass_context
def show(obj: Context, claim_id: str, as_json: bool) -> None:
    """Show a claim with its full provenance chain.

    Claim → each citation → the quote in its context → footnote → cited work →
    collection, and the history of the claim and its citations.

    \b
    Example:
        provenance show 12
    """
    with obj.reading() as session:
        chain = listings.provenance_chain(session, claimsmod.get_claim(session, claim_id))
    if as_json:
        click.echo(dumps(chain, indent=2))
        return
    echo = say
    value = value_text(chain["value"], chain["unit"])
    echo(f"claim {chain['id']}: {chain['subject']} · {chain['property']} = {value}")
    scope = listings.scope_text(chain)
    if scope:
        echo(f"  scope: {scope}")
    echo(
        f"  rank: {chain['rank']}" + (f" ({chain['rank_reason']})" if chain["rank_reason"] else "")
    )
    for c in chain["citations"]:
        echo("")
        speaker = f", attributed to {c['attributed_to']}" if c["attributed_to"] else ""
        head = f"citation {c['id']}: {c['stance']}, confidence {c['confidence']}{speaker}"
        if c["retracted"]:  # struck on a terminal, and said in words everywhere
            struck = click.style(terminal_safe(head), strikethrough=True)
            click.echo(f"  {struck}  {terminal_safe('RETRACTED ' + c['retracted'])}")
        else:
            echo(f"  {head}")
        authors = ", ".join(c["source_authors"]) or "no author named"
        echo(
            f"    source: {c['source_title']} [{c['source']}] — {authors},"
            f" {c['source_published'] or 'undated'}, {c['source_kind']}, reliability"
            f" {c['source_reliability']}"
        )
        if c["quote"] is not None:
            flag = "  (ORPHANED: no longer found at its place)" if c["orphaned"] else ""
            echo(f"    quote at {c['quote_start']}-{c['quote_end']}{flag}:")
            raw_before, raw_after = c.get("context_before", ""), c.get("context_after", "")
            before = " ".join(raw_before.split())[-120:]
            after = " ".join(raw_after.split())[:120]
            # a space beside the quote only where the source has one: "casualties«, but"
            gap_before = " " if raw_before[-1:].isspace() else ""
            gap_after = " " if raw_after[:1].isspace() else ""
            echo(f"      …{before}{gap_before}»{c['quote']}«{gap_after}{after}…")
        if c["footnote"] is not None:
            echo(f"    footnote {c['footnote']}: {c.get('footnote_text', '')}")
            for w in c.get("works", []):
                locator = f", {w['locator']}" if w["locator"] else ""
                collection = f" — in collection “{w['collection']}”" if w["collection"] else ""
                echo(f"      work: {w['title']}{locator}{collection}")
        if c["note"]:
            echo(f"    note: {c['note']}")
    echo("")
    echo("  history:")
    for h in chain["history"]:
        echo(
            f"    {h['at']}  {h['actor']}  {h['action']} {h['table']} {h['row_id']}"
            + (f" — {h['summary']}" if h["summary"] else "")
        )


@claim_group.command("prefer")
@click.argument("claim_id")
@click.option("--note", help="Why the desk accepts this value.")
@click.option(
    "--undeprecate",
    is_flag=True,
    help="Prefer a deprecated claim: it is right after all (needs --reason).",
)
@click.option("--reason", help="With --undeprecate: why the deprecated claim is right after all.")
@pass_context
def claim_prefer(
    obj: Context, claim_id: str, note: str | None, undeprecate: bool, reason: str | None
) -> None:
    """Mark a claim as the desk's accepted value.

    Another preferred claim of the same subject, property and scope returns to
    normal rank, and every open conflict the claim answers is resolved with it (the
    note becomes the verdict's note). A deprecated claim is known wrong, so
    preferring it is an error unless --undeprecate --reason says why it is right
    after all (history keeps both reasons).

    \b
    Example:
        provenance claim prefer 12 --note "confirmed with the election commission"
        provenance claim prefer 7 --undeprecate --reason "the ministry corrected its figure"
    """
    if reason is not None and not undeprecate:
        raise UserError(
            f"--reason {reason!r} goes with --undeprecate; "
            "say why the desk prefers a claim with --note"
        )
    from . import conflicts as conflictsmod

    with obj.writing() as session:
        claim = claimsmod.get_claim(session, claim_id)
        was = claim.rank
        demoted = claimsmod.set_rank(
            session,
            claim,
            "preferred",
            obj.actor,
            reason=note,
            undeprecate=(reason if reason is not None else "") if undeprecate else None,
        )
        resolved = conflictsmod.resolve_by_preference(
            session, claim, obj.actor, note or f"claim {claim.id} preferred by the desk"
        )
    click.echo(
        f"claim {claim.id} preferred"
        + (" (no longer deprecated)" if was == "deprecated" else "")
        + (f"; claim(s) {', '.join(map(str, demoted))} back to normal" if demoted else "")
        + (f"; conflict(s) {', '.join(map(str, resolved))} resolved with it" if resolved else "")
    )


@claim_group.command("deprecate")
@click.argument("claim_id")
@click.option(
    "--reason",
    required=True,
    help="Why the claim is wrong or superseded (kept, so nobody re-adds it).",
)
@pass_context
def claim_deprecate(obj: Context, claim_id: str, reason: str) -> None:
    """Mark a claim as known wrong or superseded, with the reason.

    The claim and its citations are kept; deprecated claims take no part in
    conflicts.

    \b
    Example:
        provenance claim deprecate 7 --reason "misread: the report says 2009, not 2007"
    """
    with obj.writing() as session:
        claim = claimsmod.get_claim(session, claim_id)
        claimsmod.set_rank(session, claim, "deprecated", obj.actor, reason=reason)
    say(f"claim {claim.id} deprecated: {reason}")


@cli.command("log")
@click.option(
    "--table",
    "table_name",
    type=click.Choice(
        [
            "sources",
            "entities",
            "aliases",
            "distinct_names",
            "properties",
            "claims",
            "citations",
            "conflicts",
        ]
    ),
    help="Only changes to this table.",
)
@click.option(
    "--row",
    "row_id",
    type=RowId("row", "provenance log"),
    help="Only changes to the row with this id.",
)
@click.option("--actor", "actor_name", help="Only changes by this person.")
@limit_option(default=50)
@output_options
@pass_context
def log(obj: Context, table_name, row_id, actor_name, limit, fmt: str) -> None:
    """The history: who changed what, when, newest first.

    Each writing command is one change: the rows it added, and what it did to rows
    that existed (old and new values in --json).

    \b
    Example:
        provenance log --table claims --limit 20
    """
    with obj.reading() as session:
        rows = history.rows(session, table=table_name, row_id=row_id, actor=actor_name, limit=limit)
    emit(rows, fmt, columns=["change", "at", "actor", "action", "table", "row_id", "summary"])
