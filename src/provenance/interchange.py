"""``provenance export``: the database in interchange formats.

Formats:

* ``csv``, ``jsonl`` — the claims import format (SPEC §4), one record per citation, so
  that ``import`` of the file into another database holding the same documents gives
  back the same claims and citations. Claims that are ``preferred`` or ``deprecated``
  carry the optional ``rank`` and ``rank_reason`` keys (``records.RANK_KEYS``); a normal
  claim leaves them blank, and a blank rank changes nothing on import.
* ``yaml`` — the same records under ``claims:``, after the ``sources:`` (text-less
  sources), ``properties:`` and ``entities:`` (with aliases) sections: one file that
  carries everything the flat records cannot. ``--header FILE`` writes those three
  sections alone beside a csv or jsonl export, to be imported first.
* ``claimreview`` — one schema.org ClaimReview (JSON-LD) per conflict a fact-checker
  has ``confirmed`` or ``resolved``; the rating scale is ``RATINGS``.
* ``prov``, ``prov-n`` — the provenance graph as W3C PROV-JSON or PROV-N, built with
  the ``prov`` package.

Decisions a desk relies on:

* **Confidential material never leaves without ``--include-confidential``**: citations
  of a confidential source, claims left with no other citation, text-less confidential
  sources, and entities and properties that only such material names (a speaker quoted
  only by a confidential source, a property only its claims use) are left out of every
  format. Nor does it weigh in: ``claimreview`` rates the conflicts as they stand on the
  public evidence alone (``public_evidence.conflicts_on_public_evidence``), so the reviewed
  claim, its rating and its support owe nothing to a confidential source, and a verdict
  with a side left without public evidence is not reviewed. A cited work in ``prov`` is
  the shared row, which public notes describe (``sources.describe_works``). An export
  without the flag is the same before and after confidential material is added.
* Editors' notes on citations travel in the import formats (they are the desk's own
  interchange) but not in ``claimreview`` or ``prov``, which are written to be
  published.
* A citation whose quote is orphaned (no longer found in its source's changed text) is
  left out with a warning: an import would reject it, and the desk should re-anchor it
  first (``provenance check`` lists them).
* A retracted citation is withdrawn evidence (``Citation.live``) and no format carries
  it; a claim left with no live citation is not exported.
* A quote that occurs more than once in its source carries its ``occurrence`` (1 for
  the first place), so it imports back to the same place; other records leave it empty.
* Ingested documents (sources with text) are referred to by slug: the importing
  database must hold the same documents (``provenance build`` from the same seeds).
* csv and jsonl are written record by record from windows of ``WINDOW`` claims, so
  memory stays flat at any size. yaml is written the same way, but ``import`` reads a
  YAML file whole. ClaimReview documents are written one by one, from the verdicts
  (set by hand, so few). A PROV document is built whole in memory by the ``prov``
  package before it is serialised: its size bounds the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import quote as url_quote

import yaml
from sqlalchemy import and_, exists, false, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from . import quotes
from .choices import EXPORT_FORMATS
from .entities import get_entity, get_property
from .errors import InvalidValue
from .listings import scope_text
from .models import (
    Alias,
    Citation,
    Claim,
    ClaimQualifier,
    Conflict,
    Entity,
    Footnote,
    FootnoteWork,
    Property,
    Source,
    Work,
)
from .output import value_text
from .records import RECORD_KEYS
from .sources import find_source

FORMATS = EXPORT_FORMATS
WINDOW = 1000
DEFAULT_BASE_URI = "urn:provenance:"
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

SOURCE_SECTION_FIELDS = (
    "slug",
    "title",
    "authors",
    "publisher",
    "url",
    "published",
    "kind",
    "reliability",
    "reliability_reason",
    "confidential",
    "note",
)


# ---------------------------------------------------------------- what is exported


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


def _public_sources():
    return select(Source.id).where(Source.confidential == false())


def _citation_conditions(scope: ExportScope, *, orphans: bool = False) -> list:
    # a retracted citation is withdrawn evidence: no export carries it
    conditions: list[Any] = [Citation.live]
    if not orphans:
        conditions.append(Citation.orphaned == false())
    if scope.source_id is not None:
        conditions.append(Citation.source_id == scope.source_id)
    if not scope.include_confidential:
        conditions.append(Citation.source_id.in_(_public_sources()))
    return conditions


def _claim_conditions(scope: ExportScope) -> list:
    conditions = []
    if scope.subject_id is not None:
        conditions.append(Claim.subject_id == scope.subject_id)
    if scope.property_id is not None:
        conditions.append(Claim.property_id == scope.property_id)
    return conditions


def _exported_claims(scope: ExportScope):
    return and_(
        *_claim_conditions(scope),
        exists(
            select(Citation.id).where(Citation.claim_id == Claim.id, *_citation_conditions(scope))
        ),
    )


def count_citations(session: Session, scope: ExportScope) -> int:
    return (
        session.scalar(
            select(func.count(Citation.id))
            .join(Claim, Claim.id == Citation.claim_id)
            .where(*_claim_conditions(scope), *_citation_conditions(scope))
        )
        or 0
    )


def count_claims(session: Session, scope: ExportScope) -> int:
    return session.scalar(select(func.count(Claim.id)).where(_exported_claims(scope))) or 0


def count_orphaned(session: Session, scope: ExportScope) -> int:
    return (
        session.scalar(
            select(func.count(Citation.id))
            .join(Claim, Claim.id == Citation.claim_id)
            .where(
                Citation.orphaned.is_(True),
                *_claim_conditions(scope),
                *_citation_conditions(scope, orphans=True),
            )
        )
        or 0
    )


def claim_windows(
    session: Session, scope: ExportScope, window: int = WINDOW
) -> Iterator[list[int]]:
    """Ids of the exported claims, a window at a time (keyset paging: no OFFSET)."""
    after = 0
    condition = _exported_claims(scope)
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
    public = _public_sources()
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


# ---------------------------------------------------------------- import-format records


def iter_records(
    session: Session, scope: ExportScope, *, tick: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """One import-format record per exported citation, in claim order."""
    speaker = aliased(Entity)
    subject = aliased(Entity)
    for ids in claim_windows(session, scope):
        claims = {
            row.id: row
            for row in session.execute(
                select(
                    Claim.id,
                    subject.name.label("subject"),
                    Property.name.label("property"),
                    Claim.value,
                    Claim.unit,
                    Claim.as_of,
                    Claim.valid_from,
                    Claim.valid_to,
                    Claim.rank,
                    Claim.rank_reason,
                )
                .join(subject, subject.id == Claim.subject_id)
                .join(Property, Property.id == Claim.property_id)
                .where(Claim.id.in_(ids))
            )
        }
        qualifiers: dict[int, dict[str, str]] = defaultdict(dict)
        for claim_id, key, value in session.execute(
            select(ClaimQualifier.claim_id, ClaimQualifier.key, ClaimQualifier.value)
            .where(ClaimQualifier.claim_id.in_(ids))
            .order_by(ClaimQualifier.claim_id, ClaimQualifier.key)
        ):
            qualifiers[claim_id][key] = value
        citations = session.execute(
            select(
                Citation.claim_id,
                Source.slug,
                Footnote.number,
                Citation.quote,
                speaker.name.label("speaker"),
                Citation.stance,
                Citation.confidence,
                Citation.note,
                Citation.source_id,
                Citation.quote_start,
            )
            .join(Source, Source.id == Citation.source_id)
            .outerjoin(Footnote, Footnote.id == Citation.footnote_id)
            .outerjoin(speaker, speaker.id == Citation.attributed_to_id)
            .where(Citation.claim_id.in_(ids), *_citation_conditions(scope))
            .order_by(Citation.claim_id, Citation.id)
        )
        occurrence = _Occurrences(session)
        count = 0
        for citation in citations:
            claim = claims[citation.claim_id]
            ranked = claim.rank != "normal"
            count += 1
            yield {
                "source": citation.slug,
                "footnote": citation.number,
                "subject": claim.subject,
                "property": claim.property,
                "value": claim.value,
                "unit": claim.unit,
                "quote": citation.quote,
                "attributed_to": citation.speaker,
                "stance": citation.stance,
                "confidence": citation.confidence,
                "as_of": claim.as_of,
                "valid_from": claim.valid_from,
                "valid_to": claim.valid_to,
                "qualifiers": qualifiers.get(citation.claim_id) or None,
                "note": citation.note,
                "rank": claim.rank if ranked else None,
                "rank_reason": claim.rank_reason if ranked else None,
                # a quote found more than once imports back only with its place
                "occurrence": occurrence(citation.source_id, citation.quote, citation.quote_start),
            }
        if tick:
            tick(count)


class _Occurrences:
    """Which place of its source a quote stands at, when it stands at more than one."""

    def __init__(self, session: Session):
        self.session = session
        self.sources: dict[int, Source] = {}

    def __call__(self, source_id: int, quote: str | None, start: int | None) -> int | None:
        if quote is None or start is None:
            return None
        source = self.sources.get(source_id)
        if source is None:
            source = self.sources[source_id] = self.session.get_one(Source, source_id)
        places = [a.start for a in quotes.find_all(source, quote)]
        return places.index(start) + 1 if len(places) > 1 and start in places else None


def check_csv_qualifiers(session: Session, scope: ExportScope) -> None:
    """CSV writes qualifiers as k=v;k=v with no escaping: refuse what it cannot carry."""
    bad = session.execute(
        select(ClaimQualifier.claim_id, ClaimQualifier.key, ClaimQualifier.value)
        .join(Claim, Claim.id == ClaimQualifier.claim_id)
        .where(
            _exported_claims(scope),
            ClaimQualifier.value.contains(";")
            | ClaimQualifier.key.contains(";")
            | ClaimQualifier.key.contains("="),
        )
        .limit(1)
    ).first()
    if bad is not None:
        raise InvalidValue(
            f"claim {bad.claim_id}: qualifier {bad.key}={bad.value!r} holds ';' or '=', which the"
            " CSV qualifiers column (k=v;k=v) cannot carry: expected --format jsonl or yaml"
        )


def _csv_cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "qualifiers":
        return ";".join(f"{k}={v}" for k, v in value.items())
    return value


def write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_KEYS)
    count = 0
    for record in records:
        writer.writerow([_csv_cell(k, record.get(k)) for k in RECORD_KEYS])
        count += 1
    return count


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps({k: record.get(k) for k in RECORD_KEYS}, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def _yaml_item(entry: dict[str, Any]) -> str:
    # one list item at a time, so a long section is never held whole
    clean = {k: v for k, v in entry.items() if v is not None and v != [] and v != {}}
    return yaml.safe_dump(
        [clean], allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


def _write_section(out: TextIO, name: str, entries: Iterable[dict[str, Any]]) -> int:
    count = 0
    for entry in entries:
        if count == 0:
            out.write(f"{name}:\n")
        out.write(_yaml_item(entry))
        count += 1
    if count == 0:
        out.write(f"{name}: []\n")
    return count


def iter_textless_sources(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    query = select(Source).where(Source.text.is_(None)).order_by(Source.id)
    if not scope.include_confidential:
        query = query.where(Source.confidential == false())
    for source in session.scalars(query):
        entry = {key: getattr(source, key) for key in SOURCE_SECTION_FIELDS}
        entry["authors"] = list(source.authors or [])
        yield entry


def withheld_property_ids(session: Session, include_confidential: bool) -> set[int]:
    """Properties only claims with no public citation use: left out of the properties section.

    A property no claim uses yet is vocabulary, and is listed."""
    if include_confidential:
        return set()
    public_claims = select(Citation.claim_id).where(Citation.source_id.in_(_public_sources()))
    used = set(session.scalars(select(Claim.property_id).distinct()))
    used_in_public = set(
        session.scalars(select(Claim.property_id).where(Claim.id.in_(public_claims)).distinct())
    )
    return used - used_in_public


def iter_properties(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    withheld = withheld_property_ids(session, scope.include_confidential)
    for prop in session.scalars(select(Property).order_by(Property.id)):
        if prop.id in withheld:
            continue
        yield {
            "name": prop.name,
            "type": prop.datatype,
            "multi": prop.multi,
            "time_varying": prop.time_varying,
            "unit": prop.unit,
            "tolerance": prop.tolerance,
            "description": prop.description,
        }


def iter_entities(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    withheld = withheld_entity_ids(session, scope.include_confidential)
    after = 0
    while True:
        entities = session.execute(
            select(Entity.id, Entity.name, Entity.kind, Entity.description)
            .where(Entity.id > after)
            .order_by(Entity.id)
            .limit(WINDOW)
        ).all()
        if not entities:
            return
        ids = [e.id for e in entities]
        aliases: dict[int, list[str]] = defaultdict(list)
        for entity_id, name in session.execute(
            select(Alias.entity_id, Alias.name).where(Alias.entity_id.in_(ids)).order_by(Alias.id)
        ):
            aliases[entity_id].append(name)
        for entity in entities:
            if entity.id in withheld:
                continue
            yield {
                "name": entity.name,
                "kind": entity.kind,
                "aliases": [a for a in aliases[entity.id] if a != entity.name],
                "description": entity.description,
            }
        after = ids[-1]


def write_sections(session: Session, scope: ExportScope, out: TextIO) -> dict[str, int]:
    """The sources:, properties: and entities: sections of the YAML import format."""
    return {
        "sources": _write_section(out, "sources", iter_textless_sources(session, scope)),
        "properties": _write_section(out, "properties", iter_properties(session, scope)),
        "entities": _write_section(out, "entities", iter_entities(session, scope)),
    }


def write_yaml(
    session: Session, scope: ExportScope, records: Iterable[dict[str, Any]], out: TextIO
) -> int:
    out.write("# provenance export: import with `provenance import FILE`\n")
    write_sections(session, scope, out)
    return _write_section(out, "claims", records)


# ---------------------------------------------------------------- ClaimReview


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


# ---------------------------------------------------------------- W3C PROV

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
            .where(Citation.claim_id.in_(ids), *_citation_conditions(scope))
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


# ---------------------------------------------------------------- progress


class Progress:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.bar = None
        if total > 1 and self.stream.isatty():
            import click

            self.bar = click.progressbar(length=total, label=label, file=self.stream, show_eta=True)
            self.bar.__enter__()

    def tick(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# ---------------------------------------------------------------- output files


def check_output_path(path, option: str) -> None:
    """An output path must name a file in a folder that exists."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        raise InvalidValue(f"{option} {str(path)!r} is a folder: expected a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidValue(
            f"{option} {str(path)!r}: folder {str(parent)!r} does not exist: expected a file in an"
            " existing folder"
        )
