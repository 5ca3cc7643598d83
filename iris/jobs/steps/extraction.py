"""Step ``docx_extract``: the document becomes segments, batches and a manifest.

A segment's document context (its neighbours, the chain of headings above it, the
title) is not stored with it, since that would repeat each segment's text in its
neighbours' rows: the job keeps the title, each batch the chain of headings above its
first segment, and translation rebuilds every member's context from the segments of
the batch's span (iris/jobs/steps/translation.py).

Idempotent in every crash window: the segments, batches and counters are replaced in
one transaction, and the manifest is written before that transaction, so a re-run after
a crash anywhere in the step redoes the step whole and ends with both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_json
from iris.docx import Unit
from iris.engines.base import UnsupportedPairError
from iris.engines.prices import estimate
from iris.engines.registry import engine_class
from iris.jobs.bulk import insert_values
from iris.jobs.documents import below_heading, open_for_extraction, working_copy
from iris.jobs.languages import AUTO, detect_language, same_language
from iris.jobs.models import Batch, Job, Origin, QaStatus, Segment

TITLE_UNIT = "docProps/core.xml#title"


def source_hash(source_lang: str, target_lang: str, source: str) -> str:
    """Key of a segment's source text in a language pair (TM-style exact match)."""
    key = f"{source_lang.lower()}\x1f{target_lang.lower()}\x1f{source}"
    return hashlib.sha256(key.encode()).hexdigest()


def _title(job: Job, units: Sequence[Unit]) -> str:
    return next((u.plain for u in units if u.id == TITLE_UNIT and u.plain), job.source_name)


def _batch_headings(units: Sequence[Unit], firsts: Sequence[int]) -> list[list[list[object]]]:
    """For each order in ``firsts`` (ascending): the headings above that unit, outermost
    first, as [level, text] pairs."""
    found: list[list[list[object]]] = []
    chain: dict[int, str] = {}
    wanted = iter(firsts)
    first = next(wanted, None)
    for order, unit in enumerate(units):
        if first is None:
            break
        if order == first:
            found.append([[level, chain[level]] for level in sorted(chain)])
            first = next(wanted, None)
        chain = below_heading(chain, unit.heading_level, unit.plain)
    return found


@dataclass
class _Row:
    """A segment about to be inserted (plain data: no model instance per segment)."""

    unit: Unit
    order: int
    digest: str
    origin: Origin = Origin.PENDING
    duplicate_of: int | None = None
    batch: int | None = None  # index into the job's batches

    @property
    def sent(self) -> bool:
        """Whether an engine sees this segment (not copied, not left as it is)."""
        return self.origin == Origin.PENDING and self.duplicate_of is None


def _rows(job: Job, units: Sequence[Unit]) -> list[_Row]:
    first_seen: dict[str, int] = {}
    rows = []
    for order, unit in enumerate(units):
        row = _Row(unit, order, source_hash(job.source_lang, job.target_lang, unit.source))
        if not unit.translatable:
            row.origin = Origin.NOT_TRANSLATABLE
        elif row.digest in first_seen:
            # Translated once, copied when its original is done (origin "reused").
            row.duplicate_of = first_seen[row.digest]
        else:
            first_seen[row.digest] = order
        rows.append(row)
    return rows


def batch_bounds(sizes: Sequence[int], round_size: int | None = None) -> list[tuple[int, int]]:
    """Batches of items of ``sizes`` characters, in order, by count and size
    (``IRIS_BATCH_SEGMENTS``, ``IRIS_BATCH_CHARACTERS``): each batch's first and last
    index.

    ``round_size``: the segments an engine translates in one round of its concurrent
    requests (:meth:`iris.engines.base.Engine.round_size`). A batch is then cut at a
    whole number of rounds where it can be (all but the last batch of a job), so that
    no round waits on a half-empty one at a batch's end.
    """
    limit_count, limit_chars = settings.IRIS_BATCH_SEGMENTS, settings.IRIS_BATCH_CHARACTERS
    if round_size and round_size <= limit_count:
        limit_count -= limit_count % round_size
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(sizes):
        end, chars = start + 1, sizes[start]
        while end < len(sizes) and end - start < limit_count and chars + sizes[end] <= limit_chars:
            chars += sizes[end]
            end += 1
        if end < len(sizes) and round_size and end - start > round_size:
            end -= (end - start) % round_size
        bounds.append((start, end - 1))
        start = end
    return bounds


def _assign_batches(rows: Sequence[_Row], round_size: int | None) -> list[tuple[int, int]]:
    """Group the rows an engine must see into batches; returns each batch's first and
    last order."""
    sent = [row for row in rows if row.sent]
    spans = []
    bounds = batch_bounds([len(r.unit.source) for r in sent], round_size)
    for number, (first, last) in enumerate(bounds):
        for row in sent[first : last + 1]:
            row.batch = number
        spans.append((sent[first].order, sent[last].order))
    return spans


SEGMENT_FIELDS = (
    "job",
    "order",
    "unit_id",
    "part",
    "location",
    "kind",
    "source",
    "source_hash",
    "plain",
    "target",
    "origin",
    "duplicate_of_order",
    "batch",
    "words",
    "heading_level",
    "qa_status",
    "qa_issues",
)


def _values(job: Job, row: _Row, batch_ids: Sequence[int]) -> tuple[object, ...]:
    unit = row.unit
    target = unit.source if row.origin == Origin.NOT_TRANSLATABLE else ""
    batch = batch_ids[row.batch] if row.batch is not None else None
    return (
        job.pk,
        row.order,
        unit.id,
        unit.part,
        unit.location[:255],
        str(unit.kind),
        unit.source,
        row.digest,
        unit.plain,
        target,
        row.origin,
        row.duplicate_of,
        batch,
        unit.words,
        unit.heading_level,
        # Text left as it is (numbers, codes) has nothing to check.
        QaStatus.PASSED if row.origin == Origin.NOT_TRANSLATABLE else QaStatus.PENDING,
        [],
    )


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
        return open_for_extraction(job, data, job.source_lang).units()
    units = open_for_extraction(job, data, "en").units()
    detected = detect_language(" ".join(u.plain for u in units if u.translatable))
    # Known only now: whether the document is already in the target language, and
    # whether the engine translates the detected one (the job fails here, saying so,
    # before any batch is sent). The language is saved only once it passed both, so a
    # retry detects and checks again instead of going on with a refused pair.
    if same_language(detected, job.target_lang):
        raise UnsupportedPairError(
            f"the document is in {detected}, the language it was to be translated "
            f"into: nothing to translate (give --from if the detection is wrong)"
        )
    try:
        engine_class(job.engine).check_pair(detected, job.target_lang)
    except UnsupportedPairError as exc:
        raise UnsupportedPairError(
            f"{exc} (the document's language was detected as {detected}: give --from "
            "if the detection is wrong)"
        ) from None
    job.source_lang = detected
    Job.objects.filter(pk=job.pk).update(source_lang=detected)
    if same_language(job.source_lang, "en"):
        return units
    return open_for_extraction(job, data, job.source_lang).units()


def extract_segments(job: Job) -> None:
    """Replace the job's segments, batches and manifest with a fresh extraction."""
    units = _units(job, working_copy(job))
    rows = _rows(job, units)
    engine = engine_class(job.engine)
    spans = _assign_batches(rows, engine.round_size())
    store_json(job, ArtifactKind.MANIFEST, "manifest.json", _manifest(job, units))
    headings = _batch_headings(units, [first for first, _ in spans])
    done = [row.unit for row in rows if row.origin == Origin.NOT_TRANSLATABLE]
    with transaction.atomic():
        # A re-run (crash, retry) starts over: nothing of this step was sent anywhere
        # yet, since batches are dispatched only once the job has left extraction.
        job.segments.all().delete()
        job.batches.all().delete()
        batches = Batch.objects.bulk_create(
            Batch(job=job, number=n, first_order=first, last_order=last, headings=above)
            for n, ((first, last), above) in enumerate(zip(spans, headings, strict=True))
        )
        batch_ids = [batch.pk for batch in batches]
        insert_values(Segment, SEGMENT_FIELDS, (_values(job, row, batch_ids) for row in rows))
        sent = [row.unit.source for row in rows if row.sent]
        Job.objects.filter(pk=job.pk).update(
            estimate=estimate(engine, sent, len(spans)).as_dict(),
            title=_title(job, units),
            segments_total=len(rows),
            words_total=sum(row.unit.words for row in rows),
            segments_done=len(done),
            words_done=sum(unit.words for unit in done),
        )
