"""Conflicts: where sources contradict each other, and which value leads.

**Detection** (SPEC §3) is one SQL query. Each citation of a non-deprecated claim of a
single-valued property is a piece of *evidence*: (claim, subject, property, source,
speaker, stance, effective scope). Evidence is joined with evidence of the same subject
and property (the index ``ix_claims_subject_property`` makes that a grouping, so the
cost grows with the size of each group, not with the square of all claims), and a pair
of claims conflicts when some pair of their evidence

1. comes from different sources — a source is the pair (document, attributed_to), and a
   copy and its original are one document (``Source.document_id``);
2. has overlapping scope: qualifier keys both claims carry are equal (values compared
   by normalised spelling, and spellings that are aliases of one entity agree), validity
   intervals overlap, and a time-varying claim with no as_of/validity is scoped to its
   source's publication date;
3. is incompatible: both assert, and the values cannot both be true — quantity
   intervals that do not overlap (only approximate input carries the tolerance), date
   intervals that do not overlap, different entities, different normalised texts,
   different booleans —
   or, for one claim, one source asserts it and another denies it (kind ``stance``).

A conflict is identified by its two claims, so a fact-checker's verdict survives
re-detection; a conflict no longer detected (a claim deprecated, a value corrected) is
kept, marked inactive, and listed again if it comes back.

**Support and the leading value.** Each citation weighs
``reliability × confidence`` of its source and citation (weights in ``RELIABILITY``
and ``CONFIDENCE``). Citations that trace back to the same cited work (through their
footnotes) or come from the same document are one piece of evidence and count once, at
the weight of the strongest. A claim's support is the sum of its independent evidence,
plus half the support of every other claim on the same subject and property whose value
is compatible with it (an overlapping interval, a date that refines it). A
``preferred`` claim leads whatever its support; otherwise the value with more support
leads, and equal support leads nowhere (a tie is reported as such).

**Severity** is the support of the weaker side: a conflict between two well-supported
values is ``high``, one side weak ``medium``, both weak ``low``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    Table,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session, aliased

from .entities import get_entity, get_property
from .errors import InvalidValue, NotFound
from .gc_pause import few_collections
from .history import record
from .inputs import parse_id
from .models import (
    CONFLICT_STATUSES,
    Alias,
    Citation,
    Claim,
    ClaimQualifier,
    Conflict,
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
    live = and_(prop.multi == false(), ca.rank != "deprecated", cb.rank != "deprecated")
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
        .where(live, incompatible, ~_qualifiers_differ(ca, cb))
    )
    # stance: ``a`` is denied by some source and ``b`` (the same claim, or one whose value
    # lies within a's: "2003-09-24" within "2003") is asserted by another
    quantity_in, date_in = _contains(ca, cb, prop.tolerance)
    within = or_(
        cb.id == ca.id,
        case(
            (prop.datatype == "quantity", quantity_in),
            (prop.datatype == "date", date_in),
            else_=false(),
        ),
    )
    denied = exists(
        select(literal(1)).where(Citation.claim_id == ca.id, Citation.stance == "denies")
    )
    stances = (
        select(ca.id.label("a"), cb.id.label("b"), literal("stance").label("kind"))
        .select_from(ca)
        .join(cb, same_group)
        .join(prop, prop.id == ca.property_id)
        .where(live, denied, within, ~_qualifiers_differ(ca, cb))
    )
    for query in (values, stances):
        if subject_id is not None:
            query = query.where(ca.subject_id == subject_id)
        if property_id is not None:
            query = query.where(ca.property_id == property_id)
        yield query


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


def detection_query(subject_id: int | None = None, property_id: int | None = None):
    """The SQL that finds every (claim_a, claim_b, kind) in conflict, a <= b."""
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
    low = case((pairs.c.a < pairs.c.b, pairs.c.a), else_=pairs.c.b)
    high = case((pairs.c.a < pairs.c.b, pairs.c.b), else_=pairs.c.a)
    return (
        select(low.label("claim_a_id"), high.label("claim_b_id"), pairs.c.kind.label("kind"))
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
            # a source is the pair (document, speaker); a copy and its original are one
            # document (Source.document_id)
            or_(
                sa.document_id != sb.document_id,
                func.coalesce(ea.attributed_to_id, 0) != func.coalesce(eb.attributed_to_id, 0),
            ),
            or_(a_latest.is_(None), b_earliest.is_(None), a_latest >= b_earliest),
            or_(b_latest.is_(None), a_earliest.is_(None), b_latest >= a_earliest),
        )
        .group_by(low, high, pairs.c.kind)
    )


@dataclass
class DetectionResult:
    detected: int = 0
    new: int = 0
    returned: int = 0
    gone: int = 0


def detect(session: Session, actor: str) -> DetectionResult:
    """Find every conflict and bring the conflicts table up to date (statuses are kept)."""
    from sqlalchemy import insert

    from .models import History

    now = utcnow()
    found: dict[tuple[int, int], str] = {}
    for row in session.execute(detection_query()):
        key = (row.claim_a_id, row.claim_b_id)
        # a pair both contradicting in value and asserted-vs-denied is listed once, by value
        if key not in found or found[key] == "stance":
            found[key] = row.kind
    stored = {
        (r.claim_a_id, r.claim_b_id): r
        for r in session.execute(
            select(
                Conflict.id,
                Conflict.claim_a_id,
                Conflict.claim_b_id,
                Conflict.kind,
                Conflict.active,
            )
        )
    }
    result = DetectionResult(detected=len(found))
    new_pairs = [(a, b, kind) for (a, b), kind in found.items() if (a, b) not in stored]
    if new_pairs:
        # Core inserts on the connection: the ORM's bulk path costs a few times the
        # insert itself for the tens of thousands of rows a first detection writes
        connection = session.connection()
        before = connection.execute(select(func.coalesce(func.max(Conflict.id), 0))).scalar_one()
        connection.execute(
            insert(cast(Table, Conflict.__table__)),
            [
                {
                    "claim_a_id": a,
                    "claim_b_id": b,
                    "kind": kind,
                    "status": "open",
                    "active": True,
                    "first_detected_at": now,
                    "last_detected_at": now,
                }
                for a, b, kind in new_pairs
            ],
        )
        # the new rows' ids: one range read (a list of pairs is a scan per chunk on SQLite)
        wanted = {(a, b) for a, b, _ in new_pairs}
        ids = {
            (r.claim_a_id, r.claim_b_id): r.id
            for r in connection.execute(
                select(Conflict.id, Conflict.claim_a_id, Conflict.claim_b_id).where(
                    Conflict.id > before
                )
            )
            if (r.claim_a_id, r.claim_b_id) in wanted
        }
        connection.execute(
            insert(cast(Table, History.__table__)),
            [
                {
                    "table_name": "conflicts",
                    "row_id": ids[(a, b)],
                    "action": "insert",
                    "actor": actor,
                    "at": now,
                    "changes": {"claims": [a, b], "kind": kind},
                    "summary": "detected",
                }
                for a, b, kind in new_pairs
            ],
        )
        result.new = len(new_pairs)
    back = [row.id for key, row in stored.items() if key in found and not row.active]
    gone = [row.id for key, row in stored.items() if key not in found and row.active]
    changed_kind = [
        (row.id, found[key])
        for key, row in stored.items()
        if key in found and row.kind != found[key]
    ]
    if back:
        session.execute(update(Conflict).where(Conflict.id.in_(back)).values(active=True))
        for cid in back:
            record(
                session,
                "conflicts",
                cid,
                "update",
                actor,
                {"active": [False, True]},
                "detected again",
            )
    if gone:
        session.execute(update(Conflict).where(Conflict.id.in_(gone)).values(active=False))
        for cid in gone:
            record(
                session,
                "conflicts",
                cid,
                "update",
                actor,
                {"active": [True, False]},
                "no longer detected",
            )
    for cid, kind in changed_kind:
        session.execute(update(Conflict).where(Conflict.id == cid).values(kind=kind))
    if stored and found:
        session.execute(
            update(Conflict).where(Conflict.active == true()).values(last_detected_at=now)
        )
    result.returned, result.gone = len(back), len(gone)
    return result


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ---------------------------------------------------------------- workflow


def get_conflict(session: Session, ref: Any) -> Conflict:
    conflict = session.get(Conflict, parse_id(ref, "conflict", "provenance conflicts --status all"))
    if conflict is None:
        raise NotFound(
            f"unknown conflict {ref!r}: no conflict has that id (see `provenance conflicts --status"
            " all`)"
        )
    return conflict


def resolve(session: Session, conflict: Conflict, status: str, note: str, actor: str) -> None:
    """Record a fact-checker's verdict on a conflict."""
    if status not in CONFLICT_STATUSES:
        raise InvalidValue(f"status {status!r}: expected one of {', '.join(CONFLICT_STATUSES)}")
    if not note or not note.strip():
        raise InvalidValue("a verdict needs --note: say what was checked")
    changes = {"status": [conflict.status, status], "note": [conflict.note, note]}
    conflict.status = status
    conflict.note = note
    conflict.status_by = actor
    conflict.status_at = utcnow()
    record(session, "conflicts", conflict.id, "update", actor, changes, f"verdict: {status}")


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


def _origins(citation: CitationLike) -> set[str]:
    # a copy and its original are one document (Source.document_id)
    origins = {f"document:{citation.source.document_id}"}
    if citation.footnote is not None:
        origins |= {f"work:{fw.work_id}" for fw in citation.footnote.works}
    return origins


def own_support(claim: ClaimLike, stance: str = "asserts", *, pieces: bool = True) -> Support:
    """Independent evidence for (or, with ``stance="denies"``, against) one claim.

    Citations sharing a cited work or a document count once, at the strongest's weight.
    ``pieces`` false leaves out the piece-by-piece account (``--explain``): the total is
    the same.
    """
    support = Support(claim.id)
    citations = [c for c in claim.citations if c.stance == stance]
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
            support.pieces.append(
                {
                    "citation": citation.id,
                    "source": citation.source.slug,
                    "reliability": citation.source.reliability,
                    "confidence": citation.confidence,
                    "footnote": citation.footnote.number if citation.footnote else None,
                    "attributed_to": citation.attributed_to.name
                    if citation.attributed_to
                    else None,
                    "weight": round(weights[i], 3) if counted else 0.0,
                    "why": (
                        "independent evidence"
                        if counted
                        else (
                            f"same work or document as citation {citations[strongest].id}: counted"
                            " once"
                        )
                    ),
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
    subject: _Named = None  # type: ignore[assignment]
    property: _PropertyView = None  # type: ignore[assignment]
    qualifiers: list[_QualifierView] = field(default_factory=list)
    citations: list[_CitationView] = field(default_factory=list)


# what comparing and listing read of a claim: the ORM object, or the plain view listing loads
ClaimLike = Claim | _ClaimView
CitationLike = Citation | _CitationView


IN_CHUNK = 5000  # ids per IN list: well under SQLite's limit on bound variables


def _rows_in(connection, query, column, ids: Iterable[int]):
    ids = sorted(set(ids))
    for chunk in _chunks(ids, IN_CHUNK):
        yield from connection.execute(query.where(column.in_(chunk))).all()


def _ids_in(ids: list[int]) -> Callable[[Any], Any]:
    """A narrowing of ``_claim_views`` to the claims with these ids."""
    return lambda query: query.where(Claim.id.in_(ids))


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
            ),
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
                .where(Claim.id.in_(chunk))
                .distinct()
                .subquery("groups")
            )
            yield lambda query, groups=groups: query.join(
                groups,
                and_(
                    groups.c.subject_id == Claim.subject_id,
                    groups.c.property_id == Claim.property_id,
                ),
            ).where(Claim.rank != "deprecated")

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


def _side(claim: ClaimLike, support: Support) -> dict[str, Any]:
    return {
        "claim": claim.id,
        "value": claim.value,
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
        ],
    }


def _leading(a: ClaimLike, b: ClaimLike, sa: Support, sb: Support) -> tuple[int | None, str]:
    preferred = [c for c in (a, b) if c.rank == "preferred"]
    if len(preferred) == 1:
        return preferred[0].id, "preferred by the desk"
    if round(sa.total, 6) == round(sb.total, 6):
        return None, "tie: equal support"
    leader = a if sa.total > sb.total else b
    return leader.id, "more support"


def conflict_rows(
    session: Session,
    *,
    status: str = "open",
    subject: str | None = None,
    property_name: str | None = None,
    explain: bool = False,
    include_inactive: bool = False,
) -> list[dict[str, Any]]:
    """Conflicts with both sides, every citation, severity and the leading value."""
    if status != "all" and status not in CONFLICT_STATUSES:
        raise InvalidValue(
            f"status {status!r}: expected one of {', '.join(CONFLICT_STATUSES)} or all"
        )
    query = select(Conflict).order_by(Conflict.id)
    if not include_inactive:
        query = query.where(Conflict.active == true())
    if status != "all":
        query = query.where(Conflict.status == status)
    ca = aliased(Claim)
    if subject or property_name:
        query = query.join(ca, ca.id == Conflict.claim_a_id)
        if subject:
            query = query.where(ca.subject_id == get_entity(session, subject).id)
        if property_name:
            query = query.where(ca.property_id == get_property(session, property_name).id)
    ids = session.scalars(query.with_only_columns(Conflict.id)).all()
    with few_collections():
        return _listed(session, ids, explain)


def _listed(session: Session, ids: Sequence[int], explain: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    # a chunk at a time: each chunk's claims, citations and sources are read and
    # dropped once its rows are made, so memory does not grow with the conflicts
    # (at a million claims, all of them at once as ORM objects took some 300 MB)
    for start in range(0, len(ids), ROWS_CHUNK):
        chunk = ids[start : start + ROWS_CHUNK]
        listed = session.execute(
            select(*_CONFLICT_COLUMNS).where(Conflict.id.in_(chunk)).order_by(Conflict.id)
        ).all()
        rows.extend(_conflict_rows_of(session, listed, explain))
    return rows


ROWS_CHUNK = 2000
# what a listed conflict shows of itself, read as plain rows (the attributes of a Conflict)
_CONFLICT_COLUMNS = (
    Conflict.id,
    Conflict.claim_a_id,
    Conflict.claim_b_id,
    Conflict.kind,
    Conflict.status,
    Conflict.active,
    Conflict.note,
    Conflict.status_by,
    Conflict.status_at,
)


def _conflict_rows_of(
    session: Session, conflicts: Sequence[Any], explain: bool
) -> list[dict[str, Any]]:
    claim_ids = {c.claim_a_id for c in conflicts} | {c.claim_b_id for c in conflicts}
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
    support = supports(session, [claims[i] for i in sorted(claims)], members, pieces=explain)
    rows = []
    for conflict in conflicts:
        a, b = claims[conflict.claim_a_id], claims[conflict.claim_b_id]
        if conflict.kind == "stance":
            # the denied claim is the one with denying citations; when both have some,
            # the one whose value contains the other's (the wider statement)
            denied, asserted = (a, b) if any(c.stance == "denies" for c in a.citations) else (b, a)
            if a.id != b.id and all(any(c.stance == "denies" for c in x.citations) for x in (a, b)):
                denied, asserted = (
                    (a, b) if _compatible(a, b, a.property.tolerance) and _wider(a, b) else (b, a)
                )
            rows.append(_stance_row(conflict, denied, asserted, support[asserted.id], explain))
            continue
        sa, sb = support[a.id], support[b.id]
        leader, why = _leading(a, b, sa, sb)
        row = {
            "id": conflict.id,
            "kind": conflict.kind,
            "status": conflict.status,
            "active": conflict.active,
            "subject": a.subject.name,
            "property": a.property.name,
            "severity": severity(min(sa.total, sb.total)),
            "leading_claim": leader,
            "leading_value": claims[leader].value if leader else None,
            "leading_reason": why,
            "a": _side(a, sa),
            "b": _side(b, sb),
            "note": conflict.note,
            "status_by": conflict.status_by,
            "status_at": conflict.status_at.isoformat(timespec="seconds")
            if conflict.status_at
            else None,
        }
        if explain:
            row["a"]["support_pieces"] = sa.pieces
            row["b"]["support_pieces"] = sb.pieces
        rows.append(row)
    return rows


def _span(claim: ClaimLike) -> float:
    """How much a value leaves open: the width of its quantity range or date interval."""
    if claim.property.datatype == "date":
        start = (
            dt.datetime.fromisoformat(claim.date_earliest)
            if claim.date_earliest
            else dt.datetime.min
        )
        end = dt.datetime.fromisoformat(claim.date_latest) if claim.date_latest else dt.datetime.max
        return (end - start).total_seconds()
    low = claim.quantity_low if claim.quantity_low is not None else float("-inf")
    high = claim.quantity_high if claim.quantity_high is not None else float("inf")
    return high - low


def _wider(a: ClaimLike, b: ClaimLike) -> bool:
    return _span(a) >= _span(b)


def _stance_row(
    conflict: Conflict, denied: ClaimLike, asserted: ClaimLike, support: Support, explain: bool
) -> dict[str, Any]:
    """One source denies what another asserts: side a the assertion, side b the denial.

    The asserted claim is the denied one, or one whose value lies within it (asserting
    "24 September 2003" asserts "2003").
    """
    side_a = _side(asserted, support)
    denial = own_support(denied, "denies", pieces=explain)
    side_b = _side(denied, denial)
    side_a["citations"] = [c for c in side_a["citations"] if c["stance"] == "asserts"]
    side_b["citations"] = [c for c in side_b["citations"] if c["stance"] == "denies"]
    side_a["value"] = f"asserts: {asserted.value}"
    side_b["value"] = f"denies: {denied.value}"
    side_a["support"], side_b["support"] = round(support.total, 3), round(denial.total, 3)
    if asserted.rank == "preferred":
        leader, value, why = asserted.id, side_a["value"], "preferred by the desk"
    elif round(support.total, 6) == round(denial.total, 6):
        leader, value, why = None, None, "tie: equal support"
    elif support.total > denial.total:
        leader, value, why = asserted.id, side_a["value"], "more support for the assertion"
    else:
        leader, value, why = denied.id, side_b["value"], "more support for the denial"
    row = {
        "id": conflict.id,
        "kind": "stance",
        "status": conflict.status,
        "active": conflict.active,
        "subject": denied.subject.name,
        "property": denied.property.name,
        "severity": severity(min(support.total, denial.total)),
        "leading_claim": leader,
        "leading_value": value,
        "leading_reason": why,
        "a": side_a,
        "b": side_b,
        "note": conflict.note,
        "status_by": conflict.status_by,
        "status_at": conflict.status_at.isoformat(timespec="seconds")
        if conflict.status_at
        else None,
    }
    if explain:
        row["a"]["support_pieces"] = support.pieces
        row["b"]["support_pieces"] = denial.pieces
    return row


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """One line per conflict for CSV: the two sides' values, sources and quotes."""

    def sources(side):
        return "; ".join(
            sorted(
                {
                    c["source"] + (f" [{c['footnote']}]" if c["footnote"] else "")
                    for c in side["citations"]
                }
            )
        )

    def quotes(side):
        return " | ".join(c["quote"] or "" for c in side["citations"])

    return {
        "id": row["id"],
        "kind": row["kind"],
        "status": row["status"],
        "severity": row["severity"],
        "subject": row["subject"],
        "property": row["property"],
        "value_a": row["a"]["value"],
        "sources_a": sources(row["a"]),
        "quotes_a": quotes(row["a"]),
        "support_a": row["a"]["support"],
        "value_b": row["b"]["value"],
        "sources_b": sources(row["b"]),
        "quotes_b": quotes(row["b"]),
        "support_b": row["b"]["support"],
        "leading_value": row["leading_value"],
        "leading_reason": row["leading_reason"],
        "note": row["note"],
    }
