"""Commands that correct what was entered without losing anything: `citation retract`,
`citation edit`, `entity rename`, `entity merge`, `alias remove`, `source edit`.

They hang on the groups of ``cli.py`` (which imports this module at its end). Each runs
in one writing transaction. All but `entity merge` (which records what it moved) say why
in history (``--reason`` is required: a correction nobody can explain later is a new
mistake), and re-detect conflicts in the same transaction when the correction can change
them, so `provenance conflicts` never shows a question that rests on withdrawn evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from .choices import CONFIDENCES, RELIABILITY_GRADES, SOURCE_KINDS, STANCES
from .cli import (
    Context,
    RowId,
    alias_group,
    cli,
    entity_group,
    pass_context,
    say,
    source_group,
)
from .lazy import lazy_module

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from . import citations as citationsmod
    from . import entities as entitiesmod
    from . import merge as mergemod
    from . import sources
else:  # loaded when a command first uses them: `provenance --help` stays light
    citationsmod = lazy_module("provenance.citations")
    entitiesmod = lazy_module("provenance.entities")
    mergemod = lazy_module("provenance.merge")
    sources = lazy_module("provenance.sources")

reason_option = click.option(
    "--reason", required=True, help="Why the correction is made (kept in history)."
)


def _redetect(session: Session, actor: str) -> str:
    """Conflict detection again, in the correction's transaction: what changed, in words."""
    from . import conflicts as conflictsmod

    found = conflictsmod.detect(session, actor)
    if not (found.new or found.gone or found.returned):
        return ""
    return (
        f"conflicts: {found.new} new, {found.gone} no longer detected,"
        f" {found.returned} detected again"
    )


def _show_changes(changes: dict[str, list[Any]]) -> None:
    for field, (old, new) in changes.items():
        say(f"  {field}: {old!r} → {new!r}")


@cli.group("citation")
def citation_group() -> None:
    """Correct one citation: retract it or edit it (nothing is deleted)."""


@citation_group.command("retract")
@click.argument("citation_id", type=RowId("citation", "provenance show CLAIM"))
@reason_option
@pass_context
def citation_retract(obj: Context, citation_id: int, reason: str) -> None:
    """Retract citation CITATION_ID: kept, shown struck in `show`, evidence no more.

    A retracted citation supports nothing: it takes no part in conflicts, trust,
    the published copy or exports. The claim's other citations are untouched; a
    claim left with no live citation drops out of conflicts and the public copy.

    \b
    Example:
        provenance citation retract 14 --reason "the quote is the commenter's, not the reporter's"
    """
    with obj.writing() as session:
        citation = citationsmod.get_citation(session, citation_id)
        citationsmod.retract(session, citation, reason, obj.actor)
        claim_id = citation.claim_id
        detected = _redetect(session, obj.actor)
    say(f"citation {citation_id} of claim {claim_id} retracted: {reason}")
    if detected:
        say(detected)


@citation_group.command("edit")
@click.argument("citation_id", type=RowId("citation", "provenance show CLAIM"))
@click.option("--source", help="The source it cites instead (id, slug or file name).")
@click.option("--footnote", help="The footnote number instead.")
@click.option("--quote", help="The quote instead (anchored in the source anew).")
@click.option("--occurrence", help="Which place of a quote found more than once (1 = first).")
@click.option("--attributed-to", "attributed_to", help="Who the source quotes ('' for nobody).")
@click.option("--stance", type=click.Choice(STANCES), help="asserts or denies.")
@click.option("--confidence", type=click.Choice(CONFIDENCES), help="high, medium or low.")
@click.option("--note", help="The editor's note instead ('' to clear it).")
@reason_option
@pass_context
def citation_edit(obj: Context, citation_id: int, reason: str, **options: Any) -> None:
    """Edit citation CITATION_ID: the fields given change, the rest stay.

    The citation is validated again as `add` validates it: a new source or quote
    is looked for in the source and anchored anew (its footnote follows the new
    quote's sentence unless --footnote is given). History keeps every old value.

    \b
    Example:
        provenance citation edit 14 --quote "at least 70 people were killed" \\
            --confidence high --reason "quote copied from the wrong paragraph"
    """
    edits = {k: v for k, v in options.items() if v is not None}
    with obj.writing() as session:
        citation = citationsmod.get_citation(session, citation_id)
        result = citationsmod.edit(session, citation, edits, reason, obj.actor)
        claim_id = citation.claim_id
        detected = _redetect(session, obj.actor)
    say(f"citation {citation_id} of claim {claim_id} edited: {reason}")
    _show_changes(result.changes)
    for name in result.entities_created:
        say(f"  new entity: {name}")
    if detected:
        say(detected)


@entity_group.command("rename")
@click.argument("entity")
@click.argument("name")
@reason_option
@pass_context
def entity_rename(obj: Context, entity: str, name: str, reason: str) -> None:
    """Give ENTITY the canonical name NAME; the old name stays an alias.

    \b
    Example:
        provenance entity rename "Qayis al-Khazali" "Qais al-Khazali" \\
            --reason "spelling of the CTC report"
    """
    with obj.writing() as session:
        old = entitiesmod.rename_entity(session, entity, name, obj.actor, reason)
    say(f"entity {old!r} renamed {name!r}; {old!r} stays an alias")


@entity_group.command("merge")
@click.argument("keep")
@click.argument("other")
@pass_context
def entity_merge(obj: Context, keep: str, other: str) -> None:
    """Merge OTHER into KEEP: two names found to be one person, group or place.

    Every name of OTHER becomes an alias of KEEP, and its claims, values, quotes
    and qualifiers point to KEEP. A claim that then repeats an existing claim has
    its citations moved there and is deprecated with the reason (nothing is
    deleted). Use `alias suggest` to find candidates; nothing is merged by itself.

    \b
    Example:
        provenance entity merge "Abu Mahdi al-Muhandis" "Abu Mahdi al-Muhannis"
    """
    with obj.writing() as session:
        report = mergemod.merge_entities(session, keep, other, obj.actor)
        keep_name = report.keep.name
    say(
        f"merged {report.other_name!r} into {keep_name!r}: {report.aliases_moved} name(s), "
        f"{report.claims_repointed} claim(s), {report.citations_repointed} quoted speaker(s)"
    )
    for folded, survivor in report.claims_folded:
        say(
            f"  claim {folded} repeated claim {survivor}: its citations moved there, claim {folded}"
            " deprecated"
        )


@alias_group.command("remove")
@click.argument("entity")
@click.argument("alias")
@reason_option
@pass_context
def alias_remove(obj: Context, entity: str, alias: str, reason: str) -> None:
    """Remove ALIAS from ENTITY: a name that was wrongly given to it.

    History keeps the name, the entity and the reason (`alias add` puts it back).
    Conflicts are detected again, since qualifiers match through aliases.

    \b
    Example:
        provenance alias remove "Qais al-Khazali" "Laith al-Khazali" \\
            --reason "his brother, not another spelling"
    """
    with obj.writing() as session:
        found, removed = entitiesmod.remove_alias(session, entity, alias, obj.actor, reason)
        entity_name = found.name
        detected = _redetect(session, obj.actor)
    say(f"{removed!r} no longer names {entity_name!r}")
    if detected:
        say(detected)


@source_group.command("edit")
@click.argument("source_ref", metavar="SOURCE")
@click.option("--title", help="Title of the source.")
@click.option("--authors", help="Authors, separated by ';'.")
@click.option("--publisher", help="Publisher.")
@click.option("--url", help="Where it can be found.")
@click.option("--published", help="Publication date (EDTF: 2018-11-30, 2021-03~).")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), help="What the source is.")
@click.option(
    "--reliability",
    type=click.Choice(RELIABILITY_GRADES),
    help="Admiralty grade: A completely reliable … E unreliable, F cannot be judged.",
)
@click.option(
    "--confidential/--public",
    default=None,
    help="Never published (see `publish`), or published again.",
)
@reason_option
@pass_context
def source_edit(obj: Context, source_ref: str, reason: str, **options: Any) -> None:
    """Edit the metadata of SOURCE; history keeps the old values.

    Making a source confidential or public describes again the works its
    footnotes cite, as ingesting does; the next `publish` follows.

    \b
    Example:
        provenance source edit ctc-khazali-interrogations-2018 --reliability A \\
            --reason "the CTC report is the primary record"
    """
    edits = {k: v for k, v in options.items() if v is not None}
    if "authors" in edits:
        edits["authors"] = [a.strip() for a in edits["authors"].split(";") if a.strip()]
    with obj.writing() as session:
        source = sources.find_source(session, source_ref)
        changes = sources.edit_source(session, source, edits, obj.actor, reason)
        slug = source.slug
        detected = _redetect(session, obj.actor) if "published" in changes else ""
    say(f"source {slug!r} edited: {reason}")
    _show_changes(changes)
    if detected:
        say(detected)
