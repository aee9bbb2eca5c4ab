"""`conflicts` prints on the seeds, byte for byte, what it printed before the listing was
made faster (detection only when the evidence changed, rows built from plain tuples):
speed is the only change a user may see.

The expected files in tests/data/conflicts_seeds/ were written by `provenance build`
and `provenance conflicts ARGS > FILE` (after one `conflicts` that learned trust) with
the release before those changes. A deliberate change of the output (the seeds, the
trust model, a field) rewrites them the same way, in the commit that makes it.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from sqlalchemy import delete

from provenance.db import make_engine, session_scope
from provenance.models import LastDetection

EXPECTED = ROOT / "tests" / "data" / "conflicts_seeds"

OUTPUTS = {
    "json.json": ["--json"],
    "status-all.json": ["--json", "--status", "all"],
    "status-all.csv": ["--csv", "--status", "all"],
    "nl.jsonl": ["--nl"],
    "explain.json": ["--json", "--explain"],
    "status-all.txt": ["--status", "all"],
    "table.txt": [],
    "explain.txt": ["--explain"],
    "limit-3.csv": ["--csv", "--limit", "3"],
    "property-date.csv": ["--property", "date", "--csv"],
}


@pytest.fixture
def listed_once(seeded_db, run):
    run("conflicts")  # trust learned, leaders remembered: what a user's second run shows
    return seeded_db


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_the_seeds_list_byte_for_byte_as_before(listed_once, run, name):
    expected = (EXPECTED / name).read_text(encoding="utf-8")
    assert run("conflicts", *OUTPUTS[name]).stdout == expected


def test_a_forced_detection_lists_the_same_bytes(listed_once, run):
    """The key forgotten, the next run detects: its listing is the stored one's."""
    engine = make_engine(str(listed_once))
    try:
        with session_scope(engine) as session:
            session.execute(delete(LastDetection))
    finally:
        engine.dispose()
    assert run("conflicts", "--json").stdout == (EXPECTED / "json.json").read_text(encoding="utf-8")
