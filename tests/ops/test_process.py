"""Process start-up settles the heap and collects garbage less often, without losing
cyclic garbage."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from iris.ops.process import GC_THRESHOLDS, settle_heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_settled_heap_still_frees_cycles(restored_gc: None) -> None:
    settle_heap()
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() > 0
    node = _Node()
    ref = weakref.ref(node)
    del node
    gc.collect(0)  # objects made after start-up are young and collected as usual
    assert ref() is None
