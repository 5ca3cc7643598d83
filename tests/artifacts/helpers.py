"""Plain helpers for artifact tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from iris.artifacts.models import Artifact, ArtifactKind
from iris.governance.models import AuditRecord
from iris.jobs.models import Job, JobState


def make_job(state: JobState = JobState.QUEUED, **fields: Any) -> Job:
    return Job.objects.create(
        source_name="report.docx",
        source_lang="en",
        target_lang="fr",
        engine="pseudo",
        state=state,
        **fields,
    )


def overwrite_object(storage_name: str, data: bytes) -> None:
    """Change an object's bytes behind Iris's back (a damaged disk, a meddling hand)."""
    default_storage.delete(storage_name)
    assert default_storage.save(storage_name, ContentFile(data)) == storage_name


def artifact_row(job: Job, kind: ArtifactKind, size: int = 1, *, deleted: bool = False) -> Artifact:
    """An artifact row with no object behind it (for what reads rows only: listings,
    metrics); ``deleted`` makes it a tombstone."""
    return Artifact.all_objects.create(
        job=job,
        kind=kind,
        name=f"{kind}.bin",
        storage_name=f"jobs/{job.pk}/{kind}-{size}",
        sha256="0" * 64,
        size=size,
        content_type="application/octet-stream",
        expires_at=timezone.now() + timedelta(days=30),
        deleted_at=timezone.now() if deleted else None,
    )


def assert_tombstone(artifact_id: int, actor: str, reason: str) -> AuditRecord:
    """The artifact is a tombstone deleted by ``actor`` for ``reason``, and the one
    ``artifact.deleted`` audit record says so; that record."""
    tombstone = Artifact.all_objects.get(pk=artifact_id)
    assert tombstone.deleted_at is not None
    assert (tombstone.deleted_by, tombstone.deleted_reason) == (actor, reason)
    record = AuditRecord.objects.get(action="artifact.deleted")
    assert (record.actor_label, record.object_id) == (actor, str(artifact_id))
    assert record.after["deleted_reason"] == reason
    return record
