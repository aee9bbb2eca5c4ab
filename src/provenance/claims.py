"""Claims and citations: add, import, ranks, listings and the provenance chain.

One writer serves both ``add`` (a batch of one) and ``import`` (batches of
``BATCH_SIZE``): each record is validated and resolved (source, property, subject,
value, scope, quote, footnote, speaker), then written with set-based inserts, so a
million-row import keeps a flat memory and every record obeys the same rules.

Decisions a desk relies on:

* Two sources stating the same thing share one claim: a claim is identified by subject,
  property, value (``value_key``; entity values by entity, so spellings share a claim)
  and scope (``scope_key``: as_of, validity and qualifiers).
* A citation is identified within its claim by source, quote span, footnote, speaker
  and stance; re-importing it adds nothing, and a changed confidence or note updates it
  (recorded in history).
* A name the database does not know, as subject, entity value or speaker, creates the
  entity and the command says so. A qualifier value is compared as that entity when it
  names a known entity, else as normalised text.
* Adding a citation to a deprecated claim is allowed (new evidence is never refused),
  but the command warns and shows the deprecation reason.
* ``claim prefer`` makes a claim the desk's accepted value and returns any other
  preferred claim of the same subject, property and scope to normal rank.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session, selectinload

from . import quotes
from .entities import ensure_entity, find_entity, get_entity, get_property
from .errors import InvalidValue, NotFound, ProvenanceError
from .history import record
from .models import (
    CONFIDENCES,
    STANCES,
    Citation,
    Claim,
    ClaimQualifier,
    Entity,
    Footnote,
    History,
    Property,
    Source,
    utcnow,
)
from .sources import find_source
from .values import date_bounds, normalise_name, normalise_text, parse_value

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
)
REQUIRED_KEYS = ("source", "subject", "property", "value")
BATCH_SIZE = 500
QUOTE_SHOWN = 60


class FieldError(ProvenanceError):
    """A bad value in one field of one record."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


def _short(text: str, width: int = QUOTE_SHOWN) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class PreparedClaim:
    """A record validated and resolved, ready to be written."""

    claim_key: tuple[int, int, str, str]
    claim_row: dict[str, Any]
    qualifiers: list[dict[str, Any]]
    citation_row: dict[str, Any]
    summary: str


@dataclass
class WriteResult:
    claims_new: int = 0
    claims_existing: int = 0
    citations_new: int = 0
    citations_updated: int = 0
    citations_unchanged: int = 0
    entities_created: list[str] = field(default_factory=list)
    deprecated_warnings: list[str] = field(default_factory=list)
    # the last ones written, for `add` (an import keeps no per-row state: memory stays flat)
    last_claim_id: int | None = None
    last_citation_id: int | None = None


class ClaimWriter:
    """Validates records and writes them in batches within the caller's transaction."""

    def __init__(self, session: Session, actor: str, *, batch_size: int = BATCH_SIZE):
        self.session = session
        self.actor = actor
        self.batch_size = batch_size
        self.result = WriteResult()
        self._pending: list[PreparedClaim] = []
        self._sources: dict[str, Source] = {}
        self._properties: dict[str, Property] = {}
        self._entities: dict[str, int] = {}
        self._footnotes: dict[tuple[int, int], int] = {}
        self._footnote_counts: dict[int, int] = {}

    # ------------------------------------------------------------ resolving

    def _source(self, ref: Any) -> Source:
        key = str(ref).strip()
        if not key:
            raise FieldError("source", f"empty source {ref!r}: expected a source id, slug or file name")
        if key not in self._sources:
            try:
                self._sources[key] = find_source(self.session, key)
            except NotFound as exc:
                raise FieldError("source", str(exc)) from None
        return self._sources[key]

    def _property(self, name: Any) -> Property:
        key = str(name or "").strip()
        if not key:
            raise FieldError("property", f"empty property {name!r}: expected a property name (see `provenance properties`)")
        if key not in self._properties:
            try:
                self._properties[key] = get_property(self.session, key)
            except NotFound as exc:
                raise FieldError("property", str(exc)) from None
        return self._properties[key]

    def _entity_id(self, name: Any, field_name: str, *, create: bool = True) -> int | None:
        text = "" if name is None else str(name).strip()
        if not text or not normalise_name(text):
            raise FieldError(field_name, f"empty {field_name.replace('_', ' ')} {name!r}: expected a name such as 'Qais al-Khazali'")
        key = normalise_name(text)
        if key not in self._entities:
            if create:
                entity, created = ensure_entity(self.session, text, self.actor)
                if created:
                    self.result.entities_created.append(text)
            else:
                entity = find_entity(self.session, text)
                if entity is None:
                    return None
            self._entities[key] = entity.id
        return self._entities[key]

    def _footnote_id(self, source: Source, number: Any) -> int:
        try:
            n = int(str(number).strip().lstrip("[").rstrip("]"))
        except ValueError:
            raise FieldError("footnote", f"footnote {number!r}: expected a note number such as 12") from None
        if source.id not in self._footnote_counts:
            rows = self.session.execute(select(Footnote.number, Footnote.id).where(Footnote.source_id == source.id)).all()
            for num, fid in rows:
                self._footnotes[(source.id, num)] = fid
            self._footnote_counts[source.id] = len(rows)
        count = self._footnote_counts[source.id]
        if not count:
            raise FieldError("footnote", f"footnote {number!r}: source {source.slug!r} has no footnotes; leave footnote empty")
        if (source.id, n) not in self._footnotes:
            raise FieldError("footnote", f"footnote {number!r} is not a note of {source.slug!r}: expected 1 to {count}")
        return self._footnotes[(source.id, n)]

    # ------------------------------------------------------------ preparing

    def prepare(self, raw: dict[str, Any]) -> PreparedClaim:
        """Validate and resolve one record; raises FieldError naming the field."""
        unknown = [k for k in raw if k not in RECORD_KEYS]
        if unknown:
            raise FieldError(unknown[0], f"unknown field {unknown[0]!r}: expected {', '.join(RECORD_KEYS)}")
        for key in REQUIRED_KEYS:
            if _blank(raw.get(key)):
                raise FieldError(key, f"missing {key}: every claim needs {', '.join(REQUIRED_KEYS)}")
        source = self._source(raw["source"])
        prop = self._property(raw["property"])
        subject_id = self._entity_id(raw["subject"], "subject")

        unit = _text_or_none(raw.get("unit"))
        if unit and prop.unit and unit != prop.unit:
            raise FieldError("unit", f"unit {unit!r} differs from the unit of {prop.name!r}: expected {prop.unit!r} or nothing")
        try:
            value = parse_value(prop.datatype, str(raw["value"]), unit=unit or prop.unit, tolerance=prop.tolerance)
        except ProvenanceError as exc:
            raise FieldError("value", f"{exc} (property {prop.name!r} is a {prop.datatype})") from None
        if prop.unit and value.unit and value.unit != prop.unit:
            raise FieldError("value", f"value {raw['value']!r} is in {value.unit}, property {prop.name!r} in {prop.unit}")

        claim_row: dict[str, Any] = {
            "subject_id": subject_id,
            "property_id": prop.id,
            "value": value.display,
            "value_key": value.key,
            "quantity_low": value.quantity_low,
            "quantity_high": value.quantity_high,
            "quantity_low_exclusive": value.quantity_low_exclusive,
            "quantity_high_exclusive": value.quantity_high_exclusive,
            "unit": value.unit or prop.unit,
            "date_earliest": value.date_earliest,
            "date_latest": value.date_latest,
            "entity_value_id": None,
            "text_value": value.text_value,
            "boolean_value": value.boolean_value,
        }
        if prop.datatype == "entity":
            entity_id = self._entity_id(raw["value"], "value")
            claim_row["entity_value_id"] = entity_id
            claim_row["value_key"] = f"e:{entity_id}"

        scope = self._scope(raw)
        qualifiers = self._qualifiers(raw.get("qualifiers"))
        scope_key = _scope_key(scope, qualifiers)
        claim_row.update(scope)
        claim_row["scope_key"] = scope_key

        citation_row = self._citation(raw, source)
        summary = f"{raw['subject']} · {prop.name} = {value.display}"
        return PreparedClaim((subject_id, prop.id, claim_row["value_key"], scope_key), claim_row, qualifiers, citation_row, summary)

    def _scope(self, raw: dict[str, Any]) -> dict[str, Any]:
        bounds = {}
        for key in ("as_of", "valid_from", "valid_to"):
            text = _text_or_none(raw.get(key))
            if text is None:
                bounds[key] = (None, None, None)
                continue
            try:
                earliest, latest = date_bounds(text)
            except ProvenanceError:
                raise FieldError(key, f"{key} {text!r} is not an EDTF date: expected e.g. 2018, 2018-05, 2018-05-12, 2009-10/2009-12") from None
            bounds[key] = (text, earliest, latest)
        as_of, valid_from, valid_to = bounds["as_of"], bounds["valid_from"], bounds["valid_to"]
        if valid_from[1] and valid_to[2] and valid_from[1] > valid_to[2]:
            raise FieldError("valid_to", f"valid_to {valid_to[0]!r} is before valid_from {valid_from[0]!r}")
        earliest = [b for b in (as_of[1], valid_from[1]) if b]
        latest = [b for b in (as_of[2], valid_to[2]) if b]
        # as_of alone scopes to its own interval; validity opens or closes the ends it gives
        scope_earliest = min(earliest) if earliest else None
        scope_latest = max(latest) if latest else None
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
                    raise FieldError("qualifiers", f"qualifier {part.strip()!r}: expected key=value, separated by ';'")
                key, _, value = part.partition("=")
                pairs.append((key, value))
        else:
            raise FieldError("qualifiers", f"qualifiers {raw!r}: expected a mapping or key=value;key=value")
        rows = []
        seen = set()
        for key, value in pairs:
            key_text = str(key).strip().lower()
            value_text = "" if value is None else str(value).strip()
            if not key_text or not value_text:
                raise FieldError("qualifiers", f"qualifier {key!r}={value!r}: expected a key and a value")
            if key_text in ("as_of", "valid_from", "valid_to"):
                raise FieldError("qualifiers", f"qualifier {key_text!r}: give it as its own field, not as a qualifier")
            if key_text in seen:
                raise FieldError("qualifiers", f"qualifier {key_text!r} given twice")
            seen.add(key_text)
            entity_id = self._entity_id(value_text, "qualifiers", create=False)
            rows.append(
                {
                    "key": key_text,
                    "value": value_text,
                    "entity_id": entity_id,
                    "normalised": f"e:{entity_id}" if entity_id else f"t:{normalise_text(value_text)}",
                }
            )
        return sorted(rows, key=lambda r: r["key"])

    def _citation(self, raw: dict[str, Any], source: Source) -> dict[str, Any]:
        quote = raw.get("quote")
        quote = None if _blank(quote) else str(quote)
        row: dict[str, Any] = {
            "source_id": source.id,
            "footnote_id": None,
            "quote": None,
            "quote_start": None,
            "quote_end": None,
            "prefix": None,
            "suffix": None,
            "orphaned": False,
        }
        if source.text is not None:
            if quote is None:
                raise FieldError("quote", f"missing quote: source {source.slug!r} has text, so every citation quotes it exactly")
            anchor = quotes.locate(source, quote)
            if anchor is None:
                raise FieldError("quote", f"quote {_short(quote)!r} is not in the text of {source.slug!r}: expected words copied from it")
            row.update(
                quote=source.text[anchor.start : anchor.end],
                quote_start=anchor.start,
                quote_end=anchor.end,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
            )
        elif quote is not None:
            raise FieldError("quote", f"source {source.slug!r} has no text of ours: its citations carry no quote")
        if not _blank(raw.get("footnote")):
            row["footnote_id"] = self._footnote_id(source, raw["footnote"])
        elif row["quote_start"] is not None:
            note = quotes.sentence_footnote(source, row["quote_start"], row["quote_end"])
            row["footnote_id"] = note.id if note is not None else None
        attributed = raw.get("attributed_to")
        row["attributed_to_id"] = None if _blank(attributed) else self._entity_id(attributed, "attributed_to")
        stance = str(raw.get("stance") or "asserts").strip().lower()
        if stance in ("deny", "denied"):
            stance = "denies"
        if stance in ("assert", "asserted"):
            stance = "asserts"
        if stance not in STANCES:
            raise FieldError("stance", f"stance {raw.get('stance')!r}: expected asserts or denies")
        confidence = str(raw.get("confidence") or "medium").strip().lower()
        if confidence not in CONFIDENCES:
            raise FieldError("confidence", f"confidence {raw.get('confidence')!r}: expected high, medium or low")
        row.update(stance=stance, confidence=confidence, note=_text_or_none(raw.get("note")))
        row["fingerprint"] = _fingerprint(row)
        return row

    # ------------------------------------------------------------ writing

    def add(self, prepared: PreparedClaim) -> None:
        self._pending.append(prepared)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the pending records with set-based inserts."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        session = self.session
        now = utcnow()
        keys = list(dict.fromkeys(p.claim_key for p in batch))
        existing = {
            (r.subject_id, r.property_id, r.value_key, r.scope_key): (r.id, r.rank, r.rank_reason)
            for r in session.execute(
                select(Claim.id, Claim.subject_id, Claim.property_id, Claim.value_key, Claim.scope_key, Claim.rank, Claim.rank_reason).where(
                    tuple_(Claim.subject_id, Claim.property_id, Claim.value_key, Claim.scope_key).in_(keys)
                )
            )
        }
        new_rows: dict[tuple, PreparedClaim] = {}
        for prepared in batch:
            if prepared.claim_key not in existing and prepared.claim_key not in new_rows:
                new_rows[prepared.claim_key] = prepared
        claim_ids: dict[tuple, int] = {k: v[0] for k, v in existing.items()}
        self.result.claims_existing += len({p.claim_key for p in batch if p.claim_key in existing})
        for key, (claim_id, rank, reason) in existing.items():
            if rank == "deprecated":
                self.result.deprecated_warnings.append(f"claim {claim_id} is deprecated ({reason}); citation added to it anyway")
        if new_rows:
            rows = [{**p.claim_row, "rank": "normal", "created_by": self.actor, "created_at": now} for p in new_rows.values()]
            inserted = session.execute(
                insert(Claim).returning(Claim.id, sort_by_parameter_order=True), rows
            ).scalars().all()
            qualifier_rows = []
            history_rows = []
            for (key, prepared), claim_id in zip(new_rows.items(), inserted):
                claim_ids[key] = claim_id
                qualifier_rows.extend({**q, "claim_id": claim_id} for q in prepared.qualifiers)
                history_rows.append(_history("claims", claim_id, "insert", self.actor, now, _claim_changes(prepared), prepared.summary))
            if qualifier_rows:
                session.execute(insert(ClaimQualifier), qualifier_rows)
            session.execute(insert(History), history_rows)
            self.result.claims_new += len(new_rows)

        # citations: identified within their claim by fingerprint
        wanted: dict[tuple[int, str], PreparedClaim] = {}
        for prepared in batch:
            claim_id = claim_ids[prepared.claim_key]
            wanted[(claim_id, prepared.citation_row["fingerprint"])] = prepared
            self.result.last_claim_id = claim_id
        stored = {
            (r.claim_id, r.fingerprint): r
            for r in session.execute(
                select(Citation.id, Citation.claim_id, Citation.fingerprint, Citation.confidence, Citation.note).where(
                    tuple_(Citation.claim_id, Citation.fingerprint).in_(list(wanted))
                )
            )
        }
        new_citations = []
        history_rows = []
        for (claim_id, fingerprint), prepared in wanted.items():
            row = prepared.citation_row
            current = stored.get((claim_id, fingerprint))
            if current is None:
                new_citations.append(({**row, "claim_id": claim_id, "created_by": self.actor, "created_at": now}, prepared))
                continue
            changes = {k: [getattr(current, k), row[k]] for k in ("confidence", "note") if getattr(current, k) != row[k]}
            if changes:
                session.execute(update(Citation).where(Citation.id == current.id).values({k: v[1] for k, v in changes.items()}))
                history_rows.append(_history("citations", current.id, "update", self.actor, now, changes, prepared.summary))
                self.result.citations_updated += 1
            else:
                self.result.citations_unchanged += 1
            self.result.last_citation_id = current.id
        if new_citations:
            ids = session.execute(
                insert(Citation).returning(Citation.id, sort_by_parameter_order=True), [r for r, _ in new_citations]
            ).scalars().all()
            for citation_id, (row, prepared) in zip(ids, new_citations):
                history_rows.append(
                    _history("citations", citation_id, "insert", self.actor, now, _citation_changes(row), prepared.summary)
                )
            self.result.citations_new += len(ids)
            self.result.last_citation_id = ids[-1]
        if history_rows:
            session.execute(insert(History), history_rows)


def _history(table: str, row_id: int, action: str, actor: str, at, changes: dict, summary: str) -> dict[str, Any]:
    return {"table_name": table, "row_id": row_id, "action": action, "actor": actor, "at": at, "changes": changes, "summary": summary}


def _claim_changes(prepared: PreparedClaim) -> dict[str, Any]:
    row = prepared.claim_row
    changes = {k: row[k] for k in ("subject_id", "property_id", "value", "unit", "as_of", "valid_from", "valid_to") if row.get(k) is not None}
    if prepared.qualifiers:
        changes["qualifiers"] = {q["key"]: q["value"] for q in prepared.qualifiers}
    return changes


def _citation_changes(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("source_id", "footnote_id", "quote_start", "quote_end", "attributed_to_id", "stance", "confidence", "note")
    return {k: row[k] for k in keep if row.get(k) is not None}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (dict, list)) and not value)


def _text_or_none(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def _scope_key(scope: dict[str, Any], qualifiers: list[dict[str, Any]]) -> str:
    parts = [f"{k}={scope[k]}" for k in ("as_of", "valid_from", "valid_to") if scope.get(k)]
    parts += [f"{q['key']}={q['normalised']}" for q in qualifiers]
    return ";".join(parts)


def _fingerprint(row: dict[str, Any]) -> str:
    identity = [row["source_id"], row["quote_start"], row["quote_end"], row["footnote_id"], row["attributed_to_id"], row["stance"]]
    return hashlib.sha1(json.dumps(identity).encode()).hexdigest()


# ---------------------------------------------------------------- one claim


def add_claim(session: Session, record_: dict[str, Any], actor: str) -> tuple[Claim, Citation, WriteResult]:
    """Add one claim with its citation (the ``add`` command)."""
    writer = ClaimWriter(session, actor, batch_size=1)
    try:
        prepared = writer.prepare(record_)
    except FieldError as exc:
        raise InvalidValue(str(exc)) from None
    writer.add(prepared)
    writer.flush()
    claim = session.get(Claim, writer.result.last_claim_id)
    citation = session.get(Citation, writer.result.last_citation_id)
    return claim, citation, writer.result


def get_claim(session: Session, ref: Any) -> Claim:
    text = str(ref).strip()
    if not text.isdigit():
        raise InvalidValue(f"claim {ref!r}: expected a claim id (a number, see `provenance claims`)")
    claim = session.get(Claim, int(text))
    if claim is None:
        raise NotFound(f"unknown claim {ref!r}: no claim has that id (see `provenance claims`)")
    return claim


def set_rank(session: Session, claim: Claim, rank: str, actor: str, *, reason: str | None = None) -> list[int]:
    """Prefer or deprecate a claim; returns ids of claims whose preference was withdrawn."""
    if rank == "deprecated" and _blank(reason):
        raise InvalidValue("deprecating needs --reason: say why the claim is wrong or superseded, so nobody re-adds it")
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
            record(session, "claims", other.id, "update", actor, {"rank": ["preferred", "normal"]}, f"claim {claim.id} preferred instead")
            demoted.append(other.id)
    changes = {"rank": [claim.rank, rank]}
    if reason is not None:
        changes["rank_reason"] = [claim.rank_reason, reason]
    claim.rank = rank
    claim.rank_reason = reason if rank == "deprecated" else (reason or None)
    record(session, "claims", claim.id, "update", actor, changes, reason)
    session.flush()
    return demoted


# ---------------------------------------------------------------- listings


def _filtered_claims(session: Session, *, subject: str | None, property_name: str | None, source: str | None, rank: str | None):
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
        query = query.where(Claim.id.in_(select(Citation.claim_id).where(Citation.source_id == src.id)))
    if rank:
        query = query.where(Claim.rank == rank)
    return session.scalars(query.order_by(Claim.id))


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
    }


def iter_claim_rows(session: Session, **filters: Any) -> Iterable[dict[str, Any]]:
    for claim in _filtered_claims(session, **filters):
        yield claim_row(claim)


def scope_text(row: dict[str, Any]) -> str:
    parts = []
    if row.get("as_of"):
        parts.append(f"as of {row['as_of']}")
    if row.get("valid_from") or row.get("valid_to"):
        parts.append(f"{row.get('valid_from') or '…'} to {row.get('valid_to') or '…'}")
    parts += [f"{k}={v}" for k, v in (row.get("qualifiers") or {}).items()]
    return "; ".join(parts)


def history_rows(session: Session, *, table: str | None = None, row_id: int | None = None, actor: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    query = select(History)
    if table:
        query = query.where(History.table_name == table)
    if row_id is not None:
        query = query.where(History.row_id == row_id)
    if actor:
        query = query.where(History.actor == actor)
    query = query.order_by(History.id.desc())
    if limit:
        query = query.limit(limit)
    return [
        {
            "id": h.id,
            "at": h.at.isoformat(timespec="seconds") if h.at else None,
            "actor": h.actor,
            "table": h.table_name,
            "row_id": h.row_id,
            "action": h.action,
            "summary": h.summary,
            "changes": h.changes,
        }
        for h in session.scalars(query)
    ]


def provenance_chain(session: Session, claim: Claim) -> dict[str, Any]:
    """The claim with everything behind it: citations, quotes in context, footnotes, works, history."""
    row = claim_row(claim)
    for citation, out in zip(claim.citations, row["citations"]):
        source = citation.source
        out["source_title"] = source.title
        out["source_kind"] = source.kind
        out["source_reliability"] = source.reliability
        out["source_published"] = source.published
        out["source_authors"] = source.authors or []
        if citation.quote_start is not None:
            before, quote, after = quotes.context(source, citation.quote_start, citation.quote_end, width=160)
            out["context_before"], out["context_after"] = before, after
        if citation.footnote is not None:
            note = citation.footnote
            out["footnote_text"] = note.text
            out["works"] = [
                {
                    "title": fw.work.title,
                    "key": fw.work.key,
                    "locator": fw.locator,
                    "collection": fw.work.collection.title if fw.work.collection else None,
                }
                for fw in note.works
            ]
    ids = [c.id for c in claim.citations]
    history = history_rows(session, table="claims", row_id=claim.id)
    for citation_id in ids:
        history += history_rows(session, table="citations", row_id=citation_id)
    row["history"] = sorted(history, key=lambda h: h["id"])
    return row


def entity_label(session: Session, entity_id: int | None) -> str | None:
    if entity_id is None:
        return None
    entity = session.get(Entity, entity_id)
    return entity.name if entity else None
