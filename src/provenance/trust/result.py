"""What the model learned, as Python objects: each source's trust and track record.

:class:`TrustResult` is what :func:`compute_trust` returns; :class:`Answer` is one
answer with its probability (``answers.py``); :class:`TrackRecord` what a source's
trust on one property rests on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .choice import VoteChoice
from .guard import GuardCheck
from .sql import Sql


@dataclass
class SourceTrust:
    """One source's learned trust and track record (on one property with ``property``)."""

    source_id: int
    slug: str
    attributed_to: str | None
    grade: str
    prior: float
    trust: float
    answers: int
    agreements: int
    disagreements: int
    verdicts: int
    verdicts_upheld: int
    copy_group: list[str] = field(default_factory=list)
    # the speaker's entity id, 0 for the document's own voice: with ``source_id``, the key
    # of ``TrustResult.dependence``
    speaker_id: int = 0

    def row(self, likely_copies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {
            "source": self.slug,
            "source_id": self.source_id,
            "attributed_to": self.attributed_to,
            "grade": self.grade,
            "prior": round(self.prior, 3),
            "trust": round(self.trust, 3),
            "answers": self.answers,
            "agreements": self.agreements,
            "disagreements": self.disagreements,
            "verdicts": self.verdicts,
            "verdicts_upheld": self.verdicts_upheld,
            "copy_group": self.copy_group,
            "likely_copies": likely_copies or [],
        }


@dataclass
class TrustResult:
    """What :func:`compute_trust` learned; the temporary tables hold the rest."""

    sources: list[SourceTrust]
    # (source id, attributed_to entity id or 0, property name) → (accuracy, answers)
    by_property: dict[tuple[int, int, str], tuple[float, int]]
    copy_groups: list[list[str]]
    rounds: int
    items: int
    public_only: bool
    property: str | None = None
    # wall seconds of each step: evidence, copies, rounds, result
    seconds: dict[str, float] = field(default_factory=dict)
    # (source id, attributed_to entity id or 0, property id) → its record on that property
    records: dict[tuple[int, int, int], TrackRecord] = field(default_factory=dict)
    # the model against a vote on the desk's settled items (guard.py); fell_back: the
    # learned trust was dropped for the grades
    guard: GuardCheck | None = None
    # the vote the desk's verdicts chose (choice.py); None: too few verdicts, VOTE ran
    vote: VoteChoice | None = None
    # soft copy detection: (document, speaker or 0) → {(document, speaker or 0): the
    # probability that the two copy one another}, both ways; empty when none was found
    dependence: dict[tuple[int, int], dict[tuple[int, int], float]] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """Each source's row, with the likely copies soft copy detection found for it
        (``likely_copies``: the other sources by name, with the probability that the two
        copy one another, likeliest first) among the sources of this result."""
        names = {
            (s.source_id, s.speaker_id): source_name(s.slug, s.attributed_to) for s in self.sources
        }
        rows = []
        for s in self.sources:
            others = self.dependence.get((s.source_id, s.speaker_id), {})
            copies = sorted(
                (
                    (names[o], p)
                    for o, p in others.items()
                    if o in names and o != (s.source_id, s.speaker_id)
                ),
                key=lambda c: (-c[1], c[0]),
            )
            rows.append(s.row([{"source": n, "probability": round(p, 2)} for n, p in copies]))
        return rows


@dataclass
class Answer:
    """One answer of an item (or of a question the caller named) with its probability."""

    item: Any
    claim_id: int
    probability: float
    leading: bool
    margin: float
    tie: bool
    known: bool
    # the answer's score (the log of its unnormalised probability), for combining it with
    # evidence the model does not hold (a denial)
    score: float = 0.0


@dataclass
class TrackRecord:
    """A source's learned trust on one property, and what it rests on."""

    trust: float
    answers: int
    agreements: int
    disagreements: int
    verdicts: int
    verdicts_upheld: int


def build_result(
    sql: Sql,
    groups: list[list[int]],
    rounds: int,
    public_only: bool,
    property_id: int | None,
    property_name: str | None,
) -> TrustResult:
    sources = {
        r.source_key: r
        for r in sql(
            """SELECT k.source_key, k.document_id, k.attributed_to_id, k.grade, k.prior,
                      k.accuracy, s.slug, en.name AS speaker
               FROM trust_sources k JOIN sources s ON s.id = k.document_id
               LEFT JOIN entities en ON en.id = k.attributed_to_id"""
        )
    }
    names = {key: source_name(r.slug, r.speaker) for key, r in sources.items()}
    group_of = {key: [names[k] for k in group] for group in groups for key in group}
    record = sql(
        """SELECT e.source_key, e.property_id, sp.accuracy,
                  COUNT(*) AS answers,
                  SUM(CASE WHEN i.known = 0 AND i.answers > 1 AND i.tie = 0
                           AND x.claim_id IS NOT NULL THEN 1 ELSE 0 END) AS agreements,
                  SUM(CASE WHEN i.known = 0 AND i.answers > 1 AND i.tie = 0
                           AND x.claim_id IS NULL THEN 1 ELSE 0 END) AS disagreements,
                  SUM(CASE WHEN i.known > 0 THEN 1 ELSE 0 END) AS verdicts,
                  SUM(CASE WHEN kn.claim_id IS NOT NULL THEN 1 ELSE 0 END) AS upheld
           FROM trust_evidence e
           JOIN trust_items i ON i.item = e.item
           JOIN trust_source_properties sp ON sp.source_key = e.source_key
                AND sp.property_id = e.property_id
           LEFT JOIN trust_known kn ON kn.claim_id = e.claim_id
           LEFT JOIN (SELECT leader AS claim_id FROM trust_items WHERE leader IS NOT NULL
                      UNION SELECT x.other_id FROM trust_items li
                      JOIN trust_compatible x ON x.claim_id = li.leader) x
                ON x.claim_id = e.claim_id
           GROUP BY e.source_key, e.property_id, sp.accuracy"""
    ).all()
    property_names = dict(sql("SELECT id, name FROM properties").all())
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    by_property: dict[tuple[int, int, str], tuple[float, int]] = {}
    on_property: dict[int, float] = {}
    records: dict[tuple[int, int, int], TrackRecord] = {}
    for r in record:
        source = sources[r.source_key]
        records[(source.document_id, source.attributed_to_id, r.property_id)] = TrackRecord(
            trust=float(r.accuracy),
            answers=int(r.answers),
            agreements=int(r.agreements or 0),
            disagreements=int(r.disagreements or 0),
            verdicts=int(r.verdicts or 0),
            verdicts_upheld=int(r.upheld or 0),
        )
        by_property[
            (source.document_id, source.attributed_to_id, property_names[r.property_id])
        ] = (
            float(r.accuracy),
            int(r.answers),
        )
        if property_id is not None and r.property_id != property_id:
            continue
        if property_id is not None:
            on_property[r.source_key] = float(r.accuracy)
        counts = totals[r.source_key]
        for i, value in enumerate((r.answers, r.agreements, r.disagreements, r.verdicts, r.upheld)):
            counts[i] += int(value or 0)
    rows = []
    for key, s in sources.items():
        if property_id is not None and key not in on_property:
            continue
        answers, agreements, disagreements, verdicts, upheld = totals[key]
        rows.append(
            SourceTrust(
                source_id=s.document_id,
                slug=s.slug,
                attributed_to=s.speaker,
                grade=s.grade,
                prior=float(s.prior),
                trust=on_property.get(key, float(s.accuracy)),
                answers=answers,
                agreements=agreements,
                disagreements=disagreements,
                verdicts=verdicts,
                verdicts_upheld=upheld,
                copy_group=group_of.get(key, []),
                speaker_id=int(s.attributed_to_id or 0),
            )
        )
    rows.sort(key=lambda s: (-s.trust, s.slug, s.attributed_to or ""))
    items = int(sql("SELECT COUNT(*) FROM trust_items").scalar() or 0)
    return TrustResult(
        sources=rows,
        by_property=by_property,
        copy_groups=[[names[k] for k in g] for g in groups],
        rounds=rounds,
        items=items,
        public_only=public_only,
        property=property_name,
        records=records,
    )


def share_text(value: float) -> str:
    """A trust or a probability as the desk reads it: ``.83``, ``1.00``."""
    return f"{value:.2f}".removeprefix("0")


def copies_text(copies: list[dict[str, Any]]) -> str:
    """``likely_copies`` as a table cell: ``site-009 (1.00); copy-001 (.70)``."""
    return "; ".join(f"{c['source']} ({share_text(c['probability'])})" for c in copies)


def source_name(slug: str, speaker: str | None) -> str:
    return f"{slug} ({speaker})" if speaker else slug
