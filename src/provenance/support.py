"""Support: the weight of the evidence behind each answer of a question.

**Support and the leading answer.** Each citation weighs
``reliability × confidence`` of its source and citation (weights in ``RELIABILITY``
and ``CONFIDENCE``). Citations that trace back to the same cited work (through their
footnotes) or come from the same document are one piece of evidence and count once, at
the weight of the strongest. An answer's support is the sum of its independent evidence
(for a denial: of the denying citations), plus, for an assertion, half the support of
every other claim on the same subject and property whose value is compatible with it (a
an overlapping interval, a date that refines it). The answer the desk accepted
(``resolve --answer``) leads; else a ``preferred`` claim leads whatever its support;
otherwise the answer with most support leads, and equal support at the top leads
nowhere (a tie is reported as such).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from .listed_claims import CitationLike, ClaimLike, group_members

RELIABILITY = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.3}
CONFIDENCE = {"high": 1.0, "medium": 0.6, "low": 0.3}
COMPATIBLE_SHARE = 0.5
SEVERITY_HIGH = 0.6
SEVERITY_MEDIUM = 0.3


@dataclass
class Support:
    """The weight behind one claim, piece by piece."""

    claim_id: int
    total: float = 0.0
    pieces: list[dict[str, Any]] = field(default_factory=list)


def citation_weight(citation: CitationLike) -> float:
    return RELIABILITY.get(citation.source.reliability, RELIABILITY["F"]) * CONFIDENCE.get(
        citation.confidence, CONFIDENCE["medium"]
    )


def citation_document(citation: Any) -> int:
    """The document of a loaded citation, the Python side of ``document_of``: a copy and
    its original are one document (``Source.document_id``)."""
    return citation.source.document_id


def origins(citation: CitationLike) -> set[tuple[str, int]]:
    """Where a citation's evidence comes from: its document, and the works its footnote cites."""
    origins = {("document", citation_document(citation))}
    if citation.footnote is not None:
        origins.update(("work", fw.work_id) for fw in citation.footnote.works)
    return origins


def evidence_text(citation: Any, weight: float) -> str:
    """A piece of support in the desk's words: ``ctc-khazali-interrogations-2018 [6],
    grade B × high = 0.8`` (source, footnote, grade × confidence = weight)."""
    where = citation.source.slug + (f" [{citation.footnote.number}]" if citation.footnote else "")
    who = f" ({citation.attributed_to.name})" if citation.attributed_to else ""
    return (
        f"{where}{who}, grade {citation.source.reliability} × {citation.confidence}"
        f" = {round(weight, 3):g}"
    )


def own_support(claim: ClaimLike, stance: str = "asserts", *, pieces: bool = True) -> Support:
    """Independent evidence for (or, with ``stance="denies"``, against) one claim.

    Citations sharing a cited work or a document count once, at the strongest's weight.
    ``pieces`` false leaves out the piece-by-piece account (``--explain``): the total is
    the same.
    """
    support = Support(claim.id)
    # a listed claim's citations are live already; a model's may include retracted ones
    citations = [c for c in claim.citations if c.stance == stance and getattr(c, "live", True)]
    weights = [citation_weight(c) for c in citations]
    if not pieces and _independent(citations):
        # each citation its own piece of evidence: the sum, added in the same order
        for weight in weights:
            support.total += weight
        return support
    if len(citations) == 1:
        groups: Iterable[list[int]] = ([0],)
    else:
        # union-find over citations connected by a shared work or document
        parent = list(range(len(citations)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_with: dict[tuple[str, int], int] = {}
        for i, citation in enumerate(citations):
            for origin in origins(citation):
                if origin in first_with:
                    parent[root(i)] = root(first_with[origin])
                else:
                    first_with[origin] = i
        grouped: dict[int, list[int]] = defaultdict(list)
        for i in range(len(citations)):
            grouped[root(i)].append(i)
        groups = grouped.values()
    for members in groups:
        strongest = max(members, key=weights.__getitem__)
        support.total += weights[strongest]
        if not pieces:
            continue
        for i in members:
            citation, counted = citations[i], i == strongest
            said = evidence_text(citation, weights[i])
            support.pieces.append(
                {
                    "text": said
                    if counted
                    else f"{said}: counted once, with "
                    f"{evidence_text(citations[strongest], weights[strongest])}"
                    " (same work or document)",
                    "citation": citation.id,
                    "source": citation.source.slug,
                    "reliability": citation.source.reliability,
                    "confidence": citation.confidence,
                    "footnote": citation.footnote.number if citation.footnote else None,
                    "attributed_to": citation.attributed_to.name
                    if citation.attributed_to
                    else None,
                    "weight": round(weights[i], 3) if counted else 0.0,
                    "why": "independent evidence"
                    if counted
                    else f"same work or document as citation {citations[strongest].id}:"
                    " counted once",
                }
            )
    return support


def _independent(citations: list[Any]) -> bool:
    """Whether no two citations share a document and none cites a work through its
    footnote: then every citation is a piece of evidence of its own (most claims)."""
    documents = {citation_document(c) for c in citations}
    return len(documents) == len(citations) and all(
        c.footnote is None or not c.footnote.works for c in citations
    )


def _compatible(a: ClaimLike, b: ClaimLike, tolerance: float | None) -> bool:
    datatype = a.property.datatype
    if datatype == "quantity":
        # stored bounds: only approximate input carries the tolerance (see _widened)
        (al, ah), (bl, bh) = (a.quantity_low, a.quantity_high), (b.quantity_low, b.quantity_high)
        if ah is not None and bl is not None and ah < bl:
            return False
        return not (bh is not None and al is not None and bh < al)
    if datatype == "date":
        if a.date_latest and b.date_earliest and a.date_latest < b.date_earliest:
            return False
        return not (b.date_latest and a.date_earliest and b.date_latest < a.date_earliest)
    return a.value_key == b.value_key


def supports(
    session: Session,
    claims: list[Any],
    members: dict[tuple[int, int], list[Any]] | None = None,
    *,
    pieces: bool = True,
) -> dict[int, Support]:
    """Support of each claim, including half the support of compatible claims on the same
    subject, property and scope. The claims of every group involved are loaded in a few
    queries (unless given as ``members``), and each claim's own support is computed once.
    ``pieces`` false: totals only, without the piece-by-piece account."""
    if members is None:
        members = group_members(session, [c.id for c in claims])
    own: dict[int, Support] = {}

    def own_of(claim: Any) -> Support:
        if claim.id not in own:
            own[claim.id] = own_support(claim, pieces=pieces)
        return own[claim.id]

    result = {}
    for claim in claims:
        base = own_of(claim)
        support = Support(claim.id, base.total, list(base.pieces) if pieces else [])
        for other in members.get((claim.subject_id, claim.property_id), ()):
            if other.id == claim.id or other.scope_key != claim.scope_key:
                continue
            if not _compatible(claim, other, claim.property.tolerance):
                continue
            lent = own_of(other).total * COMPATIBLE_SHARE
            if lent <= 0:
                continue
            support.total += lent
            if pieces:
                support.pieces.append(
                    {
                        "text": f"compatible value {other.value} (claim {other.id}):"
                        f" half its support = {round(lent, 3):g}",
                        "claim": other.id,
                        "value": other.value,
                        "weight": round(lent, 3),
                        "why": f"compatible value {other.value!r} lends half its support",
                    }
                )
        result[claim.id] = support
    return result
