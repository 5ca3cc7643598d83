"""Where the library's time goes: wall time per stage of `open_document` and `apply`.

Off unless a caller asks (`record`); then every `stage` block adds its time to the
recording. ``bench/docx_roundtrip.py`` and ``python -m iris.docx pseudo --timings``
print the breakdown.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_recording: dict[str, float] | None = None


@contextmanager
def record() -> Iterator[dict[str, float]]:
    """Record stage times (seconds, by stage name, in first-seen order) while open."""
    global _recording
    outer, _recording = _recording, {}
    try:
        yield _recording
    finally:
        _recording = outer


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the block's wall time to stage ``name`` of the open recording, if any."""
    recording = _recording
    if recording is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        recording[name] = recording.get(name, 0.0) + time.perf_counter() - start


def describe(recording: dict[str, float]) -> str:
    """``open 0.41 s, normalise+read 0.52 s, …`` for a recording."""
    return ", ".join(f"{name} {seconds:.3f} s" for name, seconds in recording.items())
