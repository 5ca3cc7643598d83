"""``manage.py iris_status``: the numbers ``/metrics`` serves, for a person: jobs by state
and the stuck ones, each queue's waiting tasks, depth and workers, batches, step times,
engine usage, artifacts and the last maintenance tick."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from iris.ops.metrics import Snapshot, snapshot
from iris.ops.queues import queue_consumers
from iris.ops.schema import SchemaCommand

ASYNC_OFF = "async is off (IRIS_ASYNC=false): tasks run in-process, no queues."


class Command(SchemaCommand):
    help = "Show jobs by state, stuck jobs, queues and their workers, engine usage and storage."

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = snapshot()
        consumers = self.consumers(numbers)
        for section in (
            jobs_section(numbers),
            stuck_section(numbers),
            queues_section(numbers, consumers),
            steps_section(numbers),
            engines_section(numbers),
            artifacts_section(numbers),
            maintenance_section(numbers),
        ):
            self.stdout.write("\n".join(section) + "\n")
        if numbers.broker_error:  # everything else was shown; the exit status says it
            raise CommandError(numbers.broker_error)

    def consumers(self, numbers: Snapshot) -> dict[str, list[str]] | None:
        if numbers.broker_error != "":  # no broker, or it did not answer
            return None
        try:
            return queue_consumers()
        except Exception:  # the broker went away after answering: show none
            return None


def jobs_section(numbers: Snapshot) -> list[str]:
    lines = ["jobs"]
    lines += [f"  {state:<14}{count:>8}" for state, count in numbers.jobs.items()]
    lines.append(f"  {'total':<14}{sum(numbers.jobs.values()):>8}")
    return lines


def stuck_section(numbers: Snapshot) -> list[str]:
    head = f"stuck (in a working state over {numbers.stuck_minutes} min): {numbers.stuck_total}"
    lines = [head]
    for job in numbers.stuck:
        since = job["since"][:16].replace("T", " ")
        line = f"  job {job['job']:<8} {job['state']:<13} since {since} UTC ({job['minutes']} min)"
        lines.append(line)
    hidden = numbers.stuck_total - len(numbers.stuck)
    if hidden:
        lines.append(f"  … and {hidden} more")
    return lines


def queues_section(numbers: Snapshot, consumers: dict[str, list[str]] | None) -> list[str]:
    width = max(len(name) for name in numbers.queues)
    lines = [f"{'queue':<{width}}  waiting  oldest  depth  workers"]
    for name, row in numbers.queues.items():
        oldest = f"{row.oldest_waiting_seconds:.0f}s" if row.oldest_waiting_seconds else "-"
        depth = "-" if row.broker_depth is None else str(row.broker_depth)
        workers = "-" if consumers is None else (", ".join(consumers.get(name, [])) or "none")
        lines.append(f"{name:<{width}}  {row.waiting:>7}  {oldest:>6}  {depth:>5}  {workers}")
    if numbers.broker_error is None:
        lines.append(ASYNC_OFF)
    elif numbers.broker_error:
        lines.append(numbers.broker_error)
    batches = ", ".join(f"{state} {count}" for state, count in numbers.batches.items())
    lines.append(f"batches: {batches}")
    stopped = ", ".join(f"{state} {count}" for state, count in numbers.stopped_batches.items())
    lines.append(f"batches of stopped jobs: {stopped}")
    return lines


def steps_section(numbers: Snapshot) -> list[str]:
    lines = [f"{'step (finished jobs)':<20}  {'jobs':>6}  {'total s':>10}  {'mean s':>8}"]
    for step, row in numbers.steps.items():
        mean = row.total_seconds / row.count if row.count else 0.0
        lines.append(f"{step:<20}  {row.count:>6}  {row.total_seconds:>10.1f}  {mean:>8.2f}")
    return lines


def engines_section(numbers: Snapshot) -> list[str]:
    if not numbers.engines:
        return ["engines: no requests yet"]
    lines = ["engine          requests  characters  in tokens  out tokens  cost $  failed  retries"]
    for engine, row in numbers.engines.items():
        lines.append(
            f"{engine:<14}  {row.requests:>8}  {row.characters:>10}  {row.input_tokens:>9}"
            f"  {row.output_tokens:>10}  {row.cost:>6.2f}  {row.failed_jobs:>6}"
            f"  {row.batch_retries:>7}"
        )
    return lines


def artifacts_section(numbers: Snapshot) -> list[str]:
    lines = [f"{'artifacts':<16}  {'count':>6}  {'bytes':>14}"]
    for kind, row in numbers.artifacts.items():
        lines.append(f"{kind:<16}  {row.count:>6}  {row.bytes:>14}")
    return lines


def maintenance_section(numbers: Snapshot) -> list[str]:
    run = numbers.maintenance
    if run is None:
        return ["maintenance: no tick recorded"]
    age = int((numbers.taken_at - run.finished_at).total_seconds() // 60)
    lines = [f"maintenance: last tick finished {age} min ago"]
    for name, count in run.findings.items():
        failed = "  FAILED" if name in run.failed else ""
        lines.append(f"  {name:<24}{count:>8}{failed}")
    return lines
