"""Anonymous and generic speakers are scoped to their source (SPEC §1 Citation): "Iraqi
officials" in a wire story is not the "Iraqi officials" Middle East Eye quotes."""

from __future__ import annotations

import json
import sqlite3

import pytest

from provenance.speakers import generic_speaker

MEE = "mee-iran-intelligence-rivalry-iraq-2021"
WIRE = """Rockets target US embassy in Baghdad

BAGHDAD (Wire) - Three rockets were fired at the US embassy in Baghdad late on Sunday,
Iraqi officials said, the latest in a string of attacks on American interests in Iraq.
Iraqi officials said nobody was hurt. Qais al-Khazali, the leader of Asa'ib Ahl al-Haq,
denied that his group had any part in the attack.
"""


def _sources(run):
    return {s["slug"]: s for s in json.loads(run("sources", "--json").output)}


def _speakers(run, source):
    return {
        c["attributed_to"]
        for claim in json.loads(run("claims", "--json", "--source", source).output)
        for c in claim["citations"]
        if c["source"] == source and c["attributed_to"]
    }


def _add(run, quote, speaker, value="0", subject="Baghdad embassy rocket attack, wire"):
    return run(
        "add",
        "--source",
        "wire-embassy",
        "--subject",
        subject,
        "--property",
        "wounded_people",
        "--value",
        value,
        "--quote",
        quote,
        "--attributed-to",
        speaker,
    ).output


@pytest.fixture
def wire(run, seeded_db, tmp_path):
    path = tmp_path / "wire-embassy.txt"
    path.write_text(WIRE, encoding="utf-8")
    run("ingest", path)
    run("property", "add", "wounded_people", "--type", "quantity")
    return _sources(run)


def test_the_same_words_in_another_source_are_another_speaker(run, wire):
    wire_id, mee_id = wire["wire-embassy"]["id"], wire[MEE]["id"]
    assert f"Iraqi officials (source {mee_id})" in _speakers(run, MEE)

    output = _add(run, "Iraqi officials said nobody was hurt", "Iraqi officials")
    assert f"created entity 'Iraqi officials (source {wire_id})'" in output
    assert _speakers(run, "wire-embassy") == {f"Iraqi officials (source {wire_id})"}
    names = [e["name"] for e in json.loads(run("entities", "--json").output)]
    assert "Iraqi officials" not in names
    assert {f"Iraqi officials (source {mee_id})", f"Iraqi officials (source {wire_id})"} <= set(
        names
    )

    # the same words again in the same document: the same speaker, nothing created
    again = _add(
        run,
        "Three rockets were fired at the US embassy in Baghdad late on Sunday",
        "iraqi officials",
    )
    assert "created entity" not in again, again

    # a named speaker is matched across sources as before
    named = _add(run, "denied that his group had any part", "Qais al-Khazali", value="1")
    assert "created entity" not in named, named


def test_a_speaker_written_with_another_sources_scope_is_scoped_to_this_one(run, wire):
    wire_id, mee_id = wire["wire-embassy"]["id"], wire[MEE]["id"]
    _add(run, "Iraqi officials said nobody was hurt", f"Iraqi officials (source {mee_id})")
    assert _speakers(run, "wire-embassy") == {f"Iraqi officials (source {wire_id})"}


def test_the_public_copy_names_the_wire_speaker_not_the_mee_one(run, wire, tmp_path):
    wire_id = wire["wire-embassy"]["id"]
    _add(run, "Iraqi officials said nobody was hurt", "Iraqi officials")
    out = tmp_path / "public.db"
    run("publish", out)
    connection = sqlite3.connect(out)
    try:
        speakers = {
            row[0]
            for row in connection.execute(
                "SELECT attributed_to FROM claims_with_sources WHERE source = 'wire-embassy'"
            )
        }
    finally:
        connection.close()
    assert speakers == {f"Iraqi officials (source {wire_id})"}


@pytest.mark.parametrize(
    "speaker",
    [
        "Iraqi officials",
        "U.S. officials",
        "sources",
        "security sources",
        "a source close to Araji",
        "a specialist in Iranian affairs",
        "two security officials",
        "officials familiar with the talks",
        "commanders familiar with the outcomes of the two meetings",
        "media outlets affiliated with the Iranian-backed forces",
        "residents",
        "police",
    ],
)
def test_generic_speakers_are_recognised_by_the_shape_of_the_words(speaker):
    assert generic_speaker(speaker)


@pytest.mark.parametrize(
    "speaker",
    [
        "the Pentagon",
        "Iraqi military",
        "Khazali under interrogation",
        "Qais al-Khazali",
        "U.S. Central Command",
        "the Iraqi Security Forces",
        "Popular Mobilization Forces",
        "Kataib al-Abbas",
        "lynn farley",
    ],
)
def test_named_speakers_are_not_generic(speaker):
    assert not generic_speaker(speaker)
