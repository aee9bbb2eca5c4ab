"""What the public truth data sets beside Flight share (``population.py``, ``books.py``):
their (source, subject, value) rows written as an import and imported through the
product (or the database a previous run kept), and the report: majority vote, learned
trust and pooled investment on the gold items, whole and by half, then desk verdicts on
10 % of them. Their options are ``flight.py``'s (``flight.arguments``).

Each data set says only what is its own: how its files read into rows and gold, what its
sources, property and subjects are (:class:`DataSet`).
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import ceiling  # noqa: E402
import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import generator  # noqa: E402
import pooled  # noqa: E402
import run as flight_run  # noqa: E402  (benchmarks/flight/run.py: import and clock)
import yaml  # noqa: E402

from provenance.db import make_engine  # noqa: E402

Item = tuple[str, str]


@dataclass(frozen=True)
class DataSet:
    """One public data set: its property, its sources and subjects, and its report's words."""

    name: str  # "Population": the report's title, the database's and temp folder's name
    property: dict[str, str]  # the import's property entry: name, type, description
    source_kind: str  # "Wikipedia contributor": each source's title is "<name> (<kind>)"
    note: str  # each source's note: the data set and its paper
    entity_kind: str  # the subjects' entity kind
    sources: str  # "contributors": what the report calls the sources
    subjects: str  # "city-years": what the report calls the subjects
    gold_items: str  # "items": what the report calls the gold subjects
    value: str  # "figure": what the report calls one value
    # a source's kind (``choices.SOURCE_KINDS``) from its slug: what kind of source it is
    # where the data say (an anonymous edit against an account's), else "website"
    kind_of: Callable[[str], str] = lambda _slug: "website"

    @property
    def slug(self) -> str:
        return self.name.lower()


def write_import(data: DataSet, out: Path, rows, names) -> tuple[Path, Path]:
    """``header.yaml`` (sources, the property, the subjects) and ``claims.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    prop = data.property["name"]
    header = {
        "sources": [
            {
                "slug": slug,
                "title": f"{names[slug]} ({data.source_kind})",
                "kind": data.kind_of(slug),
                "reliability": "F",
                "note": data.note,
            }
            for slug in sorted(names)
        ],
        "properties": [data.property],
        "entities": [{"name": s, "kind": data.entity_kind} for s in sorted({r[1] for r in rows})],
    }
    header_path = out / "header.yaml"
    header_path.write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    claims_path = out / "claims.csv"
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        for slug, subject, value in rows:
            writer.writerow([slug, subject, prop, value])
    return header_path, claims_path


def build_or_reuse(data: DataSet, out: Path, rows, names, clock):
    """The data set imported into ``out/<name>.db``, or the one a previous run kept."""
    db = out / f"{data.slug}.db"
    if (out / "imported").exists() and db.exists():
        flight_run.say(f"reusing {db}")
        with clock.step("import"):
            engine = make_engine(str(db))
        return engine
    header, claims = write_import(data, out / "import", rows, names)
    flight_run.say("import …")
    engine, _ = flight_run.build_database(db, header, claims, clock)
    (out / "imported").write_text("the import finished\n", encoding="utf-8")
    return engine


def report(data: DataSet, args, shown, rows, names, gold, *, title_tail: str = "") -> None:
    """Import ``rows``, learn trust, and print the table of the leading answers against
    ``gold`` beside the vote and pooled investment, then ``args.seeds`` draws of verdicts."""
    changed = truth_flight.set_constants(args.set)
    workdir = None if args.keep else tempfile.TemporaryDirectory(prefix=f"truth-{data.slug}-")
    out = Path(args.keep) if args.keep else Path(workdir.name)
    out.mkdir(parents=True, exist_ok=True)
    prop = data.property["name"]
    table: dict[Item, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for slug, subject, value in rows:
        table[(subject, prop)][value].add(slug)
    vote = generator.majority_vote(table)
    clock = flight_run.Clock()
    engine = build_or_reuse(data, out, rows, names, clock)

    gold_items = sorted(gold)
    halves = [truth_flight.in_half(gold_items, h) for h in shown]
    disputed = sum(len(table[i]) > 1 for i in gold_items)
    head = truth_flight.header(shown, halves, "all")
    title = f"## Learned trust on {data.name} (every {data.source_kind} F)"
    lines = [title + title_tail, ""]
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
        f"- {len(gold_items)} gold {data.gold_items} ({disputed} with more than one "
        f"{data.value}, {sum(next(iter(gold[i])) in table[i] for i in gold_items)} whose gold "
        f"{data.value} some {data.source_kind} gave); {len(rows):,} claims on "
        f"{len(table):,} {data.subjects} by {len(names):,} {data.sources}"
    )
    lines.append(
        f"- trust: {result.rounds} rounds over {result.items:,} items, "
        f"{clock.show('trust')} (import {clock.show('import')})"
    )
    lines.append(truth_flight.copy_groups_line(result))
    lines.append("")
    if args.ceiling:
        learned = {st.slug: st.trust for st in result.sources}
        lines += ceiling.lines(
            table, gold, halves, learned, engine, value_claims, head, flight_run.ACTOR
        )
    if args.seeds:
        lines += truth_flight.verdict_runs(
            args.seeds, engine, gold, gold_items, value_claims, vote, answers, shown, clock
        )
    if args.overturned:  # counts, read by overturned.counts
        lines += truth_flight.overturned_lines(
            args.overturned, args.seeds or 1, engine, gold, table, answers, value_claims
        )
    print("\n".join(lines))
    engine.dispose()
    if workdir is not None:
        workdir.cleanup()
