"""Where learned trust's rounds start, on a day of Flight: from the grades, or elsewhere.

    .venv/bin/python benchmarks/truth/flight_start.py --day DIR/DATE-data.txt --keep DIR
        [--start grades|pooled|vote] [--set MAX_ROUNDS=200 ...]

The product's rounds start from each source's grade (every Flight site is F) and repeat
until no accuracy moves (``TOLERANCE``) or ``MAX_ROUNDS`` have run. On the days where
learned trust falls below the vote (docs/benchmarks.md, "Thirteenth pass"), this asks
whether that is where the rounds go from anywhere, or a second settling point reached
from where they start. ``--start pooled`` starts every source at its agreement with the
answers of pooled investment (``pooled.py``, the paper's start: right on those days),
``--start vote`` at its agreement with the majority vote, both on the items with more
than one value and shrunk toward 0.5 by ``START_WEIGHT`` pseudo-answers, as an ungraded
source's prior is (:func:`start_accuracies`). Only the start changes; every round after
it is the product's. Not a method a desk runs: the probe wraps the model's ``learn`` for
its first call (:func:`rounds_started_from`). One line to stdout: the day, the start,
the score of the answers it starts from, of learned trust, and the rounds run.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import methods  # noqa: E402
import pooled  # noqa: E402
import run as flight  # noqa: E402

from provenance.trust import rounds  # noqa: E402
from provenance.trust.sql import log_odds  # noqa: E402

START_WEIGHT = 2.0


def start_accuracies(table, answers: dict, weight: float = START_WEIGHT) -> dict[str, float]:
    """Each source's share of its values that are ``answers``' value of their item, over
    the items with more than one value, shrunk toward 0.5 by ``weight`` pseudo-answers."""
    agreed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, values in table.items():
        if len(values) < 2:
            continue
        for value, sources in values.items():
            for source in sources:
                record = agreed[source]
                record[0] += answers.get(item) == value
                record[1] += 1
    return {s: (weight * 0.5 + a) / (weight + n) for s, (a, n) in agreed.items()}


@contextlib.contextmanager
def rounds_started_from(accuracies: dict[str, float]) -> Iterator[None]:
    """The model's first learning starts each source named in ``accuracies`` (by its
    slug) there instead of at its grade; every later step is the model's own."""
    learn = rounds.learn
    started = False

    def learn_from_start(sql, compatible, *, only_verdicts=False):
        nonlocal started
        if not started:
            started = True
            keys = sql(
                "SELECT s.slug, k.source_key FROM trust_sources k"
                " JOIN sources s ON s.id = k.document_id"
            ).all()
            starts = [{"a": accuracies[slug], "k": key} for slug, key in keys if slug in accuracies]
            if starts:
                for table in ("trust_sources", "trust_source_properties"):
                    sql(f"UPDATE {table} SET accuracy = :a WHERE source_key = :k", starts)
            sql(f"UPDATE trust_source_properties SET log_odds = {log_odds('accuracy')}")
        return learn(sql, compatible, only_verdicts=only_verdicts)

    rounds.learn = learn_from_start
    try:
        yield
    finally:
        rounds.learn = learn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=Path, default=flight.DATA, metavar="DATA")
    parser.add_argument("--keep", type=Path, required=True, metavar="DIR")
    parser.add_argument("--start", choices=("grades", "pooled", "vote"), default="pooled")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    observations, gold, table = truth_flight.read_day(parser, args.day)
    truth_flight.set_constants(args.set)
    starts = {
        "pooled": lambda: pooled.pooled_investment(table, (), start="belief"),
        "vote": lambda: {i: v for i, (v, _) in methods.vote(table).items()},
    }
    clock = flight.Clock()
    args.keep.mkdir(parents=True, exist_ok=True)
    engine = truth_flight.build_or_reuse(
        args.keep, observations, sorted({o.source for o in observations}), clock
    )
    items = sorted(gold)
    if args.start == "grades":
        answers, result, _ = truth_flight.learned_answers(engine, clock)
        started = ""
    else:
        begin = starts[args.start]()
        with rounds_started_from(start_accuracies(table, begin)):
            answers, result, _ = truth_flight.learned_answers(engine, clock)
        started = f", its answers {truth_flight.score(begin, gold, items):.3f}"
    print(
        f"{args.day.name[:10]}: start {args.start}{started}; learned trust "
        f"{truth_flight.score(answers, gold, items):.3f} after {result.rounds} rounds"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
