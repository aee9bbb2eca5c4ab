"""Reading a record of the claims import format: each field validated, each name resolved.

``RecordPreparer.prepare`` turns one record into its claim part and citation part
(records.py), or raises a ``FieldError`` naming the first bad field, in a fixed order so a
record with several bad fields is always reported by the same one. It looks up the
source, the property, the footnote and the entities its names refer to, and parses the
value, the dates of its scope and its qualifiers, and anchors its quote (quotes.py). A
name that is no entity yet becomes a ``PendingEntity``: the writer creates or finds it
for the whole batch at once. An import reuses a part already prepared for an earlier
record in the same words (``prepare_fields``), and what the words after a subject give
for a record that differs from an earlier one only in its subject (``claim_part``).

Nothing here writes. The claim writer (claims.py) prepares through this class and
writes the batches; what makes two records one claim or one citation is identity.py.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from . import identity, quotes
from .entities import get_property
from .errors import InvalidValue, NotFound, ProvenanceError
from .inputs import as_id, too_long
from .models import CONFIDENCES, RANKS, STANCES, Alias, Claim, ClaimQualifier, Footnote, Source
from .records import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    RECORD_KEYS,
    REQUIRED_KEYS,
    CitationPart,
    ClaimPart,
    FieldError,
    PendingEntity,
    PreparedClaim,
    blank,
    text_or_none,
)
from .sources import find_source
from .speakers import speaker_in_document
from .values import canonical_unit, date_bounds, normalise_name, normalise_text, parse_value

_RECORD_KEY_SET = frozenset(RECORD_KEYS)
_RANK_AT = CLAIM_FIELDS.index("rank")
assert CLAIM_FIELDS[_RANK_AT + 1] == "rank_reason"
# claim_part reads the fields before the rank by their place
assert CLAIM_FIELDS[:_RANK_AT] == (
    "subject",
    "property",
    "value",
    "unit",
    "as_of",
    "valid_from",
    "valid_to",
    "qualifiers",
)
# EDTF parsing costs tens of milliseconds a date and an import repeats the same few
# values and dates: each is parsed once (results are immutable; errors are not cached)
_parse_value = lru_cache(maxsize=65536)(parse_value)
_date_bounds = lru_cache(maxsize=65536)(date_bounds)
# names repeat through a file (subjects, speakers, qualifier values)
_normalise_name = lru_cache(maxsize=65536)(normalise_name)


class _Unseen(enum.Enum):
    """A key not looked up yet (None is a looked-up miss); an enum so type checkers narrow it."""

    UNSEEN = enum.auto()


_UNSEEN = _Unseen.UNSEEN
# one statement, compiled once: an import looks up every distinct qualifier value
_ALIAS_LOOKUP = sql_text("SELECT entity_id FROM aliases WHERE normalised = :key LIMIT 1")


@dataclass(frozen=True, slots=True)
class _SourceRef:
    id: int
    slug: str
    text: str | None
    orm: Source
    document_id: int  # the original's id for a copy (Source.document_id)


@dataclass(frozen=True, slots=True)
class _PropertyRef:
    id: int
    name: str
    datatype: str
    unit: str | None
    tolerance: float | None


# parts kept for records still to come: a file repeats a claim's words close together
# (the records of one subject), so a small cache finds nearly every repeat, and memory
# stays flat however long the file
PART_CACHE_SIZE = 5_000
# what a property's value, unit and dates give, by their texts: a file has far fewer
# distinct values than records (a quantity property a few hundred)
VALUE_CACHE_SIZE = 4_000
# a name's longest spelling (Alias.name): read once, as the column's attribute costs a call
_NAME_LIMIT: int | None = getattr(Alias.__table__.c.name.type, "length", None)


class RecordPreparer:
    """Validates records of the claims import format and resolves their names, a record at a
    time, in the caller's session; writes nothing (the claim writer, claims.py, does)."""

    def __init__(self, session: Session):
        self.session = session
        # what a record needs of its source and property, read once (plain attributes:
        # the ORM's instrumented ones cost a call per access, a dozen per record)
        self._sources: dict[str, _SourceRef] = {}
        self._properties: dict[str, _PropertyRef] = {}
        # sources and properties not found, with the error (its suggestions cost a search)
        self._missing: dict[tuple[str, str], str] = {}
        # entities by normalised name: an id, a PendingEntity, or None (a qualifier value
        # that names no entity); the names still pending, resolved by the writer
        self.names: dict[str, int | PendingEntity | None] = {}
        self.unresolved: list[PendingEntity] = []
        self._footnotes: dict[tuple[int, int], int] = {}
        self._footnote_counts: dict[int, int] = {}
        # ranks given so far, by the claim's words as read, checked as each record is
        # prepared: only ranked records are kept, so memory stays flat (the writer checks
        # them again once names are resolved)
        self.ranks_seen: dict[tuple[int, int, str, str], tuple[str, str | None]] = {}
        # parts already prepared, by the record's fields in the order of CLAIM_FIELDS and
        # CITATION_FIELDS (see prepare_fields)
        self._claim_parts: dict[tuple, ClaimPart] = {}
        self._citation_parts: dict[tuple, CitationPart] = {}
        # a claim's property and row (but its subject and entity value), by the fields
        # after the subject as given (no qualifiers among them); its value columns by
        # (property id, value, unit) as given; its scope by its dates (see claim_part)
        self._claim_columns: dict[tuple, tuple[_PropertyRef, dict[str, Any]]] = {}
        self._values: dict[tuple, dict[str, Any]] = {}
        self._scopes: dict[tuple, dict[str, Any]] = {}

    # ------------------------------------------------------------ resolving

    def source(self, ref: Any) -> _SourceRef:
        found = self._sources.get(ref) if isinstance(ref, str) else None
        if found is not None:
            return found
        key = str(ref).strip()
        if not key:
            raise FieldError(
                "source", f"empty source {ref!r}: expected a source id, slug or file name"
            )
        if key not in self._sources:
            if ("source", key) in self._missing:
                raise FieldError("source", self._missing["source", key])
            try:
                source = find_source(self.session, key)
            except NotFound as exc:
                # a file may name one missing source a million times: looked up once
                self._missing["source", key] = str(exc)
                raise FieldError("source", str(exc)) from None
            self._sources[key] = _SourceRef(
                source.id, source.slug, source.text, source, source.document_id
            )
        if isinstance(ref, str):
            self._sources[ref] = self._sources[key]
        return self._sources[key]

    def _property(self, name: Any) -> _PropertyRef:
        found = self._properties.get(name) if isinstance(name, str) else None
        if found is not None:
            return found
        key = str(name or "").strip()
        if not key:
            raise FieldError(
                "property",
                f"empty property {name!r}: expected a property name (see `provenance properties`)",
            )
        if key not in self._properties:
            if ("property", key) in self._missing:
                raise FieldError("property", self._missing["property", key])
            try:
                prop = get_property(self.session, key)
            except NotFound as exc:
                self._missing["property", key] = str(exc)
                raise FieldError("property", str(exc)) from None
            self._properties[key] = _PropertyRef(
                prop.id, prop.name, prop.datatype, prop.unit, prop.tolerance
            )
        if isinstance(name, str):
            self._properties[name] = self._properties[key]
        return self._properties[key]

    def entity_ref(
        self, name: Any, field_name: str, *, create: bool = True
    ) -> int | PendingEntity | None:
        """The entity a name refers to: its id, or a PendingEntity resolved at the next flush.

        With ``create`` false (qualifier values) a name that names no entity gives None.
        """
        text = "" if name is None else str(name).strip()
        key = _normalise_name(text) if text else ""
        if not key:
            raise FieldError(
                field_name,
                f"empty {field_name.replace('_', ' ')} {name!r}: expected a name such as 'Qais"
                " al-Khazali'",
            )
        known = self.names.get(key, _UNSEEN)
        if known is not _UNSEEN and (known is not None or not create):
            return known
        if _NAME_LIMIT is not None and len(text) > _NAME_LIMIT:
            raise FieldError(
                field_name, str(too_long(text, Alias.name, field_name.replace("_", " ")))
            )
        if not create:
            # a qualifier value: remember a miss too (None), so a value repeated through
            # the file is looked up once; a later record naming it as an entity replaces it
            self.session.flush()  # as session.scalar would
            self.names[key] = (
                self.session.connection().execute(_ALIAS_LOOKUP, {"key": key}).scalar()
            )
            return self.names[key]
        pending = PendingEntity(text, key, field_name)
        self.names[key] = pending
        self.unresolved.append(pending)
        return pending

    def _footnote_id(self, source: _SourceRef, number: Any) -> int:
        # digits 0-9 only: int() reads "١٢" as 12, a note nobody typed
        n = as_id(str(number).strip().lstrip("[").rstrip("]"))
        if n is None:
            raise FieldError("footnote", f"footnote {number!r}: expected a note number such as 12")
        if source.id not in self._footnote_counts:
            rows = self.session.execute(
                select(Footnote.number, Footnote.id).where(Footnote.source_id == source.id)
            ).all()
            for num, fid in rows:
                self._footnotes[(source.id, num)] = fid
            self._footnote_counts[source.id] = len(rows)
        count = self._footnote_counts[source.id]
        if not count:
            raise FieldError(
                "footnote",
                f"footnote {number!r}: source {source.slug!r} has no footnotes; leave footnote"
                " empty",
            )
        if (source.id, n) not in self._footnotes:
            raise FieldError(
                "footnote",
                f"footnote {number!r} is not a note of {source.slug!r}: expected 1 to {count}",
            )
        return self._footnotes[(source.id, n)]

    # ------------------------------------------------------------ preparing

    def prepare(self, raw: dict[str, Any]) -> PreparedClaim:
        """Validate and resolve one record; raises FieldError naming the field.

        Fields are checked in a fixed order (unknown fields, required ones, source,
        property, subject, unit, value, scope, qualifiers, the citation's fields, rank), so
        a record with several bad fields is always reported by the same one.
        """
        unknown = [k for k in raw if k not in RECORD_KEYS]
        if unknown:
            raise FieldError(
                unknown[0], f"unknown field {unknown[0]!r}: expected {', '.join(RECORD_KEYS)}"
            )
        for key in REQUIRED_KEYS:
            if blank(raw.get(key)):
                raise FieldError(
                    key, f"missing {key}: every claim needs {', '.join(REQUIRED_KEYS)}"
                )
        source = self.source(raw["source"])
        claim = self._claim_part(raw)
        citation = CitationPart(self.citation_columns(raw, source))
        claim.rank = self.checked_rank(raw, claim.key)
        return claim, citation

    def prepare_record(self, raw: dict[str, Any]) -> PreparedClaim:
        """``prepare`` for a record of a file, reusing the parts of earlier records."""
        if _RECORD_KEY_SET.issuperset(raw):
            claim_values = tuple([raw.get(k) for k in CLAIM_FIELDS])
            citation_values = tuple([raw.get(k) for k in CITATION_FIELDS])
            # only text: 1 == True == 1.0 as keys, though they are different values
            if all(v is None or v.__class__ is str for v in claim_values + citation_values):
                return self.prepare_fields(claim_values, citation_values, lambda: raw)
        return self.prepare(raw)

    def prepare_fields(
        self, claim_values: tuple, citation_values: tuple, raw: Callable[[], dict[str, Any]]
    ) -> PreparedClaim:
        """``prepare`` for a record given as its fields in the order of CLAIM_FIELDS and
        CITATION_FIELDS.

        A record repeating the words of an earlier one (another source for the same
        claim; the same source, speaker and confidence for another claim) reuses that
        record's part: validation and resolution are deterministic in a record's words
        within one writer, so the part is what ``prepare`` would make again. Any other
        record goes through ``prepare`` (``raw()`` gives it as a mapping of fields), which
        also reports a bad one exactly as it would alone.
        """
        claim = self._claim_parts.get(claim_values)
        citation = self._citation_parts.get(citation_values)
        if claim is not None and citation is not None:
            return claim, citation
        try:
            # the missing part alone; the other one is known to be good
            if claim is None:
                fresh_claim = self.claim_part(claim_values, text=True)
                rank, reason = claim_values[_RANK_AT], claim_values[_RANK_AT + 1]
                if rank or reason:
                    fresh_claim.rank = self.checked_rank(
                        {"rank": rank, "rank_reason": reason}, fresh_claim.key
                    )
            if citation is None:
                record = raw()
                source = record.get("source")
                if blank(source):
                    raise FieldError("source", "missing source")
                fresh_citation = CitationPart(self.citation_columns(record, self.source(source)))
        except ProvenanceError:
            # a bad record: reported as prepare reports it, by the first bad field
            fresh_claim, fresh_citation = self.prepare(raw())
        if claim is None:
            if len(self._claim_parts) >= PART_CACHE_SIZE:
                self._claim_parts.clear()
            claim = self._claim_parts[claim_values] = fresh_claim
        if citation is None:
            if len(self._citation_parts) >= PART_CACHE_SIZE:
                self._citation_parts.clear()
            citation = self._citation_parts[citation_values] = fresh_citation
        return claim, citation

    def _claim_part(self, raw: dict[str, Any]) -> ClaimPart:
        return self.claim_part(tuple([raw.get(k) for k in CLAIM_FIELDS]))

    def claim_part(self, fields: tuple, *, text: bool = False) -> ClaimPart:
        """The claim part of a record given as its fields in the order of CLAIM_FIELDS.

        Fields are checked in ``prepare``'s order (subject, property and value present;
        property, subject, unit, value, scope, qualifiers). What the fields after the
        subject give is worked out once per import for each distinct text
        (``_claim_columns``; a value of a property and unit, ``_values``): when they are
        known good, only the subject is left to check. ``text``: every field is text or None
        (a record of a file, ``prepare_fields``), so the fields can be a cache's key (1 ==
        True == 1.0 in Python, though they are different values).
        """
        subject = fields[0]
        known = self._claim_columns.get(fields[1:8]) if text else None
        if known is None or not (subject.__class__ is str and subject.strip()):
            return self._new_claim_part(fields, text)
        prop, template = known
        subject_id = self.entity_ref(subject, "subject")
        row = template.copy()  # a fraction of building the row of 21 columns again
        row["subject_id"] = subject_id
        value_key = row["value_key"]
        if prop.datatype == "entity":  # known good, so the value names an entity
            value_key = row["entity_value_id"] = self.entity_ref(fields[2], "value")
        return ClaimPart(
            (subject_id, prop.id, value_key, row["scope_key"]),
            row,
            [],
            f"{subject} · {prop.name} = {row['value']}",
        )

    def _new_claim_part(self, fields: tuple, cacheable: bool) -> ClaimPart:
        subject, prop_name, value_text, unit_text, as_of, valid_from, valid_to, qualifiers = fields[
            :8
        ]
        for key, given in (("subject", subject), ("property", prop_name), ("value", value_text)):
            if blank(given):
                raise FieldError(
                    key, f"missing {key}: every claim needs {', '.join(REQUIRED_KEYS)}"
                )
        prop = self._property(prop_name)
        subject_id = self.entity_ref(subject, "subject")
        value_key = (prop.id, value_text, unit_text)
        columns = self._values.get(value_key) if cacheable else None
        if columns is None:
            columns = self._value_columns(prop, value_text, unit_text)
            if cacheable:
                if len(self._values) >= VALUE_CACHE_SIZE:
                    self._values.clear()
                self._values[value_key] = columns
        entity_value_id = None
        if prop.datatype == "entity":
            # the key is the entity's id, set when the batch is written (see _finish_claim)
            entity_value_id = self.entity_ref(value_text, "value")
        dates = (as_of, valid_from, valid_to)
        scope = self._scopes.get(dates) if cacheable else None
        if scope is None:
            scope = self._scope(as_of, valid_from, valid_to)
            if cacheable:
                if len(self._scopes) >= VALUE_CACHE_SIZE:
                    self._scopes.clear()
                self._scopes[dates] = scope
        qualifier_rows = self._qualifiers(qualifiers)
        claim_row = {
            "subject_id": subject_id,
            "property_id": prop.id,
            **columns,
            **scope,
            "scope_key": identity.scope_key(scope, qualifier_rows),
        }
        if entity_value_id is not None:
            claim_row["entity_value_id"] = entity_value_id
        if cacheable and not qualifier_rows:
            if len(self._claim_columns) >= VALUE_CACHE_SIZE:
                self._claim_columns.clear()
            # the row itself: what the writer changes in it (the subject and entity value,
            # and an entity value's key) a copy gets anew (see claim_part, _finish_claim)
            self._claim_columns[fields[1:8]] = (prop, claim_row)
        summary = f"{subject} · {prop.name} = {columns['value']}"
        # names not yet resolved stand in the key by their PendingEntity (one per name)
        claim_key = (
            subject_id,
            prop.id,
            columns["value_key"] or entity_value_id,
            claim_row["scope_key"],
        )
        return ClaimPart(claim_key, claim_row, qualifier_rows, summary)

    def _value_columns(self, prop: _PropertyRef, value_text: Any, unit_text: Any) -> dict[str, Any]:
        """A claim's columns from ``value`` to ``boolean_value`` (CLAIM_PART_COLUMNS; no
        entity value), for a value and unit of a property; raises FieldError."""
        # % and percent are one unit (canonical_unit): compared and stored as %
        unit = canonical_unit(text_or_none(unit_text))
        problem = too_long(unit, Claim.unit, "unit") if unit else None
        if problem:
            raise FieldError("unit", problem)
        if unit and prop.datatype != "quantity":
            # a unit on a date or a name is a mistake (a value in the wrong field, a
            # property mixed up), never something to keep silently and export back
            raise FieldError(
                "unit",
                f"unit {unit!r} is for quantities: property {prop.name!r} is a {prop.datatype}; "
                "expected no unit",
            )
        if unit and prop.unit and unit != canonical_unit(prop.unit):
            raise FieldError(
                "unit",
                f"unit {unit!r} differs from the unit of {prop.name!r}: expected {prop.unit!r} or"
                " nothing",
            )
        try:
            value = _parse_value(
                prop.datatype, str(value_text), unit=unit or prop.unit, tolerance=prop.tolerance
            )
        except ProvenanceError as exc:
            raise FieldError(
                "value", f"{exc} (property {prop.name!r} is a {prop.datatype})"
            ) from None
        if prop.unit and value.unit and value.unit != canonical_unit(prop.unit):
            raise FieldError(
                "value",
                f"value {value_text!r} is in {value.unit}, property {prop.name!r} in {prop.unit}",
            )
        return {
            "value": value.display,
            "value_key": None if prop.datatype == "entity" else value.key,
            "quantity_low": value.quantity_low,
            "quantity_high": value.quantity_high,
            "quantity_low_exclusive": value.quantity_low_exclusive,
            "quantity_high_exclusive": value.quantity_high_exclusive,
            "quantity_approximate": value.quantity_approximate,
            "unit": value.unit or canonical_unit(prop.unit),
            "date_earliest": value.date_earliest,
            "date_latest": value.date_latest,
            "entity_value_id": None,
            "text_value": value.text_value,
            "boolean_value": value.boolean_value,
        }

    def checked_rank(
        self, raw: dict[str, Any], claim_key: tuple[int, int, str, str]
    ) -> tuple[str, str | None] | None:
        """The record's rank and reason, checked against an earlier record's for the same
        claim (``ranks_seen``); a parallel import's writer calls it in file order."""
        rank = text_or_none(raw.get("rank"))
        reason = text_or_none(raw.get("rank_reason"))
        if rank is None:
            if reason is not None:
                raise FieldError(
                    "rank_reason",
                    "rank_reason given without a rank: expected rank preferred, deprecated or"
                    " normal",
                )
            return None
        rank = rank.lower()
        if rank not in RANKS:
            raise FieldError(
                "rank", f"rank {raw.get('rank')!r}: expected {', '.join(RANKS)} or nothing"
            )
        if rank == "deprecated" and reason is None:
            raise FieldError(
                "rank_reason",
                "missing rank_reason: a deprecated claim keeps the reason, so nobody re-adds it",
            )
        earlier = self.ranks_seen.setdefault(claim_key, (rank, reason))
        if earlier != (rank, reason):
            raise FieldError(
                "rank",
                f"rank {rank!r} differs from the rank {earlier[0]!r} an earlier record gives the"
                " same claim",
            )
        return rank, reason

    def _scope(self, as_of: Any, valid_from: Any, valid_to: Any) -> dict[str, Any]:
        return scope_of(text_or_none(as_of), text_or_none(valid_from), text_or_none(valid_to))

    def _qualifiers(self, raw: Any) -> list[dict[str, Any]]:
        if blank(raw):
            return []
        pairs: list[tuple[str, Any]]
        if isinstance(raw, dict):
            pairs = list(raw.items())
        elif isinstance(raw, str):
            pairs = []
            for part in raw.split(";"):
                if not part.strip():
                    continue
                if "=" not in part:
                    raise FieldError(
                        "qualifiers",
                        f"qualifier {part.strip()!r}: expected key=value, separated by ';'",
                    )
                key, _, value = part.partition("=")
                pairs.append((key, value))
        else:
            raise FieldError(
                "qualifiers", f"qualifiers {raw!r}: expected a mapping or key=value;key=value"
            )
        rows = []
        seen = set()
        for key, value in pairs:
            key_text = str(key).strip().lower()
            value_text = "" if value is None else str(value).strip()
            if not key_text or not value_text:
                raise FieldError(
                    "qualifiers", f"qualifier {key!r}={value!r}: expected a key and a value"
                )
            if key_text in ("as_of", "valid_from", "valid_to"):
                raise FieldError(
                    "qualifiers",
                    f"qualifier {key_text!r}: give it as its own field, not as a qualifier",
                )
            problem = too_long(key_text, ClaimQualifier.key, "qualifier")
            if problem:
                raise FieldError("qualifiers", problem)
            if key_text in seen:
                raise FieldError("qualifiers", f"qualifier {key_text!r} given twice")
            seen.add(key_text)
            entity_id = self.entity_ref(value_text, "qualifiers", create=False)
            rows.append(
                {
                    "key": key_text,
                    "value": value_text,
                    "entity_id": entity_id,
                    # the spelling, as aliases are normalised: conflicts resolves it through
                    # the aliases when they are compared, so an entity (or alias) added
                    # later still makes two spellings one value
                    "normalised": _normalise_name(value_text) or normalise_text(value_text),
                }
            )
        return sorted(rows, key=lambda r: r["key"])

    def citation_columns(self, raw: dict[str, Any], source: _SourceRef) -> dict[str, Any]:
        quote = raw.get("quote")
        quote = None if blank(quote) else str(quote)
        row: dict[str, Any] = {
            "source_id": source.id,
            "footnote_id": None,
            "quote": None,
            "quote_start": None,
            "quote_end": None,
            "quote_parts": None,
            "prefix": None,
            "suffix": None,
            "orphaned": False,
        }
        if source.text is not None:
            if quote is None:
                raise FieldError(
                    "quote",
                    f"missing quote: source {source.slug!r} has text, so every citation quotes it"
                    " exactly",
                )
            occurrence = raw.get("occurrence")
            if not blank(occurrence):
                occurrence = as_id(str(occurrence).strip())
                if occurrence is None:
                    raise FieldError(
                        "occurrence",
                        f"occurrence {raw.get('occurrence')!r}: expected a whole number, 1 for"
                        " the first place the quote occurs",
                    )
            else:
                occurrence = None
            try:
                anchor = quotes.anchor_quote(source.orm, quote, occurrence)
            except InvalidValue as exc:
                raise FieldError("quote", str(exc)) from None
            row.update(
                quote=anchor.quote(source.text),
                quote_start=anchor.start,
                quote_end=anchor.end,
                quote_parts=anchor.stored_parts(),
                prefix=anchor.prefix,
                suffix=anchor.suffix,
            )
        elif quote is not None:
            raise FieldError(
                "quote", f"source {source.slug!r} has no text of ours: its citations carry no quote"
            )
        elif not blank(raw.get("occurrence")):
            raise FieldError(
                "occurrence",
                f"source {source.slug!r} has no text of ours: a citation of it has no quote to"
                " place",
            )
        if not blank(raw.get("footnote")):
            row["footnote_id"] = self._footnote_id(source, raw["footnote"])
        elif row["quote_start"] is not None:
            note = quotes.sentence_footnote(source.orm, row["quote_start"], row["quote_end"])
            row["footnote_id"] = note.id if note is not None else None
        attributed = raw.get("attributed_to")
        row["attributed_to_id"] = (
            None
            if blank(attributed)
            else self.entity_ref(
                # an anonymous or generic speaker is scoped to the citing document
                speaker_in_document(str(attributed), source.document_id),
                "attributed_to",
            )
        )
        stance = str(raw.get("stance") or "asserts").strip().lower()
        if stance in ("deny", "denied"):
            stance = "denies"
        if stance in ("assert", "asserted"):
            stance = "asserts"
        if stance not in STANCES:
            raise FieldError("stance", f"stance {raw.get('stance')!r}: expected asserts or denies")
        confidence = str(raw.get("confidence") or "medium").strip().lower()
        if confidence not in CONFIDENCES:
            raise FieldError(
                "confidence", f"confidence {raw.get('confidence')!r}: expected high, medium or low"
            )
        row.update(stance=stance, confidence=confidence, note=text_or_none(raw.get("note")))
        return row


@lru_cache(maxsize=4096)
def scope_of(
    as_of_text: str | None, valid_from_text: str | None, valid_to_text: str | None
) -> dict[str, Any]:
    """A claim's scope columns from its as_of, valid_from and valid_to (shared: never change it)."""
    bounds: dict[str, tuple[str | None, str | None, str | None]] = {}
    for key, text in (
        ("as_of", as_of_text),
        ("valid_from", valid_from_text),
        ("valid_to", valid_to_text),
    ):
        if text is None:
            bounds[key] = (None, None, None)
            continue
        try:
            earliest, latest = _date_bounds(text)
        except ProvenanceError:
            raise FieldError(
                key,
                f"{key} {text!r} is not an EDTF date: expected e.g. 2018, 2018-05, 2018-05-12,"
                " 2009-10/2009-12",
            ) from None
        bounds[key] = (text, earliest, latest)
    as_of, valid_from, valid_to = bounds["as_of"], bounds["valid_from"], bounds["valid_to"]
    if valid_from[1] and valid_to[2] and valid_from[1] > valid_to[2]:
        raise FieldError(
            "valid_to", f"valid_to {valid_to[0]!r} is before valid_from {valid_from[0]!r}"
        )
    starts = [b for b in (as_of[1], valid_from[1]) if b]
    ends = [b for b in (as_of[2], valid_to[2]) if b]
    # as_of alone scopes to its own interval; validity opens or closes the ends it gives
    scope_earliest = min(starts) if starts else None
    scope_latest = max(ends) if ends else None
    if valid_from[0] and not valid_to[0] and not as_of[0]:
        scope_latest = None
    if valid_to[0] and not valid_from[0] and not as_of[0]:
        scope_earliest = None
    return {
        "as_of": as_of[0],
        "valid_from": valid_from[0],
        "valid_to": valid_to[0],
        "scope_earliest": scope_earliest,
        "scope_latest": scope_latest,
    }
