"""The Book benchmark of learned trust (benchmarks/truth/books.py) on the stored data.

The loader reads the stored files (counts and known books, worked out from the files by
hand), the author lists are normalised as the script's docstring says, and the script
runs end to end on a slice of the data: import through the product, trust, the table.
No target of the benchmark is asserted.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from provenance.db import make_engine, reading_session
from provenance.models import Claim, Entity, Source

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import books  # noqa: E402  (benchmarks/truth/books.py)
import ceiling  # noqa: E402
import flight as truth_flight  # noqa: E402
import generator  # noqa: E402


@pytest.fixture(scope="module")
def stored():
    rows, names = books.read_claims()
    return rows, names, books.read_gold()


def test_the_stored_files_are_the_published_ones():
    with gzip.open(books.CLAIMS, "rt", encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    assert len(lines) == 33_971
    assert lines[0].split("\t")[:2] == ["eCampus.com", "0201853949"]
    assert len(books.GOLD.read_text(encoding="utf-8").splitlines()) == 100


def test_the_loader_reads_every_store_book_and_gold_list(stored):
    rows, names, gold = stored
    assert len(rows) == 24_824  # distinct (store, book, author list)
    assert len({r[1] for r in rows}) == 1_263  # two ISBNs are listed with no author
    # 895 names, 894 stores ("booksmart" and "BookSmart" are one), 19 of which give
    # nothing but empty lists and "Not Available"
    assert len(names) == 875
    assert names["bookstore-a1books"] == "A1Books"
    assert len(gold) == 100
    assert gold[("0120887975", "authors")] == {"celko"}
    assert gold[("1558603042", "authors")] == {"widom; ceri"}
    assert gold[("9780073516677", "authors")] == {"oleary; oleary"}
    assert gold[("0201699710", "authors")] == {"huston; johnson; syyid"}
    # every gold book is listed; the gold list of 98 of them is one some store gave
    values = defaultdict(set)
    for _, isbn, value in rows:
        values[isbn].add(value)
    assert all(isbn in values for isbn, _ in gold)
    assert sum(next(iter(v)) in values[i] for (i, _), v in gold.items()) == 98


def test_known_listings_of_one_book(stored):
    rows, _, _ = stored
    knuth = {(slug, value) for slug, isbn, value in rows if isbn == "0201853949"}
    # "Knuth, Donald E." and "Not Available" (no claim) at Indoo.com and eCampus.com
    assert ("bookstore-indoo-com", "knuth") in knuth
    assert not any(slug == "bookstore-ecampus-com" for slug, _ in knuth)
    # Bobs Books lists it four times: "KNUTH, DONALD E." twice, "Knuth Donald", and
    # "Donald E. Knuth John Fuller" (two names run together, read as one: "fuller")
    assert {v for s, v in knuth if s == "bookstore-bobs-books"} == {"knuth", "fuller"}


@pytest.mark.parametrize(
    "raw, value",
    [
        ("Knuth, Donald E.", "knuth"),
        ("Donald E. Knuth", "knuth"),
        ("KNUTH, DONALD", "knuth"),
        ("Knuth, Donald Ervin (Author)", "knuth"),
        ("Widom, Jennifer; Ceri, Stefano", "widom; ceri"),
        ("Ceri, Stefano/ Widom, Jennifer", "ceri; widom"),  # order is kept
        ("Smith, Connie U., Williams, Lloyd G.", "smith; williams"),
        ("Jeffrey P. McManus, Chris Kinsman, Chris Kinsman", "mcmanus; kinsman"),
        ("Aho, Alfred &amp; Sethi, Ravi &amp; Ullman, Jeffrey", "aho; sethi; ullman"),
        ("Van Der Lans, Rick", "vanderlans"),
        ("Rick van der Lans", "vanderlans"),
        ("O'Leary, Timothy J.; O'Leary, Linda I.", "oleary; oleary"),
        ("Monson-Haefel, Richard", "monsonhaefel"),
        ("Zheng, Pei; Ni, Lionel", "zheng; ni"),
        ("Paulish Daniel J", "paulish"),
        ("Chapra, Steven, C.", "chapra"),
        ("Sedgewick, Robert et al.", "sedgewick"),
        ("Harold, Elliotte Rusty, Ph.D.", "harold"),
        ("Not Available", None),
        ("", None),
    ],
)
def test_an_author_list_is_its_family_names_in_order(raw, value):
    assert books.author_list(raw) == value


def test_last_first_without_a_comma_is_read_from_the_books_other_listings():
    listings = ["Raskin, Jef", "Raskin Jef", "Jef Raskin"]
    known = books.known_families(listings)
    assert known == {"raskin"}
    assert [books.author_list(raw, known) for raw in listings] == ["raskin"] * 3
    assert books.author_list("Raskin Jef") == "jef"  # without the other listings


@pytest.mark.sqlite_only  # the benchmark builds its own SQLite file, as flight.py does
def test_the_script_runs_end_to_end_on_a_slice(stored, tmp_path, capsys):
    rows, names, gold = stored
    keep = str(tmp_path / "keep")
    assert books.main(["--books", "40", "--seeds", "1", "--keep", keep, "--ceiling"]) == 0
    report = capsys.readouterr().out

    kept_rows, kept_names, kept_gold = books.sliced(rows, names, gold, 40)
    assert len({r[1] for r in kept_rows}) == 40 and len(kept_gold) == 40
    head = "| method | all (40 items) | A ("
    assert head in report
    cells = dict(re.findall(r"^\| ([a-z ]+) \| \**([01]\.\d{3})", report, re.M))
    table = defaultdict(lambda: defaultdict(set))
    for slug, isbn, value in kept_rows:
        table[(isbn, "authors")][value].add(slug)
    vote = generator.majority_vote(table)
    assert cells["majority vote"] == f"{truth_flight.score(vote, kept_gold, kept_gold):.3f}"
    assert 0.0 <= float(cells["learned trust"]) <= 1.0
    assert f"{len(kept_rows):,} claims on 40 books by {len(kept_names):,} stores" in report
    assert "### With desk verdicts on 10 % of the gold items" in report

    # the ceilings: each fold learned with the verdicts on every gold book outside it
    # whose gold list some store gave
    assert "### Ceilings: what learned source trust could reach" in report
    given = {(isbn, value) for _, isbn, value in kept_rows}
    settled = [
        sum((i[0], next(iter(kept_gold[i]))) in given for i in kept_gold if ceiling.fold_of(i) != f)
        for f in range(ceiling.FOLDS)
    ]
    assert f"- each fold learned with at least {min(settled)} verdicts" in report
    ceilings = re.findall(
        r"^\| (source accuracies|the product)[^|]*\| ([01]\.\d{3}) \|", report, re.M
    )
    assert len(ceilings) == 4 and all(0.0 <= float(c) <= 1.0 for _, c in ceilings)

    # what was imported is the slice: one claim per (book, list), every store a source
    engine = make_engine(str(tmp_path / "keep" / "books.db"))
    with reading_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Source)) == len(kept_names)
        assert session.scalar(select(func.count()).select_from(Entity)) == 40
        claims = session.scalar(select(func.count()).select_from(Claim))
        assert claims == len({(isbn, value) for _, isbn, value in kept_rows})
        stored_values = set(
            session.execute(
                select(Entity.name, Claim.value).join(Entity, Claim.subject_id == Entity.id)
            )
        )
    engine.dispose()
    assert ("0120887975", "celko") in stored_values
