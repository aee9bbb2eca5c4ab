"""Detection only when the evidence changed (provenance.detection_key): `conflicts` on an
unchanged database lists what a forced detection lists, without the detection query, and
every kind of change to the evidence makes the next listing detect it — on both back
ends (run with PROVENANCE_TEST_BACKEND=postgresql for PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml
from sqlalchemy import delete, inspect, select, text

from provenance import detection
from provenance.db import make_engine, session_scope
from provenance.models import LastDetection

PROPERTIES = [
    {"name": "killed", "type": "quantity", "unit": "people"},
    {"name": "member_of", "type": "entity", "multi": True},
    {"name": "headcount", "type": "quantity", "time_varying": True},
]
ENTITIES = [
    {"name": "Kataib Hezbollah", "kind": "organisation"},
    {"name": "Popular Mobilization Forces", "kind": "organisation"},
    {"name": "Badr Organization", "kind": "organisation"},
]
SOURCES = [
    {"slug": "s1", "title": "one", "kind": "website", "reliability": "B", "published": "2018-09"},
    {"slug": "s2", "title": "two", "kind": "website", "reliability": "C", "published": "2021-03"},
    {"slug": "s3", "title": "three", "kind": "website", "reliability": "A", "published": "2018-10"},
]


def _claim(source: str, subject: str, prop: str, value: str, **extra: Any) -> dict:
    return {"source": source, "subject": subject, "property": prop, "value": value, **extra}


CLAIMS = [
    # a conflict: two sources, two counts
    _claim("s1", "Karbala attack", "killed", "10"),
    _claim("s2", "Karbala attack", "killed", "20"),
    # no conflict while "KH" is not a name of Kataib Hezbollah: the scopes differ
    _claim("s1", "Najaf attack", "killed", "5", qualifiers={"by": "Kataib Hezbollah"}),
    _claim("s2", "Najaf attack", "killed", "7", qualifiers={"by": "KH"}),
    # no conflict while member_of is multi-valued
    _claim("s1", "Saraya al-Salam", "member_of", "Popular Mobilization Forces"),
    _claim("s2", "Saraya al-Salam", "member_of", "Badr Organization"),
    # time-varying, undated: each scoped to its source's publication (2018-10, 2021-03)
    _claim("s3", "Badr Organization", "headcount", "10000"),
    _claim("s2", "Badr Organization", "headcount", "20000"),
]


@pytest.fixture
def world(run, tmp_path):
    path = tmp_path / "world.yaml"
    path.write_text(
        yaml.safe_dump(
            {"properties": PROPERTIES, "entities": ENTITIES, "sources": SOURCES, "claims": CLAIMS}
        ),
        encoding="utf-8",
    )
    run("init")
    run("import", path)
    return path


@pytest.fixture
def detections(monkeypatch) -> list[int]:
    """How many times the detection query's result was grouped into questions: one per
    detection that ran (the key is read first, the query only when it moved)."""
    runs: list[int] = []
    questions = detection._questions

    def counted(pairs):
        runs.append(1)
        return questions(pairs)

    monkeypatch.setattr(detection, "_questions", counted)
    return runs


def _listed(run, *args: str, db: str | None = None) -> str:
    return run("conflicts", "--status", "all", "--json", *args, db=db).stdout


def _active(listing: str) -> dict[str, int]:
    """Subject → number of answers, of the questions detected now."""
    return {r["subject"]: len(r["answers"]) for r in json.loads(listing) if r["active"]}


def _forget(db_path) -> None:
    """Wipe what the last detection saw: the next `conflicts` must detect."""
    engine = make_engine(str(db_path))
    try:
        with session_scope(engine) as session:
            session.execute(delete(LastDetection))
    finally:
        engine.dispose()


def _stored_key(db_path) -> tuple[int, int] | None:
    engine = make_engine(str(db_path))
    try:
        with session_scope(engine) as session:
            row = session.execute(
                select(LastDetection.evidence_change_id, LastDetection.changes_seen)
            ).first()
            return (row[0], row[1]) if row else None
    finally:
        engine.dispose()


def _claim_ids(run) -> dict[tuple[str, str], int]:
    return {(c["subject"], c["value"]): c["id"] for c in json.loads(run("claims", "--json").stdout)}


def _citation(run, claim_id: int) -> int:
    return json.loads(run("show", claim_id, "--json").stdout)["citations"][0]["id"]


def _file(tmp_path, claims: list[dict]):
    path = tmp_path / "more.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}), encoding="utf-8")
    return path


def _karbala(run) -> int:
    (row,) = [r for r in json.loads(_listed(run)) if r["subject"] == "Karbala attack"]
    return row["id"]


BEFORE = {
    "Karbala attack": 2,
}


@dataclass
class Change:
    """A command that changes the evidence, and the questions detected after it."""

    command: Callable[[Any, dict, Any], list]
    after: dict[str, int]
    setup: list[Callable[[Any, dict, Any], list]] = field(default_factory=list)


KARBALA_20 = ("Karbala attack", "20")
CHANGES = {
    "add": Change(
        lambda run, ids, tmp: [
            *("add", "--source", "s3", "--subject", "Karbala attack"),
            *("--property", "killed", "--value", "30", "--confidence", "high"),
        ],
        {"Karbala attack": 3},
    ),
    "import": Change(
        lambda run, ids, tmp: [
            "import",
            _file(
                tmp,
                [
                    _claim("s1", "Basra attack", "killed", "3"),
                    _claim("s2", "Basra attack", "killed", "4"),
                ],
            ),
        ],
        {"Karbala attack": 2, "Basra attack": 2},
    ),
    "citation edit": Change(
        lambda run, ids, tmp: [
            *("citation", "edit", _citation(run, ids[KARBALA_20]), "--source", "s1"),
            *("--reason", "both counts are in one report"),
        ],
        {},
    ),
    "citation retract": Change(
        lambda run, ids, tmp: [
            *("citation", "retract", _citation(run, ids[KARBALA_20])),
            *("--reason", "misread"),
        ],
        {},
    ),
    "claim deprecate": Change(
        lambda run, ids, tmp: ["claim", "deprecate", ids[KARBALA_20], "--reason", "a typo"],
        {},
    ),
    "claim prefer": Change(
        lambda run, ids, tmp: ["claim", "prefer", ids[KARBALA_20]],
        {"Karbala attack": 2},
    ),
    "alias add": Change(
        lambda run, ids, tmp: ["alias", "add", "Kataib Hezbollah", "KH"],
        {"Karbala attack": 2, "Najaf attack": 2},
    ),
    "alias remove": Change(
        lambda run, ids, tmp: [
            *("alias", "remove", "Kataib Hezbollah", "KH"),
            *("--reason", "KH is another group"),
        ],
        {"Karbala attack": 2},
        setup=[lambda run, ids, tmp: ["alias", "add", "Kataib Hezbollah", "KH"]],
    ),
    "entity rename": Change(
        lambda run, ids, tmp: [
            *("entity", "rename", "Kataib Hezbollah", "Kata'ib Hizballah"),
            *("--reason", "the house spelling"),
        ],
        {"Karbala attack": 2},
    ),
    "property edit": Change(
        lambda run, ids, tmp: ["property", "add", "member_of", "--type", "entity"],
        {"Karbala attack": 2, "Saraya al-Salam": 2},
    ),
    "source edit": Change(
        lambda run, ids, tmp: [
            *("source", "edit", "s2", "--published", "2018-10"),
            *("--reason", "the print edition"),
        ],
        {"Karbala attack": 2, "Badr Organization": 2},
    ),
    "source confidential": Change(
        lambda run, ids, tmp: [
            *("source", "edit", "s1", "--confidential"),
            *("--reason", "protects a person"),
        ],
        {"Karbala attack": 2},
    ),
    "source copy-of": Change(
        lambda run, ids, tmp: ["source", "copy-of", "s2", "s1"],
        {},
    ),
    "source not-copy": Change(
        lambda run, ids, tmp: ["source", "not-copy", "s2"],
        {"Karbala attack": 2},
        setup=[lambda run, ids, tmp: ["source", "copy-of", "s2", "s1"]],
    ),
    "resolve": Change(
        lambda run, ids, tmp: [
            *("resolve", _karbala(run), "--status", "resolved", "--answer"),
            *(ids[KARBALA_20], "--note", "the register"),
        ],
        {"Karbala attack": 2},
    ),
}


def test_a_rerun_with_nothing_changed_does_not_detect(world, run, db_path, detections):
    first = _listed(run)
    assert len(detections) == 1 and _active(first) == BEFORE, first
    key = _stored_key(db_path)
    assert key is not None and key[0] > 0, key
    again = _listed(run)
    assert len(detections) == 1, "an unchanged database was detected again"
    assert again == first
    assert run("conflicts").stdout == run("conflicts").stdout
    assert len(detections) == 1
    assert _stored_key(db_path) == key


def test_an_unchanged_database_lists_what_a_forced_detection_lists(seeded_db, run, detections):
    run("conflicts")
    formats = [
        ("--json",),
        ("--csv",),
        ("--nl",),
        ("--json", "--explain"),
        ("--status", "all", "--json"),
        ("--status", "all"),
    ]
    reused = [run("conflicts", *args).stdout for args in formats]
    runs = len(detections)
    _forget(seeded_db)
    forced = [run("conflicts", *args).stdout for args in formats[:1]]
    assert len(detections) == runs + 1, "forgetting the key did not force a detection"
    forced += [run("conflicts", *args).stdout for args in formats[1:]]
    assert len(detections) == runs + 1
    assert reused == forced


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_change_of_the_evidence_is_detected_by_the_next_listing(
    world, run, db_path, tmp_path, detections, change
):
    case = CHANGES[change]
    for step in case.setup:
        run(*step(run, _claim_ids(run), tmp_path))
    _listed(run)
    key = _stored_key(db_path)
    runs = len(detections)
    _listed(run)
    assert len(detections) == runs, "nothing changed, yet detection ran"

    run(*case.command(run, _claim_ids(run), tmp_path))
    after = _listed(run)
    # the change command itself (a correction re-detects in its transaction) or this
    # listing detected: either way a detection read the changed evidence
    assert len(detections) > runs, f"{change}: the listing after it did not detect"
    assert _stored_key(db_path) != key, change
    assert _active(after) == case.after, (change, after)

    runs = len(detections)
    listed = _listed(run)
    assert len(detections) == runs, f"{change}: detected again with nothing new"
    _forget(db_path)
    assert _listed(run) == listed, f"{change}: a forced detection lists something else"
    assert len(detections) == runs + 1


def test_a_change_to_the_rules_detects_again(world, run, detections, monkeypatch):
    _listed(run)
    runs = len(detections)
    monkeypatch.setattr(detection, "RULES_VERSION", detection.RULES_VERSION + 1)
    monkeypatch.setattr(detection, "_FINGERPRINTS", {})
    _listed(run)
    assert len(detections) == runs + 1


@pytest.mark.postgres
def test_a_change_committed_late_under_a_lower_id_is_detected(pg_url, run, tmp_path):
    """On PostgreSQL a change gets its id when it begins: one begun earlier can commit
    after a later one, and after a `conflicts` that read the later one's id. The count
    of changes up to the key's id makes the next `conflicts` see it."""
    from provenance import entities, history

    path = tmp_path / "world.yaml"
    path.write_text(
        yaml.safe_dump(
            {"properties": PROPERTIES, "entities": ENTITIES, "sources": SOURCES, "claims": CLAIMS}
        ),
        encoding="utf-8",
    )
    run("init", db=pg_url)
    run("import", path, db=pg_url)
    engine = make_engine(pg_url)
    try:
        with session_scope(engine) as early:
            history.begin_change(early, "editor-a", "alias add", {})
            entities.add_alias(early, "Kataib Hezbollah", "KH", "editor-a")  # id n, open
            with session_scope(engine) as later:
                history.begin_change(later, "editor-b", "alias add", {})
                entities.add_alias(later, "Popular Mobilization Forces", "Hashd", "editor-b")
            # n + 1 is committed: this run's key is n + 1, and it cannot see n
            assert _active(_listed(run, db=pg_url)) == BEFORE
        # n is committed now, under a lower id than the key the last run stored
        assert _active(_listed(run, db=pg_url)) == {"Karbala attack": 2, "Najaf attack": 2}
    finally:
        engine.dispose()


def _counts(db_path) -> dict[str, int]:
    engine = make_engine(str(db_path))
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in sorted(ENTERED)
            }
    finally:
        engine.dispose()


# the rows a user entered, and the questions with their history
ENTERED = (
    "sources",
    "entities",
    "aliases",
    "properties",
    "claims",
    "claim_qualifiers",
    "citations",
    "conflicts",
    "conflict_answers",
    "changes",
    "history",
)


def test_0017_keeps_what_detection_saw_and_steps_down_dropping_only_that(
    world, run, db_path, detections
):
    """Up, `conflicts` stores the key it detected on; down to 0015, the table goes and every
    other row stays; up again, the next `conflicts` detects (no key) and lists the same."""
    from provenance import db as dbmod

    listed = _listed(run)
    counts = _counts(db_path)
    assert _stored_key(db_path) is not None
    engine = make_engine(str(db_path))
    try:
        dbmod.downgrade(engine, "0015")
        assert "last_detection" not in inspect(engine).get_table_names()
        assert _counts(db_path) == counts
        dbmod.migrate(engine)
    finally:
        engine.dispose()
    assert _stored_key(db_path) is None and _counts(db_path) == counts
    runs = len(detections)
    assert _listed(run) == listed
    assert len(detections) == runs + 1 and _stored_key(db_path) is not None
