"""Typed claim values: quantities, dates, booleans, names and text."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from provenance.errors import InvalidValue, ProvenanceError
from provenance.values import (
    DATATYPES,
    KEY_MAX_LENGTH,
    ParsedValue,
    date_bounds,
    normalise_name,
    normalise_text,
    parse_boolean,
    parse_date,
    parse_quantity,
    parse_value,
)

# --------------------------------------------------------------------------- quantities

# raw, low, high, low_exclusive, high_exclusive, unit, key
QUANTITIES = [
    ("15", 15, 15, False, False, None, "q:15"),
    ("1,650,000", 1_650_000, 1_650_000, False, False, None, "q:1650000"),
    ("1.65 million", 1_650_000, 1_650_000, False, False, None, "q:1650000"),
    ("2 thousand", 2_000, 2_000, False, False, None, "q:2000"),
    ("3 billion", 3e9, 3e9, False, False, None, "q:3000000000"),
    ("1.5 Billion", 1.5e9, 1.5e9, False, False, None, "q:1500000000"),
    ("750000..1000000", 750_000, 1_000_000, False, False, None, "q:750000..1000000"),
    (">=70", 70, None, False, False, None, "q:>=70"),
    (">100", 100, None, True, False, None, "q:>100"),
    ("<=5", None, 5, False, False, None, "q:<=5"),
    ("<5", None, 5, False, True, None, "q:<5"),
    ("~2000", 1800, 2200, False, False, None, "q:1800..2200"),
    ("$2-$3 million", 2_000_000, 3_000_000, False, False, "USD", "q:2000000..3000000 USD"),
    (
        "$750,000-$1,000,000",
        750_000,
        1_000_000,
        False,
        False,
        "USD",
        "q:750000..1000000 USD",
    ),
    ("€5 million", 5e6, 5e6, False, False, "EUR", "q:5000000 EUR"),
    ("£12", 12, 12, False, False, "GBP", "q:12 GBP"),
    ("-5", -5, -5, False, False, None, "q:-5"),
    ("-5..-3", -5, -3, False, False, None, "q:-5..-3"),
    ("−5", -5, -5, False, False, None, "q:-5"),
    (">=-10", -10, None, False, False, None, "q:>=-10"),
    ("~-2000", -2200, -1800, False, False, None, "q:-2200..-1800"),
    ("0.25", 0.25, 0.25, False, False, None, "q:0.25"),
    (".5", 0.5, 0.5, False, False, None, "q:0.5"),
    ("1e6", 1e6, 1e6, False, False, None, "q:1000000"),
    ("12.0", 12, 12, False, False, None, "q:12"),
    ("5..5", 5, 5, False, False, None, "q:5"),
    ("2-3", 2, 3, False, False, None, "q:2..3"),
    ("2–3", 2, 3, False, False, None, "q:2..3"),
    ("2 to 3", 2, 3, False, False, None, "q:2..3"),
    ("1000-2000", 1000, 2000, False, False, None, "q:1000..2000"),
    ("900,000-1.2 million", 900_000, 1_200_000, False, False, None, "q:900000..1200000"),
    ("2 million..3 million", 2e6, 3e6, False, False, None, "q:2000000..3000000"),
    ("≥70", 70, None, False, False, None, "q:>=70"),
    ("≤5", None, 5, False, False, None, "q:<=5"),
    ("≈2000", 1800, 2200, False, False, None, "q:1800..2200"),
    ("70..", 70, None, False, False, None, "q:>=70"),
    ("..5", None, 5, False, False, None, "q:<=5"),
    ("70+", 70, None, False, False, None, "q:>=70"),
    ("5%", 5, 5, False, False, "%", "q:5 %"),
    ("5-10%", 5, 10, False, False, "%", "q:5..10 %"),
    ("  15  ", 15, 15, False, False, None, "q:15"),
    ("0", 0, 0, False, False, None, "q:0"),
    ("-0", 0, 0, False, False, None, "q:0"),
]


@pytest.mark.parametrize(("raw", "low", "high", "low_ex", "high_ex", "unit", "key"), QUANTITIES)
def test_quantity_canonical(
    raw: str,
    low: float | None,
    high: float | None,
    low_ex: bool,
    high_ex: bool,
    unit: str | None,
    key: str,
) -> None:
    value = parse_quantity(raw)
    assert value.datatype == "quantity"
    assert value.quantity_low == (None if low is None else pytest.approx(low))
    assert value.quantity_high == (None if high is None else pytest.approx(high))
    assert value.quantity_low_exclusive is low_ex
    assert value.quantity_high_exclusive is high_ex
    assert value.unit == unit
    assert value.key == key
    assert value.display == raw.strip()
    assert value.date_earliest is value.date_latest is value.text_value is None


NATURAL_QUANTITIES = [
    ("at least 70", ">=70"),
    ("At Least 70", ">=70"),
    ("no fewer than 70", ">=70"),
    ("no less than 70", ">=70"),
    ("a minimum of 70", ">=70"),
    ("70 or more", ">=70"),
    ("more than 100", ">100"),
    ("over 100", ">100"),
    ("greater than 100", ">100"),
    ("above 100", ">100"),
    ("at most 5", "<=5"),
    ("no more than 5", "<=5"),
    ("up to 5", "<=5"),
    ("5 or fewer", "<=5"),
    ("5 or less", "<=5"),
    ("fewer than 5", "<5"),
    ("less than 5", "<5"),
    ("under 5", "<5"),
    ("below 5", "<5"),
    ("about 2000", "~2000"),
    ("roughly 2000", "~2000"),
    ("around 2000", "~2000"),
    ("approximately 2000", "~2000"),
    ("approx. 2000", "~2000"),
    ("circa 2000", "~2000"),
    ("ca. 2000", "~2000"),
    ("some 2000", "~2000"),
    ("an estimated 2,000", "~2000"),
    ("~ 2000", "~2000"),
    ("between 2 and 3 million", "2000000..3000000"),
    ("between 750,000 and 1,000,000", "750000..1000000"),
    ("Between $2 and $3 million", "$2-$3 million"),
    ("about 1.65 million", "~1650000"),
    ("more than $1 billion", ">$1000000000"),
]


@pytest.mark.parametrize(("phrase", "symbolic"), NATURAL_QUANTITIES)
def test_quantity_natural_phrasing_equals_symbolic(phrase: str, symbolic: str) -> None:
    natural, plain = parse_quantity(phrase), parse_quantity(symbolic)
    assert natural.key == plain.key
    assert natural.quantity_low == plain.quantity_low
    assert natural.quantity_high == plain.quantity_high
    assert natural.quantity_low_exclusive == plain.quantity_low_exclusive
    assert natural.quantity_high_exclusive == plain.quantity_high_exclusive
    assert natural.unit == plain.unit
    assert natural.display == phrase


@pytest.mark.parametrize(
    ("raw", "tolerance", "low", "high", "key"),
    [
        ("~2000", None, 1800, 2200, "q:1800..2200"),
        ("~2000", 0.1, 1800, 2200, "q:1800..2200"),
        ("~2000", 0.05, 1900, 2100, "q:1900..2100"),
        ("~2000", 0.25, 1500, 2500, "q:1500..2500"),
        ("~2000", 0, 2000, 2000, "q:2000"),
        ("about 1.65 million", 0.2, 1_320_000, 1_980_000, "q:1320000..1980000"),
        ("2000", 0.5, 2000, 2000, "q:2000"),  # tolerance only applies to approximations
    ],
)
def test_quantity_tolerance(
    raw: str, tolerance: float | None, low: float, high: float, key: str
) -> None:
    value = parse_quantity(raw, tolerance=tolerance)
    assert value.quantity_low == pytest.approx(low)
    assert value.quantity_high == pytest.approx(high)
    assert value.key == key


@pytest.mark.parametrize(
    ("first", "second", "kwargs"),
    [
        ("1,650,000", "1.65 million", {}),
        ("1650000", "1.65 million", {}),
        ("1,650 thousand", "1.65 million", {}),
        ("~2000", "1800..2200", {"tolerance": 0.1}),
        ("~2000", "1800..2200", {}),
        ("about 2000", "1800-2200", {}),
        ("$750,000-$1,000,000", "750000..1000000", {"unit": "USD"}),
        ("$2-$3 million", "between 2 and 3 million", {"unit": "USD"}),
        ("15", "15.00", {}),
        (">=70", "at least 70", {}),
        ("70..", ">=70", {}),
    ],
)
def test_quantity_same_key(first: str, second: str, kwargs: dict[str, Any]) -> None:
    assert parse_quantity(first, **kwargs).key == parse_quantity(second, **kwargs).key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (">100", ">=100"),
        ("<5", "<=5"),
        ("15", "16"),
        ("~2000", "2000"),
        ("$5", "5"),
        ("$5", "€5"),
        ("5..10", "5..11"),
        ("1.65 million", "1.65 billion"),
    ],
)
def test_quantity_different_key(first: str, second: str) -> None:
    assert parse_quantity(first).key != parse_quantity(second).key


def test_quantity_explicit_unit() -> None:
    value = parse_quantity("1.65 million", unit="people")
    assert value.unit == "people"
    assert value.key == "q:1650000 people"


def test_quantity_currency_sign_agrees_with_explicit_unit() -> None:
    value = parse_quantity("$5", unit="usd")
    assert value.unit == "usd"
    assert value.quantity_low == 5


def test_quantity_blank_unit_is_no_unit() -> None:
    assert parse_quantity("$5", unit="  ").unit == "USD"
    assert parse_quantity("5", unit="").unit is None


BAD_QUANTITIES = [
    "",
    "   ",
    "abc",
    "12 apples",
    "10..5",
    "-3..-5",
    "5-3",
    "$3-$2 million",
    "500-3 million",
    ">=",
    ">",
    "~",
    "about",
    "at least",
    "1..2..3",
    "1,65",
    "1,6500",
    "12,,000",
    "fivefold",
    ">=5..10",
    "~2..3",
    "about 2 to 3",
    "$5-€6",
    "$5%",
    "1e999",
    "between 2 and",
    "2007-03-01",
    "2009-10",
    "2007-03",
    "2007~",
    "2009/2010",
    "2011-12-01T20:00Z",
]


@pytest.mark.parametrize("raw", BAD_QUANTITIES)
def test_quantity_errors(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_quantity(raw)
    message = str(caught.value)
    assert "\n" not in message
    assert f"'{raw.strip()}'" in message
    assert "quantity" in message
    assert "such as" in message


@pytest.mark.parametrize(
    "raw", ["2007-03-01", "2009-10", "2007~", "2009/2010", "2011-12-01T20:00Z"]
)
def test_quantity_given_a_date_says_so(raw: str) -> None:
    with pytest.raises(InvalidValue, match="looks like a date"):
        parse_value("quantity", raw)


def test_quantity_reversed_range_says_so() -> None:
    with pytest.raises(InvalidValue, match="low end is above its high end"):
        parse_quantity("10..5")


def test_quantity_reversed_range_shows_the_reading() -> None:
    # the scale word of the upper end applied to the lower end: 500 million > 3 million
    with pytest.raises(InvalidValue, match=r"500000000 > 3000000"):
        parse_quantity("500-3 million")


def test_error_messages_stay_on_one_line() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_quantity("1\n2")
    assert "\n" not in str(caught.value)
    assert "'1 2'" in str(caught.value)


def test_quantity_sign_conflicts_with_unit() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_quantity("$5", unit="EUR")
    assert "'$5'" in str(caught.value)
    assert "USD" in str(caught.value) and "EUR" in str(caught.value)


@pytest.mark.parametrize("tolerance", [-0.1, float("nan"), float("inf")])
def test_quantity_bad_tolerance(tolerance: float) -> None:
    with pytest.raises(InvalidValue, match="tolerance"):
        parse_quantity("~2000", tolerance=tolerance)


# --------------------------------------------------------------------------- dates

DATES = [
    ("2007", "2007-01-01T00:00:00", "2007-12-31T23:59:59"),
    ("2007-03", "2007-03-01T00:00:00", "2007-03-31T23:59:59"),
    ("2008-02", "2008-02-01T00:00:00", "2008-02-29T23:59:59"),
    ("2007-02", "2007-02-01T00:00:00", "2007-02-28T23:59:59"),
    ("2007-01-20", "2007-01-20T00:00:00", "2007-01-20T23:59:59"),
    ("2008-02-29", "2008-02-29T00:00:00", "2008-02-29T23:59:59"),
    ("2009-10/2009-12", "2009-10-01T00:00:00", "2009-12-31T23:59:59"),
    ("2009-10 / 2009-12", "2009-10-01T00:00:00", "2009-12-31T23:59:59"),
    ("2004-06-11/2006", "2004-06-11T00:00:00", "2006-12-31T23:59:59"),
    ("2009/2009", "2009-01-01T00:00:00", "2009-12-31T23:59:59"),
    # approximate/uncertain: one unit of the precision written on each side
    ("2021-03~", "2021-02-01T00:00:00", "2021-04-30T23:59:59"),
    ("2021-01~", "2020-12-01T00:00:00", "2021-02-28T23:59:59"),
    ("2007?", "2006-01-01T00:00:00", "2008-12-31T23:59:59"),
    ("2007~", "2006-01-01T00:00:00", "2008-12-31T23:59:59"),
    ("2007-03%", "2007-02-01T00:00:00", "2007-04-30T23:59:59"),
    ("2007-01-20~", "2007-01-19T00:00:00", "2007-01-21T23:59:59"),
    ("2007-03-01?", "2007-02-28T00:00:00", "2007-03-02T23:59:59"),
    ("2004~/2006", "2003-01-01T00:00:00", "2006-12-31T23:59:59"),
    ("2004/2006?", "2004-01-01T00:00:00", "2007-12-31T23:59:59"),
    ("2007-03?/2008%", "2007-02-01T00:00:00", "2009-12-31T23:59:59"),
    # times: the minute written, converted to UTC
    ("2011-12-01T20:00-05:00", "2011-12-02T01:00:00", "2011-12-02T01:00:59"),
    ("2011-12-01T20:00:00Z", "2011-12-01T20:00:00", "2011-12-01T20:00:00"),
    ("2011-12-01T20:00Z", "2011-12-01T20:00:00", "2011-12-01T20:00:59"),
    ("2011-12-01T20:00:30+05:30", "2011-12-01T14:30:30", "2011-12-01T14:30:30"),
    ("2011-12-01T20:00", "2011-12-01T20:00:00", "2011-12-01T20:00:59"),
    ("2011-12-31T23:30-05:00", "2012-01-01T04:30:00", "2012-01-01T04:30:59"),
    ("2011-12-01t20:00z", "2011-12-01T20:00:00", "2011-12-01T20:00:59"),
    ("2011-12-01T24:00:00", "2011-12-02T00:00:00", "2011-12-02T00:00:00"),
    # open and unknown ends
    ("2007/..", "2007-01-01T00:00:00", None),
    ("../2009", None, "2009-12-31T23:59:59"),
    ("2007/", "2007-01-01T00:00:00", None),
    ("/2009", None, "2009-12-31T23:59:59"),
    ("2007-03~/..", "2007-02-01T00:00:00", None),
    # unspecified digits and seasons
    ("201X", "2010-01-01T00:00:00", "2019-12-31T23:59:59"),
    ("201X~", "2000-01-01T00:00:00", "2029-12-31T23:59:59"),
    ("2004-XX", "2004-01-01T00:00:00", "2004-12-31T23:59:59"),
    ("1985-04-XX", "1985-04-01T00:00:00", "1985-04-30T23:59:59"),
    ("2001-21", "2001-03-01T00:00:00", "2001-05-31T23:59:59"),
    ("2001-24", "2001-12-01T00:00:00", "2002-02-28T23:59:59"),
    ("2001-21~/2002", "2000-12-01T00:00:00", "2002-12-31T23:59:59"),
    ("0001", "0001-01-01T00:00:00", "0001-12-31T23:59:59"),
    ("0001~", "0001-01-01T00:00:00", "0002-12-31T23:59:59"),
    ("9999-12-31~", "9999-12-30T00:00:00", "9999-12-31T23:59:59"),
]


@pytest.mark.parametrize(("raw", "earliest", "latest"), DATES)
def test_date_bounds(raw: str, earliest: str | None, latest: str | None) -> None:
    value = parse_date(raw)
    assert value.datatype == "date"
    assert (value.date_earliest, value.date_latest) == (earliest, latest)
    assert value.key == f"d:{earliest or '..'}/{latest or '..'}"
    assert value.display == raw.strip()
    assert value.edtf is not None
    assert date_bounds(raw) == (earliest, latest)
    # the stored EDTF text reads back to the same bounds
    assert date_bounds(value.edtf) == (earliest, latest)


@pytest.mark.parametrize(
    ("raw", "edtf"),
    [
        ("2007", "2007"),
        ("  2021-03~ ", "2021-03~"),
        ("2009-10 / 2009-12", "2009-10/2009-12"),
        ("2011-12-01t20:00z", "2011-12-01T20:00Z"),
        ("2011-12-01T20:00-05:00", "2011-12-01T20:00-05:00"),
        ("201x", "201X"),
    ],
)
def test_date_normalised_edtf(raw: str, edtf: str) -> None:
    assert parse_date(raw).edtf == edtf


def test_date_bounds_sort_as_text() -> None:
    ordered = ["0999", "2006-12-31", "2007", "2007-03", "2011-12-01T20:00Z", "2012"]
    earliest = [parse_date(raw).date_earliest for raw in ordered]
    assert earliest == sorted(earliest)  # type: ignore[type-var]
    assert all(len(bound) == 19 for bound in earliest if bound)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("2007-03", "2007-03-01/2007-03-31"),
        ("2007", "2007-01/2007-12"),
        ("2011-12-01T20:00:00-05:00", "2011-12-02T01:00:00Z"),
        ("2007/..", "2007/"),
    ],
)
def test_date_same_key(first: str, second: str) -> None:
    assert parse_date(first).key == parse_date(second).key


def test_date_approximation_differs_from_exact() -> None:
    assert parse_date("2007~").key != parse_date("2007").key


BAD_DATES = [
    "",
    "   ",
    "2007-13",
    "2007-02-30",
    "2007-02-29",
    "2007-04-31",
    "2007-00",
    "yesterday",
    "March 2007",
    "07",
    "2007-3",
    "2007-03-01T25:00",
    "2007T20:00:00",
    "2010/2009",
    "2009-12/2009-10",
    "/",
    "../..",
    "/..",
    "../",
    "-0100",
    "0000",
    "Y170000002",
    "2004-?06-11",
    "1950S2",
    "[1667,1668]",
    "2001-25",
    "2007-03-01/2007-03-01T10:00:00",
    "0001-01-01T00:00+05:00",
    "15",
]


@pytest.mark.parametrize("raw", BAD_DATES)
def test_date_errors(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_date(raw)
    message = str(caught.value)
    assert "\n" not in message
    assert f"'{raw.strip()}'" in message
    assert "date" in message
    assert "such as" in message


@pytest.mark.parametrize("raw", ["2010/2009", "yesterday", ""])
def test_date_bounds_errors(raw: str) -> None:
    with pytest.raises(InvalidValue):
        date_bounds(raw)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2007-02-29", "no day 29"),
        ("2010/2009", "ends before it starts"),
        ("-0100", "before 0001"),
        ("Y170000002", "after 9999"),
        ("2004-?06-11", "level 2"),
        ("../..", "at least one known end"),
    ],
)
def test_date_error_reasons(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidValue, match=fragment):
        parse_date(raw)


# --------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("yes", True),
        ("Yes", True),
        ("1", True),
        (" true ", True),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("No", False),
        ("0", False),
    ],
)
def test_boolean(raw: str, expected: bool) -> None:
    value = parse_boolean(raw)
    assert value.boolean_value is expected
    assert value.key == ("b:true" if expected else "b:false")
    assert value.display == raw.strip()
    assert parse_value("boolean", raw) == value


@pytest.mark.parametrize("raw", ["maybe", "", "  ", "2", "yess", "t", "on", "truee"])
def test_boolean_errors(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_boolean(raw)
    message = str(caught.value)
    assert f"'{raw.strip()}'" in message
    assert "boolean" in message
    assert "true" in message and "false" in message


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "variants",
    [
        [
            "Asa'ib Ahl al-Haqq",
            "Asa`ib Ahl al-Haqq",
            "Asa’ib Ahl al-Haqq",
            "Asaib Ahl al-Haqq",
            "Asa‘ib Ahl al-Haqq",
            "Asaʿib Ahl al-Haqq",
            "Asaʾib Ahl al-Haqq",
            "Asa′ib Ahl al-Haqq",
            "asa'ib ahl al haqq",
            "ASA'IB AHL AL-HAQQ",
            "Asa`ib  Ahl   al_Haqq",
        ],
        [
            "Qais al-Khazali",
            "qais al khazali",
            "Qais  al‑Khazali",
            "Qais al–Khazali",
            "Qais al—Khazali",
            "  QAIS AL-KHAZALI  ",
            "Qais\tal-Khazali",
            "Qais al_Khazali",
        ],
        ["Muqtada al-Ṣadr", "Muqtada al-Sadr", "muqtada al sadr", "Muqtada al-Şadr"],
        ["Ṣadr", "Sadr", "sadr", "SADR"],
        ["José", "Jose", "JOSÉ", "Jose\u0301"],
        ["Straße", "STRASSE", "strasse"],
        ["Khaz\u00adali", "Khazali"],
    ],
)
def test_normalise_name_equivalences(variants: list[str]) -> None:
    forms = {normalise_name(variant) for variant in variants}
    assert len(forms) == 1, forms


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Asa`ib Ahl al-Haqq", "asaib ahl al haqq"),
        ("Qais al-Khazali", "qais al khazali"),
        ("Ṣadr", "sadr"),
        ("  Badr   Organization ", "badr organization"),
        ("", ""),
        ("'-'", ""),
    ],
)
def test_normalise_name_form(name: str, expected: str) -> None:
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Qais al-Khazali", "Qayis al-Khazali"),
        ("Sadr", "Sadri"),
        ("al-Haqq", "alHaqq"),
        ("Badr", "Bader"),
    ],
)
def test_normalise_name_keeps_variants_apart(first: str, second: str) -> None:
    assert normalise_name(first) != normalise_name(second)


def test_entity_value() -> None:
    value = parse_value("entity", "  Asa`ib Ahl al-Haqq ")
    assert value.datatype == "entity"
    assert value.display == "Asa`ib Ahl al-Haqq"
    assert value.text_value == "asaib ahl al haqq"
    assert value.key == "e:asaib ahl al haqq"
    assert value.key == parse_value("entity", "Asa’ib Ahl al Haqq").key


@pytest.mark.parametrize("raw", ["", "   ", "'", "--"])
def test_entity_errors(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_value("entity", raw)
    assert f"'{raw.strip()}'" in str(caught.value)
    assert "entity" in str(caught.value)


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Claimed the attack.", "claimed the attack"),
        ("  Claimed   the\nattack  ", "claimed the attack"),
        ("“Resistance”", "resistance"),
        ("„Resistance“", "resistance"),
        ("«Resistance»", "resistance"),
        ("it’s", "it's"),
        ("‘quoted’", "quoted"),
        ("`quoted`", "quoted"),
        ("ＦＵＬＬＷＩＤＴＨ", "fullwidth"),
        ("Straße", "strasse"),
        ("ends with dots...", "ends with dots"),
        ("U.S.", "u.s"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_text_value() -> None:
    value = parse_value("text", "  “Claimed” the attack. ")
    assert value.datatype == "text"
    assert value.display == "“Claimed” the attack."
    assert value.text_value == '"claimed" the attack'
    assert value.key == 't:"claimed" the attack'
    assert value.key == parse_value("text", '"claimed"  THE attack').key


def test_text_keeps_diacritics_and_hyphens() -> None:
    # text compares wording; only names drop diacritics and hyphens
    assert normalise_text("Ṣadr") != normalise_text("Sadr")
    assert normalise_text("al-Sadr") != normalise_text("al Sadr")


def test_long_text_key_fits_the_column() -> None:
    long_a = "word " * 300 + "a"
    long_b = "word " * 300 + "b"
    key_a, key_b = parse_value("text", long_a).key, parse_value("text", long_b).key
    assert len(key_a) <= KEY_MAX_LENGTH and len(key_b) <= KEY_MAX_LENGTH
    assert key_a != key_b
    assert key_a == parse_value("text", long_a.upper()).key
    assert parse_value("text", long_a).text_value == normalise_text(long_a)


@pytest.mark.parametrize("raw", ["", "   ", ".", " . . "])
def test_text_errors(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_value("text", raw)
    assert f"'{raw.strip()}'" in str(caught.value)
    assert "text" in str(caught.value)


# --------------------------------------------------------------------------- parse_value


@pytest.mark.parametrize(
    ("datatype", "raw", "key"),
    [
        ("quantity", "1.65 million", "q:1650000"),
        ("date", "2007-03", "d:2007-03-01T00:00:00/2007-03-31T23:59:59"),
        ("entity", "Qais al-Khazali", "e:qais al khazali"),
        ("text", "Claimed the attack.", "t:claimed the attack"),
        ("boolean", "yes", "b:true"),
        ("Quantity", "15", "q:15"),
        (" date ", "2007", "d:2007-01-01T00:00:00/2007-12-31T23:59:59"),
    ],
)
def test_parse_value_dispatch(datatype: str, raw: str, key: str) -> None:
    value = parse_value(datatype, raw)
    assert value.key == key
    assert value.datatype == datatype.strip().lower()


def test_parse_value_passes_unit_and_tolerance() -> None:
    value = parse_value("quantity", "~2000", unit="people", tolerance=0.05)
    assert value.key == "q:1900..2100 people"


def test_parse_value_ignores_unit_for_other_datatypes() -> None:
    assert parse_value("date", "2007", unit="USD").unit is None


@pytest.mark.parametrize("datatype", ["number", "", "string", "quantities"])
def test_parse_value_unknown_datatype(datatype: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_value(datatype, "15")
    message = str(caught.value)
    assert f"'{datatype}'" in message
    assert all(name in message for name in DATATYPES)


@pytest.mark.parametrize("datatype", DATATYPES)
def test_parse_value_empty(datatype: str) -> None:
    with pytest.raises(InvalidValue):
        parse_value(datatype, "  ")


def test_invalid_value_is_a_provenance_error() -> None:
    assert issubclass(InvalidValue, ProvenanceError)


def test_parsed_value_is_frozen() -> None:
    value = parse_quantity("15")
    assert isinstance(value, ParsedValue)
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.key = "q:16"  # type: ignore[misc]


def test_datatypes() -> None:
    assert DATATYPES == ("quantity", "date", "entity", "text", "boolean")
