"""The allowlist of the public copy (SPEC §6): the tables and columns that are published,
the views, and which citations count as public evidence.

A table or column that is not in ``PUBLIC_TABLES`` is never written to the copy; what
is withheld and why is told in ``publish``. ``public_copy`` builds the copy from this
allowlist, ``public_evidence`` computes the conflicts and trust it publishes, and
``public_site`` describes the tables to Datasette (``metadata.yaml``) and writes their
documentation.

**Indexes.** Every index costs every publish (at a million claims each takes up to half
a second of SQLite sorting, all of them together about a quarter of a publish), so the
copy has only those a page of the site runs through, as SQLite's planner picks them
(``EXPLAIN QUERY PLAN`` of every statement Datasette and the plugin run, checked by
``tests/test_public_copy_pages.py``): each foreign key (the plugin's claim and conflict
pages look up citations, qualifiers and answers by claim and conflict; a row page
counts the rows that link to it; a canned query joins through them), each default facet
of ``metadata.yaml`` and each default sort. Not indexed, as no page uses them:
``claims_with_sources.rank``, ``stance`` and ``reliability`` (not default facets, and
a reader's filter on one of them still has ``subject``, ``property``, ``source`` or the
search to narrow it), and ``aliases.normalised`` (the ``entity_claims`` query matches
names with ``LIKE '% …'``, which no index can serve; it reads the aliases, some 76,000
at a million claims, either way). Those four took 1.0 s of CPU at a million claims
(docs/benchmarks.md, "Publish").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, true

from .models import Citation

INTEGER, TEXT, REAL = "INTEGER", "TEXT", "REAL"


@dataclass(frozen=True)
class PublicTable:
    """A published table: its columns (name → SQLite type), in order, and foreign keys."""

    columns: dict[str, str]
    foreign_keys: dict[str, str] = field(default_factory=dict)
    pk: str = "id"
    search: tuple[str, ...] = ()
    # indexed besides the foreign keys: the default facets and sort, and the columns the
    # plugin's pages and the canned queries look rows up by (see the module's docstring)
    indexes: tuple[str, ...] = ()


PUBLIC_TABLES: dict[str, PublicTable] = {
    "sources": PublicTable(
        {
            "id": INTEGER,
            "slug": TEXT,
            "title": TEXT,
            "authors": TEXT,
            "publisher": TEXT,
            "url": TEXT,
            "published": TEXT,
            "kind": TEXT,
            "reliability": TEXT,
            "reliability_reason": TEXT,
            "parent_id": INTEGER,
            "span_start": INTEGER,
            "span_end": INTEGER,
            "text": TEXT,
            "sha256": TEXT,
        },
        {"parent_id": "sources"},
        search=("title", "authors", "publisher", "text"),
        indexes=("kind", "reliability", "published"),
    ),
    "works": PublicTable(
        {"id": INTEGER, "title": TEXT, "citation": TEXT, "collection_id": INTEGER},
        {"collection_id": "works"},
        indexes=("title",),
    ),
    "footnotes": PublicTable(
        {"id": INTEGER, "source_id": INTEGER, "number": INTEGER, "text": TEXT, "resolution": TEXT},
        {"source_id": "sources"},
        indexes=("resolution",),
    ),
    "footnote_works": PublicTable(
        {
            "id": INTEGER,
            "footnote_id": INTEGER,
            "work_id": INTEGER,
            "position": INTEGER,
            "locator": TEXT,
        },
        {"footnote_id": "footnotes", "work_id": "works"},
    ),
    "entities": PublicTable(
        {"id": INTEGER, "name": TEXT, "kind": TEXT, "description": TEXT, "aliases": TEXT},
        search=("name", "aliases"),
        indexes=("kind", "name"),
    ),
    "aliases": PublicTable(
        {"id": INTEGER, "entity_id": INTEGER, "name": TEXT, "normalised": TEXT},
        {"entity_id": "entities"},
        indexes=("name",),
    ),
    "properties": PublicTable(
        {
            "id": INTEGER,
            "name": TEXT,
            "datatype": TEXT,
            "multi": INTEGER,
            "time_varying": INTEGER,
            "unit": TEXT,
            "tolerance": REAL,
            "description": TEXT,
        },
        indexes=("datatype",),
    ),
    "claims": PublicTable(
        {
            "id": INTEGER,
            "subject_id": INTEGER,
            "property_id": INTEGER,
            "value": TEXT,
            "unit": TEXT,
            "quantity_low": REAL,
            "quantity_high": REAL,
            "date_earliest": TEXT,
            "date_latest": TEXT,
            "entity_value_id": INTEGER,
            "as_of": TEXT,
            "valid_from": TEXT,
            "valid_to": TEXT,
            "scope": TEXT,
            "rank": TEXT,
            "rank_reason": TEXT,
            "citation_count": INTEGER,
            "source_count": INTEGER,
        },
        {"subject_id": "entities", "property_id": "properties", "entity_value_id": "entities"},
        indexes=("rank", "source_count"),
    ),
    "claim_qualifiers": PublicTable(
        {"id": INTEGER, "claim_id": INTEGER, "key": TEXT, "value": TEXT, "entity_id": INTEGER},
        {"claim_id": "claims", "entity_id": "entities"},
        indexes=("key",),
    ),
    "citations": PublicTable(
        {
            "id": INTEGER,
            "claim_id": INTEGER,
            "source_id": INTEGER,
            "footnote_id": INTEGER,
            "quote": TEXT,
            "quote_start": INTEGER,
            "quote_end": INTEGER,
            "orphaned": INTEGER,
            "attributed_to_id": INTEGER,
            "stance": TEXT,
            "confidence": TEXT,
        },
        {
            "claim_id": "claims",
            "source_id": "sources",
            "footnote_id": "footnotes",
            "attributed_to_id": "entities",
        },
        indexes=("stance", "confidence"),
    ),
    # One row per public citation, everything a reader needs on one line, with indexes on
    # the facet columns: a view joining six tables cannot be faceted at a million claims
    # within Datasette's time limits, a table with indexes can.
    "claims_with_sources": PublicTable(
        {
            "citation_id": INTEGER,
            "claim_id": INTEGER,
            "subject": TEXT,
            "subject_aliases": TEXT,
            "property": TEXT,
            "value": TEXT,
            "scope": TEXT,
            "rank": TEXT,
            "source": TEXT,
            "source_title": TEXT,
            "reliability": TEXT,
            "footnote": INTEGER,
            "quote": TEXT,
            "attributed_to": TEXT,
            "stance": TEXT,
            "confidence": TEXT,
        },
        {"citation_id": "citations", "claim_id": "claims"},
        pk="citation_id",
        search=(
            "subject",
            "subject_aliases",
            "property",
            "value",
            "quote",
            "attributed_to",
            "source_title",
        ),
        indexes=("subject", "property", "source", "confidence"),
    ),
    "conflicts": PublicTable(
        {
            "id": INTEGER,
            "kind": TEXT,
            "status": TEXT,
            "settled": TEXT,
            "severity": TEXT,
            "subject_id": INTEGER,
            "property_id": INTEGER,
            "answers": INTEGER,
            "leading_claim_id": INTEGER,
            "leading_value": TEXT,
            "leading_reason": TEXT,
            "leading_margin": REAL,
            "against_head_count": INTEGER,
            "note": TEXT,
            "status_at": TEXT,
        },
        {
            "subject_id": "entities",
            "property_id": "properties",
            "leading_claim_id": "claims",
        },
        indexes=("status", "kind", "severity"),
    ),
    "answers": PublicTable(
        {
            "id": INTEGER,
            "conflict_id": INTEGER,
            "position": INTEGER,
            "claim_id": INTEGER,
            "stance": TEXT,
            "value": TEXT,
            "sources": TEXT,
            "quotes": TEXT,
            "support": REAL,
            "probability": REAL,
            "contradicts": TEXT,
            "leading": INTEGER,
        },
        {"conflict_id": "conflicts", "claim_id": "claims"},
        indexes=("stance", "leading"),
    ),
    # Every answer of every question on its own row, with the question: made in the copy
    # from answers, conflicts, entities and properties (CONFLICTS_WITH_ANSWERS), in the
    # order of its default sort, with an index on the sort and on each default facet
    "conflicts_with_answers": PublicTable(
        {
            "conflict_id": INTEGER,
            "subject": TEXT,
            "property": TEXT,
            "kind": TEXT,
            "status": TEXT,
            "settled": TEXT,
            "severity": TEXT,
            "position": INTEGER,
            "value": TEXT,
            "stance": TEXT,
            "sources": TEXT,
            "quotes": TEXT,
            "support": REAL,
            "contradicts": TEXT,
            "leading": INTEGER,
            "leading_value": TEXT,
            "leading_reason": TEXT,
            "note": TEXT,
            "claim_id": INTEGER,
        },
        pk="rowid",
        indexes=("subject", "status", "property", "severity"),
    ),
    # learned on public evidence only (provenance.trust with public_only)
    "trust": PublicTable(
        {
            "id": INTEGER,
            "source_id": INTEGER,
            "source": TEXT,
            "attributed_to": TEXT,
            "grade": TEXT,
            "prior": REAL,
            "trust": REAL,
            "answers": INTEGER,
            "agreements": INTEGER,
            "disagreements": INTEGER,
            "verdicts": INTEGER,
            "verdicts_upheld": INTEGER,
            "copy_group": TEXT,
            "likely_copies": TEXT,
        },
        {"source_id": "sources"},
        indexes=("grade",),
    ),
}

# Views of the copy. Every answer with its question was one (answers ⋈ conflicts ⋈
# entities ⋈ properties): at a million claims its page with the default facets took
# Datasette 0.7–1 s, each facet and the sort joining four tables; it is now the table
# conflicts_with_answers, filled in the copy from those tables by CONFLICTS_WITH_ANSWERS.
PUBLIC_VIEWS: dict[str, str] = {}

CONFLICTS_WITH_ANSWERS = """
select
  a.conflict_id,
  e.name as subject,
  p.name as property,
  c.kind,
  c.status,
  c.settled,
  c.severity,
  a.position,
  a.value,
  a.stance,
  a.sources,
  a.quotes,
  a.support,
  a.contradicts,
  a.leading,
  c.leading_value,
  c.leading_reason,
  c.note,
  a.claim_id
from answers a
join conflicts c on c.id = a.conflict_id
join entities e on e.id = c.subject_id
join properties p on p.id = c.property_id
order by e.name, a.conflict_id, a.position
"""


def public_citation(hidden: set[int]) -> ColumnElement[bool]:
    """A citation of the public copy: live (a retracted one is withdrawn evidence) and on a
    public source."""
    return and_(Citation.live, Citation.source_id.not_in(hidden) if hidden else true())
