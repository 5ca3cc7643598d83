"""A failed step keeps the job's work; retry restarts from that step."""

from __future__ import annotations

import pytest

from iris.governance.models import AuditRecord
from iris.jobs.actions import Command, apply_control, request_control
from iris.jobs.models import Job, JobState, Step
from iris.jobs.states import IllegalTransition
from tests.documents import build_document
from tests.jobs.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


def audit_actions(job) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_id=str(job.pk), object_type="jobs.job").values_list(
            "action", flat=True
        )
    )


def test_engine_failure_fails_the_translate_step(tmp_path) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    (job,) = submit(build_document(), "fr", engine="fail-once", marker=str(marker))
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.failed_step == Step.TRANSLATE
    assert "simulated engine outage" in job.error


def test_retry_restarts_from_the_failed_step_not_extraction(tmp_path) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    (job,) = submit(build_document(), "fr", engine="fail-once", marker=str(marker))
    segment_ids = list(job.segments.values_list("pk", flat=True))
    request_control(job, Command.RETRY)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert list(job.segments.values_list("pk", flat=True)) == segment_ids
    actions = audit_actions(job)
    assert actions.count("job.extracting") == 1
    assert actions[-4:] == ["job.translating", "job.verifying", "job.reassembling", "job.completed"]
    assert job.error == ""


def test_transient_engine_errors_are_retried_without_failing(tmp_path) -> None:
    marker = tmp_path / "transient"
    marker.touch()
    (job,) = submit(build_document(), "fr", engine="transient-once", marker=str(marker))
    job.refresh_from_db()
    assert not marker.exists(), "the engine was called"
    assert job.state == JobState.COMPLETED, job.error


def test_commands_are_checked_against_the_state() -> None:
    (job,) = submit(build_document(), "fr")
    job.refresh_from_db()
    for command in Command:
        with pytest.raises(IllegalTransition):
            request_control(job, command)
    assert apply_control(job.pk, Command.CANCEL) is None  # a completed job stays completed
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED


def test_resume_resends_batches_whose_messages_were_lost() -> None:
    from iris.jobs.actions import TranslationRequest, create_jobs
    from iris.jobs.batches import move_batches
    from iris.jobs.flow import finish_step
    from iris.jobs.models import Batch, BatchState, Step
    from iris.jobs.steps.extraction import extract_segments

    request = TranslationRequest("a.docx", build_document(), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    job.state = JobState.EXTRACTING
    job.save()
    extract_segments(job)
    # Translating, with every batch queued, but no message was ever sent.
    move_batches(Batch.objects.filter(job=job), (BatchState.PENDING,), BatchState.QUEUED)
    finish_step(job.pk, Step.EXTRACT)
    stranded = Job.objects.get(pk=job.pk)
    assert stranded.state == JobState.TRANSLATING
    assert job.batches.filter(state=BatchState.QUEUED).exists()
    apply_control(job.pk, Command.PAUSE)
    apply_control(job.pk, Command.RESUME)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert not job.batches.exclude(state=BatchState.DONE).exists()
