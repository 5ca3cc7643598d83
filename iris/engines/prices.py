"""What engine usage costs, from a price table (``IRIS_PRICES``).

The table maps an engine name, or ``engine:model`` for one model of it, to US dollars
per million characters, input tokens and output tokens, e.g.
``{"deepl": {"characters": 25}, "openai:gpt-4o-mini": {"input_tokens": 0.15,
"output_tokens": 0.6}}``. A model's own entry comes before its engine's; what the
table does not price costs nothing (offline engines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings

from iris.engines.base import Engine, Usage

#: used when IRIS_PRICES does not name the engine: DeepL API Pro's published rate
DEFAULT_PRICES: Mapping[str, Mapping[str, float]] = {"deepl": {"characters": 25.0}}
PER = 1_000_000


def rates(keys: tuple[str, ...]) -> Mapping[str, float]:
    """The first of ``keys`` (most specific first) that the table prices."""
    table = {**DEFAULT_PRICES, **settings.IRIS_PRICES}
    return next((table[key] for key in keys if key in table), {})


def priced(usage: Usage, keys: tuple[str, ...]) -> Usage:
    """``usage`` with its cost from the price table."""
    rate = rates(keys)
    cost = (
        usage.characters * rate.get("characters", 0.0)
        + usage.input_tokens * rate.get("input_tokens", 0.0)
        + usage.output_tokens * rate.get("output_tokens", 0.0)
    ) / PER
    return Usage(usage.characters, usage.input_tokens, usage.output_tokens, round(cost, 6))


@dataclass(frozen=True)
class Estimate:
    """What an engine would use for ``segments`` distinct sources, and cost."""

    engine: str
    segments: int
    requests: int
    usage: Usage

    def as_dict(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "segments": self.segments,
            "requests": self.requests,
            **self.usage.as_dict(),
        }


def estimate(engine: type[Engine], sources: Sequence[str], batches: int) -> Estimate:
    """The engine's own estimate for ``sources`` (tagged, each once) in ``batches``
    pipeline batches, priced; nothing is called."""
    usage = priced(engine.estimate(sources, batches), engine.price_keys())
    return Estimate(engine.name, len(sources), engine.requests(len(sources), batches), usage)
