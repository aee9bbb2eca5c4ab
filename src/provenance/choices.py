"""The fixed values of the schema's columns and of the CLI's choices.

Kept apart from models.py so that the command line can list them in its options and
``--help`` without importing SQLAlchemy (see docs/benchmarks.md, start-up); models.py
re-exports them with the tables that check them.
"""

from __future__ import annotations

RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
SOURCE_KINDS = (
    "article",
    "report",
    "interview",
    "official-statement",
    "comment",
    "website",
    "dataset",
    "person",
    "other",
)
ENTITY_KINDS = ("person", "organisation", "place", "event", "alliance", "other")
DATATYPES = ("quantity", "date", "entity", "text", "boolean")
RANKS = ("normal", "preferred", "deprecated")
STANCES = ("asserts", "denies")
CONFIDENCES = ("high", "medium", "low")
CONFLICT_STATUSES = ("open", "confirmed", "dismissed", "resolved")
CONFLICT_KINDS = ("quantity", "date", "entity", "text", "boolean", "stance")
FOOTNOTE_RESOLUTIONS = ("full", "ibid", "short", "mixed", "unresolved")
# detected on ingest; confirmed by the desk (`source copy-of`); rejected by the desk
# (`source not-copy`: kept, so ingesting again does not find it again)
COPY_STATUSES = ("detected", "confirmed", "rejected")
# `export --format`
EXPORT_FORMATS = ("csv", "jsonl", "yaml", "claimreview", "prov", "prov-n")
