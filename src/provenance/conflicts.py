"""Conflicts: where sources contradict each other, and which value leads.

**Detection** (SPEC §3) is one SQL query. Each citation of a non-deprecated claim of a
single-valued property is a piece of *evidence*: (claim, subject, property, source,
speaker, stance, effective scope). Evidence is joined with evidence of the same subject
and property (the index ``ix_claims_subject_property`` makes that a grouping, so the
cost grows with the size of each group, not with the square of all claims), and a pair
of claims conflicts when some pair of their evidence

1. comes from different sources — a source is the pair (document, attributed_to);
2. has overlapping scope: qualifier keys both claims carry are equal (entity values
   compared by entity, so spellings agree), validity intervals overlap, and a
   time-varying claim with no as_of/validity is scoped to its source's publication date;
3. is incompatible: both assert, and the values cannot both be true — quantity
   intervals that do not overlap after the property's tolerance, date intervals that do
   not overlap, different entities, different normalised texts, different booleans —
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
is compatible with it (a value within tolerance, a date that refines it). A
``preferred`` claim leads whatever its support; otherwise the value with more support
leads, and equal support leads nowhere (a tie is reported as such).

**Severity** is the support of the weaker side: a conflict between two well-supported
values is ``high``, one side weak ``medium``, both weak ``low``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import and_, case, exists, false, func, literal, null, or_, select, true, update
from sqlalchemy.orm import Session, aliased, selectinload

from .entities import get_entity, get_property
from .errors import InvalidValue, NotFound
from .history import record
from .models import (
    CONFLICT_STATUSES,
    Citation,
    Claim,
    ClaimQualifier,
    Conflict,
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


def _evidence():
    """One row per citation of a claim that can take part in a conflict."""
    has_scope = or_(Claim.as_of.isnot(None), Claim.valid_from.isnot(None), Claim.valid_to.isnot(None))
    earliest = case(
        (has_scope, Claim.scope_earliest),
        (Property.time_varying == true(), Source.published_earliest),
        else_=null(),
    )
    latest = case(
        (has_scope, Claim.scope_latest),
        (Property.time_varying == true(), Source.published_latest),
        else_=null(),
    )
    return (
        select(
            Citation.claim_id.label("claim_id"),
            Claim.subject_id.label("subject_id"),
            Claim.property_id.label("property_id"),
            Citation.source_id.label("source_id"),
            func.coalesce(Citation.attributed_to_id, 0).label("speaker_id"),
            Citation.stance.label("stance"),
            earliest.label("earliest"),
            latest.label("latest"),
        )
        .join(Claim, Claim.id == Citation.claim_id)
        .join(Property, Property.id == Claim.property_id)
        .join(Source, Source.id == Citation.source_id)
        .where(Claim.rank != "deprecated", Property.multi == false())
        .cte("evidence")
    )


def _widened(claim, tolerance):
    """A quantity's bounds widened by the property's tolerance (none: exact)."""
    tol = func.coalesce(tolerance, 0.0)
    low = claim.quantity_low - tol * func.abs(claim.quantity_low)
    high = claim.quantity_high + tol * func.abs(claim.quantity_high)
    return low, high


def _quantity_disjoint(a, b, tolerance):
    a_low, a_high = _widened(a, tolerance)
    b_low, b_high = _widened(b, tolerance)

    def before(high, high_exclusive, low, low_exclusive):
        return and_(
            high.isnot(None),
            low.isnot(None),
            or_(high < low, and_(high == low, or_(high_exclusive == true(), low_exclusive == true()))),
        )

    return or_(
        before(a_high, a.quantity_high_exclusive, b_low, b.quantity_low_exclusive),
        before(b_high, b.quantity_high_exclusive, a_low, a.quantity_low_exclusive),
    )


def _date_disjoint(a, b):
    return or_(
        and_(a.date_latest.isnot(None), b.date_earliest.isnot(None), a.date_latest < b.date_earliest),
        and_(b.date_latest.isnot(None), a.date_earliest.isnot(None), b.date_latest < a.date_earliest),
    )


def detection_query(subject_id: int | None = None, property_id: int | None = None):
    """The SQL that finds every (claim_a, claim_b, kind) in conflict."""
    ev = _evidence()
    ea, eb = ev.alias("ea"), ev.alias("eb")
    ca, cb = aliased(Claim, name="ca"), aliased(Claim, name="cb")
    prop = aliased(Property, name="p")
    qa, qb = aliased(ClaimQualifier, name="qa"), aliased(ClaimQualifier, name="qb")

    scopes_overlap = and_(
        or_(ea.c.latest.is_(None), eb.c.earliest.is_(None), ea.c.latest >= eb.c.earliest),
        or_(eb.c.latest.is_(None), ea.c.earliest.is_(None), eb.c.latest >= ea.c.earliest),
    )
    qualifiers_differ = exists(
        select(literal(1))
        .select_from(qa)
        .join(qb, and_(qb.key == qa.key, qb.claim_id == cb.id))
        .where(qa.claim_id == ca.id, qa.normalised != qb.normalised)
    )
    values_incompatible = case(
        (prop.datatype == "quantity", _quantity_disjoint(ca, cb, prop.tolerance)),
        (prop.datatype == "date", _date_disjoint(ca, cb)),
        (prop.datatype == "entity", ca.entity_value_id != cb.entity_value_id),
        (prop.datatype == "text", ca.text_value != cb.text_value),
        (prop.datatype == "boolean", ca.boolean_value != cb.boolean_value),
        else_=false(),
    )
    value_conflict = and_(ea.c.claim_id < eb.c.claim_id, ea.c.stance == "asserts", eb.c.stance == "asserts", values_incompatible)
    stance_conflict = and_(ea.c.claim_id == eb.c.claim_id, ea.c.stance != eb.c.stance)
    kind = case((ea.c.claim_id == eb.c.claim_id, literal("stance")), else_=prop.datatype)

    query = (
        select(ea.c.claim_id.label("claim_a_id"), eb.c.claim_id.label("claim_b_id"), kind.label("kind"))
        .select_from(ea)
        .join(
            eb,
            and_(
                eb.c.subject_id == ea.c.subject_id,
                eb.c.property_id == ea.c.property_id,
                eb.c.claim_id >= ea.c.claim_id,
            ),
        )
        .join(ca, ca.id == ea.c.claim_id)
        .join(cb, cb.id == eb.c.claim_id)
        .join(prop, prop.id == ca.property_id)
        .where(
            or_(ea.c.source_id != eb.c.source_id, ea.c.speaker_id != eb.c.speaker_id),
            scopes_overlap,
            ~qualifiers_differ,
            or_(value_conflict, stance_conflict),
        )
        .group_by(ea.c.claim_id, eb.c.claim_id, kind)
    )
    if subject_id is not None:
        query = query.where(ea.c.subject_id == subject_id)
    if property_id is not None:
        query = query.where(ea.c.property_id == property_id)
    return query


@dataclass
class DetectionResult:
    detected: int = 0
    new: int = 0
    returned: int = 0
    gone: int = 0


def detect(session: Session, actor: str) -> DetectionResult:
    """Find every conflict and bring the conflicts table up to date (statuses are kept)."""
    now = utcnow()
    found = {(r.claim_a_id, r.claim_b_id): r.kind for r in session.execute(detection_query())}
    stored = {
        (r.claim_a_id, r.claim_b_id): r
        for r in session.execute(select(Conflict.id, Conflict.claim_a_id, Conflict.claim_b_id, Conflict.kind, Conflict.active))
    }
    result = DetectionResult(detected=len(found))
    new_rows = [
        {"claim_a_id": a, "claim_b_id": b, "kind": kind, "status": "open", "active": True, "first_detected_at": now, "last_detected_at": now}
        for (a, b), kind in found.items()
        if (a, b) not in stored
    ]
    if new_rows:
        from sqlalchemy import insert

        ids = session.execute(insert(Conflict).returning(Conflict.id, sort_by_parameter_order=True), new_rows).scalars().all()
        from .models import History

        session.execute(
            insert(History),
            [
                {"table_name": "conflicts", "row_id": cid, "action": "insert", "actor": actor, "at": now, "changes": {"claims": [r["claim_a_id"], r["claim_b_id"]], "kind": r["kind"]}, "summary": "detected"}
                for cid, r in zip(ids, new_rows)
            ],
        )
        result.new = len(new_rows)
    back = [row.id for key, row in stored.items() if key in found and not row.active]
    gone = [row.id for key, row in stored.items() if key not in found and row.active]
    changed_kind = [(row.id, found[key]) for key, row in stored.items() if key in found and row.kind != found[key]]
    if back:
        session.execute(update(Conflict).where(Conflict.id.in_(back)).values(active=True))
        for cid in back:
            record(session, "conflicts", cid, "update", actor, {"active": [False, True]}, "detected again")
    if gone:
        session.execute(update(Conflict).where(Conflict.id.in_(gone)).values(active=False))
        for cid in gone:
            record(session, "conflicts", cid, "update", actor, {"active": [True, False]}, "no longer detected")
    for cid, kind in changed_kind:
        session.execute(update(Conflict).where(Conflict.id == cid).values(kind=kind))
    if found:
        session.execute(update(Conflict).where(Conflict.active == true()).values(last_detected_at=now))
    result.returned, result.gone = len(back), len(gone)
    return result


# ---------------------------------------------------------------- workflow


def get_conflict(session: Session, ref: Any) -> Conflict:
    text = str(ref).strip()
    if not text.isdigit():
        raise InvalidValue(f"conflict {ref!r}: expected a conflict id (a number, see `provenance conflicts`)")
    conflict = session.get(Conflict, int(text))
    if conflict is None:
        raise NotFound(f"unknown conflict {ref!r}: no conflict has that id (see `provenance conflicts --status all`)")
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


def citation_weight(citation: Citation) -> float:
    return RELIABILITY.get(citation.source.reliability, RELIABILITY["F"]) * CONFIDENCE.get(citation.confidence, CONFIDENCE["medium"])


def _origins(citation: Citation) -> set[str]:
    origins = {f"document:{citation.source_id}"}
    if citation.footnote is not None:
        origins |= {f"work:{fw.work_id}" for fw in citation.footnote.works}
    return origins


def own_support(claim: Claim, stance: str = "asserts") -> Support:
    """Independent evidence for (or, with ``stance="denies"``, against) one claim.

    Citations sharing a cited work or a document count once, at the strongest's weight.
    """
    support = Support(claim.id)
    citations = [c for c in claim.citations if c.stance == stance]
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
    groups: dict[int, list[Citation]] = defaultdict(list)
    for i, citation in enumerate(citations):
        groups[root(i)].append(citation)
    for members in groups.values():
        strongest = max(members, key=citation_weight)
        weight = citation_weight(strongest)
        support.total += weight
        for citation in members:
            counted = citation is strongest
            support.pieces.append(
                {
                    "citation": citation.id,
                    "source": citation.source.slug,
                    "reliability": citation.source.reliability,
                    "confidence": citation.confidence,
                    "footnote": citation.footnote.number if citation.footnote else None,
                    "attributed_to": citation.attributed_to.name if citation.attributed_to else None,
                    "weight": round(citation_weight(citation), 3) if counted else 0.0,
                    "why": "independent evidence"
                    if counted
                    else f"same work or document as citation {strongest.id}: counted once",
                }
            )
    return support


def _compatible(a: Claim, b: Claim, tolerance: float | None) -> bool:
    datatype = a.property.datatype
    if datatype == "quantity":
        tol = tolerance or 0.0

        def bounds(c: Claim):
            low = None if c.quantity_low is None else c.quantity_low - tol * abs(c.quantity_low)
            high = None if c.quantity_high is None else c.quantity_high + tol * abs(c.quantity_high)
            return low, high

        (al, ah), (bl, bh) = bounds(a), bounds(b)
        if ah is not None and bl is not None and ah < bl:
            return False
        if bh is not None and al is not None and bh < al:
            return False
        return True
    if datatype == "date":
        if a.date_latest and b.date_earliest and a.date_latest < b.date_earliest:
            return False
        if b.date_latest and a.date_earliest and b.date_latest < a.date_earliest:
            return False
        return True
    return a.value_key == b.value_key


def supports(session: Session, claims: list[Claim]) -> dict[int, Support]:
    """Support of each claim, including half the support of compatible claims on the same subject and property."""
    result = {c.id: own_support(c) for c in claims}
    by_group: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_group[(claim.subject_id, claim.property_id)].append(claim)
    for (subject_id, property_id), members in by_group.items():
        neighbours = session.scalars(
            select(Claim)
            .options(*_claim_loads())
            .where(Claim.subject_id == subject_id, Claim.property_id == property_id, Claim.rank != "deprecated")
        ).all()
        for claim in members:
            for other in neighbours:
                if other.id == claim.id or other.scope_key != claim.scope_key:
                    continue
                if _compatible(claim, other, claim.property.tolerance):
                    lent = own_support(other).total * COMPATIBLE_SHARE
                    if lent <= 0:
                        continue
                    result[claim.id].total += lent
                    result[claim.id].pieces.append(
                        {
                            "claim": other.id,
                            "value": other.value,
                            "weight": round(lent, 3),
                            "why": f"compatible value {other.value!r} lends half its support",
                        }
                    )
    return result


def _claim_loads():
    return (
        selectinload(Claim.subject),
        selectinload(Claim.property),
        selectinload(Claim.qualifiers),
        selectinload(Claim.citations).selectinload(Citation.source),
        selectinload(Claim.citations).selectinload(Citation.attributed_to),
        selectinload(Claim.citations).selectinload(Citation.footnote).selectinload(Footnote.works).selectinload(FootnoteWork.work),
    )


def severity(weaker_side: float) -> str:
    if weaker_side >= SEVERITY_HIGH:
        return "high"
    if weaker_side >= SEVERITY_MEDIUM:
        return "medium"
    return "low"


# ---------------------------------------------------------------- listing


def _side(claim: Claim, support: Support) -> dict[str, Any]:
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


def _leading(a: Claim, b: Claim, sa: Support, sb: Support) -> tuple[int | None, str]:
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
        raise InvalidValue(f"status {status!r}: expected one of {', '.join(CONFLICT_STATUSES)} or all")
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
    conflicts = session.scalars(query).all()
    claim_ids = {c.claim_a_id for c in conflicts} | {c.claim_b_id for c in conflicts}
    claims = {c.id: c for c in session.scalars(select(Claim).options(*_claim_loads()).where(Claim.id.in_(claim_ids)))} if claim_ids else {}
    support = supports(session, list(claims.values()))
    rows = []
    for conflict in conflicts:
        a, b = claims[conflict.claim_a_id], claims[conflict.claim_b_id]
        if conflict.kind == "stance":
            rows.append(_stance_row(conflict, a, support[a.id], explain))
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
            "status_at": conflict.status_at.isoformat(timespec="seconds") if conflict.status_at else None,
        }
        if explain:
            row["a"]["support_pieces"] = sa.pieces
            row["b"]["support_pieces"] = sb.pieces
        rows.append(row)
    return rows


def _stance_row(conflict: Conflict, claim: Claim, support: Support, explain: bool) -> dict[str, Any]:
    """One claim, asserted by some sources and denied by others: the sides are the stances."""
    side_a = _side(claim, support)
    side_b = _side(claim, support)
    side_a["citations"] = [c for c in side_a["citations"] if c["stance"] == "asserts"]
    side_b["citations"] = [c for c in side_b["citations"] if c["stance"] == "denies"]
    denial = own_support(claim, "denies")
    side_a["value"] = f"asserts: {claim.value}"
    side_b["value"] = f"denies: {claim.value}"
    side_a["support"], side_b["support"] = round(support.total, 3), round(denial.total, 3)
    if claim.rank == "preferred":
        leader, why = claim.id, "preferred by the desk"
    elif round(support.total, 6) == round(denial.total, 6):
        leader, why = None, "tie: equal support"
    else:
        leader, why = claim.id, "more support for the assertion" if support.total > denial.total else "more support for the denial"
    row = {
        "id": conflict.id,
        "kind": "stance",
        "status": conflict.status,
        "active": conflict.active,
        "subject": claim.subject.name,
        "property": claim.property.name,
        "severity": severity(min(support.total, denial.total)),
        "leading_claim": leader,
        "leading_value": None if leader is None else (side_a["value"] if support.total >= denial.total or claim.rank == "preferred" else side_b["value"]),
        "leading_reason": why,
        "a": side_a,
        "b": side_b,
        "note": conflict.note,
        "status_by": conflict.status_by,
        "status_at": conflict.status_at.isoformat(timespec="seconds") if conflict.status_at else None,
    }
    if explain:
        row["a"]["support_pieces"] = support.pieces
        row["b"]["support_pieces"] = denial.pieces
    return row


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """One line per conflict for CSV: the two sides' values, sources and quotes."""
    def sources(side):
        return "; ".join(sorted({c["source"] + (f" [{c['footnote']}]" if c["footnote"] else "") for c in side["citations"]}))

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
