"""Learned source trust on the Flight data set: the leading answer against the gold.

Data: one day (2011-12-01) of the Flight data set of X. Li, X. L. Dong, K. Lyons,
W. Meng, D. Srivastava, "Truth Finding on the Deep Web: Is the Problem Solved?",
PVLDB 6(2), 2013 (``benchmarks/flight/data/README.md``): 38 sites' times and gates of
1,193 flights, and the airlines' own values for 100 of them.

    .venv/bin/python benchmarks/truth/flight.py [--keep DIR] [--seeds 3]

1. The sites' values are normalised and imported through the product exactly as
   ``benchmarks/flight/run.py`` does (its code is reused), leaving out the airlines' own
   sites ``aa``, ``ua`` and ``CO``, since the gold was read off them. Every site is F.
2. A majority vote (``benchmarks/flight/methods.py``) is computed in the same run.
3. ``provenance.trust.compute_trust`` learns trust; the answer of an item is its leading
   answer (a tie: the smaller claim id).
   Pooled investment (``pooled.py``, Pasternack & Roth 2010) is scored beside it on the
   same values, alone and with the suggested copy groups as one investor.
4. Desk verdicts: for each seed, 10 % of the gold items are drawn and the claim carrying
   the gold value is made ``preferred`` (``claim prefer``); trust is learned again and
   every method is scored on the other 90 % only. The verdicts are rolled back after
   each seed.

The model's constants were set on ``generator.py``'s synthetic worlds before this ran;
nothing here feeds the gold back into them. The report (Markdown) goes to stdout.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import generator  # noqa: E402
import methods  # noqa: E402
import pooled  # noqa: E402
import run as flight  # noqa: E402
from sqlalchemy import select  # noqa: E402

from provenance import claims as claimsmod  # noqa: E402
from provenance.db import session_scope  # noqa: E402
from provenance.models import Claim, Entity, Property  # noqa: E402

VERDICT_SHARE = 0.10


def score(answers: dict, gold: dict, items) -> float:
    items = list(items)
    return sum(answers.get(i) in gold[i] for i in items) / len(items)


def set_constants(settings: list[str]) -> dict[str, object]:
    """``NAME=VALUE`` pairs set on ``provenance.trust`` (a value of the constant's type)."""
    from provenance import trust

    changed: dict[str, object] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        current = getattr(trust, name)
        if isinstance(current, bool):
            new: object = value.lower() in ("1", "true", "yes")
        else:
            new = type(current)(value)
        setattr(trust, name, new)
        changed[name] = new
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="keep the import files and database in DIR")
    parser.add_argument("--seeds", type=int, default=3, help="draws of the 10 %% of verdicts")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="run with a constant of provenance.trust changed (e.g. PROPERTY_LEARNING=verdicts)",
    )
    args = parser.parse_args(argv)
    changed = set_constants(args.set)
    workdir = None if args.keep else tempfile.TemporaryDirectory(prefix="truth-flight-")
    out = Path(args.keep) if args.keep else Path(workdir.name)
    out.mkdir(parents=True, exist_ok=True)

    all_observations, _, _ = flight.read_observations()
    gold, _ = flight.read_gold()
    observations = [o for o in all_observations if o.source not in flight.AIRLINE_SITES]
    sources = sorted({o.source for o in observations})
    table = flight.values_by_item(observations)
    vote = {i: v for i, (v, _) in methods.vote(table).items()}
    header, claims = flight.write_import(out / "import", observations, sources)
    clock = flight.Clock()
    flight.say("import …")
    engine, _ = flight.build_database(out / "flight.db", header, claims, clock)

    gold_items = sorted(gold)
    lines = ["## Learned trust on Flight (aa, ua, CO not imported; every site F)", ""]
    if changed:
        lines += ["constants: " + ", ".join(f"{k} = {v!r}" for k, v in changed.items()), ""]
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
    lines.append("| method | all gold items |")
    lines.append("|---|---:|")
    lines.append(f"| majority vote | {score(vote, gold, gold_items):.3f} |")
    lines.append(f"| learned trust | **{score(answers, gold, gold_items):.3f}** |")
    # a published method beside it (pooled.py), on the same values, alone and with the
    # copy groups the trust model suggested counted once
    investment = pooled.pooled_investment(table)
    investment_once = pooled.pooled_investment(table, result.copy_groups)
    lines.append(f"| pooled investment | {score(investment, gold, gold_items):.3f} |")
    lines.append(
        f"| pooled investment, copy groups once | {score(investment_once, gold, gold_items):.3f} |"
    )
    lines.append("")
    lines.append(
        f"- {len(gold_items)} gold items; trust: {result.rounds} rounds over "
        f"{result.items:,} items, "
        f"{clock.show('trust')} (import {clock.show('import')})"
    )
    lines.append(
        "- copy groups suggested: "
        + ("; ".join("{" + ", ".join(g) + "}" for g in result.copy_groups) or "none")
    )
    lines.append("")
    lines.append("### With desk verdicts on 10 % of the gold items (scored on the other 90 %)")
    lines.append("")
    lines.append("| seed | verdicts | scored | majority vote | learned trust | with verdicts |")
    lines.append("|---:|---:|---:|---:|---:|---:|")
    totals = [0.0, 0.0, 0.0]
    for seed in range(1, args.seeds + 1):
        rng = random.Random(seed)
        drawn = set(rng.sample(gold_items, round(VERDICT_SHARE * len(gold_items))))
        rest = [i for i in gold_items if i not in drawn]
        with session_scope(engine) as session:
            verdicts = 0
            for flight_id, attribute in sorted(drawn):
                for value in sorted(gold[(flight_id, attribute)]):
                    claim_id = value_claims.get((flight_id, attribute, value))
                    if claim_id is not None:
                        claim = session.get(Claim, claim_id)
                        claimsmod.set_rank(session, claim, "preferred", flight.ACTOR)
                        verdicts += 1
                        break
            session.flush()
            with clock.step("trust with verdicts"):
                taught, _ = generator.product_answers(session)
            session.rollback()
        row = (score(vote, gold, rest), score(answers, gold, rest), score(taught, gold, rest))
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        lines.append(
            f"| {seed} | {verdicts} | {len(rest)} | {row[0]:.3f} | {row[1]:.3f} "
            f"| **{row[2]:.3f}** |"
        )
    mean = [t / args.seeds for t in totals]
    lines.append(f"| mean | | | {mean[0]:.3f} | {mean[1]:.3f} | **{mean[2]:.3f}** |")
    lines.append("")
    lines.append(
        f"- trust with verdicts: {clock.show('trust with verdicts')} for {args.seeds} runs"
    )
    print("\n".join(lines))
    engine.dispose()
    if workdir is not None:
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    flight.say(f"done in {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
