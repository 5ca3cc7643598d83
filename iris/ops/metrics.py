"""The operational numbers of an Iris installation, computed from the database (and the
broker) when they are asked for.

:func:`snapshot` is the one place they are computed: ``/metrics`` (iris/ops/prometheus.py)
and ``manage.py iris_status`` only render it. Nothing is counted in process memory, so
every web process (gunicorn runs several) answers the same numbers. Each part is one
aggregate query, whatever the number of jobs: a scrape costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, FloatField, Min, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from iris.artifacts.models import Artifact
from iris.celery import QUEUES, queue_for
from iris.jobs.models import Batch, BatchState, EngineCall, Job, JobState, OutboxMessage, Step
from iris.jobs.states import ACTIVE
from iris.ops.maintenance import WAITING_FOR_PEOPLE, stuck_jobs
from iris.ops.models import MaintenanceRun
from iris.ops.queues import queue_depths
from iris.ops.redact import masked

#: upper bounds (seconds) of the step-duration buckets; the last bucket is +Inf
STEP_BUCKETS: tuple[float, ...] = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
#: the states a job can be stuck in: active, and waiting on a worker, not a person
STUCK_STATES = tuple(sorted(state.value for state in ACTIVE - WAITING_FOR_PEOPLE))
#: stuck jobs listed one by one (all of them are counted)
STUCK_LISTED = 50
#: the job states whose batches are work under way: a paused job's resume runs the rest
BATCHES_UNDER_WAY = frozenset({*ACTIVE, JobState.PAUSED})


@dataclass(frozen=True)
class QueueNumbers:
    """One queue: tasks waiting in the outbox (due, not yet taken by a worker) and, with
    a broker, the messages it holds."""

    waiting: int = 0
    oldest_waiting_seconds: float | None = None
    broker_depth: int | None = None


@dataclass(frozen=True)
class StepDurations:
    """A step's time over the finished jobs that ran it: ``buckets`` are cumulative
    counts of jobs that spent at most each of :data:`STEP_BUCKETS` seconds in it."""

    count: int
    total_seconds: float
    buckets: tuple[int, ...]


@dataclass(frozen=True)
class EngineNumbers:
    requests: int = 0
    characters: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    #: jobs failed in the translation step (the engine refused or kept failing)
    failed_jobs: int = 0
    #: batch attempts beyond the first (transient engine errors, lost workers)
    batch_retries: int = 0


@dataclass(frozen=True)
class ArtifactNumbers:
    count: int
    bytes: int


@dataclass(frozen=True)
class MaintenanceNumbers:
    """The last maintenance tick: what it found, by finding, and when it ran."""

    findings: dict[str, int]
    failed: list[str]
    finished_at: datetime


@dataclass(frozen=True)
class Snapshot:
    taken_at: datetime
    stuck_minutes: int
    jobs: dict[str, int]
    stuck_by_state: dict[str, int]
    #: job, state, step, since (ISO 8601), minutes: :func:`iris.ops.maintenance.stuck_jobs`
    stuck: list[dict[str, Any]]
    queues: dict[str, QueueNumbers]
    #: None when tasks run in-process (no broker); "" when the broker answered
    broker_error: str | None
    #: batches of jobs under way (:data:`BATCHES_UNDER_WAY`), by state
    batches: dict[str, int]
    #: batches not done of the other jobs (failed, cancelled, …), by state: nobody runs them
    stopped_batches: dict[str, int]
    steps: dict[str, StepDurations]
    engines: dict[str, EngineNumbers]
    artifacts: dict[str, ArtifactNumbers]
    maintenance: MaintenanceNumbers | None = field(default=None)

    @property
    def stuck_total(self) -> int:
        return sum(self.stuck_by_state.values())


def snapshot(*, broker: bool = True) -> Snapshot:
    """Every operational number now. ``broker``: ask the broker for its queue depths
    too (when tasks run on workers)."""
    now = timezone.now()
    stuck_counts, stuck = stuck_by_state(now)
    broker_error, depths = _broker_depths() if broker else (None, {})
    batches, stopped_batches = batches_by_state()
    return Snapshot(
        taken_at=now,
        stuck_minutes=settings.IRIS_STUCK_MINUTES,
        jobs=jobs_by_state(),
        stuck_by_state=stuck_counts,
        stuck=stuck,
        queues=queue_numbers(now, depths),
        broker_error=broker_error,
        batches=batches,
        stopped_batches=stopped_batches,
        steps=step_durations(),
        engines=engine_numbers(),
        artifacts=artifact_numbers(),
        maintenance=last_maintenance_run(),
    )


def jobs_by_state() -> dict[str, int]:
    counted = dict(Job.objects.order_by().values_list("state").annotate(n=Count("id")))
    return {state.value: int(counted.get(state.value, 0)) for state in JobState}


def stuck_by_state(now: datetime) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Stuck jobs (as the maintenance tick reports them: iris/ops/maintenance.py) counted
    per working state, and the longest-stuck of them (at most :data:`STUCK_LISTED`)."""
    stuck = stuck_jobs(now)
    counted = dict.fromkeys(STUCK_STATES, 0)
    for job in stuck:
        counted[job["state"]] += 1
    return counted, stuck[:STUCK_LISTED]


def _broker_depths() -> tuple[str | None, dict[str, int]]:
    if not settings.IRIS_ASYNC:
        return None, {}
    try:
        return "", queue_depths()
    except Exception as exc:  # any broker failure: reported, the rest still counted
        return f"broker {masked(settings.IRIS_BROKER_URL)} unreachable: {exc}", {}


def queue_numbers(now: datetime, depths: dict[str, int]) -> dict[str, QueueNumbers]:
    """Per queue: outbox rows no worker has claimed (published or not yet) and the age
    of the oldest, with the broker's depth when it was read."""
    waiting: dict[str, tuple[int, datetime]] = {}
    rows = (
        OutboxMessage.objects.filter(claimed_by="")
        .order_by()
        .values_list("task")
        .annotate(n=Count("id"), oldest=Min("created"))
    )
    for task, count, oldest in rows:
        queue = queue_for(task)
        before = waiting.get(queue)
        if before is not None:
            count, oldest = count + before[0], min(oldest, before[1])
        waiting[queue] = (count, oldest)
    numbers = {}
    for queue in QUEUES:
        count, oldest = waiting.get(queue, (0, None))
        age = (now - oldest).total_seconds() if oldest is not None else None
        numbers[queue] = QueueNumbers(count, age, depths.get(queue))
    return numbers


def batches_by_state() -> tuple[dict[str, int], dict[str, int]]:
    """Batches of jobs under way, by state; and the batches not done of stopped jobs.

    A job that failed or was cancelled leaves its batches pending, queued or running
    (until a retry takes a failed job's back): counted with the rest they showed work
    in flight that no worker does."""
    under_way = dict.fromkeys(BatchState.values, 0)
    stopped = dict.fromkeys((s for s in BatchState.values if s != BatchState.DONE), 0)
    rows = Batch.objects.order_by().values_list("state", "job__state").annotate(n=Count("id"))
    for state, job_state, count in rows:
        if job_state in BATCHES_UNDER_WAY:
            under_way[state] += count
        elif state in stopped:
            stopped[state] += count
    return under_way, stopped


def step_durations() -> dict[str, StepDurations]:
    """Each step's time over finished jobs, summed and bucketed in one query (the
    seconds are in each job's ``step_seconds``; a job that skipped a step has none).

    The ORM would repeat a step's JSON extraction in each of its twelve aggregates
    (seven steps: 84 extractions a row, 0.3 s at 10,000 jobs); reading each step once
    in an inner query and aggregating over that is several times cheaper. On
    PostgreSQL ``OFFSET 0`` keeps the planner from pulling the inner query up, which
    would repeat the extractions again.
    """
    inner = (
        Job.objects.filter(finished_at__isnull=False)
        .order_by()
        .values(
            **{
                _column(step): Cast(KT(f"step_seconds__{step.value}"), FloatField())
                for step in Step
            }
        )
    )
    sql, params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        sql += " OFFSET 0"
    aggregates = []
    for step in Step:
        seconds = connection.ops.quote_name(_column(step))
        aggregates += [f"COUNT({seconds})", f"SUM({seconds})"]
        # the bounds are this module's constants, never input: written as literals
        aggregates += [
            f"SUM(CASE WHEN {seconds} <= {bound!r} THEN 1 ELSE 0 END)"
            for bound in map(float, STEP_BUCKETS)
        ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(aggregates)} FROM ({sql}) finished", params)
        row = cursor.fetchone()
    width = 2 + len(STEP_BUCKETS)
    durations = {}
    for index, step in enumerate(Step):
        count, total, *buckets = row[index * width : (index + 1) * width]
        durations[step.value] = StepDurations(
            count=int(count),
            total_seconds=float(total or 0.0),
            buckets=tuple(int(n or 0) for n in buckets),
        )
    return durations


def _column(step: Step) -> str:
    return f"s_{step.value}"


def engine_numbers() -> dict[str, EngineNumbers]:
    """Per engine: its requests and what they used (the ledger of engine calls), jobs
    failed in translation, and batch retries."""
    calls = (
        EngineCall.objects.order_by()
        .values_list("job__engine")
        .annotate(
            n=Count("id"),
            characters=Sum("characters"),
            input_tokens=Sum("input_tokens"),
            output_tokens=Sum("output_tokens"),
            cost=Sum("cost"),
        )
    )
    failed = dict(
        Job.objects.filter(state=JobState.FAILED, failed_step=Step.TRANSLATE)
        .order_by()
        .values_list("engine")
        .annotate(n=Count("id"))
    )
    retried = dict(
        Batch.objects.filter(attempts__gt=1)
        .order_by()
        .values_list("job__engine")
        .annotate(retries=Sum(F("attempts") - 1))
    )
    used = {engine: row for engine, *row in calls}
    numbers = {}
    for engine in sorted(used.keys() | failed.keys() | retried.keys()):
        n, characters, input_tokens, output_tokens, cost = used.get(engine, (0, 0, 0, 0, 0.0))
        numbers[engine] = EngineNumbers(
            requests=int(n),
            characters=int(characters or 0),
            input_tokens=int(input_tokens or 0),
            output_tokens=int(output_tokens or 0),
            cost=round(float(cost or 0.0), 6),
            failed_jobs=int(failed.get(engine, 0)),
            batch_retries=int(retried.get(engine) or 0),
        )
    return numbers


def artifact_numbers() -> dict[str, ArtifactNumbers]:
    """Live artifacts (not tombstones) per kind: how many and their bytes."""
    rows = Artifact.objects.order_by().values_list("kind").annotate(n=Count("id"), size=Sum("size"))
    return {kind: ArtifactNumbers(int(n), int(size or 0)) for kind, n, size in sorted(rows)}


def last_maintenance_run() -> MaintenanceNumbers | None:
    """The last maintenance tick that was not a rehearsal: each step's count (what it
    did or found), the steps that failed, and when it finished; None before the first."""
    run = MaintenanceRun.objects.filter(dry_run=False).order_by("-started", "-id").first()
    if run is None:
        return None
    steps: dict[str, dict[str, Any]] = run.summary.get("steps", {})
    return MaintenanceNumbers(
        findings={name: int(outcome.get("count", 0)) for name, outcome in steps.items()},
        failed=sorted(name for name, outcome in steps.items() if "error" in outcome),
        finished_at=run.finished,
    )
