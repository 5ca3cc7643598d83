"""Per-step wall time of a job, for the summary, the console and the benchmarks."""

from __future__ import annotations

from django.db import transaction

from iris.jobs.models import Job


def add_step_time(job_id: int, step: str, seconds: float) -> None:
    """Add ``seconds`` to the job's time in ``step`` (safe under concurrent workers)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().only("step_seconds").get(pk=job_id)
        times = dict(job.step_seconds)
        times[step] = round(times.get(step, 0.0) + seconds, 6)
        Job.objects.filter(pk=job_id).update(step_seconds=times)
