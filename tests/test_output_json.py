"""`--json` is written by orjson where it gives the standard library's bytes, and by the
standard library where it would not (provenance.output.dumps)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from provenance.output import dumps

VALUES = [
    {"support": 0.8, "probability": 0.596, "value": "2010-01", "quote": "«Qayis» — 5e3 men"},
    {"tiny": 1e-07, "huge": 2.5e16, "note": "written with an exponent"},
    {"upper": 1e20, "text": "E10 and 3E in a text are no numbers"},
    {"row": [1, 2.0, None, True], "id": 2**70},
    {1: "an integer key"},
    {"at": dt.datetime(2026, 12, 5, 1, 30), "control": "a\u0007bell"},
    [],
    {},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_indented_json_is_the_standard_librarys(value):
    expected = json.dumps(value, ensure_ascii=False, default=str, indent=2)
    written = dumps(value, indent=2)
    assert json.loads(written) == json.loads(expected)
    if "\u0007" not in expected:  # controls are escaped on top (inputs.json_safe)
        assert written == expected
