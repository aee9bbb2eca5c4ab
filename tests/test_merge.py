"""``entity merge`` through the real CLI: two spellings an import took for two entities
made one, repeated claims folded (deprecated, never deleted), and bad input refused."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import file_bytes

MERGE = {
    "sources": [
        {"slug": "wire-a", "title": "Wire A", "reliability": "B"},
        {"slug": "wire-b", "title": "Wire B", "reliability": "C"},
    ],
    "properties": [
        {"name": "killed", "type": "quantity"},
        {"name": "leader", "type": "entity", "time_varying": True},
    ],
    "claims": [
        {
            "source": "wire-a",
            "subject": "Abu Mahdi al-Muhandis",
            "property": "killed",
            "value": "5",
        },
        {
            "source": "wire-b",
            "subject": "Abu Mahdi al-Muhannis",
            "property": "killed",
            "value": "5",
        },
        {
            "source": "wire-b",
            "subject": "Abu Mahdi al-Muhannis",
            "property": "killed",
            "value": "7",
        },
        {
            "source": "wire-a",
            "subject": "PMF",
            "property": "killed",
            "value": "3",
            "attributed_to": "Abu Mahdi al-Muhannis",
        },
        {
            "source": "wire-a",
            "subject": "PMF",
            "property": "leader",
            "value": "Abu Mahdi al-Muhannis",
            "as_of": "2018",
        },
    ],
}


def test_entity_merge_folds_two_spellings_into_one_entity(run, tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(yaml.safe_dump(MERGE), encoding="utf-8")
    run("init")
    run("import", path, code=2)  # the second spelling is close to the first: refused
    run("import", path, "--new-entities")  # as a desk that missed it would have it
    suggestions = json.loads(run("alias", "suggest", "--json").output)
    (suggestion,) = [
        s
        for s in suggestions
        if {s["entity"], s["other_entity"]} == {"Abu Mahdi al-Muhandis", "Abu Mahdi al-Muhannis"}
    ]
    assert suggestion["command"].startswith("provenance entity merge")
    assert (
        json.loads(run("conflicts", "--json").output) == []
    )  # two subjects: the 5/7 disagreement is hidden
    output = run("entity", "merge", "Abu Mahdi al-Muhandis", "Abu Mahdi al-Muhannis").output
    assert "merged 'Abu Mahdi al-Muhannis' into 'Abu Mahdi al-Muhandis'" in output
    assert "deprecated" in output  # the second "5" repeated the first
    claims = json.loads(run("claims", "--subject", "Abu Mahdi al-Muhannis", "--json").output)
    assert {c["subject"] for c in claims} == {"Abu Mahdi al-Muhandis"}
    live = [c for c in claims if c["rank"] != "deprecated"]
    five = next(c for c in live if c["value"] == "5")
    assert sorted(c["source"] for c in five["citations"]) == ["wire-a", "wire-b"]
    (pmf,) = json.loads(run("claims", "--subject", "PMF", "--property", "killed", "--json").output)
    assert pmf["citations"][0]["attributed_to"] == "Abu Mahdi al-Muhandis"
    folded = [c for c in claims if c["rank"] == "deprecated"]
    assert len(folded) == 1 and "merged into claim" in folded[0]["rank_reason"]
    (leader,) = json.loads(run("claims", "--property", "leader", "--json").output)
    assert leader["value"] in ("Abu Mahdi al-Muhannis", "Abu Mahdi al-Muhandis")
    # now one subject: 5 against 7 is a conflict
    (conflict,) = json.loads(run("conflicts", "--json").output)
    assert {a["value"] for a in conflict["answers"]} == {"5", "7"}
    log = json.loads(run("log", "--json", "--limit", "200").output)
    assert any("merged into" in (h["summary"] or "") for h in log if h["table"] == "entities")
    run("check")


@pytest.mark.parametrize(
    "keep,other,named", [("Nobody", "PMF", "'Nobody'"), ("PMF", "PMF", "already one entity")]
)
def test_entity_merge_bad_input(run, tmp_path, db_path, keep, other, named):
    path = tmp_path / "merge.yaml"
    path.write_text(yaml.safe_dump(MERGE), encoding="utf-8")
    run("init")
    run("import", path, "--new-entities")
    before = file_bytes(db_path)
    result = run("entity", "merge", keep, other, code=2)
    assert named in result.output and len(result.output.strip().splitlines()) == 1
    assert file_bytes(db_path) == before
