"""Copy detection: sources that give the same answers on nearly every disputed item they share.

Two sources identical on at least ``COPY_SHARE`` of at least ``COPY_MIN_SHARED``
disputed items both answer are suggested as one feed; suggestions chain into groups.
Disputed items only: independent sources agree on what is easy and true; only copies
also agree on what is disputed. The cost is a self-join per item (pairs of sources
within an item), never over all pairs of claims.
"""

from __future__ import annotations

from collections import defaultdict

from . import settings
from .sql import Sql


def detect_copies(sql: Sql) -> list[list[int]]:
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
    # every pair of sources sharing a disputed item: how many they share, and on how many
    # they give the same answers; the copy rule reads it here, soft copy detection
    # (dependence.py) later, so the pairs within each item are enumerated once
    sql(
        """CREATE TEMPORARY TABLE trust_pairs (source_key INTEGER, other_key INTEGER,
            shared INTEGER, same INTEGER, PRIMARY KEY (source_key, other_key))"""
    )
    sql(
        """INSERT INTO trust_pairs (source_key, other_key, shared, same)
        SELECT a.source_key, b.source_key, COUNT(*),
               SUM(CASE WHEN a.lo = b.lo AND a.hi = b.hi AND a.n = b.n THEN 1 ELSE 0 END)
        FROM trust_given a JOIN trust_given b ON b.item = a.item AND b.source_key > a.source_key
        GROUP BY a.source_key, b.source_key"""
    )
    pairs = sql(
        """SELECT source_key, other_key FROM trust_pairs
        WHERE shared >= :min_shared AND same >= :share * shared""",
        {"min_shared": settings.COPY_MIN_SHARED, "share": settings.COPY_SHARE},
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


def count_as_one(sql: Sql, keys: list[int], unit: int) -> None:
    """Make the sources ``keys`` (and any already sharing a vote with one of them) one vote
    unit, ``unit``; :func:`sync_vote_units` then carries it to their answers."""
    listed = ", ".join(str(int(k)) for k in keys)
    sql(
        f"""UPDATE trust_sources SET vote_unit = :unit
        WHERE source_key IN ({listed}) OR vote_unit IN (SELECT vote_unit FROM trust_sources
                                                        WHERE source_key IN ({listed}))""",
        {"unit": int(unit)},
    )


def sync_vote_units(sql: Sql) -> None:
    """Each answer's vote unit, that of its source (after :func:`count_as_one`)."""
    sql(
        """UPDATE trust_evidence SET vote_unit = (SELECT k.vote_unit FROM trust_sources k
               WHERE k.source_key = trust_evidence.source_key)"""
    )
