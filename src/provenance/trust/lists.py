"""Lists that imply lists: a text answer naming part of another's entries supports it.

**What a list is.** A text answer (a claim of a single-valued ``text`` property) is a
list of the entries its stored, normalised text (``claims.text_value``, as
``values.normalise_text`` leaves it: case folded, spaces collapsed) separates by ``;``,
each entry trimmed of spaces, an entry named twice counted once: ``widom; ceri`` is the
list of ``widom`` and ``ceri``. An ordinary text without ``;`` is a one-item list, so
only an item where some answer holds a ``;`` has lists to compare; two texts without
``;`` never imply each other (the seeds' texts holding one are values of a multi-valued
property, which the model leaves out: their conflicts are untouched).

**The rule** (TruthFinder's implication between facts, X. Yin, J. Han and P. S. Yu,
KDD 2007, §3: ``imp(f1 → f2)`` from an asymmetric similarity of two author lists,
taken here only where it is positive). Within one item, for two answers ``a`` and ``b``:

* ``a``'s entries are a part of ``b``'s (``widom`` of ``widom; ceri``): a source giving
  ``a`` does not contradict ``b`` — a bookstore listing the first author only is not
  saying there is no second — so ``a`` lends ``b`` ``COMPATIBLE_SHARE`` × the
  similarity of its support (``LIST_IMPLICATION``; by ``LIST_BY_SIZE``, times the share
  of ``b``'s entries that ``a`` names), times how habitually ``a``'s sources give parts
  of other answers' lists (``LIST_HABIT``, :func:`weigh_by_habit`: where wrong lists
  are as often a name too many as one too few, the truth is a part of a wrong list and
  must not lend it its support). ``b`` lends ``a`` nothing: it names an entry that
  ``a``, read as the whole list, leaves out.
* A small store's habit is uncertain: by ``LIST_HABIT_TOWARD = "pooled"`` it is shrunk
  toward the habit of all sources together rather than toward 0, so that where a data
  set's stores habitually cut lists short a store with two answers inherits it, and where
  wrong lists add names as often as they drop them (the pooled habit about 0) nothing
  changes.
* With ``LIST_TRANSFER``, a part does not lend: a habitual part-giver's vote on a strict
  part is not a claim that the list ends there, so ``habit`` of the part's support moves
  to the lists that strictly hold it, split equally among them (or, by
  ``LIST_TRANSFER_SPLIT``, among them and the part itself), and the part keeps the rest
  (:func:`move_list_parts`).
* With ``LIST_HABIT_LEAVE_OUT``, a source's habit on a part is counted from its other
  answers: a store's one list, cut short, is no evidence of a habit of its own.
* The same entries in another order (``ceri; widom``) or written otherwise (``widom;ceri``)
  lend each other the same way, whatever the habit.
* With ``LIST_CREDIT``, a source giving ``a`` earns the similarity × the probability of
  ``b`` in its credit (it named no wrong entry); by default it does not (a list cut short
  is not the answer).

The pooled habit, moving and leaving out are off: none gained on Books half A without
losing on the synthetic list worlds (``docs/benchmarks.md``, "Eighth pass: lists a small
store cuts short").

Lists that overlap without one holding the other (``widom; ceri`` and ``widom; garcia``)
lend nothing. Either way the two stay different answers: a list cut short still makes a
margin, or a tie, against the full one (they are not ``trust_compatible``).

The pairs go in ``trust_near`` (``similarity`` for the score, ``in_credit`` for the
credit, receiver in ``claim_id``), where :func:`rounds.score_and_normalise` reads near
numbers too; with ``LIST_TRANSFER`` the strict ones go in ``trust_list_moves`` instead
(the share of the part's support each whole receives), which the same function applies
after the lending. It is set-based: the entries of the answers of items with a list
answer are split by one recursive query, and the pairs are found by joining entries
within an item.
"""

from __future__ import annotations

from . import settings
from .sql import Sql

WORK_TABLES = ("trust_list_answers", "trust_list_items", "trust_list_pairs", "trust_list_habits")


def build_list_implication(sql: Sql) -> None:
    """Pairs of list answers of one item where one's entries are part of the other's.

    Nothing when ``LIST_IMPLICATION`` is 0 or no answer of a disputed text item holds a
    ``;``. Its working tables are dropped before it returns.
    """
    if settings.LIST_IMPLICATION <= 0:
        return
    sql.drop(*WORK_TABLES, "trust_list_moves")
    sql(
        """CREATE TEMPORARY TABLE trust_list_answers (
            claim_id INTEGER PRIMARY KEY, item INTEGER, entries INTEGER DEFAULT 0)"""
    )
    sql(
        """CREATE TEMPORARY TABLE trust_list_items (
            claim_id INTEGER, entry TEXT, PRIMARY KEY (claim_id, entry))"""
    )
    sql(
        """CREATE TEMPORARY TABLE trust_list_pairs (
            part_id INTEGER, whole_id INTEGER, strict INTEGER,
            similarity DOUBLE PRECISION, PRIMARY KEY (part_id, whole_id))"""
    )
    # the text answers of disputed items that hold at least one list
    text_answers = """SELECT DISTINCT e.item, e.claim_id
        FROM trust_evidence e
        JOIN trust_items i ON i.item = e.item AND i.answers > 1
        JOIN claims c ON c.id = e.claim_id AND c.text_value IS NOT NULL
        JOIN properties p ON p.id = c.property_id AND p.datatype = 'text'"""
    find = "instr" if sql.sqlite else "strpos"
    sql(
        f"""INSERT INTO trust_list_answers (item, claim_id)
        SELECT t.item, t.claim_id FROM ({text_answers}) t
        WHERE t.item IN (SELECT u.item FROM ({text_answers}) u
                         JOIN claims c ON c.id = u.claim_id
                         WHERE {find}(c.text_value, ';') > 0)"""
    )
    if not transferring() and not sql("SELECT COUNT(*) FROM trust_list_answers").scalar():
        # no list among the disputed answers: no pair, nothing lent (the work tables go)
        sql.drop(*WORK_TABLES)
        return
    sql(
        f"""WITH RECURSIVE parts (claim_id, entry, rest) AS (
            SELECT c.id, CAST('' AS TEXT), CAST(c.text_value || ';' AS TEXT)
            FROM trust_list_answers a JOIN claims c ON c.id = a.claim_id
            UNION ALL
            SELECT claim_id, CAST(TRIM(SUBSTR(rest, 1, {find}(rest, ';') - 1)) AS TEXT),
                   CAST(SUBSTR(rest, {find}(rest, ';') + 1) AS TEXT)
            FROM parts WHERE rest <> '')
        INSERT INTO trust_list_items (claim_id, entry)
        SELECT DISTINCT claim_id, entry FROM parts WHERE entry <> ''"""
    )
    sql(
        """UPDATE trust_list_answers SET entries = (
            SELECT COUNT(*) FROM trust_list_items t
            WHERE t.claim_id = trust_list_answers.claim_id)"""
    )
    # a is held in b: every entry of a is one of b's (b has at least as many)
    sql(
        """INSERT INTO trust_list_pairs (part_id, whole_id, strict, similarity)
        SELECT a.claim_id, b.claim_id, CASE WHEN a.entries < b.entries THEN 1 ELSE 0 END,
               1.0 * a.entries / b.entries
        FROM trust_list_answers a
        JOIN trust_list_answers b ON b.item = a.item AND b.claim_id <> a.claim_id
             AND b.entries >= a.entries AND a.entries > 0
        JOIN trust_list_items x ON x.claim_id = a.claim_id
        JOIN trust_list_items y ON y.claim_id = b.claim_id AND y.entry = x.entry
        GROUP BY a.claim_id, b.claim_id, a.entries, b.entries
        HAVING COUNT(*) = a.entries"""
    )
    if not settings.LIST_BY_SIZE:
        sql("UPDATE trust_list_pairs SET similarity = 1.0")
    if settings.LIST_HABIT > 0:
        weigh_by_habit(sql)
    sql(f"UPDATE trust_list_pairs SET similarity = {float(settings.LIST_IMPLICATION)} * similarity")
    if transferring():
        if settings.LIST_TRANSFER_SPLIT not in ("wholes", "part-and-wholes"):
            raise ValueError(
                f"LIST_TRANSFER_SPLIT {settings.LIST_TRANSFER_SPLIT!r}: one of wholes,"
                " part-and-wholes"
            )
        # the part itself may keep one equal share: a list cut short may be the truth
        keeps = 1 if settings.LIST_TRANSFER_SPLIT == "part-and-wholes" else 0
        # a strict part moves its share to the lists holding it instead of lending
        sql(
            """CREATE TEMPORARY TABLE trust_list_moves (
                part_id INTEGER, whole_id INTEGER, share DOUBLE PRECISION,
                PRIMARY KEY (part_id, whole_id))"""
        )
        sql(
            f"""INSERT INTO trust_list_moves (part_id, whole_id, share)
            SELECT p.part_id, p.whole_id,
                   CASE WHEN p.similarity > 1.0 THEN 1.0 ELSE p.similarity END
                   / (n.wholes + {keeps})
            FROM trust_list_pairs p
            JOIN (SELECT part_id, COUNT(*) AS wholes FROM trust_list_pairs
                  WHERE strict = 1 AND similarity > 0 GROUP BY part_id) n
                 ON n.part_id = p.part_id
            WHERE p.strict = 1 AND p.similarity > 0"""
        )
        sql("CREATE INDEX trust_list_moves_whole ON trust_list_moves (whole_id)")
        sql("DELETE FROM trust_list_pairs WHERE strict = 1")
    # the whole (receiver) gets the part's support in its score ...
    sql(
        """INSERT INTO trust_near (claim_id, other_id, similarity, in_credit)
        SELECT whole_id, part_id, similarity, 0.0 FROM trust_list_pairs
        WHERE similarity > 0"""
    )
    # ... and the part's sources may earn credit where the whole is true (LIST_CREDIT)
    if settings.LIST_CREDIT:
        sql(
            """INSERT INTO trust_near (claim_id, other_id, similarity, in_credit)
            SELECT part_id, whole_id, 0.0, similarity FROM trust_list_pairs
            WHERE similarity > 0"""
        )
    sql.drop(*WORK_TABLES)


def transferring() -> bool:
    """Whether strict parts move their support to the lists holding them (``LIST_TRANSFER``)."""
    return settings.LIST_TRANSFER and settings.LIST_IMPLICATION > 0


def move_list_parts(sql: Sql) -> None:
    """Each strict part's moved support, from ``trust_list_moves``, in this round's scores.

    A whole receives ``share`` × the part's own support (its sources' votes, before any
    lending) and the part loses as much: the share of a part is its sources' habit
    (``weigh_by_habit``, × ``LIST_IMPLICATION``, at most 1), split equally among the
    lists that strictly hold it. Equally, not by the wholes' current probabilities: the
    split is then fixed before the rounds, so a round's leaning cannot feed itself, and
    ``widom`` held by ``widom; ceri`` and ``widom; ceri; garcia`` takes no side between
    them (the longer one is itself a whole of the shorter, which moves its own share).
    Nothing when ``LIST_TRANSFER`` is off.
    """
    if not transferring():
        return
    sql(
        """UPDATE trust_scores SET score = score + (
            SELECT SUM(m.share * o.own) FROM trust_list_moves m
            JOIN trust_scores o ON o.claim_id = m.part_id
            WHERE m.whole_id = trust_scores.claim_id)
        WHERE claim_id IN (SELECT whole_id FROM trust_list_moves)"""
    )
    sql(
        """UPDATE trust_scores SET score = score - own * (
            SELECT SUM(m.share) FROM trust_list_moves m
            WHERE m.part_id = trust_scores.claim_id)
        WHERE claim_id IN (SELECT part_id FROM trust_list_moves)"""
    )


def weigh_by_habit(sql: Sql) -> None:
    """A part lends only as far as its sources habitually give parts (``LIST_HABIT``).

    A source's habit is, over its answers on items holding a list, the share that are a
    strict part of another answer of their item less the share that strictly hold
    another (a store that lists the first author only gives parts again and again; a
    source erring as often by a name too many as by one too few nets nothing), shrunk
    by ``LIST_HABIT`` pseudo-answers toward 0 or (``LIST_HABIT_TOWARD = "pooled"``)
    toward the habit of all sources together (the same count over every source's
    answers, floored at 0), and floored at 0. A part's lending is the
    mean habit of its sources (by their confidence); a reordering lends in full. Counted
    from what the sources say, once, not from what the model learns.
    """
    if settings.LIST_HABIT_TOWARD not in ("zero", "pooled"):
        raise ValueError(f"LIST_HABIT_TOWARD {settings.LIST_HABIT_TOWARD!r}: one of zero, pooled")
    sql(
        """CREATE TEMPORARY TABLE trust_list_habits (
            source_key INTEGER PRIMARY KEY, net DOUBLE PRECISION, answers INTEGER,
            habit DOUBLE PRECISION)"""
    )
    sql("CREATE INDEX trust_list_pairs_whole ON trust_list_pairs (whole_id)")
    # each list answer: +1 a strict part of another, -1 strictly holding another, 0 both
    # or neither; only items where some answer strictly holds another count
    strict = "SELECT DISTINCT {0} AS claim_id FROM trust_list_pairs WHERE strict = 1"
    sql(
        f"""INSERT INTO trust_list_habits (source_key, net, answers)
        SELECT e.source_key,
               SUM(CASE WHEN part.claim_id IS NULL THEN 0.0 ELSE 1.0 END
                   - CASE WHEN whole.claim_id IS NULL THEN 0.0 ELSE 1.0 END),
               COUNT(*)
        FROM trust_evidence e
        JOIN trust_list_answers a ON a.claim_id = e.claim_id
        JOIN (SELECT DISTINCT l.item FROM trust_list_answers l
              JOIN trust_list_pairs p ON p.part_id = l.claim_id AND p.strict = 1) i
             ON i.item = a.item
        LEFT JOIN ({strict.format("part_id")}) part ON part.claim_id = a.claim_id
        LEFT JOIN ({strict.format("whole_id")}) whole ON whole.claim_id = a.claim_id
        GROUP BY e.source_key"""
    )
    toward = 0.0
    if settings.LIST_HABIT_TOWARD == "pooled":
        toward = float(
            sql(
                """SELECT CASE WHEN SUM(net) > 0 THEN SUM(net) / SUM(answers) ELSE 0.0 END
                FROM trust_list_habits"""
            ).scalar()
            or 0.0
        )
    pseudo = float(settings.LIST_HABIT)
    sql(f"UPDATE trust_list_habits SET habit = (net + {pseudo * toward}) / (answers + {pseudo})")
    habit = "h.habit"
    if settings.LIST_HABIT_LEAVE_OUT:
        # the part itself (+1, or 0 where it also holds another) not counted in its habit
        own = "(CASE WHEN w.claim_id IS NULL THEN 1.0 ELSE 0.0 END)"
        habit = f"(h.net - {own} + {pseudo * toward}) / (h.answers - 1 + {pseudo})"
    sql(
        f"""UPDATE trust_list_pairs SET similarity = similarity * f.habit
        FROM (SELECT e.claim_id,
                     SUM(e.weight * CASE WHEN {habit} > 0 THEN {habit} ELSE 0.0 END)
                     / SUM(e.weight) AS habit
              FROM trust_evidence e
              JOIN trust_list_habits h ON h.source_key = e.source_key
              JOIN (SELECT DISTINCT part_id FROM trust_list_pairs WHERE strict = 1) p
                   ON p.part_id = e.claim_id
              LEFT JOIN ({strict.format("whole_id")}) w ON w.claim_id = e.claim_id
              GROUP BY e.claim_id) f
        WHERE f.claim_id = trust_list_pairs.part_id AND trust_list_pairs.strict = 1"""
    )
