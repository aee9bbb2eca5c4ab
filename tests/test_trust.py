"""Learned source trust (provenance.trust) and `provenance trust`.

The synthetic worlds come from benchmarks/truth/generator.py: known truth, known source
accuracies and planted copiers, imported through the real CLI.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from conftest import import_case

from provenance import trust
from provenance.db import make_engine, reading_session, session_scope

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import generator  # noqa: E402


@pytest.fixture
def session(db_path):
    """A reading session, as listings and publish use: the model writes temporary tables only."""
    engine = make_engine(str(db_path))
    with reading_session(engine) as s:
        yield s
    engine.dispose()


def _import_world(run, tmp_path, spec: generator.Spec) -> generator.World:
    world = generator.generate(tmp_path / "world", spec)
    run("init")
    run("import", tmp_path / "world" / "header.yaml")
    run("import", tmp_path / "world" / "claims.csv")
    return world


@pytest.fixture
def world(run, tmp_path):
    return _import_world(run, tmp_path, generator.Spec(sources=14, copiers=3, subjects=250))


def _spearman(a: list[float], b: list[float]) -> float:
    def ranks(xs):
        order = sorted(range(len(xs)), key=xs.__getitem__)
        r = [0] * len(xs)
        for position, index in enumerate(order):
            r[index] = position
        return r

    ra, rb, n = ranks(a), ranks(b), len(a)
    return 1 - 6 * sum((x - y) ** 2 for x, y in zip(ra, rb, strict=True)) / (n * (n * n - 1))


def test_learned_trust_ranks_sources_as_their_true_accuracy(world, session):
    result = trust.compute_trust(session, public_only=False)
    learned = {s.slug: s.trust for s in result.sources}
    assert set(learned) == set(world.accuracy)
    observed = world.observed_accuracy()
    rho = _spearman([observed[s] for s in learned], list(learned.values()))
    assert rho >= 0.9, (rho, learned)
    for s in result.sources:
        assert abs(s.trust - observed[s.slug]) < 0.1, (s.slug, s.trust, observed[s.slug])


def test_copiers_are_grouped_with_their_original_and_nobody_else(world, session):
    result = trust.compute_trust(session, public_only=False)
    originals = set(world.copies.values())
    for group in result.copy_groups:
        independents = [s for s in group if s not in world.copies]
        assert len(independents) == 1 and independents[0] in originals, group
    grouped = [
        c for c, o in world.copies.items() if any(c in g and o in g for g in result.copy_groups)
    ]
    assert len(grouped) >= 2, (result.copy_groups, world.copies)
    by_slug = {s.slug: s for s in result.sources}
    for copier in grouped:
        assert world.copies[copier] in by_slug[copier].copy_group


def test_leading_answers_beat_the_majority_vote(world, session):
    answers, _ = generator.product_answers(session)
    vote = generator.majority_vote(world.table)
    ours, theirs = (
        generator.precision(answers, world.truth),
        generator.precision(vote, world.truth),
    )
    assert ours >= theirs + 0.02, (ours, theirs)


def test_every_items_probabilities_sum_to_at_most_one_and_one_answer_leads(world, session):
    trust.compute_trust(session, public_only=False)
    answers = trust.answer_probabilities(session)
    by_item: dict = {}
    for a in answers:
        by_item.setdefault(a.item, []).append(a)
        assert 0.0 <= a.probability <= 1.0
    for item, rows in by_item.items():
        assert sum(r.probability for r in rows) <= 1.0 + 1e-9
        leaders = [r for r in rows if r.leading or r.tie]
        assert len(leaders) == 1, item
        top = max(rows, key=lambda r: r.probability)
        assert leaders[0].probability == top.probability


def test_desk_verdicts_teach_the_other_items(run, tmp_path, db_path):
    """A world where learned trust alone goes wrong (a poor source copied loosely by six,
    who agree with it and look reliable): the desk's verdicts on a tenth of the items set
    its sources' records straight, and the leading answers of the other items improve.
    Measured on seeds 1–6 of this world: better on the rest every time, by .02 to .31."""
    spec = generator.Spec(seed=3, **{**generator.WORLDS["breaks-trust"], "subjects": 150})
    world = _import_world(run, tmp_path, spec)
    items = sorted(world.truth)
    drawn = random.Random(3).sample(items, len(items) // 10)
    rest = [i for i in items if i not in set(drawn)]
    engine = make_engine(str(db_path))
    with session_scope(engine) as s:
        before, _ = generator.product_answers(s)
    ids = {}
    for subject, prop in drawn:
        listed = run("claims", "--subject", subject, "--property", prop, "--json").output
        for claim in json.loads(listed):
            if claim["value"] == world.truth[(subject, prop)]:
                ids[(subject, prop)] = claim["id"]
    for claim_id in ids.values():
        run("claim", "prefer", claim_id)
    with session_scope(engine) as s:
        after, result = generator.product_answers(s)
    engine.dispose()
    assert len(ids) >= len(drawn) * 0.8
    assert all(after[item] == world.truth[item] for item in ids)
    assert generator.precision(after, world.truth, rest) > generator.precision(
        before, world.truth, rest
    )
    assert sum(s.verdicts for s in result.sources) > 0
    assert sum(s.verdicts_upheld for s in result.sources) > 0


# ---------------------------------------------------------------- small, hand-made cases


HEADER = """
sources:
  - {slug: wire-a, title: Wire A, kind: website, reliability: A}
  - {slug: blog-f, title: Blog F, kind: website, reliability: F}
  - {slug: blog-g, title: Blog G, kind: website, reliability: F}
  - {slug: blog-h, title: Blog H, kind: website, reliability: F}
  - {slug: secret-a, title: Secret A, kind: website, reliability: A, confidential: true}
  - {slug: paper-c, title: Paper C, kind: website, reliability: C}
properties:
  - {name: casualties, type: quantity}
entities:
  - {name: Battle of X, kind: event}
  - {name: Battle of Y, kind: event}
  - {name: Battle of Z, kind: event}
"""

CLAIMS = """source,subject,property,value
wire-a,Battle of X,casualties,15
blog-f,Battle of X,casualties,40
blog-g,Battle of Y,casualties,7
blog-h,Battle of Y,casualties,9
secret-a,Battle of Z,casualties,100
paper-c,Battle of Z,casualties,120
"""


@pytest.fixture
def small(run, tmp_path):
    (tmp_path / "header.yaml").write_text(HEADER, encoding="utf-8")
    (tmp_path / "claims.csv").write_text(CLAIMS, encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")


def _leaders(session, public_only=False):
    from sqlalchemy import select

    from provenance.models import Claim, Entity

    trust.compute_trust(session, public_only=public_only)
    names = dict(
        session.execute(
            select(Claim.id, Entity.name + ": " + Claim.value).join(
                Entity, Entity.id == Claim.subject_id
            )
        ).all()
    )
    return {
        names[a.claim_id].split(":")[0]: (names[a.claim_id].split(": ")[1], a)
        for a in trust.leading_answers(trust.answer_probabilities(session)).values()
    }


def test_a_tie_only_where_the_evidence_is_equal(small, session):
    leaders = _leaders(session)
    value, answer = leaders["Battle of X"]
    assert value == "15" and not answer.tie and answer.margin > 0.1
    assert leaders["Battle of Y"][1].tie


def test_confidential_sources_take_no_part_in_the_public_computation(small, session):
    assert _leaders(session)["Battle of Z"][0] == "100"
    public = _leaders(session, public_only=True)
    assert public["Battle of Z"][0] == "120"
    slugs = {s.slug for s in trust.compute_trust(session, public_only=True).sources}
    assert "secret-a" not in slugs and "paper-c" in slugs


def test_a_preferred_claim_leads_with_certainty(small, run, session):
    claims = json.loads(run("claims", "--subject", "Battle of X", "--json").output)
    forty = next(c["id"] for c in claims if c["value"] == "40")
    run("claim", "prefer", forty)
    value, answer = _leaders(session)["Battle of X"]
    assert value == "40" and answer.known and answer.probability == 1.0


def test_deprecated_claims_and_denials_take_no_part(small, run, session):
    claims = json.loads(run("claims", "--subject", "Battle of X", "--json").output)
    fifteen = next(c["id"] for c in claims if c["value"] == "15")
    run("claim", "deprecate", fifteen, "--reason", "misread")
    value, answer = _leaders(session)["Battle of X"]
    assert value == "40" and not answer.tie
    assert trust.answer_probabilities(session, {"x": [fifteen]}) == []


def test_answers_of_a_question_are_normalised_among_themselves(small, run, session):
    trust.compute_trust(session, public_only=False)
    ids = [c["id"] for c in json.loads(run("claims", "--json").output)]
    answers = trust.answer_probabilities(session, {"all": ids[:2], "one": ids[2:3]})
    by_question: dict = {}
    for a in answers:
        by_question.setdefault(a.item, []).append(a)
    assert set(by_question) == {"all", "one"}
    assert len(by_question["all"]) == 2 and len(by_question["one"]) == 1
    for rows in by_question.values():
        assert sum(r.probability for r in rows) <= 1.0 + 1e-9


def test_trust_stays_near_the_grades_on_the_seeds(seeded_db, session):
    result = trust.compute_trust(session, public_only=False)
    assert result.sources
    for s in result.sources:
        assert abs(s.trust - trust.PRIOR[s.grade]) <= 0.12, s
    leaders = _leaders_by_question(session)
    # the B-graded interrogation study with its numbered citations against a C op-ed
    assert leaders[("Karbala PJCC attack", "kidnapped_and_killed")] == ("4", False)
    assert leaders[("Release of Qais al-Khazali", "date")] == ("2010-01", False)
    # "2007" and "March 2007" can both be true: not a tie
    assert leaders[("Capture of Qais al-Khazali", "date")][1] is False
    # two speakers quoted by one C article, nothing else to tell them apart: a real tie
    assert leaders[("3 March 2021 Ain al-Assad missile attack", "killed")][1] is True


def _leaders_by_question(session):
    from sqlalchemy import select

    from provenance.models import Claim, Entity, Property

    names = {
        r.id: (r.subject, r.property, r.value)
        for r in session.execute(
            select(
                Claim.id, Entity.name.label("subject"), Property.name.label("property"), Claim.value
            )
            .join(Entity, Entity.id == Claim.subject_id)
            .join(Property, Property.id == Claim.property_id)
        )
    }
    found = {}
    for answer in trust.leading_answers(trust.answer_probabilities(session)).values():
        subject, prop, value = names[answer.claim_id]
        found[(subject, prop)] = (value, answer.tie)
    return found


# ---------------------------------------------------------------- the command


def test_trust_command_lists_every_source_with_its_track_record(small, run):
    rows = json.loads(run("trust", "--json").output)
    assert {r["source"] for r in rows} == {
        "wire-a",
        "blog-f",
        "blog-g",
        "blog-h",
        "secret-a",
        "paper-c",
    }
    first = rows[0]
    assert set(first) >= {
        "source",
        "grade",
        "prior",
        "trust",
        "answers",
        "agreements",
        "disagreements",
        "verdicts",
        "verdicts_upheld",
        "copy_group",
        "likely_copies",
    }
    wire = next(r for r in rows if r["source"] == "wire-a")
    assert wire["grade"] == "A" and wire["agreements"] == 1 and wire["disagreements"] == 0
    blog = next(r for r in rows if r["source"] == "blog-f")
    assert blog["disagreements"] == 1
    assert len(json.loads(run("trust", "--json", "--limit", "2").output)) == 2
    table = run("trust").output
    assert "wire-a" in table and "trust" in table
    csv_out = run("trust", "--csv", "--property", "casualties").output
    assert csv_out.splitlines()[0].startswith("source,")


def test_trust_command_public_only(small, run):
    rows = json.loads(run("trust", "--json", "--public").output)
    assert "secret-a" not in {r["source"] for r in rows}


def test_trust_command_rejects_an_unknown_property(small, run, db_path):
    from conftest import file_bytes

    before = file_bytes(db_path)
    result = run("trust", "--property", "casualtie", code=2)
    assert "unknown property 'casualtie'" in result.output
    assert "casualties" in result.output
    assert "Traceback" not in result.output
    assert file_bytes(db_path) == before


# ---------------------------------------------------------------- the published copy


def test_the_published_trust_table_rests_on_public_evidence_only(small, run, tmp_path):
    import asyncio

    from provenance import public_site

    out = tmp_path / "public.db"
    run("publish", out)
    ds = public_site.datasette(out)

    async def get(path):
        return await ds.client.get(path)

    response = asyncio.run(get("/public/trust.json?_shape=array&_size=max"))
    assert response.status_code == 200, response.text[:300]
    rows = {r["source"]: r for r in response.json()}
    assert "secret-a" not in rows
    assert {"wire-a", "blog-f", "paper-c"} <= set(rows)
    assert rows["wire-a"]["grade"] == "A" and rows["wire-a"]["agreements"] == 1
    # its only disputed item was against the confidential source: in public it has none
    assert rows["paper-c"]["agreements"] == 0 and rows["paper-c"]["disagreements"] == 0
    search = asyncio.run(
        get("/public.json?sql=select+*+from+trust+where+source+like+'%25secret%25'")
    )
    assert search.status_code == 200 and search.json()["rows"] == []


def test_a_question_resolved_with_an_answer_is_known_truth(small, run, session):
    conflicts = json.loads(run("conflicts", "--status", "all", "--json").output)
    battle = next(c for c in conflicts if c["subject"] == "Battle of X")
    claims = json.loads(run("claims", "--subject", "Battle of X", "--json").output)
    forty = next(c["id"] for c in claims if c["value"] == "40")
    run("resolve", battle["id"], "--status", "resolved", "--answer", forty, "--note", "checked")
    value, answer = _leaders(session)["Battle of X"]
    assert value == "40" and answer.known and answer.probability == 1.0


def test_a_copy_and_its_original_are_one_source(small, run, tmp_path):
    (tmp_path / "more.csv").write_text(
        "source,subject,property,value\nblog-g,Battle of X,casualties,40\n", encoding="utf-8"
    )
    run("import", tmp_path / "more.csv")
    before = {r["source"] for r in json.loads(run("trust", "--json").output)}
    assert "blog-g" in before
    run("source", "copy-of", "blog-g", "blog-f")
    after = json.loads(run("trust", "--json").output)
    blog_f = [r for r in after if r["source"] == "blog-f" and r["attributed_to"] is None]
    assert len(blog_f) == 1 and "blog-g" not in {r["source"] for r in after}


def test_a_site_right_on_gates_and_wrong_on_departures_is_trusted_on_gates_only(
    run, tmp_path, monkeypatch
):
    """Per-property trust learned from agreement (``PROPERTY_LEARNING = "agreement"``, the
    alternative to the default's verdicts only): over 40 flights
    ``gatesite`` gives the gates the other sites give and departures none of them gives;
    ``late`` the reverse. On a flight only the two of them report, each leads on the
    property it is right on, though overall they are equally good."""
    monkeypatch.setattr(trust, "PROPERTY_LEARNING", "agreement")

    sources = [
        {"slug": s, "title": s, "kind": "website", "reliability": "C"}
        for s in ("gatesite", "late", "a", "b")
    ]
    properties = [{"name": "gate", "type": "text"}, {"name": "departure", "type": "text"}]

    def said(source, flight, prop, value):
        return {"source": source, "subject": flight, "property": prop, "value": value}

    claims = []
    for n in range(40):
        flight = f"flight {n}"
        for source in ("a", "b"):
            claims += [
                said(source, flight, "gate", f"G{n}"),
                said(source, flight, "departure", f"{n}:00"),
            ]
        claims += [said("gatesite", flight, "gate", f"G{n}")]
        claims += [said("gatesite", flight, "departure", f"{n}:05")]
        claims += [
            said("late", flight, "gate", f"H{n}"),
            said("late", flight, "departure", f"{n}:00"),
        ]
    claims += [
        said("gatesite", "flight X", "gate", "G1"),
        said("late", "flight X", "gate", "H1"),
        said("gatesite", "flight X", "departure", "10:05"),
        said("late", "flight X", "departure", "10:00"),
    ]
    import_case(run, tmp_path, sources, claims, properties)
    rows = {
        r["property"]: r
        for r in json.loads(run("conflicts", "--json", "--subject", "flight X").output)
    }
    assert rows["gate"]["leading_value"] == "G1", rows["gate"]
    assert rows["departure"]["leading_value"] == "10:00", rows["departure"]
    on_gates = {
        s["source"]: s["trust"]
        for s in json.loads(run("trust", "--property", "gate", "--json").output)
    }
    on_departures = {
        s["source"]: s["trust"]
        for s in json.loads(run("trust", "--property", "departure", "--json").output)
    }
    # disagreement lowers a property's trust below the overall one (shrunk toward it)
    assert on_gates["gatesite"] > on_departures["gatesite"] + 0.2, (on_gates, on_departures)
    assert on_departures["late"] > on_gates["late"] + 0.2, (on_gates, on_departures)


# ---------------------------------------------------------------- worlds the first model got wrong


def test_the_generator_plants_what_each_world_says(tmp_path):
    """The worlds of ``generator.WORLDS`` hold what their names promise (no database)."""
    shared = generator.generate(
        tmp_path / "a", generator.Spec(seed=1, **generator.WORLDS["shared-error"])
    )
    assert len(shared.shifted) == round(0.7 * 12)
    for (_subject, prop), values in shared.table.items():
        for value, sources in values.items():
            if value.startswith("shifted"):
                assert prop == "attribute_0" and sources <= shared.shifted | set(shared.copies)
    tail = generator.generate(
        tmp_path / "b", generator.Spec(seed=1, **generator.WORLDS["long-tail"])
    )
    given: dict[str, int] = {}
    for values in tail.table.values():
        for sources in values.values():
            for s in sources:
                given[s] = given.get(s, 0) + 1
    small = [n for s, n in given.items() if s.startswith("tail-")]
    large = [n for s, n in given.items() if s.startswith("site-")]
    assert len(small) > 300 and max(small) <= 6 and min(large) > 100
    numeric = generator.generate(
        tmp_path / "c", generator.Spec(seed=1, **generator.WORLDS["numeric"])
    )
    for item, values in numeric.table.items():
        true = int(numeric.truth[item])
        for value in values:
            if value.startswith("~"):
                assert value in numeric.also_right[item]
                assert abs(int(value[1:]) - true) <= 0.05 * true
            elif value != numeric.truth[item]:
                assert 0.015 * true <= abs(int(value) - true) <= 0.085 * true
    copies = generator.generate(
        tmp_path / "d", generator.Spec(seed=1, **generator.WORLDS["bad-copies"])
    )
    originals = set(copies.copies.values())
    assert len(originals) == 1
    (worst,) = originals
    assert copies.accuracy[worst] == min(
        a for s, a in copies.accuracy.items() if s not in copies.copies
    )


def _world_scores(run, tmp_path, db_path, kind: str, *, seed: int = 1, **extra):
    """Vote, trust and trust with verdicts on 10 % of the items (scored on the other 90 %)."""
    spec = generator.Spec(seed=seed, **{**generator.WORLDS[kind], **extra})
    world = _import_world(run, tmp_path, spec)
    items = sorted(world.truth)
    drawn = random.Random(seed).sample(items, len(items) // 10)
    rest = [i for i in items if i not in set(drawn)]
    engine = make_engine(str(db_path))
    with session_scope(engine) as s:
        before, result = generator.product_answers(s)
    for subject, prop in drawn:
        listed = run("claims", "--subject", subject, "--property", prop, "--json").output
        for claim in json.loads(listed):
            if claim["value"] == world.truth[(subject, prop)]:
                run("claim", "prefer", claim["id"])
    with session_scope(engine) as s:
        after, taught = generator.product_answers(s)
    engine.dispose()
    vote = generator.majority_vote(world.table)

    def right(answers, items=None):
        return generator.precision(answers, world.truth, items, world.also_right)

    return world, {
        "vote": right(vote),
        "trust": right(before),
        "vote 90": right(vote, rest),
        "verdicts 90": right(after, rest),
        "result": result,
        "taught": taught,
        "before": before,
        "after": after,
        "rest": rest,
    }


def test_a_shared_error_is_not_learned_and_verdicts_on_its_property_correct_it(
    run, tmp_path, db_path
):
    """Most independent sources give one wrong value on one property (Flight's actual
    departures): nothing but the desk can tell, so trust must not do worse than the vote
    there, and verdicts on 10 % of the items must correct the property."""
    world, s = _world_scores(run, tmp_path, db_path, "shared-error", subjects=120)
    assert s["trust"] >= s["vote"], s
    on = [i for i in s["rest"] if i[1] == "attribute_0"]
    before = generator.precision(s["before"], world.truth, on)
    after = generator.precision(s["after"], world.truth, on)
    assert after >= before + 0.15, (before, after)
    assert s["verdicts 90"] >= s["vote 90"] + 0.1, s
    # the verdicts teach on the property: the sources sharing the error lose trust there
    on_property = {
        r["source"]: r["trust"]
        for r in json.loads(run("trust", "--property", "attribute_0", "--json").output)
    }
    overall = {r["source"]: r["trust"] for r in json.loads(run("trust", "--json").output)}
    assert world.shifted
    for source in world.shifted:
        assert on_property[source] < overall[source] - 0.05, (source, on_property, overall)
    others = [x for x in world.accuracy if x.startswith("site-") and x not in world.shifted]

    def drop(sources):
        return sum(overall[x] - on_property[x] for x in sources) / len(sources)

    assert drop(world.shifted) > drop(others) + 0.1, (on_property, overall)


def test_a_long_tail_of_small_sources_does_not_pull_trust_below_the_vote(run, tmp_path, db_path):
    """Four large sources and hundreds that give a few items each (book sellers)."""
    _, s = _world_scores(run, tmp_path, db_path, "long-tail", subjects=120)
    assert s["trust"] >= s["vote"], s
    assert s["verdicts 90"] >= s["vote 90"], s


def test_near_numbers_rounded_true_values_support_the_exact_one(run, tmp_path, db_path):
    """Other years' figures 2–8 % away contradict the truth; the truth rounded to two
    figures (``~1200000``) is compatible with it and lends it support."""
    _, s = _world_scores(run, tmp_path, db_path, "numeric", subjects=80)
    assert s["trust"] >= 0.9 and s["trust"] >= s["vote"] + 0.1, s


def test_loose_copies_of_a_bad_source_do_not_carry_it(run, tmp_path, db_path):
    """Five copies of the least accurate source, copying 96 % of its values: below the
    copy rule, so they vote; trust still beats the vote."""
    _, s = _world_scores(run, tmp_path, db_path, "bad-copies", subjects=100)
    assert s["trust"] >= s["vote"] + 0.05, s


def test_the_guard_drops_learned_trust_that_loses_to_the_vote_on_the_desks_verdicts(
    run, tmp_path, db_path, monkeypatch
):
    """A world built to break learned trust: a bad source copied loosely by six (90 %,
    far below the copy rule) looks accurate. Without verdicts trust falls below the vote;
    with verdicts on 10 % the model, learned with them held out, checks itself against
    the vote on the settled items, loses, and falls back to the grades (a vote: every
    source is F) with the verdicts as known truth."""
    _, s = _world_scores(run, tmp_path, db_path, "breaks-trust", subjects=150)
    assert s["trust"] < s["vote"], s
    assert s["taught"].guard.fell_back, s["taught"].guard
    assert s["taught"].guard.vote_right > s["taught"].guard.model_right
    assert s["verdicts 90"] >= s["vote 90"] - 0.005, s
    assert not s["result"].guard.fell_back and s["result"].guard.items == 0
    # the same with the guard off: learned trust stays below the vote
    monkeypatch.setattr(trust, "GUARD_MIN_ITEMS", 0)
    engine = make_engine(str(db_path))
    with session_scope(engine) as session:
        unguarded, result = generator.product_answers(session)
    engine.dispose()
    assert not result.guard.fell_back and result.guard.items == 0
    assert unguarded != s["after"]
