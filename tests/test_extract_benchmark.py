"""The scorer of ``extract`` on unseen articles (benchmarks/extract/score.py) on a worked example.

A short article in the style of the DEV articles, its gold claims, and hand-written
candidates chosen so that each matching rule decides one of them: a usable candidate, one
needing its subject edited, a duplicate, a wrong value, an alias read inside a word, a
footnote marker read as a figure. The figures asserted are the ones worked out by hand
from the rules in the scorer's docstring; no target of the benchmark is asserted.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from provenance.db import make_engine, reading_session
from provenance.models import Source

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT / "benchmarks" / "extract" / "score.py"


def _load_scorer():
    spec = importlib.util.spec_from_file_location("extract_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_score"] = module
    spec.loader.exec_module(module)
    return module


score = _load_scorer()

SLUG = "example-camp-rocket-attack-2024"
ARTICLE = """Rocket attack on Camp Example

Five rockets hit Camp Example on Monday, killing two contractors and wounding seven, the \
coalition said.

"There were no American casualties," spokesman John Doe said.

The militia is backed by Iran.12
"""
EVENT = "Camp Example rocket attack"

VOCABULARY = {
    "properties": [
        {"name": "killed", "type": "quantity", "unit": "people"},
        {"name": "wounded", "type": "quantity", "unit": "people"},
        {"name": "count", "type": "quantity"},
        {"name": "date", "type": "date"},
        {"name": "backed_by", "type": "entity", "multi": True},
    ],
    "entities": [
        {"name": "Iran", "kind": "place"},
        {"name": "Islamic State", "kind": "organisation", "aliases": ["IS", "ISIS"]},
    ],
    "claims": [],
}


def claim(subject: str, prop: str, value: str, quote: str, **more: object) -> dict:
    row = {"source": SLUG, "subject": subject, "property": prop, "value": value, "quote": quote}
    return row | more


GOLD = {
    "entities": [{"name": EVENT, "kind": "event", "aliases": ["Camp Example attack"]}],
    "claims": [
        claim(EVENT, "killed", "2", "killing two contractors", attributed_to="coalition"),
        claim(EVENT, "wounded", "7", "wounding seven", attributed_to="coalition"),
        claim(EVENT, "count", "5", "Five rockets hit Camp Example"),
        claim(EVENT, "date", "2024-03-04", "Five rockets hit Camp Example on Monday"),
        claim("militia", "backed_by", "Iran", "The militia is backed by Iran."),
        claim(
            EVENT,
            "killed",
            "0",
            "There were no American casualties",
            attributed_to="John Doe",
            qualifiers={"group": "Americans"},
        ),
    ],
}

CANDIDATES = {
    "claims": [
        # usable: the gold's subject by one of its aliases, property, value, speaker
        claim(
            "Camp Example attack",
            "killed",
            "2",
            "killing two contractors and wounding seven",
            attributed_to="Coalition",
        ),
        # matches (value and span) but its subject needs editing
        claim("Camp Example", "wounded", "7", "wounding seven", attributed_to="coalition"),
        # the same fact again: the gold claim is taken, so it counts against precision
        claim("Iraq", "killed", "2", "killing two contractors"),
        # "~5" is not "5": no match, and the gold count is missed
        claim(EVENT, "count", "~5", "Five rockets hit Camp Example"),
        # value and span match; the subject is the word "is" read as IS
        claim("Islamic State", "backed_by", "Iran", "The militia is backed by Iran."),
        # the footnote marker after "Iran." read as a figure
        claim("militia", "count", "12", "The militia is backed by Iran.12"),
        # usable: speaker and stance as the gold's
        claim(EVENT, "killed", "0", "There were no American casualties", attributed_to="John Doe"),
    ]
}


@pytest.fixture
def example(run, tmp_path):
    """The example article ingested into the test's database with the vocabulary above."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / f"{SLUG}.txt").write_text(ARTICLE, encoding="utf-8")
    manifest = tmp_path / "articles.yaml"
    manifest.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "file": f"{SLUG}.txt",
                        "slug": SLUG,
                        "title": "Rocket attack on Camp Example",
                        "published": "2024-03-05",
                        "kind": "article",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text(yaml.safe_dump(VOCABULARY), encoding="utf-8")
    run("init")
    run("import", vocabulary)
    run("ingest", articles / f"{SLUG}.txt", "--manifest", manifest)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / f"{SLUG}.yaml").write_text(
        yaml.safe_dump(GOLD, allow_unicode=True), encoding="utf-8"
    )
    return gold_dir


def test_worked_example_scores_by_the_matching_rules(example, db_path, tmp_path):
    candidates = tmp_path / "candidates"
    candidates.mkdir()
    (candidates / f"{SLUG}.yaml").write_text(
        yaml.safe_dump(CANDIDATES, allow_unicode=True), encoding="utf-8"
    )
    report = score.evaluate(
        str(db_path), [SLUG], example, tmp_path, seeds=False, candidates_dir=candidates
    )
    [article] = report.articles
    assert (article.gold, article.candidates) == (6, 7)
    # matched: killed 2 (usable), wounded 7 (subject to edit), backed_by Iran (subject to
    # edit), killed 0 (usable); missed: the count (only "~5" offered) and the date
    assert (article.found, article.kept, article.usable) == (4, 4, 2), article.to_edit
    assert (article.recall, article.precision, article.usable_share) == (4 / 6, 4 / 7, 2 / 7)
    assert (article.markers, article.inside_words) == (1, 1), article.faults
    assert any("~5" in wrong for wrong in article.wrong)
    assert [m.split(":")[0] for m in article.misses] == ["count = 5", "date = 2024-03-04"]
    # the article is in no split, so its total is reported apart from DEV and HELD-OUT
    assert set(report.totals) == {"other"}
    assert "example-camp-rocket-attack-2024" in score.table(report)


def test_a_candidate_quote_elsewhere_in_the_text_does_not_match(example, db_path):
    engine = make_engine(str(db_path))
    try:
        with reading_session(engine) as session:
            source = session.query(Source).filter_by(slug=SLUG).one()
            result = score.score_source(
                session,
                source,
                GOLD["claims"][:1],
                [claim(EVENT, "killed", "2", "Five rockets hit Camp Example")],
                {},
            )
    finally:
        engine.dispose()
    assert (result.found, result.kept) == (0, 0)


def test_scorer_runs_extract_on_the_article(example, db_path, tmp_path):
    report = score.evaluate(str(db_path), [SLUG], example, tmp_path, seeds=False)
    [article] = report.articles
    written = yaml.safe_load((tmp_path / f"{SLUG}.candidates.yaml").read_text(encoding="utf-8"))
    assert article.gold == 6
    assert article.candidates == len(written.get("claims") or [])
    assert article.kept == article.found <= min(article.gold, article.candidates)
    assert article.usable <= article.kept


def test_gold_whose_quote_is_not_in_the_text_is_refused(example, db_path):
    broken = example / f"{SLUG}.yaml"
    gold = yaml.safe_load(broken.read_text(encoding="utf-8"))
    gold["claims"][0]["quote"] = "killing three contractors"
    broken.write_text(yaml.safe_dump(gold), encoding="utf-8")
    with pytest.raises(SystemExit, match="killing three contractors"):
        score.check_gold(str(db_path), broken)


def test_seed_documents_are_scored_against_the_curated_claims(
    example, db_path, tmp_path, monkeypatch
):
    seeds = tmp_path / "curated"
    seeds.mkdir()
    curated = {"claims": GOLD["claims"] + [claim(EVENT, "count", "5", "")]}
    (seeds / "claims.yaml").write_text(yaml.safe_dump(curated), encoding="utf-8")
    monkeypatch.setattr(score, "SEEDS", seeds)
    report = score.evaluate(str(db_path), [], example, tmp_path, seeds=True)
    [seed] = report.seeds
    # the curated claims with a quote are the gold; one without a quote cannot be placed
    assert (seed.name, seed.gold) == (SLUG, 6)
    assert set(report.totals) == {"seeds"}


def test_reader_comments_are_left_out_of_the_seeds_unless_asked(
    example, db_path, tmp_path, monkeypatch
):
    seeds = tmp_path / "curated"
    seeds.mkdir()
    (seeds / "claims.yaml").write_text(yaml.safe_dump({"claims": GOLD["claims"]}), encoding="utf-8")
    monkeypatch.setattr(score, "SEEDS", seeds)
    engine = make_engine(str(db_path))
    try:
        with engine.begin() as connection:
            connection.execute(
                Source.__table__.update().where(Source.slug == SLUG).values(kind="comment")
            )
    finally:
        engine.dispose()
    assert score.evaluate(str(db_path), [], example, tmp_path, seeds=True).seeds == []
    report = score.evaluate(str(db_path), [], example, tmp_path, seeds=True, comments=True)
    assert [s.name for s in report.seeds] == [SLUG]


@pytest.mark.sqlite_only  # the scorer builds its own SQLite database, as it does when run
def test_heldout2_gold_imports_against_its_texts(tmp_path):
    # the gold is checked the way the scorer checks it before scoring: every quote is in
    # its text and every value parses; extract is not run on these texts here
    manifest = yaml.safe_load(score.HELDOUT2_MANIFEST.read_text(encoding="utf-8"))
    assert tuple(entry["slug"] for entry in manifest["sources"]) == score.HELD_OUT2
    database = score.build(tmp_path, score.HELDOUT2_TEXTS, score.HELDOUT2_MANIFEST, more=())
    for slug in score.HELD_OUT2:
        path = score.GOLD / f"{slug}.yaml"
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert gold["claims"], slug
        assert {row["source"] for row in gold["claims"]} == {slug}
        score.check_gold(database, path)


def test_heldout2_is_selectable_and_not_part_of_all():
    args = score.arguments().parse_args(["--split", "heldout2", "--no-seeds"])
    assert score.selected(args.split) == score.HELD_OUT2
    assert not set(score.selected(["all"])) & set(score.HELD_OUT2)
    assert not set(score.selected(["dev", "dev2", "held-out"])) & set(score.HELD_OUT2)
    assert score.SPLITS["heldout2"] == score.HELD_OUT2


def test_details_and_json_of_heldout2_are_withheld():
    measured = score.Score(score.HELD_OUT2[0], gold=2, candidates=1, found=1, kept=1)
    measured.misses = ["killed = 3: a sentence of the text"]
    measured.wrong = ["a wrong candidate"]
    studied = score.Score(score.DEV[0], gold=1, candidates=1)
    studied.misses = ["date = 2020-01-24: on Friday"]
    report = score.Report([measured, studied], [], {}, 0.0)
    shown = score.details(report)
    assert "details withheld" in shown and "a sentence of the text" not in shown
    assert "a wrong candidate" not in shown
    assert "on Friday" in shown
    figures = measured.figures(withheld=True)
    assert "misses" not in figures and "wrong" not in figures
    assert (figures["recall"], figures["precision"]) == (0.5, 1.0)


def _load_misses():
    spec = importlib.util.spec_from_file_location(
        "extract_misses", ROOT / "benchmarks" / "extract" / "misses.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_misses"] = module
    spec.loader.exec_module(module)
    return module


def test_what_is_never_offered_is_counted_by_datatype_and_reason(example, db_path):
    misses = _load_misses()
    gold = GOLD["claims"] + [
        # a relation whose value the database lacks
        claim(EVENT, "backed_by", "Lorian Guard", "The militia is backed by Iran."),
    ]
    candidates = [
        claim(EVENT, "count", "~5", "Five rockets hit Camp Example"),
        claim("militia", "backed_by", "Iran", "The militia is backed by Iran."),
    ]
    engine = make_engine(str(db_path))
    try:
        with reading_session(engine) as session:
            source = session.query(Source).filter_by(slug=SLUG).one()
            found = misses.collect(
                session, source, gold, candidates, {}, {"camp example attack": EVENT}
            )
    finally:
        engine.dispose()
    reasons = {(m.property, m.value): (m.datatype, m.reason) for m in found}
    assert reasons == {
        # "~5" was read from the quote, not 5
        ("count", "5"): ("quantity", "another value read from the quote"),
        # no candidate gives a day there
        ("date", "2024-03-04"): ("date", "no value read"),
        ("killed", "2"): ("quantity", "no value read"),
        ("wounded", "7"): ("quantity", "no value read"),
        ("killed", "0"): ("quantity", "no value read"),
        ("backed_by", "Lorian Guard"): ("entity", "value not in the database"),
    }, found
    table = misses.table(found)
    assert "| all | 4 | 1 | 1 | 0 | 0 | 6 |" in table, table
    with pytest.raises(SystemExit):
        misses.run(["heldout2"])
