"""A conflict is a question: one row per (subject, property) group of contradicting
claims, its competing answers in ``conflict_answers``.

Upgrade turns the pairwise conflicts into questions: pairs of one subject and property
that share a claim (directly or through other pairs) are one question. The question
keeps the id of its lowest pair and the furthest status among its pairs (open <
confirmed < dismissed < resolved), with that pair's note, who and when; every other
pair's status and note is written to history on the question (``merged pairwise
conflict``), and the history rows of the merged pairs are re-pointed to the question,
so nothing a fact-checker wrote is lost. Each claim of a pair is an answer as asserted;
a claim of a stance pair with a denying citation is also an answer as denied.

Downgrade turns each question back into its contradicting pairs (from each answer's
``contradicts``; a claim asserted and denied is paired with itself, as ``stance``), all
with the question's status and note; the first pair keeps the question's id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_ORDER = ("open", "confirmed", "dismissed", "resolved")
ACTOR = "migration 0005"


def _history(bind, row_id: int, changes: dict, summary: str) -> None:
    bind.execute(
        sa.text(
            "INSERT INTO history (table_name, row_id, action, actor, at, changes, summary) "
            "VALUES ('conflicts', :row_id, 'update', :actor, :at, :changes, :summary)"
        ),
        {
            "row_id": row_id,
            "actor": ACTOR,
            "at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
            "changes": json.dumps(changes),
            "summary": summary,
        },
    )


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("conflicts") as batch:
        batch.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("property_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("answer_claim_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("answer_stance", sa.String(length=10), nullable=True))

    pairs = bind.execute(
        sa.text(
            "SELECT k.id, k.claim_a_id, k.claim_b_id, k.kind, k.status, k.note, k.status_by,"
            " k.status_at, k.active, c.subject_id, c.property_id"
            " FROM conflicts k JOIN claims c ON c.id = k.claim_a_id ORDER BY k.id"
        )
    ).all()
    denied = {
        r.claim_id
        for r in bind.execute(
            sa.text("SELECT DISTINCT claim_id FROM citations WHERE stance = 'denies'")
        )
    }
    # pairs of one subject and property sharing a claim are one question (union-find)
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_claim: dict[int, int] = {}
    for pair in pairs:
        parent[pair.id] = pair.id
        for claim in (pair.claim_a_id, pair.claim_b_id):
            if claim in by_claim:
                a, b = root(by_claim[claim]), root(pair.id)
                parent[max(a, b)] = min(a, b)
            else:
                by_claim[claim] = pair.id
    questions: dict[int, list] = defaultdict(list)
    for pair in pairs:
        questions[root(pair.id)].append(pair)

    answer_rows: list[dict] = []
    for question_id, members in questions.items():
        furthest = max(members, key=lambda p: (STATUS_ORDER.index(p.status), -p.id))
        answers: dict[tuple[int, str], set[tuple[int, str]]] = defaultdict(set)
        for pair in members:
            a, b = pair.claim_a_id, pair.claim_b_id
            if pair.kind != "stance":
                edges = [((a, "asserts"), (b, "asserts"))]
            else:
                edges = [
                    ((x, "denies"), (y, "asserts")) for x, y in ((a, b), (b, a)) if x in denied
                ]
            for one, other in edges:
                answers[one].add(other)
                answers[other].add(one)
        kinds = {p.kind for p in members}
        kind = next(iter(kinds - {"stance"}), "stance")
        bind.execute(
            sa.text(
                "UPDATE conflicts SET subject_id = :subject, property_id = :property,"
                " kind = :kind, status = :status, note = :note, status_by = :status_by,"
                " status_at = :status_at, active = :active WHERE id = :id"
            ),
            {
                "subject": members[0].subject_id,
                "property": members[0].property_id,
                "kind": kind,
                "status": furthest.status,
                "note": furthest.note,
                "status_by": furthest.status_by,
                "status_at": furthest.status_at,
                "active": any(bool(p.active) for p in members),
                "id": question_id,
            },
        )
        answer_rows += [
            {
                "conflict": question_id,
                "claim": claim,
                "stance": stance,
                "contradicts": json.dumps([list(k) for k in sorted(contradicts)]),
            }
            for (claim, stance), contradicts in sorted(answers.items())
        ]
        for pair in members:
            if pair.id == question_id:
                if furthest.id != question_id:
                    _history(
                        bind,
                        question_id,
                        {
                            "pair": [pair.claim_a_id, pair.claim_b_id],
                            "status": [pair.status, furthest.status],
                            "note": [pair.note, furthest.note],
                            "status_by": pair.status_by,
                        },
                        f"question takes the furthest status of its pairs ({furthest.status},"
                        f" from pairwise conflict {furthest.id})",
                    )
                continue
            bind.execute(
                sa.text(
                    "UPDATE history SET row_id = :question"
                    " WHERE table_name = 'conflicts' AND row_id = :pair"
                ),
                {"question": question_id, "pair": pair.id},
            )
            _history(
                bind,
                question_id,
                {
                    "merged_conflict": pair.id,
                    "pair": [pair.claim_a_id, pair.claim_b_id],
                    "kind": pair.kind,
                    "status": pair.status,
                    "note": pair.note,
                    "status_by": pair.status_by,
                    "status_at": pair.status_at.isoformat()
                    if isinstance(pair.status_at, dt.datetime)
                    else pair.status_at,
                },
                f"merged pairwise conflict {pair.id} ({pair.status}) into question {question_id}",
            )
            bind.execute(sa.text("DELETE FROM conflicts WHERE id = :id"), {"id": pair.id})

    with op.batch_alter_table("conflicts") as batch:
        batch.drop_index(op.f("ix_conflicts_claim_b_id"))
        batch.drop_constraint(op.f("uq_conflicts_claim_a_id_claim_b_id"), type_="unique")
        batch.drop_constraint(op.f("ck_conflicts_ordered_pair"), type_="check")
        batch.drop_constraint(op.f("fk_conflicts_claim_a_id_claims"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_conflicts_claim_b_id_claims"), type_="foreignkey")
        batch.drop_column("claim_a_id")
        batch.drop_column("claim_b_id")
        batch.alter_column("subject_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("property_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_conflicts_subject_id_entities"), "entities", ["subject_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_conflicts_property_id_properties"), "properties", ["property_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_conflicts_answer_claim_id_claims"), "claims", ["answer_claim_id"], ["id"]
        )
        batch.create_check_constraint(
            op.f("ck_conflicts_answer_stance"),
            "answer_stance IS NULL OR answer_stance IN ('asserts', 'denies')",
        )
        batch.create_index(
            op.f("ix_conflicts_subject_property"), ["subject_id", "property_id"], unique=False
        )
    # the answers table after the conflicts table is rebuilt: SQLite's batch rebuild drops
    # the old table, which a table referencing it would forbid
    op.create_table(
        "conflict_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conflict_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("contradicts", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "stance IN ('asserts', 'denies')", name=op.f("ck_conflict_answers_stance")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_conflict_answers_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["conflict_id"],
            ["conflicts.id"],
            name=op.f("fk_conflict_answers_conflict_id_conflicts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_answers")),
        sa.UniqueConstraint(
            "conflict_id",
            "claim_id",
            "stance",
            name=op.f("uq_conflict_answers_conflict_id_claim_id_stance"),
        ),
    )
    op.create_index(
        op.f("ix_conflict_answers_claim_id"), "conflict_answers", ["claim_id"], unique=False
    )
    if answer_rows:
        bind.execute(
            sa.text(
                "INSERT INTO conflict_answers (conflict_id, claim_id, stance, contradicts)"
                " VALUES (:conflict, :claim, :stance, :contradicts)"
            ),
            answer_rows,
        )


def downgrade() -> None:
    bind = op.get_bind()
    questions = bind.execute(
        sa.text(
            "SELECT id, subject_id, property_id, kind, status, note, status_by, status_at,"
            " active, first_detected_at, last_detected_at FROM conflicts ORDER BY id"
        )
    ).all()
    pairs_of: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
    kinds = {q.id: q.kind for q in questions}
    answer_rows = bind.execute(
        sa.text("SELECT conflict_id, claim_id, stance, contradicts FROM conflict_answers")
    ).all()
    # dropped before the conflicts table is rebuilt (see upgrade)
    op.drop_index(op.f("ix_conflict_answers_claim_id"), table_name="conflict_answers")
    op.drop_table("conflict_answers")
    with op.batch_alter_table("conflicts") as batch:
        batch.add_column(sa.Column("claim_a_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claim_b_id", sa.Integer(), nullable=True))
    for r in answer_rows:
        contradicts = json.loads(r.contradicts) if isinstance(r.contradicts, str) else r.contradicts
        for other, other_stance in contradicts or []:
            kind = kinds[r.conflict_id] if r.stance == other_stance == "asserts" else "stance"
            low, high = min(r.claim_id, other), max(r.claim_id, other)
            pairs_of[r.conflict_id].add((low, high, kind))
    taken: set[tuple[int, int]] = set()
    for question in questions:
        # a pair both contradicting in value and asserted-vs-denied is one row, by value
        kind_of: dict[tuple[int, int], str] = {}
        for a, b, kind in sorted(pairs_of[question.id], key=lambda p: p[2] == "stance"):
            kind_of.setdefault((a, b), kind)
        pairs = [(a, b, kind) for (a, b), kind in sorted(kind_of.items()) if (a, b) not in taken]
        taken.update((a, b) for a, b, _ in pairs)
        if not pairs:
            # a question with no pair left: nothing a pairwise table can hold
            bind.execute(sa.text("DELETE FROM conflicts WHERE id = :id"), {"id": question.id})
            continue
        (a, b, kind), rest = pairs[0], pairs[1:]
        bind.execute(
            sa.text(
                "UPDATE conflicts SET claim_a_id = :a, claim_b_id = :b, kind = :kind WHERE id = :id"
            ),
            {"a": a, "b": b, "kind": kind, "id": question.id},
        )
        for a, b, kind in rest:
            bind.execute(
                sa.text(
                    "INSERT INTO conflicts (subject_id, property_id, claim_a_id, claim_b_id,"
                    " kind, status, note, status_by, status_at, active, first_detected_at,"
                    " last_detected_at) VALUES (:subject, :property, :a, :b, :kind, :status,"
                    " :note, :status_by, :status_at, :active, :first, :last)"
                ),
                {
                    "subject": question.subject_id,
                    "property": question.property_id,
                    "a": a,
                    "b": b,
                    "kind": kind,
                    "status": question.status,
                    "note": question.note,
                    "status_by": question.status_by,
                    "status_at": question.status_at,
                    "active": question.active,
                    "first": question.first_detected_at,
                    "last": question.last_detected_at,
                },
            )
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_index(op.f("ix_conflicts_subject_property"))
        batch.drop_constraint(op.f("ck_conflicts_answer_stance"), type_="check")
        batch.drop_constraint(op.f("fk_conflicts_answer_claim_id_claims"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_conflicts_property_id_properties"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_conflicts_subject_id_entities"), type_="foreignkey")
        batch.drop_column("answer_stance")
        batch.drop_column("answer_claim_id")
        batch.drop_column("property_id")
        batch.drop_column("subject_id")
        batch.alter_column("claim_a_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("claim_b_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_conflicts_claim_a_id_claims"), "claims", ["claim_a_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_conflicts_claim_b_id_claims"), "claims", ["claim_b_id"], ["id"]
        )
        batch.create_unique_constraint(
            op.f("uq_conflicts_claim_a_id_claim_b_id"), ["claim_a_id", "claim_b_id"]
        )
        batch.create_check_constraint(op.f("ck_conflicts_ordered_pair"), "claim_a_id <= claim_b_id")
        batch.create_index(op.f("ix_conflicts_claim_b_id"), ["claim_b_id"], unique=False)
