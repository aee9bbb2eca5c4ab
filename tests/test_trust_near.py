"""Near values in learned trust: figures lending by distance (``trust.NEAR_DECAY``), and
dates one unit of their precision apart (``trust.NEAR_DATE_STEPS``).

Hand-made cases imported through the CLI, three sources of one grade giving three values
of one item: only nearness can then choose between them.
"""

from __future__ import annotations

import pytest
from conftest import answer_probabilities

HEADER = """
sources:
  - {slug: wire-b, title: Wire B, kind: website, reliability: B}
  - {slug: wire-c, title: Wire C, kind: website, reliability: B}
  - {slug: wire-d, title: Wire D, kind: website, reliability: B}
properties:
  - {name: population, type: quantity}
  - {name: departed, type: date}
entities:
  - {name: Vela, kind: place}
"""


def import_values(run, tmp_path, prop: str, values: list[str]) -> None:
    """Wire B, C and D each give one of ``values`` for Vela's ``prop``."""
    (tmp_path / "header.yaml").write_text(HEADER, encoding="utf-8")
    lines = ["source,subject,property,value"]
    sources = ("wire-b", "wire-c", "wire-d")
    lines += [f"{s},Vela,{prop},{v}" for s, v in zip(sources, values, strict=True)]
    (tmp_path / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")


def test_a_nearer_figure_lends_more_when_support_decays_with_distance(
    run, tmp_path, db_path, monkeypatch
):
    # 10,100 is 1 % from 10,000 and 2.9 % from 10,400; 10,400 is 3.8 % from 10,000
    import_values(run, tmp_path, "population", ["10000", "10100", "10400"])
    flat = answer_probabilities(db_path, monkeypatch, NEAR_SHARE=0.05, NEAR_DECAY=0.0)
    # lending in full within 5 %: 10,000 and 10,400 are each near both others
    assert flat["10000"] == pytest.approx(flat["10400"])
    decayed = answer_probabilities(db_path, monkeypatch, NEAR_SHARE=0.05, NEAR_DECAY=0.01)
    # by distance: the figure 1 % from 10,100 is helped more than the one 2.9 % from it
    assert decayed["10100"] > decayed["10000"] > decayed["10400"] + 0.05
    # and nothing lends beyond NEAR_SHARE, however it decays
    apart = answer_probabilities(db_path, monkeypatch, NEAR_SHARE=0.005, NEAR_DECAY=0.01)
    assert apart["10000"] == pytest.approx(apart["10400"])


def test_dates_one_minute_apart_support_each_other_only_when_asked(
    run, tmp_path, db_path, monkeypatch
):
    import_values(
        run, tmp_path, "departed", ["2011-12-01T15:27", "2011-12-01T15:28", "2011-12-01T15:00"]
    )
    exact = answer_probabilities(db_path, monkeypatch, NEAR_DATE_STEPS=0.0)
    assert exact["2011-12-01T15:27"] == pytest.approx(exact["2011-12-01T15:00"])
    near = answer_probabilities(db_path, monkeypatch, NEAR_DATE_STEPS=1.0, NEAR_DATE_CREDIT=True)
    # 15:27 and 15:28 are one minute (the unit of their precision) apart: near
    assert near["2011-12-01T15:27"] > near["2011-12-01T15:00"] + 0.1
    assert near["2011-12-01T15:28"] > near["2011-12-01T15:00"] + 0.1
    # in the score alone, the same order
    scored = answer_probabilities(db_path, monkeypatch, NEAR_DATE_STEPS=1.0, NEAR_DATE_CREDIT=False)
    assert scored["2011-12-01T15:27"] > scored["2011-12-01T15:00"] + 0.1


def test_dates_further_apart_or_at_another_precision_are_not_near(
    run, tmp_path, db_path, monkeypatch
):
    # two minutes apart, and a day (of another precision) just before both
    values = ["2011-12-01T15:27", "2011-12-01T15:29", "2011-11-30"]
    import_values(run, tmp_path, "departed", values)
    one = answer_probabilities(db_path, monkeypatch, NEAR_DATE_STEPS=1.0)
    assert one["2011-12-01T15:27"] == pytest.approx(one["2011-12-01T15:29"])
    assert one["2011-12-01T15:27"] == pytest.approx(one["2011-11-30"])
    two = answer_probabilities(db_path, monkeypatch, NEAR_DATE_STEPS=2.0)
    # two steps allowed: the minutes are near, the day still is not
    assert two["2011-12-01T15:27"] > two["2011-11-30"] + 0.1
    assert two["2011-12-01T15:29"] > two["2011-11-30"] + 0.1


def test_years_are_near_by_the_year(run, tmp_path, db_path, monkeypatch):
    import_values(run, tmp_path, "departed", ["2007", "2008", "2010"])
    near = answer_probabilities(db_path, monkeypatch, NEAR_DATE_STEPS=1.0)
    assert near["2007"] > near["2010"] + 0.1
    assert near["2008"] > near["2010"] + 0.1
