"""Process start-up: what a long-lived Iris process does once it has imported its code."""

from __future__ import annotations

import gc

#: Collect the young generation every 10,000 net allocations instead of 700, and the
#: whole heap a hundred times less often than that. A job builds hundreds of thousands
#: of objects that live for a whole step (units, rows, targets); with the default
#: thresholds, full collections walked them again and again: on a 500-page document
#: 0.3-0.4 s of the job (5 %), 0.05 s with these. Objects without reference cycles are
#: freed at once either way; only cyclic garbage waits longer.
GC_THRESHOLDS = (10_000, 50, 100)


def collect_less() -> None:
    """Collect garbage with `GC_THRESHOLDS` from now on, start-up included: the
    modules, classes and settings a process imports outlive it, and with the default
    thresholds a command's start-up walked them all in two or three full collections
    (0.05-0.1 s of a one-second ``iris translate``)."""
    gc.set_threshold(*GC_THRESHOLDS)


def settle_heap() -> None:
    """Move every object alive after start-up (Django, Celery, their modules and
    settings: hundreds of thousands) out of the garbage collector's reach, and collect
    less often (see `GC_THRESHOLDS`).

    They live as long as the process, yet every full collection would walk them all
    again: on a 100-page document that walking cost a tenth of a second of the
    pipeline's time. Objects made later are collected as usual.
    """
    gc.collect()
    freeze_heap()


def freeze_heap() -> None:
    """`settle_heap` for a process that lives for one job (``iris translate``), without
    its collection first: that walks every object (0.05 s of a small job) only to find
    the few dozen start-up left unreachable (10-40, measured on small and 500-page
    documents); frozen with the rest, they stay until the command ends."""
    gc.freeze()
    collect_less()
