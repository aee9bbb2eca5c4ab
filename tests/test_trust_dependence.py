"""Soft copy detection (provenance.trust.dependence): Dong et al.'s copy probability.

Worked examples with the counts written out, then the model on a world built to break
learned trust: a bad source copied loosely (90 %, far below the copy rule) by six.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from pathlib import Path

import pytest

from provenance import trust
from provenance.db import make_engine, reading_session
from provenance.trust.dependence import (
    agreement_evidence,
    agreement_evidence_sql,
    copy_probability,
    copy_probability_of,
)
from provenance.trust.sql import Sql, working_connection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import generator  # noqa: E402


def test_agreeing_on_false_values_is_copying():
    # 100 shared disputed items: 90 alike, 40 of them on values the model holds false
    assert copy_probability(0.6, 0.6, 50.0, 40.0, 10.0) > 0.99


def test_independent_sources_agreeing_on_the_truth_are_not_copies():
    # two good sources: alike on 64 true values and 2 false ones, different on 34
    assert copy_probability(0.8, 0.8, 64.0, 2.0, 34.0) < 0.01


def test_few_shared_items_say_little():
    # alike on 3 true values of 3: agreeing on the truth is what independent sources do
    assert copy_probability(0.7, 0.7, 3.0, 0.0, 0.0) < 0.5


def test_nothing_shared_is_the_prior():
    assert copy_probability(0.7, 0.7, 0.0, 0.0, 0.0) == pytest.approx(trust.DEPENDENCE_PRIOR)


def test_an_agreement_on_a_likely_value_weighs_as_the_likelihood_of_agreeing_on_it():
    """Dong et al. weigh an agreement on a value true with probability p by p · P(agree
    on the truth) + (1 - p) · P(agree on a false value): two accurate sources agreeing on
    40 values the model holds .9 likely, and differing on 8, are not copies. Counted as .9
    of a true agreement and .1 of a false one (log-odds mixed instead of likelihoods), a
    tenth of a false agreement weighed as much as ten true ones and made them copies."""
    evidence = 40 * agreement_evidence(0.85, 0.85, 0.9)
    assert copy_probability_of(0.85, 0.85, evidence, 8.0) < 0.01
    counted_as_parts = copy_probability(0.85, 0.85, 40 * 0.9, 40 * 0.1, 8.0)
    assert counted_as_parts > 0.99
    # the two ends are the hard counts
    assert agreement_evidence(0.6, 0.7, 1.0) * 3 + agreement_evidence(0.6, 0.7, 0.0) * 2 == (
        pytest.approx(
            copy_odds(copy_probability(0.6, 0.7, 3.0, 2.0, 0.0)) - copy_odds(trust.DEPENDENCE_PRIOR)
        )
    )


def copy_odds(p: float) -> float:
    return math.log(p / (1.0 - p))


def test_the_databases_agreement_evidence_is_the_models(run, db_path):
    """The SQL the rounds run gives what the Python function does, on either back end."""
    run("init")
    engine = make_engine(str(db_path))
    cases = [(0.85, 0.85, 0.9), (0.3, 0.95, 0.5), (0.0, 1.0, 1.2), (0.6, 0.6, -0.1)]
    with reading_session(engine) as session:
        sql = Sql(working_connection(session))
        sql.math_functions()
        for a, b, p in cases:
            got = sql(f"SELECT {agreement_evidence_sql(str(a), str(b), str(p))}").scalar()
            assert float(got) == pytest.approx(agreement_evidence(a, b, p), rel=1e-9), (a, b, p)
    engine.dispose()


@pytest.fixture
def bad_copies(run, tmp_path):
    """Five copies of the least accurate source, copying 90 % of its values (far below the
    copy rule), beside ten independent sources, imported through the CLI."""
    spec = generator.Spec(
        seed=1, **{**generator.WORLDS["bad-copies"], "subjects": 100, "copy_rate": 0.9}
    )
    world = generator.generate(tmp_path / "world", spec)
    run("init")
    run("import", tmp_path / "world" / "header.yaml")
    run("import", tmp_path / "world" / "claims.csv")
    return world


def test_soft_copy_detection_finds_loose_copies_and_shares_their_vote(
    bad_copies, db_path, monkeypatch
):
    world = bad_copies
    monkeypatch.setattr(trust, "DEPENDENCE", "soft")
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        answers, result = generator.product_answers(session)
        # the model's temporary tables (on PostgreSQL, on the reading session's side connection)
        connection = working_connection(session)
        pairs = {
            frozenset((a, b)): p
            for a, b, p in connection.exec_driver_sql(
                """SELECT sa.slug, sb.slug, d.copy FROM trust_dependence d
                JOIN trust_sources ka ON ka.source_key = d.source_key
                JOIN trust_sources kb ON kb.source_key = d.other_key
                JOIN sources sa ON sa.id = ka.document_id
                JOIN sources sb ON sb.id = kb.document_id"""
            )
        }
        shared = connection.exec_driver_sql(
            "SELECT MIN(independence), MAX(independence) FROM trust_evidence"
        ).one()
    engine.dispose()
    grouped = {s for g in result.copy_groups for s in g}
    loose = [(c, o) for c, o in world.copies.items() if c not in grouped]
    assert loose, "the copy rule grouped every copier: nothing left for soft detection"
    # every copy the rule missed is found as a probable copy of its original
    for copier, original in loose:
        assert pairs.get(frozenset((copier, original)), 0.0) > 0.5, (copier, original)
    # the copies' votes are shared, nobody else's vote grows
    assert shared[0] < 0.5 and shared[1] == 1.0
    vote = generator.majority_vote(world.table)
    right = generator.precision(answers, world.truth, None, world.also_right)
    assert right >= generator.precision(vote, world.truth) + 0.05


def _independence(db_path) -> dict[tuple[int, int], float]:
    """Each active vote's share of itself after soft copy detection, by (claim, source)."""
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        generator.product_answers(session)
        shares = {
            (claim, source): share
            for claim, source, share in working_connection(session).exec_driver_sql(
                "SELECT claim_id, source_key, independence FROM trust_evidence WHERE active = 1"
            )
        }
    engine.dispose()
    return shares


def test_copies_discounted_by_the_copy_rate_keep_what_they_give_of_their_own(
    bad_copies, db_path, monkeypatch
):
    """``DEPENDENCE_VOTE = "copy-rate"``: a vote shared with likely copies keeps
    ``(1 + (1 - c) x) / (1 + x)`` of itself rather than ``1 / (1 + x)`` (x its copy
    probabilities summed): Dong et al.'s ``1 - c · P(copy)``, since a copier gives its
    own value on ``1 - c`` of the items. Two certain copies weigh 1.2 votes, not 1."""
    shared = _independence(db_path)
    monkeypatch.setattr(trust, "DEPENDENCE_VOTE", "copy-rate")
    discounted = _independence(db_path)
    assert shared.keys() == discounted.keys()
    kept = 1.0 - trust.DEPENDENCE_COPY_RATE
    for key, share in shared.items():
        assert discounted[key] == pytest.approx(share + kept * (1.0 - share))
    assert min(shared.values()) < 0.5  # the loose copies' votes are shared
    assert min(discounted.values()) > min(shared.values())
    monkeypatch.setattr(trust, "DEPENDENCE_VOTE", "halved")
    with pytest.raises(ValueError, match="DEPENDENCE_VOTE 'halved': share or copy-rate"):
        _independence(db_path)


def test_leaving_dependents_out_of_the_credit_stops_loose_copies_vouching_for_each_other(
    run, tmp_path, db_path, monkeypatch
):
    """The world built to break learned trust: a bad source copied loosely (90 %) by six.
    By default the copies agree with each other and are trusted above the independent
    sources; with ``LEAVE_OUT_SHARE`` a source earns credit only from the sources it does
    not move with, and the copied cluster falls below them."""
    spec = generator.Spec(seed=1, **{**generator.WORLDS["breaks-trust"], "subjects": 150})
    world = generator.generate(tmp_path / "world", spec)
    run("init")
    run("import", tmp_path / "world" / "header.yaml")
    run("import", tmp_path / "world" / "claims.csv")
    cluster = {"site-000", *world.copies}
    others = set(world.accuracy) - cluster
    engine = make_engine(str(db_path))

    def trusted() -> tuple[float, float, float]:
        with reading_session(engine) as session:
            answers, result = generator.product_answers(session)
        learned = {s.slug: s.trust for s in result.sources}
        return (
            sum(learned[s] for s in cluster) / len(cluster),
            sum(learned[s] for s in others) / len(others),
            generator.precision(answers, world.truth),
        )

    cluster_before, others_before, right_before = trusted()
    monkeypatch.setattr(trust, "LEAVE_OUT_SHARE", 0.7)
    cluster_after, others_after, right_after = trusted()
    engine.dispose()
    vote = generator.precision(generator.majority_vote(world.table), world.truth)
    assert cluster_before > others_before
    assert cluster_after < others_after
    assert right_after > right_before and right_after >= vote - 0.01, (
        right_before,
        right_after,
        vote,
    )


def test_shared_votes_move_the_answers_not_what_the_sources_learned(bad_copies, db_path):
    """Soft copy detection weighs the final answers only (``DEPENDENCE_RELEARN`` off):
    every source's learned trust is what it is without it, so a pair taken for copies
    cannot drag the accuracies it was judged by down with it."""
    assert trust.DEPENDENCE == "soft" and not trust.DEPENDENCE_RELEARN
    learned = {}
    for setting in ("off", "soft"):
        trust.DEPENDENCE = setting
        try:
            engine = make_engine(str(db_path))
            with reading_session(engine) as session:
                answers, result = generator.product_answers(session)
            engine.dispose()
        finally:
            trust.DEPENDENCE = "soft"
        learned[setting] = (answers, {s.slug: s.trust for s in result.sources})
    assert learned["soft"][1] == pytest.approx(learned["off"][1], abs=1e-12)
    changed = [i for i, v in learned["soft"][0].items() if learned["off"][0].get(i) != v]
    assert changed, "sharing the loose copies' votes changed no leading answer"
    world = bad_copies
    right = {
        k: generator.precision(a, world.truth, None, world.also_right)
        for k, (a, _) in learned.items()
    }
    assert right["soft"] > right["off"], right


def test_explain_shows_a_vote_shared_with_likely_copies_and_adds_up(bad_copies, run):
    """``conflicts --explain`` names the likely copies a source's vote is shared with, and
    the weights it shows are those the leading answer was chosen by: each question's
    probabilities are the normalised exp() of its answers' weights (and what compatible
    answers lend), the same whether the result was just learned or read back stored."""
    for _ in range(2):  # learned and stored, then read back from the stored result
        questions = json.loads(run("conflicts", "--json", "--explain").output)
        shared = 0
        for question in questions:
            scores = {}
            for answer in question["answers"]:
                pieces = answer["trust_pieces"]
                shared += sum("vote shared with likely copies" in p["text"] for p in pieces)
                if any(p["weight"] is None for p in pieces):
                    break  # the desk's verdict: probability 1
                scores[answer["claim"]] = sum(p["weight"] for p in pieces)
            else:
                top = max(scores.values())
                total = sum(math.exp(s - top) for s in scores.values())
                for answer in question["answers"]:
                    expected = math.exp(scores[answer["claim"]] - top) / total
                    assert answer["probability"] == pytest.approx(expected, abs=0.002), (
                        question["subject"],
                        answer["value"],
                    )
        assert shared > 0, "no vote was shown shared with a likely copy"
    line = next(
        p["text"]
        for q in questions
        for a in q["answers"]
        for p in a["trust_pieces"]
        if "vote shared with likely copies" in p["text"]
    )
    assert re.search(r"vote shared with likely copies [\w.-]+ \((1\.00|\.\d\d)\)", line), line


def test_trust_lists_each_sources_likely_copies(bad_copies, run):
    """``provenance trust`` names, beside each source, the likely copies soft copy detection
    found, with the probability that the two copy one another, the same from both sides,
    likeliest first; a table or CSV cell reads as ``conflicts --explain`` does."""
    world = bad_copies
    for _ in range(2):  # learned and stored, then read back from the stored result
        rows = {r["source"]: r for r in json.loads(run("trust", "--json").output)}
        grouped = {name for r in rows.values() for name in r["copy_group"]}
        loose = [(c, o) for c, o in world.copies.items() if c not in grouped]
        assert loose
        for copier, original in loose:
            copies = {c["source"]: c["probability"] for c in rows[copier]["likely_copies"]}
            assert copies.get(original, 0.0) > 0.5, (copier, rows[copier]["likely_copies"])
            back = {c["source"]: c["probability"] for c in rows[original]["likely_copies"]}
            assert back[copier] == copies[original]
        for row in rows.values():
            ps = [c["probability"] for c in row["likely_copies"]]
            assert ps == sorted(ps, reverse=True) and all(0 < p <= 1 for p in ps)
            assert all(
                c["source"] in rows and c["source"] != row["source"] for c in row["likely_copies"]
            )
    copier, original = loose[0]
    cells = {
        r["source"]: r["likely_copies"]
        for r in csv.DictReader(io.StringIO(run("trust", "--csv").output))
    }
    assert re.fullmatch(r"[\w.-]+ \((1\.00|\.\d\d)\)(; [\w.-]+ \((1\.00|\.\d\d)\))*", cells[copier])
    assert original in cells[copier]
    assert "likely_copies" in run("trust").output


def test_a_confidential_likely_copy_is_never_named_in_public(bad_copies, run, tmp_path):
    """A confidential source that copies a public one is named among the public source's
    likely copies on the desk's own listing, never in ``trust --public`` or in the
    published trust table: the public result learns from public evidence only."""
    import asyncio

    from provenance import public_site

    rows = {r["source"]: r for r in json.loads(run("trust", "--json").output)}
    grouped = {name for r in rows.values() for name in r["copy_group"]}
    copier, original = next((c, o) for c, o in bad_copies.copies.items() if c not in grouped)
    assert copier in {c["source"] for c in rows[original]["likely_copies"]}
    run("source", "edit", copier, "--confidential", "--reason", "a protected source")
    private = {r["source"]: r for r in json.loads(run("trust", "--json").output)}
    assert copier in {c["source"] for c in private[original]["likely_copies"]}
    public = json.loads(run("trust", "--json", "--public").output)
    assert public and copier not in json.dumps(public)
    assert any(r["likely_copies"] for r in public), "no likely copy left to leak through"
    out = tmp_path / "public.db"
    run("publish", out)
    ds = public_site.datasette(out)
    response = asyncio.run(ds.client.get("/public/trust.json?_shape=array&_size=max"))
    assert response.status_code == 200, response.text[:300]
    published = response.json()
    assert {r["source"] for r in published} == {r["source"] for r in public}
    assert any(r["likely_copies"] for r in published)
    assert copier not in response.text


def test_the_databases_agreement_evidence_counts_the_false_values_it_is_given(
    run, db_path, monkeypatch
):
    """``DEPENDENCE_FALSE_VALUES = "distinct"`` hands the SQL an item's count of false
    values: the same as the Python function with that ``DEPENDENCE_N_FALSE``."""
    run("init")
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        sql = Sql(working_connection(session))
        sql.math_functions()
        for n in (1.0, 3.0):
            got = sql(f"SELECT {agreement_evidence_sql('0.8', '0.7', '0.2', str(n))}").scalar()
            monkeypatch.setattr(trust, "DEPENDENCE_N_FALSE", n)
            assert float(got) == pytest.approx(agreement_evidence(0.8, 0.7, 0.2), rel=1e-9)
    engine.dispose()


def test_without_verdicts_the_property_accuracies_are_the_overall_ones(
    bad_copies, db_path, monkeypatch
):
    """``DEPENDENCE_ACCURACY = "property"``, ``VERDICT_SCOPE = "property"``,
    ``VERDICTS_TEACH = "disputed"`` and ``DEPENDENCE_FROM`` change only what verdicts
    teach: without any, every answer is the same."""

    def answers():
        engine = make_engine(str(db_path))
        with reading_session(engine) as session:
            got, _ = generator.product_answers(session)
        engine.dispose()
        return got

    shipped = answers()
    for name, value in (
        ("DEPENDENCE_ACCURACY", "property"),
        ("VERDICT_SCOPE", "property"),
        ("VERDICTS_TEACH", "disputed"),
        ("DEPENDENCE_FROM", "settled"),
    ):
        monkeypatch.setattr(trust, name, value)
        assert answers() == shipped, name
        monkeypatch.undo()


def test_votes_shared_by_property_find_the_loose_copies(bad_copies, db_path, monkeypatch):
    """``DEPENDENCE_SHARED = "property"``: a pair's probability on each property it shares
    enough items on; a loose copy copies every property, so it is found on each."""
    monkeypatch.setattr(trust, "DEPENDENCE_SHARED", "property")
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        _, result = generator.product_answers(session)
        rows = (
            working_connection(session)
            .exec_driver_sql("SELECT COUNT(*), MIN(property_id) FROM trust_dependence")
            .one()
        )
    engine.dispose()
    assert rows[0] > 0 and rows[1] > 0
    grouped = {s for g in result.copy_groups for s in g}
    loose = [(c, o) for c, o in bad_copies.copies.items() if c not in grouped]
    assert loose
    by_slug = {}
    for (document, _), others in result.dependence.items():
        for (other, _), p in others.items():
            by_slug[(document, other)] = p
    assert sum(p > 0.5 for p in by_slug.values()) >= 2 * len(loose)


def _learned_with_verdicts(world, db_path, settled_items: int = 120):
    """Trust learned with the true value preferred on the first ``settled_items`` items
    (rolled back): the result, and each pair of sources' copy probability by slug."""
    from sqlalchemy import select

    from provenance import claims as claimsmod
    from provenance.db import session_scope
    from provenance.models import Claim, Entity, Property, Source

    engine = make_engine(str(db_path))
    with session_scope(engine) as session:
        rows = session.execute(
            select(Claim, Entity.name, Property.name)
            .join(Entity, Entity.id == Claim.subject_id)
            .join(Property, Property.id == Claim.property_id)
        ).all()
        settled = 0
        for claim, subject, prop in rows:
            if world.truth.get((subject, prop)) == claim.value and settled < settled_items:
                claimsmod.set_rank(session, claim, "preferred", "test")
                settled += 1
        session.flush()
        _, result = generator.product_answers(session)
        slugs = {s.id: s.slug for s in session.scalars(select(Source))}
        session.rollback()
    engine.dispose()
    pairs = {
        frozenset((slugs[a], slugs[b])): p
        for (a, _), others in result.dependence.items()
        for (b, _), p in others.items()
    }
    return result, pairs


def _loose_copies(world, result) -> list[tuple[str, str]]:
    grouped = {s for g in result.copy_groups for s in g}
    loose = [(c, o) for c, o in world.copies.items() if c not in grouped]
    assert loose, "the copy rule grouped every copier: nothing left for soft detection"
    return loose


def test_pairs_judged_on_settled_items_still_find_the_loose_copies(
    bad_copies, db_path, monkeypatch
):
    """``DEPENDENCE_FROM = "settled"``: with the desk's verdicts on most items, a pair is
    judged on the items it settled, where the truth is known; a loose copy of the bad
    source shares its mistakes there too."""
    monkeypatch.setattr(trust, "DEPENDENCE_FROM", "settled")
    # without the guard (which, on this world, drops learned trust)
    monkeypatch.setattr(trust, "GUARD_MIN_ITEMS", 0)
    result, pairs = _learned_with_verdicts(bad_copies, db_path)
    for copier, original in _loose_copies(bad_copies, result):
        assert pairs.get(frozenset((copier, original)), 0.0) > 0.5, (copier, original)


def test_when_the_guard_drops_learned_trust_copies_judged_on_settled_items_still_share(
    bad_copies, db_path, monkeypatch
):
    """``GUARD_FALLBACK = "verdicts-settled-copies"``: once the guard has dropped learned
    trust (the loose copies looked accurate), the verdicts alone teach, and the pairs
    judged on the settled items, where the truth is known, still share their votes; no
    pair is judged on the answers of the model the guard dropped. With ``"verdicts"``
    every vote is whole."""
    monkeypatch.setattr(trust, "DEPENDENCE_FROM", "settled")
    monkeypatch.setattr(trust, "GUARD_FALLBACK", "verdicts")
    result, pairs = _learned_with_verdicts(bad_copies, db_path)
    assert result.guard.fell_back, result.guard
    assert pairs == {}
    monkeypatch.setattr(trust, "GUARD_FALLBACK", "verdicts-settled-copies")
    result, pairs = _learned_with_verdicts(bad_copies, db_path)
    assert result.guard.fell_back, result.guard
    for copier, original in _loose_copies(bad_copies, result):
        assert pairs.get(frozenset((copier, original)), 0.0) > 0.5, (copier, original)
    # with too few settled items to judge a pair on, every vote stays whole
    result, pairs = _learned_with_verdicts(bad_copies, db_path, settled_items=12)
    assert result.guard.fell_back, result.guard
    assert pairs == {}
    monkeypatch.setattr(trust, "GUARD_FALLBACK", "copies")
    with pytest.raises(ValueError, match="GUARD_FALLBACK 'copies': one of verdicts, "):
        _learned_with_verdicts(bad_copies, db_path)
