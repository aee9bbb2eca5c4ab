"""Synthetic truth-discovery data with known truth, known source accuracies and planted copiers.

The model's constants (``provenance.trust``) are chosen on this generator, never on a
public data set. ``generate(out_dir, spec)`` writes, in the import format (SPEC §4):

* ``header.yaml`` — ``sources:`` (text-less, graded as ``spec`` says), ``properties:``
  (text-valued, single) and ``entities:`` (one subject per object);
* ``claims.csv`` — one record per (source, subject, property) a source gives;

and returns a :class:`World`: the true value of every item, every source's true
accuracy, and which source copies which.

How a world is made (seeded: the same spec gives the same files):

* each independent source has an accuracy drawn uniformly from ``accuracy_range`` (on
  each property, that accuracy moved by up to ``property_spread``) and covers each item
  with a probability drawn from ``coverage_range``;
* a wrong value is drawn from ``false_values`` per item with Zipf-like popularity, so
  independent sources' mistakes often coincide — the case where a vote goes wrong;
* each copier picks an original (the least accurate independent sources first, so the
  copies push a bad value into the majority; with ``copy_one`` all copy the single
  least accurate one) and gives its value on ``copy_rate`` of the items the original
  gives, its own (at the original's accuracy) elsewhere.

The worlds the first model got wrong, each switched on by a field of :class:`Spec`
(:data:`WORLDS` names them):

* **shared error** (``shared_error_share`` > 0): on the first property, that share of
  the independent sources gives one systematic wrong value ("shifted …", as most Flight
  feeds give an actual departure one minute late) wherever it would give the true one;
* **long tail** (``tail_sources`` > 0): besides a few large sources, many small ones
  each giving ``tail_items`` items (book sellers listing a few books each);
* **numeric** (``numeric``): quantities; the truth is a number, wrong values are other
  years' figures 2–8 % away (exact, so they contradict it), and ``rounded_share`` of
  the true answers are given rounded to two figures as approximate (``~1200000``),
  compatible with the truth (and with a wrong value close enough): a leading
  approximate answer that contains the truth is right (:attr:`World.also_right`);
* **copiers of a bad source** (``copy_one``, with ``copy_rate`` below the copy rule);
* **lists** (``lists``): each value is a list of one to four names joined by ``; `` (a
  book's authors); a wrong value is, with equal chances, the list cut short (its first
  name or first names), the same names in another order, the list with a name added,
  the list with one name replaced, or another list altogether (one name of one to four
  names: a different list, a part of nothing), each kind as likely at every rank of
  popularity, so cut-short lists and lists with a name too many are as common as each
  other (:func:`list_values`).
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

Item = tuple[str, str]


@dataclass(frozen=True)
class Spec:
    sources: int = 20
    copiers: int = 4
    subjects: int = 200
    properties: int = 3
    accuracy_range: tuple[float, float] = (0.3, 0.95)
    coverage_range: tuple[float, float] = (0.3, 0.9)
    false_values: int = 6
    copy_rate: float = 0.99
    # a source's accuracy on each property departs from its overall one by up to this
    property_spread: float = 0.1
    # the grade every source is imported with; "truth" grades each by its true accuracy
    grades: str = "F"
    seed: int = 1
    # (a) the share of independent sources giving one shared wrong value on property 0
    shared_error_share: float = 0.0
    # (b) small sources, each giving between tail_items[0] and tail_items[1] items
    tail_sources: int = 0
    tail_items: tuple[int, int] = (1, 5)
    tail_accuracy: tuple[float, float] = (0.4, 0.95)
    # (c) quantities: near wrong values, and true values given rounded (approximate)
    numeric: bool = False
    rounded_share: float = 0.0
    # (d) every copier copies the one least accurate independent source
    copy_one: bool = False
    # (e) values are lists of names: wrong ones cut short, reordered, extended, changed
    lists: bool = False


@dataclass
class World:
    truth: dict[Item, str]
    accuracy: dict[str, float]
    copies: dict[str, str]
    # item → value → sources
    table: dict[Item, dict[str, set[str]]] = field(default_factory=dict)
    citations: int = 0
    # item → answers that are right too (an approximate value that contains the truth)
    also_right: dict[Item, set[str]] = field(default_factory=dict)
    # the sources that share the systematic error of a shared-error world
    shifted: set[str] = field(default_factory=set)

    def observed_accuracy(self) -> dict[str, float]:
        """Each source's share of true values among those it gave, as generated."""
        right: dict[str, int] = defaultdict(int)
        given: dict[str, int] = defaultdict(int)
        for item, values in self.table.items():
            for value, sources in values.items():
                for source in sources:
                    given[source] += 1
                    right[source] += value == self.truth[item]
        return {s: right[s] / given[s] for s in given}


def grade_of(accuracy: float) -> str:
    """The Admiralty grade a desk would give a source of this accuracy."""
    for grade, floor in (("A", 0.85), ("B", 0.75), ("C", 0.6), ("D", 0.45)):
        if accuracy >= floor:
            return grade
    return "E"


def generate(out: Path, spec: Spec = Spec()) -> World:
    rng = random.Random(spec.seed)
    out.mkdir(parents=True, exist_ok=True)
    independents = [f"site-{i:03d}" for i in range(spec.sources)]
    accuracy = {s: rng.uniform(*spec.accuracy_range) for s in independents}
    coverage = {s: rng.uniform(*spec.coverage_range) for s in independents}
    worst_first = sorted(independents, key=accuracy.__getitem__)
    originals = 1 if spec.copy_one else max(1, len(worst_first) // 3)
    copies = {f"copy-{i:03d}": worst_first[i % originals] for i in range(spec.copiers)}
    for copier, original in copies.items():
        accuracy[copier] = accuracy[original]
    tail = [f"tail-{i:04d}" for i in range(spec.tail_sources)]
    for source in tail:
        accuracy[source] = rng.uniform(*spec.tail_accuracy)
    properties = [f"attribute_{p}" for p in range(spec.properties)]
    on_property = {
        (s, p): min(0.99, max(0.01, accuracy[s] + rng.uniform(-1, 1) * spec.property_spread))
        for s in [*independents, *tail]
        for p in properties
    }
    for copier, original in copies.items():
        for p in properties:
            on_property[(copier, p)] = on_property[(original, p)]
    shifted = set(rng.sample(independents, round(spec.shared_error_share * len(independents))))
    subjects = [f"object {n:05d}" for n in range(spec.subjects)]
    items = [(subject, prop) for subject in subjects for prop in properties]
    # each small source gives a few items, drawn at random
    tail_of: dict[Item, list[str]] = defaultdict(list)
    for source in tail:
        for item in rng.sample(items, min(len(items), rng.randint(*spec.tail_items))):
            tail_of[item].append(source)
    weights = [1.0 / (rank + 1) for rank in range(spec.false_values)]
    truth: dict[Item, str] = {}
    also_right: dict[Item, set[str]] = {}
    table: dict[Item, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    citations = 0
    claims_path = out / "claims.csv"
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        for item in items:
            subject, prop = item
            if spec.numeric:
                true_number = rng.randint(20_000, 5_000_000)
                truth[item] = str(true_number)
                rounded = "~" + str(int(float(f"{true_number:.2g}")))
                also_right[item] = {rounded}
                steps = [k for k in range(-4, 5) if k]
                rng.shuffle(steps)
                wrong = [str(round(true_number * (1 + 0.02 * k))) for k in steps]
            elif spec.lists:
                truth[item], wrong = list_values(rng, spec.false_values)
                rounded = truth[item]
            else:
                truth[item] = f"true {subject} {prop}"
                rounded = truth[item]
                wrong = [f"wrong {k} {subject} {prop}" for k in range(spec.false_values)]
            wrong = wrong[: spec.false_values]
            shift = f"shifted {subject} {prop}" if not spec.numeric else wrong[0]

            def value_of(
                source: str,
                item: Item = item,
                wrong: list[str] = wrong,
                shift: str = shift,
                rounded: str = rounded,
            ) -> str:
                if rng.random() < on_property[(source, item[1])]:
                    if source in shifted and item[1] == properties[0]:
                        return shift
                    if spec.numeric and rng.random() < spec.rounded_share:
                        return rounded
                    return truth[item]
                return rng.choices(wrong, weights[: len(wrong)])[0]

            given: dict[str, str] = {}
            for source in independents:
                if rng.random() < coverage[source]:
                    given[source] = value_of(source)
            for copier, original in copies.items():
                if original in given and rng.random() < spec.copy_rate:
                    given[copier] = given[original]
                elif rng.random() < coverage[original]:
                    given[copier] = value_of(copier)
            for source in tail_of.get(item, ()):
                given[source] = value_of(source)
            for source, value in sorted(given.items()):
                writer.writerow([source, subject, prop, value])
                table[item][value].add(source)
                citations += 1
    all_sources = [*independents, *copies, *tail]
    header = {
        "sources": [
            {
                "slug": s,
                "title": f"synthetic source {s}",
                "kind": "website",
                "reliability": grade_of(accuracy[s]) if spec.grades == "truth" else spec.grades,
            }
            for s in all_sources
        ],
        "properties": [
            {"name": p, "type": "quantity", "unit": "people"}
            if spec.numeric
            else {"name": p, "type": "text"}
            for p in properties
        ],
        "entities": [{"name": s, "kind": "other"} for s in subjects],
    }
    (out / "header.yaml").write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    return World(
        truth,
        accuracy,
        copies,
        {k: dict(v) for k, v in table.items()},
        citations,
        also_right,
        shifted,
    )


def list_values(rng: random.Random, false_values: int) -> tuple[str, list[str]]:
    """A true list of one to four names and ``false_values`` wrong ones, most popular first.

    Each wrong one is, with equal chances, the truth cut short, reordered, with a name
    added, with a name replaced, or another list; a kind that cannot apply (a one-name
    list cut short or reordered) is another list instead.
    """
    names = [f"n{rng.randrange(10**6):06d}" for _ in range(4 + 2 * false_values)]
    true = names[: rng.randint(1, 4)]
    spare = iter(names[4:])
    truth = "; ".join(true)
    wrong: list[str] = []
    while len(wrong) < false_values:
        kind = rng.choice(("cut", "order", "added", "replaced", "other"))
        if kind == "cut" and len(true) > 1:
            value = true[: rng.randint(1, len(true) - 1)]
        elif kind == "order" and len(true) > 1:
            value = true[1:] + true[:1]
        elif kind == "added":
            value = [*true, next(spare)]
        elif kind == "replaced":
            value = list(true)
            value[rng.randrange(len(true))] = next(spare)
        else:
            value = [next(spare) for _ in range(rng.randint(1, 2))]
        text = "; ".join(value)
        if text != truth and text not in wrong:
            wrong.append(text)
    return truth, wrong


# The worlds of the benchmarks and tests, by name (each a Spec's fields besides the seed).
WORLDS: dict[str, dict] = {
    "default": {},
    # few sources, the weak ones copied
    "hard": {"sources": 8, "copiers": 4, "accuracy_range": (0.2, 0.85), "subjects": 300},
    # sources right on one property and wrong on another
    "spread": {"sources": 10, "copiers": 2, "property_spread": 0.35, "subjects": 300},
    # (a) most independent sources share one systematic error on one property
    "shared-error": {"sources": 12, "copiers": 2, "shared_error_share": 0.7, "subjects": 200},
    # (b) a few large sources and a long tail of small ones
    "long-tail": {
        "sources": 4,
        "copiers": 0,
        "accuracy_range": (0.6, 0.95),
        "tail_sources": 400,
        "tail_items": (1, 6),
        "subjects": 200,
    },
    # (c) numbers near each other: other years' figures, rounded true values
    "numeric": {
        "sources": 12,
        "copiers": 2,
        "numeric": True,
        "rounded_share": 0.3,
        "subjects": 200,
    },
    # (d) copiers of one bad source, copying a little less than the copy rule's share
    "bad-copies": {
        "sources": 10,
        "copiers": 5,
        "copy_one": True,
        "copy_rate": 0.96,
        "accuracy_range": (0.4, 0.9),
        "subjects": 200,
    },
    # built to break learned trust: a bad source copied by many, loosely (90 %: far below
    # the copy rule), so the copies agree with each other and look accurate
    "breaks-trust": {
        "sources": 6,
        "copiers": 6,
        "copy_one": True,
        "copy_rate": 0.9,
        "accuracy_range": (0.45, 0.8),
        "subjects": 200,
    },
    # (e) author lists: wrong lists cut short, reordered, extended or changed
    "lists": {"sources": 12, "copiers": 2, "lists": True, "subjects": 200},
    # (e) and (b): lists given by a few large sources and a long tail of small ones
    "lists-tail": {
        "sources": 4,
        "copiers": 0,
        "accuracy_range": (0.6, 0.95),
        "tail_sources": 400,
        "tail_items": (1, 6),
        "lists": True,
        "subjects": 200,
    },
}


def majority_vote(table: dict[Item, dict[str, set[str]]]) -> dict[Item, str]:
    """Item → the value most sources give.

    A tie goes to the value of the smallest SHA-256: blind to which value is true. (The
    first version gave it to the smallest value, and the true values, "true …", sort
    before the wrong ones, "wrong …": every tie went to the truth, and the vote of the
    figures before 2026-12-05 is a little too good.)
    """
    return {
        item: min(values, key=lambda v: (-len(values[v]), hashlib.sha256(v.encode()).digest()))
        for item, values in table.items()
    }


def product_answers(session, *, public_only: bool = False):
    """((subject, property) → the leading value of ``provenance.trust``, its TrustResult).

    A tie goes to the answer with the smaller claim id."""
    from sqlalchemy import select

    from provenance import trust
    from provenance.models import Claim, Entity, Property

    result = trust.compute_trust(session, public_only=public_only)
    leaders = trust.leading_answers(trust.answer_probabilities(session))
    names = {
        r.id: (r.subject, r.property, r.value)
        for r in session.execute(
            select(
                Claim.id, Entity.name.label("subject"), Property.name.label("property"), Claim.value
            )
            .join(Entity, Entity.id == Claim.subject_id)
            .join(Property, Property.id == Claim.property_id)
        )
    }
    answers: dict[Item, str] = {}
    for answer in leaders.values():
        subject, prop, value = names[answer.claim_id]
        answers[(subject, prop)] = value
    return answers, result


def precision(
    answers: dict[Item, str],
    truth: dict[Item, str],
    items=None,
    also_right: dict[Item, set[str]] | None = None,
) -> float:
    """The share of ``items`` (all of ``truth``'s) whose answer is the truth (or also right)."""
    scored = list(items if items is not None else truth)
    extra = also_right or {}
    right = sum(answers.get(i) == truth[i] or answers.get(i) in extra.get(i, ()) for i in scored)
    return right / len(scored)
