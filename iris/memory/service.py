"""What users and the pipeline do with the translation memory: import and export (TMX
1.4b, CSV), the candidate units a completed job leaves, promotion, demotion, revocation
and deletion — every change audited.

Lifecycle: a completed job's translations become **candidate** units (deduplicated;
the output of an engine that does not translate, such as ``pseudo``, never does, nor
segments with QA errors). Candidates are found and shown (fuzzy context for engines,
review data) but only **promoted** units are applied without the engine. Promotion is
a manager's action (``manage.py tm promote``), or automatic by policy
(``IRIS_TM_PROMOTE=reviewed``): segments a person translated or reviewed (origin
``human``) that passed QA are promoted when their job completes. Revoking an engine's
or a reviewer's output demotes every unit it produced.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from tqdm import tqdm

from iris.docx import scan
from iris.engines.registry import engine_class
from iris.glossary.backends import backend
from iris.governance.actions import SYSTEM, SYSTEM_ACTOR, Actor, record_audit
from iris.jobs.bulk import in_pages
from iris.jobs.languages import UnknownLanguageError, normalize_language, same_language
from iris.jobs.models import Job, Origin, QaStatus, Segment
from iris.jobs.states import TERMINAL
from iris.memory.interchange import (
    InterchangeError,
    InterchangeUnit,
    read_csv,
    read_tmx,
    write_csv,
    write_tmx,
)
from iris.memory.models import IndexTerm, TranslationUnit, UnitStatus
from iris.memory.store import NewUnit, chunks, language_base, memory, neighbours_hash
from iris.review.package import REVIEWED_STATES as _REVIEWED_STATES

FORMATS = ("tmx", "csv")
_STATUSES = frozenset(UnitStatus.values)
#: segments whose translation may become a candidate unit
_TRANSLATED = (Origin.ENGINE, Origin.HUMAN)


class MemoryOperationError(ValueError):
    """A memory operation that cannot be done as asked (one line for the user)."""


#: how many refused units an import report names by line
REFUSED_LINES_SHOWN = 10


@dataclass
class ImportReport:
    created: int = 0
    duplicates: int = 0
    #: units left out: their target holds an inline code their source lacks
    refused: int = 0
    #: the first REFUSED_LINES_SHOWN of them, by line (TMX) or row (CSV)
    refused_lines: list[int] = field(default_factory=list)
    analyse_seconds: float = 0.0


def file_format(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise MemoryOperationError(f"{path.name}: unknown format {chosen!r} (use .tmx or .csv)")
    return chosen


def import_file(
    path: Path,
    source_lang: str,
    target_lang: str,
    *,
    fmt: str | None = None,
    promote: bool = False,
    progress: bool = False,
    actor: Actor = SYSTEM_ACTOR,
) -> ImportReport:
    """Import every unit of ``path`` in the language pair, all or none: a bad unit
    anywhere stops the import with its line, and nothing is stored. Units keep the
    file's languages in standard BCP-47 form (``EN_us`` is stored as ``en-US``)."""
    source_lang, target_lang = normalize_language(source_lang), normalize_language(target_lang)
    if same_language(source_lang, target_lang):
        raise MemoryOperationError(
            f"{path.name}: the target language {target_lang} is the source language: a "
            "memory pairs a source with its translation"
        )
    chosen = file_format(path, fmt)
    limit = settings.IRIS_TM_IMPORT_MAX_MB * 1024 * 1024
    reader = read_tmx if chosen == "tmx" else read_csv
    report = ImportReport()
    status = UnitStatus.PROMOTED if promote else UnitStatus.CANDIDATE
    label = actor.label

    where = f"{path.name} {'line' if chosen == 'tmx' else 'row'}"

    def units() -> Iterator[NewUnit]:
        for unit in reader(path, source_lang, target_lang, max_bytes=limit):
            languages = _unit_languages(unit, f"{where} {unit.line}")
            if _target_only_codes(unit):
                report.refused += 1
                if len(report.refused_lines) < REFUSED_LINES_SHOWN:
                    report.refused_lines.append(unit.line)
                continue
            yield _new_unit(unit, languages, status, label)

    bar = tqdm(unit=" units", unit_scale=True, disable=not progress, desc=path.name)
    with bar, transaction.atomic():
        added = memory().add(units(), progress=bar.update)
        report.created, report.duplicates = added.created, added.duplicates
        record_audit(
            actor,
            "memory.import",
            ("memory.import", path.name),
            after={
                "file": path.name,
                "source_lang": source_lang,
                "target_lang": target_lang,
                "status": status,
                "created": report.created,
                "duplicates": report.duplicates,
                "refused": report.refused,
            },
        )
    started = time.monotonic()
    refresh_statistics()
    report.analyse_seconds = time.monotonic() - started
    return report


def _target_only_codes(unit: InterchangeUnit) -> bool:
    """Whether the target holds an inline code (tag) the source lacks. Such a unit is
    refused rather than stored: applied to a segment, the code has nothing in the
    document to stand for and would be dropped without a word. (A code the target
    leaves out is a translator's choice, which QA's tag check reports.)"""
    if "<" not in unit.target:
        return False
    return not _code_names(unit.target) <= _code_names(unit.source)


def _code_names(tagged: str) -> set[str]:
    return {
        f"{'x' if token.kind == 'standalone' else 'g'}{token.id}"
        for token in scan(tagged)
        if token.kind != "text"
    }


@lru_cache(maxsize=1024)  # a file repeats a few tags; langcodes takes microseconds each
def _standard_language(tag: str) -> str:
    return normalize_language(tag)


def _unit_languages(unit: InterchangeUnit, where: str) -> tuple[str, str]:
    """The unit's languages in standard BCP-47 form (``EN_us`` -> ``en-US``): lookups
    compare languages by their stored primary language and locale, and exports must
    write valid tags. A tag that names no language stops the import."""
    try:
        return _standard_language(unit.source_lang), _standard_language(unit.target_lang)
    except UnknownLanguageError as error:
        raise MemoryOperationError(f"{where}: {error}") from None


def _new_unit(
    unit: InterchangeUnit, languages: tuple[str, str], status: str, label: str
) -> NewUnit:
    """A unit to store; what Iris itself exported (``x-iris-*`` properties) comes back
    as it was, except that promotion is only kept when the import asks for it or the
    file says so in Iris's own words."""
    props = dict(unit.props)
    if props.get("x-iris-status") in _STATUSES:
        written = props.pop("x-iris-status")
        status = UnitStatus.PROMOTED if UnitStatus.PROMOTED in (status, written) else status
    return NewUnit(
        source=unit.source,
        target=unit.target,
        source_lang=languages[0],
        target_lang=languages[1],
        context_hash=props.pop("x-iris-context", ""),
        status=status,
        codes=dict(unit.codes),
        engine=props.pop("x-iris-engine", ""),
        reviewer=props.pop("x-iris-reviewer", ""),
        created_by=unit.created_by or label,
        created=unit.created_at,
        note=unit.note,
        props=props,
    )


def refresh_statistics() -> None:
    """After a bulk import: the planner's row counts for the memory's tables (PostgreSQL
    would otherwise plan for the empty tables it last saw), and the index's visibility
    map (VACUUM), so that lookups read the index alone, never the table behind it."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (TranslationUnit, IndexTerm):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")


def units_for(
    source_lang: str | None = None,
    target_lang: str | None = None,
    status: str | None = None,
) -> QuerySet[TranslationUnit]:
    units = TranslationUnit.objects.all()
    if source_lang:
        units = units.filter(source_base=language_base(source_lang))
    if target_lang:
        units = units.filter(target_base=language_base(target_lang))
    if status:
        units = units.filter(status=status)
    return units.order_by("pk")


def export_file(
    out: BinaryIO | TextIO,
    fmt: str,
    units: QuerySet[TranslationUnit],
    *,
    source_lang: str,
    progress: bool = False,
) -> int:
    """Write ``units`` as TMX (binary ``out``) or CSV (text ``out``); returns the count.
    Status, context, engine and reviewer travel as ``x-iris-*`` properties."""
    bar = tqdm(
        in_pages(units),
        total=units.count() if progress else None,
        unit=" units",
        disable=not progress,
    )
    exported = (_interchange_unit(unit) for unit in bar)
    if fmt == "tmx":
        return write_tmx(exported, cast(BinaryIO, out), source_lang=source_lang)
    return write_csv(exported, cast(TextIO, out))


def _interchange_unit(unit: TranslationUnit) -> InterchangeUnit:
    props = {
        **unit.props,
        "x-iris-status": unit.status,
        **({"x-iris-context": unit.context_hash} if unit.context_hash else {}),
        **({"x-iris-engine": unit.engine} if unit.engine else {}),
        **({"x-iris-reviewer": unit.reviewer} if unit.reviewer else {}),
    }
    return InterchangeUnit(
        # Units are stored without outer whitespace; earlier versions kept a segment's
        # trailing space, which another tool would take as part of the sentence.
        source=unit.source.strip(),
        target=unit.target.strip(),
        source_lang=_exported_language(unit.source_lang),
        target_lang=_exported_language(unit.target_lang),
        codes=unit.codes,
        created_by=unit.created_by,
        created_at=unit.created,
        changed_at=unit.last_used,
        note=unit.note,
        props=props,
    )


def _exported_language(tag: str) -> str:
    """A stored tag in standard form: earlier versions stored imported tags as the file
    gave them (``EN_us``), which is no valid BCP-47 tag in a TMX."""
    try:
        return _standard_language(tag)
    except UnknownLanguageError:
        return tag


def stats() -> list[dict[str, Any]]:
    """Units per language pair and status."""
    rows = (
        TranslationUnit.objects.values("source_lang", "target_lang", "status")
        .annotate(units=Count("pk"))
        .order_by("source_lang", "target_lang", "status")
    )
    return [dict(row) for row in rows]


# --- lifecycle ---------------------------------------------------------------------


def add_candidates(job: Job) -> int:
    """The completed job's translations as candidate units (or promoted ones, by
    policy); none for an engine that does not translate. Idempotent."""
    if not engine_class(job.engine).translates:
        return 0
    rows = list(
        Segment.objects.filter(job_id=job.pk)
        .order_by("order")
        .values_list(
            "order",
            "source",
            "target",
            "origin",
            "qa_status",
            "duplicate_of_order",
            "review_state",
            "reviewed_by",
        )
    )
    sources = {order: source for order, source, *_ in rows}
    promote_reviewed = settings.IRIS_TM_PROMOTE == "reviewed"
    model = str(job.engine_options.get("model", ""))
    glossary_version = backend().version(job.source_lang, job.target_lang) or None
    units = []
    for order, source, target, origin, qa_status, duplicate_of, state, reviewer in rows:
        if origin not in _TRANSLATED or duplicate_of is not None or not target.strip():
            continue
        if qa_status == QaStatus.ERROR:
            continue  # never into the memory with a QA error
        # Edited by a person, or confirmed in review (iris/review) as it was.
        reviewed = origin == Origin.HUMAN or state in _REVIEWED_STATES
        promoted = reviewed and promote_reviewed
        units.append(
            NewUnit(
                source=source,
                target=target,
                source_lang=job.source_lang,
                target_lang=job.target_lang,
                context_hash=neighbours_hash(sources, order),
                status=UnitStatus.PROMOTED if promoted else UnitStatus.CANDIDATE,
                origin_job_id=job.pk,
                origin_segment=order,
                engine="" if reviewed else job.engine,
                engine_model="" if reviewed else model,
                glossary_version=glossary_version,
                reviewer=reviewer if reviewed else "",
                created_by=job.creator.get_username() if job.creator else SYSTEM,
            )
        )
    return memory().add(units).created


def discard_candidates(job_id: int) -> int:
    """A cancelled job's candidates go (promoted units stay: someone approved them)."""
    ids = list(
        TranslationUnit.objects.filter(
            origin_job_id=job_id, status=UnitStatus.CANDIDATE
        ).values_list("pk", flat=True)
    )
    return memory().delete(ids)


def set_status(
    units: QuerySet[TranslationUnit],
    status: str,
    actor: Actor,
    scope: tuple[str, str],
    reason: str = "",
) -> int:
    """Promote or demote ``units`` (one audit record for the action, naming its scope
    and every unit changed)."""
    action = "memory.promote" if status == UnitStatus.PROMOTED else "memory.demote"
    with transaction.atomic():
        ids = list(units.exclude(status=status).values_list("pk", flat=True))
        for chunk in chunks(ids, 2000):
            TranslationUnit.objects.filter(pk__in=chunk).update(status=status)
        record_audit(
            actor,
            action,
            scope,
            before={"status": "mixed" if not ids else _other(status)},
            after={"status": status, "units": len(ids), "ids": ids[:1000], "reason": reason},
        )
    return len(ids)


def revoke(
    actor: Actor,
    *,
    engine: str = "",
    engine_model: str = "",
    reviewer: str = "",
    reason: str = "",
) -> int:
    """Demote every unit an engine (optionally one model of it) or a reviewer produced."""
    if not (engine or reviewer):
        raise MemoryOperationError("revoke what? name an engine or a reviewer")
    condition = Q()
    if engine:
        condition &= Q(engine=engine)
        if engine_model:
            condition &= Q(engine_model=engine_model)
    if reviewer:
        condition &= Q(reviewer=reviewer)
    label = engine + (f"/{engine_model}" if engine_model else "") if engine else reviewer
    scope = ("memory.engine" if engine else "memory.reviewer", label)
    units = TranslationUnit.objects.filter(condition)
    return set_status(units, UnitStatus.CANDIDATE, actor, scope, reason or "revoked")


def delete_units(ids: Iterable[int], actor: Actor, reason: str = "") -> int:
    wanted = sorted(set(ids))
    with transaction.atomic():
        removed = memory().delete(wanted)
        record_audit(
            actor,
            "memory.delete",
            ("memory.units", f"{len(wanted)} units"),
            after={"units": removed, "ids": wanted[:1000], "reason": reason},
        )
    return removed


def _other(status: str) -> str:
    return UnitStatus.CANDIDATE if status == UnitStatus.PROMOTED else UnitStatus.PROMOTED


__all__ = [
    "FORMATS",
    "ImportReport",
    "InterchangeError",
    "MemoryOperationError",
    "add_candidates",
    "delete_units",
    "expire_candidates",
    "export_file",
    "import_file",
    "revoke",
    "set_status",
    "stats",
    "units_for",
]


def expire_candidates(actor: Actor = SYSTEM_ACTOR, days: int | None = None) -> int:
    """Delete stale candidates: units never promoted that a job left (imports are kept:
    someone chose them), whose job is over (completed, cancelled, rejected, or deleted)
    and that nothing has used for ``days`` (``IRIS_TM_CANDIDATE_DAYS``). How many; one
    audit record. The operations issue's maintenance tick calls this."""
    age = settings.IRIS_TM_CANDIDATE_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=age)
    live = Job.objects.exclude(state__in=TERMINAL).values("pk")
    stale = (
        TranslationUnit.objects.filter(status=UnitStatus.CANDIDATE, origin_job_id__isnull=False)
        .exclude(origin_job_id__in=live)
        .filter(Q(last_used__lt=cutoff) | Q(last_used__isnull=True, created__lt=cutoff))
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    return delete_units(ids, actor, f"stale candidates: unused for {age} days")
