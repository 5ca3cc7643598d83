"""Step ``translate_batch``: a claimed batch is translated once, checked, and saved once.

Each segment's QA checks (iris/qa) run here, on the targets in hand, and are saved with
them in the same statement: verification then only copies verdicts to duplicates,
checks what is still unchecked and writes the report.

The batch is claimed for the task (iris/jobs/batches.py); the save is conditional on
still holding the claim, so however often the task runs (a worker died, the broker
redelivered) the batch's targets and engine usage are written exactly once.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from iris.engines.base import EngineRequest, EngineResult, EngineSegment, SegmentContext, Usage
from iris.engines.registry import get_engine
from iris.jobs.batches import claim_batch, finish_batch, release_batch
from iris.jobs.bulk import update_values
from iris.jobs.models import Job, Origin, Segment, count_done
from iris.jobs.steps.verification import verify


def _request(job: Job, rows: list[tuple[int, str, dict[str, object]]]) -> EngineRequest:
    return EngineRequest(
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        segments=[
            EngineSegment(str(pk), source, SegmentContext.from_dict(context))
            for pk, source, context in rows
        ],
    )


def translate_batch(job: Job, batch_id: int, task_id: str, *, take_over: bool = False) -> bool:
    """Translate the batch if ``task_id`` can claim it; ``False`` when it could not
    (done already, someone else's, or the job stopped translating) or lost the claim.
    ``take_over``: see :func:`iris.jobs.batches.claim_batch`."""
    if not claim_batch(batch_id, job.pk, task_id, take_over=take_over):
        release_batch(batch_id)  # a queued batch of a paused job waits for resume
        return False
    members = list(
        Segment.objects.filter(batch_id=batch_id)
        .order_by("order")
        .values_list("pk", "source", "target", "origin", "context", "words")
    )
    todo = [
        (pk, source, context)
        for pk, source, _, origin, context, _ in members
        if origin == Origin.PENDING
    ]
    started = time.monotonic()
    result = (
        get_engine(job.engine, job.engine_options).translate(_request(job, todo))
        if todo
        else EngineResult({}, Usage())
    )
    seconds = time.monotonic() - started
    checked = [_checked(member, result) for member in members]
    done = (len(members), sum(member[5] for member in members))
    return _save(job, batch_id, task_id, checked, done, result.usage, seconds)


def _checked(member: tuple[Any, ...], result: EngineResult) -> tuple[Any, ...]:
    """A member's row as saved: its target (the engine's, or reused) checked by QA
    while the batch is at hand, so verification need not read it back."""
    pk, source, target, origin = member[:4]
    if origin == Origin.PENDING:
        target, origin = result.targets[str(pk)], Origin.ENGINE
    verdict = verify(source, target, origin)
    return (pk, verdict.target, origin, verdict.status, verdict.issues)


def _save(
    job: Job,
    batch_id: int,
    task_id: str,
    checked: list[tuple[Any, ...]],
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
        update_values(Segment, ("target", "origin", "qa_status", "qa_issues"), checked)
        count_done(job.pk, *done)
    return True
