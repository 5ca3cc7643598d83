"""Readiness answers from one run of the checks per interval and process: callers that
arrive meanwhile, or while a run is under way, share its answer."""

from __future__ import annotations

import threading
import time

import pytest
from django.test import Client

from iris.ops import health
from iris.ops.health import Check, Status, forget_readiness, readiness

pytestmark = pytest.mark.everywhere


class CountingDependency:
    """A dependency of our own making: counts its probes; can be made to fail, or to
    hold a probe until released."""

    def __init__(self) -> None:
        self.probes = 0
        self.broken = False
        self.release = threading.Event()
        self.release.set()
        self._lock = threading.Lock()

    def probe(self, timeout: float) -> str:
        with self._lock:
            self.probes += 1
        self.release.wait(timeout)
        if self.broken:
            raise ConnectionError("the counting dependency is down")
        return "answered"


@pytest.fixture
def dependency(monkeypatch: pytest.MonkeyPatch) -> CountingDependency:
    counting = CountingDependency()
    extra = Check("counting", lambda: True, counting.probe)
    monkeypatch.setattr(health, "CHECKS", (*health.CHECKS, extra))
    forget_readiness()
    return counting


def test_one_run_answers_every_caller_within_the_interval(dependency) -> None:
    first = readiness(max_age=60)
    second = readiness(max_age=60)
    assert dependency.probes == 1
    assert second is first
    assert first.results["counting"].status is Status.OK


def test_a_dependency_that_breaks_shows_once_the_answer_is_older_than_the_interval(
    dependency,
) -> None:
    def counting(answer: health.Readiness) -> Status:
        return answer.results["counting"].status

    first = readiness(max_age=60)
    assert counting(first) is Status.OK
    dependency.broken = True
    assert readiness(max_age=60) is first  # still the shared answer
    while first.age() <= 0.05:  # until the answer is older than the interval below
        time.sleep(0.01)
    later = readiness(max_age=0.05)  # stale: the checks run again
    assert later.failed
    assert counting(later) is Status.ERROR
    assert "down" in later.results["counting"].message
    assert dependency.probes == 2


def test_interval_zero_runs_the_checks_for_every_caller(dependency) -> None:
    readiness(max_age=0)
    readiness(max_age=0)
    assert dependency.probes == 2


def test_callers_that_arrive_during_a_run_wait_for_it_and_share_its_answer(dependency) -> None:
    dependency.release.clear()  # the first run's probe waits until every caller started
    answers: list[health.Readiness] = []

    def ask() -> None:
        answers.append(readiness(max_age=60))

    callers = [threading.Thread(target=ask) for _ in range(8)]
    for caller in callers:
        caller.start()
    dependency.release.set()
    for caller in callers:
        caller.join(timeout=30)
    assert len(answers) == 8
    assert dependency.probes == 1
    assert all(answer is answers[0] for answer in answers)


def test_the_endpoint_says_how_old_its_answer_is(client: Client, settings, dependency) -> None:
    settings.IRIS_HEALTH_CACHE_SECONDS = 60
    first = client.get("/health/ready").json()
    second = client.get("/health/ready").json()
    assert dependency.probes == 1
    assert first["checks"]["counting"] == second["checks"]["counting"]
    assert 0 <= first["age_s"] <= second["age_s"]
