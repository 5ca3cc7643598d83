"""``iris translate IN.docx --to fr``: the main job.

It accepts .docx, .doc, .rtf and .odt (sniffed from the content, not the name). With
no configuration it runs on the embedded default (SQLite under ``var/``, tasks
in-process, local storage); with ``IRIS_ASYNC=true`` it submits to the broker and
follows the workers' progress. Exit codes: 0 delivered, 1 a job failed or was
cancelled, 2 bad usage (missing file, unknown language or engine), 3 the document was
rejected (not a Word document, encrypted, damaged, unconvertible...).

Start-up matters for a command: Django, the pipeline and the document library are
imported only once the arguments are known to be usable.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DOCUMENT = 0, 1, 2, 3


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
    translate.add_argument("--engine", default="pseudo", help="translation engine")
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
        "--keep-format",
        action="store_true",
        help="deliver a .doc, .rtf or .odt source in its own format (default: .docx)",
    )
    translate.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    return parser


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iris.settings")
    # A local command serves nobody and signs nothing that outlives it, so without a
    # configured key a throw-away one is enough (the web process still requires one).
    os.environ.setdefault("IRIS_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup(set_prefix=False)  # no URLs to resolve: skips importing the URL machinery
    _quiet_console()
    _ensure_schema()


def _quiet_console() -> None:
    """The terminal shows progress bars and the summary; log lines below WARNING go
    only to the log file (eager runs would otherwise print every task's INFO line)."""
    import logging

    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)


def _ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from iris.ops.schema import create_from_snapshot

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if connection.vendor != "sqlite":
        raise SystemExit("iris: the database is not migrated; run `manage.py migrate` first")
    # The embedded default sets itself up: a new database from the schema snapshot
    # (instant), anything else by migrating.
    if not create_from_snapshot(connection, executor.loader.graph.nodes):
        call_command("migrate", verbosity=0)


def _options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"engine option {pair!r} is not KEY=VALUE")
        options[key.strip()] = value
    return options


def _output_path(args: argparse.Namespace, delivered_name: str, several: bool) -> Path:
    source: Path = args.input
    output: Path | None = args.output
    if output is None:
        return source.with_name(delivered_name)
    return output / delivered_name if several or output.is_dir() else output


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.input.is_file():
        print(f"iris: no such file: {args.input}", file=sys.stderr)
        return EXIT_USAGE
    _setup_django()
    return translate(args)


def translate(args: argparse.Namespace) -> int:
    from iris.docx.errors import DocxError
    from iris.engines.registry import UnknownEngineError
    from iris.jobs.actions import JobRequestError, TranslationRequest, create_jobs
    from iris.jobs.languages import UnknownLanguageError

    try:
        request = TranslationRequest(
            name=args.input.name,
            data=args.input.read_bytes(),
            target_langs=args.targets,
            source_lang=args.source,
            engine=args.engine,
            engine_options=_options(args.engine_option),
            keep_format=args.keep_format,
        )
        jobs = create_jobs(request, start=False)
    except (UnknownLanguageError, UnknownEngineError, JobRequestError, ValueError) as exc:
        print(f"iris: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DocxError as exc:
        print(f"iris: {args.input} cannot be translated: {exc}", file=sys.stderr)
        return EXIT_DOCUMENT
    return _run_and_report(args, [job.pk for job in jobs])


def _run_and_report(args: argparse.Namespace, job_ids: list[int]) -> int:
    from iris.cli.display import follow, reports, summary, write_deliveries
    from iris.jobs.models import Step
    from iris.ops.process import settle_heap

    started = time.monotonic()
    settle_heap()  # as a worker does: the code is loaded, the work begins
    runner = threading.Thread(target=_start, args=(job_ids,), daemon=True)
    runner.start()
    statuses = follow(job_ids, quiet=args.quiet, runner=runner)
    several = len(job_ids) > 1
    finished = reports(job_ids)
    outputs = write_deliveries(finished, lambda name: _output_path(args, name, several))
    print(summary(finished, outputs, time.monotonic() - started))
    if len(outputs) == len(job_ids):
        return EXIT_OK
    unreadable = [s for s in statuses if s.failed_step == Step.CONVERT]
    if unreadable and len(unreadable) + len(outputs) == len(job_ids):
        # The converter could not read the document: a rejected document, like a
        # damaged .docx, not a pipeline failure.
        print(f"iris: {args.input} cannot be translated: {unreadable[0].error}", file=sys.stderr)
        return EXIT_DOCUMENT
    return EXIT_FAILED


def _start(job_ids: list[int]) -> None:
    """Start the jobs: eagerly this runs the whole pipeline in this thread."""
    from django.db import connection

    from iris.jobs.actions import start_job

    try:
        for job_id in job_ids:
            start_job(job_id)
    finally:
        connection.close()
