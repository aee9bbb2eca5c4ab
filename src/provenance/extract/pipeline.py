"""One pass over a source's sentences, and ``extract``: the candidates nobody recorded yet."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import quotes
from ..models import Citation, Source
from .attributions import attributions, statements
from .candidates import KINDS, Candidate, Extraction
from .dates import date_candidate, find_dates
from .document import Document
from .leadership import leaders
from .quantities import quantities
from .rules import Rule
from .sentences import split_sentences
from .subjects import event_named, person_named

BYLINE = Rule(
    r"(?i)\b(?:updated|published|posted|last\s+modified)\s*:",
    """A byline's dates, not a fact: "January 24, 2020 Updated: January 24, 2020".""",
)
_ENDS_SENTENCE = re.compile(r"[.?!][\"'”’)\]]*$")


def run(doc: Document) -> list[Candidate]:
    """Read every sentence once, in order, so relative dates and pronouns see what came before."""
    sentences = split_sentences(doc.scan, doc.limit)
    for sentence in sentences:
        if len(doc.scan[sentence.start : sentence.end].split()) < 4:
            continue  # headings, bylines and captions of a word or three
        if BYLINE.search(doc.scan, sentence.start, sentence.end):
            # "January 24, 2020 Updated: January 24, 2020": no fact, but it dates the text
            for _start, _end, _value, day in find_dates(doc, sentence):
                doc.timeline.note(day)
            continue
        mentions = doc.entities.mentions(doc.scan, sentence.start, sentence.end)
        doc.sentence_speakers = set()
        stretches = attributions(doc, sentence, mentions)
        taken: list[tuple[int, int]] = []
        dates = find_dates(doc, sentence)
        for start, end, value, day in dates:
            taken.append((start, end))
            if "date" in doc.kinds:
                date_candidate(doc, sentence, start, end, value, mentions, stretches)
            doc.timeline.note(day)
        if "quantity" in doc.kinds:
            quantities(doc, sentence, mentions, stretches, taken)
        if "leadership" in doc.kinds:
            leaders(doc, sentence, mentions, stretches)
        if "attribution" in doc.kinds:
            statements(doc, sentence, mentions, stretches)
        if mentions:
            doc.last_subject = mentions[0].name if doc.last_subject is None else doc.last_subject
        doc.previous_person = person_named(doc, sentence, mentions) or doc.previous_person
        event_named(
            doc, sentence, last=True
        )  # "a rocket attack on X" is what a later "the attack" is
        doc.previous_speaker = doc.speakers[-1] if doc.sentence_speakers else None
    return doc.candidates


def extract(session: Session, source: Source, kinds: tuple[str, ...] = KINDS) -> Extraction:
    """Candidate claims of ``source``, leaving out what a citation of it already covers."""
    if not source.text:
        return Extraction(source, [], [], 0, kinds)
    doc = Document(session, source, kinds)
    raw = run(doc)
    recorded = [
        (c.quote_start, c.quote_end)
        for c in session.scalars(select(Citation).where(Citation.source_id == source.id))
        if c.quote_start is not None and c.quote_end is not None and not c.orphaned
    ]
    notes_by_id = {note.id: note.number for note in source.footnotes}
    kept: list[Candidate] = []
    seen = set()
    skipped = 0
    for candidate in sorted(raw, key=lambda c: (c.value_start, KINDS.index(c.kind))):
        if any(a < candidate.value_end and candidate.value_start < b for a, b in recorded):
            skipped += 1
            continue
        identity = (
            candidate.quote_start,
            candidate.quote_end,
            candidate.property,
            candidate.value,
            candidate.subject,
        )
        if identity in seen:
            continue
        seen.add(identity)
        # cut from the source's own words outside its sections, so the importer's anchoring finds it
        candidate.quote = source.text[candidate.quote_start : candidate.quote_end]
        places = [anchor.start for anchor in quotes.find_all(source, candidate.quote)]
        if len(places) > 1 and candidate.quote_start in places:
            candidate.occurrence = places.index(candidate.quote_start) + 1
        note = quotes.sentence_footnote(source, candidate.quote_start, candidate.quote_end)
        if note is not None and _ENDS_SENTENCE.search(candidate.quote):
            after = [mk.start for mk in note.markers if mk.start >= candidate.quote_end]
            if not after or source.text[candidate.quote_end : min(after)].strip():
                note = None
        candidate.footnote = notes_by_id.get(note.id, note.number) if note is not None else None
        kept.append(candidate)
    used = {c.property for c in kept}
    return Extraction(source, kept, doc.vocabulary.new_properties(used), skipped, kinds)
