"""What an export carries: its filters resolved to ids, and the rules that keep
confidential material out.

Without ``--include-confidential`` no format carries citations of a confidential
source, claims left with no other citation, text-less confidential sources, or entities
and properties that only such material names (a speaker quoted only by a confidential
source, a property only its claims use). A retracted citation is withdrawn evidence
(``Citation.live``) and no format carries it; a claim left with no live citation is not
exported. Claims are read a window of ``WINDOW`` at a time (keyset paging), so an export
holds one window in memory at any size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, func, select
from sqlalchemy.orm import Session

from .entities import get_entity, get_property
from .errors import InvalidValue
from .models import Citation, Claim, ClaimQualifier, Source
from .sources import find_source

WINDOW = 1000


@dataclass
class ExportScope:
    """The filters of one export, resolved to ids."""

    subject_id: int | None = None
    property_id: int | None = None
    source_id: int | None = None
    include_confidential: bool = False
    # filled while writing, for the command's closing lines
    orphaned_skipped: int = 0
    withheld_reviews: int = 0


def resolve_scope(
    session: Session,
    *,
    subject: str | None = None,
    source: str | None = None,
    property_name: str | None = None,
    include_confidential: bool = False,
) -> ExportScope:
    """Check the filters before anything is written; an unknown name is an error."""
    scope = ExportScope(include_confidential=include_confidential)
    if subject is not None:
        scope.subject_id = get_entity(session, subject).id
    if property_name is not None:
        scope.property_id = get_property(session, property_name).id
    if source is not None:
        found = find_source(session, source)
        if found.confidential and not include_confidential:
            raise InvalidValue(
                f"--source {source!r} is confidential: add --include-confidential to export it"
            )
        scope.source_id = found.id
    return scope


def public_sources() -> Any:
    return select(Source.id).where(Source.confidential == false())


def citation_conditions(scope: ExportScope, *, orphans: bool = False) -> list:
    # a retracted citation is withdrawn evidence: no export carries it
    conditions: list[Any] = [Citation.live]
    if not orphans:
        conditions.append(Citation.orphaned == false())
    if scope.source_id is not None:
        conditions.append(Citation.source_id == scope.source_id)
    if not scope.include_confidential:
        conditions.append(Citation.source_id.in_(public_sources()))
    return conditions


def claim_conditions(scope: ExportScope) -> list:
    conditions = []
    if scope.subject_id is not None:
        conditions.append(Claim.subject_id == scope.subject_id)
    if scope.property_id is not None:
        conditions.append(Claim.property_id == scope.property_id)
    return conditions


def exported_claims(scope: ExportScope) -> Any:
    return and_(
        *claim_conditions(scope),
        exists(
            select(Citation.id).where(Citation.claim_id == Claim.id, *citation_conditions(scope))
        ),
    )


def count_citations(session: Session, scope: ExportScope) -> int:
    return (
        session.scalar(
            select(func.count(Citation.id))
            .join(Claim, Claim.id == Citation.claim_id)
            .where(*claim_conditions(scope), *citation_conditions(scope))
        )
        or 0
    )


def count_claims(session: Session, scope: ExportScope) -> int:
    return session.scalar(select(func.count(Claim.id)).where(exported_claims(scope))) or 0


def count_orphaned(session: Session, scope: ExportScope) -> int:
    return (
        session.scalar(
            select(func.count(Citation.id))
            .join(Claim, Claim.id == Citation.claim_id)
            .where(
                Citation.orphaned.is_(True),
                *claim_conditions(scope),
                *citation_conditions(scope, orphans=True),
            )
        )
        or 0
    )


def claim_windows(
    session: Session, scope: ExportScope, window: int = WINDOW
) -> Iterator[list[int]]:
    """Ids of the exported claims, a window at a time (keyset paging: no OFFSET)."""
    after = 0
    condition = exported_claims(scope)
    while True:
        ids = session.scalars(
            select(Claim.id).where(Claim.id > after, condition).order_by(Claim.id).limit(window)
        ).all()
        if not ids:
            return
        yield list(ids)
        after = ids[-1]


def withheld_entity_ids(session: Session, include_confidential: bool) -> set[int]:
    """Entities that only confidential material names: left out of the entities section."""
    if include_confidential:
        return set()
    public = public_sources()
    public_claims = select(Citation.claim_id).where(Citation.source_id.in_(public))
    hidden_claims = select(Claim.id).where(Claim.id.not_in(public_claims))
    candidates: set[int] = set()
    candidates |= set(
        session.scalars(
            select(Citation.attributed_to_id).where(
                Citation.attributed_to_id.isnot(None), Citation.source_id.not_in(public)
            )
        )
    )
    candidates |= set(session.scalars(select(Claim.subject_id).where(Claim.id.in_(hidden_claims))))
    candidates |= set(
        session.scalars(
            select(Claim.entity_value_id).where(
                Claim.entity_value_id.isnot(None), Claim.id.in_(hidden_claims)
            )
        )
    )
    candidates |= set(
        session.scalars(
            select(ClaimQualifier.entity_id).where(
                ClaimQualifier.entity_id.isnot(None), ClaimQualifier.claim_id.in_(hidden_claims)
            )
        )
    )
    if not candidates:
        return set()
    ids = sorted(candidates)
    named_in_public: set[int] = set()
    for start in range(0, len(ids), WINDOW):
        chunk = ids[start : start + WINDOW]
        named_in_public |= set(
            session.scalars(
                select(Citation.attributed_to_id).where(
                    Citation.attributed_to_id.in_(chunk), Citation.source_id.in_(public)
                )
            )
        )
        named_in_public |= set(
            session.scalars(
                select(Claim.subject_id).where(
                    Claim.subject_id.in_(chunk), Claim.id.in_(public_claims)
                )
            )
        )
        named_in_public |= set(
            session.scalars(
                select(Claim.entity_value_id).where(
                    Claim.entity_value_id.in_(chunk), Claim.id.in_(public_claims)
                )
            )
        )
        named_in_public |= set(
            session.scalars(
                select(ClaimQualifier.entity_id).where(
                    ClaimQualifier.entity_id.in_(chunk), ClaimQualifier.claim_id.in_(public_claims)
                )
            )
        )
    return candidates - named_in_public


def withheld_property_ids(session: Session, include_confidential: bool) -> set[int]:
    """Properties only claims with no public citation use: left out of the properties section.

    A property no claim uses yet is vocabulary, and is listed."""
    if include_confidential:
        return set()
    public_claims = select(Citation.claim_id).where(Citation.source_id.in_(public_sources()))
    used = set(session.scalars(select(Claim.property_id).distinct()))
    used_in_public = set(
        session.scalars(select(Claim.property_id).where(Claim.id.in_(public_claims)).distinct())
    )
    return used - used_in_public
