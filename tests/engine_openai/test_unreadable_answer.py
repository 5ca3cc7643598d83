"""A 200 answer that is not a chat completion (a proxy's HTML page, JSON cut short) is
a transient failure naming the server; a chat completion without a usable choice is
the engine's own business: asked again, then kept and flagged."""

from __future__ import annotations

import json

import pytest

from iris.engines.base import EngineRequest, EngineSegment, TransientError
from iris.engines.openai_chat import OpenAIEngine
from tests.engine_openai.server import fake_proxy

SOURCE = "The <g1>quarterly</g1> report is ready for our customers."


def translate(settings, url: str):
    settings.IRIS_OPENAI_BASE_URL = url
    settings.IRIS_OPENAI_MODEL = "test-model"
    settings.IRIS_OPENAI_TIMEOUT = 5
    request = EngineRequest("en", "de", [EngineSegment("0", SOURCE)])
    return OpenAIEngine({}).translate(request)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body>Bad gateway</body></html>", "text/html"),
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"null", "application/json"),
    ],
)
def test_an_answer_that_is_not_a_chat_completion_is_transient(settings, body, content_type):
    with fake_proxy(body, content_type) as url, pytest.raises(TransientError) as raised:
        translate(settings, url)
    message = str(raised.value)
    assert "\n" not in message
    assert url in message
    assert "is not a chat completion" in message
    assert content_type in message


def completion(choices: list[object]) -> bytes:
    body = {"id": "x", "object": "chat.completion", "created": 0, "model": "m"}
    return json.dumps({**body, "choices": choices}).encode()


@pytest.mark.parametrize(
    "body",
    [
        completion([]),
        completion([{"index": 0, "finish_reason": "stop"}]),  # no message
        json.dumps({"id": "x", "object": "chat.completion"}).encode(),  # no choices
    ],
)
def test_a_completion_without_a_usable_choice_is_kept_and_flagged(settings, body) -> None:
    with fake_proxy(body, "application/json") as url:
        result = translate(settings, url)
    assert result.targets["0"] == SOURCE
    assert "not the JSON asked for" in result.flags["0"]
