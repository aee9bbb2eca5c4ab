"""Who leads an organisation: "X, the leader of Y", "Y head X", "Y, led by X"."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from ..values import normalise_name
from .attributions import RELATIVE_CLAUSE, Stretch, attribution_for
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .subjects import NAME, NOT_NAMES

if TYPE_CHECKING:
    from .document import Document


_ROLE = r"(?:leader|head|chief|commander|secretary\s+general|founder)"
LEADER_APPOSITION = Rule(
    rf"(?P<leader>{NAME}),\s+(?:[\w\s]{{0,30}}?\s)?(?:the\s+)?(?:de\s+facto\s+)?{_ROLE}\s+of\s+(?:the\s+)?(?P<org>{NAME})",
    """"Qais al-Khazali, leader of Asa'ib Ahl al-Haq", "Esmail Qaani, the head of the IRGC
    Quds".""",
)
LEADER_TITLE = Rule(
    rf"(?P<org>{NAME})(?:’s|'s)?\s+(?:{_ROLE})\s+(?P<leader>{NAME})",
    """"Badr Organization head Hadi al Ameri", "Hezbollah leader Hassan Nasrallah".""",
)
LEADER_LED_BY = Rule(
    rf"(?P<org>{NAME})\)?,?\s+(?:\w+\s+){{0,2}}?led\s+by\s+(?:an?\s+[\w\s-]{{0,40}}?\s+named\s+)?(?P<leader>{NAME})",
    """"Asa`ib Ahl al-Haqq or AAH), led by a relatively young cleric named Qais al-Khazali".""",
)
LEADER_HEAD_OF = Rule(
    rf"\b[Tt]he\s+{_ROLE}\s+of\s+(?:the\s+)?(?P<org>{NAME}),\s+(?:an?\s+[\w\s-]{{0,40}}?\s+named\s+)?(?P<leader>{NAME})",
    """"The head of AAH, a young cleric named Qais al-Khazali".""",
)
LEADER_WHOSE = Rule(
    rf"(?P<org>{NAME}),\s+whose\s+(?:{_ROLE})\s+(?P<leader>{NAME})",
    """"the Quds Force, whose leader Qasem Soleimani was assassinated".""",
)
LEADER_POSSESSIVE = Rule(
    rf"(?P<leader>{NAME}),\s+(?:the\s+)?(?P<org>{NAME})(?:’s|'s)\s+(?:{_ROLE})\b",
    """"Qais al-Khazali, Asaib Ahl al-Haq's leader".""",
)
LEADER_LEADS = Rule(
    rf"(?P<leader>{NAME}),?\s+(?:who\s+)?(?:now\s+)?(?:leads|heads|led|headed)\s+"
    rf"(?:the\s+)?(?:(?-i:[a-z]+)\s+)?(?P<org>{NAME})",
    """"Today, Muhandis leads the PMF", "Qassem Soleimani, who headed the shadowy Quds
    Force".""",
)
LEADER_AND_ITS = Rule(
    rf"(?P<org>{NAME})(?:\s*\([A-Z][\w-]*\))?,?\s+and\s+its\s+"
    rf"(?P<role>(?i:{_ROLE})|Secretary-General)\s+(?P<leader>{NAME})",
    """A group named with its leader, as designations name them: "Kata'ib Sayyid al-Shuhada
    (KSS) and its Secretary General Hashim Finyan Rahim al-Saraji", "HAN and its leader
    Akram al-Kabi".""",
)
# a post written as a title ("its Secretary General X"), the holder's position too
_TITLED_ROLE = re.compile(r"^(?:Secretary[\s-]+General|Commander|Chief|Head|Leader|Founder)$")
NOT_THE_LEADER = Rule(
    r"(?i)\b(?:deputy|vice|assistant|adjutant|second[-\s]in[-\s]command)\b",
    """A role under the leader's: "the deputy commander of", "vice president of".""",
)
_LEADER_RULES = (
    LEADER_AND_ITS,
    LEADER_HEAD_OF,
    LEADER_LED_BY,
    LEADER_APPOSITION,
    LEADER_WHOSE,
    LEADER_POSSESSIVE,
    LEADER_TITLE,
    LEADER_LEADS,
)


def leaders(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    seen = set()
    for rule in _LEADER_RULES:
        for m in rule.finditer(doc.scan, sentence.start, sentence.end):
            if NOT_THE_LEADER.search(m.group()):
                continue  # a deputy commander is not the commander
            leader = _named(m.group("leader"), m.start("leader"), mentions)
            org = _named(m.group("org"), m.start("org"), mentions, last=True)
            if (
                not leader
                or not org
                or normalise_name(leader) == normalise_name(org)
                or (leader, org) in seen
            ):
                continue
            seen.add((leader, org))
            told = attribution_for(stretches, m.start())
            if told and RELATIVE_CLAUSE.search(doc.scan, sentence.start, m.end()):
                told = None  # "He added that X, AAH's leader, …": the article's apposition
            if rule is LEADER_AND_ITS and _TITLED_ROLE.match(" ".join(m.group("role").split())):
                doc.add(
                    "leadership",
                    sentence,
                    m.start("role"),
                    m.end(),
                    "position",
                    " ".join(m.group("role").split()),
                    subject=leader,
                    why=f"title before a leader's name: {doc.words(m.start('role'), m.end())!r}",
                    attribution=told,
                    quote=(m.start("role"), m.end()),
                )
            doc.add(
                "leadership",
                sentence,
                m.start(),
                m.end(),
                "leader",
                leader,
                subject=org,
                why=f"leadership: {doc.words(m.start(), m.end())!r}",
                attribution=told,
            )


_TIME = r"(?:(?:former|late|then|current|longtime|slain|acting|interim|founding)[-\s]+)?"
_ROLE_ANY_CASE = r"(?i:leader|head|chief|commander|secretary[\s-]+general|founder)"
ORG_ROLE_PERSON = Rule(
    rf"^\)?\s*(?:['’]s\s+)?{_TIME}{_ROLE_ANY_CASE}\s+(?:(?:General|Gen\.|Major|Brigadier|"
    rf"Lieutenant|Sheikh|Ayatollah|Mr\.|Dr\.)\s+)*$",
    """Between a group and a person, a role in any case and with a word of time: "IRGC-Quds
Force (IRGC-Quds Force) Commander Qassem Soleimani", "Qods Force’s (IRGC-QF) former commander
Qasem Soleimani", "Popular Mobilization Force leader Abu Mahdi al Muhandis".""",
)
PERSON_ROLE_OF_ORG = Rule(
    rf"^\s*(?:,\s*|\[\s*|\(\s*)(?:the\s+)?{_TIME}{_ROLE_ANY_CASE}\s+of\s+(?:the\s+)?$",
    """Between a person and a group, the role "of" the group, also in brackets: "Mr. Esmail Qaani
[commander of Islamic Revolutionary Guard Corps-Quds Force]".""",
)
PERSON_THE_ORG = Rule(
    rf"^\s*,\s+(?:the\s+|an?\s+)?{_TIME}$",
    """Between a person and a group followed by a role: "Qassem Soleimani, the Quds Force leader
killed in a January 2020 US drone strike", "Hajji Yusif, a Quds Force deputy commander".""",
)
ROLE_AFTER_ORG = Rule(
    rf"\s+(?:(?i:deputy)\s+)?{_ROLE_ANY_CASE}\b",
    """The role after the group of "X, the Quds Force leader".""",
)
AS_ROLE_OF = Rule(
    rf"(?i:\bas\s+)(?:the\s+)?{_TIME}{_ROLE_ANY_CASE}\s+of\s+(?:the\s+)?$",
    """A role told before the group and the person after it: "As commander of Quds Force, the
infamous Suleimani is tasked with".""",
)
_GROUP_LIKE = ("organisation", "alliance", "other")


def leaders_named_beside(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """A group and a person named side by side with a role between or after them, read from
    the names the database knows rather than from capitals (see the rules above)."""
    scan = doc.scan
    for first, second in pairwise(mentions):
        gap = scan[first.end : second.start]
        found: tuple[Mention, Mention, int, int] | None = None
        if first.kind in _GROUP_LIKE and second.kind == "person":
            # "As commander of Quds Force, the infamous Suleimani": the role before the group
            told_before = re.fullmatch(r",\s+(?:the\s+)?(?:\w+\s+)?", gap) and AS_ROLE_OF.search(
                scan, max(sentence.start, first.start - 40), first.start
            )
            if ORG_ROLE_PERSON.match(gap) or told_before:
                found = (first, second, first.start, second.end)
        elif first.kind == "person" and second.kind in _GROUP_LIKE:
            if PERSON_ROLE_OF_ORG.match(gap):
                found = (second, first, first.start, second.end)
            elif PERSON_THE_ORG.match(gap):
                role = ROLE_AFTER_ORG.match(scan, second.end)
                if role:
                    found = (second, first, first.start, role.end())
        if found is None:
            continue
        org, person, start, end = found
        concept = "leader"
        if NOT_THE_LEADER.search(scan, max(sentence.start, start - 12), end):
            # "a Quds Force deputy commander": not the commander, the deputy where the
            # vocabulary has that post
            if not re.search(r"(?i)\bdeputy\b", scan[start:end]):
                continue
            if "deputy" not in doc.vocabulary.properties:
                continue
            concept = "deputy"
        if any(
            c.property == concept
            and c.subject == org.name
            and c.value == person.name
            and c.quote_start < end
            and start < c.quote_end
            for c in doc.candidates
        ):
            continue
        told = attribution_for(stretches, start)
        if told and RELATIVE_CLAUSE.search(scan, sentence.start, end):
            told = None
        doc.add(
            "leadership",
            sentence,
            start,
            end,
            concept,
            person.name,
            subject=org.name,
            why=f"a group and its {concept} named side by side: {doc.words(start, end)!r}",
            attribution=told,
        )


PERSONS_GROUP = Rule(
    r"(?P<s>\s*[’']s?)?\s+(?:(?:own|new|old|former|armed|political|powerful)\s+)?",
    """A group written as a known person's: "Muqtada al-Sadr's Mahdi Army", "Abu Bakr
al-Baghdadi's Islamic State": the person leads it (a former leader is the reader's to
judge from the words, "al-Sadr's former movement" still names its leader).""",
)
_GROUP_KINDS = ("organisation", "alliance")


def persons_groups(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """ "X's Y" where X is a person and Y a group the database knows: Y's ``leader`` is X,
    offered once in a text (the group named so again, or its leader told before, adds none)."""
    for person, group in pairwise(mentions):
        if person.kind != "person" or group.kind not in _GROUP_KINDS:
            continue
        # the possessive is part of the person's mention ("al-Sadr’s") or just after it
        owner = doc.scan[person.end - 2 : person.end] in ("’s", "'s")
        gap = PERSONS_GROUP.fullmatch(doc.scan, person.end, group.start)
        if gap is None or not (owner or gap.group("s")):
            continue
        if any(
            c.property == "leader" and c.subject == group.name and c.value == person.name
            for c in doc.candidates
        ):
            continue  # "al-Sadr's JAM" again: a name in passing, said once is enough
        told = attribution_for(stretches, person.start)
        doc.add(
            "leadership",
            sentence,
            person.start,
            group.end,
            "leader",
            person.name,
            subject=group.name,
            why=f"a person's group: {doc.words(person.start, group.end)!r}",
            attribution=told,
        )


def leader_named(match: re.Match[str], mentions: list[Mention]) -> str | None:
    """The leader a leadership rule's match names (an entity, or a name the database lacks)."""
    return _named(match.group("leader"), match.start("leader"), mentions)


def _named(text: str, at: int, mentions: list[Mention], *, last: bool = False) -> str | None:
    """The entity named in ``text``; with ``last``, the last one ("Iran's IRGC Quds Force" is
    the Quds Force), else the first."""
    # a name the phrase starts inside ("Iran's Islamic Revolutionary Guard Corps Quds Force"
    # read from "Revolutionary") is still the phrase's
    inside = [x for x in mentions if x.start < at + len(text) + 1 and at < x.end]
    if inside:
        return inside[-1 if last else 0].name
    words = text.split()
    while words and words[0].lower().strip("’'") in NOT_NAMES:
        words.pop(0)
    name = re.sub(r"['’]s$", "", " ".join(words)).rstrip(".,’'")
    if len(name) < 3 or name.lower() in NOT_NAMES:
        return None
    return name
