"""``/metrics``: the Prometheus exposition of jobs, queues, step times, engine usage and
artifacts, computed from the database at scrape time, for allowed addresses or a token."""

from __future__ import annotations

import time
from collections.abc import Callable
from ipaddress import ip_network
from typing import Any

import pytest
from django.test import Client
from kombu import Connection

from iris.celery import app
from iris.jobs.models import Job, JobState
from iris.ops.maintenance import run_tick
from tests.live_server import LiveWebServer, http
from tests.ops.snapshot_data import make_job, populate, samples, scrape
from tests.support import closed_port, iris_env, migrated_env, web_server

#: the most queries one scrape may make, whatever the number of jobs
SCRAPE_QUERIES = 10
OUTSIDE = "203.0.113.7"  # TEST-NET-3: never in the allowed list


@pytest.mark.everywhere
@pytest.mark.django_db
def test_exposes_jobs_queues_steps_engines_and_artifacts(client: Client, settings) -> None:
    populate()
    got = scrape(client)

    def value(name: str, **labels: str) -> float:
        return got[(name, tuple(sorted(labels.items())))]

    assert value("iris_jobs", state="queued") == 2
    assert value("iris_jobs", state="translating") == 1
    assert value("iris_jobs", state="converting") == 1
    assert value("iris_jobs", state="completed") == 3
    assert value("iris_jobs", state="failed") == 2
    assert value("iris_jobs", state="cancelled") == 0
    assert value("iris_jobs_stuck", state="translating") == 1
    assert value("iris_jobs_stuck", state="converting") == 0  # moved two hours after creation

    assert value("iris_queue_waiting", queue="translate_batch") == 2
    assert 590 <= value("iris_queue_oldest_waiting_seconds", queue="translate_batch") < 900
    assert value("iris_queue_waiting", queue="docx_extract") == 0  # its one row is claimed
    assert value("iris_batches", state="pending") == 1
    assert value("iris_batches", state="queued") == 1

    step = "iris_step_duration_seconds"
    assert value(f"{step}_count", step="translate_batch") == 3
    assert value(f"{step}_sum", step="translate_batch") == 150
    assert value(f"{step}_bucket", step="translate_batch", le="15.0") == 1
    assert value(f"{step}_bucket", step="translate_batch", le="60.0") == 2
    assert value(f"{step}_bucket", step="translate_batch", le="120.0") == 3
    assert value(f"{step}_bucket", step="translate_batch", le="+Inf") == 3
    assert value(f"{step}_bucket", step="docx_extract", le="1.0") == 0
    assert value(f"{step}_bucket", step="docx_extract", le="5.0") == 3
    assert value(f"{step}_count", step="docx_convert") == 0

    assert value("iris_engine_requests_total", engine="pseudo") == 3
    assert value("iris_engine_characters_total", engine="pseudo") == 180
    assert value("iris_engine_input_tokens_total", engine="pseudo") == 21
    assert value("iris_engine_output_tokens_total", engine="pseudo") == 15
    assert value("iris_engine_cost_dollars_total", engine="pseudo") == pytest.approx(0.53)
    assert value("iris_engine_batch_retries", engine="pseudo") == 2
    assert value("iris_engine_failed_jobs", engine="deepl") == 1
    assert value("iris_engine_requests_total", engine="deepl") == 0

    assert value("iris_artifact_bytes", kind="delivery") == 3500  # not the tombstone's
    assert value("iris_artifacts", kind="delivery") == 2
    assert value("iris_artifact_bytes", kind="source") == 400

    broker_up = [sample for sample in got if sample[0] == "iris_broker_up"]
    assert broker_up == ([("iris_broker_up", ())] if settings.IRIS_ASYNC else [])


@pytest.mark.django_db
def test_an_address_outside_the_allowed_networks_is_refused(client: Client) -> None:
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert b"iris_jobs" not in response.content


@pytest.mark.django_db
def test_allowed_networks_come_from_the_setting(client: Client, settings) -> None:
    settings.IRIS_METRICS_ALLOWED = [ip_network("203.0.113.0/24")]
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 200
    assert client.get("/metrics").status_code == 403  # loopback is no longer listed


@pytest.mark.django_db
def test_a_forwarded_client_address_is_judged_not_the_proxy(client: Client, settings) -> None:
    settings.IRIS_TRUSTED_PROXIES = [ip_network("127.0.0.1/32")]
    forwarded = client.get("/metrics", HTTP_X_FORWARDED_FOR=OUTSIDE)
    assert forwarded.status_code == 403
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


@pytest.mark.django_db
def test_the_token_opens_metrics_to_any_address(client: Client, settings) -> None:
    settings.IRIS_METRICS_TOKEN = "scrape-secret"
    make_job(JobState.QUEUED)
    got = scrape(client, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert got[("iris_jobs", (("state", "queued"),))] == 1
    for wrong in ("Bearer scrape-secreT", "scrape-secret", "Bearer ", ""):
        response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=wrong)
        assert response.status_code == 403, wrong


@pytest.mark.django_db
def test_without_a_token_setting_no_bearer_is_accepted(client: Client, settings) -> None:
    settings.IRIS_METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


@pytest.mark.everywhere
@pytest.mark.django_db
def test_a_scrape_costs_the_same_few_queries_for_1_or_20_jobs(
    client: Client, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    def queries() -> int:
        with django_assert_max_num_queries(SCRAPE_QUERIES) as captured:
            scrape(client)
        return len(captured.captured_queries)

    scrape(client)  # the process's first request asks once whether migrations are pending
    populate()
    few = queries()
    for _ in range(19):
        populate()
    assert Job.objects.count() >= 20 * 9
    assert queries() == few


@pytest.mark.services
def test_every_gunicorn_process_answers_the_database_numbers(
    live_web_server_factory: Callable[..., LiveWebServer],
) -> None:
    server = live_web_server_factory()
    make_job(JobState.QUEUED)
    for _ in range(6):  # two processes: both must have the job, neither counts its own
        reply = http("GET", server.url + "/metrics")
        assert reply.status == 200, reply.body
        assert samples(reply.body.decode())[("iris_jobs", (("state", "queued"),))] == 1
    make_job(JobState.QUEUED)
    reply = http("GET", server.url + "/metrics")
    assert samples(reply.body.decode())[("iris_jobs", (("state", "queued"),))] == 2


@pytest.mark.services
def test_the_web_process_reads_its_access_settings_from_the_environment(
    live_web_server_factory: Callable[..., LiveWebServer],
) -> None:
    server = live_web_server_factory(
        IRIS_METRICS_ALLOWED="198.51.100.0/24", IRIS_METRICS_TOKEN="from-the-environment"
    )
    assert http("GET", server.url + "/metrics").status == 403  # loopback is not listed
    reply = http("GET", server.url + "/metrics", token="from-the-environment")
    assert reply.status == 200
    assert ("iris_broker_up", ()) in samples(reply.body.decode())


@pytest.mark.services
@pytest.mark.django_db
def test_queue_depth_is_read_from_the_broker(client: Client) -> None:
    queue = "docx_convert"  # nothing consumes it here: what is put in stays
    with Connection(app.conf.broker_url) as conn:
        probe = conn.SimpleQueue(queue)
        try:
            before = scrape(client)[("iris_queue_depth", (("queue", queue),))]
            probe.put({"probe": 1})
            probe.put({"probe": 2})
            assert scrape(client)[("iris_queue_depth", (("queue", queue),))] == before + 2
            assert scrape(client)[("iris_broker_up", ())] == 1
        finally:
            probe.clear()
            probe.close()
    assert scrape(client)[("iris_queue_depth", (("queue", queue),))] == 0  # purged


def test_a_broker_that_does_not_answer_is_reported_down(tmp_path) -> None:
    env = {"IRIS_ASYNC": "true", "IRIS_BROKER_URL": f"redis://127.0.0.1:{closed_port()}/0"}
    with web_server(migrated_env(env, tmp_path)) as base:
        started = time.monotonic()
        reply = http("GET", base + "/metrics")
        elapsed = time.monotonic() - started
    assert reply.status == 200, reply.body
    assert elapsed < 5, elapsed
    got = samples(reply.body.decode())
    assert got[("iris_broker_up", ())] == 0
    assert not [sample for sample in got if sample[0] == "iris_queue_depth"]
    assert got[("iris_jobs", (("state", "queued"),))] == 0  # the database part still answers


@pytest.mark.django_db
def test_the_last_maintenance_tick_shows_what_each_step_found(client: Client) -> None:
    populate()
    run_tick(dry_run=True)
    rehearsed = scrape(client)
    assert not [sample for sample in rehearsed if sample[0].startswith("iris_maintenance")]
    run = run_tick().run
    assert run is not None
    got = scrape(client)
    for name, outcome in run.summary["steps"].items():
        assert got[("iris_maintenance_findings", (("step", name),))] == outcome["count"]
        failed = got[("iris_maintenance_step_failed", (("step", name),))]
        assert failed == ("error" in outcome), (name, outcome)
    assert got[("iris_maintenance_findings", (("step", "stuck_jobs"),))] == 1
    assert 0 <= got[("iris_maintenance_last_run_age_seconds", ())] < 60


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer  "])
def test_the_token_scheme_is_case_insensitive(client: Client, settings, scheme: str) -> None:
    settings.IRIS_METRICS_TOKEN = "scrape-secret"
    got = scrape(client, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"{scheme} scrape-secret")
    assert ("iris_jobs", (("state", "queued"),)) in got
    for wrong in ("bearer scrape-secreT", "bearerscrape-secret", "Basic scrape-secret"):
        response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=wrong)
        assert response.status_code == 403, wrong


def test_a_database_that_does_not_answer_is_a_plain_503(tmp_path) -> None:
    url = f"postgres://postgres@127.0.0.1:{closed_port()}/iris"
    with web_server(iris_env({"IRIS_DATABASE_URL": url}, tmp_path)) as base:
        reply = http("GET", base + "/metrics")
    assert reply.status == 503, reply.body
    assert reply.headers["Content-Type"].startswith("text/plain")
    text = reply.body.decode()
    assert text.startswith("database unavailable: OperationalError: "), text
