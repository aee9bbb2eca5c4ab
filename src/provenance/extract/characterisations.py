"""What is said of someone in words rather than figures: what they are accused of, what
they demand, what they are called, why they acted, what they do and what they are there for.

Each rule is a wording a desk would recognise, and its value is the text's own words (the
complement of the verb, to the end of its clause), so an editor checks it against the
quote at a glance. The six properties are text (``accused_of``, ``demanded``,
``described_as``, ``stated_reason``, ``activity``, ``mission``).

Decisions:

* A value ends where its clause does: at a full stop, semicolon, colon, dash or comma; a
  name closing the sentence after a comma ("…an airstrike that killed its commander,
  Qassem Soleimani.") is an apposition of the noun before it and stays in.
* Quotation marks inside a value are dropped (the quote keeps them): a desk writes what
  was said, not how the article typeset it.
* The subject is a known entity the wording names (after "accused", before "is
  responsible for"), or what "it"/"the group" and "he"/"she" refer back to; where none is
  found, no candidate is offered. A reason is about the event the sentence tells of.
* The speaker is the attribution of the stretch the value stands in (``attributions``);
  "accused X of" and "described X as" are themselves reported speech, so their speaker is
  the one who accuses or describes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..values import normalise_name
from .attributions import Stretch, attribution_for
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .subjects import NOT_NAMES, PRONOUNS

if TYPE_CHECKING:
    from .document import Document


_PEOPLE_OR_GROUPS = ("person", "organisation", "alliance", "other")
_HE = re.compile(r"(?i)\s*(?:he|she)\b")
_IT = re.compile(r"(?i)\s*(?:it|they|the\s+(?:group|militia|organi[sz]ation|movement|faction))\b")

ACCUSED = Rule(
    r"(?i)\b(?:accused|accuses|accusing)\s+(?P<who>[^.;:“”\"]{1,80}?)\s+of\s+(?P<what>\S)",
    """An accusation and whom it is made against: "the minister accused the militia of
smuggling fuel across the border" (the militia is accused of smuggling fuel …).""",
)
ACCUSED_PASSIVE = Rule(
    r"(?i)\b(?:is|are|was|were|been|being|stands?|stood)\s+(?:also\s+|widely\s+)?accused\s+of\s+"
    r"(?P<what>\S)",
    """An accusation without its accuser: "The company was accused of bribing officials".""",
)
BLAMED = Rule(
    r"(?i)\b(?:blamed|blames|critici[sz]ed|critici[sz]es|chastised|condemned|condemns)\s+"
    r"(?P<who>[^.;:“”\"]{1,60}?)\s+for\s+(?P<what>\S)",
    """Blame for something done: "the council blamed the contractor for delaying the
bridge" (the contractor is accused of delaying the bridge).""",
)
DEMANDED = Rule(
    r"(?i)\b(?:demanded|demands|demanding|called\s+for|calls\s+for|calling\s+for|"
    r"insisted\s+on|insists\s+on)\s+(?:that\s+)?(?P<what>\S)",
    """A demand and who makes it: "The union demanded the release of the detained
workers", "the party called for early elections".""",
)
DESCRIBED = Rule(
    r"(?i)\bdescrib(?:ed|es|ing)\s+(?!how\b|what\b|why\b|that\b|the\s+process\b)"
    r"(?P<who>[^.;:“”\"]{1,60}?)\s+as\s+(?P<what>\S)",
    """A description and whom it is of: "She described the governor as a careful and
honest administrator".""",
)
CALLED_QUOTED = Rule(
    r"(?i)\b(?:called|calls|calling|dubbed|dubs|labell?ed|branded|brands|termed)\s+"
    r"(?P<who>[^.;:“”\"]{0,60}?)\s*(?P<what>(?:(?:an?|the)\s+)?[“\"][^“”\"]{3,80}[”\"])"
    r"(?:\s+by\s+(?:the\s+)?(?P<by>[A-Z][^,.;:“”\"]{1,40}))?",
    """A name given in quotation marks: "the mayor called the plan a “reckless gamble”",
"The raids, called “precautionary measures” by the ministry" (the raids, by the
ministry).""",
)
QUOTED_PREDICATE = Rule(
    r"(?:[“\"](?:is|are|was|were)\s+|\b(?:is|are|was|were)\s+[“\"])(?P<what>[^“”\"]{3,120})[”\"]",
    """What someone is, in a speaker's quoted words: the envoy said the militia “is a
criminal gang”, the envoy said the militias “are instruments of a foreign power”.""",
)
LEANING = Rule(
    r"\b(?P<what>pro-[A-Z][\w’'-]+|[A-Z][\w’'-]+-(?:linked|aligned|allied|influenced|"
    r"affiliated|leaning|friendly))\s+$",
    """A leaning written before a name: "the pro-Russian Unity Party", "the Moscow-aligned
Unity Party" (backing, "Russian-backed", is ``backed_by``'s).""",
)
REASON = Rule(
    r"(?i)\bin\s+(?P<what>(?:retaliation|response|revenge|reprisal)\s+(?:to|for)\s+\S)",
    """Why an event happened, as the text gives it: "The navy shelled the port in
retaliation for the sinking of a patrol boat".""",
)
RESPONSIBLE = Rule(
    r"(?i)\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:also\s+|largely\s+)?"
    r"responsible\s+for\s+(?P<what>\S)",
    """What a group or person does, as their record: "The cartel has been responsible for
dozens of kidnappings in the north".""",
)
DOING = Rule(
    r",\s+(?P<what>(?:directing|leading|overseeing|commanding|running|coordinating|"
    r"orchestrating|organi[sz]ing|funding|financing|arming|training|recruiting)\s+[^;:“”\"]+?)"
    r"\s*[.!?]?[”’\"]?\s*$",
    """What a person or group does, told after the sentence's main clause: "Ortiz was the
cartel's chief of staff, running its finances in three provinces".""",
)
ORDERED = Rule(
    r"(?i)\b(?P<what>(?:ordered|instructed)\s+(?:his|her|their|its)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:fighters|followers|forces|supporters|men|members|troops|units|officers)\s+to\s+\S)",
    """An order given to one's own people: "the commander ordered his units to withdraw
from the valley".""",
)
MISSION_IS = Rule(
    r"(?i)\b(?:mission|missions|task|tasks|mandate|role)\b(?:\s+of\s+(?P<of>[^,.;:]{1,60}?))?"
    r"\s+(?:is|are|was|were|remains?|remained)\s+(?:(?:limited|restricted|confined)\s+to|to)\s+"
    r"(?P<what>\S)",
    """What a mission is for: "The tasks of the observer mission are limited to monitoring
the ceasefire", "Its mandate is to protect civilians".""",
)
PRESENT_TO = Rule(
    r"\b(?:is|are|remains|remain)\s+(?:deployed\s+|stationed\s+|present\s+)?in\s+"
    r"(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?"
    r"(?:\s+at\s+the\s+(?:invitation|request)\s+of\s+[^,.;:]{1,60}?)?"
    r"\s+(?:in\s+order\s+)?to\s+(?P<what>[a-z]\S*)",
    """Why a force is in a country: "The peacekeepers are in Cyprus at the invitation of the
government to keep the two communities apart".""",
)


def characterisations(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """The text-valued candidates of one sentence (see the module's docstring)."""
    _accusations(doc, sentence, mentions, stretches)
    _demands(doc, sentence, mentions, stretches)
    _descriptions(doc, sentence, mentions, stretches)
    _reasons(doc, sentence, mentions, stretches)
    _activities(doc, sentence, mentions, stretches)
    _missions(doc, sentence, mentions, stretches)


_CLAUSE_END = re.compile(r"[.;:!?](?=[\s”’\"')\]]|$)|\s[—–]\s|—|,")
_ABBREVIATED = re.compile(r"(?:\b[A-Z]|\b[A-Z]\.[A-Z]|\b(?:St|Dr|Mr|Mrs|Ms|Gen|Col|No))$")
_NAME_AFTER = re.compile(
    r"\s+(?:the\s+)?(?:al-)?[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){0,3}"
    r"(?=\s*(?:,|[.!?]?[”’\"]?\s*$))"
)
# the rest of a list after a comma: short items, then "and"/"or" and a last one of a few words
# words that open a new clause after "and", not a list's last item: ", and would do so again"
_CLAUSE_OPENERS = (
    r"(?:would|will|could|can|should|may|might|must|has|have|had|was|were|is|are|did|does|"
    r"then|also|even|later|said|says|added|so|yet|not)\b"
)
_LIST_REST = re.compile(
    r"(?:(?:\s+(?!and\b|or\b)[\w’'-]+(?:\s+[\w’'-]+){0,2},)+|\s+(?!and\b|or\b)[\w’'-]+"
    r"(?:\s+[\w’'-]+){0,2})\s+(?:and|or)\s+(?!" + _CLAUSE_OPENERS + r")"
    r"[\w’'-]+(?:\s+[\w’'-]+){0,4}(?=\s*(?:[,.;:!?”\"]|$))"
)


def value_end(text: str, start: int, end: int) -> int:
    """Where a value starting at ``start`` ends: its clause's end (see the module doc).

    A value opened by a quotation mark ends where the quotation closes. A comma ends the
    value unless it separates the items of a list ("an incompetent, mercurial, and paranoid
    leader") or puts a name after a common noun ("its commander, Qassem Soleimani"); a name
    after a name ("Kirkuk, Iraq") is where the first one is, not part of the value."""
    if start < end and text[start] in '“"':
        close = re.compile(r"[”\"]").search(text, start + 1, end)
        if close is not None:
            return close.end()
    at = start
    listed_once = False
    while True:
        match = _CLAUSE_END.search(text, at, end)
        if match is None:
            return end
        mark = match.group()
        if mark == "." and _ABBREVIATED.search(text, start, match.start()):
            at = match.end()  # "U.S. base": an abbreviation, not the clause's end
            continue
        if mark == ",":
            listed = None if listed_once else _LIST_REST.match(text, match.end(), end)
            if listed is not None:  # one list: ", and praised his budget" is a new clause
                at, listed_once = listed.end(), True
                continue
            before = text[start : match.start()].split()
            name = _NAME_AFTER.match(text, match.end(), end)
            if name is not None and before and before[-1][:1].islower():
                at = name.end()  # "… that killed its commander, Qassem Soleimani"
                continue
        return match.start()


def text_value(words: str) -> str:
    """The words of a value as a desk writes them: no quotation marks, one space, no final
    punctuation."""
    words = re.sub(r"[“”\"]", "", words)
    words = " ".join(words.split())
    return words.strip(" ,.;:")


def _ends(doc: Document, sentence: Sentence) -> int:
    end = sentence.end
    while end > sentence.start and doc.scan[end - 1] in ".!?”’\"') ":
        end -= 1
    return end


_NAME = re.compile(
    r"(?<![\w’'-])(?:(?:al|el)-)?[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+|of\s+the\s+)?"
    r"[A-Z][\w’'-]+){0,4}"
)


def _named_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start and m.end <= end and m.kind != "place"]


def _names_in(doc: Document, mentions: list[Mention], start: int, end: int) -> list[str]:
    """Who the words at [start, end) name: known entities, else a capitalised name the
    database lacks (as ``position`` does), so the first reading already offers it."""
    known = _named_in(mentions, start, end)
    if known:
        return [m.name for m in known]
    if any(m.start < end and start < m.end for m in mentions):
        return []  # a place, or a name only partly in the words
    names = []
    for match in _NAME.finditer(doc.scan, start, end):
        words = match.group().split()
        while words and words[0].lower().strip("’'") in NOT_NAMES | PRONOUNS:
            words.pop(0)
        if words:
            names.append(" ".join(words))
    return names


def _before(doc: Document, mentions: list[Mention], sentence: Sentence, at: int) -> str | None:
    """Who the words before ``at`` are about: the last person or group named in the
    sentence before them (not its speaker), or what a pronoun at its start refers to."""
    named = [
        m
        for m in mentions
        if m.end <= at and m.kind in _PEOPLE_OR_GROUPS and m.name not in doc.sentence_speakers
    ]
    if named:
        return named[-1].name
    if _IT.match(doc.scan, sentence.start):
        return doc.last_group
    if _HE.match(doc.scan, sentence.start):
        return doc.previous_person
    # a name the database lacks, in the clause before the words: "while Daqduq was"
    breaks = [m.end() for m in re.finditer(r"[,;:—]", doc.scan[sentence.start : at])]
    clause_start = sentence.start + (breaks[-1] if breaks else 0)
    if any(clause_start <= m.start < at for m in mentions):
        return None  # a place or a speaker named there: not a guess to make
    names = _names_in(doc, [], clause_start, at)
    return names[-1] if names else None


def _who_says(
    doc: Document, mentions: list[Mention], sentence: Sentence, at: int, subject: str
) -> str | None:
    """Who accuses or describes ``subject`` with the verb at ``at``: the one named before
    the verb, or whom "he"/"she" refers to; nobody accuses or describes himself in the
    third person, so "He described al-Sadr as" is the last other speaker or person."""
    who = _before(doc, mentions, sentence, at)
    if who != subject:
        return who
    if _HE.match(doc.scan, sentence.start):
        others = [p for p in [*reversed(doc.speakers), doc.previous_person] if p and p != subject]
        return others[0] if others else None
    return None


def _offer(
    doc: Document,
    sentence: Sentence,
    concept: str,
    subject: str | None,
    start: int,
    end: int,
    stretches: list[Stretch],
    why: str,
    *,
    speaker: str | None = None,
) -> None:
    value = text_value(doc.scan[start:end])
    if subject is None or len(value.split()) < 1 or len(value) < 3:
        return
    if normalise_name(value) == normalise_name(subject):
        return
    told = attribution_for(stretches, start)
    if speaker is not None:
        told = (speaker, "asserts")
    if told is not None and told[0] == subject:
        told = None  # "he" read as the person described: not who describes him
    doc.add(
        "relation",
        sentence,
        start,
        end,
        concept,
        value,
        subject=subject,
        why=f"{concept}: {why}",
        attribution=told,
    )


def _accusations(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    limit = _ends(doc, sentence)
    for rule in (ACCUSED, BLAMED):
        for match in rule.finditer(doc.scan, sentence.start, sentence.end):
            a, b = match.span("who")
            subjects = _names_in(doc, mentions, a, b)
            if not subjects and _HE.match(doc.scan, a) and doc.previous_person:
                subjects = [doc.previous_person]
            start = match.start("what")
            end = value_end(doc.scan, start, limit)
            for subject in dict.fromkeys(subjects):
                accuser = _who_says(doc, mentions, sentence, match.start(), subject)
                _offer(
                    doc,
                    sentence,
                    "accused_of",
                    subject,
                    start,
                    end,
                    stretches,
                    repr(doc.words(match.start(), end)),
                    speaker=accuser,
                )
    for match in ACCUSED_PASSIVE.finditer(doc.scan, sentence.start, sentence.end):
        start = match.start("what")
        end = value_end(doc.scan, start, limit)
        accused = _before(doc, mentions, sentence, match.start())
        why = repr(doc.words(match.start(), end))
        _offer(doc, sentence, "accused_of", accused, start, end, stretches, why)


def _demands(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    limit = _ends(doc, sentence)
    for match in DEMANDED.finditer(doc.scan, sentence.start, sentence.end):
        start = match.start("what")
        end = value_end(doc.scan, start, limit)
        subject = _before(doc, mentions, sentence, match.start())
        why = repr(doc.words(match.start(), end))
        _offer(doc, sentence, "demanded", subject, start, end, stretches, why)


def _descriptions(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    subject: str | None
    speaker: str | None
    limit = _ends(doc, sentence)
    for match in DESCRIBED.finditer(doc.scan, sentence.start, sentence.end):
        described = _names_in(doc, mentions, *match.span("who"))
        if not described:
            continue
        start = match.start("what")
        end = value_end(doc.scan, start, limit)
        why = repr(doc.words(match.start(), end))
        subject = described[-1]
        speaker = _who_says(doc, mentions, sentence, match.start(), subject)
        _offer(doc, sentence, "described_as", subject, start, end, stretches, why, speaker=speaker)
    for match in CALLED_QUOTED.finditer(doc.scan, sentence.start, sentence.end):
        described = _names_in(doc, mentions, *match.span("who"))
        start, end = match.span("what")
        why = repr(match.group())
        by = match.group("by")
        if described:
            subject = described[-1]
            speaker = _before(doc, mentions, sentence, match.start())
        elif by:  # "The raids, called “…” by the ministry": what stands before
            events = [e for at, e in doc.sentence_events if at < match.start()]
            subject = events[-1].key if events else _before(doc, mentions, sentence, match.start())
            a, b = match.span("by")
            named = [m for m in mentions if m.start < b and a < m.end]  # "the Pentagon"
            speaker = named[0].name if named else None
        else:
            continue
        speaker = speaker if speaker != subject else None
        _offer(doc, sentence, "described_as", subject, start, end, stretches, why, speaker=speaker)
    for match in QUOTED_PREDICATE.finditer(doc.scan, sentence.start, sentence.end):
        start, end = match.span("what")
        first = match.group("what").split()[0].lower()
        if first in {"not", "no", "to", "also", "still", "being", "going", "about"} or (
            re.search(r"(?:ed|ing)$", first) is not None
        ):
            continue  # "is not", "are going to", "was killed": no description
        if attribution_for(stretches, start) is None:
            continue  # the article's own words in quotation marks
        if re.match(r"\s+by\b", doc.scan[match.end() : match.end() + 4]):
            continue  # "is “extensively funded” by": a passive, said of someone else
        subject = _before(doc, mentions, sentence, match.start())
        why = repr(match.group())
        _offer(doc, sentence, "described_as", subject, start, end, stretches, why)
    for m in mentions:
        if m.kind not in ("organisation", "alliance", "other"):
            continue
        lean = LEANING.search(doc.scan, max(sentence.start, m.start - 40), m.start)
        if lean is None:
            continue
        start, end = lean.span("what")
        why = repr(doc.words(start, m.end))
        _offer(doc, sentence, "described_as", m.name, start, end, stretches, why)


def _reasons(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    limit = _ends(doc, sentence)
    for match in REASON.finditer(doc.scan, sentence.start, sentence.end):
        # what the sentence told of before the reason, else what the text told of before it:
        # the event after "in retaliation for" is the cause, never the subject
        events = [e for at, e in doc.sentence_events if at < match.start()]
        event = events[-1] if events else doc.event_before
        if event is None:
            continue
        start = match.start("what")
        end = value_end(doc.scan, start, limit)
        why = repr(doc.words(match.start(), end))
        _offer(doc, sentence, "stated_reason", event.key, start, end, stretches, why)


_EVENT_RECORD = re.compile(
    r"(?i)(?:the|this|that|these|those)\s+(?:\w+\s+){0,2}?(?:attacks?|strikes?|bombings?|"
    r"killings?|assassinations?|raids?|deaths?)\b"
)


def _activities(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    limit = _ends(doc, sentence)
    for match in RESPONSIBLE.finditer(doc.scan, sentence.start, sentence.end):
        start = match.start("what")
        if _EVENT_RECORD.match(doc.scan, start):
            continue  # "responsible for the attack": who carried out one event
        end = value_end(doc.scan, start, limit)
        subject = _before(doc, mentions, sentence, match.start())
        why = repr(doc.words(match.start(), end))
        _offer(doc, sentence, "activity", subject, start, end, stretches, why)
    for match in ORDERED.finditer(doc.scan, sentence.start, sentence.end):
        start = match.start("what")
        end = value_end(doc.scan, match.end() - 1, limit)
        subject = _before(doc, mentions, sentence, match.start())
        why = repr(doc.words(start, end))
        _offer(doc, sentence, "activity", subject, start, end, stretches, why)
    doing = DOING.search(doc.scan, sentence.start, sentence.end)
    if doing is not None:
        first = [
            m
            for m in mentions
            if m.kind in _PEOPLE_OR_GROUPS and not doc.scan[sentence.start : m.start].strip(' “"')
        ]
        if first:  # the sentence is about whom it starts with
            start, end = doing.span("what")
            why = repr(doc.words(start, end))
            _offer(doc, sentence, "activity", first[0].name, start, end, stretches, why)


def _missions(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    limit = _ends(doc, sentence)
    for match in MISSION_IS.finditer(doc.scan, sentence.start, sentence.end):
        named = _named_in(mentions, *match.span("of")) if match.group("of") else []
        subject = named[-1].name if named else _before(doc, mentions, sentence, match.start())
        start = match.start("what")
        end = value_end(doc.scan, start, limit)
        why = repr(doc.words(match.start(), end))
        _offer(doc, sentence, "mission", subject, start, end, stretches, why)
    for match in PRESENT_TO.finditer(doc.scan, sentence.start, sentence.end):
        subject = _before(doc, mentions, sentence, match.start())
        start = match.start("what")
        end = value_end(doc.scan, start, limit)
        why = repr(doc.words(match.start(), end))
        _offer(doc, sentence, "mission", subject, start, end, stretches, why)
