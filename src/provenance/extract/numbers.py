"""Number words and calendar words: "five", "twenty-four", "a dozen", "one-third", month and
weekday names."""

from __future__ import annotations

import calendar
import re
from decimal import Decimal

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
SCALE_WORDS = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
FRACTIONS = {"half": Decimal("0.5"), "third": Decimal(1) / 3, "quarter": Decimal("0.25")}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

WORD_NUMBER = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|"
    + "|".join(sorted(UNITS, key=len, reverse=True))
    + r"|a\s+dozen|dozen|a\s+hundred|a\s+thousand)"
)


def word_value(text: str) -> Decimal | None:
    """The value of a number written in words: 'five', 'twenty-four', 'a dozen', 'one-third'."""
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w and w != "and"]
    if not words:
        return None
    if words in (["a", "dozen"], ["dozen"]):
        return Decimal(12)
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
    return Decimal(text.replace(",", ""))
