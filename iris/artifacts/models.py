"""Files Iris keeps for a job, each with checksum, size and a retention date."""

from __future__ import annotations

from django.db import models


class ArtifactKind(models.TextChoices):
    SOURCE = "source", "source document"
    WORKING = "working", "working copy (.docx converted from the source)"
    MANIFEST = "manifest", "extraction manifest"
    QA_REPORT = "qa_report", "QA report"
    QA_REPORT_HTML = "qa_report_html", "QA report (HTML)"
    FIDELITY_REPORT = "fidelity_report", "fidelity report"
    DELIVERY = "delivery", "translated document"
    ANALYSIS = "analysis", "translation memory analysis"


class Artifact(models.Model):
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="artifacts")
    kind = models.CharField(max_length=32, choices=ArtifactKind.choices)
    name = models.CharField(max_length=255, help_text="file name shown to users")
    storage_name = models.CharField(max_length=512, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            # One artifact of each kind per job: re-running a step replaces, never adds.
            models.UniqueConstraint(fields=["job", "kind"], name="one_artifact_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of job {self.job_id}: {self.name}"
