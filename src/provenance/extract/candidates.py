"""What extraction produces: candidates, the extraction of one source, and the kinds asked for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InvalidValue
from ..models import Source
from .vocabulary import PropertyChoice

KINDS = ("quantity", "date", "leadership", "relation", "statement")
# what ``extract`` offers unless told otherwise: a bare ``statement`` (a speaker's words as
# quoted, with no figure, date or relation a desk could check) is only offered when asked for
DEFAULT_KINDS = ("quantity", "date", "leadership", "relation")
_OTHER_NAMES = {
    "quantities": "quantity",
    "number": "quantity",
    "numbers": "quantity",
    "money": "quantity",
    "dates": "date",
    "relations": "relation",
    "statements": "statement",
    "attribution": "statement",  # the name of ``statement`` before relations were read
    "attributions": "statement",
}


@dataclass
class Candidate:
    """One suggested claim, with where its quote and its figure stand in the text."""

    kind: str
    subject: str
    property: str
    value: str
    quote_start: int
    quote_end: int
    value_start: int
    value_end: int
    found: str
    unit: str | None = None
    footnote: int | None = None
    attributed_to: str | None = None
    stance: str = "asserts"
    qualifiers: dict[str, str] = field(default_factory=dict)
    why: str = ""
    quote: str = ""
    # which place of the source the quote is, when its words stand at more than one
    occurrence: int | None = None
    # "low" where a part of the candidate is a guess (a bare title's country); else left to
    # the editor
    confidence: str | None = None


@dataclass
class Extraction:
    source: Source
    candidates: list[Candidate]
    new_properties: list[PropertyChoice]
    already_recorded: int
    kinds: tuple[str, ...]


def parse_kinds(text: str | None) -> tuple[str, ...]:
    """``quantity,date`` → ('quantity', 'date'); an unknown kind is an error naming it.

    Nothing given means ``DEFAULT_KINDS``; ``attribution`` is the old name of ``statement``.
    """
    if text is None or not text.strip():
        return DEFAULT_KINDS
    kinds = []
    for part in text.split(","):
        kind = part.strip().lower()
        if not kind:
            continue
        kind = _OTHER_NAMES.get(kind, kind)
        if kind not in KINDS:
            raise InvalidValue(
                f"unknown kind {part.strip()!r} in --kinds: expected a comma-separated list of"
                f" {', '.join(KINDS)}"
            )
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        raise InvalidValue(
            f"--kinds {text!r} names no kind: expected a comma-separated list of {', '.join(KINDS)}"
        )
    return tuple(kinds)
