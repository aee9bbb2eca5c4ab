"""Did you mean: an unknown property, source or entity names the nearest existing ones."""

from __future__ import annotations

import pytest
from conftest import CTC, file_bytes

from provenance.suggest import did_you_mean, nearest

SOURCE = "ctc-khazali-interrogations-2018"
QUOTE = "garnered 15 of the 48 seats"


def add(*changes: str) -> list[str]:
    fields = {
        "--source": SOURCE,
        "--subject": "Qais al-Khazali",
        "--property": "seats",
        "--value": "15",
        "--quote": QUOTE,
    }
    for change in changes:
        key, _, value = change.partition("=")
        fields[key] = value
    return ["add", *(part for item in fields.items() for part in item)]


def test_nearest_offers_the_close_name_alone():
    names = ["killed", "killed_at_scene", "hostages_killed_at", "wounded", "seats"]
    assert nearest("kiled", names) == ["killed"]
    assert nearest("xyzzy", names) == []
    assert did_you_mean(["killed"]) == "did you mean `killed`?"
    assert did_you_mean(["a", "b", "c"]) == "did you mean `a`, `b` or `c`?"


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            ["claims", "--property", "kiled"],
            "Error: unknown property 'kiled': expected a property of the vocabulary;"
            " did you mean `killed`?",
        ),
        (
            ["claims", "--subject", "Khazaly"],
            "Error: unknown entity 'Khazaly': expected a name or alias; did you mean `Khazali`?",
        ),
        (
            ["claims", "--source", "ctc-khazali-interogations"],
            "Error: unknown source 'ctc-khazali-interogations': expected an id (1 to"
            " 9223372036854775807), slug or file name; did you mean"
            " `ctc-khazali-interrogations-2018`?",
        ),
        (
            ["footnotes", CTC.replace("6b.txt", "6c.txt")],
            "Error: unknown source '000_f54a66cae721dd6c.txt': expected an id (1 to"
            f" 9223372036854775807), slug or file name; did you mean `{CTC}`?",
        ),
        (
            ["conflicts", "--subject", "Relase of Qais al-Khazali"],
            "Error: unknown entity 'Relase of Qais al-Khazali': expected a name or alias;"
            " did you mean `Release of Qais al-Khazali`?",
        ),
        (
            ["conflicts", "--property", "kiled"],
            "Error: unknown property 'kiled': expected a property of the vocabulary;"
            " did you mean `killed`?",
        ),
        (
            ["trust", "--property", "kiled"],
            "Error: unknown property 'kiled': expected a property of the vocabulary;"
            " did you mean `killed`?",
        ),
        (
            ["claims", "--property", "xyzzy"],
            "Error: unknown property 'xyzzy': expected a property of the vocabulary;"
            " see `provenance properties`",
        ),
    ],
    ids=[
        "claims property",
        "claims subject",
        "claims source",
        "footnotes file name",
        "conflicts subject",
        "conflicts property",
        "trust property",
        "nothing near",
    ],
)
def test_listing_names_the_nearest(run, seeded_db, args, expected):
    before = file_bytes(seeded_db)
    result = run(*args, code=2)
    assert result.output.splitlines() == [expected]
    assert file_bytes(seeded_db) == before


@pytest.mark.parametrize(
    "change, expected",
    [
        ("--property=seets", "unknown property 'seets'"),
        ("--source=ctc-khazali-interrogations-2019", "unknown source"),
    ],
)
def test_add_names_the_nearest_and_writes_nothing(run, seeded_db, change, expected):
    before = file_bytes(seeded_db)
    result = run(*add(change), code=2)
    (line,) = result.output.splitlines()
    assert expected in line
    assert line.endswith("did you mean `seats`?") or line.endswith(f"`{SOURCE}`?")
    assert file_bytes(seeded_db) == before


def test_import_names_the_nearest_per_record(run, seeded_db, tmp_path):
    path = tmp_path / "typos.csv"
    path.write_text(
        "source,subject,property,value,quote\n"
        f"{SOURCE},Qais al-Khazali,seats,15,{QUOTE}\n"
        f"{SOURCE},Qais al-Khazali,seets,15,{QUOTE}\n"
        f"ctc-khazali-interogations,Qais al-Khazali,seats,15,{QUOTE}\n",
        encoding="utf-8",
    )
    before = file_bytes(seeded_db)
    result = run("import", path, code=2)
    lines = result.output.splitlines()
    assert lines[1] == (
        "  record 2, field 'property': unknown property 'seets': expected a property of the"
        " vocabulary; did you mean `seats`?"
    )
    assert lines[2].startswith("  record 3, field 'source': unknown source")
    assert lines[2].endswith("did you mean `ctc-khazali-interrogations-2018`?")
    assert file_bytes(seeded_db) == before
