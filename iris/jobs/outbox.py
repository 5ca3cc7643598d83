"""No message that a committed change needs is ever lost (DESIGN.md §3).

With workers, every task the flow sends goes through an :class:`OutboxMessage` row:

1. :func:`post` writes the row in the transaction that makes the task due; once that
   transaction commits, :func:`publish` hands the task to the broker (a few quick
   tries: a broker that is down costs a task seconds, not minutes).
2. The delivery that runs the task :func:`claim`s the row (a lease), the worker
   process renews the lease while the task runs (:func:`renew`), and :func:`finish`
   deletes the row when the task has done its work and sent what follows.
3. :func:`sweep` (a thread in every worker, every ``IRIS_OUTBOX_SWEEP_SECONDS``)
   sends again what is left: rows never published (the broker refused them), rows
   published but never claimed within ``IRIS_OUTBOX_RESEND_SECONDS`` and doubling
   (the broker lost the message, e.g. a restarted Redis that keeps nothing on disk),
   and rows whose lease expired (``IRIS_TASK_LEASE_SECONDS``: the worker that held
   them died, e.g. SIGKILL). A worker killed mid-task is so taken over within about
   the lease plus one sweep, whatever the broker's visibility timeout.
4. The sweeper also watches the broker: when it answers again after not answering,
   whatever it held may be gone (a Redis restarted with nothing on disk), so every
   published row not yet claimed is sent again at once (:func:`resend_unclaimed`)
   instead of after its resend delay. Jobs so recover within a sweep or two of the
   broker's return.

A message may therefore arrive twice (sent again while the first copy waited in a long
queue, or redelivered by the broker): the second delivery finds the row claimed by a
live lease, or gone, and does nothing; tasks are idempotent besides.

When tasks run eagerly there is no broker to lose anything: nothing goes through here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from celery.signals import worker_process_init, worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from iris.celery import task_named
from iris.jobs.models import OutboxMessage
from iris.ops.queues import broker_reachable

logger = logging.getLogger(__name__)

#: how the publisher retries a refused publish before leaving it to the sweeper
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1}
#: longest wait before a publish the broker refused is tried again
MAX_FAILED_BACKOFF = 10.0
#: longest wait before a published but unclaimed message is sent again
MAX_RESEND_BACKOFF = 600.0
#: rows one sweep looks at (the rest wait for the next sweep)
SWEEP_BATCH = 200

#: message id -> task id of the deliveries running in this process (their leases)
_held: dict[int, str] = {}
_held_lock = threading.Lock()


def post(task: str, args: Iterable[Any]) -> None:
    """Make ``task(*args)`` due: the row now (in the caller's transaction), the
    publish once that transaction commits."""
    message = OutboxMessage.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: publish(message.pk))


def publish(message_id: int) -> bool:
    """Hand the row's task to the broker; ``False`` (and a later try by the sweeper)
    when the broker refused it."""
    row = OutboxMessage.objects.filter(pk=message_id).first()
    if row is None:
        return True  # finished already (a sweeper sent it first)
    now = timezone.now()
    try:
        task_named(row.task).apply_async(
            row.args, {"message": row.pk}, retry=True, retry_policy=PUBLISH_RETRY
        )
    except Exception as exc:  # any transport failure: the row stays for the sweeper
        backoff = min(MAX_FAILED_BACKOFF, 2.0**row.attempts)
        OutboxMessage.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1,
            next_attempt=now + timedelta(seconds=backoff),
            last_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        logger.warning("could not send %s (attempt %s): %s", row, row.attempts + 1, exc)
        return False
    resend = min(MAX_RESEND_BACKOFF, settings.IRIS_OUTBOX_RESEND_SECONDS * 2.0**row.attempts)
    OutboxMessage.objects.filter(pk=row.pk).update(
        attempts=F("attempts") + 1, next_attempt=now + timedelta(seconds=resend), last_error=""
    )
    return True


def claim(message_id: int, task_id: str, task: str, args: Iterable[Any]) -> bool:
    """Take the row for the delivery ``task_id`` of ``task(*args)``; ``False`` when this
    delivery is a duplicate (another holds a live lease, or the work is done and the row
    gone) or is not the row's at all: a message left in the broker by another database
    (one restored or recreated while the broker kept its queues) may carry the id of an
    unrelated row, and must neither run nor finish that row's work."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.IRIS_TASK_LEASE_SECONDS)
    free = Q(claimed_by="") | Q(claimed_by=task_id) | Q(claimed_at__lt=stale)
    mine = OutboxMessage.objects.filter(free, pk=message_id, task=task, args=list(args))
    taken = mine.update(claimed_by=task_id, claimed_at=now)
    if taken:
        with _held_lock:
            _held[message_id] = task_id
    return bool(taken)


def finish(message_id: int, task_id: str) -> None:
    """The delivery ``task_id`` is done with the row: nothing is left to send."""
    with _held_lock:
        _held.pop(message_id, None)
    OutboxMessage.objects.filter(pk=message_id, claimed_by=task_id).delete()


def release(message_id: int) -> None:
    """Stop renewing a lease without finishing (the task will be retried)."""
    with _held_lock:
        _held.pop(message_id, None)


def renew() -> int:
    """Renew the leases of the deliveries running in this process."""
    with _held_lock:
        held = dict(_held)
    if not held:
        return 0
    now = timezone.now()
    renewed = 0
    for message_id, task_id in held.items():
        renewed += OutboxMessage.objects.filter(pk=message_id, claimed_by=task_id).update(
            claimed_at=now
        )
    return renewed


def due(now: datetime) -> QuerySet[OutboxMessage]:
    """The rows :func:`sweep` sends again: never published or lost (their next attempt
    has come), or claimed by a worker whose lease expired."""
    stale = now - timedelta(seconds=settings.IRIS_TASK_LEASE_SECONDS)
    waiting = Q(claimed_by="", next_attempt__lte=now)
    abandoned = ~Q(claimed_by="") & Q(claimed_at__lt=stale)
    return OutboxMessage.objects.filter(waiting | abandoned)


def sweep() -> int:
    """Send again every row that is due (see the module's docstring); how many."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(due(now).select_for_update(skip_locked=True).order_by("id")[:SWEEP_BATCH])
        # Abandoned leases are freed (unclaimed rows have none to free); every row is
        # held back from other sweepers until this one has tried it.
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            claimed_by="",
            claimed_at=None,
            next_attempt=now + timedelta(seconds=settings.IRIS_OUTBOX_RESEND_SECONDS),
        )
    for row in rows:
        if row.claimed_by:
            logger.warning("task %s abandoned by %s: sending it again", row, row.claimed_by)
        publish(row.pk)
    return len(rows)


def resend_unclaimed() -> int:
    """Make every row nobody has claimed due now (the broker may have lost them all;
    a copy that did survive arrives twice, and its claim ignores the second)."""
    return OutboxMessage.objects.filter(claimed_by="").update(next_attempt=timezone.now())


class Sweeper(threading.Thread):
    """The loop a worker runs beside its tasks: renew this process's leases, sweep."""

    def __init__(self, *, sweep_outbox: bool) -> None:
        super().__init__(name="iris-outbox", daemon=True)
        self.sweep_outbox = sweep_outbox
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.IRIS_OUTBOX_SWEEP_SECONDS
        renew_every = max(1.0, settings.IRIS_TASK_LEASE_SECONDS / 4)
        last_renewal = float("-inf")
        broker_was_away = False
        while not self.stopped.wait(min(interval, renew_every)):
            close_old_connections()
            try:
                if time.monotonic() - last_renewal >= renew_every:
                    renew()
                    last_renewal = time.monotonic()
                if self.sweep_outbox:
                    reachable = broker_reachable()
                    if reachable and broker_was_away:
                        resent = resend_unclaimed()
                        logger.warning("the broker is back: sending %s tasks again", resent)
                    broker_was_away = not reachable
                    if reachable:  # otherwise every publish would fail, slowly
                        sweep()
            except Exception:  # the database or broker is away: try again next round
                logger.exception("outbox sweep failed")


_threads: list[Sweeper] = []


def _start(*, sweep_outbox: bool) -> None:
    thread = Sweeper(sweep_outbox=sweep_outbox)
    _threads.append(thread)
    thread.start()


@worker_ready.connect
def _start_sweeper(**_kwargs: Any) -> None:
    """A worker's main process sweeps the outbox."""
    _start(sweep_outbox=True)


@worker_process_init.connect
def _start_lease_renewal(**_kwargs: Any) -> None:
    """Each pool process renews the leases of the tasks it runs."""
    _threads.clear()  # a forked child inherits the list, not the threads
    _start(sweep_outbox=False)


@worker_shutdown.connect
def _stop(**_kwargs: Any) -> None:
    for thread in _threads:
        thread.stopped.set()


def delivered(task: Any, message: int | None, body: Callable[[], object]) -> None:
    """Run ``body`` as this delivery of outbox ``message``: not at all for a duplicate
    delivery, the row deleted once the body (and what it sent) is done; an exception (a
    retry) leaves the row to be claimed again. Eager runs send no message id and simply
    run the body. Every task sent through the outbox runs its work through this."""
    if message is None:
        body()
        return
    task_id = task.request.id
    if not claim(message, task_id, task.name, task.request.args or ()):
        logger.info("message %s already taken or done: delivery %s ignored", message, task_id)
        return
    try:
        body()
    except BaseException:
        release(message)
        raise
    finish(message, task_id)
