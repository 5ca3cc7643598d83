"""The maintenance tick (DESIGN.md §7): one pass of housekeeping that beat schedules.

A tick runs the steps of :data:`STEPS` in order, each a small function that does one
thing and returns an :class:`Outcome`: delete expired artifacts, stale candidate
memory and old engine answers, check storage against the artifact rows, send again
what the outbox holds, re-dispatch batches whose message was lost, report stuck jobs,
delete old idempotency answers and old tick summaries. A step that fails is recorded
and the next one runs. The summary is stored as a :class:`MaintenanceRun` and printed
by the command.

Idempotent: every step acts on what is due now, so a second tick finds nothing left.
Two ticks never overlap on PostgreSQL: the first takes an advisory lock (see
:func:`tick_lock`) and a second one exits at once, doing nothing. A dry run rehearses
the deleting steps in a transaction it rolls back, so its counts are the real run's.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from iris.api.models import IdempotentRequest
from iris.artifacts.integrity import find_integrity_problems
from iris.artifacts.models import Artifact
from iris.artifacts.storage import delete_artifact
from iris.governance.actions import Actor, record_audit
from iris.governance.models import AuditRecord
from iris.jobs import outbox
from iris.jobs.batches import IN_FLIGHT, release_batch
from iris.jobs.flow import FLOW, advance_batches
from iris.jobs.models import Batch, BatchState, Job, JobState, OutboxMessage
from iris.jobs.states import ACTIVE
from iris.jobs.usage import expire_cached
from iris.memory.service import expire_candidates
from iris.ops.models import MaintenanceRun
from iris.review.coverage import refresh_snapshots

logger = logging.getLogger(__name__)

#: who the audit trail names for what the tick deletes
MAINTENANCE_ACTOR = Actor(name="maintenance")
#: the PostgreSQL advisory lock a tick holds ("IRISMTCK" read as ASCII): one tick at a time
LOCK_KEY = 0x4952_4953_4D54_434B
#: said (printed, returned) by a tick that found another one running
ANOTHER_TICK = "another tick is running: this one did nothing"
#: expired artifacts one tick deletes (a backlog is worked off over a few ticks)
EXPIRE_LIMIT = 1000
#: ids a summary lists per finding (the counts are whole): it stays one screen
LISTED = 20
#: states in which a job waits for a person, not a worker: never "stuck"
WAITING_FOR_PEOPLE = frozenset(spec.state for spec in FLOW.values() if spec.gate)
#: the tasks whose outbox rows carry (job id, batch id)
BATCH_TASKS = tuple(spec.task for spec in FLOW.values() if spec.per_batch)


@dataclass(frozen=True)
class Tick:
    """What every step is given: whether this is a rehearsal, and the tick's clock."""

    dry_run: bool
    now: datetime


@dataclass
class Outcome:
    """What a step did (in a dry run: would do)."""

    #: rows acted on, or findings
    count: int
    #: one line for the printed summary
    text: str
    #: the ids and findings behind the count, at most :data:`LISTED` of each
    detail: dict[str, Any] = field(default_factory=dict)


class JobInState(NamedTuple):
    pk: int
    state: str
    step: str
    #: when the job entered ``state``
    entered: datetime


@dataclass(frozen=True)
class TickResult:
    #: False when another tick held the lock (nothing was done, nothing stored)
    ran: bool
    text: str
    run: MaintenanceRun | None = None


class _Rehearsal(Exception):
    """Raised to roll back a dry run's rehearsal; carries what the step returned."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def rehearsed(tick: Tick, work: Callable[[], Outcome]) -> Outcome:
    """Run ``work``; in a dry run inside a transaction that is rolled back, so nothing
    it wrote stays (its on-commit storage removals are discarded with it) and the
    count is what the real run would do, by the very functions that would do it."""
    if not tick.dry_run:
        return work()
    try:
        with transaction.atomic():
            raise _Rehearsal(work())
    except _Rehearsal as rehearsal:
        return rehearsal.outcome


def _did(tick: Tick, done: str, would: str) -> str:
    return would if tick.dry_run else done


def _listed(ids: list[Any]) -> str:
    more = f" and {len(ids) - LISTED} more" if len(ids) > LISTED else ""
    return ", ".join(str(i) for i in ids[:LISTED]) + more


# --- the steps ------------------------------------------------------------------------


def delete_expired_artifacts(tick: Tick) -> Outcome:
    """Live artifacts past their retention date become tombstones (audited; the
    object is removed when each deletion commits)."""
    due = Artifact.objects.filter(expires_at__lt=tick.now).order_by("expires_at", "pk")

    def work() -> Outcome:
        doomed = list(due[:EXPIRE_LIMIT])
        deleted = [a.pk for a in doomed if delete_artifact(a, MAINTENANCE_ACTOR, "expired")]
        more = " (more remain: next tick)" if len(doomed) == EXPIRE_LIMIT else ""
        text = f"{len(deleted)} {_did(tick, 'deleted', 'to delete')}{more}"
        return Outcome(len(deleted), text, {"artifacts": deleted[:LISTED]})

    return rehearsed(tick, work)


def expire_stale_candidates(tick: Tick) -> Outcome:
    """Candidate memory that finished jobs left and nothing used
    (``IRIS_TM_CANDIDATE_DAYS``); the memory service owns the rule and audits it."""

    def work() -> Outcome:
        deleted = expire_candidates(MAINTENANCE_ACTOR)
        return Outcome(deleted, f"{deleted} {_did(tick, 'deleted', 'to delete')}")

    return rehearsed(tick, work)


def expire_engine_cache(tick: Tick) -> Outcome:
    """Cached engine answers older than ``IRIS_ENGINE_CACHE_DAYS`` (one audit record)."""

    def work() -> Outcome:
        with transaction.atomic():
            deleted = expire_cached()
            if deleted:
                after = {"deleted": deleted, "older_than_days": settings.IRIS_ENGINE_CACHE_DAYS}
                target = ("jobs.cachedtranslation", f"{deleted} answers")
                record_audit(MAINTENANCE_ACTOR, "engine_cache.expired", target, after=after)
        return Outcome(deleted, f"{deleted} {_did(tick, 'deleted', 'to delete')}")

    return rehearsed(tick, work)


#: the key of an integrity outcome that did not compare (a recent tick had)
SKIPPED = "skipped_until"


def _last_integrity_check(now: datetime) -> MaintenanceRun | None:
    """The latest tick within ``IRIS_INTEGRITY_MINUTES`` that compared storage."""
    since = now - timedelta(minutes=settings.IRIS_INTEGRITY_MINUTES)
    return (
        MaintenanceRun.objects.filter(dry_run=False, started__gte=since, started__lte=now)
        .filter(summary__steps__integrity__has_key="detail")
        .exclude(summary__steps__integrity__detail__has_key=SKIPPED)
        .first()
    )


def check_integrity(tick: Tick) -> Outcome:
    """Storage against the artifact rows (reports only; checksums are not read: that
    would read every object on every tick). Listing a whole bucket is the heaviest
    step, so it runs once per ``IRIS_INTEGRITY_MINUTES``; ticks in between say when
    it runs next. A dry run always compares."""
    last = None if tick.dry_run else _last_integrity_check(tick.now)
    if last is not None:
        due = last.started + timedelta(minutes=settings.IRIS_INTEGRITY_MINUTES)
        text = f"checked at {last.started:%H:%M:%S} UTC; next after {due:%H:%M:%S} UTC"
        return Outcome(0, text, {SKIPPED: due.isoformat(), "checked_by_run": last.pk})
    found = {k: v for k, v in asdict(find_integrity_problems()).items() if isinstance(v, list)}
    detail = {name: values[:LISTED] for name, values in found.items()}
    counts = {name: len(values) for name, values in found.items() if values}
    if not counts:
        return Outcome(0, "clean", detail)
    text = "; ".join(f"{name.replace('_', ' ')} {n}" for name, n in counts.items())
    return Outcome(sum(counts.values()), text, {**detail, "counts": counts})


def resend_outbox(tick: Tick) -> Outcome:
    """Tasks never sent, lost by the broker or held by a dead worker are sent again
    (the outbox's own sweep, which workers also run: a tick covers a fleet that has
    none running)."""
    if not settings.IRIS_ASYNC:
        return Outcome(0, "not used: tasks run in-process (IRIS_ASYNC=false)")
    if tick.dry_run:
        due = outbox.due(timezone.now()).count()
        return Outcome(due, f"{due} to send again")
    sent = outbox.sweep()
    return Outcome(sent, f"{sent} sent again")


def entered_state_before(jobs: QuerySet[Job], cutoff: datetime) -> list[JobInState]:
    """The ``jobs`` that entered their current state before ``cutoff``, longest first.

    A job has no column for that time; the audit record of its last transition into
    its state (``job.<state>``, written by iris/jobs/states.py) says when. A job that
    has not moved since it was created (queued) has none: its creation time then.
    """
    moves = AuditRecord.objects.filter(
        object_type=Job._meta.label_lower,
        object_id=Cast(OuterRef("pk"), CharField()),
        action=Concat(Value("job."), OuterRef("state"), output_field=CharField()),
    ).order_by("-created", "-id")
    entered = Coalesce(Subquery(moves.values("created")[:1]), F("created"))
    rows = (
        jobs.filter(created__lt=cutoff)  # cheap: a job cannot enter a state before it exists
        .annotate(entered=entered)
        .filter(entered__lt=cutoff)
        .order_by("entered", "pk")
        .values_list("pk", "state", "step", "entered")
    )
    return [JobInState(*row) for row in rows]


def _lost_batches(tick: Tick) -> tuple[dict[int, list[int]], list[int]]:
    """(queued batches by job, running batch ids) with no outbox message, of jobs
    translating for longer than the hard time limit: no task will ever run them."""
    cutoff = tick.now - timedelta(seconds=settings.IRIS_TASK_TIME_LIMIT)
    translating = Job.objects.filter(state=JobState.TRANSLATING)
    old = [job.pk for job in entered_state_before(translating, cutoff)]
    batches = Batch.objects.filter(state__in=IN_FLIGHT, job__in=old).order_by("job_id", "number")
    messages = OutboxMessage.objects.filter(task__in=BATCH_TASKS).values_list("args", flat=True)
    sent = {tuple(args[:2]) for args in messages}
    queued: dict[int, list[int]] = defaultdict(list)
    running: list[int] = []
    for batch_id, job_id, state in batches.values_list("pk", "job_id", "state"):
        if (job_id, batch_id) in sent:
            continue
        if state == BatchState.QUEUED:
            queued[job_id].append(batch_id)
        else:
            running.append(batch_id)
    return dict(queued), running


def redispatch_lost_batches(tick: Tick) -> Outcome:
    """Queued batches whose message was lost go back to pending and the flow dispatches
    them again (its own dispatcher, window and outbox); running ones without a message
    are reported. Only with workers: eager runs have no messages to lose."""
    if not settings.IRIS_ASYNC:
        return Outcome(0, "not used: tasks run in-process (IRIS_ASYNC=false)")
    queued, running = _lost_batches(tick)
    lost = [batch for batches in queued.values() for batch in batches]
    if not tick.dry_run:
        for job_id, batch_ids in queued.items():
            with transaction.atomic():
                for batch_id in batch_ids:
                    release_batch(batch_id)
                advance_batches(job_id)
    text = f"{len(lost)} queued {_did(tick, 'sent again', 'to send again')}"
    if lost:
        text += f" (batches {_listed(lost)})"
    if running:
        text += f"; {len(running)} running without a message (batches {_listed(running)})"
    detail = {"queued": lost[:LISTED], "running_without_message": running[:LISTED]}
    return Outcome(len(lost) + len(running), text, detail)


def stuck_jobs(now: datetime | None = None) -> list[dict[str, Any]]:
    """Jobs in an active state (not waiting for a person) for longer than
    ``IRIS_STUCK_MINUTES``, longest first: job, state, step, since, minutes."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IRIS_STUCK_MINUTES)
    working = Job.objects.filter(state__in=ACTIVE - WAITING_FOR_PEOPLE)
    return [
        {
            "job": job.pk,
            "state": job.state,
            "step": job.step,
            "since": job.entered.isoformat(),
            "minutes": int((now - job.entered).total_seconds() // 60),
        }
        for job in entered_state_before(working, cutoff)
    ]


def report_stuck_jobs(tick: Tick) -> Outcome:
    """Reports only: what to do with a stuck job is a person's decision."""
    stuck = stuck_jobs(tick.now)
    shown = ", ".join(f"job {s['job']} {s['state']} {s['minutes']} min" for s in stuck[:LISTED])
    text = f"{len(stuck)}" + (f": {shown}" if stuck else "")
    if len(stuck) > LISTED:
        text += f" and {len(stuck) - LISTED} more"
    return Outcome(len(stuck), text, {"jobs": stuck[:LISTED]})


def delete_old_idempotency_answers(tick: Tick) -> Outcome:
    """``Idempotency-Key`` answers older than ``IRIS_IDEMPOTENCY_HOURS`` (one audit
    record): a retry that late creates new jobs."""
    hours = settings.IRIS_IDEMPOTENCY_HOURS
    old = IdempotentRequest.objects.filter(created__lt=tick.now - timedelta(hours=hours))

    def work() -> Outcome:
        with transaction.atomic():
            deleted, _ = old.delete()
            if deleted:
                after = {"deleted": deleted, "older_than_hours": hours}
                target = ("api.idempotentrequest", f"{deleted} answers")
                record_audit(MAINTENANCE_ACTOR, "idempotency.expired", target, after=after)
        return Outcome(deleted, f"{deleted} {_did(tick, 'deleted', 'to delete')}")

    return rehearsed(tick, work)


def delete_old_runs(tick: Tick) -> Outcome:
    """The summaries of ticks older than ``IRIS_MAINTENANCE_KEEP_DAYS`` (a tick every
    five minutes leaves some 9,000 rows a month)."""
    days = settings.IRIS_MAINTENANCE_KEEP_DAYS
    old = MaintenanceRun.objects.filter(started__lt=tick.now - timedelta(days=days))

    def work() -> Outcome:
        deleted, _ = old.delete()
        return Outcome(deleted, f"{deleted} {_did(tick, 'deleted', 'to delete')}")

    return rehearsed(tick, work)


def refresh_review_coverage(tick: Tick) -> Outcome:
    """A coverage snapshot of each job in review whose coverage changed since its last
    one (iris/review/coverage.py): the history a manager reads progress from, also for
    edits no import or review action recorded."""
    jobs = list(Job.objects.filter(state=JobState.IN_REVIEW).values_list("pk", flat=True))

    def work() -> Outcome:
        taken = refresh_snapshots(jobs)
        text = f"{taken} {_did(tick, 'taken', 'to take')} of {len(jobs)} job(s) in review"
        return Outcome(taken, text)

    return rehearsed(tick, work)


#: the tick's steps, in order: deletions first, so that the integrity check sees what
#: they left; the name is the summary's key
STEPS: tuple[tuple[str, Callable[[Tick], Outcome]], ...] = (
    ("expired_artifacts", delete_expired_artifacts),
    ("stale_candidates", expire_stale_candidates),
    ("engine_cache", expire_engine_cache),
    ("integrity", check_integrity),
    ("outbox", resend_outbox),
    ("lost_batches", redispatch_lost_batches),
    ("stuck_jobs", report_stuck_jobs),
    ("idempotency_answers", delete_old_idempotency_answers),
    ("old_runs", delete_old_runs),
    ("review_coverage", refresh_review_coverage),
)


# --- the tick -------------------------------------------------------------------------


@contextmanager
def tick_lock() -> Iterator[bool]:
    """Whether this tick may run: on PostgreSQL, whether it took the advisory lock.

    The lock is ``pg_try_advisory_xact_lock`` in a transaction held open on a
    connection of its own for the tick's duration, so the tick's work still commits
    step by step (a deletion is not held back until the end, nor undone by a later
    step's failure) and the lock dies with the connection if the process does. A
    session lock would do the same on a direct connection but not through PgBouncer in
    transaction mode, which may hand the session to another client between
    transactions; an open transaction keeps its server connection. SQLite (the
    embedded default, one process) needs no lock.
    """
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        yield True
        return
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
            row = cursor.fetchone()
        yield bool(row and row[0])
    finally:
        if holder.connection is not None:  # None: it never connected
            holder.rollback()  # ends the transaction, and with it the lock
        holder.close()


def run_steps(tick: Tick) -> dict[str, dict[str, Any]]:
    """Each step's outcome (or its error: the following steps still run)."""
    outcomes: dict[str, dict[str, Any]] = {}
    for name, step in STEPS:
        try:
            outcomes[name] = asdict(step(tick))
        except Exception as exc:
            logger.exception("maintenance step %s failed", name)
            outcomes[name] = {"count": 0, "text": "failed", "error": f"{type(exc).__name__}: {exc}"}
    return outcomes


def run_tick(*, dry_run: bool = False, now: datetime | None = None) -> TickResult:
    """One maintenance tick; ``now`` is the clock the steps judge ages by (default:
    the present). Stores and returns the summary, unless another tick is running."""
    with tick_lock() as mine:
        if not mine:
            logger.info(ANOTHER_TICK)
            return TickResult(False, ANOTHER_TICK)
        started = timezone.now()
        clock = time.monotonic()
        steps = run_steps(Tick(dry_run=dry_run, now=now or started))
        seconds = round(time.monotonic() - clock, 3)
        # jsonb keeps no key order: the steps' order is a list of its own.
        summary = {"dry_run": dry_run, "seconds": seconds, "order": list(steps), "steps": steps}
        run = MaintenanceRun.objects.create(
            started=started, finished=timezone.now(), dry_run=dry_run, summary=summary
        )
    logger.info("%s", log_line(run))
    return TickResult(True, format_summary(run), run)


def log_line(run: MaintenanceRun) -> str:
    """The run in one log line: each step's count, failures named."""
    steps = run.summary["steps"]
    counts = " ".join(f"{name}={steps[name]['count']}" for name in run.summary["order"])
    failed = [name for name in run.summary["order"] if "error" in steps[name]]
    kind = "dry run" if run.dry_run else "tick"
    tail = f"; failed: {', '.join(failed)}" if failed else ""
    return f"maintenance {kind} in {run.summary['seconds']:.2f} s: {counts}{tail}"


def format_summary(run: MaintenanceRun) -> str:
    """The run's summary for a person: one line per step."""
    kind = "dry run (nothing changed)" if run.dry_run else "tick"
    lines = [f"maintenance {kind} at {run.started:%Y-%m-%d %H:%M:%S} UTC"]
    for name in run.summary["order"]:
        outcome = run.summary["steps"][name]
        text = outcome["text"]
        if "error" in outcome:
            text = f"FAILED: {outcome['error']}"
        lines.append(f"  {name.replace('_', ' '):<20} {text}")
    lines.append(f"  {'duration':<20} {run.summary['seconds']:.2f} s")
    return "\n".join(lines)
