"""The record of who changed what: every write of the library goes through ``record``."""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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


def record(
    session: Session,
    table: str,
    row_id: int,
    action: str,
    actor: str,
    changes: dict[str, Any] | None = None,
    summary: str | None = None,
) -> None:
    from .models import History, utcnow  # here: the CLI reads current_actor without SQLAlchemy

    session.add(
        History(
            table_name=table,
            row_id=row_id,
            action=action,
            actor=actor,
            at=utcnow(),
            changes=changes,
            summary=summary,
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
