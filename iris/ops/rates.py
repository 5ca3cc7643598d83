"""The API throttle's rate as DRF reads it (``N/second``, ``N/minute``, ``N/hour`` or
``N/day``), judged once for the setting as it is read (iris/settings.py) and for the
system check of a value set any other way (iris/ops/checks.py). Imports nothing:
settings import it."""

from __future__ import annotations

#: the periods of a DRF throttle rate
PERIODS = ("second", "minute", "hour", "day")


def allows_requests(rate: str) -> bool:
    """Whether ``rate`` is one DRF reads and lets at least one request through a period
    (0 would answer every API request 429 for ever)."""
    count, _, period = rate.partition("/")
    return count.isdigit() and int(count) >= 1 and period in PERIODS
