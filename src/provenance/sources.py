"""Sources as rows: finding one (by id, slug or file name), the checks of a source's
metadata (a manifest entry, ``source add``, ``source edit``, an import section), a
source with no text of ours, a source edited, which sources are confidential (and every
source inside one), the shared works their notes cite described from public notes
first, and the listings of sources and footnotes.

Neighbours: ``manifest`` reads the manifest's entries; ``ingest`` reads documents into
these rows (text, hashes, comment sections, footnotes stored); ``footnotes`` parses
notes; ``copies`` records a document that copies another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import history, suggest
from .errors import InvalidValue, NotFound, ProvenanceError
from .inputs import MAX_ID, as_id, check_length, first_bad_field
from .lazy import lazy_module
from .models import (
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    Citation,
    Footnote,
    FootnoteWork,
    Source,
    SourceCopy,
    Work,
    utcnow,
)
from .values import date_bounds

if TYPE_CHECKING:
    from . import note_citations
else:  # ingest's own: a lookup of a source (every claims listing) does without it
    note_citations = lazy_module("provenance.note_citations")


def source_fields(entry: dict[str, Any], *, where: str) -> dict[str, Any]:
    """Validate the metadata of a source (manifest entry, ``source add``, import section)."""
    bad = first_bad_field(entry)
    if bad is not None:
        raise InvalidValue(f"{where}: {bad[1]}")
    fields: dict[str, Any] = {}
    if "slug" in entry and entry["slug"] is not None:
        fields["slug"] = str(entry["slug"])
        check_length(fields["slug"], Source.slug, f"{where}: slug")
    if entry.get("title") is not None:
        fields["title"] = str(entry["title"])
    authors = entry.get("authors")
    if authors is not None:
        if isinstance(authors, str):
            authors = [authors]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise InvalidValue(f"{where}: authors {authors!r}: expected a list of names")
        fields["authors"] = authors
    for key in ("publisher", "url", "note", "reliability_reason"):
        if entry.get(key) is not None:
            fields[key] = str(entry[key])
    if "publisher" in fields:
        check_length(fields["publisher"], Source.publisher, f"{where}: publisher")
    if entry.get("published") is not None:
        published = str(entry["published"])
        try:
            earliest, latest = date_bounds(published)
        except ProvenanceError:
            raise InvalidValue(
                f"{where}: published {published!r} is not an EDTF date: expected e.g. 2018-11-30,"
                " 2021-03~, 2018-09-01/2018-09-10"
            ) from None
        fields.update(published=published, published_earliest=earliest, published_latest=latest)
    if entry.get("kind") is not None:
        kind = str(entry["kind"])
        if kind not in SOURCE_KINDS:
            raise InvalidValue(f"{where}: kind {kind!r}: expected one of {', '.join(SOURCE_KINDS)}")
        fields["kind"] = kind
    if entry.get("reliability") is not None:
        grade = str(entry["reliability"]).upper()
        if grade not in RELIABILITY_GRADES:
            raise InvalidValue(
                f"{where}: reliability {entry['reliability']!r}: expected one of A, B, C, D, E, F"
            )
        fields["reliability"] = grade
    if entry.get("confidential") is not None:
        value = entry["confidential"]
        if not isinstance(value, bool):
            raise InvalidValue(f"{where}: confidential {value!r}: expected true or false")
        fields["confidential"] = value
    return fields


# ---------------------------------------------------------------- lookup


def find_source(session: Session, ref: str | int) -> Source:
    """A source by id, slug, or the file name (or path) it was ingested from."""
    text = str(ref).strip()
    source = None
    number = as_id(text)
    if number is not None:
        source = session.get(Source, number)
    if source is None:
        source = session.scalar(select(Source).where(Source.slug == text))
    if source is None:
        source = session.scalar(select(Source).where(Source.file_name == Path(text).name))
    if source is None:
        names = [
            name
            for row in session.execute(select(Source.slug, Source.file_name))
            for name in row
            if name
        ]
        raise NotFound(
            f"unknown source {text!r}: expected an id (1 to {MAX_ID}), slug or file name; "
            + suggest.hint(text, names, "provenance sources")
        )
    return source


# ---------------------------------------------------------------- confidentiality and works


def confidential_source_ids(session: Session) -> set[int]:
    """Confidential sources and every source inside one (a comment of a confidential article)."""
    rows = session.execute(select(Source.id, Source.parent_id, Source.confidential)).all()
    parent = {r.id: r.parent_id for r in rows}
    marked = {r.id for r in rows if r.confidential}
    hidden = set()
    for source_id in parent:
        seen, node = set(), source_id
        while node is not None and node not in seen:
            if node in marked:
                hidden.add(source_id)
                break
            seen.add(node)
            node = parent.get(node)
    return hidden


def describe_works(session: Session, work_ids: Iterable[int]) -> None:
    """Describe each shared work row from the notes that cite it, public notes first.

    A work is one row for every note, in every source, that cites it. Its title and
    citation are the first public note's reading (by when the note was stored), its
    collection the first collection a public note names for it; only a work that no
    public note cites is described by confidential notes. So a confidential note never
    rewrites what public articles show of a work they cite, in whatever order the
    documents were ingested, and a work stops showing a confidential reading as soon as
    a public note cites it. A work no note cites any more keeps its last description.
    """
    ids = sorted(set(work_ids))
    if not ids:
        return
    hidden = confidential_source_ids(session)
    readings: dict[int, list[Any]] = defaultdict(list)
    for start in range(0, len(ids), 900):
        for row in session.execute(
            select(
                FootnoteWork.work_id,
                FootnoteWork.title,
                FootnoteWork.citation,
                FootnoteWork.collection,
                Footnote.source_id,
            )
            .join(Footnote, Footnote.id == FootnoteWork.footnote_id)
            .where(FootnoteWork.work_id.in_(ids[start : start + 900]))
            .order_by(FootnoteWork.id)
        ):
            readings[row.work_id].append(row)
    for work_id in ids:
        rows = readings.get(work_id)
        work = session.get(Work, work_id)
        if not rows or work is None:
            continue
        public = [r for r in rows if r.source_id not in hidden]
        pool = public or rows
        first = pool[0]
        if first.title:
            work.title = first.title
        work.citation = first.citation
        named: str | None = next((r.collection for r in pool if r.collection), None)
        collection = _collection(session, named) if named else None
        if collection is not None and named and public and collection.title != named:
            collection.title = named
        work.collection = collection if collection is not work else None
    session.flush()


def _collection(session: Session, name: str) -> Work:
    key = note_citations.work_key(name)
    collection = session.scalar(select(Work).where(Work.key == key))
    if collection is None:
        collection = Work(key=key, title=name, citation=None)
        session.add(collection)
        session.flush()
    return collection


# ---------------------------------------------------------------- add and edit


# what `source edit` can change
EDITABLE_FIELDS = (
    "title",
    "authors",
    "publisher",
    "url",
    "published",
    "kind",
    "reliability",
    "confidential",
)


def _field_changes(source: Source, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that would change, as {field: [old, new]}."""
    return {k: [getattr(source, k), v] for k, v in fields.items() if getattr(source, k) != v}


def add_textless_source(
    session: Session, fields: dict[str, Any], actor: str
) -> tuple[Source, bool]:
    """A source with no text of ours (a website, a dataset, a person); refreshed if it exists."""
    slug = fields["slug"]
    source = session.scalar(select(Source).where(Source.slug == slug))
    if source is None:
        source = Source(**{"title": slug, "kind": "website", **fields})
        session.add(source)
        session.flush()
        history.inserted(session, "sources", source.id, actor)
        return source, True
    if source.text is not None:
        raise InvalidValue(
            f"slug {slug!r} is an ingested document: expected a new slug for a source with no text"
        )
    changes = _field_changes(source, fields)
    if changes:
        for key, value in fields.items():
            setattr(source, key, value)
        history.changed(
            session,
            "sources",
            source.id,
            "update",
            changes,
            f"source {slug!r} updated",
            actor=actor,
        )
    return source, False


def edit_source(
    session: Session, source: Source, edits: dict[str, Any], actor: str, reason: str
) -> dict[str, list[Any]]:
    """Change a source's metadata, validated as the manifest's; history keeps the old
    values, the actor and the reason. Making a source confidential or public describes the
    works its notes cite again (``describe_works``), as ingesting does. Returns the changes."""
    unknown = sorted(set(edits) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidValue(
            f"cannot edit {unknown[0]!r}: expected one of {', '.join(EDITABLE_FIELDS)}"
        )
    fields = source_fields(edits, where=f"source {source.slug!r}")
    changes = _field_changes(source, fields)
    if not changes:
        raise InvalidValue(f"source {source.slug!r} already reads so: nothing to change")
    for key in changes:
        setattr(source, key, fields[key])
    source.updated_at = utcnow()
    shown = {k: v for k, v in changes.items() if not k.startswith("published_")}
    history.record(
        session,
        "sources",
        source.id,
        "update",
        actor,
        {**shown, "reason": reason},
        f"source {source.slug!r} edited ({', '.join(shown)}): {reason}",
    )
    session.flush()
    if "confidential" in changes:
        describe_works(session, source_work_ids(session, source))
    return shown


def source_work_ids(session: Session, source: Source) -> set[int]:
    """The works cited by the notes of ``source`` and of the sections inside it."""
    ids = {source.id, *(s.id for s in source.sections)}
    return set(
        session.scalars(
            select(FootnoteWork.work_id)
            .join(Footnote, Footnote.id == FootnoteWork.footnote_id)
            .where(Footnote.source_id.in_(ids))
        )
    )


# ---------------------------------------------------------------- listings


def list_sources(session: Session) -> list[dict[str, Any]]:
    footnote_counts = dict(
        session.execute(select(Footnote.source_id, func.count()).group_by(Footnote.source_id)).all()
    )
    citation_counts = dict(
        session.execute(select(Citation.source_id, func.count()).group_by(Citation.source_id)).all()
    )
    copies = {
        c.source_id: c
        for c in session.scalars(select(SourceCopy).where(SourceCopy.status != "rejected"))
    }
    slugs = dict(session.execute(select(Source.id, Source.slug)).all()) if copies else {}
    rows = []
    for source in session.scalars(select(Source).order_by(Source.id)):
        copy = copies.get(source.id)
        rows.append(
            {
                "id": source.id,
                "slug": source.slug,
                "title": source.title,
                "authors": source.authors or [],
                "publisher": source.publisher,
                "url": source.url,
                "published": source.published,
                "kind": source.kind,
                "reliability": source.reliability,
                "reliability_reason": source.reliability_reason,
                "confidential": bool(source.confidential),
                "file_name": source.file_name,
                "parent": source.parent.slug if source.parent else None,
                "sha256": source.sha256,
                "characters": len(source.text) if source.text is not None else None,
                "footnotes": footnote_counts.get(source.id, 0),
                "citations": citation_counts.get(source.id, 0),
                # a copy of another document (copies.py): its original, how alike, who said so
                "copy_of": slugs[copy.original_id] if copy else None,
                "copy_similarity": copy.similarity if copy else None,
                "copy_status": copy.status if copy else None,
            }
        )
    return rows


def list_footnotes(
    session: Session, source: Source, *, unresolved_only: bool = False
) -> list[dict[str, Any]]:
    rows = []
    for note in source.footnotes:
        if unresolved_only and note.resolution not in ("unresolved",) and not note.unresolved_parts:
            continue
        rows.append(
            {
                "number": note.number,
                "text": note.text,
                "resolution": note.resolution,
                "resolves_to": list(note.resolves_to or []),
                "markers": [{"start": m.start, "end": m.end} for m in note.markers],
                # as this note reads the work, not as other sources' notes describe it
                "works": [
                    {
                        "key": fw.work.key,
                        "title": fw.title or fw.work.title,
                        "collection": fw.collection,
                        "locator": fw.locator,
                    }
                    for fw in note.works
                ],
                "unresolved_parts": list(note.unresolved_parts or []),
            }
        )
    return rows
