"""Learned trust on synthetic worlds: precision beside a vote, and the cost at scale.

    .venv/bin/python benchmarks/truth/synthetic_run.py quality [--worlds 5]
    .venv/bin/python benchmarks/truth/synthetic_run.py tune [--worlds 3] [--grid learning|verdicts]
    .venv/bin/python benchmarks/truth/synthetic_run.py scale 10000 100000 [1000000]

``quality`` imports worlds of ``generator.py`` (each its own seed) through the product and
scores the leading answers against the known truth beside a majority vote, without and
with desk verdicts on 10 % of the items (``claim prefer`` on the true value; scored on the
other 90 %). This is where the model's constants were chosen.

``tune`` builds the same worlds once (the default one and a hard one: few sources, weak
ones copied) and scores a small grid of the model's constants on them: how the constants
in ``provenance.trust`` were chosen.

``scale`` imports one world of about N citations into SQLite and times
``compute_trust`` (wall and CPU seconds of this process, which runs SQLite) and the
peak resident memory of the process before and after it.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generator  # noqa: E402
from sqlalchemy import select  # noqa: E402

from provenance import claims as claimsmod  # noqa: E402
from provenance.db import make_engine, migrate, session_scope  # noqa: E402
from provenance.importer import import_file  # noqa: E402
from provenance.models import Claim, Entity, Property  # noqa: E402

ACTOR = "truth-benchmark"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(folder: Path, spec: generator.Spec):
    world = generator.generate(folder, spec)
    engine = make_engine(str(folder / "world.db"), create=True)
    migrate(engine)
    for name in ("header.yaml", "claims.csv"):
        with session_scope(engine) as session:
            import_file(session, folder / name, ACTOR)
    return world, engine


def prefer_truth(session, world: generator.World, items) -> int:
    ids = {
        (r.subject, r.property, r.value): r.id
        for r in session.execute(
            select(
                Claim.id, Entity.name.label("subject"), Property.name.label("property"), Claim.value
            )
            .join(Entity, Entity.id == Claim.subject_id)
            .join(Property, Property.id == Claim.property_id)
        )
    }
    done = 0
    for subject, prop in items:
        claim_id = ids.get((subject, prop, world.truth[(subject, prop)]))
        if claim_id is not None:
            claimsmod.set_rank(session, session.get(Claim, claim_id), "preferred", ACTOR)
            done += 1
    session.flush()
    return done


def quality(worlds: int) -> None:
    print(
        "| world | citations | vote | learned trust | vote (90 %) | trust (90 %) "
        "| with verdicts (90 %) | ranking ρ | copies grouped |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    sums = [0.0] * 5
    for seed in range(1, worlds + 1):
        spec = generator.Spec(seed=seed)
        with tempfile.TemporaryDirectory() as folder:
            world, engine = build(Path(folder), spec)
            with session_scope(engine) as session:
                answers, result = generator.product_answers(session)
                session.rollback()
            items = sorted(world.truth)
            drawn = set(random.Random(seed).sample(items, len(items) // 10))
            rest = [i for i in items if i not in drawn]
            with session_scope(engine) as session:
                prefer_truth(session, world, sorted(drawn))
                taught, _ = generator.product_answers(session)
                session.rollback()
            engine.dispose()
        vote = generator.majority_vote(world.table)
        learned = {s.slug: s.trust for s in result.sources}
        observed = world.observed_accuracy()
        rho = spearman([observed[s] for s in learned], list(learned.values()))
        grouped = sum(
            any(copier in g and original in g for g in result.copy_groups)
            for copier, original in world.copies.items()
        )
        row = [
            generator.precision(vote, world.truth),
            generator.precision(answers, world.truth),
            generator.precision(vote, world.truth, rest),
            generator.precision(answers, world.truth, rest),
            generator.precision(taught, world.truth, rest),
        ]
        sums = [a + b for a, b in zip(sums, row, strict=True)]
        print(
            f"| {seed} | {world.citations:,} | "
            + " | ".join(f"{x:.3f}" for x in row)
            + f" | {rho:.3f} | {grouped} of {len(world.copies)} |",
            flush=True,
        )
    print("| mean | | " + " | ".join(f"**{x / worlds:.3f}**" for x in sums) + " | | |")


HARD = {"sources": 8, "copiers": 4, "accuracy_range": (0.2, 0.85), "subjects": 300}
# sources whose accuracy differs much between properties (right on one, wrong on another)
SPREAD = {"sources": 10, "copiers": 2, "property_spread": 0.35, "subjects": 300}
KINDS = (("default", {}), ("hard", HARD), ("spread", SPREAD))
GRID = {
    "PROPERTY_LEARNING": ("verdicts", "agreement", "down"),
    "COUNT_COPIES_ONCE": (False, True),
}
# a second grid (--grid verdicts): how much a verdict weighs against agreement
GRIDS = {
    "learning": GRID,
    "verdicts": {"PROPERTY_LEARNING": ("verdicts", "agreement"), "VERDICT_WEIGHT": (3.0, 20.0)},
}


def tune(worlds: int, grid: str = "learning") -> None:
    import itertools

    GRID = GRIDS[grid]
    from provenance import trust

    built = []
    folders = []
    for kind, extra in KINDS:
        for seed in range(1, worlds + 1):
            folder = tempfile.TemporaryDirectory()
            folders.append(folder)
            world, engine = build(Path(folder.name), generator.Spec(seed=seed, **extra))
            items = sorted(world.truth)
            drawn = sorted(random.Random(seed).sample(items, len(items) // 10))
            rest = [i for i in items if i not in set(drawn)]
            built.append((kind, world, engine, drawn, rest))
    say(f"{len(built)} worlds built")
    names = list(GRID)
    saved = {n: getattr(trust, n) for n in names}
    print(
        "| "
        + " | ".join(names)
        + "".join(f" | {kind}: trust | with verdicts" for kind, _ in KINDS)
        + " |"
    )
    print("|" + "---:|" * (len(names) + 2 * len(KINDS)))
    for values in itertools.product(*GRID.values()):
        for name, value in zip(names, values, strict=True):
            setattr(trust, name, value)
        sums: dict[str, list[float]] = {kind: [0.0, 0.0] for kind, _ in KINDS}
        for kind, world, engine, drawn, rest in built:
            with session_scope(engine) as session:
                answers, _ = generator.product_answers(session)
                prefer_truth(session, world, drawn)
                taught, _ = generator.product_answers(session)
                session.rollback()
            sums[kind][0] += generator.precision(answers, world.truth, rest) / worlds
            sums[kind][1] += generator.precision(taught, world.truth, rest) / worlds
        print(
            "| "
            + " | ".join(str(v) for v in values)
            + " | "
            + " | ".join(f"{x:.4f}" for kind, _ in KINDS for x in sums[kind])
            + " |",
            flush=True,
        )
    for name, value in saved.items():
        setattr(trust, name, value)
    votes = {
        kind: sum(
            generator.precision(generator.majority_vote(w.table), w.truth, rest)
            for k, w, _, _, rest in built
            if k == kind
        )
        / worlds
        for kind, _ in KINDS
    }
    print(
        "\nmajority vote on the same 90 %: "
        + ", ".join(f"{kind} {share:.4f}" for kind, share in votes.items())
    )
    for _, _, engine, _, _ in built:
        engine.dispose()
    for folder in folders:
        folder.cleanup()


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(xs: list[float]) -> list[float]:
        order = sorted(range(len(xs)), key=xs.__getitem__)
        r = [0.0] * len(xs)
        for position, index in enumerate(order):
            r[index] = float(position)
        return r

    ra, rb = ranks(a), ranks(b)
    n = len(a)
    return 1 - 6 * sum((x - y) ** 2 for x, y in zip(ra, rb, strict=True)) / (n * (n * n - 1))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(sizes: list[int]) -> None:
    from provenance import trust

    print(
        "| citations | items | sources | import | trust: wall | trust: CPU | rounds "
        "| of which copy detection | peak RSS before → after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        # about 21.6 citations an item with these settings
        spec = generator.Spec(
            sources=30, copiers=6, properties=4, subjects=max(1, round(size / 86.4)), seed=7
        )
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            world, engine = build(Path(folder), spec)
            imported = time.perf_counter() - start
            before = peak_mb()
            with session_scope(engine) as session:
                wall, cpu = time.perf_counter(), time.process_time()
                result = trust.compute_trust(session, public_only=False)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                session.rollback()
            engine.dispose()
        print(
            f"| {world.citations:,} | {result.items:,} | {len(world.accuracy)} "
            f"| {imported:.0f} s | "
            f"{wall:.1f} s | {cpu:.1f} s | {result.rounds} | {result.seconds['copies']:.1f} s "
            f"| {before:.0f} → {peak_mb():.0f} MB |",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--worlds", type=int, default=5)
    t = sub.add_parser("tune")
    t.add_argument("--worlds", type=int, default=3)
    t.add_argument("--grid", choices=sorted(GRIDS), default="learning")
    s = sub.add_parser("scale")
    s.add_argument("sizes", type=int, nargs="+")
    args = parser.parse_args()
    if args.what == "quality":
        quality(args.worlds)
    elif args.what == "tune":
        tune(args.worlds, args.grid)
    else:
        scale(args.sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
