"""A job in one active state for longer than IRIS_STUCK_MINUTES is reported stuck. The
time it entered that state is its last transition's audit record (or its creation
while it has not moved); a job waiting for a person (in review) is never stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.jobs.models import Job, JobState
from iris.jobs.states import transition
from iris.ops.maintenance import run_tick, stuck_jobs
from tests.artifacts.helpers import make_job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]
S = JobState


def _moved_through(*states: JobState) -> Job:
    job = make_job()
    for state in states:
        transition(job.pk, state)
    return job


def test_a_job_in_one_state_too_long_is_reported(settings) -> None:
    settings.IRIS_STUCK_MINUTES = 60
    translating = _moved_through(S.EXTRACTING, S.TRANSLATING)
    in_review = _moved_through(S.EXTRACTING, S.TRANSLATING, S.VERIFYING, S.IN_REVIEW)
    make_job(S.COMPLETED)
    assert stuck_jobs() == []

    later = timezone.now() + timedelta(minutes=61)
    result = run_tick(now=later)

    assert result.run is not None
    step = result.run.summary["steps"]["stuck_jobs"]
    assert step["count"] == 1
    (stuck,) = step["detail"]["jobs"]
    assert (stuck["job"], stuck["state"], stuck["minutes"]) == (translating.pk, "translating", 61)
    assert f"job {translating.pk} translating 61 min" in result.text
    assert in_review.pk not in [row["job"] for row in stuck_jobs(later + timedelta(days=9))]


def test_time_in_state_counts_from_the_last_transition_not_creation(settings) -> None:
    settings.IRIS_STUCK_MINUTES = 60
    created_long_ago = timezone.now() - timedelta(hours=3)
    moved_now = _moved_through(S.EXTRACTING)
    never_moved = make_job(S.QUEUED)
    Job.objects.filter(pk__in=[moved_now.pk, never_moved.pk]).update(created=created_long_ago)

    stuck = stuck_jobs()

    assert [(row["job"], row["state"], row["minutes"]) for row in stuck] == [
        (never_moved.pk, "queued", 180)
    ]
