"""The ``entities:`` section of an import file: what it writes, row by row.

These tests pin the database content an import leaves (entities, aliases and their
history rows, with their ids), the counts it reports and every error it lists, so the
way the section is written can change without changing what it does.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import file_bytes
from sqlalchemy import create_engine, text

from provenance import entities

# the database before the import, through `entity add`
BEFORE = [
    ["Qais al-Khazali", "--kind", "person", "--alias", "Qayis Khazali"],
    ["Hadi al-Amiri", "--kind", "person"],
    ["Badr Organisation", "--kind", "organisation", "--description", "Armed group"],
    ["Kata'ib Hezbollah"],
]

ENTITIES = [
    # 1 new, with an alias equal to the name once normalised and one given twice
    {
        "name": "Asa'ib Ahl al-Haq",
        "kind": "organisation",
        "aliases": ["AAH", "Asaib Ahl al Haq", "League of the Righteous", "aah"],
    },
    # 2 existing by name; no kind (stays person); one alias known, one new
    {"name": "Qais al-Khazali", "aliases": ["Qays al-Khazali", "QAYIS KHAZALI"]},
    # 3 existing once normalised; a kind spelled the American way; a description; one alias as a
    # string
    {
        "name": "Kataib Hezbollah",
        "kind": "organization",
        "description": "Iraqi militia",
        "aliases": "KH",
    },
    # 4 a new name whose alias names an entity: the entry adds to that entity, and its
    #   own name becomes an alias of it
    {"name": "Badr Corps", "aliases": ["Badr Organisation"]},
    # 5 existing, same kind, a description where there was none
    {"name": "Hadi al-Amiri", "kind": "person", "description": "Leader of Badr"},
    # 6 new
    {
        "name": "Popular Mobilization Forces",
        "kind": "organisation",
        "aliases": ["PMF", "Hashd al-Shaabi"],
    },
    # 7 the entity of entry 6 again, by its alias, with one more alias
    {"name": "PMF", "aliases": ["al-Hashd al-Shaabi"]},
    # 8 entry 6 repeated
    {"name": "Popular Mobilization Forces", "kind": "organisation", "aliases": ["PMF"]},
    # 9 new, kind given as an alias of a kind
    {"name": "Ain al-Assad", "kind": "location"},
    # 10, 11 new, then described and given an alias by a later entry
    {"name": "Qasem Soleimani", "kind": "person"},
    {
        "name": "Qasem Soleimani",
        "kind": "person",
        "description": "Quds Force commander",
        "aliases": ["Suleimani"],
    },
]

# what the import adds: entities (id, name, kind, description), aliases (id, entity_id,
# name, normalised), history of the entities that existed (table, row_id, action, actor,
# changes, summary), and who added the new rows by which command (the change they carry)
ADDED = {
    "entities": [
        (5, "Asa'ib Ahl al-Haq", "organisation", None),
        (6, "Popular Mobilization Forces", "organisation", None),
        (7, "Ain al-Assad", "place", None),
        (8, "Qasem Soleimani", "person", "Quds Force commander"),
    ],
    "entities_changed": [
        (2, "Hadi al-Amiri", "person", "Leader of Badr"),
        (4, "Kata'ib Hezbollah", "organisation", "Iraqi militia"),
    ],
    "aliases": [
        (6, 5, "Asa'ib Ahl al-Haq", "asaib ahl al haq"),
        (7, 5, "AAH", "aah"),
        (8, 5, "League of the Righteous", "league of the righteous"),
        (9, 1, "Qays al-Khazali", "qays al khazali"),
        (10, 4, "KH", "kh"),
        (11, 3, "Badr Corps", "badr corps"),
        (12, 6, "Popular Mobilization Forces", "popular mobilization forces"),
        (13, 6, "PMF", "pmf"),
        (14, 6, "Hashd al-Shaabi", "hashd al shaabi"),
        (15, 6, "al-Hashd al-Shaabi", "al hashd al shaabi"),
        (16, 7, "Ain al-Assad", "ain al assad"),
        (17, 8, "Qasem Soleimani", "qasem soleimani"),
        (18, 8, "Suleimani", "suleimani"),
    ],
    "history": [
        (
            "entities",
            4,
            "update",
            "tester",
            {"kind": ["other", "organisation"], "description": [None, "Iraqi militia"]},
            'entity "Kata\'ib Hezbollah" updated',
        ),
        (
            "entities",
            2,
            "update",
            "tester",
            {"description": [None, "Leader of Badr"]},
            "entity 'Hadi al-Amiri' updated",
        ),
        (
            "entities",
            8,
            "update",
            "tester",
            {"description": [None, "Quds Force commander"]},
            "entity 'Qasem Soleimani' updated",
        ),
    ],
}
ADDED["inserted_by"] = [("tester", "import")]
# the names new to the database: entities' own names and aliases
NEW_NAMES = 13


def dump(db) -> dict[str, list[tuple]]:
    """Entities, aliases and history rows of a database, in id order."""
    url = db if "://" in str(db) else f"sqlite:///{db}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                "entities": [
                    tuple(r)
                    for r in connection.execute(
                        text("SELECT id, name, kind, description FROM entities ORDER BY id")
                    )
                ],
                "aliases": [
                    tuple(r)
                    for r in connection.execute(
                        text("SELECT id, entity_id, name, normalised FROM aliases ORDER BY id")
                    )
                ],
                "history": [
                    tuple(r)
                    for r in connection.execute(
                        text(
                            "SELECT h.id, h.table_name, h.row_id, h.action, c.actor, h.changes,"
                            " h.summary FROM history h JOIN changes c ON c.id = h.change_id"
                            " ORDER BY h.id"
                        )
                    )
                ],
                # (table, id, actor, command) of every entity and alias by its change
                "inserted_by": [
                    tuple(r)
                    for table in ("entities", "aliases")
                    for r in connection.execute(
                        text(
                            f"SELECT '{table}', t.id, c.actor, c.command FROM {table} t"
                            " LEFT JOIN changes c ON c.id = t.change_id ORDER BY t.id"
                        )
                    )
                ],
            }
    finally:
        engine.dispose()


def added(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Rows new in ``after``, and entities whose row changed; history without ids but in order."""
    old_entities = {r[0]: r for r in before["entities"]}
    old_alias_ids = {r[0] for r in before["aliases"]}
    old_history_ids = {r[0] for r in before["history"]}
    return {
        "entities": [r for r in after["entities"] if r[0] not in old_entities],
        "entities_changed": [
            r for r in after["entities"] if r[0] in old_entities and old_entities[r[0]] != r
        ],
        "aliases": [r for r in after["aliases"] if r[0] not in old_alias_ids],
        "history": [_history(r) for r in after["history"] if r[0] not in old_history_ids],
        "inserted_by": sorted(
            {
                (actor, command)
                for table, row_id, actor, command in after["inserted_by"]
                if row_id not in (old_entities if table == "entities" else old_alias_ids)
            }
        ),
    }


def _history(row: tuple) -> tuple:
    import json

    _, table, row_id, action, actor, changes, summary = row
    if isinstance(changes, str):  # SQLite hands JSON back as text
        changes = json.loads(changes)
    return (table, row_id, action, actor, changes, summary)


def write_yaml(tmp_path, name: str, content: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.fixture(params=[None, 1, 3], ids=["batch-default", "batch-1", "batch-3"])
def batch(request, monkeypatch):
    """Entries written a batch at a time: results must not depend on where batches end."""
    if request.param:
        monkeypatch.setattr(entities, "ENTITY_BATCH_SIZE", request.param)
    return request.param


@pytest.fixture
def desk(run, db_path):
    """A fresh database holding the entities of BEFORE."""
    run("init")
    for args in BEFORE:
        run("entity", "add", *args)
    return db_path


def test_entities_section_writes_new_and_existing_entities(run, desk, tmp_path, batch):
    before = dump(desk)
    path = write_yaml(tmp_path, "desk.yaml", {"entities": ENTITIES})
    output = run("import", path).output
    assert output.splitlines() == [
        "imported desk.yaml: 0 record(s), 0 new claim(s), 0 already known, 0 new citation(s),"
        f" {NEW_NAMES} new entity name(s)"
    ]
    after = dump(desk)
    assert added(before, after) == ADDED
    # the entities of BEFORE that the file does not change are as they were
    unchanged = {1, 3}
    assert [r for r in after["entities"] if r[0] in unchanged] == [
        r for r in before["entities"] if r[0] in unchanged
    ]
    assert after["aliases"][: len(before["aliases"])] == before["aliases"]
    assert after["history"][: len(before["history"])] == before["history"]


def test_reimporting_an_entities_section_adds_nothing(run, desk, tmp_path):
    path = write_yaml(tmp_path, "desk.yaml", {"entities": ENTITIES})
    run("import", path)
    first = dump(desk)
    output = run("import", path).output
    assert output.splitlines() == [
        "imported desk.yaml: 0 record(s), 0 new claim(s), 0 already known, 0 new citation(s)"
    ]
    assert dump(desk) == first


def test_entities_section_entries_apply_in_file_order(run, desk, tmp_path, batch):
    # one entity given three times: each kind other than "other" that differs is an update
    path = write_yaml(
        tmp_path,
        "kinds.yaml",
        {
            "entities": [
                {"name": "Fatah Alliance", "kind": "alliance"},
                {"name": "Fatih Alliance", "aliases": ["Fatah Alliance"], "kind": "organisation"},
                {"name": "Fatah Alliance", "kind": "other"},
                {"name": "fatah alliance", "kind": "alliance", "aliases": ["Fatih Alliance"]},
            ]
        },
    )
    before = dump(desk)
    output = run("import", path).output
    assert output.splitlines()[0].endswith("0 new citation(s), 2 new entity name(s)")
    assert added(before, dump(desk)) == {
        "entities": [(5, "Fatah Alliance", "alliance", None)],
        "entities_changed": [],
        "aliases": [
            (6, 5, "Fatah Alliance", "fatah alliance"),
            (7, 5, "Fatih Alliance", "fatih alliance"),
        ],
        "inserted_by": [("tester", "import")],
        "history": [
            (
                "entities",
                5,
                "update",
                "tester",
                {"kind": ["alliance", "organisation"]},
                "entity 'Fatah Alliance' updated",
            ),
            (
                "entities",
                5,
                "update",
                "tester",
                {"kind": ["organisation", "alliance"]},
                "entity 'Fatah Alliance' updated",
            ),
        ],
    }


BAD_ENTITIES = {
    "sources": [{"slug": "wire", "title": "Wire"}],
    "properties": [{"name": "killed", "type": "quantity"}],
    "entities": [
        {"name": "Muqtada al-Sadr", "kind": "person", "aliases": ["Moqtada al-Sadr"]},
        "just a name",
        {"name": "Harakat al-Nujaba", "colour": "green"},
        {"kind": "person"},
        {"name": "  "},
        {"name": "'-'"},
        {"name": "Basra", "kind": "city"},
        {"name": "Najaf", "aliases": {"short": "Najaf"}},
        {"name": "Kufa", "aliases": ["Al-Kufa", ""]},
        {"name": "Karbala", "aliases": ["Kerbala", "-'-"]},
        {"name": "Hadi al-Amiri", "aliases": ["Qayis Khazali"]},
        # two entities: one of the database, one named by entry 1
        {"name": "Sadr Movement", "aliases": ["Moqtada al-Sadr", "Hadi al-Amiri"]},
        {"name": "Muqtada al-Sadr", "kind": "person", "description": "cleric"},
    ],
    "claims": [
        {"source": "wire", "subject": "Muqtada al-Sadr", "property": "killed", "value": 3},
        # the hint names the property the properties section added
        {"source": "wire", "subject": "Moqtada al-Sadr", "property": "wounded", "value": 3},
    ],
}

BAD_ENTITIES_ERRORS = [
    "entities entry 2 ('just a name'): expected a mapping of name, kind, aliases, description",
    (
        "entities entry 3 ('Harakat al-Nujaba'): unknown key 'colour': expected name, kind,"
        " aliases, description"
    ),
    "entities entry 4 (None): empty name None: expected a name such as 'Qais al-Khazali'",
    "entities entry 5 ('  '): empty name '  ': expected a name such as 'Qais al-Khazali'",
    (
        "entities entry 6 (\"'-'\"): name \"'-'\" has no letters or digits: expected a name such as"
        " 'Qais al-Khazali'"
    ),
    (
        "entities entry 7 ('Basra'): entity kind 'city': expected one of person, organisation,"
        " place, event, alliance, other"
    ),
    "entities entry 8 ('Najaf'): aliases {'short': 'Najaf'}: expected a list of names",
    "entities entry 9 ('Kufa'): empty alias '': expected a name such as 'Qais al-Khazali'",
    (
        "entities entry 10 ('Karbala'): alias \"-'-\" has no letters or digits: expected a name"
        " such as 'Qais al-Khazali'"
    ),
    (
        "entities entry 11 ('Hadi al-Amiri'): names of 'Hadi al-Amiri' already belong to two"
        " entities, 'Hadi al-Amiri' and 'Qais al-Khazali': merge them by hand or use different"
        " names"
    ),
    (
        "entities entry 12 ('Sadr Movement'): names of 'Sadr Movement' already belong to two"
        " entities, 'Muqtada al-Sadr' and 'Hadi al-Amiri': merge them by hand or use different"
        " names"
    ),
    (
        "record 2, field 'property': unknown property 'wounded': expected a property of the"
        " vocabulary; see `provenance properties`"
    ),
]


def test_bad_entities_are_listed_by_number_and_nothing_is_written(run, desk, tmp_path, batch):
    path = write_yaml(tmp_path, "bad.yaml", BAD_ENTITIES)
    before = file_bytes(desk)
    result = run("import", path, code=2)
    assert "Traceback" not in result.output
    assert result.output.splitlines() == [
        f"Error: {path}: {len(BAD_ENTITIES_ERRORS)} bad record(s); nothing imported",
        *(f"  {line}" for line in BAD_ENTITIES_ERRORS),
    ]
    assert file_bytes(desk) == before
    # a dry run lists the same
    assert run("import", path, "--dry-run", code=2).output == result.output
    assert file_bytes(desk) == before


def test_an_alias_of_another_entity_is_refused(run, desk, tmp_path):
    path = write_yaml(
        tmp_path,
        "taken.yaml",
        {"entities": [{"name": "Qais al-Khazali", "aliases": ["Hadi al-Amiri", "Qays"]}]},
    )
    before = file_bytes(desk)
    result = run("import", path, code=2)
    assert result.output.splitlines()[1:] == [
        "  entities entry 1 ('Qais al-Khazali'): names of 'Qais al-Khazali' already belong to two"
        " entities, 'Qais al-Khazali' and 'Hadi al-Amiri': merge them by hand or use different"
        " names"
    ]
    assert file_bytes(desk) == before


def test_entity_add_writes_the_same_rows(run, db_path):
    run("init")
    outputs = [run("entity", "add", *args).output.strip() for args in BEFORE]
    assert outputs == [
        "entity 1 'Qais al-Khazali': added 'Qais al-Khazali', 'Qayis Khazali'",
        "entity 2 'Hadi al-Amiri': added 'Hadi al-Amiri'",
        "entity 3 'Badr Organisation': added 'Badr Organisation'",
        'entity 4 "Kata\'ib Hezbollah": added "Kata\'ib Hezbollah"',
    ]
    assert (
        run("entity", "add", "qayis khazali", "--kind", "person").output.strip()
        == "entity 1 'Qais al-Khazali': nothing new"
    )
    assert run(
        "entity",
        "add",
        "Kataib Hezbollah",
        "--kind",
        "organisation",
        "--alias",
        "KH",
        "--alias",
        "kh",
    ).output.strip() == ("entity 4 \"Kata'ib Hezbollah\": added 'KH'")
    assert added({"entities": [], "aliases": [], "history": []}, dump(db_path)) == {
        "entities": [
            (1, "Qais al-Khazali", "person", None),
            (2, "Hadi al-Amiri", "person", None),
            (3, "Badr Organisation", "organisation", "Armed group"),
            (4, "Kata'ib Hezbollah", "organisation", None),
        ],
        "entities_changed": [],
        "aliases": [
            (1, 1, "Qais al-Khazali", "qais al khazali"),
            (2, 1, "Qayis Khazali", "qayis khazali"),
            (3, 2, "Hadi al-Amiri", "hadi al amiri"),
            (4, 3, "Badr Organisation", "badr organisation"),
            (5, 4, "Kata'ib Hezbollah", "kataib hezbollah"),
            (6, 4, "KH", "kh"),
        ],
        "inserted_by": [("tester", "entity add")],
        "history": [
            (
                "entities",
                4,
                "update",
                "tester",
                {"kind": ["other", "organisation"]},
                'entity "Kata\'ib Hezbollah" updated',
            ),
        ],
    }
