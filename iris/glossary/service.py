"""Actions on glossaries: every edit goes through these. Each one changes rows in one
transaction, bumps the glossary's version, writes the audit record and, once
committed, pushes the glossary to the search backend (`backends.backend().sync`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from iris.engines.base import Term
from iris.glossary.backends import GlossaryBackendError, backend
from iris.glossary.interchange import (
    InterchangeError,
    InvalidTermError,
    TermData,
    file_format,
    read_terms,
    write_csv,
    write_tbx,
)
from iris.glossary.matching import TermMatch
from iris.glossary.models import Glossary, GlossaryTerm
from iris.glossary.pairs import glossary_language
from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.jobs.languages import same_language

__all__ = [
    "GlossaryError",
    "ImportReport",
    "InterchangeError",
    "InvalidTermError",
    "TermData",
    "add_term",
    "delete_term",
    "export_terms",
    "find_term",
    "import_terms",
    "to_engine_terms",
    "update_term",
]

_FIELDS = (
    "source",
    "targets",
    "part_of_speech",
    "case_sensitive",
    "forbidden",
    "do_not_translate",
    "note",
)


class GlossaryError(ValueError):
    """An edit that cannot be made: no such glossary or term, or a term already there."""


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int
    removed: int
    #: the glossary's version after the import (unchanged when nothing changed)
    version: int


def term_data(term: GlossaryTerm) -> TermData:
    return TermData(
        source=term.source,
        targets=tuple(term.targets),
        part_of_speech=term.part_of_speech,
        case_sensitive=term.case_sensitive,
        forbidden=tuple(term.forbidden),
        do_not_translate=term.do_not_translate,
        note=term.note,
    )


def _fill(term: GlossaryTerm, data: TermData) -> GlossaryTerm:
    values = asdict(data)
    for name in _FIELDS:
        value = values[name]
        setattr(term, name, list(value) if isinstance(value, tuple) else value)
    return term


def _snapshot(term: GlossaryTerm) -> dict[str, Any]:
    return {name: getattr(term, name) for name in _FIELDS}


def _locked(source_lang: str, target_lang: str, *, create: bool) -> Glossary:
    """The pair's glossary, locked for the edit (created when ``create``)."""
    source, target = glossary_language(source_lang), glossary_language(target_lang)
    if create and same_language(source, target):
        raise GlossaryError(
            f"the target language {target} is the source language: a glossary pairs terms "
            "with their translations"
        )
    if create:
        Glossary.objects.get_or_create(source_lang=source, target_lang=target)
    found = Glossary.objects.select_for_update().filter(source_lang=source, target_lang=target)
    glossary = found.first()
    if glossary is None:
        raise GlossaryError(f"there is no {source} → {target} glossary")
    return glossary


def _bump(glossary: Glossary) -> None:
    """One edit more: the version every cache of the glossary keys on."""
    glossary.version += 1
    glossary.save(update_fields=["version", "updated"])
    transaction.on_commit(lambda: _sync(glossary))


def _sync(glossary: Glossary) -> None:
    try:
        backend().sync(glossary)
    except GlossaryBackendError as exc:
        # The edit is committed: say so, and how to bring the search index up to date.
        raise GlossaryBackendError(
            f"saved (glossary version {glossary.version}), but the search index was not "
            f"updated: {exc}; run `manage.py glossary sync`"
        ) from exc


def add_term(
    source_lang: str, target_lang: str, data: TermData, actor: Actor = SYSTEM_ACTOR
) -> GlossaryTerm:
    """Add a term to the pair's glossary (created if need be)."""
    data = data.checked()
    with transaction.atomic():
        glossary = _locked(source_lang, target_lang, create=True)
        if glossary.terms.filter(source=data.source, part_of_speech=data.part_of_speech).exists():
            raise GlossaryError(f"the glossary already has {data.source!r}; update it instead")
        term = _fill(GlossaryTerm(glossary=glossary), data)
        term.save()
        _bump(glossary)
        after = _snapshot(term) | {"version": glossary.version}
        record_audit(actor, "glossary.term_added", term, after=after)
    return term


def update_term(term_id: int, data: TermData, actor: Actor = SYSTEM_ACTOR) -> GlossaryTerm:
    """Replace term ``term_id``'s content with ``data``."""
    data = data.checked()
    with transaction.atomic():
        term = _term(term_id)
        glossary = Glossary.objects.select_for_update().get(pk=term.glossary_id)
        clash = glossary.terms.filter(source=data.source, part_of_speech=data.part_of_speech)
        if clash.exclude(pk=term.pk).exists():
            raise GlossaryError(f"the glossary already has {data.source!r}")
        before = _snapshot(term)
        _fill(term, data).save()
        _bump(glossary)
        after = _snapshot(term) | {"version": glossary.version}
        record_audit(actor, "glossary.term_updated", term, before=before, after=after)
    return term


def delete_term(term_id: int, actor: Actor = SYSTEM_ACTOR) -> None:
    """Remove term ``term_id`` from its glossary."""
    with transaction.atomic():
        term = _term(term_id)
        glossary = Glossary.objects.select_for_update().get(pk=term.glossary_id)
        _bump(glossary)
        # Audited before the delete: the record names the row by its id.
        record_audit(
            actor, "glossary.term_deleted", term, before=_snapshot(term),
            after={"version": glossary.version},
        )  # fmt: skip
        term.delete()


def _term(term_id: int) -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(pk=term_id).first()
    if term is None:
        raise GlossaryError(f"there is no glossary term {term_id}")
    return term


def find_term(
    source_lang: str, target_lang: str, source: str, part_of_speech: str | None = None
) -> GlossaryTerm:
    """The pair's term for ``source`` (and ``part_of_speech`` when several share it)."""
    terms = GlossaryTerm.objects.filter(
        glossary__source_lang=glossary_language(source_lang),
        glossary__target_lang=glossary_language(target_lang),
        source=source.strip(),
    )
    if part_of_speech is not None:
        terms = terms.filter(part_of_speech=part_of_speech.strip().lower())
    found = list(terms[:2])
    if not found:
        raise GlossaryError(f"the glossary has no term {source!r}")
    if len(found) > 1:
        raise GlossaryError(f"{source!r} has several parts of speech: name one")
    return found[0]


def import_terms(
    path: Path,
    source_lang: str,
    target_lang: str,
    fmt: str | None = None,
    replace: bool = False,
    actor: Actor = SYSTEM_ACTOR,
) -> ImportReport:
    """Import a CSV or TBX file into the pair's glossary, all or nothing: a term whose
    source (and part of speech) is there already is updated; with ``replace``, terms
    the file lacks are removed. The file is read and checked before anything is
    written (`InterchangeError` names the bad line)."""
    terms = read_terms(path, source_lang, target_lang, fmt)
    with transaction.atomic():
        glossary = _locked(source_lang, target_lang, create=True)
        existing = {(t.source, t.part_of_speech): t for t in glossary.terms.all()}
        added, changed = _merge(glossary, existing, terms)
        removed = list(existing.values()) if replace else []
        GlossaryTerm.objects.filter(pk__in=[t.pk for t in removed]).delete()
        GlossaryTerm.objects.bulk_create(added, batch_size=500)
        GlossaryTerm.objects.bulk_update(changed, [*_FIELDS, "updated"], batch_size=500)
        if added or changed or removed:
            _bump(glossary)
        report = ImportReport(
            len(added), len(changed), len(terms) - len(added) - len(changed), len(removed),
            glossary.version,
        )  # fmt: skip
        after = asdict(report) | {"file": path.name, "replace": replace}
        record_audit(actor, "glossary.imported", glossary, after=after)
    return report


def _merge(
    glossary: Glossary, existing: dict[tuple[str, str], GlossaryTerm], terms: Sequence[TermData]
) -> tuple[list[GlossaryTerm], list[GlossaryTerm]]:
    """New rows and changed rows for ``terms``; what is left in ``existing`` the file
    does not have."""
    added, changed = [], []
    now = timezone.now()
    for data in terms:
        row = existing.pop(data.key, None)
        if row is None:
            added.append(_fill(GlossaryTerm(glossary=glossary), data))
        elif term_data(row) != data:
            row.updated = now  # bulk_update leaves auto_now fields alone
            changed.append(_fill(row, data))
    return added, changed


def export_terms(source_lang: str, target_lang: str, path: Path, fmt: str | None = None) -> int:
    """Write the pair's glossary to a CSV or TBX file; the number of terms written."""
    source, target = glossary_language(source_lang), glossary_language(target_lang)
    glossary = Glossary.objects.filter(source_lang=source, target_lang=target).first()
    if glossary is None:
        raise GlossaryError(f"there is no {source} → {target} glossary")
    terms = [term_data(t) for t in glossary.terms.order_by("id")]
    if file_format(path, fmt) == "csv":
        write_csv(path, terms)
    else:
        write_tbx(path, terms, source, target)
    return len(terms)


def to_engine_terms(matches: Iterable[TermMatch]) -> tuple[Term, ...]:
    """What an engine is told for these matches (and QA checks): each allowed
    rendering, a do-not-translate term as itself, each forbidden variant as a
    forbidden term; repeats dropped, order kept."""
    terms: list[Term] = []
    for match in matches:
        entry = match.entry
        if entry.do_not_translate:
            terms.append(Term(entry.source, entry.source))
        terms += [Term(entry.source, target) for target in entry.targets]
        terms += [Term(variant, "", forbidden=True) for variant in entry.forbidden]
    return tuple(dict.fromkeys(terms))
