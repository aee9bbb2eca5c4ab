"""The text extraction reads: the source's own words cut into sentences, and the quote for a
value (its sentence, or the clause of a long one)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import quotes
from ..footnotes import body_end
from ..models import Source
from .rules import Rule

# a sentence longer than this is cut to the clause holding the value, so a quote stays readable
LONG_SENTENCE = 300


@dataclass
class Sentence:
    start: int
    end: int


_SENTENCE_BREAK = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|No|Nos|pp|p|vs|etc|Jr|Sr|Brig|Maj|Capt|Adm|Gov|Sen|Rep|Prof|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


MARKER_AT_SENTENCE_END = Rule(
    r"(?:(?<=[A-Za-z%)\]][.?!])|(?<=[A-Za-z%][.?!,][”’\"'])|(?<=[a-z]{2}))"
    r"(?P<marker>[1-9]\d{0,2}(?:[,–][1-9]\d{0,2})*)"
    r"(?=[.?!][”’\"')\]]*(?:\s|$)|\s+[“\"‘(\[]?[A-Z]|\s*$)",
    """A footnote marker glued to a sentence's end, notes section or not: "…executed
attack.6 Officials", "said.”12", "the attack6.", "the raid.6,7".""",
)


BRACKETED_MARKER = Rule(
    r"\[(?:\d{1,3}|[a-z]|(?:note|nb|n) ?\d{1,3}|citation needed|clarification needed)\]",
    """A footnote marker in brackets, as encyclopedia pages print them: "injured 47 others. [4]",
"involvement.[5]", "[9] [10]", "[note 2]", "[citation needed]".""",
)


def scan_text(source: Source) -> tuple[str, int]:
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
    limit = body_end(text)
    # a web copy often has the markers and not the notes: digits glued to a sentence's end
    # are a marker all the same, whatever the notes section says
    for match in MARKER_AT_SENTENCE_END.finditer("".join(chars), 0, limit):
        for i in range(match.start("marker"), match.end("marker")):
            chars[i] = " "
    for match in BRACKETED_MARKER.finditer("".join(chars), 0, limit):
        for i in range(match.start(), match.end()):
            chars[i] = " "
    return "".join(chars), limit


def split_sentences(scan: str, limit: int) -> list[Sentence]:
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


def clause(scan: str, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
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
