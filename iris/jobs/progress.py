"""Where is this job: the one read-model the CLI, the API and the console all use.

:func:`job_status` is cheap (one query for any number of jobs) for polling;
:func:`job_report` adds what a finished job is judged by (usage, QA, fidelity,
delivery) in a fixed number of queries. Nothing here changes state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Case, JSONField, Q, QuerySet, Sum, When
from django.utils import timezone

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.jobs.flow import FLOW, LAST_BATCH_STEP, path, step_for_state
from iris.jobs.models import Batch, Job, JobState, Origin, QaStatus, Step
from iris.jobs.states import TERMINAL
from iris.jobs.steps.context import analysis_of
from iris.jobs.steps.verification import compliance_of
from iris.jobs.usage import job_usage

FINISHED = TERMINAL | {JobState.FAILED}


class StepStatus(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class StepProgress:
    """One step of the job's path, as far as the job has gone."""

    step: Step
    status: StepStatus
    #: work units done and total: segments for translation, 1 for whole-job steps
    done: int
    total: int
    seconds: float


@dataclass(frozen=True)
class JobStatus:
    id: int
    uuid: str
    source_name: str
    source_lang: str
    target_lang: str
    engine: str
    state: JobState
    step: str
    error: str
    failed_step: str
    segments_done: int
    segments_total: int
    words_done: int
    words_total: int
    created: datetime
    started_at: datetime | None
    finished_at: datetime | None
    steps: tuple[StepProgress, ...]
    #: the queue whose task the job waits for ("" when none: finished, paused, a gate)
    queue: str = ""
    #: why Iris paused the job itself (its budget), "" otherwise
    paused_reason: str = ""
    #: the job's budget in US dollars (None: no cap)
    budget: float | None = None
    #: who created the job ("" for the command line) and the team that owns it
    creator: str = ""
    team: str = ""

    @property
    def finished(self) -> bool:
        """Completed, cancelled, rejected or failed: nothing more happens without an
        action."""
        return self.state in FINISHED

    @property
    def waits_for_people(self) -> bool:
        """In review: nothing more happens until a reviewer or a manager acts."""
        return self.state == JobState.IN_REVIEW

    @property
    def fraction(self) -> float:
        """Share of the words translated, 0..1 (segments when there are no words)."""
        if self.words_total:
            return min(1.0, self.words_done / self.words_total)
        return min(1.0, self.segments_done / self.segments_total) if self.segments_total else 0.0

    @property
    def eta(self) -> timedelta | None:
        """Time left in translation, from the throughput measured since the job started."""
        if self.started_at is None or self.state != JobState.TRANSLATING:
            return None
        fraction = self.fraction
        if not 0 < fraction < 1:
            return None
        return (timezone.now() - self.started_at) * ((1 - fraction) / fraction)


@dataclass(frozen=True)
class DeliveryInfo:
    name: str
    size: int
    sha256: str
    content_type: str


@dataclass(frozen=True)
class JobReport:
    status: JobStatus
    #: billed characters, tokens and cost of every engine request the job made, and
    #: the time spent in the engine and retrieving context
    usage: dict[str, float] = field(default_factory=dict)
    #: segments per QA status
    qa: dict[str, int] = field(default_factory=dict)
    #: flagged segments per QA check id (a segment counts once per check)
    qa_checks: dict[str, int] = field(default_factory=dict)
    #: segments per origin (engine, reused, human, not_translatable)
    origins: dict[str, int] = field(default_factory=dict)
    fidelity: dict[str, object] = field(default_factory=dict)
    delivery: DeliveryInfo | None = None
    #: words and segments by translation memory band (iris/memory/analysis.py)
    analysis: dict[str, Any] = field(default_factory=dict)
    #: glossary terms found, violations QA found, compliance in %
    terms: dict[str, Any] = field(default_factory=dict)
    #: every switch of the extraction policy the job applied (empty: made before they
    #: were recorded)
    extraction: dict[str, Any] = field(default_factory=dict)

    @property
    def qa_flagged(self) -> int:
        return self.qa.get(QaStatus.WARNING, 0) + self.qa.get(QaStatus.ERROR, 0)


def _shown(step: Step) -> Step:
    """Batch steps are shown as one: translation."""
    return LAST_BATCH_STEP if FLOW[step].per_batch else step


def _shown_name(stored: str) -> str:
    """A step name stored on the job (``step``, ``failed_step``) as shown: the flow
    records ``retrieve_context`` as the step of the whole translating phase, and a
    failure in either batch step, so both read ``translate_batch``, like ``steps``."""
    return _shown(Step(stored)).value if stored else ""


def _path(job: Job) -> list[Step]:
    """The steps this job goes through, as shown."""
    return list(dict.fromkeys(_shown(step) for step in path(job)))


def _step_progress(job: Job, step: Step, reached: bool, current: bool) -> StepProgress:
    seconds = float(job.step_seconds.get(step, 0.0))
    if step == Step.TRANSLATE:
        done, total = job.segments_done, job.segments_total
    else:
        done, total = int(reached and not current), 1
    if current and job.state in (JobState.FAILED, JobState.REJECTED):
        status = StepStatus.FAILED
    elif current and job.state != JobState.COMPLETED:
        status = StepStatus.RUNNING
    else:
        status = StepStatus.DONE if reached else StepStatus.WAITING
    if status == StepStatus.DONE:
        done = total
    return StepProgress(step, status, done, total, seconds)


def _current_step(job: Job) -> Step | None:
    if job.state in (JobState.FAILED, JobState.REJECTED) and job.failed_step:
        return _shown(Step(job.failed_step))
    state = JobState(job.paused_state) if job.state == JobState.PAUSED else JobState(job.state)
    step = None if state == JobState.QUEUED else step_for_state(job, state)
    return None if step is None else _shown(step)


def _steps(job: Job) -> tuple[StepProgress, ...]:
    path = _path(job)
    current = _current_step(job)
    if job.state == JobState.COMPLETED:
        position = len(path)
    elif current in path:
        position = path.index(current)
    else:
        position = -1 if job.state != JobState.CANCELLED else len(path)
    return tuple(
        _step_progress(job, step, index <= position, index == position)
        for index, step in enumerate(path)
    )


def status_of(job: Job) -> JobStatus:
    """The status of a loaded job (with ``creator`` and ``team`` selected)."""
    return JobStatus(
        id=job.pk,
        uuid=str(job.uuid),
        source_name=job.source_name,
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        engine=job.engine,
        state=JobState(job.state),
        step=_shown_name(job.step),
        error=job.error,
        failed_step=_shown_name(job.failed_step),
        segments_done=job.segments_done,
        segments_total=job.segments_total,
        words_done=job.words_done,
        words_total=job.words_total,
        created=job.created,
        started_at=job.started_at,
        finished_at=job.finished_at,
        steps=_steps(job),
        queue=_queue(job),
        paused_reason=job.paused_reason,
        budget=job.budget,
        creator=job.creator.get_username() if job.creator is not None else "",
        team=job.team.name if job.team is not None else "",
    )


def _queue(job: Job) -> str:
    step = step_for_state(job) if job.state not in TERMINAL else None
    if step is None or FLOW[step].gate:
        return ""
    return FLOW[Step.CONTEXT].queue if FLOW[step].per_batch else FLOW[step].queue


#: what :func:`status_of` never reads (large JSON documents, the creator's account):
#: statuses of many jobs load faster without them
_NOT_IN_STATUS = (
    "engine_options",
    "estimate",
    "qa_policy",
    "extraction",
    "fidelity",
    "retention",
    "creator__password",
    "creator__email",
    "creator__first_name",
    "creator__last_name",
)


def for_status(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """``jobs`` loading only what :func:`status_of` reads (their owners included)."""
    return jobs.select_related("creator", "team").defer(*_NOT_IN_STATUS)


def _with_owners() -> QuerySet[Job]:
    return Job.objects.select_related("creator", "team")


def job_status(job_ids: Sequence[int]) -> list[JobStatus]:
    """The jobs' states and progress, in the order of ``job_ids`` (one query)."""
    jobs = {job.pk: job for job in for_status(Job.objects.filter(pk__in=job_ids))}
    return [status_of(jobs[job_id]) for job_id in job_ids if job_id in jobs]


def _usage(job: Job) -> dict[str, float]:
    """Billed usage of every request the job made (a batch that ran twice paid its
    finished requests once: iris/jobs/usage.py), and time summed over its batches."""
    usage: dict[str, float] = {k: float(v) for k, v in job_usage(job.pk).as_dict().items()}
    times = Batch.objects.filter(job=job).aggregate(
        engine_seconds=Sum("seconds"), context_seconds=Sum("context_seconds")
    )
    return usage | {key: float(value or 0.0) for key, value in times.items()}


@dataclass(frozen=True)
class _SegmentSummary:
    qa: dict[str, int]
    qa_checks: dict[str, int]
    origins: dict[str, int]
    analysis: dict[str, Any]
    terms: dict[str, Any]


def _segment_summary(job: Job) -> _SegmentSummary:
    """Every figure the report takes from the job's segments, from one query: segments
    per QA status and per origin, flagged segments per check id, the CAT analysis of
    the translatable segments and glossary compliance. Issues and terms are read only
    where there are some (a passed segment has no issues, most have no terms)."""
    qa: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    checks: Counter[str] = Counter()
    analysed: list[tuple[int | None, int, int | None]] = []
    with_terms: list[tuple[list[dict[str, Any]], list[dict[str, Any]] | None]] = []
    rows = job.segments.order_by().values_list(
        "qa_status",
        "origin",
        "tm_score",
        "words",
        "duplicate_of_order",
        Case(When(~Q(qa_status=QaStatus.PASSED), then="qa_issues"), output_field=JSONField()),
        Case(When(~Q(terms=[]), then="terms"), output_field=JSONField()),
    )
    for qa_status, origin, score, words, repeats, issues, terms in rows:
        qa[qa_status] += 1
        origins[origin] += 1
        if origin != Origin.NOT_TRANSLATABLE:
            analysed.append((score, words, repeats))
        if issues:
            checks.update({issue.get("check", "") for issue in issues})
        if terms:
            with_terms.append((terms, issues))
    return _SegmentSummary(
        dict(qa), dict(checks), dict(origins), analysis_of(analysed), compliance_of(with_terms)
    )


def job_report(job_id: int) -> JobReport:
    """Everything about one job: status, usage, QA and origins, fidelity, delivery."""
    return report_of(_with_owners().get(pk=job_id))


def report_of(job: Job) -> JobReport:
    """:func:`job_report` of a loaded job (with ``creator`` and ``team`` selected): the
    API has it already, from the query that checked the caller may see it."""
    delivery = Artifact.objects.filter(job=job, kind=ArtifactKind.DELIVERY).first()
    segments = _segment_summary(job)
    return JobReport(
        status=status_of(job),
        usage=_usage(job),
        qa=segments.qa,
        qa_checks=segments.qa_checks,
        origins=segments.origins,
        fidelity=dict(job.fidelity),
        extraction=dict(job.extraction),
        analysis=segments.analysis,
        terms=segments.terms,
        delivery=None
        if delivery is None or job.state != JobState.COMPLETED
        else DeliveryInfo(delivery.name, delivery.size, delivery.sha256, delivery.content_type),
    )


def delivery_bytes(job_id: int) -> bytes | None:
    """The delivered document of a completed job (checksum verified), else None."""
    delivery = Artifact.objects.filter(
        job_id=job_id, job__state=JobState.COMPLETED, kind=ArtifactKind.DELIVERY
    ).first()
    return None if delivery is None else read_artifact(delivery)
