"""Engines, connection settings, the two kinds of transaction, and migrations.

SQLite is the embedded default. Every SQLite connection gets foreign keys, WAL, a busy
timeout and ``synchronous=FULL``; Python's legacy transaction handling is switched off
so that SQLAlchemy's "begin" event issues BEGIN itself (see the "Transactions" notes of
SQLAlchemy's SQLite dialect). Any other SQLAlchemy URL (``postgresql+psycopg://…``) is
used as given.

A transaction is one of two kinds, named for what it locks:

- a **reading** transaction (``reading(connection)``) takes no write lock and cannot
  write: on SQLite a deferred ``BEGIN`` with ``PRAGMA query_only`` on, so it reads one
  WAL snapshot while another command writes, and a write attempted in it fails at once
  instead of waiting for the lock; on PostgreSQL a ``READ ONLY`` transaction at
  ``REPEATABLE READ``, one snapshot for the whole command.
- a **writing** transaction (the default, ``writing(connection)``) takes the write lock
  up front: on SQLite ``BEGIN IMMEDIATE``, so two editors writing at once queue on the
  lock (for up to the busy timeout) instead of failing when a deferred transaction
  that has read tries to upgrade; on PostgreSQL ``READ COMMITTED``, where writers run
  side by side and one that loses a race for a new row (a unique key another writer
  has just committed, a deadlock) is run again from the start: see ``lost_race``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session

from . import files
from .errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_DB = Path("db") / "provenance.db"
# The execution option that makes a connection's transactions reading ones on SQLite.
READING = "provenance_reading"
# PostgreSQL's codes for losing a race to another writer: a unique key it has just
# committed (two editors creating one new entity, source or conflict), a serialization
# failure, a deadlock. Nothing was wrong with the input; the whole transaction can run
# again and will then find the other writer's rows.
RACE_SQLSTATES = frozenset({"23505", "40001", "40P01"})
# How long a command waits for another's write lock before giving up. Writes queue
# (BEGIN IMMEDIATE), so this bounds the wait behind the longest write: an import of a
# million claims holds the lock for a minute or two, and an editor's `add` should wait
# for it rather than fail. PROVENANCE_BUSY_TIMEOUT (seconds) overrides it.
BUSY_TIMEOUT_MS = 300_000
BUSY_TIMEOUT_ENV = "PROVENANCE_BUSY_TIMEOUT"


def busy_timeout_ms() -> int:
    """The wait for the write lock, in milliseconds: PROVENANCE_BUSY_TIMEOUT seconds or
    the default."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise DatabaseError(
            f"{BUSY_TIMEOUT_ENV}={text!r}: expected a number of seconds from 0 to 86400"
        )
    return int(seconds * 1000)


def is_busy(exc: BaseException) -> bool:
    """SQLite gave up waiting for another connection's lock."""
    orig = getattr(exc, "orig", None) or exc
    return isinstance(orig, sqlite3.OperationalError) and str(orig).startswith(
        ("database is locked", "database is busy")
    )


def lost_race(exc: BaseException) -> bool:
    """PostgreSQL rolled the transaction back because another writer got there first.

    On SQLite writers queue on the write lock, so a unique key violated there is not a
    race but a real error, and is never retried.
    """
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None) in RACE_SQLSTATES


def reading(connection: Connection) -> Connection:
    """``connection`` with its transactions made reading ones: no write lock, no writes."""
    if connection.dialect.name == "postgresql":
        return connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    return connection.execution_options(**{READING: True})


def writing(connection: Connection) -> Connection:
    """``connection`` with its transactions made writing ones (the default): the write lock
    is taken up front."""
    if connection.dialect.name == "postgresql":
        return connection.execution_options(
            isolation_level="READ COMMITTED", postgresql_readonly=False
        )
    return connection.execution_options(**{READING: False})


def default_db() -> str:
    return os.environ.get("PROVENANCE_DB") or str(DEFAULT_DB)


def is_url(target: str) -> bool:
    return "://" in target


def to_url(target: str) -> str:
    """A path becomes a SQLite URL; a URL is returned as given."""
    if is_url(target):
        return target
    return f"sqlite:///{Path(target)}"


def _check_sqlite_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(
            f"--db {str(path)!r} is a directory: expected a SQLite file path or a database URL"
        )
    if path.exists():
        with open(path, "rb") as f:
            head = f.read(16)
        if path.stat().st_size and head != b"SQLite format 3\x00":
            raise DatabaseError(
                f"--db {str(path)!r} is not a SQLite database: expected a file made by `provenance"
                " init`"
            )
        return
    if not create:
        raise DatabaseError(
            f"database {str(path)!r} does not exist: run `provenance init` or `provenance build`"
            " first"
        )
    if not path.parent.exists():
        raise DatabaseError(f"--db {str(path)!r}: folder {str(path.parent)!r} does not exist")


CACHE_KIB = 64 * 1024


def _sqlite_connect_settings(dbapi_connection, connection_record) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" event below issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    # SQLite's default page cache is 2 MB; a large import updates indexes of hundreds of
    # megabytes, and re-reading their pages was a good part of its time at 1M claims.
    # The cache is allocated as pages are used, so a small command costs no more.
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # A reading transaction reads a snapshot without waiting for the write lock and
    # refuses to write; every other one takes the write lock up front (module docstring).
    # query_only belongs to the connection, so each transaction sets it for itself.
    # So do foreign keys: a reading transaction writes nothing of the working database for
    # them to guard, and `publish` writes a public copy attached to it that is built table
    # by table (a table written before the table it refers to).
    if conn.get_execution_options().get(READING):
        conn.exec_driver_sql("PRAGMA query_only = ON")
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("PRAGMA query_only = OFF")
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(target: str | None = None, *, create: bool = False) -> Engine:
    """An engine for a path or URL; ``create`` allows a new SQLite file (init, build)."""
    target = target or default_db()
    try:
        url = make_url(to_url(target))
    except ArgumentError:
        raise DatabaseError(
            f"--db {target!r} is not a path or database URL: expected e.g. db/provenance.db or"
            " postgresql+psycopg://user@host/name"
        ) from None
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:":
            _check_sqlite_path(Path(database), create=create)
        busy_timeout_ms()  # a bad PROVENANCE_BUSY_TIMEOUT is reported before anything is opened
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect_settings)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # missing driver, bad dialect name
        raise DatabaseError(
            f"--db {target!r}: cannot use this URL ({exc.__class__.__name__}: {exc})"
        ) from None


def alembic_config(connection=None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("provenance.migrations")))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# a migration file's own revision and the one it follows, as Alembic's template writes them
_REVISION = re.compile(r'^revision: str = "(\w+)"$', re.M)
_DOWN_REVISION = re.compile(r'^down_revision: [^=]+ = (?:None|"(\w+)")$', re.M)


def head_revision_fast() -> str | None:
    """The latest migration, read from the migration files without importing Alembic.

    Every command checks the database is at it (``require_current``), and Alembic's
    script directory takes a third of a second of CPU to import and read. A file this
    does not understand (a merge of two heads, say) hands the question to Alembic.
    A test checks both give the same answer.
    """
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in resources.files("provenance.migrations.versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("__"):
            continue
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return head_revision()
        revisions.add(revision.group(1))
        if down.group(1):
            followed.add(down.group(1))
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else head_revision()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty one), read with plain SQL."""
    from sqlalchemy import inspect, text

    with reading(engine.connect()) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the latest migration)."""
    try:
        with writing(engine.connect()) as connection, connection.begin():
            from alembic import command

            command.upgrade(alembic_config(connection), revision)
    except (OperationalError, SADatabaseError, sqlite3.DatabaseError) as exc:
        raise DatabaseError(
            f"cannot migrate {engine.url.render_as_string(hide_password=True)!r}: {first_line(exc)}"
        ) from None


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with writing(engine.connect()) as connection, connection.begin():
        command.downgrade(alembic_config(connection), revision)


def require_current(engine: Engine) -> None:
    """Refuse to work on a database that is not at the latest migration."""
    try:
        current = current_revision(engine)
    except (OperationalError, SADatabaseError) as exc:
        raise DatabaseError(
            f"cannot open database {engine.url.render_as_string(hide_password=True)!r}:"
            f" {first_line(exc)}"
        ) from None
    head = head_revision_fast()
    if current is None:
        raise DatabaseError(
            f"database {engine.url.render_as_string(hide_password=True)!r} is empty: run"
            " `provenance init` first"
        )
    if current != head:
        raise DatabaseError(
            f"database is at migration {current}, this version needs {head}: run `provenance init`"
            " to upgrade"
        )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One session, one writing transaction: committed when the block ends, rolled back on error."""
    with (
        writing(engine.connect()) as connection,
        connection.begin(),
        Session(bind=connection, expire_on_commit=False) as session,
    ):
        yield session
        session.flush()


@contextmanager
def reading_session(engine: Engine) -> Iterator[Session]:
    """One session in one reading transaction: a snapshot, no write lock, no writes."""
    with (
        reading(engine.connect()) as connection,
        connection.begin(),
        Session(bind=connection, expire_on_commit=False) as session,
    ):
        yield session


def first_line(exc: BaseException) -> str:
    """The first line of a database error, as a one-line message can show it."""
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else orig.__class__.__name__


def backup(engine: Engine, out: Path, *, progress=None) -> int:
    """Copy a SQLite database with SQLite's online backup API; returns the pages copied.

    Safe while editors write: the copy is a consistent snapshot. The copy is made in a
    temporary file beside ``out`` and renamed into place, so ``out`` is never half-written.
    """
    if engine.dialect.name != "sqlite":
        raise DatabaseError("backup copies SQLite files: for PostgreSQL use pg_dump")
    out = Path(out)
    if out.exists():
        raise DatabaseError(f"backup target {str(out)!r} exists: choose a new file name")
    if not out.parent.exists():
        raise DatabaseError(
            f"backup target {str(out)!r}: folder {str(out.parent)!r} does not exist"
        )
    if not engine.url.database:
        raise DatabaseError("backup copies SQLite files: this database is in memory")
    source_path = Path(engine.url.database)
    if source_path.resolve() == out.resolve():
        raise DatabaseError("backup target is the database itself: choose another file")
    tmp = files.partial_path(out)
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(tmp)
    try:
        source.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")

        def step(status, remaining, total):
            if progress:
                progress(total - remaining, total)

        source.backup(target, pages=1024, progress=step)
        target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        pages = target.execute("PRAGMA page_count").fetchone()[0]
    finally:
        target.close()
        source.close()
    files.replace(tmp, out)
    return pages
