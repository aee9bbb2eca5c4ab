"""Speakers that name no one in particular, scoped to the document that quotes them.

A citation's speaker (``attributed_to``) is an entity; this module decides which entity
name a speaker's words resolve to in a document (``speaker_in_document``). The entities
themselves, their aliases and lookup are entities.py.
"""

from __future__ import annotations

import re

# A speaker (``attributed_to``) that names no one in particular — "Iraqi officials",
# "a source close to Araji", "sources" — is scoped to the document that quotes it: the
# same words in another document are another speaker, never the same entity (SPEC §1).
#
# Rule (generic_speaker): after any trailing parenthesis, a speaker is generic when
#   1. it starts with an indefinite or unspecific determiner (a, an, one, some, several,
#      many, few, two … ten, unnamed, anonymous, unidentified, other): "a specialist in
#      Iranian affairs", "two security officials"; or
#   2. its head — the words before its first preposition, relative word, participle
#      (-ed, -ing) or adjective of proximity (close, familiar, aware …) — ends in a
#      plural common noun: an all-lowercase word ending in s (not -ss, -us, -is), or
#      people, police, personnel, staff, men, women: "Iraqi officials", "U.S. officials",
#      "security sources", "commanders familiar with the talks", "residents".
# A capitalised last word of the head is a name ("the Iraqi Security Forces", "the
# Pentagon"); a singular institution is a definite speaker ("the Iraqi military"). The
# rule looks at the shape of the words only, not at a list of one article's speakers.
# A generic speaker becomes the entity "WORDS (source N)", N the citing document's id
# (the original's, for a copy): created on first use, found again by the same words in
# the same document, and only there.
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "one",
        "some",
        "several",
        "many",
        "few",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "unnamed",
        "anonymous",
        "unidentified",
        "other",
    ]
)
_HEAD_ENDS = frozenset(
    [
        "with",
        "in",
        "at",
        "from",
        "of",
        "on",
        "for",
        "to",
        "inside",
        "within",
        "near",
        "under",
        "by",
        "about",
        "who",
        "that",
        "which",
        "close",
        "familiar",
        "knowledgeable",
        "aware",
        "loyal",
        "allied",
        "opposed",
        "according",
    ]
)
_IRREGULAR_PLURALS = frozenset(["people", "police", "personnel", "staff", "men", "women"])
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
_SCOPED = re.compile(r"^(?P<words>.*?\S)\s*\(source \d+\)$")


def _plural_common_noun(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return (
        word.isalpha()
        and word.islower()
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
    )


def generic_speaker(name: str) -> bool:
    """Whether a speaker names no one in particular (the rule above)."""
    text = _TRAILING_PARENTHESIS.sub("", name).strip()
    words = [w.strip(",;:.\"'“”‘’") for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return False
    first = words[0].lower()
    if first in _DETERMINERS:
        return True
    if first == "the":
        words = words[1:]
    head: list[str] = []
    for word in words:
        lowered = word.lower()
        if head and (
            lowered in _HEAD_ENDS
            or (word.islower() and word.isalpha() and lowered.endswith(("ed", "ing")))
        ):
            break
        head.append(word)
    return bool(head) and _plural_common_noun(head[-1])


def speaker_in_document(name: str, document_id: int) -> str:
    """The entity name a speaker resolves to in a document: a generic speaker scoped to
    it ("Iraqi officials (source 7)"), any other as written. A generic speaker written
    with another document's scope is scoped to this one: it is never that speaker."""
    text = " ".join(str(name).split())
    scoped = _SCOPED.match(text)
    if scoped is not None:
        text = scoped.group("words")
    if generic_speaker(text):
        return f"{text} (source {document_id})"
    return text
