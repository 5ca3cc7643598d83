"""A request that fails among several: what finished before it stays recorded (it was
paid for), and a rerun with the same store sends only what was not recorded."""

from __future__ import annotations

import pytest

from iris.engines.base import TransientError
from tests.engine_contract.harness import HTTP_ENGINES, SENTENCES, HttpContract, MemoryStore

pytestmark = pytest.mark.parametrize("engine_name", HTTP_ENGINES)


def recorded_sources(contract: HttpContract, store: MemoryStore) -> list[str]:
    request = contract.request(*SENTENCES)
    engine = contract.engine()
    by_key = {engine.cache_key(request, s): s.source for s in request.segments}
    return [by_key[key] for answers, _ in store.records for key in answers]


def test_one_at_a_time_the_requests_before_a_failure_stay_recorded(
    contract: HttpContract, store: MemoryStore, settings
) -> None:
    settings.IRIS_ENGINE_CONCURRENCY = 1
    contract.cut(2)
    request = contract.fail_request(2, "server-error", contract.request(*SENTENCES))
    with pytest.raises(TransientError):
        contract.translate(request, store)
    assert contract.sent() == [list(SENTENCES[0:2]), list(SENTENCES[2:4])]  # then stopped
    assert recorded_sources(contract, store) == list(SENTENCES[0:2])
    result = contract.translate(request, store)
    assert contract.sent()[2:] == [list(SENTENCES[2:4]), list(SENTENCES[4:6])]
    assert set(result.targets) == {s.key for s in request.segments}
    first, _ = store.records[0]
    assert {result.targets["s0"], result.targets["s1"]} == {t for t, _ in first.values()}


def test_in_flight_together_every_request_that_finished_stays_recorded(
    contract: HttpContract, store: MemoryStore, settings
) -> None:
    settings.IRIS_ENGINE_CONCURRENCY = 4
    contract.cut(2)
    request = contract.fail_request(1, "server-error", contract.request(*SENTENCES))
    with pytest.raises(TransientError):
        contract.translate(request, store)
    paid = recorded_sources(contract, store)
    asked = len(contract.sent())
    result = contract.translate(request, store)
    resent = [text for texts in contract.sent()[asked:] for text in texts]
    assert sorted(resent) == sorted(set(SENTENCES) - set(paid))
    assert set(result.targets) == {s.key for s in request.segments}
