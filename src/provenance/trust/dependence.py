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
weak, disagreement evidence against. An agreement on an answer the model gives
probability ``p`` is weighed as the paper has it, by the likelihood of agreeing on a
value that is true with probability ``p`` (``p · P(agree on the truth) + (1 − p) ·
P(agree on a false value)``, under copying and under independence; :func:`agreement_evidence`).
Counting it instead as ``p`` of an agreement on the truth and ``1 − p`` of one on a false
value (a first version) made two accurate independent sources agreeing on values of
probability .9 look like copies: a tenth of a false agreement already weighs as much as
ten true ones (docs/benchmarks.md, "Eighth pass").

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
from collections.abc import Sequence
from typing import Any

from . import settings
from .sql import Sql, clamped, exp


def _rates(accuracy_a: float, accuracy_b: float) -> tuple[float, float, float, float]:
    """Dong et al.'s chances that two sources agree on the truth and on a false value,
    independent (``true_i``, ``false_i``) and with one copying the other (``_c``)."""
    floor, ceiling = settings.ACCURACY_FLOOR, settings.ACCURACY_CEILING
    a = min(max(accuracy_a, floor), ceiling)
    b = min(max(accuracy_b, floor), ceiling)
    c, n = settings.DEPENDENCE_COPY_RATE, float(settings.DEPENDENCE_N_FALSE)
    true_i = a * b
    false_i = (1.0 - a) * (1.0 - b) / n
    original = (a + b) / 2.0
    return (
        true_i,
        false_i,
        c * original + (1.0 - c) * true_i,
        (c * (1.0 - original) + (1.0 - c) * false_i),
    )


def agreement_evidence(accuracy_a: float, accuracy_b: float, probability: float) -> float:
    """The log-likelihood ratio, copying against independence, of two sources agreeing on
    a value the model holds true with ``probability``."""
    true_i, false_i, true_c, false_c = _rates(accuracy_a, accuracy_b)
    p = min(max(probability, 0.0), 1.0)
    return math.log((p * true_c + (1.0 - p) * false_c) / (p * true_i + (1.0 - p) * false_i))


def agreement_evidence_sql(
    accuracy_a: str, accuracy_b: str, probability: str, false_values: str | None = None
) -> str:
    """:func:`agreement_evidence` as an SQL expression over the three columns (and the
    number of false values, an SQL expression; ``DEPENDENCE_N_FALSE`` without it)."""
    c = float(settings.DEPENDENCE_COPY_RATE)
    n = false_values if false_values is not None else str(float(settings.DEPENDENCE_N_FALSE))
    a, b = clamped(accuracy_a), clamped(accuracy_b)
    p = (
        f"(CASE WHEN {probability} > 1.0 THEN 1.0 WHEN {probability} < 0.0 THEN 0.0"
        f" ELSE {probability} END)"
    )
    true_i = f"({a} * {b})"
    false_i = f"((1.0 - {a}) * (1.0 - {b}) / {n})"
    original = f"(({a} + {b}) / 2.0)"
    true_c = f"({c} * {original} + {1.0 - c} * {true_i})"
    false_c = f"({c} * (1.0 - {original}) + {1.0 - c} * {false_i})"
    return (
        f"ln(({p} * {true_c} + (1.0 - {p}) * {false_c})"
        f" / ({p} * {true_i} + (1.0 - {p}) * {false_i}))"
    )


def copy_probability(
    accuracy_a: float, accuracy_b: float, true_agreed: float, false_agreed: float, differed: float
) -> float:
    """Dong et al.'s posterior probability that one of two sources copies the other, from
    how many values they agreed on that are true, false, and how many they differed on."""
    return copy_probability_of(
        accuracy_a,
        accuracy_b,
        true_agreed * agreement_evidence(accuracy_a, accuracy_b, 1.0)
        + false_agreed * agreement_evidence(accuracy_a, accuracy_b, 0.0),
        differed,
    )


def copy_probability_of(
    accuracy_a: float, accuracy_b: float, agreed_evidence: float, differed: float
) -> float:
    """The same from the summed :func:`agreement_evidence` of the pair's agreements."""
    true_i, false_i, _true_c, _false_c = _rates(accuracy_a, accuracy_b)
    c, prior = settings.DEPENDENCE_COPY_RATE, settings.DEPENDENCE_PRIOR
    differ_i = max(1.0 - true_i - false_i, 1e-9)
    differ_c = (1.0 - c) * differ_i
    evidence = agreed_evidence + differed * math.log(differ_c / differ_i)
    odds = math.log(prior / (1.0 - prior)) + evidence
    if odds > 50:
        return 1.0
    if odds < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-odds))


def weigh_dependence(sql: Sql, *, settled_only: bool = False) -> int:
    """Set every answer's ``independence`` from the pairs' copy probabilities; how many
    pairs have a copy probability of at least ``DEPENDENCE_FLOOR`` (0: every vote is as
    it was). With ``settled_only``, only pairs judged on the items the desk settled
    (``DEPENDENCE_FROM = "settled"``) share their votes."""
    sql.drop("trust_dependence")
    sql("CREATE INDEX IF NOT EXISTS trust_evidence_claim ON trust_evidence (claim_id, source_key)")
    sql("CREATE INDEX IF NOT EXISTS trust_given_answer ON trust_given (item, lo, hi, n)")
    sql(
        """CREATE TEMPORARY TABLE trust_dependence (
            source_key INTEGER, other_key INTEGER, property_id INTEGER,
            copy DOUBLE PRECISION, PRIMARY KEY (source_key, other_key, property_id))"""
    )
    if settings.DEPENDENCE_SHARED not in ("pair", "property"):
        raise ValueError(f"DEPENDENCE_SHARED {settings.DEPENDENCE_SHARED!r}: pair or property")
    each_property = settings.DEPENDENCE_SHARED == "property"
    per_property = settings.DEPENDENCE_BY_PROPERTY or each_property
    by_property = "i.property_id" if per_property else "MIN(0)"
    grouped = ", i.property_id" if per_property else ""
    if settings.DEPENDENCE_ACCURACY not in ("overall", "property"):
        raise ValueError(
            f"DEPENDENCE_ACCURACY {settings.DEPENDENCE_ACCURACY!r}: overall or property"
        )
    # an agreement weighed by the sources' overall accuracies, or by those on its property
    # (a disagreement weighs log(1 - c) whatever the accuracies: copy_probability_of)
    by_accuracy = settings.DEPENDENCE_ACCURACY == "property"
    accuracy_a, accuracy_b = (
        ("pa.accuracy", "pb.accuracy") if by_accuracy else ("ka.accuracy", "kb.accuracy")
    )
    on_property = (
        """JOIN trust_source_properties pa ON pa.source_key = a.source_key
             AND pa.property_id = i.property_id
        JOIN trust_source_properties pb ON pb.source_key = b.source_key
             AND pb.property_id = i.property_id"""
        if by_accuracy
        else ""
    )
    if settings.DEPENDENCE_FALSE_VALUES not in ("fixed", "distinct"):
        raise ValueError(
            f"DEPENDENCE_FALSE_VALUES {settings.DEPENDENCE_FALSE_VALUES!r}: fixed or distinct"
        )
    # the paper's n: DEPENDENCE_N_FALSE, or the item's distinct answers less one (at least 1)
    false_values = (
        "(CASE WHEN i.answers > 2 THEN i.answers - 1.0 ELSE 1.0 END)"
        if settings.DEPENDENCE_FALSE_VALUES == "distinct"
        else None
    )
    agreed = agreement_evidence_sql(accuracy_a, accuracy_b, "COALESCE(t.credit, 0.0)", false_values)
    # per pair over all properties (the default), the items shared and differed on are
    # the copy test's counts (trust_pairs); per property they are counted again
    evidence = (
        pair_evidence(agreed, on_property, by_property=by_property, grouped=grouped)
        if per_property
        else pair_evidence_counted(agreed, on_property)
    )
    pairs = sql(
        evidence, {"min_shared": 1 if each_property else settings.DEPENDENCE_MIN_SHARED}
    ).all()
    if settings.DEPENDENCE_FROM not in ("all", "settled"):
        raise ValueError(f"DEPENDENCE_FROM {settings.DEPENDENCE_FROM!r}: all or settled")
    if settings.DEPENDENCE_FROM == "settled" and not each_property:
        pairs = judged_on_settled_items(sql, pairs, agreed, on_property, only=settled_only)
    if each_property:
        rows = votes_shared_by_property(pairs)
    else:
        rows = votes_shared_by_pair(pairs)
    if rows:
        sql(
            """INSERT INTO trust_dependence (source_key, other_key, property_id, copy)
            VALUES (:source_key, :other_key, :property_id, :copy)""",
            rows,
        )
    if settings.DEPENDENCE_VOTE not in ("share", "copy-rate"):
        raise ValueError(f"DEPENDENCE_VOTE {settings.DEPENDENCE_VOTE!r}: share or copy-rate")
    # what a source keeps of its vote, x its copy probabilities summed over the other
    # sources giving its answer: 1 / (1 + x), or with copy-rate (1 + (1 - c) x) / (1 + x),
    # that is kept + (1 - kept) / (1 + x) with kept = 1 - c
    kept = (
        1.0 - float(settings.DEPENDENCE_COPY_RATE)
        if settings.DEPENDENCE_VOTE == "copy-rate"
        else 0.0
    )
    sql(
        f"""UPDATE trust_evidence SET independence = {kept} + {1.0 - kept} / (1.0 + COALESCE((
            SELECT SUM(d.copy) FROM trust_dependence d
            JOIN trust_evidence o ON o.claim_id = trust_evidence.claim_id
                 AND o.source_key = d.other_key
            WHERE d.source_key = trust_evidence.source_key
              AND d.property_id IN (0, trust_evidence.property_id)), 0.0))
        WHERE active = 1 AND source_key IN (SELECT source_key FROM trust_dependence)"""
    )
    return len({(r["source_key"], r["other_key"]) for r in rows}) // 2


def pair_evidence(
    agreed: str,
    on_property: str,
    *,
    by_property: str = "MIN(0)",
    grouped: str = "",
    items: str = "",
) -> str:
    """SQL: each pair of sources (not one copy group) sharing at least ``:min_shared``
    items (those of ``items``, a condition on ``i``): (source, other, their accuracies,
    ``by_property``, items shared, the evidence of their agreements, ``agreed`` summed,
    how many items they differ on), per pair (and ``grouped``)."""
    return f"""SELECT a.source_key, b.source_key, ka.accuracy, kb.accuracy, {by_property},
              COUNT(*) AS shared,
              SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n
                  THEN {agreed} ELSE 0.0 END) AS agreed_evidence,
              SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n
                  THEN 0 ELSE 1 END) AS differed
        FROM trust_given a
        JOIN trust_given b ON b.item = a.item AND b.source_key > a.source_key
        JOIN trust_sources ka ON ka.source_key = a.source_key
        JOIN trust_sources kb ON kb.source_key = b.source_key
        JOIN trust_items i ON i.item = a.item{items}
        {on_property}
        LEFT JOIN trust_answers t ON t.claim_id = a.lo
        WHERE ka.vote_unit <> kb.vote_unit
        GROUP BY a.source_key, b.source_key, ka.accuracy, kb.accuracy{grouped}
        HAVING COUNT(*) >= :min_shared"""


def pair_evidence_counted(agreed: str, on_property: str) -> str:
    """SQL: the rows of :func:`pair_evidence` over all properties, the items shared and
    differed on read from ``trust_pairs`` (copies.py) and the agreements' evidence summed
    over the pairs that give the same answers only, found through ``trust_given_answer``
    rather than every pair within each item. A pair that never agrees has 0 evidence."""
    return f"""SELECT p.source_key, p.other_key, ka.accuracy, kb.accuracy, 0, p.shared,
              COALESCE(g.agreed_evidence, 0.0) AS agreed_evidence,
              p.shared - p.same AS differed
        FROM trust_pairs p
        JOIN trust_sources ka ON ka.source_key = p.source_key
        JOIN trust_sources kb ON kb.source_key = p.other_key
        LEFT JOIN (SELECT a.source_key, b.source_key AS other_key,
                          SUM({agreed}) AS agreed_evidence
                   FROM trust_given a
                   JOIN trust_given b ON b.item = a.item AND b.lo = a.lo AND b.hi = a.hi
                        AND b.n = a.n AND b.source_key > a.source_key
                   JOIN trust_sources ka ON ka.source_key = a.source_key
                   JOIN trust_sources kb ON kb.source_key = b.source_key
                   JOIN trust_items i ON i.item = a.item
                   {on_property}
                   LEFT JOIN trust_answers t ON t.claim_id = a.lo
                   WHERE ka.vote_unit <> kb.vote_unit
                   GROUP BY a.source_key, b.source_key) g
             ON g.source_key = p.source_key AND g.other_key = p.other_key
        WHERE ka.vote_unit <> kb.vote_unit AND p.shared >= :min_shared"""


def judged_on_settled_items(
    sql: Sql, pairs: Sequence[Any], agreed: str, on_property: str, *, only: bool = False
) -> list[Any]:
    """``DEPENDENCE_FROM = "settled"``: a pair that shares at least
    ``DEPENDENCE_MIN_SHARED`` items the desk settled is judged on those alone, where the
    truth is known rather than the model's (whose answers the shared votes move); the
    others on all their shared items, or with ``only`` not at all (independent)."""
    settled = {
        (row[0], row[1]): row
        for row in sql(
            pair_evidence(agreed, on_property, items=" AND i.known > 0"),
            {"min_shared": settings.DEPENDENCE_MIN_SHARED},
        ).all()
    }
    if only:
        return [settled[(row[0], row[1])] for row in pairs if (row[0], row[1]) in settled]
    return [settled.get((row[0], row[1]), row) for row in pairs]


def votes_shared_by_pair(pairs: Sequence[Any]) -> list[dict[str, Any]]:
    """``trust_dependence`` rows (property 0: every property) of the pairs' copy
    probabilities, over all their shared items or (``DEPENDENCE_BY_PROPERTY``) the least
    of those on each property."""
    # a copier copies every property: with DEPENDENCE_BY_PROPERTY, a pair is as likely
    # copies as on the property where it least looks like copies (sources that share an
    # error, or the truth the model holds false, on one property only are not copies)
    copying: dict[tuple[int, int], float] = {}
    for a, b, accuracy_a, accuracy_b, _prop, _shared, agreed_evidence, differed in pairs:
        p = copy_probability_of(
            float(accuracy_a),
            float(accuracy_b),
            float(agreed_evidence or 0.0),
            float(differed or 0.0),
        )
        copying[(a, b)] = min(p, copying.get((a, b), 1.0))
    rows = []
    for (a, b), p in copying.items():
        if p < settings.DEPENDENCE_FLOOR:
            continue
        rows += [
            {"source_key": a, "other_key": b, "property_id": 0, "copy": p},
            {"source_key": b, "other_key": a, "property_id": 0, "copy": p},
        ]
    return rows


def votes_shared_by_property(pairs: Sequence[Any]) -> list[dict[str, Any]]:
    """``DEPENDENCE_SHARED = "property"``: a pair's votes on a property are shared by its
    copy probability on that property where it shares at least ``DEPENDENCE_MIN_SHARED``
    disputed items there (a site may take its times from one feed and its gates from
    another), elsewhere by the one over all its shared items (the evidence adds up)."""
    joint: dict[tuple[int, int], list[float]] = {}
    accuracies: dict[tuple[int, int], tuple[float, float]] = {}
    for a, b, accuracy_a, accuracy_b, _prop, shared, agreed_evidence, differed in pairs:
        sums = joint.setdefault((a, b), [0.0, 0.0, 0.0])
        sums[0] += float(shared)
        sums[1] += float(agreed_evidence or 0.0)
        sums[2] += float(differed or 0.0)
        accuracies[(a, b)] = (float(accuracy_a), float(accuracy_b))
    overall = {
        key: copy_probability_of(*accuracies[key], sums[1], sums[2])
        for key, sums in joint.items()
        if sums[0] >= settings.DEPENDENCE_MIN_SHARED
    }
    rows = []
    for a, b, accuracy_a, accuracy_b, prop, shared, agreed_evidence, differed in pairs:
        if shared >= settings.DEPENDENCE_MIN_SHARED:
            p = copy_probability_of(
                float(accuracy_a),
                float(accuracy_b),
                float(agreed_evidence or 0.0),
                float(differed or 0.0),
            )
        else:
            p = overall.get((a, b), 0.0)
        if p < settings.DEPENDENCE_FLOOR:
            continue
        rows += [
            {"source_key": a, "other_key": b, "property_id": int(prop), "copy": p},
            {"source_key": b, "other_key": a, "property_id": int(prop), "copy": p},
        ]
    return rows


def likely_copies(sql: Sql) -> dict[tuple[int, int], dict[tuple[int, int], float]]:
    """The pairs :func:`weigh_dependence` found (after it ran), by (document, speaker or
    0): what ``conflicts --explain`` shows of a vote shared with likely copies."""
    found: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    # (with DEPENDENCE_SHARED = "property", the most a pair copies on any property)
    for document, speaker, other_document, other_speaker, p in sql(
        """SELECT ka.document_id, ka.attributed_to_id, kb.document_id, kb.attributed_to_id,
                  MAX(d.copy)
           FROM trust_dependence d
           JOIN trust_sources ka ON ka.source_key = d.source_key
           JOIN trust_sources kb ON kb.source_key = d.other_key
           GROUP BY ka.document_id, ka.attributed_to_id, kb.document_id, kb.attributed_to_id"""
    ).all():
        found.setdefault((int(document), int(speaker)), {})[
            (int(other_document), int(other_speaker))
        ] = float(p)
    return found


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
    # both ways round, from the copy test's counts of each pair (trust_pairs)
    for source, other in (("source_key", "other_key"), ("other_key", "source_key")):
        sql(
            f"""INSERT INTO trust_dependents (source_key, other_key)
            SELECT p.{source}, p.{other}
            FROM trust_pairs p
            JOIN trust_sources ka ON ka.source_key = p.source_key
            JOIN trust_sources kb ON kb.source_key = p.other_key
            WHERE ka.vote_unit <> kb.vote_unit AND p.shared >= :min_shared
              AND p.same >= :share * p.shared""",
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
