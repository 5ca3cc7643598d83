"""Following jobs from the command line: progress bars per step, deliveries, summary."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from tqdm import tqdm

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.jobs.models import Job, JobState, Origin, QaStatus
from iris.jobs.states import TERMINAL

POLL_SECONDS = 0.2
DONE = TERMINAL | {JobState.FAILED}
STEP_LABELS = {
    JobState.QUEUED: "queued",
    JobState.EXTRACTING: "extract",
    JobState.TRANSLATING: "translate",
    JobState.VERIFYING: "verify",
    JobState.IN_REVIEW: "review",
    JobState.REASSEMBLING: "reassemble",
}


class _Bars:
    """One bar per job and step; a step's bar closes when the job leaves the step."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.open: dict[int, tuple[str, tqdm]] = {}

    def show(self, job: Job) -> None:
        if self.quiet:
            return
        label = STEP_LABELS.get(JobState(job.state))
        current = self.open.get(job.pk)
        if current and current[0] != label:
            self._close(job.pk, complete=True)
            current = None
        if label is None:
            return
        if current is None:
            bar = tqdm(
                total=1,
                desc=f"{job.target_lang:>6} {label:<10}",
                unit="segment" if label == "translate" else "step",
                file=sys.stderr,
                leave=True,
                dynamic_ncols=True,
            )
            current = self.open[job.pk] = (label, bar)
        bar = current[1]
        if label == "translate" and job.segments_total:
            bar.total = job.segments_total
            bar.n = job.segments_done
            bar.refresh()

    def _close(self, job_id: int, *, complete: bool) -> None:
        _, bar = self.open.pop(job_id)
        if complete:
            bar.n = bar.total
            bar.refresh()
        bar.close()

    def close_all(self) -> None:
        for job_id in list(self.open):
            self._close(job_id, complete=False)


def follow(job_ids: list[int], *, quiet: bool, runner: threading.Thread) -> list[Job]:
    """Poll the jobs until each is completed, cancelled or failed."""
    bars = _Bars(quiet)
    try:
        while True:
            jobs = list(Job.objects.filter(pk__in=job_ids).order_by("pk"))
            for job in jobs:
                bars.show(job)
            if all(job.state in DONE for job in jobs):
                return jobs
            if not settings.IRIS_ASYNC and not runner.is_alive():
                # Eager runs happen in the runner thread; if it is gone, nothing moves.
                return jobs
            time.sleep(POLL_SECONDS)
    finally:
        bars.close_all()


def write_deliveries(jobs: list[Job], path_for: Callable[[Job], Path]) -> dict[int, Path]:
    """Write each completed job's translated document; job id -> path written."""
    written = {}
    for job in jobs:
        delivery = job.artifacts.filter(kind=ArtifactKind.DELIVERY).first()
        if job.state == JobState.COMPLETED and delivery is not None:
            path = path_for(job)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(read_artifact(delivery))
            written[job.pk] = path
    return written


def _fidelity(job: Job) -> str:
    report = job.artifacts.filter(kind=ArtifactKind.FIDELITY_REPORT).first()
    if report is None:
        return "not checked"
    data = json.loads(read_artifact(report))
    return "clean" if data.get("clean") else f"{len(data.get('differences', []))} differences"


def summary(jobs: list[Job], outputs: dict[int, Path], seconds: float) -> str:
    """The lines printed when the command ends."""
    lines = []
    for job in jobs:
        segments = job.segments
        reused = segments.filter(origin=Origin.REUSED).count()
        flagged = segments.filter(qa_status__in=(QaStatus.WARNING, QaStatus.ERROR)).count()
        lines.append(f"{job.source_name} {job.source_lang} -> {job.target_lang}: {job.state}")
        lines.append(
            f"  segments {job.segments_total}, words {job.words_total}, reused {reused}, "
            f"QA warnings {flagged}, fidelity {_fidelity(job)}"
        )
        if job.state == JobState.FAILED:
            lines.append(f"  failed in {job.failed_step}: {job.error}")
        if job.pk in outputs:
            lines.append(f"  written to {outputs[job.pk]}")
    lines.append(f"time {seconds:.1f}s")
    return "\n".join(lines)
