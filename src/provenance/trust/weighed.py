"""The evidence behind answers: every citation of some claims as the model weighs it.

``--explain`` and the leading value's pieces (``leading.py``) show, per independent
source, its grade, learned trust, copy group and the citation's confidence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..models import Citation
from . import settings
from .sql import Sql, document_of, vote_floor, working_connection


@dataclass
class WeighedCitation:
    """A citation of a claim as the model weighs it: its source (document and speaker),
    that source's grade, the copy group it votes with, and the citation's confidence."""

    claim_id: int
    stance: str
    property_id: int
    document_id: int
    slug: str
    speaker_id: int
    speaker: str | None
    grade: str
    footnote: int | None
    confidence: str
    vote_unit: int | None


def vote(accuracy: float, confidence: str) -> float:
    """The weight of one source's answer: ``confidence × ln(N_FALSE · A / (1 − A))``,
    floored at :func:`vote_floor` (the Python side of the rounds' SQL; under POPACCU an
    answer's score also has a term of its own, ``popularity.py``)."""
    a = min(max(accuracy, settings.ACCURACY_FLOOR), settings.ACCURACY_CEILING)
    return settings.CONFIDENCE.get(confidence, settings.CONFIDENCE["medium"]) * max(
        vote_floor(), math.log(settings.N_FALSE * a / (1.0 - a))
    )


def prior_of(grade: str) -> float:
    return settings.PRIOR.get(grade, settings.PRIOR["F"])


WEIGHED_CHUNK = 900


def weighed_citations(
    session: Session,
    claim_ids: Iterable[int],
    *,
    public_only: bool,
    vote_units: str = "trust_sources",
) -> list[WeighedCitation]:
    """Every live citation (asserting or denying) of these claims, with its source as the
    model sees it, after :func:`compute_trust` on the same session: a few queries for
    all the claims, a chunk of ids at a time. ``vote_unit`` is the source's copy group
    (None for a source the model does not hold: one that only denies), read from
    ``vote_units`` (document_id, attributed_to_id, vote_unit): a stored result's."""
    sql = Sql(working_connection(session))
    ids = sorted(set(claim_ids))
    where = f"ci.stance IN ('asserts', 'denies') AND {Citation.live_sql('ci')}"
    if public_only:
        where += " AND s.confidential = :false AND (p.id IS NULL OR p.confidential = :false)"
    found: list[WeighedCitation] = []
    for start in range(0, len(ids), WEIGHED_CHUNK):
        chunk = ", ".join(str(int(i)) for i in ids[start : start + WEIGHED_CHUNK])
        for r in sql(
            f"""SELECT ci.claim_id, ci.stance, c.property_id, s.id AS document_id, s.slug,
                       COALESCE(ci.attributed_to_id, 0) AS speaker_id, en.name AS speaker,
                       s.reliability AS grade, f.number AS footnote, ci.confidence,
                       k.vote_unit
                FROM citations ci
                JOIN claims c ON c.id = ci.claim_id
                JOIN sources s ON s.id = {document_of("ci")}
                LEFT JOIN sources p ON p.id = s.parent_id
                LEFT JOIN footnotes f ON f.id = ci.footnote_id
                LEFT JOIN entities en ON en.id = ci.attributed_to_id
                LEFT JOIN {vote_units} k ON k.document_id = s.id
                     AND k.attributed_to_id = COALESCE(ci.attributed_to_id, 0)
                WHERE ci.claim_id IN ({chunk}) AND {where}
                ORDER BY ci.claim_id, ci.stance, s.slug, f.number, ci.id""",
            {"false": False},
        ):
            found.append(
                WeighedCitation(
                    claim_id=r.claim_id,
                    stance=r.stance,
                    property_id=r.property_id,
                    document_id=r.document_id,
                    slug=r.slug,
                    speaker_id=int(r.speaker_id),
                    speaker=r.speaker,
                    grade=r.grade,
                    footnote=r.footnote,
                    confidence=r.confidence,
                    vote_unit=r.vote_unit,
                )
            )
    return found
