"""``provenance check``: is the record still what it claims to be?

Each problem is one line naming what is wrong and where. Checked: the files sources
were ingested from (still the same bytes?), each stored text against its SHA-256, each
comment section against its span of the article, every footnote marker at its offsets,
every quote at its offsets (orphaned quotes are listed, and quotes of an article that
lie in one of its reader comments, which happens when a `comments:` entry is added to
the manifest after the citation), foreign keys and, on SQLite, the file's own integrity.

**Public rows resting on confidential evidence.** A cited work is one row shared by
every note that cites it, public or confidential. A work that a public note cites is
published, so its title, citation and collection must each be found in a public note
citing it (compared as work keys: case, accents, punctuation and spacing aside);
otherwise it is described by confidential notes only — as a database written before
migration 0003 may be — and ``check`` names it. Re-ingesting the public document
re-reads its notes and describes the work from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from .ingest import sha256_bytes, sha256_text
from .models import Citation, Footnote, FootnoteWork, Source, Work
from .note_citations import work_key
from .quotes import citation_in_place, comment_of_span
from .sources import confidential_source_ids


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(session: Session) -> CheckReport:
    report = CheckReport()
    sources = session.scalars(
        select(Source)
        .options(selectinload(Source.footnotes).selectinload(Footnote.markers))
        .order_by(Source.id)
    ).all()
    by_id = {s.id: s for s in sources}
    for source in sources:
        _check_source(source, by_id, report)
    report.counts["sources"] = len(sources)
    report.counts["footnotes"] = sum(len(s.footnotes) for s in sources)

    citations = session.scalars(select(Citation).order_by(Citation.id)).all()
    for citation in citations:
        cited = by_id.get(citation.source_id)
        if citation.quote is None or cited is None:
            continue
        if citation.orphaned:
            report.problems.append(
                f"citation {citation.id} (claim {citation.claim_id}): quote"
                f" {_short(citation.quote)!r} is orphaned in {cited.slug!r}"
            )
        elif (comment := comment_of_span(cited, citation)) is not None:
            by = f" by {', '.join(comment.authors)}" if comment.authors else ""
            report.problems.append(
                f"citation {citation.id} (claim {citation.claim_id}): quote"
                f" {_short(citation.quote)!r} of {cited.slug!r} lies in reader comment"
                f" {comment.slug!r}{by}, not the article's own words: cite the comment"
                f" (`provenance citation edit {citation.id} --source {comment.slug}"
                " --reason ...`)"
            )
        elif not citation_in_place(cited, citation):
            report.problems.append(
                f"citation {citation.id} (claim {citation.claim_id}): quote"
                f" {_short(citation.quote)!r} is no longer at"
                f" {citation.quote_start}-{citation.quote_end} of {cited.slug!r}"
            )
    report.counts["citations"] = len(citations)
    report.counts["works"] = _check_public_works(session, report)
    _check_database(session, report)
    return report


def _check_public_works(session: Session, report: CheckReport) -> int:
    """Name each work public notes cite that no public note describes; return how many."""
    hidden = confidential_source_ids(session)
    public_notes: dict[int, list[tuple[str, int, str]]] = {}
    for work_id, source_id, slug, number, note_text in session.execute(
        select(
            FootnoteWork.work_id, Footnote.source_id, Source.slug, Footnote.number, Footnote.text
        )
        .join(Footnote, Footnote.id == FootnoteWork.footnote_id)
        .join(Source, Source.id == Footnote.source_id)
        .order_by(FootnoteWork.id)
    ):
        if source_id not in hidden:
            public_notes.setdefault(work_id, []).append((slug, number, work_key(note_text)))
    ids = sorted(public_notes)
    for start in range(0, len(ids), 900):
        works = session.scalars(
            select(Work)
            .options(selectinload(Work.collection))
            .where(Work.id.in_(ids[start : start + 900]))
            .order_by(Work.id)
        )
        for work in works:
            notes = public_notes[work.id]
            described = [
                ("title", work.title),
                ("citation", work.citation),
                ("collection", work.collection.title if work.collection else None),
            ]
            for what, value in described:
                if value and not any(work_key(value) in note for _slug, _n, note in notes):
                    slug, number, _note = notes[0]
                    report.problems.append(
                        f"work {work.id} ({_short(work.title)!r}), cited by public footnote "
                        f"{number} of {slug!r}: its {what} {_short(value)!r} is in no public "
                        "note, so it rests on confidential evidence "
                        f"(re-ingest {slug!r} to describe it from its notes)"
                    )
    return len(ids)


def _check_source(source: Source, by_id: dict[int, Source], report: CheckReport) -> None:
    name = source.file_name or source.slug
    if source.text is not None and source.sha256 and sha256_text(source.text) != source.sha256:
        report.problems.append(
            f"source {source.slug!r}: stored text does not match its sha256 {source.sha256[:12]}…"
        )
    if source.file_path:
        path = Path(source.file_path)
        if not path.exists():
            report.notices.append(
                f"source {source.slug!r}: file {str(path)!r} not found; the stored text was checked"
            )
        elif sha256_bytes(path.read_bytes()) != source.sha256:
            report.problems.append(
                f"source {source.slug!r}: file {str(path)!r} has changed since it was ingested "
                f"(re-ingest it with `provenance ingest {name}`)"
            )
    if source.parent_id is not None:
        parent = by_id.get(source.parent_id)
        if (
            parent is None
            or parent.text is None
            or parent.text[source.span_start : source.span_end] != source.text
        ):
            report.problems.append(
                f"source {source.slug!r}: its text is no longer at"
                f" {source.span_start}-{source.span_end} of its parent"
            )
    text = source.text or ""
    for note in source.footnotes:
        for marker in note.markers:
            if text[marker.start : marker.end] != str(note.number):
                report.problems.append(
                    f"source {source.slug!r}: marker of footnote {note.number} not at"
                    f" {marker.start}-{marker.end}"
                )


def _check_database(session: Session, report: CheckReport) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL enforces foreign keys on every write
    for row in session.execute(text("PRAGMA foreign_key_check")).all():
        report.problems.append(
            f"foreign key: row {row[1]} of table {row[0]!r} points to a missing row of {row[2]!r}"
        )
    result = session.execute(text("PRAGMA integrity_check")).scalar()
    if result != "ok":
        report.problems.append(f"database integrity: {result}")


def _short(quote: str, width: int = 50) -> str:
    return quote if len(quote) <= width else quote[: width - 1] + "…"
