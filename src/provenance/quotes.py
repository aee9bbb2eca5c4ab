"""Anchoring quotes in source texts.

A quote is looked for whitespace- and quote-mark-insensitively (curly or straight,
single or double; any run of spaces and line breaks is one space), and its offsets in
the source's own text are stored with a little text before and after it, so it can be
found again when the text changes, or marked orphaned, never silently moved elsewhere.
Where a quote occurs more than once, the first occurrence is taken; an editor who
means another one quotes more of the sentence.

A document's sections (reader comments) are masked out of its searchable text: a
commenter's words are only found in the comment's own source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Citation, Footnote, Source

CONTEXT = 40
_QUOTE_MARKS = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "`": "'",
        "ʼ": "'",
        "′": "'",
    }
)
# tokens ending in a full stop that do not end a sentence
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|No|Nos|pp|p|vs|etc|Jr|Sr|Brig|Maj|Capt|Adm|Gov|Sen|Rep|Prof|Inc|Ltd|Co)\.)$"
)
_SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*\s")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str


def _normalise(text: str, masked: Sequence[tuple[int, int]] = ()) -> tuple[str, list[int]]:
    """The searchable form of ``text`` and, for each of its characters, the offset it came from."""
    chars: list[str] = []
    origin: list[int] = []
    mask = sorted(masked)
    m = 0
    in_space = False
    for i, ch in enumerate(text):
        while m < len(mask) and mask[m][1] <= i:
            m += 1
        if m < len(mask) and mask[m][0] <= i < mask[m][1]:
            # a character that can never match keeps a quote from spanning a section
            chars.append("\x00")
            origin.append(i)
            in_space = False
            continue
        if ch.isspace():
            if in_space:
                continue
            chars.append(" ")
            origin.append(i)
            in_space = True
            continue
        in_space = False
        chars.append(ch.translate(_QUOTE_MARKS))
        origin.append(i)
    return "".join(chars), origin


def _normalise_quote(quote: str) -> str:
    return re.sub(r"\s+", " ", quote.translate(_QUOTE_MARKS)).strip()


def searchable_spans(source: Source) -> list[tuple[int, int]]:
    """Spans of ``source.text`` that belong to its sections and are not the source's own words."""
    return [
        (s.span_start, s.span_end)
        for s in source.sections
        if s.span_start is not None and s.span_end is not None
    ]


def find_all(source: Source, quote: str) -> list[Anchor]:
    text = source.text or ""
    needle = _normalise_quote(quote)
    if not needle:
        return []
    haystack, origin = _normalise(text, searchable_spans(source))
    anchors = []
    start = haystack.find(needle)
    while start >= 0:
        end_norm = start + len(needle)
        begin = origin[start]
        end = origin[end_norm - 1] + 1
        anchors.append(
            Anchor(begin, end, text[max(0, begin - CONTEXT) : begin], text[end : end + CONTEXT])
        )
        start = haystack.find(needle, start + 1)
    return anchors


def locate(source: Source, quote: str) -> Anchor | None:
    """The first place ``quote`` occurs in the source's own words, or None."""
    anchors = find_all(source, quote)
    return anchors[0] if anchors else None


def quote_at(source: Source, start: int, end: int, quote: str) -> bool:
    """Whether ``quote`` still stands at [start, end) of the source text."""
    text = source.text or ""
    if start < 0 or end > len(text) or start >= end:
        return False
    return _normalise_quote(text[start:end]) == _normalise_quote(quote)


def reanchor(source: Source, citation: Citation) -> bool:
    """Keep or move a citation's quote after its source's text changed.

    Moves it only when the quote is found exactly once, or exactly once with the same
    text before it; otherwise the citation is marked orphaned. Returns True when anchored.
    """
    if citation.quote is None:
        return True
    if (
        citation.quote_start is not None
        and citation.quote_end is not None
        and quote_at(source, citation.quote_start, citation.quote_end, citation.quote)
    ):
        citation.orphaned = False
        return True
    anchors = find_all(source, citation.quote)
    if len(anchors) > 1 and citation.prefix:
        anchors = [a for a in anchors if a.prefix.endswith(citation.prefix[-CONTEXT // 2 :])]
    if len(anchors) == 1:
        anchor = anchors[0]
        citation.quote_start, citation.quote_end = anchor.start, anchor.end
        citation.prefix, citation.suffix = anchor.prefix, anchor.suffix
        citation.orphaned = False
        return True
    citation.orphaned = True
    return False


def sentence_footnote(source: Source, start: int, end: int) -> Footnote | None:
    """The footnote whose marker ends the sentence holding the quote [start, end), if any."""
    text = source.text or ""
    # a quote that ends its sentence ("… a prominent religious seminary.") owns only a
    # marker written right after it, not the one ending the next sentence
    ends_sentence = _quote_ends_sentence(text, end)
    best: Footnote | None = None
    best_start = None
    for note in source.footnotes:
        for marker in note.markers:
            if marker.start < start:
                continue
            if best_start is not None and marker.start >= best_start:
                continue
            if marker.start < end:  # a marker inside the quote: its own sentence's note
                best, best_start = note, marker.start
                continue
            if ends_sentence and marker.start != end:
                continue
            between = text[end : marker.start]
            if "\n" in between or _ends_sentence(text, end, marker.start):
                continue
            best, best_start = note, marker.start
    return best


def _quote_ends_sentence(text: str, end: int) -> bool:
    """Whether the quote [.., end) finishes with its sentence's closing punctuation."""
    j = end
    while j > 0 and text[j - 1] in "\"'”’)]":
        j -= 1
    if j == 0 or text[j - 1] not in ".?!":
        return False
    if end < len(text) and not text[end].isspace():
        return False  # a marker or more text follows at once
    return not _ABBREVIATION.search(text[max(0, j - 12) : j])


def _ends_sentence(text: str, start: int, stop: int) -> bool:
    """Whether a sentence ends in text[start:stop] (before a footnote marker at ``stop``)."""
    for match in _SENTENCE_END.finditer(text, start, stop):
        if match.end() >= stop:
            continue
        if _ABBREVIATION.search(text[max(0, match.start() - 12) : match.start() + 1]):
            continue
        return True
    return False


def context(source: Source, start: int, end: int, width: int = 200) -> tuple[str, str, str]:
    """(text before, the quote as it stands, text after) for showing a quote in place."""
    text = source.text or ""
    return text[max(0, start - width) : start], text[start:end], text[end : end + width]
