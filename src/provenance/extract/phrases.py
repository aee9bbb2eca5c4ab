"""Relations read from the database's own property names: "X worked for Y", "X was trained by Y".

An entity property whose name is a phrase ending in a preposition (``worked_for``,
``trained_by``, ``close_ties_with``, ``studied_under``, ``split_from``), or a verb of its
own (``liberated``, ``controls``; not one whose description says its subject is an event, as
``captured``: "A person captured in an event", an event the text does not name) is looked
for as those words in the text, its first word in any form of the verb ("works", "working",
"studies") unless the phrase is a passive one ending in "by" (whose participle is its only
form: "found by" is not ``founded_by``). No phrase is listed in the code: a database that
adds ``funded_by`` has it read too. The subject is the entity named right before the phrase
(only auxiliaries, "who" or an adverb between: "X, who had long worked for Y"; "the group"
is the group named last), the value the entity named right after it (an article or a word of
time between), and each entity of a list after it ("trained by A, B and C"). A negation
breaks the link ("X never worked for Y" gives nothing), and so does a possessive after the
phrase ("close ties with Iran's commander X": the tie is with the commander, not with Iran).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .attributions import Stretch
from .mentions import Mention
from .relations import GROUP_PRONOUN, add_relation
from .rules import Rule
from .sentences import Sentence

if TYPE_CHECKING:
    from .document import Document
    from .vocabulary import Vocabulary

_PREPOSITIONS = {
    "by",
    "for",
    "with",
    "from",
    "under",
    "alongside",
    "against",
    "to",
    "at",
    "via",
    "in",
    "of",
    "on",
}

BEFORE_PHRASE = Rule(
    r"(?i)^[\s,]*(?:(?:who|which|that|is|was|were|are|be|been|being|has|have|had|also|"
    r"reportedly|allegedly|once|now|later|still|long|directly|closely|then|previously|"
    r"first|both|all)[\s,]+)*$",
    """What may stand between a subject and the property's words: "Khazali, who worked for",
"the unit was reportedly trained by", "X has long had close ties with".""",
)
AFTER_PHRASE = Rule(
    r"^\s+(?:(?:the|a|an|young|late|former|then)[\s-]+)*$",
    """What may stand between the property's words and the value: "studied under the late
X", "worked for the young Y".""",
)
LIST_LINK = Rule(
    r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?$",
    """The links of a list of values: "trained by A, B, and C".""",
)


@dataclass(frozen=True)
class Phrase:
    property: str
    pattern: re.Pattern[str]


def _forms(word: str, passive: bool) -> list[str]:
    """The forms of a verb a property name starts with ("worked" → work, works, working)."""
    forms = [word]
    if passive:
        return forms
    if word.endswith("ied"):
        base = word[:-3]
        forms += [base + "y", base + "ies", base + "ying"]
    elif word.endswith("ed") and len(word) > 4:
        base = word[:-2]
        if base[-1] == base[-2]:
            base = base[:-1]  # "controlled" → "control"
        forms += [base, base + "s", base + "ing", base + "e", base + "es"]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        base = word[:-1]  # "controls" → control, controlled, controlling
        forms += [base, base + "ed", base + base[-1] + "ed", base + "ing", base + base[-1] + "ing"]
    return forms


def phrase_properties(vocabulary: Vocabulary, titles: set[str]) -> list[Phrase]:
    """The vocabulary's entity properties named by a phrase ending in a preposition."""
    found = []
    for name, prop in vocabulary.properties.items():
        words = name.lower().split("_")
        if prop.datatype != "entity" or name in titles or not all(w.isalpha() for w in words):
            continue
        if len(words) == 1:
            # a verb of its own ("liberated", "controls"), unless the subject is an event
            # ("captured": "A person captured in an event"), whose name the text never gives
            if not re.search(r"(?:ed|[^s]s)$", name) or re.search(
                r"(?i)\ban event\b", prop.description or ""
            ):
                continue
        elif words[-1] not in _PREPOSITIONS:
            continue
        first = "|".join(_forms(words[0], passive=words[-1] == "by"))
        rest = "".join(r"\s+" + re.escape(w) for w in words[1:])
        pattern = re.compile(rf"(?i)(?<![\w-])(?:{first}){rest}(?![\w-])")
        found.append(Phrase(name, pattern))
    return found


def any_phrase(phrases: list[Phrase]) -> re.Pattern[str]:
    """One pattern for all the phrases, the group ``p<i>`` naming which one matched: one scan
    of a sentence instead of one a phrase."""
    if not phrases:
        return re.compile(r"(?!)")
    body = "|".join(
        f"(?P<p{i}>{phrase.pattern.pattern.removeprefix('(?i)')})"
        for i, phrase in enumerate(phrases)
    )
    return re.compile(f"(?i){body}")


def phrases(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """The relation candidates one sentence gives through the vocabulary's phrases."""
    if doc.phrases is None:
        doc.phrases = phrase_properties(doc.vocabulary, set(doc.title_words.values()))
        doc.phrase_pattern = any_phrase(doc.phrases)
    assert doc.phrase_pattern is not None
    for m in doc.phrase_pattern.finditer(doc.scan, sentence.start, sentence.end):
        phrase = doc.phrases[int((m.lastgroup or "p0")[1:])]
        subject = subject_before(doc, sentence, m.start(), mentions)
        guessed = False
        if subject is None:
            subject = first_named(doc, sentence, m.start(), mentions)
            guessed = True
        if subject is None:
            continue
        for value in values_after(doc, m.end(), sentence.end, mentions):
            if any(
                c.property == phrase.property
                and c.subject == subject
                and c.value == value.name
                and c.quote_start < value.end
                and m.start() < c.quote_end
                for c in doc.candidates
            ):
                continue  # a rule of its own read it already
            add_relation(
                doc,
                sentence,
                (m.start(), value.end),
                phrase.property,
                value.name,
                subject,
                stretches,
                (
                    f"the property's own words: {doc.words(m.start(), value.end)!r}"
                    + (
                        f", subject guessed as the sentence's first name ({subject})"
                        if guessed
                        else ""
                    )
                ),
            )
            if guessed:
                doc.candidates[-1].confidence = "low"


def subject_before(
    doc: Document, sentence: Sentence, start: int, mentions: list[Mention]
) -> str | None:
    before = [x for x in mentions if x.end <= start]
    if before and BEFORE_PHRASE.match(doc.scan[before[-1].end : start]):
        return before[-1].name
    pronoun = GROUP_PRONOUN.search(doc.scan, max(sentence.start, start - 40), start)
    if pronoun and doc.last_group and BEFORE_PHRASE.match(doc.scan[pronoun.end() : start]):
        return doc.last_group
    return None


NEGATION = Rule(
    r"(?i)\b(?:not|never|no|nor|neither|denied|denies|deny|without)\b|n['’]t\b",
    """A negation between the first name and the property's words: "X was never trained by".""",
)


def first_named(
    doc: Document, sentence: Sentence, start: int, mentions: list[Mention]
) -> str | None:
    """The sentence's first name before the phrase, when nothing else is: a guess the editor
    checks ("X was captured … and interrogated by Y": the detention is X's), offered with low
    confidence; none across a negation, a semicolon or a new sentence of a quotation."""
    before = [x for x in mentions if sentence.start <= x.start and x.end <= start]
    if not before:
        return None
    gap = doc.scan[before[0].end : start]
    if re.search(r"(?i)\b(?:a|an|the|his|her|its|their)\s+$", gap):
        return None  # "… and a member of X": a noun for whoever it stands beside, not a guess
    if NEGATION.search(gap) or re.search(r"[;:“”\"]", gap):
        return None
    return before[0].name


def values_after(doc: Document, end: int, limit: int, mentions: list[Mention]) -> list[Mention]:
    after = [x for x in mentions if x.start >= end and x.end <= limit]
    if not after or not AFTER_PHRASE.match(doc.scan[end : after[0].start]):
        return []
    values = [after[0]]
    for x in after[1:]:
        if not LIST_LINK.match(doc.scan[values[-1].end : x.start]):
            break
        values.append(x)
    if any(doc.scan[v.end - 2 : v.end] in ("’s", "'s") for v in values):
        return []  # "close ties with Iran's commander X": the tie is not with Iran
    return values
