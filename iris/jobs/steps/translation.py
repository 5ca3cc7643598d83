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
from django.db.models import Case, Subquery, When
from django.utils import timezone

from iris.engines.base import EngineRequest, EngineResult, EngineSegment, SegmentContext, Usage
from iris.engines.prices import priced
from iris.engines.registry import get_engine
from iris.jobs.batches import claim_batch, finish_batch, release_batch
from iris.jobs.bulk import update_values
from iris.jobs.documents import below_heading
from iris.jobs.models import Batch, Job, Origin, Segment, count_done
from iris.jobs.steps.verification import verify

#: what translation reads of each segment of a batch's span
SPAN_FIELDS = (
    "pk",
    "order",
    "batch_id",
    "source",
    "plain",
    "target",
    "origin",
    "words",
    "heading_level",
)


def batch_span(job: Job, batch_id: int) -> tuple[list[Any], dict[int, SegmentContext]]:
    """The batch's members, in order, and the document context of each pending one.

    One read of the segments from the one before the batch's first to the one after its
    last (the members, and the segments between them that are not sent: duplicates,
    text left as it is): each member's neighbours are there, and the chain of headings
    above it is the batch's (those above its first segment) followed through the span.
    """
    batch = Batch.objects.filter(pk=batch_id)
    first = Subquery(batch.values("first_order"))
    span = list(
        Segment.objects.filter(
            job_id=job.pk,
            order__gte=first - 1,
            order__lte=Subquery(batch.values("last_order")) + 1,
        )
        # The batch's headings, on its first segment's row only (one query in all).
        .annotate(above=Case(When(order=first, then=Subquery(batch.values("headings")))))
        .order_by("order")
        .values_list(*SPAN_FIELDS, "above", named=True)
    )
    chain: dict[int, str] = {}
    started = False  # the row before the batch's first one is only a neighbour
    contexts = {}
    for index, row in enumerate(span):
        if row.above is not None:
            chain, started = {int(level): str(text) for level, text in row.above}, True
        if row.batch_id == batch_id and row.origin == Origin.PENDING:
            before = span[index - 1] if index > 0 else None
            after = span[index + 1] if index + 1 < len(span) else None
            contexts[row.pk] = SegmentContext(
                previous=before.plain if before and before.order == row.order - 1 else "",
                next=after.plain if after and after.order == row.order + 1 else "",
                headings=tuple(chain[level] for level in sorted(chain)),
                title=job.title or job.source_name,
            )
        if started:
            chain = below_heading(chain, row.heading_level, row.plain)
    return [row for row in span if row.batch_id == batch_id], contexts


def _request(job: Job, members: list[Any], contexts: dict[int, SegmentContext]) -> EngineRequest:
    return EngineRequest(
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        segments=[
            EngineSegment(str(row.pk), row.source, contexts[row.pk])
            for row in members
            if row.pk in contexts
        ],
    )


def translate_batch(job: Job, batch_id: int, task_id: str, *, take_over: bool = False) -> bool:
    """Translate the batch if ``task_id`` can claim it; ``False`` when it could not
    (done already, someone else's, or the job stopped translating) or lost the claim.
    ``take_over``: see :func:`iris.jobs.batches.claim_batch`."""
    if not claim_batch(batch_id, job.pk, task_id, take_over=take_over):
        release_batch(batch_id)  # a queued batch of a paused job waits for resume
        return False
    members, contexts = batch_span(job, batch_id)
    started = time.monotonic()
    engine = get_engine(job.engine, job.engine_options)
    result = (
        engine.translate(_request(job, members, contexts))
        if contexts
        else EngineResult({}, Usage())
    )
    seconds = time.monotonic() - started
    usage = priced(result.usage, engine.price_keys())
    checked = [_checked(member, result) for member in members]
    done = (len(members), sum(member.words for member in members))
    return _save(job, batch_id, task_id, checked, done, usage, seconds)


def _checked(member: Any, result: EngineResult) -> tuple[Any, ...]:
    """A member's row as saved: its target (the engine's, or reused) checked by QA
    while the batch is at hand, so verification need not read it back."""
    pk, source, target, origin = member.pk, member.source, member.target, member.origin
    flag = ""
    if origin == Origin.PENDING:
        target, origin = result.targets[str(pk)], Origin.ENGINE
        flag = result.flags.get(str(pk), "")
    verdict = verify(source, target, origin, flag)
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
