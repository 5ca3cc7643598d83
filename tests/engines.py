"""Engines for failure tests. They keep their "already failed" marker in a file named
by an option, so the failure happens once across processes (test and workers)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from iris.engines.base import (
    EngineRequest,
    EngineResult,
    Option,
    PermanentError,
    TransientError,
)
from iris.engines.pseudo import PseudoEngine


def _first_call(marker: str) -> bool:
    """True exactly once per marker file: the first caller removes it."""
    try:
        Path(marker).unlink()
    except FileNotFoundError:
        return False
    return True


class FailOnceEngine(PseudoEngine):
    """Fails permanently on the first call while the ``marker`` file exists."""

    name = "fail-once"
    option_specs: ClassVar[Mapping[str, Option]] = {
        **PseudoEngine.option_specs,
        "marker": Option(str),
    }

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        if _first_call(str(self.options["marker"])):
            raise PermanentError("simulated engine outage")
        return super().translate_batch(request)


class TransientOnceEngine(PseudoEngine):
    """Raises a transient error (e.g. HTTP 429) on its first call."""

    name = "transient-once"
    option_specs: ClassVar[Mapping[str, Option]] = {
        **PseudoEngine.option_specs,
        "marker": Option(str),
    }

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        if _first_call(str(self.options["marker"])):
            raise TransientError("simulated rate limit", retry_after=0.1)
        return super().translate_batch(request)
