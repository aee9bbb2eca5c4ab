"""Dates of every precision, and relative ones resolved against the text and publication."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ..lexicon import MONTHS, WEEKDAYS, word_value
from .attributions import attribution_for
from .events import EVENT_KEY, date_event
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .subjects import subject_of

if TYPE_CHECKING:
    from .document import Document


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|"
    r"Dec\.?)"
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"

DAY_MONTH_YEAR = Rule(
    rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH})\s*,?\s+(?P<year>{_YEAR})\b",
    """A day written day-first: "3 January 2020".""",
)
MONTH_DAY_YEAR = Rule(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d),?\s+(?P<year>{_YEAR})\b",
    """A day written month-first: "January 20, 2007", "Nov. 19, 2020".""",
)
MONTH_YEAR = Rule(
    rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})\b",
    """A month: "March 2007", "in December 2011".""",
)
DAY_MONTH = Rule(
    rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH})\b",
    """A day without its year: "26 February", "on 3 March".""",
)
MONTH_DAY = Rule(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)\b(?![,.]?\d)",
    """A day without its year, month first: "on August 30", "October 7".""",
)
MONTH_ALONE = Rule(
    rf"\b(?P<lead>(?i:in|since|by|until|last|early|late|mid-?|the\s+last|during))\s+(?P<month>{_MONTH})\b",
    """A month without its year: "In March", "in the last December".""",
)
SEASON = Rule(
    rf"(?i)\b(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+of\s+(?P<year>{_YEAR})\b",
    """A season: "the summer of 2013", "the spring of 2007".""",
)
SEASON_THAT = Rule(
    r"(?i)\bthat\s+(?P<season>spring|summer|autumn|fall|winter)\b",
    """A season of the year the text is in: "By that summer".""",
)
PART_OF_YEAR = Rule(
    rf"(?i)\b(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]+(?P<year>{_YEAR})\b",
    """A part of a year: "late 2007", "By early 2014", "the end of 2009".""",
)
DECADE = Rule(
    r"\b(?:the\s+)?(?P<decade>1[6-9]\d0|20\d0)s\b",
    """A decade: "since the 1980s".""",
)
YEAR = Rule(
    rf"\b(?P<year>{_YEAR})\b(?![,.]?\d)",
    """A year after a preposition ("in 2003", "By 2014") or before an event ("the 2003 U.S.-led
    invasion").""",
)
CHRISTMAS = Rule(
    r"\b(?P<holiday>Christmas Day|New Year’s Day|New Year's Day)\b",
    """A holiday that fixes a day: "on Christmas Day".""",
)
RELATIVE = Rule(
    r"(?i)\b(?:"
    r"(?P<later_year>later\s+that\s+year|that\s+same\s+year|the\s+same\s+year)"
    r"|(?P<same_day>later\s+that\s+(?:evening|day|night|morning)|that\s+(?:evening|night|morning)|the\s+same\s+day|hours\s+(?:after|later))"
    r"|(?P<next_day>the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after)"
    r"|(?P<within_year>within\s+a\s+year)"
    r"|(?P<amount>\w+(?:-\w+)?)\s+(?P<unit>days|weeks|months|years|day|week|month|year)\s+(?P<dir>later|afterwards|earlier)"
    r"|(?P<last>last|this)\s+(?P<last_unit>week|month|year)"
    r"|(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r")\b",
    """A date told relative to another: "later that year", "six months later", "the
next day", "Hours after", "within a year", "last week", "on Tuesday".""",
)

_YEAR_LEADS = re.compile(
    r"(?i)\b(?:in|since|by|from|until|till|to|of|during|before|after|around|circa|between|and|early|late|mid|year)\s*-?$"
)
_EVENT_NOUN_AFTER = re.compile(
    r"(?i)^\s*(?:[A-Z][\w.’'-]*\s+){0,3}?(?:U\.S\.-led\s+)?(?:invasion|elections?|uprisings?|defeat|interview|deal|war|study|attack|strike|offensive|campaign|agreement|bug-out|withdrawal|protests?|coup|revolution|surge|talks|ceasefire|truce|battle|crisis|raid)\b"
)
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_PARTS = {
    "early": (1, 4),
    "mid": (5, 8),
    "late": (9, 12),
    "the end of": (10, 12),
    "the beginning of": (1, 3),
    "the start of": (1, 3),
}

_DATE_TRIGGERS = (
    ("birth_date", re.compile(r"(?i)\b(?:born|birth)\b")),
    ("death_date", re.compile(r"(?i)\b(?:died|death|assassinat(?:ed|ion)|killed)\b")),
    (
        "founded",
        re.compile(
            # not "formation": "the government formation that will follow" founds nothing
            r"(?i)\b(?:formed|founded|established|set\s+up|created|form|creation|founding|"
            r"inception)\b"
        ),
    ),
    ("publication_date", re.compile(r"(?i)\b(?:published|publication|declassified)\b")),
)


@dataclass(frozen=True)
class Day:
    """A date as written: a year, a month or a day (``month``/``day`` None when not given)."""

    year: int
    month: int | None = None
    day: int | None = None

    def edtf(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date | None:
        if self.month is None or self.day is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None


def _day_of(moment: date) -> Day:
    return Day(moment.year, moment.month, moment.day)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


# a source dated more loosely than this reads a day without its year by the text around it
LOOSE_PUBLICATION_DAYS = 62


@dataclass
class Timeline:
    """What the text has said about time so far, and when the source was published."""

    published_earliest: date | None
    published_latest: date | None
    anchor: Day | None = None
    last_day: Day | None = None

    def note(self, day: Day | None) -> None:
        if day is not None:
            self.anchor = day
            if day.day is not None:
                self.last_day = day

    def year(self) -> int | None:
        if self.anchor is not None:
            return self.anchor.year
        if self.published_latest is not None:
            return self.published_latest.year
        return None

    def undated(self, month: int, day: int | None) -> Day | None:
        """A month (or day) written without its year.

        The latest one on or before publication, when the source is dated to within two
        months (a news article: the text tells of the days before it). When its date is
        loose (an encyclopedia page, a report of some year) and the text has dated something
        to the day or month already, the one nearest that date (and not after publication):
        "On 28 January 2024 … on 2 February" is 2024, and "7 October" before it 2023,
        whichever day of 2024 or 2025 the page was written.
        """
        near = self._near_anchor(month, day)
        if near is not None:
            return near
        if self.published_latest is not None:
            year = self.published_latest.year
            candidate_day = day or 1
            try:
                if (
                    date(year, month, min(candidate_day, calendar.monthrange(year, month)[1]))
                    > self.published_latest
                ):
                    year -= 1
            except ValueError:
                return None
            return Day(year, month, day)
        if self.anchor is not None:
            return Day(self.anchor.year, month, day)
        return None

    def _near_anchor(self, month: int, day: int | None) -> Day | None:
        if self.anchor is None or self.anchor.month is None:
            return None
        if (
            self.published_earliest is not None
            and self.published_latest is not None
            and (self.published_latest - self.published_earliest).days <= LOOSE_PUBLICATION_DAYS
        ):
            return None
        anchor = _first_day(self.anchor)
        if anchor is None:
            return None
        options = []
        for year in (self.anchor.year - 1, self.anchor.year, self.anchor.year + 1):
            moment = _first_day(Day(year, month, day))
            if moment is None:
                continue
            if self.published_latest is not None and moment > self.published_latest:
                continue
            options.append((abs((moment - anchor).days), year))
        if not options:
            return None
        return Day(min(options)[1], month, day)


def _first_day(day: Day) -> date | None:
    try:
        return date(day.year, day.month or 1, day.day or 1)
    except ValueError:
        return None


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _valid(day: Day) -> bool:
    if day.month is not None and not 1 <= day.month <= 12:
        return False
    if day.day is not None:
        return day.as_date() is not None
    return True


def find_dates(doc: Document, sentence: Sentence) -> list[tuple[int, int, str, Day | None]]:
    """(start, end, EDTF, the day it leaves as anchor) of each date in the sentence,
    in order."""
    found: list[tuple[int, int, str, Day | None]] = []
    s, e = sentence.start, sentence.end
    scan = doc.scan

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y, _, _ in found)

    def put(a: int, b: int, value: str, day: Day | None) -> None:
        if free(a, b):
            found.append((a, b, value, day))

    day: Day | None  # each rule below reads a day, or a year, or neither
    year: int | None
    # ranges first, so their ends are not read as two dates
    range_re = re.compile(
        rf"(?i)\b(?:from\s+|between\s+)?(?P<a>(?:{_MONTH}\s+)?{_YEAR})\s*(?:-|–|to|and)\s*(?:the\s+end\s+of\s+)?(?P<b>(?:{_MONTH}\s+)?{_YEAR})\b"
    )
    for m in range_re.finditer(scan, s, e):
        a, b = _month_year(m.group("a")), _month_year(m.group("b"))
        if a is None or b is None or (a.year, a.month or 0) > (b.year, b.month or 13):
            continue
        if "end of" in m.group().lower() and b.month is None:
            value = f"{a.edtf()}/{b.year:04d}-12"
        else:
            value = f"{a.edtf()}/{b.edtf()}"
        put(m.start(), m.end(), value, a)
    for rule in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for m in rule.finditer(scan, s, e):
            day = Day(int(m.group("year")), _month_number(m.group("month")), int(m.group("day")))
            if _valid(day):
                put(m.start(), m.end(), day.edtf(), day)
    for m in SEASON.finditer(scan, s, e):
        year = int(m.group("year"))
        put(m.start(), m.end(), f"{year:04d}-{_SEASONS[m.group('season').lower()]}", Day(year))
    for m in PART_OF_YEAR.finditer(scan, s, e):
        year = int(m.group("year"))
        first, last = _PARTS[" ".join(m.group("part").lower().split())]
        put(m.start(), m.end(), f"{year:04d}-{first:02d}/{year:04d}-{last:02d}", Day(year))
    for m in MONTH_YEAR.finditer(scan, s, e):
        day = Day(int(m.group("year")), _month_number(m.group("month")))
        put(m.start(), m.end(), day.edtf(), day)
    for m in CHRISTMAS.finditer(scan, s, e):
        month, dom = (12, 25) if m.group("holiday").startswith("Christmas") else (1, 1)
        day = doc.timeline.undated(month, dom)
        if day is not None:
            put(m.start(), m.end(), day.edtf(), day)
    for rule in (DAY_MONTH, MONTH_DAY):
        for m in rule.finditer(scan, s, e):
            day = doc.timeline.undated(_month_number(m.group("month")), int(m.group("day")))
            if day is not None and _valid(day):
                put(m.start(), m.end(), day.edtf(), day)
    for m in MONTH_ALONE.finditer(scan, s, e):
        lead = m.group("lead").lower()
        month = _month_number(m.group("month"))
        day = doc.timeline.undated(month, None)
        if day is None:
            continue
        start = m.start("month") if lead not in ("the last", "last") else m.start()
        if lead in ("the last", "last") and doc.timeline.published_earliest:
            # "the last December" is the one before publication, up to its end
            value = f"../{day.edtf()}"
        else:
            value = day.edtf()
        put(start, m.end(), value, day)
    for m in SEASON_THAT.finditer(scan, s, e):
        year = doc.timeline.year()
        if year is not None:
            put(
                m.start(),
                m.end(),
                f"{year:04d}-{_SEASONS[m.group('season').lower()]}",
                Day(year),
            )
    for m in DECADE.finditer(scan, s, e):
        put(m.start(), m.end(), m.group("decade")[:3] + "X", None)
    for m in YEAR.finditer(scan, s, e):
        before = scan[max(s, m.start() - 12) : m.start()]
        after = scan[m.end() : min(e, m.end() + 40)]
        if not (_YEAR_LEADS.search(before) or _EVENT_NOUN_AFTER.match(after) or (m.start() == s)):
            continue
        if re.match(r"^\s*(?:[-–]\s*\d|,\d{3}|\.\d)", after):
            continue
        year = int(m.group("year"))
        put(m.start(), m.end(), f"{year:04d}", Day(year))
    for m in RELATIVE.finditer(scan, s, e):
        # "on Christmas Day, we struck back the next day": earlier dates of the sentence
        # anchor it
        for _start, end, _, anchor in sorted(found, key=lambda x: x[0]):
            if end <= m.start():
                doc.timeline.note(anchor)
        resolved = _relative(doc, m)
        if resolved is not None:
            put(m.start(), m.end(), resolved[0], resolved[1])
    found.sort(key=lambda x: x[0])
    return _periods(scan, s, found)


PERIOD_START = Rule(
    r"(?i)\b(?:between|from)\s+(?:the\s+)?$",
    """A date that opens a period told with its end: "between the October 2023 onset of the
war and February 4, 2024", "Between the 7 May riots and 9 September 2023", "from March 2007
to January 2010".""",
)
PERIOD_END = Rule(
    r"(?i)[^.;:“”\"()]{0,80}?\s(?:and|to|until|till|through)\s+(?:the\s+end\s+of\s+)?$",
    """The words between a period's first date and its last: "… onset of the war and ", "…
riots in the capital and ".""",
)


def _periods(
    scan: str, sentence_start: int, found: list[tuple[int, int, str, Day | None]]
) -> list[tuple[int, int, str, Day | None]]:
    """Two dates that open and close one period are one interval: "between A and B"."""
    merged: list[tuple[int, int, str, Day | None]] = []
    at = 0
    while at < len(found):
        start, end, value, day = found[at]
        if at + 1 < len(found) and "/" not in value:
            b_start, b_end, b_value, _b_day = found[at + 1]
            opens = PERIOD_START.search(scan, max(sentence_start, start - 14), start)
            closes = PERIOD_END.match(scan, end, b_start)
            if opens and closes and day is not None and not re.search(r"\d{4}", scan[start:end]):
                # "between 2 May and 9 September 2023": the first day is of the year before the end
                earlier = _year_before(day, b_value)
                if earlier is not None:
                    value, day = earlier.edtf(), earlier
            if opens and closes and "/" not in b_value and value < b_value:
                merged.append((start, b_end, f"{value}/{b_value}", day))
                at += 2
                continue
        merged.append(found[at])
        at += 1
    return merged


def _year_before(day: Day, end: str) -> Day | None:
    """``day`` in the year that puts it before ``end`` (an EDTF date), if its own does not."""
    if day.edtf() < end:
        return None
    earlier = Day(int(end[:4]), day.month, day.day)
    if earlier.edtf() >= end:
        earlier = Day(int(end[:4]) - 1, day.month, day.day)
    return earlier if _valid(earlier) else None


BOUNDARY = Rule(
    r"(?i)(?:\b(?:since|until|till|by|before|after|prior\s+to|as\s+late\s+as)\s+"
    r"(?:(?:early|late|mid|the\s+(?:end|start|beginning|summer|spring|autumn|fall|winter)"
    r"\s+of)\s*-?\s*)?|\b(?:post|pre)-)$",
    """A date that only bounds a period, not the day of what the clause tells: "the first
such strike since February 2024", "quiet until October 2022", "By 2014, the militia was
battling …", "as it was before October 7", "post-October 7". A period with both ends
("between A and B", "from A to B") is one interval instead.""",
)


WHEN_CLAUSE = Rule(
    r"\s*(?:,|—|–|-)\s*when\b",
    """A date whose own event follows in a "when" clause: "until 3 January 2020, when he was
killed", "Since January 28—when the militias killed three soldiers": still that event's day.""",
)


def bounds_a_period(doc: Document, sentence: Sentence, start: int, end: int) -> bool:
    """Whether the date at ``start`` is a boundary ("since", "until", "by") of a period."""
    if WHEN_CLAUSE.match(doc.scan, end, sentence.end):
        return False
    return BOUNDARY.search(doc.scan, max(sentence.start, start - 24), start) is not None


def _month_year(text: str) -> Day | None:
    parts = text.split()
    if len(parts) == 2:
        return Day(int(parts[1]), _month_number(parts[0]))
    return Day(int(parts[0]))


def _relative(doc: Document, m: re.Match[str]) -> tuple[str, Day | None] | None:
    anchor = doc.timeline.anchor
    if m.group("later_year"):
        if anchor is None:
            return None
        if anchor.month is not None:
            return f"{anchor.edtf()}/{anchor.year:04d}-12", Day(anchor.year)
        return f"{anchor.year:04d}", Day(anchor.year)
    day_anchor = doc.timeline.last_day
    if m.group("same_day"):
        if day_anchor is None:
            return None
        return day_anchor.edtf(), day_anchor
    if m.group("next_day"):
        moment = day_anchor.as_date() if day_anchor else None
        if moment is None:
            return None
        nxt = _day_of(moment + timedelta(days=1))
        return nxt.edtf(), nxt
    if m.group("within_year"):
        if anchor is None:
            return None
        if anchor.month is None:
            return f"{anchor.year:04d}/{anchor.year + 1:04d}", anchor
        y, mo = _add_months(anchor.year, anchor.month, 12)
        return f"{anchor.edtf()}/{Day(y, mo, anchor.day).edtf()}", anchor
    if m.group("unit"):
        amount = (
            word_value(m.group("amount"))
            if not m.group("amount").isdigit()
            else Decimal(m.group("amount"))
        )
        if amount is None or anchor is None or amount != int(amount):
            return None
        n = int(amount) * (1 if m.group("dir").lower() in ("later", "afterwards") else -1)
        unit = m.group("unit").lower().rstrip("s")
        if unit == "year":
            moved = Day(anchor.year + n, anchor.month, anchor.day)
        elif unit == "month":
            if anchor.month is None:
                return None
            y, mo = _add_months(anchor.year, anchor.month, n)
            moved = Day(
                y,
                mo,
                anchor.day if anchor.day and anchor.day <= calendar.monthrange(y, mo)[1] else None,
            )
        else:
            moment = day_anchor.as_date() if day_anchor else None
            if moment is None:
                return None
            moved = _day_of(moment + timedelta(days=n * (7 if unit == "week" else 1)))
        return moved.edtf(), moved
    if m.group("last"):
        published = doc.timeline.published_earliest
        if published is None:
            return None
        unit = m.group("last_unit").lower()
        this = m.group("last").lower() == "this"
        if unit == "week":
            monday = (
                published
                - timedelta(days=published.weekday())
                - (timedelta(0) if this else timedelta(days=7))
            )
            sunday = monday + timedelta(days=6)
            return f"{monday.isoformat()}/{sunday.isoformat()}", None
        if unit == "month":
            y, mo = (
                (published.year, published.month)
                if this
                else _add_months(published.year, published.month, -1)
            )
            return Day(y, mo).edtf(), Day(y, mo)
        year = published.year if this else published.year - 1
        return f"{year:04d}", Day(year)
    if m.group("weekday"):
        if (
            not m.group().lower().startswith("on")
            and m.start() > 0
            and doc.scan[m.start() - 1] not in " ("
        ):
            return None
        weekday = WEEKDAYS[m.group("weekday").lower()]
        moment = day_anchor.as_date() if day_anchor else None
        latest = doc.timeline.published_latest
        if moment is not None:
            step = (weekday - moment.weekday()) % 7 or 7
            resolved = moment + timedelta(days=step)
            if latest is None or resolved <= latest:
                return resolved.isoformat(), _day_of(resolved)
        if latest is not None:
            back = (latest.weekday() - weekday) % 7
            resolved = latest - timedelta(days=back)
            return resolved.isoformat(), _day_of(resolved)
    return None


ATTRIBUTIVE_YEAR = Rule(
    r"(?i)\b(?:the|a|an|its|their|his|her)\s+$|[’']s\s+$",
    """A year written as part of a name, not a date of the sentence's subject: "the 2015
nuclear deal", "the Institute's 2020 study" (but "the 2019 protests", an event, is dated).""",
)


EVENT_AFTER_YEAR = Rule(
    r"\s+(?:[\w.’'-]+\s+){0,2}?(?:attacks?|strikes?|airstrikes?|bombings?|protests?|"
    r"elections?|votes?|referendum|meetings?|summit|visits?|invasion|war|uprisings?|"
    r"revolution|coup|interviews?|interrogations?|killings?|assassination|offensive|"
    r"campaign|withdrawal)\b",
    """An event after an attributive year, which the year does date: "the 2003 U.S.-led
invasion", "the 2019 protests", "the 2021 elections".""",
)


def date_candidate(
    doc: Document,
    sentence: Sentence,
    start: int,
    end: int,
    value: str,
    mentions: list[Mention],
    stretches,
) -> None:
    # values are built from checked parts (``_valid``), so EDTF's slow parser is not run here
    if re.match(r"[’']s\b", doc.scan[end : end + 3]):
        return  # "Following Friday's strike": names the strike by its day, dates nothing new
    if (
        re.fullmatch(r"\d{4}", doc.scan[start:end])
        and ATTRIBUTIVE_YEAR.search(doc.scan, max(sentence.start, start - 12), start)
        and re.match(r"\s+[\w-]", doc.scan[end : end + 3])
        and not EVENT_AFTER_YEAR.match(doc.scan, end, sentence.end)
    ):
        return  # "the 2015 nuclear deal", "the Institute's 2020 study": part of a name
    window = doc.scan[max(sentence.start, start - 60) : min(sentence.end, end + 60)]
    concept = "date"
    near = (start, end)
    for key, trigger in _DATE_TRIGGERS:
        hit = trigger.search(window)
        if hit:
            concept = key
            at = max(sentence.start, start - 60) + hit.start()
            near = (at, at + len(hit.group()))
            break
    if concept in ("birth_date", "death_date") and not any(m.kind == "person" for m in mentions):
        concept = "date"  # "an attack that nearly killed people on Christmas Day" dates the attack
    if concept == "death_date" and any(0 <= start - at < 80 for at, _ in doc.sentence_events):
        concept = "date"  # "X was assassinated by a US airstrike on Friday" dates the airstrike
    prefer = {
        "birth_date": ("person",),
        "death_date": ("person",),
        "founded": ("organisation", "alliance"),
    }.get(concept, ("event",))
    subject = subject_of(doc, sentence, near[0], near[1], mentions, prefer)
    if subject.startswith(EVENT_KEY) and concept == "date":
        date_event(doc, sentence, subject, value)
    if "date" not in doc.kinds:
        return
    written = doc.words(start, end)
    why = f"date: {written!r}" + ("" if written == value else f" read as {value}")
    doc.add(
        "date",
        sentence,
        start,
        end,
        concept,
        value,
        subject=subject,
        why=why,
        attribution=attribution_for(stretches, start),
    )
