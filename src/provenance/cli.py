"""The command line's shell: parse, validate, open one transaction, call the library, print.

Every command runs in one transaction: it completes or changes nothing. A command that
only reads opens a reading transaction (``Context.reading``: no write lock, no writes);
one that writes opens a writing transaction (``Context.writing``: the write lock taken
up front). A user's mistake is one line on stderr and exit code 2; ``check`` and
``conflicts --fail`` exit 1 when they find problems.

On PostgreSQL, editors write side by side; a command that loses a race to another
writer (both create the same new entity, source or conflict, and the other commits
first) is rolled back and run again from the start, and then finds the other's rows
(``ProvenanceCommand``). Commands therefore print what they did after their
transaction, never during it, so a run that is repeated prints once.

This module is the shell every command shares: the ``cli`` group and its subgroups, the
``Context`` with its transactions, the retry on a lost race, the one place where errors
become messages and exit codes, ``say`` and ``RowId``. The commands live by concept in
modules that import this one and hang their commands on its groups (registered at the
end of this file):

    cli_sources.py      init, ingest, build, sources, footnotes, check,
                        source add / copy-of / not-copy
    cli_claims.py       add, import, claims, show, claim prefer / deprecate, log
    cli_names.py        entity add, entities, alias add / suggest / distinct,
                        property add, properties
    cli_conflicts.py    conflicts, resolve, trust
    cli_publish.py      publish, serve, export, backup
    cli_extract.py      extract (and its --interactive review)
    cli_corrections.py  citation retract / edit, entity rename / merge, alias remove,
                        source edit

Each command module loads the library only when a command runs (``lazy_module``), so
``provenance --help`` never imports SQLAlchemy (tests/test_startup.py).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import ImportErrors, ProvenanceError
from .inputs import parse_id, shown, terminal_safe, text_problem
from .lazy import lazy_module

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from . import db as dbmod
    from . import history
else:  # SQLAlchemy and the library load when a command first uses them (see lazy.py)
    dbmod = lazy_module("provenance.db")
    history = lazy_module("provenance.history")


def _sqlalchemy_error(exc: BaseException, *names: str) -> bool:
    """Whether ``exc`` is one of SQLAlchemy's errors ``names`` (never, if it is not loaded)."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, tuple(getattr(sa_exc, n) for n in names))


def say(message: str = "", **options: Any) -> None:
    """``click.echo`` for lines that carry stored or given text: control characters escaped."""
    click.echo(terminal_safe(message), **options)


class UserError(click.ClickException):
    """A ProvenanceError reaching the boundary: one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        # messages quote what the user gave and what the database holds: shown escaped
        click.echo(f"Error: {terminal_safe(self.format_message())}", err=True)


class BusyError(UserError):
    """The write lock stayed taken past the busy timeout: nothing was wrong with the input,
    so the exit code is EX_TEMPFAIL (75), which a script can retry on."""

    exit_code = 75


# How often a command that lost a race on PostgreSQL runs again before the error is shown.
# Each run after a lost race finds the winner's rows; a handful of writers creating the
# same things needs one or two more runs, so eight is far more than contention needs.
RACE_ATTEMPTS = 8


class ProvenanceCommand(click.Command):
    """A command that runs again from the start when its transaction lost a race.

    PostgreSQL lets writers run side by side at READ COMMITTED: two editors that both
    look up a new entity, find none and create it cannot both commit it, and the second
    gets a unique-key violation (or a deadlock, or a serialization failure). That is
    not the user's error, and the whole command was one transaction that has now been
    rolled back, so it is run again: this time the lookup finds the committed row and
    nothing is created twice. SQLite writers queue on the write lock instead, and are
    never retried (``db.lost_race``).
    """

    def invoke(self, ctx: click.Context):
        for attempt in range(1, RACE_ATTEMPTS + 1):
            try:
                return super().invoke(ctx)
            except Exception as exc:
                if not _sqlalchemy_error(exc, "DBAPIError"):
                    raise
                if attempt == RACE_ATTEMPTS or not dbmod.lost_race(exc):
                    raise
            # a short random pause, growing with each attempt, so racers spread out
            time.sleep(random.uniform(0, 0.02 * 2**attempt))


class ProvenanceGroup(click.Group):
    command_class = ProvenanceCommand
    group_class = type  # subgroups (`claim`, `entity`, …) make ProvenanceCommands too

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Like Click's, but a usage error is one line too (no usage block, no hint)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            _check_arguments(sys.argv[1:] if args is None else args)
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            click.echo(f"Error: {terminal_safe(exc.format_message())}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ImportErrors as exc:
            # the one-line summary comes first, so a script reading one line gets it;
            # every bad record follows on its own indented line
            click.echo(f"Error: {terminal_safe(str(exc))}", err=True)
            for line in exc.errors:
                click.echo(f"  {terminal_safe(line)}", err=True)
            raise click.exceptions.Exit(UserError.exit_code) from None
        except ProvenanceError as exc:
            raise UserError(str(exc)) from None
        except Exception as exc:
            if not _sqlalchemy_error(exc, "OperationalError", "DatabaseError"):
                raise
            if dbmod.is_busy(exc):
                waited = dbmod.busy_timeout_ms() / 1000
                raise BusyError(
                    "database is busy: another command held the write lock longer than "
                    f"{waited:g} s; nothing was written, run the command again "
                    f"(or set {dbmod.BUSY_TIMEOUT_ENV} to wait longer)"
                ) from None
            if dbmod.lost_race(exc):  # still losing after RACE_ATTEMPTS runs
                raise BusyError(
                    f"database is busy: other editors wrote the same rows first {RACE_ATTEMPTS} "
                    "times over; nothing was written, run the command again"
                ) from None
            raise UserError(f"database error: {dbmod.first_line(exc)}") from None


def _check_arguments(args) -> None:
    """Every argument is text the database can store: the shell hands over bytes that are
    not UTF-8 as lone surrogates, which no database column takes."""
    for arg in args:
        problem = text_problem(arg) if isinstance(arg, str) else None
        if problem:
            raise click.UsageError(f"argument {shown(arg)}: {problem}")


class RowId(click.ParamType):
    """A row id: ASCII digits, 1 to 2⁶³−1 (see inputs.parse_id)."""

    name = "id"

    def __init__(self, what: str, listing: str):
        self.what, self.listing = what, listing

    def convert(self, value, param, ctx) -> int:
        try:
            return parse_id(value, self.what, self.listing)
        except ProvenanceError as exc:
            self.fail(str(exc), param, ctx)


class Context:
    def __init__(self, db: str | None, actor: str | None):
        self.db = db
        self._actor = actor

    @property
    def actor(self) -> str:
        """``--actor``, else ``PROVENANCE_ACTOR``, else the operating-system user."""
        return history.current_actor(self._actor)

    def engine(self, *, create: bool = False, current: bool = True) -> Engine:
        engine = dbmod.make_engine(self.db, create=create)
        if current and not create:
            dbmod.require_current(engine)
        return engine

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One reading transaction for the whole command: a consistent snapshot, no write lock.

        It never waits for a writer (not even for a million-claim import), and it cannot
        write: a write attempted in it is an error, not a wait for the lock.
        """
        engine = self.engine()
        try:
            with dbmod.reading_session(engine) as session:
                yield session
        finally:
            engine.dispose()

    def begin_change(self, session: Session, file: Path | None = None) -> None:
        """The running command and its parameters are the session's change in history."""
        ctx = click.get_current_context()
        path = " ".join(ctx.command_path.split()[1:])
        history.begin_change(session, self.actor, path or "provenance", ctx.params, file)

    @contextmanager
    def writing(self, *, migrate: bool = False) -> Iterator[Session]:
        """One writing transaction for the whole command (migration included): one change.

        The write lock is taken when it begins (SQLite's BEGIN IMMEDIATE), so the
        command waits for another writer up front rather than failing half-way.
        """
        from sqlalchemy.orm import Session

        engine = self.engine(create=migrate, current=not migrate)
        try:
            with dbmod.writing(engine.connect()) as connection, connection.begin():
                if migrate:
                    from alembic import command

                    command.upgrade(dbmod.alembic_config(connection), "head")
                with Session(bind=connection, expire_on_commit=False, autoflush=True) as session:
                    self.begin_change(session)
                    yield session
                    session.flush()
        finally:
            engine.dispose()


pass_context = click.make_pass_decorator(Context)


@click.group(cls=ProvenanceGroup)
@click.version_option(package_name="provenance")
@click.option(
    "--db",
    envvar="PROVENANCE_DB",
    metavar="PATH_OR_URL",
    help="SQLite file or SQLAlchemy URL (default: $PROVENANCE_DB, else db/provenance.db).",
)
@click.option(
    "--actor",
    metavar="NAME",
    help="Who is making changes (default: $PROVENANCE_ACTOR, else your user name).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """A claim-and-citation provenance database for fact-checkers.

    Every claim is stored with the source it came from, the footnote behind it, the
    exact quote, who the source attributes it to, and a confidence level.

    \b
    Example:
        provenance build
        provenance sources
        provenance footnotes ctc-khazali-interrogations-2018

    \b
    Exit codes: 0 done; 1 a check found problems; 2 bad input (nothing
    written); 75 the database stayed busy past $PROVENANCE_BUSY_TIMEOUT
    seconds (default 300) of waiting for another writer, or on PostgreSQL
    other editors wrote the same new rows first 8 times (nothing written).
    """
    ctx.obj = Context(db, actor)


# The groups of subcommands; the command modules add their commands to them.


@cli.group("source")
def source_group() -> None:
    """Sources with no text of ours, and copies of one document."""


@cli.group("claim")
def claim_group() -> None:
    """Ranks of a claim: prefer it or deprecate it (nothing is ever deleted)."""


@cli.group("entity")
def entity_group() -> None:
    """Entities: people, organisations, places, events, alliances."""


@cli.group("alias")
def alias_group() -> None:
    """Aliases: other spellings of an entity's name."""


@cli.group("property")
def property_group() -> None:
    """The vocabulary of properties claims use."""


# The commands, by concept (see the map above): each module hangs its commands on the
# groups above when it is imported.
from . import (  # noqa: E402,F401
    cli_claims,
    cli_conflicts,
    cli_corrections,
    cli_extract,
    cli_names,
    cli_publish,
    cli_sources,
)
