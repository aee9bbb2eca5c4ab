"""Copies: a document that is the same story as an earlier one is one document with it.

A wire story syndicated under another headline or footer, or the same file saved twice,
must not count as two independent sources: not for a value's support, and not as the
"different sources" a conflict needs (SPEC §1, §3 rule 4). So on ingest a text is
compared with the documents already stored:

* **identical** — the same SHA-256 of the text: a copy with similarity 1.0;
* **near-identical** — the word-level similarity of the two texts is at least
  ``COPY_THRESHOLD``. The similarity is RapidFuzz's normalised Indel similarity over the
  texts' words (case, Unicode compatibility forms and punctuation ignored):
  ``2 × LCS / (words of a + words of b)``, the share of the two texts that is one
  common word sequence. A new headline or footer costs only its own words.

The threshold, 0.80, was measured with ``benchmarks/copy_similarity.py`` on the six
unseen articles in ``/work/shared/articles`` and the five seed documents (11 texts of
309 to 3,646 words): the most similar two *different* documents score 0.154 (median
0.106 over 55 pairs), while the same document under another headline scores ≥ 0.899,
with a syndication footer ≥ 0.941, with both ≥ 0.844, and with both and its last 10 %
cut ≥ 0.807. 0.80 sits just below every re-publication and far above every pair of
different stories; it is kept high because a false copy hides a conflict, while a
missed one is a double count the desk can still confirm with ``source copy-of``.

A copy points at the earliest document of its story (its *original*), which is never a
copy itself: a text that matches a copy is recorded as a copy of that copy's original,
so one step always reaches the document (``Source.document_id``). The desk confirms a
copy (``source copy-of``, also to name one the measure missed) or undoes it
(``source not-copy``: kept as ``rejected``, so ingesting again does not find it again).
Every change is in history under the copy's source row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Indel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import history
from .errors import InvalidValue
from .models import Source, SourceCopy, utcnow

COPY_THRESHOLD = 0.8

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text as compared for copies: case and compatibility forms ignored."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def text_similarity(a: str, b: str) -> float:
    """Word-level similarity of two texts, 0 … 1 (see the module doc)."""
    return float(Indel.normalized_similarity(words(a), words(b)))


@dataclass(frozen=True)
class CopyMatch:
    original: Source
    similarity: float
    identical: bool


def _live_copy(session: Session, source_id: int) -> SourceCopy | None:
    return session.scalar(
        select(SourceCopy).where(SourceCopy.source_id == source_id, SourceCopy.status != "rejected")
    )


def _is_original_of_copies(session: Session, source_id: int) -> list[int]:
    return list(
        session.scalars(
            select(SourceCopy.source_id)
            .where(SourceCopy.original_id == source_id, SourceCopy.status != "rejected")
            .order_by(SourceCopy.source_id)
        )
    )


def find_original(session: Session, source: Source) -> CopyMatch | None:
    """The earlier document ``source``'s text copies, identical or near-identical, if any."""
    if not source.text:
        return None
    session.flush()
    candidates = (
        select(Source)
        .where(
            Source.id != source.id,
            Source.parent_id.is_(None),
            Source.text.isnot(None),
        )
        .order_by(Source.id)
    )
    identical = session.scalars(candidates.where(Source.sha256 == source.sha256)).first()
    if identical is not None:
        return CopyMatch(_original_of(session, identical), 1.0, True)
    own = words(source.text)
    if not own:
        return None
    # Indel similarity is at most 2·min/(n+m), so texts of very different length cannot
    # reach the threshold: only those whose character length could are read. A copy is
    # never an original, so copies are left out too.
    ratio = COPY_THRESHOLD / (2 - COPY_THRESHOLD)
    length = len(source.text)
    copies = select(SourceCopy.source_id).where(SourceCopy.status != "rejected")
    near = candidates.where(
        func.length(Source.text) >= int(length * ratio * 0.8),
        func.length(Source.text) <= int(length / ratio * 1.25) + 1,
        Source.id.not_in(copies),
    )
    best: CopyMatch | None = None
    for other in session.scalars(near):
        score = float(
            Indel.normalized_similarity(own, words(other.text or ""), score_cutoff=COPY_THRESHOLD)
        )
        if score >= COPY_THRESHOLD and (best is None or score > best.similarity):
            best = CopyMatch(other, score, False)
    return best


def _original_of(session: Session, source: Source) -> Source:
    copy = _live_copy(session, source.id)
    return copy.original if copy is not None else source


def _copy_row(session: Session, source: Source) -> SourceCopy | None:
    return session.scalar(select(SourceCopy).where(SourceCopy.source_id == source.id))


def _changes(copy: SourceCopy | None) -> dict[str, Any]:
    if copy is None:
        return {"copy_of": None, "copy_status": None, "copy_similarity": None}
    return {
        "copy_of": copy.original_id,
        "copy_status": copy.status,
        "copy_similarity": copy.similarity,
    }


def _write(
    session: Session,
    source: Source,
    original: Source,
    similarity: float | None,
    status: str,
    actor: str,
    summary: str,
) -> SourceCopy:
    copy = _copy_row(session, source)
    before = _changes(copy)
    if copy is None:
        copy = SourceCopy(
            source_id=source.id, original_id=original.id, similarity=similarity, status=status
        )
        session.add(copy)
    else:
        copy.original_id = original.id
        copy.similarity = similarity
        copy.status = status
        copy.updated_at = utcnow()
    session.flush()
    after = _changes(copy)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        history.changed(session, "sources", source.id, "update", changes, summary, actor=actor)
    session.expire(source, ["copy"])
    return copy


def detect_copy(session: Session, source: Source, actor: str) -> CopyMatch | None:
    """On ingest: record ``source`` as a copy of the earlier document it repeats, if any.

    A source the desk has ruled on (confirmed or rejected) is left as the desk left it,
    and so is one that other documents are copies of (a copy's original is never a copy).
    """
    existing = _copy_row(session, source)
    if existing is not None and existing.status != "detected":
        return None
    if _is_original_of_copies(session, source.id):
        return None
    match = find_original(session, source)
    if match is None:
        if existing is not None:
            # its text changed and no longer repeats the original: a document of its own
            _write(
                session,
                source,
                existing.original,
                existing.similarity,
                "rejected",
                actor,
                f"not a copy of {existing.original.slug} any more: its text changed",
            )
        return None
    how = "identical text" if match.identical else f"similarity {match.similarity:.3f}"
    _write(
        session,
        source,
        match.original,
        round(match.similarity, 4),
        "detected",
        actor,
        f"copy of {match.original.slug} detected on ingest ({how})",
    )
    return match


def confirm_copy(session: Session, source: Source, original: Source, actor: str) -> str:
    """``source copy-of``: the desk says ``source`` is a copy of ``original``.

    Returns "confirmed" or "unchanged". A source cannot be a copy of itself, of a copy
    (name that copy's original), or have copies of its own (they would form a chain).
    """
    if source.id == original.id:
        raise InvalidValue(
            f"source {source.slug!r} cannot be a copy of itself: "
            "expected another source as ORIGINAL"
        )
    original_copy = _live_copy(session, original.id)
    if original_copy is not None:
        first = original_copy.original
        if first.id == source.id:
            raise InvalidValue(
                f"source {original.slug!r} is a copy of {source.slug!r}: a copy cannot be the "
                "original of its own original "
                f"(undo it with `source not-copy {original.slug}` first)"
            )
        raise InvalidValue(
            f"source {original.slug!r} is itself a copy of {first.slug!r}: expected the original, "
            f"{first.slug!r}"
        )
    copies = _is_original_of_copies(session, source.id)
    if copies:
        raise InvalidValue(
            f"source {source.slug!r} has copies of its own (source {', '.join(map(str, copies))}): "
            "a copy's original is never a copy; record those as copies of "
            f"{original.slug!r} first"
        )
    current = _copy_row(session, source)
    if current is not None and current.status == "confirmed" and current.original_id == original.id:
        return "unchanged"
    similarity = (
        current.similarity
        if current is not None and current.original_id == original.id
        else _measured(source, original)
    )
    _write(
        session,
        source,
        original,
        similarity,
        "confirmed",
        actor,
        f"copy of {original.slug} confirmed by the desk",
    )
    return "confirmed"


def _measured(source: Source, original: Source) -> float | None:
    if not source.text or not original.text:
        return None
    return round(text_similarity(source.text, original.text), 4)


def undo_copy(session: Session, source: Source, actor: str) -> Source:
    """``source not-copy``: ``source`` is a document of its own; returns the former original."""
    copy = _live_copy(session, source.id)
    if copy is None:
        raise InvalidValue(
            f"source {source.slug!r} is not recorded as a copy: nothing to undo "
            "(see `provenance sources` for copies)"
        )
    original = copy.original
    _write(
        session,
        source,
        original,
        copy.similarity,
        "rejected",
        actor,
        f"not a copy of {original.slug}: the desk undid it",
    )
    return original


def copy_of(session: Session, source: Source) -> tuple[Source, SourceCopy] | None:
    """The original ``source`` is a copy of, with the record, if it is one."""
    copy = _live_copy(session, source.id)
    return (copy.original, copy) if copy is not None else None
