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
    REVIEW_XLIFF = "review_xliff", "review package (XLIFF 2.1)"
    REVIEW_DOCX = "review_docx", "review package (bilingual DOCX)"
    #: every reviewer's file as uploaded: one live artifact per import, none replaced
    REVIEW_IMPORT = "review_import", "review file (imported)"


class LiveArtifacts(models.Manager["Artifact"]):
    """Artifacts whose object exists; tombstones only through ``Artifact.all_objects``."""

    def get_queryset(self) -> models.QuerySet[Artifact]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Artifact(models.Model):
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="artifacts")
    kind = models.CharField(max_length=32, choices=ArtifactKind.choices)
    name = models.CharField(max_length=255, help_text="file name shown to users")
    # Not unique: a tombstone and the live row of the same bytes share the name.
    storage_name = models.CharField(max_length=512, db_index=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    #: a deleted artifact's row stays as a tombstone: its object is gone, this says
    #: when, by whom and why (expired, replaced by a re-run, removed by a user)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.CharField(max_length=150, blank=True)
    deleted_reason = models.CharField(max_length=255, blank=True)

    # The first manager is the default one, also behind ``job.artifacts``.
    objects = LiveArtifacts()
    all_objects = models.Manager()  # noqa: DJ012 - LiveArtifacts, first, must stay the default manager

    class Meta:
        constraints = [
            # One live artifact of each kind per job: re-running a step replaces it.
            # Reviewers' files are the exception: every upload is kept.
            models.UniqueConstraint(
                fields=["job", "kind"],
                condition=models.Q(deleted_at__isnull=True)
                & ~models.Q(kind=ArtifactKind.REVIEW_IMPORT),
                name="one_live_artifact_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of job {self.job_id}: {self.name}"
