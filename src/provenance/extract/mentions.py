"""Where the database's entities (by name or alias) are named in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Alias, Entity
from ..values import normalise_name


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # the entity's canonical name
    kind: str


class EntityIndex:
    """Entity names and aliases of the database, found in sentences token by token."""

    _TOKEN = re.compile(r"[^\s\-\u2010-\u2015_/,.;:!?()\[\]\"“”«»]+")

    def __init__(self, session: Session):
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        rows = session.execute(
            select(Alias.normalised, Entity.name, Entity.kind).join(
                Entity, Alias.entity_id == Entity.id
            )
        ).all()
        for normalised, name, kind in rows:
            tokens = tuple(normalised.split())
            if not tokens:
                continue
            self.by_first.setdefault(tokens[0], []).append((tokens, name, kind))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def mentions(self, text: str, start: int, end: int) -> list[Mention]:
        tokens = []
        for m in self._TOKEN.finditer(text, start, end):
            word = re.sub(r"['’]s$", "", m.group())
            key = normalise_name(word)
            if key:
                tokens.append((key, m.start(), m.end()))
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            best = None
            for names, name, kind in self.by_first.get(tokens[i][0], ()):
                n = len(names)
                if tuple(t[0] for t in tokens[i : i + n]) == names:
                    best = (n, name, kind)
                    break
            if best is None:
                i += 1
                continue
            n, name, kind = best
            found.append(Mention(tokens[i][1], tokens[i + n - 1][2], name, kind))
            i += n
        return found
