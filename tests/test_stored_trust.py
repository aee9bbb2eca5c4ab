"""The stored trust result (provenance.stored_trust): learned once, reused by `conflicts`
and `publish` until the evidence it rests on changes, on both back ends."""

from __future__ import annotations

import json
import sqlite3

import pytest
import yaml
from conftest import import_case, killed_claim
from sqlalchemy import func, select

from provenance import listing as listingmod
from provenance import stored_trust
from provenance.db import make_engine, session_scope
from provenance.models import (
    Change,
    Citation,
    Claim,
    LearnedAnswer,
    LearnedSource,
    LearnedTrust,
    Source,
)

SOURCES = [
    {"slug": slug, "title": slug, "kind": "website", "reliability": grade}
    for slug, grade in (("s1", "F"), ("s2", "F"), ("s3", "C"))
]


CLAIMS = [
    killed_claim("s1", "Karbala attack", "10"),
    killed_claim("s2", "Karbala attack", "20"),
    killed_claim("s1", "Najaf attack", "5"),
    killed_claim("s2", "Najaf attack", "7", "high"),
    killed_claim("s3", "Najaf attack", "7"),
]


@pytest.fixture
def world(run, tmp_path):
    import_case(run, tmp_path, SOURCES, CLAIMS)


def _stored(db_path, evidence: str = "all") -> dict:
    engine = make_engine(str(db_path))
    try:
        with session_scope(engine) as session:
            row = session.get(LearnedTrust, evidence)
            return {
                "key": row.evidence_change_id if row else None,
                "at": row.computed_at if row else None,
                "answers": session.scalar(
                    select(func.count())
                    .select_from(LearnedAnswer)
                    .where(LearnedAnswer.evidence == evidence)
                ),
                "sources": session.scalar(
                    select(func.count())
                    .select_from(LearnedSource)
                    .where(LearnedSource.evidence == evidence)
                ),
                "changes": session.scalar(select(func.count()).select_from(Change)),
            }
    finally:
        engine.dispose()


def _explained(run) -> str:
    (line,) = [
        x for x in run("conflicts", "--explain").stderr.splitlines() if x.startswith("trust:")
    ]
    return line


def _claim_ids(run) -> dict[tuple[str, str], int]:
    return {(c["subject"], c["value"]): c["id"] for c in json.loads(run("claims", "--json").stdout)}


def test_a_rerun_with_nothing_changed_reuses_the_stored_result(world, run, db_path):
    first = _explained(run)
    assert first.startswith("trust: learned now from the evidence up to change"), first
    stored = _stored(db_path)
    assert stored["key"] and stored["answers"] == 4 and stored["sources"] == 3, stored
    # detection wrote the questions in that run: not evidence, the result stays fresh
    again = _explained(run)
    assert again.startswith("trust: reused, learned"), again
    assert f"up to change {stored['key']}" in again
    assert _stored(db_path) == stored  # same key, same time: nothing recomputed or written
    listing = json.loads(run("conflicts", "--json").stdout)
    assert {r["subject"]: r["leading_value"] for r in listing} == {
        "Karbala attack": "20",  # s2 agrees with s3 on Najaf: trusted more than s1
        "Najaf attack": "7",
    }
    assert _stored(db_path) == stored


def _resolve_karbala(run):
    (karbala,) = [
        r for r in json.loads(run("conflicts", "--json").stdout) if r["subject"] == "Karbala attack"
    ]
    ten = next(a["claim"] for a in karbala["answers"] if a["value"] == "10")
    return ["resolve", karbala["id"], "--status", "resolved", "--answer", ten, "--note", "register"]


CHANGES = {
    "new claims": lambda run, ids, tmp: [
        "import",
        _file(tmp, [killed_claim("s3", "Karbala attack", "20")]),
    ],
    "a verdict": lambda run, ids, tmp: _resolve_karbala(run),
    "a grade": lambda run, ids, tmp: [
        "source",
        "edit",
        "s1",
        "--reliability",
        "A",
        "--reason",
        "x",
    ],
    "confidentiality": lambda run, ids, tmp: [
        "source",
        "edit",
        "s3",
        "--confidential",
        "--reason",
        "protects a person",
    ],
    "a copy": lambda run, ids, tmp: ["source", "copy-of", "s3", "s2"],
    "a retraction": lambda run, ids, tmp: [
        "citation",
        "retract",
        _citation(run, ids[("Najaf attack", "5")]),
        "--reason",
        "misread",
    ],
    "a deprecation": lambda run, ids, tmp: [
        "claim",
        "deprecate",
        ids[("Najaf attack", "5")],
        "--reason",
        "a typo",
    ],
    "a preference": lambda run, ids, tmp: ["claim", "prefer", ids[("Najaf attack", "5")]],
}


def _file(tmp_path, claims: list[dict]):
    path = tmp_path / "more.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}), encoding="utf-8")
    return path


def _citation(run, claim_id: int) -> int:
    shown = json.loads(run("show", claim_id, "--json").stdout)
    return shown["citations"][0]["id"]


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_change_of_the_evidence_recomputes_it(world, run, db_path, tmp_path, change):
    _explained(run)
    before = _stored(db_path)
    run(*CHANGES[change](run, _claim_ids(run), tmp_path))
    line = _explained(run)
    assert line.startswith("trust: learned now"), (change, line)
    after = _stored(db_path)
    assert after["key"] > before["key"] and after["at"] > before["at"], (before, after)
    assert _explained(run).startswith("trust: reused")  # and then it stays


def test_publish_stores_the_public_result_and_never_publishes_it(world, run, db_path, tmp_path):
    run("source", "edit", "s3", "--confidential", "--reason", "protects a person")
    out = tmp_path / "public.db"
    run("publish", out)
    public = _stored(db_path, "public")
    assert public["key"] and public["sources"] == 2, public  # s3 has no say in it
    run("publish", tmp_path / "again.db")
    assert _stored(db_path, "public") == public  # nothing changed: reused
    with sqlite3.connect(out) as copy:
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
        published = {r[0] for r in copy.execute("SELECT source FROM trust")}
    assert not {t for t in tables if t.startswith("learned")}, tables
    assert published == {"s1", "s2"}
    # the desk's result (all evidence) is another row: publishing never reads or writes it
    assert _stored(db_path)["key"] is None
    run("source", "edit", "s3", "--public", "--reason", "the source agreed")
    run("publish", tmp_path / "third.db")
    assert _stored(db_path, "public")["key"] > public["key"]
    assert _stored(db_path, "public")["sources"] == 3


def test_the_listing_weighs_a_chunk_at_a_time(world, run, monkeypatch):
    """Leading answers are given per chunk of questions as the listing goes, not for all
    questions before the first row."""
    run("conflicts")
    monkeypatch.setattr(listingmod, "FIRST_ROWS_CHUNK", 1)
    monkeypatch.setattr(listingmod, "ROWS_CHUNK", 1)
    weighed: list[int] = []
    real = stored_trust.answer_scores

    def counting(session, claim_ids, *, public_only):
        weighed.append(len(set(claim_ids)))  # one question's asserted answers
        return real(session, claim_ids, public_only=public_only)

    monkeypatch.setattr(stored_trust, "answer_scores", counting)
    rows = json.loads(run("conflicts", "--json").stdout)
    assert len(rows) == 2 and len(weighed) == 2 and all(weighed), weighed


def test_the_stored_answers_match_a_computation_made_now(world, run, db_path, monkeypatch):
    """What a re-run reads from the stored result is what learning it now gives."""
    from provenance import leading

    run(*_resolve_karbala(run))
    stored_rows = json.loads(run("conflicts", "--json", "--status", "all").stdout)
    stale = stored_trust.Freshness("all", 0, None, False)
    monkeypatch.setattr(stored_trust, "freshness", lambda session, *, public_only: stale)
    engine = make_engine(str(db_path))
    try:
        with session_scope(engine) as session:
            fresh = listingmod.conflict_rows(session, status="all")
            leading.lead(session, fresh, public_only=False)  # learned now, temporary tables
    finally:
        engine.dispose()

    def shape(rows):
        return [
            (r["id"], r["leading_value"], [(a["claim"], a["probability"]) for a in r["answers"]])
            for r in rows
        ]

    assert shape(fresh) == shape(stored_rows)


def test_a_listing_reads_only_the_track_records_it_weighs_with(seeded_db, run, monkeypatch):
    """Of the stored track records (one per source, speaker and property) a listing reads
    those of the citations it weighs, not every property of every document they cite;
    what it prints is what reading them all prints."""
    run("conflicts")  # trust learned and stored
    everything = run("conflicts", "--json", "--explain", "--status", "all").stdout
    read: list[tuple[int, int, int]] = []
    real = stored_trust.records

    def counting(session, *, public_only, sources=None):
        found = real(session, public_only=public_only, sources=sources)
        read.extend(found)
        return found

    monkeypatch.setattr(stored_trust, "records", counting)
    for args in ([], ["--explain", "--status", "all"]):
        read.clear()
        out = run("conflicts", "--json", *args).stdout
        engine = make_engine(str(seeded_db))
        try:
            with session_scope(engine) as session:
                listed = {a["claim"] for r in json.loads(out) for a in r["answers"]}
                cited = set(
                    session.execute(
                        select(Source.document_id, Citation.attributed_to_id, Claim.property_id)
                        .join(Citation, Citation.source_id == Source.id)
                        .join(Claim, Claim.id == Citation.claim_id)
                        .where(Claim.id.in_(listed))
                    ).all()
                )
                stored = session.scalar(
                    select(func.count()).select_from(stored_trust.LearnedSourceProperty)
                )
        finally:
            engine.dispose()
        cited = {(d, s or 0, p) for d, s, p in cited}
        assert set(read) <= cited, set(read) - cited
        assert len(read) == len(set(read)) < stored
    assert read and out == everything
