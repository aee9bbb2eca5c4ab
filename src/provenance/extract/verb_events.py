"""Events told by a verb rather than a noun: "Gunmen from the Red Hand Brigade attacked a
police station", "U.S. forces struck five facilities". The sentence's figures and dates are
then the event's, not its agent's or its place's.

Decisions:

* Only when the sentence names no event by a noun and refers back to none: a noun phrase
  ("the attack") says more than a verb.
* The agent is a group or a country named within a few words before the verb ("Gunmen from
  the Red Hand Brigade", "U.S. forces", "Iran"); a sentence without one tells of no event
  this module can name, and is left alone.
* The event is named as ``events`` names a new one: a country's by its nationality ("U.S.
  strike"), a group's by where it happened ("Vela attack"), with a named target after "on".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .events import COUNTRY, NATIONALITY, Event, day_written
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence

if TYPE_CHECKING:
    from .document import Document

EVENT_TOLD_BY_VERB = Rule(
    r"\b(?P<verb>attacked|struck|bombed|shelled|raided|stormed|ambushed|targeted|hit)\s+"
    r"(?!(?:back|out|the\s+(?:ground|headlines))\b)",
    """A violent event told by its verb: "Gunmen … attacked a police station", "U.S. forces
struck five facilities", "militants stormed the compound".""",
)
_FAMILY_OF_VERB = {
    "attacked": ("attack", "attack"),
    "raided": ("attack", "raid"),
    "stormed": ("attack", "attack"),
    "ambushed": ("attack", "ambush"),
    "targeted": ("attack", "attack"),
    "struck": ("strike", "strike"),
    "hit": ("strike", "strike"),
    "bombed": ("bombing", "bombing"),
    "shelled": ("attack", "shelling"),
}
# the few words between an agent and its verb: "forces", "fighters from the", "gunmen of"
_AGENT_GAP = re.compile(
    r"(?i)(?:[’']s)?\s*(?:(?:military|armed|security|special|air|naval|ground)\s+)?"
    r"(?:forces|troops|fighters|gunmen|militants|militiamen|jets|aircraft|drones|warplanes)?"
    r"\s*(?:,[^,]{0,60},)?\s*$"
)
_AGENTS = ("organisation", "alliance", "other", "place")
_WHERE = re.compile(
    r"(?i)\b(?:in|at|near|across|inside|outside|over|into|throughout)\s+(?:the\s+)?$"
)


def event_told_by_verb(
    doc: Document, sentence: Sentence, mentions: list[Mention]
) -> tuple[int, Event] | None:
    """The event a verb of the sentence tells of, with its agent before the verb."""
    for match in EVENT_TOLD_BY_VERB.finditer(doc.scan, sentence.start, sentence.end):
        agent = _agent_before(doc, sentence, match.start(), mentions)
        if agent is None:
            continue
        family, noun = _FAMILY_OF_VERB[match.group("verb").lower()]
        after = [m for m in mentions if m.start >= match.end() and m.start - match.end() <= 40]
        target = next((m for m in after if m.kind != "place"), None)
        short = {v: k for k, v in COUNTRY.items()}.get(agent)
        if short is not None:
            words = f"{short} {noun}"
        else:
            places = [
                m
                for m in mentions
                if m.kind == "place" and m.start >= match.end() and m.name not in COUNTRY.values()
            ]
            if not places:
                continue  # a group's event is named by where it happened, a town, not a country
            words = f"{places[0].name} {noun}"
        target_name = target.name if target is not None else None
        day = day_written(doc, sentence)
        event = doc.new_event(family, words, agent, target_name, target_name, day=day)
        return match.start(), event
    return None


def _agent_before(
    doc: Document, sentence: Sentence, at: int, mentions: list[Mention]
) -> str | None:
    before = [m for m in mentions if m.end <= at and m.kind in _AGENTS]
    if before and _AGENT_GAP.fullmatch(doc.scan, before[-1].end, at):
        agent = before[-1]
        if _WHERE.search(doc.scan, max(sentence.start, agent.start - 20), agent.start):
            return None  # "airstrikes in Iraq targeted": where, not who
        if agent.kind != "place" or agent.name in COUNTRY.values():
            return agent.name
    # "U.S. forces struck", "Iranian drones hit": a nationality is its country
    words = doc.scan[sentence.start : at].split()
    for i in range(len(words) - 1, max(-1, len(words) - 4), -1):
        country = COUNTRY.get(NATIONALITY.get(words[i].lower(), ""), None)
        gap = " ".join(words[i + 1 :]) + " "
        if country and doc.entities.knows(country) and _AGENT_GAP.fullmatch(gap):
            return country
    return None
