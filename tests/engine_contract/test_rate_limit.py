"""The per-engine rate limit: one limiter per engine for the whole process, shared by
the threads that send its requests, spacing them evenly."""

from __future__ import annotations

import threading
import time

from iris.engines import base
from iris.engines.base import RateLimiter, rate_limiter


def test_requests_are_spaced_across_threads() -> None:
    limiter = RateLimiter(per_second=40)  # one every 25 ms
    times: list[float] = []
    lock = threading.Lock()

    def send() -> None:
        for _ in range(3):
            limiter.wait()
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=send) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 12 requests at 40 a second: the last no sooner than 11 intervals of 25 ms after
    # the first, however the threads ran (without the limit: a few milliseconds).
    assert max(times) - started >= 11 * 0.025


def test_no_limit_means_no_wait() -> None:
    limiter = RateLimiter(per_second=0)
    started = time.monotonic()
    for _ in range(1000):
        limiter.wait()
    assert time.monotonic() - started < 0.5


def test_one_limiter_per_engine_from_the_setting(settings, monkeypatch) -> None:
    monkeypatch.setattr(base, "_LIMITERS", {})
    settings.IRIS_ENGINE_RATE_LIMITS = {"openai": 5.0}
    assert rate_limiter("openai") is rate_limiter("openai")
    assert rate_limiter("openai").interval == 0.2
    assert rate_limiter("deepl").interval == 0.0


def test_retry_after_in_seconds_or_as_a_date() -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from iris.engines.base import retry_after

    assert retry_after({"retry-after": "7"}) == 7.0
    assert retry_after({"retry-after": "-3"}) == 0.0
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    assert 100 < (retry_after({"retry-after": soon}) or 0) <= 120
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None
    assert retry_after(None) is None
