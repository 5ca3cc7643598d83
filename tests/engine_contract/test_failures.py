"""Failures are typed: transient ones (worth retrying, with the wait the service asks
for) apart from permanent ones; nothing is recorded for a request that failed."""

from __future__ import annotations

import pytest

from iris.engines.base import EngineError, InvalidOptionError, TransientError
from tests.engine_contract.harness import SENTENCES, Contract, MemoryStore


def test_a_failure_raises_its_kind(contract: Contract, failure: str, store: MemoryStore) -> None:
    expected = contract.failures[failure]
    request = contract.provoke(failure, contract.request(*SENTENCES[:3]))
    with pytest.raises(EngineError) as raised:
        contract.translate(request, store)
    assert isinstance(raised.value, expected.error), repr(raised.value)
    if isinstance(raised.value, TransientError):
        assert raised.value.retry_after == expected.retry_after
    assert store.records == []


def test_after_a_transient_failure_asking_again_succeeds(
    contract: Contract, transient: str, store: MemoryStore
) -> None:
    request = contract.provoke(transient, contract.request(*SENTENCES[:3]))
    with pytest.raises(TransientError):
        contract.translate(request, store)
    contract.heal()
    result = contract.translate(request, store)
    assert set(result.targets) == {s.key for s in request.segments}
    assert len(store.records) == 1


def test_an_unknown_option_is_refused_naming_the_options(contract: Contract) -> None:
    with pytest.raises(InvalidOptionError, match="no option 'colour'") as refused:
        contract.engine(colour="blue")
    known = sorted(contract.engine_class.option_specs) or ["none"]
    for name in known:
        assert name in str(refused.value)
