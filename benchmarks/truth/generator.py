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
  copies push a bad value into the majority) and gives its value on ``copy_rate`` of
  the items the original gives, its own (at the original's accuracy) elsewhere.
"""

from __future__ import annotations

import csv
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


@dataclass
class World:
    truth: dict[Item, str]
    accuracy: dict[str, float]
    copies: dict[str, str]
    # item → value → sources
    table: dict[Item, dict[str, set[str]]] = field(default_factory=dict)
    citations: int = 0

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
    copies = {
        f"copy-{i:03d}": worst_first[i % max(1, len(worst_first) // 3)] for i in range(spec.copiers)
    }
    for copier, original in copies.items():
        accuracy[copier] = accuracy[original]
    properties = [f"attribute_{p}" for p in range(spec.properties)]
    on_property = {
        (s, p): min(0.99, max(0.01, accuracy[s] + rng.uniform(-1, 1) * spec.property_spread))
        for s in independents
        for p in properties
    }
    for copier, original in copies.items():
        for p in properties:
            on_property[(copier, p)] = on_property[(original, p)]
    subjects = [f"object {n:05d}" for n in range(spec.subjects)]
    weights = [1.0 / (rank + 1) for rank in range(spec.false_values)]
    truth: dict[Item, str] = {}
    table: dict[Item, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    citations = 0
    claims_path = out / "claims.csv"
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "subject", "property", "value"])
        for subject in subjects:
            for prop in properties:
                item = (subject, prop)
                truth[item] = f"true {subject} {prop}"
                wrong = [f"wrong {k} {subject} {prop}" for k in range(spec.false_values)]

                def value_of(source: str, item: Item = item, wrong: list[str] = wrong) -> str:
                    if rng.random() < on_property[(source, item[1])]:
                        return truth[item]
                    return rng.choices(wrong, weights)[0]

                given: dict[str, str] = {}
                for source in independents:
                    if rng.random() < coverage[source]:
                        given[source] = value_of(source)
                for copier, original in copies.items():
                    if original in given and rng.random() < spec.copy_rate:
                        given[copier] = given[original]
                    elif rng.random() < coverage[original]:
                        given[copier] = value_of(copier)
                for source, value in sorted(given.items()):
                    writer.writerow([source, subject, prop, value])
                    table[item][value].add(source)
                    citations += 1
    all_sources = [*independents, *copies]
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
        "properties": [{"name": p, "type": "text"} for p in properties],
        "entities": [{"name": s, "kind": "other"} for s in subjects],
    }
    (out / "header.yaml").write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    return World(truth, accuracy, copies, {k: dict(v) for k, v in table.items()}, citations)


def majority_vote(table: dict[Item, dict[str, set[str]]]) -> dict[Item, str]:
    """Item → the value most sources give; a tie goes to the smallest value, as in Flight's."""
    return {item: min(values, key=lambda v: (-len(values[v]), v)) for item, values in table.items()}


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


def precision(answers: dict[Item, str], truth: dict[Item, str], items=None) -> float:
    scored = list(items if items is not None else truth)
    return sum(answers.get(i) == truth[i] for i in scored) / len(scored)
