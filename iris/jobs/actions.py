"""Actions on jobs: creating them and controlling them. Views, the API, the CLI and
tasks call these; none of them changes a job's state in any other way."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_artifact
from iris.docx.package import open_package
from iris.engines.registry import engine_class
from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.jobs.flow import advance_translation, enqueue_step
from iris.jobs.languages import AUTO, normalize_language, same_language
from iris.jobs.models import Batch, BatchState, Job, JobState, Step
from iris.jobs.states import ACTIVE, TRANSITIONS, IllegalTransition, transition


class JobRequestError(ValueError):
    """The translation request cannot be accepted (message says why)."""


@dataclass(frozen=True)
class TranslationRequest:
    name: str
    data: bytes
    target_langs: Sequence[str]
    source_lang: str = AUTO
    engine: str = "pseudo"
    engine_options: Mapping[str, Any] | None = None


def _languages(request: TranslationRequest) -> tuple[str, list[str]]:
    source = AUTO if request.source_lang == AUTO else normalize_language(request.source_lang)
    targets = list(dict.fromkeys(normalize_language(t) for t in request.target_langs))
    if not targets:
        raise JobRequestError("at least one target language is required")
    for target in targets:
        if source != AUTO and same_language(source, target):
            raise JobRequestError(f"the target language {target} is the source language")
    return source, targets


def validate_request(request: TranslationRequest) -> tuple[str, list[str]]:
    """Check languages, engine and document before anything is stored."""
    limit = settings.IRIS_MAX_UPLOAD_MB * 2**20
    if len(request.data) > limit:
        raise JobRequestError(
            f"the document is larger than {settings.IRIS_MAX_UPLOAD_MB} MiB "
            "(IRIS_MAX_UPLOAD_MB); nothing was stored"
        )
    languages = _languages(request)
    engine_class(request.engine)
    # The package layer rejects what is not a safe Word document (typed errors) at a
    # fraction of the cost of a full extraction, which happens in docx_extract.
    open_package(request.data)
    return languages


def create_jobs(
    request: TranslationRequest, actor: Actor = SYSTEM_ACTOR, *, start: bool = True
) -> list[Job]:
    """One job per target language, siblings under one request id.

    With ``start`` each job's extraction is enqueued when the transaction commits;
    otherwise the caller starts them with :func:`start_job` (the CLI does, to watch
    eager runs from another thread).
    """
    source_lang, targets = validate_request(request)
    request_id = uuid.uuid4()
    jobs = []
    with transaction.atomic():
        for target in targets:
            job = Job.objects.create(
                creator=actor.user if actor.user is not None else None,
                source_name=request.name,
                source_lang=source_lang,
                target_lang=target,
                engine=request.engine,
                engine_options=dict(request.engine_options or {}),
                request_id=request_id,
            )
            store_artifact(job, ArtifactKind.SOURCE, request.name, request.data)
            record_audit(actor, "job.created", job, after={"target_lang": target})
            if start:
                enqueue_step(job.pk, Step.EXTRACT)
            jobs.append(job)
    return jobs


def start_job(job_id: int) -> None:
    """Enqueue the first step of a job created with ``start=False``."""
    enqueue_step(job_id, Step.EXTRACT)


class Command(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    RETRY = "retry"


#: states a job must be in for each command to make sense
ALLOWED: dict[Command, frozenset[JobState]] = {
    Command.PAUSE: frozenset({JobState.QUEUED, JobState.TRANSLATING}),
    Command.RESUME: frozenset({JobState.PAUSED}),
    Command.CANCEL: frozenset(ACTIVE | {JobState.PAUSED, JobState.FAILED}),
    Command.RETRY: frozenset({JobState.FAILED}),
}


def request_control(job: Job, command: Command, actor: Actor = SYSTEM_ACTOR) -> None:
    """Validate a control command now and run it as a ``job_control`` task, so that
    it is ordered with the job's work; raises :class:`IllegalTransition` at once."""
    job.refresh_from_db(fields=["state"])
    if job.state not in ALLOWED[command]:
        raise IllegalTransition(f"cannot {command} a job that is {job.state}")
    from iris.jobs import tasks

    user_id = actor.user.pk if actor.user is not None else None
    transaction.on_commit(
        lambda: tasks.job_control.delay(job.pk, str(command), user_id, actor.source_ip)
    )


def apply_control(job_id: int, command: Command, actor: Actor = SYSTEM_ACTOR) -> Job | None:
    """Carry out a control command (the ``job_control`` task calls this)."""
    handler = {
        Command.PAUSE: _pause,
        Command.RESUME: _resume,
        Command.CANCEL: _cancel,
        Command.RETRY: _retry,
    }[command]
    return handler(job_id, actor)


def _pause(job_id: int, actor: Actor) -> Job | None:
    job = Job.objects.get(pk=job_id)
    return transition(
        job_id,
        JobState.PAUSED,
        actor=actor,
        expect=ALLOWED[Command.PAUSE],
        paused_state=job.state,
    )


def _resume(job_id: int, actor: Actor) -> Job | None:
    job = Job.objects.get(pk=job_id)
    target = JobState(job.paused_state or JobState.TRANSLATING)
    with transaction.atomic():
        resumed = transition(
            job_id, target, actor=actor, expect=ALLOWED[Command.RESUME], paused_state=""
        )
        if resumed is not None and target == JobState.TRANSLATING:
            # Queued batches are sent again: a message lost between commit and send
            # (or discarded while paused) must not leave its batch stranded; a batch
            # whose first message does arrive is claimed once, the other is ignored.
            Batch.objects.filter(job_id=job_id, state=BatchState.QUEUED).update(
                state=BatchState.PENDING
            )
    if resumed is not None:
        _continue(resumed)
    return resumed


def _cancel(job_id: int, actor: Actor) -> Job | None:
    return transition(job_id, JobState.CANCELLED, actor=actor, expect=ALLOWED[Command.CANCEL])


#: the state a retry returns to, per failed step
RETRY_STATE: dict[str, JobState] = {
    Step.EXTRACT: JobState.QUEUED,
    Step.CONTEXT: JobState.TRANSLATING,
    Step.TRANSLATE: JobState.TRANSLATING,
    Step.VERIFY: JobState.VERIFYING,
    Step.REASSEMBLE: JobState.REASSEMBLING,
}


def _retry(job_id: int, actor: Actor) -> Job | None:
    job = Job.objects.get(pk=job_id)
    target = RETRY_STATE.get(job.failed_step, JobState.QUEUED)
    with transaction.atomic():
        retried = transition(
            job_id, target, actor=actor, expect=ALLOWED[Command.RETRY], error="", failed_step=""
        )
        if retried is not None and target == JobState.TRANSLATING:
            # Batches the failure interrupted are run again; done ones are kept.
            Batch.objects.filter(job_id=job_id).exclude(state=BatchState.DONE).update(
                state=BatchState.PENDING, claimed_by=""
            )
    if retried is not None:
        _continue(retried)
    return retried


def _continue(job: Job) -> None:
    """Enqueue whatever the job needs next in its current state."""
    if job.state == JobState.QUEUED:
        enqueue_step(job.pk, Step.EXTRACT)
    elif job.state == JobState.TRANSLATING:
        advance_translation(job.pk)
    elif job.state == JobState.VERIFYING:
        enqueue_step(job.pk, Step.VERIFY)
    elif job.state == JobState.REASSEMBLING:
        enqueue_step(job.pk, Step.REASSEMBLE)


def fail_job(job_id: int, step: Step, message: str) -> Job | None:
    """Record that ``step`` failed; the job keeps what it had for a retry."""
    failable = frozenset(s for s in ACTIVE if JobState.FAILED in TRANSITIONS[s])
    return transition(
        job_id,
        JobState.FAILED,
        expect=failable,
        error=message[:2000],
        failed_step=step,
        reason=message[:500],
    )
