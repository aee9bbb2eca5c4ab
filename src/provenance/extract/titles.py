"""Posts written as titles, read from the database's own properties: "Iraqi Prime Minister X".

A property of the vocabulary is a title when it is entity-valued and its description starts
with its own name written as a title followed by "of" (``prime_minister``: "Prime Minister
of a country (subject: the country) at a time"). No title is listed in the code: a database
that adds ``defence_minister`` described "Defence Minister of a country" has its titles read
too. A title is offered when the text says whose it is, by a country's adjective ("Iranian
Supreme Leader Ali Khamenei"), a possessive ("Iran's supreme leader, Ayatollah Khamenei") or
"of" ("the President of Syria, X"), with the person named right before or after it. A bare
title ("President Joe Biden") is whose post the text said before for that person, else whose
the database's claims record, else a guess (the place the text has named most so far),
offered with ``confidence: low``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..models import Claim, Entity, Property
from .attributions import Stretch
from .mentions import Mention
from .relations import add_relation
from .rules import Rule, any_of
from .sentences import Sentence

if TYPE_CHECKING:
    from .document import Document
    from .vocabulary import Vocabulary

_TITLE_OF = re.compile(r"^(?P<title>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+of\b")
_DEMONYM_ENDINGS = ("ian", "an", "i", "ese", "ish", "ean", "n")

HONORIFICS = Rule(
    r"^[\s,]*(?:(?:the\s+)?(?:Ayatollah|Grand|Sheikh|Shaikh|General|Gen\.|Dr\.|Mr\.|Mrs\.|Ms\.|"
    r"Sayyid|Imam|Major|Lieutenant|Brigadier|Field\s+Marshal|Prince|King)\s+)*$",
    """What may stand between a title and the name it is given to: "Iranian Supreme Leader
Ayatollah Ali Khamenei", "Iran's supreme leader, Ayatollah Khamenei".""",
)
BEFORE_TITLE = Rule(
    r"(?:(?:then|former|late|current|newly\s+elected|acting|interim)[-\s]+)*$",
    """Words of time before a title, which still name the post held: "then-President X",
"former Iraqi Prime Minister X" (the post is time-varying).""",
)


@dataclass(frozen=True)
class Title:
    words: tuple[str, ...]
    property: str


def title_properties(vocabulary: Vocabulary) -> list[Title]:
    """The vocabulary's entity properties whose description starts with their name as a title."""
    found = []
    for name, prop in vocabulary.properties.items():
        if prop.datatype != "entity":
            continue
        m = _TITLE_OF.match(prop.description or "")
        words = tuple(name.lower().split("_"))
        if m and tuple(m.group("title").lower().split()) == words:
            found.append(Title(words, name))
    return found


def demonyms(doc: Document) -> dict[str, str]:
    """A country's adjective → the country ("Iranian" → Iran), from the places the database
    knows by a one-word name: the adjective is the name, less up to two last letters, with a
    usual ending ("Iraq" + "i", "Syria" + "n", "Leban(on)" + "ese")."""
    if doc.demonyms is not None:
        return doc.demonyms
    table: dict[str, str] = {}
    for entries in doc.entities.by_first.values():
        for tokens, _rules, name, kind in entries:
            if kind != "place" or len(tokens) != 1 or len(tokens[0]) < 4:
                continue
            word = tokens[0]
            for cut in (0, 1, 2):
                stem = word[: len(word) - cut]
                if len(stem) < 4:
                    continue
                for ending in _DEMONYM_ENDINGS:
                    table.setdefault(stem + ending, name)
    doc.demonyms = table
    return table


def titles(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """The title candidates of one sentence: ``country · <title> = person``."""
    if doc.title_pattern is None:
        known = title_properties(doc.vocabulary)
        doc.title_words = {" ".join(t.words): t.property for t in known}
        doc.title_pattern = (
            re.compile(
                r"(?i)(?<!\w)(?<!vice[\s-])(?<!deputy[\s-])(?<![a-z]-(?<!then-))("
                + any_of(doc.title_words, r"[\s-]+")
                + r")\b"
            )
            if doc.title_words
            else re.compile(r"(?!)")
        )
    for x in mentions:
        if x.kind == "place":
            doc.places_named[x.name] = doc.places_named.get(x.name, 0) + 1
    for m in doc.title_pattern.finditer(doc.scan, sentence.start, sentence.end):
        prop = doc.title_words[" ".join(m.group(1).lower().replace("-", " ").split())]
        whose = _whose(doc, sentence, m.start(), m.end(), mentions)
        guessed = False
        if whose is None:
            person = _holder(doc, m.start(), m.end(), mentions, before=False)
            if person is None or not m.group(1)[0].isupper():
                continue  # "the president said": no one named, or not written as a title
            # a bare title ("Prime Minister X"): whose the text said before for that person,
            # else whose the database records, else the place the text has named most so far,
            # offered with low confidence
            owner = doc.title_owners.get((prop, person.name)) or recorded_owner(
                doc, prop, person.name
            )
            if owner is None and doc.places_named:
                owner = max(doc.places_named.items(), key=lambda item: item[1])[0]
                guessed = True
            if owner is None:
                continue
            whose = (owner, m.start(), m.end())
        country, start, end = whose
        person = _holder(doc, m.start(), end, mentions)
        if person is None:
            continue
        if not guessed:
            doc.title_owners[(prop, person.name)] = country
        lo, hi = min(start, person.start), max(end, person.end)
        why = (
            f"a bare title, whose guessed as the place the text names most ({country}):"
            if guessed
            else f"a title the text says is {country}'s:"
        )
        add_relation(
            doc,
            sentence,
            (lo, hi),
            prop,
            person.name,
            country,
            stretches,
            f"{why} {doc.words(lo, hi)!r}",
            quote=(lo, hi),
        )
        if guessed:
            doc.candidates[-1].confidence = "low"


def recorded_owner(doc: Document, prop: str, person: str) -> str | None:
    """Whose post the database's claims say ``person`` held, when they name one owner only."""
    holder = aliased(Entity)
    owners = doc.session.scalars(
        select(Entity.name)
        .join(Claim, Claim.subject_id == Entity.id)
        .join(Property, Claim.property_id == Property.id)
        .join(holder, Claim.entity_value_id == holder.id)
        .where(Property.name == prop, holder.name == person)
        .distinct()
    ).all()
    return owners[0] if len(owners) == 1 else None


def _whose(
    doc: Document, sentence: Sentence, start: int, end: int, mentions: list[Mention]
) -> tuple[str, int, int] | None:
    """Whose post a title is, and the span of title and owner: a country's adjective or a
    possessive before it, or "of X" after it."""
    after = re.match(r"\s+of\s+(?:the\s+)?", doc.scan[end : sentence.end])
    if after:
        at = end + after.end()
        owner = next((x for x in mentions if x.start == at and x.kind == "place"), None)
        if owner is not None:
            return owner.name, start, owner.end
    before = doc.scan[sentence.start : start]
    time_words = BEFORE_TITLE.search(before)
    cut = time_words.start() if time_words else len(before)
    head = before[:cut].rstrip()
    word = re.search(r"([A-Z][\w’'.-]*?)(?:['’]s)?$", head)
    if word is None:
        return None
    at = sentence.start + word.start(1)
    owner = next(
        (x for x in mentions if x.end == sentence.start + len(head) and x.kind == "place"), None
    )
    if owner is None:
        owner = next(
            (x for x in mentions if x.start <= at < x.end and x.kind == "place"),
            None,
        )
    if owner is not None:
        return owner.name, owner.start, end
    country = demonyms(doc).get(word.group(1).lower())
    if country is not None:
        return country, at, end
    return None


def _holder(
    doc: Document,
    title_start: int,
    title_end: int,
    mentions: list[Mention],
    *,
    before: bool = True,
) -> Mention | None:
    """The person a title is given to: named right after it (honorifics between), or right
    before it ("X, the Iranian supreme leader")."""
    for x in mentions:
        if x.kind == "person" and x.start <= title_start and title_end < x.end:
            return x  # an alias that holds the title: "President Donald Trump"
        if x.kind == "person" and x.start >= title_end:
            if HONORIFICS.match(doc.scan[title_end : x.start]):
                return x
            break
    if not before:
        return None
    for x in reversed(mentions):
        if x.kind == "person" and x.end <= title_start:
            gap = doc.scan[x.end : title_start]
            # the gap holds the owner ("the Iranian"), which a short stretch allows
            if len(gap) <= 40 and re.match(r"^\s*,\s+(?:the|a)\s", gap):
                return x
            break
    return None
