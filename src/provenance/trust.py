"""Source trust, learned in the database: which answer is most likely true, and why.

**The model** is the Bayesian iterative-accuracy model ACCU of X. L. Dong,
L. Berti-Equille and D. Srivastava, "Integrating conflicting data: the role of source
dependence", PVLDB 2(1), 2009, with the pseudo-count smoothing of a prior, and its copy
detection simplified to a rule a desk can read. In its words:

* An **item** is (subject, property, scope key as ``claims.scope_key`` stores it) of a
  single-valued property (values of a ``multi`` property do not compete, so they teach
  nothing); an **answer** is a claim in it; a **source** is (document,
  ``attributed_to``) as SPEC §3 rule 4 defines it (:func:`document_of` is the one SQL
  expression for "the document of a citation"). Deprecated claims and denials take no
  part; a citation counts with the weight of its confidence (``CONFIDENCE``).
* Each source has an accuracy ``A`` — the probability that a value it gives is true.
  It starts at its grade's prior (``PRIOR``) and is re-estimated each round as the
  weighted mean *credit* of its answers on disputed items (more than one answer) and on
  items the desk settled, smoothed by ``PRIOR_WEIGHT`` pseudo-answers at the prior: a
  grade is the desk's considered judgement and weighs 20 answers, an ``F`` ("cannot be
  judged") 2, so it learns fast. An undisputed answer says nothing about its source and
  does not count. An answer's credit is the probability that the truth is compatible
  with it: its own probability plus that of the answers it is compatible with
  (overlapping quantity or date intervals: "2007" and "March 2007").
* Per property, a source's accuracy on one property moves away from its overall one
  only by the desk's verdicts on that property, shrunk toward the overall accuracy by
  ``PROPERTY_WEIGHT`` pseudo-answers (``PROPERTY_LEARNING = "verdicts"``). The
  alternative, ``"agreement"`` (a source with at least ``PROPERTY_MIN_ANSWERS`` disputed
  answers on a property learns there from agreement too: a flight site right on gates
  and wrong on departures is trusted on gates), is better on synthetic worlds whose
  errors are independent, but where most independent feeds share one error on a
  property — Flight's actual departures, most feeds one minute late — it learns that the
  error is right: .836 against .887 on the Flight day of ``../shared/data`` (.835 against
  .917 with verdicts). Real feeds share errors, so the default is verdicts only; the
  figures are in ``docs/benchmarks.md``. A verdict weighs ``VERDICT_WEIGHT`` agreements.
* An answer's own score is the sum, over its sources, of ``confidence × ln(N_FALSE · A
  / (1 − A))`` (the vote count of ACCU, floored at 0: a source worse than chance is
  ignored, not read backwards); its score adds ``COMPATIBLE_SHARE`` of the own scores
  of the answers compatible with it (as ``conflicts`` counts support). The probability
  of each answer is ``exp(score)`` normalised over its item's answers.
* **Known truth**: a ``preferred`` claim, and the accepted answer of a question the desk
  resolved (:func:`desk_answers`), have probability 1 and the other answers of their
  item 0; those items count ``VERDICT_WEIGHT`` times in every accuracy estimate. A desk
  verdict thus teaches the accuracy of every source on every side, per property.
* **Copies**: two sources that give identical answers on at least ``COPY_SHARE`` of at
  least ``COPY_MIN_SHARED`` disputed items both answer are suggested as one feed;
  suggestions chain into groups. By default (``COUNT_COPIES_ONCE``) a group's members
  share one vote: for each answer, the mean of its members' votes, not their sum.
  Speakers quoted in one document are sources of their own (each has its track
  record), but on one answer the document counts once, at its strongest speaker's vote
  (SPEC §3: evidence from the same document counts once).
  Disputed items only, because independent sources agree on what is easy and true; only
  copies also agree on what is disputed. The cost is a self-join per item (pairs of
  sources within an item), never over all pairs of claims.
* Rounds repeat until no accuracy moves by more than ``TOLERANCE`` (at most
  ``MAX_ROUNDS``). Every round is a handful of set-based statements over temporary
  tables — never a loop over claims in Python.
* The **leader** of an item is its most probable answer; its **margin** is its
  probability less that of the best answer it contradicts (a compatible one does not
  count), and a **tie** is a margin below ``TIE``: only where the evidence is equal.

The constants (``VERDICT_WEIGHT``, ``PROPERTY_WEIGHT``, ``N_FALSE``, ``PROPERTY_LEARNING``,
``COUNT_COPIES_ONCE``) were chosen on the synthetic worlds of ``benchmarks/truth/``
(known truth, accuracies and planted copiers; ``synthetic_run.py tune``); between the two
settings the synthetic worlds barely separate (``PROPERTY_LEARNING``, ``VERDICT_WEIGHT`` 3
or 20: means .938 and .939 over the worlds), the one Flight day given for development
decided, and the team's further Flight days measure it. ``COPY_SHARE`` is the rule the
brief asked to measure on Flight: its copies are identical on ≥ 99.1 % of the disputed
items they share, its independent sites on ≤ 97.1 %, and 0.98 sits in that gap (the
synthetic copiers copy 99 % of their values). The figures are in ``docs/benchmarks.md``.

**Results** live in temporary tables of the session's connection until the next
:func:`compute_trust` on it or the connection closes: ``trust_sources`` (one row per
source), ``trust_source_properties``, ``trust_items`` (leader, margin, tie) and
``trust_answers`` (every answer's probability); :class:`TrustResult` returns the
per-source figures, and :func:`answer_probabilities` reads answers, for every item or
for the questions the caller names. Nothing is written to the database's own tables.

``public_only`` leaves out confidential sources (and sections of confidential sources)
entirely: their citations neither vote nor teach, so the trust and leading values of
the public copy rest on public evidence only.

Retracted citations take no part: :func:`_live_citation` asks ``Citation.live_sql``, the
one test of a live citation that conflicts, publishing and exports use too.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .entities import get_property
from .models import Citation

# A grade's prior accuracy, and how many answers' worth of evidence the prior is.
PRIOR = {"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.55, "E": 0.3, "F": 0.5}
PRIOR_WEIGHT = {"A": 20.0, "B": 20.0, "C": 20.0, "D": 20.0, "E": 20.0, "F": 2.0}
PROPERTY_WEIGHT = 30.0
# what moves a source's accuracy on one property away from its overall one, for a source
# with at least PROPERTY_MIN_ANSWERS disputed answers on it (below that, verdicts only):
# "verdicts" (the desk's only), "agreement" (agreement on the property's disputed items
# too), "down" (agreement may lower it, only verdicts raise it)
PROPERTY_LEARNING = "verdicts"
PROPERTY_MIN_ANSWERS = 20
CONFIDENCE = {"high": 1.0, "medium": 0.6, "low": 0.3}
# false values an item could have: the "n" of ACCU
N_FALSE = 10
VERDICT_WEIGHT = 3.0
# the share of a compatible answer's support an answer gets (as conflicts.py counts it)
COMPATIBLE_SHARE = 0.5
COPY_SHARE = 0.98
COPY_MIN_SHARED = 50
COUNT_COPIES_ONCE = True
TOLERANCE = 1e-3
MAX_ROUNDS = 30
# accuracies are kept inside (0, 1) so every vote is finite
ACCURACY_FLOOR, ACCURACY_CEILING = 0.01, 0.99
# exp() of less than this is 0 (PostgreSQL raises on underflow rather than rounding)
EXP_FLOOR = -600.0
# two answers whose probabilities differ by less than this are a tie
TIE = 1e-9

TEMP_TABLES = (
    "trust_sources",
    "trust_source_properties",
    "trust_items",
    "trust_evidence",
    "trust_known",
    "trust_scores",
    "trust_answers",
    "trust_compatible",
    "trust_given",
    "trust_questions",
    "trust_question_scores",
)


# ---------------------------------------------------------------- the pluggable parts


def document_of(citation: str = "ci") -> str:
    """SQL for the document a citation comes from: a copy and its original are one
    document (``Source.document_id``; a copy the desk rejected is its own)."""
    return (
        "COALESCE((SELECT sc.original_id FROM source_copies sc"
        f" WHERE sc.source_id = {citation}.source_id AND sc.status <> 'rejected'),"
        f" {citation}.source_id)"
    )


def _live_citation(citation: str = "ci") -> str:
    """SQL true for a citation that is evidence here: live (not retracted) and asserting."""
    return f"{citation}.stance = 'asserts' AND {Citation.live_sql(citation)}"


def desk_answers() -> str:
    """SQL selecting ``claim_id`` of every answer the desk accepted: known truth.

    A ``preferred`` claim, and the answer a resolved question accepts
    (``resolve --answer``: ``conflicts.answer_claim_id``, asserted). The item of an
    accepted claim is the claim's own (subject, property, scope key), so this is the set
    of (item, accepted claim) pairs.
    """
    return """
        SELECT id AS claim_id FROM claims WHERE rank = 'preferred'
        UNION
        SELECT f.answer_claim_id FROM conflicts f
        WHERE f.status = 'resolved' AND f.answer_claim_id IS NOT NULL
          AND COALESCE(f.answer_stance, 'asserts') = 'asserts'
    """


# ---------------------------------------------------------------- results


@dataclass
class SourceTrust:
    """One source's learned trust and track record (on one property with ``property``)."""

    source_id: int
    slug: str
    attributed_to: str | None
    grade: str
    prior: float
    trust: float
    answers: int
    agreements: int
    disagreements: int
    verdicts: int
    verdicts_upheld: int
    copy_group: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "source": self.slug,
            "source_id": self.source_id,
            "attributed_to": self.attributed_to,
            "grade": self.grade,
            "prior": round(self.prior, 3),
            "trust": round(self.trust, 3),
            "answers": self.answers,
            "agreements": self.agreements,
            "disagreements": self.disagreements,
            "verdicts": self.verdicts,
            "verdicts_upheld": self.verdicts_upheld,
            "copy_group": self.copy_group,
        }


@dataclass
class TrustResult:
    """What :func:`compute_trust` learned; the temporary tables hold the rest."""

    sources: list[SourceTrust]
    # (source id, attributed_to entity id or 0, property name) → (accuracy, answers)
    by_property: dict[tuple[int, int, str], tuple[float, int]]
    copy_groups: list[list[str]]
    rounds: int
    items: int
    public_only: bool
    property: str | None = None
    # wall seconds of each step: evidence, copies, rounds, result
    seconds: dict[str, float] = field(default_factory=dict)
    # (source id, attributed_to entity id or 0, property id) → its record on that property
    records: dict[tuple[int, int, int], TrackRecord] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        return [s.row() for s in self.sources]


@dataclass
class Answer:
    """One answer of an item (or of a question the caller named) with its probability."""

    item: Any
    claim_id: int
    probability: float
    leading: bool
    margin: float
    tie: bool
    known: bool
    # the answer's score (the log of its unnormalised probability), for combining it with
    # evidence the model does not hold (a denial)
    score: float = 0.0


@dataclass
class TrackRecord:
    """A source's learned trust on one property, and what it rests on."""

    trust: float
    answers: int
    agreements: int
    disagreements: int
    verdicts: int
    verdicts_upheld: int


# ---------------------------------------------------------------- the computation


class _Rows:
    """Rows already read: ``all()``, ``scalar()`` and iteration, as a result offers them."""

    def __init__(self, rows: list[Any]):
        self.rows = rows

    def all(self) -> list[Any]:
        return self.rows

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def __iter__(self) -> Any:
        return iter(self.rows)


class _Sql:
    """Statements on one connection, portable between SQLite and PostgreSQL."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.query_only = bool(
            self.sqlite and connection.exec_driver_sql("PRAGMA query_only").scalar()
        )

    def __call__(
        self, sql: str, params: Mapping[str, Any] | list[dict[str, Any]] | None = None
    ) -> Any:
        if self.sqlite and self.query_only:
            # a reading transaction: temporary tables only, so lift query_only around it
            self.connection.exec_driver_sql("PRAGMA query_only = OFF")
            try:
                return self._run(sql, params)
            finally:
                self.connection.exec_driver_sql("PRAGMA query_only = ON")
        return self._run(sql, params)

    def _run(self, sql: str, params: Mapping[str, Any] | list[dict[str, Any]] | None) -> Any:
        if isinstance(params, list):
            return self.connection.execute(text(sql), params)
        result = self.connection.execute(text(sql), dict(params or {}))
        # rows are read now, while query_only is lifted no longer matters for reads
        return _Rows(list(result.all())) if result.returns_rows else result

    def drop(self, *tables: str) -> None:
        schema = "temp" if self.sqlite else "pg_temp"
        for table in tables:
            self(f"DROP TABLE IF EXISTS {schema}.{table}")

    def math_functions(self) -> None:
        """SQLite builds without its math functions get Python's (PostgreSQL has its own)."""
        if not self.sqlite:
            return
        try:
            self("SELECT exp(0.0), ln(1.0)")
        except Exception:
            raw = self.connection.connection.driver_connection
            assert raw is not None
            raw.create_function("exp", 1, math.exp, deterministic=True)
            raw.create_function("ln", 1, math.log, deterministic=True)


_SIDE = "provenance.trust.connection"


def _working_connection(session: Session) -> Connection:
    """A connection that sees the session's snapshot and may write temporary tables.

    A reading transaction refuses writes, temporary tables included. On SQLite its
    ``query_only`` is lifted around each statement here (temporary tables live outside
    the database file, which stays untouched, and no write lock is taken). On
    PostgreSQL a ``READ ONLY`` transaction cannot create them at all: the work runs on a
    second connection of the same engine that imports the session's snapshot
    (``pg_export_snapshot``), so it reads exactly what the session reads; it is closed
    when the session's transaction ends.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return connection
    if connection.exec_driver_sql("SHOW transaction_read_only").scalar() != "on":
        return connection
    side: Connection | None = session.info.get(_SIDE)
    if side is not None:
        return side
    snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
    opened = connection.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    opened.begin()
    opened.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
    session.info[_SIDE] = opened

    def close(_session: Session, transaction: Any) -> None:
        if transaction.parent is None and session.info.get(_SIDE) is opened:
            del session.info[_SIDE]
            opened.close()

    event.listen(session, "after_transaction_end", close)
    return opened


def _exp(expression: str) -> str:
    return f"(CASE WHEN ({expression}) < {EXP_FLOOR} THEN 0.0 ELSE exp({expression}) END)"


def _clamped(expression: str) -> str:
    return (
        f"(CASE WHEN ({expression}) < {ACCURACY_FLOOR} THEN {ACCURACY_FLOOR} "
        f"WHEN ({expression}) > {ACCURACY_CEILING} THEN {ACCURACY_CEILING} ELSE ({expression}) END)"
    )


def _log_odds(accuracy: str) -> str:
    a = _clamped(accuracy)
    vote = f"ln({N_FALSE} * {a} / (1.0 - {a}))"
    return f"(CASE WHEN {vote} < 0.0 THEN 0.0 ELSE {vote} END)"


def _case(column: str, mapping: Mapping[str, float], default: float) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v!r}" for k, v in mapping.items())
    return f"(CASE {column} {whens} ELSE {default!r} END)"


def _evidence_filter(public_only: bool) -> str:
    # values of a multi-valued property do not compete: they say nothing of each other
    where = (
        f"c.rank <> 'deprecated' AND {_live_citation('ci')}"
        " AND c.property_id IN (SELECT id FROM properties WHERE multi = :false)"
    )
    if public_only:
        where += " AND s.confidential = :false AND (p.id IS NULL OR p.confidential = :false)"
    return where


def _build_evidence(sql: _Sql, public_only: bool) -> None:
    float_ = "DOUBLE PRECISION"
    sql(
        f"""CREATE TEMPORARY TABLE trust_sources (
            source_key INTEGER PRIMARY KEY, document_id INTEGER, attributed_to_id INTEGER,
            grade VARCHAR(1), prior {float_}, prior_weight {float_}, accuracy {float_},
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
            leader INTEGER, margin DOUBLE PRECISION, tie INTEGER DEFAULT 0)"""
    )
    sql(
        f"""CREATE TEMPORARY TABLE trust_evidence (
            item INTEGER, claim_id INTEGER, source_key INTEGER, property_id INTEGER,
            document_id INTEGER, weight {float_}, vote_unit INTEGER, active INTEGER DEFAULT 0)"""
    )
    sql("CREATE TEMPORARY TABLE trust_known (claim_id INTEGER PRIMARY KEY)")
    sql(
        f"""CREATE TEMPORARY TABLE trust_scores (
            item INTEGER, claim_id INTEGER PRIMARY KEY, own {float_}, score {float_})"""
    )
    sql(
        f"""CREATE TEMPORARY TABLE trust_answers (
            item INTEGER, claim_id INTEGER PRIMARY KEY, score {float_}, probability {float_},
            credit {float_})"""
    )
    sql("CREATE INDEX trust_answers_item ON trust_answers (item)")
    joins = f"""FROM claims c
        JOIN citations ci ON ci.claim_id = c.id
        JOIN sources s ON s.id = {document_of("ci")}
        LEFT JOIN sources p ON p.id = s.parent_id
        WHERE {_evidence_filter(public_only)}"""
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
        f"""UPDATE trust_sources SET prior = {_case("grade", PRIOR, PRIOR["F"])},
            prior_weight = {_case("grade", PRIOR_WEIGHT, PRIOR_WEIGHT["F"])},
            vote_unit = source_key"""
    )
    sql("UPDATE trust_sources SET accuracy = prior, previous = prior")
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
               MAX({_case("ci.confidence", CONFIDENCE, CONFIDENCE["medium"])})
        FROM claims c
        JOIN citations ci ON ci.claim_id = c.id
        JOIN sources s ON s.id = {document_of("ci")}
        LEFT JOIN sources p ON p.id = s.parent_id
        JOIN trust_items i ON i.subject_id = c.subject_id AND i.property_id = c.property_id
             AND i.scope_key = c.scope_key
        JOIN trust_sources k ON k.document_id = {document_of("ci")}
             AND k.attributed_to_id = COALESCE(ci.attributed_to_id, 0)
        WHERE {_evidence_filter(public_only)}
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
        SELECT k.source_key, e.property_id, k.prior, k.prior, {_log_odds("k.prior")}
        FROM (SELECT DISTINCT source_key, property_id FROM trust_evidence) e
        JOIN trust_sources k ON k.source_key = e.source_key"""
    )
    _build_compatible(sql)


def _overlap(a: str, b: str, low: str, high: str) -> str:
    """SQL: both claims have a ``low``/``high`` interval and the two overlap (open ends allowed)."""
    return f"""(({a}.{low} IS NOT NULL OR {a}.{high} IS NOT NULL)
        AND ({b}.{low} IS NOT NULL OR {b}.{high} IS NOT NULL)
        AND ({a}.{low} IS NULL OR {b}.{high} IS NULL OR {a}.{low} <= {b}.{high})
        AND ({b}.{low} IS NULL OR {a}.{high} IS NULL OR {b}.{low} <= {a}.{high}))"""


def _build_compatible(sql: _Sql) -> None:
    """Answers of one item that can both be true: "2007" and "March 2007", "at least 70" and "97".

    They are separate answers, but a source giving one is not contradicted by the other:
    its credit is the probability that the truth is compatible with what it said.
    """
    sql("CREATE TEMPORARY TABLE trust_compatible (claim_id INTEGER, other_id INTEGER)")
    sql(
        f"""INSERT INTO trust_compatible (claim_id, other_id)
        SELECT a.claim_id, b.claim_id
        FROM (SELECT DISTINCT item, claim_id FROM trust_evidence) a
        JOIN trust_items i ON i.item = a.item AND i.answers > 1
        JOIN (SELECT DISTINCT item, claim_id FROM trust_evidence) b
             ON b.item = a.item AND b.claim_id <> a.claim_id
        JOIN claims ca ON ca.id = a.claim_id
        JOIN claims cb ON cb.id = b.claim_id
        WHERE {_overlap("ca", "cb", "quantity_low", "quantity_high")}
           OR {_overlap("ca", "cb", "date_earliest", "date_latest")}"""
    )
    sql("CREATE INDEX trust_compatible_claim ON trust_compatible (claim_id)")


def _detect_copies(sql: _Sql) -> list[list[int]]:
    """Source keys suggested as one feed, each group sorted, largest first."""
    sql(
        """CREATE TEMPORARY TABLE trust_given (
            item INTEGER, source_key INTEGER, lo INTEGER, hi INTEGER, n INTEGER)"""
    )
    # a source's answers on an item, summarised: the same (lowest, highest, count) is the
    # same set of answers for every source giving one or two answers, as nearly all do
    sql(
        """INSERT INTO trust_given (item, source_key, lo, hi, n)
        SELECT e.item, e.source_key, MIN(e.claim_id), MAX(e.claim_id), COUNT(*)
        FROM trust_evidence e JOIN trust_items i ON i.item = e.item
        WHERE i.answers > 1
        GROUP BY e.item, e.source_key"""
    )
    sql("CREATE INDEX trust_given_item ON trust_given (item, source_key)")
    pairs = sql(
        """SELECT a.source_key, b.source_key
        FROM trust_given a JOIN trust_given b ON b.item = a.item AND b.source_key > a.source_key
        GROUP BY a.source_key, b.source_key
        HAVING COUNT(*) >= :min_shared
           AND SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n THEN 1 ELSE 0 END)
               >= :share * COUNT(*)""",
        {"min_shared": COPY_MIN_SHARED, "share": COPY_SHARE},
    ).all()
    # the pairs are few (one per suggested copy): chaining them is a union-find over sources
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for key in list(parent):
        groups[root(key)].append(key)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g))


def _score_and_normalise(sql: _Sql, *, every_item: bool, compatible: bool) -> None:
    """Each answer's score from its sources' votes, then its probability within its item.

    Rounds score only the items that teach (``every_item`` false); the last pass all.
    """
    active = "" if every_item else "WHERE e.active = 1"
    sql("DELETE FROM trust_scores")
    sql(
        f"""INSERT INTO trust_scores (item, claim_id, own)
        SELECT v.item, v.claim_id, SUM(v.vote)
        FROM (SELECT d.item, d.claim_id, AVG(d.vote) AS vote
              FROM (SELECT e.item, e.claim_id, MIN(e.vote_unit) AS vote_unit,
                           MAX(e.weight * sp.log_odds) AS vote
                    FROM trust_evidence e
                    JOIN trust_source_properties sp ON sp.source_key = e.source_key
                         AND sp.property_id = e.property_id
                    {active}
                    GROUP BY e.item, e.claim_id, e.document_id) d
              GROUP BY d.item, d.claim_id, d.vote_unit) v
        GROUP BY v.item, v.claim_id"""
    )
    sql("UPDATE trust_scores SET score = own")
    if compatible:
        # a compatible answer ("2007" beside "March 2007") lends part of its support
        sql(
            f"""UPDATE trust_scores SET score = own + {COMPATIBLE_SHARE} * (
                SELECT SUM(o.own) FROM trust_compatible x
                JOIN trust_scores o ON o.claim_id = x.other_id
                WHERE x.claim_id = trust_scores.claim_id)
            WHERE claim_id IN (SELECT claim_id FROM trust_compatible)"""
        )
    sql("DELETE FROM trust_answers")
    sql(
        f"""INSERT INTO trust_answers (item, claim_id, score, probability)
        {_probabilities("trust_scores", "item")}"""
    )
    sql("UPDATE trust_answers SET credit = probability")
    if compatible:
        sql(
            """UPDATE trust_answers SET credit = credit + (
                SELECT SUM(b.probability) FROM trust_compatible x
                JOIN trust_answers b ON b.claim_id = x.other_id
                WHERE x.claim_id = trust_answers.claim_id)
            WHERE claim_id IN (SELECT claim_id FROM trust_compatible)"""
        )


def _probabilities(scores: str, group: str) -> str:
    """SELECT (group, claim_id, score, probability) from a table of scores, normalised per group.

    A group holding known truth gives it probability 1 (shared when the desk accepted
    more than one answer) and the others 0.
    """
    return f"""
        SELECT w.grp, w.claim_id, w.score,
            CASE WHEN w.known_in_group > 0 THEN w.is_known * 1.0 / w.known_in_group
                 ELSE w.ex / SUM(w.ex) OVER (PARTITION BY w.grp)
            END
        FROM (SELECT t.grp, t.claim_id, t.score, t.is_known, t.top,
                     SUM(t.is_known) OVER (PARTITION BY t.grp) AS known_in_group,
                     {_exp("t.score - t.top")} AS ex
              FROM (SELECT g.{group} AS grp, g.claim_id, g.score,
                           CASE WHEN k.claim_id IS NULL THEN 0 ELSE 1 END AS is_known,
                           MAX(g.score) OVER (PARTITION BY g.{group}) AS top
                    FROM {scores} g LEFT JOIN trust_known k ON k.claim_id = g.claim_id) t) w
    """


def _update_accuracies(sql: _Sql) -> float:
    """Re-estimate every accuracy from the answers' probabilities; the largest change."""
    weight = f"e.weight * (CASE WHEN i.known > 0 THEN {VERDICT_WEIGHT} ELSE 1.0 END)"
    sql(
        f"""UPDATE trust_sources SET previous = accuracy,
            accuracy = (prior_weight * prior + t.agreed) / (prior_weight + t.total)
        FROM (SELECT e.source_key, SUM({weight} * a.credit) AS agreed,
                     SUM({weight}) AS total
              FROM trust_evidence e
              JOIN trust_answers a ON a.claim_id = e.claim_id
              JOIN trust_items i ON i.item = e.item
              WHERE i.answers > 1 OR i.known > 0
              GROUP BY e.source_key) t
        WHERE t.source_key = trust_sources.source_key"""
    )
    # per property: the overall accuracy, moved by the desk's verdicts on the property
    # and (PROPERTY_LEARNING) by agreement on its disputed items where the source gave
    # at least PROPERTY_MIN_ANSWERS of them, shrunk toward the overall accuracy by
    # PROPERTY_WEIGHT pseudo-answers (measured on the synthetic worlds: docs/benchmarks.md)
    sql(
        """UPDATE trust_source_properties SET previous = accuracy,
            accuracy = (SELECT k.accuracy FROM trust_sources k
                        WHERE k.source_key = trust_source_properties.source_key)"""
    )
    # the verdicts' estimate, and (PROPERTY_LEARNING) the one with agreement added
    known = f"CASE WHEN i.known > 0 THEN {weight} ELSE 0.0 END"
    sql(
        f"""UPDATE trust_source_properties SET
            accuracy = CASE
                WHEN t.total < {PROPERTY_MIN_ANSWERS} OR :learning = 'verdicts' THEN t.by_verdicts
                WHEN :learning = 'down' AND t.by_verdicts < t.by_agreement THEN t.by_verdicts
                ELSE t.by_agreement END
        FROM (SELECT u.source_key, u.property_id, u.answers AS total,
                     ({PROPERTY_WEIGHT} * u.overall + u.agreed_known)
                         / ({PROPERTY_WEIGHT} + u.total_known) AS by_verdicts,
                     ({PROPERTY_WEIGHT} * u.overall + u.agreed)
                         / ({PROPERTY_WEIGHT} + u.total) AS by_agreement
              FROM (SELECT e.source_key, e.property_id, MAX(k.accuracy) AS overall,
                           COUNT(*) AS answers,
                           SUM({weight} * a.credit) AS agreed, SUM({weight}) AS total,
                           SUM(({known}) * a.credit) AS agreed_known,
                           SUM({known}) AS total_known
                    FROM trust_evidence e
                    JOIN trust_answers a ON a.claim_id = e.claim_id
                    JOIN trust_items i ON i.item = e.item
                    JOIN trust_sources k ON k.source_key = e.source_key
                    WHERE i.known > 0 OR i.answers > 1
                    GROUP BY e.source_key, e.property_id) u) t
        WHERE t.source_key = trust_source_properties.source_key
          AND t.property_id = trust_source_properties.property_id""",
        {"learning": PROPERTY_LEARNING},
    )
    sql(f"UPDATE trust_source_properties SET log_odds = {_log_odds('accuracy')}")
    change = sql(
        "SELECT MAX(CASE WHEN accuracy > previous THEN accuracy - previous"
        " ELSE previous - accuracy END) FROM trust_source_properties"
    ).scalar()
    return float(change or 0.0)


def _mark_leaders(sql: _Sql) -> None:
    """The most probable answer of each item, and its margin over the best answer it contradicts.

    An answer compatible with the leader ("2007" beside "March 2007") does not make a tie.
    """
    sql(
        """UPDATE trust_items SET leader = r.claim_id
        FROM (SELECT o.item, o.claim_id
              FROM (SELECT item, claim_id,
                           ROW_NUMBER() OVER (PARTITION BY item
                                              ORDER BY probability DESC, claim_id) AS position
                    FROM trust_answers) o
              WHERE o.position = 1) r
        WHERE r.item = trust_items.item"""
    )
    sql(
        """UPDATE trust_items SET margin = (SELECT a.probability FROM trust_answers a
                                          WHERE a.claim_id = trust_items.leader)
            - COALESCE((SELECT MAX(a.probability) FROM trust_answers a
                        WHERE a.item = trust_items.item AND a.claim_id <> trust_items.leader
                          AND NOT EXISTS (SELECT 1 FROM trust_compatible x
                                          WHERE x.claim_id = trust_items.leader
                                            AND x.other_id = a.claim_id)), 0.0)"""
    )
    sql(f"UPDATE trust_items SET tie = CASE WHEN margin < {TIE} THEN 1 ELSE 0 END")


def compute_trust(
    session: Session, *, public_only: bool, property: str | None = None
) -> TrustResult:
    """Learn every source's trust and every answer's probability (see the module's docstring).

    ``property`` (a property's name) reports trust and track record on that property;
    the model always learns from every item. Never commits; writes only temporary tables.
    """
    prop = get_property(session, property) if property is not None else None
    sql = _Sql(_working_connection(session))
    sql.math_functions()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    sql.drop(*TEMP_TABLES)
    _build_evidence(sql, public_only)
    seconds["evidence"] = time.perf_counter() - started
    groups = _detect_copies(sql)
    seconds["copies"] = time.perf_counter() - started - seconds["evidence"]
    if COUNT_COPIES_ONCE:
        for group in groups:
            sql(
                "UPDATE trust_sources SET vote_unit = :unit WHERE source_key IN ("
                + ", ".join(str(int(k)) for k in group)
                + ")",
                {"unit": group[0]},
            )
        sql(
            """UPDATE trust_evidence SET vote_unit = (SELECT k.vote_unit FROM trust_sources k
                   WHERE k.source_key = trust_evidence.source_key)"""
        )
    compatible = sql("SELECT COUNT(*) FROM trust_compatible").scalar() > 0
    rounds = 0
    while True:
        rounds += 1
        _score_and_normalise(sql, every_item=False, compatible=compatible)
        change = _update_accuracies(sql)
        if change < TOLERANCE or rounds >= MAX_ROUNDS:
            break
    _score_and_normalise(sql, every_item=True, compatible=compatible)
    _mark_leaders(sql)
    seconds["rounds"] = time.perf_counter() - started - seconds["evidence"] - seconds["copies"]
    result = _result(sql, groups, rounds, public_only, prop.id if prop else None, property)
    seconds["result"] = time.perf_counter() - started - sum(seconds.values())
    result.seconds = seconds
    return result


def _result(
    sql: _Sql,
    groups: list[list[int]],
    rounds: int,
    public_only: bool,
    property_id: int | None,
    property_name: str | None,
) -> TrustResult:
    sources = {
        r.source_key: r
        for r in sql(
            """SELECT k.source_key, k.document_id, k.attributed_to_id, k.grade, k.prior,
                      k.accuracy, s.slug, en.name AS speaker
               FROM trust_sources k JOIN sources s ON s.id = k.document_id
               LEFT JOIN entities en ON en.id = k.attributed_to_id"""
        )
    }
    names = {key: _source_name(r.slug, r.speaker) for key, r in sources.items()}
    group_of = {key: [names[k] for k in group] for group in groups for key in group}
    record = sql(
        """SELECT e.source_key, e.property_id, sp.accuracy,
                  COUNT(*) AS answers,
                  SUM(CASE WHEN i.known = 0 AND i.answers > 1 AND i.tie = 0
                           AND x.claim_id IS NOT NULL THEN 1 ELSE 0 END) AS agreements,
                  SUM(CASE WHEN i.known = 0 AND i.answers > 1 AND i.tie = 0
                           AND x.claim_id IS NULL THEN 1 ELSE 0 END) AS disagreements,
                  SUM(CASE WHEN i.known > 0 THEN 1 ELSE 0 END) AS verdicts,
                  SUM(CASE WHEN kn.claim_id IS NOT NULL THEN 1 ELSE 0 END) AS upheld
           FROM trust_evidence e
           JOIN trust_items i ON i.item = e.item
           JOIN trust_source_properties sp ON sp.source_key = e.source_key
                AND sp.property_id = e.property_id
           LEFT JOIN trust_known kn ON kn.claim_id = e.claim_id
           LEFT JOIN (SELECT leader AS claim_id FROM trust_items WHERE leader IS NOT NULL
                      UNION SELECT x.other_id FROM trust_items li
                      JOIN trust_compatible x ON x.claim_id = li.leader) x
                ON x.claim_id = e.claim_id
           GROUP BY e.source_key, e.property_id, sp.accuracy"""
    ).all()
    property_names = dict(sql("SELECT id, name FROM properties").all())
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    by_property: dict[tuple[int, int, str], tuple[float, int]] = {}
    on_property: dict[int, float] = {}
    records: dict[tuple[int, int, int], TrackRecord] = {}
    for r in record:
        source = sources[r.source_key]
        records[(source.document_id, source.attributed_to_id, r.property_id)] = TrackRecord(
            trust=float(r.accuracy),
            answers=int(r.answers),
            agreements=int(r.agreements or 0),
            disagreements=int(r.disagreements or 0),
            verdicts=int(r.verdicts or 0),
            verdicts_upheld=int(r.upheld or 0),
        )
        by_property[
            (source.document_id, source.attributed_to_id, property_names[r.property_id])
        ] = (
            float(r.accuracy),
            int(r.answers),
        )
        if property_id is not None and r.property_id != property_id:
            continue
        if property_id is not None:
            on_property[r.source_key] = float(r.accuracy)
        counts = totals[r.source_key]
        for i, value in enumerate((r.answers, r.agreements, r.disagreements, r.verdicts, r.upheld)):
            counts[i] += int(value or 0)
    rows = []
    for key, s in sources.items():
        if property_id is not None and key not in on_property:
            continue
        answers, agreements, disagreements, verdicts, upheld = totals[key]
        rows.append(
            SourceTrust(
                source_id=s.document_id,
                slug=s.slug,
                attributed_to=s.speaker,
                grade=s.grade,
                prior=float(s.prior),
                trust=on_property.get(key, float(s.accuracy)),
                answers=answers,
                agreements=agreements,
                disagreements=disagreements,
                verdicts=verdicts,
                verdicts_upheld=upheld,
                copy_group=group_of.get(key, []),
            )
        )
    rows.sort(key=lambda s: (-s.trust, s.slug, s.attributed_to or ""))
    items = int(sql("SELECT COUNT(*) FROM trust_items").scalar() or 0)
    return TrustResult(
        sources=rows,
        by_property=by_property,
        copy_groups=[[names[k] for k in g] for g in groups],
        rounds=rounds,
        items=items,
        public_only=public_only,
        property=property_name,
        records=records,
    )


def _source_name(slug: str, speaker: str | None) -> str:
    return f"{slug} ({speaker})" if speaker else slug


# ---------------------------------------------------------------- answers


def answer_probabilities(
    session: Session, questions: Mapping[Any, Sequence[int]] | None = None
) -> list[Answer]:
    """Every answer's probability, after :func:`compute_trust` on the same session.

    Without ``questions``: every item of the model, keyed (subject_id, property_id,
    scope_key). With ``questions`` (a key → the claim ids of its answers, e.g. one
    conflict's answers across overlapping scopes): each question's answers normalised
    among themselves. An answer with no evidence in the model (deprecated, or only
    confidential citations in a public computation) is left out.
    """
    sql = _Sql(_working_connection(session))
    if questions is None:
        rows = sql(
            """SELECT i.subject_id, i.property_id, i.scope_key, a.claim_id, a.probability,
                      a.score, i.leader, i.margin, i.tie, k.claim_id AS known
               FROM trust_answers a JOIN trust_items i ON i.item = a.item
               LEFT JOIN trust_known k ON k.claim_id = a.claim_id
               ORDER BY i.item, a.probability DESC, a.claim_id"""
        ).all()
        return [
            Answer(
                item=(r.subject_id, r.property_id, r.scope_key),
                claim_id=r.claim_id,
                probability=float(r.probability),
                leading=r.leader == r.claim_id and not r.tie,
                margin=float(r.margin) if r.leader == r.claim_id else 0.0,
                tie=bool(r.tie) and r.leader == r.claim_id,
                known=r.known is not None,
                score=float(r.score),
            )
            for r in rows
        ]
    return _question_probabilities(sql, questions)


def _question_probabilities(sql: _Sql, questions: Mapping[Any, Sequence[int]]) -> list[Answer]:
    sql.drop("trust_questions", "trust_question_scores")
    sql("CREATE TEMPORARY TABLE trust_questions (question INTEGER, claim_id INTEGER)")
    keys = list(questions)
    pairs = [
        {"question": n, "claim_id": int(c)} for n, key in enumerate(keys) for c in questions[key]
    ]
    if pairs:
        sql("INSERT INTO trust_questions (question, claim_id) VALUES (:question, :claim_id)", pairs)
    sql(
        """CREATE TEMPORARY TABLE trust_question_scores (
            question INTEGER, claim_id INTEGER, score DOUBLE PRECISION)"""
    )
    sql(
        """INSERT INTO trust_question_scores (question, claim_id, score)
        SELECT DISTINCT q.question, q.claim_id, s.score
        FROM trust_questions q JOIN trust_scores s ON s.claim_id = q.claim_id"""
    )
    rows = sql(_probabilities("trust_question_scores", "question") + " ORDER BY 1, 4 DESC, 2").all()
    known = {r[0] for r in sql("SELECT claim_id FROM trust_known")}
    compatible = {
        (r[0], r[1])
        for r in sql(
            """SELECT x.claim_id, x.other_id FROM trust_compatible x
               WHERE x.claim_id IN (SELECT claim_id FROM trust_questions)"""
        )
    }
    by_question: dict[int, list[tuple[int, float]]] = defaultdict(list)
    scores: dict[int, float] = {}
    for question, claim_id, score, probability in rows:
        by_question[question].append((claim_id, float(probability)))
        scores[claim_id] = float(score)
    answers: list[Answer] = []
    for question, ranked in by_question.items():
        leader, top = ranked[0]
        second = max(
            (p for c, p in ranked[1:] if (leader, c) not in compatible),
            default=0.0,
        )
        tie = top - second < TIE
        for position, (claim_id, probability) in enumerate(ranked):
            answers.append(
                Answer(
                    item=keys[question],
                    claim_id=claim_id,
                    probability=probability,
                    leading=position == 0 and not tie,
                    margin=top - second if position == 0 else 0.0,
                    tie=tie and position == 0,
                    known=claim_id in known,
                    score=scores[claim_id],
                )
            )
    return answers


def leading_answers(answers: Iterable[Answer]) -> dict[Any, Answer]:
    """The leading answer of each item or question (ties included, marked ``tie``)."""
    return {a.item: a for a in answers if a.leading or a.tie}


# ---------------------------------------------------------------- the evidence behind answers


@dataclass
class WeighedCitation:
    """A citation of a claim as the model weighs it: its source (document and speaker),
    that source's grade, the copy group it votes with, and the citation's confidence."""

    claim_id: int
    stance: str
    property_id: int
    document_id: int
    slug: str
    speaker_id: int
    speaker: str | None
    grade: str
    footnote: int | None
    confidence: str
    vote_unit: int | None


def vote(accuracy: float, confidence: str) -> float:
    """The weight of one source's answer: ``confidence × ln(N_FALSE · A / (1 − A))``,
    floored at 0 (the Python side of the rounds' SQL)."""
    a = min(max(accuracy, ACCURACY_FLOOR), ACCURACY_CEILING)
    return CONFIDENCE.get(confidence, CONFIDENCE["medium"]) * max(
        0.0, math.log(N_FALSE * a / (1.0 - a))
    )


def prior_of(grade: str) -> float:
    return PRIOR.get(grade, PRIOR["F"])


WEIGHED_CHUNK = 900


def weighed_citations(
    session: Session,
    claim_ids: Iterable[int],
    *,
    public_only: bool,
    vote_units: str = "trust_sources",
) -> list[WeighedCitation]:
    """Every live citation (asserting or denying) of these claims, with its source as the
    model sees it, after :func:`compute_trust` on the same session: a few queries for
    all the claims, a chunk of ids at a time. ``vote_unit`` is the source's copy group
    (None for a source the model does not hold: one that only denies), read from
    ``vote_units`` (document_id, attributed_to_id, vote_unit): a stored result's."""
    sql = _Sql(_working_connection(session))
    ids = sorted(set(claim_ids))
    where = f"ci.stance IN ('asserts', 'denies') AND {Citation.live_sql('ci')}"
    if public_only:
        where += " AND s.confidential = :false AND (p.id IS NULL OR p.confidential = :false)"
    found: list[WeighedCitation] = []
    for start in range(0, len(ids), WEIGHED_CHUNK):
        chunk = ", ".join(str(int(i)) for i in ids[start : start + WEIGHED_CHUNK])
        for r in sql(
            f"""SELECT ci.claim_id, ci.stance, c.property_id, s.id AS document_id, s.slug,
                       COALESCE(ci.attributed_to_id, 0) AS speaker_id, en.name AS speaker,
                       s.reliability AS grade, f.number AS footnote, ci.confidence,
                       k.vote_unit
                FROM citations ci
                JOIN claims c ON c.id = ci.claim_id
                JOIN sources s ON s.id = {document_of("ci")}
                LEFT JOIN sources p ON p.id = s.parent_id
                LEFT JOIN footnotes f ON f.id = ci.footnote_id
                LEFT JOIN entities en ON en.id = ci.attributed_to_id
                LEFT JOIN {vote_units} k ON k.document_id = s.id
                     AND k.attributed_to_id = COALESCE(ci.attributed_to_id, 0)
                WHERE ci.claim_id IN ({chunk}) AND {where}
                ORDER BY ci.claim_id, ci.stance, s.slug, f.number, ci.id""",
            {"false": False},
        ):
            found.append(
                WeighedCitation(
                    claim_id=r.claim_id,
                    stance=r.stance,
                    property_id=r.property_id,
                    document_id=r.document_id,
                    slug=r.slug,
                    speaker_id=int(r.speaker_id),
                    speaker=r.speaker,
                    grade=r.grade,
                    footnote=r.footnote,
                    confidence=r.confidence,
                    vote_unit=r.vote_unit,
                )
            )
    return found
