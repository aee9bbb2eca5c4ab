"""Correcting one citation (`citation retract`, `citation edit`) and the other corrections
(`entity rename`, `alias remove`, `source edit`): kept in history with actor and reason,
nothing deleted, and a retracted citation is no evidence anywhere."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import CTC, file_bytes


@pytest.fixture
def desk(run, db_path):
    """Two wires disagree on a death toll: one conflict, one citation each."""
    run("init")
    run("source", "add", "wire-a", "--reliability", "B", "--title", "Wire A")
    run("source", "add", "wire-b", "--reliability", "C", "--title", "Wire B")
    run("property", "add", "killed", "--type", "quantity")
    run("add", "--source", "wire-a", "--subject", "Karbala raid", "--property", "killed",
        "--value", "5", "--note", "desk call")  # fmt: skip
    run("add", "--source", "wire-b", "--subject", "Karbala raid", "--property", "killed",
        "--value", "6", "--confidence", "high")  # fmt: skip
    claims = json.loads(run("claims", "--json").output)
    return {c["value"]: (c["id"], c["citations"][0]["id"]) for c in claims}


def _conflict_ids(run):
    return [c["id"] for c in json.loads(run("conflicts", "--json").output)]


def _history(run, table, row_id):
    rows = json.loads(run("log", "--json").output)
    return [r for r in rows if r["table"] == table and r["row_id"] == row_id]


# ---------------------------------------------------------------- retract


def test_a_retracted_citation_is_kept_struck_and_its_conflict_goes(run, desk):
    assert _conflict_ids(run) == [1]
    claim, citation = desk["6"]
    out = run("citation", "retract", citation, "--reason", "the wire corrected its figure").output
    assert f"citation {citation} of claim {claim} retracted" in out
    assert "1 no longer detected" in out
    assert _conflict_ids(run) == []

    shown = run("show", claim).output
    assert f"citation {citation}: asserts" in shown
    assert "RETRACTED by tester on" in shown and "the wire corrected its figure" in shown
    chain = json.loads(run("show", claim, "--json").output)
    assert chain["citations"][0]["retracted"].endswith(": the wire corrected its figure")
    (row,) = _history(run, "citations", citation)[:1]
    assert row["actor"] == "tester" and row["changes"]["reason"] == "the wire corrected its figure"
    # the claim's other citations, and other claims, are untouched
    other_claim, _ = desk["5"]
    assert (
        json.loads(run("show", other_claim, "--json").output)["citations"][0]["retracted"] is None
    )


def test_a_retracted_citation_counts_nowhere(run, desk, tmp_path):
    _, citation = desk["6"]
    run("citation", "retract", citation, "--reason", "misread")
    # trust: the retracted evidence does not vote
    trusted = {t["source"] for t in json.loads(run("trust", "--json").output)}
    assert "wire-b" not in trusted and "wire-a" in trusted
    # exports: no format carries it
    out = tmp_path / "desk.jsonl"
    run("export", "--format", "jsonl", "-o", out)
    records = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    assert [r["source"] for r in records] == ["wire-a"]
    prov = tmp_path / "desk.provn"
    run("export", "--format", "prov-n", "-o", prov)
    assert "wire-b" not in prov.read_text()
    # the published copy: neither the citation nor the claim left without one
    site = tmp_path / "site.db"
    run("publish", site)
    connection = sqlite3.connect(site)
    assert [r[0] for r in connection.execute("SELECT id FROM citations")] == [desk["5"][1]]
    assert [r[0] for r in connection.execute("SELECT id FROM claims")] == [desk["5"][0]]
    assert connection.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    connection.close()


def test_a_denial_once_retracted_no_longer_makes_a_stance_conflict(run, desk):
    run("add", "--source", "wire-b", "--subject", "Karbala raid", "--property", "killed",
        "--value", "5", "--denies")  # fmt: skip
    claim, _ = desk["5"]
    denial = [
        c["id"] for c in json.loads(run("show", claim, "--json").output)["citations"]
        if c["stance"] == "denies"
    ]  # fmt: skip

    def stances():
        return {
            (a["claim"], a["stance"])
            for c in json.loads(run("conflicts", "--json").output)
            for a in c["answers"]
        }

    assert (claim, "denies") in stances()
    run("citation", "retract", denial[0], "--reason", "the denial was about another raid")
    assert (claim, "denies") not in stances()


# ---------------------------------------------------------------- edit


def test_edit_changes_the_given_fields_keeps_the_old_in_history(run, desk):
    claim, citation = desk["5"]
    out = run("citation", "edit", citation, "--confidence", "high", "--note", "",
              "--reason", "two witnesses").output  # fmt: skip
    assert "confidence: 'medium' → 'high'" in out and "note: 'desk call' → None" in out
    (cited,) = json.loads(run("show", claim, "--json").output)["citations"]
    assert (cited["confidence"], cited["note"]) == ("high", None)
    (row,) = [r for r in _history(run, "citations", citation) if r["action"] == "update"]
    assert row["changes"]["confidence"] == ["medium", "high"]
    assert row["changes"]["reason"] == "two witnesses"


def test_edit_moves_a_citation_to_another_source_and_re_detects(run, desk):
    claim, citation = desk["6"]
    assert _conflict_ids(run) == [1]
    out = run("citation", "edit", citation, "--source", "wire-a",
              "--reason", "filed under the wrong wire").output  # fmt: skip
    assert "source: 'wire-b' → 'wire-a'" in out
    assert "1 no longer detected" in out  # one document cannot conflict with itself
    (cited,) = json.loads(run("show", claim, "--json").output)["citations"]
    assert cited["source"] == "wire-a"


def test_edit_re_anchors_a_quote(run, built_db):
    run("property", "add", "killed", "--type", "quantity")
    run("add", "--source", CTC, "--subject", "Karbala PJCC attack", "--property", "killed",
        "--value", "5", "--quote", "executing them in Babil later that evening")  # fmt: skip
    (claim,) = json.loads(run("claims", "--json").output)
    citation = claim["citations"][0]
    run("citation", "edit", citation["id"], "--quote", "taking four other U.S. soldiers hostage",
        "--reason", "the hostage-taking is the claim")  # fmt: skip
    (moved,) = json.loads(run("show", claim["id"], "--json").output)["citations"]
    assert moved["quote"] == "taking four other U.S. soldiers hostage"
    assert moved["quote_start"] < citation["quote_start"]
    run("check")


@pytest.mark.parametrize(
    "args,message",
    [
        (["citation", "retract", "999", "--reason", "x"], "unknown citation 999"),
        (["citation", "retract", "abc", "--reason", "x"], "citation 'abc': expected a citation id"),
        (["citation", "retract", "{c6}", "--reason", "  "], "needs --reason"),
        (["citation", "retract", "{c6}"], "Missing option '--reason'"),
        (["citation", "edit", "{c6}", "--reason", "x"], "nothing to edit"),
        (["citation", "edit", "{c6}", "--source", "nowhere", "--reason", "x"], "nowhere"),
        (["citation", "edit", "{c6}", "--stance", "maybe", "--reason", "x"], "'maybe'"),
        (["citation", "edit", "{c6}", "--confidence", "low", "--reason", ""], "needs --reason"),
        (["citation", "edit", "{c6}", "--confidence", "high", "--reason", "x"], "already reads"),
        (["entity", "rename", "Nobody", "New", "--reason", "x"], "unknown entity 'Nobody'"),
        (["entity", "rename", "Karbala raid", "Karbala raid", "--reason", "x"], "already called"),
        (["alias", "remove", "Karbala raid", "Basra raid", "--reason", "x"], "not an alias"),
        (["alias", "remove", "Karbala raid", "Karbala raid", "--reason", "x"], "rename it first"),
        (["source", "edit", "wire-z", "--title", "T", "--reason", "x"], "wire-z"),
        (["source", "edit", "wire-a", "--published", "2018-13", "--reason", "x"], "'2018-13'"),
        (["source", "edit", "wire-a", "--reliability", "G", "--reason", "x"], "'G'"),
        (["source", "edit", "wire-a", "--reason", "x"], "nothing to change"),
    ],
)
def test_bad_corrections_are_one_line_exit_2_and_write_nothing(run, desk, db_path, args, message):
    args = [a.replace("{c6}", str(desk["6"][1])) for a in args]
    before = file_bytes(db_path)
    result = run(*args, code=2)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert file_bytes(db_path) == before


def test_a_retracted_citation_cannot_be_edited_or_retracted_again(run, desk, db_path):
    _, citation = desk["6"]
    run("citation", "retract", citation, "--reason", "misread")
    before = file_bytes(db_path)
    for args in (["retract", citation, "--reason", "again"],
                 ["edit", citation, "--confidence", "low", "--reason", "x"]):  # fmt: skip
        result = run("citation", *args, code=2)
        assert "was retracted by tester (misread)" in result.stderr, result.stderr
    assert file_bytes(db_path) == before


# ---------------------------------------------------------------- entities and sources


def test_rename_keeps_the_old_name_as_an_alias(run, desk):
    out = run("entity", "rename", "Karbala raid", "Karbala PJCC attack",
              "--reason", "the name the reports use").output  # fmt: skip
    assert "'Karbala raid' stays an alias" in out
    entities = json.loads(run("entities", "--json").output)
    (entity,) = [e for e in entities if e["name"] == "Karbala PJCC attack"]
    assert "Karbala raid" in entity["aliases"]
    # the old name still finds the claims
    assert len(json.loads(run("claims", "--subject", "Karbala raid", "--json").output)) == 2
    (row,) = _history(run, "entities", entity["id"])[:1]
    assert row["changes"]["name"] == ["Karbala raid", "Karbala PJCC attack"]


def test_alias_remove_keeps_the_name_in_history(run, desk):
    run("alias", "add", "Karbala raid", "Basra raid")
    out = run("alias", "remove", "Karbala raid", "basra RAID", "--reason", "another raid").output
    assert "'Basra raid' no longer names 'Karbala raid'" in out
    run("claims", "--subject", "Basra raid", code=2)
    (row,) = [r for r in json.loads(run("log", "--json").output) if r["action"] == "delete"]
    assert row["changes"]["alias"] == "Basra raid" and row["changes"]["reason"] == "another raid"
    assert row["actor"] == "tester"


def test_source_edit_changes_metadata_with_history(run, desk):
    out = run("source", "edit", "wire-b", "--reliability", "A", "--authors", "Ann Lee; Bo Chen",
              "--published", "2021-03~", "--reason", "the agency's own desk").output  # fmt: skip
    assert "reliability: 'C' → 'A'" in out
    (source,) = [s for s in json.loads(run("sources", "--json").output) if s["slug"] == "wire-b"]
    assert source["reliability"] == "A" and source["published"] == "2021-03~"
    (row,) = [r for r in _history(run, "sources", source["id"]) if r["action"] == "update"]
    assert row["changes"]["authors"] == [[], ["Ann Lee", "Bo Chen"]]


def test_making_a_source_confidential_withdraws_it_from_the_next_publish(run, desk, tmp_path):
    run("source", "edit", "wire-b", "--confidential", "--reason", "the wire is our informant")
    site = tmp_path / "site.db"
    run("publish", site)
    connection = sqlite3.connect(site)
    assert [r[0] for r in connection.execute("SELECT slug FROM sources")] == ["wire-a"]
    connection.close()
    run("source", "edit", "wire-b", "--public", "--reason", "cleared by the informant")
    run("publish", site)
    connection = sqlite3.connect(site)
    assert sorted(r[0] for r in connection.execute("SELECT slug FROM sources")) == [
        "wire-a",
        "wire-b",
    ]
    connection.close()


def test_a_retracted_citation_leaves_its_claims_support(run, desk):
    run("source", "add", "wire-c", "--reliability", "A", "--title", "Wire C")
    run("add", "--source", "wire-c", "--subject", "Karbala raid", "--property", "killed",
        "--value", "6", "--confidence", "high")  # fmt: skip
    claim, _ = desk["6"]

    def support():
        (conflict,) = json.loads(run("conflicts", "--json").output)
        (answer,) = [a for a in conflict["answers"] if a["claim"] == claim]
        return answer["support"], [c["source"] for c in answer["citations"]]

    total, cited = support()
    assert sorted(cited) == ["wire-b", "wire-c"]
    wire_c = json.loads(run("show", claim, "--json").output)["citations"][1]
    assert wire_c["source"] == "wire-c"
    run("citation", "retract", wire_c["id"], "--reason", "wire C copied wire B")
    less, cited = support()
    assert cited == ["wire-b"] and less < total


def test_a_retracted_citation_leaves_claimreview(run, desk):
    assert _conflict_ids(run) == [1]
    run("resolve", "1", "--status", "confirmed", "--note", "the wires disagree")

    def reviews():
        return json.loads(
            run(
                "export",
                "--format",
                "claimreview",
                "--organisation",
                "Desk",
                "--review-url",
                "https://desk.example/checks/{id}",
            ).stdout
        )

    assert [r["claimReviewed"] for r in reviews()] == ["Karbala raid — killed: 5"]
    run("citation", "retract", desk["6"][1], "--reason", "the wire withdrew its figure")
    # one side left with no evidence: nothing to review
    assert reviews() == []


def test_re_importing_a_retracted_citations_file_does_not_revive_it(run, desk, tmp_path):
    """The retraction stands: the file's record is the same citation, already recorded
    (and retracted), so nothing is added and the conflict stays gone."""
    _, citation = desk["6"]
    path = tmp_path / "wire-b.yaml"
    path.write_text(
        "claims:\n- {source: wire-b, subject: Karbala raid, property: killed, value: 6,"
        " confidence: high}\n",
        encoding="utf-8",
    )
    assert "0 new claim(s)" in run("import", path).output
    run("citation", "retract", citation, "--reason", "the wire corrected its figure")
    run("import", path)
    claims = json.loads(run("claims", "--json").output)
    cited = [c for claim in claims if claim["value"] == "6" for c in claim["citations"]]
    assert [c["id"] for c in cited] == [citation], cited
    assert cited[0]["retracted"].endswith(": the wire corrected its figure")
    assert _conflict_ids(run) == []
