"""The synthetic worlds' benchmark of learned trust (benchmarks/truth/synthetic_run.py).

``compare --overturned K`` settles ``K`` items where learned trust leads against the head
count (what ``conflicts --overturned`` lists) in each world, beside ``K`` drawn at random,
and prints a second table. In the world built to break learned trust (a poor source
copied loosely by six, so the ring is the majority), a verdict on an overturned item
tells the model which side its sources are on: ten of them lift it above learned trust
alone. A count below 1 is refused with the usage error. The benchmark builds its worlds
in SQLite files of its own, so the test that runs it is about SQLite files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))

import synthetic_run  # noqa: E402  (benchmarks/truth/synthetic_run.py)


@pytest.mark.sqlite_only
def test_verdicts_on_overturned_items_are_scored_beside_random_ones(capsys):
    world = ["--kinds", "breaks-trust", "--worlds", "1", "--configs", "shipped"]
    synthetic_run.main(["compare", *world, "--overturned", "10", "--seeds", "1"])
    table = capsys.readouterr().out.split("\n\n")[1].splitlines()
    assert table[0].startswith("| world | method | overturned items | k | trust |")
    (row,) = [line for line in table if line.startswith("| breaks-trust | shipped |")]
    found, k, alone, at_random, on_overturned = (float(c) for c in row.split("|")[3:8])
    assert found >= 1 and k == 10
    assert on_overturned > alone
    assert 0.0 < at_random <= 1.0


@pytest.mark.parametrize("counts", ["0", "5,x"])
def test_overturned_counts_below_one_are_refused(counts, capsys):
    with pytest.raises(SystemExit) as stop:
        synthetic_run.main(["compare", "--overturned", counts])
    assert stop.value.code == 2
    assert (
        f"--overturned {counts!r}: comma-separated counts of 1 or more" in capsys.readouterr().err
    )
