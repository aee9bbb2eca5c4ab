"""Terrorist designations told in the active voice: who designates whom ("The Department of
State is today designating X and its Secretary General Y as Specially Designated Global
Terrorists"), each one named gets ``designated_by``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .attributions import Stretch
from .leadership import LEADER_AND_ITS, leader_named
from .mentions import Mention
from .relations import add_relation
from .rules import Rule
from .sentences import Sentence

if TYPE_CHECKING:
    from .document import Document

DESIGNATES = Rule(
    r"(?i)\b(?:is\s+(?:today\s+)?(?:designating|listing)|(?:has\s+)?(?:designated|listed|"
    r"blacklisted)|designates|lists|announce[sd]?\s+the\s+designations?\s+of)\s+"
    r"(?P<named>.{3,300}?)\s+(?:as\s+)?(?:an?\s+)?(?:[“\"])?(?:specially\s+designated\s+global\s+"
    r"terrorists?|foreign\s+terrorist\s+organi[sz]ations?|global\s+terrorists?|"
    r"terrorist\s+organi[sz]ations?|terrorists?|SDGTs?|FTOs?)\b",
    """A designation and whom it names, the designator before the verb: "The Department of
State is today designating Kata'ib Sayyid al-Shuhada (KSS) and its Secretary General Hashim
Finyan Rahim al-Saraji as Specially Designated Global Terrorists", "The Department of State
designated HAN … as SDGTs in 2019", "the Department of State announces the designations of
… as Foreign Terrorist Organizations (FTOs)", "The ministry listed Omar Tal as a global
terrorist", "The government promptly designated him a global terrorist".""",
)
# who can designate: a government or one of its institutions, never a group or a person
_DESIGNATORS = ("organisation", "place")
_DESIGNEES = ("organisation", "alliance", "other", "person")


def designations(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    for match in DESIGNATES.finditer(doc.scan, sentence.start, sentence.end):
        before = [m for m in mentions if m.end <= match.start() and m.kind in _DESIGNATORS]
        if not before:
            continue  # "Officials announced the designations of …": no designator named
        designator = before[-1]
        a, b = match.span("named")
        named = [m.name for m in mentions if a <= m.start and m.end <= b and m.kind in _DESIGNEES]
        # "X and its Secretary General Y": a leader the database may not know yet
        for lead in LEADER_AND_ITS.finditer(doc.scan, a, b):
            person = leader_named(lead, mentions)
            if person:
                named.append(person)
        for name in dict.fromkeys(named):
            add_relation(
                doc,
                sentence,
                (designator.start, match.end()),
                "designated_by",
                designator.name,
                name,
                stretches,
                f"{doc.words(designator.start, match.end())!r}",
            )
