"""Reviewing candidate claims one by one (``provenance extract --interactive``).

The editor is shown each candidate of ``extract`` and accepts it, edits it (subject,
property, value, unit, speaker, stance, quote) or skips it; quitting ends the review.
What was accepted is written at the end, all or nothing, through ``import``'s own path:
the accepted candidates are written in the import format (``output.write_yaml``, with the
new properties they use) and imported in one transaction, so they are checked, anchored,
resolved and recorded in the history exactly as a file the editor imported would be.

Decisions:

* Quitting writes nothing, not even what was accepted before: a review stopped half-way
  is not a decision on the rest, and an editor who wants the first half accepts it and
  skips the rest. A review that reaches the end with nothing accepted writes nothing.
* An edit is checked when it is typed (a property the vocabulary and the candidates'
  new properties lack, a value that does not parse for the property, a stance other than
  asserts or denies is refused and asked again), so a long review is not lost to one typo
  at the end. The import checks everything again. A new property whose datatype the
  value does not fit asks for the value at once (``count = 2009`` → ``date``), and a unit
  the new property does not take is dropped, so no order of edits is a dead end.
* The terminal is not this module's: ``review`` asks and shows through the two functions
  it is given, so the CLI owns prompting and escaping, and tests can script it.
* The review runs outside any transaction (an editor may take an hour); the write is one
  short transaction of its own, run again when it loses a race on PostgreSQL, so the
  editor is never asked the same questions twice.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .. import db as dbmod
from .. import importer
from ..errors import InvalidValue, ProvenanceError
from ..models import STANCES, Property
from ..output import value_text
from ..values import canonical_unit, parse_value
from .candidates import Candidate, Extraction
from .output import write_yaml

__all__ = ["ACTIONS", "FIELDS", "Review", "Vocabulary", "describe", "review", "save"]

ACTIONS = ("accept", "edit", "skip", "quit")
FIELDS = ("subject", "property", "value", "unit", "attributed_to", "stance", "quote")
# how often the write runs again after losing a race on PostgreSQL before giving up
WRITE_ATTEMPTS = 8

Ask = Callable[[str, str | None], str]
Show = Callable[[str], None]


@dataclass(frozen=True)
class Vocabulary:
    """Property name → datatype, for the database's properties and the candidates' new ones."""

    datatypes: dict[str, str]
    units: dict[str, str | None]

    @classmethod
    def of(cls, session: Session, extraction: Extraction) -> Vocabulary:
        properties = list(session.scalars(select(Property)))
        datatypes = {p.name: p.datatype for p in properties}
        units = {p.name: canonical_unit(p.unit) for p in properties}
        for choice in extraction.new_properties:
            datatypes.setdefault(choice.name, choice.datatype)
            units.setdefault(choice.name, canonical_unit(choice.unit))
        return cls(datatypes, units)

    def unit_differs(self, candidate: Candidate) -> bool:
        """Whether the candidate's unit is not its property's (which the import refuses)."""
        own = self.units.get(candidate.property)
        return bool(candidate.unit and own and canonical_unit(candidate.unit) != own)

    def check(self, candidate: Candidate) -> None:
        """Raise InvalidValue naming what is wrong with an edited candidate."""
        datatype = self.datatypes.get(candidate.property)
        if datatype is None:
            known = ", ".join(sorted(self.datatypes)[:12])
            raise InvalidValue(
                f"unknown property {candidate.property!r}: expected one of the vocabulary"
                f" ({known}, … see `provenance properties`)"
            )
        if self.unit_differs(candidate):
            raise InvalidValue(
                f"unit {candidate.unit!r} differs from the unit of {candidate.property!r}:"
                f" expected {self.units[candidate.property]!r} or nothing"
            )
        parse_value(datatype, candidate.value, unit=candidate.unit)
        if candidate.stance not in STANCES:
            raise InvalidValue(f"stance {candidate.stance!r}: expected one of {', '.join(STANCES)}")
        if not candidate.subject.strip():
            raise InvalidValue("subject is empty: expected an entity's name")


@dataclass
class Review:
    """The outcome of a review: the candidates accepted (as edited), or quit."""

    extraction: Extraction
    accepted: list[Candidate]
    skipped: int = 0
    quit: bool = False

    def to_import(self) -> Extraction:
        """The accepted candidates as an extraction, with only the new properties they use."""
        used = {c.property for c in self.accepted}
        return replace(
            self.extraction,
            candidates=list(self.accepted),
            new_properties=[p for p in self.extraction.new_properties if p.name in used],
            already_recorded=0,
        )


def describe(candidate: Candidate, number: int, total: int) -> str:
    """The candidate as the editor sees it: what would be recorded, and from which words."""
    value = value_text(candidate.value, candidate.unit)
    lines = [
        f"candidate {number} of {total}: {candidate.subject} · {candidate.property} = {value}",
        f"  quote: “{candidate.quote}”",
    ]
    if candidate.attributed_to or candidate.stance != "asserts":
        lines.append(
            f"  speaker: {candidate.attributed_to or '(the source)'} · stance: {candidate.stance}"
        )
    if candidate.footnote is not None:
        lines.append(f"  footnote: {candidate.footnote}")
    if candidate.qualifiers:
        shown = "; ".join(f"{k}={v}" for k, v in candidate.qualifiers.items())
        lines.append(f"  qualifiers: {shown}")
    if candidate.why:
        lines.append(f"  read: {candidate.why}")
    return "\n".join(lines)


def _edit(candidate: Candidate, vocabulary: Vocabulary, ask: Ask, show: Show) -> Candidate:
    """Ask for fields to change until the editor names none; each change is checked."""
    while True:
        name = ask(f"field to edit ({', '.join(FIELDS)}; empty when done)", "").strip()
        if not name:
            return candidate
        if name not in FIELDS:
            show(f"unknown field {name!r}: expected one of {', '.join(FIELDS)}")
            continue
        current = getattr(candidate, name)
        typed = ask(name, "" if current is None else str(current)).strip()
        if name == "quote" and not typed:
            show("quote is empty: expected the source's own words")
            continue
        optional = name in ("unit", "attributed_to")  # emptied, they are left out
        changes: dict[str, Any] = {name: (typed or None) if optional else typed}
        edited = replace(candidate, **changes)
        if name == "property" and typed in vocabulary.datatypes:
            edited = _follow_property(edited, vocabulary, ask, show)
        try:
            vocabulary.check(edited)
        except ProvenanceError as problem:
            show(f"not changed: {problem}")
            continue
        candidate = edited


def _follow_property(
    candidate: Candidate, vocabulary: Vocabulary, ask: Ask, show: Show
) -> Candidate:
    """A new property may need a new unit and value: a unit it does not take is dropped, and
    a value that does not parse for its datatype is asked for (killed = 5 → date = 2009)."""
    if vocabulary.unit_differs(candidate):
        show(f"unit {candidate.unit!r} dropped: {candidate.property!r} counts in its own unit")
        candidate = replace(candidate, unit=None)
    try:
        parse_value(vocabulary.datatypes[candidate.property], candidate.value, unit=candidate.unit)
    except ProvenanceError as problem:
        show(f"{problem}; give the value as a {vocabulary.datatypes[candidate.property]}")
        candidate = replace(candidate, value=ask("value", "").strip())
    return candidate


def review(extraction: Extraction, vocabulary: Vocabulary, ask: Ask, show: Show) -> Review:
    """Show each candidate and ask what to do with it; ``ask(prompt, default)`` answers."""
    outcome = Review(extraction, [])
    total = len(extraction.candidates)
    for number, original in enumerate(extraction.candidates, 1):
        candidate = original
        show(describe(candidate, number, total))
        while True:
            action = _action(ask("accept, edit, skip or quit [a/e/s/q]", None), show)
            if action == "edit":
                candidate = _edit(candidate, vocabulary, ask, show)
                show(describe(candidate, number, total))
            elif action is not None:
                break
        if action == "quit":
            outcome.quit = True
            return outcome
        if action == "accept":
            outcome.accepted.append(candidate)
        else:
            outcome.skipped += 1
    return outcome


def _action(answer: str, show: Show) -> str | None:
    typed = answer.strip().lower()
    for action in ACTIONS:
        if typed and action.startswith(typed):
            return action
    show(f"answer {answer.strip()!r}: expected a (accept), e (edit), s (skip) or q (quit)")
    return None


def save(engine: Engine, outcome: Review, actor: str) -> importer.ImportReport:
    """Import the accepted candidates in one transaction, through ``import``'s path."""
    accepted = outcome.to_import()
    with tempfile.TemporaryDirectory(prefix="provenance-review-") as folder:
        path = Path(folder) / f"{accepted.source.slug}.accepted.yaml"
        with path.open("w", encoding="utf-8") as stream:
            write_yaml(accepted, stream)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return _import(engine, path, actor)
            except sa_exc.DBAPIError as exc:
                if not dbmod.lost_race(exc):
                    raise
                if attempt == WRITE_ATTEMPTS:
                    raise ProvenanceError(
                        f"database is busy: other editors wrote the same rows first"
                        f" {WRITE_ATTEMPTS} times over; nothing was written, review again"
                    ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _import(engine: Engine, path: Path, actor: str) -> importer.ImportReport:
    with dbmod.session_scope(engine) as session:
        return importer.import_file(session, path, actor)
