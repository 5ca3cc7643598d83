"""Requests go ``IRIS_ENGINE_CONCURRENCY`` at a time: the service sees that many in
flight at once, never more."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.engine_contract.harness import SENTENCES, Contract


class Gate:
    """Holds each request until ``width`` are in flight together; the first to wait
    ``patience`` seconds for that opens it for good (requests sent one at a time)."""

    def __init__(self, width: int, patience: float = 3.0) -> None:
        self.width, self.patience = width, patience
        self.in_flight = self.peak = 0
        self.gave_up = False
        self.changed = threading.Condition()

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.changed:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.changed.notify_all()
            opened = self.changed.wait_for(
                lambda: self.peak >= self.width or self.gave_up, self.patience
            )
            self.gave_up = self.gave_up or not opened
            self.changed.notify_all()
        try:
            yield
        finally:
            with self.changed:
                self.in_flight -= 1


def test_requests_are_sent_concurrently_up_to_the_limit(contract: Contract, settings) -> None:
    settings.IRIS_ENGINE_CONCURRENCY = 4
    contract.cut(1)
    gate = Gate(4)
    contract.around = gate.held
    sources = [f"{sentence} ({n})" for n, sentence in enumerate(SENTENCES[:4] * 2)]
    result = contract.translate(contract.request(*sources))
    assert not gate.gave_up, "requests were sent one at a time"
    assert gate.peak == 4
    assert len(contract.sent()) == 8
    assert set(result.targets) == {f"s{n}" for n in range(8)}
