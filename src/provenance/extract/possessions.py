"""Relations named by a noun of the vocabulary told with a possessive: "X, Y's deputy".

An entity property whose name is a noun (``deputy``, ``predecessor``, ``father``; not a verb
of its own as ``controls``, not a phrase ending in a preposition, not a title, not one whose
description says its subject is an event) is looked for as that noun after a possessive name
("Y's"), the other name beside it:

* "X, Y's predecessor" and "X, the late Y's father": Y's ``predecessor`` is X;
* "Y's deputy X", "Y's deputy, X": Y's ``deputy`` is X;
* "X was Y's deputy", "X is Y's father".

No noun is listed in the code: the vocabulary's own property names are the nouns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .attributions import Stretch
from .mentions import Mention
from .relations import add_relation
from .rules import Rule, any_of
from .sentences import Sentence

if TYPE_CHECKING:
    from .document import Document
    from .vocabulary import Vocabulary

_PREPOSITION_END = re.compile(r"_(?:by|for|with|from|under|alongside|against|to|at|via|in|of|on)$")
APPOSED_BEFORE = Rule(
    r"^\s*,\s+(?:the\s+)?(?:(?:late|former|then)[-\s]+)?$",
    """Between the value and the possessive name: "Qassem Soleimani, Qaani’s predecessor".""",
)
TOLD_BEFORE = Rule(
    r"(?i)^\s+(?:is|was|became|remains|remained|had\s+been|has\s+been)\s+(?:the\s+)?$",
    """Between the value and the possessive name, a verb of being: "Laith was Qayis’s
deputy".""",
)
NAMED_AFTER = Rule(
    r"^\s*,?\s+(?:the\s+)?$",
    """Between the noun and the value after it: "Qayis’s deputy Laith", "Y's father, X".""",
)


def noun_properties(vocabulary: Vocabulary, titles: set[str]) -> dict[str, str]:
    """The noun (words of the name) → property, for the vocabulary's noun-named entity
    properties."""
    nouns = {}
    for name, prop in vocabulary.properties.items():
        if prop.datatype != "entity" or name in titles or _PREPOSITION_END.search(name):
            continue
        words = name.lower().split("_")
        if not all(w.isalpha() for w in words):
            continue
        if len(words) == 1 and re.search(r"(?:ed|[^s]s)$", name):
            continue  # a verb of its own ("liberated", "controls"): phrases.py
        if re.search(r"(?i)\ban event\b", prop.description or ""):
            continue
        nouns[" ".join(words)] = name
    return nouns


def possessions(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """The candidates of one sentence whose property is a noun after a possessive name."""
    if doc.possessed is None:
        nouns = noun_properties(doc.vocabulary, set(doc.title_words.values()))
        doc.possessed = nouns
        doc.possessed_pattern = (
            re.compile(
                r"\s+(?:(?:late|former|then|current|longtime)[-\s]+)?(" + any_of(nouns) + r")\b"
            )
            if nouns
            else None
        )
    if doc.possessed_pattern is None:
        return
    scan = doc.scan
    for i, owner in enumerate(mentions):
        if scan[owner.end - 2 : owner.end] not in ("’s", "'s"):
            continue
        noun = doc.possessed_pattern.match(scan, owner.end)
        if noun is None:
            continue
        prop = doc.possessed[" ".join(noun.group(1).lower().split())]
        value: Mention | None = None
        if i > 0:
            before = mentions[i - 1]
            gap = scan[before.end : owner.start]
            if APPOSED_BEFORE.match(gap) or TOLD_BEFORE.match(gap):
                value = before
        if value is None and i + 1 < len(mentions):
            after = mentions[i + 1]
            if NAMED_AFTER.match(scan[noun.end() : after.start]):
                value = after
        if value is None:
            continue
        start, end = min(value.start, owner.start), max(value.end, noun.end())
        add_relation(
            doc,
            sentence,
            (start, end),
            prop,
            value.name,
            owner.name,
            stretches,
            f"the property's noun after a possessive: {doc.words(start, end)!r}",
        )
