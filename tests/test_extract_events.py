"""`extract` puts the figures and dates of an event on the event, named the way the seeds
name events, and leaves out what a desk would not record (headlines, captions, the day a
statement was made, bare quotations).

Each test is a small worked sentence run through the real CLI (ingest, extract to a file)
against a fresh database; the candidates are read back from the YAML an editor would edit.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import invoke


@pytest.fixture
def extract_text(db_path, tmp_path):
    """The candidates of a text as a source, with entities (name, kind, aliases) known."""
    invoke("init")

    def run(text, *entities, kinds=None, published=None):
        for entity_name, kind, *aliases in entities:
            invoke("entity", "add", entity_name, "--kind", kind, *[f"--alias={a}" for a in aliases])
        path = tmp_path / "article.txt"
        path.write_text(text, encoding="utf-8")
        invoke("ingest", path)
        if published:
            invoke("source", "edit", "article", "--published", published, "--reason", "dated")
        out = tmp_path / "article.yaml"
        invoke("extract", "article", "-o", out, *(["--kinds", kinds] if kinds else []))
        return yaml.safe_load(out.read_text(encoding="utf-8"))["claims"] or []

    return run


def _rows(claims, prop=None, value=None):
    return [
        c
        for c in claims
        if (prop is None or c["property"] == prop) and (value is None or str(c["value"]) == value)
    ]


def test_figures_of_an_attack_are_about_the_attack_named_with_its_day(extract_text):
    claims = extract_text(
        "Thirty-four service members were wounded in the Iranian missile attack on American "
        "forces at two bases, officials said.\n"
        "On Jan. 8, Iran fired around two-dozen missiles at the bases in Iraq.\n",
        ("Iran", "place"),
        published="2020-01-24",
    )
    wounded = _rows(claims, "wounded", "34")
    assert [c["subject"] for c in wounded] == ["Iranian missile attack of 8 January 2020"], claims
    dated = _rows(claims, "date", "2020-01-08")
    assert [c["subject"] for c in dated] == ["Iranian missile attack of 8 January 2020"], claims


def test_the_attack_refers_to_the_attack_named_before(extract_text):
    claims = extract_text(
        "The militia hit a base outside Kirkuk with a rocket attack on Friday.\n"
        "The attack killed one contractor and wounded four soldiers.\n",
        published="2019-12-29",
    )
    subjects = {c["subject"] for c in _rows(claims, "killed") + _rows(claims, "wounded")}
    assert subjects == {"Kirkuk rocket attack of 27 December 2019"}, claims


def test_the_agent_of_a_verb_names_the_event_and_a_later_mention_is_the_same(extract_text):
    claims = extract_text(
        "On Sunday, the United States hit back with airstrikes at Kata'ib Hezbollah in Iraq.\n"
        "The U.S. airstrikes hit five locations in Iraq.\n"
        "At least 18 militant fighters were killed.\n",
        ("United States", "place", "U.S."),
        ("Kata'ib Hezbollah", "organisation"),
        published="2019-12-30",
    )
    name = "U.S. airstrikes on Kata'ib Hezbollah of 29 December 2019"
    assert [c["subject"] for c in _rows(claims, "killed", ">=18")] == [name], claims
    assert [c["subject"] for c in _rows(claims, "date", "2019-12-29")] == [name], claims


def test_an_event_the_database_knows_is_reused_through_its_victim(extract_text):
    claims = extract_text(
        "Qassem Soleimani was assassinated by a US airstrike in Iraq on Friday.\n",
        ("Qassem Soleimani", "person", "Soleimani"),
        ("Killing of Qassem Soleimani", "event"),
        published="2020-01-04",
    )
    dated = _rows(claims, "date", "2020-01-03")
    assert [c["subject"] for c in dated] == ["Killing of Qassem Soleimani"], claims


def test_many_events_and_a_verb_are_not_one_event(extract_text):
    claims = extract_text(
        "The group has claimed more than 6,000 attacks against coalition forces.\n"
        "Officials accused them of killing anti-government protesters in 2019.\n",
        ("The group", "organisation"),
    )
    assert claims and all("attack" not in c["subject"].lower() for c in claims), claims
    assert all("killing" not in c["subject"].lower() for c in claims), claims


def test_the_day_a_statement_was_made_is_not_a_candidate(extract_text):
    claims = extract_text(
        "A day later, President Donald Trump said the strike had killed 12 fighters.\n"
        "Twelve fighters were killed, said Pentagon spokesman Jonathan Hoffman on Friday.\n",
        published="2020-01-24",
        kinds="date",
    )
    assert claims == [], claims


def test_headline_and_photo_caption_are_page_furniture(extract_text):
    claims = extract_text(
        "34 US Troops Suffered Injuries in Missile Strike\n\n"
        "Debris is seen at the site where a missile hit the base on Jan. 13, 2020. "
        "(John Davison/Reuters)\n\n"
        "Eight soldiers were wounded in the attack, the ministry said.\n",
    )
    assert [c["value"] for c in claims] == ["8"], claims


def test_a_bare_quotation_is_offered_only_when_statements_are_asked_for(extract_text):
    text = "“We will not be deterred by threats,” the spokesman said on Monday.\n"
    assert extract_text(text) == []
    asked = extract_text(text, kinds="statement")
    assert [c["property"] for c in asked] == ["statement"], asked


# ---------------------------------------------------------------- counted nouns → properties


def test_no_deaths_or_injuries_is_none_killed_and_none_wounded_as_the_speaker_says(extract_text):
    claims = extract_text(
        "The Iranian missile attack hit two bases.\n"
        "A day later, President Donald Trump said there were no deaths or injuries.\n",
        ("Donald Trump", "person", "President Donald Trump"),
    )
    zero = [(c["property"], c.get("attributed_to")) for c in _rows(claims, value="0")]
    assert sorted(zero) == [("killed", "Donald Trump"), ("wounded", "Donald Trump")], claims


def test_part_of_a_toll_is_a_count_of_those_people(extract_text):
    claims = extract_text(
        "The U.S. airstrikes hit five locations. At least 18 militant fighters were killed, "
        "including four local commanders, and 50 were wounded.\n",
    )
    assert _rows(claims, "killed", ">=18") and _rows(claims, "wounded", "50"), claims
    four = _rows(claims, "count", "4")
    assert [c["qualifiers"]["of"] for c in four] == ["local commanders killed"], claims


def test_missiles_fired_people_hurt_and_one_person_are_their_own_properties(extract_text):
    claims = extract_text(
        "Thirty-four service members suffered concussions in the Iranian missile attack.\n"
        "Meanwhile, one service member was taken to Kuwait for treatment.\n"
        "On Jan. 8, Iran fired around two-dozen missiles at two bases in Iraq.\n",
        published="2020-01-24",
    )
    assert [c["property"] for c in _rows(claims, value="34")] == ["wounded"], claims
    assert [c["property"] for c in _rows(claims, value="~24")] == ["missiles_fired"], claims
    one = _rows(claims, value="1")
    assert [(c["property"], c["qualifiers"]["of"]) for c in one] == [("count", "service member")]
    subjects = {c["subject"] for c in claims}
    assert subjects == {"Iranian missile attack of 8 January 2020"}, claims


def test_a_day_naming_an_event_dates_nothing_new(extract_text):
    claims = extract_text(
        "A US airstrike hit the convoy in Baghdad on Friday.\n"
        "Following Friday's strike, the militia leader ordered his fighters to be on alert.\n",
        published="2020-01-04",
        kinds="date",
    )
    assert [c["quote"][:18] for c in claims] == ["A US airstrike hit"], claims


def test_budgets_votes_and_turnout_take_their_own_properties(extract_text):
    claims = extract_text(
        "The cabinet raised the PMF budget to 3.5 trillion Iraqi dinars for this year.\n"
        "The Sadrist movement won 73 seats and more than 650,000 votes in the 2021 election.\n"
        "Turnout was 41 percent in the 2021 election, the commission said.\n",
        ("Popular Mobilization Forces", "organisation", "PMF"),
        ("Sadrist movement", "organisation"),
    )
    by_value = {str(c["value"]): c for c in claims}
    budget = by_value["3500000000000"]
    assert (budget["property"], budget["unit"]) == ("budget", "IQD"), claims
    assert budget["subject"] == "Popular Mobilization Forces", claims
    assert by_value[">650000"]["property"] == "votes", claims
    assert by_value["73"]["property"] == "seats", claims
    assert by_value["41"]["property"] == "turnout", claims


def test_ages_and_page_counts_are_not_candidates(extract_text):
    claims = extract_text(
        "The 45-year-old commander, who is 45 years old, wrote a 300-page report on the war.\n",
        kinds="quantity",
    )
    assert claims == [], claims


def test_an_event_counted_in_its_series(extract_text):
    claims = extract_text(
        "A rocket attack hit the K1 base near Kirkuk on Friday.\n"
        "The attack was the 11th rocket attack on U.S. forces in Iraq in the past two months.\n",
        published="2019-12-29",
        kinds="quantity",
    )
    eleven = _rows(claims, "count", "11")
    assert [c["qualifiers"]["of"] for c in eleven] == [
        "rocket attack on U.S. forces in Iraq in the past two months, this one included"
    ], claims
    assert eleven[0]["subject"] == "Kirkuk rocket attack of 27 December 2019", claims


def test_a_year_that_is_part_of_a_name_dates_nothing(extract_text):
    claims = extract_text(
        "Tensions rose over a return to the 2015 nuclear deal, the Institute's 2020 study "
        "said.\n"
        "The militias lost the 2021 elections badly.\n",
        kinds="date",
    )
    assert [c["value"] for c in claims] == ["2021"], claims  # an election is an event


def test_a_caption_naming_who_stands_where_is_page_furniture(extract_text):
    claims = extract_text(
        "Badr head Hadi al Ameri, right, and Qayis Khazali, left, in March 13, 2017.\n"
        "The militia was formed in March 2014 by the cleric.\n",
        kinds="date",
    )
    assert [c["value"] for c in claims] == ["2014-03"], claims
