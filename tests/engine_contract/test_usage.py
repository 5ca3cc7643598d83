"""Usage: what every request cost, handed to the store once per request, adding up to
the result's usage."""

from __future__ import annotations

from tests.engine_contract.harness import SENTENCES, Contract, MemoryStore


def test_each_request_is_recorded_once_with_its_usage(
    contract: Contract, store: MemoryStore
) -> None:
    contract.cut(2)
    sources = SENTENCES[:5]
    result = contract.translate(contract.request(*sources), store)
    sent = contract.sent()
    assert sorted(len(texts) for texts in sent) == [1, 2, 2]
    assert len(store.records) == len(sent)
    assert sorted(len(answers) for answers, _ in store.records) == [1, 2, 2]
    assert store.recorded_usage() == result.usage
    assert all(usage.characters > 0 for _, usage in store.records)
    assert result.usage.characters == sum(len(source) for source in sources)
    if contract.bills_tokens:
        assert result.usage.input_tokens > 0
        assert result.usage.output_tokens > 0
    else:
        assert result.usage.tokens == 0
    recorded = {target for answers, _ in store.records for target, _ in answers.values()}
    assert recorded == set(result.targets.values())
