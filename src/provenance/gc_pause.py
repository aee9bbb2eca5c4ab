"""Python's cyclic garbage collector, run rarely during work that makes many objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely inside the block.

    An import, or a listing of thousands of conflicts, allocates millions of small
    objects that live until their batch is written or their rows are made, and the
    collector's default thresholds make it walk every live object again and again: at
    a million claims that cost more than a third of an import and 40 % of listing the
    conflicts. Objects that exist before the block are set aside (``gc.freeze``), and
    collections of the youngest objects wait for 50,000 new ones instead of 700.
    Memory stays flat: reference counting frees objects as soon as they are dropped,
    and the rare collections still free cycles. A nested block is harmless (its end
    lifts the outer block's freeze early).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
