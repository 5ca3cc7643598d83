"""Pipeline tasks: thin wrappers that take ids, guard the step and call an action.

Every task is routed by name to its own queue (iris/celery.py), acknowledged late
and idempotent. Failures: an engine's :class:`TransientError` is retried with
exponential backoff (honouring ``retry_after``); anything else fails the job at that
step with a clear message, keeping its work for a retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model

from iris.celery import app
from iris.docx.errors import DocxError
from iris.engines.base import PermanentError, TransientError
from iris.governance.actions import Actor
from iris.jobs import context, extract, reassemble, translate, verify
from iris.jobs.actions import Command, apply_control, fail_job
from iris.jobs.flow import advance_translation, enqueue_step
from iris.jobs.models import Step
from iris.jobs.timing import add_step_time

logger = logging.getLogger(__name__)
MAX_TRANSIENT_RETRIES = 5
T = TypeVar("T")
TASK_OPTIONS: dict[str, Any] = {"bind": True, "acks_late": True}


def _message(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return "the step took longer than its time limit"
    if isinstance(exc, DocxError | PermanentError | reassemble.FidelityError):
        return str(exc)
    return f"internal error ({type(exc).__name__}: {exc})"


def _backoff(exc: TransientError, attempt: int) -> float:
    return exc.retry_after or min(60.0, 2.0**attempt)


def run_step(task: Any, job_id: int, step: Step, work: Callable[[], T]) -> T | None:
    """Run ``work`` for ``step``; a failure fails the job (which keeps its work).

    Transient engine errors are retried with backoff: through the broker (the task
    is re-sent with a countdown) or, when running eagerly, in place. Every other
    error is recorded on the job and the task ends normally, so that an eager run of
    sibling jobs carries on and no exception climbs into the step that enqueued it.
    """
    attempt = task.request.retries or 0
    while True:
        try:
            return work()
        except TransientError as exc:
            if attempt >= MAX_TRANSIENT_RETRIES:
                fail_job(job_id, step, f"the engine kept failing: {exc}")
                return None
            if not task.request.is_eager:
                raise task.retry(exc=exc, countdown=_backoff(exc, attempt)) from exc
            time.sleep(_backoff(exc, attempt))
            attempt += 1
        except Exception as exc:
            if isinstance(exc, DocxError | PermanentError | reassemble.FidelityError):
                logger.warning("step %s of job %s failed: %s", step, job_id, exc)
            else:
                logger.exception("step %s of job %s failed", step, job_id)
            fail_job(job_id, step, _message(exc))
            return None


@contextmanager
def timed(job_id: int, step: Step) -> Iterator[None]:
    """Add the block's wall time to the job's time in ``step``."""
    started = time.monotonic()
    yield
    add_step_time(job_id, step, time.monotonic() - started)


@app.task(name="iris.jobs.tasks.docx_extract", **TASK_OPTIONS)
def docx_extract(self: Any, job_id: int) -> None:
    with timed(job_id, Step.EXTRACT):
        moved = run_step(self, job_id, Step.EXTRACT, lambda: extract.extract_job(job_id))
    if moved:
        advance_translation(job_id)


@app.task(name="iris.jobs.tasks.retrieve_context", **TASK_OPTIONS)
def retrieve_context(self: Any, job_id: int, batch_id: int) -> None:
    run_step(self, job_id, Step.CONTEXT, lambda: context.retrieve_context(batch_id))


@app.task(name="iris.jobs.tasks.translate_batch", **TASK_OPTIONS)
def translate_batch(self: Any, job_id: int, batch_id: int) -> None:
    task_id = self.request.id

    def work() -> bool:
        batch = translate.claim_batch(batch_id, task_id)
        if batch is None:
            translate.release_batch(batch_id)
            return True
        return translate.translate_claimed(batch, task_id)

    if run_step(self, job_id, Step.TRANSLATE, work) is not None:
        advance_translation(job_id)


@app.task(name="iris.jobs.tasks.qa_verify", **TASK_OPTIONS)
def qa_verify(self: Any, job_id: int) -> None:
    with timed(job_id, Step.VERIFY):
        moved = run_step(self, job_id, Step.VERIFY, lambda: verify.verify_job(job_id))
    if moved:
        enqueue_step(job_id, Step.REASSEMBLE)


@app.task(name="iris.jobs.tasks.docx_reassemble", **TASK_OPTIONS)
def docx_reassemble(self: Any, job_id: int) -> None:
    with timed(job_id, Step.REASSEMBLE):
        run_step(self, job_id, Step.REASSEMBLE, lambda: reassemble.reassemble_job(job_id))


@app.task(name="iris.jobs.tasks.job_control", **TASK_OPTIONS)
def job_control(
    self: Any, job_id: int, command: str, user_id: int | None, source_ip: str | None
) -> None:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    apply_control(job_id, Command(command), Actor(user, source_ip))
