"""``entity merge``: two entities found to be one, made one by an editor's decision.

Every name, claim, citation and qualifier of the entity merged away moves to the one
kept; a claim that thereby repeats an existing claim is folded into it (deprecated, never
deleted), and every change is in the history. Nothing here merges by itself: ``alias
suggest`` (entities.py) only proposes. Entities, their aliases and lookup are
entities.py; the identities a merge recomputes are identity.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import history
from .entities import get_entity
from .errors import InvalidValue
from .identity import citation_fingerprint
from .models import Citation, Claim, ClaimQualifier, Entity


@dataclass
class MergeReport:
    keep: Entity
    other_name: str
    aliases_moved: int = 0
    claims_repointed: int = 0
    claims_folded: list[tuple[int, int]] = field(default_factory=list)  # (deprecated, survivor)
    citations_repointed: int = 0


def merge_entities(session: Session, keep_ref: str, other_ref: str, actor: str) -> MergeReport:
    """Make OTHER one entity with KEEP: an editor's decision, never taken automatically.

    Every name of OTHER becomes an alias of KEEP; claims about OTHER, claims whose value
    is OTHER, citations quoting OTHER as the speaker and qualifiers naming it point to
    KEEP instead. A claim that thereby states what an existing claim states is folded
    into it: its citations move to the surviving claim and it is deprecated with the
    reason, not deleted. OTHER's row is kept, described as merged. Every change is in
    the history.
    """
    keep = get_entity(session, keep_ref)
    other = get_entity(session, other_ref)
    if keep.id == other.id:
        raise InvalidValue(f"{keep_ref!r} and {other_ref!r} are already one entity ({keep.name!r})")
    report = MergeReport(keep=keep, other_name=other.name)
    events: list[tuple[str, int, str, dict[str, Any] | None, str | None]] = []

    for alias in list(other.aliases):
        alias.entity_id = keep.id
        events.append(
            (
                "aliases",
                alias.id,
                "update",
                {"entity_id": [other.id, keep.id]},
                f"alias {alias.name!r} moved to {keep.name!r}",
            )
        )
        report.aliases_moved += 1
    session.flush()

    claims = session.scalars(
        select(Claim)
        .where((Claim.subject_id == other.id) | (Claim.entity_value_id == other.id))
        .order_by(Claim.id)
    ).all()
    for claim in claims:
        changes: dict[str, Any] = {}
        subject_id = keep.id if claim.subject_id == other.id else claim.subject_id
        value_key = f"e:{keep.id}" if claim.entity_value_id == other.id else claim.value_key
        survivor = session.scalar(
            select(Claim).where(
                Claim.subject_id == subject_id,
                Claim.property_id == claim.property_id,
                Claim.value_key == value_key,
                Claim.scope_key == claim.scope_key,
                Claim.id != claim.id,
            )
        )
        if survivor is not None:
            reason = f"merged into claim {survivor.id}: {other.name!r} is {keep.name!r}"
            for citation in list(claim.citations):
                speaker = (
                    keep.id if citation.attributed_to_id == other.id else citation.attributed_to_id
                )
                fingerprint = citation_fingerprint(citation, attributed_to_id=speaker)
                clash = session.scalar(
                    select(Citation.id).where(
                        Citation.claim_id == survivor.id, Citation.fingerprint == fingerprint
                    )
                )
                if clash is None:
                    citation.claim_id = survivor.id
                    events.append(
                        (
                            "citations",
                            citation.id,
                            "update",
                            {"claim_id": [claim.id, survivor.id]},
                            reason,
                        )
                    )
            # a distinct identity for the folded claim, which stays on record
            changes.update(
                rank=[claim.rank, "deprecated"],
                scope_key=[claim.scope_key, f"{claim.scope_key};merged-into={survivor.id}"],
            )
            claim.rank, claim.rank_reason = "deprecated", reason
            claim.scope_key = f"{claim.scope_key};merged-into={survivor.id}"
            report.claims_folded.append((claim.id, survivor.id))
        if claim.subject_id != subject_id:
            changes["subject_id"] = [claim.subject_id, subject_id]
            claim.subject_id = subject_id
        if claim.entity_value_id == other.id:
            changes["entity_value_id"] = [other.id, keep.id]
            changes["value_key"] = [claim.value_key, value_key]
            claim.entity_value_id, claim.value_key = keep.id, value_key
        session.flush()
        events.append(
            (
                "claims",
                claim.id,
                "update",
                changes,
                f"entity {other.name!r} merged into {keep.name!r}",
            )
        )
        report.claims_repointed += 1

    for citation in session.scalars(
        select(Citation).where(Citation.attributed_to_id == other.id)
    ).all():
        citation.attributed_to_id = keep.id
        new_fingerprint = citation_fingerprint(citation)
        if session.scalar(
            select(Citation.id).where(
                Citation.claim_id == citation.claim_id,
                Citation.fingerprint == new_fingerprint,
                Citation.id != citation.id,
            )
        ):
            # the same evidence recorded under both names: it stays, spoken by KEEP, told apart
            new_fingerprint = f"{new_fingerprint}:{citation.id}"
        citation.fingerprint = new_fingerprint
        events.append(
            (
                "citations",
                citation.id,
                "update",
                {"attributed_to_id": [other.id, keep.id]},
                f"speaker {other.name!r} merged into {keep.name!r}",
            )
        )
        report.citations_repointed += 1
    for qualifier in session.scalars(
        select(ClaimQualifier).where(ClaimQualifier.entity_id == other.id)
    ).all():
        qualifier.entity_id = keep.id

    note = f"merged into {keep.name!r} (entity {keep.id})"
    events.append(
        (
            "entities",
            other.id,
            "update",
            {"merged_into": keep.id, "description": [other.description, note]},
            note,
        )
    )
    other.description = note
    session.flush()
    history.changed_many(session, events, actor=actor)
    return report
