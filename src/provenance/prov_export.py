"""``export --format prov`` / ``prov-n``: the provenance graph as W3C PROV, built with the
``prov`` package.

A cited work is the shared row, which public notes describe (``sources.describe_works``);
editors' notes are not carried (the graph is written to be published). A PROV document
is built whole in memory by the ``prov`` package before it is serialised: its size
bounds the export.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as url_quote

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .claimreview import claim_sentence
from .export_scope import ExportScope, citation_conditions, claim_windows
from .models import Citation, Claim, Entity, Footnote, FootnoteWork, Source, Work

DEFAULT_BASE_URI = "urn:provenance:"


_SAFE_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _local(text: str) -> str:
    """A PROV-N-safe local name: kept when plain, else percent-encoded."""
    return text if _SAFE_LOCAL.fullmatch(text) else url_quote(text, safe="")


@dataclass
class ProvCounts:
    """What went into a PROV document, for tests and the closing line."""

    sources: int = 0
    claims: int = 0
    footnotes: int = 0
    works: int = 0
    speakers: int = 0
    editors: int = 0
    additions: int = 0
    citations: int = 0


def build_prov(
    session: Session,
    scope: ExportScope,
    base_uri: str = DEFAULT_BASE_URI,
    *,
    tick: Callable[[int], None] | None = None,
):
    """The provenance graph of the exported claims as a ``prov.model.ProvDocument``.

    Entities: sources, claims, the footnotes citations point to, the works those cite
    (a collection is a ``prov:Collection`` whose members are its works). Each citation
    is a ``wasQuotedFrom`` (a quote) or ``wasDerivedFrom`` (a text-less source) from
    the claim to its source, carrying quote, offsets, stance and confidence, plus a
    ``wasDerivedFrom`` from the claim to the footnote, and from the footnote to each
    work it cites. Speakers are agents the claim ``wasAttributedTo``. Editors are
    agents; each addition (one editor's write at one time) is an activity that
    generated the claims and made the citations it recorded.
    """
    from prov.constants import PROV, PROV_LABEL, PROV_TYPE, PROV_VALUE
    from prov.model import ProvDocument

    document = ProvDocument()
    pv = document.add_namespace("pv", f"{base_uri}vocab#")
    ns = {
        name: document.add_namespace(name, f"{base_uri}{name}/")
        for name in ("source", "claim", "citation", "note", "work", "speaker", "editor", "addition")
    }
    counts = ProvCounts()
    added_sources: dict[int, Any] = {}
    added_notes: dict[int, Any] = {}
    added_works: dict[int, Any] = {}
    added_speakers: dict[int, Any] = {}
    added_editors: dict[str, Any] = {}
    additions: dict[tuple[str, dt.datetime], Any] = {}

    def editor(actor: str):
        if actor not in added_editors:
            added_editors[actor] = document.agent(
                ns["editor"][_local(actor)],
                [(PROV_TYPE, PROV["Person"]), (PROV_TYPE, pv["Editor"]), (PROV_LABEL, actor)],
            )
            counts.editors += 1
        return added_editors[actor]

    def utc(at: dt.datetime) -> dt.datetime:
        # stored naive in UTC; PROV readers want the zone said
        return at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at

    def addition(actor: str, at: dt.datetime):
        key = (actor, at)
        if key not in additions:
            at = utc(at)
            activity = document.activity(
                ns["addition"][str(len(additions) + 1)],
                at,
                at,
                {PROV_TYPE: pv["Addition"], PROV_LABEL: f"added by {actor}"},
            )
            document.wasAssociatedWith(activity, editor(actor))
            additions[key] = activity
            counts.additions += 1
        return additions[key]

    def source_entity(source: Source):
        if source.id not in added_sources:
            attributes: list[tuple[Any, Any]] = [
                (PROV_TYPE, pv["Source"]),
                (PROV_LABEL, source.title),
                (pv["slug"], source.slug),
                (pv["kind"], source.kind),
                (pv["reliability"], source.reliability),
            ]
            attributes += [(pv["author"], a) for a in source.authors or []]
            for key, value in (
                ("publisher", source.publisher),
                ("url", source.url),
                ("published", source.published),
                ("sha256", source.sha256),
            ):
                if value:
                    attributes.append((pv[key], value))
            if source.parent is not None:
                attributes.append((pv["partOf"], source_entity(source.parent).identifier))
            added_sources[source.id] = document.entity(
                ns["source"][_local(source.slug)], attributes
            )
            counts.sources += 1
        return added_sources[source.id]

    def work_entity(work: Work):
        if work.id not in added_works:
            attributes = [(PROV_TYPE, pv["Work"]), (PROV_LABEL, work.title), (pv["key"], work.key)]
            if work.citation:
                attributes.append((pv["citation"], work.citation))
            entity = document.entity(ns["work"][str(work.id)], attributes)
            added_works[work.id] = entity
            counts.works += 1
            if work.collection is not None:
                collection = work_entity(work.collection)
                if PROV["Collection"] not in collection.get_asserted_types():
                    collection.add_asserted_type(PROV["Collection"])
                document.hadMember(collection, entity)
        return added_works[work.id]

    def note_entity(note: Footnote, source_record):
        if note.id not in added_notes:
            entity = document.entity(
                ns["note"][f"{note.source_id}-{note.number}"],
                [
                    (PROV_TYPE, pv["Footnote"]),
                    (PROV_LABEL, f"note {note.number}"),
                    (PROV_VALUE, note.text),
                    (pv["number"], note.number),
                    (pv["inSource"], source_record.identifier),
                ],
            )
            added_notes[note.id] = entity
            counts.footnotes += 1
            for link in note.works:
                attributes = {pv["locator"]: link.locator} if link.locator else None
                document.wasDerivedFrom(entity, work_entity(link.work), other_attributes=attributes)
        return added_notes[note.id]

    def speaker_agent(entity: Entity):
        if entity.id not in added_speakers:
            kind = (
                PROV["Person"]
                if entity.kind == "person"
                else PROV["Organization"]
                if entity.kind in ("organisation", "alliance")
                else PROV["Agent"]
            )
            added_speakers[entity.id] = document.agent(
                ns["speaker"][str(entity.id)],
                [(PROV_TYPE, kind), (PROV_TYPE, pv["Speaker"]), (PROV_LABEL, entity.name)],
            )
            counts.speakers += 1
        return added_speakers[entity.id]

    for ids in claim_windows(session, scope):
        claims = session.scalars(
            select(Claim)
            .options(
                selectinload(Claim.subject),
                selectinload(Claim.property),
                selectinload(Claim.qualifiers),
            )
            .where(Claim.id.in_(ids))
            .order_by(Claim.id)
        ).all()
        citations: dict[int, list[Citation]] = defaultdict(list)
        for citation in session.scalars(
            select(Citation)
            .options(
                selectinload(Citation.source),
                selectinload(Citation.attributed_to),
                selectinload(Citation.footnote)
                .selectinload(Footnote.works)
                .selectinload(FootnoteWork.work),
            )
            .where(Citation.claim_id.in_(ids), *citation_conditions(scope))
            .order_by(Citation.id)
        ):
            citations[citation.claim_id].append(citation)
        for claim in claims:
            row = {
                "subject": claim.subject.name,
                "property": claim.property.name,
                "value": claim.value,
                "unit": claim.unit,
                "as_of": claim.as_of,
                "valid_from": claim.valid_from,
                "valid_to": claim.valid_to,
                "qualifiers": {q.key: q.value for q in claim.qualifiers},
            }
            attributes: list[tuple[Any, Any]] = [
                (PROV_TYPE, pv["Claim"]),
                (PROV_LABEL, claim_sentence(row)),
                (pv["subject"], row["subject"]),
                (pv["property"], row["property"]),
                (PROV_VALUE, claim.value),
                (pv["rank"], claim.rank),
            ]
            for key, value in (
                ("unit", claim.unit),
                ("asOf", claim.as_of),
                ("validFrom", claim.valid_from),
                ("validTo", claim.valid_to),
                ("rankReason", claim.rank_reason if claim.rank != "normal" else None),
            ):
                if value:
                    attributes.append((pv[key], value))
            attributes += [(pv["qualifier"], f"{q.key}={q.value}") for q in claim.qualifiers]
            entity = document.entity(ns["claim"][str(claim.id)], attributes)
            counts.claims += 1
            document.wasGeneratedBy(
                entity, addition(claim.created_by, claim.created_at), utc(claim.created_at)
            )
            for citation in citations[claim.id]:
                source = source_entity(citation.source)
                details: list[tuple[Any, Any]] = [
                    (pv["stance"], citation.stance),
                    (pv["confidence"], citation.confidence),
                ]
                if citation.quote is not None:
                    details += [
                        (pv["quote"], citation.quote),
                        (pv["quoteStart"], citation.quote_start),
                        (pv["quoteEnd"], citation.quote_end),
                    ]
                if citation.footnote is not None:
                    details.append((pv["footnote"], citation.footnote.number))
                relation = (
                    document.wasQuotedFrom
                    if citation.quote is not None
                    else document.wasDerivedFrom
                )
                relation(
                    entity,
                    source,
                    addition(citation.created_by, citation.created_at),
                    identifier=ns["citation"][str(citation.id)],
                    other_attributes=details,
                )
                counts.citations += 1
                if citation.footnote is not None:
                    document.wasDerivedFrom(
                        entity,
                        note_entity(citation.footnote, source),
                        other_attributes={pv["citation"]: ns["citation"][str(citation.id)]},
                    )
                if citation.attributed_to is not None:
                    document.wasAttributedTo(
                        entity,
                        speaker_agent(citation.attributed_to),
                        other_attributes={pv["citation"]: ns["citation"][str(citation.id)]},
                    )
            if tick:
                tick(1)
        # the ORM objects of a window are not needed once their records are made
        session.expunge_all()
    return document, counts
