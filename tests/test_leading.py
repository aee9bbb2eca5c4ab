"""The leading answer of a question comes from learned source trust (provenance.leading),
through the real CLI: probabilities, margins, ties, and verdicts that teach."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import import_case, killed_claim, wire_against_blogs
from sqlalchemy import select

from provenance.db import make_engine, session_scope
from provenance.models import History


def _source(slug: str, grade: str) -> dict:
    return {"slug": slug, "title": slug, "kind": "website", "reliability": grade}


def _question(rows: list[dict], subject: str) -> dict:
    (row,) = [r for r in rows if r["subject"] == subject]
    return row


def _value(row: dict, value: str) -> dict:
    (answer,) = [a for a in row["answers"] if a["value"] == value]
    return answer


def test_learned_trust_beats_the_head_count(run, tmp_path):
    """The blogs outvote the wire by support; by learned trust the wire leads."""
    wire_against_blogs(run, tmp_path)
    row = _question(json.loads(run("conflicts", "--json").output), "Karbala attack")
    wire, blogs = _value(row, "100"), _value(row, "200")
    assert blogs["support"] > wire["support"]  # the head count would pick 200
    assert row["leading_value"] == "100" and row["leading_reason"] == "most likely true"
    assert wire["probability"] > blogs["probability"]
    assert wire["probability"] + blogs["probability"] == 1.0
    assert wire["margin"] == pytest.approx(wire["probability"] - blogs["probability"], abs=0.002)
    assert blogs["margin"] is None and row["leading_margin"] == wire["margin"]
    assert row["answers"][0] is not None and row["answers"][0]["value"] == "100"
    # the desk's words: each source with its grade, learned trust and track record
    explained = json.loads(
        run("conflicts", "--json", "--explain", "--subject", "Karbala attack").output
    )
    (piece,) = _value(explained[0], "200")["trust_pieces"][:1]
    assert piece["source"] == "blog1" and piece["grade"] == "B"
    assert piece["disagreements"] == 61 and piece["agreements"] == 0 and piece["trust"] < 0.5
    table = run("conflicts", "--explain", "--subject", "Karbala attack").output
    assert (
        "blog1, grade B, trust ." in table
        and "(0 agree, 61 disagree, 0 verdicts) × medium" in table
    )
    assert "leading: 100 (most likely true; margin" in table
    lines = list(csv.DictReader(io.StringIO(run("conflicts", "--csv").output)))
    karbala = [line for line in lines if line["subject"] == "Karbala attack"]
    assert {line["value"]: line["probability"] for line in karbala} == {
        "100": str(wire["probability"]),
        "200": str(blogs["probability"]),
    }
    assert [line["margin"] for line in karbala if line["leading"] == "yes"] == [str(wire["margin"])]


def test_a_tie_only_where_the_evidence_is_equal(run, tmp_path):
    sources = [_source(f"s{n}", "B") for n in range(1, 5)]
    claims = [
        killed_claim("s1", "Karbala attack", "5"),
        killed_claim("s2", "Karbala attack", "6"),
        # other sources: a track record on Najaf would make Karbala's sources unequal
        killed_claim("s3", "Najaf attack", "5", "high"),
        killed_claim("s4", "Najaf attack", "6", "medium"),
    ]
    import_case(run, tmp_path, sources, claims)
    rows = json.loads(run("conflicts", "--json").output)
    tie = _question(rows, "Karbala attack")
    assert tie["leading_claim"] is None and tie["leading_reason"] == "tie: equal evidence"
    assert [a["probability"] for a in tie["answers"]] == [0.5, 0.5]
    assert all(a["margin"] is None for a in tie["answers"])
    najaf = _question(rows, "Najaf attack")
    assert najaf["leading_value"] == "5" and najaf["leading_margin"] > 0


def test_a_preferred_claim_leads_whatever_its_probability(run, tmp_path):
    sources = [_source("s1", "A"), _source("s2", "E")]
    claims = [
        killed_claim("s1", "Karbala attack", "5", "high"),
        killed_claim("s2", "Karbala attack", "6", "low"),
    ]
    import_case(run, tmp_path, sources, claims)
    (row,) = json.loads(run("conflicts", "--json").output)
    weak = _value(row, "6")
    assert row["leading_value"] == "5"
    run("claim", "prefer", str(weak["claim"]), "--note", "the desk checked the register")
    (row,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    # preferring it also resolves the question with it (claim prefer)
    assert row["leading_value"] == "6"
    assert row["leading_reason"] in ("preferred by the desk", "accepted by the desk")
    assert _value(row, "6")["probability"] == 1.0


def test_a_verdict_teaches_and_flips_another_question_and_says_so(run, tmp_path, db_path):
    """Two sources the desk cannot judge (grade F) disagree on two attacks. On Najaf the
    one citing with high confidence leads. The desk resolves Karbala for the other: its
    trust rises, the loser's falls, and Najaf's leading answer changes — the listing says
    so, and history records it."""
    sources = [_source("s1", "F"), _source("s2", "F")]
    claims = [
        killed_claim("s1", "Karbala attack", "10"),
        killed_claim("s2", "Karbala attack", "20"),
        killed_claim("s1", "Najaf attack", "5", "medium"),
        killed_claim("s2", "Najaf attack", "7", "high"),
    ]
    import_case(run, tmp_path, sources, claims)
    rows = json.loads(run("conflicts", "--json").output)
    karbala, najaf = _question(rows, "Karbala attack"), _question(rows, "Najaf attack")
    assert najaf["leading_value"] == "7" and najaf["leading_was"] is None
    seven = _value(najaf, "7")["claim"]
    accepted = _value(karbala, "10")["claim"]
    run(
        "resolve",
        str(karbala["id"]),
        "--status",
        "resolved",
        "--answer",
        str(accepted),
        "--note",
        "the hospital register says 10",
    )
    table = run("conflicts").output
    assert "leading: 5 (most likely true" in table, table
    assert f"leading answer changed: was 7 (claim {seven})" in table, table
    # said once: the next run finds the same leader
    again = _question(json.loads(run("conflicts", "--json").output), "Najaf attack")
    assert again["leading_value"] == "5" and again["leading_was"] is None
    engine = make_engine(str(db_path))
    with session_scope(engine) as session:
        changes = session.scalars(
            select(History).where(History.table_name == "conflicts", History.row_id == najaf["id"])
        ).all()
        summaries = [h.summary for h in changes if h.changes and "leading_claim_id" in h.changes]
    engine.dispose()
    assert len(summaries) == 1, summaries
    assert summaries[0].startswith(f"leading answer changed: was 7 (claim {seven}), now 5")


def test_overturned_lists_where_learned_trust_leads_against_the_head_count(run, tmp_path):
    """``conflicts --overturned``: only the questions whose leader has less support than an
    answer it contradicts, the desk's first verdicts; a verdict takes a question off."""
    wire_against_blogs(run, tmp_path)
    every = json.loads(run("conflicts", "--json").output)
    assert len(every) == 61  # the 60 attacks, where the references' answer leads, and Karbala
    assert [r["subject"] for r in every if r["against_head_count"]] == ["Karbala attack"]
    (row,) = json.loads(run("conflicts", "--overturned", "--json").output)
    assert row["subject"] == "Karbala attack" and row["leading_value"] == "100"
    lines = list(csv.DictReader(io.StringIO(run("conflicts", "--overturned", "--csv").output)))
    assert {line["against_head_count"] for line in lines} == {"yes"} and len(lines) == 2
    table = run("conflicts", "--overturned").output
    assert "Karbala attack" in table and "attack 0 ·" not in table
    assert "against the head count: an answer it contradicts has more support" in table
    # the whole listing says it of that question only, and points to --overturned
    listing = run("conflicts")
    assert listing.stdout.count("against the head count") == 1
    assert (
        "(1 of these leads against the head count: `provenance conflicts --overturned` lists"
        in listing.stderr
    )
    assert "--overturned" not in run("conflicts", "--overturned").stderr
    assert table.rstrip().endswith("1 conflict(s)")
    assert run("conflicts", "--overturned", "--fail", code=1).exit_code == 1
    blogs = _value(row, "200")["claim"]
    run("resolve", str(row["id"]), "--status", "resolved", "--answer", str(blogs), "--note", "x")
    # settled by the desk: the desk's answer leads, nothing is overturned any more
    assert json.loads(run("conflicts", "--overturned", "--json").output) == []
    assert json.loads(run("conflicts", "--overturned", "--status", "all", "--json").output) == []
    assert "--overturned" not in run("conflicts").stderr
    assert run("conflicts", "--overturned", "--fail").output.rstrip().endswith("no conflicts")
