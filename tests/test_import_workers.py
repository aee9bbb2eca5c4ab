"""A parallel import (``import --workers N``) makes the database the serial import makes.

Each test imports the same file twice, into two databases: once serially (``--workers 0``)
and once with worker processes, in chunks small enough that names, ranks and qualifiers
cross from one chunk (and one worker) to the next. Then every row of every table is
compared, ids included; only the times differ (and the ``changes`` row records the
``--workers`` given).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from conftest import SEEDS, file_bytes, invoke
from sqlalchemy import DateTime, create_engine, select

from provenance import import_workers
from provenance.models import Base

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HEADER = {
    "sources": [
        {"slug": "wire-a", "title": "Wire A", "reliability": "B"},
        {"slug": "wire-b", "title": "Wire B", "reliability": "C"},
    ],
    "properties": [
        {"name": "killed", "type": "quantity", "unit": "people"},
        {"name": "leader", "type": "entity"},
    ],
}
COLUMNS = [
    "source",
    "subject",
    "property",
    "value",
    "confidence",
    "qualifiers",
    "attributed_to",
    "rank",
    "rank_reason",
]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Chunks of a few records, so a file of hundreds crosses many of them; and workers
    for files of any size."""
    monkeypatch.setattr(import_workers, "CHUNK_RECORDS", 23)
    monkeypatch.setattr(import_workers, "PARALLEL_MIN_BYTES", 0)


def _url(target: Path | str) -> str:
    return target if isinstance(target, str) else f"sqlite:///{target}"


def content(target: Path | str) -> dict[str, list[tuple]]:
    """Every row of every table, by id, without the columns that hold times."""
    engine = create_engine(_url(target))
    try:
        with engine.connect() as connection:
            tables = {}
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.columns if not isinstance(c.type, DateTime)]
                if table.name == "changes":
                    columns = [c for c in columns if c.name != "arguments"]
                rows = connection.execute(select(*columns).order_by(*table.primary_key.columns))
                tables[table.name] = [tuple(row) for row in rows]
            return tables
    finally:
        engine.dispose()


def arguments(target: Path | str) -> list[dict]:
    engine = create_engine(_url(target))
    try:
        with engine.connect() as connection:
            table = Base.metadata.tables["changes"]
            found = connection.execute(select(table.c.arguments).order_by(table.c.id)).scalars()
            return [
                {k: v for k, v in (a or {}).items() if k != "workers"}
                for a in (json.loads(x) if isinstance(x, str) else x for x in found)
            ]
    finally:
        engine.dispose()


def _same_database(serial: Path | str, parallel: Path | str) -> None:
    expected, got = content(serial), content(parallel)
    for table, rows in expected.items():
        assert got[table] == rows, f"table {table} differs"
    assert arguments(parallel) == arguments(serial)


def _events(path: Path, rows: int) -> Path:
    """Names repeated in other spellings, entity values, qualifiers that name entities
    created earlier in the file, speakers, ranks: everything that crosses chunks."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(rows):
            if i % 5 == 0:
                writer.writerow(
                    [
                        "wire-a",
                        f"Group {i % 40}",
                        "leader",
                        f"Person {i % 90}",
                        "high",
                        f"during=Event {(i * 7) % 70}",
                        "",
                        "",
                        "",
                    ]
                )
                continue
            writer.writerow(
                [
                    "wire-a" if i % 2 else "wire-b",
                    f"Event {i % 70}" if i % 3 else f"EVENT {i % 70}",
                    "killed",
                    i % 50,
                    "medium" if i % 7 else "high",
                    f"place=Town {i % 13}" if i % 4 == 0 else "",
                    f"Speaker {i % 30}" if i % 6 == 0 else "",
                    "preferred" if i % 97 == 0 else "",
                    "",
                ]
            )
    return path


def _two(new_db, db_path) -> tuple[Path | str, Path | str]:
    serial = new_db("serial")
    for target in (serial, db_path):
        invoke("init", db=target)
    return serial, db_path


def test_a_csv_file_in_workers_gives_the_serial_database(new_db, db_path, tmp_path):
    serial, parallel = _two(new_db, db_path)
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    claims = _events(tmp_path / "claims.csv", 900)
    outputs = []
    for target, workers in ((serial, "0"), (parallel, "2")):
        invoke("import", header, db=target)
        outputs.append(
            invoke("import", claims, "--new-entities", "--workers", workers, db=target).output
        )
    assert outputs[0] == outputs[1]
    assert "created" in outputs[0] and "already known" in outputs[0]
    _same_database(serial, parallel)
    # and again: re-importing in workers adds nothing, as it does serially
    again = [
        invoke("import", claims, "--new-entities", "--workers", w, db=t).output
        for t, w in ((serial, "0"), (parallel, "1"))
    ]
    assert again[0] == again[1]
    assert " 0 new claim(s)" in again[0]
    _same_database(serial, parallel)


def test_the_seed_claims_in_workers_give_the_serial_database(new_db, db_path, tmp_path):
    """Quotes anchored in the seed documents, footnotes, speakers, qualifiers, ranks."""
    seeds = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    sections = tmp_path / "sections.yaml"
    sections.write_text(
        yaml.safe_dump({"properties": seeds["properties"], "entities": seeds["entities"]}),
        encoding="utf-8",
    )
    claims = tmp_path / "claims.jsonl"
    with open(claims, "w", encoding="utf-8") as f:
        for record in seeds["claims"]:
            f.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    documents = tmp_path / "documents"
    documents.mkdir()
    for path in [SEEDS / "sources.yaml", *SEEDS.glob("*.txt")]:
        (documents / path.name).write_bytes(path.read_bytes())
    serial, parallel = _two(new_db, db_path)
    outputs = []
    for target, workers in ((serial, "0"), (parallel, "2")):
        invoke("build", "--seeds", documents, db=target)
        invoke("import", sections, db=target)
        outputs.append(invoke("import", claims, "--workers", workers, db=target).output)
    assert outputs[0] == outputs[1]
    _same_database(serial, parallel)


BAD_ROWS = {
    4: ["wire-a", "Event 1", "killed", "many", "medium", "", "", "", ""],
    60: ["wire-a", "Event 2", "wounded", "3", "medium", "", "", "", ""],
    # one claim ranked two ways, in two chunks
    80: ["wire-b", "Event 1", "killed", "1", "medium", "", "", "preferred", ""],
    95: ["wire-a", "Event 1", "killed", "1", "medium", "", "", "deprecated", "a typo"],
    120: ["wire-a", "Event 3", "killed", "3", "sure", "", "", "", ""],
}


def test_a_bad_file_is_rejected_in_workers_with_the_serial_messages(new_db, db_path, tmp_path):
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    claims = tmp_path / "bad.csv"
    with open(claims, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(1, 200):
            if i in BAD_ROWS:
                writer.writerow(BAD_ROWS[i])
            elif i == 150:
                writer.writerow(["wire-a", "Event 9"])  # a short row
            elif i in (30, 170):
                # a new name close to one created earlier in the file (another chunk)
                name = "Khazali Network" if i == 30 else "Khazali Netwrk"
                writer.writerow(["wire-a", name, "killed", "4", "low", "", "", "", ""])
            else:
                writer.writerow(
                    ["wire-a", f"Event {i % 20}", "killed", i % 9, "low", "", "", "", ""]
                )
    serial, parallel = _two(new_db, db_path)
    outputs = []
    for target, workers in ((serial, "0"), (parallel, "2")):
        invoke("import", header, db=target)
        before = file_bytes(target)
        outputs.append(invoke("import", claims, "--workers", workers, db=target, code=2).output)
        assert file_bytes(target) == before
    assert outputs[0] == outputs[1]
    for number in (4, 60, 95, 120, 150, 170):
        assert f"record {number}" in outputs[0]
    assert "differs from the rank 'preferred'" in outputs[0]


def test_a_dry_run_in_workers_writes_nothing(run, db_path, tmp_path):
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    run("init")
    run("import", header)
    before = file_bytes(db_path)
    result = run(
        "import",
        _events(tmp_path / "claims.csv", 300),
        "--new-entities",
        "--workers",
        "2",
        "--dry-run",
    )
    assert "dry run: nothing was written" in result.output
    assert "300 record(s)" in result.output
    assert file_bytes(db_path) == before


def test_workers_are_asked_for_and_small_files_stay_serial(run, db_path, tmp_path, monkeypatch):
    from provenance.db import make_engine, reading_session

    run("init")
    small = _events(tmp_path / "small.csv", 50)
    monkeypatch.setattr(import_workers, "PARALLEL_MIN_BYTES", small.stat().st_size + 1)
    engine = make_engine(str(db_path))
    try:
        with reading_session(engine) as session:
            assert import_workers.workers_for(session, small, "csv", 3) == 0
            monkeypatch.setattr(import_workers, "PARALLEL_MIN_BYTES", small.stat().st_size)
            assert import_workers.workers_for(session, small, "csv", 3) == 3
            assert import_workers.workers_for(session, small, "jsonl", 1) == 1
            assert import_workers.workers_for(session, small, "csv", 0) == 0
            assert import_workers.workers_for(session, small, "yaml", 3) == 0
    finally:
        engine.dispose()
    result = run("import", small, "--workers", "-1", code=2)
    assert "--workers" in result.output and "-1" in result.output
