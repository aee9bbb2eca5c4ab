"""EDTF dates read into the UTC interval SQL compares: the date half of ``values.py``.

Dates are EDTF level 0 and 1, parsed by the ``edtf`` library, and stored as the
interval ``[date_earliest, date_latest]`` of ISO-8601 UTC strings at second
precision without a zone suffix, so SQL can compare them as text. A year covers
the whole year, a month its whole month, a day its whole day, a time without
seconds its whole minute; a time with seconds is that second. A time with a zone
is converted to UTC; a time without one is read as UTC already. Seasons
(``2001-21`` … ``2001-24``) are the northern meteorological seasons, winter
running from December into the next February. An interval runs from the earliest
moment of its start to the latest moment of its end; an open (``..``) or unknown
(empty) end has no bound.

Decision: an approximate or uncertain date (``~``, ``?``, ``%``) is widened by
one unit of the precision written, on each side: a day by ±1 day, a month by
±1 month, a year by ±1 year, a season by ±1 season, a decade written ``201X``
by ±10 years. ``2021-03~`` is therefore 2021-02-01 … 2021-04-30. The three marks
are treated alike because a search for what a source might have meant needs the
wider interval either way; the EDTF text keeps the distinction.

Only years 0001 … 9999 are accepted, because the bounds must sort as text.
Keys are ``d:EARLIEST/LATEST`` with ``..`` for an open end, so two spellings of
the same interval (``2007-03`` and ``2007-03-01/2007-03-31``) are one value.
``edtf`` keeps the text as typed (stripped, upper-case, no spaces around ``/``);
a time without seconds stays so, so reading it back gives the same bounds.

``values.parse_date`` turns the interval into a claim value; this module knows only
dates, and raises ``DateProblem`` with the reason a text is not one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from provenance.lazy import lazy_module

# the parser takes a tenth of a second to import: loaded by the first date parsed
edtf = lazy_module("edtf")


_MIN_MOMENT = datetime(1, 1, 1)
_MAX_MOMENT = datetime(9999, 12, 31, 23, 59, 59)

# The edtf library wants hh:mm:ss; hh:mm is accepted here and means the whole minute.
_MINUTE_TIME_RE = re.compile(r"(T\d{2}:\d{2})(?![:\d])")
_TIME_RE = re.compile(r"(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}(?::\d{2})?)?")
# Both ends missing: the library crashes on these rather than rejecting them.
_ENDLESS_RE = re.compile(r"(?:\.\.)?/(?:\.\.)?")
_SEASON_MONTHS = {"21": (3, 5), "22": (6, 8), "23": (9, 11), "24": (12, 14)}


@dataclass(frozen=True)
class _Span:
    """The strict interval of one written date, and the unit that widens it."""

    earliest: datetime
    latest: datetime
    unit: str  # "day", "month" or "year"
    step: int


class DateProblem(Exception):
    """Why a date did not parse; turned into InvalidValue with the typed text."""


def _month(year: int, month: int) -> tuple[int, int] | datetime:
    """(year, month) with month carried into 1..12, or the moment it is clamped to when
    the year falls outside the supported years."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if year < 1:
        return _MIN_MOMENT
    if year > 9999:
        return _MAX_MOMENT
    return year, month


def _month_start(year: int, month: int) -> datetime:
    """The first moment of a month; month may run past 1..12. Clamped to the supported years."""
    found = _month(year, month)
    return found if isinstance(found, datetime) else datetime(found[0], found[1], 1)


def _month_end(year: int, month: int) -> datetime:
    """The last second of a month; month may run past 1..12. Clamped to the supported years."""
    found = _month(year, month)
    if isinstance(found, datetime):
        return found
    year, month = found
    return datetime(year, month, calendar.monthrange(year, month)[1], 23, 59, 59)


def _year_number(text: str, lean_high: bool) -> int:
    if text.startswith("-"):
        raise DateProblem("years before 0001 are not supported")
    year = int(text.replace("X", "9" if lean_high else "0"))
    if year < 1:
        raise DateProblem("years before 0001 are not supported")
    return year


def _calendar_span(node: Any) -> _Span:
    """The span of a Date, Unspecified or Season node (no time of day)."""
    if getattr(node, "significant_digits", None):
        raise DateProblem("significant digits are EDTF level 2, which is not supported")
    year_text = str(node.year)
    low_year, high_year = _year_number(year_text, False), _year_number(year_text, True)
    if type(node) is edtf.Season:
        first, last = _SEASON_MONTHS[str(node.season)]
        return _Span(_month_start(low_year, first), _month_end(low_year, last), "month", 3)
    month, day = node.month, node.day
    if month is None or month == "XX":
        return _Span(
            datetime(low_year, 1, 1),
            datetime(high_year, 12, 31, 23, 59, 59),
            "year",
            10 ** year_text.count("X"),
        )
    month_number = int(month)
    if day is None or day == "XX":
        return _Span(
            _month_start(low_year, month_number), _month_end(high_year, month_number), "month", 1
        )
    day_number = int(day)
    if day_number > calendar.monthrange(low_year, month_number)[1]:
        raise DateProblem(f"{year_text}-{month} has no day {day}")
    start = datetime(low_year, month_number, day_number)
    return _Span(start, start.replace(hour=23, minute=59, second=59), "day", 1)


def _widen(span: _Span) -> _Span:
    """Add one unit of the written precision on each side (see the module doc)."""
    if span.unit == "day":
        step = timedelta(days=span.step)
        earliest = span.earliest - step if span.earliest - _MIN_MOMENT >= step else _MIN_MOMENT
        latest = span.latest + step if _MAX_MOMENT - span.latest >= step else _MAX_MOMENT
    elif span.unit == "month":
        earliest = _month_start(span.earliest.year, span.earliest.month - span.step)
        latest = _month_end(span.latest.year, span.latest.month + span.step)
    else:
        earliest = _month_start(span.earliest.year - span.step, 1)
        latest = _month_end(span.latest.year + span.step, 12)
    return _Span(earliest, latest, span.unit, span.step)


def _time_span(node: Any, minute_precision: bool) -> _Span:
    date_node = node.date
    if type(date_node) is not edtf.Date or date_node.day is None:
        raise DateProblem("a time needs a full date before it")
    day = _calendar_span(date_node).earliest
    match = _TIME_RE.fullmatch(str(node.time))
    if match is None:  # pragma: no cover - the library's grammar admits only this shape
        raise DateProblem("unreadable time")
    hour, minute, second, zone = match.groups()
    try:
        local = day + timedelta(hours=int(hour), minutes=int(minute), seconds=int(second))
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            zone_hours, _, zone_minutes = zone[1:].partition(":")
            offset = timedelta(hours=int(zone_hours), minutes=int(zone_minutes or 0))
            local -= sign * offset
        latest = local + timedelta(seconds=59) if minute_precision else local
    except OverflowError:
        raise DateProblem("it falls outside the years 0001 to 9999") from None
    if local < _MIN_MOMENT or latest > _MAX_MOMENT:
        raise DateProblem("it falls outside the years 0001 to 9999")
    return _Span(local, latest, "day", 1)


def _interval_end(node: Any) -> _Span | None:
    """One end of an interval: None when open or unknown, else its (widened) span."""
    if isinstance(node, edtf.UnspecifiedIntervalSection):
        return None
    if type(node) is edtf.UncertainOrApproximate:
        span = _calendar_span(_checked_calendar_node(node.date))
        return _widen(span) if node.ua else span
    return _calendar_span(_checked_calendar_node(node))


def _checked_calendar_node(node: Any) -> Any:
    if type(node) not in (edtf.Date, edtf.Season, edtf.Unspecified):
        raise DateProblem("it uses EDTF level 2, which is not supported")
    return node


_PLAIN_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _plain_date(text: str) -> tuple[datetime, datetime] | None:
    """Bounds of a plain year, month or day (``2007``, ``2007-03``, ``2007-03-21``).

    The EDTF grammar takes some milliseconds a date; these forms, most of what is
    typed, need none of it. Anything else (seasons, year 0000, a day the month does not
    have) returns None and goes to the grammar, which gives the same bounds or the
    error.
    """
    match = _PLAIN_DATE_RE.fullmatch(text)
    if match is None:
        return None
    year = int(match.group(1))
    if year < 1:
        return None
    if match.group(2) is None:
        return datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59)
    month = int(match.group(2))
    if not 1 <= month <= 12:
        return None
    if match.group(3) is None:
        return _month_start(year, month), _month_end(year, month)
    try:
        day = datetime(year, month, int(match.group(3)))
    except ValueError:
        return None
    return day, day.replace(hour=23, minute=59, second=59)


def date_interval(text: str) -> tuple[str, datetime | None, datetime | None]:
    """(normalised EDTF, earliest, latest) for a date as typed."""
    normalised = re.sub(r"\s*/\s*", "/", text.strip()).upper()
    if not normalised:
        raise DateProblem("a value is required")
    if _ENDLESS_RE.fullmatch(normalised):
        raise DateProblem("an interval needs at least one known end")
    plain = _plain_date(normalised)
    if plain is not None:
        return normalised, plain[0], plain[1]
    library_text, minutes = _MINUTE_TIME_RE.subn(r"\1:00", normalised)
    try:
        node = edtf.parse_edtf(library_text)
    except Exception:  # the library raises more than its own exception on odd input
        raise DateProblem("") from None
    node_type = type(node)
    if node_type in (edtf.Interval, edtf.Level1Interval):
        start, end = _interval_end(node.lower), _interval_end(node.upper)
        strict_start = _interval_strict(node.lower)
        strict_end = _interval_strict(node.upper)
        if strict_start and strict_end and strict_start.earliest > strict_end.latest:
            raise DateProblem("the interval ends before it starts")
        return (
            normalised,
            start.earliest if start else None,
            end.latest if end else None,
        )
    if node_type is edtf.DateAndTime:
        span = _time_span(node, minute_precision=bool(minutes))
    elif node_type is edtf.UncertainOrApproximate:
        span = _widen(_calendar_span(_checked_calendar_node(node.date)))
    elif node_type is edtf.Unspecified:
        span = _calendar_span(node)
        span = _widen(span) if node.ua else span
    elif node_type in (edtf.Date, edtf.Season):
        span = _calendar_span(node)
    elif isinstance(node, edtf.LongYear):
        raise DateProblem("years after 9999 are not supported")
    else:
        raise DateProblem("it uses EDTF level 2, which is not supported")
    return normalised, span.earliest, span.latest


def _interval_strict(node: Any) -> _Span | None:
    if isinstance(node, edtf.UnspecifiedIntervalSection):
        return None
    inner = node.date if type(node) is edtf.UncertainOrApproximate else node
    return _calendar_span(_checked_calendar_node(inner))


def iso_moment(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def looks_like_date(text: str) -> bool:
    try:
        date_interval(text)
    except DateProblem:
        return False
    return True
