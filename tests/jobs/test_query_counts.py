"""Hot paths run a fixed number of queries, whatever the size of the document."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iris.jobs import context, extract, translate
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Batch, BatchState, Origin
from tests.documents import build_large_document

pytestmark = pytest.mark.django_db(transaction=True)


def captured(action) -> list[str]:
    with CaptureQueriesContext(connection) as context_:
        action()
    return [query["sql"] for query in context_.captured_queries]


def queries(action) -> int:
    return len(captured(action))


def new_job(paragraphs: int):
    request = TranslationRequest("a.docx", build_large_document(paragraphs), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    return job


def test_extraction_queries_do_not_grow_with_the_document() -> None:
    small, large = new_job(5), new_job(60)
    runs = [captured(lambda job=job: extract.extract_job(job.pk)) for job in (small, large)]
    assert large.segments.count() > 4 * small.segments.count()
    assert large.batches.count() > small.batches.count()
    inserts = [[q for q in run if q.startswith('INSERT INTO "jobs_segment"')] for run in runs]
    others = [len(run) - len(rows) for run, rows in zip(runs, inserts, strict=True)]
    assert others[0] == others[1], others
    # Segments go in multi-row INSERTs (SQLite caps the parameters of one statement).
    assert len(inserts[1]) <= large.segments.count() // 40 + 1


def test_context_and_translation_of_a_batch_use_a_fixed_number_of_queries(settings) -> None:
    counts = []
    for batch_size in (5, 40):
        settings.IRIS_BATCH_SEGMENTS = batch_size
        job = new_job(30)
        extract.extract_job(job.pk)
        batch = job.batches.order_by("number")[1]
        assert batch.segments.count() == batch_size
        context_queries = queries(lambda b=batch: context.retrieve_context(b.pk))
        Batch.objects.filter(pk=batch.pk).update(state=BatchState.QUEUED)
        claimed = translate.claim_batch(batch.pk, "task-1")
        assert claimed is not None
        translate_queries = queries(lambda c=claimed: translate.translate_claimed(c, "task-1"))
        assert not batch.segments.filter(origin=Origin.PENDING).exists()
        counts.append((context_queries, translate_queries))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 7, counts  # view (2), title, reuse, update, timing
    assert counts[0][1] <= 6, counts  # segments, then batch + segments + job in one transaction
