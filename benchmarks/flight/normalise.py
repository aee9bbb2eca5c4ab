"""Site formats of the Flight data set, turned into values that compare.

Each of the 38 sites writes a time or a gate its own way; the benchmark is only fair
when "8:00pDec 1" and "12/01/2011 08:00 PM" are recognised as one value, so this
conversion is part of the benchmark and is checked by the doctests below
(``python -m doctest benchmarks/flight/normalise.py``; ``run.py`` runs them too).

**Times** become a minute-precision local wall-clock time, ``2011-12-01T20:00``:

* *Local time as given.* Every site that names a zone names the airport's own
  (``PST`` for a LAX departure, ``(-06:00)`` for ORD), and the airlines' pages the gold
  comes from give the same local times with no zone at all, so the zone is read and
  dropped rather than used to shift the time to UTC: the wall-clock time is what a
  traveller reads and what the gold records.
* *The date is kept.* It is information: a site showing yesterday's departure
  (``11:20pNov 30`` for a flight the airline shows leaving Dec 1 at 11:20 PM) gives
  another value, not the same one. A date without a year is in 2011 (in 2012 in
  January: the data set runs from December 2011 into January 2012); where a site
  gives a crawl date and the flight's own day (``2011-12-01 11/30 9:00 PM``, or
  ``2011-12-01 Wed  23:55``), the flight's own day wins.
* *Annotations are dropped*: ``(Estimated)``, ``(Runway)``, ``Delayed``, ``On Time``,
  a trailing ``*``. The site still states that time for the item, so it is still a
  claim; whether an estimate should weigh less is a question for the desk's
  confidence, not for the parser (``Time.estimated`` says which ones were marked).
* *No time*: ``Not Available``, ``Contact Airline``, ``Cancelled`` and the like are not
  values; they are dropped and counted as placeholders, apart from strings no format
  matches, which are counted as unparsed.

**Gates** become upper-case text without terminal or spacing: ``17``, `` 17 ``,
``Terminal A - 17`` and ``17/A`` are all ``17``; ``C-44`` is ``C44``. A gate must hold
a digit and look like a gate (``B84N``, ``71B2``); a terminal alone (``Terminal 8``,
``Intl Term``), ``--``, ``TBA``, ``HOLD`` or ``Not provided by airline`` says nothing
about the gate and is dropped as a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

YEAR = 2011
MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
WEEKDAYS = {d: i for i, d in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])}

# -------------------------------------------------------------------------- times

PLACEHOLDER_TIME = re.compile(r"not available|contact airline|cancell?ed|not provided", re.I)
# A status or quality remark after the time; "estimated" is remembered.
ANNOTATION = re.compile(
    r"(?:&nbsp;?|\s)*(?:\((?P<paren>[A-Za-z ]+)\)|(?P<status>Delayed|On Time)|\*)\s*$"
)
ZONE = re.compile(r"\s*(?:\b(?:[A-Z]{1,2}ST|[A-Z]{1,2}DT)\b|\([+-]\d\d:\d\d\))\s*$")

_12H = r"(?P<h>\d{1,2}):(?P<mi>\d{2}) ?(?:(?P<ap>[AaPp])\.?(?:[Mm]\.?)?|(?P<noon>noon))"
_24H = r"(?P<h>\d{1,2}):(?P<mi>\d{2})"
_WD = r"(?P<wd>Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MON = r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"

# One pattern per site format, each with a sample from the data.
TIME_FORMATS: list[tuple[str, re.Pattern[str]]] = [
    # 12/01/2011 08:00 PM · 12/1/2011 4:19PM · 12/1/11 6:20 PM
    ("m/d/y 12h", re.compile(rf"(?P<mo>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{4}}|\d{{2}}) {_12H}")),
    # 2011-12-01 11/30 9:00 PM: a crawl date, then the flight's own day
    ("crawl m/d 12h", re.compile(rf"\d{{4}}-\d\d-\d\d (?P<mo>\d{{1,2}})/(?P<d>\d{{1,2}}) {_12H}")),
    # 2011-12-01 Wed  23:55: a crawl date, the flight's weekday, a 24-hour time
    ("crawl weekday 24h", re.compile(rf"(?P<y>\d{{4}})-(?P<mo>\d\d)-(?P<d>\d\d) {_WD}\s+{_24H}")),
    # 2011-12-01 08:00PM · 2011-12-01 6:20 PM · 2011-12-01  1:44P
    ("y-m-d 12h", re.compile(rf"(?P<y>\d{{4}})-(?P<mo>\d\d)-(?P<d>\d\d)\s+{_12H}")),
    # 2011-12-01 21:55
    ("y-m-d 24h", re.compile(rf"(?P<y>\d{{4}})-(?P<mo>\d\d)-(?P<d>\d\d)\s+{_24H}")),
    # 12:10 PM  Thu 01-Dec-2011
    ("12h weekday d-mon-y", re.compile(rf"{_12H}\s+{_WD} (?P<d>\d\d)-{_MON}-(?P<y>\d{{4}})")),
    # 12:10 PM, Dec 01 · 2:07 PMDec 01 · 8:00pDec 1 · 11:20pNov 30
    ("12h mon d", re.compile(rf"{_12H},? ?{_MON} ?(?P<d>\d{{1,2}})")),
    # Dec 01 - 8:00pm · Dec 01 - 12:00noon
    ("mon d - 12h", re.compile(rf"{_MON} (?P<d>\d{{1,2}}) - {_12H}")),
    # Thu, Dec 1 6:20 PM
    ("weekday, mon d 12h", re.compile(rf"{_WD}, {_MON} (?P<d>\d{{1,2}}) {_12H}")),
    # Thu., Dec.01, 2011 1:55 p.m.
    (
        "weekday., mon.d, y 12h",
        re.compile(rf"{_WD}\., {_MON}\.(?P<d>\d{{1,2}}), (?P<y>\d{{4}}) {_12H}"),
    ),
    # December 8, 2011               08:00 PM (the airline's own site from 2011-12-08 on)
    ("month d, y 12h", re.compile(rf"{_MON}[a-z]* (?P<d>\d{{1,2}}), (?P<y>\d{{4}})\s+{_12H}")),
    # 2:20P 12-01-11
    ("12h m-d-y", re.compile(rf"{_12H} (?P<mo>\d\d)-(?P<d>\d\d)-(?P<y>\d\d)")),
]


@dataclass(frozen=True)
class Time:
    """A parsed time: ``value`` is None when nothing usable was given (see ``why``)."""

    value: datetime | None
    why: str  # "ok", "empty", "placeholder" or "unparsed"
    format: str | None = None
    estimated: bool = False

    @property
    def edtf(self) -> str | None:
        """The value as an EDTF date-time at minute precision."""
        return None if self.value is None else self.value.strftime("%Y-%m-%dT%H:%M")


def parse_time(raw: str) -> Time:
    """One site's time string as local wall-clock time at minute precision.

    >>> parse_time("12/01/2011 08:00 PM").edtf
    '2011-12-01T20:00'
    >>> parse_time("2011-12-01 08:00PM EST").edtf
    '2011-12-01T20:00'
    >>> parse_time("8:00pDec 1").edtf
    '2011-12-01T20:00'
    >>> parse_time("Dec 01 - 8:00pm").edtf
    '2011-12-01T20:00'
    >>> parse_time("12/1/11 8:00 PM (-06:00)").edtf
    '2011-12-01T20:00'
    >>> parse_time("08:00 PM  Thu 01-Dec-2011 (Runway)").edtf
    '2011-12-01T20:00'
    >>> parse_time("8:00 PMDec 01").edtf, parse_time("8:00 PM, Dec 01&nbsp(Estimated)").estimated
    ('2011-12-01T20:00', True)
    >>> parse_time("Thu, Dec 1 8:00 PM            Delayed").edtf
    '2011-12-01T20:00'
    >>> parse_time("Thu., Dec.01, 2011 8:00 p.m.").edtf
    '2011-12-01T20:00'
    >>> parse_time("8:00P 12-01-11").edtf, parse_time("2011-12-01  8:00P").edtf
    ('2011-12-01T20:00', '2011-12-01T20:00')
    >>> parse_time("2011-12-01 20:00 ").edtf
    '2011-12-01T20:00'

    Midnight and noon, and the flight's own day beating a crawl date:

    >>> parse_time("12:05 AM, Dec 02").edtf, parse_time("Dec 01 - 12:00noon").edtf
    ('2011-12-02T00:05', '2011-12-01T12:00')
    >>> parse_time("2011-12-01 11/30 9:00 PM").edtf, parse_time("2011-12-01 Wed  23:55").edtf
    ('2011-11-30T21:00', '2011-11-30T23:55')
    >>> parse_time("11:20pNov 30").edtf
    '2011-11-30T23:20'

    What is not a time:

    >>> [parse_time(s).why for s in ("", "Dec 01 - Contact Airline", "2011-12-01 Cancelled",
    ...                                 "Not Available", "soon")]
    ['empty', 'placeholder', 'placeholder', 'placeholder', 'unparsed']
    """
    text = raw.replace("\xa0", " ").strip()
    if not text:
        return Time(None, "empty")
    if PLACEHOLDER_TIME.search(text):
        return Time(None, "placeholder")
    estimated = False
    while True:
        annotation = ANNOTATION.search(text)
        if not annotation or annotation.start() == 0:
            break
        estimated |= "estimated" in (annotation.group("paren") or "").lower()
        text = text[: annotation.start()].rstrip()
    text = ZONE.sub("", text)
    for name, pattern in TIME_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            value = _datetime(match.groupdict())
            return Time(value, "ok" if value else "unparsed", name, estimated)
    return Time(None, "unparsed")


def _datetime(g: dict[str, str | None]) -> datetime | None:
    hour, minute = int(g["h"]), int(g["mi"])
    if g.get("noon"):
        hour = 12
    elif g.get("ap"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if g["ap"].lower() == "p" else 0)
    month = MONTHS[g["mon"]] if g.get("mon") else int(g["mo"])
    # the data set runs from December 2011 into January 2012
    year = int(g["y"]) if g.get("y") else (YEAR + 1 if month == 1 else YEAR)
    if year < 100:
        year += 2000
    try:
        day = date(year, month, int(g["d"]))
        if g.get("wd") and g.get("y") and g.get("mo"):
            # a crawl date next to the flight's weekday: the weekday names the day
            day = next(
                day + timedelta(days=k)
                for k in (0, -1, 1)
                if (day + timedelta(days=k)).weekday() == WEEKDAYS[g["wd"]]
            )
        return datetime(day.year, day.month, day.day, hour, minute)
    except (ValueError, StopIteration):
        return None


# -------------------------------------------------------------------------- gates

GATE = re.compile(r"[A-Z]{0,2}\d{1,3}[A-Z]{0,2}\d?")


@dataclass(frozen=True)
class Gate:
    value: str | None
    why: str  # "ok", "empty", "placeholder" or "unparsed"


def parse_gate(raw: str) -> Gate:
    """One site's gate as canonical text.

    >>> [parse_gate(s).value for s in ("17", " 17 ", "Terminal A - 17", "17/A", "Term 2 - 17")]
    ['17', '17', '17', '17', '17']
    >>> [parse_gate(s).value for s in ("K7/T3", "c-44", " D-8 ", "Terminal T4 - 47A", "39?",
    ...                                  "71B2")]
    ['K7', 'C44', 'D8', '47A', '39', '71B2']
    >>> [parse_gate(s).why for s in ("", "--", " -", "TBA", "Not provided by airline",
    ...                                "Terminal 8", "Intl Term")]  # doctest: +NORMALIZE_WHITESPACE
    ['empty', 'placeholder', 'placeholder', 'placeholder', 'placeholder', 'placeholder',
     'placeholder']
    >>> parse_gate("Main Term - 3rd Lvl").why
    'unparsed'
    """
    text = " ".join(raw.replace("\xa0", " ").split()).upper()
    if not text:
        return Gate(None, "empty")
    if " - " in text:
        # "Terminal A - 17": the terminal comes first
        text = text.rsplit(" - ", 1)[1]
    elif "/" in text:
        # "K7/T3", "17/A": the gate comes first, then its terminal
        text = text.split("/", 1)[0]
    text = text.rstrip("?").replace("-", "").replace(" ", "")
    if not any(c.isdigit() for c in text) or text.startswith(("TERM", "TERMINAL")):
        return Gate(None, "placeholder")
    if not GATE.fullmatch(text):
        return Gate(None, "unparsed")
    return Gate(text, "ok")


if __name__ == "__main__":
    import doctest

    print(doctest.testmod())
