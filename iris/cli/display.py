"""Following jobs from the command line: a progress bar per step, deliveries, summary.

Everything shown comes from the jobs' read-model (iris/jobs/progress.py), the same
one the API and the console use; nothing here queries tables or storage itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from tqdm import tqdm

from iris.docx import policy_summary
from iris.jobs.models import JobState, Origin, QaStatus, Step
from iris.jobs.progress import (
    JobReport,
    JobStatus,
    StepStatus,
    delivery_bytes,
    job_report,
    job_status,
)
from iris.memory.analysis import render as render_analysis
from iris.ops.queues import why_waiting

POLL_SECONDS = 0.25
#: without progress for this long, following jobs on workers says why
STALL_NOTICE_SECONDS = 30.0
LABELS = {
    Step.CONVERT: "convert",
    Step.EXTRACT: "extract",
    Step.TRANSLATE: "translate",
    Step.VERIFY: "verify",
    Step.REVIEW: "review",
    Step.REASSEMBLE: "reassemble",
}


class _Bars:
    """One bar per job and step, opened as the job reaches the step. Polling can miss
    a fast step: a step seen done is drawn complete, whenever it is first seen."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bars: dict[tuple[int, Step], tqdm] = {}

    def show(self, status: JobStatus) -> None:
        if self.quiet:
            return
        for step in status.steps:
            if step.status == StepStatus.WAITING:
                break
            bar = self._bar(status, step.step, step.total)
            bar.total = max(1, step.total)
            bar.n = step.done
            bar.refresh()
            if step.status == StepStatus.DONE:
                bar.close()

    def _bar(self, status: JobStatus, step: Step, total: int) -> tqdm:
        key = (status.id, step)
        if key not in self.bars:
            label = LABELS[step]
            self.bars[key] = tqdm(
                total=max(1, total),
                desc=f"{status.target_lang:>6} {label:<10}",
                unit="segment" if step == Step.TRANSLATE else "step",
                file=sys.stderr,
                leave=True,
                dynamic_ncols=True,
            )
        return self.bars[key]

    def close_all(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Stalled(Exception):
    """Following gave up: no job made progress for the time allowed."""


def follow(
    job_ids: list[int],
    *,
    quiet: bool,
    runner: threading.Thread,
    timeout: float | None = None,
    notice_after: float = STALL_NOTICE_SECONDS,
) -> list[JobStatus]:
    """Poll the jobs until each is completed, cancelled or failed, or waits for people
    (in review).

    With workers, when no job has moved for ``notice_after`` seconds, say once why
    (paused, no worker on the queue, broker unreachable); after ``timeout`` seconds
    without progress, raise :class:`Stalled` (the jobs go on)."""
    if quiet and not settings.IRIS_ASYNC:
        # Nothing to show and nothing to watch for: the run in this process is the
        # progress, and polling the database beside it would only slow it down.
        while runner.is_alive():
            runner.join(POLL_SECONDS)  # in steps, so that Ctrl-C is heard at once
        return job_status(job_ids)
    bars = _Bars(quiet)
    last_progress, last_seen, noticed = time.monotonic(), None, False
    try:
        while True:
            statuses = job_status(job_ids)
            for status in statuses:
                bars.show(status)
            if all(status.finished or status.waits_for_people for status in statuses):
                return statuses
            if not settings.IRIS_ASYNC and not runner.is_alive():
                # Eager runs happen in the runner thread; if it is gone, nothing moves.
                return statuses
            seen = [(s.state, s.step, s.segments_done) for s in statuses]
            if seen != last_seen:
                last_progress, last_seen, noticed = time.monotonic(), seen, False
            idle = time.monotonic() - last_progress
            if settings.IRIS_ASYNC and idle >= notice_after and not noticed:
                noticed = True
                print(f"iris: no progress for {idle:.0f}s: {_why(statuses)}", file=sys.stderr)
            # In-process the work is this process's own: it is never left behind.
            if settings.IRIS_ASYNC and timeout is not None and idle >= timeout:
                raise Stalled(f"no progress for {idle:.0f}s: {_why(statuses)}")
            if runner.is_alive():
                runner.join(POLL_SECONDS)  # returns at once when an eager run ends
            else:
                time.sleep(POLL_SECONDS)
    finally:
        bars.close_all()


def _why(statuses: list[JobStatus]) -> str:
    """Why the unfinished jobs are not moving, as far as can be told from here."""
    waiting = [s for s in statuses if not s.finished]
    paused = [s for s in waiting if s.state == JobState.PAUSED]
    if paused:
        ids = " ".join(str(s.id) for s in paused)
        return f"job {ids} is paused (resume with: iris resume {ids})"
    reason = why_waiting(next((s.queue for s in waiting if s.queue), None))
    return reason or "the workers are busy or the step is long; still waiting"


def write_deliveries(
    reports: list[JobReport], path_for: Callable[[str], Path]
) -> tuple[dict[int, Path], dict[int, str]]:
    """Write each completed job's translated document: job id -> path written, and job
    id -> why its document could not be written (one line; the file is then untouched:
    each is written whole to a temporary file beside it, then renamed over it).

    ``path_for`` gets the delivery's file name (``report.fr.docx``) and says where
    to write it."""
    written, unwritten = {}, {}
    for report in reports:
        job_id = report.status.id
        data = None if report.delivery is None else delivery_bytes(job_id)
        if report.delivery is None or data is None:
            continue
        path = path_for(report.delivery.name)
        try:
            _write_whole(path, data)
        except OSError as exc:
            unwritten[job_id] = f"cannot write {path}: {exc.strerror or exc}"
            continue
        written[job_id] = path
    return written, unwritten


def _write_whole(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".iris-", delete=False) as file:
        partial = Path(file.name)
        try:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        except BaseException:
            file.close()
            partial.unlink(missing_ok=True)
            raise
    try:
        partial.chmod(0o644)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _fidelity(job_id: int, fidelity: dict[str, object]) -> str:
    if not fidelity:
        return "not checked"
    text = "clean" if fidelity.get("clean") else f"{fidelity.get('differences')} differences"
    restored = fidelity.get("restored")
    if restored:  # segments whose translation broke the document, delivered in the source
        text += f" after {restored} segment(s) were put back in the source language"
    unchanged = fidelity.get("unchanged")
    if unchanged:  # names and codes, or text never sent: fidelity.json lists them
        text += (
            f"; {unchanged} stretch(es) of source text unchanged "
            f"(listed by `iris report {job_id} fidelity`)"
        )
    policy = fidelity.get("policy")
    if isinstance(policy, dict) and policy:  # e.g. tracked changes accepted
        text += f"; {policy_summary(policy)}"
    return text


def _qa(report: JobReport) -> str:
    errors = report.qa.get(QaStatus.ERROR, 0)
    warnings = report.qa.get(QaStatus.WARNING, 0)
    text = f"{errors} segment(s) with errors, {warnings} with warnings"
    repaired = report.qa_checks.get("repaired", 0)
    failed = report.qa_checks.get("repair_failed", 0)
    if repaired or failed:
        text += f"; sent back to the engine: {repaired} repaired, {failed} still failing"
    return text


def reports(job_ids: list[int]) -> list[JobReport]:
    """The finished jobs' reports, read once for both the files and the summary."""
    return [job_report(job_id) for job_id in job_ids]


def summary(reports: list[JobReport], outputs: dict[int, Path], seconds: float) -> str:
    """The lines printed when the command ends."""
    lines = []
    for report in reports:
        job = report.status
        job_id = job.id
        lines.append(
            f"{job.source_name} {job.source_lang} -> {job.target_lang}: {job.state} (job {job_id})"
        )
        lines.append(
            f"  segments {job.segments_total}, words {job.words_total}, "
            f"reused {report.origins.get(Origin.REUSED, 0)}, "
            f"fidelity {_fidelity(job_id, report.fidelity)}"
        )
        qa = _qa(report)
        if report.qa_flagged:
            qa += f" (listed by `iris report {job_id} qa`)"
        lines.append(f"  QA: {qa}")
        if report.terms.get("terms"):
            terms = report.terms
            lines.append(
                f"  glossary: {terms['compliance']} % of {terms['terms']} term(s) followed "
                f"({terms['violations']} finding(s))"
            )
        if report.analysis.get("segments"):
            lines.append(f"  memory analysis ({report.analysis['formula']}):")
            lines.extend(f"    {line}" for line in render_analysis(report.analysis))
        usage = report.usage
        lines.append(
            f"  engine {job.engine}: {int(usage.get('characters', 0)):,} characters, "
            f"{int(usage.get('tokens', 0)):,} tokens, cost ${usage.get('cost', 0.0):,.4f}"
        )
        if job.state == JobState.PAUSED and job.paused_reason:
            lines.append(f"  {job.paused_reason}")
        if job.state == JobState.FAILED:
            lines.append(f"  failed in {job.failed_step}: {job.error}")
        elif job.state == JobState.REJECTED:
            lines.append(f"  rejected in {job.failed_step}: {job.error}")
        if job_id in outputs:
            lines.append(f"  written to {outputs[job_id]}")
    lines.append(f"time {seconds:.1f}s")
    return "\n".join(lines)
