"""Learned source trust on the authors of books: the leading author list against the gold.

Data: the Book data set of X. Yin, J. Han and P. S. Yu, "Truth discovery with multiple
conflicting information providers on the web", KDD 2007 (``books/README.md``): 33,971
author lists of 1,263 computer-science books (by ISBN) as 875 online bookstores listed
them (894 stores, 19 of which name no author), and a gold author list for 100 books,
which the authors read off the books' covers.

    .venv/bin/python benchmarks/truth/books.py [--keep DIR] [--seeds 3] [--halves A,B,day]

A third public data set beside Flight and Population, of another shape: the values are
text, not numbers or times; the same list is written in many forms (``Knuth, Donald E.``,
``Donald E. Knuth``, ``KNUTH, DONALD``, ``Knuth Donald``); stores drop co-authors,
reorder them, or run two names together without a separator; most stores list one or
two books, 54 list a hundred or more.

1. Every bookstore is a text-less source graded F; every book an entity named by its
   ISBN, declared in the import's ``entities:`` section; every listing a claim of the
   text property ``authors`` whose value is the normalised author list
   (:func:`author_list`). A store listing a book twice with the same list is one
   citation; with two different lists, two claims. An empty list or ``Not Available``
   is no claim.
2. A majority vote (a tie to the value of the smallest SHA-256, blind to the truth) and
   the pooled-investment variants of ``pooled.py`` are computed in the same run.
3. ``provenance.trust`` learns trust; a book's answer is its leading answer.
4. With ``--seeds N``, desk verdicts on 10 % of the gold books as in ``flight.py``
   (its code is reused): scored on the other 90 %.

**The value: an author list, normalised.** A list is one value, right only when it
equals the gold list; partial credit for a list missing one author is not given. (The
book loader of the ``truthdiscovery`` package, whose copy of the data this is, reads
each name into first, middle and last names and scores a list by the parts it matches;
here a store's list and the gold are compared as wholes, as the product compares two
claims.)

- An author is their family name: case, accents and punctuation folded
  (``O'Leary`` = ``oleary``, ``Monson-Haefel`` = ``monsonhaefel``), particles kept with
  it (``Van Der Lans, Rick`` and ``Rick van der Lans`` = ``vanderlans``). Given names,
  initials and middle names are not compared: stores write ``Donald``, ``Donald E.``,
  ``Donald Ervin``, ``D. E.`` or nothing for one person, and the gold itself abbreviates.
- Forms: ``Last, First`` (one or several, by ``;``, ``/``, ``|``, ``&``, ``and`` or
  by commas alternating ``Last, First, Last, First``) and ``First Last`` (several by
  commas). A name without a comma whose last word is an initial (``Paulish Daniel J``)
  is ``Last First``; otherwise a name without a comma is read ``Last First`` only
  when its first word, and not its last, is a family name that a ``Last, First``
  listing of the same book gives (``Raskin Jef``).
- Roles and notes in brackets (``(Author)``, ``(Editor)``, ``[Ed.]``), ``et al.``,
  ``Jr.``, ``Ph.D.``, ``Ed.``/``Eds.`` and ``edited by`` are dropped: an editor of an
  edited volume is listed as the gold lists them, as a name. A list ending in
  ``et al.`` is therefore shorter than the book's list, and wrong unless it was one.
- Order is kept: the value is the family names in the order the store gives them,
  joined by ``; `` (``celko``, ``widom; ceri``), as a citation prints them from the
  cover; ``ceri; widom`` is another value. (On 128 of the 1,163 books outside the gold,
  stores give the same authors in different orders.) The same person twice in one
  listing (same family and given names) is once.

The halves (``flight.half_of`` on the ISBN: a fixed hash) keep the protocol of
``flight.py``: settings are chosen looking at half ``A`` only. Of the model, only the
constants of lists that imply lists (``LIST_IMPLICATION``, ``LIST_HABIT``) were chosen
on this data set, on half ``A`` (``docs/benchmarks.md``, "Seventh pass: lists that imply
lists"; the list settings tried after them, all left off: "Eighth pass: lists a small
store cuts short"); half ``B`` was scored once after each. The report goes to stdout. ``--books N``
runs on a slice: the first N books by ISBN, gold books first (for a quick check; the
figures are the whole set's only without it).
"""

from __future__ import annotations

import gzip
import html
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import overturned  # noqa: E402  (benchmarks/truth/overturned.py)
import public_set  # noqa: E402  (what Population and Books share)
import run as flight_run  # noqa: E402  (benchmarks/flight/run.py: import and clock)

DATA = HERE / "books"
CLAIMS = DATA / "book-claims.tsv.gz"
GOLD = DATA / "book-gold.txt"
PROPERTY = "authors"

Item = tuple[str, str]
# a name as listed: (family name, given names), or (None, the whole name) without a comma
Name = tuple[str | None, str]

NOT_GIVEN = {"", "not available", "n/a", "na", "unknown", "none", "various", "anonymous"}
# words that are no part of a name: suffixes, degrees, roles
NOT_A_NAME = {
    "jr",
    "sr",
    "ii",
    "iii",
    "iv",
    "phd",
    "ph",
    "md",
    "mba",
    "msc",
    "dr",
    "prof",
    "ed",
    "eds",
    "edt",
    "editor",
    "editors",
    "author",
    "authors",
    "by",
}
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le"}
SEPARATORS = re.compile(r"\s*(?:;|/|\||&|\band\b|\bwith\b)\s*", re.IGNORECASE)
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
DROPPED = re.compile(r"\bet\.? al\b\.?|\bedited by\b", re.IGNORECASE)


def fold(word: str) -> str:
    """A word compared: accents, case and every character but a letter dropped."""
    ascii_form = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", ascii_form.lower())


def words(text: str) -> list[str]:
    """The words of a name, without suffixes, degrees and roles (``Jr.``, ``Ph.D.``, ``Ed.``)."""
    return [w for w in text.split() if fold(w) and fold(w) not in NOT_A_NAME]


def is_initial(word: str) -> bool:
    """``J``, ``J.``, ``J.R.``: initials, which no family name is (``Li``, ``Yu`` are names)."""
    return bool(re.fullmatch(r"[A-Za-z]\.?|(?:[A-Za-z]\.){2,}", word))


def family(family_words: list[str]) -> str:
    """The folded family name of its words (``Van Der Lans`` → ``vanderlans``)."""
    return "".join(fold(w) for w in family_words)


def split_names(raw: str) -> list[Name]:
    """The names of one listing, in its order: ``(family, given)`` for ``Last, First``
    and ``(None, whole)`` for a name written without a comma (``First Last``)."""
    text = DROPPED.sub(" ", BRACKETED.sub(" ", html.unescape(raw)))
    names: list[Name] = []
    for group in SEPARATORS.split(text):
        parts = [p.strip() for p in group.split(",")]
        parts = [p for p in parts if words(p)]
        if not parts:
            continue
        if len(parts) == 1 or all(len(words(p)) > 1 for p in parts):
            names += [(None, p) for p in parts]  # one name, or "First Last, First Last"
            continue
        i = 0
        while i < len(parts):  # "Last, First" pairs, a name left over as it is
            if i + 1 < len(parts):
                names.append((parts[i], parts[i + 1]))
                i += 2
            else:
                names.append((None, parts[i]))
                i += 1
    return names


def family_of(name: Name, known: frozenset[str] | set[str]) -> str:
    """The folded family name of one listed name; ``known``: the families that the
    ``Last, First`` listings of the same book give (to read ``Raskin Jef``)."""
    last, given = name
    if last is not None:
        return "" if all(is_initial(w) for w in words(last)) else family(words(last))
    ws = words(given)
    if all(is_initial(w) for w in ws):
        return ""  # "C." left over from "Chapra, Steven, C.": an initial names nobody
    if len(ws) == 1:
        return family(ws)
    if is_initial(ws[-1]) and not is_initial(ws[0]):
        return family(ws[:1])  # "Paulish Daniel J"
    start = len(ws) - 1
    while start > 1 and fold(ws[start - 1]) in PARTICLES:
        start -= 1
    as_first_last = family(ws[start:])
    if as_first_last not in known and family(ws[:1]) in known:
        return family(ws[:1])  # "Raskin Jef"
    return as_first_last


def author_list(raw: str, known: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The value of one listing: family names in order, joined by ``; ``; None when the
    listing names nobody (empty, ``Not Available``)."""
    if fold(raw) in {fold(n) for n in NOT_GIVEN}:
        return None
    seen: set[tuple[str, str]] = set()
    families: list[str] = []
    for name in split_names(raw):
        key = family_of(name, known)
        person = (key, fold(name[1]))
        if not key or person in seen:
            continue
        seen.add(person)
        families.append(key)
    return "; ".join(families) or None


def known_families(listings: list[str]) -> set[str]:
    """The family names the ``Last, First`` listings of one book give."""
    return {
        family(words(last))
        for raw in listings
        for last, _ in split_names(raw)
        if last is not None and family(words(last))
    }


def source_of(store: str) -> str:
    """A bookstore's source slug: ``ecampus-com``, ``books-down-under``."""
    slug = re.sub(r"[^0-9a-z]+", "-", ascii_lower(store)).strip("-")
    if not slug:
        raise ValueError(f"unexpected bookstore {store!r}")
    return "bookstore-" + slug


def ascii_lower(text: str) -> str:
    """``text`` lower-cased, accents dropped (digits and punctuation kept)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def read_claims(path: Path = CLAIMS) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(source, ISBN, author list) rows, each once; and source slug → the store's name,
    for the stores that name an author of some book."""
    listings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for line in handle:
            store, isbn, _title, authors = line.rstrip("\r\n").split("\t")
            slug = source_of(store)
            names.setdefault(slug, store.strip())
            listings[isbn.strip()].append((slug, authors))
    rows: set[tuple[str, str, str]] = set()
    for isbn, listed in listings.items():
        known = known_families([authors for _, authors in listed])
        for slug, authors in listed:
            value = author_list(authors, known)
            if value is not None:
                rows.add((slug, isbn, value))
    claiming = {slug for slug, _, _ in rows}
    return sorted(rows), {slug: name for slug, name in names.items() if slug in claiming}


def read_gold(path: Path = GOLD) -> dict[Item, set[str]]:
    """(ISBN, ``authors``) → {the gold author list}."""
    gold: dict[Item, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        isbn, authors = line.split("\t")
        value = author_list(authors)
        if value is None:
            raise ValueError(f"gold book {isbn} names no author")
        gold[(isbn.strip(), PROPERTY)] = {value}
    return gold


def sliced(rows, names, gold, books: int):
    """The first ``books`` books by ISBN, gold books first: rows, the stores that list
    them, and their gold."""
    gold_isbns = sorted(isbn for isbn, _ in gold)
    others = sorted({r[1] for r in rows} - set(gold_isbns))
    kept = set((gold_isbns + others)[:books])
    rows = [r for r in rows if r[1] in kept]
    listed = {r[0] for r in rows}
    return (
        rows,
        {s: n for s, n in names.items() if s in listed},
        {i: v for i, v in gold.items() if i[0] in kept},
    )


BOOKS = public_set.DataSet(
    name="Books",
    property={
        "name": PROPERTY,
        "type": "text",
        "description": "The book's authors: family names in order, folded, by '; '.",
    },
    source_kind="bookstore",
    note="Book data set, Yin, Han and Yu, KDD 2007.",
    entity_kind="other",
    sources="stores",
    subjects="books",
    gold_items="books",
    value="author list",
)


def main(argv: list[str] | None = None) -> int:
    parser = truth_flight.arguments(__doc__.splitlines()[0])
    parser.add_argument(
        "--books", type=int, metavar="N", help="a slice: the first N books, gold books first"
    )
    args = parser.parse_args(argv)
    shown = truth_flight.halves_shown(parser, args.halves)
    args.overturned = overturned.counts(parser, args.overturned)
    if args.books is not None and args.books < 1:
        parser.error(f"--books {args.books}: a number of books, 1 or more")
    rows, names = read_claims()
    gold = read_gold()
    if args.books is not None:
        rows, names, gold = sliced(rows, names, gold, args.books)
    tail = f", a slice of {args.books} books" if args.books else ""
    public_set.report(BOOKS, args, shown, rows, names, gold, title_tail=tail)
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    flight_run.say(f"done in {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
