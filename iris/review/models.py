"""What review leaves behind: the packages exported, the files imported with their
reports, and coverage snapshots over time. A segment's own review state lives on the
segment (iris/jobs/models.py)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ReviewFormat(models.TextChoices):
    XLIFF = "xliff", "XLIFF 2.1"
    DOCX = "docx", "bilingual DOCX"


class ReviewExport(models.Model):
    """A review package as exported: the file a reviewer was given."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="review_exports")
    package = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    format = models.CharField(max_length=8, choices=ReviewFormat.choices)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    artifact = models.ForeignKey(
        "artifacts.Artifact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    units = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["job_id", "-created", "-id"]

    def __str__(self) -> str:
        return f"review export {self.package} ({self.format}) of job {self.job_id}"


class ImportStatus(models.TextChoices):
    PENDING = "pending"
    APPLIED = "applied"
    REJECTED = "rejected"


class ReviewImport(models.Model):
    """A reviewer's file as uploaded (kept as an artifact whatever the outcome) and what
    its import did: all of it applied, or nothing and the report says why."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="review_imports")
    format = models.CharField(max_length=8, choices=ReviewFormat.choices, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=150, blank=True)
    artifact = models.ForeignKey(
        "artifacts.Artifact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: {"repair": bool, "conflicts": "" | "package" | "iris"}
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    #: iris.review.importer.ImportReport.as_json
    report = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job_id", "-created", "-id"]

    def __str__(self) -> str:
        return f"review import {self.pk} of job {self.job_id} ({self.status})"


class CoverageSnapshot(models.Model):
    """A job's review coverage at one moment (after each import or edit, and refreshed
    by the maintenance tick while the job is in review)."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="coverage")
    taken_at = models.DateTimeField(auto_now_add=True)
    segments_total = models.PositiveIntegerField(default=0)
    segments_reviewed = models.PositiveIntegerField(default=0)
    words_total = models.PositiveIntegerField(default=0)
    words_reviewed = models.PositiveIntegerField(default=0)
    qa_errors_open = models.PositiveIntegerField(default=0)
    #: reviewer label -> {"segments": n, "words": n}
    by_reviewer = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["job_id", "-taken_at", "-id"]
        indexes = [models.Index(fields=["job", "-taken_at"], name="coverage_job_taken")]

    def __str__(self) -> str:
        return f"coverage of job {self.job_id} at {self.taken_at:%Y-%m-%d %H:%M}"
