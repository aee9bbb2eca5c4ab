"""Dependence read from what a source does where another is silent.

A loose copier of a bad source escapes the copy rule, and every test that prefers the
explanation with the least copying (soft copy detection included) takes the copies'
agreement for accuracy: the cluster makes the leading answers wherever its original
answers, so the copies agree with the leaders there. Where the original is silent its
copies give values of their own, at their own accuracy, and the cluster no longer makes
the leaders. X. L. Dong, L. Berti-Equille, Y. Hu and D. Srivastava ("Global detection
of complex copying relationships between sources", PVLDB 3(1), 2010; "Truth discovery
and copying detection in a dynamic world", PVLDB 2(1), 2009) read copying from such
conditional evidence: how a source behaves given what another does.

The rule (``SILENT_DEPENDENCE``, off by default), after a first learning: for every
ordered pair of sources (S, T) of different vote units, T's mean credit (agreement with
the current answers' probabilities) on its disputed answers on items S also answers,
``p1`` over ``n1`` answers, against its mean credit on the disputed items S does not
answer, ``p2`` over ``n2``. An independent T is about as accurate either way; a copier
of S is "accurate" where S answers only. T depends on S when ``n1`` and ``n2`` are both
at least ``SILENT_MIN_ANSWERS``, ``p1 − p2 ≥ SILENT_GAP`` and the two-proportion
statistic ``(p1 − p2) / sqrt(p (1 − p) (1 / n1 + 1 / n2))`` (``p`` the pooled mean) is
at least ``SILENT_Z``. Dependent pairs chain into groups (a union-find over a handful
of pairs); each group then counts as one vote unit, as copy groups do (on an answer its
members give together, the mean of their votes; alone, each its own), and with
``"share-teach"`` a dependent's answers teach its accuracy only on items no other member
of its group answers: where its original is silent. The pairs are counted by one
self-join of each item's sources (never over all pairs of claims); the model then
learns again from the grades.
"""

from __future__ import annotations

import math

from . import settings
from .sql import Sql, log_odds


def silent_pairs(sql: Sql) -> list[tuple[int, int, float]]:
    """(original S, dependent T, statistic) for every pair the rule finds dependent."""
    answered = """FROM trust_evidence e
        JOIN trust_answers a ON a.claim_id = e.claim_id
        JOIN trust_items i ON i.item = e.item
        WHERE e.active = 1 AND i.answers > 1 AND i.known = 0"""
    totals = {
        int(key): (int(n), float(agreed or 0.0))
        for key, n, agreed in sql(
            f"SELECT e.source_key, COUNT(*), SUM(a.credit) {answered} GROUP BY e.source_key"
        )
    }
    shared = sql(
        f"""SELECT s.source_key, e.source_key, COUNT(*), SUM(a.credit)
        FROM (SELECT DISTINCT e.item, e.source_key, e.vote_unit {answered}) s
        JOIN trust_evidence e ON e.item = s.item AND e.vote_unit <> s.vote_unit
             AND e.active = 1
        JOIN trust_answers a ON a.claim_id = e.claim_id
        GROUP BY s.source_key, e.source_key
        HAVING COUNT(*) >= :least""",
        {"least": settings.SILENT_MIN_ANSWERS},
    ).all()
    found = []
    for original, dependent, n1, agreed1 in shared:
        total, agreed = totals.get(int(dependent), (0, 0.0))
        n1, agreed1 = int(n1), float(agreed1 or 0.0)
        n2, agreed2 = total - n1, agreed - agreed1
        if n2 < settings.SILENT_MIN_ANSWERS:
            continue
        statistic = gap_statistic(agreed1, n1, agreed2, n2)
        if agreed1 / n1 - agreed2 / n2 >= settings.SILENT_GAP and statistic >= settings.SILENT_Z:
            found.append((int(original), int(dependent), statistic))
    return found


def gap_statistic(agreed1: float, n1: int, agreed2: float, n2: int) -> float:
    """The two-proportion statistic of ``agreed1 / n1`` above ``agreed2 / n2``."""
    pooled = (agreed1 + agreed2) / (n1 + n2)
    spread = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    if spread <= 0.0:
        return 0.0
    return (agreed1 / n1 - agreed2 / n2) / math.sqrt(spread)


def silent_groups(pairs: list[tuple[int, int, float]]) -> list[tuple[int, list[int]]]:
    """(original, members sorted) of each group the dependent pairs chain into; the
    original is the member most often found to be copied (the smallest key on a tie)."""
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    copied: dict[int, int] = {}
    for original, dependent, _statistic in pairs:
        parent[root(dependent)] = root(original)
        copied[original] = copied.get(original, 0) + 1
    members: dict[int, list[int]] = {}
    for key in list(parent):
        members.setdefault(root(key), []).append(key)
    return [
        (min(group, key=lambda k: (-copied.get(k, 0), k)), sorted(group))
        for group in members.values()
    ]


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
        sql(
            f"""UPDATE trust_sources SET vote_unit = :unit
            WHERE source_key IN ({keys}) OR vote_unit IN (SELECT vote_unit FROM trust_sources
                                                          WHERE source_key IN ({keys}))""",
            {"unit": unit},
        )
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
    sql(
        """UPDATE trust_evidence SET vote_unit = (SELECT k.vote_unit FROM trust_sources k
               WHERE k.source_key = trust_evidence.source_key)"""
    )
    sql("UPDATE trust_sources SET accuracy = base, previous = base")
    sql(
        """UPDATE trust_source_properties SET accuracy = (SELECT k.base FROM trust_sources k
            WHERE k.source_key = trust_source_properties.source_key)"""
    )
    sql(
        f"UPDATE trust_source_properties SET previous = accuracy, log_odds = {log_odds('accuracy')}"
    )
    return len(groups)
