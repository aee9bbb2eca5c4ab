"""`extract` reads what is said of someone in words: what they are accused of, what they
demand, what they are called, why they acted, what they do and what a mission is for.

Each test is a small worked sentence (written for the test, not taken from an article) run
through the real CLI (ingest, extract to a file) against a fresh database with the few
entities it names; the candidates are read back from the YAML an editor would edit.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import invoke

TEXT_PROPERTIES = ("accused_of", "demanded", "described_as", "stated_reason", "activity", "mission")


@pytest.fixture
def said_of(db_path, tmp_path):
    """The text-valued candidates of a text, with ``entities`` known."""
    invoke("init")

    def run(text, *entities, published=None):
        for entity_name, kind, *aliases in entities:
            invoke("entity", "add", entity_name, "--kind", kind, *[f"--alias={a}" for a in aliases])
        path = tmp_path / "article.txt"
        path.write_text(text, encoding="utf-8")
        invoke("ingest", path)
        if published:
            invoke("source", "edit", "article", "--published", published, "--reason", "dated")
        out = tmp_path / "article.yaml"
        invoke("extract", "article", "-o", out, "--kinds", "relation")
        document = yaml.safe_load(out.read_text(encoding="utf-8"))
        # the file imports as written: a new property is declared, every value parses
        invoke("import", out, "--dry-run", "--new-entities")
        return {
            (c["subject"], c["property"], str(c["value"]), c.get("attributed_to"))
            for c in document["claims"] or []
            if c["property"] in TEXT_PROPERTIES
        }

    return run


def test_an_accusation_names_the_accused_and_the_accuser(said_of):
    found = said_of(
        "In March, the interior minister Ana Ruiz accused the Red Hand Brigade and its leader "
        "Tomas Vell of smuggling fuel across the northern border, a charge both deny.\n",
        ("Ana Ruiz", "person"),
        ("Red Hand Brigade", "organisation"),
        ("Tomas Vell", "person"),
    )
    value = "smuggling fuel across the northern border"
    assert ("Red Hand Brigade", "accused_of", value, "Ana Ruiz") in found, found
    assert ("Tomas Vell", "accused_of", value, "Ana Ruiz") in found, found


def test_an_accusation_without_its_accuser_and_blame(said_of):
    found = said_of(
        "The Delta Logistics company was accused of bribing customs officers in two ports.\n"
        "The Port Council blamed the Harbour Authority for delaying the new bridge by a year.\n",
        ("Delta Logistics", "organisation"),
        ("Harbour Authority", "organisation"),
        ("Port Council", "organisation"),
    )
    assert found == {
        ("Delta Logistics", "accused_of", "bribing customs officers in two ports", None),
        ("Harbour Authority", "accused_of", "delaying the new bridge by a year", "Port Council"),
    }, found


def test_a_demand_is_the_words_after_the_verb_to_the_clause_end(said_of):
    found = said_of(
        "The Dockers Union demanded the release of the detained workers, before the strike "
        "spread to the railways.\n",
        ("Dockers Union", "organisation"),
    )
    assert found == {("Dockers Union", "demanded", "the release of the detained workers", None)}, (
        found
    )


def test_a_description_keeps_a_list_of_qualities(said_of):
    found = said_of(
        "Mira Sand described the governor Paul Ek as a careful, modest, and honest "
        "administrator, and praised his budget.\n",
        ("Mira Sand", "person"),
        ("Paul Ek", "person"),
    )
    value = "a careful, modest, and honest administrator"
    assert found == {("Paul Ek", "described_as", value, "Mira Sand")}, found


def test_a_name_in_quotation_marks_and_who_gave_it(said_of):
    found = said_of(
        "The mayor Lena Holt called the Northern Front a “reckless gang of smugglers.”\n"
        "The Corsican airstrikes on Vela, called “precautionary measures” by the Interior "
        "Ministry, went on.\n",
        ("Lena Holt", "person"),
        ("Northern Front", "organisation"),
        ("Ministry of the Interior", "organisation", "Interior Ministry"),
        ("Vela", "place"),
    )
    assert (
        "Northern Front",
        "described_as",
        "a reckless gang of smugglers",
        "Lena Holt",
    ) in found, found
    raids = [c for c in found if c[2] == "precautionary measures"]
    assert [c[3] for c in raids] == ["Ministry of the Interior"], found


def test_what_a_speaker_says_a_group_is_in_quoted_words(said_of):
    found = said_of(
        'The envoy Karl Moen said the Northern Front and its allies "are instruments of a '
        'foreign power".\n'
        'He added that the Northern Front is "extensively armed" by its neighbours.\n',
        ("Karl Moen", "person"),
        ("Northern Front", "organisation"),
    )
    # the passive ("is “extensively armed” by") is a relation, not a description
    assert found == {
        ("Northern Front", "described_as", "instruments of a foreign power", "Karl Moen")
    }, found


def test_a_leaning_written_before_a_name(said_of):
    found = said_of(
        "Votes for the Moscow-aligned Unity Party and the pro-Western Civic Forum rose.\n",
        ("Unity Party", "organisation"),
        ("Civic Forum", "organisation"),
    )
    assert found == {
        ("Unity Party", "described_as", "Moscow-aligned", None),
        ("Civic Forum", "described_as", "pro-Western", None),
    }, found


def test_a_reason_is_about_the_event_told_of_before_its_cause(said_of):
    found = said_of(
        "The naval bombardment of the port of Vela began on Monday.\n"
        "The government said it shelled the port in retaliation for a drone attack that "
        "sank its patrol boat, the Orca, and would do so again.\n"
        "The shelling was in retaliation for the sinking of a U.S. ship near Vela, Corsa, "
        "on Sunday.\n",
        ("Government of Corsa", "organisation", "The government"),
        ("Vela", "place"),
        ("Corsa", "place"),
        published="2024-05-08",
    )
    reasons = {(c[2], c[3]) for c in found if c[1] == "stated_reason"}
    assert reasons == {
        # an apposition after a common noun belongs to it ("its patrol boat, the Orca")
        (
            "retaliation for a drone attack that sank its patrol boat, the Orca",
            "Government of Corsa",
        ),
        # "U.S." is no clause end; a place after a place ("Vela, Corsa") is where it ends
        ("retaliation for the sinking of a U.S. ship near Vela", None),
    }, found
    # the cause named after "in retaliation for" is never the subject
    assert all("bombardment" in c[0].lower() or "shelling" in c[0].lower() for c in found), found


def test_what_a_group_has_done_and_what_a_person_does(said_of):
    found = said_of(
        "The Red Hand Brigade is an armed group. It has been responsible for dozens of "
        "kidnappings in the north.\n"
        "Tomas Vell was the group's chief of finance, running its accounts in three "
        "provinces.\n"
        "Later, Tomas Vell ordered his fighters to be on “full alert for an attack”.\n"
        "The group was responsible for the attack on the depot.\n",
        ("Red Hand Brigade", "organisation"),
        ("Tomas Vell", "person"),
    )
    assert found == {
        ("Red Hand Brigade", "activity", "dozens of kidnappings in the north", None),
        ("Tomas Vell", "activity", "running its accounts in three provinces", None),
        ("Tomas Vell", "activity", "ordered his fighters to be on full alert for an attack", None),
    }, found


def test_what_a_mission_is_for(said_of):
    found = said_of(
        "The tasks of the Observer Mission are limited to monitoring the ceasefire, the "
        "ministry said.\n"
        "The Blue Force is in Corsa at the invitation of the government to keep the two "
        "communities apart and clear mines.\n",
        ("Observer Mission", "organisation"),
        ("Blue Force", "organisation"),
        ("Corsa", "place"),
    )
    assert ("Observer Mission", "mission", "monitoring the ceasefire") in {c[:3] for c in found}
    assert (
        "Blue Force",
        "mission",
        "keep the two communities apart and clear mines",
        None,
    ) in found, found


def test_a_speaker_written_with_a_post_or_as_a_capital(said_of):
    found = said_of(
        "The Corsican shelling of Vela went on for a week.\n"
        'Foreign Secretary Ana Ruiz said the Northern Front "is a criminal network".\n'
        "Moscow said it shelled Vela in retaliation for the sinking of its cargo ship.\n",
        ("Northern Front", "organisation"),
        ("Vela", "place"),
        ("Russia", "place"),
    )
    # the post before a name is not part of the speaker; a capital speaks for its country
    assert ("Northern Front", "described_as", "a criminal network", "Ana Ruiz") in found, found
    reasons = [c for c in found if c[1] == "stated_reason"]
    assert [(c[2], c[3]) for c in reasons] == [
        ("retaliation for the sinking of its cargo ship", "Russia")
    ], found
