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

import random
from collections.abc import Callable, Iterable, Mapping, Sequence

Item = tuple[str, str]


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


def overturned_runs(
    ks: Sequence[int],
    seeds: int,
    gold_items: Sequence[Item],
    overturned: Sequence[Item],
    taught: Callable[[set[Item]], Mapping[Item, str]],
    score: Callable[[Mapping[Item, str], Sequence[Item]], float],
    answers: Mapping[Item, str],
) -> list[str]:
    """The report's section: for each ``k``, verdicts on ``k`` overturned gold items and on
    ``k`` random gold items (``taught(settled)`` gives the leaders learned with them),
    means of ``seeds`` draws, each scored on the gold items not settled."""
    lines = [
        "",
        "### With desk verdicts on k questions `conflicts --overturned` lists "
        "(scored on the other gold items)",
        "",
        f"- {len(overturned)} of the {len(gold_items)} gold items are overturned "
        "(learned trust leads against the head count)",
        "",
        "| k | trust | with k verdicts drawn at random | with k verdicts on overturned items |",
        "|---:|---:|---:|---:|",
    ]
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
        # with no item overturned there is nothing to settle: no figure
        chosen_cell = f"**{on_overturned / seeds:.3f}**" if overturned else "–"
        lines.append(
            f"| {k} | {plain / seeds:.3f} | {drawn_at_random / seeds:.3f} | {chosen_cell} |"
        )
    lines.append("")
    return lines
