"""Conflicts: the questions on which sources contradict each other, and which answer leads.

**Detection** (SPEC §3) is one SQL query. Each citation of a non-deprecated claim is a
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

**Support and the leading answer.** Each citation weighs
``reliability × confidence`` of its source and citation (weights in ``RELIABILITY``
and ``CONFIDENCE``). Citations that trace back to the same cited work (through their
footnotes) or come from the same document are one piece of evidence and count once, at
the weight of the strongest. An answer's support is the sum of its independent evidence
(for a denial: of the denying citations), plus, for an assertion, half the support of
every other claim on the same subject and property whose value is compatible with it (a
an overlapping interval, a date that refines it). The answer the desk accepted
(``resolve --answer``) leads; else a ``preferred`` claim leads whatever its support;
otherwise the answer with most support leads, and equal support at the top leads
nowhere (a tie is reported as such). That is the listing's order before the trust
model weighs it: every caller that shows a leading answer passes the rows through
``leading.lead``, which gives each answer its probability from learned source trust
and decides the leader by it (the desk's answer and a preferred claim still lead).

**Severity** is the support of the second-best supported answer — how strong the best
challenge is: ``high`` when two answers are well supported, ``medium``, ``low``.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
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

from . import history
from .entities import get_entity, get_property
from .errors import DatabaseError, InvalidValue, NotFound
from .gc_pause import few_collections
from .inputs import parse_id
from .models import (
    CONFLICT_STATUSES,
    Alias,
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
    utcnow,
)

RELIABILITY = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.3}
CONFIDENCE = {"high": 1.0, "medium": 0.6, "low": 0.3}
COMPATIBLE_SHARE = 0.5
SEVERITY_HIGH = 0.6
SEVERITY_MEDIUM = 0.3


# ---------------------------------------------------------------- detection


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


def detect(session: Session, actor: str) -> DetectionResult:
    """Find every question and bring the conflicts table up to date (statuses are kept).

    The garbage collector runs rarely meanwhile: the rows read and written are many
    small objects that live for this call only.
    """
    with few_collections():
        return _detect(session, actor)


def _detect(session: Session, actor: str) -> DetectionResult:
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
    found = _questions(connection.execute(detection_query()))
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


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ---------------------------------------------------------------- workflow


def get_conflict(session: Session, ref: Any) -> Conflict:
    conflict = session.get(Conflict, parse_id(ref, "conflict", "provenance conflicts --status all"))
    if conflict is None:
        raise NotFound(
            f"unknown conflict {ref!r}: no conflict has that id"
            " (see `provenance conflicts --status all`)"
        )
    return conflict


def answer_label(claim_id: int, stance: str) -> str:
    """How an answer is named on the command line: ``12``, or ``not 12`` for its denial."""
    return str(claim_id) if stance == "asserts" else f"not {claim_id}"


def _parse_answer(conflict: Conflict, text: str) -> AnswerKey:
    answers = sorted((a.claim_id, a.stance) for a in conflict.answers)
    accepted = ", ".join(answer_label(*a) for a in answers)
    words = text.strip().split()
    denial = len(words) == 2 and words[0].lower() == "not"
    number = words[-1] if words and len(words) <= 2 else ""
    if not number.isdigit() or (len(words) == 2 and not denial):
        raise InvalidValue(
            f"answer {text!r}: expected a claim id of conflict {conflict.id} "
            f"(or 'not ID' for its denial): one of {accepted}"
        )
    claim_id = int(number)
    stances = [s for c, s in answers if c == claim_id]
    if denial:
        wanted = "denies"
    elif "asserts" in stances:
        wanted = "asserts"
    else:
        wanted = "denies"  # the claim is in the question only as denied
    if (claim_id, wanted) not in answers:
        raise InvalidValue(
            f"answer {text!r} is not an answer of conflict {conflict.id}:"
            f" expected one of {accepted}"
        )
    return claim_id, wanted


STATUS_ORDER = ("open", "confirmed", "dismissed", "resolved")


def resolve(
    session: Session,
    conflict: Conflict,
    status: str,
    note: str,
    actor: str,
    answer: str | None = None,
) -> None:
    """Record a fact-checker's verdict on a question; ``answer`` (with ``resolved``) names
    the accepted answer: a claim id, or ``not ID`` for the denial of a claim."""
    if status not in CONFLICT_STATUSES:
        raise InvalidValue(f"status {status!r}: expected one of {', '.join(CONFLICT_STATUSES)}")
    if not note or not note.strip():
        raise InvalidValue("a verdict needs --note: say what was checked")
    if answer is not None and status != "resolved":
        raise InvalidValue(
            f"--answer {answer!r} with status {status!r}:"
            " expected --status resolved (an answer is named only when resolving)"
        )
    accepted = _parse_answer(conflict, answer) if answer is not None else (None, None)
    changes: dict[str, Any] = {"status": [conflict.status, status], "note": [conflict.note, note]}
    before = (conflict.answer_claim_id, conflict.answer_stance)

    def label(key: tuple[int | None, str | None]) -> str | None:
        return None if key[0] is None else answer_label(key[0], key[1] or "asserts")

    if before != accepted:
        changes["answer"] = [label(before), label(accepted)]
    conflict.status = status
    conflict.note = note
    conflict.status_by = actor
    conflict.status_at = utcnow()
    conflict.answer_claim_id, conflict.answer_stance = accepted
    history.changed(
        session, "conflicts", conflict.id, "update", changes, f"verdict: {status}", actor=actor
    )


def resolve_by_preference(session: Session, claim: Claim, actor: str, note: str) -> list[int]:
    """Ranks and verdicts agree: the open questions in which ``claim`` is an asserted
    answer are resolved with it, with ``note`` (``claim prefer`` calls this). Returns the
    ids of the questions resolved. Questions already confirmed, dismissed or resolved
    keep the desk's verdict; a claim not yet in any question resolves nothing."""
    questions = session.scalars(
        select(Conflict)
        .where(
            Conflict.status == "open",
            Conflict.active.is_(True),
            exists().where(
                ConflictAnswer.conflict_id == Conflict.id,
                ConflictAnswer.claim_id == claim.id,
                ConflictAnswer.stance == "asserts",
            ),
        )
        .order_by(Conflict.id)
    ).all()
    for question in questions:
        resolve(session, question, "resolved", note, actor, answer=str(claim.id))
    return [q.id for q in questions]


# ---------------------------------------------------------------- support


@dataclass
class Support:
    """The weight behind one claim, piece by piece."""

    claim_id: int
    total: float = 0.0
    pieces: list[dict[str, Any]] = field(default_factory=list)


def citation_weight(citation: CitationLike) -> float:
    return RELIABILITY.get(citation.source.reliability, RELIABILITY["F"]) * CONFIDENCE.get(
        citation.confidence, CONFIDENCE["medium"]
    )


def citation_document(citation: Any) -> int:
    """The document of a loaded citation, the Python side of ``document_of``: a copy and
    its original are one document (``Source.document_id``)."""
    return citation.source.document_id


def _origins(citation: CitationLike) -> set[str]:
    origins = {f"document:{citation_document(citation)}"}
    if citation.footnote is not None:
        origins |= {f"work:{fw.work_id}" for fw in citation.footnote.works}
    return origins


def evidence_text(citation: Any, weight: float) -> str:
    """A piece of support in the desk's words: ``ctc-khazali-interrogations-2018 [6],
    grade B × high = 0.8`` (source, footnote, grade × confidence = weight)."""
    where = citation.source.slug + (f" [{citation.footnote.number}]" if citation.footnote else "")
    who = f" ({citation.attributed_to.name})" if citation.attributed_to else ""
    return (
        f"{where}{who}, grade {citation.source.reliability} × {citation.confidence}"
        f" = {round(weight, 3):g}"
    )


def own_support(claim: ClaimLike, stance: str = "asserts", *, pieces: bool = True) -> Support:
    """Independent evidence for (or, with ``stance="denies"``, against) one claim.

    Citations sharing a cited work or a document count once, at the strongest's weight.
    ``pieces`` false leaves out the piece-by-piece account (``--explain``): the total is
    the same.
    """
    support = Support(claim.id)
    # a listed claim's citations are live already; a model's may include retracted ones
    citations = [c for c in claim.citations if c.stance == stance and getattr(c, "live", True)]
    weights = [citation_weight(c) for c in citations]
    if len(citations) == 1:
        groups: Iterable[list[int]] = ([0],)
    else:
        # union-find over citations connected by a shared work or document
        parent = list(range(len(citations)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_with: dict[str, int] = {}
        for i, citation in enumerate(citations):
            for origin in _origins(citation):
                if origin in first_with:
                    parent[root(i)] = root(first_with[origin])
                else:
                    first_with[origin] = i
        grouped: dict[int, list[int]] = defaultdict(list)
        for i in range(len(citations)):
            grouped[root(i)].append(i)
        groups = grouped.values()
    for members in groups:
        strongest = max(members, key=weights.__getitem__)
        support.total += weights[strongest]
        if not pieces:
            continue
        for i in members:
            citation, counted = citations[i], i == strongest
            said = evidence_text(citation, weights[i])
            support.pieces.append(
                {
                    "text": said
                    if counted
                    else f"{said}: counted once, with "
                    f"{evidence_text(citations[strongest], weights[strongest])}"
                    " (same work or document)",
                    "citation": citation.id,
                    "source": citation.source.slug,
                    "reliability": citation.source.reliability,
                    "confidence": citation.confidence,
                    "footnote": citation.footnote.number if citation.footnote else None,
                    "attributed_to": citation.attributed_to.name
                    if citation.attributed_to
                    else None,
                    "weight": round(weights[i], 3) if counted else 0.0,
                    "why": "independent evidence"
                    if counted
                    else f"same work or document as citation {citations[strongest].id}:"
                    " counted once",
                }
            )
    return support


def _compatible(a: ClaimLike, b: ClaimLike, tolerance: float | None) -> bool:
    datatype = a.property.datatype
    if datatype == "quantity":
        # stored bounds: only approximate input carries the tolerance (see _widened)
        (al, ah), (bl, bh) = (a.quantity_low, a.quantity_high), (b.quantity_low, b.quantity_high)
        if ah is not None and bl is not None and ah < bl:
            return False
        return not (bh is not None and al is not None and bh < al)
    if datatype == "date":
        if a.date_latest and b.date_earliest and a.date_latest < b.date_earliest:
            return False
        return not (b.date_latest and a.date_earliest and b.date_latest < a.date_earliest)
    return a.value_key == b.value_key


def supports(
    session: Session,
    claims: list[Any],
    members: dict[tuple[int, int], list[Any]] | None = None,
    *,
    pieces: bool = True,
) -> dict[int, Support]:
    """Support of each claim, including half the support of compatible claims on the same
    subject, property and scope. The claims of every group involved are loaded in a few
    queries (unless given as ``members``), and each claim's own support is computed once.
    ``pieces`` false: totals only, without the piece-by-piece account."""
    if members is None:
        members = _group_members(session, [c.id for c in claims])
    own: dict[int, Support] = {}

    def own_of(claim: Any) -> Support:
        if claim.id not in own:
            own[claim.id] = own_support(claim, pieces=pieces)
        return own[claim.id]

    result = {}
    for claim in claims:
        base = own_of(claim)
        support = Support(claim.id, base.total, list(base.pieces))
        for other in members.get((claim.subject_id, claim.property_id), ()):
            if other.id == claim.id or other.scope_key != claim.scope_key:
                continue
            if not _compatible(claim, other, claim.property.tolerance):
                continue
            lent = own_of(other).total * COMPATIBLE_SHARE
            if lent <= 0:
                continue
            support.total += lent
            if pieces:
                support.pieces.append(
                    {
                        "text": f"compatible value {other.value} (claim {other.id}):"
                        f" half its support = {round(lent, 3):g}",
                        "claim": other.id,
                        "value": other.value,
                        "weight": round(lent, 3),
                        "why": f"compatible value {other.value!r} lends half its support",
                    }
                )
        result[claim.id] = support
    return result


# ---------------------------------------------------------------- claims as listed
#
# Listing reads claims with their qualifiers, citations, sources, footnotes and works
# as plain rows into the small read-only views below, a few set-based queries per
# chunk of conflicts. Loading them as ORM objects with their relationships cost some
# 15 s of a 20 s listing at a million claims; the views carry the same attribute names,
# so support, sides and leading values read them as they read the models.


@dataclass(slots=True)
class _Named:
    name: str


@dataclass(slots=True)
class _PropertyView:
    name: str
    datatype: str
    tolerance: float | None


@dataclass(slots=True)
class _SourceView:
    id: int
    slug: str
    title: str
    reliability: str
    document_id: int


@dataclass(slots=True)
class _WorkLink:
    work_id: int


@dataclass(slots=True)
class _FootnoteView:
    number: int
    works: list[_WorkLink]


@dataclass(slots=True)
class _QualifierView:
    key: str
    value: str


@dataclass(slots=True)
class _CitationView:
    id: int
    source_id: int
    quote: str | None
    stance: str
    confidence: str
    source: _SourceView
    footnote: _FootnoteView | None
    attributed_to: _Named | None


_CLAIM_VIEW_COLUMNS = (
    "id",
    "subject_id",
    "property_id",
    "value",
    "value_key",
    "unit",
    "rank",
    "as_of",
    "valid_from",
    "valid_to",
    "scope_key",
    "quantity_low",
    "quantity_high",
    "date_earliest",
    "date_latest",
    "rank_reason",
)


@dataclass(slots=True)
class _ClaimView:
    id: int
    subject_id: int
    property_id: int
    value: str
    value_key: str
    unit: str | None
    rank: str
    as_of: str | None
    valid_from: str | None
    valid_to: str | None
    scope_key: str
    quantity_low: float | None
    quantity_high: float | None
    date_earliest: str | None
    date_latest: str | None
    rank_reason: str | None
    subject: _Named = None  # type: ignore[assignment]
    property: _PropertyView = None  # type: ignore[assignment]
    qualifiers: list[_QualifierView] = field(default_factory=list)
    citations: list[_CitationView] = field(default_factory=list)


# what comparing and listing read of a claim: the ORM object, or the plain view listing loads
ClaimLike = Claim | _ClaimView
CitationLike = Citation | _CitationView


IN_CHUNK = 5000  # ids per IN list: well under SQLite's limit on bound variables


def in_ids(column: Any, ids: Iterable[int]) -> Any:
    """``column IN (1, 2, …)`` with the ids written into the SQL text. They are integers
    read from the database (checked); an IN list of bound parameters costs SQLAlchemy
    more per id than the query costs the database (a tenth of a listing at a million
    claims)."""
    return column.op("IN")(
        literal_column("(" + ",".join(str(operator.index(i)) for i in ids) + ")")
    )


def _rows_in(connection, query, column, ids: Iterable[int]):
    ids = sorted(set(ids))
    for chunk in _chunks(ids, IN_CHUNK):
        yield from connection.execute(query.where(in_ids(column, chunk))).all()


def _ids_in(ids: list[int]) -> Callable[[Any], Any]:
    """A narrowing of ``_claim_views`` to the claims with these ids."""
    return lambda query: query.where(in_ids(Claim.id, ids))


def _claim_views(session: Session, narrowings: Iterable[Callable[[Any], Any]]) -> list[_ClaimView]:
    """The claims each narrowing (a function of a SELECT of claims) selects, with
    everything listing shows of them, by id."""
    # plain rows from the connection: the ORM's result machinery is not needed here
    session.flush()
    connection = session.connection()
    columns = [getattr(Claim, name) for name in _CLAIM_VIEW_COLUMNS]
    claims: dict[int, _ClaimView] = {}
    for narrow in narrowings:
        for row in connection.execute(narrow(select(*columns))).all():
            if row[0] not in claims:
                claims[row[0]] = _ClaimView(*row)
    if not claims:
        return []
    properties = {
        r.id: _PropertyView(r.name, r.datatype, r.tolerance)
        for r in _rows_in(
            connection,
            select(Property.id, Property.name, Property.datatype, Property.tolerance),
            Property.id,
            (c.property_id for c in claims.values()),
        )
    }
    citation_rows = list(
        _rows_in(
            connection,
            select(
                Citation.id,
                Citation.claim_id,
                Citation.source_id,
                Citation.footnote_id,
                Citation.attributed_to_id,
                Citation.quote,
                Citation.stance,
                Citation.confidence,
            ).where(Citation.live),
            Citation.claim_id,
            claims,
        )
    )
    names = {
        r.id: _Named(r.name)
        for r in _rows_in(
            connection,
            select(Entity.id, Entity.name),
            Entity.id,
            [c.subject_id for c in claims.values()]
            + [r.attributed_to_id for r in citation_rows if r.attributed_to_id is not None],
        )
    }
    sources = {
        r.id: _SourceView(r.id, r.slug, r.title, r.reliability, r.document_id)
        for r in _rows_in(
            connection,
            select(
                Source.id,
                Source.slug,
                Source.title,
                Source.reliability,
                Source.document_id.label("document_id"),
            ),
            Source.id,
            (r.source_id for r in citation_rows),
        )
    }
    footnote_ids = {r.footnote_id for r in citation_rows if r.footnote_id is not None}
    footnotes = {
        r.id: _FootnoteView(r.number, [])
        for r in _rows_in(
            connection, select(Footnote.id, Footnote.number), Footnote.id, footnote_ids
        )
    }
    for r in _rows_in(
        connection,
        select(FootnoteWork.footnote_id, FootnoteWork.work_id).order_by(FootnoteWork.position),
        FootnoteWork.footnote_id,
        footnote_ids,
    ):
        footnotes[r.footnote_id].works.append(_WorkLink(r.work_id))
    for claim in claims.values():
        claim.subject = names[claim.subject_id]
        claim.property = properties[claim.property_id]
    # in the models' order: qualifiers by key, citations by id
    for r in _rows_in(
        connection,
        select(ClaimQualifier.claim_id, ClaimQualifier.key, ClaimQualifier.value),
        ClaimQualifier.claim_id,
        claims,
    ):
        claims[r.claim_id].qualifiers.append(_QualifierView(r.key, r.value))
    for claim in claims.values():
        claim.qualifiers.sort(key=lambda q: q.key)
    citation_rows.sort(key=lambda r: r.id)
    for r in citation_rows:
        claims[r.claim_id].citations.append(
            _CitationView(
                r.id,
                r.source_id,
                r.quote,
                r.stance,
                r.confidence,
                sources[r.source_id],
                footnotes[r.footnote_id] if r.footnote_id is not None else None,
                names[r.attributed_to_id] if r.attributed_to_id is not None else None,
            )
        )
    return sorted(claims.values(), key=lambda c: c.id)


def _group_members(
    session: Session, claim_ids: Iterable[int]
) -> dict[tuple[int, int], list[_ClaimView]]:
    """The live (not deprecated) claims of the (subject, property) groups of
    ``claim_ids``, by id."""
    members: dict[tuple[int, int], list[_ClaimView]] = defaultdict(list)

    def queries():
        # joined to the distinct groups of a chunk of claims: one search of the
        # (subject_id, property_id) index per group (a row-value IN list scans the
        # index on SQLite, an EXISTS scans the claims)
        for chunk in _chunks(sorted(set(claim_ids)), IN_CHUNK):
            groups = (
                select(Claim.subject_id, Claim.property_id)
                .where(in_ids(Claim.id, chunk))
                .distinct()
                .subquery("groups")
            )
            yield lambda query, groups=groups: query.join(
                groups,
                and_(
                    groups.c.subject_id == Claim.subject_id,
                    groups.c.property_id == Claim.property_id,
                ),
            ).where(
                Claim.rank != "deprecated",
                # a claim whose every citation is retracted is no answer
                exists(select(literal(1)).where(Citation.claim_id == Claim.id, Citation.live)),
            )

    for claim in _claim_views(session, queries()):
        members[(claim.subject_id, claim.property_id)].append(claim)
    return members


def severity(weaker_side: float) -> str:
    if weaker_side >= SEVERITY_HIGH:
        return "high"
    if weaker_side >= SEVERITY_MEDIUM:
        return "medium"
    return "low"


# ---------------------------------------------------------------- listing


def _answer(claim: Any, stance: str, support: Support, contradicts: list[list[Any]]) -> dict:
    value = claim.value if stance == "asserts" else f"denies: {claim.value}"
    return {
        "claim": claim.id,
        "stance": stance,
        "value": value,
        "unit": claim.unit,
        "rank": claim.rank,
        "as_of": claim.as_of,
        "valid_from": claim.valid_from,
        "valid_to": claim.valid_to,
        "qualifiers": {q.key: q.value for q in claim.qualifiers},
        "support": round(support.total, 3),
        "citations": [
            {
                "id": c.id,
                "source": c.source.slug,
                "source_title": c.source.title,
                "reliability": c.source.reliability,
                "footnote": c.footnote.number if c.footnote else None,
                "quote": c.quote,
                "attributed_to": c.attributed_to.name if c.attributed_to else None,
                "stance": c.stance,
                "confidence": c.confidence,
            }
            for c in claim.citations
            if c.stance == stance
        ],
        "contradicts": [{"claim": c, "stance": s} for c, s in contradicts],
    }


def _leading(
    conflict: Any, answers: list[dict[str, Any]], totals: dict[AnswerKey, float]
) -> tuple[AnswerKey | None, str]:
    """The answer most likely true: the desk's accepted answer, else a preferred claim's
    assertion, else the one with most support (none on a tie at the top)."""
    if conflict.status == "resolved" and conflict.answer_claim_id is not None:
        key = (conflict.answer_claim_id, conflict.answer_stance)
        if key in totals:
            return key, "accepted by the desk"
    preferred = [
        (a["claim"], a["stance"])
        for a in answers
        if a["rank"] == "preferred" and a["stance"] == "asserts"
    ]
    if len(preferred) == 1:
        return preferred[0], "preferred by the desk"
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and round(ranked[0][1], 6) == round(ranked[1][1], 6):
        return None, "tie: equal support"
    key = ranked[0][0]
    if any(stance == "denies" for _, stance in totals):
        return key, "more support for the denial" if key[1] == "denies" else (
            "more support for the assertion"
        )
    return key, "more support"


def _settled(conflict: Any, answers: list[dict[str, Any]], claims: dict[int, Any]) -> str | None:
    """Why a question is settled by ranks, if it is: an answer's claim preferred, or
    (once it is no longer detected) a side deprecated."""
    deprecated = [a for a in answers if a["rank"] == "deprecated"]
    if deprecated and not conflict.active:
        return "; ".join(
            f"claim {a['claim']} ({a['value']}) deprecated"
            + (f": {claims[a['claim']].rank_reason}" if claims[a["claim"]].rank_reason else "")
            for a in deprecated
        )
    preferred = [a for a in answers if a["rank"] == "preferred" and a["stance"] == "asserts"]
    if len(preferred) == 1:
        return f"claim {preferred[0]['claim']} ({preferred[0]['value']}) preferred by the desk"
    return None


def conflict_rows(
    session: Session,
    *,
    status: str = "open",
    subject: str | None = None,
    property_name: str | None = None,
    explain: bool = False,
    include_inactive: bool | None = None,
) -> list[dict[str, Any]]:
    """Questions with every answer, its citations and support, which answers contradict
    which, severity and the leading answer.

    ``status`` ``open`` leaves out questions settled by ranks (see ``settled``); ``all``
    lists every question, also those no longer detected (inactive), so none silently
    disappears. ``include_inactive`` overrides that choice of inactive ones.
    """
    scope = listing_scope(
        session,
        status=status,
        subject=subject,
        property_name=property_name,
        include_inactive=include_inactive,
    )
    return list(iter_conflict_rows(session, scope, explain=explain))


@dataclass(frozen=True)
class ListingScope:
    """Which questions a listing shows: checked names turned into ids (``listing_scope``)."""

    status: str
    include_inactive: bool
    subject_id: int | None = None
    property_id: int | None = None


def listing_scope(
    session: Session,
    *,
    status: str = "open",
    subject: str | None = None,
    property_name: str | None = None,
    include_inactive: bool | None = None,
) -> ListingScope:
    """The questions ``conflict_rows`` would list, with bad input refused here, before
    anything is read or written."""
    if status != "all" and status not in CONFLICT_STATUSES:
        raise InvalidValue(
            f"status {status!r}: expected one of {', '.join(CONFLICT_STATUSES)} or all"
        )
    return ListingScope(
        status=status,
        include_inactive=status == "all" if include_inactive is None else include_inactive,
        subject_id=get_entity(session, subject).id if subject else None,
        property_id=get_property(session, property_name).id if property_name else None,
    )


def iter_conflict_rows(
    session: Session, scope: ListingScope, *, explain: bool = False
) -> Iterator[dict[str, Any]]:
    """The rows of ``conflict_rows``, made and given a chunk of questions at a time.

    Memory stays flat however many questions there are: each chunk's claims, citations
    and sources are read, turned into rows and dropped. The first chunk is small, so
    that a listing starts printing at once.
    """
    query = select(Conflict.id).order_by(Conflict.id)
    if not scope.include_inactive:
        query = query.where(Conflict.active == true())
    if scope.status != "all":
        query = query.where(Conflict.status == scope.status)
    if scope.subject_id is not None:
        query = query.where(Conflict.subject_id == scope.subject_id)
    if scope.property_id is not None:
        query = query.where(Conflict.property_id == scope.property_id)
    ids = list(session.scalars(query).all())
    with few_collections():
        start, size = 0, FIRST_ROWS_CHUNK
        while start < len(ids):
            chunk = ids[start : start + size]
            start, size = start + size, ROWS_CHUNK
            listed = session.execute(
                select(*_CONFLICT_COLUMNS).where(in_ids(Conflict.id, chunk)).order_by(Conflict.id)
            ).all()
            for row in _conflict_rows_of(session, listed, explain):
                if scope.status != "open" or row["settled"] is None:
                    yield row


FIRST_ROWS_CHUNK = 100


class Listing:
    """The rows of a listing (``iter_conflict_rows``) as they are made, noting whether an
    open question (not settled by ranks) went by: ``conflicts --fail`` learns it without
    holding the rows. ``csv()`` gives them as CSV lines (``flat_rows``)."""

    def __init__(self, session: Session, scope: ListingScope, *, explain: bool = False) -> None:
        self._rows = iter_conflict_rows(session, scope, explain=explain)
        self.open_seen = False

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self._rows:
            if row["status"] == "open" and row["settled"] is None:
                self.open_seen = True
            yield row

    def csv(self) -> Iterator[dict[str, Any]]:
        for row in self:
            yield from flat_rows(row)


ROWS_CHUNK = 2000
# what a listed conflict shows of itself, read as plain rows (the attributes of a Conflict)
_CONFLICT_COLUMNS = (
    Conflict.id,
    Conflict.subject_id,
    Conflict.property_id,
    Conflict.kind,
    Conflict.status,
    Conflict.active,
    Conflict.note,
    Conflict.status_by,
    Conflict.status_at,
    Conflict.answer_claim_id,
    Conflict.answer_stance,
)


def _conflict_rows_of(
    session: Session, conflicts: Sequence[Any], explain: bool
) -> list[dict[str, Any]]:
    answers_of: dict[int, list[tuple[int, str, list[list[Any]]]]] = defaultdict(list)
    connection = session.connection()
    for r in _rows_in(
        connection,
        select(
            ConflictAnswer.conflict_id,
            ConflictAnswer.claim_id,
            ConflictAnswer.stance,
            ConflictAnswer.contradicts,
        ).order_by(ConflictAnswer.id),
        ConflictAnswer.conflict_id,
        (c.id for c in conflicts),
    ):
        answers_of[r.conflict_id].append((r.claim_id, r.stance, r.contradicts or []))
    claim_ids = {claim for answers in answers_of.values() for claim, _, _ in answers}
    # the conflicts' claims with the groups they belong to: loaded once, shared
    members = _group_members(session, claim_ids)
    claims = {c.id: c for group in members.values() for c in group if c.id in claim_ids}
    missing = sorted(claim_ids - claims.keys())  # deprecated since the conflict was found
    claims.update(
        (c.id, c)
        for c in _claim_views(
            session,
            (_ids_in(chunk) for chunk in _chunks(missing, IN_CHUNK)),
        )
    )
    asserted = supports(session, [claims[i] for i in sorted(claims)], members, pieces=explain)
    names = {c.subject_id: c.subject.name for c in claims.values()}
    properties = {c.property_id: c.property.name for c in claims.values()}
    rows = []
    for conflict in conflicts:
        answers: list[dict[str, Any]] = []
        totals: dict[AnswerKey, float] = {}
        for claim_id, stance, contradicts in answers_of[conflict.id]:
            claim = claims[claim_id]
            support = (
                asserted[claim_id]
                if stance == "asserts"
                else own_support(claim, "denies", pieces=explain)
            )
            answer = _answer(claim, stance, support, contradicts)
            if explain:
                answer["support_pieces"] = support.pieces
            answers.append(answer)
            totals[(claim_id, stance)] = support.total
        if not answers:
            continue
        leader, why = _leading(conflict, answers, totals)
        # leading answer first, then by support
        answers.sort(
            key=lambda a: (
                (a["claim"], a["stance"]) != leader,
                -totals[(a["claim"], a["stance"])],
                a["claim"],
                a["stance"],
            )
        )
        leading = next((a for a in answers if (a["claim"], a["stance"]) == leader), None)
        ranked = sorted(totals.values(), reverse=True)
        rows.append(
            {
                "id": conflict.id,
                "kind": conflict.kind,
                "status": conflict.status,
                "active": conflict.active,
                "settled": _settled(conflict, answers, claims),
                "subject": names.get(conflict.subject_id),
                "property": properties.get(conflict.property_id),
                # the strength of the best challenge: the second-best supported answer
                "severity": severity(ranked[1] if len(ranked) > 1 else ranked[0]),
                "answer": (
                    {"claim": conflict.answer_claim_id, "stance": conflict.answer_stance}
                    if conflict.answer_claim_id is not None
                    else None
                ),
                "leading_claim": leader[0] if leader else None,
                "leading_value": leading["value"] if leading else None,
                "leading_reason": why,
                "answers": answers,
                "note": conflict.note,
                "status_by": conflict.status_by,
                "status_at": conflict.status_at.isoformat(timespec="seconds")
                if conflict.status_at
                else None,
            }
        )
    return rows


def _sources_text(answer: dict[str, Any]) -> str:
    return "; ".join(
        sorted(
            {
                c["source"] + (f" [{c['footnote']}]" if c["footnote"] else "")
                for c in answer["citations"]
            }
        )
    )


def answer_ref(answer: dict[str, Any]) -> str:
    return answer_label(answer["claim"], answer["stance"])


def flat_rows(row: dict[str, Any]) -> list[dict[str, Any]]:
    """CSV: one line per answer of a question, the question's fields repeated."""
    return [
        {
            "id": row["id"],
            "kind": row["kind"],
            "status": row["status"],
            "settled": row["settled"],
            "severity": row["severity"],
            "subject": row["subject"],
            "property": row["property"],
            "answers": len(row["answers"]),
            "answer": answer_ref(answer),
            "claim": answer["claim"],
            "stance": answer["stance"],
            "value": answer["value"],
            "support": answer["support"],
            "probability": answer.get("probability"),
            "margin": answer.get("margin"),
            "sources": _sources_text(answer),
            "quotes": " | ".join(c["quote"] or "" for c in answer["citations"]),
            "contradicts": " ".join(
                answer_label(c["claim"], c["stance"]) for c in answer["contradicts"]
            ),
            "leading": answer["claim"] == row["leading_claim"]
            and answer["value"] == row["leading_value"],
            "leading_value": row["leading_value"],
            "leading_reason": row["leading_reason"],
            "note": row["note"],
        }
        for answer in row["answers"]
    ]
