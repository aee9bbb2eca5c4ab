"""The listing of questions, a chunk at a time: each question with its answers, their
citations and support, which answers contradict which, severity and the leading answer.

The answer the desk accepted
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

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    Text,
    select,
    true,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from .detection import AnswerKey
from .entities import get_entity, get_property
from .errors import InvalidValue
from .gc_pause import few_collections
from .listed_claims import (
    IN_CHUNK,
    ViewCache,
    chunks,
    claim_views,
    group_members,
    ids_in,
    in_ids,
    rows_in,
)
from .models import (
    CONFLICT_STATUSES,
    Conflict,
    ConflictAnswer,
)
from .support import SEVERITY_HIGH, SEVERITY_MEDIUM, Support, own_support, supports
from .verdicts import answer_label


def severity(weaker_side: float) -> str:
    if weaker_side >= SEVERITY_HIGH:
        return "high"
    if weaker_side >= SEVERITY_MEDIUM:
        return "medium"
    return "low"


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
        "qualifiers": {q.key: q.value for q in claim.qualifiers} if claim.qualifiers else {},
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


def _deprecated_answers(answers: list[dict[str, Any]]) -> int:
    return sum(1 for a in answers if a["rank"] == "deprecated")


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
    session: Session,
    scope: ListingScope,
    *,
    explain: bool = False,
    weigh: Callable[[list[dict[str, Any]]], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of ``conflict_rows``, made and given a chunk of questions at a time.

    Memory stays flat however many questions there are: each chunk's claims, citations
    and sources are read, turned into rows and dropped. The first chunk is small, so
    that a listing starts printing at once. ``weigh`` (``leading.weigher``) gives each
    chunk its leading answers before its rows are given.
    """
    for rows in iter_conflict_chunks(session, scope, explain=explain, weighed=weigh is not None):
        if weigh is not None:
            weigh(rows)
        for row in rows:
            if scope.status != "open" or row["settled"] is None:
                yield row


def iter_conflict_chunks(
    session: Session, scope: ListingScope, *, explain: bool = False, weighed: bool = False
) -> Iterator[list[dict[str, Any]]]:
    """The listed questions' rows a chunk at a time (settled ones included).

    ``weighed``: the caller passes every chunk to ``leading.lead``, which decides each
    question's leader and the order of its answers anew; the rows then come without the
    leader by support (``leading_*`` None) and in the order the answers were found."""
    query = select(Conflict.id).order_by(Conflict.id)
    if not scope.include_inactive:
        query = query.where(Conflict.active == true())
    if scope.status != "all":
        query = query.where(Conflict.status == scope.status)
    if scope.subject_id is not None:
        query = query.where(Conflict.subject_id == scope.subject_id)
    if scope.property_id is not None:
        query = query.where(Conflict.property_id == scope.property_id)
    # plain rows from the connection: the ORM's result machinery is not needed here
    session.flush()
    connection = session.connection()
    ids = [r[0] for r in connection.execute(query).all()]
    cache = ViewCache()  # sources, footnotes, properties and speakers: read once
    with few_collections():
        start, size = 0, FIRST_ROWS_CHUNK
        while start < len(ids):
            chunk = ids[start : start + size]
            start, size = start + size, ROWS_CHUNK
            listed = connection.execute(
                select(*_CONFLICT_COLUMNS).where(in_ids(Conflict.id, chunk)).order_by(Conflict.id)
            ).all()
            yield _conflict_rows_of(session, listed, explain, cache, weighed)


FIRST_ROWS_CHUNK = 100


class Listing:
    """The rows of a listing (``iter_conflict_rows``) as they are made, noting whether an
    open question (not settled by ranks) went by: ``conflicts --fail`` learns it without
    holding the rows; and how many led against the head count (``against_seen``: the
    listing's hint to ``--overturned``). ``keep`` (a test of a weighed row) leaves out the
    rows it refuses (``conflicts --overturned``). ``csv()`` gives them as CSV lines
    (``flat_rows``)."""

    def __init__(
        self,
        session: Session,
        scope: ListingScope,
        *,
        explain: bool = False,
        weigh: Callable[[list[dict[str, Any]]], None] | None = None,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        self._rows = iter_conflict_rows(session, scope, explain=explain, weigh=weigh)
        self._keep = keep
        self.open_seen = False
        self.against_seen = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self._rows:
            if self._keep is not None and not self._keep(row):
                continue
            if row["status"] == "open" and row["settled"] is None:
                self.open_seen = True
            self.against_seen += bool(row.get("against_head_count"))
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
    session: Session, conflicts: Sequence[Any], explain: bool, cache: ViewCache, weighed: bool
) -> list[dict[str, Any]]:
    answers_of: dict[int, list[tuple[int, str, list[list[Any]]]]] = defaultdict(list)
    connection = session.connection()
    loads = orjson.loads
    for conflict_id, claim_id, stance, contradicts in rows_in(
        connection,
        select(
            ConflictAnswer.conflict_id,
            ConflictAnswer.claim_id,
            ConflictAnswer.stance,
            # as text, decoded by orjson: the JSON type's json.loads per answer cost more
            sql_cast(ConflictAnswer.contradicts, Text).label("contradicts"),
        ).order_by(ConflictAnswer.id),
        ConflictAnswer.conflict_id,
        (c.id for c in conflicts),
    ):
        answers_of[conflict_id].append(
            (claim_id, stance, loads(contradicts) if contradicts else [])
        )
    claim_ids = {claim for answers in answers_of.values() for claim, _, _ in answers}
    # the conflicts' claims with the groups they belong to, in one read: a group's live
    # members are (nearly all) the answers themselves
    members = group_members(session, claim_ids, cache)
    claims = {c.id: c for group in members.values() for c in group if c.id in claim_ids}
    missing = sorted(claim_ids - claims.keys())  # deprecated since the conflict was found
    claims.update(
        (c.id, c)
        for c in claim_views(
            session,
            (ids_in(chunk) for chunk in chunks(missing, IN_CHUNK)),
            cache,
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
        leader: AnswerKey | None = None
        why: str | None = None
        if not weighed or (not conflict.active and _deprecated_answers(answers) > 1):
            # (the settled text names deprecated answers in this order)
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
                # the leader by support never goes against it; leading.lead sets it anew
                "against_head_count": False,
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
            "against_head_count": row["against_head_count"],
            "note": row["note"],
        }
        for answer in row["answers"]
    ]
