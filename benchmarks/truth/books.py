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
``flight.py``: settings are chosen looking at half ``A`` only. Nothing in the model was
chosen on this data set; the report goes to stdout. ``--books N`` runs on a slice: the
first N books by ISBN, gold books first (for a quick check; the figures are the whole
set's only without it).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import re
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import generator  # noqa: E402
import pooled  # noqa: E402
import run as flight_run  # noqa: E402  (benchmarks/flight/run.py: import and clock)
import yaml  # noqa: E402

from provenance.db import make_engine  # noqa: E402

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


def write_import(out: Path, rows, names) -> tuple[Path, Path]:
    """``header.yaml`` (sources, the property, the books) and ``claims.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    header = {
        "sources": [
            {
                "slug": slug,
                "title": f"{names[slug]} (bookstore)",
                "kind": "website",
                "reliability": "F",
                "note": "Book data set, Yin, Han and Yu, KDD 2007.",
            }
            for slug in sorted(names)
        ],
        "properties": [
            {
                "name": PROPERTY,
                "type": "text",
                "description": "The book's authors: family names in order, folded, by '; '.",
            }
        ],
        "entities": [{"name": s, "kind": "other"} for s in sorted({r[1] for r in rows})],
    }
    header_path = out / "header.yaml"
    header_path.write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    claims_path = out / "claims.csv"
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        for slug, subject, value in rows:
            writer.writerow([slug, subject, PROPERTY, value])
    return header_path, claims_path


def build_or_reuse(out: Path, rows, names, clock):
    """The data set imported into ``out/books.db``, or the one a previous run kept."""
    db = out / "books.db"
    if (out / "imported").exists() and db.exists():
        flight_run.say(f"reusing {db}")
        with clock.step("import"):
            engine = make_engine(str(db))
        return engine
    header, claims = write_import(out / "import", rows, names)
    flight_run.say("import …")
    engine, _ = flight_run.build_database(db, header, claims, clock)
    (out / "imported").write_text("the import finished\n", encoding="utf-8")
    return engine


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="keep the import files and database in DIR")
    parser.add_argument("--seeds", type=int, default=3, help="draws of the 10 %% of verdicts")
    parser.add_argument(
        "--halves",
        default="day,A,B",
        help="the gold items scored: day (all), A, B, comma-separated (tune looking at A only)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="run with a constant of provenance.trust changed",
    )
    parser.add_argument(
        "--books", type=int, metavar="N", help="a slice: the first N books, gold books first"
    )
    args = parser.parse_args(argv)
    shown = [h.strip() for h in args.halves.split(",") if h.strip()]
    if not shown or any(h not in ("day", *truth_flight.HALVES) for h in shown):
        parser.error(f"--halves {args.halves!r}: a comma-separated list of day, A, B")
    if args.books is not None and args.books < 1:
        parser.error(f"--books {args.books}: a number of books, 1 or more")
    changed = truth_flight.set_constants(args.set)
    workdir = None if args.keep else tempfile.TemporaryDirectory(prefix="truth-books-")
    out = Path(args.keep) if args.keep else Path(workdir.name)
    out.mkdir(parents=True, exist_ok=True)

    rows, names = read_claims()
    gold = read_gold()
    if args.books is not None:
        rows, names, gold = sliced(rows, names, gold, args.books)
    table: dict[Item, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for slug, subject, value in rows:
        table[(subject, PROPERTY)][value].add(slug)
    vote = generator.majority_vote(table)
    clock = flight_run.Clock()
    engine = build_or_reuse(out, rows, names, clock)

    gold_items = sorted(gold)
    halves = [truth_flight.in_half(gold_items, h) for h in shown]
    disputed = sum(len(table[i]) > 1 for i in gold_items)
    head = truth_flight.header(shown, halves, "all")
    title = "## Learned trust on Books (every bookstore F)"
    lines = [title + (f", a slice of {args.books} books" if args.books else ""), ""]
    if changed:
        lines += ["constants: " + ", ".join(f"{k} = {v!r}" for k, v in changed.items()), ""]
    answers, result, value_claims = truth_flight.learned_answers(engine, clock)
    lines.append(f"| method | {head} |")
    lines.append("|---|" + "---:|" * len(halves))
    lines.append(truth_flight.row("majority vote", vote, gold, halves))
    lines.append(truth_flight.row("learned trust", answers, gold, halves, bold=True))
    for name, method in pooled.METHODS.items():
        lines.append(truth_flight.row(name, method(table, ()), gold, halves))
    lines.append("")
    lines.append(
        f"- {len(gold_items)} gold books ({disputed} with more than one author list, "
        f"{sum(next(iter(gold[i])) in table[i] for i in gold_items)} whose gold list some "
        f"store gave); {len(rows):,} claims on {len(table):,} books by {len(names):,} stores"
    )
    lines.append(
        f"- trust: {result.rounds} rounds over {result.items:,} items, "
        f"{clock.show('trust')} (import {clock.show('import')})"
    )
    lines.append(
        "- copy groups suggested: "
        + ("; ".join("{" + ", ".join(g) + "}" for g in result.copy_groups) or "none")
    )
    lines.append("")
    if args.seeds:
        lines += truth_flight.verdict_runs(
            args.seeds, engine, gold, gold_items, value_claims, vote, answers, shown, clock
        )
    print("\n".join(lines))
    engine.dispose()
    if workdir is not None:
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    flight_run.say(f"done in {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
