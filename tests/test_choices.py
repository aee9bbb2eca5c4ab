"""The fixed values of the schema's columns (choices.py): what the CLI offers is what the
database accepts, on both back ends."""

from __future__ import annotations

import click
import pytest
from sqlalchemy import exc, text

from provenance import choices
from provenance import db as dbmod
from provenance.cli import cli

CONSTANTS = {name: value for name, value in vars(choices).items() if name.isupper()}
# options whose choices are not a column's values
NOT_COLUMN_VALUES = {("log", "--table")}


def _choice_options(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _choice_options(command, path)
            continue
        for param in command.params:
            if isinstance(param.type, click.Choice) and (name, param.opts[0]) not in (
                NOT_COLUMN_VALUES
            ):
                yield " ".join(path), param.opts[0], tuple(param.type.choices)


OPTIONS = list(_choice_options(cli))


@pytest.mark.parametrize("command,option,offered", OPTIONS, ids=[f"{c} {o}" for c, o, _ in OPTIONS])
def test_every_choice_the_cli_offers_is_one_of_the_schemas(command, option, offered):
    """A listing's filter may add "all"; otherwise the values are the constant, in order."""
    matching = [name for name, values in CONSTANTS.items() if offered in (values, (*values, "all"))]
    assert matching, (
        f"`{command} {option}` offers {offered}, a list copied from no choices.py constant"
    )


COLUMNS = [
    ("sources", "reliability", choices.RELIABILITY_GRADES),
    ("sources", "kind", choices.SOURCE_KINDS),
    ("entities", "kind", choices.ENTITY_KINDS),
    ("properties", "datatype", choices.DATATYPES),
    ("claims", "rank", choices.RANKS),
    ("citations", "stance", choices.STANCES),
    ("citations", "confidence", choices.CONFIDENCES),
]


@pytest.mark.parametrize("table,column,values", COLUMNS, ids=[f"{t}.{c}" for t, c, _ in COLUMNS])
def test_the_database_takes_each_value_and_refuses_any_other(seeded_db, table, column, values):
    update = text(f"UPDATE {table} SET {column} = :value WHERE id = (SELECT MIN(id) FROM {table})")
    engine = dbmod.make_engine(str(seeded_db))
    try:
        with engine.connect() as connection:
            for value in values:
                transaction = connection.begin()
                assert connection.execute(update, {"value": value}).rowcount == 1
                transaction.rollback()
            transaction = connection.begin()
            with pytest.raises(exc.IntegrityError):
                connection.execute(update, {"value": "x"})  # fits every column, is no choice
            transaction.rollback()
    finally:
        engine.dispose()
