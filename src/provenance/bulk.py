"""The bulk-insert engine: many rows of one table in one statement, in the caller's transaction.

An import writes three rows or more per record, and the ORM's per-row work (collecting
parameters, running each column's bind processor through its compiled statement) cost
more than SQLite's own insert. On SQLite the rows here go straight to the driver, many
rows to a statement (``write_rows``), each value converted exactly as SQLAlchemy would
convert it; other back ends take the ORM's bulk insert. Rows of a table that records the
change inserting them (``change_id``) get the session's change (``history.change_id``).

* ``bulk_insert(session, model, rows)`` rows given as dicts of the same keys;
* ``insert_ids(session, model, rows)`` the same, returning the new ids in order;
* ``RowFormat`` one table's INSERT of given columns, for a writer that prepares each
  row's values once and writes them batch after batch (the claim writer, claims.py);
* ``rows_with_keys(session, model, columns, key_columns, keys)`` the rows whose unique
  key is one of ``keys``: how a batch finds what is already stored.

On SQLite a batch goes in as statements of up to ``ROWS_PER_STATEMENT`` rows each
(``write_rows``), not one statement run once per row: see ``write_rows`` for why.

This module knows tables, not claims: what a record becomes is decided in records.py and
preparer.py, and written by the claim writer (claims.py) and the entity batches
(entities.py) through these functions.
"""

from __future__ import annotations

import enum
import itertools
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import insert, select, tuple_
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from . import history
from .errors import ProvenanceError

# the "last value converted" of a column before its first row (no value is this object)
_NOT_YET = object()
# rows one INSERT statement carries on SQLite (fewer when they would need more parameters
# than the library allows): measured at 200,000 claims and citations, 100 rows a statement
# took 25 % more time than 500, 1,000 no less than 500
ROWS_PER_STATEMENT = 500
# SQLite's own limit on a statement's parameters before 3.32, when the driver cannot say
_DEFAULT_PARAMETER_LIMIT = 999


class _PerRow(enum.Enum):
    """A column whose value each row gives (``write_rows``); an enum so type checkers narrow it."""

    PER_ROW = enum.auto()


PER_ROW = _PerRow.PER_ROW


def write_rows(
    connection: Any,
    table: str,
    columns: Sequence[str],
    rows: list[tuple],
    shared: Sequence[Any] | None = None,
) -> None:
    """Insert ``rows`` into ``table`` on SQLite, many rows to a statement.

    ``rows`` hold the values of the columns that ``shared`` marks ``PER_ROW`` (all of them
    when ``shared`` is None), in order; ``shared`` gives every other column the one value
    all rows share. The rows go in as ``INSERT INTO table (columns) SELECT … FROM (VALUES
    (?, …), (?, …), …)``, up to ``ROWS_PER_STATEMENT`` rows to a statement, in order, so
    their rowids follow the rows' order as with one statement a row (``_numbered`` relies
    on it). A shared value is bound once per statement, in the select list, so the
    statement's text is the same from one batch to the next (the driver keeps it
    compiled) and holds no value.

    Why: the driver's ``executemany`` runs its statement once per row, and each run (a
    step, a reset, a call per bound value) cost about as much as SQLite's own insert
    into our indexed tables. 200,000 claims and 200,000 citations of a five-column
    import took 2.5 s of CPU one row a statement, 1.2 s at 500 rows a statement.
    """
    if not rows:
        return
    if shared is None:
        shared = [PER_ROW] * len(columns)
    width = len(rows[0])
    if not width or width != sum(value is PER_ROW for value in shared):
        raise ValueError(f"rows for {table} give {width} values for {list(shared)}")
    constants = tuple(value for value in shared if value is not PER_ROW)
    per_statement = max(
        1, min(ROWS_PER_STATEMENT, (_parameter_limit(connection) - len(constants)) // width)
    )
    bound = itertools.count(1)
    select_list = ", ".join(f"column{next(bound)}" if v is PER_ROW else "?" for v in shared)
    row_sql = "(" + ", ".join("?" * width) + ")"

    def statement(count: int) -> str:
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select_list}"
            f" FROM (VALUES {', '.join([row_sql] * count)})"
        )

    flat = list(itertools.chain.from_iterable(rows))
    step = per_statement * width
    whole = len(rows) // per_statement * step
    if whole:
        connection.exec_driver_sql(
            statement(per_statement),
            [constants + tuple(flat[start : start + step]) for start in range(0, whole, step)],
        )
    # the rows left over go in statements of 2**k rows: a few texts, each compiled once
    # per import, where one statement of the rest would be compiled anew for every batch
    start, left = whole, (len(flat) - whole) // width
    while left:
        count = 1 << (left.bit_length() - 1)
        end = start + count * width
        connection.exec_driver_sql(statement(count), constants + tuple(flat[start:end]))
        start, left = end, left - count


def _parameter_limit(connection: Any) -> int:
    """The most parameters one statement may have on this SQLite connection."""
    driver = connection.connection.dbapi_connection
    getlimit = getattr(driver, "getlimit", None)  # Python 3.11 and later
    which = getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER", None)
    if getlimit is None or which is None:
        return _DEFAULT_PARAMETER_LIMIT
    return int(getlimit(which))


class RowFormat:
    """One table's INSERT of given columns, and its values as the driver takes them.

    On SQLite the rows go straight to the driver (``write_rows``), each value converted
    once by its column's bind processor (datetimes, JSON, booleans) exactly as
    SQLAlchemy would: the ORM's per-row parameter work cost more than SQLite's insert,
    and an import writes three rows or more per record. Other back ends take the ORM's
    bulk insert with the Python values.
    """

    def __init__(self, session: Session, model, columns: tuple[str, ...], *, inline: bool = False):
        """``inline``: bind a value shared by every row of a batch once per statement, not once
        per row (see _with_constants)."""
        dialect = session.get_bind().dialect
        self.model, self.columns, self.inline = model, columns, inline
        self.sqlite = dialect.name == "sqlite"
        table = model.__table__
        self.processors: dict[str, Any] = {}
        self._slots: dict[tuple[str, ...], list[tuple[int, Any]]] = {}
        if self.sqlite:
            for name in columns:
                processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    self.processors[name] = processor

    def ready(self, columns: tuple[str, ...], values: Iterable[Any]) -> tuple:
        """Values of ``columns`` (a part of this format's) in the driver's form."""
        values = list(values)
        slots = self._slots.get(columns)
        if slots is None:
            slots = self._slots[columns] = [
                (i, self.processors[c]) for i, c in enumerate(columns) if c in self.processors
            ]
        for index, processor in slots:
            values[index] = processor(values[index])
        return tuple(values)

    def _with_constants(self, rows: list[tuple]) -> tuple[list[Any], list[tuple]]:
        """Each column's value shared by every row (``PER_ROW`` where the rows differ), and the
        rows' values of the ``PER_ROW`` columns (see ``write_rows``).

        SQLite's driver binds every parameter of every row, and an import's batches
        repeat many: the actor and the time, and the columns a citation of a source
        with no text leaves empty. A NULL, integer or text value shared by all rows is
        bound once per statement instead (only those: ``1 == 1.0 == True`` in Python, and
        a shared float is rare). At least one column stays per row.
        """
        if not self.inline or len(rows) < 2:
            return [PER_ROW] * len(self.columns), rows
        shared: list[Any] = []
        keep = []
        count = len(rows)
        # the rows' columns side by side (one C-level pass); a column that ends on
        # another value than it starts with is told at once
        for index, column in enumerate(zip(*rows, strict=True)):
            first = column[0]
            kind = first.__class__
            same = (
                (first is None or kind is str or kind is int)
                and column[-1] == first
                and column.count(first) == count
                and (kind is not int or len(set(map(type, column))) == 1)
            )
            if same:
                shared.append(first)
            else:
                keep.append(index)
                shared.append(PER_ROW)
        if not keep:  # a statement needs one value a row to have rows
            keep.append(0)
            shared[0] = PER_ROW
        if len(keep) == len(self.columns):
            return shared, rows
        if len(keep) > 1:
            rows = list(map(operator.itemgetter(*keep), rows))
        else:
            rows = [(row[keep[0]],) for row in rows]
        return shared, rows

    def insert(self, session: Session, rows: list[tuple], *, ids: bool = False) -> Sequence[int]:
        """Insert ``rows`` (tuples of this format's columns, ready) in one statement; with ``ids``,
        their ids in order."""
        if not rows:
            return []
        if not self.sqlite:
            dicts = [dict(zip(self.columns, row, strict=True)) for row in rows]
            if ids:
                return insert_ids(session, self.model, dicts)
            bulk_insert(session, self.model, dicts)
            return []
        session.flush()  # anything pending in the ORM goes first, as session.execute would do
        connection = session.connection()
        shared, values = self._with_constants(rows)
        table = self.model.__tablename__

        def write() -> None:
            write_rows(connection, table, self.columns, values, shared)

        if not ids:
            write()
            return []
        return _numbered(session, self.model, len(rows), write)


def _bulk(model):
    """An ORM INSERT for many rows in one statement (the path of back ends other than SQLite).

    ``render_nulls``: without it the ORM leaves out columns whose value is None and
    splits the rows into one statement per distinct set of columns (20,000 citations
    became some 6,500 statements).
    """
    return insert(model).execution_options(render_nulls=True)


def bulk_insert(session: Session, model, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) in the session's transaction, in one statement.

    On SQLite the rows go straight to the driver (``write_rows``): the ORM's per-row
    work (collecting parameters, running every column's bind processor through its
    compiled statement) cost more than SQLite's own insert, and an import writes three
    rows or more per record. The values are still converted exactly as SQLAlchemy would
    (each column's bind processor, e.g. datetimes and JSON), and columns left out get
    their Python-side defaults, computed once per call. Rows of a table that records the
    change inserting them get the session's change (``history.change_id``) unless given
    one. Other back ends take the ORM path.
    """
    if not rows:
        return
    table = model.__table__
    change = (
        history.change_id(session)
        if "change_id" in table.c and "change_id" not in rows[0]
        else None
    )
    session.flush()  # anything pending in the ORM goes first, as session.execute would do
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        if change is not None:
            rows = [{**row, "change_id": change} for row in rows]
        session.execute(_bulk(model), rows)
        return
    columns = list(rows[0])
    width = len(columns)
    constants: dict[str, Any] = {}
    if change is not None:
        constants["change_id"] = change
    for column in table.columns:
        if column.name in rows[0] or column.primary_key or column.default is None:
            continue
        default = column.default
        constants[column.name] = default.arg(None) if default.is_callable else default.arg
    processors = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            # [column index, processor, last value in, its value out]
            processors.append([index, processor, _NOT_YET, None])
    constant_values = []
    for name, value in constants.items():
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        constant_values.append(processor(value) if processor else value)
    extra = tuple(constant_values)
    getter = operator.itemgetter(*columns)
    params: list[tuple] = []
    append = params.append
    for row in rows:
        if len(row) != width:
            raise ValueError(
                f"rows for {table.name} differ in their columns: {sorted(row)} against"
                f" {sorted(columns)}"
            )
        values = getter(row)
        if width == 1:
            values = (values,)
        if processors:
            values = list(values)
            for slot in processors:
                value = values[slot[0]]
                if value is not slot[2]:  # the same object as the row before (a batch's `now`)
                    slot[2], slot[3] = value, slot[1](value)
                values[slot[0]] = slot[3]
            values = tuple(values)
        append(values + extra if extra else values)
    names = columns + list(constants)
    write_rows(connection, table.name, names, params)


def rows_with_keys(
    session: Session,
    model,
    columns: tuple[str, ...],
    key_columns: tuple[str, ...],
    keys: list[tuple],
) -> Sequence[Any]:
    """The rows of ``model`` whose ``key_columns`` equal one of ``keys``, by the unique index.

    SQLite answers ``(a, b) IN (VALUES …)`` by scanning the whole index for every batch,
    which made an import slow down as the table grew; there the keys go in as one JSON
    array, joined row by row to the index. Other back ends take the row-value IN.
    """
    if not keys:
        return []
    if session.get_bind().dialect.name != "sqlite":
        table = model.__table__
        return session.execute(
            select(*(table.c[c] for c in columns)).where(
                tuple_(*(table.c[c] for c in key_columns)).in_(keys)
            )
        ).all()
    table = model.__tablename__
    joins = " AND ".join(
        f"t.{c} = json_extract(k.value, '$[{i}]')" for i, c in enumerate(key_columns)
    )
    sql = (
        f"SELECT {', '.join('t.' + c for c in columns)} FROM json_each(:keys) AS k JOIN {table} AS"
        f" t ON {joins}"
    )
    return session.execute(sql_text(sql), {"keys": json.dumps(keys)}).all()


def insert_ids(session: Session, model, rows: list[dict[str, Any]]) -> Sequence[int]:
    """Insert rows in one statement and return their ids, in order (see ``_numbered``
    for SQLite)."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite":
        if "change_id" in model.__table__.c and "change_id" not in rows[0]:
            change = history.change_id(session)
            rows = [{**row, "change_id": change} for row in rows]
        return (
            session.execute(_bulk(model).returning(model.id, sort_by_parameter_order=True), rows)
            .scalars()
            .all()
        )
    session.flush()
    return _numbered(session, model, len(rows), lambda: bulk_insert(session, model, rows))


def _numbered(session: Session, model, count: int, write: Callable[[], Any]) -> list[int]:
    """The ids of the ``count`` rows that ``write`` inserts into ``model``'s table without ids, in
    order.

    On SQLite the writer holds the write lock (BEGIN IMMEDIATE), and rows inserted
    without an explicit id get consecutive rowids after the table's largest, so the ids
    are computed rather than returned row by row (which SQLAlchemy would otherwise do to
    keep them in order); the count is checked afterwards.
    """
    connection = session.connection()
    before = connection.exec_driver_sql(f"SELECT max(id) FROM {model.__tablename__}").scalar() or 0
    write()
    after = connection.exec_driver_sql(f"SELECT max(id) FROM {model.__tablename__}").scalar() or 0
    if after - before != count:  # pragma: no cover - would mean rowids were not consecutive
        raise ProvenanceError(
            f"could not number {count} new {model.__tablename__} rows: run the import again"
        )
    return list(range(before + 1, after + 1))
