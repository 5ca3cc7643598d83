"""``manage.py iris_status``: the numbers /metrics serves, for a person (jobs by state,
stuck jobs, queues with their waiting tasks, depth and workers from the real broker)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from iris.celery import QUEUES
from iris.jobs.models import JobState
from iris.ops.maintenance import run_tick
from iris.ops.management.commands.iris_status import ASYNC_OFF
from tests.ops.snapshot_data import populate, scrape
from tests.support import closed_port, manage, migrated_env


def status_lines() -> list[str]:
    out = StringIO()
    call_command("iris_status", stdout=out)
    return out.getvalue().splitlines()


def section(lines: list[str], head: str) -> list[str]:
    """The indented lines under the line ``head`` starts."""
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        rows.append(line)
    return rows


def queue_rows(lines: list[str]) -> dict[str, list[str]]:
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["queue", "waiting"])
    assert lines[start].split() == ["queue", "waiting", "oldest", "depth", "workers"]
    rows = lines[start + 1 : start + 1 + len(QUEUES)]
    return {row.split()[0]: row.split()[1:] for row in rows}


@pytest.mark.django_db
def test_says_async_is_off_in_the_embedded_default() -> None:
    lines = status_lines()
    assert ASYNC_OFF in lines
    rows = queue_rows(lines)
    assert set(rows) == set(QUEUES)
    assert all(row[2:] == ["-", "-"] for row in rows.values()), rows  # no depth, no workers


@pytest.mark.everywhere
@pytest.mark.django_db
def test_shows_the_job_counts_metrics_serves_and_the_stuck_job(client: Client) -> None:
    stuck = populate()
    metrics = scrape(client)
    lines = status_lines()
    shown = {row.split()[0]: int(row.split()[1]) for row in section(lines, "jobs")}
    served = {state.value: metrics[("iris_jobs", (("state", state.value),))] for state in JobState}
    assert shown.pop("total") == sum(served.values()) == 9
    assert shown == served
    stuck_head = next(line for line in lines if line.startswith("stuck"))
    assert stuck_head.endswith(": 1")
    [stuck_row] = section(lines, "stuck")
    assert stuck_row.split()[:3] == ["job", str(stuck.pk), "translating"]
    assert stuck_row.endswith("(120 min)")
    waiting, oldest = queue_rows(lines)["translate_batch"][:2]
    assert (waiting, oldest[-1]) == ("2", "s")
    assert 590 <= int(oldest[:-1]) < 900


def test_a_dead_broker_fails_the_command_after_the_database_numbers(tmp_path) -> None:
    env = {"IRIS_ASYNC": "true", "IRIS_BROKER_URL": f"redis://127.0.0.1:{closed_port()}/0"}
    done = manage("iris_status", env=migrated_env(env, tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unreachable" in done.stderr
    assert done.stdout.splitlines()[0] == "jobs"
    assert "  total" in done.stdout


@pytest.mark.services
@pytest.mark.django_db
def test_lists_every_queue_with_its_worker(celery_worker) -> None:
    rows = queue_rows(status_lines())
    assert set(rows) == set(QUEUES)
    for queue in QUEUES:
        waiting, oldest, depth, *workers = rows[queue]
        assert (waiting, oldest) == ("0", "-")
        assert depth.isdigit()
        assert celery_worker.name in " ".join(workers), (queue, workers)


@pytest.mark.django_db
def test_shows_the_last_maintenance_tick() -> None:
    assert "maintenance: no tick recorded" in status_lines()
    populate()
    run = run_tick().run
    assert run is not None
    lines = status_lines()
    assert "maintenance: last tick finished 0 min ago" in lines
    shown = {row.split()[0]: int(row.split()[1]) for row in section(lines, "maintenance")}
    assert shown == {name: step["count"] for name, step in run.summary["steps"].items()}
    assert shown["stuck_jobs"] == 1
