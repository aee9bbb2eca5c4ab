"""The model's evidence: sources, items, answers and who gives them, as temporary tables.

:func:`build_evidence` reads the product's own tables once (claims, citations,
sources, the desk's verdicts) into ``trust_sources``, ``trust_items``,
``trust_evidence``, ``trust_known`` and ``trust_source_properties``;
:func:`build_compatible` pairs the answers of one item that can both be true.
"""

from __future__ import annotations

from . import settings
from .lists import build_list_implication
from .sql import Sql, case, desk_answers, document_of, exp, live_citation, log_odds


def evidence_filter(public_only: bool) -> str:
    # values of a multi-valued property do not compete: they say nothing of each other
    where = (
        f"c.rank <> 'deprecated' AND {live_citation('ci')}"
        " AND c.property_id IN (SELECT id FROM properties WHERE multi = :false)"
    )
    if public_only:
        where += " AND s.confidential = :false AND (p.id IS NULL OR p.confidential = :false)"
    return where


def build_evidence(sql: Sql, public_only: bool) -> None:
    float_ = "DOUBLE PRECISION"
    sql(
        f"""CREATE TEMPORARY TABLE trust_sources (
            source_key INTEGER PRIMARY KEY, document_id INTEGER, attributed_to_id INTEGER,
            grade VARCHAR(1), peer_class VARCHAR(40), prior {float_}, prior_weight {float_},
            base {float_},
            accuracy {float_},
            previous {float_}, vote_unit INTEGER)"""
    )
    sql(
        f"""CREATE TEMPORARY TABLE trust_source_properties (
            source_key INTEGER, property_id INTEGER, accuracy {float_}, previous {float_},
            log_odds {float_}, PRIMARY KEY (source_key, property_id))"""
    )
    sql(
        """CREATE TEMPORARY TABLE trust_items (
            item INTEGER PRIMARY KEY, subject_id INTEGER, property_id INTEGER,
            scope_key VARCHAR(1000), answers INTEGER DEFAULT 0, known INTEGER DEFAULT 0,
            held INTEGER DEFAULT 0, hardness DOUBLE PRECISION DEFAULT 1.0,
            leader INTEGER, margin DOUBLE PRECISION, tie INTEGER DEFAULT 0)"""
    )
    sql(
        f"""CREATE TEMPORARY TABLE trust_evidence (
            item INTEGER, claim_id INTEGER, source_key INTEGER, property_id INTEGER,
            document_id INTEGER, weight {float_}, vote_unit INTEGER, active INTEGER DEFAULT 0,
            independence {float_} DEFAULT 1.0, teach {float_} DEFAULT 1.0)"""
    )
    sql("CREATE TEMPORARY TABLE trust_known (claim_id INTEGER PRIMARY KEY)")
    sql(
        f"""CREATE TEMPORARY TABLE trust_scores (
            item INTEGER, claim_id INTEGER PRIMARY KEY, own {float_}, score {float_})"""
    )
    sql(
        f"""CREATE TEMPORARY TABLE trust_answers (
            item INTEGER, claim_id INTEGER PRIMARY KEY, score {float_}, probability {float_},
            credit {float_}, ex {float_}, z {float_})"""
    )
    sql("CREATE INDEX trust_answers_item ON trust_answers (item)")
    joins = f"""FROM claims c
        JOIN citations ci ON ci.claim_id = c.id
        JOIN sources s ON s.id = {document_of("ci")}
        LEFT JOIN sources p ON p.id = s.parent_id
        WHERE {evidence_filter(public_only)}"""
    params = {"false": False}
    sql(
        f"""INSERT INTO trust_sources (source_key, document_id, attributed_to_id, grade)
        SELECT ROW_NUMBER() OVER (ORDER BY d.document_id, d.attributed_to_id),
               d.document_id, d.attributed_to_id, d.grade
        FROM (SELECT DISTINCT {document_of("ci")} AS document_id,
                     COALESCE(ci.attributed_to_id, 0) AS attributed_to_id,
                     s.reliability AS grade
              {joins}) d""",
        params,
    )
    sql(
        f"""UPDATE trust_sources SET prior = {case("grade", settings.PRIOR, settings.PRIOR["F"])},
            prior_weight = {case("grade", settings.PRIOR_WEIGHT, settings.PRIOR_WEIGHT["F"])},
            vote_unit = source_key"""
    )
    sql("UPDATE trust_sources SET accuracy = prior, previous = prior, base = prior")
    sql(
        "UPDATE trust_sources SET peer_class = (SELECT s.kind FROM sources s"
        " WHERE s.id = trust_sources.document_id)"
    )
    sql(
        f"""INSERT INTO trust_items (item, subject_id, property_id, scope_key)
        SELECT ROW_NUMBER() OVER (ORDER BY d.subject_id, d.property_id, d.scope_key),
               d.subject_id, d.property_id, d.scope_key
        FROM (SELECT DISTINCT c.subject_id, c.property_id, c.scope_key {joins}) d""",
        params,
    )
    sql("CREATE INDEX trust_items_key ON trust_items (subject_id, property_id, scope_key)")
    sql(
        f"""INSERT INTO trust_evidence (item, claim_id, source_key, property_id, document_id,
                                     weight)
        SELECT i.item, c.id, k.source_key, c.property_id, k.document_id,
               MAX({case("ci.confidence", settings.CONFIDENCE, settings.CONFIDENCE["medium"])})
        FROM claims c
        JOIN citations ci ON ci.claim_id = c.id
        JOIN sources s ON s.id = {document_of("ci")}
        LEFT JOIN sources p ON p.id = s.parent_id
        JOIN trust_items i ON i.subject_id = c.subject_id AND i.property_id = c.property_id
             AND i.scope_key = c.scope_key
        JOIN trust_sources k ON k.document_id = {document_of("ci")}
             AND k.attributed_to_id = COALESCE(ci.attributed_to_id, 0)
        WHERE {evidence_filter(public_only)}
        GROUP BY i.item, c.id, k.source_key, c.property_id, k.document_id""",
        params,
    )
    sql("CREATE INDEX trust_evidence_item ON trust_evidence (item, source_key)")
    sql("CREATE INDEX trust_evidence_source ON trust_evidence (source_key, property_id)")
    # known truth: only answers that are themselves evidence here
    sql(
        f"""INSERT INTO trust_known (claim_id)
        SELECT DISTINCT d.claim_id FROM ({desk_answers()}) d
        WHERE d.claim_id IN (SELECT claim_id FROM trust_evidence)"""
    )
    sql(
        """UPDATE trust_items SET
            answers = (SELECT COUNT(DISTINCT e.claim_id) FROM trust_evidence e
                       WHERE e.item = trust_items.item),
            known = (SELECT COUNT(DISTINCT e.claim_id) FROM trust_evidence e
                     JOIN trust_known k ON k.claim_id = e.claim_id
                     WHERE e.item = trust_items.item)"""
    )
    # an item with one answer and no verdict is certain whatever the trust: rounds skip it
    sql(
        """UPDATE trust_evidence SET active = 1 WHERE item IN
            (SELECT item FROM trust_items WHERE answers > 1 OR known > 0)"""
    )
    sql(
        f"""INSERT INTO trust_source_properties (source_key, property_id, accuracy, previous,
                                                 log_odds)
        SELECT k.source_key, e.property_id, k.prior, k.prior, {log_odds("k.prior")}
        FROM (SELECT DISTINCT source_key, property_id FROM trust_evidence) e
        JOIN trust_sources k ON k.source_key = e.source_key"""
    )
    build_compatible(sql)


def overlap(a: str, b: str, low: str, high: str) -> str:
    """SQL: both claims have a ``low``/``high`` interval and the two overlap (open ends allowed)."""
    return f"""(({a}.{low} IS NOT NULL OR {a}.{high} IS NOT NULL)
        AND ({b}.{low} IS NOT NULL OR {b}.{high} IS NOT NULL)
        AND ({a}.{low} IS NULL OR {b}.{high} IS NULL OR {a}.{low} <= {b}.{high})
        AND ({b}.{low} IS NULL OR {a}.{high} IS NULL OR {b}.{low} <= {a}.{high}))"""


# Every ordered pair of two answers (a, b) of one item that has more than one, with their
# claims as ``ca`` and ``cb``: what the compatible and near answers are chosen from.
ANSWER_PAIRS = """FROM (SELECT DISTINCT item, claim_id FROM trust_evidence) a
        JOIN trust_items i ON i.item = a.item AND i.answers > 1
        JOIN (SELECT DISTINCT item, claim_id FROM trust_evidence) b
             ON b.item = a.item AND b.claim_id <> a.claim_id
        JOIN claims ca ON ca.id = a.claim_id
        JOIN claims cb ON cb.id = b.claim_id"""


def build_compatible(sql: Sql) -> None:
    """Answers of one item that can both be true: "2007" and "March 2007", "at least 70" and "97".

    They are separate answers, but a source giving one is not contradicted by the other:
    its credit is the probability that the truth is compatible with what it said.
    """
    sql("CREATE TEMPORARY TABLE trust_compatible (claim_id INTEGER, other_id INTEGER)")
    sql(
        f"""INSERT INTO trust_compatible (claim_id, other_id)
        SELECT a.claim_id, b.claim_id
        {ANSWER_PAIRS}
        WHERE {overlap("ca", "cb", "quantity_low", "quantity_high")}
           OR {overlap("ca", "cb", "date_earliest", "date_latest")}"""
    )
    sql("CREATE INDEX trust_compatible_claim ON trust_compatible (claim_id)")
    build_near(sql)


def build_near(sql: Sql) -> None:
    """Exact quantities of one item within ``NEAR_SHARE`` of the larger: "12,301" and "12,300";
    near dates (``NEAR_DATE_STEPS``); lists that are part of another (``lists.py``).

    They still contradict each other (SPEC: an exact number is exact), so they are not
    compatible answers: a near answer lends part of its support to the score and counts
    in its source's credit (``trust_near``; empty when ``NEAR_SHARE`` is 0), but it
    still makes a margin or a tie against the leader.
    """
    sql(
        "CREATE TEMPORARY TABLE trust_near"
        " (claim_id INTEGER, other_id INTEGER, similarity DOUBLE PRECISION,"
        " in_credit DOUBLE PRECISION)"
    )
    build_near_numbers(sql)
    build_near_dates(sql)
    build_list_implication(sql)
    sql("CREATE INDEX trust_near_claim ON trust_near (claim_id)")


def build_near_numbers(sql: Sql) -> None:
    """Near exact quantities into ``trust_near``, with their similarity (``NEAR_DECAY``)."""
    if settings.NEAR_SHARE <= 0:
        return
    x, y = "ABS(ca.quantity_low)", "ABS(cb.quantity_low)"
    larger = f"(CASE WHEN {x} > {y} THEN {x} ELSE {y} END)"
    within = f"{float(settings.NEAR_SHARE)} * {larger}"
    similarity = "1.0"
    if settings.NEAR_DECAY > 0:
        # the distance relative to the larger figure, in units of NEAR_DECAY (never 0 / 0:
        # two different figures within a share of the larger are not both 0)
        distance = f"ABS(ca.quantity_low - cb.quantity_low) / {larger}"
        similarity = exp(f"-({distance}) / {float(settings.NEAR_DECAY)}")
    sql(
        f"""INSERT INTO trust_near (claim_id, other_id, similarity, in_credit)
        SELECT a.claim_id, b.claim_id, {similarity}, {similarity}
        {ANSWER_PAIRS}
        WHERE ca.quantity_low IS NOT NULL AND ca.quantity_low = ca.quantity_high
          AND cb.quantity_low IS NOT NULL AND cb.quantity_low = cb.quantity_high
          AND ca.quantity_low <> cb.quantity_low
          AND ABS(ca.quantity_low - cb.quantity_low) <= {within}"""
    )


def seconds(sql: Sql, moment: str) -> str:
    """SQL: a stored date bound (``YYYY-MM-DDTHH:MM:SS``, years 0001 … 9999) in seconds."""
    if sql.sqlite:
        # julianday is a fraction of days: rounded, so that a minute is 60 s exactly
        return f"ROUND(julianday({moment}) * 86400.0)"
    return f"EXTRACT(EPOCH FROM CAST({moment} AS TIMESTAMP))"


def build_near_dates(sql: Sql) -> None:
    """Dates of one item at one precision at most ``NEAR_DATE_STEPS`` of its units apart.

    "15:27" and "15:28" (minutes), "2007" and "2008" (years): neither contains the other,
    so they contradict each other, but a source giving one is nearly right where the other
    is true. Its unit is the width of its interval (a minute, a day, a year; a month 28 to
    31 days, so widths within 10 % of each other are one precision); they go in
    ``trust_near`` with similarity 1, as near numbers do.
    """
    if settings.NEAR_DATE_STEPS <= 0:
        return
    width = {
        side: f"({seconds(sql, f'c{side}.date_latest')} - {seconds(sql, f'c{side}.date_earliest')}"
        " + 1.0)"
        for side in "ab"
    }
    wider = f"(CASE WHEN {width['a']} > {width['b']} THEN {width['a']} ELSE {width['b']} END)"
    narrower = f"(CASE WHEN {width['a']} > {width['b']} THEN {width['b']} ELSE {width['a']} END)"
    apart = f"ABS({seconds(sql, 'ca.date_earliest')} - {seconds(sql, 'cb.date_earliest')})"
    sql(
        f"""INSERT INTO trust_near (claim_id, other_id, similarity, in_credit)
        SELECT a.claim_id, b.claim_id, 1.0, {1.0 if settings.NEAR_DATE_CREDIT else 0.0}
        {ANSWER_PAIRS}
        WHERE ca.date_earliest IS NOT NULL AND ca.date_latest IS NOT NULL
          AND cb.date_earliest IS NOT NULL AND cb.date_latest IS NOT NULL
          AND (ca.date_latest < cb.date_earliest OR cb.date_latest < ca.date_earliest)
          AND {narrower} >= 0.9 * {wider}
          AND {apart} <= {float(settings.NEAR_DATE_STEPS)} * {wider} + 0.5"""
    )


def weigh_teaching(sql: Sql) -> None:
    """How much each answer teaches its source's accuracy (``TEACH``), once copies are known.

    ``"answers"``: every answer 1. ``"independent"``: 0 on items that fewer than two
    independent sources (vote units: a copy group is one) answer. ``"cluster"``: as
    ``"independent"``, and 1 / the number of independent sources giving the answer;
    ``"cluster-half"``, 2 / (that number + 1) (the rounds teach items the desk settled
    in full whatever this says).
    """
    if settings.TEACH == "answers":
        return
    if settings.TEACH not in ("independent", "cluster", "cluster-half"):
        raise ValueError(
            f"TEACH {settings.TEACH!r}: one of answers, independent, cluster, cluster-half"
        )
    per_answer = {
        "cluster": "1.0 / g.units",
        "cluster-half": "2.0 / (g.units + 1.0)",
    }.get(settings.TEACH, "1.0")
    sql(
        f"""UPDATE trust_evidence SET teach = CASE WHEN t.units < 2 THEN 0.0 ELSE {per_answer} END
        FROM (SELECT item, COUNT(DISTINCT vote_unit) AS units FROM trust_evidence
              GROUP BY item) t,
             (SELECT claim_id, COUNT(DISTINCT vote_unit) AS units FROM trust_evidence
              GROUP BY claim_id) g
        WHERE t.item = trust_evidence.item AND g.claim_id = trust_evidence.claim_id"""
    )
