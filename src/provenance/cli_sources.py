"""Commands about sources: `init`, `ingest`, `build`, `sources`, `footnotes`, `check`,
`source add`, `source copy-of`, `source not-copy`.

The database itself (`init`, `build`, `check`) is here too: building it is ingesting the
seeds' sources (and importing their claims), and `check` checks what ingest stored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .choices import RELIABILITY_GRADES, SOURCE_KINDS
from .cli import Context, UserError, cli, pass_context, say, source_group
from .lazy import lazy_module
from .output import emit, limit_option, output_options, progress

if TYPE_CHECKING:
    from . import db as dbmod
    from . import importer, integrity, sources
    from . import ingest as ingestmod
    from . import manifest as manifestmod
else:  # loaded when a command first uses them: `provenance --help` stays light
    dbmod = lazy_module("provenance.db")
    importer = lazy_module("provenance.importer")
    ingestmod = lazy_module("provenance.ingest")
    integrity = lazy_module("provenance.integrity")
    manifestmod = lazy_module("provenance.manifest")
    sources = lazy_module("provenance.sources")


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
    from .cli_claims import report_import

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
        report_import(imported, claims_file.name)


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
