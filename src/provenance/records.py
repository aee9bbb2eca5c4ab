"""The claims import format: a record's fields, what they become, and how a bad one is told.

A record (SPEC §4; one row of a CSV, one line of JSON Lines, one entry of YAML) is read
as two parts: the claim it makes (``CLAIM_FIELDS``) and the evidence it gives
(``CITATION_FIELDS``). Validated and resolved, they are a ``ClaimPart`` and a
``CitationPart`` (a ``PreparedClaim``), whose rows hold the columns the import writes
(``CLAIM_PART_COLUMNS``, ``CITATION_PART_COLUMNS``); a name that is no entity yet stands in
them as a ``PendingEntity`` until its batch is written. A bad field is a ``FieldError``;
records found bad only when their batch is written are ``RecordErrors``.

This module holds the shapes only. Reading a record into its parts is preparer.py;
writing them is the claim writer, claims.py; what makes two records one claim or one
citation is identity.py.
"""

from __future__ import annotations

from typing import Any

from .errors import ProvenanceError

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


def resolved(ref: Any) -> Any:
    """An entity reference with its PendingEntity replaced by the id it was given."""
    return ref.id if isinstance(ref, PendingEntity) else ref


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
        self.values: tuple = ()

    @property
    def identity(self) -> tuple[int, int, str, str]:
        """``final_key`` once ``finish`` has set it (every part of a batch being written)."""
        assert self.final_key is not None, "a claim part is finished before it is written"
        return self.final_key


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


def blank(value: Any) -> bool:
    """Whether a field is left empty (None, blank text, an empty mapping or list)."""
    if value.__class__ is str:
        return not value.strip()
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, (dict, list)) and not value)
    )


def text_or_none(value: Any) -> str | None:
    """A field as stripped text, None when it is blank."""
    if value is None:
        return None
    if value.__class__ is str:
        return value.strip() or None
    return None if blank(value) else str(value).strip()
