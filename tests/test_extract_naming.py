"""`extract` names subjects as a desk would: an event the database knows by its own name,
and the subject of a clause for a figure told in its second predicate.

Each test is a small worked sentence written for it, run through the real CLI against a
fresh database with the few entities it names.
"""

from __future__ import annotations


def test_a_known_event_is_named_as_the_database_names_it(candidates_of):
    rows = candidates_of(
        "Vela remembered\n\nNine guards were killed in the Vela attack in March 2019.\n",
        ("Vela", "place"),
        ("Vela prison attack", "event"),
    )
    killed = [r for r in rows if r["property"] == "killed"]
    assert [(r["subject"], str(r["value"])) for r in killed] == [("Vela prison attack", "9")], rows


def test_two_known_events_that_fit_leave_the_name_as_read(candidates_of):
    rows = candidates_of(
        "Vela remembered\n\nNine guards were killed in the Vela attack in March 2019.\n",
        ("Vela", "place"),
        ("Vela prison attack", "event"),
        ("Vela port attack", "event"),
    )
    killed = [r for r in rows if r["property"] == "killed"]
    assert [r["subject"] for r in killed] == ["Vela attack of March 2019"], rows


def test_a_second_predicate_keeps_the_clause_subject(candidates_of):
    rows = candidates_of(
        "The ministry said that the Red Hand Brigade is armed by the Northern Front, and has "
        "carried out more than 300 kidnappings since its founding in 2011.\n",
        ("Red Hand Brigade", "organisation"),
        ("Northern Front", "organisation"),
    )
    counts = [(r["subject"], str(r["value"])) for r in rows if str(r["value"]) == ">300"]
    assert counts == [("Red Hand Brigade", ">300")], rows
