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
from iris.jobs.bulk import update_values
from iris.jobs.models import Job, Origin, Segment, count_done


def _request(job: Job, rows: list[tuple[int, str, dict[str, object]]]) -> EngineRequest:
    return EngineRequest(
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        segments=[
            EngineSegment(str(pk), source, SegmentContext.from_dict(context))
            for pk, source, context in rows
        ],
    )


def translate_batch(job: Job, batch_id: int, task_id: str) -> bool:
    """Translate the batch if ``task_id`` can claim it; ``False`` when it could not
    (done already, someone else's, or the job stopped translating) or lost the claim."""
    if not claim_batch(batch_id, job.pk, task_id):
        release_batch(batch_id)  # a queued batch of a paused job waits for resume
        return False
    members = list(
        Segment.objects.filter(batch_id=batch_id)
        .order_by("order")
        .values_list("pk", "source", "context", "origin", "words")
    )
    todo = [
        (pk, source, context)
        for pk, source, context, origin, _ in members
        if origin == Origin.PENDING
    ]
    started = time.monotonic()
    result = (
        get_engine(job.engine, job.engine_options).translate(_request(job, todo))
        if todo
        else EngineResult({}, Usage())
    )
    targets = [(pk, result.targets[str(pk)], Origin.ENGINE) for pk, _, _ in todo]
    words = sum(member[4] for member in members)
    done = (len(members), words)
    return _save(job, batch_id, task_id, targets, done, result.usage, time.monotonic() - started)


def _save(
    job: Job,
    batch_id: int,
    task_id: str,
    targets: list[tuple[int, str, Origin]],
    done: tuple[int, int],
    usage: Usage,
    seconds: float,
) -> bool:
    with transaction.atomic():
        won = finish_batch(
            batch_id, task_id, usage=usage.as_dict(), seconds=seconds, finished_at=timezone.now()
        )
        if not won:
            return False
        update_values(Segment, ("target", "origin"), targets)
        count_done(job.pk, *done)
    return True
