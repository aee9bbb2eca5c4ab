"""The Flight benchmark of learned trust (benchmarks/truth/flight.py) on other days.

The data set's other days are not stored here (only 2011-12-01 is); ``--day`` reads one
from wherever it is kept. Its airline site writes times in a format of its own from
2011-12-08 on, which the normaliser reads; a ``--day`` that is not a day of the data set
is refused with the usage error. No target of the benchmark is asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "truth"))
sys.path.insert(0, str(ROOT / "benchmarks" / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
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


def _refused(data: Path, capsys) -> str:
    """The usage error ``flight.py --day data`` stops with (exit code 2)."""
    with pytest.raises(SystemExit) as stop:
        truth_flight.main(["--day", str(data), "--seeds", "0"])
    assert stop.value.code == 2
    return capsys.readouterr().err


def test_a_day_without_its_truth_is_refused(tmp_path, capsys):
    data = tmp_path / "2011-12-04-data.txt"
    data.write_text("", encoding="latin-1")
    assert "a DATE-data.txt file beside its DATE-truth.txt" in _refused(data, capsys)


def test_a_file_that_is_not_a_day_is_refused(tmp_path, capsys):
    data = tmp_path / "flights.csv"
    data.write_text("", encoding="latin-1")
    assert "flights.csv" in _refused(data, capsys)
