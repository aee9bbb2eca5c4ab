"""Pooled investment (J. Pasternack and D. Roth, "Knowing What to Believe (when you
already know something)", COLING 2010), as a benchmark to compare learned trust with.

Not part of the product: it runs in Python over a table of item → value → sources.
Each source invests its trust evenly in the values it gives; a value's pooled belief is
its investment raised to ``G`` and shared out within its item; each source's trust is
the return on its investments. ``groups`` (copy groups) makes each group one investor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

G = 1.4
ROUNDS = 20


def pooled_investment(
    table: Mapping[object, Mapping[str, Iterable[str]]],
    groups: Iterable[Iterable[str]] = (),
    rounds: int = ROUNDS,
    g: float = G,
) -> dict[object, str]:
    """Item → the value of highest belief (a tie: the smallest value)."""
    investor = {}
    for group in groups:
        members = sorted(group)
        for member in members:
            investor[member] = members[0]
    claims: dict[tuple[object, str], set[str]] = {}
    given: dict[str, int] = defaultdict(int)
    for item, values in table.items():
        for value, sources in values.items():
            who = {investor.get(s, s) for s in sources}
            claims[(item, value)] = who
            for s in who:
                given[s] += 1
    trust = dict.fromkeys(given, 1.0)
    belief: dict[tuple[object, str], float] = {}
    for _ in range(rounds):
        invested = {
            key: sum(trust[s] / given[s] for s in sources) for key, sources in claims.items()
        }
        pooled: dict[object, float] = defaultdict(float)
        for (item, _value), h in invested.items():
            pooled[item] += h**g
        belief = {
            (item, value): h * h**g / pooled[item] if pooled[item] else 0.0
            for (item, value), h in invested.items()
        }
        returns: dict[str, float] = defaultdict(float)
        for key, sources in claims.items():
            if invested[key] == 0:
                continue
            for s in sources:
                returns[s] += belief[key] * (trust[s] / given[s]) / invested[key]
        top = max(returns.values()) or 1.0
        trust = {s: returns[s] / top for s in given}
    answers: dict[object, tuple[float, str]] = {}
    for (item, value), b in belief.items():
        best = answers.get(item)
        if best is None or (b, _reverse(value)) > (best[0], _reverse(best[1])):
            answers[item] = (b, value)
    return {item: value for item, (_, value) in answers.items()}


def _reverse(value: str) -> tuple[int, ...]:
    # a tie goes to the smallest value: compare negated code points
    return tuple(-ord(c) for c in value)
