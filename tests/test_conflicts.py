"""What is a conflict (SPEC §3), rule by rule, through the real CLI."""

from __future__ import annotations

import json

import pytest
import yaml

PROPERTIES = [
    {"name": "killed", "type": "quantity", "unit": "people"},
    {"name": "seats_won", "type": "quantity", "unit": "seats"},
    {"name": "interrogations", "type": "quantity"},
    {"name": "fighters", "type": "quantity", "tolerance": 0.1},
    {"name": "capture_date", "type": "date"},
    {"name": "leader", "type": "entity", "time_varying": True},
    {"name": "capture_place", "type": "entity"},
    {"name": "member_of", "type": "entity", "multi": True},
    {"name": "motto", "type": "text"},
    {"name": "designated_terrorist", "type": "boolean"},
    {"name": "headcount", "type": "quantity", "time_varying": True},
    {"name": "founded", "type": "date"},
]
ENTITIES = [
    {"name": "Qais al-Khazali", "kind": "person", "aliases": ["Qayis Khazali", "Qays al-Khazali"]},
    {"name": "Abu Mahdi al-Muhandis", "kind": "person", "aliases": ["al-Muhannis"]},
    {"name": "Abu Fadak al-Mohammedawi", "kind": "person", "aliases": ["Abu Fadak"]},
    {"name": "Popular Mobilization Forces", "kind": "organisation", "aliases": ["PMF"]},
    {"name": "Basra", "kind": "place"},
    {"name": "Baghdad", "kind": "place"},
    {"name": "Asa'ib Ahl al-Haq", "kind": "organisation", "aliases": ["AAH"]},
    {"name": "Badr Organization", "kind": "organisation"},
    {
        "name": "2018 Iraqi parliamentary election",
        "kind": "event",
        "aliases": ["May 2018 Iraqi parliamentary elections"],
    },
]
SOURCES = [
    {
        "slug": "s1",
        "title": "Source one",
        "kind": "website",
        "reliability": "B",
        "published": "2018-09",
    },
    {
        "slug": "s2",
        "title": "Source two",
        "kind": "website",
        "reliability": "C",
        "published": "2021-03",
    },
    {
        "slug": "s3",
        "title": "Source three",
        "kind": "website",
        "reliability": "A",
        "published": "2018-10",
    },
]


def claim(source, subject, prop, value, **extra):
    return {"source": source, "subject": subject, "property": prop, "value": value, **extra}


# (id, claims, expected conflicts as a set of (kind, frozenset of the two values))
CASES = [
    (
        "different quantities from two sources",
        [
            claim("s1", "Karbala attack", "killed", "5"),
            claim("s2", "Karbala attack", "killed", "1"),
        ],
        {("quantity", "5", "1")},
    ),
    (
        "same quantity, two sources: one claim, no conflict",
        [
            claim("s1", "Karbala attack", "killed", "5"),
            claim("s2", "Karbala attack", "killed", "5"),
        ],
        set(),
    ),
    (
        "at least 70 vs 97 is not a conflict",
        [
            claim("s1", "Qais al-Khazali", "interrogations", ">=70"),
            claim("s2", "Qais al-Khazali", "interrogations", "97"),
        ],
        set(),
    ),
    (
        "more than 100 vs 100 is a conflict",
        [
            claim("s1", "Qais al-Khazali", "interrogations", ">100"),
            claim("s2", "Qais al-Khazali", "interrogations", "100"),
        ],
        {("quantity", ">100", "100")},
    ),
    (
        "ranges that overlap are not a conflict",
        [
            claim("s1", "Sadrists", "killed", "750..1000"),
            claim("s2", "Sadrists", "killed", "900..1200"),
        ],
        set(),
    ),
    (
        "ranges that do not overlap conflict",
        [
            claim("s1", "Sadrists", "killed", "750..1000"),
            claim("s2", "Sadrists", "killed", "2000..3000"),
        ],
        {("quantity", "750..1000", "2000..3000")},
    ),
    (
        "an approximate figure within the property's tolerance is not a conflict",
        [claim("s1", "AAH", "fighters", "1000"), claim("s2", "AAH", "fighters", "about 1080")],
        set(),
    ),
    (
        "beyond the property's tolerance is a conflict",
        [claim("s1", "AAH", "fighters", "1000"), claim("s2", "AAH", "fighters", "~1500")],
        {("quantity", "1000", "~1500")},
    ),
    (
        "2007 vs March 2007: one refines the other",
        [
            claim("s1", "Qais al-Khazali", "capture_date", "2007"),
            claim("s2", "Qais al-Khazali", "capture_date", "2007-03"),
        ],
        set(),
    ),
    (
        "two EDTF intervals that do not overlap",
        [
            claim("s1", "Qais al-Khazali", "capture_date", "2007-03/2007-05"),
            claim("s2", "Qais al-Khazali", "capture_date", "2009-10/2009-12"),
        ],
        {("date", "2007-03/2007-05", "2009-10/2009-12")},
    ),
    (
        "different days",
        [
            claim("s1", "Qais al-Khazali", "capture_date", "2007-03-20"),
            claim("s2", "Qais al-Khazali", "capture_date", "2007-03-21"),
        ],
        {("date", "2007-03-20", "2007-03-21")},
    ),
    (
        "alias spellings of the subject are one subject",
        [
            claim("s1", "Qais al-Khazali", "capture_place", "Basra"),
            claim("s2", "Qayis Khazali", "capture_place", "Baghdad"),
        ],
        {("entity", "Basra", "Baghdad")},
    ),
    (
        "alias spellings of an entity value are not a conflict",
        [
            claim(
                "s1", "Popular Mobilization Forces", "leader", "Abu Mahdi al-Muhandis", as_of="2018"
            ),
            claim("s2", "PMF", "leader", "al-Muhannis", as_of="2018"),
        ],
        set(),
    ),
    (
        "PMF leader in 2018 vs a different one in 2021 is not a conflict",
        [
            claim("s1", "PMF", "leader", "Abu Mahdi al-Muhandis", as_of="2018"),
            claim("s2", "PMF", "leader", "Abu Fadak", as_of="2021"),
        ],
        set(),
    ),
    (
        "different leaders at the same time conflict",
        [
            claim("s1", "PMF", "leader", "Abu Mahdi al-Muhandis", as_of="2018"),
            claim("s2", "PMF", "leader", "Abu Fadak", as_of="2018-05"),
        ],
        {("entity", "Abu Mahdi al-Muhandis", "Abu Fadak")},
    ),
    (
        "time-varying without a date: scoped to the sources' publication dates (2018 vs 2021)",
        [
            claim("s1", "PMF", "leader", "Abu Mahdi al-Muhandis"),
            claim("s2", "PMF", "leader", "Abu Fadak"),
        ],
        set(),
    ),
    (
        "time-varying without a date, sources published together: conflict",
        [
            claim("s1", "PMF", "leader", "Abu Mahdi al-Muhandis"),
            claim("s3", "PMF", "leader", "Abu Fadak", as_of="2018-09"),
        ],
        {("entity", "Abu Mahdi al-Muhandis", "Abu Fadak")},
    ),
    (
        "validity intervals that do not overlap are not a conflict",
        [
            claim("s1", "AAH", "headcount", "3000", valid_from="2014", valid_to="2015"),
            claim("s2", "AAH", "headcount", "10000", valid_from="2017", valid_to="2018"),
        ],
        set(),
    ),
    (
        "validity intervals that overlap conflict",
        [
            claim("s1", "AAH", "headcount", "3000", valid_from="2014", valid_to="2016"),
            claim("s2", "AAH", "headcount", "10000", valid_from="2015", valid_to="2018"),
        ],
        {("quantity", "3000", "10000")},
    ),
    (
        "an open-ended validity overlaps later dates",
        [
            claim("s1", "AAH", "headcount", "3000", valid_from="2014"),
            claim("s2", "AAH", "headcount", "10000", as_of="2020"),
        ],
        {("quantity", "3000", "10000")},
    ),
    (
        "values of a multi-valued property never conflict",
        [
            claim("s1", "Qais al-Khazali", "member_of", "Asa'ib Ahl al-Haq"),
            claim("s2", "Qais al-Khazali", "member_of", "Badr Organization"),
        ],
        set(),
    ),
    (
        "two values given by the same source are not a conflict",
        [
            claim("s1", "Karbala attack", "killed", "1"),
            claim("s1", "Karbala attack", "killed", "5"),
        ],
        set(),
    ),
    (
        "one article quoting two speakers with different figures conflicts",
        [
            claim("s1", "Ain al-Assad attack", "killed", "0", attributed_to="Iraqi military"),
            claim("s1", "Ain al-Assad attack", "killed", "1", attributed_to="Pentagon"),
        ],
        {("quantity", "0", "1")},
    ),
    (
        "asserts vs denies is a stance conflict",
        [
            claim("s1", "Qais al-Khazali", "designated_terrorist", "true"),
            claim("s2", "Qais al-Khazali", "designated_terrorist", "true", stance="denies"),
        ],
        {("stance", "true", "true")},
    ),
    (
        "asserting a date within a denied one is a stance conflict",
        [
            claim("s1", "AAH", "founded", "2003", stance="denies"),
            claim("s2", "AAH", "founded", "2003-09-24"),
        ],
        {("stance", "2003-09-24", "2003")},
    ),
    (
        "asserting a figure within a denied range is a stance conflict",
        [
            claim("s1", "AAH", "fighters", ">=7600", stance="denies"),
            claim("s2", "AAH", "fighters", "8480"),
        ],
        {("stance", "8480", ">=7600")},
    ),
    (
        "denying a narrower date than the one asserted is not a conflict",
        [
            claim("s1", "AAH", "founded", "2003-09-14", stance="denies"),
            claim("s2", "AAH", "founded", "2003-09"),
        ],
        set(),
    ),
    (
        "a denial and an assertion from the same source are not a conflict",
        [
            claim("s1", "AAH", "founded", "2003", stance="denies"),
            claim("s1", "AAH", "founded", "2003"),
        ],
        set(),
    ),
    (
        "booleans that differ conflict",
        [
            claim("s1", "Qais al-Khazali", "designated_terrorist", "true"),
            claim("s2", "Qais al-Khazali", "designated_terrorist", "false"),
        ],
        {("boolean", "true", "false")},
    ),
    (
        "texts equal after normalisation do not conflict",
        [
            claim("s1", "AAH", "motto", "“Death to America”"),
            claim("s2", "AAH", "motto", "death to america."),
        ],
        set(),
    ),
    (
        "texts that differ conflict",
        [
            claim("s1", "AAH", "motto", "Death to America"),
            claim("s2", "AAH", "motto", "Victory to Iraq"),
        ],
        {("text", "Death to America", "Victory to Iraq")},
    ),
    (
        "shared qualifier keys that differ: different scopes, no conflict",
        [
            claim(
                "s1",
                "AAH",
                "seats_won",
                "15",
                qualifiers={"election": "2018 Iraqi parliamentary election"},
            ),
            claim(
                "s2",
                "AAH",
                "seats_won",
                "1",
                qualifiers={"election": "2014 Iraqi parliamentary election"},
            ),
        ],
        set(),
    ),
    (
        "shared qualifier keys equal after alias resolution: conflict",
        [
            claim(
                "s1",
                "AAH",
                "seats_won",
                "15",
                qualifiers={"election": "2018 Iraqi parliamentary election"},
            ),
            claim(
                "s2",
                "AAH",
                "seats_won",
                "14",
                qualifiers={"election": "May 2018 Iraqi parliamentary elections"},
            ),
        ],
        {("quantity", "15", "14")},
    ),
    (
        "a qualifier only one claim carries does not separate them",
        [
            claim(
                "s1",
                "AAH",
                "seats_won",
                "15",
                qualifiers={"election": "2018 Iraqi parliamentary election"},
            ),
            claim("s2", "AAH", "seats_won", "14"),
        ],
        {("quantity", "15", "14")},
    ),
    (
        "different subjects never conflict",
        [
            claim("s1", "AAH", "seats_won", "15"),
            claim("s2", "Badr Organization", "seats_won", "22"),
        ],
        set(),
    ),
    (
        "a denial on a multi-valued property contradicts the same value asserted",
        [
            claim("s1", "Release of Khazali", "member_of", "Peter Moore", attributed_to="LWJ"),
            claim(
                "s2",
                "Release of Khazali",
                "member_of",
                "Peter Moore",
                stance="denies",
                attributed_to="Pentagon",
            ),
        ],
        {("stance", "Peter Moore", "Peter Moore")},
    ),
    (
        "a denial on a multi-valued property leaves other values alone",
        [
            claim("s1", "Release of Khazali", "member_of", "Badr Organization"),
            claim("s2", "Release of Khazali", "member_of", "Peter Moore", stance="denies"),
        ],
        set(),
    ),
    (
        "exact is exact: two exact figures conflict whatever the tolerance",
        [claim("s1", "AAH", "fighters", "1000"), claim("s2", "AAH", "fighters", "1080")],
        {("quantity", "1000", "1080")},
    ),
    (
        "exact is exact: 5 killed and 6 killed conflict",
        [
            claim("s1", "Karbala attack", "killed", "5"),
            claim("s2", "Karbala attack", "killed", "6"),
        ],
        {("quantity", "5", "6")},
    ),
    (
        "nearly 6 is approximate: widened by the default tolerance it holds 5.5",
        [
            claim("s1", "Karbala attack", "killed", "5.5"),
            claim("s2", "Karbala attack", "killed", "nearly 6"),
        ],
        set(),
    ),
    (
        "counts in words: dozens and hundreds overlap, thousands is beyond both",
        [
            claim("s1", "AAH", "fighters", "hundreds"),
            claim("s2", "AAH", "fighters", "dozens"),
            claim("s3", "AAH", "fighters", "thousands"),
        ],
        {("quantity", "dozens", "thousands"), ("quantity", "hundreds", "thousands")},
    ),
]


def _write(tmp_path, claims):
    path = tmp_path / "case.yaml"
    path.write_text(
        yaml.safe_dump(
            {"sources": SOURCES, "properties": PROPERTIES, "entities": ENTITIES, "claims": claims},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path


def _pairs(rows):
    """The contradicting pairs of answers of every question: (kind, asserted, other)."""
    found = set()
    for r in rows:
        by_key = {(a["claim"], a["stance"]): a for a in r["answers"]}
        for a in r["answers"]:
            if a["stance"] == "denies":
                continue  # read from the asserting side
            for c in a["contradicts"]:
                b = by_key[(c["claim"], c["stance"])]
                kind = "stance" if b["stance"] == "denies" else r["kind"]
                found.add((kind, a["value"], b["value"].removeprefix("denies: ")))
    return found


def _answer(row, value):
    (answer,) = [a for a in row["answers"] if a["value"] == value]
    return answer


def _same(found, expected):
    norm = lambda pairs: {(k, frozenset((a, b))) for k, a, b in pairs}  # noqa: E731
    return norm(found) == norm(expected)


@pytest.mark.parametrize("case,claims,expected", CASES, ids=[c[0] for c in CASES])
def test_what_is_a_conflict(run, tmp_path, case, claims, expected):
    run("init")
    run("import", _write(tmp_path, claims))
    rows = json.loads(run("conflicts", "--json").output)
    assert _same(_pairs(rows), expected), json.dumps(rows, indent=1)[:3000]


def test_qualifier_spellings_agree_once_an_alias_links_them(run, tmp_path):
    claims = [
        claim("s1", "AAH", "seats_won", "15", qualifiers={"election": "Iraqi election of 2018"}),
        claim("s2", "AAH", "seats_won", "14", qualifiers={"election": "the 2018 vote"}),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    assert json.loads(run("conflicts", "--json").output) == []
    run("alias", "add", "2018 Iraqi parliamentary election", "Iraqi election of 2018")
    run("alias", "add", "2018 Iraqi parliamentary election", "the 2018 vote")
    (row,) = json.loads(run("conflicts", "--json").output)
    assert {a["value"] for a in row["answers"]} == {"15", "14"}


def test_a_question_settled_by_ranks_shows_as_settled_with_why(run, tmp_path):
    run("init")
    run("import", _write(tmp_path, CASES[0][1]))
    (row,) = json.loads(run("conflicts", "--json").output)
    wrong, right = row["answers"][1]["claim"], row["answers"][0]["claim"]
    value = row["answers"][1]["value"]
    run("claim", "deprecate", wrong, "--reason", "misread the figure")
    # no longer open, but never gone: --status all shows it, settled, and why
    assert json.loads(run("conflicts", "--json").output) == []
    (settled,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert settled["id"] == row["id"] and not settled["active"]
    assert settled["settled"] == f"claim {wrong} ({value}) deprecated: misread the figure", settled
    assert "settled: claim" in run("conflicts", "--status", "all").output
    # restored and preferred: detected again, same question, settled by the preference
    run("claim", "prefer", wrong, "--undeprecate", "--reason", "the figure was right")
    assert json.loads(run("conflicts", "--json").output) == []
    run("conflicts", "--fail")  # a settled question is not an open one
    (again,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert again["id"] == row["id"] and again["active"]
    assert again["settled"] == f"claim {wrong} ({value}) preferred by the desk"
    assert again["leading_claim"] == wrong and right in [a["claim"] for a in again["answers"]]


def test_a_preferred_claim_leads_whatever_its_support(run, tmp_path):
    claims = [
        claim("s3", "Karbala attack", "killed", "5", confidence="high"),
        claim("s1", "Karbala attack", "killed", "5", confidence="high"),
        claim("s2", "Karbala attack", "killed", "1", confidence="low"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    (row,) = json.loads(run("conflicts", "--json").output)
    assert row["leading_value"] == "5" and row["leading_reason"] == "most likely true"
    weak = _answer(row, "1")
    # confirmed, with no answer named: the preference that follows leaves that verdict
    run("resolve", row["id"], "--status", "confirmed", "--note", "both figures were reported")
    run("claim", "prefer", weak["claim"])
    (row,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert row["status"] == "confirmed"
    assert row["leading_value"] == "1" and row["leading_reason"] == "preferred by the desk"


def test_preferring_an_answer_of_an_open_question_resolves_it_with_that_answer(run, tmp_path):
    claims = [
        claim("s1", "Karbala attack", "killed", "5", confidence="high"),
        claim("s2", "Karbala attack", "killed", "1", confidence="low"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    (row,) = json.loads(run("conflicts", "--json").output)
    weak = _answer(row, "1")["claim"]
    said = run("claim", "prefer", weak, "--note", "the coroner's list has one name").output
    assert f"conflict(s) {row['id']} resolved with it" in said, said
    (row,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert row["status"] == "resolved" and row["answer"] == {"claim": weak, "stance": "asserts"}
    assert row["note"] == "the coroner's list has one name"
    assert json.loads(run("conflicts", "--json").output) == []
    # a verdict the desk gave already is not overwritten by a later preference
    run("resolve", row["id"], "--status", "dismissed", "--note", "same count, two lists")
    run("claim", "prefer", _answer(row, "5")["claim"])
    (row,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert row["status"] == "dismissed" and row["note"] == "same count, two lists"
    assert "verdict: resolved" in run("log").output


def test_evidence_from_the_same_document_counts_once(run, tmp_path):
    claims = [
        claim("s1", "Karbala attack", "killed", "5", attributed_to="US Army", confidence="high"),
        claim("s1", "Karbala attack", "killed", "5", attributed_to="Pentagon", confidence="high"),
        claim("s1", "Karbala attack", "killed", "5", attributed_to="CENTCOM", confidence="high"),
        claim("s3", "Karbala attack", "killed", "1", confidence="high"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    (row,) = json.loads(run("conflicts", "--json", "--explain").output)
    five, one = _answer(row, "5"), _answer(row, "1")
    # three speakers in one B-graded document weigh one B-graded citation (0.8),
    # less than one A (1.0)
    assert five["support"] == pytest.approx(0.8)
    assert one["support"] == pytest.approx(1.0)
    assert row["leading_value"] == "1"
    counted = [p for p in five["support_pieces"] if p["weight"] > 0]
    assert len(counted) == 1 and len(five["support_pieces"]) == 3
    assert any("counted once" in p["why"] for p in five["support_pieces"])


def test_close_values_lend_each_other_support(run, tmp_path):
    claims = [
        claim("s1", "AAH", "fighters", "1000", confidence="high"),
        claim("s2", "AAH", "fighters", "about 1050", confidence="high"),
        claim("s3", "AAH", "fighters", "3000", confidence="medium"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    # one question, three answers: 1000 and 1050 each contradict 3000, not each other
    (row,) = json.loads(run("conflicts", "--json", "--explain").output)
    assert row["leading_value"] in ("1000", "about 1050"), row
    for value in ("1000", "about 1050"):
        close = _answer(row, value)
        assert [c["claim"] for c in close["contradicts"]] == [_answer(row, "3000")["claim"]]
        assert any("lends half" in p["why"] for p in close["support_pieces"])
    assert len(_answer(row, "3000")["contradicts"]) == 2


def test_a_verdict_survives_1000_unrelated_claims(run, tmp_path):
    run("init")
    run("import", _write(tmp_path, CASES[0][1]))
    (row,) = json.loads(run("conflicts", "--json").output)
    run(
        "resolve",
        row["id"],
        "--status",
        "confirmed",
        "--note",
        "both figures checked: they disagree",
    )
    more = [
        claim("s1" if i % 2 else "s2", f"Unrelated subject {i}", "killed", str(i))
        for i in range(1000)
    ]
    path = tmp_path / "more.yaml"
    path.write_text(yaml.safe_dump({"claims": more}), encoding="utf-8")
    run("import", path)
    assert json.loads(run("conflicts", "--json").output) == []
    (kept,) = json.loads(run("conflicts", "--status", "confirmed", "--json").output)
    assert kept["id"] == row["id"] and kept["note"] == "both figures checked: they disagree"
    assert kept["status_by"] == "tester"
    (same,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert same["status"] == "confirmed"


def test_filters_formats_and_fail(run, tmp_path):
    claims = CASES[0][1] + CASES[11][1]
    run("init")
    run("import", _write(tmp_path, claims))
    assert len(json.loads(run("conflicts", "--json").output)) == 2
    assert len(json.loads(run("conflicts", "--json", "--subject", "Qays al-Khazali").output)) == 1
    assert len(json.loads(run("conflicts", "--json", "--property", "killed").output)) == 1
    lines = run("conflicts", "--nl").output.strip().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["status"] == "open" for line in lines)
    csv_text = run("conflicts", "--csv").output
    header, *lines = csv_text.splitlines()
    assert header.startswith("id,kind,status,settled,severity,subject,property,answers,answer,")
    assert len(lines) == 4  # one line per answer
    table = run("conflicts", "--fail", code=1).output
    assert "Basra" in table and "Baghdad" in table and "leading:" in table
    for row in json.loads(run("conflicts", "--json").output):
        run("resolve", row["id"], "--status", "dismissed", "--note", "checked")
    run("conflicts", "--fail")
    assert json.loads(run("conflicts", "--json", "--status", "dismissed").output)


BAD = [
    (["resolve", "99", "--status", "confirmed", "--note", "x"], "'99'"),
    (["resolve", "abc", "--status", "confirmed", "--note", "x"], "'abc'"),
    (["resolve", "1", "--status", "maybe", "--note", "x"], "'maybe'"),
    (["resolve", "1", "--status", "confirmed", "--note", " "], "--note"),
    (["conflicts", "--status", "closed"], "'closed'"),
    (["conflicts", "--subject", "Nobody"], "'Nobody'"),
    (["conflicts", "--property", "height"], "'height'"),
]


@pytest.mark.parametrize("args,named", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input(run, tmp_path, db_path, args, named):
    from conftest import file_bytes

    run("init")
    run("import", _write(tmp_path, CASES[0][1]))
    run("conflicts")
    db = db_path
    before = file_bytes(db)
    result = run(*args, code=2)
    assert len(result.output.strip().splitlines()) == 1 and named in result.output, result.output
    assert file_bytes(db) == before


@pytest.mark.parametrize("case,claims,expected", CASES, ids=[c[0] for c in CASES])
def test_what_is_a_conflict_on_postgresql(run, tmp_path, pg_url, case, claims, expected):
    run("--db", pg_url, "init")
    run("--db", pg_url, "import", _write(tmp_path, claims))
    rows = json.loads(run("--db", pg_url, "conflicts", "--json").output)
    assert _same(_pairs(rows), expected), json.dumps(rows, indent=1)[:3000]


@pytest.mark.sqlite_only
def test_detection_searches_each_group_by_index_not_by_scanning(seeded_db):
    """Detection costs the size of each (subject, property) group, not the square of a
    property's claims: the pairing searches ``(subject_id, property_id, id > ?)``. Without
    the two-column index SQLite picks the property index, and 100,000 claims take
    minutes instead of a tenth of a second."""
    import sqlite3

    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from provenance.conflicts import detection_query

    sql = str(
        detection_query().compile(
            dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    connection = sqlite3.connect(seeded_db)
    plan = [row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql)]
    connection.close()
    assert (
        "SEARCH cb USING INDEX ix_claims_subject_property"
        " (subject_id=? AND property_id=? AND rowid>?)" in plan
    ), plan
    searches = [step for step in plan if step.startswith(("SEARCH ea", "SEARCH eb"))]
    assert searches and all("(claim_id=?)" in step for step in searches), plan
    # the denied claims come from the partial index of denials, not a question to every claim
    denials = "SCAN citations USING INDEX ix_citations_denied_claim"
    assert denials in plan, plan
    assert not [
        step
        for step in plan
        if step.startswith("SCAN") and step not in ("SCAN ca", "SCAN pairs", "SCAN denied", denials)
    ], plan


def test_a_question_holds_all_its_answers(run, tmp_path):
    """Four sources, four dates: one question with four answers, each naming the answers
    it contradicts, not six pairwise conflicts."""
    claims = [
        claim("s1", "AAH", "capture_date", "2007-03"),
        claim("s2", "AAH", "capture_date", "2007-05"),
        claim("s3", "AAH", "capture_date", "2008"),
        claim("s3", "AAH", "capture_date", "2007", attributed_to="Pentagon"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    (row,) = json.loads(run("conflicts", "--json").output)
    assert row["kind"] == "date" and len(row["answers"]) == 4
    values = {a["claim"]: a["value"] for a in row["answers"]}
    contradicts = {
        a["value"]: sorted(values[c["claim"]] for c in a["contradicts"]) for a in row["answers"]
    }
    assert contradicts == {
        "2007-03": ["2007-05", "2008"],
        "2007-05": ["2007-03", "2008"],
        "2008": ["2007", "2007-03", "2007-05"],
        "2007": ["2008"],
    }
    for field in ("id", "status", "subject", "property", "kind", "answers", "leading_claim"):
        assert field in row
    for field in ("claim", "value", "support", "citations", "contradicts"):
        assert all(field in a for a in row["answers"])
    table = run("conflicts").output
    assert "conflict 1 · open" in table and "4 answers" in table
    assert max(len(line) for line in table.splitlines()) <= 100, table


def test_40_answers_cost_one_conflict_row_not_780(run, tmp_path, db_path):
    sources = [
        {"slug": f"w{i}", "title": f"Wire {i}", "kind": "website", "reliability": "C"}
        for i in range(40)
    ]
    claims = [claim(f"w{i}", "Karbala attack", "killed", str(i + 1)) for i in range(40)]
    path = tmp_path / "forty.yaml"
    path.write_text(yaml.safe_dump({"sources": sources, "claims": claims}), encoding="utf-8")
    run("init")
    run("import", _write(tmp_path, []))
    run("import", path)
    (row,) = json.loads(run("conflicts", "--json").output)
    assert len(row["answers"]) == 40
    assert all(len(a["contradicts"]) == 39 for a in row["answers"])
    from provenance import db as dbmod

    engine = dbmod.make_engine(str(db_path))
    with engine.connect() as connection:
        from sqlalchemy import text

        conflicts = connection.execute(text("SELECT count(*) FROM conflicts")).scalar()
        answers = connection.execute(text("SELECT count(*) FROM conflict_answers")).scalar()
    engine.dispose()
    assert (conflicts, answers) == (1, 40)
    # a second run finds the same question and writes nothing new
    run("conflicts")
    assert [r["id"] for r in json.loads(run("conflicts", "--json").output)] == [row["id"]]


def test_resolve_names_the_accepted_answer_which_then_leads(run, tmp_path):
    claims = [
        claim("s3", "AAH", "capture_date", "2007-03", confidence="high"),
        claim("s1", "AAH", "capture_date", "2007-05", confidence="low"),
        claim("s2", "AAH", "capture_date", "2008", confidence="low"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    (row,) = json.loads(run("conflicts", "--json").output)
    assert row["leading_value"] == "2007-03"
    weak = _answer(row, "2008")["claim"]
    out = run(
        "resolve", row["id"], "--status", "resolved", "--answer", weak, "--note", "court record"
    ).output
    assert f"answer {weak}" in out
    # one status for the whole question; the accepted answer leads and is listed first
    (done,) = json.loads(run("conflicts", "--status", "resolved", "--json").output)
    assert done["leading_claim"] == weak and done["leading_reason"] == "accepted by the desk"
    assert done["answers"][0]["claim"] == weak
    assert done["answer"] == {"claim": weak, "stance": "asserts"}
    assert json.loads(run("conflicts", "--json").output) == []
    # survives re-detection after new claims join the question
    more = tmp_path / "more.yaml"
    more.write_text(
        yaml.safe_dump({"claims": [claim("s2", "AAH", "capture_date", "2009")]}), encoding="utf-8"
    )
    run("import", more)
    (again,) = json.loads(run("conflicts", "--status", "all", "--json").output)
    assert again["id"] == row["id"] and again["status"] == "resolved"
    assert len(again["answers"]) == 4 and again["leading_claim"] == weak
    history = run("log", "--json").output
    assert "answers changed" in history


@pytest.mark.parametrize(
    "args,named",
    [
        (["--status", "confirmed", "--answer", "1"], "--status resolved"),
        (["--status", "resolved", "--answer", "999"], "'999'"),
        (["--status", "resolved", "--answer", "first"], "'first'"),
    ],
)
def test_a_bad_answer_is_one_line_exit_2_nothing_written(run, tmp_path, db_path, args, named):
    from conftest import file_bytes

    run("init")
    run("import", _write(tmp_path, CASES[0][1]))
    (row,) = json.loads(run("conflicts", "--json").output)
    before = file_bytes(db_path)
    result = run("resolve", row["id"], *args, "--note", "x", code=2)
    assert len(result.output.strip().splitlines()) == 1 and named in result.output, result.output
    assert "expected" in result.output
    assert file_bytes(db_path) == before


def test_explain_speaks_the_desks_words(run, tmp_path):
    claims = [
        claim("s1", "Karbala attack", "killed", "5", attributed_to="US Army", confidence="high"),
        claim("s1", "Karbala attack", "killed", "5", attributed_to="CENTCOM", confidence="low"),
        claim("s3", "Karbala attack", "killed", "1", confidence="medium"),
    ]
    run("init")
    run("import", _write(tmp_path, claims))
    (row,) = json.loads(run("conflicts", "--json", "--explain").output)
    texts = [p["text"] for p in _answer(row, "5")["support_pieces"]]
    assert "s1 (US Army), grade B × high = 0.8" in texts, texts
    assert any(t.startswith("s1 (CENTCOM), grade B × low = 0.24: counted once") for t in texts)
    assert [p["text"] for p in _answer(row, "1")["support_pieces"]] == [
        "s3, grade A × medium = 0.6"
    ]
    # the leading answer weighs each independent source at its learned trust
    pieces = _answer(row, "5")["trust_pieces"]
    army, centcom = (p for p in pieces if p["source"] == "s1")
    assert army["grade"] == "B" and army["confidence"] == "high"
    assert army["agreements"] == 1 and army["disagreements"] == 0 and army["verdicts"] == 0
    trust = f"{army['trust']:.2f}".removeprefix("0")
    assert army["text"] == (
        f"s1 (US Army), grade B, trust {trust} (1 agree, 0 disagree, 0 verdicts) × high"
        f" = {army['weight']:.2f}"
    ), army
    assert centcom["weight"] == 0 and centcom["text"].endswith(
        ": counted once, with s1 (US Army) (same document)"
    ), centcom
    table = run("conflicts", "--explain").output
    assert f"+ {army['text']}" in table, table
    assert "citation " not in table


def _rerun_writes(url):
    """The statements a second detection run sends that write answers."""
    from sqlalchemy import event

    from provenance import conflicts as conflictsmod
    from provenance import db as dbmod

    engine = dbmod.make_engine(url)
    writes: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def watch(conn, cursor, statement, parameters, context, executemany):
        if "conflict_answers" in statement and not statement.lstrip().startswith("SELECT"):
            writes.append(statement)

    try:
        with dbmod.session_scope(engine) as session:
            result = conflictsmod.detect(session, "editor")
    finally:
        engine.dispose()
    return result, writes


def _four_answers(run, tmp_path, db):
    claims = [
        claim("s1", "AAH", "capture_date", "2007-03"),
        claim("s2", "AAH", "capture_date", "2007-05"),
        claim("s3", "AAH", "capture_date", "2008"),
        claim("s1", "Karbala attack", "killed", "5"),
        claim("s2", "Karbala attack", "killed", "1"),
    ]
    run("--db", db, "init")
    run("--db", db, "import", _write(tmp_path, claims))
    run("--db", db, "conflicts")


def test_a_rerun_finding_the_same_questions_rewrites_no_answer(run, tmp_path, db_path):
    _four_answers(run, tmp_path, str(db_path))
    result, writes = _rerun_writes(str(db_path))
    assert (result.detected, result.new) == (2, 0)
    assert writes == []


@pytest.mark.postgres
def test_a_rerun_finding_the_same_questions_rewrites_no_answer_on_postgresql(run, tmp_path, pg_url):
    """The stored answers are compared as the JSON text stored: PostgreSQL's driver
    decodes a json column itself unless the SQL casts it to text."""
    _four_answers(run, tmp_path, pg_url)
    result, writes = _rerun_writes(pg_url)
    assert (result.detected, result.new) == (2, 0)
    assert writes == []


@pytest.mark.parametrize(
    "cited",
    [
        [],
        [("A", "high", 1, ())],
        [("A", "high", 1, ()), ("C", "low", 2, ()), ("B", "medium", 3, ())],  # independent
        [("A", "high", 1, ()), ("C", "low", 1, ())],  # one document: counted once
        [("B", "high", 1, (7,)), ("A", "low", 2, (7,)), ("D", "high", 3, ())],  # one work
        [("E", "medium", 1, (8, 9)), ("F", "low", 2, ())],  # a work cited once
    ],
)
def test_support_totals_are_the_same_with_or_without_the_pieces(cited):
    """``--explain`` shows support piece by piece; the listing without it adds the
    weights directly where every citation is independent. Both give the same total, to
    the last bit, for independent citations and for those sharing a document or work."""
    from types import SimpleNamespace as View

    from provenance.support import own_support

    citations = [
        View(
            id=i,
            stance="asserts",
            confidence=confidence,
            source=View(slug=f"s{document}", reliability=grade, document_id=document),
            footnote=View(number=i, works=[View(work_id=w) for w in works]) if works else None,
            attributed_to=None,
        )
        for i, (grade, confidence, document, works) in enumerate(cited, 1)
    ]
    claim = View(id=1, citations=citations)
    explained = own_support(claim, pieces=True)
    assert own_support(claim, pieces=False).total == explained.total
    assert len([p for p in explained.pieces if p["weight"]]) <= len(cited)
