"""Truth finding on the Flight data set: does ``conflicts`` pick the true value?

Data: one day (2011-12-01) of the Flight data set of X. Li, X. L. Dong, K. Lyons,
W. Meng, D. Srivastava, "Truth Finding on the Deep Web: Is the Problem Solved?",
PVLDB 6(2), 2013 — 38 web sites reporting times and gates of 1,193 flights, and the
airlines' own values for 100 of them (``data/README.md``).

    .venv/bin/python benchmarks/flight/run.py [--keep DIR] [--no-reference]

1. Every site's times and gates are normalised (``normalise.py``; its doctests and
   those of ``methods.py`` run first); what cannot be used is dropped and counted.
2. The values are imported through the product into a fresh SQLite database: the
   sites as text-less sources graded F, six properties, one subject per flight.
3. ``conflicts`` runs; the product's answer for a flight and attribute is the value
   leading most of its conflicts (ties by support), or, with no conflict, the value
   its sources agree on.
4. Answers are scored against the gold with the airlines' own sites (``aa``, ``ua``,
   ``CO``) left out of the database, since the gold was taken from them. Beside the
   product ungraded, the same run scores a majority vote and the product after a
   desk grades each site A–E by its track record — its agreement with a vote over all
   flights, estimated without the gold — writes the grades through the importer's
   ``sources:`` section and runs ``conflicts`` again.

Then, labelled as experiments and not as the product's figures, the same database is
scored with a change the product does not have — sites that mirror one feed counted
once — to size what such a change would be worth. A reference run imports all 38
sites, as the paper did, for comparison with its figures (``--no-reference`` skips
it). ``--keep DIR`` keeps the import files, the databases and ``report.md``.

The report (Markdown) goes to stdout, progress to stderr. Timings are wall-clock and
CPU seconds of this process: on a shared machine the CPU figure is the steadier one.
"""

from __future__ import annotations

import argparse
import csv
import doctest
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import func, select, update

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import methods  # noqa: E402
import normalise  # noqa: E402
from methods import Item, Table  # noqa: E402
from normalise import parse_gate, parse_time  # noqa: E402

from provenance import conflicts as product_conflicts  # noqa: E402
from provenance import support as product_support  # noqa: E402
from provenance.db import make_engine, migrate, session_scope  # noqa: E402
from provenance.importer import import_file  # noqa: E402
from provenance.models import Citation, Claim, Conflict, Entity, Property, Source  # noqa: E402

DATA = HERE / "data" / "2011-12-01-data.txt"
TRUTH = HERE / "data" / "2011-12-01-truth.txt"
ACTOR = "flight-benchmark"

# column of each attribute in the data file; the truth file has no source column
ATTRIBUTES = {
    "scheduled_departure": 2,
    "actual_departure": 3,
    "departure_gate": 4,
    "scheduled_arrival": 5,
    "actual_arrival": 6,
    "arrival_gate": 7,
}
TIME_ATTRIBUTES = {"scheduled_departure", "actual_departure", "scheduled_arrival", "actual_arrival"}
# The gold was read off these sites: a site cannot be scored against itself.
AIRLINE_SITES = {"aa", "ua", "CO"}
PUBLISHED = {"vote": 0.88, "AccuFormat": 0.95, "AccuCopy": 0.98}


@dataclass(frozen=True)
class Observation:
    source: str
    flight: str
    attribute: str
    value: str


def say(message: str, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ reading


def _rows(path: Path) -> Iterator[list[str]]:
    # latin-1: the files hold stray 0xA0 bytes that are not UTF-8
    with open(path, encoding="latin-1", newline="") as handle:
        for line in handle:
            yield line.rstrip("\r\n").split("\t")


def _normalised(attribute: str, raw: str) -> tuple[str | None, str]:
    if attribute in TIME_ATTRIBUTES:
        parsed = parse_time(raw)
        return parsed.edtf, parsed.why
    gate = parse_gate(raw)
    return gate.value, gate.why


def read_observations(path: Path = DATA) -> tuple[list[Observation], Counter, int]:
    """Every usable (source, flight, attribute, value); ``dropped`` counts the rest by (attribute,
    why)."""
    observations: list[Observation] = []
    dropped: Counter = Counter()
    rows = 0
    for row in _rows(path):
        rows += 1
        source, flight = row[0], row[1]
        for attribute, column in ATTRIBUTES.items():
            value, why = _normalised(attribute, row[column])
            if value is None:
                dropped[(attribute, why)] += 1
            else:
                observations.append(Observation(source, flight, attribute, value))
    return observations, dropped, rows


def read_gold(path: Path = TRUTH) -> tuple[dict[Item, set[str]], Counter]:
    """The airlines' values. A flight the gold lists twice with two values accepts either."""
    gold: dict[Item, set[str]] = defaultdict(set)
    missing: Counter = Counter()
    for row in _rows(path):
        for attribute, column in ATTRIBUTES.items():
            value, why = _normalised(attribute, row[column - 1])
            if value is None:
                missing[why] += 1
            else:
                gold[(row[0], attribute)].add(value)
    return dict(gold), missing


def values_by_item(observations: Iterable[Observation]) -> Table:
    table: dict[Item, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for o in observations:
        table[(o.flight, o.attribute)][o.value].add(o.source)
    return table


# ------------------------------------------------------------------ the product


@dataclass
class Clock:
    """Wall-clock and CPU seconds per step."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
        self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu

    def show(self, name: str) -> str:
        return f"{self.wall[name]:.1f} s ({self.cpu[name]:.1f} s CPU)"


def write_import(
    out: Path, observations: list[Observation], sources: list[str]
) -> tuple[Path, Path]:
    """``header.yaml`` (sources, properties, flights) and ``claims.csv`` in the import format (SPEC
    §4).

    The header is YAML because only YAML carries the sections; the 90,000 claims go in
    CSV, which the importer streams.
    """
    out.mkdir(parents=True, exist_ok=True)
    header = {
        "sources": [
            {
                "slug": s,
                "title": f"{s} (Flight data set, 2011-12-01)",
                "kind": "website",
                "reliability": "F",
                "note": "Flight-status site crawled by Li et al., PVLDB 6(2), 2013.",
            }
            for s in sources
        ],
        "properties": [
            {
                "name": name,
                "type": "date" if name in TIME_ATTRIBUTES else "text",
                "description": "Local wall-clock time at the airport, to the minute."
                if name in TIME_ATTRIBUTES
                else "Gate, without its terminal.",
            }
            for name in ATTRIBUTES
        ],
        "entities": [
            {"name": f, "kind": "event"} for f in sorted({o.flight for o in observations})
        ],
    }
    header_path = out / "header.yaml"
    header_path.write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    claims_path = out / "claims.csv"
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        for o in observations:
            writer.writerow([o.source, o.flight, o.attribute, o.value])
    return header_path, claims_path


def build_database(db_path: Path, header: Path, claims: Path, clock: Clock):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(str(db_path), create=True)
    migrate(engine)
    show = sys.stderr.isatty()
    with clock.step("import"):
        # two commands, as a desk would run them: the header, then the claims
        with session_scope(engine) as session:
            import_file(session, header, ACTOR)
        with session_scope(engine) as session:
            report = import_file(
                session,
                claims,
                ACTOR,
                progress=(lambda n: say(f"\rimport: {n:,} records", end="")) if show else None,
            )
    if show:
        say("")
    return engine, report


@dataclass
class ProductRun:
    """One pass of ``conflicts``, reduced to one answer per flight/attribute."""

    answers: dict[Item, str]
    how: Counter
    conflicts: int
    items_in_conflict: set[Item]
    false_conflicts: int


def product_answers(session, clock: Clock) -> ProductRun:
    with clock.step("detect"):
        product_conflicts.detect(session, ACTOR)
    with clock.step("list"):
        rows = product_conflicts.conflict_rows(session, status="all")
    led: dict[Item, Counter] = defaultdict(Counter)
    support: dict[Item, dict[str, float]] = defaultdict(dict)
    false_conflicts = 0
    for row in rows:
        item = (row["subject"], row["property"])
        for answer in row["answers"]:
            support[item][answer["value"]] = max(
                support[item].get(answer["value"], 0.0), answer["support"]
            )
        # values were normalised before import: equal text would mean one value split in two
        # (counted per pair of answers that contradict, as conflicts were counted before)
        by_claim = {a["claim"]: a["value"].casefold() for a in row["answers"]}
        false_conflicts += sum(
            by_claim[a["claim"]] == by_claim[c["claim"]]
            for a in row["answers"]
            for c in a["contradicts"]
            if a["claim"] < c["claim"]
        )
        if row["leading_value"] is not None:
            led[item][row["leading_value"]] += 1
    answers: dict[Item, str] = {}
    how: Counter = Counter()
    for item, values in support.items():
        ranked = sorted(values, key=lambda v: (-led[item][v], -values[v], v))
        top = ranked[0]
        tied = len(ranked) > 1 and (led[item][ranked[1]], values[ranked[1]]) == (
            led[item][top],
            values[top],
        )
        answers[item] = top
        how["in conflict, tie → smallest value" if tied else "in conflict, leading value"] += 1
    claims = session.execute(
        select(
            Entity.name, Property.name, Claim.value, func.count(func.distinct(Citation.source_id))
        )
        .join(Entity, Entity.id == Claim.subject_id)
        .join(Property, Property.id == Claim.property_id)
        .join(Citation, Citation.claim_id == Claim.id)
        .where(Claim.rank != "deprecated")
        .group_by(Claim.id, Entity.name, Property.name, Claim.value)
    ).all()
    quiet: dict[Item, list[tuple[int, str]]] = defaultdict(list)
    for subject, prop, value, sources in claims:
        if (subject, prop) not in answers:
            quiet[(subject, prop)].append((-sources, value))
    for item, values in quiet.items():
        answers[item] = min(values)[1]
        # one site giving two values is no conflict, yet no single value is agreed
        how[
            "no conflict, one value"
            if len(values) == 1
            else "no conflict, one site with two values"
        ] += 1
    return ProductRun(answers, how, len(rows), set(support), false_conflicts)


def write_grades(
    engine, path: Path, grades: dict[str, tuple[str, float, int]], why: str, clock: Clock
) -> None:
    """The desk's grades, written as a desk would: the importer's ``sources:`` section."""
    entries = [
        {
            "slug": s,
            "reliability": g,
            "reliability_reason": f"track record: {why} {acc:.1%} of its {n} values"
            if g != "F"
            else f"track record: only {n} values, too few to judge",
        }
        for s, (g, acc, n) in sorted(grades.items())
    ]
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")
    with clock.step("grades"), session_scope(engine) as session:
        import_file(session, path, ACTOR)


@contextmanager
def mirrors_counted_once(origin: dict[str, str]) -> Iterator[None]:
    """Experiment only: evidence from sites of one feed counts once, as citations of one cited work
    do."""
    saved = product_support.origins

    def origins(citation):
        found = saved(citation)
        slug = citation.source.slug
        return found | {f"feed:{origin[slug]}"} if slug in origin else found

    product_support.origins = origins
    try:
        yield
    finally:
        product_support.origins = saved


# ------------------------------------------------------------------ scoring


def score(answers: dict[Item, str], gold: dict[Item, set[str]]) -> dict[str, tuple[int, int]]:
    """Attribute → (right, gold items); an item with no answer is wrong."""
    result: dict[str, list[int]] = {a: [0, 0] for a in [*ATTRIBUTES, "overall"]}
    for (flight, attribute), truth in gold.items():
        right = answers.get((flight, attribute)) in truth
        for key in (attribute, "overall"):
            result[key][0] += right
            result[key][1] += 1
    return {k: (v[0], v[1]) for k, v in result.items()}


def near_misses(answers: dict[Item, str], gold: dict[Item, set[str]]) -> tuple[int, int, int]:
    """(wrong time answers, of them within 1 minute of the gold, within 5 minutes)."""
    wrong = one = five = 0
    for (flight, attribute), truth in gold.items():
        answer = answers.get((flight, attribute))
        if attribute not in TIME_ATTRIBUTES or answer in truth:
            continue
        wrong += 1
        if answer is None:
            continue
        gap = (
            min(
                abs((datetime.fromisoformat(answer) - datetime.fromisoformat(t)).total_seconds())
                for t in truth
            )
            / 60
        )
        one += gap <= 1
        five += gap <= 5
    return wrong, one, five


def table(columns: dict[str, dict[str, tuple[int, int]]]) -> str:
    names = list(columns)
    lines = [
        "| attribute | gold items | " + " | ".join(names) + " |",
        "|---|---:|" + "---:|" * len(names),
    ]
    for attribute in [*ATTRIBUTES, "overall"]:
        n = columns[names[0]][attribute][1]
        cells = [f"{columns[c][attribute][0] / n:.3f}" for c in names]
        label = f"**{attribute}**" if attribute == "overall" else attribute
        lines.append(
            f"| {label} | {n} | "
            + " | ".join(f"**{c}**" if attribute == "overall" else c for c in cells)
            + " |"
        )
    return "\n".join(lines)


def accuracy_on_gold(
    observations: list[Observation], gold: dict[Item, set[str]]
) -> dict[str, tuple[int, int]]:
    """For reading the grades only: how often each site gives the gold value."""
    result: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in observations:
        truth = gold.get((o.flight, o.attribute))
        if truth:
            result[o.source][1] += 1
            result[o.source][0] += o.value in truth
    return {s: (r[0], r[1]) for s, r in result.items()}


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Truth finding on the Flight data set (Li et al., PVLDB 2013)."
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="keep the import files, databases and report.md in DIR"
    )
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the reference run with all 38 sites"
    )
    args = parser.parse_args(argv)

    for module in (normalise, methods):
        failed, attempted = doctest.testmod(module)
        if failed:
            say(f"{module.__name__}.py: {failed} of {attempted} doctests fail")
            return 1
    say("normalise.py and methods.py: doctests pass")

    workdir = None if args.keep else tempfile.TemporaryDirectory(prefix="flight-benchmark-")
    out = Path(args.keep) if args.keep else Path(workdir.name)
    out.mkdir(parents=True, exist_ok=True)
    report: list[str] = []

    def line(text: str = "") -> None:
        report.append(text)
        print(text, flush=True)

    all_observations, dropped, rows = read_observations()
    gold, gold_missing = read_gold()
    observations = [o for o in all_observations if o.source not in AIRLINE_SITES]
    sources = sorted({o.source for o in observations})
    items = values_by_item(observations)

    # (a) majority vote
    vote = methods.vote(items)
    vote_answers = {i: v for i, (v, _) in vote.items()}

    # (b) the product, every site F
    header, claims = write_import(out / "import", observations, sources)
    clock = Clock()
    say("import …")
    engine, import_report = build_database(out / "flight.db", header, claims, clock)
    say("conflicts …")
    with session_scope(engine) as session:
        ungraded = product_answers(session, clock)
        counts = {
            "entities": session.scalar(select(func.count()).select_from(Entity)),
            "claims": session.scalar(select(func.count()).select_from(Claim)),
            "citations": session.scalar(select(func.count()).select_from(Citation)),
            "conflicts": session.scalar(select(func.count()).select_from(Conflict)),
        }

    # (c) graded by track record, written to the database, conflicts again
    record = methods.track_record(items)
    grades = {s: (methods.grade(acc, n), acc, n) for s, (acc, n) in record.items()}
    write_grades(
        engine, out / "grades.yaml", grades, "agrees with the vote over all flights on", clock
    )
    graded_clock = Clock()
    say("conflicts after grading …")
    with session_scope(engine) as session:
        graded = product_answers(session, graded_clock)

    # experiments: not the product's figures
    groups = methods.mirror_groups(items)
    origin = methods.origin_of(groups)
    mirror_record = methods.track_record(items, origin)
    mirror_grades = {s: (methods.grade(acc, n), acc, n) for s, (acc, n) in mirror_record.items()}
    experiments: dict[str, ProductRun] = {}
    say("experiments …")
    with session_scope(engine) as session:
        # rolled back below: the database keeps the desk's grades of run (c)
        for slug in sources:
            session.execute(update(Source).where(Source.slug == slug).values(reliability="F"))
        session.expire_all()
        with mirrors_counted_once(origin):
            experiments["E1"] = product_answers(session, Clock())
        for slug, (g, _, _) in mirror_grades.items():
            session.execute(update(Source).where(Source.slug == slug).values(reliability=g))
        session.expire_all()
        with mirrors_counted_once(origin):
            experiments["E2"] = product_answers(session, Clock())
        session.rollback()
    engine.dispose()

    reference = None
    if not args.no_reference:
        say("reference run, all 38 sites …")
        ref_header, ref_claims = write_import(
            out / "reference-import", all_observations, sorted({o.source for o in all_observations})
        )
        ref_engine, _ = build_database(out / "reference.db", ref_header, ref_claims, Clock())
        with session_scope(ref_engine) as session:
            ref_run = product_answers(session, Clock())
        ref_engine.dispose()
        ref_items = values_by_item(all_observations)
        reference = {
            "vote": score({i: v for i, (v, _) in methods.vote(ref_items).items()}, gold),
            "product, ungraded": score(ref_run.answers, gold),
        }

    # ---------------------------------------------------------------- report
    columns = {
        "(a) vote": score(vote_answers, gold),
        "(b) product, ungraded (F)": score(ungraded.answers, gold),
        "(c) product, graded by track record": score(graded.answers, gold),
    }
    gold_flights = {f for f, _ in gold}
    line("## Precision against the gold (aa, ua, CO not imported)")
    line()
    line(table(columns))
    line()
    line(
        f"Published on this data with all sources kept (Li et al. 2013): vote {PUBLISHED['vote']}, "
        f"AccuFormat {PUBLISHED['AccuFormat']}, AccuCopy {PUBLISHED['AccuCopy']}."
    )
    for name, answers in (
        ("(a)", vote_answers),
        ("(b)", ungraded.answers),
        ("(c)", graded.answers),
    ):
        wrong, one, five = near_misses(answers, gold)
        line(
            f"- {name}: {wrong} wrong time answers, {one} of them within 1 minute of the gold,"
            f" {five} within 5 minutes"
        )
    if reference:
        line()
        line(
            "Reference: all 38 sites imported, as in the paper (the gold's own sites vote too, so"
            " this is not a fair score):"
        )
        line()
        line(table(reference))

    line()
    line("## Data, import and detection")
    line()
    line(
        f"- {rows:,} rows from {len({o.source for o in all_observations})} sites,"
        f" {len({o.flight for o in all_observations}):,} flights; {len(sources)} sites and"
        f" {len({o.flight for o in observations}):,} flights once aa, ua and CO are left out"
    )
    line(
        f"- gold: {len(gold_flights)} flights, {len(gold)} flight/attributes with a value"
        f" ({sum(gold_missing.values())} gold cells empty or placeholders, not scored:"
        f" {dict(gold_missing)}); {sum(len(v) > 1 for v in gold.values())} items listed twice with"
        f" two values, either accepted; {sum(1 for i in gold if i not in items)} items no imported"
        " site gives"
    )
    line(
        f"- cells of all 38 sites: {rows * len(ATTRIBUTES):,}; empty:"
        f" {sum(n for (_, why), n in dropped.items() if why == 'empty'):,}"
    )
    for why in ("placeholder", "unparsed"):
        per = {a: dropped[(a, why)] for a in ATTRIBUTES if dropped[(a, why)]}
        line(f"- values dropped as {why}: {sum(per.values()):,} {per}")
    line(
        f"- values kept: {len(all_observations):,} of all 38 sites; imported (35 sites):"
        f" {len(observations):,} → {counts['claims']:,} claims, {counts['citations']:,} citations,"
        f" {counts['entities']:,} flight subjects"
    )
    line(
        f"- import: {clock.show('import')}, {import_report.records / clock.wall['import']:,.0f}"
        " records/s wall"
    )
    line(
        f"- conflicts: detection {clock.show('detect')}; listing with support and leading values"
        f" {clock.show('list')}"
    )
    line(
        f"- {counts['conflicts']:,} conflicts on {len(ungraded.items_in_conflict):,} of"
        f" {len(items):,} flight/attributes; {len(ungraded.items_in_conflict & set(gold))} of the"
        f" {len(gold)} gold items are in conflict"
    )
    line(f"- false conflicts (two sides that normalise to one value): {ungraded.false_conflicts}")
    line(
        f"- vote ties: {sum(t for _, t in vote.values())} of {len(vote):,} items,"
        f" {sum(vote[i][1] for i in gold if i in vote)} of them gold items"
    )
    line(f"- how the product's answers were reached, ungraded: {dict(ungraded.how)}")
    line(f"- graded: {dict(graded.how)}")
    line(
        f"- after grading: writing the grades {clock.show('grades')}, detection"
        f" {graded_clock.show('detect')}, listing {graded_clock.show('list')}"
    )

    line()
    line("## Track record → grade (no gold), beside each site's accuracy on the gold")
    line()
    line(
        "| site | values | agrees with vote | grade | mirrors once: agrees | grade | right on gold"
        " items |"
    )
    line("|---|---:|---:|:-:|---:|:-:|---:|")
    on_gold = accuracy_on_gold(observations, gold)
    for s, (g, acc, n) in sorted(grades.items(), key=lambda kv: (-kv[1][1], kv[0])):
        right, total = on_gold.get(s, (0, 0))
        m_g, m_acc, _ = mirror_grades[s]
        line(
            f"| {s} | {n} | {acc:.3f} | {g} | {m_acc:.3f} | {m_g} | "
            + (f"{right / total:.3f} of {total}" if total else "–")
            + " |"
        )

    line()
    line("## Experiments (a change the product does not have; not the product's figures)")
    line()
    line(
        f"Mirror groups found without the gold (identical values on ≥ {methods.MIRROR_SHARE:.0%} of"
        f" ≥ {methods.MIRROR_MIN_SHARED} shared items): "
        + "; ".join("{" + ", ".join(sorted(g)) + "}" for g in groups)
    )
    line()
    line(
        table(
            {
                "(a) vote": columns["(a) vote"],
                "vote, mirrors once": score(
                    {i: v for i, (v, _) in methods.vote(items, origin=origin).items()}, gold
                ),
                "E1 product ungraded, mirrors once": score(experiments["E1"].answers, gold),
                "E2 product graded (track record with mirrors once), mirrors once": score(
                    experiments["E2"].answers, gold
                ),
            }
        )
    )
    line()
    line(
        "Sensitivity of the mirror test: a vote with each feed counted once, weighted by the"
        " product's weights for grades from a track record computed the same way (methods.py alone,"
        " no database):"
    )
    line()
    line("| mirror test | feeds | overall |")
    line("|---|---:|---:|")
    for share in (None, 0.99, 0.96):
        test_origin = methods.origin_of(methods.mirror_groups(items, share)) if share else {}
        test_grades = {
            s: methods.grade(a, n) for s, (a, n) in methods.track_record(items, test_origin).items()
        }
        weight = product_conflicts.RELIABILITY
        answers = {
            i: v
            for i, (v, _) in methods.vote(
                items, lambda s, w=weight, g=test_grades: w[g[s]], test_origin
            ).items()
        }
        right, total = score(answers, gold)["overall"]
        feeds = len(set(sources) - set(test_origin)) + len(set(test_origin.values()))
        line(
            f"| {'none' if share is None else f'identical on ≥ {share:.0%}'} | {feeds} |"
            f" {right / total:.3f} |"
        )
    if args.keep:
        (out / "report.md").write_text("\n".join(report) + "\n", encoding="utf-8")
        say(f"kept in {out}")
    if workdir is not None:
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
