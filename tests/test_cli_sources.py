"""The commands around sources on the seeds: build, the sources and footnotes listings,
check, init, and bad databases. Ingesting a document is tests/test_ingest.py; the
manifest tests/test_manifest.py."""

from __future__ import annotations

import json

import pytest
from conftest import CTC, SEEDS, file_bytes

COMMENTERS = [
    "Gute",
    "Donald A Thomson",
    "Mark Matis",
    "pre-Boomer Marine brat",
    "KW Greenwood",
    "Ralph david",
    "lynn farley",
    "Ronald Wolfe",
    "Sid Finster",
    "Verneoz",
    "Terry Teufelhund",
    "Terry Teufelhund",
]


def table_dump(target):
    """Every row of every table except times, in a comparable form (SQLite file or URL)."""
    from sqlalchemy import create_engine, inspect, text

    from provenance.db import to_url

    engine = create_engine(to_url(str(target)))
    dump = {}
    try:
        with engine.connect() as connection:
            for table in sorted(inspect(connection).get_table_names()):
                columns = [
                    c["name"]
                    for c in inspect(connection).get_columns(table)
                    if not c["name"].endswith("_at") and c["name"] != "at"
                ]
                quoted = ", ".join(f'"{c}"' for c in columns)
                dump[table] = [
                    tuple(r)
                    for r in connection.execute(text(f'SELECT {quoted} FROM "{table}" ORDER BY 1'))
                ]
    finally:
        engine.dispose()
    return dump


def test_build_twice_gives_the_same_database(run, db_path):
    first = run("build", "--seeds", SEEDS)
    assert "new" in first.output
    before = table_dump(db_path)
    second = run("build", "--seeds", SEEDS)
    lines = [
        line for line in second.output.splitlines() if line.strip() and not line.startswith(" ")
    ]
    ingested = [line for line in lines if not line.startswith("imported ")]
    assert {line.split()[0] for line in ingested} == {"unchanged"}, second.output
    for line in lines:
        if line.startswith("imported "):
            assert " 0 new claim(s)" in line and " 0 new citation(s)" in line, line
    assert table_dump(db_path) == before


def test_sources_json_lists_the_documents_and_their_comments(run, built_db):
    rows = json.loads(run("sources", "--json").output)
    documents = [r for r in rows if r["parent"] is None]
    comments = [r for r in rows if r["parent"] is not None]
    assert len(documents) == 5
    assert {r["file_name"] for r in documents} == {p.name for p in SEEDS.glob("*.txt")}
    for row in documents:
        for key in (
            "slug",
            "title",
            "authors",
            "publisher",
            "published",
            "kind",
            "reliability",
            "sha256",
        ):
            assert row[key] not in (None, ""), (key, row)
    assert [c["authors"] for c in comments] == [[name] for name in COMMENTERS]
    assert all(
        c["kind"] == "comment" and c["parent"] == "lwj-khazali-warned-iran-2018" for c in comments
    )
    assert all(c["reliability"] == "F" for c in comments)


@pytest.mark.parametrize("fmt", ["--csv", "--nl", "--json"])
def test_sources_other_formats(run, built_db, fmt):
    output = run("sources", fmt).output
    assert "ctc-khazali-interrogations-2018" in output


def test_footnotes_json_lists_42_notes_with_markers_and_works(run, built_db):
    for ref in ("ctc-khazali-interrogations-2018", CTC, "1"):
        notes = json.loads(run("footnotes", ref, "--json").output)
        assert [n["number"] for n in notes] == list(range(1, 43))
    text = (SEEDS / CTC).read_text(encoding="utf-8")
    for note in notes:
        assert len(note["markers"]) == 1, note
        marker = note["markers"][0]
        assert text[marker["start"] : marker["end"]] == str(note["number"])
        assert note["works"], note
    by_number = {n["number"]: n for n in notes}
    assert by_number[7]["works"][0]["locator"] == "p. 204"
    assert by_number[7]["resolves_to"] == [2]
    assert by_number[27]["resolves_to"] == [10]
    assert by_number[12]["works"][0]["collection"] == "The Qays al-Khazali Papers"


def test_footnotes_table_reads_well(run, built_db):
    output = run("footnotes", "ctc-khazali-interrogations-2018").output
    assert "Tactical Interrogation Report 16" in output
    assert "ibid → 13" in output


def test_check_passes_on_a_fresh_build(run, built_db):
    result = run("check")
    assert result.output.startswith("ok:"), result.output


def test_check_fails_naming_the_file_after_a_seed_is_edited(run, seeds_copy):
    run("build", "--seeds", seeds_copy)
    edited = seeds_copy / "002_bfbc928f984825ec.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Khazali", "Khazaali", 1), encoding="utf-8"
    )
    result = run("check", code=1)
    assert "002_bfbc928f984825ec.txt" in result.output
    assert "PROBLEM" in result.output


# ---------------------------------------------------------------- bad input


BAD_INPUT = [
    ("unknown source", lambda t: ["footnotes", "no-such-source"], "'no-such-source'"),
    ("seeds not a folder", lambda t: ["build", "--seeds", t / "nowhere"], "nowhere"),
]


@pytest.mark.parametrize("case,make_args,named", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    run, built_db, tmp_path, case, make_args, named
):
    before = file_bytes(built_db)
    result = run(*make_args(tmp_path), code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    assert named in lines[0], lines[0]
    assert file_bytes(built_db) == before


@pytest.mark.parametrize("command", [["init"], ["sources"], ["build", "--seeds", SEEDS], ["check"]])
def test_db_that_is_a_directory(run, tmp_path, command):
    result = run("--db", tmp_path, *command, code=2)
    assert "is a directory" in result.output and len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["init"], ["sources"], ["build", "--seeds", SEEDS], ["check"]])
def test_db_that_is_not_a_database(run, tmp_path, command):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    result = run("--db", path, *command, code=2)
    assert "not a SQLite database" in result.output and len(result.output.strip().splitlines()) == 1
    assert path.read_text() == "these are my notes, not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_missing_database_is_not_created_by_a_listing(run, tmp_path):
    path = tmp_path / "fresh.db"
    result = run("--db", path, "sources", code=2)
    assert "does not exist" in result.output
    assert not path.exists()


def test_init_twice_says_nothing_to_do(run, db_path):
    assert "upgraded from empty" in run("init").output
    assert "nothing to do" in run("init").output


def test_a_database_url_of_an_unknown_kind_is_a_clear_error(run):
    result = run("--db", "nosuchdb://x/y", "init", code=2)
    assert "nosuchdb://x/y" in result.output and len(result.output.strip().splitlines()) == 1
