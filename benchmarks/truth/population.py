"""Learned source trust on city populations: the leading answer against the gold.

Data: the population data set of J. Pasternack and D. Roth, "Knowing What to Believe
(when you already know something)", COLING 2010 (``population/README.md``): 50,239
populations of 42,730 city-years, as 4,173 Wikipedia contributors wrote them, and a gold
value for 308 city-years.

    .venv/bin/python benchmarks/truth/population.py [--keep DIR] [--seeds 3] [--halves A,B,day]

A second public data set beside Flight, of another shape: a long tail of contributors
(most wrote one or two figures, one bot wrote half of all rows), numbers rather than
times, and vandalism (``126117856178246``) rather than feeds that copy each other.

1. Every contributor is a text-less source graded F; every city-year an entity
   (``cleveland, ohio (2000)``) declared in the import's ``entities:`` section; every
   row a claim of the quantity property ``population`` (exact: two different figures
   contradict each other). A contributor giving one figure twice is one citation.
2. A majority vote (a tie to the value of the smallest SHA-256, blind to the truth) and
   the pooled-investment variants of ``pooled.py`` are computed in the same run.
3. ``provenance.trust`` learns trust; an item's answer is its leading answer.
4. With ``--seeds N``, desk verdicts on 10 % of the gold items as in ``flight.py``
   (its code is reused): scored on the other 90 %.

The halves (``flight.half_of`` on the city-year's name: a fixed hash) keep the protocol
of ``flight.py``: settings are chosen looking at half ``A`` only. Nothing in the model
was chosen on this data set; the report goes to stdout.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import generator  # noqa: E402
import pooled  # noqa: E402
import run as flight_run  # noqa: E402  (benchmarks/flight/run.py: import and clock)
import yaml  # noqa: E402

from provenance.db import make_engine  # noqa: E402

DATA = HERE / "population"
CLAIMS = DATA / "population-claims.tsv.gz"
GOLD = DATA / "population-gold.txt"
PROPERTY = "population"

Item = tuple[str, str]


def subject_of(item_key: str) -> str:
    """``cleveland, ohio_2000`` → ``cleveland, ohio (2000)``, the entity of one city-year."""
    city, _, year = item_key.rpartition("_")
    return f"{city} ({year})"


def source_of(contributor: str) -> str:
    """A contributor's source slug: ``wp-5512121``, or ``wp-ip-76-66-38-39`` when anonymous."""
    match = re.fullmatch(r"contributor #(\d+)(?:: .*| \((.*)\))?", contributor.strip())
    if match is None:
        raise ValueError(f"unexpected contributor {contributor!r}")
    number, address = match.groups()
    if number == "0" and address:
        return "wp-ip-" + re.sub(r"[^0-9a-z]+", "-", address.lower()).strip("-")
    return f"wp-{number}"


def read_claims(path: Path = CLAIMS) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(source, subject, value) rows, each once; and source slug → the contributor's name."""
    rows: set[tuple[str, str, str]] = set()
    names: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="latin-1", newline="") as handle:
        for line in handle:
            item, contributor, value, _year = line.rstrip("\r\n").split("\t")
            slug = source_of(contributor)
            names.setdefault(slug, contributor.strip())
            rows.add((slug, subject_of(item), str(int(value))))
    return sorted(rows), names


def read_gold(path: Path = GOLD) -> dict[Item, set[str]]:
    """(subject, ``population``) → {the gold figure}."""
    gold: dict[Item, set[str]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 4:
            continue
        *city, year, value = parts
        gold[(subject_of(", ".join(city) + "_" + year), PROPERTY)] = {str(int(value))}
    return gold


def write_import(out: Path, rows, names) -> tuple[Path, Path]:
    """``header.yaml`` (sources, the property, the city-years) and ``claims.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    header = {
        "sources": [
            {
                "slug": slug,
                "title": f"{names[slug]} (Wikipedia contributor)",
                "kind": "website",
                "reliability": "F",
                "note": "Population data set, Pasternack and Roth, COLING 2010.",
            }
            for slug in sorted(names)
        ],
        "properties": [
            {
                "name": PROPERTY,
                "type": "quantity",
                "description": "The city's population in the year of the subject's name.",
            }
        ],
        "entities": [{"name": s, "kind": "place"} for s in sorted({r[1] for r in rows})],
    }
    header_path = out / "header.yaml"
    header_path.write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    claims_path = out / "claims.csv"
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        for slug, subject, value in rows:
            writer.writerow([slug, subject, PROPERTY, value])
    return header_path, claims_path


def build_or_reuse(out: Path, rows, names, clock):
    """The data set imported into ``out/population.db``, or the one a previous run kept."""
    db = out / "population.db"
    if (out / "imported").exists() and db.exists():
        flight_run.say(f"reusing {db}")
        with clock.step("import"):
            engine = make_engine(str(db))
        return engine
    header, claims = write_import(out / "import", rows, names)
    flight_run.say("import …")
    engine, _ = flight_run.build_database(db, header, claims, clock)
    (out / "imported").write_text("the import finished\n", encoding="utf-8")
    return engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="keep the import files and database in DIR")
    parser.add_argument("--seeds", type=int, default=3, help="draws of the 10 %% of verdicts")
    parser.add_argument(
        "--halves",
        default="day,A,B",
        help="the gold items scored: day (all), A, B, comma-separated (tune looking at A only)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="run with a constant of provenance.trust changed",
    )
    args = parser.parse_args(argv)
    shown = [h.strip() for h in args.halves.split(",") if h.strip()]
    if not shown or any(h not in ("day", *truth_flight.HALVES) for h in shown):
        parser.error(f"--halves {args.halves!r}: a comma-separated list of day, A, B")
    changed = truth_flight.set_constants(args.set)
    workdir = None if args.keep else tempfile.TemporaryDirectory(prefix="truth-population-")
    out = Path(args.keep) if args.keep else Path(workdir.name)
    out.mkdir(parents=True, exist_ok=True)

    rows, names = read_claims()
    gold = read_gold()
    table: dict[Item, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for slug, subject, value in rows:
        table[(subject, PROPERTY)][value].add(slug)
    vote = generator.majority_vote(table)
    clock = flight_run.Clock()
    engine = build_or_reuse(out, rows, names, clock)

    gold_items = sorted(gold)
    halves = [truth_flight.in_half(gold_items, h) for h in shown]
    disputed = sum(len(table[i]) > 1 for i in gold_items)
    head = truth_flight.header(shown, halves, "all")
    lines = ["## Learned trust on Population (every contributor F)", ""]
    if changed:
        lines += ["constants: " + ", ".join(f"{k} = {v!r}" for k, v in changed.items()), ""]
    answers, result, value_claims = truth_flight.learned_answers(engine, clock)
    lines.append(f"| method | {head} |")
    lines.append("|---|" + "---:|" * len(halves))
    lines.append(truth_flight.row("majority vote", vote, gold, halves))
    lines.append(truth_flight.row("learned trust", answers, gold, halves, bold=True))
    for name, method in pooled.METHODS.items():
        lines.append(truth_flight.row(name, method(table, ()), gold, halves))
    lines.append("")
    lines.append(
        f"- {len(gold_items)} gold items ({disputed} with more than one figure, "
        f"{sum(next(iter(gold[i])) in table[i] for i in gold_items)} whose gold figure some "
        f"contributor gave); {len(rows):,} claims by {len(names):,} contributors"
    )
    lines.append(
        f"- trust: {result.rounds} rounds over {result.items:,} items, "
        f"{clock.show('trust')} (import {clock.show('import')})"
    )
    lines.append(
        "- copy groups suggested: "
        + ("; ".join("{" + ", ".join(g) + "}" for g in result.copy_groups) or "none")
    )
    lines.append("")
    if args.seeds:
        lines += truth_flight.verdict_runs(
            args.seeds, engine, gold, gold_items, value_claims, vote, answers, shown, clock
        )
    print("\n".join(lines))
    engine.dispose()
    if workdir is not None:
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    flight_run.say(f"done in {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
