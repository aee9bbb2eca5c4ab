"""How ``provenance serve`` serves the public copy through Datasette, safely.

**Serving a copy** (``serve_copy``, what ``provenance serve`` runs). The copy is a
``PublicCopy``: an immutable database that

* is **reopened when its file is replaced**. ``publish`` renames a new file over the
  old one, and a connection keeps reading the inode it opened: Datasette 0.65 keeps one
  connection per worker thread for the life of the process, so a withdrawn source stayed
  on the site for as long as the server ran. Before every request the file is checked
  (``os.stat``: device, inode, size, modification time); when it differs, a new
  ``PublicCopy`` with connections of its own is swapped in, and the old one is retired:
  its running queries are interrupted, a request or CSV stream still holding it gets an
  error rather than a withdrawn row, and its connections are closed (so the old file's
  space is freed). A deleted file takes the database off the site until a copy is
  published again. So once ``publish`` returns, no request begun after it sees the old
  copy.
* **caps what one query can allocate**: no string or blob longer than ``value_limit``
  (``SQLITE_LIMIT_LENGTH``: ``randomblob(400000000)`` is an error, not 400 MB; the limit
  is twice the largest source text in the copy, at least ``VALUE_LIMIT_FLOOR``, so every
  published value can be read), no more than ``COLUMN_LIMIT`` columns in a row, and no
  result set larger than ``RESULT_BUDGET_BYTES`` held in Python (a thousand rows of
  ``zeroblob`` stop there). ``serve`` also sets SQLite's process-wide
  hard heap limit (``SQLITE_HEAP_LIMIT_BYTES``), so sorting and grouping in a recursive
  query fail with "out of memory" instead of growing the process.
* never shows the server's **file paths**: ``pragma_database_list`` reads an empty file
  name (and the plugin's ``/-/databases.json`` and ``/-/plugins.json`` leave out the
  paths Datasette puts there).

The pages and hooks of the plugin are in ``__init__.py``; the site around it
(metadata, settings, the port) is ``provenance.public_site``.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

# the least SQLITE_LIMIT_LENGTH of a served connection; raised to twice the copy's largest
# source text, so every published value can be read
VALUE_LIMIT_FLOOR = 256 * 1024
# SQLITE_LIMIT_COLUMN: the widest published table has 21 columns; with the length limit it
# bounds one row, which SQLite holds whole while Python copies it
COLUMN_LIMIT = 64
# what the rows of one query may hold in Python: a thousand 20 kB source texts are 20 MB
RESULT_BUDGET_BYTES = 32 * 1024 * 1024
# SQLite's own allocations in the whole `serve` process (every connection, every thread)
SQLITE_HEAP_LIMIT_BYTES = 256 * 1024 * 1024

_connections = threading.local()
# sqlite3.SQLITE_LIMIT_LENGTH and SQLITE_LIMIT_COLUMN, named in Python 3.11 and later
_SQLITE_LIMIT_LENGTH, _SQLITE_LIMIT_COLUMN = 0, 2


class CopyReplaced(sqlite3.OperationalError):
    """A query on a public copy whose file has since been replaced (or deleted)."""

    def __init__(self) -> None:
        super().__init__("the published copy was replaced while this page was loading: reload")


class ResultTooLarge(sqlite3.OperationalError):
    """A query whose rows would hold more than RESULT_BUDGET_BYTES."""

    def __init__(self) -> None:
        limit = RESULT_BUDGET_BYTES // (1024 * 1024)
        super().__init__(f"query result over {limit} MB: select fewer rows or columns")


class _BudgetCursor(sqlite3.Cursor):
    """A cursor that stops fetching once its rows hold more than RESULT_BUDGET_BYTES."""

    _held = 0

    def execute(self, *args: Any, **kwargs: Any):
        self._held = 0
        return super().execute(*args, **kwargs)

    def _count(self, rows: list[Any]) -> list[Any]:
        for row in rows:
            self._held += 16 * len(row) + sum(
                len(value) for value in row if isinstance(value, (str, bytes))
            )
        if self._held > RESULT_BUDGET_BYTES:
            raise ResultTooLarge()
        return rows

    def fetchone(self):
        row = super().fetchone()
        if row is not None:
            self._count([row])
        return row

    def fetchmany(self, size: int | None = None):
        rows: list[Any] = []
        wanted = self.arraysize if size is None else size
        while len(rows) < wanted:
            row = self.fetchone()
            if row is None:
                break
            rows.append(row)
        return rows

    def fetchall(self):
        rows: list[Any] = []
        while (row := self.fetchone()) is not None:
            rows.append(row)
        return rows

    def __next__(self):
        row = super().__next__()
        self._count([row])
        return row


class _ServedConnection(sqlite3.Connection):
    def cursor(self, factory=_BudgetCursor):
        return super().cursor(factory)


def _authorize(action: int, arg1: Any, arg2: Any, database: Any, trigger: Any) -> int:
    # pragma_database_list is an allowed pragma function in Datasette, and names the file
    if action == sqlite3.SQLITE_READ and arg1 == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def file_stamp(path: str | Path) -> tuple[int, int, int, int] | None:
    """What tells one file at ``path`` from the next: device, inode, size, mtime; None: no file."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


try:
    from datasette.database import Database
except ImportError:  # the library works without Datasette; only the site needs it
    Database = object


class PublicCopy(Database):
    """The public copy as Datasette serves it: immutable, reopened when its file is replaced.

    Datasette 0.65 keeps each worker thread's connection under the database's name, so
    a new ``Database`` of the same name would reuse the old file's connections; this one
    keeps them under a key of its own instead.
    """

    def __init__(self, ds: Any, path: str | Path) -> None:
        super().__init__(ds, path=str(Path(path).resolve()), is_mutable=False)
        self.stamp = file_stamp(self.path)
        self.retired = False
        self._key = f"provenance_{secrets.token_hex(8)}"
        self._lock = threading.Lock()
        self._active = 0
        self.value_limit = VALUE_LIMIT_FLOOR
        if self.stamp is not None:
            probe = self._open()
            try:
                largest = probe.execute(
                    "select max(length(cast(text as blob))) from sources"
                ).fetchone()[0]
            except sqlite3.DatabaseError:
                largest = None
            finally:
                probe.close()
            self.value_limit = max(VALUE_LIMIT_FLOOR, 2 * (largest or 0))

    def _open(self) -> sqlite3.Connection:
        uri = Path(self.path).as_uri() + "?immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False, factory=_ServedConnection)

    def connect(self, write: bool = False) -> sqlite3.Connection:
        assert not write, "a public copy is never written"
        conn = self._open()
        if file_stamp(self.path) != self.stamp:
            # replaced between this copy's stamp and the open: perhaps the new file
            conn.close()
            raise CopyReplaced()
        setlimit = getattr(conn, "setlimit", None)  # Python 3.11 and later
        if setlimit is not None:
            setlimit(_SQLITE_LIMIT_LENGTH, self.value_limit)
            setlimit(_SQLITE_LIMIT_COLUMN, COLUMN_LIMIT)
        conn.set_authorizer(_authorize)
        self._all_file_connections.append(conn)
        return conn

    async def execute_fn(self, fn):
        def in_thread():
            with self._lock:
                if self.retired:
                    raise CopyReplaced()
                self._active += 1
            try:
                conn = getattr(_connections, self._key, None)
                if conn is None:
                    conn = self.connect()
                    self.ds._prepare_connection(conn, self.name)
                    setattr(_connections, self._key, conn)
                return fn(conn)
            finally:
                with self._lock:
                    self._active -= 1
                    close = self.retired and self._active == 0
                if close:
                    self.close()

        if self.ds.executor is None:
            return in_thread()
        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)

    def retire(self) -> None:
        """Stop serving this copy: interrupt its queries, close its connections once idle."""
        with self._lock:
            self.retired = True
            idle = self._active == 0
        for conn in list(self._all_file_connections):
            conn.interrupt()
        if idle:
            self.close()


def serve_copy(datasette: Any, path: str | Path, name: str) -> None:
    """Serve the public copy at ``path`` as database ``name``, reopened when the file changes."""
    datasette.__dict__.setdefault("_provenance_copies", {})[name] = str(Path(path).resolve())
    _swap(datasette, name, PublicCopy(datasette, path))


def _swap(datasette: Any, name: str, copy: PublicCopy | None) -> PublicCopy | None:
    databases = dict(datasette.databases)
    old = databases.pop(name, None)
    if copy is not None:
        copy.name = copy.route = name
        databases[name] = copy
    datasette.databases = databases  # one assignment: a request sees the old set or the new
    datasette.__dict__.get("_provenance_public", {}).pop(name, None)
    return old


def _replaced(datasette: Any) -> list[tuple[str, str, tuple[int, int, int, int] | None]]:
    found = []
    for name, path in datasette.__dict__.get("_provenance_copies", {}).items():
        current = datasette.databases.get(name)
        stamp = file_stamp(path)
        if isinstance(current, PublicCopy) and current.stamp == stamp:
            continue
        if current is None and stamp is None:
            continue
        found.append((name, path, stamp))
    return found


async def reopen_replaced_copies(datasette: Any) -> None:
    """Swap in a new ``PublicCopy`` for every served copy whose file changed since it was opened.

    The swap waits for Datasette's schema refresh (every page runs one) to finish: a refresh
    iterates over the databases and awaits each, so a copy retired in one of those awaits was
    an error for the page refreshing; and deleting the copy's row of the internal
    ``databases`` table while a refresh read it failed with "database table is locked".
    """
    if not _replaced(datasette):
        return
    async with datasette._refresh_schemas_lock:
        for name, path, stamp in _replaced(datasette):  # another request may have swapped
            copy = PublicCopy(datasette, path) if stamp is not None else None
            old = _swap(datasette, name, copy)
            if isinstance(old, PublicCopy):
                old.retire()
            if datasette.internal_db_created:
                # Datasette re-reads the schema of a database whose version it has not seen
                await datasette.databases["_internal"].execute_write(
                    "delete from databases where database_name = ?", [name]
                )


def limit_sqlite_heap(limit: int = SQLITE_HEAP_LIMIT_BYTES) -> None:
    """Cap what SQLite allocates in this whole process (``PRAGMA hard_heap_limit``)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA hard_heap_limit = {int(limit)}")
    finally:
        conn.close()
