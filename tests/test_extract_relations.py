"""`extract` reads who did what to whom: an event's agent, target and victims, who backs,
trains, designates or sanctions a group, and the posts people hold.

Each test is a small worked sentence run through the real CLI (ingest, extract to a file)
against a fresh database with the few entities it names; the candidates are read back from
the YAML an editor would edit.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import invoke

COUNTRIES = (("United States", "place", "U.S.", "US"), ("Iran", "place"))


@pytest.fixture
def relations_of(db_path, tmp_path):
    """The relation candidates of a text, with the countries and ``entities`` known."""
    invoke("init")

    def run(text, *entities, published=None):
        for entity_name, kind, *aliases in COUNTRIES + entities:
            invoke("entity", "add", entity_name, "--kind", kind, *[f"--alias={a}" for a in aliases])
        path = tmp_path / "article.txt"
        path.write_text(text, encoding="utf-8")
        invoke("ingest", path)
        if published:
            invoke("source", "edit", "article", "--published", published, "--reason", "dated")
        out = tmp_path / "article.yaml"
        invoke("extract", "article", "-o", out, "--kinds", "relation,leadership")
        document = yaml.safe_load(out.read_text(encoding="utf-8"))
        # the file imports as written: every relation names what the vocabulary can hold
        invoke("import", out, "--dry-run", "--new-entities")
        return {
            (c["subject"], c["property"], str(c["value"]), c.get("attributed_to"))
            for c in document["claims"] or []
        }

    return run


def test_the_agent_and_target_of_an_attack(relations_of):
    found = relations_of(
        "On Sunday, the United States hit back with airstrikes at Kata'ib Hezbollah in Iraq.\n",
        ("Kata'ib Hezbollah", "organisation"),
    )
    event = "U.S. airstrikes on Kata'ib Hezbollah"
    assert (event, "carried_out_by", "United States", None) in found, found
    assert (event, "target", "Kata'ib Hezbollah", None) in found, found


def test_a_nationality_before_the_attack_is_its_agent(relations_of):
    found = relations_of(
        "Dozens were hurt in the Iranian missile attack on American forces at two bases.\n",
        ("U.S. military", "organisation", "American forces"),
    )
    event = "Iranian missile attack"
    assert found == {
        (event, "carried_out_by", "Iran", None),
        (event, "target", "U.S. military", None),
    }, found


def test_victims_of_an_event_the_database_knows(relations_of):
    found = relations_of(
        "The leader of the force, Qassem Soleimani, was assassinated by a US airstrike in Iraq "
        "on Friday.\n"
        "Abu Mahdi al-Muhandis was also killed in Friday's strike.\n",
        ("Qassem Soleimani", "person", "Soleimani"),
        ("Abu Mahdi al-Muhandis", "person"),
        ("Killing of Qassem Soleimani and Abu Mahdi al-Muhandis", "event"),
        published="2020-01-04",
    )
    event = "Killing of Qassem Soleimani and Abu Mahdi al-Muhandis"
    assert {
        (event, "victims", "Qassem Soleimani", None),
        (event, "victims", "Abu Mahdi al-Muhandis", None),
        (event, "carried_out_by", "United States", None),
    } <= found, found


def test_posts_before_and_after_a_name(relations_of):
    found = relations_of(
        "Twelve were hurt, said Pentagon spokesman Jonathan Hoffman on Friday.\n"
        "Jonathan Hoffman, the Assistant to the Secretary of Defense for Public Affairs, said "
        "the group was to blame.\n"
        "President Donald Trump said there were no deaths.\n",
        ("Jonathan Hoffman", "person", "Hoffman"),
        ("Donald Trump", "person"),
    )
    assert found == {
        ("Jonathan Hoffman", "position", "Pentagon spokesman", None),
        (
            "Jonathan Hoffman",
            "position",
            "Assistant to the Secretary of Defense for Public Affairs",
            None,
        ),
    }, found  # a bare "President" says whose president only by context


def test_backing_training_designation_and_sanctions(relations_of):
    found = relations_of(
        "Kata'ib Hezbollah — an Iranian proxy militia — fought in Iraq.\n"
        "It receives the vast majority of its support from Iran.\n"
        "The State Department said Asaib Ahl al-Haq is funded and trained by the Quds Force.\n"
        "Kata'ib Hezbollah was labeled a foreign terrorist organization by the U.S. in 2009.\n"
        "The Quds Force has also been sanctioned by the United States.\n",
        ("Kata'ib Hezbollah", "organisation"),
        ("Asa'ib Ahl al-Haq", "organisation", "Asaib Ahl al-Haq"),
        ("Quds Force", "organisation"),
        ("U.S. Department of State", "organisation", "State Department"),
    )
    kh, aah = "Kata'ib Hezbollah", "Asa'ib Ahl al-Haq"
    state = "U.S. Department of State"
    assert found == {
        (kh, "backed_by", "Iran", None),  # a proxy, and support from Iran: two candidates
        (aah, "backed_by", "Quds Force", state),
        (aah, "trained_by", "Quds Force", state),
        (kh, "designated_by", "United States", None),
        ("Quds Force", "sanctioned_by_us", "true", None),
    }, found


def test_a_group_claiming_the_attack_is_its_agent(relations_of):
    found = relations_of(
        "Rockets hit the airport in Erbil on Monday in a rocket attack on the coalition base.\n"
        "Saraya Awliya al-Dam claimed responsibility for the attack.\n",
        ("Saraya Awliya al-Dam", "organisation"),
        ("Erbil", "place"),
    )
    assert {(p, v) for _, p, v, _ in found} >= {("carried_out_by", "Saraya Awliya al-Dam")}
    assert {s for s, p, _, _ in found if p == "carried_out_by"} == {"Erbil rocket attack"}, found


def test_a_post_before_a_person_the_database_lacks_with_a_rank(relations_of):
    found = relations_of(
        "Three rockets landed, coalition spokesman Col. Wayne Marotto said on Twitter.\n"
    )
    assert found == {("Wayne Marotto", "position", "coalition spokesman", None)}, found


def test_who_fired_where_it_happened_and_the_articles_own_words_in_a_report(relations_of):
    found = relations_of(
        "The Iranian missile attack hit two bases.\n"
        "On Jan. 8, Iran fired around two-dozen missiles at two bases in Iraq.\n"
        "Tehran said it fired the missiles in retaliation to an American airstrike that killed "
        "its commander, Qassem Soleimani, who headed the Quds Force.\n",
        ("Qassem Soleimani", "person", "Soleimani"),
        ("Quds Force", "organisation"),
        ("Killing of Qassem Soleimani", "event"),
        ("Tehran", "place"),
        published="2020-01-24",
    )
    attack = "Iranian missile attack of 8 January 2020"
    killing = "Killing of Qassem Soleimani"
    assert {
        (attack, "carried_out_by", "Iran", None),
        (killing, "carried_out_by", "United States", None),  # a relative clause: not Tehran's
        (killing, "victims", "Qassem Soleimani", None),
        ("Quds Force", "leader", "Qassem Soleimani", None),
    } <= found, found


def test_the_place_right_after_the_event_and_a_sibling(relations_of):
    found = relations_of(
        "Qassem Soleimani was assassinated by a US airstrike in Iraq on Friday.\n"
        "Pompeo said Qais al-Khazali, the group's leader, and his brother Laith al-Khazali, "
        "a senior figure in the group, use violence.\n",
        ("Qassem Soleimani", "person"),
        ("Killing of Qassem Soleimani", "event"),
        ("Iraq", "place"),
        ("Qais al-Khazali", "person"),
        ("Laith al-Khazali", "person"),
        ("Mike Pompeo", "person", "Pompeo"),
        published="2020-01-04",
    )
    assert {
        ("Killing of Qassem Soleimani", "location", "Iraq", None),
        ("Qais al-Khazali", "sibling", "Laith al-Khazali", None),  # the article's apposition
        ("Laith al-Khazali", "position", "a senior figure in the group", None),
    } <= found, found


def test_a_negated_relation_is_false_or_left_out(relations_of):
    found = relations_of(
        "What matters is that Mohammed al-Sudani is not sanctioned by the US.\n"
        "The militias, not receiving sufficient support from Iran, launched drones.\n",
        ("Mohammed al-Sudani", "person"),
        ("Iraqi militias", "organisation", "militias"),
    )
    assert found == {("Mohammed al-Sudani", "sanctioned_by_us", "false", None)}, found
