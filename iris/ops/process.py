"""Process start-up: what a long-lived Iris process does once it has imported its code."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Move every object alive after start-up (Django, Celery, their modules and
    settings: hundreds of thousands) out of the garbage collector's reach.

    They live as long as the process, yet every full collection would walk them all
    again: on a 100-page document that walking cost a tenth of a second of the
    pipeline's time. Objects made later are collected as usual.
    """
    gc.collect()
    gc.freeze()
