"""``manage.py iris_status`` reports queue depth and consumers from the real broker."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from iris.celery import QUEUES


def status_lines() -> list[str]:
    out = StringIO()
    call_command("iris_status", stdout=out)
    return out.getvalue().splitlines()


def test_says_async_is_off_in_the_embedded_default() -> None:
    assert status_lines() == ["async is off (IRIS_ASYNC=false): tasks run in-process, no queues."]


@pytest.mark.services
def test_lists_every_queue_with_its_worker(celery_worker) -> None:
    lines = status_lines()
    assert lines[0].split() == ["queue", "depth", "workers"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert set(rows) == set(QUEUES)
    for queue in QUEUES:
        depth, *workers = rows[queue]
        assert int(depth) >= 0
        assert celery_worker.name in " ".join(workers), (queue, workers)
