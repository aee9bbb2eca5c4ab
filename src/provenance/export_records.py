"""The claims import format written back out: csv, jsonl and yaml records.

One record per exported citation (SPEC §4), so that ``import`` of the file into another
database holding the same documents gives back the same claims and citations:

* Claims that are ``preferred`` or ``deprecated`` carry the optional ``rank`` and
  ``rank_reason`` keys (``records.RANK_KEYS``); a normal claim leaves them blank, and a
  blank rank changes nothing on import.
* ``yaml`` puts the records under ``claims:``, after the ``sources:`` (text-less
  sources), ``properties:`` and ``entities:`` (with aliases) sections: one file that
  carries everything the flat records cannot. ``write_sections`` writes those three
  sections alone (``--header FILE``) beside a csv or jsonl export, to be imported first.
* Editors' notes on citations travel in these formats (they are the desk's own
  interchange).
* A quote that occurs more than once in its source carries its ``occurrence`` (1 for
  the first place), so it imports back to the same place; other records leave it empty.
* Ingested documents (sources with text) are referred to by slug: the importing
  database must hold the same documents (``provenance build`` from the same seeds).
* Records are written one by one from windows of claims, so memory stays flat. yaml is
  written the same way, but ``import`` reads a YAML file whole.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

import yaml
from sqlalchemy import false, select
from sqlalchemy.orm import Session, aliased

from . import quotes
from .errors import InvalidValue
from .export_scope import (
    WINDOW,
    ExportScope,
    citation_conditions,
    claim_windows,
    exported_claims,
    withheld_entity_ids,
    withheld_property_ids,
)
from .models import Alias, Citation, Claim, ClaimQualifier, Entity, Footnote, Property, Source
from .records import RECORD_KEYS

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
            .where(Citation.claim_id.in_(ids), *citation_conditions(scope))
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
            exported_claims(scope),
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
