"""Conflicts and learned trust as they stand on the public evidence alone (SPEC §6).

The public copy shows conflicts, their support, leading values and each source's trust
computed only from what a reader can see: ``public_figures`` gives those rows to
``public_copy``, and ``conflicts_on_public_evidence`` gives the ClaimReview export
(``interchange``) the same questions. Which citations are public evidence is
``public_tables.public_citation``; what is withheld and why is told in ``publish``.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, and_, create_engine, func, insert, select, true
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable

from .leading import lead, trust_for
from .models import (
    Base,
    Citation,
    Claim,
    ClaimQualifier,
    Conflict,
    ConflictAnswer,
    Entity,
    Footnote,
    FootnoteWork,
    Property,
    Source,
    Work,
)
from .output import value_text
from .public_tables import public_citation
from .publish import BATCH
from .trust import copies_text


def _copy_rows(
    session: Session,
    scratch,
    model,
    query,
    *,
    collect: Callable[[list[dict[str, Any]]], None] | None = None,
    **overrides: Any,
) -> None:
    """Copy the rows of ``query`` (every column of ``model``'s table) into the scratch
    database a batch at a time.

    Nothing is kept: ``collect`` sees each batch and keeps what it needs (ids), so
    memory does not grow with the number of claims in conflicted groups. From a SQLite
    working database the rows go from one SQLite file to the other as SQLite stores
    them, without SQLAlchemy's conversions either way.
    """
    table = model.__table__
    if session.get_bind().dialect.name == "sqlite":
        _copy_raw(session, scratch, table, query, collect, overrides)
        return
    for part in session.execute(query.execution_options(yield_per=BATCH)).partitions():
        rows = [{**r._mapping, **overrides} for r in part]
        if collect is not None:
            collect(rows)
        scratch.execute(insert(table), rows)


def _copy_raw(
    session: Session,
    scratch,
    table: Table,
    query: Select,
    collect: Callable[[list[dict[str, Any]]], None] | None,
    overrides: dict[str, Any],
) -> None:
    names = [c.name for c in table.columns]
    if list(query.selected_columns.keys()) != names:
        raise AssertionError(f"{table.name}: the scratch copy takes every column, in order")
    compiled = query.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    reader = session.connection().connection.driver_connection
    writer = scratch.connection.driver_connection
    assert isinstance(reader, sqlite3.Connection) and isinstance(writer, sqlite3.Connection)
    cursor = reader.execute(str(compiled), [params[k] for k in compiled.positiontup or ()])
    replaced = [(names.index(name), value) for name, value in overrides.items()]
    sql = (
        f"INSERT INTO [{table.name}] ({', '.join(f'[{n}]' for n in names)})"
        f" VALUES ({', '.join('?' * len(names))})"
    )
    while part := cursor.fetchmany(BATCH):
        if replaced:
            rows = [list(row) for row in part]
            for row in rows:
                for index, value in replaced:
                    row[index] = value
            part = [tuple(row) for row in rows]
        if collect is not None:
            collect([dict(zip(names, row, strict=True)) for row in part])
        writer.executemany(sql, part)


def _public_conflicts(
    session: Session, hidden: set[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Conflicts as they stand on the public evidence alone: (conflict rows, answer rows,
    how many conflicts were withheld)."""
    rows, subject_of, stored = conflicts_on_public_evidence(session, hidden)
    public, answers = [], []
    for row in rows:
        public.append(_conflict_row(row, *subject_of[row["answers"][0]["claim"]]))
        answers += _answer_rows(row)
    for number, answer in enumerate(answers, 1):
        answer["id"] = number
    return public, answers, stored - len(public)


def conflicts_on_public_evidence(
    session: Session,
    hidden: set[int],
    *,
    include_inactive: bool = False,
    statuses: Iterable[str] | None = None,
) -> tuple[list[dict[str, Any]], dict[int, tuple[int, int]], int]:
    """``conflicts.conflict_rows`` as they stand on the public evidence alone.

    Returns (rows, claim id → (subject id, property id) of every claim in them, how
    many stored conflicts were looked at). ``hidden`` are the confidential sources
    (``sources.confidential_source_ids``). The claims of every subject and property
    that has a conflict are copied, with their public citations only, into a scratch
    database of the same schema, with the desk's questions and their answers, and the
    library's own detection and support run there. Removing evidence can only remove
    answers and conflicts, never add one, so every question found there is one the desk
    has already recorded, with its id and verdict; an answer resting only on
    confidential evidence is not among its answers, and a question left with fewer than
    two is not returned. (Should a question fall apart into two once a bridging answer
    is withheld, the part that is not the desk's question is not returned either,
    rather than shown under a new id.) The desk's verdict note is kept only when none
    of the question's answers was withheld: it was written on the whole question.
    ``include_inactive`` also looks at questions re-detection no longer finds (as
    ``conflict_rows`` does), for verdicts that outlive them; ``statuses`` looks only at
    questions with one of these statuses (and copies only their subjects' claims).
    """
    from . import conflicts as conflictsmod

    looked_at = true() if include_inactive else Conflict.active == true()
    if statuses is not None:
        looked_at = and_(looked_at, Conflict.status.in_(list(statuses)))
    stored = set(session.scalars(select(Conflict.id).where(looked_at)))
    if not stored:
        return [], {}, 0
    groups = (
        select(Conflict.subject_id, Conflict.property_id)
        .where(looked_at)
        .distinct()
        .subquery("groups")
    )
    in_groups = (Claim.subject_id == groups.c.subject_id) & (
        Claim.property_id == groups.c.property_id
    )
    source_ids: set[int] = set()
    footnote_ids: set[int] = set()
    entity_ids: set[int] = set()
    subject_of: dict[int, tuple[int, int]] = {}

    def claims_seen(rows: list[dict[str, Any]]) -> None:
        for c in rows:
            subject_of[c["id"]] = (c["subject_id"], c["property_id"])
            entity_ids.add(c["subject_id"])
            if c["entity_value_id"]:
                entity_ids.add(c["entity_value_id"])

    def citations_seen(rows: list[dict[str, Any]]) -> None:
        for c in rows:
            source_ids.add(c["source_id"])
            if c["footnote_id"] is not None:
                footnote_ids.add(c["footnote_id"])
            if c["attributed_to_id"]:
                entity_ids.add(c["attributed_to_id"])

    # a file, not memory: at a million claims the conflicted groups' claims and
    # citations took some 450 MB as an in-memory database
    scratch_dir = tempfile.TemporaryDirectory(prefix="provenance-publish-")
    scratch_engine = create_engine(f"sqlite:///{Path(scratch_dir.name) / 'scratch.db'}")
    try:
        # never committed: the scratch database lives for this function only
        with scratch_engine.connect() as scratch:
            scratch.exec_driver_sql("PRAGMA journal_mode = OFF")
            scratch.exec_driver_sql("PRAGMA synchronous = OFF")
            # the tables first, their indexes once the rows are in (cheaper than keeping
            # every index up to date row by row)
            for table in Base.metadata.sorted_tables:
                scratch.execute(CreateTable(table))
            _copy_rows(
                session,
                scratch,
                Claim,
                select(Claim.__table__).join(groups, in_groups),
                collect=claims_seen,
            )
            claim_ids = select(Claim.id).join(groups, in_groups)
            _copy_rows(
                session,
                scratch,
                ClaimQualifier,
                select(ClaimQualifier.__table__).where(ClaimQualifier.claim_id.in_(claim_ids)),
            )
            _copy_rows(
                session,
                scratch,
                Citation,
                select(Citation.__table__).where(
                    Citation.claim_id.in_(claim_ids), public_citation(hidden)
                ),
                collect=citations_seen,
            )
            for chunk in _chunks(sorted(source_ids)):
                # the texts are not needed to weigh evidence, and are not copied
                _copy_rows(
                    session,
                    scratch,
                    Source,
                    select(Source.__table__).where(Source.id.in_(chunk)),
                    text=None,
                    parent_id=None,
                )
            for chunk in _chunks(sorted(footnote_ids)):
                work_ids: set[int] = set()

                def collect(rows: list[dict[str, Any]], work_ids: set[int] = work_ids) -> None:
                    work_ids.update(w["work_id"] for w in rows)

                _copy_rows(
                    session,
                    scratch,
                    FootnoteWork,
                    select(FootnoteWork.__table__).where(FootnoteWork.footnote_id.in_(chunk)),
                    collect=collect,
                )
                _copy_rows(
                    session,
                    scratch,
                    Footnote,
                    select(Footnote.__table__).where(Footnote.id.in_(chunk)),
                )
                for work_chunk in _chunks(sorted(work_ids)):
                    _copy_rows(
                        session,
                        scratch,
                        Work,
                        select(Work.__table__).where(Work.id.in_(work_chunk)),
                        collection_id=None,
                    )
            for chunk in _chunks(sorted(entity_ids)):
                _copy_rows(
                    session, scratch, Entity, select(Entity.__table__).where(Entity.id.in_(chunk))
                )
            _copy_rows(
                session,
                scratch,
                Property,
                select(Property.__table__).where(Property.id.in_(select(groups.c.property_id))),
            )
            in_conflict_groups = (Conflict.subject_id == groups.c.subject_id) & (
                Conflict.property_id == groups.c.property_id
            )
            _copy_rows(
                session,
                scratch,
                Conflict,
                select(Conflict.__table__).join(groups, in_conflict_groups),
            )
            _copy_rows(
                session,
                scratch,
                ConflictAnswer,
                select(ConflictAnswer.__table__).where(
                    ConflictAnswer.conflict_id.in_(
                        select(Conflict.id).join(groups, in_conflict_groups)
                    )
                ),
            )
            for table in Base.metadata.sorted_tables:
                for index in table.indexes:
                    index.create(scratch)
            with Session(bind=scratch) as scratch_session:
                conflictsmod.detect(scratch_session, "publish")
                scratch_session.flush()
                rows = conflictsmod.conflict_rows(
                    scratch_session, status="all", include_inactive=include_inactive
                )
    finally:
        scratch_engine.dispose()
        scratch_dir.cleanup()
    answer_counts = dict(
        session.execute(
            select(ConflictAnswer.conflict_id, func.count())
            .where(ConflictAnswer.conflict_id.in_(select(Conflict.id).where(looked_at)))
            .group_by(ConflictAnswer.conflict_id)
        ).all()
    )
    # a question the desk's evidence still finds but the public evidence does not (it
    # rests on a confidential source) is not returned, also when inactive ones are asked
    found_by_the_desk = set(
        session.scalars(select(Conflict.id).where(looked_at, Conflict.active == true()))
    )
    public = []
    for row in rows:
        if row["id"] not in stored:
            continue
        if not row["active"] and (not include_inactive or row["id"] in found_by_the_desk):
            continue
        # an inactive question keeps its answers as they were: one resting only on
        # confidential evidence has no public citation here, and is not an answer
        kept = [a for a in row["answers"] if a["citations"]]
        if len(kept) < 2:
            continue
        keys = {(a["claim"], a["stance"]) for a in kept}
        for answer in kept:
            answer["contradicts"] = [
                c for c in answer["contradicts"] if (c["claim"], c["stance"]) in keys
            ]
        if len(kept) < len(row["answers"]) or len(kept) < answer_counts.get(row["id"], 0):
            # the desk wrote its note on the whole question, answers resting only on
            # confidential evidence included: it may speak of them
            row["note"] = None
        row["answers"] = kept
        public.append(row)
    # the leading answers, from trust learned on public evidence only
    lead(session, public, public_only=True)
    return public, subject_of, len(stored)


def public_figures(
    session: Session, hidden: set[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int, list[dict[str, Any]]]:
    """The figures a reader sees computed on public evidence alone (SPEC §6): (conflict
    rows, answer rows, how many conflicts were withheld, trust rows)."""
    # the trust table first: it reads the whole learned result, which the leading answers
    # then use, instead of reading their sources' track records a second time
    trust_rows = _public_trust(session)
    conflict_rows, answer_rows, withheld = _public_conflicts(session, hidden)
    return conflict_rows, answer_rows, withheld, trust_rows


def _public_trust(session: Session) -> list[dict[str, Any]]:
    """Every public source's learned trust, from public evidence only (SPEC §6: influence)."""
    rows = trust_for(session, public_only=True).rows()
    return [
        {
            **row,
            "id": n,
            "copy_group": "; ".join(row["copy_group"]),
            "likely_copies": copies_text(row["likely_copies"]),
        }
        for n, row in enumerate(rows, start=1)
    ]


def _chunks(items: list[int], size: int = 900) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _conflict_row(row: dict[str, Any], subject_id: int, property_id: int) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "status": row["status"],
        "settled": row["settled"],
        "severity": row["severity"],
        "subject_id": subject_id,
        "property_id": property_id,
        "answers": len(row["answers"]),
        "leading_claim_id": row["leading_claim"],
        "leading_value": row["leading_value"],
        "leading_reason": row["leading_reason"],
        "leading_margin": row.get("leading_margin"),
        # set by lead() from the public row's own support and leader: public evidence only
        "against_head_count": int(row["against_head_count"]),
        "note": row["note"],
        "status_at": row["status_at"],
    }


def _answer_rows(row: dict[str, Any]) -> list[dict[str, Any]]:
    from .conflicts import answer_label

    rows = []
    for position, answer in enumerate(row["answers"], 1):
        sources = "; ".join(
            sorted(
                {
                    c["source"] + (f" [{c['footnote']}]" if c["footnote"] else "")
                    for c in answer["citations"]
                }
            )
        )
        rows.append(
            {
                "id": 0,  # numbered once every question's answers are in
                "conflict_id": row["id"],
                "position": position,
                "claim_id": answer["claim"],
                "stance": answer["stance"],
                "value": value_text(answer["value"], answer.get("unit")),
                "sources": sources,
                "quotes": " | ".join(c["quote"] for c in answer["citations"] if c["quote"]) or None,
                "support": answer["support"],
                "probability": answer.get("probability"),
                "contradicts": ", ".join(
                    answer_label(c["claim"], c["stance"]) for c in answer["contradicts"]
                ),
                "leading": int(
                    answer["claim"] == row["leading_claim"]
                    and answer["value"] == row["leading_value"]
                ),
            }
        )
    return rows
