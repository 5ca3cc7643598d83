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
#: the steps a job passes through, in order, with their bar labels
STEPS: tuple[tuple[JobState, str], ...] = (
    (JobState.QUEUED, "queued"),
    (JobState.EXTRACTING, "extract"),
    (JobState.TRANSLATING, "translate"),
    (JobState.VERIFYING, "verify"),
    # in_review joins here with the review gate; until then no job passes through it
    (JobState.REASSEMBLING, "reassemble"),
)
POSITION = {state: index for index, (state, _label) in enumerate(STEPS)}


class _Bars:
    """One bar per job and step. Polling can miss a fast step, so when a job is seen
    further on, the bars of the steps it went through are drawn complete."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.shown: dict[int, int] = {}  # job id -> position of its open bar
        self.open: dict[int, tqdm] = {}

    def show(self, job: Job) -> None:
        if self.quiet:
            return
        state = JobState(job.state)
        if state == JobState.COMPLETED:
            reached = len(STEPS)
        elif state in POSITION:
            reached = POSITION[state]
        else:
            return  # paused, failed or cancelled: the open bar stays where it is
        if reached > POSITION[JobState.TRANSLATING]:
            self._translated(job)
        while self.shown.get(job.pk, -1) < reached:
            self._next(job)
        if state == JobState.TRANSLATING:
            self._translated(job)

    def _next(self, job: Job) -> None:
        position = self.shown.get(job.pk, -1)
        if job.pk in self.open:
            self._close(job.pk, complete=True)
        position += 1
        self.shown[job.pk] = position
        if position < len(STEPS):
            label = STEPS[position][1]
            self.open[job.pk] = tqdm(
                total=1,
                desc=f"{job.target_lang:>6} {label:<10}",
                unit="segment" if label == "translate" else "step",
                file=sys.stderr,
                leave=True,
                dynamic_ncols=True,
            )

    def _translated(self, job: Job) -> None:
        bar = self.open.get(job.pk)
        if bar is not None and self.shown[job.pk] == POSITION[JobState.TRANSLATING]:
            bar.total = max(1, job.segments_total)
            bar.n = job.segments_done
            bar.refresh()

    def _close(self, job_id: int, *, complete: bool) -> None:
        bar = self.open.pop(job_id)
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
