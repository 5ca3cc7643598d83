"""Plain helpers for the maintenance tick's tests: rows that are due for it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from iris.api.models import IdempotentRequest
from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import store_artifact
from iris.jobs.models import Job, JobState
from iris.memory.models import TranslationUnit
from iris.memory.store import NewUnit, memory
from tests.artifacts.helpers import make_job

LONG_AGO = timedelta(days=400)


def expired_artifact(job: Job | None = None, data: bytes = b"old bytes") -> Artifact:
    """A live artifact (object stored) whose retention date passed yesterday."""
    artifact = store_artifact(job or make_job(), ArtifactKind.DELIVERY, "a.fr.docx", data)
    Artifact.objects.filter(pk=artifact.pk).update(expires_at=timezone.now() - timedelta(days=1))
    artifact.refresh_from_db()
    return artifact


def idempotency_answer(key: str, age: timedelta) -> IdempotentRequest:
    user, _ = get_user_model().objects.get_or_create(username="idem")
    answer = IdempotentRequest.objects.create(user=user, key=key, fingerprint="f" * 64)
    IdempotentRequest.objects.filter(pk=answer.pk).update(created=timezone.now() - age)
    return answer


def stale_candidate() -> int:
    """A candidate unit a completed job left, unused for longer than any retention."""
    job = make_job(JobState.COMPLETED)
    unit = NewUnit(
        "Old sentence.",
        "Vieille phrase.",
        "en",
        "fr",
        origin_job_id=job.pk,
        created=timezone.now() - LONG_AGO,
    )
    memory().add([unit])
    return TranslationUnit.objects.get(origin_job_id=job.pk).pk
