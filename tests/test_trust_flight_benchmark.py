"""The Flight benchmark of learned trust (benchmarks/truth/flight.py) on other days.

The data set's other days are not stored here (only 2011-12-01 is); ``--day`` reads one
from wherever it is kept. Its airline site writes times in a format of its own from
2011-12-08 on, which the normaliser reads; a ``--day`` that is not a day of the data set
is refused with the usage error. ``flight_days.py`` runs many days and reads each day's
report back (checked here on a report ``flight.py`` wrote for 2011-12-12), the head
count with the model's copy groups counted once among them. ``--overturned``
(overturned.py) settles items where learned trust leads against the head count, beside
items drawn at random. No target of the benchmark is asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))
sys.path.insert(0, str(ROOT / "benchmarks" / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import flight_days  # noqa: E402  (benchmarks/truth/flight_days.py)
import overturned  # noqa: E402  (benchmarks/truth/overturned.py)
from normalise import parse_time  # noqa: E402  (benchmarks/flight/normalise.py)


@pytest.mark.parametrize(
    ("raw", "edtf"),
    [
        ("December 8, 2011               08:00 PM    ", "2011-12-08T20:00"),
        ("December 12, 2011               07:57 PM    ", "2011-12-12T19:57"),
        ("January 2, 2012               12:05 AM    ", "2012-01-02T00:05"),
        ("12:05 AM, Jan 02", "2012-01-02T00:05"),
        ("11:20pDec 31", "2011-12-31T23:20"),
    ],
)
def test_the_airline_format_of_the_later_days_is_read(raw, edtf):
    assert parse_time(raw).edtf == edtf


def _refused(data: Path, capsys, *more: str) -> str:
    """The usage error ``flight.py --day data`` stops with (exit code 2)."""
    with pytest.raises(SystemExit) as stop:
        truth_flight.main(["--day", str(data), "--seeds", "0", *more])
    assert stop.value.code == 2
    return capsys.readouterr().err


def test_a_day_without_its_truth_is_refused(tmp_path, capsys):
    data = tmp_path / "2011-12-04-data.txt"
    data.write_text("", encoding="latin-1")
    assert "a DATE-data.txt file beside its DATE-truth.txt" in _refused(data, capsys)


@pytest.mark.parametrize("counts", ["0", "5,x"])
def test_overturned_counts_below_one_are_refused(counts, capsys):
    day = ROOT / "benchmarks" / "flight" / "data" / "2011-12-01-data.txt"
    err = _refused(day, capsys, "--overturned", counts)
    assert f"--overturned {counts!r}: comma-separated counts of 1 or more" in err


def test_a_file_that_is_not_a_day_is_refused(tmp_path, capsys):
    data = tmp_path / "flights.csv"
    data.write_text("", encoding="latin-1")
    assert "flights.csv" in _refused(data, capsys)


REPORT = """## Learned trust on Flight (aa, ua, CO not imported; every site F)

| method | whole day (534 items) |
|---|---:|
| majority vote | 0.792 |
| majority vote, copy groups once | 0.790 |
| learned trust | **0.755** |
| pooled investment (first version: T⁰ = 1, 20 rounds) | 0.747 |
| pooled investment (first version: T⁰ = 1, 20 rounds), copy groups once | 0.691 |
| pooled investment (paper: B⁰ uniform, 20 rounds) | 0.897 |
| pooled investment (paper: B⁰ uniform, 20 rounds), copy groups once | 0.895 |

### With desk verdicts on 10 % of the gold items (scored on the other 90 %)

| seed | verdicts | day: vote | day: trust | day: with verdicts |
|---:|---:|---:|---:|---:|
| 1 | 48 | 0.802 | 0.763 | 0.960 |
| 2 | 51 | 0.790 | 0.753 | 0.942 |
| 3 | 51 | 0.786 | 0.751 | 0.944 |
| mean | | **0.793** | **0.755** | **0.949** |
"""


def test_a_days_report_is_read_back():
    scores = flight_days.read_report(REPORT)
    assert scores == flight_days.DayScores(
        items=534, vote=0.792, trust=0.755, pooled=0.897, with_verdicts=0.949, vote_once=0.790
    )
    # without draws of verdicts there is no mean row
    assert flight_days.read_report(REPORT.split("### With")[0]).with_verdicts is None
    # a report of an earlier version, without the vote with copy groups once
    older = REPORT.replace("| majority vote, copy groups once | 0.790 |\n", "")
    assert flight_days.read_report(older).vote_once is None


def test_the_table_marks_a_day_below_the_vote():
    scores = {
        "2011-12-02": flight_days.DayScores(544, 0.855, 0.914, 0.895, 0.945, 0.864),
        "2011-12-12": flight_days.read_report(REPORT),
    }
    lines = flight_days.table(scores)
    assert "| 2011-12-12 | 534 | 0.792 | 0.790 | **0.755** | 0.897 | 0.949 |" in lines
    assert "| 2011-12-02 | 544 | 0.855 | 0.864 | 0.914 | 0.895 | 0.945 |" in lines
    assert any(
        "at .90 or more on 1 of 2 days; below the vote (bold) on 1" in line for line in lines
    )
    assert "- the vote with copy groups once is below the vote on 1 of 2 days (2011-12-12)" in (
        lines
    )
    # a day without the column (an earlier report) leaves it out of the table
    scores["2011-12-02"] = flight_days.DayScores(544, 0.855, 0.914, 0.895, 0.945)
    assert "| 2011-12-02 | 544 | 0.855 | 0.914 | 0.895 | 0.945 |" in flight_days.table(scores)


def test_days_without_truth_or_too_small_are_left_out(tmp_path):
    flights = "".join(f"site\tAA-{n}-ORD-DFW\t\t\t\t\t\t\n" for n in range(600))
    (tmp_path / "2011-12-02-data.txt").write_text(flights, encoding="latin-1")
    (tmp_path / "2011-12-02-truth.txt").write_text("", encoding="latin-1")
    (tmp_path / "2011-12-03-data.txt").write_text(flights, encoding="latin-1")
    (tmp_path / "2011-12-15-data.txt").write_text(flights[:3000], encoding="latin-1")
    (tmp_path / "2011-12-15-truth.txt").write_text("", encoding="latin-1")
    kept, left = flight_days.days_in(tmp_path, min_flights=500)
    assert [p.name for p in kept] == ["2011-12-02-data.txt"]
    assert left[0] == "2011-12-03 (no 2011-12-03-truth.txt)"
    assert left[1].startswith("2011-12-15 (") and left[1].endswith(" flights)")


def test_an_item_is_overturned_where_fewer_sites_give_the_leader():
    table = {
        ("F1", "gate"): {"A1": {"x"}, "B2": {"y", "z"}},
        ("F2", "gate"): {"C3": {"x", "y"}, "C4": {"z"}},
        ("F3", "gate"): {"D1": {"x"}, "D2": {"y"}},
    }
    leaders = {("F1", "gate"): "A1", ("F2", "gate"): "C3", ("F3", "gate"): "D2"}
    # F2 leads with the head count, F3 with a tie: only F1 goes against it
    assert overturned.overturned_items(table, leaders, sorted(table)) == [("F1", "gate")]


def test_verdicts_on_overturned_items_are_scored_beside_random_ones():
    gold_items = [(f"F{n}", "gate") for n in range(20)]
    flipped = gold_items[:4]
    settled_runs: list[set] = []

    def taught(settled):
        settled_runs.append(set(settled))
        # a verdict on an overturned item puts every overturned item right
        return dict.fromkeys(gold_items, "right") if settled & set(flipped) else {}

    def score(leaders, items):
        return sum(leaders.get(i) == "right" for i in items) / len(items)

    plain = dict.fromkeys(gold_items[4:], "right")
    ranked = flipped[::-1]  # most sources first
    scores = overturned.overturned_scores([2], 2, gold_items, flipped, taught, score, plain, ranked)
    lines = overturned.overturned_runs(scores, len(flipped), len(gold_items))
    (row,) = [line for line in lines if line.startswith("| 2 |")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "0.889"  # 16 of the 18 items not settled, without verdicts
    assert cells[3] == "**1.000**" and cells[4] == "**1.000**"
    assert len(settled_runs) == 5 and all(len(s) == 2 for s in settled_runs)
    assert all(s <= set(flipped) for s in settled_runs[0:4:2])
    assert settled_runs[4] == set(ranked[:2])  # the first two ranked, once


def test_most_sources_first_ranks_the_items_most_sources_answer_first():
    table = {
        ("F1", "gate"): {"x": {"A", "B"}, "y": {"C"}},
        ("F2", "gate"): {"x": {"A"}, "y": {"B", "C", "D"}},
        ("F3", "gate"): {"x": {"A"}, "y": {"B", "C"}},
    }
    # F2 has four sources; F1 and F3 three each, in their order
    assert overturned.most_sources_first(
        table, [("F3", "gate"), ("F2", "gate"), ("F1", "gate")]
    ) == [
        ("F2", "gate"),
        ("F1", "gate"),
        ("F3", "gate"),
    ]


def test_with_nothing_overturned_there_is_no_figure_for_it():
    gold_items = [(f"F{n}", "gate") for n in range(10)]
    scores = overturned.overturned_scores(
        [3], 1, gold_items, [], lambda settled: {}, lambda leaders, items: 0.5, {}
    )
    lines = overturned.overturned_runs(scores, 0, len(gold_items))
    assert "- 0 of the 10 gold items are overturned" in "\n".join(lines)
    assert "| 3 | 0.500 | 0.500 | – | – |" in lines


def test_vote_units_count_a_copy_group_once():
    table = {
        ("F1", "actual_departure"): {"10:00": {"a", "b", "c"}, "10:12": {"d", "e"}},
        ("F2", "actual_departure"): {"11:00": {"a"}, "11:15": {"d"}, "11:16": {"e"}},
    }
    gold = {("F1", "actual_departure"): {"10:00"}, ("F2", "actual_departure"): {"11:00"}}
    origin = {"a": "feed", "b": "feed"}  # a and b mirror one feed
    # F1: the gold value has 2 units (the feed, c), the other 2; F2: 1 against 1
    assert truth_flight.vote_units(table, gold, sorted(table), origin) == (1.5, 1.5)
    assert truth_flight.vote_units(table, gold, sorted(table), {}) == (2.0, 1.5)
    assert truth_flight.vote_units(table, gold, [], origin) == (0.0, 0.0)
