"""The popularity of wrong values: POPACCU's vote, where false values are not equally likely.

ACCU (the rounds' vote) assumes a source that is wrong gives any one of ``N_FALSE`` false
values with the same probability, so agreement on a wrong value is a rare coincidence and
every source agreeing adds ``ln N_FALSE`` to a value's score. POPACCU (X. L. Dong, B. Saha,
D. Srivastava, "Less is More: Selecting Sources Wisely for Integration", PVLDB 6(2), 2013,
§3) takes the probability of a false value ``v'``, were ``v`` true, from what the sources
say instead: its popularity among the answers that are not ``v``,
``Pop(v' | v) = m(v') / Σ m(u)`` over the item's answers ``u`` other than ``v``, ``m`` the
number of sources giving an answer. A wrong value that many sources share (a copied error,
a common slip) is then no coincidence and no longer proof of truth.

Written beside ACCU's score, the answer ``v``'s POPACCU score is its ACCU score plus

    R(v) = Σ over answers v' that contradict v of  m(v') · ln(N_FALSE · Pop(v' | v))

(the sources giving ``v'`` were taken by ACCU as each giving one of ``N_FALSE`` values
at random; POPACCU gives them the popularity of ``v'``; the difference per item is a
constant, which the normalisation removes). Here ``m`` counts a source as its answers'
votes do: a document once (its strongest speaker), a copy group once (the mean of its
members), each at its citation's confidence. An answer compatible with ``v`` ("2007"
beside "March 2007") is not a false value when ``v`` is true, so it takes no part in
``v``'s sum. ``POP_PSEUDO`` (α) smooths the popularity toward ACCU's uniform guess:
``Pop(v' | v) = (m(v') + α) / (Σ m(u) + N_FALSE · α)``; 0 is the paper's estimate, and a
large α gives ACCU back.

The term depends on who gives what, not on the accuracies learned, so it is computed once
per learning (``trust_popularity``) and added to every round's scores: three statements.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import settings
from .sql import Sql, clamped

VOTES = ("accu", "popaccu", "accu-distinct")


def popularity_vote() -> bool:
    """Whether the vote is POPACCU's (``VOTE``); ACCU's otherwise."""
    if settings.VOTE not in VOTES:
        raise ValueError(f"VOTE {settings.VOTE!r}: one of {', '.join(VOTES)}")
    return settings.VOTE == "popaccu"


def source_vote() -> tuple[str, str]:
    """SQL joined to ``trust_evidence e`` and ``trust_source_properties sp``, and the vote
    of the source of ``e`` on its answer: ACCU's ``sp.log_odds``, or under
    ``"accu-distinct"`` ACCU's with ``n`` the item's false values seen (its distinct
    answers less one) in place of ``N_FALSE``, floored at 0 as ACCU's is."""
    if popularity_vote() or settings.VOTE == "accu":
        return "", "sp.log_odds"
    a = clamped("sp.accuracy")
    n = "(CASE WHEN vi.answers > 2 THEN vi.answers - 1.0 ELSE 1.0 END)"
    vote = f"ln({n} * {a} / (1.0 - {a}))"
    return (
        "JOIN trust_items vi ON vi.item = e.item",
        f"(CASE WHEN {vote} < 0.0 THEN 0.0 ELSE {vote} END)",
    )


def start_with_accu() -> bool:
    """Whether POPACCU's rounds start from the accuracies ACCU learns (``VOTE_START``)."""
    if settings.VOTE_START not in ("prior", "accu"):
        raise ValueError(f"VOTE_START {settings.VOTE_START!r}: one of prior, accu")
    return settings.VOTE != "accu" and settings.VOTE_START == "accu"


@contextmanager
def accu_vote() -> Iterator[None]:
    """ACCU's vote inside (``VOTE`` set back after): POPACCU's first learning."""
    saved = settings.VOTE
    settings.VOTE = "accu"
    try:
        yield
    finally:
        settings.VOTE = saved


def build_popularity(sql: Sql) -> None:
    """``trust_popularity``: each answer of an item with more than one, its sources' mass
    ``m`` and the term ``R`` its score gains under POPACCU (the module's docstring)."""
    if not popularity_vote():
        return
    # a second learning of one run (the guard's, soft dependence's) builds it again
    sql.drop("trust_popularity")
    float_ = "DOUBLE PRECISION"
    sql(
        f"""CREATE TEMPORARY TABLE trust_popularity (
            item INTEGER, claim_id INTEGER PRIMARY KEY, mass {float_}, against {float_},
            popularity {float_})"""
    )
    # a document counts once (its strongest speaker), a copy group once (its members' mean)
    sql(
        """INSERT INTO trust_popularity (item, claim_id, mass)
        SELECT u.item, u.claim_id, SUM(u.mass)
        FROM (SELECT d.item, d.claim_id, AVG(d.mass) AS mass
              FROM (SELECT e.item, e.claim_id, MIN(e.vote_unit) AS vote_unit,
                           MAX(e.weight * e.independence) AS mass
                    FROM trust_evidence e
                    JOIN trust_items i ON i.item = e.item AND i.answers > 1
                    GROUP BY e.item, e.claim_id, e.document_id) d
              GROUP BY d.item, d.claim_id, d.vote_unit) u
        GROUP BY u.item, u.claim_id"""
    )
    sql("CREATE INDEX trust_popularity_item ON trust_popularity (item)")
    # the false values were v true: the item's other answers, those compatible with v apart
    others = """FROM trust_popularity o
        WHERE o.item = trust_popularity.item AND o.claim_id <> trust_popularity.claim_id
          AND o.mass > 0
          AND NOT EXISTS (SELECT 1 FROM trust_compatible x
                          WHERE x.claim_id = trust_popularity.claim_id
                            AND x.other_id = o.claim_id)"""
    sql(f"UPDATE trust_popularity SET against = (SELECT SUM(o.mass) {others})")
    n, alpha = float(settings.N_FALSE), float(settings.POP_PSEUDO)
    sql(
        f"""UPDATE trust_popularity SET popularity = COALESCE((
            SELECT SUM(o.mass * ln({n} * (o.mass + {alpha})
                                    / (trust_popularity.against + {n} * {alpha})))
            {others}), 0.0)"""
    )


def add_popularity(sql: Sql) -> None:
    """Each answer's score in ``trust_scores`` gains its POPACCU term (none under ACCU)."""
    if not popularity_vote():
        return
    sql(
        """UPDATE trust_scores SET score = score + (
            SELECT p.popularity FROM trust_popularity p
            WHERE p.claim_id = trust_scores.claim_id)
        WHERE claim_id IN (SELECT claim_id FROM trust_popularity)"""
    )
