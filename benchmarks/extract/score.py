"""Precision, recall and usable-as-is of ``provenance extract`` on articles it has never seen.

For each article (``benchmarks/extract/articles.yaml``, texts in ``../shared/articles``) and
for each seed document, the scorer builds a private database (the seed documents and the
vocabulary of ``seeds/claims.yaml``: its properties and entities, none of its claims, so
nothing counts as already recorded), ingests the articles, runs the real
``provenance extract SLUG -o FILE`` and compares the candidates with the gold claims
(``benchmarks/extract/gold/<article>.yaml``; for the seeds, ``seeds/claims.yaml``).

Matching (see benchmarks/extract/README.md for the rules the gold was written by):

* a candidate **matches** a gold claim when its quote overlaps the gold quote in the text
  (both anchored the way ``import`` anchors quotes: whitespace and quote marks ignored; a
  quote found more than once overlaps if any occurrence does) and its value equals the
  gold value after parsing with the gold property's datatype: the same interval for
  quantities (unit set aside; ``~24`` and ``24`` differ, as they do in conflicts), the same
  [earliest, latest] for dates, the same entity (through aliases) for entities, the same
  normalised text for text, the same truth value for booleans;
* a match is **usable as is** when subject (same entity through aliases, or the same
  normalised name), property name, speaker (``attributed_to``, compared like subjects;
  both empty counts as equal) and stance are the gold's too;
* each gold claim is matched by at most one candidate and each candidate matches at most
  one gold claim: usable pairs are taken first, then the pairs with the longest quote
  overlap, so a second candidate for the same fact counts against precision;
* **recall** = matched gold claims / gold claims; **precision** = matched candidates /
  candidates; **usable** = usable candidates / candidates.

The seeds (``--split seeds``; with the articles unless ``--no-seeds``) are a second
development set: the five seed documents (four articles and an interview) scored against
the claims of ``seeds/claims.yaml`` that carry a quote, under the same matching. The reader
comments under a seed article are left out unless ``--seed-comments``: a commenter's
opinion is not what the gold of the articles records (its rules leave out readings and
impressions). Where the curated file was written otherwise than the gold of the articles
(benchmarks/extract/README.md, "The seeds as a second development set"), the figures of the
two are not comparable as such: compare each with itself, step by step.

Two faults are counted on every candidate, and must be 0:

* **footnote markers read as values**: a quantity candidate whose value is a whole number
  N, where the quote (or the 5 characters after it) holds N glued to the end of a word or
  sentence (``attack.6``, ``Iraq”12``) or standing in brackets (``others. [4]``, as
  encyclopedia pages print markers; the 5 characters before the quote count too) and N is
  not written anywhere else in the quote (neither standing alone nor as a number word);
* **aliases matched inside ordinary words**: an entity named by the candidate (subject,
  entity value, speaker) none of whose names stands in the quote as a whole name (an
  all-capitals name of up to 4 letters only in capitals), while one of them does occur
  in the quote in the wrong case (``is`` for ``IS``) or inside a longer word past its
  first letter (``IS`` in ``this``). A name at the start of a longer word (``Iran`` in
  ``Iranian``) is a derived form, not a fault; an entity the quote does not name at all
  (taken from an earlier sentence) is not judged.

Run from the repository root::

    .venv/bin/python benchmarks/extract/score.py                # DEV, HELD-OUT and seeds
    .venv/bin/python benchmarks/extract/score.py --split dev --details

``--split heldout2`` scores HELD-OUT2 (benchmarks/extract/heldout2/README.md): texts kept in
the repository like DEV2's, ingested only when that split is asked for, and only ever
measured: ``--details`` prints no misses, wrong candidates or faults of its articles, just
their figures.

``--candidates DIR`` scores candidate files already written (``DIR/<slug>.yaml``, e.g.
edited by hand) instead of running ``extract``; ``--json OUT`` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from provenance import entities, quotes  # noqa: E402
from provenance.cli import cli  # noqa: E402
from provenance.db import make_engine, reading_session  # noqa: E402
from provenance.errors import ProvenanceError  # noqa: E402
from provenance.models import Alias, Property, Source  # noqa: E402
from provenance.values import normalise_name, normalise_text, parse_value  # noqa: E402

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "articles.yaml"
GOLD = HERE / "gold"
ARTICLES = ROOT.parent / "shared" / "articles"
DEV2_TEXTS = HERE / "dev2"  # the texts of DEV2 and their manifest, kept in the repository
DEV2_MANIFEST = DEV2_TEXTS / "articles.yaml"
# the texts of HELD-OUT2 and their manifest: only measured, never studied (its README)
HELDOUT2_TEXTS = HERE / "heldout2"
HELDOUT2_MANIFEST = HELDOUT2_TEXTS / "articles.yaml"
SEEDS = ROOT / "seeds"

DEV = (
    "epochtimes-34-troops-tbi-2020",
    "newarab-aah-terrorist-designation-2020",
    "sofrep-us-retaliates-kataib-hezbollah-2019",
)
HELD_OUT = (
    "kirkuknow-erbil-rocket-attack-2021",
    "rudaw-pmf-budget-increase-2024",
    "thenational-iraq-elections-fatah-setback-2021",
)
DEV2 = (
    "crs-iraq-attacks-us-strikes-2024",
    "crs-iraq-issues-116th-congress-2020",
    "state-kss-kh-designations-2023",
    "state-four-militias-fto-2025",
    "wikipedia-tower-22-drone-attack",
)
HELD_OUT2 = (
    "treasury-kh-muhandis-designations-2009",
    "treasury-khazali-lami-sanctions-2019",
    "treasury-fayyadh-sanctions-2021",
    "whitehouse-nsc-strikes-press-call-2024",
    "treasury-kh-muhandis-company-2025",
)
SPLITS = {"dev": DEV, "dev2": DEV2, "held-out": HELD_OUT, "heldout2": HELD_OUT2}

Span = tuple[int, int]


# ---------------------------------------------------------------- records


@dataclass
class Record:
    """One claim of the gold or one candidate, with where its quote stands in the text."""

    subject: str
    property: str
    value: str
    quote: str
    spans: list[Span]
    unit: str | None = None
    attributed_to: str | None = None
    stance: str = "asserts"

    @classmethod
    def from_import(cls, row: dict[str, Any], source: Source) -> Record:
        quote = str(row.get("quote") or "")
        return cls(
            subject=str(row.get("subject") or ""),
            property=str(row.get("property") or ""),
            value=str(row.get("value") if row.get("value") is not None else ""),
            quote=quote,
            spans=[(a.start, a.end) for a in quotes.find_all(source, quote)] if quote else [],
            unit=row.get("unit"),
            attributed_to=row.get("attributed_to") or None,
            stance=str(row.get("stance") or "asserts"),
        )


@dataclass
class Score:
    """The figures of one source or of a group of sources (sums, then shares)."""

    name: str
    gold: int = 0
    candidates: int = 0
    found: int = 0  # gold claims matched
    kept: int = 0  # candidates matching a gold claim
    usable: int = 0  # candidates usable as is
    markers: int = 0  # footnote markers read as values
    inside_words: int = 0  # aliases matched inside ordinary words
    unplaced_gold: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    to_edit: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "candidates", "found", "kept", "usable", "markers", "inside_words"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unplaced_gold += other.unplaced_gold

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.kept / self.candidates if self.candidates else None

    @property
    def usable_share(self) -> float | None:
        return self.usable / self.candidates if self.candidates else None

    def figures(self, withheld: bool = False) -> dict[str, Any]:
        """Every figure; ``withheld``: without the lists of what was missed or wrong."""
        row = asdict(self)
        if withheld:
            for name in ("unplaced_gold", "misses", "wrong", "to_edit", "faults"):
                row.pop(name)
        row.update(recall=self.recall, precision=self.precision, usable_share=self.usable_share)
        return row


# ---------------------------------------------------------------- comparing


class Judge:
    """Compares values, names and spans with the database's vocabulary and entities."""

    def __init__(
        self, session: Session, datatypes: dict[str, str], names: dict[str, str] | None = None
    ):
        self.session = session
        # the gold's own entities (new events, people): normalised alias → canonical name
        self.gold_names = names or {}
        self.datatypes = {p.name: p.datatype for p in session.scalars(select(Property))} | datatypes
        self._names: dict[int, list[str]] = {}

    def identity(self, name: str | None) -> str | None:
        if not name:
            return None
        name = self.gold_names.get(normalise_name(name), name)
        entity = entities.find_entity(self.session, name)
        return f"entity:{entity.id}" if entity is not None else f"name:{normalise_name(name)}"

    def value_key(self, datatype: str | None, value: str) -> tuple[Any, ...] | None:
        if datatype is None:
            return None
        if datatype == "entity":
            return (self.identity(value),)
        try:
            parsed = parse_value(datatype, value)
        except ProvenanceError:
            return None
        if datatype == "quantity":
            return (
                parsed.quantity_low,
                parsed.quantity_high,
                parsed.quantity_low_exclusive,
                parsed.quantity_high_exclusive,
            )
        if datatype == "date":
            return (parsed.date_earliest, parsed.date_latest)
        if datatype == "text":
            return (normalise_text(value),)
        return (parsed.boolean_value,)

    def same_value(self, gold: Record, candidate: Record) -> bool:
        datatype = self.datatypes.get(gold.property)
        wanted = self.value_key(datatype, gold.value)
        return wanted is not None and wanted == self.value_key(datatype, candidate.value)

    def usable(self, gold: Record, candidate: Record) -> bool:
        return (
            gold.property == candidate.property
            and self.identity(gold.subject) == self.identity(candidate.subject)
            and self.identity(gold.attributed_to) == self.identity(candidate.attributed_to)
            and gold.stance == candidate.stance
        )

    def names_of(self, name: str) -> list[str]:
        entity = entities.find_entity(self.session, name)
        if entity is None:
            return []
        if entity.id not in self._names:
            self._names[entity.id] = [
                alias.name
                for alias in self.session.scalars(select(Alias).where(Alias.entity_id == entity.id))
            ]
        return self._names[entity.id]


def overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """The longest overlap, in characters, of any occurrence of one quote with the other's."""
    return max((min(x[1], y[1]) - max(x[0], y[0]) for x in a for y in b), default=0)


def match(
    judge: Judge, gold: list[Record], candidates: list[Record]
) -> list[tuple[int, int, bool]]:
    """One-to-one pairs (gold index, candidate index, usable): usable first, then by overlap."""
    pairs = []
    for g, claim in enumerate(gold):
        for c, candidate in enumerate(candidates):
            shared = overlap(claim.spans, candidate.spans)
            if shared > 0 and judge.same_value(claim, candidate):
                pairs.append((judge.usable(claim, candidate), shared, g, c))
    pairs.sort(key=lambda p: (not p[0], -p[1], p[2], p[3]))
    taken_gold: set[int] = set()
    taken_candidates: set[int] = set()
    chosen = []
    for usable, _, g, c in pairs:
        if g in taken_gold or c in taken_candidates:
            continue
        taken_gold.add(g)
        taken_candidates.add(c)
        chosen.append((g, c, usable))
    return chosen


# ---------------------------------------------------------------- the two faults

# a number glued to the end of a word or sentence: "attack.6", "Iraq”12", "forces12"
_BRACKETED = re.compile(r"\[(\d{1,3})\]")
_MARKER = re.compile(
    r"(?:(?<=[A-Za-z])|(?<=[A-Za-z)\]\"”’'][.,;:\"”’)\]]))"  # after a word, or its punctuation
    r"(\d{1,3})(?=[\s)\]]|$)"
)
_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def reads_marker(judge: Judge, text: str, candidate: Record) -> bool:
    """Whether a quantity candidate's value is a footnote marker (see the module doc)."""
    if judge.datatypes.get(candidate.property) != "quantity" or not candidate.spans:
        return False
    key = judge.value_key("quantity", candidate.value)
    if key is None or key[0] is None or key[0] != key[1] or key[0] != int(key[0]):
        return False
    number = str(int(key[0]))
    for start, end in candidate.spans:
        stretch = text[max(0, start - 5) : min(len(text), end + 5)]
        glued = [m for m in _MARKER.finditer(stretch) if m.group(1) == number]
        glued += [m for m in _BRACKETED.finditer(stretch) if m.group(1) == number]
        if not glued:
            continue
        marker_spans = {m.span(1) for m in glued}
        standing = [
            m
            for m in re.finditer(rf"(?<![\w.,]){number}(?![\d])", stretch)
            if m.span() not in marker_spans
        ]
        word = _NUMBER_WORDS[int(number)] if int(number) < len(_NUMBER_WORDS) else None
        if standing or (word and re.search(rf"\b{word}\b", stretch, re.IGNORECASE)):
            continue
        return True
    return False


def _whole(name: str, text: str) -> bool:
    short_caps = name.isupper() and len(re.sub(r"\W", "", name)) <= 4
    flags = 0 if short_caps else re.IGNORECASE
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags) is not None


def _misread(name: str, text: str) -> bool:
    for m in re.finditer(re.escape(name), text, re.IGNORECASE):
        inside_word = m.start() > 0 and text[m.start() - 1].isalnum()
        wrong_case = name.isupper() and m.group(0) != name
        if inside_word or (wrong_case and not (m.end() < len(text) and text[m.end()].isalnum())):
            return True
    return False


def alias_inside_word(judge: Judge, text: str, candidate: Record) -> bool:
    """Whether an entity the candidate names was read from inside a word or in the wrong case."""
    quoted = " ".join(text[a:b] for a, b in candidate.spans)
    named = [candidate.subject, candidate.attributed_to]
    if judge.datatypes.get(candidate.property) == "entity":
        named.append(candidate.value)
    for name in filter(None, named):
        names = judge.names_of(name)
        if not names or any(_whole(n, quoted) for n in names):
            continue
        if any(_misread(n, quoted) for n in names):
            return True
    return False


# ---------------------------------------------------------------- one source


def _claims(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((document or {}).get("claims") or [])


def _declared(document: dict[str, Any] | None) -> dict[str, str]:
    return {p["name"]: p["type"] for p in (document or {}).get("properties") or []}


def _gold_names(document: dict[str, Any] | None) -> dict[str, str]:
    names = {}
    for entity in (document or {}).get("entities") or []:
        for alias in [entity["name"], *(entity.get("aliases") or [])]:
            names[normalise_name(str(alias))] = str(entity["name"])
    return names


def score_source(
    session: Session,
    source: Source,
    gold_rows: Iterable[dict[str, Any]],
    candidate_rows: Iterable[dict[str, Any]],
    datatypes: dict[str, str],
    name: str | None = None,
    gold_names: dict[str, str] | None = None,
) -> Score:
    """Score the candidates of one source against its gold claims.

    ``gold_names`` maps the normalised names of the gold's own entities to their canonical
    name, so a candidate naming a new event by one of its declared aliases is usable.
    """
    judge = Judge(session, datatypes, gold_names)
    text = source.text or ""
    score = Score(name or source.slug)
    gold = []
    for row in gold_rows:
        record = Record.from_import(row, source)
        if not record.spans:
            score.unplaced_gold.append(record.quote)
            continue
        gold.append(record)
    candidates = [Record.from_import(row, source) for row in candidate_rows]
    score.gold, score.candidates = len(gold), len(candidates)
    pairs = match(judge, gold, candidates)
    score.found = score.kept = len(pairs)
    score.usable = sum(1 for _, _, usable in pairs if usable)
    matched_gold = {g for g, _, _ in pairs}
    matched = {c for _, c, _ in pairs}
    score.misses = [
        f"{g.property} = {g.value}: {g.quote}" for i, g in enumerate(gold) if i not in matched_gold
    ]
    score.wrong = [
        f"{c.subject} · {c.property} = {c.value}: {c.quote}"
        for i, c in enumerate(candidates)
        if i not in matched
    ]
    score.to_edit = [
        f"{candidates[c].subject} · {candidates[c].property} = {candidates[c].value}"
        f" ({candidates[c].attributed_to or '-'}, {candidates[c].stance}); gold: {gold[g].subject}"
        f" · {gold[g].property} ({gold[g].attributed_to or '-'}, {gold[g].stance})"
        for g, c, usable in pairs
        if not usable
    ]
    for candidate in candidates:
        shown = f"{candidate.subject} · {candidate.property} = {candidate.value}: {candidate.quote}"
        if reads_marker(judge, text, candidate):
            score.markers += 1
            score.faults.append(f"footnote marker read as a value: {shown}")
        if alias_inside_word(judge, text, candidate):
            score.inside_words += 1
            score.faults.append(f"alias matched inside a word: {shown}")
    return score


# ---------------------------------------------------------------- building and running


def _invoke(database: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", database, *args], catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"provenance {' '.join(args)} failed:\n{result.output}")
    return result.output


def build(
    workdir: Path,
    articles: Path,
    manifest: Path,
    more: Sequence[tuple[Path, Path]] = ((DEV2_TEXTS, DEV2_MANIFEST),),
) -> str:
    """A database of the seed documents, the seeds' vocabulary and entities, and the articles.

    ``more`` lists further (texts folder, manifest) pairs to ingest: DEV2 by default.
    """
    seeds = workdir / "seeds"
    seeds.mkdir()
    for path in SEEDS.iterdir():
        if path.name != "claims.yaml":
            shutil.copy(path, seeds / path.name)
    database = str(workdir / "bench.db")
    _invoke(database, "build", "--seeds", str(seeds))
    curated = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    vocabulary = workdir / "vocabulary.yaml"
    sections = {k: curated[k] for k in ("properties", "entities") if curated.get(k)}
    vocabulary.write_text(
        yaml.safe_dump({**sections, "claims": []}, allow_unicode=True), encoding="utf-8"
    )
    _invoke(database, "import", str(vocabulary))
    listed = yaml.safe_load(manifest.read_text(encoding="utf-8"))["sources"]
    files = [str(articles / entry["file"]) for entry in listed]
    _invoke(database, "ingest", *files, "--manifest", str(manifest))
    for folder, listing in more:
        entries = yaml.safe_load(listing.read_text(encoding="utf-8"))["sources"]
        paths = [str(folder / entry["file"]) for entry in entries]
        _invoke(database, "ingest", *paths, "--manifest", str(listing))
    return database


def extract(database: str, slug: str, out: Path) -> dict[str, Any]:
    """Run ``provenance extract SLUG -o OUT`` and read what it wrote."""
    _invoke(database, "extract", slug, "-o", str(out))
    return yaml.safe_load(out.read_text(encoding="utf-8")) or {}


def check_gold(database: str, path: Path) -> None:
    """The gold imports as written: every quote is in the text, every value parses."""
    _invoke(database, "import", str(path), "--dry-run")


@dataclass
class Report:
    articles: list[Score]
    seeds: list[Score]
    totals: dict[str, Score]
    seconds: float


def evaluate(
    database: str,
    slugs: Sequence[str],
    gold_dir: Path,
    work: Path,
    *,
    seeds: bool = True,
    comments: bool = False,
    candidates_dir: Path | None = None,
) -> Report:
    """Score ``extract`` on each article in ``slugs`` (and on the seed documents)."""
    articles: list[Score] = []
    seed_scores: list[Score] = []
    elapsed = 0.0
    runs: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for slug in slugs:
        gold_path = gold_dir / f"{slug}.yaml"
        check_gold(database, gold_path)
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if candidates_dir is not None:
            found = yaml.safe_load((candidates_dir / f"{slug}.yaml").read_text(encoding="utf-8"))
        else:
            started = time.perf_counter()
            found = extract(database, slug, work / f"{slug}.candidates.yaml")
            elapsed += time.perf_counter() - started
        runs.append((slug, gold, found or {}))
    seed_runs: list[tuple[str, list[dict[str, Any]], dict[str, Any]]] = []
    if seeds:
        curated = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
        by_source: dict[str, list[dict[str, Any]]] = {}
        for row in _claims(curated):
            if row.get("quote"):
                by_source.setdefault(row["source"], []).append(row)
        engine = make_engine(database)
        try:
            with reading_session(engine) as session:
                with_text = session.execute(
                    select(Source.slug, Source.kind)
                    .where(Source.text.is_not(None))
                    .order_by(Source.id)
                ).all()
        finally:
            engine.dispose()
        for slug, kind in with_text:
            if slug in slugs or slug not in by_source:
                continue
            if kind == "comment" and not comments:
                continue  # a reader's comment under a seed article: see the module doc
            started = time.perf_counter()
            found = extract(database, slug, work / f"{slug}.candidates.yaml")
            elapsed += time.perf_counter() - started
            seed_runs.append((slug, by_source[slug], found))
    engine = make_engine(database)
    try:
        with reading_session(engine) as session:

            def source(slug: str) -> Source:
                return session.scalars(select(Source).where(Source.slug == slug)).one()

            for slug, gold, found in runs:
                datatypes = _declared(gold) | _declared(found)
                articles.append(
                    score_source(
                        session,
                        source(slug),
                        _claims(gold),
                        _claims(found),
                        datatypes,
                        gold_names=_gold_names(gold),
                    )
                )
            for slug, rows, found in seed_runs:
                seed_scores.append(
                    score_source(session, source(slug), rows, _claims(found), _declared(found))
                )
    finally:
        engine.dispose()
    totals: dict[str, Score] = {}
    for split, members in SPLITS.items():
        chosen = [s for s in articles if s.name in members]
        if chosen:
            totals[split] = Score(split.upper())
            for item in chosen:
                totals[split].add(item)
    others = [s for s in articles if not any(s.name in m for m in SPLITS.values())]
    if others:
        totals["other"] = Score("OTHER")
        for item in others:
            totals["other"].add(item)
    if seed_scores:
        totals["seeds"] = Score("SEEDS")
        for item in seed_scores:
            totals["seeds"].add(item)
    return Report(articles, seed_scores, totals, elapsed)


# ---------------------------------------------------------------- printing


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.0f} %" if whole else "—"


def table(report: Report) -> str:
    head = f"{'':46} {'recall':>15} {'precision':>15} {'usable':>15} {'markers':>7} {'in-word':>7}"
    lines = [head]

    def row(score: Score) -> str:
        return (
            f"{score.name:46} {_share(score.found, score.gold):>15}"
            f" {_share(score.kept, score.candidates):>15}"
            f" {_share(score.usable, score.candidates):>15}"
            f" {score.markers:>7} {score.inside_words:>7}"
        )

    for split, members in SPLITS.items():
        chosen = [s for s in report.articles if s.name in members]
        if not chosen:
            continue
        lines += [row(s) for s in chosen]
        lines.append(row(report.totals[split]))
        lines.append("")
    if "other" in report.totals:
        lines += [row(s) for s in report.articles if not any(s.name in m for m in SPLITS.values())]
        lines += [row(report.totals["other"]), ""]
    if report.seeds:
        lines += [row(s) for s in report.seeds]
        lines.append(row(report.totals["seeds"]))
    return "\n".join(lines).rstrip() + "\n"


def selected(splits: Sequence[str]) -> tuple[str, ...]:
    """The articles of the named splits, in order: ``all`` is DEV and HELD-OUT only."""
    chosen: list[str] = []
    for name in splits:
        if name == "all":
            chosen += DEV + HELD_OUT
        elif name != "seeds":
            chosen += SPLITS[name]
    return tuple(dict.fromkeys(chosen))


def details(report: Report) -> str:
    """What was missed, wrong, to edit or faulty, per source; HELD-OUT2's are withheld."""
    lines: list[str] = []
    for score in report.articles + report.seeds:
        if score.name in HELD_OUT2:
            lines += ["", f"## {score.name}: details withheld (HELD-OUT2 is only measured)"]
        elif score.misses or score.wrong or score.to_edit or score.faults:
            lines += ["", f"## {score.name}"]
            lines += [f"  FAULT: {f}" for f in score.faults]
            lines += [f"  to edit: {e}" for e in score.to_edit]
            lines += [f"  missed: {m}" for m in score.misses]
            lines += [f"  wrong:  {w}" for w in score.wrong]
    return "\n".join(lines) + "\n" if lines else ""


def arguments() -> argparse.ArgumentParser:
    """The command line of the scorer."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--split",
        nargs="+",
        choices=("dev", "dev2", "held-out", "heldout2", "seeds", "all"),
        default=["all"],
        help=(
            "which articles to score, one split or more (default all: DEV and HELD-OUT;"
            " seeds: none; tune on dev and dev2 only; heldout2 is only measured)"
        ),
    )
    parser.add_argument("--no-seeds", action="store_true", help="leave the seed documents out")
    parser.add_argument(
        "--seed-comments",
        action="store_true",
        help="score the reader comments under the seed articles too (not in SEEDS by default)",
    )
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="the article texts")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="their ingest manifest")
    parser.add_argument("--gold", type=Path, default=GOLD, help="the gold files, <slug>.yaml")
    parser.add_argument(
        "--slugs", nargs="+", help="score these articles (of the manifest) instead of a split"
    )
    parser.add_argument(
        "--candidates", type=Path, help="score DIR/<slug>.yaml instead of running extract"
    )
    parser.add_argument("--details", action="store_true", help="list misses and wrong candidates")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    slugs = tuple(args.slugs) if args.slugs else selected(args.split)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        more = [(DEV2_TEXTS, DEV2_MANIFEST)]
        if any(slug in HELD_OUT2 for slug in slugs):
            more.append((HELDOUT2_TEXTS, HELDOUT2_MANIFEST))
        database = build(work, args.articles, args.manifest, more)
        report = evaluate(
            database,
            slugs,
            args.gold,
            work,
            seeds=not args.no_seeds,
            comments=args.seed_comments,
            candidates_dir=args.candidates,
        )
    print(table(report), end="")
    print(f"\nextract ran {report.seconds:.2f} s in all (in process, including the CLI's start)")
    if args.details:
        print(details(report), end="")
    for score in report.articles:
        if score.unplaced_gold:
            print(f"{score.name}: gold quotes not found in the text: {score.unplaced_gold}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "articles": [s.figures(withheld=s.name in HELD_OUT2) for s in report.articles],
                    "seeds": [s.figures() for s in report.seeds],
                    "totals": {k: v.figures() for k, v in report.totals.items()},
                    "seconds": report.seconds,
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
