"""Figures: counts, money, shares, durations, ranks, with their bounds and what they count."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from .. import lexicon
from ..errors import InvalidValue
from ..values import parse_value
from .attributions import attribution_for
from .events import EVENT_KEY
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .subjects import subject_of

if TYPE_CHECKING:
    from .document import Document


_SCALE = rf"(?:\s*(?:{lexicon.SCALE_PATTERN}))"
_AMOUNT = (
    rf"(?:{lexicon.CURRENCY_SIGN_PATTERN}\s?)?(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"{_SCALE}?"
)

QUANTITY = Rule(
    rf"""(?ix)
    (?:\b(?P<op>{lexicon.OPERATOR_PATTERN})\s+)?
    (?:
        (?P<plural>hundreds|thousands|millions|dozens|tens)\s+of(?:\s+(?P<plural2>millions|thousands|billions)\s+of)?
      | (?P<fraction>one[-\s]and[-\s]a[-\s]half|(?:one|a|two)[-\s](?:thirds?|quarters?))
      | (?P<low>{_AMOUNT}|\b{lexicon.WORD_NUMBER}\b)
        (?:\s*(?:-|–|to|or)\s*(?P<high>{_AMOUNT}|\b{lexicon.WORD_NUMBER}\b))?
    )
    (?P<pct>\s*(?:{lexicon.PERCENT_PATTERN}))?
    """,
    """A figure with its bound or approximation.

Examples from the seeds: "15 of the 48 seats", "$750,000-$1,000,000", "$2-$3 million",
"more than 100", "roughly a dozen", "1.65 million", "at least 70 times", "nearly
one-third", "hundreds of millions of dollars", "one or two attacks a day".
""",
)

ELLIPSIS = Rule(
    rf"(?i)\b(?:\d+|{lexicon.WORD_NUMBER})\s+(?P<noun>[a-z][\w-]*)\s+(?:in|at|on|from)\s+"
    r"[^,;:.]{1,40}?\s+and\s+$",
    """A counted noun said once for two figures: "hitting four positions in Vela and two in
Corsa" (two positions).""",
)
NO_CASUALTIES = Rule(
    r"(?i)\b(?:did\s+not|didn[’']t|no|without)\s+(?:cause\s+)?(?:any\s+)?"
    r"(?P<what>casualties|(?P<deaths>deaths|fatalities)|(?P<injuries>injuries))"
    r"(?:\s+(?:or|and)\s+(?:(?P<deaths2>deaths|fatalities)|(?P<injuries2>injuries)))?\b",
    """No one killed or wounded: "the attack did not cause any casualties", "there were no
deaths or injuries" (both), "no injuries" (wounded only), "no fatalities" (killed only).""",
)

ONE_DEATH = Rule(
    r"(?i)\b(?:a|an)\s+(?P<noun>(?:[A-Z.]{2,5}\s+)?[a-z]+)\s+(?:had\s+|has\s+)?(?:died|was\s+killed)\b",
    """One death told with an article: "a US contractor had died during the raid".""",
)

NTH_EVENT = Rule(
    r"\b(?:the|its|their)\s+(?P<n>\d{1,4})(?:st|nd|rd|th)\s+"
    r"(?P<what>(?:[\w-]+\s+){0,2}(?:attack|strike|airstrike|bombing|raid|protest|election|"
    r"session|meeting|visit)s?\b(?:[^,.;:]|\.(?=\S)|(?<=[A-Z])\.){0,70}?)"
    r"(?=[,;:]|(?<![A-Z])\.(?:\s|$)|$)",
    """An event counted in its series: "was the 11th rocket attack on the U.S. forces in Iraq
in the past two months" (11 such attacks, this one included).""",
)
FINISHED_RANK = Rule(
    r"(?i)\bfinished\s+(?P<rank>first|second|third|fourth|fifth|sixth)\b",
    """A place in an election: "they finished second behind … Saairun Coalition".""",
)

# what a number must not be: a footnote-like series number, a time of day, a unit name
_NOT_A_FIGURE_BEFORE = re.compile(
    r"(?i)(?:report|no\.|nos\.|rct-|shahed|p\.|pp\.|page|chapter|article|resolution|\d:|[a-z]-)\s*$"
    r"|[A-Za-z]$"  # a name with a number in it: "the K1 base", "the T90 tank"
)
_NOT_A_FIGURE_AFTER = re.compile(
    r"^(?::\d|[a-zA-Z]|-(?!(?:year|month|week|day|decade)s?\b)[a-zA-Z]|\s*(?:am|pm|a\.m\.|p\.m\.)\b)"
)

_COUNTED_STOP = {
    "in",
    "on",
    "at",
    "and",
    "or",
    "to",
    "for",
    "from",
    "with",
    "by",
    "who",
    "which",
    "that",
    "were",
    "was",
    "is",
    "are",
    "had",
    "have",
    "has",
    "be",
    "been",
    "will",
    "would",
    "could",
    "during",
    "into",
    "across",
    "after",
    "before",
    "since",
    "while",
    "as",
    "than",
    "but",
    "if",
    "so",
    "because",
    "per",
    "a",
    "an",
    "told",
    "said",
    "says",
    "won",
    "held",
    "answer",
    "even",
    "though",
    "not",
}
_DETERMINERS = {
    "the",
    "our",
    "their",
    "his",
    "its",
    "her",
    "these",
    "those",
    "other",
    "of",
    "my",
    "your",
}
_DURATION_UNITS: dict[str, int | Decimal] = {
    "year": 1,
    "years": 1,
    "month": Decimal(1) / 12,
    "months": Decimal(1) / 12,
    "week": Decimal(7) / 365,
    "weeks": Decimal(7) / 365,
    "day": Decimal(1) / 365,
    "days": Decimal(1) / 365,
    "decade": 10,
    "decades": 10,
}
_AGE = re.compile(r"(?i)^(?:-|\s)years?(?:-|\s)old\b")
_RELATIVE_AFTER = re.compile(r"(?i)^\s*(?:later|ago|earlier|after|before|since|afterwards)\b")
_RELATIVE_BEFORE = re.compile(r"(?i)\b(?:past|last|next|previous|coming|following|first|few)\s*$")
_PEOPLE_GROUPS = {
    "shia",
    "shiites",
    "sunnis",
    "sunni",
    "kurds",
    "christians",
    "yazidis",
    "people",
    "residents",
    "inhabitants",
    "citizens",
}
# figures that are about an event (the attack), whoever else the sentence names
_OF_EVENTS = {"killed", "wounded", "hostages", "kidnapped_and_killed", "attackers"}
_ATTACKER_NOUNS = {"militants", "attackers", "gunmen", "assailants", "fighters"}
_PERSONNEL_NOUNS = {"personnel", "troops", "staff", "members"}
# people a figure of one counts ("one service member was taken to Kuwait")
_PEOPLE_NOUNS = {
    "member", "members", "soldier", "soldiers", "contractor", "contractors", "civilian",
    "civilians", "fighter", "fighters", "commander", "commanders", "officer", "officers",
    "person", "people", "protester", "protesters", "child", "children", "woman", "women",
    "man", "men", "worker", "workers", "guard", "guards", "policeman", "policemen",
    "troops", "personnel",
}  # fmt: skip
# what is fired in an attack: "around two-dozen missiles", "six rockets"
_FIRED = {
    "missile": "missiles_fired",
    "missiles": "missiles_fired",
    "rocket": "rockets_fired",
    "rockets": "rockets_fired",
    "drone": "drones_launched",
    "drones": "drones_launched",
    "mortar": "shells_fired",
    "mortars": "shells_fired",
    "shells": "shells_fired",
}
_FIRING = re.compile(
    r"(?i)\b(?:fired|fire|launched|launch|lobbed|landed|hit|struck|rained|shot|intercepted)\b"
)
_CASUALTY_WORDS = re.compile(
    r"(?i)\b(?P<kill>kill(?:ed|ing|s)?|murder(?:ed|ing)?|execut(?:ed|ing)|dead|died|deaths?|"
    r"fatalities|(?:death\s+)?toll)\b"
    r"|\b(?P<wound>wound(?:ed|ing|s)?|injur(?:ed|ing|ies|y)|concussions?)\b"
)
# "40 per cent of voters took part": a turnout, not a share of anything held
_VOTERS_TOOK_PART = re.compile(
    r"(?i)^\s*of\s+(?:the\s+)?(?:eligible\s+|registered\s+)?(?:voters|electorate)\s+"
    r"(?:\w+\s+)?(?:took\s+part|voted|turned\s+out|cast)"
)
_HOSTAGE_WORDS = re.compile(r"(?i)\b(?:hostages?|kidnap(?:ped|ping|s)?|abduct(?:ed|ing|ion)?)\b")
_PERIOD = re.compile(
    r"(?i)\b(?:per|a|each|every)\s+(?P<unit>month|year|week|day)\b|\b(?P<adverb>monthly|annually|yearly|weekly|daily)\b"
)


def quantities(
    doc: Document,
    sentence: Sentence,
    mentions: list[Mention],
    stretches,
    taken: list[tuple[int, int]],
) -> None:
    s, e = sentence.start, sentence.end
    scan = doc.scan
    local: list[tuple[int, int]] = list(taken)

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in local)

    for m in NO_CASUALTIES.finditer(scan, s, e):
        local.append((m.start(), m.end()))
        subject = subject_of(
            doc, sentence, m.start(), m.end(), mentions, ("event",), name_event=True
        )
        deaths = m.group("deaths") or m.group("deaths2")
        injuries = m.group("injuries") or m.group("injuries2")
        told = (["killed"] if deaths else []) + (["wounded"] if injuries else [])
        for concept in told or ["killed", "wounded"]:
            doc.add(
                "quantity",
                sentence,
                m.start(),
                m.end(),
                concept,
                "0",
                subject=subject,
                why=f"quantity: {doc.words(m.start(), m.end())!r} read as 0 {concept}",
                attribution=attribution_for(stretches, m.start()),
            )
    for m in ONE_DEATH.finditer(scan, s, e):
        if not free(m.start(), m.end()):
            continue
        local.append((m.start(), m.end()))
        subject = subject_of(
            doc, sentence, m.start(), m.end(), mentions, ("event",), name_event=True
        )
        doc.add(
            "quantity",
            sentence,
            m.start(),
            m.end(),
            "killed",
            "1",
            subject=subject,
            why=f"quantity: {doc.words(m.start(), m.end())!r} read as 1 killed",
            attribution=attribution_for(stretches, m.start()),
        )
    for m in NTH_EVENT.finditer(scan, s, e):
        local.append((m.start(), m.end()))
        subject = subject_of(doc, sentence, m.start(), m.end(), mentions, ("event",))
        what = " ".join(m.group("what").split())
        doc.add(
            "quantity",
            sentence,
            m.start("n"),
            m.end("n"),
            "count",
            m.group("n"),
            subject=subject,
            why=f"quantity: {doc.words(m.start(), m.end())!r}: the {m.group('n')}th of a series",
            qualifiers={"of": f"{what}, this one included"},
            attribution=attribution_for(stretches, m.start()),
        )
    for m in FINISHED_RANK.finditer(scan, s, e):
        local.append((m.start(), m.end()))
        subject = subject_of(
            doc, sentence, m.start(), m.end(), mentions, ("alliance", "organisation")
        )
        doc.add(
            "quantity",
            sentence,
            m.start(),
            m.end(),
            "election_rank",
            str(lexicon.ORDINALS[m.group("rank").lower()]),
            subject=subject,
            why=f"quantity: {doc.words(m.start(), m.end())!r}",
            qualifiers=_election(doc, sentence, mentions),
            attribution=attribution_for(stretches, m.start()),
        )
    for m in QUANTITY.finditer(scan, s, e):
        core_start = (
            m.start("plural")
            if m.group("plural")
            else m.start("fraction")
            if m.group("fraction")
            else m.start("low")
        )
        if core_start < 0 or not free(m.start(), m.end()):
            continue
        if (
            m.group("low")
            and not m.group("high")
            and re.fullmatch(r"\d{4}", m.group("low"))
            and 1600 <= int(m.group("low")) <= 2099
        ):
            continue  # a year the date rules did not take is not a figure either
        if _NOT_A_FIGURE_BEFORE.search(
            scan[max(s, core_start - 10) : core_start]
        ) or _NOT_A_FIGURE_AFTER.match(scan[m.end() : m.end() + 6]):
            continue
        quantity_candidate(doc, sentence, m, mentions, stretches)
        local.append((m.start(), m.end()))


def _reading(
    m: re.Match[str],
) -> tuple[Decimal | None, Decimal | None, str, bool] | None:
    """(low, high, operator, is_words) of a QUANTITY match."""
    if m.group("plural"):
        unit = lexicon.PLURAL_MAGNITUDES[m.group("plural").lower()]
        if m.group("plural2"):
            unit *= lexicon.PLURAL_MAGNITUDES[m.group("plural2").lower()]
        return Decimal(2 * unit), None, ">=", True
    if m.group("fraction"):
        value = lexicon.word_value(m.group("fraction"))
        return (value, value, "", True) if value is not None else None
    low = _amount(m.group("low"))
    high = _amount(m.group("high")) if m.group("high") else None
    if low is None:
        return None
    if high is not None:
        # "$2-$3 million": a bare low end counts in the high end's scale
        scale = re.search(rf"(?i)({lexicon.SCALE_PATTERN})\s*$", m.group("high"))
        if (
            scale
            and not re.search(rf"(?i)({lexicon.SCALE_PATTERN})", m.group("low"))
            and low < 1000
        ):
            low = low * lexicon.SCALES[scale.group(1).lower()]
        if low > high:
            return None
    words = not re.search(r"\d", m.group("low"))
    return low, high, "", words


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    text = text.strip()
    digits = re.match(
        rf"{lexicon.CURRENCY_SIGN_PATTERN}?\s?(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        rf"\s*({lexicon.SCALE_PATTERN})?$",
        text,
        re.I,
    )
    if digits:
        value = lexicon.digits_value(digits.group(1))
        if digits.group(2):
            value *= lexicon.SCALE_WORDS[digits.group(2).lower()]
        return value
    return lexicon.word_value(text)


TIME_COUNTED_BACK = Rule(
    r"(?i)\s*(?:[\w-]+\s+)?(?:years?|months?|weeks?|days?|hours?|decades?)\s+"
    r"(?:ago|later|earlier|afterwards|on|before|after|since)\b",
    """A number of years, months or days counted from another time: "three months ago", "Two
weeks later", "six days before the vote". It says when, not how many.""",
)


PARTITIVE = Rule(
    r"(?i)\s+of\s+(?:the|its|their|his|her|our|these|those|them|us)\b",
    """"one of the members", "one of its founders": picks one out of a group, no figure of it
(unless someone is killed or wounded: "One of the soldiers was killed" is one dead).""",
)


def quantity_candidate(
    doc: Document, sentence: Sentence, m: re.Match[str], mentions: list[Mention], stretches
) -> None:
    reading = _reading(m)
    if reading is None:
        return
    low, high, operator, in_words = reading
    s, e = sentence.start, sentence.end
    scan = doc.scan
    after = scan[m.end() : e]
    before = scan[max(s, m.start() - 80) : m.start()]
    op_text = (m.group("op") or "").lower()
    op = lexicon.OPERATORS.get(" ".join(op_text.split()), "") if op_text else operator
    if operator == ">=" and not op_text:
        op = ">="
    joined = re.match(r"^-(?P<unit>(?:year|month|week|day|decade)s?)\b", after)
    counted = joined.group("unit") if joined else _counted(after)
    if not counted and re.match(r"\s+(?:in|at|on|from)\b", after):
        shared = ELLIPSIS.search(before)
        counted = shared.group("noun") if shared else counted  # "three in Iraq and two in Syria"
    head = counted.split()[-1].lower().strip("”“\"'") if counted else ""
    currency = re.match(lexicon.CURRENCY_SIGN_PATTERN, (m.group("low") or "").strip())
    currency_word = re.match(
        rf"(?i)^\s*(?:(?:U\.S\.|US|American|Iraqi|Iranian|Saudi)\s+)?"
        rf"(?:{'|'.join(lexicon.CURRENCY_WORDS)})\b",
        after,
    )
    percent = bool(m.group("pct"))
    fraction = bool(m.group("fraction"))
    low_word = (m.group("low") or "").strip().lower()
    clause = scan[max(s, m.start() - 60) : min(e, m.end() + 60)]
    casualty = None
    nearest = None
    for c in _CASUALTY_WORDS.finditer(scan, max(s, m.start() - 40), min(e, m.end() + 60)):
        distance = abs(c.start() - m.start())
        if nearest is None or distance < nearest:
            nearest, casualty = distance, ("killed" if c.group("kill") else "wounded")
    # number words are figures only where they count something: "killing one", "five U.S.
    # soldiers"
    if in_words and not (m.group("plural") or fraction):
        if (
            low_word in ("one", "a")
            and casualty is None
            and not m.group("high")
            and head not in _PEOPLE_NOUNS
        ):
            return
        if not counted and casualty is None and not op_text:
            return
        if (
            _RELATIVE_BEFORE.search(scan[max(s, m.start() - 12) : m.start()])
            and head in _DURATION_UNITS
        ):
            return
    if head in _DURATION_UNITS and _RELATIVE_AFTER.match(after[len(_raw_counted(after)) :]):
        return
    if TIME_COUNTED_BACK.match(after):
        return  # "three months ago", "Two weeks later": when, not how many
    if low_word == "one" and casualty is None and PARTITIVE.match(after):
        return  # "one of the members of the alliance": which, not how many
    qualifiers: dict[str, str] = {}
    unit = None
    concept = None
    prefer: tuple[str, ...] = ("event",)
    scale = Decimal(1)
    if currency or currency_word or (m.group("plural2") and re.match(r"(?i)^\s*dollars", after)):
        unit = lexicon.CURRENCY_SIGNS[currency.group() if currency else "$"]
        if currency_word and not currency:
            unit = lexicon.CURRENCY_WORDS[currency_word.group().split()[-1].lower()]
        period = _PERIOD.search(scan, m.end(), e)
        if period:
            word = (
                period.group("unit")
                or {
                    "monthly": "month",
                    "annually": "year",
                    "yearly": "year",
                    "weekly": "week",
                    "daily": "day",
                }[period.group("adverb").lower()]
            )
            qualifiers["period"] = f"per {word}"
        if re.search(r"(?i)\bbudget", clause):
            concept = "budget"
            prefer = ("organisation", "alliance", "place")
        elif re.search(r"(?i)\bcost", clause):
            concept = "cost"
        elif re.search(r"(?i)\b(?:worth|valued|deal|value)\b", clause):
            concept = "monetary_value"
        else:
            concept = "funding_received"
        prefer = ("organisation", "alliance", "person")
    elif head in ("seats", "seat"):
        concept = "seats"
        prefer = ("organisation", "alliance")
        qualifiers.update(_election(doc, sentence, mentions))
    elif head in ("times",) and re.search(r"(?i)interrog|interview", scan[s:e]):
        concept = "times_interrogated"
        prefer = ("person",)
    elif head in ("votes", "vote", "ballots") and not percent:
        concept = "votes"
        prefer = ("organisation", "alliance", "person")
        qualifiers.update(_election(doc, sentence, mentions))
    elif head in ("pages", "page") or _AGE.match(after):
        return  # "a 300-page report", "the 45-year-old": not what a desk checks
    elif head in ("bodies",):
        concept = "bodies_returned"
    elif re.match(r"(?i)^\s*attacks?\s+(?:a|per)\s+day", after):
        concept = "attack_rate"
        prefer = ("organisation", "other")
    elif percent and (
        re.search(r"(?i)\bturnout\s+(?:\w+\s+){0,3}$", before)
        or re.match(r"(?i)^\s*(?:voter\s+)?turnout\b", after)
        or _VOTERS_TOOK_PART.match(after)
    ):
        concept = "turnout"
        prefer = ("event",)
        qualifiers.update(_election(doc, sentence, mentions))
    elif percent or (fraction and head not in _DURATION_UNITS):
        share_of = re.match(
            r"(?i)^\s*(?:of\s+)?(?P<of>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", after
        )
        if re.search(r"(?i)\b(?:seized|controlled|held|captured|took)\b", clause):
            concept = "territory_share"
        else:
            concept = "share"
        if share_of:
            qualifiers["of"] = share_of.group("of")
        if not percent:
            scale = Decimal(100)  # "one-third" is 33.3 per cent; "45%" is 45 already
    elif head in _DURATION_UNITS:
        concept = "duration"
        scale = Decimal(_DURATION_UNITS[head])
        what = re.search(
            r"(?i)\b(?:in|of)\s+(detention|custody|office|power|prison|war)\b", after[:60]
        )
        if what:
            qualifiers["of"] = what.group(1).lower()
        prefer = ("event", "organisation", "person")
    elif _HOSTAGE_WORDS.search(clause) and casualty == "killed":
        concept = "kidnapped_and_killed"
    elif casualty is not None and not (
        counted and head in _PEOPLE_GROUPS and low is not None and low >= 10000
    ):
        concept = "killed" if casualty == "killed" else "wounded"
        if re.search(r"(?i)\bincluding\s*$", before):
            # "18 fighters were killed, including four local commanders": a part of the toll
            concept = "count"
            qualifiers["of"] = f"{counted} {concept_word(casualty)}" if counted else casualty
        elif re.search(r"(?i)\bdeaths?\s+of\s*$", before) or (
            head and re.search(r"(?i)\bhundreds|dozens", m.group())
        ):
            concept = "count"
            qualifiers["of"] = f"{counted} killed" if counted else "killed"
    elif _HOSTAGE_WORDS.search(clause):
        concept = "hostages"
    elif re.search(r"(?i)\b(?:released|freed)\b", before[-50:]):
        concept = "people_released"
    elif head in _PEOPLE_GROUPS and low is not None and low >= 10000:
        concept = "population"
        qualifiers["group"] = counted.split()[-1]
        prefer = ("place",)
    elif head in _FIRED and _FIRING.search(clause):
        concept = _FIRED[head]
    elif head in _ATTACKER_NOUNS and re.search(
        r"(?i)\b(?:infiltrat|attack|storm|raid|stormed)", clause
    ):
        concept = "attackers"
    elif head in _PERSONNEL_NOUNS or re.search(
        r"(?i)\bnumber\s+of\s+[\w\s]{0,40}?personnel\s+is\s*$", before
    ):
        concept = "personnel"
        prefer = ("organisation", "other", "event")
    else:
        noun = counted or _counted_before(before)
        if not noun:
            return
        concept = "count"
        qualifiers["of"] = noun
    value = _value(low, high, op, scale)
    if value is None:
        return
    choice = doc.property_for(concept)
    if concept == "duration" and choice.unit not in (None, "years"):
        return
    try:
        parse_value("quantity", value, unit=choice.unit or unit)
    except InvalidValue:
        return
    subject = subject_of(
        doc, sentence, m.start(), m.end(), mentions, prefer, name_event=concept in _OF_EVENTS
    )
    if concept == "personnel" and counted and subject.startswith(EVENT_KEY):
        # "Eight service members were transported to Germany" in an attack's story: a count
        # of those it touched, not the strength of a unit
        concept = "count"
        qualifiers["of"] = counted
    agent = (
        None
        if re.match(r"(?i)^\s*of\b", after)
        else re.match(
            r"(?i)^[\w\s’'-]{0,40}?\bwon\s+by\s+(?:the\s+)?(?P<agent>(?:[\w’'-]+\s+){0,3}?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
            after,
        )
    )
    if agent:
        agent_mentions = [x for x in mentions if x.start >= m.end() + agent.start("agent")]
        subject = agent_mentions[0].name if agent_mentions else agent.group("agent")
    written = doc.words(m.start(), m.end())
    why = f"quantity: {written!r}" + ("" if written == value else f" read as {value}")
    if concept == "duration":
        why += " years"
    elif concept in ("share", "territory_share"):
        why += " per cent"
    doc.add(
        "quantity",
        sentence,
        m.start(),
        m.end(),
        concept,
        value,
        subject=subject,
        why=why,
        unit=unit,
        qualifiers=qualifiers,
        attribution=attribution_for(stretches, m.start()),
    )


def _raw_counted(after: str) -> str:
    m = re.match(
        r"^\s*(?:of\s+(?:(?:the|our|their|his|its|these|those)\s+)?(?:\w+\s+)?)?(?:[\w.’'`-]+\s*){0,4}",
        after,
    )
    return m.group() if m else ""


def _counted(after: str) -> str:
    """What a number counts: the words after it, up to a function word ("U.S. soldiers")."""
    after = re.split(r"[,;:!?()“”\"—–]|\.(?:\s|$)", after[:80], maxsplit=1)[0]
    words = re.findall(r"[^\s,.;:!?()“”\"]+(?:\.(?=[A-Z]))?(?:[A-Z]\.)?", after)
    out: list[str] = []
    skipping = True
    for word in words:
        low = word.lower().strip("’'")
        if skipping and (
            low in _DETERMINERS or re.fullmatch(r"\d[\d,.]*|" + lexicon.WORD_NUMBER, low)
        ):
            continue
        skipping = False
        if low in _COUNTED_STOP or low in _DETERMINERS:
            break
        out.append(word)
        if len(out) == 4:
            break
    while out and re.search(r"(?:ed|ing)$", out[-1]) and len(out) > 1:
        out.pop()
    if out and re.search(r"(?:ed|ing|ly)$", out[0]) and out[0].lower() not in ("killed", "wounded"):
        return ""
    return " ".join(out).strip("’'`\"")


def _counted_before(before: str) -> str:
    m = re.search(
        r"(?i)\bnumber\s+of\s+(?P<what>[\w\s’'-]{2,60}?)\s+(?:is|was|are|were|stands\s+at|reached)\s*$",
        before,
    )
    return " ".join(m.group("what").split()) if m else ""


def _value(low: Decimal | None, high: Decimal | None, op: str, scale: Decimal) -> str | None:
    def fmt(number: Decimal) -> str:
        number = (
            (number * scale).quantize(Decimal("0.1"))
            if (number * scale) != int(number * scale)
            else number * scale
        )
        text = format(number.normalize(), "f")
        return text

    if low is None:
        return None
    if high is not None and high != low:
        return f"{fmt(low)}..{fmt(high)}"
    if op in (">", ">=", "<", "<=", "~"):
        return f"{op}{fmt(low)}"
    return fmt(low)


def _election(doc: Document, sentence: Sentence, mentions: list[Mention]) -> dict[str, str]:
    for mention in mentions:
        if mention.kind == "event" and "election" in mention.name.lower():
            return {"election": mention.name}
    m = re.search(
        r"(?i)(?P<year>\b\d{4})\s+(?:[A-Z]\w+\s+){0,3}?(?:parliamentary\s+)?elections?\b",
        doc.scan[sentence.start : sentence.end],
    )
    if m:
        return {"election": " ".join(m.group().split())}
    return {}


def concept_word(casualty: str) -> str:
    return "killed" if casualty == "killed" else "wounded"
