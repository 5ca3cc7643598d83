"""Actions on jobs: creating them and controlling them. Views, the API, the CLI and
tasks call these; none of them changes a job's state in any other way."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import discard_artifacts, store_artifact
from iris.docx import DocxError, Policy, open_package, policy_as_json
from iris.engines.registry import engine_class
from iris.formats import DESCRIPTION, ConverterUnavailableError, SourceFormat, sniff_format
from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.jobs import flow, runs
from iris.jobs.batches import IN_FLIGHT, requeue_batches
from iris.jobs.extraction_policy import requested_policy
from iris.jobs.languages import AUTO, normalize_language, same_language
from iris.jobs.models import BatchState, Job, JobState, Step
from iris.jobs.states import ACTIVE, TRANSITIONS, IllegalTransition, transition
from iris.jobs.steps.conversion import converter
from iris.qa.checks import QaPolicy, QaPolicyError
from iris.review.policy import ReviewPolicy, ReviewPolicyError

logger = logging.getLogger(__name__)


class JobRequestError(ValueError):
    """The translation request cannot be accepted (message says why)."""


class DocumentTooLargeError(DocxError):
    """The document is over the upload limit: a rejected document, like a damaged one."""


@dataclass(frozen=True)
class TranslationRequest:
    name: str
    data: bytes
    target_langs: Sequence[str]
    source_lang: str = AUTO
    #: "" for the configured default (IRIS_DEFAULT_ENGINE)
    engine: str = ""
    engine_options: Mapping[str, Any] | None = None
    #: deliver in the source's format (.doc, .rtf, .odt) rather than .docx
    keep_format: bool = False
    #: stop for human review before delivery
    review_required: bool = False
    #: the review gate (iris/review/policy.py): {"segments": 100, "words": 90,
    #: "auto_deliver": true}; None for its defaults
    review_policy: Mapping[str, Any] | None = None
    #: the most each job may cost in US dollars (None: IRIS_DEFAULT_BUDGET; 0: no cap)
    budget: float | None = None
    #: the QA checks to run and severities to change (iris/qa/checks/policy.py)
    qa_policy: Mapping[str, Any] | None = None
    #: days to keep each kind of artifact, over the settings: {"delivery": 90}
    retention: Mapping[str, int] | None = None
    #: the team that owns the jobs (None: no team, seen by admins only)
    team_id: int | None = None
    #: switches of the document's extraction policy (iris/jobs/extraction_policy.py):
    #: {"excluded_styles": ["Code"], "alt_text": false}; the others at their defaults
    extraction: Mapping[str, Any] | None = None


def _languages(request: TranslationRequest) -> tuple[str, list[str]]:
    source = AUTO if request.source_lang == AUTO else normalize_language(request.source_lang)
    targets = list(dict.fromkeys(normalize_language(t) for t in request.target_langs))
    if not targets:
        raise JobRequestError("at least one target language is required")
    for target in targets:
        if source != AUTO and same_language(source, target):
            raise JobRequestError(f"the target language {target} is the source language")
    return source, targets


def _document_format(data: bytes, policy: Policy) -> SourceFormat:
    """The document's real format (from its bytes, never its name), checked as far as
    is cheap: a .docx by the package layer, which rejects what is not a safe Word
    document (typed errors) at a fraction of the cost of the extraction; a legacy
    format only if a converter is installed to read it."""
    fmt = sniff_format(data)
    if fmt == SourceFormat.DOCX:
        open_package(data, allow_macros=policy.allow_macros)
    elif converter() is None:
        raise ConverterUnavailableError(
            f"the document is {DESCRIPTION[fmt]} and no converter is installed to read it "
            "(install LibreOffice, or enable Aspose with IRIS_ASPOSE_ENABLED)"
        )
    return fmt


@dataclass(frozen=True)
class Validated:
    source_lang: str
    targets: list[str]
    engine: str
    format: SourceFormat
    policy: Policy


def validate_request(request: TranslationRequest) -> Validated:
    """Check languages, engine (and that it translates each pair) and document before
    anything is stored."""
    limit = settings.IRIS_MAX_UPLOAD_MB * 2**20
    if len(request.data) > limit:
        raise DocumentTooLargeError(
            f"the document is larger than {settings.IRIS_MAX_UPLOAD_MB} MiB "
            "(IRIS_MAX_UPLOAD_MB); nothing was stored"
        )
    source, targets = _languages(request)
    if request.budget is not None and request.budget < 0:
        raise JobRequestError("a budget is an amount of US dollars, 0 or more")
    try:
        QaPolicy.from_spec(request.qa_policy)
    except QaPolicyError as exc:
        raise JobRequestError(str(exc)) from None
    _check_retention(request.retention or {})
    try:
        ReviewPolicy.from_json(request.review_policy)
    except ReviewPolicyError as exc:
        raise JobRequestError(str(exc)) from None
    try:
        policy = requested_policy(request.extraction)
    except ValueError as exc:
        raise JobRequestError(f"extraction policy: {exc}") from None
    engine = request.engine or settings.IRIS_DEFAULT_ENGINE
    engine_type = engine_class(engine)
    engine_type.check_options(request.engine_options or {})
    for target in targets:
        engine_type.check_pair(source, target)
    return Validated(source, targets, engine, _document_format(request.data, policy), policy)


def _check_retention(retention: Mapping[str, int]) -> None:
    for kind, days in retention.items():
        if kind not in ArtifactKind.values:
            raise JobRequestError(f"retention: {kind!r} is not an artifact kind")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise JobRequestError(f"retention: {kind} must be kept a whole number of days, 1 up")


def _budget(request: TranslationRequest) -> float | None:
    if request.budget is not None:
        return request.budget or None  # 0: no cap, whatever the default
    return settings.IRIS_DEFAULT_BUDGET or None


def create_jobs(
    request: TranslationRequest, actor: Actor = SYSTEM_ACTOR, *, start: bool = True
) -> list[Job]:
    """One job per target language, siblings under one request id.

    With ``start`` each job's extraction is enqueued when the transaction commits;
    otherwise the caller starts them with :func:`start_job` (the CLI does, to watch
    eager runs from another thread).
    """
    valid = validate_request(request)
    # Here, not in validate_request: an estimate needs no key, a job cannot run without.
    problem = engine_class(valid.engine).not_set_up()
    if problem is not None:
        raise JobRequestError(problem)
    request_id = uuid.uuid4()
    jobs = []
    with transaction.atomic():
        for target in valid.targets:
            job = Job.objects.create(
                creator=actor.user if actor.user is not None else None,
                source_name=request.name,
                source_lang=valid.source_lang,
                target_lang=target,
                engine=valid.engine,
                engine_options=dict(request.engine_options or {}),
                request_id=request_id,
                source_format=valid.format.value,
                keep_format=request.keep_format,
                review_required=request.review_required,
                review_policy=ReviewPolicy.from_json(request.review_policy).as_json(),
                budget=_budget(request),
                qa_policy=dict(request.qa_policy or {}),
                retention=dict(request.retention or {}),
                extraction=policy_as_json(valid.policy),
                team_id=request.team_id,
            )
            store_artifact(job, ArtifactKind.SOURCE, request.name, request.data)
            record_audit(
                actor,
                "job.created",
                job,
                after={"target_lang": target, "source_name": request.name, "engine": valid.engine},
            )
            if start:
                flow.start_job(job)
            jobs.append(job)
    return jobs


def start_job(job_id: int) -> None:
    """Enqueue the first step of a job created with ``start=False``."""
    flow.start_job(Job.objects.get(pk=job_id))


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


#: commands that carry on an interrupted in-process job (see `interrupted`)
CONTINUING = frozenset({Command.RESUME, Command.RETRY})


def interrupted(job_id: int, state: str) -> bool:
    """Whether job ``job_id``, in ``state``, is an in-process job whose process ended
    mid-work (killed, its terminal closed): its state says it is working, yet no process
    runs it (iris/jobs/runs.py). Workers' jobs are taken over through the outbox instead."""
    # Queued is not working yet (a job created to be started later), in review waits
    # for people: neither is left behind by a process.
    working = state in ACTIVE and state not in (JobState.QUEUED, JobState.IN_REVIEW)
    return working and not settings.IRIS_ASYNC and not runs.running_elsewhere(job_id)


def request_control(job: Job, command: Command, actor: Actor = SYSTEM_ACTOR) -> None:
    """Validate a control command now and run it as a ``job_control`` task, so that
    it is ordered with the job's work; raises :class:`IllegalTransition` at once."""
    job.refresh_from_db(fields=["state"])
    continuing = command in CONTINUING and interrupted(job.pk, job.state)
    if job.state not in ALLOWED[command] and not continuing:
        raise IllegalTransition(f"cannot {command} a job that is {job.state}")
    flow.send_control(job.pk, str(command), actor.to_message())


def apply_control(job_id: int, command: Command, actor: Actor = SYSTEM_ACTOR) -> Job | None:
    """Carry out a control command (the ``job_control`` task calls this)."""
    state = Job.objects.values_list("state", flat=True).get(pk=job_id)
    if command in CONTINUING and interrupted(job_id, state):
        return _continue_interrupted(job_id, actor)
    handler = {
        Command.PAUSE: _pause,
        Command.RESUME: _resume,
        Command.CANCEL: _cancel,
        Command.RETRY: _retry,
    }[command]
    return handler(job_id, actor)


def _continue_interrupted(job_id: int, actor: Actor) -> Job:
    """Carry on an interrupted in-process job from the step it was in: every step is
    idempotent, and the batches that were in flight are run again (the engine's
    answers that had come back are in its cache, so none is paid for twice)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state == JobState.TRANSLATING:
            requeue_batches(job_id, (BatchState.QUEUED, BatchState.RUNNING))
        record_audit(actor, "job.continued", job, before={"state": job.state})
    flow.continue_job(job)
    return job


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
            job_id,
            target,
            actor=actor,
            expect=ALLOWED[Command.RESUME],
            paused_state="",
            paused_reason="",
        )
        if resumed is not None and target == JobState.TRANSLATING:
            # Queued batches are sent again: a message lost between commit and send
            # (or discarded while paused) must not leave its batch stranded; a batch
            # whose first message does arrive is claimed once, the other is ignored.
            requeue_batches(job_id, (BatchState.QUEUED,))
    if resumed is not None:
        flow.continue_job(resumed)
    return resumed


def pause_for_budget(job_id: int, reason: str) -> Job | None:
    """Pause a translating job whose next batch would go over its budget (``reason``
    says by how much and how to go on); resuming carries on from that batch."""
    return transition(
        job_id,
        JobState.PAUSED,
        expect=frozenset({JobState.TRANSLATING}),
        reason=reason,
        paused_state=JobState.TRANSLATING,
        paused_reason=reason,
    )


def set_budget(job_id: int, budget: float | None, actor: Actor = SYSTEM_ACTOR) -> None:
    """Change a job's budget (US dollars; None: no cap), audited."""
    if budget is not None and budget < 0:
        raise JobRequestError("a budget is an amount of US dollars, 0 or more")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        before = job.budget
        job.budget = budget
        job.save(update_fields=["budget"])
        record_audit(actor, "job.budget", job, before={"budget": before}, after={"budget": budget})


def _cancel(job_id: int, actor: Actor) -> Job | None:
    with transaction.atomic():
        cancelled = transition(
            job_id, JobState.CANCELLED, actor=actor, expect=ALLOWED[Command.CANCEL]
        )
        if cancelled is not None:
            _stop_batches(job_id)
    return cancelled


def _stop_batches(job_id: int) -> None:
    """A job that stopped (failed, cancelled) has nothing in flight: its queued and
    running batches wait, pending and unclaimed, for a retry (a task still working on
    one can no longer save it; a paid engine's answers to it are in the engine cache,
    so a retry does not pay for them again). Left as they were, they stayed queued or
    running for good, counted as work in flight that no task would ever do."""
    requeue_batches(job_id, IN_FLIGHT)


def _retry(job_id: int, actor: Actor) -> Job | None:
    job = Job.objects.get(pk=job_id)
    failed = Step(job.failed_step) if job.failed_step else flow.first_step(job)
    target = flow.FLOW[failed].state
    with transaction.atomic():
        retried = transition(
            job_id, target, actor=actor, expect=ALLOWED[Command.RETRY], error="", failed_step=""
        )
        if retried is not None and target == JobState.TRANSLATING:
            # Batches the failure interrupted are run again; done ones are kept.
            requeue_batches(job_id, (BatchState.QUEUED, BatchState.RUNNING))
    if retried is not None:
        flow.continue_job(retried)
    return retried


def release_review(job_id: int, actor: Actor = SYSTEM_ACTOR) -> Job | None:
    """Let a job waiting in review go on to delivery (the review gate's exit: the
    review issue calls this when coverage is met, or for a manager's "deliver now")."""
    released = flow.finish_step(job_id, Step.REVIEW, actor)
    if released is None:
        raise IllegalTransition(f"job {job_id} is not waiting for review")
    return released


def reject_job(job_id: int, step: Step, message: str) -> Job | None:
    """The document was refused while ``step`` read it (damaged, hostile, unreadable).

    The job ends ``rejected``: a retry would read the same bytes and fail the same way.
    No copy of the refused input is kept (rejected input has no retention period):
    the source, working copy and anything extracted go with the rejection.
    """
    with transaction.atomic():
        rejected = transition(
            job_id,
            JobState.REJECTED,
            expect=frozenset({flow.FLOW[step].state}),
            error=message[:2000],
            failed_step=step,
            reason=message[:500],
        )
        if rejected is not None:
            rejected.segments.all().delete()
            rejected.batches.all().delete()
            discard_artifacts(rejected)
    if rejected is not None:  # after the commit; the error says why, never the content
        # INFO: the person who sent the document is told (the CLI's one line, the API's
        # problem); the log keeps the record without a second line on their screen.
        logger.info("job %s rejected in %s: %s", job_id, step, " ".join(message[:500].split()))
    return rejected


def fail_job(job_id: int, step: Step, message: str) -> Job | None:
    """Record that ``step`` failed; the job keeps what it had for a retry."""
    failable = frozenset(s for s in ACTIVE if JobState.FAILED in TRANSITIONS[s])
    with transaction.atomic():
        failed = transition(
            job_id,
            JobState.FAILED,
            expect=failable,
            error=message[:2000],
            failed_step=step,
            reason=message[:500],
        )
        if failed is not None:
            _stop_batches(job_id)
    return failed
