"""Sources from the seeds: build, ingest, listings, comment sections and check."""

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


def test_comment_words_are_not_found_in_the_article(built_db):
    from provenance import db as dbmod
    from provenance.quotes import locate
    from provenance.sources import find_source

    engine = dbmod.make_engine(str(built_db))
    with dbmod.session_scope(engine) as session:
        article = find_source(session, "lwj-khazali-warned-iran-2018")
        comment = find_source(session, "lwj-khazali-warned-iran-2018-comment-11")
        words = "I was in Fallujah with RCT-6 in 2007"
        assert locate(article, words) is None
        anchor = locate(comment, words)
        assert anchor is not None and comment.text[anchor.start : anchor.end] == words
        assert locate(article, "holds 15 seats in the Iraqi parliament") is not None
    engine.dispose()


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


def test_reingesting_an_unchanged_file_changes_nothing(run, db_path, tmp_path):
    from conftest import documents_only

    seeds = documents_only(tmp_path / "seeds")
    run("build", "--seeds", seeds)
    dump = table_dump(db_path)
    result = run("ingest", seeds / CTC, "--manifest", seeds / "sources.yaml")
    assert result.output.startswith("unchanged"), result.output
    assert table_dump(db_path) == dump


def test_a_changed_text_is_reported_and_stored(run, seeds_copy):
    run("build", "--seeds", seeds_copy)
    path = seeds_copy / "004_b040a4527846fc2c.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nA correction was appended.\n", encoding="utf-8"
    )
    result = run("ingest", path)
    assert result.output.startswith("changed"), result.output
    assert "text changed" in result.output
    run("check")
    log = run("ingest", path)
    assert log.output.startswith("unchanged")


def test_a_file_outside_the_manifest_gets_a_slug_and_grade_f(run, built_db, tmp_path):
    path = tmp_path / "Statement by a Ministry.txt"
    path.write_text("The ministry said 12 people were hurt.\n", encoding="utf-8")
    run("ingest", path)
    rows = {r["slug"]: r for r in json.loads(run("sources", "--json").output)}
    row = rows["statement-by-a-ministry"]
    assert row["reliability"] == "F" and row["title"] == "The ministry said 12 people were hurt."


# ---------------------------------------------------------------- bad input


def _bad_manifest(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_INPUT = [
    ("missing file", lambda t: ["ingest", t / "nope.txt"], "nope.txt"),
    ("binary file", lambda t: ["ingest", _binary(t)], "blob.txt"),
    ("directory as file", lambda t: ["ingest", t], "directory"),
    (
        "unreadable manifest",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, "sources: [\n  - file: x\n"),
        ],
        "not valid YAML",
    ),
    (
        "manifest not a list",
        lambda t: ["ingest", SEEDS / CTC, "--manifest", _bad_manifest(t, "sources: 3\n")],
        "'sources:' list",
    ),
    (
        "unknown manifest key",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    colour: red\n"),
        ],
        "'colour'",
    ),
    (
        "bad reliability",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    reliability: Z\n"),
        ],
        "'Z'",
    ),
    (
        "bad published date",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    published: last spring\n"),
        ],
        "'last spring'",
    ),
    (
        "bad kind",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    kind: rumour\n"),
        ],
        "'rumour'",
    ),
    (
        "missing manifest",
        lambda t: ["ingest", SEEDS / CTC, "--manifest", t / "none.yaml"],
        "none.yaml",
    ),
    ("unknown source", lambda t: ["footnotes", "no-such-source"], "'no-such-source'"),
    ("seeds not a folder", lambda t: ["build", "--seeds", t / "nowhere"], "nowhere"),
]


def _binary(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    return path


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


# ---------------------------------------------------------------- confidential comments

LWJ = "lwj-khazali-warned-iran-2018"
LWJ_FILE = "001_5751a991e2ca6a64.txt"


def _manifest_with(seeds, **comments) -> None:
    """seeds/sources.yaml with ``comments`` keys added to the article that has comments."""
    import yaml

    path = seeds / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (entry,) = [e for e in data["sources"] if e["slug"] == LWJ]
    entry["comments"].update(comments)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _confidential_slugs(run) -> set[str]:
    return {r["slug"] for r in json.loads(run("sources", "--json").output) if r["confidential"]}


def _set_confidential(db_path, slug: str) -> None:
    """What `source edit SLUG --confidential` (or a desk's SQL) does: the flag on one source."""
    from sqlalchemy import create_engine, update

    from provenance.db import to_url
    from provenance.models import Source

    engine = create_engine(to_url(str(db_path)))
    with engine.begin() as connection:
        connection.execute(update(Source).where(Source.slug == slug).values(confidential=True))
    engine.dispose()


def test_a_comment_the_manifest_marks_confidential_stays_so_on_reingest(run, seeds_copy):
    _manifest_with(seeds_copy, confidential=[11])
    run("build", "--seeds", seeds_copy)
    assert _confidential_slugs(run) == {f"{LWJ}-comment-11"}
    # unchanged, through build and through ingest
    run("build", "--seeds", seeds_copy)
    run("ingest", seeds_copy / LWJ_FILE, "--manifest", seeds_copy / "sources.yaml")
    assert _confidential_slugs(run) == {f"{LWJ}-comment-11"}
    # changed text: the comments are re-cut, the flag stays
    path = seeds_copy / LWJ_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("Khazali", "Khazaali", 1), "utf-8")
    assert run("ingest", path).output.startswith("changed")
    assert _confidential_slugs(run) == {f"{LWJ}-comment-11"}
    published = run("publish", seeds_copy / "public.db").output
    assert "withheld: 1 confidential source(s)" in published, published


def test_confidential_true_marks_every_comment(run, seeds_copy):
    _manifest_with(seeds_copy, confidential=True)
    run("build", "--seeds", seeds_copy)
    assert _confidential_slugs(run) == {f"{LWJ}-comment-{n:02d}" for n in range(1, 13)}


def test_a_comment_made_confidential_outside_the_manifest_keeps_its_flag(run, seeds_copy, db_path):
    run("build", "--seeds", seeds_copy)
    _set_confidential(db_path, f"{LWJ}-comment-03")
    run("build", "--seeds", seeds_copy)
    run("ingest", seeds_copy / LWJ_FILE)
    assert _confidential_slugs(run) == {f"{LWJ}-comment-03"}
    history = json.loads(run("log", "--table", "sources", "--json", "--limit", "500").output)
    assert not any("confidential" in str(h["summary"]) and "false" in str(h) for h in history)


def test_the_manifest_never_makes_a_confidential_article_public(run, seeds_copy, db_path):
    run("build", "--seeds", seeds_copy)
    _set_confidential(db_path, LWJ)
    # the seeds' manifest says `confidential: false` for every document
    result = run("build", "--seeds", seeds_copy)
    assert "kept confidential" in result.output, result.output
    # the article's comments follow it
    assert _confidential_slugs(run) == {LWJ} | {f"{LWJ}-comment-{n:02d}" for n in range(1, 13)}
    again = run("ingest", seeds_copy / LWJ_FILE, "--manifest", seeds_copy / "sources.yaml")
    assert LWJ in _confidential_slugs(run) and "kept confidential" in again.output


@pytest.mark.parametrize(
    "value,named",
    [
        ([13], "comment 13"),
        ("yes", "'yes'"),
        ([0], "[0]"),
        ([True], "[True]"),
    ],
)
def test_a_bad_comments_confidential_key_is_one_line_and_writes_nothing(
    run, seeds_copy, db_path, value, named
):
    run("build", "--seeds", seeds_copy)
    before = file_bytes(db_path)
    _manifest_with(seeds_copy, confidential=value)
    result = run("build", "--seeds", seeds_copy, code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert named in lines[0] and "expected" in lines[0], lines[0]
    assert file_bytes(db_path) == before
