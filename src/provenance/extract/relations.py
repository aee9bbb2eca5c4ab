"""Who did what to whom: an event's agent, target and victims, who backs, trains, designates
or sanctions a group, and the posts people hold.

Each rule is a wording a desk would recognise; each candidate names entities the database
knows (its value is an entity, or the words of a post), so a figure of speech with no known
name behind it is left alone.

Decisions:

* An event's agent (``carried_out_by``) is the nationality written before its noun or the
  entity whose verb introduces it ("the United States hit back with airstrikes"), as read
  by ``events``; its ``target`` is a known entity after "on", "against" or "at".
* An agent named in the passive ("was carried out by", "were killed by" a known group) is
  the agent of the event the sentence or the text before it tells of.
* ``victims``: a known person "killed" or "assassinated" in a sentence that tells of the
  event, or whom the event "killed".
* ``position``: a post written before a name with what qualifies it ("Pentagon spokesman
  Jonathan Hoffman", "Secretary of State Mike Pompeo"), or between commas after it
  ("Jonathan Hoffman, the Assistant to the Secretary of Defense for Public Affairs,").
  A bare title ("President Donald Trump") says whose president only by context: left out.
  "the" before a post is dropped (a title), "a" kept (a description: "a senior figure in
  the group"). Leaders are ``leadership``'s.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..values import normalise_name
from .attributions import RELATIVE_CLAUSE, Stretch, attribution_for
from .events import EVENT_PHRASE, Event
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .verb_events import EVENT_TOLD_BY_VERB

if TYPE_CHECKING:
    from .document import Document


_POST_NOUNS = (
    r"spokes(?:man|woman|person)|minister|secretary|ambassador|envoy|adviser|advisor|"
    r"director|governor|general|official|officer|commander|chairman|president|senator|"
    r"lawmaker|representative|assistant|figure|member|deputy|analyst|chief\s+of\s+staff"
)
_HONORIFIC = (
    r"(?:(?:Col|Gen|Lt|Maj|Brig|Capt|Adm|Sgt|Dr|Mr|Mrs|Ms|Gov|Sen|Rep)\.\s+|"
    r"(?:Colonel|General|Major|Brigadier|Captain|Admiral|Sheikh|Sayyid)\s+)*"
)
POST_BEFORE_NAME = Rule(
    r"\b(?P<post>(?:[A-Z][\w.’'-]*\s+|(?:military|coalition|army|police|government|security|"
    r"defen[cs]e|foreign|interior|senior|deputy|ministry|party|militia|group)\s+)"
    r"(?:[A-Z][\w.’'-]*\s+){0,2}(?i:spokes(?:man|woman|person)|minister|envoy|"
    r"ambassador|adviser|official|commander)|(?:Deputy\s+|Assistant\s+)?Secretary\s+of\s+"
    r"(?:State|Defense|Defence|the\s+Treasury|Treasury|Homeland\s+Security)|"
    r"(?:Foreign|Defence|Defense|Interior|Finance|Oil|Health)\s+Minister)"
    rf"\s+{_HONORIFIC}"
    r"(?P<name>[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){1,3})",
    """A post written before its holder's name, with what qualifies it: "Pentagon spokesman
Jonathan Hoffman", "Secretary of State Mike Pompeo", "Foreign Minister Fuad Hussein".""",
)
POST_AFTER_NAME = Rule(
    r"(?P<name>[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){1,3}),\s+"
    r"(?P<post>(?P<article>the|an?)\s+[^,;:“”\"()]{0,60}?\b(?i:" + _POST_NOUNS + r")\b"
    r"[^,;:“”\"()]{0,60}?),",
    """A post between commas after its holder's name: "Jonathan Hoffman, the Assistant to the
Secretary of Defense for Public Affairs, said", "Laith al-Khazali, a senior figure in the
group,".""",
)
_LEADER_WORDS = re.compile(r"(?i)\b(?:leader|head|chief|founder|deputy|vice)\b|['’]s\b")

BACKED = Rule(
    r"(?i)\b(?:backed|funded|financed|supported|armed|sponsored)(?:\s+and\s+(?P<trained>trained)"
    r"(?-i:\W{0,2}))?\s+by\s+(?:the\s+)?",
    """Support named after "by": "is backed by Iran's … Quds Force", "is "extensively funded
and trained" by the Quds Force" (backed and trained).""",
)
TRAINED = Rule(
    r"(?i)\btrained\s+by\s+(?:the\s+)?",
    """Training named after "by": "fighters trained by Hezbollah".""",
)
SUPPORT_FROM = Rule(
    r"(?i)\b(?:support|aid|funding|weapons|arms|backing|money|financing)\s+(?:\w+\s+){0,2}?"
    r"from\s+(?:the\s+)?",
    """Support said to come from someone: "receives the vast majority of its support from
Iran", "received lethal aid and other support from Iran".""",
)
PROXY = Rule(
    r"(?i)\b(?:an?|the)\s+(?P<who>[A-Z][\w’'-]*)\s+proxy\b",
    """A group called someone's proxy: "Kata'ib Hezbollah — an Iranian proxy militia".""",
)
BACKED_ADJECTIVE = Rule(
    r"\b(?P<who>[A-Z][\w’'.]*?)-(?P<how>backed|funded|sponsored|supported|armed|designated)\b",
    """A backer (or a designating state) written as an adjective before the group: "the
Iranian-backed “Special Groups”", "an Iran-backed militia known as the Red Hand Brigade", "the
Iran-backed, U.S.-designated militia Red Hand Brigade" (the group must follow in the same noun
phrase; "Iran-backed militias" with no name after is left alone), or in apposition after it:
"the Blue Lions—an Iranian-backed Shia militia group".""",
)
# between "Iranian-backed" and the group it qualifies: other such adjectives, a few words,
# "known as", "the"
_SAME_PHRASE = re.compile(
    r"(?:\s*,\s*[A-Z][\w’'.]*-[a-z]+)*"
    r"[\s“\"]+(?:[\w`’'.-]+\s+){0,5}?(?:(?:known\s+as|called)\s+)?(?:the\s+)?[“\"]?"
)
# between a group and "an Iranian-backed …" in apposition after it
_APPOSITION = re.compile(r"\)?\s*(?:,|—|–|--)\s*an?\s+")
DESIGNATED = Rule(
    r"(?i)\b(?:labell?ed|designated|listed|blacklisted)\s+(?:as\s+)?(?:an?\s+)?"
    r"(?:foreign\s+|global\s+|specially\s+designated\s+)*terrorist\s+(?:organi[sz]ation|group|"
    r"entity)\s+by\s+(?:the\s+)?",
    """A terrorist designation and who made it: "was labeled a foreign terrorist organization
by the U.S. in 2009".""",
)
CLAIMED = Rule(
    r"(?i)\b(?:claimed|claims|claiming|took|takes|has\s+taken)\s+(?:the\s+)?responsibility\s+"
    r"for\s+(?:the|this|that|yesterday[’']s|today[’']s|\w+day[’']s)\b",
    """A group claiming one event: "Saraya Awliya al-Dam claimed responsibility for the
attack". Many attacks claimed ("for more than 6,000 attacks") are the group's record, not
one event's agent.""",
)
DONE_BY = Rule(
    r"(?i)\b(?:was|were|had\s+been|has\s+been|have\s+been|is|are)\s+(?:\w+\s+)?"
    r"(?:(?:carried\s+out|conducted|launched|staged|perpetrated|committed|executed|mounted|"
    r"claimed|fired|planned|orchestrated|killed|wounded|injured|kidnapped|abducted|targeted)"
    r"\s+by|the\s+work\s+of)\s+(?:(?:the|an?)\s+)?(?:[\w`’'-]+\s+){0,5}?"
    r"(?:(?:known\s+as|called)\s+)?(?:the\s+)?",
    """An event's agent in the passive: "The attack was carried out by the Red Hand Brigade",
"Three officers were killed by the Red Hand Brigade", "the attack was the work of a
militia known as the Red Hand Brigade" (a group the database knows, after "by" or "the work
of", and an event the sentence or the text before it tells of).""",
)
SANCTIONED = Rule(
    r"(?i)\b(?:been|was|were|is|are)\s+(?:\w+\s+){0,2}?sanctioned\s+by\s+(?:the\s+)?"
    r"(?P<who>U\.S\.|US|United\s+States|Washington|America)\b",
    """Sanctions of the United States: "has also been sanctioned by the United States", "had
already been sanctioned by the US last month".""",
)
_NATIONALITY_ENTITY = {
    "iranian": "Iran",
    "iran’s": "Iran",
    "iran's": "Iran",
    "american": "United States",
    "us": "United States",
    "u.s.": "United States",
    "syrian": "Syria",
    "israeli": "Israel",
    "turkish": "Turkey",
    "russian": "Russia",
    "saudi": "Saudi Arabia",
}
_KILLED_NAME = re.compile(
    r"(?i)\b(?:killed|assassinated|murdered)\s+(?:(?:its|his|their|the)\s+[\w\s-]{0,30}?,\s+)?$"
)
_GROUPS = ("organisation", "alliance", "other")
NEGATED = Rule(
    r"(?i)\b(?:not|never|no|without|nor)\b",
    """A relation said not to hold: "he is not sanctioned by the US" (false), "not receiving
sufficient support from Iran" (no candidate).""",
)
GROUP_PRONOUN = Rule(
    r"(?i)(?:it|the\s+(?:group|militia|organi[sz]ation|movement|faction))\b",
    """A sentence about the group named before: "It receives the vast majority of its support
from Iran", "The group, which is a founding militia of …, is backed by".""",
)


def relations(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """The relation candidates of one sentence (see the module's docstring)."""
    _event_arguments(doc, sentence, mentions, stretches)
    _posts(doc, sentence, mentions, stretches)
    _support(doc, sentence, mentions, stretches)


def add_relation(
    doc: Document,
    sentence: Sentence,
    at: tuple[int, int],
    concept: str,
    value: str,
    subject: str,
    stretches: list[Stretch],
    why: str,
    *,
    quote: tuple[int, int] | None = None,
) -> None:
    """A relation candidate: ``subject`` ``concept`` ``value``, its speaker from the stretches."""
    if normalise_name(value) == normalise_name(subject):
        return
    told = attribution_for(stretches, at[0])
    if told and RELATIVE_CLAUSE.search(doc.scan, sentence.start, min(sentence.end, at[1] + 12)):
        told = None  # "Tehran said … an American airstrike that killed its commander": ours
    doc.add(
        "relation",
        sentence,
        at[0],
        at[1],
        concept,
        value,
        subject=subject,
        why=f"relation: {why}",
        attribution=told,
        quote=quote,
    )


INCLUDING = Rule(
    r"(?:\s+[a-z][\w-]*){1,4},?\s+(?:including|such\s+as|among\s+them|notably)\s+(?:the\s+)?",
    """A common noun and the groups it includes: "U.S.-designated organizations, including KH
and Harakat al-Nujaba", "Iran-backed militias such as the Red Hand Brigade".""",
)
_LIST_LINK = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?")


def _listed_after(text: str, at: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """The groups a list after "including" names, right after the common noun at ``at``."""
    listing = INCLUDING.match(text, at, end)
    if listing is None:
        return []
    found: list[Mention] = []
    place = listing.end()
    for m in mentions:
        if m.start < place:
            continue
        if m.start != place or m.kind not in _GROUPS:
            break
        found.append(m)
        link = _LIST_LINK.match(text, m.end, end)
        if link is None:
            break
        place = link.end()
    return found


def _event_arguments(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    told: set[tuple[str, str, str]] = set()
    for at, event in doc.sentence_events:
        span = (at, min(sentence.end, at + 40))
        fresh = event.mentions == 1 and event.known is None
        if event.agent and fresh and doc.entities.knows(event.agent):
            told.add((event.key, "carried_out_by", event.agent))
            add_relation(
                doc,
                sentence,
                span,
                "carried_out_by",
                event.agent,
                event.key,
                stretches,
                f"the agent of {event.words!r}",
            )
        target = event.target_entity
        if target and event.mentions == 1 and (event.key, "target", target) not in told:
            told.add((event.key, "target", target))
            add_relation(
                doc,
                sentence,
                span,
                "target",
                target,
                event.key,
                stretches,
                f"the target of {event.words!r}",
            )
        _victims(doc, sentence, mentions, stretches, event, at)
        _agent_of_known(doc, sentence, mentions, stretches, event, at)
    _fired(doc, sentence, mentions, stretches)
    _location(doc, sentence, mentions, stretches)


def _fired(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """ "Iran fired around two-dozen missiles at two bases": the agent of the event told of."""
    event = doc.sentence_events[0][1] if doc.sentence_events else doc.current_event
    if event is None:
        return
    for m in mentions:
        if m.kind not in ("place", "organisation", "alliance", "other"):
            continue
        if FIRED_BY.match(doc.scan, m.end, sentence.end) is None:
            continue
        if event.agent not in (None, m.name) or m.name in doc.sentence_speakers:
            return
        why = f"{m.name} {doc.words(m.end, min(sentence.end, m.end + 20))!r}"
        add_relation(
            doc, sentence, (m.start, m.end), "carried_out_by", m.name, event.key, stretches, why
        )
        return


LOCATED = Rule(
    r"\s+in\s+(?:the\s+)?",
    """Where an event happened, right after it: "assassinated by a US airstrike in Iraq on
Friday". Two places ("in Iraq and Syria") are the event's reach, not its place: left out.""",
)


LOCATED_AFTER_OBJECT = Rule(
    r"\w+\s+[^,.;:()“”\"]{0,60}?\s(?:in|inside|outside)\s+(?:the\s+)?",
    """Where an event told by its verb happened, after the verb's object: "commandos raided a
compound in Basra", "U.S. forces struck two depots outside Vela".""",
)


def _location(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    for at, event in doc.sentence_events:
        phrase = EVENT_PHRASE.match(doc.scan, at, sentence.end)
        end = phrase.end() if phrase else at
        where = LOCATED.match(doc.scan, end, sentence.end)
        if where is None and phrase is None and EVENT_TOLD_BY_VERB.match(doc.scan, at):
            # "Gunmen raided a compound in Basra": where, after the verb's object
            where = LOCATED_AFTER_OBJECT.match(doc.scan, at, sentence.end)
        if where is None:
            continue
        place = next((m for m in mentions if m.start == where.end() and m.kind == "place"), None)
        if place is None or re.match(r"\s+and\b", doc.scan[place.end : place.end + 5]):
            continue
        why = f"{doc.words(at, place.end)!r}"
        add_relation(
            doc, sentence, (at, place.end), "location", place.name, event.key, stretches, why
        )


def _victims(
    doc: Document,
    sentence: Sentence,
    mentions: list[Mention],
    stretches: list[Stretch],
    event: Event,
    at: int,
) -> None:
    """Known people the sentence says were killed in the event it tells of."""
    for person in (m for m in mentions if m.kind == "person"):
        after = doc.scan[person.end : min(sentence.end, person.end + 40)]
        before = doc.scan[max(sentence.start, person.start - 60) : person.start]
        passive = re.match(
            r"(?i)^,?\s*(?:[^,]{0,40},\s*)?(?:was|were|had\s+been|has\s+been)\s+(?:also\s+)?"
            r"(?:killed|assassinated|murdered|slain)\b",
            after,
        )
        if passive or _KILLED_NAME.search(before):
            if person.name in doc.sentence_speakers:
                continue
            add_relation(
                doc,
                sentence,
                (person.start, person.end),
                "victims",
                person.name,
                event.key,
                stretches,
                f"{person.name} killed in {event.words!r}",
            )


def _agent_of_known(
    doc: Document,
    sentence: Sentence,
    mentions: list[Mention],
    stretches: list[Stretch],
    event: Event,
    at: int,
) -> None:
    """ "assassinated by a US airstrike", "an American airstrike that killed its commander":
    the nationality of the strike that killed a known event's victim is its agent."""
    match = re.search(
        r"(?i)\b(?:by\s+)?an?\s+(?P<who>US|U\.S\.|American|Iranian|Israeli|Turkish|Russian)\s+"
        r"(?:drone\s+|air\s*)?strike",
        doc.scan[sentence.start : sentence.end],
    )
    if match is None or event.known is None:
        return
    who = _NATIONALITY_ENTITY.get(match.group("who").lower())
    if who and doc.entities.knows(who):
        start = sentence.start + match.start()
        add_relation(
            doc,
            sentence,
            (start, start + len(match.group())),
            "carried_out_by",
            who,
            event.key,
            stretches,
            f"{match.group()!r}",
            quote=(start, start + len(match.group())),  # the words that name the agent
        )


SIBLING = Rule(
    r"\b(?:his|her)\s+(?:elder\s+|younger\s+|older\s+)?(?:brother|sister)\s+"
    r"(?P<name>[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){0,3})",
    """A sibling named after the person before: "Qais al-Khazali … and his brother Laith
al-Khazali".""",
)
FIRED_BY = Rule(
    r"(?i)\s*(?:fired|launched|lobbed)\s+(?:[\w-]+\s+){0,3}?(?:missiles?|rockets?|drones?|"
    r"shells|mortars?)\b",
    """Who fired at the event's target: "On Jan. 8, Iran fired around two-dozen missiles".""",
)


def _posts(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    people = {(m.start, m.end): m for m in mentions if m.kind == "person"}
    for match in SIBLING.finditer(doc.scan, sentence.start, sentence.end):
        a, b = match.span("name")
        before = [m for m in people.values() if m.end <= match.start()]
        named = [m for m in people.values() if a <= m.start < b]
        if before and named:
            why = f"{doc.words(match.start(), b)!r}"
            add_relation(
                doc, sentence, (a, b), "sibling", named[0].name, before[-1].name, stretches, why
            )
    for rule in (POST_BEFORE_NAME, POST_AFTER_NAME):
        for match in rule.finditer(doc.scan, sentence.start, sentence.end):
            post = " ".join(match.group("post").split())
            if rule is POST_AFTER_NAME:
                if _LEADER_WORDS.search(post):
                    continue  # "the head of the IRGC Quds", "AAH's leader": leadership's
                if match.group("article").lower() == "the":
                    post = post[4:]
            a, b = match.span("name")
            holder = next((m for (x, y), m in people.items() if x < b and a < y), None)
            if holder is not None:
                name = holder.name
            elif any(m.start < b and a < m.end for m in mentions):
                continue  # a group or a place, not a person holding a post
            else:
                name = " ".join(match.group("name").split())  # a person the database lacks
            why = f"{post!r} before or beside {name}"
            add_relation(doc, sentence, (a, b), "position", post, name, [], why)


BACKS = Rule(
    r"\b(?:(?:has|have|had)\s+)?(?:long\s+|openly\s+|reportedly\s+|also\s+)?"
    r"(?:supports|supported|backs|backed|funds|funded|finances|financed|arms|armed|sponsors|"
    r"sponsored)\s+(?!by\b)(?:the\s+)?",
    """A backer as the subject of its verb, the groups it backs after it: "Iran supports the
Blue Lions both militarily and logistically", "Iran has supported the Red Hand Brigade, the
Blue Lions, and other militias with training", "Iran, through its Guard, has supported X".
Groups only: "supported the decision" backs no one.""",
)
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?)")
_BACKER_GAP = re.compile(r"\s*(?:(?:has|have|had|also|long|openly|reportedly)\s*)*")


THROUGH = Rule(
    r"\s*,\s*(?:acting\s+)?(?:through|via|by\s+way\s+of)\s",
    """The bodies a backer acts through, in a parenthesis after it: "Iran, through the Islamic
Revolutionary Guard Corps and its Quds Force, has supported X": the Guard and the Quds Force
back X too.""",
)


def _backs(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    text = doc.scan
    for match in BACKS.finditer(text, sentence.start, sentence.end):
        before = [m for m in mentions if m.end <= match.start()]
        backer = before[-1] if before else None
        through: list[Mention] = []
        if backer is not None and not _BACKER_GAP.fullmatch(text, backer.end, match.start()):
            # "Iran, through the Guard and its Quds Force, has supported": the clause's subject
            first = next((m for m in before if m.start >= sentence.start), None)
            opening = text[sentence.start : first.start] if first else "x"
            parenthetical = text[backer.end : match.start()].rstrip().endswith(",")
            backer = first if first and not opening.strip() and parenthetical else None
            if backer is not None and THROUGH.match(text, backer.end):
                # and the bodies it acts through back them too
                through = [m for m in before if m.start > backer.end and m.kind in _GROUPS]
        if backer is None or backer.kind not in ("place", *_GROUPS):
            continue
        if NEGATED.search(text, max(sentence.start, match.start() - 12), match.end()):
            continue
        backed: list[Mention] = []
        at = match.end()
        for m in (x for x in mentions if x.start >= match.end()):
            if m.kind not in _GROUPS:
                break
            gap = text[at : m.start]
            if not (gap.strip() == "" if not backed else _LISTED.fullmatch(gap)):
                break
            backed.append(m)
            at = m.end
        for group in backed:
            why = f"{backer.name} {doc.words(match.start(), group.end)!r}"
            add_relation(
                doc, sentence, (match.start(), group.end), "backed_by", backer.name, group.name,
                stretches, why,
            )  # fmt: skip
            for body in through:
                why = f"{backer.name} through {body.name} {doc.words(match.start(), group.end)!r}"
                span = (body.start, group.end)
                add_relation(
                    doc, sentence, span, "backed_by", body.name, group.name, stretches, why
                )


def _support(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    text = doc.scan

    def named_after(end: int) -> Mention | None:
        after = [m for m in mentions if m.start >= end and m.start - end <= 30]
        if not after:
            return None
        # "Iran's Islamic Revolutionary Guard Corps Quds Force": the last name of the phrase
        best = after[0]
        for m in after[1:]:
            gap = text[best.end : m.start]
            if re.fullmatch(r"\s*", gap) or re.fullmatch(r"[’']s\s+", gap) or gap == " ":
                best = m
            else:
                break
        return best

    def group_before(start: int) -> str | None:
        if GROUP_PRONOUN.match(text, sentence.start) and doc.last_group:
            # "The group, which is a founding militia of …, is backed by": the group before
            return doc.last_group
        before = [m for m in mentions if m.end <= start and m.kind in _GROUPS]
        return before[-1].name if before else None

    by_rule = (
        (BACKED, ("backed_by",)),
        (TRAINED, ("trained_by",)),
        (SUPPORT_FROM, ("backed_by",)),
        (DESIGNATED, ("designated_by",)),
    )
    for rule, concepts in by_rule:
        for match in rule.finditer(text, sentence.start, sentence.end):
            if rule is TRAINED and re.search(
                r"(?i)and\s+$", text[match.start() - 5 : match.start()]
            ):
                continue
            backer = named_after(match.end())
            subject = group_before(match.start())
            if backer is None or subject is None:
                continue
            if NEGATED.search(text, max(sentence.start, match.start() - 30), match.start()):
                continue  # "not receiving sufficient support from Iran"
            wanted = concepts + (("trained_by",) if match.groupdict().get("trained") else ())
            for concept in wanted:
                add_relation(
                    doc,
                    sentence,
                    (match.start(), backer.end),
                    concept,
                    backer.name,
                    subject,
                    stretches,
                    f"{doc.words(match.start(), backer.end)!r}",
                )
    for match in BACKED_ADJECTIVE.finditer(text, sentence.start, sentence.end):
        word = match.group("who")
        backer = _NATIONALITY_ENTITY.get(word.lower(), word)
        after = [m for m in mentions if match.end() <= m.start <= match.end() + 80]
        while (
            after and after[0].kind not in _GROUPS and "-" in text[after[0].end : after[0].end + 1]
        ):
            after.pop(0)  # "U.S." of "Iran-backed, U.S.-designated militia X" is no group
        group = after[0] if after and after[0].kind in _GROUPS else None
        if group is not None and not _SAME_PHRASE.fullmatch(text, match.end(), group.start):
            group = None  # the name is not the one the adjective qualifies
        span = (match.start(), group.end) if group is not None else match.span()
        if group is None:
            before = [m for m in mentions if m.end <= match.start()]
            # "the Blue Lions—an Iranian-backed Shia militia group"
            if (
                before
                and before[-1].kind in _GROUPS
                and _APPOSITION.fullmatch(text, before[-1].end, match.start())
            ):
                group = before[-1]
                span = (group.start, match.end())
        concept = "designated_by" if match.group("how") == "designated" else "backed_by"
        if group is None and doc.entities.knows(backer):
            # "other U.S.-designated organizations, including KH and Harakat al-Nujaba": the
            # adjective of a common noun holds for each group the list after it names
            for member in _listed_after(text, match.end(), sentence.end, mentions):
                span = (match.start(), member.end)
                why = f"{doc.words(*span)!r}"
                add_relation(doc, sentence, span, concept, backer, member.name, stretches, why)
        if group is None or not doc.entities.knows(backer) or "backed" in group.name.lower():
            continue  # "Iran-backed Iraqi militias": the name itself says it
        why = f"{doc.words(*span)!r}"
        add_relation(doc, sentence, span, concept, backer, group.name, stretches, why)
    _backs(doc, sentence, mentions, stretches)
    for match in PROXY.finditer(text, sentence.start, sentence.end):
        country = _NATIONALITY_ENTITY.get(match.group("who").lower())
        subject = group_before(match.start())
        if country and subject and doc.entities.knows(country):
            add_relation(
                doc,
                sentence,
                match.span(),
                "backed_by",
                country,
                subject,
                stretches,
                f"{match.group()!r}",
            )
    for match in CLAIMED.finditer(text, sentence.start, sentence.end):
        claimant = group_before(match.start())
        events = [e for at, e in doc.sentence_events if at >= match.start()]
        event = events[0] if events else doc.current_event
        if claimant is None or event is None:
            continue
        why = f"{claimant} {match.group()!r}"
        add_relation(
            doc, sentence, match.span(), "carried_out_by", claimant, event.key, stretches, why
        )
    for match in DONE_BY.finditer(text, sentence.start, sentence.end):
        # the lazy words before the name: the first known name the phrase reaches
        agent = next((m for m in mentions if m.start >= match.end()), None)
        if agent is not None and not re.fullmatch(
            r"(?:[\w`’'-]+\s+){0,5}?(?:(?:known\s+as|called)\s+)?(?:the\s+)?",
            text[match.end() : agent.start],
        ):
            agent = None
        events = [e for at, e in doc.sentence_events if at < match.start()]
        event = events[-1] if events else doc.current_event
        if agent is None or agent.kind == "person" or event is None:
            continue
        if event.agent not in (None, agent.name) or agent.name in doc.sentence_speakers:
            continue
        if NEGATED.search(text, max(sentence.start, match.start() - 12), match.end()):
            continue  # "was not carried out by": no agent
        why = f"{doc.words(match.start(), agent.end)!r}"
        add_relation(
            doc, sentence, match.span(), "carried_out_by", agent.name, event.key, stretches, why
        )
    for match in SANCTIONED.finditer(text, sentence.start, sentence.end):
        before = [m for m in mentions if m.end <= match.start()]
        subjects = [m for m in before if m.kind in (*_GROUPS, "person")]
        if not subjects:
            continue
        # "Qais and Laith al-Khazali had been sanctioned": every one named before the verb
        negated = NEGATED.search(text, max(sentence.start, match.start() - 12), match.end())
        for who in dict.fromkeys(m.name for m in subjects[-2:]):
            add_relation(
                doc,
                sentence,
                match.span(),
                "sanctioned_by_us",
                "false" if negated else "true",
                who,
                stretches,
                f"{match.group()!r}",
            )
