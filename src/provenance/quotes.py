"""Anchoring quotes in source texts.

A quote is looked for whitespace- and quote-mark-insensitively (curly or straight,
single or double; any run of spaces and line breaks is one space), and its offsets in
the source's own text are stored with a little text before and after it, so it can be
found again when the text changes, or marked orphaned, never silently moved elsewhere.

Decisions a desk relies on:

* **A quote must say where it is.** A quote that occurs more than once in the source's
  own words is an error listing where, unless its occurrence is given (``--occurrence
  N``, an import record's ``occurrence``: 1 is the first) or more words make it unique.
* **Parts.** ``…`` or ``...`` in a quote joins parts taken from one passage: each part is
  found in order, after the one before, with no paragraph break (blank line) between
  them. Words the source itself writes with an ellipsis are found as they stand first.
  Stored as: ``quote`` the parts as the source has them joined by `` … ``,
  ``quote_start``/``quote_end`` the span from the first part's start to the last part's
  end, and ``quote_parts`` each part's ``[start, end]``; ``check`` and re-anchoring on
  re-ingest test every part.
* **A near miss names the closest passage.** A quote not found is an error naming the
  closest passage of the source (rapidfuzz's ``partial_ratio_alignment``) and what
  differs, word by word (an em dash typed as a hyphen, a word changed).
* **Speed.** A quote becomes one regular expression over the raw text (a space matches
  any run of white space, a quote mark any of its curly forms), so nothing is copied or
  normalised per quote: finding one in a 1M-character source takes about as long as
  ``str.find`` (``benchmarks/quote_bench.py``, figures in ``docs/benchmarks.md``).

A document's sections (reader comments) are masked out of its searchable text: a
commenter's words are only found in the comment's own source, and a quote of an
article found in one of its comments is an error naming the comment and its commenter.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import InvalidValue
from .models import Citation, Footnote, Source

CONTEXT = 40
# a quote's parts are joined by this when stored
PART_JOIN = " … "
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
# what each straight mark of a (normalised) quote matches in a source
_MARK_CLASS = {'"': '["“”„«»]', "'": "['‘’`ʼ′]"}
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
# tokens ending in a full stop that do not end a sentence
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|No|Nos|pp|p|vs|etc|Jr|Sr|Brig|Maj|Capt|Adm|Gov|Sen|Rep|Prof|Inc|Ltd|Co)\.)$"
)
_SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*\s")
# how many places an ambiguous quote's error lists
PLACES_SHOWN = 3


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str
    # a quote in parts: each part's (start, end); empty for a quote in one piece
    parts: tuple[tuple[int, int], ...] = field(default=())

    def quote(self, text: str) -> str:
        """The quote as the source has it (its parts joined by `` … ``)."""
        if not self.parts:
            return text[self.start : self.end]
        return PART_JOIN.join(text[s:e] for s, e in self.parts)

    def stored_parts(self) -> list[list[int]] | None:
        return [[s, e] for s, e in self.parts] if self.parts else None


def _normalise_quote(quote: str) -> str:
    return re.sub(r"\s+", " ", quote.translate(_QUOTE_MARKS)).strip()


@lru_cache(maxsize=4096)
def _pattern(needle: str) -> re.Pattern[str]:
    """A normalised quote as a regular expression over a source's raw text."""
    words = ["".join(_MARK_CLASS.get(ch) or re.escape(ch) for ch in w) for w in needle.split(" ")]
    return re.compile(r"\s+".join(words))


def searchable_spans(source: Source) -> list[tuple[int, int]]:
    """Spans of ``source.text`` that belong to its sections and are not the source's own words."""
    return sorted(
        (s.span_start, s.span_end)
        for s in source.sections
        if s.span_start is not None and s.span_end is not None
    )


def _masked(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) touches one of the (sorted, disjoint) spans."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end


@lru_cache(maxsize=4096)
def _lead(needle: str) -> tuple[re.Pattern[str], int] | None:
    """The quote's words up to its first inner quote mark, as a pattern of literals, and how
    many quote marks open the quote (each one character of the source).

    Python's ``re`` scans for a pattern of literals fast, but tries every position of the
    text for one holding a character class (a quote mark): 30 ms in 1M characters rather
    than 1. So the plain lead is searched and the whole quote matched where it starts.
    """
    rest = needle.lstrip("\"'")
    marks = len(needle) - len(rest)
    cut = next((i for i, ch in enumerate(rest) if ch in "\"'"), len(rest))
    head = rest[:cut].strip()
    if not head or not rest.startswith(head):
        return None
    return _pattern(head), marks


def _matches(
    text: str, needle: str, spans: Sequence[tuple[int, int]], pos: int = 0
) -> Iterator[tuple[int, int]]:
    """Every (start, end) of ``needle`` in ``text`` outside ``spans``, overlapping ones too."""
    pattern, lead = _pattern(needle), _lead(needle)
    while True:
        if lead is None:
            match = pattern.search(text, pos)
            if match is None:
                return
        else:
            found = lead[0].search(text, pos + lead[1])
            if found is None:
                return
            start = found.start() - lead[1]
            match = pattern.match(text, start) if start >= pos else None
            if match is None:
                pos = found.start() - lead[1] + 1
                continue
        if not spans or not _masked(spans, match.start(), match.end()):
            yield match.start(), match.end()
        pos = match.start() + 1


def _anchor(text: str, parts: list[tuple[int, int]]) -> Anchor:
    begin, end = parts[0][0], parts[-1][1]
    return Anchor(
        begin,
        end,
        text[max(0, begin - CONTEXT) : begin],
        text[end : end + CONTEXT],
        tuple(parts) if len(parts) > 1 else (),
    )


def _chains(
    text: str, needles: list[str], spans: Sequence[tuple[int, int]]
) -> Iterator[list[tuple[int, int]]]:
    """Every place the parts occur in order within one paragraph (the first part's
    occurrences, each followed by the nearest occurrence of every next part)."""
    for first in _matches(text, needles[0], spans):
        chain = [first]
        for needle in needles[1:]:
            nxt = next(_matches(text, needle, spans, chain[-1][1]), None)
            if nxt is None:
                return
            gap = (chain[-1][1], nxt[0])
            if _PARAGRAPH_BREAK.search(text, *gap) or (spans and _masked(spans, *gap)):
                break
            chain.append(nxt)
        else:
            yield chain


def find_all(source: Source, quote: str) -> list[Anchor]:
    """Every place ``quote`` occurs in the source's own words: as written, or else (when
    it holds ``…`` or ``...``) as parts of one passage."""
    text = source.text or ""
    needle = _normalise_quote(quote)
    if not needle:
        return []
    spans = searchable_spans(source)
    whole = [_anchor(text, [m]) for m in _matches(text, needle, spans)]
    if whole:
        return whole
    needles = [n for n in (_normalise_quote(p) for p in _ELLIPSIS.split(needle)) if n]
    if len(needles) < 2:
        return []
    return [_anchor(text, chain) for chain in _chains(text, needles, spans)]


def locate(source: Source, quote: str) -> Anchor | None:
    """The first place ``quote`` occurs in the source's own words, or None."""
    anchors = find_all(source, quote)
    return anchors[0] if anchors else None


def anchor_quote(source: Source, quote: str, occurrence: int | None = None) -> Anchor:
    """The one place ``quote`` stands in the source's own words, or an error saying why not:
    not there (naming the closest passage, or the reader comment that holds it), or there
    more than once without ``occurrence`` (1 for the first)."""
    anchors = find_all(source, quote)
    if not anchors:
        raise InvalidValue(_not_found(source, quote))
    if occurrence is not None:
        if not 1 <= occurrence <= len(anchors):
            raise InvalidValue(
                f"occurrence {occurrence} of quote {short(quote)!r}: it occurs"
                f" {_times(len(anchors))} in {source.slug!r}, so expected 1 to {len(anchors)}"
            )
        return anchors[occurrence - 1]
    if len(anchors) > 1:
        places = ", ".join(
            f"{i}. at {a.start} (…{_squeeze(a.prefix[-25:])}»)"
            for i, a in enumerate(anchors[:PLACES_SHOWN], start=1)
        )
        more = f" and {len(anchors) - PLACES_SHOWN} more" if len(anchors) > PLACES_SHOWN else ""
        raise InvalidValue(
            f"quote {short(quote)!r} occurs {_times(len(anchors))} in {source.slug!r}"
            f" ({places}{more}): give the occurrence (--occurrence N, or an import record's"
            " occurrence: N) or quote more words"
        )
    return anchors[0]


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def short(text: str, width: int = 80) -> str:
    text = _squeeze(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _not_found(source: Source, quote: str) -> str:
    said = f"quote {short(quote)!r} is not in the text of {source.slug!r}"
    comment = _comment_holding(source, quote)
    if comment is not None:
        section, commenter = comment
        who = f" by {commenter}" if commenter else ""
        return (
            f"{said}: it is in reader comment {section.slug!r}{who}, not the article's own"
            f" words; cite it with --source {section.slug}"
        )
    closest = closest_passage(source.text or "", quote, searchable_spans(source))
    if closest is None:
        return f"{said}: expected words copied from it"
    passage, differences = closest
    return f"{said}: the closest passage is {short(passage, 160)!r}" + (
        f" ({'; '.join(differences)})" if differences else ""
    )


def _comment_holding(source: Source, quote: str) -> tuple[Source, str | None] | None:
    """The section (reader comment) of ``source`` whose words hold ``quote``, with its
    commenter, when the quote is not in the source's own words but in one of its comments."""
    text = source.text or ""
    needle = _normalise_quote(quote)
    for section in sorted(source.sections, key=lambda s: s.span_start or 0):
        if section.span_start is None or section.span_end is None:
            continue
        inside = text[section.span_start : section.span_end]
        if needle and next(_matches(inside, needle, ()), None) is not None:
            authors = section.authors or []
            return section, ", ".join(str(a) for a in authors) or None
    return None


# a passage worth naming: below this partial_ratio the quote is not "nearly" anywhere
CLOSEST_MIN_SCORE = 60.0


def closest_passage(
    text: str, quote: str, spans: Sequence[tuple[int, int]] = ()
) -> tuple[str, list[str]] | None:
    """The passage of ``text`` most like ``quote`` (rapidfuzz ``partial_ratio_alignment``,
    quote marks made straight), widened to whole words, as the source has it, with what
    differs in words: ``'-' where the source has '—'``. None when nothing is close."""
    from rapidfuzz import fuzz

    # the same length as the text, so the alignment's offsets are the text's
    haystack = text.translate(_QUOTE_MARKS)
    for start, end in spans:
        haystack = haystack[:start] + "\x00" * (end - start) + haystack[end:]
    needle = _normalise_quote(quote)
    if not needle or not haystack:
        return None
    found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=CLOSEST_MIN_SCORE)
    if found is None:
        return None
    start, end = found.dest_start, found.dest_end
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    passage = _squeeze(text[start:end])
    return passage, _differences(needle, _normalise_quote(passage))


def _differences(typed: str, passage: str, most: int = 4) -> list[str]:
    """What the typed quote has where the source has otherwise, in the source's words."""
    a, b = re.findall(r"\w+|[^\w\s]", typed), re.findall(r"\w+|[^\w\s]", passage)
    ops = [
        op
        for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    # words the passage merely runs on with, before or after the quote, are no difference
    if ops and ops[0][0] == "insert" and ops[0][1] == 0:
        ops = ops[1:]
    if ops and ops[-1][0] == "insert" and ops[-1][1] == len(a):
        ops = ops[:-1]
    said: list[str] = []
    for op, i1, i2, j1, j2 in ops[:most]:
        mine, theirs = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if op == "replace":
            said.append(f"{mine!r} where the source has {theirs!r}")
        elif op == "delete":
            said.append(f"{mine!r} is not in the source")
        else:
            said.append(f"the source has {theirs!r} here")
    return said


def comment_of_span(source: Source, citation: Citation) -> Source | None:
    """The section (reader comment) of ``source`` that a citation's quote lies in, if any."""
    if citation.quote_start is None or citation.quote_end is None:
        return None
    for section in source.sections:
        if section.span_start is None or section.span_end is None:
            continue
        if section.span_start < citation.quote_end and citation.quote_start < section.span_end:
            return section
    return None


def quote_at(source: Source, start: int, end: int, quote: str) -> bool:
    """Whether ``quote`` still stands at [start, end) of the source text."""
    text = source.text or ""
    if start < 0 or end > len(text) or start >= end:
        return False
    return _normalise_quote(text[start:end]) == _normalise_quote(quote)


def citation_in_place(source: Source, citation: Citation) -> bool:
    """Whether a citation's quote still stands where it was anchored: every part of it."""
    if citation.quote is None:
        return True
    if citation.quote_start is None or citation.quote_end is None:
        return False
    if not citation.quote_parts:
        return quote_at(source, citation.quote_start, citation.quote_end, citation.quote)
    typed = [_normalise_quote(q) for q in citation.quote.split(PART_JOIN)]
    if len(typed) != len(citation.quote_parts):
        return False
    return all(
        quote_at(source, start, end, part)
        for (start, end), part in zip(citation.quote_parts, typed, strict=True)
    )


def reanchor(source: Source, citation: Citation) -> bool:
    """Keep or move a citation's quote after its source's text changed.

    Moves it only when the quote is found exactly once, or exactly once with the same
    text before it; otherwise the citation is marked orphaned. Returns True when anchored.
    A quote in parts is kept when every part still stands at its place, and moved as a
    whole (every part again in one passage).
    """
    if citation.quote is None:
        return True
    if citation_in_place(source, citation):
        citation.orphaned = False
        return True
    anchors = find_all(source, citation.quote)
    if len(anchors) > 1 and citation.prefix:
        anchors = [a for a in anchors if a.prefix.endswith(citation.prefix[-CONTEXT // 2 :])]
    if len(anchors) == 1:
        anchor = anchors[0]
        citation.quote_start, citation.quote_end = anchor.start, anchor.end
        citation.prefix, citation.suffix = anchor.prefix, anchor.suffix
        citation.quote_parts = anchor.stored_parts()
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
