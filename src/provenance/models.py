"""The schema: typed SQLAlchemy models for every concept of the product.

The tables are created only by the Alembic migrations in ``migrations/``; these models
describe them, and a test checks that the two agree. Everything here is portable SQL
(no SQLite-only types or defaults) so the same schema runs on PostgreSQL.

Design notes a maintainer needs:

* A **source** holds its own text. A section of a document that speaks with another
  voice (a reader comment under an article) is a source of its own with ``parent_id``
  and its ``span_start``/``span_end`` in the parent's text; quotes of the parent are
  never looked for inside its sections, so a commenter's words cannot be cited as the
  article's.
* Quote offsets are offsets into the citing source's own ``text``.
* A **claim** carries its value in typed columns (``quantity_low`` … ``boolean_value``)
  so that conflict detection compares in SQL; ``value`` is what a person reads and
  ``value_key`` identifies the value, so two sources stating the same thing share one
  claim (unique on subject, property, value_key, scope_key).
* Date bounds are ISO-8601 UTC strings (``2007-03-01T00:00:00``): they sort and compare
  as text on every back end.
* History is kept as **changesets**: every writing command is one ``changes`` row (who,
  when, the command and its arguments, an imported file and its SHA-256); every row a
  command inserts carries that change's id (``change_id``), and every update, rank or
  status change and delete of a row is a ``history`` row (old → new) pointing to it.
* A **copy** (``source_copies``) records that a document is the same story as an earlier
  one — identical text, or a syndicated story under another headline or footer — with
  the similarity that found it and whether the desk confirmed or undid it. A copy and
  its original are one document: ``Source.document_id`` is the one expression for
  "the document of a source" (the original's id for a copy), in Python and in SQL.
  A copy's original is never a copy itself, so one step always reaches the document.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy import false as sql_false
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql.elements import ColumnElement

# the fixed values of columns live in choices.py, which the CLI reads without SQLAlchemy
from .choices import (
    CONFIDENCES,
    CONFLICT_KINDS,
    CONFLICT_STATUSES,
    COPY_STATUSES,
    DATATYPES,
    ENTITY_KINDS,
    FOOTNOTE_RESOLUTIONS,
    RANKS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    STANCES,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@compiles(CreateIndex)
def _partial_index(create: CreateIndex, compiler: Any, **kw: Any) -> str:
    """A partial index (``info={"where": SQL}``) on every back end alike.

    SQLAlchemy checks a back end's own argument (``postgresql_where=``) by importing that
    back end's dialect when the model is defined: 0.05 s of CPU at the start of every
    command on SQLite. The migrations still use those arguments; they run rarely.
    """
    sql = compiler.visit_create_index(create, **kw)
    where = create.element.info.get("where")
    return sql if where is None else f"{sql} WHERE {where}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
name_str = Annotated[str, mapped_column(String(500))]
offset = Annotated[int, mapped_column(Integer)]
created_at = Annotated[dt.datetime, mapped_column(DateTime, default=utcnow)]
actor_str = Annotated[str, mapped_column(String(200))]
# the change (command) that inserted the row (``changes.id``); empty for rows older than
# changesets whose insert was never recorded. No foreign key: adding one to a table of a
# million claims means copying the table on SQLite, which a migration's transaction
# cannot do with foreign keys on; changes rows are never deleted, so it cannot dangle.
change_ref = Annotated[int | None, mapped_column(Integer)]


class Source(Base):
    """A document (or a source with no text of ours) that makes claims."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(_in("reliability", RELIABILITY_GRADES), name="reliability"),
        CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),
    )

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    publisher: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(100))  # EDTF as given
    published_earliest: Mapped[str | None] = mapped_column(String(19))
    published_latest: Mapped[str | None] = mapped_column(String(19))
    kind: Mapped[str] = mapped_column(String(40), default="article")
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    reliability_reason: Mapped[str | None] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # the name a source can be referred to by, and where it was read from (for `check`)
    file_name: Mapped[str | None] = mapped_column(String(500), unique=True)
    file_path: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    parent: Mapped[Source | None] = relationship(remote_side="Source.id", back_populates="sections")
    sections: Mapped[list[Source]] = relationship(
        back_populates="parent", order_by="Source.span_start"
    )
    footnotes: Mapped[list[Footnote]] = relationship(
        back_populates="source", order_by="Footnote.number", cascade="all, delete-orphan"
    )
    copy: Mapped[SourceCopy | None] = relationship(
        foreign_keys="SourceCopy.source_id", back_populates="source", viewonly=True
    )

    @hybrid_property
    def document_id(self) -> int:
        """The document this source is: its original's id when it is a copy, else its own."""
        copy = self.copy
        if copy is not None and copy.status != "rejected":
            return copy.original_id
        return self.id

    @document_id.inplace.expression
    @classmethod
    def _document_id_expression(cls) -> ColumnElement[int]:
        original = (
            select(SourceCopy.original_id)
            .where(SourceCopy.source_id == cls.id, SourceCopy.status != "rejected")
            .scalar_subquery()
        )
        return func.coalesce(original, cls.id)


class SourceCopy(Base):
    """That a document is a copy of an earlier one, with the similarity that found it."""

    __tablename__ = "source_copies"
    __table_args__ = (
        CheckConstraint(_in("status", COPY_STATUSES), name="status"),
        CheckConstraint("source_id <> original_id", name="not_itself"),
    )

    id: Mapped[intpk]
    # one row per copy: confirming or undoing updates it, and history keeps the rest
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), unique=True)
    original_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    # 1.0 for identical text (same SHA-256); else the estimated Jaccard similarity of
    # the two texts' word shingles; None when the desk named the copy without a measure
    similarity: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    source: Mapped[Source] = relationship(foreign_keys=[source_id], back_populates="copy")
    original: Mapped[Source] = relationship(foreign_keys=[original_id])


class Work(Base):
    """A cited work behind footnotes; a collection is a work that other works belong to."""

    __tablename__ = "works"

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    key: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(Text)
    citation: Mapped[str | None] = mapped_column(Text)
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("works.id"), index=True)
    created_at: Mapped[created_at]

    collection: Mapped[Work | None] = relationship(remote_side="Work.id")


class Footnote(Base):
    """A numbered note of a source, resolved to the work(s) it cites."""

    __tablename__ = "footnotes"
    __table_args__ = (
        UniqueConstraint("source_id", "number"),
        CheckConstraint(_in("resolution", FOOTNOTE_RESOLUTIONS), name="resolution"),
    )

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[offset]
    end: Mapped[offset]
    resolution: Mapped[str] = mapped_column(String(20))
    # numbers of the notes holding the full citation, for Ibid. and short forms
    resolves_to: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unresolved_parts: Mapped[list[Any]] = mapped_column(JSON, default=list)

    source: Mapped[Source] = relationship(back_populates="footnotes")
    markers: Mapped[list[FootnoteMarker]] = relationship(
        back_populates="footnote", order_by="FootnoteMarker.start", cascade="all, delete-orphan"
    )
    works: Mapped[list[FootnoteWork]] = relationship(
        back_populates="footnote", order_by="FootnoteWork.position", cascade="all, delete-orphan"
    )


class FootnoteMarker(Base):
    """Where in the body a note is pointed to (``… per month.12``)."""

    __tablename__ = "footnote_markers"

    id: Mapped[intpk]
    footnote_id: Mapped[int] = mapped_column(ForeignKey("footnotes.id"), index=True)
    start: Mapped[offset]
    end: Mapped[offset]

    footnote: Mapped[Footnote] = relationship(back_populates="markers")


class FootnoteWork(Base):
    """One work cited by one footnote, with the page or section it points to."""

    __tablename__ = "footnote_works"
    __table_args__ = (UniqueConstraint("footnote_id", "position"),)

    id: Mapped[intpk]
    footnote_id: Mapped[int] = mapped_column(ForeignKey("footnotes.id"), index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    locator: Mapped[str | None] = mapped_column(String(200))
    # how this note reads the work: the shared ``works`` row is described from these,
    # public notes first, so a confidential note never rewrites what public ones say
    title: Mapped[str | None] = mapped_column(Text)
    citation: Mapped[str | None] = mapped_column(Text)
    collection: Mapped[str | None] = mapped_column(Text)

    footnote: Mapped[Footnote] = relationship(back_populates="works")
    work: Mapped[Work] = relationship()


class Entity(Base):
    """A person, organisation, place, event or alliance."""

    __tablename__ = "entities"
    __table_args__ = (CheckConstraint(_in("kind", ENTITY_KINDS), name="kind"),)

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    name: Mapped[name_str]
    kind: Mapped[str] = mapped_column(String(40), default="other")
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]

    aliases: Mapped[list[Alias]] = relationship(back_populates="entity", order_by="Alias.id")


class Alias(Base):
    """A name of an entity; the canonical name is an alias too, so lookup is one query."""

    __tablename__ = "aliases"

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    name: Mapped[name_str]
    normalised: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[created_at]

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class DistinctName(Base):
    """Two names the desk has said are different entities (``alias distinct``), each by its
    normalised form, the smaller one first: never suggested as aliases of one another, and
    a new name is never refused as close to the other."""

    __tablename__ = "distinct_names"
    __table_args__ = (
        UniqueConstraint("normalised", "other_normalised"),
        CheckConstraint("normalised < other_normalised", name="ordered"),
    )

    id: Mapped[intpk]
    name: Mapped[name_str]
    normalised: Mapped[str] = mapped_column(String(500))
    other_name: Mapped[name_str]
    other_normalised: Mapped[str] = mapped_column(String(500), index=True)
    created_at: Mapped[created_at]


class Property(Base):
    """A named kind of fact: datatype, cardinality, unit, tolerance, time-varying."""

    __tablename__ = "properties"
    __table_args__ = (CheckConstraint(_in("datatype", DATATYPES), name="datatype"),)

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    datatype: Mapped[str] = mapped_column(String(20))
    multi: Mapped[bool] = mapped_column(Boolean, default=False)
    time_varying: Mapped[bool] = mapped_column(Boolean, default=False)
    unit: Mapped[str | None] = mapped_column(String(50))
    tolerance: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]


class Claim(Base):
    """(subject, property, value, scope). Sources stating the same thing share one claim."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("subject_id", "property_id", "value_key", "scope_key"),
        CheckConstraint(_in("rank", RANKS), name="rank"),
        # not covered by the unique index for conflict detection: only this one lets
        # SQLite search a claim's group as (subject_id, property_id, id > ?)
        Index("ix_claims_subject_property", "subject_id", "property_id"),
        # the newest change that inserted a claim, at once (stored_trust.evidence_key)
        Index("ix_claims_change_id", "change_id"),
    )

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    value: Mapped[str] = mapped_column(Text)
    value_key: Mapped[str] = mapped_column(String(500))
    quantity_low: Mapped[float | None] = mapped_column(Float)
    quantity_high: Mapped[float | None] = mapped_column(Float)
    quantity_low_exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    quantity_high_exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    # the value was written as approximate (~2000, about, hundreds): its interval is
    # widened by the property's tolerance, and computed again when that changes
    quantity_approximate: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sql_false()
    )
    unit: Mapped[str | None] = mapped_column(String(50))
    date_earliest: Mapped[str | None] = mapped_column(String(19))
    date_latest: Mapped[str | None] = mapped_column(String(19))
    entity_value_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    text_value: Mapped[str | None] = mapped_column(Text)
    boolean_value: Mapped[bool | None] = mapped_column(Boolean)
    as_of: Mapped[str | None] = mapped_column(String(100))  # EDTF
    valid_from: Mapped[str | None] = mapped_column(String(100))  # EDTF
    valid_to: Mapped[str | None] = mapped_column(String(100))  # EDTF
    # the validity interval from as_of/valid_from/valid_to, for overlap tests in SQL
    scope_earliest: Mapped[str | None] = mapped_column(String(19))
    scope_latest: Mapped[str | None] = mapped_column(String(19))
    scope_key: Mapped[str] = mapped_column(String(1000), default="")
    rank: Mapped[str] = mapped_column(String(20), default="normal")
    rank_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[actor_str]
    created_at: Mapped[created_at]

    subject: Mapped[Entity] = relationship(foreign_keys=[subject_id])
    property: Mapped[Property] = relationship()
    entity_value: Mapped[Entity | None] = relationship(foreign_keys=[entity_value_id])
    qualifiers: Mapped[list[ClaimQualifier]] = relationship(
        back_populates="claim", order_by="ClaimQualifier.key"
    )
    citations: Mapped[list[Citation]] = relationship(back_populates="claim", order_by="Citation.id")


class ClaimQualifier(Base):
    """A free key=value scope of a claim (``election=2018 Iraqi parliamentary election``)."""

    __tablename__ = "claim_qualifiers"
    # the unique index on (claim_id, key) serves lookups by claim: no index of its own
    __table_args__ = (UniqueConstraint("claim_id", "key"),)

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(Text)
    # compared for scope overlap: the entity id when the value names an entity, else normalised text
    normalised: Mapped[str] = mapped_column(String(1000))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)

    claim: Mapped[Claim] = relationship(back_populates="qualifiers")


class Citation(Base):
    """The evidence that one source makes one claim."""

    __tablename__ = "citations"
    __table_args__ = (
        UniqueConstraint("claim_id", "fingerprint"),
        CheckConstraint(_in("stance", STANCES), name="stance"),
        CheckConstraint(_in("confidence", CONFIDENCES), name="confidence"),
        # the claims some citation denies, for conflict detection (migration 0011)
        Index("ix_citations_denied_claim", "claim_id", info={"where": "stance = 'denies'"}),
        Index("ix_citations_change_id", "change_id"),
    )

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    # the unique index on (claim_id, fingerprint) serves lookups by claim
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    footnote_id: Mapped[int | None] = mapped_column(ForeignKey("footnotes.id"), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None] = mapped_column(Integer)
    quote_end: Mapped[int | None] = mapped_column(Integer)
    prefix: Mapped[str | None] = mapped_column(Text)
    suffix: Mapped[str | None] = mapped_column(Text)
    orphaned: Mapped[bool] = mapped_column(Boolean, default=False)
    attributed_to_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    stance: Mapped[str] = mapped_column(String(10), default="asserts")
    confidence: Mapped[str] = mapped_column(String(10), default="medium")
    note: Mapped[str | None] = mapped_column(Text)
    # source, quote span, speaker and stance: re-importing the same citation adds nothing
    fingerprint: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[actor_str]
    created_at: Mapped[created_at]
    # a quote typed with "…" between passages: each part's [start, end] in the text
    quote_parts: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    # a retracted citation is kept, shown struck, and is no evidence anywhere (``live``)
    retracted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    retracted_by: Mapped[str | None] = mapped_column(String(200))
    retraction_reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="citations")
    source: Mapped[Source] = relationship()
    footnote: Mapped[Footnote | None] = relationship()
    attributed_to: Mapped[Entity | None] = relationship()

    @hybrid_property
    def live(self) -> bool:
        """Whether the citation is evidence: not retracted. The one test of "a live
        citation", in Python and (as ``Citation.live``) in SQL; ``Citation.live_sql``
        is the same test for hand-written SQL."""
        return self.retracted_at is None

    @live.inplace.expression
    @classmethod
    def _live_expression(cls) -> ColumnElement[bool]:
        return cls.retracted_at.is_(None)

    @staticmethod
    def live_sql(alias: str) -> str:
        """``Citation.live`` for hand-written SQL on the citations table as ``alias``."""
        return f"{alias}.retracted_at IS NULL"


class Conflict(Base):
    """One question: a subject and property, in overlapping scope, on which backed claims
    cannot all be true. Its competing answers are rows of ``conflict_answers``; a question
    with 40 answers is one row here, not one per pair of them.

    A question is identified across re-detection by its answers: the next detection gives
    a group of contradicting answers the id of the stored question that shares claims with
    it, so a verdict survives. ``answer_claim_id``/``answer_stance`` name the answer the
    desk accepted (``resolve --answer``); it leads.
    """

    __tablename__ = "conflicts"
    __table_args__ = (
        Index("ix_conflicts_subject_property", "subject_id", "property_id"),
        CheckConstraint(_in("status", CONFLICT_STATUSES), name="status"),
        CheckConstraint(_in("kind", CONFLICT_KINDS), name="kind"),
        CheckConstraint(
            "answer_stance IS NULL OR " + _in("answer_stance", STANCES), name="answer_stance"
        ),
    )

    id: Mapped[intpk]
    change_id: Mapped[change_ref]
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    status_by: Mapped[str | None] = mapped_column(String(200))
    status_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the answer the desk accepted: a claim, asserted (or, for a denial, denied)
    answer_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    answer_stance: Mapped[str | None] = mapped_column(String(10))
    # the leading answer the last listing found (stance "none" on a tie): a run that
    # finds another one says so (leading.remember); a memory of a computed value, so
    # no foreign key (migration 0009)
    leading_claim_id: Mapped[int | None] = mapped_column(Integer)
    leading_stance: Mapped[str | None] = mapped_column(String(10))
    # false once re-detection no longer finds it (a claim deprecated or corrected)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    first_detected_at: Mapped[created_at]
    last_detected_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    answers: Mapped[list[ConflictAnswer]] = relationship(
        back_populates="conflict", order_by="ConflictAnswer.id"
    )


class ConflictAnswer(Base):
    """One competing answer of a question: a claim as some sources assert it, or as some
    deny it (``stance``). Which answers contradict which is worked out when listed."""

    __tablename__ = "conflict_answers"
    __table_args__ = (
        UniqueConstraint("conflict_id", "claim_id", "stance"),
        CheckConstraint(_in("stance", STANCES), name="stance"),
    )

    id: Mapped[intpk]
    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    stance: Mapped[str] = mapped_column(String(10), default="asserts")
    # the answers of the same question this one contradicts: [[claim id, stance], …]
    contradicts: Mapped[list[Any] | None] = mapped_column(JSON)

    conflict: Mapped[Conflict] = relationship(back_populates="answers")


class Change(Base):
    """One command that wrote: who ran it, when, with which arguments (and file)."""

    __tablename__ = "changes"

    id: Mapped[intpk]
    actor: Mapped[actor_str]
    at: Mapped[created_at]
    # the command as typed after the program name (`import`, `claim prefer`); empty for
    # changes converted from the history kept before changesets
    command: Mapped[str | None] = mapped_column(String(100))
    arguments: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    file_name: Mapped[str | None] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(String(64))


class History(Base):
    """What a change did to one row that already existed: an update (old → new), a rank or
    status change, a delete. Inserts are not here: the row's ``change_id`` says them."""

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_table_row", "table_name", "row_id"),
        CheckConstraint("action IN ('insert', 'update', 'delete')", name="action"),
    )

    id: Mapped[intpk]
    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------- the stored trust result
#
# What the trust model learned (trust.compute_trust), kept until its evidence changes
# (stored_trust.py, migration 0015): one result on all evidence (``evidence`` "all": the
# desk's conflicts, trust and ClaimReview) and one on public evidence only ("public":
# what `publish` shows). Derived rows, rewritten whole: no change_id, no history, no
# foreign keys (a claim's rows go with the next computation, not with the claim).

EVIDENCE_SCOPES = ("all", "public")
evidence_str = Annotated[str, mapped_column(String(10))]


class LearnedTrust(Base):
    """Which evidence a stored result was computed from: the key of its freshness."""

    __tablename__ = "learned_trust"
    __table_args__ = (CheckConstraint(_in("evidence", EVIDENCE_SCOPES), name="evidence"),)

    evidence: Mapped[str] = mapped_column(String(10), primary_key=True)
    # the newest change that touched the model's evidence when it was computed
    evidence_change_id: Mapped[int] = mapped_column(Integer)
    # the model's settings (trust.py's constants) it was computed with
    model: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[created_at]
    rounds: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)
    # CPU seconds the computation took (process time of the command that made it)
    cpu_seconds: Mapped[float] = mapped_column(Float)


class LearnedSource(Base):
    """One source's learned trust and track record, over all properties."""

    __tablename__ = "learned_sources"
    __table_args__ = (
        Index("ix_learned_sources_evidence", "evidence", "document_id", "attributed_to_id"),
    )

    id: Mapped[intpk]
    evidence: Mapped[evidence_str]
    position: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(Integer)
    # 0 for the document's own voice
    attributed_to_id: Mapped[int] = mapped_column(Integer)
    slug: Mapped[name_str]
    attributed_to: Mapped[str | None] = mapped_column(String(500))
    grade: Mapped[str] = mapped_column(String(1))
    prior: Mapped[float] = mapped_column(Float)
    trust: Mapped[float] = mapped_column(Float)
    answers: Mapped[int] = mapped_column(Integer)
    agreements: Mapped[int] = mapped_column(Integer)
    disagreements: Mapped[int] = mapped_column(Integer)
    verdicts: Mapped[int] = mapped_column(Integer)
    verdicts_upheld: Mapped[int] = mapped_column(Integer)
    # the copy group the source votes with (None: it votes alone), and its members' names
    vote_unit: Mapped[int | None] = mapped_column(Integer)
    copy_group: Mapped[list[Any]] = mapped_column(JSON)


class LearnedSourceProperty(Base):
    """A source's learned trust and track record on one property."""

    __tablename__ = "learned_source_properties"
    __table_args__ = (
        Index(
            "ix_learned_source_properties_evidence",
            "evidence",
            "document_id",
            "attributed_to_id",
            "property_id",
        ),
    )

    id: Mapped[intpk]
    evidence: Mapped[evidence_str]
    document_id: Mapped[int] = mapped_column(Integer)
    attributed_to_id: Mapped[int] = mapped_column(Integer)
    property_id: Mapped[int] = mapped_column(Integer)
    trust: Mapped[float] = mapped_column(Float)
    answers: Mapped[int] = mapped_column(Integer)
    agreements: Mapped[int] = mapped_column(Integer)
    disagreements: Mapped[int] = mapped_column(Integer)
    verdicts: Mapped[int] = mapped_column(Integer)
    verdicts_upheld: Mapped[int] = mapped_column(Integer)


class LearnedAnswer(Base):
    """An answer (an asserting claim) of an item of the model: score, probability within
    its item, whether it leads the item and by what margin, whether the desk accepted it."""

    __tablename__ = "learned_answers"

    evidence: Mapped[str] = mapped_column(String(10), primary_key=True)
    claim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    probability: Mapped[float] = mapped_column(Float)
    leads: Mapped[bool] = mapped_column(Boolean)
    margin: Mapped[float | None] = mapped_column(Float)
    known: Mapped[bool] = mapped_column(Boolean)


class LearnedCompatible(Base):
    """Two answers of one item that can both be true ("2007" and "March 2007")."""

    __tablename__ = "learned_compatible"

    evidence: Mapped[str] = mapped_column(String(10), primary_key=True)
    claim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    other_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class LearnedDependence(Base):
    """Two sources (document and speaker each) that soft copy detection holds likely
    copies of one another, with the probability (migration 0020); both ways."""

    __tablename__ = "learned_dependence"

    evidence: Mapped[str] = mapped_column(String(10), primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attributed_to_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    other_document_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    other_attributed_to_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    probability: Mapped[float] = mapped_column(Float)


class LastDetection(Base):
    """What the last conflict detection saw (detection_key.py, migration 0017): the key of
    the evidence it read; ``conflicts`` detects again only when the key is no longer it.
    One row, derived: no change_id, no history."""

    __tablename__ = "last_detection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # the newest change that touched the evidence detection reads, and how many changes
    # up to it were committed (a change committed late under a lower id changes the count)
    evidence_change_id: Mapped[int] = mapped_column(Integer)
    changes_seen: Mapped[int] = mapped_column(Integer)
    # the detection rules and schema revision it ran with
    rules: Mapped[str] = mapped_column(String(64))
    # when a detection first ran on this key
    detected_at: Mapped[created_at]
