"""`extract` on general sentence shapes of English news and official text: a date that only
bounds a period ("since", "until", "by"), a period written "between … and …", adjectives
that say who backs or designated a group, and an event that happened in two places.

Each test is a small worked sentence written for it, run through the real CLI (ingest,
extract to a file) against a fresh database with the few entities it names.
"""

from __future__ import annotations

from conftest import facts_of


def _dates(rows):
    return {str(r["value"]) for r in rows if r["property"] == "date"}


def test_a_date_that_only_bounds_a_period_dates_no_event(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "A rocket attack on 12 March 2024 was the first such attack on the base since "
        "February 2023. The garrison had been quiet until October 2022, officials said. "
        "By 2021, the Red Hand Brigade controlled most of the valley. Life there is much as "
        "it was before 7 October.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
    )
    dates = _dates(rows)
    assert "2024-03-12" in dates, facts_of(rows)
    assert not {"2023-02", "2022-10", "2021", "2023-10-07", "2024-10-07"} & dates, facts_of(rows)


def test_a_period_between_two_dates_is_one_interval(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Armed groups attacked the base at Vela more than 40 times between the March 2023 "
        "start of the blockade and June 4, 2024. Between the 2 May riots in the capital and "
        "9 September 2023, the army stayed in its barracks.\n",
        ("Vela", "place"),
        published="2024-06-20",
    )
    dates = _dates(rows)
    assert "2023-03/2024-06-04" in dates, facts_of(rows)
    assert "2023-05-02/2023-09-09" in dates, facts_of(rows)
    assert not {"2023-03", "2024-06-04", "2023-05-02", "2023-09-09"} & dates, facts_of(rows)


def test_a_boundary_date_with_its_own_when_clause_is_that_events_day(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The valley was calm until 3 May 2022, when gunmen attacked the police station in "
        "Vela. Nothing has moved since June 2022.\n",
        ("Vela", "place"),
    )
    dates = _dates(rows)
    assert "2022-05-03" in dates, facts_of(rows)
    assert "2022-06" not in dates, facts_of(rows)


def test_adjectives_before_a_group_say_who_backs_and_who_designated_it(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Rockets were fired by the Iran-backed, U.S.-designated militia Red Hand Brigade "
        "(RHB) at the base in Vela. The attack was claimed by the Blue Lions—an "
        "Iranian-backed Shia militia group. Iran-backed groups fired again on 3 March 2024.\n",
        ("Vela", "place"),
        ("Iran", "place"),
        ("United States", "place", "U.S."),
        ("Red Hand Brigade", "organisation", "RHB"),
        ("Blue Lions", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "backed_by", "Iran") in facts, facts
    assert ("Red Hand Brigade", "designated_by", "United States") in facts, facts
    assert ("Blue Lions", "backed_by", "Iran") in facts, facts
    assert not [
        f for f in facts if f[1] == "backed_by" and f[0] not in ("Red Hand Brigade", "Blue Lions")
    ], facts


def test_an_abbreviation_the_text_defines_names_the_entity_after(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The ministry named the Red Hand Brigade (RHB) a terrorist group on 2 May 2024. "
        "Founded in 2013, RHB and its leader Omar Tal Basri have attacked the police in Vela.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "leader", "Omar Tal Basri") in facts, facts
    assert ("Red Hand Brigade", "founded", "2013") in facts, facts
    assert not [f for f in facts if f[0] == "RHB" or f[2] == "RHB"], facts


def test_the_answers_of_an_interview_are_the_interviewees_words(candidates_of):
    rows = candidates_of(
        "The militias of Vela\n\n"
        "We have interviewed Lina Haddad, a researcher who has followed the valley for years.\n\n"
        "What happened in the spring?\n\n"
        "On 3 March 2024, the Red Hand Brigade attacked the police station in Vela. The attack "
        "killed four officers.\n\n"
        "And the government?\n\n"
        "Governor Omar Said said the army had sent 300 soldiers to Vela.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Lina Haddad", "person"),
        ("Omar Said", "person"),
    )
    speakers = {(r["property"], str(r["value"])): r.get("attributed_to") for r in rows}
    assert speakers.get(("killed", "4")) == "Lina Haddad", facts_of(rows)
    assert speakers.get(("date", "2024-03-03")) == "Lina Haddad", facts_of(rows)
    # the governor's own words are his, not the interviewee's
    assert ("count", "300") in speakers, facts_of(rows)
    assert speakers[("count", "300")] == "Omar Said", rows


def test_a_text_with_one_question_is_no_interview(candidates_of):
    rows = candidates_of(
        "The militias of Vela\n\n"
        "We have talked to Lina Haddad about the valley. Who attacked the station?\n\n"
        "On 3 March 2024, the Red Hand Brigade attacked the police station in Vela. The attack "
        "killed four officers.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Lina Haddad", "person"),
    )
    assert all(not r.get("attributed_to") for r in rows), rows


def test_an_event_named_in_passing_is_the_known_event_its_words_and_year_fit(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade was born during the 2011 Vela invasion, and it grew after the "
        "U.N. withdrawal in 2015.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("2011 invasion of Vela", "event", "Northern invasion of Vela"),
        ("Possible second invasion of Vela", "event"),
        ("Withdrawal of the U.N. mission from Vela (2015)", "event", "UN withdrawal from Vela"),
    )
    facts = facts_of(rows)
    assert ("2011 invasion of Vela", "date", "2011") in facts, facts
    assert ("Withdrawal of the U.N. mission from Vela (2015)", "date", "2015") in facts, facts


def test_an_event_dated_by_a_season_keeps_its_name(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The collapse of the Vela garrison in the summer of 2014 left the valley open.\n",
        ("Vela", "place"),
    )
    dates = _dates(rows)
    assert dates == {"2014-22"}, facts_of(rows)


def test_a_known_event_is_found_through_its_aliases_and_its_year(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "After the U.S. invasion, the Red Hand Brigade took the hills. The Vela invasion "
        "began in 2003, and the brigade fought it from the start.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("2003 invasion of Vela", "event", "US invasion of Vela"),
        ("Possible Turkish invasion of Vela", "event"),
    )
    facts = facts_of(rows)
    assert ("2003 invasion of Vela", "date", "2003") in facts, facts
    assert not [f for f in facts if "invasion" in f[0] and f[0] != "2003 invasion of Vela"], facts


def test_a_time_counted_back_from_now_is_no_figure(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade is weaker than it was three months ago, when it had 300 "
        "fighters. Two weeks later, it lost the hills.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
    )
    values = {str(r["value"]) for r in rows if r["property"] != "date"}
    assert "300" in values, facts_of(rows)
    assert not {"3", "2"} & values, facts_of(rows)


def test_one_of_many_is_no_count(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade is one of the members of the alliance, and it has 300 fighters. "
        "One of the soldiers was killed in the attack on Vela on 3 March 2024.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
    )
    facts = [f for f in facts_of(rows) if f[1] != "date"]
    assert [f for f in facts if f[2] == "300"], facts
    assert [f for f in facts if f[1] == "killed" and f[2] == "1"], facts
    assert not [f for f in facts if f[1] != "killed" and f[2] == "1"], facts


def test_a_member_and_the_whole_it_belongs_to(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Founded in 2013, the Red Hand Brigade attacked Vela, and the group is a leading member "
        "of the Southern Front (SF). The Blue Lions, a founding member of the Southern Front, "
        "denied it. The Green Hand is a member of the SF. Most militias are part of the "
        "broader Iran-aligned Northern Axis, officials say.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("Green Hand", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "member_of", "Southern Front") in facts, facts
    assert ("Blue Lions", "member_of", "Southern Front") in facts, facts
    assert ("Green Hand", "member_of", "Southern Front") in facts, facts
    # "Most militias" names no one: no candidate for it
    assert len([f for f in facts if f[1] == "member_of"]) == 3, facts


def test_an_abbreviation_of_a_longer_name_is_not_the_place_it_ends_with(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade is a member of the Islamic Front in Vela (IFV). The Blue Lions "
        "is a member of the IFV too.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Red Hand Brigade", "member_of", "Islamic Front in Vela") in facts, facts
    assert ("Blue Lions", "member_of", "Islamic Front in Vela") in facts, facts
    assert not [f for f in facts if f[2] == "Vela"], facts


def test_a_backer_as_the_subject_of_its_verb(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Iran supports the Blue Lions both militarily and logistically. Iran, through its "
        "Revolutionary Guard, has supported the Red Hand Brigade, the Green Hand, and other "
        "militias with training. Turkey has not funded the Blue Lions. Iran supported the "
        "decision to attack Vela.\n",
        ("Vela", "place"),
        ("Iran", "place"),
        ("Turkey", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("Green Hand", "organisation"),
    )
    backed = {(f[0], f[2]) for f in facts_of(rows) if f[1] == "backed_by"}
    assert backed == {
        ("Blue Lions", "Iran"),
        ("Red Hand Brigade", "Iran"),
        ("Green Hand", "Iran"),
    }, facts_of(rows)


def test_a_designation_told_with_listed_or_without_as(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Ministry of Interior listed Omar Tal Basri as a global terrorist in 2021. The "
        "Ministry of Interior promptly designated the Blue Lions a terrorist organization.\n",
        ("Vela", "place"),
        ("Ministry of Interior", "organisation"),
        ("Omar Tal Basri", "person"),
        ("Blue Lions", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Omar Tal Basri", "designated_by", "Ministry of Interior") in facts, facts
    assert ("Blue Lions", "designated_by", "Ministry of Interior") in facts, facts


def test_an_article_quoting_a_news_agency_is_no_interview(candidates_of):
    rows = candidates_of(
        "The militias of Vela\n\n"
        "A police officer in Vela spoke to The Valley Times about the attack.\n\n"
        "What happened?\n\n"
        "On 3 March 2024, the Red Hand Brigade attacked the police station in Vela. The attack "
        "killed four officers.\n\n"
        "What comes next?\n\n"
        "The army sent 300 soldiers to Vela.\n",
        ("Vela", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Valley Times", "organisation", "The Valley Times"),
    )
    assert rows, "the figures are still read"
    assert all(not r.get("attributed_to") for r in rows), rows


def test_a_group_written_as_a_persons_is_led_by_that_person(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Omar Tal Basri’s Red Hand Brigade attacked Vela on 3 March 2024. Iran’s Blue Lions "
        "denied it, and Omar Tal Basri's office said nothing.\n",
        ("Vela", "place"),
        ("Iran", "place"),
        ("Omar Tal Basri", "person"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
    )
    leaders = {(f[0], f[2]) for f in facts_of(rows) if f[1] == "leader"}
    assert leaders == {("Red Hand Brigade", "Omar Tal Basri")}, facts_of(rows)


def test_a_persons_group_named_again_is_offered_once(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Omar Tal Basri’s Red Hand Brigade attacked Vela on 3 March 2024. Two days later, "
        "Omar Tal Basri’s Red Hand Brigade fired 40 rockets at the town.\n",
        ("Vela", "place"),
        ("Omar Tal Basri", "person"),
        ("Red Hand Brigade", "organisation"),
    )
    assert len([f for f in facts_of(rows) if f[1] == "leader"]) == 1, facts_of(rows)


def test_where_an_event_told_by_its_verb_happened(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "On 3 March 2024, the Red Hand Brigade attacked a police station in Vela. On 9 March "
        "2024, the Blue Lions struck two depots in Vela and Dara.\n",
        ("Vela", "place"),
        ("Dara", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
    )
    located = [f for f in facts_of(rows) if f[1] == "location"]
    assert located == [("Vela attack of 3 March 2024", "location", "Vela")], facts_of(rows)


def test_an_adjective_of_a_common_noun_holds_for_each_group_it_includes(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "The Red Hand Brigade worked with other U.S.-designated groups, including the Blue "
        "Lions and the Vela Guard. Iran-backed militias such as the Orsk Front grew.\n",
        ("Vela", "place"),
        ("Iran", "place"),
        ("United States", "place", "U.S."),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("Vela Guard", "organisation"),
        ("Orsk Front", "organisation"),
    )
    facts = facts_of(rows)
    assert ("Blue Lions", "designated_by", "United States") in facts, facts
    assert ("Vela Guard", "designated_by", "United States") in facts, facts
    assert ("Orsk Front", "backed_by", "Iran") in facts, facts
    assert ("Red Hand Brigade", "designated_by", "United States") not in facts, facts


def test_the_bodies_a_backer_acts_through_back_the_groups_too(candidates_of):
    rows = candidates_of(
        "Report on Vela\n\n"
        "Loria, through the Vela Guard and the Orsk Front, has supported the Red Hand Brigade "
        "and the Blue Lions. Loria, unlike the Tarn Militia, has supported the Blue Lions.\n",
        ("Vela", "place"),
        ("Loria", "place"),
        ("Red Hand Brigade", "organisation"),
        ("Blue Lions", "organisation"),
        ("Vela Guard", "organisation"),
        ("Orsk Front", "organisation"),
        ("Tarn Militia", "organisation"),
    )
    facts = facts_of(rows)
    for backer in ("Loria", "Vela Guard", "Orsk Front"):
        for group in ("Red Hand Brigade", "Blue Lions"):
            assert (group, "backed_by", backer) in facts, facts
    assert not [f for f in facts if f[2] == "Tarn Militia"], facts
