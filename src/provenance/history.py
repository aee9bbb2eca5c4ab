"""The record of who changed what, when: the one writer of history.

History is kept as **changesets**. A writing command is one ``changes`` row: the actor,
the time, the command and its arguments, and for an import the file's name and
SHA-256. Every row the command inserts carries that change's id in its ``change_id``
column (stamped here on ORM rows at flush, and given to bulk inserts by ``change_id``),
so an import of a million claims writes one changes row rather than a history row per
claim and per citation. What a command does to a row that already existed — an update,
a rank or status change, a delete — is one ``history`` row (old → new, and why) that
points to the change.

The small API, for library code that takes the session first and never commits:

* ``begin_change(session, actor, command, arguments, file=None)`` declares the command
  (the CLI does it when a writing command opens its session). The ``changes`` row is
  written when the command first writes something, so a command that finds nothing
  to do (a re-run of ``conflicts``) leaves no trace and does not make a public copy
  stale.
* ``change_id(session, actor=None)`` the current change's id, written now if it was
  not yet (a library caller that declared none gets one for ``actor``).
* ``inserted(session, table, row_id, actor)`` a row the command added by hand (the
  ORM's and the bulk inserts' rows need nothing).
* ``updated(session, table, row_id, before, after, reason)`` one row's fields as they
  were and are: a history row of the fields that differ (nothing when none does).
* ``changed(session, table, row_id, action, changes, reason)`` a history row as given
  (an update described otherwise than field by field, or a delete);
  ``changed_many(session, rows)`` many at once.
* ``record(session, table, row_id, action, actor, changes, summary)`` the earlier
  per-row call, kept as an adapter: an insert stamps the row with the change, an
  update or delete is ``changed``.

``log`` and ``show`` read history through ``rows``: a row's insert comes from its
``change_id``, its later events from ``history``, each with the change's actor and time.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import and_, event, func, insert, or_, select, update
from sqlalchemy.orm import Session

from .models import Base, Change, History, utcnow

# the session.info keys of the command being run and of its written change
_PENDING = "provenance.pending_change"
_CURRENT = "provenance.change_id"
_UNNAMED = "provenance.change_unnamed"

# tables whose rows carry the change that inserted them, as `log --table` names them
TRACKED_TABLES = (
    "sources",
    "works",
    "footnotes",
    "entities",
    "aliases",
    "properties",
    "claims",
    "citations",
    "conflicts",
)


_MODELS: dict[str, Any] = {
    mapper.class_.__tablename__: mapper.class_ for mapper in Base.registry.mappers
}


def current_actor(explicit: str | None = None) -> str:
    """``--actor``, else ``PROVENANCE_ACTOR``, else the operating-system user."""
    if explicit:
        return explicit
    env = os.environ.get("PROVENANCE_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no user name on some containers
        return "unknown"


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def begin_change(
    session: Session,
    actor: str,
    command: str,
    arguments: dict[str, Any] | None,
    file: str | Path | None = None,
) -> None:
    """Declare the command the session's writes belong to (written with its first write)."""
    pending: dict[str, Any] = {
        "actor": actor,
        "command": command,
        "arguments": {
            name: _json_safe(value)
            for name, value in (arguments or {}).items()
            if value is not None and value is not False and value != ()
        }
        or None,
        "file_name": None,
        "file_sha256": None,
    }
    if file is not None and Path(file).is_file():
        pending["file_name"] = Path(file).name
        pending["file_sha256"] = file_sha256(file)
    session.info[_PENDING] = pending
    session.info.pop(_CURRENT, None)
    session.info.pop(_UNNAMED, None)


def _json_safe(value: Any) -> Any:
    """A command's parameter as a change keeps it: JSON types, anything else as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def change_id(session: Session, actor: str | None = None) -> int:
    """The id of the session's change, writing its ``changes`` row on first use.

    Without a declared command (a library caller), the change is written for ``actor``;
    when a row was stamped before any writer named one, the first ``actor`` named
    becomes the change's.
    """
    current = session.info.get(_CURRENT)
    if current is not None:
        if actor and session.info.pop(_UNNAMED, False):
            session.connection().execute(
                update(Change).where(Change.id == current).values(actor=actor)
            )
        return int(current)
    values = session.info.get(_PENDING)
    if values is None:
        values = {"actor": current_actor(actor), "command": None}
        session.info[_UNNAMED] = not actor
    new_id = (
        session.connection()
        .execute(insert(Change).values(at=utcnow(), **values).returning(Change.id))
        .scalar_one()
    )
    session.info[_CURRENT] = new_id
    return int(new_id)


def inserted(session: Session, table: str, row_id: int, actor: str | None = None) -> None:
    """Row ``row_id`` of ``table`` was inserted by the current change (rows added through
    the ORM are stamped at flush; this names the actor for a library caller, and stamps
    a row written otherwise)."""
    change = change_id(session, actor)
    model = _MODELS.get(table)
    if model is None or "change_id" not in model.__table__.c:
        return
    row = session.get(model, row_id)  # the session's own row, when it added it
    if row is not None and row.change_id is None:
        row.change_id = change


def updated(
    session: Session,
    table: str,
    row_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str | None,
) -> dict[str, Any]:
    """A history row of the fields of ``after`` that differ from ``before``; the difference."""
    differences = diff(before, after)
    if differences:
        changed(session, table, row_id, "update", differences, reason)
    return differences


def changed(
    session: Session,
    table: str,
    row_id: int,
    action: str,
    changes: dict[str, Any] | None,
    reason: str | None,
    *,
    actor: str | None = None,
) -> None:
    """One history row: what the current change did to an existing row, and why."""
    changed_many(session, [(table, row_id, action, changes, reason)], actor=actor)


def changed_many(
    session: Session,
    rows: Sequence[tuple[str, int, str, dict[str, Any] | None, str | None]],
    *,
    actor: str | None = None,
) -> None:
    """History rows (table, row id, action, changes, reason) of the current change, at once."""
    if not rows:
        return
    change = change_id(session, actor)
    session.flush()  # rows the session holds go first: history stays in the order of events
    session.execute(
        insert(History),
        [
            {
                "change_id": change,
                "table_name": table,
                "row_id": row_id,
                "action": action,
                "changes": changes,
                "summary": reason,
            }
            for table, row_id, action, changes, reason in rows
        ],
    )


def record(
    session: Session,
    table: str,
    row_id: int,
    action: str,
    actor: str,
    changes: dict[str, Any] | None = None,
    summary: str | None = None,
) -> None:
    """The per-row call of earlier releases, onto changesets: an insert stamps the row
    with the current change (its ``change_id`` says who added it and when); an update or
    delete is a history row of the current change."""
    if action == "insert":
        inserted(session, table, row_id, actor)
        return
    changed(session, table, row_id, action, changes, summary, actor=actor)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    """Rows added through the ORM carry the change that inserts them."""
    new = [row for row in session.new if getattr(row, "change_id", False) is None]
    if new:
        change = change_id(session, getattr(new[0], "created_by", None))
        for row in new:
            row.change_id = change


# ------------------------------------------------------------------ reading


def _change_out(change: Any) -> dict[str, Any]:
    return {
        "change": change.id,
        "at": change.at.isoformat(timespec="seconds") if change.at else None,
        "actor": change.actor,
        "command": change.command,
    }


def newest_change(
    session: Session,
    inserted_into: Sequence[Any],
    history_of: Sequence[str],
    history_summaries: Mapping[str, str] | None = None,
) -> int:
    """The newest change that touched some rows (0: none yet): the greatest ``change_id``
    of the rows of the models ``inserted_into`` (a row carries the change that inserted
    it), and of the history rows of the tables ``history_of`` — or of a table of
    ``history_summaries`` whose summary begins with the given words (``resolve``'s
    verdicts are ``conflicts`` history rows). What a stored result (trust, the last
    detection) keys on to know whether its evidence changed."""
    connection = session.connection()
    newest = [connection.execute(select(func.max(m.change_id))).scalar() for m in inserted_into]
    summaries = history_summaries or {}
    newest.append(
        connection.execute(
            select(func.max(History.change_id)).where(
                or_(
                    History.table_name.in_(history_of),
                    *(
                        and_(History.table_name == table, History.summary.like(prefix + "%"))
                        for table, prefix in summaries.items()
                    ),
                )
            )
        ).scalar()
    )
    return max((int(n) for n in newest if n is not None), default=0)


def rows(
    session: Session,
    *,
    table: str | None = None,
    row_id: int | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Events newest first: a row's insert (from its ``change_id``) and its history rows,
    each with its change's actor, time and command.

    Inserts are listed for one row (``table`` and ``row_id``), or for a table with
    ``limit`` — as many of its newest rows as asked, a query on its primary key.
    """
    events: list[dict[str, Any]] = []
    query = select(History, Change).join(Change, Change.id == History.change_id)
    if table:
        query = query.where(History.table_name == table)
    if row_id is not None:
        query = query.where(History.row_id == row_id)
    if actor:
        query = query.where(Change.actor == actor)
    query = query.order_by(History.id.desc())
    if limit:
        query = query.limit(limit)
    for h, change in session.execute(query):
        events.append(
            {
                "id": h.id,
                **_change_out(change),
                "table": h.table_name,
                "row_id": h.row_id,
                "action": h.action,
                "summary": h.summary,
                "changes": h.changes,
            }
        )
    # a table whose rows carry no change_id (distinct_names) has its inserts as history rows
    for name in ([table] if table in TRACKED_TABLES else []) if table else list(TRACKED_TABLES):
        events += _inserts(session, name, row_id=row_id, actor=actor, limit=limit)
    events = chronological(events)[::-1]
    return events[:limit] if limit else events


def chronological(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events of ``rows`` in the order they happened: by change; in one change its inserts
    (sources before the claims that cite them, claims before their citations), then its
    history rows."""
    order = {name: i for i, name in enumerate(TRACKED_TABLES)}
    return sorted(
        events,
        key=lambda e: (
            e["change"],
            e["action"] != "insert",
            e["id"] or 0,
            order.get(e["table"], 0),
            e["row_id"],
        ),
    )


def _inserts(
    session: Session,
    table: str,
    *,
    row_id: int | None,
    actor: str | None,
    limit: int | None,
) -> list[dict[str, Any]]:
    model_table = Base.metadata.tables[table]
    query = select(model_table.c.id, Change).join(Change, Change.id == model_table.c.change_id)
    if row_id is not None:
        query = query.where(model_table.c.id == row_id)
    if actor:
        query = query.where(Change.actor == actor)
    query = query.order_by(model_table.c.id.desc())
    if limit:
        query = query.limit(limit)
    return [
        {
            "id": None,
            **_change_out(change),
            "table": table,
            "row_id": inserted_id,
            "action": "insert",
            "summary": f"added by `{change.command}`" if change.command else "added",
            "changes": None,
        }
        for inserted_id, change in session.execute(query)
    ]
