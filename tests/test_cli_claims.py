"""Claims through the real CLI: an editor's day on the seeds, ranks, import, aliases, bad input."""

from __future__ import annotations

import csv
import functools
import io
import json
import re

import pytest
import yaml
from conftest import SEEDS, file_bytes, invoke, make_built

CTC = "ctc-khazali-interrogations-2018"
LWJ = "lwj-khazali-warned-iran-2018"
MEI = "mei-khazali-iran-escalation-2021"
MEE = "mee-iran-intelligence-rivalry-iraq-2021"
COMMENT = "lwj-khazali-warned-iran-2018-comment-11"  # "I was in Fallujah with RCT-6 in 2007 …"
TEXTS = {
    slug: (SEEDS / name).read_text(encoding="utf-8")
    for slug, name in {
        CTC: "000_f54a66cae721dd6b.txt",
        LWJ: "001_5751a991e2ca6a64.txt",
        MEI: "002_bfbc928f984825ec.txt",
        MEE: "004_b040a4527846fc2c.txt",
    }.items()
}
ELECTION = "election=2018 Iraqi parliamentary election"

PROPERTIES = [
    [
        "seats_won",
        "--type",
        "quantity",
        "--unit",
        "seats",
        "--description",
        "Seats won in an election",
    ],
    ["monthly_funding", "--type", "quantity", "--unit", "USD"],
    ["funding", "--type", "quantity"],
    ["attack_date", "--type", "date"],
    ["capture_date", "--type", "date"],
    ["custody", "--type", "date"],
    ["killed", "--type", "quantity", "--unit", "people"],
    ["interrogations", "--type", "quantity"],
    ["leader", "--type", "entity", "--time-varying"],
    ["delayed_government_formation", "--type", "boolean"],
    ["motto", "--type", "text"],
]

# The editor's scenario: (name, flags of `add`, what `claims --json` must then hold).
# Every quote is copied from the seed; footnotes without --footnote come from the
# marker that ends the quote's sentence.
SCENARIO = [
    (
        "seat count with an election qualifier",
        [
            "--source",
            CTC,
            "--subject",
            "Asa'ib Ahl al-Haq",
            "--property",
            "seats_won",
            "--value",
            "15",
            "--qualifier",
            ELECTION,
            "--quote",
            "garnered 15 of the 48 seats",
            "--confidence",
            "high",
        ],
        {
            "value": "15",
            "unit": "seats",
            "qualifiers": {"election": "2018 Iraqi parliamentary election"},
            "footnote": 4,
            "confidence": "high",
            "attributed_to": None,
        },
    ),
    (
        "funding range in USD, footnote 12 from the sentence's marker",
        [
            "--source",
            CTC,
            "--subject",
            "Sadrists",
            "--property",
            "monthly_funding",
            "--value",
            "750000..1000000",
            "--quote",
            "$750,000-$1,000,000",
            "--attributed-to",
            "Khazali under interrogation",
        ],
        {
            "value": "750000..1000000",
            "unit": "USD",
            "footnote": 12,
            "attributed_to": "Khazali under interrogation",
        },
    ),
    (
        "attack on a day, a sentence with no marker",
        [
            "--source",
            CTC,
            "--subject",
            "Karbala PJCC attack",
            "--property",
            "attack_date",
            "--value",
            "2007-01-20",
            "--quote",
            "On January 20, 2007",
        ],
        {"value": "2007-01-20", "footnote": None},
    ),
    (
        "capture in a year",
        [
            "--source",
            CTC,
            "--subject",
            "Qais al-Khazali",
            "--property",
            "capture_date",
            "--value",
            "2007",
            "--quote",
            "Al-Khazali was captured alongside his brother",
        ],
        {"value": "2007", "footnote": 3},
    ),
    (
        "capture in a month, from another source",
        [
            "--source",
            LWJ,
            "--subject",
            "Qais al-Khazali",
            "--property",
            "capture_date",
            "--value",
            "2007-03",
            "--quote",
            "In March 2007, British commandos raided a compound in Basra",
        ],
        {"value": "2007-03", "footnote": None},
    ),
    (
        "custody as an EDTF interval of months",
        [
            "--source",
            CTC,
            "--subject",
            "Qais al-Khazali",
            "--property",
            "custody",
            "--value",
            "2007-03/2010-01",
            "--quote",
            "(March 2007-January 2010)",
        ],
        {"value": "2007-03/2010-01", "footnote": 6},
    ),
    (
        "a death attributed to the Pentagon",
        [
            "--source",
            MEE,
            "--subject",
            "Ain al-Assad attack",
            "--property",
            "killed",
            "--value",
            "1",
            "--quote",
            "the Pentagon said the next day that a US contractor had died",
            "--attributed-to",
            "Pentagon",
        ],
        {"value": "1", "unit": "people", "attributed_to": "Pentagon", "footnote": None},
    ),
    (
        "no casualties, attributed to the Iraqi military",
        [
            "--source",
            MEE,
            "--subject",
            "Ain al-Assad attack",
            "--property",
            "killed",
            "--value",
            "0",
            "--quote",
            "The Iraqi military said the attack did not cause any casualties",
            "--attributed-to",
            "Iraqi military",
        ],
        {"value": "0", "unit": "people", "attributed_to": "Iraqi military"},
    ),
    (
        "a lower bound",
        [
            "--source",
            LWJ,
            "--subject",
            "Qais al-Khazali",
            "--property",
            "interrogations",
            "--value",
            ">=70",
            "--quote",
            "interviewed Qayis at least 70 times",
        ],
        {"value": ">=70", "unit": None},
    ),
    (
        "a leader as of a month",
        [
            "--source",
            MEI,
            "--subject",
            "Asa'ib Ahl al-Haq",
            "--property",
            "leader",
            "--value",
            "Qais al-Khazali",
            "--as-of",
            "2021-04",
            "--quote",
            "Qais al-Khazali, leader of Asa'ib Ahl al-Haq (AAH)",
        ],
        {"value": "Qais al-Khazali", "as_of": "2021-04"},
    ),
    (
        "a denial, quoted from a note's title",
        [
            "--source",
            CTC,
            "--subject",
            "Muqtada al-Sadr",
            "--property",
            "delayed_government_formation",
            "--value",
            "true",
            "--denies",
            "--attributed-to",
            "Muqtada al-Sadr",
            "--footnote",
            "40",
            "--quote",
            "Al-Sadr Denies His Role in Delaying Government Formation",
        ],
        {"value": "true", "stance": "denies", "footnote": 40, "attributed_to": "Muqtada al-Sadr"},
    ),
]
SCENARIO_IDS = [name for name, _, _ in SCENARIO]


def define_properties(invoke):
    for args in PROPERTIES:
        invoke("property", "add", *args)


def claim_id(output: str) -> int:
    match = re.search(r"(?:new|existing) claim (\d+):", output)
    assert match, output
    return int(match.group(1))


def claims_json(run, *filters):
    return json.loads(run("claims", "--json", *filters).output)


def history_count(run):
    return len(json.loads(run("log", "--json", "--limit", "100000").output))


def _invoker(path, actor="tester"):
    """The CLI on one database as one editor."""
    return functools.partial(invoke, db=path, actor=actor)


@pytest.fixture
def documents_db(built_db):
    """The seed documents with no claims, no properties and no entities, private to the test.

    These tests are about recording claims, so they start from the documents alone and
    do not depend on what seeds/claims.yaml holds.
    """
    return built_db


def _make_scenario(target, templates) -> dict[str, int]:
    """The documents with the properties and the scenario's claims."""
    templates.clone("built", make_built, target)
    editor = _invoker(target)
    define_properties(editor)
    return {name: claim_id(editor("add", *args).output) for name, args, _ in SCENARIO}


@pytest.fixture
def scenario(db_templates, db_path):
    """The scenario's database, private to the test; returns {scenario name: claim id}."""
    return db_templates.clone("scenario", _make_scenario, db_path)


# ---------------------------------------------------------------- the editor's scenario


def test_property_add_reports_new_then_unchanged(run, documents_db):
    assert run("property", "add", *PROPERTIES[0]).output.strip() == "property 'seats_won': new"
    assert (
        run("property", "add", *PROPERTIES[0]).output.strip() == "property 'seats_won': unchanged"
    )
    rows = {p["name"]: p for p in json.loads(run("properties", "--json").output)}
    assert rows["seats_won"] == {
        "name": "seats_won",
        "type": "quantity",
        "multi": False,
        "time_varying": False,
        "unit": "seats",
        "tolerance": None,
        "description": "Seats won in an election",
        "claims": 0,
    }


def test_add_says_what_it_created_and_which_footnote_it_attached(run, documents_db):
    define_properties(run)
    output = run("add", *SCENARIO[1][1]).output
    assert "created entity 'Sadrists'" in output
    assert "created entity 'Khazali under interrogation'" in output
    assert re.search(
        r"new claim \d+: Sadrists · monthly_funding = 750000..1000000; citation added \d+,"
        r" footnote 12$",
        output.strip(),
    ), output


@pytest.mark.parametrize("name,args,expected", SCENARIO, ids=SCENARIO_IDS)
def test_each_claim_is_stored_with_its_exact_quote(run, scenario, name, args, expected):
    row = next(r for r in claims_json(run) if r["id"] == scenario[name])
    assert len(row["citations"]) == 1, row
    citation = row["citations"][0]
    assert (row["subject"], row["property"]) == (
        args[args.index("--subject") + 1],
        args[args.index("--property") + 1],
    )
    assert citation["source"] == args[args.index("--source") + 1]
    # the stored quote is the source's own text at the stored offsets
    assert (
        TEXTS[citation["source"]][citation["quote_start"] : citation["quote_end"]]
        == citation["quote"]
    )
    assert citation["quote"].replace("’", "'") == args[args.index("--quote") + 1]
    for key, value in expected.items():
        actual = citation[key] if key in citation else row[key]
        assert actual == value, (key, row)
    assert citation["created_by"] == "tester"


def test_show_prints_the_whole_chain(run, scenario):
    output = run(
        "show", scenario["funding range in USD, footnote 12 from the sentence's marker"]
    ).output
    for expected in [
        "Sadrists · monthly_funding = 750000..1000000 USD",
        "rank: normal",
        "asserts, confidence medium, attributed to Khazali under interrogation",
        f"[{CTC}] — Bryce Loidolt, 2018-12/2019-01, article, reliability B",
        (
            "Iranian backing for the Sadrists was primarily financial, consisting of"
            " »$750,000-$1,000,000« but sometimes as much as $2-$3 million U.S. dollars per"
            " month.12"
        ),
        (
            "footnote 12: Tactical Interrogation Report 16, March 29, 2007, available via American"
            " Enterprise Institute’s “The Qays al-Khazali Papers” Collection."
        ),
        "work: Tactical Interrogation Report 16 — in collection “The Qays al-Khazali Papers”",
        "history:",
        "tester  insert claims",
        "tester  insert citations",
    ]:
        assert expected in output, (expected, output)


def test_show_gives_the_quote_its_context_as_written(run, scenario):
    output = run("show", scenario["no casualties, attributed to the Iraqi military"]).output
    # no space the source does not have between the quote and the comma after it
    assert (
        "presence. »The Iraqi military said the attack did not cause any casualties«, but the"
        " Pentagon said" in output
    )
    assert "attributed to Iraqi military" in output
    assert f"[{MEE}] — no author named, 2021-03-10/2021-03-14, article, reliability C" in output


def test_show_json_has_the_documented_keys(run, scenario):
    chain = json.loads(
        run("show", scenario["seat count with an election qualifier"], "--json").output
    )
    assert set(chain) == {
        "id",
        "subject",
        "property",
        "value",
        "unit",
        "as_of",
        "valid_from",
        "valid_to",
        "qualifiers",
        "rank",
        "rank_reason",
        "citations",
        "history",
    }
    citation = chain["citations"][0]
    assert set(citation) == {
        "id",
        "source",
        "footnote",
        "quote",
        "quote_start",
        "quote_end",
        "orphaned",
        "attributed_to",
        "stance",
        "confidence",
        "note",
        "created_by",
        "quote_parts",
        "retracted",
        "source_title",
        "source_kind",
        "source_reliability",
        "source_published",
        "source_authors",
        "context_before",
        "context_after",
        "footnote_text",
        "works",
    }
    assert citation["context_before"].endswith("His Sadiqun political bloc ")
    assert citation["context_after"].startswith(" won by the Iranian-influenced Fatih Alliance")
    assert citation["works"][0] == {
        "title": "Iraq: Manual Recount Shows Few Changes to May Election Results",
        "key": citation["works"][0]["key"],
        "locator": None,
        "collection": None,
    }
    assert [h["table"] for h in chain["history"]] == ["claims", "citations"]
    assert set(chain["history"][0]) == {
        "id",
        "change",
        "at",
        "actor",
        "command",
        "table",
        "row_id",
        "action",
        "summary",
        "changes",
    }
    # the claim and its citation were added by one command: one change, who and when
    added = chain["history"]
    assert added[0]["change"] == added[1]["change"] and added[0]["command"] == "add", added
    assert [h["action"] for h in added] == ["insert", "insert"]


def test_show_of_a_citation_without_a_quote(run, scenario):
    run(
        "source",
        "add",
        "iraq-ihec-2018",
        "--title",
        "Iraqi High Electoral Commission results",
        "--kind",
        "dataset",
        "--reliability",
        "A",
    )
    output = run(
        "add",
        "--source",
        "iraq-ihec-2018",
        "--subject",
        "Asa'ib Ahl al-Haq",
        "--property",
        "seats_won",
        "--value",
        "15",
        "--qualifier",
        ELECTION,
    ).output
    assert "existing claim" in output, output
    shown = run("show", claim_id(output)).output
    assert (
        "Iraqi High Electoral Commission results [iraq-ihec-2018] — no author named, undated,"
        " dataset, reliability A" in shown
    )
    chain = json.loads(run("show", claim_id(output), "--json").output)
    assert [c["quote"] for c in chain["citations"]] == ["garnered 15 of the 48 seats", None]


def test_subject_filter_finds_a_spelling_once_an_alias_links_it(run, scenario):
    run("claims", "--subject", "Qayis", code=2)
    assert (
        run("alias", "add", "Qais al-Khazali", "Qayis").output.strip()
        == "'Qayis' added to 'Qais al-Khazali'"
    )
    rows = claims_json(run, "--subject", "Qayis")
    assert {r["property"] for r in rows} == {"capture_date", "custody", "interrogations"}
    assert {r["subject"] for r in rows} == {"Qais al-Khazali"}
    # names match after normalisation: case, diacritics, apostrophes, hyphens
    assert claims_json(run, "--subject", "QAYIS") == rows
    assert claims_json(run, "--subject", "qáis al khazali") == rows


@pytest.mark.parametrize(
    "filters,expected",
    [
        (
            ["--property", "capture_date"],
            {("Qais al-Khazali", "2007"), ("Qais al-Khazali", "2007-03")},
        ),
        (["--property", "killed"], {("Ain al-Assad attack", "1"), ("Ain al-Assad attack", "0")}),
        (["--source", MEE], {("Ain al-Assad attack", "1"), ("Ain al-Assad attack", "0")}),
        (
            ["--source", "004_b040a4527846fc2c.txt"],
            {("Ain al-Assad attack", "1"), ("Ain al-Assad attack", "0")},
        ),
        (["--source", LWJ], {("Qais al-Khazali", "2007-03"), ("Qais al-Khazali", ">=70")}),
        (["--source", CTC, "--property", "capture_date"], {("Qais al-Khazali", "2007")}),
        (
            ["--subject", "Asa'ib Ahl al-Haq"],
            {("Asa'ib Ahl al-Haq", "15"), ("Asa'ib Ahl al-Haq", "Qais al-Khazali")},
        ),
        (
            ["--subject", "asaib ahl al haq", "--property", "leader"],
            {("Asa'ib Ahl al-Haq", "Qais al-Khazali")},
        ),
        (["--rank", "deprecated"], set()),
        (["--rank", "normal", "--property", "custody"], {("Qais al-Khazali", "2007-03/2010-01")}),
    ],
)
def test_claims_filters(run, scenario, filters, expected):
    assert {(r["subject"], r["value"]) for r in claims_json(run, *filters)} == expected


def test_claims_in_every_format(run, scenario):
    rows = claims_json(run)
    assert len(rows) == len(SCENARIO)
    assert set(rows[0]) == {
        "id",
        "subject",
        "property",
        "value",
        "unit",
        "as_of",
        "valid_from",
        "valid_to",
        "qualifiers",
        "rank",
        "rank_reason",
        "citations",
    }
    assert set(rows[0]["citations"][0]) == {
        "id",
        "source",
        "footnote",
        "quote",
        "quote_start",
        "quote_end",
        "orphaned",
        "attributed_to",
        "stance",
        "confidence",
        "note",
        "created_by",
        "quote_parts",
        "retracted",
    }
    lines = run("claims", "--nl").output.splitlines()
    assert [json.loads(line) for line in lines] == rows
    # flat: one row per citation
    table = list(csv.DictReader(io.StringIO(run("claims", "--csv").output)))
    assert [(int(r["claim_id"]), int(r["citation_id"])) for r in table] == [
        (r["id"], c["id"]) for r in rows for c in r["citations"]
    ]
    assert table[0]["qualifiers"] == "election=2018 Iraqi parliamentary election"
    assert table[0]["quote"] == "garnered 15 of the 48 seats"
    text = run("claims").output
    assert (
        "15 seats" in text
        and "election=2018 Iraqi parliamentary election" in text
        and f"{CTC} [4]" in text
    )
    assert "as of 2021-04" in text


def test_quotes_ignore_whitespace_and_quote_marks(run, scenario):
    # the source writes al-Khazali’s with a curly apostrophe, on one line
    output = run(
        "add",
        "--source",
        CTC,
        "--subject",
        "Qais al-Khazali",
        "--property",
        "custody",
        "--value",
        "2007-03/2010-01",
        "--quote",
        "al-Khazali's   interrogation reports\n from his time in custody",
        # the words occur twice in the article: the first place is meant
        "--occurrence",
        "1",
    ).output
    row = next(r for r in claims_json(run) if r["id"] == claim_id(output))
    quotes = [c["quote"] for c in row["citations"]]
    assert "al-Khazali’s interrogation reports from his time in custody" in quotes


def test_a_commenters_words_are_cited_from_the_comment(run, scenario):
    words = "I was in Fallujah with RCT-6 in 2007"
    result = run(
        "add",
        "--source",
        LWJ,
        "--subject",
        "Karbala PJCC attack",
        "--property",
        "attack_date",
        "--value",
        "2007",
        "--quote",
        words,
        code=2,
    )
    assert "is not in the text of 'lwj-khazali-warned-iran-2018'" in result.output
    output = run(
        "add",
        "--source",
        COMMENT,
        "--subject",
        "Karbala PJCC attack",
        "--property",
        "attack_date",
        "--value",
        "2007",
        "--quote",
        words,
    ).output
    row = next(r for r in claims_json(run) if r["id"] == claim_id(output))
    assert row["citations"][0]["source"] == COMMENT and row["citations"][0]["quote"] == words


# ---------------------------------------------------------------- one claim, many citations


def test_two_sources_stating_the_same_thing_share_one_claim(run, scenario):
    first = scenario["seat count with an election qualifier"]
    # the other source spells the group without the apostrophe: the same name once normalised
    output = run(
        "add",
        "--source",
        LWJ,
        "--subject",
        "Asaib Ahl al-Haq",
        "--property",
        "seats_won",
        "--value",
        "15",
        "--qualifier",
        "Election=2018 Iraqi Parliamentary Election",
        "--quote",
        "holds 15 seats in the Iraqi parliament",
    ).output
    assert output.startswith(f"existing claim {first}: "), output
    assert "citation added" in output
    row = next(r for r in claims_json(run) if r["id"] == first)
    assert [c["source"] for c in row["citations"]] == [CTC, LWJ]
    assert len(claims_json(run)) == len(SCENARIO)


SAME_VALUE = [
    ("funding", "$750,000-$1,000,000", ["750000..1000000", "--unit", "USD"]),
    ("funding", "$2-$3 million", ["2000000..3000000", "--unit", "USD"]),
    ("funding", "1,650,000", ["1.65 million"]),
    ("funding", "between 10 and 20", ["10 to 20"]),
    ("interrogations", ">=70", ["at least 70"]),
    ("interrogations", "70+", ["70 or more"]),
    ("interrogations", ">100", ["more than 100"]),
    ("interrogations", "<=5", ["up to 5"]),
    ("interrogations", "~2000", ["1800..2200"]),
    ("interrogations", "about 2000", ["~2000"]),
    ("capture_date", "2007-03", ["2007-03-01/2007-03-31"]),
    ("capture_date", "2021-03~", ["2021-02/2021-04"]),
    ("capture_date", "2007?", ["2006/2008"]),
    ("capture_date", "2011-12-01T20:00-05:00", ["2011-12-02T01:00Z"]),
    ("motto", "“Death to America.”", ["death to america"]),
    ("delayed_government_formation", "true", ["YES"]),
    ("leader", "Qais al-Khazali", ["qais al khazali"]),
]


@pytest.mark.parametrize(
    "prop,first,second", SAME_VALUE, ids=[f"{p}: {a} = {' '.join(b)}" for p, a, b in SAME_VALUE]
)
def test_spellings_of_one_value_are_one_claim(run, documents_db, prop, first, second):
    define_properties(run)
    run("source", "add", "desk-notes", "--kind", "other")
    common = ["--source", "desk-notes", "--subject", "Sadrists", "--property", prop]
    created = run("add", *common, "--value", first).output
    again = run("add", *common, "--value", *second).output
    assert again.startswith(f"existing claim {claim_id(created)}: "), again


@pytest.mark.parametrize(
    "prop,first,second",
    [
        ("interrogations", ">100", ">=100"),
        ("interrogations", "70", ">=70"),
        ("capture_date", "2007", "2007-03"),
        ("capture_date", "2021-03", "2021-03~"),
        ("funding", "750000..1000000", "$750,000-$1,000,000"),
    ],
)
def test_different_values_are_different_claims(run, documents_db, prop, first, second):
    define_properties(run)
    run("source", "add", "desk-notes", "--kind", "other")
    common = ["--source", "desk-notes", "--subject", "Sadrists", "--property", prop]
    run("add", *common, "--value", first)
    assert run("add", *common, "--value", second).output.startswith("new claim")


def test_the_same_citation_twice_adds_nothing(run, scenario):
    args = SCENARIO[0][1]
    before_rows, before_log = claims_json(run), history_count(run)
    output = run("add", *args).output
    assert "existing claim" in output and "citation already recorded" in output, output
    assert claims_json(run) == before_rows
    assert history_count(run) == before_log


def test_a_changed_confidence_updates_the_citation_and_is_logged(run, scenario):
    args = [a if a != "high" else "low" for a in SCENARIO[0][1]]
    output = run("add", *args, "--note", "the bloc, not the group").output
    assert "citation updated" in output, output
    citation = next(r for r in claims_json(run) if r["id"] == claim_id(output))["citations"][0]
    assert (citation["confidence"], citation["note"]) == ("low", "the bloc, not the group")
    entry = json.loads(run("log", "--json", "--limit", "1").output)[0]
    assert (entry["action"], entry["table"], entry["changes"]["confidence"]) == (
        "update",
        "citations",
        ["high", "low"],
    )


def test_spelling_variants_linked_by_an_alias_share_one_claim(run, scenario):
    run("alias", "add", "Qais al-Khazali", "Qayis Khazali")
    entities_before = len(json.loads(run("entities", "--json").output))
    first = run(
        "add",
        "--source",
        MEI,
        "--subject",
        "Asa'ib Ahl al-Haq",
        "--property",
        "leader",
        "--value",
        "Qais al-Khazali",
        "--quote",
        "Qais al-Khazali, leader of Asa'ib Ahl al-Haq",
    ).output
    second = run(
        "add",
        "--source",
        LWJ,
        "--subject",
        "Asaib Ahl al Haq",
        "--property",
        "leader",
        "--value",
        "Qayis Khazali",
        "--quote",
        "Asaib Ahl al Haq head Qayis Khazali",
    ).output
    assert "created entity" not in first + second
    assert claim_id(first) == claim_id(second) and second.startswith("existing claim")
    assert len(json.loads(run("entities", "--json").output)) == entities_before


def test_without_an_alias_a_variant_is_a_new_entity_and_says_so(run, scenario):
    output = run(
        "add",
        "--source",
        LWJ,
        "--subject",
        "Qayis Khazali",
        "--property",
        "interrogations",
        "--value",
        ">=70",
        "--quote",
        "interviewed Qayis at least 70 times",
    ).output
    assert "created entity 'Qayis Khazali'" in output
    assert output.splitlines()[-1].startswith("new claim")


# ---------------------------------------------------------------- ranks and history


def test_prefer_and_deprecate_keep_everything_and_are_logged(run, scenario):
    pentagon = scenario["a death attributed to the Pentagon"]
    iraqi = scenario["no casualties, attributed to the Iraqi military"]
    assert (
        run("claim", "prefer", pentagon, "--note", "DoD casualty release").output.strip()
        == f"claim {pentagon} preferred"
    )
    output = run(
        "--actor", "alice", "claim", "deprecate", iraqi, "--reason", "the Pentagon reported a death"
    ).output
    assert output.strip() == f"claim {iraqi} deprecated: the Pentagon reported a death"

    # deprecated claims are kept and listed
    assert [r["id"] for r in claims_json(run, "--rank", "deprecated")] == [iraqi]
    assert [r["id"] for r in claims_json(run, "--rank", "preferred")] == [pentagon]
    assert iraqi in [r["id"] for r in claims_json(run)]
    row = next(r for r in claims_json(run) if r["id"] == iraqi)
    assert (row["rank"], row["rank_reason"]) == ("deprecated", "the Pentagon reported a death")
    assert "rank: deprecated (the Pentagon reported a death)" in run("show", iraqi).output

    # who did what: PROVENANCE_ACTOR (tester) and --actor (alice)
    log = json.loads(run("log", "--json", "--table", "claims", "--limit", "2").output)
    assert [(h["actor"], h["action"], h["row_id"], h["summary"]) for h in log] == [
        ("alice", "update", iraqi, "deprecated: the Pentagon reported a death"),
        ("tester", "update", pentagon, "preferred: DoD casualty release"),
    ]
    assert log[0]["changes"] == {
        "rank": ["normal", "deprecated"],
        "rank_reason": [None, "the Pentagon reported a death"],
    }
    assert [h["row_id"] for h in json.loads(run("log", "--json", "--actor", "alice").output)] == [
        iraqi
    ]
    assert [
        h["action"]
        for h in json.loads(run("log", "--json", "--table", "claims", "--row", iraqi).output)
    ] == ["update", "insert"]
    table = run("log", "--actor", "alice").output
    assert "alice" in table and "deprecated: the Pentagon reported a death" in table
    history = json.loads(run("show", iraqi, "--json").output)["history"]
    assert [(h["actor"], h["action"], h["table"]) for h in history] == [
        ("tester", "insert", "claims"),
        ("tester", "insert", "citations"),
        ("alice", "update", "claims"),
    ]


def test_records_ranking_one_claim_under_two_spellings_must_agree(run, db_path, tmp_path):
    """ "Qays al-Khazali" is an alias of "Qais al-Khazali": a record preferring the claim under
    one spelling and a later one deprecating it under the other contradict each other, and
    the file is refused, however far apart they are; agreeing records rank the claim once."""
    header = {
        "sources": [{"slug": "wire-a", "title": "Wire A"}, {"slug": "wire-b", "title": "Wire B"}],
        "properties": [{"name": "killed", "type": "quantity", "unit": "people"}],
        "entities": [{"name": "Qais al-Khazali", "kind": "person", "aliases": ["Qays al-Khazali"]}],
    }
    run("init")
    run("import", _yaml_file(tmp_path / "header.yaml", header))
    preferred = {
        "source": "wire-a",
        "subject": "Qais al-Khazali",
        "property": "killed",
        "value": "5",
        "rank": "preferred",
    }
    deprecated = {
        "source": "wire-b",
        "subject": "Qays al-Khazali",
        "property": "killed",
        "value": "5",
        "rank": "deprecated",
        "rank_reason": "a typo",
    }
    filler = [
        {"source": "wire-a", "subject": f"Event {i}", "property": "killed", "value": str(i)}
        for i in range(2500)
    ]
    before = file_bytes(db_path)
    for name, claims in (
        ("near.yaml", [preferred, deprecated]),
        ("far.yaml", [preferred, *filler, deprecated]),
    ):
        result = run("import", _yaml_file(tmp_path / name, {"claims": claims}), code=2)
        last = len(claims)
        assert result.output.splitlines()[1:] == [
            f"  record {last}, field 'rank': rank 'deprecated' differs from the rank 'preferred'"
            " record 1 gives the same claim under another spelling"
        ], result.output
        assert file_bytes(db_path) == before

    run(
        "import",
        _yaml_file(
            tmp_path / "agree.yaml",
            {
                "claims": [
                    preferred,
                    {**preferred, "source": "wire-b", "subject": "Qays al-Khazali"},
                ]
            },
        ),
    )
    [claim] = claims_json(run, "--property", "killed")
    assert (claim["rank"], len(claim["citations"])) == ("preferred", 2)


def _yaml_file(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_log_says_what_each_change_was(run, scenario):
    run("alias", "add", "Qais al-Khazali", "Qayis")
    run("entity", "add", "Hadi al-Amiri", "--kind", "person")
    run("property", "add", "seats_won", "--type", "quantity", "--unit", "seats", "--multi")
    rows = json.loads(run("log", "--json", "--limit", "3").output)
    assert [(h["command"], h["table"], h["action"], h["summary"]) for h in rows] == [
        ("property add", "properties", "update", "property 'seats_won' updated"),
        # the entity and its name as an alias, inserted by one change
        ("entity add", "aliases", "insert", "added by `entity add`"),
        ("entity add", "entities", "insert", "added by `entity add`"),
    ]
    assert rows[0]["change"] > rows[1]["change"] == rows[2]["change"]
    assert rows[0]["changes"] == {
        "multi": [False, True],
        "description": ["Seats won in an election", None],
    }


def test_preferring_another_claim_of_the_same_scope_returns_the_first_to_normal(run, scenario):
    year = scenario["capture in a year"]
    month = scenario["capture in a month, from another source"]
    run("claim", "prefer", year)
    output = run("claim", "prefer", month).output
    assert output.strip() == f"claim {month} preferred; claim(s) {year} back to normal"
    ranks = {r["id"]: r["rank"] for r in claims_json(run, "--property", "capture_date")}
    assert ranks == {year: "normal", month: "preferred"}


def test_preferring_a_deprecated_claim_needs_undeprecate_with_a_reason(run, scenario, db_path):
    """A known-wrong value never silently becomes the desk's accepted one."""
    iraqi = scenario["no casualties, attributed to the Iraqi military"]
    run("claim", "deprecate", iraqi, "--reason", "the Pentagon reported a death")
    before = file_bytes(db_path)
    for args, named in [
        ((), "--undeprecate --reason"),
        (("--undeprecate",), "--undeprecate needs --reason"),
        (("--undeprecate", "--reason", "  "), "--undeprecate needs --reason"),
        (("--reason", "the ministry corrected itself"), "'the ministry corrected itself'"),
    ]:
        result = run("claim", "prefer", iraqi, *args, code=2)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and named in lines[0], (
            args,
            result.output,
        )
        assert "Traceback" not in result.output
        assert file_bytes(db_path) == before, args
    assert str(iraqi) in run("claim", "prefer", iraqi, code=2).output
    row = next(r for r in claims_json(run) if r["id"] == iraqi)
    assert (row["rank"], row["rank_reason"]) == ("deprecated", "the Pentagon reported a death")

    output = run(
        "claim",
        "prefer",
        iraqi,
        "--undeprecate",
        "--reason",
        "the death was later denied by the DoD",
        "--note",
        "Iraqi military figure stands",
    ).output
    assert output.strip() == f"claim {iraqi} preferred (no longer deprecated)"
    row = next(r for r in claims_json(run) if r["id"] == iraqi)
    assert (row["rank"], row["rank_reason"]) == ("preferred", "Iraqi military figure stands")
    entry = json.loads(run("log", "--json", "--table", "claims", "--limit", "1").output)[0]
    assert entry["row_id"] == iraqi
    assert entry["changes"] == {
        "rank": ["deprecated", "preferred"],
        "rank_reason": ["the Pentagon reported a death", "Iraqi military figure stands"],
        "undeprecated": "the death was later denied by the DoD",
    }
    assert "undeprecated: the death was later denied by the DoD" in entry["summary"]


def test_undeprecate_on_a_claim_that_is_not_deprecated_is_refused(run, scenario, db_path):
    pentagon = scenario["a death attributed to the Pentagon"]
    before = file_bytes(db_path)
    result = run("claim", "prefer", pentagon, "--undeprecate", "--reason", "sure", code=2)
    assert result.output.strip() == (
        f"Error: claim {pentagon} is normal, not deprecated: "
        "--undeprecate only brings back a deprecated claim"
    )
    assert file_bytes(db_path) == before


def test_an_import_that_prefers_a_deprecated_claim_is_refused(run, tmp_path, db_path):
    """An import sets ranks as `claim prefer` does: it never revives a deprecated claim."""
    record = {"source": "wire-a", "subject": "Karbala attack", "property": "killed", "value": "5"}
    header = {
        "sources": [{"slug": "wire-a", "title": "Wire A", "kind": "website"}],
        "properties": [{"name": "killed", "type": "quantity"}],
    }
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(yaml.safe_dump({**header, "claims": [record]}), encoding="utf-8")
    second.write_text(
        yaml.safe_dump({**header, "claims": [{**record, "rank": "preferred"}]}), encoding="utf-8"
    )
    run("init")
    run("import", first)
    (claim,) = claims_json(run)
    run("claim", "deprecate", claim["id"], "--reason", "misread")
    before = file_bytes(db_path)
    result = run("import", second, code=2)
    assert result.output.strip() == (
        f"Error: claim {claim['id']} is deprecated (misread): "
        "to prefer it anyway give --undeprecate --reason WHY"
    )
    assert file_bytes(db_path) == before


def test_a_citation_added_to_a_deprecated_claim_warns_once(run, scenario):
    first = scenario["seat count with an election qualifier"]
    run("claim", "deprecate", first, "--reason", "seats of the Sadiqun bloc, not of AAH")
    args = [
        "--source",
        LWJ,
        "--subject",
        "Asaib Ahl al-Haq",
        "--property",
        "seats_won",
        "--value",
        "15",
        "--qualifier",
        ELECTION,
        "--quote",
        "holds 15 seats in the Iraqi parliament",
    ]
    output = run("add", *args).output
    assert (
        f"warning: claim {first} is deprecated (seats of the Sadiqun bloc, not of AAH); citation"
        " added to it anyway" in output
    )
    again = run("add", *args).output
    assert "citation already recorded" in again and "warning" not in again, again


# ---------------------------------------------------------------- import


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


YAML_FILE = {
    "sources": [
        {
            "slug": "iraq-ihec-2018",
            "title": "Iraqi High Electoral Commission results",
            "kind": "dataset",
            "reliability": "A",
            "url": "https://ihec.iq/",
        },
    ],
    "properties": [
        {"name": "seats_won", "type": "quantity", "unit": "seats"},
        {
            "name": "leader",
            "type": "entity",
            "time_varying": True,
            "description": "Who leads an organisation",
        },
    ],
    "entities": [
        {
            "name": "Qais al-Khazali",
            "kind": "person",
            "aliases": ["Qayis Khazali", "Qays al-Khazali"],
        },
        {"name": "Asa'ib Ahl al-Haq", "kind": "organisation", "aliases": ["AAH"]},
    ],
    "claims": [
        {
            "source": CTC,
            "subject": "AAH",
            "property": "seats_won",
            "value": 15,
            "quote": "garnered 15 of the 48 seats",
            "qualifiers": {"election": "2018 Iraqi parliamentary election"},
            "confidence": "high",
        },
        {
            "source": "iraq-ihec-2018",
            "subject": "Asa'ib Ahl al-Haq",
            "property": "seats_won",
            "value": "15",
            "qualifiers": {"election": "2018 Iraqi parliamentary election"},
        },
        {
            "source": LWJ,
            "subject": "Asaib Ahl al Haq",
            "property": "leader",
            "value": "Qayis Khazali",
            "quote": "Asaib Ahl al Haq head Qayis Khazali",
            "as_of": "2017-03-13",
        },
    ],
}


def test_import_yaml_with_sections(run, documents_db, tmp_path):
    path = write(
        tmp_path, "desk.yaml", yaml.safe_dump(YAML_FILE, allow_unicode=True, sort_keys=False)
    )
    output = run("import", path).output
    assert output.splitlines()[0] == (
        "imported desk.yaml: 3 record(s), 2 new claim(s), 0 already known, 3 new citation(s), "
        "1 new source(s), 2 new property(s), 5 new entity name(s)"
    )
    rows = claims_json(run)
    assert [(r["subject"], r["property"], r["value"], len(r["citations"])) for r in rows] == [
        ("Asa'ib Ahl al-Haq", "seats_won", "15", 2),
        ("Asa'ib Ahl al-Haq", "leader", "Qayis Khazali", 1),
    ]
    assert rows[0]["citations"][0]["footnote"] == 4
    assert rows[0]["citations"][1] | {"id": 0} == {
        "id": 0,
        "source": "iraq-ihec-2018",
        "footnote": None,
        "quote": None,
        "quote_start": None,
        "quote_end": None,
        "orphaned": False,
        "attributed_to": None,
        "stance": "asserts",
        "confidence": "medium",
        "note": None,
        "created_by": "tester",
        "quote_parts": None,
        "retracted": None,
    }
    sources = {s["slug"]: s for s in json.loads(run("sources", "--json").output)}
    assert (sources["iraq-ihec-2018"]["kind"], sources["iraq-ihec-2018"]["reliability"]) == (
        "dataset",
        "A",
    )
    entities = {e["name"]: e for e in json.loads(run("entities", "--json").output)}
    assert entities["Qais al-Khazali"]["aliases"] == ["Qayis Khazali", "Qays al-Khazali"]
    assert entities["Qais al-Khazali"]["kind"] == "person"


@pytest.mark.parametrize("fmt", ["yaml", "jsonl", "csv"])
def test_reimporting_the_same_file_adds_nothing(run, documents_db, tmp_path, fmt):
    define_properties(run)
    records = [
        {
            "source": CTC,
            "subject": "Asa'ib Ahl al-Haq",
            "property": "seats_won",
            "value": "15",
            "quote": "garnered 15 of the 48 seats",
            "qualifiers": {"election": "2018 Iraqi parliamentary election", "bloc": "Sadiqun"},
        },
        {
            "source": MEE,
            "subject": "Ain al-Assad attack",
            "property": "killed",
            "value": "0",
            "attributed_to": "Iraqi military",
            "quote": "The Iraqi military said the attack did not cause any casualties",
            "confidence": "low",
        },
        # the bloc named in record 1 becomes an entity only here
        {
            "source": CTC,
            "subject": "Sadiqun",
            "property": "seats_won",
            "value": "15",
            "quote": "garnered 15 of the 48 seats",
        },
    ]
    if fmt == "yaml":
        content = yaml.safe_dump(records, allow_unicode=True)
    elif fmt == "jsonl":
        content = "".join(json.dumps(r) + "\n" for r in records)
    else:
        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=[
                "source",
                "subject",
                "property",
                "value",
                "attributed_to",
                "confidence",
                "quote",
                "qualifiers",
            ],
        )
        writer.writeheader()
        for r in records:
            writer.writerow(
                {
                    **r,
                    "qualifiers": ";".join(f"{k}={v}" for k, v in r.get("qualifiers", {}).items()),
                }
            )
        content = out.getvalue()
    path = write(tmp_path, f"claims.{fmt}", content)
    first = run("import", path).output
    assert "3 record(s), 3 new claim(s), 0 already known, 3 new citation(s)" in first, first
    rows, log = claims_json(run), history_count(run)
    assert rows[0]["qualifiers"] == {
        "bloc": "Sadiqun",
        "election": "2018 Iraqi parliamentary election",
    }
    second = run("import", path).output
    assert (
        "3 record(s), 0 new claim(s), 3 already known, 0 new citation(s), 3 unchanged" in second
    ), second
    assert claims_json(run) == rows
    assert history_count(run) == log


def test_dry_run_checks_everything_and_writes_nothing(run, documents_db, tmp_path):
    path = write(
        tmp_path, "desk.yaml", yaml.safe_dump(YAML_FILE, allow_unicode=True, sort_keys=False)
    )
    before = file_bytes(documents_db)
    output = run("import", path, "--dry-run").output
    assert output.startswith("would import desk.yaml: 3 record(s), would create 2 claim(s)"), output
    assert output.rstrip().endswith("dry run: nothing was written")
    assert file_bytes(documents_db) == before


def test_yaml_timestamps_are_read_as_edtf(run, documents_db, tmp_path):
    define_properties(run)
    # unquoted, YAML reads these as a date and a datetime, not as text
    path = write(
        tmp_path,
        "dates.yaml",
        f"- {{source: {CTC}, subject: Karbala PJCC attack, property: attack_date, value:"
        f" 2007-01-20, quote: 'On January 20, 2007'}}\n- {{source: {MEE}, subject: Ain al-Assad"
        " attack, property: killed, value: 1, as_of: 2021-03-04T12:00:00-05:00,\n   attributed_to:"
        " Pentagon, quote: 'the Pentagon said the next day that a US contractor had died'}\n",
    )
    run("import", path)
    rows = claims_json(run)
    assert rows[0]["value"] == "2007-01-20"
    assert rows[1]["as_of"] == "2021-03-04T12:00:00-05:00"


def test_a_textless_source_takes_citations_without_quotes(run, documents_db, tmp_path):
    define_properties(run)
    assert run(
        "source",
        "add",
        "iraq-ihec-2018",
        "--title",
        "IHEC results",
        "--kind",
        "dataset",
        "--reliability",
        "A",
    ).output.strip() == ("source 18 'iraq-ihec-2018': added")
    output = run(
        "add",
        "--source",
        "iraq-ihec-2018",
        "--subject",
        "Sadiqun",
        "--property",
        "seats_won",
        "--value",
        "15",
        "--qualifier",
        ELECTION,
        "--confidence",
        "high",
    ).output
    assert "new claim" in output
    citation = claims_json(run)[0]["citations"][0]
    assert (citation["source"], citation["quote"], citation["footnote"]) == (
        "iraq-ihec-2018",
        None,
        None,
    )


def test_a_long_list_of_bad_records_gives_the_true_count(run, documents_db, tmp_path):
    path = write(
        tmp_path,
        "many.jsonl",
        "".join(
            json.dumps({"source": "nowhere", "subject": "x", "property": "p", "value": "1"}) + "\n"
            for _ in range(250)
        ),
    )
    before = file_bytes(documents_db)
    result = run("import", path, code=2)
    lines = result.output.splitlines()
    assert lines[0] == f"Error: {path}: 250 bad record(s); nothing imported"
    assert len(lines) == 1 + 200 + 1 and lines[-1] == "  … and 50 more bad record(s)"
    assert file_bytes(documents_db) == before


def test_an_import_error_in_build_is_reported_the_same_way(run, seeds_copy):
    write(
        seeds_copy,
        "claims.yaml",
        yaml.safe_dump(
            [{"source": CTC, "subject": "x", "property": "nope", "value": "1", "quote": "garnered"}]
        ),
    )
    result = run("build", "--seeds", seeds_copy, code=2)
    errors = [line for line in result.output.splitlines() if line.startswith(("Error", "  "))]
    assert errors[0].endswith("claims.yaml: 1 bad record(s); nothing imported"), result.output
    assert errors[1].startswith("  record 1, field 'property': unknown property 'nope'")


# ---------------------------------------------------------------- entities and aliases


def test_alias_suggest_lists_likely_spellings_and_merges_nothing(run, documents_db):
    for name in [
        "Abu Mahdi al-Muhandis",
        "Abu Mahdi al-Muhannis",
        "Kataib Hezbollah",
        "Kataeb Hezbollah",
        "Khadimi",
        "Hezbollah",
        "Qais al-Khazali",
        "Laith al-Khazali",
        "2018 Iraqi parliamentary election",
        "2021 Iraqi parliamentary election",
    ]:
        run("entity", "add", name)
    run("entity", "add", "Mustafa al-Kadhimi", "--kind", "person", "--alias", "Kadhimi")
    before = json.loads(run("entities", "--json").output)
    rows = json.loads(run("alias", "suggest", "--json").output)
    pairs = {frozenset((r["name"], r["other_name"])): r for r in rows}
    for a, b in [
        ("Abu Mahdi al-Muhandis", "Abu Mahdi al-Muhannis"),
        ("Kataib Hezbollah", "Kataeb Hezbollah"),
        ("Kadhimi", "Khadimi"),
    ]:
        row = pairs[frozenset((a, b))]
        assert 85 <= row["score"] <= 100, row
        assert set(row) == {"score", "entity", "name", "other_entity", "other_name", "command"}
    kadhimi = pairs[frozenset(("Kadhimi", "Khadimi"))]
    assert {kadhimi["entity"], kadhimi["other_entity"]} == {"Mustafa al-Kadhimi", "Khadimi"}
    # brothers, a group and its parent, two elections: not suggested
    assert frozenset(("Qais al-Khazali", "Laith al-Khazali")) not in pairs
    assert frozenset(("Kataib Hezbollah", "Hezbollah")) not in pairs
    assert (
        frozenset(("2018 Iraqi parliamentary election", "2021 Iraqi parliamentary election"))
        not in pairs
    )
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert "Abu Mahdi al-Muhannis" in run("alias", "suggest").output
    assert json.loads(run("entities", "--json").output) == before


def test_alias_suggest_on_an_empty_vocabulary(run, documents_db):
    assert json.loads(run("alias", "suggest", "--json").output) == []


def test_entity_add_with_aliases_and_alias_add(run, documents_db):
    output = run(
        "entity", "add", "Qassem Soleimani", "--kind", "person", "--alias", "Qassem Suleimani"
    ).output
    assert output.strip().endswith("added 'Qassem Soleimani', 'Qassem Suleimani'")
    assert (
        run("alias", "add", "Qassem Suleimani", "Qasem Soleimani").output.strip()
        == "'Qasem Soleimani' added to 'Qassem Soleimani'"
    )
    assert (
        run("alias", "add", "Qassem Soleimani", "qassem   SULEIMANI").output.strip()
        == "'qassem   SULEIMANI' already names 'Qassem Soleimani'"
    )
    entity = next(
        e for e in json.loads(run("entities", "--json").output) if e["name"] == "Qassem Soleimani"
    )
    assert (
        entity["aliases"] == ["Qassem Suleimani", "Qasem Soleimani"] and entity["kind"] == "person"
    )


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "the Hawk"',
        "<script>alert(1)</script>",
        "x'); DROP TABLE claims;--",
        "Robert'); DELETE FROM entities; --",
    ],
)
def test_odd_names_are_stored_verbatim(run, documents_db, name):
    define_properties(run)
    run("source", "add", "desk-notes", "--kind", "other")
    run(
        "add",
        "--source",
        "desk-notes",
        "--subject",
        name,
        "--property",
        "motto",
        "--value",
        name,
        "--attributed-to",
        f"{name} (speaker)",
        "--qualifier",
        f"alias={name}",
        "--note",
        name,
    )
    row = claims_json(run)[0]
    assert (row["subject"], row["value"], row["qualifiers"]) == (name, name, {"alias": name})
    assert (row["citations"][0]["attributed_to"], row["citations"][0]["note"]) == (
        f"{name} (speaker)",
        name,
    )
    names = {e["name"] for e in json.loads(run("entities", "--json").output)}
    assert {name, f"{name} (speaker)"} <= names
    assert claims_json(run, "--subject", name)[0]["id"] == row["id"]
    assert name in run("show", row["id"]).output


# ---------------------------------------------------------------- bad input


def _bad_input_setup(invoke) -> None:
    """The documents with the properties, two entities and one claim."""
    define_properties(invoke)
    invoke("source", "add", "iraq-ihec-2018", "--kind", "dataset")
    invoke("entity", "add", "Qais al-Khazali", "--alias", "Qayis Khazali")
    invoke("entity", "add", "Hadi al-Amiri")
    invoke("add", *SCENARIO[0][1])


def _make_bad_input(target, templates) -> None:
    templates.clone("built", make_built, target)
    _bad_input_setup(_invoker(target))


@pytest.fixture
def bad_db(db_templates, db_path):
    db_templates.clone("bad input", _make_bad_input, db_path)
    return db_path


SEATS = ["--subject", "Asa'ib Ahl al-Haq", "--property", "seats_won", "--value", "15"]
QUOTE = ["--quote", "garnered 15 of the 48 seats"]
GOOD = {
    "source": CTC,
    "subject": "AAH",
    "property": "seats_won",
    "value": "15",
    "quote": "garnered 15 of the 48 seats",
}


def jsonl(*records):
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def add(*args):
    return lambda t: ["add", *args]


def imports(name, content):
    return lambda t: ["import", write(t, name, content)]


# (id, arguments given tmp_path, what the first line names, what the following lines name)
BAD_INPUT = [
    # add
    ("unknown source", add("--source", "nowhere-2020", *SEATS, *QUOTE), "'nowhere-2020'", []),
    (
        "quote not in the text",
        add("--source", CTC, *SEATS, "--quote", "garnered 16 of the 48 seats"),
        "'garnered 16 of the 48 seats'",
        [],
    ),
    (
        "a comment's words attributed to the article",
        add("--source", LWJ, *SEATS, "--quote", "I was in Fallujah with RCT-6 in 2007"),
        "'I was in Fallujah with RCT-6 in 2007'",
        [],
    ),
    ("bad EDTF as-of", add("--source", CTC, *SEATS, *QUOTE, "--as-of", "2007-13"), "'2007-13'", []),
    (
        "bad EDTF valid-from",
        add("--source", CTC, *SEATS, *QUOTE, "--valid-from", "spring 2007"),
        "'spring 2007'",
        [],
    ),
    (
        "validity ending before it starts",
        add("--source", CTC, *SEATS, *QUOTE, "--valid-from", "2010", "--valid-to", "2009"),
        "'2009'",
        [],
    ),
    (
        "bad quantity",
        add(
            "--source",
            CTC,
            "--subject",
            "AAH",
            "--property",
            "seats_won",
            "--value",
            "fifteenish",
            *QUOTE,
        ),
        "'fifteenish'",
        [],
    ),
    (
        "reversed interval",
        add(
            "--source",
            CTC,
            "--subject",
            "AAH",
            "--property",
            "seats_won",
            "--value",
            "10..5",
            *QUOTE,
        ),
        "'10..5'",
        [],
    ),
    (
        "a date given for a quantity",
        add(
            "--source",
            CTC,
            "--subject",
            "AAH",
            "--property",
            "seats_won",
            "--value",
            "2007-03",
            *QUOTE,
        ),
        "'2007-03'",
        [],
    ),
    (
        "bad date",
        add(
            "--source",
            CTC,
            "--subject",
            "AAH",
            "--property",
            "capture_date",
            "--value",
            "last spring",
            *QUOTE,
        ),
        "'last spring'",
        [],
    ),
    (
        "bad boolean",
        add(
            "--source",
            CTC,
            "--subject",
            "AAH",
            "--property",
            "delayed_government_formation",
            "--value",
            "perhaps",
            *QUOTE,
        ),
        "'perhaps'",
        [],
    ),
    (
        "unknown property",
        add(
            "--source", CTC, "--subject", "AAH", "--property", "seat_count", "--value", "15", *QUOTE
        ),
        "'seat_count'",
        [],
    ),
    (
        "bad confidence",
        add("--source", CTC, *SEATS, *QUOTE, "--confidence", "certain"),
        "'certain'",
        [],
    ),
    ("footnote out of range", add("--source", CTC, *SEATS, *QUOTE, "--footnote", "99"), "'99'", []),
    (
        "footnote not a number",
        add("--source", CTC, *SEATS, *QUOTE, "--footnote", "twelve"),
        "'twelve'",
        [],
    ),
    (
        "footnote on a source without notes",
        add("--source", LWJ, *SEATS, "--quote", "holds 15 seats", "--footnote", "1"),
        "'1'",
        [],
    ),
    (
        "empty subject",
        add("--source", CTC, "--subject", " ", "--property", "seats_won", "--value", "15", *QUOTE),
        "subject",
        [],
    ),
    (
        "subject of punctuation only",
        add(
            "--source", CTC, "--subject", "'-'", "--property", "seats_won", "--value", "15", *QUOTE
        ),
        "\"'-'\"",
        [],
    ),
    (
        "qualifier without =",
        add("--source", CTC, *SEATS, *QUOTE, "--qualifier", "2018 election"),
        "'2018 election'",
        [],
    ),
    (
        "qualifier given twice",
        add(
            "--source",
            CTC,
            *SEATS,
            *QUOTE,
            "--qualifier",
            "election=2018",
            "--qualifier",
            "election=2014",
        ),
        "'election'",
        [],
    ),
    (
        "a unit other than the property's",
        add("--source", CTC, *SEATS, *QUOTE, "--unit", "USD"),
        "'USD'",
        [],
    ),
    (
        "no quote for a source with text",
        add("--source", CTC, *SEATS),
        "'ctc-khazali-interrogations-2018'",
        [],
    ),
    (
        "a quote for a source without text",
        add("--source", "iraq-ihec-2018", *SEATS, *QUOTE),
        "'iraq-ihec-2018'",
        [],
    ),
    # import
    ("missing file", lambda t: ["import", t / "absent.yaml"], "absent.yaml", []),
    ("unknown file extension", imports("claims.txt", "source: x\n"), "claims.txt", []),
    (
        "binary file",
        imports("claims.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"),
        "claims.csv",
        [],
    ),
    (
        "not UTF-8",
        imports(
            "claims.csv",
            "source,subject,property,value\nctc,Ha\u00efdar,seats_won,15\n".encode("latin-1"),
        ),
        "claims.csv",
        [],
    ),
    (
        "CSV missing a column",
        imports("claims.csv", "source,subject,value\nx,y,15\n"),
        "'property'",
        [],
    ),
    (
        "CSV unknown column",
        imports("claims.csv", "source,subject,property,value,speaker\nx,y,z,15,w\n"),
        "'speaker'",
        [],
    ),
    (
        "CSV row with too few cells",
        imports(
            "claims.csv",
            f"source,subject,property,value,quote\n{CTC},AAH,seats_won,15,garnered 15 of the 48"
            f" seats\n{CTC},AAH\n",
        ),
        "1 bad record(s)",
        ["record 2: 2 cells for 5 columns"],
    ),
    (
        "CSV qualifier without =",
        imports(
            "claims.csv",
            f"source,subject,property,value,quote,qualifiers\n{CTC},AAH,seats_won,15,garnered 15 of"
            " the 48 seats,election\n",
        ),
        "1 bad record(s)",
        ["record 1, field 'qualifiers': qualifier 'election'"],
    ),
    (
        "broken JSON line",
        imports("claims.jsonl", jsonl(GOOD, '{"source": "x", ')),
        "1 bad record(s)",
        ["record 2: broken JSON"],
    ),
    (
        "JSON line that is an array",
        imports("claims.jsonl", jsonl(GOOD, ["x", "y"])),
        "1 bad record(s)",
        ["record 2: list instead of an object"],
    ),
    ("YAML that is a scalar", imports("claims.yaml", "just some words\n"), "YAML holds str", []),
    ("YAML that does not parse", imports("claims.yaml", "- source: [x\n"), "not valid YAML", []),
    (
        "YAML with an unknown section",
        imports("claims.yaml", "sources: []\nvocabulary: []\n"),
        "'vocabulary'",
        [],
    ),
    (
        "YAML record with an unknown field",
        imports("claims.yaml", yaml.safe_dump([{**GOOD, "speaker": "x"}])),
        "1 bad record(s)",
        ["record 1, field 'speaker': unknown field 'speaker'"],
    ),
    (
        "YAML bad property in the properties section",
        imports(
            "claims.yaml",
            yaml.safe_dump({"properties": [{"name": "x", "type": "colour"}], "claims": [GOOD]}),
        ),
        "1 bad record(s)",
        ["properties entry 1 ('x'): property type 'colour'"],
    ),
    (
        "one bad record among good ones",
        imports("claims.jsonl", jsonl(GOOD, GOOD, {**GOOD, "value": "10..5"}, GOOD)),
        "1 bad record(s); nothing imported",
        ["record 3, field 'value': bad quantity '10..5'"],
    ),
    (
        "several bad records",
        imports(
            "claims.jsonl",
            jsonl(
                {**GOOD, "source": "nowhere"},
                GOOD,
                {**GOOD, "quote": "garnered 99 seats"},
                {**GOOD, "as_of": "2007-13"},
                {**GOOD, "footnote": 99},
                {**GOOD, "confidence": "sure"},
                {k: v for k, v in GOOD.items() if k != "subject"},
            ),
        ),
        "6 bad record(s); nothing imported",
        [
            "record 1, field 'source': unknown source 'nowhere'",
            "record 3, field 'quote': quote 'garnered 99 seats'",
            "record 4, field 'as_of': as_of '2007-13'",
            "record 5, field 'footnote': footnote 99",
            "record 6, field 'confidence': confidence 'sure'",
            "record 7, field 'subject': missing subject",
        ],
    ),
    # property add
    (
        "property of an unknown type",
        lambda t: ["property", "add", "x", "--type", "colour"],
        "'colour'",
        [],
    ),
    (
        "a tolerance on a date",
        lambda t: ["property", "add", "x", "--type", "date", "--tolerance", "0.1"],
        "'0.1'",
        [],
    ),
    (
        "a unit on a boolean",
        lambda t: ["property", "add", "x", "--type", "boolean", "--unit", "USD"],
        "'USD'",
        [],
    ),
    (
        "a property name of two words",
        lambda t: ["property", "add", "seats won", "--type", "quantity"],
        "'seats won'",
        [],
    ),
    (
        "a tolerance that is not a number",
        lambda t: ["property", "add", "x", "--type", "quantity", "--tolerance", "some"],
        "'some'",
        [],
    ),
    (
        "a new type for a property in use",
        lambda t: ["property", "add", "seats_won", "--type", "text"],
        "'text'",
        [],
    ),
    (
        "a new unit for a property in use",
        lambda t: ["property", "add", "seats_won", "--type", "quantity", "--unit", "MPs"],
        "'MPs'",
        [],
    ),
    # alias add
    (
        "alias of an unknown entity",
        lambda t: ["alias", "add", "Qais al-Khazaly", "Qays"],
        "'Qais al-Khazaly'",
        [],
    ),
    (
        "alias that names another entity",
        lambda t: ["alias", "add", "Qais al-Khazali", "Hadi al-Amiri"],
        "'Hadi al-Amiri'",
        [],
    ),
    (
        "alias that names another entity once normalised",
        lambda t: ["alias", "add", "Hadi al-Amiri", "qayis khazali"],
        "'qayis khazali'",
        [],
    ),
    ("empty alias", lambda t: ["alias", "add", "Qais al-Khazali", "  "], "'  '", []),
    (
        "entity add with an alias of another entity",
        lambda t: ["entity", "add", "Hadi al-Amiri", "--alias", "Qayis Khazali"],
        "'Hadi al-Amiri'",
        [],
    ),
    # show, claim
    ("show of a non-number", lambda t: ["show", "seats"], "'seats'", []),
    ("show of an unknown id", lambda t: ["show", "4242"], "'4242'", []),
    (
        "claims about an unknown entity",
        lambda t: ["claims", "--subject", "Nobody Known"],
        "'Nobody Known'",
        [],
    ),
    (
        "claims of an unknown property",
        lambda t: ["claims", "--property", "seat_count"],
        "'seat_count'",
        [],
    ),
    ("claim deprecate without --reason", lambda t: ["claim", "deprecate", "1"], "'--reason'", []),
    (
        "claim deprecate with a blank reason",
        lambda t: ["claim", "deprecate", "1", "--reason", "  "],
        "--reason",
        [],
    ),
    (
        "claim deprecate of an unknown id",
        lambda t: ["claim", "deprecate", "4242", "--reason", "wrong"],
        "'4242'",
        [],
    ),
    ("claim prefer of a non-number", lambda t: ["claim", "prefer", "first"], "'first'", []),
]


@pytest.mark.parametrize("case,make_args,named,listed", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_exit_2_names_the_value_and_writes_nothing(
    run, bad_db, tmp_path, case, make_args, named, listed
):
    before = file_bytes(bad_db)
    result = run(*make_args(tmp_path), code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    assert lines[0].startswith("Error: ") and named in lines[0], result.output
    if listed:
        # a one-line summary, then one indented line per bad record
        assert "bad record(s); nothing imported" in lines[0]
        assert len(lines) == 1 + len(listed), result.output
        for line, expected in zip(lines[1:], listed, strict=True):
            assert line.startswith(f"  {expected}"), (expected, line)
    else:
        assert len(lines) == 1, result.output
    assert file_bytes(bad_db) == before
