"""Storage that cannot be reached: which failures pass if retried, how long to retry,
and the one error callers see when they do not.

A storage call that fails for a moment (connection refused or reset, a timeout, an S3
5xx or SlowDown, a network file system that went stale) is tried again after a short
pause; boto3's own retries are over within milliseconds, too soon for a service that
is restarting. What still fails, or fails for a reason a retry cannot change (access
denied, no such bucket, a folder Iris may not write), becomes
:class:`StorageUnavailableError`, whose message names the settings to check and never
a credential. A missing object (``FileNotFoundError``) is an answer, not an outage: it
passes through unchanged.
"""

from __future__ import annotations

import errno
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from django.conf import settings

# s3transfer (boto3's transfer manager) ships no types; pyproject lists boto3.* and botocore.*
from s3transfer.exceptions import RetriesExceededError

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Patience:
    """How long a storage call is retried: a pause before each new attempt, and no new
    attempt once ``seconds`` have passed since the first (a service that hangs spends
    its client's timeouts, not a fixed few milliseconds, on each attempt)."""

    pauses: tuple[float, ...]
    seconds: float


#: a worker's storage call: five attempts over about 15 s, long enough for a service to
#: restart, short of a step's time limit
WORKER = Patience(pauses=(1.0, 2.0, 4.0, 8.0), seconds=30.0)
#: a person waits on a download: one quick retry, then a 503 telling them when to return
WEB = Patience(pauses=(0.5,), seconds=5.0)

#: S3 error codes that say "not now" rather than "no"
_TRANSIENT_CODES = frozenset(
    {"SlowDown", "RequestTimeout", "ServiceUnavailable", "InternalError", "Throttling"}
)
#: local (or network file system) errors that may pass by themselves
_TRANSIENT_ERRNOS = frozenset(
    {errno.EIO, errno.ESTALE, errno.ENOTCONN, errno.ETIMEDOUT, errno.EAGAIN, errno.EINTR}
)
#: ``scheme://user:secret@host``: an endpoint may carry credentials; messages never do
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


class StorageUnavailableError(OSError):
    """Artifact storage could not be used (after retries when the failure looked
    temporary); the message says what failed and which settings to check."""


def with_retries(operation: Callable[[], T], what: str, patience: Patience) -> T:
    """``operation()``, tried again as ``patience`` allows while it fails with a
    transient storage error; :class:`StorageUnavailableError` when it still fails or
    fails for good. Errors that are not the storage's (and FileNotFoundError) pass."""
    started = time.monotonic()
    pauses = patience.pauses
    for attempt in range(1, len(pauses) + 2):
        try:
            return operation()
        except FileNotFoundError:
            raise
        except (BotoCoreError, ClientError, RetriesExceededError, OSError) as exc:
            if isinstance(exc, StorageUnavailableError):
                raise
            elapsed = time.monotonic() - started
            pause = pauses[attempt - 1] if attempt <= len(pauses) else None
            if pause is None or elapsed + pause > patience.seconds or not is_transient(exc):
                raise unavailable(exc, what, attempt, elapsed) from exc
            logger.warning(
                "%s failed (%s); attempt %d of %d in %g s",
                what,
                describe(exc),
                attempt + 1,
                len(pauses) + 1,
                pause,
            )
            time.sleep(pause)
    raise AssertionError("unreachable: the last attempt returns or raises")


def is_transient(exc: BaseException) -> bool:
    """Whether the same call may succeed in a few seconds."""
    # refused, reset, timeouts; s3transfer gives up on a download cut short this way
    if isinstance(exc, HTTPClientError | BotoConnectionError | RetriesExceededError):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = exc.response.get("Error", {}).get("Code", "")
        return int(status) >= 500 or code in _TRANSIENT_CODES
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    return isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS


def unavailable(
    exc: BaseException, what: str, attempts: int, seconds: float
) -> StorageUnavailableError:
    tried = f" after {attempts} attempts over {seconds:.0f} s" if attempts > 1 else ""
    return StorageUnavailableError(
        f"artifact storage is unavailable: {what} failed{tried} ({describe(exc)}); "
        f"{settings_to_check()}"
    )


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {_USERINFO.sub('***@', str(exc))}"


def settings_to_check() -> str:
    if settings.IRIS_STORAGE_BACKEND == "s3":
        return (
            "check that the S3 service at IRIS_S3_ENDPOINT_URL answers and that "
            "IRIS_S3_BUCKET, IRIS_S3_REGION and IRIS_S3_ACCESS_KEY_ID (or boto3's "
            "credential chain) are right"
        )
    return "check that IRIS_STORAGE_DIR exists and Iris may read and write it"
