"""What a user hands us, read strictly: ids, YAML and JSON records, text fields; and
stored text shown back safely on a terminal.

Decisions a fact-checking desk relies on:

* **Ids** are whole numbers written in ASCII digits, from 1 to 2⁶³−1 (the largest
  integer SQLite and PostgreSQL store). ``²`` or ``١٢`` are not ids: Python reads
  ``١٢`` as 12, which would silently show claim 12 to someone who typed something else.
* **YAML and JSON records** may not give a key twice: YAML and JSON parsers keep the
  last one silently, so ``value: 15`` followed by ``value: 16`` would import 16 without
  a word. An unquoted date that does not exist (``2007-02-30``) stays the text it was,
  so the field that holds it is reported like any other bad value.
* **Text fields** may not hold NUL (PostgreSQL cannot store it, and SQLite tools cut the
  text at it) nor a lone UTF-16 surrogate (``"\\ud800"`` in JSON: not a character, it
  cannot be written as UTF-8). A byte that is not UTF-8 is reported with its record.
* **Lengths**: a name, slug, unit or qualifier key longer than its column holds is an
  error naming it, on SQLite as on PostgreSQL (SQLite would keep it, PostgreSQL refuse
  it with a database error): a quote pasted into the subject column of a CSV is caught
  as a bad field, and a file that imports on one back end imports on the other.
* **Showing stored text**: a source, quote or name may carry terminal control sequences
  (``ESC [``, ``ESC ] 8 ;;`` hyperlinks, other C0/C1 controls, bidirectional overrides
  that reorder what is shown). Tables, ``show``, ``log``, ``footnotes``, ``conflicts``,
  listings' ``--csv`` and error messages print each such character as a visible escape
  (``\\x1b``, ``\\x9b``, ``\\u202e``) instead; newlines and tabs stay as they are. JSON
  output escapes them by its own encoding (``\\u001b``), C1 and bidi controls included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import yaml

from .errors import InvalidValue

MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates (text shown in an order other than it is stored)
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# in JSON text: what json.dumps(ensure_ascii=False) leaves raw (it escapes only C0)
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUL_PROBLEM = "it holds a NUL character (\\x00): expected text without NUL"
# a byte that is not UTF-8, as the "surrogateescape" error handler decodes it
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def parse_id(ref: Any, what: str, listing: str) -> int:
    """``ref`` as a row id; anything else is an error naming it and what an id is.

    ``what`` names the row ("claim"), ``listing`` the command that lists them.
    """
    if isinstance(ref, int) and not isinstance(ref, bool):
        text = str(ref)
    else:
        text = str(ref).strip()
    number = as_id(text)
    if number is None:
        shown_ref = (
            repr(ref) if len(text) <= 60 else repr(text[:40]) + f"… ({len(text)} characters)"
        )
        raise InvalidValue(
            f"{what} {shown_ref}: expected a {what} id, a whole number from 1 to {MAX_ID} "
            f"in digits 0-9 (see `{listing}`)"
        )
    return number


def as_id(text: str) -> int | None:
    """The id ``text`` spells in ASCII digits, within range; None if it spells none."""
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    # more than 19 digits is beyond 2⁶³ (and int() refuses over 4,300 digits outright)
    if len(text.lstrip("0")) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


# ---------------------------------------------------------------- text fields


def text_problem(value: str) -> str | None:
    """What makes ``value`` unstorable as text, or None when it is fine."""
    if value.isascii():
        return _NUL_PROBLEM if "\x00" in value else None
    if "\x00" in value:
        return _NUL_PROBLEM
    try:
        # the fast test for the common case, a text that is fine (an import checks every
        # record): only a surrogate stops UTF-8 encoding
        value.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    match = _UNDECODABLE.search(value)
    if match:
        return f"byte 0x{ord(match.group()) - 0xDC00:02x} is not UTF-8: expected UTF-8 text"
    match = _SURROGATE.search(value)
    assert match is not None
    return (
        f"it holds a lone surrogate (\\u{ord(match.group()):04x}), which is not a character: "
        "expected text that UTF-8 can encode"
    )


def too_long(text: str, column: Any, what: str) -> str | None:
    """Why ``text`` does not fit ``column`` (an SQLAlchemy column of a bounded String), or None."""
    limit = getattr(column.type, "length", None)
    if limit is None or len(text) <= limit:
        return None
    start = text[:40] + ("…" if len(text) > 40 else "")
    return (
        f"{what} {terminal_safe(repr(start))} is {len(text)} characters long: "
        f"expected at most {limit}"
    )


def check_length(text: str, column: Any, what: str) -> None:
    problem = too_long(text, column, what)
    if problem:
        raise InvalidValue(problem)


def undecodable_offset(text: str) -> int | None:
    """Where the first byte that was not UTF-8 is in ``text`` (read with surrogateescape)."""
    match = _UNDECODABLE.search(text)
    return None if match is None else match.start()


def shown(text: str) -> str:
    """``text`` quoted for a message: its bytes when some are not UTF-8 (b'x\\xff')."""
    if _UNDECODABLE.search(text):
        return repr(text.encode("utf-8", "surrogateescape"))
    return terminal_safe(repr(text))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def first_bad_field(record: dict[str, Any]) -> tuple[str, str] | None:
    """``(field, problem)`` of the first field of ``record`` that cannot be stored as text."""
    for key, value in record.items():
        for text in _strings(value):
            problem = text_problem(text)
            if problem:
                return str(key), f"{key} {shown(text)}: {problem}"
        if isinstance(key, str):
            problem = text_problem(key)
            if problem:
                return key, f"field name {shown(key)}: {problem}"
    return None


# ---------------------------------------------------------------- terminal


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every character that would drive a terminal shown as an escape."""
    if text.isascii() and text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(_visible, text)


def json_safe(text: str) -> str:
    """JSON text with C1 and bidirectional controls as ``\\uXXXX`` escapes (still the same JSON)."""
    if text.isascii():
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ---------------------------------------------------------------- JSON and YAML


class DuplicateKey(ValueError):
    """A JSON object or YAML mapping that gives one key twice."""


def unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for json.loads: an object may not give a key twice."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(f"key {terminal_safe(repr(key))} given twice")
        result[key] = value
    return result


def loads_json_object(line: str) -> Any:
    return json.loads(line, object_pairs_hook=unique_object)


_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):
    """PyYAML's safe loader (libyaml's when built with it), with no key given twice and
    no impossible date turned into a traceback."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # keys merged in with ``<<`` may be given again: the mapping's own key wins
    explicit = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    given: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in result
        except TypeError:  # an unhashable key: PyYAML's own error says so
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found unhashable key",
                key_node.start_mark,
            ) from None
        if duplicate and id(key_node) in explicit and key in given:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found key {terminal_safe(repr(key))} given twice",
                key_node.start_mark,
            )
        if id(key_node) in explicit:
            given.add(key)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2007-02-30: not a date, so the text, checked by its field
        return loader.construct_scalar(node)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """Where a YAML error is, and what when it is ours: " at line 4: found key 'a' given twice"."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark else ""
    problem = getattr(exc, "problem", None)
    if problem and "given twice" in problem:
        return f"{where}: {problem}"
    return where
