"""Rule: a named regular expression whose docstring says what it recognises, with examples.

Every recogniser of the package is a ``Rule`` so a test can check that each one documents
the wording it is for."""

from __future__ import annotations

import re
from typing import Any


class Rule:
    """A named regular expression; its docstring says what it recognises, with examples."""

    def __init__(self, pattern: str, doc: str):
        self.regex = re.compile(pattern)
        self.__doc__ = doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)
