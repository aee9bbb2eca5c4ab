"""Learned trust on synthetic worlds: precision beside a vote, and the cost at scale.

    .venv/bin/python benchmarks/truth/synthetic_run.py quality [--worlds 5]
    .venv/bin/python benchmarks/truth/synthetic_run.py tune [--worlds 3] [--grid learning|verdicts]
    .venv/bin/python benchmarks/truth/synthetic_run.py compare [--worlds 2] [--kinds K,..]
        [--configs C,..] [--overturned K,..] [--seeds 3]
    .venv/bin/python benchmarks/truth/synthetic_run.py scale 10000 100000 [1000000] [--config C]
        [--lists]
    .venv/bin/python benchmarks/truth/synthetic_run.py alone DB [--cache-kib K] [--config C]

``quality`` imports worlds of ``generator.py`` (each its own seed) through the product and
scores the leading answers against the known truth beside a majority vote, without and
with desk verdicts on 10 % of the items (``claim prefer`` on the true value; scored on the
other 90 %). This is where the model's constants were chosen.

``tune`` builds the same worlds once (the default one and a hard one: few sources, weak
ones copied) and scores a small grid of the model's constants on them: how the constants
in ``provenance.trust`` were chosen.

``compare`` scores named settings of the model (``CONFIGS``) side by side on the worlds
of ``generator.WORLDS`` (shared error, long tail, numeric, copiers of a bad source …),
beside a majority vote and pooled investment on the same values. With ``--overturned``,
a second table: each setting with desk verdicts on ``k`` items ``conflicts --overturned``
would list (learned trust against the head count; every source is graded alike, so that
is fewer sources giving the leader than another value: ``overturned.py``) beside ``k``
items drawn at random, means of ``--seeds`` draws, and beside the first ``k`` overturned
items the most sources answer, each scored on the items not settled. In a world
where nothing is overturned the desk has nothing to settle there, and the figure is
learned trust's alone.

``scale`` imports one world of about N citations into SQLite and times
``compute_trust`` (wall and CPU seconds of this process, which runs SQLite) and the
peak resident memory of the process before and after it; then again in a fresh process
that only opens the database and computes trust (``alone``: what ``conflicts`` adds), so
the generator's and the import's memory do not hide the model's.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generator  # noqa: E402
import overturned  # noqa: E402  (benchmarks/truth/overturned.py)
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
            taught = learned_with(engine, world)(drawn)
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


HARD = generator.WORLDS["hard"]
SPREAD = generator.WORLDS["spread"]
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


def F_WEIGHT(weight: float) -> dict[str, float]:
    """The grades' prior weights with F's (ungraded) set to ``weight``."""
    from provenance import trust

    return {**trust.PRIOR_WEIGHT, "F": weight}


# the settings ``compare`` scores side by side: name → constants of provenance.trust
CONFIGS: dict[str, dict[str, object]] = {
    "shipped": {},
    "per-property-agreement": {"PROPERTY_LEARNING": "agreement"},
    "F-population": {"UNGRADED_PRIOR": "population"},
    "F-population-weight-10": {"UNGRADED_PRIOR": "population", "PRIOR_WEIGHT": F_WEIGHT(10.0)},
    "F-weight-10": {"PRIOR_WEIGHT": F_WEIGHT(10.0)},
    "F-grade": {"UNGRADED_PRIOR": "grade"},
    "F-by-size": {"UNGRADED_PRIOR": "by-size"},
    "F-by-size-weight-5": {"UNGRADED_PRIOR": "by-size", "PRIOR_WEIGHT": F_WEIGHT(5.0)},
    "F-by-size-peers-0": {"UNGRADED_PRIOR": "by-size", "PEER_WEIGHT": 0.0},
    "hardness-contest": {"HARDNESS": "contest"},
    "copy-share-0.95": {"COPY_SHARE": 0.95},
    "verdict-weight-3": {"VERDICT_WEIGHT": 3.0},
    "verdict-weight-3-no-guard": {"VERDICT_WEIGHT": 3.0, "GUARD_MIN_ITEMS": 0},
    "verdict-weight-10": {"VERDICT_WEIGHT": 10.0},
    "verdict-weight-20": {"VERDICT_WEIGHT": 20.0},
    "credit-without-own-vote": {"CREDIT": "without-own-vote"},
    "no-guard": {"GUARD_MIN_ITEMS": 0},
    "guard-alpha-0.25": {"GUARD_ALPHA": 0.25},
    "guard-alpha-0.1": {"GUARD_ALPHA": 0.1},
    "guard-fallback-copies": {"GUARD_FALLBACK": "verdicts-copies"},
    "guard-fallback-settled-copies": {"GUARD_FALLBACK": "verdicts-settled-copies"},
    "soft-dependence": {"DEPENDENCE": "soft"},
    "soft-dependence-by-property": {"DEPENDENCE": "soft", "DEPENDENCE_BY_PROPERTY": True},
    "soft-dependence-n3": {"DEPENDENCE": "soft", "DEPENDENCE_N_FALSE": 3},
    "dependence-off": {"DEPENDENCE": "off"},
    "dependence-copy-rate": {"DEPENDENCE_VOTE": "copy-rate"},
    "dependence-accuracy-property": {"DEPENDENCE_ACCURACY": "property"},
    "dependence-false-distinct": {"DEPENDENCE_FALSE_VALUES": "distinct"},
    "dependence-shared-by-property": {"DEPENDENCE_SHARED": "property"},
    "verdict-scope-property": {"VERDICT_SCOPE": "property"},
    "verdicts-teach-disputed": {"VERDICTS_TEACH": "disputed"},
    "dependence-from-settled": {"DEPENDENCE_FROM": "settled"},
    "soft-dependence-relearn": {"DEPENDENCE": "soft", "DEPENDENCE_RELEARN": True},
    "soft-dependence-scored-only": {"DEPENDENCE": "soft", "DEPENDENCE_RELEARN": False},
    "leave-out-0.9": {"LEAVE_OUT_SHARE": 0.9},
    "leave-out-0.8": {"LEAVE_OUT_SHARE": 0.8},
    "leave-out-0.7": {"LEAVE_OUT_SHARE": 0.7},
    "leave-out-0.95": {"LEAVE_OUT_SHARE": 0.95},
    "n-false-30": {"N_FALSE": 30},
    "n-false-100": {"N_FALSE": 100},
    "teach-independent": {"TEACH": "independent"},
    "teach-cluster": {"TEACH": "cluster"},
    "silent-share-teach-F-grade": {"SILENT_DEPENDENCE": "share-teach", "UNGRADED_PRIOR": "grade"},
    "teach-cluster-F-weight-10": {"TEACH": "cluster", "PRIOR_WEIGHT": F_WEIGHT(10.0)},
    "near-0.01": {"NEAR_SHARE": 0.01},
    "near-0.05": {"NEAR_SHARE": 0.05},
    "near-0.05-decay-0.01": {"NEAR_SHARE": 0.05, "NEAR_DECAY": 0.01},
    "near-0.1-decay-0.02": {"NEAR_SHARE": 0.1, "NEAR_DECAY": 0.02},
    "near-0.02-decay-0.01": {"NEAR_SHARE": 0.02, "NEAR_DECAY": 0.01},
    "near-0.1-decay-0.01": {"NEAR_SHARE": 0.1, "NEAR_DECAY": 0.01},
    "near-dates": {"NEAR_DATE_STEPS": 1.0},
    "near-dates-score-only": {"NEAR_DATE_STEPS": 1.0, "NEAR_DATE_CREDIT": False},
    "per-property-agreement-weight-100": {
        "PROPERTY_LEARNING": "agreement",
        "PROPERTY_WEIGHT": 100.0,
    },
    "per-property-agreement-weight-300": {
        "PROPERTY_LEARNING": "agreement",
        "PROPERTY_WEIGHT": 300.0,
    },
    "ceiling-0.9": {"ACCURACY_CEILING": 0.9},
    "ceiling-0.95": {"ACCURACY_CEILING": 0.95},
    "lists-off": {"LIST_IMPLICATION": 0.0},
    "lists-1-every-part": {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 0.0},
    "lists-0.5-every-part": {"LIST_IMPLICATION": 0.5, "LIST_HABIT": 0.0},
    "lists-1-every-part-by-size": {
        "LIST_IMPLICATION": 1.0,
        "LIST_HABIT": 0.0,
        "LIST_BY_SIZE": True,
    },
    "lists-1-every-part-credit": {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 0.0, "LIST_CREDIT": True},
    "lists-1-habit-0.5": {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 0.5},
    "lists-1-habit-2": {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 2.0},
    "lists-1-habit-5": {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 5.0},
    "lists-1-habit-10": {"LIST_IMPLICATION": 1.0, "LIST_HABIT": 10.0},
    "lists-0.5-habit-2": {"LIST_IMPLICATION": 0.5, "LIST_HABIT": 2.0},
    "lists-pooled": {"LIST_HABIT_TOWARD": "pooled"},
    "lists-transfer": {"LIST_TRANSFER": True},
    "lists-pooled-transfer": {"LIST_HABIT_TOWARD": "pooled", "LIST_TRANSFER": True},
    "lists-pooled-transfer-habit-0.5": {
        "LIST_HABIT_TOWARD": "pooled",
        "LIST_TRANSFER": True,
        "LIST_HABIT": 0.5,
    },
    "lists-pooled-transfer-habit-5": {
        "LIST_HABIT_TOWARD": "pooled",
        "LIST_TRANSFER": True,
        "LIST_HABIT": 5.0,
    },
    "lists-transfer-every-part": {"LIST_TRANSFER": True, "LIST_HABIT": 0.0},
    "lists-leave-out": {"LIST_HABIT_LEAVE_OUT": True},
    "lists-transfer-with-part": {"LIST_TRANSFER": True, "LIST_TRANSFER_SPLIT": "part-and-wholes"},
    "lists-pooled-transfer-with-part": {
        "LIST_HABIT_TOWARD": "pooled",
        "LIST_TRANSFER": True,
        "LIST_TRANSFER_SPLIT": "part-and-wholes",
    },
    "lists-transfer-with-part-leave-out": {
        "LIST_TRANSFER": True,
        "LIST_TRANSFER_SPLIT": "part-and-wholes",
        "LIST_HABIT_LEAVE_OUT": True,
    },
    "lists-2-habit-2": {"LIST_IMPLICATION": 2.0},
    "lists-2-habit-2-leave-out": {"LIST_IMPLICATION": 2.0, "LIST_HABIT_LEAVE_OUT": True},
    "lists-1.5-habit-2": {"LIST_IMPLICATION": 1.5},
    "lists-pooled-leave-out": {"LIST_HABIT_TOWARD": "pooled", "LIST_HABIT_LEAVE_OUT": True},
    "lists-transfer-leave-out": {"LIST_TRANSFER": True, "LIST_HABIT_LEAVE_OUT": True},
    "lists-pooled-transfer-leave-out": {
        "LIST_HABIT_TOWARD": "pooled",
        "LIST_TRANSFER": True,
        "LIST_HABIT_LEAVE_OUT": True,
    },
    "popaccu": {"VOTE": "popaccu"},
    "popaccu-pseudo-0.1": {"VOTE": "popaccu", "POP_PSEUDO": 0.1},
    "popaccu-pseudo-1": {"VOTE": "popaccu", "POP_PSEUDO": 1.0},
    "popaccu-pseudo-3": {"VOTE": "popaccu", "POP_PSEUDO": 3.0},
    "popaccu-pseudo-10": {"VOTE": "popaccu", "POP_PSEUDO": 10.0},
    "popaccu-after-accu": {"VOTE": "popaccu", "VOTE_START": "accu"},
    "popaccu-pseudo-1-after-accu": {"VOTE": "popaccu", "POP_PSEUDO": 1.0, "VOTE_START": "accu"},
    "accu-distinct": {"VOTE": "accu-distinct"},
    "accu-distinct-after-accu": {"VOTE": "accu-distinct", "VOTE_START": "accu"},
    "vote-choice": {"VOTE_CHOICES": ("accu", "accu-distinct"), "VOTE_CHOICE_Z": 1.0},
    "vote-choice-z2": {"VOTE_CHOICES": ("accu", "accu-distinct"), "VOTE_CHOICE_Z": 2.0},
    "vote-choice-folds": {
        "VOTE_CHOICES": ("accu", "accu-distinct"),
        "VOTE_CHOICE_Z": 1.0,
        "VOTE_CHOICE_BY": "folds",
    },
    "vote-choice-folds-z2": {
        "VOTE_CHOICES": ("accu", "accu-distinct"),
        "VOTE_CHOICE_Z": 2.0,
        "VOTE_CHOICE_BY": "folds",
    },
    "vote-choice-popaccu": {"VOTE_CHOICES": ("accu", "popaccu"), "POP_PSEUDO": 1.0},
    "vote-choice-popaccu-folds-z2": {
        "VOTE_CHOICES": ("accu", "popaccu"),
        "POP_PSEUDO": 1.0,
        "VOTE_CHOICE_Z": 2.0,
        "VOTE_CHOICE_BY": "folds",
    },
    "no-vote-choice": {"VOTE_CHOICES": ()},
    "silent-share": {"SILENT_DEPENDENCE": "share"},
    "silent-share-teach": {"SILENT_DEPENDENCE": "share-teach"},
    "silent-share-teach-few-3": {"SILENT_DEPENDENCE": "share-teach", "SILENT_MAX_ORIGINALS": 3},
    "silent-share-teach-few-2": {"SILENT_DEPENDENCE": "share-teach", "SILENT_MAX_ORIGINALS": 2},
    "silent-share-teach-few-1": {"SILENT_DEPENDENCE": "share-teach", "SILENT_MAX_ORIGINALS": 1},
    "silent-share-teach-raw": {"SILENT_DEPENDENCE": "share-teach", "SILENT_BASELINE": "none"},
}


def true_accuracy_ceilings(world: generator.World) -> dict[str, dict]:
    """Two ceilings of the model's family on a world whose truth is known (ceiling.py):
    ACCU's vote with every source's true accuracy, and the same with the planted
    copiers left out (item → value; an item only copiers answer has none)."""
    import ceiling

    def true_accuracy(value: str, source: str) -> float:
        return world.accuracy[source]

    ceilings: dict[str, dict] = {
        "ceiling: true accuracies": {},
        "ceiling: true accuracies, copiers left out": {},
    }
    for item, values in world.table.items():
        for answers, left_out in zip(ceilings.values(), ((), world.copies), strict=True):
            answer = ceiling.accu_vote(values, true_accuracy, left_out=left_out)
            if answer is not None:
                answers[item] = answer
    return ceilings


def compare(
    kinds: list[str],
    worlds: int,
    configs: list[str],
    ks: list[int] | None = None,
    seeds: int = 3,
) -> None:
    """Every named setting on the same worlds, beside a vote and pooled investment.

    Precision on the 90 % of items without a verdict (and on all, without verdicts), means
    over ``worlds`` seeds of each kind; with ``ks``, verdicts on ``k`` overturned items.
    """
    import pooled

    from provenance import trust

    saved = {name: getattr(trust, name) for c in configs for name in CONFIGS[c]}
    rows: dict[tuple[str, str], list[float]] = {}
    settled_rows: dict[tuple[str, str, int], list[float]] = {}
    for kind in kinds:
        for seed in range(1, worlds + 1):
            with tempfile.TemporaryDirectory() as folder:
                world, engine = build(
                    Path(folder), generator.Spec(seed=seed, **generator.WORLDS[kind])
                )
                items = sorted(world.truth)
                drawn = sorted(random.Random(seed).sample(items, len(items) // 10))
                rest = [i for i in items if i not in set(drawn)]

                def add(name: str, values: list[float], kind: str = kind) -> None:
                    sums = rows.setdefault((kind, name), [0.0] * len(values))
                    for n, v in enumerate(values):
                        sums[n] += v / worlds

                def right(answers: dict, items=None, world=world) -> float:
                    return generator.precision(answers, world.truth, items, world.also_right)

                vote = generator.majority_vote(world.table)
                add("majority vote", [right(vote), right(vote, rest), float("nan")])
                for name, answers in true_accuracy_ceilings(world).items():
                    add(name, [right(answers), right(answers, rest), float("nan")])
                for name, method in pooled.METHODS.items():
                    add(name, [right(method(world.table, ())), float("nan"), float("nan")])
                for config in configs:
                    for name, value in CONFIGS[config].items():
                        setattr(trust, name, value)
                    with session_scope(engine) as session:
                        answers, _ = generator.product_answers(session)
                        session.rollback()
                    taught = learned_with(engine, world)(set(drawn))
                    if ks:
                        found = overturned.overturned_items(world.table, answers, items)
                        for k, plain, randomly, chosen, first in overturned.overturned_scores(
                            ks,
                            seeds,
                            items,
                            found,
                            learned_with(engine, world),
                            right,
                            answers,
                            overturned.most_sources_first(world.table, found),
                        ):
                            # nothing overturned: nothing to settle, trust alone
                            values = (len(found), plain, randomly, chosen, first)
                            sums = settled_rows.setdefault((kind, config, k), [0.0] * 5)
                            for n, v in enumerate(values):
                                sums[n] += (plain if v is None else v) / worlds
                    for name, value in saved.items():
                        setattr(trust, name, value)
                    add(config, [right(answers), right(answers, rest), right(taught, rest)])
                engine.dispose()
            say(f"{kind} {seed} done")
    print("| world | method | all items | 90 % | 90 %, verdicts on 10 % |")
    print("|---|---|---:|---:|---:|")
    for (kind, name), values in rows.items():
        cells = " | ".join("" if v != v else f"{v:.3f}" for v in values)
        print(f"| {kind} | {name} | {cells} |", flush=True)
    if settled_rows:
        print()
        print(
            "| world | method | overturned items | k | trust | k verdicts at random "
            "| k verdicts on overturned items | on the k overturned items most sources answer |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for (kind, name, k), (found, plain, randomly, chosen, first) in settled_rows.items():
            print(
                f"| {kind} | {name} | {found:.1f} | {k} | {plain:.3f} | {randomly:.3f} "
                f"| {chosen:.3f} | {first:.3f} |",
                flush=True,
            )


def learned_with(engine, world: generator.World):
    """``settled`` items → the leading answers learned with the true value preferred on
    each (rolled back: the world is left as it was)."""

    def taught(settled: set) -> dict:
        with session_scope(engine) as session:
            prefer_truth(session, world, sorted(settled))
            answers, _ = generator.product_answers(session)
            session.rollback()
        return answers

    return taught


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
                session.rollback()
            taught = learned_with(engine, world)(set(drawn))
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


def scale(sizes: list[int], config: str = "shipped", lists: bool = False) -> None:
    """One world of about each size: trust's wall and CPU time, rounds and memory, with the
    settings ``config`` names (``CONFIGS``), in this process and in a fresh one.

    ``lists``: every value a list (``generator.Spec.lists``), and trust timed again with
    lists implying nothing (``LIST_IMPLICATION = 0``) on the same database."""
    from provenance import trust

    for name, value in CONFIGS[config].items():
        setattr(trust, name, value)

    print(
        "| citations | items | sources | import | trust: wall | trust: CPU | rounds "
        "| of which copy detection | peak RSS before → after "
        "| alone: CPU, peak RSS before → after |" + (" lists off: CPU, rounds |" if lists else "")
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if lists else ""))
    for size in sizes:
        # about 21.6 citations an item with these settings
        spec = generator.Spec(
            sources=30,
            copiers=6,
            properties=4,
            subjects=max(1, round(size / 86.4)),
            seed=7,
            lists=lists,
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
            off = ""
            if lists:
                saved = trust.LIST_IMPLICATION
                trust.LIST_IMPLICATION = 0.0
                with session_scope(engine) as session:
                    off_cpu = time.process_time()
                    off_result = trust.compute_trust(session, public_only=False)
                    off = f" {time.process_time() - off_cpu:.1f} s, {off_result.rounds} |"
                    session.rollback()
                trust.LIST_IMPLICATION = saved
            engine.dispose()
            after = peak_mb()
            fresh = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "alone",
                    str(Path(folder) / "world.db"),
                    "--config",
                    config,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        print(
            f"| {world.citations:,} | {result.items:,} | {len(world.accuracy)} "
            f"| {imported:.0f} s | "
            f"{wall:.1f} s | {cpu:.1f} s | {result.rounds} | {result.seconds['copies']:.1f} s "
            f"| {before:.0f} → {after:.0f} MB | {fresh} |{off}",
            flush=True,
        )


def high_water_mb() -> float:
    """This process's peak resident memory since it started its program (``VmHWM``: unlike
    ``ru_maxrss``, not inherited from the process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_mb()


def alone(db: str, cache_kib: int | None, config: str = "shipped") -> None:
    """Trust on ``db`` in this fresh process: its CPU seconds and peak RSS before → after."""
    from provenance import trust

    for name, value in CONFIGS[config].items():
        setattr(trust, name, value)
    if cache_kib is not None:
        trust.CACHE_KIB = cache_kib
    engine = make_engine(db)
    with session_scope(engine) as session:
        session.connection()
        before, cpu = high_water_mb(), time.process_time()
        trust.compute_trust(session, public_only=False)
        cpu = time.process_time() - cpu
        session.rollback()
    engine.dispose()
    print(f"{cpu:.1f} s, {before:.0f} → {high_water_mb():.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--worlds", type=int, default=5)
    t = sub.add_parser("tune")
    t.add_argument("--worlds", type=int, default=3)
    t.add_argument("--grid", choices=sorted(GRIDS), default="learning")
    c = sub.add_parser("compare")
    c.add_argument("--worlds", type=int, default=2)
    c.add_argument("--kinds", default=",".join(generator.WORLDS))
    c.add_argument("--configs", default=",".join(CONFIGS))
    c.add_argument(
        "--overturned",
        default="",
        help="also score verdicts on k overturned items beside k at random, e.g. 5,10",
    )
    c.add_argument("--seeds", type=int, default=3, help="draws of the --overturned runs")
    s = sub.add_parser("scale")
    s.add_argument("sizes", type=int, nargs="+")
    s.add_argument("--config", choices=sorted(CONFIGS), default="shipped")
    s.add_argument("--lists", action="store_true", help="every value a list of names")
    a = sub.add_parser("alone")
    a.add_argument("db")
    a.add_argument("--cache-kib", type=int, default=None)
    a.add_argument("--config", choices=sorted(CONFIGS), default="shipped")
    args = parser.parse_args(argv)
    if args.what == "quality":
        quality(args.worlds)
    elif args.what == "compare":
        ks = overturned.counts(parser, args.overturned) if args.overturned else None
        compare(args.kinds.split(","), args.worlds, args.configs.split(","), ks, args.seeds)
    elif args.what == "tune":
        tune(args.worlds, args.grid)
    elif args.what == "alone":
        alone(args.db, args.cache_kib, args.config)
    else:
        scale(args.sizes, args.config, args.lists)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
