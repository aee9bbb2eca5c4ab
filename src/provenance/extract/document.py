"""The state of one pass over a source: its text, what was said about time, who spoke, the
last subject, and the candidates found so far."""

from __future__ import annotations

import re
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Alias, Entity, Source
from .candidates import Candidate
from .dates import Timeline, iso_date
from .events import EVENT_KEY, FAMILIES, Event
from .interviews import read_interview
from .mentions import EntityIndex
from .phrases import Phrase
from .sentences import Sentence, clause, scan_text
from .vocabulary import PropertyChoice, Vocabulary


class Document:
    """One source being read: what every recogniser shares during the pass."""

    def __init__(self, session: Session, source: Source, kinds: tuple[str, ...]):
        self.session = session
        self.source = source
        self.kinds = kinds
        self.vocabulary = Vocabulary(session)
        self.entities = EntityIndex(session)
        self.text = source.text or ""
        self.scan, self.limit = scan_text(source)
        self.entities.learn_abbreviations(self.scan)
        self.interview = read_interview(self.scan, self.entities)
        self.timeline = Timeline(
            iso_date(source.published_earliest), iso_date(source.published_latest)
        )
        self.last_subject: str | None = None
        self.last_event: str | None = None  # what "the attack" refers to
        self.last_events: dict[str, str] = {}  # and "the blast", "the strike"
        self.speakers: list[str] = []
        self.sentence_speakers: set[str] = set()
        self.sentence_listeners: set[str] = set()  # "told Reuters": neither speaker nor subject
        self.previous_speaker: str | None = None
        self.previous_person: str | None = None
        self.candidates: list[Candidate] = []
        self.events: list[Event] = []
        self.current_event: Event | None = None  # the event the text tells of at this point
        self.event_before: Event | None = None  # and before the sentence being read
        self.sentence_events: list[tuple[int, Event]] = []  # those the sentence names, where
        self.sentences_since_event = 0
        self.last_group: str | None = None  # what "It receives support from Iran" is about
        # read once a text from the vocabulary and the places (titles.py)
        self.demonyms: dict[str, str] | None = None
        self.title_pattern: re.Pattern[str] | None = None
        self.title_words: dict[str, str] = {}
        self.phrases: list[Phrase] | None = None  # phrases.py
        self.phrase_pattern: re.Pattern[str] | None = None
        self.nouns: dict[str, list[str]] | None = None  # nouns.py: noun → properties
        self.possessed: dict[str, str] | None = None  # possessions.py: noun → property
        self.possessed_pattern: re.Pattern[str] | None = None
        self.title_owners: dict[tuple[str, str], str] = {}  # (title, person) → whose post
        self.places_named: dict[str, int] = {}  # how often the text named each place so far
        self.known_events = list(session.scalars(select(Entity.name).where(Entity.kind == "event")))
        # every name of each known event, its aliases too ("US invasion of Iraq")
        self.known_event_names: dict[str, list[str]] = {name: [name] for name in self.known_events}
        for alias, name in session.execute(
            select(Alias.name, Entity.name)
            .join(Entity, Alias.entity_id == Entity.id)
            .where(Entity.kind == "event")
        ):
            self.known_event_names.setdefault(name, [name]).append(alias)

    def new_event(
        self,
        family: str,
        words: str,
        agent: str | None,
        target: str | None,
        target_entity: str | None,
        day: str | None = None,
    ) -> Event:
        """A new event, or the one named before by the same words, unless that one was dated
        to another day than the sentence gives (``day``, "2 February 2024"): "a drone attack"
        on 28 January and "a drone attack" on 2 February are two attacks."""
        for event in reversed(self.events):
            if event.known is None and event.words.lower() == words.lower():
                if day is not None and event.day is not None and event.day != day:
                    continue
                if target and not event.target:
                    event.target = target
                return event
        event = Event(f"{EVENT_KEY}{len(self.events)}", family, words, agent, target)
        event.target_entity = target_entity
        self.events.append(event)
        return event

    def known_event(self, name: str) -> Event:
        """The event standing for an entity of the database."""
        for event in self.events:
            if event.known == name:
                return event
        event = Event(f"{EVENT_KEY}{len(self.events)}", "known", name, known=name)
        self.events.append(event)
        return event

    def last_event_of(self, family: str, agent: str | None = None) -> Event | None:
        """What "the attack" (or "Friday's strike") refers to: the last such event named."""
        families = (
            (family,)
            if family not in ("attack", "strike", "bombing")
            else (
                family,
                "attack",
                "strike",
                "bombing",
                "known",
            )
        )
        for wanted in families:
            for event in reversed(self.events):
                if event.family == wanted and (agent is None or event.agent in (None, agent)):
                    return event
        return None

    def event_names(self) -> dict[str, str]:
        """The name of each event: a known event's, else the one built from its words."""
        return {event.key: self.known_name(event) or event.name for event in self.events}

    def known_name(self, event: Event) -> str | None:
        """The one event of the database whose name holds every word this event is named by
        ("Karbala attack" is the known "Karbala PJCC attack", "Iraq invasion" the known
        "2003 invasion of Iraq"); none when no event, or more than one, does."""
        if event.known:
            return event.known
        wanted = _words(event.words) | (_words(event.target) if event.target else set())
        if len(wanted) < 2:
            return None  # "the attack" alone names nothing in particular
        found = [
            name
            for name, names in self.known_event_names.items()
            if any(wanted <= _words(written) for written in names)
        ]
        if len(found) == 1:
            return found[0]
        # "the Iraq invasion" dated 2003: of the known invasions of Iraq, the one of 2003
        dated_by_year = [
            name
            for name in found
            if any(
                year in written for year in event.years for written in self.known_event_names[name]
            )
        ]
        if len(dated_by_year) == 1:
            return dated_by_year[0]
        if event.day is None or not re.fullmatch(r"\d{1,2} \w+ \d{4}", event.day):
            return None
        # "a drone attack" on 28 January 2024 is the known "28 January 2024 attack on U.S.
        # troops in Jordan": the one known event of that day whose noun is of its family
        dated = [
            name
            for name in self.known_events
            if re.search(rf"(?<!\d){re.escape(event.day)}(?!\d)", name)
            and event.family in {FAMILIES.get(w) for w in _nouns(name)}
        ]
        return dated[0] if len(dated) == 1 else None

    def words(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def property_for(self, concept: str) -> PropertyChoice:
        return self.vocabulary.choose(concept)

    def add(
        self,
        kind: str,
        sentence: Sentence,
        start: int,
        end: int,
        concept: str,
        value: str,
        *,
        subject: str,
        why: str,
        unit: str | None = None,
        qualifiers: dict[str, str] | None = None,
        attribution: tuple[str, str] | None = None,
        quote: tuple[int, int] | None = None,
    ) -> None:
        choice = self.property_for(concept)
        quote_start, quote_end = quote or clause(self.scan, sentence, start, end)
        speaker, stance = attribution if attribution else (None, "asserts")
        self.candidates.append(
            Candidate(
                kind=kind,
                subject=subject,
                property=choice.name,
                value=value,
                quote_start=quote_start,
                quote_end=quote_end,
                value_start=start,
                value_end=end,
                found=self.words(start, end),
                unit=None if choice.unit else unit,
                attributed_to=speaker,
                stance=stance,
                qualifiers=qualifiers or {},
                why=why,
            )
        )


_STOP_WORDS = {"the", "a", "an", "of", "on", "in", "at", "against", "and", "by", "to", "near"}


def _nouns(name: str) -> set[str]:
    """The words and two-word phrases of a name, lower case, plurals as singulars."""
    words = [
        w[:-1] if len(w) > 4 and w.endswith("s") else w for w in re.findall(r"[a-z]+", name.lower())
    ]
    return set(words) | {f"{a} {b}" for a, b in pairwise(words)}


def _words(name: str) -> set[str]:
    """The words a name is made of, lower case, plurals as singulars, without small words."""
    words = set()
    for word in re.findall(r"(?:\w\.){2,}|[\w’'-]+", name.lower()):
        word = word.replace(".", "")  # "U.S." and "US" are one word
        if word in _STOP_WORDS:
            continue
        words.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return words
