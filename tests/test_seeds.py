"""The curated seed corpus: what it holds, and the conflicts a fact-checker sees in it.

The list of conflicts is pinned: a change to detection or to seeds/claims.yaml that adds
or loses one fails here, and has to be looked at.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

ARTICLE = "lwj-khazali-warned-iran-2018"

# (subject, property, kind, the answers): one question each, with all its answers
CONFLICTS = {
    ("Karbala PJCC attack", "kidnapped_and_killed", "quantity", frozenset({"4", "5"})),
    (
        "Capture of Qais al-Khazali",
        "carried_out_by",
        "entity",
        frozenset({"U.S. military", "British commandos"}),
    ),
    # one question, three answers: not two pairwise conflicts
    (
        "Release of Qais al-Khazali",
        "date",
        "date",
        frozenset({"2010-01", "2009-10/2009-12", "2009-12"}),
    ),
    ("Iraq War", "ended", "stance", frozenset({"true", "denies: true"})),
    ("3 March 2021 Ain al-Assad missile attack", "killed", "quantity", frozenset({"0", "1"})),
    (
        "Government of Iraq",
        "seeks_more_foreign_troops",
        "stance",
        frozenset({"true", "denies: true"}),
    ),
}


def test_the_conflicts_of_the_seed_corpus(run, seeded_db):
    rows = json.loads(run("conflicts", "--json").output)
    found = {
        (r["subject"], r["property"], r["kind"], frozenset(a["value"] for a in r["answers"]))
        for r in rows
    }
    assert found == CONFLICTS, json.dumps(sorted(map(str, found)), indent=1)
    assert len(rows) == len(CONFLICTS)


def test_the_readme_lists_the_conflicts_of_the_seed_corpus_as_printed(run, seeded_db):
    """The README's listing is the real output of `provenance conflicts` on the seeds."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listing = run("conflicts").stdout
    assert listing.strip() in readme, listing


def test_the_corpus_loads_whole_and_checks(run, seeded_db):
    assert run("check").output.startswith("ok")
    claims = json.loads(run("claims", "--json").output)
    assert len(claims) > 150
    per_document = Counter()
    for claim in claims:
        for citation in claim["citations"]:
            per_document[citation["source"].split("-comment-")[0]] += 1
        assert claim["citations"], claim
    documents = [
        s["slug"] for s in json.loads(run("sources", "--json").output) if s["parent"] is None
    ]
    for slug in documents:
        assert per_document[slug] >= 10, (slug, per_document[slug])


def test_no_claim_of_the_comments_is_the_articles(run, seeded_db):
    sources = {s["slug"]: s for s in json.loads(run("sources", "--json").output)}
    comments = {slug: s for slug, s in sources.items() if s["parent"] == ARTICLE}
    author = sources[ARTICLE]["authors"][0]
    from provenance import db as dbmod
    from provenance.sources import find_source

    engine = dbmod.make_engine(str(seeded_db))
    with dbmod.session_scope(engine) as session:
        spans = [(s.span_start, s.span_end) for s in find_source(session, ARTICLE).sections]
    engine.dispose()
    comment_citations = 0
    for claim in json.loads(run("claims", "--json").output):
        for citation in claim["citations"]:
            if citation["source"] == ARTICLE:
                # a quote of the article never lies in its comment section
                assert not any(start <= citation["quote_start"] < end for start, end in spans), (
                    citation
                )
            if citation["source"] in comments:
                comment_citations += 1
                assert citation["attributed_to"] != author, citation
                assert citation["confidence"] == "low", citation
    assert comment_citations >= 10


def test_square_brackets_of_a_quote_are_shown_as_written(run, seeded_db):
    output = run("conflicts").output
    assert "directive [issued] by the Iraqi government" in " ".join(output.split())


# the leading answer of each question on the seeds, from learned trust: with a few
# claims per source, trust stays near the grades and the leaders are the grades' choice
LEADING = {
    "Karbala PJCC attack": ("4", "most likely true"),
    "Capture of Qais al-Khazali": ("British commandos", "most likely true"),
    "Release of Qais al-Khazali": ("2010-01", "most likely true"),
    "Iraq War": (None, "tie: equal evidence"),
    "3 March 2021 Ain al-Assad missile attack": (None, "tie: equal evidence"),
    "Government of Iraq": ("denies: true", "the denial is more likely true"),
}


def test_the_leading_values_of_the_seed_corpus(run, seeded_db):
    rows = json.loads(run("conflicts", "--json").output)
    assert {r["subject"]: (r["leading_value"], r["leading_reason"]) for r in rows} == LEADING
    for row in rows:
        assert sum(a["probability"] for a in row["answers"]) == pytest.approx(1.0, abs=0.002)
    learned = json.loads(run("trust", "--json").output)
    for source in learned:
        assert abs(source["trust"] - source["prior"]) <= 0.1, source
