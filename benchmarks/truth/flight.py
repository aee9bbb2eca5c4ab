"""Learned source trust on the Flight data set: the leading answer against the gold.

Data: one day (2011-12-01) of the Flight data set of X. Li, X. L. Dong, K. Lyons,
W. Meng, D. Srivastava, "Truth Finding on the Deep Web: Is the Problem Solved?",
PVLDB 6(2), 2013 (``benchmarks/flight/data/README.md``): 38 sites' times and gates of
1,193 flights, and the airlines' own values for 100 of them.

    .venv/bin/python benchmarks/truth/flight.py [--keep DIR] [--seeds 3] [--halves A,B,day]
        [--ceiling] [--day DIR/2011-12-04-data.txt]

``--day`` reads another day of the data set (its ``DATE-data.txt`` beside its
``DATE-truth.txt``, as the authors publish them; only 2011-12-01 is stored here): a day
nothing was chosen on, to check that what was chosen on 2011-12-01 holds on the others.

**Two halves, for an honest protocol.** The gold's 100 flights are split by a fixed hash
of the flight id (:func:`half_of`: the first byte of its SHA-256, even → half ``A``, odd
→ ``B``), so all the items of one flight fall in one half. Constants and methods are
chosen by looking at half ``A`` only (``--halves A`` prints nothing else); half ``B`` is
reported once they are chosen, and the whole day for continuity. The model itself never
sees the gold (except the drawn verdicts): the halves only split the scoring.

1. The sites' values are normalised and imported through the product exactly as
   ``benchmarks/flight/run.py`` does (its code is reused), leaving out the airlines' own
   sites ``aa``, ``ua`` and ``CO``, since the gold was read off them. Every site is F.
2. A majority vote (``benchmarks/flight/methods.py``) is computed in the same run, and
   beside it the same vote with each copy group the model suggests counted once.
3. ``provenance.trust.compute_trust`` learns trust; the answer of an item is its leading
   answer (a tie: the smaller claim id).
   Pooled investment (``pooled.py``, Pasternack & Roth 2010) is scored beside it on the
   same values, alone and with the suggested copy groups as one investor.
4. Desk verdicts: for each seed, 10 % of the gold items are drawn and the claim carrying
   the gold value is made ``preferred`` (``claim prefer``); trust is learned again and
   every method is scored on the other 90 % only. The verdicts are rolled back after
   each seed.

``--keep DIR`` keeps the import and the database; run again with the same ``DIR``, the
database is reused (the import is skipped). ``--set NAME=VALUE`` changes a constant of
``provenance.trust`` for the run. ``--ceiling`` also scores ``ceiling.py``'s two ceilings:
the vote with the sources' accuracies read off the other gold items, and the product with
the desk's verdicts on nine folds of the gold in ten.

The model's constants were set on ``generator.py``'s synthetic worlds before this ran;
nothing here feeds the gold back into them. The report (Markdown) goes to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import ceiling  # noqa: E402
import generator  # noqa: E402
import methods  # noqa: E402
import overturned  # noqa: E402
import pooled  # noqa: E402
import run as flight  # noqa: E402
from sqlalchemy import select  # noqa: E402

from provenance.db import make_engine, session_scope  # noqa: E402
from provenance.models import Claim, Entity, Property  # noqa: E402

VERDICT_SHARE = 0.10


HALVES = ("A", "B")


def half_of(flight_id: str) -> str:
    """The half of the gold a flight is scored in: a fixed hash, never looked at the values."""
    return "A" if hashlib.sha256(flight_id.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def in_half(items, half: str) -> list:
    """The items of ``half`` ("A", "B", or "day" for all of them)."""
    return [i for i in items if half == "day" or half_of(i[0]) == half]


def score(answers: dict, gold: dict, items) -> float:
    items = list(items)
    return sum(answers.get(i) in gold[i] for i in items) / len(items) if items else 0.0


def set_constants(settings: list[str]) -> dict[str, object]:
    """``NAME=VALUE`` pairs set on ``provenance.trust`` (a value of the constant's type)."""
    from provenance import trust

    changed: dict[str, object] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        current = getattr(trust, name)
        if isinstance(current, bool):
            new: object = value.lower() in ("1", "true", "yes")
        elif isinstance(current, tuple):
            # comma-separated names, e.g. VOTE_CHOICES=accu,accu-distinct (empty: none)
            new = tuple(v for v in value.split(",") if v)
        elif isinstance(current, dict):
            # GRADE:VALUE pairs changed in a mapping, e.g. PRIOR_WEIGHT=F:10
            pairs = (pair.split(":", 1) for pair in value.split(","))
            new = {**current, **{k: type(current[k])(v) for k, v in pairs}}
        else:
            new = type(current)(value)
        setattr(trust, name, new)
        changed[name] = new
    return changed


def build_or_reuse(out: Path, observations, sources, clock):
    """The day imported into ``out/flight.db``, or the database a previous run kept there."""
    db = out / "flight.db"
    if (out / "imported").exists() and db.exists():
        flight.say(f"reusing {db}")
        with clock.step("import"):
            engine = make_engine(str(db))
        return engine
    header, claims = flight.write_import(out / "import", observations, sources)
    flight.say("import …")
    engine, _ = flight.build_database(db, header, claims, clock)
    (out / "imported").write_text("the import finished\n", encoding="utf-8")
    return engine


def row(name: str, answers: dict, gold: dict, halves: list[list], bold: bool = False) -> str:
    cells = [f"{score(answers, gold, items):.3f}" for items in halves]
    if bold:
        cells = [f"**{c}**" for c in cells]
    return f"| {name} | " + " | ".join(cells) + " |"


def header(shown: list[str], halves: list[list], whole: str) -> str:
    """The column heads of a score table: each half scored, with its number of items."""
    return " | ".join(
        f"{h} ({len(items)} items)" if h != "day" else f"{whole} ({len(items)} items)"
        for h, items in zip(shown, halves, strict=True)
    )


def learned_answers(engine, clock):
    """Trust learned on the whole database, in a transaction rolled back after: (item →
    leading value, the TrustResult, (subject, property, value) → claim id for verdicts)."""
    with session_scope(engine) as session:
        with clock.step("trust"):
            answers, result = generator.product_answers(session)
        value_claims = {
            (r.subject, r.property, r.value): r.id
            for r in session.execute(
                select(
                    Claim.id,
                    Entity.name.label("subject"),
                    Property.name.label("property"),
                    Claim.value,
                )
                .join(Entity, Entity.id == Claim.subject_id)
                .join(Property, Property.id == Claim.property_id)
            )
        }
        session.rollback()
    return answers, result, value_claims


def arguments(description: str) -> argparse.ArgumentParser:
    """The options of every truth data set's script: ``--keep``, ``--seeds``, ``--halves``,
    ``--ceiling``, ``--set``, ``--overturned``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--keep", metavar="DIR", help="keep the import files and database in DIR")
    parser.add_argument("--seeds", type=int, default=3, help="draws of the 10 %% of verdicts")
    parser.add_argument(
        "--halves",
        default="day,A,B",
        help="the gold items scored: day (all), A, B, comma-separated (tune looking at A only)",
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also score the two ceilings of ceiling.py (the product learns 10 more times)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="run with a constant of provenance.trust changed (e.g. PROPERTY_LEARNING=verdicts)",
    )
    parser.add_argument(
        "--overturned",
        metavar="K,K",
        default="",
        help="also score verdicts on k items `conflicts --overturned` lists, beside k drawn "
        "at random (overturned.py), for each k, e.g. 5,10",
    )
    return parser


def halves_shown(parser: argparse.ArgumentParser, halves: str) -> list[str]:
    """``--halves`` read, or a usage error naming what is accepted."""
    shown = [h.strip() for h in halves.split(",") if h.strip()]
    if not shown or any(h not in ("day", *HALVES) for h in shown):
        parser.error(f"--halves {halves!r}: a comma-separated list of day, A, B")
    return shown


def read_day(parser: argparse.ArgumentParser, day: Path):
    """A day of the data set (``DATE-data.txt`` beside its ``DATE-truth.txt``, or the usage
    error): its sites' observations without the airlines' own, the gold, and the table
    item → value → sites."""
    truth = day.with_name(day.name.replace("-data.txt", "-truth.txt"))
    if not day.name.endswith("-data.txt") or not day.is_file() or not truth.is_file():
        parser.error(f"--day {str(day)!r}: a DATE-data.txt file beside its DATE-truth.txt")
    observations = [
        o for o in flight.read_observations(day)[0] if o.source not in flight.AIRLINE_SITES
    ]
    gold, _ = flight.read_gold(truth)
    return observations, gold, flight.values_by_item(observations)


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument(
        "--by-property", action="store_true", help="also score the votes and trust per property"
    )
    parser.add_argument(
        "--day",
        metavar="DATA",
        type=Path,
        default=flight.DATA,
        help="another day of the data set: its DATE-data.txt, beside its DATE-truth.txt",
    )
    args = parser.parse_args(argv)
    args.overturned = overturned.counts(parser, args.overturned)
    observations, gold, table = read_day(parser, args.day)
    shown = halves_shown(parser, args.halves)
    changed = set_constants(args.set)
    workdir = None if args.keep else tempfile.TemporaryDirectory(prefix="truth-flight-")
    out = Path(args.keep) if args.keep else Path(workdir.name)
    out.mkdir(parents=True, exist_ok=True)

    sources = sorted({o.source for o in observations})
    vote = {i: v for i, (v, _) in methods.vote(table).items()}
    clock = flight.Clock()
    engine = build_or_reuse(out, observations, sources, clock)

    gold_items = sorted(gold)
    halves = [in_half(gold_items, h) for h in shown]
    head = header(shown, halves, "whole day")
    lines = ["## Learned trust on Flight (aa, ua, CO not imported; every site F)", ""]
    if changed:
        lines += ["constants: " + ", ".join(f"{k} = {v!r}" for k, v in changed.items()), ""]
    answers, result, value_claims = learned_answers(engine, clock)
    lines.append(f"| method | {head} |")
    lines.append("|---|" + "---:|" * len(halves))
    lines.append(row("majority vote", vote, gold, halves))
    # the head count with each copy group the trust model suggested counted once, as the
    # model counts it: where the sites of one feed outnumber the feeds, the two differ
    once = methods.origin_of([set(g) for g in result.copy_groups])
    vote_once = {i: v for i, (v, _) in methods.vote(table, origin=once).items()}
    lines.append(row("majority vote, copy groups once", vote_once, gold, halves))
    lines.append(row("learned trust", answers, gold, halves, bold=True))
    # published methods beside it (pooled.py), on the same values, alone and with the
    # copy groups the trust model suggested counted once
    published = {name: method(table, ()) for name, method in pooled.METHODS.items()}
    for name, method in pooled.METHODS.items():
        lines.append(row(name, published[name], gold, halves))
        lines.append(
            row(f"{name}, copy groups once", method(table, result.copy_groups), gold, halves)
        )
    lines.append("")
    if args.by_property:
        scored = (vote, vote_once, answers, published[pooled.PAPER])
        lines += property_lines(table, gold, halves, head, once, scored)
    lines.append(
        f"- {len(gold_items)} gold items; trust: {result.rounds} rounds over "
        f"{result.items:,} items, "
        f"{clock.show('trust')} (import {clock.show('import')})"
    )
    lines.append(copy_groups_line(result))
    lines.append("")
    if args.ceiling:
        learned = {st.slug: st.trust for st in result.sources}
        lines += ceiling.lines(
            table, gold, halves, learned, engine, value_claims, head, flight.ACTOR
        )
    if args.seeds:
        lines += verdict_runs(
            args.seeds,
            engine,
            gold,
            gold_items,
            value_claims,
            vote,
            answers,
            shown,
            clock,
            by_property=args.by_property,
        )
    if args.overturned:
        lines += overturned_lines(
            args.overturned, args.seeds or 1, engine, gold, table, answers, value_claims
        )
    print("\n".join(lines))
    engine.dispose()
    if workdir is not None:
        workdir.cleanup()
    return 0


def vote_units(table, gold: dict, items, origin: dict[str, str]) -> tuple[float, float]:
    """The mean number of vote units (a copy group of ``origin`` one unit, every other site
    one) giving an item's gold value, and giving its most common other value, over
    ``items``."""
    on_gold = on_other = 0
    for item in items:
        units = {v: len({origin.get(s, s) for s in ss}) for v, ss in table[item].items()}
        on_gold += sum(u for v, u in units.items() if v in gold[item])
        on_other += max((u for v, u in units.items() if v not in gold[item]), default=0)
    return on_gold / max(len(items), 1), on_other / max(len(items), 1)


def property_lines(table, gold: dict, halves, head: str, origin, answers) -> list[str]:
    """``--by-property``: each property's score of the vote, the vote with copy groups
    once, learned trust and pooled investment as the paper has it (``answers``, in that
    order), and the vote units behind the gold value and behind the most common other
    value."""
    lines = [f"| property: vote / vote, copy groups once / trust / pooled (paper) | {head} |"]
    lines.append("|---|" + "---:|" * len(halves))
    units = [f"| property: vote units on the gold value / on the most common other | {head} |"]
    units.append("|---|" + "---:|" * len(halves))
    for attribute in flight.ATTRIBUTES:
        cells, counts = [], []
        for items in halves:
            on = [i for i in items if i[1] == attribute]
            scores = (score(m, gold, on) for m in answers)
            cells.append(" / ".join(f"{x:.3f}" for x in scores) + f" ({len(on)})")
            answered = [i for i in on if i in table]
            counts.append("{:.2f} / {:.2f}".format(*vote_units(table, gold, answered, origin)))
        lines.append(f"| {attribute} | " + " | ".join(cells) + " |")
        units.append(f"| {attribute} | " + " | ".join(counts) + " |")
    return [*lines, "", *units, ""]


def with_verdicts(engine, settled, gold, value_claims) -> tuple[dict, int]:
    """The leading answers learned with the desk's verdicts on the ``settled`` items (their
    gold values made ``preferred``, rolled back after), and how many verdicts were set."""
    with session_scope(engine) as session:
        verdicts = ceiling.settle(session, settled, gold, value_claims, flight.ACTOR)
        leaders, _ = generator.product_answers(session)
        session.rollback()
    return leaders, verdicts


def overturned_lines(ks, seeds, engine, gold, table, answers, value_claims) -> list[str]:
    """``--overturned``: verdicts on k overturned gold items beside k random ones."""
    gold_items = sorted(gold)
    found = overturned.overturned_items(table, answers, gold_items)
    scores = overturned.overturned_scores(
        ks,
        seeds,
        gold_items,
        found,
        lambda settled: with_verdicts(engine, settled, gold, value_claims)[0],
        lambda leaders, items: score(leaders, gold, items),
        answers,
        overturned.most_sources_first(table, found),
    )
    return overturned.overturned_runs(scores, len(found), len(gold_items))


def copy_groups_line(result) -> str:
    """The report's line of the copy groups the trust model suggested."""
    groups = "; ".join("{" + ", ".join(g) + "}" for g in result.copy_groups)
    return "- copy groups suggested: " + (groups or "none")


def verdict_runs(
    seeds, engine, gold, gold_items, value_claims, vote, answers, shown, clock, by_property=False
):
    """Desk verdicts on 10 % of the gold items, drawn per seed; scored on the other 90 %
    (``by_property``: also per property, the right answers summed over the seeds)."""
    lines = ["### With desk verdicts on 10 % of the gold items (scored on the other 90 %)", ""]
    lines.append(
        "| seed | verdicts | "
        + " | ".join(f"{h}: vote | {h}: trust | {h}: with verdicts" for h in shown)
        + " |"
    )
    lines.append("|---:|---:|" + "---:|" * (3 * len(shown)))
    totals = [0.0] * (3 * len(shown))
    # (half, property) -> [items, right without verdicts, right with verdicts] over seeds
    per_property: dict[tuple[str, str], list[int]] = {}
    for seed in range(1, seeds + 1):
        rng = random.Random(seed)
        drawn = set(rng.sample(gold_items, round(VERDICT_SHARE * len(gold_items))))
        rest = [i for i in gold_items if i not in drawn]
        with clock.step("trust with verdicts"):
            taught, verdicts = with_verdicts(engine, drawn, gold, value_claims)
        cells = []
        for h in shown:
            items = in_half(rest, h)
            cells += [
                score(vote, gold, items),
                score(answers, gold, items),
                score(taught, gold, items),
            ]
        totals = [t + c for t, c in zip(totals, cells, strict=True)]
        for h in shown:
            for i in in_half(rest, h):
                counts = per_property.setdefault((h, i[1]), [0, 0, 0])
                counts[0] += 1
                counts[1] += answers.get(i) in gold[i]
                counts[2] += taught.get(i) in gold[i]
        lines.append(f"| {seed} | {verdicts} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    lines.append("| mean | | " + " | ".join(f"**{t / seeds:.3f}**" for t in totals) + " |")
    lines.append("")
    if by_property:
        lines.append("| property: trust / with verdicts (all seeds) | " + " | ".join(shown) + " |")
        lines.append("|---|" + "---:|" * len(shown))
        for attribute in flight.ATTRIBUTES:
            cells = []
            for h in shown:
                n, plain, taught_right = per_property.get((h, attribute), [0, 0, 0])
                cells.append(f"{plain / n:.3f} / {taught_right / n:.3f} ({n})" if n else "–")
            lines.append(f"| {attribute} | " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(f"- trust with verdicts: {clock.show('trust with verdicts')} for {seeds} runs")
    return lines


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    flight.say(f"done in {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
