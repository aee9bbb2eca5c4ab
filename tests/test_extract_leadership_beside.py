"""`extract` reads a group's leader from a group and a person the database knows named side
by side with a role between or after them, in any case and with a word of time ("the Red
Hand Brigade's former commander Ana Ruiz", "Ana Ruiz [commander of the Red Hand Brigade]",
"Ana Ruiz, the Red Hand Brigade leader", "As head of the Blue Lions, the young Tomas Berg"),
never a deputy.

Each test is a small worked sentence written for it, about invented groups of an invented
valley, Vela, run through the real CLI (ingest, extract to a file) against a fresh database
with the few entities it names.
"""

from __future__ import annotations

from conftest import facts_of, invoke

PEOPLE = (
    ("Vela", "place"),
    ("Red Hand Brigade", "organisation", "RHB"),
    ("Blue Lions", "organisation"),
    ("Vela Guard", "organisation"),
    ("Ana Ruiz", "person"),
    ("Tomas Berg", "person"),
    ("Marco Diaz", "person"),
)


def test_a_role_between_a_group_and_a_person_in_any_case_and_time(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade (RHB) Commander Ana Ruiz met the press. The Blue Lions’ former "
        "commander Tomas Berg was not there.\n",
        *PEOPLE,
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "leader", "Ana Ruiz") in facts, facts
    assert ("Blue Lions", "leader", "Tomas Berg") in facts, facts


def test_a_role_of_a_group_after_a_person_or_told_before_both(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Marco Diaz [commander of the Vela Guard] spoke first. Ana Ruiz, the Red Hand Brigade "
        "leader killed in March, was buried in Vela. As head of the Blue Lions, the young "
        "Tomas Berg gave orders.\n",
        *PEOPLE,
    )
    facts = facts_of(rows)
    assert ("Vela Guard", "leader", "Marco Diaz") in facts, facts
    assert ("Red Hand Brigade", "leader", "Ana Ruiz") in facts, facts
    assert ("Blue Lions", "leader", "Tomas Berg") in facts, facts


def test_a_deputy_or_a_person_without_a_role_leads_nothing(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade deputy commander Ana Ruiz met the press. The Blue Lions, Tomas "
        "Berg and Marco Diaz arrived later. Ana Ruiz, the Vela Guard spokesman, said nothing.\n",
        *PEOPLE,
    )
    facts = facts_of(rows)
    assert not [f for f in facts if f[1] == "leader"], facts


def test_a_deputy_is_offered_as_deputy_where_the_vocabulary_has_that_post(candidates_of):
    invoke("property", "add", "deputy", "--type", "entity", "--multi")
    rows = candidates_of(
        "Report on Vela\n\nMarco Diaz, a Vela Guard deputy commander, met the press.\n",
        *PEOPLE,
    )
    facts = facts_of(rows)
    assert ("Vela Guard", "deputy", "Marco Diaz") in facts, facts
    assert not [f for f in facts if f[1] == "leader"], facts
