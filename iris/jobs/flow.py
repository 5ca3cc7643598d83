"""The flow table: every pipeline step, its queue and task, the job state it runs in and
the step that follows it. This module alone decides what runs next.

A step's task calls :func:`begin_step` (is it this step's turn?), does its work, and
calls :func:`finish_step`, which moves the job to the following step's state and
enqueues that step in one transaction (the message leaves after commit). Control
actions use :func:`continue_job` to enqueue whatever the job's state calls for. Tasks
are sent by name, so nothing imports the task module but Celery.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

from iris.celery import TASK_FOR_QUEUE, task_named
from iris.engines.registry import engine_class
from iris.governance.actions import SYSTEM_ACTOR, Actor
from iris.jobs import outbox, runs
from iris.jobs.batches import batch_counts, queue_batches
from iris.jobs.models import Job, JobState, Step
from iris.jobs.states import transition

S = JobState


@dataclass(frozen=True)
class StepSpec:
    step: Step
    queue: str
    #: the job's state while this step's work is due
    state: JobState
    #: the step that follows this one, for this job (``None``: the job is complete)
    following: Callable[[Job], Step | None]
    #: runs once per batch of segments (dispatched in a window), not once per job
    per_batch: bool = False
    #: the job waits in ``state`` for people (the review gate): the step's task only
    #: prepares the wait (review packages); an action moves the job on
    gate: bool = False
    #: reads the source document: a document error here rejects the document itself
    reads_source: bool = False

    @property
    def task(self) -> str:
        return TASK_FOR_QUEUE[self.queue]


def _after_verification(job: Job) -> Step:
    return Step.REVIEW if job.review_required else Step.REASSEMBLE


FLOW: dict[Step, StepSpec] = {
    spec.step: spec
    for spec in (
        StepSpec(
            Step.CONVERT,
            "docx_convert",
            S.CONVERTING,
            lambda job: Step.EXTRACT,
            reads_source=True,
        ),
        StepSpec(
            Step.EXTRACT,
            "docx_extract",
            S.EXTRACTING,
            lambda job: Step.CONTEXT,
            reads_source=True,
        ),
        StepSpec(
            Step.CONTEXT,
            "retrieve_context",
            S.TRANSLATING,
            lambda job: Step.TRANSLATE,
            per_batch=True,
        ),
        StepSpec(
            Step.TRANSLATE,
            "translate_batch",
            S.TRANSLATING,
            lambda job: Step.VERIFY,
            per_batch=True,
        ),
        StepSpec(Step.VERIFY, "qa_verify", S.VERIFYING, _after_verification),
        StepSpec(Step.REVIEW, "review_io", S.IN_REVIEW, lambda job: Step.REASSEMBLE, gate=True),
        StepSpec(Step.REASSEMBLE, "docx_reassemble", S.REASSEMBLING, lambda job: None),
    )
}
CONTROL_QUEUE = "job_control"
#: the per-batch step after which a batch is done
LAST_BATCH_STEP = Step.TRANSLATE


def first_step(job: Job) -> Step:
    """A .docx is extracted at once; any other format is converted first."""
    return Step.EXTRACT if job.source_format == "docx" else Step.CONVERT


def path(job: Job) -> list[Step]:
    """Every step this job goes through, in order."""
    steps: list[Step] = []
    step: Step | None = first_step(job)
    while step is not None:
        steps.append(step)
        step = FLOW[step].following(job)
    return steps


def step_for_state(job: Job, state: JobState | None = None) -> Step | None:
    """The step whose work a job in ``state`` (default: its own) is waiting for."""
    state = state or JobState(job.state)
    if state == S.QUEUED:
        return first_step(job)
    return next((spec.step for spec in FLOW.values() if spec.state == state), None)


def _send(queue: str, *args: Any) -> None:
    """Send the task of ``queue`` once the current transaction commits: through the
    outbox with workers (iris/jobs/outbox.py), at once in-process when eager."""
    name = TASK_FOR_QUEUE[queue]
    if settings.IRIS_ASYNC:
        outbox.post(name, args)
        return
    task = task_named(name)
    transaction.on_commit(lambda: _run_eagerly(task, args))


_eager = threading.local()
#: translate_batch tasks an in-process run keeps going at once, for an engine whose
#: requests wait on a service (``Engine.marks_exchange``): the next batch's requests
#: take the engine's slots as the last ones of the batch before it come back, instead
#: of the slots standing idle from a batch's last reply to the next one's first request
EAGER_BATCHES = 2


def _run_eagerly(task: Any, args: tuple[Any, ...]) -> None:
    """Run an eager task after the one in hand rather than inside it.

    Each task sends its successors from its commit hook; called from there, they would
    nest, each step deeper in the Python and C stack than the one before. Measured on
    CPython 3.11: with reassembly 50 frames deeper than extraction, the library ran up to
    three times slower (0.22 s -> 0.66 s for the fidelity comparison of a 100-page
    document), depending on where the depth fell (the interpreter allocates and frees
    its frame stack in chunks). The first call in a thread runs the queue to its end,
    so a caller still returns only when the whole job has run. Batches translated by an
    engine that waits on a service run in up to :data:`EAGER_BATCHES` threads of their
    own (:func:`_alongside`), their successors joining this queue.
    """
    queue: deque[tuple[Any, tuple[Any, ...]]] | None = getattr(_eager, "queue", None)
    if queue is not None:
        queue.append((task, args))
        return
    _eager.queue = queue = deque([(task, args)])
    held: list[int] = []
    running: set[Future[None]] = set()
    aside: deque[tuple[Any, tuple[Any, ...]]] = deque()  # for a thread, when one is free
    try:
        while queue or running or aside:
            if aside and len(running) < EAGER_BATCHES:
                running.add(_in_thread(queue, *aside.popleft()))
            elif not queue:  # what runs in threads adds to the queue before it ends
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
            else:
                queued, queued_args = queue.popleft()
                # Every task's first argument is its job: this process runs it now, as
                # a resume after the process died can tell (iris/jobs/runs.py). A
                # control command only changes the job's state, which the process
                # running it (another `iris` command, maybe) obeys between steps and
                # batches: waiting for that process's lock would hold `iris pause`
                # until the job had run to its end.
                if queued.name != TASK_FOR_QUEUE[CONTROL_QUEUE] and runs.hold(queued_args[0]):
                    held.append(queued_args[0])
                if _alongside(queued, queued_args):
                    aside.append((queued, queued_args))
                else:
                    queued.apply_async(queued_args)
    finally:
        wait(running)  # no thread may outlive the run it adds to
        _eager.queue = None
        runs.release(held)


def _alongside(task: Any, args: tuple[Any, ...]) -> bool:
    """Whether this eager task may run in a thread beside the others: a batch's
    translation by an engine that waits on a service, on a database whose other
    connections see what this one committed (not inside a transaction, not SQLite in
    memory, as tests have it)."""
    if task.name != FLOW[Step.TRANSLATE].task:
        return False
    in_memory = connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", bool)()
    if connection.in_atomic_block or in_memory:
        return False
    engine = Job.objects.filter(pk=args[0]).values_list("engine", flat=True).first()
    return engine is not None and engine_class(engine).marks_exchange


def _in_thread(
    queue: deque[tuple[Any, tuple[Any, ...]]], task: Any, args: tuple[Any, ...]
) -> Future[None]:
    """Run ``task`` in a thread of its own, its successors joining ``queue``. A daemon
    thread, like the command line's runner: Ctrl-C cancels the job and the command
    ends at once, never waiting for a batch's requests to come back."""
    done: Future[None] = Future()

    def run() -> None:
        _eager.queue = queue
        try:
            task.apply_async(args)
            done.set_result(None)
        except BaseException as exc:
            done.set_exception(exc)
        finally:
            _eager.queue = None
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name="eager-batch", daemon=True).start()
    return done


def send_control(job_id: int, command: str, actor: dict[str, Any]) -> None:
    """Run a control command as a task, ordered with the job's work; ``actor`` is
    :meth:`Actor.to_message`."""
    _send(CONTROL_QUEUE, job_id, command, actor)


def enqueue(job: Job, step: Step) -> None:
    """Enqueue ``step`` for ``job`` (after commit); batch steps dispatch batches."""
    spec = FLOW[step]
    if spec.per_batch:
        advance_batches(job.pk)
    else:
        _send(spec.queue, job.pk)


def send_review_import(job_id: int, import_id: int) -> None:
    """Enqueue the import of a reviewer's file (iris/review) on the review step's queue,
    ordered after commit like every step."""
    _send(FLOW[Step.REVIEW].queue, job_id, import_id)


def start_job(job: Job) -> None:
    """Enqueue the first step of a queued job."""
    enqueue(job, first_step(job))


def continue_job(job: Job) -> None:
    """Enqueue whatever the job's current state is waiting for (resume, retry)."""
    step = step_for_state(job)
    if step is not None:
        enqueue(job, step)


def begin_step(job_id: int, step: Step) -> Job | None:
    """The job, if ``step``'s work is due now; ``None`` if it is not its turn (a late
    or repeated message, a paused or cancelled job). A queued job enters its first step
    here, so that ``queued`` means "waiting for a worker"."""
    spec = FLOW[step]
    job = Job.objects.get(pk=job_id)
    if job.state == spec.state:
        return job
    if job.state == S.QUEUED and first_step(job) == step:
        return transition(job_id, spec.state, expect=frozenset({S.QUEUED}), step=step)
    return None


def finish_step(job_id: int, step: Step, actor: Actor = SYSTEM_ACTOR) -> Job | None:
    """Move the job on from the job-level ``step`` and enqueue what follows (after
    commit); returns the job when it moved. The move is conditional, so of several
    concurrent callers exactly one wins."""
    spec = FLOW[step]
    with transaction.atomic():
        job = Job.objects.get(pk=job_id)
        after = spec.following(job)
        target = FLOW[after].state if after is not None else S.COMPLETED
        expect = frozenset({spec.state})
        moved = transition(job_id, target, actor=actor, expect=expect, step=after or "")
        if moved is not None and after is not None:
            enqueue(moved, after)
    return moved


def finish_batch_step(job: Job, batch_id: int, step: Step) -> Job | None:
    """After a per-batch step: the batch goes on to the next per-batch step, or, when it
    is done, more batches are dispatched or the job moves on."""
    after = FLOW[step].following(job)
    if after is not None and FLOW[after].per_batch:
        _send(FLOW[after].queue, job.pk, batch_id)
        return None
    return advance_batches(job.pk)


def advance_batches(job_id: int) -> Job | None:
    """Dispatch more batches of a translating job, or finish translation when all are
    done; returns the job when it moved on."""
    counts = batch_counts(job_id)
    if counts is None:
        return None  # paused, cancelled, failed or already past translation
    if counts.pending:
        first = FLOW[Step.CONTEXT].queue
        for batch_id in queue_batches(job_id, counts):
            _send(first, job_id, batch_id)
        return None
    if counts.in_flight == 0:
        return finish_step(job_id, LAST_BATCH_STEP)
    return None
