"""Exact is exact (SPEC §2): a property's tolerance widens only approximate input; % and
percent are one unit; migration 0004 recomputes stored intervals, up and down, with data."""

from __future__ import annotations

import json

import pytest
import yaml
from alembic.script import ScriptDirectory
from conftest import file_bytes
from sqlalchemy import inspect, text

from provenance import db as dbmod

# the revision 0004 follows: downgrading to it undoes 0004 alone
_BEFORE_0004 = (
    ScriptDirectory.from_config(dbmod.alembic_config()).get_revision("0004").down_revision
)

SOURCES = [
    {"slug": "wire-a", "title": "Wire A", "kind": "website", "reliability": "B"},
    {"slug": "wire-b", "title": "Wire B", "kind": "website", "reliability": "C"},
]
PROPERTIES = [
    {"name": "killed", "type": "quantity", "unit": "people", "tolerance": 0.2},
    {"name": "turnout", "type": "quantity", "unit": "percent"},
]


def _import(run, tmp_path, claims, name="claims.yaml"):
    path = tmp_path / name
    path.write_text(
        yaml.safe_dump({"sources": SOURCES, "properties": PROPERTIES, "claims": claims}),
        encoding="utf-8",
    )
    return run("import", path)


def _claim(source, value, prop="killed", subject="Erbil rocket attack", **extra):
    return {"source": source, "subject": subject, "property": prop, "value": value, **extra}


def _claims(run):
    return {c["id"]: c for c in json.loads(run("claims", "--json").output)}


def _pairs(run):
    """Each question as the set of its answers' values."""
    return {
        frozenset(answer["value"] for answer in row["answers"])
        for row in json.loads(run("conflicts", "--json").output)
    }


def test_five_killed_and_six_killed_conflict_whatever_the_tolerance(run, tmp_path):
    run("init")
    _import(run, tmp_path, [_claim("wire-a", "5"), _claim("wire-b", "6")])
    assert _pairs(run) == {frozenset({"5", "6"})}


def test_only_approximate_input_is_widened_by_the_tolerance(run, tmp_path):
    run("init")
    _import(
        run,
        tmp_path,
        [
            _claim("wire-a", "5"),
            _claim("wire-b", "about 6"),  # 4.8 .. 7.2 at the property's 0.2
            _claim("wire-a", "10", subject="Karbala attack"),
            _claim("wire-b", "nearly 12", subject="Karbala attack"),  # 9.6 .. 14.4
            _claim("wire-a", "dozens", subject="Baghdad protests"),
            _claim("wire-b", "hundreds", subject="Baghdad protests"),
            _claim("wire-b", "7", subject="Basra protests"),
            _claim("wire-a", "several hundred", subject="Basra protests"),
        ],
    )
    assert _pairs(run) == {frozenset({"7", "several hundred"})}
    stored = {c["value"]: c for c in _claims(run).values()}
    assert stored["5"]["value"] == "5"
    shown = json.loads(run("show", stored["about 6"]["id"], "--json").output)
    assert shown["value"] == "about 6"


def test_percent_and_the_percent_sign_are_one_unit(run, tmp_path):
    run("init")
    _import(
        run,
        tmp_path,
        [
            _claim("wire-a", "41%", prop="turnout", subject="2021 Iraqi election"),
            _claim("wire-b", "41 percent", prop="turnout", subject="2021 Iraqi election"),
            _claim("wire-b", "44", prop="turnout", subject="2018 Iraqi election", unit="per cent"),
        ],
    )
    claims = list(_claims(run).values())
    assert len(claims) == 2, claims  # "41%" and "41 percent": one claim, two citations
    by_subject = {c["subject"]: c for c in claims}
    assert len(by_subject["2021 Iraqi election"]["citations"]) == 2
    assert {c["unit"] for c in claims} == {"%"}
    (prop,) = [p for p in json.loads(run("properties", "--json").output) if p["name"] == "turnout"]
    assert prop["unit"] == "%"
    output = run(
        "add",
        "--source",
        "wire-a",
        "--subject",
        "2021 Iraqi election",
        "--property",
        "turnout",
        "--value",
        "41",
        "--unit",
        "percent",
    ).output
    assert output.splitlines()[-1].startswith("existing claim"), output


def test_a_new_tolerance_recomputes_only_approximate_claims(run, tmp_path):
    run("init")
    _import(run, tmp_path, [_claim("wire-a", "5"), _claim("wire-b", "~6")])
    assert _pairs(run) == set()  # ~6 at 0.2 is 4.8 .. 7.2
    run("property", "add", "killed", "--type", "quantity", "--unit", "people", "--tolerance", "0.1")
    assert _pairs(run) == {frozenset({"5", "~6"})}  # ~6 at 0.1 is 5.4 .. 6.6
    entry = json.loads(run("log", "--json", "--table", "claims", "--limit", "1").output)[0]
    assert entry["changes"]["value_key"] == ["q:4.8..7.2 people", "q:5.4..6.6 people"]
    exact = next(c for c in _claims(run).values() if c["value"] == "5")
    assert [h["action"] for h in json.loads(run("show", exact["id"], "--json").output)["history"]]
    assert not [
        h
        for h in json.loads(run("log", "--json", "--table", "claims").output)
        if h["row_id"] == exact["id"] and h["action"] == "update"
    ]


@pytest.mark.parametrize(
    "args,named",
    [
        (["--value", "dozen"], "'dozen'"),
        (["--value", "41 percent", "--unit", "people"], "'41 percent'"),
    ],
)
def test_bad_quantities_are_one_line_exit_2_and_write_nothing(run, tmp_path, db_path, args, named):
    run("init")
    _import(run, tmp_path, [_claim("wire-a", "5")])
    before = file_bytes(db_path)
    result = run(
        "add", "--source", "wire-b", "--subject", "Erbil rocket attack", "--property", "killed",
        *args,
        code=2,
    )  # fmt: skip
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and named in lines[0], result.output
    assert file_bytes(db_path) == before


def test_a_tolerance_that_would_merge_two_claims_is_refused(run, tmp_path, db_path):
    run("init")
    _import(run, tmp_path, [_claim("wire-a", "~10"), _claim("wire-b", "9..11")])
    # at 0.1, ~10 would be 9..11: the key of the other claim
    before = file_bytes(db_path)
    result = run(
        "property", "add", "killed", "--type", "quantity", "--unit", "people",
        "--tolerance", "0.1",
        code=2,
    )  # fmt: skip
    assert "would make claim" in result.output and len(result.output.strip().splitlines()) == 1
    assert file_bytes(db_path) == before


# ---------------------------------------------------------------- migration 0004


def _old_style(connection) -> None:
    """What code before 0004 stored: a percent unit spelled out, the flag unknown."""
    connection.execute(text("UPDATE properties SET unit = 'percent' WHERE name = 'turnout'"))
    connection.execute(
        text(
            "UPDATE claims SET unit = 'percent', value_key = 'q:41 percent' "
            "WHERE value_key = 'q:41 %'"
        )
    )


def test_migration_0004_recomputes_intervals_up_and_down_with_data(run, tmp_path, db_path):
    run("init")
    _import(
        run,
        tmp_path,
        [
            _claim("wire-a", "5"),
            _claim("wire-b", "about 6"),
            _claim("wire-a", "41 percent", prop="turnout", subject="2021 Iraqi election"),
        ],
    )
    engine = dbmod.make_engine(str(db_path))
    try:
        dbmod.downgrade(engine, _BEFORE_0004)
        assert "source_copies" not in inspect(engine).get_table_names()
        assert "quantity_approximate" not in {
            c["name"] for c in inspect(engine).get_columns("claims")
        }
        with engine.begin() as connection:
            _old_style(connection)
            counts = {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("claims", "citations", "properties")
            }
        dbmod.migrate(engine)
        with engine.connect() as connection:
            rows = {
                r.value: r
                for r in connection.execute(
                    text(
                        "SELECT value, unit, value_key, quantity_low, quantity_high, "
                        "quantity_approximate FROM claims"
                    )
                )
            }
            assert {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in counts
            } == counts
            unit = connection.execute(
                text("SELECT unit FROM properties WHERE name = 'turnout'")
            ).scalar()
        assert unit == "%"
        assert (rows["41 percent"].unit, rows["41 percent"].value_key) == ("%", "q:41 %")
        assert bool(rows["about 6"].quantity_approximate) and not rows["5"].quantity_approximate
        assert (rows["about 6"].quantity_low, rows["about 6"].quantity_high) == (4.8, 7.2)
        assert (rows["5"].quantity_low, rows["5"].quantity_high) == (5, 5)
    finally:
        engine.dispose()
    log = json.loads(run("log", "--json", "--actor", "migration 0004").output)
    assert {(h["table"], h["action"]) for h in log} == {
        ("claims", "update"),
        ("properties", "update"),
    }
    assert _pairs(run) == set()  # about 6 at 0.2 holds 5
    run("add", "--source", "wire-a", "--subject", "Erbil rocket attack", "--property", "killed",
        "--value", "8")  # fmt: skip
    assert _pairs(run) == {frozenset({"about 6", "8"})}  # 5 and 8: both wire-a
