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


def answered(usage: object) -> bytes:
    """A completion whose choice translates segment "0", with ``usage`` as given (the
    key left out when it is ...)."""
    text = json.dumps(
        {
            "translations": [
                {"id": "0", "text": "Der <g1>Quartalsbericht</g1> ist fertig für unsere Kunden."}
            ]
        }
    )
    choice = {
        "index": 0,
        "finish_reason": "stop",
        "message": {"role": "assistant", "content": text},
    }
    body: dict[str, object] = {"id": "x", "object": "chat.completion", "created": 0, "model": "m"}
    if usage is not ...:
        body["usage"] = usage
    return json.dumps({**body, "choices": [choice]}).encode()


def test_the_usage_the_server_reports_is_what_is_counted(settings) -> None:
    usage = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    with fake_proxy(answered(usage), "application/json") as url:
        result = translate(settings, url)
    assert (result.usage.input_tokens, result.usage.output_tokens) == (120, 30)


@pytest.mark.parametrize(
    "usage",
    [
        ...,  # not reported (some OpenAI-compatible servers leave it out)
        None,
        "lots",
        [1, 2],
        {"prompt_tokens": "many", "completion_tokens": "few"},
        {"prompt_tokens": -5, "completion_tokens": None},
        {"prompt_tokens": True, "completion_tokens": 2.5},
    ],
)
def test_usage_missing_or_unreadable_is_estimated_never_zero_or_a_crash(settings, usage) -> None:
    """What the job is billed and what a budget is checked against: an answer that does
    not say what it used is counted by the engine's own rule, not as free."""
    with fake_proxy(answered(usage), "application/json") as url:
        result = translate(settings, url)
    assert result.targets["0"].startswith("Der <g1>Quartalsbericht</g1>")
    assert not result.flags
    assert result.usage.input_tokens > 50  # the prompt, system message included
    assert 10 <= result.usage.output_tokens < 80  # the answer, its JSON included
