"""Candidate claims from a source's text, for an editor to accept (``provenance extract``).

The editor's loop is ``extract`` → edit the YAML (delete, correct, set confidence) →
``import``. Every candidate is written in the import format (SPEC §4) and imports
as written: its quote is copied from the source's own words (never from a reader
comment under an article, never from the notes section), its value is in the
syntax of ``values.py``, and a property the vocabulary lacks is declared in the
file's ``properties:`` section, marked as new.

What is recognised (each rule is a named regex below, with examples in its docstring):

* quantities: digits with separators and scale words (``1.65 million``), number words
  (``five``, ``roughly a dozen``, ``one-and-a-half``, ``one-third``), plurals of scale
  words (``hundreds of`` ≥ 200, ``dozens of`` ≥ 24), ranges (``$750,000-$1,000,000``,
  ``one or two``), bounds and approximations (``more than 100``, ``at least 70``,
  ``nearly one-third``), money with its currency, percentages, and "no casualties";
* dates of every precision (``January 20, 2007``, ``Nov. 19, 2020``, ``3 January
  2020``, ``March 2007``, ``2007``, ``the 1980s``, ``the summer of 2013``, ``late
  2007``, ranges such as ``March 2007-January 2010`` and ``from 2007 to the end of
  2009``) and relative ones, resolved against the text read so far (``later that
  year``, ``six months later``, ``the next day``, ``within a year``) or the source's
  publication date (``last week``, ``on Tuesday``, ``26 February``, ``In March``);
* leadership (``X, the leader of Y``; ``Y head X``; ``Y, led by … X``);
* attributions: a quotation introduced by its speaker, "X said", "told MEE",
  "according to X", "claimed", "admitted", "accused", "denied" (stance ``denies``).
  Every candidate in an attributed clause carries ``attributed_to``; with the kind
  ``attribution``, each quotation also becomes a ``statement`` candidate.

Decisions:

* A candidate is left out when a citation of the source already covers its figure
  (its quote span overlaps the words of the value), so a sentence holding two facts
  still offers the one nobody recorded.
* Values without a year take it from the publication date when the source has one
  (the latest such day or month on or before it), else from the last year the text
  named; weekdays are the first such day after the last day the text named, within
  the publication window.
* "hundreds" is read as ≥ 200, "dozens" ≥ 24, "roughly a dozen" ~12, "nearly N" as
  [0.9 N, N]; the editor corrects what the context says otherwise.
* Dates and numbers are read here rather than by ``dateparser`` or a number-words
  library: the forms needed are few and fixed, the precision written (day, month,
  season, year) must be kept exactly, and relative forms need the text's own
  anchors. The libraries tried fill missing parts from "now", report only a coarse
  period, and read neither "a dozen" nor "one-third" (one reads "hundreds" as 100).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import quotes
from .errors import InvalidValue
from .footnotes import body_end
from .models import Alias, Citation, Entity, Property, Source
from .values import normalise_name, parse_value

__all__ = [
    "KINDS",
    "Candidate",
    "Extraction",
    "Rule",
    "candidate_rows",
    "extract",
    "parse_kinds",
    "write_yaml",
]

KINDS = ("quantity", "date", "leadership", "attribution")
# a sentence longer than this is cut to the clause holding the value, so a quote stays readable
LONG_SENTENCE = 300


class Rule:
    """A named regular expression; its docstring says what it recognises, with examples."""

    def __init__(self, pattern: str, doc: str):
        self.regex = re.compile(pattern)
        self.__doc__ = doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)


# ---------------------------------------------------------------- the vocabulary


@dataclass(frozen=True)
class Concept:
    """A kind of fact a rule can suggest, and the property names that mean it.

    The first of ``names`` that the database's vocabulary holds with the same datatype
    is used; when none is there, ``names[0]`` is suggested as a new property.
    """

    names: tuple[str, ...]
    datatype: str
    unit: str | None = None
    multi: bool = False
    time_varying: bool = False
    description: str = ""


CONCEPTS: dict[str, Concept] = {
    "date": Concept(
        ("date", "occurred_on", "happened_on"), "date", description="When an event happened."
    ),
    "birth_date": Concept(
        ("birth_date", "born", "date_of_birth"), "date", description="When a person was born."
    ),
    "death_date": Concept(
        ("death_date", "died", "date_of_death"), "date", description="When a person died."
    ),
    "founded": Concept(
        ("founded", "founded_on", "formed"), "date", description="When an organisation was formed."
    ),
    "publication_date": Concept(
        ("publication_date", "published_on"), "date", description="When a document was made public."
    ),
    "seats": Concept(
        ("seats", "seats_won"),
        "quantity",
        "seats",
        description="Parliamentary seats won or held; qualifier election.",
    ),
    "killed": Concept(
        ("killed", "deaths", "dead", "fatalities"),
        "quantity",
        "people",
        description="People killed in an event.",
    ),
    "wounded": Concept(
        ("wounded", "injured"), "quantity", "people", description="People wounded in an event."
    ),
    "kidnapped_and_killed": Concept(
        ("kidnapped_and_killed",),
        "quantity",
        "people",
        description="People abducted in an event and later killed.",
    ),
    "hostages": Concept(
        ("hostages", "kidnapped"),
        "quantity",
        "people",
        description="People taken hostage in an event.",
    ),
    "attackers": Concept(
        ("attackers",),
        "quantity",
        "people",
        description="Number of attackers who took part in an attack.",
    ),
    "people_released": Concept(
        ("people_released", "released_count"),
        "quantity",
        "people",
        description="Number of detainees released in an event.",
    ),
    "bodies_returned": Concept(
        ("bodies_returned",), "quantity", "people", description="Bodies returned."
    ),
    "times_interrogated": Concept(
        ("times_interrogated", "interrogated_times", "interrogations"),
        "quantity",
        "interrogations",
        description="How many times a detainee was interrogated.",
    ),
    "population": Concept(
        ("population",),
        "quantity",
        "people",
        time_varying=True,
        description="Number of people; qualifier group says who is counted.",
    ),
    "personnel": Concept(
        ("personnel", "headcount", "strength"),
        "quantity",
        "people",
        time_varying=True,
        description="Number of personnel of a mission or unit at a time.",
    ),
    "page_count": Concept(
        ("page_count", "pages"), "quantity", "pages", description="Number of pages of a document."
    ),
    "attack_rate": Concept(
        ("attack_rate",),
        "quantity",
        "attacks per day",
        time_varying=True,
        description="Attacks a group launches per day.",
    ),
    "territory_share": Concept(
        ("territory_share",),
        "quantity",
        "percent",
        time_varying=True,
        description="Share of a country's territory held, in per cent; qualifier of.",
    ),
    "share": Concept(
        ("share", "percentage"),
        "quantity",
        "percent",
        description="A share, in per cent; qualifier of says of what.",
    ),
    "funding_received": Concept(
        ("funding_received", "funding"),
        "quantity",
        "USD",
        description="Money the subject received; qualifiers from and period.",
    ),
    "cost": Concept(
        ("cost",),
        "quantity",
        "USD",
        description="A financial cost to the subject; qualifier period.",
    ),
    "monetary_value": Concept(
        ("monetary_value", "amount", "value_usd"),
        "quantity",
        "USD",
        description="The stated value of a deal, in U.S. dollars.",
    ),
    "duration": Concept(
        ("duration",),
        "quantity",
        "years",
        description="How long something lasted, in years; qualifier of says what.",
    ),
    "election_rank": Concept(
        ("election_rank",),
        "quantity",
        "rank",
        description="Place in an election (1 = most votes); qualifier election.",
    ),
    "count": Concept(
        ("count",),
        "quantity",
        "items",
        description=(
            "A count not covered by a specific property; qualifier of says what is counted."
        ),
    ),
    "leader": Concept(
        ("leader", "led_by", "head"),
        "entity",
        time_varying=True,
        description="The person heading an organisation at a time.",
    ),
    "statement": Concept(
        ("statement", "stated", "said"),
        "text",
        multi=True,
        description=(
            "What a speaker said about the subject, as quoted; the speaker is attributed_to."
        ),
    ),
}


@dataclass
class PropertyChoice:
    name: str
    datatype: str
    unit: str | None
    new: bool
    concept: Concept


class Vocabulary:
    """The database's properties, and the concepts mapped onto them."""

    def __init__(self, session: Session):
        self.properties = {p.name: p for p in session.scalars(select(Property))}
        self.chosen: dict[str, PropertyChoice] = {}

    def choose(self, concept_key: str) -> PropertyChoice:
        if concept_key in self.chosen:
            return self.chosen[concept_key]
        concept = CONCEPTS[concept_key]
        choice = None
        for name in concept.names:
            prop = self.properties.get(name)
            if prop is not None and prop.datatype == concept.datatype:
                choice = PropertyChoice(name, prop.datatype, prop.unit, False, concept)
                break
        if choice is None:
            name = concept.names[0]
            taken = self.properties.get(name)
            if taken is not None:  # the name is used with another datatype
                name = f"{name}_{concept.datatype}"
            choice = PropertyChoice(name, concept.datatype, concept.unit, True, concept)
        self.chosen[concept_key] = choice
        return choice

    def new_properties(self, used: Iterable[str]) -> list[PropertyChoice]:
        names = set(used)
        return [c for c in self.chosen.values() if c.new and c.name in names]


# ---------------------------------------------------------------- entities


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # the entity's canonical name
    kind: str


class EntityIndex:
    """Entity names and aliases of the database, found in sentences token by token."""

    _TOKEN = re.compile(r"[^\s\-\u2010-\u2015_/,.;:!?()\[\]\"“”«»]+")

    def __init__(self, session: Session):
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        rows = session.execute(
            select(Alias.normalised, Entity.name, Entity.kind).join(
                Entity, Alias.entity_id == Entity.id
            )
        ).all()
        for normalised, name, kind in rows:
            tokens = tuple(normalised.split())
            if not tokens:
                continue
            self.by_first.setdefault(tokens[0], []).append((tokens, name, kind))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def mentions(self, text: str, start: int, end: int) -> list[Mention]:
        tokens = []
        for m in self._TOKEN.finditer(text, start, end):
            word = re.sub(r"['’]s$", "", m.group())
            key = normalise_name(word)
            if key:
                tokens.append((key, m.start(), m.end()))
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            best = None
            for names, name, kind in self.by_first.get(tokens[i][0], ()):
                n = len(names)
                if tuple(t[0] for t in tokens[i : i + n]) == names:
                    best = (n, name, kind)
                    break
            if best is None:
                i += 1
                continue
            n, name, kind = best
            found.append(Mention(tokens[i][1], tokens[i + n - 1][2], name, kind))
            i += n
        return found


# ---------------------------------------------------------------- number words

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE_WORDS = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_FRACTIONS = {"half": Decimal("0.5"), "third": Decimal(1) / 3, "quarter": Decimal("0.25")}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r"|a\s+dozen|dozen|a\s+hundred|a\s+thousand)"
)


def _word_value(text: str) -> Decimal | None:
    """The value of a number written in words: 'five', 'twenty-four', 'a dozen', 'one-third'."""
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w and w != "and"]
    if not words:
        return None
    if words in (["a", "dozen"], ["dozen"]):
        return Decimal(12)
    if words == ["one", "a", "half"] or words == ["one", "and", "a", "half"]:
        return Decimal("1.5")
    if len(words) == 2 and words[0] in ("one", "a") and words[1].rstrip("s") in _FRACTIONS:
        return _FRACTIONS[words[1].rstrip("s")]
    if len(words) == 2 and words[0] in _UNITS and words[1].rstrip("s") in _FRACTIONS:
        return _UNITS[words[0]] * _FRACTIONS[words[1].rstrip("s")]
    total = Decimal(0)
    current = Decimal(0)
    for word in words:
        if word == "a":
            current = current or Decimal(1)
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALE_WORDS:
            current = (current or Decimal(1)) * _SCALE_WORDS[word]
            if _SCALE_WORDS[word] >= 1000:
                total += current
                current = Decimal(0)
        else:
            return None
    return total + current


def _digits_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# ---------------------------------------------------------------- quantity rules

_OPERATORS = {
    "more than": ">",
    "over": ">",
    "in excess of": ">",
    "upwards of": ">",
    "at least": ">=",
    "no fewer than": ">=",
    "no less than": ">=",
    "up to": "<=",
    "as many as": "<=",
    "as much as": "<=",
    "at most": "<=",
    "no more than": "<=",
    "a maximum period of": "<=",
    "a maximum of": "<=",
    "within a maximum period of": "<=",
    "within": "<=",
    "fewer than": "<",
    "less than": "<",
    "under": "<",
    "roughly": "~",
    "about": "~",
    "around": "~",
    "approximately": "~",
    "some": "~",
    "an estimated": "~",
    "close to": "~",
    "a reported": "",
    "nearly": "nearly",
    "almost": "nearly",
}
_OPERATOR = "|".join(re.escape(k) for k in sorted(_OPERATORS, key=len, reverse=True))
_SCALE = r"(?:\s*(?:million|billion|trillion|thousand))"
_AMOUNT = rf"(?:[$€£]\s?)?(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?){_SCALE}?"

QUANTITY = Rule(
    rf"""(?ix)
    (?:\b(?P<op>{_OPERATOR})\s+)?
    (?:
        (?P<plural>hundreds|thousands|millions|dozens|tens)\s+of(?:\s+(?P<plural2>millions|thousands|billions)\s+of)?
      | (?P<fraction>one[-\s]and[-\s]a[-\s]half|(?:one|a|two)[-\s](?:thirds?|quarters?))
      | (?P<low>{_AMOUNT}|\b{_WORD_NUMBER}\b)
        (?:\s*(?:-|–|to|or)\s*(?P<high>{_AMOUNT}|\b{_WORD_NUMBER}\b))?
    )
    (?P<pct>\s*(?:%|per\s?cent\b))?
    """,
    """A figure with its bound or approximation.

Examples from the seeds: "15 of the 48 seats", "$750,000-$1,000,000", "$2-$3 million",
"more than 100", "roughly a dozen", "1.65 million", "at least 70 times", "nearly
one-third", "hundreds of millions of dollars", "one or two attacks a day".
""",
)

NO_CASUALTIES = Rule(
    r"(?i)\b(?:did\s+not|didn[’']t|no|without)\s+(?:cause\s+)?(?:any\s+)?casualties\b",
    """No one killed or wounded: "the attack did not cause any casualties".""",
)

ONE_DEATH = Rule(
    r"(?i)\b(?:a|an)\s+(?P<noun>(?:[A-Z.]{2,5}\s+)?[a-z]+)\s+(?:had\s+|has\s+)?(?:died|was\s+killed)\b",
    """One death told with an article: "a US contractor had died during the raid".""",
)

FINISHED_RANK = Rule(
    r"(?i)\bfinished\s+(?P<rank>first|second|third|fourth|fifth|sixth)\b",
    """A place in an election: "they finished second behind … Saairun Coalition".""",
)

# what a number must not be: a footnote-like series number, a time of day, a unit name
_NOT_A_FIGURE_BEFORE = re.compile(
    r"(?i)(?:report|no\.|nos\.|rct-|shahed|p\.|pp\.|page|chapter|article|resolution|\d:|[a-z]-)\s*$"
)
_NOT_A_FIGURE_AFTER = re.compile(
    r"^(?::\d|[a-zA-Z]|-(?!(?:year|month|week|day|decade)s?\b)[a-zA-Z]|\s*(?:am|pm|a\.m\.|p\.m\.)\b)"
)

_COUNTED_STOP = {
    "in",
    "on",
    "at",
    "and",
    "or",
    "to",
    "for",
    "from",
    "with",
    "by",
    "who",
    "which",
    "that",
    "were",
    "was",
    "is",
    "are",
    "had",
    "have",
    "has",
    "be",
    "been",
    "will",
    "would",
    "could",
    "during",
    "into",
    "across",
    "after",
    "before",
    "since",
    "while",
    "as",
    "than",
    "but",
    "if",
    "so",
    "because",
    "per",
    "a",
    "an",
    "told",
    "said",
    "says",
    "won",
    "held",
    "answer",
    "even",
    "though",
    "not",
}
_DETERMINERS = {
    "the",
    "our",
    "their",
    "his",
    "its",
    "her",
    "these",
    "those",
    "other",
    "of",
    "my",
    "your",
}
_DURATION_UNITS: dict[str, int | Decimal] = {
    "year": 1,
    "years": 1,
    "month": Decimal(1) / 12,
    "months": Decimal(1) / 12,
    "week": Decimal(7) / 365,
    "weeks": Decimal(7) / 365,
    "day": Decimal(1) / 365,
    "days": Decimal(1) / 365,
    "decade": 10,
    "decades": 10,
}
_RELATIVE_AFTER = re.compile(r"(?i)^\s*(?:later|ago|earlier|after|before|since|afterwards)\b")
_RELATIVE_BEFORE = re.compile(r"(?i)\b(?:past|last|next|previous|coming|following|first|few)\s*$")
_PEOPLE_GROUPS = {
    "shia",
    "shiites",
    "sunnis",
    "sunni",
    "kurds",
    "christians",
    "yazidis",
    "people",
    "residents",
    "inhabitants",
    "citizens",
}
_ATTACKER_NOUNS = {"militants", "attackers", "gunmen", "assailants", "fighters"}
_PERSONNEL_NOUNS = {"personnel", "troops", "staff", "members"}
_CASUALTY_WORDS = re.compile(
    r"(?i)\b(?P<kill>kill(?:ed|ing|s)?|murder(?:ed|ing)?|execut(?:ed|ing)|dead|died|deaths?|fatalities)\b"
    r"|\b(?P<wound>wound(?:ed|ing|s)?|injur(?:ed|ing|ies|y))\b"
)
_HOSTAGE_WORDS = re.compile(r"(?i)\b(?:hostages?|kidnap(?:ped|ping|s)?|abduct(?:ed|ing|ion)?)\b")
_PERIOD = re.compile(
    r"(?i)\b(?:per|a|each|every)\s+(?P<unit>month|year|week|day)\b|\b(?P<adverb>monthly|annually|yearly|weekly|daily)\b"
)


# ---------------------------------------------------------------- date rules

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|"
    r"Dec\.?)"
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"

DAY_MONTH_YEAR = Rule(
    rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH})\s*,?\s+(?P<year>{_YEAR})\b",
    """A day written day-first: "3 January 2020".""",
)
MONTH_DAY_YEAR = Rule(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d),?\s+(?P<year>{_YEAR})\b",
    """A day written month-first: "January 20, 2007", "Nov. 19, 2020".""",
)
MONTH_YEAR = Rule(
    rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})\b",
    """A month: "March 2007", "in December 2011".""",
)
DAY_MONTH = Rule(
    rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH})\b",
    """A day without its year: "26 February", "on 3 March".""",
)
MONTH_DAY = Rule(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)\b(?![,.]?\d)",
    """A day without its year, month first: "on August 30", "October 7".""",
)
MONTH_ALONE = Rule(
    rf"\b(?P<lead>(?i:in|since|by|until|last|early|late|mid-?|the\s+last|during))\s+(?P<month>{_MONTH})\b",
    """A month without its year: "In March", "in the last December".""",
)
SEASON = Rule(
    rf"(?i)\b(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+of\s+(?P<year>{_YEAR})\b",
    """A season: "the summer of 2013", "the spring of 2007".""",
)
SEASON_THAT = Rule(
    r"(?i)\bthat\s+(?P<season>spring|summer|autumn|fall|winter)\b",
    """A season of the year the text is in: "By that summer".""",
)
PART_OF_YEAR = Rule(
    rf"(?i)\b(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]+(?P<year>{_YEAR})\b",
    """A part of a year: "late 2007", "By early 2014", "the end of 2009".""",
)
DECADE = Rule(
    r"\b(?:the\s+)?(?P<decade>1[6-9]\d0|20\d0)s\b",
    """A decade: "since the 1980s".""",
)
YEAR = Rule(
    rf"\b(?P<year>{_YEAR})\b(?![,.]?\d)",
    """A year after a preposition ("in 2003", "By 2014") or before an event ("the 2003 U.S.-led
    invasion").""",
)
CHRISTMAS = Rule(
    r"\b(?P<holiday>Christmas Day|New Year’s Day|New Year's Day)\b",
    """A holiday that fixes a day: "on Christmas Day".""",
)
RELATIVE = Rule(
    r"(?i)\b(?:"
    r"(?P<later_year>later\s+that\s+year|that\s+same\s+year|the\s+same\s+year)"
    r"|(?P<same_day>later\s+that\s+(?:evening|day|night|morning)|that\s+(?:evening|night|morning)|the\s+same\s+day|hours\s+(?:after|later))"
    r"|(?P<next_day>the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after)"
    r"|(?P<within_year>within\s+a\s+year)"
    r"|(?P<amount>\w+(?:-\w+)?)\s+(?P<unit>days|weeks|months|years|day|week|month|year)\s+(?P<dir>later|afterwards|earlier)"
    r"|(?P<last>last|this)\s+(?P<last_unit>week|month|year)"
    r"|(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r")\b",
    """A date told relative to another: "later that year", "six months later", "the
next day", "Hours after", "within a year", "last week", "on Tuesday".""",
)

_YEAR_LEADS = re.compile(
    r"(?i)\b(?:in|since|by|from|until|till|to|of|during|before|after|around|circa|between|and|early|late|mid|year)\s*-?$"
)
_EVENT_NOUN_AFTER = re.compile(
    r"(?i)^\s*(?:[A-Z][\w.’'-]*\s+){0,3}?(?:U\.S\.-led\s+)?(?:invasion|elections?|uprisings?|defeat|interview|deal|war|study|attack|strike|offensive|campaign|agreement|bug-out|withdrawal|protests?|coup|revolution|surge|talks|ceasefire|truce|battle|crisis|raid)\b"
)
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_PARTS = {
    "early": (1, 4),
    "mid": (5, 8),
    "late": (9, 12),
    "the end of": (10, 12),
    "the beginning of": (1, 3),
    "the start of": (1, 3),
}

_DATE_TRIGGERS = (
    ("birth_date", re.compile(r"(?i)\b(?:born|birth)\b")),
    ("death_date", re.compile(r"(?i)\b(?:died|death|assassinat(?:ed|ion)|killed)\b")),
    ("founded", re.compile(r"(?i)\b(?:formed|founded|established|set\s+up|created|form)\b")),
    ("publication_date", re.compile(r"(?i)\b(?:published|publication|declassified)\b")),
)


# ---------------------------------------------------------------- attribution rules

_REPORTING = (
    r"(?:said|says|told|tells|noted|notes|claimed|claims|admitted|admits|accused|accuses|"
    r"denied|denies|declared|declares|proclaimed|insisted|insists|announced|stated|added|"
    r"argued|warned|indicated|disclosed|reported|confirmed|alleged|explained|described|"
    r"wrote|tweeted|emphasi[sz]ed|acknowledged|conceded|reads|"
    r"laughed\s+and\s+said)(?!\s+by\b)"
)
REPORTING_VERB = Rule(
    rf"\b(?P<verb>{_REPORTING})\b",
    """A speaker's verb: "Qayis said", "a political leader close to Iran told MEE",
"al-Khazali admitted", "the Pentagon said the next day", "Al-Sadr denies".""",
)
ACCORDING_TO = Rule(
    r"(?i)\baccording\s+to\s+(?P<speaker>[^,.;:”\"]{2,80}?)(?=[,.;:”\"]|$)",
    """A speaker named after the fact: "according to one interrogation summary".""",
)
QUOTATION = Rule(
    r"[“\"](?P<words>[^“”\"]{12,}?)[”\"]",
    """Words in quotation marks: “The ultimate goal of Iran is to destroy the Americans”.""",
)
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
_SPEAKER_CUT = re.compile(r"(?i)^(?:and|but|while|whereas|as|then|also|yet|so|when|where)\s+")
_ARTICLE = re.compile(r"(?i)^(?:the|a|an)\s+")

# ---------------------------------------------------------------- leadership rules

_NAME = (
    r"(?:(?:al|el|Abu|Abdul|bin|ibn)[-\s])?[A-Z][\w’'`ʿ.-]*(?:\s+(?:(?:al|el|bin|ibn|Ahl|"
    r"of|the|Abu|Abdul|Sayyid)[-\s]+)*[A-Z][\w’'`ʿ-]*){0,4}"
)
_ROLE = r"(?:leader|head|chief|commander|secretary\s+general|founder)"
LEADER_APPOSITION = Rule(
    rf"(?P<leader>{_NAME}),\s+(?:[\w\s]{{0,30}}?\s)?(?:the\s+)?(?:de\s+facto\s+)?{_ROLE}\s+of\s+(?:the\s+)?(?P<org>{_NAME})",
    """"Qais al-Khazali, leader of Asa'ib Ahl al-Haq", "Esmail Qaani, the head of the IRGC
    Quds".""",
)
LEADER_TITLE = Rule(
    rf"(?P<org>{_NAME})(?:’s|'s)?\s+(?:{_ROLE})\s+(?P<leader>{_NAME})",
    """"Badr Organization head Hadi al Ameri", "Hezbollah leader Hassan Nasrallah".""",
)
LEADER_LED_BY = Rule(
    rf"(?P<org>{_NAME})\)?,?\s+(?:\w+\s+){{0,2}}?led\s+by\s+(?:an?\s+[\w\s-]{{0,40}}?\s+named\s+)?(?P<leader>{_NAME})",
    """"Asa`ib Ahl al-Haqq or AAH), led by a relatively young cleric named Qais al-Khazali".""",
)
LEADER_HEAD_OF = Rule(
    rf"\b[Tt]he\s+{_ROLE}\s+of\s+(?P<org>{_NAME}),\s+(?:an?\s+[\w\s-]{{0,40}}?\s+named\s+)?(?P<leader>{_NAME})",
    """"The head of AAH, a young cleric named Qais al-Khazali".""",
)
LEADER_LEADS = Rule(
    rf"(?P<leader>{_NAME})\s+(?:now\s+)?(?:leads|heads|led|headed)\s+(?:the\s+)?(?P<org>{_NAME})",
    """"Today, Muhandis leads the PMF".""",
)
_LEADER_RULES = (LEADER_HEAD_OF, LEADER_LED_BY, LEADER_APPOSITION, LEADER_TITLE, LEADER_LEADS)
_NOT_NAMES = (
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
    | set(_MONTHS)
    | set(_WEEKDAYS)
)
_CAPITALISED = re.compile(_NAME)


# ---------------------------------------------------------------- candidates


@dataclass
class Candidate:
    """One suggested claim, with where its quote and its figure stand in the text."""

    kind: str
    subject: str
    property: str
    value: str
    quote_start: int
    quote_end: int
    value_start: int
    value_end: int
    found: str
    unit: str | None = None
    footnote: int | None = None
    attributed_to: str | None = None
    stance: str = "asserts"
    qualifiers: dict[str, str] = field(default_factory=dict)
    why: str = ""
    quote: str = ""
    # which place of the source the quote is, when its words stand at more than one
    occurrence: int | None = None


@dataclass
class Extraction:
    source: Source
    candidates: list[Candidate]
    new_properties: list[PropertyChoice]
    already_recorded: int
    kinds: tuple[str, ...]


def parse_kinds(text: str | None) -> tuple[str, ...]:
    """``quantity,date`` → ('quantity', 'date'); an unknown kind is an error naming it."""
    if text is None or not text.strip():
        return KINDS
    kinds = []
    for part in text.split(","):
        kind = part.strip().lower()
        if not kind:
            continue
        if kind in ("quantities", "number", "numbers", "money"):
            kind = "quantity"
        if kind == "dates":
            kind = "date"
        if kind not in KINDS:
            raise InvalidValue(
                f"unknown kind {part.strip()!r} in --kinds: expected a comma-separated list of"
                f" {', '.join(KINDS)}"
            )
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        raise InvalidValue(
            f"--kinds {text!r} names no kind: expected a comma-separated list of {', '.join(KINDS)}"
        )
    return tuple(kinds)


# ---------------------------------------------------------------- dates: the calendar side


@dataclass(frozen=True)
class Day:
    """A date as written: a year, a month or a day (``month``/``day`` None when not given)."""

    year: int
    month: int | None = None
    day: int | None = None

    def edtf(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date | None:
        if self.month is None or self.day is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None


def _day_of(moment: date) -> Day:
    return Day(moment.year, moment.month, moment.day)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass
class Timeline:
    """What the text has said about time so far, and when the source was published."""

    published_earliest: date | None
    published_latest: date | None
    anchor: Day | None = None
    last_day: Day | None = None

    def note(self, day: Day | None) -> None:
        if day is not None:
            self.anchor = day
            if day.day is not None:
                self.last_day = day

    def year(self) -> int | None:
        if self.anchor is not None:
            return self.anchor.year
        if self.published_latest is not None:
            return self.published_latest.year
        return None

    def undated(self, month: int, day: int | None) -> Day | None:
        """A month (or day) written without its year: the latest one on or before publication."""
        if self.published_latest is not None:
            year = self.published_latest.year
            candidate_day = day or 1
            try:
                if (
                    date(year, month, min(candidate_day, calendar.monthrange(year, month)[1]))
                    > self.published_latest
                ):
                    year -= 1
            except ValueError:
                return None
            return Day(year, month, day)
        if self.anchor is not None:
            return Day(self.anchor.year, month, day)
        return None


def _month_number(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _valid(day: Day) -> bool:
    if day.month is not None and not 1 <= day.month <= 12:
        return False
    if day.day is not None:
        return day.as_date() is not None
    return True


# ---------------------------------------------------------------- the text


@dataclass
class Sentence:
    start: int
    end: int


_SENTENCE_BREAK = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|No|Nos|pp|p|vs|etc|Jr|Sr|Brig|Maj|Capt|Adm|Gov|Sen|Rep|Prof|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


def _scan_text(source: Source) -> tuple[str, int]:
    """The source's own words with everything else blanked (same offsets), and where they end.

    Reader comments (sections) and footnote markers become spaces: a commenter's
    words are not the article's, and a marker's digits are not a figure.
    """
    text = source.text or ""
    chars = list(text)
    for start, end in quotes.searchable_spans(source):
        for i in range(max(0, start), min(len(chars), end)):
            if chars[i] != "\n":
                chars[i] = " "
    for note in source.footnotes:
        for marker in note.markers:
            for i in range(marker.start, min(marker.end, len(chars))):
                chars[i] = " "
    return "".join(chars), body_end(text)


def _sentences(scan: str, limit: int) -> list[Sentence]:
    out = []
    for paragraph in re.finditer(r"[^\n]+", scan[:limit]):
        start = paragraph.start()
        pieces = []
        for match in _SENTENCE_BREAK.finditer(scan, paragraph.start(), paragraph.end()):
            if _ABBREVIATION.search(
                scan[max(paragraph.start(), match.start() - 12) : match.start() + 1]
            ):
                continue
            pieces.append((start, match.end()))
            start = match.end()
        pieces.append((start, paragraph.end()))
        for s, e in pieces:
            while s < e and scan[s].isspace():
                s += 1
            while e > s and scan[e - 1].isspace():
                e -= 1
            if e - s >= 3 and re.search(r"[A-Za-z]", scan[s:e]):
                out.append(Sentence(s, e))
    return out


def _clause(scan: str, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The quote for a value at [start, end): its sentence, or a clause of a long one."""
    if sentence.end - sentence.start <= LONG_SENTENCE:
        return sentence.start, sentence.end
    bounds = [sentence.start]
    for match in re.finditer(r";|:\s|\s[—–]\s|—|\?\s|!\s", scan[sentence.start : sentence.end]):
        bounds.append(sentence.start + match.end())
    bounds.append(sentence.end)
    bounds = sorted(set(bounds))
    lo = max(b for b in bounds if b <= start)
    hi = min(b for b in bounds if b >= end)
    if hi - lo > LONG_SENTENCE:
        commas = [
            sentence.start + m.end()
            for m in re.finditer(r",\s", scan[sentence.start : sentence.end])
        ]
        left = [c for c in commas if lo < c <= start]
        right = [c - 2 for c in commas if end <= c - 2 < hi]
        lo2 = left[-1] if left else lo
        hi2 = right[0] if right else hi
        while hi2 - lo2 < 80 and (lo2 > lo or hi2 < hi):
            smaller_left = [c for c in left if c < lo2]
            larger_right = [c for c in right if c > hi2]
            lo2 = smaller_left[-1] if smaller_left else lo
            hi2 = larger_right[0] if larger_right else hi
        lo, hi = lo2, hi2
    while lo < hi and (scan[lo].isspace() or scan[lo] in ",;:—–"):
        lo += 1
    while hi > lo and (scan[hi - 1].isspace() or scan[hi - 1] in ",;:—–"):
        hi -= 1
    return lo, hi


# ---------------------------------------------------------------- the extractor


class _Extractor:
    def __init__(self, session: Session, source: Source, kinds: tuple[str, ...]):
        self.session = session
        self.source = source
        self.kinds = kinds
        self.vocabulary = Vocabulary(session)
        self.entities = EntityIndex(session)
        self.text = source.text or ""
        self.scan, self.limit = _scan_text(source)
        self.timeline = Timeline(
            _iso_date(source.published_earliest), _iso_date(source.published_latest)
        )
        self.last_subject: str | None = None
        self.speakers: list[str] = []
        self.sentence_speakers: set[str] = set()
        self.previous_speaker: str | None = None
        self.previous_person: str | None = None
        self.candidates: list[Candidate] = []

    # ------------------------------------------------------------ helpers

    def words(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def _property(self, concept: str) -> PropertyChoice:
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
    ) -> None:
        choice = self._property(concept)
        quote_start, quote_end = _clause(self.scan, sentence, start, end)
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

    # ------------------------------------------------------------ subjects

    def subject(
        self,
        sentence: Sentence,
        start: int,
        end: int,
        mentions: list[Mention],
        prefer: tuple[str, ...] = (),
    ) -> str:
        """The entity named nearest the value (preferring kinds in ``prefer``), else a name in the
        sentence."""
        outside = [
            m
            for m in mentions
            if (m.end <= start or m.start >= end) and m.name not in self.sentence_speakers
        ]
        if outside:

            def distance(m: Mention) -> tuple[int, int]:
                gap = (
                    start - m.end if m.end <= start else (m.start - end) * 2
                )  # names before a value are its subject more often
                return (0 if m.kind in prefer else 1, gap)

            best = min(outside, key=distance)
            self.last_subject = best.name
            return best.name
        name = self.guess_subject(sentence, start)
        if name:
            self.last_subject = name
            return name
        return (
            self.last_subject
            or self.words(sentence.start, min(sentence.end, sentence.start + 40)).split(",")[0]
        )

    def guess_subject(self, sentence: Sentence, before: int) -> str | None:
        """The capitalised name nearest before ``before`` in the sentence, as a best guess."""
        names = []
        for match in _CAPITALISED.finditer(self.scan, sentence.start, sentence.end):
            words = match.group().split()
            while words and words[0].lower().strip("’'.") in _NOT_NAMES:
                words.pop(0)
            if not words:
                continue
            names.append((match.start(), " ".join(words).rstrip(".,’'")))
        if not names:
            first = self.scan[sentence.start : sentence.end].split()
            if first and first[0].lower() in _PRONOUNS | {"his", "its", "their", "her"}:
                return self.last_subject
            return None
        earlier = [n for n in names if n[0] < before]
        return (earlier[-1] if earlier else names[0])[1]

    # ------------------------------------------------------------ attribution

    def attributions(
        self, sentence: Sentence, mentions: list[Mention]
    ) -> list[tuple[int, int, str, str]]:
        """(start, end, speaker, stance) of each attributed stretch of the sentence."""
        out = []
        s, e = sentence.start, sentence.end
        part = self.scan[s:e]
        for match in REPORTING_VERB.finditer(part):
            verb = match.group("verb")
            verb_at = s + match.start()
            speaker = self._speaker_before(s, verb_at, mentions)
            if speaker is None:
                continue
            stance = "denies" if verb.startswith("deni") else "asserts"
            # a quotation ending just before ", X said" is what X said
            quote_before = self.scan.rfind("”", s, verb_at)
            begin = s
            if quote_before >= 0 and verb_at - quote_before < 120:
                opening = self.scan.rfind("“", s, quote_before)
                begin = opening if opening >= 0 else s
                out.append((begin, quote_before + 1, speaker, stance))
            out.append((verb_at, e, speaker, stance))
        for match in ACCORDING_TO.finditer(part):
            speaker = self._clean_speaker(
                match.group("speaker"),
                mentions,
                s + match.start("speaker"),
                s + match.end("speaker"),
            )
            if speaker:
                out.append((s, e, speaker, "asserts"))
        return out

    def _speaker_before(
        self, sentence_start: int, verb_at: int, mentions: list[Mention]
    ) -> str | None:
        left = self.scan[sentence_start:verb_at]
        cut = max(
            left.rfind(","),
            left.rfind("”"),
            left.rfind('"'),
            left.rfind(";"),
            left.rfind("—"),
            left.rfind(" that "),
        )
        phrase_start = sentence_start + cut + 1 if cut >= 0 else sentence_start
        if left[cut : cut + 6] == " that ":
            phrase_start = sentence_start + cut + 6
        phrase = self.scan[phrase_start:verb_at].strip()
        return self._clean_speaker(phrase, mentions, phrase_start, verb_at)

    def _clean_speaker(
        self, phrase: str, mentions: list[Mention], at: int, until: int
    ) -> str | None:
        phrase = " ".join(phrase.split()).strip(" ,.“”\"'")
        phrase = _SPEAKER_CUT.sub("", phrase)
        phrase = re.sub(
            r"(?i)\s+(?:also|then|later|reportedly|had|has|have|once|further|even|publicly|repeatedly)$",
            "",
            phrase,
        )
        phrase = re.sub(
            r"(?i)\s+(?:also|then|later|reportedly|had|has|have|once|further|even|publicly|repeatedly)$",
            "",
            phrase,
        )
        if not phrase or len(phrase.split()) > 9:
            return None
        if phrase.lower() in _PRONOUNS:
            return self.previous_speaker or self.previous_person or self.last_subject
        inside = [m for m in mentions if at <= m.start and m.end <= until]
        if inside and len(phrase.split()) <= len(inside[-1].name.split()) + 2:
            speaker = inside[-1].name
        else:
            speaker = phrase
            if _ARTICLE.match(phrase):
                head = phrase.split()[-1].lower()
                earlier = [
                    p
                    for p in self.speakers
                    if p.split()[-1].lower() == head or head in p.lower().split()
                ]
                speaker = (
                    earlier[-1]
                    if earlier and phrase.lower().startswith("the ")
                    else _ARTICLE.sub("", phrase)
                )
        if not re.search(r"[A-Za-z]", speaker) or not normalise_name(speaker):
            return None
        self.speakers.append(speaker)
        self.sentence_speakers.add(speaker)
        return speaker

    def attribution_for(
        self, stretches: list[tuple[int, int, str, str]], start: int
    ) -> tuple[str, str] | None:
        holding = [x for x in stretches if x[0] <= start < x[1]]
        if not holding:
            return None
        best = max(holding, key=lambda x: x[0])
        return best[2], best[3]

    # ------------------------------------------------------------ the pass

    def run(self) -> list[Candidate]:
        sentences = _sentences(self.scan, self.limit)
        for sentence in sentences:
            if len(self.scan[sentence.start : sentence.end].split()) < 4:
                continue  # headings, bylines and captions of a word or three
            mentions = self.entities.mentions(self.scan, sentence.start, sentence.end)
            self.sentence_speakers = set()
            stretches = self.attributions(sentence, mentions)
            taken: list[tuple[int, int]] = []
            dates = self.dates(sentence)
            for start, end, value, day in dates:
                taken.append((start, end))
                if "date" in self.kinds:
                    self.date_candidate(sentence, start, end, value, mentions, stretches)
                self.timeline.note(day)
            if "quantity" in self.kinds:
                self.quantities(sentence, mentions, stretches, taken)
            if "leadership" in self.kinds:
                self.leaders(sentence, mentions, stretches)
            if "attribution" in self.kinds:
                self.statements(sentence, mentions, stretches)
            if mentions:
                self.last_subject = (
                    mentions[0].name if self.last_subject is None else self.last_subject
                )
            people = [
                m.name
                for m in mentions
                if m.kind == "person" and m.name not in self.sentence_speakers
            ]
            self.previous_person = people[-1] if people else self.previous_person
            self.previous_speaker = self.speakers[-1] if self.sentence_speakers else None
        return self.candidates

    # ------------------------------------------------------------ dates

    def dates(self, sentence: Sentence) -> list[tuple[int, int, str, Day | None]]:
        """(start, end, EDTF, the day it leaves as anchor) of each date in the sentence,
        in order."""
        found: list[tuple[int, int, str, Day | None]] = []
        s, e = sentence.start, sentence.end
        scan = self.scan

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y, _, _ in found)

        def put(a: int, b: int, value: str, day: Day | None) -> None:
            if free(a, b):
                found.append((a, b, value, day))

        day: Day | None  # each rule below reads a day, or a year, or neither
        year: int | None
        # ranges first, so their ends are not read as two dates
        range_re = re.compile(
            rf"(?i)\b(?:from\s+|between\s+)?(?P<a>(?:{_MONTH}\s+)?{_YEAR})\s*(?:-|–|to|and)\s*(?:the\s+end\s+of\s+)?(?P<b>(?:{_MONTH}\s+)?{_YEAR})\b"
        )
        for m in range_re.finditer(scan, s, e):
            a, b = self._month_year(m.group("a")), self._month_year(m.group("b"))
            if a is None or b is None or (a.year, a.month or 0) > (b.year, b.month or 13):
                continue
            if "end of" in m.group().lower() and b.month is None:
                value = f"{a.edtf()}/{b.year:04d}-12"
            else:
                value = f"{a.edtf()}/{b.edtf()}"
            put(m.start(), m.end(), value, a)
        for rule in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
            for m in rule.finditer(scan, s, e):
                day = Day(
                    int(m.group("year")), _month_number(m.group("month")), int(m.group("day"))
                )
                if _valid(day):
                    put(m.start(), m.end(), day.edtf(), day)
        for m in SEASON.finditer(scan, s, e):
            year = int(m.group("year"))
            put(m.start(), m.end(), f"{year:04d}-{_SEASONS[m.group('season').lower()]}", Day(year))
        for m in PART_OF_YEAR.finditer(scan, s, e):
            year = int(m.group("year"))
            first, last = _PARTS[" ".join(m.group("part").lower().split())]
            put(m.start(), m.end(), f"{year:04d}-{first:02d}/{year:04d}-{last:02d}", Day(year))
        for m in MONTH_YEAR.finditer(scan, s, e):
            day = Day(int(m.group("year")), _month_number(m.group("month")))
            put(m.start(), m.end(), day.edtf(), day)
        for m in CHRISTMAS.finditer(scan, s, e):
            month, dom = (12, 25) if m.group("holiday").startswith("Christmas") else (1, 1)
            day = self.timeline.undated(month, dom)
            if day is not None:
                put(m.start(), m.end(), day.edtf(), day)
        for rule in (DAY_MONTH, MONTH_DAY):
            for m in rule.finditer(scan, s, e):
                day = self.timeline.undated(_month_number(m.group("month")), int(m.group("day")))
                if day is not None and _valid(day):
                    put(m.start(), m.end(), day.edtf(), day)
        for m in MONTH_ALONE.finditer(scan, s, e):
            lead = m.group("lead").lower()
            month = _month_number(m.group("month"))
            day = self.timeline.undated(month, None)
            if day is None:
                continue
            start = m.start("month") if lead not in ("the last", "last") else m.start()
            if lead in ("the last", "last") and self.timeline.published_earliest:
                # "the last December" is the one before publication, up to its end
                value = f"../{day.edtf()}"
            else:
                value = day.edtf()
            put(start, m.end(), value, day)
        for m in SEASON_THAT.finditer(scan, s, e):
            year = self.timeline.year()
            if year is not None:
                put(
                    m.start(),
                    m.end(),
                    f"{year:04d}-{_SEASONS[m.group('season').lower()]}",
                    Day(year),
                )
        for m in DECADE.finditer(scan, s, e):
            put(m.start(), m.end(), m.group("decade")[:3] + "X", None)
        for m in YEAR.finditer(scan, s, e):
            before = scan[max(s, m.start() - 12) : m.start()]
            after = scan[m.end() : min(e, m.end() + 40)]
            if not (
                _YEAR_LEADS.search(before) or _EVENT_NOUN_AFTER.match(after) or (m.start() == s)
            ):
                continue
            if re.match(r"^\s*(?:[-–]\s*\d|,\d{3}|\.\d)", after):
                continue
            year = int(m.group("year"))
            put(m.start(), m.end(), f"{year:04d}", Day(year))
        for m in RELATIVE.finditer(scan, s, e):
            # "on Christmas Day, we struck back the next day": earlier dates of the sentence
            # anchor it
            for _start, end, _, anchor in sorted(found, key=lambda x: x[0]):
                if end <= m.start():
                    self.timeline.note(anchor)
            resolved = self._relative(m)
            if resolved is not None:
                put(m.start(), m.end(), resolved[0], resolved[1])
        found.sort(key=lambda x: x[0])
        return found

    def _month_year(self, text: str) -> Day | None:
        parts = text.split()
        if len(parts) == 2:
            return Day(int(parts[1]), _month_number(parts[0]))
        return Day(int(parts[0]))

    def _relative(self, m: re.Match[str]) -> tuple[str, Day | None] | None:
        anchor = self.timeline.anchor
        if m.group("later_year"):
            if anchor is None:
                return None
            if anchor.month is not None:
                return f"{anchor.edtf()}/{anchor.year:04d}-12", Day(anchor.year)
            return f"{anchor.year:04d}", Day(anchor.year)
        day_anchor = self.timeline.last_day
        if m.group("same_day"):
            if day_anchor is None:
                return None
            return day_anchor.edtf(), day_anchor
        if m.group("next_day"):
            moment = day_anchor.as_date() if day_anchor else None
            if moment is None:
                return None
            nxt = _day_of(moment + timedelta(days=1))
            return nxt.edtf(), nxt
        if m.group("within_year"):
            if anchor is None:
                return None
            if anchor.month is None:
                return f"{anchor.year:04d}/{anchor.year + 1:04d}", anchor
            y, mo = _add_months(anchor.year, anchor.month, 12)
            return f"{anchor.edtf()}/{Day(y, mo, anchor.day).edtf()}", anchor
        if m.group("unit"):
            amount = (
                _word_value(m.group("amount"))
                if not m.group("amount").isdigit()
                else Decimal(m.group("amount"))
            )
            if amount is None or anchor is None or amount != int(amount):
                return None
            n = int(amount) * (1 if m.group("dir").lower() in ("later", "afterwards") else -1)
            unit = m.group("unit").lower().rstrip("s")
            if unit == "year":
                moved = Day(anchor.year + n, anchor.month, anchor.day)
            elif unit == "month":
                if anchor.month is None:
                    return None
                y, mo = _add_months(anchor.year, anchor.month, n)
                moved = Day(
                    y,
                    mo,
                    anchor.day
                    if anchor.day and anchor.day <= calendar.monthrange(y, mo)[1]
                    else None,
                )
            else:
                moment = day_anchor.as_date() if day_anchor else None
                if moment is None:
                    return None
                moved = _day_of(moment + timedelta(days=n * (7 if unit == "week" else 1)))
            return moved.edtf(), moved
        if m.group("last"):
            published = self.timeline.published_earliest
            if published is None:
                return None
            unit = m.group("last_unit").lower()
            this = m.group("last").lower() == "this"
            if unit == "week":
                monday = (
                    published
                    - timedelta(days=published.weekday())
                    - (timedelta(0) if this else timedelta(days=7))
                )
                sunday = monday + timedelta(days=6)
                return f"{monday.isoformat()}/{sunday.isoformat()}", None
            if unit == "month":
                y, mo = (
                    (published.year, published.month)
                    if this
                    else _add_months(published.year, published.month, -1)
                )
                return Day(y, mo).edtf(), Day(y, mo)
            year = published.year if this else published.year - 1
            return f"{year:04d}", Day(year)
        if m.group("weekday"):
            if (
                not m.group().lower().startswith("on")
                and m.start() > 0
                and self.scan[m.start() - 1] not in " ("
            ):
                return None
            weekday = _WEEKDAYS[m.group("weekday").lower()]
            moment = day_anchor.as_date() if day_anchor else None
            latest = self.timeline.published_latest
            if moment is not None:
                step = (weekday - moment.weekday()) % 7 or 7
                resolved = moment + timedelta(days=step)
                if latest is None or resolved <= latest:
                    return resolved.isoformat(), _day_of(resolved)
            if latest is not None:
                back = (latest.weekday() - weekday) % 7
                resolved = latest - timedelta(days=back)
                return resolved.isoformat(), _day_of(resolved)
        return None

    def date_candidate(
        self,
        sentence: Sentence,
        start: int,
        end: int,
        value: str,
        mentions: list[Mention],
        stretches,
    ) -> None:
        # values are built from checked parts (``_valid``), so EDTF's slow parser is not run here
        window = self.scan[max(sentence.start, start - 60) : min(sentence.end, end + 60)]
        concept = "date"
        near = (start, end)
        for key, trigger in _DATE_TRIGGERS:
            hit = trigger.search(window)
            if hit:
                concept = key
                at = max(sentence.start, start - 60) + hit.start()
                near = (at, at + len(hit.group()))
                break
        if concept in ("birth_date", "death_date") and not any(
            m.kind == "person" for m in mentions
        ):
            concept = (
                "date"  # "an attack that nearly killed people on Christmas Day" dates the attack
            )
        prefer = {
            "birth_date": ("person",),
            "death_date": ("person",),
            "founded": ("organisation", "alliance"),
        }.get(concept, ("event",))
        subject = self.subject(sentence, near[0], near[1], mentions, prefer)
        written = self.words(start, end)
        why = f"date: {written!r}" + ("" if written == value else f" read as {value}")
        self.add(
            "date",
            sentence,
            start,
            end,
            concept,
            value,
            subject=subject,
            why=why,
            attribution=self.attribution_for(stretches, start),
        )

    # ------------------------------------------------------------ quantities

    def quantities(
        self, sentence: Sentence, mentions: list[Mention], stretches, taken: list[tuple[int, int]]
    ) -> None:
        s, e = sentence.start, sentence.end
        scan = self.scan
        local: list[tuple[int, int]] = list(taken)

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in local)

        for m in NO_CASUALTIES.finditer(scan, s, e):
            local.append((m.start(), m.end()))
            subject = self.subject(sentence, m.start(), m.end(), mentions, ("event",))
            for concept in ("killed", "wounded"):
                self.add(
                    "quantity",
                    sentence,
                    m.start(),
                    m.end(),
                    concept,
                    "0",
                    subject=subject,
                    why=f"quantity: {self.words(m.start(), m.end())!r} read as 0 {concept}",
                    attribution=self.attribution_for(stretches, m.start()),
                )
        for m in ONE_DEATH.finditer(scan, s, e):
            if not free(m.start(), m.end()):
                continue
            local.append((m.start(), m.end()))
            subject = self.subject(sentence, m.start(), m.end(), mentions, ("event",))
            self.add(
                "quantity",
                sentence,
                m.start(),
                m.end(),
                "killed",
                "1",
                subject=subject,
                why=f"quantity: {self.words(m.start(), m.end())!r} read as 1 killed",
                attribution=self.attribution_for(stretches, m.start()),
            )
        for m in FINISHED_RANK.finditer(scan, s, e):
            local.append((m.start(), m.end()))
            subject = self.subject(
                sentence, m.start(), m.end(), mentions, ("alliance", "organisation")
            )
            self.add(
                "quantity",
                sentence,
                m.start(),
                m.end(),
                "election_rank",
                str(_ORDINALS[m.group("rank").lower()]),
                subject=subject,
                why=f"quantity: {self.words(m.start(), m.end())!r}",
                qualifiers=self._election(sentence, mentions),
                attribution=self.attribution_for(stretches, m.start()),
            )
        for m in QUANTITY.finditer(scan, s, e):
            core_start = (
                m.start("plural")
                if m.group("plural")
                else m.start("fraction")
                if m.group("fraction")
                else m.start("low")
            )
            if core_start < 0 or not free(m.start(), m.end()):
                continue
            if (
                m.group("low")
                and not m.group("high")
                and re.fullmatch(r"\d{4}", m.group("low"))
                and 1600 <= int(m.group("low")) <= 2099
            ):
                continue  # a year the date rules did not take is not a figure either
            if _NOT_A_FIGURE_BEFORE.search(
                scan[max(s, core_start - 10) : core_start]
            ) or _NOT_A_FIGURE_AFTER.match(scan[m.end() : m.end() + 6]):
                continue
            self.quantity_candidate(sentence, m, mentions, stretches)
            local.append((m.start(), m.end()))

    def _reading(self, m: re.Match[str]) -> tuple[Decimal | None, Decimal | None, str, bool] | None:
        """(low, high, operator, is_words) of a QUANTITY match."""
        if m.group("plural"):
            unit = {
                "hundreds": 100,
                "thousands": 1000,
                "millions": 10**6,
                "dozens": 12,
                "tens": 10,
            }[m.group("plural").lower()]
            if m.group("plural2"):
                unit *= {"millions": 10**6, "thousands": 1000, "billions": 10**9}[
                    m.group("plural2").lower()
                ]
            return Decimal(2 * unit), None, ">=", True
        if m.group("fraction"):
            value = _word_value(m.group("fraction"))
            return (value, value, "", True) if value is not None else None
        low = self._amount(m.group("low"))
        high = self._amount(m.group("high")) if m.group("high") else None
        if low is None:
            return None
        if high is not None:
            # "$2-$3 million": a bare low end counts in the high end's scale
            scale = re.search(r"(?i)(million|billion|trillion|thousand)\s*$", m.group("high"))
            if (
                scale
                and not re.search(r"(?i)(million|billion|trillion|thousand)", m.group("low"))
                and low < 1000
            ):
                low = low * _SCALE_WORDS[scale.group(1).lower()]
            if low > high:
                return None
        words = not re.search(r"\d", m.group("low"))
        return low, high, "", words

    @staticmethod
    def _amount(text: str | None) -> Decimal | None:
        if text is None:
            return None
        text = text.strip()
        digits = re.match(
            r"[$€£]?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(million|billion|trillion|thousand)?$",
            text,
            re.I,
        )
        if digits:
            value = _digits_value(digits.group(1))
            if digits.group(2):
                value *= _SCALE_WORDS[digits.group(2).lower()]
            return value
        return _word_value(text)

    def quantity_candidate(
        self, sentence: Sentence, m: re.Match[str], mentions: list[Mention], stretches
    ) -> None:
        reading = self._reading(m)
        if reading is None:
            return
        low, high, operator, in_words = reading
        s, e = sentence.start, sentence.end
        scan = self.scan
        after = scan[m.end() : e]
        before = scan[max(s, m.start() - 80) : m.start()]
        op_text = (m.group("op") or "").lower()
        op = _OPERATORS.get(" ".join(op_text.split()), "") if op_text else operator
        if operator == ">=" and not op_text:
            op = ">="
        joined = re.match(r"^-(?P<unit>(?:year|month|week|day|decade)s?)\b", after)
        counted = joined.group("unit") if joined else self._counted(after)
        head = counted.split()[-1].lower().strip("”“\"'") if counted else ""
        currency = re.match(r"[$€£]", (m.group("low") or "").strip())
        currency_word = re.match(
            r"(?i)^\s*(?:(?:U\.S\.|US|American)\s+)?(?:dollars|USD|euros|pounds)\b", after
        )
        percent = bool(m.group("pct"))
        fraction = bool(m.group("fraction"))
        low_word = (m.group("low") or "").strip().lower()
        clause = scan[max(s, m.start() - 60) : min(e, m.end() + 60)]
        casualty = None
        nearest = None
        for c in _CASUALTY_WORDS.finditer(scan, max(s, m.start() - 40), min(e, m.end() + 60)):
            distance = abs(c.start() - m.start())
            if nearest is None or distance < nearest:
                nearest, casualty = distance, ("killed" if c.group("kill") else "wounded")
        # number words are figures only where they count something: "killing one", "five U.S.
        # soldiers"
        if in_words and not (m.group("plural") or fraction):
            if low_word in ("one", "a") and casualty is None and not m.group("high"):
                return
            if not counted and casualty is None and not op_text:
                return
            if (
                _RELATIVE_BEFORE.search(scan[max(s, m.start() - 12) : m.start()])
                and head in _DURATION_UNITS
            ):
                return
        if head in _DURATION_UNITS and _RELATIVE_AFTER.match(
            after[len(self._raw_counted(after)) :]
        ):
            return
        qualifiers: dict[str, str] = {}
        unit = None
        concept = None
        prefer: tuple[str, ...] = ("event",)
        scale = Decimal(1)
        if (
            currency
            or currency_word
            or (m.group("plural2") and re.match(r"(?i)^\s*dollars", after))
        ):
            unit = {"$": "USD", "€": "EUR", "£": "GBP"}.get(
                currency.group() if currency else "$", "USD"
            )
            if currency_word and not currency:
                unit = {"euros": "EUR", "pounds": "GBP"}.get(
                    currency_word.group().split()[-1].lower(), "USD"
                )
            period = _PERIOD.search(scan, m.end(), e)
            if period:
                word = (
                    period.group("unit")
                    or {
                        "monthly": "month",
                        "annually": "year",
                        "yearly": "year",
                        "weekly": "week",
                        "daily": "day",
                    }[period.group("adverb").lower()]
                )
                qualifiers["period"] = f"per {word}"
            if re.search(r"(?i)\bcost", clause):
                concept = "cost"
            elif re.search(r"(?i)\b(?:worth|valued|deal|value)\b", clause):
                concept = "monetary_value"
            else:
                concept = "funding_received"
            prefer = ("organisation", "alliance", "person")
        elif head in ("seats", "seat"):
            concept = "seats"
            prefer = ("organisation", "alliance")
            qualifiers.update(self._election(sentence, mentions))
        elif head in ("times",) and re.search(r"(?i)interrog|interview", scan[s:e]):
            concept = "times_interrogated"
            prefer = ("person",)
        elif head in ("pages", "page"):
            concept = "page_count"
        elif head in ("bodies",):
            concept = "bodies_returned"
        elif re.match(r"(?i)^\s*attacks?\s+(?:a|per)\s+day", after):
            concept = "attack_rate"
            prefer = ("organisation", "other")
        elif percent or (fraction and head not in _DURATION_UNITS):
            share_of = re.match(
                r"(?i)^\s*(?:of\s+)?(?P<of>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", after
            )
            if re.search(r"(?i)\b(?:seized|controlled|held|captured|took)\b", clause):
                concept = "territory_share"
            else:
                concept = "share"
            if share_of:
                qualifiers["of"] = share_of.group("of")
            scale = Decimal(100)
        elif head in _DURATION_UNITS:
            concept = "duration"
            scale = Decimal(_DURATION_UNITS[head])
            what = re.search(
                r"(?i)\b(?:in|of)\s+(detention|custody|office|power|prison|war)\b", after[:60]
            )
            if what:
                qualifiers["of"] = what.group(1).lower()
            prefer = ("event", "organisation", "person")
        elif _HOSTAGE_WORDS.search(clause) and casualty == "killed":
            concept = "kidnapped_and_killed"
        elif casualty is not None and not (
            counted and head in _PEOPLE_GROUPS and low is not None and low >= 10000
        ):
            concept = "killed" if casualty == "killed" else "wounded"
            if re.search(r"(?i)\bdeaths?\s+of\s*$", before) or (
                head and re.search(r"(?i)\bhundreds|dozens", m.group())
            ):
                concept = "count"
                qualifiers["of"] = f"{counted} killed" if counted else "killed"
        elif _HOSTAGE_WORDS.search(clause):
            concept = "hostages"
        elif re.search(r"(?i)\b(?:released|freed)\b", before[-50:]):
            concept = "people_released"
        elif head in _PEOPLE_GROUPS and low is not None and low >= 10000:
            concept = "population"
            qualifiers["group"] = counted.split()[-1]
            prefer = ("place",)
        elif head in _ATTACKER_NOUNS and re.search(
            r"(?i)\b(?:infiltrat|attack|storm|raid|stormed)", clause
        ):
            concept = "attackers"
        elif head in _PERSONNEL_NOUNS or re.search(
            r"(?i)\bnumber\s+of\s+[\w\s]{0,40}?personnel\s+is\s*$", before
        ):
            concept = "personnel"
            prefer = ("organisation", "other")
        else:
            noun = counted or self._counted_before(before)
            if not noun:
                return
            concept = "count"
            qualifiers["of"] = noun
        value = self._value(low, high, op, scale)
        if value is None:
            return
        choice = self._property(concept)
        if concept == "duration" and choice.unit not in (None, "years"):
            return
        try:
            parse_value("quantity", value, unit=choice.unit or unit)
        except InvalidValue:
            return
        subject = self.subject(sentence, m.start(), m.end(), mentions, prefer)
        agent = (
            None
            if re.match(r"(?i)^\s*of\b", after)
            else re.match(
                r"(?i)^[\w\s’'-]{0,40}?\bwon\s+by\s+(?:the\s+)?(?P<agent>(?:[\w’'-]+\s+){0,3}?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
                after,
            )
        )
        if agent:
            agent_mentions = [x for x in mentions if x.start >= m.end() + agent.start("agent")]
            subject = agent_mentions[0].name if agent_mentions else agent.group("agent")
        written = self.words(m.start(), m.end())
        why = f"quantity: {written!r}" + ("" if written == value else f" read as {value}")
        if concept == "duration":
            why += " years"
        elif concept in ("share", "territory_share"):
            why += " per cent"
        self.add(
            "quantity",
            sentence,
            m.start(),
            m.end(),
            concept,
            value,
            subject=subject,
            why=why,
            unit=unit,
            qualifiers=qualifiers,
            attribution=self.attribution_for(stretches, m.start()),
        )

    @staticmethod
    def _raw_counted(after: str) -> str:
        m = re.match(
            r"^\s*(?:of\s+(?:(?:the|our|their|his|its|these|those)\s+)?(?:\w+\s+)?)?(?:[\w.’'`-]+\s*){0,4}",
            after,
        )
        return m.group() if m else ""

    @staticmethod
    def _counted(after: str) -> str:
        """What a number counts: the words after it, up to a function word ("U.S. soldiers")."""
        after = re.split(r"[,;:!?()“”\"—–]|\.(?:\s|$)", after[:80], maxsplit=1)[0]
        words = re.findall(r"[^\s,.;:!?()“”\"]+(?:\.(?=[A-Z]))?(?:[A-Z]\.)?", after)
        out: list[str] = []
        skipping = True
        for word in words:
            low = word.lower().strip("’'")
            if skipping and (
                low in _DETERMINERS or re.fullmatch(r"\d[\d,.]*|" + _WORD_NUMBER, low)
            ):
                continue
            skipping = False
            if low in _COUNTED_STOP or low in _DETERMINERS:
                break
            out.append(word)
            if len(out) == 4:
                break
        while out and re.search(r"(?:ed|ing)$", out[-1]) and len(out) > 1:
            out.pop()
        if (
            out
            and re.search(r"(?:ed|ing|ly)$", out[0])
            and out[0].lower() not in ("killed", "wounded")
        ):
            return ""
        return " ".join(out).strip("’'`\"")

    @staticmethod
    def _counted_before(before: str) -> str:
        m = re.search(
            r"(?i)\bnumber\s+of\s+(?P<what>[\w\s’'-]{2,60}?)\s+(?:is|was|are|were|stands\s+at|reached)\s*$",
            before,
        )
        return " ".join(m.group("what").split()) if m else ""

    @staticmethod
    def _value(low: Decimal | None, high: Decimal | None, op: str, scale: Decimal) -> str | None:
        def fmt(number: Decimal) -> str:
            number = (
                (number * scale).quantize(Decimal("0.1"))
                if (number * scale) != int(number * scale)
                else number * scale
            )
            text = format(number.normalize(), "f")
            return text

        if low is None:
            return None
        if high is not None and high != low:
            return f"{fmt(low)}..{fmt(high)}"
        if op == "nearly":
            return f"{fmt(low * Decimal('0.9'))}..{fmt(low)}"
        if op in (">", ">=", "<", "<=", "~"):
            return f"{op}{fmt(low)}"
        return fmt(low)

    def _election(self, sentence: Sentence, mentions: list[Mention]) -> dict[str, str]:
        for mention in mentions:
            if mention.kind == "event" and "election" in mention.name.lower():
                return {"election": mention.name}
        m = re.search(
            r"(?i)(?P<year>\b\d{4})\s+(?:[A-Z]\w+\s+){0,3}?(?:parliamentary\s+)?elections?\b",
            self.scan[sentence.start : sentence.end],
        )
        if m:
            return {"election": " ".join(m.group().split())}
        return {}

    # ------------------------------------------------------------ leadership

    def leaders(self, sentence: Sentence, mentions: list[Mention], stretches) -> None:
        seen = set()
        for rule in _LEADER_RULES:
            for m in rule.finditer(self.scan, sentence.start, sentence.end):
                leader = self._named(m.group("leader"), m.start("leader"), mentions)
                org = self._named(m.group("org"), m.start("org"), mentions)
                if (
                    not leader
                    or not org
                    or normalise_name(leader) == normalise_name(org)
                    or (leader, org) in seen
                ):
                    continue
                seen.add((leader, org))
                self.add(
                    "leadership",
                    sentence,
                    m.start(),
                    m.end(),
                    "leader",
                    leader,
                    subject=org,
                    why=f"leadership: {self.words(m.start(), m.end())!r}",
                    attribution=self.attribution_for(stretches, m.start()),
                )

    def _named(self, text: str, at: int, mentions: list[Mention]) -> str | None:
        inside = [x for x in mentions if at <= x.start < at + len(text) + 1]
        if inside:
            return inside[0].name
        words = text.split()
        while words and words[0].lower().strip("’'") in _NOT_NAMES:
            words.pop(0)
        name = " ".join(words).rstrip(".,’'")
        if len(name) < 3 or name.lower() in _NOT_NAMES:
            return None
        return name

    # ------------------------------------------------------------ statements

    def statements(self, sentence: Sentence, mentions: list[Mention], stretches) -> None:
        for m in QUOTATION.finditer(self.scan, sentence.start, sentence.end):
            words = " ".join(m.group("words").split()).strip(" ,.")
            if len(words.split()) < 4:
                continue
            attribution = self.attribution_for(stretches, m.start()) or self.attribution_for(
                stretches, m.end() - 1
            )
            if attribution is None:
                continue
            speaker, stance = attribution
            about = [
                x
                for x in mentions
                if m.start() <= x.start < m.end()
                and normalise_name(x.name) != normalise_name(speaker)
            ]
            subject = about[0].name if about else speaker
            self.add(
                "attribution",
                sentence,
                m.start(),
                m.end(),
                "statement",
                words,
                subject=subject,
                why=f"attribution: quoted words of {speaker}",
                attribution=(speaker, stance),
            )


# ---------------------------------------------------------------- the command's library side


def extract(session: Session, source: Source, kinds: tuple[str, ...] = KINDS) -> Extraction:
    """Candidate claims of ``source``, leaving out what a citation of it already covers."""
    if not source.text:
        return Extraction(source, [], [], 0, kinds)
    extractor = _Extractor(session, source, kinds)
    raw = extractor.run()
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
    return Extraction(source, kept, extractor.vocabulary.new_properties(used), skipped, kinds)


_ENDS_SENTENCE = re.compile(r"[.?!][\"'”’)\]]*$")


def _yaml_string(value: str) -> str:
    # JSON strings are YAML double-quoted scalars: every quote mark and backslash survives
    return json.dumps(value, ensure_ascii=False)


def write_yaml(extraction: Extraction, stream: TextIO) -> int:
    """Write the candidates in the import format; returns how many were written."""
    source = extraction.source
    candidates = extraction.candidates
    lines = [
        (
            f"# Candidate claims of {source.slug} ({' '.join(source.title.split())}), found by"
            " `provenance extract`"
        ),
        f"# (kinds: {', '.join(extraction.kinds)}). {len(candidates)} candidate(s)"
        + (
            f"; {extraction.already_recorded} left out: a citation of this source already covers"
            " them."
            if extraction.already_recorded
            else "."
        ),
        "#",
        "# Each one is a suggestion: delete what is not a claim, correct subject, property and",
        "# value, fill in confidence (high, medium or low; left blank it is recorded as medium),",
        "# then run `provenance import` on this file. Quotes are the source's own words and",
        "# must stay so; the comment above each claim says what was read and how.",
    ]
    if extraction.new_properties:
        lines += [
            "#",
            (
                "# Properties under `properties:` are NEW: the vocabulary lacks them and importing"
                " this"
            ),
            "# file adds them. Rename a candidate's property to an existing one to avoid that.",
        ]
        lines.append("properties:")
        for choice in extraction.new_properties:
            concept = choice.concept
            lines.append("  # new property")
            lines.append(f"  - name: {choice.name}")
            lines.append(f"    type: {choice.datatype}")
            if concept.multi:
                lines.append("    multi: true")
            if concept.time_varying:
                lines.append("    time_varying: true")
            if choice.unit:
                lines.append(f"    unit: {_yaml_string(choice.unit)}")
            if concept.description:
                lines.append(f"    description: {_yaml_string(concept.description)}")
    if not candidates:
        lines.append("claims: []")
    else:
        lines.append("claims:")
    for candidate in candidates:
        lines.append(f"  # {candidate.why}")
        lines.append(f"  - source: {_yaml_string(source.slug)}")
        lines.append(f"    subject: {_yaml_string(candidate.subject)}")
        lines.append(f"    property: {candidate.property}")
        lines.append(f"    value: {_yaml_string(candidate.value)}")
        if candidate.unit:
            lines.append(f"    unit: {_yaml_string(candidate.unit)}")
        lines.append(f"    quote: {_yaml_string(candidate.quote)}")
        if candidate.occurrence is not None:
            lines.append(f"    occurrence: {candidate.occurrence}")
        if candidate.footnote is not None:
            lines.append(f"    footnote: {candidate.footnote}")
        if candidate.attributed_to:
            lines.append(f"    attributed_to: {_yaml_string(candidate.attributed_to)}")
        if candidate.stance != "asserts":
            lines.append(f"    stance: {candidate.stance}")
        if candidate.qualifiers:
            lines.append("    qualifiers:")
            for key, value in candidate.qualifiers.items():
                lines.append(f"      {key}: {_yaml_string(value)}")
        lines.append("    confidence:")
    stream.write("\n".join(lines) + "\n")
    return len(candidates)


def candidate_rows(extraction: Extraction) -> list[dict[str, Any]]:
    """The candidates as plain records (the import format's keys), for tests and tools."""
    return [
        {
            "source": extraction.source.slug,
            "kind": c.kind,
            "subject": c.subject,
            "property": c.property,
            "value": c.value,
            "unit": c.unit,
            "quote": c.quote,
            "quote_start": c.quote_start,
            "quote_end": c.quote_end,
            "footnote": c.footnote,
            "attributed_to": c.attributed_to,
            "stance": c.stance,
            "qualifiers": c.qualifiers,
        }
        for c in extraction.candidates
    ]
