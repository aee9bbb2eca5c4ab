"""A claim as a row: the selection behind ``claims``, ``show`` and the ClaimReview export.

``iter_claim_rows`` reads the claims the listing filters keep (subject, property,
source, rank, limit), a chunk at a time with their citations, and gives each as
``claim_row`` (its citations as ``citation_row``); ``flat_claim_rows`` flattens them to
one row per citation for ``claims --csv``; ``provenance_chain`` is ``show``'s claim with
everything behind it (quotes in context, footnotes, works, history).

Only reading is here: writing claims is claims.py (the writer, prefer and deprecate),
the import format's fields are records.py. Readers that work set-based in SQL select
their own rows: the import-format exports (export_records.py), the published copy
(public_rows.py, public_evidence.py) and conflicts (listed_claims.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import history, quotes
from .entities import get_entity, get_property
from .models import Citation, Claim
from .records import CLAIM_FIELDS
from .sources import find_source

LISTING_CHUNK = 1000


def _filtered_claims(
    session: Session,
    *,
    subject: str | None,
    property_name: str | None,
    source: str | None,
    rank: str | None,
    limit: int | None = None,
):
    query = select(Claim).options(
        selectinload(Claim.subject),
        selectinload(Claim.property),
        selectinload(Claim.qualifiers),
        selectinload(Claim.citations).selectinload(Citation.source),
        selectinload(Claim.citations).selectinload(Citation.footnote),
        selectinload(Claim.citations).selectinload(Citation.attributed_to),
    )
    if subject:
        query = query.where(Claim.subject_id == get_entity(session, subject).id)
    if property_name:
        query = query.where(Claim.property_id == get_property(session, property_name).id)
    if source:
        src = find_source(session, source)
        query = query.where(
            Claim.id.in_(select(Citation.claim_id).where(Citation.source_id == src.id))
        )
    if rank:
        query = query.where(Claim.rank == rank)
    query = query.order_by(Claim.id).limit(limit)
    # read LISTING_CHUNK claims at a time (their citations with them): memory stays flat
    return session.scalars(query.execution_options(yield_per=LISTING_CHUNK))


def claim_row(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "subject": claim.subject.name,
        "property": claim.property.name,
        "value": claim.value,
        "unit": claim.unit,
        "as_of": claim.as_of,
        "valid_from": claim.valid_from,
        "valid_to": claim.valid_to,
        "qualifiers": {q.key: q.value for q in claim.qualifiers},
        "rank": claim.rank,
        "rank_reason": claim.rank_reason,
        "citations": [citation_row(c) for c in claim.citations],
    }


def citation_row(citation: Citation) -> dict[str, Any]:
    return {
        "id": citation.id,
        "source": citation.source.slug,
        "footnote": citation.footnote.number if citation.footnote else None,
        "quote": citation.quote,
        "quote_start": citation.quote_start,
        "quote_end": citation.quote_end,
        "orphaned": citation.orphaned,
        "attributed_to": citation.attributed_to.name if citation.attributed_to else None,
        "stance": citation.stance,
        "confidence": citation.confidence,
        "note": citation.note,
        "created_by": citation.created_by,
        "quote_parts": citation.quote_parts,
        # "by ACTOR on DATE: REASON" for a retracted citation, else None
        "retracted": None
        if citation.live
        else f"by {citation.retracted_by} on {citation.retracted_at:%Y-%m-%d}:"
        f" {citation.retraction_reason}",
    }


def iter_claim_rows(session: Session, **filters: Any) -> Iterable[dict[str, Any]]:
    """``claim_row`` of every claim the filters keep (``limit``: at most that many), by id,
    read a chunk at a time."""
    for claim in _filtered_claims(session, **filters):
        yield claim_row(claim)


# `claims --csv`: one row per citation, the claim's columns repeated (docs/claims.md)
FLAT_CLAIM_COLUMNS = ("claim_id", *CLAIM_FIELDS)
FLAT_CITATION_COLUMNS = (
    "citation_id",
    "source",
    "footnote",
    "quote",
    "quote_start",
    "quote_end",
    "orphaned",
    "attributed_to",
    "stance",
    "confidence",
    "note",
    "created_by",
)


def flat_claim_rows(rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Claim rows (``claim_row``) as one flat row per citation, for a spreadsheet.

    Qualifiers are ``key=value`` pairs joined by ``;`` as in the import format's CSV; a
    claim without citations gives one row with the citation's columns empty.
    """
    for row in rows:
        claim = {
            "claim_id": row["id"],
            **{k: row[k] for k in FLAT_CLAIM_COLUMNS[1:] if k != "qualifiers"},
            "qualifiers": ";".join(f"{k}={v}" for k, v in row["qualifiers"].items()),
        }
        claim = {k: claim[k] for k in FLAT_CLAIM_COLUMNS}
        for citation in row["citations"] or [dict.fromkeys(("id", *FLAT_CITATION_COLUMNS[1:]))]:
            yield {
                **claim,
                "citation_id": citation["id"],
                **{k: citation[k] for k in FLAT_CITATION_COLUMNS[1:]},
            }


def scope_text(row: dict[str, Any]) -> str:
    parts = []
    if row.get("as_of"):
        parts.append(f"as of {row['as_of']}")
    if row.get("valid_from") or row.get("valid_to"):
        parts.append(f"{row.get('valid_from') or '…'} to {row.get('valid_to') or '…'}")
    parts += [f"{k}={v}" for k, v in (row.get("qualifiers") or {}).items()]
    return "; ".join(parts)


def provenance_chain(session: Session, claim: Claim) -> dict[str, Any]:
    """The claim with everything behind it: citations, quotes in context, footnotes,
    works, history."""
    row = claim_row(claim)
    for citation, out in zip(claim.citations, row["citations"], strict=True):
        source = citation.source
        out["source_title"] = source.title
        out["source_kind"] = source.kind
        out["source_reliability"] = source.reliability
        out["source_published"] = source.published
        out["source_authors"] = source.authors or []
        if citation.quote_start is not None and citation.quote_end is not None:
            before, _quote, after = quotes.context(
                source, citation.quote_start, citation.quote_end, width=160
            )
            out["context_before"], out["context_after"] = before, after
        if citation.footnote is not None:
            note = citation.footnote
            out["footnote_text"] = note.text
            out["works"] = [
                # as this note reads the work (other sources' notes may read it otherwise)
                {
                    "title": fw.title or fw.work.title,
                    "key": fw.work.key,
                    "locator": fw.locator,
                    "collection": fw.collection,
                }
                for fw in note.works
            ]
    ids = [c.id for c in claim.citations]
    events = history.rows(session, table="claims", row_id=claim.id)
    for citation_id in ids:
        events += history.rows(session, table="citations", row_id=citation_id)
    row["history"] = history.chronological(events)
    return row
