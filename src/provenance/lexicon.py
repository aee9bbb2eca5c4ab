"""The words of quantities and of the calendar, in one place for what a person types and what
``extract`` reads.

``values.py`` parses a value typed with ``add --value`` or written in an import file;
``extract`` reads figures in running English prose. Both take their operators ("at least",
"nearly", "in excess of", "or more"), scale words, currency signs and names, percent
spellings, counts in words ("dozens", "hundreds of thousands") and number words ("five",
"twenty-four", "a dozen", "one-third") from here, so a phrase ``extract`` reads is one
``add --value`` accepts with the same meaning, and the reverse.

Decision: "nearly" and "almost" are approximations (``~``) like "about": the source commits to
a figure close to N, not to a range below it, and the property's tolerance widens it.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal

# Phrases before a number and the bound they set ("" = the number as written).
OPERATORS = {
    "more than": ">",
    "greater than": ">",
    "over": ">",
    "above": ">",
    "in excess of": ">",
    "upwards of": ">",
    "at least": ">=",
    "no less than": ">=",
    "not less than": ">=",
    "no fewer than": ">=",
    "not fewer than": ">=",
    "a minimum of": ">=",
    "at most": "<=",
    "no more than": "<=",
    "not more than": "<=",
    "up to": "<=",
    "as many as": "<=",
    "as much as": "<=",
    "a maximum of": "<=",
    "a maximum period of": "<=",
    "within a maximum period of": "<=",
    "within": "<=",
    "less than": "<",
    "fewer than": "<",
    "under": "<",
    "below": "<",
    "about": "~",
    "around": "~",
    "nearly": "~",
    "almost": "~",
    "roughly": "~",
    "approximately": "~",
    "approx.": "~",
    "approx": "~",
    "circa": "~",
    "ca.": "~",
    "some": "~",
    "close to": "~",
    "an estimated": "~",
    "estimated": "~",
    "a reported": "",
}
# Longest first, so "no more than" is not read as "more than".
OPERATOR_PHRASES = sorted(OPERATORS, key=len, reverse=True)
OPERATOR_PATTERN = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in OPERATOR_PHRASES)
# Phrases after a number.
SUFFIX_OPERATORS = {
    "or more": ">=",
    "or over": ">=",
    "or fewer": "<=",
    "or less": "<=",
    "or so": "~",
}

CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP"}
CURRENCY_SIGN_PATTERN = "[" + "".join(CURRENCY_SIGNS) + "]"
CURRENCY_WORDS = {
    "dollars": "USD",
    "usd": "USD",
    "euros": "EUR",
    "pounds": "GBP",
    "dinars": "IQD",
    "iqd": "IQD",
    "rials": "IRR",
    "riyals": "SAR",
}

# Spellings of one unit: the percent sign and its words (percentage points are another unit).
PERCENT_UNITS = frozenset({"%", "percent", "per cent", "pct", "pct."})
PERCENT_PATTERN = r"%|per\s?cent\b|pct\b\.?"

# Counts in words, approximate: (low, high) of the plural magnitude. The lower end is two of
# the unit, the upper end just below the next named magnitude.
COUNT_WORDS = {
    "dozens": (Decimal(24), Decimal(199)),
    "hundreds": (Decimal(200), Decimal(999)),
    "thousands": (Decimal(2000), Decimal(9999)),
    "tens of thousands": (Decimal(20000), Decimal(99999)),
    "hundreds of thousands": (Decimal(200000), Decimal(999999)),
    "millions": (Decimal(2000000), Decimal(9999999)),
}
COUNT_SINGULAR = {"dozen": "dozens", "hundred": "hundreds", "thousand": "thousands"}
# What one of a plural magnitude is worth, for "hundreds of", "tens of millions of".
PLURAL_MAGNITUDES = {
    "tens": Decimal(10),
    "dozens": Decimal(12),
    "hundreds": Decimal(100),
    "thousands": Decimal(1000),
    "millions": Decimal(10) ** 6,
    "billions": Decimal(10) ** 9,
}

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Scale words multiply the number before them ("1.65 million"); "hundred" only in words.
SCALES = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
SCALE_WORDS = {"hundred": Decimal(100), **SCALES}
SCALE_PATTERN = "|".join(SCALES)
FRACTIONS = {"half": Decimal("0.5"), "third": Decimal(1) / 3, "quarter": Decimal("0.25")}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_SIMPLE_NUMBER = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
)
_SCALED = r"(?:[-\s]+(?:hundred|thousand|million|billion)(?![-\s]+dozen\b))"
# a number in words with its scales: "two thousand", "three hundred and fifty", "a hundred"
WORD_NUMBER = (
    r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|a|half\s+a)[-\s]dozen"
    rf"|(?:{_SIMPLE_NUMBER}|a){_SCALED}(?:(?:[-\s]+and)?[-\s]+{_SIMPLE_NUMBER}"
    rf"(?!{_SCALED}))?(?:{_SCALED}(?:(?:[-\s]+and)?[-\s]+{_SIMPLE_NUMBER}(?!{_SCALED}))?)*"
    rf"|{_SIMPLE_NUMBER}"
    r"|a\s+dozen|dozen)"
)


def word_value(text: str) -> Decimal | None:
    """The value of a number written in words: 'five', 'twenty-four', 'a dozen', 'one-third'."""
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w and w != "and"]
    if not words:
        return None
    if words in (["a", "dozen"], ["dozen"]):
        return Decimal(12)
    if words == ["half", "a", "dozen"]:
        return Decimal(6)
    if len(words) == 2 and words[1] == "dozen" and words[0] in UNITS:
        return Decimal(UNITS[words[0]] * 12)  # "two-dozen missiles"
    if words == ["one", "a", "half"] or words == ["one", "and", "a", "half"]:
        return Decimal("1.5")
    if len(words) == 2 and words[0] in ("one", "a") and words[1].rstrip("s") in FRACTIONS:
        return FRACTIONS[words[1].rstrip("s")]
    if len(words) == 2 and words[0] in UNITS and words[1].rstrip("s") in FRACTIONS:
        return UNITS[words[0]] * FRACTIONS[words[1].rstrip("s")]
    total = Decimal(0)
    current = Decimal(0)
    for word in words:
        if word == "a":
            current = current or Decimal(1)
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALE_WORDS:
            current = (current or Decimal(1)) * SCALE_WORDS[word]
            if SCALE_WORDS[word] >= 1000:
                total += current
                current = Decimal(0)
        else:
            return None
    return total + current


def digits_value(text: str) -> Decimal:
    """``1,650,000`` → 1650000."""
    return Decimal(text.replace(",", ""))
