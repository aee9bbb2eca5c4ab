"""Claims as a listing shows them: plain rows read a chunk at a time into small views."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    and_,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from .models import (
    Citation,
    Claim,
    ClaimQualifier,
    Entity,
    Footnote,
    FootnoteWork,
    Property,
    Source,
)

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
    live: bool = True  # a view holds live citations only (a model's may be retracted)


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


def chunks(items: list, size: int) -> Iterator[list]:
    """``items`` in lists of ``size``."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


IN_CHUNK = 5000  # ids per IN list: well under SQLite's limit on bound variables


def in_ids(column: Any, ids: Iterable[int]) -> Any:
    """``column IN (1, 2, …)`` with the ids written into the SQL text. They are integers
    read from the database (checked); an IN list of bound parameters costs SQLAlchemy
    more per id than the query costs the database (a tenth of a listing at a million
    claims)."""
    return column.op("IN")(literal_column("(" + ",".join(map(str, map(operator.index, ids))) + ")"))


def rows_in(connection, query, column, ids: Iterable[int]):
    ids = sorted(set(ids))
    for chunk in chunks(ids, IN_CHUNK):
        yield from connection.execute(query.where(in_ids(column, chunk))).all()


def ids_in(ids: list[int]) -> Callable[[Any], Any]:
    """A narrowing of ``_claim_views`` to the claims with these ids."""
    return lambda query: query.where(in_ids(Claim.id, ids))


@dataclass
class ViewCache:
    """What the views of one listing share across its chunks: properties, sources,
    footnotes with their works, and speakers, each read once (a few hundred sources are
    cited by every chunk at a million claims). For one reading transaction."""

    properties: dict[int, _PropertyView] = field(default_factory=dict)
    sources: dict[int, _SourceView] = field(default_factory=dict)
    footnotes: dict[int, _FootnoteView] = field(default_factory=dict)
    speakers: dict[int, _Named] = field(default_factory=dict)


_CITATION_COLUMNS = (
    Citation.id,
    Citation.claim_id,
    Citation.source_id,
    Citation.footnote_id,
    Citation.attributed_to_id,
    Citation.quote,
    Citation.stance,
    Citation.confidence,
)
_by_id = operator.attrgetter("id")


def claim_views(
    session: Session,
    narrowings: Iterable[Callable[[Any], Any]],
    cache: ViewCache | None = None,
) -> list[_ClaimView]:
    """The claims each narrowing (a function of a SELECT of claims) selects, with
    everything listing shows of them, by id. ``cache`` (one per listing) keeps the
    properties, sources, footnotes and speakers read for the chunks that follow."""
    # plain rows from the connection, read by position: the ORM's result machinery and
    # names looked up per row are not needed here
    session.flush()
    connection = session.connection()
    cache = ViewCache() if cache is None else cache
    columns = [getattr(Claim, name) for name in _CLAIM_VIEW_COLUMNS]
    claims: dict[int, _ClaimView] = {}
    for narrow in narrowings:
        for row in connection.execute(narrow(select(*columns))).all():
            if row[0] not in claims:
                claims[row[0]] = _ClaimView(*row)
    if not claims:
        return []
    properties = cache.properties
    properties.update(
        (r[0], _PropertyView(r[1], r[2], r[3]))
        for r in rows_in(
            connection,
            select(Property.id, Property.name, Property.datatype, Property.tolerance),
            Property.id,
            {c.property_id for c in claims.values()} - properties.keys(),
        )
    )
    # in the models' order: citations by id (each claim's lie in one IN list)
    citation_rows = list(
        rows_in(
            connection,
            select(*_CITATION_COLUMNS).where(Citation.live).order_by(Citation.id),
            Citation.claim_id,
            claims,
        )
    )
    speakers = cache.speakers
    speakers.update(
        (r[0], _Named(r[1]))
        for r in rows_in(
            connection,
            select(Entity.id, Entity.name),
            Entity.id,
            {r[4] for r in citation_rows if r[4] is not None} - speakers.keys(),
        )
    )
    names = {
        r[0]: _Named(r[1])
        for r in rows_in(
            connection,
            select(Entity.id, Entity.name),
            Entity.id,
            {c.subject_id for c in claims.values()},
        )
    }
    sources = cache.sources
    sources.update(
        (r[0], _SourceView(*r))
        for r in rows_in(
            connection,
            select(
                Source.id,
                Source.slug,
                Source.title,
                Source.reliability,
                Source.document_id.label("document_id"),
            ),
            Source.id,
            {r[2] for r in citation_rows} - sources.keys(),
        )
    )
    footnotes = cache.footnotes
    new_footnotes = {r[3] for r in citation_rows if r[3] is not None} - footnotes.keys()
    if new_footnotes:
        read = {
            r[0]: _FootnoteView(r[1], [])
            for r in rows_in(
                connection, select(Footnote.id, Footnote.number), Footnote.id, new_footnotes
            )
        }
        for r in rows_in(
            connection,
            select(FootnoteWork.footnote_id, FootnoteWork.work_id).order_by(FootnoteWork.position),
            FootnoteWork.footnote_id,
            new_footnotes,
        ):
            read[r[0]].works.append(_WorkLink(r[1]))
        footnotes.update(read)
    for claim in claims.values():
        claim.subject = names[claim.subject_id]
        claim.property = properties[claim.property_id]
    # in the models' order: qualifiers by key
    qualified: set[int] = set()
    for claim_id, key, value in rows_in(
        connection,
        select(ClaimQualifier.claim_id, ClaimQualifier.key, ClaimQualifier.value),
        ClaimQualifier.claim_id,
        claims,
    ):
        claims[claim_id].qualifiers.append(_QualifierView(key, value))
        qualified.add(claim_id)
    for claim_id in qualified:
        claims[claim_id].qualifiers.sort(key=_by_key)
    for (
        id_,
        claim_id,
        source_id,
        footnote_id,
        speaker_id,
        quote,
        stance,
        confidence,
    ) in citation_rows:
        claims[claim_id].citations.append(
            _CitationView(
                id_,
                source_id,
                quote,
                stance,
                confidence,
                sources[source_id],
                None if footnote_id is None else footnotes[footnote_id],
                None if speaker_id is None else speakers[speaker_id],
            )
        )
    return sorted(claims.values(), key=_by_id)


_by_key = operator.attrgetter("key")


def group_members(
    session: Session, claim_ids: Iterable[int], cache: ViewCache | None = None
) -> dict[tuple[int, int], list[_ClaimView]]:
    """The live (not deprecated) claims of the (subject, property) groups of
    ``claim_ids``, by id (``cache``: as for ``claim_views``)."""
    members: dict[tuple[int, int], list[_ClaimView]] = defaultdict(list)

    def queries():
        # joined to the distinct groups of a chunk of claims: one search of the
        # (subject_id, property_id) index per group (a row-value IN list scans the
        # index on SQLite, an EXISTS scans the claims)
        for chunk in chunks(sorted(set(claim_ids)), IN_CHUNK):
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
            ).where(Claim.rank != "deprecated")

    for claim in claim_views(session, queries(), cache):
        # a claim whose every citation is retracted is no answer: its views hold live
        # citations only (asking the database, an EXISTS per claim, cost a tenth of a listing)
        if claim.citations:
            members[(claim.subject_id, claim.property_id)].append(claim)
    return members
