"""`extract` reads posts written as titles from the database's own properties: a property
whose description starts with its name as a title ("Prime Minister of a country") is offered
where the text names the person holding it and says whose post it is ("Velan Prime Minister
Ana Ruiz", "Vela's prime minister, Ana Ruiz", "the President of Vela, Ana Ruiz"); a bare title
("Prime Minister Ana Ruiz") takes the owner the text gave that person's post before, else
the place the text named most, with low confidence.

Each test is a small worked sentence written for it, about an invented country, Vela, run
through the real CLI (ingest, extract to a file) against a fresh database with the few
entities and properties it names.
"""

from __future__ import annotations

from conftest import facts_of, invoke


def _titles() -> None:
    invoke(
        "property",
        "add",
        "prime_minister",
        "--type",
        "entity",
        "--time-varying",
        "--description",
        "Prime Minister of a country (subject: the country) at a time.",
    )
    invoke(
        "property",
        "add",
        "interior_minister",
        "--type",
        "entity",
        "--time-varying",
        "--description",
        "Interior Minister of a country (subject: the country) at a time.",
    )
    # named like a post, but not described as one: never read as a title
    invoke("property", "add", "target", "--type", "entity", "--description", "Whom an attack hit.")


def test_a_title_with_a_countrys_adjective_or_possessive_names_whose_post(candidates_of):
    invoke("init")
    _titles()
    rows = candidates_of(
        "Report on Vela\n\n"
        "Velan Prime Minister Ana Ruiz met the Red Hand Brigade on Monday. Later, Vela's "
        "interior minister, General Tomas Berg, closed the border. Marco Diaz, the Lorian "
        "prime minister, stayed home.\n",
        ("Vela", "place"),
        ("Loria", "place"),
        ("Ana Ruiz", "person"),
        ("Tomas Berg", "person"),
        ("Marco Diaz", "person"),
        ("Red Hand Brigade", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Vela", "prime_minister", "Ana Ruiz") in facts, facts
    assert ("Vela", "interior_minister", "Tomas Berg") in facts, facts
    assert ("Loria", "prime_minister", "Marco Diaz") in facts, facts
    titled = [r for r in rows if r["property"] in ("prime_minister", "interior_minister")]
    assert len(titled) == 3, facts
    assert all(r["confidence"] is None for r in titled), titled
    assert "Velan Prime Minister Ana Ruiz" in titled[0]["quote"], titled[0]


def test_a_title_of_a_country_written_with_of(candidates_of):
    invoke("init")
    _titles()
    rows = candidates_of(
        "Report on Vela\n\nThe Prime Minister of Vela, Ana Ruiz, denied the report.\n",
        ("Vela", "place"),
        ("Ana Ruiz", "person"),
    )
    assert ("Vela", "prime_minister", "Ana Ruiz") in facts_of(rows), facts_of(rows)


def test_a_bare_title_takes_the_owner_told_before_else_a_low_confidence_guess(candidates_of):
    invoke("init")
    _titles()
    rows = candidates_of(
        "Report on Vela\n\n"
        "Lorian Prime Minister Marco Diaz flew to Vela on Monday. Prime Minister Marco Diaz "
        "met officials in Vela and in the Vela hills. Interior Minister Tomas Berg stayed in "
        "Vela.\n",
        ("Vela", "place"),
        ("Loria", "place"),
        ("Marco Diaz", "person"),
        ("Tomas Berg", "person"),
    )
    by_value = {(r["property"], r["value"]): r for r in rows}
    diaz = [r for r in rows if r["property"] == "prime_minister"]
    assert {r["subject"] for r in diaz} == {"Loria"}, facts_of(rows)
    assert all(r["confidence"] is None for r in diaz), diaz
    # whose interior minister the text never says: the place it names most, marked as a guess
    berg = by_value[("interior_minister", "Tomas Berg")]
    assert berg["subject"] == "Vela", berg
    assert berg["confidence"] == "low", berg


def test_no_title_without_a_person_or_from_a_property_not_described_as_a_post(candidates_of):
    invoke("init")
    _titles()
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Velan prime minister said the border would stay closed. Velan target Ana Ruiz "
        "was unharmed. The interior minister Tomas Berg of the old regime fled.\n",
        ("Vela", "place"),
        ("Ana Ruiz", "person"),
        ("Tomas Berg", "person"),
    )
    facts = facts_of(rows)
    assert not [f for f in facts if f[1] in ("prime_minister", "target", "interior_minister")], (
        facts
    )


def test_a_bare_title_takes_the_owner_the_database_records(candidates_of, tmp_path):
    invoke("init")
    _titles()
    invoke("entity", "add", "Loria", "--kind", "place")
    invoke("entity", "add", "Tomas Berg", "--kind", "person")
    invoke("source", "add", "loria-gazette", "--title", "Loria Gazette")
    notes = tmp_path / "recorded.yaml"
    notes.write_text(
        "claims:\n"
        "  - source: loria-gazette\n"
        "    subject: Loria\n"
        "    property: interior_minister\n"
        "    value: Tomas Berg\n",
        encoding="utf-8",
    )
    invoke("import", notes)
    rows = candidates_of(
        "Report on Vela\n\nInterior Minister Tomas Berg stayed in Vela and Vela again.\n",
        ("Vela", "place"),
    )
    berg = [r for r in rows if r["property"] == "interior_minister"]
    assert [(r["subject"], r["confidence"]) for r in berg] == [("Loria", None)], berg


def test_a_title_of_the_past_counts_and_a_vice_or_deputy_title_is_another_post(candidates_of):
    invoke("init")
    _titles()
    rows = candidates_of(
        "Report on Vela\n\n"
        "Aides of then-Prime Minister Ana Ruiz of Vela said so. Velan Deputy Prime Minister "
        "Marco Diaz and Velan Vice Prime Minister Tomas Berg disagreed.\n",
        ("Vela", "place"),
        ("Ana Ruiz", "person"),
        ("Marco Diaz", "person"),
        ("Tomas Berg", "person"),
    )
    facts = [f for f in facts_of(rows) if f[1] == "prime_minister"]
    assert [f[2] for f in facts] == ["Ana Ruiz"], facts
