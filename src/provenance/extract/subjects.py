"""Who or what a value is about: the entity named nearest it, else a capitalised name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..lexicon import MONTHS, WEEKDAYS, word_value
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence

if TYPE_CHECKING:
    from .document import Document


PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
NAME = (
    r"(?:(?:al|el|Abu|Abdul|bin|ibn)[-\s])?[A-Z][\w’'`ʿ.-]*(?:\s+(?:(?:al|el|bin|ibn|Ahl|"
    r"of|the|Abu|Abdul|Sayyid)[-\s]+)*[A-Z][\w’'`ʿ-]*){0,4}"
)
NOT_NAMES = (
    {
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "and",
        "but",
        "however",
        "when",
        "while",
        "after",
        "before",
        "during",
        "since",
        "despite",
        "although",
        "yet",
        "this",
        "that",
        "these",
        "those",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "its",
        "his",
        "her",
        "their",
        "our",
        "today",
        "born",
        "even",
        "instead",
        "such",
        "as",
        "if",
        "or",
        "then",
        "thus",
        "so",
        "over",
        "under",
        "each",
        "many",
        "some",
        "most",
        "all",
        "both",
        "other",
        "another",
        "according",
        "by",
        "for",
        "from",
        "with",
        "what",
        "who",
        "why",
        "how",
        "there",
        "here",
        "critically",
        "interestingly",
        "beyond",
        "throughout",
        "taking",
        "chiding",
        "analysis",
        "understanding",
        "subsequent",
        "iran",
        "iraq",
        "iranian",
        "iraqi",
        "u.s",
        "us",
        "american",
        "americans",
        "shia",
        "shi`a",
        "sunni",
        "historically",
        "going",
        "initial",
        "ironically",
        "privately",
        "obviously",
        "basically",
        "premier",
    }
    | set(MONTHS)
    | set(WEEKDAYS)
)
_CAPITALISED = re.compile(NAME)


def subject_of(
    doc: Document,
    sentence: Sentence,
    start: int,
    end: int,
    mentions: list[Mention],
    prefer: tuple[str, ...] = (),
    *,
    name_event: bool = False,
) -> str:
    """The entity named nearest the value (preferring kinds in ``prefer``), else a name in the
    sentence."""
    outside = [
        m
        for m in mentions
        if (m.end <= start or m.start >= end)
        and m.name not in doc.sentence_speakers | doc.sentence_listeners
    ]
    if name_event or "event" in prefer:
        event = event_of(doc, start, outside, strong=name_event)
        if event is not None:
            return event
    if outside:

        def distance(m: Mention) -> tuple[int, int]:
            gap = (
                start - m.end if m.end <= start else (m.start - end) * 2
            )  # names before a value are its subject more often
            # a place is rarely what a figure is about: the event or the group is
            rank = 0 if m.kind in prefer else 2 if m.kind == "place" else 1
            return (rank, gap)

        best = min(outside, key=distance)
        best = _coordinated_subject(doc, sentence, best, start, outside)
        doc.last_subject = best.name
        return best.name
    name = guess_subject(doc, sentence, start)
    if name and name not in doc.sentence_listeners:
        doc.last_subject = name
        return name
    return (
        doc.last_subject
        or doc.words(sentence.start, min(sentence.end, sentence.start + 40)).split(",")[0]
    )


COORDINATED = Rule(
    r",?\s+and\s+(?:has|have|had|is|are|was|were|also|then|later|still)\b",
    """A second predicate of the same subject: "Asaib Ahl al-Haq is funded by the Quds Force,
and has claimed more than 6,000 attacks" (the attacks are the group's, not the Quds
Force's).""",
)


def _coordinated_subject(
    doc: Document, sentence: Sentence, best: Mention, start: int, outside: list[Mention]
) -> Mention:
    """The clause's subject instead of the name nearest the value, when a coordinated
    predicate ("…, and has claimed …") stands between that name and the value."""
    if best.end > start or not COORDINATED.search(doc.scan, best.end, start):
        return best
    head = doc.scan[sentence.start : best.start]
    that = max(head.rfind(" that "), head.rfind(", "), -1)
    clause_start = sentence.start + (that + 1 if that >= 0 else 0)
    first = [m for m in outside if clause_start <= m.start < best.start and m.kind != "place"]
    return first[0] if first else best


def guess_subject(doc: Document, sentence: Sentence, before: int) -> str | None:
    """The capitalised name nearest before ``before`` in the sentence, as a best guess."""
    names = []
    for match in _CAPITALISED.finditer(doc.scan, sentence.start, sentence.end):
        words = match.group().split()
        while words and (
            words[0].lower().strip("’'.") in NOT_NAMES or word_value(words[0]) is not None
        ):
            words.pop(0)
        if not words:
            continue
        names.append((match.start(), " ".join(words).rstrip(".,’'")))
    if not names:
        first = doc.scan[sentence.start : sentence.end].split()
        if first and first[0].lower() in PRONOUNS | {"his", "its", "their", "her"}:
            return doc.last_subject
        return None
    earlier = [n for n in names if n[0] < before]
    return (earlier[-1] if earlier else names[0])[1]


NAMED_PERSON = Rule(
    r"(?:^|,\s+|\b(?:spokes(?:man|woman|person)|minister|commander|governor|president|general|"
    r"colonel|official|leader|chief|director|ambassador|secretary|senator|mayor|analyst|envoy|"
    r"cleric|lawmaker|MP)\s+)"
    r"(?P<name>[A-Z][a-z]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){1,3})"
    r"(?=\s*[,.;:]|\s+(?:said|told|says|added|who|visited|spoke)\b)",
    """A person the database does not know, named with a role or between commas: "The
governor, Karim Salman, visited", "military spokesman Daniel Reyes said".""",
)


def person_named(doc: Document, sentence: Sentence, mentions: list[Mention]) -> str | None:
    """The last person the sentence names, known or not: whom a later "he said" means."""
    people = [
        m.name for m in mentions if m.kind == "person" and m.name not in doc.sentence_speakers
    ]
    if people:
        return people[-1]
    others = [(m.start, m.end) for m in mentions]
    found = None
    for match in NAMED_PERSON.finditer(doc.scan[sentence.start : sentence.end]):
        a, b = (sentence.start + at for at in match.span("name"))
        if not any(x < b and a < y for x, y in others):
            found = " ".join(match.group("name").split())
    return found


def event_of(doc: Document, start: int, others: list[Mention], *, strong: bool) -> str | None:
    """The event a figure or date at ``start`` is about, as its key: one the sentence names
    (the nearest before the value, else the first), else, for a casualty figure (``strong``)
    or where the sentence names no person or group, the event the text is telling of."""
    if doc.sentence_events:
        before = [e for at, e in doc.sentence_events if at <= start]
        return (before[-1] if before else doc.sentence_events[0][1]).key
    current = doc.current_event
    if current is None or doc.sentences_since_event > EVENT_REACH:
        return None
    if strong or not any(m.kind in ("person", "organisation", "alliance") for m in others):
        return current.key
    return None


# how many sentences after its last mention a text may still be telling of an event
EVENT_REACH = 6
