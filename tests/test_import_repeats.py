"""Records that repeat an earlier record's words: an import reuses what it checked, so a
repeat must be judged, stored and reported exactly as if it came alone."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.sqlite_only

HEADER = {
    "sources": [{"slug": s, "title": s.title()} for s in ("wire-a", "wire-b", "wire-c")],
    "properties": [
        {"name": "killed", "type": "quantity", "unit": "people"},
        {"name": "leader", "type": "entity", "time_varying": True},
    ],
    "entities": [{"name": "Qais al-Khazali", "kind": "person", "aliases": ["Qays al-Khazali"]}],
}
COLUMNS = [
    "source",
    "subject",
    "property",
    "value",
    "attributed_to",
    "confidence",
    "as_of",
    "qualifiers",
    "rank",
    "rank_reason",
    "note",
]


def _file(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _setup(run, tmp_path):
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    run("init")
    run("import", header)


def _rows(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_a_repeated_claim_is_one_claim_whatever_evidence_and_batch(run, db_path, tmp_path):
    _setup(run, tmp_path)
    base = {"subject": "Karbala attack", "property": "killed", "value": "5"}
    rows = []
    for i in range(5000):  # several batches; the same words again and again, far apart too
        rows.append(
            {
                **base,
                "source": ("wire-a", "wire-b", "wire-c")[i % 3],
                "attributed_to": f"Speaker {i % 7}",
                "confidence": "high",
            }
        )
        rows.append(
            {
                "source": "wire-a",
                "subject": f"Event {i}",
                "property": "killed",
                "value": str(i % 40),
                "confidence": "low",
            }
        )
    run("import", _file(tmp_path / "claims.csv", rows))
    # one claim for the attack, one citation per (source, speaker): 21, however often repeated
    [(claim_id, citations)] = _rows(
        db_path,
        "select c.id, count(t.id) from claims c join citations t on t.claim_id = c.id join entities"
        " e on e.id = c.subject_id where e.name = 'Karbala attack' group by c.id",
    )
    assert citations == 21
    assert _rows(db_path, "select count(*) from claims")[0][0] == 5001
    # every citation and claim carries the import's change: who, when, which file
    [(change, command, file_name, sha256)] = _rows(
        db_path,
        "select id, command, file_name, file_sha256 from changes where id ="
        f" (select change_id from claims where id = {claim_id})",
    )
    assert (command, file_name) == ("import", "claims.csv")
    assert sha256 == hashlib.sha256((tmp_path / "claims.csv").read_bytes()).hexdigest()
    assert _rows(db_path, f"select count(*) from citations where change_id = {change}") == [(5021,)]
    assert _rows(db_path, "select count(*) from citations where change_id is null") == [(0,)]
    # importing it again adds nothing, not even a change
    before = (
        _rows(db_path, "select count(*) from history"),
        _rows(db_path, "select count(*) from changes"),
    )
    result = run("import", tmp_path / "claims.csv")
    assert "0 new claim(s)" in result.output
    assert (
        _rows(db_path, "select count(*) from history"),
        _rows(db_path, "select count(*) from changes"),
    ) == before


def test_a_later_confidence_of_a_repeated_citation_updates_it(run, db_path, tmp_path):
    _setup(run, tmp_path)
    row = {
        "source": "wire-a",
        "subject": "Karbala attack",
        "property": "killed",
        "value": "5",
        "confidence": "low",
    }
    run("import", _file(tmp_path / "first.csv", [row, {**row, "note": "checked"}]))
    # within one batch the later record's confidence and note are the citation's
    assert _rows(db_path, "select confidence, note from citations") == [("low", "checked")]
    run(
        "import",
        _file(tmp_path / "second.csv", [row, {**row, "confidence": "high", "note": "checked"}]),
    )
    assert _rows(db_path, "select confidence, note from citations") == [("high", "checked")]


def test_a_repeat_with_one_bad_field_is_reported_by_its_first_bad_field(run, db_path, tmp_path):
    _setup(run, tmp_path)
    good = {
        "source": "wire-a",
        "subject": "Karbala attack",
        "property": "killed",
        "value": "5",
        "confidence": "high",
    }
    rows = [
        good,
        {**good, "source": "no-such-wire"},  # the claim's words were fine before: the source is bad
        {**good, "confidence": "certain"},
        {**good, "source": "no-such-wire", "value": "many"},  # two bad fields: the first is named
        {**good, "value": "many"},
        good,
    ]
    before = db_path.read_bytes() if db_path.exists() else b""
    result = run("import", _file(tmp_path / "claims.csv", rows), code=2)
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Error:") and "4" in lines[0]
    fields = [line.strip().split(",")[1].split(":")[0].strip() for line in lines[1:]]
    assert [line.strip().split(",")[0] for line in lines[1:]] == [
        "record 2",
        "record 3",
        "record 4",
        "record 5",
    ]
    assert fields == ["field 'source'", "field 'confidence'", "field 'source'", "field 'value'"]
    assert db_path.read_bytes() == before


def test_records_of_one_claim_must_agree_on_its_rank_each_time(run, db_path, tmp_path):
    _setup(run, tmp_path)
    preferred = {
        "source": "wire-a",
        "subject": "Qais al-Khazali",
        "property": "killed",
        "value": "5",
        "rank": "preferred",
    }
    deprecated = {
        **preferred,
        "value": "5.0",
        "source": "wire-b",
        "rank": "deprecated",
        "rank_reason": "a typo",
    }
    result = run(
        "import",
        _file(tmp_path / "claims.csv", [preferred, deprecated, preferred, deprecated]),
        code=2,
    )
    assert [line.strip().split(",")[0] for line in result.output.strip().splitlines()[1:]] == [
        "record 2",
        "record 4",
    ]


def test_a_name_seen_first_as_a_qualifier_then_as_a_subject(run, db_path, tmp_path):
    _setup(run, tmp_path)
    scoped = {
        "source": "wire-a",
        "subject": "Asa'ib Ahl al-Haq",
        "property": "leader",
        "value": "Qais al-Khazali",
        "as_of": "2018",
        "qualifiers": "election=Fatah Alliance list",
    }
    rows = [
        scoped,
        {"source": "wire-b", "subject": "Fatah Alliance list", "property": "killed", "value": "0"},
        {**scoped, "source": "wire-c"},
    ]
    run("import", _file(tmp_path / "claims.csv", rows))
    # one claim for both records of the same words, cited twice
    assert (
        _rows(
            db_path,
            "select count(*) from claims c join properties p on p.id = c.property_id where p.name ="
            " 'leader'",
        )[0][0]
        == 1
    )
    assert (
        _rows(
            db_path,
            "select count(*) from citations t join claims c on c.id = t.claim_id join properties p"
            " on p.id = c.property_id where p.name = 'leader'",
        )[0][0]
        == 2
    )
    # the same file as JSON Lines gives the same claims, citations and qualifiers
    other = tmp_path / "other.db"
    lines = tmp_path / "claims.jsonl"
    lines.write_text(
        "".join(json.dumps({k: v for k, v in r.items() if v}) + "\n" for r in rows),
        encoding="utf-8",
    )
    run("--db", other, "init")
    run("--db", other, "import", tmp_path / "header.yaml")
    run("--db", other, "import", lines)
    sql = (
        "select c.value, c.scope_key, q.key, q.normalised from claims c left join claim_qualifiers"
        " q on q.claim_id = c.id order by c.id"
    )
    assert _rows(other, sql) == _rows(db_path, sql)


VALUE_COLUMNS = (
    "value, value_key, quantity_low, quantity_high, quantity_low_exclusive,"
    " quantity_high_exclusive, quantity_approximate, unit, date_earliest, date_latest,"
    " text_value, boolean_value, as_of, valid_from, valid_to, scope_earliest, scope_latest,"
    " scope_key"
)


def test_claims_in_the_same_words_after_their_subject_store_what_one_alone_stores(
    run, db_path, tmp_path
):
    """A value, unit and dates are checked once per import and reused for every record in
    the same words: each claim must hold the columns that record would give alone."""
    _setup(run, tmp_path)
    values = ("5", "about 40", "10-12", "more than 3", "~2000")
    dates = ("2020", "", "2021-03")
    rows = [
        {
            "source": "wire-a",
            "subject": f"Town {i}",
            "property": "killed",
            "value": values[i % 5],
            "as_of": dates[i % 3],
            "confidence": "low",
        }
        for i in range(4500)  # three batches
    ]
    # the first claim again, from another source, two batches later: one claim
    rows.append({**rows[0], "source": "wire-b"})
    # an entity value in the same words for many subjects, in both spellings of one name
    leaders = [
        {
            "source": "wire-c",
            "subject": f"Town {i}",
            "property": "leader",
            "value": ("Qais al-Khazali", "Qays al-Khazali", "Hadi al-Amiri")[i % 3],
            "as_of": "2019",
        }
        for i in range(3000)
    ]
    run("import", _file(tmp_path / "claims.csv", rows + leaders))
    [(qais,)] = _rows(db_path, "select id from entities where name = 'Qais al-Khazali'")
    [(hadi,)] = _rows(db_path, "select id from entities where name = 'Hadi al-Amiri'")
    assert _rows(
        db_path,
        "select entity_value_id, value_key, count(*) from claims where entity_value_id is not null"
        " group by entity_value_id, value_key order by entity_value_id",
    ) == sorted([(qais, f"e:{qais}", 2000), (hadi, f"e:{hadi}", 1000)])
    # each distinct value and scope alone, in a database of its own
    alone = tmp_path / "alone.db"
    run("init", db=alone)
    run("import", tmp_path / "header.yaml", db=alone)
    single = [{**rows[i], "subject": f"Alone {i}"} for i in range(15)]
    run("import", _file(tmp_path / "alone.csv", single), db=alone)
    expected = {
        (r[0], r[12] or ""): r
        for r in _rows(alone, f"select {VALUE_COLUMNS} from claims")  # value as given, as_of
    }
    assert len(expected) == 15
    stored = _rows(db_path, f"select {VALUE_COLUMNS} from claims where entity_value_id is null")
    assert len(stored) == 4500
    for row in stored:
        assert row == expected[(row[0], row[12] or "")]
    [(citations,)] = _rows(
        db_path,
        "select count(*) from citations t join claims c on c.id = t.claim_id"
        " join entities e on e.id = c.subject_id"
        " where e.name = 'Town 0' and c.entity_value_id is null",
    )
    assert citations == 2
    result = run("import", tmp_path / "claims.csv")
    assert "0 new claim(s)" in result.output
    assert _rows(db_path, "select count(*) from claims") == [(7500,)]
