"""Ingesting documents (provenance.ingest) through ``build`` and ``ingest``: an unchanged
file changes nothing, a changed text is stored and reported, a file outside the
manifest, reader comments split into sources of their own that stay confidential, and a
document that cannot be read."""

from __future__ import annotations

import json

import pytest
from conftest import CTC, file_bytes
from test_cli_sources import table_dump


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


INGEST_BAD_INPUT = [
    ("missing file", lambda t: ["ingest", t / "nope.txt"], "nope.txt"),
    ("binary file", lambda t: ["ingest", _binary(t)], "blob.txt"),
    ("directory as file", lambda t: ["ingest", t], "directory"),
]


def _binary(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    return path


@pytest.mark.parametrize(
    "case,make_args,named", INGEST_BAD_INPUT, ids=[c[0] for c in INGEST_BAD_INPUT]
)
def test_an_unreadable_document_is_one_line_exit_2_and_writes_nothing(
    run, built_db, tmp_path, case, make_args, named
):
    before = file_bytes(built_db)
    result = run(*make_args(tmp_path), code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    assert named in lines[0], lines[0]
    assert file_bytes(built_db) == before


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
