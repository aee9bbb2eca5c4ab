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


# an acronym written with dots ("U.S.") is one word, as its alias is
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}(?![A-Za-z])|[^\s\-\u2010-\u2015_/,.;:!?()\[\]\"“”«»]+")
_POSSESSIVE = re.compile(r"['’]s$")


def _case_rule(word: str) -> str:
    """How a word of an alias must be written in the text to be that alias.

    ``upper``: an acronym (``IS``, ``US``, ``AAH``) only in capitals, so the verb "is" and
    the pronoun "us" are not the Islamic State and the United States; ``title``: a word
    written with a capital (``Badr``) only with a capital; ``any``: a word the alias writes
    in lower case (``the``, ``war in Iraq``).
    """
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "upper"
    if letters and letters[0].isupper():
        return "title"
    return "any"


def _written_as(word: str, rule: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if rule == "upper":
        return bool(letters) and all(c.isupper() for c in letters)
    if rule == "title":
        return bool(letters) and letters[0].isupper()
    return True


# a country written before an institution's name: "U.S. Department of State"
_COUNTRY_PREFIX = re.compile(r"^(?:U\.S\.|US|U\.K\.|UK|Iraqi|Iranian)\s+(?=[A-Z])")


# a name a known one only ends: "Islamic Resistance in [Iraq]", "Northern [Vela]"
LONGER_NAME_BEFORE = re.compile(
    r"(?<![\w’'-])(?!(?:The|A|An|In|On|At|By|For|From|With|And|But|Of)\b)[A-Z][\w’'-]*\s+"
    r"(?:(?:in|of|for|on|and|the|de|al)\s+)*$"
)
ABBREVIATION = re.compile(r"\s*\(\s*(?P<abbr>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s*\)")


class EntityIndex:
    """Entity names and aliases of the database, found in sentences as whole words.

    An alias is matched token by token (never inside a longer word), case-insensitively
    except for the case rules of ``_case_rule``.
    """

    def __init__(self, session: Session):
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str, str]]] = {}
        rows = session.execute(
            select(Alias.name, Alias.normalised, Entity.name, Entity.kind).join(
                Entity, Alias.entity_id == Entity.id
            )
        ).all()
        shortened: list[tuple[tuple[str, ...], tuple[str, ...], str, str]] = []
        for written, normalised, name, kind in rows:
            tokens = tuple(normalised.split())
            if not tokens:
                continue
            words = [_POSSESSIVE.sub("", w) for w in _TOKEN.findall(written)]
            words = [w for w in words if normalise_name(w)]
            if len(words) == len(tokens):
                rules = tuple(_case_rule(w) for w in words)
            else:  # the alias splits otherwise than the text: its first word decides
                rules = (_case_rule(written.split()[0]),) + ("any",) * (len(tokens) - 1)
            self.by_first.setdefault(tokens[0], []).append((tokens, rules, name, kind))
            country = _COUNTRY_PREFIX.match(written)
            if country and len(tokens) >= 4:
                # "U.S. Department of State" is "the Department of State" in the country's own
                # statements: the rest of the name, of three words or more, names it too
                rest = written[country.end() :]
                rest_tokens = tuple(normalise_name(rest).split())
                if len(rest_tokens) >= 3 and rest[0].isupper():
                    rest_rules = (_case_rule(rest.split()[0]),) + ("any",) * (len(rest_tokens) - 1)
                    shortened.append((rest_tokens, rest_rules, name, kind))
        taken = {entry[0] for entries in self.by_first.values() for entry in entries}
        for tokens, rules, name, kind in shortened:
            if tokens not in taken:
                self.by_first.setdefault(tokens[0], []).append((tokens, rules, name, kind))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.names = {name for _, _, name, _ in rows}

    def learn_abbreviations(self, text: str) -> None:
        """An abbreviation the text defines in brackets right after a name the database knows
        ("the Red Hand Brigade (RHB)") names that entity wherever the text writes it, as an
        alias would; one the database already has for another entity is left alone."""
        for m in ABBREVIATION.finditer(text):
            abbreviation = m.group("abbr")
            key = normalise_name(abbreviation)
            if not key or any(e[0] == (key,) for e in self.by_first.get(key, ())):
                continue
            named = self.mentions(text, max(0, m.start() - 120), m.start())
            if not named or text[named[-1].end : m.start()].strip():
                continue
            if LONGER_NAME_BEFORE.search(text, max(0, named[-1].start - 40), named[-1].start):
                continue  # "the Islamic Resistance in Iraq (IRI)": IRI is not Iraq
            entry = ((key,), ("upper",), named[-1].name, named[-1].kind)
            self.by_first.setdefault(key, []).append(entry)
            self.by_first[key].sort(key=lambda e: -len(e[0]))

    def knows(self, name: str) -> bool:
        """Whether ``name`` is the name of an entity of the database."""
        return name in self.names

    def mentions(self, text: str, start: int, end: int) -> list[Mention]:
        tokens = []
        for m in _TOKEN.finditer(text, start, end):
            word = _POSSESSIVE.sub("", m.group())
            key = normalise_name(word)
            if key:
                tokens.append((key, m.start(), m.end(), word))
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            best = None
            for names, rules, name, kind in self.by_first.get(tokens[i][0], ()):
                n = len(names)
                stretch = tokens[i : i + n]
                if tuple(t[0] for t in stretch) == names and all(
                    _written_as(t[3], rule) for t, rule in zip(stretch, rules, strict=False)
                ):
                    best = (n, name, kind)
                    break
            if best is None:
                i += 1
                continue
            n, name, kind = best
            found.append(Mention(tokens[i][1], tokens[i + n - 1][2], name, kind))
            shared = self._shared_surname(text, tokens, i, n, kind)
            if shared is not None:
                found.insert(len(found) - 1, shared)
            i += n
        return found

    def _shared_surname(
        self, text: str, tokens: list[tuple[str, int, int, str]], i: int, n: int, kind: str
    ) -> Mention | None:
        """ "Qais and Laith al-Khazali": the first name before "and" with the surname of the
        person named after it, when the database knows that person too."""
        if kind != "person" or n < 2 or i < 2 or tokens[i - 1][0] != "and":
            return None
        first = tokens[i - 2]
        if not first[3][:1].isupper() or text[first[2] : tokens[i - 1][1]].strip():
            return None
        wanted = (first[0], *(t[0] for t in tokens[i + 1 : i + n]))
        for names, _rules, name, other_kind in self.by_first.get(first[0], ()):
            if names == wanted and other_kind == "person":
                return Mention(first[1], first[2], name, other_kind)
        return None
