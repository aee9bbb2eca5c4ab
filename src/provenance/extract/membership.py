"""Membership: "X is a member of Y", "X, a leading member of Y", "groups that are part of Y"
give ``member_of``, the whole named even when the database does not know it yet."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .attributions import Stretch
from .mentions import Mention
from .relations import add_relation
from .rules import Rule
from .sentences import Sentence
from .subjects import NAME, NOT_NAMES

if TYPE_CHECKING:
    from .document import Document

_PART = (
    r"(?:(?:an?|one)\s+(?:(?:leading|founding|key|senior|prominent|core|major|full|"
    r"constituent)\s+)?(?:member|component|constituent)|(?:an?\s+)?part)\s+of\s+(?:the\s+)?"
    r"(?:(?:broader|wider|larger|so-called|[A-Z][\w.’'-]*-(?:aligned|backed|led))\s+)*"
)
# a whole's name may go on with a place: "the Islamic Resistance in Iraq"
_WHOLE = rf"{NAME}(?:\s+(?:in|for)\s+[A-Z][\w’'-]+)?"
MEMBER_OF = Rule(
    rf"\b(?:is|was|are|were|has\s+been|have\s+been|had\s+been|remains|remained|became|"
    rf"becomes)\s+(?:also\s+|now\s+|still\s+|reportedly\s+)?{_PART}(?P<whole>{_WHOLE})",
    """A member and the whole it belongs to, joined by a verb: "the group is a leading member
of the Islamic Resistance in Iraq", "KSS is a member of the IRI", "militias that are part of
the broader Iran-aligned Axis of Resistance".""",
)
MEMBER_APPOSITION = Rule(
    rf"(?P<comma>,\s+){_PART}(?P<whole>{_WHOLE})",
    """A member named, then what it belongs to between commas: "the Blue Lions, a founding
member of the Southern Front, …".""",
)
# the member: a name just before the verb ("KSS is"), or a word that stands for one
_JUST_BEFORE = re.compile(r"(?i)^[\s,)]*(?:which|who|that)?\s*$")
_STANDS_FOR = re.compile(r"(?i)\b(?:the\s+(?:group|militia|organi[sz]ation|movement)|it)\s*$")
_MEMBERS = ("organisation", "alliance", "other", "person")


def membership(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    for rule in (MEMBER_OF, MEMBER_APPOSITION):
        for match in rule.finditer(doc.scan, sentence.start, sentence.end):
            member = _member(doc, sentence, mentions, match.start())
            whole = _whole(doc, mentions, match)
            if member is None or whole is None:
                continue
            add_relation(
                doc,
                sentence,
                (match.start(), match.end("whole")),
                "member_of",
                whole,
                member,
                stretches,
                f"{doc.words(match.start(), match.end('whole'))!r}",
            )


def _member(doc: Document, sentence: Sentence, mentions: list[Mention], at: int) -> str | None:
    before = [m for m in mentions if m.end <= at and m.kind in _MEMBERS]
    if before and _JUST_BEFORE.match(doc.scan[before[-1].end : at]):
        return before[-1].name
    if _STANDS_FOR.search(doc.scan, max(sentence.start, at - 20), at):
        # "the group is a leading member of …": the group the sentence or the text named last
        groups = [m for m in before if m.kind != "person"]
        return groups[-1].name if groups else doc.last_group
    return None


def _whole(doc: Document, mentions: list[Mention], match: re.Match[str]) -> str | None:
    """The entity named after "member of", or the name as written (an abbreviation spelled out
    where the text defined it: "the IRI" is the "Islamic Resistance in Iraq (IRI)")."""
    start, end = match.span("whole")
    known = [m for m in mentions if start <= m.start < end]
    if known and known[0].start == start and known[0].end >= end - 1:
        return known[0].name  # not "Iraq" of "the Islamic Resistance in Iraq"
    words = re.split(r"[.,;:]\s", match.group("whole"))[0].split()  # "the SF. Most": the SF
    while words and words[-1].lower() in ("the", "a", "an", "and", "of", "in", "for"):
        words.pop()
    name = " ".join(words).rstrip(".,’'")
    if re.fullmatch(r"[A-Z]{2,6}", name):
        spelled = re.search(rf"(?P<name>{_WHOLE})\s*\(\s*{name}\s*\)", doc.scan)
        return spelled.group("name") if spelled else None
    if len(name) < 3 or name.lower() in NOT_NAMES:
        return None
    return name
