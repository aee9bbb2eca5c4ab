"""Who or what a value is about: the entity named nearest it, else a capitalised name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..lexicon import MONTHS, WEEKDAYS
from .mentions import Mention
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
) -> str:
    """The entity named nearest the value (preferring kinds in ``prefer``), else a name in the
    sentence."""
    outside = [
        m
        for m in mentions
        if (m.end <= start or m.start >= end) and m.name not in doc.sentence_speakers
    ]
    if outside:

        def distance(m: Mention) -> tuple[int, int]:
            gap = (
                start - m.end if m.end <= start else (m.start - end) * 2
            )  # names before a value are its subject more often
            return (0 if m.kind in prefer else 1, gap)

        best = min(outside, key=distance)
        doc.last_subject = best.name
        return best.name
    name = guess_subject(doc, sentence, start)
    if name:
        doc.last_subject = name
        return name
    return (
        doc.last_subject
        or doc.words(sentence.start, min(sentence.end, sentence.start + 40)).split(",")[0]
    )


def guess_subject(doc: Document, sentence: Sentence, before: int) -> str | None:
    """The capitalised name nearest before ``before`` in the sentence, as a best guess."""
    names = []
    for match in _CAPITALISED.finditer(doc.scan, sentence.start, sentence.end):
        words = match.group().split()
        while words and words[0].lower().strip("’'.") in NOT_NAMES:
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
