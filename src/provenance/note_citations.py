"""What the notes of a document cite: each note cut into citation segments, each segment
read as a full citation (which registers a work), ``Ibid.``, a short form or prose, and
Ibid. and short forms resolved to the earlier works they stand for.

Where the notes and their markers are in a document is ``footnotes``, which reads each
note through ``NoteReader``; the works are stored by ``ingest`` and described by
``sources.describe_works``.

A note is cut at top-level semicolons, sentence ends and ", and " between two
citations, and every segment is read as one of:

* a full citation (a numbered document of a series, a quoted title, or a book with its
  publication details in parentheses), which registers a work;
* ``Ibid.``, which stands for the works of the note (or citation) just before it, at
  the page it gives or else at the same page, as the abbreviation means;
* a short form (author surnames, a short title, a series number without details),
  which stands for the one earlier full citation it matches;
* prose, which cites nothing and is skipped.

Nothing is guessed: an Ibid. after an unresolved note, or a short form matching no
earlier work or several, is reported as unresolved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

__all__ = ["NoteReader", "Resolved", "WorkRef", "work_key"]


@dataclass(frozen=True)
class WorkRef:
    key: str
    title: str
    citation: str
    collection: str | None
    locator: str | None


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
class Resolved:
    """What one note cites: its works (each with the note holding its full citation), how
    each citation was read (full, ibid, short, unresolved), the earlier notes it points
    back to, and the parts that could not be resolved."""

    works: list[tuple[WorkRef, int]] = field(
        default_factory=list
    )  # (work, note holding its full citation)
    kinds: list[str] = field(default_factory=list)
    resolves_to: list[int] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def _resolve_note(
    number: int, text: str, previous: list[tuple[WorkRef, int]], entries: list[_Entry]
) -> Resolved:
    out = Resolved()
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


class NoteReader:
    """Reads the notes of one document in order: a full citation registers its work for
    the short forms after it, and an Ibid. stands for the citation just before it."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._previous: list[tuple[WorkRef, int]] = []

    def read(self, number: int, text: str) -> Resolved:
        """What note ``number`` cites; its works, one per work in the order first cited,
        are what an Ibid. opening the next note stands for."""
        resolved = _resolve_note(number, text, self._previous, self._entries)
        works: dict[str, tuple[WorkRef, int]] = {}
        for work, origin in resolved.works:
            works.setdefault(work.key, (work, origin))
        self._previous = list(works.values())
        resolved.works = list(self._previous)
        return resolved
