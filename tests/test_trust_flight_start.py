"""benchmarks/truth/flight_start.py: learned trust's rounds started from other answers.

The probe asks whether the days where learned trust is below the vote are where the
rounds go from anywhere; it must start each source where it says and leave the model as
it was after. Checked on a small synthetic world imported through the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from provenance import trust
from provenance.db import make_engine, reading_session
from provenance.trust import rounds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import flight_start  # noqa: E402  (benchmarks/truth/flight_start.py)
import generator  # noqa: E402


def test_a_start_is_each_sources_agreement_with_the_answers_on_disputed_items():
    table = {
        ("F1", "gate"): {"A1": {"x", "y"}, "B2": {"z"}},
        ("F2", "gate"): {"C3": {"x"}, "C4": {"z"}},
        ("F3", "gate"): {"D1": {"x", "z"}},  # one value: teaches nothing
    }
    answers = {("F1", "gate"): "A1", ("F2", "gate"): "C4", ("F3", "gate"): "D1"}
    # x: 1 of 2 disputed values agreed, shrunk by 2 pseudo-answers at 0.5: (1 + 1) / 4
    assert flight_start.start_accuracies(table, answers) == {
        "x": pytest.approx(0.5),
        "y": pytest.approx(2 / 3),
        "z": pytest.approx(0.5),
    }
    assert flight_start.start_accuracies(table, answers, weight=0.0)["y"] == 1.0


def test_the_rounds_start_where_the_probe_says_and_the_model_is_restored_after(
    run, tmp_path, db_path, monkeypatch
):
    spec = generator.Spec(seed=3, **{**generator.WORLDS["hard"], "subjects": 120})
    world = generator.generate(tmp_path / "world", spec)
    run("init")
    run("import", tmp_path / "world" / "header.yaml")
    run("import", tmp_path / "world" / "claims.csv")
    # one round only, so where it starts shows in the answers
    monkeypatch.setattr(trust, "MAX_ROUNDS", 1)
    wrong = {
        item: min((v for v in values if v != world.truth[item]), default=world.truth[item])
        for item, values in world.table.items()
    }
    engine = make_engine(str(db_path))
    learn = rounds.learn

    def precision_from(answers: dict) -> float:
        with flight_start.rounds_started_from(flight_start.start_accuracies(world.table, answers)):
            assert rounds.learn is not learn
            with reading_session(engine) as session:
                got, _ = generator.product_answers(session)
        assert rounds.learn is learn
        return generator.precision(got, world.truth)

    with reading_session(engine) as session:
        got, _ = generator.product_answers(session)
    from_grades = generator.precision(got, world.truth)
    from_truth, from_wrong = precision_from(world.truth), precision_from(wrong)
    engine.dispose()
    assert from_wrong < from_grades < from_truth, (from_wrong, from_grades, from_truth)
