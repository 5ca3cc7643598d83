"""``/metrics``: the operational snapshot (iris/ops/metrics.py) as Prometheus metric
families, computed at scrape time by a custom collector: no in-process counters, which
the several gunicorn processes would each keep a part of."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from iris.ops.metrics import STEP_BUCKETS, Snapshot, snapshot

#: the text exposition format generate_latest writes
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class IrisCollector(Collector):
    """Every family of one :func:`snapshot`, taken when Prometheus scrapes."""

    def describe(self) -> list[Metric]:
        return []  # registering must not query the database

    def collect(self) -> Iterator[Metric]:
        numbers = snapshot()
        yield from job_families(numbers)
        yield from queue_families(numbers)
        yield step_family(numbers)
        yield from engine_families(numbers)
        yield from artifact_families(numbers)
        yield from maintenance_families(numbers)


def job_families(numbers: Snapshot) -> Iterator[Metric]:
    jobs = GaugeMetricFamily("iris_jobs", "Jobs by state.", labels=["state"])
    for state, count in numbers.jobs.items():
        jobs.add_metric([state], count)
    yield jobs
    stuck = GaugeMetricFamily(
        "iris_jobs_stuck",
        f"Jobs in a working state for longer than IRIS_STUCK_MINUTES ({numbers.stuck_minutes}).",
        labels=["state"],
    )
    for state, count in numbers.stuck_by_state.items():
        stuck.add_metric([state], count)
    yield stuck
    batches = GaugeMetricFamily(
        "iris_batches", "Translation batches of jobs under way, by state.", labels=["state"]
    )
    for state, count in numbers.batches.items():
        batches.add_metric([state], count)
    yield batches
    stopped = GaugeMetricFamily(
        "iris_batches_stopped",
        "Batches not done of jobs no longer under way (failed, cancelled): nobody runs them.",
        labels=["state"],
    )
    for state, count in numbers.stopped_batches.items():
        stopped.add_metric([state], count)
    yield stopped


def queue_families(numbers: Snapshot) -> Iterator[Metric]:
    waiting = GaugeMetricFamily(
        "iris_queue_waiting",
        "Tasks due on the queue that no worker has taken yet (the outbox).",
        labels=["queue"],
    )
    oldest = GaugeMetricFamily(
        "iris_queue_oldest_waiting_seconds",
        "Age of the oldest task waiting on the queue (0 when none waits).",
        labels=["queue"],
    )
    depth = GaugeMetricFamily(
        "iris_queue_depth", "Messages the broker holds in the queue.", labels=["queue"]
    )
    for queue, row in numbers.queues.items():
        waiting.add_metric([queue], row.waiting)
        oldest.add_metric([queue], row.oldest_waiting_seconds or 0.0)
        if row.broker_depth is not None:
            depth.add_metric([queue], row.broker_depth)
    yield from (waiting, oldest)
    if numbers.broker_error == "":  # the broker answered: its depths are in
        yield depth
    if numbers.broker_error is not None:  # tasks run on workers: is the broker there?
        yield GaugeMetricFamily(
            "iris_broker_up",
            "1 when the broker answered this scrape.",
            value=0 if numbers.broker_error else 1,
        )


def step_family(numbers: Snapshot) -> Metric:
    family = HistogramMetricFamily(
        "iris_step_duration_seconds",
        "Time finished jobs spent in each pipeline step.",
        labels=["step"],
    )
    for step, durations in numbers.steps.items():
        pairs = zip(STEP_BUCKETS, durations.buckets, strict=True)
        buckets = [(str(float(bound)), count) for bound, count in pairs]
        buckets.append(("+Inf", durations.count))
        family.add_metric([step], buckets, durations.total_seconds)
    return family


def engine_families(numbers: Snapshot) -> Iterator[Metric]:
    counters = {
        "requests": ("iris_engine_requests", "Engine requests that returned."),
        "characters": ("iris_engine_characters", "Characters sent to the engine."),
        "input_tokens": ("iris_engine_input_tokens", "Input tokens the engine counted."),
        "output_tokens": ("iris_engine_output_tokens", "Output tokens the engine counted."),
        "cost": ("iris_engine_cost_dollars", "What the engine requests cost, in US dollars."),
    }
    families = {
        name: CounterMetricFamily(metric, text, labels=["engine"])
        for name, (metric, text) in counters.items()
    }
    failed = GaugeMetricFamily(
        "iris_engine_failed_jobs", "Jobs failed in the translation step.", labels=["engine"]
    )
    retries = GaugeMetricFamily(
        "iris_engine_batch_retries",
        "Batch attempts beyond the first (transient engine errors, lost workers).",
        labels=["engine"],
    )
    for engine, row in numbers.engines.items():
        for name, family in families.items():
            family.add_metric([engine], getattr(row, name))
        failed.add_metric([engine], row.failed_jobs)
        retries.add_metric([engine], row.batch_retries)
    yield from families.values()
    yield from (failed, retries)


def artifact_families(numbers: Snapshot) -> Iterator[Metric]:
    count = GaugeMetricFamily("iris_artifacts", "Live artifacts by kind.", labels=["kind"])
    size = GaugeMetricFamily(
        "iris_artifact_bytes", "Bytes of the live artifacts by kind.", labels=["kind"]
    )
    for kind, row in numbers.artifacts.items():
        count.add_metric([kind], row.count)
        size.add_metric([kind], row.bytes)
    yield from (count, size)


def maintenance_families(numbers: Snapshot) -> Iterator[Metric]:
    run = numbers.maintenance
    if run is None:
        return
    findings = GaugeMetricFamily(
        "iris_maintenance_findings",
        "What each step of the last maintenance tick did or found.",
        labels=["step"],
    )
    failed = GaugeMetricFamily(
        "iris_maintenance_step_failed",
        "1 for each step of the last maintenance tick that failed.",
        labels=["step"],
    )
    for name, count in sorted(run.findings.items()):
        findings.add_metric([name], count)
        failed.add_metric([name], 1 if name in run.failed else 0)
    yield from (findings, failed)
    yield GaugeMetricFamily(
        "iris_maintenance_last_run_age_seconds",
        "Seconds since the last maintenance tick finished.",
        value=(numbers.taken_at - run.finished_at).total_seconds(),
    )


def exposition() -> bytes:
    """The metrics in the Prometheus text format, computed now."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(IrisCollector())
    return generate_latest(registry)
