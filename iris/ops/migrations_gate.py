"""The migrations gate: a web process never serves on a schema older than its code.

Migrations are a one-off release step (``python manage.py migrate``, deploy/README.md),
never run by starting web or workers. Until they have run, every page but ``/health/``
answers 503 (a problem, naming the step to run) and readiness reports the pending
migrations, so a load balancer keeps traffic away from a process deployed too early.

The gate is also where the health probes are answered, whatever the ``Host`` header:
it runs before Django's host validation (``CommonMiddleware``), and load balancers and
Kubernetes send the instance's address as the host, which ``IRIS_ALLOWED_HOSTS`` does
not list. Refused, a liveness probe gets 400 and the process is restarted in a loop;
the probes say nothing that depends on the host, so they need no such protection.

"Pending" costs the migration graph and a query, so it is not asked per request: once
per process at its first request, and once nothing is pending the answer is kept for
the life of the process (new migrations arrive only with new code, hence a new
process). While something is pending it is asked again at most every
:data:`RECHECK_SECONDS`, so a process started before ``migrate`` notices when it ran.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeGuard

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

#: how often a process that found migrations pending (or could not tell) asks again
RECHECK_SECONDS = 5.0
#: paths served whatever the schema: the probes must say why the process is not ready
UNGATED_PREFIXES = ("/health/",)
#: the URL names (iris/urls.py) of the probes answered before host validation
PROBE_URL_NAMES = frozenset({"health-live", "health-ready"})
PROBLEM_TYPE = "/api/v1/problems/migrations-pending"
DETAIL = "migrations pending: run manage.py migrate"


@dataclass(frozen=True)
class GateState:
    #: ``app.migration`` names not applied yet; ``None`` when the database could not say
    pending: tuple[str, ...] | None
    checked_at: float

    @property
    def settled(self) -> bool:
        """Nothing pending: true for the rest of this process's life."""
        return self.pending == ()


_lock = threading.Lock()
_state: GateState | None = None


def unapplied_migrations(alias: str = "default") -> tuple[str, ...]:
    """The migrations this code has that the database has not applied, in plan order."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return tuple(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan)


def _ask() -> GateState:
    try:
        pending: tuple[str, ...] | None = unapplied_migrations()
    except DatabaseError as exc:  # an outage is readiness's database check's to report
        logger.warning("migrations gate: the database could not say what is applied: %s", exc)
        pending = None
    except Exception:  # the gate must never be why a request fails: it lets it through
        logger.exception("migrations gate: could not read the migration state")
        pending = None
    return GateState(pending, time.monotonic())


def _current(state: GateState | None) -> TypeGuard[GateState]:
    return state is not None and (
        state.settled or time.monotonic() - state.checked_at < RECHECK_SECONDS
    )


def gate_state() -> GateState:
    """This process's view of pending migrations, asking the database only when due."""
    global _state
    state = _state
    if _current(state):
        return state
    with _lock:  # one thread of the process asks; the others take its answer
        state = _state
        if not _current(state):
            state = _state = _ask()
            if state.pending:
                logger.warning("%d migrations pending: run manage.py migrate", len(state.pending))
    return state


def pending_response(pending: tuple[str, ...]) -> JsonResponse:
    body = {
        "type": PROBLEM_TYPE,
        "title": "Service Unavailable",
        "status": 503,
        "detail": DETAIL,
        "pending_migrations": len(pending),
    }
    response = JsonResponse(body, status=503, content_type="application/problem+json")
    response["Retry-After"] = str(int(RECHECK_SECONDS))
    return response


def answer_probe(request: HttpRequest) -> HttpResponse | None:
    """The health probe's own answer, outside the rest of the middleware (host
    validation above all); None when the path is no probe."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name not in PROBE_URL_NAMES:
        return None
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


class MigrationsGateMiddleware:
    """Answers 503 for everything but the health probes while migrations are pending;
    answers the health probes itself, whatever the Host header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(UNGATED_PREFIXES):
            return answer_probe(request) or self.get_response(request)
        pending = gate_state().pending
        if pending:
            return pending_response(pending)
        return self.get_response(request)
