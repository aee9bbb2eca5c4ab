"""``provenance import FILE``: claims from YAML, JSON Lines or CSV, all or nothing.

The format comes from the file's ending (``.yaml``/``.yml``, ``.jsonl``/``.ndjson``,
``.csv``). CSV and JSON Lines are read a record at a time and written in batches, so
memory stays flat however long the file; a YAML file is read whole (it is the editor's
format, with the ``sources:``, ``properties:`` and ``entities:`` sections that are
applied before its ``claims:``).

Every record is checked; one bad record rejects the whole file, and the error lists
every bad record by number and field. The caller's transaction is rolled back, so
the database is untouched. Record numbers count claims from 1 in file order; for CSV
that is the data row (the header is not counted), for JSON Lines the line.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from sqlalchemy.orm import Session

from . import import_workers
from .claims import ClaimWriter, WriteResult
from .entities import EntityEntry, add_entities, add_property
from .errors import ImportErrors, InvalidValue, NotFound, ProvenanceError
from .gc_pause import few_collections
from .inputs import (
    DuplicateKey,
    StrictLoader,
    first_bad_field,
    loads_json_object,
    text_problem,
    undecodable_offset,
    yaml_problem,
)
from .preparer import RecordPreparer
from .records import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    RECORD_KEYS,
    REQUIRED_KEYS,
    FieldError,
    RecordErrors,
)
from .sources import add_textless_source, source_fields

CSV_DELIMITERS = (",", ";", "\t")
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SECTIONS = ("sources", "properties", "entities", "claims")
PROPERTY_KEYS = ("name", "type", "multi", "time_varying", "unit", "tolerance", "description")
ENTITY_KEYS = ("name", "kind", "aliases", "description")
SOURCE_SECTION_KEYS = (
    "slug",
    "title",
    "authors",
    "publisher",
    "url",
    "published",
    "published_reason",
    "kind",
    "reliability",
    "reliability_reason",
    "confidential",
    "note",
)
MAX_ERRORS_SHOWN = 200
# libyaml's parser when PyYAML was built with it (several times faster on a large file),
# with the same safe constructors, so the same values and the same error marks; a key
# given twice is an error, an impossible date stays text (see inputs.py)
YAML_LOADER = StrictLoader
# what a file of each format holds, for the message about an empty one
EXPECTED = {
    "yaml": "a list of claims or a mapping of sources, properties, entities, claims",
    "jsonl": "one JSON object per line, one claim each",
    "csv": "a header row naming the columns (source, subject, property, value …), "
    "then a row per claim",
}


@dataclass
class ImportReport:
    records: int
    result: WriteResult
    sources_added: int = 0
    properties_added: int = 0
    entities_added: int = 0


class RecordProblem(Exception):
    """A record that cannot even be read (broken JSON line, short CSV row), or a field of
    it that cannot be stored as text (``field`` then names it)."""

    def __init__(self, message: str, field: str | None = None):
        self.field = field
        super().__init__(message)


def _field_problem(record: dict[str, Any]) -> RecordProblem | None:
    bad = first_bad_field(record)
    return None if bad is None else RecordProblem(bad[1], field=bad[0])


STDIN_CHUNK = 1 << 20


def copy_stream(stream: BinaryIO, folder: str | Path) -> Path:
    """A claims file read from ``stream`` (standard input), copied into ``folder``.

    An import reads its file twice (its size for progress, the records) and may run again
    after a lost race on PostgreSQL, so a stream is copied to a file first, named for
    its format as read from its start: a JSON object is JSON Lines, a first line with a
    ``key:`` is YAML, anything else CSV.
    """
    head = stream.read(STDIN_CHUNK)
    text = head[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith(("#", "---", "%"))
    ]
    first = lines[0].strip() if lines else ""
    if first.startswith("{"):
        suffix = ".jsonl"
    elif ":" in first or first.startswith("- "):
        suffix = ".yaml"
    else:
        suffix = ".csv"
    path = Path(folder) / f"stdin{suffix}"
    with open(path, "wb") as out:
        while head:
            out.write(head)
            head = stream.read(STDIN_CHUNK)
    return path


def detect_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidValue(
            f"cannot tell the format of {str(path)!r}: expected a file ending in .yaml, .yml,"
            " .jsonl, .ndjson or .csv"
        )
    return fmt


# what a spreadsheet user should do with a file that is not UTF-8
SAVE_AS_UTF8 = (
    'save it as "CSV UTF-8 (Comma delimited)" (Excel: File › Save As; LibreOffice: Save As'
    " CSV, character set UTF-8) and import that"
)


def open_text(path: Path, shown: Path | None = None) -> io.TextIOWrapper:
    """``path`` opened as UTF-8 text (``shown`` names it in messages, if not its own name)."""
    name = str(shown or path)
    if not path.exists():
        raise NotFound(
            f"file {str(path)!r} not found: expected a claims file (.yaml, .jsonl or .csv)"
        )
    if path.is_dir():
        raise InvalidValue(
            f"{str(path)!r} is a directory: expected a claims file (.yaml, .jsonl or .csv)"
        )
    with open(path, "rb") as f:
        head = f.read(8192)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidValue(f"file {name!r} is UTF-16 text (Excel's Unicode Text): {SAVE_AS_UTF8}")
    if b"\x00" in head:
        raise InvalidValue(
            f"file {name!r} is binary: expected a UTF-8 claims file (.yaml, .jsonl or .csv)"
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the block's end
            byte = head[exc.start]
            raise InvalidValue(
                f"file {name!r} is not UTF-8 text (byte 0x{byte:02x} at offset {exc.start},"
                f" as Windows-1252 {bytes([byte]).decode('cp1252', 'replace')!r}; Excel's plain"
                f' "CSV" writes Windows-1252): {SAVE_AS_UTF8}'
            ) from None
    # a byte that is not UTF-8 further on is read as a lone surrogate and reported with
    # its record (see inputs.text_problem), rather than stopping the read with a traceback
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


def empty_file(path: Path, fmt: str) -> InvalidValue:
    """An empty file is a mistake in every format (a truncated download, a clobbered
    file), never an import of nothing: a file that means "no claims" says so (``[]``,
    a CSV header)."""
    return InvalidValue(f"{str(path)!r} is empty: expected {EXPECTED[fmt]}")


def _iter_jsonl(handle) -> Iterator[tuple[int, dict[str, Any] | RecordProblem]]:
    number = 0
    for line in handle:
        if not line.strip():
            continue
        number += 1
        problem = text_problem(line) if not line.isascii() else None
        if problem and problem.startswith("byte "):
            yield number, RecordProblem(problem)
            continue
        try:
            value = loads_json_object(line)
        except DuplicateKey as exc:
            yield number, RecordProblem(f"{exc}: expected each field once")
            continue
        except json.JSONDecodeError as exc:
            yield (
                number,
                RecordProblem(
                    f"broken JSON ({exc.msg} at column {exc.colno}): expected one JSON object per"
                    " line"
                ),
            )
            continue
        # NUL and lone surrogates reach a value only through \\u escapes (JSON refuses raw
        # control characters), so only lines with an escape are looked at field by field
        if "\\u" in line and isinstance(value, dict):
            field_problem = _field_problem(value)
            if field_problem is not None:
                yield number, field_problem
                continue
        if not isinstance(value, dict):
            yield (
                number,
                RecordProblem(
                    f"{type(value).__name__} instead of an object: expected one JSON object per"
                    " line"
                ),
            )
            continue
        yield number, value


def _csv_header(reader, path: Path) -> list[str] | None:
    try:
        header = next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise InvalidValue(f"{str(path)!r}: unreadable CSV header ({exc})") from None
    header = [h.strip() for h in header]
    for name in header:
        problem = text_problem(name)
        if problem:
            raise InvalidValue(f"{str(path)!r}: CSV header {name!r}: {problem}")
    twice = [h for i, h in enumerate(header) if h in header[:i]]
    if twice:
        raise InvalidValue(
            f"{str(path)!r}: CSV column {twice[0]!r} given twice: expected each column once"
        )
    missing = [k for k in REQUIRED_KEYS if k not in header]
    if missing:
        raise InvalidValue(
            f"{str(path)!r}: CSV header lacks column {missing[0]!r}: expected columns"
            f" {', '.join(RECORD_KEYS)}"
        )
    unknown = [h for h in header if h not in RECORD_KEYS]
    if unknown:
        raise InvalidValue(
            f"{str(path)!r}: unknown CSV column {unknown[0]!r}: expected columns"
            f" {', '.join(RECORD_KEYS)}"
        )
    return header


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV file, from its header line: the one of ``,``, ``;`` (what
    spreadsheets write where the comma is the decimal mark) and tab that splits the
    header into the most column names of the import format; a comma on a tie."""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(cell.strip() in RECORD_KEYS for cell in cells)

    return max(CSV_DELIMITERS, key=known)  # max keeps the first of equals: the comma


def _iter_csv(handle, path: Path) -> Iterator[tuple[int, list[str] | RecordProblem]]:
    """The header, then each data row as its list of cells (blank rows skipped)."""
    first = handle.readline()
    if not first:
        raise empty_file(path, "csv")
    reader = csv.reader(itertools.chain([first], handle), delimiter=sniff_delimiter(first))
    header = _csv_header(reader, path)
    if header is None:
        raise empty_file(path, "csv")
    yield 0, header
    width = len(header)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield number, RecordProblem(f"unreadable CSV row ({exc})")
            continue
        joined = "".join(row)
        if not joined.strip():
            continue
        number += 1
        problem = text_problem(joined)
        if problem:
            # a row of the wrong width is named by its first bad cell all the same
            cells = dict(zip(header, row, strict=False))
            yield number, _field_problem(cells) or RecordProblem(problem)
            continue
        if len(row) != width:
            yield (
                number,
                RecordProblem(
                    f"{len(row)} cells for {width} columns: expected one cell per column"
                ),
            )
            continue
        yield number, row


def csv_preparer(writer: RecordPreparer, header: list[str]) -> Callable[[list[str]], Any]:
    """``writer.prepare`` for a CSV row: its cells picked into the writer's field order.

    An empty cell is a field left out, as in the other formats. A field the header does
    not name is read from an empty cell put after the row's own, so every row's fields
    are picked by one ``itemgetter`` (a file of five columns leaves out most of them).
    """
    width = len(header)
    position = {name: index for index, name in enumerate(header)}
    claim_values = operator.itemgetter(*(position.get(name, width) for name in CLAIM_FIELDS))
    citation_values = operator.itemgetter(*(position.get(name, width) for name in CITATION_FIELDS))
    prepare_fields = writer.prepare_fields
    padded = len(position) < len(CLAIM_FIELDS) + len(CITATION_FIELDS)

    def prepare(row: list[str]):
        if padded and len(row) == width:
            row.append("")
        return prepare_fields(
            claim_values(row),
            citation_values(row),
            lambda: {k: v for k, v in zip(header, row, strict=False) if v != ""},
        )

    return prepare


def _load_yaml(handle, path: Path) -> dict[str, Any]:
    text = handle.read()
    offset = None if text.isascii() else undecodable_offset(text)
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        raise InvalidValue(f"{str(path)!r} at line {line}: {text_problem(text[offset])}")
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise InvalidValue(
            f"{str(path)!r} is not valid YAML{yaml_problem(exc)}: expected a list of claims or a"
            f" mapping of {', '.join(SECTIONS)}"
        ) from None
    if data is None:
        raise empty_file(path, "yaml")
    if isinstance(data, list):
        return {"claims": data}
    if isinstance(data, dict):
        unknown = [k for k in data if k not in SECTIONS]
        if unknown:
            raise InvalidValue(
                f"{str(path)!r}: unknown section {unknown[0]!r}: expected {', '.join(SECTIONS)}"
            )
        for key in SECTIONS:
            if data.get(key) is not None and not isinstance(data[key], list):
                raise InvalidValue(
                    f"{str(path)!r}: section {key!r} is not a list: expected a list of records"
                )
        return data
    raise InvalidValue(
        f"{str(path)!r}: YAML holds {type(data).__name__}, not a list: expected a list of claims or"
        f" a mapping of {', '.join(SECTIONS)}"
    )


def import_file(
    session: Session,
    path: str | Path,
    actor: str,
    *,
    progress: Callable[[int, float], None] | None = None,
    batch_size: int | None = None,
    new_entities: bool = False,
    shown_as: str | None = None,
    workers: int = 0,
) -> ImportReport:
    """Import every record of ``path`` in the caller's transaction; raise ImportErrors on any bad
    record.

    ``progress(records, fraction)`` is called every thousand records with the share of
    the file read so far. A new entity name close to an existing one (see names.py) is a
    bad record unless the file's ``entities:`` section declares it or ``new_entities``.
    ``shown_as`` names the file in messages when its path would not mean anything to
    the user (standard input, copied to a temporary file). ``workers``: how many worker
    processes validate records while this one writes (0: none; a small file is imported
    serially whatever is asked, see import_workers.py); the database ends the same
    either way.
    """
    path = Path(path)
    fmt = detect_format(path)
    shown = Path(shown_as) if shown_as else path
    errors: list[str] = []
    error_count = 0
    hint = "declare it in the file's entities: section, or import with --new-entities"
    if path.is_file():
        workers = import_workers.workers_for(session, path, fmt, workers)
    writer = (import_workers.AdoptingWriter if workers else ClaimWriter)(
        session,
        actor,
        **({"batch_size": batch_size} if batch_size else {}),
        new_entities=new_entities,
        new_entity_hint=hint,
    )
    adopting = writer if isinstance(writer, import_workers.AdoptingWriter) else None
    report = ImportReport(records=0, result=writer.result)

    def fail(message: str) -> None:
        nonlocal error_count
        error_count += 1
        if len(errors) < MAX_ERRORS_SHOWN:
            errors.append(message)

    def fail_records(exc: RecordErrors) -> None:
        for problem in exc.problems:
            fail(_problem_line(*problem))

    total_records = 0

    def fraction(handle) -> float:
        if total_records:
            return min(report.records / total_records, 1.0)
        return min(handle.buffer.tell() / size, 1.0)

    with open_text(path, shown) as handle, few_collections():
        # after open_text, which turns a missing file into a one-line error
        size = max(path.stat().st_size, 1)
        prepare: Callable[[Any], Any] = writer.prepare_record
        header: list[str] | None = None
        if fmt == "yaml":
            data = _load_yaml(handle, shown)
            _apply_sections(session, data, actor, report, fail)
            total_records = len(data.get("claims") or []) or 1
            records: Iterator = (
                (
                    n,
                    (_field_problem(r) or _yaml_plain(r))
                    if isinstance(r, dict)
                    else RecordProblem(f"{type(r).__name__} instead of a mapping of fields"),
                )
                for n, r in enumerate(data.get("claims") or [], 1)
            )
        elif fmt == "jsonl":
            records = _iter_jsonl(handle)
        else:
            records = _iter_csv(handle, shown)
            for _, first in records:  # the first item is the header
                if isinstance(first, list):
                    header = first
                    prepare = csv_preparer(writer, header)
                break
        add = writer.add
        stream: Iterator[tuple[int, Any, Any]]
        if adopting is not None and workers:
            stream = import_workers.prepared_in_workers(
                records,
                lambda raw: raw.__class__ is not RecordProblem,
                import_workers.WorkerSettings(
                    import_workers.database_url(session) or "",
                    header if fmt == "csv" else None,
                ),
                workers,
            )
        else:
            stream = ((number, raw, None) for number, raw in records)
        for number, raw, ready in stream:
            report.records = number
            if progress and number % 1000 == 0:
                progress(number, fraction(handle))
            if raw.__class__ is RecordProblem:
                if raw.field is None:
                    fail(f"record {number}: {raw}")
                else:
                    fail(_problem_line(number, raw.field, str(raw)))
                continue
            try:
                if ready is None:
                    prepared = prepare(raw)
                else:
                    prepared = ready[0]
                    adopting.adopt(prepared, ready[1], ready[2])  # type: ignore[union-attr]
            except FieldError as exc:
                fail(_problem_line(number, exc.field, str(exc)))
                continue
            except ProvenanceError as exc:
                fail(f"record {number}: {exc}")
                continue
            try:
                if error_count:  # the file will be rejected: stop writing, keep checking
                    writer.check_names(prepared, number)
                else:
                    add(prepared, number)
            except RecordErrors as exc:
                fail_records(exc)
        if fmt == "jsonl" and not report.records:
            raise empty_file(shown, "jsonl")
        try:
            if error_count:
                writer.finish_checks()
            else:
                writer.flush()
        except RecordErrors as exc:
            fail_records(exc)
    if progress:
        progress(report.records, 1.0)
    if error_count:
        if error_count > len(errors):
            errors.append(f"… and {error_count - len(errors)} more bad record(s)")
        raise ImportErrors(str(shown), errors, error_count)
    return report


def _problem_line(number: int | None, field: str, message: str) -> str:
    return f"record {number}, field {field!r}: {message}"


def _yaml_plain(value: Any) -> Any:
    """A YAML record with its timestamps back in ISO 8601 text.

    YAML reads an unquoted ``2011-12-01T20:00:00-05:00`` as a datetime, whose ``str()``
    puts a space for the ``T`` and is no longer EDTF; ``isoformat()`` gives it back.
    """
    if isinstance(value, dict):
        return {k: _yaml_plain(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _apply_sections(
    session: Session,
    data: dict[str, Any],
    actor: str,
    report: ImportReport,
    fail: Callable[[str], None],
) -> None:
    for number, entry in enumerate(data.get("sources") or [], 1):
        where = f"sources entry {number}"
        try:
            _check_entry(entry, SOURCE_SECTION_KEYS)
            if not entry.get("slug"):
                raise InvalidValue("missing slug: every source needs a slug")
            fields = source_fields(entry, where=f"source {entry.get('slug')!r}")
            _, created = add_textless_source(session, fields, actor)
            report.sources_added += int(created)
        except ProvenanceError as exc:
            fail(f"{where}: {exc}")
    for number, entry in enumerate(data.get("properties") or [], 1):
        try:
            _check_entry(entry, PROPERTY_KEYS)
            _, status = add_property(
                session,
                entry.get("name"),
                entry.get("type"),
                actor,
                multi=_flag(entry.get("multi"), "multi"),
                time_varying=_flag(entry.get("time_varying"), "time_varying"),
                unit=entry.get("unit"),
                tolerance=entry.get("tolerance"),
                description=entry.get("description"),
            )
            report.properties_added += int(status == "new")
        except ProvenanceError as exc:
            fail(
                f"properties entry {number}"
                f" ({entry.get('name') if isinstance(entry, dict) else entry!r}): {exc}"
            )
    raw_entities = data.get("entities") or []
    entries: list[EntityEntry | ProvenanceError] = []
    for entry in raw_entities:
        try:
            _check_entry(entry, ENTITY_KEYS)
            aliases = entry.get("aliases") or []
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list):
                raise InvalidValue(f"aliases {aliases!r}: expected a list of names")
            entries.append(
                EntityEntry(
                    entry.get("name"),
                    entry.get("kind") or "other",
                    [str(a) for a in aliases],
                    entry.get("description"),
                )
            )
        except ProvenanceError as exc:
            entries.append(exc)
    # looked up and written a batch at a time, in file order (see entities.add_entities)
    for number, (entry, result) in enumerate(
        zip(raw_entities, add_entities(session, entries, actor), strict=True), 1
    ):
        if isinstance(result, ProvenanceError):
            fail(
                f"entities entry {number}"
                f" ({entry.get('name') if isinstance(entry, dict) else entry!r}): {result}"
            )
        else:
            report.entities_added += len(result[1])


def _check_entry(entry: Any, keys: tuple[str, ...]) -> None:
    """A section entry is a mapping of known keys, each holding storable text."""
    if not isinstance(entry, dict):
        raise InvalidValue(f"expected a mapping of {', '.join(keys)}")
    unknown = [k for k in entry if k not in keys]
    if unknown:
        raise InvalidValue(f"unknown key {unknown[0]!r}: expected {', '.join(keys)}")
    bad = first_bad_field(entry)
    if bad is not None:
        raise InvalidValue(bad[1])


def _flag(value: Any, name: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0", ""):
        return False
    raise InvalidValue(f"{name} {value!r}: expected true or false")
