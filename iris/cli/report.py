"""``iris report JOB [KIND]``: a job's reports, written to a file (or printed).

The summary of ``iris translate`` counts what the reports list (QA findings, source
text left unchanged, what the policy changed, memory bands); this command hands over
the reports themselves, from wherever the job's artifacts are stored (local folder or
S3): ``qa`` (the QA report as one HTML page), ``qa-json``, ``fidelity`` and
``analysis``. Django is set up by the caller (iris/cli/commands.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from iris.cli.arguments import job_number
from iris.cli.review import ReviewCommandError

#: the kinds a user asks for -> the artifact kind stored by the pipeline
KINDS = {
    "qa": "qa_report_html",
    "qa-json": "qa_report",
    "fidelity": "fidelity_report",
    "analysis": "analysis",
}


def add_report_parser(commands: Any) -> None:
    report = commands.add_parser("report", help="write a job's QA, fidelity or memory report")
    report.add_argument("job", type=job_number, metavar="JOB")
    report.add_argument(
        "kind",
        nargs="?",
        choices=tuple(KINDS),
        default="qa",
        help="qa (HTML, the default), qa-json, fidelity or analysis (JSON)",
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write (default: its name, in this folder; '-' prints it)",
    )


def run_report(args: argparse.Namespace) -> int:
    """Write the newest report of the asked kind; raises `ReviewCommandError` when the
    job does not exist or has no such report yet (it is made at QA or reassembly)."""
    from iris.artifacts.models import Artifact
    from iris.artifacts.storage import read_artifact
    from iris.jobs.models import Job
    from iris.jobs.states import TERMINAL

    job = Job.objects.filter(pk=args.job).first()
    if job is None:
        raise ReviewCommandError(f"no such job: {args.job}")
    artifact = Artifact.objects.filter(job=job, kind=KINDS[args.kind]).order_by("-pk").first()
    if artifact is None:
        when = "" if job.state in TERMINAL else " yet"  # a failed job may be retried
        raise ReviewCommandError(
            f"job {job.pk} ({job.state}) has no {args.kind} report{when}: QA writes the qa "
            "and analysis reports, reassembly the fidelity report"
        )
    data = read_artifact(artifact)
    if args.output == Path("-"):
        sys.stdout.buffer.write(data)
        return 0
    path = args.output or Path(artifact.name)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ReviewCommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"{job.pk}: {args.kind} report written to {path}")
    return 0
