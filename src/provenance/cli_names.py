"""Commands about names: `entity add`, `entities`, `alias add`, `alias suggest`,
`alias distinct`, `property add`, `properties` (the vocabulary claims use).

Renaming, merging and removing names are corrections: see cli_corrections.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .choices import DATATYPES, ENTITY_KINDS
from .cli import Context, alias_group, cli, entity_group, pass_context, property_group, say
from .lazy import lazy_module
from .output import emit, limit_option, output_options

if TYPE_CHECKING:
    from . import entities as entitiesmod
else:  # loaded when a command first uses it: `provenance --help` stays light
    entitiesmod = lazy_module("provenance.entities")


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
