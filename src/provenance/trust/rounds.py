"""The model's rounds: score the answers, normalise them per item, re-estimate accuracies.

:func:`compute_trust` runs the whole computation (evidence, copies, rounds until
stable, leaders); every round is a handful of set-based statements over the temporary
tables, never a loop over claims in Python.
"""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from ..entities import get_property
from . import settings
from .choice import VoteChoice, choose_by_folds, choose_vote, vote_in_force
from .copies import count_as_one, detect_copies, sync_vote_units
from .dependence import (
    find_dependents,
    leave_dependents_out,
    likely_copies,
    weigh_dependence,
)
from .evidence import build_evidence, weigh_teaching
from .guard import (
    GuardCheck,
    check_against_vote,
    fall_back_to_grades,
    settled_items,
    verdicts_held_out,
    worse_than_vote,
)
from .lists import move_list_parts
from .popularity import (
    accu_vote,
    add_popularity,
    build_popularity,
    source_vote,
    start_with_accu,
)
from .result import TrustResult, build_result
from .silent import share_silent_dependents
from .sql import Sql, bounded_cache, exp, log_odds, working_connection


def score_and_normalise(sql: Sql, *, every_item: bool, compatible: bool) -> None:
    """Each answer's score from its sources' votes, then its probability within its item.

    Rounds score only the items that teach (``every_item`` false); the last pass all.
    """
    active = "" if every_item else "WHERE e.active = 1"
    join, vote = source_vote()
    sql("DELETE FROM trust_scores")
    sql(
        f"""INSERT INTO trust_scores (item, claim_id, own)
        SELECT v.item, v.claim_id, SUM(v.vote)
        FROM (SELECT d.item, d.claim_id, AVG(d.vote) AS vote
              FROM (SELECT e.item, e.claim_id, MIN(e.vote_unit) AS vote_unit,
                           MAX(e.weight * e.independence * {vote}) AS vote
                    FROM trust_evidence e
                    JOIN trust_source_properties sp ON sp.source_key = e.source_key
                         AND sp.property_id = e.property_id
                    {join}
                    {active}
                    GROUP BY e.item, e.claim_id, e.document_id) d
              GROUP BY d.item, d.claim_id, d.vote_unit) v
        GROUP BY v.item, v.claim_id"""
    )
    sql("UPDATE trust_scores SET score = own")
    if compatible:
        # a compatible answer ("2007" beside "March 2007") lends part of its support
        sql(
            f"""UPDATE trust_scores SET score = own + {settings.COMPATIBLE_SHARE} * (
                SELECT SUM(o.own) FROM trust_compatible x
                JOIN trust_scores o ON o.claim_id = x.other_id
                WHERE x.claim_id = trust_scores.claim_id)
            WHERE claim_id IN (SELECT claim_id FROM trust_compatible)"""
        )
    if near_values():
        # a near number ("12,301" beside "12,300") lends the same share, to the score only
        sql(
            f"""UPDATE trust_scores SET score = score + {settings.COMPATIBLE_SHARE} * (
                SELECT SUM(x.similarity * o.own) FROM trust_near x
                JOIN trust_scores o ON o.claim_id = x.other_id
                WHERE x.claim_id = trust_scores.claim_id)
            WHERE claim_id IN (SELECT claim_id FROM trust_near)"""
        )
    # a list cut short moves part of its support to the lists holding it (LIST_TRANSFER)
    move_list_parts(sql)
    # POPACCU (VOTE): a wrong value many sources share is no coincidence (popularity.py)
    add_popularity(sql)
    sql("DELETE FROM trust_answers")
    sql(
        f"""INSERT INTO trust_answers (item, claim_id, score, probability)
        {probabilities("trust_scores", "item")}"""
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
    if near_values():
        # a source giving "12,300" is not wrong where "12,301" is true (a figure off by a
        # rounding teaches as a right one), though the two still make a margin
        sql(
            """UPDATE trust_answers SET credit = credit + (
                SELECT SUM(x.in_credit * b.probability) FROM trust_near x
                JOIN trust_answers b ON b.claim_id = x.other_id
                WHERE x.claim_id = trust_answers.claim_id)
            WHERE claim_id IN (SELECT claim_id FROM trust_near)"""
        )
    if settings.CREDIT == "without-own-vote":
        # each answer's unnormalised probability (relative to its item's best) and their
        # sum per item: what a source's credit without its own vote is computed from
        top = "(SELECT MAX(b.score) FROM trust_answers b WHERE b.item = trust_answers.item)"
        sql(f"UPDATE trust_answers SET ex = {exp(f'score - {top}')}")
        sql(
            """UPDATE trust_answers SET z = (SELECT SUM(b.ex) FROM trust_answers b
                                             WHERE b.item = trust_answers.item)"""
        )


def near_values() -> bool:
    """Whether near numbers, near dates or lists lend support (``trust_near`` may hold pairs)."""
    return settings.NEAR_SHARE > 0 or settings.NEAR_DATE_STEPS > 0 or settings.LIST_IMPLICATION > 0


def credit() -> str:
    """SQL: the credit a source's answer ``e`` (answer ``a``, item ``i``, the source's
    accuracy on the property ``sp``) earns it.

    ``"with-own-vote"`` (ACCU's): the probability that the truth is compatible with the
    answer. ``"without-own-vote"``: the same probability with the source's own vote taken
    out of the answer's score, so that a source is not trusted for agreeing with a leader
    it made itself (a small source whose one answer decides a two-source item; copies that
    the rule did not group). Known truth keeps its credit: the desk decided it.
    """
    if settings.LEAVE_OUT_SHARE > 0:
        # its dependents' votes left out (dependence.py), where it has any
        return "(CASE WHEN i.known > 0 OR lo.credit IS NULL THEN a.credit ELSE lo.credit END)"
    if settings.CREDIT != "without-own-vote":
        return "a.credit"
    without = f"a.ex * {exp('-(e.weight * sp.log_odds)')}"
    return f"""(CASE WHEN i.known > 0 OR a.z IS NULL THEN a.credit
        ELSE (a.credit * a.z - a.ex + {without}) / NULLIF(a.z - a.ex + {without}, 0.0) END)"""


def left_out() -> str:
    """SQL joining ``lo``, the credit with a source's dependents left out, where in use."""
    if settings.LEAVE_OUT_SHARE <= 0:
        return ""
    return (
        "LEFT JOIN trust_left_out lo ON lo.source_key = e.source_key AND lo.claim_id = e.claim_id"
    )


def probabilities(scores: str, group: str) -> str:
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
                     {exp("t.score - t.top")} AS ex
              FROM (SELECT g.{group} AS grp, g.claim_id, g.score,
                           CASE WHEN k.claim_id IS NULL THEN 0 ELSE 1 END AS is_known,
                           MAX(g.score) OVER (PARTITION BY g.{group}) AS top
                    FROM {scores} g LEFT JOIN trust_known k ON k.claim_id = g.claim_id) t) w
    """


def weigh_hardness(sql: Sql) -> None:
    """How much each disputed item teaches, by how contested it is (``HARDNESS``).

    ``"off"``: every item 1. ``"contest"``: the probability that the item's leader is
    wrong, 1 − max p, so that an item the model is sure of (a vandal's figure beside
    three that agree) teaches its sources little and a close one much: a source's
    accuracy is learned mostly where the answers really disagree (the difficulty of an
    item, as Galland et al., WSDM 2010, weigh a view's errors by it). ``"contest-scaled"``:
    the same divided by its mean over the disputed items, so that the grades' prior
    weighs as much against the evidence as before. Verdicts teach in full either way.
    """
    if settings.HARDNESS == "off":
        return
    if settings.HARDNESS not in ("contest", "contest-scaled"):
        raise ValueError(f"HARDNESS {settings.HARDNESS!r}: one of off, contest, contest-scaled")
    sql(
        """UPDATE trust_items SET hardness = 1.0 - (SELECT MAX(a.probability)
                                                  FROM trust_answers a
                                                  WHERE a.item = trust_items.item)
        WHERE answers > 1"""
    )
    if settings.HARDNESS == "contest-scaled":
        sql(
            """UPDATE trust_items SET hardness = hardness / (
                SELECT AVG(hardness) FROM trust_items WHERE answers > 1)
            WHERE answers > 1
              AND (SELECT AVG(hardness) FROM trust_items WHERE answers > 1) > 0"""
        )


def size_class(count: str) -> str:
    """SQL: ``count``'s power of two, ⌊log2 count⌋ (1 → 0, 2–3 → 1, 4–7 → 2, …), in plain
    comparisons (SQLite builds without math functions have no ``log``)."""
    bounds = " ".join(f"WHEN {count} < {2 ** (k + 1)} THEN {k}" for k in range(40))
    return f"(CASE {bounds} ELSE 40 END)"


def shrink_toward_peers(sql: Sql) -> None:
    """``UNGRADED_PRIOR = "by-size"``: an ungraded source shrinks toward its peers of its size.

    Empirical Bayes over a long tail: the sources are put in classes by how many disputed
    items they answer (1, 2–3, 4–7, …: powers of two), and each ungraded source's prior
    mean is the accuracy of the answers of the *other* ungraded sources of its class, learned
    each round (left out of its own prior, so that one answer is not counted twice). A
    one-answer contributor is then taken for a typical one-answer contributor, not a coin.
    With ``PEER_CLASS = "size-kind"`` the peers are also of the same kind (the source's
    ``kind``: an unsigned ``comment`` is judged by other comments, a ``person`` by people).
    The peers' accuracy is itself an estimate: it is shrunk toward the grade's prior by
    ``PEER_WEIGHT`` answers, so that a class of two sources does not hand each the
    other's record, and a class of one keeps the grade's prior. A graded source keeps its
    grade's. The prior's weight stays ``PRIOR_WEIGHT`` (with one answer each, a class's
    spread of accuracies cannot be told from chance, so it cannot be learned where it
    matters most).

    The sources' records are ``trust_source_sums`` (credit earned, answers weighed, answers
    counted), the totals :func:`update_accuracies` learns each accuracy from, read here
    per class rather than summed over the evidence a second time.
    """
    if settings.PEER_CLASS not in ("size", "size-kind"):
        raise ValueError(f"PEER_CLASS {settings.PEER_CLASS!r}: size or size-kind")
    w = float(settings.PEER_WEIGHT)
    size = size_class("s.answers")
    by_kind = settings.PEER_CLASS == "size-kind"
    kind_group = ", k.peer_class" if by_kind else ""
    kind_select = ", k.peer_class AS peer_class" if by_kind else ""
    kind_join = " AND c.peer_class = trust_sources.peer_class" if by_kind else ""
    sql(
        f"""UPDATE trust_sources SET base = COALESCE(
            (SELECT ({w} * trust_sources.prior + c.agreed - t.agreed)
                    / ({w} + c.total - t.total)
             FROM trust_source_sums t
             JOIN (SELECT {size} AS size{kind_select}, SUM(s.agreed) AS agreed,
                          SUM(s.total) AS total
                   FROM trust_source_sums s JOIN trust_sources k
                        ON k.source_key = s.source_key AND k.grade = 'F'
                   GROUP BY {size}{kind_group}) c ON c.size = {size_class("t.answers")}{kind_join}
             WHERE t.source_key = trust_sources.source_key), prior)
        WHERE grade = 'F'"""
    )


def update_accuracies(sql: Sql, *, only_verdicts: bool = False) -> float:
    """Re-estimate every accuracy from the answers' probabilities; the largest change.

    ``only_verdicts`` (after the guard dropped learned trust): from the desk's verdicts
    alone, agreement on other disputed items teaching nothing.
    """
    if settings.VERDICTS_TEACH not in ("every-item", "disputed"):
        raise ValueError(f"VERDICTS_TEACH {settings.VERDICTS_TEACH!r}: every-item or disputed")
    # VERDICTS_TEACH "disputed": a verdict on an item nobody contradicts teaches as the item
    # would without it (nothing: the model already holds its one answer certain)
    settled = (
        "i.known > 0"
        if settings.VERDICTS_TEACH == "every-item"
        else "(i.known > 0 AND i.answers > 1)"
    )
    teaching = settled if only_verdicts else f"i.answers > 1 OR {settled}"
    # a verdict teaches in full, another answer as much as TEACH says (evidence.py), times
    # how contested its item is (HARDNESS)
    weigh_hardness(sql)
    weight = (
        f"e.weight * (CASE WHEN {settled} THEN {settings.VERDICT_WEIGHT}"
        " ELSE e.teach * i.hardness END)"
    )
    if settings.VERDICT_SCOPE not in ("everywhere", "property"):
        raise ValueError(f"VERDICT_SCOPE {settings.VERDICT_SCOPE!r}: everywhere or property")
    # VERDICT_SCOPE "property": in the overall accuracy a verdict counts as one answer
    # (not after the guard's fall-back, where verdicts alone teach)
    overall = weight
    if settings.VERDICT_SCOPE == "property" and not only_verdicts:
        overall = f"e.weight * (CASE WHEN {settled} THEN 1.0 ELSE e.teach * i.hardness END)"
    if settings.UNGRADED_PRIOR == "population":
        # an ungraded source (F) shrinks toward the accuracy of the answers of all sources
        # on disputed items, not toward a coin toss: one with a handful of answers is then
        # taken for a typical source, neither a liar nor an oracle
        sql(
            f"""UPDATE trust_sources SET base = COALESCE(
                (SELECT SUM({weight} * a.credit) / SUM({weight})
                 FROM trust_evidence e
                 JOIN trust_answers a ON a.claim_id = e.claim_id
                 JOIN trust_items i ON i.item = e.item
                 WHERE i.answers > 1 OR {settled}), prior)
            WHERE grade = 'F'"""
        )
    # each source's record this round, summed once: what its accuracy is learned from
    # (and, by its size, its peers' prior)
    sql.drop("trust_source_sums")
    sql(
        """CREATE TEMPORARY TABLE trust_source_sums (source_key INTEGER PRIMARY KEY,
            agreed DOUBLE PRECISION, total DOUBLE PRECISION, answers INTEGER)"""
    )
    sql(
        f"""INSERT INTO trust_source_sums (source_key, agreed, total, answers)
        SELECT e.source_key, SUM({overall} * {credit()}), SUM({overall}), COUNT(*)
        FROM trust_evidence e
        JOIN trust_answers a ON a.claim_id = e.claim_id
        JOIN trust_items i ON i.item = e.item
        JOIN trust_source_properties sp ON sp.source_key = e.source_key
             AND sp.property_id = e.property_id
        {left_out()}
        WHERE {teaching}
        GROUP BY e.source_key"""
    )
    if settings.UNGRADED_PRIOR == "by-size":
        shrink_toward_peers(sql)
    sql(
        """UPDATE trust_sources SET previous = accuracy,
            accuracy = (prior_weight * base + t.agreed) / (prior_weight + t.total)
        FROM trust_source_sums t
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
    # the verdicts' estimate, and (PROPERTY_LEARNING) the one with agreement added. With
    # "verdicts", a source and property with no settled answer keep the overall accuracy
    # just set ((w · overall + 0) / (w + 0)), so only settled items are read (none: no
    # pass at all): the same figures to the last bits, without reading every disputed
    # answer each round
    known = f"CASE WHEN {settled} THEN {weight} ELSE 0.0 END"
    by_verdicts = settings.PROPERTY_LEARNING == "verdicts"
    read = settled if by_verdicts else f"i.answers > 1 OR {settled}"
    if not by_verdicts or sql(f"SELECT COUNT(*) FROM trust_items i WHERE {settled}").scalar():
        per_property_accuracies(sql, weight, known, read)
    sql(f"UPDATE trust_source_properties SET log_odds = {log_odds('accuracy')}")
    change = sql(
        "SELECT MAX(CASE WHEN accuracy > previous THEN accuracy - previous"
        " ELSE previous - accuracy END) FROM trust_source_properties"
    ).scalar()
    return float(change or 0.0)


def per_property_accuracies(sql: Sql, weight: str, known: str, read: str) -> None:
    """Each source's accuracy on each property from its answers on the items ``read``
    (``weight`` what an answer teaches, ``known`` what a settled one does), shrunk
    toward its overall accuracy (:func:`update_accuracies`)."""
    sql(
        f"""UPDATE trust_source_properties SET
            accuracy = CASE
                WHEN t.total < {settings.PROPERTY_MIN_ANSWERS} OR :learning = 'verdicts'
                    THEN t.by_verdicts
                WHEN :learning = 'down' AND t.by_verdicts < t.by_agreement THEN t.by_verdicts
                ELSE t.by_agreement END
        FROM (SELECT u.source_key, u.property_id, u.answers AS total,
                     ({settings.PROPERTY_WEIGHT} * u.overall + u.agreed_known)
                         / ({settings.PROPERTY_WEIGHT} + u.total_known) AS by_verdicts,
                     ({settings.PROPERTY_WEIGHT} * u.overall + u.agreed)
                         / ({settings.PROPERTY_WEIGHT} + u.total) AS by_agreement
              FROM (SELECT e.source_key, e.property_id, MAX(k.accuracy) AS overall,
                           COUNT(*) AS answers,
                           SUM({weight} * {credit()}) AS agreed, SUM({weight}) AS total,
                           SUM(({known}) * a.credit) AS agreed_known,
                           SUM({known}) AS total_known
                    FROM trust_evidence e
                    JOIN trust_answers a ON a.claim_id = e.claim_id
                    JOIN trust_items i ON i.item = e.item
                    JOIN trust_sources k ON k.source_key = e.source_key
                    JOIN trust_source_properties sp ON sp.source_key = e.source_key
                         AND sp.property_id = e.property_id
                    {left_out()}
                    WHERE {read}
                    GROUP BY e.source_key, e.property_id) u) t
        WHERE t.source_key = trust_source_properties.source_key
          AND t.property_id = trust_source_properties.property_id""",
        {"learning": settings.PROPERTY_LEARNING},
    )


def mark_leaders(sql: Sql) -> None:
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
    sql(f"UPDATE trust_items SET tie = CASE WHEN margin < {settings.TIE} THEN 1 ELSE 0 END")


def learn(sql: Sql, compatible: bool, *, only_verdicts: bool = False) -> int:
    """Rounds until no accuracy moves by more than ``TOLERANCE``; how many ran."""
    # the popularity of wrong values, from who gives what (copy groups and soft
    # dependence as they now stand)
    build_popularity(sql)
    rounds = 0
    if start_with_accu():
        # the vote from the accuracies ACCU learned, not from the grades (VOTE_START)
        with accu_vote():
            rounds += stable(sql, compatible, only_verdicts)
        sql(f"UPDATE trust_source_properties SET log_odds = {log_odds('accuracy')}")
    return rounds + stable(sql, compatible, only_verdicts)


def learn_without_silent_dependents(sql: Sql, compatible: bool) -> int:
    """With ``SILENT_DEPENDENCE``, group the dependents found (silent.py) and learn again."""
    if settings.SILENT_DEPENDENCE == "off" or not share_silent_dependents(sql):
        return 0
    return learn(sql, compatible)


def learn_held_out(sql: Sql, compatible: bool) -> int:
    """The learning with the desk's verdicts held out (the guard's, each candidate vote's):
    the rounds, then silent dependents grouped and the rounds again."""
    return learn(sql, compatible) + learn_without_silent_dependents(sql, compatible)


def stable(sql: Sql, compatible: bool, only_verdicts: bool) -> int:
    """Rounds of the vote in force until no accuracy moves by more than ``TOLERANCE``."""
    rounds = 0
    while True:
        rounds += 1
        score_and_normalise(sql, every_item=False, compatible=compatible)
        if settings.LEAVE_OUT_SHARE > 0:
            leave_dependents_out(sql)
        change = update_accuracies(sql, only_verdicts=only_verdicts)
        if change < settings.TOLERANCE or rounds >= settings.MAX_ROUNDS:
            return rounds


def compute_trust(
    session: Session, *, public_only: bool, property: str | None = None
) -> TrustResult:
    """Learn every source's trust and every answer's probability (see the module's docstring).

    ``property`` (a property's name) reports trust and track record on that property;
    the model always learns from every item. Never commits; writes only temporary tables.
    """
    prop = get_property(session, property) if property is not None else None
    sql = Sql(working_connection(session))
    sql.math_functions()
    with bounded_cache(sql):
        return run_model(sql, public_only, prop.id if prop else None, property)


def run_model(
    sql: Sql, public_only: bool, property_id: int | None, property: str | None
) -> TrustResult:
    """Evidence, copies, the rounds (the guard's first) and the leaders, on ``sql``."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    sql.drop(*settings.TEMP_TABLES)
    build_evidence(sql, public_only)
    seconds["evidence"] = time.perf_counter() - started
    groups = detect_copies(sql)
    seconds["copies"] = time.perf_counter() - started - seconds["evidence"]
    if settings.COUNT_COPIES_ONCE:
        for group in groups:
            count_as_one(sql, group, group[0])
        sync_vote_units(sql)
    find_dependents(sql)
    weigh_teaching(sql)
    compatible = sql("SELECT COUNT(*) FROM trust_compatible").scalar() > 0
    rounds = 0
    check = GuardCheck()
    choice: VoteChoice | None = None
    if settings.GUARD_MIN_ITEMS > 0 and settled_items(sql) >= settings.GUARD_MIN_ITEMS:
        # learn without the verdicts first (under each candidate vote: choice.py), and
        # check that against a vote on them
        if settings.VOTE_CHOICE_BY == "folds":
            choice, by_folds = choose_by_folds(sql, lambda: learn_held_out(sql, compatible))
            rounds += by_folds
            with (
                vote_in_force(choice.vote if choice is not None else settings.VOTE),
                verdicts_held_out(sql),
            ):
                rounds += learn_held_out(sql, compatible)
                check = check_against_vote(sql)
        else:
            with verdicts_held_out(sql):
                choice, check, held_out = choose_vote(sql, lambda: learn_held_out(sql, compatible))
                rounds += held_out
    shared = 0
    with vote_in_force(choice.vote if choice is not None else settings.VOTE):
        if worse_than_vote(check):
            # learned trust dropped: back to the grades, and only the verdicts teach
            fall_back_to_grades(sql)
            check.fell_back = True
            rounds += learn(sql, compatible, only_verdicts=True)
            fallbacks = ("verdicts", "verdicts-copies", "verdicts-settled-copies")
            if settings.GUARD_FALLBACK not in fallbacks:
                raise ValueError(
                    f"GUARD_FALLBACK {settings.GUARD_FALLBACK!r}: one of {', '.join(fallbacks)}"
                )
            if settings.GUARD_FALLBACK != "verdicts" and settings.DEPENDENCE == "soft":
                shared = weigh_dependence(
                    sql, settled_only=settings.GUARD_FALLBACK == "verdicts-settled-copies"
                )
        else:
            rounds += learn(sql, compatible)
            # what was learned says which agreements are on false values: copies, whose
            # votes are then shared in the final answers (and, with DEPENDENCE_RELEARN,
            # learned again)
            shared = weigh_dependence(sql) if settings.DEPENDENCE == "soft" else 0
            if shared and settings.DEPENDENCE_RELEARN:
                rounds += learn(sql, compatible)
            rounds += learn_without_silent_dependents(sql, compatible)
        score_and_normalise(sql, every_item=True, compatible=compatible)
        mark_leaders(sql)
    seconds["rounds"] = time.perf_counter() - started - seconds["evidence"] - seconds["copies"]
    result = build_result(sql, groups, rounds, public_only, property_id, property)
    seconds["result"] = time.perf_counter() - started - sum(seconds.values())
    result.seconds = seconds
    result.guard = check
    result.vote = choice
    if shared:
        result.dependence = likely_copies(sql)
    return result
