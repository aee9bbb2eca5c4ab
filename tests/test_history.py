"""History as changesets: one change per writing command, the change's id on every row it
inserted, a history row (old → new) for what it did to rows that existed — read by
`log` and `show`, left out of the public copy, and converted both ways by 0008."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from provenance import db as dbmod
from provenance import history
from provenance.models import Entity, Property


def _rows(target, sql: str, **params) -> list[tuple]:
    engine = dbmod.make_engine(str(target))
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def _changes(target) -> list[tuple]:
    return _rows(target, "SELECT id, actor, command, arguments FROM changes ORDER BY id")


def _arguments(value):
    return json.loads(value) if isinstance(value, str) else value


def test_a_writing_command_is_one_change_and_its_rows_carry_it(run, db_path):
    run("init")
    run("entity", "add", "Hadi al-Amiri", "--kind", "person", "--alias", "Amiri", actor="alice")
    [(change, actor, command, arguments)] = _changes(db_path)
    assert (actor, command) == ("alice", "entity add")
    assert _arguments(arguments) == {
        "name": "Hadi al-Amiri",
        "kind": "person",
        "aliases": ["Amiri"],
    }
    assert _rows(db_path, "SELECT name, change_id FROM entities") == [("Hadi al-Amiri", change)]
    assert _rows(db_path, "SELECT name, change_id FROM aliases ORDER BY id") == [
        ("Hadi al-Amiri", change),
        ("Amiri", change),
    ]
    # an insert is said by the row's change, not by a history row of its own
    assert _rows(db_path, "SELECT count(*) FROM history") == [(0,)]
    log = json.loads(run("log", "--json").output)
    assert [(h["change"], h["actor"], h["action"], h["table"]) for h in log] == [
        (change, "alice", "insert", "aliases"),
        (change, "alice", "insert", "aliases"),
        (change, "alice", "insert", "entities"),
    ]


def test_an_import_is_one_change_with_its_file_and_sha256(run, db_path, tmp_path):
    run("init")
    path = tmp_path / "desk.yaml"
    path.write_text(
        "sources:\n  - {slug: wire, title: Wire}\n"
        "properties:\n  - {name: killed, type: quantity}\n"
        "claims:\n  - {source: wire, subject: Karbala attack, property: killed, value: '5'}\n",
        encoding="utf-8",
    )
    run("import", path, actor="bob")
    [(change, actor, command, name, sha256)] = _rows(
        db_path, "SELECT id, actor, command, file_name, file_sha256 FROM changes"
    )
    assert (actor, command, name) == ("bob", "import", "desk.yaml")
    assert sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    for table in ("sources", "properties", "entities", "aliases", "claims", "citations"):
        assert _rows(db_path, f"SELECT DISTINCT change_id FROM {table}") == [(change,)], table
    # the same file again writes nothing: no change either
    run("import", path, actor="bob")
    assert len(_changes(db_path)) == 1


def test_a_command_that_writes_nothing_leaves_no_change(run, seeded_db):
    run("conflicts")  # the first detection stores the questions: one change
    changes, log = _changes(seeded_db), run("log", "--json").output
    run("conflicts")
    run("claims")
    run("entity", "add", "Qais al-Khazali")
    assert _changes(seeded_db) == changes
    assert run("log", "--json").output == log


def test_updates_keep_old_and_new_and_point_to_their_change(run, seeded_db):
    claim = json.loads(run("claims", "--json").output)[0]["id"]
    run("claim", "deprecate", claim, "--reason", "misread", actor="carol")
    [(change, actor, command, arguments)] = _changes(seeded_db)[-1:]
    assert (actor, command) == ("carol", "claim deprecate")
    assert _arguments(arguments) == {"claim_id": str(claim), "reason": "misread"}
    [(table, row_id, action, changes)] = _rows(
        seeded_db,
        "SELECT table_name, row_id, action, changes FROM history WHERE change_id = :c",
        c=change,
    )
    assert (table, row_id, action) == ("claims", claim, "update")
    assert _arguments(changes)["rank"] == ["normal", "deprecated"]
    [latest] = json.loads(run("log", "--json", "--limit", "1").output)
    assert (latest["change"], latest["actor"], latest["command"], latest["summary"]) == (
        change,
        "carol",
        "claim deprecate",
        "deprecated: misread",
    )
    table_output = run("log", "--actor", "carol").output
    assert "carol" in table_output and "deprecated: misread" in table_output


def test_show_says_who_added_each_citation_and_when(run, db_path):
    run("init")
    run("source", "add", "wire-a", "--title", "Wire A")
    run("source", "add", "wire-b", "--title", "Wire B")
    run("property", "add", "killed", "--type", "quantity")
    common = ["--subject", "Karbala attack", "--property", "killed", "--value", "5"]
    run("add", "--source", "wire-a", *common, actor="alice")
    run("add", "--source", "wire-b", *common, actor="bob")
    [claim] = json.loads(run("claims", "--json").output)
    assert len(claim["citations"]) == 2, claim
    chain = json.loads(run("show", claim["id"], "--json").output)
    added = [(h["table"], h["action"], h["actor"]) for h in chain["history"]]
    assert added == [
        ("claims", "insert", "alice"),
        ("citations", "insert", "alice"),
        ("citations", "insert", "bob"),
    ]
    assert all(h["at"] for h in chain["history"])
    shown = run("show", claim["id"]).output
    history_lines = shown.split("history:")[1].strip().splitlines()
    assert [line.split()[1:4] for line in history_lines] == [
        ["alice", "insert", "claims"],
        ["alice", "insert", "citations"],
        ["bob", "insert", "citations"],
    ]


def test_record_keeps_earlier_callers_working(run, db_path):
    """`history.record(session, table, row_id, action, actor, changes, summary)` still
    works: an insert stamps the row with the session's change, an update is a history row
    of it, and a library caller without a declared command gets a change for its actor."""
    run("init")
    engine = dbmod.make_engine(str(db_path))
    try:
        with Session(engine) as session, session.begin():
            prop = Property(name="killed", datatype="quantity")
            session.add(prop)
            session.flush()
            history.record(session, "properties", prop.id, "insert", "dora", {"name": "killed"})
            prop.unit = "people"
            history.record(
                session,
                "properties",
                prop.id,
                "update",
                "dora",
                {"unit": [None, "people"]},
                "unit set",
            )
            basra = Entity(name="Basra", kind="place")
            session.add(basra)
            session.flush()
            before = {"kind": basra.kind, "description": basra.description}
            basra.description = "a city"
            after = {"kind": basra.kind, "description": basra.description}
            assert history.updated(session, "entities", basra.id, before, before, "no-op") == {}
            history.updated(session, "entities", basra.id, before, after, "described")
    finally:
        engine.dispose()
    [(change, actor, command, _)] = _changes(db_path)
    assert (actor, command) == ("dora", None)
    assert _rows(db_path, "SELECT change_id FROM properties") == [(change,)]
    assert _rows(db_path, "SELECT change_id FROM entities") == [(change,)]
    rows = _rows(
        db_path, "SELECT change_id, table_name, action, changes, summary FROM history ORDER BY id"
    )
    assert [(*r[:3], _arguments(r[3]), r[4]) for r in rows] == [
        (change, "properties", "update", {"unit": [None, "people"]}, "unit set"),
        (change, "entities", "update", {"description": [None, "a city"]}, "described"),
    ]


def test_the_public_copy_has_no_changes_and_no_actors(run, seeded_db, tmp_path):
    run("source", "add", "informant", "--title", "Informant", "--confidential")
    run(
        "add",
        "--source",
        "informant",
        "--subject",
        "Karbala attack",
        "--property",
        "date",
        "--value",
        "2007-01-21",
        actor="secret-editor-x",
    )
    out = tmp_path / "public.db"
    run("publish", out)
    tables = {r[0] for r in _rows(out, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"changes", "history"} & tables
    for table in ("claims", "citations", "sources"):
        columns = {r[1] for r in _rows(out, f"PRAGMA table_info({table})")}
        assert "change_id" not in columns, table
    data = out.read_bytes()
    assert b"secret-editor-x" not in data and b"tester" not in data
    assert b"informant" not in data.lower()


def _facts(target) -> tuple[list[tuple], list[tuple]]:
    """Who inserted each row and when; every other history row with its who and when —
    read from either shape."""
    engine = dbmod.make_engine(str(target))
    try:
        names = {c["name"] for c in inspect(engine).get_columns("history")}
    finally:
        engine.dispose()
    tables = history.TRACKED_TABLES
    if "change_id" in names:  # changesets
        inserts = [
            (table, *r)
            for table in tables
            for r in _rows(
                target,
                f"SELECT t.id, c.actor, c.at FROM {table} t JOIN changes c ON c.id = t.change_id",
            )
        ]
        others = _rows(
            target,
            "SELECT h.table_name, h.row_id, h.action, c.actor, c.at, h.changes, h.summary"
            " FROM history h JOIN changes c ON c.id = h.change_id ORDER BY h.id",
        )
    else:
        inserts = _rows(
            target,
            "SELECT table_name, row_id, actor, at FROM history WHERE action = 'insert'",
        )
        others = _rows(
            target,
            "SELECT table_name, row_id, action, actor, at, changes, summary FROM history"
            " WHERE action <> 'insert' ORDER BY id",
        )
    normal = [(t, r, a, str(at)) for t, r, a, at in inserts]
    return sorted(normal), [(*o[:4], str(o[4]), _arguments(o[5]), o[6]) for o in others]


def test_0008_converts_history_up_and_down_without_losing_a_fact(run, seeded_db):
    """Down to the revision before 0008 every inserted row has its insert history row again
    (actor, time), and updates their actor and time; up again the same facts come from
    changes."""
    claims = json.loads(run("claims", "--json").output)
    run("claim", "deprecate", claims[0]["id"], "--reason", "misread", actor="carol")
    run("claim", "prefer", claims[1]["id"], "--note", "confirmed", actor="dan")
    run("conflicts")
    inserts, others = _facts(seeded_db)
    assert {t for t, *_ in inserts} >= {"sources", "entities", "claims", "citations"}
    assert any(o[:4] == ("claims", claims[0]["id"], "update", "carol") for o in others)
    engine = dbmod.make_engine(str(seeded_db))
    try:
        dbmod.downgrade(engine, "0009")
        assert "changes" not in inspect(engine).get_table_names()
        down_inserts, down_others = _facts(seeded_db)
        assert (down_inserts, down_others) == (inserts, others)
        # rows of earlier releases: an insert row of a table that carries no change, and
        # one of a row that is not there, stay history rows through the upgrade
        with engine.begin() as connection:
            for row_id in (1, 999_999):
                connection.execute(
                    text(
                        "INSERT INTO history (table_name, row_id, action, actor, at, summary)"
                        " VALUES (:t, :r, 'insert', 'erin', :at, 'kept')"
                    ),
                    {
                        "t": "source_copies" if row_id == 1 else "claims",
                        "r": row_id,
                        "at": "2026-11-30 09:00:00",
                    },
                )
        dbmod.migrate(engine)
        up_inserts, up_others = _facts(seeded_db)
        assert up_inserts == inserts
        assert up_others[: len(others)] == others
        assert [(*o[:4], o[6]) for o in up_others[len(others) :]] == [
            ("source_copies", 1, "insert", "erin", "kept"),
            ("claims", 999_999, "insert", "erin", "kept"),
        ]
    finally:
        engine.dispose()
    # the database works on after the round trip: log, show and a new change
    assert json.loads(run("log", "--json", "--limit", "1").output)
    run("claim", "deprecate", claims[2]["id"], "--reason", "superseded")
    chain = json.loads(run("show", claims[0]["id"], "--json").output)
    assert ("claims", "update", "carol") in [
        (h["table"], h["action"], h["actor"]) for h in chain["history"]
    ]
