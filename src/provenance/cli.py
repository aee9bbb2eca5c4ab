"""The command line: parse, validate, open one transaction, call the library, print.

Every command runs in one transaction: it completes or changes nothing. A command that
only reads opens a reading transaction (``Context.reading``: no write lock, no writes);
one that writes opens a writing transaction (``Context.writing``: the write lock taken
up front). A user's mistake is one line on stderr and exit code 2; ``check`` and
``conflicts --fail`` exit 1 when they find problems.

On PostgreSQL, editors write side by side; a command that loses a race to another
writer (both create the same new entity, source or conflict, and the other commits
first) is rolled back and run again from the start, and then finds the other's rows
(``ProvenanceCommand``). Commands therefore print what they did after their
transaction, never during it, so a run that is repeated prints once.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .choices import (
    CONFIDENCES,
    CONFLICT_STATUSES,
    DATATYPES,
    ENTITY_KINDS,
    EXPORT_FORMATS,
    RANKS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
)
from .errors import ImportErrors, ProvenanceError
from .files import AtomicOutput
from .inputs import parse_id, shown, terminal_safe, text_problem
from .lazy import lazy_module
from .output import dumps, emit, limit_option, output_options, progress, value_text

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from . import claims as claimsmod
    from . import db as dbmod
    from . import entities as entitiesmod
    from . import history, importer, integrity, listings, sources
    from . import ingest as ingestmod
    from . import manifest as manifestmod
else:  # SQLAlchemy and the library load when a command first uses them (see lazy.py)
    claimsmod = lazy_module("provenance.claims")
    dbmod = lazy_module("provenance.db")
    entitiesmod = lazy_module("provenance.entities")
    history = lazy_module("provenance.history")
    importer = lazy_module("provenance.importer")
    ingestmod = lazy_module("provenance.ingest")
    manifestmod = lazy_module("provenance.manifest")
    integrity = lazy_module("provenance.integrity")
    listings = lazy_module("provenance.listings")
    sources = lazy_module("provenance.sources")


def _sqlalchemy_error(exc: BaseException, *names: str) -> bool:
    """Whether ``exc`` is one of SQLAlchemy's errors ``names`` (never, if it is not loaded)."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, tuple(getattr(sa_exc, n) for n in names))


def say(message: str = "", **options: Any) -> None:
    """``click.echo`` for lines that carry stored or given text: control characters escaped."""
    click.echo(terminal_safe(message), **options)


class UserError(click.ClickException):
    """A ProvenanceError reaching the boundary: one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        # messages quote what the user gave and what the database holds: shown escaped
        click.echo(f"Error: {terminal_safe(self.format_message())}", err=True)


class BusyError(UserError):
    """The write lock stayed taken past the busy timeout: nothing was wrong with the input,
    so the exit code is EX_TEMPFAIL (75), which a script can retry on."""

    exit_code = 75


# How often a command that lost a race on PostgreSQL runs again before the error is shown.
# Each run after a lost race finds the winner's rows; a handful of writers creating the
# same things needs one or two more runs, so eight is far more than contention needs.
RACE_ATTEMPTS = 8


class ProvenanceCommand(click.Command):
    """A command that runs again from the start when its transaction lost a race.

    PostgreSQL lets writers run side by side at READ COMMITTED: two editors that both
    look up a new entity, find none and create it cannot both commit it, and the second
    gets a unique-key violation (or a deadlock, or a serialization failure). That is
    not the user's error, and the whole command was one transaction that has now been
    rolled back, so it is run again: this time the lookup finds the committed row and
    nothing is created twice. SQLite writers queue on the write lock instead, and are
    never retried (``db.lost_race``).
    """

    def invoke(self, ctx: click.Context):
        for attempt in range(1, RACE_ATTEMPTS + 1):
            try:
                return super().invoke(ctx)
            except Exception as exc:
                if not _sqlalchemy_error(exc, "DBAPIError"):
                    raise
                if attempt == RACE_ATTEMPTS or not dbmod.lost_race(exc):
                    raise
            # a short random pause, growing with each attempt, so racers spread out
            time.sleep(random.uniform(0, 0.02 * 2**attempt))


class ProvenanceGroup(click.Group):
    command_class = ProvenanceCommand
    group_class = type  # subgroups (`claim`, `entity`, …) make ProvenanceCommands too

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Like Click's, but a usage error is one line too (no usage block, no hint)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            _check_arguments(sys.argv[1:] if args is None else args)
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            click.echo(f"Error: {terminal_safe(exc.format_message())}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ImportErrors as exc:
            # the one-line summary comes first, so a script reading one line gets it;
            # every bad record follows on its own indented line
            click.echo(f"Error: {terminal_safe(str(exc))}", err=True)
            for line in exc.errors:
                click.echo(f"  {terminal_safe(line)}", err=True)
            raise click.exceptions.Exit(UserError.exit_code) from None
        except ProvenanceError as exc:
            raise UserError(str(exc)) from None
        except Exception as exc:
            if not _sqlalchemy_error(exc, "OperationalError", "DatabaseError"):
                raise
            if dbmod.is_busy(exc):
                waited = dbmod.busy_timeout_ms() / 1000
                raise BusyError(
                    "database is busy: another command held the write lock longer than "
                    f"{waited:g} s; nothing was written, run the command again "
                    f"(or set {dbmod.BUSY_TIMEOUT_ENV} to wait longer)"
                ) from None
            if dbmod.lost_race(exc):  # still losing after RACE_ATTEMPTS runs
                raise BusyError(
                    f"database is busy: other editors wrote the same rows first {RACE_ATTEMPTS} "
                    "times over; nothing was written, run the command again"
                ) from None
            raise UserError(f"database error: {dbmod._first_line(exc)}") from None


def _check_arguments(args) -> None:
    """Every argument is text the database can store: the shell hands over bytes that are
    not UTF-8 as lone surrogates, which no database column takes."""
    for arg in args:
        problem = text_problem(arg) if isinstance(arg, str) else None
        if problem:
            raise click.UsageError(f"argument {shown(arg)}: {problem}")


class RowId(click.ParamType):
    """A row id: ASCII digits, 1 to 2⁶³−1 (see inputs.parse_id)."""

    name = "id"

    def __init__(self, what: str, listing: str):
        self.what, self.listing = what, listing

    def convert(self, value, param, ctx) -> int:
        try:
            return parse_id(value, self.what, self.listing)
        except ProvenanceError as exc:
            self.fail(str(exc), param, ctx)


class Context:
    def __init__(self, db: str | None, actor: str | None):
        self.db = db
        self._actor = actor

    @property
    def actor(self) -> str:
        """``--actor``, else ``PROVENANCE_ACTOR``, else the operating-system user."""
        return history.current_actor(self._actor)

    def engine(self, *, create: bool = False, current: bool = True) -> Engine:
        engine = dbmod.make_engine(self.db, create=create)
        if current and not create:
            dbmod.require_current(engine)
        return engine

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One reading transaction for the whole command: a consistent snapshot, no write lock.

        It never waits for a writer (not even for a million-claim import), and it cannot
        write: a write attempted in it is an error, not a wait for the lock.
        """
        engine = self.engine()
        try:
            with dbmod.reading_session(engine) as session:
                yield session
        finally:
            engine.dispose()

    def begin_change(self, session: Session, file: Path | None = None) -> None:
        """The running command and its parameters are the session's change in history."""
        ctx = click.get_current_context()
        path = " ".join(ctx.command_path.split()[1:])
        history.begin_change(session, self.actor, path or "provenance", ctx.params, file)

    @contextmanager
    def writing(self, *, migrate: bool = False) -> Iterator[Session]:
        """One writing transaction for the whole command (migration included): one change.

        The write lock is taken when it begins (SQLite's BEGIN IMMEDIATE), so the
        command waits for another writer up front rather than failing half-way.
        """
        from sqlalchemy.orm import Session

        engine = self.engine(create=migrate, current=not migrate)
        try:
            with dbmod.writing(engine.connect()) as connection, connection.begin():
                if migrate:
                    from alembic import command

                    command.upgrade(dbmod.alembic_config(connection), "head")
                with Session(bind=connection, expire_on_commit=False, autoflush=True) as session:
                    self.begin_change(session)
                    yield session
                    session.flush()
        finally:
            engine.dispose()


pass_context = click.make_pass_decorator(Context)


@click.group(cls=ProvenanceGroup)
@click.version_option(package_name="provenance")
@click.option(
    "--db",
    envvar="PROVENANCE_DB",
    metavar="PATH_OR_URL",
    help="SQLite file or SQLAlchemy URL (default: $PROVENANCE_DB, else db/provenance.db).",
)
@click.option(
    "--actor",
    metavar="NAME",
    help="Who is making changes (default: $PROVENANCE_ACTOR, else your user name).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """A claim-and-citation provenance database for fact-checkers.

    Every claim is stored with the source it came from, the footnote behind it, the
    exact quote, who the source attributes it to, and a confidence level.

    \b
    Example:
        provenance build
        provenance sources
        provenance footnotes ctc-khazali-interrogations-2018

    \b
    Exit codes: 0 done; 1 a check found problems; 2 bad input (nothing
    written); 75 the database stayed busy past $PROVENANCE_BUSY_TIMEOUT
    seconds (default 300) of waiting for another writer, or on PostgreSQL
    other editors wrote the same new rows first 8 times (nothing written).
    """
    ctx.obj = Context(db, actor)


@cli.command()
@pass_context
def init(obj: Context) -> None:
    """Create the database, or upgrade it to the latest migration.

    \b
    Example:
        provenance init
        provenance --db postgresql+psycopg://localhost/provenance init
    """
    engine = obj.engine(create=True, current=False)
    try:
        before = dbmod.current_revision(engine)
        dbmod.migrate(engine)
        after = dbmod.current_revision(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"{where}: at migration {after} (latest), nothing to do")
    else:
        click.echo(f"{where}: upgraded from {before or 'empty'} to {after}")


def _manifest_specs(manifest: Path | None) -> dict[str, manifestmod.SourceSpec]:
    if manifest is None:
        return {}
    return {spec.file: spec for spec in manifestmod.load_manifest(manifest) if spec.file}


def _report_ingest(result: ingestmod.IngestResult) -> None:
    source = result.source
    line = f"{result.status:9} {source.slug} ({source.file_name})"
    extras = []
    if result.sections:
        extras.append(f"{result.sections} comment sources")
    if result.footnotes:
        extras.append(f"{result.footnotes} footnotes")
    if extras:
        line += ": " + ", ".join(extras)
    say(line)
    for proposed in ingestmod.proposal_lines(result):
        say(f"          {proposed}")
    if result.kept_confidential:
        say(
            "          kept confidential: the manifest says confidential: false, "
            "but ingest never makes a confidential source public"
        )
    if result.copy is not None:
        match = result.copy
        how = (
            "identical text"
            if match.identical
            else f"near-identical text, similarity {match.similarity:.2f}"
        )
        say(
            f"          copy of {match.original.slug} (source {match.original.id}): {how}; "
            f"counted as one document with it (undo: provenance source not-copy {source.slug})"
        )
    if result.status == "changed":
        click.echo(
            "          text changed since the last ingest; new sha256"
            f" {(source.sha256 or '')[:16]}…"
        )
        if result.reanchored:
            click.echo(f"          {len(result.reanchored)} citation(s) re-anchored")
        if result.orphaned:
            click.echo(
                f"          {len(result.orphaned)} citation(s) ORPHANED, quote not found: "
                + ", ".join(str(i) for i in result.orphaned)
            )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(path_type=Path),
    help="Manifest with the files' metadata (default: sources.yaml beside the first file, if any).",
)
@pass_context
def ingest(obj: Context, files: tuple[Path, ...], manifest: Path | None) -> None:
    """Add or refresh source documents.

    Stores each file's text and SHA-256 and parses its footnotes. Re-ingesting an
    unchanged file changes nothing; a changed text is reported, and citations whose
    quote moved are re-anchored or reported as orphaned.

    \b
    Example:
        provenance ingest seeds/000_f54a66cae721dd6b.txt --manifest seeds/sources.yaml
    """
    if manifest is None:
        beside = files[0].parent / "sources.yaml"
        manifest = beside if beside.is_file() else None
    specs = _manifest_specs(manifest)
    for path in files:
        # every file is checked before anything is written
        ingestmod.check_document(path, specs.get(path.name))
    with obj.writing() as session:
        results = [
            ingestmod.ingest_file(session, path, specs.get(path.name), obj.actor)
            for path in progress(list(files), "Ingesting")
        ]
    for result in results:
        _report_ingest(result)


@cli.command()
@click.option(
    "--seeds",
    "seeds_dir",
    default="seeds",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder with sources.yaml, the documents and claims.yaml.",
)
@pass_context
def build(obj: Context, seeds_dir: Path) -> None:
    """Create or upgrade the database and load the seeds; idempotent.

    Runs `init`, ingests every document of the manifest SEEDS/sources.yaml, then
    imports SEEDS/claims.yaml when there is one. Running it twice gives the same
    database.

    \b
    Example:
        provenance build
        provenance --db /tmp/test.db build --seeds seeds
    """
    manifest = seeds_dir / "sources.yaml"
    if not seeds_dir.is_dir():
        raise UserError(
            f"--seeds {str(seeds_dir)!r} is not a folder: expected a folder with sources.yaml"
        )
    specs = manifestmod.load_manifest(manifest)
    for spec in specs:
        if spec.file:
            ingestmod.check_document(seeds_dir / spec.file, spec)
    claims_file = seeds_dir / "claims.yaml"
    with obj.writing(migrate=True) as session:
        ingested = [
            ingestmod.ingest_file(session, seeds_dir / spec.file, spec, obj.actor)
            for spec in progress(specs, "Ingesting")
            if spec.file
        ]
        imported = (
            importer.import_file(session, claims_file, obj.actor) if claims_file.is_file() else None
        )
    for result in ingested:
        _report_ingest(result)
    if imported is not None:
        _report_import(imported, claims_file.name)


@cli.command("sources")
@limit_option
@output_options
@pass_context
def sources_list(obj: Context, limit: int | None, fmt: str) -> None:
    """List the sources with their metadata.

    \b
    Example:
        provenance sources
        provenance sources --json --limit 3
    """
    with obj.reading() as session:
        rows = sources.list_sources(session)
    emit(
        rows,
        fmt,
        limit=limit,
        columns=[
            "id",
            "slug",
            "kind",
            "published",
            "reliability",
            "authors",
            "footnotes",
            "citations",
            "title",
        ],
    )


@cli.command()
@click.argument("source")
@click.option(
    "--unresolved",
    is_flag=True,
    help="Only notes (or parts of notes) that could not be resolved to a work.",
)
@limit_option
@output_options
@pass_context
def footnotes(obj: Context, source: str, unresolved: bool, limit: int | None, fmt: str) -> None:
    """List a source's footnotes, their markers and the works they cite.

    SOURCE is an id, a slug or the file name the source was ingested from.
    `Ibid.` resolves to the note before it; a short form to the one earlier full
    citation of the same work; anything else is listed as unresolved.

    \b
    Example:
        provenance footnotes ctc-khazali-interrogations-2018
        provenance footnotes 000_f54a66cae721dd6b.txt --json --limit 5
    """
    with obj.reading() as session:
        rows = sources.list_footnotes(
            session, sources.find_source(session, source), unresolved_only=unresolved
        )
    if fmt == "table":
        rows = [
            {
                "note": r["number"],
                "resolution": r["resolution"]
                + (f" → {', '.join(map(str, r['resolves_to']))}" if r["resolves_to"] else ""),
                "markers": ", ".join(f"{m['start']}" for m in r["markers"]),
                "works": [
                    w["title"] + (f", {w['locator']}" if w["locator"] else "") for w in r["works"]
                ]
                + [f"UNRESOLVED: {p}" for p in r["unresolved_parts"]],
                "collection": sorted({w["collection"] for w in r["works"] if w["collection"]}),
            }
            for r in rows
        ]
    emit(rows, fmt, limit=limit)


@cli.command()
@pass_context
def check(obj: Context) -> None:
    """Check integrity; exit 1 with a line per problem.

    Checks that each source file is unchanged since it was ingested, stored texts
    match their SHA-256, footnote markers and quotes are at their offsets (orphans
    listed), foreign keys hold, the database file is sound, and no public row rests
    on confidential evidence (a work public notes cite, described by what no public
    note says).

    \b
    Example:
        provenance check
    """
    with obj.reading() as session:
        report = integrity.check(session)
    for notice in report.notices:
        say(f"note: {notice}", err=True)
    for problem in report.problems:
        say(f"PROBLEM: {problem}")
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    if report.ok:
        click.echo(f"ok: {counts} checked")
        return
    click.echo(f"{len(report.problems)} problem(s) in {counts}")
    sys.exit(1)


# ---------------------------------------------------------------- claims


def _report_import(report: importer.ImportReport, name: str, *, dry_run: bool = False) -> None:
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
    _report_import(report, name, dry_run=dry_run)
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


@cli.group("claim")
def claim_group() -> None:
    """Ranks of a claim: prefer it or deprecate it (nothing is ever deleted)."""


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


# ---------------------------------------------------------------- vocabulary


@cli.group("entity")
def entity_group() -> None:
    """Entities: people, organisations, places, events, alliances."""


@entity_group.command("add")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(ENTITY_KINDS),
    default="other",
    show_default=True,
    help="What the entity is.",
)
@click.option("--alias", "aliases", multiple=True, help="Another name of the entity (repeatable).")
@click.option("--description", help="A short description.")
@pass_context
def entity_add(
    obj: Context, name: str, kind: str, aliases: tuple[str, ...], description: str | None
) -> None:
    """Add an entity with its aliases (or add aliases to an existing one).

    \b
    Example:
        provenance entity add "Qais al-Khazali" --kind person \\
            --alias "Qayis Khazali" --alias "Qays al-Khazali"
    """
    with obj.writing() as session:
        entity, added = entitiesmod.add_entity(
            session, name, obj.actor, kind=kind, aliases=list(aliases), description=description
        )
    say(
        f"entity {entity.id} {entity.name!r}: "
        + (f"added {', '.join(repr(a) for a in added)}" if added else "nothing new")
    )


@cli.command("entities")
@limit_option
@output_options
@pass_context
def entities_list(obj: Context, limit: int | None, fmt: str) -> None:
    """List entities with their aliases.

    \b
    Example:
        provenance entities --json
        provenance entities --limit 20
    """
    with obj.reading() as session:
        rows = entitiesmod.list_entities(session)
    emit(rows, fmt, columns=["id", "name", "kind", "aliases", "claims"], limit=limit)


@cli.group("alias")
def alias_group() -> None:
    """Aliases: other spellings of an entity's name."""


@alias_group.command("add")
@click.argument("entity")
@click.argument("alias")
@pass_context
def alias_add(obj: Context, entity: str, alias: str) -> None:
    """Add ALIAS as another name of ENTITY.

    An alias that already names a different entity is an error: entities are
    merged by an editor, never silently.

    \b
    Example:
        provenance alias add "Qassem Soleimani" "Qassem Suleimani"
    """
    with obj.writing() as session:
        found, added = entitiesmod.add_alias(session, entity, alias, obj.actor)
    say(f"{alias!r} {'added to' if added else 'already names'} {found.name!r}")


@alias_group.command("suggest")
@click.option(
    "--min-score",
    type=click.FloatRange(0, 100),
    default=85.0,
    show_default=True,
    help="Lowest similarity (0-100) to list.",
)
@limit_option(default=50)
@output_options
@pass_context
def alias_suggest(obj: Context, min_score: float, limit: int, fmt: str) -> None:
    """Suggest entities that may be one entity spelled differently.

    Lists pairs of names with a similarity score and the command that would make
    one an alias of the other; it never merges anything by itself.

    \b
    Example:
        provenance alias suggest --min-score 80
    """
    with obj.reading() as session:
        rows = [
            s.as_row()
            for s in entitiesmod.suggest_aliases(session, min_score=min_score, limit=limit)
        ]
    emit(rows, fmt, columns=["score", "entity", "name", "other_entity", "other_name"])


@alias_group.command("distinct")
@click.argument("name")
@click.argument("other")
@pass_context
def alias_distinct(obj: Context, name: str, other: str) -> None:
    """Record that NAME and OTHER are different entities, though their names are close.

    `alias suggest` no longer proposes them as one, and a new name is no longer refused
    as close to the other. One of them may be a name no entity has yet.

    \b
    Example:
        provenance alias distinct Baghdadi Baghdad
    """
    from .names import record_distinct

    with obj.writing() as session:
        first, second, new = record_distinct(session, name, other, obj.actor)
    state = "recorded" if new else "already recorded"
    shown = [
        f"{n!r}" + (f" ({e})" if e else " (no entity yet)")
        for n, e in ((name, first), (other, second))
    ]
    say(f"{state}: {shown[0]} and {shown[1]} are different entities")


@cli.group("property")
def property_group() -> None:
    """The vocabulary of properties claims use."""


@property_group.command("add")
@click.argument("name")
@click.option(
    "--type",
    "datatype",
    required=True,
    type=click.Choice(DATATYPES),
    help="The datatype of values.",
)
@click.option(
    "--multi",
    is_flag=True,
    help="Several values can be true at once: different values never conflict (a denial "
    "of a value another source asserts still does).",
)
@click.option(
    "--time-varying", is_flag=True, help="True at a time, not forever (a leader, a headcount)."
)
@click.option("--unit", help="Unit of a quantity (USD, seats, people).")
@click.option(
    "--tolerance", help="Numeric tolerance of a quantity, a fraction (0.1) or percentage (10%)."
)
@click.option("--description", help="What the property means.")
@pass_context
def property_add(
    obj: Context, name, datatype, multi, time_varying, unit, tolerance, description
) -> None:
    """Add a property (or update its definition).

    \b
    Example:
        provenance property add seats_won --type quantity --unit seats \\
            --description "Seats won in an election"
        provenance property add leader --type entity --time-varying
    """
    with obj.writing() as session:
        prop, status = entitiesmod.add_property(
            session,
            name,
            datatype,
            obj.actor,
            multi=multi,
            time_varying=time_varying,
            unit=unit,
            tolerance=tolerance,
            description=description,
        )
    say(f"property {prop.name!r}: {status}")


@cli.command("properties")
@limit_option
@output_options
@pass_context
def properties_list(obj: Context, limit: int | None, fmt: str) -> None:
    """List the property vocabulary.

    \b
    Example:
        provenance properties
        provenance properties --csv --limit 10
    """
    with obj.reading() as session:
        rows = entitiesmod.list_properties(session)
    emit(rows, fmt, limit=limit)


@cli.group("source")
def source_group() -> None:
    """Sources with no text of ours, and copies of one document."""


@source_group.command("add")
@click.argument("slug")
@click.option("--title", help="Title or name of the source.")
@click.option("--url", help="Where it can be found.")
@click.option(
    "--kind",
    type=click.Choice(SOURCE_KINDS),
    default="website",
    show_default=True,
    help="What the source is.",
)
@click.option(
    "--reliability",
    type=click.Choice(RELIABILITY_GRADES),
    default="F",
    show_default=True,
    help="Admiralty grade: A completely reliable … E unreliable, F cannot be judged.",
)
@click.option("--confidential", is_flag=True, help="Never published (see `publish`).")
@pass_context
def source_add(obj: Context, slug, title, url, kind, reliability, confidential) -> None:
    """Add a source with no text; its citations carry no quote.

    \b
    Example:
        provenance source add iraq-ihec-2018 --kind dataset --reliability A \\
            --title "Iraqi High Electoral Commission results"
    """
    fields = sources.source_fields(
        {
            "slug": slug,
            "title": title or slug,
            "url": url,
            "kind": kind,
            "reliability": reliability,
            "confidential": confidential,
        },
        where=f"source {slug!r}",
    )
    with obj.writing() as session:
        source, created = sources.add_textless_source(session, fields, obj.actor)
    say(f"source {source.id} {source.slug!r}: {'added' if created else 'updated'}")


@source_group.command("copy-of")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("original_ref", metavar="ORIGINAL")
@pass_context
def source_copy_of(obj: Context, source_ref: str, original_ref: str) -> None:
    """Confirm that SOURCE is a copy of ORIGINAL (the same story: one document).

    A copy and its original count once for a value's support and are not
    "different sources" for a conflict. Ingest records identical and
    near-identical texts as copies by itself; this confirms one, or names one the
    measure missed. ORIGINAL must not be a copy itself, nor SOURCE have copies.

    \b
    Example:
        provenance source copy-of ap-erbil-rocket-yahoo ap-erbil-rocket-2021
    """
    from . import copies

    with obj.writing() as session:
        source = sources.find_source(session, source_ref)
        original = sources.find_source(session, original_ref)
        outcome = copies.confirm_copy(session, source, original, obj.actor)
    click.echo(
        f"source {source.slug} is a copy of {original.slug}: {outcome}; they count as one document"
    )


@source_group.command("not-copy")
@click.argument("source_ref", metavar="SOURCE")
@pass_context
def source_not_copy(obj: Context, source_ref: str) -> None:
    """Undo that SOURCE is a copy: it is a document of its own again.

    The undoing is kept, so ingesting SOURCE again does not record it as a copy
    again; `source copy-of` can still confirm it later.

    \b
    Example:
        provenance source not-copy ap-erbil-rocket-yahoo
    """
    from . import copies

    with obj.writing() as session:
        source = sources.find_source(session, source_ref)
        original = copies.undo_copy(session, source, obj.actor)
    click.echo(
        f"source {source.slug} is not a copy of {original.slug}: a document of its own again"
    )


# ---------------------------------------------------------------- conflicts

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
@click.option("--fail", is_flag=True, help="Exit 1 when an open conflict is listed (for scripts).")
@limit_option
@output_options
@pass_context
def conflicts_command(
    obj: Context, status, subject, property_name, explain, fail, limit: int | None, fmt: str
) -> None:
    """Detect and list conflicts: the questions on which sources contradict each other.

    Detection runs first (set-based, in the database); verdicts set with `resolve`
    are kept. A conflict is one question (a subject and property in overlapping
    scope) with all its competing answers: each answer's value, every citation
    behind it, its support, its probability from the sources' learned trust and
    which answers it contradicts, a severity, and the leading answer with its margin;
    a changed leader is marked (see "Conflicts" in the README). CSV: a line per answer.

    \b
    Example:
        provenance conflicts
        provenance conflicts --subject Khazali --explain
        provenance conflicts --status all --json --limit 10
        provenance conflicts --fail   # exit 1 if anything is open
    """
    from . import conflicts as conflictsmod
    from . import leading as leadingmod

    with obj.writing() as session:  # bad --subject or --property: nothing detected or written
        scope = conflictsmod.listing_scope(
            session, status=status, subject=subject, property_name=property_name
        )
        detection = conflictsmod.detect(session, obj.actor)
        # leading answers weigh all listed questions and are stored: rows held, printed after
        rows = conflictsmod.Listing(session, scope, explain=explain)
        listed = list(rows)
        leadingmod.lead(session, listed, public_only=False, explain=explain)
        leadingmod.remember(session, listed, obj.actor)
    listed = listed[:limit]
    if fmt == "table":
        _print_conflicts(listed)
    else:
        emit(
            (x for r in listed for x in conflictsmod.flat_rows(r)) if fmt == "csv" else listed, fmt
        )
    if fmt == "table" and (detection.new or detection.gone):
        click.echo(
            f"({detection.new} new since the last run, {detection.gone} no longer detected)",
            err=True,
        )
    if fail and any(r["status"] == "open" and r["settled"] is None for r in listed):
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


# ---------------------------------------------------------------- backup


@cli.command("backup")
@click.argument("out", type=click.Path(path_type=Path))
@pass_context
def backup_command(obj: Context, out: Path) -> None:
    """Copy the SQLite database to OUT, safely while editors write.

    Uses SQLite's online backup API: the copy is a consistent snapshot and is
    written to a temporary file, then renamed, so OUT is never half-written.

    \b
    Example:
        provenance backup backups/provenance-2026-11-21.db
    """
    engine = obj.engine()
    bar = (
        click.progressbar(length=1, label="Backing up", file=sys.stderr)
        if sys.stderr.isatty()
        else None
    )

    def tick(done: int, total: int) -> None:
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)

    try:
        pages = dbmod.backup(engine, out, progress=tick)
    finally:
        engine.dispose()
        if bar is not None:
            click.echo("", err=True)
    click.echo(f"backed up {pages} pages to {out}")


# ---------------------------------------------------------------- export


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(EXPORT_FORMATS),
    help=(
        "csv/jsonl/yaml: the import format; claimreview: schema.org JSON-LD of verdicts;"
        " prov/prov-n: W3C PROV-JSON/PROV-N."
    ),
)
@click.option("--subject", help="Only claims about this entity (any of its names).")
@click.option("--source", help="Only the citations of this source (id, slug or file name).")
@click.option("--property", "property_name", help="Only claims of this property.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (complete or not at all) instead of standard output.",
)
@click.option(
    "--header",
    "header_file",
    type=click.Path(path_type=Path),
    help=(
        "csv/jsonl: also write the sources:, properties: and entities: sections to this YAML file,"
        " to import first."
    ),
)
@click.option(
    "--include-confidential",
    is_flag=True,
    help="Also export confidential sources, their citations and what only they name.",
)
@click.option(
    "--organisation",
    envvar="PROVENANCE_ORGANISATION",
    help=(
        "claimreview: the reviewing organisation, the reviews' author (default:"
        " $PROVENANCE_ORGANISATION)."
    ),
)
@click.option(
    "--review-url",
    envvar="PROVENANCE_REVIEW_URL",
    metavar="TEMPLATE",
    help=(
        "claimreview: the page of each fact check; {id} becomes the conflict id (default:"
        " $PROVENANCE_REVIEW_URL)."
    ),
)
@click.option(
    "--base-uri",
    default="urn:provenance:",
    show_default=True,
    help="prov/prov-n: the URI prefix of identifiers.",
)
@pass_context
def export_command(
    obj: Context,
    fmt,
    subject,
    source,
    property_name,
    output,
    header_file,
    include_confidential,
    organisation,
    review_url,
    base_uri,
) -> None:
    """Export claims in an interchange format.

    csv, jsonl and yaml write the import format, one record per citation, so that
    `import` into a database built from the same documents gives the same claims;
    yaml (or csv/jsonl with --header) also carries text-less sources, properties,
    entities and aliases. claimreview writes one schema.org ClaimReview per conflict
    confirmed or resolved with `resolve`; prov and prov-n write the provenance
    graph. Confidential material is left out unless --include-confidential is given,
    and does not weigh in: ClaimReview ratings rest on public evidence alone.

    \b
    Example:
        provenance export --format yaml -o desk.yaml
        provenance export --format csv --subject Khazali -o khazali.csv --header vocabulary.yaml
        provenance export --format claimreview --organisation "Desk" --review-url "https://desk.example/checks/{id}"
        provenance export --format prov -o graph.json
    """
    from . import interchange

    if fmt == "claimreview" and not (organisation or "").strip():
        raise UserError(
            "--format claimreview needs --organisation NAME (or PROVENANCE_ORGANISATION): the"
            " reviews' author"
        )
    if header_file is not None and fmt not in ("csv", "jsonl"):
        raise UserError(
            f"--header is for --format csv or jsonl: {fmt}"
            f" {'carries the sections itself' if fmt == 'yaml' else 'has no import sections'}"
        )
    for path, option in ((output, "-o"), (header_file, "--header")):
        if path is not None:
            interchange.check_output_path(path, option)
    if output is not None and header_file is not None and output.resolve() == header_file.resolve():
        raise UserError(
            f"--header {str(header_file)!r} is the -o file: expected two different files"
        )

    with obj.reading() as session:
        scope = interchange.resolve_scope(
            session,
            subject=subject,
            source=source,
            property_name=property_name,
            include_confidential=include_confidential,
        )
        if fmt == "csv":
            interchange.check_csv_qualifiers(session, scope)
        tty = sys.stderr.isatty()
        if fmt in ("claimreview",):
            total, label = (interchange.count_reviews(session) if tty else 0), "Exporting reviews"
        elif fmt in ("prov", "prov-n"):
            total, label = (
                (interchange.count_claims(session, scope) if tty else 0),
                "Exporting claims",
            )
        else:
            total, label = (
                (interchange.count_citations(session, scope) if tty else 0),
                "Exporting citations",
            )
            scope.orphaned_skipped = interchange.count_orphaned(session, scope)

        def write(stream) -> str:
            bar = interchange.Progress(total, label)
            try:
                if fmt in ("csv", "jsonl", "yaml"):
                    records = interchange.iter_records(session, scope, tick=bar.tick)
                    if fmt == "csv":
                        count = interchange.write_csv(records, stream)
                    elif fmt == "jsonl":
                        count = interchange.write_jsonl(records, stream)
                    else:
                        count = interchange.write_yaml(session, scope, records, stream)
                    return f"{count} record(s)"
                if fmt == "claimreview":
                    reviews = interchange.iter_claim_reviews(
                        session, scope, organisation.strip(), review_url, tick=bar.tick
                    )
                    return f"{interchange.write_json_array(reviews, stream)} ClaimReview(s)"
                document, counts = interchange.build_prov(session, scope, base_uri, tick=bar.tick)
                if fmt == "prov":
                    document.serialize(stream, format="json", indent=2)
                else:
                    stream.write(document.get_provn())
                    stream.write("\n")
                return (
                    f"{counts.claims} claim(s), {counts.citations} citation(s), {counts.sources}"
                    f" source(s), {counts.speakers + counts.editors} agent(s)"
                )
            finally:
                bar.close()

        from contextlib import ExitStack

        # both files appear together when the export completes, neither when it fails
        with ExitStack() as files:
            if header_file is not None:
                sections = interchange.write_sections(
                    session, scope, files.enter_context(AtomicOutput(header_file))
                )
            summary = write(
                sys.stdout if output is None else files.enter_context(AtomicOutput(output))
            )
            sys.stdout.flush()

    report = (lambda line: click.echo(line, err=True)) if output is None else click.echo
    report(f"exported {summary}" + (f" to {output}" if output is not None else ""))
    if header_file is not None:
        report(
            f"wrote {sections['sources']} source(s), {sections['properties']} propert(ies),"
            f" {sections['entities']} entit(ies) to {header_file}"
        )
    if scope.orphaned_skipped:
        click.echo(
            f"warning: {scope.orphaned_skipped} orphaned citation(s) left out: their quote is no"
            " longer in the source text (see `provenance check`)",
            err=True,
        )
    if scope.withheld_reviews:
        click.echo(
            f"note: {scope.withheld_reviews} verdict(s) left out: a side rests on confidential"
            " sources only",
            err=True,
        )
    if fmt == "claimreview" and not review_url:
        click.echo(
            "warning: no --review-url: the reviews carry no url, which Google's fact-check markup"
            " requires",
            err=True,
        )
    if include_confidential:
        click.echo("warning: the export includes confidential material", err=True)


# ---------------------------------------------------------------- publishing


def _publish_progress():
    """Each step and its row count on one line of a terminal; nothing in a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(step: str, done: int, total: int) -> None:
        counted = f": {done:,}" + (f" of {total:,}" if total else "") if done or total else ""
        click.echo("\r" + f"Publishing {step}{counted}".ljust(72), err=True, nl=False)

    return show


def _working_identity(obj: Context) -> str:
    """The working database as recorded beside a public copy (a path, or a URL without password)."""
    target = obj.db or dbmod.default_db()
    if dbmod.is_url(target):
        from sqlalchemy.engine import make_url

        return make_url(target).render_as_string(hide_password=True)
    return str(Path(target).resolve())


def _run_publish(obj: Context, out: Path):
    from . import conflicts as conflictsmod
    from . import publish as publishmod
    from .public_copy import PublicCopy

    publishmod.check_target(out, obj.db or dbmod.default_db())
    # conflicts first, as `provenance conflicts` does: a short write transaction of its own
    with obj.writing() as session:
        conflictsmod.detect(session, obj.actor)
    show = _publish_progress()
    try:
        with PublicCopy(out, progress=show) as copy:
            with obj.reading() as session:  # one snapshot for the whole copy, no write lock
                copy.fill(session)
            report = copy.complete(_working_identity(obj))
    finally:
        if show is not None:
            click.echo("\r".ljust(73) + "\r", err=True, nl=False)
    return report


@cli.command("publish")
@click.argument("out", type=click.Path(path_type=Path))
@pass_context
def publish_command(obj: Context, out: Path) -> None:
    """Build the public copy for Datasette in a new SQLite file OUT.

    Only allowlisted tables and columns are written: no confidential source, no
    citation resting on one, no claim left without a public citation, no editor's
    note, no history, no names of who changed what. Conflicts and their leading
    values are computed on the public evidence alone. Adds full-text search, the
    views, and indexes. OUT is replaced atomically; the working database is only
    read (after bringing its conflicts up to date).

    \b
    Example:
        provenance publish db/public.db
        datasette -i db/public.db   # or: provenance serve
    """
    report = _run_publish(obj, out)
    rows = report.rows
    click.echo(
        f"published {out}: {rows['claims']:,} claims, {rows['citations']:,} citations,"
        f" {rows['sources']:,} sources, {rows['entities']:,} entities, {rows['conflicts']:,}"
        " conflicts"
    )
    click.echo(
        f"withheld: {report.confidential_sources} confidential source(s),"
        f" {report.withheld_citations:,} citation(s), {report.withheld_claims:,} claim(s),"
        f" {report.withheld_conflicts:,} conflict(s)"
    )
    if report.abandoned_removed:
        click.echo(
            f"deleted {report.abandoned_removed} temporary file(s) left by an interrupted publish"
            f" to {out}"
        )


@cli.command("serve")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every interface).",
)
@click.option(
    "--public-db",
    type=click.Path(path_type=Path),
    help=(
        "The public copy to serve (default: public.db beside the working SQLite file, else"
        " db/public.db)."
    ),
)
@click.option(
    "--republish", is_flag=True, help="Publish a new copy even when the existing one is current."
)
@pass_context
def serve_command(
    obj: Context, port: int, host: str, public_db: Path | None, republish: bool
) -> None:
    """Serve the public copy with Datasette, read-only.

    Checks that the port is free, publishes unless the public copy is current (the
    working database has not changed since it was published), then runs Datasette on
    the public copy alone — never the working database — immutable, with a 1 s SQL time
    limit, the project's metadata and its plugin (a page per claim and per conflict).
    A copy published over it later (`provenance publish`) is served from the next
    request on: that is the take-down path.

    \b
    Example:
        provenance serve
        provenance serve --port 8080 --host 0.0.0.0
    """
    from . import public_site
    from . import publish as publishmod

    working = obj.db or dbmod.default_db()
    out = public_db or public_site.default_public_path(working)
    publishmod.check_target(out, working)
    # the port first: a busy port is an error before anything is published
    sock = public_site.bind_port(host, port)
    try:
        with obj.reading() as session:
            state = publishmod.working_state(session)
        if not republish and publishmod.is_current(out, _working_identity(obj), state):
            click.echo(f"{out} is current (published {public_site.published_at(out)})")
        else:
            report = _run_publish(obj, out)
            click.echo(
                f"published {out}: {report.rows['claims']:,} claims, {report.rows['conflicts']:,}"
                " conflicts"
            )
        import uvicorn
        from datasette.cli import run_sync

        from . import datasette_plugin

        ds = public_site.datasette(out)
        run_sync(ds.invoke_startup)
        # after publishing, which may need more: SQLite's allocations while serving
        datasette_plugin.limit_sqlite_heap()
        click.echo(f"serving http://{host}:{port}/ (read-only; Ctrl-C stops)")
        sys.stdout.flush()  # a log file shows the address before the server's own lines
        config = uvicorn.Config(
            ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


# ---------------------------------------------------------------- extracting candidate claims


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
    default="quantity,date,leadership,attribution",
    show_default=True,
    help="Comma-separated kinds of candidates: quantity, date, leadership, attribution.",
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
        _report_import(report, f"{slug}.accepted.yaml")


# ---------------------------------------------------------------- learned source trust


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
    """Each source's grade, learned trust, track record and suggested copy group.

    A source is a document with the speaker it quotes. Trust starts from the A–F
    grade and is learned from how often the source's claims agree with the most
    likely answers, and above all from the desk's verdicts (preferred claims,
    resolved conflicts). Agreements and disagreements count disputed items only;
    sources that repeat one feed are suggested as a copy group and vote once.

    \b
    Example:
        provenance trust
        provenance trust --property killed --limit 10
        provenance trust --public --json
    """
    from . import trust as trustmod

    with obj.reading() as session:
        result = trustmod.compute_trust(session, public_only=public_only, property=property_name)
    emit(
        result.rows(),
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
        ],
    )


from . import cli_corrections  # noqa: E402,F401  (its commands join the groups above)
