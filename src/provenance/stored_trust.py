"""The stored trust result: learned once, reused until its evidence changes.

Learning trust (``trust.compute_trust``) reads every citation of the database: about a
minute of CPU at a million citations. What it learned is kept in the ``learned_*``
tables (migration 0015; the likely copies of soft copy detection in ``learned_dependence``,
migration 0020), and ``conflicts``, ``publish``, the desk's ClaimReview and
``trust`` read it there for as long as it is **fresh**.

**The key.** A result records the newest change (``changes.id``) that touched the
model's evidence when it was computed (:func:`evidence_key`), and the model's settings
(:func:`model_settings`). The evidence is what the model reads:

* claims and their qualifiers (added, corrected, deprecated, preferred), citations (added,
  corrected, retracted; their confidence and speaker), sources (added; grade,
  confidentiality, a copy recorded, confirmed or rejected — `source edit` and the copy
  commands write their history on ``sources``), properties (datatype, single or multi);
* the desk's verdicts (``resolve``: a ``conflicts`` history row whose summary begins
  ``verdict:``; a preferred claim's questions are resolved through it too).

Rows inserted by a change carry its id (``change_id``: the newest is read from the
indexes ``ix_claims_change_id``/``ix_citations_change_id`` at once); every later change
to an existing row is a ``history`` row of that table. What ``conflicts`` writes itself
— detection (new questions, answers, "no longer detected") and remembered leaders
("leading answer changed") — is not evidence: a re-run with nothing new reuses the
stored result. A result whose key is not the current one is **stale** and is not read.

**Two results.** ``all`` (every citation: the desk's ``conflicts``, ``trust``, ClaimReview
export) and ``public`` (public evidence only, confidential sources and their sections
left out entirely: what ``publish`` shows). Each has its own key and rows; a command
reads only the result of its evidence. The tables are not in the public copy's
allowlist: neither result is readable from it. What it shows of trust is the ``trust``
table ``publish`` writes from the ``public`` result, as before.

**Who computes.** A writing command: ``conflicts`` refreshes ``all`` after detection,
``publish`` refreshes ``public`` in its short writing transaction. A reading command
(``export``, ``trust``) reads a fresh result, and computes a stale one in temporary
tables without storing it (it cannot write). On PostgreSQL a refresh holds the
advisory lock :data:`TRUST_LOCK`, so two runs at once compute it once: the second
waits, then finds it fresh. Storing writes no ``changes`` row: a derived result, like
the statistics of a query planner, is no change of the desk's.
"""

from __future__ import annotations

import hashlib
import operator
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, literal_column, select, text, tuple_
from sqlalchemy.orm import Session

from . import history
from . import trust as trustmod
from .listed_claims import IN_CHUNK, chunks, in_ids
from .models import (
    Citation,
    Claim,
    LearnedAnswer,
    LearnedCompatible,
    LearnedDependence,
    LearnedSource,
    LearnedSourceProperty,
    LearnedTrust,
    Property,
    Source,
    utcnow,
)
from .verdicts import VERDICT_SUMMARY

# the PostgreSQL advisory lock a refresh runs under ("trus" in ASCII)
TRUST_LOCK = 0x74727573

# tables whose history rows are changes to the model's evidence
EVIDENCE_HISTORY = ("claims", "claim_qualifiers", "citations", "sources", "properties")


def evidence_name(public_only: bool) -> str:
    return "public" if public_only else "all"


def evidence_key(session: Session) -> int:
    """The newest change that touched the trust model's evidence (0: none yet)."""
    return history.newest_change(
        session,
        (Claim, Citation, Source),
        EVIDENCE_HISTORY,
        {"conflicts": VERDICT_SUMMARY},
    )


def model_settings() -> str:
    """A fingerprint of the model's settings (``trust.py``'s constants): a result computed
    with other settings is stale."""
    settings = sorted(
        (name, repr(value))
        for name, value in vars(trustmod).items()
        if name.isupper() and isinstance(value, (int, float, str, bool, dict, tuple))
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Freshness:
    """Whether a stored result can be read, and what it was computed from."""

    evidence: str
    key: int
    stored_key: int | None
    fresh: bool
    computed_at: Any = None
    cpu_seconds: float | None = None
    # the vote the desk's verdicts chose (``trust.VoteChoice.as_json``), if they chose
    vote_choice: dict[str, Any] | None = None


def freshness(session: Session, *, public_only: bool) -> Freshness:
    evidence = evidence_name(public_only)
    key = evidence_key(session)
    row = (
        session.connection()
        .execute(
            select(
                LearnedTrust.evidence_change_id,
                LearnedTrust.model,
                LearnedTrust.computed_at,
                LearnedTrust.cpu_seconds,
                LearnedTrust.vote_choice,
            ).where(LearnedTrust.evidence == evidence)
        )
        .first()
    )
    if row is None:
        return Freshness(evidence, key, None, False)
    fresh = row.evidence_change_id == key and row.model == model_settings()
    return Freshness(
        evidence,
        key,
        row.evidence_change_id,
        fresh,
        row.computed_at,
        row.cpu_seconds,
        row.vote_choice,
    )


def refresh(session: Session, *, public_only: bool) -> tuple[trustmod.TrustResult | None, bool]:
    """The result on this evidence computed and stored if the stored one is stale: (the
    result, True); (None, False) when the stored one is fresh (read it with :func:`load`
    if needed: a listing reads only its answers). For a writing transaction; never
    commits."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # READ COMMITTED: after the wait, the statements below read what the other committed
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TRUST_LOCK})
    state = freshness(session, public_only=public_only)
    if state.fresh:
        return None, False
    started = time.process_time()
    result = trustmod.compute_trust(session, public_only=public_only)
    _store(session, state, result, time.process_time() - started)
    return result, True


def _store(
    session: Session, state: Freshness, result: trustmod.TrustResult, cpu_seconds: float
) -> None:
    connection = session.connection()
    evidence = state.evidence
    for table in (
        LearnedSource,
        LearnedSourceProperty,
        LearnedAnswer,
        LearnedCompatible,
        LearnedDependence,
    ):
        connection.execute(delete(table).where(table.evidence == evidence))
    connection.execute(delete(LearnedTrust).where(LearnedTrust.evidence == evidence))
    # the model's own tables (temporary, on this connection) name each source's ids
    vote_units = {
        (r.document_id, r.attributed_to_id or 0): r.vote_unit
        for r in connection.execute(
            text("SELECT document_id, attributed_to_id, vote_unit FROM trust_sources")
        )
    }
    sources = []
    for position, s in enumerate(result.sources):
        speaker_id = s.speaker_id
        vote_unit = vote_units.get((s.source_id, speaker_id))
        sources.append(
            {
                "evidence": evidence,
                "position": position,
                "document_id": s.source_id,
                "attributed_to_id": speaker_id,
                "slug": s.slug,
                "attributed_to": s.attributed_to,
                "grade": s.grade,
                "prior": s.prior,
                "trust": s.trust,
                "answers": s.answers,
                "agreements": s.agreements,
                "disagreements": s.disagreements,
                "verdicts": s.verdicts,
                "verdicts_upheld": s.verdicts_upheld,
                "vote_unit": vote_unit,
                "copy_group": s.copy_group,
            }
        )
    if sources:
        connection.execute(insert(LearnedSource), sources)
    records = [
        {
            "evidence": evidence,
            "document_id": document_id,
            "attributed_to_id": speaker_id,
            "property_id": property_id,
            "trust": r.trust,
            "answers": r.answers,
            "agreements": r.agreements,
            "disagreements": r.disagreements,
            "verdicts": r.verdicts,
            "verdicts_upheld": r.verdicts_upheld,
        }
        for (document_id, speaker_id, property_id), r in result.records.items()
    ]
    if records:
        connection.execute(insert(LearnedSourceProperty), records)
    # the answers, set-based: as many rows as the model has answers
    connection.execute(
        text(
            """INSERT INTO learned_answers
                   (evidence, claim_id, item, score, probability, leads, margin, known)
               SELECT :evidence, a.claim_id, a.item, a.score, a.probability,
                      CASE WHEN i.leader = a.claim_id AND i.tie = 0 THEN :true ELSE :false END,
                      CASE WHEN i.leader = a.claim_id THEN i.margin END,
                      CASE WHEN k.claim_id IS NULL THEN :false ELSE :true END
               FROM trust_answers a JOIN trust_items i ON i.item = a.item
               LEFT JOIN trust_known k ON k.claim_id = a.claim_id"""
        ),
        {"evidence": evidence, "true": True, "false": False},
    )
    connection.execute(
        text(
            """INSERT INTO learned_compatible (evidence, claim_id, other_id)
               SELECT DISTINCT :evidence, claim_id, other_id FROM trust_compatible"""
        ),
        {"evidence": evidence},
    )
    pairs = [
        {
            "evidence": evidence,
            "document_id": document_id,
            "attributed_to_id": speaker_id,
            "other_document_id": other_document_id,
            "other_attributed_to_id": other_speaker_id,
            "probability": p,
        }
        for (document_id, speaker_id), others in result.dependence.items()
        for (other_document_id, other_speaker_id), p in others.items()
    ]
    if pairs:
        connection.execute(insert(LearnedDependence), pairs)
    connection.execute(
        insert(LearnedTrust).values(
            evidence=evidence,
            evidence_change_id=state.key,
            model=model_settings(),
            computed_at=utcnow(),
            rounds=result.rounds,
            items=result.items,
            cpu_seconds=round(cpu_seconds, 3),
            vote_choice=result.vote.as_json() if result.vote is not None else None,
        )
    )


def load(session: Session, *, public_only: bool) -> trustmod.TrustResult:
    """The stored result as ``compute_trust`` returns it (read whether fresh or not: the
    caller asked :func:`freshness`)."""
    connection = session.connection()
    evidence = evidence_name(public_only)
    run = connection.execute(
        select(LearnedTrust.rounds, LearnedTrust.items, LearnedTrust.vote_choice).where(
            LearnedTrust.evidence == evidence
        )
    ).one()
    sources = [
        trustmod.SourceTrust(
            source_id=r.document_id,
            slug=r.slug,
            attributed_to=r.attributed_to,
            grade=r.grade,
            prior=r.prior,
            trust=r.trust,
            answers=r.answers,
            agreements=r.agreements,
            disagreements=r.disagreements,
            verdicts=r.verdicts,
            verdicts_upheld=r.verdicts_upheld,
            copy_group=list(r.copy_group or []),
            speaker_id=int(r.attributed_to_id or 0),
        )
        for r in connection.execute(
            select(LearnedSource)
            .where(LearnedSource.evidence == evidence)
            .order_by(LearnedSource.position)
        )
    ]
    names = dict(connection.execute(select(Property.id, Property.name)).all())
    records: dict[tuple[int, int, int], trustmod.TrackRecord] = {}
    by_property: dict[tuple[int, int, str], tuple[float, int]] = {}
    for r in connection.execute(
        select(LearnedSourceProperty).where(LearnedSourceProperty.evidence == evidence)
    ):
        records[(r.document_id, r.attributed_to_id, r.property_id)] = trustmod.TrackRecord(
            r.trust, r.answers, r.agreements, r.disagreements, r.verdicts, r.verdicts_upheld
        )
        by_property[(r.document_id, r.attributed_to_id, names.get(r.property_id, "?"))] = (
            r.trust,
            r.answers,
        )
    groups: list[list[str]] = []
    for s in sources:
        if s.copy_group and s.copy_group not in groups:
            groups.append(s.copy_group)
    return trustmod.TrustResult(
        sources=sources,
        by_property=by_property,
        copy_groups=groups,
        rounds=run.rounds,
        items=run.items,
        public_only=public_only,
        records=records,
        vote=trustmod.VoteChoice.from_json(run.vote_choice),
        dependence=dependence(session, public_only=public_only),
    )


def dependence(
    session: Session, *, public_only: bool, documents: Iterable[int] | None = None
) -> dict[tuple[int, int], dict[tuple[int, int], float]]:
    """The stored likely copies (``TrustResult.dependence``), or those of the sources of
    ``documents``: a listing reads the pairs of the documents each chunk weighs."""
    table = LearnedDependence
    query = select(
        table.document_id,
        table.attributed_to_id,
        table.other_document_id,
        table.other_attributed_to_id,
        table.probability,
    ).where(table.evidence == evidence_name(public_only))
    queries = (
        [query]
        if documents is None
        else [
            query.where(in_ids(table.document_id, batch))
            for batch in chunks(sorted(set(documents)), IN_CHUNK)
        ]
    )
    found: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    for each in queries:
        for document_id, speaker_id, other_document_id, other_speaker_id, p in (
            session.connection().execute(each).all()
        ):
            found.setdefault((document_id, speaker_id), {})[
                (other_document_id, other_speaker_id)
            ] = float(p)
    return found


def records(
    session: Session,
    *,
    public_only: bool,
    sources: Sequence[tuple[int, int, int]] | None = None,
) -> dict[tuple[int, int, int], trustmod.TrackRecord]:
    """Every stored track record, by (document, speaker, property), or those of
    ``sources`` (such triples): a listing reads those of the citations each chunk weighs
    (the table holds one row per source and property, some 120,000 at a million claims,
    of which a listing needs a few thousand)."""
    table = LearnedSourceProperty.__table__
    query = select(
        table.c.document_id,
        table.c.attributed_to_id,
        table.c.property_id,
        table.c.trust,
        table.c.answers,
        table.c.agreements,
        table.c.disagreements,
        table.c.verdicts,
        table.c.verdicts_upheld,
    ).where(table.c.evidence == evidence_name(public_only))
    if sources is not None:
        if not sources:
            return {}
        # the triples written into the SQL as a VALUES list (integers, checked), as a
        # subquery: both back ends then search the index for each triple
        wanted = ",".join(
            f"({operator.index(d)},{operator.index(s)},{operator.index(p)})" for d, s, p in sources
        )
        query = query.where(
            tuple_(table.c.document_id, table.c.attributed_to_id, table.c.property_id).op("IN")(
                literal_column(
                    f"(SELECT column1, column2, column3 FROM (VALUES {wanted}) AS wanted)"
                )
            ),
        )
    return {
        (r[0], r[1], r[2]): trustmod.TrackRecord(*r[3:])
        for r in session.connection().execute(query).all()
    }


def vote_units(public_only: bool) -> str:
    """The stored sources' copy groups, as ``trust.weighed_citations`` joins them."""
    return (
        "(SELECT document_id, attributed_to_id, vote_unit FROM learned_sources"
        f" WHERE evidence = '{evidence_name(public_only)}')"
    )


def answer_scores(
    session: Session, claim_ids: Iterable[int], *, public_only: bool
) -> dict[int, tuple[float, bool]]:
    """The stored score of each of these claims the model holds, and whether the desk's
    verdict made it known to be true: (score, known) by claim. ``leading.lead`` weighs a
    question's answers from them (the log of its unnormalised probability: the same in
    every question that lists the claim). One query per chunk of ids; no temporary table."""
    connection = session.connection()
    evidence = evidence_name(public_only)
    scores: dict[int, tuple[float, bool]] = {}
    for chunk in chunks(sorted(set(claim_ids)), IN_CHUNK):
        for claim_id, score, known in connection.execute(
            select(LearnedAnswer.claim_id, LearnedAnswer.score, LearnedAnswer.known).where(
                LearnedAnswer.evidence == evidence, in_ids(LearnedAnswer.claim_id, chunk)
            )
        ).all():
            scores[claim_id] = (float(score), bool(known))
    return scores


def stored_rows(session: Session) -> dict[str, int]:
    """How many rows each stored result holds, by evidence (for ``--explain`` and tests)."""
    counts: dict[str, int] = defaultdict(int)
    for evidence, n in session.connection().execute(
        select(LearnedAnswer.evidence, func.count()).group_by(LearnedAnswer.evidence)
    ):
        counts[evidence] = int(n)
    return dict(counts)
