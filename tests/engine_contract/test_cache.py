"""The result cache: a rerun with the same store sends nothing and answers the same; what
shapes an answer (options, terms, QA feedback, and context for an engine that reads it)
is part of its key."""

from __future__ import annotations

from dataclasses import replace

from iris.engines.base import SegmentContext, Term
from tests.engine_contract.harness import SENTENCES, Contract, MemoryStore


def test_a_rerun_with_the_same_store_sends_nothing_and_answers_the_same(
    contract: Contract, store: MemoryStore
) -> None:
    request = contract.request(*SENTENCES[:3])
    first = contract.translate(request, store)
    sent, records = len(contract.sent()), len(store.records)
    assert sent == records == 1
    again = contract.translate(request, store)
    assert len(contract.sent()) == sent
    assert len(store.records) == records
    assert again.targets == first.targets
    assert again.usage.characters == 0


def test_changed_options_miss(contract: Contract, store: MemoryStore) -> None:
    if contract.other_options is None:
        assert contract.engine_class.option_specs == {}  # nothing to change
        return
    request = contract.request(*SENTENCES[:3])
    contract.translate(request, store)
    contract.engine(**contract.other_options).translate(request, store)
    assert contract.sent() == [list(SENTENCES[:3])] * 2


def test_context_misses_only_for_an_engine_that_reads_it(
    contract: Contract, store: MemoryStore
) -> None:
    contract.translate(contract.request(*SENTENCES[:3]), store)
    elsewhere = SegmentContext(previous="An earlier paragraph.", title="Another document")
    again = contract.translate(contract.request(*SENTENCES[:3], context=elsewhere), store)
    assert len(contract.sent()) == (2 if contract.engine_class.uses_context else 1)
    assert set(again.targets) == {"s0", "s1", "s2"}


def test_terms_and_qa_feedback_miss(contract: Contract, store: MemoryStore) -> None:
    request = contract.request(*SENTENCES[:3])
    contract.translate(request, store)
    contract.translate(replace(request, terms=(Term("report", "Bericht"),)), store)
    assert contract.sent()[1:] == [list(SENTENCES[:3])]
    segments = list(request.segments)
    segments[1] = replace(segments[1], feedback="a number is missing")
    contract.translate(replace(request, segments=segments), store)
    assert contract.sent()[2:] == [[SENTENCES[1]]]
