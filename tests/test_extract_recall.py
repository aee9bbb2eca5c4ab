"""`extract` on wordings common in news text the seeds rarely use: numbers written in words
with their scale, and a speaker who "told" an outlet (the outlet is neither speaker nor
subject).

Each test is a small worked sentence written for it, run through the real CLI (ingest,
extract to a file) against a fresh database with the few entities it names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from provenance import lexicon


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two thousand", 2000),
        ("three hundred and fifty", 350),
        ("a hundred", 100),
        ("one million", 1000000),
        ("one hundred thousand", 100000),
        ("twenty-four", 24),
        ("two-dozen", 24),
    ],
)
def test_numbers_in_words_with_their_scale(words, value):
    import re

    found = re.search(rf"(?i)\b{lexicon.WORD_NUMBER}\b", f"about {words} fighters")
    assert found is not None and found.group() == words
    assert lexicon.word_value(found.group()) == Decimal(value)


def test_a_figure_in_words_with_a_scale_is_read_whole(candidates_of):
    rows = candidates_of(
        "The Red Hand Brigade has about two thousand fighters in the hills, according to the "
        "researcher Ana Ruiz.\n",
        ("Red Hand Brigade", "organisation"),
    )
    values = [(r["subject"], str(r["value"]), r.get("attributed_to")) for r in rows]
    assert ("Red Hand Brigade", "~2000", "Ana Ruiz") in values, values
    assert not [v for v in values if v[1] in ("~2", "2")], values


def test_whom_a_speaker_told_is_neither_speaker_nor_subject(candidates_of):
    rows = candidates_of(
        "Fighting in Vela\n\n"
        "The Red Hand Brigade attacked a checkpoint near Vela on Monday.\n"
        "Two soldiers were wounded, a local official told Reuters.\n",
        ("Red Hand Brigade", "organisation"),
        ("Reuters", "organisation"),
        ("Vela", "place"),
    )
    wounded = [r for r in rows if r["property"] == "wounded"]
    assert len(wounded) == 1, rows
    assert wounded[0]["subject"] != "Reuters"
    assert wounded[0]["attributed_to"] not in (None, "Reuters"), wounded


def test_the_agent_of_an_event_in_the_passive(candidates_of):
    rows = candidates_of(
        "Attack in Vela\n\n"
        "A rocket attack hit a police station in Vela on Monday, killing three officers.\n"
        "The attack was carried out by the Red Hand Brigade, the police said.\n"
        "A drone strike hit the port of Vela on Tuesday.\n"
        "Two guards were wounded by the Northern Front.\n"
        "Police said the blast was not carried out by the Red Hand Brigade.\n",
        ("Red Hand Brigade", "organisation"),
        ("Northern Front", "organisation"),
        ("Vela", "place"),
    )
    agents = [
        (r["subject"], r["value"], r.get("attributed_to"))
        for r in rows
        if r["property"] == "carried_out_by"
    ]
    assert agents == [
        ("Vela rocket attack of 6 May 2024", "Red Hand Brigade", "police"),
        ("Vela drone strike of 7 May 2024", "Northern Front", None),
    ], agents


def test_a_death_toll_a_turnout_and_a_city_that_is_no_agent(candidates_of):
    rows = candidates_of(
        "Blast in Vela\n\n"
        "The death toll from the Vela bombing rose to 15, the health ministry said.\n"
        "In the provincial election, nearly 40 per cent of voters took part, officials said.\n",
        ("Vela", "place"),
    )
    found = {(r["property"], str(r["value"])) for r in rows}
    assert ("killed", "15") in found, rows
    assert ("turnout", "~40") in found, rows
    assert not [r for r in rows if r["property"] == "territory_share"], rows
    # "the Vela bombing": the city is where it happened, not who carried it out
    assert not [r for r in rows if r["property"] == "carried_out_by"], rows


def test_a_backer_written_as_an_adjective_before_the_group(candidates_of):
    rows = candidates_of(
        "Militias in Vela\n\n"
        "Police blamed an Iranian-backed militia known as the Red Hand Brigade for the fire.\n"
        "Iran-backed militias have grown stronger in the north since 2019, officials said.\n",
        ("Red Hand Brigade", "organisation"),
        ("Iran", "place", "Iranians"),
    )
    backed = [(r["subject"], r["value"]) for r in rows if r["property"] == "backed_by"]
    assert backed == [("Red Hand Brigade", "Iran")], rows


def test_a_groups_attack_with_an_adjective_and_the_work_of(candidates_of):
    rows = candidates_of(
        "Raid in Vela\n\n"
        "In May 2019, the Red Hand Brigade carried out a daring attack on a depot in Vela.\n"
        "Police later found that a bombing in Corsa was the work of a militia known as the "
        "Northern Front.\n",
        ("Red Hand Brigade", "organisation"),
        ("Northern Front", "organisation"),
        ("Vela", "place"),
        ("Corsa", "place"),
    )
    agents = {(r["subject"], r["value"]) for r in rows if r["property"] == "carried_out_by"}
    # a group's attack keeps the place it is named by
    assert ("Vela attack of May 2019", "Red Hand Brigade") in agents, rows
    assert any(value == "Northern Front" and "Corsa" in subject for subject, value in agents), rows


def test_a_counted_noun_said_once_for_two_figures(candidates_of):
    rows = candidates_of(
        "Strikes\n\nOn Monday, Corsican jets hit four depots in Vela and two in the hills.\n",
        ("Vela", "place"),
    )
    counts = sorted(str(r["value"]) for r in rows if r["property"] == "count")
    assert counts == ["2", "4"], rows


def test_two_people_sharing_a_surname(candidates_of):
    rows = candidates_of(
        "Sanctions\n\nAna and Mira Sand had been sanctioned by the US in March.\n",
        ("Ana Sand", "person"),
        ("Mira Sand", "person"),
        ("United States", "place", "US"),
    )
    sanctioned = sorted(r["subject"] for r in rows if r["property"] == "sanctioned_by_us")
    assert sanctioned == ["Ana Sand", "Mira Sand"], rows
