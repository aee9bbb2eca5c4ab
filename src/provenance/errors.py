"""Errors the library raises. Only ``cli.py`` turns them into messages and exit codes."""

from __future__ import annotations


class ProvenanceError(Exception):
    """A user's mistake or an unusable input: reported as one line, exit code 2."""


class NotFound(ProvenanceError):
    """A source, entity, property, claim or conflict that the database does not hold."""


class InvalidValue(ProvenanceError):
    """A value that does not parse for its datatype, or a field with a bad value."""


class DatabaseError(ProvenanceError):
    """The database cannot be opened or is not a provenance database at the right version."""


class ImportErrors(ProvenanceError):
    """An import file with one or more bad records; ``errors`` lists every one."""

    def __init__(self, path: str, errors: list[str], count: int | None = None):
        # ``count`` when ``errors`` is cut short: the summary gives the true number
        self.path = path
        self.errors = errors
        super().__init__(
            f"{path}: {len(errors) if count is None else count} bad record(s); nothing imported"
        )
