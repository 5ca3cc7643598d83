"""A 200 answer that is not DeepL's JSON: no JSON at all (a proxy's page, a body cut
short) is transient, JSON of another shape is permanent; either is one line naming the
server, never a count of texts that hides the cause or an internal error."""

from __future__ import annotations

import pytest

from iris.engines.base import (
    EngineRequest,
    EngineResult,
    EngineSegment,
    PermanentError,
    SegmentContext,
    TransientError,
)
from iris.engines.deepl_engine import DeepLEngine

SOURCES = ["The <g1>quarterly</g1> report is ready. ", "Total 1,250 units<x2/> in 2024."]


def translate() -> EngineResult:
    segments = [
        EngineSegment(str(i), text, SegmentContext(title="Report"))
        for i, text in enumerate(SOURCES)
    ]
    return DeepLEngine({}).translate(EngineRequest("en", "de", segments))


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("html", TransientError, r"something that is not JSON \(text/html\)"),
        ("garbage", TransientError, r"something that is not JSON \(application/json\)"),
        ("no-text", PermanentError, "returned a translation without its text"),
        ("shapeless", PermanentError, "returned JSON of another shape"),
    ],
)
def test_an_answer_that_is_not_deepls_json_is_told_apart(server, fault, error, words) -> None:
    server.faults.append(fault)
    with pytest.raises(error, match=words) as raised:
        translate()
    message = str(raised.value)
    assert "\n" not in message
    assert server.url in message
    assert "IRIS_DEEPL_SERVER_URL" in message
