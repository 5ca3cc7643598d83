"""Pipeline tasks: thin wrappers that take ids, run one step function, and ask the
flow (iris/jobs/flow.py) what to enqueue next.

Every task is routed by name to its own queue (iris/celery.py), acknowledged late
and idempotent. Failures: an engine's :class:`TransientError` is retried with
exponential backoff (honouring ``retry_after``); anything else fails the job at that
step with a clear message, keeping its work for a retry.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init, worker_process_init
from django.conf import settings

from iris.artifacts.outages import StorageUnavailableError
from iris.celery import app
from iris.docx import DocxError
from iris.engines.base import PermanentError, TransientError
from iris.engines.registry import UnknownEngineError, engine_class
from iris.formats import ConverterUnavailableError
from iris.governance.actions import Actor
from iris.jobs import flow
from iris.jobs.actions import Command, apply_control, fail_job, pause_for_budget, reject_job
from iris.jobs.batches import release_batch
from iris.jobs.models import Job, Step
from iris.jobs.outbox import delivered
from iris.jobs.steps import context, conversion, extraction, reassembly, translation, verification
from iris.jobs.timing import add_step_time
from iris.qa.checks.language import warm_language_model

logger = logging.getLogger(__name__)
MAX_TRANSIENT_RETRIES = 5
TASK_OPTIONS: dict[str, Any] = {"bind": True, "acks_late": True}
#: errors whose message is meant for the user as it is
EXPECTED = (DocxError, PermanentError, reassembly.FidelityError, StorageUnavailableError)


@worker_init.connect
@worker_process_init.connect
def _warm(**_kwargs: Any) -> None:
    """QA's language model and the default engine's client library are loaded as a
    worker starts, not in its first batch."""
    warm_language_model()
    with contextlib.suppress(UnknownEngineError):  # the engine check reports it
        engine_class(settings.IRIS_DEFAULT_ENGINE).warm_up()


def _message(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return "the step took longer than its time limit"
    if isinstance(exc, EXPECTED):
        return str(exc)
    return f"internal error ({type(exc).__name__}: {exc})"


def _backoff(exc: TransientError, attempt: int) -> float:
    """The service's ``Retry-After`` when it gave one (at most
    ``IRIS_ENGINE_MAX_RETRY_AFTER``); otherwise exponential, with jitter so that the
    batches a rate limit stopped together do not return together."""
    if exc.retry_after is not None:
        return _capped(exc.retry_after, exc)
    return min(60.0, 2.0**attempt) * random.uniform(0.5, 1.0)


def _capped(asked: float, exc: TransientError) -> float:
    """A service asking for an hour would hold the job that long before each retry."""
    cap = float(settings.IRIS_ENGINE_MAX_RETRY_AFTER)
    if asked <= cap:
        return asked
    logger.warning(
        "the engine asked to wait %g s before a retry (%s); Iris waits %g s "
        "(IRIS_ENGINE_MAX_RETRY_AFTER)",
        asked,
        exc,
        cap,
    )
    return cap


def run_step(task: Any, job_id: int, step: Step, work: Callable[[Job], object]) -> Job | None:
    """Run ``work`` if ``step`` is due for the job; the job when it ran to the end.

    Transient engine errors are retried with backoff: through the broker (the task
    is re-sent with a countdown) or, when running eagerly, in place. Every other
    error is recorded on the job and the task ends normally, so that an eager run of
    sibling jobs carries on and no exception climbs into the step that enqueued it.
    """
    job = flow.begin_step(job_id, step)
    if job is None:
        return None
    attempt = task.request.retries or 0
    while True:
        try:
            work(job)
            return job
        except translation.BudgetReached as exc:
            logger.info("job %s paused: %s", job_id, exc)
            pause_for_budget(job_id, str(exc))
            return None
        except TransientError as exc:
            if attempt >= MAX_TRANSIENT_RETRIES:
                fail_job(job_id, step, f"the engine kept failing: {exc}")
                return None
            if not task.request.is_eager:
                raise task.retry(exc=exc, countdown=_backoff(exc, attempt)) from exc
            time.sleep(_backoff(exc, attempt))
            attempt += 1
        except Exception as exc:
            if _rejects_document(step, exc):
                reject_job(job_id, step, str(exc))
                return None
            if isinstance(exc, EXPECTED):
                logger.warning("step %s of job %s failed: %s", step, job_id, exc)
            else:
                logger.exception("step %s of job %s failed", step, job_id)
            fail_job(job_id, step, _message(exc))
            return None


def _rejects_document(step: Step, exc: Exception) -> bool:
    """A document error in a step that reads the source is a rejection of the document;
    a converter that is missing is the installation's fault (the job fails, retryable)."""
    return (
        flow.FLOW[step].reads_source
        and isinstance(exc, DocxError)
        and not isinstance(exc, ConverterUnavailableError)
    )


def run_job_step(
    task: Any,
    job_id: int,
    step: Step,
    work: Callable[[Job], object],
    *,
    undo: Callable[[int], None] | None = None,
) -> None:
    """A job-level step: run it, timed, then let the flow move the job on. ``undo``
    takes back what the step wrote when the job was stopped (cancelled) meanwhile."""
    started = time.monotonic()
    if run_step(task, job_id, step, work) is None:
        return
    add_step_time(job_id, step, time.monotonic() - started)
    if flow.finish_step(job_id, step) is None and undo is not None:
        undo(job_id)


@app.task(name="iris.jobs.tasks.docx_convert", **TASK_OPTIONS)
def docx_convert(self: Any, job_id: int, message: int | None = None) -> None:
    delivered(
        self, message, lambda: run_job_step(self, job_id, Step.CONVERT, conversion.convert_source)
    )


@app.task(name="iris.jobs.tasks.docx_extract", **TASK_OPTIONS)
def docx_extract(self: Any, job_id: int, message: int | None = None) -> None:
    delivered(
        self, message, lambda: run_job_step(self, job_id, Step.EXTRACT, extraction.extract_segments)
    )


def _batch_step(
    task: Any, job_id: int, batch_id: int, step: Step, work: Callable[[Job], object]
) -> None:
    job = run_step(task, job_id, step, work)
    if job is None:
        release_batch(batch_id)  # a paused or stopped job's batch waits, pending
    else:
        flow.finish_batch_step(job, batch_id, step)


@app.task(name="iris.jobs.tasks.retrieve_context", **TASK_OPTIONS)
def retrieve_context(self: Any, job_id: int, batch_id: int, message: int | None = None) -> None:
    def work(job: Job) -> None:
        context.retrieve_context(job, batch_id)

    delivered(self, message, lambda: _batch_step(self, job_id, batch_id, Step.CONTEXT, work))


@app.task(name="iris.jobs.tasks.translate_batch", **TASK_OPTIONS)
def translate_batch(self: Any, job_id: int, batch_id: int, message: int | None = None) -> None:
    task_id = self.request.id

    def work(job: Job) -> bool:
        # Holding the outbox message's lease, this delivery may take over the batch
        # from one that died holding it.
        return translation.translate_batch(job, batch_id, task_id, take_over=message is not None)

    delivered(self, message, lambda: _batch_step(self, job_id, batch_id, Step.TRANSLATE, work))


@app.task(name="iris.jobs.tasks.qa_verify", **TASK_OPTIONS)
def qa_verify(self: Any, job_id: int, message: int | None = None) -> None:
    delivered(
        self, message, lambda: run_job_step(self, job_id, Step.VERIFY, verification.verify_job)
    )


@app.task(name="iris.jobs.tasks.docx_reassemble", **TASK_OPTIONS)
def docx_reassemble(self: Any, job_id: int, message: int | None = None) -> None:
    # Cancelled while writing: nothing may be delivered.
    def body() -> None:
        run_job_step(
            self,
            job_id,
            Step.REASSEMBLE,
            reassembly.reassemble_job,
            undo=reassembly.discard_delivery,
        )

    delivered(self, message, body)


@app.task(name="iris.jobs.tasks.job_control", **TASK_OPTIONS)
def job_control(
    self: Any,
    job_id: int,
    command: str,
    actor: dict[str, Any],
    message: int | None = None,
) -> None:
    def body() -> None:
        apply_control(job_id, Command(command), Actor.from_message(actor))

    delivered(self, message, body)
