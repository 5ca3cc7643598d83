"""``manage.py glossary``: import, export, list, add, delete, stats and sync.

    glossary import terms.tbx --source en --target fr [--replace] [--format tbx]
    glossary export out.csv --source en --target fr
    glossary list --source en --target fr
    glossary add contract contrat convention --source en --target fr [--forbidden accord]
    glossary delete contract --source en --target fr [--pos noun]
    glossary stats
    glossary sync [--source en --target fr]

Every change is audited as the person at the command line (their operating-system
user); every failure is one line and a non-zero exit (CommandError).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError, CommandParser
from django.db.models import Count

from iris.glossary import service
from iris.glossary.backends import GlossaryBackendError, backend
from iris.glossary.models import Glossary, GlossaryTerm
from iris.glossary.pairs import glossary_language
from iris.governance.actions import command_line_actor
from iris.jobs.languages import UnknownLanguageError
from iris.ops.schema import SchemaCommand


def _pair(parser: ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--source", required=required, help="source language (BCP-47)")
    parser.add_argument("--target", required=required, help="target language (BCP-47)")


class Command(SchemaCommand):
    help = "Manage glossaries: import, export, list, add, delete, stats, sync."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imported = commands.add_parser("import", help="import a CSV or TBX file")
        imported.add_argument("path", type=Path)
        _pair(imported)
        imported.add_argument("--format", choices=("csv", "tbx"))
        imported.add_argument("--replace", action="store_true", help="remove terms not in it")
        exported = commands.add_parser("export", help="write a CSV or TBX file")
        exported.add_argument("path", type=Path)
        _pair(exported)
        exported.add_argument("--format", choices=("csv", "tbx"))
        _pair(commands.add_parser("list", help="show a glossary's terms"))
        added = commands.add_parser("add", help="add a term")
        added.add_argument("term", help="the source term")
        added.add_argument("targets", nargs="*", help="allowed renderings, preferred first")
        _pair(added)
        added.add_argument("--pos", default="", help="part of speech")
        added.add_argument("--case-sensitive", action="store_true")
        added.add_argument("--dnt", action="store_true", help="do not translate")
        added.add_argument("--forbidden", action="append", default=[], help="a banned variant")
        added.add_argument("--note", default="")
        deleted = commands.add_parser("delete", help="delete a term")
        deleted.add_argument("term", help="the source term")
        _pair(deleted)
        deleted.add_argument("--pos", default=None, help="its part of speech, if several")
        commands.add_parser("stats", help="every glossary: terms and version")
        _pair(commands.add_parser("sync", help="push glossaries to the search backend"), False)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except (
            service.GlossaryError,
            service.InterchangeError,
            service.InvalidTermError,
            UnknownLanguageError,
            GlossaryBackendError,
            ImproperlyConfigured,
        ) as exc:
            raise CommandError(str(exc)) from exc

    def _import(self, options: dict[str, Any]) -> None:
        report = service.import_terms(
            options["path"], options["source"], options["target"],
            fmt=options["format"], replace=options["replace"], actor=command_line_actor(),
        )  # fmt: skip
        self.stdout.write(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed; glossary version {report.version}"
        )

    def _export(self, options: dict[str, Any]) -> None:
        path = options["path"]
        count = service.export_terms(options["source"], options["target"], path, options["format"])
        self.stdout.write(f"{count} terms written to {path}")

    def _list(self, options: dict[str, Any]) -> None:
        terms = GlossaryTerm.objects.filter(
            glossary__source_lang=glossary_language(options["source"]),
            glossary__target_lang=glossary_language(options["target"]),
        ).order_by("source", "part_of_speech")
        for term in terms:
            self.stdout.write(_describe(term))

    def _add(self, options: dict[str, Any]) -> None:
        data = service.TermData(
            source=options["term"],
            targets=tuple(options["targets"]),
            part_of_speech=options["pos"],
            case_sensitive=options["case_sensitive"],
            forbidden=tuple(options["forbidden"]),
            do_not_translate=options["dnt"],
            note=options["note"],
        )
        term = service.add_term(options["source"], options["target"], data, command_line_actor())
        self.stdout.write(f"added: {_describe(term)}")

    def _delete(self, options: dict[str, Any]) -> None:
        term = service.find_term(
            options["source"], options["target"], options["term"], options["pos"]
        )
        service.delete_term(term.pk, command_line_actor())
        self.stdout.write(f"deleted: {_describe(term)}")

    def _stats(self, options: dict[str, Any]) -> None:
        glossaries = Glossary.objects.annotate(count=Count("terms")).order_by(
            "source_lang", "target_lang"
        )
        for glossary in glossaries:
            self.stdout.write(
                f"{glossary.source_lang} → {glossary.target_lang}: {glossary.count} terms, "
                f"version {glossary.version}, updated {glossary.updated:%Y-%m-%d %H:%M}"
            )

    def _sync(self, options: dict[str, Any]) -> None:
        glossaries = Glossary.objects.all()
        if options["source"] or options["target"]:
            if not (options["source"] and options["target"]):
                raise CommandError("name both --source and --target, or neither")
            glossaries = glossaries.filter(
                source_lang=glossary_language(options["source"]),
                target_lang=glossary_language(options["target"]),
            )
        store = backend()
        for glossary in glossaries:
            store.sync(glossary)
            self.stdout.write(f"synced {glossary}")


def _describe(term: GlossaryTerm) -> str:
    rendered = " | ".join(term.targets) or "(do not translate)"
    flags = [term.part_of_speech] if term.part_of_speech else []
    flags += ["case-sensitive"] if term.case_sensitive else []
    flags += [f"forbidden: {', '.join(term.forbidden)}"] if term.forbidden else []
    described = f"{term.source} → {rendered}"
    return f"{described}  [{'; '.join(flags)}]" if flags else described
