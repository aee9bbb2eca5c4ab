"""``provenance extract --interactive``: accept, edit or skip each candidate on a terminal.

The review is scripted through the real CLI's standard input. The candidates are read
first from ``extract -o`` (the same candidates the review shows, in the same order), so
the tests say what the desk does to the first, second and third candidate whatever the
extraction rules find.
"""

from __future__ import annotations

import json

import pytest
import yaml

SLUG = "camp-example-attack"
ARTICLE = """Rocket attack on Camp Example

On March 4, 2024, five rockets hit Camp Example, killing two contractors and wounding seven.

Three days later, 40 families had left the town, the mayor said.

Kata'ib Hezbollah, the militia, said it had fired 12 rockets.
"""


@pytest.fixture
def candidates(run, built_db, tmp_path) -> list[dict]:
    """The article ingested; the candidates extract offers for it, in review order."""
    article = tmp_path / f"{SLUG}.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    run("ingest", article)
    out = tmp_path / "candidates.yaml"
    run("extract", SLUG, "-o", out)
    found = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(found["claims"]) >= 3, found
    datatypes = {p["name"]: p["type"] for p in found.get("properties") or []}
    listed = json.loads(run("properties", "--json").stdout)
    datatypes |= {p["name"]: p["type"] for p in listed}
    return [claim | {"datatype": datatypes[claim["property"]]} for claim in found["claims"]]


def claims_of(run) -> list[dict]:
    return json.loads(run("claims", "--source", SLUG, "--json").stdout)


def history_rows(run) -> int:
    return len(json.loads(run("log", "--json", "--limit", "100000").stdout))


def other_value(candidate: dict) -> str:
    """A value of the candidate's datatype other than its own."""
    return {"quantity": "999", "date": "1999-12-31"}.get(candidate["datatype"], "edited by hand")


def test_accept_edit_skip_then_import_what_was_accepted(run, candidates):
    first, second = candidates[0], candidates[1]
    before = history_rows(run)
    script = (
        "a\n"  # accept the first as it is
        "e\nvalue\nnot a value at all\n"  # an edit that does not parse is refused …
        f"value\n{other_value(second)}\n\na\n"  # … a good one is kept, then accepted
        + "s\n"
        * (len(candidates) - 2)  # skip the rest
    )
    result = run("extract", SLUG, "--interactive", input=script)
    assert "candidate 1 of" in result.output
    assert "not changed: " in result.output
    assert f"imported {SLUG}.accepted.yaml: 2 record(s), 2 new claim(s)" in result.output
    written = claims_of(run)
    assert len(written) == 2, written
    values = {(c["subject"], c["property"]) for c in written}
    assert values == {
        (first["subject"], first["property"]),
        (second["subject"], second["property"]),
    }
    edited = [c for c in written if str(c["value"]) == other_value(second)]
    assert len(edited) == 1, written
    assert history_rows(run) > before


def test_quit_writes_nothing_not_even_what_was_accepted(run, candidates):
    before = (claims_of(run), history_rows(run))
    second = candidates[1]
    script = f"a\ne\nvalue\n{other_value(second)}\n\na\ns\nq\n"
    result = run("extract", SLUG, "--interactive", input=script)
    assert "quit: nothing written (2 accepted candidate(s) dropped)" in result.output
    assert (claims_of(run), history_rows(run)) == before


def test_all_or_nothing_when_the_import_refuses_an_accepted_candidate(run, candidates):
    # the first is fine; the second's quote is edited to words the source does not hold
    script = "a\ne\nquote\nwords that are not in the article\n\na\n" + "s\n" * (len(candidates) - 2)
    result = run("extract", SLUG, "--interactive", input=script, code=2)
    assert "nothing imported" in result.output
    assert "words that are not in the article" in result.output
    assert "Traceback" not in result.output
    assert claims_of(run) == []


def test_unknown_answers_fields_and_properties_are_asked_again(run, candidates):
    script = (
        "x\n"  # not an action
        "e\ncolour\n"  # not a field
        "property\nno_such_property\n"  # not in the vocabulary
        "stance\nperhaps\n"  # not a stance
        "\n" + "s\n" * len(candidates)
    )
    result = run("extract", SLUG, "--interactive", input=script)
    assert "answer 'x': expected a (accept), e (edit), s (skip) or q (quit)" in result.output
    assert "unknown field 'colour'" in result.output
    assert "not changed: unknown property 'no_such_property'" in result.output
    assert "not changed: stance 'perhaps': expected one of asserts, denies" in result.output
    assert f"no candidate of {SLUG} accepted: nothing written" in result.output
    assert claims_of(run) == []


def test_edit_speaker_and_stance_then_accept(run, candidates):
    first = candidates[0]
    script = "e\nattributed_to\nthe mayor\nstance\ndenies\n\na\n" + "s\n" * (len(candidates) - 1)
    run("extract", SLUG, "--interactive", input=script)
    [written] = claims_of(run)
    assert (written["subject"], written["property"]) == (first["subject"], first["property"])
    shown = run("show", written["id"]).output
    assert "the mayor" in shown
    assert "denies" in shown


def test_interactive_cannot_write_a_file(run, candidates, tmp_path):
    result = run("extract", SLUG, "--interactive", "-o", tmp_path / "x.yaml", code=2)
    assert result.output.strip().splitlines() == [
        "Error: --interactive imports what is accepted: it cannot go with -o FILE"
    ]
    assert not (tmp_path / "x.yaml").exists()


def test_input_ending_mid_review_writes_nothing(run, candidates):
    # a script (or a closed terminal) that stops answering after accepting the first
    result = run("extract", SLUG, "--interactive", input="a\n", code=1)
    assert result.stderr.strip() == "Aborted!"
    assert claims_of(run) == []


def test_a_new_property_asks_for_a_value_of_its_datatype(run, candidates):
    # a figure that is really a date: the property changes first, then the value it needs
    number = next(i for i, c in enumerate(candidates) if c["datatype"] == "quantity")
    script = (
        "s\n" * number
        + "e\nproperty\ndate\n2024-03-07\n\na\n"
        + "s\n" * (len(candidates) - number - 1)
    )
    result = run("extract", SLUG, "--interactive", input=script)
    assert "give the value as a date" in result.output
    [written] = claims_of(run)
    assert (written["property"], written["value"]) == ("date", "2024-03-07")
    assert written["subject"] == candidates[number]["subject"]
