"""The guard: learned trust that does worse than a vote on the desk's verdicts is dropped.

Learned trust can go wrong where the evidence fools it — a bad source copied loosely by
many (too loosely for the copy rule) agrees with its copies and looks accurate. Where
the desk has settled disputed items, the model can be checked. It first learns with
the verdicts held out (:func:`verdicts_held_out`: the settled items count as any
disputed item); then, on each settled item with more than one answer where the model's
leader (from its sources' votes) and a vote's (one vote per independent feed) differ,
who is right? If, on at least ``GUARD_MIN_ITEMS`` such items, the vote is right more
often than the model, learned trust is dropped: every source's trust is its grade's
prior again (for ungraded sources, a vote), and it is learned again from the verdicts
alone (overall and per property: agreement on other items teaches nothing), the
verdicts known truth. Otherwise the rounds go on with the verdicts, from where they
were. The cost: a few more rounds, only when the desk has settled enough items.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import settings
from .sql import Sql, log_odds


@dataclass
class GuardCheck:
    """The model against a vote on the settled items where they lead differently."""

    items: int = 0
    model_right: int = 0
    vote_right: int = 0
    fell_back: bool = False


def check_against_vote(sql: Sql) -> GuardCheck:
    """Count, on settled items where the model's and a vote's leaders differ, who is right."""
    rows = sql(
        """WITH settled AS (
               SELECT item FROM trust_items WHERE held > 0 AND answers > 1),
           units AS (
               SELECT e.item, e.claim_id, COUNT(DISTINCT e.vote_unit) AS n
               FROM trust_evidence e JOIN settled s ON s.item = e.item
               GROUP BY e.item, e.claim_id),
           vote_top AS (
               SELECT item, MAX(n) AS n FROM units GROUP BY item),
           model_top AS (
               SELECT t.item, MAX(t.own) AS own FROM trust_scores t
               JOIN settled s ON s.item = t.item GROUP BY t.item)
           SELECT s.item,
                  (SELECT COUNT(*) FROM units u JOIN vote_top v ON v.item = u.item
                   WHERE u.item = s.item AND u.n = v.n) AS vote_leaders,
                  (SELECT COUNT(*) FROM units u JOIN vote_top v ON v.item = u.item
                   JOIN trust_known_held k ON k.claim_id = u.claim_id
                   WHERE u.item = s.item AND u.n = v.n) AS vote_known,
                  (SELECT COUNT(*) FROM trust_scores t JOIN model_top m ON m.item = t.item
                   WHERE t.item = s.item AND t.own = m.own) AS model_leaders,
                  (SELECT COUNT(*) FROM trust_scores t JOIN model_top m ON m.item = t.item
                   JOIN trust_known_held k ON k.claim_id = t.claim_id
                   WHERE t.item = s.item AND t.own = m.own) AS model_known
           FROM settled s"""
    ).all()
    # a tie counts as right by the share of the tied answers that are right
    items, model_right, vote_right = who_is_right(
        (
            (model_known or 0) / model_leaders if model_leaders else 0.0,
            (vote_known or 0) / vote_leaders if vote_leaders else 0.0,
        )
        for _item, vote_leaders, vote_known, model_leaders, model_known in rows
    )
    return GuardCheck(items, model_right, vote_right)


def who_is_right(shares: Iterable[tuple[float, float]]) -> tuple[int, int, int]:
    """Two ways of leading, each settled item's share of right leaders under each: on
    how many items they differ, and on how many of those each is the more right."""
    items = first = second = 0
    for one, other in shares:
        if one == other:
            continue
        items += 1
        first += one > other
        second += other > one
    return items, first, second


def fall_back_to_grades(sql: Sql, baseline: str = "prior") -> None:
    """Every source's trust (overall and per property) back to its grade's prior, or with
    ``baseline="base"`` to what its learning shrinks toward (the prior, or for an
    ungraded source the population's accuracy under ``UNGRADED_PRIOR``)."""
    if baseline not in ("prior", "base"):
        raise ValueError(f"baseline {baseline!r}: prior or base")
    sql(f"UPDATE trust_sources SET accuracy = {baseline}, previous = {baseline}")
    sql(
        f"""UPDATE trust_source_properties SET
            accuracy = (SELECT k.{baseline} FROM trust_sources k
                        WHERE k.source_key = trust_source_properties.source_key)"""
    )
    sql(
        f"UPDATE trust_source_properties SET previous = accuracy, log_odds = {log_odds('accuracy')}"
    )


def settled_items(sql: Sql) -> int:
    """Items the desk settled that have more than one answer: what the check can use."""
    return int(
        sql("SELECT COUNT(*) FROM trust_items WHERE known > 0 AND answers > 1").scalar() or 0
    )


def fold_of(item: str) -> str:
    """SQL: which of two folds an item falls in (a fixed scramble of its number)."""
    return f"((({item}) * 7919) % 10007) % 2"


@contextmanager
def verdicts_held_out(sql: Sql, fold: int | None = None) -> Iterator[None]:
    """The desk's verdicts set aside (``trust_known_held``, ``trust_items.held``) inside:
    all of them, or with ``fold`` (0 or 1, :func:`fold_of`) those on that fold's items,
    the others still known truth."""

    def on_fold(item: str) -> str:
        return "" if fold is None else f" AND {fold_of(item)} = {int(fold)}"

    sql.drop("trust_known_held")
    sql("CREATE TEMPORARY TABLE trust_known_held (claim_id INTEGER PRIMARY KEY)")
    sql(
        f"""INSERT INTO trust_known_held (claim_id)
        SELECT k.claim_id FROM trust_known k
        WHERE k.claim_id IN (SELECT e.claim_id FROM trust_evidence e
                             WHERE 1 = 1{on_fold("e.item")})"""
    )
    sql("DELETE FROM trust_known WHERE claim_id IN (SELECT claim_id FROM trust_known_held)")
    sql(f"UPDATE trust_items SET held = known, known = 0 WHERE known > 0{on_fold('item')}")
    yield
    sql("INSERT INTO trust_known (claim_id) SELECT claim_id FROM trust_known_held")
    sql("UPDATE trust_items SET known = held, held = 0 WHERE held > 0")


def worse_than_vote(check: GuardCheck) -> bool:
    """Whether the vote was right more often than the model on at least
    ``GUARD_MIN_ITEMS`` settled items, by more than chance would make it (below 1,
    ``GUARD_ALPHA`` bounds :func:`sign_test`'s tail)."""
    return (
        settings.GUARD_MIN_ITEMS > 0
        and check.items >= settings.GUARD_MIN_ITEMS
        and check.vote_right > check.model_right
        and (
            settings.GUARD_ALPHA >= 1.0
            or sign_test(check.vote_right, check.model_right) <= settings.GUARD_ALPHA
        )
    )


def sign_test(wins: int, losses: int) -> float:
    """The chance of at least ``wins`` of ``wins + losses`` fair coin tosses: how often
    the vote would beat a model as good as itself by this much."""
    n = wins + losses
    return sum(math.comb(n, k) for k in range(wins, n + 1)) / 2.0**n
