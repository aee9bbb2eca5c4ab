"""Ingesting documents: a file's text and SHA-256, its source row added or refreshed from
its manifest entry, its reader comments split into sources of their own, its footnotes
parsed and stored, and its citations re-anchored when the text changes.

Decisions a fact-checking desk relies on:

* A file is identified by its name. Re-ingesting an unchanged file changes nothing (no
  history row either); a changed text is stored, reported, its footnotes re-derived,
  and every citation of it re-anchored or marked orphaned (never silently moved).
* A file that is not in the manifest is ingested with a slug from its name, its first
  line as title, kind ``article`` and reliability ``F`` (cannot be judged).
* Reader comments under an article (the manifest's ``comments:`` key) become sources of
  their own, kind ``comment``, the commenter as author, so a commenter's words are
  never cited as the article's.
* Confidential is kept: a comment is confidential when its article is, when the
  manifest's ``comments: confidential:`` says so (``true`` for every comment, or a list
  of comment numbers, the ``NN`` of ``SLUG-comment-NN``), or when it already was. No
  ingest makes a confidential source public, whatever the manifest says (``confidential:
  false`` then keeps it confidential and ``ingest`` says so): making a source public is
  a deliberate act of its own, never a side effect of refreshing a file.

Neighbours: ``manifest`` reads the entries; ``sources`` holds the source rows (lookup,
``source add``/``edit``, confidentiality, the works their notes cite); ``footnotes``
parses a text's notes; ``quotes`` anchors a citation's quote; ``copies`` finds a
document that copies another.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import copies, history
from . import footnotes as footnote_parser
from .copies import CopyMatch
from .errors import InvalidValue, NotFound, ProvenanceError
from .history import diff
from .manifest import SOURCE_FIELDS, SourceSpec, slugify
from .models import (
    Citation,
    Footnote,
    FootnoteMarker,
    FootnoteWork,
    Source,
    Work,
    utcnow,
)
from .note_citations import WorkRef
from .quotes import reanchor
from .sources import describe_works, source_work_ids

# "• NAME says:" and its kin (a bullet, a name, says/said/wrote/writes/commented) opens a comment
_COMMENT_START = re.compile(
    r"^[ \t]*[•*\-][ \t]*(?P<author>[^\n]+?) (?:says|said|wrote|writes|commented):[ \t]*$",
    re.MULTILINE,
)
# the most lines of a proposed ``ends_before`` (taken until it occurs once after the heading)
ENDS_BEFORE_LINES = 6


@dataclass
class IngestResult:
    source: Source
    status: str  # "new" | "unchanged" | "changed" | "updated" (metadata only)
    sections: int = 0
    footnotes: int = 0
    orphaned: list[int] = field(default_factory=list)
    reanchored: list[int] = field(default_factory=list)
    # the manifest called a confidential source public: it stays confidential
    kept_confidential: bool = False
    # the earlier document this one was found to copy (copies.py), if any
    copy: CopyMatch | None = None
    # comment blocks found in a document whose manifest entry has no ``comments:``: the
    # entry to add (``propose_comments``), with how many comments it splits off
    proposed_comments: dict[str, Any] | None = None
    proposed_count: int = 0


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def read_document(path: str | Path) -> tuple[str, str]:
    """The text and SHA-256 of a document file; a missing or binary file is an error."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"file {str(path)!r} not found: expected a UTF-8 text document")
    if path.is_dir():
        raise InvalidValue(f"{str(path)!r} is a directory: expected a UTF-8 text document")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidValue(
            f"file {str(path)!r} is not UTF-8 text: expected a text document"
        ) from None
    if "\x00" in text:
        raise InvalidValue(f"file {str(path)!r} is binary: expected a UTF-8 text document")
    return text, sha256_bytes(data)


def check_document(path: str | Path, spec: SourceSpec | None) -> None:
    """What ``ingest_file`` would refuse in the file and its manifest entry, found before
    anything is written: an unreadable file, a comment section that is not there."""
    text, _ = read_document(path)
    if spec is not None and spec.comments:
        _confidential_comments(spec.comments, len(comment_spans(text, spec.comments)))


def ingest_file(
    session: Session, path: str | Path, spec: SourceSpec | None, actor: str
) -> IngestResult:
    """Add or refresh the source read from ``path`` with the manifest entry ``spec``."""
    path = Path(path)
    text, digest = read_document(path)
    if spec is None:
        first_line = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
        spec = SourceSpec(
            file=path.name,
            fields={
                "slug": slugify(path.stem),
                "title": first_line[:300],
                "kind": "article",
                "reliability": "F",
            },
        )
    fields = {"title": spec.fields.get("slug"), **spec.fields}
    source = session.scalar(select(Source).where(Source.file_name == path.name))
    if source is None:
        clash = session.scalar(select(Source).where(Source.slug == fields["slug"]))
        if clash is not None:
            raise InvalidValue(
                f"slug {fields['slug']!r} is already used by source {clash.id}"
                f" ({clash.file_name or 'no file'}): choose another slug"
            )
        source = Source(
            file_name=path.name, file_path=str(path.resolve()), text=text, sha256=digest, **fields
        )
        session.add(source)
        session.flush()
        history.inserted(session, "sources", source.id, actor)
        result = IngestResult(source, "new")
        _derive(session, source, spec, actor, result)
        _propose(result, spec, text)
        result.copy = copies.detect_copy(session, source, actor)
        return result

    result = IngestResult(source, "unchanged")
    if source.confidential and fields.get("confidential") is False:
        fields["confidential"] = True
        result.kept_confidential = True
    before = {k: getattr(source, k) for k in SOURCE_FIELDS}
    after = {**before, **fields}
    changes = diff(before, after)
    if str(path.resolve()) != source.file_path:
        source.file_path = str(path.resolve())
    if source.sha256 != digest:
        changes["sha256"] = [source.sha256, digest]
        old_text = source.text or ""
        source.text = text
        source.sha256 = digest
        result.status = "changed"
        for key, value in fields.items():
            setattr(source, key, value)
        source.updated_at = utcnow()
        history.changed(
            session,
            "sources",
            source.id,
            "update",
            changes,
            f"text of {path.name} changed",
            actor=actor,
        )
        _derive(session, source, spec, actor, result)
        _propose(result, spec, text)
        _reanchor_all(session, source, old_text, result)
        result.copy = copies.detect_copy(session, source, actor)
        return result
    if changes:
        for key, value in fields.items():
            setattr(source, key, value)
        source.updated_at = utcnow()
        history.changed(
            session, "sources", source.id, "update", changes, "metadata updated", actor=actor
        )
        result.status = "updated"
    _derive(session, source, spec, actor, result, only_if_changed=True)
    _propose(result, spec, text)
    if "confidential" in changes:
        # the works its notes cite may now be described by other notes, or by its own
        session.flush()
        describe_works(session, source_work_ids(session, source))
    return result


def _propose(result: IngestResult, spec: SourceSpec, text: str) -> None:
    if not spec.comments:
        found = propose_comments(text)
        if found is not None:
            result.proposed_comments, result.proposed_count = found


def _derive(
    session: Session,
    source: Source,
    spec: SourceSpec,
    actor: str,
    result: IngestResult,
    *,
    only_if_changed: bool = False,
) -> None:
    """Sections and footnotes follow from the text and the manifest; refresh what differs."""
    result.sections = _sync_sections(session, source, spec, actor)
    notes = footnote_parser.parse_footnotes(source.text or "")
    if only_if_changed and _footnotes_match(source, notes):
        result.footnotes = len(notes)
        # the notes are as stored; the works they cite are described again all the same,
        # so re-ingesting repairs a shared work that confidential notes once described
        describe_works(session, source_work_ids(session, source))
        return
    _store_footnotes(session, source, notes)
    result.footnotes = len(notes)


def comment_spans(text: str, comments: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(author, start, end) of each reader comment in ``text``."""
    heading = str(comments["heading"])
    start = text.find(heading)
    if start < 0:
        raise InvalidValue(
            f"comments heading {heading!r} does not occur in the text: expected the exact heading"
            " line"
        )
    section_start = start + len(heading)
    ends_before = comments.get("ends_before")
    section_end = len(text)
    if ends_before:
        section_end = text.find(str(ends_before), section_start)
        if section_end < 0:
            raise InvalidValue(
                f"comments ends_before {ends_before!r} does not occur after the heading"
            )
    starts = list(_COMMENT_START.finditer(text, section_start, section_end))
    spans = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else section_end
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        spans.append((match.group("author").strip(), match.start(), end))
    return spans


def propose_comments(text: str) -> tuple[dict[str, Any], int] | None:
    """The ``comments:`` manifest entry that splits the reader comments found in ``text``
    ("• NAME says:" blocks) into sources of their own, and how many there are; None when
    there are none or no entry would split them as found.

    ``heading`` is the last line before the first comment; ``ends_before`` the first line
    after the last comment that starts at the margin (comments are indented under their
    bullets), lengthened line by line until it occurs once after the heading.
    """
    starts = list(_COMMENT_START.finditer(text))
    if not starts:
        return None
    before = [line.strip() for line in text[: starts[0].start()].splitlines() if line.strip()]
    if not before:
        return None
    proposal: dict[str, Any] = {"heading": before[-1]}
    heading_end = text.find(before[-1]) + len(before[-1])
    margin = re.compile(r"^\S[^\n]*$", re.MULTILINE).search(text, starts[-1].end())
    if margin is not None:
        lines = text[margin.start() :].split("\n")
        for count in range(1, min(ENDS_BEFORE_LINES, len(lines)) + 1):
            ends_before = "\n".join(lines[:count])
            if text.count(ends_before, heading_end) == 1:
                proposal["ends_before"] = ends_before
                break
        else:
            return None
    proposal.update(reliability="F", reliability_reason="reader comment: unverified")
    try:
        found = comment_spans(text, proposal)
    except ProvenanceError:
        return None
    return (proposal, len(found)) if len(found) == len(starts) else None


def proposal_lines(result: IngestResult) -> list[str]:
    """The proposed ``comments:`` entry of an ingest, as lines to print (YAML)."""
    if result.proposed_comments is None:
        return []
    # JSON strings are YAML's double-quoted scalars: a line break stays one visible "\\n"
    entry = [f"  {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in
             result.proposed_comments.items()]  # fmt: skip
    return [
        f"{result.proposed_count} reader comment(s) found in the text, cited as the article's"
        f" own words until split off; add to the manifest entry of {result.source.file_name}"
        " and ingest again:",
        "comments:",
        *entry,
    ]


def _confidential_comments(comments: dict[str, Any], count: int) -> set[int]:
    """The numbers of the comments the manifest makes confidential (1 to ``count``)."""
    hidden = comments.get("confidential", False)
    if hidden is True:
        return set(range(1, count + 1))
    if not hidden:
        return set()
    beyond = sorted(n for n in hidden if n > count)
    if beyond:
        # a typo here would leave the comment meant to be hidden public
        raise InvalidValue(
            f"comments confidential lists comment {beyond[0]}, but the section has {count} "
            f"comment(s): expected numbers from 1 to {count}"
        )
    return set(hidden)


def _sync_sections(session: Session, source: Source, spec: SourceSpec, actor: str) -> int:
    if not spec.comments or source.text is None:
        return 0
    spans = comment_spans(source.text, spec.comments)
    hidden = _confidential_comments(spec.comments, len(spans))
    existing = {s.slug: s for s in source.sections}
    for number, (author, start, end) in enumerate(spans, 1):
        slug = f"{source.slug}-comment-{number:02d}"
        text = source.text[start:end]
        section = existing.get(slug)
        confidential = bool(
            source.confidential
            or number in hidden
            or (section is not None and section.confidential)
        )
        fields = {
            "title": f"Comment by {author} on “{source.title}”",
            "authors": [author],
            "publisher": source.publisher,
            "url": source.url,
            "published": source.published,
            "published_earliest": source.published_earliest,
            "published_latest": source.published_latest,
            "kind": "comment",
            "reliability": str(spec.comments.get("reliability", "F")),
            "reliability_reason": spec.comments.get("reliability_reason") or "reader comment",
            "confidential": confidential,
            "span_start": start,
            "span_end": end,
            "text": text,
            "sha256": sha256_text(text),
        }
        if section is None:
            section = Source(slug=slug, parent=source, **fields)
            session.add(section)
            session.flush()
            history.inserted(session, "sources", section.id, actor)
            continue
        before = {k: getattr(section, k) for k in fields}
        changes = diff(before, fields)
        if changes:
            old_text = section.text or ""
            for key, value in fields.items():
                setattr(section, key, value)
            history.changed(
                session,
                "sources",
                section.id,
                "update",
                _jsonable(changes),
                f"comment section of {source.slug} refreshed",
                actor=actor,
            )
            if "text" in changes:
                _reanchor_all(session, section, old_text, IngestResult(section, "changed"))
    return len(spans)


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    # whole texts do not belong in history; their hashes say what changed
    return {k: v for k, v in changes.items() if k != "text"}


def _footnotes_match(source: Source, notes: list[footnote_parser.Note]) -> bool:
    stored = source.footnotes
    if len(stored) != len(notes):
        return False
    for row, note in zip(stored, notes, strict=True):
        if (row.number, row.text, row.start, row.end, row.resolution) != (
            note.number,
            note.text,
            note.start,
            note.end,
            note.resolution,
        ):
            return False
        if [(m.start, m.end) for m in row.markers] != [(m.start, m.end) for m in note.markers]:
            return False
        if [(w.work.key, w.locator, w.title, w.citation, w.collection) for w in row.works] != [
            (w.key, w.locator, w.title, w.citation, w.collection) for w in note.works
        ]:
            return False
    return True


def _work(session: Session, ref: WorkRef) -> Work:
    work = session.scalar(select(Work).where(Work.key == ref.key))
    if work is None:
        # described for now by this note; describe_works settles it once the note is stored
        work = Work(key=ref.key, title=ref.title, citation=ref.citation)
        session.add(work)
        session.flush()
    return work


def _store_footnotes(session: Session, source: Source, notes: list[footnote_parser.Note]) -> None:
    # Notes are kept by number so that citations pointing at them stay attached.
    touched = {fw.work_id for row in source.footnotes for fw in row.works}
    by_number = {f.number: f for f in source.footnotes}
    for note in notes:
        row = by_number.pop(note.number, None)
        if row is None:
            row = Footnote(source=source, number=note.number)
            session.add(row)
        row.text = note.text
        row.start, row.end = note.start, note.end
        row.resolution = note.resolution
        row.resolves_to = list(note.resolves_to)
        row.unresolved_parts = list(note.unresolved_parts)
        row.markers = [FootnoteMarker(start=m.start, end=m.end) for m in note.markers]
        # rows are updated in place by position: a new row beside the old one at the same
        # position would break the unique (footnote_id, position) before the old is deleted
        kept = {fw.position: fw for fw in row.works}
        links = []
        for i, ref in enumerate(note.works):
            link = kept.pop(i, None) or FootnoteWork(position=i)
            link.work = _work(session, ref)
            link.locator = ref.locator
            link.title, link.citation, link.collection = ref.title, ref.citation, ref.collection
            links.append(link)
        row.works = links
        touched.update(fw.work.id for fw in row.works)
    for number, row in by_number.items():
        cited = session.scalar(
            select(func.count()).select_from(Citation).where(Citation.footnote_id == row.id)
        )
        if cited:
            raise ProvenanceError(
                f"footnote {number} of {source.slug!r} is gone from the new text but {cited}"
                " citation(s) rest on it: re-attach or deprecate them first"
            )
        session.delete(row)
    session.flush()
    describe_works(session, touched)


def _reanchor_all(session: Session, source: Source, old_text: str, result: IngestResult) -> None:
    citations = session.scalars(select(Citation).where(Citation.source_id == source.id)).all()
    for citation in citations:
        if reanchor(source, citation):
            result.reanchored.append(citation.id)
        else:
            result.orphaned.append(citation.id)
