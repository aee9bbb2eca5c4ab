"""Commands that take data out of the working database: `publish` (the public copy),
`serve` (Datasette on it), `export` (interchange formats) and `backup`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .choices import EXPORT_FORMATS
from .cli import Context, UserError, cli, pass_context
from .files import AtomicOutput
from .lazy import lazy_module

if TYPE_CHECKING:
    from . import db as dbmod
else:  # loaded when a command first uses it: `provenance --help` stays light
    dbmod = lazy_module("provenance.db")


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
    from . import leading as leadingmod
    from . import publish as publishmod
    from .public_copy import PublicCopy

    publishmod.check_target(out, obj.db or dbmod.default_db())
    # conflicts first, as `provenance conflicts` does: a short write transaction of its own,
    # which detects only when the evidence changed since the last detection
    with obj.writing() as session:
        conflictsmod.detect(session, obj.actor, reuse=True)
        # trust on public evidence: stored, recomputed only when that evidence changed
        leadingmod.refresh(session, public_only=True)
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

        from .datasette_plugin import served_copy

        ds = public_site.datasette(out)
        run_sync(ds.invoke_startup)
        # after publishing, which may need more: SQLite's allocations while serving
        served_copy.limit_sqlite_heap()
        click.echo(f"serving http://{host}:{port}/ (read-only; Ctrl-C stops)")
        sys.stdout.flush()  # a log file shows the address before the server's own lines
        config = uvicorn.Config(
            ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
