"""Budget caps: a job pauses before the batch that would take its cost over its
budget, says why, and when resumed with a higher budget finishes without paying twice
for anything it had finished (the engine's ledger and the server agree)."""

from __future__ import annotations

import json

import pytest

from iris.jobs.actions import (
    Command,
    JobRequestError,
    TranslationRequest,
    apply_control,
    create_jobs,
    set_budget,
)
from iris.jobs.models import EngineCall, Job, JobState
from iris.jobs.usage import job_usage
from tests.documents import build_large_document
from tests.engine_openai.server import FakeChatServer
from tests.jobs.helpers import forget_translations
from tests.jobs.test_cli import iris

pytestmark = pytest.mark.django_db(transaction=True)

#: one US dollar per thousand tokens sent or received: a batch costs cents to dollars
PRICES = {"openai": {"input_tokens": 1000.0, "output_tokens": 1000.0}}


@pytest.fixture
def server(openai_server: FakeChatServer, settings) -> FakeChatServer:
    settings.IRIS_PRICES = PRICES
    settings.IRIS_BATCH_SEGMENTS = 6
    return openai_server


def submit(budget: float | None) -> Job:
    request = TranslationRequest(
        "a.docx", build_large_document(12), ["de"], "en", engine="openai", budget=budget
    )
    (job,) = create_jobs(request)
    job.refresh_from_db()
    return job


def test_a_job_pauses_at_its_budget_and_resumes_without_paying_twice(server) -> None:
    unlimited = submit(None)
    assert unlimited.state == JobState.COMPLETED, unlimited.error
    full_cost = job_usage(unlimited.pk).cost
    requests = len(server.requests)
    assert unlimited.batches.count() >= 3
    # Nothing of that run may serve the next one: not its memory, not the cache.
    forget_translations()

    job = submit(full_cost / 2)
    assert job.state == JobState.PAUSED
    assert "over the budget of" in job.paused_reason
    assert f"iris resume {job.pk} --budget" in job.paused_reason
    spent = job_usage(job.pk).cost
    # Stopped before going over: each batch is checked against its estimate, which is
    # the estimate's precision (a fixed token rule) away from what it really took.
    assert 0 < spent <= full_cost / 2 * 1.1
    assert job.batches.filter(state="done").exists()
    assert job.batches.exclude(state="done").exists()

    set_budget(job.pk, full_cost * 2)
    resumed = apply_control(job.pk, Command.RESUME)
    assert resumed is not None
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job.paused_reason == ""
    # Paid once: as many requests as the unlimited run, and the ledger says so.
    assert len(server.requests) == 2 * requests
    assert EngineCall.objects.filter(job=job).count() == requests
    assert job_usage(job.pk).cost == pytest.approx(full_cost)


def test_the_estimate_is_stored_on_the_job(server) -> None:
    job = submit(None)
    estimate = job.estimate
    assert estimate["engine"] == "openai"
    assert estimate["segments"] > 0
    assert estimate["requests"] >= job.batches.count()
    assert estimate["input_tokens"] > 0
    assert estimate["cost"] > 0
    # The estimate foresees what the run used, within its fixed rule's precision.
    used = job_usage(job.pk)
    assert 0.8 < estimate["input_tokens"] / used.input_tokens < 1.25
    assert 0.8 < estimate["output_tokens"] / used.output_tokens < 1.5


def test_a_negative_budget_is_refused(server) -> None:
    with pytest.raises(JobRequestError):
        submit(-1)
    job = submit(None)
    with pytest.raises(JobRequestError):
        set_budget(job.pk, -5)


def test_the_command_line_pauses_at_the_budget_and_resumes(server, tmp_path) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(build_large_document(12))
    env = {
        "IRIS_OPENAI_BASE_URL": server.url,
        "IRIS_OPENAI_API_KEY": "test-key",
        "IRIS_OPENAI_MODEL": "test-model",
        "IRIS_PRICES": json.dumps(PRICES),
        "IRIS_BATCH_SEGMENTS": "6",
    }
    args = ("translate", str(source), "--to", "de", "--from", "en", "--engine", "openai", "-q")
    paused = iris(tmp_path, *args, "--budget", "0.01", **env)
    assert paused.returncode == 4, paused.stderr
    assert "over the budget of $0.01" in paused.stdout
    assert "go on with `iris resume" in paused.stderr
    assert "--budget USD`" in paused.stderr  # as the summary says: the budget is raised
    job_id = paused.stderr.split("iris: job ")[1].split()[0]
    waiting = iris(tmp_path, "status", job_id, **env)
    assert "paused" in waiting.stdout
    assert "over the budget of $0.01" in waiting.stdout
    resumed = iris(tmp_path, "resume", job_id, "--budget", "0", "-o", "done.docx", **env)
    assert resumed.returncode == 0, resumed.stderr
    assert "written to done.docx" in resumed.stdout
    status = iris(tmp_path, "status", job_id, **env)
    assert "completed" in status.stdout, status.stdout
