"""Soft copy detection: each source's vote shared with the sources it probably copies.

The copy rule (``copies.py``) groups only sources identical on nearly every disputed
item; a bad source copied loosely (90 % of its values) escapes it, and its copies agree
with each other and look accurate. After a first learning, the model asks of every pair
of sources that share at least ``DEPENDENCE_MIN_SHARED`` disputed items how likely it
is that one copies the other, with the Bayesian test of X. L. Dong, L. Berti-Equille
and D. Srivastava, "Integrating conflicting data: the role of source dependence", PVLDB
2(1), 2009: independent sources of accuracies ``A1``, ``A2`` agree on a true value with
probability ``A1·A2`` and on a false one with ``(1 − A1)(1 − A2) / N``, where a copier
gives its original's value on ``DEPENDENCE_COPY_RATE`` of the items; agreement on a
value the model holds false is strong evidence of copying, agreement on the truth
weak, disagreement evidence against. The pair's agreements are counted softly: an
agreement on an answer of probability ``p`` is ``p`` of an agreement on the truth and
``1 − p`` of one on a false value.

A source's vote on an answer is then divided by ``1 + Σ P(copy)`` over the other
sources giving the same answer (sources of one copy group are already one vote): ``k``
sources certainly copying one another share one vote, independent ones keep theirs.
The sums run over the pairs (a handful per source), never over claims in Python.
"""

from __future__ import annotations

import math

from . import settings
from .sql import Sql


def copy_probability(
    accuracy_a: float, accuracy_b: float, true_agreed: float, false_agreed: float, differed: float
) -> float:
    """Dong et al.'s posterior probability that one of two sources copies the other."""
    floor, ceiling = settings.ACCURACY_FLOOR, settings.ACCURACY_CEILING
    a = min(max(accuracy_a, floor), ceiling)
    b = min(max(accuracy_b, floor), ceiling)
    c, n, prior = (
        settings.DEPENDENCE_COPY_RATE,
        float(settings.DEPENDENCE_N_FALSE),
        settings.DEPENDENCE_PRIOR,
    )
    true_i = a * b
    false_i = (1.0 - a) * (1.0 - b) / n
    differ_i = max(1.0 - true_i - false_i, 1e-9)
    original = (a + b) / 2.0
    true_c = c * original + (1.0 - c) * true_i
    false_c = c * (1.0 - original) + (1.0 - c) * false_i
    differ_c = (1.0 - c) * differ_i
    evidence = (
        true_agreed * math.log(true_c / true_i)
        + false_agreed * math.log(false_c / false_i)
        + differed * math.log(differ_c / differ_i)
    )
    odds = math.log(prior / (1.0 - prior)) + evidence
    if odds > 50:
        return 1.0
    if odds < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-odds))


def weigh_dependence(sql: Sql) -> int:
    """Set every answer's ``independence`` from the pairs' copy probabilities; how many
    pairs are more likely copies than not."""
    sql.drop("trust_dependence")
    sql(
        """CREATE TEMPORARY TABLE trust_dependence (
            source_key INTEGER, other_key INTEGER, copy DOUBLE PRECISION,
            PRIMARY KEY (source_key, other_key))"""
    )
    by_property = "i.property_id" if settings.DEPENDENCE_BY_PROPERTY else "MIN(0)"
    grouped = ", i.property_id" if settings.DEPENDENCE_BY_PROPERTY else ""
    pairs = sql(
        f"""SELECT a.source_key, b.source_key, ka.accuracy, kb.accuracy, {by_property},
                  COUNT(*) AS shared,
                  SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n
                      THEN COALESCE(t.credit, 0.0) ELSE 0.0 END) AS true_agreed,
                  SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n
                      THEN 1.0 - COALESCE(t.credit, 0.0) ELSE 0.0 END) AS false_agreed,
                  SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n
                      THEN 0 ELSE 1 END) AS differed
        FROM trust_given a
        JOIN trust_given b ON b.item = a.item AND b.source_key > a.source_key
        JOIN trust_sources ka ON ka.source_key = a.source_key
        JOIN trust_sources kb ON kb.source_key = b.source_key
        JOIN trust_items i ON i.item = a.item
        LEFT JOIN trust_answers t ON t.claim_id = a.lo
        WHERE ka.vote_unit <> kb.vote_unit
        GROUP BY a.source_key, b.source_key, ka.accuracy, kb.accuracy{grouped}
        HAVING COUNT(*) >= :min_shared""",
        {"min_shared": settings.DEPENDENCE_MIN_SHARED},
    ).all()
    # a copier copies every property: with DEPENDENCE_BY_PROPERTY, a pair is as likely
    # copies as on the property where it least looks like copies (sources that share an
    # error, or the truth the model holds false, on one property only are not copies)
    copying: dict[tuple[int, int], float] = {}
    for a, b, accuracy_a, accuracy_b, _prop, _shared, true_agreed, false_agreed, differed in pairs:
        p = copy_probability(
            float(accuracy_a),
            float(accuracy_b),
            float(true_agreed or 0.0),
            float(false_agreed or 0.0),
            float(differed or 0.0),
        )
        copying[(a, b)] = min(p, copying.get((a, b), 1.0))
    rows = []
    likely = 0
    for (a, b), p in copying.items():
        if p < settings.DEPENDENCE_FLOOR:
            continue
        likely += p > 0.5
        rows += [
            {"source_key": a, "other_key": b, "copy": p},
            {"source_key": b, "other_key": a, "copy": p},
        ]
    if rows:
        sql(
            """INSERT INTO trust_dependence (source_key, other_key, copy)
            VALUES (:source_key, :other_key, :copy)""",
            rows,
        )
    sql(
        """UPDATE trust_evidence SET independence = 1.0 / (1.0 + COALESCE((
            SELECT SUM(d.copy) FROM trust_dependence d
            JOIN trust_evidence o ON o.claim_id = trust_evidence.claim_id
                 AND o.source_key = d.other_key
            WHERE d.source_key = trust_evidence.source_key), 0.0))
        WHERE active = 1 AND source_key IN (SELECT source_key FROM trust_dependence)"""
    )
    return likely
