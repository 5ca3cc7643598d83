"""Every tick stores its summary (a MaintenanceRun: when, dry run or not, per step its
count, line and ids) and the command prints it: one line per step, the duration last."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from iris.jobs.models import JobState
from iris.ops.maintenance import STEPS, format_summary
from iris.ops.models import MaintenanceRun
from tests.artifacts.helpers import make_job
from tests.ops.maintenance_helpers import expired_artifact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def test_the_summary_is_stored_and_printed(local_storage) -> None:
    expired_artifact()
    delivered_nothing = make_job(JobState.COMPLETED)
    out = io.StringIO()

    call_command("maintenance_tick", stdout=out)

    run = MaintenanceRun.objects.get()
    assert not run.dry_run
    assert run.started <= run.finished
    steps = run.summary["steps"]
    assert run.summary["order"] == [name for name, _step in STEPS]
    assert set(steps) == set(run.summary["order"])
    assert "review_coverage" in steps  # the slot the review work fills in
    assert steps["expired_artifacts"]["count"] == 1
    integrity = steps["integrity"]
    assert integrity["detail"]["completed_without_delivery"] == [delivered_nothing.pk]
    assert integrity["text"] == "completed without delivery 1"
    assert not any("error" in step for step in steps.values())
    printed = out.getvalue().rstrip("\n")
    assert printed == format_summary(run)
    lines = printed.splitlines()
    assert len(lines) == len(STEPS) + 2  # the heading, a line per step, the duration
    assert lines[1].split() == ["expired", "artifacts", "1", "deleted"]
    assert lines[-1].startswith("  duration")
