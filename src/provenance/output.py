"""One way to print every listing: a table for people, JSON/CSV/NDJSON for machines.

Listing commands take ``--json``, ``--nl`` (newline-delimited JSON) and ``--csv``; with
none of them they print a table. Field names of the machine formats are the keys of the
row dictionaries the library returns, and are documented in the README.

Stored text may hold terminal control characters (see inputs.py). A table and ``--csv``
show each as a visible escape (``\\x1b``): a CSV listing is read in a terminal or a
spreadsheet, and the exact text is in ``--json`` and ``--nl``, whose encoding escapes
them (``\\u001b``; C1 and bidirectional controls too).
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click
import orjson

from .inputs import json_safe, terminal_safe


def value_text(value: str, unit: str | None) -> str:
    """A value as the desk reads it: with its unit, unless the value already says it
    ("15 seats", but "50%" stays "50%"). The one value display of the terminal, the
    published copy, its pages and the exports (SQL twin: ``publish`` builds the same
    text in the copy for ``claims_with_sources``)."""
    return value + (f" {unit}" if unit and unit not in value else "")


FORMATS = ("table", "json", "nl", "csv")


def output_options(fn: Callable) -> Callable:
    """Add --json / --nl / --csv to a listing command (as one ``fmt`` argument, "table" without
    them)."""
    fn = click.option(
        "--csv", "fmt", flag_value="csv", help="Comma-separated values with a header row."
    )(fn)
    fn = click.option(
        "--nl", "fmt", flag_value="nl", help="Newline-delimited JSON, one object per line."
    )(fn)
    fn = click.option("--json", "fmt", flag_value="json", help="A JSON array of objects.")(fn)
    # without a flag: a table for people (``fmt`` is then "table")
    return click.option("--table-view", "fmt", flag_value="table", default=True, hidden=True)(fn)


def limit_option(fn: Callable | None = None, *, default: int | None = None) -> Callable:
    """Add ``--limit N`` to a listing command: at most N rows (all of them by default)."""

    def decorate(command: Callable) -> Callable:
        return click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=default,
            show_default=default is not None,
            help="At most N rows" + ("." if default is not None else " (default: all)."),
        )(command)

    return decorate(fn) if fn is not None else decorate


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json_safe(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return terminal_safe(str(value))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict, bool)):
        return _cell(value)
    return terminal_safe(value) if isinstance(value, str) else value


def dumps(value: Any, **options: Any) -> str:
    """JSON text of ``value``, non-ASCII as itself, controls escaped (see inputs.json_safe)."""
    if options == {"indent": 2}:
        fast = _indented(value)
        if fast is not None:
            return json_safe(fast)
    return json_safe(json.dumps(value, ensure_ascii=False, default=str, **options))


# a number written with an exponent: Python writes 1e-07 where orjson writes 1e-7
_EXPONENT = re.compile(rb"[0-9][eE][-+]?[0-9]")
# digits as 0 and E as e: a text with no "0e" in it has no exponent, and the regular
# expression runs only on one that has (a search of each row cost a tenth of a listing)
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789E", b"0000000000e")
_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _indented(value: Any) -> str | None:
    """``json.dumps(value, ensure_ascii=False, default=str, indent=2)``, written by orjson's
    encoder: the standard library indents only in Python, which took a third of a million-
    claim ``conflicts --json``. None where the two could differ — a number with an exponent
    (anywhere in the text, to be safe), or what orjson refuses (an integer beyond 64 bits,
    a key that is not a string) — and the standard library writes it instead. Dates and
    dataclasses go through ``default=str`` as with the standard library."""
    try:
        data = orjson.dumps(value, default=str, option=_ORJSON_OPTIONS)
    except TypeError:
        return None
    if b"0e" in data.translate(_DIGITS_AS_ZERO) and _EXPONENT.search(data):
        return None
    return data.decode()


def emit(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    limit: int | None = None,
) -> None:
    """Print rows in ``fmt``: at most ``limit`` of them. ``columns`` picks and orders the
    table's columns only (and names a CSV's columns when there are no rows).

    JSON, newline-delimited JSON and CSV are written row by row as ``rows`` yields them
    (``rows`` may be a generator), so a listing of a million claims never holds them all;
    the JSON array is written element by element, the same bytes as the whole list dumped
    at once. A table needs them all to size its columns.
    """
    if limit is not None:
        rows = itertools.islice(rows, limit)
    out = sys.stdout
    if fmt == "json":
        opened = False
        for row in rows:
            # an element of a list dumped with indent=2 is the element dumped alone,
            # indented one level (a newline inside a JSON string is always escaped)
            out.write(
                ("[\n  " if not opened else ",\n  ") + dumps(row, indent=2).replace("\n", "\n  ")
            )
            opened = True
        out.write("\n]\n" if opened else "[]\n")
        out.flush()
        return
    if fmt == "nl":
        for row in rows:
            out.write(dumps(row) + "\n")
        out.flush()
        return
    if fmt == "csv":
        iterator = iter(rows)
        first = next(iterator, None)
        fields = list(first.keys()) if first is not None else list(columns or [])
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in itertools.chain([first] if first is not None else [], iterator):
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        out.flush()
        return
    _table(list(rows), columns, title)


def _table(rows: list[dict[str, Any]], columns: Sequence[str] | None, title: str | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    columns = list(columns or (rows[0].keys() if rows else []))
    # A pipe or a file gets a wide, colourless table rather than one cut at 80 columns.
    console = Console(
        soft_wrap=False,
        width=None if sys.stdout.isatty() else 200,
        no_color=not sys.stdout.isatty(),
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=False, highlight=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # escaped: sources use square brackets ("[issued]"), which rich would read as markup
        table.add_row(*(escape(_cell(row.get(c))) for c in columns))
    console.print(table)
    if not rows:
        console.print("(none)")


def progress(items: list, label: str) -> Iterator:
    """A progress bar on a terminal, nothing in a pipe."""
    if sys.stderr.isatty() and len(items) > 1:
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield from bar
    else:
        yield from items
