"""The command line: parse, validate, open one transaction, call the library, print.

Every command runs in one transaction: it completes or changes nothing. A user's
mistake is one line on stderr and exit code 2; ``check`` and ``conflicts --fail``
exit 1 when they find problems.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from . import db as dbmod
from . import integrity, sources
from .errors import ProvenanceError
from .history import current_actor
from .output import emit, output_options


class UserError(click.ClickException):
    """A ProvenanceError reaching the boundary: one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class ProvenanceGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ProvenanceError as exc:
            raise UserError(str(exc)) from None
        except (sa_exc.OperationalError, sa_exc.DatabaseError) as exc:
            raise UserError(f"database error: {dbmod._first_line(exc)}") from None


class Context:
    def __init__(self, db: str | None, actor: str | None):
        self.db = db
        self.actor = current_actor(actor)

    def engine(self, *, create: bool = False, current: bool = True) -> Engine:
        engine = dbmod.make_engine(self.db, create=create)
        if current and not create:
            dbmod.require_current(engine)
        return engine

    @contextmanager
    def transaction(self, *, migrate: bool = False) -> Iterator[Session]:
        """One connection, one transaction for the whole command (migration included)."""
        engine = self.engine(create=migrate, current=not migrate)
        try:
            with engine.begin() as connection:
                if migrate:
                    from alembic import command

                    command.upgrade(dbmod.alembic_config(connection), "head")
                with Session(bind=connection, expire_on_commit=False, autoflush=True) as session:
                    yield session
                    session.flush()
        finally:
            engine.dispose()


pass_context = click.make_pass_decorator(Context)


def progress(items: list, label: str) -> Iterator:
    """A progress bar on a terminal, nothing in a pipe."""
    if sys.stderr.isatty() and len(items) > 1:
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield from bar
    else:
        yield from items


@click.group(cls=ProvenanceGroup)
@click.version_option(package_name="provenance")
@click.option(
    "--db",
    envvar="PROVENANCE_DB",
    metavar="PATH_OR_URL",
    help="SQLite file or SQLAlchemy URL (default: $PROVENANCE_DB, else db/provenance.db).",
)
@click.option("--actor", metavar="NAME", help="Who is making changes (default: $PROVENANCE_ACTOR, else your user name).")
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


def _manifest_specs(manifest: Path | None) -> dict[str, sources.SourceSpec]:
    if manifest is None:
        return {}
    return {spec.file: spec for spec in sources.load_manifest(manifest) if spec.file}


def _report_ingest(result: sources.IngestResult) -> None:
    source = result.source
    line = f"{result.status:9} {source.slug} ({source.file_name})"
    extras = []
    if result.sections:
        extras.append(f"{result.sections} comment sources")
    if result.footnotes:
        extras.append(f"{result.footnotes} footnotes")
    if extras:
        line += ": " + ", ".join(extras)
    click.echo(line)
    if result.status == "changed":
        click.echo(f"          text changed since the last ingest; new sha256 {source.sha256[:16]}…")
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
        sources.read_document(path)  # every file is checked before anything is written
    with obj.transaction() as session:
        for path in progress(list(files), "Ingesting"):
            _report_ingest(sources.ingest_file(session, path, specs.get(path.name), obj.actor))


@cli.command()
@click.option("--seeds", "seeds_dir", default="seeds", show_default=True, type=click.Path(path_type=Path), help="Folder with sources.yaml, the documents and claims.yaml.")
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
        raise UserError(f"--seeds {str(seeds_dir)!r} is not a folder: expected a folder with sources.yaml")
    specs = sources.load_manifest(manifest)
    for spec in specs:
        if spec.file:
            sources.read_document(seeds_dir / spec.file)
    with obj.transaction(migrate=True) as session:
        for spec in progress(specs, "Ingesting"):
            if spec.file:
                _report_ingest(sources.ingest_file(session, seeds_dir / spec.file, spec, obj.actor))


@cli.command("sources")
@output_options
@pass_context
def sources_list(obj: Context, fmt: str) -> None:
    """List the sources with their metadata.

    \b
    Example:
        provenance sources
        provenance sources --json
    """
    with obj.transaction() as session:
        rows = sources.list_sources(session)
    emit(rows, fmt, columns=["id", "slug", "kind", "published", "reliability", "authors", "footnotes", "citations", "title"])


@cli.command()
@click.argument("source")
@click.option("--unresolved", is_flag=True, help="Only notes (or parts of notes) that could not be resolved to a work.")
@output_options
@pass_context
def footnotes(obj: Context, source: str, unresolved: bool, fmt: str) -> None:
    """List a source's footnotes, their markers and the works they cite.

    SOURCE is an id, a slug or the file name the source was ingested from.
    `Ibid.` resolves to the note before it; a short form to the one earlier full
    citation of the same work; anything else is listed as unresolved.

    \b
    Example:
        provenance footnotes ctc-khazali-interrogations-2018
        provenance footnotes 000_f54a66cae721dd6b.txt --json
    """
    with obj.transaction() as session:
        rows = sources.list_footnotes(session, sources.find_source(session, source), unresolved_only=unresolved)
    if fmt == "table":
        rows = [
            {
                "note": r["number"],
                "resolution": r["resolution"] + (f" → {', '.join(map(str, r['resolves_to']))}" if r["resolves_to"] else ""),
                "markers": ", ".join(f"{m['start']}" for m in r["markers"]),
                "works": [w["title"] + (f", {w['locator']}" if w["locator"] else "") for w in r["works"]]
                + [f"UNRESOLVED: {p}" for p in r["unresolved_parts"]],
                "collection": sorted({w["collection"] for w in r["works"] if w["collection"]}),
            }
            for r in rows
        ]
    emit(rows, fmt)


@cli.command()
@pass_context
def check(obj: Context) -> None:
    """Check integrity; exit 1 with a line per problem.

    Checks that each source file is unchanged since it was ingested, stored texts
    match their SHA-256, footnote markers and quotes are at their offsets (orphans
    listed), foreign keys hold, and the database file is sound.

    \b
    Example:
        provenance check
    """
    with obj.transaction() as session:
        report = integrity.check(session)
    for notice in report.notices:
        click.echo(f"note: {notice}", err=True)
    for problem in report.problems:
        click.echo(f"PROBLEM: {problem}")
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    if report.ok:
        click.echo(f"ok: {counts} checked")
        return
    click.echo(f"{len(report.problems)} problem(s) in {counts}")
    sys.exit(1)


def main() -> None:  # pragma: no cover - console entry point convenience
    cli()
