"""The footnote parser (provenance.footnotes): where the notes section, each note and its
markers are, in the CTC Sentinel article and small made-up documents. What the notes
cite is tests/test_note_citations.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provenance.footnotes import Note, body_end, parse_footnotes

SEEDS = Path(__file__).parent.parent / "seeds"
CTC_PATH = SEEDS / "000_f54a66cae721dd6b.txt"
OTHER_SEEDS = [
    "001_5751a991e2ca6a64.txt",
    "002_bfbc928f984825ec.txt",
    "003_9bc6249cbdfeefff.txt",
    "004_b040a4527846fc2c.txt",
]


@pytest.fixture(scope="module")
def ctc_text() -> str:
    return CTC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ctc(ctc_text) -> dict[int, Note]:
    return {note.number: note for note in parse_footnotes(ctc_text)}


# ---------------------------------------------------------------- the notes section


def test_ctc_has_notes_1_to_42(ctc):
    assert sorted(ctc) == list(range(1, 43))


def test_ctc_body_ends_at_citations_heading(ctc_text):
    end = body_end(ctc_text)
    assert ctc_text[end:].startswith("Citations\n[1] "), ctc_text[end : end + 40]
    assert ctc_text[:end].rstrip().endswith("any part of the U.S. Government.")


@pytest.mark.parametrize("number", range(1, 43))
def test_ctc_note_text_is_its_span_without_prefix(ctc, ctc_text, number):
    note = ctc[number]
    assert note.text == ctc_text[note.start : note.end]
    assert note.text == note.text.strip()
    # note 38 and 39 follow their number with a no-break space
    assert re.search(rf"\n\[{number}\]\s+$", ctc_text[: note.start]), (
        f"note {number} starts at {note.start}"
    )
    assert not note.text.startswith("["), note.text[:20]


@pytest.mark.parametrize(
    "number, first_words",
    [
        (1, "For details on the attack, see"),
        (7, "Shadid, p. 204."),
        (14, "Ibid."),
        (20, "Tactical Interrogation Report 97, May 20, 2007"),
        (42, "Secretary of State Mike Pompeo"),
    ],
)
def test_ctc_note_text_starts(ctc, number, first_words):
    assert ctc[number].text.startswith(first_words), ctc[number].text[:60]


def test_ctc_page_furniture_is_not_part_of_last_note(ctc):
    last = ctc[42]
    assert last.text.endswith("remarks at The Heritage Foundation, May 21, 2018."), last.text
    for furniture in ("Stay Informed", "Sign up"):
        assert furniture not in last.text


# ---------------------------------------------------------------- markers


@pytest.mark.parametrize("number", range(1, 43))
def test_ctc_each_note_has_exactly_one_marker(ctc, ctc_text, number):
    markers = ctc[number].markers
    assert len(markers) == 1, f"note {number}: markers {markers}"
    marker = markers[0]
    assert ctc_text[marker.start : marker.end] == str(number), ctc_text[
        marker.start - 20 : marker.end + 5
    ]
    assert marker.end <= body_end(ctc_text)


def test_ctc_markers_increase(ctc):
    offsets = [ctc[n].markers[0].start for n in range(1, 43)]
    assert offsets == sorted(offsets) and len(set(offsets)) == 42, offsets


@pytest.mark.parametrize(
    "number, before",
    [
        (1, "later that evening."),
        (4, "parliamentary elections."),
        (9, "to Tehran in 2003,"),
        (12, "U.S. dollars per month."),
        (13, "fighting the occupiers.”"),
        (16, "to “anyone.”"),
        (19, "meant to be,”"),
        (42, "reintegration of Shi`a militias."),
    ],
)
def test_ctc_marker_context(ctc, ctc_text, number, before):
    marker = ctc[number].markers[0]
    assert ctc_text[: marker.start].endswith(before), ctc_text[marker.start - 40 : marker.end]


@pytest.mark.parametrize(
    "decoy",
    [
        "$750,000-$1,000,000",
        "$2-$3 million",
        "15 of the 48 seats",
        "(March 2007-January 2010)",
        "2011-2017 episodes",
    ],
)
def test_ctc_numbers_in_body_are_not_markers(ctc, ctc_text, decoy):
    start = ctc_text.find(decoy)
    assert 0 <= start < body_end(ctc_text), decoy
    end = start + len(decoy)
    for note in ctc.values():
        for m in note.markers:
            assert not (start <= m.start < end), f"marker of note {note.number} inside {decoy!r}"


# ---------------------------------------------------------------- documents without notes


@pytest.mark.parametrize("name", OTHER_SEEDS)
def test_other_seeds_have_no_notes(name):
    text = (SEEDS / name).read_text(encoding="utf-8")
    assert parse_footnotes(text) == []
    assert body_end(text) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A plain article.\n\nNo notes at all.\n",
        "An article.\n\nNotes\n\nThe author thanks her editors.\n",
        "Citations\nNone were needed.",
    ],
)
def test_no_notes_section(text):
    assert parse_footnotes(text) == []
    assert body_end(text) == len(text)


# ---------------------------------------------------------------- made-up documents


def document(body: str, notes: list[str], heading: str = "Notes", tail: str = "") -> str:
    lines = "\n\n".join(f"[{i}] {n}" for i, n in enumerate(notes, 1))
    return f"{body}\n\n{heading}\n{lines}\n{tail}"


def parse(notes: list[str], body: str = "") -> dict[int, Note]:
    body = body or " ".join(f"Claim {i}.{i}" for i in range(1, len(notes) + 1))
    return {n.number: n for n in parse_footnotes(document(body, notes))}


FULL_A = "John Smith, “First Title,” Journal A, 2001."
FULL_B = "John Smith, “Second Title,” Journal B, 2003."
REPORT_17 = (
    "Tactical Interrogation Report 17, May 1, 2007, available via the Institute’s “Some Papers”"
    " Collection."
)


# ---------------------------------------------------------------- made-up markers


def markers_of(body: str, count: int) -> dict[int, list[str]]:
    text = document(body, [f"Source {i}, “Title {i},” Journal, 2001." for i in range(1, count + 1)])
    notes = parse_footnotes(text)
    assert [n.number for n in notes] == list(range(1, count + 1))
    # each marker with the token it ends, so that a test reads like the body
    return {n.number: [text[: m.end].split()[-1] for m in n.markers] for n in notes}


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "It cost $750,000-$1,000,000 a month.1 It won 15 of the 48 seats.2",
            {1: ["month.1"], 2: ["seats.2"]},
        ),
        (
            "Sales reached 1,650,000.1 In 2003,2 where (March 2007-January 2010) they met.3",
            {1: ["1,650,000.1"], 2: ["2003,2"], 3: ["met.3"]},
        ),
        ("A claim.1 An aside in chapter.7 Another “quoted.”2", {1: ["claim.1"], 2: ["“quoted.”2"]}),
        (
            "A claim.1 Another claim.2 Back to the first.1",
            {1: ["claim.1", "first.1"], 2: ["claim.2"]},
        ),
        ("The F2 jet flew.1 It crashed.2", {1: ["flew.1"], 2: ["crashed.2"]}),
        ("A claim without a number. Later.2", {1: [], 2: ["Later.2"]}),
        ("At 10:30 they left.1 The H1N1 virus spread.2", {1: ["left.1"], 2: ["spread.2"]}),
        ("The paragraph ends.1\n\nThe next word2 follows.", {1: ["ends.1"], 2: ["word2"]}),
        ("First.1 Then the F2 fighter. Then the real one.2", {1: ["First.1"], 2: ["one.2"]}),
    ],
)
def test_markers(body, expected):
    assert markers_of(body, len(expected)) == expected


def test_markers_stay_in_the_body():
    text = document("A claim.1", ["See note.1 in the notes is not a marker.", "Second.2"])
    notes = parse_footnotes(text)
    assert [len(n.markers) for n in notes] == [1, 0]
    assert notes[0].markers[0].end <= body_end(text)


# ---------------------------------------------------------------- notes section boundaries


@pytest.mark.parametrize("heading", ["Citations", "Notes", "Endnotes", "References", "Footnotes"])
def test_headings(heading):
    text = document("A claim.1", [FULL_A], heading=heading)
    assert body_end(text) == text.index(f"\n{heading}\n") + 1
    assert [n.number for n in parse_footnotes(text)] == [1]


def test_notes_end_at_first_paragraph_that_is_not_a_note():
    text = document(
        "A claim.1 Two.2", [FULL_A, FULL_B], tail="\nStay Informed\n\nSign up to receive updates.\n"
    )
    notes = parse_footnotes(text)
    assert [n.text for n in notes] == [FULL_A, FULL_B]


def test_note_continued_on_next_line_belongs_to_it():
    text = "A claim.1 Two.2\n\nNotes\n[1] John Smith, “First Title,”\nJournal A, 2001.\n[2] Ibid.\n"
    notes = parse_footnotes(text)
    assert notes[0].text == "John Smith, “First Title,”\nJournal A, 2001."
    assert notes[0].text == text[notes[0].start : notes[0].end]
    assert (notes[1].resolution, notes[1].resolves_to) == ("ibid", (1,))


def test_word_notes_inside_body_is_not_the_heading():
    text = "Notes\nare kept here.\n\nA claim.1\n\nNotes\n[1] " + FULL_A + "\n"
    assert body_end(text) == text.rindex("Notes\n[1]")
    assert [n.number for n in parse_footnotes(text)] == [1]


def test_windows_line_endings():
    text = "A claim.1 Two.2\r\n\r\nNotes\r\n[1] " + FULL_A + "\r\n\r\n[2] Ibid.\r\n\r\nSign up\r\n"
    notes = parse_footnotes(text)
    assert [(n.text, n.resolution) for n in notes] == [(FULL_A, "full"), ("Ibid.", "ibid")]
    assert [text[m.start : m.end] for n in notes for m in n.markers] == ["1", "2"]
