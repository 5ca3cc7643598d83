"""Batch states: the table of legal moves and the one function that makes them.

A batch moves ``pending -> queued -> running -> done``. Dispatch queues pending
batches (at most ``IRIS_BATCH_WINDOW`` in flight per job when async, so pause takes
effect between batches); a task claims its queued batch, or takes it over when it is
the broker's redelivery of the same task (same task id) after a worker died; saving is
conditional on still holding the claim, so a batch's targets and engine usage are
written exactly once however often the task runs. Every move is one conditional
``UPDATE``: concurrent workers cannot both win it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from iris.jobs.models import Batch, BatchState, Job, JobState

B = BatchState

#: state -> states a batch may move to. ``running -> running`` is a redelivered task
#: taking its own claim back; ``-> pending`` gives a batch back (pause, retry, a message
#: that never arrived, a job that failed or was cancelled: pending is also where the
#: batches of a stopped job wait, so that nothing is queued or running without a task).
BATCH_TRANSITIONS: dict[BatchState, frozenset[BatchState]] = {
    B.PENDING: frozenset({B.QUEUED, B.RUNNING}),
    B.QUEUED: frozenset({B.RUNNING, B.PENDING}),
    B.RUNNING: frozenset({B.RUNNING, B.DONE, B.PENDING}),
    B.DONE: frozenset(),
}
IN_FLIGHT = (B.QUEUED, B.RUNNING)


class IllegalBatchMove(Exception):
    """A batch move that the table does not allow was asked for."""


def move_batches(
    batches: QuerySet[Batch],
    sources: Iterable[BatchState],
    target: BatchState,
    *,
    where: Q | None = None,
    **fields: Any,
) -> int:
    """Move the batches of ``batches`` that are in one of ``sources`` to ``target``.

    One conditional ``UPDATE``; returns how many rows moved. ``where`` narrows the
    condition further (e.g. "claimed by this task"). Raises :class:`IllegalBatchMove`
    when the table does not allow ``source -> target`` for one of ``sources``.
    """
    sources = frozenset(sources)
    illegal = sorted(s for s in sources if target not in BATCH_TRANSITIONS[s])
    if illegal:
        raise IllegalBatchMove(f"a batch cannot go from {', '.join(illegal)} to {target}")
    condition = Q(state__in=sources) & (where or Q())
    return batches.filter(condition).update(state=target, **fields)


def claim_batch(batch_id: int, job_id: int, task_id: str, *, take_over: bool = False) -> bool:
    """Take the batch for ``task_id``; ``False`` when it is done or someone else's.

    ``take_over``: the caller holds the lease of the outbox message for this work
    (iris/jobs/outbox.py), so whoever held the batch before abandoned it (a killed
    worker); should that one still finish, :func:`finish_batch` refuses its results.
    The job must still be translating: a paused or cancelled job's batches stay put.
    """
    mine = Q(state__in=(B.PENDING, B.QUEUED)) | Q(claimed_by=task_id)
    if take_over:
        mine |= Q(state=B.RUNNING)
    rows = Batch.objects.filter(pk=batch_id, job_id=job_id, job__state=JobState.TRANSLATING)
    moved = move_batches(
        rows,
        (B.PENDING, B.QUEUED, B.RUNNING),
        B.RUNNING,
        where=mine,
        claimed_by=task_id,
        attempts=F("attempts") + 1,
    )
    return moved == 1


def release_batch(batch_id: int) -> None:
    """Give a queued batch back (its job was paused or cancelled before it ran)."""
    move_batches(Batch.objects.filter(pk=batch_id), (B.QUEUED,), B.PENDING)


def give_back_batch(batch_id: int, task_id: str) -> None:
    """Give back a batch ``task_id`` claimed but will not translate (its job paused)."""
    rows = Batch.objects.filter(pk=batch_id)
    move_batches(rows, (B.RUNNING,), B.PENDING, where=Q(claimed_by=task_id), claimed_by="")


def finish_batch(batch_id: int, task_id: str, **fields: Any) -> bool:
    """Mark the batch done if ``task_id`` still holds it; ``False`` if it lost it."""
    rows = Batch.objects.filter(pk=batch_id)
    return move_batches(rows, (B.RUNNING,), B.DONE, where=Q(claimed_by=task_id), **fields) == 1


def requeue_batches(job_id: int, sources: Iterable[BatchState]) -> int:
    """Put the job's batches in ``sources`` back to pending, unclaimed (resume, retry,
    a job that failed or was cancelled)."""
    rows = Batch.objects.filter(job_id=job_id)
    return move_batches(rows, sources, B.PENDING, claimed_by="")


@dataclass(frozen=True)
class BatchCounts:
    pending: int
    in_flight: int


def batch_counts(job_id: int) -> BatchCounts | None:
    """How many of a translating job's batches are pending and in flight; ``None`` when
    the job is not translating (one query, a second only for a job without batches)."""
    counts = Batch.objects.filter(job_id=job_id, job__state=JobState.TRANSLATING).aggregate(
        pending=Count("id", filter=Q(state=B.PENDING)),
        in_flight=Count("id", filter=Q(state__in=IN_FLIGHT)),
        total=Count("id"),
    )
    if (
        not counts["total"]
        and not Job.objects.filter(pk=job_id, state=JobState.TRANSLATING).exists()
    ):
        return None
    return BatchCounts(counts["pending"], counts["in_flight"])


def queue_batches(job_id: int, counts: BatchCounts) -> list[int]:
    """Queue pending batches up to the window; returns the ids to send (after commit).

    Rows are locked with SKIP LOCKED, so concurrent dispatchers take disjoint batches.
    """
    window = settings.IRIS_BATCH_WINDOW if settings.IRIS_ASYNC else None
    room = None if window is None else max(0, window - counts.in_flight)
    if room == 0:
        return []
    pending = Batch.objects.filter(job_id=job_id, state=B.PENDING).order_by("number")
    with transaction.atomic():
        ids = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True)[:room])
        move_batches(Batch.objects.filter(pk__in=ids), (B.PENDING,), B.QUEUED)
    return ids
