"""Plain helpers for the metrics and iris_status tests: an installation with jobs in
several states, and a scrape of /metrics read back as samples."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from iris.artifacts.models import ArtifactKind
from iris.jobs.models import Batch, BatchState, EngineCall, Job, JobState, OutboxMessage, Step
from iris.jobs.states import transition
from tests.artifacts.helpers import artifact_row

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(body: str) -> Samples:
    """Every sample of an exposition, by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def scrape(client: Client, **headers: Any) -> Samples:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return samples(response.content.decode())


def make_job(state: JobState = JobState.QUEUED, engine: str = "pseudo", **fields: Any) -> Job:
    return Job.objects.create(
        source_name="report.docx",
        source_lang="en",
        target_lang="fr",
        engine=engine,
        state=state,
        **fields,
    )


def ago(job: Job, **delta: float) -> None:
    """Back-date a job's creation (when it entered its state, if it never moved)."""
    Job.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(**delta))


def finished(step_seconds: dict[str, float], engine: str = "pseudo") -> Job:
    return make_job(
        JobState.COMPLETED, engine=engine, step_seconds=step_seconds, finished_at=timezone.now()
    )


def populate() -> Job:
    """Jobs in several states, their batches, engine calls, artifacts and outbox rows;
    the one job stuck (translating for two hours)."""
    make_job(JobState.QUEUED)
    make_job(JobState.QUEUED)
    stuck = make_job(JobState.TRANSLATING)  # never moved: in its state since its creation
    ago(stuck, hours=2)
    moved = make_job(JobState.QUEUED)  # old, but entered its state just now (audited)
    ago(moved, hours=2)
    transition(moved.pk, JobState.CONVERTING)
    make_job(JobState.FAILED, engine="deepl", failed_step=Step.TRANSLATE)
    make_job(JobState.FAILED, engine="deepl", failed_step=Step.EXTRACT)  # not the engine's
    done = [
        finished({"docx_extract": 2.0, "translate_batch": seconds}) for seconds in (10, 40, 100)
    ]
    Batch.objects.create(job=stuck, number=1, first_order=0, last_order=9, attempts=3)
    Batch.objects.create(
        job=stuck, number=2, first_order=10, last_order=19, state=BatchState.QUEUED, attempts=1
    )
    for job, characters, cost in ((done[0], 100, 0.01), (done[0], 50, 0.02), (done[1], 30, 0.5)):
        EngineCall.objects.create(
            job=job, characters=characters, input_tokens=7, output_tokens=5, cost=cost
        )
    artifact_row(done[0], ArtifactKind.DELIVERY, 1000)
    artifact_row(done[1], ArtifactKind.DELIVERY, 2500)
    artifact_row(done[1], ArtifactKind.SOURCE, 400)
    artifact_row(done[2], ArtifactKind.DELIVERY, 99999, deleted=True)  # a tombstone
    old = OutboxMessage.objects.create(task="iris.jobs.tasks.translate_batch", args=[1, 2])
    OutboxMessage.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(minutes=10))
    OutboxMessage.objects.create(task="iris.jobs.tasks.translate_batch", args=[1, 3])
    OutboxMessage.objects.create(task="iris.jobs.tasks.docx_extract", args=[4], claimed_by="t-1")
    return stuck
