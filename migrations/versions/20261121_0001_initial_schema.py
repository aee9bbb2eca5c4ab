"""Initial schema: sources, footnotes, works, entities, aliases, properties, claims, citations, conflicts, history.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('person', 'organisation', 'place', 'event', 'alliance', 'other')",
            name=op.f("ck_entities_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('insert', 'update', 'delete')", name=op.f("ck_history_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index("ix_history_table_row", ["table_name", "row_id"], unique=False)

    op.create_table(
        "properties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("datatype", sa.String(length=20), nullable=False),
        sa.Column("multi", sa.Boolean(), nullable=False),
        sa.Column("time_varying", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "datatype IN ('quantity', 'date', 'entity', 'text', 'boolean')",
            name=op.f("ck_properties_datatype"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_properties")),
        sa.UniqueConstraint("name", name=op.f("uq_properties_name")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("publisher", sa.String(length=500), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=100), nullable=True),
        sa.Column("published_earliest", sa.String(length=19), nullable=True),
        sa.Column("published_latest", sa.String(length=19), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("reliability_reason", sa.Text(), nullable=True),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(length=500), nullable=True),
        sa.Column("file_path", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('article', 'report', 'interview', 'official-statement', 'comment', 'website', 'dataset', 'person', 'other')",
            name=op.f("ck_sources_kind"),
        ),
        sa.CheckConstraint(
            "reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f("ck_sources_reliability")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["sources.id"], name=op.f("fk_sources_parent_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("file_name", name=op.f("uq_sources_file_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_sources_slug")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "works",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=True),
        sa.Column("collection_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"], ["works.id"], name=op.f("fk_works_collection_id_works")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_works")),
        sa.UniqueConstraint("key", name=op.f("uq_works_key")),
    )
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_works_collection_id"), ["collection_id"], unique=False)

    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("normalised", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_aliases_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aliases")),
        sa.UniqueConstraint("normalised", name=op.f("uq_aliases_normalised")),
    )
    with op.batch_alter_table("aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aliases_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("value_key", sa.String(length=500), nullable=False),
        sa.Column("quantity_low", sa.Float(), nullable=True),
        sa.Column("quantity_high", sa.Float(), nullable=True),
        sa.Column("quantity_low_exclusive", sa.Boolean(), nullable=False),
        sa.Column("quantity_high_exclusive", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("date_earliest", sa.String(length=19), nullable=True),
        sa.Column("date_latest", sa.String(length=19), nullable=True),
        sa.Column("entity_value_id", sa.Integer(), nullable=True),
        sa.Column("text_value", sa.Text(), nullable=True),
        sa.Column("boolean_value", sa.Boolean(), nullable=True),
        sa.Column("as_of", sa.String(length=100), nullable=True),
        sa.Column("valid_from", sa.String(length=100), nullable=True),
        sa.Column("valid_to", sa.String(length=100), nullable=True),
        sa.Column("scope_earliest", sa.String(length=19), nullable=True),
        sa.Column("scope_latest", sa.String(length=19), nullable=True),
        sa.Column("scope_key", sa.String(length=1000), nullable=False),
        sa.Column("rank", sa.String(length=20), nullable=False),
        sa.Column("rank_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "rank IN ('normal', 'preferred', 'deprecated')", name=op.f("ck_claims_rank")
        ),
        sa.ForeignKeyConstraint(
            ["entity_value_id"], ["entities.id"], name=op.f("fk_claims_entity_value_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_claims_property_id_properties")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["entities.id"], name=op.f("fk_claims_subject_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint(
            "subject_id",
            "property_id",
            "value_key",
            "scope_key",
            name=op.f("uq_claims_subject_id_property_id_value_key_scope_key"),
        ),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claims_entity_value_id"), ["entity_value_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claims_property_id"), ["property_id"], unique=False)
        batch_op.create_index(
            "ix_claims_subject_property", ["subject_id", "property_id"], unique=False
        )

    op.create_table(
        "footnotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("resolves_to", sa.JSON(), nullable=False),
        sa.Column("unresolved_parts", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "resolution IN ('full', 'ibid', 'short', 'mixed', 'unresolved')",
            name=op.f("ck_footnotes_resolution"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_footnotes_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_footnotes")),
        sa.UniqueConstraint("source_id", "number", name=op.f("uq_footnotes_source_id_number")),
    )
    with op.batch_alter_table("footnotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_footnotes_source_id"), ["source_id"], unique=False)

    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("footnote_id", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("quote_start", sa.Integer(), nullable=True),
        sa.Column("quote_end", sa.Integer(), nullable=True),
        sa.Column("prefix", sa.Text(), nullable=True),
        sa.Column("suffix", sa.Text(), nullable=True),
        sa.Column("orphaned", sa.Boolean(), nullable=False),
        sa.Column("attributed_to_id", sa.Integer(), nullable=True),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "confidence IN ('high', 'medium', 'low')", name=op.f("ck_citations_confidence")
        ),
        sa.CheckConstraint("stance IN ('asserts', 'denies')", name=op.f("ck_citations_stance")),
        sa.ForeignKeyConstraint(
            ["attributed_to_id"],
            ["entities.id"],
            name=op.f("fk_citations_attributed_to_id_entities"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_citations_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["footnote_id"], ["footnotes.id"], name=op.f("fk_citations_footnote_id_footnotes")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_citations_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citations")),
        sa.UniqueConstraint(
            "claim_id", "fingerprint", name=op.f("uq_citations_claim_id_fingerprint")
        ),
    )
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citations_attributed_to_id"), ["attributed_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citations_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citations_footnote_id"), ["footnote_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citations_source_id"), ["source_id"], unique=False)

    op.create_table(
        "claim_qualifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("normalised", sa.String(length=1000), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_qualifiers_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_claim_qualifiers_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_qualifiers")),
        sa.UniqueConstraint("claim_id", "key", name=op.f("uq_claim_qualifiers_claim_id_key")),
    )
    with op.batch_alter_table("claim_qualifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_qualifiers_claim_id"), ["claim_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_qualifiers_entity_id"), ["entity_id"], unique=False
        )

    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status_by", sa.String(length=200), nullable=True),
        sa.Column("status_at", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("first_detected_at", sa.DateTime(), nullable=False),
        sa.Column("last_detected_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('quantity', 'date', 'entity', 'text', 'boolean', 'stance')",
            name=op.f("ck_conflicts_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'confirmed', 'dismissed', 'resolved')",
            name=op.f("ck_conflicts_status"),
        ),
        sa.CheckConstraint("claim_a_id <= claim_b_id", name=op.f("ck_conflicts_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["claim_a_id"], ["claims.id"], name=op.f("fk_conflicts_claim_a_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["claim_b_id"], ["claims.id"], name=op.f("fk_conflicts_claim_b_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
        sa.UniqueConstraint(
            "claim_a_id", "claim_b_id", name=op.f("uq_conflicts_claim_a_id_claim_b_id")
        ),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_claim_b_id"), ["claim_b_id"], unique=False)

    op.create_table(
        "footnote_markers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("footnote_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["footnote_id"],
            ["footnotes.id"],
            name=op.f("fk_footnote_markers_footnote_id_footnotes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_footnote_markers")),
    )
    with op.batch_alter_table("footnote_markers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_footnote_markers_footnote_id"), ["footnote_id"], unique=False
        )

    op.create_table(
        "footnote_works",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("footnote_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("locator", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["footnote_id"], ["footnotes.id"], name=op.f("fk_footnote_works_footnote_id_footnotes")
        ),
        sa.ForeignKeyConstraint(
            ["work_id"], ["works.id"], name=op.f("fk_footnote_works_work_id_works")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_footnote_works")),
        sa.UniqueConstraint(
            "footnote_id", "position", name=op.f("uq_footnote_works_footnote_id_position")
        ),
    )
    with op.batch_alter_table("footnote_works", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_footnote_works_footnote_id"), ["footnote_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_footnote_works_work_id"), ["work_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("footnote_works", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_footnote_works_work_id"))
        batch_op.drop_index(batch_op.f("ix_footnote_works_footnote_id"))

    op.drop_table("footnote_works")
    with op.batch_alter_table("footnote_markers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_footnote_markers_footnote_id"))

    op.drop_table("footnote_markers")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_claim_b_id"))

    op.drop_table("conflicts")
    with op.batch_alter_table("claim_qualifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_qualifiers_entity_id"))
        batch_op.drop_index(batch_op.f("ix_claim_qualifiers_claim_id"))

    op.drop_table("claim_qualifiers")
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citations_source_id"))
        batch_op.drop_index(batch_op.f("ix_citations_footnote_id"))
        batch_op.drop_index(batch_op.f("ix_citations_claim_id"))
        batch_op.drop_index(batch_op.f("ix_citations_attributed_to_id"))

    op.drop_table("citations")
    with op.batch_alter_table("footnotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_footnotes_source_id"))

    op.drop_table("footnotes")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_subject_property")
        batch_op.drop_index(batch_op.f("ix_claims_property_id"))
        batch_op.drop_index(batch_op.f("ix_claims_entity_value_id"))

    op.drop_table("claims")
    with op.batch_alter_table("aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aliases_entity_id"))

    op.drop_table("aliases")
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_works_collection_id"))

    op.drop_table("works")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_parent_id"))

    op.drop_table("sources")
    op.drop_table("properties")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index("ix_history_table_row")

    op.drop_table("history")
    op.drop_table("entities")
