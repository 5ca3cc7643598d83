"""Beat schedules the maintenance tick (the schedule declared once, in iris/celery.py):
with a 2-second interval, beat and a worker together store a tick's summary."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from iris.ops.maintenance import STEPS
from iris.ops.models import MaintenanceRun
from tests.support import ROOT, wait_for
from tests.workers import database_url

pytestmark = pytest.mark.services


@pytest.fixture
def beat(worker_factory, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``celery -A iris beat`` on the test database, its schedule file in ``tmp_path``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "IRIS_DATABASE_URL": database_url(dict(connection.settings_dict)),
        "IRIS_MAINTENANCE_SECONDS": "2",
    }
    worker_factory(IRIS_MAINTENANCE_SECONDS="2")
    command = [sys.executable, "-m", "celery", "-A", "iris", "beat", "--loglevel", "INFO"]
    command += ["--schedule", str(tmp_path / "beat-schedule")]
    with (tmp_path / "beat.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_beat_runs_the_tick_and_its_summary_is_stored(beat, tmp_path: Path) -> None:
    def ticked_twice() -> bool:
        assert beat.poll() is None, (tmp_path / "beat.log").read_text()
        return MaintenanceRun.objects.count() >= 2  # on the interval, not once at start

    wait_for(ticked_twice, 60, "two maintenance ticks sent by beat")
    run = MaintenanceRun.objects.order_by("started").first()
    assert run is not None
    assert not run.dry_run
    assert "maintenance_tick" in (tmp_path / "beat.log").read_text()
    assert run.summary["order"] == [name for name, _step in STEPS]
    assert not any("error" in step for step in run.summary["steps"].values())
