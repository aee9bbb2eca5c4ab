"""``export --format claimreview``: schema.org ClaimReview (JSON-LD) of the questions a
fact-checker has ``confirmed`` or ``resolved``; the rating scale is ``RATINGS``.

Without ``--include-confidential`` the conflicts are rated as they stand on the public
evidence alone (``public_evidence.conflicts_on_public_evidence``), so the reviewed claim, its
rating and its support owe nothing to a confidential source, and a verdict with a side
left without public evidence is not reviewed. Editors' notes are not carried: a
ClaimReview is written to be published. Reviews are written one by one, from the
verdicts (set by hand, so few).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .export_scope import ExportScope
from .listings import scope_text
from .models import Alias, Conflict, Entity, Property, Source
from .output import value_text

REVIEWED_STATUSES = ("confirmed", "resolved")

# The ClaimReview rating scale: (ratingValue, alternateName), worst 1, best 5.
RATINGS = {
    "false": (1, "False"),
    "mostly false": (2, "Mostly false"),
    "disputed": (3, "Disputed"),
    "mostly true": (4, "Mostly true"),
    "true": (5, "True"),
}
WORST_RATING, BEST_RATING = 1, 5


def claim_sentence(row: dict[str, Any]) -> str:
    """A claim as a reader-facing sentence: subject, property, value, scope."""
    value = value_text(row["value"], row.get("unit"))
    sentence = f"{row['subject']} — {row['property'].replace('_', ' ')}: {value}"
    scope = scope_text(row)
    return f"{sentence} ({scope})" if scope else sentence


def schema_date(published: str | None, earliest: str | None) -> str | None:
    """An EDTF publication date as schema.org wants it: ISO 8601 at the precision given."""
    if not published:
        return None
    plain = published.rstrip("~?%")
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", plain):
        return plain
    return earliest[:10] if earliest else None


def rating(reviewed_leads: bool | None, settled: bool) -> tuple[int, str]:
    """The rating of the reviewed claim.

    ``reviewed_leads``: True when the reviewed claim is the leading value, False when
    the other side leads, None for a tie. ``settled``: the desk preferred the leading
    claim, or resolved the conflict; otherwise the lead is only more support.
    """
    if reviewed_leads is None:
        return RATINGS["disputed"]
    if reviewed_leads:
        return RATINGS["true" if settled else "mostly true"]
    return RATINGS["false" if settled else "mostly false"]


class ClaimReviewWriter:
    """Builds the ClaimReviews of reviewed questions from ``conflicts.conflict_rows``."""

    def __init__(
        self, session: Session, scope: ExportScope, organisation: str, review_url: str | None
    ):
        self.session = session
        self.scope = scope
        self.organisation = organisation
        self.review_url = review_url
        self._sources: dict[str, Source] = {}
        self._kinds: dict[str, str] = {}

    def _source(self, slug: str) -> Source:
        if slug not in self._sources:
            self._sources[slug] = self.session.scalars(
                select(Source).where(Source.slug == slug)
            ).one()
        return self._sources[slug]

    def _public(self, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.scope.include_confidential:
            return citations
        return [c for c in citations if not self._source(c["source"]).confidential]

    def _speaker(self, name: str) -> dict[str, Any]:
        if name not in self._kinds:
            kind = self.session.scalar(
                select(Entity.kind)
                .join(Alias, Alias.entity_id == Entity.id)
                .where(Alias.name == name)
                .limit(1)
            )
            self._kinds[name] = kind or "other"
        return {
            "@type": "Person" if self._kinds[name] == "person" else "Organization",
            "name": name,
        }

    def _authors(self, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        authors: dict[tuple[str, str], dict[str, Any]] = {}
        for citation in citations:
            if citation["attributed_to"]:
                found = [self._speaker(citation["attributed_to"])]
            else:
                source = self._source(citation["source"])
                found = [{"@type": "Person", "name": a} for a in source.authors or []]
                if not found and source.publisher:
                    found = [{"@type": "Organization", "name": source.publisher}]
                if not found:
                    found = [{"@type": "Organization", "name": source.title}]
            for author in found:
                authors.setdefault((author["@type"], author["name"]), author)
        return list(authors.values())

    def _appearance(self, source: Source) -> dict[str, Any]:
        work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}
        if source.url:
            work["url"] = source.url
        if source.authors:
            work["author"] = [{"@type": "Person", "name": a} for a in source.authors]
        if source.publisher:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        published = schema_date(source.published, source.published_earliest)
        if published:
            work["datePublished"] = published
        return work

    def review(
        self, row: dict[str, Any], answer: dict[str, Any], claim: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The ClaimReview of one asserted answer of a question, or None when it (or
        every other answer) rests on confidential sources."""
        key = (answer["claim"], answer["stance"])
        leader = (
            None
            if row["leading_claim"] is None
            else next(
                (a["claim"], a["stance"])
                for a in row["answers"]
                if a["claim"] == row["leading_claim"] and a["value"] == row["leading_value"]
            )
        )
        reviewed_leads = None if leader is None else leader == key
        reviewed = self._public(answer["citations"])
        other = self._public(
            [c for a in row["answers"] if (a["claim"], a["stance"]) != key for c in a["citations"]]
        )
        if not reviewed or not other:
            self.scope.withheld_reviews += 1
            return None
        reviewed_side = answer
        settled = row["status"] == "resolved" or row["leading_reason"] in (
            "preferred by the desk",
            "accepted by the desk",
        )
        value, name = rating(reviewed_leads, settled)
        sources = []
        for citation in reviewed:
            source = self._source(citation["source"])
            if source not in sources:
                sources.append(source)
        sources.sort(key=lambda s: (s.published_earliest or "9999", s.id))
        appearances = [self._appearance(s) for s in sources]
        authors = self._authors(reviewed)
        item: dict[str, Any] = {
            "@type": "Claim",
            "author": authors[0] if len(authors) == 1 else authors,
            "appearance": appearances,
            "firstAppearance": appearances[0],
        }
        first_date = appearances[0].get("datePublished")
        if first_date:
            item["datePublished"] = first_date
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim_sentence(claim),
            "itemReviewed": item,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": name,
                "name": name,
            },
            "author": {"@type": "Organization", "name": self.organisation},
        }
        if row["status_at"]:
            review["datePublished"] = row["status_at"][:10]
        if self.review_url:
            review["url"] = self.review_url.replace("{id}", str(row["id"])).replace(
                "{claim}", str(reviewed_side["claim"])
            )
        return review


def iter_claim_reviews(
    session: Session,
    scope: ExportScope,
    organisation: str,
    review_url: str | None,
    *,
    tick: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    from .claims import get_claim
    from .conflicts import conflict_rows
    from .leading import lead
    from .listings import claim_row

    writer = ClaimReviewWriter(session, scope, organisation, review_url)
    subject = session.get_one(Entity, scope.subject_id).name if scope.subject_id else None
    prop = session.get_one(Property, scope.property_id).name if scope.property_id else None
    slug = session.get_one(Source, scope.source_id).slug if scope.source_id is not None else None
    if scope.include_confidential:
        rows = [
            row
            for status in REVIEWED_STATUSES
            for row in conflict_rows(
                session, status=status, subject=subject, property_name=prop, include_inactive=True
            )
        ]
        lead(session, rows, public_only=False)
    else:
        rows = _public_reviewed_rows(session, scope)
    for row in sorted(rows, key=lambda r: r["id"]):
        if tick:
            tick(1)
        if slug is not None and not any(
            c["source"] == slug for answer in row["answers"] for c in answer["citations"]
        ):
            continue
        for answer in reviewed_answers(row):
            review = writer.review(row, answer, claim_row(get_claim(session, answer["claim"])))
            if review is not None:
                yield review


def reviewed_answers(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers of a question that get a ClaimReview: every asserted answer that does
    not lead (on a tie, every one) — and, where the only challenge is a denial (a stance
    question), the asserted claim whatever leads, as the claim under review."""
    asserted = [a for a in row["answers"] if a["stance"] == "asserts"]
    if len(asserted) == 1:
        return asserted
    return [
        a
        for a in asserted
        if row["leading_claim"] is None
        or not (a["claim"] == row["leading_claim"] and a["value"] == row["leading_value"])
    ]


def _public_reviewed_rows(session: Session, scope: ExportScope) -> list[dict[str, Any]]:
    """The reviewed conflicts as they stand on public evidence alone (as ``publish`` shows
    them): which claim is reviewed, its support and its rating owe nothing to a
    confidential source. A verdict with a side left without public evidence is counted
    in ``scope.withheld_reviews``."""
    from .public_evidence import conflicts_on_public_evidence
    from .sources import confidential_source_ids

    public, subject_of, _looked_at = conflicts_on_public_evidence(
        session,
        confidential_source_ids(session),
        include_inactive=True,
        statuses=REVIEWED_STATUSES,
    )

    def wanted(subject_id: int, property_id: int) -> bool:
        return (scope.subject_id is None or subject_id == scope.subject_id) and (
            scope.property_id is None or property_id == scope.property_id
        )

    rows = [
        row
        for row in public
        if row["status"] in REVIEWED_STATUSES and wanted(*subject_of[row["answers"][0]["claim"]])
    ]
    reviewed = session.execute(
        select(Conflict.id, Conflict.subject_id, Conflict.property_id).where(
            Conflict.status.in_(REVIEWED_STATUSES)
        )
    ).all()
    shown = {row["id"] for row in rows}
    scope.withheld_reviews += sum(
        1 for r in reviewed if wanted(r.subject_id, r.property_id) and r.id not in shown
    )
    return rows


def count_reviews(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(Conflict.id)).where(Conflict.status.in_(REVIEWED_STATUSES))
        )
        or 0
    )


def write_json_array(items: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A JSON array written an element at a time."""
    count = 0
    out.write("[")
    for item in items:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(item, ensure_ascii=False, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
