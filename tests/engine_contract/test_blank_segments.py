"""Empty and whitespace-only segments: answered as they are, never sent, never billed."""

from __future__ import annotations

from iris.engines.base import Usage
from tests.engine_contract.harness import SENTENCES, Contract, MemoryStore

BLANKS = ("", " ", "   ", "\t\n", "\u00a0")


def test_blank_segments_come_back_as_they_are_and_only_the_rest_is_sent(
    contract: Contract, store: MemoryStore
) -> None:
    request = contract.request(BLANKS[0], SENTENCES[0], *BLANKS[1:])
    result = contract.translate(request, store)
    for segment in request.segments:
        if segment.source != SENTENCES[0]:
            assert result.targets[segment.key] == segment.source
    assert result.targets["s1"].strip()
    assert contract.sent() == [[SENTENCES[0]]]
    assert result.usage.characters == len(SENTENCES[0])
    assert len(store.records) == 1


def test_a_request_of_blank_segments_only_sends_nothing(
    contract: Contract, store: MemoryStore
) -> None:
    request = contract.request(*BLANKS)
    result = contract.translate(request, store)
    assert result.targets == {s.key: s.source for s in request.segments}
    assert result.usage == Usage()
    assert contract.sent() == []
    assert store.records == []
