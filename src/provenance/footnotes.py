"""Numbered notes of a source document, the markers that point to them and the works they cite.

A document's notes section is a heading line (``Citations``, ``Notes``, ``Endnotes``,
``References`` or ``Footnotes``) followed by lines ``[n] text``; it ends at the first
blank-line-separated paragraph that is not a note, so page furniture after the last
note never joins it. Everything before the heading is the body, where markers are
numerals written straight after a word, punctuation or a closing quote.

Each note is cut into citation segments (at top-level semicolons, sentence ends and
", and " between two citations) and every segment is read as one of:

* a full citation (a numbered document of a series, a quoted title, or a book with its
  publication details in parentheses), which registers a work;
* ``Ibid.``, which stands for the works of the note (or citation) just before it, at
  the page it gives or else at the same page, as the abbreviation means;
* a short form (author surnames, a short title, a series number without details),
  which stands for the one earlier full citation it matches;
* prose, which cites nothing and is skipped.

Nothing is guessed: an Ibid. after an unresolved note, or a short form matching no
earlier work or several, is reported in ``unresolved_parts``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TypeVar

__all__ = ["Marker", "Note", "WorkRef", "body_end", "parse_footnotes", "work_key"]

T = TypeVar("T")


@dataclass(frozen=True)
class Marker:
    start: int
    end: int


@dataclass(frozen=True)
class WorkRef:
    key: str
    title: str
    citation: str
    collection: str | None
    locator: str | None


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


# ---------------------------------------------------------------- keys

_APOSTROPHES = re.compile(r"['’‘`ʿʾ´ʼ′]")


def work_key(text: str) -> str:
    """The normalised form of a name or title: how works are recognised across notes and
    documents."""
    text = _APOSTROPHES.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text).lower()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


# how many words of a title join the authors' surnames in an authored work's key
_KEY_TITLE_WORDS = 3

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


# ---------------------------------------------------------------- segments

# tokens ending in a full stop that do not end a sentence
_ABBREVIATIONS = {
    "p",
    "pp",
    "no",
    "nos",
    "vol",
    "vols",
    "ed",
    "eds",
    "trans",
    "jr",
    "sr",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "gen",
    "brig",
    "col",
    "lt",
    "maj",
    "capt",
    "sgt",
    "adm",
    "st",
    "vs",
    "cf",
    "al",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "rev",
    "hon",
    "gov",
    "sen",
    "rep",
    "pres",
    "fig",
    "ch",
    "chap",
    "para",
    "paras",
    "sec",
    "op",
    "cit",
    "art",
    "dept",
    "univ",
    "inc",
    "co",
    "corp",
    "ltd",
    "n",
    "nn",
    "fol",
    "fols",
}
_DOTTED = re.compile(r"(?:[A-Za-z]{1,3}\.)+[A-Za-z]{1,3}")  # U.S, e.g, i.e
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_NAMES_THEN_QUOTE = re.compile(r"[A-Z][^,“”\"]{0,80},\s*[“\"]")


def _is_abbreviation(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:dot].lstrip("([“\"‘'")
    if len(token) == 1 and token.isalpha():
        return True
    return token.lower() in _ABBREVIATIONS or bool(_DOTTED.fullmatch(token))


def _starts_sentence(text: str, pos: int) -> bool:
    if pos >= len(text) or not text[pos].isspace():
        return False
    rest = text[pos:].lstrip()
    return bool(rest) and (rest[0].isupper() or rest[0] in '“"‘(')


def _splits_at_and(text: str, seg_start: int, comma: int) -> bool:
    """Whether ", and " at ``comma`` joins two citations rather than names or words."""
    after = text[comma + len(", and ") :]
    if after[:1] in ("“", '"'):
        return True
    # "Smith, Jones, and Brown, “Title”" lists authors: only a finished citation before
    # the "and" (a closed quoted title or a year) makes what follows a new one
    so_far = text[seg_start:comma]
    return ("”" in so_far or bool(_YEAR.search(so_far))) and bool(_NAMES_THEN_QUOTE.match(after))


def _split(text: str) -> list[tuple[int, int]]:
    """Raw spans of the citation segments of a note, never cut inside quotes or brackets."""
    spans = []
    start = 0
    quotes = 0
    straight = False
    brackets = 0
    for i, ch in enumerate(text):
        if ch == "“":
            quotes += 1
        elif ch == "”" or (ch == '"' and straight):
            if ch == '"':
                straight = False
            else:
                quotes = max(0, quotes - 1)
            # 'admitted that “… attack.” See Jim Garamone, …': a sentence ends inside
            # the quote; a title ending in ? or ! does not end the citation
            if (
                not quotes
                and not straight
                and not brackets
                and text[i - 1] == "."
                and _starts_sentence(text, i + 1)
            ):
                spans.append((start, i + 1))
                start = i + 1
        elif ch == '"':
            straight = True
        elif ch in "([":
            brackets += 1
        elif ch in ")]":
            brackets = max(0, brackets - 1)
        elif quotes or straight or brackets:
            continue
        elif ch == ";":
            spans.append((start, i))
            start = i + 1
        elif (
            ch in ".?!"
            and _starts_sentence(text, i + 1)
            and not (ch == "." and _is_abbreviation(text, i))
        ):
            spans.append((start, i + 1))
            start = i + 1
        elif ch == "," and text.startswith(", and ", i) and _splits_at_and(text, start, i):
            spans.append((start, i))
            start = i + 2
    spans.append((start, len(text)))
    return spans


_LEAD_IN = re.compile(
    r"""(?:
        (?:for|on|regarding|about)\b[^“”"]*?,\s*(?:see|cf\.)(?![\w])(?:\s+also\b)?
      | (?:see|cf\.)(?![\w])(?:\s+also\b)?
      | (?:as\s+)?(?:quoted|cited)\s+in\b
    )(?:,?\s*(?:for\s+example|e\.g\.|among\s+others|inter\s+alia)\s*,)?\s*""",
    re.I | re.X,
)
_AND = re.compile(r"and\s+(?=\S)")


def _core(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(start, end, end with final full stop) of a segment without its lead-in."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for pattern in (_AND, _LEAD_IN, _AND):
        m = pattern.match(text, start, end)
        if m:
            start = m.end()
    if start >= end:
        return None
    full = end
    if text[end - 1] == "." and not _is_abbreviation(text, end - 1):
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end, full) if start < end else None


# ---------------------------------------------------------------- reading a segment

_LOCATOR = (
    r"(?:pp?|paras?|secs?|chs?|chap|fols?|nn?)\.\s*\w+(?:\s*[-–—]\s*\w+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*"
    r"|§§?\s*[\w.]+(?:\s*[-–—]\s*[\w.]+)?"
)
_TRAILING_LOCATOR = re.compile(rf"(?:^|(?<=[\s,:]))(?P<loc>{_LOCATOR})\s*$")
_IBID = re.compile(r"(?:ibid(?:em)?\b\.?|id\.)(?P<rest>.*)", re.I | re.S)
_SERIES = re.compile(
    r"(?P<series>(?:[A-Z][\w’'-]*\s+){1,5}?(?:Report|Memorandum|Cable|Document|Transcript|Record))\s+"
    r"(?:No\.\s*|#\s*)?(?P<id>\d[\w/-]*\w|\d)(?P<rest>.*)",
    re.S,
)
_COLLECTION = re.compile(r"[“\"](?P<name>[^“”\"]+?)[,.]?[”\"]\s+[Cc]ollection\b")
_TITLE_TAIL = re.compile(r"[\s,;:.]+(?=[’”\"']*$)")
_PARTICLES = {
    "al",
    "el",
    "ad",
    "ar",
    "as",
    "an",
    "at",
    "az",
    "ash",
    "bin",
    "ibn",
    "abu",
    "de",
    "del",
    "della",
    "der",
    "den",
    "van",
    "von",
    "da",
    "di",
    "du",
    "la",
    "le",
    "y",
    "of",
    "the",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_PARTICLE_WORD = re.compile(r"[a-z]{1,3}-\w[\w’'`-]*")
_ET_AL = re.compile(r",?\s+et\s+al\.?$")


def _split_locator(text: str) -> tuple[str, str | None]:
    m = _TRAILING_LOCATOR.search(text)
    if not m:
        return text, None
    return text[: m.start()].rstrip(" ,:"), m.group("loc").strip()


def _clean_title(title: str) -> str:
    # "Collective Violence," keeps its comma inside the closing quote in the note
    return _TITLE_TAIL.sub("", title.strip()).strip()


def _top_level_pieces(text: str) -> list[str]:
    """``text`` cut at commas outside quotes and brackets."""
    pieces = []
    depth = 0
    straight = False
    start = 0
    for i, ch in enumerate(text):
        if ch in "“([":
            depth += 1
        elif ch in "”)]":
            depth = max(0, depth - 1)
        elif ch == '"':
            straight = not straight
        elif ch == "," and not depth and not straight:
            pieces.append(text[start:i].strip())
            start = i + 1
    pieces.append(text[start:].strip())
    return pieces


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    capitalised = False
    for word in words:
        if word[0].isupper():
            capitalised = True
        elif (
            word.lower() not in _PARTICLES
            and word.lower() not in _SUFFIXES
            and not _PARTICLE_WORD.fullmatch(word)
        ):
            return False
        if not re.fullmatch(r"[\w’'`.-]+", word):
            return False
    return capitalised


def _names(pieces: list[str]) -> list[str] | None:
    """The author names in comma pieces ("A and B", "A, B, and C"), or None if they are
    not names."""
    names = []
    for piece in pieces:
        piece = re.sub(r"^and\s+", "", piece)
        for name in re.split(r"\s+(?:and|&)\s+", piece):
            if not _is_name(name):
                return None
            names.append(name)
    return names or None


def _surname(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in _SUFFIXES]
    return work_key(words[-1]) if words else work_key(name)


def _authored_key(surnames: tuple[str, ...], title: str) -> str:
    return " ".join([*surnames, *work_key(title).split()[:_KEY_TITLE_WORDS]])


@dataclass
class _Segment:
    kind: str  # "ibid" | "full" | "short" | "none"
    text: str  # as written, without lead-in
    locator: str | None = None
    work: WorkRef | None = None  # a full citation's work, locator-free
    surnames: tuple[str, ...] = ()
    title_key: str = ""
    series_key: str | None = None  # a short form naming a numbered document
    et_al: bool = False


@dataclass
class _Entry:
    work: WorkRef
    note: int
    surnames: tuple[str, ...]
    title_key: str


def _read(citation: str, written: str) -> _Segment:
    """What one segment is. ``citation`` lacks the final full stop that ``written`` keeps."""
    m = _IBID.fullmatch(citation)
    if m:
        rest = m.group("rest").strip(" ,.")
        return _Segment("ibid", written, locator=rest or None)

    m = _SERIES.fullmatch(citation)
    if m:
        title = f"{m.group('series')} {m.group('id')}"
        head, locator = _split_locator(m.group("rest"))
        if not head.strip(" ,.;:"):
            return _Segment("short", written, locator=locator, series_key=work_key(title))
        coll = _COLLECTION.search(m.group("rest"))
        work = WorkRef(
            work_key(title), title, citation, coll.group("name").strip() if coll else None, None
        )
        return _Segment("full", written, locator=locator, work=work, title_key=work_key(title))

    quoted = _read_quoted(citation, written)
    if quoted is not None:
        return quoted
    book = _read_book(citation, written)
    if book is not None:
        return book
    return _read_short_names(citation, written)


def _read_quoted(citation: str, written: str) -> _Segment | None:
    open_at = citation.find("“")
    close_char = "”"
    if open_at < 0 or (0 <= citation.find('"') < open_at):
        open_at = citation.find('"')
        close_char = '"'
    if open_at < 0:
        return None
    close_at = citation.find(close_char, open_at + 1)
    if close_char == "”":
        # titles may quote inside them: find the matching close
        depth = 0
        for i in range(open_at, len(citation)):
            if citation[i] == "“":
                depth += 1
            elif citation[i] == "”":
                depth -= 1
                if depth == 0:
                    close_at = i
                    break
    if close_at < 0:
        return None
    pre = citation[:open_at].strip().rstrip(",").strip()
    names: list[str] = []
    if pre:
        found = _names(_top_level_pieces(pre))
        if found is None:
            return None
        names = found
    title = _clean_title(citation[open_at + 1 : close_at])
    if not title:
        return None
    surnames = tuple(_surname(n) for n in names)
    rest = citation[close_at + 1 :]
    head, locator = _split_locator(rest)
    if not head.strip(" ,.;:"):
        return _Segment(
            "short", written, locator=locator, surnames=surnames, title_key=work_key(title)
        )
    coll = _COLLECTION.search(rest)
    key = _authored_key(surnames, title) if surnames else work_key(title)
    work = WorkRef(key, title, citation, coll.group("name").strip() if coll else None, None)
    return _Segment(
        "full", written, locator=locator, work=work, surnames=surnames, title_key=work_key(title)
    )


def _read_book(citation: str, written: str) -> _Segment | None:
    """ "Author, Title (Place: Publisher, Year), pp. 1-2": the parenthesis with a year ends the
    title."""
    depth = 0
    quotes = 0
    for i, ch in enumerate(citation):
        if ch == "“":
            quotes += 1
        elif ch == "”":
            quotes = max(0, quotes - 1)
        elif ch == "(" and not quotes:
            close = citation.find(")", i)
            if close < 0:
                return None
            if depth == 0 and _YEAR.search(citation[i:close]):
                pieces = _top_level_pieces(citation[:i].strip().rstrip(",").strip())
                if len(pieces) < 2:
                    return None
                names = _names(pieces[:-1])
                title = _clean_title(pieces[-1])
                if names is None or not title:
                    return None
                surnames = tuple(_surname(n) for n in names)
                _, locator = _split_locator(citation[close + 1 :])
                coll = _COLLECTION.search(citation[close + 1 :])
                work = WorkRef(
                    _authored_key(surnames, title),
                    title,
                    citation,
                    coll.group("name").strip() if coll else None,
                    None,
                )
                return _Segment(
                    "full",
                    written,
                    locator=locator,
                    work=work,
                    surnames=surnames,
                    title_key=work_key(title),
                )
            depth += 1
        elif ch == ")" and not quotes:
            depth = max(0, depth - 1)
    return None


def _read_short_names(citation: str, written: str) -> _Segment:
    """ "Shadid, p. 204", "Fishman and Felter", "Smith et al., Short Title": or prose."""
    head, locator = _split_locator(citation)
    et_al = bool(_ET_AL.search(head))
    head = _ET_AL.sub("", head)
    pieces = [p for p in _top_level_pieces(head) if p]
    if not pieces:
        return _Segment("none", written)
    # with an "and" piece ("Smith, Jones, and Brown") every piece up to it is a name
    last_and = max((i for i, p in enumerate(pieces) if re.match(r"and\s", p)), default=0)
    author_pieces, others = pieces[: last_and + 1], pieces[last_and + 1 :]
    if len(others) > 1:
        return _Segment("none", written)
    names = _names(author_pieces)
    if names is None:
        return _Segment("none", written)
    title_key = ""
    if others:
        title_key = work_key(_clean_title(others[0].strip('“”"')))
        if not title_key:
            return _Segment("none", written)
    return _Segment(
        "short",
        written,
        locator=locator,
        surnames=tuple(_surname(n) for n in names),
        title_key=title_key,
        et_al=et_al,
    )


def _segments(text: str) -> list[_Segment]:
    out = []
    for s, e in _split(text):
        core = _core(text, s, e)
        if core is None:
            continue
        start, end, full = core
        out.append(_read(text[start:end], text[start:full]))
    return out


def _matches(seg: _Segment, entries: list[_Entry]) -> list[_Entry]:
    """The distinct earlier works a short form can stand for."""
    found: dict[str, _Entry] = {}
    for entry in entries:
        if seg.series_key is not None:
            ok = entry.work.key == seg.series_key
        else:
            ok = True
            if seg.surnames:
                if not entry.surnames:
                    ok = False
                elif seg.et_al:
                    ok = seg.surnames[0] == entry.surnames[0] and set(seg.surnames) <= set(
                        entry.surnames
                    )
                else:
                    ok = set(seg.surnames) == set(entry.surnames)
            if ok and seg.title_key:
                ok = f" {seg.title_key} " in f" {entry.title_key} "
            if not seg.surnames and not seg.title_key:
                ok = False
        if ok:
            found.setdefault(entry.work.key, entry)
    return list(found.values())


# ---------------------------------------------------------------- resolving


@dataclass
class _Resolved:
    works: list[tuple[WorkRef, int]] = field(
        default_factory=list
    )  # (work, note holding its full citation)
    kinds: list[str] = field(default_factory=list)
    resolves_to: list[int] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def _resolve_note(
    number: int, text: str, previous: list[tuple[WorkRef, int]], entries: list[_Entry]
) -> _Resolved:
    out = _Resolved()
    before: list[tuple[WorkRef, int]] | None = (
        None  # the citation before the current one in this note
    )
    for seg in _segments(text):
        got: list[tuple[WorkRef, int]] = []
        if seg.kind == "none":
            continue
        if seg.kind == "ibid":
            # never further back than the citation just before, even when it is unresolved
            source = previous if before is None else before
            if source:
                got = [
                    (replace(w, locator=seg.locator) if seg.locator else w, origin)
                    for w, origin in source
                ]
                out.kinds.append("ibid")
                out.resolves_to.extend(origin for _, origin in source)
        elif seg.kind == "full":
            assert seg.work is not None
            known = next((e for e in entries if e.work.key == seg.work.key), None)
            if known is None:
                entries.append(_Entry(seg.work, number, seg.surnames, seg.title_key))
                base = seg.work
            else:
                # a work cited in full again keeps the identity its first citation gave it
                base = known.work
            got = [(replace(base, locator=seg.locator), number)]
            out.kinds.append("full")
        else:
            found = _matches(seg, entries)
            if len(found) == 1:
                got = [(replace(found[0].work, locator=seg.locator), found[0].note)]
                out.kinds.append("short")
                out.resolves_to.append(found[0].note)
        if not got:
            out.kinds.append("unresolved")
            out.unresolved.append(seg.text)
        out.works.extend(got)
        before = got
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
    entries: list[_Entry] = []
    previous: list[tuple[WorkRef, int]] = []
    notes = []
    for number, start, end in spans:
        note_text = text[start:end]
        res = _resolve_note(number, note_text, previous, entries)
        kinds = _unique(res.kinds)
        unresolved = res.unresolved
        if not kinds:
            # nothing in the note reads as a citation: the whole note is what is unresolved
            kinds = ["unresolved"]
            unresolved = [note_text] if note_text else []
        resolution = kinds[0] if len(kinds) == 1 else "mixed"
        works: dict[str, tuple[WorkRef, int]] = {}
        for work, origin in res.works:
            works.setdefault(work.key, (work, origin))
        previous = list(works.values())
        notes.append(
            Note(
                number=number,
                text=note_text,
                start=start,
                end=end,
                markers=tuple(sorted(markers.get(number, []), key=lambda m: m.start)),
                resolution=resolution,
                resolves_to=tuple(_unique(res.resolves_to)),
                works=tuple(w for w, _ in works.values()),
                unresolved_parts=tuple(unresolved),
            )
        )
    return notes
