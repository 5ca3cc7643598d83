"""The engine contract suite: every test here runs once per engine (``contract``).

OpenAI and DeepL answer from the fake servers of their own tests (those modules'
``server`` fixtures, which point the settings at them); Apertium runs for real.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine_contract.harness import (
    ENGINES,
    ApertiumContract,
    Contract,
    DeepLContract,
    MemoryStore,
    OpenAIContract,
    PseudoContract,
    failure_cases,
)
from tests.engine_deepl.conftest import server as deepl_server  # noqa: F401 - fixture


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking ``failure`` runs for each failure of each engine, one taking
    ``transient`` for each of their transient failures."""
    if "failure" in metafunc.fixturenames:
        metafunc.parametrize(("engine_name", "failure"), list(failure_cases()))
    elif "transient" in metafunc.fixturenames:
        cases = list(failure_cases(transient_only=True))
        metafunc.parametrize(("engine_name", "transient"), cases)


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def contract(
    request: pytest.FixtureRequest, engine_name: str, settings: Any, monkeypatch
) -> Contract:
    if engine_name == "pseudo":
        return PseudoContract(settings, monkeypatch)
    if engine_name == "apertium":
        return ApertiumContract(settings, monkeypatch)
    if engine_name == "openai":
        return OpenAIContract(settings, monkeypatch, request.getfixturevalue("openai_server"))
    assert engine_name == "deepl"
    return DeepLContract(settings, monkeypatch, request.getfixturevalue("deepl_server"))


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()
