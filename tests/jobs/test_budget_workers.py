"""Budget caps with real workers (services configuration): batches run in several
processes at once, so the check is serialised on the job's row and counts what the
other running batches may still spend; the job pauses, resumes with a new budget, and
pays once."""

from __future__ import annotations

import json

import pytest

from iris.jobs.actions import Command, TranslationRequest, create_jobs, request_control, set_budget
from iris.jobs.models import EngineCall, Job, JobState
from iris.jobs.usage import job_usage
from tests.documents import build_large_document
from tests.engine_openai.server import fake_chat_server
from tests.jobs.helpers import forget_translations, wait_finished, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PRICES = {"openai": {"input_tokens": 1000.0, "output_tokens": 1000.0}}


def submit(budget: float | None) -> Job:
    request = TranslationRequest(
        "a.docx", build_large_document(30), ["de"], "en", engine="openai", budget=budget
    )
    (job,) = create_jobs(request)
    return job


def test_a_job_on_workers_pauses_at_its_budget_and_resumes(worker_factory, settings) -> None:
    with fake_chat_server() as server:
        env = {
            "IRIS_OPENAI_BASE_URL": server.url,
            "IRIS_OPENAI_MODEL": "test-model",
            "IRIS_PRICES": json.dumps(PRICES),
            "IRIS_BATCH_SEGMENTS": "5",
            "IRIS_ENGINE_CONCURRENCY": "2",
        }
        settings.IRIS_OPENAI_MODEL = "test-model"
        settings.IRIS_BATCH_SEGMENTS = 5
        settings.IRIS_PRICES = PRICES
        worker_factory(**env)
        unlimited = wait_finished(submit(None))
        assert unlimited.state == JobState.COMPLETED, unlimited.error
        full_cost = job_usage(unlimited.pk).cost
        requests = len(server.requests)
        forget_translations()

        job = wait_until(submit(full_cost / 3), lambda j: j.state == JobState.PAUSED, 120, "paused")
        # Batches that were running when the budget was reached finish; then nothing moves.
        wait_until(job, lambda j: not j.batches.filter(state="running").exists(), 60, "settled")
        assert "over the budget of" in job.paused_reason
        spent = job_usage(job.pk).cost
        assert 0 < spent <= full_cost / 3 * 1.1

        set_budget(job.pk, full_cost * 2)
        request_control(job, Command.RESUME)
        job = wait_finished(job)
        assert job.state == JobState.COMPLETED, job.error
        assert len(server.requests) == 2 * requests  # nothing paid twice
        assert EngineCall.objects.filter(job=job).count() == requests
        assert job_usage(job.pk).cost == pytest.approx(full_cost)
