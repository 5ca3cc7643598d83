"""Step ``retrieve_context``: what a batch is translated with besides its document
context (stored at extraction) — translation memory matches and glossary terms.

For each pending segment of the batch, in one transaction:

* the memory's best matches (iris/memory) are stored on the segment (``tm_matches``, at
  or above ``IRIS_TM_THRESHOLD``, and ``tm_score``, the best from 50 %, for the
  analysis). The best context or exact match of a **promoted** unit in the job's exact
  target locale is applied without the engine (origin ``reused``), as ``IRIS_TM_APPLY``
  says, even when a candidate scores higher: a person's approved translation wins over
  an unreviewed engine output with the same neighbours (the memory ranks it first, so
  ``tm_score`` and the analysis count what the segment got). Candidates and fuzzy
  matches go to the engine as context and into the review data. Units hold no outer
  whitespace: an applied target gets the segment's own (the space before the next
  sentence of its paragraph);
* the glossary terms found in its source (iris/glossary) are stored as engines and QA
  take them (``terms``): must-use translations, do-not-translate terms, forbidden
  variants.

Idempotent: only segments still ``pending`` are looked at, and each is written once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Subquery

from iris.engines.base import with_outer_space
from iris.glossary.backends import backend as glossary
from iris.glossary.backends import find_glossary
from iris.glossary.service import to_engine_terms
from iris.jobs.bulk import update_values
from iris.jobs.models import Batch, Job, Origin, Segment
from iris.memory.analysis import analyse
from iris.memory.models import UnitStatus
from iris.memory.store import Match, Query, memory, neighbours_hash

#: scores kept for the analysis (its lowest band starts here)
ANALYSIS_FLOOR = 50


def applicable(match: Match) -> bool:
    """Whether a match is applied without the engine (``IRIS_TM_APPLY``)."""
    if match.status != UnitStatus.PROMOTED or settings.IRIS_TM_APPLY == "none":
        return False
    if match.kind == "context":
        return True
    return match.kind == "exact" and settings.IRIS_TM_APPLY == "exact"


#: What this step writes on a segment.
_CONTEXT = ("target", "origin", "tm_matches", "tm_score", "terms")


def retrieve_context(job: Job, batch_id: int) -> None:
    """Attach memory matches and glossary terms to the batch's pending segments, and
    apply the matches the policy allows (idempotent)."""
    started = time.monotonic()
    pair = (job.source_lang, job.target_lang)
    if memory().serves(*pair) or find_glossary(*pair):
        _look_up(job, batch_id, started)
        return
    # Nothing can match (no unit in the pair's languages, no glossary): no segment is
    # read. Only what an earlier run of the batch found (a retry after the memory or the
    # glossary was emptied) is cleared, as a lookup would find nothing now.
    stale = Segment.objects.filter(batch_id=batch_id, origin=Origin.PENDING).filter(
        Q(tm_score__isnull=False) | ~Q(terms=[])
    )
    with transaction.atomic():
        if stale.exists():
            stale.update(tm_matches=[], tm_score=None, terms=[])
        Batch.objects.filter(pk=batch_id).update(context_seconds=time.monotonic() - started)


def _look_up(job: Job, batch_id: int, started: float) -> None:
    batch = Batch.objects.filter(pk=batch_id)
    span: list[Any] = list(
        Segment.objects.filter(
            job_id=job.pk,
            order__gte=Subquery(batch.values("first_order")) - 1,
            order__lte=Subquery(batch.values("last_order")) + 1,
        )
        .order_by("order")
        .values_list("pk", "order", "source", "batch_id", *_CONTEXT, named=True)
    )
    sources = {row.order: row.source for row in span}
    pending = [row for row in span if row.batch_id == batch_id and row.origin == Origin.PENDING]
    queries = [Query(row.source, neighbours_hash(sources, row.order)) for row in pending]
    found = memory().lookup(queries, job.source_lang, job.target_lang, threshold=ANALYSIS_FLOOR)
    terms = glossary().terms_for(job.source_lang, job.target_lang, [row.source for row in pending])
    rows: list[tuple[Any, ...]] = []
    used: list[int] = []
    for row, matches, segment_terms in zip(pending, found, terms, strict=True):
        best = matches[0] if matches else None
        target, origin = "", Origin.PENDING
        applied = next((match for match in matches if applicable(match)), None)
        if applied is not None:
            target, origin = with_outer_space(row.source, applied.target), Origin.REUSED
            used.append(applied.unit_id)
        shown = [m.as_dict() for m in matches if m.score >= settings.IRIS_TM_THRESHOLD]
        as_terms = [asdict(term) for term in to_engine_terms(segment_terms)]
        found_context = (target, origin, shown, best.score if best else None, as_terms)
        if found_context != tuple(getattr(row, name) for name in _CONTEXT):
            rows.append((row.pk, *found_context))  # most segments find nothing: no write
    with transaction.atomic():
        update_values(Segment, _CONTEXT, rows)
        memory().mark_used(used)
        Batch.objects.filter(pk=batch_id).update(context_seconds=time.monotonic() - started)


def job_analysis(job_id: int) -> dict[str, Any]:
    """The job's CAT analysis (iris/memory/analysis.py) from its segments: each
    translatable segment's best memory score, words, and whether it repeats an earlier
    one."""
    rows = (
        Segment.objects.filter(job_id=job_id)
        .exclude(origin=Origin.NOT_TRANSLATABLE)
        .values_list("tm_score", "words", "duplicate_of_order")
    )
    return analysis_of(rows)


def analysis_of(rows: Iterable[tuple[int | None, int, int | None]]) -> dict[str, Any]:
    """:func:`job_analysis` of (tm_score, words, duplicate_of_order) rows of the
    translatable segments."""
    return analyse((score, words, repeats is not None) for score, words, repeats in rows).as_dict()
