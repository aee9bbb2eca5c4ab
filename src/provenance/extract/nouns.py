"""Relations told by a noun the vocabulary gives a property: "received training from X".

The nouns of a property are read from the database, not listed here: for an entity property
named "<verb>ed_by" (``trained_by``, ``backed_by``, ``controlled_by``), the verb's "-ing" noun
("training", "backing") and, when six letters or more, its stem ("control", "support"); and
the words its description lists in brackets ("A state or organisation that supported the
subject (funding, weapons, training, advice, air support)"), less the words of events
("attack", "raid", which name what was done, not a relation). Three shapes are read:

* a receiver, "received" (or "obtained", "got") the nouns, "from" the givers: "The Red Hand
  Brigade received funding, weapons and training from Loria";
* a giver, "provided" (or "gave", "supplied") the receiver "with" the nouns, or the nouns "to"
  the receiver: "Loria provided the Red Hand Brigade with training";
* the giver's possessive or country adjective before the noun, "for", "to", "of" or "over"
  the receiver after it: "Lorian backing for the Red Hand Brigade", "Loria's control over the
  Vela Guard".

A negation before the verb or noun breaks the link ("did not receive funding from X").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .attributions import Stretch
from .events import FAMILIES
from .mentions import Mention
from .phrases import NEGATION, first_named, subject_before, values_after
from .relations import add_relation
from .rules import Rule
from .sentences import Sentence
from .titles import demonyms

if TYPE_CHECKING:
    from .document import Document
    from .vocabulary import Vocabulary

RECEIVED = Rule(
    r"(?i)\b(?:received|receives|receive|receiving|obtained|obtains|got|gets)\s+"
    r"(?P<nouns>[^.;:“”\"]{1,90}?)\s+from\b",
    """A receiver and what it received: "The Red Hand Brigade received funding, weapons and
training from Loria".""",
)
PROVIDED_WITH = Rule(
    r"(?i)\b(?:provided|provides|provide|providing|supplied|supplies|supply|supplying)\s+"
    r"(?P<receiver>[^.;:“”\"]{1,60}?)\s+with\s+(?P<nouns>[^.;:“”\"]{1,60})",
    """A giver, the receiver, "with" what was given: "Loria provided the Red Hand Brigade with
training and weapons".""",
)
PROVIDED_TO = Rule(
    r"(?i)\b(?:provided|provides|provide|providing|gave|gives|give|giving|supplied|supplies|"
    r"supply|supplying|offered|offers|offer|extended|extends)\s+"
    r"(?P<nouns>[^.;:“”\"]{1,80}?)\s+to\s+",
    """A giver, what was given, "to" the receiver: "Loria gave money and training to the Red
Hand Brigade".""",
)
POSSESSOR = Rule(
    r"(?P<giver>[A-Z][\w.’'-]*?)(?:['’]s)?\s+(?:(?:continued|direct|financial|military|"
    r"material|logistical|political|full|growing|strong|heavy|ongoing|tight|effective)\s+)?"
    r"(?P<noun>[a-z]+)\s+(?:for|to|of|over)\s+(?:the\s+)?",
    """The giver's possessive or adjective before the noun, the receiver after: "Lorian
backing for the Red Hand Brigade", "Loria's control over the Vela Guard".""",
)


def property_nouns(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Each noun the vocabulary gives an entity property "<verb>ed_by", and those properties."""
    nouns: dict[str, list[str]] = {}
    for name, prop in vocabulary.properties.items():
        words = name.lower().split("_")
        if prop.datatype != "entity" or len(words) != 2 or words[1] != "by":
            continue
        if re.search(r"(?i)\ban event\b", prop.description or ""):
            continue  # an event's agent ("supported an event"): these shapes link two names
        verb = words[0]
        found: set[str] = set()
        if verb.endswith("ed") and len(verb) > 4:
            stem = verb[:-2]
            if stem[-1] == stem[-2]:
                stem = stem[:-1]  # "controlled" → "control"
            found.add(stem + "ing")
            if len(stem) >= 6:
                found.add(stem)
        listed = re.search(r"\(([^()]*)\)", prop.description or "")
        if listed:
            for item in listed.group(1).split(","):
                item = " ".join(item.lower().split())
                if re.fullmatch(r"[a-z]+(?: [a-z]+)?", item) and item not in FAMILIES:
                    found.add(item)
        for noun in found:
            nouns.setdefault(noun, []).append(name)
    return nouns


def _properties_in(doc: Document, text: str) -> list[str]:
    """The properties whose nouns ``text`` holds as whole words, in the vocabulary's order."""
    assert doc.nouns is not None
    found: list[str] = []
    for noun, properties in doc.nouns.items():
        if re.search(rf"(?i)(?<![\w-]){re.escape(noun)}(?![\w-])", text):
            found += [p for p in properties if p not in found]
    return found


def nouns(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """The relation candidates one sentence gives through the vocabulary's nouns."""
    if doc.nouns is None:
        doc.nouns = property_nouns(doc.vocabulary)
    if not doc.nouns:
        return
    scan = doc.scan
    for m in RECEIVED.finditer(scan, sentence.start, sentence.end):
        if NEGATION.search(scan, max(sentence.start, m.start() - 25), m.start()):
            continue
        wanted = _properties_in(doc, m.group("nouns"))
        givers = values_after(doc, m.end(), sentence.end, mentions)
        recipient, guessed = _receiver(doc, sentence, m.start(), mentions)
        for prop in wanted:
            for named in givers:
                _offer(
                    doc,
                    sentence,
                    (m.start(), named.end),
                    prop,
                    named.name,
                    recipient,
                    stretches,
                    guessed,
                )
    for rule in (PROVIDED_WITH, PROVIDED_TO):
        for m in rule.finditer(scan, sentence.start, sentence.end):
            if NEGATION.search(scan, max(sentence.start, m.start() - 25), m.start()):
                continue
            wanted = _properties_in(doc, m.group("nouns"))
            if not wanted:
                continue
            giver = subject_before(doc, sentence, m.start(), mentions)
            if giver is None:
                continue
            if rule is PROVIDED_WITH:
                at = m.start("receiver")
                receivers = [x for x in mentions if at <= x.start and x.end <= m.end("receiver")]
                receivers = (
                    receivers[:1]
                    if receivers and re.fullmatch(r"(?:the\s+)?", scan[at : receivers[0].start])
                    else []
                )
                end = m.end()
            else:
                receivers = values_after(doc, m.end(), sentence.end, mentions)
                end = receivers[-1].end if receivers else m.end()
            for prop in wanted:
                for receiver in receivers:
                    _offer(
                        doc,
                        sentence,
                        (m.start(), end),
                        prop,
                        giver,
                        receiver.name,
                        stretches,
                        False,
                    )
    for m in POSSESSOR.finditer(scan, sentence.start, sentence.end):
        properties = doc.nouns.get(m.group("noun").lower())
        if not properties:
            continue
        giver = _giver(doc, m, mentions)
        if giver is None:
            continue
        if NEGATION.search(scan, max(sentence.start, m.start() - 25), m.start()):
            continue
        receivers = [x for x in mentions if x.start == m.end()]
        for prop in properties:
            for receiver in receivers:
                _offer(
                    doc,
                    sentence,
                    (m.start(), receiver.end),
                    prop,
                    giver,
                    receiver.name,
                    stretches,
                    False,
                )


def _receiver(
    doc: Document, sentence: Sentence, start: int, mentions: list[Mention]
) -> tuple[str | None, bool]:
    """Who received: the name right before the verb, else the sentence's first (a guess)."""
    named = subject_before(doc, sentence, start, mentions)
    if named is not None:
        return named, False
    return first_named(doc, sentence, start, mentions), True


def _giver(doc: Document, m: re.Match[str], mentions: list[Mention]) -> str | None:
    """The giver a possessive ("Loria's", "the Vela Guard's") or an adjective ("Lorian") names."""
    start, end = m.span("giver")
    possessive = doc.scan[end : end + 2] in ("’s", "'s")
    for x in mentions:
        if x.start <= start < x.end or (
            possessive and x.end in (end, end + 2) and x.start <= start
        ):
            return x.name if possessive or x.end == end else None
    if possessive:
        return None
    return demonyms(doc).get(m.group("giver").lower())


def _offer(
    doc: Document,
    sentence: Sentence,
    at: tuple[int, int],
    prop: str,
    value: str,
    subject: str | None,
    stretches: list[Stretch],
    guessed: bool,
) -> None:
    if subject is None:
        return
    if any(
        c.property == prop
        and c.subject == subject
        and c.value == value
        and c.quote_start < at[1]
        and at[0] < c.quote_end
        for c in doc.candidates
    ):
        return  # a rule of its own read it already
    why = f"the property's noun: {doc.words(*at)!r}"
    if guessed:
        why += f", subject guessed as the sentence's first name ({subject})"
    add_relation(doc, sentence, at, prop, value, subject, stretches, why)
    if guessed and doc.candidates and doc.candidates[-1].property == prop:
        doc.candidates[-1].confidence = "low"
