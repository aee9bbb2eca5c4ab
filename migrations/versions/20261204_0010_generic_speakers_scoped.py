"""Generic speakers of existing citations scoped to their document.

A citation's anonymous or generic speaker ("Iraqi officials", "a source close to
Araji") is, since the ingest rule of ``provenance.speakers``, the entity "WORDS (source
N)" of the citing document (N the original's id for a copy): the same words in another
document are another speaker. Citations written before that rule name a global entity
shared across documents — "Iraqi officials (anonymous, MEE)" used by an AP citation.

Upgrade gives each such citation the speaker the ingest path gives it today
(``speaker_in_document`` of the old speaker's name and the citation's document): the
entity of that normalised name, created as ingest creates it when there is none (kind
``other``, its name as its alias). Everything it writes belongs to one ``changes`` row
(actor and command ``migration 0010``): the entities and aliases it creates carry its
``change_id``. The citation's
fingerprint, which includes its speaker, is recomputed so that importing the same record
again finds it; an ``update`` history row on the citation records the old and new speaker
and fingerprint. The old entity is kept (nothing entered is deleted). A citation whose
re-scoped form is already a citation of the same claim is left as it is: the two cannot
become one without deleting one.

Downgrade gives every citation this migration changed, and nobody changed since, its old
speaker and fingerprint back and removes the history row of that change; it removes the
entities it created that nothing refers to any more, and its ``changes`` row once nothing
points to it. A citation changed since keeps its speaker and its history.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from provenance.speakers import speaker_in_document
from provenance.values import normalise_name

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0010"
NAME_LENGTH = 500  # entities.name, aliases.name
CHUNK = 500

# the columns that hold an entity id: an entity created here is removed on the way down
# only when none of them refers to it
ENTITY_REFERENCES = (
    ("aliases", "entity_id"),
    ("claims", "subject_id"),
    ("claims", "entity_value_id"),
    ("claim_qualifiers", "entity_id"),
    ("citations", "attributed_to_id"),
    ("conflicts", "subject_id"),
)

# a citation's document: its original's id when it is a copy (Source.document_id)
CITATIONS = sa.text(
    "SELECT ci.id, ci.claim_id, ci.source_id, ci.quote_start, ci.quote_end, ci.footnote_id,"
    " ci.attributed_to_id, ci.stance, ci.fingerprint, e.name,"
    " coalesce((SELECT sc.original_id FROM source_copies AS sc"
    "           WHERE sc.source_id = ci.source_id AND sc.status != 'rejected'), ci.source_id)"
    " FROM citations AS ci JOIN entities AS e ON e.id = ci.attributed_to_id"
    " ORDER BY ci.id"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _fingerprint(
    source_id: int,
    quote_start: int | None,
    quote_end: int | None,
    footnote_id: int | None,
    attributed_to_id: int | None,
    stance: str,
) -> str:
    """A citation's identity within its claim, as the importer computes it: the SHA-1 of the
    JSON list of (source, quote offsets, footnote, speaker, stance)."""
    fields = [source_id, quote_start, quote_end, footnote_id, attributed_to_id, stance]
    text = ", ".join(json.dumps(value) for value in fields)
    return hashlib.sha1(f"[{text}]".encode()).hexdigest()


def _history(
    bind: Any, change: int, table: str, row_id: int, action: str, changes: dict, summary: str
) -> None:
    bind.execute(
        sa.text(
            "INSERT INTO history (change_id, table_name, row_id, action, changes, summary) "
            "VALUES (:change, :table, :row_id, :action, :changes, :summary)"
        ),
        {
            "change": change,
            "table": table,
            "row_id": row_id,
            "action": action,
            "changes": json.dumps(changes),
            "summary": summary,
        },
    )


def _entity(bind: Any, name: str, created: dict[str, int], at: dt.datetime, change: int) -> int:
    """The entity of a name: found by its normalised form, else created as ingest does."""
    key = normalise_name(name)
    if key in created:
        return created[key]
    found = bind.execute(
        sa.text("SELECT entity_id FROM aliases WHERE normalised = :key"), {"key": key}
    ).scalar()
    if found is not None:
        created[key] = found
        return int(found)
    entity_id = bind.execute(
        sa.text(
            "INSERT INTO entities (name, kind, created_at, change_id)"
            " VALUES (:name, 'other', :at, :change) RETURNING id"
        ),
        {"name": name, "at": at, "change": change},
    ).scalar_one()
    bind.execute(
        sa.text(
            "INSERT INTO aliases (entity_id, name, normalised, created_at, change_id)"
            " VALUES (:entity, :name, :key, :at, :change)"
        ),
        {"entity": entity_id, "name": name, "key": key, "at": at, "change": change},
    )
    created[key] = entity_id
    return int(entity_id)


def upgrade() -> None:
    bind = op.get_bind()
    at = _now()
    # which (speaker, document) pairs need another speaker: decided once per pair
    targets: dict[tuple[int, int], str | None] = {}
    moves = []
    for row in bind.execute(CITATIONS).all():
        (cid, claim_id, source_id, q_start, q_end, footnote_id, speaker, stance, fp, name, doc) = (
            row
        )
        key = (speaker, doc)
        if key not in targets:
            scoped = speaker_in_document(name, doc)
            targets[key] = (
                scoped if scoped != " ".join(name.split()) and len(scoped) <= NAME_LENGTH else None
            )
        if targets[key] is not None:
            moves.append(row)
    if not moves:
        return
    change = bind.execute(
        sa.text(
            "INSERT INTO changes (actor, at, command) VALUES (:actor, :at, :actor) RETURNING id"
        ),
        {"actor": ACTOR, "at": at},
    ).scalar_one()
    entities: dict[str, int] = {}
    taken: dict[int, set[str]] = defaultdict(set)
    claim_ids = sorted({row[1] for row in moves})
    for start in range(0, len(claim_ids), CHUNK):
        chunk = claim_ids[start : start + CHUNK]
        for claim_id, fingerprint in bind.execute(
            sa.text(
                "SELECT claim_id, fingerprint FROM citations WHERE claim_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": chunk},
        ):
            taken[claim_id].add(fingerprint)
    for row in moves:
        (cid, claim_id, source_id, q_start, q_end, footnote_id, speaker, stance, fp, name, doc) = (
            row
        )
        scoped = targets[(speaker, doc)]
        assert scoped is not None
        new_speaker = _entity(bind, scoped, entities, at, change)
        new_fp = _fingerprint(source_id, q_start, q_end, footnote_id, new_speaker, stance)
        if new_fp in taken[claim_id]:
            continue  # the same evidence is already recorded with the scoped speaker
        taken[claim_id].add(new_fp)
        bind.execute(
            sa.text(
                "UPDATE citations SET attributed_to_id = :speaker, fingerprint = :fp WHERE id = :id"
            ),
            {"speaker": new_speaker, "fp": new_fp, "id": cid},
        )
        _history(
            bind,
            change,
            "citations",
            cid,
            "update",
            {"attributed_to_id": [speaker, new_speaker], "fingerprint": [fp, new_fp]},
            f"generic speaker {name!r} scoped to source {doc}: {scoped!r}",
        )


def downgrade() -> None:
    bind = op.get_bind()
    changes = [
        r[0]
        for r in bind.execute(
            sa.text("SELECT id FROM changes WHERE actor = :actor"), {"actor": ACTOR}
        )
    ]
    for change in changes:
        rows = bind.execute(
            sa.text(
                "SELECT id, row_id, changes FROM history"
                " WHERE change_id = :change AND table_name = 'citations' ORDER BY id DESC"
            ),
            {"change": change},
        ).all()
        for history_id, row_id, changed in rows:
            change_of = changed if isinstance(changed, dict) else json.loads(changed)
            old_speaker, new_speaker = change_of["attributed_to_id"]
            old_fp, new_fp = change_of["fingerprint"]
            current = bind.execute(
                sa.text(
                    "SELECT claim_id, attributed_to_id, fingerprint FROM citations WHERE id = :id"
                ),
                {"id": row_id},
            ).first()
            if current is None or (current[1], current[2]) != (new_speaker, new_fp):
                continue  # changed since: that change stands, and so does this history row
            clash = bind.execute(
                sa.text("SELECT id FROM citations WHERE claim_id = :claim AND fingerprint = :fp"),
                {"claim": current[0], "fp": old_fp},
            ).first()
            if clash is not None:
                continue
            bind.execute(
                sa.text(
                    "UPDATE citations SET attributed_to_id = :speaker, fingerprint = :fp"
                    " WHERE id = :id"
                ),
                {"speaker": old_speaker, "fp": old_fp, "id": row_id},
            )
            bind.execute(sa.text("DELETE FROM history WHERE id = :id"), {"id": history_id})
        created = [
            r[0]
            for r in bind.execute(
                sa.text("SELECT id FROM entities WHERE change_id = :change"), {"change": change}
            )
        ]
        for entity_id in created:
            used = any(
                bind.execute(
                    sa.text(f"SELECT 1 FROM {table} WHERE {column} = :id LIMIT 1"),
                    {"id": entity_id},
                ).first()
                for table, column in ENTITY_REFERENCES
                if (table, column) != ("aliases", "entity_id")
            )
            if used:
                continue
            bind.execute(sa.text("DELETE FROM aliases WHERE entity_id = :id"), {"id": entity_id})
            bind.execute(sa.text("DELETE FROM entities WHERE id = :id"), {"id": entity_id})
        left = bind.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM history WHERE change_id = :c)"
                " + (SELECT count(*) FROM entities WHERE change_id = :c)"
                " + (SELECT count(*) FROM aliases WHERE change_id = :c)"
            ),
            {"c": change},
        ).scalar()
        if not left:
            bind.execute(sa.text("DELETE FROM changes WHERE id = :id"), {"id": change})
