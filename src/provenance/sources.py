"""Sources: the manifest, ingesting documents, their sections, footnotes and works.

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
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import history, suggest
from .errors import InvalidValue, NotFound, ProvenanceError
from .history import diff
from .inputs import MAX_ID, StrictLoader, as_id, check_length, first_bad_field, yaml_problem
from .lazy import lazy_module
from .models import (
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    Citation,
    Footnote,
    FootnoteMarker,
    FootnoteWork,
    Source,
    SourceCopy,
    Work,
    utcnow,
)
from .values import date_bounds

if TYPE_CHECKING:
    from . import copies
    from . import footnotes as footnote_parser
    from .copies import CopyMatch
else:  # ingest's own: a lookup of a source (every claims listing) does without them
    copies = lazy_module("provenance.copies")
    footnote_parser = lazy_module("provenance.footnotes")

MANIFEST_KEYS = {
    "file": "the document's file name",
    "slug": "a short unique name",
    "title": "the title",
    "authors": "a list of names",
    "publisher": "the publisher",
    "url": "the document's URL",
    "published": "publication date, EDTF",
    "published_reason": "why that date",
    "kind": "one of " + ", ".join(SOURCE_KINDS),
    "reliability": "A-F",
    "reliability_reason": "why that grade",
    "confidential": "true/false",
    "note": "a remark",
    "comments": "how to split reader comments into their own sources",
}
COMMENT_KEYS = ("heading", "ends_before", "reliability", "reliability_reason", "confidential")
# metadata a manifest entry can set on a source row
SOURCE_FIELDS = (
    "slug",
    "title",
    "authors",
    "publisher",
    "url",
    "published",
    "published_earliest",
    "published_latest",
    "kind",
    "reliability",
    "reliability_reason",
    "confidential",
    "note",
)
# "• NAME says:" and its kin (a bullet, a name, says/said/wrote/writes/commented) opens a comment
_COMMENT_START = re.compile(
    r"^[ \t]*[•*\-][ \t]*(?P<author>[^\n]+?) (?:says|said|wrote|writes|commented):[ \t]*$",
    re.MULTILINE,
)
# the most lines of a proposed ``ends_before`` (taken until it occurs once after the heading)
ENDS_BEFORE_LINES = 6


@dataclass
class SourceSpec:
    """One manifest entry, validated."""

    file: str | None
    fields: dict[str, Any]
    comments: dict[str, Any] | None = None


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


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "source"


# ---------------------------------------------------------------- manifest


def load_manifest(path: str | Path) -> list[SourceSpec]:
    """Read and validate a manifest; every problem is an error naming the entry and key."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(
            f"manifest {str(path)!r} not found: expected a YAML file such as seeds/sources.yaml"
        )
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)
    except UnicodeDecodeError:
        raise InvalidValue(
            f"manifest {str(path)!r} is not UTF-8 text: expected a YAML file"
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidValue(
            f"manifest {str(path)!r} is not valid YAML{yaml_problem(exc)}: expected a mapping"
            " with a 'sources:' list"
        ) from None
    entries = data.get("sources") if isinstance(data, dict) else data
    if isinstance(data, dict) and set(data) - {"sources"}:
        bad = sorted(set(data) - {"sources"})[0]
        raise InvalidValue(
            f"manifest {str(path)!r}: unknown top-level key {bad!r}: expected 'sources'"
        )
    if not isinstance(entries, list):
        raise InvalidValue(f"manifest {str(path)!r}: expected a 'sources:' list of entries")
    specs = []
    seen_slugs: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        spec = _spec_from_entry(entry, number, path)
        slug = spec.fields["slug"]
        if slug in seen_slugs:
            raise InvalidValue(
                f"manifest {str(path)!r}: entry {number}: slug {slug!r} is already used by entry"
                f" {seen_slugs[slug]}"
            )
        seen_slugs[slug] = number
        specs.append(spec)
    return specs


def _spec_from_entry(entry: Any, number: int, path: Path) -> SourceSpec:
    where = f"manifest {str(path)!r}: entry {number}"
    if not isinstance(entry, dict):
        raise InvalidValue(f"{where}: expected a mapping of {', '.join(MANIFEST_KEYS)}")
    unknown = [k for k in entry if k not in MANIFEST_KEYS]
    if unknown:
        raise InvalidValue(
            f"{where}: unknown key {unknown[0]!r}: expected one of {', '.join(MANIFEST_KEYS)}"
        )
    file = entry.get("file")
    if file is not None and not isinstance(file, str):
        raise InvalidValue(f"{where}: file {file!r} must be a file name")
    slug = entry.get("slug") or (slugify(Path(file).stem) if file else None)
    if not slug:
        raise InvalidValue(f"{where}: needs a 'slug' (or a 'file' to derive one from)")
    fields = source_fields(entry, where=f"{where} ({slug})")
    fields["slug"] = str(slug)
    comments = entry.get("comments")
    if comments is not None:
        if not isinstance(comments, dict) or "heading" not in comments:
            raise InvalidValue(
                f"{where}: comments must be a mapping with 'heading' (and 'ends_before')"
            )
        bad = [k for k in comments if k not in COMMENT_KEYS]
        if bad:
            raise InvalidValue(
                f"{where}: unknown comments key {bad[0]!r}: expected one of"
                f" {', '.join(COMMENT_KEYS)}"
            )
        grade = str(comments.get("reliability", "F"))
        if grade not in RELIABILITY_GRADES:
            raise InvalidValue(
                f"{where}: comments reliability {grade!r}: expected one of A, B, C, D, E, F"
            )
        hidden = comments.get("confidential", False)
        if not (
            isinstance(hidden, bool)
            or (
                isinstance(hidden, list)
                and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in hidden)
            )
        ):
            raise InvalidValue(
                f"{where}: comments confidential {hidden!r}: expected true, false "
                "or a list of comment numbers such as [3, 11]"
            )
    return SourceSpec(file=file, fields=fields, comments=comments)


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


# ---------------------------------------------------------------- ingest


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


def _work(session: Session, ref: footnote_parser.WorkRef) -> Work:
    work = session.scalar(select(Work).where(Work.key == ref.key))
    if work is None:
        # described for now by this note; describe_works settles it once the note is stored
        work = Work(key=ref.key, title=ref.title, citation=ref.citation)
        session.add(work)
        session.flush()
    return work


def _collection(session: Session, name: str) -> Work:
    key = footnote_parser.work_key(name)
    collection = session.scalar(select(Work).where(Work.key == key))
    if collection is None:
        collection = Work(key=key, title=name, citation=None)
        session.add(collection)
        session.flush()
    return collection


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


def _reanchor_all(session: Session, source: Source, old_text: str, result: IngestResult) -> None:
    from .quotes import reanchor

    citations = session.scalars(select(Citation).where(Citation.source_id == source.id)).all()
    for citation in citations:
        if reanchor(source, citation):
            result.reanchored.append(citation.id)
        else:
            result.orphaned.append(citation.id)


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
