"""What teaches a source's accuracy (``trust.TEACH``), and near numbers (``trust.NEAR_SHARE``).

Hand-made cases imported through the CLI: a source that contradicts itself where nobody
else answers, one that agrees with a crowd on easy items and stands alone on others, and
two figures a digit apart against a third.
"""

from __future__ import annotations

import pytest
from conftest import import_figures, learned_trust

from provenance import trust
from provenance.db import make_engine, reading_session

HEADER = """
sources:
  - {slug: almanac, title: Almanac, kind: website, reliability: A}
  - {slug: wire-b, title: Wire B, kind: website, reliability: B}
  - {slug: wire-c, title: Wire C, kind: website, reliability: B}
  - {slug: wire-d, title: Wire D, kind: website, reliability: B}
properties:
  - {name: population, type: quantity}
entities:
"""


def _import(run, tmp_path, rows: list[tuple[str, str, int]]) -> None:
    import_figures(run, tmp_path, HEADER, rows)


def _trust(db_path, monkeypatch, teach: str) -> dict[str, float]:
    monkeypatch.setattr(trust, "TEACH", teach)
    return learned_trust(db_path)


@pytest.fixture
def self_contradiction(run, tmp_path):
    """The almanac gives two figures for ten cities nobody else gives, and agrees with
    the wires on ten others the wires dispute among themselves."""
    rows = []
    for n in range(10):
        rows += [("almanac", f"Alone {n}", 1000 + n), ("almanac", f"Alone {n}", 2000 + n)]
        rows += [("almanac", f"Shared {n}", 500), ("wire-b", f"Shared {n}", 500)]
        rows += [("wire-c", f"Shared {n}", 500), ("wire-d", f"Shared {n}", 700)]
    _import(run, tmp_path, rows)


def test_figures_a_source_gives_alone_teach_nothing_about_it(
    self_contradiction, db_path, monkeypatch
):
    counted = _trust(db_path, monkeypatch, "answers")
    independent = _trust(db_path, monkeypatch, "independent")
    # counted, its own two figures on a city dispute each other and pull it toward a coin
    assert counted["almanac"] < 0.8
    # only items two independent sources answer teach: it agreed with the wires there
    assert independent["almanac"] > 0.9
    assert independent["almanac"] > counted["almanac"] + 0.1


@pytest.fixture
def crowd_follower(run, tmp_path):
    """The almanac agrees with all three wires on twenty cities one wire's typo disputes,
    and stands alone against two wires that agree on ten others."""
    rows = []
    for n in range(20):
        rows += [("almanac", f"Easy {n}", 500), ("wire-b", f"Easy {n}", 500)]
        rows += [("wire-c", f"Easy {n}", 500), ("wire-d", f"Easy {n}", 501)]
    for n in range(10):
        rows += [("almanac", f"Hard {n}", 900), ("wire-b", f"Hard {n}", 800)]
        rows += [("wire-c", f"Hard {n}", 800)]
    _import(run, tmp_path, rows)


def test_agreeing_with_a_crowd_counts_once_for_the_crowd(crowd_follower, db_path, monkeypatch):
    counted = _trust(db_path, monkeypatch, "answers")
    clustered = _trust(db_path, monkeypatch, "cluster")
    # weighed by 1 / the sources giving each answer, its lone answers weigh more
    assert clustered["almanac"] < counted["almanac"] - 0.05
    assert clustered["wire-b"] > clustered["almanac"]
    # half way: a crowd of k counts (k + 1) / 2 times, between the two
    halved = _trust(db_path, monkeypatch, "cluster-half")
    assert clustered["almanac"] < halved["almanac"] < counted["almanac"]


def test_an_unknown_teaching_rule_is_refused(crowd_follower, db_path, monkeypatch):
    with pytest.raises(ValueError, match="TEACH 'crowds'"):
        _trust(db_path, monkeypatch, "crowds")


def _probabilities(db_path, monkeypatch, near: float) -> dict[str, float]:
    from sqlalchemy import select

    from provenance.models import Claim

    monkeypatch.setattr(trust, "NEAR_SHARE", near)
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        trust.compute_trust(session, public_only=False)
        values = dict(session.execute(select(Claim.id, Claim.value)).all())
        shown = {values[a.claim_id]: a for a in trust.answer_probabilities(session)}
    engine.dispose()
    return {value: a.probability for value, a in shown.items()}


def test_near_numbers_support_each_other_only_when_asked(run, tmp_path, db_path, monkeypatch):
    _import(
        run,
        tmp_path,
        [("wire-b", "Vela", 12300), ("wire-c", "Vela", 12301), ("wire-d", "Vela", 20000)],
    )
    exact = _probabilities(db_path, monkeypatch, 0.0)
    # three sources of one grade, three different figures: nothing to choose between them
    assert exact["12300"] == pytest.approx(exact["20000"])
    near = _probabilities(db_path, monkeypatch, 0.01)
    # within 1 %, "12300" and "12301" lend each other support against "20000"
    assert near["12300"] > near["20000"] + 0.1
    assert near["12301"] > near["20000"] + 0.1
