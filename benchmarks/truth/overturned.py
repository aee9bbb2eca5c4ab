"""A few verdicts where they teach most: the questions ``conflicts --overturned`` lists.

``conflicts --overturned`` lists the questions whose leading answer (learned trust's) has
less support than an answer it contradicts: where the model goes against the head count.
A verdict there tells every source on every side which reading the desk takes. This
scores the product after the desk settles ``k`` of those questions among the gold items,
beside ``k`` gold items drawn at random (the 10 % runs' way), each scored on the gold
items not settled, drawn per seed, in the same run.

On a truth data set whose sources are all graded alike and cite at one confidence (every
Flight site is ``F``, every claim ``medium``), an answer's support is a constant times the
number of documents giving it, so an item is overturned when fewer sites give the leader
than give another value of it (:func:`overturned_items`).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterable, Mapping, Sequence

Item = tuple[str, str]


def counts(parser: argparse.ArgumentParser, text: str) -> list[int]:
    """``--overturned`` read, or a usage error naming what is accepted."""
    try:
        ks = [int(k) for k in text.split(",") if k.strip()]
    except ValueError:
        ks = [0]
    if any(k < 1 for k in ks):
        parser.error(f"--overturned {text!r}: comma-separated counts of 1 or more")
    return ks


def overturned_items(
    table: Mapping[Item, Mapping[str, Iterable[str]]],
    answers: Mapping[Item, str],
    items: Iterable[Item],
) -> list[Item]:
    """The ``items`` whose leader in ``answers`` fewer sources give than some other value."""
    found = []
    for item in items:
        values = {v: len(set(s)) for v, s in table.get(item, {}).items()}
        leader = answers.get(item)
        if leader in values and any(n > values[leader] for n in values.values()):
            found.append(item)
    return sorted(found)


def most_sources_first(
    table: Mapping[Item, Mapping[str, Iterable[str]]], items: Iterable[Item]
) -> list[Item]:
    """``items`` with those the most sources answer first, otherwise in order: an order
    measured against drawing at random (docs/benchmarks.md, "Twelfth pass"; not the
    listing's, which is the order questions were found)."""
    return sorted(
        sorted(items), key=lambda item: -len({s for v in table.get(item, {}).values() for s in v})
    )


def overturned_scores(
    ks: Sequence[int],
    seeds: int,
    gold_items: Sequence[Item],
    overturned: Sequence[Item],
    taught: Callable[[set[Item]], Mapping[Item, str]],
    score: Callable[[Mapping[Item, str], Sequence[Item]], float],
    answers: Mapping[Item, str],
    ranked: Sequence[Item] = (),
) -> list[tuple[int, float, float, float | None, float | None]]:
    """For each ``k``: learned trust alone, with verdicts on ``k`` gold items drawn at
    random, with verdicts on ``k`` overturned gold items drawn at random, means of
    ``seeds`` draws, and on the first ``k`` of ``ranked`` (the overturned items, most
    sources first: :func:`most_sources_first`), once; each scored on the gold items not
    settled (``taught(settled)`` gives the leaders learned with them; None when nothing
    is overturned)."""
    scores: list[tuple[int, float, float, float | None, float | None]] = []
    for k in ks:
        plain = drawn_at_random = on_overturned = 0.0
        for seed in range(1, seeds + 1):
            rng = random.Random(seed)
            chosen = set(rng.sample(list(overturned), min(k, len(overturned))))
            rest = [i for i in gold_items if i not in chosen]
            plain += score(answers, rest)
            if chosen:
                on_overturned += score(taught(chosen), rest)
            randomly = set(rng.sample(list(gold_items), k))
            drawn_at_random += score(taught(randomly), [i for i in gold_items if i not in randomly])
        first = set(ranked[:k])
        on_first = score(taught(first), [i for i in gold_items if i not in first])
        # with no item overturned there is nothing to settle: no figure
        scores.append(
            (
                k,
                plain / seeds,
                drawn_at_random / seeds,
                (on_overturned / seeds) if overturned else None,
                on_first if first else None,
            )
        )
    return scores


def overturned_runs(
    scores: Sequence[tuple[int, float, float, float | None, float | None]],
    overturned: int,
    gold: int,
) -> list[str]:
    """The report's section: :func:`overturned_scores` as a table, ``overturned`` of the
    ``gold`` items overturned."""
    lines = [
        "",
        "### With desk verdicts on k questions `conflicts --overturned` lists "
        "(scored on the other gold items)",
        "",
        f"- {overturned} of the {gold} gold items are overturned "
        "(learned trust leads against the head count)",
        "",
        "| k | trust | with k verdicts drawn at random | with k verdicts on overturned items "
        "| with verdicts on the k overturned items most sources answer |",
        "|---:|---:|---:|---:|---:|",
    ]
    for k, plain, drawn_at_random, on_overturned, on_first in scores:
        cells = ("–" if x is None else f"**{x:.3f}**" for x in (on_overturned, on_first))
        lines.append(f"| {k} | {plain:.3f} | {drawn_at_random:.3f} | {' | '.join(cells)} |")
    lines.append("")
    return lines
