"""What a user hands over, read strictly, and stored text shown safely, through the real CLI.

Ids of 2⁶³ or more and digits other than 0-9, impossible YAML dates, bytes that are not
UTF-8 anywhere in a file, lone surrogates, keys given twice, NUL characters, a unit on
something that is not a quantity, empty files: each is one line (or one line per bad
record), exit 2, and the database byte for byte as it was. Terminal control sequences
stored in any text field are printed escaped by every listing.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import yaml
from conftest import file_bytes

CTC = "ctc-khazali-interrogations-2018"
SEATS_QUOTE = "garnered 15 of the 48 seats"
GOOD = {
    "source": CTC,
    "subject": "Asa'ib Ahl al-Haq",
    "property": "seats",
    "value": "15",
    "quote": SEATS_QUOTE,
}
MAX_ID = 2**63 - 1


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def csv_text(*records) -> str:
    out = io.StringIO()
    fields = list(dict.fromkeys(key for record in records for key in record))
    writer = csv.DictWriter(out, fieldnames=fields, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def record_file(tmp_path, fmt, *records):
    """The records as an import file of format ``fmt``."""
    content = {
        "jsonl": jsonl,
        "csv": csv_text,
        "yaml": lambda *r: yaml.safe_dump(list(r), allow_unicode=True),
    }[fmt](*records)
    return write(tmp_path, f"claims.{fmt}", content)


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


# ---------------------------------------------------------------- ids

BAD_IDS = [
    ("2**63", str(2**63)),
    ("far beyond 2**63", "1" + "0" * 40),
    ("more digits than int() reads", "9" * 5000),
    ("superscript two", "²"),
    ("Arabic-Indic twelve", "١٢"),
    ("fullwidth seven", "７"),
    ("zero", "0"),
]

# every command that takes an id (or a reference that may be an id), given the bad value
ID_COMMANDS = [
    ("show", lambda v: ["show", v]),
    ("claim prefer", lambda v: ["claim", "prefer", v]),
    ("claim deprecate", lambda v: ["claim", "deprecate", v, "--reason", "misread"]),
    ("resolve", lambda v: ["resolve", v, "--status", "confirmed", "--note", "checked"]),
    ("footnotes", lambda v: ["footnotes", v]),
    ("extract", lambda v: ["extract", v]),
    ("export --source", lambda v: ["export", "--format", "csv", "--source", v]),
    ("claims --source", lambda v: ["claims", "--source", v]),
    ("claims --subject", lambda v: ["claims", "--subject", v]),
    ("conflicts --subject", lambda v: ["conflicts", "--subject", v]),
    ("log --row", lambda v: ["log", "--row", v]),
    ("alias add", lambda v: ["alias", "add", v, "Someone Else"]),
    ("entity merge", lambda v: ["entity", "merge", v, "Qais al-Khazali"]),
    (
        "add --source",
        lambda v: ["add", "--source", v, *_seats_flags()],
    ),
    (
        "add --footnote",
        lambda v: ["add", "--source", CTC, *_seats_flags(), "--footnote", v],
    ),
]


def _seats_flags() -> list[str]:
    return [
        "--subject",
        "Asa'ib Ahl al-Haq",
        "--property",
        "seats",
        "--value",
        "15",
        "--quote",
        SEATS_QUOTE,
    ]


@pytest.mark.parametrize("value", [v for _, v in BAD_IDS], ids=[c for c, _ in BAD_IDS])
@pytest.mark.parametrize("make_args", [m for _, m in ID_COMMANDS], ids=[c for c, _ in ID_COMMANDS])
def test_a_bad_id_is_one_line_exit_2_and_writes_nothing(run, seeded_db, make_args, value):
    before = file_bytes(seeded_db)
    line = one_error_line(run(*make_args(value), code=2))
    assert repr(value)[:30] in line, line  # a long value is named by its start
    assert "expected" in line, line
    assert file_bytes(seeded_db) == before


@pytest.mark.parametrize("value", [v for _, v in BAD_IDS], ids=[c for c, _ in BAD_IDS])
def test_an_id_message_says_what_an_id_is(run, seeded_db, value):
    line = one_error_line(run("show", value, code=2))
    assert f"1 to {MAX_ID}" in line and "0-9" in line, line


@pytest.mark.parametrize("field", ["source", "footnote"])
@pytest.mark.parametrize("value", [v for _, v in BAD_IDS], ids=[c for c, _ in BAD_IDS])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "yaml"])
def test_a_bad_id_in_an_import_record_names_its_record(run, seeded_db, tmp_path, fmt, field, value):
    before = file_bytes(seeded_db)
    result = run("import", record_file(tmp_path, fmt, {**GOOD, field: value}), code=2)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("Error: ") and "1 bad record(s); nothing imported" in lines[0]
    assert lines[1].startswith(f"  record 1, field {field!r}: "), lines[1]
    assert repr(value)[:30] in lines[1] and "expected" in lines[1], lines[1]
    assert file_bytes(seeded_db) == before


def test_a_real_id_still_works(run, seeded_db):
    assert run("show", "1").output.startswith("claim 1:")
    assert json.loads(run("log", "--row", "1", "--json").output)
    assert run("footnotes", "1", "--json").output.startswith("[")


# ---------------------------------------------------------------- files

# a file's first 8 KiB are good: what comes after must be read as carefully
PADDING = 120


def padded_jsonl(last: bytes) -> bytes:
    return jsonl(*[GOOD] * PADDING).encode() + last


def padded_csv(last: bytes) -> bytes:
    return csv_text(*[GOOD] * PADDING).encode() + last


def padded_yaml(last: bytes) -> bytes:
    return yaml.safe_dump([GOOD] * PADDING, allow_unicode=True).encode() + last


YAML_DATE = (
    f"- source: {CTC}\n  subject: Asa'ib Ahl al-Haq\n  quote: {SEATS_QUOTE}\n"
    "  property: {prop}\n  value: {value}\n{extra}"
)
YAML_PADDING_LINES = padded_yaml(b"").count(b"\n")

# (id, file name, content, what the first line names, what the following lines name)
BAD_FILES = [
    (
        "unquoted impossible YAML date as a value",
        "claims.yaml",
        YAML_DATE.format(prop="founded", value="2007-02-30", extra=""),
        "1 bad record(s)",
        ["record 1, field 'value': bad date '2007-02-30'"],
    ),
    (
        "unquoted impossible YAML date as as_of",
        "claims.yaml",
        YAML_DATE.format(prop="seats", value="15", extra="  as_of: 2018-02-29\n"),
        "1 bad record(s)",
        ["record 1, field 'as_of': as_of '2018-02-29'"],
    ),
    (
        "a byte that is not UTF-8 after the first 8 KiB of JSON Lines",
        "claims.jsonl",
        padded_jsonl(b'{"source": "ctc\xff"}\n'),
        "1 bad record(s)",
        [f"record {PADDING + 1}: byte 0xff is not UTF-8"],
    ),
    (
        "a byte that is not UTF-8 after the first 8 KiB of CSV",
        "claims.csv",
        padded_csv(b"ctc,Ha\xefdar,seats,15,x\n"),
        "1 bad record(s)",
        [f"record {PADDING + 1}, field 'subject': subject b'Ha\\xefdar': byte 0xef is not UTF-8"],
    ),
    (
        "a byte that is not UTF-8 after the first 8 KiB of YAML",
        "claims.yaml",
        padded_yaml(b"- source: ctc\xff\n"),
        f"line {YAML_PADDING_LINES + 1}: byte 0xff is not UTF-8",
        [],
    ),
    (
        "a lone surrogate in JSON Lines",
        "claims.jsonl",
        jsonl(
            GOOD,
            json.dumps({**GOOD, "subject": "Qais @"}).replace("@", "\\ud800"),
        ),
        "1 bad record(s)",
        ["record 2, field 'subject': subject 'Qais \\ud800': it holds a lone surrogate"],
    ),
    (
        "a key given twice in a JSON line",
        "claims.jsonl",
        jsonl(GOOD, json.dumps(GOOD)[:-1] + ', "value": "16"}'),
        "1 bad record(s)",
        ["record 2: key 'value' given twice: expected each field once"],
    ),
    (
        "a key given twice in a YAML record",
        "claims.yaml",
        yaml.safe_dump([GOOD], allow_unicode=True) + "  value: '16'\n",
        "at line 6: found key 'value' given twice",
        [],
    ),
    (
        "a section given twice in YAML",
        "claims.yaml",
        "claims: []\nsources: []\nclaims: []\n",
        "at line 3: found key 'claims' given twice",
        [],
    ),
    (
        "a column given twice in CSV",
        "claims.csv",
        "source,subject,property,value,value\nctc,AAH,seats,15,16\n",
        "CSV column 'value' given twice",
        [],
    ),
    ("an empty YAML file", "claims.yaml", "", "claims.yaml' is empty: expected", []),
    ("a YAML file of comments only", "claims.yaml", "# nothing yet\n", "is empty", []),
    ("an empty JSON Lines file", "claims.jsonl", "", "claims.jsonl' is empty: expected", []),
    ("a JSON Lines file of blank lines", "claims.jsonl", "\n  \n\n", "is empty", []),
    ("an empty CSV file", "claims.csv", "", "claims.csv' is empty: expected", []),
    (
        "a unit on a date",
        "claims.jsonl",
        jsonl({**GOOD, "property": "founded", "value": "2007", "unit": "USD"}),
        "1 bad record(s)",
        ["record 1, field 'unit': unit 'USD' is for quantities: property 'founded' is a date"],
    ),
    (
        "a unit on an entity",
        "claims.csv",
        csv_text({**GOOD, "property": "leader", "value": "Qais al-Khazali", "unit": "people"}),
        "1 bad record(s)",
        ["record 1, field 'unit': unit 'people' is for quantities: property 'leader' is a entity"],
    ),
    (
        "NUL in a CSV cell after the first 8 KiB",
        "claims.csv",
        padded_csv(b"ctc,AAH,seats,15,gar\x00nered\n"),
        "1 bad record(s)",
        [f"record {PADDING + 1}, field 'quote': quote 'gar\\x00nered': it holds a NUL character"],
    ),
    (
        "NUL in a YAML record",
        "claims.yaml",
        yaml.safe_dump([{**GOOD, "note": "a\x00b"}]),
        "1 bad record(s)",
        ["record 1, field 'note': note 'a\\x00b': it holds a NUL character"],
    ),
    (
        "NUL in a YAML qualifier",
        "claims.yaml",
        yaml.safe_dump([{**GOOD, "qualifiers": {"election": "2018\x00"}}]),
        "1 bad record(s)",
        ["record 1, field 'qualifiers': qualifiers '2018\\x00': it holds a NUL character"],
    ),
    (
        "NUL in the sources section",
        "claims.yaml",
        yaml.safe_dump({"sources": [{"slug": "wire", "title": "Wire\x00"}], "claims": []}),
        "1 bad record(s)",
        ["sources entry 1: title 'Wire\\x00': it holds a NUL character"],
    ),
    (
        "NUL in the properties section",
        "claims.yaml",
        yaml.safe_dump({"properties": [{"name": "x", "type": "text", "description": "\x00"}]}),
        "1 bad record(s)",
        ["properties entry 1 ('x'): description '\\x00': it holds a NUL character"],
    ),
    (
        "NUL in the entities section",
        "claims.yaml",
        yaml.safe_dump({"entities": [{"name": "Qais", "aliases": ["Qa\x00is"]}]}),
        "1 bad record(s)",
        ["entities entry 1 ('Qais'): aliases 'Qa\\x00is': it holds a NUL character"],
    ),
]


@pytest.mark.parametrize("case,name,content,named,listed", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_exit_2_names_the_problem_and_writes_nothing(
    run, seeded_db, tmp_path, case, name, content, named, listed
):
    before = file_bytes(seeded_db)
    result = run("import", write(tmp_path, name, content), code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    assert lines[0].startswith("Error: ") and named in lines[0], result.output
    if listed:
        assert "bad record(s); nothing imported" in lines[0]
        assert len(lines) == 1 + len(listed), result.output
        for line, expected in zip(lines[1:], listed, strict=True):
            assert line.startswith(f"  {expected}"), (expected, line)
    else:
        assert len(lines) == 1, result.output
    assert file_bytes(seeded_db) == before


@pytest.mark.parametrize(
    "field",
    [
        "source",
        "subject",
        "property",
        "value",
        "quote",
        "footnote",
        "attributed_to",
        "stance",
        "confidence",
        "as_of",
        "valid_from",
        "valid_to",
        "note",
        "unit",
        "rank",
        "rank_reason",
    ],
)
def test_nul_in_any_field_of_a_json_line_is_refused(run, seeded_db, tmp_path, field):
    record = {**GOOD, field: f"{GOOD.get(field, 'x')}\x00"}
    before = file_bytes(seeded_db)
    result = run("import", write(tmp_path, "claims.jsonl", jsonl(record)), code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[1].startswith(f"  record 1, field {field!r}: "), result.output
    assert "NUL character (\\x00): expected text without NUL" in lines[1], lines[1]
    assert file_bytes(seeded_db) == before


def test_an_empty_list_or_a_header_is_an_import_of_nothing(run, seeded_db, tmp_path):
    """A file that says "no claims" is not an empty file: an export of nothing reads back."""
    for name, content in [
        ("a.yaml", "[]\n"),
        ("b.yaml", "claims: []\n"),
        ("c.csv", "source,subject,property,value\n"),
    ]:
        assert "0 record(s)" in run("import", write(tmp_path, name, content)).output


@pytest.mark.parametrize(
    "case,args,named",
    [
        (
            "--unit on a date",
            ["--property", "founded", "--value", "2007", "--unit", "USD"],
            "'USD'",
        ),
        (
            "--unit on a name",
            ["--property", "leader", "--value", "Qais al-Khazali", "--unit", "people"],
            "'people'",
        ),
        (
            "--unit on a boolean",
            ["--property", "won_election", "--value", "true", "--unit", "seats"],
            "'seats'",
        ),
        (
            "--note with NUL",
            ["--property", "seats", "--value", "15", "--note", "a\x00b"],
            "'a\\x00b'",
        ),
        (
            "--note with a byte that is not UTF-8",
            ["--property", "seats", "--value", "15", "--note", "a\udcffb"],
            "b'a\\xffb'",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("--") else None,
)
def test_add_refuses_what_it_used_to_keep_silently(run, seeded_db, case, args, named):
    before = file_bytes(seeded_db)
    flags = ["--source", CTC, "--subject", "Asa'ib Ahl al-Haq", "--quote", SEATS_QUOTE]
    line = one_error_line(run("add", *flags, *args, code=2))
    assert named in line and "expected" in line, line
    assert file_bytes(seeded_db) == before


@pytest.mark.parametrize(
    "case,edit,named",
    [
        (
            "impossible unquoted date",
            lambda t: t.replace('published: "2018-12/2019-01"', "published: 2007-02-30"),
            "'2007-02-30'",
        ),
        (
            "a key given twice",
            lambda t: t.replace("    kind: article\n", "    kind: article\n    kind: report\n", 1),
            "found key 'kind' given twice",
        ),
        (
            "NUL in a title",
            lambda t: t.replace('title: "Qais', 'title: "\\0Qais', 1),
            "it holds a NUL character",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else None,
)
def test_a_bad_manifest_is_one_line_and_writes_nothing(run, seeds_copy, db_path, case, edit, named):
    manifest = seeds_copy / "sources.yaml"
    manifest.write_text(edit(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    line = one_error_line(run("build", "--seeds", seeds_copy, code=2))
    assert named in line and "expected" in line, line
    if not isinstance(db_path, str):
        assert not db_path.exists()


# ---------------------------------------------------------------- terminal escapes

# colours, an OSC 8 hyperlink, a C1 CSI that clears the screen, bell, backspace, and a
# right-to-left override that shows text reversed
ESCAPES = (
    "\x1b[31mRED\x1b[0m \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b2J \x07\x08 \u202eevil\u202c"
)
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
VISIBLE = "\\x1b[31mRED\\x1b[0m"


@pytest.fixture
def escapes_db(run, db_path, tmp_path):
    """Every text field a user can fill holds ESCAPES: an ingested document (its text,
    footnote, every manifest field) and an import (sources, properties, entities, claims,
    quotes, speakers, notes, qualifiers, rank reasons), with a conflict between them."""
    e = ESCAPES
    (tmp_path / "report.txt").write_text(
        f"Escape report {e}\n\nThe commander said that 40 fighters {e} died in the raid.1 "
        f"An official said 55 fighters died.\n\nCitations\n"
        f"[1] \u201cThe Raid {e} Papers,\u201d Ministry {e} Press, March 3, 2007.\n",
        encoding="utf-8",
    )
    manifest = {
        "sources": [
            {
                "file": "report.txt",
                "slug": "escape-report",
                "title": f"Title {e}",
                "authors": [f"Author {e}"],
                "publisher": f"Publisher {e}",
                "url": f"http://example.org/{e}",
                "published": "2007-03",
                "published_reason": f"dated {e}",
                "kind": "report",
                "reliability": "C",
                "reliability_reason": f"reason {e}",
                "note": f"note {e}",
            }
        ]
    }
    claims = {
        "sources": [
            {
                "slug": f"wire {e}",
                "title": f"Wire {e}",
                "authors": [f"Wire author {e}"],
                "publisher": f"Wire publisher {e}",
                "url": f"http://wire.example/{e}",
                "reliability": "B",
                "reliability_reason": f"wire reason {e}",
                "note": f"wire note {e}",
            }
        ],
        "properties": [
            # a unit is at most 50 characters: the short escapes
            {"name": "killed", "type": "quantity", "unit": "people \x1b[31m\x9b", "description": e},
            {"name": "motto", "type": "text", "description": f"M {e}"},
        ],
        "entities": [
            {"name": f"Raid {e}", "kind": "event", "aliases": [f"The raid {e}"], "description": e},
            {"name": f"Raid {e}s", "kind": "event"},
        ],
        "claims": [
            {
                "source": "escape-report",
                "subject": f"Raid {e}",
                "property": "killed",
                "value": "40",
                "quote": f"40 fighters {e} died",
                "attributed_to": f"Commander {e}",
                "note": f"note {e}",
                "qualifiers": {f"phase{e}": f"first {e}"},
            },
            {
                "source": f"wire {e}",
                "subject": f"Raid {e}",
                "property": "killed",
                "value": "55",
                "attributed_to": f"Official {e}",
                "note": f"note {e}",
                "qualifiers": {f"phase{e}": f"first {e}"},
            },
            {
                "source": f"wire {e}",
                "subject": f"Raid {e}",
                "property": "motto",
                "value": f"Motto {e}",
                "rank": "deprecated",
                "rank_reason": f"why {e}",
            },
        ],
    }
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(yaml.safe_dump(claims), encoding="utf-8")
    run("init")
    run("ingest", tmp_path / "report.txt", "--manifest", tmp_path / "sources.yaml")
    run("import", tmp_path / "claims.yaml")
    return db_path


LISTINGS = [
    ["sources"],
    ["footnotes", "escape-report"],
    ["entities"],
    ["properties"],
    ["claims"],
    ["log", "--limit", "500"],
    ["conflicts"],
    ["alias", "suggest", "--min-score", "50"],
]


def assert_escaped(output: str) -> None:
    raw = RAW_CONTROLS.search(output)
    assert raw is None, f"raw {raw.group()!r} in {output!r}"


@pytest.mark.parametrize("fmt", ["table", "--csv"])
@pytest.mark.parametrize("listing", LISTINGS, ids=lambda a: " ".join(a[:2]))
def test_every_listing_prints_stored_escapes_visibly(run, escapes_db, listing, fmt):
    output = run(*listing, *([] if fmt == "table" else [fmt])).output
    assert_escaped(output)
    assert VISIBLE in output, output


@pytest.mark.parametrize("fmt", ["--json", "--nl"])
@pytest.mark.parametrize("listing", LISTINGS, ids=lambda a: " ".join(a[:2]))
def test_json_listings_escape_by_their_encoding_and_keep_the_text(run, escapes_db, listing, fmt):
    output = run(*listing, fmt).output
    assert_escaped(output.replace("\n", ""))
    if fmt == "--json":
        values = json.loads(output)
    else:
        values = [json.loads(line) for line in output.splitlines()]
    assert any(ESCAPES in text for text in strings(values)), "the stored text, exactly"


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_show_prints_every_field_escaped(run, escapes_db):
    claims = json.loads(run("claims", "--json").output)
    for claim in claims:
        output = run("show", claim["id"]).output
        assert_escaped(output)
        assert VISIBLE in output
    shown = run("show", claims[0]["id"]).output
    for field in ("Title", "Author", "Commander", "40 fighters", "note", "The Raid"):
        assert f"{field} {VISIBLE}" in shown, (field, shown)
    chain = json.loads(run("show", claims[0]["id"], "--json").output)
    assert chain["citations"][0]["quote"] == f"40 fighters {ESCAPES} died"


def test_what_commands_say_and_their_errors_are_escaped(run, escapes_db, tmp_path):
    output = run("alias", "add", f"Raid {ESCAPES}", f"Raid two {ESCAPES}").output
    assert_escaped(output)
    assert VISIBLE in output
    error = run("claims", "--subject", f"Nobody {ESCAPES}", code=2).output
    assert_escaped(error)
    assert VISIBLE in error


# ---------------------------------------------------------------- lengths

LONG = "x" * 600


@pytest.mark.parametrize(
    "case,make_args,named",
    [
        (
            "a quote pasted into the subject column",
            lambda t: ["import", write(t, "c.csv", csv_text({**GOOD, "subject": LONG}))],
            "record 1, field 'subject': subject 'xxxx",
        ),
        (
            "a long speaker",
            lambda t: ["import", write(t, "c.jsonl", jsonl({**GOOD, "attributed_to": LONG}))],
            "record 1, field 'attributed_to': attributed to 'xxxx",
        ),
        (
            "a long qualifier key",
            lambda t: ["import", write(t, "c.jsonl", jsonl({**GOOD, "qualifiers": {LONG: "1"}}))],
            "record 1, field 'qualifiers': qualifier 'xxxx",
        ),
        (
            "a long unit in a record",
            lambda t: ["import", write(t, "c.jsonl", jsonl({**GOOD, "unit": "y" * 51}))],
            "record 1, field 'unit': unit 'yyyy",
        ),
        (
            "a long slug in the sources section",
            lambda t: [
                "import",
                write(t, "c.yaml", yaml.safe_dump({"sources": [{"slug": "s" * 201}]})),
            ],
            "slug 'ssss",
        ),
        ("a long entity name", lambda t: ["entity", "add", LONG], "name 'xxxx"),
        ("a long alias", lambda t: ["alias", "add", "Qais al-Khazali", LONG], "alias 'xxxx"),
        (
            "a long property unit",
            lambda t: ["property", "add", "x", "--type", "quantity", "--unit", "u" * 51],
            "unit 'uuuu",
        ),
        (
            "a long property name",
            lambda t: ["property", "add", "p" * 201, "--type", "text"],
            "property name 'pppp",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else None,
)
def test_a_value_longer_than_its_column_is_named_on_every_back_end(
    run, seeded_db, tmp_path, case, make_args, named
):
    before = file_bytes(seeded_db)
    result = run(*make_args(tmp_path), code=2)
    assert "Traceback" not in result.output and "database error" not in result.output
    assert named in result.output and "characters long: expected at most" in result.output, (
        result.output
    )
    assert file_bytes(seeded_db) == before
