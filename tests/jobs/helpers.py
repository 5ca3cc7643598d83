"""Helpers for pipeline tests: submit documents, wait for jobs, read deliveries."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState

FINISHED = {JobState.COMPLETED, JobState.CANCELLED, JobState.FAILED, JobState.REJECTED}


def submit(data: bytes, *targets: str, engine: str = "pseudo", **options: Any) -> list[Job]:
    request = TranslationRequest(
        name="report.docx",
        data=data,
        target_langs=targets or ("fr",),
        source_lang="en",
        engine=engine,
        engine_options=options,
    )
    return create_jobs(request)


def wait_until(job: Job, condition, timeout: float = 120, what: str = "") -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(0.1)
    raise AssertionError(
        f"job {job.pk} {what or 'condition'} not reached in {timeout}s: state={job.state} "
        f"step={job.step} done={job.segments_done}/{job.segments_total} error={job.error}"
    )


def wait_finished(job: Job, timeout: float = 120) -> Job:
    return wait_until(job, lambda j: j.state in FINISHED, timeout, "finish")


def delivery(job: Job) -> bytes:
    return read_artifact(job.artifacts.get(kind=ArtifactKind.DELIVERY))


def document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml")


def run_eager(settings, data: bytes, target: str = "fr") -> bytes:
    """Deliver ``data`` in this process with eager tasks (the embedded default's way),
    even in the services configuration; returns the delivered document."""
    from iris.celery import app

    settings.IRIS_ASYNC = False
    app.conf.task_always_eager = True
    try:
        (job,) = submit(data, target)
        job.refresh_from_db()
        assert job.state == JobState.COMPLETED, job.error
        return delivery(job)
    finally:
        app.conf.task_always_eager = False
        settings.IRIS_ASYNC = True


def forget_translations() -> None:
    """Nothing translated so far may serve what runs next: not a job's segments, not
    the engine cache, not the translation memory (the units completed jobs left)."""
    from iris.jobs.models import CachedTranslation
    from iris.memory.models import TranslationUnit
    from iris.memory.store import memory

    Job.objects.all().delete()
    CachedTranslation.objects.all().delete()
    memory().delete(list(TranslationUnit.objects.values_list("pk", flat=True)))
