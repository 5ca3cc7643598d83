"""Readiness checks: each dependency is probed for real, in parallel, under a deadline.

A check is a probe function that raises on failure and returns a short message on
success, plus a predicate saying whether the dependency is enabled at all. Probes run
in threads so that a dependency that hangs costs at most the deadline, never a hung
endpoint; a probe still running then is reported as an error and left to finish alone.

The readiness endpoint answers from :func:`readiness`: one run of the checks serves
every caller of the process for ``IRIS_HEALTH_CACHE_SECONDS``, and callers that arrive
while a run is under way wait for it and share its answer. However often load
balancers (or a load test) ask, each dependency is probed at most once per interval
per web process: a storage write and a broker connection per request would make
readiness the heaviest endpoint of the API and load the services it watches.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

from iris.ops.migrations_gate import gate_state


class Status(StrEnum):
    OK = "ok"
    DISABLED = "disabled"
    ERROR = "error"


@dataclass(frozen=True)
class CheckResult:
    status: Status
    message: str
    duration_ms: float

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = str(self.status)
        data["duration_ms"] = round(self.duration_ms, 1)
        return data


@dataclass(frozen=True)
class Check:
    name: str
    enabled: Callable[[], bool]
    probe: Callable[[float], str]
    #: Aspose starts a .NET runtime in a child process: it gets a longer allowance.
    timeout_factor: float = 1.0


def probe_database(timeout: float) -> str:
    connection = connections["default"]
    if connection.vendor == "postgresql":
        _reach_postgresql(connection.get_connection_params(), timeout)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            (value,) = cursor.fetchone() or (None,)
        if value != 1:
            raise RuntimeError(f"SELECT 1 returned {value!r}")
        return f"{connection.vendor} answered"
    finally:
        connection.close()


def _reach_postgresql(params: dict[str, object], timeout: float) -> None:
    """Connect once outside the pool, so that a server that cannot be used says why
    (connection refused, unknown database, authentication failed, timeout) rather
    than the pool merely running out of time."""
    import psycopg

    kept = {k: v for k, v in params.items() if k not in ("cursor_factory", "context")}
    kept["connect_timeout"] = max(1, round(timeout))
    try:
        psycopg.connect(**kept).close()  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        raise ConnectionError(" ".join(str(exc).split())) from None


def probe_storage(timeout: float) -> str:
    payload = uuid.uuid4().bytes
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.bin", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != payload:
                raise RuntimeError("the object read back differs from the one written")
    finally:
        default_storage.delete(name)
    return f"{settings.IRIS_STORAGE_BACKEND} round trip"


def probe_broker(timeout: float) -> str:
    from iris.celery import app

    with app.connection_for_write(connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=max(1, round(timeout)))
        channel = conn.default_channel
        for queue in app.conf.task_queues:
            queue.bind(channel).declare()
        return f"{conn.transport_cls} connected, {len(app.conf.task_queues)} queues declared"


#: the migrations check's message when the database check failed
UNKNOWN_MIGRATIONS = "unknown: the database did not answer"


def probe_migrations(timeout: float) -> str:
    """Pending migrations, as the migrations gate of this process sees them (asked at
    most every few seconds while some are pending, never again once none are)."""
    try:
        pending = gate_state().pending
    finally:
        connections["default"].close()  # this thread's own, if the gate asked
    if pending is None:
        raise RuntimeError("the database could not say which migrations are applied")
    if pending:
        raise RuntimeError(f"{len(pending)} migrations pending: run manage.py migrate")
    return "none pending"


ASPOSE_PROBE = """
import aspose.words as aw
doc = aw.Document()
aw.DocumentBuilder(doc).writeln("Iris readiness probe")
assert "readiness" in doc.get_text()
print("aspose.words", aw.BuildVersionInfo.version)
"""


def probe_aspose(timeout: float) -> str:
    # Aspose aborts the whole process when its runtime cannot start (ENVIRONMENT.md),
    # so it is only ever loaded in a child process.
    done = subprocess.run(
        [sys.executable, "-c", ASPOSE_PROBE],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
        raise RuntimeError(f"exit {done.returncode}: {lines[-1][:300]}")
    return done.stdout.strip()


def probe_opensearch(timeout: float) -> str:
    parts = urlsplit(settings.IRIS_OPENSEARCH_URL)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    url = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/") + "/_cluster/health", "", ""))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if parts.username:
        token = f"{parts.username}:{parts.password or ''}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    with urllib.request.urlopen(request, timeout=timeout) as response:
        health = json.load(response)
    status = health.get("status")
    if status not in ("green", "yellow"):
        raise RuntimeError(f"cluster status is {status!r}")
    return f"cluster {health.get('cluster_name', '?')} is {status}"


CHECKS: tuple[Check, ...] = (
    Check("database", lambda: True, probe_database),
    Check("migrations", lambda: True, probe_migrations),
    Check("storage", lambda: True, probe_storage),
    Check("aspose", lambda: bool(settings.IRIS_ASPOSE_ENABLED), probe_aspose, 4.0),
    Check("broker", lambda: bool(settings.IRIS_ASYNC), probe_broker),
    Check("opensearch", lambda: bool(settings.IRIS_OPENSEARCH_URL), probe_opensearch),
)


def _timed(probe: Callable[[float], str], timeout: float) -> CheckResult:
    started = time.monotonic()
    try:
        message = probe(timeout)
        status = Status.OK
    except Exception as exc:  # a readiness probe reports every failure, whatever its type
        message = f"{type(exc).__name__}: {exc}"[:500]
        status = Status.ERROR
    return CheckResult(status, message, (time.monotonic() - started) * 1000)


def _collect(future: Future[CheckResult], started: float, deadline: float) -> CheckResult:
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        elapsed = (time.monotonic() - started) * 1000
        return CheckResult(Status.ERROR, f"no answer within {elapsed / 1000:.1f}s", elapsed)


def run_checks(timeout: float | None = None) -> dict[str, CheckResult]:
    """Run every check in parallel; each answers within its share of ``timeout`` seconds."""
    timeout = settings.IRIS_HEALTH_TIMEOUT if timeout is None else timeout
    enabled = [check for check in CHECKS if check.enabled()]
    results = {
        check.name: CheckResult(Status.DISABLED, "not enabled in configuration", 0.0)
        for check in CHECKS
        if check not in enabled
    }
    pool = ThreadPoolExecutor(max_workers=max(1, len(enabled)), thread_name_prefix="health")
    started = time.monotonic()
    futures = {
        check: pool.submit(_timed, check.probe, timeout * check.timeout_factor) for check in enabled
    }
    for check, future in futures.items():
        deadline = started + timeout * check.timeout_factor + 0.25
        results[check.name] = _collect(future, started, deadline)
    pool.shutdown(wait=False, cancel_futures=True)
    results = _migrations_unknown_without_database(results)
    return {check.name: results[check.name] for check in CHECKS}


def _migrations_unknown_without_database(
    results: dict[str, CheckResult],
) -> dict[str, CheckResult]:
    """The migrations check answers from what the gate learnt before (kept for the
    process's life once nothing was pending): while the database does not answer, that
    memory says nothing about it, and "none pending" beside a failed database misleads."""
    database, migrations = results.get("database"), results.get("migrations")
    if database is None or migrations is None or database.status is not Status.ERROR:
        return results
    unknown = CheckResult(Status.ERROR, UNKNOWN_MIGRATIONS, migrations.duration_ms)
    return {**results, "migrations": unknown}


@dataclass(frozen=True)
class Readiness:
    results: dict[str, CheckResult]
    #: when the checks ran (time.monotonic())
    checked: float = field(default_factory=time.monotonic)

    @property
    def failed(self) -> bool:
        return any(result.status is Status.ERROR for result in self.results.values())

    def age(self) -> float:
        return time.monotonic() - self.checked


class _Shared:
    """The last run of the checks in this process, and the lock a new run holds."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: Readiness | None = None

    def fresh(self, max_age: float) -> Readiness | None:
        last = self.last
        return last if last is not None and last.age() <= max_age else None


_shared = _Shared()


def readiness(max_age: float | None = None) -> Readiness:
    """The checks' results, at most ``max_age`` seconds old (IRIS_HEALTH_CACHE_SECONDS;
    0 runs them for every caller)."""
    max_age = settings.IRIS_HEALTH_CACHE_SECONDS if max_age is None else max_age
    if max_age <= 0:
        return Readiness(run_checks())
    known = _shared.fresh(max_age)
    if known is not None:
        return known
    with _shared.lock:  # one run at a time; who waited on it takes its answer
        known = _shared.fresh(max_age)
        if known is None:
            known = _shared.last = Readiness(run_checks())
        return known


def forget_readiness() -> None:
    """Drop the shared answer (the next caller runs the checks)."""
    _shared.last = None
