"""The baselines the product is compared with, and the desk's track record of each site.

Everything here works on ``table``: (flight, attribute) → value → the sites giving it.
A site that lists a flight twice with two values backs both, as it does in the product.
No function here reads the gold.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable

Item = tuple[str, str]
Table = dict[Item, dict[str, set[str]]]

# Track record → Admiralty grade. Below MIN_JUDGED values a site stays F (cannot be
# judged): a dozen flights on an airport's page say little about the page.
GRADE_FLOORS = (("A", 0.95), ("B", 0.85), ("C", 0.70), ("D", 0.50), ("E", 0.0))
MIN_JUDGED = 50
TRACK_RECORD_ROUNDS = 2

# Mirrors: two sites giving the same values on at least MIRROR_SHARE of at least
# MIRROR_MIN_SHARED flight/attributes both cover publish one feed.
MIRROR_SHARE = 0.99
MIRROR_MIN_SHARED = 100


def vote(
    table: Table,
    weight: Callable[[str], float] = lambda s: 1.0,
    origin: dict[str, str] | None = None,
) -> dict[Item, tuple[str, bool]]:
    """Item → (winning value, whether it won a tie).

    Each value scores the summed weight of its sites; sites of one ``origin`` count
    once, at the weight of the strongest. Ties go to the smallest value (for a time the
    earliest, for a gate the first alphabetically), so every run gives the same answer.

    >>> t = {("F1", "gate"): {"B2": {"x", "y"}, "A1": {"z"}},
    ...      ("F2", "gate"): {"C3": {"x"}, "C4": {"y"}}}
    >>> vote(t)
    {('F1', 'gate'): ('B2', False), ('F2', 'gate'): ('C3', True)}
    >>> vote(t, origin={"x": "feed", "y": "feed"})[("F1", "gate")]
    ('A1', True)
    """
    origin = origin or {}
    answers = {}
    for item, values in table.items():
        scored = []
        for value, sources in values.items():
            strongest: dict[str, float] = {}
            for s in sources:
                key = origin.get(s, s)
                strongest[key] = max(strongest.get(key, 0.0), weight(s))
            scored.append((-round(sum(strongest.values()), 9), value))
        scored.sort()
        answers[item] = (scored[0][1], len(scored) > 1 and scored[0][0] == scored[1][0])
    return answers


def track_record(
    table: Table, origin: dict[str, str] | None = None, rounds: int = TRACK_RECORD_ROUNDS
) -> dict[str, tuple[float, int]]:
    """Site → (share of its values that agree with the vote over every flight, values).

    Round 1 compares each site with the plain vote; each later round votes again with
    the shares found as weights and compares anew — a few iterations of the
    truth-discovery methods the paper evaluates, without their copy detection.
    """
    accuracy: dict[str, float] = {}
    total: Counter = Counter()
    for _ in range(rounds):
        answers = vote(table, (lambda s, a=accuracy: a[s]) if accuracy else (lambda s: 1.0), origin)
        agree: Counter = Counter()
        total = Counter()
        for item, values in table.items():
            for value, sources in values.items():
                for s in sources:
                    total[s] += 1
                    agree[s] += value == answers[item][0]
        accuracy = {s: agree[s] / total[s] for s in total}
    return {s: (accuracy[s], total[s]) for s in total}


def grade(accuracy: float, values: int) -> str:
    """
    >>> grade(0.97, 400), grade(0.80, 400), grade(0.30, 400), grade(0.99, 12)
    ('A', 'C', 'E', 'F')
    """
    if values < MIN_JUDGED:
        return "F"
    return next(g for g, floor in GRADE_FLOORS if accuracy >= floor)


def mirror_groups(
    table: Table, share: float = MIRROR_SHARE, min_shared: int = MIRROR_MIN_SHARED
) -> list[set[str]]:
    """Sites that publish the same feed, found without the gold.

    Two independent sites agree on what is true and differ on their mistakes; a mirror
    agrees on the mistakes too. A pair giving identical values on ``share`` of the
    items both cover (over at least ``min_shared``) is taken for one feed, and pairs
    chain into groups.
    """
    by_source: dict[str, dict[Item, frozenset[str]]] = defaultdict(dict)
    for item, values in table.items():
        per_source: dict[str, set[str]] = defaultdict(set)
        for value, sources in values.items():
            for s in sources:
                per_source[s].add(value)
        for s, given in per_source.items():
            by_source[s][item] = frozenset(given)
    parent = {s: s for s in by_source}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for a, b in itertools.combinations(sorted(by_source), 2):
        shared = [i for i in by_source[a] if i in by_source[b]]
        if len(shared) >= min_shared and sum(
            by_source[a][i] == by_source[b][i] for i in shared
        ) >= share * len(shared):
            parent[root(a)] = root(b)
    groups: dict[str, set[str]] = defaultdict(set)
    for s in by_source:
        groups[root(s)].add(s)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), sorted(g)))


def origin_of(groups: list[set[str]]) -> dict[str, str]:
    return {s: "+".join(sorted(g)) for g in groups for s in g}
