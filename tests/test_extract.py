"""`provenance extract`: candidate claims from a source's text, in the import format.

The recognisers are checked on the seeds' own sentences, extracted once from a
database that holds the seed documents and the curated vocabulary (properties and
entities of seeds/claims.yaml) but none of its claims, so nothing is "already
recorded". The editor's loop (extract → import) runs through the real CLI.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil

import pytest
import yaml
from conftest import SEEDS, invoke
from sqlalchemy import select
from sqlalchemy.orm import Session

from provenance import db as dbmod
from provenance import extract as extractmod
from provenance.models import Source

CTC = "ctc-khazali-interrogations-2018"
LWJ = "lwj-khazali-warned-iran-2018"
MEI = "mei-khazali-iran-escalation-2021"
OASIS = "oasis-knights-iraqi-militias-2024"
MEE = "mee-iran-intelligence-rivalry-iraq-2021"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _seeds_without_claims(target):
    target.mkdir()
    for path in SEEDS.iterdir():
        if path.name != "claims.yaml":
            shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def candidates(db_templates):
    """Every seed source's candidates, by slug, from a database with the vocabulary and
    no claims (made once, on the suite's back end)."""
    return db_templates.shared("vocabulary", _candidates)


def _candidates(database, templates):
    work = templates.folder / "extract"
    work.mkdir(exist_ok=True)
    seeds = _seeds_without_claims(work / "seeds")
    invoke("build", "--seeds", seeds, db=database)
    curated = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    vocabulary = work / "vocabulary.yaml"
    vocabulary.write_text(
        yaml.safe_dump(
            {"properties": curated["properties"], "entities": curated["entities"]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    invoke("import", vocabulary, db=database)
    engine = dbmod.make_engine(str(database))
    try:
        with Session(engine) as session:
            return {
                source.slug: extractmod.candidate_rows(
                    extractmod.extract(session, source, extractmod.KINDS)
                )
                for source in session.scalars(select(Source).where(Source.text.is_not(None)))
            }
    finally:
        engine.dispose()


def _find(rows, quote_part, prop=None, value=None):
    hits = [r for r in rows if quote_part in " ".join(r["quote"].split())]
    if prop is not None:
        hits = [r for r in hits if r["property"] == prop]
    if value is not None:
        hits = [r for r in hits if r["value"] == value]
    return hits


# (source, words of the sentence, property, value): one row per recognised form
QUANTITIES = [
    (CTC, "garnered 15 of the 48 seats", "seats", "15"),
    (CTC, "garnered 15 of the 48 seats", "seats", "48"),
    (CTC, "consisting of $750,000-$1,000,000", "funding_received", "750000..1000000"),
    (
        CTC,
        "as much as $2-$3 million U.S. dollars per month",
        "funding_received",
        "2000000..3000000",
    ),
    (CTC, "roughly a dozen Shi`a militants infiltrated", "attackers", "~12"),
    (CTC, "killing one and severely wounding three others", "killed", "1"),
    (CTC, "killing one and severely wounding three others", "wounded", "3"),
    (CTC, "the PJCC attack that killed five U.S. soldiers", "killed", "5"),
    (
        CTC,
        "taking four other U.S. soldiers hostage and executing them",
        "kidnapped_and_killed",
        "4",
    ),
    (LWJ, "more than 100 Asaib Ahl al-Haq commanders", "people_released", ">100"),
    (LWJ, "interviewed Qayis at least 70 times", "times_interrogated", ">=70"),
    (
        LWJ,
        "interviewed Qayis at least 70 times during his almost three years",
        "duration",
        "~3",
    ),
    (LWJ, "Lebanon’s 1.65 million Shia", "population", "1650000"),
    (LWJ, "more than 24 million Shia", "population", ">24000000"),
    (LWJ, "seized nearly one-third of Iraq", "territory_share", "~33.3"),
    (LWJ, "holds 15 seats in the Iraqi parliament", "seats", "15"),
    (LWJ, "they finished second behind", "election_rank", "2"),
    (LWJ, "for over three decades", "duration", ">30"),
    (MEI, "worth a reported $400 billion", "monetary_value", "400000000000"),
    (OASIS, "one-and-a-half-year experiment", "duration", "1.5"),
    (OASIS, "hundreds of millions of dollars per year", "cost", ">=200000000"),
    (OASIS, "only need to launch one or two attacks a day", "attack_rate", "1..2"),
    (MEE, "through four intelligence services", "count", "4"),
    (MEE, "controls dozens of Iraqi armed factions", "count", ">=24"),
    (MEE, "The number of Nato mission personnel is 320", "personnel", "320"),
    (MEE, "about 2,000 Shia pilgrims", "killed", "~2000"),
    (MEE, "the attack did not cause any casualties", "killed", "0"),
    (MEE, "the attack did not cause any casualties", "wounded", "0"),
    (MEE, "a US contractor had died", "killed", "1"),
    (MEE, "within a maximum period of 12 months", "duration", "<=1"),
]

DATES = [
    (CTC, "On January 20, 2007, roughly a dozen", "date", "2007-01-20"),
    (CTC, "In January 2007, an Iranian-backed", "date", "2007-01"),
    (CTC, "was captured later that year", "date", "2007-01/2007-12"),
    (CTC, "(March 2007-January 2010)", "date", "2007-03/2010-01"),
    (CTC, "Born in 1974, al-Khazali", "birth_date", "1974"),
    (CTC, "assassination in 1999", "death_date", "1999"),
    (CTC, "after the 2003 U.S.-led invasion", "date", "2003"),
    (CTC, "In the summer of 2013, fighting", "date", "2013-22"),
    (CTC, "During his late 2007 interrogations", "date", "2007-09/2007-12"),
    (LWJ, "on August 30", "date", "2018-08-30"),
    (LWJ, "in U.S. custody from 2007 to the end of 2009", "date", "2007/2009-12"),
    (LWJ, "Qayis was released six months later", "date", "2009-12"),
    (LWJ, "kidnapped with him in the spring of 2007", "date", "2007-21"),
    (LWJ, "Daqduq was freed within a year", "date", "2011/2012"),
    (LWJ, "The PMF was formed in 2014", "founded", "2014"),
    (LWJ, "parliamentary election in May", "date", "2018-05"),
    (LWJ, "in the last December", "date", "../2017-12"),
    (MEI, "In his Nov. 19, 2020 interview", "date", "2020-11-19"),
    (MEI, "to travel to Iraq the next day", "date", "2020-12-21"),
    (MEI, "speech on March 21", "date", "2021-03-21"),
    (MEI, "In January, the Quds Force", "founded", "2021-01"),
    (MEI, "threatened U.S. troops on April 2", "date", "2021-04-02"),
    (OASIS, "When October 7 happened", "date", "2023-10-07"),
    (OASIS, "on Christmas Day", "date", "2023-12-25"),
    (OASIS, "we struck back card the next day", "date", "2023-12-26"),
    (OASIS, "in October 2025", "date", "2025-10"),
    (MEE, "until 3 January 2020", "date", "2020-01-03"),
    (MEE, "a 26 February US air strike", "date", "2021-02-26"),
    (MEE, "met the next day in Baghdad", "date", "2021-03-01"),
    (MEE, "Last week, Araji attempted", "date", "2021-03-01/2021-03-07"),
    (MEE, "Hours after the grenade attack", "date", "2021-03-08"),
    (MEE, "distributed by his office on Tuesday", "date", "2021-03-09"),
    (MEE, "On Wednesday, the efforts", "date", "2021-03-10"),
]


@pytest.mark.parametrize(
    "slug,words,prop,value", QUANTITIES, ids=[f"{w}→{v}" for _, w, _, v in QUANTITIES]
)
def test_quantities_in_the_seeds(candidates, slug, words, prop, value):
    rows = _find(candidates[slug], words)
    assert rows, f"no candidate quotes {words!r}"
    assert _find(rows, words, prop, value), [(r["property"], r["value"]) for r in rows]


@pytest.mark.parametrize("slug,words,prop,value", DATES, ids=[f"{w}→{v}" for _, w, _, v in DATES])
def test_dates_in_the_seeds(candidates, slug, words, prop, value):
    rows = _find(candidates[slug], words)
    assert rows, f"no candidate quotes {words!r}"
    assert _find(rows, words, prop, value), [(r["property"], r["value"]) for r in rows]


BOUNDARIES = [
    (LWJ, "By that summer, the terrorist group"),
    (LWJ, "By early 2014, Al Qaeda"),
    (OASIS, "since the 1980s"),
]


@pytest.mark.parametrize("slug,words", BOUNDARIES, ids=[w for _, w in BOUNDARIES])
def test_a_date_that_only_bounds_a_period_in_the_seeds_is_no_candidate(candidates, slug, words):
    assert not _find(candidates[slug], words, "date"), "a boundary is not the day of an event"


def test_seats_take_their_election_and_the_agent_as_subject(candidates):
    fifteen, forty_eight = (
        _find(candidates[CTC], "garnered 15 of the 48 seats", "seats", v)[0] for v in ("15", "48")
    )
    assert fifteen["subject"] == "Sadiqun"
    assert forty_eight["subject"] == "Fatih Alliance"
    assert "2018" in fifteen["qualifiers"]["election"]


def test_money_carries_its_period_and_footnote(candidates):
    row = _find(candidates[CTC], "$750,000-$1,000,000", "funding_received")[0]
    assert row["qualifiers"] == {"period": "per month"}
    assert row["footnote"] == 12


def test_a_sentence_ending_before_the_next_marker_takes_no_footnote(candidates):
    row = _find(candidates[CTC], "Subsequent political maneuvers in 2018", "date", "2018")[0]
    assert row["footnote"] is None


def test_page_furniture_and_the_day_a_statement_was_made_are_not_candidates(candidates):
    # a photo caption ends in its credit: "… on May 7, 2018. (AP/Hadi Mizban)"
    assert not _find(candidates[CTC], "on May 7, 2018"), "a caption is page furniture"
    # "In March, while smiling he told KH's al-Etijah TV that …": when he spoke, not a fact
    assert not _find(candidates[MEI], "In March, while smiling", "date")


def test_attribution_and_speakers(candidates):
    rows = candidates[MEE]
    none = _find(rows, "did not cause any casualties", "killed", "0")[0]
    assert none["attributed_to"] == "Iraqi military"
    death = _find(rows, "a US contractor had died", "killed", "1")[0]
    assert death["attributed_to"] == "U.S. Department of Defense"  # "the Pentagon", by its alias
    statement = _find(rows, "There has been an escalation at various levels", "statement")[0]
    assert statement["attributed_to"].startswith("specialist in Iranian affairs")
    slip = _find(
        candidates[LWJ], "The ultimate goal of Iran is to destroy the Americans", "statement"
    )[0]
    assert slip["attributed_to"] == "Qais al-Khazali"
    assert (
        _find(
            candidates[CTC], "Al-Khazali described accompanying a senior delegation", "date", "2003"
        )[0]["attributed_to"]
        == "Qais al-Khazali"
    )


def test_leadership(candidates):
    rows = candidates[LWJ]
    # "Badr Organization head Hadi al Ameri, right, and … Qayis Khazali, left, in March 13,
    # 2017.": a photo caption, page furniture the body restates
    assert not _find(rows, "Badr Organization head Hadi al Ameri", "leader")
    qaani = _find(candidates[MEE], "General Esmail Qaani, who succeeded Soleimani", "leader")[0]
    assert (qaani["subject"], qaani["value"]) == ("Quds Force", "Esmail Qaani")


def test_reader_comments_and_notes_are_not_the_articles_words(candidates):
    article = candidates[LWJ]
    assert not [r for r in article if "RCT-6" in r["quote"] or "Gute says" in r["quote"]]
    assert not [r for r in candidates[CTC] if "Tactical Interrogation Report" in r["quote"]]
    comment = candidates[f"{LWJ}-comment-11"]
    assert _find(comment, "in 2007 when Ali Daqduq", "date", "2007")


def test_every_quote_is_the_sources_own_text(candidates, tmp_path):
    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    whole = "\n".join(texts.values())
    for rows in candidates.values():
        for row in rows:
            assert row["quote"] in whole


def _outputs(run, tmp_path, slug, *extra):
    out = tmp_path / f"{slug}.yaml"
    result = run("extract", slug, "-o", out, *extra)
    return out, yaml.safe_load(out.read_text(encoding="utf-8")), result


@pytest.mark.parametrize("seed", SEED_FILES)
def test_round_trip_into_the_built_database(run, built_db, tmp_path, seed):
    out, _data, result = _outputs(run, tmp_path, seed)
    assert "candidate(s)" in result.output
    run("import", out)
    # what was just imported is recorded now: a second pass offers none of it again
    again = tmp_path / "again.yaml"
    run("extract", seed, "-o", again)
    assert yaml.safe_load(again.read_text(encoding="utf-8"))["claims"] == []


def test_to_standard_output_the_candidates_go_to_stdout_and_the_summary_once_to_stderr(
    run, built_db
):
    result = run("extract", SEED_FILES[0])
    assert yaml.safe_load(result.stdout)["claims"], result.stdout
    assert result.stderr.count("candidate(s)") == 1, result.stderr
    assert "candidate(s) from" not in result.stdout


def test_round_trip_with_no_vocabulary_declares_new_properties(run, tmp_path):
    seeds = _seeds_without_claims(tmp_path / "seeds")
    run("build", "--seeds", seeds)
    total = 0
    for number, seed in enumerate(SEED_FILES):
        out, data, _ = _outputs(run, tmp_path, seed)
        text = out.read_text(encoding="utf-8")
        declared = data.get("properties") or []
        if number == 0:
            assert declared, "an empty vocabulary: every property is new"
        # a later seed may use only properties an earlier import added
        assert text.count("# new property") == len(declared)
        assert "left blank it is recorded as medium" in text
        assert all(c["confidence"] is None for c in data["claims"])
        # names the extractor read in several spellings ("Hadi al Ameri", "Hadi al-Amiri")
        # are close to each other: the editor would merge them; here they are kept as read
        result = run("import", out, "--new-entities")
        assert "new claim(s)" in result.output
        total += len(data["claims"])
    assert total > 100


def test_kinds_filter(run, tmp_path):
    seeds = _seeds_without_claims(tmp_path / "seeds")
    run("build", "--seeds", seeds)
    _, data, _ = _outputs(run, tmp_path, MEE, "--kinds", "date")
    assert data["claims"] and {c["property"] for c in data["claims"]} <= {
        "date",
        "birth_date",
        "death_date",
        "founded",
        "publication_date",
    }
    result = run("extract", MEE, "--kinds", "quantity")
    assert "killed" in result.output and "property: date" not in result.output


def test_a_source_without_figures_gives_an_empty_valid_file(run, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text(
        "A short note.\n\nThe militia says nothing of numbers or of dates here, only words.\n",
        encoding="utf-8",
    )
    run("init")
    run("ingest", plain)
    out, data, result = _outputs(run, tmp_path, "plain.txt")
    assert data["claims"] == [] and "properties" not in data
    assert "0 candidate(s)" in result.output
    assert "0 record(s)" in run("import", out).output
    run("source", "add", "casualty-dataset", "--kind", "dataset")
    assert yaml.safe_load(run("extract", "casualty-dataset").stdout)["claims"] == []


def test_a_denial_is_recorded_with_stance_denies(run, tmp_path):
    text = tmp_path / "denial.txt"
    text.write_text(
        "Ministry statement\n\nThe ministry denied that 40 people were killed in the raid on 3"
        " March 2021.\n",
        encoding="utf-8",
    )
    run("init")
    run("ingest", text)
    out, data, _ = _outputs(run, tmp_path, "denial.txt", "--kinds", "quantity")
    claim = data["claims"][0]
    assert (claim["value"], claim["stance"], claim["attributed_to"]) == ("40", "denies", "ministry")
    run("import", out)


@pytest.mark.parametrize(
    "args,message",
    [
        (["extract", "no-such-source"], "unknown source 'no-such-source'"),
        (["extract", CTC, "--kinds", "quantity,rumour"], "unknown kind 'rumour'"),
        (["extract", CTC, "-o", "missing-folder/out.yaml"], "does not exist"),
    ],
    ids=["unknown source", "unknown kind", "missing folder"],
)
def test_bad_input_is_one_line_and_exit_2(run, built_db, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(*args, code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (tmp_path / "missing-folder").exists()


def test_parse_kinds():
    assert extractmod.parse_kinds(None) == extractmod.DEFAULT_KINDS
    assert "statement" not in extractmod.DEFAULT_KINDS  # quoted words are offered when asked
    assert extractmod.parse_kinds("attribution") == ("statement",)  # its former name
    assert extractmod.parse_kinds("date, quantities") == ("date", "quantity")
    with pytest.raises(Exception, match="expected a comma-separated list"):
        extractmod.parse_kinds(",")


def test_every_rule_says_what_it_recognises():
    modules = [
        importlib.import_module(f"provenance.extract.{info.name}")
        for info in pkgutil.iter_modules(extractmod.__path__)
    ]
    rules = [v for m in modules for v in vars(m).values() if isinstance(v, extractmod.Rule)]
    assert len(rules) >= 20
    for rule in rules:
        assert rule.__doc__ and re.search('["“]', rule.__doc__), rule.pattern[:40]
