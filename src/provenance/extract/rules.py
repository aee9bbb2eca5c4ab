"""Rule: a named regular expression whose docstring says what it recognises, with examples.

Every recogniser of the package is a ``Rule`` so a test can check that each one documents
the wording it is for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


class Rule:
    """A named regular expression; its docstring says what it recognises, with examples."""

    def __init__(self, pattern: str, doc: str):
        self.regex = re.compile(pattern)
        self.__doc__ = doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)


def any_of(words: Iterable[str], space: str = r"\s+") -> str:
    """A pattern matching any of ``words``, longest first, a space in one matching ``space``.

    Longest first, so that "deputy commander" is found whole before "deputy" is.
    """
    return "|".join(w.replace(" ", space) for w in sorted(words, key=len, reverse=True))
