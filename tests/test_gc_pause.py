"""``gc_pause.few_collections``: the garbage collector runs rarely inside the block (imports
and listings that make millions of objects), and is as it was after, whatever happens."""

from __future__ import annotations

import gc
import weakref

import pytest

from provenance.gc_pause import few_collections


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_inside_the_block_collections_wait_and_older_objects_are_set_aside():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    with few_collections():
        assert gc.get_threshold() == (50_000, 20, 100)
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_the_collector_is_restored_when_the_block_fails():
    thresholds = gc.get_threshold()
    with pytest.raises(ValueError), few_collections():
        raise ValueError("a bad record")
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_cycles_made_inside_the_block_are_still_freed():
    with few_collections():
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
        gc.collect()
        assert gone() is None
