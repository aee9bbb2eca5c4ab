"""New entity names on purpose: a name close to an entity's is a mistake until said otherwise.

A subject or speaker that names no entity creates one (SPEC §2). When it is *close* to
an entity's name — a typo ("Relase of Qais al-Khazali"), a spelling variant ("Qays
Khazali") — it is far more often a mistake than a new person, so ``add`` refuses it
naming the close entities (``--new-entity`` creates it anyway) and ``import`` refuses
the file listing every such name by record (unless its ``entities:`` section declares
the name or ``--new-entities`` is given). ``alias distinct A B`` records that two names
are different entities: they are then never called close, nor suggested as aliases.

**The closeness rule.** Both names are normalised (``values.normalise_name``: case,
diacritics, apostrophes, hyphens, spacing) and the articles transliterations add or
drop (al-, el-, ad-, the …) are left out. Two names are close when, word by word in
order:

* they have the same number of words, and every word holding a digit is the same
  ("2018 Iraqi parliamentary election" and "2021 …" are two events);
* each word that differs begins with the same letter as its counterpart, both are at
  least five letters long (Iran and Iraq, US and UK are two countries), neither is the other cut
  short (Baghdad and Baghdadi, Kadhimi and Kadhimiya are a city and a man, a man
  and a district), and they are at most one edit apart (an insertion, deletion,
  substitution, or two neighbours swapped), two for words longer than eight letters;
* or the words are all the same (the names differ only by articles: "Qays Khazali"
  and "Qays al-Khazali").

Measured on the seeds' 201 entities and their 469 names (``tests/test_names.py``
checks it): no name of one entity is close to a name of another, while 64 of the 584
pairs of names of one entity (its spelling variants) are close. The nearest pairs
that stay apart under a plain similarity ratio — Baghdadi/Baghdad (93 of 100), Quds
forces/US forces (90), Kadhimi/Kadhimiya (88), the elections of 2018, 2021 and 2025
(94–97), Iran/Iraq — are each kept apart by one of the clauses above, while "Relase of Qais
al-Khazali", "Kataib Hezbolah", "Suleimani" for "Soleimani" and "Muhandes" are close.
The price: a typo that cuts a word short ("Soleiman") or changes its first letter
is not caught.

Finding close names does not compare a name with every other: names are grouped by
their *signature*, the first letter of each word and the digits, which close names
share, and only a group is searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import history
from .errors import InvalidValue
from .models import Alias, DistinctName, Entity
from .values import normalise_name

# articles that transliterations add or drop: Qays al-Khazali, Qays Khazali
PARTICLES = frozenset({"al", "el", "ad", "an", "as", "ash", "at", "the"})
MIN_EDITED_WORD = 5
LONG_WORD = 8
_DIGIT = re.compile(r"\d")


def comparison_words(normalised: str) -> tuple[str, ...]:
    """The words of a normalised name that spellings share (articles left out)."""
    words = normalised.split()
    kept = tuple(w for w in words if w not in PARTICLES)
    return kept or tuple(words)


def comparison_key(normalised: str) -> str:
    return " ".join(comparison_words(normalised))


def numbers(normalised: str) -> list[str]:
    return re.findall(r"\d+", normalised)


def _signature(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w if _DIGIT.search(w) else w[0] for w in words)


def _words_close(a: str, b: str) -> bool:
    from rapidfuzz.distance import OSA

    if a == b:
        return True
    if _DIGIT.search(a) or _DIGIT.search(b) or a[0] != b[0]:
        return False
    if min(len(a), len(b)) < MIN_EDITED_WORD or a.startswith(b) or b.startswith(a):
        return False
    allowed = 2 if max(len(a), len(b)) > LONG_WORD else 1
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def close(a: str, b: str) -> bool:
    """Whether two normalised names are close (see the module's rule); equal names are not."""
    if a == b:
        return False
    wa, wb = comparison_words(a), comparison_words(b)
    if len(wa) != len(wb) or _signature(wa) != _signature(wb):
        return False
    return all(_words_close(x, y) for x, y in zip(wa, wb, strict=True))


@dataclass(frozen=True)
class CloseName:
    """A name of an entity close to a new name."""

    entity_id: int
    entity: str  # the entity's name
    name: str  # its name that is close (the entity's name or an alias)


class NameIndex:
    """Every entity name, grouped by signature, for finding the names close to a new one."""

    def __init__(self) -> None:
        self._groups_by_key: dict[tuple[str, ...], list[tuple[str, CloseName]]] = {}
        self._distinct: dict[str, set[str]] = {}

    @classmethod
    def of_database(cls, session: Session) -> NameIndex:
        """Every name of every entity, and the pairs recorded distinct (``alias distinct``)."""
        index = cls()
        rows = session.execute(
            select(Alias.entity_id, Entity.name, Alias.name, Alias.normalised).join(Entity)
        )
        for entity_id, entity, name, normalised in rows:
            index.add(normalised, CloseName(entity_id, entity, name))
        for a, b in session.execute(select(DistinctName.normalised, DistinctName.other_normalised)):
            index._distinct.setdefault(a, set()).add(b)
            index._distinct.setdefault(b, set()).add(a)
        return index

    def add(self, normalised: str, name: CloseName) -> None:
        signature = _signature(comparison_words(normalised))
        self._groups_by_key.setdefault(signature, []).append((normalised, name))

    def close_to(self, normalised: str) -> list[CloseName]:
        """The entities with a name close to ``normalised`` (one name each), by entity name."""
        apart = self._distinct.get(normalised, set())
        found: dict[int, CloseName] = {}
        excluded: set[int] = set()
        group = self._groups_by_key.get(_signature(comparison_words(normalised)), [])
        for other, name in group:
            if other in apart:
                excluded.add(name.entity_id)
            elif name.entity_id not in found and close(normalised, other):
                found[name.entity_id] = name
        return sorted(
            (n for n in found.values() if n.entity_id not in excluded), key=lambda n: n.entity
        )


def describe(close_names: Iterable[CloseName]) -> str:
    """`Release of Qais al-Khazali`, `Qais al-Khazali` (as `Qays al-Khazali`) …"""
    return ", ".join(
        f"`{n.entity}`" + ("" if n.name == n.entity else f" (as `{n.name}`)") for n in close_names
    )


# ---------------------------------------------------------------- alias distinct


def record_distinct(
    session: Session, a: str, b: str, actor: str
) -> tuple[str | None, str | None, bool]:
    """Record that names ``a`` and ``b`` are different entities; True when it is new.

    At least one must be a name or alias of an entity, and two names of one entity are
    refused. The other may be a name no entity has yet: it is then never refused as
    close to the first. Returns the entities' names (None for a name of none).
    """
    from .entities import check_name, find_entity, get_entity

    a, b = check_name(a, "name"), check_name(b, "name")
    first, second = find_entity(session, a), find_entity(session, b)
    if first is None and second is None:
        get_entity(session, a)  # unknown: the error names the nearest entities
    if first is not None and second is not None and first.id == second.id:
        raise InvalidValue(
            f"{a!r} and {b!r} are names of one entity, {first.name!r}: expected names of two"
            " entities (`provenance entity merge` joins two, nothing splits one)"
        )
    pairs = sorted([(normalise_name(a), a), (normalise_name(b), b)])
    (na, name_a), (nb, name_b) = pairs
    existing = session.scalar(
        select(DistinctName.id).where(
            DistinctName.normalised == na, DistinctName.other_normalised == nb
        )
    )
    names = (first.name if first else None, second.name if second else None)
    if existing is not None:
        return *names, False
    row = DistinctName(name=name_a, normalised=na, other_name=name_b, other_normalised=nb)
    session.add(row)
    session.flush()
    # the table carries no change_id: the insert is a history row of the change itself
    history.changed(
        session,
        "distinct_names",
        row.id,
        "insert",
        {"name": name_a, "other_name": name_b},
        f"{name_a!r} and {name_b!r} are different entities",
        actor=actor,
    )
    return *names, True


def distinct_entity_pairs(session: Session) -> set[tuple[int, int]]:
    """Pairs of entity ids (smaller first) that have names recorded as distinct."""
    first = Alias.__table__.alias("first_name")
    second = Alias.__table__.alias("second_name")
    rows = session.execute(
        select(first.c.entity_id, second.c.entity_id)
        .select_from(DistinctName)
        .join(first, first.c.normalised == DistinctName.normalised)
        .join(second, second.c.normalised == DistinctName.other_normalised)
        .where(first.c.entity_id != second.c.entity_id)
    ).all()
    return {(min(a, b), max(a, b)) for a, b in rows}
