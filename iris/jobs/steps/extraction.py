"""Step ``docx_extract``: the document becomes segments, batches and a manifest.

Each segment also gets its document context here (neighbours, the chain of headings
above it, the title), in one pass over the units already in memory, so that no later
step has to query the document's structure back out of the database.

Idempotent in every crash window: the segments, batches and counters are replaced in
one transaction, and the manifest is written before that transaction, so a re-run after
a crash anywhere in the step redoes the step whole and ends with both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_json
from iris.docx import Unit, open_document
from iris.engines.base import SegmentContext
from iris.jobs.documents import working_copy
from iris.jobs.languages import AUTO, detect_language, same_language
from iris.jobs.models import Batch, Job, Origin, Segment

TITLE_UNIT = "docProps/core.xml#title"


def source_hash(source_lang: str, target_lang: str, source: str) -> str:
    """Key of a segment's source text in a language pair (TM-style exact match)."""
    key = f"{source_lang.lower()}\x1f{target_lang.lower()}\x1f{source}"
    return hashlib.sha256(key.encode()).hexdigest()


def _contexts(job: Job, units: Sequence[Unit]) -> list[SegmentContext]:
    """Every unit's context: neighbours, headings above it (outermost first), title."""
    title = next((u.plain for u in units if u.id == TITLE_UNIT and u.plain), job.source_name)
    chain: dict[int, str] = {}  # heading level -> text, of the headings above
    contexts = []
    last = len(units) - 1
    for i, unit in enumerate(units):
        contexts.append(
            SegmentContext(
                previous=units[i - 1].plain if i > 0 else "",
                next=units[i + 1].plain if i < last else "",
                headings=tuple(chain[level] for level in sorted(chain)),
                title=title,
            )
        )
        if unit.heading_level is not None:
            chain = {lvl: text for lvl, text in chain.items() if lvl < unit.heading_level}
            chain[unit.heading_level] = unit.plain
    return contexts


def _segments(job: Job, units: Sequence[Unit]) -> list[Segment]:
    first_seen: dict[str, int] = {}
    segments = []
    for order, (unit, context) in enumerate(zip(units, _contexts(job, units), strict=True)):
        digest = source_hash(job.source_lang, job.target_lang, unit.source)
        segment = Segment(
            job=job,
            order=order,
            unit_id=unit.id,
            part=unit.part,
            location=unit.location[:255],
            kind=str(unit.kind),
            source=unit.source,
            source_hash=digest,
            plain=unit.plain,
            words=unit.words,
            heading_level=unit.heading_level,
        )
        if not unit.translatable:
            segment.target, segment.origin = unit.source, Origin.NOT_TRANSLATABLE
        elif digest in first_seen:
            # Translated once, copied when its original is done (origin "reused").
            segment.duplicate_of_order = first_seen[digest]
        else:
            first_seen[digest] = order
            segment.context = context.as_dict()  # only what an engine will see
        segments.append(segment)
    return segments


def _batches(job: Job, segments: Sequence[Segment]) -> list[Batch]:
    """Group the segments an engine must see into batches by count and size."""
    limit_count, limit_chars = settings.IRIS_BATCH_SEGMENTS, settings.IRIS_BATCH_CHARACTERS
    batches: list[Batch] = []
    current: list[Segment] = []
    chars = 0
    for segment in segments:
        if segment.origin != Origin.PENDING or segment.duplicate_of_order is not None:
            continue
        if current and (len(current) >= limit_count or chars + len(segment.source) > limit_chars):
            batches.append(_batch(job, len(batches), current))
            current, chars = [], 0
        current.append(segment)
        chars += len(segment.source)
    if current:
        batches.append(_batch(job, len(batches), current))
    return batches


def _batch(job: Job, number: int, members: list[Segment]) -> Batch:
    batch = Batch(job=job, number=number, first_order=members[0].order)
    batch.last_order = members[-1].order
    for member in members:
        # Not saved yet: Django takes the batch's id when the segments are inserted.
        member.batch = batch
    return batch


def _manifest(job: Job, units: Sequence[Unit]) -> dict[str, object]:
    return {
        "job": str(job.uuid),
        "source_name": job.source_name,
        "source_lang": job.source_lang,
        "units": [
            {
                "id": u.id,
                "part": u.part,
                "location": u.location,
                "kind": str(u.kind),
                "words": u.words,
                "translatable": u.translatable,
                "tags": {str(k): v for k, v in u.tags.items()},
            }
            for u in units
        ],
    }


def _units(job: Job, data: bytes) -> list[Unit]:
    """The document's units, segmented by the rules of its source language.

    With ``auto``, the language is detected on a first reading segmented as English,
    and the document is read again when it turns out to be another language.
    """
    if job.source_lang != AUTO:
        return open_document(data, source_lang=job.source_lang).units()
    units = open_document(data, source_lang="en").units()
    job.source_lang = detect_language(" ".join(u.plain for u in units if u.translatable))
    Job.objects.filter(pk=job.pk).update(source_lang=job.source_lang)
    if same_language(job.source_lang, "en"):
        return units
    return open_document(data, source_lang=job.source_lang).units()


def extract_segments(job: Job) -> None:
    """Replace the job's segments, batches and manifest with a fresh extraction."""
    units = _units(job, working_copy(job))
    segments = _segments(job, units)
    batches = _batches(job, segments)
    store_json(job, ArtifactKind.MANIFEST, "manifest.json", _manifest(job, units))
    done = [s for s in segments if s.origin == Origin.NOT_TRANSLATABLE]
    with transaction.atomic():
        # A re-run (crash, retry) starts over: nothing of this step was sent anywhere
        # yet, since batches are dispatched only once the job has left extraction.
        job.segments.all().delete()
        job.batches.all().delete()
        Batch.objects.bulk_create(batches)
        Segment.objects.bulk_create(segments, batch_size=1000)
        Job.objects.filter(pk=job.pk).update(
            segments_total=len(segments),
            words_total=sum(s.words for s in segments),
            segments_done=len(done),
            words_done=sum(s.words for s in done),
        )
