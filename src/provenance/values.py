"""Typed claim values: parsing, canonical keys and name/text normalisation.

Every claim value has one of the ``DATATYPES``. ``parse_value`` turns what a person
typed into a ``ParsedValue``: the text to show, a canonical ``key`` (two values are
the same value exactly when their keys are equal) and the typed columns that SQL
compares (quantity interval, date bounds, normalised text, boolean).

Quantities
    A quantity is an interval ``[quantity_low, quantity_high]``; ``None`` is an open
    end. ``15`` is ``[15, 15]``; ``750000..1000000`` (also ``-``, ``–``, ``to``,
    ``between … and …``) is a closed range; ``>=70`` / ``at least 70`` and
    ``<=5`` / ``at most 5`` are half-open with an inclusive bound; ``>100`` /
    ``more than 100`` and ``<5`` / ``fewer than 5`` have an *exclusive* bound, kept
    in ``quantity_low_exclusive`` / ``quantity_high_exclusive`` rather than nudged by
    an epsilon, so ``>100`` and ``>=100`` stay different values.

    The words (operators, scales, currencies, percent, counts, numbers in words such as
    ``five`` or ``a dozen``) are those of ``lexicon.py``, which ``extract`` reads prose
    with, so what one reads the other accepts.

    Exact is exact: ``5`` is [5, 5], whatever the property's tolerance, so 5 killed
    and 6 killed conflict. Only *approximate* input is widened by the tolerance (the
    property's, default 0.1): ``~2000`` / ``about``, ``around``, ``roughly``,
    ``approximately``, ``nearly``, ``almost``, ``some``, ``circa``, ``an estimated``
    ``2000`` and ``2000 or so`` become ``2000 ± tolerance × |2000|``, the same value as
    the range it stands for; ``quantity_approximate`` records that the input was
    approximate, so the interval can be computed again when the tolerance changes.
    Counts in words are approximate ranges, widened the same way: ``dozens`` 24..199,
    ``hundreds`` 200..999, ``thousands`` 2000..9999, ``tens of thousands``
    20000..99999, ``hundreds of thousands`` 200000..999999, ``millions``
    2000000..9999999 (the lower end is two of the unit, the upper end just below the
    next named magnitude); ``several``/``a few``/``many`` before them, and the singular
    after ``several``/``a few`` (``several hundred``), mean the same. Scale words
    (``thousand``, ``million``, ``billion``, ``trillion``) multiply; in a range, a
    scale word written only on the upper end also applies to a lower end below 1000
    (``$2-$3 million`` is 2 to 3 million, ``900,000-1.2 million`` is 0.9 to 1.2
    million). A reversed range is an error. A currency sign ($ € £) or ``%`` sets the
    unit (USD, EUR, GBP, %) when none is given and must agree with a unit that is
    given; otherwise the unit is the one given. ``%``, ``percent``, ``per cent`` and
    ``pct`` are one unit, stored as ``%`` (``canonical_unit``), written after a number
    or given as the unit; percentage points are another unit. Units are never converted.

    Keys: ``q:`` then ``N`` for a single number, ``LOW..HIGH`` for a closed range,
    ``>=N``, ``>N``, ``<=N`` or ``<N`` for a half-open one, then `` UNIT`` if any.
    Numbers are written exactly (decimal arithmetic, no exponent, no trailing zeros),
    so ``1,650,000`` and ``1.65 million`` share ``q:1650000``, and ``~2000`` at
    tolerance 0.1 shares ``q:1800..2200`` with ``1800..2200`` (the interval is what
    the source committed to, however it was written).

Dates
    EDTF level 0 and 1, read into ``[date_earliest, date_latest]`` by ``edtf_dates.py``
    (its docstring has the rules: widening, seasons, zones, years 0001 … 9999). Keys
    are ``d:EARLIEST/LATEST`` with ``..`` for an open end, so two spellings of the same
    interval (``2007-03`` and ``2007-03-01/2007-03-31``) are one value.

Entities and text
    Entity names are keyed by ``normalise_name`` (``e:``), text by ``normalise_text``
    (``t:``). A key that would pass ``KEY_MAX_LENGTH`` (the width of the key column)
    is cut short and ends in a SHA-256 of the whole normalised form, which keeps it
    unique. Booleans are ``b:true`` / ``b:false``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from provenance import lexicon
from provenance.edtf_dates import DateProblem, date_interval, iso_moment, looks_like_date
from provenance.errors import InvalidValue

__all__ = [
    "DATATYPES",
    "KEY_MAX_LENGTH",
    "PERCENT_UNITS",
    "ParsedValue",
    "canonical_unit",
    "date_bounds",
    "normalise_name",
    "normalise_text",
    "parse_boolean",
    "parse_date",
    "parse_quantity",
    "parse_value",
]

DATATYPES = ("quantity", "date", "entity", "text", "boolean")

# claims.value_key is a String(500); longer text and names are keyed by a digest.
KEY_MAX_LENGTH = 500

DEFAULT_TOLERANCE = 0.1

QUANTITY_EXAMPLES = "15, 1,650,000, 1.65 million, 750000..1000000, >=70, ~2000"
DATE_EXAMPLES = "2007, 2007-03, 2007-01-20, 2009-10/2009-12, 2021-03~, 2007/.., 2011-12-01T20:00Z"
BOOLEAN_EXAMPLES = "true or false (also yes/no, 1/0)"


def _quoted(value: object) -> str:
    """A value quoted for a one-line message, verbatim apart from control characters."""
    text = value if isinstance(value, str) else repr(value)
    return "'" + "".join(c if c.isprintable() else " " for c in text) + "'"


@dataclass(frozen=True)
class ParsedValue:
    """One claim value, parsed: what to show, its identity, and its typed columns."""

    datatype: str
    display: str
    key: str
    quantity_low: float | None = None
    quantity_high: float | None = None
    quantity_low_exclusive: bool = False
    quantity_high_exclusive: bool = False
    quantity_approximate: bool = False
    unit: str | None = None
    date_earliest: str | None = None
    date_latest: str | None = None
    edtf: str | None = None
    text_value: str | None = None
    boolean_value: bool | None = None


def parse_value(
    datatype: str, raw: str, *, unit: str | None = None, tolerance: float | None = None
) -> ParsedValue:
    """Parse ``raw`` as a value of ``datatype``; ``unit``/``tolerance`` only affect quantities."""
    kind = datatype.strip().lower() if isinstance(datatype, str) else datatype
    if kind == "quantity":
        return parse_quantity(raw, unit=unit, tolerance=tolerance)
    if kind == "date":
        return parse_date(raw)
    if kind == "entity":
        return _parse_entity(raw)
    if kind == "text":
        return _parse_text(raw)
    if kind == "boolean":
        return parse_boolean(raw)
    raise InvalidValue(
        f"unknown datatype {_quoted(datatype)}: expected one of {', '.join(DATATYPES)}"
    )


# --------------------------------------------------------------------------- names and text

# The apostrophe family: transliterations of ayn/hamza are written with any of these,
# or with none, so they must not decide whether two names match.
_APOSTROPHES = "'\u2019\u2018`\u02bf\u02be\u2032\u02bc\u02bb\u201b\u00b4\uff07"
# Word joiners inside names (al-Khazali, al_Khazali, al–Khazali) separate words.
_NAME_SPACERS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d_"
_NAME_TABLE = str.maketrans({**dict.fromkeys(_APOSTROPHES), **dict.fromkeys(_NAME_SPACERS, " ")})

_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b`"
_QUOTE_TABLE = str.maketrans(
    {**dict.fromkeys(_DOUBLE_QUOTES, '"'), **dict.fromkeys(_SINGLE_QUOTES, "'")}
)


def normalise_name(name: str) -> str:
    """The form under which entity names match: case, diacritics, apostrophes, hyphens ignored.

    Transliteration variants (Qais/Qayis) are not merged; they are recorded as aliases.
    """
    # U+00B4 decomposes to a space plus a combining accent, so apostrophes go first.
    text = name.translate(_NAME_TABLE)
    if text.isascii():  # nothing to decompose, no marks or format characters: the common case
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKD", text.casefold())
    # Combining marks are the diacritics; format characters (soft hyphen, zero-width
    # joiners) are invisible leftovers of copy-and-paste from the sources.
    text = "".join(
        c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    # Compatibility forms (fullwidth apostrophe, small hyphen) only become ASCII after NFKD.
    text = text.translate(_NAME_TABLE)
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """The form under which text values compare: case, quote style, spacing, final full stop,
    and quote marks enclosing the whole value (a slogan quoted or not is the same text)."""
    out = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTE_TABLE)
    out = " ".join(out.split())
    out = out.rstrip(". ")
    while len(out) >= 2 and out[0] == out[-1] and out[0] in "\"'":
        out = out[1:-1].strip().rstrip(". ")
    return out


def _bounded_key(prefix: str, body: str) -> str:
    key = prefix + body
    if len(key) <= KEY_MAX_LENGTH:
        return key
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    head = body[: KEY_MAX_LENGTH - len(prefix) - len(digest) - len("#sha256:")]
    return f"{prefix}{head}#sha256:{digest}"


def _parse_entity(raw: str) -> ParsedValue:
    name = raw.strip()
    normalised = normalise_name(name)
    if not normalised:
        raise InvalidValue(f"bad entity {_quoted(name)}: expected a name such as Qais al-Khazali")
    return ParsedValue(
        datatype="entity",
        display=name,
        key=_bounded_key("e:", normalised),
        text_value=normalised,
    )


def _parse_text(raw: str) -> ParsedValue:
    display = raw.strip()
    normalised = normalise_text(display)
    if not normalised:
        raise InvalidValue(
            f"bad text {_quoted(display)}: expected non-empty text such as 'claimed the attack'"
        )
    return ParsedValue(
        datatype="text",
        display=display,
        key=_bounded_key("t:", normalised),
        text_value=normalised,
    )


# --------------------------------------------------------------------------- booleans

_TRUE_WORDS = frozenset({"true", "yes", "1"})
_FALSE_WORDS = frozenset({"false", "no", "0"})


def parse_boolean(raw: str) -> ParsedValue:
    """``true``/``false``, ``yes``/``no`` or ``1``/``0``, in any case."""
    display = raw.strip()
    word = display.casefold()
    if word in _TRUE_WORDS:
        value = True
    elif word in _FALSE_WORDS:
        value = False
    else:
        raise InvalidValue(f"bad boolean {_quoted(display)}: expected {BOOLEAN_EXAMPLES}")
    return ParsedValue(
        datatype="boolean",
        display=display,
        key="b:true" if value else "b:false",
        boolean_value=value,
    )


# --------------------------------------------------------------------------- quantities

# The words of quantities (operators, scales, currencies, percent, counts) are the lexicon's,
# shared with ``extract`` so what one reads the other accepts.
_CURRENCY_UNITS = lexicon.CURRENCY_SIGNS
_SCALES = lexicon.SCALES
_PHRASE_OPERATORS = [(phrase, lexicon.OPERATORS[phrase]) for phrase in lexicon.OPERATOR_PHRASES]
_SUFFIX_OPERATORS = tuple(lexicon.SUFFIX_OPERATORS.items())
PERCENT_UNITS = lexicon.PERCENT_UNITS


def canonical_unit(unit: str | None) -> str | None:
    """The stored form of a unit: stripped, ``%`` for every spelling of percent, None if blank."""
    if unit is None:
        return None
    text = " ".join(unit.split())
    if not text:
        return None
    return "%" if text.casefold() in PERCENT_UNITS else text


_COUNT_WORDS = lexicon.COUNT_WORDS
_COUNT_SINGULAR = lexicon.COUNT_SINGULAR
_COUNT_RE = re.compile(
    r"(?:(?P<few>several|a few|many)\s+)?"
    r"(?P<words>(?:tens|hundreds) of thousands|dozens|hundreds|thousands|millions"
    r"|dozen|hundred|thousand)(?:\s+of)?"
)


def _amount(p: str) -> str:
    """A number with optional sign, currency sign, scale word and percent sign."""
    return (
        rf"(?P<{p}sign>[-+])?\s*(?P<{p}cur>{lexicon.CURRENCY_SIGN_PATTERN})?\s*"
        rf"(?P<{p}num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+)"
        rf"(?:e(?P<{p}exp>[-+]?\d{{1,3}}))?"
        rf"(?:\s*(?P<{p}scale>{'|'.join(_SCALES)}))?"
        rf"(?:\s*(?P<{p}pct>{lexicon.PERCENT_PATTERN}))?"
    )


_SINGLE_RE = re.compile(rf"{_amount('a')}")
_RANGE_RE = re.compile(rf"{_amount('a')}\s*(?:\.\.|-|to)\s*{_amount('b')}")
_BETWEEN_RE = re.compile(rf"between\s+{_amount('a')}\s+and\s+{_amount('b')}")
_OPEN_HIGH_RE = re.compile(rf"{_amount('a')}\s*(?:\.\.|\+)")
_OPEN_LOW_RE = re.compile(rf"\.\.\s*{_amount('a')}")
_OPERATOR_RE = re.compile(r"(>=|<=|>|<|~)\s*(.*)")


@dataclass(frozen=True)
class _Amount:
    value: Decimal  # sign and exponent applied, scale word not
    scale: Decimal | None
    symbol_unit: str | None

    def scaled(self, scale: Decimal | None = None) -> Decimal:
        factor = scale if scale is not None else self.scale
        return self.value * factor if factor is not None else self.value


class _QuantityProblem(Exception):
    """Why a quantity did not parse; turned into InvalidValue with the typed text."""


def _read_amount(match: re.Match[str], p: str) -> _Amount:
    digits = match.group(f"{p}num").replace(",", "")
    exponent = match.group(f"{p}exp")
    try:
        value = Decimal(digits)
        if exponent is not None:
            value = value.scaleb(int(exponent))
    except InvalidOperation as exc:  # pragma: no cover - the pattern only admits digits
        raise _QuantityProblem("not a number") from exc
    if match.group(f"{p}sign") == "-":
        value = -value
    scale_word = match.group(f"{p}scale")
    symbol = match.group(f"{p}cur")
    symbol_unit = _CURRENCY_UNITS[symbol] if symbol else None
    if match.group(f"{p}pct"):
        if symbol_unit is not None:
            raise _QuantityProblem("it mixes a currency and a percentage")
        symbol_unit = "%"
    return _Amount(value, _SCALES[scale_word] if scale_word else None, symbol_unit)


def _word_amount(text: str) -> _Amount | None:
    """A number in words ("five", "twenty-four", "a dozen", "one-third"), as extract reads it."""
    words = text.replace("-", " ").split()
    if not words or words in (["a"], ["an"]) or words[0] in lexicon.SCALE_WORDS:
        return None
    value = lexicon.word_value(text)
    return _Amount(value, None, None) if value is not None else None


def _prepare_quantity_text(text: str) -> str:
    out = unicodedata.normalize("NFKC", text).casefold()
    out = out.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    out = out.replace("≥", ">=").replace("≤", "<=").replace("≈", "~")
    return " ".join(out.split())


def _split_operator(text: str) -> tuple[str | None, str]:
    for phrase, op in _PHRASE_OPERATORS:
        if text.startswith(phrase):
            rest = text[len(phrase) :]
            if phrase.endswith(".") or rest[:1].isspace():
                return op, rest.strip()
    for phrase, op in _SUFFIX_OPERATORS:
        if text.endswith(" " + phrase):
            return op, text[: -len(phrase)].strip()
    match = _OPERATOR_RE.fullmatch(text)
    if match:
        return match.group(1), match.group(2)
    return None, text


_Interval = tuple[Decimal | None, Decimal | None, bool, bool, str | None]


def _quantity_interval(text: str, tolerance: Decimal) -> tuple[_Interval, bool]:
    """The interval of prepared text, and whether the text was approximate (and so
    widened by ``tolerance``)."""
    count = _COUNT_RE.fullmatch(text)
    if count is not None:
        words = count.group("words")
        if words in _COUNT_SINGULAR:
            if count.group("few") not in ("several", "a few"):
                raise _QuantityProblem(f"'{words}' alone is not a number")
            words = _COUNT_SINGULAR[words]
        low, high = _COUNT_WORDS[words]
        return (low - low * tolerance, high + high * tolerance, False, False, None), True
    op, rest = _split_operator(text)
    interval = _exact_interval(op, rest, text)
    if op != "~":
        return interval, False
    value, _, _, _, symbol_unit = interval
    assert value is not None  # "~" is always followed by one number
    spread = abs(value) * tolerance
    return (value - spread, value + spread, False, False, symbol_unit), True


def _bounded(op: str, amount: _Amount) -> _Interval:
    """The interval of one amount after an operator (``~N`` is [N, N] here)."""
    value = amount.scaled()
    if op == ">=":
        return value, None, False, False, amount.symbol_unit
    if op == ">":
        return value, None, True, False, amount.symbol_unit
    if op == "<=":
        return None, value, False, False, amount.symbol_unit
    if op == "<":
        return None, value, False, True, amount.symbol_unit
    return value, value, False, False, amount.symbol_unit


def _exact_interval(op: str | None, rest: str, text: str) -> _Interval:
    """The interval of text as written, before any tolerance (``~N`` is [N, N] here)."""
    if op is not None:
        match = _SINGLE_RE.fullmatch(rest)
        in_words = _word_amount(rest) if match is None else None
        if in_words is not None:
            return _bounded(op, in_words)
        if match is None:
            if not rest:
                raise _QuantityProblem(f"'{op}' needs a number after it")
            raise _QuantityProblem(f"'{op}' must be followed by a single number")
        return _bounded(op, _read_amount(match, "a"))

    match = _SINGLE_RE.fullmatch(text)
    if match:
        amount = _read_amount(match, "a")
        return amount.scaled(), amount.scaled(), False, False, amount.symbol_unit
    in_words = _word_amount(text)
    if in_words is not None:
        return in_words.value, in_words.value, False, False, None
    match = _OPEN_HIGH_RE.fullmatch(text)
    if match:
        amount = _read_amount(match, "a")
        return amount.scaled(), None, False, False, amount.symbol_unit
    match = _OPEN_LOW_RE.fullmatch(text)
    if match:
        amount = _read_amount(match, "a")
        return None, amount.scaled(), False, False, amount.symbol_unit
    match = _RANGE_RE.fullmatch(text) or _BETWEEN_RE.fullmatch(text)
    if match is None:
        raise _QuantityProblem("")
    first, second = _read_amount(match, "a"), _read_amount(match, "b")
    symbols = {a.symbol_unit for a in (first, second) if a.symbol_unit is not None}
    if len(symbols) > 1:
        raise _QuantityProblem(f"its ends have different units ({', '.join(sorted(symbols))})")
    high = second.scaled()
    low = first.scaled()
    # A bare number below 1000 beside "N million" counts millions ("$2-$3 million");
    # a larger one is written out in full ("900,000-1.2 million").
    if first.scale is None and second.scale is not None and abs(first.value) < 1000:
        low = first.scaled(second.scale)
    if low > high:
        raise _QuantityProblem(
            f"its low end is above its high end ({_format_number(low)} > {_format_number(high)})"
        )
    return low, high, False, False, symbols.pop() if symbols else None


def _format_number(number: Decimal) -> str:
    if number == 0:
        return "0"  # -0 and 0 are one value
    return format(number.normalize(), "f")


def _quantity_key(
    low: Decimal | None, high: Decimal | None, low_ex: bool, high_ex: bool, unit: str | None
) -> str:
    if low is not None and high is not None:
        body = _format_number(low)
        if low != high:
            body += f"..{_format_number(high)}"
    elif low is not None:
        body = (">" if low_ex else ">=") + _format_number(low)
    elif high is not None:
        body = ("<" if high_ex else "<=") + _format_number(high)
    else:  # pragma: no cover - every pattern yields at least one bound
        raise AssertionError("a quantity with no bound")
    return f"q:{body} {unit}" if unit else f"q:{body}"


def _check_tolerance(tolerance: float | None, display: str) -> Decimal:
    if tolerance is None:
        return Decimal(str(DEFAULT_TOLERANCE))
    if (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, (int, float))
        or not math.isfinite(tolerance)
        or tolerance < 0
    ):
        raise InvalidValue(
            f"bad tolerance {_quoted(tolerance)} for quantity {_quoted(display)}: "
            "expected a fraction of at least 0 such as 0.1 (meaning ±10 %)"
        )
    return Decimal(str(tolerance))


def _bad_quantity(display: str, reason: str = "") -> InvalidValue:
    because = f"{reason}; " if reason else ""
    return InvalidValue(
        f"bad quantity {_quoted(display)}: {because}"
        f"expected a number or range such as {QUANTITY_EXAMPLES}"
    )


def _to_float(number: Decimal | None, display: str) -> float | None:
    if number is None:
        return None
    result = float(number)
    if not math.isfinite(result):
        raise _bad_quantity(display, "the number is too large")
    return result


def parse_quantity(
    raw: str, *, unit: str | None = None, tolerance: float | None = None
) -> ParsedValue:
    """Parse a number, range, bound or approximation into an interval; see the module doc."""
    display = raw.strip()
    given_unit = canonical_unit(unit)
    tol = _check_tolerance(tolerance, display)
    if not display:
        raise _bad_quantity(display, "a value is required")
    try:
        (low, high, low_ex, high_ex, sign_unit), approximate = _quantity_interval(
            _prepare_quantity_text(display), tol
        )
    except _QuantityProblem as problem:
        if looks_like_date(display):
            raise _bad_quantity(
                display, "it looks like a date, which needs a property of datatype date"
            ) from None
        raise _bad_quantity(display, str(problem)) from None
    if (
        sign_unit is not None
        and given_unit is not None
        and sign_unit.casefold() != given_unit.casefold()
    ):
        raise _bad_quantity(display, f"its sign means {sign_unit} but the unit is {given_unit}")
    final_unit = given_unit if given_unit is not None else sign_unit
    return ParsedValue(
        datatype="quantity",
        display=display,
        key=_quantity_key(low, high, low_ex, high_ex, final_unit),
        quantity_low=_to_float(low, display),
        quantity_high=_to_float(high, display),
        quantity_low_exclusive=low_ex,
        quantity_high_exclusive=high_ex,
        quantity_approximate=approximate,
        unit=final_unit,
    )


# --------------------------------------------------------------------------- dates (edtf_dates.py)


def _bad_date(display: str, problem: DateProblem) -> NoReturn:
    reason = f"{problem}; " if str(problem) else ""
    raise InvalidValue(
        f"bad date {_quoted(display)}: {reason}expected an EDTF date such as {DATE_EXAMPLES}"
    )


def parse_date(raw: str) -> ParsedValue:
    """Parse an EDTF level 0/1 date into its UTC bounds; see the module doc for widening."""
    display = raw.strip()
    try:
        normalised, earliest, latest = date_interval(display)
    except DateProblem as problem:
        _bad_date(display, problem)
    low, high = iso_moment(earliest), iso_moment(latest)
    return ParsedValue(
        datatype="date",
        display=display,
        key=f"d:{low or '..'}/{high or '..'}",
        date_earliest=low,
        date_latest=high,
        edtf=normalised,
    )


def date_bounds(edtf_text: str) -> tuple[str | None, str | None]:
    """[earliest, latest] of an EDTF text, for scopes such as as_of and valid_from."""
    parsed = parse_date(edtf_text)
    return parsed.date_earliest, parsed.date_latest
