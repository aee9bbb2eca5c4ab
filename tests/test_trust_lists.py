"""Lists that imply lists in learned trust (``trust/lists.py``): a text answer naming part
of another's entries lends it support, the same entries in another order lend each other.

Hand-made cases imported through the CLI: stores of one grade giving author lists of one
book, so that only the rule can choose between answers of equal support.
"""

from __future__ import annotations

import json

import pytest
from conftest import answer_probabilities

from provenance import trust
from provenance.db import make_engine, reading_session

STORES = ("store-a", "store-b", "store-c", "store-d", "store-e", "store-f")
HEADER = "\n".join(
    [
        "sources:",
        *(f"  - {{slug: {s}, title: {s}, kind: website, reliability: C}}" for s in STORES),
        "properties:",
        "  - {name: authors, type: text}",
        "  - {name: motto, type: text}",
        "entities:",
        "  - {name: Database Systems, kind: other}",
        "  - {name: Query Languages, kind: other}",
        *(f"  - {{name: Volume {n}, kind: other}}" for n in range(7)),
        "",
    ]
)


def import_lists(run, tmp_path, given: list[tuple[str, str, str]]) -> None:
    """(store, book, value) rows of the property ``authors`` (or ``motto`` for prose)."""
    (tmp_path / "header.yaml").write_text(HEADER, encoding="utf-8")
    lines = ["source,subject,property,value"]
    for store, book, value in given:
        prop = "motto" if book.startswith("motto:") else "authors"
        lines.append(f'{store},{book.removeprefix("motto:")},{prop},"{value}"')
    (tmp_path / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")


def one_book(values: list[str]) -> list[tuple[str, str, str]]:
    """Store a, b, c … each give one of ``values`` for Database Systems."""
    return [(s, "Database Systems", v) for s, v in zip(STORES, values, strict=False)]


def model_rows(db_path, monkeypatch, query: str, **constants: object) -> list[tuple]:
    """The rows ``query`` reads from the model's temporary tables after a run."""
    from sqlalchemy import text

    from provenance.trust.sql import working_connection

    for name, value in constants.items():
        monkeypatch.setattr(trust, name, value)
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        trust.compute_trust(session, public_only=False)
        # the model's temporary tables live on its working connection (a second one on
        # PostgreSQL, in a reading transaction)
        rows = [tuple(r) for r in working_connection(session).execute(text(query)).all()]
    engine.dispose()
    return rows


def lent(db_path, monkeypatch, **constants: object) -> dict[tuple[str, str], tuple[float, float]]:
    """(receiver, lender) → (similarity, in credit): the list rows of ``trust_near``."""
    query = """SELECT ca.value, cb.value, x.similarity, x.in_credit FROM trust_near x
        JOIN claims ca ON ca.id = x.claim_id JOIN claims cb ON cb.id = x.other_id"""
    rows = model_rows(db_path, monkeypatch, query, **constants)
    return {(a, b): (pytest.approx(s), pytest.approx(c)) for a, b, s, c in rows}


def moved(db_path, monkeypatch, **constants: object) -> dict[tuple[str, str], float]:
    """(part, whole) → the share of the part's support the whole receives (``LIST_TRANSFER``)."""
    query = """SELECT ca.value, cb.value, m.share FROM trust_list_moves m
        JOIN claims ca ON ca.id = m.part_id JOIN claims cb ON cb.id = m.whole_id"""
    rows = model_rows(db_path, monkeypatch, query, **constants)
    return {(a, b): pytest.approx(share) for a, b, share in rows}


def scores(db_path, monkeypatch, **constants: object) -> dict[str, tuple[float, float]]:
    """Each answer's own support (its sources' votes) and its score, after the last pass."""
    query = """SELECT c.value, s.own, s.score FROM trust_scores s
        JOIN claims c ON c.id = s.claim_id"""
    return {
        v: (own, score) for v, own, score in model_rows(db_path, monkeypatch, query, **constants)
    }


ON = {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 0.0}


def test_a_list_cut_short_lends_its_support_to_the_whole_list_and_not_back(
    run, tmp_path, db_path, monkeypatch
):
    import_lists(run, tmp_path, one_book(["Widom", "Widom; Ceri", "Garcia; Ullman"]))
    off = answer_probabilities(db_path, monkeypatch, LIST_IMPLICATION=0.0)
    assert off["Widom"] == pytest.approx(off["Widom; Ceri"])
    assert off["Widom"] == pytest.approx(off["Garcia; Ullman"])
    on = answer_probabilities(db_path, monkeypatch, **ON)
    # "widom" is part of "widom; ceri": the whole gets half its support ...
    assert on["Widom; Ceri"] > on["Widom"] + 0.1
    # ... and lends nothing back: it names an author the part, as a whole list, leaves out
    assert on["Widom"] == pytest.approx(on["Garcia; Ullman"])
    assert lent(db_path, monkeypatch, **ON) == {("Widom; Ceri", "Widom"): (1.0, 0.0)}


def test_the_same_names_in_another_order_or_spacing_lend_each_other(
    run, tmp_path, db_path, monkeypatch
):
    import_lists(run, tmp_path, one_book(["Widom; Ceri", "Ceri ;Widom", "Garcia; Ullman"]))
    on = answer_probabilities(db_path, monkeypatch, **ON)
    assert on["Widom; Ceri"] == pytest.approx(on["Ceri ;Widom"])
    assert on["Widom; Ceri"] > on["Garcia; Ullman"] + 0.1
    assert lent(db_path, monkeypatch, **ON) == {
        ("Widom; Ceri", "Ceri ;Widom"): (1.0, 0.0),
        ("Ceri ;Widom", "Widom; Ceri"): (1.0, 0.0),
    }


def test_lists_that_only_overlap_and_texts_without_a_separator_lend_nothing(
    run, tmp_path, db_path, monkeypatch
):
    given = one_book(["Widom; Ceri", "Widom; Garcia", "Ullman"])
    # prose: neither holds a ";", so each is a one-item list of its own, and different
    given += [
        ("store-d", "motto:Query Languages", "Ask once"),
        ("store-e", "motto:Query Languages", "Ask once, answer twice"),
    ]
    import_lists(run, tmp_path, given)
    assert lent(db_path, monkeypatch, **ON) == {}
    on = answer_probabilities(db_path, monkeypatch, **ON)
    assert on["Widom; Ceri"] == pytest.approx(on["Widom; Garcia"])
    assert on["Widom; Ceri"] == pytest.approx(on["Ullman"])
    assert on["Ask once"] == pytest.approx(on["Ask once, answer twice"])


def test_by_size_a_part_lends_the_share_of_the_whole_it_names_and_credit_is_the_parts(
    run, tmp_path, db_path, monkeypatch
):
    import_lists(run, tmp_path, one_book(["McGraw", "McGraw; Viega", "McGraw; Viega; Hoglund"]))
    rows = lent(db_path, monkeypatch, **ON, LIST_BY_SIZE=True, LIST_CREDIT=True)
    assert rows == {
        # in the score: the whole receives from its parts, by the share of it they name
        ("McGraw; Viega", "McGraw"): (1 / 2, 0.0),
        ("McGraw; Viega; Hoglund", "McGraw"): (1 / 3, 0.0),
        ("McGraw; Viega; Hoglund", "McGraw; Viega"): (2 / 3, 0.0),
        # in the credit: the part's source is not wrong where the whole is true
        ("McGraw", "McGraw; Viega"): (0.0, 1 / 2),
        ("McGraw", "McGraw; Viega; Hoglund"): (0.0, 1 / 3),
        ("McGraw; Viega", "McGraw; Viega; Hoglund"): (0.0, 2 / 3),
    }


# the habit's worked example: store a lists the first author only on both books; store b
# cuts one list short and adds a name to the other (no habit); store c gives both in full
HABIT_EXAMPLE = [
    ("store-a", "Database Systems", "Widom"),
    ("store-a", "Query Languages", "Abiteboul"),
    ("store-c", "Database Systems", "Widom; Ceri"),
    ("store-c", "Query Languages", "Abiteboul; Hull; Vianu"),
    ("store-b", "Database Systems", "Widom"),
    ("store-b", "Query Languages", "Abiteboul; Hull; Vianu; Lee"),
]


def test_a_part_lends_as_far_as_its_sources_habitually_give_parts(
    run, tmp_path, db_path, monkeypatch
):
    """Store a lists the first author only on both books; store b cuts one list short and
    adds a name to the other (no habit); store c and d give the full lists."""
    import_lists(run, tmp_path, HABIT_EXAMPLE)
    rows = lent(db_path, monkeypatch, LIST_IMPLICATION=1.0, LIST_HABIT=2.0)
    # store a: 2 parts of 2 answers, shrunk by 2 pseudo-answers: 2 / 4; store b: +1 - 1 = 0
    # "widom" (stores a and b, equal confidence): (0.5 + 0) / 2
    assert rows[("Widom; Ceri", "Widom")] == (0.25, 0.0)
    assert rows[("Abiteboul; Hull; Vianu", "Abiteboul")] == (0.5, 0.0)
    # store c: once a whole, once both a part and a whole: below 0, so its part lends nothing
    assert ("Abiteboul; Hull; Vianu; Lee", "Abiteboul; Hull; Vianu") not in rows
    assert rows[("Abiteboul; Hull; Vianu; Lee", "Abiteboul")] == (0.5, 0.0)


def test_a_store_giving_the_first_author_only_no_longer_outvotes_the_full_list(
    run, tmp_path, db_path, monkeypatch
):
    """Three stores list only the first author of every book (as they always do), two the
    full list: the full list leads, by a margin, and ``--explain`` says what it got lent.
    """
    books = [("Database Systems", "Widom", "Widom; Ceri")]
    books += [(f"Volume {n}", f"Author{n}", f"Author{n}; Second{n}") for n in range(7)]
    given = [(s, book, first) for s in STORES[:3] for book, first, _ in books]
    given += [(s, book, full) for s in STORES[3:5] for book, _, full in books]
    import_lists(run, tmp_path, given)
    default = trust.LIST_IMPLICATION
    assert default > 0
    monkeypatch.setattr(trust, "LIST_IMPLICATION", 0.0)
    before = json.loads(run("conflicts", "--json", "--subject", "Database Systems").output)
    assert before[0]["leading_value"] == "Widom"
    monkeypatch.setattr(trust, "LIST_IMPLICATION", default)
    rows = json.loads(run("conflicts", "--json", "--subject", "Database Systems").output)
    (row,) = rows
    assert row["leading_value"] == "Widom; Ceri", row
    assert row["leading_reason"] == "most likely true"
    # a list cut short is still another answer: it makes the margin, and it is no tie
    full, cut = row["answers"]
    assert cut["value"] == "Widom"
    assert row["leading_margin"] == pytest.approx(
        full["probability"] - cut["probability"], abs=0.002
    )
    assert row["leading_margin"] > trust.TIE
    explained = run("conflicts", "--explain", "--subject", "Database Systems").output
    assert "leading: Widom; Ceri" in explained
    assert "lend part of their weight" in explained


def test_the_list_worlds_err_by_a_name_too_many_as_often_as_by_one_too_few(tmp_path):
    """``generator.WORLDS["lists"]`` (no database): lists of one to four names, and wrong
    lists cut short, reordered, extended, changed or other, the first and the third of
    these about as common as each other."""
    import sys
    from collections import Counter
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks" / "truth"))
    import generator

    world = generator.generate(tmp_path, generator.Spec(seed=1, **generator.WORLDS["lists"]))
    kinds: Counter[str] = Counter()
    for item, values in world.table.items():
        true = world.truth[item].split("; ")
        assert 1 <= len(true) <= 4 and len(set(true)) == len(true)
        for value in values:
            given = value.split("; ")
            if given == true:
                continue
            if len(given) < len(true) and given == true[: len(given)]:
                kinds["cut"] += 1
            elif sorted(given) == sorted(true):
                kinds["reordered"] += 1
            elif len(given) == len(true) + 1 and given[:-1] == true:
                kinds["added"] += 1
            else:
                kinds["replaced or other"] += 1
    assert set(kinds) == {"cut", "reordered", "added", "replaced or other"}
    assert 0.5 < kinds["cut"] / kinds["added"] < 2


# a data set whose stores habitually cut lists short: stores a, b and c give the first
# author only of three books whose full list store d gives (store e the full list of two)
HABITUAL = [(store, f"Volume {n}", f"Author{n}") for store in STORES[:3] for n in range(3)] + [
    ("store-d", f"Volume {n}", f"Author{n}; Second{n}") for n in range(3)
]


@pytest.mark.parametrize("toward", ["zero", "pooled"])
def test_a_small_stores_habit_is_shrunk_toward_the_habit_of_all_stores(
    run, tmp_path, db_path, monkeypatch, toward
):
    """Store f gives one list, cut short: its own habit is 1 on 1 answer."""
    given = [
        *HABITUAL,
        ("store-e", "Volume 0", "Author0; Second0"),
        ("store-e", "Database Systems", "Widom; Ceri"),
        ("store-f", "Database Systems", "Widom"),
    ]
    import_lists(run, tmp_path, given)
    rows = lent(
        db_path, monkeypatch, LIST_IMPLICATION=1.0, LIST_HABIT=2.0, LIST_HABIT_TOWARD=toward
    )
    # parts less wholes: a, b, c +3 of 3 answers each; d -3 of 3; e -2 of 2; f +1 of 1
    pooled = {"zero": 0.0, "pooled": (9 - 3 - 2 + 1) / (9 + 3 + 2 + 1)}[toward]
    assert rows[("Widom; Ceri", "Widom")] == ((1 + 2 * pooled) / (1 + 2), 0.0)
    assert rows[("Author1; Second1", "Author1")] == ((3 + 2 * pooled) / (3 + 2), 0.0)
    # store e's and d's habits are below 0 either way: floored, they lend nothing
    assert len(rows) == 4


def test_where_lists_are_as_often_too_long_as_too_short_the_pooled_habit_changes_nothing(
    run, tmp_path, db_path, monkeypatch
):
    """Store a cuts a list short, store b adds a name to another, store c gives both
    right: one part less one whole over all of them, so the pooled habit is 0."""
    given = [
        ("store-a", "Database Systems", "Widom"),
        ("store-c", "Database Systems", "Widom; Ceri"),
        ("store-b", "Query Languages", "Abiteboul; Hull; Lee"),
        ("store-c", "Query Languages", "Abiteboul; Hull"),
    ]
    import_lists(run, tmp_path, given)
    zero = lent(db_path, monkeypatch, LIST_IMPLICATION=1.0, LIST_HABIT=2.0)
    pooled = lent(db_path, monkeypatch, LIST_HABIT_TOWARD="pooled")
    assert pooled == zero == {("Widom; Ceri", "Widom"): (1 / 3, 0.0)}


def test_a_part_moves_its_support_to_the_lists_holding_it_split_equally(
    run, tmp_path, db_path, monkeypatch
):
    """Every part counted as habitual (``LIST_HABIT = 0``): ``mcgraw`` moves all its support,
    a third to each list holding it (a reordering holds it too); ``mcgraw; viega`` all of
    its own to the longest."""
    import_lists(
        run,
        tmp_path,
        one_book(["McGraw", "McGraw; Viega", "McGraw; Viega; Hoglund", "Garcia", "Viega; McGraw"]),
    )
    on = {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 0.0, "LIST_TRANSFER": True}
    assert moved(db_path, monkeypatch, **on) == {
        ("McGraw", "McGraw; Viega"): 1 / 3,
        ("McGraw", "Viega; McGraw"): 1 / 3,
        ("McGraw", "McGraw; Viega; Hoglund"): 1 / 3,
        ("McGraw; Viega", "McGraw; Viega; Hoglund"): 1.0,
        ("Viega; McGraw", "McGraw; Viega; Hoglund"): 1.0,
    }
    # a reordering still lends, both ways; a strict part lends nothing beside its move
    assert lent(db_path, monkeypatch) == {
        ("McGraw; Viega", "Viega; McGraw"): (1.0, 0.0),
        ("Viega; McGraw", "McGraw; Viega"): (1.0, 0.0),
    }
    got = scores(db_path, monkeypatch)
    own = {value: o for value, (o, _) in got.items()}
    share = trust.COMPATIBLE_SHARE
    expected = {
        "McGraw": 0.0,
        "McGraw; Viega": own["McGraw"] / 3 + share * own["Viega; McGraw"],
        "Viega; McGraw": own["McGraw"] / 3 + share * own["McGraw; Viega"],
        "McGraw; Viega; Hoglund": own["McGraw; Viega; Hoglund"]
        + own["McGraw"] / 3
        + own["McGraw; Viega"]
        + own["Viega; McGraw"],
        "Garcia": own["Garcia"],
    }
    assert {value: score for value, (_, score) in got.items()} == pytest.approx(expected)
    probability = answer_probabilities(db_path, monkeypatch)
    assert max(probability, key=probability.get) == "McGraw; Viega; Hoglund"


def test_a_part_keeps_the_share_of_its_support_its_sources_habit_does_not_move(
    run, tmp_path, db_path, monkeypatch
):
    """The data of the habit's worked example above: ``widom`` moves 1/4 of its support."""
    import_lists(run, tmp_path, HABIT_EXAMPLE)
    on = {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 2.0, "LIST_TRANSFER": True}
    assert moved(db_path, monkeypatch, **on) == {
        ("Widom", "Widom; Ceri"): 0.25,
        ("Abiteboul", "Abiteboul; Hull; Vianu"): 0.25,
        ("Abiteboul", "Abiteboul; Hull; Vianu; Lee"): 0.25,
    }
    got = scores(db_path, monkeypatch)
    assert got["Widom"][1] == pytest.approx(0.75 * got["Widom"][0])
    assert got["Widom; Ceri"][1] == pytest.approx(got["Widom; Ceri"][0] + 0.25 * got["Widom"][0])
    assert got["Abiteboul"][1] == pytest.approx(0.5 * got["Abiteboul"][0])


def test_three_stores_cutting_every_list_short_no_longer_outvote_the_one_giving_it_in_full(
    run, tmp_path, db_path, monkeypatch
):
    """Lending gives the full list at most half of the part's support (three votes
    against one and a half); moving gives it the habitual share, and the full list
    leads on every book, by an honest margin over the part."""
    import_lists(run, tmp_path, HABITUAL)
    monkeypatch.setattr(trust, "LIST_TRANSFER", False)
    lending = json.loads(run("conflicts", "--json").output)
    assert {row["leading_value"] for row in lending} == {"Author0", "Author1", "Author2"}
    monkeypatch.setattr(trust, "LIST_TRANSFER", True)
    monkeypatch.setattr(trust, "LIST_HABIT_TOWARD", "pooled")
    rows = json.loads(run("conflicts", "--json").output)
    assert {row["leading_value"] for row in rows} == {
        "Author0; Second0",
        "Author1; Second1",
        "Author2; Second2",
    }
    for row in rows:
        full, cut = row["answers"]
        assert cut["value"] == full["value"].split(";")[0]
        assert row["leading_margin"] == pytest.approx(
            full["probability"] - cut["probability"], abs=0.002
        )
        assert row["leading_margin"] > trust.TIE


def test_split_with_the_part_a_list_cut_short_keeps_an_equal_share_of_what_it_moves(
    run, tmp_path, db_path, monkeypatch
):
    """``LIST_TRANSFER_SPLIT = "part-and-wholes"``: the part is one of the lists its
    habitual share is split among, since it may be the whole truth."""
    import_lists(run, tmp_path, one_book(["McGraw", "McGraw; Viega", "McGraw; Viega; Hoglund"]))
    on = {
        "LIST_IMPLICATION": 1.0,
        "LIST_HABIT": 0.0,
        "LIST_TRANSFER": True,
        "LIST_TRANSFER_SPLIT": "part-and-wholes",
    }
    assert moved(db_path, monkeypatch, **on) == {
        ("McGraw", "McGraw; Viega"): 1 / 3,
        ("McGraw", "McGraw; Viega; Hoglund"): 1 / 3,
        ("McGraw; Viega", "McGraw; Viega; Hoglund"): 1 / 2,
    }
    got = scores(db_path, monkeypatch)
    own = {value: o for value, (o, _) in got.items()}
    assert {value: score for value, (_, score) in got.items()} == pytest.approx(
        {
            "McGraw": own["McGraw"] / 3,
            "McGraw; Viega": own["McGraw; Viega"] / 2 + own["McGraw"] / 3,
            "McGraw; Viega; Hoglund": own["McGraw; Viega; Hoglund"]
            + own["McGraw"] / 3
            + own["McGraw; Viega"] / 2,
        }
    )


def test_left_out_a_sources_habit_on_a_part_is_counted_from_its_other_answers(
    run, tmp_path, db_path, monkeypatch
):
    """The data of the habit's worked example: a store's own part is no evidence of its habit."""
    import_lists(run, tmp_path, HABIT_EXAMPLE)
    rows = lent(
        db_path, monkeypatch, LIST_IMPLICATION=1.0, LIST_HABIT=2.0, LIST_HABIT_LEAVE_OUT=True
    )
    # store a: its other answer a part, (2 - 1) / (1 + 2); store b: (0 - 1) / (1 + 2), floored
    assert rows == {
        ("Widom; Ceri", "Widom"): ((1 / 3 + 0.0) / 2, 0.0),
        ("Abiteboul; Hull; Vianu", "Abiteboul"): (1 / 3, 0.0),
        ("Abiteboul; Hull; Vianu; Lee", "Abiteboul"): (1 / 3, 0.0),
    }
