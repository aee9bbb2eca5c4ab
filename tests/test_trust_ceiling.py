"""The ceilings of the truth benchmarks (benchmarks/truth/ceiling.py) on worked examples.

The first ceiling answers each gold item by ACCU's vote with every source's accuracy read
off the gold of the *other* gold items it answers; these examples are small enough to
work out by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import ceiling  # noqa: E402  (benchmarks/truth/ceiling.py)
import generator  # noqa: E402

# three items where "good" gives the gold and two others agree on a wrong value, and a
# fourth of the same shape: the vote follows the pair, the accuracies read off the other
# three items follow "good"
TABLE = {(f"item {n}", "p"): {"gold": {"good"}, "wrong": {"bad-1", "bad-2"}} for n in range(1, 5)}
GOLD = {item: {"gold"} for item in TABLE}


def test_sources_right_on_the_other_items_outweigh_a_pair_wrong_on_them():
    assert set(generator.majority_vote(TABLE).values()) == {"wrong"}
    answers = ceiling.source_oracle(TABLE, GOLD, {}, pseudo=1.0)
    # "good": (3 right + 1 × 0.5) / (3 + 1) = .875, weight ln(10 × 7) = 4.2;
    # each of the pair: (0 + 0.5) / 4 = .125, weight ln(10 / 7) = 0.36
    assert answers == dict.fromkeys(TABLE, "gold")


def test_an_items_own_truth_is_never_read():
    # "lonely" answers only item 5 and gives its gold; "good" gives a wrong value there.
    # Read off the other items, "good" is right 4 of 4: (4 + 0.5) / 5 = .9, weight
    # ln(90) = 4.5; "lonely" keeps the trust it learned, .6, weight ln(15) = 2.7
    table = {**TABLE, ("item 5", "p"): {"gold": {"lonely"}, "wrong": {"good"}}}
    gold = {**GOLD, ("item 5", "p"): {"gold"}}
    answers = ceiling.source_oracle(table, gold, {"lonely": 0.6}, pseudo=1.0)
    assert answers[("item 5", "p")] == "wrong"
    # more pseudo-answers pull "good" toward its learned 0.5 until "lonely" leads
    answers = ceiling.source_oracle(table, gold, {"lonely": 0.6}, pseudo=50.0)
    assert answers[("item 5", "p")] == "gold"


def test_accuracies_are_read_per_property():
    # "good" is right on p and wrong on q: on a q item it does not carry its p record
    table = {
        **TABLE,
        ("item 6", "q"): {"gold": {"bad-1"}, "wrong": {"good"}},
        ("item 7", "q"): {"gold": {"bad-2"}, "wrong": {"good"}},
    }
    gold = {**GOLD, ("item 6", "q"): {"gold"}, ("item 7", "q"): {"gold"}}
    answers = ceiling.source_oracle(table, gold, {}, pseudo=1.0)
    # on item 6, "good" on q: (0 + 0.5) / (1 + 1) = .25 against "bad-1" on q, 0.5
    assert answers[("item 6", "q")] == "gold"
    assert answers[("item 1", "p")] == "gold"


def test_every_item_of_a_subject_falls_in_one_fold():
    items = [(f"flight {n}", attribute) for n in range(200) for attribute in ("gate", "dep")]
    folds = {i: ceiling.fold_of(i) for i in items}
    assert set(folds.values()) == set(range(ceiling.FOLDS))
    assert all(folds[(s, "gate")] == folds[(s, "dep")] for s, _ in items)


def test_sources_left_out_take_no_part_in_the_vote():
    values = {"x": {"copy-1", "copy-2", "copy-3"}, "y": {"site-1"}}
    same = {"copy-1": 0.6, "copy-2": 0.6, "copy-3": 0.6, "site-1": 0.6}
    assert ceiling.accu_vote(values, lambda value, s: same[s]) == "x"
    copies = {"copy-1", "copy-2", "copy-3"}
    assert ceiling.accu_vote(values, lambda value, s: same[s], left_out=copies) == "y"
    assert ceiling.accu_vote({"x": copies}, lambda value, s: same[s], left_out=copies) is None
    # a source below chance (1 / (N_FALSE + 1)) weighs against the value it gives
    assert (
        ceiling.accu_vote({"x": {"a"}, "y": {"b"}}, lambda v, s: {"a": 0.05, "b": 0.09}[s]) == "y"
    )
