"""A parallel import: records validated in worker processes while this process writes.

``provenance import`` of a large CSV or JSON Lines file hands its records, a chunk of
``CHUNK_RECORDS`` at a time, to worker processes that validate and resolve them
(``RecordPreparer``, preparer.py: the value, the scope, the qualifiers, the quote
anchored in its source, the footnote, the speaker), while this process reads the file
and writes the batches. What is moved and what stays, measured (docs/benchmarks.md):

* Preparing a record is about half of an import's time and needs only what the database
  held when the import began: sources with their text, footnotes, properties and
  aliases. Each worker reads those from its own read-only snapshot of the database
  (SQLite: a reading transaction beside the import's write lock, which keeps any other
  writer out, so the snapshot is the import's starting point; PostgreSQL: a
  ``REPEATABLE READ`` read-only transaction), once, and keeps them for every chunk.
* What depends on the records before it stays in the writer, in file order
  (``AdoptingWriter.adopt``): a name no entity had is one new entity however many
  workers met it; a qualifier value names an entity created earlier in the same file;
  records that give one claim different ranks are refused by the later one. So the
  database is the one the serial import makes, row for row and id for id, with the
  same history (tests/test_import_workers.py compares them).
* A record a worker finds bad is prepared again by the writer, in its place in the
  file, so the error is the serial import's own message, naming the record and field,
  and the file is rejected as a whole: nothing is committed until every record passed
  (``--dry-run`` commits nothing at all).
* At most ``IN_FLIGHT_PER_WORKER`` chunks per worker are read ahead of the writer, so
  memory stays flat however long the file.
* A worker whose import process is gone (killed) stops within a second: it never
  writes, so the database is the import's transaction's to keep or lose.

Workers are asked for (``--workers N``); the default is none. Measured on the 2-core
machine of docs/benchmarks.md, checking a record of the synthetic or five-column data
costs about what handing it between processes costs (pickling, unpickling, adoption),
so the writer saves nothing and the workers' time is added; records that are costly to
check (long quotes anchored in long documents) are what workers are for. Small files
stay serial whatever is asked: a file under ``PARALLEL_MIN_BYTES`` is imported in one
process, as starting a worker costs about a second of CPU (a fresh interpreter that loads
the library). YAML files are read whole and their sections are applied before their
claims, which a worker's snapshot would not see: they are always imported serially, as
is an in-memory SQLite database.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .claims import ENTITY_CACHE_SIZE, ClaimWriter
from .errors import InvalidValue, ProvenanceError
from .preparer import RecordPreparer
from .records import PendingEntity, PreparedClaim

# smaller files are imported in one process whatever --workers says (about 20,000
# records of the five-column CSV; below it a worker's start-up costs more than it saves)
PARALLEL_MIN_BYTES = 1 << 20
CHUNK_RECORDS = 1000
IN_FLIGHT_PER_WORKER = 2


def database_url(session: Session) -> str | None:
    """The URL a worker opens the import's database with, or None when it cannot (an
    in-memory SQLite database is the import's connection's alone)."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def workers_for(session: Session, path: Path, fmt: str, workers: int) -> int:
    """How many worker processes the import of ``path`` uses; 0 for a serial import.

    ``workers`` is the user's choice (0: serial), kept for a CSV or JSON Lines file of
    ``PARALLEL_MIN_BYTES`` or more.
    """
    if workers < 0:
        raise InvalidValue(f"--workers {workers}: expected 0 (no workers) or more")
    if fmt == "yaml" or workers == 0 or database_url(session) is None:
        return 0
    if path.stat().st_size < PARALLEL_MIN_BYTES:
        return 0
    return workers


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs to prepare records as the writer would."""

    url: str
    csv_header: list[str] | None  # None: records are mappings (JSON Lines)


# ---------------------------------------------------------------- in the writer


class AdoptingWriter(ClaimWriter):
    """The claim writer of a parallel import: takes records prepared by a worker and gives
    them, in file order, what only the writer knows (see the module's docstring)."""

    def adopt(self, prepared: PreparedClaim, claim_first: bool, citation_first: bool) -> None:
        """Bind a worker's record to this writer's names, as ``prepare`` would have.

        ``claim_first``/``citation_first``: the part is met for the first time in its
        chunk (a worker shares a part between records in the same words, as the serial
        import does). Raises FieldError as ``prepare`` would (a rank that differs from
        an earlier record's for the same claim).
        """
        claim, citation = prepared
        if claim_first:
            row = claim.row
            row["subject_id"] = self._adopt_name(row["subject_id"])
            if row["entity_value_id"] is not None:
                row["entity_value_id"] = self._adopt_name(row["entity_value_id"])
            for qualifier in claim.qualifiers:
                # the name of an entity created earlier in the file, which the worker's
                # snapshot does not hold
                qualifier["entity_id"] = self.entity_ref(
                    qualifier["value"], "qualifiers", create=False
                )
            _, property_id, _, scope_key = claim.key
            claim.key = (
                row["subject_id"],
                property_id,
                row["value_key"] or row["entity_value_id"],
                scope_key,
            )
        if citation_first and citation.row["attributed_to_id"] is not None:
            citation.row["attributed_to_id"] = self._adopt_name(citation.row["attributed_to_id"])
        if claim.rank is not None:
            self.checked_rank({"rank": claim.rank[0], "rank_reason": claim.rank[1]}, claim.key)

    def _adopt_name(self, ref: Any) -> Any:
        """This writer's entity for a name a worker left pending: the one an earlier record
        made or found, else this one, to be resolved at the next flush."""
        if not isinstance(ref, PendingEntity):
            return ref
        known = self.names.get(ref.key)
        if known is not None:
            return known
        self.names[ref.key] = ref
        self.unresolved.append(ref)
        return ref


def prepared_in_workers(
    records: Iterable[tuple[int, Any]],
    readable: Callable[[Any], bool],
    settings: WorkerSettings,
    workers: int,
) -> Iterator[tuple[int, Any, tuple[PreparedClaim, bool, bool] | None]]:
    """``(number, raw, prepared)`` for each record, in file order (``readable(raw)``: the
    record could be read, and is sent to a worker).

    ``prepared`` is the worker's ``(record, claim_first, citation_first)``, or None for a
    record the writer prepares itself: one the worker found bad, or one that could not
    even be read (``raw`` is then the reader's problem).
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    # a fresh interpreter per worker: a forked copy of this one would share its open
    # database connection and its write lock's file descriptors
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(settings, os.getpid()),
    )
    in_flight: deque[tuple[list[tuple[int, Any]], Future]] = deque()

    def finished(
        chunk: list[tuple[int, Any]], future: Future
    ) -> Iterator[tuple[int, Any, tuple[PreparedClaim, bool, bool] | None]]:
        for (number, raw), prepared in zip(chunk, future.result(), strict=True):
            yield number, raw, prepared

    try:
        chunk: list[tuple[int, Any]] = []
        for item in records:
            chunk.append(item)
            if len(chunk) < CHUNK_RECORDS:
                continue
            in_flight.append(
                (
                    chunk,
                    executor.submit(_prepare_chunk, [r if readable(r) else None for _, r in chunk]),
                )
            )
            chunk = []
            while len(in_flight) > workers * IN_FLIGHT_PER_WORKER:
                yield from finished(*in_flight.popleft())
        if chunk:
            in_flight.append(
                (
                    chunk,
                    executor.submit(_prepare_chunk, [r if readable(r) else None for _, r in chunk]),
                )
            )
        while in_flight:
            yield from finished(*in_flight.popleft())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- in a worker


class WorkerPreparer(RecordPreparer):
    """Prepares the records of chunks on a read-only snapshot; never writes."""

    def __init__(self, session: Session, settings: WorkerSettings):
        super().__init__(session)
        self.snapshot: Any = None
        self.prepare_one: Callable[[Any], PreparedClaim]
        if settings.csv_header is None:
            self.prepare_one = self.prepare_record
        else:
            from .importer import csv_preparer

            self.prepare_one = csv_preparer(self, settings.csv_header)

    def prepare_chunk(self, raws: list[Any]) -> list[tuple[PreparedClaim, bool, bool] | None]:
        out: list[tuple[PreparedClaim, bool, bool] | None] = []
        seen: set[int] = set()  # parts met in this chunk (kept alive by ``out``)
        for raw in raws:
            if raw is None:
                out.append(None)
                continue
            # a rank is checked against earlier records' by the writer, which sees them all
            self.ranks_seen.clear()
            try:
                prepared = self.prepare_one(raw)
            except ProvenanceError:
                out.append(None)
                continue
            claim, citation = prepared
            claim_first, citation_first = id(claim) not in seen, id(citation) not in seen
            seen.add(id(claim))
            seen.add(id(citation))
            out.append((prepared, claim_first, citation_first))
        # names are resolved by the writer: nothing to keep here
        self.unresolved.clear()
        if len(self.names) > ENTITY_CACHE_SIZE:
            self.names.clear()
        return out


_worker: WorkerPreparer | None = None


def _start_worker(settings: WorkerSettings, parent: int) -> None:
    global _worker
    from . import db

    threading.Thread(target=_stop_with, args=(parent,), daemon=True).start()
    # one snapshot for the worker's life, ended with its process (the context is kept:
    # once collected, it would close the connection)
    snapshot = db.reading_session(db.make_engine(settings.url))
    _worker = WorkerPreparer(snapshot.__enter__(), settings)
    _worker.snapshot = snapshot


def _stop_with(parent: int) -> None:
    """End this worker once the import that started it is gone (killed)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _prepare_chunk(raws: list[Any]) -> list[tuple[PreparedClaim, bool, bool] | None]:
    from .gc_pause import few_collections

    assert _worker is not None, "a worker is started before it prepares"
    with few_collections():
        return _worker.prepare_chunk(raws)
