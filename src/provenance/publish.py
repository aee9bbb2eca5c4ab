"""The public copy for Datasette (SPEC §6): what is published, and why.

``PUBLIC_TABLES`` is the allowlist: a table or column that is not listed there is
never written. ``public_copy`` builds the copy from it (from SQLite or PostgreSQL
alike); this module holds what the copy may contain, the figures it computes on
public evidence, whether a copy is current, and how Datasette serves it.

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
* **Conflicts** are recomputed on the public evidence alone (``_public_conflicts``):
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

import datetime as dt
import errno
import json
import socket
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    and_,
    create_engine,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.orm import Session

from . import files
from .errors import InvalidValue
from .leading import lead, trust_for
from .models import (
    Alias,
    Base,
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
from .output import value_text

# Bump when what the copy holds changes, so `serve` rebuilds copies made by older code.
FORMAT = 1
DATABASE_NAME = "public"
STATE_SUFFIX = ".state.json"
BATCH = 5_000
SQL_TIME_LIMIT_MS = 1_000

# ---------------------------------------------------------------- the allowlist

INTEGER, TEXT, REAL = "INTEGER", "TEXT", "REAL"


@dataclass(frozen=True)
class PublicTable:
    """A published table: its columns (name → SQLite type), in order, and foreign keys."""

    columns: dict[str, str]
    foreign_keys: dict[str, str] = field(default_factory=dict)
    pk: str = "id"
    search: tuple[str, ...] = ()
    # indexed besides the foreign keys: the columns people facet and filter on
    indexes: tuple[str, ...] = ()


PUBLIC_TABLES: dict[str, PublicTable] = {
    "sources": PublicTable(
        {
            "id": INTEGER,
            "slug": TEXT,
            "title": TEXT,
            "authors": TEXT,
            "publisher": TEXT,
            "url": TEXT,
            "published": TEXT,
            "kind": TEXT,
            "reliability": TEXT,
            "reliability_reason": TEXT,
            "parent_id": INTEGER,
            "span_start": INTEGER,
            "span_end": INTEGER,
            "text": TEXT,
            "sha256": TEXT,
        },
        {"parent_id": "sources"},
        search=("title", "authors", "publisher", "text"),
        indexes=("kind", "reliability", "published"),
    ),
    "works": PublicTable(
        {"id": INTEGER, "title": TEXT, "citation": TEXT, "collection_id": INTEGER},
        {"collection_id": "works"},
        indexes=("title",),
    ),
    "footnotes": PublicTable(
        {"id": INTEGER, "source_id": INTEGER, "number": INTEGER, "text": TEXT, "resolution": TEXT},
        {"source_id": "sources"},
        indexes=("resolution",),
    ),
    "footnote_works": PublicTable(
        {
            "id": INTEGER,
            "footnote_id": INTEGER,
            "work_id": INTEGER,
            "position": INTEGER,
            "locator": TEXT,
        },
        {"footnote_id": "footnotes", "work_id": "works"},
    ),
    "entities": PublicTable(
        {"id": INTEGER, "name": TEXT, "kind": TEXT, "description": TEXT, "aliases": TEXT},
        search=("name", "aliases"),
        indexes=("kind", "name"),
    ),
    "aliases": PublicTable(
        {"id": INTEGER, "entity_id": INTEGER, "name": TEXT, "normalised": TEXT},
        {"entity_id": "entities"},
        indexes=("normalised", "name"),
    ),
    "properties": PublicTable(
        {
            "id": INTEGER,
            "name": TEXT,
            "datatype": TEXT,
            "multi": INTEGER,
            "time_varying": INTEGER,
            "unit": TEXT,
            "tolerance": REAL,
            "description": TEXT,
        },
        indexes=("datatype",),
    ),
    "claims": PublicTable(
        {
            "id": INTEGER,
            "subject_id": INTEGER,
            "property_id": INTEGER,
            "value": TEXT,
            "unit": TEXT,
            "quantity_low": REAL,
            "quantity_high": REAL,
            "date_earliest": TEXT,
            "date_latest": TEXT,
            "entity_value_id": INTEGER,
            "as_of": TEXT,
            "valid_from": TEXT,
            "valid_to": TEXT,
            "scope": TEXT,
            "rank": TEXT,
            "rank_reason": TEXT,
            "citation_count": INTEGER,
            "source_count": INTEGER,
        },
        {"subject_id": "entities", "property_id": "properties", "entity_value_id": "entities"},
        indexes=("rank", "source_count"),
    ),
    "claim_qualifiers": PublicTable(
        {"id": INTEGER, "claim_id": INTEGER, "key": TEXT, "value": TEXT, "entity_id": INTEGER},
        {"claim_id": "claims", "entity_id": "entities"},
        indexes=("key",),
    ),
    "citations": PublicTable(
        {
            "id": INTEGER,
            "claim_id": INTEGER,
            "source_id": INTEGER,
            "footnote_id": INTEGER,
            "quote": TEXT,
            "quote_start": INTEGER,
            "quote_end": INTEGER,
            "orphaned": INTEGER,
            "attributed_to_id": INTEGER,
            "stance": TEXT,
            "confidence": TEXT,
        },
        {
            "claim_id": "claims",
            "source_id": "sources",
            "footnote_id": "footnotes",
            "attributed_to_id": "entities",
        },
        indexes=("stance", "confidence"),
    ),
    # One row per public citation, everything a reader needs on one line, with indexes on
    # the facet columns: a view joining six tables cannot be faceted at a million claims
    # within Datasette's time limits, a table with indexes can.
    "claims_with_sources": PublicTable(
        {
            "citation_id": INTEGER,
            "claim_id": INTEGER,
            "subject": TEXT,
            "subject_aliases": TEXT,
            "property": TEXT,
            "value": TEXT,
            "scope": TEXT,
            "rank": TEXT,
            "source": TEXT,
            "source_title": TEXT,
            "reliability": TEXT,
            "footnote": INTEGER,
            "quote": TEXT,
            "attributed_to": TEXT,
            "stance": TEXT,
            "confidence": TEXT,
        },
        {"citation_id": "citations", "claim_id": "claims"},
        pk="citation_id",
        search=(
            "subject",
            "subject_aliases",
            "property",
            "value",
            "quote",
            "attributed_to",
            "source_title",
        ),
        indexes=("subject", "property", "source", "confidence", "rank", "stance", "reliability"),
    ),
    "conflicts": PublicTable(
        {
            "id": INTEGER,
            "kind": TEXT,
            "status": TEXT,
            "settled": TEXT,
            "severity": TEXT,
            "subject_id": INTEGER,
            "property_id": INTEGER,
            "answers": INTEGER,
            "leading_claim_id": INTEGER,
            "leading_value": TEXT,
            "leading_reason": TEXT,
            "leading_margin": REAL,
            "note": TEXT,
            "status_at": TEXT,
        },
        {
            "subject_id": "entities",
            "property_id": "properties",
            "leading_claim_id": "claims",
        },
        indexes=("status", "kind", "severity"),
    ),
    "answers": PublicTable(
        {
            "id": INTEGER,
            "conflict_id": INTEGER,
            "position": INTEGER,
            "claim_id": INTEGER,
            "stance": TEXT,
            "value": TEXT,
            "sources": TEXT,
            "quotes": TEXT,
            "support": REAL,
            "probability": REAL,
            "contradicts": TEXT,
            "leading": INTEGER,
        },
        {"conflict_id": "conflicts", "claim_id": "claims"},
        indexes=("stance", "leading"),
    ),
    # Every answer of every question on its own row, with the question: made in the copy
    # from answers, conflicts, entities and properties (CONFLICTS_WITH_ANSWERS), in the
    # order of its default sort, with an index on the sort and on each default facet
    "conflicts_with_answers": PublicTable(
        {
            "conflict_id": INTEGER,
            "subject": TEXT,
            "property": TEXT,
            "kind": TEXT,
            "status": TEXT,
            "settled": TEXT,
            "severity": TEXT,
            "position": INTEGER,
            "value": TEXT,
            "stance": TEXT,
            "sources": TEXT,
            "quotes": TEXT,
            "support": REAL,
            "contradicts": TEXT,
            "leading": INTEGER,
            "leading_value": TEXT,
            "leading_reason": TEXT,
            "note": TEXT,
            "claim_id": INTEGER,
        },
        pk="rowid",
        indexes=("subject", "status", "property", "severity"),
    ),
    # learned on public evidence only (provenance.trust with public_only)
    "trust": PublicTable(
        {
            "id": INTEGER,
            "source_id": INTEGER,
            "source": TEXT,
            "attributed_to": TEXT,
            "grade": TEXT,
            "prior": REAL,
            "trust": REAL,
            "answers": INTEGER,
            "agreements": INTEGER,
            "disagreements": INTEGER,
            "verdicts": INTEGER,
            "verdicts_upheld": INTEGER,
            "copy_group": TEXT,
        },
        {"source_id": "sources"},
        indexes=("grade",),
    ),
}

# Views of the copy. Every answer with its question was one (answers ⋈ conflicts ⋈
# entities ⋈ properties): at a million claims its page with the default facets took
# Datasette 0.7–1 s, each facet and the sort joining four tables; it is now the table
# conflicts_with_answers, filled in the copy from those tables by CONFLICTS_WITH_ANSWERS.
PUBLIC_VIEWS: dict[str, str] = {}

CONFLICTS_WITH_ANSWERS = """
select
  a.conflict_id,
  e.name as subject,
  p.name as property,
  c.kind,
  c.status,
  c.settled,
  c.severity,
  a.position,
  a.value,
  a.stance,
  a.sources,
  a.quotes,
  a.support,
  a.contradicts,
  a.leading,
  c.leading_value,
  c.leading_reason,
  c.note,
  a.claim_id
from answers a
join conflicts c on c.id = a.conflict_id
join entities e on e.id = c.subject_id
join properties p on p.id = c.property_id
order by e.name, a.conflict_id, a.position
"""


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


# ---------------------------------------------------------------- reading


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


# ``output.value_text`` in SQL, for claims_with_sources: built in the copy (SQLite) alike from
# both back ends, so both write the same bytes
def public_citation(hidden: set[int]):
    """A citation of the public copy: live (a retracted one is withdrawn evidence) and on a
    public source."""
    return and_(Citation.live, Citation.source_id.not_in(hidden) if hidden else true())


# ---------------------------------------------------------------- conflicts on public evidence


def _copy_rows(
    session: Session,
    scratch,
    model,
    query,
    *,
    collect: Callable[[list[dict[str, Any]]], None] | None = None,
    **overrides: Any,
) -> None:
    """Copy the rows of ``query`` into the scratch database a batch at a time.

    Nothing is kept: ``collect`` sees each batch and keeps what it needs (ids), so
    memory does not grow with the number of claims in conflicted groups.
    """
    for part in session.execute(query.execution_options(yield_per=BATCH)).partitions():
        rows = [{**r._mapping, **overrides} for r in part]
        if collect is not None:
            collect(rows)
        scratch.execute(insert(model.__table__), rows)


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
            Base.metadata.create_all(scratch)
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
    conflict_rows, answer_rows, withheld = _public_conflicts(session, hidden)
    return conflict_rows, answer_rows, withheld, _public_trust(session)


def _public_trust(session: Session) -> list[dict[str, Any]]:
    """Every public source's learned trust, from public evidence only (SPEC §6: influence)."""
    rows = trust_for(session, public_only=True).rows()
    return [
        {**row, "id": n, "copy_group": "; ".join(row["copy_group"])}
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


# ---------------------------------------------------------------- writing


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


# ---------------------------------------------------------------- Datasette


def metadata(database_name: str = DATABASE_NAME) -> dict[str, Any]:
    """The committed metadata (``metadata.yaml``), for a public copy served as ``database_name``.

    "{database}" in a text stands for the database's address, tilde-encoded as Datasette
    encodes it in its own links (every character but letters, digits, ``_`` and ``-``),
    so a file's name can neither break the YAML nor reach a page as markup.
    """
    from datasette.utils import tilde_encode

    text = (resources.files("provenance") / "metadata.yaml").read_text(encoding="utf-8")
    data = _fill(yaml.safe_load(text), tilde_encode(database_name))
    databases = data.get("databases", {})
    if DATABASE_NAME in databases and database_name != DATABASE_NAME:
        databases[database_name] = databases.pop(DATABASE_NAME)
    return data


def _fill(value: Any, route: str) -> Any:
    if isinstance(value, str):
        return value.replace("{database}", route)
    if isinstance(value, dict):
        return {key: _fill(item, route) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, route) for item in value]
    return value


SETTINGS = {
    "sql_time_limit_ms": SQL_TIME_LIMIT_MS,
    # a suggestion costs every table page one query per column: 2 s instead of 0.2 s at
    # 100,000 claims; the default facets and ?_facet= still work
    "suggest_facets": False,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,
    "allow_download": True,
    # a take-down (a new copy published) must not linger in a browser's or proxy's cache
    "default_cache_ttl": 0,
}


def datasette(public: str | Path, **settings: Any):
    """The Datasette instance ``serve`` runs: the public copy alone, immutable and reopened
    when a new copy is published over it (``datasette_plugin.PublicCopy``), with our
    metadata and plugin."""
    from datasette.app import Datasette

    from . import datasette_plugin

    datasette_plugin.register()
    public = Path(public)
    ds = Datasette(
        [],
        metadata=metadata(public.stem),
        settings={**SETTINGS, **settings},
        cache_headers=True,
    )
    # with no file given Datasette adds an in-memory database anyone could query
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    datasette_plugin.serve_copy(ds, public, public.stem)
    return ds


def bind_port(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for the site, before anything is published.

    Bound, not yet listening: nobody connects until the server starts, and nobody else
    can take the port meanwhile. A busy port or an unknown host is an ``InvalidValue``.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise InvalidValue(
            f"--host {host!r}: not an address of this machine ({exc.strerror}): "
            "expected e.g. 127.0.0.1 or 0.0.0.0"
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        # as uvicorn does: a port left in TIME_WAIT by a stopped server can be reused at once
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            message = f"--port {port}: already in use on {host}: choose a free port"
        else:
            message = f"--host {host!r} --port {port}: cannot listen there ({exc.strerror})"
        raise InvalidValue(message) from None
    return sock


def default_public_path(working: str | None) -> Path:
    """``public.db`` beside a working SQLite file; ``db/public.db`` for a server database."""
    if working and "://" not in working:
        return Path(working).parent / "public.db"
    return Path("db") / "public.db"


def published_at(out: Path) -> str:
    return dt.datetime.fromtimestamp(out.stat().st_mtime).isoformat(timespec="seconds")


# ---------------------------------------------------------------- docs

DOCS_BEGIN = (
    "<!-- published-tables:begin (generated from src/provenance/metadata.yaml: python -m"
    " provenance.publish docs/publishing.md) -->"
)
DOCS_END = "<!-- published-tables:end -->"


def tables_markdown() -> str:
    """The published tables, views and canned queries as Markdown, from the metadata."""
    database = metadata()["databases"][DATABASE_NAME]
    lines = [DOCS_BEGIN]
    for name, described in database["tables"].items():
        kind = "view" if name in PUBLIC_VIEWS else "table"
        lines += ["", f"### `{name}` ({kind})", "", described["description"], ""]
        extras = []
        if described.get("facets"):
            extras.append("default facets: " + ", ".join(f"`{f}`" for f in described["facets"]))
        if name in PUBLIC_TABLES and PUBLIC_TABLES[name].search:
            extras.append(
                "full-text search: " + ", ".join(f"`{c}`" for c in PUBLIC_TABLES[name].search)
            )
        if extras:
            joined = "; ".join(extras)
            lines += [joined[0].upper() + joined[1:] + ".", ""]
        lines += ["| column | meaning |", "|---|---|"]
        lines += [
            f"| `{column}` | {_cell(text)} |" for column, text in described["columns"].items()
        ]
    lines += ["", "### Canned queries", ""]
    for name, query in database["queries"].items():
        lines.append(f"- `{name}` — **{query['title']}**: {query['description']}")
    lines.append(DOCS_END)
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_tables_docs(path: str | Path) -> None:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    before, rest = text.split(DOCS_BEGIN, 1)
    _, after = rest.split(DOCS_END, 1)
    path.write_text(before + tables_markdown() + after, encoding="utf-8")


if __name__ == "__main__":
    import sys

    write_tables_docs(sys.argv[1] if len(sys.argv) > 1 else "docs/publishing.md")
