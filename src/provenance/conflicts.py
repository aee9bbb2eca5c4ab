"""Conflicts: the questions on which sources contradict each other, and which answer leads.

One concept per module; this one names them and gives the names callers use:

* ``detection`` — finding the questions (one set-based query, then a union-find into
  questions) and keeping the ``conflicts`` table up to date: :func:`detect`.
* ``listing`` — the listed rows of questions, a chunk at a time: :func:`conflict_rows`,
  :func:`listing_scope`, :class:`Listing`, :func:`flat_rows` (CSV).
* ``listed_claims`` — the claims, citations and sources a listing reads, as plain views.
* ``support`` — the weight of the evidence behind each answer (grade × confidence,
  counted once per work or document).
* ``verdicts`` — the desk's verdicts: :func:`resolve`, :func:`resolve_by_preference`.
* ``leading`` — each answer's probability from the stored trust result, the leader and
  its margin, and the remembered leader.
"""

from __future__ import annotations

from .detection import DETECTION_LOCK, AnswerKey, DetectionResult, detect, detection_query
from .listing import (
    Listing,
    ListingScope,
    answer_ref,
    conflict_rows,
    flat_rows,
    iter_conflict_rows,
    listing_scope,
    severity,
)
from .support import CONFIDENCE, RELIABILITY, Support, citation_weight, own_support, supports
from .verdicts import STATUS_ORDER, answer_label, get_conflict, resolve, resolve_by_preference

__all__ = [
    "CONFIDENCE",
    "DETECTION_LOCK",
    "RELIABILITY",
    "STATUS_ORDER",
    "AnswerKey",
    "DetectionResult",
    "Listing",
    "ListingScope",
    "Support",
    "answer_label",
    "answer_ref",
    "citation_weight",
    "conflict_rows",
    "detect",
    "detection_query",
    "flat_rows",
    "get_conflict",
    "iter_conflict_rows",
    "listing_scope",
    "own_support",
    "resolve",
    "resolve_by_preference",
    "severity",
    "supports",
]
