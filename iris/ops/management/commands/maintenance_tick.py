"""``manage.py maintenance_tick [--dry-run]``: one maintenance tick, its summary printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from iris.ops.maintenance import run_tick
from iris.ops.schema import SchemaCommand


class Command(SchemaCommand):
    help = (
        "Run one maintenance tick now (what beat schedules): delete expired artifacts, "
        "stale candidate memory and old idempotency answers, check storage, send lost "
        "tasks again, report stuck jobs. The summary is printed and stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what the tick would do and change nothing (the report is stored)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_tick(dry_run=options["dry_run"])
        self.stdout.write(result.text)
