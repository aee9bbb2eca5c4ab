"""Verdicts: the desk settles a question (``resolve``), and a preferred claim resolves its
open questions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    exists,
    select,
)
from sqlalchemy.orm import Session

from . import history
from .detection import AnswerKey
from .errors import InvalidValue, NotFound
from .inputs import parse_id
from .models import (
    CONFLICT_STATUSES,
    Claim,
    Conflict,
    ConflictAnswer,
    utcnow,
)


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


# how a verdict's history row begins: a change of the trust model's evidence (stored_trust)
VERDICT_SUMMARY = "verdict: "

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
        session, "conflicts", conflict.id, "update", changes, VERDICT_SUMMARY + status, actor=actor
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
