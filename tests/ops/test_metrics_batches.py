"""``iris_batches{state}`` counts the batches of jobs under way (working or paused):
the batches a failed or cancelled job left pending or running are not work anybody
does, so they are ``iris_batches_stopped{state}`` instead, and ``iris_status`` says so."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from iris.jobs.models import Batch, BatchState, Job, JobState
from tests.ops.snapshot_data import make_job, scrape


def batches_of(job: Job, *states: BatchState) -> None:
    for number, state in enumerate(states):
        first = number * 10
        Batch.objects.create(
            job=job, number=number, first_order=first, last_order=first + 9, state=state
        )


@pytest.fixture
def jobs() -> None:
    B = BatchState
    batches_of(make_job(JobState.TRANSLATING), B.DONE, B.RUNNING, B.QUEUED, B.PENDING)
    batches_of(make_job(JobState.PAUSED), B.DONE, B.PENDING, B.PENDING)
    batches_of(make_job(JobState.FAILED), B.DONE, B.RUNNING, B.PENDING)
    batches_of(make_job(JobState.CANCELLED), B.RUNNING, B.QUEUED, B.PENDING, B.PENDING)
    batches_of(make_job(JobState.COMPLETED), B.DONE, B.DONE)


@pytest.mark.everywhere
@pytest.mark.django_db
def test_only_batches_of_jobs_under_way_are_counted_by_state(client: Client, jobs) -> None:
    got = scrape(client)

    def value(name: str, state: str) -> float | None:
        return got.get((name, (("state", state),)))

    under_way = {state: value("iris_batches", state) for state in BatchState.values}
    assert under_way == {"pending": 3, "queued": 1, "running": 1, "done": 2}
    stopped = {state: value("iris_batches_stopped", state) for state in BatchState.values}
    assert stopped == {"pending": 3, "queued": 1, "running": 2, "done": None}


@pytest.mark.django_db
def test_iris_status_shows_the_stopped_batches_apart(jobs) -> None:
    out = StringIO()
    call_command("iris_status", stdout=out)
    lines = out.getvalue().splitlines()
    assert "batches: pending 3, queued 1, running 1, done 2" in lines
    assert "batches of stopped jobs: pending 3, queued 1, running 2" in lines
