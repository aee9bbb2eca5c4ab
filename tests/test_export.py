"""`provenance export`: the import formats round-trip, ClaimReview, W3C PROV, confidentiality.

The claims are tests/data/interchange_claims.yaml on the seed documents (every
datatype, qualifiers, as_of and validity, a denial, text-less sources, a confidential
source), with a preferred and a deprecated claim and two verdicts; the 10k round trip
uses benchmarks/synthetic.py.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEEDS, invoke
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from provenance.models import Alias, Citation, Claim, Conflict, Entity, History, Property, Source
from provenance.records import RECORD_KEYS

FIXTURE = ROOT / "tests" / "data" / "interchange_claims.yaml"
CANARIES = ("CANARY", "informant-canary", "Canary Speaker Zeta")
ORGANISATION = "Example Fact Desk"
REVIEW_URL = "https://factcheck.example.org/checks/{id}"


def _seeds_without_claims(tmp: Path) -> Path:
    target = tmp / "seeds"
    shutil.copytree(SEEDS, target)
    (target / "claims.yaml").unlink(missing_ok=True)
    return target


def _make_empty(db, templates) -> None:
    """The seed documents ingested, no claims: where an export is imported back."""
    folder = Path(tempfile.mkdtemp(dir=templates.folder))
    invoke("build", "--seeds", _seeds_without_claims(folder), db=db)


def _make_desk(db, templates) -> None:
    """The interchange fixture imported, with a rank of each kind and two verdicts."""
    templates.clone("export empty", _make_empty, db)
    _desk_claims(db)


def _desk_claims(db) -> None:
    """The fixture's claims on a database holding the seed documents, with ranks and verdicts."""
    invoke("import", FIXTURE, db=db)
    killed_5 = _claim_id(db, "killed", "5")
    invoke(
        "claim",
        "prefer",
        killed_5,
        "--note",
        "five: the DoD briefing and the interrogation reports agree",
        db=db,
    )
    invoke(
        "claim",
        "deprecate",
        _claim_id(db, "born", "1975"),
        "--reason",
        "misread: the entry gives 1974",
        db=db,
    )
    # the quantity question is settled by the preference: listed under --status all
    rows = json.loads(invoke("conflicts", "--status", "all", "--json", db=db).stdout)
    by_kind = {r["kind"]: r["id"] for r in rows if r["active"]}
    assert set(by_kind) == {"quantity", "stance"}, rows
    invoke(
        "resolve",
        by_kind["quantity"],
        "--status",
        "resolved",
        "--answer",
        killed_5,
        "--note",
        "five killed, per the DoD briefing",
        db=db,
    )
    invoke(
        "resolve",
        by_kind["stance"],
        "--status",
        "confirmed",
        "--note",
        "only a reader tip asserts it",
        db=db,
    )


@pytest.fixture
def desk_db(db_templates, db_path):
    db_templates.clone("export desk", _make_desk, db_path)
    return db_path


@pytest.fixture
def empty_db(db_templates, new_db):
    target = new_db("target")
    db_templates.clone("export empty", _make_empty, target)
    return target


def _claim_id(db: Path, prop: str, value: str) -> int:
    with _session(db) as session:
        return session.scalar(
            select(Claim.id).join(Property).where(Property.name == prop, Claim.value == value)
        )


@contextmanager
def _session(db) -> Iterator[Session]:
    """A session on a SQLite file or, where the suite runs on PostgreSQL, a URL."""
    engine = create_engine(db if "://" in str(db) else f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


# ---------------------------------------------------------------- comparing databases


def snapshot(db: Path, *, public_only: bool = False) -> dict:
    """Everything the round trip must carry, keyed by names, not ids.

    ``public_only`` gives what an export without --include-confidential carries:
    no confidential source, citation, claim left without citations, or entity that
    only confidential material names.
    """
    with _session(db) as session:
        hidden = (
            {s.id for s in session.scalars(select(Source).where(Source.confidential.is_(True)))}
            if public_only
            else set()
        )
        claims = []
        named: set[int] = set()
        for claim in session.scalars(select(Claim)):
            citations = [
                (
                    c.source.slug,
                    c.footnote.number if c.footnote else None,
                    c.quote,
                    c.quote_start,
                    c.quote_end,
                    c.attributed_to.name if c.attributed_to else None,
                    c.stance,
                    c.confidence,
                    c.note,
                )
                for c in claim.citations
                if c.source_id not in hidden
            ]
            citations = sorted(citations, key=repr)
            if not citations:
                continue
            named |= {claim.subject_id, claim.entity_value_id} | {
                q.entity_id for q in claim.qualifiers
            }
            named |= {c.attributed_to_id for c in claim.citations if c.source_id not in hidden}
            claims.append(
                (
                    claim.subject.name,
                    claim.property.name,
                    claim.value,
                    claim.value_key
                    if claim.property.datatype != "entity"
                    else claim.entity_value.name,
                    claim.unit,
                    claim.as_of,
                    claim.valid_from,
                    claim.valid_to,
                    claim.scope_key,
                    tuple((q.key, q.value) for q in claim.qualifiers),
                    claim.rank,
                    claim.rank_reason if claim.rank != "normal" else None,
                    tuple(citations),
                )
            )
        mentioned = {c.attributed_to_id for c in session.scalars(select(Citation))}
        mentioned |= {
            e
            for c in session.scalars(select(Claim))
            for e in (c.subject_id, c.entity_value_id, *(q.entity_id for q in c.qualifiers))
        }
        entities = sorted(
            (e.name, e.kind, e.description, tuple(sorted(a.name for a in e.aliases)))
            for e in session.scalars(select(Entity))
            if not public_only or e.id in named or e.id not in mentioned
        )
        properties = sorted(
            (p.name, p.datatype, p.multi, p.time_varying, p.unit, p.tolerance, p.description)
            for p in session.scalars(select(Property))
        )
        sources = sorted(
            (
                s.slug,
                s.title,
                tuple(s.authors or []),
                s.publisher,
                s.url,
                s.published,
                s.kind,
                s.reliability,
                s.reliability_reason,
                s.confidential,
                s.note,
            )
            for s in session.scalars(select(Source))
            if s.id not in hidden
        )
        return {
            "claims": sorted(claims, key=repr),
            "entities": entities,
            "properties": properties,
            "sources": sources,
        }


def assert_same(got: dict, want: dict) -> None:
    for key in want:
        missing = [x for x in want[key] if x not in got[key]]
        extra = [x for x in got[key] if x not in want[key]]
        assert not missing and not extra, f"{key}: missing {missing[:3]}, extra {extra[:3]}"


# ---------------------------------------------------------------- the import formats


def test_fixture_covers_what_the_round_trip_must_carry(desk_db):
    with _session(desk_db) as session:
        datatypes = set(
            session.scalars(select(Property.datatype).join(Claim, Claim.property_id == Property.id))
        )
        ranks = set(session.scalars(select(Claim.rank)))
        stances = set(session.scalars(select(Citation.stance)))
        textless = session.scalar(
            select(func.count(Citation.id)).join(Source).where(Source.text.is_(None))
        )
        qualified = session.scalar(select(func.count(Claim.id)).where(Claim.qualifiers.any()))
        scoped = session.scalar(select(func.count(Claim.id)).where(Claim.as_of.isnot(None)))
        valid = session.scalar(
            select(func.count(Claim.id)).where(
                Claim.valid_from.isnot(None), Claim.valid_to.isnot(None)
            )
        )
        footnoted = session.scalar(
            select(func.count(Citation.id)).where(Citation.footnote_id.isnot(None))
        )
        spoken = session.scalar(
            select(func.count(Citation.id)).where(Citation.attributed_to_id.isnot(None))
        )
        aliases = session.scalar(select(func.count(Alias.id)))
        verdicts = set(session.scalars(select(Conflict.status)))
    assert datatypes == {"quantity", "date", "entity", "text", "boolean"}
    assert ranks == {"normal", "preferred", "deprecated"}
    assert stances == {"asserts", "denies"}
    assert textless and qualified and scoped and valid and footnoted and spoken and aliases
    assert verdicts == {"resolved", "confirmed"}


@pytest.mark.parametrize("fmt", ["yaml", "csv", "jsonl"])
def test_round_trip_reproduces_the_database(fmt, desk_db, empty_db, tmp_path):
    out = tmp_path / f"export.{fmt}"
    args = ["export", "--format", fmt, "-o", out, "--include-confidential"]
    header = tmp_path / "header.yaml"
    if fmt != "yaml":
        args += ["--header", header]
    invoke(*args, db=desk_db)
    if fmt != "yaml":
        invoke("import", header, db=empty_db)
    invoke("import", out, db=empty_db)
    assert_same(snapshot(empty_db), snapshot(desk_db))


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_round_trip_of_the_seed_claims(fmt, seeded_db, empty_db, tmp_path):
    with _session(seeded_db) as session:
        from provenance.claims import set_rank

        ids = session.scalars(select(Claim.id).order_by(Claim.id)).all()
        assert len(ids) > 100
        set_rank(
            session,
            session.get(Claim, ids[3]),
            "preferred",
            "tester",
            reason="checked against the original",
        )
        set_rank(session, session.get(Claim, ids[7]), "deprecated", "tester", reason="misread")
        session.commit()
    out, header = tmp_path / f"seeds.{fmt}", tmp_path / "header.yaml"
    invoke(
        "export",
        "--format",
        fmt,
        "-o",
        out,
        "--include-confidential",
        *(["--header", header] if fmt == "csv" else []),
        db=seeded_db,
    )
    if fmt == "csv":
        invoke("import", header, db=empty_db)
    invoke("import", out, db=empty_db)
    assert_same(snapshot(empty_db), snapshot(seeded_db))


@pytest.mark.parametrize("fmt", ["yaml", "csv", "jsonl"])
def test_round_trip_without_confidential_material(fmt, desk_db, empty_db, tmp_path):
    out = tmp_path / f"export.{fmt}"
    header = tmp_path / "header.yaml"
    invoke(
        "export",
        "--format",
        fmt,
        "-o",
        out,
        *(["--header", header] if fmt != "yaml" else []),
        db=desk_db,
    )
    if fmt != "yaml":
        invoke("import", header, db=empty_db)
    invoke("import", out, db=empty_db)
    assert_same(snapshot(empty_db), snapshot(desk_db, public_only=True))


def test_re_importing_an_export_adds_nothing(desk_db, empty_db, tmp_path):
    out = tmp_path / "export.yaml"
    invoke("export", "--format", "yaml", "-o", out, db=desk_db)
    invoke("import", out, db=empty_db)
    with _session(empty_db) as session:
        history = session.scalar(select(func.count(History.id)))
    second = invoke("import", out, db=empty_db).stdout
    assert "0 new claim(s)" in second and "0 new citation(s)" in second, second
    with _session(empty_db) as session:
        assert session.scalar(select(func.count(History.id))) == history


def test_imported_ranks_are_recorded_in_history(desk_db, empty_db, tmp_path):
    out = tmp_path / "export.jsonl"
    header = tmp_path / "header.yaml"
    invoke("export", "--format", "jsonl", "-o", out, "--header", header, db=desk_db)
    invoke("import", header, db=empty_db)
    invoke("import", out, db=empty_db)
    with _session(empty_db) as session:
        ranked = session.scalars(select(Claim).where(Claim.rank != "normal")).all()
        assert {c.rank for c in ranked} == {"preferred", "deprecated"}
        for claim in ranked:
            changes = [
                h.changes
                for h in session.scalars(
                    select(History).where(
                        History.table_name == "claims",
                        History.row_id == claim.id,
                        History.action == "update",
                    )
                )
            ]
            assert any(c.get("rank") == ["normal", claim.rank] for c in changes), changes


@pytest.mark.parametrize(
    "ranks,message",
    [
        ([{"rank": "best"}], "field 'rank': rank 'best': expected normal, preferred, deprecated"),
        ([{"rank": "deprecated"}], "field 'rank_reason': missing rank_reason"),
        ([{"rank_reason": "why"}], "field 'rank_reason': rank_reason given without a rank"),
        (
            [{"rank": "preferred"}, {"rank": "deprecated", "rank_reason": "wrong"}],
            "record 2, field 'rank': rank 'deprecated' differs",
        ),
    ],
)
def test_bad_ranks_in_an_import_are_rejected(desk_db, tmp_path, ranks, message):
    base = {
        "source": "iraq-casualty-dataset",
        "subject": "Karbala PJCC attack",
        "property": "killed",
        "value": "4",
    }
    path = tmp_path / "ranks.jsonl"
    path.write_text("".join(json.dumps({**base, **r}) + "\n" for r in ranks), encoding="utf-8")
    result = invoke("import", path, db=desk_db, code=2)
    assert message in result.stderr, result.stderr


def test_an_imported_rank_changes_an_existing_claim_once(desk_db, tmp_path):
    path = tmp_path / "ranks.jsonl"
    path.write_text(
        json.dumps(
            {
                "source": "iraq-casualty-dataset",
                "subject": "Karbala PJCC attack",
                "property": "killed",
                "value": "4",
                "rank": "deprecated",
                "rank_reason": "the dataset misses the first victim",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    claim_id = _claim_id(desk_db, "killed", "4")

    def rank_rows():
        with _session(desk_db) as session:
            claim = session.get(Claim, claim_id)
            rows = session.scalar(
                select(func.count(History.id)).where(
                    History.table_name == "claims", History.row_id == claim_id
                )
            )
            return claim.rank, claim.rank_reason, rows

    before = rank_rows()
    invoke("import", path, db=desk_db)
    after = rank_rows()
    assert (
        after[:2] == ("deprecated", "the dataset misses the first victim")
        and after[2] == before[2] + 1
    )
    invoke("import", path, db=desk_db)
    assert rank_rows() == after


def test_csv_is_exactly_the_import_format(desk_db):
    text = invoke("export", "--format", "csv", db=desk_db).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == RECORD_KEYS
    assert RECORD_KEYS[:15] == (
        "source",
        "footnote",
        "subject",
        "property",
        "value",
        "unit",
        "quote",
        "attributed_to",
        "stance",
        "confidence",
        "as_of",
        "valid_from",
        "valid_to",
        "qualifiers",
        "note",
    )
    qualified = [r for r in rows if r["qualifiers"]]
    assert [r["qualifiers"] for r in qualified] == ["election=2018 Iraqi parliamentary election"]
    denial = [r for r in rows if r["stance"] == "denies"]
    assert (
        denial and denial[0]["attributed_to"] == "Qais al-Khazali" and denial[0]["footnote"] == "22"
    )
    with _session(desk_db) as session:
        public = session.scalar(
            select(func.count(Citation.id)).join(Source).where(Source.confidential.is_(False))
        )
    assert len(rows) == public


def test_jsonl_records_carry_every_key(desk_db):
    lines = invoke(
        "export", "--format", "jsonl", "--subject", "Qayis", db=desk_db
    ).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(tuple(r) == RECORD_KEYS for r in records)
    assert {r["subject"] for r in records} == {"Qais al-Khazali"}
    deprecated = [r for r in records if r["rank"] == "deprecated"]
    assert deprecated == [
        dict(deprecated[0], value="1975", rank_reason="misread: the entry gives 1974")
    ]


@pytest.mark.parametrize(
    "option,value,expected",
    [
        ("--subject", "Karbala PJCC attack", {"killed", "occurred_on"}),
        ("--property", "leader", {"leader"}),
        ("--source", "mee-iran-intelligence-rivalry-iraq-2021", {"leader"}),
    ],
)
def test_filters(desk_db, option, value, expected):
    records = [
        json.loads(line)
        for line in invoke(
            "export", "--format", "jsonl", option, value, db=desk_db
        ).stdout.splitlines()
    ]
    assert {r["property"] for r in records} == expected
    if option == "--source":
        assert {r["source"] for r in records} == {value}


def test_orphaned_citations_are_left_out_with_a_warning(desk_db):
    with _session(desk_db) as session:
        citation = session.scalars(select(Citation).where(Citation.quote.isnot(None))).first()
        citation.orphaned = True
        session.commit()
    result = invoke("export", "--format", "csv", db=desk_db)
    assert "1 orphaned citation(s) left out" in result.stderr


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args,message",
    [
        (["--format", "xml"], "'xml' is not one of"),
        (["--format", "csv", "--subject", "Nobody At All"], "unknown entity 'Nobody At All'"),
        (["--format", "csv", "--source", "no-such-source"], "unknown source 'no-such-source'"),
        (
            ["--format", "csv", "--property", "no_such_property"],
            "unknown property 'no_such_property'",
        ),
        (["--format", "csv", "--source", "informant-canary"], "is confidential"),
        (["--format", "claimreview"], "needs --organisation"),
        (["--format", "yaml", "--header", "h.yaml"], "--header is for --format csv or jsonl"),
        (["--format", "csv", "-o", "missing-folder/out.csv"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    desk_db, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVENANCE_ORGANISATION", raising=False)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = invoke(
        "export", *args, *([] if "-o" in args else ["-o", "out.txt"]), db=desk_db, code=2
    )
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and message in errors[0], errors
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---------------------------------------------------------------- ClaimReview

# Google's fact-check (ClaimReview) structured data: required and recommended fields.
CLAIMREVIEW_REQUIRED = ("claimReviewed", "reviewRating", "url")
CLAIMREVIEW_RECOMMENDED = ("author", "datePublished", "itemReviewed")
RATING_REQUIRED = ("alternateName",)
RATING_RECOMMENDED = ("ratingValue", "bestRating", "worstRating", "name")
CLAIM_RECOMMENDED = ("author", "datePublished", "appearance", "firstAppearance")


def _reviews(db: Path, *extra: str) -> list[dict]:
    return json.loads(
        invoke(
            "export",
            "--format",
            "claimreview",
            "--organisation",
            ORGANISATION,
            "--review-url",
            REVIEW_URL,
            *extra,
            db=db,
        ).stdout
    )


def test_claimreview_has_googles_required_and_recommended_fields(desk_db):
    reviews = _reviews(desk_db)
    assert len(reviews) == 2
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        for key in CLAIMREVIEW_REQUIRED + CLAIMREVIEW_RECOMMENDED:
            assert review.get(key), f"ClaimReview lacks {key}: {review}"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        for key in RATING_REQUIRED + RATING_RECOMMENDED:
            assert rating.get(key) is not None, f"Rating lacks {key}"
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        for key in CLAIM_RECOMMENDED:
            assert item.get(key), f"Claim lacks {key}"
        authors = item["author"] if isinstance(item["author"], list) else [item["author"]]
        assert all(a["@type"] in ("Person", "Organization") and a["name"] for a in authors)
        assert all(
            w["@type"] == "CreativeWork" and (w.get("url") or w.get("name"))
            for w in item["appearance"]
        )
        assert review["author"] == {"@type": "Organization", "name": ORGANISATION}
        assert review["url"].startswith("https://factcheck.example.org/checks/")
        assert len(review["datePublished"]) == 10


def test_claimreview_ratings_follow_the_verdicts(desk_db):
    reviews = {r["claimReviewed"]: r["reviewRating"] for r in _reviews(desk_db)}
    # resolved, the other value (5) preferred by the desk: the reviewed 4 is false
    assert reviews["Karbala PJCC attack — killed: 4 people"]["alternateName"] == "False"
    assert reviews["Karbala PJCC attack — killed: 4 people"]["ratingValue"] == 1
    # confirmed, the denial leads on support only: mostly false
    assert reviews["Jaysh al-Mahdi — fought in lebanon: true"]["alternateName"] == "Mostly false"


def test_claimreview_rating_follows_the_desks_answer(desk_db):
    rows = json.loads(invoke("conflicts", "--status", "all", "--json", db=desk_db).stdout)
    (question,) = [r for r in rows if r["kind"] == "quantity" and r["active"]]
    four = next(a["claim"] for a in question["answers"] if a["value"] == "4")
    invoke(
        "resolve",
        question["id"],
        "--status",
        "resolved",
        "--answer",
        four,
        "--note",
        "the casualty register says four",
        db=desk_db,
    )
    reviews = {r["claimReviewed"]: r["reviewRating"] for r in _reviews(desk_db)}
    # the accepted answer leads over the preferred one: five is now the false claim
    assert reviews["Karbala PJCC attack — killed: 5 people"]["alternateName"] == "False"
    assert "Karbala PJCC attack — killed: 4 people" not in reviews


def test_claimreview_names_the_claims_author_and_appearance(desk_db):
    reviews = {r["claimReviewed"]: r for r in _reviews(desk_db)}
    item = reviews["Karbala PJCC attack — killed: 4 people"]["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Casualty Monitor"}
    assert item["firstAppearance"]["url"] == "https://data.example.org/casualties/karbala-2007"
    assert item["datePublished"] == "2019"


def test_claimreview_lists_only_confirmed_and_resolved(desk_db):
    with _session(desk_db) as session:
        for conflict in session.scalars(select(Conflict)):
            conflict.status = "dismissed"
        session.commit()
    assert _reviews(desk_db) == []


def test_claimreview_organisation_from_the_environment(desk_db):
    result = invoke(
        "export", "--format", "claimreview", db=desk_db, env={"PROVENANCE_ORGANISATION": "Env Desk"}
    )
    assert {r["author"]["name"] for r in json.loads(result.stdout)} == {"Env Desk"}
    assert "no --review-url" in result.stderr


# ---------------------------------------------------------------- W3C PROV


def _prov(db: Path, *extra: str):
    from prov.model import ProvDocument

    text = invoke("export", "--format", "prov", *extra, db=db).stdout
    return ProvDocument.deserialize(content=text, format="json")


def test_prov_json_parses_back_with_the_databases_counts(desk_db):
    from prov.model import (
        ProvActivity,
        ProvAgent,
        ProvAssociation,
        ProvAttribution,
        ProvDerivation,
        ProvEntity,
        ProvGeneration,
        ProvMembership,
    )

    document = _prov(desk_db, "--include-confidential")
    with _session(desk_db) as session:
        claims = session.scalars(select(Claim)).all()
        citations = session.scalars(select(Citation)).all()
        sources = {c.source_id for c in citations}
        notes = {c.footnote_id for c in citations if c.footnote_id}
        works = {fw.work_id for c in citations if c.footnote for fw in c.footnote.works}
        cited = [fw.work for c in citations if c.footnote for fw in c.footnote.works]
        collections = {w.collection_id for w in cited if w.collection_id}
        memberships = len({w.id for w in cited if w.collection_id})
        note_work_links = sum(
            len(c.footnote.works)
            for c in {c.footnote_id: c for c in citations if c.footnote}.values()
        )
        speakers = {c.attributed_to_id for c in citations if c.attributed_to_id}
        editors = {c.created_by for c in claims} | {c.created_by for c in citations}
        additions = {(c.created_by, c.created_at) for c in claims} | {
            (c.created_by, c.created_at) for c in citations
        }

    def count(kind):
        return len(list(document.get_records(kind)))

    assert count(ProvEntity) == len(sources) + len(claims) + len(notes) + len(works | collections)
    assert count(ProvAgent) == len(speakers) + len(editors)
    assert count(ProvActivity) == len(additions)
    derivations = list(document.get_records(ProvDerivation))
    quotations = [
        d for d in derivations if "prov:Quotation" in {str(t) for t in d.get_asserted_types()}
    ]
    assert len(quotations) == sum(1 for c in citations if c.quote is not None)
    assert (
        len(derivations)
        == len(citations) + sum(1 for c in citations if c.footnote_id) + note_work_links
    )
    assert count(ProvAttribution) == sum(1 for c in citations if c.attributed_to_id)
    assert count(ProvGeneration) == len(claims)
    assert count(ProvAssociation) == len(additions)
    assert count(ProvMembership) == memberships
    for activity in document.get_records(ProvActivity):
        assert activity.get_startTime() is not None and activity.get_endTime() is not None


def test_prov_carries_quotes_and_footnotes(desk_db):
    document = _prov(desk_db)
    provn = document.get_provn()
    assert "wasDerivedFrom" in provn and "prov:Quotation" in provn
    assert "the PJCC attack that killed five U.S. soldiers" in provn
    assert "Tactical Interrogation Report" in provn  # a work behind a footnote


def test_prov_n(desk_db):
    text = invoke("export", "--format", "prov-n", db=desk_db).stdout
    assert text.startswith("document") and text.rstrip().endswith("endDocument")
    assert "wasAttributedTo(" in text and "wasAssociatedWith(" in text


# ---------------------------------------------------------------- confidentiality


ALL_FORMATS = ["csv", "jsonl", "yaml", "claimreview", "prov", "prov-n"]


# A confidential memo with a canary in every field: title, authors, publisher, url, text,
# footnotes, quotes, notes, speakers, an entity and a property only it uses, a qualifier.
# Its notes cite works the public CTC article cites: note 1 the report of CTC's note 12,
# handed over by an informant and placed in the memo's own collection; note 3 both works
# of CTC's note 1, which a public citation exported here rests on.
MEMO_NOTES = [
    "Tactical Interrogation Report 16, March 29, 2007, handed over by Abu CANARY-INFORMANT, "
    "available via CANARY-HANDLER’s “The CANARY Private Papers” Collection.",
    "CANARY-WORK Ledger 3, 2019.",
    "“Karbala Attackers User U.S. Army-Styled Uniforms to Gain Access,” CANARY-INFORMANT’s "
    "copy, January 26, 2007; Stanley A. McChrystal, My Share of the Task: A Memoir of "
    "CANARY-TITLE (CANARY-PRESS, 2014), p. 12.",
]
MEMO_TEXT = (
    "CANARY memo\n\nThe Karbala attackers numbered twelve, said CANARY-MEMO-SPEAKER.1 "
    "CANARY-ENTITY-ONLY paid them.2 Their uniforms came from a depot.3\n\nNotes\n"
    + "".join(f"[{number}] {note}\n" for number, note in enumerate(MEMO_NOTES, 1))
)


def _ingest_memo(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "secret"
    folder.mkdir(exist_ok=True)
    (folder / "canary-memo.txt").write_text(MEMO_TEXT, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "file": "canary-memo.txt",
                        "slug": "canary-memo",
                        "title": "CANARY memo",
                        "authors": ["CANARY-AUTHOR-NAME"],
                        "publisher": "CANARY-PUBLISHER",
                        "url": "https://example.org/canary-memo",
                        "kind": "report",
                        "reliability": "A",
                        "confidential": True,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    invoke("ingest", folder / "canary-memo.txt", "--manifest", folder / "sources.yaml", db=db)


def _confidential_claims(db: Path) -> None:
    invoke(
        "property",
        "add",
        "canary_attackers",
        "--type",
        "quantity",
        "--unit",
        "canary-units",
        db=db,
    )
    invoke(
        "add",
        "--source",
        "canary-memo",
        "--subject",
        "Karbala PJCC attack",
        "--property",
        "canary_attackers",
        "--value",
        "12",
        "--quote",
        "The Karbala attackers numbered twelve",
        "--attributed-to",
        "CANARY-MEMO-SPEAKER",
        "--qualifier",
        "cell=CANARY-QUALIFIER",
        "--note",
        "CANARY-ADD-NOTE",
        db=db,
    )
    # a public claim a confidential citation (with its footnote) also supports
    invoke(
        "add",
        "--source",
        "canary-memo",
        "--subject",
        "Karbala PJCC attack",
        "--property",
        "killed",
        "--value",
        "5",
        "--quote",
        "said CANARY-MEMO-SPEAKER",
        "--attributed-to",
        "CANARY-MEMO-SPEAKER",
        "--confidence",
        "high",
        "--note",
        "CANARY-SECOND-NOTE",
        db=db,
    )
    invoke(
        "add",
        "--source",
        "canary-memo",
        "--subject",
        "CANARY-ENTITY-ONLY",
        "--property",
        "leader",
        "--value",
        "CANARY-VALUE-ENTITY",
        "--quote",
        "CANARY-ENTITY-ONLY paid them",
        db=db,
    )
    # a confidential speaker behind the claim a ClaimReview rates
    invoke(
        "add",
        "--source",
        "informant-canary",
        "--subject",
        "Karbala PJCC attack",
        "--property",
        "killed",
        "--value",
        "4",
        "--attributed-to",
        "CANARY-AUTHOR-4",
        db=db,
    )
    # strong confidential evidence on the side of a confirmed verdict that public evidence
    # does not lead: counted, it would turn the review's rating around
    invoke(
        "add",
        "--source",
        "informant-canary",
        "--subject",
        "Jaysh al-Mahdi",
        "--property",
        "fought_in_lebanon",
        "--value",
        "true",
        "--confidence",
        "high",
        db=db,
    )


def _confidential_document(db: Path, tmp_path: Path) -> None:
    """A confidential document with text, on top of the fixture's confidential text-less source."""
    _ingest_memo(db, tmp_path)
    _confidential_claims(db)


@pytest.fixture
def desk_db_memo_first(new_db, tmp_path):
    """The desk's database, with the confidential memo ingested before the seed documents."""
    db = new_db("memo-first")
    invoke("init", db=db)
    _ingest_memo(db, tmp_path)
    invoke("build", "--seeds", _seeds_without_claims(tmp_path), db=db)
    _desk_claims(db)
    _confidential_claims(db)
    return db


def _export(db: Path, fmt: str, tmp_path: Path, *flags: str):
    """(what the export wrote: stdout and any --header file, the CLI result)."""
    header = tmp_path / f"header-{fmt}-{len(flags)}.yaml"
    header.unlink(missing_ok=True)
    args = ["export", "--format", fmt, *flags]
    if fmt == "claimreview":
        args += ["--organisation", ORGANISATION, "--review-url", REVIEW_URL]
    if fmt in ("csv", "jsonl"):
        args += ["--header", header]
    result = invoke(*args, db=db)
    return result.stdout + (header.read_text(encoding="utf-8") if header.exists() else ""), result


@pytest.mark.parametrize("order", ["memo-last", "memo-first"])
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_confidential_canary_never_leaves_without_the_flag(fmt, order, desk_db, tmp_path, request):
    if order == "memo-first":
        db = request.getfixturevalue("desk_db_memo_first")
    else:
        db = desk_db
        _confidential_document(db, tmp_path)
    exported, _result = _export(db, fmt, tmp_path)
    for canary in (*CANARIES, "canary-memo"):
        assert canary not in exported, f"{canary!r} leaked into --format {fmt}"
        assert canary.lower() not in exported.lower(), f"{canary!r} leaked into --format {fmt}"
    shown, flagged = _export(db, fmt, tmp_path, "--include-confidential")
    assert "CANARY" in shown and "confidential" in flagged.stderr


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_confidential_material_changes_nothing_in_an_export_without_the_flag(
    fmt, desk_db, tmp_path
):
    """Not a name, not a figure: support, leading values and ratings rest on public evidence."""
    before, _result = _export(desk_db, fmt, tmp_path)
    _confidential_document(desk_db, tmp_path)
    after, _result = _export(desk_db, fmt, tmp_path)
    assert after == before
    if fmt == "claimreview":
        shown, _result = _export(desk_db, fmt, tmp_path, "--include-confidential")
        assert shown != before, "the confidential evidence should change the verdicts it joins"


def test_a_verdict_resting_on_confidential_sources_is_not_reviewed(desk_db):
    with _session(desk_db) as session:
        session.get(
            Source, session.scalar(select(Source.id).where(Source.slug == "iraq-casualty-dataset"))
        ).confidential = True
        session.commit()
    reviews = _reviews(desk_db)
    assert [r["claimReviewed"] for r in reviews] == ["Jaysh al-Mahdi — fought in lebanon: true"]
    assert "Casualty Monitor" not in json.dumps(reviews)


# ---------------------------------------------------------------- 10k synthetic claims


def _synthetic():
    path = ROOT / "benchmarks" / "synthetic.py"
    if not path.exists():
        pytest.skip("benchmarks/synthetic.py is not there")
    spec = importlib.util.spec_from_file_location("synthetic_for_export", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _make_synthetic_10k(db, templates) -> None:
    data = _synthetic().generate(Path(tempfile.mkdtemp(dir=templates.folder)) / "data", 10_000, 11)
    invoke("init", db=db)
    invoke("import", data.header, db=db)
    invoke("import", data.claims, db=db)
    with _session(db) as session:
        # ranks on a few claims, as a desk would set them
        from provenance.claims import set_rank

        ids = session.scalars(select(Claim.id).order_by(Claim.id)).all()
        for claim_id in ids[::500]:
            set_rank(session, session.get(Claim, claim_id), "preferred", "tester", reason="checked")
        for claim_id in ids[250::500]:
            set_rank(
                session, session.get(Claim, claim_id), "deprecated", "tester", reason="superseded"
            )
        session.commit()


@pytest.fixture
def _synthetic_10k(db_templates, db_path):
    db_templates.clone("synthetic 10k", _make_synthetic_10k, db_path)
    return db_path


@pytest.mark.parametrize("fmt,confidential", [("csv", True), ("jsonl", False)])
def test_round_trip_of_10k_synthetic_claims(fmt, confidential, _synthetic_10k, new_db, tmp_path):
    out, header, target = (
        tmp_path / f"claims.{fmt}",
        tmp_path / "header.yaml",
        new_db("target"),
    )
    invoke(
        "export",
        "--format",
        fmt,
        "-o",
        out,
        "--header",
        header,
        *(["--include-confidential"] if confidential else []),
        db=_synthetic_10k,
    )
    invoke("init", db=target)
    invoke("import", header, db=target)
    invoke("import", out, db=target)
    want = snapshot(_synthetic_10k, public_only=not confidential)
    assert len(want["claims"]) > 3000
    assert_same(snapshot(target), want)


# ---------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only():
    from provenance.interchange import Progress

    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = Progress(10, "Exporting citations", stream)
        bar.tick(4)
        bar.tick(6)
        bar.close()
    assert "Exporting citations" in terminal.getvalue()
    assert pipe.getvalue() == ""
