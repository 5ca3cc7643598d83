"""DeepL's 429 carries its ``Retry-After`` to the pipeline, as the openai engine's does:
the SDK drops the answer's headers, the engine keeps them."""

from __future__ import annotations

import pytest

from iris.engines.base import EngineRequest, EngineSegment, TransientError
from iris.engines.deepl_engine import DeepLEngine


def test_a_rate_limit_carries_retry_after(server) -> None:
    server.faults.append("429:7")
    request = EngineRequest("en", "de", [EngineSegment("0", "The report is ready.")])
    with pytest.raises(TransientError, match="busy") as raised:
        DeepLEngine({}).translate(request)
    assert raised.value.retry_after == 7.0
