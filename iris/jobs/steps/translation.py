"""Step ``translate_batch``: a claimed batch is translated once and saved once.

The batch is claimed for the task (iris/jobs/batches.py); the save is conditional on
still holding the claim, so however often the task runs (a worker died, the broker
redelivered) the batch's targets and engine usage are written exactly once.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from iris.engines.base import EngineRequest, EngineResult, EngineSegment, SegmentContext, Usage
from iris.engines.registry import get_engine
from iris.jobs.batches import claim_batch, finish_batch, release_batch
from iris.jobs.bulk import update_rows
from iris.jobs.models import Job, Origin, Segment, count_done

FIELDS = ("job", "order", "source", "context", "origin", "words", "batch")


def _request(job: Job, segments: list[Segment]) -> EngineRequest:
    return EngineRequest(
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        segments=[
            EngineSegment(str(s.pk), s.source, SegmentContext.from_dict(s.context))
            for s in segments
        ],
    )


def translate_batch(job: Job, batch_id: int, task_id: str) -> bool:
    """Translate the batch if ``task_id`` can claim it; ``False`` when it could not
    (done already, someone else's, or the job stopped translating) or lost the claim."""
    if not claim_batch(batch_id, job.pk, task_id):
        release_batch(batch_id)  # a queued batch of a paused job waits for resume
        return False
    members = list(Segment.objects.filter(batch_id=batch_id).only(*FIELDS).order_by("order"))
    todo = [segment for segment in members if segment.origin == Origin.PENDING]
    started = time.monotonic()
    result = (
        get_engine(job.engine, job.engine_options).translate(_request(job, todo))
        if todo
        else EngineResult({}, Usage())
    )
    return _save(job, batch_id, task_id, members, todo, result, time.monotonic() - started)


def _save(
    job: Job,
    batch_id: int,
    task_id: str,
    members: list[Segment],
    todo: list[Segment],
    result: EngineResult,
    seconds: float,
) -> bool:
    with transaction.atomic():
        won = finish_batch(
            batch_id,
            task_id,
            usage=result.usage.as_dict(),
            seconds=seconds,
            finished_at=timezone.now(),
        )
        if not won:
            return False
        for segment in todo:
            segment.target, segment.origin = result.targets[str(segment.pk)], Origin.ENGINE
        update_rows(todo, ["target", "origin"])
        count_done(job.pk, members)
    return True
