"""Each answer's probability, for every item or for the questions a caller names.

Read after :func:`compute_trust` on the same session, from its temporary tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from . import settings
from .result import Answer
from .rounds import probabilities
from .sql import Sql, working_connection


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
    sql = Sql(working_connection(session))
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
    return question_probabilities(sql, questions)


def question_probabilities(sql: Sql, questions: Mapping[Any, Sequence[int]]) -> list[Answer]:
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
    rows = sql(probabilities("trust_question_scores", "question") + " ORDER BY 1, 4 DESC, 2").all()
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
        tie = top - second < settings.TIE
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
