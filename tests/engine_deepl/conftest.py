"""The fake DeepL server, with the SDK pointed at it and the engine's memory of
glossaries forgotten (each test's server is a new account)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iris.engines import deepl_engine
from tests.engine_deepl.server import KEY, FakeDeepL, fake_deepl


@pytest.fixture
def server(settings, monkeypatch) -> Iterator[FakeDeepL]:
    monkeypatch.setattr(deepl_engine, "_ACCOUNTS", {})
    with fake_deepl() as fake:
        settings.IRIS_DEEPL_SERVER_URL = fake.url
        settings.IRIS_DEEPL_AUTH_KEY = KEY
        yield fake
