"""Modules imported when first used, so that a command loads only what it needs.

SQLAlchemy, Alembic, the ``edtf`` parser and the library's own modules took some 0.7 s
of CPU to import, which every command paid before doing anything (``--help``
included). ``lazy_module`` gives a module object at once and runs the module at its
first attribute access (importlib's ``LazyLoader``). Measured in
``benchmarks/startup_bench.py``; figures in docs/benchmarks.md.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """Module ``name`` (absolute), run at its first attribute access."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
