"""Dependence read from what a source does where another is silent.

A loose copier of a bad source escapes the copy rule, and every test that prefers the
explanation with the least copying (soft copy detection included) takes the copies'
agreement for accuracy: the cluster makes the leading answers wherever its original
answers, so the copies agree with the leaders there. Where the original is silent its
copies give values of their own, at their own accuracy, and the cluster no longer makes
the leaders. Copy detection has read copying from how one source behaves given what
another does: X. L. Dong, L. Berti-Equille and D. Srivastava, "Truth discovery and
copying detection in a dynamic world", PVLDB 2(1), 2009, and X. L. Dong,
L. Berti-Equille, Y. Hu and D. Srivastava, "Global detection of complex copying
relationships between sources", PVLDB 3(1), 2010 (which decides the direction of
copying from several kinds of evidence). The rule below is derived here, not taken
from either paper.

The rule (``SILENT_DEPENDENCE``, off by default), after a first learning: each answer on
a disputed item without a verdict gets a mark, its credit (the probability that the
truth is compatible with it, as learned so far) less the mean credit of the answers
other vote units give on the item (``SILENT_BASELINE = "item"``: on an easy item every
source agrees with the leader, and a source answering the easy items another answers is
no follower; ``"none"`` keeps the credit alone). For every ordered pair of sources (S,
T) of different vote units, T's mean mark on the ``n1`` items S also answers, ``m1``, is
set against its mean mark on the ``n2`` items S does not answer, ``m2``. An independent
T is about as good either way; a copier of S is "accurate" where S answers only. T
depends on S when ``n1`` and ``n2`` are both at least ``SILENT_MIN_ANSWERS``, ``m1 − m2
≥ SILENT_GAP`` and Welch's statistic ``(m1 − m2) / sqrt(v1 / n1 + v2 / n2)`` (``v`` the
marks' sample variances) is at least ``SILENT_Z``. With ``SILENT_MAX_ORIGINALS`` (0: any
number), a source found beside more vote units than that is no one's dependent: better
beside many unrelated sources, it is better on the items many sources answer, not a copy
of each. Each dependent joins one original, that of its strongest pair (an original is
nobody's dependent, a dependent nobody's original: no chains); each group then counts as
one vote unit, as copy groups do (on an answer its members give together, the mean of
their votes; alone, each its own), and with ``"share-teach"`` a dependent's answers
teach its accuracy only on items no other member of its group answers: where its
original is silent. The pairs are counted by one self-join of each item's sources (never
over all pairs of claims); the model then learns again from the grades.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import settings
from .copies import count_as_one, sync_vote_units
from .guard import fall_back_to_grades
from .sql import Sql


def silent_pairs(sql: Sql) -> list[tuple[int, int, float]]:
    """(original S, dependent T, statistic) for every pair the rule finds dependent."""
    mark_answers(sql)
    totals = {
        int(key): Side(int(n), float(total or 0.0), float(squares or 0.0))
        for key, n, total, squares in sql(
            """SELECT source_key, COUNT(*), SUM(mark), SUM(mark * mark)
            FROM trust_silent_marks GROUP BY source_key"""
        )
    }
    # each answer of T on an item S also answers: one self-join of each item's sources
    shared = sql(
        """SELECT s.source_key, m.source_key, COUNT(*), SUM(m.mark), SUM(m.mark * m.mark)
        FROM (SELECT DISTINCT item, source_key, vote_unit FROM trust_silent_marks) s
        JOIN trust_silent_marks m ON m.item = s.item AND m.vote_unit <> s.vote_unit
        GROUP BY s.source_key, m.source_key
        HAVING COUNT(*) >= :least""",
        {"least": settings.SILENT_MIN_ANSWERS},
    ).all()
    found = []
    for original, dependent, n, total, squares in shared:
        beside = Side(int(n), float(total or 0.0), float(squares or 0.0))
        alone = totals[int(dependent)].less(beside)
        if alone.n < settings.SILENT_MIN_ANSWERS:
            continue
        statistic = gap_statistic(beside, alone)
        if beside.mean - alone.mean >= settings.SILENT_GAP and statistic >= settings.SILENT_Z:
            found.append((int(original), int(dependent), statistic))
    return few_originals(sql, found)


def few_originals(sql: Sql, found: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The pairs whose dependent is found beside at most ``SILENT_MAX_ORIGINALS`` vote
    units (0: any number): a source better beside many unrelated sources is better on the
    items many sources answer, not a copy of each."""
    if settings.SILENT_MAX_ORIGINALS <= 0:
        return found
    unit = dict(sql("SELECT source_key, vote_unit FROM trust_sources").all())
    beside: dict[int, set[int]] = {}
    for original, dependent, _statistic in found:
        beside.setdefault(dependent, set()).add(unit[original])
    return [p for p in found if len(beside[p[1]]) <= settings.SILENT_MAX_ORIGINALS]


def mark_answers(sql: Sql) -> None:
    """``trust_silent_marks``: each answer on a disputed item without a verdict, marked
    with its credit (``SILENT_BASELINE = "none"``) or its credit less the mean credit of
    the answers other vote units give on the item (``"item"``: an easy item, where every
    source agrees with the leader, is no evidence that a source follows another). Items
    only one vote unit answers are left out."""
    sql.drop("trust_silent_marks")
    sql(
        """CREATE TEMPORARY TABLE trust_silent_marks (
            item INTEGER, source_key INTEGER, vote_unit INTEGER, mark DOUBLE PRECISION)"""
    )
    credits = """SELECT e.item, e.vote_unit, SUM(a.credit) AS total, COUNT(*) AS answers
        FROM trust_evidence e JOIN trust_answers a ON a.claim_id = e.claim_id
        WHERE e.active = 1 GROUP BY e.item, e.vote_unit"""
    item = settings.SILENT_BASELINE == "item"
    sql(
        f"""INSERT INTO trust_silent_marks (item, source_key, vote_unit, mark)
        SELECT e.item, e.source_key, e.vote_unit,
               a.credit {"- (t.total - u.total) / (t.answers - u.answers)" if item else ""}
        FROM trust_evidence e
        JOIN trust_answers a ON a.claim_id = e.claim_id
        JOIN trust_items i ON i.item = e.item
        JOIN ({credits}) u ON u.item = e.item AND u.vote_unit = e.vote_unit
        JOIN (SELECT item, SUM(total) AS total, SUM(answers) AS answers
              FROM ({credits}) x GROUP BY item) t ON t.item = e.item
        WHERE e.active = 1 AND i.answers > 1 AND i.known = 0 AND t.answers > u.answers"""
    )
    sql("CREATE INDEX trust_silent_marks_item ON trust_silent_marks (item, source_key)")


@dataclass(frozen=True)
class Side:
    """A source's marks on one side of the comparison: how many, their sum and squares."""

    n: int
    total: float
    squares: float

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    @property
    def variance(self) -> float:
        if self.n < 2:
            return 0.0
        return max(self.squares - self.n * self.mean**2, 0.0) / (self.n - 1)

    def less(self, part: Side) -> Side:
        """The marks of this side that are not in ``part``."""
        return Side(self.n - part.n, self.total - part.total, self.squares - part.squares)


def gap_statistic(beside: Side, alone: Side) -> float:
    """Welch's statistic of the mean mark ``beside`` the other source above ``alone``."""
    spread = beside.variance / beside.n + alone.variance / alone.n
    if spread <= 0.0:
        return 0.0
    return (beside.mean - alone.mean) / math.sqrt(spread)


def silent_groups(pairs: list[tuple[int, int, float]]) -> list[tuple[int, list[int]]]:
    """(original, members sorted) of the groups the dependent pairs make: strongest pair
    first, each dependent joins one original, and a source found to depend on another
    is no original itself, nor is an original anyone's dependent (no chains)."""
    joined: dict[int, int] = {}
    for original, dependent, _statistic in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        originals = set(joined.values())
        if dependent in joined or dependent in originals or original in joined:
            continue
        joined[dependent] = original
    groups: dict[int, list[int]] = {}
    for dependent, original in joined.items():
        groups.setdefault(original, [original]).append(dependent)
    return sorted((original, sorted(members)) for original, members in groups.items())


def share_silent_dependents(sql: Sql) -> int:
    """Find the dependents (:func:`silent_pairs`, kept in ``trust_silent``: original,
    dependent, statistic), make each group one vote unit and
    (``"share-teach"``) keep a dependent's answers beside its group from teaching it; the
    accuracies back at the grades' priors for the next learning. How many groups."""
    pairs = silent_pairs(sql)
    sql.drop("trust_silent")
    sql(
        """CREATE TEMPORARY TABLE trust_silent (
            source_key INTEGER, dependent_key INTEGER, statistic DOUBLE PRECISION)"""
    )
    if pairs:
        sql(
            """INSERT INTO trust_silent (source_key, dependent_key, statistic)
            VALUES (:original, :dependent, :statistic)""",
            [{"original": o, "dependent": d, "statistic": z} for o, d, z in pairs],
        )
    groups = silent_groups(pairs)
    for original, members in groups:
        keys = ", ".join(str(int(k)) for k in members)
        unit = int(
            sql(f"SELECT vote_unit FROM trust_sources WHERE source_key = {int(original)}").scalar()
        )
        count_as_one(sql, members, unit)
        if settings.SILENT_DEPENDENCE == "share-teach":
            sql(
                f"""UPDATE trust_evidence SET teach = 0.0
                WHERE source_key IN ({keys}) AND source_key <> :original
                  AND EXISTS (SELECT 1 FROM trust_evidence o
                              WHERE o.item = trust_evidence.item AND o.source_key IN ({keys})
                                AND o.source_key <> trust_evidence.source_key)""",
                {"original": int(original)},
            )
    if not groups:
        return 0
    sync_vote_units(sql)
    fall_back_to_grades(sql, baseline="base")
    return len(groups)
