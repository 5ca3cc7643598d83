"""Step ``translate_batch``: a claimed batch is translated once, checked, and saved once.

Each segment's QA checks (iris/qa) run here, on the targets in hand, and are saved with
them in the same statement: verification then only copies verdicts to duplicates,
checks what is still unchecked and writes the report. A segment whose translation has
QA errors goes back once to an engine that reads findings (the repair loop), with the
findings as feedback, and is checked again.

The batch is claimed for the task (iris/jobs/batches.py); the save is conditional on
still holding the claim, so however often the task runs (a worker died, the broker
redelivered) the batch's targets are written exactly once. The engine's requests are
recorded as they return, with their answers cached (iris/jobs/usage.py): a batch run
again pays only for what no earlier attempt finished.

A job with a budget is paused before a batch whose estimate (its segments the cache
does not hold yet) would take the job's cost over it, counting what was spent and what
the job's other running batches may spend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Case, Subquery, Sum, When
from django.utils import timezone

from iris.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    EngineSegment,
    MemoryMatch,
    SegmentContext,
    Term,
    Usage,
)
from iris.engines.prices import priced
from iris.engines.registry import get_engine
from iris.jobs.batches import claim_batch, finish_batch, give_back_batch, release_batch
from iris.jobs.bulk import update_values
from iris.jobs.documents import below_heading
from iris.jobs.models import Batch, BatchState, Job, Origin, QaStatus, Segment, count_done
from iris.jobs.steps.verification import QaContext, Verdict, repair_outcome, verify
from iris.jobs.usage import BatchStore, job_usage


class BudgetReached(Exception):
    """The next batch would take the job over its budget: the job is paused."""


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
    "tm_matches",
    "terms",
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
    """The batch's pending segments with their context, memory matches (those not
    applied: fuzzy ones and candidates) and the glossary terms found in them."""
    sent = [row for row in members if row.pk in contexts]
    terms = dict.fromkeys(Term(**term) for row in sent for term in row.terms)
    return EngineRequest(
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        segments=[
            EngineSegment(
                str(row.pk),
                row.source,
                contexts[row.pk],
                matches=tuple(
                    MemoryMatch(m["source"], m["target"], m["score"]) for m in row.tm_matches
                ),
            )
            for row in sent
        ],
        terms=tuple(terms),
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
    store = BatchStore(job.pk, batch_id, engine.name, engine.price_keys())
    request = _request(job, members, contexts)
    if job.budget is not None:
        _check_budget(job, batch_id, task_id, engine, request, store)
    result = engine.translate(request, store) if contexts else EngineResult({}, Usage())
    qa = QaContext.of(job)
    verdicts = {member.pk: _checked(member, result, qa) for member in members}
    if engine.takes_feedback:
        terms = {member.pk: member.terms for member in members}
        _repair(job, batch_id, engine, request, store, verdicts, result, qa, terms)
    seconds = time.monotonic() - started
    checked = []
    for member in members:
        origin, verdict = verdicts[member.pk]
        checked.append((member.pk, verdict.target, origin, verdict.status, verdict.issues))
    done = (len(members), sum(member.words for member in members))
    return _save(job, batch_id, task_id, checked, done, seconds)


def _checked(member: Any, result: EngineResult, qa: QaContext) -> tuple[str, Verdict]:
    """A member's origin and verdict: its target (the engine's, or reused) checked by
    QA while the batch is at hand, so verification need not read it back."""
    source, target, origin = member.source, member.target, member.origin
    flag = ""
    if origin == Origin.PENDING:
        target, origin = result.targets[str(member.pk)], Origin.ENGINE
        flag = result.flags.get(str(member.pk), "")
    return origin, verify(source, target, origin, flag, qa.with_terms(member.terms))


def _repair(
    job: Job,
    batch_id: int,
    engine: Engine,
    request: EngineRequest,
    store: BatchStore,
    verdicts: dict[int, tuple[str, Verdict]],
    first: EngineResult,
    qa: QaContext,
    terms: dict[int, list[dict[str, Any]]],
) -> None:
    """Send each engine translation with QA errors back once, its findings as feedback,
    and keep what the second check says (iris/jobs/steps/verification.py,
    ``repair_outcome``). What the engine flagged itself it has already asked again."""
    again = []
    for segment in request.segments:
        origin, verdict = verdicts[int(segment.key)]
        if (
            origin == Origin.ENGINE
            and verdict.status == QaStatus.ERROR
            and segment.key not in first.flags
        ):
            findings = "; ".join(
                issue["message"] for issue in verdict.issues if issue["severity"] == "error"
            )
            again.append(replace(segment, feedback=findings))
    if not again:
        return
    repair = replace(request, segments=again)
    if job.budget is not None:
        with transaction.atomic():
            found = _budgeted(job, batch_id, engine, repair, store)
        if found is not None and not found.fits:
            return  # kept with its findings for review: the budget has no room for it
    second = engine.translate(repair, store)
    for segment in again:
        pk = int(segment.key)
        origin, before = verdicts[pk]
        target, flag = second.targets[segment.key], second.flags.get(segment.key, "")
        after = verify(segment.source, target, origin, flag, qa.with_terms(terms[pk]))
        verdicts[pk] = (origin, repair_outcome(before, after, segment.feedback))


@dataclass(frozen=True)
class _Budgeted:
    """What sending a request would take the job's cost to, and against what."""

    budget: float
    spent: float
    estimate: float
    expected: float

    @property
    def fits(self) -> bool:
        return self.expected <= self.budget


def _budgeted(
    job: Job, batch_id: int, engine: Engine, request: EngineRequest, store: BatchStore
) -> _Budgeted | None:
    """The job's cost if ``request`` were sent (what is spent, what the job's other
    running batches reserved, the request's estimate for what the cache does not hold);
    None for a job without a budget. Read under the job's row lock, which the caller's
    transaction holds until it has reserved what it goes on with."""
    sending = engine.to_send(request, store)
    estimate = priced(engine.estimate([s.source for s in sending], 1), engine.price_keys())
    budget = Job.objects.select_for_update().values_list("budget", flat=True).get(pk=job.pk)
    if budget is None:
        return None
    others = (
        Batch.objects.filter(job_id=job.pk, state=BatchState.RUNNING)
        .exclude(pk=batch_id)
        .aggregate(reserved=Sum("reserved"))["reserved"]
    )
    spent = job_usage(job.pk).cost
    expected = spent + float(others or 0.0) + estimate.cost
    return _Budgeted(budget, spent, estimate.cost, expected)


def _check_budget(
    job: Job,
    batch_id: int,
    task_id: str,
    engine: Engine,
    request: EngineRequest,
    store: BatchStore,
) -> None:
    """Raise :class:`BudgetReached` (the batch given back) when this batch may take the
    job's cost over its budget; otherwise reserve its estimate while it runs. Checks
    are serialised by the job's row lock, so concurrent batches cannot all pass on the
    same remaining money."""
    with transaction.atomic():
        found = _budgeted(job, batch_id, engine, request, store)
        if found is None or found.fits:
            Batch.objects.filter(pk=batch_id).update(reserved=found.estimate if found else 0.0)
            return
    give_back_batch(batch_id, task_id)
    raise BudgetReached(
        f"paused before batch {batch_id}: its estimated ${found.estimate:,.4f} would take "
        f"the cost to ${found.expected:,.4f}, over the budget of ${found.budget:,.2f} "
        f"(${found.spent:,.4f} spent); raise it with `iris resume {job.pk} --budget AMOUNT`"
    )


def _save(
    job: Job,
    batch_id: int,
    task_id: str,
    checked: list[tuple[Any, ...]],
    done: tuple[int, int],
    seconds: float,
) -> bool:
    with transaction.atomic():
        won = finish_batch(
            batch_id,
            task_id,
            seconds=seconds,
            finished_at=timezone.now(),
            reserved=0.0,
        )
        if not won:
            return False
        update_values(Segment, ("target", "origin", "qa_status", "qa_issues"), checked)
        count_done(job.pk, *done)
    return True
