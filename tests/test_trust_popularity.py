"""POPACCU's vote (``trust.VOTE = "popaccu"``, ``trust/popularity.py``): a wrong value is as
likely as it is popular among the item's other answers, not one of ``N_FALSE`` at random.

Hand-made items imported through the CLI, where the two votes differ: a value several
weak sources share against one strong source, and the paper's formula checked to the
digit from the accuracies the model learned.
"""

from __future__ import annotations

import math

import pytest

from provenance import trust
from provenance.db import make_engine, reading_session

HEADER = """
sources:
  - {slug: wire-a, title: Wire A, kind: website, reliability: A}
  - {slug: blog-1, title: Blog 1, kind: website, reliability: D}
  - {slug: blog-2, title: Blog 2, kind: website, reliability: D}
  - {slug: blog-3, title: Blog 3, kind: website, reliability: D}
  - {slug: blog-4, title: Blog 4, kind: website, reliability: D}
properties:
  - {name: population, type: quantity}
  - {name: founded, type: date}
entities:
  - {name: Vela, kind: place}
"""


def import_answers(run, tmp_path, answers: dict[str, str], prop: str = "population") -> None:
    """Each source (slug → value) gives its value for Vela's ``prop``."""
    (tmp_path / "header.yaml").write_text(HEADER, encoding="utf-8")
    lines = ["source,subject,property,value"]
    lines += [f"{slug},Vela,{prop},{value}" for slug, value in answers.items()]
    (tmp_path / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")


def learned(db_path, monkeypatch, **constants: object) -> tuple[dict[str, float], dict[str, float]]:
    """Each answer's probability (by its value) and each source's learned accuracy (by
    slug), with the constants of ``trust`` given."""
    from sqlalchemy import select

    from provenance.models import Claim

    for name, value in constants.items():
        monkeypatch.setattr(trust, name, value)
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        result = trust.compute_trust(session, public_only=False)
        values = dict(session.execute(select(Claim.id, Claim.value)).all())
        shown = {values[a.claim_id]: a.probability for a in trust.answer_probabilities(session)}
    engine.dispose()
    return shown, {s.slug: s.trust for s in result.sources}


SHARED = {"wire-a": "12000", "blog-1": "15000", "blog-2": "15000", "blog-3": "15000"}


def test_a_value_weak_sources_share_beats_a_strong_source_under_accu_only(
    run, tmp_path, db_path, monkeypatch
):
    # three D sources (55 %) share 15,000; one A source (90 %) says 12,000
    import_answers(run, tmp_path, SHARED)
    accu, _ = learned(db_path, monkeypatch, VOTE="accu")
    # ACCU: three agreeing on one of ten false values at random is no coincidence
    assert accu["15000"] > 0.8
    popaccu, _ = learned(db_path, monkeypatch, VOTE="popaccu")
    # POPACCU: were 12,000 true, the blogs' shared 15,000 is the only false value there
    # is, so its agreement proves little; the A source's accuracy decides
    assert popaccu["12000"] > 0.7


def ln_odds(accuracy: float, n: float = 1.0) -> float:
    """A source's vote as the rounds compute it: ``ln(n · A / (1 − A))``, floored at 0."""
    a = min(max(accuracy, trust.ACCURACY_FLOOR), trust.ACCURACY_CEILING)
    return max(0.0, math.log(n * a / (1.0 - a)))


@pytest.mark.parametrize("start", ["prior", "accu"])
def test_popaccu_probabilities_are_the_papers(run, tmp_path, db_path, monkeypatch, start):
    # three answers: 15,000 (two blogs), 13,000 (two blogs), 12,000 (the A source)
    answers = {
        "wire-a": "12000",
        "blog-1": "15000",
        "blog-2": "15000",
        "blog-3": "13000",
        "blog-4": "13000",
    }
    import_answers(run, tmp_path, answers)
    # from the grades, or from what ACCU learns first: the formula holds at the end either way
    shown, accuracy = learned(
        db_path, monkeypatch, VOTE="popaccu", POP_PSEUDO=0.0, VOTE_START=start
    )
    givers = {v: [s for s, given in answers.items() if given == v] for v in shown}
    n = trust.N_FALSE
    # every citation at the default confidence: each source counts w, in its vote and as m
    w = trust.CONFIDENCE["medium"]

    def score(v: str) -> float:
        # ACCU's vote, and for each false value v' (were v true): m(v') ln(n · Pop(v' | v))
        own = sum(w * ln_odds(accuracy[s], n) for s in givers[v])
        against = sum(w * len(givers[o]) for o in givers if o != v)
        return own + sum(
            w * len(givers[o]) * math.log(n * w * len(givers[o]) / against)
            for o in givers
            if o != v
        )

    total = sum(math.exp(score(v)) for v in shown)
    for v in shown:
        assert shown[v] == pytest.approx(math.exp(score(v)) / total, abs=1e-9)

    # which is Dong et al.'s form: Σ ln(A / (1 − A)) over v's sources, plus
    # Σ |S(v')| ln Pop(v' | v) over the false values, normalised (each at weight w)
    def paper(v: str) -> float:
        against = sum(len(givers[o]) for o in givers if o != v)
        return sum(w * ln_odds(accuracy[s]) for s in givers[v]) + sum(
            w * len(givers[o]) * math.log(len(givers[o]) / against) for o in givers if o != v
        )

    total = sum(math.exp(paper(v)) for v in shown)
    for v in shown:
        assert shown[v] == pytest.approx(math.exp(paper(v)) / total, abs=1e-9)


def test_a_compatible_answer_is_no_false_value(run, tmp_path, db_path, monkeypatch):
    # "2007" and "2007-03" can both be true; "2009" contradicts both
    answers = {"blog-1": "2007", "blog-2": "2007-03", "blog-3": "2009", "blog-4": "2009"}
    import_answers(run, tmp_path, answers, prop="founded")
    shown, accuracy = learned(db_path, monkeypatch, VOTE="popaccu")
    w, n, share = trust.CONFIDENCE["medium"], trust.N_FALSE, trust.COMPATIBLE_SHARE
    own = {
        v: sum(w * ln_odds(accuracy[s], n) for s, given in answers.items() if given == v)
        for v in shown
    }
    # were 2007 (or 2007-03) true, the one false value is 2009 (2 sources): Pop = 1; were
    # 2009 true, 2007 and 2007-03 are two false values of one source each: Pop = 1/2
    score = {
        "2007": own["2007"] + share * own["2007-03"] + 2 * w * math.log(n * 1.0),
        "2007-03": own["2007-03"] + share * own["2007"] + 2 * w * math.log(n * 1.0),
        "2009": own["2009"] + 2 * w * math.log(n * 0.5),
    }
    total = sum(math.exp(x) for x in score.values())
    for v, x in score.items():
        assert shown[v] == pytest.approx(math.exp(x) / total, abs=1e-9)


def test_a_large_pseudo_count_gives_accu_back(run, tmp_path, db_path, monkeypatch):
    import_answers(run, tmp_path, SHARED)
    accu, _ = learned(db_path, monkeypatch, VOTE="accu")
    smoothed, _ = learned(db_path, monkeypatch, VOTE="popaccu", POP_PSEUDO=1e6)
    for value, probability in accu.items():
        assert smoothed[value] == pytest.approx(probability, abs=1e-4)
    # and in between, between the two
    half, _ = learned(db_path, monkeypatch, VOTE="popaccu", POP_PSEUDO=1.0)
    popaccu, _ = learned(db_path, monkeypatch, VOTE="popaccu", POP_PSEUDO=0.0)
    assert popaccu["12000"] > half["12000"] > accu["12000"]


def test_an_item_with_one_answer_is_certain_under_either_vote(run, tmp_path, db_path, monkeypatch):
    import_answers(run, tmp_path, {"blog-1": "15000"})
    shown, _ = learned(db_path, monkeypatch, VOTE="popaccu")
    assert shown == {"15000": pytest.approx(1.0)}


def test_accu_distinct_counts_the_false_values_an_item_shows(run, tmp_path, db_path, monkeypatch):
    # three answers: ACCU's vote with n = 2 (the false values seen) in place of N_FALSE
    answers = {"wire-a": "12000", "blog-1": "15000", "blog-2": "15000", "blog-3": "13000"}
    import_answers(run, tmp_path, answers)
    shown, accuracy = learned(db_path, monkeypatch, VOTE="accu-distinct")
    w = trust.CONFIDENCE["medium"]

    def score(v: str) -> float:
        return sum(w * ln_odds(accuracy[s], 2.0) for s, given in answers.items() if given == v)

    total = sum(math.exp(score(v)) for v in shown)
    for v in shown:
        assert shown[v] == pytest.approx(math.exp(score(v)) / total, abs=1e-9)
    # fewer false values to coincide on: the two blogs' agreement weighs less than ACCU's
    accu, _ = learned(db_path, monkeypatch, VOTE="accu")
    assert shown["12000"] > accu["12000"]


def test_an_unknown_vote_is_refused(run, tmp_path, db_path, monkeypatch):
    import_answers(run, tmp_path, SHARED)
    with pytest.raises(ValueError, match="accu, popaccu, accu-distinct"):
        learned(db_path, monkeypatch, VOTE="majority")
