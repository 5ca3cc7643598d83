"""Hot paths run a fixed number of queries, whatever the size of the document."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.batches import move_batches
from iris.jobs.models import Batch, BatchState, Job, JobState, Origin
from iris.jobs.steps import context, extraction, translation, verification
from tests.documents import build_large_document

pytestmark = pytest.mark.django_db(transaction=True)


def captured(action) -> list[str]:
    with CaptureQueriesContext(connection) as context_:
        action()
    return [query["sql"] for query in context_.captured_queries]


def queries(action) -> int:
    return len(captured(action))


def new_job(paragraphs: int, **engine_options: str) -> Job:
    request = TranslationRequest(
        "a.docx", build_large_document(paragraphs), ["fr"], "en", engine_options=engine_options
    )
    (job,) = create_jobs(request, start=False)
    return job


def test_extraction_queries_do_not_grow_with_the_document(settings) -> None:
    settings.IRIS_BATCH_SEGMENTS = 20
    small, large = new_job(5), new_job(60)
    runs = [captured(lambda job=job: extraction.extract_segments(job)) for job in (small, large)]
    assert large.segments.count() > 4 * small.segments.count()
    assert large.batches.count() > small.batches.count()
    inserts = [[q for q in run if 'INSERT INTO "jobs_segment"' in q] for run in runs]
    # One executemany of every segment ("? times: INSERT …" in the log), however many.
    assert [len(rows) for rows in inserts] == [1, 1], inserts
    assert len(runs[0]) == len(runs[1]), runs


@pytest.mark.parametrize(
    ("options", "most"),
    [
        # claim, span, the engine call's usage; then batch + segments + job in one
        # transaction
        ({}, 8),
        # a cached engine (pseudo playing a slow one): the cache lookup, and the usage
        # with the answers in one transaction of their own
        ({"delay_ms": "1"}, 12),
    ],
)
def test_context_and_translation_of_a_batch_use_a_fixed_number_of_queries(
    settings, options, most
) -> None:
    counts = []
    for batch_size in (5, 40):
        settings.IRIS_BATCH_SEGMENTS = batch_size
        job = new_job(30, **options)
        extraction.extract_segments(job)
        Job.objects.filter(pk=job.pk).update(state=JobState.TRANSLATING)
        batch = job.batches.order_by("number")[1]
        assert batch.segments.count() == batch_size
        context_queries = queries(lambda b=batch, j=job: context.retrieve_context(j, b.pk))
        move_batches(Batch.objects.filter(pk=batch.pk), (BatchState.PENDING,), BatchState.QUEUED)
        translate_queries = queries(
            lambda b=batch, j=job: translation.translate_batch(j, b.pk, "task-1")
        )
        assert not batch.segments.filter(origin=Origin.PENDING).exists()
        counts.append((context_queries, translate_queries))
    assert counts[0] == counts[1], counts
    # The batch's span, whether the memory holds anything, the pair's glossary, then
    # the segments' matches and terms with the timing in one transaction.
    assert counts[0][0] <= 7, counts
    assert counts[0][1] <= most, counts


def test_verification_queries_do_not_grow_with_the_document() -> None:
    counts = []
    for paragraphs in (5, 60):
        job = new_job(paragraphs)
        extraction.extract_segments(job)
        job.segments.filter(origin=Origin.PENDING, duplicate_of_order__isnull=True).update(
            target="x", origin=Origin.ENGINE
        )
        counts.append(queries(lambda j=job: verification.verify_job(j)))
    assert counts[0] == counts[1], counts
