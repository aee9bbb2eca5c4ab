"""The desk's verdicts choose the vote (``trust/choice.py``, ``VOTE_CHOICES``).

Hand-made items imported through the CLI where ACCU and "accu-distinct" lead
differently: on each of eight places two D blogs (55 %) agree on one figure and an A
wire (90 %) gives another. ACCU takes the blogs' agreement for proof (one of ten false
values at random); "accu-distinct" (one false value on a two-answer item) follows the
wire. The desk settles some of the places; which figure it accepts says which vote fits.
"""

from __future__ import annotations

import json

import pytest

from provenance import trust
from provenance.db import make_engine, reading_session

PLACES = [f"Vela {n}" for n in range(1, 9)]
BLOGS, WIRE = "15000", "12000"

HEADER = """
sources:
  - {slug: wire-a, title: Wire A, kind: website, reliability: A}
  - {slug: blog-1, title: Blog 1, kind: website, reliability: D}
  - {slug: blog-2, title: Blog 2, kind: website, reliability: D}
properties:
  - {name: population, type: quantity}
entities:
"""


@pytest.fixture
def places(run, tmp_path):
    """The eight places imported; (place, figure) → claim id."""
    header = HEADER + "".join(f"  - {{name: {p}, kind: place}}\n" for p in PLACES)
    (tmp_path / "header.yaml").write_text(header, encoding="utf-8")
    lines = ["source,subject,property,value"]
    for place in PLACES:
        lines += [f"wire-a,{place},population,{WIRE}"]
        lines += [f"{blog},{place},population,{BLOGS}" for blog in ("blog-1", "blog-2")]
    (tmp_path / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")
    return {(c["subject"], c["value"]): c["id"] for c in json.loads(run("claims", "--json").stdout)}


def settle(run, places, figure: str, how_many: int) -> None:
    """The desk prefers ``figure`` on the first ``how_many`` places."""
    for place in PLACES[:how_many]:
        run("claim", "prefer", places[(place, figure)])


def learned(db_path, monkeypatch, **constants: object):
    """The result and each unsettled place's leading figure and its probability."""
    for name, value in constants.items():
        monkeypatch.setattr(trust, name, value)
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        result = trust.compute_trust(session, public_only=False)
        answers = trust.answer_probabilities(session)
        from sqlalchemy import select

        from provenance.models import Claim, Entity

        rows = session.execute(
            select(Claim.id, Entity.name, Claim.value).join(Entity, Entity.id == Claim.subject_id)
        ).all()
    engine.dispose()
    named = {claim_id: (place, value) for claim_id, place, value in rows}
    probability = {named[a.claim_id]: a.probability for a in answers}
    return result, probability


def leaders(probability: dict[tuple[str, str], float], places: list[str]) -> dict[str, str]:
    return {p: max((BLOGS, WIRE), key=lambda v: probability[(p, v)]) for p in places}


def test_without_verdicts_the_two_votes_lead_differently(places, db_path, monkeypatch):
    """The worked example: ACCU follows the two blogs, "accu-distinct" the wire."""
    result, accu = learned(db_path, monkeypatch)
    assert result.vote is None  # no verdicts: no choice, VOTE ran
    assert set(leaders(accu, PLACES).values()) == {BLOGS}
    _, distinct = learned(db_path, monkeypatch, VOTE="accu-distinct")
    assert set(leaders(distinct, PLACES).values()) == {WIRE}


def test_verdicts_for_the_wire_choose_the_other_vote(run, places, db_path, monkeypatch):
    """The desk accepts the wire's figure on three places: held out, "accu-distinct" is
    right on all three where ACCU is wrong (3 against 0: 1.7 standard deviations of a
    sign test, above VOTE_CHOICE_Z), so the model runs under it."""
    settle(run, places, WIRE, 3)
    result, probability = learned(db_path, monkeypatch, VOTE_CHOICES=("accu", "accu-distinct"))
    assert result.vote is not None and result.vote.vote == "accu-distinct", result.vote
    (compared,) = result.vote.compared
    assert (compared.vote, compared.items, compared.right, compared.default_right) == (
        "accu-distinct",
        3,
        3,
        0,
    )
    # the guard checked the chosen vote against a plain vote (the blogs: two against one)
    assert result.guard is not None and not result.guard.fell_back
    assert result.guard.model_right == 3 and result.guard.vote_right == 0
    assert set(leaders(probability, PLACES[3:]).values()) == {WIRE}
    # the same as running "accu-distinct" outright, with its verdicts
    _, outright = learned(db_path, monkeypatch, VOTE="accu-distinct", VOTE_CHOICES=())
    assert probability == pytest.approx(outright, abs=1e-9)
    # and not what ACCU alone makes of the same verdicts
    _, accu = learned(db_path, monkeypatch, VOTE="accu", VOTE_CHOICES=())
    assert probability != pytest.approx(accu, abs=1e-6)


def test_verdicts_for_the_blogs_keep_the_default_and_change_nothing(
    run, places, db_path, monkeypatch
):
    """The desk accepts the blogs' figure: ACCU is right where the votes differ, it stays,
    and every probability is what the model without a choice computes."""
    settle(run, places, BLOGS, 3)
    result, probability = learned(db_path, monkeypatch, VOTE_CHOICES=("accu", "accu-distinct"))
    assert result.vote is not None and result.vote.vote == "accu" and not result.vote.changed
    (compared,) = result.vote.compared
    assert (compared.items, compared.right, compared.default_right) == (3, 0, 3)
    _, without = learned(db_path, monkeypatch, VOTE_CHOICES=())
    assert probability == pytest.approx(without, abs=1e-9)
    assert set(leaders(probability, PLACES[3:]).values()) == {BLOGS}


def test_too_few_verdicts_choose_nothing(run, places, db_path, monkeypatch):
    """Two settled places, below GUARD_MIN_ITEMS: no held-out learning, nothing changes."""
    settle(run, places, WIRE, 2)
    result, probability = learned(db_path, monkeypatch, VOTE_CHOICES=("accu", "accu-distinct"))
    assert result.vote is None
    _, without = learned(db_path, monkeypatch, VOTE_CHOICES=())
    assert probability == pytest.approx(without, abs=1e-9)


def test_a_lead_below_the_margin_keeps_the_default(run, places, db_path, monkeypatch):
    """The same three places for the wire, but a margin of two standard deviations: three
    items against none (1.7) do not move the vote."""
    settle(run, places, WIRE, 3)
    result, probability = learned(
        db_path, monkeypatch, VOTE_CHOICES=("accu", "accu-distinct"), VOTE_CHOICE_Z=2.0
    )
    assert result.vote is not None and result.vote.vote == "accu"
    assert result.vote.compared[0].right == 3
    _, without = learned(db_path, monkeypatch, VOTE_CHOICES=())
    assert probability == pytest.approx(without, abs=1e-9)


def test_an_unknown_candidate_is_refused(run, places, db_path, monkeypatch):
    settle(run, places, WIRE, 3)
    with pytest.raises(ValueError, match="vote 'majority'"):
        learned(db_path, monkeypatch, VOTE_CHOICES=("accu", "majority"))


def test_the_desk_reads_the_choice_in_explain_and_trust(run, places, monkeypatch):
    """`conflicts --explain` says which vote the verdicts chose, learned now and reused
    (stored with the result); `trust` says it under its table. Without a choice neither
    says anything new."""
    monkeypatch.setattr(trust, "VOTE_CHOICES", ("accu", "accu-distinct"))
    before = run("conflicts", "--explain")
    assert not [x for x in before.stderr.splitlines() if x.startswith("vote:")]
    assert "vote:" not in run("trust").stderr
    settle(run, places, WIRE, 3)
    chosen = (
        "vote: accu-distinct, chosen by the desk's verdicts over accu (settled items where"
        " the votes lead differently: accu-distinct right on 3, accu on 0 of 3)"
    )
    for _ in range(2):  # learned now, then reused from the stored result
        lines = run("conflicts", "--explain").stderr.splitlines()
        assert chosen in lines, lines
    assert any(x.startswith("trust: reused") for x in lines), lines
    assert chosen in run("trust").stderr.splitlines()
    # the JSON listing of trust is unchanged in shape
    assert all("vote" not in row for row in json.loads(run("trust", "--json").stdout))


def test_0019_stores_the_choice_and_steps_down_keeping_every_row(run, places, db_path, monkeypatch):
    """Up, `conflicts` stores the vote the verdicts chose with the result; down to 0020 the
    column goes and every row stays (the stored result included); up again it is empty
    (NULL: no choice recorded) until the next refresh, which records it again."""
    from sqlalchemy import inspect, text

    from provenance import db as dbmod

    monkeypatch.setattr(trust, "VOTE_CHOICES", ("accu", "accu-distinct"))
    settle(run, places, WIRE, 3)
    run("conflicts")
    engine = make_engine(str(db_path))

    def rows() -> dict[str, int]:
        with engine.connect() as connection:
            return {
                t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                for t in ("claims", "citations", "history", "learned_trust", "learned_answers")
            }

    def stored() -> object:
        with engine.connect() as connection:
            value = connection.execute(text("SELECT vote_choice FROM learned_trust")).scalar_one()
        return json.loads(value) if isinstance(value, str) else value

    assert stored()["vote"] == "accu-distinct"
    counts = rows()
    dbmod.downgrade(engine, "0020")
    assert "vote_choice" not in {c["name"] for c in inspect(engine).get_columns("learned_trust")}
    assert rows() == counts
    dbmod.migrate(engine)
    assert rows() == counts and stored() is None
    engine.dispose()
    run("claim", "prefer", places[(PLACES[3], WIRE)])  # new evidence: learned and stored anew
    run("conflicts")
    engine = make_engine(str(db_path))
    assert stored()["vote"] == "accu-distinct"
    engine.dispose()


def test_by_folds_the_vote_with_verdicts_is_judged(run, places, db_path, monkeypatch):
    """``VOTE_CHOICE_BY = "folds"``: each vote learns with half the verdicts known and is
    judged on the other half. Three verdicts for the wire: ACCU, taught by one or two of
    them, still follows the blogs on the others, "accu-distinct" does not: it is chosen.
    Six: half of them are enough to teach ACCU the blogs are wrong; the two votes agree on
    every settled place, nothing is chosen and nothing changes."""
    monkeypatch.setattr(trust, "VOTE_CHOICE_BY", "folds")
    settle(run, places, WIRE, 3)
    result, probability = learned(db_path, monkeypatch, VOTE_CHOICES=("accu", "accu-distinct"))
    assert result.vote is not None and result.vote.vote == "accu-distinct", result.vote
    assert (result.vote.compared[0].right, result.vote.compared[0].default_right) == (3, 0)
    _, outright = learned(db_path, monkeypatch, VOTE="accu-distinct", VOTE_CHOICES=())
    assert probability == pytest.approx(outright, abs=1e-9)
    settle(run, places, WIRE, 6)
    result, probability = learned(
        db_path, monkeypatch, VOTE="accu", VOTE_CHOICES=("accu", "accu-distinct")
    )
    assert result.vote is not None and result.vote.vote == "accu"
    assert result.vote.compared[0].items == 0
    _, without = learned(db_path, monkeypatch, VOTE_CHOICES=())
    assert probability == pytest.approx(without, abs=1e-9)
    assert set(leaders(probability, PLACES[6:]).values()) == {WIRE}


def test_an_unknown_judge_is_refused(run, places, db_path, monkeypatch):
    settle(run, places, WIRE, 3)
    with pytest.raises(ValueError, match="VOTE_CHOICE_BY 'both'"):
        learned(db_path, monkeypatch, VOTE_CHOICES=("accu", "accu-distinct"), VOTE_CHOICE_BY="both")
