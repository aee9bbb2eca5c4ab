"""Copies of a source (SPEC §1, §3 rule 4): recorded on ingest, confirmed or undone by the
desk, and counted as one document with their original — through the real CLI."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import file_bytes

WIRE = """Rockets hit Erbil airport base, one contractor killed

ERBIL, Iraq (Wire) — Several rockets struck a base housing coalition troops at the
airport of Erbil, the capital of the Kurdistan region, on Monday night, killing one
foreign civilian contractor and wounding eight other people, officials said.

A coalition spokesman said that one civilian contractor was killed and five civilian
contractors were injured, along with one American service member. The health ministry
of the regional government said two civilians were injured in a cattle market nearby.

The rockets were fired at about 10 pm from a truck south of the city, security
officials said. A little-known group calling itself Saraya Awliya al-Dam claimed the
attack in a statement on social media, without giving evidence for its claim.

The prime minister of the region condemned the attack and urged residents to remain
calm, and the security services were told to open a full investigation into it.
"""
SYNDICATED = (
    "Kurdistan: deadly rocket strike on Erbil airport\n\n"
    + WIRE.split("\n", 2)[2]
    + "\nUpdated: the coalition later said two contractors were killed.\n"
    "This story was distributed by a news agency and is republished under licence. "
    "Follow us for the latest news from the region.\n"
)
OTHER = """Iraq raises budget of the Popular Mobilization Forces

BAGHDAD — The Iraqi cabinet decided on Tuesday to increase the budget of the Popular
Mobilization Forces, the state-sanctioned umbrella of mostly Shiite armed groups, a
government spokesman said, as parliament debates the spending plan for next year.
"""
PROPERTIES = [{"name": "killed", "type": "quantity", "unit": "people"}]
SUBJECT = "Erbil airport rocket attack, February 2021"


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in {
        "wire-erbil.txt": WIRE,
        "syndicated-erbil.txt": SYNDICATED,
        "mirror-erbil.txt": WIRE,
        "budget.txt": OTHER,
    }.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _ingest(run, docs, *names):
    return run("ingest", *[docs / n for n in names]).output


def _sources(run):
    return {s["slug"]: s for s in json.loads(run("sources", "--json").output)}


def _import(run, tmp_path, claims):
    path = tmp_path / "claims.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {"slug": "ministry", "title": "Ministry", "kind": "website", "reliability": "F"}
                ],
                "properties": PROPERTIES,
                "claims": claims,
            }
        ),
        encoding="utf-8",
    )
    run("import", path)


def _claim(source, value, quote=None):
    record = {"source": source, "subject": SUBJECT, "property": "killed", "value": value}
    if quote is not None:
        record["quote"] = quote
    return record


def _answers(row):
    """Each answer of a listed conflict as (value, support), pairwise or per question."""
    sides = row["answers"] if "answers" in row else [row["a"], row["b"]]
    return {side["value"]: side["support"] for side in sides}


def _conflicts(run):
    return [_answers(row) for row in json.loads(run("conflicts", "--json").output)]


ONE = "killing one\nforeign civilian contractor"
TWO = "the coalition later said two contractors were killed"


def test_ingest_records_identical_and_near_identical_copies_and_says_so(run, docs):
    run("init")
    assert "copy of" not in _ingest(run, docs, "wire-erbil.txt")
    output = _ingest(run, docs, "syndicated-erbil.txt", "mirror-erbil.txt", "budget.txt")
    lines = output.splitlines()
    wire = _sources(run)["wire-erbil"]
    assert any(
        line.strip().startswith(f"copy of wire-erbil (source {wire['id']}): near-identical text")
        for line in lines
    ), output
    assert f"copy of wire-erbil (source {wire['id']}): identical text" in output
    assert output.count("copy of") == 2, output  # not the budget story

    rows = _sources(run)
    syndicated, mirror = rows["syndicated-erbil"], rows["mirror-erbil"]
    assert (syndicated["copy_of"], syndicated["copy_status"]) == ("wire-erbil", "detected")
    assert 0.8 <= syndicated["copy_similarity"] < 1
    assert (mirror["copy_of"], mirror["copy_similarity"]) == ("wire-erbil", 1.0)
    assert rows["budget"]["copy_of"] is None and rows["wire-erbil"]["copy_of"] is None
    log = json.loads(run("log", "--json", "--table", "sources", "--row", syndicated["id"]).output)
    assert log[0]["changes"]["copy_of"] == [None, wire["id"]]
    assert "detected on ingest" in log[0]["summary"]

    # ingesting again changes nothing
    before = json.loads(run("log", "--json").output)
    _ingest(run, docs, "syndicated-erbil.txt", "mirror-erbil.txt")
    assert json.loads(run("log", "--json").output) == before


def test_a_copy_and_its_original_citing_one_sentence_count_once(run, docs, tmp_path):
    run("init")
    _ingest(run, docs, "wire-erbil.txt", "syndicated-erbil.txt")
    _import(
        run,
        tmp_path,
        [
            _claim("wire-erbil", "1", ONE),
            _claim("syndicated-erbil", "1", ONE),
            _claim("ministry", "3"),
        ],
    )
    (answers,) = _conflicts(run)
    single = 0.3 * 0.6  # grade F × medium confidence
    assert answers["1"] == pytest.approx(single, abs=0.01), answers

    run("source", "not-copy", "syndicated-erbil")
    (answers,) = _conflicts(run)
    assert answers["1"] == pytest.approx(2 * single, abs=0.01), answers

    run("source", "copy-of", "syndicated-erbil", "wire-erbil")
    (answers,) = _conflicts(run)
    assert answers["1"] == pytest.approx(single, abs=0.01), answers


def test_a_claim_cited_only_by_a_copy_and_its_original_is_not_a_conflict(run, docs, tmp_path):
    run("init")
    _ingest(run, docs, "wire-erbil.txt", "syndicated-erbil.txt")
    _import(run, tmp_path, [_claim("wire-erbil", "1", ONE), _claim("syndicated-erbil", "2", TWO)])
    assert _conflicts(run) == []  # one document: two values from one source

    output = run("source", "not-copy", "syndicated-erbil").output
    assert output.strip() == (
        "source syndicated-erbil is not a copy of wire-erbil: a document of its own again"
    )
    assert [set(a) for a in _conflicts(run)] == [{"1", "2"}]
    assert _sources(run)["syndicated-erbil"]["copy_of"] is None
    # the desk's undoing holds when the file is ingested again
    _ingest(run, docs, "syndicated-erbil.txt")
    assert _sources(run)["syndicated-erbil"]["copy_of"] is None

    output = run("source", "copy-of", "syndicated-erbil", "wire-erbil").output
    assert output.strip() == (
        "source syndicated-erbil is a copy of wire-erbil: confirmed; they count as one document"
    )
    assert _conflicts(run) == []
    row = _sources(run)["syndicated-erbil"]
    assert (row["copy_of"], row["copy_status"]) == ("wire-erbil", "confirmed")
    assert 0.8 <= row["copy_similarity"] < 1
    assert "unchanged" in run("source", "copy-of", "syndicated-erbil", "wire-erbil").output
    summaries = [
        h["summary"]
        for h in json.loads(run("log", "--json", "--table", "sources", "--row", row["id"]).output)
    ]
    assert summaries[:3] == [
        "copy of wire-erbil confirmed by the desk",
        "not a copy of wire-erbil: the desk undid it",
        "copy of wire-erbil detected on ingest (similarity " + summaries[2].split("similarity ")[1],
    ]


def test_the_desk_can_name_a_copy_the_measure_missed(run, docs):
    run("init")
    _ingest(run, docs, "wire-erbil.txt", "budget.txt")
    run("source", "copy-of", "budget", "wire-erbil")
    row = _sources(run)["budget"]
    assert (row["copy_of"], row["copy_status"]) == ("wire-erbil", "confirmed")
    assert row["copy_similarity"] < 0.8


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["copy-of", "wire-erbil", "wire-erbil"],
            "source 'wire-erbil' cannot be a copy of itself: expected another source as ORIGINAL",
        ),
        (
            ["copy-of", "budget", "mirror-erbil"],
            "source 'mirror-erbil' is itself a copy of 'wire-erbil': expected the original, "
            "'wire-erbil'",
        ),
        (
            ["copy-of", "wire-erbil", "mirror-erbil"],
            "source 'mirror-erbil' is a copy of 'wire-erbil': a copy cannot be the original of "
            "its own original (undo it with `source not-copy mirror-erbil` first)",
        ),
        (
            ["copy-of", "wire-erbil", "budget"],
            "source 'wire-erbil' has copies of its own (source 2): a copy's original is never "
            "a copy; record those as copies of 'budget' first",
        ),
        (
            ["not-copy", "budget"],
            "source 'budget' is not recorded as a copy: nothing to undo "
            "(see `provenance sources` for copies)",
        ),
        (["copy-of", "nowhere", "wire-erbil"], "unknown source 'nowhere'"),
    ],
    ids=["itself", "of a copy", "cycle", "chain", "not a copy", "unknown"],
)
def test_bad_copy_input_is_one_line_exit_2_and_writes_nothing(run, docs, db_path, args, message):
    run("init")
    _ingest(run, docs, "wire-erbil.txt", "mirror-erbil.txt", "budget.txt")
    before = file_bytes(db_path)
    result = run("source", *args, code=2)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {message}"), result.output
    assert file_bytes(db_path) == before


def test_a_copy_whose_text_changes_into_another_story_is_no_longer_a_copy(run, docs):
    run("init")
    _ingest(run, docs, "wire-erbil.txt", "syndicated-erbil.txt")
    assert _sources(run)["syndicated-erbil"]["copy_of"] == "wire-erbil"
    (docs / "syndicated-erbil.txt").write_text(OTHER, encoding="utf-8")
    output = _ingest(run, docs, "syndicated-erbil.txt")
    assert "changed" in output and "copy of" not in output, output
    row = _sources(run)["syndicated-erbil"]
    assert row["copy_of"] is None
    (entry,) = json.loads(
        run("log", "--json", "--table", "sources", "--row", row["id"], "--limit", "1").output
    )
    assert entry["summary"] == "not a copy of wire-erbil any more: its text changed"


def test_migration_0004_keeps_every_source_and_citation_down_and_up(run, docs, tmp_path, db_path):
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect, text

    from provenance import db as dbmod

    _BEFORE_0004 = (
        ScriptDirectory.from_config(dbmod.alembic_config()).get_revision("0004").down_revision
    )
    run("init")
    _ingest(run, docs, "wire-erbil.txt", "syndicated-erbil.txt")
    _import(run, tmp_path, [_claim("wire-erbil", "1", ONE), _claim("syndicated-erbil", "2", TWO)])
    engine = dbmod.make_engine(str(db_path))

    def counts():
        with engine.connect() as connection:
            return {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("sources", "claims", "citations", "history")
            }

    try:
        before = counts()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM source_copies")).scalar() == 1
        dbmod.downgrade(engine, _BEFORE_0004)
        assert "source_copies" not in inspect(engine).get_table_names()
        down = counts()
        # below 0008 every insert is a history row again
        assert down.pop("history") > before["history"]
        assert down == {t: n for t, n in before.items() if t != "history"}
        dbmod.migrate(engine)
        assert counts() == before
        assert "source_copies" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    # the copy went with the table: the two documents are separate again, and say so
    assert [set(a) for a in _conflicts(run)] == [{"1", "2"}]
    run("source", "copy-of", "syndicated-erbil", "wire-erbil")
    assert _conflicts(run) == []
