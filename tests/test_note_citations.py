"""What a note cites (provenance.note_citations), through the footnote parser: the CTC
Sentinel article's full citations, Ibid. and short forms, their works and keys, and small
made-up notes. Where the notes and their markers are is tests/test_footnotes.py."""

from __future__ import annotations

import pytest
from test_footnotes import CTC_PATH, FULL_A, FULL_B, REPORT_17, parse

from provenance.footnotes import Note, parse_footnotes
from provenance.note_citations import work_key

AEI = "The Qays al-Khazali Papers"


def tir(number: str) -> str:
    return work_key(f"Tactical Interrogation Report {number}")


MCCHRYSTAL = "mcchrystal my share of"
SHADID = "shadid night draws near"
FELTER = "felter fishman iranian strategy in"
PAPERS = work_key(AEI)

# number -> (resolution, keys of its works in order, resolves_to)
TABLE: dict[int, tuple[str, list[str], tuple[int, ...]]] = {
    1: ("full", ["karbala attackers user u s army styled uniforms to gain access", MCCHRYSTAL], ()),
    2: (
        "full",
        [SHADID, "hazran the rise of", "cockburn muqtada al sadr", "worsnop who can keep"],
        (),
    ),
    3: ("short", [MCCHRYSTAL], (1,)),
    4: (
        "full",
        [
            "iraq manual recount shows few changes to may election results",
            "rogin iraqi terrorist turned",
        ],
        (),
    ),
    5: (
        "full",
        ["spyer who is qais", "filkins iran extends its", "the future of irans presence in syria"],
        (),
    ),
    6: ("full", [PAPERS, "gordon the army stymied"], ()),
    7: ("short", [SHADID], (2,)),
    8: ("full", [tir("42"), FELTER], ()),
    9: ("full", [tir("4")], ()),
    10: (
        "full",
        [
            tir("1"),
            (
                "designation of iranian entities and individuals for proliferation activities and"
                " support for terrorism"
            ),
            "treasury designates individuals and entities fueling violence in iraq",
        ],
        (),
    ),
    11: ("short", [tir("4")], (9,)),
    12: ("full", [tir("16")], ()),
    13: ("full", [tir("200243-038")], ()),
    14: ("ibid", [tir("200243-038")], (13,)),
    15: ("full", [tir("200243-008"), tir("200243-015"), tir("11")], ()),
    16: ("short", [tir("11")], (15,)),
    17: ("mixed", [tir("21"), tir("18"), FELTER], (8,)),
    18: ("full", [tir("6")], ()),
    19: ("full", [tir("62")], ()),
    20: ("full", [tir("97"), "garamone iran arming training"], ()),
    21: ("full", ["wright u s starts"], ()),
    22: ("full", [tir("13")], ()),
    23: ("full", [tir("200243-007")], ()),
    24: ("ibid", [tir("200243-007")], (23,)),
    25: ("mixed", [tir("200243-041"), tir("200243-045"), tir("42")], (8,)),
    26: ("short", [tir("200243-008")], (15,)),
    27: ("short", [tir("1")], (10,)),
    28: ("full", [tir("200243-022")], ()),
    29: ("ibid", [tir("200243-022")], (28,)),
    30: ("full", [tir("200243-009")], ()),
    31: ("full", [tir("200243-010")], ()),
    32: ("full", [tir("200243-012")], ()),
    33: ("full", ["al zaidi interview with militia"], ()),
    34: ("full", ["shalhub qais al khazalis"], ()),
    35: ("full", ["sadr describes assaib ahl al haqq as a group of religion less killers"], ()),
    36: ("full", ["sadr accuses al khazalis militia of committing kidnapping crimes in iraq"], ()),
    37: ("full", ["wing sadrists league of"], ()),
    38: ("full", ["al sadr my message to"], ()),
    39: ("ibid", ["al sadr my message to"], (38,)),
    40: (
        "full",
        [
            "al sadr denies his role in delaying government formation and insists on independents"
            " for interior and defense"
        ],
        (),
    ),
    41: (
        "ibid",
        [
            "al sadr denies his role in delaying government formation and insists on independents"
            " for interior and defense"
        ],
        (40,),
    ),
    42: ("full", ["pompeo after the deal"], ()),
}


@pytest.fixture(scope="module")
def ctc_text() -> str:
    return CTC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ctc(ctc_text) -> dict[int, Note]:
    return {note.number: note for note in parse_footnotes(ctc_text)}


def describe(note: Note) -> str:
    return (
        f"note {note.number} {note.resolution} -> {note.resolves_to}: "
        f"{[(w.key, w.locator) for w in note.works]}, unresolved {note.unresolved_parts}"
    )


# ---------------------------------------------------------------- resolution table


@pytest.mark.parametrize("number", sorted(TABLE))
def test_ctc_resolution_table(ctc, number):
    resolution, keys, resolves_to = TABLE[number]
    note = ctc[number]
    assert note.resolution == resolution, describe(note)
    assert [w.key for w in note.works] == keys, describe(note)
    assert note.resolves_to == resolves_to, describe(note)
    assert note.unresolved_parts == (), describe(note)


@pytest.mark.parametrize("number, previous", [(14, 13), (24, 23), (29, 28), (39, 38), (41, 40)])
def test_ctc_ibid_is_the_note_before(ctc, number, previous):
    note = ctc[number]
    assert note.text == "Ibid."
    assert (note.resolution, note.resolves_to) == ("ibid", (previous,)), describe(note)
    assert note.works == ctc[previous].works, describe(note)


@pytest.mark.parametrize(
    "number, written, key, resolves_to, locator",
    [
        (3, "McChrystal, pp. 571-578", MCCHRYSTAL, 1, "pp. 571-578"),
        (7, "Shadid, p. 204", SHADID, 2, "p. 204"),
        (11, "Tactical Interrogation Report 4", tir("4"), 9, None),
        (16, "Tactical Interrogation Report 11", tir("11"), 15, None),
        (17, "Fishman and Felter", FELTER, 8, None),
        (25, "Tactical Interrogation Report 42", tir("42"), 8, None),
        (26, "Tactical Interrogation Report 200243-008", tir("200243-008"), 15, None),
        (27, "Tactical Interrogation Report 1", tir("1"), 10, None),
    ],
)
def test_ctc_short_forms(ctc, number, written, key, resolves_to, locator):
    note = ctc[number]
    assert written in note.text
    assert resolves_to in note.resolves_to, describe(note)
    work = next((w for w in note.works if w.key == key), None)
    assert work is not None, describe(note)
    assert work.locator == locator, describe(note)
    full = next(w for w in ctc[resolves_to].works if w.key == key)
    assert (work.title, work.citation, work.collection) == (
        full.title,
        full.citation,
        full.collection,
    )
    assert work.citation in ctc[resolves_to].text, "citation is as written in the full note"


@pytest.mark.parametrize(
    "number, wrong",
    [
        (27, ["16", "18", "11", "13", "13", "200243-015"]),
        (11, ["42", "13"]),
        (16, ["1", "13", "18"]),
    ],
)
def test_ctc_report_numbers_match_exactly(ctc, number, wrong):
    keys = {w.key for w in ctc[number].works}
    for other in wrong:
        assert tir(other) not in keys, describe(ctc[number])


# ---------------------------------------------------------------- works


@pytest.mark.parametrize(
    "number, count",
    [(1, 2), (2, 4), (4, 2), (5, 3), (6, 2), (8, 2), (10, 3), (15, 3), (17, 3), (20, 2), (25, 3)],
)
def test_ctc_multi_work_notes(ctc, number, count):
    assert len(ctc[number].works) == count, describe(ctc[number])
    assert len({w.key for w in ctc[number].works}) == count


@pytest.mark.parametrize(
    "number, title",
    [
        (1, "Karbala Attackers User U.S. Army-Styled Uniforms to Gain Access"),
        (1, "My Share of the Task: A Memoir"),
        (2, "Night Draws Near: Iraq’s People in the Shadow of America’s War"),
        (2, "Who Can Keep the Peace? Insurgent Organizational Control of Collective Violence"),
        (5, "Who is Qais al-Khazali, and Why Should You Care?"),
        (5, "The Future of Iran’s Presence in Syria"),
        (6, AEI),
        (8, "Iranian Strategy in Iraq: Politics and “Other Means”"),
        (10, "Treasury Designates Individuals and Entities Fueling Violence in Iraq"),
        (12, "Tactical Interrogation Report 16"),
        (37, "Sadrists-League of the Righteous Clash in Iraq During the Summer"),
    ],
)
def test_ctc_titles(ctc, number, title):
    assert title in [w.title for w in ctc[number].works], describe(ctc[number])


@pytest.mark.parametrize("number", [n for n, row in TABLE.items() if row[0] == "full"])
def test_ctc_full_citations_are_written_in_the_note_without_lead_in(ctc, number):
    note = ctc[number]
    for work in note.works:
        assert work.citation in note.text, f"{work.citation!r} not in note {number}"
        lowered = work.citation.lower()
        assert not lowered.startswith(("see", "for ", "and ")), work.citation
        assert not lowered.endswith("."), work.citation


@pytest.mark.parametrize(
    "number, key, locator",
    [
        (1, MCCHRYSTAL, "pp. 565-566"),
        (2, SHADID, None),
        (2, "hazran the rise of", "pp. 521-541"),
        (3, MCCHRYSTAL, "pp. 571-578"),
        (7, SHADID, "p. 204"),
        (8, FELTER, None),
        (17, FELTER, None),
    ],
)
def test_ctc_locators(ctc, number, key, locator):
    work = next((w for w in ctc[number].works if w.key == key), None)
    assert work is not None, describe(ctc[number])
    assert work.locator == locator


def test_ctc_same_work_same_key_across_notes(ctc):
    by_key: dict[str, set[str]] = {}
    for note in ctc.values():
        for work in note.works:
            by_key.setdefault(work.key, set()).add(work.title)
    assert all(len(titles) == 1 for titles in by_key.values()), by_key


def test_ctc_every_report_carries_its_collection(ctc):
    reports = [
        w
        for note in ctc.values()
        for w in note.works
        if w.key.startswith("tactical interrogation report")
    ]
    assert reports
    for work in reports:
        expected = "Khazali Files" if work.key == tir("11") else AEI
        assert work.collection == expected, f"{work.title}: {work.collection}"


@pytest.mark.parametrize("number", [1, 2, 4, 5, 33, 42])
def test_ctc_works_outside_the_collection_have_none(ctc, number):
    assert all(w.collection is None for w in ctc[number].works), describe(ctc[number])


def test_ctc_note_6_cites_the_collection_itself(ctc):
    papers = ctc[6].works[0]
    assert papers.key == work_key(AEI) == "the qays al khazali papers"
    assert papers.title == AEI
    assert papers.collection is None


def test_ctc_khazali_files_is_kept_apart(ctc):
    third = ctc[15].works[2]
    assert (third.key, third.collection) == (tir("11"), "Khazali Files")
    assert work_key("Khazali Files") != work_key(AEI)


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize(
    "text, key",
    [
        ("Tactical Interrogation Report 16", "tactical interrogation report 16"),
        ("Shi`a", "shia"),
        ("Iraq’s ‘Interior’", "iraqs interior"),
        ("Hadi al-`Amiri", "hadi al amiri"),
        ("ʿAbd al-Mahdī", "abd al mahdi"),
        ("  Café   Society:\n a study ", "cafe society a study"),
        ("Religion-less…Killers", "religion less killers"),
    ],
)
def test_work_key(text, key):
    assert work_key(text) == key


# ---------------------------------------------------------------- made-up notes


@pytest.mark.parametrize(
    "notes, number, part",
    [
        ([" Ibid."], 1, "Ibid."),
        (["Smith, p. 3.", "Ibid."], 2, "Ibid."),
        ([FULL_A, "Interview with a commander, Baghdad.", "Ibid."], 3, "Ibid."),
        ([FULL_A, "Jones, p. 2.", "Ibid., p. 7."], 3, "Ibid., p. 7."),
        (["Smith, p. 3.", "Ibid.", "Ibid."], 3, "Ibid."),
    ],
    ids=[
        "ibid-first",
        "after-unresolved-short",
        "after-prose-note",
        "after-unresolved-with-locator",
        "chain",
    ],
)
def test_ibid_never_skips_back(notes, number, part):
    note = parse(notes)[number]
    assert note.resolution == "unresolved", describe(note)
    assert (note.works, note.resolves_to, note.unresolved_parts) == ((), (), (part,)), describe(
        note
    )


def test_prose_only_note_is_unresolved_as_a_whole():
    note = parse([FULL_A, "Interview with a commander, Baghdad."])[2]
    assert (note.resolution, note.unresolved_parts) == (
        "unresolved",
        ("Interview with a commander, Baghdad.",),
    )


@pytest.mark.parametrize(
    "ibid, locator",
    [("Ibid.", "p. 12"), ("Ibid., p. 5.", "p. 5"), ("Ibid., pp. 5-9.", "pp. 5-9")],
)
def test_ibid_locator(ibid, locator):
    notes = parse(["Smith, “First Title,” Journal A, 2001, p. 12.", ibid])
    assert notes[1].works[0].locator == "p. 12"
    note = notes[2]
    assert (note.resolution, note.resolves_to) == ("ibid", (1,)), describe(note)
    assert [(w.key, w.locator) for w in note.works] == [("smith first title", locator)]


def test_ibid_after_short_form_points_to_the_full_note():
    notes = parse([FULL_A, "Smith, p. 4.", "Ibid."])
    assert (notes[3].resolution, notes[3].resolves_to) == ("ibid", (1,)), describe(notes[3])


@pytest.mark.parametrize(
    "short, resolution, resolves_to",
    [
        ("Smith, p. 4.", "unresolved", ()),
        ("Smith.", "unresolved", ()),
        ("Jones, p. 9.", "unresolved", ()),
        ("Smith, “Second Title,” p. 5.", "short", (2,)),
        ("Smith, First Title, p. 5.", "short", (1,)),
        ("Tactical Interrogation Report 17.", "short", (3,)),
        ("Tactical Interrogation Report 1.", "unresolved", ()),
        ("Tactical Interrogation Report 170.", "unresolved", ()),
    ],
)
def test_short_forms_are_never_guessed(short, resolution, resolves_to):
    note = parse([FULL_A, FULL_B, REPORT_17, short])[4]
    assert (note.resolution, note.resolves_to) == (resolution, resolves_to), describe(note)
    if resolution == "unresolved":
        assert note.unresolved_parts == (short,) and note.works == ()
    else:
        assert note.unresolved_parts == () and len(note.works) == 1


def test_short_form_cannot_point_forward():
    notes = parse(["Smith, p. 4.", FULL_A])
    assert notes[1].resolution == "unresolved", describe(notes[1])


def test_same_work_cited_in_full_twice_is_one_work_for_short_forms():
    notes = parse([FULL_A, FULL_A, "Smith, p. 8."])
    assert (notes[3].resolution, notes[3].resolves_to) == ("short", (1,)), describe(notes[3])
    assert notes[2].works[0].key == notes[1].works[0].key


def test_mixed_note_lists_its_unresolved_part():
    notes = parse([FULL_A, REPORT_17.rstrip(".") + "; Jones, p. 2; Smith, p. 3."])
    note = notes[2]
    assert note.resolution == "mixed", describe(note)
    assert [w.key for w in note.works] == [tir("17"), "smith first title"]
    assert note.resolves_to == (1,)
    assert note.unresolved_parts == ("Jones, p. 2",)
    assert note.works[0].collection == "Some Papers"


def test_ibid_inside_a_note_is_the_citation_before_it():
    notes = parse([FULL_A, REPORT_17.rstrip(".") + "; ibid., p. 4."])
    note = notes[2]
    assert [(w.key, w.locator) for w in note.works] == [(tir("17"), None)], describe(note)
    assert note.resolution == "mixed"


@pytest.mark.parametrize(
    "note",
    [
        "Report 5 of the commission was never published.",
        "The committee met twice; nothing was recorded.",
    ],
)
def test_prose_is_not_a_citation(note):
    (parsed,) = parse([note]).values()
    assert (parsed.resolution, parsed.works, parsed.unresolved_parts) == ("unresolved", (), (note,))
