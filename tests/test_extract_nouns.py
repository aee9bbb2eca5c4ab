"""`extract` reads relations told by a noun the vocabulary gives a property: the "-ing" noun
of an "<verb>ed_by" property ("training" of ``trained_by``), its stem when long
("control"), and the words its description lists in brackets ("funding, weapons, training"
of ``backed_by``), in three shapes: "received … from", "provided … with" / "… to", and the
giver's possessive or country adjective before the noun.

Each test is a small worked sentence written for it, about invented groups of an invented
valley, Vela, and an invented country, Loria, run through the real CLI (ingest, extract to a
file) against a fresh database with the few entities and properties it names.
"""

from __future__ import annotations

from conftest import facts_of, invoke


def _properties() -> None:
    invoke(
        "property",
        "add",
        "backed_by",
        "--type",
        "entity",
        "--multi",
        "--description",
        "A state or organisation that supported the subject (funding, weapons, advice).",
    )
    invoke("property", "add", "trained_by", "--type", "entity", "--multi")
    invoke("property", "add", "controlled_by", "--type", "entity")
    # about an event: its noun "support" links no giver and receiver
    invoke(
        "property",
        "add",
        "supported_by",
        "--type",
        "entity",
        "--description",
        "A person, group or state that supported an event.",
    )


GROUPS = (
    ("Vela", "place"),
    ("Loria", "place"),
    ("Red Hand Brigade", "organisation"),
    ("Blue Lions", "organisation"),
    ("Vela Guard", "organisation"),
)


def test_what_a_group_received_from_a_giver_gives_each_propertys_noun(candidates_of):
    _properties()
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade received funding, weapons and training from Loria and the Blue "
        "Lions. Loria provided the Vela Guard with training in 2019.\n",
        *GROUPS,
    )
    facts = facts_of(rows)
    for giver in ("Loria", "Blue Lions"):
        assert ("Red Hand Brigade", "backed_by", giver) in facts, facts
        assert ("Red Hand Brigade", "trained_by", giver) in facts, facts
    assert ("Vela Guard", "trained_by", "Loria") in facts, facts
    assert not [f for f in facts if f[1] == "supported_by"], facts


def test_a_givers_possessive_or_adjective_before_the_noun(candidates_of):
    _properties()
    rows = candidates_of(
        "Report on Vela\n\n"
        "Lorian funding for the Red Hand Brigade grew in 2020. The Blue Lions' control over "
        "the Vela Guard was complete by then.\n",
        *GROUPS,
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "backed_by", "Loria") in facts, facts
    assert ("Vela Guard", "controlled_by", "Blue Lions") in facts, facts


def test_a_negation_or_a_noun_of_no_property_links_nothing(candidates_of):
    _properties()
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade did not receive funding from Loria. The Vela Guard received "
        "visitors from the Blue Lions. Lorian praise for the Blue Lions was loud.\n",
        *GROUPS,
    )
    facts = facts_of(rows)
    assert not [f for f in facts if f[1] in ("backed_by", "trained_by", "controlled_by")], facts
