"""``python manage.py tm``: the translation memory from the command line.

    tm import FILE.tmx --source en --target fr [--promote] [--format tmx|csv]
    tm export FILE.tmx [--source en --target fr] [--status promoted]
    tm stats
    tm promote (--job N | --unit ID …) [--reason TEXT]
    tm demote (--job N | --unit ID …) [--reason TEXT]
    tm revoke (--engine NAME [--model M] | --reviewer NAME) [--reason TEXT]
    tm delete --unit ID … [--reason TEXT]

Every change is audited as the person at the command line (their operating-system user).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from iris.governance.actions import command_line_actor
from iris.jobs.languages import UnknownLanguageError
from iris.memory.interchange import InterchangeError
from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.service import (
    MemoryOperationError,
    delete_units,
    export_file,
    file_format,
    import_file,
    revoke,
    set_status,
    stats,
    units_for,
)
from iris.ops.schema import SchemaCommand


class Command(SchemaCommand):
    help = "Import, export, inspect and govern the translation memory."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("import", help="import a TMX 1.4b or CSV file")
        load.add_argument("file", type=Path)
        load.add_argument("--source", required=True, help="source language (BCP-47)")
        load.add_argument("--target", required=True, help="target language (BCP-47)")
        load.add_argument("--format", choices=("tmx", "csv"))
        load.add_argument("--promote", action="store_true", help="import as promoted units")
        dump = commands.add_parser("export", help="export units as TMX 1.4b or CSV")
        dump.add_argument("file", type=Path)
        dump.add_argument("--source", help="source language (default: all)")
        dump.add_argument("--target", help="target language (default: all)")
        dump.add_argument("--status", choices=[s.value for s in UnitStatus])
        dump.add_argument("--format", choices=("tmx", "csv"))
        commands.add_parser("stats", help="units per language pair and status")
        for name in ("promote", "demote"):
            change = commands.add_parser(name, help=f"{name} units")
            scope = change.add_mutually_exclusive_group(required=True)
            scope.add_argument("--job", type=int, help="every unit the job produced")
            scope.add_argument("--unit", type=int, nargs="+", help="these units")
            change.add_argument("--reason", default="")
        take_back = commands.add_parser("revoke", help="demote an engine's or reviewer's units")
        who = take_back.add_mutually_exclusive_group(required=True)
        who.add_argument("--engine")
        who.add_argument("--reviewer")
        take_back.add_argument("--model", default="", help="only this model of the engine")
        take_back.add_argument("--reason", default="")
        remove = commands.add_parser("delete", help="delete units")
        remove.add_argument("--unit", type=int, nargs="+", required=True)
        remove.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['command']}")(options)
        except (InterchangeError, MemoryOperationError, UnknownLanguageError, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = import_file(
            path,
            options["source"],
            options["target"],
            fmt=options["format"],
            promote=options["promote"],
            progress=True,
            actor=command_line_actor(),
        )
        self.stdout.write(
            f"imported {report.created:,} units ({report.duplicates:,} already in the memory)"
        )
        if report.refused:
            where = "line" if file_format(path, options["format"]) == "tmx" else "row"
            shown = ", ".join(map(str, report.refused_lines))
            more = ", …" if report.refused > len(report.refused_lines) else ""
            units = "unit" if report.refused == 1 else "units"
            self.stdout.write(
                f"refused {report.refused:,} {units} whose target has inline codes its source"
                f" lacks ({where} {shown}{more})"
            )

    def _export(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        fmt = file_format(path, options["format"])
        units = units_for(options["source"], options["target"], options["status"])
        source = options["source"] or (units.values_list("source_lang", flat=True).first() or "en")
        if fmt == "tmx":
            with path.open("wb") as out:
                count = export_file(out, fmt, units, source_lang=source, progress=True)
        else:
            with path.open("w", encoding="utf-8", newline="") as text:
                count = export_file(text, fmt, units, source_lang=source, progress=True)
        self.stdout.write(f"exported {count:,} units to {path}")

    def _stats(self, options: dict[str, Any]) -> None:
        rows = stats()
        if not rows:
            self.stdout.write("the memory is empty")
        for row in rows:
            self.stdout.write(
                f"{row['source_lang']} -> {row['target_lang']}  {row['status']:<10}"
                f"{row['units']:>10,}"
            )

    def _change(self, options: dict[str, Any], status: str) -> None:
        if options["job"] is not None:
            units = TranslationUnit.objects.filter(origin_job_id=options["job"])
            scope = ("jobs.job", str(options["job"]))
        else:
            units = TranslationUnit.objects.filter(pk__in=options["unit"])
            scope = ("memory.units", ",".join(map(str, options["unit"])))
        if not units.exists():
            raise CommandError("no such units")
        changed = set_status(units, status, command_line_actor(), scope, options["reason"])
        self.stdout.write(f"{status}: {changed:,} units")

    def _promote(self, options: dict[str, Any]) -> None:
        self._change(options, UnitStatus.PROMOTED)

    def _demote(self, options: dict[str, Any]) -> None:
        self._change(options, UnitStatus.CANDIDATE)

    def _revoke(self, options: dict[str, Any]) -> None:
        changed = revoke(
            command_line_actor(),
            engine=options["engine"] or "",
            engine_model=options["model"],
            reviewer=options["reviewer"] or "",
            reason=options["reason"],
        )
        self.stdout.write(f"demoted {changed:,} units")

    def _delete(self, options: dict[str, Any]) -> None:
        removed = delete_units(options["unit"], command_line_actor(), options["reason"])
        self.stdout.write(f"deleted {removed:,} units")
