"""Numbered notes of a source document, the markers that point to them and the works they cite.

A document's notes section is a heading line (``Citations``, ``Notes``, ``Endnotes``,
``References`` or ``Footnotes``) followed by lines ``[n] text``; it ends at the first
blank-line-separated paragraph that is not a note, so page furniture after the last
note never joins it. Everything before the heading is the body, where markers are
numerals written straight after a word, punctuation or a closing quote.

What each note cites (full citations, ``Ibid.``, short forms, and the works they stand
for) is read by ``note_citations``; what cannot be resolved is reported in a note's
``unresolved_parts``. ``ingest`` stores the notes, ``sources`` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .note_citations import NoteReader, WorkRef

__all__ = ["Marker", "Note", "body_end", "parse_footnotes"]

T = TypeVar("T")


@dataclass(frozen=True)
class Marker:
    start: int
    end: int


@dataclass(frozen=True)
class Note:
    number: int
    text: str
    start: int
    end: int
    markers: tuple[Marker, ...]
    resolution: str
    resolves_to: tuple[int, ...]
    works: tuple[WorkRef, ...]
    unresolved_parts: tuple[str, ...]


# ---------------------------------------------------------------- notes section

# [^\S\n] is whitespace within a line: pasted notes carry no-break spaces after "[38]"
_HEADING = re.compile(
    r"^[^\S\n]*(?:Citations|Notes|Endnotes|References|Footnotes)[^\S\n]*:?[^\S\n]*$", re.M | re.I
)
_NOTE_LINE = re.compile(r"[^\S\n]*\[(\d{1,4})\][^\S\n]*")


def _lines(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line from ``pos``, newline excluded."""
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        yield pos, end
        pos = end + 1


def _heading(text: str) -> re.Match[str] | None:
    # A heading word alone on a line is only the notes section if notes follow it; the
    # last such heading wins because notes close a document.
    found = None
    for m in _HEADING.finditer(text):
        for ls, le in _lines(text, m.end() + 1):
            line = text[ls:le]
            if line.strip():
                if _NOTE_LINE.match(line):
                    found = m
                break
    return found


def body_end(text: str) -> int:
    """Offset where the notes section heading starts, ``len(text)`` when there is none."""
    m = _heading(text)
    return m.start() if m else len(text)


def _note_spans(text: str) -> list[tuple[int, int, int]]:
    """(number, start, end) of each note's text, in document order."""
    m = _heading(text)
    if m is None:
        return []
    spans: list[list[int]] = []
    after_blank = True
    for ls, le in _lines(text, m.end() + 1):
        line = text[ls:le]
        if not line.strip():
            after_blank = True
            continue
        nm = _NOTE_LINE.match(line)
        if nm:
            number = int(nm.group(1))
            # a number going backwards is not the next note but something quoting one
            if spans and number <= spans[-1][0]:
                break
            start = ls + nm.end()
            end = max(start, ls + len(line.rstrip()))
            spans.append([number, start, end])
            after_blank = False
            continue
        if after_blank or not spans:
            break
        spans[-1][2] = ls + len(line.rstrip())
    return [(n, s, e) for n, s, e in spans]


# ---------------------------------------------------------------- markers

_DIGITS = re.compile(r"\d+")
# what a marker may follow: sentence punctuation, a closing bracket or a closing quote
_MARKER_AFTER = set(".,;:!?)]”’\"'»")


def _marker_candidates(body: str, numbers: set[int]) -> list[tuple[int, int, int]]:
    """(offset, number, weight) of numerals that could be markers; heavier is likelier."""
    out = []
    for m in _DIGITS.finditer(body):
        s, e = m.span()
        digits = m.group()
        if digits.startswith("0") or int(digits) not in numbers or s == 0:
            continue
        prev = body[s - 1]
        nxt = body[e] if e < len(body) else ""
        if nxt in "%°":
            continue
        if prev.isalpha():
            # a numeral inside a token (H1N1, F16s) is a name, not a marker
            if nxt.isalpha():
                continue
            out.append((s, int(digits), 2))
        elif prev in _MARKER_AFTER:
            before = body[s - 2] if s >= 2 else ""
            if before.isdigit():
                # 1,650,000 and 10:30 are numbers; "in 2003,9 where" is a marker, but only
                # the order of the notes can tell it from a decimal, so it weighs least
                if (prev == "," and len(digits) == 3) or prev == ":":
                    continue
                out.append((s, int(digits), 1))
            else:
                out.append((s, int(digits), 3))
    return out


def _markers(body: str, numbers: list[int]) -> dict[int, list[Marker]]:
    """Every marker of the body by note number.

    First citations of notes come in increasing order, so the first markers are the
    longest chain of candidates increasing in both offset and number (ties go to the
    chain of likelier candidates); a later repeat of a note already cited is only
    taken when it follows punctuation or a quote.
    """
    cands = _marker_candidates(body, set(numbers))
    best: list[tuple[int, int, int]] = []  # (length, weight, previous index) per candidate
    for i, (_, num, weight) in enumerate(cands):
        length, total, prev = 1, weight, -1
        for j in range(i):
            if cands[j][1] < num:
                bl, bw, _ = best[j]
                if (bl + 1, bw + weight) > (length, total):
                    length, total, prev = bl + 1, bw + weight, j
        best.append((length, total, prev))
    chain: list[int] = []
    if best:
        i = max(range(len(best)), key=lambda k: (best[k][0], best[k][1], -k))
        while i != -1:
            chain.append(i)
            i = best[i][2]
    chain.reverse()
    first = {cands[i][1]: cands[i][0] for i in chain}
    taken = set(chain)
    out: dict[int, list[Marker]] = {}
    for i, (s, num, weight) in enumerate(cands):
        if i in taken or (weight == 3 and num in first and s > first[num]):
            out.setdefault(num, []).append(Marker(s, s + len(str(num))))
    return out


def _unique(items: Iterable[T]) -> list[T]:
    seen: set[T] = set()
    out: list[T] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def parse_footnotes(text: str) -> list[Note]:
    """The numbered notes of ``text`` with their markers and works; [] when it has no
    notes section."""
    spans = _note_spans(text)
    if not spans:
        return []
    markers = _markers(text[: body_end(text)], [n for n, _, _ in spans])
    reader = NoteReader()
    notes = []
    for number, start, end in spans:
        note_text = text[start:end]
        res = reader.read(number, note_text)
        kinds = _unique(res.kinds)
        unresolved = res.unresolved
        if not kinds:
            # nothing in the note reads as a citation: the whole note is what is unresolved
            kinds = ["unresolved"]
            unresolved = [note_text] if note_text else []
        resolution = kinds[0] if len(kinds) == 1 else "mixed"
        notes.append(
            Note(
                number=number,
                text=note_text,
                start=start,
                end=end,
                markers=tuple(sorted(markers.get(number, []), key=lambda m: m.start)),
                resolution=resolution,
                resolves_to=tuple(_unique(res.resolves_to)),
                works=tuple(w for w, _ in res.works),
                unresolved_parts=tuple(unresolved),
            )
        )
    return notes
