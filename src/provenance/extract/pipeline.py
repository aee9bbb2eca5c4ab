"""One pass over a source's sentences, and ``extract``: the candidates nobody recorded yet."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import quotes
from ..models import Citation, Source
from .attributions import REPORTING_VERB, attributions, statements
from .candidates import DEFAULT_KINDS, KINDS, Candidate, Extraction
from .characterisations import characterisations
from .dates import bounds_a_period, date_candidate, find_dates
from .designations import designations
from .document import Document
from .events import events_in
from .leadership import leaders, leaders_named_beside, persons_groups
from .membership import membership
from .nouns import nouns
from .phrases import phrases
from .possessions import possessions
from .quantities import quantities
from .relations import relations
from .rules import Rule
from .sentences import Sentence, split_sentences
from .subjects import person_named
from .titles import titles
from .verb_events import event_told_by_verb

BYLINE = Rule(
    r"(?i)\b(?:updated|published|posted|last\s+modified)\s*:",
    """A byline's dates, not a fact: "January 24, 2020 Updated: January 24, 2020".""",
)
_ENDS_SENTENCE = re.compile(r"[.?!][\"'”’)\]]*$")
CAPTION = Rule(
    r"\((?:[A-Z][\w.’' -]*/)?[A-Z][\w.’' -]*\)\s*$|\[(?:Getty|AFP|Reuters|AP)[^\]]*\]"
    r"|,\s+(?:left|right|center|centre)(?:,|\s+and\b)",
    """A photo caption ends in its credit: "… on Jan. 13, 2020. (John Davison/Reuters)",
"Asaib al-Haq's leader Qais al-Khazali [Getty] |", "Hadi al Ameri, right, and Qayis
Khazali, left, in March 13, 2017". Page furniture, not a fact of the text.""",
)


def _furniture(doc: Document, sentence: Sentence, first: bool) -> bool:
    """A headline (the text's first line, not ended like a sentence) or a photo caption."""
    line_start = doc.scan.rfind("\n", 0, sentence.start) + 1
    line_end = doc.scan.find("\n", sentence.end)
    line = doc.scan[line_start : line_end if line_end >= 0 else len(doc.scan)].strip()
    if first and line_start == sentence.start and not _ENDS_SENTENCE.search(line):
        return True
    return CAPTION.search(line) is not None


def passed_over(doc: Document, sentence: Sentence, first: bool) -> str | None:
    """Why a sentence is read for no fact (a heading, a headline or caption, a byline), or None.

    ``first``: the sentence is the text's first, where a headline stands."""
    if len(doc.scan[sentence.start : sentence.end].split()) < 4:
        return "a heading of three words or fewer"  # bylines and captions of a word or three
    if _furniture(doc, sentence, first):
        return "a headline or a photo caption"
    if BYLINE.search(doc.scan, sentence.start, sentence.end):
        return "a byline"
    return None


def run(doc: Document) -> list[Candidate]:
    """Read every sentence once, in order, so relative dates and pronouns see what came before."""
    sentences = split_sentences(doc.scan, doc.limit)
    for number, sentence in enumerate(sentences):
        why_not = passed_over(doc, sentence, number == 0)
        if why_not is not None and why_not != "a byline":
            continue
        if why_not == "a byline":
            # "January 24, 2020 Updated: January 24, 2020": no fact, but it dates the text
            for _start, _end, _value, day in find_dates(doc, sentence):
                doc.timeline.note(day)
            continue
        mentions = doc.entities.mentions(doc.scan, sentence.start, sentence.end)
        doc.event_before = doc.current_event
        doc.sentence_events = events_in(doc, sentence, mentions)
        if not doc.sentence_events:
            told = event_told_by_verb(doc, sentence, mentions)
            if told is not None:
                told[1].mentions += 1
                doc.current_event = told[1]
                doc.sentence_events = [told]
        doc.sentences_since_event = 0 if doc.sentence_events else doc.sentences_since_event + 1
        doc.sentence_speakers = set()
        doc.sentence_listeners = set()
        stretches = attributions(doc, sentence, mentions)
        answering = doc.interview.speaker_at(sentence.start) if doc.interview else None
        if (
            answering is not None
            and not stretches
            and not REPORTING_VERB.search(doc.scan, sentence.start, sentence.end)
        ):
            # an interview's answer, unless it reports someone else's words, is the interviewee's
            stretches = [(sentence.start, sentence.end, answering, "asserts")]
        taken: list[tuple[int, int]] = []
        dates = find_dates(doc, sentence)
        for start, end, value, day in dates:
            taken.append((start, end))
            if stretches and not any(a <= start < b for a, b, _, _ in stretches):
                # "A day later, Trump said …", "…, said Hoffman on Friday": when it was said
                doc.timeline.note(day)
                continue
            if bounds_a_period(doc, sentence, start, end):
                doc.timeline.note(day)  # "since February 2024": no day of this clause's event
                continue
            # run without the date kind too: a date still names the event it is the day of
            date_candidate(doc, sentence, start, end, value, mentions, stretches)
            doc.timeline.note(day)
        if "quantity" in doc.kinds:
            quantities(doc, sentence, mentions, stretches, taken)
        if "leadership" in doc.kinds:
            leaders(doc, sentence, mentions, stretches)
            leaders_named_beside(doc, sentence, mentions, stretches)
            persons_groups(doc, sentence, mentions, stretches)
        if "relation" in doc.kinds:
            relations(doc, sentence, mentions, stretches)
            designations(doc, sentence, mentions, stretches)
            membership(doc, sentence, mentions, stretches)
            characterisations(doc, sentence, mentions, stretches)
            titles(doc, sentence, mentions, stretches)
            phrases(doc, sentence, mentions, stretches)
            nouns(doc, sentence, mentions, stretches)
            possessions(doc, sentence, mentions, stretches)
        groups = [m.name for m in mentions if m.kind in ("organisation", "alliance", "other")]
        doc.last_group = groups[0] if groups else doc.last_group
        if "statement" in doc.kinds:
            statements(doc, sentence, mentions, stretches)
        if mentions:
            doc.last_subject = mentions[0].name if doc.last_subject is None else doc.last_subject
        doc.previous_person = person_named(doc, sentence, mentions) or doc.previous_person
        doc.previous_speaker = doc.speakers[-1] if doc.sentence_speakers else None
    return doc.candidates


def extract(session: Session, source: Source, kinds: tuple[str, ...] = DEFAULT_KINDS) -> Extraction:
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
    names = doc.event_names()
    for candidate in raw:  # an event's name is settled once the whole text is read
        candidate.subject = names.get(candidate.subject, candidate.subject)
        if candidate.value in names:
            candidate.value = names[candidate.value]
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
