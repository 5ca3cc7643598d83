"""Plain helpers for artifact tests."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

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
