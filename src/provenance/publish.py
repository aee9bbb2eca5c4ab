"""The public copy for Datasette (SPEC §6): what is published, and why; whether a copy is
current; where a copy may be written.

The public copy is made by five modules, each one concept:

* ``public_tables``: the allowlist ``PUBLIC_TABLES``, a table or column that is not
  listed there is never written; the views; which citations are public evidence.
* ``public_evidence``: conflicts, support, leading values and trust recomputed on the
  public evidence alone.
* ``public_copy``: building the copy in a new SQLite file from the allowlist (from
  SQLite or PostgreSQL alike) and putting it in place.
* ``public_site``: Datasette serving it (``provenance serve``): metadata, settings, the
  port, the docs of the published tables; ``datasette_plugin``: its claim and conflict
  pages.
* this module: what is withheld and why (below), the state that tells whether a copy is
  current, a publish's report, and the check of the file it writes.

What is withheld, and why:

* **Confidential sources** (``sources.confidential``), and every source inside one
  (the reader comments of a confidential article): their title, URL, text, footnotes
  and the works only they cite. A work a public note also cites is one row shared with
  the confidential notes; it is published as the published notes read it (their title,
  citation and collection), and a collection only confidential
  notes name is not published. A public article whose comment section was marked
  confidential is published with that span of its text blanked out (spaces, so every
  offset still holds).
* **Citations resting on a confidential source**, **retracted citations** (withdrawn
  evidence, ``Citation.live``), and **claims left with no public citation**. A public
  claim keeps its public, live citations only; ``citation_count`` and ``source_count``
  count those.
* **Entities, aliases and properties** that no published row refers to: a speaker,
  subject or value known only from confidential material is not published, nor are
  its aliases.
* **Conflicts** are recomputed on the public evidence alone (``public_evidence``):
  a conflict whose side has no public citation, or that is only detected through a
  confidential source, is withheld, and the support, severity and leading value a
  reader sees rest on evidence the reader can see. Ids are the working database's, so
  ``provenance show ID`` and ``provenance resolve ID`` work from what the site shows.
* **Internal fields**: citation notes and source notes (an editor's working notes),
  every ``created_by``/``status_by`` (who did what stays inside the desk), file names
  and paths, fingerprints, every row's ``change_id``, and the ``changes`` and
  ``history`` tables as a whole (their actors, commands and arguments, imported files,
  and summaries that quote confidential claims).

What is published although an editor wrote it: a conflict's **verdict note**
(``provenance resolve --note``) and a claim's **rank reason** (``claim deprecate
--reason``, ``claim prefer --note``) — they are the desk's public verdict and
correction notice, the reason a fact-checking site exists — and the descriptions of
published entities and properties. Write them for readers. Entity names, aliases and
descriptions are the desk's vocabulary, not any source's evidence: a published entity
is published with all of them.

Before the copy is read, ``detect`` brings the working database's conflicts up to date
(as ``provenance conflicts`` does); everything after that is read in one snapshot
(a deferred transaction on SQLite, ``REPEATABLE READ`` on PostgreSQL), so editors keep
writing while a large copy is built.

**Current copies.** ``serve`` reuses a public copy when it is current: the file is
unchanged since it was written (size and modification time) and the working
database's state — for each table read, its row count and highest id, which move with
every insert, and the highest changes and history ids, which move with every
writing command and every update — and this
module's ``FORMAT`` are those recorded at publish time. They are kept in a small JSON
file beside the copy (``public.db.state.json``), never in the copy itself: counts of
withheld rows are not for readers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import files
from .errors import InvalidValue
from .models import (
    Alias,
    Change,
    Citation,
    Claim,
    ClaimQualifier,
    Conflict,
    ConflictAnswer,
    Entity,
    Footnote,
    FootnoteWork,
    History,
    Property,
    Source,
    Work,
)

# Bump when what the copy holds changes, so `serve` rebuilds copies made by older code.
FORMAT = 1
STATE_SUFFIX = ".state.json"
BATCH = 5_000

# ---------------------------------------------------------------- state


def working_state(session: Session) -> dict[str, Any]:
    """What identifies the working database's content, for deciding whether a copy is current."""
    state: dict[str, Any] = {"format": FORMAT}
    for model in (
        Source,
        Footnote,
        FootnoteWork,
        Work,
        Entity,
        Alias,
        Property,
        Claim,
        ClaimQualifier,
        Citation,
        Conflict,
        ConflictAnswer,
        Change,
        History,
    ):
        count, top = session.execute(
            select(func.count(), func.max(model.id)).select_from(model)
        ).one()
        state[model.__tablename__] = [int(count), top]
    return state


def state_path(out: Path) -> Path:
    return out.with_name(out.name + STATE_SUFFIX)


def _file_stamp(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def is_current(out: Path, database: str, state: dict[str, Any]) -> bool:
    """Whether ``out`` is the public copy of ``database`` in its present ``state``."""
    try:
        recorded = json.loads(state_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not out.is_file():
        return False
    return recorded == {"database": database, "state": state, "file": _file_stamp(out)}


def write_state(out: Path, database: str, state: dict[str, Any]) -> None:
    files.write_text(
        state_path(out),
        json.dumps({"database": database, "state": state, "file": _file_stamp(out)}, indent=1),
    )


# ---------------------------------------------------------------- a publish


Progress = Callable[[str, int, int], None]


@dataclass
class PublishReport:
    out: Path
    rows: dict[str, int] = field(default_factory=dict)
    confidential_sources: int = 0
    withheld_citations: int = 0
    withheld_claims: int = 0
    withheld_conflicts: int = 0
    # temporary files of interrupted publishes to the same copy, deleted before this one
    abandoned_removed: int = 0


def check_target(out: Path, working: str | None) -> None:
    """Refuse to write over the working database or over a file that is not a public copy."""
    if not out.parent.is_dir():
        raise InvalidValue(f"{str(out)!r}: folder {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise InvalidValue(
            f"{str(out)!r} is a directory: expected the path of the public SQLite file to write"
        )
    if working and "://" not in working:
        working_path = Path(working)
        if working_path.exists() and out.exists() and out.resolve() == working_path.resolve():
            raise InvalidValue(
                f"{str(out)!r} is the working database: publish writes a separate public copy, e.g."
                " db/public.db"
            )
    if out.exists() and out.stat().st_size:
        with open(out, "rb") as f:
            head = f.read(16)
        if head != b"SQLite format 3\x00":
            raise InvalidValue(
                f"{str(out)!r} exists and is not a SQLite file: expected a new path or an earlier"
                " public copy"
            )
        connection = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
        try:
            names = {r[0] for r in connection.execute("select name from sqlite_master")}
        except sqlite3.DatabaseError:
            names = set()
        finally:
            connection.close()
        if "alembic_version" in names or "history" in names:
            raise InvalidValue(
                f"{str(out)!r} is a working provenance database: publish writes a separate public"
                " copy, e.g. db/public.db"
            )
