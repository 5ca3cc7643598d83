"""Jobs, their segments and batches: the pipeline's whole state lives in these rows."""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.db.models import F, JSONField, Q, Value
from django.utils import timezone


class JobState(models.TextChoices):
    QUEUED = "queued"
    CONVERTING = "converting"
    EXTRACTING = "extracting"
    TRANSLATING = "translating"
    VERIFYING = "verifying"
    IN_REVIEW = "in_review"
    REASSEMBLING = "reassembling"
    COMPLETED = "completed"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    FAILED = "failed"
    #: the document itself was refused (damaged, hostile, unreadable): nothing to retry
    REJECTED = "rejected"


class Step(models.TextChoices):
    """The pipeline steps, named after their queues (the flow table: iris/jobs/flow.py)."""

    CONVERT = "docx_convert"
    EXTRACT = "docx_extract"
    CONTEXT = "retrieve_context"
    TRANSLATE = "translate_batch"
    VERIFY = "qa_verify"
    REVIEW = "review_io"
    REASSEMBLE = "docx_reassemble"


class Job(models.Model):
    """Translation of one source document into one target language."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    request_id = models.UUIDField(default=uuidlib.uuid4, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    #: the team that owns the job: its members see it (no team: admins only)
    team = models.ForeignKey(
        "governance.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    source_name = models.CharField(max_length=255)
    source_lang = models.CharField(max_length=35, help_text="BCP-47 tag")
    target_lang = models.CharField(max_length=35, help_text="BCP-47 tag")
    engine = models.CharField(max_length=64)
    engine_options = models.JSONField(default=dict, blank=True)
    #: the format the source arrived in (sniffed from its bytes); anything but docx is
    #: converted to a .docx working copy first
    source_format = models.CharField(max_length=8, default="docx")
    #: deliver in the source's format rather than .docx
    keep_format = models.BooleanField(default=False)
    #: stop in ``in_review`` after verification until the review gate is released
    review_required = models.BooleanField(default=False)
    #: the review gate (iris.review.policy.ReviewPolicy as JSON; empty: its defaults)
    review_policy = models.JSONField(default=dict, blank=True, db_default=Value({}, JSONField()))
    #: the document's title (its core properties, else the file name): engine context
    title = models.TextField(blank=True)
    #: the most the job may cost, in US dollars (None: no cap); checked before each batch
    budget = models.FloatField(null=True, blank=True)
    #: what the engine was expected to use, made at extraction (iris/jobs/estimate.py)
    estimate = models.JSONField(default=dict, blank=True)
    #: the QA checks the job runs and the severities it changes (iris/qa/checks/policy.py;
    #: empty: every check at its own severity)
    qa_policy = models.JSONField(default=dict, blank=True)
    #: days each artifact kind is kept, over IRIS_RETENTION_DAYS(_BY_KIND): {"delivery": 90}
    retention = models.JSONField(default=dict, blank=True)
    #: what the document's extraction takes: every switch of iris.docx.Policy as applied
    #: (iris/jobs/extraction_policy.py); empty on jobs made before it was recorded
    extraction = models.JSONField(default=dict, blank=True)
    #: why the job is paused when Iris paused it (a budget reached), else ""
    paused_reason = models.TextField(blank=True)

    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    step = models.CharField(max_length=32, choices=Step.choices, blank=True)
    paused_state = models.CharField(max_length=16, choices=JobState.choices, blank=True)
    error = models.TextField(blank=True)
    failed_step = models.CharField(max_length=32, choices=Step.choices, blank=True)

    segments_total = models.PositiveIntegerField(default=0)
    segments_done = models.PositiveIntegerField(default=0)
    words_total = models.PositiveIntegerField(default=0)
    words_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    step_seconds = models.JSONField(default=dict, blank=True)
    #: summary of the fidelity comparison of the delivery with the source
    fidelity = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["team", "-created"], name="job_team_created")]

    def __str__(self) -> str:
        return f"job {self.pk} {self.source_name} {self.source_lang}->{self.target_lang}"


def count_done(job_id: int, segments: int, words: int) -> None:
    """Add segments and words to the job's progress (an atomic increment, safe across
    workers)."""
    Job.objects.filter(pk=job_id).update(
        segments_done=F("segments_done") + segments, words_done=F("words_done") + words
    )


class Origin(models.TextChoices):
    PENDING = "pending"
    REUSED = "reused"
    ENGINE = "engine"
    HUMAN = "human"
    NOT_TRANSLATABLE = "not_translatable"


class QaStatus(models.TextChoices):
    PENDING = "pending"
    PASSED = "passed"
    WARNING = "warning"
    ERROR = "error"


class Segment(models.Model):
    # No index of its own: the (job, order) unique constraint leads with job.
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="segments", db_index=False)
    order = models.PositiveIntegerField()
    unit_id = models.CharField(max_length=255)
    part = models.CharField(max_length=255)
    location = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=32)
    source = models.TextField()
    source_hash = models.CharField(max_length=64)
    plain = models.TextField()
    target = models.TextField(blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.PENDING)
    #: order of the earlier segment with the same source: translated once, then copied
    duplicate_of_order = models.PositiveIntegerField(null=True, blank=True)
    batch = models.ForeignKey(
        "Batch", null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )
    words = models.PositiveIntegerField(default=0)
    heading_level = models.PositiveSmallIntegerField(null=True, blank=True)
    qa_status = models.CharField(max_length=10, choices=QaStatus.choices, default=QaStatus.PENDING)
    qa_issues = models.JSONField(default=list, blank=True)
    #: translation memory matches at or above IRIS_TM_THRESHOLD, best first
    #: (:meth:`iris.memory.store.Match.as_dict`): engine context and review data
    tm_matches = models.JSONField(default=list, db_default=Value([], JSONField()), blank=True)
    #: the best memory score found (50 and up; analysis bands), None for no match
    tm_score = models.PositiveSmallIntegerField(null=True, blank=True)
    #: glossary terms found in the source, as engines and QA take them
    #: ({"source", "target", "forbidden"}: iris.engines.base.Term)
    terms = models.JSONField(default=list, db_default=Value([], JSONField()), blank=True)
    #: human review (iris/review): "" until reviewed, then reviewed or final (or back to
    #: translated when a reviewer withdraws it); who, when and what they wrote
    review_state = models.CharField(max_length=10, blank=True, default="", db_default="")
    reviewed_by = models.CharField(max_length=150, blank=True, default="", db_default="")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, default="", db_default="")
    #: the target before its first human edit (the machine or memory output), and the
    #: edit distance (characters of plain text) from it to the target
    machine_target = models.TextField(blank=True, default="", db_default="")
    edit_distance = models.PositiveIntegerField(null=True, blank=True)
    #: why a QA error of this segment is accepted as it is ("" = not waived)
    qa_waiver = models.TextField(blank=True, default="", db_default="")

    class Meta:
        ordering = ["job_id", "order"]  # not "job": that would join jobs to sort
        constraints = [
            models.UniqueConstraint(fields=["job", "order"], name="segment_order_unique"),
            models.UniqueConstraint(fields=["job", "unit_id"], name="segment_unit_unique"),
        ]
        # Every index is paid for on each segment write (extraction inserts every row,
        # translation updates most), so there is none that no query uses: the source
        # hash, which extraction matches in Python to find a job's repeats, has none.
        indexes = [
            # A reviewed sentence's duplicates follow it (iris/review): only the rows
            # that are duplicates are indexed, so extraction pays for few entries.
            models.Index(
                fields=["job", "duplicate_of_order"],
                name="segment_duplicates",
                condition=Q(duplicate_of_order__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"segment {self.order} of job {self.job_id}"


class BatchState(models.TextChoices):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class Batch(models.Model):
    """A slice of a job's segments sent to the engine in one call."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    first_order = models.PositiveIntegerField()
    last_order = models.PositiveIntegerField()
    #: the headings above the batch's first segment, outermost first, as [level, text]
    #: pairs: with the segments in the batch's span, all of its segments' document
    #: context (iris/jobs/steps/translation.py), which no segment row repeats
    headings = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=BatchState.choices, default=BatchState.PENDING)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    #: (what its engine requests used is in its EngineCall rows, over all its attempts)
    #: while it runs, the cost its translation may still add (a budget check's estimate)
    reserved = models.FloatField(default=0.0)
    seconds = models.FloatField(default=0.0, help_text="time spent in the engine call")
    context_seconds = models.FloatField(default=0.0, help_text="time spent retrieving context")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="batch_number_unique"),
        ]

    def __str__(self) -> str:
        return f"batch {self.number} of job {self.job_id}"


class EngineCall(models.Model):
    """What one finished engine request used and cost, recorded as soon as it returned:
    a batch's usage is the sum of its calls, however often its task ran."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="engine_calls")
    batch = models.ForeignKey(Batch, null=True, on_delete=models.SET_NULL, related_name="calls")
    created = models.DateTimeField(auto_now_add=True)
    characters = models.PositiveBigIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    cost = models.FloatField(default=0.0, help_text="US dollars, from the price table")

    def __str__(self) -> str:
        return f"engine call {self.pk} of job {self.job_id}"


class CachedTranslation(models.Model):
    """An engine's answer for one segment, by the key the engine derives from all that
    shaped it (iris/engines/base.py, ``Engine.cache_key``): never paid for twice.

    Not translation memory: nothing here is reviewed or governed, and it is only used
    for the very same request to the very same engine configuration.
    """

    key = models.CharField(max_length=64, unique=True)
    engine = models.CharField(max_length=64)
    target = models.TextField()
    #: what the engine flagged about this answer ("" if nothing)
    flag = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"cached {self.engine} answer {self.key[:12]}"


class OutboxMessage(models.Model):
    """A task that a committed change of state needs: the transactional outbox and the
    lease of the delivery that runs it (iris/jobs/outbox.py).

    Written in the transaction that makes the task due, published once that commits,
    claimed by the delivery that runs it (a lease its worker renews while it works) and
    deleted when that delivery has finished. Whatever is left (a publish the broker
    refused, a message the broker lost, a worker that died) the sweeper sends again.
    """

    task = models.CharField(max_length=128)
    args = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    #: how many times it was published (or tried)
    attempts = models.PositiveIntegerField(default=0)
    #: when the sweeper sends it (again) if nobody has claimed it by then
    next_attempt = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    #: the Celery task id of the delivery running it, and when it last said so
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"outbox {self.pk} {self.task}{tuple(self.args)}"
