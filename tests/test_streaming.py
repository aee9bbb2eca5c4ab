"""Listings that stream: `conflicts` writes each question as it is made, in every format,
with the same bytes as a listing made whole."""

from __future__ import annotations

import csv
import io
import json

from provenance import conflicts
from provenance import db as dbmod
from provenance import listing as listingmod


def _whole_array(rows: list) -> str:
    # what `conflicts --json` printed when it dumped the whole list at once
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def test_json_is_the_whole_array_written_question_by_question(seeded_db, run):
    for args in ([], ["--status", "all", "--explain"]):
        out = run("conflicts", "--json", *args).stdout
        rows = json.loads(out)
        assert len(rows) > 1, out
        assert out == _whole_array(rows)
    assert run("conflicts", "--json", "--status", "dismissed").stdout == "[]\n"


def test_nl_and_csv_stream_the_same_rows_as_json(seeded_db, run):
    rows = json.loads(run("conflicts", "--json", "--status", "all").stdout)
    lines = run("conflicts", "--nl", "--status", "all").stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows
    table = list(csv.DictReader(io.StringIO(run("conflicts", "--csv", "--status", "all").stdout)))
    assert len(table) == sum(len(r["answers"]) for r in rows)
    assert [int(line["id"]) for line in table] == [r["id"] for r in rows for _ in r["answers"]]
    # no question: the header alone, as before
    assert run("conflicts", "--csv", "--status", "dismissed").stdout == "\n"


def test_questions_are_made_a_chunk_at_a_time(seeded_db, run, monkeypatch):
    """The first question is given before the later chunks' answers are read: a listing
    of thousands starts printing at once, and holds one chunk in memory, not all."""
    from sqlalchemy import event

    run("conflicts")  # detected and stored
    monkeypatch.setattr(listingmod, "FIRST_ROWS_CHUNK", 1)
    monkeypatch.setattr(listingmod, "ROWS_CHUNK", 2)
    engine = dbmod.make_engine(str(seeded_db))
    reads: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if "FROM conflict_answers" in statement:
            reads.append(statement)

    try:
        with dbmod.reading_session(engine) as session:
            scope = conflicts.listing_scope(session, status="all")
            listing = conflicts.Listing(session, scope)
            rows = iter(listing)
            first = next(rows)
            at_first = len(reads)
            rest = list(rows)
    finally:
        engine.dispose()
    assert at_first == 1, reads
    total = 1 + len(rest)
    assert len(reads) == 1 + (total - 1 + 1) // 2, (total, reads)  # chunks of 1, 2, 2, …
    assert [first["id"], *(r["id"] for r in rest)] == sorted(r["id"] for r in [first, *rest])
    assert listing.open_seen == any(
        r["status"] == "open" and r["settled"] is None for r in [first, *rest]
    )


def test_a_bad_subject_is_refused_before_detection_writes(run, seeded_db):
    """The listing is read after detection commits: its filters are checked first."""
    from conftest import file_bytes

    before = file_bytes(seeded_db)  # no detection run yet: the first would write questions
    result = run("conflicts", "--subject", "Nobody", code=2)
    assert "'Nobody'" in result.output and len(result.output.strip().splitlines()) == 1
    assert file_bytes(seeded_db) == before


def test_sources_and_speakers_are_read_once_per_listing(seeded_db, run, monkeypatch):
    """Chunks of questions share their sources and speakers: each is read for the first
    chunk that cites it, not again for every chunk (a few hundred sources are cited by
    every chunk at a million claims). The rows are those of a listing made whole."""
    import re

    from sqlalchemy import event

    whole = json.loads(run("conflicts", "--json", "--status", "all").stdout)
    monkeypatch.setattr(listingmod, "FIRST_ROWS_CHUNK", 1)
    monkeypatch.setattr(listingmod, "ROWS_CHUNK", 1)
    engine = dbmod.make_engine(str(seeded_db))
    read: dict[str, list[int]] = {"sources": [], "properties": []}

    @event.listens_for(engine, "before_cursor_execute")
    def note(conn, cursor, statement, parameters, context, executemany):
        for table in read:
            found = re.search(rf"FROM {table}\s+WHERE {table}\.id IN \(([\d,]*)\)", statement)
            if found:
                read[table] += [int(i) for i in found.group(1).split(",")]

    try:
        with dbmod.reading_session(engine) as session:
            scope = conflicts.listing_scope(session, status="all")
            rows = list(conflicts.Listing(session, scope))
    finally:
        engine.dispose()

    def cited(listed: list) -> dict:
        return {
            (r["id"], a["claim"], a["stance"]): (r["subject"], r["property"], a["citations"])
            for r in listed
            for a in r["answers"]
        }

    assert len(rows) == len(whole) > 2
    assert cited(rows) == cited(whole)
    for table, ids in read.items():
        assert ids and len(ids) == len(set(ids)), (table, ids)
