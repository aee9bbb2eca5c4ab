"""`extract` reads relations from the database's own property names: an entity property named
by a phrase ending in a preposition (``worked_for``, ``trained_by``) is looked for as those
words, any form of its verb unless passive, with the entity named right before as subject and
each entity named right after as value; a negation or a possessive after the phrase breaks
the link.

Each test is a small worked sentence written for it, about invented people and groups of an
invented valley, Vela, run through the real CLI (ingest, extract to a file) against a fresh
database with the few entities and properties it names.
"""

from __future__ import annotations

from conftest import facts_of, invoke


def _properties(*names: str) -> None:
    for name in names:
        invoke("property", "add", name, "--type", "entity", "--multi")


def test_a_property_name_read_as_words_links_the_entities_around_it(candidates_of):
    _properties("worked_for", "trained_by", "studied_under")
    rows = candidates_of(
        "Report on Vela\n\n"
        "Tomas Berg, who worked for Ana Ruiz, left in 2019. The Red Hand Brigade was trained "
        "by the Blue Lions and the Vela Guard. Marco Diaz studies under Ana Ruiz.\n",
        ("Tomas Berg", "person"),
        ("Ana Ruiz", "person"),
        ("Marco Diaz", "person"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("Vela Guard", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Tomas Berg", "worked_for", "Ana Ruiz") in facts, facts
    assert ("Red Hand Brigade", "trained_by", "Blue Lions") in facts, facts
    assert ("Red Hand Brigade", "trained_by", "Vela Guard") in facts, facts
    assert ("Marco Diaz", "studied_under", "Ana Ruiz") in facts, facts
    quote = next(r["quote"] for r in rows if r["property"] == "worked_for")
    assert "worked for Ana Ruiz" in quote, quote


def test_a_group_named_before_is_the_subject_of_the_group(candidates_of):
    _properties("close_ties_with")
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade was formed in 2015. The group has close ties with the Blue "
        "Lions.\n",
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "close_ties_with", "Blue Lions") in facts, facts


def test_no_link_through_a_negation_a_possessive_or_a_passive_read_as_active(candidates_of):
    _properties("worked_for", "close_ties_with", "founded_by")
    rows = candidates_of(
        "Report on Vela\n\n"
        "Tomas Berg never worked for Ana Ruiz. The Red Hand Brigade had close ties with "
        "Loria's commander Marco Diaz. Marco Diaz was found by the Blue Lions on Monday.\n",
        ("Tomas Berg", "person"),
        ("Ana Ruiz", "person"),
        ("Marco Diaz", "person"),
        ("Loria", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
    )
    facts = facts_of(rows)
    wanted = ("worked_for", "close_ties_with", "founded_by")
    assert not [f for f in facts if f[1] in wanted], facts


def test_without_a_name_right_before_the_subject_is_the_sentences_first_with_low_confidence(
    candidates_of,
):
    _properties("interrogated_by", "member_of")
    rows = candidates_of(
        "Report on Vela\n\n"
        "Tomas Berg was arrested in March and later interrogated by the Vela Guard. "
        "Marco Diaz was seen with Ana Ruiz and a member of the Blue Lions. Ana Ruiz was not "
        "seen again and never interrogated by the Vela Guard.\n",
        ("Tomas Berg", "person"),
        ("Marco Diaz", "person"),
        ("Ana Ruiz", "person"),
        ("Vela Guard", "organisation"),
        ("Blue Lions", "organisation"),
    )
    guessed = [r for r in rows if r["property"] == "interrogated_by"]
    assert [(r["subject"], r["value"]) for r in guessed] == [("Tomas Berg", "Vela Guard")], rows
    assert guessed[0]["confidence"] == "low", guessed
    # "a member of": a noun beside whoever it stands by, never given to the first name
    assert not [r for r in rows if r["property"] == "member_of"], facts_of(rows)


def test_a_property_named_by_a_verb_of_its_own_but_not_one_about_an_event(candidates_of):
    _properties("controls")
    invoke(
        "property",
        "add",
        "liberated",
        "--type",
        "entity",
        "--multi",
        "--description",
        "A place the subject helped retake from an enemy.",
    )
    invoke(
        "property",
        "add",
        "captured",
        "--type",
        "entity",
        "--multi",
        "--description",
        "A person captured in an event.",
    )
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade, with Lorian help, was instrumental in liberating Vela, Orsk "
        "and Tarn. The Blue Lions controlled Orsk until May. Soldiers of the Vela Guard "
        "captured Tomas Berg.\n",
        ("Vela", "place"),
        ("Orsk", "place"),
        ("Tarn", "place"),
        ("Tomas Berg", "person"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("Vela Guard", "organisation"),
    )
    facts = facts_of(rows)
    for place in ("Vela", "Orsk", "Tarn"):
        assert ("Red Hand Brigade", "liberated", place) in facts, facts
    assert ("Blue Lions", "controls", "Orsk") in facts, facts
    assert not [f for f in facts if f[1] == "captured"], facts
