"""The desk's verdicts choose the vote: each candidate learns with them held out; they judge.

No vote is best on every database. ACCU (X. L. Dong, L. Berti-Equille, D. Srivastava,
"Integrating Conflicting Data: The Role of Source Dependence", PVLDB 2(1), 2009: every
wrong answer one of ``N_FALSE`` false values, equally likely) wins where wrong answers
scatter; POPACCU (X. L. Dong, B. Saha, D. Srivastava, "Less is More: Selecting Sources
Wisely for Integration", PVLDB 6(2), 2013, §3: a false value as likely as it is popular)
and ACCU with ``N_FALSE`` per item, its distinct answers less one (``"accu-distinct"``,
``popularity.py``), win where wrong answers coincide (a common slip, a late feed).
Measured, neither alternative is a general gain (``docs/benchmarks.md``, "Seventh pass"),
but the desk's verdicts can say which one fits *this* database.

Where the desk has settled at least ``GUARD_MIN_ITEMS`` disputed items, the model
already learns once with the verdicts held out, for the guard (``guard.py``). Here it
learns so once per candidate vote (``VOTE`` first, then the others of ``VOTE_CHOICES``),
each from the same start (the accuracies and vote units the evidence and copies gave),
the held-out learning exactly as the guard's: the rounds, and the verdicts-free grouping
of silent dependents when ``SILENT_DEPENDENCE`` is on. On the settled items where a
candidate's leader and the default's differ, who is right (a tie by the share of its
tied answers that are right)? A candidate is chosen when it is right on at least
``GUARD_MIN_ITEMS`` of those items more often than the default by a sign test's
``VOTE_CHOICE_Z`` standard deviations: ``right - default_right >= VOTE_CHOICE_Z *
sqrt(right + default_right)`` (a lucky handful of items does not move the vote; of
several, the one with the largest lead). Otherwise the default stays. The run then
goes on under the chosen vote from where its held-out learning stopped: the guard's
check against a plain vote, then the learning with the verdicts.

Held out, the verdicts judge each vote *without* verdicts. ``VOTE_CHOICE_BY = "folds"``
judges it *with* them (:func:`choose_by_folds`): each candidate learns twice, with the
verdicts on one half of the settled items held out and the other half known, and is
judged on the held-out half; the guard's held-out learning then runs once, under the
vote chosen. Measured (``docs/benchmarks.md``, "Eighth pass"), neither moved the vote on
the public sets' verdicts on 10 % (too few settled items where the votes differ), so
``VOTE_CHOICES`` is empty by default.

The cost: one more held-out learning per extra candidate (by folds, two per candidate
and the guard's), and only when the desk has settled enough items; the accuracies (one
row per source and property) are kept between them in ``trust_choice_sources`` and
``trust_choice_properties``, the answers' vote units and teaching too
(``trust_choice_evidence_N``) when silent dependence may move
them. Without enough verdicts, or with ``VOTE_CHOICES`` empty, nothing runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import settings
from .guard import GuardCheck, check_against_vote, verdicts_held_out, who_is_right
from .popularity import VOTES, popularity_vote
from .sql import Sql


@dataclass
class VoteComparison:
    """One candidate against the default on the settled items where their leaders differ."""

    vote: str
    items: int = 0
    right: int = 0
    default_right: int = 0

    def lead(self) -> float:
        """The candidate's lead over the default in the sign test's standard deviations."""
        n = self.right + self.default_right
        return (self.right - self.default_right) / math.sqrt(n) if n else 0.0

    def wins(self) -> bool:
        return (
            self.items >= settings.GUARD_MIN_ITEMS
            and self.right > self.default_right
            and self.lead() >= settings.VOTE_CHOICE_Z
        )


@dataclass
class VoteChoice:
    """Which vote the desk's verdicts chose, and the comparisons it rests on."""

    default: str
    vote: str
    compared: list[VoteComparison] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.vote != self.default

    def line(self) -> str:
        """What ``conflicts --explain`` says of the choice."""
        parts = [
            f"{c.vote} right on {c.right}, {self.default} on {c.default_right} of {c.items}"
            for c in self.compared
        ]
        where = "; ".join(parts) or "no other vote compared"
        return (
            f"vote: {self.vote}, chosen by the desk's verdicts over {self.default}"
            if self.changed
            else f"vote: {self.vote}, kept by the desk's verdicts"
        ) + f" (settled items where the votes lead differently: {where})"

    def as_json(self) -> dict[str, Any]:
        return {
            "default": self.default,
            "vote": self.vote,
            "compared": [
                {
                    "vote": c.vote,
                    "items": c.items,
                    "right": c.right,
                    "default_right": c.default_right,
                }
                for c in self.compared
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> VoteChoice | None:
        if not data:
            return None
        return cls(
            default=str(data["default"]),
            vote=str(data["vote"]),
            compared=[
                VoteComparison(
                    str(c["vote"]), int(c["items"]), int(c["right"]), int(c["default_right"])
                )
                for c in data.get("compared", [])
            ],
        )


def candidates() -> tuple[str, ...]:
    """``VOTE`` first, then the other votes of ``VOTE_CHOICES`` (each known to the model)."""
    for vote in (settings.VOTE, *settings.VOTE_CHOICES):
        if vote not in VOTES:
            raise ValueError(f"vote {vote!r}: one of {', '.join(VOTES)}")
    if settings.VOTE_CHOICE_BY not in ("held-out", "folds"):
        raise ValueError(f"VOTE_CHOICE_BY {settings.VOTE_CHOICE_BY!r}: one of held-out, folds")
    others = [v for v in dict.fromkeys(settings.VOTE_CHOICES) if v != settings.VOTE]
    return (settings.VOTE, *others)


@contextmanager
def vote_in_force(vote: str) -> Iterator[None]:
    """``VOTE`` set to ``vote`` inside (set back after)."""
    saved = settings.VOTE
    settings.VOTE = vote
    try:
        yield
    finally:
        settings.VOTE = saved


def leader_shares(sql: Sql) -> dict[int, float]:
    """On each settled item with more than one answer (verdicts held out), the share of
    the leaders of the vote in force (its own score, with POPACCU's term) that are right."""
    score = "t.own"
    join = ""
    if popularity_vote():
        score = "t.own + COALESCE(p.popularity, 0.0)"
        join = "LEFT JOIN trust_popularity p ON p.claim_id = t.claim_id"
    rows = sql(
        f"""WITH scored AS (
               SELECT t.item, t.claim_id, {score} AS score
               FROM trust_scores t JOIN trust_items i ON i.item = t.item
               {join}
               WHERE i.held > 0 AND i.answers > 1),
           top AS (SELECT item, MAX(score) AS score FROM scored GROUP BY item)
           SELECT s.item, COUNT(*),
                  SUM(CASE WHEN k.claim_id IS NULL THEN 0 ELSE 1 END)
           FROM scored s JOIN top m ON m.item = s.item AND s.score = m.score
           LEFT JOIN trust_known_held k ON k.claim_id = s.claim_id
           GROUP BY s.item"""
    ).all()
    return {int(item): (known or 0) / leaders for item, leaders, known in rows if leaders}


def compare(vote: str, shares: dict[int, float], default: dict[int, float]) -> VoteComparison:
    """``vote`` against the default, counting who is right where they differ."""
    items, right, default_right = who_is_right(
        (shares.get(item, 0.0), default.get(item, 0.0)) for item in shares.keys() | default.keys()
    )
    return VoteComparison(vote, items, right, default_right)


def pick(
    votes: tuple[str, ...], shares: list[dict[int, float]]
) -> tuple[list[VoteComparison], int]:
    """Each other candidate against the default (``votes[0]``), and the position of the
    one that runs: the winner by the largest lead, else the default."""
    compared = [compare(v, s, shares[0]) for v, s in zip(votes[1:], shares[1:], strict=True)]
    winners = [(c.lead(), n + 1) for n, c in enumerate(compared) if c.wins()]
    return compared, max(winners)[1] if winners else 0


def keep_state(sql: Sql, label: int) -> None:
    """The accuracies (and with silent dependence the vote units and teaching) as ``label``."""
    if label == 0:
        sql.drop("trust_choice_sources", "trust_choice_properties")
        float_ = "DOUBLE PRECISION"
        sql(
            f"""CREATE TEMPORARY TABLE trust_choice_sources (
                label INTEGER, source_key INTEGER, base {float_}, accuracy {float_},
                previous {float_}, vote_unit INTEGER)"""
        )
        sql(
            f"""CREATE TEMPORARY TABLE trust_choice_properties (
                label INTEGER, source_key INTEGER, property_id INTEGER, accuracy {float_},
                previous {float_}, log_odds {float_})"""
        )
    sql(
        """INSERT INTO trust_choice_sources (label, source_key, base, accuracy, previous, vote_unit)
        SELECT :label, source_key, base, accuracy, previous, vote_unit FROM trust_sources""",
        {"label": label},
    )
    sql(
        """INSERT INTO trust_choice_properties
            (label, source_key, property_id, accuracy, previous, log_odds)
        SELECT :label, source_key, property_id, accuracy, previous, log_odds
        FROM trust_source_properties""",
        {"label": label},
    )
    if silent_may_move():
        sql.drop(f"trust_choice_evidence_{int(label)}")
        sql(
            f"CREATE TEMPORARY TABLE trust_choice_evidence_{int(label)} AS"
            " SELECT * FROM trust_evidence"
        )


def silent_may_move() -> bool:
    """Whether a held-out learning may change the answers' vote units and teaching."""
    return settings.SILENT_DEPENDENCE != "off"


def restore_state(sql: Sql, label: int) -> None:
    """The state kept as ``label`` back in the model's tables."""
    sql(
        """UPDATE trust_sources SET base = c.base, accuracy = c.accuracy,
            previous = c.previous, vote_unit = c.vote_unit
        FROM trust_choice_sources c
        WHERE c.label = :label AND c.source_key = trust_sources.source_key""",
        {"label": label},
    )
    sql(
        """UPDATE trust_source_properties SET accuracy = c.accuracy, previous = c.previous,
            log_odds = c.log_odds
        FROM trust_choice_properties c
        WHERE c.label = :label AND c.source_key = trust_source_properties.source_key
          AND c.property_id = trust_source_properties.property_id""",
        {"label": label},
    )
    if silent_may_move():
        sql("DELETE FROM trust_evidence")
        sql(f"INSERT INTO trust_evidence SELECT * FROM trust_choice_evidence_{int(label)}")


def choose_vote(
    sql: Sql, learn_held_out: Callable[[], int]
) -> tuple[VoteChoice | None, GuardCheck, int]:
    """Inside :func:`guard.verdicts_held_out`: learn (``learn_held_out``, how many rounds)
    under each candidate vote from the same start and choose one (the module's
    docstring). Leaves the model's tables as the chosen candidate's learning left them;
    returns the choice (None with no other candidate than ``VOTE``: the held-out
    learning is the guard's alone), the guard's check of the chosen one and the rounds."""
    votes = candidates()
    rounds = 0
    shares: list[dict[int, float]] = []
    checks: list[GuardCheck] = []
    if len(votes) > 1:
        keep_state(sql, 0)
    for position, vote in enumerate(votes):
        if position > 0:
            # the default's end kept (label 1 on), the start given back to the next
            restore_state(sql, 0)
        with vote_in_force(vote):
            rounds += learn_held_out()
            shares.append(leader_shares(sql))
        checks.append(check_against_vote(sql))
        if position < len(votes) - 1:
            keep_state(sql, position + 1)
    compared, chosen = pick(votes, shares)
    if chosen < len(votes) - 1:
        restore_state(sql, chosen + 1)
    if len(votes) > 1:
        sql.drop(
            "trust_choice_sources",
            "trust_choice_properties",
            *(f"trust_choice_evidence_{n}" for n in range(len(votes))),
        )
    if len(votes) == 1:
        return None, checks[0], rounds
    return VoteChoice(votes[0], votes[chosen], compared), checks[chosen], rounds


def choose_by_folds(sql: Sql, learn: Callable[[], int]) -> tuple[VoteChoice | None, int]:
    """``VOTE_CHOICE_BY = "folds"``: each candidate learns twice, with the verdicts of one
    half of the settled items held out and those of the other half known, and is judged
    on the held-out half: the vote *with verdicts* is judged, not without. Leaves the
    model's tables as they were (the guard's held-out learning follows, under the chosen
    vote); returns the choice and the rounds run."""
    votes = candidates()
    if len(votes) == 1:
        return None, 0
    rounds = 0
    shares: list[dict[int, float]] = []
    keep_state(sql, 0)
    for vote in votes:
        judged: dict[int, float] = {}
        for fold in (0, 1):
            restore_state(sql, 0)
            with verdicts_held_out(sql, fold), vote_in_force(vote):
                rounds += learn()
                judged.update(leader_shares(sql))
        shares.append(judged)
    restore_state(sql, 0)
    sql.drop("trust_choice_sources", "trust_choice_properties", "trust_choice_evidence_0")
    compared, chosen = pick(votes, shares)
    return VoteChoice(votes[0], votes[chosen], compared), rounds
