"""Pooled investment (J. Pasternack and D. Roth, "Knowing What to Believe (when you
already know something)", COLING 2010), as a benchmark to compare learned trust with.

Not part of the product: it runs in Python over a table of item → value → sources.
In the paper's notation, with ``C_s`` the claims (values) of source ``s``, ``S_c`` the
sources of claim ``c`` and ``M_c`` the claims of its item (its mutual-exclusion set):

* ``T^i(s) = Σ_{c ∈ C_s} B^{i-1}(c) · (T^{i-1}(s) / |C_s|) / Σ_{r ∈ S_c} T^{i-1}(r) / |C_r|``
  — a source invests its trust evenly in its claims and gets back its share of each
  claim's belief;
* ``H^i(c) = Σ_{s ∈ S_c} T^i(s) / |C_s|`` — the claim's pooled investment;
* ``B^i(c) = H^i(c) · G(H^i(c)) / Σ_{d ∈ M_c} G(H^i(d))``, ``G(x) = x^g``, g = 1.4.

:func:`pooled_investment` follows that order: trust from the previous beliefs, then the
beliefs. ``start`` is where round 1 starts: ``"belief"`` (the paper's: ``T^0 = 1`` and
``B^0`` uniform over each item, ``1 / |M_c|``) or ``"trust"`` (the first version of this
file: ``T^0 = 1``, beliefs computed from it first, so round 1's beliefs are a weighted
vote). Trust is scaled to a maximum of 1 each round (beliefs within an item do not
change by a common factor of trust). ``groups`` (copy groups) makes each group one
investor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

G = 1.4
ROUNDS = 20

Table = Mapping[object, Mapping[str, Iterable[str]]]


def pooled_investment(
    table: Table,
    groups: Iterable[Iterable[str]] = (),
    rounds: int = ROUNDS,
    g: float = G,
    start: str = "trust",
) -> dict[object, str]:
    """Item → the value of highest belief (a tie: the smallest value)."""
    investor = {}
    for group in groups:
        members = sorted(group)
        for member in members:
            investor[member] = members[0]
    claims: dict[tuple[object, str], set[str]] = {}
    given: dict[str, int] = defaultdict(int)
    size: dict[object, int] = defaultdict(int)
    for item, values in table.items():
        for value, sources in values.items():
            who = {investor.get(s, s) for s in sources}
            claims[(item, value)] = who
            size[item] += 1
            for s in who:
                given[s] += 1
    trust = dict.fromkeys(given, 1.0)

    def beliefs_from(trust: dict[str, float]) -> tuple[dict, dict]:
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
        return belief, invested

    if start == "belief":
        belief = {(item, value): 1.0 / size[item] for (item, value) in claims}
        invested = {
            key: sum(trust[s] / given[s] for s in sources) for key, sources in claims.items()
        }
    else:
        belief, invested = beliefs_from(trust)
    for _ in range(rounds):
        returns: dict[str, float] = defaultdict(float)
        for key, sources in claims.items():
            if invested[key] == 0:
                continue
            for s in sources:
                returns[s] += belief[key] * (trust[s] / given[s]) / invested[key]
        top = max(returns.values()) or 1.0
        trust = {s: returns[s] / top for s in given}
        belief, invested = beliefs_from(trust)
    answers: dict[object, tuple[float, str]] = {}
    for (item, value), b in belief.items():
        best = answers.get(item)
        if best is None or (b, _reverse(value)) > (best[0], _reverse(best[1])):
            answers[item] = (b, value)
    return {item: value for item, (_, value) in answers.items()}


def _reverse(value: str) -> tuple[int, ...]:
    # a tie goes to the smallest value: compare negated code points
    return tuple(-ord(c) for c in value)


Method = Callable[[Table, Iterable[Iterable[str]]], dict[object, str]]

PAPER = "pooled investment (paper: B⁰ uniform, 20 rounds)"

# the variants the benchmarks score, beside learned trust (docs/benchmarks.md)
METHODS: dict[str, Method] = {
    "pooled investment (first version: T⁰ = 1, 20 rounds)": lambda t, gr: pooled_investment(
        t, gr, start="trust"
    ),
    PAPER: lambda t, gr: pooled_investment(t, gr, start="belief"),
}
