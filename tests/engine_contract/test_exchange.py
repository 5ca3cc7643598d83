"""An engine that marks its call to the service (`Engine.exchange`) holds its
concurrency slot for that call only: while one answer is parsed and checked, the next
request is already out, and no more than ``IRIS_ENGINE_CONCURRENCY`` calls are ever out
at once. An engine that does not mark it holds its slot for the whole request."""

from __future__ import annotations

import threading
from typing import ClassVar

from iris.engines.base import Engine, EngineRequest, EngineResult, EngineSegment, Usage


class Probe:
    """Counts calls in flight; an answer's check waits (``patience`` seconds at most)
    until a given later request has been sent."""

    def __init__(self, slots: int, patience: float = 3.0, hold: float = 0.0) -> None:
        self.slots, self.patience, self.hold = slots, patience, hold
        self.sent = self.in_flight = self.peak = 0
        self.gave_up = False
        self.changed = threading.Condition()

    def call(self, hold: float = 0.0) -> None:
        """A call to the service; it stays out ``hold`` seconds or until one call more
        than the slots is out with it (which must not happen)."""
        with self.changed:
            self.sent += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.in_flight > self.slots, hold)
            self.in_flight -= 1

    def check(self, later: int) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.sent > later, self.patience):
                self.gave_up = True


class Checking(Engine):
    """One segment per request; checking the answer of request ``n`` waits for request
    ``n + slots`` to be sent, which, were a request's slot held while its answer is
    checked, would wait for that check."""

    name = "checking"
    segments_per_request = 1
    marks_exchange: ClassVar[bool] = True
    probe: ClassVar[Probe]

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        (segment,) = request.segments
        if self.marks_exchange:
            with self.exchange():
                self.probe.call(self.probe.hold)
        else:
            self.probe.call(self.probe.hold)
        later = int(segment.key) + self.probe.slots  # the first request no slot was left for
        if later < COUNT:
            self.probe.check(later)
        return EngineResult({segment.key: segment.source.upper()}, Usage())


class Unmarked(Checking):
    marks_exchange = False


COUNT = 6


def _translate(engine_class: type[Checking], slots: int, **probe_args: float) -> Probe:
    engine_class.probe = probe = Probe(slots, **probe_args)
    request = EngineRequest("en", "fr", [EngineSegment(str(n), f"text {n}") for n in range(COUNT)])
    result = engine_class().translate(request)
    assert result.targets == {str(n): f"TEXT {n}" for n in range(COUNT)}
    return probe


def test_the_next_request_is_out_while_an_answer_is_checked(settings) -> None:
    settings.IRIS_ENGINE_CONCURRENCY = 2
    probe = _translate(Checking, 2)
    assert not probe.gave_up, "each request waited for an answer before it to be checked"
    assert probe.peak <= 2


def test_an_unmarked_engine_holds_its_slot_for_the_whole_request(settings) -> None:
    settings.IRIS_ENGINE_CONCURRENCY = 2
    probe = _translate(Unmarked, 2, patience=0.05)
    assert probe.gave_up  # two requests at a time, checks included
    assert probe.peak <= 2


def test_never_more_calls_out_than_slots(settings) -> None:
    settings.IRIS_ENGINE_CONCURRENCY = 2
    # Each call stays out a while: were a third let out, it would be out with them.
    probe = _translate(Checking, 2, hold=0.2)
    assert probe.peak == 2


def test_batches_sent_at_once_share_the_engines_slots(settings) -> None:
    """Two batches of one process (an in-process job keeps two going) take calls from
    one pool of IRIS_ENGINE_CONCURRENCY slots: never twice as many out."""
    settings.IRIS_ENGINE_CONCURRENCY = 2
    Checking.probe = probe = Probe(2, patience=0.0, hold=0.2)
    errors: list[BaseException] = []

    def batch(first: int) -> None:
        keys = range(first, first + 4)
        request = EngineRequest("en", "fr", [EngineSegment(str(n), f"text {n}") for n in keys])
        try:
            Checking().translate(request)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=batch, args=(first,)) for first in (100, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert probe.sent == 8
    assert probe.peak == 2
