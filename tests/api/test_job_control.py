"""POST /api/v1/jobs/{id}/pause|resume|cancel|retry: accepted (202) when the job's
state allows the command, which then runs as a ``job_control`` task; refused with a
409 problem otherwise. The task records the API caller, who crossed to it as a dict.

Where: the refusals run everywhere; the commands that must run are embedded-only
(unmarked: transactional_db runs the task eagerly when the request commits), and one
test runs the task on a real worker in the services configuration."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from iris.governance.models import AuditRecord, Team
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState
from tests.api.conftest import Member
from tests.api.uploads import JOBS, REPORT, assert_problem, job_ids, upload

Cast = dict[str, Member]
CALLER = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "iris-tests/1.0"}


def waiting_job(**fields: Any) -> Job:
    """A job of team alpha, made but not started: it stays queued until told."""
    request = TranslationRequest(
        name="report.docx",
        data=REPORT.read_bytes(),
        target_langs=["fr"],
        source_lang="en",
        team_id=Team.objects.get(name="alpha").pk,
        **fields,
    )
    (job,) = create_jobs(request, start=False)
    return job


def control(client: APIClient, job_id: int, command: str, **extra: Any) -> Any:
    return client.post(f"{JOBS}{job_id}/{command}/", **extra)


def state_of(job_id: int) -> JobState:
    return JobState(Job.objects.get(pk=job_id).state)


@pytest.mark.everywhere
@pytest.mark.parametrize("command", ["resume", "retry"])
def test_a_command_the_state_does_not_allow_is_409(cast: Cast, command: str) -> None:
    job = waiting_job()
    body = assert_problem(control(cast["manager"].client, job.pk, command), 409)
    assert body["type"] == "/api/v1/problems/illegal-transition"
    assert "queued" in body["detail"]
    assert state_of(job.pk) == JobState.QUEUED
    trail = AuditRecord.objects.filter(object_type="jobs.job", object_id=str(job.pk))
    assert list(trail.values_list("action", flat=True)) == ["job.created"]


@pytest.mark.everywhere
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_who_may_not_control_gets_403(cast: Cast, role: str) -> None:
    job = waiting_job()
    assert_problem(control(cast[role].client, job.pk, "cancel"), 403, "permission-denied")


def test_pause_and_resume_run(cast: Cast, transactional_db: Any) -> None:
    job = waiting_job()
    client = cast["manager"].client
    paused = control(client, job.pk, "pause")
    assert paused.status_code == 202, paused.content
    assert paused.json()["accepted"] == "pause"
    assert paused.json()["job"]["id"] == job.pk
    assert state_of(job.pk) == JobState.PAUSED
    assert_problem(control(client, job.pk, "pause"), 409, "illegal-transition")
    resumed = control(client, job.pk, "resume")
    assert resumed.status_code == 202, resumed.content
    assert state_of(job.pk) == JobState.COMPLETED  # resumed, it ran to its end


def test_cancel_runs(cast: Cast, transactional_db: Any) -> None:
    job = waiting_job()
    response = control(cast["manager"].client, job.pk, "cancel")
    assert response.status_code == 202, response.content
    assert response.json()["accepted"] == "cancel"
    assert state_of(job.pk) == JobState.CANCELLED
    assert_problem(control(cast["manager"].client, job.pk, "cancel"), 409, "illegal-transition")


def test_retry_runs_a_failed_job_again(cast: Cast, transactional_db: Any, tmp_path: Path) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    options = json.dumps({"marker": str(marker)})
    (job_id,) = job_ids(upload(cast["manager"].client, engine="fail-once", engine_options=options))
    assert state_of(job_id) == JobState.FAILED
    response = control(cast["manager"].client, job_id, "retry")
    assert response.status_code == 202, response.content
    assert state_of(job_id) == JobState.COMPLETED


def assert_recorded_caller(job: Job, action: str, member: Member, request_id: str) -> None:
    record = AuditRecord.objects.get(action=action, object_id=str(job.pk))
    assert record.actor == member.user
    assert (record.actor_label, record.role) == ("manager", "manager")
    assert (record.source_ip, record.user_agent) == ("192.0.2.10", "iris-tests/1.0")
    assert record.request_id == request_id


def test_the_audit_record_names_the_api_caller(cast: Cast, transactional_db: Any) -> None:
    job = waiting_job()
    manager = cast["manager"]
    response = control(manager.client, job.pk, "pause", **CALLER)
    assert response.status_code == 202, response.content
    assert_recorded_caller(job, "job.paused", manager, response["X-Request-ID"])


@pytest.mark.services
def test_a_worker_records_the_api_caller(
    cast: Cast, transactional_db: Any, celery_worker: Any
) -> None:
    job = waiting_job()
    manager = cast["manager"]
    response = control(manager.client, job.pk, "pause", **CALLER)
    assert response.status_code == 202, response.content
    deadline = time.monotonic() + 60
    while state_of(job.pk) != JobState.PAUSED:
        assert time.monotonic() < deadline, "the worker did not pause the job in 60 s"
        time.sleep(0.1)
    assert_recorded_caller(job, "job.paused", manager, response["X-Request-ID"])
