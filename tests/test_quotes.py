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
