"""Step ``translate_batch``: batches are claimed, translated once and saved once.

Batches move ``pending -> queued -> running -> done``. Dispatch claims pending batches
(at most ``IRIS_BATCH_WINDOW`` in flight per job, so pause takes effect between
batches); a task claims its queued batch with a conditional update, or takes it over
when it is the broker's redelivery of the same task (same task id) after a worker
died; saving is conditional on still holding the claim, so a batch's targets and
engine usage are written exactly once however often the task runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from iris.engines.base import EngineRequest, EngineResult, EngineSegment, SegmentContext, Usage
from iris.engines.registry import get_engine
from iris.jobs.bulk import update_rows
from iris.jobs.models import (
    Batch,
    BatchState,
    Job,
    JobState,
    Origin,
    Segment,
    Step,
    count_done,
)
from iris.jobs.states import transition
from iris.jobs.timing import add_step_time

IN_FLIGHT = (BatchState.QUEUED, BatchState.RUNNING)


def claim_batch(batch_id: int, task_id: str) -> Batch | None:
    """Take the batch for ``task_id``; ``None`` when it is done or someone else's."""
    claimable = Q(state__in=(BatchState.PENDING, BatchState.QUEUED)) | Q(
        state=BatchState.RUNNING, claimed_by=task_id
    )
    claimed = Batch.objects.filter(claimable, pk=batch_id, job__state=JobState.TRANSLATING).update(
        state=BatchState.RUNNING, claimed_by=task_id, attempts=F("attempts") + 1
    )
    return Batch.objects.select_related("job").get(pk=batch_id) if claimed == 1 else None


def release_batch(batch_id: int) -> None:
    """Give a queued batch back (its job was paused or cancelled before it ran)."""
    Batch.objects.filter(pk=batch_id, state=BatchState.QUEUED).update(state=BatchState.PENDING)


def _request(job: Job, segments: list[Segment]) -> EngineRequest:
    return EngineRequest(
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        segments=[
            EngineSegment(str(s.pk), s.source, SegmentContext.from_dict(s.context))
            for s in segments
        ],
    )


def translate_claimed(batch: Batch, task_id: str) -> bool:
    """Translate a claimed batch and save it; ``False`` if the save lost its claim."""
    job = batch.job
    members = list(batch.segments.order_by("order"))
    todo = [segment for segment in members if segment.origin == Origin.PENDING]
    started = time.monotonic()
    result = (
        get_engine(job.engine, job.engine_options).translate(_request(job, todo))
        if todo
        else EngineResult({}, Usage())
    )
    return _save(batch, task_id, members, todo, result, time.monotonic() - started)


def _save(
    batch: Batch,
    task_id: str,
    members: list[Segment],
    todo: list[Segment],
    result: EngineResult,
    seconds: float,
) -> bool:
    with transaction.atomic():
        won = Batch.objects.filter(
            pk=batch.pk, state=BatchState.RUNNING, claimed_by=task_id
        ).update(
            state=BatchState.DONE,
            usage=result.usage.as_dict(),
            seconds=seconds,
            finished_at=timezone.now(),
        )
        if won != 1:
            return False
        for segment in todo:
            segment.target, segment.origin = result.targets[str(segment.pk)], Origin.ENGINE
        update_rows(todo, ["target", "origin"])
        count_done(batch.job_id, members)
    return True


@dataclass(frozen=True)
class BatchCounts:
    pending: int
    in_flight: int


def batch_counts(job_id: int) -> BatchCounts | None:
    """Pending and in-flight batches of a translating job (None if not translating)."""
    if not Job.objects.filter(pk=job_id, state=JobState.TRANSLATING).exists():
        return None
    counts = Batch.objects.filter(job_id=job_id).aggregate(
        pending=Count("id", filter=Q(state=BatchState.PENDING)),
        in_flight=Count("id", filter=Q(state__in=IN_FLIGHT)),
    )
    return BatchCounts(counts["pending"], counts["in_flight"])


def dispatch_batches(job_id: int, counts: BatchCounts) -> list[int]:
    """Queue pending batches up to the window; returns the ids to send (after commit).

    Rows are locked with SKIP LOCKED, so concurrent dispatchers take disjoint batches.
    """
    window = settings.IRIS_BATCH_WINDOW if settings.IRIS_ASYNC else None
    room = None if window is None else max(0, window - counts.in_flight)
    if room == 0:
        return []
    pending = Batch.objects.filter(job_id=job_id, state=BatchState.PENDING).order_by("number")
    with transaction.atomic():
        ids = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True)[:room])
        Batch.objects.filter(pk__in=ids).update(state=BatchState.QUEUED)
    return ids


def finish_translation(job_id: int) -> bool:
    """Copy translations to duplicate segments and move the job on to verification.

    Several workers may finish their last batches together: the conditional state
    transition locks the job row, so exactly one of them fills the duplicates (inside
    the same transaction) and continues.
    """
    with transaction.atomic():
        moved = transition(
            job_id, JobState.VERIFYING, expect=frozenset({JobState.TRANSLATING}), step=Step.VERIFY
        )
        if moved is None:
            return False
        fill_duplicates(job_id)
    seconds = Batch.objects.filter(job_id=job_id).aggregate(
        engine=Sum("seconds"), context=Sum("context_seconds")
    )
    add_step_time(job_id, "engine", float(seconds["engine"] or 0.0))
    add_step_time(job_id, Step.CONTEXT, float(seconds["context"] or 0.0))
    return True


def fill_duplicates(job_id: int) -> None:
    duplicates = list(
        Segment.objects.filter(
            job_id=job_id, duplicate_of_order__isnull=False, origin=Origin.PENDING
        )
    )
    if not duplicates:
        return
    originals = dict(
        Segment.objects.filter(
            job_id=job_id, order__in={d.duplicate_of_order for d in duplicates}
        ).values_list("order", "target")
    )
    for duplicate in duplicates:
        original = duplicate.duplicate_of_order
        assert original is not None  # selected by duplicate_of_order__isnull=False
        duplicate.target, duplicate.origin = originals[original], Origin.REUSED
    # Runs inside finish_translation's transaction, under the job row's lock.
    update_rows(duplicates, ["target", "origin"])
    count_done(job_id, duplicates)
