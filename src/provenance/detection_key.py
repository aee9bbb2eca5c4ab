"""What the last conflict detection saw: ``conflicts`` detects again only when the
evidence it reads has changed since.

A missed conflict is the worst defect the product can have, so the key errs on the side
of detecting again. It is read **before** the detection query, in the detecting
transaction, and stored with its result (``last_detection``, migration 0017):

* **the newest change that touched the evidence** detection reads: rows inserted by a
  change carry its id (``change_id`` of claims, citations, sources, aliases and
  properties; claims' qualifiers come with their claim), and every later change to a row
  of those tables, of claims' qualifiers, of entities (a rename, a merge) and of source
  copies is a ``history`` row of that change — a correction, a rank (``claim prefer``,
  ``claim deprecate``), a retraction, an alias removed, a grade, a publication date,
  confidentiality, a copy confirmed or undone, a property made single-valued. The desk's
  verdicts (``resolve``: a ``conflicts`` history row whose summary begins ``verdict:``)
  count too. What detection writes itself (questions, answers, "no longer detected") and
  the remembered leaders are not evidence;
* **how many changes up to that one are committed**: on PostgreSQL a change's id is
  given when it begins and another can commit before it, under a higher id. A run that
  read the higher id while the lower was still open would otherwise never see the lower
  one; once it commits, this count is one more. (SQLite's write lock commits changes in
  the order of their ids; the count costs it a read of the changes' primary key.)
* **the rules**: a fingerprint of the detection query as compiled for the database, a
  version of the grouping rules, and the schema revision: another release or a migration
  detects again.

Every writer that changes evidence writes a change (``history.py``); a writer that did
not would leave this key, like the stored trust's (``stored_trust.py``), stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from . import history
from .db import head_revision_fast
from .models import Alias, Change, Citation, Claim, LastDetection, Property, Source, utcnow

# tables whose inserted rows carry the change that inserted them, and detection reads
EVIDENCE_ROWS = (Claim, Citation, Source, Alias, Property)
# tables whose history rows are changes to what detection reads
EVIDENCE_HISTORY = (
    "claims",
    "claim_qualifiers",
    "citations",
    "sources",
    "source_copies",
    "entities",
    "aliases",
    "properties",
)
# the one row of ``last_detection``
_ROW = 1


@dataclass(frozen=True)
class EvidenceKey:
    """The evidence as detection reads it: equal keys, equal questions."""

    change_id: int
    changes_seen: int
    rules: str


def evidence_key(session: Session, rules: str) -> EvidenceKey:
    """The key of the evidence now (see the module's docstring); ``rules`` is the
    fingerprint of the detection rules (``detection.rules_fingerprint``)."""
    from .verdicts import VERDICT_SUMMARY  # verdicts reads detection, which reads this

    change_id = history.newest_change(
        session, EVIDENCE_ROWS, EVIDENCE_HISTORY, {"conflicts": VERDICT_SUMMARY}
    )
    connection = session.connection()
    seen = connection.execute(
        select(func.count()).select_from(Change).where(Change.id <= change_id)
    ).scalar_one()
    # every command runs on a database at the release's head revision (db.require_current)
    revision = head_revision_fast()
    fingerprint = hashlib.sha256(f"{rules}\n{revision}".encode()).hexdigest()[:32]
    return EvidenceKey(change_id, int(seen), fingerprint)


def last_key(session: Session) -> EvidenceKey | None:
    """The key the last detection stored, if any."""
    row = (
        session.connection()
        .execute(
            select(
                LastDetection.evidence_change_id, LastDetection.changes_seen, LastDetection.rules
            ).where(LastDetection.id == _ROW)
        )
        .first()
    )
    return EvidenceKey(int(row[0]), int(row[1]), row[2]) if row is not None else None


def store(session: Session, key: EvidenceKey) -> None:
    """Remember the key a detection run read before its query (in its transaction)."""
    connection = session.connection()
    values = {
        "evidence_change_id": key.change_id,
        "changes_seen": key.changes_seen,
        "rules": key.rules,
        "detected_at": utcnow(),
    }
    updated = connection.execute(
        update(LastDetection).where(LastDetection.id == _ROW).values(**values)
    )
    if updated.rowcount == 0:
        connection.execute(insert(LastDetection).values(id=_ROW, **values))
