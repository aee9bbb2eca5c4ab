"""Correcting one citation: retract it, or edit its fields, leaving the claim's others alone.

SPEC §1: "a citation is corrected or retracted on its own". Adding citations is the claim
writer's (claims.py); a citation's identity is identity.py.

Decisions a desk relies on:

* **Nothing is deleted.** A retracted citation keeps its row, with who retracted it, when
  and why (``retracted_by``, ``retracted_at``, ``retraction_reason``); ``show`` prints it
  struck through. It is no evidence anywhere: ``Citation.live`` (models.py) is the one
  test of a live citation, and conflict detection, support, trust, the published copy and
  every export ask it. A claim left with no live citation takes no part in conflicts and
  is not published; its other citations are untouched.
* **Every correction says why.** ``retract`` and ``edit`` take a reason; history keeps
  the old and new value of every field, the actor and the reason.
* **An edit is validated as ``add`` validates.** The citation's fields, with the edited
  ones in place, go through the claim writer's own checks (``ClaimWriter.citation_fields``):
  the source must exist, a quote must be found in it (occurrence, parts, reader comments
  and all), a footnote must be a note of it, the speaker is scoped to its document. Its
  quote is anchored anew. When the source or quote changes and no footnote is given, the
  footnote follows the new quote's sentence (as in ``add``); otherwise it is kept.
* A retracted citation cannot be edited (retraction is the last word on it; add a new
  citation instead), nor retracted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .claims import ClaimWriter
from .errors import InvalidValue, NotFound
from .history import record
from .identity import citation_fingerprint
from .inputs import parse_id
from .models import Citation, Entity, Footnote, Source, utcnow
from .records import CITATION_PART_COLUMNS

# what `citation edit` can change, as the claim writer's record keys
EDITABLE = (
    "source",
    "footnote",
    "quote",
    "occurrence",
    "attributed_to",
    "stance",
    "confidence",
    "note",
)
# the columns a record's citation fields become
_COLUMNS = tuple(c for c in CITATION_PART_COLUMNS if c != "fingerprint")


_SHOWN = {"source_id": "source", "footnote_id": "footnote", "attributed_to_id": "attributed_to"}


def _readable(session: Session, column: str, value: Any) -> Any:
    """A citation column's value as the desk names it: a source's slug, a note's number."""
    if value is None:
        return None
    if column == "source_id":
        return session.get_one(Source, value).slug
    if column == "footnote_id":
        return session.get_one(Footnote, value).number
    if column == "attributed_to_id":
        return session.get_one(Entity, value).name
    return value


def get_citation(session: Session, ref: Any) -> Citation:
    citation = session.get(Citation, parse_id(ref, "citation", "provenance show CLAIM"))
    if citation is None:
        raise NotFound(
            f"unknown citation {ref!r}: no citation has that id (see `provenance show CLAIM`)"
        )
    return citation


def _reason(reason: Any, what: str) -> str:
    text = "" if reason is None else str(reason).strip()
    if not text:
        raise InvalidValue(f"{what} needs --reason: say why, so the desk knows later")
    return text


def _live_or_error(citation: Citation) -> None:
    if not citation.live:
        raise InvalidValue(
            f"citation {citation.id} was retracted by {citation.retracted_by}"
            f" ({citation.retraction_reason}): it stays as it was; add a new citation instead"
        )


def retract(session: Session, citation: Citation, reason: Any, actor: str) -> None:
    """Withdraw a citation: kept, with who, when and why, and no evidence anywhere."""
    why = _reason(reason, "retracting a citation")
    _live_or_error(citation)
    citation.retracted_at = utcnow()
    citation.retracted_by = actor
    citation.retraction_reason = why
    record(
        session,
        "citations",
        citation.id,
        "update",
        actor,
        {"retracted": [False, True], "reason": why},
        f"citation retracted: {why}",
    )
    session.flush()


@dataclass
class EditResult:
    changes: dict[str, list[Any]]
    entities_created: list[str]


def edit(
    session: Session, citation: Citation, edits: dict[str, Any], reason: Any, actor: str
) -> EditResult:
    """Change some of a citation's fields (keys of ``EDITABLE``; ``attributed_to`` or
    ``note`` given as "" clears it), re-validated and re-anchored as ``add`` would."""
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise InvalidValue(f"cannot edit {unknown[0]!r}: expected one of {', '.join(EDITABLE)}")
    if not edits:
        raise InvalidValue(
            "nothing to edit: give one or more of --source --footnote --quote --occurrence"
            " --attributed-to --stance --confidence --note"
        )
    why = _reason(reason, "editing a citation")
    _live_or_error(citation)
    moved = bool({"source", "quote", "occurrence"} & set(edits))
    record_: dict[str, Any] = {
        "source": citation.source.slug,
        "quote": citation.quote,
        "footnote": None if moved or citation.footnote is None else str(citation.footnote.number),
        "attributed_to": citation.attributed_to.name if citation.attributed_to else None,
        "stance": citation.stance,
        "confidence": citation.confidence,
        "note": citation.note,
    }
    for key, value in edits.items():
        record_[key] = None if value is not None and not str(value).strip() else value
    writer = ClaimWriter(session, actor, batch_size=1)
    fields = writer.citation_fields(record_)
    fields.setdefault("quote_parts", None)
    before = {column: getattr(citation, column) for column in _COLUMNS}
    changes = {
        column: [before[column], fields[column]]
        for column in _COLUMNS
        if column in fields and before[column] != fields[column]
    }
    if not changes:
        raise InvalidValue(f"citation {citation.id} already reads so: nothing to change")
    for column, (_old, new) in changes.items():
        setattr(citation, column, new)
    fingerprint = citation_fingerprint(citation)
    clash = session.scalar(
        select(Citation.id).where(
            Citation.claim_id == citation.claim_id,
            Citation.fingerprint == fingerprint,
            Citation.id != citation.id,
        )
    )
    if clash is not None:
        raise InvalidValue(
            f"citation {clash} of claim {citation.claim_id} already cites that: retract"
            f" citation {citation.id} instead"
        )
    citation.fingerprint = fingerprint
    # offsets and context follow the quote; history keeps what a person reads
    shown = {
        _SHOWN.get(k, k): [_readable(session, k, old), _readable(session, k, new)]
        for k, (old, new) in changes.items()
        if k not in ("prefix", "suffix")
    }
    record(
        session,
        "citations",
        citation.id,
        "update",
        actor,
        {**shown, "reason": why},
        f"citation edited ({', '.join(k for k in shown if k not in ('quote_start', 'quote_end'))}):"
        f" {why}",
    )
    session.flush()
    return EditResult(changes=shown, entities_created=list(writer.result.entities_created))
