"""Listings that scale and fit spreadsheets: --limit, streamed output, flat claims CSV,
import from standard input, spreadsheet CSV files and what a dry run would create."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import file_bytes

SOURCE = "ctc-khazali-interrogations-2018"
HEADER = "source,subject,property,value,quote\n"
ROW = f"{SOURCE},Qais al-Khazali,seats,15,garnered 15 of the 48 seats\n"

LISTINGS = [
    ["sources"],
    ["footnotes", SOURCE],
    ["entities"],
    ["properties"],
    ["claims"],
    ["log"],
    ["trust"],
    ["alias", "suggest"],
    ["conflicts", "--status", "all"],
]
IDS = [" ".join(args[:2]) for args in LISTINGS]


@pytest.mark.parametrize("args", LISTINGS, ids=IDS)
def test_every_listing_takes_limit(run, seeded_db, args):
    everything = json.loads(run(*args, "--json").output)
    assert len(everything) > 2, "the seeds give each listing more than two rows"
    two = json.loads(run(*args, "--json", "--limit", "2").output)
    assert two == everything[:2]
    lines = run(*args, "--nl", "--limit", "2").output.splitlines()
    assert [json.loads(line) for line in lines] == two


@pytest.mark.parametrize("bad", ["0", "-1", "ten"])
def test_a_bad_limit_is_one_line_and_changes_nothing(run, seeded_db, bad):
    before = file_bytes(seeded_db)
    result = run("claims", "--limit", bad, code=2)
    (line,) = result.output.splitlines()
    assert line.startswith("Error: Invalid value for '--limit'") and bad in line
    assert file_bytes(seeded_db) == before


def test_json_written_row_by_row_is_one_json_array(run, seeded_db):
    text = run("claims", "--json").output
    claims = json.loads(text)
    assert len(claims) == 515
    assert text == json.dumps(claims, indent=2, ensure_ascii=False) + "\n"
    assert run("claims", "--json", "--rank", "preferred").output == "[]\n"


def test_claims_csv_is_one_row_per_citation(run, seeded_db):
    claims = json.loads(run("claims", "--json").output)
    rows = list(csv.DictReader(io.StringIO(run("claims", "--csv").output)))
    assert len(rows) == sum(len(c["citations"]) for c in claims) == 560
    assert list(rows[0]) == [
        "claim_id",
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
        "citation_id",
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
    ]
    by_citation = {int(r["citation_id"]): r for r in rows}
    for claim in claims:
        for citation in claim["citations"]:
            row = by_citation[citation["id"]]
            assert int(row["claim_id"]) == claim["id"]
            assert row["quote"] == (citation["quote"] or "")
            assert row["qualifiers"] == ";".join(f"{k}={v}" for k, v in claim["qualifiers"].items())
    # --limit counts claims: a claim's citations stay together
    first = [r for r in rows if r["claim_id"] == rows[0]["claim_id"]]
    assert list(csv.DictReader(io.StringIO(run("claims", "--csv", "--limit", "1").output))) == (
        first
    )


def test_an_empty_claims_csv_still_has_its_header(run, built_db):
    output = run("claims", "--csv").output
    assert output.startswith("claim_id,subject,property,") and output.count("\n") == 1


@pytest.mark.parametrize(
    "text",
    [
        HEADER + ROW,
        json.dumps(
            {
                "source": SOURCE,
                "subject": "Qais al-Khazali",
                "property": "seats",
                "value": "15",
                "quote": "garnered 15 of the 48 seats",
            }
        )
        + "\n",
        f"- source: {SOURCE}\n  subject: Qais al-Khazali\n  property: seats\n  value: '15'\n"
        "  quote: garnered 15 of the 48 seats\n",
    ],
    ids=["csv", "jsonl", "yaml"],
)
def test_import_reads_standard_input(run, seeded_db, text):
    output = run("import", "-", input=text).output
    assert output.startswith("imported standard input: 1 record(s)")


def test_import_from_standard_input_names_it_in_errors(run, seeded_db):
    before = file_bytes(seeded_db)
    result = run("import", "-", input=HEADER + ROW.replace("seats,", "seets,"), code=2)
    assert result.output.splitlines()[0] == "Error: <stdin>: 1 bad record(s); nothing imported"
    assert file_bytes(seeded_db) == before


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolons", "tabs"])
def test_import_sniffs_the_csv_delimiter(run, seeded_db, tmp_path, delimiter):
    path = tmp_path / "desk.csv"
    path.write_text(
        HEADER.replace(",", delimiter)
        + delimiter.join(
            [SOURCE, "Qais al-Khazali", "seats", "15", '"garnered 15 of the 48 seats"']
        )
        + "\n",
        encoding="utf-8",
    )
    output = run("import", path).output
    assert output.startswith("imported desk.csv: 1 record(s), 1 new claim(s), 0 already known")


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-16", "is UTF-16 text (Excel's Unicode Text): save it as \"CSV UTF-8"),
        ("cp1252", "is not UTF-8 text (byte 0xe9 at offset 70, as Windows-1252 'é'"),
    ],
)
def test_a_spreadsheet_file_not_in_utf8_says_how_to_save_it(
    run, seeded_db, tmp_path, encoding, expected
):
    path = tmp_path / "desk.csv"
    path.write_text(HEADER + ROW.replace("Qais", "Qaïs").replace("ï", "é"), encoding=encoding)
    before = file_bytes(seeded_db)
    result = run("import", path, code=2)
    (line,) = result.output.splitlines()
    assert expected in line and line.endswith("and import that")
    assert file_bytes(seeded_db) == before


def test_dry_run_says_what_it_would_create(run, seeded_db, tmp_path):
    path = tmp_path / "desk.csv"
    path.write_text(
        HEADER + f"{SOURCE},Karbala PJCC attack,wounded,42,executing them\n", encoding="utf-8"
    )
    before = file_bytes(seeded_db)
    lines = run("import", path, "--dry-run").output.splitlines()
    assert lines == [
        "would import desk.csv: 1 record(s), would create 1 claim(s), 1 citation(s),"
        " 0 claim(s) already known",
        "dry run: nothing was written",
    ]
    assert file_bytes(seeded_db) == before
