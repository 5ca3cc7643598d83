"""The state machine: legal transitions only, each audited."""

from __future__ import annotations

import pytest

from iris.governance.models import AuditRecord
from iris.jobs.models import Job, JobState
from iris.jobs.states import TRANSITIONS, IllegalTransition, transition

pytestmark = pytest.mark.django_db


def make_job(state: JobState = JobState.QUEUED) -> Job:
    return Job.objects.create(
        source_name="a.docx", source_lang="en", target_lang="fr", engine="pseudo", state=state
    )


def test_every_state_has_a_row() -> None:
    assert set(TRANSITIONS) == set(JobState)


def test_terminal_states_allow_nothing() -> None:
    assert TRANSITIONS[JobState.COMPLETED] == frozenset()
    assert TRANSITIONS[JobState.CANCELLED] == frozenset()


def test_illegal_transition_raises_and_changes_nothing() -> None:
    job = make_job()
    with pytest.raises(IllegalTransition):
        transition(job.pk, JobState.COMPLETED)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert not AuditRecord.objects.exists()


def test_expectation_mismatch_returns_none() -> None:
    job = make_job(JobState.TRANSLATING)
    assert transition(job.pk, JobState.EXTRACTING, expect=frozenset({JobState.QUEUED})) is None


def test_transition_is_audited_with_before_and_after() -> None:
    job = make_job()
    transition(job.pk, JobState.EXTRACTING, reason="test")
    record = AuditRecord.objects.get()
    assert record.action == "job.extracting"
    assert record.before == {"state": "queued"}
    assert record.after == {"state": "extracting", "reason": "test"}
    assert record.actor_label == "system"


def test_terminal_transition_sets_finished_at() -> None:
    job = make_job(JobState.REASSEMBLING)
    done = transition(job.pk, JobState.COMPLETED)
    assert done is not None
    assert done.finished_at is not None
