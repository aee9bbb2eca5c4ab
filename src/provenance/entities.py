"""Entities, their aliases, and the property vocabulary.

Names match after normalisation (case, diacritics, the apostrophe family, hyphens and
spacing: ``values.normalise_name``). Transliteration variants (Qais / Qayis / Qays) are
explicit aliases: ``alias suggest`` proposes likely ones with a score, and never
merges anything by itself (``entity merge`` is an editor's decision: merge.py).

Speakers that name no one in particular are scoped to their document in speakers.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, any_, bindparam, cast, func, select, true, update
from sqlalchemy.orm import Session

from . import history, suggest
from .bulk import insert_ids
from .errors import InvalidValue, NotFound, ProvenanceError
from .inputs import as_id, check_length
from .models import DATATYPES, ENTITY_KINDS, Alias, Claim, Entity, Property, utcnow
from .values import canonical_unit, normalise_name, parse_quantity

ENTITY_KIND_ALIASES = {
    "organization": "organisation",
    "org": "organisation",
    "group": "organisation",
    "location": "place",
}


def check_name(name: Any, what: str = "name") -> str:
    text = "" if name is None else str(name).strip()
    if not text:
        raise InvalidValue(f"empty {what} {name!r}: expected a name such as 'Qais al-Khazali'")
    if not normalise_name(text):
        raise InvalidValue(
            f"{what} {text!r} has no letters or digits: expected a name such as 'Qais al-Khazali'"
        )
    check_length(text, Alias.name, what)
    return text


def check_entity_kind(kind: Any) -> str:
    text = str(kind or "other").strip().lower()
    text = ENTITY_KIND_ALIASES.get(text, text)
    if text not in ENTITY_KINDS:
        raise InvalidValue(f"entity kind {kind!r}: expected one of {', '.join(ENTITY_KINDS)}")
    return text


def find_entity(session: Session, name: str) -> Entity | None:
    """The entity any of whose names matches ``name`` after normalisation."""
    key = normalise_name(name)
    if not key:
        return None
    alias = session.scalar(select(Alias).where(Alias.normalised == key))
    return alias.entity if alias else None


def get_entity(session: Session, ref: str) -> Entity:
    """An entity by id or by any of its names."""
    text = str(ref).strip()
    entity = find_entity(session, text)
    number = as_id(text) if entity is None else None
    if number is not None:
        entity = session.get(Entity, number)
    if entity is None:
        names = session.scalars(select(Alias.name)).all()
        raise NotFound(
            f"unknown entity {text!r}: expected a name or alias; "
            + suggest.hint(text, names, "provenance entities")
        )
    return entity


def create_entity(
    session: Session, name: str, actor: str, *, kind: str = "other", description: str | None = None
) -> Entity:
    name = check_name(name)
    entity = Entity(name=name, kind=check_entity_kind(kind), description=description)
    session.add(entity)
    session.flush()
    session.add(Alias(entity_id=entity.id, name=name, normalised=normalise_name(name)))
    session.flush()
    history.inserted(session, "entities", entity.id, actor)
    return entity


def add_entity(
    session: Session,
    name: str,
    actor: str,
    *,
    kind: str = "other",
    aliases: list[str] | tuple[str, ...] = (),
    description: str | None = None,
) -> tuple[Entity, list[str]]:
    """Add an entity with aliases, or add the new names to the entity one of them names.

    Returns the entity and the names that were new. An alias that already names a
    different entity is an error: entities are merged by an editor, never silently.
    The rules are those of ``add_entities``, which this calls with one entry.
    """
    (result,) = add_entities(session, [EntityEntry(name, kind, aliases, description)], actor)
    if isinstance(result, ProvenanceError):
        raise result
    entity_id, added = result
    return session.get_one(Entity, entity_id), added


# entries of an `entities:` section looked up and written together
ENTITY_BATCH_SIZE = 2000
# normalised names per lookup query on SQLite (well below its limit on bound parameters)
LOOKUP_CHUNK = 500


@dataclass
class EntityEntry:
    """One entity to add, as `entity add` or an import file's ``entities:`` entry gives it."""

    name: Any
    kind: Any = "other"
    aliases: Sequence[Any] = ()
    description: Any = None


class _EntityState:
    """An entity as a batch sees it: read from the database, or new in the batch (``id`` None until
    written)."""

    __slots__ = ("description", "id", "kind", "name")

    def __init__(self, id: int | None, name: str, kind: str, description: Any):
        self.id, self.name, self.kind, self.description = id, name, kind, description


def add_entities(
    session: Session,
    entries: Iterable[EntityEntry | ProvenanceError],
    actor: str,
    *,
    batch_size: int | None = None,
) -> list[tuple[int, list[str]] | ProvenanceError]:
    """Add many entities with their aliases, in order, in the caller's transaction.

    Each entry obeys the rules of adding one entity (``add_entity``), and sees what the
    entries before it did: an entry naming an entity by any of its names (or aliases)
    adds its new aliases to that entity, and a kind other than "other" or a description
    that differs updates it; an entry whose names already belong to two entities is
    refused; otherwise a new entity is created with its name and aliases. Names match
    after normalisation. The history rows are those of adding the entries one by one.

    Returns, for each entry, the entity's id and its names that were new, or the
    ProvenanceError that refused it; an entry given as a ProvenanceError (one the caller
    already found bad) is passed through. A refused entry writes nothing; the others
    are written whatever the caller then decides (an import rolls back its transaction
    when any entry was bad).

    Entries are handled ``batch_size`` (default ``ENTITY_BATCH_SIZE``) at a time: one
    lookup of every name of the batch (see ``normalised_in``), then one
    insert each for the new entities and their aliases (stamped with the current change),
    and one update of the stored entities whose kind or description changed, with its
    history rows.
    """
    batch_size = batch_size or ENTITY_BATCH_SIZE
    session.flush()  # rows the session holds go first: history stays in the order of events
    results: list[tuple[int, list[str]] | ProvenanceError] = []
    batch: list[EntityEntry | ProvenanceError] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= batch_size:
            results += _EntityBatch(session, actor).run(batch)
            batch = []
    if batch:
        results += _EntityBatch(session, actor).run(batch)
    # Entity and Alias objects the session already held may be stale now
    for obj in list(session.identity_map.values()):
        if isinstance(obj, (Entity, Alias)):
            session.expire(obj)
    return results


def normalised_in(session: Session, keys: list[str]) -> Iterator[Any]:
    """Conditions ``aliases.normalised`` in ``keys``, as few queries as the database takes well.

    PostgreSQL gets one array parameter (``= ANY(:keys)``): an ``IN`` list of bound
    parameters is compared element by element once psycopg prepares the statement (from
    its fifth execution) and the server plans it generically, which made each lookup of
    500 names some 40 times slower. SQLite gets ``IN`` lists of ``LOOKUP_CHUNK`` names,
    below its limit on bound parameters.
    """
    if not keys:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        yield Alias.normalised == any_(
            cast(bindparam("keys", keys, type_=postgresql.ARRAY(Text)), postgresql.ARRAY(Text))
        )
        return
    for start in range(0, len(keys), LOOKUP_CHUNK):
        yield Alias.normalised.in_(keys[start : start + LOOKUP_CHUNK])


class _EntityBatch:
    """Entries checked and applied in memory in file order, then written in bulk."""

    def __init__(self, session: Session, actor: str):
        self.session = session
        self.actor = actor
        self.known: dict[str, _EntityState] = {}  # normalised name -> its entity
        self.new_entities: list[_EntityState] = []
        self.changed: dict[
            int, _EntityState
        ] = {}  # stored entities whose kind or description changed
        # [entity, name, normalised, id once written]
        self.aliases: list[list[Any]] = []
        # updates of stored entities: (entity state, changes, summary)
        self.updates: list[tuple[Any, dict[str, Any], str]] = []

    def run(
        self, batch: list[EntityEntry | ProvenanceError]
    ) -> list[tuple[int, list[str]] | ProvenanceError]:
        checked: list[tuple[str, str, list[str], list[str], Any] | ProvenanceError] = []
        keys: set[str] = set()
        for entry in batch:
            if isinstance(entry, ProvenanceError):
                checked.append(entry)
                continue
            try:
                name = check_name(entry.name)
                kind = check_entity_kind(entry.kind)
                names = [name] + [check_name(a, "alias") for a in entry.aliases]
            except ProvenanceError as exc:
                checked.append(exc)
                continue
            normalised = [normalise_name(n) for n in names]
            keys.update(normalised)
            checked.append((name, kind, names, normalised, entry.description))
        self._look_up(keys)
        outcomes: list[tuple[_EntityState, list[str]] | ProvenanceError] = []
        for item in checked:
            if isinstance(item, ProvenanceError):
                outcomes.append(item)
                continue
            try:
                outcomes.append(self._apply(*item))
            except ProvenanceError as exc:
                outcomes.append(exc)
        self._write()
        results: list[tuple[int, list[str]] | ProvenanceError] = []
        for outcome in outcomes:
            if isinstance(outcome, ProvenanceError):
                results.append(outcome)
                continue
            state, added = outcome
            assert state.id is not None, "every entity of the batch is written by _write"
            results.append((state.id, added))
        return results

    def _look_up(self, keys: set[str]) -> None:
        by_id: dict[int, _EntityState] = {}
        query = select(
            Alias.normalised, Entity.id, Entity.name, Entity.kind, Entity.description
        ).join(Entity, Alias.entity_id == Entity.id)
        for condition in normalised_in(self.session, sorted(keys)):
            for key, entity_id, name, kind, description in self.session.execute(
                query.where(condition)
            ):
                state = by_id.get(entity_id)
                if state is None:
                    state = by_id[entity_id] = _EntityState(entity_id, name, kind, description)
                self.known[key] = state

    def _apply(
        self, name: str, kind: str, names: list[str], keys: list[str], description: Any
    ) -> tuple[_EntityState, list[str]]:
        """One entry, as ``add_entity`` rules it, against the names known so far."""
        owners: dict[int, _EntityState] = {}
        for key in keys:
            owner = self.known.get(key)
            if owner is not None:
                owners.setdefault(id(owner), owner)
        if len(owners) > 1:
            first, second = list(owners.values())[:2]
            raise InvalidValue(
                f"names of {name!r} already belong to two entities, {first.name!r} and"
                f" {second.name!r}: merge them by hand or use different names"
            )
        entity = next(iter(owners.values()), None)
        added: list[str] = []
        if entity is None:
            entity = _EntityState(None, name, kind, description)
            self.new_entities.append(entity)
            self.known[keys[0]] = entity
            # the canonical name is an alias too
            self.aliases.append([entity, name, keys[0], None])
            added.append(name)
        else:
            changes = {}
            if kind != "other" and entity.kind != kind:
                changes["kind"] = [entity.kind, kind]
                entity.kind = kind
            if description and entity.description != description:
                changes["description"] = [entity.description, description]
                entity.description = description
            if changes:
                if entity.id is not None:
                    self.changed[entity.id] = entity
                self.updates.append((entity, changes, f"entity {entity.name!r} updated"))
        # every name of the entry: when the entry was found by one of its aliases, its
        # own name is new and becomes an alias too (never dropped)
        for alias, key in zip(names, keys, strict=True):
            existing = self.known.get(key)
            if existing is not None:
                if existing is not entity:
                    raise InvalidValue(
                        f"alias {alias!r} already names {existing.name!r}: expected a name not used"
                        " by another entity"
                    )
                continue
            row = [entity, alias, key, None]
            self.known[key] = entity
            self.aliases.append(row)
            added.append(alias)
        return entity, added

    def _write(self) -> None:
        session, now = self.session, utcnow()
        if self.new_entities or self.aliases or self.updates:
            history.change_id(session, self.actor)
        if self.new_entities:
            rows = [
                {"name": e.name, "kind": e.kind, "description": e.description, "created_at": now}
                for e in self.new_entities
            ]
            for entity, entity_id in zip(
                self.new_entities, insert_ids(session, Entity, rows), strict=True
            ):
                entity.id = entity_id
        if self.aliases:
            rows = [
                {"entity_id": e.id, "name": name, "normalised": key, "created_at": now}
                for e, name, key, _ in self.aliases
            ]
            for row, alias_id in zip(self.aliases, insert_ids(session, Alias, rows), strict=True):
                row[3] = alias_id
        if self.changed:
            session.execute(
                update(Entity),
                [
                    {"id": e.id, "kind": e.kind, "description": e.description}
                    for e in self.changed.values()
                ],
            )
        history.changed_many(
            session,
            [
                ("entities", entity.id, "update", changes, summary)
                for entity, changes, summary in self.updates
            ],
            actor=self.actor,
        )


def _attach_alias(session: Session, entity: Entity, alias: str, actor: str) -> bool:
    key = normalise_name(alias)
    existing = session.scalar(select(Alias).where(Alias.normalised == key))
    if existing is not None:
        if existing.entity_id != entity.id:
            raise InvalidValue(
                f"alias {alias!r} already names {existing.entity.name!r}: expected a name not used"
                " by another entity"
            )
        return False
    row = Alias(entity_id=entity.id, name=alias, normalised=key)
    session.add(row)
    session.flush()
    history.inserted(session, "aliases", row.id, actor)
    return True


def add_alias(session: Session, entity_ref: str, alias: str, actor: str) -> tuple[Entity, bool]:
    entity = get_entity(session, check_name(entity_ref, "entity"))
    return entity, _attach_alias(session, entity, check_name(alias, "alias"), actor)


def rename_entity(session: Session, entity_ref: str, name: str, actor: str, reason: str) -> str:
    """Give an entity a new canonical name; the old name stays an alias, so every claim,
    quote and import that used it still finds the entity. Returns the old name."""
    entity = get_entity(session, check_name(entity_ref, "entity"))
    new = check_name(name, "name")
    if new == entity.name:
        raise InvalidValue(f"entity {entity.name!r} is already called {new!r}: nothing to rename")
    _attach_alias(session, entity, new, actor)
    old = entity.name
    entity.name = new
    history.record(
        session,
        "entities",
        entity.id,
        "update",
        actor,
        {"name": [old, new], "reason": reason},
        f"renamed {old!r} to {new!r} (the old name stays an alias): {reason}",
    )
    session.flush()
    return old


def remove_alias(
    session: Session, entity_ref: str, alias: str, actor: str, reason: str
) -> tuple[Entity, str]:
    """Take a wrong name off an entity. The alias row goes (a name is a lookup key, and a
    kept row would still match); history keeps the name, the entity, who and why, so the
    removal can be read back and undone with ``alias add``. The canonical name cannot be
    removed: rename the entity first. Returns the entity and the name as it was stored."""
    entity = get_entity(session, check_name(entity_ref, "entity"))
    key = normalise_name(check_name(alias, "alias"))
    row = session.scalar(select(Alias).where(Alias.normalised == key))
    if row is None or row.entity_id != entity.id:
        names = ", ".join(repr(a.name) for a in entity.aliases if a.name != entity.name)
        raise InvalidValue(
            f"{alias!r} is not an alias of {entity.name!r}: expected one of its aliases"
            + (f" ({names})" if names else " (it has none besides its name)")
        )
    if normalise_name(entity.name) == key:
        raise InvalidValue(
            f"{alias!r} is the name of entity {entity.id}: rename it first (`provenance entity"
            " rename`), then remove the old name"
        )
    name = row.name
    history.record(
        session,
        "aliases",
        row.id,
        "delete",
        actor,
        {"entity": entity.name, "entity_id": entity.id, "alias": name, "reason": reason},
        f"{name!r} no longer names {entity.name!r}: {reason}",
    )
    session.delete(row)
    session.flush()
    session.expire(entity, ["aliases"])
    return entity, name


def list_entities(session: Session) -> list[dict[str, Any]]:
    counts = dict(
        session.execute(select(Claim.subject_id, func.count()).group_by(Claim.subject_id)).all()
    )
    rows = []
    for entity in session.scalars(select(Entity).order_by(Entity.name)):
        rows.append(
            {
                "id": entity.id,
                "name": entity.name,
                "kind": entity.kind,
                "aliases": [a.name for a in entity.aliases if a.name != entity.name],
                "description": entity.description,
                "claims": counts.get(entity.id, 0),
            }
        )
    return rows


@dataclass(frozen=True)
class AliasSuggestion:
    score: float
    entity: str
    name: str
    other_entity: str
    other_name: str

    def as_row(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 1),
            "entity": self.entity,
            "name": self.name,
            "other_entity": self.other_entity,
            "other_name": self.other_name,
            "command": f"provenance entity merge {self.entity!r} {self.other_entity!r}",
        }


def suggest_aliases(
    session: Session, *, min_score: float = 85.0, limit: int = 50
) -> list[AliasSuggestion]:
    """Pairs of entities whose names look like spellings of one name, best first.

    Compares every name with rapidfuzz's vectorised ``cdist`` (in C, not a Python loop),
    ignoring articles that transliterations add or drop (al-, el-, ad-), and keeps the
    best-scoring pair of names for each pair of entities. Names whose numbers differ are
    never suggested: "2018 Iraqi parliamentary election" and "2021 Iraqi parliamentary
    election" differ by one character but are two events. Nor are two entities the desk
    has said are different (``alias distinct``, names.record_distinct).
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    from .names import comparison_key, distinct_entity_pairs, numbers

    rows = session.execute(
        select(Alias.entity_id, Alias.name, Alias.normalised, Entity.name).join(Entity)
    ).all()
    if len(rows) < 2:
        return []
    keys = [comparison_key(r.normalised) for r in rows]
    apart = distinct_entity_pairs(session)
    scores = process.cdist(
        keys, keys, scorer=fuzz.ratio, score_cutoff=min_score, dtype=np.uint8, workers=-1
    )
    entity_ids = np.array([r.entity_id for r in rows])
    i_idx, j_idx = np.nonzero(np.triu(scores, k=1))
    best: dict[tuple[int, int], AliasSuggestion] = {}
    for i, j in zip(i_idx.tolist(), j_idx.tolist(), strict=True):
        a, b = rows[i], rows[j]
        if entity_ids[i] == entity_ids[j]:
            continue
        if numbers(a.normalised) != numbers(b.normalised):
            continue
        pair = (min(a.entity_id, b.entity_id), max(a.entity_id, b.entity_id))
        if pair in apart:
            continue
        score = float(scores[i, j])
        if pair not in best or best[pair].score < score:
            best[pair] = AliasSuggestion(score, a[3], a.name, b[3], b.name)
    return sorted(best.values(), key=lambda s: (-s.score, s.entity, s.other_entity))[:limit]


# ---------------------------------------------------------------- properties


def check_property_fields(
    name: Any, datatype: Any, *, unit: Any = None, tolerance: Any = None
) -> tuple[str, str, str | None, float | None]:
    text = "" if name is None else str(name).strip()
    if not text or any(c.isspace() for c in text):
        raise InvalidValue(f"property name {name!r}: expected one word such as seats_won or killed")
    dtype = str(datatype or "").strip().lower()
    if dtype not in DATATYPES:
        raise InvalidValue(f"property type {datatype!r}: expected one of {', '.join(DATATYPES)}")
    tol = None
    if tolerance is not None and str(tolerance).strip() != "":
        raw = str(tolerance).strip()
        try:
            tol = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise InvalidValue(
                f"tolerance {tolerance!r}: expected a fraction such as 0.1 or a percentage such"
                " as 10%"
            ) from None
        if not 0 <= tol < 1:
            raise InvalidValue(
                f"tolerance {tolerance!r}: expected a fraction from 0 to below 1, such as 0.1"
            )
        if dtype != "quantity":
            raise InvalidValue(
                f"tolerance {tolerance!r} given for a {dtype} property: only quantities have a"
                " tolerance"
            )
    # % and percent are one unit, stored as %
    unit_text = canonical_unit(str(unit)) if unit not in (None, "") else None
    if unit_text and dtype != "quantity":
        raise InvalidValue(
            f"unit {unit!r} given for a {dtype} property: only quantities have a unit"
        )
    check_length(text, Property.name, "property name")
    if unit_text:
        check_length(unit_text, Property.unit, "unit")
    return text, dtype, unit_text, tol


def add_property(
    session: Session,
    name: str,
    datatype: str,
    actor: str,
    *,
    multi: bool = False,
    time_varying: bool = False,
    unit: str | None = None,
    tolerance: float | str | None = None,
    description: str | None = None,
) -> tuple[Property, str]:
    """Add a property, or update one; returns it and "new", "updated" or "unchanged".

    An update sets every field as given. Once claims use the property its type and
    unit are fixed (they are part of those claims' values); multi, time_varying,
    tolerance and description can still change.
    """
    name, datatype, unit, tolerance = check_property_fields(
        name, datatype, unit=unit, tolerance=tolerance
    )
    fields = {
        "datatype": datatype,
        "multi": bool(multi),
        "time_varying": bool(time_varying),
        "unit": unit,
        "tolerance": tolerance,
        "description": description,
    }
    existing = session.scalar(select(Property).where(Property.name == name))
    if existing is None:
        prop = Property(name=name, **fields)
        session.add(prop)
        session.flush()
        history.inserted(session, "properties", prop.id, actor)
        return prop, "new"
    changes = {k: [getattr(existing, k), v] for k, v in fields.items() if getattr(existing, k) != v}
    if not changes:
        return existing, "unchanged"
    # type and unit are part of the stored values of the property's claims (a
    # quantity's key carries its unit), so changing them under existing claims would
    # make the same claim a second one; the tolerance only tunes conflict detection
    frozen = [k for k in ("datatype", "unit") if k in changes]
    if frozen:
        used = session.scalar(
            select(func.count()).select_from(Claim).where(Claim.property_id == existing.id)
        )
        if used and "datatype" in changes:
            raise InvalidValue(
                f"property {name!r} is a {existing.datatype} with {used} claim(s): its type cannot"
                f" become {datatype!r}"
            )
        if used:
            key = frozen[0]
            old, new = changes[key]
            keep = f"--{key} {old}" if old is not None else f"no --{key}"
            raise InvalidValue(
                f"{key} {new!r} for property {name!r}, which has {used} claim(s) with {key}"
                f" {old!r}: expected {keep} (the {key} of a property in use cannot change)"
            )
    for field, value in fields.items():
        setattr(existing, field, value)
    history.changed(
        session,
        "properties",
        existing.id,
        "update",
        changes,
        f"property {name!r} updated",
        actor=actor,
    )
    if "tolerance" in changes:
        _rewiden_approximate_claims(session, existing, actor)
    return existing, "updated"


def _rewiden_approximate_claims(session: Session, prop: Property, actor: str) -> None:
    """Give the property's approximate claims (``~2000``, ``hundreds``) the interval of
    its new tolerance; exact ones never depend on it. Each change is in history."""
    session.flush()
    claims = session.scalars(
        select(Claim)
        .where(Claim.property_id == prop.id, Claim.quantity_approximate == true())
        .order_by(Claim.id)
    ).all()
    for claim in claims:
        value = parse_quantity(claim.value, unit=claim.unit, tolerance=prop.tolerance)
        new = {
            "quantity_low": value.quantity_low,
            "quantity_high": value.quantity_high,
            "value_key": value.key,
        }
        changes = {k: [getattr(claim, k), v] for k, v in new.items() if getattr(claim, k) != v}
        if not changes:
            continue
        clash = session.scalar(
            select(Claim.id).where(
                Claim.subject_id == claim.subject_id,
                Claim.property_id == claim.property_id,
                Claim.value_key == value.key,
                Claim.scope_key == claim.scope_key,
                Claim.id != claim.id,
            )
        )
        if clash is not None:
            raise InvalidValue(
                f"tolerance {prop.tolerance!r} for property {prop.name!r} would make claim "
                f"{claim.id} ({claim.value!r}) the same value as claim {clash}: "
                "expected a tolerance that keeps them apart"
            )
        for key, value_of in new.items():
            setattr(claim, key, value_of)
        session.flush()
        history.changed(
            session,
            "claims",
            claim.id,
            "update",
            changes,
            f"interval of {claim.value!r} at the tolerance of {prop.name!r}",
            actor=actor,
        )


def get_property(session: Session, name: str) -> Property:
    prop = session.scalar(select(Property).where(Property.name == str(name).strip()))
    if prop is None:
        known = session.scalars(select(Property.name)).all()
        hint = (
            suggest.hint(str(name).strip(), known, "provenance properties")
            if known
            else "add one with `provenance property add`"
        )
        raise NotFound(f"unknown property {name!r}: expected a property of the vocabulary; {hint}")
    return prop


def list_properties(session: Session) -> list[dict[str, Any]]:
    counts = dict(
        session.execute(select(Claim.property_id, func.count()).group_by(Claim.property_id)).all()
    )
    return [
        {
            "name": p.name,
            "type": p.datatype,
            "multi": p.multi,
            "time_varying": p.time_varying,
            "unit": p.unit,
            "tolerance": p.tolerance,
            "description": p.description,
            "claims": counts.get(p.id, 0),
        }
        for p in session.scalars(select(Property).order_by(Property.name))
    ]
