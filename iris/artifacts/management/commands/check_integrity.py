"""``manage.py check_integrity [--verify-checksums] [--json]``: does storage hold every
object the artifact rows name? The check an operator runs after a restore (see
deploy/backup.md) or whenever a download was refused for a missing file.

Exit status 1 when something is damaged (objects missing, bytes changed, completed jobs
without a delivery); orphan objects are listed but harmless (a restored storage copy
taken after the database dump holds objects of rows the dump does not have).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iris.artifacts.integrity import IntegrityFindings, find_integrity_problems
from iris.artifacts.models import Artifact
from iris.ops.schema import SchemaCommand

#: ids or names shown per finding; the count is always complete
SHOWN = 20


def is_damaged(findings: IntegrityFindings) -> bool:
    return bool(
        findings.missing_objects
        or findings.checksum_mismatches
        or findings.completed_without_delivery
    )


class Command(SchemaCommand):
    help = "Compare artifact storage with the artifact rows; exit 1 when objects are missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--verify-checksums",
            action="store_true",
            help="also read every live object in full and compare its sha256 (slow)",
        )
        parser.add_argument("--json", action="store_true", help="print the findings as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = find_integrity_problems(verify_checksums=options["verify_checksums"])
        live = Artifact.objects.count()
        if options["json"]:
            report = {"live_artifacts": live, "damaged": is_damaged(findings), **asdict(findings)}
            self.stdout.write(json.dumps(report, sort_keys=True))
        else:
            self._summarise(findings, live)
        if is_damaged(findings):
            raise CommandError("storage and the artifact rows disagree (see above)", returncode=1)

    def _summarise(self, findings: IntegrityFindings, live: int) -> None:
        self.stdout.write(f"live artifacts checked: {live}")
        self._line("missing objects", "artifact ids", findings.missing_objects)
        if findings.checksums_verified:
            self._line("checksum mismatches", "artifact ids", findings.checksum_mismatches)
        else:
            self.stdout.write("checksum mismatches: not verified (--verify-checksums)")
        self._line(
            "completed jobs without a delivery", "job ids", findings.completed_without_delivery
        )
        self._line("orphan objects (harmless)", "storage names", findings.orphan_objects)

    def _line(self, what: str, naming: str, items: list[Any]) -> None:
        shown = ", ".join(str(item) for item in items[:SHOWN])
        more = f" … and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
        self.stdout.write(
            f"{what}: {len(items)}" + (f" ({naming}: {shown}{more})" if items else "")
        )
