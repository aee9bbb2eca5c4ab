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

**Leaving dependents out** (``LEAVE_OUT_SHARE`` > 0), a rule read from what the
sources say rather than from what the model learned: two sources (not one copy group)
identical on at least that share of the ``COPY_MIN_SHARED`` or more disputed items they
share are each other's dependents (:func:`find_dependents`), and a source with
dependents earns, on each item, the probability of its answer computed without its own
vote and theirs (:func:`leave_dependents_out`): sources moving together do not vouch
for each other. Both are off by default; ``trust/__init__`` says why.
"""

from __future__ import annotations

import math

from . import settings
from .sql import Sql, exp


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
    sql("CREATE INDEX IF NOT EXISTS trust_evidence_claim ON trust_evidence (claim_id, source_key)")
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


def find_dependents(sql: Sql) -> int:
    """``trust_dependents``: pairs of sources (not one copy group) identical on at least
    ``LEAVE_OUT_SHARE`` of the at least ``COPY_MIN_SHARED`` disputed items they share; how
    many pairs. Counted from what the sources say, never from what the model learned."""
    sql.drop("trust_dependents", "trust_left_out")
    sql("CREATE TEMPORARY TABLE trust_dependents (source_key INTEGER, other_key INTEGER)")
    sql(
        """CREATE TEMPORARY TABLE trust_left_out (
            source_key INTEGER, claim_id INTEGER, credit DOUBLE PRECISION,
            PRIMARY KEY (source_key, claim_id))"""
    )
    if settings.LEAVE_OUT_SHARE <= 0:
        return 0
    sql(
        """INSERT INTO trust_dependents (source_key, other_key)
        SELECT a.source_key, b.source_key
        FROM trust_given a JOIN trust_given b ON b.item = a.item AND b.source_key <> a.source_key
        JOIN trust_sources ka ON ka.source_key = a.source_key
        JOIN trust_sources kb ON kb.source_key = b.source_key
        WHERE ka.vote_unit <> kb.vote_unit
        GROUP BY a.source_key, b.source_key
        HAVING COUNT(*) >= :min_shared
           AND SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n THEN 1 ELSE 0 END)
               >= :share * COUNT(*)""",
        {"min_shared": settings.COPY_MIN_SHARED, "share": settings.LEAVE_OUT_SHARE},
    )
    sql("CREATE INDEX trust_dependents_source ON trust_dependents (source_key)")
    return int(sql("SELECT COUNT(*) FROM trust_dependents").scalar() or 0)


def leave_dependents_out(sql: Sql) -> None:
    """``trust_left_out``: for a source with dependents, the probability of each of its
    answers with its dependents' votes taken out of its item: the credit it earns, so that
    agreeing with the sources it moves with does not make it look accurate."""
    sql("DELETE FROM trust_left_out")
    sql(
        f"""INSERT INTO trust_left_out (source_key, claim_id, credit)
        WITH removed AS (
            SELECT d.source_key, e.claim_id,
                   SUM(e.weight * e.independence * sp.log_odds) AS vote
            FROM (SELECT source_key, other_key FROM trust_dependents
                  UNION SELECT source_key, source_key FROM trust_dependents) d
            JOIN trust_evidence e ON e.source_key = d.other_key AND e.active = 1
            JOIN trust_source_properties sp ON sp.source_key = e.source_key
                 AND sp.property_id = e.property_id
            GROUP BY d.source_key, e.claim_id),
        mine AS (
            SELECT DISTINCT e.source_key, e.item FROM trust_evidence e
            WHERE e.active = 1 AND e.source_key IN (SELECT source_key FROM trust_dependents)),
        adjusted AS (
            SELECT m.source_key, t.item, t.claim_id, t.own - COALESCE(r.vote, 0.0) AS score
            FROM mine m JOIN trust_scores t ON t.item = m.item
            LEFT JOIN removed r ON r.source_key = m.source_key AND r.claim_id = t.claim_id),
        tops AS (
            SELECT source_key, item, MAX(score) AS top FROM adjusted
            GROUP BY source_key, item),
        weighed AS (
            SELECT a.source_key, a.item, a.claim_id,
                   {exp("a.score - o.top")} AS ex
            FROM adjusted a JOIN tops o ON o.source_key = a.source_key AND o.item = a.item)
        SELECT w.source_key, w.claim_id,
               w.ex / (SELECT SUM(x.ex) FROM weighed x
                       WHERE x.source_key = w.source_key AND x.item = w.item)
        FROM weighed w
        JOIN trust_evidence e ON e.source_key = w.source_key AND e.claim_id = w.claim_id"""
    )
