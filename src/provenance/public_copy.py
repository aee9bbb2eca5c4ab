"""Building the public copy (SPEC §6): what ``public_tables.PUBLIC_TABLES`` allows, written
into a new SQLite file, mostly by SQLite itself.

The file is built under a temporary name in the folder of ``out`` and renamed over it
when complete, so a reader never sees half a copy and nothing that was withheld can
survive in free pages (a copy with rows deleted would keep their bytes): withheld rows
are never written, rather than written and deleted.

The rows are written by ``public_rows`` (``Filler``, from one snapshot, mostly by
SQLite itself, and ``derive``, the tables made in the copy from its own rows); this
module makes the file around them: the tables from the allowlist first, then, once the
rows are in, the views, indexes, full-text search, ``ANALYZE`` and an incremental
vacuum, a sync, the rename over ``out``, and the state ``serve`` reads
(``publish.write_state``).

**An interrupted publish.** A publish that is killed (or loses its machine) leaves
``out`` as it was — the previous copy, or no file — and the working database as it
was, except that the conflicts brought up to date first may stay committed. It also
leaves its temporary file behind, ``.OUT.HOST-PID.XXXXXXXX.tmp`` (perhaps with a
``-journal``): as large as a copy, and holding what was public when it was begun,
which may since have been made confidential. The next publish to the same ``out``
deletes every such file whose process, named in it, is no longer running on this
host; the file of a publish still running, or of another host sharing the folder, is
left alone (and on a platform where this cannot be told, every one is).
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from . import files
from .public_rows import Filler, derive
from .public_tables import PUBLIC_TABLES, PUBLIC_VIEWS, PublicTable
from .publish import Progress, PublishReport, working_state, write_state


def _table_sql(name: str, table: PublicTable) -> str:
    columns = [
        f"[{col}] {kind}" + (" PRIMARY KEY" if col == table.pk else "")
        for col, kind in table.columns.items()
    ]
    columns += [
        f"FOREIGN KEY([{col}]) REFERENCES [{other}]([{PUBLIC_TABLES[other].pk}])"
        for col, other in table.foreign_keys.items()
    ]
    return f"CREATE TABLE [{name}] (\n   " + ",\n   ".join(columns) + "\n)"


class PublicCopy:
    """The public copy of the working database at ``out``, built in a temporary file
    beside it and renamed over it once complete (SPEC §6).

    ``fill`` writes the rows from a reading transaction; ``complete`` then makes the
    derived columns, the views, indexes and full-text search, compacts and syncs the
    file, renames it over ``out`` and writes the state ``serve`` reads. On SQLite the
    rows are written when the reading transaction ``fill`` ran in ends, so ``complete``
    runs after it::

        with PublicCopy(out) as copy:
            with reading_session(engine) as session:
                copy.fill(session)
            report = copy.complete(database)

    Leaving the ``with`` block by an error deletes the temporary file.
    """

    def __init__(self, out: str | Path, progress: Progress | None = None):
        self.out = Path(out)
        self.tick: Progress = progress or (lambda step, done, total: None)
        self.report = PublishReport(self.out)
        self.tmp = self.out
        self.state: dict[str, Any] | None = None
        self.filler: Filler | None = None

    def __enter__(self) -> PublicCopy:
        self.report.abandoned_removed = remove_abandoned_copies(self.out)
        fd, tmp_name = tempfile.mkstemp(
            dir=self.out.parent, prefix=_temp_prefix(self.out), suffix=".tmp"
        )
        os.close(fd)
        self.tmp = Path(tmp_name)
        try:
            connection = sqlite3.connect(self.tmp)
            try:
                # pages freed while the copy is built (the full-text index merging its
                # segments) are given back at the end, without rewriting the whole file as
                # VACUUM would: they hold only rows of the copy itself, never withheld ones
                connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
                for name, table in PUBLIC_TABLES.items():
                    connection.execute(_table_sql(name, table))
                connection.commit()
            finally:
                connection.close()
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if self.filler is not None:
            self.filler.close()
            self.filler = None
        if kind is not None:
            self._remove()

    def _remove(self) -> None:
        for leftover in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.tmp}{leftover}").unlink(missing_ok=True)

    def fill(self, session: Session) -> None:
        """Write the public rows from the snapshot ``session`` reads."""
        self.state = working_state(session)
        self.filler = Filler(session, self.tmp, self.report, self.tick)
        self.filler.fill()

    def complete(self, database: str = "") -> PublishReport:
        """Finish the copy and rename it over ``out``; ``database`` names the working
        database in the state file ``serve`` reads."""
        if self.filler is None or self.state is None:
            raise AssertionError("complete() before fill()")
        self.filler.close()
        self.filler = None
        report, tick = self.report, self.tick
        connection = sqlite3.connect(self.tmp, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("BEGIN")
            derive(connection, report, tick)
            for name in PUBLIC_TABLES:
                (found,) = connection.execute(f"select count(*) from [{name}]").fetchone()
                if found != report.rows[name]:  # the rows were not committed: never publish that
                    raise AssertionError(
                        f"{name}: {found} rows in the copy, {report.rows[name]} written"
                    )
            connection.execute("COMMIT")
        finally:
            connection.close()
        connection = sqlite3.connect(self.tmp, isolation_level=None)
        try:
            finish(connection, tick)
        finally:
            connection.close()
        # mkstemp makes the file private to its owner; a public copy is for any reader
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)
        files.replace(self.tmp, self.out)
        write_state(self.out, database, self.state)
        return report


# How the full-text indexes are built, measured at a million claims (docs/benchmarks.md,
# "Publish"): the segments the rebuild writes are merged once, by 'optimize', instead of
# also level by level as they are written (``automerge`` 0; ``crisismerge`` bounds how
# many pile up on a larger copy), and no per-row token counts are kept (``columnsize=0``:
# only ranking by ``bm25()`` reads them, which the site's searches do not do; such a
# query still works, counting the tokens from the table's text). Together they halve
# the CPU time of the index of claims_with_sources; what a search finds is unchanged
# (``detail=full``: Datasette's searches are phrase queries, which need it).
FTS_BUILD = (("automerge", 0), ("crisismerge", 256))
# SQLite's defaults, set back once the index is built
FTS_DEFAULTS = (("automerge", 4), ("crisismerge", 16))


def finish(connection: sqlite3.Connection, tick: Progress) -> None:
    """The views, indexes, full-text search and statistics of a copy whose rows are in,
    in one transaction with neither a journal nor a sync (the file is new, and is renamed
    into place only once complete and synced), then its free pages given back."""
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    for name, view_sql in PUBLIC_VIEWS.items():
        connection.execute(f"CREATE VIEW [{name}] AS {view_sql.strip()}")
    for name, table in PUBLIC_TABLES.items():
        tick("indexes", 0, 0)
        for column in dict.fromkeys([*table.foreign_keys, *table.indexes]):
            if column != table.pk:
                connection.execute(
                    f'CREATE INDEX "idx_{name}_{column}"\n    ON "{name}" ("{column}")'
                )
    for name, table in PUBLIC_TABLES.items():
        if table.search:
            tick(f"search index of {name}", 0, 0)
            fts = f"{name}_fts"
            columns = ", ".join(f'"{c}"' for c in table.search)
            # an external-content index, as sqlite-utils makes them (Datasette finds it by
            # its ``content=``), filled from the table in one statement and merged once
            connection.execute(
                f'CREATE VIRTUAL TABLE "{fts}" USING FTS5 (\n    {columns},\n'
                f"    tokenize='unicode61 remove_diacritics 2',\n"
                f'    content="{name}",\n    columnsize=0\n)'
            )
            for option, value in FTS_BUILD:
                connection.execute(
                    f"INSERT INTO [{fts}] ([{fts}], rank) VALUES (?, ?)", (option, value)
                )
            connection.execute(f"INSERT INTO [{fts}] ([{fts}]) VALUES ('rebuild')")
            connection.execute(f"INSERT INTO [{fts}] ([{fts}]) VALUES ('optimize')")
            for option, value in FTS_DEFAULTS:
                connection.execute(
                    f"INSERT INTO [{fts}] ([{fts}], rank) VALUES (?, ?)", (option, value)
                )
    tick("compacting", 0, 0)
    connection.execute("ANALYZE")
    connection.execute("COMMIT")
    connection.executescript("PRAGMA incremental_vacuum;")  # run to the end, as a script


# ---------------------------------------------------------------- temporary files


def _host_tag() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", socket.gethostname()) or "host"


def _temp_prefix(out: Path) -> str:
    """How this process names its temporary copies of ``out``: ``.OUT.HOST-PID.``."""
    return f".{out.name}.{_host_tag()}-{os.getpid()}."


def _running(pid: int) -> bool | None:
    """Whether process ``pid`` of this host is running; None where that cannot be told."""
    if os.name != "posix":
        return None  # os.kill(pid, 0) would end the process on Windows
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def remove_abandoned_copies(out: Path) -> int:
    """Delete the temporary files that interrupted publishes to ``out`` left behind;
    returns how many were deleted.

    Only files named by ``_temp_prefix`` for this host are considered, and only those
    whose process is no longer running: a publish to ``out`` running at the same time
    keeps its file.
    """
    pattern = re.compile(
        re.escape(f".{out.name}.{_host_tag()}-")
        + r"(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp(?:-journal|-wal|-shm)?"
    )
    removed = 0
    try:
        names = sorted(p.name for p in out.parent.iterdir())
    except OSError:
        return 0
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _running(int(match["pid"])) is not False:
            continue
        try:
            (out.parent / name).unlink()
        except OSError:  # deleted by another publish first, or not ours to delete: left as it is
            continue
        removed += 1
    return removed
