"""Migrations are code: single head, upgrade, downgrade and up again, models match DDL."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from provenance import db as dbmod
from provenance.models import Base

TABLES = {
    "sources",
    "works",
    "footnotes",
    "footnote_markers",
    "footnote_works",
    "entities",
    "aliases",
    "properties",
    "claims",
    "claim_qualifiers",
    "citations",
    "conflicts",
    "conflict_answers",
    "history",
}


def test_single_head():
    script = ScriptDirectory.from_config(dbmod.alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()


def _backends(request):
    return request.param


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite_only),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = dbmod.make_engine(str(tmp_path / "migrate.db"), create=True)
    else:
        engine = dbmod.make_engine(request.getfixturevalue("pg_url"))
    yield engine
    engine.dispose()


def test_upgrade_from_empty_creates_every_table(engine):
    dbmod.migrate(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert dbmod.current_revision(engine) == dbmod.head_revision()


def test_models_match_migrated_schema(engine):
    dbmod.migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], differences


def test_downgrade_to_base_and_up_again(engine):
    dbmod.migrate(engine)
    dbmod.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    dbmod.migrate(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_every_revision_steps_down_and_up(engine):
    script = ScriptDirectory.from_config(dbmod.alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    for revision in revisions:
        dbmod.migrate(engine, revision.revision)
        dbmod.downgrade(engine, revision.down_revision or "base")
        dbmod.migrate(engine, revision.revision)
    assert dbmod.current_revision(engine) == dbmod.head_revision()


@pytest.mark.sqlite_only
def test_sqlite_connections_enforce_the_documented_settings(tmp_path):
    engine = dbmod.make_engine(str(tmp_path / "settings.db"), create=True)
    dbmod.migrate(engine)
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == dbmod.BUSY_TIMEOUT_MS
        assert pragma("cache_size") == -dbmod.CACHE_KIB
    engine.dispose()


# table: (index dropped by 0002, the unique constraint whose leading columns cover it)
COVERED_INDEXES = {
    "citations": ("ix_citations_claim_id", ("claim_id", "fingerprint")),
    "claim_qualifiers": ("ix_claim_qualifiers_claim_id", ("claim_id", "key")),
}


def _index_names(engine, table):
    return {index["name"] for index in inspect(engine).get_indexes(table)}


# 0005 turns conflicts into questions and back (tested on its own below): a round trip
# through it keeps every verdict but not the row counts of these
QUESTION_TABLES = {"conflicts", "conflict_answers", "history"}


def _row_counts(engine):
    from sqlalchemy import text

    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in sorted(TABLES - QUESTION_TABLES)
        }


def test_0002_drops_only_indexes_a_unique_one_covers_and_keeps_every_row(seeded_db, run):
    """Lookups by claim keep an index (the unique one), rows and conflicts are unchanged."""
    engine = dbmod.make_engine(str(seeded_db))
    listed = run("conflicts", "--json").output  # detection stores what it finds: count after it
    counts = _row_counts(engine)
    assert counts["claims"] and counts["citations"] and counts["claim_qualifiers"], counts
    for table, (index, covering) in COVERED_INDEXES.items():
        assert index not in _index_names(engine, table)
        unique = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints(table)}
        assert covering in unique, unique

    dbmod.downgrade(engine, "0001")
    for table, (index, _covering) in COVERED_INDEXES.items():
        assert index in _index_names(engine, table)
    assert _row_counts(engine) == counts

    dbmod.migrate(engine)
    for table, (index, _covering) in COVERED_INDEXES.items():
        assert index not in _index_names(engine, table)
    assert _row_counts(engine) == counts
    assert run("conflicts", "--json").output == listed
    engine.dispose()


@pytest.mark.sqlite_only
def test_lookups_by_claim_use_the_unique_indexes_on_sqlite(seeded_db):
    import sqlite3

    connection = sqlite3.connect(seeded_db)
    plans = {
        sql: " ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, (1,)))
        for sql in (
            "SELECT * FROM citations WHERE claim_id = ?",
            "SELECT * FROM claim_qualifiers WHERE claim_id = ?",
        )
    }
    connection.close()
    assert (
        "USING INDEX sqlite_autoindex_citations_1 (claim_id=?)"
        in plans["SELECT * FROM citations WHERE claim_id = ?"]
    ), plans
    assert (
        "USING INDEX sqlite_autoindex_claim_qualifiers_1 (claim_id=?)"
        in plans["SELECT * FROM claim_qualifiers WHERE claim_id = ?"]
    ), plans


def _execute(engine, sql, **params):
    from sqlalchemy import text

    with engine.begin() as connection:
        return (
            connection.execute(text(sql), params).all()
            if sql.lstrip().startswith("SELECT")
            else connection.execute(text(sql), params)
        )


def test_0005_turns_pairwise_conflicts_into_questions_and_back(seeded_db, run):
    """The release date of the seeds was two pairwise conflicts (2010-01 against
    2009-10/2009-12 and against 2009-12) with different verdicts: up, it is one question
    with the furthest verdict, the other kept in history; down, the pairs again."""
    engine = dbmod.make_engine(str(seeded_db))
    claims = json.loads(run("claims", "--json", "--subject", "Release of Qais al-Khazali").output)
    by_value = {c["value"]: c["id"] for c in claims if c["property"] == "date"}
    jan, end_2009, dec = by_value["2010-01"], by_value["2009-10/2009-12"], by_value["2009-12"]
    dbmod.downgrade(engine, "0004")
    _execute(engine, "DELETE FROM conflicts")
    now = "2026-12-01 10:00:00"
    for pair_id, (a, b, status, note) in enumerate(
        [
            (jan, end_2009, "confirmed", "the two dates disagree"),
            (jan, dec, "resolved", "CENTCOM: released January 2010"),
        ],
        start=1,
    ):
        _execute(
            engine,
            "INSERT INTO conflicts (id, claim_a_id, claim_b_id, kind, status, note, status_by,"
            " status_at, active, first_detected_at, last_detected_at)"
            " VALUES (:id, :a, :b, 'date', :status, :note, 'editor', :at, :active, :at, :at)",
            id=pair_id,
            a=min(a, b),
            b=max(a, b),
            status=status,
            note=note,
            at=now,
            active=True,
        )
        _execute(
            engine,
            "INSERT INTO history (table_name, row_id, action, actor, at, summary)"
            " VALUES ('conflicts', :id, 'update', 'editor', :at, :summary)",
            id=pair_id,
            at=now,
            summary=f"verdict: {status}",
        )
    if engine.dialect.name == "postgresql":  # rows written with their ids: move the sequence on
        _execute(engine, "SELECT setval(pg_get_serial_sequence('conflicts', 'id'), 2)")
    history_before = _execute(engine, "SELECT count(*) FROM history")[0][0]

    dbmod.migrate(engine, "0005")  # later, 0008 turns insert rows into changes
    (question,) = _execute(engine, "SELECT id, status, note, status_by, kind FROM conflicts")
    assert tuple(question) == (1, "resolved", "CENTCOM: released January 2010", "editor", "date")
    answers = _execute(engine, "SELECT claim_id, stance FROM conflict_answers ORDER BY claim_id")
    assert sorted(map(tuple, answers)) == sorted(
        [(jan, "asserts"), (end_2009, "asserts"), (dec, "asserts")]
    )
    history = _execute(
        engine,
        "SELECT row_id, summary, changes FROM history WHERE table_name = 'conflicts' ORDER BY id",
    )
    assert len(_execute(engine, "SELECT id FROM history")) > history_before
    assert all(row_id == 1 for row_id, _, _ in history), history  # re-pointed to the question
    summaries = [summary for _, summary, _ in history]
    assert "verdict: confirmed" in summaries and "verdict: resolved" in summaries
    assert "merged pairwise conflict 2 (resolved) into question 1" in summaries, summaries
    kept = [c for _, s, c in history if (s or "").startswith("question takes the furthest")]
    assert len(kept) == 1 and "the two dates disagree" in str(kept[0]), history
    dbmod.migrate(engine)
    listed = json.loads(run("conflicts", "--status", "all", "--json").output)
    (row,) = [r for r in listed if r["property"] == "date"]
    assert row["id"] == 1 and row["status"] == "resolved" and len(row["answers"]) == 3

    dbmod.downgrade(engine, "0004")
    pairs = _execute(engine, "SELECT claim_a_id, claim_b_id, status, note FROM conflicts")
    date_pairs = {(a, b) for a, b, status, note in pairs if {a, b} <= {jan, end_2009, dec}}
    assert date_pairs == {(min(jan, end_2009), max(jan, end_2009)), (min(jan, dec), max(jan, dec))}
    assert all(
        (status, note) == ("resolved", "CENTCOM: released January 2010")
        for a, b, status, note in pairs
        if (a, b) in date_pairs
    )
    dbmod.migrate(engine)
    assert dbmod.current_revision(engine) == dbmod.head_revision()


def _readings(engine):
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT fw.id, fw.title, fw.citation, fw.collection FROM footnote_works fw"
                " ORDER BY fw.id"
            )
        ).all()


def _work_descriptions(engine):
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT fw.id, w.title, w.citation, c.title FROM footnote_works fw"
                " JOIN works w ON w.id = fw.work_id LEFT JOIN works c ON c.id = w.collection_id"
                " ORDER BY fw.id"
            )
        ).all()


def test_0003_keeps_each_notes_reading_and_steps_down_with_every_row(seeded_db):
    """Each cited work keeps its note's reading; down to 0002 and up again loses no row."""
    engine = dbmod.make_engine(str(seeded_db))
    readings = _readings(engine)
    assert readings and all(r.citation for r in readings)
    assert any(r.collection == "The Qays al-Khazali Papers" for r in readings)
    counts = _row_counts(engine)
    works = _work_descriptions(engine)

    dbmod.downgrade(engine, "0002")
    columns = {c["name"] for c in inspect(engine).get_columns("footnote_works")}
    assert not {"title", "citation", "collection"} & columns
    assert _row_counts(engine) == counts

    dbmod.migrate(engine)
    assert _row_counts(engine) == counts
    # filled from the works the rows point to: the description they had before 0003
    assert [tuple(r) for r in _readings(engine)] == [tuple(r) for r in works]
    engine.dispose()


def _legacy_fingerprint(source_id, quote_start, quote_end, footnote_id, speaker, stance):
    # a citation's identity within its claim, as the importer computes it (the SHA-1 of the
    # JSON list of its identity fields); written out here so a changed formula shows
    import hashlib

    text = json.dumps([source_id, quote_start, quote_end, footnote_id, speaker, stance])
    return hashlib.sha1(text.encode()).hexdigest()


def _speakers(engine):
    return {
        cid: (name, fingerprint)
        for cid, name, fingerprint in _execute(
            engine,
            "SELECT ci.id, e.name, ci.fingerprint FROM citations ci"
            " JOIN entities e ON e.id = ci.attributed_to_id ORDER BY ci.id",
        )
    }


def test_0010_scopes_each_citations_generic_speaker_to_its_source_and_back(seeded_db, run):
    """Before the ingest rule, "Iraqi officials (anonymous, MEE)" was one entity that an
    AP-like citation of another source could name too. Up, each citation gets the speaker
    of its own document, created as ingest creates it, with history and a fingerprint that
    a re-import matches; a named speaker is left alone. Down, all as it was."""
    engine = dbmod.make_engine(str(seeded_db))
    mee, ctc = (
        _execute(engine, "SELECT id FROM sources WHERE slug = :slug", slug=slug)[0][0]
        for slug in ("mee-iran-intelligence-rivalry-iraq-2021", "ctc-khazali-interrogations-2018")
    )
    listed = json.loads(run("conflicts", "--status", "all", "--json").output)
    dbmod.downgrade(engine, "0007")
    # the legacy shape: a global generic speaker, used in MEE and in CTC
    _execute(
        engine,
        "INSERT INTO entities (name, kind, created_at)"
        " VALUES ('Iraqi officials (anonymous, MEE)', 'other', '2026-11-21 10:00:00')",
    )
    (legacy,) = _execute(
        engine, "SELECT id FROM entities WHERE name = 'Iraqi officials (anonymous, MEE)'"
    )[0]
    _execute(
        engine,
        "INSERT INTO aliases (entity_id, name, normalised, created_at) VALUES"
        " (:id, 'Iraqi officials (anonymous, MEE)', 'iraqi officials (anonymous, mee)',"
        " '2026-11-21 10:00:00')",
        id=legacy,
    )
    scoped_mee = _execute(
        engine,
        "SELECT ci.id FROM citations ci JOIN entities e ON e.id = ci.attributed_to_id"
        " WHERE e.name = :name",
        name=f"Iraqi officials (source {mee})",
    )
    other = _execute(
        engine,
        "SELECT min(id) FROM citations WHERE source_id = :ctc AND attributed_to_id IS NULL",
        ctc=ctc,
    )
    moved = sorted([r[0] for r in scoped_mee] + [other[0][0]])
    assert len(moved) >= 2, moved
    for cid in moved:
        (row,) = _execute(
            engine,
            "SELECT source_id, quote_start, quote_end, footnote_id, stance FROM citations"
            " WHERE id = :id",
            id=cid,
        )
        s, qs, qe, fn, stance = row
        _execute(
            engine,
            "UPDATE citations SET attributed_to_id = :e, fingerprint = :fp WHERE id = :id",
            e=legacy,
            fp=_legacy_fingerprint(s, qs, qe, fn, legacy, stance),
            id=cid,
        )
    before = _speakers(engine)
    named_before = {cid: v for cid, v in before.items() if cid not in moved}
    entities_before = _execute(engine, "SELECT count(*) FROM entities")[0][0]
    history_before = _execute(engine, "SELECT count(*) FROM history")[0][0]

    dbmod.migrate(engine)
    after = _speakers(engine)
    assert {cid: after[cid] for cid in named_before} == named_before  # named speakers stay
    for cid in moved:
        (row,) = _execute(
            engine,
            "SELECT source_id, quote_start, quote_end, footnote_id, attributed_to_id, stance"
            " FROM citations WHERE id = :id",
            id=cid,
        )
        document = mee if row[0] == mee else ctc
        assert after[cid][0] == f"Iraqi officials (anonymous, MEE) (source {document})"
        assert after[cid][1] == _legacy_fingerprint(*row)
    created = _execute(
        engine,
        "SELECT e.name, e.kind, a.normalised FROM entities e JOIN aliases a ON a.entity_id = e.id"
        " WHERE e.name LIKE 'Iraqi officials (anonymous, MEE) (source %' ORDER BY e.id",
    )
    assert [tuple(r) for r in created] == [
        (
            f"Iraqi officials (anonymous, MEE) (source {n})",
            "other",
            f"iraqi officials (anonymous, mee) (source {n})",
        )
        for n in sorted({mee, ctc})
    ], created
    assert _execute(engine, "SELECT count(*) FROM entities WHERE id = :id", id=legacy)[0][0] == 1
    history = _execute(
        engine,
        "SELECT h.table_name, h.row_id, h.action, h.summary FROM history h"
        " JOIN changes c ON c.id = h.change_id WHERE c.actor = 'migration 0010'",
    )
    assert sorted(r[1] for r in history if r[0] == "citations") == moved
    made = _execute(
        engine,
        "SELECT e.name FROM entities e JOIN changes c ON c.id = e.change_id"
        " WHERE c.actor = 'migration 0010'",
    )
    assert len(made) == 2, made
    assert any(
        s == f"generic speaker 'Iraqi officials (anonymous, MEE)' scoped to source {ctc}:"
        f" 'Iraqi officials (anonymous, MEE) (source {ctc})'"
        for _, _, _, s in history
    ), history
    # re-detection finds the same questions
    relisted = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert [
        (r["id"], r["subject"], r["property"], [a["claim"] for a in r["answers"]]) for r in relisted
    ] == [
        (r["id"], r["subject"], r["property"], [a["claim"] for a in r["answers"]]) for r in listed
    ]
    # what the desk reads: the claims listing names each citation's own speaker
    speakers = {
        c["id"]: c["attributed_to"]
        for claim in json.loads(run("claims", "--json").output)
        for c in claim["citations"]
    }
    assert speakers[other[0][0]] == f"Iraqi officials (anonymous, MEE) (source {ctc})"

    dbmod.downgrade(engine, "0007")
    assert _speakers(engine) == before
    assert _execute(engine, "SELECT count(*) FROM entities")[0][0] == entities_before
    assert _execute(engine, "SELECT count(*) FROM history")[0][0] == history_before
    dbmod.migrate(engine)  # up again: the same speakers (new ids on PostgreSQL)
    assert {cid: name for cid, (name, _) in _speakers(engine).items()} == {
        cid: name for cid, (name, _) in after.items()
    }


def test_0006_adds_retraction_and_quote_parts_and_steps_down_keeping_every_reason(seeded_db, run):
    """Up, a citation can be retracted and hold quote parts; down, the columns go, each
    retraction's reason is kept in history, and no row is lost; up again, all is live."""
    engine = dbmod.make_engine(str(seeded_db))
    run("citation", "retract", "173", "--reason", "misread the raid")
    counts = _row_counts(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("citations")}
    assert {"retracted_at", "retracted_by", "retraction_reason", "quote_parts"} <= columns

    dbmod.downgrade(engine, "0008")
    columns = {c["name"] for c in inspect(engine).get_columns("citations")}
    assert not {"retracted_at", "retracted_by", "retraction_reason", "quote_parts"} & columns
    assert _row_counts(engine) == counts
    (kept,) = _execute(
        engine,
        "SELECT h.row_id, c.actor, h.summary FROM history h JOIN changes c ON c.id = h.change_id"
        " WHERE h.summary LIKE 'retraction dropped%'",
    )
    assert tuple(kept) == (173, "migration 0006 downgrade", "retraction dropped by downgrade"
                           " (it was: misread the raid)")  # fmt: skip

    dbmod.migrate(engine)
    assert _row_counts(engine) == counts
    assert _execute(engine, "SELECT count(*) FROM citations WHERE retracted_at IS NOT NULL") == [
        (0,)
    ]
    engine.dispose()


def test_0015_stores_trust_and_steps_down_dropping_only_the_stored_result(seeded_db, run):
    """Up, `conflicts` stores what trust learned; down to 0011, the learned tables and
    their indexes go and every row a user entered stays; up again, the next run learns it
    anew and lists the same leading answers."""
    engine = dbmod.make_engine(str(seeded_db))
    listed = json.loads(run("conflicts", "--json", "--status", "all").output)
    counts = _row_counts(engine)
    learned = _execute(engine, "SELECT evidence, COUNT(*) FROM learned_answers GROUP BY evidence")
    assert learned and learned[0][0] == "all" and learned[0][1] > 0, learned
    assert _execute(engine, "SELECT COUNT(*) FROM learned_sources")[0][0] > 0

    dbmod.downgrade(engine, "0011")
    tables = set(inspect(engine).get_table_names())
    assert not {t for t in tables if t.startswith("learned")}, tables
    indexes = {i["name"] for i in inspect(engine).get_indexes("claims")}
    assert "ix_claims_change_id" not in indexes
    assert _row_counts(engine) == counts

    dbmod.migrate(engine)
    assert _row_counts(engine) == counts
    assert _execute(engine, "SELECT COUNT(*) FROM learned_trust")[0][0] == 0
    again = json.loads(run("conflicts", "--json", "--status", "all").output)
    assert [(r["id"], r["leading_value"]) for r in again] == [
        (r["id"], r["leading_value"]) for r in listed
    ]
    assert _execute(engine, "SELECT evidence, COUNT(*) FROM learned_answers GROUP BY evidence") == (
        learned
    )
    engine.dispose()


def test_0020_stores_likely_copies_and_steps_down_dropping_only_them(run, db_path, tmp_path):
    """Up, `conflicts` stores the likely copies soft copy detection found; down to 0017
    the table goes and every row a user entered stays; up again, stored results are stale
    and the next run learns the same pairs and leading answers."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks" / "truth"))
    import generator

    spec = generator.Spec(
        seed=1, **{**generator.WORLDS["bad-copies"], "subjects": 60, "copy_rate": 0.9}
    )
    generator.generate(tmp_path / "world", spec)
    run("init")
    run("import", tmp_path / "world" / "header.yaml")
    run("import", tmp_path / "world" / "claims.csv")
    listed = json.loads(run("conflicts", "--json", "--status", "all").output)
    engine = dbmod.make_engine(str(db_path))
    pairs = _execute(
        engine, "SELECT * FROM learned_dependence ORDER BY document_id, other_document_id"
    )
    assert pairs, "no likely copies stored"
    counts = _row_counts(engine)

    dbmod.downgrade(engine, "0017")
    assert "learned_dependence" not in set(inspect(engine).get_table_names())
    assert _row_counts(engine) == counts

    dbmod.migrate(engine)
    assert _execute(engine, "SELECT COUNT(*) FROM learned_trust")[0][0] == 0
    again = json.loads(run("conflicts", "--json", "--status", "all").output)
    assert [(r["id"], r["leading_value"]) for r in again] == [
        (r["id"], r["leading_value"]) for r in listed
    ]
    assert (
        _execute(engine, "SELECT * FROM learned_dependence ORDER BY document_id, other_document_id")
        == pairs
    )
    engine.dispose()
