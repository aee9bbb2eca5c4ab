"""Dependence where the original is silent (provenance.trust.silent).

A worked example with known truth, imported through the CLI: a bad source copied
loosely by two others, beside three independent sources. The copies agree with the
leading answers where their original answers (the cluster makes the leaders there) and
only at their own accuracy where it is silent; the independent sources are as accurate
either way. Then the world built to break learned trust (a bad source copied loosely by
six), where the rule lifts the model above the vote.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine

from provenance import trust
from provenance.db import make_engine, reading_session
from provenance.trust.silent import Side, few_originals, gap_statistic, silent_groups
from provenance.trust.sql import Sql, working_connection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import generator  # noqa: E402

ITEMS = 160
ORIGINAL = "tabloid"
COPIES = ("mirror-1", "mirror-2")
INDEPENDENT = {"wire": 0.8, "registry": 0.75, "gazette": 0.7}


@pytest.fixture(autouse=True)
def silent_rule_alone(monkeypatch):
    """The silent rule on its own: soft copy detection, on by default, is a rule of its
    own (tests/test_trust_dependence.py) and would share the same votes a second way; the
    ungraded sources start from the grade's .5, not from their peers' record (which moves
    the world built to break trust by .005: docs/benchmarks.md, "Ninth pass")."""
    monkeypatch.setattr(trust, "DEPENDENCE", "off")
    monkeypatch.setattr(trust, "UNGRADED_PRIOR", "grade")


def worked_example(folder: Path) -> tuple[dict[tuple[str, str], str], dict]:
    """The example's files and its truth: (subject, property) → the true value.

    The original (right on 40 % of items) answers items 0 to 99; each copy gives its
    value on nine in ten of them and its own (right on 40 %) elsewhere, and answers items
    100 to 159 where the original is silent; the independent sources answer every item.
    A wrong value is one of two per item, so wrong sources often coincide.
    """
    rng = random.Random(7)
    truth: dict[tuple[str, str], str] = {}
    table: dict[tuple[str, str], dict[str, set[str]]] = {}
    rows = []
    for n in range(ITEMS):
        item = (f"case {n:03d}", "verdict")
        truth[item] = f"true {n}"

        def value(accuracy: float, n: int = n) -> str:
            return f"true {n}" if rng.random() < accuracy else f"wrong {n} {rng.randint(1, 2)}"

        given: dict[str, str] = {}
        if n < 100:
            given[ORIGINAL] = value(0.4)
        for copy in COPIES:
            own = value(0.4)
            given[copy] = given[ORIGINAL] if n < 100 and rng.random() < 0.9 else own
        for source, accuracy in INDEPENDENT.items():
            given[source] = value(accuracy)
        for source, answer in sorted(given.items()):
            rows.append([source, item[0], item[1], answer])
            table.setdefault(item, {}).setdefault(answer, set()).add(source)
    with open(folder / "claims.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        writer.writerows(rows)
    header = {
        "sources": [
            {"slug": s, "title": f"source {s}", "kind": "website", "reliability": "F"}
            for s in (ORIGINAL, *COPIES, *INDEPENDENT)
        ],
        "properties": [{"name": "verdict", "type": "text"}],
        "entities": [{"name": subject, "kind": "other"} for subject, _ in truth],
    }
    (folder / "header.yaml").write_text(yaml.safe_dump(header, sort_keys=False), "utf-8")
    return truth, table


def test_the_gap_statistic_worked_out():
    # marks of 1 (agreeing) and 0: 40 of 50 where the other answers (mean .8, variance
    # 8 / 49), 12 of 30 where it is silent (.4, 7.2 / 29): Welch's statistic
    # .4 / sqrt(.163265 / 50 + .248276 / 30) = .4 / .107430 = 3.723
    beside, alone = Side(50, 40.0, 40.0), Side(30, 12.0, 12.0)
    assert gap_statistic(beside, alone) == pytest.approx(3.7234, abs=1e-3)
    assert Side(80, 52.0, 52.0).less(beside) == alone
    # as accurate either way: no gap
    assert gap_statistic(Side(50, 35.0, 35.0), Side(30, 21.0, 21.0)) == pytest.approx(0.0)
    # no spread at all: nothing to tell
    assert gap_statistic(Side(50, 50.0, 50.0), Side(30, 30.0, 30.0)) == 0.0


def test_each_copy_joins_the_source_it_most_likely_copies():
    # 2 and 3 copy 1 (3 also looks like 2's copy, weaker: 2 is a copy, no original);
    # 8 copies 7, and 7 looks like 1's copy, weaker: 7 is an original, nobody's copy
    pairs = [(1, 2, 5.0), (1, 3, 4.0), (2, 3, 3.5), (7, 8, 3.3), (1, 7, 3.1)]
    assert silent_groups(pairs) == [(1, [1, 2, 3]), (7, [7, 8])]


def test_a_source_better_beside_many_unrelated_sources_is_no_copy(monkeypatch):
    # 9 is found beside 1, 2 and 3 (three vote units: it is better where many answer),
    # 8 beside 1 only, 7 beside 4 and 5, which are one copy group (one vote unit)
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        sql = Sql(connection)
        sql("CREATE TABLE trust_sources (source_key INTEGER, vote_unit INTEGER)")
        units = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 4), (7, 7), (8, 8), (9, 9)]
        sql("INSERT INTO trust_sources VALUES (:k, :u)", [{"k": k, "u": u} for k, u in units])
        found = [(1, 9, 9.0), (2, 9, 8.0), (3, 9, 7.0), (1, 8, 5.0), (4, 7, 4.0), (5, 7, 3.5)]
        assert few_originals(sql, found) == found
        monkeypatch.setattr(trust, "SILENT_MAX_ORIGINALS", 2)
        assert few_originals(sql, found) == [(1, 8, 5.0), (4, 7, 4.0), (5, 7, 3.5)]
    engine.dispose()


@pytest.fixture
def example(run, tmp_path):
    truth, table = worked_example(tmp_path)
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")
    return truth, table


def learned(db_path: Path) -> tuple[dict, set[tuple[str, str]], dict[str, float]]:
    """The leading answers, the dependent pairs (original, dependent) by slug, the trust."""
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        answers, result = generator.product_answers(session)
        connection = working_connection(session)
        slugs = dict(
            connection.exec_driver_sql(
                """SELECT k.source_key, s.slug FROM trust_sources k
                JOIN sources s ON s.id = k.document_id"""
            ).all()
        )
        found = (
            connection.exec_driver_sql("SELECT source_key, dependent_key FROM trust_silent").all()
            if trust.SILENT_DEPENDENCE != "off"
            else []
        )
        pairs = {(slugs[a], slugs[b]) for a, b in found}
    engine.dispose()
    return answers, pairs, {s.slug: s.trust for s in result.sources}


def test_a_loose_copier_is_caught_and_an_independent_source_is_not(example, db_path, monkeypatch):
    truth, table = example
    vote = generator.precision(generator.majority_vote(table), truth)
    answers, _, trusted = learned(db_path)
    shipped = generator.precision(answers, truth)
    # the copies agree with their original, and learned trust believes the cluster
    assert min(trusted[s] for s in (ORIGINAL, *COPIES)) > max(trusted[s] for s in INDEPENDENT)

    monkeypatch.setattr(trust, "SILENT_DEPENDENCE", "share-teach")
    answers, pairs, trusted = learned(db_path)
    right = generator.precision(answers, truth)
    # each copy is found to depend on its original; no independent source on anyone
    assert {(ORIGINAL, copy) for copy in COPIES} <= pairs
    assert not {p for p in pairs if p[1] in INDEPENDENT}, pairs
    # the independent sources are trusted above the cluster, and the leaders follow
    assert max(trusted[s] for s in (ORIGINAL, *COPIES)) < min(trusted[s] for s in INDEPENDENT)
    assert right > max(vote, shipped) + 0.05, (vote, shipped, right)


def test_without_the_setting_nothing_changes(example, db_path):
    assert trust.SILENT_DEPENDENCE == "off"
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        generator.product_answers(session)
        units = (
            working_connection(session)
            .exec_driver_sql(
                "SELECT COUNT(DISTINCT e.vote_unit), COUNT(*), SUM(e.teach) FROM trust_sources k"
                " JOIN trust_evidence e ON e.source_key = k.source_key"
            )
            .one()
        )
    engine.dispose()
    assert units[0] == 1 + len(COPIES) + len(INDEPENDENT)
    assert units[2] == units[1]


def test_the_world_built_to_break_learned_trust_is_above_the_vote(
    run, tmp_path, db_path, monkeypatch
):
    spec = generator.Spec(seed=1, **generator.WORLDS["breaks-trust"])
    world = generator.generate(tmp_path / "world", spec)
    run("init")
    run("import", tmp_path / "world" / "header.yaml")
    run("import", tmp_path / "world" / "claims.csv")
    vote = generator.precision(generator.majority_vote(world.table), world.truth)
    monkeypatch.setattr(trust, "SILENT_DEPENDENCE", "share-teach")
    answers, pairs, _ = learned(db_path)
    caught = {dependent for _, dependent in pairs}
    # the copies where their original answers are a cluster of seven: the item's mean
    # credit is raised by the other copies too, and one of the six may go unseen
    assert len(set(world.copies) & caught) >= len(world.copies) - 1, caught
    originals = set(world.copies.values())
    assert not caught & (set(world.accuracy) - set(world.copies) - originals), pairs
    assert generator.precision(answers, world.truth) >= vote + 0.1
