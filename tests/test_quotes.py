"""Which footnote a quote's sentence carries, and finding quotes in a text."""

from __future__ import annotations

import pytest

from provenance import db as dbmod
from provenance.quotes import locate, sentence_footnote
from provenance.sources import find_source

CTC = "ctc-khazali-interrogations-2018"

CASES = [
    ("executing them in Babil later that evening", 1),
    ("executing them in Babil later that evening.", 1),
    ("$750,000-$1,000,000", 12),  # "… U.S. dollars per month.12": U.S. does not end the sentence
    ("accompanying a senior delegation of Sadrists to Tehran in 2003", 9),  # "2003,9 where"
    ("was willing to give EFP courses to “anyone.”", 16),  # a marker after the closing quote
    ("garnered 15 of the 48 seats", 4),
    # a quote that ends its sentence owns no marker of the next one
    (
        (
            "Today, al-Khazali not only continues to lead AAH, but has extended his reach into"
            " Iraqi politics."
        ),
        None,
    ),
    (
        (
            "which he criticized for not having “the plan, the power, or the weapons to sustain a"
            " fight.”"
        ),
        None,
    ),
    ("a prominent religious seminary.", None),
    ("a prominent religious seminary", None),
]


@pytest.mark.parametrize("quote,note", CASES, ids=[q[:40] for q, _ in CASES])
def test_the_footnote_of_a_quotes_sentence(built_db, quote, note):
    engine = dbmod.make_engine(str(built_db))
    with dbmod.session_scope(engine) as session:
        source = find_source(session, CTC)
        anchor = locate(source, quote)
        assert anchor is not None, quote
        found = sentence_footnote(source, anchor.start, anchor.end)
        assert (found.number if found else None) == note
    engine.dispose()


@pytest.mark.parametrize(
    "typed",
    [
        "executing them in Babil   later that evening",  # spacing
        "executing them in Babil\nlater that evening",  # a line break
        'was willing to give EFP courses to "anyone."',  # straight quote marks for curly ones
    ],
)
def test_quotes_are_found_whatever_the_spacing_and_quote_marks(built_db, typed):
    engine = dbmod.make_engine(str(built_db))
    with dbmod.session_scope(engine) as session:
        assert locate(find_source(session, CTC), typed) is not None
    engine.dispose()


# ---------------------------------------------------------------- through the CLI

import json  # noqa: E402

from conftest import SEEDS, file_bytes  # noqa: E402

LWJ = "lwj-khazali-warned-iran-2018"


@pytest.fixture
def desk(run, built_db):
    run("property", "add", "notes", "--type", "text", "--multi")
    return built_db


def _add(run, quote, *more, source=CTC, code=0):
    return run("add", "--source", source, "--subject", "Qais al-Khazali", "--property", "notes",
               "--value", quote[:40], "--quote", quote, *more, code=code)  # fmt: skip


@pytest.mark.parametrize(
    "typed,closest,difference",
    [
        (
            "studied under Muhammad Sadiq al-Sadr-Muqtada al-Sadr's father",
            "studied under Muhammad Sadiq al-Sadr—Muqtada al-Sadr’s father",
            "'-' where the source has '—'",
        ),
        (
            "was willing to give IED courses to anyone",
            "was willing to give EFP courses to “anyone",
            "'IED' where the source has 'EFP'",
        ),
    ],
)
def test_a_quote_not_found_names_the_closest_passage_and_what_differs(
    run, desk, typed, closest, difference
):
    before = file_bytes(desk)
    result = _add(run, typed, code=2)
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"is not in the text of '{CTC}': the closest passage is" in result.stderr
    assert closest in result.stderr and difference in result.stderr, result.stderr
    assert file_bytes(desk) == before


def test_a_quote_found_twice_needs_its_occurrence(run, desk):
    before = file_bytes(desk)
    result = _add(run, "Provincial Joint Coordination Center", code=2)
    assert "occurs twice in 'ctc-khazali-interrogations-2018' (1. at " in result.stderr
    assert "--occurrence N" in result.stderr and result.stderr.count("\n") == 1
    assert file_bytes(desk) == before
    out_of_range = _add(run, "Provincial Joint Coordination Center", "--occurrence", "3", code=2)
    assert "occurs twice" in out_of_range.stderr and "expected 1 to 2" in out_of_range.stderr
    assert file_bytes(desk) == before

    _add(run, "Provincial Joint Coordination Center", "--occurrence", "2")
    (claim,) = json.loads(run("claims", "--json").output)
    second = claim["citations"][0]["quote_start"]
    _add(run, "Provincial Joint Coordination Center", "--occurrence", "1")
    starts = [c["quote_start"] for c in json.loads(run("claims", "--json").output)[0]["citations"]]
    assert sorted(starts) == sorted({second, *starts}) and len(set(starts)) == 2


def test_an_import_record_gives_the_occurrence_and_an_export_keeps_it(run, desk, tmp_path):
    records = tmp_path / "claims.yaml"
    records.write_text(
        f"- {{source: {CTC}, subject: Karbala PJCC attack, property: notes, value: the PJCC,"
        " quote: Provincial Joint Coordination Center, occurrence: 2}\n"
    )
    run("import", records)
    out = tmp_path / "out.jsonl"
    run("export", "--format", "jsonl", "-o", out)
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["occurrence"] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(records.read_text().replace("occurrence: 2", "occurrence: second"))
    before = file_bytes(desk)
    result = run("import", bad, code=2)
    assert "occurrence 'second': expected a whole number" in result.output
    assert file_bytes(desk) == before


def test_an_ellipsis_joins_parts_of_one_paragraph_each_anchored(run, desk):
    typed = (
        "Al-Khazali described accompanying a senior delegation ... hosted by senior Iranian"
        " officials"
    )
    _add(run, typed)
    (claim,) = json.loads(run("claims", "--json").output)
    citation = claim["citations"][0]
    assert citation["quote"] == (
        "Al-Khazali described accompanying a senior delegation … hosted by senior Iranian officials"
    )
    (first, second) = citation["quote_parts"]
    assert citation["quote_start"] == first[0] and citation["quote_end"] == second[1]
    assert first[1] < second[0]
    assert citation["footnote"] == 9  # the marker ending the passage's sentence ("2003,9")
    run("check")


def test_parts_from_two_paragraphs_are_not_one_quote(run, desk):
    before = file_bytes(desk)
    typed = "Al-Khazali described accompanying a senior delegation … a prominent religious seminary"
    result = _add(run, typed, code=2)
    assert "is not in the text of" in result.stderr and result.stderr.count("\n") == 1
    assert file_bytes(desk) == before


def test_parts_are_re_anchored_on_re_ingest_and_checked(run, seeds_copy, db_path):
    run("build", "--seeds", seeds_copy)
    run("property", "add", "notes", "--type", "text", "--multi")
    typed = (
        "Al-Khazali described accompanying a senior delegation … hosted by senior Iranian officials"
    )
    _add(run, typed)
    document = seeds_copy / "000_f54a66cae721dd6b.txt"
    document.write_text("A new first line.\n\n" + document.read_text(encoding="utf-8"), "utf-8")
    out = run("ingest", "--manifest", seeds_copy / "sources.yaml", document).output
    assert "re-anchored" in out and "ORPHANED" not in out
    run("check")
    claims = json.loads(run("claims", "--property", "notes", "--json").output)
    (first, second) = claims[0]["citations"][0]["quote_parts"]
    assert first[0] == claims[0]["citations"][0]["quote_start"]
    text = document.read_text(encoding="utf-8")
    assert text[first[0] : first[1]] == "Al-Khazali described accompanying a senior delegation"
    assert text[second[0] : second[1]] == "hosted by senior Iranian officials"


# ---------------------------------------------------------------- reader comments


def test_an_articles_quote_in_one_of_its_comments_names_the_comment_and_commenter(run, desk):
    before = file_bytes(desk)
    result = _add(run, "I was in Fallujah with RCT-6 in 2007", source=LWJ, code=2)
    assert result.stderr.count("\n") == 1, result.stderr
    assert (
        "it is in reader comment 'lwj-khazali-warned-iran-2018-comment-11' by Terry Teufelhund"
        in result.stderr
    )
    assert file_bytes(desk) == before
    _add(run, "I was in Fallujah with RCT-6 in 2007", source=f"{LWJ}-comment-11")


def test_ingest_proposes_the_comments_entry_and_check_lists_quotes_in_comments(
    run, db_path, tmp_path
):
    run("init")
    article = tmp_path / "lwj.txt"
    article.write_text((SEEDS / "001_5751a991e2ca6a64.txt").read_text(encoding="utf-8"), "utf-8")
    out = run("ingest", article).output
    assert "12 reader comment(s) found in the text" in out
    assert 'heading: "12 Comments"' in out
    ends_before = next(line for line in out.splitlines() if "ends_before:" in line)
    run("property", "add", "notes", "--type", "text", "--multi")
    # until the comments are split off, a comment reads as the article's own words
    _add(run, "I was in Fallujah with RCT-6 in 2007", source="lwj")
    run("check")

    manifest = tmp_path / "sources.yaml"
    manifest.write_text(
        "sources:\n  - file: lwj.txt\n    slug: lwj\n    comments:\n"
        '      heading: "12 Comments"\n'
        f"      {ends_before.strip()}\n",
        "utf-8",
    )
    out = run("ingest", "--manifest", manifest, article).output
    assert "12 comment sources" in out and "reader comment(s) found" not in out
    result = run("check", code=1)
    assert "lies in reader comment 'lwj-comment-11' by Terry Teufelhund" in result.output
    assert "provenance citation edit 1 --source lwj-comment-11" in result.output
    run("citation", "edit", "1", "--source", "lwj-comment-11", "--reason", "the commenter said it")
    run("check")


def test_check_tests_every_part_of_a_quote(run, desk):
    typed = (
        "Al-Khazali described accompanying a senior delegation … hosted by senior Iranian officials"
    )
    _add(run, typed)
    run("check")
    engine = dbmod.make_engine(str(desk))
    with dbmod.session_scope(engine) as session:
        from provenance.models import Citation

        (citation,) = session.query(Citation).all()
        (first, second) = citation.quote_parts
        # the second part's offsets moved by one: the whole span still reads as before
        citation.quote_parts = [first, [second[0] + 1, second[1] + 1]]
    engine.dispose()
    result = run("check", code=1)
    assert f"is no longer at {first[0]}-{second[1]}" in result.output, result.output
