"""SQL the model runs: one connection that may write temporary tables, portable pieces.

:class:`Sql` runs statements on SQLite and PostgreSQL alike (on a reading transaction
too: see :func:`working_connection`); the other functions return SQL fragments: the
document of a citation, a live citation, the desk's answers, a clamped log-odds vote.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..models import Citation
from . import settings


def document_of(citation: str = "ci") -> str:
    """SQL for the document a citation comes from: a copy and its original are one
    document (``Source.document_id``; a copy the desk rejected is its own)."""
    return (
        "COALESCE((SELECT sc.original_id FROM source_copies sc"
        f" WHERE sc.source_id = {citation}.source_id AND sc.status <> 'rejected'),"
        f" {citation}.source_id)"
    )


def live_citation(citation: str = "ci") -> str:
    """SQL true for a citation that is evidence here: live (not retracted) and asserting."""
    return f"{citation}.stance = 'asserts' AND {Citation.live_sql(citation)}"


def desk_answers() -> str:
    """SQL selecting ``claim_id`` of every answer the desk accepted: known truth.

    A ``preferred`` claim, and the answer a resolved question accepts
    (``resolve --answer``: ``conflicts.answer_claim_id``, asserted). The item of an
    accepted claim is the claim's own (subject, property, scope key), so this is the set
    of (item, accepted claim) pairs.
    """
    return """
        SELECT id AS claim_id FROM claims WHERE rank = 'preferred'
        UNION
        SELECT f.answer_claim_id FROM conflicts f
        WHERE f.status = 'resolved' AND f.answer_claim_id IS NOT NULL
          AND COALESCE(f.answer_stance, 'asserts') = 'asserts'
    """


class Rows:
    """Rows already read: ``all()``, ``scalar()`` and iteration, as a result offers them."""

    def __init__(self, rows: list[Any]):
        self.rows = rows

    def all(self) -> list[Any]:
        return self.rows

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def __iter__(self) -> Any:
        return iter(self.rows)


class Sql:
    """Statements on one connection, portable between SQLite and PostgreSQL."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.query_only = bool(
            self.sqlite and connection.exec_driver_sql("PRAGMA query_only").scalar()
        )

    def __call__(
        self, sql: str, params: Mapping[str, Any] | list[dict[str, Any]] | None = None
    ) -> Any:
        if self.sqlite and self.query_only:
            # a reading transaction: temporary tables only, so lift query_only around it
            self.connection.exec_driver_sql("PRAGMA query_only = OFF")
            try:
                return self._run(sql, params)
            finally:
                self.connection.exec_driver_sql("PRAGMA query_only = ON")
        return self._run(sql, params)

    def _run(self, sql: str, params: Mapping[str, Any] | list[dict[str, Any]] | None) -> Any:
        if isinstance(params, list):
            return self.connection.execute(text(sql), params)
        result = self.connection.execute(text(sql), dict(params or {}))
        # rows are read now, while query_only is lifted no longer matters for reads
        return Rows(list(result.all())) if result.returns_rows else result

    def drop(self, *tables: str) -> None:
        schema = "temp" if self.sqlite else "pg_temp"
        for table in tables:
            self(f"DROP TABLE IF EXISTS {schema}.{table}")

    def math_functions(self) -> None:
        """SQLite builds without its math functions get Python's (PostgreSQL has its own)."""
        if not self.sqlite:
            return
        try:
            self("SELECT exp(0.0), ln(1.0)")
        except Exception:
            raw = self.connection.connection.driver_connection
            assert raw is not None
            raw.create_function("exp", 1, math.exp, deterministic=True)
            raw.create_function("ln", 1, math.log, deterministic=True)


@contextmanager
def bounded_cache(sql: Sql) -> Iterator[None]:
    """SQLite's page cache held at ``CACHE_KIB`` for the database and the temporary one
    inside, the connection's own sizes restored after: the model's memory does not grow
    with the data (its work spills to temporary files)."""
    if not sql.sqlite or settings.CACHE_KIB <= 0:
        yield
        return
    run = sql.connection.exec_driver_sql
    saved = {schema: run(f"PRAGMA {schema}.cache_size").scalar() for schema in ("main", "temp")}
    for schema in saved:
        run(f"PRAGMA {schema}.cache_size = -{int(settings.CACHE_KIB)}")
    try:
        yield
    finally:
        for schema, size in saved.items():
            run(f"PRAGMA {schema}.cache_size = {size}")


SIDE = "provenance.trust.connection"


def working_connection(session: Session) -> Connection:
    """A connection that sees the session's snapshot and may write temporary tables.

    A reading transaction refuses writes, temporary tables included. On SQLite its
    ``query_only`` is lifted around each statement here (temporary tables live outside
    the database file, which stays untouched, and no write lock is taken). On
    PostgreSQL a ``READ ONLY`` transaction cannot create them at all: the work runs on a
    second connection of the same engine that imports the session's snapshot
    (``pg_export_snapshot``), so it reads exactly what the session reads; it is closed
    when the session's transaction ends.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return connection
    if connection.exec_driver_sql("SHOW transaction_read_only").scalar() != "on":
        return connection
    side: Connection | None = session.info.get(SIDE)
    if side is not None:
        return side
    snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
    opened = connection.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    opened.begin()
    opened.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
    session.info[SIDE] = opened

    def close(_session: Session, transaction: Any) -> None:
        if transaction.parent is None and session.info.get(SIDE) is opened:
            del session.info[SIDE]
            opened.close()

    event.listen(session, "after_transaction_end", close)
    return opened


def exp(expression: str) -> str:
    return f"(CASE WHEN ({expression}) < {settings.EXP_FLOOR} THEN 0.0 ELSE exp({expression}) END)"


def clamped(expression: str) -> str:
    floor, ceiling = settings.ACCURACY_FLOOR, settings.ACCURACY_CEILING
    return (
        f"(CASE WHEN ({expression}) < {floor} THEN {floor} "
        f"WHEN ({expression}) > {ceiling} THEN {ceiling} ELSE ({expression}) END)"
    )


def log_odds(accuracy: str) -> str:
    a = clamped(accuracy)
    vote = f"ln({settings.N_FALSE} * {a} / (1.0 - {a}))"
    floor = vote_floor()
    return f"(CASE WHEN {vote} < {floor} THEN {floor} ELSE {vote} END)"


def vote_floor() -> float:
    """The least vote: 0 (ACCU: a source worse than chance is ignored, not read backwards);
    ``ln N_FALSE`` under POPACCU (``popularity.py``), whose chance is A = 0.5."""
    return math.log(settings.N_FALSE) if settings.VOTE == "popaccu" else 0.0


def case(column: str, mapping: Mapping[str, float], default: float) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v!r}" for k, v in mapping.items())
    return f"(CASE {column} {whens} ELSE {default!r} END)"
