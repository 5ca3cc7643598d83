"""``iris review …`` and ``iris deliver``: the review gate from the command line.

``iris review status JOB`` shows coverage and what the gate waits for; ``export``
writes a review package (XLIFF 2.1 or bilingual DOCX) to a file; ``import`` reads a
reviewer's file back (all or nothing, with its report); ``iris deliver JOB --reason``
is a manager's "deliver now". Django is set up by the caller (iris/cli/commands.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from iris.cli.arguments import job_number

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: how long `import` waits for a worker to finish the import before leaving it running
IMPORT_WAIT_SECONDS = 300.0


def add_parsers(commands: Any) -> None:
    review = commands.add_parser("review", help="review a job before delivery")
    actions = review.add_subparsers(dest="review_command", required=True)
    status = actions.add_parser("status", help="coverage and what the review gate waits for")
    status.add_argument("job", type=job_number, metavar="JOB")
    export = actions.add_parser("export", help="write a review package")
    export.add_argument("job", type=job_number, metavar="JOB")
    export.add_argument("--format", choices=("xliff", "docx"), default="xliff")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: its name here)")
    imported = actions.add_parser("import", help="import a reviewer's file (all or nothing)")
    imported.add_argument("job", type=job_number, metavar="JOB")
    imported.add_argument("file", type=Path)
    imported.add_argument(
        "-o",
        "--output",
        type=Path,
        help="in-process, when the import meets the review gate: where to write the "
        "translated document (default: this folder)",
    )
    imported.add_argument(
        "--repair", action="store_true", help="take the repaired target where tags are broken"
    )
    imported.add_argument(
        "--conflicts",
        choices=("package", "iris"),
        default="",
        help="which side wins where Iris and the file both changed a segment",
    )
    deliver = commands.add_parser("deliver", help="deliver a job in review now (managers)")
    deliver.add_argument("job", type=job_number, metavar="JOB")
    deliver.add_argument("--reason", required=True, help="why, for the audit log")
    deliver.add_argument(
        "-o",
        "--output",
        type=Path,
        help="in-process: where to write the translated document (default: this folder)",
    )


class ReviewCommandError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def run_review(args: argparse.Namespace) -> int:
    """Run ``iris review …`` or ``iris deliver``; raises `ReviewCommandError`."""
    from iris.jobs.models import Job
    from iris.review.actions import ReviewError

    job = Job.objects.filter(pk=args.job).first()
    if job is None:
        raise ReviewCommandError(f"no such job: {args.job}")
    try:
        if args.command == "deliver":
            return _deliver(job, args.reason)
        handler = {"status": _status, "export": _export, "import": _import}
        return handler[args.review_command](job, args)
    except ReviewError as exc:
        raise ReviewCommandError(str(exc)) from None


def _status(job: Any, args: argparse.Namespace) -> int:
    from iris.review.coverage import gate

    now = gate(job)
    cover = now.coverage
    print(
        f"{job.pk}: {job.state}; reviewed {cover.segments_reviewed}/{cover.segments_total} "
        f"segments ({cover.segments_pct:.1f} %), {cover.words_reviewed}/{cover.words_total} "
        f"words ({cover.words_pct:.1f} %); QA errors open: {cover.qa_errors_open}"
    )
    for reviewer, counts in sorted(cover.by_reviewer.items()):
        print(f"  {reviewer}: {counts['segments']} segments, {counts['words']} words")
    if job.state == "in_review":
        print("gate: met" if now.met else "gate waits for: " + "; ".join(now.reasons))
    return EXIT_OK


def _export(job: Any, args: argparse.Namespace) -> int:
    from iris.artifacts.storage import read_artifact
    from iris.governance.actions import command_line_actor
    from iris.review.actions import export_package
    from iris.review.models import ReviewFormat

    export = export_package(job.pk, ReviewFormat(args.format), command_line_actor())
    assert export.artifact is not None
    path = args.output or Path(export.artifact.name)
    path.write_bytes(read_artifact(export.artifact))
    print(f"{job.pk}: {export.units} segments written to {path} (package {export.package})")
    return EXIT_OK


def _import(job: Any, args: argparse.Namespace) -> int:
    from iris.governance.actions import command_line_actor
    from iris.review.actions import submit_import
    from iris.review.models import ImportStatus

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise ReviewCommandError(f"cannot read {args.file}: {exc.strerror}") from None
    row = submit_import(
        job.pk,
        data,
        args.file.name,
        command_line_actor(),
        repair=args.repair,
        conflicts=args.conflicts,
    )
    deadline = time.monotonic() + IMPORT_WAIT_SECONDS
    row.refresh_from_db()
    while row.status == ImportStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        row.refresh_from_db()
    if row.status == ImportStatus.PENDING:
        print(f"{job.pk}: import {row.pk} still waits for a worker on the review_io queue")
        return EXIT_FAILED
    _print_report(job.pk, row.pk, row.report)
    job.refresh_from_db()
    if row.status == ImportStatus.APPLIED and job.state != "in_review":
        print(f"{job.pk}: the review gate is met; the job went on to delivery ({job.state})")
    return EXIT_OK if row.status == ImportStatus.APPLIED else EXIT_FAILED


def _print_report(job_id: int, import_id: int, report: dict[str, Any]) -> None:
    if report.get("accepted"):
        print(
            f"{job_id}: import {import_id} applied: {report['segments_changed']} segments "
            f"changed, {report['targets_edited']} targets edited "
            f"({report['targets_repaired']} repaired)"
        )
    else:
        print(f"{job_id}: import {import_id} refused; nothing was changed:", file=sys.stderr)
    for problem in report.get("errors", []):
        unit = f"{problem['unit']}: " if problem.get("unit") else ""
        print(f"  error {problem['code']}: {unit}{problem['message']}", file=sys.stderr)
        if problem["code"] == "broken_tags" and problem.get("offer"):
            print(f"    repaired: {problem['offer']} (take it with --repair)", file=sys.stderr)
    for problem in report.get("warnings", []):
        unit = f"{problem['unit']}: " if problem.get("unit") else ""
        print(f"  warning {problem['code']}: {unit}{problem['message']}")


def _deliver(job: Any, reason: str) -> int:
    from iris.governance.actions import command_line_actor
    from iris.review.actions import deliver_now

    moved = deliver_now(job.pk, reason, command_line_actor())
    print(f"{job.pk}: delivery requested ({moved.state})")
    return EXIT_OK
