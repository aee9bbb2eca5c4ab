"""Detection: the questions on which sources contradict each other (SPEC §3).

**Detection** is one SQL query. Each citation of a non-deprecated claim is a
piece of *evidence*: (claim, subject, property, document, speaker, stance, effective
scope). Evidence is joined with evidence of the same subject and property (the index
``ix_claims_subject_property`` makes that a grouping, so the cost grows with the size
of each group, not with the square of all claims), and two answers contradict when some
pair of their evidence

1. comes from different sources — a source is the pair (document, attributed_to), the
   document as ``document_of`` computes it: a copy and its original are one document
   (``Source.document_id``);
2. has overlapping scope: qualifier keys both claims carry are equal (values compared
   by normalised spelling, and spellings that are aliases of one entity agree), validity
   intervals overlap, and a time-varying claim with no as_of/validity is scoped to its
   source's publication date;
3. is incompatible: on a single-valued property both assert, and the values cannot both
   be true — quantity intervals that do not overlap (only approximate input carries the
   tolerance), date intervals that do not overlap, different entities, different
   normalised texts, different booleans — or, on any property, one source denies a value
   another asserts (kind ``stance``; on a single-valued property also a value within the
   denied one: asserting "24 September 2003" asserts "2003"; on a multi-valued one only
   the same value).

**Questions.** A fact-checker works on questions, not pairs: the contradicting pairs are
grouped (a union-find over the pairs the SQL returned, linear in them) into questions —
answers linked by contradictions on one subject and property — and a question is one
``conflicts`` row, its answers ``conflict_answers`` rows (an answer is a claim as
asserted, or as denied), each with the answers it contradicts. A question with 40
answers is one conflict and 40 answers, not 780 pairs. A question found again keeps its
id, status and note (it is the stored question sharing most claims with it); a question
no longer found (a side deprecated, a citation retracted) is kept, inactive, and listed
under ``--status all`` with why it is settled, and again as found if it comes back.

**Only when the evidence changed.** Each run stores the key of the evidence it read
(``detection_key``: the newest change to claims, citations, qualifiers, sources and
copies, entities and aliases, properties, ranks and verdicts, with the rules it ran
with). ``conflicts`` asks for a run only when the key moved (``detect(..., reuse=True)``):
an unchanged database lists what it listed, without the query. Every other caller (a
correction, ``publish`` on its scratch copy) detects unconditionally. A skipped run
leaves ``last_detected_at`` at the time of the last run that read the evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    Table,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import Text

from . import detection_key, history
from .errors import DatabaseError
from .gc_pause import few_collections
from .listed_claims import in_ids
from .models import (
    Alias,
    Citation,
    Claim,
    ClaimQualifier,
    Conflict,
    ConflictAnswer,
    Property,
    Source,
    utcnow,
)


def _widened(claim, tolerance):
    """A quantity's bounds as stored: approximate input (``~2000``) was widened by the
    property's tolerance when it was parsed, and an exact figure is exact (values.py)."""
    return claim.quantity_low, claim.quantity_high


def _quantity_disjoint(a, b, tolerance):
    a_low, a_high = _widened(a, tolerance)
    b_low, b_high = _widened(b, tolerance)

    def before(high, high_exclusive, low, low_exclusive):
        return and_(
            high.isnot(None),
            low.isnot(None),
            or_(
                high < low,
                and_(high == low, or_(high_exclusive == true(), low_exclusive == true())),
            ),
        )

    return or_(
        before(a_high, a.quantity_high_exclusive, b_low, b.quantity_low_exclusive),
        before(b_high, b.quantity_high_exclusive, a_low, a.quantity_low_exclusive),
    )


def _date_disjoint(a, b):
    return or_(
        and_(
            a.date_latest.isnot(None), b.date_earliest.isnot(None), a.date_latest < b.date_earliest
        ),
        and_(
            b.date_latest.isnot(None), a.date_earliest.isnot(None), b.date_latest < a.date_earliest
        ),
    )


def _contains(outer, inner, tolerance):
    """Whether ``inner``'s value lies within ``outer``'s: asserting it asserts ``outer``."""
    low, high = _widened(outer, tolerance)
    quantity = and_(
        or_(
            outer.quantity_low.is_(None),
            and_(inner.quantity_low.isnot(None), inner.quantity_low >= low),
        ),
        or_(
            outer.quantity_high.is_(None),
            and_(inner.quantity_high.isnot(None), inner.quantity_high <= high),
        ),
    )
    date = and_(
        or_(
            outer.date_earliest.is_(None),
            and_(inner.date_earliest.isnot(None), inner.date_earliest >= outer.date_earliest),
        ),
        or_(
            outer.date_latest.is_(None),
            and_(inner.date_latest.isnot(None), inner.date_latest <= outer.date_latest),
        ),
    )
    return quantity, date


def _qualifiers_differ(a, b):
    """Whether the claims share a qualifier key with different values: spellings that
    name the same entity (through its aliases, as they are now) are one value."""
    qa, qb = aliased(ClaimQualifier, name="qa"), aliased(ClaimQualifier, name="qb")
    xa, xb = aliased(Alias, name="xa"), aliased(Alias, name="xb")
    same_entity = exists(
        select(literal(1))
        .select_from(xa)
        .join(xb, xb.entity_id == xa.entity_id)
        .where(xa.normalised == qa.normalised, xb.normalised == qb.normalised)
    )
    return exists(
        select(literal(1))
        .select_from(qa)
        .join(qb, and_(qb.key == qa.key, qb.claim_id == b.id))
        .where(qa.claim_id == a.id, qa.normalised != qb.normalised, ~same_entity)
    )


def _candidate_pairs(subject_id: int | None, property_id: int | None):
    """Pairs of claims that would conflict if different sources made them.

    Claims are paired within their (subject, property) group first — the index on
    (subject_id, property_id) makes this a grouping — and only pairs whose values
    cannot both be true survive, so citations are looked at for few pairs.
    """
    ca, cb = aliased(Claim, name="ca"), aliased(Claim, name="cb")
    prop = aliased(Property, name="p")
    same_group = and_(cb.subject_id == ca.subject_id, cb.property_id == ca.property_id)
    live = and_(ca.rank != "deprecated", cb.rank != "deprecated")
    incompatible = case(
        (prop.datatype == "quantity", _quantity_disjoint(ca, cb, prop.tolerance)),
        (prop.datatype == "date", _date_disjoint(ca, cb)),
        (prop.datatype == "entity", ca.entity_value_id != cb.entity_value_id),
        (prop.datatype == "text", ca.text_value != cb.text_value),
        (prop.datatype == "boolean", ca.boolean_value != cb.boolean_value),
        else_=false(),
    )
    values = (
        select(ca.id.label("a"), cb.id.label("b"), prop.datatype.label("kind"))
        .select_from(ca)
        .join(cb, and_(same_group, cb.id > ca.id))
        .join(prop, prop.id == ca.property_id)
        .where(live, prop.multi == false(), incompatible, ~_qualifiers_differ(ca, cb))
    )
    # stance: ``a`` is denied by some source and ``b`` (the same claim, or one whose value
    # lies within a's: "2003-09-24" within "2003") is asserted by another
    # (on a multi-valued property only the same value: "exchanged for Moore" denied
    # contradicts "exchanged for Moore" asserted, not "exchanged for someone else")
    quantity_in, date_in = _contains(ca, cb, prop.tolerance)
    within = or_(
        cb.id == ca.id,
        and_(
            prop.multi == false(),
            case(
                (prop.datatype == "quantity", quantity_in),
                (prop.datatype == "date", date_in),
                else_=false(),
            ),
        ),
    )
    denied = _denied_claims()
    stances = (
        select(ca.id.label("a"), cb.id.label("b"), literal("stance").label("kind"))
        .select_from(denied)
        .join(ca, ca.id == denied.c.claim_id)
        .join(cb, same_group)
        .join(prop, prop.id == ca.property_id)
        .where(live, within, ~_qualifiers_differ(ca, cb))
    )
    for query in (values, stances):
        if subject_id is not None:
            query = query.where(ca.subject_id == subject_id)
        if property_id is not None:
            query = query.where(ca.property_id == property_id)
        yield query


def _denied_claims():
    """The claims some citation denies, read from the partial index of denials
    (``ix_citations_denied_claim``): a few thousand rows at a million claims, where asking
    every claim whether a citation denies it cost half the detection query. The stance is
    a literal, not a parameter, so that the planner can match the index's condition."""
    return (
        select(Citation.claim_id)
        .where(Citation.stance == literal_column("'denies'"), Citation.live)
        .distinct()
        .subquery("denied")
    )


def _effective_scope(claim, prop, source):
    """A citation's scope: its claim's, or for an undated time-varying claim its source's date."""
    has_scope = or_(
        claim.as_of.isnot(None), claim.valid_from.isnot(None), claim.valid_to.isnot(None)
    )
    earliest = case(
        (has_scope, claim.scope_earliest),
        (prop.time_varying == true(), source.published_earliest),
        else_=null(),
    )
    latest = case(
        (has_scope, claim.scope_latest),
        (prop.time_varying == true(), source.published_latest),
        else_=null(),
    )
    return earliest, latest


def document_of(source):
    """The document of a citation, from its source (a SQL expression): the one place rule
    4 of SPEC §3 asks "is this the same document?" — a copy and its original are one."""
    return source.document_id


def detection_query(subject_id: int | None = None, property_id: int | None = None):
    """The SQL that finds every contradicting pair of answers: (claim_a, claim_b, kind,
    subject, property).

    For a value kind both claims are asserted and a < b; for ``stance`` claim_a is
    denied by one source and claim_b (the same claim, or one whose value lies within
    it) asserted by another."""
    values, stances = _candidate_pairs(subject_id, property_id)
    pairs = values.union_all(stances).cte("pairs")
    ca, cb = aliased(Claim, name="pa"), aliased(Claim, name="pb")
    prop = aliased(Property, name="pp")
    ea, eb = aliased(Citation, name="ea"), aliased(Citation, name="eb")
    sa, sb = aliased(Source, name="sa"), aliased(Source, name="sb")
    a_earliest, a_latest = _effective_scope(ca, prop, sa)
    b_earliest, b_latest = _effective_scope(cb, prop, sb)
    stance_ok = case(
        (pairs.c.kind == "stance", and_(ea.stance == "denies", eb.stance == "asserts")),
        else_=and_(ea.stance == "asserts", eb.stance == "asserts"),
    )
    ordered = pairs.c.kind != "stance"
    low = case((and_(ordered, pairs.c.b < pairs.c.a), pairs.c.b), else_=pairs.c.a)
    high = case((and_(ordered, pairs.c.b < pairs.c.a), pairs.c.a), else_=pairs.c.b)
    return (
        select(
            low.label("claim_a_id"),
            high.label("claim_b_id"),
            pairs.c.kind.label("kind"),
            ca.subject_id.label("subject_id"),
            ca.property_id.label("property_id"),
        )
        .select_from(pairs)
        .join(ca, ca.id == pairs.c.a)
        .join(cb, cb.id == pairs.c.b)
        .join(prop, prop.id == ca.property_id)
        .join(ea, ea.claim_id == pairs.c.a)
        .join(eb, eb.claim_id == pairs.c.b)
        .join(sa, sa.id == ea.source_id)
        .join(sb, sb.id == eb.source_id)
        .where(
            stance_ok,
            # a retracted citation is no evidence (Citation.live)
            ea.live,
            eb.live,
            # a source is the pair (document, speaker); a copy and its original are one
            # document (Source.document_id)
            or_(
                document_of(sa) != document_of(sb),
                func.coalesce(ea.attributed_to_id, 0) != func.coalesce(eb.attributed_to_id, 0),
            ),
            or_(a_latest.is_(None), b_earliest.is_(None), a_latest >= b_earliest),
            or_(b_latest.is_(None), a_earliest.is_(None), b_latest >= a_earliest),
        )
        .group_by(low, high, pairs.c.kind, ca.subject_id, ca.property_id)
    )


@dataclass
class DetectionResult:
    detected: int = 0
    new: int = 0
    returned: int = 0
    gone: int = 0
    # the evidence was as the last run saw it: nothing was detected or written
    reused: bool = False


# an answer of a question: (claim id, stance) — the claim as asserted, or as denied
AnswerKey = tuple[int, str]


@dataclass
class _Question:
    """One group of contradicting answers found by a detection run."""

    subject_id: int
    property_id: int
    kind: str = "stance"
    contradicts: dict[AnswerKey, set[AnswerKey]] = field(default_factory=dict)

    @property
    def claims(self) -> set[int]:
        return {claim for claim, _ in self.contradicts}


def _questions(pairs: Iterable[Any]) -> list[_Question]:
    """Contradicting pairs of answers grouped into questions: answers linked by a
    contradiction, or that are one claim asserted and denied, are one question.

    Linear in the pairs the SQL found (a union-find over their claims), not a loop over
    all pairs of claims; a subject and property group never spans two questions unless
    its contradictions fall apart into separate scopes (seats in 2018 and in 2021).
    """
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    edges: list[tuple[AnswerKey, AnswerKey, str, int, int]] = []
    for row in pairs:
        stance_a = "denies" if row.kind == "stance" else "asserts"
        a, b = (row.claim_a_id, stance_a), (row.claim_b_id, "asserts")
        edges.append((a, b, row.kind, row.subject_id, row.property_id))
        ra, rb = root(row.claim_a_id), root(row.claim_b_id)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    questions: dict[int, _Question] = {}
    for a, b, kind, subject_id, property_id in edges:
        question = questions.setdefault(root(a[0]), _Question(subject_id, property_id))
        if kind != "stance":
            question.kind = kind
        question.contradicts.setdefault(a, set()).add(b)
        question.contradicts.setdefault(b, set()).add(a)
    return [questions[r] for r in sorted(questions)]


def _stored_answers(session: Session) -> dict[int, dict[AnswerKey, str]]:
    """Every stored answer with its ``contradicts`` as the JSON text stored: compared as
    text with what was found (decoding thousands of small documents cost more than the
    detection query)."""
    stored: dict[int, dict[AnswerKey, str]] = defaultdict(dict)
    for r in session.connection().execute(
        select(
            ConflictAnswer.conflict_id,
            ConflictAnswer.claim_id,
            ConflictAnswer.stance,
            # cast in SQL: PostgreSQL's driver decodes a json column itself otherwise, and
            # every answer then looked changed and was rewritten on each run
            sql_cast(ConflictAnswer.contradicts, Text).label("contradicts"),
        )
    ):
        stored[r.conflict_id][(r.claim_id, r.stance)] = r.contradicts
    return stored


def _contradicts_json(keys: Iterable[AnswerKey]) -> list[list[Any]]:
    return [[claim, stance] for claim, stance in sorted(keys)]


# the PostgreSQL advisory lock conflict detection runs under ("prov" in ASCII)
DETECTION_LOCK = 0x70726F76


# the grouping rules' version (``_questions``, ``_detect``): raise it when they change
# in a way the query's text does not show, so that stored questions are found anew
RULES_VERSION = 1


def rules_fingerprint(dialect_name: str) -> str:
    """The detection rules as this release runs them on this kind of database: the query
    as compiled for it, and :data:`RULES_VERSION`."""
    if dialect_name not in _FINGERPRINTS:
        from sqlalchemy.dialects import postgresql, sqlite

        dialect = postgresql.dialect() if dialect_name == "postgresql" else sqlite.dialect()
        compiled = str(detection_query().compile(dialect=dialect))
        _FINGERPRINTS[dialect_name] = hashlib.sha256(
            f"{RULES_VERSION}\n{compiled}".encode()
        ).hexdigest()
    return _FINGERPRINTS[dialect_name]


_FINGERPRINTS: dict[str, str] = {}


def detect(session: Session, actor: str, *, reuse: bool = False) -> DetectionResult:
    """Find every question and bring the conflicts table up to date (statuses are kept).

    ``reuse``: when the evidence is as the last run saw it (``detection_key``), detect
    nothing and return ``reused`` — the stored questions are what a run would find.
    The garbage collector runs rarely meanwhile: the rows read and written are many
    small objects that live for this call only.
    """
    with few_collections():
        return _detect(session, actor, reuse)


def _detect(session: Session, actor: str, reuse: bool = False) -> DetectionResult:
    """Find every question and bring the conflicts table up to date (statuses are kept).

    A question found again keeps its id, status and note: it is the stored question
    that shares the most claims with it (the lowest id on a tie). Its answers are
    brought up to date (history says which came and went); a stored question no
    longer found is kept, inactive, with its answers as they were, so that
    ``--status all`` still shows it and why it was settled.
    """
    now = utcnow()
    # plain rows from the connection: the ORM's result machinery costs more than the query
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Questions have no natural unique key to make two simultaneous runs collide on,
        # so runs take turns: the lock is held until this transaction ends, and the run
        # that waited then reads what the first one committed (READ COMMITTED reads anew
        # at each statement). SQLite's write lock already does this.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DETECTION_LOCK})
    # read before the query: a change committed after it moves the key, and is detected
    # by the next run
    key = detection_key.evidence_key(session, rules_fingerprint(connection.dialect.name))
    stored_key = detection_key.last_key(session)
    if reuse and stored_key == key:
        return DetectionResult(reused=True)
    found = _questions(connection.execute(detection_query()))
    if stored_key != key:  # a run on the same evidence (a publish, a correction) writes nothing
        detection_key.store(session, key)
    stored = {
        r.id: r for r in connection.execute(select(Conflict.id, Conflict.kind, Conflict.active))
    }
    stored_answers = _stored_answers(session)
    question_of_claim: dict[int, set[int]] = defaultdict(set)
    for conflict_id, answers in stored_answers.items():
        for claim_id, _stance in answers:
            question_of_claim[claim_id].add(conflict_id)

    result = DetectionResult(detected=len(found))
    matched: dict[int, _Question] = {}
    new: list[_Question] = []
    for question in found:
        shared: dict[int, int] = defaultdict(int)
        for claim_id in question.claims:
            for conflict_id in question_of_claim.get(claim_id, ()):
                if conflict_id not in matched:
                    shared[conflict_id] += 1
        if shared:
            best = min(shared, key=lambda cid: (-shared[cid], not stored[cid].active, cid))
            matched[best] = question
        else:
            new.append(question)
    if new:
        result.new = len(new)
        _insert_new_conflicts(session, new, actor, now)

    back = [cid for cid in matched if not stored[cid].active]
    gone = [cid for cid, row in stored.items() if row.active and cid not in matched]
    if back:
        session.execute(update(Conflict).where(in_ids(Conflict.id, back)).values(active=True))
        for cid in back:
            history.changed(
                session,
                "conflicts",
                cid,
                "update",
                {"active": [False, True]},
                "detected again",
                actor=actor,
            )
    if gone:
        session.execute(update(Conflict).where(in_ids(Conflict.id, gone)).values(active=False))
        for cid in gone:
            history.changed(
                session,
                "conflicts",
                cid,
                "update",
                {"active": [True, False]},
                "no longer detected",
                actor=actor,
            )
    for cid, question in matched.items():
        if stored[cid].kind != question.kind:
            session.execute(update(Conflict).where(Conflict.id == cid).values(kind=question.kind))
        _update_answers(session, cid, stored_answers.get(cid, {}), question, actor)
    if matched:
        session.execute(
            update(Conflict).where(in_ids(Conflict.id, matched)).values(last_detected_at=now)
        )
    result.returned, result.gone = len(back), len(gone)
    return result


def _update_answers(
    session: Session,
    conflict_id: int,
    before: dict[AnswerKey, str],
    question: _Question,
    actor: str,
) -> None:
    """A found-again question's answers as found now; history names those that came and went."""
    added = [key for key in question.contradicts if key not in before]
    removed = [key for key in before if key not in question.contradicts]
    if removed:
        for claim_id, stance in removed:
            session.execute(
                delete(ConflictAnswer).where(
                    ConflictAnswer.conflict_id == conflict_id,
                    ConflictAnswer.claim_id == claim_id,
                    ConflictAnswer.stance == stance,
                )
            )
    for key, contradicts in question.contradicts.items():
        wanted = _contradicts_json(contradicts)
        # as the JSON type writes it (json.dumps), so an unchanged answer is not rewritten
        if key in before and before[key] != json.dumps(wanted):
            session.execute(
                update(ConflictAnswer)
                .where(
                    ConflictAnswer.conflict_id == conflict_id,
                    ConflictAnswer.claim_id == key[0],
                    ConflictAnswer.stance == key[1],
                )
                .values(contradicts=wanted)
            )
    if added:
        session.execute(
            insert(cast(Table, ConflictAnswer.__table__)),
            [
                {
                    "conflict_id": conflict_id,
                    "claim_id": claim_id,
                    "stance": stance,
                    "contradicts": _contradicts_json(question.contradicts[(claim_id, stance)]),
                }
                for claim_id, stance in added
            ],
        )
    if added or removed:
        history.changed(
            session,
            "conflicts",
            conflict_id,
            "update",
            {
                "answers_added": _contradicts_json(added),
                "answers_removed": _contradicts_json(removed),
            },
            "answers changed",
            actor=actor,
        )


def _insert_new_conflicts(
    session: Session, questions: list[_Question], actor: str, now: dt.datetime
) -> None:
    """Write newly found questions and their answers, stamped with the current change.

    Core inserts on the connection: the ORM's bulk path costs a few times the insert
    itself for the tens of thousands of rows a first detection writes.
    """
    change = history.change_id(session, actor)
    connection = session.connection()
    before = connection.execute(select(func.coalesce(func.max(Conflict.id), 0))).scalar_one()
    connection.execute(
        insert(cast(Table, Conflict.__table__)),
        [
            {
                "subject_id": q.subject_id,
                "property_id": q.property_id,
                "kind": q.kind,
                "status": "open",
                "active": True,
                "first_detected_at": now,
                "last_detected_at": now,
                "change_id": change,
            }
            for q in questions
        ],
    )
    # the new rows' ids, in insertion order: one range read. (RETURNING in parameter
    # order runs one INSERT per row on SQLite: 1,300 statements at 100,000 claims.)
    # On SQLite the write lock keeps other runs out; a concurrent PostgreSQL run that
    # committed questions in between is refused rather than mixed up with these.
    ids = (
        connection.execute(select(Conflict.id).where(Conflict.id > before).order_by(Conflict.id))
        .scalars()
        .all()
    )
    if len(ids) != len(questions):
        raise DatabaseError(
            "conflicts were being detected by another run at the same time: run it again"
        )
    connection.execute(
        insert(cast(Table, ConflictAnswer.__table__)),
        [
            {
                "conflict_id": cid,
                "claim_id": claim_id,
                "stance": stance,
                "contradicts": _contradicts_json(contradicts),
            }
            for cid, q in zip(ids, questions, strict=True)
            for (claim_id, stance), contradicts in sorted(q.contradicts.items())
        ],
    )
