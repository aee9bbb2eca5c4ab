"""The leading answer of each question, from learned source trust (SPEC §3).

``listing`` lists questions with their answers and support, a chunk at a time; :func:`lead`
weighs each chunk with the trust model (``trust.py``) as it goes (``weigher``):

* **Which result.** The stored one (``stored_trust``) while it is fresh: each chunk's
  answers' scores are read from ``learned_answers``, so the listing streams and its
  memory stays flat. ``conflicts`` brings it up to date first (:func:`refresh_leaders`,
  in its writing transaction, after detection); a reading command that finds it stale
  learns trust into temporary tables for its transaction (:func:`trust_for`), and
  stores nothing.
* **Probability.** An asserted answer's score is the model's; an answer the model
  does not hold (a denial, a value of a multi-valued property, a claim deprecated since
  the question was found) scores the sum of its independent sources' votes at their
  learned trust on the property (:func:`trust.vote`; a copy group votes once). The
  probability of each answer is its ``exp(score)`` normalised over the question's
  answers; an answer the desk accepted, or a claim it preferred, has probability 1.
* **The leader.** The answer the desk accepted (``resolve --answer``) leads; else a
  ``preferred`` claim's assertion, whatever its probability; else the most probable
  answer. Its **margin** is its probability less that of the most probable answer it
  contradicts; a margin below :data:`trust.TIE` is a tie, and nothing leads: only where
  the evidence is really equal.
* **Explain.** Each answer's ``trust_pieces``: one per independent source (a document
  with the speaker it quotes; a copy and its original are one; the vote of a likely copy
  shared as the model shares it), in the desk's words:
  ``ctc [6], grade B, trust .83 (12 agree, 1 disagree, 1 verdict) × high = 1.9``.
* **Leading changes.** Leaders change only when trust is learned anew (its evidence
  changed: a verdict, a grade, new claims). Then :func:`refresh_leaders` weighs every
  active question, a chunk at a time, and :func:`remember` stores each one's leading
  answer (``conflicts.leading_claim_id``/``leading_stance``); where it differs from the
  one stored (a desk verdict elsewhere taught the model) history records the change,
  and the listing that follows says what led before (``leading_was``).

JSON field names: each answer's ``probability``, the leading answer's ``margin`` (None
on the others), the question's ``leading_margin`` and ``leading_was``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from . import listing, stored_trust
from . import trust as trustmod
from .history import record
from .listed_claims import IN_CHUNK
from .models import Claim, Conflict

AnswerKey = tuple[int, str]

ACCEPTED = "accepted by the desk"
PREFERRED = "preferred by the desk"
MOST_LIKELY = "most likely true"
TIE = "tie: equal evidence"
# a stance question (an assertion against its denial) says which side leads
DENIAL_LEADS = "the denial is more likely true"
ASSERTION_LEADS = "the assertion is more likely true"

_CACHE = "provenance.leading.trust"


@dataclass
class _Trust:
    """The trust result a transaction weighs with: the stored one, or (stale, in a
    reading transaction) one computed into temporary tables. A stored result is read
    whole only when asked for (``result``): a listing reads a chunk's answers only."""

    session: Session
    public_only: bool
    stored: bool
    computed: trustmod.TrustResult | None = None
    track_records: dict[tuple[int, int, int], trustmod.TrackRecord] = field(default_factory=dict)
    records_read: set[tuple[int, int, int]] = field(default_factory=set)
    pairs: dict[tuple[int, int], dict[tuple[int, int], float]] = field(default_factory=dict)
    pairs_read: set[int] = field(default_factory=set)

    def likely_copies(
        self, documents: set[int]
    ) -> dict[tuple[int, int], dict[tuple[int, int], float]]:
        """The likely copies (soft copy detection) of these documents' sources at least
        (of a stored result: read when a chunk first weighs a citation of them)."""
        if self.computed is not None:
            return self.computed.dependence
        wanted = documents - self.pairs_read
        if wanted:
            self.pairs.update(
                stored_trust.dependence(
                    self.session, public_only=self.public_only, documents=wanted
                )
            )
            self.pairs_read.update(wanted)
        return self.pairs

    def records(
        self, sources: set[tuple[int, int, int]]
    ) -> dict[tuple[int, int, int], trustmod.TrackRecord]:
        """The track records of these (document, speaker, property) sources at least (of a
        stored result: each read once, when a chunk first weighs a citation of it, without
        the rest — at a million claims a listing needs a few thousand of some 120,000)."""
        if self.computed is not None:
            return self.computed.records
        wanted = sorted(sources - self.records_read)
        for start in range(0, len(wanted), IN_CHUNK):
            self.track_records.update(
                stored_trust.records(
                    self.session,
                    public_only=self.public_only,
                    sources=wanted[start : start + IN_CHUNK],
                )
            )
        self.records_read.update(wanted)
        return self.track_records

    @property
    def result(self) -> trustmod.TrustResult:
        if self.computed is None:
            self.computed = stored_trust.load(self.session, public_only=self.public_only)
        return self.computed


def trust_for(session: Session, *, public_only: bool) -> trustmod.TrustResult:
    """The trust model of this transaction, shared by every caller in it (``publish``
    reads it for its conflicts and for its ``trust`` table): the stored result when it
    is fresh (``stored_trust``), else computed now and kept for the transaction."""
    return _trust(session, public_only).result


def _trust(session: Session, public_only: bool) -> _Trust:
    cached = session.info.get(_CACHE)
    if cached is not None and cached.public_only == public_only:
        return cached
    if stored_trust.freshness(session, public_only=public_only).fresh:
        found = _Trust(session, public_only, True)
    else:
        computed = trustmod.compute_trust(session, public_only=public_only)
        found = _Trust(session, public_only, False, computed)
    return _keep(session, found)


def _keep(session: Session, found: _Trust) -> _Trust:
    session.info[_CACHE] = found
    if not event.contains(session, "after_transaction_end", _forget):
        event.listen(session, "after_transaction_end", _forget)
    return found


def _forget(session: Session, transaction: Any) -> None:
    # the model's temporary tables belong to the transaction's connection
    if transaction.parent is None:
        session.info.pop(_CACHE, None)


def refresh(session: Session, *, public_only: bool) -> bool:
    """Bring the stored result on this evidence up to date (a writing transaction), and
    weigh with it for the rest of the transaction. True when it was computed now."""
    result, computed = stored_trust.refresh(session, public_only=public_only)
    _keep(session, _Trust(session, public_only, True, result))
    return computed


@dataclass
class Refreshed:
    """What ``refresh_leaders`` did: whether trust was computed now, on the evidence up
    to which change, and the questions whose leader changed (``leading_was`` by id)."""

    computed: bool
    state: stored_trust.Freshness
    changed: dict[int, dict[str, Any]]

    def line(self) -> str:
        """``conflicts --explain`` says whether trust was learned now or reused (and on
        a second line, where the desk's verdicts chose the vote, which: trust/choice.py)."""
        state = self.state
        choice = trustmod.VoteChoice.from_json(state.vote_choice)
        chosen = f"\n{choice.line()}" if choice is not None else ""
        if self.computed:
            return (
                f"trust: learned now from the evidence up to change {state.key}"
                f" ({state.cpu_seconds:.1f} s CPU); {len(self.changed)} leading answer(s) changed"
            ) + chosen
        at = f"{state.computed_at:%Y-%m-%d %H:%M:%S}" if state.computed_at else "?"
        return (
            f"trust: reused, learned {at} UTC from the evidence up to change {state.key}"
            " (nothing it rests on has changed since)"
        ) + chosen


def refresh_leaders(session: Session, actor: str) -> Refreshed:
    """``conflicts``' writing step after detection: the stored result on all evidence up
    to date, and when it was computed now (its evidence changed: a verdict, a grade, new
    claims), every active question's leader weighed and remembered, a chunk at a time.
    The ``changed`` questions' ``leading_was`` is for the listing that follows. Nothing
    changed: nothing read but the key."""
    computed = refresh(session, public_only=False)
    changed: dict[int, dict[str, Any]] = {}
    if computed:
        everything = listing.ListingScope(status="all", include_inactive=False)
        for rows in listing.iter_conflict_chunks(session, everything, weighed=True):
            lead(session, rows, public_only=False)
            remember(session, rows, actor)
            changed.update((row["id"], row["leading_was"]) for row in rows if row["leading_was"])
    return Refreshed(computed, stored_trust.freshness(session, public_only=False), changed)


def weigher(
    session: Session,
    *,
    public_only: bool,
    explain: bool = False,
    changed: dict[int, dict[str, Any]] | None = None,
) -> Callable[[list[dict[str, Any]]], None]:
    """What a listing applies to each chunk of rows (``listing.Listing(weigh=...)``): their
    leading answers, and ``leading_was`` where this run's ``refresh_leaders`` changed it."""
    was = changed or {}

    def weigh(rows: list[dict[str, Any]]) -> None:
        lead(session, rows, public_only=public_only, explain=explain)
        for row in rows:
            row["leading_was"] = was.get(row["id"])

    return weigh


def lead(
    session: Session, rows: Sequence[dict[str, Any]], *, public_only: bool, explain: bool = False
) -> None:
    """Give every listed question its leading answer, probabilities and margin from the
    trust model (see the module's docstring). Changes ``rows`` in place; writes nothing."""
    if not rows:
        return
    trust = _trust(session, public_only)
    # each question's asserted answers the model holds: (score, known) by claim
    modelled: dict[int, dict[int, tuple[float, bool]]]
    if trust.stored:
        # a claim's stored score is the same in every question that lists it: one read
        scores = stored_trust.answer_scores(
            session,
            {a["claim"] for row in rows for a in row["answers"] if a["stance"] == "asserts"},
            public_only=public_only,
        )
        modelled = {row["id"]: scores for row in rows}
    else:
        questions = {
            row["id"]: [a["claim"] for a in row["answers"] if a["stance"] == "asserts"]
            for row in rows
        }
        modelled = defaultdict(dict)
        for answer in trustmod.answer_probabilities(session, questions):
            modelled[answer.item][answer.claim_id] = (answer.score, answer.known)
    # the citations of answers the model does not hold (all of them, for --explain)
    wanted = {
        a["claim"]
        for row in rows
        for a in row["answers"]
        if explain or a["stance"] != "asserts" or a["claim"] not in modelled.get(row["id"], ())
    }
    cited: dict[AnswerKey, list[trustmod.WeighedCitation]] = defaultdict(list)
    units = stored_trust.vote_units(public_only) if trust.stored else "trust_sources"
    for c in trustmod.weighed_citations(session, wanted, public_only=public_only, vote_units=units):
        cited[(c.claim_id, c.stance)].append(c)
    if trust.stored and trust.computed is None:  # its track records only
        result = trustmod.TrustResult(
            sources=[],
            by_property={},
            copy_groups=[],
            rounds=0,
            items=0,
            public_only=public_only,
            records=trust.records(
                {(c.document_id, c.speaker_id, c.property_id) for cs in cited.values() for c in cs}
            ),
            dependence=trust.likely_copies({c.document_id for cs in cited.values() for c in cs}),
        )
    else:
        result = trust.result
    for row in rows:
        _lead_question(row, modelled.get(row["id"], {}), cited, result, explain)


def _lead_question(
    row: dict[str, Any],
    modelled: dict[int, tuple[float, bool]],
    cited: dict[AnswerKey, list[trustmod.WeighedCitation]],
    result: trustmod.TrustResult,
    explain: bool,
) -> None:
    answers = row["answers"]
    keys: list[AnswerKey] = [(a["claim"], a["stance"]) for a in answers]
    scores: dict[AnswerKey, float] = {}
    known: set[AnswerKey] = set()
    for key in keys:
        held = modelled.get(key[0]) if key[1] == "asserts" else None
        if held is not None:
            scores[key] = held[0]
            if held[1]:
                known.add(key)
        else:
            scores[key] = sum(p["weight"] for p in _pieces(cited.get(key, []), result))
    probability = _normalised(scores, known)
    leader, reason = _leader(row, keys, probability)
    margins: dict[AnswerKey, float] = {}
    if leader is not None:
        margins[leader] = _margin(leader, answers, probability)
    else:
        top = max(keys, key=probability.__getitem__)
        margin = _margin(top, answers, probability)
        if margin >= trustmod.TIE:
            leader, reason = top, _reason(top, keys)
            margins[leader] = margin
    for answer, key in zip(answers, keys, strict=True):
        answer["probability"] = round(probability[key], 3)
        answer["margin"] = round(margins[key], 3) if key in margins else None
        if explain:
            answer["trust_pieces"] = _explained(key, cited.get(key, []), result, scores, known)
    answers.sort(
        key=lambda a: (
            (a["claim"], a["stance"]) != leader,
            -probability[(a["claim"], a["stance"])],
            -a["support"],
            a["claim"],
            a["stance"],
        )
    )
    leading = next((a for a in answers if (a["claim"], a["stance"]) == leader), None)
    row["leading_claim"] = leader[0] if leader else None
    row["leading_value"] = leading["value"] if leading else None
    row["leading_reason"] = reason
    row["leading_margin"] = leading["margin"] if leading else None
    row["against_head_count"] = overturns_support(row)


def _normalised(scores: dict[AnswerKey, float], known: set[AnswerKey]) -> dict[AnswerKey, float]:
    if known:
        return {k: (1.0 / len(known) if k in known else 0.0) for k in scores}
    top = max(scores.values())
    exp = {k: math.exp(max(s - top, trustmod.EXP_FLOOR)) for k, s in scores.items()}
    total = sum(exp.values())
    return {k: e / total for k, e in exp.items()}


def _leader(
    row: dict[str, Any], keys: list[AnswerKey], probability: dict[AnswerKey, float]
) -> tuple[AnswerKey | None, str]:
    """The desk's answer or preferred claim, if there is one; else (None, "tie") for now."""
    if row["status"] == "resolved" and row.get("answer"):
        key = (row["answer"]["claim"], row["answer"]["stance"])
        if key in probability:
            return key, ACCEPTED
    preferred = [
        (a["claim"], a["stance"])
        for a in row["answers"]
        if a["rank"] == "preferred" and a["stance"] == "asserts"
    ]
    if len(preferred) == 1:
        return preferred[0], PREFERRED
    return None, TIE


def _reason(key: AnswerKey, keys: list[AnswerKey]) -> str:
    if any(stance == "denies" for _, stance in keys):
        return DENIAL_LEADS if key[1] == "denies" else ASSERTION_LEADS
    return MOST_LIKELY


def overturns_support(row: dict[str, Any]) -> bool:
    """Whether learned trust leads a question against its head count: the leading
    answer is the model's (not the desk's, not a preferred claim's) and an answer it
    contradicts has more support (grade × confidence, a work or document once). There
    the model says most, and a verdict teaches most: every source on every side learns
    which reading the desk takes (``conflicts --overturned``; docs/trust.md)."""
    if row.get("leading_claim") is None or row.get("leading_reason") in (ACCEPTED, PREFERRED):
        return False
    answers = row["answers"]
    leader = answers[0]  # a weighed row lists its leader first (_lead)
    if leader["claim"] != row["leading_claim"]:
        return False
    rivals = {(c["claim"], c["stance"]) for c in leader["contradicts"]}
    return any(
        a["support"] > leader["support"] for a in answers if (a["claim"], a["stance"]) in rivals
    )


def _margin(
    leader: AnswerKey, answers: list[dict[str, Any]], probability: dict[AnswerKey, float]
) -> float:
    """The leader's probability less that of the most probable answer it contradicts."""
    own = next(a for a in answers if (a["claim"], a["stance"]) == leader)
    rivals = {(c["claim"], c["stance"]) for c in own["contradicts"]} & probability.keys()
    if not rivals:
        rivals = probability.keys() - {leader}
    return probability[leader] - max((probability[k] for k in rivals), default=0.0)


# ---------------------------------------------------------------- as listed


def leading_lines(row: dict[str, Any]) -> list[str]:
    """The listing's lines on the leader: ``leading: 4 (most likely true; margin 0.52)``,
    ``leading answer changed: was 5 (claim 168)`` when this run changed it, and ``against
    the head count`` where learned trust leads with less support (``against_head_count``,
    set by :func:`overturns_support`)."""
    margin = row.get("leading_margin")
    odds = f"; margin {margin:g}" if margin is not None else ""
    lines = [f"leading: {row['leading_value'] or 'none'} ({row['leading_reason']}{odds})"]
    if row.get("leading_was"):
        lines.append(f"leading answer changed: was {row['leading_was']['value']}")
    if row.get("against_head_count"):
        lines.append("against the head count: an answer it contradicts has more support")
    return lines


def answer_marks(answer: dict[str, Any]) -> list[str]:
    """What an answer's line says beside its claim and support: probability, rank."""
    marks = [f"probability {answer['probability']:g}"] if "probability" in answer else []
    return marks + ([answer["rank"].upper()] if answer["rank"] != "normal" else [])


# ---------------------------------------------------------------- the pieces of evidence


def _record(
    citation: trustmod.WeighedCitation, result: trustmod.TrustResult
) -> trustmod.TrackRecord:
    found = result.records.get((citation.document_id, citation.speaker_id, citation.property_id))
    if found is not None:
        return found
    # a source the model does not hold on this property: its grade's prior, no record
    return trustmod.TrackRecord(trustmod.prior_of(citation.grade), 0, 0, 0, 0, 0)


def _pieces(
    citations: list[trustmod.WeighedCitation], result: trustmod.TrustResult
) -> list[dict[str, Any]]:
    """One piece per independent source of an answer: its strongest citation, at the
    source's learned trust; the sources of one copy group share one vote."""
    by_source: dict[tuple[int, int], list[trustmod.WeighedCitation]] = defaultdict(list)
    for c in citations:
        by_source[(c.document_id, c.speaker_id)].append(c)
    rank = {"high": 3, "medium": 2, "low": 1}
    pieces: list[dict[str, Any]] = []
    for group in by_source.values():
        best = max(group, key=lambda c: rank.get(c.confidence, 2))
        track = _record(best, result)
        pieces.append(
            {
                "citation": best,
                "footnotes": sorted({c.footnote for c in group if c.footnote is not None}),
                "record": track,
                "weight": trustmod.vote(track.trust, best.confidence),
            }
        )
    # soft copy detection: a vote shared with the likely copies giving the same answer
    given = {(p["citation"].document_id, p["citation"].speaker_id): p for p in pieces}
    for key, piece in given.items():
        copies = [
            (given[other]["citation"].slug, p)
            for other, p in result.dependence.get(key, {}).items()
            if other in given and other != key
        ]
        if copies:
            piece["weight"] /= 1.0 + sum(p for _, p in copies)
            piece["likely_copies"] = sorted(copies, key=lambda c: (-c[1], c[0]))
    # speakers of one document: the document counts once, at its strongest speaker's vote
    documents: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for piece in pieces:
        documents[piece["citation"].document_id].append(piece)
    counted: list[dict[str, Any]] = []
    for members in documents.values():
        strongest = max(members, key=lambda p: p["weight"])
        counted.append(strongest)
        for piece in members:
            if piece is not strongest:
                piece["weight"] = 0.0
                piece["same_document"] = strongest["citation"]
    # a copy group votes once: the mean of its members' votes
    units: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for piece in counted:
        if piece["citation"].vote_unit is not None:
            units[piece["citation"].vote_unit].append(piece)
    for members in units.values():
        if len(members) > 1:
            for piece in members:
                piece["weight"] /= len(members)
                piece["copies"] = [m["citation"].slug for m in members if m is not piece]
    return pieces


def piece_text(piece: dict[str, Any]) -> str:
    """``ctc [6] (Khazali), grade B, trust .83 (12 agree, 1 disagree, 1 verdict) × high``."""
    c: trustmod.WeighedCitation = piece["citation"]
    track: trustmod.TrackRecord = piece["record"]
    notes = "".join(f" [{n}]" for n in piece["footnotes"])
    who = f" ({c.speaker})" if c.speaker else ""
    verdicts = f"{track.verdicts} verdict" + ("" if track.verdicts == 1 else "s")
    text = (
        f"{c.slug}{notes}{who}, grade {c.grade}, trust {trustmod.share_text(track.trust)}"
        f" ({track.agreements} agree, {track.disagreements} disagree, {verdicts})"
        f" × {c.confidence} = {piece['weight']:.2f}"
    )
    if piece.get("same_document"):
        strongest = piece["same_document"]
        who = f" ({strongest.speaker})" if strongest.speaker else ""
        text += f": counted once, with {strongest.slug}{who} (same document)"
    if piece.get("copies"):
        text += f", one vote shared with its copies {', '.join(piece['copies'])}"
    if piece.get("likely_copies"):
        likely = ", ".join(
            f"{slug} ({trustmod.share_text(p)})" for slug, p in piece["likely_copies"]
        )
        text += f", vote shared with likely copies {likely}"
    return text


def _explained(
    key: AnswerKey,
    citations: list[trustmod.WeighedCitation],
    result: trustmod.TrustResult,
    scores: dict[AnswerKey, float],
    known: set[AnswerKey],
) -> list[dict[str, Any]]:
    explained = []
    pieces = _pieces(citations, result)
    for piece in pieces:
        c, track = piece["citation"], piece["record"]
        explained.append(
            {
                "text": piece_text(piece),
                "source": c.slug,
                "footnotes": piece["footnotes"],
                "attributed_to": c.speaker,
                "grade": c.grade,
                "trust": round(track.trust, 3),
                "agreements": track.agreements,
                "disagreements": track.disagreements,
                "verdicts": track.verdicts,
                "confidence": c.confidence,
                "weight": round(piece["weight"], 3),
            }
        )
    lent = scores[key] - sum(p["weight"] for p in pieces)
    if lent > 0.0005:
        explained.append(
            {
                "text": "values compatible with, near to or part of this one lend part of"
                f" their weight = {lent:.2f}",
                "weight": round(lent, 3),
            }
        )
    if key in known:
        explained.append({"text": "the desk's verdict: known to be true", "weight": None})
    return explained


# ---------------------------------------------------------------- remembering the leader


def remember(session: Session, rows: Sequence[dict[str, Any]], actor: str) -> int:
    """Store each listed question's leading answer; where it changed since the last run,
    set the row's ``leading_was`` (the answer that led before) and record the change in
    history. The first leader a question gets is stored without a history row: nothing
    changed. Returns how many changed."""
    if not rows:
        return 0
    stored: dict[int, tuple[int | None, str | None]] = {}
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), trustmod.WEIGHED_CHUNK):
        chunk = ids[start : start + trustmod.WEIGHED_CHUNK]
        for r in session.execute(
            select(Conflict.id, Conflict.leading_claim_id, Conflict.leading_stance).where(
                Conflict.id.in_(chunk)
            )
        ):
            stored[r.id] = (r.leading_claim_id, r.leading_stance)
    changed: list[dict[str, Any]] = []
    was_values: dict[int, str] = {}
    for row in rows:
        row["leading_was"] = None
        new = _stored_form(row)
        old = stored.get(row["id"])
        if old is None or old == new:
            continue
        changed.append({"id": row["id"], "claim": new[0], "stance": new[1], "old": old})
    if not changed:
        return 0
    needed = [c["old"][0] for c in changed if c["old"][0] is not None]
    for start in range(0, len(needed), trustmod.WEIGHED_CHUNK):
        chunk = needed[start : start + trustmod.WEIGHED_CHUNK]
        for claim_id, value in session.execute(
            select(Claim.id, Claim.value).where(Claim.id.in_(chunk))
        ):
            was_values[claim_id] = value
    by_id = {row["id"]: row for row in rows}
    # one executemany, by primary key: the first run after an upgrade stores every leader
    session.execute(
        update(Conflict),
        [
            {"id": c["id"], "leading_claim_id": c["claim"], "leading_stance": c["stance"]}
            for c in changed
        ],
    )
    for change in changed:
        old_claim, old_stance = change["old"]
        if old_stance is None:
            continue  # first recorded: nothing changed
        was = _described(old_claim, old_stance, was_values)
        now = _described(change["claim"], change["stance"], {})
        row = by_id[change["id"]]
        if change["claim"] is not None:
            now = f"{row['leading_value']} (claim {change['claim']})"
        row["leading_was"] = {"claim": old_claim, "stance": old_stance, "value": was}
        record(
            session,
            "conflicts",
            change["id"],
            "update",
            actor,
            changes={
                "leading_claim_id": [old_claim, change["claim"]],
                "leading_stance": [old_stance, change["stance"]],
            },
            summary=f"leading answer changed: was {was}, now {now}",
        )
    return sum(1 for c in changed if c["old"][1] is not None)


def _stored_form(row: dict[str, Any]) -> tuple[int | None, str]:
    """(claim, stance) of the leader, or (None, "none") on a tie."""
    if row["leading_claim"] is None:
        return None, "none"
    leading = next(
        a
        for a in row["answers"]
        if a["claim"] == row["leading_claim"] and a["value"] == row["leading_value"]
    )
    return leading["claim"], leading["stance"]


def _described(claim: int | None, stance: str, values: dict[int, str]) -> str:
    if claim is None:
        return "none (a tie)"
    value = values.get(claim, "?")
    return f"{'denies: ' if stance == 'denies' else ''}{value} (claim {claim})"
