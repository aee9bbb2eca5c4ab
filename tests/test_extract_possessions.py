"""`extract` reads a relation named by a noun of the vocabulary told with a possessive name:
"X, Y's predecessor", "Y's deputy X", "X was Y's deputy"; the noun is the property's own
name, never a verb of its own or a property whose subject is an event.

Each test is a small worked sentence written for it, about invented people of an invented
valley, Vela, run through the real CLI (ingest, extract to a file) against a fresh database
with the few entities and properties it names.
"""

from __future__ import annotations

from conftest import facts_of, invoke

PEOPLE = (
    ("Vela", "place"),
    ("Ana Ruiz", "person"),
    ("Tomas Berg", "person"),
    ("Marco Diaz", "person"),
    ("Red Hand Brigade", "organisation"),
)


def _properties() -> None:
    for name in ("deputy", "predecessor"):
        invoke("property", "add", name, "--type", "entity", "--multi")
    invoke(
        "property",
        "add",
        "victims",
        "--type",
        "entity",
        "--multi",
        "--description",
        "A named person killed in an event.",
    )


def test_a_propertys_noun_after_a_possessive_name(candidates_of):
    _properties()
    rows = candidates_of(
        "Report on Vela\n\n"
        "Ana Ruiz, Tomas Berg’s predecessor, left Vela in May. The Red Hand Brigade's "
        "deputy Marco Diaz stayed. Later, Tomas Berg was Ana Ruiz's deputy.\n",
        *PEOPLE,
    )
    facts = facts_of(rows)
    assert ("Tomas Berg", "predecessor", "Ana Ruiz") in facts, facts
    assert ("Red Hand Brigade", "deputy", "Marco Diaz") in facts, facts
    assert ("Ana Ruiz", "deputy", "Tomas Berg") in facts, facts


def test_no_noun_of_an_event_property_and_no_name_beside_no_relation(candidates_of):
    _properties()
    rows = candidates_of(
        "Report on Vela\n\n"
        "Ana Ruiz, the Red Hand Brigade's victims said, fled. Tomas Berg’s deputy left "
        "early in the morning.\n",
        *PEOPLE,
    )
    facts = facts_of(rows)
    assert not [f for f in facts if f[1] in ("victims", "deputy", "predecessor")], facts
