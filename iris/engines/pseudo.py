"""The ``pseudo`` engine: offline, deterministic pseudo-localisation.

Accented letters, about 30 % expansion and brackets make untranslated or truncated
text obvious in the output while every tag is kept, so the whole pipeline can run and
be checked with no service. Option ``delay_ms`` simulates an engine's latency per batch
(benchmarks and crash tests use it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import ClassVar

from iris.docx import pseudo_translate
from iris.engines.base import Engine, EngineRequest, EngineResult, Option, Usage


class PseudoEngine(Engine):
    name = "pseudo"
    description = "offline pseudo-localisation (accents, expansion, brackets)"
    translates = False
    option_specs: ClassVar[Mapping[str, Option]] = {
        "delay_ms": Option(float, 0.0, minimum=0, maximum=600_000, help="latency per batch")
    }

    @property
    def cacheable(self) -> bool:
        """Only when it plays a slow engine (``delay_ms``): then, like a real one, a
        batch run again does not ask again for what an earlier run finished."""
        return bool(self.options["delay_ms"] > 0)

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        delay_ms = self.options["delay_ms"]
        if delay_ms > 0:
            time.sleep(delay_ms / 1000)
        targets = {seg.key: pseudo_translate(seg.source) for seg in request.segments}
        characters = sum(len(seg.source) for seg in request.segments)
        return EngineResult(targets, Usage(characters=characters))
