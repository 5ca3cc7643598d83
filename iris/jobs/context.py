"""Step ``retrieve_context``: what each segment of a batch is translated with.

For every segment it stores the neighbouring segments, the headings above it and the
document title, and it reuses translations: a segment whose exact source (same
language pair) was translated in an earlier completed job takes that translation
(origin ``reused``) and is not sent to the engine. The memory and glossary issue
extends :func:`find_reusable` with the translation memory and adds glossary terms.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from iris.engines.base import SegmentContext
from iris.jobs.bulk import update_rows
from iris.jobs.models import Batch, Job, JobState, Origin, Segment

TITLE_UNIT = "docProps/core.xml#title"
REUSABLE_ORIGINS = (Origin.ENGINE, Origin.HUMAN, Origin.REUSED)


def find_reusable(job: Job, hashes: Iterable[str]) -> dict[str, str]:
    """source hash -> target, from the latest completed job that translated it."""
    rows = (
        Segment.objects.filter(
            source_hash__in=set(hashes),
            job__state=JobState.COMPLETED,
            origin__in=REUSABLE_ORIGINS,
        )
        .exclude(job=job)
        .order_by("source_hash", "-job__finished_at", "-job_id")
        .values_list("source_hash", "target")
    )
    found: dict[str, str] = {}
    for digest, target in rows:
        found.setdefault(digest, target)
    return found


def _document_view(job: Job, batch: Batch) -> list[Segment]:
    """The batch's segments, their neighbours, and every heading before them, in order."""
    fields = ("job", "order", "plain", "heading_level", "source_hash", "batch", "origin", "target")
    first, last = batch.first_order - 1, batch.last_order + 1
    window = job.segments.filter(order__gte=first, order__lte=last).only(*fields)
    # Two index-backed queries: an OR of both conditions makes SQLite scan the table.
    headings = job.segments.filter(heading_level__isnull=False, order__lt=first).only(*fields)
    return sorted([*headings, *window], key=lambda segment: segment.order)


def _title(job: Job) -> str:
    title = job.segments.filter(unit_id=TITLE_UNIT).values_list("plain", flat=True).first()
    return title or job.source_name


def retrieve_context(batch_id: int) -> None:
    """Store context and reused targets for the batch's segments (idempotent)."""
    started = time.monotonic()
    batch = Batch.objects.select_related("job").get(pk=batch_id)
    job = batch.job
    view = _document_view(job, batch)
    title = _title(job)
    reusable = find_reusable(job, (s.source_hash for s in view if s.batch_id == batch.pk))
    chain: dict[int, str] = {}  # heading level -> text, of the headings above
    changed = []
    for i, segment in enumerate(view):
        if segment.batch_id == batch.pk:
            segment.context = SegmentContext(
                previous=view[i - 1].plain if i > 0 else "",
                next=view[i + 1].plain if i + 1 < len(view) else "",
                headings=tuple(chain[level] for level in sorted(chain)),
                title=title,
            ).as_dict()
            if segment.origin == Origin.PENDING and segment.source_hash in reusable:
                segment.target, segment.origin = reusable[segment.source_hash], Origin.REUSED
            changed.append(segment)
        level = segment.heading_level
        if level is not None:
            chain = {lvl: text for lvl, text in chain.items() if lvl < level}
            chain[level] = segment.plain
    update_rows(changed, ["context", "target", "origin"])
    Batch.objects.filter(pk=batch_id).update(context_seconds=time.monotonic() - started)
