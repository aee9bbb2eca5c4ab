"""Modules imported when first used, so that a command loads only what it needs.

SQLAlchemy, Alembic, the ``edtf`` parser and the library's own modules took some 0.7 s
of CPU to import, which every command paid before doing anything (``--help``
included). ``lazy_module`` gives a stand-in at once that imports the module at the
first attribute read. Measured in ``benchmarks/startup_bench.py``; figures in
docs/benchmarks.md.

The stand-in is not put in ``sys.modules`` (importlib's ``LazyLoader`` does that, and
its module is not safe to touch from two threads at once: `serve` answers requests on
several, and a module first used by two requests at the same moment failed one of
them). Every other ``import`` gets the real module, and the import itself runs under
Python's import lock.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """A module imported at its first attribute read; every read is the real module's.

    Names are read from the real module each time, never copied: what is set on it
    later (a test's stand-in for a function, say) is what the stand-in gives too.
    """

    def __getattr__(self, attr: str) -> Any:
        module = self.__dict__.get("_module")
        if module is None:
            module = self.__dict__["_module"] = importlib.import_module(self.__name__)
        return getattr(module, attr)


def lazy_module(name: str) -> ModuleType:
    """Module ``name`` (absolute), imported at its first attribute read."""
    return LazyModule(name)
