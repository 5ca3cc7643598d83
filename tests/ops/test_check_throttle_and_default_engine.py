"""Settings that pass their own parsing but cannot work are refused by ``manage.py
check``: an API throttle of 0 (every API call would answer 429 for ever) and a default
engine that is not configured (every job that names none would fail)."""

from __future__ import annotations

import pytest

from iris.ops.checks import check_settings
from tests.support import iris_env, manage


def messages_of(check_id: str) -> list[str]:
    return [message.msg for message in check_settings() if message.id == check_id]


@pytest.mark.parametrize(
    "rate", ["0/minute", "0/second", "00/day", "-1/minute", "ten/minute", "5/week", "5"]
)
def test_a_rate_of_no_request_or_a_malformed_rate_is_e009(settings, rate: str) -> None:
    settings.IRIS_API_THROTTLE = rate
    (message,) = messages_of("iris.E009")
    assert message.startswith(f"IRIS_API_THROTTLE is {rate!r}"), message


@pytest.mark.parametrize("rate", ["1/second", "600/minute", "10000/day"])
def test_a_rate_of_one_request_or_more_passes(settings, rate: str) -> None:
    settings.IRIS_API_THROTTLE = rate
    assert messages_of("iris.E009") == []


def test_a_default_engine_not_configured_is_e010(settings) -> None:
    settings.IRIS_DEFAULT_ENGINE = "nope"
    settings.IRIS_ENGINES = [
        "iris.engines.pseudo.PseudoEngine",
        "iris.engines.deepl_engine.DeepLEngine",
    ]
    (message,) = messages_of("iris.E010")
    assert message == (
        "IRIS_DEFAULT_ENGINE is 'nope', which is not an engine of IRIS_ENGINES "
        "(configured: deepl, pseudo)."
    )


def test_a_configured_default_engine_passes(settings) -> None:
    settings.IRIS_DEFAULT_ENGINE = "deepl"
    settings.IRIS_ENGINES = [
        "iris.engines.pseudo.PseudoEngine",
        "iris.engines.deepl_engine.DeepLEngine",
    ]
    assert messages_of("iris.E010") == []


def test_engines_that_do_not_load_are_e008_alone(settings) -> None:
    settings.IRIS_ENGINES = ["iris.nope.Engine"]
    assert {message.id for message in check_settings()} == {"iris.E008"}


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        # Refused as the setting is read now; iris.E009 stays for a settings module.
        ("IRIS_API_THROTTLE", "0/minute", "IRIS_API_THROTTLE: '0/minute' is not a rate"),
        ("IRIS_DEFAULT_ENGINE", "nope", "(iris.E010) IRIS_DEFAULT_ENGINE is 'nope'"),
    ],
)
def test_manage_check_refuses_them(tmp_path, variable: str, value: str, expected: str) -> None:
    done = manage("check", env=iris_env({variable: value}, tmp_path))
    assert done.returncode != 0, done.stdout
    assert expected in done.stderr, done.stderr


def test_a_default_engine_that_is_not_set_up_is_w011(settings) -> None:
    settings.IRIS_DEFAULT_ENGINE = "openai"
    settings.IRIS_OPENAI_MODEL = ""
    (message,) = messages_of("iris.W011")
    assert message == (
        "IRIS_DEFAULT_ENGINE: the openai engine is not set up: IRIS_OPENAI_MODEL is not set; "
        "every job that names no engine is refused."
    )
    settings.IRIS_OPENAI_MODEL = "gpt-test"
    assert messages_of("iris.W011") == []
