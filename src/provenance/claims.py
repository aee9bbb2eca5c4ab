"""Claims and citations: add, import and ranks.

One writer serves both ``add`` (a batch of one) and ``import`` (batches of
``BATCH_SIZE``): each record is validated and resolved (source, property, subject,
value, scope, quote, footnote, speaker), then written with set-based inserts, so a
million-row import keeps a flat memory and every record obeys the same rules. A record
is read as two parts, the claim it makes (``CLAIM_FIELDS``) and the evidence it gives
(``CITATION_FIELDS``); an import reuses a part already validated for an earlier record
in the same words, and writes each part's rows as prepared once (see
``ClaimWriter.prepare_fields``).

Decisions a desk relies on:

* Two sources stating the same thing share one claim: a claim is identified by subject,
  property, value (``value_key``; entity values by entity, so spellings share a claim)
  and scope (``scope_key``: as_of, validity and qualifiers).
* A citation is identified within its claim by source, quote span, footnote, speaker
  and stance; re-importing it adds nothing, and a changed confidence or note updates it
  (recorded in history).
* A name the database does not know, as subject, entity value or speaker, creates the
  entity and the command says so. A qualifier value is stored by its normalised
  spelling; conflict detection treats two spellings as one value when they name the
  same entity at the time of detection (through its aliases). In the claim's identity
  (``scope_key``), though, a qualifier value counts by its normalised spelling
  (``normalise_name``): whether an entity of that name exists changes over time, and a
  claim's identity must not, or re-importing a file would add its claims twice.
* Adding a citation to a deprecated claim is allowed (new evidence is never refused),
  but the command warns and shows the deprecation reason (only when a citation is
  actually added: re-importing one already recorded says nothing).
* ``claim prefer`` makes a claim the desk's accepted value and returns any other
  preferred claim of the same subject, property and scope to normal rank.

Reading claims back as rows (``claims``, ``show``, exports) is listings.py; ``entity
merge`` is merge.py.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from . import history, quotes
from .bulk import RowFormat, bulk_insert, insert_ids, rows_with_keys
from .entities import _normalised_in, get_property
from .errors import InvalidValue, NotFound, ProvenanceError
from .inputs import as_id, parse_id, too_long
from .models import (
    CONFIDENCES,
    RANKS,
    STANCES,
    Alias,
    Citation,
    Claim,
    ClaimQualifier,
    Entity,
    Footnote,
    Source,
    utcnow,
)
from .names import CloseName, NameIndex, describe
from .sources import find_source
from .speakers import speaker_in_document
from .values import canonical_unit, date_bounds, normalise_name, normalise_text, parse_value

RECORD_KEYS = (
    "source",
    "footnote",
    "subject",
    "property",
    "value",
    "unit",
    "quote",
    "attributed_to",
    "stance",
    "confidence",
    "as_of",
    "valid_from",
    "valid_to",
    "qualifiers",
    "note",
    "rank",
    "rank_reason",
    "occurrence",
)
# optional: a claim's rank travels with its records, so an export imports back whole;
# blank leaves the rank as it is (never demotes a claim the desk has ranked)
RANK_KEYS = ("rank", "rank_reason")
REQUIRED_KEYS = ("source", "subject", "property", "value")
_RECORD_KEY_SET = frozenset(RECORD_KEYS)
BATCH_SIZE = 2000
ENTITY_CACHE_SIZE = 200_000
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
QUOTE_SHOWN = 60


class PendingEntity:
    """A name no entity had when its record was read: created, or found, at the next flush.

    Entities are resolved a batch at a time (one lookup query, one bulk insert) rather
    than one query per record, which is what makes a large import fast.
    """

    __slots__ = ("field", "id", "key", "name")

    def __init__(self, name: str, key: str, field_name: str = "subject"):
        self.name, self.key, self.field = name, key, field_name
        self.id: int | None = None

    def __repr__(self) -> str:
        return f"PendingEntity({self.name!r}, id={self.id})"


def _resolved(ref: Any) -> Any:
    return ref.id if isinstance(ref, PendingEntity) else ref


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


class FieldError(ProvenanceError):
    """A bad value in one field of one record."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


class RecordErrors(ProvenanceError):
    """Records found bad only when their batch was written: ``(record number, field, message)``
    each."""

    def __init__(self, problems: list[tuple[int | None, str, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, _, message in problems))


def _short(text: str, width: int = QUOTE_SHOWN) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# A record's fields in two parts, each validated and resolved once for all the records
# that give it in the same words: what is claimed, and the evidence for it.
CLAIM_FIELDS = (
    "subject",
    "property",
    "value",
    "unit",
    "as_of",
    "valid_from",
    "valid_to",
    "qualifiers",
    "rank",
    "rank_reason",
)
CITATION_FIELDS = (
    "source",
    "footnote",
    "quote",
    "attributed_to",
    "stance",
    "confidence",
    "note",
    "occurrence",
)
assert sorted(CLAIM_FIELDS + CITATION_FIELDS) == sorted(RECORD_KEYS)
# parts kept for records still to come: a file repeats a claim's words close together
# (the records of one subject), so a small cache finds nearly every repeat, and memory
# stays flat however long the file
PART_CACHE_SIZE = 5_000
# the columns an import writes, in the order its INSERT statements give them
CLAIM_PART_COLUMNS = (
    "subject_id",
    "property_id",
    "value",
    "value_key",
    "quantity_low",
    "quantity_high",
    "quantity_low_exclusive",
    "quantity_high_exclusive",
    "quantity_approximate",
    "unit",
    "date_earliest",
    "date_latest",
    "entity_value_id",
    "text_value",
    "boolean_value",
    "as_of",
    "valid_from",
    "valid_to",
    "scope_earliest",
    "scope_latest",
    "scope_key",
)
CLAIM_COLUMNS = (
    *CLAIM_PART_COLUMNS,
    "rank",
    "rank_reason",
    "created_by",
    "created_at",
    "change_id",
)
CITATION_PART_COLUMNS = (
    "source_id",
    "footnote_id",
    "quote",
    "quote_start",
    "quote_end",
    "quote_parts",
    "prefix",
    "suffix",
    "orphaned",
    "attributed_to_id",
    "stance",
    "confidence",
    "note",
    "fingerprint",
)
CITATION_COLUMNS = ("claim_id", *CITATION_PART_COLUMNS, "created_by", "created_at", "change_id")


class ClaimPart:
    """What a record claims (subject, property, value, scope), validated and resolved.

    ``key`` identifies the claim while names may still be PendingEntity; once they are
    resolved (``finish``) ``final_key`` is the claim's identity in the database,
    ``values`` its columns as the driver takes them; ``summary`` names it in the record's
    words (the reason of a history row when its citation is updated).
    """

    __slots__ = ("final_key", "key", "qualifiers", "rank", "row", "summary", "values")

    def __init__(
        self, key: tuple, row: dict[str, Any], qualifiers: list[dict[str, Any]], summary: str
    ):
        self.key, self.row, self.qualifiers, self.summary = key, row, qualifiers, summary
        self.rank: tuple[str, str | None] | None = None
        self.final_key: tuple[int, int, str, str] | None = None

    @property
    def identity(self) -> tuple[int, int, str, str]:
        """``final_key`` once ``finish`` has set it (every part of a batch being written)."""
        assert self.final_key is not None, "a claim part is finished before it is written"
        return self.final_key
        self.values: tuple = ()


class CitationPart:
    """What a record gives as evidence (source, quote, footnote, speaker, stance,
    confidence, note)."""

    __slots__ = ("fingerprint", "row", "values")

    def __init__(self, row: dict[str, Any]):
        self.row = row
        self.fingerprint: str | None = None
        self.values: tuple = ()

    @property
    def identity(self) -> str:
        """``fingerprint`` once ``finish`` has set it (every part of a batch being written)."""
        assert self.fingerprint is not None, "a citation part is finished before it is written"
        return self.fingerprint


# a record validated and resolved, ready to be written
PreparedClaim = tuple[ClaimPart, CitationPart]


@dataclass
class WriteResult:
    claims_new: int = 0
    claims_existing: int = 0
    citations_new: int = 0
    citations_updated: int = 0
    citations_unchanged: int = 0
    # names of the first entities created (the count is entities_created_count)
    entities_created: list[str] = field(default_factory=list)
    entities_created_count: int = 0
    deprecated_warnings: list[str] = field(default_factory=list)
    # the last ones written, for `add` (an import keeps no per-row state: memory stays flat)
    last_claim_id: int | None = None
    last_citation_id: int | None = None


class ClaimWriter:
    """Validates records and writes them in batches within the caller's transaction."""

    def __init__(
        self,
        session: Session,
        actor: str,
        *,
        batch_size: int = BATCH_SIZE,
        new_entities: bool = False,
        new_entity_hint: str = "",
    ):
        self.session = session
        self.actor = actor
        self.batch_size = batch_size
        # a new name close to an entity's is refused (see names.py) unless ``new_entities``;
        # ``new_entity_hint`` ends the message: how to create it on purpose
        self.new_entities = new_entities
        self.new_entity_hint = new_entity_hint
        self._name_index: NameIndex | None = None
        self.result = WriteResult()
        self._pending: list[PreparedClaim] = []
        # what a record needs of its source and property, read once (plain attributes:
        # the ORM's instrumented ones cost a call per access, a dozen per record)
        self._sources: dict[str, _SourceRef] = {}
        self._properties: dict[str, _PropertyRef] = {}
        # sources and properties not found, with the error (its suggestions cost a search)
        self._missing: dict[tuple[str, str], str] = {}
        self._entities: dict[str, int | PendingEntity | None] = {}
        self._unresolved: list[PendingEntity] = []
        self._footnotes: dict[tuple[int, int], int] = {}
        self._footnote_counts: dict[int, int] = {}
        # ranks given so far, by claim: only ranked records are kept, so memory stays flat.
        # By the claim's words as read, checked as each record is prepared; and by the
        # claim's entities once names are resolved, with the record that gave it (two
        # spellings of one entity are one claim, and must agree too)
        self._ranks: dict[tuple[int, int, str, str], tuple[str, str | None]] = {}
        self._resolved_ranks: dict[tuple, tuple[tuple[str, str | None], int | None]] = {}
        self._pending_numbers: list[int | None] = []
        # records of a file already rejected, queued for the close-name check alone
        self._checking: list[PreparedClaim] = []
        self._checking_numbers: list[int | None] = []
        # parts already prepared, by the record's fields in the order of CLAIM_FIELDS and
        # CITATION_FIELDS (see prepare_fields)
        self._claim_parts: dict[tuple, ClaimPart] = {}
        self._citation_parts: dict[tuple, CitationPart] = {}
        self._claims_format = RowFormat(session, Claim, CLAIM_COLUMNS, inline=True)
        self._citations_format = RowFormat(session, Citation, CITATION_COLUMNS, inline=True)

    # ------------------------------------------------------------ resolving

    def _source(self, ref: Any) -> _SourceRef:
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

    def _entity_id(
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
        known = self._entities.get(key, _UNSEEN)
        if known is not _UNSEEN and (known is not None or not create):
            return known
        problem = too_long(text, Alias.name, field_name.replace("_", " "))
        if problem:
            raise FieldError(field_name, problem)
        if not create:
            # a qualifier value: remember a miss too (None), so a value repeated through
            # the file is looked up once; a later record naming it as an entity replaces it
            self.session.flush()  # as session.scalar would
            self._entities[key] = (
                self.session.connection().execute(_ALIAS_LOOKUP, {"key": key}).scalar()
            )
            return self._entities[key]
        pending = PendingEntity(text, key, field_name)
        self._entities[key] = pending
        self._unresolved.append(pending)
        return pending

    def _refuse_close_names(
        self, new: list[PendingEntity], batch: list[PreparedClaim], numbers: list[int | None]
    ) -> None:
        """RecordErrors for the new names close to an entity's (or to an earlier new one)."""
        if self._name_index is None:
            self._name_index = NameIndex.of_database(self.session)
        index = self._name_index
        refused: dict[str, str] = {}
        for p in new:
            near = index.close_to(p.key)
            if near:
                what = p.field.replace("_", " ")
                refused[p.key] = (
                    f"{what} {p.name!r} is not an entity but is close to {describe(near)}:"
                    f" write that name, or {self.new_entity_hint or 'create it on purpose'}"
                )
            else:
                index.add(p.key, CloseName(0, p.name, p.name))
        if not refused:
            return
        problems: list[tuple[int | None, str, str]] = []
        for (claim, citation), number in zip(batch, numbers, strict=True):
            for ref in (
                claim.row["subject_id"],
                claim.row.get("entity_value_id"),
                citation.row.get("attributed_to_id"),
            ):
                if isinstance(ref, PendingEntity) and ref.key in refused:
                    problems.append((number, ref.field, refused.pop(ref.key)))
        raise RecordErrors(problems)

    def _known_names(self, keys: list[str]) -> dict[str, int]:
        """The entity of each normalised name that is already an alias."""
        found: dict[str, int] = {}
        for condition in _normalised_in(
            self.session, keys
        ):  # one array on PostgreSQL, IN lists on SQLite
            found.update(
                self.session.execute(
                    select(Alias.normalised, Alias.entity_id).where(condition)
                ).all()
            )
        return found

    def check_names(self, prepared: PreparedClaim, number: int | None = None) -> None:
        """Queue a record that will not be written, its file being rejected already, for
        the close-name check alone: an import then reports every new name close to an
        entity's, not only those of the records before the first error.

        Raises RecordErrors (every batch_size records, or at ``finish_checks``).
        """
        self._checking.append(prepared)
        self._checking_numbers.append(number)
        if len(self._checking) >= self.batch_size:
            self.finish_checks()

    def finish_checks(self) -> None:
        """The close-name check of the queued records and of any left unwritten; writes
        nothing (the names stay unresolved: the file is rejected)."""
        batch = self._pending + self._checking
        numbers = self._pending_numbers + self._checking_numbers
        self._pending, self._pending_numbers = [], []
        self._checking, self._checking_numbers = [], []
        pending = [p for p in self._unresolved if p.id is None]
        self._unresolved = []
        if self.new_entities or not pending or not batch:
            return
        found = self._known_names(list({p.key for p in pending}))
        new = [p for p in pending if p.key not in found]
        if new:
            self._refuse_close_names(new, batch, numbers)

    def _resolve_entities(
        self, batch: list[PreparedClaim] | None = None, numbers: list[int | None] | None = None
    ) -> None:
        """Give every pending name its entity: an existing one, else a new one (in bulk)."""
        pending = [p for p in self._unresolved if p.id is None]
        self._unresolved = []
        if not pending:
            return
        found = self._known_names(list({p.key for p in pending}))
        new = []
        for p in pending:
            if p.key in found:
                p.id = found[p.key]
            else:
                new.append(p)
        if not new:
            return
        if not self.new_entities and batch is not None and numbers is not None:
            self._refuse_close_names(new, batch, numbers)
        history.change_id(self.session, self.actor)
        now = utcnow()
        ids = insert_ids(
            self.session,
            Entity,
            [{"name": p.name, "kind": "other", "created_at": now} for p in new],
        )
        for p, entity_id in zip(new, ids, strict=True):
            p.id = entity_id
        bulk_insert(
            self.session,
            Alias,
            [
                {"entity_id": p.id, "name": p.name, "normalised": p.key, "created_at": now}
                for p in new
            ],
        )
        self.result.entities_created_count += len(new)
        room = 20 - len(self.result.entities_created)
        if room > 0:
            self.result.entities_created.extend(p.name for p in new[:room])

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
            if _blank(raw.get(key)):
                raise FieldError(
                    key, f"missing {key}: every claim needs {', '.join(REQUIRED_KEYS)}"
                )
        source = self._source(raw["source"])
        claim = self._claim_part(raw)
        citation = CitationPart(self._citation(raw, source))
        claim.rank = self._rank(raw, claim.key)
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
        record = raw()
        try:
            # the missing part alone; the other one is known to be good
            if claim is None:
                fresh_claim = self._claim_part(record)
                fresh_claim.rank = self._rank(record, fresh_claim.key)
            if citation is None:
                source = record.get("source")
                if _blank(source):
                    raise FieldError("source", "missing source")
                fresh_citation = CitationPart(self._citation(record, self._source(source)))
        except ProvenanceError:
            # a bad record: reported as prepare reports it, by the first bad field
            fresh_claim, fresh_citation = self.prepare(record)
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
        for key in ("subject", "property", "value"):
            if _blank(raw.get(key)):
                raise FieldError(
                    key, f"missing {key}: every claim needs {', '.join(REQUIRED_KEYS)}"
                )
        prop = self._property(raw["property"])
        subject_id = self._entity_id(raw["subject"], "subject")

        # % and percent are one unit (canonical_unit): compared and stored as %
        unit = canonical_unit(_text_or_none(raw.get("unit")))
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
                prop.datatype, str(raw["value"]), unit=unit or prop.unit, tolerance=prop.tolerance
            )
        except ProvenanceError as exc:
            raise FieldError(
                "value", f"{exc} (property {prop.name!r} is a {prop.datatype})"
            ) from None
        if prop.unit and value.unit and value.unit != canonical_unit(prop.unit):
            raise FieldError(
                "value",
                f"value {raw['value']!r} is in {value.unit}, property {prop.name!r} in {prop.unit}",
            )

        claim_row: dict[str, Any] = {
            "subject_id": subject_id,
            "property_id": prop.id,
            "value": value.display,
            "value_key": value.key,
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
        if prop.datatype == "entity":
            # the key is the entity's id, set when the batch is written (see _finish_claim)
            claim_row["entity_value_id"] = self._entity_id(raw["value"], "value")
            claim_row["value_key"] = None

        scope = self._scope(raw)
        qualifiers = self._qualifiers(raw.get("qualifiers"))
        scope_key = _scope_key(scope, qualifiers)
        claim_row.update(scope)
        claim_row["scope_key"] = scope_key
        summary = f"{raw['subject']} · {prop.name} = {value.display}"
        # names not yet resolved stand in the key by their PendingEntity (one per name)
        claim_key = (
            subject_id,
            prop.id,
            claim_row["value_key"] or claim_row["entity_value_id"],
            scope_key,
        )
        return ClaimPart(claim_key, claim_row, qualifiers, summary)

    def _rank(
        self, raw: dict[str, Any], claim_key: tuple[int, int, str, str]
    ) -> tuple[str, str | None] | None:
        rank = _text_or_none(raw.get("rank"))
        reason = _text_or_none(raw.get("rank_reason"))
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
        earlier = self._ranks.setdefault(claim_key, (rank, reason))
        if earlier != (rank, reason):
            raise FieldError(
                "rank",
                f"rank {rank!r} differs from the rank {earlier[0]!r} an earlier record gives the"
                " same claim",
            )
        return rank, reason

    def _scope(self, raw: dict[str, Any]) -> dict[str, Any]:
        return _scope_of(
            _text_or_none(raw.get("as_of")),
            _text_or_none(raw.get("valid_from")),
            _text_or_none(raw.get("valid_to")),
        )

    def _qualifiers(self, raw: Any) -> list[dict[str, Any]]:
        if _blank(raw):
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
            entity_id = self._entity_id(value_text, "qualifiers", create=False)
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

    def _citation(self, raw: dict[str, Any], source: _SourceRef) -> dict[str, Any]:
        quote = raw.get("quote")
        quote = None if _blank(quote) else str(quote)
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
            if not _blank(occurrence):
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
        elif not _blank(raw.get("occurrence")):
            raise FieldError(
                "occurrence",
                f"source {source.slug!r} has no text of ours: a citation of it has no quote to"
                " place",
            )
        if not _blank(raw.get("footnote")):
            row["footnote_id"] = self._footnote_id(source, raw["footnote"])
        elif row["quote_start"] is not None:
            note = quotes.sentence_footnote(source.orm, row["quote_start"], row["quote_end"])
            row["footnote_id"] = note.id if note is not None else None
        attributed = raw.get("attributed_to")
        row["attributed_to_id"] = (
            None
            if _blank(attributed)
            else self._entity_id(
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
        row.update(stance=stance, confidence=confidence, note=_text_or_none(raw.get("note")))
        return row

    def citation_fields(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The columns of a record's citation (``source``, ``footnote``, ``quote``,
        ``attributed_to``, ``stance``, ``confidence``, ``note``), validated and resolved
        exactly as ``add`` does (``citation edit`` re-validates through this)."""
        try:
            row = self._citation(raw, self._source(raw.get("source")))
        except FieldError as exc:
            raise InvalidValue(str(exc)) from None
        self._resolve_entities()
        row["attributed_to_id"] = _resolved(row["attributed_to_id"])
        return row

    # ------------------------------------------------------------ writing

    def add(self, prepared: PreparedClaim, number: int | None = None) -> None:
        """Queue a prepared record (``number``: its place in the file, for errors).

        Raises RecordErrors when writing the batch finds records that disagree.
        """
        self._pending.append(prepared)
        self._pending_numbers.append(number)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the pending records with set-based inserts."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        numbers, self._pending_numbers = self._pending_numbers, []
        self._resolve_entities(batch, numbers)
        for claim, citation in batch:
            if claim.final_key is None:
                self._finish_claim(claim)
            if citation.fingerprint is None:
                self._finish_citation(citation)
        self._check_resolved_ranks(batch, numbers)
        if len(self._entities) > ENTITY_CACHE_SIZE:
            self._entities.clear()  # memory stays flat however many names an import brings
        session = self.session
        actor = self.actor
        at = self._claims_format.ready(("created_at",), (utcnow(),))[0]
        keys = list(dict.fromkeys(claim.identity for claim, _ in batch))
        existing = {
            (r[1], r[2], r[3], r[4]): (r[0], r[5], r[6])
            for r in rows_with_keys(
                session,
                Claim,
                (
                    "id",
                    "subject_id",
                    "property_id",
                    "value_key",
                    "scope_key",
                    "rank",
                    "rank_reason",
                ),
                ("subject_id", "property_id", "value_key", "scope_key"),
                keys,
            )
        }
        new_claims: dict[tuple, ClaimPart] = {}
        for claim, _ in batch:
            key = claim.identity
            if key not in existing and key not in new_claims:
                new_claims[key] = claim
        claim_ids: dict[tuple, int] = {k: v[0] for k, v in existing.items()}
        self.result.claims_existing += len(existing)
        deprecated = {
            claim_id: reason for claim_id, rank, reason in existing.values() if rank == "deprecated"
        }
        updates: list[tuple[str, int, str, dict[str, Any] | None, str | None]] = []
        if new_claims:
            change = history.change_id(session, actor)
            inserted = self._claims_format.insert(
                session,
                [(*c.values, "normal", None, actor, at, change) for c in new_claims.values()],
                ids=True,
            )
            qualifier_rows: list[dict[str, Any]] = []
            for (key, claim), claim_id in zip(new_claims.items(), inserted, strict=True):
                claim_ids[key] = claim_id
                qualifier_rows.extend({**q, "claim_id": claim_id} for q in claim.qualifiers)
            if qualifier_rows:
                bulk_insert(session, ClaimQualifier, qualifier_rows)
            self.result.claims_new += len(new_claims)

        self._apply_ranks(batch, claim_ids, existing)

        # citations: identified within their claim by fingerprint (a later record of the
        # same citation in the batch gives its confidence and note)
        wanted: dict[tuple[int, str], PreparedClaim] = {}
        for prepared in batch:
            wanted[(claim_ids[prepared[0].identity], prepared[1].identity)] = prepared
        self.result.last_claim_id = claim_ids[batch[-1][0].identity]
        # only claims that existed before this batch can hold the citation already
        existing_ids = {v[0] for v in existing.values()}
        lookup = [k for k in wanted if k[0] in existing_ids]
        stored = {
            (r.claim_id, r.fingerprint): r
            for r in rows_with_keys(
                session,
                Citation,
                ("id", "claim_id", "fingerprint", "confidence", "note"),
                ("claim_id", "fingerprint"),
                lookup,
            )
        }
        new_citations: list[tuple[int, ClaimPart, CitationPart]] = []
        for (claim_id, fingerprint), (claim, citation) in wanted.items():
            current = stored.get((claim_id, fingerprint))
            if current is None:
                new_citations.append((claim_id, claim, citation))
                continue
            row = citation.row
            changes = {
                k: [getattr(current, k), row[k]]
                for k in ("confidence", "note")
                if getattr(current, k) != row[k]
            }
            if changes:
                session.execute(
                    update(Citation)
                    .where(Citation.id == current.id)
                    .values({k: v[1] for k, v in changes.items()})
                )
                updates.append(("citations", current.id, "update", changes, claim.summary))
                self.result.citations_updated += 1
            else:
                self.result.citations_unchanged += 1
            self.result.last_citation_id = current.id
        if new_citations:
            change = history.change_id(session, actor)
            ids = self._citations_format.insert(
                session,
                [
                    (claim_id, *citation.values, actor, at, change)
                    for claim_id, _, citation in new_citations
                ],
                ids=True,
            )
            self.result.citations_new += len(ids)
            self.result.last_citation_id = ids[-1]
            for claim_id in dict.fromkeys(claim_id for claim_id, _, _ in new_citations):
                if claim_id in deprecated:
                    self.result.deprecated_warnings.append(
                        f"claim {claim_id} is deprecated ({deprecated[claim_id]}); citation added"
                        " to it anyway"
                    )
        history.changed_many(session, updates, actor=actor)

    def _finish_claim(self, claim: ClaimPart) -> None:
        """Put resolved entity ids in a claim part; its identity and columns."""
        row = claim.row
        row["subject_id"] = _resolved(row["subject_id"])
        if row["entity_value_id"] is not None:
            row["entity_value_id"] = _resolved(row["entity_value_id"])
            row["value_key"] = f"e:{row['entity_value_id']}"
        for qualifier in claim.qualifiers:
            qualifier["entity_id"] = _resolved(qualifier["entity_id"])
        claim.final_key = (
            row["subject_id"],
            row["property_id"],
            row["value_key"],
            row["scope_key"],
        )
        claim.values = self._claims_format.ready(
            CLAIM_PART_COLUMNS, [row[c] for c in CLAIM_PART_COLUMNS]
        )

    def _finish_citation(self, citation: CitationPart) -> None:
        row = citation.row
        row["attributed_to_id"] = _resolved(row["attributed_to_id"])
        citation.fingerprint = row["fingerprint"] = _fingerprint(row)
        citation.values = self._citations_format.ready(
            CITATION_PART_COLUMNS, [row[c] for c in CITATION_PART_COLUMNS]
        )

    def _check_resolved_ranks(self, batch: list[PreparedClaim], numbers: list[int | None]) -> None:
        """Ranked records of one claim under different spellings must agree, as records in the same
        words do."""
        problems = []
        for (claim, _), number in zip(batch, numbers, strict=True):
            if claim.rank is None:
                continue
            earlier, earlier_number = self._resolved_ranks.setdefault(
                claim.identity, (claim.rank, number)
            )
            if earlier != claim.rank:
                by = (
                    f"record {earlier_number}"
                    if earlier_number is not None
                    else "an earlier record"
                )
                problems.append(
                    (
                        number,
                        "rank",
                        (
                            f"rank {claim.rank[0]!r} differs from the rank {earlier[0]!r} {by}"
                            " gives the same claim under another spelling"
                        ),
                    )
                )
        if problems:
            raise RecordErrors(problems)

    def _apply_ranks(
        self, batch: list[PreparedClaim], claim_ids: dict[tuple, int], existing: dict[tuple, tuple]
    ) -> None:
        """Give ranked records' claims their rank, with a history row, as `claim prefer`/`deprecate`
        do."""
        done = set()
        for claim, _ in batch:
            if claim.rank is None or claim.identity in done:
                continue
            done.add(claim.identity)
            current = existing.get(claim.identity)
            if current is not None and (current[1], current[2]) == claim.rank:
                continue
            if current is None and claim.rank == ("normal", None):
                continue
            row = self.session.get_one(Claim, claim_ids[claim.identity])
            if (row.rank, row.rank_reason) != claim.rank:
                set_rank(self.session, row, claim.rank[0], self.actor, reason=claim.rank[1])


@lru_cache(maxsize=4096)
def _scope_of(
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


def _blank(value: Any) -> bool:
    if value.__class__ is str:
        return not value.strip()
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, (dict, list)) and not value)
    )


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if value.__class__ is str:
        return value.strip() or None
    return None if _blank(value) else str(value).strip()


def _scope_key(scope: dict[str, Any], qualifiers: list[dict[str, Any]]) -> str:
    parts = [f"{k}={scope[k]}" for k in ("as_of", "valid_from", "valid_to") if scope.get(k)]
    # the normalised spelling, never q["entity_id"]: that is set once an entity of the
    # name exists, which would give the same claim a second identity
    parts += [f"{q['key']}=n:{q['normalised']}" for q in qualifiers]
    return ";".join(parts)


# what makes two citations of one claim the same evidence
FINGERPRINT_FIELDS = (
    "source_id",
    "quote_start",
    "quote_end",
    "footnote_id",
    "attributed_to_id",
    "stance",
)


def _fingerprint(row: dict[str, Any]) -> str:
    """The SHA-1 of the JSON list of the identity fields (``json.dumps`` of the list).

    Ids and offsets are written directly, the same text ``json.dumps`` gives, since this
    runs once per imported record; the digest is stored, so its input must never change.
    """
    text = ", ".join([_json_scalar(row[field]) for field in FINGERPRINT_FIELDS])
    return hashlib.sha1(f"[{text}]".encode()).hexdigest()


def _json_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value.__class__ is int:
        return str(value)
    return json.dumps(value)


def citation_fingerprint(citation: Citation, **replace: Any) -> str:
    return _fingerprint(
        {**{field: getattr(citation, field) for field in FINGERPRINT_FIELDS}, **replace}
    )


# ---------------------------------------------------------------- one claim


def add_claim(
    session: Session, record_: dict[str, Any], actor: str, *, new_entity: bool = False
) -> tuple[Claim, Citation, WriteResult]:
    """Add one claim with its citation (the ``add`` command).

    A subject, speaker or entity value that names no entity but is close to one is
    refused (see names.py) unless ``new_entity``.
    """
    writer = ClaimWriter(
        session,
        actor,
        batch_size=1,
        new_entities=new_entity,
        new_entity_hint="give --new-entity to create it",
    )
    try:
        prepared = writer.prepare(record_)
    except FieldError as exc:
        raise InvalidValue(str(exc)) from None
    writer.add(prepared)
    writer.flush()
    claim = session.get_one(Claim, writer.result.last_claim_id)
    citation = session.get_one(Citation, writer.result.last_citation_id)
    return claim, citation, writer.result


def get_claim(session: Session, ref: Any) -> Claim:
    claim = session.get(Claim, parse_id(ref, "claim", "provenance claims"))
    if claim is None:
        raise NotFound(f"unknown claim {ref!r}: no claim has that id (see `provenance claims`)")
    return claim


def set_rank(
    session: Session,
    claim: Claim,
    rank: str,
    actor: str,
    *,
    reason: str | None = None,
    undeprecate: str | None = None,
) -> list[int]:
    """Prefer or deprecate a claim; returns ids of claims whose preference was withdrawn.

    A deprecated claim is known wrong: preferring it is an error unless ``undeprecate``
    says why it is right after all (``claim prefer --undeprecate --reason``). That
    reason goes to history with the change, beside the reason it was deprecated for.
    """
    if rank == "deprecated" and _blank(reason):
        raise InvalidValue(
            "deprecating needs --reason: say why the claim is wrong or superseded, so nobody"
            " re-adds it"
        )
    undeprecated = False
    if undeprecate is not None:
        if _blank(undeprecate):
            raise InvalidValue(
                "--undeprecate needs --reason: "
                f"say why deprecated claim {claim.id} is right after all"
            )
        if rank != "preferred" or claim.rank != "deprecated":
            raise InvalidValue(
                f"claim {claim.id} is {claim.rank}, not deprecated: "
                "--undeprecate only brings back a deprecated claim"
            )
        undeprecated = True
    elif rank == "preferred" and claim.rank == "deprecated":
        raise InvalidValue(
            f"claim {claim.id} is deprecated ({claim.rank_reason or 'no reason given'}): "
            "to prefer it anyway give --undeprecate --reason WHY"
        )
    demoted: list[int] = []
    if rank == "preferred":
        others = session.scalars(
            select(Claim).where(
                Claim.subject_id == claim.subject_id,
                Claim.property_id == claim.property_id,
                Claim.scope_key == claim.scope_key,
                Claim.rank == "preferred",
                Claim.id != claim.id,
            )
        ).all()
        for other in others:
            other.rank = "normal"
            history.changed(
                session,
                "claims",
                other.id,
                "update",
                {"rank": ["preferred", "normal"]},
                f"claim {claim.id} preferred instead",
                actor=actor,
            )
            demoted.append(other.id)
    new_reason = _text_or_none(reason)
    changes: dict[str, Any] = {"rank": [claim.rank, rank]}
    if new_reason != claim.rank_reason:
        changes["rank_reason"] = [claim.rank_reason, new_reason]
    summary = rank + (f": {new_reason}" if new_reason else "")
    if undeprecated:
        why = str(undeprecate).strip()
        changes["undeprecated"] = why
        summary += f" (undeprecated: {why}; it was deprecated: {claim.rank_reason})"
    claim.rank = rank
    claim.rank_reason = new_reason
    # the summary says what was done, so `log` reads without opening the changes
    history.changed(session, "claims", claim.id, "update", changes, summary, actor=actor)
    session.flush()
    return demoted
