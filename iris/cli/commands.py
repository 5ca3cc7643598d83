"""``iris translate IN.docx --to fr``: the main job.

It accepts .docx, .doc, .rtf and .odt (sniffed from the content, not the name). With
no configuration it runs on the embedded default (SQLite under ``var/``, tasks
in-process, local storage); with ``IRIS_ASYNC=true`` it submits to the broker and
follows the workers' progress. Exit codes: 0 delivered, 1 a job failed or was
cancelled, 2 bad usage (missing file, unknown language or engine), 3 the document was
rejected (not a Word document, encrypted, damaged, unconvertible...), 4 paused at its
budget, 5 waiting for human review (``--review``; see iris/cli/review.py).

Start-up matters for a command: Django, the pipeline and the document library are
imported only once the arguments are known to be usable.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iris.cli.arguments import job_number, positive_seconds
from iris.cli.report import add_report_parser, run_report
from iris.cli.review import ReviewCommandError, add_parsers, run_review
from iris.ops.process import collect_less

if TYPE_CHECKING:
    from iris.jobs.progress import JobStatus

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DOCUMENT = 0, 1, 2, 3
EXIT_PAUSED = 4  # a job paused itself (its budget reached): resume it to go on
EXIT_IN_REVIEW = 5  # a job waits for human review: export, review, import, then delivery
EXIT_INTERRUPTED = 130  # what shells report for a command stopped by Ctrl-C
CONTROL_COMMANDS = ("pause", "resume", "cancel", "retry")
BROKER_TIMEOUT = 3.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iris", description="Translate Word documents.")
    commands = parser.add_subparsers(dest="command", required=True)
    translate = commands.add_parser("translate", help="translate a .docx")
    translate.add_argument(
        "input", type=Path, help="the document to translate (.docx, .doc, .rtf, .odt)"
    )
    translate.add_argument(
        "--to",
        dest="targets",
        action="append",
        required=True,
        metavar="LANG",
        help="target language (BCP-47, e.g. fr, de, pt-BR); repeat for several",
    )
    translate.add_argument(
        "--from",
        dest="source",
        default="auto",
        metavar="LANG",
        help="source language (default: detected)",
    )
    translate.add_argument(
        "--engine",
        default="",
        help="translation engine: pseudo, apertium, openai, deepl (default: IRIS_DEFAULT_ENGINE)",
    )
    translate.add_argument(
        "--engine-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="engine option, repeatable",
    )
    translate.add_argument(
        "-o", "--output", type=Path, help="output file (one target) or folder (several targets)"
    )
    translate.add_argument(
        "--review",
        action="store_true",
        help="stop for human review before delivery (see `iris review --help`)",
    )
    translate.add_argument(
        "--review-coverage",
        type=int,
        metavar="PCT",
        help="with --review: the share of segments and words to review first (default 100)",
    )
    translate.add_argument(
        "--keep-format",
        action="store_true",
        help="deliver a .doc, .rtf or .odt source in its own format (default: .docx)",
    )
    translate.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a switch of what the document gives to translation, repeatable: "
        "excluded_styles=Code,NoTranslate  alt_text=false  hidden=false  "
        "properties=core,app,custom (python -m iris.docx units --help lists them)",
    )
    translate.add_argument(
        "--preview",
        action="store_true",
        help="print what would be extracted, per part and kind, with word counts, and stop "
        "(nothing runs)",
    )
    translate.add_argument(
        "--estimate",
        action="store_true",
        help="print what each target would use and cost, and stop (nothing runs)",
    )
    translate.add_argument(
        "--analyse",
        "--analyze",
        action="store_true",
        help="print each target's translation memory analysis (words by match band), "
        "and stop (nothing runs)",
    )
    translate.add_argument(
        "--budget",
        type=float,
        metavar="USD",
        help="pause a job before a batch that would take its cost over USD "
        "(default: IRIS_DEFAULT_BUDGET; 0 or unset: no cap)",
    )
    translate.add_argument(
        "--qa-skip",
        action="append",
        default=[],
        metavar="CHECK",
        help="a QA check not to run (its id, e.g. length); repeatable",
    )
    translate.add_argument(
        "--qa-error",
        action="append",
        default=[],
        metavar="CHECK",
        help="a QA check whose findings are errors (e.g. language); repeatable",
    )
    translate.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    translate.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="with workers: stop following (the jobs go on) after SECONDS without progress "
        "(in-process the command runs the jobs and waits for them)",
    )
    status = commands.add_parser("status", help="where jobs are")
    status.add_argument("jobs", nargs="+", type=job_number, metavar="JOB")
    for command in CONTROL_COMMANDS:
        control = commands.add_parser(command, help=f"{command} a job")
        control.add_argument("jobs", nargs="+", type=job_number, metavar="JOB")
        if command == "resume":
            control.add_argument(
                "--budget", type=float, metavar="USD", help="the jobs' new budget (0: no cap)"
            )
        if command in ("resume", "retry"):
            control.add_argument(
                "-o",
                "--output",
                type=Path,
                help="in-process: where to write the translated document once the job is "
                "done (a file, or a folder for several jobs; default: this folder)",
            )
    add_parsers(commands)
    add_report_parser(commands)
    return parser


class CommandError(Exception):
    """Ends the command: its message on stderr (one line per problem) and ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iris.settings")
    # A local command serves nobody and signs nothing that outlives it, so without a
    # configured key a throw-away one is enough (the web process still requires one).
    os.environ.setdefault("IRIS_SECRET_KEY", secrets.token_urlsafe(50))
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup(set_prefix=False)  # no URLs to resolve: skips the script prefix
    except ImproperlyConfigured as exc:  # a setting: one line naming it
        raise CommandError(f"configuration error: {exc}") from None
    _quiet_console()
    _run_checks()
    _ensure_schema()


def _run_checks() -> None:
    """The system checks of contradictory settings (``iris.E0xx``), before any work."""
    from django.core.checks import run_checks

    from iris.ops.checks import IRIS_CHECKS

    errors = [m for m in run_checks(tags=[IRIS_CHECKS]) if m.is_serious()]
    if errors:
        lines = [f"{m.id}: {m.msg}" + (f" {m.hint}" if m.hint else "") for m in errors]
        raise CommandError("\n".join(f"configuration error: {line}" for line in lines))


def _quiet_console() -> None:
    """The terminal shows progress bars and the summary; log lines below WARNING go
    only to the log file (eager runs would otherwise print every task's INFO line)."""
    import logging

    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)


def _ensure_schema() -> None:
    from iris.ops.schema import SchemaNotReady, ensure_schema

    try:
        ensure_schema()
    except SchemaNotReady as exc:
        raise SystemExit(f"iris: {exc}") from None


def _options(pairs: Sequence[str], what: str = "engine option") -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"{what} {pair!r} is not KEY=VALUE")
        options[key.strip()] = value
    return options


def _qa_policy(skip: Sequence[str], errors: Sequence[str]) -> dict[str, Any] | None:
    """The job's QA option from ``--qa-skip`` and ``--qa-error`` (checked at submission)."""
    policy: dict[str, Any] = {}
    if skip:
        policy["disable"] = list(skip)
    if errors:
        policy["severity"] = dict.fromkeys(errors, "error")
    return policy or None


def _review_policy(coverage: int | None) -> dict[str, Any] | None:
    return None if coverage is None else {"segments": coverage, "words": coverage}


def _output_path(source: Path, output: Path | None, delivered_name: str, *, several: bool) -> Path:
    """Where a delivery is written: ``-o`` (a folder when there are several, or when it
    is one), else beside ``source`` (the document; for a control command, a folder)."""
    if output is None:
        return (source if source.is_dir() else source.parent) / delivered_name
    return output / delivered_name if several or output.is_dir() else output


def main(argv: Sequence[str] | None = None) -> int:
    collect_less()  # before the imports: they are most of a small job's time
    args = _parser().parse_args(argv)
    try:
        if args.command == "translate":
            _check_paths(args.input, args.output, len(set(args.targets)) > 1)
        _setup_django()
        if args.command == "translate":
            return translate(args)
        if args.command == "status":
            return _status(args.jobs)
        if args.command == "report":
            return run_report(args)
        if args.command in ("review", "deliver"):
            started = time.monotonic()
            code = run_review(args)
            gate = args.command == "deliver" or args.review_command == "import"
            if gate and code == EXIT_OK and _past_review(args.job):
                return _delivered_here(args, [args.job], started)
            return code
        return _control(args, args.command, args.jobs, getattr(args, "budget", None))
    except (CommandError, ReviewCommandError) as exc:
        for line in str(exc).splitlines():
            print(f"iris: {line}", file=sys.stderr)
        return exc.code


def _check_paths(source: Path, output: Path | None, several: bool) -> None:
    """Refuse at once what would fail after the work: a missing source, an output that
    is the source itself, an output that cannot be written (tried, not guessed from
    permission bits, which say yes to root on a read-only file system)."""
    if source.is_dir():
        raise CommandError(f"{source} is a folder, not a document")
    if not source.is_file():
        if source.exists():  # a FIFO, a device: nothing Iris reads as a document
            raise CommandError(f"{source} is not a regular file")
        raise CommandError(f"no such file: {source}")
    if output is None:
        return
    if any(len(os.fsencode(name)) > 255 for name in output.parts):
        raise CommandError(f"cannot write {output}: a name in it is too long for a file system")
    if output.exists() and not output.is_dir() and output.resolve() == source.resolve():
        raise CommandError(f"-o {output} is the source document; it is never overwritten")
    if output.exists() and not (output.is_dir() or output.is_file()):
        raise CommandError(f"cannot write {output}: it is not a regular file or a folder")
    if several and output.exists() and not output.is_dir():
        raise CommandError(f"-o {output} must be a folder: there are several target languages")
    existing = output
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != output and not existing.is_dir():
        raise CommandError(f"cannot write {output}: {existing} is not a folder")
    try:
        if output.is_file():
            with output.open("r+b"):
                pass  # opened for writing, left as it is
        else:
            with tempfile.TemporaryFile(dir=existing if existing.is_dir() else existing.parent):
                pass
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None


def _require_broker() -> None:
    """With workers, refuse to submit while the broker cannot be reached (the jobs
    would wait for a message that cannot be sent)."""
    from django.conf import settings

    if not settings.IRIS_ASYNC:
        return
    from iris.ops.health import probe_broker
    from iris.ops.redact import masked

    try:
        probe_broker(BROKER_TIMEOUT)
    except Exception as exc:  # whatever the transport raises: the cause is shown
        where = masked(settings.IRIS_BROKER_URL)
        raise CommandError(
            f"nothing was submitted: the broker at {where} cannot be reached ({exc})",
            EXIT_FAILED,
        ) from None


def translate(args: argparse.Namespace) -> int:
    from iris.docx import DocxError
    from iris.engines.base import UnsupportedPairError
    from iris.engines.registry import UnknownEngineError
    from iris.governance.actions import command_line_actor
    from iris.jobs.actions import JobRequestError, TranslationRequest, create_jobs
    from iris.jobs.languages import UnknownLanguageError

    stops_early = args.estimate or args.analyse or args.preview
    if not stops_early:
        _require_broker()
    try:
        request = TranslationRequest(
            name=args.input.name,
            data=args.input.read_bytes(),
            target_langs=args.targets,
            source_lang=args.source,
            engine=args.engine,
            engine_options=_options(args.engine_option),
            keep_format=args.keep_format,
            review_required=args.review,
            review_policy=_review_policy(args.review_coverage),
            budget=args.budget,
            qa_policy=_qa_policy(args.qa_skip, args.qa_error),
            extraction=_options(args.policy, "policy switch") or None,
        )
        if stops_early:
            from iris.jobs.estimate import read_request

            read = read_request(request)
            if args.preview:
                _print_preview(read, args.input.name)
            if args.analyse:
                _print_analysis(read)
            if args.estimate:
                _print_estimate(read)
            return EXIT_OK
        jobs = create_jobs(request, command_line_actor(), start=False)
    except (
        UnknownLanguageError,
        UnknownEngineError,
        UnsupportedPairError,
        JobRequestError,
        ValueError,
    ) as exc:
        print(f"iris: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DocxError as exc:
        print(f"iris: {args.input} cannot be translated: {exc}", file=sys.stderr)
        return EXIT_DOCUMENT
    return _run_and_report(args, [job.pk for job in jobs])


def _print_preview(read: Any, name: str) -> None:
    from iris.docx import preview

    shown = preview(name, read.valid.policy, read.units)
    print(f"{name}: what would be extracted (the same for every target language)")
    for line in shown.table():
        print(f"  {line}")


def _print_analysis(read: Any) -> None:
    from iris.jobs.estimate import analyse_request
    from iris.memory.analysis import render

    for target in analyse_request(read):
        print(f"{target.target_lang}: translation memory analysis ({target.analysis['formula']})")
        for line in render(target.analysis):
            print(f"  {line}")


def _print_estimate(read: Any) -> None:
    from iris.jobs.estimate import estimate_request

    for target in estimate_request(read):
        estimate = target.estimate
        usage = estimate.usage
        requests = "request" if estimate.requests == 1 else "requests"
        print(
            f"{target.target_lang}: {estimate.segments:,} segments, "
            f"{usage.characters:,} characters, {usage.tokens:,} tokens "
            f"({usage.input_tokens:,} sent, {usage.output_tokens:,} received), "
            f"{estimate.requests:,} {requests}, cost ${usage.cost:,.4f} ({estimate.engine})"
        )


def _run_and_report(args: argparse.Namespace, job_ids: list[int]) -> int:
    from django.conf import settings

    from iris.cli.display import Stalled, follow
    from iris.jobs.models import Job
    from iris.ops.process import freeze_heap

    started = time.monotonic()
    runner: threading.Thread | None = None
    # From here the jobs exist: a Ctrl-C at any point is handled as one while following
    # (the jobs go on with workers, are cancelled in-process), never a traceback.
    try:
        freeze_heap()  # the code is loaded, the work begins
        engines = set(Job.objects.filter(pk__in=job_ids).values_list("engine", flat=True))
        if not settings.IRIS_ASYNC:
            # What the first batch needs loads while the document is read: QA's language
            # model and the engines' client libraries (workers load their own).
            threading.Thread(target=_warm_up, args=(engines,), daemon=True).start()
        runner = threading.Thread(target=_start, args=(job_ids,), daemon=True)
        runner.start()
        statuses = follow(job_ids, quiet=args.quiet, runner=runner, timeout=args.timeout)
    except KeyboardInterrupt:
        return _interrupted(job_ids, runner)
    except Stalled as exc:
        raise CommandError(f"{exc}\n{_how_to_follow(job_ids)}", EXIT_FAILED) from None
    several = len(job_ids) > 1
    path_for = functools.partial(_output_path, args.input, args.output, several=several)
    return _deliver_and_exit(job_ids, statuses, path_for, started, str(args.input))


def _deliver_and_exit(
    job_ids: list[int],
    statuses: Sequence[JobStatus],
    path_for: Callable[[str], Path],
    started: float,
    source: str,
) -> int:
    """Write the deliveries of the jobs that completed, print the summary, and say why
    any other did not finish (the command's exit code)."""
    from iris.cli.display import reports, summary, write_deliveries
    from iris.jobs.models import JobState

    finished = reports(job_ids)
    outputs, unwritten = write_deliveries(finished, path_for)
    print(summary(finished, outputs, time.monotonic() - started))
    for job_id, problem in unwritten.items():
        print(
            f"iris: {problem}; the translation is kept as job {job_id}'s delivery", file=sys.stderr
        )
    if unwritten:
        return EXIT_FAILED
    if len(outputs) == len(job_ids):
        return EXIT_OK
    waiting = [s for s in statuses if s.state == JobState.IN_REVIEW]
    if waiting and len(waiting) + len(outputs) == len(job_ids):
        for status in waiting:
            print(
                f"iris: job {status.id} waits for review: `iris review export {status.id}`, "
                f"then `iris review import {status.id} FILE` (or `iris deliver {status.id} "
                "--reason …`)",
                file=sys.stderr,
            )
        return EXIT_IN_REVIEW
    paused = [s for s in statuses if s.state == JobState.PAUSED and s.paused_reason]
    if paused and len(paused) + len(outputs) == len(job_ids):
        ids = " ".join(str(s.id) for s in paused)
        print(
            f"iris: job {ids} paused at its budget; raise it and go on with "
            f"`iris resume {ids} --budget USD`",
            file=sys.stderr,
        )
        return EXIT_PAUSED
    rejected = [s for s in statuses if s.state == JobState.REJECTED]
    if rejected and len(rejected) + len(outputs) == len(job_ids):
        # Found damaged or hostile while it was read: a rejected document, like one
        # refused at submission, not a pipeline failure.
        print(f"iris: {source} cannot be translated: {rejected[0].error}", file=sys.stderr)
        return EXIT_DOCUMENT
    return EXIT_FAILED


def _warm_up(engines: set[str]) -> None:
    from iris.engines.registry import engine_class
    from iris.qa.checks.language import warm_language_model

    classes = [engine_class(name) for name in engines]
    if any(engine.translates for engine in classes):
        warm_language_model()
    for engine in classes:
        engine.warm_up()


def _how_to_follow(job_ids: list[int]) -> str:
    ids = " ".join(str(job_id) for job_id in job_ids)
    return (
        f"the jobs go on: follow with `iris status {ids}`, "
        f"stop with `iris cancel {ids}` or `iris pause {ids}`"
    )


def _interrupted(job_ids: list[int], runner: threading.Thread | None) -> int:
    """Ctrl-C while following. With workers the jobs go on (how to follow them is
    printed); run in-process they are cancelled, and the command waits for the step
    in hand to stop (a second Ctrl-C does not wait)."""
    from django.conf import settings

    from iris.governance.actions import command_line_actor
    from iris.jobs.actions import Command, apply_control
    from iris.jobs.states import IllegalTransition

    if settings.IRIS_ASYNC:
        print(f"iris: interrupted; {_how_to_follow(job_ids)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    cancelled = []
    actor = command_line_actor()
    for job_id in job_ids:
        try:
            if apply_control(job_id, Command.CANCEL, actor) is not None:
                cancelled.append(job_id)
        except IllegalTransition:
            pass  # finished meanwhile
    ids = " ".join(str(job_id) for job_id in cancelled) or "none"
    print(f"iris: interrupted; cancelled job {ids}", file=sys.stderr)
    if runner is not None:
        with contextlib.suppress(KeyboardInterrupt):
            runner.join()
    return EXIT_INTERRUPTED


def _status(job_ids: list[int]) -> int:
    from iris.jobs.actions import interrupted
    from iris.jobs.models import JobState
    from iris.jobs.progress import job_status

    found = {status.id: status for status in job_status(job_ids)}
    for job_id in job_ids:
        status = found.get(job_id)
        if status is None:
            print(f"{job_id}: no such job", file=sys.stderr)
            continue
        line = (
            f"{job_id}: {status.source_name} {status.source_lang} -> {status.target_lang} "
            f"{status.state}"
        )
        if status.step and not status.finished:
            line += f" ({status.step})"
        line += f", segments {status.segments_done}/{status.segments_total}"
        if status.error:
            line += f"; {status.failed_step}: {status.error}"
        elif status.state == JobState.PAUSED and status.paused_reason:
            line += f"; {status.paused_reason}"
        elif not status.finished and interrupted(job_id, status.state):
            line += f"; interrupted (its process ended): go on with `iris resume {job_id}`"
        print(line)
    return EXIT_OK if len(found) == len(set(job_ids)) else EXIT_USAGE


def _control(
    args: argparse.Namespace, command: str, job_ids: list[int], budget: float | None = None
) -> int:
    from iris.governance.actions import command_line_actor
    from iris.jobs.actions import Command, JobRequestError, request_control, set_budget
    from iris.jobs.models import Job
    from iris.jobs.states import IllegalTransition

    started = time.monotonic()
    problems = []
    actor = command_line_actor()
    for job_id in job_ids:
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            problems.append(f"no such job: {job_id}")
            continue
        try:
            if budget is not None:
                set_budget(job.pk, budget or None, actor)
            request_control(job, Command(command), actor)
        except (IllegalTransition, JobRequestError) as exc:
            problems.append(f"job {job_id}: {exc}")
            continue
        print(f"{job_id}: {command} requested")
    if problems:
        raise CommandError("\n".join(problems))
    if command not in ("resume", "retry"):
        return EXIT_OK
    return _delivered_here(args, job_ids, started)


def _past_review(job_id: int) -> bool:
    from iris.jobs.models import Job, JobState

    return not Job.objects.filter(pk=job_id, state=JobState.IN_REVIEW).exists()


def _delivered_here(args: argparse.Namespace, job_ids: list[int], started: float) -> int:
    """After a command that, in-process, ran the jobs here to their end or their next
    stop (resume, retry, deliver): write their documents and exit as translate does."""
    from django.conf import settings

    from iris.jobs.progress import job_status

    if settings.IRIS_ASYNC:
        return EXIT_OK  # the workers run them: `iris status` follows
    statuses = job_status(job_ids)
    if not all(s.finished or s.waits_for_people or s.paused_reason for s in statuses):
        return EXIT_OK  # not run here after all (its command still waits its turn)
    several = len(job_ids) > 1
    path_for = functools.partial(_output_path, Path.cwd(), args.output, several=several)
    return _deliver_and_exit(job_ids, statuses, path_for, started, "it")


def _start(job_ids: list[int]) -> None:
    """Start the jobs: eagerly this runs the whole pipeline in this thread."""
    from django.db import connection

    from iris.jobs.actions import start_job

    try:
        for job_id in job_ids:
            start_job(job_id)
    finally:
        connection.close()
