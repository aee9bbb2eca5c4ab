"""Files written whole or not at all.

Every file the product writes for a user is written under a temporary name beside its
target and renamed over it when complete — a rename within one folder is atomic, so a
command that fails or is killed half-way leaves the old file, never a truncated one —
and made durable first (the data, then the folder's entry), so the file survives a
power cut once the command has said it is written. `export -o`, `extract -o` and
`--header` files go through :class:`AtomicOutput`, `backup` and publish's state file
through :func:`partial_path` and :func:`replace`. The public copy names its temporary
file itself (``public_copy._temp_prefix``: a crashed publish's leftovers are found by
that name) and ends with :func:`replace` too.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import TextIO


def partial_path(path: str | os.PathLike[str]) -> Path:
    """The temporary name a file is written under: ``.NAME.partial`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.partial")


def fsync_folder(folder: str | os.PathLike[str]) -> None:
    """Make a folder's entries (a rename into it) durable, where the platform allows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every platform opens folders
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace(temporary: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Put the finished ``temporary`` file in place of ``target``, durably."""
    with open(temporary, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(temporary, target)
    fsync_folder(Path(target).parent)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write a small text file whole or not at all."""
    temporary = partial_path(path)
    temporary.write_text(text, encoding="utf-8")
    replace(temporary, path)


class AtomicOutput:
    """A text file written under a temporary name and put in place when complete.

    An export that fails half-way leaves nothing behind, and never a truncated file
    where a good one stood.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.temporary = partial_path(self.path)
        self.stream: TextIO | None = None

    def __enter__(self) -> TextIO:
        self.stream = open(self.temporary, "w", encoding="utf-8", newline="")
        return self.stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.stream is not None
        self.stream.close()
        if exc_type is None:
            replace(self.temporary, self.path)
        else:
            self.temporary.unlink(missing_ok=True)
