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

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from iris.engines.base import EngineRequest, EngineResult, EngineSegment, SegmentContext, Usage
from iris.engines.registry import get_engine
from iris.jobs.bulk import update_rows
from iris.jobs.models import Batch, BatchState, Job, JobState, Origin, Segment, Step
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
    todo = list(batch.segments.filter(origin=Origin.PENDING).order_by("order"))
    started = time.monotonic()
    result = (
        get_engine(job.engine, job.engine_options).translate(_request(job, todo))
        if todo
        else EngineResult({}, Usage())
    )
    return _save(batch, task_id, todo, result, time.monotonic() - started)


def _save(
    batch: Batch, task_id: str, todo: list[Segment], result: EngineResult, seconds: float
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
        totals = batch.segments.aggregate(n=Count("id"), words=Sum("words"))
        Job.objects.filter(pk=batch.job_id).update(
            segments_done=F("segments_done") + (totals["n"] or 0),
            words_done=F("words_done") + (totals["words"] or 0),
        )
    return True


def dispatch_batches(job_id: int) -> list[int]:
    """Queue pending batches up to the window; returns the ids to send (after commit)."""
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.TRANSLATING:
        return []
    window = settings.IRIS_BATCH_WINDOW if settings.IRIS_ASYNC else None
    in_flight = job.batches.filter(state__in=IN_FLIGHT).count()
    room = None if window is None else max(0, window - in_flight)
    pending = job.batches.filter(state=BatchState.PENDING).order_by("number")
    candidates = list(pending.values_list("pk", flat=True)[:room])
    return [
        pk
        for pk in candidates
        if Batch.objects.filter(pk=pk, state=BatchState.PENDING).update(state=BatchState.QUEUED)
    ]


def translation_finished(job_id: int) -> bool:
    """Whether every batch is done (and no job was paused or cancelled meanwhile)."""
    job = Job.objects.get(pk=job_id)
    return (
        job.state == JobState.TRANSLATING
        and not job.batches.exclude(state=BatchState.DONE).exists()
    )


def finish_translation(job_id: int) -> bool:
    """Copy translations to duplicate segments and move the job on to verification.

    Several workers may finish their last batches together: the conditional state
    transition lets exactly one of them continue.
    """
    fill_duplicates(job_id)
    engine_seconds = Batch.objects.filter(job_id=job_id).aggregate(s=Sum("seconds"))["s"] or 0.0
    moved = transition(
        job_id, JobState.VERIFYING, expect=frozenset({JobState.TRANSLATING}), step=Step.VERIFY
    )
    if moved is not None:
        add_step_time(job_id, "engine", float(engine_seconds))
    return moved is not None


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
    with transaction.atomic():
        update_rows(duplicates, ["target", "origin"])
        Job.objects.filter(pk=job_id).update(
            segments_done=F("segments_done") + len(duplicates),
            words_done=F("words_done") + sum(d.words for d in duplicates),
        )
