"""Pairs: the engine's own pair accepted; another refused, naming what it translates."""

from __future__ import annotations

import pytest

from iris.engines.base import EngineRequest, EngineSegment, UnsupportedPairError
from tests.engine_contract.harness import SENTENCES, Contract


def test_its_pair_and_an_undetected_source_are_accepted(contract: Contract) -> None:
    source, target = contract.pair
    assert contract.engine_class.check_pair(source, target) is None
    assert contract.engine_class.check_pair("auto", target) is None


def test_a_pair_it_does_not_translate_is_refused_naming_what_it_does(contract: Contract) -> None:
    if contract.unsupported is None:
        # It knows no languages (pseudo) or reads them all (a chat model): any pair goes.
        assert contract.engine_class.check_pair("en", "tlh") is None
        assert contract.engine_class.check_pair("tlh", "ja") is None
        return
    source, target, translated = contract.unsupported
    with pytest.raises(UnsupportedPairError, match=translated) as refused:
        contract.engine_class.check_pair(source, target)
    assert target in str(refused.value)
    # asked anyway (a job submitted before a pair was removed): refused, nothing sent
    request = EngineRequest(source, target, [EngineSegment("s0", SENTENCES[0])])
    with pytest.raises(UnsupportedPairError):
        contract.translate(request)
    assert contract.sent() == []
