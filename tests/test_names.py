"""New names on purpose: a name close to an entity's is refused until the desk says otherwise."""

from __future__ import annotations

import itertools

import pytest
import yaml
from conftest import file_bytes

from provenance.names import close
from provenance.values import normalise_name

SOURCE = "ctc-khazali-interrogations-2018"
RELEASE = ["--property", "date", "--value", "2010-01", "--quote", "March 2007-January 2010"]


def add(subject: str, *extra: str) -> list[str]:
    return ["add", "--source", SOURCE, "--subject", subject, *RELEASE, *extra]


def test_no_two_seed_entities_are_close(seeded_db, run):
    """The closeness rule was measured on the seeds: their distinct entities stay apart."""
    rows = [
        (r["id"], name)
        for r in yaml.safe_load(run("entities", "--json").output)
        for name in [r["name"], *r["aliases"]]
    ]
    assert len({entity for entity, _ in rows}) > 200
    clashes = [
        (a, b)
        for (ea, a), (eb, b) in itertools.combinations(rows, 2)
        if ea != eb and close(normalise_name(a), normalise_name(b))
    ]
    assert clashes == []


@pytest.mark.parametrize(
    "new, existing",
    [
        ("Relase of Qais al-Khazali", "Release of Qais al-Khazali"),
        ("Qays Khazali", "Qays al-Khazali"),
        ("Kataib Hezbolah", "Kata'ib Hezbollah"),
        ("Soleimanj", "Soleimani"),
        ("Muhandes", "Muhandis"),
    ],
)
def test_typos_and_variants_are_close(new, existing):
    assert close(normalise_name(new), normalise_name(existing))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Baghdadi", "Baghdad"),
        ("Iran", "Iraq"),
        ("US forces", "Quds forces"),
        ("2018 Iraqi parliamentary election", "2021 Iraqi parliamentary election"),
        ("Laith Khazali", "Qais Khazali"),
    ],
)
def test_different_names_are_not_close(a, b):
    assert not close(normalise_name(a), normalise_name(b))


def test_add_refuses_a_subject_close_to_an_entity(run, seeded_db):
    before = file_bytes(seeded_db)
    result = run(*add("Relase of Qais al-Khazali"), code=2)
    assert result.output.splitlines() == [
        "Error: subject 'Relase of Qais al-Khazali' is not an entity but is close to"
        " `Release of Qais al-Khazali`: write that name, or give --new-entity to create it"
    ]
    assert file_bytes(seeded_db) == before


def test_add_refuses_a_speaker_close_to_an_entity(run, seeded_db):
    before = file_bytes(seeded_db)
    result = run(*add("Release of Qais al-Khazali", "--attributed-to", "Qays Khazali"), code=2)
    assert result.output.splitlines() == [
        "Error: attributed to 'Qays Khazali' is not an entity but is close to `Qais al-Khazali`"
        " (as `Qays al-Khazali`): write that name, or give --new-entity to create it"
    ]
    assert file_bytes(seeded_db) == before


def test_new_entity_creates_a_close_name_on_purpose(run, seeded_db):
    output = run(*add("Relase of Qais al-Khazali", "--new-entity")).output
    assert output.splitlines()[0] == "created entity 'Relase of Qais al-Khazali'"
    assert "Relase of Qais al-Khazali" in run("entities", "--json").output


def test_a_name_far_from_every_entity_is_created_and_said(run, seeded_db):
    output = run(*add("Escape of Abu Deraa")).output
    assert output.splitlines()[0] == "created entity 'Escape of Abu Deraa'"


def _claims_file(tmp_path, subject: str, entities: list | None = None):
    content: dict = {
        "claims": [
            {
                "source": SOURCE,
                "subject": "Release of Qais al-Khazali",
                "property": "date",
                "value": "2010-01",
                "quote": "March 2007-January 2010",
            },
            {
                "source": SOURCE,
                "subject": subject,
                "property": "date",
                "value": "2010-01",
                "quote": "March 2007-January 2010",
            },
        ]
    }
    if entities is not None:
        content["entities"] = entities
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["import", "dry run"])
def test_import_refuses_close_new_names_by_record(run, seeded_db, tmp_path, dry_run):
    path = _claims_file(tmp_path, "Relase of Qais al-Khazali")
    before = file_bytes(seeded_db)
    result = run("import", path, *dry_run, code=2)
    assert result.output.splitlines() == [
        f"Error: {path}: 1 bad record(s); nothing imported",
        "  record 2, field 'subject': subject 'Relase of Qais al-Khazali' is not an entity but"
        " is close to `Release of Qais al-Khazali`: write that name, or declare it in the"
        " file's entities: section, or import with --new-entities",
    ]
    assert file_bytes(seeded_db) == before


def test_import_reports_close_names_after_another_bad_record_too(run, seeded_db, tmp_path):
    """Once a file is rejected nothing more is written, but every record is still checked:
    a close new name after the first bad record is reported as well."""
    path = _claims_file(tmp_path, "Relase of Qais al-Khazali")
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["claims"][0]["property"] = "dat"
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    before = file_bytes(seeded_db)
    lines = run("import", path, code=2).output.splitlines()
    assert lines[0] == f"Error: {path}: 2 bad record(s); nothing imported", lines
    assert lines[1].startswith("  record 1, field 'property': unknown property 'dat'"), lines
    assert lines[2].startswith(
        "  record 2, field 'subject': subject 'Relase of Qais al-Khazali' is not an entity but"
        " is close to `Release of Qais al-Khazali`"
    ), lines
    assert file_bytes(seeded_db) == before


def test_import_takes_close_names_the_file_declares(run, seeded_db, tmp_path):
    path = _claims_file(
        tmp_path, "Relase of Qais al-Khazali", [{"name": "Relase of Qais al-Khazali"}]
    )
    assert "1 new entity name(s)" in run("import", path).output


def test_import_new_entities_takes_close_names(run, seeded_db, tmp_path):
    path = _claims_file(tmp_path, "Relase of Qais al-Khazali")
    output = run("import", path, "--new-entities").output
    assert "created 1 entity: Relase of Qais al-Khazali" in output


def test_import_refuses_two_new_names_close_to_each_other(run, built_db, tmp_path):
    run("property", "add", "date", "--type", "date")
    path = _claims_file(tmp_path, "Relase of Qais al-Khazali")
    result = run("import", path, code=2)
    assert "record 2, field 'subject'" in result.output
    assert "close to `Release of Qais al-Khazali`" in result.output


def test_alias_distinct_stops_suggestions(run, seeded_db):
    def suggested() -> set[tuple[str, str]]:
        rows = yaml.safe_load(run("alias", "suggest", "--json").output)
        return {(r["entity"], r["other_entity"]) for r in rows}

    assert ("Abu Bakr al-Baghdadi", "Baghdad") in suggested()
    output = run("alias", "distinct", "Baghdadi", "Baghdad").output
    assert output == (
        "recorded: 'Baghdadi' (Abu Bakr al-Baghdadi) and 'Baghdad' (Baghdad) are different"
        " entities\n"
    )
    assert ("Abu Bakr al-Baghdadi", "Baghdad") not in suggested()
    again = run("alias", "distinct", "Baghdad", "Baghdadi").output
    assert again.startswith("already recorded:")
    log = yaml.safe_load(run("log", "--table", "distinct_names", "--json").output)
    assert [row["summary"] for row in log] == ["'Baghdad' and 'Baghdadi' are different entities"]


def test_alias_distinct_stops_the_close_name_check(run, seeded_db):
    run(*add("Soleimanj"), code=2)
    run("alias", "distinct", "Soleimanj", "Soleimani")
    output = run(*add("Soleimanj")).output
    assert output.splitlines()[0] == "created entity 'Soleimanj'"


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            ["Iran", "Islamic Republic of Iran"],
            "Error: 'Iran' and 'Islamic Republic of Iran' are names of one entity, 'Iran':"
            " expected names of two entities (`provenance entity merge` joins two, nothing"
            " splits one)",
        ),
        (
            ["Nobody", "Nowhere"],
            "Error: unknown entity 'Nobody': expected a name or alias; see `provenance entities`",
        ),
        (["", "Iran"], "Error: empty name '': expected a name such as 'Qais al-Khazali'"),
    ],
)
def test_alias_distinct_bad_input(run, seeded_db, args, expected):
    before = file_bytes(seeded_db)
    result = run("alias", "distinct", *args, code=2)
    assert result.output.splitlines() == [expected]
    assert file_bytes(seeded_db) == before
