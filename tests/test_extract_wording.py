"""`extract` on wordings of government statements, research reports and encyclopedia
articles (DEV2's kind of text): bracketed footnote markers, days written without their year,
events told by a verb, and the same words for two events on different days.

Each test is a small worked sentence written for it, run through the real CLI (ingest,
extract to a file) against a fresh database with the few entities it names.
"""

from __future__ import annotations

from conftest import facts_of


def test_a_bracketed_footnote_marker_is_never_a_figure(candidates_of):
    rows = candidates_of(
        "Attack on Vela\n\n"
        "On 3 March 2024, a drone struck a base near Vela. The explosion killed three soldiers "
        "and injured 47 others. [4] Iran denied any involvement.[5] The army retaliated on "
        "5 March. [6][7]\n",
        ("Vela", "place"),
        ("Iran", "place"),
    )
    values = [str(r["value"]) for r in rows]
    assert "3" in values and "47" in values, facts_of(rows)
    assert not {"4", "5", "6", "7"} & set(values), facts_of(rows)
    for row in rows:
        assert not row["quote"].startswith("["), row["quote"]


def test_a_day_without_its_year_takes_the_year_of_the_text_around_it(candidates_of):
    # an encyclopedia page is dated loosely (any day of a year or more): "2 February" is the
    # one after the attack the text has just dated, "7 October" the one before it
    rows = candidates_of(
        "Attack on Vela\n\n"
        "On 28 January 2024, a drone struck a base near Vela. The Red Hand Brigade began "
        "retaliatory strikes on 2 February.\n\n"
        "Between 7 October and 27 January 2024, rockets were fired at the base on 160 "
        "occasions.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        published="2024-02-01/2025-12-31",
    )
    dates = {str(r["value"]) for r in rows if r["property"] == "date"}
    assert "2024-02-02" in dates, facts_of(rows)
    assert not [d for d in dates if d.startswith("2025")], facts_of(rows)
    assert any(d.startswith("2023-10-07") for d in dates), facts_of(rows)


def test_a_group_and_its_secretary_general(candidates_of):
    rows = candidates_of(
        "The ministry named the Red Hand Brigade (RHB) and its Secretary General Omar Tal "
        "Basri as terrorists. The Blue Lions and its leader Sami Haddad denied it.\n",
        ("Red Hand Brigade", "organisation", "RHB"),
        ("Blue Lions", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "leader", "Omar Tal Basri") in facts, facts
    assert ("Omar Tal Basri", "position", "Secretary General") in facts, facts
    assert ("Blue Lions", "leader", "Sami Haddad") in facts, facts


def test_a_designation_told_in_the_active_voice(candidates_of):
    # "the Department of State" is the database's "U.S. Department of State": a country
    # before a department's name is often left out in the country's own statements
    rows = candidates_of(
        "Today, the Department of State is designating the Red Hand Brigade (RHB) and its "
        "Secretary General Omar Tal Basri as Specially Designated Global Terrorists. The "
        "Department of State designated the Blue Lions as a Foreign Terrorist Organization in "
        "2019. Officials announced the designations of the Green Hand and the Night Riders as "
        "terrorist organizations.\n",
        ("U.S. Department of State", "organisation", "State Department"),
        ("Red Hand Brigade", "organisation", "RHB"),
        ("Blue Lions", "organisation"),
        ("Green Hand", "organisation"),
        ("Night Riders", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "designated_by", "U.S. Department of State") in facts, facts
    assert ("Omar Tal Basri", "designated_by", "U.S. Department of State") in facts, facts
    assert ("Blue Lions", "designated_by", "U.S. Department of State") in facts, facts
    # no designator named: nothing to say who designated them
    assert not [f for f in facts if f[1] == "designated_by" and f[0] == "Green Hand"], facts


def test_an_event_told_by_its_verb(candidates_of):
    rows = candidates_of(
        "Fighting in Vela\n\n"
        "Gunmen from the Red Hand Brigade attacked a police station in Vela on 3 March 2024, "
        "killing four officers.\n\n"
        "U.S. forces struck five facilities of the Blue Lions in Syria on 9 March 2024.\n",
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("United States", "place", "U.S."),
        ("Vela", "place"),
        ("Syria", "place"),
    )
    facts = facts_of(rows)
    by_value = {(p, v): s for s, p, v in facts}
    attack = by_value.get(("killed", "4"))
    assert attack and attack not in ("Vela", "Red Hand Brigade"), facts
    assert (attack, "carried_out_by", "Red Hand Brigade") in facts, facts
    assert (attack, "date", "2024-03-03") in facts, facts
    strike = by_value.get(("count", "5"))
    assert strike and strike not in ("United States", "Blue Lions", "Syria"), facts
    assert strike != attack, facts
    assert (strike, "carried_out_by", "United States") in facts, facts
    assert (strike, "date", "2024-03-09") in facts, facts


def test_a_place_before_the_verb_is_not_the_agent(candidates_of):
    rows = candidates_of(
        "Unclaimed airstrikes in Iraq targeted Iranian officials in 2019, and militants in Vela "
        "attacked a checkpoint on 3 March 2024.\n",
        ("Iraq", "place"),
        ("Vela", "place"),
    )
    facts = facts_of(rows)
    assert not [f for f in facts if f[1] == "carried_out_by" and f[2] in ("Iraq", "Vela")], facts


def test_an_event_dated_to_the_day_of_a_known_event_is_that_event(candidates_of):
    rows = candidates_of(
        "Attack on Vela\n\n"
        "On 28 January 2024, a drone attack hit a base near Vela, killing three soldiers. On "
        "2 February 2024, a drone attack hit a base near Vela, killing one soldier.\n",
        ("28 January 2024 attack on U.S. troops in Jordan", "event"),
        ("U.S. retaliatory strike of 2 February 2024", "event"),
        ("Vela", "place"),
    )
    facts = facts_of(rows)
    assert ("28 January 2024 attack on U.S. troops in Jordan", "killed", "3") in facts, facts
    # the same words on another day are another attack, and a strike of that day is not an
    # attack of it
    killed_one = [f for f in facts if f[1] == "killed" and f[2] == "1"]
    assert killed_one and killed_one[0][0] not in (
        "U.S. retaliatory strike of 2 February 2024",
        "28 January 2024 attack on U.S. troops in Jordan",
    ), facts
    assert (killed_one[0][0], "date", "2024-02-02") in facts, facts
