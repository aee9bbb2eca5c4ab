"""How far learned source trust could go on a truth data set: two ceilings.

A figure below a target says little until one knows what the data allow. Both ceilings
here know the truth of items the model is not scored on, so neither is a method a desk
could run (``--ceiling`` in ``flight.py``, ``population.py`` and ``books.py``):

1. **The vote with the sources' accuracies read off the gold** (:func:`source_oracle`).
   Each item is answered by ACCU's vote (the product's ``VOTE = "accu"``: a source of
   accuracy ``a`` weighs ``ln(N_FALSE · a / (1 − a))``) with every source's accuracy on
   the item's property read off the gold of all the *other* gold items it answers:
   ``(right + k · t) / (answered + k)``, ``t`` the trust the product learned for it and
   ``k`` pseudo-answers (a source that answers no other gold item keeps ``t``). It is
   what the sources' accuracies alone can do, known as well as the gold allows: the
   vote only, without the product's near figures, lists that imply lists or copies
   counted once (so the product may beat it where those matter). Leaving the item out
   matters: a source's accuracy read off the item itself would simply say who is right
   there.
2. **The product, with the desk's verdicts on every other fold** (:func:`verdict_folds`).
   The gold items are split into ``FOLDS`` folds by a hash of the subject (all the items
   of one flight in one fold); for each fold, the gold answer of every gold item outside
   it is made ``preferred`` (``claim prefer``), trust is learned again, and the fold's
   items are scored. That is the whole product on a desk that has settled nine items in
   ten; every gold item is scored once. The verdicts are rolled back after each fold.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generator  # noqa: E402

from provenance import claims as claimsmod  # noqa: E402
from provenance.db import session_scope  # noqa: E402
from provenance.models import Claim  # noqa: E402

FOLDS = 10
PSEUDO = (1.0, 2.0, 5.0)
CLIP = 1e-3

Item = tuple[str, str]
Table = Mapping[Item, Mapping[str, Iterable[str]]]


def blind(value: str) -> str:
    """The tie-break of a vote: blind to which value is true (generator.majority_vote's)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def accu_vote(
    values: Mapping[str, Iterable[str]],
    accuracy: Callable[[str, str], float],
    n_false: int = 10,
    left_out: Container[str] = (),
) -> str | None:
    """The value of ACCU's vote among ``values`` (value → its sources): a source of
    accuracy ``accuracy(value, source)`` weighs ``ln(n_false · a / (1 − a))``; sources in
    ``left_out`` take no part (None: nobody is left). A tie goes to the smaller hash."""
    scores: dict[str, float] = {}
    for value, sources in values.items():
        voters = [s for s in set(sources) if s not in left_out]
        if voters:
            weights = (min(1 - CLIP, max(CLIP, accuracy(value, s))) for s in voters)
            scores[value] = sum(math.log(n_false * a / (1 - a)) for a in weights)
    return max(scores, key=lambda v: (scores[v], blind(v))) if scores else None


def source_oracle(
    table: Table,
    gold: Mapping[Item, set[str]],
    learned: Mapping[str, float],
    *,
    pseudo: float = 1.0,
    n_false: int = 10,
) -> dict[Item, str]:
    """Gold item → the value of ACCU's vote with each source's accuracy on the item's
    property read off the gold of the other gold items it answers (:mod:`ceiling` 1)."""
    right: dict[tuple[str, str], int] = defaultdict(int)
    answered: dict[tuple[str, str], int] = defaultdict(int)
    for item, truth in gold.items():
        for value, sources in table.get(item, {}).items():
            for s in sources:
                answered[(s, item[1])] += 1
                right[(s, item[1])] += value in truth
    answers: dict[Item, str] = {}
    for item, truth in gold.items():

        def read_off_the_others(value: str, s: str, item: Item = item, truth=truth) -> float:
            key = (s, item[1])
            others_right = right[key] - (value in truth)
            others = answered[key] - 1
            return (others_right + pseudo * learned.get(s, 0.5)) / (others + pseudo)

        answer = accu_vote(table.get(item, {}), read_off_the_others, n_false)
        if answer is not None:
            answers[item] = answer
    return answers


def fold_of(item: Item, folds: int = FOLDS) -> int:
    """The fold an item is scored in: a hash of its subject, never of its values."""
    return int(hashlib.sha256(item[0].encode("utf-8")).hexdigest(), 16) % folds


def settle(session, items: Iterable[Item], gold, value_claims, actor: str) -> int:
    """Make the claim carrying each item's gold value ``preferred``, as a desk's verdict
    does; returns how many items got one (an item whose gold value nobody gave, none)."""
    settled = 0
    for subject, prop in sorted(items):
        for value in sorted(gold[(subject, prop)]):
            claim_id = value_claims.get((subject, prop, value))
            if claim_id is not None:
                claim = session.get(Claim, claim_id)
                claimsmod.set_rank(session, claim, "preferred", actor)
                settled += 1
                break
    session.flush()
    return settled


def verdict_folds(
    engine, gold, value_claims, actor: str, folds: int = FOLDS
) -> tuple[dict[Item, str], int]:
    """Gold item → the product's leading value with the desk's verdicts on every gold item
    outside its fold (:mod:`ceiling` 2); and the fewest verdicts a fold was learned with."""
    answers: dict[Item, str] = {}
    fewest = len(gold)
    for fold in range(folds):
        scored = [i for i in gold if fold_of(i, folds) == fold]
        if not scored:
            continue
        with session_scope(engine) as session:
            rest = [i for i in gold if fold_of(i, folds) != fold]
            fewest = min(fewest, settle(session, rest, gold, value_claims, actor))
            taught, _ = generator.product_answers(session)
            session.rollback()
        answers.update({i: taught[i] for i in scored if i in taught})
    return answers, fewest


def lines(
    table: Table, gold, halves, learned, engine, value_claims, head: str, actor: str
) -> list[str]:
    """The Markdown section of both ceilings, scored on ``halves`` (lists of gold items)."""

    def row(name: str, answers: dict) -> str:
        cells = (
            f"{sum(answers.get(i) in gold[i] for i in items) / len(items):.3f}" if items else "–"
            for items in halves
        )
        return f"| {name} | " + " | ".join(cells) + " |"

    out = ["### Ceilings: what learned source trust could reach (`ceiling.py`)", ""]
    out.append(f"| ceiling | {head} |")
    out.append("|---|" + "---:|" * len(halves))
    for k in PSEUDO:
        answers = source_oracle(table, gold, learned, pseudo=k)
        out.append(row(f"source accuracies from the other gold items (k = {k:g})", answers))
    taught, fewest = verdict_folds(engine, gold, value_claims, actor)
    out.append(row(f"the product, verdicts on the other {FOLDS - 1} folds", taught))
    out.append("")
    out.append(f"- each fold learned with at least {fewest} verdicts")
    out.append("")
    return out
