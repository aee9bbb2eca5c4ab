"""The claim writer: add and import claims with their citations; prefer and deprecate.

One writer serves both ``add`` (a batch of one) and ``import`` (batches of
``BATCH_SIZE``): each record is validated and resolved (source, property, subject,
value, scope, quote, footnote, speaker; ``RecordPreparer``, preparer.py), then written
with set-based inserts (bulk.py), so a million-row import keeps a flat memory and every
record obeys the same rules. Names that are no entity yet are created, or found, for a
whole batch at once here.

Decisions a desk relies on:

* Two sources stating the same thing share one claim, and re-importing a citation adds
  nothing (identity.py says what makes two records one claim or one citation); a
  changed confidence or note updates the citation (recorded in history).
* A name the database does not know, as subject, entity value or speaker, creates the
  entity and the command says so; a new name close to an entity's is refused unless
  the command is told to create it (names.py).
* Adding a citation to a deprecated claim is allowed (new evidence is never refused),
  but the command warns and shows the deprecation reason (only when a citation is
  actually added: re-importing one already recorded says nothing).
* ``claim prefer`` makes a claim the desk's accepted value and returns any other
  preferred claim of the same subject, property and scope to normal rank; ``claim
  deprecate`` keeps the reason, so nobody re-adds it.

Elsewhere: the import format's fields, records.py; reading claims back as rows
(``claims``, ``show``, exports), listings.py; ``entity merge``, merge.py; correcting
one citation, citations.py; ``log``'s reading of history, history.py.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import history, identity
from .bulk import RowFormat, bulk_insert, insert_ids, rows_with_keys
from .entities import normalised_in
from .errors import InvalidValue, NotFound
from .inputs import parse_id
from .models import Alias, Citation, Claim, ClaimQualifier, Entity, utcnow
from .names import CloseName, NameIndex, describe
from .preparer import RecordPreparer
from .records import (
    CITATION_COLUMNS,
    CITATION_PART_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_PART_COLUMNS,
    CitationPart,
    ClaimPart,
    FieldError,
    PendingEntity,
    PreparedClaim,
    RecordErrors,
    blank,
    resolved,
    text_or_none,
)

BATCH_SIZE = 2000
ENTITY_CACHE_SIZE = 200_000
READY_CACHE_SIZE = 4_000
assert CLAIM_PART_COLUMNS[:2] == ("subject_id", "property_id")
_AFTER_PROPERTY = operator.itemgetter(*CLAIM_PART_COLUMNS[2:])


@dataclass
class WriteResult:
    claims_new: int = 0
    claims_existing: int = 0
    citations_new: int = 0
    citations_updated: int = 0
    citations_unchanged: int = 0
    # names of the first entities created (the count is entities_created_count)
    entities_created: list[str] = field(default_factory=list)
    entities_created_count: int = 0
    deprecated_warnings: list[str] = field(default_factory=list)
    # the last ones written, for `add` (an import keeps no per-row state: memory stays flat)
    last_claim_id: int | None = None
    last_citation_id: int | None = None


class ClaimWriter(RecordPreparer):
    """Validates records (``prepare``, preparer.py) and writes them in batches within the
    caller's transaction (``add``, ``flush``)."""

    def __init__(
        self,
        session: Session,
        actor: str,
        *,
        batch_size: int = BATCH_SIZE,
        new_entities: bool = False,
        new_entity_hint: str = "",
    ):
        super().__init__(session)
        self.actor = actor
        self.batch_size = batch_size
        # a new name close to an entity's is refused (see names.py) unless ``new_entities``;
        # ``new_entity_hint`` ends the message: how to create it on purpose
        self.new_entities = new_entities
        self.new_entity_hint = new_entity_hint
        self._name_index: NameIndex | None = None
        self.result = WriteResult()
        self._pending: list[PreparedClaim] = []
        self._pending_numbers: list[int | None] = []
        # ranks given so far by the claim's entities once names are resolved, with the
        # record that gave it: two spellings of one entity are one claim, and must agree
        # as records in the same words do (checked as each is prepared)
        self._resolved_ranks: dict[tuple, tuple[tuple[str, str | None], int | None]] = {}
        # records of a file already rejected, queued for the close-name check alone
        self._checking: list[PreparedClaim] = []
        self._checking_numbers: list[int | None] = []
        self._claims_format = RowFormat(session, Claim, CLAIM_COLUMNS, inline=True)
        # the entities the batch being written created: no stored claim is about them
        self.created_now: set[int] = set()
        # a claim's columns after its property in the driver's form, by their values
        # (see _finish_claim)
        self._ready_rest: dict[tuple, tuple] = {}
        self._citations_format = RowFormat(session, Citation, CITATION_COLUMNS, inline=True)

    # ------------------------------------------------------------ resolving names

    def _refuse_close_names(
        self, new: list[PendingEntity], batch: list[PreparedClaim], numbers: list[int | None]
    ) -> None:
        """RecordErrors for the new names close to an entity's (or to an earlier new one)."""
        if self._name_index is None:
            self._name_index = NameIndex.of_database(self.session)
        index = self._name_index
        refused: dict[str, str] = {}
        for p in new:
            near = index.close_to(p.key)
            if near:
                what = p.field.replace("_", " ")
                refused[p.key] = (
                    f"{what} {p.name!r} is not an entity but is close to {describe(near)}:"
                    f" write that name, or {self.new_entity_hint or 'create it on purpose'}"
                )
            else:
                index.add(p.key, CloseName(0, p.name, p.name))
        if not refused:
            return
        problems: list[tuple[int | None, str, str]] = []
        for (claim, citation), number in zip(batch, numbers, strict=True):
            for ref in (
                claim.row["subject_id"],
                claim.row.get("entity_value_id"),
                citation.row.get("attributed_to_id"),
            ):
                if isinstance(ref, PendingEntity) and ref.key in refused:
                    problems.append((number, ref.field, refused.pop(ref.key)))
        raise RecordErrors(problems)

    def _known_names(self, keys: list[str]) -> dict[str, int]:
        """The entity of each normalised name that is already an alias."""
        found: dict[str, int] = {}
        for condition in normalised_in(
            self.session, keys
        ):  # one array on PostgreSQL, IN lists on SQLite
            found.update(
                self.session.execute(
                    select(Alias.normalised, Alias.entity_id).where(condition)
                ).all()
            )
        return found

    def check_names(self, prepared: PreparedClaim, number: int | None = None) -> None:
        """Queue a record that will not be written, its file being rejected already, for
        the close-name check alone: an import then reports every new name close to an
        entity's, not only those of the records before the first error.

        Raises RecordErrors (every batch_size records, or at ``finish_checks``).
        """
        self._checking.append(prepared)
        self._checking_numbers.append(number)
        if len(self._checking) >= self.batch_size:
            self.finish_checks()

    def finish_checks(self) -> None:
        """The close-name check of the queued records and of any left unwritten; writes
        nothing (the names stay unresolved: the file is rejected)."""
        batch = self._pending + self._checking
        numbers = self._pending_numbers + self._checking_numbers
        self._pending, self._pending_numbers = [], []
        self._checking, self._checking_numbers = [], []
        pending = [p for p in self.unresolved if p.id is None]
        self.unresolved = []
        if self.new_entities or not pending or not batch:
            return
        found = self._known_names(list({p.key for p in pending}))
        new = [p for p in pending if p.key not in found]
        if new:
            self._refuse_close_names(new, batch, numbers)

    def _resolve_entities(
        self, batch: list[PreparedClaim] | None = None, numbers: list[int | None] | None = None
    ) -> None:
        """Give every pending name its entity: an existing one, else a new one (in bulk)."""
        pending = [p for p in self.unresolved if p.id is None]
        self.unresolved = []
        self.created_now = set()
        if not pending:
            return
        found = self._known_names(list({p.key for p in pending}))
        new = []
        for p in pending:
            if p.key in found:
                p.id = found[p.key]
            else:
                new.append(p)
        if not new:
            return
        if not self.new_entities and batch is not None and numbers is not None:
            self._refuse_close_names(new, batch, numbers)
        history.change_id(self.session, self.actor)
        now = utcnow()
        ids = insert_ids(
            self.session,
            Entity,
            [{"name": p.name, "kind": "other", "created_at": now} for p in new],
        )
        for p, entity_id in zip(new, ids, strict=True):
            p.id = entity_id
        self.created_now = set(ids)
        bulk_insert(
            self.session,
            Alias,
            [
                {"entity_id": p.id, "name": p.name, "normalised": p.key, "created_at": now}
                for p in new
            ],
        )
        self.result.entities_created_count += len(new)
        room = 20 - len(self.result.entities_created)
        if room > 0:
            self.result.entities_created.extend(p.name for p in new[:room])

    def citation_fields(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The columns of a record's citation (``source``, ``footnote``, ``quote``,
        ``attributed_to``, ``stance``, ``confidence``, ``note``), validated and resolved
        exactly as ``add`` does (``citation edit`` re-validates through this)."""
        try:
            row = self.citation_columns(raw, self.source(raw.get("source")))
        except FieldError as exc:
            raise InvalidValue(str(exc)) from None
        self._resolve_entities()
        row["attributed_to_id"] = resolved(row["attributed_to_id"])
        return row

    # ------------------------------------------------------------ writing

    def add(self, prepared: PreparedClaim, number: int | None = None) -> None:
        """Queue a prepared record (``number``: its place in the file, for errors).

        Raises RecordErrors when writing the batch finds records that disagree.
        """
        self._pending.append(prepared)
        self._pending_numbers.append(number)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the pending records with set-based inserts."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        numbers, self._pending_numbers = self._pending_numbers, []
        self._resolve_entities(batch, numbers)
        for claim, citation in batch:
            if claim.final_key is None:
                self._finish_claim(claim)
            if citation.fingerprint is None:
                self._finish_citation(citation)
        self._check_resolved_ranks(batch, numbers)
        if len(self.names) > ENTITY_CACHE_SIZE:
            self.names.clear()  # memory stays flat however many names an import brings
        session = self.session
        actor = self.actor
        at = self._claims_format.ready(("created_at",), (utcnow(),))[0]
        # every part of the batch is finished: its claim's identity and its citation's,
        # read once (``identity`` is a property call, and this runs for every record)
        identities = cast(list[tuple[tuple, str]], [(c.final_key, d.fingerprint) for c, d in batch])
        created = self.created_now
        # a claim whose subject the batch created cannot be stored yet: not looked up
        keys = list(dict.fromkeys([key for key, _ in identities if key[0] not in created]))
        existing = {
            (r[1], r[2], r[3], r[4]): (r[0], r[5], r[6])
            for r in rows_with_keys(
                session,
                Claim,
                (
                    "id",
                    "subject_id",
                    "property_id",
                    "value_key",
                    "scope_key",
                    "rank",
                    "rank_reason",
                ),
                ("subject_id", "property_id", "value_key", "scope_key"),
                keys,
            )
        }
        new_claims: dict[tuple, ClaimPart] = {}
        for (claim, _), (key, _) in zip(batch, identities, strict=True):
            if key not in existing and key not in new_claims:
                new_claims[key] = claim
        claim_ids: dict[tuple, int] = {k: v[0] for k, v in existing.items()}
        self.result.claims_existing += len(existing)
        deprecated = {
            claim_id: reason for claim_id, rank, reason in existing.values() if rank == "deprecated"
        }
        updates: list[tuple[str, int, str, dict[str, Any] | None, str | None]] = []
        if new_claims:
            change = history.change_id(session, actor)
            inserted = self._claims_format.insert(
                session,
                [(*c.values, "normal", None, actor, at, change) for c in new_claims.values()],
                ids=True,
            )
            qualifier_rows: list[dict[str, Any]] = []
            for (key, claim), claim_id in zip(new_claims.items(), inserted, strict=True):
                claim_ids[key] = claim_id
                if claim.qualifiers:
                    qualifier_rows.extend({**q, "claim_id": claim_id} for q in claim.qualifiers)
            if qualifier_rows:
                bulk_insert(session, ClaimQualifier, qualifier_rows)
            self.result.claims_new += len(new_claims)

        self._apply_ranks(batch, claim_ids, existing)

        # citations: identified within their claim by fingerprint (a later record of the
        # same citation in the batch gives its confidence and note)
        wanted: dict[tuple[int, str], PreparedClaim] = {}
        for prepared, (key, fingerprint) in zip(batch, identities, strict=True):
            wanted[(claim_ids[key], fingerprint)] = prepared
        self.result.last_claim_id = claim_ids[batch[-1][0].identity]
        # only claims that existed before this batch can hold the citation already
        existing_ids = {v[0] for v in existing.values()}
        lookup = [k for k in wanted if k[0] in existing_ids]
        stored = {
            (r.claim_id, r.fingerprint): r
            for r in rows_with_keys(
                session,
                Citation,
                ("id", "claim_id", "fingerprint", "confidence", "note"),
                ("claim_id", "fingerprint"),
                lookup,
            )
        }
        new_citations: list[tuple[int, ClaimPart, CitationPart]] = []
        for (claim_id, fingerprint), (claim, citation) in wanted.items():
            current = stored.get((claim_id, fingerprint))
            if current is None:
                new_citations.append((claim_id, claim, citation))
                continue
            row = citation.row
            changes = {
                k: [getattr(current, k), row[k]]
                for k in ("confidence", "note")
                if getattr(current, k) != row[k]
            }
            if changes:
                session.execute(
                    update(Citation)
                    .where(Citation.id == current.id)
                    .values({k: v[1] for k, v in changes.items()})
                )
                updates.append(("citations", current.id, "update", changes, claim.summary))
                self.result.citations_updated += 1
            else:
                self.result.citations_unchanged += 1
            self.result.last_citation_id = current.id
        if new_citations:
            change = history.change_id(session, actor)
            ids = self._citations_format.insert(
                session,
                [
                    (claim_id, *citation.values, actor, at, change)
                    for claim_id, _, citation in new_citations
                ],
                ids=True,
            )
            self.result.citations_new += len(ids)
            self.result.last_citation_id = ids[-1]
            for claim_id in dict.fromkeys(claim_id for claim_id, _, _ in new_citations):
                if claim_id in deprecated:
                    self.result.deprecated_warnings.append(
                        f"claim {claim_id} is deprecated ({deprecated[claim_id]}); citation added"
                        " to it anyway"
                    )
        history.changed_many(session, updates, actor=actor)

    def _finish_claim(self, claim: ClaimPart) -> None:
        """Put resolved entity ids in a claim part; its identity and columns."""
        row = claim.row
        subject = row["subject_id"]
        if subject.__class__ is PendingEntity:
            row["subject_id"] = subject.id
        if row["entity_value_id"] is not None:
            row["entity_value_id"] = resolved(row["entity_value_id"])
            row["value_key"] = f"e:{row['entity_value_id']}"
        for qualifier in claim.qualifiers:
            qualifier["entity_id"] = resolved(qualifier["entity_id"])
        claim.final_key = (
            row["subject_id"],
            row["property_id"],
            row["value_key"],
            row["scope_key"],
        )
        # the columns after subject and property are the value's and the scope's, which
        # many claims share: put in the driver's form once for each distinct set
        rest = _AFTER_PROPERTY(row)
        ready = self._ready_rest.get(rest)
        if ready is None:
            if len(self._ready_rest) >= READY_CACHE_SIZE:
                self._ready_rest.clear()
            ready = self._ready_rest[rest] = self._claims_format.ready(CLAIM_PART_COLUMNS[2:], rest)
        claim.values = (row["subject_id"], row["property_id"], *ready)

    def _finish_citation(self, citation: CitationPart) -> None:
        row = citation.row
        row["attributed_to_id"] = resolved(row["attributed_to_id"])
        citation.fingerprint = row["fingerprint"] = identity.fingerprint(row)
        citation.values = self._citations_format.ready(
            CITATION_PART_COLUMNS, [row[c] for c in CITATION_PART_COLUMNS]
        )

    def _check_resolved_ranks(self, batch: list[PreparedClaim], numbers: list[int | None]) -> None:
        """Ranked records of one claim under different spellings must agree, as records in the same
        words do."""
        problems = []
        for (claim, _), number in zip(batch, numbers, strict=True):
            if claim.rank is None:
                continue
            earlier, earlier_number = self._resolved_ranks.setdefault(
                claim.identity, (claim.rank, number)
            )
            if earlier != claim.rank:
                by = (
                    f"record {earlier_number}"
                    if earlier_number is not None
                    else "an earlier record"
                )
                problems.append(
                    (
                        number,
                        "rank",
                        (
                            f"rank {claim.rank[0]!r} differs from the rank {earlier[0]!r} {by}"
                            " gives the same claim under another spelling"
                        ),
                    )
                )
        if problems:
            raise RecordErrors(problems)

    def _apply_ranks(
        self, batch: list[PreparedClaim], claim_ids: dict[tuple, int], existing: dict[tuple, tuple]
    ) -> None:
        """Give ranked records' claims their rank, with a history row, as `claim prefer`/`deprecate`
        do."""
        done = set()
        for claim, _ in batch:
            if claim.rank is None or claim.identity in done:
                continue
            done.add(claim.identity)
            current = existing.get(claim.identity)
            if current is not None and (current[1], current[2]) == claim.rank:
                continue
            if current is None and claim.rank == ("normal", None):
                continue
            row = self.session.get_one(Claim, claim_ids[claim.identity])
            if (row.rank, row.rank_reason) != claim.rank:
                set_rank(self.session, row, claim.rank[0], self.actor, reason=claim.rank[1])


# ---------------------------------------------------------------- one claim, its rank


def add_claim(
    session: Session, record_: dict[str, Any], actor: str, *, new_entity: bool = False
) -> tuple[Claim, Citation, WriteResult]:
    """Add one claim with its citation (the ``add`` command).

    A subject, speaker or entity value that names no entity but is close to one is
    refused (see names.py) unless ``new_entity``.
    """
    writer = ClaimWriter(
        session,
        actor,
        batch_size=1,
        new_entities=new_entity,
        new_entity_hint="give --new-entity to create it",
    )
    try:
        prepared = writer.prepare(record_)
    except FieldError as exc:
        raise InvalidValue(str(exc)) from None
    writer.add(prepared)
    writer.flush()
    claim = session.get_one(Claim, writer.result.last_claim_id)
    citation = session.get_one(Citation, writer.result.last_citation_id)
    return claim, citation, writer.result


def get_claim(session: Session, ref: Any) -> Claim:
    claim = session.get(Claim, parse_id(ref, "claim", "provenance claims"))
    if claim is None:
        raise NotFound(f"unknown claim {ref!r}: no claim has that id (see `provenance claims`)")
    return claim


def set_rank(
    session: Session,
    claim: Claim,
    rank: str,
    actor: str,
    *,
    reason: str | None = None,
    undeprecate: str | None = None,
) -> list[int]:
    """Prefer or deprecate a claim; returns ids of claims whose preference was withdrawn.

    A deprecated claim is known wrong: preferring it is an error unless ``undeprecate``
    says why it is right after all (``claim prefer --undeprecate --reason``). That
    reason goes to history with the change, beside the reason it was deprecated for.
    """
    if rank == "deprecated" and blank(reason):
        raise InvalidValue(
            "deprecating needs --reason: say why the claim is wrong or superseded, so nobody"
            " re-adds it"
        )
    undeprecated = False
    if undeprecate is not None:
        if blank(undeprecate):
            raise InvalidValue(
                "--undeprecate needs --reason: "
                f"say why deprecated claim {claim.id} is right after all"
            )
        if rank != "preferred" or claim.rank != "deprecated":
            raise InvalidValue(
                f"claim {claim.id} is {claim.rank}, not deprecated: "
                "--undeprecate only brings back a deprecated claim"
            )
        undeprecated = True
    elif rank == "preferred" and claim.rank == "deprecated":
        raise InvalidValue(
            f"claim {claim.id} is deprecated ({claim.rank_reason or 'no reason given'}): "
            "to prefer it anyway give --undeprecate --reason WHY"
        )
    demoted: list[int] = []
    if rank == "preferred":
        others = session.scalars(
            select(Claim).where(
                Claim.subject_id == claim.subject_id,
                Claim.property_id == claim.property_id,
                Claim.scope_key == claim.scope_key,
                Claim.rank == "preferred",
                Claim.id != claim.id,
            )
        ).all()
        for other in others:
            other.rank = "normal"
            history.changed(
                session,
                "claims",
                other.id,
                "update",
                {"rank": ["preferred", "normal"]},
                f"claim {claim.id} preferred instead",
                actor=actor,
            )
            demoted.append(other.id)
    new_reason = text_or_none(reason)
    changes: dict[str, Any] = {"rank": [claim.rank, rank]}
    if new_reason != claim.rank_reason:
        changes["rank_reason"] = [claim.rank_reason, new_reason]
    summary = rank + (f": {new_reason}" if new_reason else "")
    if undeprecated:
        why = str(undeprecate).strip()
        changes["undeprecated"] = why
        summary += f" (undeprecated: {why}; it was deprecated: {claim.rank_reason})"
    claim.rank = rank
    claim.rank_reason = new_reason
    # the summary says what was done, so `log` reads without opening the changes
    history.changed(session, "claims", claim.id, "update", changes, summary, actor=actor)
    session.flush()
    return demoted
