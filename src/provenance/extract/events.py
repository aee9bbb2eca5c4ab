"""The events a text tells of: event noun phrases with their arguments, and what refers back.

A desk records a figure of an attack on the attack, not on the place it happened or the
group that suffered it. This module finds the event noun phrases of a sentence ("the
Iranian missile attack on American forces", "airstrikes at Kata'ib Hezbollah", "the 2019
protests"), takes their arguments (who carried it out, its target, where), follows
references back to one named before ("the attack", "Friday's strike", "the airstrikes"),
and reuses an event the database already knows when the text names it or its victim
("Killing of Qassem Soleimani …" for "Soleimani was assassinated").

A new event is named the way the seeds name events: the words that identify it
("U.S. airstrikes on Kata'ib Hezbollah", "Iranian missile attack"), then "of" and its day
or month once the text dates it ("Iranian missile attack of 8 January 2020"). The name is
settled after the whole text is read (``Event.name``), so every candidate about one event
carries the same name.

Decisions:

* The agent of an event is the nationality or group written before its noun ("Iranian",
  "US", "Israeli") or the entity whose verb introduces it ("the United States hit back
  with airstrikes"); its target is a named entity after "on", "against" or "at".
* A target that is a common noun ("American forces", "a U.S. base") is an argument for a
  ``target`` candidate when the database knows the name, but never part of the event's
  name: the seeds name events by proper names only.
* "the attack" means the last attack named (or, failing one, the last strike or bombing);
  "the strike(s)" the last strike; a possessive day ("Friday's strike") the last event of
  that kind. A definite phrase with modifiers ("The U.S. airstrikes") is the event named
  before when the noun family and agent agree, else a new event.
* An ordinal ("the 11th rocket attack") counts a series: it is not a new event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..lexicon import MONTHS, WEEKDAYS
from ..values import normalise_name
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .subjects import NOT_NAMES

if TYPE_CHECKING:
    from .document import Document

# the noun of an event, by family: a reference back ("the attack") looks in its family first
FAMILIES: dict[str, str] = {
    "attack": "attack",
    "assault": "attack",
    "raid": "attack",
    "ambush": "attack",
    "shelling": "attack",
    "bombardment": "attack",
    "strike": "strike",
    "airstrike": "strike",
    "air strike": "strike",
    "bombing": "bombing",
    "blast": "bombing",
    "explosion": "bombing",
    "protest": "protest",
    "demonstration": "protest",
    "election": "election",
    "referendum": "election",
    "meeting": "meeting",
    "summit": "meeting",
    "visit": "visit",
    "release": "release",
    "killing": "killing",
    "assassination": "killing",
    "kidnapping": "kidnapping",
    "abduction": "kidnapping",
    "invasion": "invasion",
    "withdrawal": "withdrawal",
    "capture": "capture",
    "arrest": "capture",
    "transfer": "transfer",
    "handover": "transfer",
    "collapse": "collapse",
    "defeat": "defeat",
}
_VIOLENT = ("attack", "strike", "bombing")
_NOUN = (
    r"(?:air\s+strike|airstrike|attack|assault|raid|ambush|shelling|bombardment|strike|"
    r"bombing|blast|explosion|protest|demonstration|election|referendum|meeting|summit|visit|"
    r"release|killing|assassination|kidnapping|abduction|invasion|withdrawal|capture|arrest|"
    r"transfer|handover|collapse|defeat)"
)
_WEAPONS = (
    r"rocket|missile|drone|suicide|car|truck|bomb|mortar|grenade|ballistic|artillery|"
    r"chemical|roadside|IED|mass|sniper|retaliatory|deadly|twin|coordinated|cross-border|"
    r"terrorist|terror|parliamentary|presidential|general|local|provincial|anti-government|"
    r"street|mass|air"
)
_WEEKDAY = "|".join(w.capitalize() for w in WEEKDAYS)
_MONTH_WORDS = {m.lower() for m in MONTHS}
_MONTH_NAMES = "|".join(m.capitalize() for m in MONTHS)
EVENT_PHRASE = Rule(
    r"(?P<det>\b(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Ii]ts|[Tt]heir)\s+"
    rf"|\b(?P<day>{_WEEKDAY}|[Yy]esterday|[Tt]oday)[’']s\s+)?"
    r"(?P<ordinal>\d+(?:st|nd|rd|th)\s+|(?:first|second|third|fourth|fifth|latest|last|"
    r"previous|recent|new|latest)\s+)?"
    r"(?P<year>(?:1[6-9]|20)\d\d\s+)?"
    r"(?P<mods>(?:(?:US|U\.S\.|UK|(?:[A-Z]\.){2,}|[A-Z]{2,5}|[A-Z][a-z’'-]*[a-z](?<![’']s)(?:-(?:led|backed))?|"
    rf"(?i:{_WEAPONS}))\s+){{0,3}})"
    rf"(?P<noun>(?i:{_NOUN}))(?P<plural>s)?\b"
    r"(?P<target>\s+(?:on|against|at)\s+(?:the\s+)?"
    rf"(?!(?:{_WEEKDAY}|{_MONTH_NAMES})\b|\d)"
    r"(?P<what>[^,.;:()“”\"]{2,60}?)"
    r"(?=\s+(?:in|near|outside|on|at|earlier|last|this|which|that|who|with|by|from|during|"
    r"killing|and|was|were|is|are|has|had)\b|[,.;:()“”\"]|$))?",
    """An event noun phrase with its modifiers and target: "the Iranian missile attack on
American forces", "airstrikes at Kata’ib Hezbollah", "Friday's strike", "the 2019 protests",
"a US airstrike", "the 11th rocket attack" (an ordinal: a count, not a new event).""",
)
AGENT_BEFORE = Rule(
    r"(?i)\b(?:hit\s+back\s+with|retaliated\s+with|responded\s+with|launched|carried\s+out|"
    r"conducted|staged|mounted|fired|held|organi[sz]ed|made|paid)\s+(?:an?\s+|the\s+)?"
    r"(?:(?!of\b|in\b|on\b|at\b)[a-z][\w-]*\s+){0,2}$",
    """The verb that makes the entity before it an event's agent: "the United States hit back
with airstrikes", "Iran launched a missile attack", "protesters staged a demonstration",
"the group carried out an audacious attack" (an adjective or two between).""",
)
# nationality words an event's agent is written with, as the seeds name the country
NATIONALITY = {
    "us": "U.S.",
    "u.s.": "U.S.",
    "american": "U.S.",
    "america’s": "U.S.",
    "iranian": "Iranian",
    "iran’s": "Iranian",
    "iran's": "Iranian",
    "israeli": "Israeli",
    "turkish": "Turkish",
    "russian": "Russian",
    "iraqi": "Iraqi",
    "syrian": "Syrian",
    "british": "British",
    "uk": "British",
    "french": "French",
    "kurdish": "Kurdish",
    "saudi": "Saudi",
}
# the country entity each nationality names, when the database knows it by that name
COUNTRY = {
    "U.S.": "United States",
    "Iranian": "Iran",
    "Israeli": "Israel",
    "Turkish": "Turkey",
    "Russian": "Russia",
    "Iraqi": "Iraq",
    "Syrian": "Syria",
    "British": "United Kingdom",
    "French": "France",
    "Saudi": "Saudi Arabia",
}
# nouns that are an event only with "of" after them: "the killing of", not "killing civilians"
_NEEDS_OF = ("killing", "kidnapping", "release", "capture", "transfer", "collapse", "defeat")
_NOT_MODIFIERS = {"the", "a", "an", "this", "that", "its", "their", "and", "of"} | _MONTH_WORDS
_KILL_VERB = re.compile(r"(?i)\b(?:killed|assassinated|murdered|slain|executed)\b")
_KILLING_WORDS = ("killing", "assassination", "murder", "death")


@dataclass
class Event:
    """One event the text tells of, with what identifies it and what is known of it."""

    key: str  # stands for the event in candidates until its name is settled
    family: str
    words: str  # "U.S. airstrikes", "Iranian missile attack"
    agent: str | None = None  # the entity that carried it out
    target: str | None = None  # a named target, for the name ("on Kata'ib Hezbollah")
    target_entity: str | None = None  # the entity a ``target`` candidate names
    day: str | None = None  # "8 January 2020", once the text dates it
    known: str | None = None  # an entity of the database this event is
    years: set[str] = field(default_factory=set)  # the years of the dates given it
    mentions: int = 0

    @property
    def name(self) -> str:
        if self.known:
            return self.known
        name = self.words
        if self.target and self.target.lower() not in name.lower():
            name = f"{name} on {self.target}"
        if self.day:
            name = f"{name} of {self.day}"
        return name[0].upper() + name[1:]


def _family(noun: str) -> str:
    return FAMILIES.get(" ".join(noun.lower().split()), "attack")


def _modifiers(
    words: str, at: int, sentence: Sentence, mentions: list[Mention]
) -> tuple[list[str], str | None, bool]:
    """The modifiers kept for the name, the nationality among them ("U.S."), and whether
    one of them is a proper name (a nationality, a known entity, a capitalised word)."""
    kept: list[str] = []
    nationality = None
    proper = False
    for word in re.finditer(r"\S+", words):
        low = word.group().lower()
        if low in _NOT_MODIFIERS:
            continue
        if low in NATIONALITY:
            nationality = NATIONALITY[low]
            kept.append(nationality)
            proper = True
            continue
        if word.group()[0].isupper():
            place = at + word.start()
            named = any(m.start <= place < m.end for m in mentions)
            if not named and (place == sentence.start or low in NOT_NAMES):
                continue  # "Following Friday's strike": the sentence's first word, not a name
            proper = True
        kept.append(word.group())
    return kept, nationality, proper


def _known_event(doc: Document, mentions: list[Mention], start: int, end: int) -> str | None:
    """An event of the database the sentence names, or whose victim it names as killed."""
    for m in mentions:
        if m.kind == "event":
            return m.name
    if not _KILL_VERB.search(doc.scan, start, end) and not re.search(
        r"(?i)\b(?:killing|assassination)\b", doc.scan[start:end]
    ):
        return None
    people = [m for m in mentions if m.kind == "person"]
    for person in people:
        for event in doc.known_events:
            low = event.lower()
            if not any(w in low for w in _KILLING_WORDS):
                continue
            surname = normalise_name(person.name).split()[-1]
            if surname in normalise_name(event).split():
                return event
    return None


def events_in(
    doc: Document, sentence: Sentence, mentions: list[Mention]
) -> list[tuple[int, Event]]:
    """The events the sentence names or refers back to, with where; new ones are remembered."""
    found: list[tuple[int, Event]] = []
    known = _known_event(doc, mentions, sentence.start, sentence.end)
    for match in EVENT_PHRASE.finditer(doc.scan, sentence.start, sentence.end):
        event = _event_of(doc, sentence, match, mentions, known)
        if event is not None and all(event is not e for _, e in found):
            found.append((match.start(), event))
    if known and not found:
        found.append((sentence.start, doc.known_event(known)))
    for _, event in found:
        event.mentions += 1
        doc.current_event = event
    return found


def _event_of(
    doc: Document,
    sentence: Sentence,
    match: re.Match[str],
    mentions: list[Mention],
    known: str | None,
) -> Event | None:
    noun = match.group("noun")
    family = _family(noun)
    det = (match.group("det") or "").strip().lower()
    kept, nationality, proper = _modifiers(
        match.group("mods") or "", match.start("mods"), sentence, mentions
    )
    if family in _NEEDS_OF and not re.match(r"\s+of\b", doc.scan[match.end() :]):
        return None  # "killing anti-government protesters" is a verb, "the killing of" a noun
    if match.group("ordinal") and not kept:
        return doc.last_event_of(family)
    if match.group("ordinal"):
        return None  # "the 11th rocket attack on U.S. forces": a count over a series
    if known is not None and family in (*_VIOLENT, "killing"):
        return doc.known_event(known)
    target_entity = None
    target_name = None
    if match.group("target"):
        a, b = match.span("what")
        inside = [m for m in mentions if a <= m.start < b]
        if inside:
            target_entity = inside[0].name
        what = " ".join(match.group("what").split())
        if what[:1].isupper() and not what.split()[-1].islower():
            target_name = inside[0].name if inside and inside[0].start == a else what
    agent = _agent(doc, sentence, match, mentions, nationality)
    # "more than 6,000 attacks", "numerous IED bombings": many events, not one, unless a verb
    # gives them their agent ("the United States hit back with airstrikes at …")
    bare = match.group("plural") and not det and not nationality and not match.group("day")
    if bare and not AGENT_BEFORE.search(doc.scan[sentence.start : match.start()]):
        return None
    definite = det in ("the", "this", "that", "these", "those", "its", "their") or match.group(
        "day"
    )
    if definite:
        earlier = doc.last_event_of(family, agent=agent)
        if earlier is not None:
            return earlier
        if not kept and not target_name:
            return None  # "the attack" with nothing named before: nothing to name it by
    words_kept = ([match.group("year").strip()] if match.group("year") else []) + kept
    # a group's attack is still named by where it happened ("Karbala attack"); a country's
    # by its nationality ("Iranian missile attack")
    if not proper and not target_name and (not agent or agent not in COUNTRY.values()):
        place = _place_in(doc, sentence, mentions)
        if place is None and not agent:
            return None
        if place is not None:
            words_kept.insert(0, place)
    if nationality is None and agent and agent not in " ".join(words_kept):
        short = {v: k for k, v in COUNTRY.items()}.get(agent)
        if short:
            words_kept.insert(0, short)
        elif not target_name:
            target_name = None
    noun_words = " ".join(match.group("noun").split()) + (match.group("plural") or "")
    words = " ".join([*words_kept, noun_words])
    return doc.new_event(
        family, words, agent, target_name, target_entity, day=day_written(doc, sentence)
    )


_FULL_DAY = re.compile(
    rf"\b(?:(?P<d1>[0-3]?\d)\s+(?P<m1>{_MONTH_NAMES})|(?P<m2>{_MONTH_NAMES})\s+(?P<d2>[0-3]?\d),?)"
    r"\s+(?P<year>(?:1[6-9]|20)\d\d)\b"
)


def day_written(doc: Document, sentence: Sentence) -> str | None:
    """The one day the sentence writes out in full ("28 January 2024", "February 2, 2024"),
    as an event's name carries it; none when it writes none or several."""
    days = {
        f"{int(m.group('d1') or m.group('d2'))} {m.group('m1') or m.group('m2')} {m.group('year')}"
        for m in _FULL_DAY.finditer(doc.scan, sentence.start, sentence.end)
    }
    return days.pop() if len(days) == 1 else None


def _agent(
    doc: Document,
    sentence: Sentence,
    match: re.Match[str],
    mentions: list[Mention],
    nationality: str | None,
) -> str | None:
    if nationality is not None:
        return COUNTRY.get(nationality, nationality)
    for m in mentions:
        between = match.start("mods") <= m.start < match.start("noun")
        # "the Vela bombing": a city before the noun is where, not who; a country is who
        place_agent = m.kind == "place" and m.name in COUNTRY.values()
        if between and (m.kind in ("organisation", "alliance", "other") or place_agent):
            return m.name
    before = doc.scan[sentence.start : match.start()]
    verb = AGENT_BEFORE.search(before)
    if verb is not None:
        left = [m for m in mentions if m.end <= sentence.start + verb.start()]
        if left and sentence.start + verb.start() - left[-1].end < 20:
            return left[-1].name
    return None


def _place_in(doc: Document, sentence: Sentence, mentions: list[Mention]) -> str | None:
    """Where an event that has nothing else to name it by happened: a name after "in",
    "near" or "outside" ("a U.S. base outside Kirkuk"), else a place the sentence names."""
    near = PLACE_NAMED.search(doc.scan, sentence.start, sentence.end)
    if near is not None:
        return near.group("place")
    places = [m for m in mentions if m.kind == "place"]
    return places[0].name if places else None


PLACE_NAMED = Rule(
    r"\b(?:in|near|outside|at)\s+(?:the\s+)?(?P<place>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?)"
    r"(?=[,.;:]|\s+(?:on|in|with|and|was|were|province|city|base)\b)",
    """Where an event happened, when nothing else names it: "outside Kirkuk, Iraq",
"in Erbil on Monday".""",
)


EVENT_VERB = Rule(
    r"(?i)\b(?:fired|launched|struck|hit|attacked|targeted|bombed|shelled|stormed|raided|"
    r"exploded|detonated|assassinated|took\s+place|happened|occurred|was\s+held|were\s+held|"
    r"met|visited|protested)\b",
    """A verb that tells an event happened, so a date beside it is the event's: "On Jan. 8, Iran
fired around two-dozen missiles", "the meeting was held on 28 February".""",
)


def date_event(doc: Document, sentence: Sentence, key: str, value: str) -> None:
    """Name the event ``key`` by its day or month ("of 8 January 2020") when the sentence
    dating it names the event or tells it happened; the first such date is the event's."""
    event = next((e for e in doc.events if e.key == key), None)
    if event is None or event.known:
        return
    if re.match(r"\d{4}", value):
        event.years.add(value[:4])  # tells apart known events its words fit alike
    if event.day is not None and not (
        # a day refines the month named before: "earlier this month", then "On Jan. 8"
        re.fullmatch(r"[A-Z]\w+ \d{4}", event.day) and len(value) == 10
    ):
        return
    named = any(e is event for _, e in doc.sentence_events)
    if not named and not EVENT_VERB.search(doc.scan, sentence.start, sentence.end):
        return
    parts = re.fullmatch(r"(\d{4})-(\d\d)(?:-(\d\d))?", value)
    if parts is None or int(parts.group(2)) > 12:
        return  # a season ("2014-22") names no month
    month = _FULL_MONTHS[int(parts.group(2)) - 1]
    day = f"{int(parts.group(3))} " if parts.group(3) else ""
    event.day = f"{day}{month} {parts.group(1)}"


_FULL_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


EVENT_KEY = "\x00event:"
