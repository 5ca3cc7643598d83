"""A worker can die anywhere inside a step; the step's task, run again (the broker
redelivers it: ``acks_late``), finishes the job with nothing lost or doubled.

Each test stops a step at one point between its writes (by running the step's parts
by hand, as a crash would leave them), then runs the step's real task again.
"""

from __future__ import annotations

import pytest

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_json
from iris.celery import app, load_tasks
from iris.docx import open_document
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.batches import claim_batch
from iris.jobs.models import BatchState, Job, JobState, Origin, QaStatus, Step
from iris.jobs.states import transition
from iris.jobs.steps import extraction, reassembly, translation, verification
from iris.jobs.usage import job_usage
from tests.documents import build_large_document
from tests.jobs.helpers import delivery

pytestmark = pytest.mark.django_db(transaction=True)
DATA = build_large_document(10)


def run_task(queue: str, *args: object, task_id: str | None = None) -> None:
    load_tasks()
    app.tasks[f"iris.jobs.tasks.{queue}"].apply(args=args, task_id=task_id)


def new_job(**fields: object) -> Job:
    request = TranslationRequest("a.docx", DATA, ["fr"], "en", **fields)  # type: ignore[arg-type]
    (job,) = create_jobs(request, start=False)
    return job


def extracted_job() -> Job:
    job = new_job()
    transition(job.pk, JobState.EXTRACTING)
    extraction.extract_segments(job)
    transition(job.pk, JobState.TRANSLATING)
    return Job.objects.get(pk=job.pk)


def translated_job() -> Job:
    job = extracted_job()
    for batch in job.batches.all():
        assert translation.translate_batch(job, batch.pk, "task")
    transition(job.pk, JobState.VERIFYING)
    return Job.objects.get(pk=job.pk)


def assert_complete_and_whole(job: Job) -> None:
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    units = open_document(DATA, source_lang="en").units()
    assert job.segments.count() == len(units) == job.segments_total
    assert job.segments_done == job.segments_total
    assert job.words_done == job.words_total == sum(u.words for u in units)
    assert job.artifacts.filter(kind=ArtifactKind.DELIVERY).count() == 1
    assert job.artifacts.filter(kind=ArtifactKind.MANIFEST).count() == 1
    assert delivery(job)


def test_extraction_after_the_manifest_before_the_segments() -> None:
    job = new_job()
    transition(job.pk, JobState.EXTRACTING)
    store_json(job, ArtifactKind.MANIFEST, "manifest.json", {"units": []})
    run_task("docx_extract", job.pk)
    assert_complete_and_whole(job)


def test_extraction_after_the_segments_before_moving_on() -> None:
    job = new_job()
    transition(job.pk, JobState.EXTRACTING)
    extraction.extract_segments(job)
    run_task("docx_extract", job.pk)
    assert_complete_and_whole(job)


def test_extraction_with_segments_but_no_manifest() -> None:
    job = new_job()
    transition(job.pk, JobState.EXTRACTING)
    extraction.extract_segments(job)
    job.artifacts.filter(kind=ArtifactKind.MANIFEST).delete()
    run_task("docx_extract", job.pk)
    assert_complete_and_whole(job)


def test_translation_claimed_by_a_worker_that_died() -> None:
    job = extracted_job()
    stranded = job.batches.get(number=0)
    assert claim_batch(stranded.pk, job.pk, "dead-task")
    for batch in job.batches.exclude(pk=stranded.pk):
        run_task("translate_batch", job.pk, batch.pk)
    job.refresh_from_db()
    assert job.state == JobState.TRANSLATING  # waits for the running batch
    run_task("translate_batch", job.pk, stranded.pk, task_id="dead-task")  # redelivered
    assert_complete_and_whole(job)
    billed = job_usage(job.pk).characters
    assert billed == sum(len(s.source) for s in job.segments.filter(origin=Origin.ENGINE))
    assert not job.batches.exclude(state=BatchState.DONE).exists()


def test_translation_saved_before_the_job_moved_on() -> None:
    job = extracted_job()
    batches = list(job.batches.all())
    for batch in batches:
        assert translation.translate_batch(job, batch.pk, "task")
    run_task("translate_batch", job.pk, batches[-1].pk, task_id="task")
    assert_complete_and_whole(job)


def test_verification_after_the_checks_before_the_report() -> None:
    job = translated_job()
    damaged = job.segments.filter(origin=Origin.ENGINE, source__contains="<g").first()
    assert damaged is not None
    # A target changed after its batch was checked is unchecked again (as an edit is).
    job.segments.filter(pk=damaged.pk).update(target="no tags left", qa_status=QaStatus.PENDING)
    verification._check_pending(job, verification.QaContext.of(job))
    verification.fill_duplicates(job.pk)
    run_task("qa_verify", job.pk)
    assert_complete_and_whole(job)
    damaged.refresh_from_db()
    assert damaged.qa_status == QaStatus.WARNING  # the repair is still on record
    assert damaged.target != "no tags left"
    report = job.artifacts.get(kind=ArtifactKind.QA_REPORT)
    assert report.size > 0
    assert not job.segments.filter(qa_status=QaStatus.PENDING).exists()


def test_reassembly_after_the_delivery_before_completion() -> None:
    job = translated_job()
    verification.verify_job(job)
    transition(job.pk, JobState.REASSEMBLING)
    reassembly.reassemble_job(job)
    run_task("docx_reassemble", job.pk)
    assert_complete_and_whole(job)


def test_a_step_message_arriving_late_changes_nothing() -> None:
    job = extracted_job()
    run_task("docx_extract", job.pk)  # a duplicate of a message already handled
    job.refresh_from_db()
    assert job.state == JobState.TRANSLATING
    assert job.segments_done < job.segments_total


@pytest.mark.parametrize("queue", ["retrieve_context", "translate_batch"])
def test_a_batch_message_for_a_paused_job_gives_the_batch_back(queue: str) -> None:
    from iris.jobs.actions import Command, apply_control
    from iris.jobs.batches import move_batches

    job = extracted_job()
    batch = job.batches.get(number=0)
    move_batches(job.batches.filter(pk=batch.pk), (BatchState.PENDING,), BatchState.QUEUED)
    apply_control(job.pk, Command.PAUSE)
    run_task(queue, job.pk, batch.pk)
    batch.refresh_from_db()
    assert batch.state == BatchState.PENDING  # resume sends it again
    apply_control(job.pk, Command.RESUME)
    assert_complete_and_whole(job)


def test_a_job_cancelled_while_its_delivery_is_written_delivers_nothing() -> None:
    from types import SimpleNamespace

    from iris.jobs.actions import Command, apply_control
    from iris.jobs.tasks import run_job_step

    job = translated_job()
    verification.verify_job(job)
    transition(job.pk, JobState.REASSEMBLING)

    def reassemble_then_cancelled(job: Job) -> None:
        reassembly.reassemble_job(job)
        apply_control(job.pk, Command.CANCEL)  # the operator, while the step runs

    task = SimpleNamespace(request=SimpleNamespace(retries=0, is_eager=True))
    run_job_step(
        task,
        job.pk,
        Step.REASSEMBLE,
        reassemble_then_cancelled,
        undo=reassembly.discard_delivery,
    )
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not job.artifacts.filter(kind=ArtifactKind.DELIVERY).exists()
