"""A re-run of `conflicts` lists exactly what a listing recomputed from nothing lists: after
each kind of change to the evidence (the list of tests/test_detection_key.py), after a
trust recomputation and after a rank change or a verdict, the leading answers, their
probabilities, margins and support of a listing that reused the stored detection and the
stored trust equal those of one whose detection and trust were both forgotten — on both
back ends (run with PROVENANCE_TEST_BACKEND=postgresql for PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete
from test_detection_key import CHANGES, world  # noqa: F401  (the fixture is reused)

from provenance.db import make_engine, session_scope
from provenance.models import (
    LastDetection,
    LearnedAnswer,
    LearnedCompatible,
    LearnedSource,
    LearnedSourceProperty,
    LearnedTrust,
)

# every output a desk reads the figures in
FORMATS = [
    ("--status", "all", "--json"),
    ("--status", "all", "--json", "--explain"),
    ("--status", "all", "--csv"),
    ("--status", "all"),
]


def _listings(run) -> list[str]:
    return [run("conflicts", *args).stdout for args in FORMATS]


def _forget_everything(db_path) -> None:
    """Wipe what the last detection saw and the stored trust: the next `conflicts`
    detects and learns trust from nothing."""
    engine = make_engine(str(db_path))
    try:
        with session_scope(engine) as session:
            for model in (
                LastDetection,
                LearnedCompatible,
                LearnedAnswer,
                LearnedSourceProperty,
                LearnedSource,
                LearnedTrust,
            ):
                session.execute(delete(model))
    finally:
        engine.dispose()


def _recomputed(run, db_path) -> list[str]:
    _forget_everything(db_path)
    return _listings(run)


def _figures(listing: str) -> list[dict]:
    """Every question as a desk would print it (its leader, margin, answers, their
    probabilities and support), without ``leading_was``: the first listing after a leader
    changed says so, the next ones do not."""
    rows = json.loads(listing)
    for row in rows:
        row.pop("leading_was")
    return rows


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_after_each_change_a_rerun_lists_what_a_recomputed_listing_lists(
    world,  # noqa: F811
    run,
    db_path,
    tmp_path,
    change,
):
    case = CHANGES[change]
    for step in case.setup:
        run(*step(run, _ids(run), tmp_path))
    _listings(run)  # detection and trust stored

    run(*case.command(run, _ids(run), tmp_path))
    reused = _listings(run)
    again = _listings(run)  # nothing changed since: everything reused
    recomputed = _recomputed(run, db_path)
    assert _figures(reused[0]) == _figures(recomputed[0]), change
    assert again == recomputed, change


def test_a_trust_recomputation_is_listed_as_a_recomputed_listing(world, run, db_path):  # noqa: F811
    _listings(run)
    ids = _ids(run)
    # a grade changes what every citation of s2 weighs: the stored trust is learned again
    run("source", "edit", "s2", "--reliability", "A", "--reason", "a better record")
    run("claim", "prefer", ids[("Karbala attack", "20")])
    reused = _listings(run)
    again = _listings(run)
    recomputed = _recomputed(run, db_path)
    assert _figures(reused[0]) == _figures(recomputed[0])
    assert again == recomputed


def _ids(run) -> dict[tuple[str, str], int]:
    return {(c["subject"], c["value"]): c["id"] for c in json.loads(run("claims", "--json").stdout)}
